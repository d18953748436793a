"""The team's indstilling: drafted at the meeting, proposed interventions from the
disciplines, and versions (an approved version is locked; a change is a new version and the
approved one is kept). Approval itself is in `services.approval`."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rehabteam.errors import InvalidInput, NotFound
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
from rehabteam.models.read import IndstillingRead, InterventionRead, Saved
from rehabteam.models.recommendation import (
    ALL_TEXTS,
    AREAS,
    INDSTILLING_FIELDS,
    INTERVENTION_FIELDS,
    INTERVENTION_PARTS,
    intervention_key,
)
from rehabteam.models.viewer import Viewer
from rehabteam.services import audit
from rehabteam.services.access import require_at_meeting, require_case_access
from rehabteam.services.fields import Base, apply, stamps_read

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
        stamps=stamps_read(session, row.field_stamps),
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
    require_at_meeting(session, meeting_id, viewer)
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
    base: Base,
    viewer: Viewer,
) -> Saved[IndstillingRead]:
    """Save what the user changed of the draft (`base`: the values they started from, for
    the fields they changed; see services.fields)."""
    row = session.exec(
        select(Indstilling).where(col(Indstilling.id) == indstilling_id).with_for_update()
    ).first()
    if row is None:
        raise NotFound(t("indstilling.not_found"))
    case = session.get(Case, row.case_id)
    assert case is not None
    require_case_access(session, case, viewer)
    require_at_meeting(session, row.meeting_id, viewer)
    if row.status != IndstillingStatus.KLADDE.value:
        raise InvalidInput(t("indstilling.locked"))
    unknown = set(base) - set(INDSTILLING_FIELDS)
    if unknown:
        raise InvalidInput(t("indstilling.unknown_field", fields=", ".join(sorted(unknown))))
    stored = to_read(session, row).values()
    parts = {f: stored[f] for f in INTERVENTION_FIELDS}
    written, conflicts = apply(
        session, row, new=data.values(), base=base, viewer=viewer, current=parts
    )
    if any(f in INTERVENTION_FIELDS for f in written):
        parts.update({f: v for f, v in written.items() if f in INTERVENTION_FIELDS})
        session.execute(
            delete(IndstillingIntervention).where(
                col(IndstillingIntervention.indstilling_id) == indstilling_id
            )
        )
        for position, area in enumerate(AREAS):
            texts = {p: parts[intervention_key(area, p)] for p in INTERVENTION_PARTS}
            if any(texts.values()):
                session.add(
                    IndstillingIntervention(
                        indstilling_id=indstilling_id, area=area, position=position, **texts
                    )
                )
        session.flush()
    if written:
        audit_change(session, row.case_id, indstilling_id, AuditAction.UPDATE, "draft", viewer)
    return Saved[IndstillingRead](read=to_read(session, row), conflicts=tuple(conflicts))


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
    require_at_meeting(session, latest.meeting_id, viewer)
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
