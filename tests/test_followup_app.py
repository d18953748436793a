"""The follow-up journeys by keyboard: the decision, Ida's overview of her courses, one
course's interventions and conversations, and the statistics saved as CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Select, Static, TextArea

from rehabteam.app import make_app
from rehabteam.db import make_engine, session_scope
from rehabteam.models import Case, Decision, FollowUpNote, ForloebIntervention
from rehabteam.screens.dialogs.form import FormDialog
from rehabteam.screens.dialogs.prompts import TextPrompt
from rehabteam.screens.follow_up import FollowUpScreen
from rehabteam.screens.forloeb import ForloebScreen
from rehabteam.screens.statistics import StatisticsScreen
from rehabteam.services.startup import demo_database_url
from rehabteam.settings import Settings
from tests.pilot import demo_rows, rows, settle


def _form_error(app: object) -> str:
    """Every error the dialog shows, at its fields and below them."""
    shown = app.screen.query(".field-error").results(Static)  # type: ignore[attr-defined]
    return " ".join(str(s.render()) for s in shown)


async def test_a_decision_not_followed_goes_back_to_the_team() -> None:
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        awaiting = rows(app, "#awaiting")
        assert len(awaiting) == 4 and "Ressourceforløb" in awaiting[0]
        number = awaiting[0].split(" | ")[0]
        app.screen.query_one("#awaiting", DataTable).focus()
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        # Not followed, without the reasons: refused in the dialog, which stays open.
        await pilot.press("tab", "space", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        assert "begrundelse" in _form_error(app)
        await pilot.press("tab", *"Borgeren skal først udredes.", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        assert len(rows(app, "#awaiting")) == 3
        case = demo_rows(Case, case_number=number)[0]
        decision = demo_rows(Decision, case_id=case.id)[0]
        assert not decision.followed and decision.reasons == "Borgeren skal først udredes."
        new_case = demo_rows(Case, id=decision.reassessment_case_id)[0]
        assert new_case.case_type == "genforelaeggelse" and new_case.status == "forberedelse"
        # The team preparing the genforelæggelse sees why it is back.
        from rehabteam.screens.preparation import PreparationScreen

        app.push_screen(PreparationScreen(new_case.id))
        await settle(app, pilot)
        summary = str(app.screen.query_one("#case-summary", Static).render())
        assert "Baggrund for genforelæggelsen: Borgeren skal først udredes." in summary


async def test_a_decision_dated_before_the_approval_stays_in_the_dialog_with_its_text() -> None:
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        app.screen.query_one("#awaiting", DataTable).focus()
        await pilot.press("d")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press("ctrl+u", *"01.01.2020", "tab", "tab", *"Bevilget som indstillet.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # Refused by the service: the dialog stays, the reasons typed are still there, the
        # message is shown and the cursor is back in the date.
        assert app.screen is dialog
        assert "før indstillingen blev godkendt" in _form_error(app)
        # ... at the date it is about.
        at_date = str(dialog.query_one("#decided_on-error", Static).render())
        assert "før indstillingen blev godkendt" in at_date
        assert dialog.query_one("#f-reasons", TextArea).text == "Bevilget som indstillet."
        assert app.focused is dialog.query_one("#f-decided_on", Input)
        await pilot.press("ctrl+u", *f"{date.today():%d.%m.%Y}", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        assert len(rows(app, "#awaiting")) == 3


async def test_ida_follows_up_her_courses_by_keyboard() -> None:
    app = make_app(Settings(user="IH"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        caseload = str(app.screen.query_one("#caseload", Static).render())
        assert (
            caseload.startswith("Ida Holm:")
            and "vejledende 25-40" in caseload
            and "ikke lov" in caseload
        )
        courses = rows(app, "#forloeb")
        assert "6 mdr. uden indsats: genforelæggelse" in courses[0]  # what needs doing first
        hans_like = next(i for i, r in enumerate(courses) if " | 2/3 | " in r)
        table = app.screen.query_one("#forloeb", DataTable)
        table.focus()
        table.move_cursor(row=hans_like)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        statuses = [r.split(" | ")[-1] for r in rows(app, "#interventions")]
        assert statuses == ["I gang", "Gennemført", "Planlagt"]
        # The internship starts: "I gang" without an actual start date is refused.
        app.screen.query_one("#interventions", DataTable).move_cursor(row=2)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#f-status", Select).value = "i_gang"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "faktisk startdato" in _form_error(app)
        app.screen.query_one("#f-actual_start").focus()
        await pilot.press(*"01.11.2026", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        assert rows(app, "#interventions")[2].endswith("I gang")
        # A follow-up conversation with the next date.
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("tab", *"Praktikken er begyndt godt.", "tab", *"01.02.2027", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        assert "Praktikken er begyndt godt." in rows(app, "#notes")[0]
    engine = make_engine(demo_database_url())
    with session_scope(engine) as s:
        started = s.exec(
            # The internship started above: the demo's courses have not started theirs.
            select(ForloebIntervention).where(
                ForloebIntervention.area == "beskaeftigelse",
                ForloebIntervention.status == "i_gang",
            )
        ).all()
        notes = s.exec(select(FollowUpNote).where(FollowUpNote.kind == "samtale")).all()
    engine.dispose()
    assert [i.actual_start for i in started] == [date(2026, 11, 1)]
    assert any(n.text == "Praktikken er begyndt godt." for n in notes)


async def test_statistics_on_screen_and_saved_inside_the_export_folder(tmp_path: Path) -> None:
    folder = tmp_path / "eksport"
    app = make_app(Settings(user="ML", export_dir=folder), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, StatisticsScreen)
        await settle(app, pilot)
        status = str(app.screen.query_one("#stats-status", Static).render())
        assert "sager henvist" in status and '"<5"' in status
        titles = [str(label.render()) for label in app.screen.query("#results Label")]
        assert "Indstillinger fulgt af kommunen" in titles
        plot = str(app.screen.query_one("#results .plot", Static).render())
        assert "Ressourceforløb" in plot and "█" in plot
        # A reversed period gets a message, the tables stay.
        app.screen.query_one("#to").focus()
        await pilot.press("ctrl+u", *"01.01.2020", "enter")
        await settle(app, pilot)
        assert "før startdatoen" in str(app.screen.query_one("#stats-status", Static).render())
        # Saving: a name leading out of the export folder is refused; the proposed one works.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPrompt)
        proposed = app.screen.query_one("#answer", Input).value
        await pilot.press("ctrl+u", *"../../udenfor.csv", "enter")
        await settle(app, pilot)
        assert not (tmp_path / "udenfor.csv").exists()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
    saved = folder / proposed
    assert saved.exists() and "<5" in saved.read_text(encoding="utf-8-sig")
    assert oct(saved.stat().st_mode & 0o777) == "0o600"


async def test_the_flagged_course_is_sent_back_to_the_team_by_keyboard() -> None:
    app = make_app(Settings(user="IH"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert "6 mdr. uden indsats" in rows(app, "#forloeb")[0]
        number = rows(app, "#forloeb")[0].split(" | ")[0]
        # The cursor starts in the decisions awaited (where `d` acts); Tab reaches the courses.
        assert app.focused is app.screen.query_one("#awaiting", DataTable)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#forloeb", DataTable)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        assert "6 mdr. uden indsats" in str(app.screen.query_one("#flags", Static).render())
        await pilot.press("g", "tab", "enter")  # "Ja" is one Tab from the default "Nej"
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        assert "Genforelagt" in str(app.screen.query_one("#flags", Static).render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert any("Genforelagt" in r for r in rows(app, "#forloeb"))
    original = demo_rows(Case, case_number=number)[0]
    again = demo_rows(
        Case, citizen_id=original.citizen_id, case_type="ressourceforloeb_genforelaeggelse"
    )
    assert len(again) == 1 and "6-måneders-reglen" in again[0].background


async def test_the_lists_keep_the_selected_case_after_a_dialog_and_a_refresh() -> None:
    """Issue 15, finding 7: `d`/Enter act on the case the cursor is on, also after a
    dialog or a refresh (the row is kept by id, not by position)."""
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        awaiting = app.screen.query_one("#awaiting", DataTable)
        awaiting.focus()
        awaiting.move_cursor(row=2)
        chosen = awaiting.coordinate_to_cell_key(awaiting.cursor_coordinate).row_key.value
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert awaiting.coordinate_to_cell_key(awaiting.cursor_coordinate).row_key.value == chosen
        await pilot.press("r")
        await settle(app, pilot)
        assert awaiting.coordinate_to_cell_key(awaiting.cursor_coordinate).row_key.value == chosen
        # A decision on the first case: the cursor stays on the chosen one, now one row up.
        first = str(awaiting.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value)
        from rehabteam.models.inputs import DecisionInput
        from rehabteam.services.followup import record_decision
        from tests.people import as_staff

        engine = make_engine(demo_database_url())
        with session_scope(engine, write=True) as session:
            record_decision(
                session=session,
                case_id=int(first),
                data=DecisionInput(decided_on=date.today(), followed=True),
                rulebook=app.rulebook,
                viewer=as_staff(session, "ML"),
            )
        engine.dispose()
        await pilot.press("r")
        await settle(app, pilot)
        assert awaiting.coordinate_to_cell_key(awaiting.cursor_coordinate).row_key.value == chosen
        assert awaiting.cursor_row == 1


async def test_fritagelse_and_saerlige_grunde_by_keyboard_clear_the_six_month_flag() -> None:
    """Ida records a period of fritagelse on the flagged course (the deadline moves), then,
    for another reason, sets the rule aside with særlige grunde; both are shown and kept."""
    from rehabteam.models import Forloeb, ForloebExemption

    app = make_app(Settings(user="IH"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert "6 mdr. uden indsats" in rows(app, "#forloeb")[0]
        app.screen.query_one("#forloeb", DataTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        forloeb_id = app.screen.forloeb_id
        before = demo_rows(Forloeb, id=forloeb_id)[0].six_month_deadline
        assert before is not None
        start = demo_rows(Forloeb, id=forloeb_id)[0].start_on
        # f: a fritagelse of 30 days from the course's second week, without a reason first.
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        from_input = app.screen.query_one("#f-from_on", Input)
        from_input.value = f"{start.replace(day=min(start.day, 28)):%d.%m.%Y}"
        app.screen.query_one("#f-to_on", Input).value = f"{before:%d.%m.%Y}"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)  # the reason is required
        assert "Begrundelse for fritagelsen" in _form_error(app)
        app.screen.query_one("#f-reason", TextArea).focus()
        await pilot.press(*"Indlagt [@click=app.quit]x[/]", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Fritagelse" in summary and "[@click=app.quit]x[/]" in summary
        after = demo_rows(Forloeb, id=forloeb_id)[0].six_month_deadline
        assert after is not None and after > before
        assert demo_rows(ForloebExemption, forloeb_id=forloeb_id)[0].reason.startswith("Indlagt")
        # v: særlige grunde.
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Borgeren er i psykiatrisk udredning", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen), _form_error(app)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "fraveget" in summary and "Ida" in summary, summary.replace("\n", " / ")
        assert "6 mdr. uden indsats" not in str(app.screen.query_one("#flags", Static).render())
    course = demo_rows(Forloeb, id=forloeb_id)[0]
    assert course.six_month_waived_reason == "Borgeren er i psykiatrisk udredning"


async def test_escape_in_a_dialog_with_typed_text_asks_before_anything_is_thrown_away() -> None:
    """Escape closes an untouched dialog at once; with text typed it asks, and the default
    (Escape or Enter) keeps the dialog and the text."""
    from rehabteam.screens.dialogs.prompts import ConfirmPrompt

    app = make_app(Settings(user="IH"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        app.screen.query_one("#forloeb", DataTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        await pilot.press("v", "escape")  # untouched: closed at once
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press(*"Lang begrundelse, ikke gemt endnu", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("escape")  # no: back to the dialog, the text still there
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        assert (
            app.screen.query_one("#f-reason", TextArea).text == "Lang begrundelse, ikke gemt endnu"
        )
        # Ctrl+Q asks the same before quitting; no keeps the text.
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog) and app.is_running
        await pilot.press("escape", "tab", "enter")  # yes, close without saving
        await settle(app, pilot)
        assert isinstance(app.screen, ForloebScreen)
