"""Staff members: who is working, and who can be chosen for a role."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from rehabteam.models import StaffMember, StaffRoleLink, Team, TeamMember
from rehabteam.models.enums import StaffRole
from rehabteam.models.read import StaffRead, TeamRead


def _roles(session: Session, staff_ids: list[int]) -> dict[int, tuple[str, ...]]:
    rows = session.exec(
        select(StaffRoleLink).where(col(StaffRoleLink.staff_id).in_(staff_ids))
    ).all()
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.staff_id, []).append(row.role)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _read(members: list[StaffMember], session: Session) -> list[StaffRead]:
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
        )
        for m in members
        if m.id is not None
    ]


def list_staff(*, session: Session, role: StaffRole | None = None) -> list[StaffRead]:
    """Active staff by name; only those holding `role` when given."""
    stmt = select(StaffMember).where(col(StaffMember.active)).order_by(col(StaffMember.name))
    if role is not None:
        stmt = stmt.join(StaffRoleLink, col(StaffRoleLink.staff_id) == col(StaffMember.id)).where(
            col(StaffRoleLink.role) == role.value
        )
    return _read(list(session.exec(stmt).all()), session)


def find_actor(*, session: Session, who: str) -> StaffRead | None:
    """The staff member working as `who` (their login or initials), if any."""
    if not who.strip():
        return None
    member = session.exec(
        select(StaffMember).where(
            or_(col(StaffMember.login) == who, col(StaffMember.initials) == who.upper())
        )
    ).first()
    return _read([member], session)[0] if member else None


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


def resolve_actor(*, session: Session, user: str = "", demo: bool = False) -> StaffRead | None:
    """Who is working: REHABTEAM_USER (initials or login), else the database login
    (PostgreSQL: one login per person), else the operating-system login. On the demo
    database, Mette Lund (mødeleder) when nobody else is named."""
    import contextlib
    import getpass

    candidates = [user.strip()]
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy import text

        candidates.append(str(session.execute(text("SELECT current_user")).scalar_one()))
    with contextlib.suppress(KeyError, OSError):  # no login name in this environment
        candidates.append(getpass.getuser())
    for who in candidates:
        if who:
            found = find_actor(session=session, who=who)
            if found is not None:
                return found
    return find_actor(session=session, who="ML") if demo else None
