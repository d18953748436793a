"""Legal rule sets as data (see rule_sets.toml). Adding a rule set is configuration."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rehabteam.errors import RulesError
from rehabteam.i18n import current_language, t
from rehabteam.models.enums import MEDICAL_PARTS, CaseType, Discipline, IndstillingType, MedicalPart

__all__ = ["RuleBook", "RuleSet", "RulesError", "load_rulebook"]


# A rules file is checked strictly: a field it does not know (a typo) is an error, and a value
# of the wrong type ("yes" for true, "5" for 5) is not quietly converted.
STRICT = ConfigDict(frozen=True, extra="forbid")


class PreparationFieldDef(BaseModel):
    model_config = STRICT
    key: str
    da: str
    en: str
    # The field is the medical statement itself (LÆ 265): complete when it is received.
    medical: bool = False

    @property
    def label(self) -> str:
        return self.en if current_language() == "en" else self.da


class PreparationDoc(BaseModel):
    model_config = STRICT
    key: str
    name_da: str
    name_en: str
    medical_statement: str = "lae265"
    # The parts of the LÆ 265 that must be filled in before the case is ready (a jobafklaring
    # case's attest from the first sickness follow-up has no parts).
    medical_parts: tuple[MedicalPart, ...] = MEDICAL_PARTS
    fields: tuple[PreparationFieldDef, ...]

    @property
    def name(self) -> str:
        return self.name_en if current_language() == "en" else self.name_da


class RuleSet(BaseModel):
    model_config = STRICT
    key: str
    name_da: str
    name_en: str
    effective_from: date
    source: str = ""
    # The legal basis as documents print it (law number and section), not a slogan.
    citation: str = ""
    # Added to the citation for an indstilling of that type (its own section of the law).
    type_citations: dict[IndstillingType, str] = Field(default_factory=dict)
    case_types: tuple[CaseType, ...]
    # Case types that exist only from a later date within the rule set.
    case_types_from: dict[CaseType, date] = Field(default_factory=dict)
    indstilling_types: tuple[IndstillingType, ...]
    ressourceforloeb_months: tuple[int, int] = Field(description="inclusive bounds")
    required_disciplines: tuple[Discipline, ...]
    education_under_30: bool = True
    # From lov nr. 1657/2024 the undervisning area advises on under-30s; it is not required.
    education_under_30_advice: bool = False
    preparation: PreparationDoc
    pension_age_warning_years: int = 0
    six_month_rule: bool = False
    # Lov nr. 1160/2021's age bands for ressourceforløb (40-50: at most 5 years in all;
    # over 50: one forløb), unless the citizen wants more: warned about at approval.
    age_bands: bool = False
    # What the team's result is called: an indstilling, or (2026 reform on) an anbefaling.
    outcome: Literal["indstilling", "anbefaling"] = "indstilling"
    # Fleksjob and førtidspension need the sundhedskoordinator's advice (lov nr. 1750/2025)
    # before the outcome is approved.
    health_advice_required: bool = False
    # From lov nr. 1657/2024 the chair chooses, per case, the disciplines beyond the
    # mandatory ones, with a reason.
    disciplines_chosen_per_case: bool = False
    # Dates and rules not yet checked against the law text, said in words.
    unconfirmed: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _bounds_ordered(self) -> RuleSet:
        low, high = self.ressourceforloeb_months
        if not 0 < low <= high:
            from rehabteam.i18n import t

            raise ValueError(t("rules.months_order"))
        return self

    @property
    def name(self) -> str:
        return self.name_en if current_language() == "en" else self.name_da

    def allows_case_type(self, case_type: CaseType | str, on: date | None = None) -> bool:
        """The case type exists under this rule set (on the referral date `on`, if given)."""
        kind = CaseType(case_type)
        if kind not in self.case_types:
            return False
        starts = self.case_types_from.get(kind)
        return on is None or starts is None or on >= starts

    def allows_indstilling(self, kind: IndstillingType | str) -> bool:
        return IndstillingType(kind) in self.indstilling_types

    def citation_for(self, kind: IndstillingType | str | None) -> str:
        """The legal basis of an indstilling of type `kind`: the rule set's, then the
        section of the law on that type (never another type's section)."""
        extra = self.type_citations.get(IndstillingType(kind)) if kind else None
        return "; ".join(c for c in (self.citation, extra) if c)


class RuleBook:
    """All known rule sets, ordered by the date they took effect."""

    def __init__(self, rule_sets: list[RuleSet]) -> None:
        if not rule_sets:
            raise RulesError("no rule sets defined")
        self._by_key = {rs.key: rs for rs in rule_sets}
        self._ordered = sorted(self._by_key.values(), key=lambda rs: rs.effective_from)

    def all(self) -> list[RuleSet]:
        return list(self._ordered)

    def get(self, key: str) -> RuleSet:
        try:
            return self._by_key[key]
        except KeyError:
            raise RulesError(f"unknown rule set {key!r}") from None

    def for_date(self, day: date) -> RuleSet:
        """The rule set in force on `day`: the latest one that took effect on or before it."""
        chosen = self._ordered[0]
        for rs in self._ordered:
            if rs.effective_from <= day:
                chosen = rs
        return chosen


TOP_LEVEL = {"preparation", "rule_set"}


def _json_value(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


# Pydantic's error types, said in the user's language (others keep pydantic's text).
PROBLEMS = {
    "missing": "missing",
    "extra_forbidden": "extra",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "int_type": "int",
    "int_parsing": "int",
    "int_from_float": "int",
    "string_type": "str",
    "enum": "enum",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "tuple_type": "list",
    "list_type": "list",
    "too_short": "count",
    "too_long": "count",
}


def _problems(exc: ValidationError) -> str:
    """Each problem as "field: what is wrong" (the field by its name in the file)."""
    from rehabteam.i18n import t

    said = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "-"
        kind = PROBLEMS.get(error["type"])
        if error["type"] == "value_error":
            said.append(f"{where}: {str(error['msg']).removeprefix('Value error, ')}")
        elif kind == "enum":
            said.append(f"{where}: {t('rules.problem.enum', allowed=error['ctx']['expected'])}")
        else:
            said.append(f"{where}: {t(f'rules.problem.{kind}') if kind else error['msg']}")
    return "; ".join(said)


def _check_file(data: dict[str, Any], origin: str) -> None:
    """A municipality's rules file: only the two tables it may have, and at least one rule
    set or preparation (an empty file is a mistake, not "no changes")."""
    from rehabteam.i18n import t

    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        raise RulesError(f"{origin}: {t('rules.unknown_tables', names=', '.join(unknown))}")
    if not data.get("rule_set") and not data.get("preparation"):
        raise RulesError(f"{origin}: {t('rules.empty_file')}")
    if not isinstance(data.get("rule_set", []), list) or not isinstance(
        data.get("preparation", {}), dict
    ):
        raise RulesError(f"{origin}: {t('rules.wrong_tables')}")
    for key, raw in data.get("preparation", {}).items():  # also those no rule set uses yet
        try:
            text = json.dumps(
                {"key": key, **raw} if isinstance(raw, dict) else raw, default=_json_value
            )
            PreparationDoc.model_validate_json(text, strict=True)
        except ValidationError as exc:
            raise RulesError(f"{origin}: [preparation.{key}]: {_problems(exc)}") from None


def _rule_set(entry: dict[str, Any]) -> str:
    from rehabteam.i18n import t

    return t("rules.rule_set", key=repr(entry.get("key")))


def _parse(data: dict[str, Any], origin: str) -> list[RuleSet]:
    from rehabteam.i18n import t

    preparations = data.get("preparation", {})
    result: list[RuleSet] = []
    for raw in data.get("rule_set", []):
        entry = dict(raw)
        prep_key = entry.get("preparation", "forberedende_del")
        if prep_key not in preparations:
            raise RulesError(
                f"{origin}: {_rule_set(entry)}: {t('rules.no_preparation', key=repr(prep_key))}"
            )
        entry["preparation"] = {"key": prep_key, **preparations[prep_key]}
        try:
            # As JSON, strictly: TOML's own types must match (a date may be a TOML date).
            text = json.dumps(entry, default=_json_value)
            result.append(RuleSet.model_validate_json(text, strict=True))
        except ValidationError as exc:
            raise RulesError(f"{origin}: {_rule_set(entry)}: {_problems(exc)}") from None
    return result


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = {
        "preparation": {**base.get("preparation", {}), **extra.get("preparation", {})},
        "rule_set": [],
    }
    extra_keys = {rs.get("key") for rs in extra.get("rule_set", [])}
    merged["rule_set"] = [rs for rs in base.get("rule_set", []) if rs.get("key") not in extra_keys]
    merged["rule_set"] += extra.get("rule_set", [])
    return merged


@lru_cache(maxsize=8)
def load_rulebook(extra_file: Path | None = None) -> RuleBook:
    """The bundled rule sets, plus (and overridden by) those in `extra_file`."""
    bundled = resources.files(__package__).joinpath("rule_sets.toml").read_text("utf-8")
    data = tomllib.loads(bundled)
    if extra_file is not None:
        try:
            extra = tomllib.loads(Path(extra_file).read_text("utf-8"))
        except OSError as exc:
            raise RulesError(f"{extra_file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise RulesError(f"{extra_file}: {t('rules.not_utf8')}") from None
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"{extra_file}: {t('rules.not_toml', error=str(exc))}") from None
        _check_file(extra, str(extra_file))
        data = _merge(data, extra)
    return RuleBook(_parse(data, str(extra_file or "rule_sets.toml")))
