"""Case preparation through the services: fields saved one by one, readiness, locking."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from sqlmodel import select

from rehabteam.db import session_scope
from rehabteam.errors import InvalidInput
from rehabteam.models import Case, PreparationField, StaffMember
from rehabteam.models.enums import CaseType, DocumentKind
from rehabteam.models.inputs import (
    CaseCreate,
    CitizenCreate,
    MedicalStatementInput,
    PreparationFieldInput,
    parse_user_date,
)
from rehabteam.models.read import PreparationRead, Saved
from rehabteam.models.viewer import Viewer
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
                referral_date=date(2026, 1, 12),  # before 1.2.2026: no new ressourceforløb since
                sagsbehandler_id=sofie,
                team_id=team,
            ),
            viewer=ml,
        ).id


def _changed(start: dict[str, Any], data: BaseModel) -> dict[str, Any]:
    """The base of a save typed over `start`: the value each changed field had there."""
    new = data.model_dump()
    return {name: start[name] for name in new if new[name] != start[name]}


def _fill(
    engine: Engine, rulebook: RuleBook, case_id: int, key: str, text: str = "Beskrevet"
) -> None:
    with session_scope(engine, write=True) as s:
        current = prep.get_preparation(
            session=s, case_id=case_id, rulebook=rulebook, viewer=as_staff(s, "ML")
        )
        field = next(f for f in current.fields if f.key == key)
        data = PreparationFieldInput(citizen_text="Mine ord", caseworker_text=text)
        saved = prep.save_field(
            session=s,
            case_id=case_id,
            field_key=key,
            rulebook=rulebook,
            data=data,
            base=_changed(field.model_dump(), data),
            viewer=as_staff(s, "ML"),
        )
        assert saved.conflicts == ()


def _save_maal(
    engine: Engine,
    rulebook: RuleBook,
    case_id: int,
    viewer: Viewer,
    data: PreparationFieldInput,
    base: dict[str, str],
) -> Saved[PreparationRead]:
    with session_scope(engine, write=True) as s:
        return prep.save_field(
            session=s,
            case_id=case_id,
            field_key="maal",
            rulebook=rulebook,
            data=data,
            base=base,
            viewer=viewer,
        )


def _stored_maal(engine: Engine, case_id: int) -> PreparationField:
    with session_scope(engine) as s:
        return s.exec(
            select(PreparationField).where(
                PreparationField.field_key == "maal", PreparationField.case_id == case_id
            )
        ).one()


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
            data=MedicalStatementInput(requested_on=date.today() - timedelta(days=3)),
            base={"requested_on": None},  # never saved
            viewer=as_staff(s, "ML"),
        ).read
    requested = f"{date.today() - timedelta(days=3):%d.%m.%Y}"
    assert after.missing == (f"Lægeattest (LÆ 265) er rekvireret {requested}, men ikke modtaget.",)
    with session_scope(engine, write=True) as s:
        data = MedicalStatementInput(
            requested_on=date.today() - timedelta(days=3),
            received_on=date.today(),
            helbredsforhold="Rygsmerter",
        )
        base = _changed(after.medical.model_dump(), data)
        assert base == {"received_on": None, "helbredsforhold": ""}
        done = prep.save_medical_statement(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            data=data,
            base=base,
            viewer=as_staff(s, "ML"),
        )
    assert done.conflicts == ()
    # Issue 15, finding 9: received is not enough; the rule set's LÆ 265 parts must be there.
    assert done.read.missing == (
        "Lægeattesten (LÆ 265) er modtaget, men »Særlige hensyn« er ikke udfyldt.",
        "Lægeattesten (LÆ 265) er modtaget, men »Lægens bemærkninger til borgerens eget "
        "perspektiv« er ikke udfyldt.",
        "Lægeattesten (LÆ 265) er modtaget, men »Andre forhold« er ikke udfyldt.",
    )
    assert _status(engine, case_id) == "forberedelse"
    with session_scope(engine, write=True) as s:
        rest = {
            "saerlige_hensyn": "Skånehensyn: ingen tunge løft",
            "borgerperspektiv": "Borgeren ønsker deltid",
            "andre_forhold": "Ingen",
        }
        done = prep.save_medical_statement(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            data=data.model_copy(update=rest),
            base=dict.fromkeys(rest, ""),
            viewer=as_staff(s, "ML"),
        )
    assert done.read.missing == ()
    assert done.read.medical.helbredsforhold == "Rygsmerter"
    assert _status(engine, case_id) == "klar"
    # emptying a field again takes the case back to forberedelse
    _fill(engine, rulebook, case_id, "maal", text="   ")
    assert _status(engine, case_id) == "forberedelse"


def test_one_field_is_saved_per_part_and_a_clash_keeps_the_stored_text(
    engine: Engine, rulebook: RuleBook, case_id: int
) -> None:
    """Mette and the case's sagsbehandler open the same empty field. Each part is saved on
    its own: neither blanks the other's; the same part from the same start is refused."""
    ml = as_staff(engine, "ML")
    with session_scope(engine) as s:
        case = s.get(Case, case_id)
        assert case is not None
        member = s.get(StaffMember, case.sagsbehandler_id)
        assert member is not None and member.initials != "ML"
        other = as_staff(s, member.initials)
    # (a) Different parts from the same (empty) start: both are kept.
    first = _save_maal(
        engine,
        rulebook,
        case_id,
        ml,
        PreparationFieldInput(caseworker_text="Første version"),
        {"caseworker_text": ""},
    )
    written_once = _stored_maal(engine, case_id).version
    second = _save_maal(
        engine,
        rulebook,
        case_id,
        other,
        PreparationFieldInput(citizen_text="Borgerens ord"),
        {"citizen_text": ""},
    )
    assert first.conflicts == () and second.conflicts == ()
    row = _stored_maal(engine, case_id)
    assert (row.citizen_text, row.caseworker_text, row.version) == (
        "Borgerens ord",
        "Første version",
        written_once + 1,
    )
    # (b) The same part from the same start: refused with Mette's text, nothing written.
    clash = _save_maal(
        engine,
        rulebook,
        case_id,
        other,
        PreparationFieldInput(citizen_text="Borgerens ord", caseworker_text="Min version"),
        {"caseworker_text": ""},
    )
    (conflict,) = clash.conflicts
    assert (conflict.field, conflict.theirs, conflict.by) == (
        "caseworker_text",
        "Første version",
        "Mette Lund",
    )
    assert conflict.at is not None
    shown = next(f for f in clash.read.fields if f.key == "maal")
    assert (shown.caseworker_text, shown.stamps["caseworker_text"].by) == (
        "Første version",
        "Mette Lund",
    )
    row = _stored_maal(engine, case_id)
    assert (row.citizen_text, row.caseworker_text, row.version) == (
        "Borgerens ord",
        "Første version",
        written_once + 1,
    )
    # (c) With Mette's text as the base, the sagsbehandler replaces it on purpose.
    again = _save_maal(
        engine,
        rulebook,
        case_id,
        other,
        PreparationFieldInput(citizen_text="Borgerens ord", caseworker_text="Min version"),
        {"caseworker_text": conflict.theirs},
    )
    assert again.conflicts == ()
    row = _stored_maal(engine, case_id)
    assert (row.citizen_text, row.caseworker_text, row.version) == (
        "Borgerens ord",
        "Min version",
        written_once + 2,
    )


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
            base={},
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
            base={"caseworker_text": ""},
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
            data=MedicalStatementInput(
                requested_on=date(2026, 5, 10), received_on=date(2026, 5, 1)
            ),
            base={"requested_on": None, "received_on": None},
            viewer=as_staff(s, "ML"),
        )


def test_dates_as_users_type_them() -> None:
    assert parse_user_date("04.05.2026", field="field.referral_date") == date(2026, 5, 4)
    assert parse_user_date("2026-05-04", field="field.referral_date") == date(2026, 5, 4)
    assert parse_user_date("", field="field.referral_date") is None
    with pytest.raises(ValueError, match=r"dd\.mm\.åååå"):
        parse_user_date("4 maj", field="field.referral_date")
    with pytest.raises(ValueError, match="ikke en dato, der findes"):
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
