"""The cells of one case in a list; the same on every screen that lists cases."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from rich.text import Text

from rehabteam.i18n import t
from rehabteam.widgets.safe import safe_cell


class CaseRow(Protocol):
    """What a case list shows of a case: `models.read.CaseRead`, or the home screen's first
    look (`services.first_look.QuickCase`)."""

    @property
    def id(self) -> int: ...
    @property
    def case_number(self) -> str: ...
    @property
    def citizen_name(self) -> str: ...
    @property
    def cpr_masked(self) -> str: ...
    @property
    def case_type(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def sagsbehandler(self) -> str | None: ...
    def days_since_referral(self, today: date) -> int: ...


CASE_COLUMNS = ("case_number", "citizen", "cpr", "case_type", "status", "days")


def case_cells(case: CaseRow, today: date, last: str) -> list[Text]:
    """Case number, citizen, masked CPR, type, status, days since referral, and `last`."""
    return [
        safe_cell(case.case_number),
        safe_cell(case.citizen_name),
        safe_cell(case.cpr_masked),
        safe_cell(t(f"CaseType.{case.case_type}")),
        safe_cell(t(f"CaseStatus.{case.status}")),
        safe_cell(case.days_since_referral(today)),
        safe_cell(last),
    ]
