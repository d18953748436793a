"""Staff members, their roles, and teams."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from rehabteam.models.base import Tracked


class StaffMember(Tracked, table=True):
    __tablename__ = "staff_member"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, nullable=False)
    initials: str = Field(max_length=12, unique=True, nullable=False)
    discipline: str = Field(max_length=40, nullable=False)  # Discipline
    title: str = Field(default="", max_length=200)
    unit: str = Field(default="", max_length=200)  # e.g. "Jobcenter, Ressourceteamet"
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    # The database login (PostgreSQL) or OS user this person works as; one person, one login.
    login: str | None = Field(default=None, max_length=100, unique=True)
    active: bool = Field(default=True, nullable=False)


class StaffRoleLink(SQLModel, table=True):
    """A role (StaffRole) a staff member holds. Several roles per person are common."""

    __tablename__ = "staff_role"

    staff_id: int = Field(foreign_key="staff_member.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(max_length=40, primary_key=True)


class Team(Tracked, table=True):
    __tablename__ = "team"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, nullable=False)
    municipality: str = Field(default="", max_length=200)
    default_place: str = Field(default="", max_length=300)


class TeamMember(SQLModel, table=True):
    """A fixed member of a team, for one discipline."""

    __tablename__ = "team_member"

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff_member.id", primary_key=True, ondelete="CASCADE")
    discipline: str = Field(max_length=40, nullable=False)
