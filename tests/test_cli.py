"""The command line, as scripts and administrators use it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rehabteam.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def login_as(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    """The operating-system login the command sees (on a non-demo SQLite file, who you are)."""
    monkeypatch.setattr("rehabteam.services.identity.os_login", lambda: login)


@pytest.fixture
def staffed(capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A real (non-demo) database set up as an administrator would: the first `staff add`
    makes the administrator (their OS login), who then adds a caseworker; the commands
    afterwards run as the caseworker."""
    login_as(monkeypatch, "admin")
    admin = ["--initials", "AA", "--name", "Anna Admin (fiktiv)", "--role", "administrator"]
    code, _, err = run(capsys, "staff", "add", *admin, "--db", db)
    assert code == 0, err
    caseworker = ["--initials", "SB", "--name", "Sara Berg (fiktiv)", "--role", "sagsbehandler"]
    code, _, err = run(capsys, "staff", "add", *caseworker, "--login", "sara", "--db", db)
    assert code == 0, err
    login_as(monkeypatch, "sara")
    return db


def test_seed_demo_then_list_meetings_as_json(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "seed", "--demo", "--db", db)
    assert code == 0 and "43 fiktive borgere" in out
    code, out, _ = run(capsys, "meetings", "--json", "--db", db)
    meetings = json.loads(out)
    # Last week's, today's and next week's, after the held meetings where the running
    # courses were agreed (one case each, or two agreed the same day).
    earlier, meetings = meetings[:-3], meetings[-3:]
    assert code == 0 and earlier and {m["status"] for m in earlier} == {"afholdt"}
    for m in meetings:
        assert {"id", "date", "start", "team", "status", "case_count"} <= set(m)
    assert [m["case_count"] for m in meetings] == [5, 5, 3]
    assert meetings[1]["start"] == "09:00"


def test_cases_json_search_and_status(capsys: pytest.CaptureFixture[str], db: str) -> None:
    run(capsys, "seed", "--demo", "--db", db)
    code, out, _ = run(capsys, "cases", "--json", "--db", db)
    cases = json.loads(out)
    # 40 demo cases and the genforelæggelse case of the indstilling that was not followed
    assert code == 0 and len(cases) == 44
    for c in cases:
        assert {
            "id",
            "citizen_name",
            "cpr",
            "case_type",
            "status",
            "rule_set",
            "meeting_id",
        } <= set(c)
        assert c["cpr"].endswith("-xxxx")
    _, out, _ = run(capsys, "cases", "--search", "Hans Jørgensen", "--json", "--db", db)
    hans = json.loads(out)
    assert [c["citizen_name"] for c in hans] == ["Hans Jørgensen"]
    assert hans[0]["cpr"] == "120381-xxxx" and hans[0]["meeting_id"] is not None
    _, out, _ = run(capsys, "cases", "--status", "klar", "--status", "booket", "--json", "--db", db)
    assert {c["status"] for c in json.loads(out)} == {"klar", "booket"}
    _, out, _ = run(capsys, "cases", "--limit", "3", "--json", "--db", db)
    assert len(json.loads(out)) == 3


def test_invalid_cpr_gets_a_danish_message_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], staffed: str
) -> None:
    db = staffed
    code, out, err = run(
        capsys,
        "citizens",
        "add",
        "--cpr",
        "311399-1234",
        "--first-name",
        "A",
        "--last-name",
        "B",
        "--db",
        db,
    )
    assert code == 2
    assert "Ugyldigt CPR-nummer" in err and "gyldig fødselsdato" in err
    _, out, _ = run(capsys, "cases", "--json", "--db", db)
    assert json.loads(out) == []
    code, out, _ = run(
        capsys,
        "citizens",
        "add",
        "--cpr",
        "010190-1234",
        "--first-name",
        "Test",
        "--last-name",
        "Person",
        "--db",
        db,
    )
    assert code == 0 and "010190-xxxx" in out and "1234" not in out


def test_english_messages(capsys: pytest.CaptureFixture[str], staffed: str) -> None:
    db = staffed
    code, _, err = run(
        capsys,
        "--lang",
        "en",
        "citizens",
        "add",
        "--cpr",
        "12345",
        "--first-name",
        "A",
        "--last-name",
        "B",
        "--db",
        db,
    )
    assert code == 2 and "Invalid CPR number" in err


def test_nobody_identified_is_refused_and_the_refusal_is_logged(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No staff yet, a login no staff member has, or REHABTEAM_USER on a real database:
    each is refused with what to do, nothing is stored, and the refusal is in the trail."""
    from sqlmodel import select

    from rehabteam.db import make_engine, session_scope
    from rehabteam.models import AuditEvent, Citizen
    from rehabteam.services import audit

    add = ["citizens", "add", "--cpr", "010190-1234", "--first-name", "A", "--last-name", "B"]
    login_as(monkeypatch, "nogen")
    code, out, err = run(capsys, *add, "--db", db)
    assert code == 2 and out == ""
    assert "ingen medarbejdere" in err and "rehabteam staff add" in err and "nogen" in err
    first_admin = ["staff", "add", "--initials", "AA", "--role", "administrator"]
    code, out, err = run(capsys, *first_admin, "--db", db)  # login: the OS login, "nogen"
    assert code == 0, err
    login_as(monkeypatch, "fremmed")
    code, out, err = run(capsys, "cases", "--json", "--db", db)
    assert code == 2 and out == "" and "»fremmed« er ikke knyttet til en medarbejder" in err
    monkeypatch.setenv("REHABTEAM_USER", "AA")  # a claim, not an identity, on a real database
    code, out, err = run(capsys, *add, "--db", db)
    assert code == 2 and out == ""
    assert "REHABTEAM_USER bruges ikke her" in err and "»fremmed« er ikke knyttet" in err
    engine = make_engine(db)
    with session_scope(engine) as s:
        assert s.exec(select(Citizen)).all() == []
        denied = s.exec(select(AuditEvent).where(AuditEvent.action == "denied")).all()
        ok, message, _ = audit.verify(session=s)
    engine.dispose()
    assert [(e.entity, e.actor_id, e.actor_login) for e in denied] == [
        ("identity", None, "nogen"),
        ("identity", None, "fremmed"),
        ("identity", None, "fremmed"),
    ]
    assert ok, message


def test_db_upgrade_and_current(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "db", "upgrade", "--db", db)
    from rehabteam.db import head_revision

    assert code == 0 and head_revision() in out
    code, out, _ = run(capsys, "db", "current", "--db", db)
    assert out.strip() == head_revision()


def test_bulk_seed_from_the_command_line(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run(capsys, "seed", "--citizens", "300", "--db", db)
    assert code == 0 and "300 fiktive borgere" in out and "300/300" in err


def test_corrupt_database_is_refused_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "meetings", "--db", f"sqlite:///{bad}")
    assert code == 2 and "beskadiget" in err


def test_console_script_help_documents_each_command(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("rehabteam")
    result = subprocess.run(
        [str(script), "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "REHABTEAM_DATA_DIR": str(tmp_path)},
    )
    for word in ("seed", "meetings", "cases", "citizens", "db", "--demo", "--db", "--lang"):
        assert word in result.stdout


def test_export_dagsorden_from_the_demo_database(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    from docx import Document

    run(capsys, "seed", "--demo", "--db", db)
    target = tmp_path / "out" / "dagsorden.docx"
    target.parent.mkdir()
    code, out, _ = run(
        capsys, "export", "dagsorden", "--meeting", "2", "-o", str(target), "--db", db
    )
    assert code == 0 and str(target) in out
    cells = "\n".join(c.text for t in Document(str(target)).tables for r in t.rows for c in r.cells)
    assert "Hans Jørgensen" in cells and "120381-xxxx" in cells and "09:00-10:00" in cells
    code, _, err = run(
        capsys, "export", "dagsorden", "--meeting", "2", "-o", str(target), "--db", db
    )
    assert code == 2 and "findes allerede" in err
    code, _, _ = run(
        capsys,
        "export",
        "dagsorden",
        "--meeting",
        "2",
        "-o",
        str(target),
        "--overwrite",
        "--db",
        db,
    )
    assert code == 0
    code, _, err = run(
        capsys, "export", "dagsorden", "--meeting", "99", "-o", str(target), "--db", db
    )
    assert code == 2 and "Mødet findes ikke" in err


def test_export_documents_from_the_command_line(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    from docx import Document

    run(capsys, "seed", "--demo", "--db", db)
    out_file = tmp_path / "indstilling.docx"
    code, out, _ = run(
        capsys, "export", "indstilling", "--case", "1", "-o", str(out_file), "--db", db
    )
    assert code == 0 and out_file.exists()
    assert "Koordinerende sagsbehandler" in "\n".join(
        p.text for p in Document(str(out_file)).paragraphs
    )
    code, _, err = run(
        capsys, "export", "indstilling", "--case", "7", "-o", str(tmp_path / "x.docx"), "--db", db
    )
    assert code == 2 and "ingen godkendt indstilling" in err
    code, _, _ = run(
        capsys, "export", "referat", "--meeting", "1", "-o", str(tmp_path / "r.docx"), "--db", db
    )
    assert code == 0
    folder = tmp_path / "møde"
    folder.mkdir()
    code, out, err = run(
        capsys, "export", "meeting", "--meeting", "1", "--dir", str(folder), "--db", db
    )
    assert code == 0 and "11 filer gemt" in out and "11/11" in err  # with dagsorden, .ics
    # Six cases, four indstillinger: the export said nothing of the other two.
    assert "Ikke med:" in out, out
    assert re.search(
        r"Sag \d{4}-00005: ingen indstilling og intet brev – den er ikke godkendt", out
    )
    assert re.search(r"Sag \d{4}-00006: udsat til et senere møde – intet at sende", out), out
    code, _, err = run(
        capsys, "export", "meeting", "--meeting", "1", "--dir", str(folder), "--db", db
    )
    assert code == 2 and "findes allerede" in err and "--overwrite" in err
    code, _, err = run(
        capsys, "export", "meeting", "--meeting", "1", "--dir", str(tmp_path / "nope"), "--db", db
    )
    assert code == 2 and "findes ikke" in err


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("REHABTEAM_SLOT_MINUTES", "en time", "et helt tal fra 15 til 240"),
        ("REHABTEAM_SLOT_MINUTES", "5", "et helt tal fra 15 til 240"),
        ("REHABTEAM_LANGUAGE", "fr", "én af da, en"),
        ("REHABTEAM_DOCUMENT_CPR", "skjult", "én af full, masked"),
        ("REHABTEAM_CASELOAD_MAX", "0", "et helt tal fra 1 til 200"),
    ],
)
def test_a_setting_that_cannot_be_used_is_named_in_danish(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: str,
    variable: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(variable, value)
    code, out, err = run(capsys, "meetings", "--db", db)
    assert code == 2 and out == ""
    assert f"Indstillingen {variable} kan ikke bruges" in err and expected in err
    assert "Traceback" not in err


def test_settings_from_variables_and_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    from rehabteam.settings import Settings

    monkeypatch.setenv("REHABTEAM_SLOT_MINUTES", " 45 ")
    monkeypatch.setenv("REHABTEAM_EXPORT_DIR", "~/eksport")
    settings = Settings(user="ml")
    assert settings.slot_minutes == 45 and settings.user == "ml"
    assert settings.export_dir == Path("~/eksport").expanduser()
    assert settings.cases_per_meeting == 5 and "cases_per_meeting" not in settings.explicit
    assert {"slot_minutes", "export_dir", "user"} <= settings.explicit
    english = settings.with_updates(language="en")
    assert english.language == "en" and settings.language == "da"
    assert "language" in english.explicit


def test_a_refused_export_names_what_is_wrong(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """An indstilling changed behind the application's back (48 months, as in psql): the
    export was refused with "Det mangler:" and nothing after it."""
    import sqlite3

    run(capsys, "seed", "--demo", "--db", db)
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE indstilling SET varighed_maaneder = 48 WHERE case_id = 1")
    target = tmp_path / "ind.docx"
    code, _, err = run(
        capsys, "export", "indstilling", "--case", "1", "-o", str(target), "--db", db
    )
    assert code == 2 and not target.exists()
    assert "Det mangler:" in err and "48 måneder" in err.split("Det mangler:")[1], err


def test_an_export_outside_the_export_folder_is_said(
    capsys: pytest.CaptureFixture[str],
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`-o ../../x.docx` wrote a document of personal data two folders up without a word."""
    run(capsys, "seed", "--demo", "--db", db)
    here = tmp_path / "a" / "b"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    monkeypatch.setenv("REHABTEAM_EXPORT_DIR", str(tmp_path / "eksport"))
    code, _, err = run(
        capsys, "export", "indstilling", "--case", "1", "-o", "../../x.docx", "--db", db
    )
    assert code == 0 and (tmp_path / "x.docx").exists()
    assert "uden for eksportmappen" in err and str(tmp_path / "x.docx") in err
    code, _, err = run(capsys, "export", "indstilling", "--case", "1", "-o", "y.docx", "--db", db)
    assert code == 0 and "uden for" not in err  # where the command ran: as asked
    # A meeting's folder outside: said once for the folder (it was said for each of the
    # 11 files), and never of the calendar file, which holds no personal data.
    away = tmp_path / "et andet sted"
    away.mkdir()
    code, _, err = run(
        capsys, "export", "meeting", "--meeting", "1", "--dir", str(away), "--db", db
    )
    assert code == 0 and err.count("uden for eksportmappen") == 1, err
    warned = [line for line in err.splitlines() if "uden for" in line]
    assert f"mappen {away}" in warned[0] and ".ics" not in warned[0]
    code, _, err = run(
        capsys, "export", "kalender", "--meeting", "2", "-o", str(away / "m.ics"), "--db", db
    )
    assert code == 0 and "uden for" not in err, err


def test_an_export_file_name_gets_the_documents_own_ending(
    capsys: pytest.CaptureFixture[str],
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`-o x.pdf` wrote a .docx under a name no program would open; `-o noext` a file
    without an ending. The first is refused, the second gets `.docx`."""
    run(capsys, "seed", "--demo", "--db", db)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "export", "indstilling", "--case", "1", "-o", "x.pdf", "--db", db)
    assert code != 0 and "ender ikke på .docx" in err and "-o x.docx" in err
    assert not (tmp_path / "x.pdf").exists()
    code, _, _ = run(capsys, "export", "indstilling", "--case", "1", "-o", "noext", "--db", db)
    assert code == 0 and (tmp_path / "noext.docx").exists() and not (tmp_path / "noext").exists()
    code, _, err = run(capsys, "export", "kalender", "--meeting", "1", "-o", "m.docx", "--db", db)
    assert code != 0 and "ender ikke på .ics" in err
