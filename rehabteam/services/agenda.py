"""Planning a team meeting and building its agenda (DOMAIN: meeting practice, rules 2, 3, 6).

A booked case gets the next free slot; reordering recomputes the slot times. A case is on at
most one upcoming agenda, two meetings of one team never overlap, and the checks the chair
must see before sending the agenda are computed here, in the user's language.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound, RuleViolation
from rehabteam.i18n import label, t
from rehabteam.models import (
    AgendaItem,
    Case,
    CaseDocument,
    Citizen,
    MedicalStatement,
    Meeting,
    MeetingParticipant,
    StaffMember,
)
from rehabteam.models.base import utcnow
from rehabteam.models.cpr import age_on, mask_cpr
from rehabteam.models.enums import (
    AgendaStatus,
    AuditAction,
    CaseStatus,
    Discipline,
    DocumentKind,
    MeetingStatus,
    ParticipantRole,
)
from rehabteam.models.inputs import AttendanceInput, MeetingCreate
from rehabteam.models.read import AgendaItemRead, AgendaRead, MeetingRead, ParticipantRead
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.access import (
    require_case_access,
    require_meeting_chair,
    require_meeting_runner,
    require_meeting_view,
    require_planner,
    visible_cases,
)
from rehabteam.services.meetings import meeting_read
from rehabteam.services.preparation import missing_for_case, refresh_status

ACTIVE = (MeetingStatus.PLANLAGT.value, MeetingStatus.I_GANG.value)


def working_days_before(day: date, workdays: int) -> date:
    """The date `workdays` working days (Monday-Friday) before `day`. Public holidays are
    not known here; a municipality that needs them sets a larger deadline."""
    current = day
    left = workdays
    while left > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _add_minutes(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()


def slot_start(meeting: Meeting, position: int) -> time:
    """When the meeting's slot at `position` (0: the first) begins."""
    return _add_minutes(meeting.start_time, position * meeting.slot_minutes)


def _meeting_row(session: Session, meeting_id: int, *, lock: bool = False) -> Meeting:
    stmt = select(Meeting).where(col(Meeting.id) == meeting_id)
    if lock:
        stmt = stmt.with_for_update()
    meeting = session.exec(stmt).first()
    if meeting is None:
        raise NotFound(t("meeting.not_found"))
    return meeting


def _audit(
    session: Session,
    action: AuditAction,
    entity: str,
    entity_id: int | None,
    *,
    case: Case | None = None,
    viewer: Viewer,
    detail: str = "",
) -> None:
    audit.record_case(
        session=session,
        actor=viewer,
        action=action,
        entity=entity,
        entity_id=entity_id,
        case_id=case.id if case else None,
        detail=detail,
    )


# --- planning ----------------------------------------------------------------------------


def _check_overlap(
    session: Session, team_id: int, day: date, start: time, end: time, ignore_id: int | None = None
) -> None:
    others = session.exec(
        select(Meeting).where(
            col(Meeting.team_id) == team_id,
            col(Meeting.date) == day,
            col(Meeting.status) != MeetingStatus.AFLYST.value,
        )
    ).all()
    for other in others:
        if other.id != ignore_id and other.start_time < end and start < other.end_time:
            raise RuleViolation(
                t(
                    "meeting.overlap",
                    start=f"{other.start_time:%H:%M}",
                    end=f"{other.end_time:%H:%M}",
                ),
                field="start",
            )


def plan_meeting(*, session: Session, data: MeetingCreate, viewer: Viewer) -> MeetingRead:
    require_planner(session, data.team_id, viewer)
    _check_overlap(session, data.team_id, data.date, data.start_time, data.end_time)
    meeting = Meeting(
        team_id=data.team_id,
        date=data.date,
        start_time=data.start_time,
        end_time=data.end_time,
        place=data.place,
        video_link=data.video_link,
        chair_id=data.chair_id,
        referent_id=data.referent_id,
        slot_minutes=data.slot_minutes,
        capacity=data.capacity,
        status=MeetingStatus.PLANLAGT.value,
    )
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    seen: set[int] = set()
    roles = {data.chair_id: ParticipantRole.MOEDELEDER, data.referent_id: ParticipantRole.REFERENT}
    for staff_id, discipline in data.members + [
        (sid, "") for sid in (data.chair_id, data.referent_id) if sid is not None
    ]:
        if staff_id in seen:
            continue
        member = session.get(StaffMember, staff_id)
        if member is None:
            raise NotFound(t("staff.not_found"))
        seen.add(staff_id)
        session.add(
            MeetingParticipant(
                meeting_id=meeting.id,
                staff_id=staff_id,
                discipline=Discipline(discipline or member.discipline).value,
                role=roles.get(staff_id, ParticipantRole.MEDLEM).value,
            )
        )
    for guest in data.guests:
        session.add(
            MeetingParticipant(
                meeting_id=meeting.id,
                guest_name=guest.name,
                guest_organisation=guest.organisation,
                discipline=Discipline.GAEST.value,
                role=ParticipantRole.GAEST.value,
            )
        )
    session.flush()
    _audit(session, AuditAction.CREATE, "meeting", meeting.id, viewer=viewer)
    return meeting_read(session, meeting.id)


def add_participant(
    *,
    session: Session,
    meeting_id: int,
    staff_id: int,
    discipline: Discipline | None = None,
    viewer: Viewer,
) -> None:
    """Add a staff member to the meeting; they may then open its cases (the chair's call)."""
    require_meeting_chair(session, _meeting_row(session, meeting_id), viewer)
    _meeting_row(session, meeting_id, lock=True)
    member = session.get(StaffMember, staff_id)
    if member is None:
        raise NotFound(t("staff.not_found"))
    exists = session.exec(
        select(MeetingParticipant).where(
            col(MeetingParticipant.meeting_id) == meeting_id,
            col(MeetingParticipant.staff_id) == staff_id,
        )
    ).first()
    if exists is not None:
        return
    session.add(
        MeetingParticipant(
            meeting_id=meeting_id,
            staff_id=staff_id,
            discipline=(discipline or Discipline(member.discipline)).value,
            role=ParticipantRole.MEDLEM.value,
        )
    )
    session.flush()
    _audit(
        session,
        AuditAction.UPDATE,
        "meeting",
        meeting_id,
        viewer=viewer,
        detail=f"participant+{staff_id}",
    )


def remove_participant(*, session: Session, participant_id: int, viewer: Viewer) -> None:
    row = session.get(MeetingParticipant, participant_id)
    if row is None:
        raise NotFound(t("meeting.participant_not_found"))
    require_meeting_chair(session, _meeting_row(session, row.meeting_id), viewer)
    if row.role in (ParticipantRole.MOEDELEDER.value, ParticipantRole.REFERENT.value):
        raise InvalidInput(t("meeting.cannot_remove_role", role=label(ParticipantRole(row.role))))
    session.delete(row)
    session.flush()
    _audit(
        session,
        AuditAction.UPDATE,
        "meeting",
        row.meeting_id,
        viewer=viewer,
        detail=f"participant-{row.staff_id or 'guest'}",
    )


# --- the agenda --------------------------------------------------------------------------


def _booked(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.exec(
            select(AgendaItem)
            .where(
                col(AgendaItem.meeting_id) == meeting_id,
                col(AgendaItem.status) == AgendaStatus.BOOKET.value,
            )
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )


def _renumber(session: Session, meeting: Meeting) -> None:
    """Positions 0..n-1 in order and slot times from the meeting's start."""
    for position, item in enumerate(_booked(session, meeting.id or 0)):
        item.position = position
        item.start_time = slot_start(meeting, position)
        item.slot_minutes = meeting.slot_minutes
        item.updated_at = utcnow()
        session.add(item)
    session.flush()


def book_case(
    *,
    session: Session,
    meeting_id: int,
    case_id: int,
    rulebook: RuleBook,
    viewer: Viewer,
) -> AgendaItemRead:
    """Put a `klar` case in the meeting's next free slot."""
    require_meeting_runner(session, _meeting_row(session, meeting_id), viewer)
    meeting = _meeting_row(session, meeting_id, lock=True)
    if meeting.status not in ACTIVE or meeting.date < clock.today():
        raise RuleViolation(t("agenda.meeting_closed"))
    case = session.exec(select(Case).where(col(Case.id) == case_id).with_for_update()).first()
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    already = session.exec(
        select(AgendaItem, Meeting)
        .join(Meeting, col(Meeting.id) == col(AgendaItem.meeting_id))
        .where(
            col(AgendaItem.case_id) == case_id, col(AgendaItem.status) == AgendaStatus.BOOKET.value
        )
    ).first()
    if already is not None:
        raise RuleViolation(t("agenda.already_booked", date=f"{already[1].date:%d.%m.%Y}"))
    if case.status != CaseStatus.KLAR.value:
        missing = missing_for_case(session, case, rulebook)
        raise RuleViolation(
            t("agenda.not_ready", status=t(f"CaseStatus.{case.status}")), problems=missing
        )
    # After the last slot taken: a case handled keeps its slot (counting the cases still
    # booked gave a new one the slot of the last of them, once a case was handled).
    taken = session.exec(
        select(func.max(AgendaItem.position)).where(
            col(AgendaItem.meeting_id) == meeting_id,
            col(AgendaItem.status).in_([AgendaStatus.BOOKET.value, AgendaStatus.BEHANDLET.value]),
        )
    ).one()
    position = 0 if taken is None else taken + 1
    item = AgendaItem(
        meeting_id=meeting_id,
        case_id=case_id,
        position=position,
        start_time=slot_start(meeting, position),
        slot_minutes=meeting.slot_minutes,
        status=AgendaStatus.BOOKET.value,
        bisidder=case.bisidder_wish,
    )
    session.add(item)
    case.status = CaseStatus.BOOKET.value
    case.status_changed_on = clock.today()
    session.add(case)
    session.flush()
    _audit(
        session,
        AuditAction.UPDATE,
        "agenda_item",
        item.id,
        case=case,
        viewer=viewer,
        detail=f"booked:meeting={meeting_id}",
    )
    return item_read(session, item, rulebook)


def _item_row(session: Session, item_id: int, viewer: Viewer) -> AgendaItem:
    """An agenda item, for a change by whoever runs its meeting."""
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(t("agenda.item_not_found"))
    require_meeting_runner(session, _meeting_row(session, item.meeting_id), viewer)
    return item


def move_up_down(*, session: Session, item_id: int, step: int, viewer: Viewer) -> None:
    """Swap a booked item with its neighbour (`step` -1: earlier, +1: later)."""
    item = _item_row(session, item_id, viewer)
    meeting = _meeting_row(session, item.meeting_id, lock=True)
    booked = _booked(session, item.meeting_id)
    index = next((i for i, row in enumerate(booked) if row.id == item_id), None)
    if index is None:
        raise RuleViolation(t("agenda.not_booked"))
    other = index + step
    if not 0 <= other < len(booked):
        return
    booked[index], booked[other] = booked[other], booked[index]
    for position, row in enumerate(booked):
        row.position = position
        session.add(row)
    session.flush()
    _renumber(session, meeting)
    _audit(session, AuditAction.UPDATE, "agenda_item", item_id, viewer=viewer, detail="reordered")


def _release(
    session: Session,
    item: AgendaItem,
    status: AgendaStatus,
    reason: str,
    rulebook: RuleBook,
    viewer: Viewer,
    keep_slots: bool = False,
) -> Case:
    """Take the item off the agenda. While the meeting is planned the later cases move up
    into the free slot; once it has begun (or when it closes, `keep_slots`) every case keeps
    the slot it had, so the minutes show when each case was on."""
    if item.status != AgendaStatus.BOOKET.value:
        raise RuleViolation(t("agenda.not_booked"))
    item.status = status.value
    item.status_reason = reason
    item.updated_at = utcnow()
    session.add(item)
    case = session.get(Case, item.case_id)
    assert case is not None
    case.status = CaseStatus.KLAR.value
    session.add(case)
    session.flush()
    refresh_status(
        session, case, rulebook, viewer
    )  # back to forberedelse if something is missing now
    meeting = _meeting_row(session, item.meeting_id)
    if not keep_slots and meeting.status == MeetingStatus.PLANLAGT.value:
        _renumber(session, meeting)
    _audit(
        session,
        AuditAction.UPDATE,
        "agenda_item",
        item.id,
        case=case,
        viewer=viewer,
        detail=status.value,
    )
    return case


def postpone(
    *,
    session: Session,
    item_id: int,
    reason: str,
    rulebook: RuleBook,
    viewer: Viewer,
    keep_slots: bool = False,
) -> None:
    """Take the case off this agenda; it is ready to be booked on a later meeting."""
    if not reason.strip():
        raise InvalidInput(t("agenda.reason_required"), field="reason")
    item = _item_row(session, item_id, viewer)
    _release(session, item, AgendaStatus.UDSAT, reason, rulebook, viewer, keep_slots)


def cancel(
    *, session: Session, item_id: int, reason: str, rulebook: RuleBook, viewer: Viewer
) -> None:
    if not reason.strip():
        raise InvalidInput(t("agenda.reason_required"), field="reason")
    _release(
        session, _item_row(session, item_id, viewer), AgendaStatus.AFLYST, reason, rulebook, viewer
    )


def move_to_meeting(
    *,
    session: Session,
    item_id: int,
    to_meeting_id: int,
    rulebook: RuleBook,
    viewer: Viewer,
) -> AgendaItemRead:
    item = _item_row(session, item_id, viewer)
    if item.meeting_id == to_meeting_id:
        raise InvalidInput(t("agenda.same_meeting"))
    target = _meeting_row(session, to_meeting_id)
    attendance = (item.citizen_attends, item.absence_reason, item.bisidder)
    _release(
        session,
        item,
        AgendaStatus.UDSAT,
        t("agenda.moved_to", date=f"{target.date:%d.%m.%Y}"),
        rulebook,
        viewer,
    )
    moved = book_case(
        session=session,
        meeting_id=to_meeting_id,
        case_id=item.case_id,
        rulebook=rulebook,
        viewer=viewer,
    )
    new = _item_row(session, moved.id, viewer)
    new.citizen_attends, new.absence_reason, new.bisidder = attendance
    session.add(new)
    session.flush()
    return item_read(session, new, rulebook)


def set_attendance(
    *,
    session: Session,
    item_id: int,
    data: AttendanceInput,
    rulebook: RuleBook,
    viewer: Viewer,
) -> AgendaItemRead:
    item = _item_row(session, item_id, viewer)
    item.citizen_attends = data.citizen_attends
    item.absence_reason = "" if data.citizen_attends else data.absence_reason
    item.bisidder = data.bisidder
    item.version += 1
    item.updated_at = utcnow()
    session.add(item)
    session.flush()
    _audit(session, AuditAction.UPDATE, "agenda_item", item_id, viewer=viewer, detail="attendance")
    return item_read(session, item, rulebook)


def mark_material_sent(*, session: Session, meeting_id: int, sent_to: str, viewer: Viewer) -> None:
    """Record when and to whom the case material went to the members."""
    text = " ".join(sent_to.split())[:1000]
    if not text:
        raise InvalidInput(t("agenda.sent_to_required"), field="sent_to")
    require_meeting_runner(session, _meeting_row(session, meeting_id), viewer)
    meeting = _meeting_row(session, meeting_id, lock=True)
    meeting.material_sent_at = utcnow()
    meeting.material_sent_to = text
    meeting.version += 1
    session.add(meeting)
    session.flush()
    _audit(
        session,
        AuditAction.UPDATE,
        "meeting",
        meeting_id,
        viewer=viewer,
        detail="material_sent",
    )


# --- reading the agenda ---------------------------------------------------------------------


def _material(session: Session, case_id: int, rule_set_doc: str) -> tuple[str, ...]:
    items = [rule_set_doc]
    medical = session.exec(
        select(MedicalStatement).where(col(MedicalStatement.case_id) == case_id)
    ).first()
    if medical is not None and medical.received_on is not None:
        items.append(t("agenda.material_medical", date=f"{medical.received_on:%d.%m.%Y}"))
    for doc in session.exec(select(CaseDocument).where(col(CaseDocument.case_id) == case_id)):
        if doc.received_on is not None:
            items.append(label(DocumentKind(doc.kind)))
    return tuple(items)


def item_read(
    session: Session, item: AgendaItem, rulebook: RuleBook, meeting_date: date | None = None
) -> AgendaItemRead:
    case = session.get(Case, item.case_id)
    assert case is not None and item.id is not None
    citizen = session.get(Citizen, case.citizen_id)
    assert citizen is not None
    sagsbehandler = (
        session.get(StaffMember, case.sagsbehandler_id) if case.sagsbehandler_id else None
    )
    when = meeting_date or _meeting_row(session, item.meeting_id).date
    age = age_on(citizen.birth_date, when)
    rule_set = rulebook.get(case.rule_set)
    booked = item.status == AgendaStatus.BOOKET.value
    return AgendaItemRead(
        id=item.id,
        meeting_id=item.meeting_id,
        position=item.position,
        start=item.start_time,
        end=_add_minutes(item.start_time, item.slot_minutes),
        status=item.status,
        status_reason=item.status_reason,
        case_id=case.id or 0,
        case_number=case.case_number,
        case_type=case.case_type,
        case_status=case.status,
        rule_set=case.rule_set,
        citizen_name=f"{citizen.first_name} {citizen.last_name}",
        cpr_masked=mask_cpr(citizen.cpr),
        citizen_age=age,
        sagsbehandler=sagsbehandler.name if sagsbehandler else None,
        citizen_attends=item.citizen_attends,
        absence_reason=item.absence_reason,
        bisidder=item.bisidder,
        citizen_present=item.citizen_present,
        handling_started_at=item.handling_started_at,
        handling_ended_at=item.handling_ended_at,
        slot_minutes=item.slot_minutes,
        under_30_without_education=(
            rule_set.education_under_30 and case.without_vocational_education and age < 30
        ),
        missing=tuple(missing_for_case(session, case, rulebook)) if booked else (),
        material=_material(session, case.id or 0, rule_set.preparation.name),
    )


def participants_of(session: Session, meeting_id: int) -> list[ParticipantRead]:
    rows = session.exec(
        select(MeetingParticipant, StaffMember)
        .join(StaffMember, col(StaffMember.id) == col(MeetingParticipant.staff_id), isouter=True)
        .where(col(MeetingParticipant.meeting_id) == meeting_id)
        .order_by(col(MeetingParticipant.discipline), col(MeetingParticipant.id))
    ).all()
    return [
        ParticipantRead(
            id=p.id or 0,
            staff_id=p.staff_id,
            name=s.name if s is not None else p.guest_name,
            organisation=(s.title if s is not None else p.guest_organisation),
            discipline=p.discipline,
            role=p.role,
            attended=p.attended,
            absence_reason=p.absence_reason,
        )
        for p, s in rows
    ]


def get_agenda(
    *,
    session: Session,
    meeting_id: int,
    rulebook: RuleBook,
    deadline_workdays: int = 5,
    today: date | None = None,
    viewer: Viewer,
) -> AgendaRead:
    """The meeting's agenda as `viewer` may see it: the cases on it they may see."""
    meeting = _meeting_row(session, meeting_id)
    require_meeting_view(session, meeting, viewer)
    today = today or clock.today()
    items = [
        item_read(session, row, rulebook, meeting.date)
        for row in session.exec(
            select(AgendaItem)
            .where(
                col(AgendaItem.meeting_id) == meeting_id,
                col(AgendaItem.case_id).in_(select(Case.id).where(visible_cases(viewer))),
            )
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        )
    ]
    # The slots in time order, the cases handled among them; postponed and cancelled last.
    slotted = (AgendaStatus.BOOKET.value, AgendaStatus.BEHANDLET.value)
    items.sort(key=lambda i: (i.status not in slotted, i.position, i.id))
    participants = participants_of(session, meeting_id)
    deadline = working_days_before(meeting.date, deadline_workdays)
    read = meeting_read(session, meeting_id)
    warnings = agenda_warnings(
        meeting=meeting,
        items=items,
        participants=participants,
        rulebook=rulebook,
        deadline=deadline,
        today=today,
    )
    return AgendaRead(
        meeting=read,
        participants=tuple(participants),
        items=tuple(items),
        warnings=tuple(warnings),
        material_deadline=deadline,
        material_sent_at=meeting.material_sent_at.isoformat() if meeting.material_sent_at else None,
        material_sent_to=meeting.material_sent_to,
    )


def agenda_warnings(
    *,
    meeting: Meeting,
    items: list[AgendaItemRead],
    participants: list[ParticipantRead],
    rulebook: RuleBook,
    deadline: date,
    today: date,
) -> list[str]:
    """The checks the chair sees before the agenda is sent (rules 2, 3 and 6, readiness,
    material deadline), in the user's language."""
    if meeting.status not in ACTIVE:
        return []
    booked = [i for i in items if i.status == AgendaStatus.BOOKET.value]
    present = {p.discipline for p in participants}
    warnings: list[str] = []
    required: list[Discipline] = []
    for item in booked:
        for discipline in rulebook.get(item.rule_set).required_disciplines:
            if discipline not in required:
                required.append(discipline)
    if Discipline.SUNDHEDSKOORDINATOR not in required:
        required.append(Discipline.SUNDHEDSKOORDINATOR)
    for discipline in required:
        if discipline.value not in present:
            key = (
                "agenda.warn_no_sundhedskoordinator"
                if discipline is Discipline.SUNDHEDSKOORDINATOR
                else "agenda.warn_discipline"
            )
            warnings.append(t(key, discipline=label(discipline)))
    if Discipline.UNDERVISNING.value not in present:
        for item in booked:
            if item.under_30_without_education:
                warnings.append(
                    t("agenda.warn_undervisning", name=item.citizen_name, age=item.citizen_age)
                )
    # Counted with the cases handled already: they keep their slots (a running meeting).
    taken = [i for i in items if i.status in (AgendaStatus.BOOKET, AgendaStatus.BEHANDLET)]
    if len(taken) > meeting.capacity:
        warnings.append(t("agenda.warn_capacity", n=len(taken), capacity=meeting.capacity))
    last_end = max((i.end for i in booked), default=meeting.end_time)
    if last_end > meeting.end_time:
        warnings.append(
            t(
                "agenda.warn_overrun",
                end=f"{last_end:%H:%M}",
                meeting_end=f"{meeting.end_time:%H:%M}",
            )
        )
    for item in booked:
        if item.missing:
            warnings.append(
                t(
                    "agenda.warn_not_ready",
                    name=item.citizen_name,
                    number=item.case_number,
                    n=len(item.missing),
                )
            )
    if booked and meeting.material_sent_at is None and today >= deadline:
        warnings.append(t("agenda.warn_material", deadline=f"{deadline:%d.%m.%Y}"))
    return warnings


def meetings_overview(
    *,
    session: Session,
    rulebook: RuleBook,
    team_id: int | None = None,
    deadline_workdays: int = 5,
    around: date | None = None,
    weeks_back: int = 8,
    weeks_ahead: int = 26,
    viewer: Viewer,
) -> list[tuple[MeetingRead, int]]:
    """The team's meetings from `weeks_back` before to `weeks_ahead` after `around`, each
    with its number of open warnings."""
    from rehabteam.services.meetings import list_meetings

    center = around or clock.today()
    found = list_meetings(
        session=session,
        team_id=team_id,
        from_date=center - timedelta(weeks=weeks_back),
        viewer=viewer,
    )
    horizon = center + timedelta(weeks=weeks_ahead)
    result = []
    for m in found:
        if m.date > horizon:
            break
        warnings = get_agenda(
            session=session,
            meeting_id=m.id,
            rulebook=rulebook,
            deadline_workdays=deadline_workdays,
            today=center,
            viewer=viewer,
        ).warnings
        result.append((m, len(warnings)))
    return result
