"""The mødereferat as the team reads it (the PDF LibreOffice makes of it), and who each
discipline's assessment is from as opposed to who typed it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from rehabteam import clock
from rehabteam.db import session_scope
from rehabteam.i18n import set_language
from rehabteam.models import (
    AgendaItem,
    Case,
    Indstilling,
    Meeting,
    MeetingParticipant,
    StaffMember,
)
from rehabteam.models.inputs import AssessmentInput
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import documents, meeting_room
from rehabteam.services.assessments import get_assessments, save_assessment
from rehabteam.services.demo import seed_demo
from rehabteam.settings import Settings
from rehabteam.widgets.forms import DisciplinePanel
from tests.documents import pdf_text, pdfs_of
from tests.people import as_staff, last_weeks_meeting


@pytest.fixture
def demo(engine: Engine, rulebook: RuleBook) -> Engine:
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return engine


@pytest.fixture
def ml(demo: Engine) -> Viewer:
    """Mette Lund: the demo team's mødeleder and a fixed member, who sees all its cases."""
    return as_staff(demo, "ML")


def _meeting_id(engine: Engine, *, held: bool) -> int:
    with session_scope(engine) as s:
        if held:
            row = last_weeks_meeting(s)
        else:
            row = s.exec(select(Meeting).where(col(Meeting.date) == clock.today())).one()
        assert row.id is not None
        return row.id


def _export(
    engine: Engine, rulebook: RuleBook, viewer: Viewer, meeting_id: int, target: Path
) -> Path:
    with session_scope(engine, write=True) as s:
        return documents.export_referat(
            session=s,
            meeting_id=meeting_id,
            rulebook=rulebook,
            target=target,
            settings=Settings(),
            viewer=viewer,
        )


def _close_after_the_first_case(engine: Engine, rulebook: RuleBook, viewer: Viewer) -> int:
    """Today's meeting (four cases from 09:00, one an hour) handles the first case and
    closes: the other three are not reached and are postponed to the next meeting."""
    meeting_id = _meeting_id(engine, held=False)
    with session_scope(engine, write=True) as s:
        meeting_room.start_meeting(session=s, meeting_id=meeting_id, viewer=viewer)
        first = s.exec(
            select(AgendaItem).where(
                col(AgendaItem.meeting_id) == meeting_id, col(AgendaItem.position) == 0
            )
        ).one()
        assert first.id is not None
        meeting_room.finish_case(session=s, item_id=first.id, viewer=viewer)
        meeting_room.close_meeting(
            session=s, meeting_id=meeting_id, rulebook=rulebook, viewer=viewer
        )
    return meeting_id


def test_the_minutes_of_a_held_meeting_are_the_teams_record(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    held = _meeting_id(demo, held=True)
    with session_scope(demo, write=True) as s:
        s.add(
            MeetingParticipant(
                meeting_id=held,
                guest_name="Birgitte Gæst",
                guest_organisation="Regionspsykiatrien",
                discipline="gaest",
                role="gaest",
                attended=True,
            )
        )
        items = s.exec(
            select(AgendaItem)
            .where(col(AgendaItem.meeting_id) == held, col(AgendaItem.status) == "behandlet")
            .order_by(col(AgendaItem.position))
        ).all()
        items[0].citizen_present, items[0].absence_reason = False, "Indlagt på hospitalet"
        items[1].bisidder = "Datter"
        first = s.exec(
            select(Indstilling).where(
                col(Indstilling.case_id) == items[0].case_id,
                col(Indstilling.meeting_id) == held,
            )
        ).one()
        coordinator = s.get(StaffMember, first.koordinerende_sagsbehandler_id)
        assert coordinator is not None
        coordinator_name = coordinator.name
    danish = _export(demo, rulebook, ml, held, tmp_path / "referat_da.docx")
    set_language("en")
    english = _export(demo, rulebook, ml, held, tmp_path / "referat_en.docx")
    set_language("da")
    da, en = (pdf_text(pdf) for pdf in pdfs_of(danish, english))

    assert "Mødereferat" in da and "Demo Kommune (fiktive data)" in da  # the demo's letterhead
    assert "du får besked" not in da and "Det er ikke en afgørelse" not in da  # not to a citizen
    assert "UDKAST" not in da  # held
    assert "Mødet sluttede 13:40" in da
    assert "Gæst: Birgitte Gæst (Regionspsykiatrien) – mødt" in da
    # Each member with the role held at the meeting, the chair and the referent first.
    attendance = da[da.index("Fremmøde") : da.index(" Sager ")]
    assert "Beskæftigelse: Mette Lund, mødeleder – mødt" in attendance, attendance
    assert ", referent – " in attendance and ", medlem – " in attendance
    assert attendance.index(", mødeleder") < attendance.index(", referent")
    assert attendance.index(", referent") < attendance.index(", medlem")
    assert ", chair – present" in en and ", member – " in en
    assert "Borgeren deltog: afbud (Indlagt på hospitalet)" in da
    assert "Bisidder: Datter" in da
    assert f"Koordinerende sagsbehandler: {coordinator_name}" in da
    assert "Næste skridt: Indstillingen sendes til kommunens afgørelse" in da
    assert "Næste skridt: Teamets resultat skal færdiggøres og godkendes" in da  # the kladde
    # The case not reached, booked again on today's meeting (the demo does as closing does).
    assert f"Næste skridt: Booket på mødet {date.today():%d.%m.%Y} kl. 13:00" in da
    assert "Vurderinger: Beskæftigelse: Mette Lund; " in da
    assert "Sundhedskoordinator: Henrik Sand" in da

    assert "Minutes" in en
    assert "Meeting ended 13:40" in en and "Next step:" in en
    assert "Mødet sluttede" not in en and "Næste skridt" not in en
    assert "absent (Indlagt på hospitalet)" in en


def test_postponed_cases_are_listed_at_the_times_they_had(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """Closing a meeting after its first case: the three not reached were listed at 09:00,
    09:00 and 10:00 (each postponement moved the others up) instead of 10:00, 11:00, 12:00."""
    meeting_id = _meeting_id(demo, held=False)
    with session_scope(demo) as s:
        planned = [
            (f"{item.start_time:%H:%M}", case.case_number)
            for item, case in s.exec(
                select(AgendaItem, Case)
                .join(Case, col(Case.id) == col(AgendaItem.case_id))
                .where(col(AgendaItem.meeting_id) == meeting_id)
                .order_by(col(AgendaItem.position))
            )
        ]
    assert [start for start, _number in planned] == ["09:00", "10:00", "11:00", "12:00", "13:00"]
    _close_after_the_first_case(demo, rulebook, ml)
    path = _export(demo, rulebook, ml, meeting_id, tmp_path / "referat.docx")
    (text,) = (pdf_text(pdf) for pdf in pdfs_of(path))
    # Each case under the time of its slot, in the order of the slots.
    cases = text[text.index(" Sager ") :]
    headings = re.findall(r"(\d\d:\d\d) [^\d()]+ \(\d{6}-xxxx\), Sag (\S+)", cases)
    assert headings == planned
    assert text.count("Udsat: Ikke nået på mødet") == 4
    assert "Resultat: Behandlet, men teamets resultat er ikke registreret" in text
    assert "Næste skridt: Booket på mødet" in text  # moved to the next meeting


def test_a_meeting_not_yet_held_gives_a_draft_and_says_so(
    demo: Engine,
    rulebook: RuleBook,
    ml: Viewer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    today = _meeting_id(demo, held=False)
    draft = _export(demo, rulebook, ml, today, tmp_path / "udkast.docx")
    _close_after_the_first_case(demo, rulebook, ml)
    final = _export(demo, rulebook, ml, today, tmp_path / "referat.docx")
    draft_pdf, final_pdf = pdfs_of(draft, final)
    draft_text, final_text = pdf_text(draft_pdf), pdf_text(final_pdf)
    assert "UDKAST – mødet er ikke afholdt" in draft_text
    # On every page (a printed page 2 passed for the minutes) and in the title.
    from docx import Document
    from pypdf import PdfReader

    pages = PdfReader(str(draft_pdf)).pages
    assert all("UDKAST" in p.extract_text() for p in pages)
    header = "\n".join(p.text for p in Document(str(draft)).sections[0].header.paragraphs)
    assert "UDKAST" in header  # the page header: on each page however long it gets
    assert "UDKAST" not in "".join(
        p.text for p in Document(str(final)).sections[0].header.paragraphs
    )
    assert "UDKAST" in Document(str(draft)).core_properties.title
    assert "UDKAST" not in Document(str(final)).core_properties.title
    assert "Mødet sluttede ikke registreret" in draft_text
    assert "UDKAST" not in final_text and "Mødet sluttede ikke registreret" not in final_text

    from rehabteam.cli import main

    url = str(demo.url)
    upcoming = today + 1  # the demo's meeting next week, planned
    with session_scope(demo) as s:
        assert s.get(Meeting, upcoming).status == "planlagt"  # type: ignore[union-attr]
    code = main(
        [
            "export",
            "referat",
            "--meeting",
            str(upcoming),
            "-o",
            str(tmp_path / "r.docx"),
            "--db",
            url,
        ]
    )
    err = capsys.readouterr().err
    assert code == 0 and "Advarsel: mødet" in err and "er ikke afholdt" in err
    code = main(
        ["export", "referat", "--meeting", str(today), "-o", str(tmp_path / "r2.docx"), "--db", url]
    )
    assert code == 0 and "ikke afholdt" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "engine_name", ["engine", pytest.param("pg_engine", marks=pytest.mark.postgres)]
)
def test_an_assessment_is_from_the_disciplines_member_and_typed_by_the_user(
    engine_name: str, request: pytest.FixtureRequest, rulebook: RuleBook, tmp_path: Path
) -> None:
    """Mette Lund (the chair) types the sundhedskoordinator's assessment: it is Henrik
    Sand's, typed by Mette. It printed as "Sundhedskoordinator (Mette Lund)"."""
    engine: Engine = request.getfixturevalue(engine_name)
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    ml = as_staff(engine, "ML")
    today = _meeting_id(engine, held=False)
    with session_scope(engine) as s:
        case_id = s.exec(
            select(AgendaItem.case_id).where(
                col(AgendaItem.meeting_id) == today, col(AgendaItem.position) == 0
            )
        ).one()
    with session_scope(engine) as s:
        (unsaved,) = get_assessments(
            session=s,
            case_id=case_id,
            meeting_id=today,
            disciplines=["sundhedskoordinator"],
            viewer=ml,
        )
    assert unsaved.given_by == "Henrik Sand" and unsaved.author is None
    assert DisciplinePanel.title_of(unsaved) == "Sundhedskoordinator – fra Henrik Sand"
    with session_scope(engine, write=True) as s:
        saved = save_assessment(
            session=s,
            case_id=case_id,
            meeting_id=today,
            discipline="sundhedskoordinator",
            data=AssessmentInput(vurdering="Helbredet er stabilt; behandling fortsætter."),
            base={"vurdering": ""},
            viewer=ml,
        ).read
    assert (saved.given_by, saved.author) == ("Henrik Sand", "Mette Lund")
    assert (
        DisciplinePanel.title_of(saved)
        == "Sundhedskoordinator – fra Henrik Sand (skrevet af Mette Lund)"
    )
    set_language("en")
    assert DisciplinePanel.title_of(saved).endswith(" – from Henrik Sand (typed by Mette Lund)")
    set_language("da")
    with session_scope(engine, write=True) as s:
        meeting_room.close_meeting(session=s, meeting_id=today, rulebook=rulebook, viewer=ml)
    path = _export(engine, rulebook, ml, today, tmp_path / "referat.docx")
    (text,) = (pdf_text(pdf) for pdf in pdfs_of(path))
    assert "Vurderinger: Sundhedskoordinator: Henrik Sand (skrevet af Mette Lund)" in text
    assert "Sundhedskoordinator (Mette Lund)" not in text


@pytest.mark.postgres
def test_on_postgresql_a_team_login_records_whom_it_is_from_and_others_cannot_change_it(
    team: Any, rulebook: RuleBook
) -> None:
    """Row-level security covers the new column like the row's others: Mette, at the
    meeting, saves it as herself; Sofie, not at the meeting, cannot rewrite whom it is from
    even on her own case."""
    engine: Engine = team.engine("ML")
    ml = as_staff(engine, "ML")
    today = _meeting_id(engine, held=False)
    sk_case = team.sql(
        "ML",
        "SELECT a.case_id FROM agenda_item a JOIN rehab_case c ON c.id = a.case_id "
        "JOIN staff_member m ON m.id = c.sagsbehandler_id "
        "WHERE a.meeting_id = :m AND m.initials = 'SK' LIMIT 1",
        m=today,
    )[0][0]
    with session_scope(engine, write=True) as s:
        saved = save_assessment(
            session=s,
            case_id=int(str(sk_case)),
            meeting_id=today,
            discipline="sundhedskoordinator",
            data=AssessmentInput(vurdering="Helbredet er stabilt."),
            base={"vurdering": ""},
            viewer=ml,
        ).read
    assert (saved.given_by, saved.author) == ("Henrik Sand", "Mette Lund")
    team.sql(
        "SK",
        "UPDATE discipline_assessment SET given_by = 'Sofie' WHERE case_id = :c",
        c=sk_case,
    )
    stored = team.sql(
        "ML", "SELECT given_by FROM discipline_assessment WHERE case_id = :c", c=sk_case
    )
    assert stored == [("Henrik Sand",)]


def test_a_member_absent_with_a_reason_is_in_the_minutes_with_it(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """The minutes had no absence reasons for the team's members: "afbud" is recorded with
    its reason, printed beside the member, and gone once the member is checked in after all."""
    held = _meeting_id(demo, held=True)
    with session_scope(demo) as s:
        member = s.exec(
            select(MeetingParticipant).where(
                col(MeetingParticipant.meeting_id) == held,
                col(MeetingParticipant.discipline) == "social",
            )
        ).first()
        assert member is not None and member.id is not None
        pid = member.id
    with session_scope(demo, write=True) as s:
        meeting_room.mark_absent(
            session=s, participant_id=pid, reason="Syg \x1b[31m[b]i dag[/b]", viewer=ml
        )
    (text,) = map(pdf_text, pdfs_of(_export(demo, rulebook, ml, held, tmp_path / "r.docx")))
    assert "afbud (Syg [b]i dag[/b])" in text, text
    with session_scope(demo, write=True) as s:
        meeting_room.check_in(session=s, participant_id=pid, attended=True, viewer=ml)
    with session_scope(demo) as s:
        row = s.get(MeetingParticipant, pid)
        assert row is not None and row.attended is True and row.absence_reason == ""


def test_someone_who_sees_only_some_cases_gets_no_minutes_that_look_whole(
    demo: Engine, rulebook: RuleBook, tmp_path: Path
) -> None:
    """Ali Rahimi (a sagsbehandler, not on the team) exported the minutes and the dagsorden
    of a meeting with only his own cases in them, under the same title and file name as the
    team's: the others silently missing. Refused, naming how many he sees; nothing written."""
    from rehabteam.errors import AccessDenied
    from rehabteam.services.exporting import export_dagsorden

    ar = as_staff(demo, "AR")
    held = _meeting_id(demo, held=True)
    with session_scope(demo) as s:
        total = len(s.exec(select(AgendaItem).where(col(AgendaItem.meeting_id) == held)).all())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(AccessDenied, match=rf"kun adgang til \d af mødets {total} sager"):
        _export(demo, rulebook, ar, held, out / "referat.docx")
    with session_scope(demo, write=True) as s, pytest.raises(AccessDenied, match="Dagsordenen"):
        export_dagsorden(
            session=s,
            meeting_id=held,
            target=out / "dagsorden.docx",
            rulebook=rulebook,
            settings=Settings(),
            viewer=ar,
        )
    with session_scope(demo, write=True) as s, pytest.raises(AccessDenied):
        documents.export_meeting(
            session=s,
            meeting_id=held,
            folder=out / "møde",
            settings=Settings(),
            rulebook=rulebook,
            viewer=ar,
        )
    assert list(out.iterdir()) == []


def test_a_cancelled_meeting_has_no_minutes(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    from rehabteam.errors import InvalidInput

    today = _meeting_id(demo, held=False)
    with session_scope(demo, write=True) as s:
        meeting = s.get(Meeting, today)
        assert meeting is not None
        meeting.status = "aflyst"
        s.add(meeting)
    with pytest.raises(InvalidInput, match="aflyst"):
        _export(demo, rulebook, ml, today, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
    # Nor a dagsorden, and the meeting's export stops before its first file (it wrote the
    # dagsorden, then stopped at the minutes).
    from rehabteam.services.exporting import export_dagsorden

    with session_scope(demo, write=True) as s, pytest.raises(InvalidInput, match="aflyst"):
        export_dagsorden(
            session=s,
            meeting_id=today,
            target=tmp_path / "d.docx",
            rulebook=rulebook,
            settings=Settings(),
            viewer=ml,
        )
    folder = tmp_path / "møde"
    with session_scope(demo, write=True) as s, pytest.raises(InvalidInput, match="aflyst"):
        documents.export_meeting(
            session=s,
            meeting_id=today,
            folder=folder,
            settings=Settings(),
            rulebook=rulebook,
            viewer=ml,
        )
    assert not (tmp_path / "d.docx").exists()
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_minutes_do_not_call_an_indstilling_fine_that_cannot_be_sent(
    demo: Engine, rulebook: RuleBook, ml: Viewer, tmp_path: Path
) -> None:
    """With 48 months planted (as by psql) the export of the indstilling was refused, but
    the minutes said "Næste skridt: Indstillingen sendes til kommunens afgørelse"."""
    held = _meeting_id(demo, held=True)
    with session_scope(demo, write=True) as s:
        row = s.exec(
            select(Indstilling).where(
                col(Indstilling.meeting_id) == held,
                col(Indstilling.status) == "godkendt",
                col(Indstilling.type) == "ressourceforloeb",
            )
        ).first()
        assert row is not None
        row.varighed_maaneder = 48
        s.add(row)
    (text,) = map(pdf_text, pdfs_of(_export(demo, rulebook, ml, held, tmp_path / "r.docx")))
    flat = " ".join(text.split())
    assert "Næste skridt: Kan ikke sendes, som den er: Varigheden 48 måneder" in flat, flat
