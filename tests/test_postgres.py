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
from sqlmodel import col, func, select

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
    assert [m["case_count"] for m in meetings[-3:]] == [5, 5, 3]  # after the older ones
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
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert len(events) == 40
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.entry_hash


def test_two_workstations_editing_the_same_indstilling(pg_url: str, rulebook: RuleBook) -> None:
    """Chair and referent on the same PostgreSQL database, saving from the same screen while
    both transactions are open (the referent's save waits on the chair's row lock): their
    different fields are both kept; the same field is refused to the second, with the
    first's text, until replaced deliberately. The same for a discipline's assessment that
    both laptops create at once."""
    from collections.abc import Callable
    from typing import Any

    from sqlmodel import Session

    from rehabteam.db import make_engine
    from rehabteam.models import AgendaItem, DisciplineAssessment, Meeting
    from rehabteam.models.inputs import AssessmentInput, IndstillingInput
    from rehabteam.models.read import AssessmentRead, IndstillingRead, Saved
    from rehabteam.models.viewer import Viewer
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
        assert meeting_id is not None
    with session_scope(chair, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=CHAIR)

    def at_once(
        chair_saves: Callable[[Session], Any], referent_saves: Callable[[Session], Any]
    ) -> tuple[Any, Any]:
        """What each save returned, the referent's started while the chair's transaction is
        still open (and finished only after it committed: it waited on the row lock)."""
        outcome: list[object] = []
        chair_saved = threading.Event()

        def referent_side() -> None:
            chair_saved.wait(10)
            try:
                with session_scope(referent, write=True) as s:
                    outcome.append(referent_saves(s))
                    outcome.append(time.monotonic())
            except BaseException as exc:  # surfaced below; a thread's exception is otherwise lost
                outcome.append(exc)

        worker = threading.Thread(target=referent_side)
        worker.start()
        with session_scope(chair, write=True) as s:
            mine = chair_saves(s)
            chair_saved.set()  # the referent's save now waits on the chair's row lock
            time.sleep(0.3)
            before_commit = time.monotonic()
        worker.join(10)
        assert not worker.is_alive()
        if outcome and isinstance(outcome[0], BaseException):
            raise outcome[0]
        theirs, finished = outcome
        assert isinstance(finished, float) and finished > before_commit
        return mine, theirs

    def save_draft(
        viewer: Viewer, data: IndstillingInput, base: dict[str, Any]
    ) -> Callable[[Session], Saved[IndstillingRead]]:
        return lambda s: ind.save_draft(
            session=s, indstilling_id=draft.id, data=data, base=base, viewer=viewer
        )

    def stored() -> IndstillingRead:
        with session_scope(referent) as s:
            read = ind.get_indstilling(session=s, case_id=case_id, viewer=REFERENT)
        assert read is not None
        return read

    # (a) Different fields from the same empty draft: the referent's save carries the empty
    # begrundelse he saw, and must not blank the chair's.
    mine, theirs = at_once(
        save_draft(CHAIR, IndstillingInput(begrundelse="Mettes formulering"), {"begrundelse": ""}),
        save_draft(REFERENT, IndstillingInput(maal="Jonas' mål"), {"maal": ""}),
    )
    assert mine.conflicts == () and theirs.conflicts == ()
    both = stored()
    assert (both.begrundelse, both.maal) == ("Mettes formulering", "Jonas' mål")
    assert theirs.read.values() == both.values()
    # (b) The same field from the same start: the referent's is refused with the chair's.
    start = both.values()
    mine, theirs = at_once(
        save_draft(
            CHAIR,
            IndstillingInput(
                begrundelse="Mettes formulering", maal="Jonas' mål", opfoelgning="Mette"
            ),
            {"opfoelgning": start["opfoelgning"]},
        ),
        save_draft(
            REFERENT,
            IndstillingInput(
                begrundelse="Mettes formulering", maal="Jonas' mål", opfoelgning="Jonas"
            ),
            {"opfoelgning": start["opfoelgning"]},
        ),
    )
    assert mine.conflicts == ()
    (conflict,) = theirs.conflicts
    assert (conflict.field, conflict.theirs, conflict.by) == ("opfoelgning", "Mette", "Mette Lund")
    assert conflict.at is not None and theirs.read.opfoelgning == "Mette"
    after = stored()
    assert (after.begrundelse, after.maal, after.opfoelgning) == (
        "Mettes formulering",
        "Jonas' mål",
        "Mette",
    )
    # (c) Having seen the chair's text, the referent replaces it on purpose.
    with session_scope(referent, write=True) as s:
        replaced = save_draft(
            REFERENT,
            IndstillingInput(
                begrundelse="Mettes formulering", maal="Jonas' mål", opfoelgning="Jonas"
            ),
            {"opfoelgning": conflict.theirs},
        )(s)
    assert replaced.conflicts == () and stored().opfoelgning == "Jonas"

    # A discipline's assessment typed on both laptops: neither has a saved record yet, so
    # both create it at once; the referent's finds the chair's row and merges into it.
    def save_social(
        viewer: Viewer, data: AssessmentInput, base: dict[str, str]
    ) -> Callable[[Session], Saved[AssessmentRead]]:
        return lambda s: asm.save_assessment(
            session=s,
            case_id=case_id,
            meeting_id=meeting_id,
            discipline="social",
            data=data,
            base=base,
            viewer=viewer,
        )

    mine, theirs = at_once(
        save_social(CHAIR, AssessmentInput(vurdering="Fra Mette"), {"vurdering": ""}),
        save_social(
            REFERENT,
            AssessmentInput(vurdering="Fra Jonas", anbefalede_indsatser="Mentor"),
            {"vurdering": "", "anbefalede_indsatser": ""},
        ),
    )
    assert mine.conflicts == ()
    (conflict,) = theirs.conflicts
    assert (conflict.field, conflict.theirs, conflict.by) == (
        "vurdering",
        "Fra Mette",
        "Mette Lund",
    )
    with session_scope(referent) as s:
        rows = s.exec(
            select(DisciplineAssessment).where(
                DisciplineAssessment.case_id == case_id,
                DisciplineAssessment.meeting_id == meeting_id,
                DisciplineAssessment.discipline == "social",
            )
        ).all()
    assert [(r.vurdering, r.anbefalede_indsatser) for r in rows] == [("Fra Mette", "Mentor")]
    chair.dispose()
    referent.dispose()


def test_audit_trail_is_insert_only_on_postgres(pg_engine: Engine) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from rehabteam.errors import DatabaseProblem

    with session_scope(pg_engine, write=True) as s:
        audit.record(session=s, actor=None, action=AuditAction.READ, entity="case", entity_id=1)
        audit.record(session=s, actor=None, action=AuditAction.READ, entity="case", entity_id=2)
    for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="insert-only"), pg_engine.begin() as conn:
            conn.execute(text(statement))
    with session_scope(pg_engine, write=True) as s:
        first = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()[1]
    # The database keeps entries for the installation's retention, whatever the caller asks.
    with (
        pytest.raises(DatabaseProblem, match="mindst 183 dage"),
        session_scope(pg_engine, write=True) as s,
    ):
        audit.purge(session=s, actor=None, older_than=first.occurred_at)
    with pg_engine.begin() as conn:  # the owner sets the retention (here: none)
        conn.execute(text("UPDATE app_meta SET value = '0' WHERE key = 'audit_retention_days'"))
    with session_scope(pg_engine, write=True) as s:
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
