"""The chair's journey by keyboard: plan a meeting, book ready cases, see the slots and the
warnings, move a case over, export the dagsorden and read it back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from docx import Document
from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList, Static

from rehabteam.app import RehabApp, make_app
from rehabteam.db import make_engine, session_scope
from rehabteam.models import Meeting
from rehabteam.screens.agenda import AgendaScreen
from rehabteam.screens.dialogs.plan_meeting import PlanMeetingDialog
from rehabteam.screens.dialogs.prompts import ChoicePrompt
from rehabteam.screens.meetings import MeetingsScreen
from rehabteam.services.startup import demo_database_url
from rehabteam.settings import Settings
from tests.pilot import rows, settle


def meetings_on(day: date) -> list[Meeting]:
    engine = make_engine(demo_database_url())
    with session_scope(engine) as session:
        found = list(session.exec(select(Meeting).where(Meeting.date == day)).all())
    engine.dispose()
    return found


async def plan_by_keyboard(app: RehabApp, pilot: Any, day: date) -> None:
    await pilot.press("n")
    await settle(app, pilot)
    assert isinstance(app.screen, PlanMeetingDialog)
    assert app.focused is app.screen.query_one("#date", Input)
    await pilot.press("ctrl+u", *f"{day:%d.%m.%Y}", "ctrl+s")
    await settle(app, pilot)


async def test_plan_book_warn_move_and_export(tmp_path: Path) -> None:
    day = date.today() + timedelta(days=15)
    app = make_app(Settings(export_dir=tmp_path / "eksport"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingsScreen)
        assert [r.split(" | ")[0] for r in rows(app, "#meetings")] == [
            "Tidligere",
            "I dag",
            "Kommende",
        ]
        await plan_by_keyboard(app, pilot, day)
        assert isinstance(app.screen, AgendaScreen)
        new_meeting = app.screen.meeting_id
        # Book three ready cases: b goes to the ready list, Enter books the selected one.
        await pilot.press("b")
        for _ in range(3):
            await pilot.press("enter")
            await settle(app, pilot)
        slots = [r.split(" | ")[0] for r in rows(app, "#items")]
        assert slots == ["09:00-10:00", "10:00-11:00", "11:00-12:00"]
        # Two weeks ahead, the material is not due yet and the team is complete.
        assert str(app.screen.query_one("#warnings", Static).render()) == "Ingen advarsler."
        # Move the 24-year-old from next week's meeting to this one.
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingsScreen)
        table = app.screen.query_one("#meetings", DataTable)
        next_week = next(
            i for i, r in enumerate(rows(app, "#meetings")) if r.startswith("Kommende")
        )
        table.move_cursor(row=next_week)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Amalie Kristensen" in rows(app, "#items")[0]
        assert "24 år uden erhvervskompetencegivende uddannelse" in str(
            app.screen.query_one("#warnings", Static).render()
        )
        await pilot.press("f")
        await settle(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        target = next(n for n, (_, value) in enumerate(prompt.options) if value == new_meeting)
        prompt.query_one("#choices", OptionList).highlighted = target
        await pilot.press("enter")
        await settle(app, pilot)
        assert not any("Amalie Kristensen" in r and "Booket" in r for r in rows(app, "#items"))
        await pilot.press("escape")
        await settle(app, pilot)
        app.push_screen(AgendaScreen(new_meeting))
        await settle(app, pilot)
        agenda_rows = rows(app, "#items")
        assert len(agenda_rows) == 4 and "12:00-13:00" in agenda_rows[3]
        warnings = str(app.screen.query_one("#warnings", Static).render())
        assert (
            "Amalie Kristensen er 24 år" in warnings
            and "undervisningsområdet deltager ikke" in warnings
        )
        # Export the dagsorden into the export folder.
        await pilot.press("e")
        await settle(app, pilot)
    files = list((tmp_path / "eksport").glob("*.docx"))
    assert len(files) == 1 and "Dagsorden" in files[0].name
    document = Document(str(files[0]))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Amalie Kristensen" in cells and "12:00-13:00" in cells
    assert "undervisningsområdet deltager ikke" not in body  # the checklist stays on screen
    assert len(meetings_on(day)) == 1


async def test_an_overlapping_meeting_is_refused_in_the_dialog_which_keeps_every_value() -> None:
    day = date.today() + timedelta(days=16)
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await plan_by_keyboard(app, pilot, day)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanMeetingDialog)
        await pilot.press("ctrl+u", *f"{day:%d.%m.%Y}")
        dialog.query_one("#place", Input).value = "Jobcentret, lokale 4"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # Refused: the dialog stays, with what was typed and the reason at the times.
        assert app.screen is dialog
        assert dialog.query_one("#date", Input).value == f"{day:%d.%m.%Y}"
        assert dialog.query_one("#place", Input).value == "Jobcentret, lokale 4"
        assert "må ikke overlappe" in str(dialog.query_one("#start-error", Static).render())
        assert app.focused is dialog.query_one("#start", Input)
        # Moved to the afternoon, it is planned.
        await pilot.press("ctrl+u", *"14:00")
        dialog.query_one("#end", Input).value = "15:30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
    planned = meetings_on(day)
    assert len(planned) == 2 and {m.place for m in planned} >= {"Jobcentret, lokale 4"}


async def test_postpone_needs_a_reason_and_frees_the_slot() -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        today_row = next(i for i, r in enumerate(rows(app, "#meetings")) if r.startswith("I dag"))
        app.screen.query_one("#meetings", DataTable).move_cursor(row=today_row)
        await pilot.press("enter")
        await settle(app, pilot)
        first = rows(app, "#items")[0]
        await pilot.press("u", "enter")  # an empty reason is refused
        assert "Skal udfyldes" in str(app.screen.query_one("#answer-error", Static).render())
        await pilot.press(*"Borgeren er syg", "enter")
        await settle(app, pilot)
        after = rows(app, "#items")
        assert after[0].startswith("09:00-10:00") and after[0] != first
        assert any(first.split(" | ")[1] in r and "Udsat" in r for r in after)


async def test_export_everything_from_a_held_meeting_with_progress(tmp_path: Path) -> None:
    from rehabteam.screens.dialogs.export_progress import ExportProgress

    app = make_app(Settings(export_dir=tmp_path / "eksport"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        held = next(i for i, r in enumerate(rows(app, "#meetings")) if r.startswith("Tidligere"))
        app.screen.query_one("#meetings", DataTable).move_cursor(row=held)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        progress = app.screen
        assert isinstance(progress, ExportProgress) and progress.done
        said = str(progress.query_one("#current", Static).render())
        assert "11 filer gemt" in said
        # Six cases, four indstillinger: which two have no file, and why.
        assert "Ikke med:" in said and "udsat til et senere møde" in said, said
        assert "ingen indstilling og intet brev" in said, said
        await pilot.press("enter")
        # A second export asks before replacing anything.
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert "findes allerede" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")
    files = sorted(p.name for p in (tmp_path / "eksport").rglob("*.docx"))
    assert len(files) == 10 and sum("Brev til borger" in f for f in files) == 4


async def test_booking_past_the_meetings_end_says_so_at_once() -> None:
    """Hostile re-test: a sixth case booked on today's full meeting (09:00-14:00) got
    14:00-15:00 and the toast said only "booket kl. 14:00"."""
    from tests.test_meeting_room_app import open_todays_agenda

    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await open_todays_agenda(app, pilot)
        await pilot.press("b", "enter")
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
        assert any("booket kl. 14:00" in m and "sluttidspunkt 14:00" in m for m in said), said
        assert "slutter kl. 15:00" in str(app.screen.query_one("#warnings", Static).render())
