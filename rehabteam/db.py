"""Engine, sessions and migrations.

SQLite is the embedded default; PostgreSQL is how several workstations share one database.
No engine is built at import and no tables are created outside Alembic.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import re
import sqlite3
import sys
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, ProgrammingError
from sqlmodel import Session

from rehabteam.errors import DatabaseProblem
from rehabteam.i18n import t
from rehabteam.migrations import HEAD_REVISION
from rehabteam.settings import ensure_private_dir

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for memory databases and other dialects."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def _precreate_private_file(path: Path) -> None:
    """SQLite would create the file world-readable; its -wal/-shm files copy this file's mode,
    so creating it 0600 first keeps all three owner-only."""
    ensure_private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the driver so BEGIN is emitted by the "begin" hook below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL only on a new file or one of ours: a foreign database is left exactly as it was
    # (the app then refuses it, saying it is not changed).
    tables = {
        name for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not tables or "alembic_version" in tables:
        cursor.execute("PRAGMA journal_mode=WAL")
    # Hand-typed assessments cannot be re-derived: fsync at every commit.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # Write transactions start IMMEDIATE (take the write lock up front), so a read-then-write
    # waits for busy_timeout instead of failing with "database is locked" half-way.
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url` with the pragmas and transaction behaviour this app relies on."""
    from rehabteam.models import load_all

    load_all()
    path = sqlite_path(url)
    if path is not None:
        _precreate_private_file(path)
    if url.startswith("sqlite"):
        # hide_parameters: an error's text never carries the values (CPR numbers, names).
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 5},
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)


def close_engine(engine: Engine) -> None:
    """Dispose of `engine`; on SQLite first let `PRAGMA optimize` refresh the planner's
    statistics where the queries of this session showed they are stale (SQLite's advice)."""
    check = _INTEGRITY.get(engine)
    sound = check is None or (check.done() and check.exception() is None)
    if is_sqlite(engine) and sound:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except DBAPIError as exc:  # locked by another workstation: harmless, said in one line
            log.warning("PRAGMA optimize skipped at close: %s", type(exc.orig).__name__)
    engine.dispose()


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error.

    `write=True` begins the transaction IMMEDIATE on SQLite. Objects stay readable after commit.
    """
    if write:
        wait_for_integrity(engine)
    with Session(engine, expire_on_commit=False) as session:
        try:
            if write:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            yield session
            session.commit()
        except (OperationalError, ProgrammingError, DataError) as exc:
            session.rollback()
            raise translate_db_error(exc) from exc
        except BaseException:
            session.rollback()
            raise


def translate_db_error(exc: DBAPIError) -> Exception:
    """A Danish (or English) message for the database faults users actually meet."""
    state = getattr(exc.orig, "sqlstate", None)
    if state == "42501":  # PostgreSQL: insufficient privilege (grants, policies, guards)
        from rehabteam.errors import AccessDenied

        return AccessDenied(t("db.permission"), entity="database")
    if state == "54000":  # the database's limit on CPR lookups
        return DatabaseProblem(t("citizen.too_many_lookups"))
    kept = re.search(r"kept (\d+) days", str(exc.orig))
    if state == "22023" and kept:
        return DatabaseProblem(t("audit.retention_floor", days=kept.group(1)))
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseProblem(t("db.locked"))
    if "not a database" in text or "malformed" in text:
        return DatabaseProblem(t("db.corrupt"))
    if "disk" in text and ("full" in text or "i/o" in text):
        return DatabaseProblem(t("db.disk_full"))
    if "readonly" in text or "read-only" in text:
        return DatabaseProblem(t("db.readonly"))
    return exc


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    # Today's stdout: alembic's default is the one of the moment alembic.config was first
    # imported (a test's captured stream, closed since: "I/O operation on closed file").
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _quick_check(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        raise DatabaseProblem(t("db.corrupt")) from exc
    if result != "ok":
        raise DatabaseProblem(t("db.corrupt"))


CHECKED_KEY = "integrity_checked_at"  # app_meta: when the file last passed a check (UTC)


def checked_recently(engine: Engine, hours: float) -> bool:
    """The file passed an integrity check less than `hours` ago (recorded in app_meta)."""
    if hours <= 0:
        return False
    try:
        with engine.connect() as conn:
            value = conn.exec_driver_sql(
                "SELECT value FROM app_meta WHERE key = ?", (CHECKED_KEY,)
            ).scalar()
        checked = datetime.fromisoformat(str(value)) if value else None
    except (sqlite3.DatabaseError, DBAPIError, ValueError):
        return False
    if checked is None or checked.tzinfo is None:
        return False
    age = datetime.now(UTC) - checked
    return timedelta(0) <= age < timedelta(hours=hours)


def note_checked(engine: Engine) -> None:
    """Record that the file passed a check now (skipped quietly where it cannot be written:
    it is then checked again next time)."""
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO app_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (CHECKED_KEY, datetime.now(UTC).isoformat(timespec="seconds")),
            )
    except (sqlite3.DatabaseError, DBAPIError, DatabaseProblem):
        log.info("could not record the integrity check", exc_info=True)


def full_check(engine: Engine) -> list[str]:
    """SQLite's full `integrity_check` (every page and index): the problems found, [] if
    none; recorded as a passed check when there are none."""
    try:
        with engine.connect() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        return [str(getattr(exc, "orig", exc))]
    problems = [r for r in rows if r != "ok"]
    if not problems:
        note_checked(engine)
    return problems


# Engines whose integrity check runs in the background: the verdict writes wait for.
_INTEGRITY: weakref.WeakKeyDictionary[Engine, Future[None]] = weakref.WeakKeyDictionary()


_READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "EXPLAIN")


def _writes_wait_for_integrity(
    conn: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    # Every statement that may change the file (the audit entry of a search too) waits.
    if not statement.lstrip().upper().startswith(_READS):
        wait_for_integrity(conn.engine)


def _check_integrity_in_background(engine: Engine) -> None:
    future: Future[None] = Future()
    _INTEGRITY[engine] = future
    if not event.contains(engine, "before_cursor_execute", _writes_wait_for_integrity):
        event.listen(engine, "before_cursor_execute", _writes_wait_for_integrity)

    def run() -> None:
        # Below the interface's priority: on a two-core workstation the check would
        # otherwise slow the first screen it runs beside (Linux: per thread).
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        try:
            _quick_check(engine)
        except BaseException as exc:  # handed to whoever waits
            future.set_exception(exc)
        else:
            future.set_result(None)
            note_checked(engine)  # after the verdict: this write waits for it too

    threading.Thread(target=run, name="rehabteam-integrity", daemon=True).start()


def wait_for_integrity(engine: Engine) -> None:
    """Block until a background integrity check of `engine` has passed; raise
    DatabaseProblem if it found damage. Returns at once when no check is pending."""
    future = _INTEGRITY.get(engine)
    if future is not None:
        future.result()


def _login(engine: Engine) -> str:
    return engine.url.username or getpass.getuser()  # libpq's default


def _tables_hidden_from_login(conn: Any) -> bool:
    """PostgreSQL: rehabteam's tables are in the schema, but this login may not read them
    (it is not a member of the team's role): the schema then looks empty to it."""
    from sqlalchemy import text

    path = str(conn.exec_driver_sql("SHOW search_path").scalar() or "")
    schemas = [s.strip().strip('"') for s in path.split(",") if s.strip() and "$user" not in s]
    hidden = conn.execute(
        text(
            "SELECT bool_or(NOT has_table_privilege(format('%I.%I', schemaname, tablename),"
            " 'SELECT')) FROM pg_catalog.pg_tables"
            " WHERE tablename = 'alembic_version' AND schemaname = ANY(:schemas)"
        ),
        {"schemas": schemas or ["public"]},
    ).scalar()
    return bool(hidden)


def _sqlite_open_problem(engine: Engine) -> DatabaseProblem | None:
    """Why an SQLite file could not be opened, said about the file and its folder (a file
    has no network: a read-only drive was reported as one)."""
    path = sqlite_path(str(engine.url))
    if path is None:
        return None
    folder = path.parent
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return DatabaseProblem(t("db.file_folder_missing", folder=str(folder)))
    if read_only:
        return DatabaseProblem(t("db.file_readonly_drive", path=str(path)))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.R_OK | os.W_OK)):
        return DatabaseProblem(t("db.file_no_access", path=str(path)))
    return DatabaseProblem(t("db.file_cannot_open", path=str(path)))


def check_database(
    engine: Engine, *, defer_integrity: bool = False, recheck_hours: float = 0
) -> str | None:
    """Refuse a database we must not write to: corrupt, not ours, or from a newer version.
    Returns its schema revision (None for an empty database).

    SQLite's quick_check reads the whole file (half a second on a large one). With
    `defer_integrity` and a database needing no migration it runs in the background instead:
    reading starts at once, and every write waits for the verdict (`wait_for_integrity`).
    A file that passed a check less than `recheck_hours` ago is not checked again (SQLite
    still refuses a damaged page it reads); the full check is `full_check`."""
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables and not is_sqlite(engine) and _tables_hidden_from_login(conn):
                raise DatabaseProblem(t("db.login_not_member", login=_login(engine)))
            if tables and "alembic_version" not in tables:
                raise DatabaseProblem(t("db.not_ours"))
            revision = (
                conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if tables
                else None
            )
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        if isinstance(exc, DBAPIError):
            translated = translate_db_error(exc)
            if isinstance(translated, DatabaseProblem):
                raise translated from exc
            if getattr(exc.orig, "sqlstate", None) == "42501":  # connected, not a member
                raise DatabaseProblem(t("db.login_not_member", login=_login(engine))) from exc
            raise (_sqlite_open_problem(engine) or DatabaseProblem(t("db.unreachable"))) from exc
        raise DatabaseProblem(t("db.corrupt")) from exc
    if is_sqlite(engine):
        if revision == HEAD_REVISION and checked_recently(engine, recheck_hours):
            pass  # passed a check recently: not before every start and command
        elif defer_integrity and revision == HEAD_REVISION:
            _check_integrity_in_background(engine)
        else:
            _quick_check(engine)
            if revision == HEAD_REVISION:
                note_checked(engine)
    if revision is not None and revision != HEAD_REVISION:
        from alembic.script import ScriptDirectory

        try:
            ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
        except Exception:
            raise DatabaseProblem(t("db.too_new")) from None
    return revision


def migrate(engine: Engine, *, defer_integrity: bool = False, recheck_hours: float = 0) -> None:
    """Bring the schema to the newest revision (Alembic). Safe to call at every start."""
    revision = check_database(engine, defer_integrity=defer_integrity, recheck_hours=recheck_hours)
    if revision == HEAD_REVISION:
        return
    from alembic import command

    from rehabteam.services.pg_roles import owns_schema, regrant_after_migration

    with engine.connect() as conn:
        if not owns_schema(conn):
            raise DatabaseProblem(t("db.needs_owner"))
        if is_sqlite(engine):
            # Batch migrations recreate tables; with foreign keys on, dropping a parent table
            # would cascade-delete its children. The pragma only works outside a transaction.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            command.upgrade(_alembic_config(conn), "head")
            regrant_after_migration(conn)
            conn.commit()
        finally:
            if is_sqlite(engine):
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
