"""The app on the shared PostgreSQL database, opened by a team login: it is that person, and
it shows what the database lets that login see (and nothing to a login nobody has)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from rehabteam.app import make_app
from rehabteam.db import session_scope
from rehabteam.screens.home import HomeScreen
from rehabteam.services.cases import list_cases
from rehabteam.services.meetings import list_meetings
from rehabteam.settings import Settings
from tests.people import as_staff
from tests.pg_team import Team
from tests.pilot import settle, until

pytestmark = pytest.mark.postgres


async def test_a_team_login_sees_its_own_cases_whatever_rehabteam_user_says(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REHABTEAM_USER", "ML")
    app = make_app(Settings(database_url=team.url("SK")))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.screen.query_one("#cases", DataTable).row_count > 0)
        assert app.viewer is not None and app.viewer.initials == "SK"
        assert app.viewer.login == team.logins["SK"]
        assert "Sofie Kjær" in app.sub_title
        home = app.screen
        assert isinstance(home, HomeScreen)
        shown = {str(k.value) for k in home.query_one("#cases", DataTable).rows}
        meetings = {str(k.value) for k in home.query_one("#meetings", DataTable).rows}
    with session_scope(team.owner) as session:
        sk = as_staff(session, "SK")
        open_for_sk = {
            str(c.id)
            for c in list_cases(session=session, viewer=sk, limit=200)
            if c.status in ("forberedelse", "klar", "booket", "behandlet")
        }
        from datetime import date

        upcoming = {
            str(m.id) for m in list_meetings(session=session, viewer=sk, from_date=date.today())
        }
    assert shown == open_for_sk and shown
    assert meetings == upcoming


async def test_a_login_nobody_has_sees_nothing_and_is_told_whom_to_ask(team: Team) -> None:
    app = make_app(Settings(database_url=team.url("nobody")))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        assert app.viewer is None
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#cases", DataTable).row_count == 0
        assert home.query_one("#meetings", DataTable).row_count == 0
        status = str(home.query_one("#cases-status", Static).render())
        assert "bed en administrator om at oprette dig" in status.lower()
        assert team.logins["nobody"] in status
        await pilot.press("b")  # the citizen search opens but finds no one
        await settle(app, pilot)
        assert app.screen.query_one("#citizens", DataTable).row_count == 0
