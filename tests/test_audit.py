"""The audit trail: insert-only, hash-chained, verifiable, purged with a seal, exportable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from rehabteam.cli import main
from rehabteam.db import session_scope
from rehabteam.errors import DatabaseProblem
from rehabteam.models import AuditEvent, StaffMember
from rehabteam.models.enums import AuditAction, StaffRole
from rehabteam.models.viewer import Viewer
from rehabteam.services import audit
from tests.people import add_staff, as_staff, caseworker

ADMIN_LOGIN = "revisor"  # the OS login of the administrator in the CLI tests
CASEWORKER_LOGIN = "sagsbeh"


def write_entries(engine: Engine, n: int, *, cpr: str | None = None) -> None:
    """n entries, each a caseworker reading a case (one caseworker, made on first use)."""
    actor = _caseworker(engine)
    for i in range(n):
        with session_scope(engine, write=True) as s:
            audit.record(
                session=s,
                actor=actor,
                action=AuditAction.READ,
                entity="case",
                entity_id=i,
                case_id=i,
                cpr_digits=cpr,
            )


def _caseworker(engine: Engine) -> Viewer:
    with session_scope(engine) as s:
        exists = s.exec(select(StaffMember.id).where(StaffMember.initials == "SB")).first()
    if exists is not None:
        return as_staff(engine, "SB")
    return caseworker(engine, "SB", login=CASEWORKER_LOGIN)


def administrator(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Viewer:
    """An administrator on this (non-demo) SQLite file, and the CLI run as them: their login
    is the operating-system login the CLI sees."""
    with session_scope(engine, write=True) as s:
        admin = add_staff(s, "AD", roles=(StaffRole.ADMINISTRATOR,), login=ADMIN_LOGIN)
    login_as(monkeypatch, ADMIN_LOGIN)
    return admin


def login_as(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: login)


def denials(engine: Engine) -> list[tuple[str, int | None]]:
    with session_scope(engine) as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        return [(e.entity, e.actor_id) for e in rows]


def verify(engine: Engine) -> tuple[bool, str]:
    with session_scope(engine) as s:
        ok, message, _ = audit.verify(session=s)
    return ok, message


def test_entries_cannot_be_changed_or_deleted(engine: Engine) -> None:
    write_entries(engine, 2)
    for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert verify(engine)[0]


def _tamper(engine: Engine, statement: str) -> None:
    """What someone with the database file could do: drop the guard and edit."""
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_update"))
        conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        conn.execute(text(statement))


def test_verify_names_an_altered_entry(engine: Engine) -> None:
    write_entries(engine, 5)
    _tamper(engine, "UPDATE audit_event SET entity_id = 99 WHERE id = 3")
    ok, message = verify(engine)
    assert not ok and "#3 er ændret" in message


def test_verify_names_a_removed_entry(engine: Engine) -> None:
    write_entries(engine, 5)
    _tamper(engine, "DELETE FROM audit_event WHERE id = 3")
    ok, message = verify(engine)
    assert not ok and "før #4 mangler" in message


def test_verify_notices_reordering_and_a_missing_tail(engine: Engine) -> None:
    write_entries(engine, 4)
    _tamper(engine, "UPDATE audit_event SET id = id + 100 WHERE id = 2")
    assert not verify(engine)[0]
    _tamper_again = "DELETE FROM audit_event WHERE id = (SELECT MAX(id) FROM audit_event)"
    with engine.begin() as conn:
        conn.execute(text(_tamper_again))
    ok, _message = verify(engine)
    assert not ok


def test_verify_notices_missing_newest_entries(engine: Engine) -> None:
    write_entries(engine, 4)
    _tamper(engine, "DELETE FROM audit_event WHERE id = 4")
    ok, message = verify(engine)
    assert not ok and "nyeste poster mangler" in message


def test_purge_keeps_the_chain_verifiable(engine: Engine) -> None:
    write_entries(engine, 6)
    with session_scope(engine, write=True) as s:
        admin = add_staff(s, "AD", roles=(StaffRole.ADMINISTRATOR,), login=ADMIN_LOGIN)
    with session_scope(engine, write=True) as s:
        kept = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()[3]
        # Younger than the installation keeps entries (183 days): refused, nothing deleted.
        with pytest.raises(DatabaseProblem, match="mindst 183 dage"):
            audit.purge(session=s, actor=admin, older_than=kept.occurred_at)
    with engine.begin() as conn:  # whoever set the installation up may shorten it
        conn.execute(text("UPDATE app_meta SET value = '0' WHERE key = 'audit_retention_days'"))
    with session_scope(engine, write=True) as s:
        assert len(s.exec(select(AuditEvent)).all()) == 6
        purged = audit.purge(session=s, actor=admin, older_than=kept.occurred_at)
    assert purged == 3
    ok, message = verify(engine)
    assert ok, message
    with session_scope(engine) as s:
        last = s.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert last is not None and last.entity == "audit_seal" and "purged=3" in last.detail
    assert last.actor_id == admin.staff_id  # the seal names who purged
    with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))  # outside a purge: still refused


def test_entries_hold_no_cpr_and_export_one_citizens_entries(
    engine: Engine,
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_entries(engine, 3, cpr="1203811233")
    write_entries(engine, 2, cpr="0101901234")
    with engine.connect() as conn:
        dump = "\n".join(str(row) for row in conn.execute(text("SELECT * FROM audit_event")))
    assert "1203811233" not in dump and "120381" not in dump
    target = tmp_path / "udtraek.json"
    # A caseworker may not take a citizen's extract, nor an unknown login list the trail.
    caseworker_id = _caseworker(engine).staff_id
    login_as(monkeypatch, CASEWORKER_LOGIN)
    capsys.readouterr()
    refused = ["audit", "export", "--cpr", "120381-1233", "-o", str(target), "--db", sqlite_url]
    assert main(refused) == 2
    out, err = capsys.readouterr()
    assert "Kun en administrator" in err and out == "" and not target.exists()
    login_as(monkeypatch, "fremmed")
    assert main(["audit", "list", "--json", "--db", sqlite_url]) == 2
    out, err = capsys.readouterr()
    assert "»fremmed« er ikke knyttet til en medarbejder" in err and out == ""
    assert denials(engine) == [("audit", caseworker_id), ("identity", None)]
    with session_scope(engine) as s:
        stranger = s.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert stranger is not None and stranger.actor_login == "fremmed"
    administrator(engine, monkeypatch)
    assert (
        main(["audit", "export", "--cpr", "120381-1233", "-o", str(target), "--db", sqlite_url])
        == 0
    )
    extract = json.loads(target.read_text())
    assert len(extract) == 3 and {e["entity_id"] for e in extract} == {0, 1, 2}
    capsys.readouterr()
    assert main(["audit", "list", "--case", "1", "--json", "--db", sqlite_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {e["case_id"] for e in listed} == {1} and len(listed) == 2
    assert main(["audit", "verify", "--db", sqlite_url]) == 0  # the refusals are in the chain


def test_cli_verify_fails_on_tampering(
    engine: Engine,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_entries(engine, 3)
    administrator(engine, monkeypatch)
    _tamper(engine, "UPDATE audit_event SET detail = 'ændret' WHERE id = 2")
    assert main(["audit", "verify", "--db", sqlite_url]) == 1
    assert "#2 er ændret" in capsys.readouterr().err


def test_purge_from_the_cli_uses_the_retention_setting(
    engine: Engine,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_entries(engine, 2)
    monkeypatch.setenv("REHABTEAM_AUDIT_RETENTION_DAYS", "1")
    # A caseworker may not purge: refused, nothing deleted, the refusal in the trail.
    login_as(monkeypatch, CASEWORKER_LOGIN)
    assert main(["audit", "purge", "--db", sqlite_url]) == 2
    out, err = capsys.readouterr()
    assert "Kun en administrator" in err and out == ""
    with session_scope(engine) as s:
        kept = s.exec(select(AuditEvent)).all()
    assert [e.action for e in kept] == ["read", "read", "denied"]
    assert kept[-1].actor_id == _caseworker(engine).staff_id and kept[-1].entity == "audit"
    administrator(engine, monkeypatch)
    # A retention shorter than the installation keeps entries is refused, with why.
    assert main(["audit", "purge", "--db", sqlite_url]) == 2
    assert "mindst 183 dage" in capsys.readouterr().err
    monkeypatch.setenv("REHABTEAM_AUDIT_RETENTION_DAYS", "365")
    assert main(["audit", "purge", "--db", sqlite_url]) == 0
    assert "0 poster" in capsys.readouterr().out  # nothing is a year old yet
    assert verify(engine)[0]


def test_searches_are_logged_with_the_criterion_hashed(engine: Engine) -> None:
    from rehabteam.models.inputs import CitizenCreate
    from rehabteam.services.citizens import create_citizen, search_citizens

    sb = _caseworker(engine)
    with session_scope(engine, write=True) as s:
        create_citizen(
            session=s,
            data=CitizenCreate(cpr="120381-1233", first_name="Hans", last_name="Jørgensen"),
            viewer=sb,
        )
    with session_scope(engine) as s:
        search_citizens(session=s, text="Hans J", viewer=sb)
        search_citizens(session=s, text="120381-1233", viewer=sb)
        search_citizens(session=s, text="", viewer=sb)  # nothing typed: nothing searched
    with session_scope(engine) as s:
        searches = s.exec(select(AuditEvent).where(AuditEvent.action == "search")).all()
        wanted = [audit.search_digest(s, "hans j"), audit.search_digest(s, "1203811233")]
    assert [e.detail for e in searches] == [f"name:{wanted[0]}", f"cpr:{wanted[1]}"]
    assert {e.actor_id for e in searches} == {sb.staff_id}
    assert not any("hans" in e.detail.lower() or "120381" in e.detail for e in searches)
    assert verify(engine)[0]


def test_access_request_holds_data_documents_and_log(
    engine: Engine,
    sqlite_url: str,
    rulebook: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rehabteam.models import Case, Citizen, Indstilling, StaffMember
    from rehabteam.services.demo import seed_demo

    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)  # type: ignore[arg-type]
        s.add(StaffMember(name="Anden Afdeling", initials="UD", discipline="social"))
    with session_scope(engine) as s:
        case_id = s.exec(
            select(Indstilling.case_id).where(Indstilling.status == "godkendt")
        ).first()
        citizen = s.get(Citizen, s.get(Case, case_id).citizen_id)  # type: ignore[union-attr]
        cpr = f"{citizen.cpr[:6]}-{citizen.cpr[6:]}"  # type: ignore[union-attr]
    from rehabteam.rules import load_rulebook
    from rehabteam.services.preparation import get_preparation

    mette = as_staff(engine, "ML")
    with session_scope(engine, write=True) as s:  # Mette reads the case: that is in the log
        get_preparation(session=s, case_id=case_id, rulebook=load_rulebook(), viewer=mette)  # type: ignore[arg-type]
    out = tmp_path / "ud"
    out.mkdir()
    monkeypatch.setenv("REHABTEAM_USER", "UD")  # not on the case, not an administrator
    assert main(["export", "indsigt", "--cpr", cpr, "--dir", str(out), "--db", sqlite_url]) == 2
    assert "Kun en administrator" in capsys.readouterr().err
    monkeypatch.setenv("REHABTEAM_USER", "AP")  # Anne Post, administrator
    assert main(["export", "indsigt", "--cpr", cpr, "--dir", str(out), "--db", sqlite_url]) == 0
    folder = next(out.iterdir())
    assert citizen.cpr not in folder.name  # type: ignore[union-attr]
    data = json.loads((folder / "data.json").read_text())
    assert data["citizen"]["cpr"] == cpr and data["cases"][0]["preparation"]
    assert data["cases"][0]["indstillinger"][0]["interventions"] is not None
    log = json.loads((folder / "log.json").read_text())
    assert [e["action"] for e in log] == ["read"] and log[0]["actor_id"] == mette.staff_id
    assert citizen.cpr not in json.dumps(log)  # type: ignore[union-attr]
    assert len(list(folder.glob("*.docx"))) == 2
    with session_scope(engine) as s:
        entries = s.exec(select(AuditEvent).where(AuditEvent.entity == "indsigt")).all()
    # The refused attempt and the export, each with who it was.
    assert [e.action for e in entries] == ["denied", "export"]
    assert all(e.actor_id is not None for e in entries)


def test_a_refused_attempt_is_written_to_the_trail(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refused transaction is rolled back; the refusal itself is logged in its own, with
    who tried and which case, and the chain still verifies."""
    from rehabteam.cli import main
    from rehabteam.db import make_engine
    from rehabteam.models import Case, StaffMember
    from rehabteam.services.access import on_case
    from rehabteam.services.identity import viewer_for

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert main(["seed", "--demo", "--db", url]) == 0
    engine = make_engine(url)
    with session_scope(engine) as s:
        case = s.exec(select(Case).where(Case.status == "indstillet")).first()
        assert case is not None
        outsider = next(
            m
            for m in s.exec(select(StaffMember))
            if not on_case(s, case, viewer_for(s, m, m.login or m.initials))
        )
    monkeypatch.setenv("REHABTEAM_USER", outsider.initials)
    capsys.readouterr()
    target = tmp_path / "x.docx"
    assert (
        main(["export", "indstilling", "--case", str(case.id), "-o", str(target), "--db", url]) == 2
    )
    assert "adgang" in capsys.readouterr().err and not target.exists()
    with session_scope(engine) as s:
        denied = s.exec(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        ok, _, _ = audit.verify(session=s)
    engine.dispose()
    assert [(e.entity, e.case_id, e.actor_id) for e in denied] == [("case", case.id, outsider.id)]
    assert ok
