"""The dagsorden as its readers see it: converted to PDF by LibreOffice (one run for all the
documents of this module) and its text asserted. A held meeting lists the cases it had;
the table breaks no word; each slot's phases have times; the material's sending date is
printed; Danish has no English in it; a municipality's own template is used; the batch
export holds the dagsorden and the calendar file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from sqlalchemy import Engine
from sqlmodel import col, select

from rehabteam.db import make_engine, migrate, session_scope
from rehabteam.exports.dagsorden import phase_minutes
from rehabteam.exports.default_templates import build_dagsorden
from rehabteam.exports.templating import TemplateProblem
from rehabteam.i18n import set_language
from rehabteam.models import AgendaItem, Case, Meeting
from rehabteam.models.enums import MeetingStatus
from rehabteam.rules import load_rulebook
from rehabteam.services import documents
from rehabteam.services.demo import seed_demo
from rehabteam.services.exporting import export_dagsorden
from rehabteam.settings import Settings
from tests.documents import pdf_text, pdfs_of
from tests.people import as_staff

# The longest case types, in a table column each must fit whole.
LONG_TYPES = ("jobafklaring_indsats", "ressourceforloeb_genforelaeggelse", "sygedagpenge_kat3")


def _meeting(engine: Engine, status: MeetingStatus, *, last: bool = False) -> Meeting:
    with session_scope(engine) as s:
        found = s.exec(
            select(Meeting).where(Meeting.status == status.value).order_by(col(Meeting.date))
        ).all()
    return found[-1] if last else found[0]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("dagsorden")
    engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
    migrate(engine)
    rulebook = load_rulebook()
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return {"engine": engine, "rulebook": rulebook, "folder": folder}


@pytest.fixture(scope="module")
def texts(setup: dict[str, object]) -> dict[str, str]:
    """Every dagsorden of this module as PDF text, from one LibreOffice run."""
    engine, rulebook, folder = setup["engine"], setup["rulebook"], setup["folder"]
    assert isinstance(engine, Engine) and isinstance(folder, Path)
    ml = as_staff(engine, "ML")
    held = _meeting(engine, MeetingStatus.AFHOLDT, last=True)  # last week's
    today = _meeting(engine, MeetingStatus.PLANLAGT)
    later = _meeting(engine, MeetingStatus.PLANLAGT, last=True)
    with session_scope(engine, write=True) as s:
        items = s.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == later.id)
            .order_by(col(AgendaItem.position))
        ).all()
        for item, kind in zip(items, LONG_TYPES, strict=False):
            case = s.get(Case, item.case_id)
            assert case is not None
            case.case_type = kind
            s.add(case)
        items[1].citizen_attends, items[1].absence_reason = False, "Indlagt"
        s.add(items[1])
    custom = folder / "skabeloner"
    custom.mkdir()
    template = build_dagsorden()
    template.add_paragraph("Kommunens egen skabelon for {{ meeting.team }}")
    template.save(str(custom / "dagsorden.docx"))
    plan = {
        "held": (held, Settings(), "da"),
        "today": (today, Settings(), "da"),
        "today_en": (today, Settings(), "en"),
        "later": (later, Settings(), "da"),
        "custom": (later, Settings(template_dir=custom), "da"),
    }
    written = {}
    for name, (meeting, settings, language) in plan.items():
        set_language(language)  # type: ignore[arg-type]
        try:
            with session_scope(engine, write=True) as s:
                written[name] = export_dagsorden(
                    session=s,
                    meeting_id=meeting.id,  # type: ignore[arg-type]
                    target=folder / f"{name}.docx",
                    rulebook=rulebook,  # type: ignore[arg-type]
                    settings=settings,
                    viewer=ml,
                )
        finally:
            set_language("da")
    pdfs = pdfs_of(*written.values())
    return {name: pdf_text(pdf) for name, pdf in zip(written, pdfs, strict=True)}


def test_a_held_meeting_lists_the_cases_it_had_as_they_stood(
    setup: dict[str, object], texts: dict[str, str]
) -> None:
    engine, rulebook = setup["engine"], setup["rulebook"]
    assert isinstance(engine, Engine)
    held = _meeting(engine, MeetingStatus.AFHOLDT, last=True)  # last week's
    from rehabteam.services.agenda import get_agenda

    with session_scope(engine) as s:
        agenda = get_agenda(
            session=s,
            meeting_id=held.id,  # type: ignore[arg-type]
            rulebook=rulebook,  # type: ignore[arg-type]
            viewer=as_staff(engine, "ML"),
        )
    text = texts["held"]
    assert "Ingen sager er booket" not in text
    assert "Mødet er holdt" in text
    assert {i.status for i in agenda.items} >= {"behandlet", "udsat"}
    for item in agenda.items:
        assert f"{item.start:%H:%M}-{item.end:%H:%M} {item.citizen_name}" in text
    postponed = next(i for i in agenda.items if i.status == "udsat")
    assert f"Status: Udsat: {postponed.status_reason}" in text
    assert text.count("Status: Behandlet") == sum(i.status == "behandlet" for i in agenda.items)
    # Not handled, so no time plan (it had "14:00-14:10 Formøde" after a meeting until
    # 14:00), and every slot within the meeting's own hours.
    detail = text.split(f"{postponed.citizen_name}, sag {postponed.case_number}", 1)[1]
    assert "Tidsplan" not in detail.split("Materiale", 1)[0], detail[:300]
    assert all(i.end <= agenda.meeting.end for i in agenda.items)


def test_no_word_breaks_inside_the_case_table(
    setup: dict[str, object], texts: dict[str, str]
) -> None:
    """LibreOffice lays a table out by its grid columns: they must agree with the cells."""
    text = texts["later"]
    table = text[text.index("Sagstype") : text.index("Formøde")]
    for words in ("Indsats i jobafklaringsforløb", "Ressourceforløb, genforelæggelse"):
        assert words in table
    for name in ("Amalie Kristensen", "Lene Knudsen", "Helle Lund", "Sagsbehandler"):
        assert name in table
    folder = setup["folder"]
    assert isinstance(folder, Path)
    grid = Document(str(folder / "later.docx")).tables[1]
    widths = [column.width for column in grid.columns]
    assert sum(widths) <= Cm(16.6) + 100
    for row in grid.rows:
        assert [cell.width for cell in row.cells] == widths


def test_each_slot_has_the_time_of_each_phase(texts: dict[str, str]) -> None:
    text = re.sub(r"[\ue000-\uf8ff•] ", "", texts["today"])  # list bullets
    assert (
        "09:00-09:10 Formøde (teamet alene) 09:10-09:40 Dialog med borgeren "
        "09:40-10:00 Eftermøde: teamet aftaler indstillingen"
    ) in text
    # Fleksjob under the 2026 rule sets: the team's result is an anbefaling.
    assert "10:40-11:00 Eftermøde: teamet aftaler anbefalingen" in text
    # A citizen who does not come: no dialogue with the citizen in that slot.
    assert "10:10-10:40 Teamets drøftelse (borgeren deltager ikke)" in texts["later"]
    assert "Pre-meeting (team only)" in texts["today_en"]
    assert phase_minutes(60) == (10, 30, 20) and phase_minutes(90) == (15, 45, 30)
    assert sum(phase_minutes(45)) == 45


def test_the_date_the_material_was_sent_and_no_english_in_danish(
    setup: dict[str, object], texts: dict[str, str]
) -> None:
    engine = setup["engine"]
    assert isinstance(engine, Engine)
    today = _meeting(engine, MeetingStatus.PLANLAGT)
    assert today.material_sent_at is not None
    sent = f"{today.material_sent_at:%d.%m.%Y}"
    # Mid-sentence, so in small letters (the demo had "til Teamets faste medlemmer").
    assert f"Sendt {sent} til teamets faste medlemmer" in texts["today"]
    assert f"Sent {sent} to teamets faste medlemmer" in texts["today_en"]
    # A meeting in a room has no "Videolink -" row.
    assert "Videolink" not in texts["today"] and "Video link" not in texts["today_en"]
    for english in ("Sent to", "Sent ", "Agenda", "Time plan", "Post-meeting"):
        assert english not in texts["today"]
    assert "Ikke sendt endnu (frist" in texts["later"]


def test_a_municipalitys_own_dagsorden_template_is_used(
    setup: dict[str, object], texts: dict[str, str]
) -> None:
    assert "Kommunens egen skabelon for Rehabiliteringsteamet (DEMO)" in texts["custom"]
    assert "Kommunens egen skabelon" not in texts["later"]
    engine, rulebook, folder = setup["engine"], setup["rulebook"], setup["folder"]
    assert isinstance(engine, Engine) and isinstance(folder, Path)
    broken = folder / "broken"
    broken.mkdir()
    template = build_dagsorden()
    template.add_paragraph("{{ meeting.tema }}")
    template.save(str(broken / "dagsorden.docx"))
    later = _meeting(engine, MeetingStatus.PLANLAGT, last=True)
    with session_scope(engine, write=True) as s, pytest.raises(TemplateProblem) as refused:
        export_dagsorden(
            session=s,
            meeting_id=later.id,  # type: ignore[arg-type]
            target=folder / "broken.docx",
            rulebook=rulebook,  # type: ignore[arg-type]
            settings=Settings(template_dir=broken),
            viewer=as_staff(engine, "ML"),
        )
    assert "meeting.tema" in str(refused.value)
    assert not (folder / "broken.docx").exists()


def test_the_meeting_batch_holds_the_dagsorden_and_the_calendar_file(
    setup: dict[str, object], tmp_path: Path
) -> None:
    engine, rulebook = setup["engine"], setup["rulebook"]
    assert isinstance(engine, Engine)
    today = _meeting(engine, MeetingStatus.PLANLAGT)
    with session_scope(engine, write=True) as s:
        written = documents.export_meeting(
            session=s,
            meeting_id=today.id,  # type: ignore[arg-type]
            folder=tmp_path,
            settings=Settings(),
            rulebook=rulebook,  # type: ignore[arg-type]
            pdf=True,
            viewer=as_staff(engine, "ML"),
        )
    names = sorted(p.name for p in written)
    day = f"{today.date:%Y-%m-%d}"
    assert f"{day} Dagsorden.docx" in names and f"{day} Dagsorden.pdf" in names
    assert f"{day} Møde.ics" in names
    assert not any(n.endswith(".ics.pdf") or n == f"{day} Møde.pdf" for n in names)
    assert not any(re.search(r"\d{6}-?\d{4}", n) for n in names)
    dagsorden_pdf = tmp_path / f"{day} Dagsorden.pdf"
    assert "09:00-10:00 Hans Jørgensen" in pdf_text(dagsorden_pdf)
    assert (tmp_path / f"{day} Møde.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_the_chairs_checklist_stays_out_of_the_members_copy(texts: dict[str, str]) -> None:
    """Next week's dagsorden ended with "Før dagsordenen sendes: Amalie Kristensen er 24 år
    uden erhvervskompetencegivende uddannelse …": the chair's checklist, with a citizen's age
    and education, in the document sent to every member."""
    for name, text in texts.items():
        assert "Før dagsordenen sendes" not in text, name
        assert "erhvervskompetencegivende" not in text, name
