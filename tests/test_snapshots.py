"""What the screens look like (issue 15): home, agenda, the meeting room's four tabs, the
preparation and a dialog, at 160x50 and at 80x24, on the demo with the day and the time
fixed. `pytest --snapshot-update` rewrites them after a deliberate change to a screen; look
at the report it writes before committing the new pictures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date, time
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from rehabteam import clock
from rehabteam.app import RehabApp, make_app
from rehabteam.models import Case, Meeting
from rehabteam.settings import Settings
from tests.pilot import demo_rows, settle

DAY = date(2026, 12, 2)  # a Wednesday; the demo's meetings fall around it
SIZES = [(160, 50), (80, 24)]

Steps = Callable[[RehabApp, Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def _fixed_day() -> Iterator[None]:
    clock.fix(DAY, time(9, 30))
    yield
    clock.fix(None)


async def _still(app: RehabApp, pilot: Pilot[Any]) -> None:
    """Everything loaded (twice: a message still queued may start one more load, e.g. the
    database's readiness after the first look), no blinking cursor, no passing toast."""
    await settle(app, pilot)
    await pilot.pause(0.3)
    await settle(app, pilot)
    for widget in app.screen.query("TextArea, Input"):
        if isinstance(widget, TextArea | Input):
            widget.cursor_blink = False
        if isinstance(widget, TextArea):  # scrolled to its cursor or not, by timing
            widget.scroll_to(0, 0, animate=False, immediate=True)
    # The picture is of the layout and the data; where the cursor is (and whether it was
    # caught in a blink, or still on its way under load) is tested elsewhere.
    app.screen.set_focus(None)
    app.clear_notifications()
    # A table measures its columns when idle and a field shows its cursor once drawn again:
    # let every one be drawn as it now is before the picture is taken.
    await pilot.pause(0.1)
    for widget in app.screen.query("DataTable, TextArea, Input"):
        widget.refresh()
    await pilot.pause(0.1)


async def home(app: RehabApp, pilot: Pilot[Any]) -> None:
    await _still(app, pilot)


async def agenda(app: RehabApp, pilot: Pilot[Any]) -> None:
    from rehabteam.screens.agenda import AgendaScreen

    await settle(app, pilot)
    today = next(m for m in demo_rows(Meeting) if m.date == DAY)
    app.push_screen(AgendaScreen(today.id))
    await _still(app, pilot)


def room(tab_key: str) -> Steps:
    async def steps(app: RehabApp, pilot: Pilot[Any]) -> None:
        await agenda(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press(tab_key)
        await settle(app, pilot)
        # Pressed while the case's fields were still being built, the key found no first
        # field to focus (noted on issue 15); pressed again, it does.
        await pilot.press(tab_key)
        await _still(app, pilot)

    return steps


async def preparation(app: RehabApp, pilot: Pilot[Any]) -> None:
    from rehabteam.screens.preparation import PreparationScreen

    await settle(app, pilot)
    case = min(demo_rows(Case, status="forberedelse"), key=lambda c: c.id)
    app.push_screen(PreparationScreen(case.id))
    await _still(app, pilot)


async def plan_dialog(app: RehabApp, pilot: Pilot[Any]) -> None:
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    await pilot.press("n")
    await _still(app, pilot)


SCREENS: dict[str, Steps] = {
    "home": home,
    "agenda": agenda,
    "room_case": room("f3"),
    "room_indstilling": room("f4"),
    "room_attendance": room("f5"),
    "room_agenda": room("f6"),
    "preparation": preparation,
    "plan_meeting": plan_dialog,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_looks_as_it_did(snap_compare: Any, name: str, size: tuple[int, int]) -> None:
    app = make_app(Settings(user="ML"), demo=True)
    steps = SCREENS[name]

    async def run_before(pilot: Pilot[Any]) -> None:
        await steps(app, pilot)
        assert not app.screen.query(DataTable) or app.engine is not None

    assert snap_compare(app, terminal_size=size, run_before=run_before)
