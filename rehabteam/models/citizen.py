"""The citizen (borger)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Index, Table, delete, event, insert, inspect
from sqlmodel import Field, SQLModel

from rehabteam.models.base import Tracked, utcnow


class Citizen(Tracked, table=True):
    __tablename__ = "citizen"

    id: int | None = Field(default=None, primary_key=True)
    # Ten digits, no dash. Shown masked everywhere unless revealed on purpose; never logged.
    cpr: str = Field(max_length=10, unique=True, nullable=False)
    first_name: str = Field(max_length=200, nullable=False)
    last_name: str = Field(max_length=200, nullable=False)
    # Lower-cased "first last" for search in SQL.
    search_name: str = Field(max_length=401, index=True, nullable=False)
    birth_date: date = Field(nullable=False, index=True)  # derived from the CPR number
    gender: str = Field(max_length=10, nullable=False)  # derived from the CPR number
    # Has the citizen an erhvervskompetencegivende uddannelse? None: not recorded.
    has_vocational_education: bool | None = Field(default=None)
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    # Who registered the citizen: they may see them before any case exists.
    registered_by_id: int | None = Field(default=None, foreign_key="staff_member.id")


class CitizenAccess(SQLModel, table=True):
    """A staff member who looked the citizen up by their full CPR number (to open a case for
    them): from then on they may see the citizen, though not the citizen's other cases.
    Every lookup is in the audit trail as well."""

    __tablename__ = "citizen_access"

    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff_member.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class IndsigtGrant(SQLModel, table=True):
    """An administrator answering the citizen's access request may see all of the citizen's
    cases, for the length of that export's transaction only: the row is deleted before it
    commits, so it is never visible to anyone else and never outlives the export."""

    __tablename__ = "indsigt_grant"

    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff_member.id", primary_key=True, ondelete="CASCADE")
    # PostgreSQL: the transaction the grant belongs to; in any other it counts for nothing.
    txid: int | None = Field(default=None, sa_type=BigInteger)


def name_tokens(search_name: str) -> list[str]:
    """The words of a citizen's search name, each once, in order."""
    return list(dict.fromkeys(search_name.split()))


class CitizenNameToken(SQLModel, table=True):
    """Each word of a citizen's name beside the whole name, indexed by word then name: a
    search's first word is a range in that index whose every row matches it, read in name
    order, so finding the first 50 matches does not depend on how many citizens there are
    or where in the alphabet the names fall. Kept in step by the events below (and by the
    bulk seed, which inserts rows directly)."""

    __tablename__ = "citizen_name_token"
    __table_args__ = (
        Index("ix_citizen_name_token_token_name", "token", "search_name", "citizen_id"),
    )

    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True, ondelete="CASCADE")
    token: str = Field(max_length=401, primary_key=True)
    search_name: str = Field(max_length=401, nullable=False)


TOKENS: Table = CitizenNameToken.__table__  # type: ignore[attr-defined]


def name_token_rows(citizen_id: int, search_name: str) -> list[dict[str, object]]:
    return [
        {"citizen_id": citizen_id, "token": token, "search_name": search_name}
        for token in name_tokens(search_name)
    ]


@event.listens_for(Citizen, "after_insert")
def _tokens_for_new_citizen(_mapper: Any, connection: Connection, citizen: Citizen) -> None:
    assert citizen.id is not None
    connection.execute(insert(TOKENS), name_token_rows(citizen.id, citizen.search_name))


@event.listens_for(Citizen, "after_update")
def _tokens_for_renamed_citizen(_mapper: Any, connection: Connection, citizen: Citizen) -> None:
    if not inspect(citizen).attrs.search_name.history.has_changes():
        return
    assert citizen.id is not None
    connection.execute(delete(TOKENS).where(TOKENS.c.citizen_id == citizen.id))
    connection.execute(insert(TOKENS), name_token_rows(citizen.id, citizen.search_name))
