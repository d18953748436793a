"""Who may see and do what (DOMAIN rule 8: need-to-know).

Only staff on a case (its sagsbehandler, its team, the members of a meeting it is on, its
koordinerende sagsbehandler) open its health information, and only the chair approves an
indstilling. A database without any staff yet (a fresh installation being set up) has no
one to check against, so nothing is refused there.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select

from rehabteam.errors import AccessDenied
from rehabteam.i18n import t
from rehabteam.models import (
    AgendaItem,
    Case,
    Indstilling,
    Meeting,
    MeetingParticipant,
    StaffMember,
    StaffRoleLink,
    TeamMember,
)
from rehabteam.models.enums import StaffRole


def has_staff(session: Session) -> bool:
    return session.exec(select(StaffMember.id).limit(1)).first() is not None


def roles_of(session: Session, actor_id: int) -> set[str]:
    return set(
        session.exec(
            select(StaffRoleLink.role).where(col(StaffRoleLink.staff_id) == actor_id)
        ).all()
    )


def _known(session: Session, actor_id: int | None) -> int | None:
    """The actor to check, or None when there is no one to check against."""
    if not has_staff(session):
        return None
    if actor_id is None or session.get(StaffMember, actor_id) is None:
        raise AccessDenied(t("access.who"), entity="access")
    return actor_id


def on_case(session: Session, case: Case, actor_id: int) -> bool:
    if case.sagsbehandler_id == actor_id:
        return True
    if (
        case.team_id is not None
        and session.exec(
            select(TeamMember).where(
                col(TeamMember.team_id) == case.team_id, col(TeamMember.staff_id) == actor_id
            )
        ).first()
    ):
        return True
    if session.exec(
        select(MeetingParticipant.id)
        .join(AgendaItem, col(AgendaItem.meeting_id) == col(MeetingParticipant.meeting_id))
        .where(col(AgendaItem.case_id) == case.id, col(MeetingParticipant.staff_id) == actor_id)
    ).first():
        return True
    return (
        session.exec(
            select(Indstilling.id).where(
                col(Indstilling.case_id) == case.id,
                col(Indstilling.koordinerende_sagsbehandler_id) == actor_id,
            )
        ).first()
        is not None
    )


def visible_cases(session: Session, actor_id: int | None) -> ColumnElement[bool] | None:
    """The SQL condition for the cases `actor_id` may see in a list: the same need-to-know as
    `on_case` (their own, their team's, on a meeting they attend, coordinated by them).
    None when there is no one to check against."""
    actor = _known(session, actor_id)
    if actor is None:
        return None
    teams = select(TeamMember.team_id).where(col(TeamMember.staff_id) == actor)
    on_meeting = (
        select(AgendaItem.case_id)
        .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == col(AgendaItem.meeting_id))
        .where(col(MeetingParticipant.staff_id) == actor)
    )
    coordinated = select(Indstilling.case_id).where(
        col(Indstilling.koordinerende_sagsbehandler_id) == actor
    )
    return or_(
        col(Case.sagsbehandler_id) == actor,
        col(Case.team_id).in_(teams),
        col(Case.id).in_(on_meeting),
        col(Case.id).in_(coordinated),
    )


def require_case_access(session: Session, case: Case, actor_id: int | None) -> None:
    """The case's health and social information: staff on the case only."""
    actor = _known(session, actor_id)
    if actor is not None and not on_case(session, case, actor):
        raise AccessDenied(
            t("access.case", number=case.case_number),
            entity="case",
            entity_id=case.id,
            case_id=case.id,
            actor_id=actor,
        )


def require_chair(session: Session, meeting_id: int | None, actor_id: int | None) -> None:
    """Approving an indstilling: the meeting's chair, or a mødeleder."""
    actor = _known(session, actor_id)
    if actor is None:
        return
    meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
    if meeting is not None and meeting.chair_id == actor:
        return
    if StaffRole.MOEDELEDER.value in roles_of(session, actor):
        return
    raise AccessDenied(
        t("access.only_chair"), entity="approval", entity_id=meeting_id, actor_id=actor
    )


def require_administrator(session: Session, actor_id: int | None) -> None:
    actor = _known(session, actor_id)
    if actor is not None and StaffRole.ADMINISTRATOR.value not in roles_of(session, actor):
        raise AccessDenied(t("access.only_admin"), entity="audit", actor_id=actor)
