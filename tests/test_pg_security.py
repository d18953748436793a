"""Need-to-know on the shared PostgreSQL database, tried as a hostile team login would: through
the services, the command line and plain SQL, each person logged in as themselves (one login
per person, set up by `rehabteam db setup-roles` exactly as the README says)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

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


def test_a_login_outside_the_team_role_is_told_so_by_every_command(
    team: Team, out_dir: Path
) -> None:
    """Issue 16: a login the database lets in but that is no member of the team's role got
    "Kan ikke forbinde ... og netværket" from every command (the permission error on the
    schema table was read as no connection). Each command now says what IT must do."""
    from sqlalchemy import text

    outsider = f"{team.role}_outsider"
    with team.owner.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{outsider}" LOGIN'))
    try:
        for args in (
            ("cases",),
            ("meetings",),
            ("staff", "list"),
            ("audit", "list"),
            ("stats", "--from", "2020-01-01", "--to", "2030-12-31"),
            ("export", "dagsorden", "--meeting", "1", "-o", str(out_dir / "d.docx")),
            ("seed", "--demo"),
            ("db", "upgrade"),
            ("db", "setup-roles"),
        ):
            code, out, err = _cli(team, outsider, *args)
            assert code == 2 and err.startswith("Fejl:"), (args, err)
            assert f"setup-roles --login {outsider}" in err and "netværk" not in err, args
            assert "Traceback" not in err and out == "", args
    finally:
        with team.owner.begin() as conn:
            conn.execute(text(f'DROP ROLE "{outsider}"'))
    assert list(out_dir.iterdir()) == []


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
    assert sorted(team.sql("SK", "SELECT key FROM app_meta WHERE key LIKE 'audit_%'")) == [
        ("audit_chain_head",),
        ("audit_retention_days",),
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
        refused = str(exc)
        assert any(w in refused for w in ("permission denied", "row-level security", "rehabteam:"))
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
    from rehabteam.services.indstilling import to_read
    from rehabteam.services.meeting_room import start_meeting

    with session_scope(team.owner) as session:
        today = session.exec(select(Meeting).where(Meeting.date == datetime.now().date())).one()
        draft = session.exec(
            select(Indstilling).where(Indstilling.status == IndstillingStatus.KLADDE.value)
        ).first()
        # The draft exactly as stored: the referent's screen shows it, so only the role counts.
        seen = to_read(session, draft).values() if draft is not None else {}
        sk_id = session.exec(select(StaffMember.id).where(StaffMember.initials == "SK")).one()
    sk = _viewer(team, "SK").viewer
    jb = _viewer(team, "JB").viewer
    assert sk is not None and jb is not None
    assert today.id is not None and sk_id is not None
    meeting_id = today.id
    calls: tuple[Callable[[Session], object], ...] = (
        lambda s: start_meeting(session=s, meeting_id=meeting_id, viewer=sk),
        lambda s: add_participant(session=s, meeting_id=meeting_id, staff_id=sk_id, viewer=sk),
    )
    for call in calls:
        with pytest.raises(AccessDenied), session_scope(team.engine("SK"), write=True) as s:
            call(s)
    if draft is not None:
        assert draft.id is not None
        with pytest.raises(AccessDenied), session_scope(team.engine("JB"), write=True) as s:
            approve(session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=jb, seen=seen)
        with pytest.raises(DBAPIError, match="only the chair approves"):
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
    # The database keeps entries for the installation's retention, whatever the caller asks.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    with pytest.raises(DBAPIError, match="kept 183 days"):
        team.sql("AP", "SELECT rehabteam_audit_purge(:c)", c=tomorrow)
    with team.owner.begin() as conn:  # the owner sets the retention (here: none)
        conn.execute(text("UPDATE app_meta SET value = '0' WHERE key = 'audit_retention_days'"))
    cutoff = datetime.now(UTC).isoformat()
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


# --- what a hostile tester found next (each refused now) ---------------------------------


def _one(team: Team, statement: str, **params: object) -> object:
    """One value, read by the owner (who sees everything)."""
    with team.owner.connect() as conn:
        return conn.execute(text(statement), params).scalar()


def test_a_case_keeps_its_citizen_and_people_so_no_one_reads_another_citizen(team: Team) -> None:
    sk_case = team.sql("SK", "SELECT id FROM rehab_case ORDER BY id LIMIT 1")[0][0]
    hidden = _one(
        team,
        "SELECT c.id FROM citizen c WHERE NOT EXISTS (SELECT 1 FROM rehab_case r "
        "JOIN staff_member m ON m.id = r.sagsbehandler_id WHERE r.citizen_id = c.id "
        "AND m.initials = 'SK') ORDER BY c.id LIMIT 1",
    )
    for column, value in (
        ("citizen_id", hidden),
        ("team_id", 999),
        ("created_by_id", 1),
        ("sagsbehandler_id", 1),
    ):
        with pytest.raises(DBAPIError, match="keeps its citizen"):
            team.sql(
                "SK", f"UPDATE rehab_case SET {column} = :v WHERE id = :id", v=value, id=sk_case
            )
    assert team.sql("SK", "SELECT count(*) FROM citizen WHERE id = :id", id=hidden) == [(0,)]


def test_a_cpr_lookup_is_audited_under_the_citizen_and_limited(team: Team) -> None:
    hans_cpr = _one(team, "SELECT cpr FROM citizen WHERE first_name = 'Hans' LIMIT 1")
    found = team.sql("SK", "SELECT rehabteam_cpr_lookup(:c)", c=hans_cpr)[0][0]
    assert found is not None
    with session_scope(team.owner) as session:
        entry = session.exec(select(AuditEvent).where(AuditEvent.entity == "cpr_lookup")).one()
        assert entry.citizen_ref == audit.citizen_ref(session, str(hans_cpr))
        assert entry.actor_login == team.logins["SK"]
    with pytest.raises(DBAPIError, match="too many CPR lookups"):
        for n in range(40):  # going through numbers, not a referral
            team.sql("SK", "SELECT rehabteam_cpr_lookup(:c)", c=f"0101{n:02d}0000")
    with session_scope(team.owner) as session:
        lookups = session.exec(select(AuditEvent).where(AuditEvent.entity == "cpr_lookup")).all()
    assert len(lookups) == 30  # every lookup, found or not, is in the trail


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        # A forged approved indstilling on one's own case.
        (
            "INSERT INTO indstilling (created_at, updated_at, version, case_id, meeting_id, "
            "version_no, status, begrundelse, vurdering, maal, opfoelgning, "
            "borgerens_bemaerkninger, sundhedskoordinator_vurdering, fp_beskaeftigelsesforhold, "
            "fp_sociale_forhold, fp_helbredsforhold, fp_arbejdsevne_begrundelse, "
            "fleksjob_begrundelse, approved_by_id, approved_at, field_stamps) "
            "SELECT now(), now(), 1, id, NULL, 9, 'sendt', 'FORGED', '', '', '', '', '', '', '', "
            "'', '', '', 1, now(), '{}' FROM rehab_case ORDER BY id LIMIT 1",
            "rehabteam: a new indstilling is a draft",
        ),
        (
            "UPDATE indstilling SET begrundelse = 'tampered' WHERE status <> 'kladde'",
            "rehabteam: an approved indstilling is locked",
        ),
        ("DELETE FROM indstilling", "permission denied for table indstilling"),
        ("DELETE FROM discipline_assessment", "permission denied for table discipline_assessment"),
        ("DELETE FROM preparation_field", "permission denied for table preparation_field"),
    ],
)
def test_an_approved_indstilling_cannot_be_forged_changed_or_deleted(
    team: Team, statement: str, refusal: str
) -> None:
    with session_scope(team.owner) as session:
        before = [(i.id, i.status, i.begrundelse) for i in session.exec(select(Indstilling))]
    with pytest.raises(DBAPIError, match=refusal):
        team.sql("ML", statement)
    with session_scope(team.owner) as session:
        after = [(i.id, i.status, i.begrundelse) for i in session.exec(select(Indstilling))]
    assert after == before


def test_the_referent_cannot_make_himself_chair_or_add_people(team: Team) -> None:
    meeting = _one(team, "SELECT id FROM meeting WHERE date = current_date")
    jb = _one(team, "SELECT id FROM staff_member WHERE initials = 'JB'")
    sk = _one(team, "SELECT id FROM staff_member WHERE initials = 'SK'")
    with pytest.raises(DBAPIError, match="changes chair or referent"):
        team.sql("JB", "UPDATE meeting SET chair_id = :jb WHERE id = :m", jb=jb, m=meeting)
    participant = _one(
        team,
        "SELECT id FROM meeting_participant WHERE meeting_id = :m AND staff_id <> :jb LIMIT 1",
        m=meeting,
        jb=jb,
    )
    with pytest.raises(DBAPIError, match="changes who takes part"):
        team.sql(
            "JB",
            "UPDATE meeting_participant SET staff_id = :sk WHERE id = :p",
            sk=sk,
            p=participant,
        )
    # Checking people in is his job.
    team.sql("JB", "UPDATE meeting_participant SET attended = true WHERE id = :p", p=participant)


def test_an_access_request_grant_lasts_only_its_transaction_and_is_audited(team: Team) -> None:
    hans_cpr = _one(team, "SELECT cpr FROM citizen WHERE first_name = 'Hans' LIMIT 1")
    team.sql("AP", "SELECT rehabteam_indsigt(:c, true)", c=hans_cpr)  # committed by hand
    assert team.sql("AP", "SELECT count(*) FROM rehab_case") == [(0,)]  # void afterwards
    with session_scope(team.owner) as session:
        opened = session.exec(select(AuditEvent).where(AuditEvent.entity == "indsigt")).all()
    assert [(e.action, e.detail, e.actor_login) for e in opened] == [
        ("read", "opened", team.logins["AP"])
    ]


def test_an_administrator_cannot_give_herself_cases_and_staff_changes_are_audited(
    team: Team,
) -> None:
    ap = _one(team, "SELECT id FROM staff_member WHERE initials = 'AP'")
    with pytest.raises(DBAPIError, match="grants themselves"):
        team.sql("AP", "INSERT INTO team_member VALUES (1, :ap, 'beskaeftigelse')", ap=ap)
    team.sql("AP", "UPDATE staff_member SET phone = '11111111' WHERE initials = 'SK'")
    with session_scope(team.owner) as session:
        changes = session.exec(select(AuditEvent).where(AuditEvent.entity == "staff_member")).all()
    assert [(e.action, e.actor_login) for e in changes][-1] == ("update", team.logins["AP"])


@pytest.mark.parametrize(
    ("who", "call"),
    [
        ("nobody", "rehabteam_audit('read', 'case', 7, 7, '', '', '')"),
        ("SK", "rehabteam_audit('read', 'case', 7, 7, '', 'ole vestergaard 180378-0955', '')"),
        ("SK", "rehabteam_audit('read', 'case', 7, 7, '', 'Ole har kræft', '')"),
        ("SK", "rehabteam_audit('delete', 'audit_seal', NULL, NULL, '', 'purged=9', '')"),
        ("SK", "rehabteam_audit('hack', 'case', 1, 1, '', '', '')"),
    ],
)
def test_the_audit_function_takes_only_the_apps_entries(team: Team, who: str, call: str) -> None:
    with session_scope(team.owner) as session:
        before = len(session.exec(select(AuditEvent)).all())
    with pytest.raises(DBAPIError, match="not an audit entry"):
        team.sql(who, f"SELECT {call}")
    with session_scope(team.owner) as session:
        assert len(session.exec(select(AuditEvent)).all()) == before


def test_team_logins_create_cases_and_send_courses_back_through_the_app(
    team: Team, rulebook: RuleBook
) -> None:
    from rehabteam.models.enums import CaseType
    from rehabteam.models.inputs import CaseCreate, CitizenCreate
    from rehabteam.services.cases import create_case
    from rehabteam.services.citizens import create_citizen

    sk = _viewer(team, "SK").viewer
    assert sk is not None
    with session_scope(team.engine("SK"), write=True) as s:
        citizen = create_citizen(
            session=s,
            data=CitizenCreate(cpr="010190-0007", first_name="Ny", last_name="Borger"),
            viewer=sk,
        )
        case = create_case(
            session=s,
            rulebook=rulebook,
            viewer=sk,
            data=CaseCreate(
                citizen_id=citizen.id,
                case_type=CaseType.FLEKSJOB,
                referral_date=datetime.now().date(),
                sagsbehandler_id=sk.staff_id,
            ),
        )
    assert case.case_number.startswith(str(datetime.now().year))
    assert {int(str(r[0])) for r in team.sql("SK", "SELECT id FROM rehab_case")} >= {case.id}


def test_only_the_people_at_the_meeting_write_its_records(team: Team) -> None:
    """Sofie may read her own case on today's agenda; the database does not let her write a
    discipline's record or the draft there (nor open the room: the code says so first)."""
    meeting = _one(team, "SELECT id FROM meeting WHERE date = current_date")
    sk_case = _one(
        team,
        "SELECT a.case_id FROM agenda_item a JOIN rehab_case c ON c.id = a.case_id "
        "JOIN staff_member m ON m.id = c.sagsbehandler_id "
        "WHERE a.meeting_id = :m AND m.initials = 'SK' LIMIT 1",
        m=meeting,
    )
    assert sk_case is not None
    with pytest.raises(DBAPIError, match="row-level security"):
        team.sql(
            "SK",
            "INSERT INTO discipline_assessment (created_at, updated_at, version, case_id, "
            "meeting_id, discipline, vurdering, anbefalede_indsatser, field_stamps) "
            "VALUES (now(), now(), 1, :c, :m, 'sundhedskoordinator', 'x', '', '{}')",
            c=sk_case,
            m=meeting,
        )


def test_a_team_login_cannot_seed_and_an_owner_without_createrole_is_told_what_to_do(
    team: Team, pg_engine: Engine
) -> None:
    import uuid

    from rehabteam.errors import InvalidInput
    from rehabteam.services.pg_roles import setup_roles

    code, _out, err = _cli(team, "SK", "seed", "--citizens", "2")
    assert code == 2 and "ejer" in err and "Traceback" not in err
    owner = f"rt_plain_{uuid.uuid4().hex[:8]}"
    schema = f"s_{uuid.uuid4().hex[:10]}"
    with pg_engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {owner} LOGIN"))  # no CREATEROLE
        conn.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {owner}"))
    url = (
        make_url(team.owner_url)
        .set(username=owner, query={"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    from rehabteam.db import make_engine, migrate

    engine = make_engine(url)
    try:
        migrate(engine)
        with pytest.raises(InvalidInput, match="CREATEROLE"):
            setup_roles(engine, team_role=f"{owner}_team", logins=[])
    finally:
        engine.dispose()
        with pg_engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            conn.execute(text(f"DROP OWNED BY {owner}"))
            conn.execute(text(f"DROP ROLE {owner}"))


@pytest.mark.postgres
def test_demo_logins_only_on_a_demo_database(pg_engine: Engine) -> None:
    """`db setup-roles --demo-logins` refuses a real database: real staff get their login
    from an administrator, never by a bulk command."""
    from rehabteam.errors import InvalidInput
    from rehabteam.services.pg_roles import demo_logins

    with pytest.raises(InvalidInput, match="demo-database"):
        demo_logins(pg_engine, team_role="never_made", prefix="never_")


def test_the_reforms_records_are_row_level_secured_and_caseloads_counted_whole(
    team: Team,
) -> None:
    """Every table has row-level security (the two new ones of migration 0011 too): in plain
    SQL a login reads only the advice and fritagelser of the cases it may see; the caseload
    per area is counted over every case by the database, as the owner counts it."""
    from rehabteam.services.approval import caseloads

    untreated = team.sql(
        "SK",
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relrowsecurity",
    )
    assert sorted(str(r[0]) for r in untreated) == ["alembic_version"]
    with session_scope(team.owner) as s:
        from rehabteam.models import Case

        advised = s.exec(select(Case.id).where(Case.case_type == "fleksjob")).all()
    assert advised
    all_advice = {int(r[0]) for r in team.sql("ML", "SELECT case_id FROM health_advice")}  # type: ignore[call-overload]
    sk_cases = {int(r[0]) for r in team.sql("SK", "SELECT id FROM rehab_case")}  # type: ignore[call-overload]
    sk_advice = {int(r[0]) for r in team.sql("SK", "SELECT case_id FROM health_advice")}  # type: ignore[call-overload]
    assert all_advice and sk_advice <= sk_cases and sk_advice < all_advice | {-1}
    assert team.sql("PN", "SELECT count(*) FROM forloeb_exemption") == [(0,)]
    running = team.sql(
        "ML",  # the chair, a fixed member, sees every course of the team
        "SELECT count(*) FROM forloeb WHERE ended_on IS NULL",
    )
    with session_scope(team.engine("ML")) as s:
        seen = {c.staff_id: c.areas for c in caseloads(session=s)}
    with session_scope(team.engine("SK")) as s:
        narrow = {c.staff_id: c.areas for c in caseloads(session=s)}
    assert seen == narrow  # whoever asks, the whole count
    assert sum(sum(a.values()) for a in seen.values()) >= int(running[0][0]) >= 2  # type: ignore[call-overload]
