"""Gathering what the documents need, and exporting them: one document, or everything from
one meeting to a folder (optionally as PDF too). Every export is in the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import AccessDenied, ExportExists, InvalidInput, NotFound, RuleViolation
from rehabteam.exports.documents import (
    CitizenPart,
    IndstillingDoc,
    write_indstilling,
)
from rehabteam.exports.letter import write_borgerbrev
from rehabteam.exports.paths import resolve_inside, write_atomically
from rehabteam.exports.referat import (
    ReferatAssessment,
    ReferatCase,
    ReferatDoc,
    ReferatPerson,
    write_referat,
)
from rehabteam.exports.templating import template_path
from rehabteam.i18n import t
from rehabteam.models import Case, Citizen, Indstilling, StaffMember
from rehabteam.models.cpr import Cpr, mask_cpr
from rehabteam.models.enums import (
    AgendaStatus,
    AuditAction,
    CaseStatus,
    Discipline,
    IndstillingStatus,
    IndstillingType,
    MeetingStatus,
)
from rehabteam.models.read import AgendaItemRead, AssessmentRead, MeetingRead, ParticipantRead
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.access import require_case_access
from rehabteam.services.agenda import get_agenda
from rehabteam.services.assessments import get_assessments
from rehabteam.services.indstilling import to_read
from rehabteam.settings import Settings

Progress = Callable[[int, int, str], None]


def organisation_name(session: Session, settings: Settings) -> str:
    """The configured organisation; a demo database names its fictitious municipality
    unless an organisation is configured."""
    from rehabteam.models import AppMeta

    if "organisation_name" not in settings.explicit:
        stored = session.get(AppMeta, "organisation")
        if stored is not None and stored.value:
            return stored.value
    return settings.organisation_name


def _approved(session: Session, case_id: int) -> Indstilling:
    row = session.exec(
        select(Indstilling)
        .where(
            col(Indstilling.case_id) == case_id,
            col(Indstilling.status).in_(
                [IndstillingStatus.GODKENDT.value, IndstillingStatus.SENDT.value]
            ),
        )
        .order_by(col(Indstilling.version_no).desc())
    ).first()
    if row is None:
        raise InvalidInput(t("export.no_indstilling"))
    return row


def _allowed_by_law(case: Case, row: Indstilling, rulebook: RuleBook) -> None:
    """An indstilling the law in force on the case's referral date forbids (a ressourceforløb
    referred from 1 February 2026, stored under an older rule set) is not written out: a
    person decides first (`rehabteam rules check` lists such cases)."""
    if row.type is None:
        return
    for rule_set in (rulebook.get(case.rule_set), rulebook.for_date(case.referral_date)):
        if not rule_set.allows_indstilling(row.type):
            raise RuleViolation(
                t(
                    "export.not_allowed",
                    number=case.case_number,
                    type=t(f"IndstillingType.{row.type}"),
                    rule_set=rule_set.name,
                ),
                problems=[],
            )


def _content_problems(session: Session, row: Indstilling, rulebook: RuleBook) -> list[str]:
    """What the rules that guard approval find wrong with the indstilling as stored now (a
    value changed behind the application's back, data from before a check existed), under
    the case's own rule set as approval uses it."""
    from rehabteam.services.approval import approval_problems

    problems, _warnings = approval_problems(
        session=session, indstilling=to_read(session, row), rulebook=rulebook
    )
    return problems


def check_exportable(*, session: Session, case_id: int, rulebook: RuleBook) -> None:
    """Refuses (RuleViolation listing each problem) an approved indstilling that the rules of
    approval would refuse now: it is not sent to the citizen and the myndighed."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    row = _approved(session, case_id)
    _allowed_by_law(case, row, rulebook)
    problems = _content_problems(session, row, rulebook)
    if problems:
        rule_set = rulebook.get(case.rule_set)
        raise RuleViolation(
            t(
                "ind.export_refused_anbefaling"
                if rule_set.outcome == "anbefaling"
                else "ind.export_refused",
                number=case.case_number,
                rule_set=rule_set.name,
            ),
            problems=problems,
        )


_ROLE_ORDER = ("moedeleder", "referent", "medlem", "gaest")


def _role_rank(p: ParticipantRead) -> int:
    return _ROLE_ORDER.index(p.role) if p.role in _ROLE_ORDER else len(_ROLE_ORDER)


def _members(participants: Sequence[ParticipantRead]) -> list[tuple[str, str, str]]:
    """(name, discipline, role) of those recorded as present: the chair and the referent
    first, then the members, then guests (named by their organisation)."""
    present = [p for p in participants if p.attended is True]
    present.sort(key=_role_rank)
    return [
        (
            p.name,
            (p.organisation or t("Discipline.gaest"))
            if p.discipline == "gaest"
            else t(f"Discipline.{p.discipline}"),
            t(f"ParticipantRole.{p.role}"),
        )
        for p in present
    ]


def _citizen_attendance(name: str, item: AgendaItemRead | None) -> str:
    if item is None:
        return ""
    if item.citizen_present is True:
        if item.bisidder.strip():
            return t("ind.citizen_came_with", name=name, bisidder=item.bisidder.strip())
        return t("ind.citizen_came", name=name)
    if item.citizen_present is False or not item.citizen_attends:
        if item.absence_reason.strip():
            return t("ind.citizen_absent_reason", name=name, reason=item.absence_reason.strip())
        return t("ind.citizen_absent", name=name)
    return t("ind.citizen_unknown", name=name)


def _presenter(session: Session, case: Case) -> str:
    staff = session.get(StaffMember, case.sagsbehandler_id) if case.sagsbehandler_id else None
    if staff is None:
        return ""
    if staff.title:
        return t("ind.presenter_title", name=staff.name, title=staff.title)
    return t("ind.presenter", name=staff.name)


def _basis(session: Session, case: Case, rulebook: RuleBook) -> str:
    """What the team decided on: the preparation document the case's rule set names (the
    forberedende del, or the samlet beskrivelse) and the medical statement with its date."""
    from rehabteam.models import MedicalStatement

    parts = [rulebook.get(case.rule_set).preparation.name]
    medical = session.exec(
        select(MedicalStatement).where(col(MedicalStatement.case_id) == case.id)
    ).first()
    if medical is not None:
        kind = t(f"MedicalStatementKind.{medical.kind}")
        parts.append(
            t("ind.medical_received", kind=kind, date=f"{medical.received_on:%d.%m.%Y}")
            if medical.received_on is not None
            else t("ind.medical_missing", kind=kind)
        )
    return "; ".join(parts)


def indstilling_doc(
    *, session: Session, case_id: int, settings: Settings, rulebook: RuleBook, viewer: Viewer
) -> IndstillingDoc:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    citizen = session.get(Citizen, case.citizen_id)
    assert citizen is not None
    row = _approved(session, case_id)
    _allowed_by_law(case, row, rulebook)
    ind = to_read(session, row)
    name = f"{citizen.first_name} {citizen.last_name}"
    members: list[tuple[str, str, str]] = []
    meeting_date, meeting_place, attendance, presenter = None, "", "", ""
    if row.meeting_id is not None:
        agenda = get_agenda(
            session=session, meeting_id=row.meeting_id, rulebook=rulebook, viewer=viewer
        )
        meeting_date = agenda.meeting.date
        meeting_place = agenda.meeting.place or agenda.meeting.video_link
        members = _members(agenda.participants)
        item = next((i for i in agenda.items if i.case_id == case_id), None)
        attendance = _citizen_attendance(name, item)
        presenter = _presenter(session, case)
    disciplines = [
        "beskaeftigelse",
        "sundhed",
        "social",
        "undervisning",
        "sundhedskoordinator",
        "gaest",
    ]
    assessments = (
        get_assessments(
            session=session,
            case_id=case_id,
            meeting_id=row.meeting_id,
            disciplines=disciplines,
            viewer=viewer,
        )
        if row.meeting_id is not None
        else []
    )
    coordinator = (
        session.get(StaffMember, row.koordinerende_sagsbehandler_id)
        if row.koordinerende_sagsbehandler_id
        else None
    )
    from rehabteam.models.read import StaffRead

    cpr = Cpr(citizen.cpr).formatted if settings.document_cpr == "full" else mask_cpr(citizen.cpr)
    from rehabteam.services.disciplines import choice_text
    from rehabteam.services.health_advice import advice_row

    rule_set = rulebook.get(case.rule_set)
    advice = advice_row(session, case_id)
    advice_text = (
        t(
            "advice.doc_line",
            on=f"{advice.given_on:%d.%m.%Y}",
            form=t(f"AdviceForm.{advice.form}"),
            by=advice.given_by,
            text=advice.advice,
        )
        if advice is not None and advice.given_on is not None
        else ""
    )
    from rehabteam.services.letter import letter_fields

    return IndstillingDoc(
        **letter_fields(session, case, row, settings),
        **_dates_and_notes(session, case, row, rulebook),
        outcome=rule_set.outcome,
        citation=rule_set.citation_for(row.type),
        disciplines=choice_text(rule_set, case),
        health_advice=advice_text,
        organisation=organisation_name(session, settings),
        citizen=CitizenPart(
            name=name,
            first_name=citizen.first_name,
            cpr=cpr,
            address=citizen.address,
            postcode=citizen.postcode,
            city=citizen.city,
        ),
        case_number=case.case_number,
        case_type=t(f"CaseType.{case.case_type}"),
        rule_set_name=rule_set.name,
        meeting_date=meeting_date,
        meeting_place=meeting_place,
        members=members,
        citizen_attendance=attendance,
        presenter=presenter,
        basis=_basis(session, case, rulebook),
        indstilling=ind,
        assessments=assessments,
        koordinerende=StaffRead(
            id=coordinator.id or 0,
            name=coordinator.name,
            initials=coordinator.initials,
            discipline=coordinator.discipline,
            phone=coordinator.phone,
            email=coordinator.email,
        )
        if coordinator
        else None,
        koordinerende_title=coordinator.title if coordinator else "",
    )


def _dates_and_notes(
    session: Session, case: Case, row: Indstilling, rulebook: RuleBook
) -> dict[str, Any]:
    """The IndstillingDoc fields that follow from its dates: the day it was agreed (the
    document's date), the day it was sent before (a new export is a copy), the decision,
    and the note on a ressourceforløb agreed after the reform on a case referred before."""
    from rehabteam.models.followup import Decision

    def day(stamp: datetime | None) -> date | None:
        return None if stamp is None else stamp.astimezone().date()

    issued = day(row.approved_at)
    decision = session.exec(select(Decision).where(col(Decision.indstilling_id) == row.id)).first()
    note = ""
    kind = IndstillingType.RESSOURCEFORLOEB
    then = rulebook.for_date(issued or clock.today())
    case_rules = rulebook.get(case.rule_set)
    allowed_then = then.allows_indstilling(kind)
    if row.type == kind.value and case_rules.allows_indstilling(kind) and not allowed_then:
        # Since the first rule set that grants no new ones (reform2026a, not reform2026b).
        cutoff = min(
            rs.effective_from
            for rs in rulebook.all()
            if not rs.allows_indstilling(kind) and rs.effective_from <= then.effective_from
        )
        note = t(
            "docl.transition_note",
            cutoff=f"{cutoff:%d.%m.%Y}",
            rule_set=case_rules.name,
            now=then.name,
        )
    return {
        "issued_on": issued,
        "sent_on": day(row.sent_at),
        "decided_on": decision.decided_on if decision is not None else None,
        "decision_followed": decision.followed if decision is not None else True,
        "transition_note": note,
    }


def _referat_outcome(
    session: Session, item: AgendaItemRead, latest: Indstilling | None, rulebook: RuleBook
) -> tuple[str, str]:
    """What the team came to for the case, and what happens next."""
    if item.status in (AgendaStatus.UDSAT.value, AgendaStatus.AFLYST.value):
        kind = "postponed" if item.status == AgendaStatus.UDSAT.value else "cancelled"
        from rehabteam.models import AgendaItem, Meeting

        rebooked = session.exec(
            select(Meeting, AgendaItem)
            .join(AgendaItem, col(AgendaItem.meeting_id) == col(Meeting.id))
            .where(
                col(AgendaItem.case_id) == item.case_id,
                col(AgendaItem.status) == AgendaStatus.BOOKET.value,
                col(AgendaItem.meeting_id) != item.meeting_id,
            )
        ).first()
        next_step = (
            t(
                "referat.next.rebooked",
                date=f"{rebooked[0].date:%d.%m.%Y}",
                time=f"{rebooked[1].start_time:%H:%M}",
            )
            if rebooked is not None
            else t("referat.next.to_book")
            if kind == "postponed"
            else "-"
        )
        return t(f"outcome.{kind}", reason=item.status_reason), next_step
    if latest is None or latest.type is None:
        if item.status == AgendaStatus.BEHANDLET.value:
            return t("referat.handled_no_result"), t("referat.next.record_result")
        booked = item.status == AgendaStatus.BOOKET.value
        return t("outcome.not_handled"), t("referat.next.on_agenda") if booked else "-"
    draft = latest.status == IndstillingStatus.KLADDE.value
    outcome_kind = rulebook.get(item.rule_set).outcome
    word = t(f"outcome.word.{outcome_kind}")
    outcome = t(
        "outcome.draft" if draft else "outcome.approved",
        word=word,
        type=t(f"IndstillingType.{latest.type}"),
    )
    next_key = (
        "draft"
        if draft
        else "sent"
        if latest.status == IndstillingStatus.SENDT.value
        else f"approved.{outcome_kind}"
    )
    if not draft:
        problems = _content_problems(session, latest, rulebook)
        if problems:  # changed behind the application's back: it cannot be sent as it is
            return outcome, t("referat.next.fix", problems="; ".join(problems))
    return outcome, t(f"referat.next.{next_key}")


def _from_whom(assessments: list[AssessmentRead]) -> list[ReferatAssessment]:
    """Each discipline that gave an assessment: from whom, and who typed it if another."""
    return [
        ReferatAssessment(
            discipline=t(f"Discipline.{a.discipline}"),
            given_by=a.given_by or a.author or "-",
            typed_by=a.author if a.author and a.given_by and a.author != a.given_by else "",
        )
        for a in assessments
        if a.version and (a.vurdering or a.anbefalede_indsatser)
    ]


def _closed_at(session: Session, meeting_id: int) -> str:
    from rehabteam.models import Meeting

    row = session.get(Meeting, meeting_id)
    closed = row.closed_at if row is not None else None
    return closed.astimezone().strftime("%H:%M") if closed is not None else ""


def referat_draft_warning(meeting: MeetingRead) -> str:
    """The warning for a referat of a meeting not yet held ("" once it is held)."""
    if meeting.status == MeetingStatus.AFHOLDT.value:
        return ""
    return t("export.referat_draft", date=f"{meeting.date:%d.%m.%Y}")


def referat_doc(
    *, session: Session, meeting_id: int, settings: Settings, rulebook: RuleBook, viewer: Viewer
) -> ReferatDoc:
    agenda = get_agenda(session=session, meeting_id=meeting_id, rulebook=rulebook, viewer=viewer)
    status_text = {
        True: t("attendance.present"),
        False: t("attendance.absent"),
        None: t("attendance.unknown"),
    }
    cases = []
    for item in agenda.items:
        latest = session.exec(
            select(Indstilling)
            .where(
                col(Indstilling.case_id) == item.case_id,
                col(Indstilling.meeting_id) == meeting_id,
            )
            .order_by(col(Indstilling.version_no).desc())
        ).first()
        outcome, next_step = _referat_outcome(session, item, latest, rulebook)
        coordinator = (
            session.get(StaffMember, latest.koordinerende_sagsbehandler_id)
            if latest is not None and latest.koordinerende_sagsbehandler_id
            else None
        )
        present = status_text[item.citizen_present]
        if item.citizen_present is False and item.absence_reason:
            present = t("referat.absent_because", reason=item.absence_reason)
        assessments = get_assessments(
            session=session,
            case_id=item.case_id,
            meeting_id=meeting_id,
            disciplines=[d.value for d in Discipline],
            viewer=viewer,
        )
        cases.append(
            ReferatCase(
                time=f"{item.start:%H:%M}",
                citizen=item.citizen_name,
                cpr=item.cpr_masked,
                number=item.case_number,
                case_type=t(f"CaseType.{item.case_type}"),
                present=present,
                bisidder=item.bisidder,
                outcome=outcome,
                koordinerende=coordinator.name if coordinator is not None else "",
                next_step=next_step,
                assessments=_from_whom(assessments),
            )
        )
    m = agenda.meeting
    return ReferatDoc(
        organisation=organisation_name(session, settings),
        team=m.team,
        date=m.date,
        time=f"{m.start:%H:%M}-{m.end:%H:%M}",
        closed=_closed_at(session, meeting_id),
        place=m.place or m.video_link,
        chair=m.chair or "",
        referent=m.referent or "",
        held=m.status == MeetingStatus.AFHOLDT.value,
        attendance=[
            ReferatPerson(
                discipline=t(f"Discipline.{p.discipline}"),
                name=p.name,
                organisation=p.organisation if p.staff_id is None else "",
                status=(
                    t("referat.absent_because", reason=p.absence_reason)
                    if p.attended is False and p.absence_reason
                    else status_text[p.attended]
                ),
                role="" if p.staff_id is None else t(f"ParticipantRole.{p.role}").lower(),
            )
            # The chair and the referent first, as in the header.
            for p in sorted(agenda.participants, key=_role_rank)
        ],
        cases=cases,
    )


# --- writing ------------------------------------------------------------------------------


def audit_export(
    session: Session, viewer: Viewer, kind: str, entity_id: int, case_ids: list[int]
) -> None:
    """One entry per citizen in the document, naming who exported it, so each citizen's
    access request finds it."""
    targets: list[int | None] = list(case_ids) or [None]
    for case_id in targets:
        audit.record_case(
            session=session,
            actor=viewer,
            action=AuditAction.EXPORT,
            entity=kind,
            entity_id=entity_id,
            case_id=case_id,
        )


def _write(
    kind: str,
    target: Path,
    writer: Callable[[Path], object],
    *,
    overwrite: bool,
    session: Session,
    entity_id: int,
    case_ids: list[int],
    viewer: Viewer,
) -> Path:
    path = resolve_inside(target.parent, target.name)
    written = write_atomically(path, writer, overwrite=overwrite)
    audit_export(session, viewer, kind, entity_id, case_ids)
    return written


def export_indstilling(
    *,
    session: Session,
    case_id: int,
    target: Path,
    settings: Settings,
    rulebook: RuleBook,
    overwrite: bool = False,
    letter: bool = False,
    viewer: Viewer,
) -> Path:
    """The case's approved indstilling (or the letter) for staff on the case."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    # Sent to the citizen and the myndighed: the rules that guard approval guard it too.
    check_exportable(session=session, case_id=case_id, rulebook=rulebook)
    if letter and _decided(case):
        raise RuleViolation(
            t(
                "letter.decided",
                number=case.case_number,
                status=t(f"CaseStatus.{case.status}").lower(),
            )
        )
    return _send(
        session=session,
        case_id=case_id,
        target=target,
        settings=settings,
        rulebook=rulebook,
        overwrite=overwrite,
        letter=letter,
        viewer=viewer,
    )


def _send(
    *,
    session: Session,
    case_id: int,
    target: Path,
    settings: Settings,
    rulebook: RuleBook,
    overwrite: bool,
    letter: bool,
    viewer: Viewer,
) -> Path:
    """Writes a checked indstilling (or its letter); the indstilling itself is then sent."""
    written = write_indstilling_file(
        session=session,
        case_id=case_id,
        target=target,
        settings=settings,
        rulebook=rulebook,
        overwrite=overwrite,
        letter=letter,
        viewer=viewer,
    )
    if not letter:
        # Exported for sending to the citizen and the myndighed: it now awaits the decision.
        from rehabteam.services.followup import mark_sent

        mark_sent(session=session, case_id=case_id)
    return written


def write_indstilling_file(
    *,
    session: Session,
    case_id: int,
    target: Path,
    settings: Settings,
    rulebook: RuleBook,
    overwrite: bool = False,
    letter: bool = False,
    viewer: Viewer,
) -> Path:
    """The document itself, for staff on the case (or an administrator's access request)."""
    doc = indstilling_doc(
        session=session, case_id=case_id, settings=settings, rulebook=rulebook, viewer=viewer
    )
    name = "borgerbrev" if letter else "indstilling"
    template = template_path(name, settings.template_dir)
    write = write_borgerbrev if letter else write_indstilling
    return _write(
        name,
        target,
        lambda tmp: write(doc, tmp, template=template),
        overwrite=overwrite,
        session=session,
        entity_id=case_id,
        case_ids=[case_id],
        viewer=viewer,
    )


def export_referat(
    *,
    session: Session,
    meeting_id: int,
    target: Path,
    settings: Settings,
    rulebook: RuleBook,
    overwrite: bool = False,
    viewer: Viewer,
) -> Path:
    """The minutes of the whole meeting, for those who may see all its cases; a cancelled
    meeting has none."""

    refuse_cancelled(session, meeting_id)
    doc = referat_doc(
        session=session, meeting_id=meeting_id, settings=settings, rulebook=rulebook, viewer=viewer
    )
    template = template_path("referat", settings.template_dir)
    case_ids = _meeting_case_ids(session, meeting_id, viewer)
    require_whole_meeting(session, meeting_id, len(case_ids), "export.what_referat")
    return _write(
        "referat",
        target,
        lambda tmp: write_referat(doc, tmp, template=template),
        overwrite=overwrite,
        session=session,
        entity_id=meeting_id,
        case_ids=case_ids,
        viewer=viewer,
    )


def refuse_cancelled(session: Session, meeting_id: int) -> None:
    """A cancelled meeting has no dagsorden and no minutes to send (its calendar file says
    it is cancelled)."""
    from rehabteam.models import Meeting

    meeting = session.get(Meeting, meeting_id)
    if meeting is not None and meeting.status == MeetingStatus.AFLYST.value:
        raise InvalidInput(t("referat.cancelled"))


def require_whole_meeting(session: Session, meeting_id: int, seen: int, what: str) -> None:
    """The dagsorden and the minutes are the team's record of the whole meeting: one written
    by someone who sees only some of its cases left the others out and looked complete."""
    from sqlalchemy import func

    from rehabteam.models import AgendaItem

    total = session.exec(
        select(func.count()).select_from(AgendaItem).where(col(AgendaItem.meeting_id) == meeting_id)
    ).one()
    if seen < total:
        raise AccessDenied(
            t("export.partial_meeting", what=t(what), seen=seen, total=total),
            entity="meeting",
            entity_id=meeting_id,
        )


def _meeting_case_ids(session: Session, meeting_id: int, viewer: Viewer) -> list[int]:
    from rehabteam.models import AgendaItem
    from rehabteam.services.access import visible_cases

    return list(
        session.exec(
            select(AgendaItem.case_id).where(
                col(AgendaItem.meeting_id) == meeting_id,
                col(AgendaItem.case_id).in_(select(Case.id).where(visible_cases(viewer))),
            )
        ).all()
    )


@dataclass(frozen=True)
class PlannedFile:
    name: str
    kind: str  # indstilling | borgerbrev | referat | dagsorden | kalender
    key: int  # case id, or meeting id


DECIDED = {CaseStatus.AFGJORT.value, CaseStatus.AFSLUTTET.value, CaseStatus.ANNULLERET.value}


def _decided(case: Case) -> bool:
    """The municipality has decided (or the case is closed): the letter that says a decision
    will come is not sent any more; the decision letter is the municipality's."""
    return case.status in DECIDED


def meeting_files(
    *, session: Session, meeting_id: int, rulebook: RuleBook, viewer: Viewer
) -> list[PlannedFile]:
    """What a meeting's batch export writes: the dagsorden, per case with an approved
    indstilling the indstilling and the letter, the minutes, and the meeting's calendar file.
    Named by date and case number, never CPR."""
    return _meeting_plan(session, meeting_id, rulebook, viewer)[0]


def meeting_left_out(
    *, session: Session, meeting_id: int, rulebook: RuleBook, viewer: Viewer
) -> list[str]:
    """What a meeting's batch export leaves out, case by case and why, for the person who
    counts the files (six cases, four indstillinger: which two, and why)."""
    return _meeting_plan(session, meeting_id, rulebook, viewer)[1]


def _meeting_plan(
    session: Session, meeting_id: int, rulebook: RuleBook, viewer: Viewer
) -> tuple[list[PlannedFile], list[str]]:
    agenda = get_agenda(session=session, meeting_id=meeting_id, rulebook=rulebook, viewer=viewer)
    day = f"{agenda.meeting.date:%Y-%m-%d}"
    files = [PlannedFile(t("export.name_dagsorden", date=day), "dagsorden", meeting_id)]
    left_out: list[str] = []
    for item in agenda.items:
        approved = session.exec(
            select(Indstilling.id).where(
                col(Indstilling.case_id) == item.case_id,
                col(Indstilling.status).in_(
                    [IndstillingStatus.GODKENDT.value, IndstillingStatus.SENDT.value]
                ),
            )
        ).first()
        outcome = rulebook.get(item.rule_set).outcome
        if approved is None:
            if item.status in (AgendaStatus.UDSAT, AgendaStatus.AFLYST):
                left_out.append(t(f"export.left_out_{item.status.value}", number=item.case_number))
            else:
                left_out.append(
                    t(
                        "export.left_out_unapproved",
                        number=item.case_number,
                        outcome=t(f"outcome.word.{outcome}").lower(),
                    )
                )
            continue
        files.append(
            PlannedFile(
                t(
                    f"export.name_{outcome}",
                    date=day,
                    number=item.case_number,
                ),
                "indstilling",
                item.case_id,
            )
        )
        if item.case_status.value in DECIDED:
            # decided since: no letter that says a decision will come
            left_out.append(t("export.left_out_letter", number=item.case_number))
            continue
        files.append(
            PlannedFile(
                t("export.name_borgerbrev", date=day, number=item.case_number),
                "borgerbrev",
                item.case_id,
            )
        )
    files.append(PlannedFile(t("export.name_referat", date=day), "referat", meeting_id))
    files.append(PlannedFile(t("export.name_kalender", date=day), "kalender", meeting_id))
    return files, left_out


def export_meeting(
    *,
    session: Session,
    meeting_id: int,
    folder: Path,
    settings: Settings,
    rulebook: RuleBook,
    overwrite: bool = False,
    pdf: bool = False,
    progress: Progress | None = None,
    viewer: Viewer,
) -> list[Path]:
    """Everything from one meeting into `folder` (created private if new). Existing files
    are listed and nothing is written unless `overwrite`; each file is written whole or not
    at all."""
    from rehabteam.exports.pdf import convert_many, soffice_path
    from rehabteam.settings import ensure_private_dir

    refuse_cancelled(session, meeting_id)  # before the first file, not after the dagsorden
    seen = _meeting_case_ids(session, meeting_id, viewer)
    require_whole_meeting(session, meeting_id, len(seen), "export.what_meeting")
    ensure_private_dir(folder)
    files = meeting_files(session=session, meeting_id=meeting_id, rulebook=rulebook, viewer=viewer)
    targets = [resolve_inside(folder, f.name) for f in files]
    # With --pdf the PDFs beside them are written too: an existing one is not replaced
    # without `overwrite` either.
    # The calendar file is no document: it has no PDF.
    convertible = [p for p, f in zip(targets, files, strict=True) if f.kind != "kalender"]
    outputs = targets + ([p.with_suffix(".pdf") for p in convertible] if pdf else [])
    existing = [p.name for p in outputs if p.exists()]
    if existing and not overwrite:
        raise ExportExists(t("export.existing", names=", ".join(existing)))
    if pdf and soffice_path() is None:
        raise InvalidInput(t("export.no_soffice"))
    # Every indstilling is checked before the first file is written: nothing or everything.
    for planned in files:
        if planned.kind == "indstilling":
            check_exportable(session=session, case_id=planned.key, rulebook=rulebook)
    written: list[Path] = []
    total = len(files) + (1 if pdf else 0)
    for planned, target in zip(files, targets, strict=True):
        if progress:
            progress(len(written), total, target.name)
        if planned.kind in ("dagsorden", "kalender"):
            path = _export_meeting_file(
                planned.kind,
                session=session,
                meeting_id=meeting_id,
                target=target,
                settings=settings,
                rulebook=rulebook,
                viewer=viewer,
            )
        elif planned.kind == "referat":
            path = export_referat(
                session=session,
                meeting_id=meeting_id,
                target=target,
                settings=settings,
                rulebook=rulebook,
                overwrite=True,
                viewer=viewer,
            )
        else:
            # Checked above, with every other indstilling of the meeting.
            path = _send(
                session=session,
                case_id=planned.key,
                target=target,
                settings=settings,
                rulebook=rulebook,
                overwrite=True,
                letter=planned.kind == "borgerbrev",
                viewer=viewer,
            )
        written.append(path)
    if pdf:
        if progress:
            progress(len(written), total, t("export.pdf_step"))
        written += convert_many([p for p in written if p.suffix == ".docx"])
    if progress:
        progress(total, total, "")
    return written


def _export_meeting_file(
    kind: str,
    *,
    session: Session,
    meeting_id: int,
    target: Path,
    settings: Settings,
    rulebook: RuleBook,
    viewer: Viewer,
) -> Path:
    """The batch's dagsorden or calendar file (their own services write them)."""
    if kind == "kalender":
        from rehabteam.services.invitation import export_calendar

        return export_calendar(
            session=session, meeting_id=meeting_id, target=target, overwrite=True, viewer=viewer
        )
    from rehabteam.services.exporting import export_dagsorden

    return export_dagsorden(
        session=session,
        meeting_id=meeting_id,
        target=target,
        rulebook=rulebook,
        settings=settings,
        overwrite=True,
        viewer=viewer,
    )
