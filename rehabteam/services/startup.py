"""Opening the database: checks, migrations, and the fresh demo database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from rehabteam.db import make_engine, migrate, session_scope, sqlite_path
from rehabteam.rules import RuleBook
from rehabteam.services.first_look import DEMO_FLAG
from rehabteam.settings import data_dir

__all__ = ["DEMO_FLAG", "demo_database_url", "fresh_demo_database", "is_demo", "open_database"]


def is_demo(*, session: Session) -> bool:
    from rehabteam.models import AppMeta

    return session.get(AppMeta, DEMO_FLAG) is not None


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.sqlite3'}"


def open_database(url: str, *, defer_integrity: bool = False, recheck_hours: float = 0) -> Engine:
    """An engine on `url`, checked (not corrupt, ours, not too new) and migrated to head.
    `defer_integrity`, `recheck_hours`: see `db.check_database`."""
    engine = make_engine(url)
    try:
        migrate(engine, defer_integrity=defer_integrity, recheck_hours=recheck_hours)
    except BaseException:
        engine.dispose()
        raise
    return engine


def fresh_demo_database(rulebook: RuleBook, *, today: date | None = None) -> Engine:
    """Delete and recreate the demo database, then fill it with the demo team."""
    url = demo_database_url()
    path = sqlite_path(url)
    assert path is not None
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    from rehabteam.services.demo import seed_demo

    engine = open_database(url)
    with session_scope(engine, write=True) as session:
        seed_demo(session=session, rulebook=rulebook, today=today)
    return engine
