"""The citizen's meeting invitation and the meeting's calendar file: the invitation read as
PDF (LibreOffice, one run), plain and complete in both languages; the .ics parsed back, with
nothing from a case in it; both from the command line and the agenda screen."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import col, select

from rehabteam.db import make_engine, migrate, session_scope
from rehabteam.errors import InvalidInput
from rehabteam.i18n import set_language
from rehabteam.models import AgendaItem, Case, Citizen, Meeting, StaffMember
from rehabteam.models.enums import MeetingStatus
from rehabteam.rules import RuleBook, load_rulebook
from rehabteam.services.demo import seed_demo
from rehabteam.services.invitation import export_calendar, export_invitation
from rehabteam.settings import Settings
from tests.documents import pdf_text, pdfs_of
from tests.people import as_staff, last_weeks_meeting

CPR = re.compile(r"\d{6}-?\d{4}")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, RuleBook, Path]:
    folder = tmp_path_factory.mktemp("invitation")
    engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
    migrate(engine)
    rulebook = load_rulebook()
    with session_scope(engine, write=True) as s:
        seed_demo(session=s, rulebook=rulebook)
    return engine, rulebook, folder


def _planned(engine: Engine) -> list[Meeting]:
    with session_scope(engine) as s:
        return list(
            s.exec(
                select(Meeting)
                .where(Meeting.status == MeetingStatus.PLANLAGT.value)
                .order_by(col(Meeting.date))
            ).all()
        )


def _items(engine: Engine, meeting_id: int) -> list[AgendaItem]:
    with session_scope(engine) as s:
        return list(
            s.exec(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(col(AgendaItem.position))
            ).all()
        )


def _export(setup: tuple[Engine, RuleBook, Path], meeting_id: int, case_id: int, name: str) -> Path:
    engine, rulebook, folder = setup
    with session_scope(engine, write=True) as s:
        return export_invitation(
            session=s,
            meeting_id=meeting_id,
            case_id=case_id,
            target=folder / name,
            settings=Settings(),
            rulebook=rulebook,
            viewer=as_staff(engine, "ML"),
        )


@pytest.fixture(scope="module")
def invitations(setup: tuple[Engine, RuleBook, Path]) -> dict[str, tuple[Path, str]]:
    """Hans (with his sister as bisidder) in Danish and English; one PDF run."""
    engine = setup[0]
    today = _planned(engine)[0]
    first = _items(engine, today.id or 0)[0]
    written = {"da": _export(setup, today.id or 0, first.case_id, "da.docx")}
    set_language("en")
    try:
        written["en"] = _export(setup, today.id or 0, first.case_id, "en.docx")
    finally:
        set_language("da")
    pdfs = pdfs_of(*written.values())
    return {k: (docx, pdf_text(pdf)) for (k, docx), pdf in zip(written.items(), pdfs, strict=True)}


def test_the_invitation_says_when_where_who_and_whom_to_call(
    setup: tuple[Engine, RuleBook, Path], invitations: dict[str, tuple[Path, str]]
) -> None:
    engine = setup[0]
    today = _planned(engine)[0]
    item = _items(engine, today.id or 0)[0]
    with session_scope(engine) as s:
        case = s.get(Case, item.case_id)
        assert case is not None
        citizen = s.get(Citizen, case.citizen_id)
        worker = s.get(StaffMember, case.sagsbehandler_id)
        assert citizen is not None and worker is not None
        cpr = citizen.cpr
    text = invitations["da"][1]
    weekday = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    # The citizen comes to the dialogue, after the team's ten-minute formøde.
    months = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
    ]
    month = [*months, "december"][today.date.month - 1]
    # Written out for the citizen ("onsdag den 02.12.2026 kl. 09:10" before).
    when = (
        f"{weekday[today.date.weekday()]} den {today.date.day}. {month} {today.date.year} kl. 9.10"
    )
    assert item.start_time == time(9, 0) and when in text
    assert "Rådhuset, mødelokale 2.14" in text
    assert "Din del af mødet varer cirka 30 minutter." in text
    assert "Mette Lund, Teamleder, jobcenter (mødeleder)" in text
    assert "Henrik Sand, Sundhedskoordinator" in text
    assert "Du er velkommen til at tage en bisidder med." in text
    assert "Du har sagt, at Lise Jørgensen (søster) kommer med som bisidder." in text
    assert "Hvad sker der på mødet?" in text and "Sådan kan du forberede dig" in text
    assert f"{citizen.first_name} {citizen.last_name}" in text and citizen.address in text
    assert worker.name in text and worker.phone and f"Telefon: {worker.phone}" in text
    assert cpr not in text and not CPR.search(text)
    english = invitations["en"][1]
    assert "Invitation to a meeting about your case" in english
    assert "You are welcome to bring a companion (bisidder)." in english
    assert "Hvad sker der" not in english and "Invitation til møde" not in english


def test_whom_to_call_is_printed_on_one_page(invitations: dict[str, tuple[Path, str]]) -> None:
    """The contact block split over a page break: the heading and "Ring eller skriv til"
    at the foot of page 1, the name and phone number on page 2."""
    paragraphs = Document(str(invitations["da"][0])).paragraphs
    start = next(n for n, p in enumerate(paragraphs) if p.text == "Har du spørgsmål?")
    # Through the sign-off: "Venlig hilsen" stood alone on a page 2.
    end = next(n for n, p in enumerate(paragraphs) if p.text.startswith("Venlig hilsen")) + 1
    block = paragraphs[start : end + 1]
    assert len(block) >= 4 and any(p.text.startswith("Telefon:") for p in block)
    assert all(p.paragraph_format.keep_with_next for p in block[:-1]), [p.text for p in block]
    assert all(p.paragraph_format.keep_together for p in block)


def test_the_invitation_has_short_sentences(invitations: dict[str, tuple[Path, str]]) -> None:
    for docx, _text in invitations.values():
        for paragraph in Document(str(docx)).paragraphs:
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph.text):
                assert len(sentence.split()) <= 20, sentence


def test_no_invitation_for_a_citizen_who_does_not_come_or_a_case_not_booked(
    setup: tuple[Engine, RuleBook, Path],
) -> None:
    engine = setup[0]
    today = _planned(engine)[0]
    items = _items(engine, today.id or 0)
    with session_scope(engine, write=True) as s:
        row = s.get(AgendaItem, items[-1].id)
        assert row is not None
        row.citizen_attends, row.absence_reason = False, "Indlagt"
        s.add(row)
    with pytest.raises(InvalidInput, match="deltager ikke"):
        _export(setup, today.id or 0, items[-1].case_id, "absent.docx")
    with session_scope(engine) as s:
        held = last_weeks_meeting(s)
    handled = _items(engine, held.id or 0)[0]
    with pytest.raises(InvalidInput, match="Mødet er afholdt"):
        _export(setup, held.id or 0, handled.case_id, "handled.docx")
    assert not (setup[2] / "absent.docx").exists()
    # Tester findings: a cancelled meeting (its .ics said CANCELLED), a meeting with no place
    # ("Hvor: -"), a contact with no phone or e-mail ("Telefon: -"): refused, nothing written.
    booked = items[0]
    with session_scope(engine, write=True) as s:
        meeting = s.get(Meeting, today.id)
        assert meeting is not None
        place, video = meeting.place, meeting.video_link  # the fixture is shared: put back
        meeting.status = "aflyst"
        s.add(meeting)
    with pytest.raises(InvalidInput, match="aflyst"):
        _export(setup, today.id or 0, booked.case_id, "aflyst.docx")
    with session_scope(engine, write=True) as s:
        meeting = s.get(Meeting, today.id)
        assert meeting is not None
        meeting.status, meeting.place, meeting.video_link = "planlagt", "", ""
        s.add(meeting)
    with pytest.raises(InvalidInput, match="hverken sted eller videolink"):
        _export(setup, today.id or 0, booked.case_id, "nowhere.docx")
    with session_scope(engine, write=True) as s:
        meeting = s.get(Meeting, today.id)
        case = s.get(Case, booked.case_id)
        assert meeting is not None and case is not None
        meeting.place, meeting.video_link = place, video
        worker = s.get(StaffMember, case.sagsbehandler_id)
        assert worker is not None
        reach, worker_name = (worker.phone, worker.email), worker.name
        worker.phone, worker.email = "", ""
        s.add_all([meeting, worker])
    with pytest.raises(InvalidInput, match="hverken telefon eller e-mail"):
        _export(setup, today.id or 0, booked.case_id, "nobody.docx")
    # The unit's number under the sagsbehandler's name read as the person's own.
    settings = Settings(organisation_phone="70 10 20 30", organisation_email="rehab@demo.invalid")
    with session_scope(engine, write=True) as s:
        unit_path = export_invitation(
            session=s,
            meeting_id=today.id or 0,
            case_id=booked.case_id,
            target=setup[2] / "unit.docx",
            settings=settings,
            rulebook=setup[1],
            viewer=as_staff(engine, "ML"),
        )
    unit_text = " ".join(p.text for p in Document(str(unit_path)).paragraphs)
    assert f"{worker_name}, gennem" in unit_text and "70 10 20 30" in unit_text
    # A meeting that is over gets no invitation (one was written for last Monday).
    with session_scope(engine, write=True) as s:
        meeting = s.get(Meeting, today.id)
        assert meeting is not None
        day = meeting.date
        meeting.date = day - timedelta(days=2)
        s.add(meeting)
    with pytest.raises(InvalidInput, match="overstået"):
        _export(setup, today.id or 0, booked.case_id, "past.docx")
    with session_scope(engine, write=True) as s:
        meeting = s.get(Meeting, today.id)
        assert meeting is not None
        meeting.date = day
        s.add(meeting)
    for name in ("aflyst.docx", "nowhere.docx", "nobody.docx", "past.docx"):
        assert not (setup[2] / name).exists(), name
    with session_scope(engine, write=True) as s:
        worker = s.get(StaffMember, case.sagsbehandler_id)
        assert worker is not None
        worker.phone, worker.email = reach
        s.add(worker)


def test_the_calendar_file_holds_the_meeting_and_nothing_of_the_cases(
    setup: tuple[Engine, RuleBook, Path],
) -> None:
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    engine, _rulebook, folder = setup
    today = _planned(engine)[0]
    with session_scope(engine, write=True) as s:
        path = export_calendar(
            session=s,
            meeting_id=today.id or 0,
            target=folder / "moede.ics",
            viewer=as_staff(engine, "ML"),
        )
        people = [f"{c.first_name} {c.last_name}" for c in s.exec(select(Citizen)).all()] + [
            c.case_number for c in s.exec(select(Case)).all()
        ]
        cprs = [c.cpr for c in s.exec(select(Citizen)).all()]
    raw = path.read_bytes()
    calendar = Calendar.from_ical(raw)
    (event,) = list(calendar.walk("VEVENT"))
    assert str(event["SUMMARY"]) == "Møde i Rehabiliteringsteamet (DEMO)"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    copenhagen = ZoneInfo("Europe/Copenhagen")
    assert (
        start.tzinfo is not None and start.utcoffset() == start.astimezone(copenhagen).utcoffset()
    )
    assert (start.date(), start.time(), end.time()) == (today.date, time(9), time(14))
    assert str(event["LOCATION"]) == "Rådhuset, mødelokale 2.14"
    # Unique beyond this database ("rehabteam-meeting-2" was another municipality's too),
    # and the same on the next export, so the entry is updated, not doubled.
    uid = str(event["UID"])
    assert uid.endswith("@rehabteam") and f"-{today.id}@" not in uid and len(uid) > 36
    with session_scope(engine, write=True) as s:
        again = export_calendar(
            session=s,
            meeting_id=today.id or 0,
            target=folder / "igen.ics",
            viewer=as_staff(engine, "ML"),
        )
    (second,) = list(Calendar.from_ical(again.read_bytes()).walk("VEVENT"))
    assert str(second["UID"]) == uid
    assert list(calendar.walk("VTIMEZONE")) and b"Europe/Copenhagen" in raw
    text = raw.decode()
    unfolded = text.replace("\r\n ", "")
    for secret in people + cprs:
        assert secret not in unfolded
    # Nothing shaped like a CPR number, outside the UID (a random uuid may hold ten digits
    # in a row: that made this test fail now and then).
    assert not CPR.search(unfolded.replace(uid, "")) and "ATTENDEE" not in unfolded


def test_a_changed_or_cancelled_meeting_replaces_the_calendar_entry(
    setup: tuple[Engine, RuleBook, Path],
) -> None:
    """Every file said SEQUENCE 0 (none at all) and METHOD:PUBLISH, a cancelled meeting
    too: a calendar that had imported the meeting kept the old time, and kept the meeting.
    The time zone was icalendar's list of dates up to 2037 under an English comment."""
    from icalendar import Calendar

    engine, _rulebook, folder = setup
    today = _planned(engine)[0]

    def export(name: str) -> tuple[Calendar, str]:
        with session_scope(engine, write=True) as s:
            path = export_calendar(
                session=s,
                meeting_id=today.id or 0,
                target=folder / name,
                viewer=as_staff(engine, "ML"),
            )
        raw = path.read_bytes()
        return Calendar.from_ical(raw), raw.decode().replace("\r\n ", "")

    def change(**values: object) -> None:
        with session_scope(engine, write=True) as s:
            meeting = s.get(Meeting, today.id)
            assert meeting is not None
            for key, value in values.items():
                setattr(meeting, key, value)
            meeting.version += 1
            s.add(meeting)

    first, text = export("seq-first.ics")
    (event,) = list(first.walk("VEVENT"))
    sequence = int(str(event["SEQUENCE"]))
    assert str(first["METHOD"]) == "PUBLISH" and str(event["STATUS"]) == "CONFIRMED"
    assert "COMMENT" not in text and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    try:
        change(start_time=time(10, 0))
        moved, _ = export("seq-moved.ics")
        (event,) = list(moved.walk("VEVENT"))
        assert int(str(event["SEQUENCE"])) == sequence + 1
        assert event.decoded("DTSTART").time() == time(10, 0)
        change(status="aflyst")
        gone, _ = export("seq-cancelled.ics")
        (event,) = list(gone.walk("VEVENT"))
        assert str(gone["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert int(str(event["SEQUENCE"])) == sequence + 2
        assert str(event["UID"]) == str(next(iter(first.walk("VEVENT")))["UID"])
    finally:
        change(start_time=time(9, 0), status="planlagt")  # the fixture is shared


def test_a_summer_meeting_is_in_summer_time() -> None:
    """The zone written in the file (not the one the reader knows by name) gives +02:00
    in July and +01:00 in January, in years after icalendar's list of dates ended."""
    from datetime import date, datetime

    from icalendar import Calendar

    from rehabteam.exports.calendar import meeting_calendar
    from rehabteam.models.read import MeetingRead

    for day, hours in ((date(2041, 7, 4), 2), (date(2041, 1, 10), 1)):
        meeting = MeetingRead(
            id=1,
            team_id=1,
            team="Team (fiktivt)",
            date=day,
            start=time(9),
            end=time(12),
            place="Rådhuset",
            video_link="",
            status=MeetingStatus.PLANLAGT,
            case_count=0,
            capacity=4,
            slot_minutes=60,
            chair=None,
            referent=None,
        )
        calendar = Calendar.from_ical(meeting_calendar(meeting, "x@rehabteam"))
        (zone,) = list(calendar.walk("VTIMEZONE"))
        (event,) = list(calendar.walk("VEVENT"))
        assert event.decoded("DTSTART").utcoffset() == timedelta(hours=hours), day
        zone["TZID"] = "Fra/Filen"  # read from its rules, not looked up by its name
        start = datetime.combine(day, time(9), tzinfo=zone.to_tz())  # type: ignore[attr-defined]
        assert start.utcoffset() == timedelta(hours=hours), (day, start)


def test_invitation_and_calendar_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from rehabteam.cli import main

    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["seed", "--demo", "--db", db]) == 0
    capsys.readouterr()
    invitation, calendar = tmp_path / "indkaldelse.docx", tmp_path / "moede.ics"
    args = ["export", "indkaldelse", "--meeting", "3", "--case", "11", "-o", str(invitation)]
    code = main([*args, "--db", db])
    out, err = capsys.readouterr()
    assert code == 0, err
    body = "\n".join(p.text for p in Document(str(invitation)).paragraphs)
    assert "Invitation til møde om din sag" in body and "Amalie" in body
    code = main(["export", "kalender", "--meeting", "3", "-o", str(calendar), "--db", db])
    out, err = capsys.readouterr()
    assert code == 0 and str(calendar) in out
    assert b"Amalie" not in calendar.read_bytes()
    code = main(["export", "kalender", "--meeting", "3", "-o", str(calendar), "--db", db])
    assert code == 2 and "findes allerede" in capsys.readouterr().err


async def test_the_agenda_screen_exports_the_invitation_and_the_calendar(tmp_path: Path) -> None:
    from rehabteam.app import make_app
    from rehabteam.screens.agenda import AgendaScreen
    from tests.pilot import settle

    app = make_app(Settings(export_dir=tmp_path / "eksport"), demo=True)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        app.push_screen(AgendaScreen(3))
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
    assert "Invitation til borger" in commands and "Kalenderfil" in commands
    invitations = list((tmp_path / "eksport").glob("*Invitation*.docx"))
    assert len(invitations) == 1 and not CPR.search(invitations[0].name)
    body = "\n".join(p.text for p in Document(str(invitations[0])).paragraphs)
    assert "Amalie" in body and "Hvem er med?" in body
    assert len(list((tmp_path / "eksport").glob("*.ics"))) == 1


def test_an_invitation_for_a_meeting_too_soon_says_it_may_not_arrive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reviewer: an invitation for today's meeting was written dated the day of the meeting
    without a word. It is still written (it can be handed over or read out on the phone),
    and the user is told that it may not reach the citizen in time, and what to do."""
    from datetime import date

    from rehabteam.cli import main

    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["seed", "--demo", "--db", db]) == 0
    engine = make_engine(db)
    with session_scope(engine) as s:
        today = s.exec(select(Meeting).where(col(Meeting.date) == date.today())).one()
        later = s.exec(select(Meeting).where(col(Meeting.date) > date.today())).first()
        assert later is not None
        items = [_items(engine, m.id or 0)[0].case_id for m in (today, later)]
    engine.dispose()
    capsys.readouterr()
    out = tmp_path / "i.docx"
    args = ["export", "indkaldelse", "--meeting", str(today.id), "--case", str(items[0])]
    assert main([*args, "-o", str(out), "--db", db]) == 0
    err = capsys.readouterr().err
    assert out.exists() and "Mødet er i dag" in err and "ring til borgeren" in err, err
    monkeypatch.setenv("REHABTEAM_INVITATION_NOTICE_DAYS", "3")  # next week is 4+ days away
    args = ["export", "indkaldelse", "--meeting", str(later.id), "--case", str(items[1])]
    assert main([*args, "-o", str(tmp_path / "j.docx"), "--db", db]) == 0
    assert "når måske ikke frem" not in capsys.readouterr().err
