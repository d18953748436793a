"""The age bands of lov nr. 1160/2021 (Bedre ressourceforløb, from 2022): under 40 a
citizen may have several ressourceforløb of at most 3 years each; from 40 to 50 at most 5
years in all; over 50 one forløb, unless the citizen wants more. The citizen's wish decides,
so breaking a band is a warning for the team, not a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

TOTAL_MONTHS_40_50 = 60


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a course's length)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band_warning(
    *, birth: date, on: date, earlier_months: Sequence[int], proposed_months: int | None
) -> tuple[str, dict[str, int]] | None:
    """The band a new ressourceforløb would break, as (message key, values), or None.
    `earlier_months` are the lengths of the citizen's earlier ressourceforløb."""
    age = age_on(birth, on)
    if age >= 50 and earlier_months:
        return "approve.age_band_over_50", {"age": age, "earlier": len(earlier_months)}
    if 40 <= age < 50:
        total = sum(earlier_months) + (proposed_months or 0)
        if earlier_months and total > TOTAL_MONTHS_40_50:
            return "approve.age_band_40_50", {
                "age": age,
                "total": total,
                "limit": TOTAL_MONTHS_40_50,
            }
    return None
