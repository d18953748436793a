"""Exporting the citizen's meeting invitation (per case on an agenda) and the meeting's
calendar file (.ics): gathered with the viewer's access, written atomically inside the
chosen folder, each export in the audit trail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound
from rehabteam.exports.dagsorden import phase_minutes, plus_minutes
from rehabteam.exports.invitation import Contact, InvitationDoc
from rehabteam.exports.paths import resolve_inside, write_atomically
from rehabteam.exports.templating import template_path
from rehabteam.i18n import t
from rehabteam.models import Case, Citizen, StaffMember
from rehabteam.models.enums import AgendaStatus, MeetingStatus, ParticipantRole
from rehabteam.models.read import AgendaItemRead, AgendaRead
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services.access import require_case_access
from rehabteam.services.agenda import get_agenda
from rehabteam.settings import Settings


def _target(target: Path | None, folder: Path | None, name: str) -> Path:
    from rehabteam.settings import ensure_private_dir

    if target is None:
        assert folder is not None, "a target file or a folder"
        ensure_private_dir(folder)
        return resolve_inside(folder, name)
    return resolve_inside(target.parent, target.name)


def _people(agenda: AgendaRead, item: AgendaItemRead) -> list[str]:
    """Who the citizen meets, by name and role: the members, guests, then the citizen's
    own sagsbehandler when not among them."""
    people = []
    for p in agenda.participants:
        if p.attended is False:
            continue
        what = p.organisation or t(f"Discipline.{p.discipline}")
        if p.role in (ParticipantRole.MOEDELEDER, ParticipantRole.REFERENT):
            role = t(f"ParticipantRole.{p.role}").lower()
            people.append(t("inv.member_role", name=p.name, discipline=what, role=role))
        else:
            people.append(t("inv.member", name=p.name, discipline=what))
    if item.sagsbehandler and item.sagsbehandler not in {p.name for p in agenda.participants}:
        people.append(t("inv.sagsbehandler", name=item.sagsbehandler))
    return people


def invitation_doc(
    *,
    session: Session,
    meeting_id: int,
    case_id: int,
    settings: Settings,
    rulebook: RuleBook,
    viewer: Viewer,
) -> tuple[InvitationDoc, AgendaItemRead]:
    from rehabteam.services.documents import organisation_name

    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    agenda = get_agenda(session=session, meeting_id=meeting_id, rulebook=rulebook, viewer=viewer)
    status = agenda.meeting.status
    if status in (MeetingStatus.AFLYST, MeetingStatus.AFHOLDT):
        raise InvalidInput(t(f"inv.meeting_{status.value}"))
    if agenda.meeting.date < clock.today():
        raise InvalidInput(t("inv.past", date=f"{agenda.meeting.date:%d.%m.%Y}"))
    if not (agenda.meeting.place or agenda.meeting.video_link).strip():
        raise InvalidInput(t("inv.no_place"))  # never "Hvor: -" to a citizen
    item = next((i for i in agenda.items if i.case_id == case_id), None)
    if item is None:
        raise InvalidInput(t("inv.no_item"))
    if item.status is not AgendaStatus.BOOKET:
        raise InvalidInput(t("inv.not_booked"))
    if not item.citizen_attends:
        raise InvalidInput(t("inv.citizen_absent", reason=item.absence_reason or "-"))
    citizen = session.get(Citizen, case.citizen_id)
    assert citizen is not None
    organisation = organisation_name(session, settings)
    worker = session.get(StaffMember, case.sagsbehandler_id) if case.sagsbehandler_id else None
    phone, email = settings.organisation_phone, settings.organisation_email
    unit = t("inv.unit", organisation=organisation)
    if worker is not None and (worker.phone or worker.email):
        contact = Contact(name=worker.name, phone=worker.phone, email=worker.email)
    elif worker is not None:  # the unit's number, said to be the unit's, not the person's
        contact = Contact(
            name=t("inv.through_unit", name=worker.name, unit=unit), phone=phone, email=email
        )
    else:
        contact = Contact(name=unit, phone=phone, email=email)
    if not (contact.phone or contact.email):
        raise InvalidInput(t("inv.no_contact", name=contact.name))  # whom would they call?
    formoede, dialog, _after = phase_minutes(item.slot_minutes)

    meeting = agenda.meeting
    doc = InvitationDoc(
        organisation=organisation,
        citizen_name=f"{citizen.first_name} {citizen.last_name}",
        first_name=citizen.first_name,
        address=citizen.address,
        postcode=citizen.postcode,
        city=citizen.city,
        day=meeting.date,
        start=plus_minutes(item.start, formoede),
        minutes=dialog,
        place=meeting.place,
        video_link=meeting.video_link,
        people=_people(agenda, item),
        bisidder=item.bisidder,
        contact=contact,
    )
    return doc, item


def late_notice(day: date, settings: Settings) -> str:
    """What to tell the user who exports an invitation for a meeting on `day` that is
    fewer than `invitation_notice_days` away ("" when there is time)."""
    days = (day - clock.today()).days
    if days >= settings.invitation_notice_days:
        return ""
    if days <= 0:
        return t("inv.late_today")
    return t("inv.late", days=days, date=f"{day:%d.%m.%Y}")


def invitation_filename(*, day: str, number: str) -> str:
    return t("export.indkaldelse_name", date=day, number=number)


def export_invitation(
    *,
    session: Session,
    meeting_id: int,
    case_id: int,
    target: Path | None = None,
    folder: Path | None = None,
    settings: Settings,
    rulebook: RuleBook,
    overwrite: bool = False,
    viewer: Viewer,
) -> Path:
    """The invitation of the citizen of `case_id` to meeting `meeting_id` as .docx: into
    `target`, or into `folder` under its own name (date and case number, never CPR)."""
    from rehabteam.exports.invitation import write_invitation
    from rehabteam.services.documents import audit_export

    doc, item = invitation_doc(
        session=session,
        meeting_id=meeting_id,
        case_id=case_id,
        settings=settings,
        rulebook=rulebook,
        viewer=viewer,
    )
    name = invitation_filename(day=f"{doc.day:%Y-%m-%d}", number=item.case_number)
    path = _target(target, folder, name)
    template = template_path("indkaldelse", settings.template_dir)
    written = write_atomically(
        path, lambda tmp: write_invitation(doc, tmp, template=template), overwrite=overwrite
    )
    audit_export(session, viewer, "indkaldelse", meeting_id, [case_id])
    return written


def export_calendar(
    *,
    session: Session,
    meeting_id: int,
    target: Path | None = None,
    folder: Path | None = None,
    overwrite: bool = False,
    viewer: Viewer,
) -> Path:
    """The meeting as an .ics file for the members' calendars (no case data in it)."""
    from rehabteam.exports.calendar import meeting_uid, write_calendar
    from rehabteam.models import Meeting
    from rehabteam.services.documents import audit_export
    from rehabteam.services.meetings import get_meeting

    meeting = get_meeting(session=session, meeting_id=meeting_id, viewer=viewer)
    name = t("export.kalender_name", date=f"{meeting.date:%Y-%m-%d}", team=meeting.team)
    path = _target(target, folder, name)
    row = session.get(Meeting, meeting_id)
    assert row is not None  # get_meeting found it
    uid = meeting_uid(meeting_id, row.created_at)
    written = write_atomically(
        # Version 1 is the meeting as first made: SEQUENCE 0; each change adds one.
        path,
        lambda tmp: write_calendar(meeting, tmp, uid, row.version - 1),
        overwrite=overwrite,
    )
    audit_export(session, viewer, "kalender", meeting_id, [])
    return written
