"""Team meetings, who takes part, and the agenda."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from rehabteam.models.base import Tracked


class Meeting(Tracked, table=True):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_team_date", "team_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", nullable=False)
    date: dt.date = Field(nullable=False, index=True)
    start_time: dt.time = Field(nullable=False)
    end_time: dt.time = Field(nullable=False)
    place: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=500)
    chair_id: int | None = Field(default=None, foreign_key="staff_member.id")
    referent_id: int | None = Field(default=None, foreign_key="staff_member.id")
    status: str = Field(default="planlagt", max_length=20, nullable=False)  # MeetingStatus
    slot_minutes: int = Field(default=60, nullable=False)
    capacity: int = Field(default=5, nullable=False)
    material_sent_at: dt.datetime | None = Field(default=None)
    material_sent_to: str = Field(default="", max_length=1000)
    notes: str = Field(default="")
    closed_at: dt.datetime | None = Field(default=None)  # when the chair closed it
    # The agenda item the team is handling now: one fact for every workstation, set when
    # whoever runs the running meeting opens a case, cleared when the team moves on from it.
    # (No foreign key: agenda items already point at their meeting.)
    current_item_id: int | None = Field(default=None)


class MeetingParticipant(Tracked, table=True):
    """A person expected at a meeting, and whether they came (attendance check-in)."""

    __tablename__ = "meeting_participant"
    __table_args__ = (UniqueConstraint("meeting_id", "staff_id", name="uq_participant_staff"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(
        foreign_key="meeting.id", nullable=False, index=True, ondelete="CASCADE"
    )
    # Staff members are linked; guests from outside (psychiatry, the citizen's GP) have a name.
    staff_id: int | None = Field(default=None, foreign_key="staff_member.id", index=True)
    guest_name: str = Field(default="", max_length=200)
    guest_organisation: str = Field(default="", max_length=200)
    discipline: str = Field(max_length=40, nullable=False)  # Discipline
    role: str = Field(default="medlem", max_length=20, nullable=False)  # ParticipantRole
    attended: bool | None = Field(default=None)  # None until checked in
    checked_in_at: dt.datetime | None = Field(default=None)
    absence_reason: str = Field(default="", max_length=500)  # afbud: why, for the minutes


class AgendaItem(Tracked, table=True):
    """One case's slot on a meeting's agenda."""

    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", nullable=False, index=True)
    case_id: int = Field(foreign_key="rehab_case.id", nullable=False, index=True)
    position: int = Field(nullable=False)
    start_time: dt.time = Field(nullable=False)
    slot_minutes: int = Field(default=60, nullable=False)
    status: str = Field(default="booket", max_length=20, nullable=False)  # AgendaStatus
    status_reason: str = Field(default="", max_length=2000)
    # The citizen attends by default; "uden borger" needs a recorded reason (rule 3).
    citizen_attends: bool = Field(default=True, nullable=False)
    absence_reason: str = Field(default="", max_length=2000)
    bisidder: str = Field(default="", max_length=300)
    citizen_present: bool | None = Field(default=None)  # recorded at the meeting
    # When the meeting began handling the case (every workstation's clock counts from it)
    # and moved on from it (an approved case is then no longer current anywhere).
    handling_started_at: dt.datetime | None = Field(default=None)
    handling_ended_at: dt.datetime | None = Field(default=None)
