"""After the indstilling: the municipality's decision (afgørelse), and the course (forløb)
that follows it with its interventions (indsatsdel) and dated notes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from rehabteam.models.base import Tracked


class Decision(Tracked, table=True):
    """The municipality's afgørelse on an indstilling: followed or not, with its reasons.
    Not followed sends the case back to the team (a genforelæggelse case)."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("indstilling_id", name="uq_decision_indstilling"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, index=True)
    indstilling_id: int = Field(foreign_key="indstilling.id", nullable=False)
    decided_on: date = Field(nullable=False, index=True)
    followed: bool = Field(nullable=False)
    reasons: str = Field(default="", nullable=False)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_member.id")
    reassessment_case_id: int | None = Field(default=None, foreign_key="rehab_case.id")


class Forloeb(Tracked, table=True):
    """A granted ressourceforløb or jobafklaringsforløb, held by its koordinerende
    sagsbehandler. The 6-month deadline is set when the case's rule set has the rule."""

    __tablename__ = "forloeb"
    __table_args__ = (
        # The coordinator's overview and the caseload: their running courses.
        Index("ix_forloeb_coordinator_ended", "coordinator_id", "ended_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, index=True)
    decision_id: int = Field(foreign_key="decision.id", nullable=False, unique=True)
    kind: str = Field(max_length=40, nullable=False)  # IndstillingType
    coordinator_id: int | None = Field(default=None, foreign_key="staff_member.id")
    start_on: date = Field(nullable=False)
    planned_end_on: date = Field(nullable=False)
    six_month_deadline: date | None = Field(default=None)
    ended_on: date | None = Field(default=None)
    next_follow_up_on: date | None = Field(default=None)
    reassessment_case_id: int | None = Field(default=None, foreign_key="rehab_case.id")
    # BEK 2408 § 17: the 6-month rule does not apply where "særlige grunde" speak against it;
    # the reason is recorded, with who decided it and when.
    six_month_waived_reason: str = Field(default="", max_length=2000, nullable=False)
    six_month_waived_by_id: int | None = Field(default=None, foreign_key="staff_member.id")
    six_month_waived_on: date | None = Field(default=None)


class ForloebExemption(Tracked, table=True):
    """A period of fritagelse (exemption) in a course: not counted by the 6-month rule
    (BEK 2408 § 17). Open-ended (`to_on` empty) while it lasts."""

    __tablename__ = "forloeb_exemption"

    id: int | None = Field(default=None, primary_key=True)
    forloeb_id: int = Field(
        foreign_key="forloeb.id", nullable=False, index=True, ondelete="CASCADE"
    )
    from_on: date = Field(nullable=False)
    to_on: date | None = Field(default=None)
    reason: str = Field(default="", max_length=2000, nullable=False)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_member.id")


class ForloebIntervention(Tracked, table=True):
    """One intervention of the course: who provides it, when it was planned and happened,
    how it is going or what came of it."""

    __tablename__ = "forloeb_intervention"

    id: int | None = Field(default=None, primary_key=True)
    forloeb_id: int = Field(
        foreign_key="forloeb.id", nullable=False, index=True, ondelete="CASCADE"
    )
    area: str = Field(max_length=40, nullable=False)  # InterventionArea
    indhold: str = Field(default="", nullable=False)
    provider: str = Field(default="", max_length=200, nullable=False)
    # Listed in the plan's indsatsdel: only these count for the 6-month rule.
    in_indsatsdel: bool = Field(default=True, nullable=False)
    planned_start: date | None = Field(default=None)
    planned_end: date | None = Field(default=None)
    actual_start: date | None = Field(default=None)
    actual_end: date | None = Field(default=None)
    status: str = Field(default="planlagt", max_length=20, nullable=False)  # InterventionStatus
    outcome: str = Field(default="", nullable=False)


class FollowUpNote(Tracked, table=True):
    """A dated progress note on an intervention, or a follow-up conversation (opfølgnings-
    samtale) of the koordinerende sagsbehandler with the citizen."""

    __tablename__ = "follow_up_note"

    id: int | None = Field(default=None, primary_key=True)
    forloeb_id: int = Field(
        foreign_key="forloeb.id", nullable=False, index=True, ondelete="CASCADE"
    )
    intervention_id: int | None = Field(
        default=None, foreign_key="forloeb_intervention.id", ondelete="CASCADE"
    )
    kind: str = Field(max_length=20, nullable=False)  # NoteKind
    noted_on: date = Field(nullable=False)
    text: str = Field(nullable=False)
    author_id: int | None = Field(default=None, foreign_key="staff_member.id")
