"""Each discipline's vurdering and anbefalede indsatser for a case at a meeting."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rehabteam.errors import InvalidInput, NotFound, StaleEdit
from rehabteam.i18n import t
from rehabteam.models import Case, DisciplineAssessment, StaffMember
from rehabteam.models.enums import AuditAction, Discipline
from rehabteam.models.inputs import AssessmentInput
from rehabteam.models.read import AssessmentRead
from rehabteam.models.viewer import Viewer
from rehabteam.services import audit
from rehabteam.services.access import require_case_access
from rehabteam.services.preparation import guarded_update


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
        result.append(
            AssessmentRead(
                discipline=discipline,
                vurdering=row.vurdering if row else "",
                anbefalede_indsatser=row.anbefalede_indsatser if row else "",
                author=authors.get(row.author_id) if row and row.author_id else None,
                version=row.version if row else 0,
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
    expected_version: int,
    viewer: Viewer,
) -> AssessmentRead:
    """Save one discipline's record; a save based on an older version is refused with the
    other person's text in `StaleEdit.theirs`."""
    if discipline not in {d.value for d in Discipline}:
        raise InvalidInput(t("assessment.unknown_discipline"))
    case_row = session.get(Case, case_id)
    if case_row is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case_row, viewer)
    row = _rows(session, case_id, meeting_id).get(discipline)
    values: dict[str, Any] = {
        "vurdering": data.vurdering,
        "anbefalede_indsatser": data.anbefalede_indsatser,
        "author_id": viewer.staff_id,
    }
    if row is None:
        if expected_version != 0:
            raise StaleEdit(t("edit.stale"))
        try:
            with session.begin_nested():
                session.add(
                    DisciplineAssessment(
                        case_id=case_id, meeting_id=meeting_id, discipline=discipline, **values
                    )
                )
        except IntegrityError:
            raise _stale(session, case_id, meeting_id, discipline) from None
    else:
        assert row.id is not None
        if row.version != expected_version or not guarded_update(
            session, DisciplineAssessment, row.id, expected_version, values
        ):
            raise _stale(session, case_id, meeting_id, discipline)
    session.flush()
    audit.record_case(
        session=session,
        actor=viewer,
        action=AuditAction.UPDATE,
        entity="assessment",
        entity_id=case_id,
        case_id=case_id,
        detail=discipline,
    )
    return get_assessments(
        session=session,
        case_id=case_id,
        meeting_id=meeting_id,
        disciplines=[discipline],
        viewer=viewer,
    )[0]


def _stale(session: Session, case_id: int, meeting_id: int, discipline: str) -> StaleEdit:
    session.expire_all()
    row = _rows(session, case_id, meeting_id).get(discipline)
    theirs = (
        {
            "vurdering": row.vurdering,
            "anbefalede_indsatser": row.anbefalede_indsatser,
            "version": str(row.version),
        }
        if row
        else {}
    )
    return StaleEdit(t("edit.stale"), theirs=theirs)
