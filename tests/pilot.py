"""Helpers for the Pilot tests."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual.widgets import DataTable
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from rehabteam.app import RehabApp


async def settle(app: RehabApp, pilot: Any, seconds: float = 5.0) -> None:
    """Wait until the database is open and every worker has finished, including the ones a
    finished worker started (a loaded agenda opens its case): data shown, saves landed."""
    await until(pilot, lambda: app.engine is not None, seconds)
    await until(pilot, lambda: app.key_hold.idle, seconds)  # the keys typed have arrived
    for _ in range(10):
        for worker in list(app.workers):
            with suppress(WorkerCancelled, WorkerFailed):  # a newer search replaced it
                await worker.wait()
        await pilot.pause()
        if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
            return


async def until(pilot: Any, condition: Callable[[], object], seconds: float = 3.0) -> None:
    """Let the app run until `condition()` holds (or `seconds` pass; the test's own
    assertion then says what did not happen)."""
    for _ in range(int(seconds / 0.03)):
        await pilot.pause(0.03)
        if condition():
            return


def shown(app: RehabApp) -> object:
    """The screen on top now (typed loosely, so a test may compare it after the app has
    moved on from a screen it checked before)."""
    return app.screen


def rows(app: RehabApp, table_id: str) -> list[str]:
    """The rows of a DataTable on the current screen, cells joined by " | "."""
    table = app.screen.query_one(table_id, DataTable)
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def demo_rows(model: type, **where: object) -> list[Any]:
    """Rows of `model` in the demo database the app under test opened, filtered by equality."""
    from sqlmodel import select

    from rehabteam.db import make_engine, session_scope
    from rehabteam.services.startup import demo_database_url

    engine = make_engine(demo_database_url())
    with session_scope(engine) as session:
        stmt: Any = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        found = list(session.exec(stmt).all())
    engine.dispose()
    return found
