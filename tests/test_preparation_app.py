"""The caseworker's journey by keyboard: find or create the citizen, create the case, fill the
preparation, watch the readiness list empty, find the case `klar` in the database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static, TextArea

from rehabteam.app import RehabApp, make_app
from rehabteam.db import make_engine, session_scope
from rehabteam.models import Case, Citizen, MedicalStatement, PreparationField
from rehabteam.screens.citizen import CitizenScreen
from rehabteam.screens.dialogs.new_case import NewCaseDialog
from rehabteam.screens.dialogs.unsaved import UnsavedChangesDialog
from rehabteam.screens.home import HomeScreen
from rehabteam.screens.preparation import PreparationScreen
from rehabteam.settings import Settings
from tests.people import add_staff, add_team
from tests.pilot import demo_rows, settle, shown

LOGIN = "sb.test"  # the operating-system login of the caseworker at the keyboard


def caseworker_database(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real team's database (no demo flag) with one sagsbehandler, who is the OS login."""
    from rehabteam.db import migrate

    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine, write=True) as session:
        add_staff(session, "SB", team_id=add_team(session), login=LOGIN)
    engine.dispose()
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: LOGIN)
    monkeypatch.setattr("rehabteam.services.first_look.os_login", lambda: LOGIN)


def missing_text(app: RehabApp) -> str:
    return str(app.screen.query_one("#readiness", Static).render())


async def open_case_of_new_citizen(app: RehabApp, pilot: Any) -> None:
    """Home -> Borgere -> new citizen -> the citizen's screen -> new case -> preparation."""
    await settle(app, pilot)
    await pilot.press("b")
    await settle(app, pilot)
    await pilot.press("escape", "n")
    await pilot.press(*"010195-4321", "enter", *"Test", "enter", *"Testesen", "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CitizenScreen)
    await pilot.press("n")
    await settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, NewCaseDialog)
    # The proposal for today's referral is the reform rule set: no new ressourceforløb offered.
    assert dialog.query_one("#rule_set", Select).value == "reform2026b"
    offered = [value for _, value in dialog.query_one("#case_type", Select)._options]
    assert "ressourceforloeb" not in offered and "fleksjob" in offered
    dialog.query_one("#case_type", Select).focus()
    await pilot.press("enter")
    await pilot.pause(0.1)
    fleksjob_index = offered.index("fleksjob")
    await pilot.press(*["down"] * fleksjob_index, "enter")
    assert dialog.query_one("#case_type", Select).value == "fleksjob"
    # The case belongs to the team (the municipality's only one here), chosen for the user.
    assert dialog.query_one("#team", Select).value == dialog.teams[0].id
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, PreparationScreen)


async def test_whole_preparation_by_keyboard_ends_klar() -> None:
    app = make_app(Settings(user="SK"), demo=True)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_case_of_new_citizen(app, pilot)
        screen = app.screen
        assert isinstance(screen, PreparationScreen) and screen.read is not None
        fields = [f.key for f in screen.read.fields]
        assert len(fields) == 6  # the reform's samlet beskrivelse
        before = missing_text(app).count("•")
        assert before == len(fields) + 1  # every field and the medical statement
        for n, key in enumerate(fields):
            assert app.focused is screen.query_one(f"#c-{key}", TextArea)
            await pilot.press(*f"Mine ord {n}", "tab", *f"Beskrivelse {n}", "tab")
            await settle(app, pilot)
            assert missing_text(app).count("•") == before - n - 1
        # The medical statement: requested, received, and its four parts.
        assert app.focused is screen.query_one("#lae-requested", Input)
        requested = f"{date.today() - timedelta(days=14):%d.%m.%Y}"
        await pilot.press(
            *requested, "tab", *f"{date.today():%d.%m.%Y}", "tab", *"Rygsmerter", "tab"
        )
        await settle(app, pilot)
        assert "»Særlige hensyn« er ikke udfyldt" in missing_text(app)  # received is not all
        await pilot.press(*"Ingen tunge løft", "tab", *"Ønsker deltid", "tab", *"Ingen", "tab")
        await settle(app, pilot)
        assert "Intet mangler" in missing_text(app)
        assert "Alt er gemt" in str(screen.query_one("#save-state", Static).render())
        case_id = screen.case_id
    case = demo_rows(Case, id=case_id)[0]
    assert case.status == "klar" and case.rule_set == "reform2026b"
    assert case.team_id is not None  # the team sees it and can book it
    stored = {f.field_key: f for f in demo_rows(PreparationField, case_id=case_id)}
    assert stored[fields[2]].citizen_text == "Mine ord 2"
    assert stored[fields[2]].caseworker_text == "Beskrivelse 2"
    medical = demo_rows(MedicalStatement, case_id=case_id)[0]
    assert medical.received_on == date.today() and medical.helbredsforhold == "Rygsmerter"


async def _open_first_forberedelse_case(app: RehabApp, pilot: Any) -> PreparationScreen:
    await settle(app, pilot)
    case = demo_rows(Case, status="forberedelse")[0]
    app.push_screen(PreparationScreen(case.id))
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, PreparationScreen)
    return screen


async def test_closing_with_unsaved_text_asks_and_keeps_the_choice() -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open_first_forberedelse_case(app, pilot)
        assert screen.read is not None
        key = screen.read.fields[0].key
        area = screen.query_one(f"#c-{key}", TextArea)
        original = area.text
        area.focus()
        await pilot.press("end", *" tilføjet")
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # the safe default: stay
        assert shown(app) is screen and " tilføjet" in area.text
        await pilot.press("escape", *"ikke")  # typing on after Escape answers nothing
        await settle(app, pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("tab", "tab", "enter")  # to "close without saving" (no letter does it)
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        stored = demo_rows(PreparationField, case_id=screen.case_id, field_key=key)
        assert (stored[0].citizen_text if stored else "") == original
        # Again, this time "save and close".
        screen = await _open_first_forberedelse_case(app, pilot)
        area = screen.query_one(f"#c-{key}", TextArea)
        area.focus()
        await pilot.press("end", *" gemt")
        typed = area.text
        await pilot.press("escape", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    stored = demo_rows(PreparationField, case_id=screen.case_id, field_key=key)
    assert " gemt" in typed and stored[0].citizen_text == typed


async def test_a_crash_loses_at_most_the_field_being_typed() -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open_first_forberedelse_case(app, pilot)
        assert screen.read is not None
        first, second = screen.read.fields[0].key, screen.read.fields[1].key
        screen.query_one(f"#w-{first}", TextArea).focus()
        await pilot.press(*"Gemt ved feltskift", "tab")  # leaving the field saves it
        await settle(app, pilot)
        screen.query_one(f"#w-{second}", TextArea).focus()
        await pilot.press(*"skrives netop nu")
        case_id = screen.case_id
        app.exit()  # the terminal dies: no close, no dialog, no save
    saved = {f.field_key: f for f in demo_rows(PreparationField, case_id=case_id)}
    assert "Gemt ved feltskift" in saved[first].caseworker_text
    assert "skrives netop nu" not in (saved[second].caseworker_text if second in saved else "")


@pytest.mark.parametrize(
    ("text", "message"),
    [("x" * 100_000, "for lang"), ("\x1b]0;titel\x07ok\u202e\x00 tekst", None)],
)
async def test_bad_text_is_refused_or_cleaned_and_nothing_stored_changes(
    text: str, message: str | None
) -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open_first_forberedelse_case(app, pilot)
        assert screen.read is not None
        key = screen.read.fields[0].key
        before = demo_rows(PreparationField, case_id=screen.case_id, field_key=key)
        area = screen.query_one(f"#w-{key}", TextArea)
        area.focus()
        area.text = text  # as a paste would
        await pilot.press("tab")
        await settle(app, pilot)
        error = str(screen.query_one(f"#err-{key}", Static).render())
        after = demo_rows(PreparationField, case_id=screen.case_id, field_key=key)
        if message:
            assert message in error
            assert [r.caseworker_text for r in after] == [r.caseworker_text for r in before]
            assert area.text == text  # the user's text is still there to fix
        else:
            assert error == ""
            assert after[0].caseworker_text == "ok tekst"


async def test_a_future_received_date_gets_a_message_at_the_field() -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open_first_forberedelse_case(app, pilot)
        before = demo_rows(MedicalStatement, case_id=screen.case_id)[0]
        received = screen.query_one("#lae-received", Input)
        received.focus()
        received.value = f"{date.today() + timedelta(days=3):%d.%m.%Y}"
        await pilot.press("tab")
        await settle(app, pilot)
        assert "fremtiden" in str(screen.query_one("#err-medical", Static).render())
        after = demo_rows(MedicalStatement, case_id=screen.case_id)[0]
        assert after.received_on == before.received_on and after.version == before.version


async def test_new_citizen_with_a_future_birth_date_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseworker_database(f"sqlite:///{tmp_path / 'x.sqlite3'}", monkeypatch)
    app = make_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.viewer is not None  # a caseworker who could create a citizen
        await pilot.press("n")
        tomorrow = date.today() + timedelta(days=1)
        await pilot.press(*f"{tomorrow:%d%m%y}-4123", "enter", *"A", "enter", *"B", "enter")
        assert "fremtiden" in str(app.screen.query_one("#cpr-error", Static).render())
        await pilot.press("escape")
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with session_scope(engine) as session:
        assert session.exec(select(Citizen)).all() == []
    engine.dispose()


async def test_empty_names_are_refused_next_to_the_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseworker_database(f"sqlite:///{tmp_path / 'y.sqlite3'}", monkeypatch)
    app = make_app(Settings(database_url=f"sqlite:///{tmp_path / 'y.sqlite3'}"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.viewer is not None  # a caseworker who could create a citizen
        await pilot.press("n", *"010190-1234", "ctrl+s")
        assert "Fornavn skal udfyldes" in str(
            app.screen.query_one("#first_name-error", Static).render()
        )
        assert "Efternavn skal udfyldes" in str(
            app.screen.query_one("#last_name-error", Static).render()
        )


async def test_the_advice_and_the_chosen_disciplines_are_recorded_by_keyboard() -> None:
    """A fleksjob case under the reform: F8 records the sundhedskoordinator's advice (given
    in writing, without a meeting), F9 the chair's choice of disciplines with its reason."""
    from rehabteam.models import HealthAdvice
    from rehabteam.screens.dialogs.form import FormDialog

    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        case = next(
            c
            for c in demo_rows(Case)
            if c.case_type in ("fleksjob", "foertidspension", "samlet_beskrivelse")
            and c.rule_set in ("reform2026a", "reform2026b")
            and c.status in ("forberedelse", "klar", "booket")
        )
        app.push_screen(PreparationScreen(case.id or 0))
        await settle(app, pilot)
        notes = str(app.screen.query_one("#notes", Static).render())
        assert "rådgivning" in notes and "kræves" in notes
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        given = date.today() - timedelta(days=3)
        app.screen.query_one(
            "#f-requested_on", Input
        ).value = f"{given - timedelta(days=9):%d.%m.%Y}"
        app.screen.query_one("#f-given_on", Input).value = f"{given:%d.%m.%Y}"
        app.screen.query_one("#f-advice", TextArea).focus()
        await pilot.press(
            *"Skånehensyn: korte dage", "tab", *"Sundhedskoordinator Region", "ctrl+s"
        )
        await settle(app, pilot)
        assert isinstance(app.screen, PreparationScreen)
        notes = str(app.screen.query_one("#notes", Static).render())
        assert f"givet {given:%d.%m.%Y} (skriftligt) af Sundhedskoordinator Region" in notes
        advice = demo_rows(HealthAdvice, case_id=case.id)[0]
        assert advice.advice == "Skånehensyn: korte dage" and advice.form == "skriftlig"
        # F9: the chair adds social, with the reason.
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        from textual.widgets import Checkbox

        app.screen.query_one("#f-social", Checkbox).value = True
        app.screen.query_one("#f-reason", TextArea).focus()
        await pilot.press(*"Boligsituationen", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PreparationScreen)
        notes = str(app.screen.query_one("#notes", Static).render())
        assert "Social, valgt af mødelederen fordi: Boligsituationen" in notes
    assert demo_rows(Case, id=case.id)[0].chosen_disciplines == "social"
