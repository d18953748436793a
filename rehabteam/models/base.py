"""Columns shared by the editable tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from rehabteam import clock

# Named constraints, so later SQLite batch migrations can find and change them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Aware UTC; SQLModel stores datetimes as UTC (timestamptz on PostgreSQL)."""
    return clock.now()


class Tracked(SQLModel):
    """Creation and change times plus a version for optimistic locking.

    Services save with `UPDATE ... WHERE id = :id AND version = :seen` and refuse a stale save,
    so two workstations editing the same record never overwrite each other silently.
    """

    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    version: int = Field(default=1, nullable=False)


class Stamped(SQLModel):
    """Who last changed each field, and when: {field: [staff id, ISO time]}. A save writes
    only the fields the user changed, so two people editing different fields of one row never
    overwrite each other; a save of a field someone else changed since is refused for that
    field alone, and this says who and when (services.fields)."""

    field_stamps: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, sa_column_kwargs={"server_default": "{}"}
    )
