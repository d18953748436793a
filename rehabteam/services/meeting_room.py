"""Running a meeting: check-in, the current case, moving on, closing. Cases not reached
are postponed (to the team's next planned meeting when there is one), never dropped."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import update
from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound
from rehabteam.i18n import t
from rehabteam.models import AgendaItem, Case, Indstilling, Meeting, MeetingParticipant
from rehabteam.models.base import utcnow
from rehabteam.models.enums import (
    AgendaStatus,
    AuditAction,
    CaseStatus,
    IndstillingStatus,
    MeetingStatus,
)
from rehabteam.models.inputs import IndstillingInput
from rehabteam.models.read import RoomCaseRead, RoomDraftRead, Saved
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.access import (
    require_at_meeting,
    require_case_access,
    require_meeting_runner,
    require_meeting_view,
    runs_meeting,
)
from rehabteam.services.agenda import book_case, postpone
from rehabteam.services.fields import Base


def _meeting(session: Session, meeting_id: int, viewer: Viewer) -> Meeting:
    """The meeting, locked, for a change by whoever runs it."""
    found = session.get(Meeting, meeting_id)
    if found is None:
        raise NotFound(t("meeting.not_found"))
    require_meeting_runner(session, found, viewer)
    meeting = session.exec(
        select(Meeting).where(col(Meeting.id) == meeting_id).with_for_update()
    ).first()
    if meeting is None:
        raise NotFound(t("meeting.not_found"))
    return meeting


def _note(
    session: Session,
    entity: str,
    entity_id: int | None,
    viewer: Viewer,
    detail: str,
    case_id: int | None = None,
) -> None:
    """The audit entry for a change made while running the meeting."""
    audit.record_case(
        session=session,
        actor=viewer,
        action=AuditAction.UPDATE,
        entity=entity,
        entity_id=entity_id,
        case_id=case_id,
        detail=detail,
    )


def _item(session: Session, item_id: int, viewer: Viewer) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(t("agenda.item_not_found"))
    _meeting(session, item.meeting_id, viewer)
    return item


def start_meeting(*, session: Session, meeting_id: int, viewer: Viewer) -> None:
    meeting = _meeting(session, meeting_id, viewer)
    if meeting.status == MeetingStatus.I_GANG.value:
        return
    if meeting.status != MeetingStatus.PLANLAGT.value:
        raise InvalidInput(
            t("room.not_startable", status=t(f"MeetingStatus.{meeting.status}").lower())
        )
    meeting.status = MeetingStatus.I_GANG.value
    session.add(meeting)
    session.flush()
    _note(session, "meeting", meeting_id, viewer, "started")


def undo_start(*, session: Session, meeting_id: int, viewer: Viewer) -> None:
    """A meeting started by mistake goes back to planned, while no case has been handled and
    no indstilling approved at it."""
    meeting = _meeting(session, meeting_id, viewer)
    if meeting.status != MeetingStatus.I_GANG.value:
        raise InvalidInput(t("room.not_started"))
    handled = session.exec(
        select(AgendaItem.id).where(
            col(AgendaItem.meeting_id) == meeting_id,
            col(AgendaItem.status) == AgendaStatus.BEHANDLET.value,
        )
    ).first()
    approved = session.exec(
        select(Indstilling.id).where(
            col(Indstilling.meeting_id) == meeting_id,
            col(Indstilling.status) != IndstillingStatus.KLADDE.value,
        )
    ).first()
    if handled is not None or approved is not None:
        raise InvalidInput(t("room.undo_too_late"))
    meeting.status = MeetingStatus.PLANLAGT.value
    meeting.current_item_id = None
    meeting.version += 1
    session.add(meeting)
    session.flush()
    _note(session, "meeting", meeting_id, viewer, "start-undone")


def check_in(
    *, session: Session, participant_id: int, attended: bool | None = None, viewer: Viewer
) -> None:
    """Record whether a participant came; None turns it over (came <-> not), decided on the
    stored value, so two quick presses are two changes whatever the screen showed."""
    row = session.get(MeetingParticipant, participant_id)
    if row is None:
        raise NotFound(t("meeting.participant_not_found"))
    _meeting(session, row.meeting_id, viewer)
    if attended is None:
        attended = row.attended is not True
    row.attended = attended
    row.checked_in_at = utcnow() if attended else None
    if attended:
        row.absence_reason = ""
    session.add(row)
    session.flush()
    _note(session, "meeting", row.meeting_id, viewer, "check-in")


def mark_absent(*, session: Session, participant_id: int, reason: str, viewer: Viewer) -> None:
    """Record that a participant sent word they could not come (afbud), and why: the
    minutes name the reason."""
    from rehabteam.models.inputs import free_text

    row = session.get(MeetingParticipant, participant_id)
    if row is None:
        raise NotFound(t("meeting.participant_not_found"))
    _meeting(session, row.meeting_id, viewer)
    row.attended = False
    row.checked_in_at = None
    try:
        row.absence_reason = free_text(reason, field="field.absence_reason", max_length=500)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    session.add(row)
    session.flush()
    _note(session, "meeting", row.meeting_id, viewer, "absent")


def citizen_present(*, session: Session, item_id: int, present: bool, viewer: Viewer) -> None:
    item = _item(session, item_id, viewer)
    item.citizen_present = present
    session.add(item)
    session.flush()
    _note(
        session,
        "agenda_item",
        item_id,
        viewer,
        "citizen-present" if present else "citizen-absent",
        case_id=item.case_id,
    )


def finish_case(*, session: Session, item_id: int, viewer: Viewer) -> None:
    """The team moves on: the item is handled; the case is `behandlet` unless its
    indstilling was already approved (then it stays `indstillet`). When is stored, so the
    other workstations move on too, also from an approved case."""
    item = _item(session, item_id, viewer)
    if item.status == AgendaStatus.BOOKET.value:
        item.status = AgendaStatus.BEHANDLET.value
    if item.handling_ended_at is None:
        item.handling_ended_at = utcnow()
    session.add(item)
    # The next case is the first booked one until someone opens another.
    session.execute(
        update(Meeting)
        .where(col(Meeting.id) == item.meeting_id, col(Meeting.current_item_id) == item_id)
        .values(current_item_id=None)
    )
    case = session.get(Case, item.case_id)
    assert case is not None
    if case.status == CaseStatus.BOOKET.value:
        case.status = CaseStatus.BEHANDLET.value
        case.status_changed_on = clock.today()
        session.add(case)
    session.flush()
    _note(session, "agenda_item", item_id, viewer, "handled", case_id=item.case_id)


def close_meeting(
    *, session: Session, meeting_id: int, rulebook: RuleBook, viewer: Viewer
) -> list[tuple[int, int | None]]:
    """Close the meeting. Every case not reached is postponed and booked on the team's next
    planned meeting when there is one (else it is `klar` again, to be booked by hand).
    Returns (case id, meeting id it went to or None). The next meeting must be one the
    viewer runs too; otherwise the cases are ready to be booked by whoever runs it."""
    meeting = _meeting(session, meeting_id, viewer)
    if meeting.status not in (MeetingStatus.PLANLAGT.value, MeetingStatus.I_GANG.value):
        raise InvalidInput(t("room.already_closed"))
    not_reached = session.exec(
        select(AgendaItem)
        .where(
            col(AgendaItem.meeting_id) == meeting_id,
            col(AgendaItem.status) == AgendaStatus.BOOKET.value,
        )
        .order_by(col(AgendaItem.position))
    ).all()
    following = session.exec(
        select(Meeting)
        .where(
            col(Meeting.team_id) == meeting.team_id,
            col(Meeting.id) != meeting_id,
            col(Meeting.status) == MeetingStatus.PLANLAGT.value,
            col(Meeting.date) >= max(meeting.date, clock.today()),
        )
        .order_by(col(Meeting.date), col(Meeting.start_time))
    ).first()
    moved: list[tuple[int, int | None]] = []
    for item in not_reached:
        assert item.id is not None
        postpone(
            session=session,
            item_id=item.id,
            rulebook=rulebook,
            viewer=viewer,
            reason=t("room.not_reached", date=f"{meeting.date:%d.%m.%Y}"),
            keep_slots=True,
        )
        target = None
        case = session.get(Case, item.case_id)
        if (
            following is not None
            and following.id is not None
            and case is not None
            and case.status == CaseStatus.KLAR.value
            and runs_meeting(session, following, viewer)
        ):
            book_case(
                session=session,
                meeting_id=following.id,
                case_id=item.case_id,
                rulebook=rulebook,
                viewer=viewer,
            )
            target = following.id
        moved.append((item.case_id, target))
    meeting = _meeting(session, meeting_id, viewer)
    meeting.status = MeetingStatus.AFHOLDT.value
    meeting.current_item_id = None
    meeting.closed_at = utcnow()  # the minutes say when the meeting ended
    session.add(meeting)
    session.flush()
    _note(session, "meeting", meeting_id, viewer, "closed")
    return moved


ORDER = ("beskaeftigelse", "sundhed", "social", "undervisning", "sundhedskoordinator", "gaest")


def panel_disciplines(participants: list[str], required: list[str]) -> list[str]:
    """A panel for every discipline present, and for every discipline the rule set requires
    (the sundhedskoordinator's record is mandatory even when sent in writing)."""
    wanted = set(participants) | set(required)
    return [d for d in ORDER if d in wanted]


def _begin_handling(session: Session, meeting: Meeting, row: AgendaItem, viewer: Viewer) -> None:
    """Whoever runs a running meeting and opens one of its booked cases makes it the case
    being handled (every workstation shows it); the first to open it records when its
    handling began (the others read it). Neither is a change of the agenda or the meeting:
    their versions stay, so nobody's edit of them is refused for it."""
    if (
        row.status != AgendaStatus.BOOKET.value
        or meeting.status != MeetingStatus.I_GANG.value
        or not runs_meeting(session, meeting, viewer)
    ):
        return
    if meeting.current_item_id != row.id:
        session.execute(
            update(Meeting).where(col(Meeting.id) == meeting.id).values(current_item_id=row.id)
        )
        session.refresh(meeting)
    if row.handling_started_at is not None:
        return
    session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == row.id, col(AgendaItem.handling_started_at).is_(None))
        .values(handling_started_at=utcnow())
    )
    session.refresh(row)


def open_case(
    *,
    session: Session,
    meeting_id: int,
    item_id: int,
    rulebook: RuleBook,
    guidelines: Mapping[str, tuple[int, int]] | None = None,
    viewer: Viewer,
    refresh: bool = False,
) -> RoomCaseRead:
    """The current case: its material, each discipline's record, the indstilling draft
    (created when the case has none), candidates for koordinerende sagsbehandler with their
    caseload, and what still blocks approval. `refresh`: the same case read again after
    someone saved (writes nothing: no draft, no audit entry)."""
    from rehabteam.services.agenda import item_read, participants_of
    from rehabteam.services.approval import approval_problems, caseloads
    from rehabteam.services.assessments import get_assessments
    from rehabteam.services.indstilling import draft_for
    from rehabteam.services.preparation import get_preparation

    row = session.get(AgendaItem, item_id)
    if row is None or row.meeting_id != meeting_id:
        raise NotFound(t("agenda.item_not_found"))
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    require_meeting_view(session, meeting, viewer)
    require_at_meeting(session, meeting_id, viewer)
    case = session.get(Case, row.case_id)
    assert case is not None
    require_case_access(session, case, viewer)
    if not refresh:
        _begin_handling(session, meeting, row, viewer)
    item = item_read(session, row, rulebook)
    rule_set = rulebook.get(item.rule_set)
    present = [p.discipline for p in participants_of(session, meeting_id)]
    from rehabteam.services.disciplines import case_disciplines

    disciplines = panel_disciplines(present, [d.value for d in case_disciplines(rule_set, case)])
    from rehabteam.services.indstilling import get_indstilling

    latest = get_indstilling(session=session, case_id=item.case_id, viewer=viewer)
    indstilling = (
        latest
        if refresh and latest is not None
        else draft_for(session=session, case_id=item.case_id, meeting_id=meeting_id, viewer=viewer)
    )
    problems, warnings = approval_problems(
        session=session, indstilling=indstilling, rulebook=rulebook
    )
    return RoomCaseRead(
        item=item,
        preparation=get_preparation(
            session=session,
            case_id=item.case_id,
            rulebook=rulebook,
            viewer=viewer,
            log_read=not refresh,
        ),
        assessments=tuple(
            get_assessments(
                session=session,
                case_id=item.case_id,
                meeting_id=meeting_id,
                disciplines=disciplines,
                viewer=viewer,
            )
        ),
        indstilling=indstilling,
        caseloads=tuple(caseloads(session=session, guidelines=guidelines)),
        allowed_types=tuple(k.value for k in rule_set.indstilling_types),
        months=rule_set.ressourceforloeb_months,
        outcome=rule_set.outcome,
        problems=tuple(problems),
        warnings=tuple(warnings),
    )


def save_room_draft(
    *,
    session: Session,
    indstilling_id: int,
    data: IndstillingInput,
    base: Base,
    rulebook: RuleBook,
    viewer: Viewer,
) -> Saved[RoomDraftRead]:
    """Save the fields of the draft the user changed (services.fields), and say what then
    still blocks its approval, so the chair sees it at once."""
    from rehabteam.services.approval import approval_problems
    from rehabteam.services.indstilling import save_draft

    saved = save_draft(
        session=session, indstilling_id=indstilling_id, data=data, base=base, viewer=viewer
    )
    problems, warnings = approval_problems(
        session=session, indstilling=saved.read, rulebook=rulebook
    )
    read = RoomDraftRead(indstilling=saved.read, problems=tuple(problems), warnings=tuple(warnings))
    return Saved[RoomDraftRead](read=read, conflicts=saved.conflicts)
