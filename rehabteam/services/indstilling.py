"""The team's indstilling: drafted at the meeting, proposed interventions from the
disciplines, and versions (an approved version is locked; a change is a new version and the
approved one is kept). Approval itself is in `services.approval`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rehabteam.errors import InvalidInput, NotFound, StaleEdit
from rehabteam.i18n import label, t
from rehabteam.models import (
    Case,
    DisciplineAssessment,
    Indstilling,
    IndstillingIntervention,
    StaffMember,
)
from rehabteam.models.enums import (
    AuditAction,
    Discipline,
    IndstillingStatus,
    InterventionArea,
)
from rehabteam.models.inputs import IndstillingInput
from rehabteam.models.read import IndstillingRead, InterventionRead
from rehabteam.models.recommendation import ALL_TEXTS
from rehabteam.models.viewer import Viewer
from rehabteam.services import audit
from rehabteam.services.access import require_case_access
from rehabteam.services.preparation import guarded_update

TEXT_FIELDS = ALL_TEXTS
# Which intervention area a discipline's recommendations are proposed under.
AREA_OF = {
    Discipline.BESKAEFTIGELSE.value: InterventionArea.BESKAEFTIGELSE,
    Discipline.SUNDHED.value: InterventionArea.SUNDHED,
    Discipline.SOCIAL.value: InterventionArea.SOCIAL,
    Discipline.UNDERVISNING.value: InterventionArea.UDDANNELSE,
    Discipline.SUNDHEDSKOORDINATOR.value: InterventionArea.SUNDHED,
}


def to_read(session: Session, row: Indstilling) -> IndstillingRead:
    assert row.id is not None
    interventions = session.exec(
        select(IndstillingIntervention)
        .where(col(IndstillingIntervention.indstilling_id) == row.id)
        .order_by(col(IndstillingIntervention.position))
    ).all()
    names = {
        m.id: m.name
        for m in session.exec(
            select(StaffMember).where(
                col(StaffMember.id).in_(
                    [i for i in (row.koordinerende_sagsbehandler_id, row.approved_by_id) if i]
                )
            )
        )
    }
    return IndstillingRead(
        id=row.id,
        case_id=row.case_id,
        meeting_id=row.meeting_id,
        version_no=row.version_no,
        status=row.status,
        type=row.type,
        **{name: getattr(row, name) for name in TEXT_FIELDS},
        varighed_maaneder=row.varighed_maaneder,
        koordinerende_sagsbehandler_id=row.koordinerende_sagsbehandler_id,
        koordinerende_sagsbehandler=names.get(row.koordinerende_sagsbehandler_id or -1),
        interventions=tuple(
            InterventionRead(
                area=i.area, formaal=i.formaal, indhold=i.indhold, begrundelse=i.begrundelse
            )
            for i in interventions
        ),
        approved_by=names.get(row.approved_by_id or -1),
        approved_at=row.approved_at.isoformat() if row.approved_at else None,
        version=row.version,
    )


def _latest(session: Session, case_id: int) -> Indstilling | None:
    return session.exec(
        select(Indstilling)
        .where(col(Indstilling.case_id) == case_id)
        .order_by(col(Indstilling.version_no).desc())
    ).first()


def _case_for(session: Session, case_id: int, viewer: Viewer) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    return case


def get_indstilling(*, session: Session, case_id: int, viewer: Viewer) -> IndstillingRead | None:
    _case_for(session, case_id, viewer)
    row = _latest(session, case_id)
    return to_read(session, row) if row else None


def history(*, session: Session, case_id: int, viewer: Viewer) -> list[IndstillingRead]:
    """Every version of the case's indstilling, newest first (approved ones are kept)."""
    _case_for(session, case_id, viewer)
    rows = session.exec(
        select(Indstilling)
        .where(col(Indstilling.case_id) == case_id)
        .order_by(col(Indstilling.version_no).desc())
    ).all()
    return [to_read(session, r) for r in rows]


def audit_change(
    session: Session,
    case_id: int,
    entity_id: int | None,
    action: AuditAction,
    detail: str,
    viewer: Viewer,
) -> None:
    audit.record_case(
        session=session,
        actor=viewer,
        action=action,
        entity="indstilling",
        entity_id=entity_id,
        case_id=case_id,
        detail=detail,
    )


def draft_for(
    *, session: Session, case_id: int, meeting_id: int | None, viewer: Viewer
) -> IndstillingRead:
    """The case's current draft; a new one (with the sundhedskoordinator's assessment copied
    in) when there is none. An approved latest version is returned as it is (locked)."""
    _case_for(session, case_id, viewer)
    row = _latest(session, case_id)
    if row is not None:
        return to_read(session, row)
    coordinator = session.exec(
        select(DisciplineAssessment).where(
            col(DisciplineAssessment.case_id) == case_id,
            col(DisciplineAssessment.meeting_id) == meeting_id,
            col(DisciplineAssessment.discipline) == Discipline.SUNDHEDSKOORDINATOR.value,
        )
    ).first()
    row = Indstilling(
        case_id=case_id,
        meeting_id=meeting_id,
        version_no=1,
        sundhedskoordinator_vurdering=coordinator.vurdering if coordinator else "",
    )
    session.add(row)
    session.flush()
    audit_change(session, case_id, row.id, AuditAction.CREATE, "draft", viewer)
    return to_read(session, row)


def save_draft(
    *,
    session: Session,
    indstilling_id: int,
    data: IndstillingInput,
    expected_version: int,
    viewer: Viewer,
) -> IndstillingRead:
    row = session.get(Indstilling, indstilling_id)
    if row is None:
        raise NotFound(t("indstilling.not_found"))
    if row.status != IndstillingStatus.KLADDE.value:
        raise InvalidInput(t("indstilling.locked"))
    case = session.get(Case, row.case_id)
    assert case is not None
    require_case_access(session, case, viewer)
    values: dict[str, Any] = {name: getattr(data, name) for name in TEXT_FIELDS}
    values.update(
        type=data.type.value if data.type else None,
        varighed_maaneder=data.varighed_maaneder,
        koordinerende_sagsbehandler_id=data.koordinerende_sagsbehandler_id,
    )
    if row.version != expected_version or not guarded_update(
        session, Indstilling, indstilling_id, expected_version, values
    ):
        session.expire_all()
        current = session.get(Indstilling, indstilling_id)
        assert current is not None
        theirs = {name: getattr(current, name) for name in TEXT_FIELDS}
        theirs["version"] = str(current.version)
        raise StaleEdit(t("edit.stale"), theirs=theirs)
    session.execute(
        delete(IndstillingIntervention).where(
            col(IndstillingIntervention.indstilling_id) == indstilling_id
        )
    )
    for position, item in enumerate(data.interventions):
        if item.formaal or item.indhold or item.begrundelse:
            session.add(
                IndstillingIntervention(
                    indstilling_id=indstilling_id,
                    area=item.area.value,
                    position=position,
                    formaal=item.formaal,
                    indhold=item.indhold,
                    begrundelse=item.begrundelse,
                )
            )
    session.flush()
    row = session.get(Indstilling, indstilling_id)
    assert row is not None
    audit_change(session, row.case_id, indstilling_id, AuditAction.UPDATE, "draft", viewer)
    return to_read(session, row)


def proposed_interventions(
    *, session: Session, case_id: int, meeting_id: int, viewer: Viewer
) -> list[InterventionRead]:
    """The disciplines' anbefalede indsatser, each under its area, as a starting point."""
    _case_for(session, case_id, viewer)
    rows = session.exec(
        select(DisciplineAssessment).where(
            col(DisciplineAssessment.case_id) == case_id,
            col(DisciplineAssessment.meeting_id) == meeting_id,
        )
    ).all()
    proposals = []
    for row in sorted(
        rows, key=lambda r: list(AREA_OF).index(r.discipline) if r.discipline in AREA_OF else 99
    ):
        text = row.anbefalede_indsatser.strip()
        area = AREA_OF.get(row.discipline)
        if text and area is not None:
            mentor = "mentor" in text.casefold()
            proposals.append(
                InterventionRead(
                    area=(
                        InterventionArea.MENTOR
                        if mentor and area is InterventionArea.BESKAEFTIGELSE
                        else area
                    ).value,
                    formaal="",
                    indhold=text,
                    begrundelse=t(
                        "indstilling.proposed_by", discipline=label(Discipline(row.discipline))
                    ),
                )
            )
    return proposals


def new_version(*, session: Session, case_id: int, viewer: Viewer) -> IndstillingRead:
    """A new draft from the latest approved version; the approved one stays as it is."""
    _case_for(session, case_id, viewer)
    latest = _latest(session, case_id)
    if latest is None:
        raise NotFound(t("indstilling.not_found"))
    if latest.status == IndstillingStatus.KLADDE.value:
        return to_read(session, latest)
    copy = Indstilling(
        case_id=case_id,
        meeting_id=latest.meeting_id,
        version_no=latest.version_no + 1,
        type=latest.type,
        varighed_maaneder=latest.varighed_maaneder,
        koordinerende_sagsbehandler_id=latest.koordinerende_sagsbehandler_id,
        **{name: getattr(latest, name) for name in TEXT_FIELDS},
    )
    session.add(copy)
    session.flush()
    assert latest.id is not None and copy.id is not None
    for item in session.exec(
        select(IndstillingIntervention).where(
            col(IndstillingIntervention.indstilling_id) == latest.id
        )
    ):
        session.add(
            IndstillingIntervention(
                indstilling_id=copy.id,
                area=item.area,
                position=item.position,
                formaal=item.formaal,
                indhold=item.indhold,
                begrundelse=item.begrundelse,
            )
        )
    session.flush()
    audit_change(
        session, case_id, copy.id, AuditAction.CREATE, f"version={copy.version_no}", viewer
    )
    return to_read(session, copy)
