"""Shared fixtures: a private data folder per test, migrated SQLite and PostgreSQL engines."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from rehabteam.db import make_engine, migrate
from rehabteam.i18n import set_language
from rehabteam.rules import RuleBook, load_rulebook

PG_ENV = "REHABTEAM_TEST_POSTGRES_URL"


@contextmanager
def teardown_lock(conn: Any) -> Iterator[None]:
    """One test session's clean-up at a time across the server: dropping a schema (and the
    roles granted on it) while another session drops its own deadlocked on the catalogue
    they share (two pytest runs on one server). Not a product path: a municipality's schema
    is not dropped beside another's."""
    conn.execute(text("SELECT pg_advisory_lock(731600)"))
    try:
        yield
    finally:
        conn.execute(text("SELECT pg_advisory_unlock(731600)"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's own settings, data folder or colour preferences."""
    for name in list(os.environ):
        if name.startswith("REHABTEAM_") and name != PG_ENV:
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("REHABTEAM_DATA_DIR", str(tmp_path / "data"))
    set_language("da")
    yield
    set_language("da")


@pytest.fixture
def rulebook() -> RuleBook:
    return load_rulebook()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'test.sqlite3'}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(sqlite_url)
    migrate(eng)
    yield eng
    eng.dispose()


def postgres_base_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} must be set in CI: the PostgreSQL tests may not be skipped")
        pytest.skip(f"{PG_ENV} not set")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL on a fresh schema of the test PostgreSQL database, dropped afterwards."""
    base = postgres_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn, teardown_lock(conn):
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    eng = make_engine(pg_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on SQLite and on PostgreSQL."""
    name = "engine" if request.param == "sqlite" else "pg_engine"
    engine: Engine = request.getfixturevalue(name)
    return engine


@pytest.fixture
def team(pg_url: str, pg_engine: Engine, rulebook: RuleBook) -> Iterator[object]:
    """The demo team on PostgreSQL, each person with a login of their own (tests/pg_team.py)."""
    from tests.pg_team import make_team

    yield from make_team(pg_url, pg_engine, rulebook)
