"""Input for what the law of 1 December 2026 asks the team to record: periods of fritagelse
and "særlige grunde" for the 6-month rule (BEK 2408 § 17), the sundhedskoordinator's advice
(lov nr. 1750/2025), and the disciplines the chair chose for a case (lov nr. 1657/2024)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, field_validator, model_validator

from rehabteam.i18n import t
from rehabteam.models.enums import AdviceForm, Discipline
from rehabteam.models.inputs import blank, free_text, required_line, required_reason


class ExemptionInput(BaseModel):
    """A period of fritagelse: from a date, to a date or still open."""

    from_on: date
    to_on: date | None = None
    reason: str

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return required_reason(value, field="field.exemption_reason")

    @model_validator(mode="after")
    def _ordered(self) -> ExemptionInput:
        if self.to_on is not None and self.to_on < self.from_on:
            raise ValueError(t("exemption.end_before_start"))
        return self


class WaiverInput(BaseModel):
    """Særlige grunde that set the 6-month rule aside: the reason is required."""

    reason: str

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return required_reason(value, field="field.waiver_reason")


class HealthAdviceInput(BaseModel):
    """The sundhedskoordinator's advice. Given (`given_on`) it must say what was advised and
    by whom; requested only, it records when it was asked for."""

    requested_on: date | None = None
    given_on: date | None = None
    form: AdviceForm = AdviceForm.SKRIFTLIG
    advice: str = ""
    given_by: str = ""

    @field_validator("advice")
    @classmethod
    def _advice(cls, value: str) -> str:
        return free_text(value, field="field.advice").strip()

    @field_validator("given_by")
    @classmethod
    def _given_by(cls, value: str) -> str:
        return free_text(value, field="field.advice_given_by", max_length=200).replace("\n", " ")

    @model_validator(mode="after")
    def _complete(self) -> HealthAdviceInput:
        if self.requested_on and self.given_on and self.given_on < self.requested_on:
            raise ValueError(t("advice.given_before_requested"))
        if self.given_on is not None:
            required_line(self.advice, field="field.advice", max_length=20_000)
            required_line(self.given_by, field="field.advice_given_by")
        elif self.advice:
            raise ValueError(t("advice.text_without_date"))
        return self


class DisciplineChoiceInput(BaseModel):
    """The disciplines the chair chose beyond the mandatory ones, and why."""

    chosen: tuple[Discipline, ...] = ()
    reason: str = ""

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return free_text(value, field="field.disciplines_reason", max_length=2000).strip()

    @field_validator("chosen")
    @classmethod
    def _unique(cls, value: tuple[Discipline, ...]) -> tuple[Discipline, ...]:
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _reasoned(self) -> DisciplineChoiceInput:
        if blank(self.reason):
            raise ValueError(t("input.required", field=t("field.disciplines_reason")))
        return self
