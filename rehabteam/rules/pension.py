"""The state pension age (folkepensionsalder) by birth date, for rule 4's warning that a
ressourceforløb should not start within 6 years of it (from 2022).

The table follows the pension-age laws as known in 2025 (67 for those born before 1963,
then 68, 69 and 70); later laws may move it, so it is kept here, in one table.
"""

from __future__ import annotations

from datetime import date

# (born before this date, pension age)
_TABLE: tuple[tuple[date, int], ...] = (
    (date(1963, 1, 1), 67),
    (date(1967, 1, 1), 68),
    (date(1971, 1, 1), 69),
)
_LATEST = 70


def state_pension_age(birth: date) -> int:
    for limit, age in _TABLE:
        if birth < limit:
            return age
    return _LATEST


def years_to_pension(birth: date, on: date) -> float:
    year = birth.year + state_pension_age(birth)
    try:
        pension_day = birth.replace(year=year)
    except ValueError:  # born 29 February
        pension_day = date(year, 3, 1)
    return (pension_day - on).days / 365.25
