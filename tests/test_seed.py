"""Demo and scale data: realistic, complete, fictitious, and marked as such."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from rehabteam.db import session_scope
from rehabteam.errors import InvalidInput
from rehabteam.models import (
    AgendaItem,
    Case,
    Citizen,
    DisciplineAssessment,
    Indstilling,
    Meeting,
    PreparationField,
    StaffMember,
    StaffRoleLink,
    Team,
)
from rehabteam.models.cpr import parse_cpr
from rehabteam.models.enums import CaseStatus, Discipline, StaffRole
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services.bulk_seed import seed_bulk
from rehabteam.services.demo import is_demo, seed_demo
from tests.people import add_staff

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(engine: Engine, rulebook: RuleBook) -> Engine:
    with session_scope(engine, write=True) as session:
        seed_demo(session=session, rulebook=rulebook, today=TODAY)
    return engine


def test_demo_has_staff_for_every_discipline_and_role(demo: Engine) -> None:
    with session_scope(demo) as session:
        disciplines = set(session.exec(select(StaffMember.discipline)).all())
        roles = set(session.exec(select(StaffRoleLink.role)).all())
    assert {d.value for d in Discipline if d is not Discipline.GAEST} <= disciplines
    assert {r.value for r in StaffRole} <= roles


def test_demo_has_about_40_citizens_with_cases_in_every_state(demo: Engine) -> None:
    with session_scope(demo) as session:
        citizens = session.exec(select(func.count()).select_from(Citizen)).one()
        statuses = Counter(session.exec(select(Case.status)).all())
        cprs = session.exec(select(Citizen.cpr)).all()
        assert is_demo(session=session)
    assert 35 <= citizens <= 45
    assert set(statuses) == {s.value for s in CaseStatus}
    for cpr in cprs:  # valid in format and date
        assert parse_cpr(cpr, today=TODAY).birth_date <= TODAY


def test_demo_has_three_meetings_last_week_today_next_week(demo: Engine) -> None:
    with session_scope(demo) as session:
        every = session.exec(select(Meeting).order_by(col(Meeting.date))).all()
        earlier, meetings = every[:-3], every[-3:]  # earlier: where the courses were agreed
        assert earlier and {m.status for m in earlier} == {"afholdt"}
        held_id = meetings[0].id
        approved = session.exec(
            select(Indstilling).where(
                Indstilling.meeting_id == held_id, Indstilling.status == "godkendt"
            )
        ).all()
        assessments = session.exec(
            select(DisciplineAssessment).where(DisciplineAssessment.meeting_id == held_id)
        ).all()
        today_items = session.exec(
            select(AgendaItem).where(AgendaItem.meeting_id == meetings[1].id)
        ).all()
    assert [m.date for m in meetings] == [
        TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=1) + timedelta(days=3),
        TODAY,
        TODAY - timedelta(days=TODAY.weekday()) + timedelta(weeks=1, days=3),
    ]
    assert [m.status for m in meetings] == ["afholdt", "planlagt", "planlagt"]
    assert len(approved) == 4
    assert {a.discipline for a in assessments} >= {"sundhedskoordinator", "beskaeftigelse"}
    assert len(today_items) == 5 and today_items[0].bisidder == "Lise Jørgensen (søster)"
    # Last week's case not reached is booked again, last on today's meeting.
    held_items = [i for i in every_item(demo, held_id) if i.status == "udsat"]
    assert len(held_items) == 1
    assert today_items[-1].case_id == held_items[0].case_id and today_items[-1].position == 4


def every_item(engine: Engine, meeting_id: int | None) -> list[AgendaItem]:
    with session_scope(engine) as session:
        return list(session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)))


def _citizens(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Citizen)).one()


def test_demo_only_goes_into_an_empty_database(demo: Engine, rulebook: RuleBook) -> None:
    before = _citizens(demo)
    with (
        pytest.raises(InvalidInput, match="indeholder allerede"),
        session_scope(demo, write=True) as s,
    ):
        seed_demo(session=s, rulebook=rulebook, today=TODAY)
    assert _citizens(demo) == before


def test_a_second_demo_seed_is_not_told_it_holds_real_staff(
    demo: Engine, rulebook: RuleBook
) -> None:
    with pytest.raises(InvalidInput) as refused, session_scope(demo, write=True) as s:
        seed_demo(session=s, rulebook=rulebook, today=TODAY)
    assert "rigtige medarbejdere" not in str(refused.value)


def test_no_fictitious_data_beside_real_staff(
    engine: Engine, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from rehabteam.cli import main

    with session_scope(engine, write=True) as session:
        add_staff(session, "AB", roles=(StaffRole.ADMINISTRATOR,), login="ab")
    for kind in (["--demo"], ["--citizens", "20"]):
        assert main(["seed", *kind, "--db", sqlite_url]) == 2
        assert "rigtige medarbejdere" in capsys.readouterr().err
    assert _citizens(engine) == 0


def test_bulk_seed_ratios_and_valid_numbers(engine: Engine, rulebook: RuleBook) -> None:
    calls: list[tuple[int, int]] = []
    seed_bulk(
        engine,
        citizens=600,
        rulebook=rulebook,
        today=TODAY,
        progress=lambda d, t: calls.append((d, t)),
    )
    with session_scope(engine) as session:
        citizens = session.exec(select(func.count()).select_from(Citizen)).one()
        cases = session.exec(select(func.count()).select_from(Case)).one()
        meetings = session.exec(select(func.count()).select_from(Meeting)).one()
        items = session.exec(select(func.count()).select_from(AgendaItem)).one()
        cprs = session.exec(select(Citizen.cpr)).all()
        assert is_demo(session=session)  # marked fictitious: the banner shows
    assert citizens == cases == 600
    assert items == pytest.approx(5 * meetings, abs=5)
    assert 0.6 * 600 < items < 0.95 * 600
    assert len(set(cprs)) == 600
    for cpr in cprs:
        parse_cpr(cpr, today=TODAY)
    assert calls[-1] == (600, 600)
    # a second run adds to the first without colliding
    seed_bulk(engine, citizens=50, rulebook=rulebook, today=TODAY, seed=2)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Citizen)).one() == 650


def test_bulk_seed_states_follow_age_as_in_a_real_team(engine: Engine, rulebook: RuleBook) -> None:
    """The benchmark database must look like years of work: only recent referrals are still
    open, and only ressourceforløb of the last two years are running (afgjort)."""
    from rehabteam.models.enums import OPEN_CASE_STATUSES, CaseType
    from rehabteam.services.bulk_seed import FORLOEB_DAYS, PIPELINE_DAYS

    seed_bulk(engine, citizens=2000, rulebook=rulebook, today=TODAY)
    with session_scope(engine) as session:
        cases = session.exec(select(Case)).all()
    open_values = {s.value for s in OPEN_CASE_STATUSES}
    open_cases = [c for c in cases if c.status in open_values]
    assert open_cases and all((TODAY - c.referral_date).days < PIPELINE_DAYS for c in open_cases)
    running = [c for c in cases if c.status == CaseStatus.AFGJORT.value]
    old_running = [c for c in running if (TODAY - c.referral_date).days >= 120]
    assert old_running and all(
        c.case_type == CaseType.RESSOURCEFORLOEB.value
        and (TODAY - c.referral_date).days < FORLOEB_DAYS
        for c in old_running
    )
    closed = sum(c.status == CaseStatus.AFSLUTTET.value for c in cases)
    assert closed > len(cases) * 0.6


def _team_member(engine: Engine) -> Viewer:
    """A mødeleder of the generated team, who may see all of its cases."""
    with session_scope(engine, write=True) as session:
        team = session.exec(select(Team.id)).one()
        return add_staff(session, "TL", roles=(StaffRole.MOEDELEDER,), team_id=team)


def _plan(engine: Engine, call: Callable[[Session], object], table: str) -> str:
    """The query plan of the first statement `call` runs that selects from `table`."""
    from sqlalchemy import event

    statements: list[tuple[str, Any]] = []

    def keep(_conn: object, _cursor: object, statement: str, params: Any, *_: object) -> None:
        if statement.startswith(f"SELECT {table}"):
            statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    with session_scope(engine) as session:
        call(session)
    event.remove(engine, "before_cursor_execute", keep)
    statement, params = statements[0]
    with engine.connect() as conn:
        return " ".join(
            str(row[3]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
        )


def test_open_cases_are_read_from_their_partial_index(engine: Engine, rulebook: RuleBook) -> None:
    """The home screen's page of open cases must not sort every case ever referred."""
    from rehabteam.models.case import OPEN_CASE_SQL
    from rehabteam.models.enums import OPEN_CASE_STATUSES
    from rehabteam.services.cases import list_cases

    assert (
        "status IN ({})".format(", ".join(f"'{s.value}'" for s in OPEN_CASE_STATUSES))
        == OPEN_CASE_SQL
    )
    seed_bulk(engine, citizens=3000, rulebook=rulebook, today=TODAY)
    viewer = _team_member(engine)
    statuses = list(OPEN_CASE_STATUSES)
    with session_scope(engine) as session:
        page = list_cases(session=session, statuses=statuses, limit=200, viewer=viewer)
    assert page and [c.referral_date for c in page] == sorted(
        (c.referral_date for c in page), reverse=True
    )
    plan = _plan(
        engine,
        lambda s: list_cases(session=s, statuses=statuses, limit=200, viewer=viewer),
        "rehab_case",
    )
    assert "ix_case_open_referral" in plan and "TEMP B-TREE" not in plan


def test_decisions_awaited_are_read_longest_waiting_first_from_their_index(
    engine: Engine, rulebook: RuleBook
) -> None:
    """The oldest 200 awaiting a decision, without sorting all of them."""
    from rehabteam.services.followup import awaiting_decision

    seed_bulk(engine, citizens=3000, rulebook=rulebook, today=TODAY)
    viewer = _team_member(engine)
    with session_scope(engine) as session:
        waiting = awaiting_decision(session=session, limit=10, viewer=viewer)
    approved = [w.approved_on for w in waiting]
    assert len(waiting) == 10 and None not in approved and approved == sorted(approved)  # type: ignore[type-var]
    plan = _plan(
        engine, lambda s: awaiting_decision(session=s, limit=10, viewer=viewer), "indstilling"
    )
    assert "ix_case_awaiting_decision" in plan and "TEMP B-TREE" not in plan


def test_bulk_seed_records_decisions_and_courses(engine: Engine, rulebook: RuleBook) -> None:
    """The benchmark database follows cases past the team: decisions (most followed) and
    the courses of followed ressourceforløb with their interventions, all linked."""
    from rehabteam.models import Decision, Forloeb, ForloebIntervention

    seed_bulk(engine, citizens=3000, rulebook=rulebook, today=TODAY)
    with session_scope(engine) as session:
        decisions = session.exec(select(Decision)).all()
        courses = session.exec(select(Forloeb)).all()
        items = session.exec(select(func.count()).select_from(ForloebIntervention)).one()
    followed = sum(d.followed for d in decisions)
    assert decisions and 0.8 < followed / len(decisions) < 0.97
    assert courses and items == 3 * len(courses)
    assert all(c.start_on <= TODAY and c.planned_end_on > c.start_on for c in courses)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []


def test_the_demos_lae_265_comes_before_the_approval_it_was_the_basis_of(
    engine: Engine, rulebook: RuleBook
) -> None:
    """Case 34 was approved 13.01.2026 on a LÆ 265 "modtaget 22.01.2026"."""
    from sqlmodel import select

    from rehabteam.db import session_scope
    from rehabteam.models import Indstilling, MedicalStatement
    from rehabteam.services.demo import seed_demo

    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    with session_scope(engine) as s:
        statements = {m.case_id: m.received_on for m in s.exec(select(MedicalStatement))}
        pairs = [(i.approved_at, statements.get(i.case_id)) for i in s.exec(select(Indstilling))]
    approved = [(a, r) for a, r in pairs if a is not None and r is not None]
    assert approved
    for approved_at, received_on in approved:
        assert received_on <= approved_at.date(), (received_on, approved_at)


def test_every_approved_demo_indstilling_was_agreed_during_a_held_meeting(demo: Engine) -> None:
    """The decided cases' indstillinger had no meeting: their documents named no team and
    said "Møde -, -". Last week's were stamped approved at 15:00 UTC, after the meeting had
    closed at 13:40."""
    from datetime import datetime

    with session_scope(demo) as session:
        approved = session.exec(
            select(Indstilling).where(col(Indstilling.approved_at).is_not(None))
        ).all()
        assert len(approved) >= 10
        for ind in approved:
            meeting = session.get(Meeting, ind.meeting_id) if ind.meeting_id else None
            assert meeting is not None and meeting.status == "afholdt", ind.case_id
            assert meeting.closed_at is not None and ind.approved_at is not None
            opened = datetime.combine(meeting.date, meeting.start_time).astimezone()
            assert opened <= ind.approved_at <= meeting.closed_at, (ind.approved_at, meeting)
            item = session.exec(
                select(AgendaItem).where(
                    AgendaItem.meeting_id == meeting.id, AgendaItem.case_id == ind.case_id
                )
            ).one()
            assert item.status == "behandlet"
            assessed = session.exec(
                select(DisciplineAssessment.meeting_id).where(
                    DisciplineAssessment.case_id == ind.case_id
                )
            ).all()
            assert assessed and set(assessed) == {meeting.id}


@pytest.mark.parametrize("today", [date(2026, 1, 20), date(2026, 3, 2), date(2026, 12, 3)])
def test_the_demos_dates_are_working_days_and_its_case_numbers_their_referral_year(
    engine: Engine, rulebook: RuleBook, today: date
) -> None:
    """A demo meeting was held on New Year's Day (material sent on Christmas Eve), a course
    decided on Christmas Day, and case 2026-00036 was at a meeting in December 2025."""
    from rehabteam.models import Decision

    with session_scope(engine, write=True) as session:
        seed_demo(session=session, rulebook=rulebook, today=today)
    days_off = {(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)}
    with session_scope(engine) as session:
        for meeting in session.exec(select(Meeting)):
            assert meeting.date.weekday() < 5, meeting.date
            assert (meeting.date.month, meeting.date.day) not in days_off, meeting.date
        for decision in session.exec(select(Decision)):
            assert (decision.decided_on.month, decision.decided_on.day) not in days_off
            assert decision.decided_on.weekday() < 5, decision.decided_on
        for case in session.exec(select(Case)):
            assert case.case_number.startswith(f"{case.referral_date.year}-"), (
                case.case_number,
                case.referral_date,
            )


def test_the_demos_indstillinger_tell_each_citizens_own_story(demo: Engine) -> None:
    """Two ressourceforløb approved at last week's meeting read exactly alike: every demo
    case had the same texts. An approved ressourceforløb now has its own begrundelse and
    goal, and a fleksjob or førtidspension speaks of no ressourceforløb, neither in its
    indstilling nor in its case's preparation."""
    from rehabteam.models import PreparationField

    with session_scope(demo) as session:
        approved = session.exec(
            select(Indstilling).where(
                Indstilling.type == "ressourceforloeb", Indstilling.status == "godkendt"
            )
        ).all()
        others = session.exec(
            select(Indstilling).where(col(Indstilling.type).in_(["fleksjob", "foertidspension"]))
        ).all()
        preparation = {
            ind.case_id: session.exec(
                select(PreparationField).where(PreparationField.case_id == ind.case_id)
            ).all()
            for ind in others
        }
    assert len(approved) >= 2 and all(ind.maal for ind in approved)
    for n, first in enumerate(approved):
        for second in approved[n + 1 :]:
            assert first.begrundelse != second.begrundelse, (first.case_id, second.case_id)
            assert first.maal != second.maal, (first.case_id, second.case_id)
    assert {ind.type for ind in others} == {"fleksjob", "foertidspension"}
    for ind in others:
        texts = [
            ind.begrundelse,
            ind.vurdering,
            ind.borgerens_bemaerkninger,
            ind.sundhedskoordinator_vurdering,
            ind.maal,
            ind.fp_beskaeftigelsesforhold,
            ind.fp_arbejdsevne_begrundelse,
            ind.fleksjob_begrundelse,
        ]
        fields = preparation[ind.case_id]
        assert fields, ind.case_id
        texts += [f.citizen_text for f in fields] + [f.caseworker_text for f in fields]
        for text in texts:
            assert "ressourceforløb" not in text.lower(), (ind.case_id, text)


def test_no_demo_preparation_field_is_a_placeholder(demo: Engine) -> None:
    """A samlet beskrivelse (from 2026) has fields the older preparation does not
    (resources, the sundhedskoordinator's advice): the demo filled them with "Beskrevet.",
    which the documents then printed as if it were the description."""
    with session_scope(demo) as session:
        fields = session.exec(select(PreparationField)).all()
    keys = {f.field_key for f in fields}
    assert {"ressourcer", "sundhedsfaglig_raadgivning"} <= keys
    placeholders = [f.field_key for f in fields if f.caseworker_text.strip() in ("", "Beskrevet.")]
    assert placeholders == [], Counter(placeholders)
