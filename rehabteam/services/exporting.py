"""The dagsorden export: gather the agenda, write atomically inside the chosen folder, and
record the export in the audit trail. (The indstilling, letters and minutes are in
`services.documents`.)"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from rehabteam.exports.paths import resolve_inside, write_atomically
from rehabteam.exports.templating import template_path
from rehabteam.i18n import t
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services.agenda import get_agenda
from rehabteam.settings import Settings


def dagsorden_filename(*, session: Session, meeting_id: int, viewer: Viewer) -> str:
    from rehabteam.services.meetings import get_meeting

    meeting = get_meeting(session=session, meeting_id=meeting_id, viewer=viewer)
    return t("export.dagsorden_name", date=f"{meeting.date:%Y-%m-%d}", team=meeting.team)


def export_dagsorden(
    *,
    session: Session,
    meeting_id: int,
    target: Path | None = None,
    folder: Path | None = None,
    rulebook: RuleBook,
    settings: Settings,
    overwrite: bool = False,
    viewer: Viewer,
) -> Path:
    """Write the meeting's dagsorden to `target` (a file; its name is made safe), or into
    `folder` (created private if new) under the meeting's own name."""
    from rehabteam.exports.dagsorden import DagsordenDoc, write_dagsorden
    from rehabteam.services.documents import (
        audit_export,
        organisation_name,
        refuse_cancelled,
        require_whole_meeting,
    )
    from rehabteam.settings import ensure_private_dir

    if target is None:
        assert folder is not None, "a target file or a folder"
        ensure_private_dir(folder)
        # The name holds the team's name: made a safe file name inside the folder (a team
        # named "x/../../y" wrote the dagsorden outside the export folder).
        name = dagsorden_filename(session=session, meeting_id=meeting_id, viewer=viewer)
        target = resolve_inside(folder, name)

    agenda = get_agenda(
        session=session,
        meeting_id=meeting_id,
        rulebook=rulebook,
        deadline_workdays=settings.material_deadline_workdays,
        viewer=viewer,
    )
    refuse_cancelled(session, meeting_id)
    require_whole_meeting(session, meeting_id, len(agenda.items), "export.what_dagsorden")
    path = resolve_inside(target.parent, target.name)
    doc = DagsordenDoc(
        organisation=organisation_name(session, settings),
        agenda=agenda,
        outcomes={i.case_id: rulebook.get(i.rule_set).outcome for i in agenda.items},
    )
    template = template_path("dagsorden", settings.template_dir)
    written = write_atomically(
        path, lambda tmp: write_dagsorden(doc, tmp, template=template), overwrite=overwrite
    )
    audit_export(session, viewer, "dagsorden", meeting_id, [item.case_id for item in agenda.items])
    return written
