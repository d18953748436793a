"""The same database work against a real PostgreSQL server (the shared-workstation setup)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import date

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlmodel import func, select

from rehabteam.cli import main
from rehabteam.db import _alembic_config, migrate, session_scope
from rehabteam.models import AuditEvent, Case
from rehabteam.models.enums import AuditAction, CaseType
from rehabteam.models.inputs import CaseCreate, CitizenCreate
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.bulk_seed import seed_bulk
from rehabteam.services.cases import count_cases, create_case, list_cases
from rehabteam.services.citizens import create_citizen
from tests.people import as_staff, caseworker
from tests.pg_team import Team

pytestmark = pytest.mark.postgres


def test_migrations_on_postgres_without_drift(pg_engine: Engine) -> None:
    assert "rehab_case" in inspect(pg_engine).get_table_names()
    with pg_engine.connect() as conn:
        command.check(_alembic_config(conn))
    migrate(pg_engine)  # idempotent


def test_downgrade_and_upgrade_on_postgres(pg_engine: Engine) -> None:
    with pg_engine.connect() as conn:
        command.downgrade(_alembic_config(conn), "base")
        conn.commit()
    migrate(pg_engine)
    assert "indstilling" in inspect(pg_engine).get_table_names()


def test_cli_commands_against_postgres(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo seeded by the owner; the chair's own login lists and searches."""
    ml = team.url("ML")
    assert main(["meetings", "--json", "--db", ml]) == 0
    meetings = json.loads(capsys.readouterr().out)
    assert [m["case_count"] for m in meetings] == [5, 4, 3]
    assert main(["cases", "--search", "hans jør", "--json", "--db", ml]) == 0
    cases = json.loads(capsys.readouterr().out)
    assert [c["cpr"] for c in cases] == ["120381-xxxx"]
    args = ["citizens", "add", "--cpr", "311399-1234", "--first-name", "A", "--last-name", "B"]
    assert main([*args, "--db", ml]) == 2
    assert "Ugyldigt CPR-nummer" in capsys.readouterr().err


def test_services_and_bulk_seed_on_postgres(pg_engine: Engine, rulebook: RuleBook) -> None:
    sb = caseworker(pg_engine)
    with session_scope(pg_engine, write=True) as session:
        citizen = create_citizen(
            session=session,
            data=CitizenCreate(cpr="120381-1233", first_name="Hans", last_name="Jørgensen"),
            viewer=sb,
        )
        create_case(
            session=session,
            rulebook=rulebook,
            data=CaseCreate(
                citizen_id=citizen.id,
                case_type=CaseType.FLEKSJOB,
                referral_date=date(2026, 2, 2),
                sagsbehandler_id=sb.staff_id,
            ),
            viewer=sb,
        )
    seed_bulk(pg_engine, citizens=400, rulebook=rulebook)
    with session_scope(pg_engine, write=True) as session:
        # ids continue after the bulk insert (sequences were moved on)
        later = create_citizen(
            session=session,
            data=CitizenCreate(cpr="010190-1234", first_name="Efter", last_name="Seed"),
            viewer=sb,
        )
        assert later.id == 402
    with session_scope(pg_engine) as session:
        # 401 cases in all; the caseworker sees her one, not the generated ones.
        assert session.exec(select(func.count()).select_from(Case)).one() == 401
        assert count_cases(session=session, viewer=sb) == 1
        assert [
            c.citizen_name for c in list_cases(session=session, search="hans jørg", viewer=sb)
        ] == ["Hans Jørgensen"]


def test_concurrent_writers_keep_one_audit_chain(pg_engine: Engine) -> None:
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for _ in range(10):
                with session_scope(pg_engine, write=True) as session:
                    audit.record(
                        session=session,
                        actor=None,
                        action=AuditAction.UPDATE,
                        entity="t",
                        entity_id=n,
                    )
        except BaseException as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with session_scope(pg_engine) as session:
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) == 40
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.entry_hash


def test_two_workstations_editing_the_same_indstilling(pg_url: str, rulebook: RuleBook) -> None:
    """Chair and referent on the same PostgreSQL database: the second save of the same
    version is refused with the first one's text, while both transactions are open."""
    from rehabteam.db import make_engine
    from rehabteam.errors import StaleEdit
    from rehabteam.models import AgendaItem, Meeting
    from rehabteam.models.inputs import AssessmentInput, IndstillingInput
    from rehabteam.services import assessments as asm
    from rehabteam.services import indstilling as ind
    from rehabteam.services.demo import seed_demo

    chair, referent = make_engine(pg_url), make_engine(pg_url)
    migrate(chair)
    with session_scope(chair, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    CHAIR, REFERENT = as_staff(chair, "ML"), as_staff(chair, "JB")
    with session_scope(chair) as s:
        meeting = s.exec(select(Meeting).where(Meeting.date == date.today())).one()
        item = s.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).first()
        assert item is not None
        case_id, meeting_id = item.case_id, meeting.id
    with session_scope(chair, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=CHAIR)
    seen_by_both = draft.version

    outcome: list[object] = []
    chair_saved = threading.Event()

    def referent_saves() -> None:
        chair_saved.wait(10)
        try:
            with session_scope(referent, write=True) as s:
                ind.save_draft(
                    session=s,
                    indstilling_id=draft.id,
                    expected_version=seen_by_both,
                    data=IndstillingInput(begrundelse="Jonas' formulering"),
                    viewer=REFERENT,
                )
            outcome.append("saved")
        except StaleEdit as exc:
            outcome.append(exc)

    worker = threading.Thread(target=referent_saves)
    worker.start()
    with session_scope(chair, write=True) as s:
        ind.save_draft(
            session=s,
            indstilling_id=draft.id,
            expected_version=seen_by_both,
            data=IndstillingInput(begrundelse="Mettes formulering"),
            viewer=CHAIR,
        )
        chair_saved.set()  # the referent's UPDATE now waits on the chair's row lock
        time.sleep(0.3)
    worker.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], StaleEdit)
    assert outcome[0].theirs["begrundelse"] == "Mettes formulering"
    with session_scope(referent) as s:
        stored = ind.get_indstilling(session=s, case_id=case_id, viewer=REFERENT)
        assert stored is not None and stored.begrundelse == "Mettes formulering"
    # The same for a discipline's assessment typed on both laptops.
    with session_scope(chair, write=True) as s:
        asm.save_assessment(
            session=s,
            case_id=case_id,
            meeting_id=meeting_id,
            discipline="social",
            expected_version=0,
            data=AssessmentInput(vurdering="Fra Mette"),
            viewer=CHAIR,
        )
    with session_scope(referent, write=True) as s, pytest.raises(StaleEdit) as stale:
        asm.save_assessment(
            session=s,
            case_id=case_id,
            meeting_id=meeting_id,
            discipline="social",
            expected_version=0,
            data=AssessmentInput(vurdering="Fra Jonas"),
            viewer=REFERENT,
        )
    assert stale.value.theirs["vurdering"] == "Fra Mette"
    chair.dispose()
    referent.dispose()


def test_audit_trail_is_insert_only_on_postgres(pg_engine: Engine) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with session_scope(pg_engine, write=True) as s:
        audit.record(session=s, actor=None, action=AuditAction.READ, entity="case", entity_id=1)
        audit.record(session=s, actor=None, action=AuditAction.READ, entity="case", entity_id=2)
    for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="insert-only"), pg_engine.begin() as conn:
            conn.execute(text(statement))
    with session_scope(pg_engine, write=True) as s:
        first = s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()[1]
        assert audit.purge(session=s, actor=None, older_than=first.occurred_at) == 1
    with session_scope(pg_engine) as s:
        ok, message, _ = audit.verify(session=s)
    assert ok, message


def test_the_database_login_says_who_is_working(pg_engine: Engine) -> None:
    from rehabteam.models import StaffMember
    from rehabteam.services.identity import identify

    with session_scope(pg_engine, write=True) as s:
        s.add(
            StaffMember(name="Login Person", initials="LP", discipline="social", login="postgres")
        )
    with session_scope(pg_engine) as s:
        identity = identify(session=s, claimed="XX")
    assert identity.viewer is not None and identity.viewer.initials == "LP"
    assert identity.claim_ignored  # REHABTEAM_USER does not count on PostgreSQL


def test_upgrading_takes_back_what_the_old_readme_granted(pg_url: str, pg_engine: Engine) -> None:
    """A role set up by hand with the grants the older README gave (writes on every table)
    loses, with migration 0007, the writes on the audit trail, app_meta and alembic_version
    and every TRUNCATE, and writes the audit trail through the database function instead."""
    import uuid

    from sqlalchemy import text

    from rehabteam.db import _alembic_config

    role = f"rt_old_{uuid.uuid4().hex[:8]}"
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    with pg_engine.connect() as conn:
        command.downgrade(_alembic_config(conn), "0006")
        conn.commit()
    with pg_engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO {role}"))
        conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"))
    try:
        migrate(pg_engine)
        with pg_engine.connect() as conn:
            rights = {
                (str(table), str(privilege))
                for table, privilege in conn.execute(
                    text(
                        "SELECT table_name, privilege_type FROM information_schema."
                        "role_table_grants WHERE grantee = :r AND table_schema = :s"
                    ),
                    {"r": role, "s": schema},
                )
            }
            may_audit = conn.execute(
                text(
                    "SELECT has_function_privilege(:r, 'rehabteam_audit(text, text, integer, "
                    "integer, text, text, text)', 'EXECUTE')"
                ),
                {"r": role},
            ).scalar()
        for table in ("audit_event", "app_meta", "alembic_version"):
            assert {p for t, p in rights if t == table} <= {"SELECT"}, table
        assert not {p for _t, p in rights if p in ("TRUNCATE", "TRIGGER", "REFERENCES")}
        assert ("rehab_case", "INSERT") in rights  # the data tables keep working
        assert may_audit
    finally:
        with pg_engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
