"""Backups of the SQLite database and restoring one.

A backup is one step of SQLite's backup API: a consistent copy even while others write (a
stepped backup restarts for ever under concurrent writes, and a file copy of a WAL database
is not a backup). Both the copy and a file to restore are checked with `integrity_check`.
A restore first keeps a copy of the current database, so nothing is lost by restoring.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from rehabteam.db import sqlite_path
from rehabteam.errors import DatabaseProblem, ExportExists, InvalidInput
from rehabteam.i18n import t
from rehabteam.settings import ensure_private_dir


def _database_file(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise InvalidInput(t("backup.not_sqlite"))
    if not path.exists():
        raise InvalidInput(t("backup.no_database", path=str(path)))
    return path


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """`source` into a new file at `target` (0600), checked, moved into place whole."""
    ensure_private_dir(target.parent)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination, pages=-1)  # one step: a consistent snapshot
            result = destination.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            destination.close()
        if result != "ok":
            raise DatabaseProblem(t("backup.check_failed", result=result))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def backup(*, url: str, target: Path, overwrite: bool = False) -> Path:
    database = _database_file(url)
    if target.exists() and not overwrite:
        raise ExportExists(t("export.exists", name=target.name))
    source = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        _copy(source, target)
    finally:
        source.close()
    return target


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not an intact rehabteam database."""
    if not path.exists():
        raise InvalidInput(t("backup.no_file", path=str(path)))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseProblem(t("backup.not_intact", path=path.name))
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise DatabaseProblem(t("backup.not_rehabteam", path=path.name)) from None
    if revision is None or not {"citizen", "rehab_case", "audit_event"} <= tables:
        raise DatabaseProblem(t("backup.not_rehabteam", path=path.name))
    from alembic.script import ScriptDirectory

    from rehabteam.db import _alembic_config

    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(revision[0])
    except Exception:
        raise DatabaseProblem(t("db.too_new")) from None


def restore(*, url: str, source: Path) -> Path:
    """Replace the database at `url` with `source`; the current one is kept beside it first.
    Returns the path of that safety copy."""
    check_backup_file(source)
    database = sqlite_path(url)
    if database is None:
        raise InvalidInput(t("backup.not_sqlite"))
    safety = database.with_name(
        f"{database.stem}.before-restore-{datetime.now():%Y%m%d-%H%M%S}{database.suffix}"
    )
    if database.exists():
        try:
            backup(url=url, target=safety)
        except DatabaseProblem:  # the current file is damaged: keep it as it is
            os.replace(database, safety)
    backup_conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not database.exists():
            os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        live = sqlite3.connect(database)
        try:
            backup_conn.backup(live, pages=-1)
            if live.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseProblem(t("backup.check_failed", result="restore"))
        finally:
            live.close()
    finally:
        backup_conn.close()
    return safety
