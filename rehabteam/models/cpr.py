"""The Danish personal identification number (CPR-nummer).

Format `DDMMYY-SSSS`. The century comes from the 7th digit (the first digit of the serial) by the
CPR office's table. Replacement numbers (erstatningspersonnumre) add 60 to the day. Modulus 11 is
not required: numbers without it have been issued since 2007, so it is only a soft hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rehabteam import clock
from rehabteam.i18n import t

# ASCII digits only: \d also takes full-width and Arabic-Indic digits, which made a second
# person no search found.
_CPR_RE = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{2})-?([0-9]{4})$", re.ASCII)
_MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


class CprError(ValueError):
    """A value that is not a valid CPR number. The message is for the user, in their language."""


class Gender(StrEnum):
    KVINDE = "kvinde"
    MAND = "mand"


def century_for(year2: int, digit7: int) -> int:
    """The century (1800, 1900 or 2000) of a birth year by the CPR office's table."""
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if year2 <= 36 else 1900
    # digits 5-8
    return 2000 if year2 <= 57 else 1800


@dataclass(frozen=True, slots=True)
class Cpr:
    """A validated CPR number. `str()` gives the masked form, never the full number."""

    digits: str  # ten digits, no dash

    @property
    def birth_date(self) -> date:
        return _birth_date(self.digits)

    @property
    def is_replacement(self) -> bool:
        return int(self.digits[0:2]) > 60

    @property
    def gender(self) -> Gender:
        return Gender.MAND if int(self.digits[9]) % 2 else Gender.KVINDE

    @property
    def masked(self) -> str:
        return mask_cpr(self.digits)

    @property
    def formatted(self) -> str:
        """The full number with dash. Only for deliberate reveal and documents."""
        return f"{self.digits[:6]}-{self.digits[6:]}"

    def age_on(self, on: date) -> int:
        return age_on(self.birth_date, on)

    def passes_modulus11(self) -> bool:
        return sum(int(d) * w for d, w in zip(self.digits, _MOD11_WEIGHTS, strict=True)) % 11 == 0

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"Cpr({self.masked})"


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _birth_date(digits: str) -> date:
    day = int(digits[0:2])
    if day > 60:  # erstatningspersonnummer
        day -= 60
    month = int(digits[2:4])
    year2 = int(digits[4:6])
    year = century_for(year2, int(digits[6])) + year2
    return date(year, month, day)


def parse_cpr(value: str, *, today: date | None = None) -> Cpr:
    """Validate `value` and return a `Cpr`, or raise `CprError` with a user-facing message.

    Accepts `DDMMYY-SSSS` and `DDMMYYSSSS`, surrounding whitespace ignored. A birth date after
    `today` is rejected: such a number cannot have been issued.
    """
    if not isinstance(value, str):
        raise CprError(t("cpr.format"))
    text = value.strip()
    match = _CPR_RE.match(text)
    if match is None:
        raise CprError(t("cpr.format"))
    digits = "".join(match.groups())
    try:
        birth = _birth_date(digits)
    except ValueError:
        raise CprError(t("cpr.date", date=f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}")) from None
    if birth > (today or clock.today()):
        raise CprError(t("cpr.future"))
    return Cpr(digits)


def mask_cpr(digits: str) -> str:
    """`DDMMYY-xxxx`: the birth date part only. Never shows the serial."""
    only = re.sub(r"\D", "", digits or "")
    if len(only) < 6:
        return "xxxxxx-xxxx"
    return f"{only[:6]}-xxxx"
