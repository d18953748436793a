"""Citizens, cases and meetings through the services, as the screens and CLI use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from rehabteam.db import session_scope
from rehabteam.errors import InvalidInput, RuleViolation
from rehabteam.models import AuditEvent, Case, Citizen, TeamMember
from rehabteam.models.enums import CaseStatus, CaseType
from rehabteam.models.inputs import CaseCreate, CitizenCreate
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.cases import count_cases, create_case, list_cases
from rehabteam.services.citizens import create_citizen, search_citizens
from tests.people import add_staff, add_team, as_staff, caseworker


@pytest.fixture
def sb(engine: Engine) -> Viewer:
    return caseworker(engine)


def _citizen(
    engine: Engine,
    cpr: str = "120381-1233",
    first: str = "Hans",
    last: str = "Jørgensen",
    *,
    viewer: Viewer | None = None,
) -> int:
    with session_scope(engine, write=True) as session:
        return create_citizen(
            session=session,
            data=CitizenCreate(cpr=cpr, first_name=first, last_name=last),
            viewer=viewer or as_staff(session, "SB"),
        ).id


def test_create_citizen_derives_birth_date_and_gender_and_masks(engine: Engine, sb: Viewer) -> None:
    with session_scope(engine, write=True) as session:
        read = create_citizen(
            session=session,
            data=CitizenCreate(cpr="1203811233", first_name=" Hans\x1b[2J ", last_name="Jørgensen"),
            viewer=sb,
        )
    assert read.name == "Hans Jørgensen"
    assert read.cpr_masked == "120381-xxxx"
    assert read.birth_date == date(1981, 3, 12)
    assert read.gender == "mand"
    with session_scope(engine) as session:
        stored = session.exec(select(Citizen)).one()
    assert stored.cpr == "1203811233"
    assert "\x1b" not in stored.first_name


def test_a_cpr_number_already_registered_is_that_person(any_engine: Engine) -> None:
    """Registering someone already there (perhaps by another team) creates no second person:
    it is the audited lookup of the existing one, whom the registering caseworker then sees."""
    engine = any_engine
    sb = caseworker(engine)
    with session_scope(engine, write=True) as session:
        team = add_team(session, "Andet team (fiktivt)")
        other = add_staff(session, "OT", team_id=team)
    _citizen(engine, viewer=other)
    with session_scope(engine, write=True) as s:
        found = create_citizen(
            session=s,
            data=CitizenCreate(cpr="120381-1233", first_name="X", last_name="Y"),
            viewer=sb,
        )
    assert found.already_registered and found.name == "Hans Jørgensen"
    with session_scope(engine) as session:
        assert [c.first_name for c in session.exec(select(Citizen))] == ["Hans"]
        lookup = session.exec(select(AuditEvent).where(AuditEvent.entity == "cpr_lookup")).one()
        ref = audit.citizen_ref(session, "1203811233")
        assert lookup.citizen_ref == ref
        # (On PostgreSQL the database names the login; here the owner's, on SQLite SB's.)
        assert lookup.actor_id == (None if engine.dialect.name == "postgresql" else sb.staff_id)
    with session_scope(engine, write=True) as s:
        assert [c.name for c in search_citizens(session=s, text="hans", viewer=sb)] == [
            "Hans Jørgensen"
        ]


def test_name_search_lists_each_citizen_once_and_follows_renames(any_engine: Engine) -> None:
    from rehabteam.services.citizens import search_name_for

    engine = any_engine
    sb = caseworker(engine)
    _citizen(engine, "010190-1234", "Hans", "Hansen")
    _citizen(engine, "020290-1234", "Jens", "Hansen")
    _citizen(engine, "030390-1234", "Anna", "Jensen Hansen")
    _citizen(engine, "040490-1234", "Aage", "Aagaard")
    with session_scope(engine) as session:
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="aa")] == [
            "Aage Aagaard"
        ]
        found = [c.name for c in search_citizens(session=session, viewer=sb, text="hans")]
        assert found == ["Hans Hansen", "Anna Jensen Hansen", "Jens Hansen"]
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="hansen j")] == [
            "Anna Jensen Hansen",
            "Jens Hansen",
        ]
        assert search_citizens(session=session, viewer=sb, text="hans_") == []  # no wildcards
        assert len(search_citizens(session=session, viewer=sb, text="hans", limit=2)) == 2
    with session_scope(engine, write=True) as session:
        anna = session.exec(select(Citizen).where(col(Citizen.first_name) == "Anna")).one()
        anna.last_name = "Kjær"
        anna.search_name = search_name_for(anna.first_name, anna.last_name)
        session.add(anna)
    with session_scope(engine) as session:
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="kjær")] == [
            "Anna Kjær"
        ]
        assert "Anna Kjær" not in [
            c.name for c in search_citizens(session=session, viewer=sb, text="hans")
        ]


def test_search_by_name_words_and_cpr_prefix(engine: Engine, sb: Viewer) -> None:
    _citizen(engine)
    _citizen(engine, "010190-1234", "Hanne", "Hansen")
    _citizen(engine, "020290-1234", "Ole", "Østergaard")
    with session_scope(engine) as session:
        # The word itself before the longer words it begins: Hans before the Hansens.
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="hans")] == [
            "Hans Jørgensen",
            "Hanne Hansen",
        ]
        assert [
            c.name for c in search_citizens(session=session, viewer=sb, text="jørgensen hans")
        ] == ["Hans Jørgensen"]
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="ØSTER")] == [
            "Ole Østergaard"
        ]
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="1203")] == [
            "Hans Jørgensen"
        ]
        assert [
            c.name for c in search_citizens(session=session, viewer=sb, text="120381-1233")
        ] == ["Hans Jørgensen"]
        assert search_citizens(session=session, viewer=sb, text="%") == []
        # CPR prefixes are ranges: a prefix ending in 9 and one of only nines still work.
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="0")] == [
            "Hanne Hansen",
            "Ole Østergaard",
        ]
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="0101909")] == []
        assert [c.name for c in search_citizens(session=session, viewer=sb, text="01019")] == [
            "Hanne Hansen"
        ]
        assert search_citizens(session=session, viewer=sb, text="99") == []


def test_case_gets_the_rule_set_of_its_referral_date(
    engine: Engine, rulebook: RuleBook, sb: Viewer
) -> None:
    citizen_id = _citizen(engine)
    with session_scope(engine, write=True) as session:
        case = create_case(
            session=session,
            viewer=sb,
            rulebook=rulebook,
            data=CaseCreate(
                citizen_id=citizen_id,
                sagsbehandler_id=sb.staff_id,
                case_type=CaseType.RESSOURCEFORLOEB,
                referral_date=date(2026, 1, 15),
            ),
        )
    assert case.rule_set == "2025"
    assert case.status == CaseStatus.FORBEREDELSE
    assert case.case_number == f"2026-{case.id:05d}"
    assert case.cpr_masked == "120381-xxxx"


def test_a_new_case_belongs_to_a_team_that_then_sees_and_lists_it(
    any_engine: Engine, rulebook: RuleBook
) -> None:
    """Issue 15, finding 5: a case made without a team was invisible to its team."""
    engine = any_engine
    with session_scope(engine, write=True) as session:
        team = add_team(session, "Team Nord (fiktivt)")
        other_team = add_team(session, "Team Syd (fiktivt)")
        sb = add_staff(session, "SB", team_id=team)
        colleague = add_staff(session, "LD", team_id=team, discipline="sundhed")
        both = add_staff(session, "TO", team_id=team)
        session.add(TeamMember(team_id=other_team, staff_id=both.staff_id, discipline="x"))
    citizen_id = _citizen(engine, viewer=sb)
    base = dict(citizen_id=citizen_id, case_type=CaseType.FLEKSJOB, referral_date=date.today())
    with session_scope(engine, write=True) as s:
        case = create_case(
            session=s,
            viewer=sb,
            rulebook=rulebook,
            data=CaseCreate(**base, sagsbehandler_id=sb.staff_id),
        )
    with session_scope(engine) as s:
        assert s.get(Case, case.id).team_id == team  # type: ignore[union-attr]
        listed = list_cases(session=s, viewer=colleague, statuses=[CaseStatus.FORBEREDELSE])
    assert [c.id for c in listed] == [case.id]
    # A sagsbehandler on two teams must say which; the choice is kept.
    with (
        pytest.raises(InvalidInput, match="Vælg det team") as refused,
        session_scope(engine, write=True) as s,
    ):
        create_case(
            session=s,
            viewer=both,
            rulebook=rulebook,
            data=CaseCreate(**base, sagsbehandler_id=both.staff_id),
        )
    assert refused.value.field == "team"
    with session_scope(engine, write=True) as s:
        chosen = create_case(
            session=s,
            viewer=both,
            rulebook=rulebook,
            data=CaseCreate(**base, sagsbehandler_id=both.staff_id, team_id=other_team),
        )
    with session_scope(engine) as s:
        assert s.get(Case, chosen.id).team_id == other_team  # type: ignore[union-attr]


def test_reform_rule_set_refuses_a_new_ressourceforloeb(
    engine: Engine, rulebook: RuleBook, sb: Viewer
) -> None:
    citizen_id = _citizen(engine)
    with pytest.raises(RuleViolation, match="ikke mulig"), session_scope(engine, write=True) as s:
        create_case(
            session=s,
            viewer=sb,
            rulebook=rulebook,
            data=CaseCreate(
                citizen_id=citizen_id,
                sagsbehandler_id=sb.staff_id,
                case_type=CaseType.RESSOURCEFORLOEB,
                referral_date=date(2026, 8, 3),
            ),
        )
    with session_scope(engine) as session:
        assert session.exec(select(Case)).all() == []


def test_overriding_the_rule_set_needs_a_reason(
    engine: Engine, rulebook: RuleBook, sb: Viewer
) -> None:
    citizen_id = _citizen(engine)
    data = dict(
        citizen_id=citizen_id,
        sagsbehandler_id=sb.staff_id,
        case_type=CaseType.RESSOURCEFORLOEB_GENFORELAEGGELSE,
        referral_date=date(2026, 8, 3),
        rule_set="2022",
    )
    with pytest.raises(InvalidInput, match="begrundelse"), session_scope(engine, write=True) as s:
        create_case(session=s, viewer=sb, rulebook=rulebook, data=CaseCreate(**data))
    with session_scope(engine, write=True) as s:
        case = create_case(
            session=s,
            viewer=sb,
            rulebook=rulebook,
            data=CaseCreate(**data, rule_set_override_reason="Forløbet startede i 2023"),
        )
    assert case.rule_set == "2022"


def test_referral_in_the_future_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="fremtiden"):
        CaseCreate(
            citizen_id=1,
            case_type=CaseType.FLEKSJOB,
            referral_date=date.today() + timedelta(days=1),
        )


def test_list_and_count_cases_filter_in_sql(engine: Engine, rulebook: RuleBook, sb: Viewer) -> None:
    for n in range(12):
        cid = _citizen(engine, f"{n + 1:02d}0190-1234", f"Person{n}", "Test")
        with session_scope(engine, write=True) as s:
            create_case(
                session=s,
                viewer=sb,
                rulebook=rulebook,
                data=CaseCreate(
                    citizen_id=cid,
                    case_type=CaseType.FLEKSJOB,
                    referral_date=date(2026, 1, n + 1),
                    sagsbehandler_id=sb.staff_id,
                ),
            )
    with session_scope(engine) as session:
        page = list_cases(session=session, limit=5, offset=5, viewer=sb)
        assert [c.referral_date.day for c in page] == [7, 6, 5, 4, 3]
        assert count_cases(session=session, viewer=sb) == 12
        assert count_cases(session=session, search="person1", viewer=sb) == 3  # 1, 10, 11
        assert count_cases(session=session, statuses=[CaseStatus.KLAR], viewer=sb) == 0


def test_every_change_is_audited_in_a_hash_chain_without_cpr(
    engine: Engine, rulebook: RuleBook, sb: Viewer
) -> None:
    citizen_id = _citizen(engine)
    with session_scope(engine, write=True) as s:
        create_case(
            session=s,
            viewer=sb,
            rulebook=rulebook,
            data=CaseCreate(
                citizen_id=citizen_id,
                sagsbehandler_id=sb.staff_id,
                case_type=CaseType.FLEKSJOB,
                referral_date=date(2026, 1, 5),
            ),
        )
    with session_scope(engine) as session:
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        ref = audit.citizen_ref(session, "1203811233")
        key = audit._key(session, audit.CHAIN_KEY)
    assert [(e.action, e.entity) for e in events] == [("create", "citizen"), ("create", "case")]
    assert events[0].prev_hash == "" and events[1].prev_hash == events[0].entry_hash
    assert all(e.entry_hash == audit.entry_digest(e, key) for e in events)
    assert all(e.citizen_ref == ref and "1203811233" not in e.citizen_ref for e in events)


@pytest.mark.parametrize("chosen", [None, "2025"])
def test_no_new_ressourceforloeb_from_february_2026_by_any_rule_set(
    engine: Engine, rulebook: RuleBook, sb: Viewer, chosen: str | None
) -> None:
    """Lov nr. 1750/2025: a ressourceforløb referred on 2026-02-01 cannot be created, not
    even by choosing an older rule set with a reason; the day before it can."""
    from rehabteam.errors import RuleViolation

    citizen_id = _citizen(engine)

    def create(day: date) -> object:
        with session_scope(engine, write=True) as session:
            return create_case(
                session=session,
                viewer=sb,
                rulebook=rulebook,
                data=CaseCreate(
                    citizen_id=citizen_id,
                    sagsbehandler_id=sb.staff_id,
                    case_type=CaseType.RESSOURCEFORLOEB,
                    referral_date=day,
                    rule_set=chosen,
                    rule_set_override_reason="Forløbet blev bevilget før reformen"
                    if chosen
                    else "",
                ),
            )

    with pytest.raises(RuleViolation, match="Ressourceforløb"):
        create(date(2026, 2, 1))
    assert create(date(2026, 1, 31)) is not None


@pytest.mark.parametrize("typed", ["31.02.2026", "2026-02-30", "29.02.2027", "32.1.2026"])
def test_a_date_the_calendar_lacks_is_named_as_such(typed: str) -> None:
    from rehabteam.models.inputs import parse_user_date

    with pytest.raises(ValueError, match="ikke en dato, der findes"):
        parse_user_date(typed, field="field.date", allow_future=True)
