"""No case, meeting or citizen is shown before it is known who is looking, however the start's
threads (the first look, the database, the integrity check) happen to interleave: the same
start, fifty times, run in parallel by `make test`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from rehabteam.app import make_app
from rehabteam.screens.dialogs.prompts import ChoicePrompt
from rehabteam.screens.home import HomeScreen
from rehabteam.settings import Settings

STRANGER = "ny.kollega"  # an OS login no staff member has


@pytest.fixture(scope="session")
def team_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo team as a real team's database (no demo flag), seeded once per worker."""
    from rehabteam.db import make_engine, migrate, session_scope
    from rehabteam.models import AppMeta
    from rehabteam.rules import load_rulebook
    from rehabteam.services.demo import seed_demo

    path = tmp_path_factory.mktemp("race") / "team.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine, write=True) as session:
        seed_demo(session=session, rulebook=load_rulebook())
        session.delete(session.get(AppMeta, "demo"))
    engine.dispose()
    return path


@pytest.mark.parametrize("run", range(50))
async def test_nothing_is_listed_before_the_person_is_known(
    run: int, team_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.sqlite3"
    shutil.copy(team_file, path)
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: STRANGER)
    monkeypatch.setattr("rehabteam.services.first_look.os_login", lambda: STRANGER)
    app = make_app(Settings(database_url=f"sqlite:///{path}"))
    async with app.run_test(size=(120, 40)) as pilot:
        seen: list[int] = []
        for _ in range(300):
            for screen in app.screen_stack:
                if isinstance(screen, HomeScreen) and screen.is_mounted:
                    seen.append(
                        screen.query_one("#cases", DataTable).row_count
                        + screen.query_one("#meetings", DataTable).row_count
                    )
            if isinstance(app.screen, ChoicePrompt):
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, ChoicePrompt), "the profile question never came"
        await pilot.pause(0.2)  # and nothing arrives behind the question either
        home = app.screen_stack[-2]
        assert isinstance(home, HomeScreen)
        seen.append(home.query_one("#cases", DataTable).row_count)
        assert seen and set(seen) == {0}
        assert app.viewer is None
