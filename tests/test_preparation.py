"""Case preparation through the services: fields saved one by one, readiness, locking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import select

from rehabteam.db import session_scope
from rehabteam.errors import InvalidInput, StaleEdit
from rehabteam.models import Case, PreparationField, StaffMember
from rehabteam.models.enums import CaseType, DocumentKind
from rehabteam.models.inputs import (
    CaseCreate,
    CitizenCreate,
    MedicalStatementInput,
    PreparationFieldInput,
    parse_user_date,
)
from rehabteam.rules import RuleBook
from rehabteam.services import preparation as prep
from rehabteam.services.cases import create_case
from rehabteam.services.citizens import create_citizen
from rehabteam.services.demo import seed_demo
from tests.people import as_staff


@pytest.fixture
def case_id(engine: Engine, rulebook: RuleBook) -> int:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)  # staff to be sagsbehandler
        # Mette Lund, the demo team's mødeleder and a fixed member, acts in these tests.
        ml = as_staff(s, "ML")
        citizen = create_citizen(
            session=s,
            data=CitizenCreate(cpr="010190-1234", first_name="Test", last_name="Borger"),
            viewer=ml,
        )
        sofie = s.exec(select(Case.sagsbehandler_id)).first()
        team = s.exec(select(Case.team_id)).first()
        return create_case(
            session=s,
            rulebook=rulebook,
            data=CaseCreate(
                citizen_id=citizen.id,
                case_type=CaseType.RESSOURCEFORLOEB,
                referral_date=date(2026, 5, 4),
                sagsbehandler_id=sofie,
                team_id=team,
            ),
            viewer=ml,
        ).id


def _fill(
    engine: Engine, rulebook: RuleBook, case_id: int, key: str, text: str = "Beskrevet"
) -> None:
    with session_scope(engine, write=True) as s:
        current = prep.get_preparation(
            session=s, case_id=case_id, rulebook=rulebook, viewer=as_staff(s, "ML")
        )
        version = next(f.version for f in current.fields if f.key == key)
        prep.save_field(
            session=s,
            case_id=case_id,
            field_key=key,
            rulebook=rulebook,
            data=PreparationFieldInput(citizen_text="Mine ord", caseworker_text=text),
            expected_version=version,
            viewer=as_staff(s, "ML"),
        )


def _status(engine: Engine, case_id: int) -> str:
    with session_scope(engine) as s:
        return s.get(Case, case_id).status  # type: ignore[union-attr]


def test_readiness_list_shrinks_to_nothing_and_the_case_turns_klar(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    with session_scope(engine, write=True) as s:
        start = prep.get_preparation(
            session=s, case_id=case_id, rulebook=rulebook, viewer=as_staff(s, "ML")
        )
    assert len(start.missing) == 9  # eight text fields and the LÆ 265
    assert any("LÆ 265" in m for m in start.missing)
    for field in start.fields:
        if field.key != "laegens_vurdering":
            _fill(engine, rulebook, case_id, field.key)
    assert _status(engine, case_id) == "forberedelse"
    with session_scope(engine, write=True) as s:
        after = prep.save_medical_statement(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            expected_version=0,
            data=MedicalStatementInput(requested_on=date.today() - timedelta(days=3)),
            viewer=as_staff(s, "ML"),
        )
    requested = f"{date.today() - timedelta(days=3):%d.%m.%Y}"
    assert after.missing == (f"Lægeattest (LÆ 265) er rekvireret {requested}, men ikke modtaget.",)
    with session_scope(engine, write=True) as s:
        done = prep.save_medical_statement(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            expected_version=after.medical.version,
            data=MedicalStatementInput(
                requested_on=date.today() - timedelta(days=3),
                received_on=date.today(),
                helbredsforhold="Rygsmerter",
            ),
            viewer=as_staff(s, "ML"),
        )
    assert done.missing == ()
    assert _status(engine, case_id) == "klar"
    # emptying a field again takes the case back to forberedelse
    _fill(engine, rulebook, case_id, "maal", text="   ")
    assert _status(engine, case_id) == "forberedelse"


def test_a_stale_save_is_refused_and_keeps_the_stored_text(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    _fill(engine, rulebook, case_id, "maal", "Første version")
    with session_scope(engine, write=True) as s, pytest.raises(StaleEdit) as caught:
        prep.save_field(
            session=s,
            case_id=case_id,
            field_key="maal",
            rulebook=rulebook,
            data=PreparationFieldInput(caseworker_text="Min version"),
            expected_version=0,
            viewer=as_staff(s, "ML"),
        )
    assert caught.value.theirs == {} or caught.value.theirs["caseworker_text"] == "Første version"
    with session_scope(engine, write=True) as s, pytest.raises(StaleEdit) as caught2:
        prep.save_field(
            session=s,
            case_id=case_id,
            field_key="maal",
            rulebook=rulebook,
            data=PreparationFieldInput(caseworker_text="Min version"),
            expected_version=7,
            viewer=as_staff(s, "ML"),
        )
    assert caught2.value.theirs["caseworker_text"] == "Første version"
    with session_scope(engine) as s:
        row = s.exec(
            select(PreparationField).where(
                PreparationField.field_key == "maal", PreparationField.case_id == case_id
            )
        ).one()
    assert row.caseworker_text == "Første version" and row.version == 1


def test_escape_sequences_are_stripped_and_overlong_text_refused(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    cleaned = PreparationFieldInput(caseworker_text="ok\x1b]0;titel\x07 tekst\u202e\x00")
    assert cleaned.caseworker_text == "ok tekst"
    with pytest.raises(ValidationError, match="for lang"):
        PreparationFieldInput(caseworker_text="x" * 100_000)


def test_staff_not_on_the_case_are_refused_its_health_information(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    from rehabteam.errors import AccessDenied

    outsider = as_staff(engine, "BV")  # UU-vejleder, not a fixed member of the team
    with session_scope(engine, write=True) as s, pytest.raises(AccessDenied, match="ikke adgang"):
        prep.get_preparation(session=s, case_id=case_id, rulebook=rulebook, viewer=outsider)
    # Someone who is no longer (or not) active staff sees nothing, even a team member.
    gone = as_staff(engine, "KB")
    with session_scope(engine, write=True) as s:
        s.exec(select(StaffMember).where(StaffMember.initials == "KB")).one().active = False
    with session_scope(engine, write=True) as s, pytest.raises(AccessDenied, match="ikke længere"):
        prep.get_preparation(session=s, case_id=case_id, rulebook=rulebook, viewer=gone)


def test_unknown_field_and_locked_case_are_refused(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    with session_scope(engine, write=True) as s, pytest.raises(InvalidInput, match="Ukendt"):
        prep.save_field(
            session=s,
            case_id=case_id,
            field_key="nope",
            rulebook=rulebook,
            data=PreparationFieldInput(),
            expected_version=0,
            viewer=as_staff(s, "ML"),
        )
    with session_scope(engine, write=True) as s:
        s.get(Case, case_id).status = "afgjort"  # type: ignore[union-attr]
    with session_scope(engine, write=True) as s, pytest.raises(InvalidInput, match="Afgjort"):
        prep.save_field(
            session=s,
            case_id=case_id,
            field_key="maal",
            rulebook=rulebook,
            data=PreparationFieldInput(caseworker_text="x"),
            expected_version=0,
            viewer=as_staff(s, "ML"),
        )


def test_documents_checklist(engine: Engine, rulebook: RuleBook, case_id: int) -> None:
    with session_scope(engine, write=True) as s:
        read = prep.save_documents(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            received={DocumentKind.CV, DocumentKind.LAEGEJOURNAL},
            viewer=as_staff(s, "ML"),
        )
    assert set(read.documents) == {"cv", "laegejournal"}
    with session_scope(engine, write=True) as s:
        read = prep.save_documents(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            received={DocumentKind.CV},
            viewer=as_staff(s, "ML"),
        )
    assert set(read.documents) == {"cv"}


def test_received_before_requested_is_refused(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    with session_scope(engine, write=True) as s, pytest.raises(InvalidInput, match="før"):
        prep.save_medical_statement(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            expected_version=0,
            data=MedicalStatementInput(
                requested_on=date(2026, 5, 10), received_on=date(2026, 5, 1)
            ),
            viewer=as_staff(s, "ML"),
        )


def test_dates_as_users_type_them() -> None:
    assert parse_user_date("04.05.2026", field="field.referral_date") == date(2026, 5, 4)
    assert parse_user_date("2026-05-04", field="field.referral_date") == date(2026, 5, 4)
    assert parse_user_date("", field="field.referral_date") is None
    with pytest.raises(ValueError, match=r"dd\.mm\.åååå"):
        parse_user_date("31.02.2026", field="field.referral_date")
    with pytest.raises(ValueError, match="fremtiden"):
        parse_user_date(f"{date.today() + timedelta(days=1):%d.%m.%Y}", field="field.referral_date")


def test_my_cases_shows_what_each_lacks(engine: Engine, rulebook: RuleBook, case_id: int) -> None:
    with session_scope(engine) as s:
        sagsbehandler = s.get(Case, case_id).sagsbehandler_id  # type: ignore[union-attr]
        member = s.get(StaffMember, sagsbehandler)
        assert member is not None
        mine = prep.list_my_cases(
            session=s,
            rulebook=rulebook,
            sagsbehandler_id=sagsbehandler,
            viewer=as_staff(s, member.initials),
        )
        lacking = prep.list_my_cases(
            session=s, rulebook=rulebook, only_missing=True, viewer=as_staff(s, "ML")
        )
    assert any(m.case.id == case_id and len(m.missing) == 9 for m in mine)
    assert all(m.case.sagsbehandler == mine[0].case.sagsbehandler for m in mine)
    assert all(m.missing for m in lacking)
    assert all(not m.missing for m in mine if m.case.status == "klar")
