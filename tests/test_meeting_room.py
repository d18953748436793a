"""Running a meeting through the services: assessments, the indstilling, approval rules,
versions, caseload, closing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from rehabteam.db import session_scope
from rehabteam.errors import InvalidInput, RuleViolation
from rehabteam.models import (
    AgendaItem,
    Case,
    HealthAdvice,
    Meeting,
    MeetingParticipant,
    StaffMember,
)
from rehabteam.models.enums import IndstillingType, InterventionArea
from rehabteam.models.inputs import AssessmentInput, IndstillingInput, InterventionInput
from rehabteam.models.read import AssessmentRead, IndstillingRead, Saved
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import approval as appr
from rehabteam.services import assessments as asm
from rehabteam.services import indstilling as ind
from rehabteam.services import meeting_room as room
from rehabteam.services.demo import seed_demo
from tests.people import as_staff

DISCIPLINES = ["beskaeftigelse", "sundhed", "social", "undervisning", "sundhedskoordinator"]


@pytest.fixture
def demo(engine: Engine, rulebook: RuleBook) -> Engine:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return engine


@pytest.fixture
def ml(demo: Engine) -> Viewer:
    """Mette Lund: the demo team's mødeleder, a fixed member and the chair of its meetings."""
    return as_staff(demo, "ML")


def todays_meeting(engine: Engine) -> tuple[int, list[AgendaItem]]:
    with session_scope(engine) as s:
        meeting = s.exec(select(Meeting).where(Meeting.date == date.today())).one()
        items = s.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)  # type: ignore[arg-type]
        ).all()
        return meeting.id, list(items)  # type: ignore[return-value]


def staff_id(engine: Engine, initials: str) -> int:
    with session_scope(engine) as s:
        return s.exec(select(StaffMember.id).where(StaffMember.initials == initials)).one()  # type: ignore[return-value]


def record_all(engine: Engine, case_id: int, meeting_id: int) -> None:
    """Every discipline's record, written by the chair (Mette Lund)."""
    ml = as_staff(engine, "ML")
    with session_scope(engine, write=True) as s:
        for d in DISCIPLINES:
            asm.save_assessment(
                session=s,
                case_id=case_id,
                meeting_id=meeting_id,
                discipline=d,
                data=AssessmentInput(
                    vurdering=f"Vurdering fra {d}",
                    anbefalede_indsatser=f"Mentor og indsats fra {d}",
                ),
                base={"vurdering": "", "anbefalede_indsatser": ""},  # never saved
                viewer=ml,
            )


def changed(start: IndstillingRead, data: IndstillingInput) -> dict[str, object]:
    """The base of a save from `start`: the value each field changed had there."""
    before, after = start.values(), data.values()
    return {name: before[name] for name in after if after[name] != before[name]}


def save(
    s: Session, start: IndstillingRead, data: IndstillingInput, viewer: Viewer
) -> IndstillingRead:
    """Save `data` typed over `start` (all of it written: nobody else saved in between)."""
    saved = ind.save_draft(
        session=s, indstilling_id=start.id, data=data, base=changed(start, data), viewer=viewer
    )
    assert saved.conflicts == ()
    return saved.read


def ressourceforloeb(months: int, coordinator: int | None, **extra: object) -> IndstillingInput:
    return IndstillingInput(
        type=IndstillingType.RESSOURCEFORLOEB,
        begrundelse="Helhedsorienteret indsats nødvendig",
        vurdering="Gode muligheder på sigt",
        maal="Job med dyr",
        varighed_maaneder=months,
        opfoelgning="Hver 3. måned",
        koordinerende_sagsbehandler_id=coordinator,
        interventions=[
            InterventionInput(
                area=InterventionArea.MENTOR,
                formaal="Støtte",
                indhold="Mentor 2 t/uge",
                begrundelse="Angst",
            )
        ],
        **extra,
    )


def test_full_case_assess_draft_approve(demo: Engine, rulebook: RuleBook, ml: Viewer) -> None:
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    with session_scope(demo, write=True) as s:
        room.start_meeting(session=s, meeting_id=meeting_id, viewer=ml)
        for p in s.exec(
            select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting_id)
        ):
            room.check_in(session=s, participant_id=p.id, attended=True, viewer=ml)  # type: ignore[arg-type]
        room.citizen_present(session=s, item_id=items[0].id, present=True, viewer=ml)  # type: ignore[arg-type]
    record_all(demo, case_id, meeting_id)
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        assert draft.sundhedskoordinator_vurdering == "Vurdering fra sundhedskoordinator"
        proposals = ind.proposed_interventions(
            session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml
        )
        assert {p.area for p in proposals} >= {"mentor", "sundhed", "social", "uddannelse"}
        saved = save(s, draft, ressourceforloeb(24, staff_id(demo, "IH")), ml)
        approved = appr.approve(
            session=s, indstilling_id=saved.id, rulebook=rulebook, viewer=ml, seen=saved.values()
        )
    assert approved.status == "godkendt" and approved.approved_by == "Mette Lund"
    assert approved.koordinerende_sagsbehandler == "Ida Holm"
    with session_scope(demo) as s:
        assert s.get(Case, case_id).status == "indstillet"  # type: ignore[union-attr]
        assert s.get(AgendaItem, items[0].id).status == "behandlet"  # type: ignore[union-attr]
    # Locked: saving the approved version is refused; a new version keeps the old one.
    with session_scope(demo, write=True) as s, pytest.raises(InvalidInput, match="låst"):
        save(s, approved, ressourceforloeb(30, staff_id(demo, "IH")), ml)
    with session_scope(demo, write=True) as s:
        v2 = ind.new_version(session=s, case_id=case_id, viewer=ml)
        assert changed(v2, ressourceforloeb(30, staff_id(demo, "IH"))) == {"varighed_maaneder": 24}
        v2 = save(s, v2, ressourceforloeb(30, staff_id(demo, "IH")), ml)
        appr.approve(
            session=s, indstilling_id=v2.id, rulebook=rulebook, viewer=ml, seen=v2.values()
        )
        versions = ind.history(session=s, case_id=case_id, viewer=ml)
    assert [(v.version_no, v.status, v.varighed_maaneder) for v in versions] == [
        (2, "godkendt", 30),
        (1, "erstattet", 24),
    ]


def test_48_months_refused_under_2022(demo: Engine, rulebook: RuleBook, ml: Viewer) -> None:
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    with session_scope(demo, write=True) as s:
        s.get(Case, case_id).rule_set = "2022"  # type: ignore[union-attr]
    record_all(demo, case_id, meeting_id)
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        draft = save(s, draft, ressourceforloeb(48, staff_id(demo, "IH")), ml)
    with session_scope(demo, write=True) as s, pytest.raises(RuleViolation) as refused:
        appr.approve(
            session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=ml, seen=draft.values()
        )
    assert any("48 måneder er uden for 12-36" in p for p in refused.value.problems)
    with session_scope(demo, write=True) as s:
        s.get(Case, case_id).rule_set = "pre2022"  # type: ignore[union-attr]
    with session_scope(demo, write=True) as s:
        approved = appr.approve(
            session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=ml, seen=draft.values()
        )
    assert approved.status == "godkendt"


def test_foertidspension_needs_its_justification(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    meeting_id, items = todays_meeting(demo)
    case_id = items[1].case_id
    record_all(demo, case_id, meeting_id)
    data = IndstillingInput(type=IndstillingType.FOERTIDSPENSION, begrundelse="b", vurdering="v")
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        draft = save(s, draft, data, ml)
    with session_scope(demo, write=True) as s, pytest.raises(RuleViolation) as refused:
        appr.approve(
            session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=ml, seen=draft.values()
        )
    assert len(refused.value.problems) == 4 + 1  # four FP parts, the advice (below)
    assert any("væsentligt og varigt nedsat" in p for p in refused.value.problems)


def test_an_anbefaling_of_fleksjob_or_pension_needs_the_sundhedskoordinators_advice(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    """Lov nr. 1750/2025: under the reform's rule sets the advice (given in writing or at a
    meeting) must be recorded before the anbefaling is approved; before the reform it is
    not asked for."""
    from rehabteam.models.enums import AdviceForm
    from rehabteam.models.law_inputs import HealthAdviceInput
    from rehabteam.services.health_advice import save_advice

    meeting_id, items = todays_meeting(demo)
    case_id = items[1].case_id
    record_all(demo, case_id, meeting_id)
    with session_scope(demo) as s:
        case = s.get(Case, case_id)
        assert case is not None and rulebook.get(case.rule_set).health_advice_required
    data = IndstillingInput(
        type=IndstillingType.FLEKSJOB, begrundelse="b", vurdering="v", fleksjob_begrundelse="f"
    )
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        draft = save(s, draft, data, ml)

    def problems() -> list[str]:
        with session_scope(demo) as s:
            found, _ = appr.approval_problems(session=s, indstilling=draft, rulebook=rulebook)
        return found

    assert any("rådgivning mangler" in p for p in problems())
    # Requested, not given: still missing.
    with session_scope(demo, write=True) as s:
        first = save_advice(
            session=s,
            case_id=case_id,
            data=HealthAdviceInput(requested_on=date(2026, 11, 2)),
            viewer=ml,
        )
    assert any("rådgivning mangler" in p for p in problems())
    # Given in writing, without a meeting: approval may go on.
    with session_scope(demo, write=True) as s:
        save_advice(
            session=s,
            case_id=case_id,
            data=HealthAdviceInput(
                requested_on=date(2026, 11, 2),
                given_on=date(2026, 11, 20),
                form=AdviceForm.SKRIFTLIG,
                advice="Arbejdsevnen er varigt nedsat; skånehensyn: korte dage.",
                given_by="Sundhedskoordinator (regionen)",
            ),
            expected_version=first.version,
            viewer=ml,
        )
    assert problems() == []
    # Given, the advice and who gave it are required; not given before it was asked for.
    with pytest.raises(ValueError, match="udfyldes"):
        HealthAdviceInput(given_on=date(2026, 11, 20), given_by="X")
    with pytest.raises(ValueError, match="før"):
        HealthAdviceInput(
            requested_on=date(2026, 11, 2), given_on=date(2026, 11, 1), advice="a", given_by="b"
        )
    # Before the reform the advice is not asked for.
    with session_scope(demo, write=True) as s:
        row = s.get(Case, case_id)
        assert row is not None
        row.rule_set, row.referral_date = "2025", date(2025, 6, 1)
    with session_scope(demo, write=True) as s:
        s.execute(delete(HealthAdvice).where(col(HealthAdvice.case_id) == case_id))
    assert not any("rådgivning" in p for p in problems())


def test_missing_sundhedskoordinator_and_coordinator_block_approval(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        draft = save(s, draft, ressourceforloeb(24, None), ml)
    with session_scope(demo, write=True) as s, pytest.raises(RuleViolation) as refused:
        appr.approve(
            session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=ml, seen=draft.values()
        )
    problems = "\n".join(refused.value.problems)
    assert "Sundhedskoordinatorens vurdering mangler" in problems
    assert "koordinerende sagsbehandler" in problems


def test_assessments_are_saved_per_field(demo: Engine, ml: Viewer) -> None:
    """Two laptops on one discipline's record: different fields are both kept; the same
    field is refused to the second with the first's text, until replaced deliberately."""
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    record_all(demo, case_id, meeting_id)  # Mette's texts: the starting point of both
    jb = as_staff(demo, "JB")

    def save_sundhed(
        viewer: Viewer, data: AssessmentInput, base: dict[str, str]
    ) -> Saved[AssessmentRead]:
        with session_scope(demo, write=True) as s:
            return asm.save_assessment(
                session=s,
                case_id=case_id,
                meeting_id=meeting_id,
                discipline="sundhed",
                data=data,
                base=base,
                viewer=viewer,
            )

    def stored() -> tuple[str, str]:
        with session_scope(demo) as s:
            (read,) = asm.get_assessments(
                session=s,
                case_id=case_id,
                meeting_id=meeting_id,
                disciplines=["sundhed"],
                viewer=ml,
            )
        return read.vurdering, read.anbefalede_indsatser

    start = AssessmentInput(
        vurdering="Vurdering fra sundhed", anbefalede_indsatser="Mentor og indsats fra sundhed"
    )
    # (a) Mette changes the vurdering; Jonas, from the same screen, the anbefalede indsatser.
    # His save still carries the old vurdering: it must not put it back.
    first = save_sundhed(
        ml,
        start.model_copy(update={"vurdering": "Mettes nye vurdering"}),
        {"vurdering": "Vurdering fra sundhed"},
    )
    second = save_sundhed(
        jb,
        start.model_copy(update={"anbefalede_indsatser": "Jonas' indsatser"}),
        {"anbefalede_indsatser": "Mentor og indsats fra sundhed"},
    )
    assert first.conflicts == () and second.conflicts == ()
    assert stored() == ("Mettes nye vurdering", "Jonas' indsatser")
    # (b) Jonas changes the vurdering too, from the text he started from: refused, with
    # Mette's text; the anbefalede indsatser of the same save are written.
    clash = save_sundhed(
        jb,
        AssessmentInput(vurdering="Jonas' vurdering", anbefalede_indsatser="Jonas' andet bud"),
        {"vurdering": "Vurdering fra sundhed", "anbefalede_indsatser": "Jonas' indsatser"},
    )
    (conflict,) = clash.conflicts
    assert (conflict.field, conflict.theirs, conflict.by) == (
        "vurdering",
        "Mettes nye vurdering",
        "Mette Lund",
    )
    assert conflict.at is not None
    assert clash.read.vurdering == "Mettes nye vurdering"
    assert stored() == ("Mettes nye vurdering", "Jonas' andet bud")
    # (c) Having seen Mette's text, Jonas replaces it on purpose.
    again = save_sundhed(
        jb,
        AssessmentInput(vurdering="Jonas' vurdering", anbefalede_indsatser="Jonas' andet bud"),
        {"vurdering": conflict.theirs},
    )
    assert again.conflicts == ()
    assert stored() == ("Jonas' vurdering", "Jonas' andet bud")
    assert again.read.stamps["vurdering"].by == "Jonas Berg"


def test_the_draft_is_saved_per_field(demo: Engine, ml: Viewer) -> None:
    """Chair and referent typing in the same draft from the same starting point."""
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    jb = as_staff(demo, "JB")
    with session_scope(demo, write=True) as s:
        start = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)

    def save_as(
        viewer: Viewer, data: IndstillingInput, base: dict[str, object]
    ) -> Saved[IndstillingRead]:
        with session_scope(demo, write=True) as s:
            return ind.save_draft(
                session=s, indstilling_id=start.id, data=data, base=base, viewer=viewer
            )

    def stored() -> IndstillingRead:
        with session_scope(demo) as s:
            read = ind.get_indstilling(session=s, case_id=case_id, viewer=ml)
        assert read is not None
        return read

    mette = IndstillingInput(
        begrundelse="Mettes begrundelse",
        interventions=[InterventionInput(area=InterventionArea.MENTOR, indhold="Mentor 2 t/uge")],
    )
    jonas = IndstillingInput(
        maal="Jonas' mål",
        interventions=[
            InterventionInput(area=InterventionArea.SUNDHED, formaal="Smertehåndtering")
        ],
    )
    # (a) Different fields, each typed over the empty draft: Jonas's save carries an empty
    # begrundelse and no mentor indsats, and must blank neither.
    assert changed(start, mette) == {"begrundelse": "", "mentor.indhold": ""}
    assert changed(start, jonas) == {"maal": "", "sundhed.formaal": ""}
    assert save_as(ml, mette, changed(start, mette)).conflicts == ()
    assert save_as(jb, jonas, changed(start, jonas)).conflicts == ()
    both = stored()
    assert (both.begrundelse, both.maal) == ("Mettes begrundelse", "Jonas' mål")
    assert {(i.area, i.formaal, i.indhold) for i in both.interventions} == {
        ("mentor", "", "Mentor 2 t/uge"),
        ("sundhed", "Smertehåndtering", ""),
    }
    # (b) Jonas also writes a begrundelse over the empty one he started from, and an
    # opfølgning: the begrundelse is refused with Mette's text, the opfølgning written.
    clash = save_as(
        jb,
        jonas.model_copy(update={"begrundelse": "Jonas' begrundelse", "opfoelgning": "Hver md."}),
        {"begrundelse": "", "opfoelgning": ""},
    )
    (conflict,) = clash.conflicts
    assert (conflict.field, conflict.theirs, conflict.by) == (
        "begrundelse",
        "Mettes begrundelse",
        "Mette Lund",
    )
    assert conflict.at is not None
    after = stored()
    assert (after.begrundelse, after.maal, after.opfoelgning) == (
        "Mettes begrundelse",
        "Jonas' mål",
        "Hver md.",
    )
    assert after.values() == clash.read.values()
    # (c) With Mette's text as the base, Jonas's begrundelse replaces it.
    replaced = save_as(
        jb, IndstillingInput(begrundelse="Jonas' begrundelse"), {"begrundelse": conflict.theirs}
    )
    assert replaced.conflicts == ()
    final = stored()
    assert final.begrundelse == "Jonas' begrundelse"
    assert final.stamps["begrundelse"].by == "Jonas Berg"
    assert (final.maal, final.opfoelgning) == ("Jonas' mål", "Hver md.")
    assert len(final.interventions) == 2


def test_approval_is_refused_when_the_draft_is_not_what_the_chair_sees(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    record_all(demo, case_id, meeting_id)
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        on_screen = save(s, draft, ressourceforloeb(24, staff_id(demo, "IH")), ml)
    with session_scope(demo, write=True) as s:  # the referent changes the goal meanwhile
        other = ressourceforloeb(24, staff_id(demo, "IH")).model_copy(update={"maal": "Andet mål"})
        save(s, on_screen, other, as_staff(s, "JB"))
    with session_scope(demo, write=True) as s, pytest.raises(RuleViolation) as refused:
        appr.approve(
            session=s,
            indstilling_id=draft.id,
            rulebook=rulebook,
            viewer=ml,
            seen=on_screen.values(),
        )
    assert "ikke den, du ser" in str(refused.value)
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith("Mål er ændret af Jonas Berg kl. ")
    with session_scope(demo) as s:
        assert s.get(Case, case_id).status != "indstillet"  # type: ignore[union-attr]


def test_caseload_counts_active_ressourceforloeb(demo: Engine) -> None:
    with session_scope(demo) as s:
        loads = {c.initials: c for c in appr.caseloads(session=s)}
        low = {
            c.initials: c
            for c in appr.caseloads(
                session=s, guidelines={"ressourceforloeb": (0, 0), "jobafklaringsforloeb": (0, 45)}
            )
        }
    assert set(loads) == {"IH", "PN"}
    total = sum(c.active_ressourceforloeb for c in loads.values())
    assert total >= 2 and not any(c.over_guideline for c in loads.values())
    assert any(c.over_guideline for c in low.values())
    # Per area: a jobafklaringsforløb counts against its own guideline, not ressourceforløb's.
    from rehabteam.models import Forloeb

    with session_scope(demo, write=True) as s:
        course = s.exec(select(Forloeb).where(Forloeb.ended_on == None)).first()  # noqa: E711
        assert course is not None and course.coordinator_id is not None
        course.kind, holder = "jobafklaringsforloeb", course.coordinator_id
    with session_scope(demo) as s:
        after = {c.staff_id: c for c in appr.caseloads(session=s)}
        strict = {
            c.staff_id: c
            for c in appr.caseloads(
                session=s,
                guidelines={"ressourceforloeb": (25, 40), "jobafklaringsforloeb": (0, 0)},
            )
        }
    mine = next(c for c in loads.values() if c.staff_id == holder)
    assert after[holder].areas["jobafklaringsforloeb"] == 1
    assert after[holder].active_ressourceforloeb == mine.active_ressourceforloeb - 1
    assert strict[holder].over == ("jobafklaringsforloeb",)


def test_closing_postpones_cases_not_reached_to_the_next_meeting(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    meeting_id, items = todays_meeting(demo)
    with session_scope(demo, write=True) as s:
        room.start_meeting(session=s, meeting_id=meeting_id, viewer=ml)
        room.finish_case(session=s, item_id=items[0].id, viewer=ml)  # type: ignore[arg-type]
        moved = room.close_meeting(session=s, meeting_id=meeting_id, rulebook=rulebook, viewer=ml)
        next_meeting = s.exec(select(Meeting).where(Meeting.date > date.today())).first()
    assert len(moved) == 4 and all(target == next_meeting.id for _, target in moved)  # type: ignore[union-attr]
    with session_scope(demo) as s:
        assert s.get(Meeting, meeting_id).status == "afholdt"  # type: ignore[union-attr]
        statuses = [s.get(AgendaItem, i.id).status for i in items]  # type: ignore[union-attr]
        assert statuses == ["behandlet", "udsat", "udsat", "udsat", "udsat"]
        for case_id, _ in moved:
            assert s.get(Case, case_id).status == "booket"  # type: ignore[union-attr]
        assert s.get(Case, items[0].case_id).status == "behandlet"  # type: ignore[union-attr]
    with session_scope(demo, write=True) as s, pytest.raises(InvalidInput, match="afsluttet"):
        room.close_meeting(session=s, meeting_id=meeting_id, rulebook=rulebook, viewer=ml)


def test_pension_age_warning(demo: Engine, rulebook: RuleBook, ml: Viewer) -> None:
    from rehabteam.rules.pension import state_pension_age, years_to_pension

    assert state_pension_age(date(1960, 5, 1)) == 67 and state_pension_age(date(1980, 1, 1)) == 70
    assert 6.9 < years_to_pension(date(1963, 6, 1), date(2024, 6, 1)) < 7.1
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    with session_scope(demo, write=True) as s:
        from rehabteam.models import Citizen

        case = s.get(Case, case_id)
        s.get(Citizen, case.citizen_id).birth_date = date.today() - timedelta(days=365 * 63)  # type: ignore[union-attr]
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        draft = save(s, draft, ressourceforloeb(24, staff_id(demo, "IH")), ml)
        _problems, warnings = appr.approval_problems(
            session=s, indstilling=draft, rulebook=rulebook
        )
    assert any("folkepensionsalderen" in w for w in warnings)


def test_only_the_chair_approves(demo: Engine, rulebook: RuleBook, ml: Viewer) -> None:
    from rehabteam.errors import AccessDenied

    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    record_all(demo, case_id, meeting_id)
    with session_scope(demo, write=True) as s:
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        draft = save(s, draft, ressourceforloeb(24, staff_id(demo, "IH")), ml)
    for initials in ("LD", "JB"):  # a member and the referent
        with (
            session_scope(demo, write=True) as s,
            pytest.raises(AccessDenied, match="Kun mødets mødeleder"),
        ):
            appr.approve(
                session=s,
                indstilling_id=draft.id,
                rulebook=rulebook,
                viewer=as_staff(demo, initials),
                seen=draft.values(),
            )
    with session_scope(demo, write=True) as s:
        approved = appr.approve(
            session=s, indstilling_id=draft.id, rulebook=rulebook, viewer=ml, seen=draft.values()
        )
    assert approved.status == "godkendt"


def test_the_case_clock_counts_from_one_stored_moment(demo: Engine, rulebook: RuleBook) -> None:
    """Two workstations opening the current case at different times show the same clock: the
    first to open it at the running meeting stores when its handling began; a later open
    (the referent's, a minute on) keeps that moment. Before the meeting runs, nothing is
    stored."""
    from datetime import UTC, datetime, time

    from rehabteam import clock

    meeting_id, items = todays_meeting(demo)
    item_id = items[0].id
    assert item_id is not None
    ml, jb = as_staff(demo, "ML"), as_staff(demo, "JB")

    def open_as(viewer: Viewer) -> datetime | None:
        with session_scope(demo, write=True) as s:
            read = room.open_case(
                session=s, meeting_id=meeting_id, item_id=item_id, rulebook=rulebook, viewer=viewer
            )
            return read.item.handling_started_at

    try:
        clock.fix(date.today(), time(9, 0))
        assert open_as(ml) is None  # planned, not running: no clock yet
        with session_scope(demo, write=True) as s:
            room.start_meeting(session=s, meeting_id=meeting_id, viewer=ml)
        clock.fix(date.today(), time(9, 5))
        first = open_as(ml)
        clock.fix(date.today(), time(9, 6))
        later = open_as(jb)
    finally:
        clock.fix(None)
    assert first == later == datetime.combine(date.today(), time(9, 5), tzinfo=UTC)


def test_a_ressourceforloeb_referred_after_the_reform_cannot_be_approved(
    demo: Engine, rulebook: RuleBook, ml: Viewer
) -> None:
    """Issue 17: a case stored under `2025` (the old table) but referred in March 2026 cannot
    be approved as a ressourceforløb: the law in force on its referral date forbids it."""
    meeting_id, items = todays_meeting(demo)
    case_id = items[0].case_id
    with session_scope(demo, write=True) as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.referral_date, case.rule_set = date(2026, 3, 16), "2025"
        s.add(case)
        draft = ind.draft_for(session=s, case_id=case_id, meeting_id=meeting_id, viewer=ml)
        saved = save(s, draft, ressourceforloeb(24, staff_id(demo, "IH")), ml)
        problems, _warnings = appr.approval_problems(
            session=s, indstilling=saved, rulebook=rulebook
        )
    assert any("Ressourceforløb" in p and "reform" in p.lower() for p in problems), problems
