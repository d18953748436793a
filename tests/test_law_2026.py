"""The law as it stands on 1 December 2026, table-driven from DOMAIN.md: a referral the day
before, on and after each boundary gets the right rule set, case types, outcome, disciplines
and document wording; the chair's choice of disciplines; the documents' citation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, delete, select

from rehabteam.db import session_scope
from rehabteam.errors import AccessDenied, InvalidInput
from rehabteam.models import Case, DisciplineAssessment, Forloeb, Indstilling
from rehabteam.models.enums import CaseType, Discipline, IndstillingType
from rehabteam.models.law_inputs import DisciplineChoiceInput
from rehabteam.rules import RuleBook
from rehabteam.services import documents
from rehabteam.services.disciplines import case_disciplines, choose_disciplines
from rehabteam.settings import Settings
from tests.people import as_staff
from tests.test_documents import demo, text_of

__all__ = ["demo"]

# (boundary, rule set from it, rule set the day before)
BOUNDARIES = [
    (date(2022, 1, 1), "2022", "pre2022"),
    (date(2025, 1, 1), "2025", "2022"),
    (date(2026, 2, 1), "reform2026a", "2025"),
    (date(2026, 7, 1), "reform2026b", "reform2026a"),
    (date(2027, 1, 1), "2027", "reform2026b"),
]
# What each rule set must say (DOMAIN.md's table).
EXPECTED = {
    # key: (new ressourceforløb, kat. 3, outcome, mandatory disciplines, chosen per case,
    #       the sundhedskoordinator's advice required, months)
    "pre2022": (True, True, "indstilling", 4, False, False, (12, 60)),
    "2022": (True, True, "indstilling", 4, False, False, (12, 36)),
    "2025": (True, False, "indstilling", 2, True, False, (12, 36)),
    "reform2026a": (False, False, "anbefaling", 2, True, True, (12, 36)),
    "reform2026b": (False, False, "anbefaling", 2, True, True, (12, 36)),
    "2027": (False, False, "anbefaling", 2, True, True, (12, 36)),
}


@pytest.mark.parametrize(("boundary", "key", "before"), BOUNDARIES)
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_each_boundary_by_date(
    rulebook: RuleBook, boundary: date, key: str, before: str, offset: int
) -> None:
    day = boundary + timedelta(days=offset)
    rs = rulebook.for_date(day)
    assert rs.key == (before if offset < 0 else key)
    ressourceforloeb, kat3, outcome, mandatory, chosen, advice, months = EXPECTED[rs.key]
    assert rs.allows_case_type(CaseType.RESSOURCEFORLOEB, day) is ressourceforloeb
    assert rs.allows_indstilling(IndstillingType.RESSOURCEFORLOEB) is ressourceforloeb
    assert rs.allows_case_type(CaseType.SYGEDAGPENGE_KAT3, day) is kat3
    assert rs.outcome == outcome
    assert len(rs.required_disciplines) == mandatory
    assert Discipline.SUNDHEDSKOORDINATOR in rs.required_disciplines
    assert Discipline.BESKAEFTIGELSE in rs.required_disciplines
    assert rs.disciplines_chosen_per_case is chosen
    assert rs.health_advice_required is advice
    assert rs.ressourceforloeb_months == months
    # Running courses end under every rule set: the end-of-forløb case exists throughout.
    assert rs.allows_case_type(CaseType.RESSOURCEFORLOEB_AFSLUTNING, day)
    assert rs.citation and ("lov" in rs.citation.lower() or "LOU" in rs.citation)


@pytest.mark.parametrize("day", [date(2014, 6, 30), date(2014, 7, 1)])
def test_jobafklaring_exists_from_the_sickness_benefit_reform(
    rulebook: RuleBook, day: date
) -> None:
    exists = day >= date(2014, 7, 1)
    rs = rulebook.for_date(day)
    assert rs.allows_case_type(CaseType.JOBAFKLARING_INDSATS, day) is exists
    assert rs.allows_case_type(CaseType.SYGEDAGPENGE_KAT3, day) is exists


def _approved_case(engine: Engine, kind: str) -> tuple[int, int]:
    with session_scope(engine) as s:
        row = s.exec(
            select(Indstilling).where(Indstilling.status == "godkendt", Indstilling.type == kind)
        ).first()
        assert row is not None and row.id is not None
        return row.case_id, row.id


@pytest.mark.parametrize(
    ("key", "title", "said"),
    [
        ("2025", "Rehabiliteringsteamets indstilling", "Lov nr. 1657/2024"),
        ("reform2026b", "Det tværfaglige teams anbefaling", "Lov nr. 1750 af 29. december 2025"),
    ],
)
def test_the_document_names_the_outcome_and_cites_the_rule_sets_law(
    demo: Engine, rulebook: RuleBook, tmp_path: Path, key: str, title: str, said: str
) -> None:
    case_id, _ = _approved_case(demo, "fleksjob")
    with session_scope(demo, write=True) as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.rule_set = key
    ml = as_staff(demo, "ML")
    with session_scope(demo, write=True) as s:
        path = documents.export_indstilling(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            target=tmp_path / "doc.docx",
            settings=Settings(),
            viewer=ml,
        )
    text = text_of(path)
    assert f"{title}\nFleksjob" in text
    assert "Retsgrundlag" in text and said in text
    other = "Det tværfaglige teams anbefaling" if key == "2025" else "Rehabiliteringsteamets"
    assert other not in text
    if key == "reform2026b":
        assert "ikke en lovpligtig indstilling" in text
        # Not another rule set's law, and not "chose no others" beside others' assessments.
        assert "Obligatoriske fagområder: Beskæftigelse, Sundhedskoordinator." in text
        assert "1657/2024" not in text and "har ikke valgt andre" not in text
        # An anbefaling recommends; it does not "indstille" (tester finding).
        assert "Indstillede indsatser" not in text and "indstiller" not in text
        assert "Anbefalede indsatser" in text or "Teamet anbefaler ingen" in text


def test_the_chair_chooses_the_disciplines_with_a_reason_and_it_is_printed(
    demo: Engine, rulebook: RuleBook, tmp_path: Path
) -> None:
    case_id, _ = _approved_case(demo, "fleksjob")
    with session_scope(demo, write=True) as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.rule_set = "reform2026b"
    ml, jb = as_staff(demo, "ML"), as_staff(demo, "JB")
    choice = DisciplineChoiceInput(
        chosen=(Discipline.SOCIAL, Discipline.BESKAEFTIGELSE),  # a mandatory one is dropped
        reason="Misbrug og boligsituation påvirker arbejdsevnen",
    )
    with pytest.raises(ValueError, match="udfyldes"):
        DisciplineChoiceInput(chosen=(Discipline.SOCIAL,), reason=" ")
    with pytest.raises(AccessDenied, match="mødelederen"), session_scope(demo, write=True) as s:
        choose_disciplines(session=s, case_id=case_id, data=choice, rulebook=rulebook, viewer=jb)
    with session_scope(demo, write=True) as s:
        said = choose_disciplines(
            session=s, case_id=case_id, data=choice, rulebook=rulebook, viewer=ml
        )
    assert "Social" in said and "Misbrug og boligsituation" in said
    with session_scope(demo) as s:
        case = s.get(Case, case_id)
        assert case is not None and case.chosen_disciplines == "social"
        assert case_disciplines(rulebook.get("reform2026b"), case) == (
            Discipline.BESKAEFTIGELSE,
            Discipline.SUNDHEDSKOORDINATOR,
            Discipline.SOCIAL,
        )
    with session_scope(demo, write=True) as s:
        path = documents.export_indstilling(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            target=tmp_path / "doc.docx",
            settings=Settings(),
            viewer=ml,
        )
    assert "valgt af mødelederen fordi: Misbrug og boligsituation" in text_of(path)
    # Under 2022 the rule set decides: nothing to choose.
    with session_scope(demo, write=True) as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.rule_set = "2022"
    with pytest.raises(InvalidInput, match="regelsættet"), session_scope(demo, write=True) as s:
        choose_disciplines(session=s, case_id=case_id, data=choice, rulebook=rulebook, viewer=ml)


def test_a_chosen_discipline_without_an_assessment_blocks_approval(
    demo: Engine, rulebook: RuleBook
) -> None:
    from rehabteam.services.approval import approval_problems
    from rehabteam.services.indstilling import to_read

    with session_scope(demo) as s:
        draft = s.exec(select(Indstilling).where(col(Indstilling.status) == "kladde")).first()
        assert draft is not None
        case_id, draft_id = draft.case_id, draft.id
    ml = as_staff(demo, "ML")
    with session_scope(demo, write=True) as s:  # nobody from undervisning assessed it
        s.execute(
            delete(DisciplineAssessment).where(
                col(DisciplineAssessment.case_id) == case_id,
                col(DisciplineAssessment.discipline) == "undervisning",
            )
        )
    with session_scope(demo, write=True) as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.rule_set = "2025"
    with session_scope(demo, write=True) as s:
        choose_disciplines(
            session=s,
            case_id=case_id,
            data=DisciplineChoiceInput(chosen=(Discipline.UNDERVISNING,), reason="Under 30"),
            rulebook=rulebook,
            viewer=ml,
        )
    with session_scope(demo) as s:
        row = s.get(Indstilling, draft_id)
        assert row is not None
        problems, _ = approval_problems(session=s, indstilling=to_read(s, row), rulebook=rulebook)
    assert any("Undervisning er valgt til sagen, men har ingen vurdering" in p for p in problems), (
        problems
    )


def test_the_end_of_a_ressourceforloeb_comes_back_with_its_history(
    demo: Engine, rulebook: RuleBook
) -> None:
    """A running course near its end goes back to the team as an end-of-forløb case (what
    comes next), and its preparation holds the course: interventions, outcomes, notes."""
    from rehabteam.models.enums import NoteKind
    from rehabteam.models.inputs import NoteInput
    from rehabteam.services import followup
    from tests.test_followup import _caseworker, _course_decided, _start

    forloeb_id, coordinator = _course_decided(demo, rulebook, months_ago=23)
    with session_scope(demo) as s:
        course = s.get(Forloeb, forloeb_id)
        assert course is not None
        start, case_id = course.start_on, course.case_id
    _start(demo, forloeb_id, coordinator, start + timedelta(days=10))
    with session_scope(demo, write=True) as s:
        followup.add_note(
            session=s,
            forloeb_id=forloeb_id,
            data=NoteInput(
                kind=NoteKind.FREMDRIFT,
                noted_on=start + timedelta(days=40),
                text="Trives i praktik",
            ),
            viewer=coordinator,
        )
    with session_scope(demo, write=True) as s:
        made = followup.create_reassessment(
            session=s, forloeb_id=forloeb_id, rulebook=rulebook, viewer=_caseworker(demo, case_id)
        )
    with session_scope(demo) as s:
        case = s.get(Case, made.id)
        assert case is not None
        assert case.case_type == CaseType.RESSOURCEFORLOEB_AFSLUTNING.value
        # What comes next is decided under the law of today (so `rules check` is content).
        assert case.rule_set == rulebook.for_date(case.referral_date).key
        assert "fleksjob, førtidspension, job eller uddannelse" in case.background
        assert "Forløbets historik" in case.background
        assert "Mentor: Mentor (I gang;" in case.background
        assert "Trives i praktik" in case.background


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2027, 2, 1)])
def test_the_demo_obeys_the_law_in_force_on_its_date(
    engine: Engine, rulebook: RuleBook, today: date
) -> None:
    """Seeded on 1 December 2026 and on 1 February 2027, the demo holds nothing the rule
    set in force forbids, and every warning of the reform can be seen."""
    from rehabteam import clock
    from rehabteam.models import Decision, Forloeb, HealthAdvice
    from rehabteam.services import followup
    from rehabteam.services.demo import seed_demo
    from rehabteam.services.health_advice import ADVISED_OUTCOMES, required

    clock.fix(today)  # the day the demo is run
    try:
        with session_scope(engine, write=True) as s:
            seed_demo(session=s, rulebook=rulebook, today=today)
    finally:
        clock.fix(None)
    cutoff = date(2026, 2, 1)
    with session_scope(engine) as s:
        cases = s.exec(select(Case)).all()
        for case in cases:
            in_force = rulebook.for_date(case.referral_date)
            assert case.rule_set == in_force.key, case.case_number
            assert in_force.allows_case_type(case.case_type, case.referral_date), case.case_number
            assert case.referral_date <= today
        for row in s.exec(select(Indstilling).where(col(Indstilling.type).is_not(None))):
            found = s.get(Case, row.case_id)
            assert found is not None and row.type is not None
            assert rulebook.for_date(found.referral_date).allows_indstilling(row.type)
            if (
                row.status in ("godkendt", "sendt")
                and IndstillingType(row.type) in ADVISED_OUTCOMES
            ) and required(found, rulebook):
                advice = s.exec(
                    select(HealthAdvice).where(col(HealthAdvice.case_id) == found.id)
                ).one()
                assert advice.given_on is not None and advice.given_on <= today
        # Every ressourceforløb granted was granted before the reform.
        for course in s.exec(select(Forloeb).where(col(Forloeb.kind) == "ressourceforloeb")):
            decision = s.get(Decision, course.decision_id)
            assert decision is not None and decision.decided_on < cutoff
            assert course.start_on < cutoff
        # Every warning can be seen: a course flagged by the 6-month rule, one near its end;
        # fleksjob and førtidspension waiting for the advice; a jobafklaring case.
        ida = as_staff(s, "IH")
        rows = followup.list_forloeb(
            session=s, rulebook=rulebook, today=today, coordinator_id=ida.staff_id, viewer=ida
        )
        assert any(r.six_month_due for r in rows)
        assert any(r.end_due and not r.six_month_due for r in rows)
        waiting = [
            a for a in s.exec(select(HealthAdvice).where(col(HealthAdvice.given_on).is_(None)))
        ]
        kinds = {s.get(Case, a.case_id).case_type for a in waiting}  # type: ignore[union-attr]
        assert {"fleksjob", "foertidspension"} <= kinds
        assert any(c.case_type == "jobafklaring_indsats" for c in cases)


@pytest.mark.parametrize(
    ("age", "earlier", "proposed", "expected"),
    [
        (38, [36, 36], 36, None),  # under 40: several courses of at most 3 years each
        (45, [], 36, None),  # a first course
        (45, [24], 36, None),  # 60 months in all: the limit itself is allowed
        (45, [25], 36, "approve.age_band_40_50"),  # 61 months
        (49, [36, 12], 12, None),
        (50, [], 24, None),  # over 50: one course...
        (50, [12], 12, "approve.age_band_over_50"),  # ...not a second
        (62, [36], 12, "approve.age_band_over_50"),
    ],
)
def test_the_2022_age_bands(
    age: int, earlier: list[int], proposed: int, expected: str | None
) -> None:
    from rehabteam.rules.age_bands import age_band_warning

    on = date(2026, 1, 15)
    birth = date(on.year - age, 1, 15)  # the birthday itself: `age` that day
    found = age_band_warning(birth=birth, on=on, earlier_months=earlier, proposed_months=proposed)
    assert (found[0] if found else None) == expected


def test_an_age_band_is_a_warning_at_approval_with_the_citizens_earlier_course(
    demo: Engine, rulebook: RuleBook
) -> None:
    """The demo's flagged course belongs to a citizen; a new ressourceforløb for the same
    citizen at 52 is warned about (the citizen's wish decides), under 2022 and 2025 only."""
    from rehabteam.models import Citizen
    from rehabteam.services.approval import approval_problems
    from rehabteam.services.indstilling import to_read

    with session_scope(demo, write=True) as s:
        draft = s.exec(
            select(Indstilling).where(
                col(Indstilling.status) == "kladde", col(Indstilling.type) == "ressourceforloeb"
            )
        ).first()
        assert draft is not None
        case = s.get(Case, draft.case_id)
        course = s.exec(select(Forloeb).where(col(Forloeb.kind) == "ressourceforloeb")).first()
        assert case is not None and course is not None
        other = s.get(Case, course.case_id)
        assert other is not None
        case.citizen_id = other.citizen_id  # the same citizen, a second ressourceforløb
        citizen = s.get(Citizen, other.citizen_id)
        assert citizen is not None
        citizen.birth_date = date(case.referral_date.year - 52, 1, 1)
        case.rule_set = "2025"
        draft_id = draft.id
    with session_scope(demo) as s:
        row = s.get(Indstilling, draft_id)
        assert row is not None
        _problems, warnings = approval_problems(
            session=s, indstilling=to_read(s, row), rulebook=rulebook
        )
    assert any("over 50 år gives ét forløb" in w for w in warnings)
    with session_scope(demo, write=True) as s:
        found = s.get(Case, case.id)
        assert found is not None
        found.rule_set = "pre2022"
    with session_scope(demo) as s:
        row = s.get(Indstilling, draft_id)
        assert row is not None
        _problems, warnings = approval_problems(
            session=s, indstilling=to_read(s, row), rulebook=rulebook
        )
    assert not any("Aldersgrænse" in w for w in warnings)


def test_the_letter_and_the_minutes_say_anbefaling_under_the_reform(
    demo: Engine, rulebook: RuleBook, tmp_path: Path
) -> None:
    case_id, ind_id = _approved_case(demo, "fleksjob")
    with session_scope(demo) as s:
        row = s.get(Indstilling, ind_id)
        case = s.get(Case, case_id)
        assert row is not None and row.meeting_id is not None and case is not None
        meeting_id, key = row.meeting_id, case.rule_set
    assert rulebook.get(key).outcome == "anbefaling"
    ml = as_staff(demo, "ML")
    with session_scope(demo, write=True) as s:
        letter = documents.export_indstilling(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            target=tmp_path / "brev.docx",
            settings=Settings(),
            letter=True,
            viewer=ml,
        )
        minutes = documents.export_referat(
            session=s,
            meeting_id=meeting_id,
            rulebook=rulebook,
            target=tmp_path / "referat.docx",
            settings=Settings(),
            viewer=ml,
        )
    # The citizen reads what the team's result is called; the legal citation is the
    # indstilling's (the letter goes with it).
    assert "Teamets råd kaldes en anbefaling." in text_of(letter)
    said = text_of(minutes)
    assert "Anbefaling: Fleksjob (godkendt)" in said
    assert "Indstilling: Ressourceforløb (godkendt)" in said  # a case referred before it


def test_a_refused_anbefaling_is_called_an_anbefaling(
    demo: Engine, rulebook: RuleBook, tmp_path: Path
) -> None:
    """The refusal of a broken anbefaling said "indstillingen eksporteres ikke"."""
    from rehabteam.errors import RuleViolation

    case_id, _ = _approved_case(demo, "fleksjob")
    with session_scope(demo, write=True) as s:
        case = s.get(Case, case_id)
        row = s.exec(select(Indstilling).where(col(Indstilling.case_id) == case_id)).first()
        assert case is not None and row is not None
        case.rule_set = "reform2026b"
        row.begrundelse = ""
        s.add_all([case, row])
    with session_scope(demo, write=True) as s, pytest.raises(RuleViolation) as refused:
        documents.export_indstilling(
            session=s,
            case_id=case_id,
            target=tmp_path / "a.docx",
            settings=Settings(),
            rulebook=rulebook,
            viewer=as_staff(demo, "ML"),
        )
    assert "anbefalingen eksporteres ikke" in str(refused.value)
    assert "indstillingen" not in str(refused.value)
