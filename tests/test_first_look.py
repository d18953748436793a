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

from rehabteam.db import make_engine, session_scope, sqlite_path
from rehabteam.models.enums import OPEN_CASE_STATUSES
from rehabteam.rules import RuleBook
from rehabteam.services.cases import count_cases, list_cases
from rehabteam.services.first_look import FirstLook, first_look, sqlite_file
from rehabteam.services.identity import identify
from rehabteam.services.meetings import list_meetings
from rehabteam.services.staff import list_staff
from rehabteam.services.startup import demo_database_url, fresh_demo_database
from tests.people import as_staff

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
MEETING_FIELDS: tuple[str, ...] = (
    "id",
    "team",
    "date",
    "start",
    "end",
    "place",
    "video_link",
    "status",
)
MEETING_FIELDS += ("case_count", "capacity")


def shown(rows: Sequence[object], fields: tuple[str, ...]) -> list[tuple[object, ...]]:
    return [tuple(getattr(row, name) for name in fields) for row in rows]


def _look(url: str, user: str = "ML", limit: int = 200) -> FirstLook | None:
    return first_look(url, user=user, today=TODAY, case_limit=limit)


def test_the_same_rows_as_the_services_for_everyone_on_the_demo_team(demo: Engine) -> None:
    statuses = list(OPEN_CASE_STATUSES)
    with session_scope(demo) as session:
        staff = list_staff(session=session)
        assert len(staff) > 5
        seen_counts, seen_meetings = set(), set()
        for person in staff:
            viewer = as_staff(session, person.initials)
            expected = list_cases(session=session, statuses=statuses, limit=10, viewer=viewer)
            total = count_cases(session=session, statuses=statuses, viewer=viewer)
            meetings = list_meetings(session=session, from_date=TODAY, limit=50, viewer=viewer)
            look = _look(demo_database_url(), user=person.initials, limit=10)
            assert look is not None and look.actor_id == person.id and look.demo
            assert look.total_cases == total
            seen_counts.add(total)
            seen_meetings.add(len(meetings))
            assert shown(look.cases, CASE_FIELDS) == shown(expected, CASE_FIELDS), person.initials
            assert shown(look.meetings, MEETING_FIELDS) == shown(meetings, MEETING_FIELDS)
            assert all("-xxxx" in c.cpr_masked for c in look.cases)
    # The need-to-know condition is applied: not everyone sees the same cases and meetings
    # (the administrator, on no case, sees none).
    assert len(seen_counts) > 2 and 0 in seen_counts
    assert len(seen_meetings) > 1


def _set(path: Path, sql: str, *params: object) -> None:
    with sqlite3.connect(path) as db:
        db.execute(sql, params)
    db.close()


def _id(engine: Engine, initials: str) -> int:
    return as_staff(engine, initials).staff_id


def test_on_the_demo_database_rehabteam_user_names_the_profile(demo: Engine) -> None:
    """Initials (in any case) or a login; nobody named is Mette Lund; an unknown or inactive
    profile is nobody (the services then say why)."""
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    sofie, mette = _id(demo, "SK"), _id(demo, "ML")
    demo.dispose()
    _set(path, "UPDATE staff_member SET login = 'sofie' WHERE id = ?", sofie)
    engine = make_engine(demo_database_url())
    try:
        for user, expected in (("", mette), ("ML", mette), ("sk", sofie), ("sofie", sofie)):
            look = _look(demo_database_url(), user=user)
            assert look is not None and look.demo and look.actor_id == expected, user
            with session_scope(engine) as session:  # whom the services then act as
                viewer = identify(session=session, claimed=user, demo=True).viewer
            assert viewer is not None and viewer.staff_id == expected
    finally:
        engine.dispose()
    assert _look(demo_database_url(), user="ZZ") is None
    _set(path, "UPDATE staff_member SET active = 0 WHERE id = ?", sofie)
    assert _look(demo_database_url(), user="SK") is None


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


def _log_in_as(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    """The operating-system login of the process, as the first look and the services see it."""
    monkeypatch.setattr("rehabteam.services.first_look.os_login", lambda: login)
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: login)


def test_elsewhere_only_the_os_login_counts(demo: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a demo database: the OS login matched to a staff member's login, as
    `identity.identify` does it; REHABTEAM_USER is no way in, and nobody is Mette Lund."""
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    sofie = _id(demo, "SK")
    demo.dispose()
    _set(path, "DELETE FROM app_meta WHERE key = 'demo'")  # no Mette Lund fallback
    _set(path, "UPDATE staff_member SET login = 'sofie' WHERE id = ?", sofie)
    _log_in_as(monkeypatch, "nobody-here")
    for user in ("", "ML", "sk", "sofie"):  # initials or a login claimed: ignored
        assert _look(demo_database_url(), user=user) is None, user
    _log_in_as(monkeypatch, "sofie")
    looks = [_look(demo_database_url(), user=user) for user in ("", "ML")]
    assert all(look is not None and not look.demo and look.actor_id == sofie for look in looks)
    engine = make_engine(demo_database_url())
    try:
        with session_scope(engine) as session:
            identity = identify(session=session, claimed="ML", demo=False)
            assert identity.viewer is not None and identity.viewer.staff_id == sofie
            expected = count_cases(
                session=session, statuses=list(OPEN_CASE_STATUSES), viewer=identity.viewer
            )
        assert [look.total_cases for look in looks if look] == [expected, expected]
    finally:
        engine.dispose()
    _log_in_as(monkeypatch, "SK")  # initials are not a login
    assert _look(demo_database_url()) is None
    _set(path, "UPDATE staff_member SET active = 0 WHERE id = ?", sofie)
    _log_in_as(monkeypatch, "sofie")
    assert _look(demo_database_url()) is None


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


def test_a_damaged_schema_gives_nothing_even_when_its_message_is_not_text(demo: Engine) -> None:
    path = Path(demo_database_url().removeprefix("sqlite:///"))
    demo.dispose()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA writable_schema=ON")
    db.execute(
        "UPDATE sqlite_schema SET sql = CAST(X'435245415445FF20' AS TEXT) "
        "WHERE name = 'ix_case_open_referral'"
    )
    db.close()
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
        assert len(first) == 30 and all("-xxxx" in row for row in first)
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
        assert app.screen.query_one("#cases", DataTable).row_count == 30
        release.set()
        await until_cases_listed(app, pilot, False)
        assert app.screen.query_one("#cases", DataTable).row_count == 0
        assert app.screen.query_one("#meetings", DataTable).row_count == 0
        status = str(app.screen.query_one("#cases-status", Static).render())
        assert "beskadiget" in status
