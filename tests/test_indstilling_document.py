"""The indstilling / anbefaling as a jurist reads it: converted by LibreOffice and its PDF
text asserted per case type (and in English), and refused at export when its content breaks
the rules that guard approval (issue 18, "Indstilling / anbefaling")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from rehabteam.db import session_scope
from rehabteam.errors import RuleViolation
from rehabteam.i18n import set_language
from rehabteam.models import (
    AgendaItem,
    Case,
    DisciplineAssessment,
    Indstilling,
    IndstillingIntervention,
    MedicalStatement,
    MeetingParticipant,
    StaffMember,
)
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import documents
from rehabteam.services.demo import seed_demo
from rehabteam.settings import Settings
from tests.documents import pdf_text, pdfs_of
from tests.people import as_staff, last_weeks_meeting

# What only a document of another kind may speak of.
FOREIGN = {
    "ressourceforloeb": ("fleksjob", "førtidspension"),
    "fleksjob": ("ressourceforløb", "førtidspension"),
    "foertidspension": ("ressourceforløb", "jobafklaring"),
}


@pytest.fixture
def demo(engine: Engine, rulebook: RuleBook) -> Engine:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return engine


@pytest.fixture
def ml(demo: Engine) -> Viewer:
    """Mette Lund, the demo team's mødeleder, who sees all its cases."""
    return as_staff(demo, "ML")


def approved(engine: Engine, kind: str, status: str = "godkendt") -> Indstilling:
    with session_scope(engine) as s:
        row = s.exec(
            select(Indstilling)
            .where(col(Indstilling.status) == status, col(Indstilling.type) == kind)
            .order_by(col(Indstilling.id))
        ).first()
    assert row is not None
    return row


def export(engine: Engine, rulebook: RuleBook, viewer: Viewer, case_id: int, target: Path) -> Path:
    with session_scope(engine, write=True) as s:
        return documents.export_indstilling(
            session=s,
            case_id=case_id,
            rulebook=rulebook,
            target=target,
            settings=Settings(),
            viewer=viewer,
        )


def section(text: str, heading: str, following: str) -> str:
    """The text between a heading and the next one."""
    start = text.index(heading) + len(heading)
    return text[start : text.index(following, start)]


def test_each_demo_indstilling_speaks_of_its_own_kind_only(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """The FP indstilling spoke of a ressourceforløb in its begrundelse, the
    sundhedskoordinator's text and the citizen's remarks: the demo shared one set of texts."""
    kinds = list(FOREIGN)
    cases = {kind: approved(demo, kind).case_id for kind in kinds}  # exported, they are sent
    written = [export(demo, rulebook, ml, cases[kind], tmp_path / f"{kind}.docx") for kind in kinds]
    texts = dict(zip(kinds, map(pdf_text, pdfs_of(*written)), strict=True))
    for kind, text in texts.items():
        for word in FOREIGN[kind]:
            assert word not in text.lower(), (kind, word)
    pension = texts["foertidspension"]
    assert "Borgeren er enig i anbefalingen om førtidspension" in pension
    assert "ingen behandling tilbage" in section(
        pension, "Sundhedskoordinatorens vurdering", "Borgerens bemærkninger"
    )
    assert "fleksjob" in texts["fleksjob"].lower() and "skånehensyn" in texts["fleksjob"]
    # The legal basis is the rule set's citation, not its name.
    for text in texts.values():
        assert "Regelsæt" not in text
    # The decision note once (it was also under "Hvad sker der nu?"), and the title not cut
    # after "indstilling: " (the type is a line of its own under it).
    for kind, text in texts.items():
        assert text.count("Det er ikke en afgørelse") == 1, kind
        assert "indstilling:" not in text and "anbefaling:" not in text, kind
    assert "Rehabiliteringsteamets indstilling Ressourceforløb Dette" in " ".join(
        texts["ressourceforloeb"].split()
    )
    assert "Retsgrundlag Lov nr. 1750 af 29. december 2025" in pension
    # Spelled out, dated the Danish way, and without another type's section (the
    # ressourceforløb indstilling ended "LAB § 109 (jobafklaringsforløb)").
    ressource = " ".join(texts["ressourceforloeb"].split())
    assert (
        "Retsgrundlag Lov nr. 1657/2024; lov om organisering og understøttelse af "
        "beskæftigelsesindsatsen m.v. (LOU) §§ 9-12; bekendtgørelse nr. 2408 af 13. december "
        "2021" in ressource
    )
    assert "§ 109" not in ressource and "jobafklaringsforløb)" not in ressource
    for text in texts.values():
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text), "a date as 13/12/2021"
    # The basis: the preparation document of the case's rule set and the LÆ 265 with its date.
    with session_scope(demo) as s:
        statements = {
            kind: s.exec(
                select(MedicalStatement).where(col(MedicalStatement.case_id) == cases[kind])
            ).one()
            for kind in kinds
        }
        received = {kind: m.received_on for kind, m in statements.items()}
    assert (
        "Grundlag Forberedende del af rehabiliteringsplanen; Lægeattest (LÆ 265), modtaget "
        f"{received['ressourceforloeb']:%d.%m.%Y}" in texts["ressourceforloeb"]
    )
    assert (
        "Grundlag Samlet beskrivelse af borgerens forudsætninger; Lægeattest (LÆ 265), "
        f"modtaget {received['foertidspension']:%d.%m.%Y}" in pension
    )
    # Approved on a DD.MM.YYYY date like every other date, not ISO.
    for text in texts.values():
        assert re.search(r"godkendt af Mette Lund \d{2}\.\d{2}\.\d{4}", text)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_the_plan_says_why_each_intervention_and_what_was_left_out(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Every "Hvorfor" was the same boilerplate; the sundhedskoordinator's text was printed
    twice; recommendations that did not become interventions vanished."""
    row = approved(demo, "ressourceforloeb")
    resource = export(demo, rulebook, ml, row.case_id, tmp_path / "rf.docx")
    pension = export(
        demo, rulebook, ml, approved(demo, "foertidspension").case_id, tmp_path / "fp.docx"
    )
    rf, fp = map(pdf_text, pdfs_of(resource, pension))
    reasons = re.findall(r"Hvorfor: (.+?)(?= Uddannelse | Beskæftigelse | Anbefalet,)", rf)
    assert len(reasons) == 3 and len(set(reasons)) == 3, reasons
    assert "Anbefalet af teamet på baggrund af drøftelsen" not in rf
    with session_scope(demo) as s:
        health = s.get(Indstilling, row.id)
        assert health is not None
        once = health.sundhedskoordinator_vurdering
    assert rf.count(once) == 1
    left_out = section(rf, "Anbefalet, men ikke med i planen", "Ressourceforløbet")
    # The case's plan (mentor, uddannelse, beskæftigelse) leaves out health and housing.
    assert "Social: Hjælp til at søge bolig" in left_out
    assert "Sundhed: Forløb om søvn og rutiner" in left_out
    assert "Mentor" not in left_out  # beskæftigelse's recommendation is in the plan
    assert "Undervisning" not in left_out  # and undervisning's
    # Førtidspension has no plan: the social recommendation is named as left out.
    assert "Social: Socialpædagogisk støtte i hjemmet" in section(
        fp, "Anbefalet, men ikke med i planen", "Førtidspension: teamets faglige begrundelse"
    )


def _plant_attendance(engine: Engine, case_id: int) -> tuple[str, str]:
    """One member not checked in, one absent, a guest, and the citizen's sister as bisidder.
    Returns the two who must not be listed."""
    with session_scope(engine, write=True) as s:
        meeting_id = last_weeks_meeting(s).id
        assert meeting_id is not None
        rows = s.exec(
            select(MeetingParticipant, StaffMember)
            .join(StaffMember, col(StaffMember.id) == col(MeetingParticipant.staff_id))
            .where(
                col(MeetingParticipant.meeting_id) == meeting_id,
                col(MeetingParticipant.role) == "medlem",
            )
            .order_by(col(MeetingParticipant.id))
        ).all()
        (unknown, unknown_staff), (absent, absent_staff) = rows[0], rows[1]
        unknown.attended, absent.attended = None, False
        s.add_all([unknown, absent])
        s.add(
            MeetingParticipant(
                meeting_id=meeting_id,
                guest_name="Gitte Gæst",
                guest_organisation="Psykiatrien, Region Demo",
                discipline="gaest",
                role="gaest",
                attended=True,
            )
        )
        item = s.exec(
            select(AgendaItem).where(
                col(AgendaItem.case_id) == case_id, col(AgendaItem.meeting_id) == meeting_id
            )
        ).one()
        item.bisidder = "Søster Sofie"
        s.add(item)
        return unknown_staff.name, absent_staff.name


def test_members_present_with_discipline_and_role_then_the_citizen_in_both_languages(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Names only, "ikke registreret" counted as present, and no word of the citizen, the
    bisidder or the presenting sagsbehandler."""
    row = approved(demo, "ressourceforloeb")
    not_there = _plant_attendance(demo, row.case_id)
    with session_scope(demo) as s:
        case = s.get(Case, row.case_id)
        assert case is not None and case.sagsbehandler_id is not None
        presenter = s.get(StaffMember, case.sagsbehandler_id)
        assert presenter is not None
        presenter_name = presenter.name
    danish = export(demo, rulebook, ml, row.case_id, tmp_path / "da.docx")
    set_language("en")
    english = export(demo, rulebook, ml, row.case_id, tmp_path / "en.docx")
    set_language("da")
    da, en = map(pdf_text, pdfs_of(danish, english))
    members = section(da, "Teamets deltagere", "Teamets vurdering")
    assert "Mette Lund, Beskæftigelse (Mødeleder)" in members
    assert "Jonas Berg, Beskæftigelse (Referent)" in members
    assert "Henrik Sand, Sundhedskoordinator (Medlem)" in members
    assert "Gitte Gæst, Psykiatrien, Region Demo (Gæst)" in members
    for name in not_there:
        assert name not in members
    assert "deltog i mødet sammen med Søster Sofie (bisidder)" in members
    assert f"Sagen fremlagt af: {presenter_name}" in members
    assert members.index("(Gæst)") < members.index("Søster Sofie")
    members_en = section(en, "The team's participants", "The team's assessment")
    assert "Mette Lund, Employment (Chair)" in members_en
    assert "attended the meeting with Søster Sofie (companion)" in members_en
    assert f"Case presented by: {presenter_name}" in members_en
    assert "Legal basis Lov nr. 1657/2024" in en and "Rule set" not in en
    assert re.search(
        r"Basis Preparatory part of the rehabilitation plan; Medical certificate \(LÆ 265\), "
        r"received \d{2}\.\d{2}\.\d{4}",
        en,
    )
    assert re.search(r"approved by Mette Lund \d{2}\.\d{2}\.\d{4}", en)


def test_an_indstilling_without_a_meeting_has_no_meeting_lines_nor_empty_headings(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    row = approved(demo, "ressourceforloeb", status="sendt")
    with session_scope(demo, write=True) as s:
        # Made without a meeting (the demo's were all agreed at one); assessed in writing.
        stored = s.get(Indstilling, row.id)
        assert stored is not None
        stored.borgerens_bemaerkninger = ""
        stored.meeting_id = None
        s.add(stored)
        for assessment in s.exec(
            select(DisciplineAssessment).where(DisciplineAssessment.case_id == row.case_id)
        ):
            assessment.meeting_id = None
            s.add(assessment)
    (text,) = map(pdf_text, pdfs_of(export(demo, rulebook, ml, row.case_id, tmp_path / "x.docx")))
    assert not re.search(r"\bMøde\b", text) and " -, -" not in text
    for heading in ("Teamets deltagere", "Fagområdernes vurderinger", "Borgerens bemærkninger"):
        assert heading not in text, heading
    assert "Indstillede indsatser" in text and "Koordinerende sagsbehandler" in text


PLANTED: dict[str, tuple[dict[str, object], str]] = {
    "48 months": ({"varighed_maaneder": 48}, "48 måneder"),
    "no goal": ({"maal": ""}, "Målet for ressourceforløbet er ikke udfyldt"),
    "no coordinator": ({"koordinerende_sagsbehandler_id": None}, "koordinerende sagsbehandler"),
    "empty begrundelse": ({"begrundelse": "  "}, "Begrundelsen er ikke udfyldt"),
    "no interventions": ({}, "ingen indstillede indsatser"),
}


@pytest.mark.parametrize("state", list(PLANTED))
def test_export_refuses_what_approval_would_refuse(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path, state: str
) -> None:
    """Planted invalid states (as by psql) were exported with empty headings."""
    changes, named = PLANTED[state]
    row = approved(demo, "ressourceforloeb")
    with session_scope(demo, write=True) as s:
        stored = s.get(Indstilling, row.id)
        assert stored is not None
        for name, value in changes.items():
            setattr(stored, name, value)
        s.add(stored)
        if state == "no interventions":
            for i in s.exec(
                select(IndstillingIntervention).where(
                    col(IndstillingIntervention.indstilling_id) == row.id
                )
            ):
                s.delete(i)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "ind.docx"
    with pytest.raises(RuleViolation) as refused:
        export(demo, rulebook, ml, row.case_id, target)
    assert "eksporteres ikke" in str(refused.value) and "Intet er skrevet" in str(refused.value)
    assert any(named in p for p in refused.value.problems), refused.value.problems
    assert list(out.iterdir()) == []  # neither the file nor a temporary one
    # The whole meeting's export refuses it before the first file is written.
    with session_scope(demo) as s:
        held = last_weeks_meeting(s).id
        assert held is not None
    folder = tmp_path / "eksport"
    with session_scope(demo, write=True) as s, pytest.raises(RuleViolation):
        documents.export_meeting(
            session=s,
            meeting_id=held,
            folder=folder,
            settings=Settings(),
            rulebook=rulebook,
            viewer=ml,
        )
    assert list(folder.iterdir()) == []


def test_export_judges_the_duration_by_the_cases_own_rule_set(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """48 months was allowed before 2022 (12-60): a case under that rule set is exported."""
    row = approved(demo, "ressourceforloeb")
    with session_scope(demo, write=True) as s:
        stored, case = s.get(Indstilling, row.id), s.get(Case, row.case_id)
        assert stored is not None and case is not None
        stored.varighed_maaneder = 48
        case.rule_set = "pre2022"
        s.add_all([stored, case])
    path = export(demo, rulebook, ml, row.case_id, tmp_path / "ind.docx")
    assert path.exists()


def test_a_copy_of_an_old_indstilling_keeps_its_date_and_says_what_was_decided(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Reviewer: an indstilling sent months ago, exported again today, was dated today,
    said "du får besked om den" of a decision made long since, and was not marked a copy.
    It is dated the day it was approved, says it is a copy printed today, and names the
    decision."""
    from datetime import date

    from rehabteam.models.followup import Decision
    from tests.documents import docx_text

    with session_scope(demo) as s:
        decision = s.exec(select(Decision).order_by(col(Decision.id))).first()
        assert decision is not None
        row = s.get(Indstilling, decision.indstilling_id)
        assert row is not None and row.approved_at is not None
    approved_on = row.approved_at.astimezone().date()
    assert approved_on < date.today()
    text = docx_text(export(demo, rulebook, ml, row.case_id, tmp_path / "copy.docx"))
    assert f"{approved_on:%d.%m.%Y}" in text.splitlines()[:6], text[:300]
    assert f"Kopi udskrevet {date.today():%d.%m.%Y}" in text, text[:600]
    assert f"Kommunen traf afgørelse i sagen {decision.decided_on:%d.%m.%Y}" in text
    assert "du får besked om" not in text


def test_a_ressourceforloeb_agreed_after_the_reform_carries_the_transition_note(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Reviewer: last week's ressourceforløb (referred before 1 February 2026, agreed on
    26.11.2026 under the 2025 rule set) was printed with no word that no new ressourceforløb
    are granted now; approval warned, the document did not."""
    from tests.documents import docx_text

    row = approved(demo, "ressourceforloeb")  # last week's, not yet sent
    text = docx_text(export(demo, rulebook, ml, row.case_id, tmp_path / "rf.docx"))
    assert "bevilges der ikke nye ressourceforløb" in text and "overgangsreglen" in text
    assert "henvist før 01.02.2026" in text
    pension = approved(demo, "foertidspension")
    other = docx_text(export(demo, rulebook, ml, pension.case_id, tmp_path / "fp.docx"))
    assert "overgangsreglen" not in other


def test_a_fleksjob_or_pension_anbefaling_names_someone_to_call(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Reviewer: a fleksjob or førtidspension anbefaling has no koordinerende sagsbehandler,
    and so named nobody to call. It names the case's sagsbehandler (else the unit) with
    phone and e-mail under "Kontakt"."""
    from tests.documents import docx_text

    for kind in ("fleksjob", "foertidspension"):
        row = approved(demo, kind)
        with session_scope(demo) as s:
            case = s.get(Case, row.case_id)
            assert case is not None and row.koordinerende_sagsbehandler_id is None
            worker = s.get(StaffMember, case.sagsbehandler_id)
            assert worker is not None
        text = docx_text(export(demo, rulebook, ml, row.case_id, tmp_path / f"{kind}.docx"))
        lines = text.splitlines()
        assert "Kontakt" in lines, kind
        after = "\n".join(lines[lines.index("Kontakt") :][:3])
        assert worker.name in after and worker.phone in after and worker.email in after, after
