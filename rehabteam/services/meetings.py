"""Listing meetings (planning and the meeting room come in later services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from rehabteam.errors import NotFound
from rehabteam.i18n import t
from rehabteam.models import AgendaItem, Meeting, StaffMember, Team
from rehabteam.models.enums import AgendaStatus
from rehabteam.models.read import MeetingRead
from rehabteam.models.viewer import Viewer
from rehabteam.services.access import current_staff, require_meeting_view, visible_meetings

_COUNTED = (AgendaStatus.BOOKET.value, AgendaStatus.BEHANDLET.value)


def _meeting_query() -> Select[Any]:
    chair = aliased(StaffMember)
    referent = aliased(StaffMember)
    case_count = (
        sa_select(func.count(col(AgendaItem.id)))
        .where(col(AgendaItem.meeting_id) == col(Meeting.id))
        .where(col(AgendaItem.status).in_(_COUNTED))
        .correlate(Meeting)
        .scalar_subquery()
    )
    columns: list[Any] = [Meeting, Team.name, chair.name, referent.name, case_count]
    return (
        sa_select(*columns)
        .join(Team, col(Team.id) == col(Meeting.team_id))
        .outerjoin(chair, col(chair.id) == col(Meeting.chair_id))
        .outerjoin(referent, col(referent.id) == col(Meeting.referent_id))
    )


def _row_to_read(row: Row[Any] | tuple[Any, ...]) -> MeetingRead:
    meeting, team, chair, referent, case_count = tuple(row)
    return MeetingRead(
        id=meeting.id,
        team_id=meeting.team_id,
        team=team,
        date=meeting.date,
        start=meeting.start_time,
        end=meeting.end_time,
        place=meeting.place,
        video_link=meeting.video_link,
        status=meeting.status,
        case_count=case_count or 0,
        capacity=meeting.capacity,
        slot_minutes=meeting.slot_minutes,
        chair=chair,
        referent=referent,
        current_item_id=meeting.current_item_id,
    )


def list_meetings(
    *,
    session: Session,
    from_date: date | None = None,
    team_id: int | None = None,
    limit: int | None = None,
    viewer: Viewer,
) -> list[MeetingRead]:
    """The meetings `viewer` may see (their teams', and those they take part in), in date
    order; from `from_date` on when given (upcoming meetings)."""
    current_staff(session, viewer)
    stmt = _meeting_query().where(visible_meetings(viewer))
    if from_date is not None:
        stmt = stmt.where(col(Meeting.date) >= from_date)
    if team_id is not None:
        stmt = stmt.where(col(Meeting.team_id) == team_id)
    stmt = stmt.order_by(col(Meeting.date), col(Meeting.start_time), col(Meeting.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_row_to_read(row) for row in session.execute(stmt)]


def meeting_read(session: Session, meeting_id: int) -> MeetingRead:
    """The meeting's row; callers have checked the viewer may see it."""
    row = session.execute(_meeting_query().where(col(Meeting.id) == meeting_id)).first()
    if row is None:
        raise NotFound(t("meeting.not_found"))
    return _row_to_read(row)


def get_meeting(*, session: Session, meeting_id: int, viewer: Viewer) -> MeetingRead:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(t("meeting.not_found"))
    require_meeting_view(session, meeting, viewer)
    return meeting_read(session, meeting_id)
