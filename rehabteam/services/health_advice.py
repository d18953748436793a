"""The sundhedskoordinator's advice (sundhedsfaglig rådgivning) on a fleksjob or
førtidspension case: from the 2026 reform (lov nr. 1750/2025) mandatory before the team's
anbefaling is approved, given in writing or at a (voluntary) meeting. One record per case:
when it was requested, when and how it was given, the advice, and who gave it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from rehabteam.errors import NotFound, StaleEdit
from rehabteam.i18n import t
from rehabteam.models import Case, HealthAdvice
from rehabteam.models.enums import AuditAction, CaseType, IndstillingType
from rehabteam.models.law_inputs import HealthAdviceInput
from rehabteam.models.read import HealthAdviceRead
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.access import require_case_access

# The outcomes that need the advice, and the case types that lead to them.
ADVISED_OUTCOMES = (IndstillingType.FLEKSJOB, IndstillingType.FOERTIDSPENSION)
ADVISED_CASES = (CaseType.FLEKSJOB, CaseType.FOERTIDSPENSION, CaseType.SAMLET_BESKRIVELSE)


def required(case: Case, rulebook: RuleBook) -> bool:
    """The case's rule set, or the one in force on its referral date, asks for the advice."""
    return any(
        rs.health_advice_required
        for rs in (rulebook.get(case.rule_set), rulebook.for_date(case.referral_date))
    )


def advice_row(session: Session, case_id: int) -> HealthAdvice | None:
    return session.exec(select(HealthAdvice).where(col(HealthAdvice.case_id) == case_id)).first()


def advice_read(row: HealthAdvice | None) -> HealthAdviceRead | None:
    return None if row is None else HealthAdviceRead.model_validate(row, from_attributes=True)


def get_advice(*, session: Session, case_id: int, viewer: Viewer) -> HealthAdviceRead | None:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    return advice_read(advice_row(session, case_id))


def save_advice(
    *,
    session: Session,
    case_id: int,
    data: HealthAdviceInput,
    expected_version: int = 0,
    viewer: Viewer,
) -> HealthAdviceRead:
    """Record (or correct) the advice; refused when someone saved it in between
    (`expected_version` is the version the user saw, 0 when there was none)."""
    case = session.exec(select(Case).where(col(Case.id) == case_id).with_for_update()).first()
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    row = advice_row(session, case_id)
    seen = row.version if row is not None else 0
    if seen != expected_version:
        raise StaleEdit(t("edit.stale"), theirs={"advice": row.advice if row else ""})
    values = data.model_dump()
    values["form"] = data.form.value
    if row is None:
        row = HealthAdvice(case_id=case_id, recorded_by_id=viewer.staff_id, **values)
        action = AuditAction.CREATE
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.recorded_by_id = viewer.staff_id
        row.version += 1
        action = AuditAction.UPDATE
    session.add(row)
    session.flush()
    audit.record_case(
        session=session,
        actor=viewer,
        action=action,
        entity="health_advice",
        entity_id=row.id,
        case_id=case_id,
    )
    read = advice_read(row)
    assert read is not None
    return read
