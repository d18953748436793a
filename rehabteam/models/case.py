"""The case (sag) and its preparation: the forberedende del and the medical statement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field

from rehabteam.models.base import Stamped, Tracked

OPEN_CASE_SQL = "status IN ('forberedelse', 'klar', 'booket', 'behandlet')"
AWAITING_DECISION_SQL = "status = 'indstillet'"


class Case(Stamped, Tracked, table=True):
    # "case" is an SQL keyword; the table is named for what it is.
    __tablename__ = "rehab_case"
    __table_args__ = (
        Index("ix_case_status_referral", "status", "referral_date"),
        # The open cases, newest first, read 200 at a time however many cases are closed.
        # Queries must spell the status list as literals for the planner to match it.
        Index(
            "ix_case_open_referral",
            "referral_date",
            "id",
            sqlite_where=text(OPEN_CASE_SQL),
            postgresql_where=text(OPEN_CASE_SQL),
        ),
        # The cases waiting for the municipality's decision, longest waiting first (a case
        # becomes indstillet the day its indstilling is approved): the oldest 200 are read
        # without sorting the whole pool.
        Index(
            "ix_case_awaiting_decision",
            "status_changed_on",
            "id",
            sqlite_where=text(AWAITING_DECISION_SQL),
            postgresql_where=text(AWAITING_DECISION_SQL),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=20, unique=True, nullable=False)  # e.g. "2026-0042"
    citizen_id: int = Field(foreign_key="citizen.id", nullable=False, index=True)
    case_type: str = Field(max_length=40, nullable=False)  # CaseType
    referral_date: date = Field(nullable=False, index=True)  # statistics select by period
    rule_set: str = Field(max_length=40, nullable=False)  # key of a rules.RuleSet
    # The rule set proposed by the referral date can be overridden, with a recorded reason.
    rule_set_override_reason: str = Field(default="", max_length=2000)
    sagsbehandler_id: int | None = Field(default=None, foreign_key="staff_member.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    status: str = Field(default="forberedelse", max_length=20, nullable=False)  # CaseStatus
    # The citizen has no erhvervskompetencegivende uddannelse: with age under 30 the
    # undervisningsområde must take part (rule 2).
    without_vocational_education: bool = Field(default=False, nullable=False)
    # The citizen's wishes for the meeting.
    bisidder_wish: str = Field(default="", max_length=300)
    meeting_needs: str = Field(default="", max_length=2000)
    status_changed_on: date | None = Field(default=None)
    # Who made the case (they may see it: e.g. a coordinator who sends a course back).
    created_by_id: int | None = Field(default=None, foreign_key="staff_member.id")
    # From lov nr. 1657/2024 the chair chooses, per case, which disciplines take part beyond
    # the rule set's mandatory ones (comma-separated Discipline values), with the reason.
    chosen_disciplines: str = Field(default="", max_length=200, nullable=False)
    disciplines_reason: str = Field(default="", max_length=2000, nullable=False)
    # Why the case came back to the team (genforelæggelse): the municipality's reasons for
    # not following the indstilling, or the course that stalled.
    background: str = Field(default="", nullable=False, sa_column_kwargs={"server_default": ""})


class PreparationField(Stamped, Tracked, table=True):
    """One field of the preparation document: the citizen's words beside the caseworker's.

    One row per field, saved as the user leaves it, so a crash loses at most the field
    being typed. Which fields exist is decided by the case's rule set.
    """

    __tablename__ = "preparation_field"
    __table_args__ = (UniqueConstraint("case_id", "field_key", name="uq_preparation_field"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, ondelete="CASCADE")
    field_key: str = Field(max_length=60, nullable=False)
    citizen_text: str = Field(default="", nullable=False)
    caseworker_text: str = Field(default="", nullable=False)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_member.id")


class MedicalStatement(Stamped, Tracked, table=True):
    """The GP's statement (LÆ 265) or, for jobafklaring, the first follow-up attest."""

    __tablename__ = "medical_statement"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        foreign_key="rehab_case.id", nullable=False, unique=True, ondelete="CASCADE"
    )
    kind: str = Field(default="lae265", max_length=30, nullable=False)  # MedicalStatementKind
    requested_on: date | None = Field(default=None)
    received_on: date | None = Field(default=None)
    helbredsforhold: str = Field(default="")  # relevante helbredsforhold
    saerlige_hensyn: str = Field(default="")
    borgerperspektiv: str = Field(default="")  # the doctor on the citizen's own perspective
    andre_forhold: str = Field(default="")


class HealthAdvice(Tracked, table=True):
    """The sundhedskoordinator's sundhedsfaglige rådgivning on a fleksjob or
    førtidspension case (lov nr. 1750/2025): required before the team's anbefaling is
    approved. Given in writing or at a meeting; the case needs no meeting for it."""

    __tablename__ = "health_advice"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        foreign_key="rehab_case.id", nullable=False, unique=True, ondelete="CASCADE"
    )
    requested_on: date | None = Field(default=None)
    given_on: date | None = Field(default=None)
    form: str = Field(default="skriftlig", max_length=20, nullable=False)  # AdviceForm
    advice: str = Field(default="", nullable=False)
    given_by: str = Field(default="", max_length=200, nullable=False)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_member.id")


class CaseDocument(Tracked, table=True):
    """Other case material on the checklist (records, CV, earlier effort)."""

    __tablename__ = "case_document"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_case_document"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, ondelete="CASCADE")
    kind: str = Field(max_length=40, nullable=False)
    received_on: date | None = Field(default=None)
    note: str = Field(default="", max_length=2000)
