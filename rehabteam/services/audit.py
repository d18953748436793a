"""The audit trail: who did what to which record, never what the record says.

Each entry carries the hash of the one before, computed in the same transaction as the change
it records. Since migration 0007 the hash is an HMAC keyed with the installation's chain key
(`audit_chain_key` in app_meta), so an entry inserted or altered by someone without the key
breaks the chain. On PostgreSQL entries are written only by the database function
`rehabteam_audit` (SECURITY DEFINER): it takes the actor from the login, computes the
citizen's HMAC and extends the chain itself, and the team's login can neither write
audit_event directly nor read the keys. On SQLite this module does the same in Python (there,
whoever can read the file has the keys too: the file is the boundary).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, text
from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied
from rehabteam.models import AppMeta, AuditEvent
from rehabteam.models.base import utcnow
from rehabteam.models.enums import AuditAction
from rehabteam.models.viewer import Viewer

log = logging.getLogger(__name__)

SECRET_KEY = "audit_hmac_secret"
CHAIN_KEY = "audit_chain_key"
HEAD_KEY = "audit_chain_head"
SECRET_KEYS = (SECRET_KEY, CHAIN_KEY)
SEAL = "audit_seal"
SEP = "\x1f"  # fields of the hashed payload are joined by the unit separator
# What an entry's detail may hold (the database function refuses anything else as well).
_DETAIL = re.compile(r"^[a-z0-9_:=;,.+-]{0,200}$")
_CPR_LIKE = re.compile(r"[0-9]{6}-?[0-9]{4}")


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _meta(session: Session, key: str, *, lock: bool = False) -> AppMeta | None:
    stmt = select(AppMeta).where(col(AppMeta.key) == key)
    if lock:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def _required_meta(session: Session, key: str, *, lock: bool = False) -> AppMeta:
    row = _meta(session, key, lock=lock)
    if row is None:  # the migrations create these rows
        raise RuntimeError(f"app_meta row {key!r} is missing; run `rehabteam db upgrade`")
    return row


def _key(session: Session, key: str) -> bytes:
    return bytes.fromhex(_required_meta(session, key).value)


def keyed(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def citizen_ref(session: Session, cpr_digits: str) -> str:
    """A keyed hash of the CPR number: links entries about one citizen without revealing who.
    (A plain hash of a CPR number can be reversed by trying every number in minutes.)"""
    if _postgres(session):
        return str(
            session.execute(
                text("SELECT rehabteam_citizen_ref(:cpr)"), {"cpr": cpr_digits}
            ).scalar_one()
        )
    return keyed(_key(session, SECRET_KEY), cpr_digits)


def normal_criterion(criterion: str) -> str:
    return " ".join(criterion.casefold().replace("-", "").split())


def search_digest(session: Session, criterion: str) -> str:
    """The digest `record_search` stores for `criterion` (for an auditor's lookup)."""
    normal = normal_criterion(criterion)
    if _postgres(session):
        return str(
            session.execute(
                text("SELECT left(rehabteam_citizen_ref(:c), 32)"), {"c": normal}
            ).scalar_one()
        )
    return keyed(_key(session, SECRET_KEY), normal)[:32]


def _timestamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _field(value: object) -> str:
    return "" if value is None else str(value).replace(SEP, " ")


def payload(event: AuditEvent) -> str:
    """What a version 2 entry's HMAC covers (the database function builds the same)."""
    return SEP.join(
        [
            _field(event.prev_hash),
            _timestamp(event.occurred_at),
            _field(event.actor_id),
            _field(event.actor_login),
            _field(event.action),
            _field(event.entity),
            _field(event.entity_id),
            _field(event.case_id),
            _field(event.citizen_ref),
            _field(event.detail),
        ]
    )


def entry_digest(event: AuditEvent, chain_key: bytes) -> str:
    if event.hash_version == 1:  # written before the chain was keyed (migration 0007)
        legacy = json.dumps(
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
        return hashlib.sha256(legacy.encode()).hexdigest()
    return keyed(chain_key, payload(event))


def record(
    *,
    session: Session,
    actor: Viewer | None,
    action: AuditAction,
    entity: str,
    entity_id: int | None = None,
    case_id: int | None = None,
    cpr_digits: str | None = None,
    detail: str = "",
    search: str | None = None,
    login: str | None = None,
) -> None:
    """Append one entry. `actor` is who acted (None: nobody identified, e.g. a refused
    attempt, whose `login` is then recorded, or the database's owner setting up); on
    PostgreSQL the database decides the actor from the login whatever is passed. `search`
    is a search criterion, stored only as a keyed digest."""
    detail = detail[:200]
    if entity != SEAL and (not _DETAIL.match(detail) or _CPR_LIKE.search(detail)):  # codes only
        raise ValueError(f"not an audit detail: {detail[:40]!r}")
    if _postgres(session):
        session.execute(
            text(
                "SELECT rehabteam_audit(:action, :entity, :entity_id, :case_id, :cpr, "
                ":detail, :search)"
            ),
            {
                "action": action.value,
                "entity": entity,
                "entity_id": entity_id,
                "case_id": case_id,
                "cpr": cpr_digits or "",
                "detail": detail,
                "search": search or "",
            },
        )
        return
    head = _required_meta(session, HEAD_KEY, lock=True)
    if search:
        kind = "cpr" if search.isdigit() else "name"
        detail = f"{kind}:{keyed(_key(session, SECRET_KEY), search)[:32]}"
    from rehabteam.services.os_user import os_login

    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.staff_id if actor else None,
        actor_login=(actor.login if actor else (login or os_login()))[:100],
        action=action.value,
        entity=entity,
        entity_id=entity_id,
        case_id=case_id,
        citizen_ref=keyed(_key(session, SECRET_KEY), cpr_digits) if cpr_digits else "",
        detail=detail,
        prev_hash=head.value,
        hash_version=2,
    )
    event.entry_hash = entry_digest(event, _key(session, CHAIN_KEY))
    session.add(event)
    head.value = event.entry_hash
    session.add(head)
    session.flush()


def record_case(
    *,
    session: Session,
    actor: Viewer | None,
    action: AuditAction,
    entity: str,
    case_id: int | None,
    entity_id: int | None = None,
    detail: str = "",
) -> None:
    """An entry about a case, naming its citizen (by HMAC) so the citizen's access request
    finds it."""
    from rehabteam.models import Case, Citizen

    cpr = None
    if case_id is not None:
        cpr = session.exec(
            select(Citizen.cpr)
            .join(Case, col(Case.citizen_id) == col(Citizen.id))
            .where(col(Case.id) == case_id)
        ).first()
    record(
        session=session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        case_id=case_id,
        cpr_digits=cpr,
        detail=detail,
    )


def record_search(*, session: Session, actor: Viewer, entity: str, criterion: str) -> None:
    """A search, with its criterion as a keyed hash: an auditor holding the installation's
    secret can tell whether someone searched for a given name or CPR number, but the log
    itself holds neither."""
    normal = normal_criterion(criterion)
    if normal:
        record(
            session=session, actor=actor, action=AuditAction.SEARCH, entity=entity, search=normal
        )


def record_refusal(engine: Engine, refused: AccessDenied) -> None:
    """Write a refused attempt to the trail in a transaction of its own (the refused one was
    rolled back). Never raises: failing to log must not hide the refusal from the user."""
    from rehabteam.db import session_scope

    actor = (
        Viewer(staff_id=refused.actor_id, login=refused.actor_login, name="", initials="")
        if refused.actor_id is not None
        else None
    )
    try:
        with session_scope(engine, write=True) as session:
            record(
                session=session,
                actor=actor,
                login=refused.actor_login or None,
                action=AuditAction.DENIED,
                entity=refused.entity or "access",
                entity_id=refused.entity_id,
                case_id=refused.case_id,
            )
    except Exception:
        log.warning("could not write a refused access attempt to the audit trail", exc_info=True)


# --- reading, verifying, purging (administrators) --------------------------------------------


def verify(*, session: Session) -> tuple[bool, str, int]:
    """Walk the chain in id order. Returns (intact, message, entries checked); the message
    names the first removed, altered, reordered or forged entry."""
    from rehabteam.i18n import t

    chain_key = _key(session, CHAIN_KEY)
    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    anchors = {
        part.removeprefix("anchor=")
        for e in events
        if e.entity == SEAL
        for part in e.detail.split(";")
        if part.startswith("anchor=")
    }
    previous = ""
    keyed_seen = False
    for n, event in enumerate(events):
        if event.hash_version == 1 and keyed_seen:  # an unkeyed entry among keyed ones
            return False, t("audit.altered", id=event.id), n
        keyed_seen = keyed_seen or event.hash_version != 1
        if event.entry_hash != entry_digest(event, chain_key):
            return False, t("audit.altered", id=event.id), n
        expected_prev = previous if n else event.prev_hash
        if n == 0 and event.prev_hash not in ("", *anchors):
            return False, t("audit.start_missing", id=event.id), n
        if event.prev_hash != expected_prev:
            return False, t("audit.removed_before", id=event.id), n
        previous = event.entry_hash
    head = _required_meta(session, HEAD_KEY).value
    if head != previous:
        return False, t("audit.tail_missing"), len(events)
    return True, t("audit.intact", n=len(events)), len(events)


def purge(*, session: Session, actor: Viewer | None, older_than: datetime) -> int:
    """Delete entries older than the retention limit and write a seal entry naming who purged
    and the hash the kept chain starts from, so `verify` still passes. Callers check that
    `actor` is an administrator (on PostgreSQL the database function checks again)."""
    if _postgres(session):
        return int(
            session.execute(
                text("SELECT rehabteam_audit_purge(:cutoff)"), {"cutoff": older_than}
            ).scalar_one()
        )
    floor = int(_required_meta(session, "audit_retention_days").value or "183")
    if older_than > utcnow() - timedelta(days=floor):  # the installation keeps at least this
        from rehabteam.errors import DatabaseProblem
        from rehabteam.i18n import t

        raise DatabaseProblem(t("audit.retention_floor", days=floor))
    _required_meta(session, HEAD_KEY, lock=True)  # writers queue behind the purge
    old = session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.occurred_at) < older_than)
        .order_by(col(AuditEvent.id))
    ).all()
    if not old:
        return 0
    last = old[-1]
    assert last.id is not None
    session.merge(AppMeta(key="audit_purge", value="1"))
    session.flush()
    session.execute(delete(AuditEvent).where(col(AuditEvent.id) <= last.id))
    session.merge(AppMeta(key="audit_purge", value="0"))
    session.flush()
    record(
        session=session,
        actor=actor,
        action=AuditAction.DELETE,
        entity=SEAL,
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
    """Entries as plain dicts (newest last); `citizen` is a CPR number, matched by its HMAC.
    Callers check that the reader is an administrator."""
    stmt = select(AuditEvent).order_by(col(AuditEvent.id))
    if case_id is not None:
        stmt = stmt.where(col(AuditEvent.case_id) == case_id)
    if citizen is not None:
        stmt = stmt.where(col(AuditEvent.citizen_ref) == citizen_ref(session, citizen))
    if limit is not None:
        stmt = stmt.order_by(None).order_by(col(AuditEvent.id).desc()).limit(limit)
    rows = list(session.exec(stmt).all())
    if limit is not None:
        rows.reverse()
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
