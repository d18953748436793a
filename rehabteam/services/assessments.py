"""Each discipline's vurdering and anbefalede indsatser for a case at a meeting."""

from __future__ import annotations

from sqlmodel import Session, col, select

from rehabteam.errors import InvalidInput, NotFound
from rehabteam.i18n import t
from rehabteam.models import Case, DisciplineAssessment, MeetingParticipant, StaffMember
from rehabteam.models.enums import AuditAction, Discipline
from rehabteam.models.inputs import AssessmentInput
from rehabteam.models.read import AssessmentRead, Saved
from rehabteam.models.viewer import Viewer
from rehabteam.services import audit
from rehabteam.services.access import require_at_meeting, require_case_access
from rehabteam.services.fields import Base, apply, locked_row, stamps_read


def _rows(session: Session, case_id: int, meeting_id: int) -> dict[str, DisciplineAssessment]:
    return {
        row.discipline: row
        for row in session.exec(
            select(DisciplineAssessment).where(
                col(DisciplineAssessment.case_id) == case_id,
                col(DisciplineAssessment.meeting_id) == meeting_id,
            )
        )
    }


def members_of(session: Session, meeting_id: int, discipline: str) -> str:
    """Who speaks for `discipline` at the meeting: its participants who came (or are not
    checked in yet), by name; "" when the discipline has no one there."""
    rows = session.exec(
        select(MeetingParticipant, StaffMember)
        .join(StaffMember, col(StaffMember.id) == col(MeetingParticipant.staff_id), isouter=True)
        .where(
            col(MeetingParticipant.meeting_id) == meeting_id,
            col(MeetingParticipant.discipline) == discipline,
        )
        .order_by(col(MeetingParticipant.id))
    ).all()
    names = [
        member.name if member is not None else participant.guest_name
        for participant, member in rows
        if participant.attended is not False
    ]
    return ", ".join(name for name in names if name)[:200]


def get_assessments(
    *, session: Session, case_id: int, meeting_id: int, disciplines: list[str], viewer: Viewer
) -> list[AssessmentRead]:
    """One entry per discipline asked for (the disciplines present), saved or not."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    rows = _rows(session, case_id, meeting_id)
    authors = {
        m.id: m.name
        for m in session.exec(
            select(StaffMember).where(
                col(StaffMember.id).in_([r.author_id for r in rows.values() if r.author_id])
            )
        )
    }
    result = []
    for discipline in disciplines:
        row = rows.get(discipline)
        # Not saved yet: it will be from the discipline's member at the meeting.
        given_by = row.given_by if row else members_of(session, meeting_id, discipline)
        result.append(
            AssessmentRead(
                discipline=discipline,
                vurdering=row.vurdering if row else "",
                anbefalede_indsatser=row.anbefalede_indsatser if row else "",
                author=authors.get(row.author_id) if row and row.author_id else None,
                version=row.version if row else 0,
                given_by=given_by,
                stamps=stamps_read(session, row.field_stamps) if row else {},
            )
        )
    return result


def save_assessment(
    *,
    session: Session,
    case_id: int,
    meeting_id: int,
    discipline: str,
    data: AssessmentInput,
    base: Base,
    viewer: Viewer,
) -> Saved[AssessmentRead]:
    """Save what the user changed of one discipline's record (`base`: the texts they started
    from, for the fields they changed); a field someone else changed since is refused and
    comes back as a conflict with the other text."""
    if discipline not in {d.value for d in Discipline}:
        raise InvalidInput(t("assessment.unknown_discipline"))
    case_row = session.get(Case, case_id)
    if case_row is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case_row, viewer)
    require_at_meeting(session, meeting_id, viewer)
    row = locked_row(
        session,
        DisciplineAssessment,
        lambda: DisciplineAssessment(case_id=case_id, meeting_id=meeting_id, discipline=discipline),
        case_id=case_id,
        meeting_id=meeting_id,
        discipline=discipline,
    )
    written, conflicts = apply(session, row, new=data.model_dump(), base=base, viewer=viewer)
    if written:
        row.author_id = viewer.staff_id  # who typed it
        if not row.given_by:  # whose it is: the discipline's member at the meeting
            row.given_by = members_of(session, meeting_id, discipline)
        session.add(row)
        session.flush()
        audit.record_case(
            session=session,
            actor=viewer,
            action=AuditAction.UPDATE,
            entity="assessment",
            entity_id=case_id,
            case_id=case_id,
            detail=f"{discipline}:{','.join(written)}",
        )
    read = get_assessments(
        session=session,
        case_id=case_id,
        meeting_id=meeting_id,
        disciplines=[discipline],
        viewer=viewer,
    )[0]
    return Saved[AssessmentRead](read=read, conflicts=tuple(conflicts))
