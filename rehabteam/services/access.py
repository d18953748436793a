"""Who may see and do what (DOMAIN rule 8: need-to-know). Fails closed: every check needs a
`Viewer`, and there is no "nobody to check against".

- A case (and its preparation, assessments, indstilling, decision and course) opens for its
  sagsbehandler, the members of its team, the participants of a meeting it is on, and its
  koordinerende sagsbehandler.
- A citizen opens for whoever may see one of their cases, who registered them, or who looked
  them up by their full CPR number (that lookup is audited).
- A meeting opens for the members of its team, its participants and whoever may see a case
  on it (each sees the cases on it they may see); its agenda and the
  meeting room are run by its chair, its referent or a mødeleder of the team; adding a
  participant is the chair's (or a mødeleder's of the team).
- Only the chair (or a mødeleder of the team) approves an indstilling; only an
  administrator sees the audit trail and sets up staff.

On PostgreSQL, row-level security (migration 0007, `services.pg_security`) says the same
again in the database, keyed on the login, so a team login in psql sees what the app shows.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, text
from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied
from rehabteam.i18n import t
from rehabteam.models import (
    AgendaItem,
    Case,
    Citizen,
    CitizenAccess,
    IndsigtGrant,
    Indstilling,
    Meeting,
    MeetingParticipant,
    StaffMember,
    StaffRoleLink,
    TeamMember,
)
from rehabteam.models.enums import StaffRole
from rehabteam.models.inputs import StaffInput
from rehabteam.models.viewer import Viewer


def _refuse(message: str, viewer: Viewer | None, **what: int | str | None) -> AccessDenied:
    return AccessDenied(
        message,
        actor_id=viewer.staff_id if viewer else None,
        actor_login=viewer.login if viewer else "",
        **what,  # type: ignore[arg-type]
    )


def current_staff(session: Session, viewer: Viewer) -> StaffMember:
    """The viewer's staff record, still active (a deactivated person loses access at once)."""
    member = session.get(StaffMember, viewer.staff_id)
    if member is None or not member.active:
        raise _refuse(t("identity.inactive", login=viewer.login), viewer, entity="identity")
    return member


def roles_of(session: Session, staff_id: int) -> set[str]:
    return set(
        session.exec(
            select(StaffRoleLink.role).where(col(StaffRoleLink.staff_id) == staff_id)
        ).all()
    )


def has_role(session: Session, viewer: Viewer, role: StaffRole) -> bool:
    current_staff(session, viewer)
    return role.value in roles_of(session, viewer.staff_id)


def _in_team(session: Session, team_id: int | None, staff_id: int) -> bool:
    if team_id is None:
        return False
    return session.get(TeamMember, (team_id, staff_id)) is not None


# --- cases ------------------------------------------------------------------------------------


def visible_cases(viewer: Viewer) -> ColumnElement[bool]:
    """The SQL condition for the cases `viewer` may see (the same as `on_case`)."""
    me = viewer.staff_id
    teams = select(TeamMember.team_id).where(col(TeamMember.staff_id) == me)
    on_meeting = (
        select(AgendaItem.case_id)
        .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == col(AgendaItem.meeting_id))
        .where(col(MeetingParticipant.staff_id) == me)
    )
    coordinated = select(Indstilling.case_id).where(
        col(Indstilling.koordinerende_sagsbehandler_id) == me
    )
    indsigt = select(IndsigtGrant.citizen_id).where(col(IndsigtGrant.staff_id) == me)
    return or_(
        col(Case.sagsbehandler_id) == me,
        col(Case.created_by_id) == me,
        col(Case.team_id).in_(teams),
        col(Case.id).in_(on_meeting),
        col(Case.id).in_(coordinated),
        col(Case.citizen_id).in_(indsigt),
    )


def on_case(session: Session, case: Case, viewer: Viewer) -> bool:
    found = session.exec(
        select(Case.id).where(col(Case.id) == case.id, visible_cases(viewer))
    ).first()
    return found is not None


def require_case_access(session: Session, case: Case, viewer: Viewer) -> None:
    """The case's health and social information: staff on the case only."""
    current_staff(session, viewer)
    if not on_case(session, case, viewer):
        raise _refuse(
            t("access.case", number=case.case_number),
            viewer,
            entity="case",
            entity_id=case.id,
            case_id=case.id,
        )


def require_case_creation(
    session: Session,
    viewer: Viewer,
    sagsbehandler_id: int | None,
    team_id: int | None,
    *,
    from_case: Case | None = None,
) -> None:
    """A new case belongs to its creator or to one of the creator's teams; a case that
    comes back to the team (genforelæggelse) may be made by anyone on the original case."""
    current_staff(session, viewer)
    if from_case is not None and on_case(session, from_case, viewer):
        return
    if sagsbehandler_id != viewer.staff_id and not _in_team(session, team_id, viewer.staff_id):
        raise _refuse(t("access.case_create"), viewer, entity="case")


# --- citizens ---------------------------------------------------------------------------------


def visible_citizens(viewer: Viewer) -> ColumnElement[bool]:
    """The SQL condition for the citizens `viewer` may see."""
    me = viewer.staff_id
    cases = exists().where(col(Case.citizen_id) == col(Citizen.id), visible_cases(viewer))
    looked_up = exists().where(
        col(CitizenAccess.citizen_id) == col(Citizen.id), col(CitizenAccess.staff_id) == me
    )
    return or_(col(Citizen.registered_by_id) == me, cases, looked_up)


def may_see_citizen(session: Session, citizen_id: int, viewer: Viewer) -> bool:
    found = session.exec(
        select(Citizen.id).where(col(Citizen.id) == citizen_id, visible_citizens(viewer))
    ).first()
    return found is not None


def require_citizen_access(session: Session, citizen: Citizen, viewer: Viewer) -> None:
    current_staff(session, viewer)
    assert citizen.id is not None
    if not may_see_citizen(session, citizen.id, viewer):
        raise _refuse(t("access.citizen"), viewer, entity="citizen", entity_id=citizen.id)


# --- meetings ---------------------------------------------------------------------------------


def visible_meetings(viewer: Viewer) -> ColumnElement[bool]:
    me = viewer.staff_id
    teams = select(TeamMember.team_id).where(col(TeamMember.staff_id) == me)
    attending = select(MeetingParticipant.meeting_id).where(col(MeetingParticipant.staff_id) == me)
    # A case the viewer may see is on it: its sagsbehandler presents it there, its
    # coordinator's documents name it.
    with_my_case = (
        select(AgendaItem.meeting_id)
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .where(visible_cases(viewer))
    )
    return or_(
        col(Meeting.team_id).in_(teams),
        col(Meeting.id).in_(attending),
        col(Meeting.chair_id) == me,
        col(Meeting.referent_id) == me,
        col(Meeting.id).in_(with_my_case),
    )


def require_meeting_view(session: Session, meeting: Meeting, viewer: Viewer) -> None:
    current_staff(session, viewer)
    found = session.exec(
        select(Meeting.id).where(col(Meeting.id) == meeting.id, visible_meetings(viewer))
    ).first()
    if found is None:
        raise _refuse(t("access.meeting"), viewer, entity="meeting", entity_id=meeting.id)


def _team_moedeleder(session: Session, team_id: int | None, viewer: Viewer) -> bool:
    return StaffRole.MOEDELEDER.value in roles_of(session, viewer.staff_id) and _in_team(
        session, team_id, viewer.staff_id
    )


def runs_meeting(session: Session, meeting: Meeting, viewer: Viewer) -> bool:
    """The meeting's chair or referent, or a mødeleder of its team."""
    if viewer.staff_id in (meeting.chair_id, meeting.referent_id):
        return True
    return _team_moedeleder(session, meeting.team_id, viewer)


def require_meeting_runner(session: Session, meeting: Meeting, viewer: Viewer) -> None:
    """Changing the agenda or running the meeting room."""
    current_staff(session, viewer)
    if not runs_meeting(session, meeting, viewer):
        raise _refuse(t("access.meeting_runner"), viewer, entity="meeting", entity_id=meeting.id)


def at_meeting(session: Session, meeting: Meeting, viewer: Viewer) -> bool:
    """A participant of the meeting, or whoever runs it."""
    if runs_meeting(session, meeting, viewer):
        return True
    return (
        session.exec(
            select(MeetingParticipant.id).where(
                col(MeetingParticipant.meeting_id) == meeting.id,
                col(MeetingParticipant.staff_id) == viewer.staff_id,
            )
        ).first()
        is not None
    )


def require_at_meeting(session: Session, meeting_id: int | None, viewer: Viewer) -> None:
    """The meeting room and what is typed in it (the disciplines' records, the draft): the
    meeting's participants and whoever runs it. A draft with no meeting: anyone on the case."""
    current_staff(session, viewer)
    if meeting_id is None:
        return
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or not at_meeting(session, meeting, viewer):
        raise _refuse(t("access.at_meeting"), viewer, entity="meeting", entity_id=meeting_id)


def require_meeting_chair(session: Session, meeting: Meeting, viewer: Viewer) -> None:
    """Adding someone to the meeting (which opens its cases to them): the chair's decision."""
    current_staff(session, viewer)
    if meeting.chair_id != viewer.staff_id and not _team_moedeleder(
        session, meeting.team_id, viewer
    ):
        raise _refuse(t("access.meeting_chair"), viewer, entity="meeting", entity_id=meeting.id)


def require_planner(session: Session, team_id: int, viewer: Viewer) -> None:
    """Planning a meeting for a team: a mødeleder who is a member of it."""
    current_staff(session, viewer)
    if not _team_moedeleder(session, team_id, viewer):
        raise _refuse(t("access.planner"), viewer, entity="meeting")


def require_approver(session: Session, meeting_id: int | None, viewer: Viewer) -> None:
    """Approving an indstilling: the meeting's chair, or a mødeleder of its team."""
    current_staff(session, viewer)
    meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
    if meeting is not None and meeting.chair_id == viewer.staff_id:
        return
    if meeting is None and StaffRole.MOEDELEDER.value in roles_of(session, viewer.staff_id):
        return
    if meeting is not None and _team_moedeleder(session, meeting.team_id, viewer):
        return
    raise _refuse(t("access.only_chair"), viewer, entity="approval", entity_id=meeting_id)


# --- administration ---------------------------------------------------------------------------


def is_database_owner(session: Session) -> bool:
    """PostgreSQL: the login owns rehabteam's tables (or is a superuser): it set up the
    database and may administer it. Never on SQLite, where the file is the boundary."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    return bool(
        session.execute(
            text(
                "SELECT r.rolsuper OR pg_has_role(session_user, c.relowner, 'MEMBER') "
                "FROM pg_class c, pg_roles r "
                "WHERE c.oid = to_regclass('staff_member') AND r.rolname = session_user"
            )
        ).scalar()
    )


def require_administrator(session: Session, viewer: Viewer | None) -> None:
    """The audit trail and staff set-up: an administrator (or the database's owner)."""
    if viewer is None:
        if is_database_owner(session):
            return
        raise _refuse(t("access.who"), None, entity="audit")
    if not has_role(session, viewer, StaffRole.ADMINISTRATOR):
        raise _refuse(t("access.only_admin"), viewer, entity="audit")


def require_staff_admin(
    session: Session, actor: Viewer | None, *, first: bool = False, data: StaffInput | None = None
) -> None:
    """Setting up staff: an administrator. The very first staff member of an empty database
    can be created without one, and must then be an administrator with a login."""
    from rehabteam.services.startup import is_demo

    if is_demo(session=session):  # fictitious people only: no one real is set up there
        raise AccessDenied(t("staff.not_on_demo"), entity="staff_member")
    if actor is None and first:
        from rehabteam.services.identity import has_staff

        if has_staff(session):
            raise _refuse(t("staff.first_exists"), None, entity="staff_member")
        if data is None or StaffRole.ADMINISTRATOR not in (data.roles or []) or not data.login:
            raise AccessDenied(t("staff.first_must_be_admin"), entity="staff_member")
        return
    require_administrator(session, actor)
