"""Writing documents: gather the read model, write atomically inside the chosen folder,
and record the export in the audit trail."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from rehabteam.exports.paths import resolve_inside, write_atomically
from rehabteam.i18n import t
from rehabteam.models.enums import AuditAction
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.agenda import get_agenda


def dagsorden_filename(*, session: Session, meeting_id: int) -> str:
    from rehabteam.services.meetings import get_meeting

    meeting = get_meeting(session=session, meeting_id=meeting_id)
    return t("export.dagsorden_name", date=f"{meeting.date:%Y-%m-%d}", team=meeting.team)


def export_dagsorden(
    *,
    session: Session,
    meeting_id: int,
    target: Path,
    rulebook: RuleBook,
    organisation: str,
    deadline_workdays: int = 5,
    overwrite: bool = False,
    actor_id: int | None = None,
) -> Path:
    """Write the meeting's dagsorden to `target` (a file; its name is made safe)."""
    from rehabteam.exports.dagsorden import DagsordenDoc, write_dagsorden

    agenda = get_agenda(
        session=session,
        meeting_id=meeting_id,
        rulebook=rulebook,
        deadline_workdays=deadline_workdays,
    )
    path = resolve_inside(target.parent, target.name)
    doc = DagsordenDoc(organisation=organisation, agenda=agenda)
    written = write_atomically(path, lambda tmp: write_dagsorden(doc, tmp), overwrite=overwrite)
    audit.record(
        session=session,
        action=AuditAction.EXPORT,
        entity="dagsorden",
        entity_id=meeting_id,
        actor_id=actor_id,
    )
    return written
