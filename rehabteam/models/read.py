"""Read models: what services return and screens, exports and the CLI show.

Plain pydantic objects, detached from the database, so the UI never triggers a lazy load.
CPR numbers only ever appear here masked.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

from rehabteam.models.enums import (
    AdviceForm,
    AgendaStatus,
    CaseStatus,
    CaseType,
    IndstillingStatus,
    IndstillingType,
    InterventionArea,
    InterventionStatus,
    MedicalStatementKind,
    MeetingStatus,
    NoteKind,
    ParticipantRole,
)
from rehabteam.textsafe import clean_text

T = TypeVar("T")


class _Read(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        """Stored text leaves every read model without control characters or terminal
        escape sequences, whatever got into the database (psql, an import, an older
        version): the one place that stands between stored text and a screen, a document
        or the command line. (Markup is the widgets' part: they never parse it.)"""
        if isinstance(value, str) and not isinstance(value, Enum):
            return clean_text(value)
        if isinstance(value, tuple) and value and isinstance(value[0], str):
            return tuple(
                clean_text(v) if isinstance(v, str) and not isinstance(v, Enum) else v
                for v in value
            )
        return value


class FieldStamp(_Read):
    """Who last saved a field, and when."""

    by: str
    at: datetime


class FieldConflict(_Read):
    """A field someone else changed since the user started from it: nothing of the user's
    text was written to it; `theirs` is what is stored now."""

    field: str
    theirs: Any
    by: str
    at: datetime | None


class Saved(_Read, Generic[T]):
    """What a per-field save returns: the saved record, and the fields refused."""

    read: T
    conflicts: tuple[FieldConflict, ...] = ()


class CitizenRead(_Read):
    id: int
    name: str
    cpr_masked: str
    birth_date: date
    gender: str
    age: int
    has_vocational_education: bool | None
    # Creating them found them already registered (the same CPR number): nothing was made.
    already_registered: bool = False


class StaffRead(_Read):
    id: int
    name: str
    initials: str
    discipline: str
    roles: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    login: str | None = None
    active: bool = True


class MeetingRead(_Read):
    id: int
    team_id: int
    team: str
    date: date
    start: time
    end: time
    place: str
    video_link: str
    status: MeetingStatus
    case_count: int
    capacity: int
    slot_minutes: int
    chair: str | None
    referent: str | None
    current_item_id: int | None = None  # the case being handled now (meeting.current_item_id)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "team": self.team,
            "team_id": self.team_id,
            "place": self.place,
            "video_link": self.video_link,
            "status": self.status,
            "case_count": self.case_count,
            "capacity": self.capacity,
            "slot_minutes": self.slot_minutes,
            "chair": self.chair,
            "referent": self.referent,
        }


class CaseRead(_Read):
    id: int
    case_number: str
    citizen_id: int
    citizen_name: str
    cpr_masked: str
    case_type: CaseType
    status: CaseStatus
    rule_set: str
    referral_date: date
    sagsbehandler: str | None
    meeting_id: int | None
    meeting_date: date | None
    background: str = ""  # why a genforelæggelse case came back to the team

    def days_since_referral(self, today: date) -> int:
        return (today - self.referral_date).days

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "case_number": self.case_number,
            "citizen_id": self.citizen_id,
            "citizen_name": self.citizen_name,
            "cpr": self.cpr_masked,
            "case_type": self.case_type,
            "status": self.status,
            "rule_set": self.rule_set,
            "referral_date": self.referral_date.isoformat(),
            "sagsbehandler": self.sagsbehandler,
            "meeting_id": self.meeting_id,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
        }


class PreparationFieldRead(_Read):
    key: str
    label: str
    citizen_text: str
    caseworker_text: str
    version: int  # 0: never saved
    stamps: dict[str, FieldStamp] = {}


class MedicalStatementRead(_Read):
    kind: MedicalStatementKind
    requested_on: date | None
    received_on: date | None
    helbredsforhold: str
    saerlige_hensyn: str
    borgerperspektiv: str
    andre_forhold: str
    version: int
    stamps: dict[str, FieldStamp] = {}


class PreparationRead(_Read):
    """Everything the preparation screen shows for one case."""

    case: CaseRead
    citizen_age: int
    rule_set_name: str
    document_name: str
    fields: tuple[PreparationFieldRead, ...]
    medical: MedicalStatementRead
    documents: dict[str, date]  # DocumentKind value -> received on
    bisidder_wish: str
    meeting_needs: str
    case_version: int
    wishes_stamps: dict[str, FieldStamp] = {}
    missing: tuple[str, ...]  # readiness: what still lacks before the case can be booked
    notes: tuple[str, ...]  # things to know that do not block booking
    # The sundhedskoordinator's advice, and whether the case's rules ask for it.
    health_advice: HealthAdviceRead | None = None
    health_advice_required: bool = False
    # From lov nr. 1657/2024: the disciplines the chair chose beyond the mandatory ones.
    disciplines_chosen_per_case: bool = False
    mandatory_disciplines: tuple[str, ...] = ()
    chosen_disciplines: tuple[str, ...] = ()
    disciplines_reason: str = ""


class MyCaseRead(_Read):
    case: CaseRead
    missing: tuple[str, ...]


class ParticipantRead(_Read):
    id: int
    staff_id: int | None
    name: str
    organisation: str
    discipline: str
    role: ParticipantRole
    attended: bool | None
    absence_reason: str = ""


class AgendaItemRead(_Read):
    id: int
    meeting_id: int
    position: int
    start: time
    end: time
    status: AgendaStatus
    status_reason: str
    case_id: int
    case_number: str
    case_type: CaseType
    case_status: CaseStatus
    rule_set: str
    citizen_name: str
    cpr_masked: str
    citizen_age: int
    sagsbehandler: str | None
    citizen_attends: bool
    absence_reason: str
    bisidder: str
    citizen_present: bool | None
    handling_started_at: datetime | None = None
    handling_ended_at: datetime | None = None
    slot_minutes: int
    under_30_without_education: bool
    missing: tuple[str, ...]  # the case's readiness list; not empty: no longer ready
    material: tuple[str, ...]  # the case material, for the dagsorden


class AgendaRead(_Read):
    meeting: MeetingRead
    participants: tuple[ParticipantRead, ...]
    items: tuple[AgendaItemRead, ...]  # booked first in slot order, then handled/postponed
    warnings: tuple[str, ...]
    material_deadline: date
    material_sent_at: str | None  # ISO timestamp
    material_sent_to: str


class TeamRead(_Read):
    id: int
    name: str
    default_place: str
    members: tuple[tuple[int, str], ...]  # (staff id, discipline) of the fixed members


class AssessmentRead(_Read):
    discipline: str
    vurdering: str
    anbefalede_indsatser: str
    author: str | None  # who typed it
    version: int  # 0: not saved yet
    given_by: str = ""  # whose assessment it is (the member of the discipline at the meeting)
    stamps: dict[str, FieldStamp] = {}


class InterventionRead(_Read):
    area: InterventionArea
    formaal: str
    indhold: str
    begrundelse: str


class IndstillingRead(_Read):
    id: int
    case_id: int
    meeting_id: int | None
    version_no: int
    status: IndstillingStatus
    type: IndstillingType | None
    begrundelse: str
    vurdering: str
    maal: str
    varighed_maaneder: int | None
    opfoelgning: str
    koordinerende_sagsbehandler_id: int | None
    koordinerende_sagsbehandler: str | None
    borgerens_bemaerkninger: str
    sundhedskoordinator_vurdering: str
    fp_beskaeftigelsesforhold: str
    fp_sociale_forhold: str
    fp_helbredsforhold: str
    fp_arbejdsevne_begrundelse: str
    fleksjob_begrundelse: str
    interventions: tuple[InterventionRead, ...]
    approved_by: str | None
    approved_at: str | None
    version: int
    stamps: dict[str, FieldStamp] = {}

    @property
    def locked(self) -> bool:
        return self.status is not IndstillingStatus.KLADDE

    def values(self) -> dict[str, Any]:
        """Every field of the form by name (models.recommendation.INDSTILLING_FIELDS)."""
        from rehabteam.models.recommendation import indstilling_values

        return indstilling_values(self, self.interventions)


class CaseloadRead(_Read):
    staff_id: int
    name: str
    initials: str
    phone: str
    active_ressourceforloeb: int
    # Per area (the kind of course): how many, and the areas above the guideline.
    areas: dict[str, int] = {}
    over: tuple[str, ...] = ()
    over_guideline: bool


class RoomCaseRead(_Read):
    """Everything the meeting room shows for the current case."""

    item: AgendaItemRead
    preparation: PreparationRead
    assessments: tuple[AssessmentRead, ...]
    indstilling: IndstillingRead
    caseloads: tuple[CaseloadRead, ...]
    allowed_types: tuple[str, ...]
    months: tuple[int, int]
    # What the team's result is called under the case's rule set (indstilling/anbefaling).
    outcome: str = "indstilling"
    problems: tuple[str, ...]  # what blocks approval now
    warnings: tuple[str, ...]


class RoomDraftRead(_Read):
    """The draft as saved in the meeting room, and what then still blocks its approval."""

    indstilling: IndstillingRead
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


class AwaitingDecisionRead(_Read):
    """An approved (or sent) indstilling the municipality has not decided on yet."""

    case_id: int
    case_number: str
    citizen_name: str
    cpr_masked: str
    indstilling_id: int
    indstilling_type: IndstillingType | None
    approved_on: date | None
    sent_on: date | None
    rule_set: str


class DecisionRead(_Read):
    id: int
    case_id: int
    decided_on: date
    followed: bool
    reasons: str
    forloeb_id: int | None
    reassessment_case_id: int | None
    reassessment_case_number: str | None


class ForloebRowRead(_Read):
    """One line of the koordinerende sagsbehandler's overview, with what needs doing."""

    id: int
    case_id: int
    case_number: str
    citizen_name: str
    cpr_masked: str
    kind: IndstillingType
    coordinator: str | None
    start_on: date
    planned_end_on: date
    next_follow_up_on: date | None
    six_month_deadline: date | None
    interventions: int
    started: int
    six_month_due: bool  # no intervention of the indsatsdel started by the deadline
    end_due: bool  # the course ends within 60 days (or has passed its end): back to the team
    follow_up_overdue: bool
    reassessment_case_id: int | None


class CourseInterventionRead(_Read):
    id: int
    version: int
    area: InterventionArea
    indhold: str
    provider: str
    in_indsatsdel: bool
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    status: InterventionStatus
    outcome: str


class NoteRead(_Read):
    id: int
    kind: NoteKind
    noted_on: date
    text: str
    intervention_id: int | None
    author: str | None


class HealthAdviceRead(_Read):
    """The sundhedskoordinator's advice on a case (lov nr. 1750/2025)."""

    id: int
    version: int
    requested_on: date | None
    given_on: date | None
    form: AdviceForm
    advice: str
    given_by: str


class ExemptionRead(_Read):
    """A period of fritagelse in a course (not counted by the 6-month rule)."""

    id: int
    version: int
    from_on: date
    to_on: date | None
    reason: str


class ForloebRead(_Read):
    row: ForloebRowRead
    rule_set: str
    goal: str
    interventions: list[CourseInterventionRead]
    notes: list[NoteRead]
    exemptions: list[ExemptionRead] = []
    # "Særlige grunde" set the 6-month rule aside: why, by whom, when (BEK 2408 § 17).
    six_month_waived_reason: str = ""
    six_month_waived_by: str | None = None
    six_month_waived_on: date | None = None


class StatTable(_Read):
    """One table of the statistics, ready to show: counts under five are "<5"."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    grouped: bool = True  # the first column names each row's group


class StatsRead(_Read):
    from_date: date
    to_date: date
    team: str | None
    cases: int | str
    tables: list[StatTable]
