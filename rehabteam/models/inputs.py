"""Validated input: what screens and the CLI hand to services. Messages are for the user."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator

from rehabteam.i18n import t
from rehabteam.models.cpr import parse_cpr
from rehabteam.models.enums import CaseType
from rehabteam.textsafe import clean_line, clean_text

MAX_NAME = 200
MAX_TEXT = 20_000  # a long free-text field; a 100,000-character paste is refused, not cut


def required_line(value: str, *, field: str, max_length: int = MAX_NAME) -> str:
    text = clean_line(value)
    if not text:
        raise ValueError(t("input.required", field=t(field)))
    if len(text) > max_length:
        raise ValueError(t("input.too_long", field=t(field), max=max_length))
    return text


def free_text(value: str, *, field: str, max_length: int = MAX_TEXT) -> str:
    text = clean_text(value)
    if len(text) > max_length:
        raise ValueError(t("input.too_long", field=t(field), max=max_length))
    return text


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
        if value > date.today():
            raise ValueError(t("case.referral_future"))
        return value

    @field_validator("rule_set_override_reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return free_text(value, field="field.override_reason", max_length=2000)
