"""The application driven by keyboard through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from rehabteam.app import make_app
from rehabteam.db import make_engine, session_scope
from rehabteam.models import Citizen
from rehabteam.screens.citizen import CitizenScreen
from rehabteam.screens.dialogs.new_citizen import NewCitizenDialog
from rehabteam.screens.home import HomeScreen
from rehabteam.settings import Settings
from tests.people import add_staff, add_team, as_staff
from tests.pilot import settle, until

LOGIN = "sb.test"  # the operating-system login of the person at the keyboard in these tests


def cell_texts(table: DataTable[Any]) -> list[str]:
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def logged_in_as(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    """The OS login the app (and its first look at the file) identifies the person by."""
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: login)
    monkeypatch.setattr("rehabteam.services.first_look.os_login", lambda: login)


def own_database(url: str) -> Engine:
    """A real team's database (no demo flag) with one sagsbehandler whose login is LOGIN."""
    from rehabteam.db import migrate

    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine, write=True) as session:
        add_staff(session, "SB", team_id=add_team(session), login=LOGIN)
    return engine


async def test_first_paint_does_not_wait_for_the_database(tmp_path: Path) -> None:
    app = make_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.sqlite3'}"))
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await settle(app, pilot)
        assert app.engine is not None


async def test_demo_home_shows_upcoming_meetings_and_open_cases() -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        banner = screen.query_one("#demo-banner", Static)
        assert banner.display and "fiktive" in str(banner.render())
        meetings = cell_texts(screen.query_one("#meetings", DataTable))
        assert len(meetings) == 2 and "i dag" in meetings[0] and "5/5" in meetings[0]
        cases = cell_texts(screen.query_one("#cases", DataTable))
        assert len(cases) == 30  # open cases only (29 and the genforelæggelse case)
        assert any("Hans Jørgensen" in row and "120381-xxxx" in row for row in cases)
        assert all("-xxxx" in row for row in cases)


async def test_search_as_you_type_narrows_the_cases(tmp_path: Path) -> None:
    app = make_app(Settings(), demo=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"hans j")
        await pilot.pause(0.3)  # the search runs once typing pauses
        await settle(app, pilot)
        rows = cell_texts(app.screen.query_one("#cases", DataTable))
        assert len(rows) == 1 and "Hans Jørgensen" in rows[0]
        assert "1 af 1" in str(app.screen.query_one("#cases-status", Static).render())
        await pilot.press("escape")
        assert isinstance(app.focused, DataTable)


async def test_new_citizen_dialog_rejects_a_bad_cpr_then_creates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    own_database(url).dispose()
    logged_in_as(monkeypatch, LOGIN)
    app = make_app(Settings(database_url=url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NewCitizenDialog)
        await pilot.press(*"311399-1234", "enter", *"Hans", "enter", *"Jørgensen", "enter")
        error = str(app.screen.query_one("#cpr-error", Static).render())
        assert "Ugyldigt CPR-nummer" in error and "gyldig fødselsdato" in error
        assert isinstance(app.screen, NewCitizenDialog)
        cpr = app.screen.query_one("#cpr", Input)
        cpr.value = ""
        cpr.focus()
        await pilot.press(*"120381-1233", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CitizenScreen)  # straight on to the new citizen
    engine = make_engine(url)
    with session_scope(engine) as session:
        stored = session.exec(select(Citizen)).all()
    engine.dispose()
    assert [(c.first_name, c.last_name, c.cpr) for c in stored] == [
        ("Hans", "Jørgensen", "1203811233")
    ]


async def test_a_corrupt_database_is_reported_on_screen(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 500)
    app = make_app(Settings(database_url=f"sqlite:///{bad}"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.engine is None
        assert "beskadiget" in str(app.screen.query_one("#cases-status", Static).render())
    assert bad.read_bytes() == b"not a database" * 500


async def test_escape_codes_in_stored_names_never_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    from datetime import date

    from rehabteam.models.enums import CaseType
    from rehabteam.models.inputs import CaseCreate
    from rehabteam.rules import load_rulebook
    from rehabteam.services.cases import create_case

    engine = own_database(url)
    with session_scope(engine, write=True) as session:
        me = as_staff(session, "SB")
        # Written past the input validation, as another tool or an old version might have.
        citizen = Citizen(
            cpr="0101901234",
            first_name="Evil\x1b]0;owned\x07[@click=app.quit]",
            last_name="X\u202eY",
            search_name="evil",
            birth_date=date(1990, 1, 1),
            gender="kvinde",
            registered_by_id=me.staff_id,
        )
        session.add(citizen)
        session.flush()
        create_case(
            session=session,
            rulebook=load_rulebook(),
            data=CaseCreate(
                citizen_id=citizen.id,
                case_type=CaseType.FLEKSJOB,
                referral_date=date(2026, 1, 2),
                sagsbehandler_id=me.staff_id,
            ),
            viewer=me,
        )
    engine.dispose()
    logged_in_as(monkeypatch, LOGIN)
    app = make_app(Settings(database_url=url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        row = cell_texts(app.screen.query_one("#cases", DataTable))[0]
        assert "\x1b" not in row and "\x07" not in row and "\u202e" not in row
        assert "[@click=app.quit]" in row  # shown literally, not run as markup
        assert app.is_running


async def test_the_audit_trail_screen_is_for_administrators() -> None:
    from rehabteam.screens.audit_log import AuditLogScreen

    app = make_app(Settings(user="AP"), demo=True)  # Anne Post, administrator
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AuditLogScreen)
        assert "intakt" in str(app.screen.query_one("#chain", Static).render())
        assert app.screen.query_one("#entries", DataTable).row_count >= 1
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert "Kun en administrator" in str(app.screen.query_one("#chain", Static).render())
        assert app.screen.query_one("#entries", DataTable).row_count == 0


def team_database(tmp_path: Path) -> str:
    """The demo team's data as a real team's database (no demo flag: no Mette Lund default;
    none of its people has a login yet)."""
    from rehabteam.db import migrate
    from rehabteam.models import AppMeta
    from rehabteam.rules import load_rulebook
    from rehabteam.services.demo import seed_demo

    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine, write=True) as session:
        seed_demo(session=session, rulebook=load_rulebook())
        session.delete(session.get(AppMeta, "demo"))
    engine.dispose()
    return url


NEWCOMER = "ny.kollega"  # an OS login no staff member has


def open_cases_of(url: str, initials: str) -> set[str]:
    """The case numbers of the open cases the staff member with these initials may see."""
    from rehabteam.models import Case
    from rehabteam.models.enums import OPEN_CASE_STATUSES
    from rehabteam.services.access import on_case

    engine = make_engine(url)
    open_statuses = {s.value for s in OPEN_CASE_STATUSES}
    with session_scope(engine) as s:
        viewer = as_staff(s, initials)
        found = {
            c.case_number
            for c in s.exec(select(Case))
            if c.status in open_statuses and on_case(s, c, viewer)
        }
    engine.dispose()
    return found


def assert_bound(url: str, initials: str, login: str) -> None:
    """The profile now has the login, and the binding is in the audit trail under it."""
    from rehabteam.models import AuditEvent, StaffMember

    engine = make_engine(url)
    with session_scope(engine) as s:
        member = s.exec(select(StaffMember).where(StaffMember.initials == initials)).one()
        bound = s.exec(select(AuditEvent).where(AuditEvent.entity == "staff_login")).all()
        others = s.exec(select(StaffMember).where(StaffMember.login == login)).all()
    engine.dispose()
    assert member.login == login and [m.id for m in others] == [member.id]
    assert [(e.entity_id, e.actor_id, e.actor_login, e.detail) for e in bound] == [
        (member.id, member.id, login, "bound")
    ]


async def test_an_unknown_user_picks_their_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rehabteam.screens.dialogs.prompts import ChoicePrompt

    url = team_database(tmp_path)
    logged_in_as(monkeypatch, NEWCOMER)
    app = make_app(Settings(database_url=url))
    async with app.run_test(size=(150, 40)) as pilot:
        looks: list[int] = []  # case rows on the home screen at each moment before the choice
        for _ in range(150):
            await pilot.pause(0.02)
            for screen in app.screen_stack:
                if isinstance(screen, HomeScreen) and screen.is_mounted:
                    looks.append(screen.query_one("#cases", DataTable).row_count)
            if isinstance(app.screen, ChoicePrompt):
                break
        await settle(app, pilot)
        assert looks and set(looks) == {0}
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        # Only profiles without a login that decide nothing about access: no administrator
        # (Anne Post), no mødeleder (Mette Lund).
        offered = [value.initials for _label, value in prompt.options]
        assert offered and "AP" not in offered and "ML" not in offered
        assert set(offered) == {"AR", "BV", "HS", "IH", "KB", "LD", "PN", "SK"}  # no referent JB
        assert NEWCOMER in prompt.title_text
        # Behind the question, no case list: it depends on who is looking.
        home = app.screen_stack[-2]
        assert home.query_one("#cases", DataTable).row_count == 0
        status = str(home.query_one("#cases-status", Static).render())
        assert "Du kan ikke se noget endnu" in status and NEWCOMER in status
        assert app.viewer is None
        first = prompt.options[0][1]
        await pilot.press("enter")  # the first person in the list
        await until(pilot, lambda: app.viewer is not None)
        await settle(app, pilot)
        assert app.viewer is not None and app.viewer.staff_id == first.id
        assert app.viewer.login == NEWCOMER and first.name in app.sub_title
        assert isinstance(app.screen, HomeScreen)
        expected = open_cases_of(url, first.initials)
        status = str(app.screen.query_one("#cases-status", Static).render())
        # the cases that person may see, not the team's 27
        assert f"{len(expected)} af {len(expected)}" in status and 0 < len(expected) < 27
        shown = {
            row.split(" | ")[0] for row in cell_texts(app.screen.query_one("#cases", DataTable))
        }
        assert shown == expected
    assert_bound(url, first.initials, NEWCOMER)


async def test_a_dismissed_profile_question_can_be_asked_again_from_the_palette(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rehabteam.screens.dialogs.prompts import ChoicePrompt

    url = team_database(tmp_path)
    logged_in_as(monkeypatch, NEWCOMER)
    app = make_app(Settings(database_url=url))
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("escape")  # not now
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and app.viewer is None
        assert app.screen.query_one("#cases", DataTable).row_count == 0
        status = str(app.screen.query_one("#cases-status", Static).render())
        assert "Du kan ikke se noget endnu" in status and "vælg din profil" in status
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Vælg, hvem")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        offered = [value.initials for _label, value in prompt.options]
        assert "AP" not in offered and "ML" not in offered
        first = prompt.options[0][1]
        await pilot.press("enter")
        await until(pilot, lambda: app.viewer is not None)
        await settle(app, pilot)
        assert app.viewer is not None and app.viewer.staff_id == first.id
        expected = open_cases_of(url, first.initials)
        assert app.screen.query_one("#cases", DataTable).row_count == len(expected) > 0
    assert_bound(url, first.initials, NEWCOMER)


async def test_a_broken_rules_file_is_reported_on_screen(tmp_path: Path) -> None:
    """The rule sets are read after the first data; a file that cannot be used closes the
    database with its message instead of ending the app."""
    bad = tmp_path / "regler.toml"
    bad.write_text('[[rule_set]]\nkey = "x"\nname_da = "x"\nname_en = "x"\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    app = make_app(Settings(database_url=url, rules_file=bad, user="ML"))
    async with app.run_test(size=(120, 40)) as pilot:

        def status() -> str:
            return str(app.screen.query_one("#cases-status", Static).render())

        await until(pilot, lambda: "regler.toml" in status())
        assert "regler.toml" in status()
        assert app.engine is None


async def test_a_refused_screen_explains_and_the_attempt_is_logged() -> None:
    from rehabteam.models import AuditEvent, Case
    from rehabteam.screens.preparation import PreparationScreen
    from rehabteam.services.access import on_case
    from rehabteam.services.startup import demo_database_url

    app = make_app(Settings(user="BV"), demo=True)  # the UU guidance counsellor
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        engine = make_engine(demo_database_url())
        with session_scope(engine) as s:
            bv = as_staff(s, "BV")
            case = next(c for c in s.exec(select(Case)) if not on_case(s, c, bv))
        app.push_screen(PreparationScreen(case.id or 0))
        await until(pilot, lambda: app._notifications)
        shown = [n.message for n in app._notifications]
        assert any("adgang" in m and case.case_number in m for m in shown)
        with session_scope(engine) as s:
            denied = s.exec(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        engine.dispose()
        assert [(e.case_id, e.actor_id) for e in denied] == [(case.id, bv.staff_id)]


async def test_an_unexpected_failure_in_a_screen_is_reported_and_the_app_goes_on() -> None:
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen.call_service(lambda _s, _v: 1 / 0, lambda _r: None, group="boom")
        await until(pilot, lambda: app._notifications)
        shown = [n.message for n in app._notifications]
        assert shown and "uventet fejl" in shown[0] and "ZeroDivision" not in shown[0]
        await pilot.press("m")  # still answering keys
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MeetingsScreen"


async def test_the_home_list_shows_only_the_cases_one_may_see() -> None:
    """Need-to-know in the lists too: a member of the team sees the team's open cases;
    the UU counsellor, who is on no meeting and no case, sees none of their names."""
    from rehabteam.models import Case
    from rehabteam.services.access import on_case
    from rehabteam.services.startup import demo_database_url

    seen: dict[str, list[str]] = {}
    for user in ("ML", "BV"):
        app = make_app(Settings(user=user), demo=True)
        async with app.run_test(size=(150, 45)) as pilot:
            await settle(app, pilot)
            seen[user] = cell_texts(app.screen.query_one("#cases", DataTable))
    assert len(seen["ML"]) == 30
    engine = make_engine(demo_database_url())
    with session_scope(engine) as s:
        bv = as_staff(s, "BV")
        allowed = {c.case_number for c in s.exec(select(Case)) if on_case(s, c, bv)}
    engine.dispose()
    shown = {row.split(" | ")[0] for row in seen["BV"] if "Ingen" not in row}
    assert shown <= allowed and len(seen["BV"]) < len(seen["ML"])


async def test_a_refilled_table_has_its_columns_widths_before_the_next_frame() -> None:
    """A cases list stayed cut to its headings' widths ("Sagsnr." over "2026-00", the CPR
    column 3 wide) when a frame was drawn between the rows' arrival and DataTable's idle-time
    measuring (seen once in twenty runs of the suite). refill gives the widths at once."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from rehabteam.widgets.safe import safe_cell
    from rehabteam.widgets.tables import refill

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(id="t")

    app = Bare()
    async with app.run_test(size=(120, 20)):
        table = app.query_one(DataTable)
        table.add_column("Sagsnr.", key="n")
        table.add_column("CPR", key="cpr")
        refill(table, [("1", [safe_cell("2026-00015"), safe_cell("120698-xxxx")])])
        widths = [c.get_render_width(table) - 2 * table.cell_padding for c in table.ordered_columns]
        assert widths == [10, 11]  # no await in between: before any idle-time measuring
