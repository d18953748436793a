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
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from rehabteam.cli import main
from rehabteam.db import session_scope
from rehabteam.errors import DatabaseProblem
from rehabteam.models import AppMeta, AuditEvent, Citizen, StaffMember
from rehabteam.models.enums import AuditAction, StaffRole
from rehabteam.services import audit, backup
from rehabteam.services.demo import seed_demo
from tests.people import add_staff, as_staff
from tests.pilot import until


def test_backup_while_someone_writes_is_consistent(
    engine: Engine, sqlite_url: str, rulebook: object, tmp_path: Path
) -> None:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)  # type: ignore[arg-type]
    mette = as_staff(engine, "ML")
    stop = threading.Event()
    written: list[int] = []
    failed: list[BaseException] = []

    def keep_writing() -> None:
        n = 0
        try:
            while not stop.is_set():
                with session_scope(engine, write=True) as s:
                    s.merge(AppMeta(key=f"load-{n % 50}", value=str(n)))
                    audit.record(
                        session=s,
                        actor=mette,
                        action=AuditAction.READ,
                        entity="load",
                        entity_id=n,
                    )
                n += 1
                written.append(n)
        except BaseException as exc:  # the test fails below, not silently in the thread
            failed.append(exc)

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
    assert not failed, failed
    assert written, "the writer never wrote while the copies were taken"
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM citizen").fetchone()[0] == 43
        conn.close()


def administrator(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups and restores are an administrator's: one, whose OS login the CLI sees."""
    with session_scope(engine, write=True) as s:
        add_staff(s, "AD", roles=(StaffRole.ADMINISTRATOR,), login="drift")
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: "drift")


def test_restore_checks_the_file_and_keeps_the_current_database(
    engine: Engine,
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    administrator(engine, monkeypatch)
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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    administrator(engine, monkeypatch)
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


@pytest.mark.postgres
def test_backup_of_postgres_says_what_to_do(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run by the owner of the database (who may administer it): use pg_dump instead."""
    target = tmp_path / "x.sqlite3"
    assert main(["backup", str(target), "--db", pg_url]) == 2
    assert "pg_dump" in capsys.readouterr().err and not target.exists()


WRITER = """
import sys
from sqlmodel import select
from rehabteam.db import make_engine, migrate, session_scope
from rehabteam.models import StaffMember, StaffRoleLink
from rehabteam.models.inputs import CitizenCreate
from rehabteam.services.citizens import create_citizen
from rehabteam.services.identity import viewer_for

engine = make_engine(sys.argv[1])
migrate(engine)
with session_scope(engine, write=True) as s:  # the caseworker registering citizens
    member = s.exec(select(StaffMember).where(StaffMember.initials == "CT")).first()
    if member is None:
        member = StaffMember(name="Crash Test (fiktiv)", initials="CT",
                             discipline="beskaeftigelse", login="crash")
        s.add(member)
        s.flush()
        s.add(StaffRoleLink(staff_id=member.id, role="sagsbehandler"))
        s.flush()
    viewer = viewer_for(s, member, "crash")
n = int(sys.argv[2])
while True:
    n += 1
    day, month = n % 28 + 1, n // 28 % 12 + 1
    cpr = f"{day:02d}{month:02d}80{n % 10000:04d}"
    with session_scope(engine, write=True) as s:
        citizen = create_citizen(session=s, data=CitizenCreate(cpr=cpr, first_name="Crash",
                                                               last_name=f"Test {n}"),
                                 viewer=viewer)
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


REFUSED = {  # who tries, and what they are told
    "sagsbeh": "Kun en administrator",
    "fremmed": "»fremmed« er ikke knyttet til en medarbejder",
}


def _caseworker_and_copy(
    engine: Engine, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, Path]:
    """An administrator's backup, and a caseworker with an OS login of their own."""
    administrator(engine, monkeypatch)
    copy = tmp_path / "kopi.sqlite3"
    assert main(["backup", str(copy), "--db", sqlite_url]) == 0
    with session_scope(engine, write=True) as s:
        caseworker = add_staff(s, "SB", login="sagsbeh")
    return caseworker.staff_id, copy


def _denied(engine: Engine) -> list[tuple[str, int | None, str]]:
    with session_scope(engine) as s:
        denied = s.exec(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        ok, message, _ = audit.verify(session=s)
    assert ok, message
    return [(e.entity, e.actor_id, e.actor_login) for e in denied]


def test_backup_and_restore_are_an_administrators(
    engine: Engine,
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A caseworker (or a login no one has) gets neither a copy of everyone's data nor a
    restore: refused in Danish, nothing written or replaced; a refused backup is in the
    trail."""
    caseworker_id, copy = _caseworker_and_copy(engine, sqlite_url, tmp_path, monkeypatch)
    live = Path(sqlite_url.removeprefix("sqlite:///"))
    expected = {
        "sagsbeh": ("audit", caseworker_id, "sagsbeh"),
        "fremmed": ("identity", None, "fremmed"),
    }
    for login, message in REFUSED.items():
        monkeypatch.setattr("rehabteam.services.identity.os_login", lambda login=login: login)
        capsys.readouterr()
        target = tmp_path / f"{login}.sqlite3"
        assert main(["backup", str(target), "--db", sqlite_url]) == 2
        out, err = capsys.readouterr()
        assert message in err and out == "" and not target.exists()
        assert _denied(engine)[-1] == expected[login]
        engine.dispose()
        with session_scope(engine) as s:  # the caseworker exists only in the live file
            staff_before = sorted(m.initials for m in s.exec(select(StaffMember)))
        assert main(["restore", str(copy), "--db", sqlite_url]) == 2
        out, err = capsys.readouterr()
        assert message in err and out == ""
        with session_scope(engine) as s:
            assert sorted(m.initials for m in s.exec(select(StaffMember))) == staff_before
        assert _denied(engine)[-1] == expected[login]  # the refused restore is logged too
        assert not list(live.parent.glob("*.before-restore-*"))


def test_a_refused_restore_is_written_to_the_trail(
    engine: Engine,
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caseworker_id, copy = _caseworker_and_copy(engine, sqlite_url, tmp_path, monkeypatch)
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: "sagsbeh")
    engine.dispose()
    assert main(["restore", str(copy), "--db", sqlite_url]) == 2
    assert "Kun en administrator" in capsys.readouterr().err
    assert _denied(engine) == [("audit", caseworker_id, "sagsbeh")]


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


def test_a_file_checked_today_is_not_checked_before_every_command(
    tmp_path: Path, rulebook: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: every CLI command ran the integrity check first (3.0 s for `citizens find`
    at 1,000,000 citizens; a secretary's 24 exports took 20 s). A file that passed a check
    less than REHABTEAM_INTEGRITY_CHECK_HOURS (24) ago is not checked again; at 0 it is."""
    import rehabteam.db as db
    from rehabteam.cli import main
    from rehabteam.services.startup import open_database

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = open_database(url)  # created and migrated: not yet checked at its newest
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)  # type: ignore[arg-type]
    engine.dispose()
    monkeypatch.setenv("REHABTEAM_USER", "ML")
    checks: list[object] = []
    real = db._quick_check

    def counted(engine: object) -> None:
        checks.append(engine)
        real(engine)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "_quick_check", counted)
    assert main(["meetings", "--db", url]) == 0
    assert len(checks) == 1  # the first command checks, and records it
    for _ in range(3):
        assert main(["meetings", "--db", url]) == 0
    assert len(checks) == 1
    monkeypatch.setenv("REHABTEAM_INTEGRITY_CHECK_HOURS", "0")
    assert main(["meetings", "--db", url]) == 0
    assert len(checks) == 2


def test_db_check_reads_every_page_and_says_what_to_do(
    tmp_path: Path, rulebook: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """`rehabteam db check`: the full check, at any time (a file checked today included)."""
    from rehabteam.cli import main

    path = tmp_path / "db.sqlite3"
    before = _damaged_demo_database(path, rulebook)
    with sqlite3.connect(path) as conn:  # as if it had passed this morning's check
        conn.execute(
            "INSERT INTO app_meta (key, value) VALUES ('integrity_checked_at', ?)",
            (datetime.now(UTC).isoformat(),),
        )
    conn.close()
    before = path.read_bytes()
    assert main(["db", "check", "--db", f"sqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert "beskadiget" in err and "rehabteam restore" in err, err
    assert path.read_bytes() == before
    good = tmp_path / "good.sqlite3"
    assert main(["db", "check", "--db", f"sqlite:///{good}"]) == 0
    assert "i orden" in capsys.readouterr().out
