"""Validated input: what screens and the CLI hand to services. Messages are for the user."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date, time

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.cpr import parse_cpr
from rehabteam.models.enums import (
    CaseType,
    Discipline,
    IndstillingType,
    InterventionArea,
    InterventionStatus,
    NoteKind,
    StaffRole,
)
from rehabteam.models.recommendation import ALL_TEXTS
from rehabteam.textsafe import clean_line, clean_text

MAX_NAME = 200
MAX_TEXT = 20_000  # a long free-text field; a 100,000-character paste is refused, not cut


# Characters drawn as nothing although Unicode calls them letters or symbols (fillers).
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def blank(text: str) -> bool:
    """Nothing a reader would see: no letter, digit, punctuation or symbol that is drawn
    (spaces, zero-width and format characters, lone combining marks and fillers such as
    U+3164 are as empty as nothing)."""
    import unicodedata

    return not any(unicodedata.category(ch)[0] in "LNPS" and ch not in _FILLERS for ch in text)


def required_line(value: str, *, field: str, max_length: int = MAX_NAME) -> str:
    text = clean_line(value)
    if blank(text):
        raise ValueError(t("input.required", field=t(field)))
    if len(text) > max_length:
        raise ValueError(t("input.too_long", field=t(field), max=max_length))
    return text


def free_text(value: str, *, field: str, max_length: int = MAX_TEXT) -> str:
    text = clean_text(value)
    if len(text) > max_length:
        raise ValueError(t("input.too_long", field=t(field), max=max_length))
    return text


def _not_future(value: date | None, field: str) -> date | None:
    """`value` unless it lies in the future (what has happened cannot)."""
    if value is not None and value > clock.today():
        raise ValueError(t("input.date_future", field=t(field)))
    return value


class CitizenCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    cpr: str
    first_name: str
    last_name: str
    has_vocational_education: bool | None = None
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""

    @field_validator("cpr")
    @classmethod
    def _cpr(cls, value: str) -> str:
        return parse_cpr(value).digits

    @field_validator("first_name")
    @classmethod
    def _first(cls, value: str) -> str:
        return required_line(value, field="field.first_name")

    @field_validator("last_name")
    @classmethod
    def _last(cls, value: str) -> str:
        return required_line(value, field="field.last_name")

    @field_validator("address", "postcode", "city", "phone")
    @classmethod
    def _line(cls, value: str) -> str:
        return clean_line(value)[:300]


class CaseCreate(BaseModel):
    citizen_id: int
    case_type: CaseType
    referral_date: date
    sagsbehandler_id: int | None = None
    team_id: int | None = None
    # None: the rule set in force on the referral date. Another key needs a reason.
    rule_set: str | None = None
    rule_set_override_reason: str = ""
    without_vocational_education: bool = False

    @field_validator("referral_date")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > clock.today():
            raise ValueError(t("case.referral_future"))
        return value

    @field_validator("rule_set_override_reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return free_text(value, field="field.override_reason", max_length=2000)


DATE_FORMATS = ("%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d%m%Y")


def parse_user_date(value: str, *, field: str, allow_future: bool = False) -> date | None:
    """A date typed by a user (`23.11.2026`, `2026-11-23`, ...). Empty means no date."""
    from datetime import datetime

    text = value.strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not allow_future and parsed > clock.today():
            raise ValueError(t("input.date_future", field=t(field)))
        return parsed
    if re.fullmatch(r"\d{1,2}[.\-/]\d{1,2}[.\-/]\d{4}|\d{4}-\d{1,2}-\d{1,2}", text):
        # Written as a date, but not one the calendar has (31.02.2026).
        raise ValueError(t("input.date_impossible", field=t(field), text=text))
    raise ValueError(t("input.date_format", field=t(field)))


class PreparationFieldInput(BaseModel):
    """One field of the preparation document as typed: the citizen's words and the
    caseworker's description. Cleaned of control characters; too long is refused, not cut."""

    citizen_text: str = ""
    caseworker_text: str = ""

    @field_validator("citizen_text")
    @classmethod
    def _citizen(cls, value: str) -> str:
        return free_text(value, field="field.citizen_text")

    @field_validator("caseworker_text")
    @classmethod
    def _caseworker(cls, value: str) -> str:
        return free_text(value, field="field.caseworker_text")


class MedicalStatementInput(BaseModel):
    requested_on: date | None = None
    received_on: date | None = None
    helbredsforhold: str = ""
    saerlige_hensyn: str = ""
    borgerperspektiv: str = ""
    andre_forhold: str = ""

    @field_validator("helbredsforhold", "saerlige_hensyn", "borgerperspektiv", "andre_forhold")
    @classmethod
    def _text(cls, value: str) -> str:
        return free_text(value, field="field.lae265_part")

    @field_validator("requested_on", "received_on")
    @classmethod
    def _past(cls, value: date | None) -> date | None:
        return _not_future(value, "field.lae265_date")


class MeetingWishesInput(BaseModel):
    bisidder_wish: str = ""
    meeting_needs: str = ""

    @field_validator("bisidder_wish")
    @classmethod
    def _bisidder(cls, value: str) -> str:
        return required_line(value, field="field.bisidder", max_length=300) if value.strip() else ""

    @field_validator("meeting_needs")
    @classmethod
    def _needs(cls, value: str) -> str:
        return free_text(value, field="field.meeting_needs", max_length=2000)


class GuestInput(BaseModel):
    name: str
    organisation: str = ""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return required_line(value, field="field.guest_name")

    @field_validator("organisation")
    @classmethod
    def _org(cls, value: str) -> str:
        return clean_line(value)[:200]


class MeetingCreate(BaseModel):
    """A team meeting to plan. Members are staff ids with the discipline they sit for."""

    team_id: int
    date: dt.date
    start_time: time
    end_time: time
    place: str = ""
    video_link: str = ""
    chair_id: int | None = None
    referent_id: int | None = None
    slot_minutes: int = 60
    capacity: int = 5
    members: list[tuple[int, str]] = []
    guests: list[GuestInput] = []

    @field_validator("place", "video_link")
    @classmethod
    def _line(cls, value: str) -> str:
        return clean_line(value)[:500]

    @field_validator("date")
    @classmethod
    def _not_past(cls, value: dt.date) -> dt.date:
        if value < clock.today():
            raise ValueError(t("meeting.date_past"))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> MeetingCreate:
        if self.end_time <= self.start_time:
            raise ValueError(t("meeting.end_before_start"))
        if not self.place and not self.video_link:
            raise ValueError(t("meeting.place_required"))
        if not 15 <= self.slot_minutes <= 240:
            raise ValueError(t("meeting.slot_bounds"))
        if not 1 <= self.capacity <= 20:
            raise ValueError(t("meeting.capacity_bounds"))
        return self


class AttendanceInput(BaseModel):
    """Whether the citizen attends; without the citizen a reason is required (rule 3)."""

    citizen_attends: bool = True
    absence_reason: str = ""
    bisidder: str = ""

    @field_validator("absence_reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return free_text(value, field="field.absence_reason", max_length=2000)

    @field_validator("bisidder")
    @classmethod
    def _bisidder(cls, value: str) -> str:
        return clean_line(value)[:300]

    @model_validator(mode="after")
    def _reason_needed(self) -> AttendanceInput:
        if not self.citizen_attends and not self.absence_reason.strip():
            raise ValueError(t("agenda.absence_reason_required"))
        return self


def required_reason(value: str, *, field: str) -> str:
    text = free_text(value, field=field, max_length=2000).strip()
    if blank(text):
        raise ValueError(t("input.required", field=t(field)))
    return text


class AssessmentInput(BaseModel):
    vurdering: str = ""
    anbefalede_indsatser: str = ""

    @field_validator("vurdering", "anbefalede_indsatser")
    @classmethod
    def _text(cls, value: str) -> str:
        return free_text(value, field="field.assessment")


class InterventionInput(BaseModel):
    area: InterventionArea
    formaal: str = ""
    indhold: str = ""
    begrundelse: str = ""

    @field_validator("formaal", "indhold", "begrundelse")
    @classmethod
    def _text(cls, value: str) -> str:
        return free_text(value, field="field.intervention", max_length=5000)


class IndstillingInput(BaseModel):
    """The indstilling as typed. Completeness is checked at approval, not while typing."""

    type: IndstillingType | None = None
    begrundelse: str = ""
    vurdering: str = ""
    maal: str = ""
    varighed_maaneder: int | None = None
    opfoelgning: str = ""
    koordinerende_sagsbehandler_id: int | None = None
    borgerens_bemaerkninger: str = ""
    sundhedskoordinator_vurdering: str = ""
    fp_beskaeftigelsesforhold: str = ""
    fp_sociale_forhold: str = ""
    fp_helbredsforhold: str = ""
    fp_arbejdsevne_begrundelse: str = ""
    fleksjob_begrundelse: str = ""
    interventions: list[InterventionInput] = []

    @field_validator(*ALL_TEXTS)
    @classmethod
    def _text(cls, value: str) -> str:
        return free_text(value, field="field.indstilling_text")

    def values(self) -> dict[str, object]:
        """Every field by name, as `IndstillingRead.values` (per-field saving)."""
        from rehabteam.models.recommendation import indstilling_values

        return indstilling_values(self, self.interventions)

    @field_validator("varighed_maaneder")
    @classmethod
    def _months(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 120:
            raise ValueError(t("indstilling.months_range"))
        return value


class DecisionInput(BaseModel):
    """The municipality's afgørelse on an indstilling. Not followed needs the reasons: the
    team must reassess the case with them."""

    decided_on: date
    followed: bool
    reasons: str = ""

    @field_validator("decided_on")
    @classmethod
    def _date(cls, value: date) -> date:
        _not_future(value, "field.decided_on")
        return value

    @field_validator("reasons")
    @classmethod
    def _reasons(cls, value: str) -> str:
        return free_text(value, field="field.decision_reasons").strip()

    @model_validator(mode="after")
    def _reasons_when_not_followed(self) -> DecisionInput:
        if not self.followed and not self.reasons:
            raise ValueError(t("decision.reasons_required"))
        return self


class CourseInterventionInput(BaseModel):
    """One intervention of a course as typed. Dates must be in order; what has happened
    (actual dates) cannot lie in the future; the status must fit the dates."""

    area: InterventionArea
    indhold: str
    provider: str = ""
    in_indsatsdel: bool = True
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    status: InterventionStatus = InterventionStatus.PLANLAGT
    outcome: str = ""

    @field_validator("indhold")
    @classmethod
    def _indhold(cls, value: str) -> str:
        return required_line(value, field="field.intervention", max_length=2000)

    @field_validator("provider")
    @classmethod
    def _provider(cls, value: str) -> str:
        return free_text(value, field="field.provider", max_length=200).replace("\n", " ")

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: str) -> str:
        return free_text(value, field="field.outcome").strip()

    @field_validator("actual_start", "actual_end")
    @classmethod
    def _happened(cls, value: date | None) -> date | None:
        return _not_future(value, "field.actual_dates")

    @model_validator(mode="after")
    def _consistent(self) -> CourseInterventionInput:
        for start, end in (
            (self.planned_start, self.planned_end),
            (self.actual_start, self.actual_end),
        ):
            if start and end and end < start:
                raise ValueError(t("intervention.end_before_start"))
        if self.actual_end and not self.actual_start:
            raise ValueError(t("intervention.end_without_start"))
        started = {
            InterventionStatus.I_GANG,
            InterventionStatus.GENNEMFOERT,
            InterventionStatus.AFBRUDT,
        }
        if self.status in started and not self.actual_start:
            raise ValueError(
                t("intervention.needs_start", status=t(f"InterventionStatus.{self.status}"))
            )
        if self.status is InterventionStatus.GENNEMFOERT and not self.actual_end:
            raise ValueError(t("intervention.needs_end"))
        if self.status in (InterventionStatus.PLANLAGT, InterventionStatus.IKKE_STARTET) and (
            self.actual_start
        ):
            raise ValueError(
                t("intervention.started_but_not", status=t(f"InterventionStatus.{self.status}"))
            )
        return self


class NoteInput(BaseModel):
    """A progress note on an intervention, or a follow-up conversation with the next date."""

    kind: NoteKind
    noted_on: date
    text: str
    intervention_id: int | None = None
    next_follow_up_on: date | None = None

    @field_validator("noted_on")
    @classmethod
    def _date(cls, value: date) -> date:
        _not_future(value, "field.noted_on")
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        text = free_text(value, field="field.note").strip()
        if not text:
            raise ValueError(t("input.required", field=t("field.note")))
        return text

    @model_validator(mode="after")
    def _next_after(self) -> NoteInput:
        if self.next_follow_up_on and self.next_follow_up_on < self.noted_on:
            raise ValueError(t("note.next_before"))
        return self


_LOGIN = re.compile(r"^[A-Za-z0-9_.@-]{1,100}$")


class StaffInput(BaseModel):
    """A staff member as an administrator sets them up; None leaves a value as it is."""

    model_config = ConfigDict(str_strip_whitespace=True)

    initials: str = ""
    name: str | None = None
    discipline: Discipline | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    # The PostgreSQL login or operating-system login this person works as ("" removes it).
    login: str | None = None
    roles: list[StaffRole] | None = None
    team_id: int | None = None
    active: bool | None = None

    @field_validator("initials")
    @classmethod
    def _initials(cls, value: str) -> str:
        text = clean_line(value).upper()
        if text and not re.fullmatch(r"[A-ZÆØÅ0-9]{1,12}", text):
            raise ValueError(t("staff.bad_initials"))
        return text

    @field_validator("name", "title", "phone", "email")
    @classmethod
    def _line(cls, value: str | None) -> str | None:
        return None if value is None else clean_line(value)[:200]

    @field_validator("login")
    @classmethod
    def _login(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return value
        if not _LOGIN.match(value):
            raise ValueError(t("staff.bad_login"))
        return value
