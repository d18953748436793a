"""Noticing that someone else saved something, so open screens can show it.

- PostgreSQL: LISTEN on the schema's channel; every change to a case's or a meeting's data
  NOTIFYs it (a statement trigger, migration 0008), with only the table's name as payload.
- SQLite: `PRAGMA data_version` on a connection of its own changes whenever another
  connection commits; it is read twice a second (a cheap read of the file's header).

`watch` calls `on_change` (from its own thread) at most once per `quiet` seconds; a change
within that time is not dropped but reported when it is over.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine

log = logging.getLogger(__name__)
CHANNEL = "rehabteam_changes"


class Watcher:
    def __init__(self, stop: threading.Event, thread: threading.Thread) -> None:
        self._stop, self._thread = stop, thread

    def stop(self) -> None:
        self._stop.set()


def channel_for(schema: str) -> str:
    return f"{CHANNEL}_{schema}"[:63]


class _Coalesced:
    """Changes seen (`seen`), reported (`flush`) no more than once per `quiet` seconds."""

    def __init__(self, on_change: Callable[[], None], quiet: float) -> None:
        self.on_change, self.quiet = on_change, quiet
        self.pending, self.last = False, 0.0

    def seen(self) -> None:
        self.pending = True
        self.flush()

    def flush(self) -> None:
        now = time.monotonic()
        if self.pending and now - self.last >= self.quiet:
            self.pending, self.last = False, now
            self.on_change()


def watch(
    engine: Engine, on_change: Callable[[], None], *, interval: float = 0.5, quiet: float = 0.5
) -> Watcher:
    stop = threading.Event()
    changes = _Coalesced(on_change, quiet)
    target = _listen if engine.dialect.name == "postgresql" else _poll
    thread = threading.Thread(
        target=target, args=(engine, changes, stop, interval), name="rehabteam-changes", daemon=True
    )
    thread.start()
    return Watcher(stop, thread)


def _poll(engine: Engine, changes: _Coalesced, stop: threading.Event, interval: float) -> None:
    from rehabteam.db import sqlite_path

    path = sqlite_path(str(engine.url))
    if path is None:
        return
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        log.warning("cannot watch the database for changes", exc_info=True)
        return
    try:
        seen = connection.execute("PRAGMA data_version").fetchone()[0]
        while not stop.wait(interval):
            try:
                version = connection.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                continue  # locked for a moment, or closing: try again
            if version != seen:
                seen = version
                changes.seen()
            changes.flush()
    finally:
        connection.close()


def _listen(engine: Engine, changes: _Coalesced, stop: threading.Event, interval: float) -> None:
    import psycopg

    url = engine.url.set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    while not stop.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                schema = conn.execute("SELECT current_schema()").fetchone()
                assert schema is not None
                conn.execute(f'LISTEN "{channel_for(str(schema[0]))}"')
                while not stop.is_set():
                    for _note in conn.notifies(timeout=interval, stop_after=1):
                        changes.seen()
                    changes.flush()
        except Exception:
            log.warning("lost the database's change notifications; listening again", exc_info=True)
            stop.wait(5)
