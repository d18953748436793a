"""A team meeting as a calendar file (.ics, RFC 5545) for the members' calendars.

Only the meeting itself: the team's name, start and end in Danish time (Europe/Copenhagen,
with its VTIMEZONE so every calendar shows the right hour), the place and video link. No
citizen, no CPR number, no case and no participant: a calendar is synchronised to phones
and shared with colleagues, so nothing from a case belongs in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rehabteam.i18n import t
from rehabteam.models.enums import MeetingStatus
from rehabteam.models.read import MeetingRead
from rehabteam.textsafe import clean_text

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _copenhagen() -> Any:
    """Danish time as a calendar reads it: the EU rule (summer time from the last Sunday of
    March to the last Sunday of October) for every year, not a list of dates that ends in
    2037 under an English comment as icalendar's generated zone has."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", "Europe/Copenhagen")
    for part, name, offsets, start, month in (
        (TimezoneDaylight(), "CEST", (1, 2), datetime(1996, 3, 31, 2), 3),
        (TimezoneStandard(), "CET", (2, 1), datetime(1996, 10, 27, 3), 10),
    ):
        part.add("tzname", name)
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def meeting_calendar(meeting: MeetingRead, uid: str, sequence: int = 0) -> bytes:
    """`sequence` grows with every change of the meeting (its row version), so a calendar
    that imports a newer file replaces the entry, and a cancellation is taken as one."""
    from icalendar import Calendar, Event

    cancelled = meeting.status is MeetingStatus.AFLYST
    calendar = Calendar()
    calendar.add("prodid", "-//rehabteam//rehabteam//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_copenhagen())
    event = Event()
    # The same meeting keeps its UID, so importing a newer file updates the entry; unique
    # beyond this database (another municipality's meeting 2 is another meeting).
    event.add("uid", uid)
    event.add("sequence", max(sequence, 0))
    event.add("dtstamp", datetime.now(UTC))
    event.add("summary", clean_text(t("ics.summary", team=meeting.team)))
    event.add("dtstart", datetime.combine(meeting.date, meeting.start, tzinfo=COPENHAGEN))
    event.add("dtend", datetime.combine(meeting.date, meeting.end, tzinfo=COPENHAGEN))
    event.add("location", clean_text(meeting.place or meeting.video_link or ""))
    if meeting.video_link:
        event.add("url", clean_text(meeting.video_link))
    event.add("description", clean_text(t("ics.description", team=meeting.team)))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def meeting_uid(meeting_id: int, created_at: datetime) -> str:
    """A meeting's calendar UID: from its id and the moment its row was made (no two
    databases make a meeting in the same microsecond), stable for the meeting's life."""
    from uuid import NAMESPACE_URL, uuid5

    name = f"rehabteam:meeting:{meeting_id}:{created_at.isoformat()}"
    return f"{uuid5(NAMESPACE_URL, name)}@rehabteam"


def write_calendar(meeting: MeetingRead, path: Path, uid: str, sequence: int = 0) -> Path:
    path.write_bytes(meeting_calendar(meeting, uid, sequence))
    return path
