"""Backups, restore, and the process killed in the middle of saving, many times over."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from rehabteam.cli import main
from rehabteam.db import session_scope
from rehabteam.errors import DatabaseProblem
from rehabteam.models import AppMeta, Citizen
from rehabteam.services import audit, backup
from rehabteam.services.demo import seed_demo
from tests.pilot import until


def test_backup_while_someone_writes_is_consistent(
    engine: Engine, sqlite_url: str, rulebook: object, tmp_path: Path
) -> None:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)  # type: ignore[arg-type]
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            with session_scope(engine, write=True) as s:
                s.merge(AppMeta(key=f"load-{n % 50}", value=str(n)))
                audit.record(session=s, action=audit.AuditAction.READ, entity="load", entity_id=n)
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.2)
        copies = [
            backup.backup(url=sqlite_url, target=tmp_path / f"kopi{n}.sqlite3") for n in range(3)
        ]
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM citizen").fetchone()[0] == 40
        conn.close()


def test_restore_checks_the_file_and_keeps_the_current_database(
    engine: Engine, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(engine, write=True) as s:
        s.merge(AppMeta(key="marker", value="before"))
    copy = tmp_path / "kopi.sqlite3"
    assert main(["backup", str(copy), "--db", sqlite_url]) == 0
    with session_scope(engine, write=True) as s:
        s.merge(AppMeta(key="marker", value="after"))
    engine.dispose()
    assert main(["restore", str(copy), "--db", sqlite_url]) == 0
    assert "gendannet" in capsys.readouterr().out
    with session_scope(engine) as s:
        assert s.get(AppMeta, "marker").value == "before"  # type: ignore[union-attr]
    kept = list(Path(sqlite_url.removeprefix("sqlite:///")).parent.glob("*.before-restore-*"))
    assert len(kept) == 1
    conn = sqlite3.connect(kept[0])
    assert conn.execute("SELECT value FROM app_meta WHERE key='marker'").fetchone()[0] == "after"
    conn.close()


@pytest.mark.parametrize("content", ["text", "foreign", "truncated"])
def test_restore_refuses_what_is_not_an_intact_rehabteam_database(
    engine: Engine,
    sqlite_url: str,
    tmp_path: Path,
    content: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "bad.sqlite3"
    if content == "text":
        bad.write_text("ikke en database\n" * 100)
    elif content == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE x (y)")
        conn.commit()
        conn.close()
    else:
        backup.backup(url=sqlite_url, target=bad)
        data = bad.read_bytes()
        bad.write_bytes(data[: len(data) // 2] + b"\x00" * 4096)
    live = Path(sqlite_url.removeprefix("sqlite:///"))
    before = live.read_bytes()
    assert main(["restore", str(bad), "--db", sqlite_url]) == 2
    assert "bliver ikke gendannet" in capsys.readouterr().err
    assert live.read_bytes() == before


def test_backup_of_postgres_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "x.sqlite3", "--db", "postgresql+psycopg://u@127.0.0.1/db"]) == 2
    assert "pg_dump" in capsys.readouterr().err


WRITER = """
import sys
from rehabteam.db import make_engine, migrate, session_scope
from rehabteam.models.inputs import CitizenCreate
from rehabteam.services.citizens import create_citizen

engine = make_engine(sys.argv[1])
migrate(engine)
n = int(sys.argv[2])
while True:
    n += 1
    day, month = n % 28 + 1, n // 28 % 12 + 1
    cpr = f"{day:02d}{month:02d}80{n % 10000:04d}"
    with session_scope(engine, write=True) as s:
        citizen = create_citizen(session=s, data=CitizenCreate(cpr=cpr, first_name="Crash",
                                                               last_name=f"Test {n}"))
    print(citizen.id, flush=True)
"""


def test_killing_the_process_while_it_saves_loses_nothing_committed(
    sqlite_url: str, tmp_path: Path
) -> None:
    """kill -9 in the middle of writing, ten times; after each: the file is intact, every
    commit reported before the kill is there, and the audit chain verifies."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    committed: set[int] = set()
    env = {**os.environ, "REHABTEAM_DATA_DIR": str(tmp_path / "data")}
    for round_no in range(10):
        proc = subprocess.Popen(
            [sys.executable, str(script), sqlite_url, str(round_no * 1000)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the writer is up and has committed once
        assert first.strip(), "the writer never committed"
        committed.add(int(first))
        deadline = time.monotonic() + 0.1 + (round_no % 4) * 0.05  # kill at varying moments
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.strip():
                committed.add(int(line))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        committed |= {int(x) for x in proc.stdout.read().split()}
        conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {r[0] for r in conn.execute("SELECT id FROM citizen")}
        conn.close()
        assert committed <= present, f"round {round_no}: lost {committed - present}"
    assert len(committed) >= 10
    from rehabteam.db import make_engine

    engine = make_engine(sqlite_url)
    with session_scope(engine) as s:
        ok, message, _ = audit.verify(session=s)
        assert s.exec(select(func.count()).select_from(Citizen)).one() >= len(committed)
    engine.dispose()
    assert ok, message


def test_a_corrupt_database_is_not_written_to(tmp_path: Path) -> None:
    from rehabteam.services.startup import open_database

    path = tmp_path / "db.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    engine.dispose()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a damaged page
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match=r"beskadiget|restore"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def _damaged_demo_database(path: Path, rulebook: object) -> bytes:
    """A demo database with the first page of the assessments overwritten: the schema still
    reads, only the full check finds the damage."""
    from rehabteam.services.startup import open_database

    engine = open_database(f"sqlite:///{path}")
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)  # type: ignore[arg-type]
    engine.dispose()
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'discipline_assessment'"
        ).fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damage_found_after_start_refuses_every_write(tmp_path: Path, rulebook: object) -> None:
    from rehabteam.db import wait_for_integrity
    from rehabteam.services.startup import open_database

    path = tmp_path / "db.sqlite3"
    before = _damaged_demo_database(path, rulebook)
    engine = open_database(f"sqlite:///{path}", defer_integrity=True)  # reading starts at once
    with pytest.raises(DatabaseProblem, match="beskadiget"):
        wait_for_integrity(engine)
    with pytest.raises(DatabaseProblem, match="beskadiget"), session_scope(engine) as s:
        # Not even a write inside a read transaction (a search's audit entry) gets through.
        s.add(AppMeta(key="x", value="y"))
        s.flush()
    with pytest.raises(DatabaseProblem, match="beskadiget"), session_scope(engine, write=True):
        pass
    engine.dispose()
    assert path.read_bytes() == before


async def test_the_app_reports_damage_found_after_the_first_data(
    tmp_path: Path, rulebook: object
) -> None:
    from textual.widgets import Static

    from rehabteam.app import make_app
    from rehabteam.settings import Settings

    path = tmp_path / "db.sqlite3"
    before = _damaged_demo_database(path, rulebook)
    app = make_app(Settings(database_url=f"sqlite:///{path}", user="ML"))
    async with app.run_test(size=(120, 40)) as pilot:

        def status() -> str:
            return str(app.screen.query_one("#cases-status", Static).render())

        await until(pilot, lambda: "beskadiget" in status(), seconds=5)
        assert "beskadiget" in status()
        assert app.engine is None
    assert path.read_bytes() == before
