"""Need-to-know on the shared PostgreSQL database, tried as a hostile team login would: through
the services, the command line and plain SQL, each person logged in as themselves (one login
per person, set up by `rehabteam db setup-roles` exactly as the README says)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from rehabteam.cli import main
from rehabteam.db import session_scope
from rehabteam.errors import AccessDenied
from rehabteam.models import AuditEvent, Case, Indstilling, Meeting, MeetingParticipant, StaffMember
from rehabteam.models.enums import IndstillingStatus, MeetingStatus
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.cases import list_cases
from rehabteam.services.identity import identify
from tests.people import as_staff
from tests.pg_team import PEOPLE, Team

pytestmark = pytest.mark.postgres


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _viewer(team: Team, who: str):  # type: ignore[no-untyped-def]
    with session_scope(team.engine(who)) as session:
        identity = identify(session=session, claimed="ML", demo=True)
    return identity


def _cli(team: Team, who: str, *args: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--db", team.url(who)])
    return code, out.getvalue(), err.getvalue()


# --- who you are ----------------------------------------------------------------------------


def test_the_login_decides_who_you_are_not_rehabteam_user(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = _viewer(team, "SK")  # claims ML on a demo database: ignored on PostgreSQL
    assert identity.viewer is not None and identity.viewer.initials == "SK"
    assert identity.claim_ignored and identity.viewer.login == team.logins["SK"]
    monkeypatch.setenv("REHABTEAM_USER", "ML")
    code, out, err = _cli(team, "SK", "cases", "--json")
    assert code == 0 and "REHABTEAM_USER" in err
    shown = {c["id"] for c in json.loads(out)}
    with session_scope(team.engine("SK")) as session:
        mine = {c.id for c in list_cases(session=session, viewer=identity.viewer)}
    assert shown == mine
    with session_scope(team.owner) as session:  # ML sees more: SK did not become ML
        ml = session.exec(select(StaffMember).where(StaffMember.initials == "ML")).one()

        all_ml = {c.id for c in list_cases(session=session, viewer=as_staff(session, "ML"))}
    assert mine < all_ml and ml.login == team.logins["ML"]


def test_a_login_without_a_staff_record_sees_nothing_and_every_command_is_refused(
    team: Team, out_dir: Path
) -> None:
    tmp_path = out_dir
    identity = _viewer(team, "nobody")
    assert identity.viewer is None and "bed en administrator om at oprette dig" in (
        identity.message().lower()
    )
    attempts = [
        ("cases", "--json"),
        ("meetings", "--json"),
        ("citizens", "find", "120381-1233"),
        ("citizens", "add", "--cpr", "010190-1234", "--first-name", "A", "--last-name", "B"),
        ("export", "referat", "--meeting", "1", "-o", str(tmp_path / "r.docx")),
        ("export", "dagsorden", "--meeting", "1", "-o", str(tmp_path / "d.docx")),
        ("stats", "--from", "2020-01-01", "--to", "2030-12-31"),
        ("audit", "list"),
        ("audit", "export", "--cpr", "120381-1233", "-o", str(tmp_path / "a.json")),
        ("audit", "purge"),
        ("staff", "list"),
    ]
    for args in attempts:
        code, out, err = _cli(team, "nobody", *args)
        assert code == 2, args
        assert "Hans" not in out and "1203" not in out, args
        assert "Fejl:" in err, args
    assert list(tmp_path.iterdir()) == []
    with session_scope(team.owner) as session:
        refused = session.exec(
            select(AuditEvent).where(AuditEvent.actor_login == team.logins["nobody"])
        ).all()
    assert len(refused) >= len(attempts) - 1 and {e.action for e in refused} == {"denied"}
    assert all(e.actor_id is None for e in refused)
    # ... and in plain SQL the same login reads nothing at all.
    for table in ("citizen", "rehab_case", "preparation_field", "staff_member", "meeting"):
        assert team.sql("nobody", f"SELECT count(*) FROM {table}") == [(0,)], table


# --- the same need-to-know everywhere --------------------------------------------------------


def test_services_cli_and_plain_sql_agree_on_who_sees_which_case(team: Team) -> None:
    table: dict[str, set[int]] = {}
    for who in PEOPLE:
        viewer = _viewer(team, who).viewer
        assert viewer is not None
        with session_scope(team.engine(who)) as session:
            services = {c.id for c in list_cases(session=session, viewer=viewer)}
        code, out, _err = _cli(team, who, "cases", "--json")
        assert code == 0, who
        cli = {c["id"] for c in json.loads(out)}
        sql = {int(r[0]) for r in team.sql(who, "SELECT id FROM rehab_case")}  # type: ignore[call-overload]
        # The owner, who is not subject to row-level security, checks the code's answer.
        with session_scope(team.owner) as session:
            owner_view = {c.id for c in list_cases(session=session, viewer=as_staff(session, who))}
        assert services == cli == sql == owner_view, who
        table[who] = services
    with session_scope(team.owner) as session:
        every = {c for c in session.exec(select(Case.id)).all()}
    assert table["ML"] == every - set() or table["ML"] <= every
    assert table["AP"] == set()  # the administrator needs no case to do her work
    assert table["SK"] and table["SK"] < table["ML"]
    assert len({frozenset(v) for v in table.values()}) >= 4  # not one list for all


def test_plain_sql_reads_only_what_the_login_may_see(team: Team) -> None:
    sk_cases = {int(r[0]) for r in team.sql("SK", "SELECT id FROM rehab_case")}  # type: ignore[call-overload]
    prep = {int(r[0]) for r in team.sql("SK", "SELECT case_id FROM preparation_field")}  # type: ignore[call-overload]
    assert prep and prep <= sk_cases
    cprs = team.sql("SK", "SELECT count(*) FROM citizen")
    with session_scope(team.owner) as session:
        from rehabteam.models import Citizen

        total = len(session.exec(select(Citizen.id)).all())
    assert 0 < int(cprs[0][0]) < total  # type: ignore[call-overload]
    assert team.sql("SK", "SELECT count(*) FROM audit_event") == [(0,)]
    assert team.sql("SK", "SELECT key FROM app_meta WHERE key LIKE 'audit_%'") == [
        ("audit_chain_head",)
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO staff_role (staff_id, role) "
        "SELECT id, 'administrator' FROM staff_member WHERE initials = 'SK'",
        "UPDATE staff_member SET login = session_user WHERE initials = 'AP'",
        "INSERT INTO team_member (team_id, staff_id, discipline) "
        "SELECT 1, id, 'beskaeftigelse' FROM staff_member WHERE initials = 'SK'",
        "UPDATE app_meta SET value = '00' WHERE key = 'audit_hmac_secret'",
        "UPDATE alembic_version SET version_num = 'x'",
        "INSERT INTO audit_event (occurred_at, actor_login, action, entity, citizen_ref, detail, "
        "prev_hash, entry_hash) VALUES (now(), 'ml', 'read', 'case', '', '', '', '')",
        "DELETE FROM audit_event",
        "TRUNCATE rehab_case",
        "UPDATE indstilling SET status = 'godkendt' WHERE status = 'kladde'",
        "UPDATE meeting SET status = 'i_gang'",
    ],
)
def test_a_team_login_cannot_rewrite_who_may_do_what(team: Team, statement: str) -> None:
    before = team.sql("AP", "SELECT count(*) FROM staff_role")
    with session_scope(team.owner) as session:
        chain_before = audit.verify(session=session)
        meetings = [(m.id, m.status) for m in session.exec(select(Meeting)).all()]
    try:
        changed = team.sql(
            "SK", statement + " RETURNING 1" if statement.startswith("UPDATE") else statement
        )
    except DBAPIError as exc:
        assert "permission denied" in str(exc) or "row-level security" in str(exc)
    else:
        assert changed == [], "the statement changed rows it may not see"
    assert team.sql("AP", "SELECT count(*) FROM staff_role") == before
    with session_scope(team.owner) as session:
        assert audit.verify(session=session)[0] == chain_before[0] is True
        assert [(m.id, m.status) for m in session.exec(select(Meeting)).all()] == meetings
        assert session.exec(select(StaffMember).where(StaffMember.initials == "AP")).one().login
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() != "x"


def test_the_chair_role_is_checked_in_code_and_in_the_database(
    team: Team, rulebook: RuleBook
) -> None:
    from rehabteam.services.agenda import add_participant
    from rehabteam.services.approval import approve
    from rehabteam.services.meeting_room import start_meeting

    with session_scope(team.owner) as session:
        today = session.exec(select(Meeting).where(Meeting.date == datetime.now().date())).one()
        draft = session.exec(
            select(Indstilling).where(Indstilling.status == IndstillingStatus.KLADDE.value)
        ).first()
        sk_id = session.exec(select(StaffMember.id).where(StaffMember.initials == "SK")).one()
    sk = _viewer(team, "SK").viewer
    jb = _viewer(team, "JB").viewer
    assert sk is not None and jb is not None
    for call in (
        lambda s: start_meeting(session=s, meeting_id=today.id, viewer=sk),
        lambda s: add_participant(session=s, meeting_id=today.id, staff_id=sk_id, viewer=sk),
    ):
        with pytest.raises(AccessDenied), session_scope(team.engine("SK"), write=True) as s:
            call(s)
    if draft is not None:
        with pytest.raises(AccessDenied), session_scope(team.engine("JB"), write=True) as s:
            approve(session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=jb)
        with pytest.raises(DBAPIError, match="row-level security"):
            team.sql(
                "JB",
                "UPDATE indstilling SET status = 'godkendt' WHERE id = :id",
                id=draft.id,
            )
    with pytest.raises(DBAPIError, match="row-level security"):
        team.sql(
            "SK",
            "INSERT INTO meeting_participant (created_at, updated_at, version, meeting_id, "
            "staff_id, guest_name, guest_organisation, discipline, role) "
            "VALUES (now(), now(), 1, :m, :s, '', '', 'beskaeftigelse', 'medlem')",
            m=today.id,
            s=sk_id,
        )
    with session_scope(team.owner) as session:
        assert session.get(Meeting, today.id).status == MeetingStatus.PLANLAGT.value  # type: ignore[union-attr]
        assert not session.exec(
            select(MeetingParticipant).where(
                MeetingParticipant.meeting_id == today.id, MeetingParticipant.staff_id == sk_id
            )
        ).all()


# --- the audit trail --------------------------------------------------------------------------


def test_audit_entries_name_the_real_login_and_cannot_be_forged(team: Team) -> None:
    team.sql(
        "SK",
        "SELECT rehabteam_audit('read', 'case', 1, 1, '', 'forged-as-ml', '')",
    )
    with session_scope(team.owner) as session:
        last = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()  # type: ignore[union-attr]
        sk = session.exec(select(StaffMember).where(StaffMember.initials == "SK")).one()
        assert last is not None
        assert (last.actor_id, last.actor_login) == (sk.id, team.logins["SK"])
        assert audit.verify(session=session)[0]
    forged = (
        "INSERT INTO audit_event (occurred_at, actor_id, actor_login, action, entity, "
        "citizen_ref, detail, prev_hash, entry_hash, hash_version) VALUES "
        "(now(), NULL, 'ml', 'read', 'case', '', '', :head, :hash, 2)"
    )
    head = team.sql("SK", "SELECT value FROM app_meta WHERE key = 'audit_chain_head'")[0][0]
    # A login someone mistakenly granted INSERT still cannot add an entry (no policy lets it)...
    with team.owner.begin() as conn:
        conn.execute(text(f'GRANT INSERT ON audit_event TO "{team.logins["PN"]}"'))
        conn.execute(text(f'GRANT USAGE ON SEQUENCE audit_event_id_seq TO "{team.logins["PN"]}"'))
    with pytest.raises(DBAPIError, match="row-level security"):
        team.sql("PN", forged, head=head, hash="0" * 64)
    # ... and an entry that does get in (here, by the superuser) with a hash made without the
    # chain key is found by `verify`.
    with team.owner.begin() as conn:
        conn.execute(text(forged), {"head": head, "hash": "0" * 64})
    with session_scope(team.owner) as session:
        intact, message, _n = audit.verify(session=session)
    assert not intact and "ændret" in message


def test_verify_finds_an_entry_altered_behind_the_trigger(team: Team) -> None:
    with team.owner.begin() as conn:
        conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_guard"))
        conn.execute(
            text(
                "UPDATE audit_event SET actor_login = 'someone' "
                "WHERE id = (SELECT min(id) FROM audit_event)"
            )
        )
        conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_guard"))
    with session_scope(team.owner) as session:
        intact, _message, n = audit.verify(session=session)
    assert not intact and n == 0


def test_only_an_administrator_lists_exports_and_purges_the_trail(
    team: Team, tmp_path: Path
) -> None:
    for args in (("audit", "list"), ("audit", "purge"), ("audit", "verify")):
        code, _out, err = _cli(team, "SK", *args)
        assert code == 2 and "administrator" in err, args
    with pytest.raises(DBAPIError, match="administrator"):
        team.sql("SK", "SELECT rehabteam_audit_purge(now())")
    code, out, _err = _cli(team, "AP", "audit", "list", "--json")
    assert code == 0 and json.loads(out)
    code, out, _err = _cli(team, "AP", "audit", "verify")
    assert code == 0
    with session_scope(team.owner) as session:
        total = len(session.exec(select(AuditEvent)).all())
    cutoff = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    purged = team.sql("AP", "SELECT rehabteam_audit_purge(:c)", c=cutoff)
    assert int(purged[0][0]) == total  # type: ignore[call-overload]
    with session_scope(team.owner) as session:
        seal = session.exec(select(AuditEvent).where(AuditEvent.entity == audit.SEAL)).one()
        ap = session.exec(select(StaffMember).where(StaffMember.initials == "AP")).one()
        assert (seal.actor_id, seal.actor_login) == (ap.id, team.logins["AP"])
        assert audit.verify(session=session)[0]


def test_the_database_computes_the_same_keyed_hash_as_python(team: Team) -> None:
    with session_scope(team.owner) as session:
        secret = audit._key(session, audit.SECRET_KEY)
        in_sql = audit.citizen_ref(session, "1203811233")
    assert in_sql == audit.keyed(secret, "1203811233")
    with pytest.raises(DBAPIError, match="administrator"):
        team.sql("SK", "SELECT rehabteam_citizen_ref('1203811233')")


# --- access requests --------------------------------------------------------------------------


def test_an_access_request_is_an_administrators_and_no_oracle(team: Team, out_dir: Path) -> None:
    tmp_path = out_dir
    with session_scope(team.owner) as session:
        from rehabteam.models import Citizen

        hans = session.exec(select(Citizen).where(Citizen.first_name == "Hans")).first()
        assert hans is not None
    answers = []
    for cpr in (hans.cpr, "010101-0000"):  # Hans exists; the other is no one
        code, _out, err = _cli(
            team, "SK", "export", "indsigt", "--cpr", cpr, "--dir", str(tmp_path)
        )
        answers.append((code, err))
    assert answers[0] == answers[1] and answers[0][0] == 2
    assert list(tmp_path.iterdir()) == []
    code, _out, err = _cli(
        team, "AP", "export", "indsigt", "--cpr", hans.cpr, "--dir", str(tmp_path)
    )
    assert code == 0, err
    folder = next(tmp_path.iterdir())
    data = json.loads((folder / "data.json").read_text())
    assert data["citizen"]["first_name"] == "Hans" and data["cases"]
    assert data["cases"][0]["preparation"]  # the whole case, for her request only
    assert team.sql("AP", "SELECT count(*) FROM indsigt_grant") == [(0,)]  # never kept
    assert team.sql("AP", "SELECT count(*) FROM rehab_case") == [(0,)]
