"""Legal rule sets as data (see rule_sets.toml). Adding a rule set is configuration."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rehabteam.errors import RulesError
from rehabteam.i18n import current_language
from rehabteam.models.enums import MEDICAL_PARTS, CaseType, Discipline, IndstillingType, MedicalPart

__all__ = ["RuleBook", "RuleSet", "RulesError", "load_rulebook"]


class PreparationFieldDef(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    da: str
    en: str
    # The field is the medical statement itself (LÆ 265): complete when it is received.
    medical: bool = False

    @property
    def label(self) -> str:
        return self.en if current_language() == "en" else self.da


class PreparationDoc(BaseModel):
    model_config = ConfigDict(frozen=True)
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
    model_config = ConfigDict(frozen=True)
    key: str
    name_da: str
    name_en: str
    effective_from: date
    source: str = ""
    case_types: tuple[CaseType, ...]
    indstilling_types: tuple[IndstillingType, ...]
    ressourceforloeb_months: tuple[int, int] = Field(description="inclusive bounds")
    required_disciplines: tuple[Discipline, ...]
    education_under_30: bool = True
    preparation: PreparationDoc
    pension_age_warning_years: int = 0
    six_month_rule: bool = False

    @model_validator(mode="after")
    def _bounds_ordered(self) -> RuleSet:
        low, high = self.ressourceforloeb_months
        if not 0 < low <= high:
            raise ValueError("ressourceforloeb_months must be [min, max] with 0 < min <= max")
        return self

    @property
    def name(self) -> str:
        return self.name_en if current_language() == "en" else self.name_da

    def allows_case_type(self, case_type: CaseType | str) -> bool:
        return CaseType(case_type) in self.case_types

    def allows_indstilling(self, kind: IndstillingType | str) -> bool:
        return IndstillingType(kind) in self.indstilling_types


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


def _parse(data: dict[str, Any], origin: str) -> list[RuleSet]:
    preparations = data.get("preparation", {})
    result: list[RuleSet] = []
    for raw in data.get("rule_set", []):
        entry = dict(raw)
        prep_key = entry.get("preparation", "forberedende_del")
        if prep_key not in preparations:
            raise RulesError(
                f"{origin}: rule set {entry.get('key')!r}: no preparation {prep_key!r}"
            )
        entry["preparation"] = {"key": prep_key, **preparations[prep_key]}
        try:
            result.append(RuleSet.model_validate(entry))
        except ValidationError as exc:
            raise RulesError(f"{origin}: rule set {entry.get('key')!r}: {exc}") from None
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
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RulesError(f"{extra_file}: {exc}") from None
        data = _merge(data, extra)
    return RuleBook(_parse(data, str(extra_file or "rule_sets.toml")))
