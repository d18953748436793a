"""What the letter to the citizen (borgerbrev) needs beyond the indstilling: the person the
citizen calls, who also signs, and whether the citizen came to the meeting."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from rehabteam.models import AgendaItem, Case, Indstilling, StaffMember
from rehabteam.settings import Settings


def letter_fields(
    session: Session, case: Case, row: Indstilling, settings: Settings
) -> dict[str, Any]:
    """The `IndstillingDoc` fields of the letter. The contact is the koordinerende
    sagsbehandler, else the case's sagsbehandler, else the unit (the organisation) with the
    configured phone and e-mail; a person without a phone or e-mail of their own is reached
    through the unit's."""
    from rehabteam.services.documents import organisation_name

    fields: dict[str, Any] = {
        "citizen_present": _citizen_present(session, case, row),
        "answer_days": settings.answer_days_for(row.type or ""),
    }
    for role, staff_id in (
        ("koordinerende", row.koordinerende_sagsbehandler_id),
        ("sagsbehandler", case.sagsbehandler_id),
    ):
        person = session.get(StaffMember, staff_id) if staff_id else None
        if person is not None and person.active and person.name.strip():
            return fields | {
                "contact_role": role,
                "contact_name": person.name,
                "contact_title": person.title,
                "contact_phone": person.phone or settings.organisation_phone,
                "contact_email": person.email or settings.organisation_email,
            }
    return fields | {
        "contact_role": "unit",
        "contact_name": organisation_name(session, settings),
        "contact_title": "",
        "contact_phone": settings.organisation_phone,
        "contact_email": settings.organisation_email,
    }


def _citizen_present(session: Session, case: Case, row: Indstilling) -> bool | None:
    """Whether the citizen came to the meeting that agreed the indstilling (None when it was
    not recorded, or the indstilling has no meeting)."""
    if row.meeting_id is None:
        return None
    return session.exec(
        select(AgendaItem.citizen_present).where(
            col(AgendaItem.meeting_id) == row.meeting_id,
            col(AgendaItem.case_id) == case.id,
        )
    ).first()
