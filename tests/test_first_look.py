"""The home screen's first look: the same rows as the services, read without the ORM, and
nothing at all where that would not be safe."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from rehabteam.db import session_scope, sqlite_path
from rehabteam.models.enums import OPEN_CASE_STATUSES
from rehabteam.rules import RuleBook
from rehabteam.services.cases import count_cases, list_cases
from rehabteam.services.first_look import FirstLook, first_look, sqlite_file
from rehabteam.services.meetings import list_meetings
from rehabteam.services.staff import list_staff
from rehabteam.services.startup import demo_database_url, fresh_demo_database

TODAY = date.today()


@pytest.fixture
def demo(rulebook: RuleBook) -> Iterator[Engine]:
    engine = fresh_demo_database(rulebook)
    yield engine
    engine.dispose()


CASE_FIELDS = (
    "id",
    "case_number",
    "citizen_name",
    "cpr_masked",
    "case_type",
    "status",
    "referral_date",
    "sagsbehandler",
)
MEETING_FIELDS = ("id", "team", "date", "start", "end", "place", "video_link", "status")
MEETING_FIELDS += ("case_count", "capacity")


def shown(rows: Sequence[object], fields: tuple[str, ...]) -> list[tuple[object, ...]]:
    return [tuple(getattr(row, name) for name in fields) for row in rows]


def _look(url: str, user: str = "ML", limit: int = 200) -> FirstLook | None:
    return first_look(url, user=user, today=TODAY, case_limit=limit)


def test_the_same_rows_as_the_services_for_everyone_on_the_demo_team(demo: Engine) -> None:
    statuses = list(OPEN_CASE_STATUSES)
    with session_scope(demo) as session:
        staff = list_staff(session=session)
        meetings = list_meetings(session=session, from_date=TODAY, limit=50)
        assert len(staff) > 5
        seen_counts = set()
        for person in staff:
            expected = list_cases(session=session, statuses=statuses, limit=10, actor_id=person.id)
            total = count_cases(session=session, statuses=statuses, actor_id=person.id)
            look = _look(demo_database_url(), user=person.initials, limit=10)
            assert look is not None and look.actor_id == person.id and look.demo
            assert look.total_cases == total
            seen_counts.add(total)
            assert shown(look.cases, CASE_FIELDS) == shown(expected, CASE_FIELDS)
            assert shown(look.meetings, MEETING_FIELDS) == shown(meetings, MEETING_FIELDS)
    # The need-to-know condition is applied: not everyone sees the same number of cases.
    assert len(seen_counts) > 1
    assert all("-xxxx" in c.cpr_masked for c in look.cases)


def test_the_url_forms_match_the_database_layer(tmp_path: Path) -> None:
    for url in (
        f"sqlite:///{tmp_path}/a.sqlite3",
        "sqlite:///relative/b.sqlite3",
        f"sqlite+pysqlite:///{tmp_path}/c%20d.sqlite3",
        f"sqlite:///{tmp_path}/e.sqlite3?timeout=5",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ):
        assert sqlite_file(url) == sqlite_path(url), url


def test_nothing_without_a_sqlite_file(tmp_path: Path) -> None:
    assert _look("postgresql+psycopg://postgres@127.0.0.1:5432/test") is None
    assert _look("sqlite://") is None
    missing = tmp_path / "never.sqlite3"
    assert _look(f"sqlite:///{missing}") is None
    assert not missing.exists()  # read-only: never created


def test_nothing_for_a_file_at_another_schema_revision(demo: Engine) -> None:
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    demo.dispose()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0003'")
    assert _look(demo_database_url()) is None  # the full way migrates it first
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    assert _look(demo_database_url()) is None  # and refuses a newer one


def test_nothing_when_nobody_is_recognised(demo: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    demo.dispose()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM app_meta WHERE key = 'demo'")  # no Mette Lund fallback
    monkeypatch.setattr("getpass.getuser", lambda: "nobody-here")
    assert _look(demo_database_url(), user="") is None
    assert _look(demo_database_url(), user="ZZ") is None
    look = _look(demo_database_url(), user="sk")  # initials in any case, as find_actor
    assert look is not None and not look.demo


def test_a_damaged_or_foreign_file_gives_nothing_and_stays_as_it_was(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.sqlite3"
    foreign.write_bytes(b"not a database at all " * 400)
    before = foreign.read_bytes()
    assert _look(f"sqlite:///{foreign}") is None
    assert foreign.read_bytes() == before


def test_a_damaged_page_gives_nothing(demo: Engine) -> None:
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    demo.dispose()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page after the first one scrambled
        data[start + 8 : start + page] = os.urandom(page - 8)
    path.write_bytes(bytes(data))
    assert _look(demo_database_url()) is None


def test_a_locked_file_gives_way_at_once(demo: Engine) -> None:
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    demo.dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        assert _look(demo_database_url()) is None
        assert time.monotonic() - started < 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def until_cases_listed(app: Any, pilot: Any, listed: bool) -> None:
    from textual.widgets import DataTable

    from tests.pilot import until

    await until(pilot, lambda: bool(app.screen.query_one("#cases", DataTable).row_count) is listed)


async def test_the_home_screen_shows_the_first_look_until_the_services_replace_it(
    demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the database layer held back, the list is already there; once the database is
    open the services' rows replace it and the cursor stays on its case."""
    from textual.widgets import DataTable, Static

    import rehabteam.services.startup as startup
    from rehabteam.app import make_app
    from rehabteam.settings import Settings
    from tests.pilot import rows, settle

    demo.dispose()
    release = threading.Event()
    real_open = startup.open_database

    def held_open(url: str, **kwargs: object) -> Engine:
        release.wait(10)
        return real_open(url, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(startup, "open_database", held_open)
    app = make_app(Settings(database_url=demo_database_url(), user="ML"))
    async with app.run_test(size=(130, 40)) as pilot:
        await until_cases_listed(app, pilot, True)
        assert app.engine is None
        first = rows(app, "#cases")
        assert len(first) == 27 and all("-xxxx" in row for row in first)
        assert len(rows(app, "#meetings")) == 2
        assert app.screen.query_one("#demo-banner", Static).display
        await pilot.press("down", "down", "down")
        table = app.screen.query_one("#cases", DataTable)
        under_cursor = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        release.set()
        await settle(app, pilot)
        assert app.engine is not None
        assert rows(app, "#cases") == first
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key == under_cursor


async def test_the_first_look_is_cleared_when_the_database_fails(
    demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable, Static

    import rehabteam.services.startup as startup
    from rehabteam.app import make_app
    from rehabteam.errors import UserError
    from rehabteam.settings import Settings

    demo.dispose()
    release = threading.Event()

    def failing_open(url: str, **kwargs: object) -> Engine:
        release.wait(10)
        raise UserError("Databasefilen er beskadiget.")

    monkeypatch.setattr(startup, "open_database", failing_open)
    app = make_app(Settings(database_url=demo_database_url(), user="ML"))
    async with app.run_test(size=(130, 40)) as pilot:
        await until_cases_listed(app, pilot, True)
        assert app.screen.query_one("#cases", DataTable).row_count == 27
        release.set()
        await until_cases_listed(app, pilot, False)
        assert app.screen.query_one("#cases", DataTable).row_count == 0
        assert app.screen.query_one("#meetings", DataTable).row_count == 0
        status = str(app.screen.query_one("#cases-status", Static).render())
        assert "beskadiget" in status
