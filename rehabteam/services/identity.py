"""Who is working, from something the person cannot claim.

- PostgreSQL: the database login (`session_user`), always. REHABTEAM_USER is ignored there.
- SQLite: the operating-system login of the process (the real user id, not $USER), matched
  to a staff member's `login`. A login no staff member has may be bound, once, to a profile
  that has no login yet and is neither an administrator nor a mødeleder; that binding is
  audited. On SQLite the file itself is the boundary: whoever can read it has it.
- The demo database (fictitious people) acts as Mette Lund, or as the profile REHABTEAM_USER
  names, so every role can be tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text, update
from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied
from rehabteam.i18n import t
from rehabteam.models import StaffMember, StaffRoleLink
from rehabteam.models.enums import AuditAction, StaffRole
from rehabteam.models.read import StaffRead
from rehabteam.models.viewer import Viewer
from rehabteam.services.os_user import os_login

__all__ = ["Identity", "bind_login", "bindable_profiles", "identify", "os_login", "viewer_for"]

DEMO_DEFAULT = "ML"  # Mette Lund, mødeleder, on the demo database
# Profiles a login may never claim for itself: they decide who sees what, or run meetings.
UNBINDABLE = (
    StaffRole.ADMINISTRATOR.value,
    StaffRole.MOEDELEDER.value,
    StaffRole.REFERENT.value,
)


def database_login(session: Session) -> str | None:
    """The PostgreSQL login of this connection; None on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return str(session.execute(text("SELECT session_user")).scalar_one())


@dataclass(frozen=True)
class Identity:
    """The outcome of identifying the person: a viewer, or why there is none."""

    viewer: Viewer | None
    login: str
    # "" when identified; else "no_staff" (nobody set up yet), "unknown" or "inactive".
    problem: str = ""
    claim_ignored: bool = False  # REHABTEAM_USER was set and is not how identity is decided
    postgres: bool = False
    bindable: tuple[StaffRead, ...] = field(default=())

    def message(self) -> str:
        """What to tell a person who is not identified, in their language."""
        if self.problem == "no_staff":
            return t("identity.no_staff", login=self.login)
        if self.problem == "inactive":
            return t("identity.inactive", login=self.login)
        key = "identity.unknown_pg" if self.postgres else "identity.unknown_sqlite"
        return t(key, login=self.login)

    def refusal(self) -> AccessDenied:
        return AccessDenied(self.message(), entity="identity", actor_login=self.login)


def _roles(session: Session, staff_id: int) -> frozenset[str]:
    return frozenset(
        session.exec(
            select(StaffRoleLink.role).where(col(StaffRoleLink.staff_id) == staff_id)
        ).all()
    )


def viewer_for(session: Session, member: StaffMember, login: str) -> Viewer:
    assert member.id is not None
    return Viewer(
        staff_id=member.id,
        login=login,
        name=member.name,
        initials=member.initials,
        roles=_roles(session, member.id),
    )


def _by_login(session: Session, login: str) -> StaffMember | None:
    if not login:
        return None
    return session.exec(select(StaffMember).where(col(StaffMember.login) == login)).first()


def _by_claim(session: Session, claim: str) -> StaffMember | None:
    claim = claim.strip()
    if not claim:
        return None
    return session.exec(
        select(StaffMember).where(
            (col(StaffMember.initials) == claim.upper()) | (col(StaffMember.login) == claim)
        )
    ).first()


def has_staff(session: Session) -> bool:
    return session.exec(select(StaffMember.id).limit(1)).first() is not None


def identify(*, session: Session, claimed: str = "", demo: bool = False) -> Identity:
    """Who is working on this connection (see the module's docstring)."""
    pg_login = database_login(session)
    claimed = claimed.strip()
    if pg_login is not None:
        login, member = pg_login, _by_login(session, pg_login)
        ignored = bool(claimed)
    elif demo:
        member = _by_claim(session, claimed or DEMO_DEFAULT)
        login = (member.login or member.initials) if member else (claimed or DEMO_DEFAULT)
        ignored = False
    else:
        login = os_login()
        member = _by_login(session, login)
        ignored = bool(claimed)
    postgres = pg_login is not None
    if member is not None and member.active:
        return Identity(
            viewer_for(session, member, login), login, claim_ignored=ignored, postgres=postgres
        )
    if member is not None:
        return Identity(None, login, "inactive", ignored, postgres)
    if postgres:  # row-level security shows an unknown login no staff at all
        return Identity(None, login, "unknown", ignored, postgres)
    if not has_staff(session):
        return Identity(None, login, "no_staff", ignored, postgres)
    bindable = () if postgres or demo else tuple(bindable_profiles(session=session))
    return Identity(None, login, "unknown", ignored, postgres, bindable)


def bindable_profiles(*, session: Session) -> list[StaffRead]:
    """Profiles a new login may bind itself to (SQLite): active, no login yet, holding none
    of the administrator, mødeleder or referent roles, and chairing or taking minutes at no
    meeting."""
    from rehabteam.models import Meeting
    from rehabteam.services.staff import staff_reads

    privileged = select(StaffRoleLink.staff_id).where(col(StaffRoleLink.role).in_(UNBINDABLE))
    chairs = select(Meeting.chair_id).where(col(Meeting.chair_id).is_not(None))
    referents = select(Meeting.referent_id).where(col(Meeting.referent_id).is_not(None))
    members = session.exec(
        select(StaffMember)
        .where(
            col(StaffMember.active),
            col(StaffMember.login).is_(None),
            col(StaffMember.id).not_in(privileged),
            col(StaffMember.id).not_in(chairs),
            col(StaffMember.id).not_in(referents),
        )
        .order_by(col(StaffMember.name))
    ).all()
    return staff_reads(session, list(members))


def bind_login(*, session: Session, staff_id: int, login: str) -> Viewer:
    """Bind the OS login of an unrecognised person to a profile (SQLite only), once; the
    binding is the first entry under the new identity in the audit trail."""
    from rehabteam.services import audit

    if database_login(session) is not None:
        raise AccessDenied(t("identity.unknown_pg", login=login), entity="identity")
    if not login or _by_login(session, login) is not None:
        raise AccessDenied(t("identity.bind_refused"), entity="identity", actor_login=login)
    if staff_id not in {p.id for p in bindable_profiles(session=session)}:
        raise AccessDenied(
            t("identity.bind_refused"), entity="identity", entity_id=staff_id, actor_login=login
        )
    result = session.execute(
        update(StaffMember)
        .where(col(StaffMember.id) == staff_id, col(StaffMember.login).is_(None))
        .values(login=login)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise AccessDenied(t("identity.bind_refused"), entity="identity", actor_login=login)
    session.expire_all()
    member = session.get(StaffMember, staff_id)
    assert member is not None
    viewer = viewer_for(session, member, login)
    audit.record(
        session=session,
        actor=viewer,
        action=AuditAction.UPDATE,
        entity="staff_login",
        entity_id=staff_id,
        detail="bound",
    )
    return viewer
