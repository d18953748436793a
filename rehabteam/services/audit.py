"""Writing the audit trail. Every entry is chained to the one before by a SHA-256 hash computed
in the same transaction as the change it records."""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlmodel import Session, col, select

from rehabteam.models import AppMeta, AuditEvent
from rehabteam.models.base import utcnow
from rehabteam.models.enums import AuditAction

_SECRET_KEY = "audit_hmac_secret"
_HEAD_KEY = "audit_chain_head"


def _meta(session: Session, key: str, *, lock: bool = False) -> AppMeta | None:
    stmt = select(AppMeta).where(col(AppMeta.key) == key)
    if lock:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def _required_meta(session: Session, key: str, *, lock: bool = False) -> AppMeta:
    row = _meta(session, key, lock=lock)
    if row is None:  # the first migration creates both rows
        raise RuntimeError(f"app_meta row {key!r} is missing; run `rehabteam db upgrade`")
    return row


def _installation_secret(session: Session) -> bytes:
    return bytes.fromhex(_required_meta(session, _SECRET_KEY).value)


def citizen_ref(session: Session, cpr_digits: str) -> str:
    """A keyed hash of the CPR number: links entries about one citizen without revealing who.
    (A plain hash of a CPR number can be reversed by trying every number in minutes.)"""
    return hmac.new(_installation_secret(session), cpr_digits.encode(), hashlib.sha256).hexdigest()


def entry_digest(event: AuditEvent) -> str:
    payload = json.dumps(
        [
            event.prev_hash,
            event.occurred_at.isoformat(),
            event.actor_id,
            event.actor_login,
            event.action,
            event.entity,
            event.entity_id,
            event.case_id,
            event.citizen_ref,
            event.detail,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    *,
    session: Session,
    action: AuditAction,
    entity: str,
    entity_id: int | None = None,
    case_id: int | None = None,
    cpr_digits: str | None = None,
    actor_id: int | None = None,
    actor_login: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one entry. The chain head row is locked so concurrent writers queue up."""
    head = _required_meta(session, _HEAD_KEY, lock=True)
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor_id,
        actor_login=actor_login,
        action=action.value,
        entity=entity,
        entity_id=entity_id,
        case_id=case_id,
        citizen_ref=citizen_ref(session, cpr_digits) if cpr_digits else "",
        detail=detail[:200],
        prev_hash=head.value,
    )
    event.entry_hash = entry_digest(event)
    session.add(event)
    head.value = event.entry_hash
    session.add(head)
    session.flush()
    return event
