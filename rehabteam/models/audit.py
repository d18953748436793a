"""The audit trail: who did what to which record, never what the record says."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from rehabteam.models.base import utcnow


class AuditEvent(SQLModel, table=True):
    """Insert-only. Holds no names, CPR numbers, free text or health content: the citizen is
    identified by an HMAC of the CPR number keyed with a per-installation secret, and each
    entry carries the hash of the one before so a removed or altered entry can be found."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff_member.id")
    actor_login: str = Field(default="", max_length=100)
    action: str = Field(max_length=20, nullable=False)  # AuditAction
    entity: str = Field(max_length=40, nullable=False)
    entity_id: int | None = Field(default=None)
    case_id: int | None = Field(default=None, index=True)
    citizen_ref: str = Field(default="", max_length=64, index=True)
    detail: str = Field(default="", max_length=200)  # a code, e.g. the fields changed
    prev_hash: str = Field(default="", max_length=64)
    entry_hash: str = Field(default="", max_length=64)
    # 1: an unkeyed SHA-256 of the entry (before 0007); 2: an HMAC with the installation's
    # chain key, which the team's login cannot read on PostgreSQL. Version 1 entries may only
    # precede version 2 ones.
    hash_version: int = Field(default=2, nullable=False, sa_column_kwargs={"server_default": "1"})


class AppMeta(SQLModel, table=True):
    """Facts about this database: e.g. that it holds demo data."""

    __tablename__ = "app_meta"

    key: str = Field(max_length=60, primary_key=True)
    value: str = Field(default="", max_length=2000)
