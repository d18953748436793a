"""Per-field saving: a save carries, for each field the user changed, the value they started
from (the *base*), and writes only those fields. A field is refused only when someone else
changed that same field in the meantime (its stored value is neither the base nor the new
value); the other fields of the save are written. The refused field comes back as a
`FieldConflict` with the stored text, who saved it and when, so the screen can show both
texts side by side; saving again with the stored text as the base replaces it deliberately.
No save ever blanks or reverts a field the user did not touch."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rehabteam.models import StaffMember
from rehabteam.models.base import utcnow
from rehabteam.models.read import FieldConflict, FieldStamp
from rehabteam.models.viewer import Viewer

Base = Mapping[str, Any]  # field -> the value the user started from (only fields changed)


def stamps_read(session: Session, stamps: Mapping[str, Any]) -> dict[str, FieldStamp]:
    """Who changed each field and when, with names for the screen."""
    ids = {int(v[0]) for v in stamps.values() if v and v[0] is not None}
    names = (
        {
            m.id: m.name
            for m in session.exec(select(StaffMember).where(col(StaffMember.id).in_(ids)))
        }
        if ids
        else {}
    )
    return {
        field: FieldStamp(by=names.get(int(v[0]), ""), at=datetime.fromisoformat(v[1]))
        for field, v in stamps.items()
        if v and v[0] is not None
    }


def merge(
    *,
    current: Mapping[str, Any],
    new: Mapping[str, Any],
    base: Base,
    stamps: Mapping[str, Any],
    names: Callable[[int], str],
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The values to write, and the conflicts: for each field in `base`, write the new value
    when the stored one is still the base; nothing when it already is the new value."""
    write: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for field, started in base.items():
        wanted, stored = new[field], current[field]
        if stored == wanted:
            continue
        if stored != started:
            stamp = stamps.get(field) or [None, None]
            conflicts.append(
                FieldConflict(
                    field=field,
                    theirs=stored,
                    by=names(int(stamp[0])) if stamp[0] is not None else "",
                    at=datetime.fromisoformat(stamp[1]) if stamp[1] else None,
                )
            )
            continue
        write[field] = wanted
    return write, conflicts


def locked_row(session: Session, model: Any, make: Callable[[], Any], **key: Any) -> Any:
    """The row with `key`, locked for this transaction; made (empty) when there is none. Two
    workstations making it at once: the second finds the first's row and merges into it."""

    def find() -> Any:
        stmt = select(model)
        for name, value in key.items():
            stmt = stmt.where(col(getattr(model, name)) == value)
        return session.exec(stmt.with_for_update()).first()

    row = find()
    if row is None:
        made = make()
        made.version = 0  # nothing saved yet: the first save makes it 1
        try:
            with session.begin_nested():
                session.add(made)
        except IntegrityError:
            pass
        row = find()
    return row


def apply(
    session: Session,
    row: Any,
    *,
    new: Mapping[str, Any],
    base: Base,
    viewer: Viewer,
    current: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """Merge `new` into `row` (a Stamped, Tracked table row, locked by the caller's
    transaction); stamp and count what is written. `current` overrides the stored values
    read from the row (fields that live elsewhere, e.g. an indstilling's interventions);
    such fields are returned for the caller to store and are not set on the row."""
    unknown = set(base) - set(new)
    if unknown:
        from rehabteam.errors import InvalidInput
        from rehabteam.i18n import t

        raise InvalidInput(t("edit.unknown_field", fields=", ".join(sorted(unknown))))
    stored = {f: getattr(row, f) for f in base if current is None or f not in current}
    if current is not None:
        stored.update({f: current[f] for f in base if f in current})

    def name(staff_id: int) -> str:
        member = session.get(StaffMember, staff_id)
        return member.name if member else ""

    write, conflicts = merge(
        current=stored, new=new, base=base, stamps=row.field_stamps or {}, names=name
    )
    if write:
        stamps = dict(row.field_stamps or {})
        now = utcnow().isoformat()
        for field, value in write.items():
            stamps[field] = [viewer.staff_id, now]
            if current is None or field not in current:
                setattr(row, field, value)
        row.field_stamps = stamps
        row.version += 1
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
    return write, conflicts
