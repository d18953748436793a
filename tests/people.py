"""Who acts in the tests: staff members made for a test, or the demo's people, as Viewers."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rehabteam.db import session_scope
from rehabteam.models import Meeting, StaffMember, StaffRoleLink, Team, TeamMember
from rehabteam.models.enums import StaffRole
from rehabteam.models.viewer import Viewer
from rehabteam.services.identity import viewer_for


def add_staff(
    session: Session,
    initials: str,
    *,
    roles: Iterable[StaffRole] = (StaffRole.SAGSBEHANDLER,),
    discipline: str = "beskaeftigelse",
    team_id: int | None = None,
    login: str | None = None,
    name: str | None = None,
) -> Viewer:
    """A staff member (fictitious), optionally a fixed member of a team."""
    member = StaffMember(
        name=name or f"Medarbejder {initials} (fiktiv)",
        initials=initials,
        discipline=discipline,
        login=login,
    )
    session.add(member)
    session.flush()
    assert member.id is not None
    for role in roles:
        session.add(StaffRoleLink(staff_id=member.id, role=role.value))
    if team_id is not None:
        session.add(TeamMember(team_id=team_id, staff_id=member.id, discipline=discipline))
    session.flush()
    return viewer_for(session, member, login or initials)


def add_team(session: Session, name: str = "Team Test (fiktivt)") -> int:
    team = Team(name=name)
    session.add(team)
    session.flush()
    assert team.id is not None
    return team.id


def caseworker(engine: Engine, initials: str = "SB", **kwargs: object) -> Viewer:
    """A sagsbehandler in a team of their own: the usual person in a unit test."""
    with session_scope(engine, write=True) as session:
        team = session.exec(select(Team.id)).first() or add_team(session)
        return add_staff(session, initials, team_id=team, **kwargs)  # type: ignore[arg-type]


def as_staff(source: Engine | Session, initials: str) -> Viewer:
    """The staff member with these initials (e.g. the demo's ML, SK, JB, IH, AP)."""
    if isinstance(source, Session):
        return _viewer(source, initials)
    with session_scope(source) as session:
        return _viewer(session, initials)


def _viewer(session: Session, initials: str) -> Viewer:
    member = session.exec(
        select(StaffMember).where(col(StaffMember.initials) == initials.upper())
    ).one()
    return viewer_for(session, member, member.login or member.initials)


def last_weeks_meeting(session: Session) -> Meeting:
    """The demo's meeting of last week (the latest held: the demo's older meetings are
    where its running courses were agreed)."""
    meeting = session.exec(
        select(Meeting).where(col(Meeting.status) == "afholdt").order_by(col(Meeting.date).desc())
    ).first()
    assert meeting is not None
    return meeting
