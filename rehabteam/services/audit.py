"""Writing the audit trail. Every entry is chained to the one before by a SHA-256 hash computed
in the same transaction as the change it records."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime

from sqlalchemy import Engine, delete, text
from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied
from rehabteam.models import AppMeta, AuditEvent
from rehabteam.models.base import utcnow
from rehabteam.models.enums import AuditAction

log = logging.getLogger(__name__)

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


def record_refusal(engine: Engine, refused: AccessDenied) -> None:
    """Write a refused attempt to the trail in a transaction of its own (the refused one was
    rolled back). Never raises: failing to log must not hide the refusal from the user."""
    from rehabteam.db import session_scope

    try:
        with session_scope(engine, write=True) as session:
            record(
                session=session,
                action=AuditAction.DENIED,
                entity=refused.entity or "access",
                entity_id=refused.entity_id,
                case_id=refused.case_id,
                actor_id=refused.actor_id,
            )
    except Exception:
        log.warning("could not write a refused access attempt to the audit trail", exc_info=True)


# --- reading, verifying, purging ----------------------------------------------------------

SEAL = "audit_seal"


def verify(*, session: Session) -> tuple[bool, str, int]:
    """Walk the chain in id order. Returns (intact, message, entries checked); the message
    names the first removed, altered or reordered entry."""
    from rehabteam.i18n import t

    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    anchors = {
        part.removeprefix("anchor=")
        for e in events
        if e.entity == SEAL
        for part in e.detail.split(";")
        if part.startswith("anchor=")
    }
    previous = ""
    for n, event in enumerate(events):
        if event.entry_hash != entry_digest(event):
            return False, t("audit.altered", id=event.id), n
        expected_prev = previous if n else event.prev_hash
        if n == 0 and event.prev_hash not in ("", *anchors):
            return False, t("audit.start_missing", id=event.id), n
        if event.prev_hash != expected_prev:
            return False, t("audit.removed_before", id=event.id), n
        previous = event.entry_hash
    head = _required_meta(session, _HEAD_KEY).value
    if head != previous:
        return False, t("audit.tail_missing"), len(events)
    return True, t("audit.intact", n=len(events)), len(events)


def purge(*, session: Session, older_than: datetime, actor_id: int | None = None) -> int:
    """Delete entries older than the retention limit and write a seal entry recording the
    hash the kept chain starts from, so `verify` still passes."""
    _required_meta(session, _HEAD_KEY, lock=True)  # writers queue behind the purge
    old = session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.occurred_at) < older_than)
        .order_by(col(AuditEvent.id))
    ).all()
    if not old:
        return 0
    last = old[-1]
    assert last.id is not None
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.merge(AppMeta(key="audit_purge", value="1"))
        session.flush()
    else:
        session.execute(text("SET LOCAL rehabteam.audit_purge = 'on'"))
    session.execute(delete(AuditEvent).where(col(AuditEvent.id) <= last.id))
    if dialect == "sqlite":
        session.merge(AppMeta(key="audit_purge", value="0"))
    else:
        session.execute(text("SET LOCAL rehabteam.audit_purge = 'off'"))
    session.flush()
    record(
        session=session,
        action=AuditAction.DELETE,
        entity=SEAL,
        actor_id=actor_id,
        detail=f"purged={len(old)};anchor={last.entry_hash}",
    )
    return len(old)


def entries(
    *,
    session: Session,
    case_id: int | None = None,
    citizen: str | None = None,
    limit: int | None = None,
) -> list[dict[str, object]]:
    """Entries as plain dicts (newest last); `citizen` is a CPR number, matched by its HMAC."""
    stmt = select(AuditEvent).order_by(col(AuditEvent.id))
    if case_id is not None:
        stmt = stmt.where(col(AuditEvent.case_id) == case_id)
    if citizen is not None:
        stmt = stmt.where(col(AuditEvent.citizen_ref) == citizen_ref(session, citizen))
    rows = list(session.exec(stmt).all())
    if limit is not None:
        rows = rows[-limit:]
    return [
        {
            "id": e.id,
            "occurred_at": e.occurred_at.isoformat(),
            "actor_id": e.actor_id,
            "actor_login": e.actor_login,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "case_id": e.case_id,
            "citizen_ref": e.citizen_ref,
            "detail": e.detail,
            "entry_hash": e.entry_hash,
        }
        for e in rows
    ]


def record_search(
    *, session: Session, entity: str, criterion: str, actor_id: int | None = None
) -> None:
    """A search, with its criterion as a keyed hash: an auditor holding the installation's
    secret can tell whether someone searched for a given name or CPR number, but the log
    itself holds neither."""
    normal = " ".join(criterion.casefold().replace("-", "").split())
    if not normal:
        return
    kind = "cpr" if normal.isdigit() else "name"
    record(
        session=session,
        action=AuditAction.SEARCH,
        entity=entity,
        actor_id=actor_id,
        detail=f"{kind}:{search_digest(session, normal)}",
    )


def search_digest(session: Session, criterion: str) -> str:
    """The digest `record_search` stores for `criterion` (for an auditor's lookup)."""
    text_ = " ".join(criterion.casefold().replace("-", "").split())
    return hmac.new(_installation_secret(session), text_.encode(), hashlib.sha256).hexdigest()[:32]
