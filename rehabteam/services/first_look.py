"""The home screen's first page, read from the SQLite file with the standard library alone.

Opening the database the full way (importing SQLAlchemy and SQLModel, checking the file,
resolving who is working) takes about half a second of CPU after the first frame, and the
GIL lets none of it overlap with drawing. The upcoming meetings and the first page of open
cases are what a chair looks at as the app opens, so they are read here first: `sqlite3`
imports in a millisecond and the two queries take a few more. The services then open the
database and replace what is shown (the same rows: a test compares both for every staff
member of the demo database, including the need-to-know condition).

It only reads, and only where that is safe; otherwise it returns None and the home screen
waits for the services as before:
- a SQLite file that exists (PostgreSQL and `--demo` take the full way), opened read-only
  (`mode=ro`: never created, never written) with a short lock timeout;
- at exactly the schema revision this version writes (an older file is migrated first,
  a newer or foreign one refused by the full way);
- someone recognised, as `services.identity.identify` does it on SQLite (the OS login; on
  the demo database REHABTEAM_USER or Mette Lund), since the lists apply
  `access.visible_cases` and `access.visible_meetings`.
Any SQLite error (a locked, damaged or half-written file) is None too; the full way then
says what is wrong. The full integrity check runs as before, and damage found clears the
screen.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from urllib.parse import unquote

from rehabteam import clock
from rehabteam.migrations import HEAD_REVISION
from rehabteam.models.cpr import mask_cpr
from rehabteam.models.enums import OPEN_CASE_STATUSES, AgendaStatus
from rehabteam.services.os_user import os_login

HOME_PAGE = 200  # open cases the home screen lists at once; the search narrows the rest in SQL
LOCK_TIMEOUT = 0.2  # seconds: a writer holding the file makes this step give way at once
DEMO_FLAG = "demo"  # the app_meta key marking the demo database

log = logging.getLogger(__name__)
_SQLITE_URL = re.compile(r"^sqlite(?:\+pysqlite)?:///(?P<path>[^?]+)(?:\?.*)?$")


@dataclass(frozen=True)
class QuickCase:
    """The columns of `models.read.CaseRead` that the home screen's list shows."""

    id: int
    case_number: str
    citizen_name: str
    cpr_masked: str
    case_type: str
    status: str
    referral_date: date
    sagsbehandler: str | None

    def days_since_referral(self, today: date) -> int:
        return (today - self.referral_date).days


@dataclass(frozen=True)
class QuickMeeting:
    """The columns of `models.read.MeetingRead` that the home screen's list shows."""

    id: int
    team: str
    date: date
    start: time
    end: time
    place: str
    video_link: str
    status: str
    case_count: int
    capacity: int


@dataclass(frozen=True)
class FirstLook:
    demo: bool
    actor_id: int
    meetings: list[QuickMeeting]
    cases: list[QuickCase]
    total_cases: int


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (as `db.sqlite_path`, without importing SQLAlchemy)."""
    match = _SQLITE_URL.match(url.strip())
    if match is None or match["path"] in ("", ":memory:"):
        return None
    return Path(unquote(match["path"])).expanduser()


def start_first_look(url: str, *, user: str) -> Future[FirstLook | None]:
    """`first_look` in a thread of its own, started as early as possible: the command line
    starts it before it imports Textual, so the file is read while Python loads the UI."""
    future: Future[FirstLook | None] = Future()

    def read() -> None:
        try:
            future.set_result(first_look(url, user=user, today=clock.today(), case_limit=HOME_PAGE))
        except Exception as exc:  # only a head start: the full way follows and reports
            log.exception("first look failed")
            future.set_exception(exc)

    threading.Thread(target=read, name="first-look", daemon=True).start()
    return future


def first_look(
    url: str, *, user: str, today: date, case_limit: int, meeting_limit: int = 50
) -> FirstLook | None:
    """Upcoming meetings from `today` and the first `case_limit` open cases the person working
    may see, newest referral first, with their number; None where this cannot be done
    safely (see the module's text)."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_TIMEOUT
        )
    except sqlite3.Error:
        return None
    try:
        return _read(
            connection, user=user, today=today, case_limit=case_limit, meeting_limit=meeting_limit
        )
    except (sqlite3.Error, UnicodeDecodeError, ValueError):  # a damaged file can yield any
        return None
    finally:
        connection.close()


def _read(
    db: sqlite3.Connection, *, user: str, today: date, case_limit: int, meeting_limit: int
) -> FirstLook | None:
    revision = db.execute("SELECT version_num FROM alembic_version").fetchall()
    if revision != [(HEAD_REVISION,)]:
        return None
    demo = db.execute("SELECT 1 FROM app_meta WHERE key = ?", (DEMO_FLAG,)).fetchone() is not None
    actor = _actor(db, user, demo)
    if actor is None:
        return None
    statuses = ", ".join(f"'{s.value}'" for s in OPEN_CASE_STATUSES)  # as cases.status_in
    where = f"rehab_case.status IN ({statuses}) AND {_VISIBLE}"
    cases = [
        QuickCase(
            id=row[0],
            case_number=row[1],
            citizen_name=f"{row[2]} {row[3]}",
            cpr_masked=mask_cpr(row[4]),
            case_type=row[5],
            status=row[6],
            referral_date=date.fromisoformat(row[7]),
            sagsbehandler=row[8],
        )
        for row in db.execute(
            f"""SELECT rehab_case.id, rehab_case.case_number, citizen.first_name,
                citizen.last_name, citizen.cpr, rehab_case.case_type, rehab_case.status,
                rehab_case.referral_date, sagsbehandler.name
            FROM rehab_case JOIN citizen ON citizen.id = rehab_case.citizen_id
            LEFT OUTER JOIN staff_member AS sagsbehandler
                ON sagsbehandler.id = rehab_case.sagsbehandler_id
            WHERE {where}
            ORDER BY rehab_case.referral_date DESC, rehab_case.id DESC LIMIT :limit""",
            {"actor": actor, "limit": case_limit},
        )
    ]
    (total,) = db.execute(
        f"SELECT count(*) FROM rehab_case WHERE {where}", {"actor": actor}
    ).fetchone()
    counted = (AgendaStatus.BOOKET.value, AgendaStatus.BEHANDLET.value)
    meetings = [
        QuickMeeting(
            id=row[0],
            team=row[1],
            date=date.fromisoformat(row[2]),
            start=time.fromisoformat(row[3]),
            end=time.fromisoformat(row[4]),
            place=row[5],
            video_link=row[6],
            status=row[7],
            case_count=row[8],
            capacity=row[9],
        )
        for row in db.execute(
            f"""SELECT meeting.id, team.name, meeting.date, meeting.start_time,
                meeting.end_time, meeting.place, meeting.video_link, meeting.status,
                (SELECT count(agenda_item.id) FROM agenda_item
                 WHERE agenda_item.meeting_id = meeting.id
                   AND agenda_item.status IN (:booked, :discussed)),
                meeting.capacity
            FROM meeting JOIN team ON team.id = meeting.team_id
            WHERE meeting.date >= :today AND {_VISIBLE_MEETING}
            ORDER BY meeting.date, meeting.start_time, meeting.id LIMIT :limit""",
            {
                "booked": counted[0],
                "discussed": counted[1],
                "today": today.isoformat(),
                "limit": meeting_limit,
                "actor": actor,
            },
        )
    ]
    return FirstLook(demo=demo, actor_id=actor, meetings=meetings, cases=cases, total_cases=total)


# access.visible_cases, in SQL: the case's sagsbehandler, its team's members, the members of
# a meeting it is on, its koordinerende sagsbehandler (and an access request's grant).
_VISIBLE = """(rehab_case.sagsbehandler_id = :actor
    OR rehab_case.created_by_id = :actor
    OR rehab_case.team_id IN (SELECT team_id FROM team_member WHERE staff_id = :actor)
    OR rehab_case.id IN (SELECT agenda_item.case_id FROM agenda_item
        JOIN meeting_participant ON meeting_participant.meeting_id = agenda_item.meeting_id
        WHERE meeting_participant.staff_id = :actor)
    OR rehab_case.id IN (SELECT case_id FROM indstilling
        WHERE koordinerende_sagsbehandler_id = :actor)
    OR rehab_case.citizen_id IN (SELECT citizen_id FROM indsigt_grant WHERE staff_id = :actor))"""
# access.visible_meetings: the team's, those the person takes part in, and those with a case on
# them the person may see.
_VISIBLE_MEETING = f"""(meeting.team_id IN (SELECT team_id FROM team_member WHERE staff_id = :actor)
    OR meeting.id IN (SELECT meeting_id FROM meeting_participant WHERE staff_id = :actor)
    OR meeting.chair_id = :actor OR meeting.referent_id = :actor
    OR meeting.id IN (SELECT agenda_item.meeting_id FROM agenda_item
        JOIN rehab_case ON rehab_case.id = agenda_item.case_id WHERE {_VISIBLE}))"""


def _actor(db: sqlite3.Connection, user: str, demo: bool) -> int | None:
    """As `services.identity.identify` on SQLite: the OS login matched to a staff member's
    login; on the demo database REHABTEAM_USER (initials or login), else Mette Lund."""
    if demo:
        claim = user.strip() or "ML"
        row = db.execute(
            "SELECT id FROM staff_member WHERE (initials = ? OR login = ?) AND active LIMIT 1",
            (claim.upper(), claim),
        ).fetchone()
    else:
        row = db.execute(
            "SELECT id FROM staff_member WHERE login = ? AND active LIMIT 1", (os_login(),)
        ).fetchone()
    return int(row[0]) if row is not None else None
