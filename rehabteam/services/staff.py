"""Staff members and teams: who can be chosen for a role, and (for an administrator) who is
set up with which login, roles and team."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied, InvalidInput, NotFound
from rehabteam.i18n import t
from rehabteam.models import StaffMember, StaffRoleLink, Team, TeamMember
from rehabteam.models.enums import AuditAction, Discipline, StaffRole
from rehabteam.models.inputs import StaffInput
from rehabteam.models.read import StaffRead, TeamRead
from rehabteam.models.viewer import Viewer


def _roles(session: Session, staff_ids: list[int]) -> dict[int, tuple[str, ...]]:
    rows = session.exec(
        select(StaffRoleLink).where(col(StaffRoleLink.staff_id).in_(staff_ids))
    ).all()
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.staff_id, []).append(row.role)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def staff_reads(session: Session, members: list[StaffMember]) -> list[StaffRead]:
    roles = _roles(session, [m.id for m in members if m.id is not None])
    return [
        StaffRead(
            id=m.id,
            name=m.name,
            initials=m.initials,
            discipline=m.discipline,
            roles=roles.get(m.id, ()),
            phone=m.phone,
            email=m.email,
            login=m.login,
            active=m.active,
        )
        for m in members
        if m.id is not None
    ]


def list_staff(
    *, session: Session, role: StaffRole | None = None, include_inactive: bool = False
) -> list[StaffRead]:
    """Staff by name (active ones unless asked); only those holding `role` when given."""
    stmt = select(StaffMember).order_by(col(StaffMember.name))
    if not include_inactive:
        stmt = stmt.where(col(StaffMember.active))
    if role is not None:
        stmt = stmt.join(StaffRoleLink, col(StaffRoleLink.staff_id) == col(StaffMember.id)).where(
            col(StaffRoleLink.role) == role.value
        )
    return staff_reads(session, list(session.exec(stmt).all()))


def list_teams(*, session: Session) -> list[TeamRead]:
    teams = session.exec(select(Team).order_by(col(Team.name))).all()
    members: dict[int, list[tuple[int, str]]] = {}
    for row in session.exec(select(TeamMember)):
        members.setdefault(row.team_id, []).append((row.staff_id, row.discipline))
    return [
        TeamRead(
            id=team.id,
            name=team.name,
            default_place=team.default_place,
            members=tuple(members.get(team.id, [])),
        )
        for team in teams
        if team.id is not None
    ]


# --- administration -----------------------------------------------------------------------


def _apply(session: Session, member: StaffMember, data: StaffInput) -> None:
    """Roles and team membership as given (None: left as they are)."""
    assert member.id is not None
    if data.roles is not None:
        session.execute(delete(StaffRoleLink).where(col(StaffRoleLink.staff_id) == member.id))
        for role in sorted(set(data.roles)):
            session.add(StaffRoleLink(staff_id=member.id, role=role.value))
    if data.team_id is not None:
        if session.get(Team, data.team_id) is None:
            raise NotFound(t("staff.team_not_found", id=data.team_id))
        link = session.get(TeamMember, (data.team_id, member.id))
        if link is None:
            session.add(
                TeamMember(team_id=data.team_id, staff_id=member.id, discipline=member.discipline)
            )
    session.flush()


def add_staff(
    *, session: Session, actor: Viewer | None, data: StaffInput, first: bool = False
) -> StaffRead:
    """A new staff member. `actor` is the administrator; None only for the first staff member
    of an empty database (who must be an administrator: see `access.require_staff_admin`)."""
    from rehabteam.services import access, audit

    access.require_staff_admin(session, actor, first=first, data=data)
    if session.exec(
        select(StaffMember.id).where(col(StaffMember.initials) == data.initials)
    ).first():
        raise InvalidInput(t("staff.duplicate_initials", initials=data.initials), field="initials")
    if (
        data.login
        and session.exec(select(StaffMember.id).where(col(StaffMember.login) == data.login)).first()
    ):
        raise InvalidInput(t("staff.duplicate_login", login=data.login), field="login")
    member = StaffMember(
        name=data.name or data.initials,
        initials=data.initials,
        discipline=(data.discipline or Discipline.BESKAEFTIGELSE).value,
        title=data.title or "",
        phone=data.phone or "",
        email=data.email or "",
        login=data.login or None,
    )
    session.add(member)
    session.flush()
    _apply(session, member, data)
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.CREATE,
        entity="staff_member",
        entity_id=member.id,
        detail="roles=" + ",".join(sorted(r.value for r in data.roles or [])),
    )
    return staff_reads(session, [member])[0]


def update_staff(
    *, session: Session, actor: Viewer | None, initials: str, data: StaffInput
) -> StaffRead:
    """Change a staff member's login, roles, contact, team or whether they are active."""
    from rehabteam.services import access, audit

    access.require_staff_admin(session, actor)
    member = session.exec(
        select(StaffMember).where(col(StaffMember.initials) == initials.upper())
    ).first()
    if member is None:
        raise NotFound(t("staff.not_found"))
    if (
        actor is not None
        and member.id == actor.staff_id
        and (data.roles is not None or data.team_id is not None or data.login is not None)
    ):
        raise AccessDenied(t("staff.not_yourself"), entity="staff_member", actor_id=actor.staff_id)
    for name in ("name", "title", "phone", "email"):
        value = getattr(data, name)
        if value is not None:
            setattr(member, name, value)
    if data.discipline is not None:
        member.discipline = data.discipline.value
    if data.login is not None:
        member.login = data.login or None
    if data.active is not None:
        member.active = data.active
    member.version += 1
    session.add(member)
    session.flush()
    _apply(session, member, data)
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.UPDATE,
        entity="staff_member",
        entity_id=member.id,
        detail=",".join(k for k, v in data.model_dump().items() if v is not None)[:200],
    )
    return staff_reads(session, [member])[0]
