"""The caseworker's preparation of a case: the forberedende del, the medical statement, other
material, the citizen's wishes for the meeting, and the readiness check (DOMAIN rules 1-2).

Every save is one small transaction with an optimistic-lock check, so a crash loses at most
the field being typed and two people never overwrite each other silently.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound
from rehabteam.i18n import t
from rehabteam.models import Case, CaseDocument, Citizen, MedicalStatement, PreparationField
from rehabteam.models.base import utcnow
from rehabteam.models.cpr import age_on
from rehabteam.models.enums import (
    AuditAction,
    CaseStatus,
    CaseType,
    DocumentKind,
    MedicalStatementKind,
)
from rehabteam.models.inputs import MedicalStatementInput, MeetingWishesInput, PreparationFieldInput
from rehabteam.models.read import (
    CaseRead,
    FieldConflict,
    HealthAdviceRead,
    MedicalStatementRead,
    MyCaseRead,
    PreparationFieldRead,
    PreparationRead,
    Saved,
)
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook, RuleSet
from rehabteam.services import audit
from rehabteam.services.access import require_case_access
from rehabteam.services.cases import case_read, list_cases
from rehabteam.services.fields import Base, apply, locked_row, stamps_read

EDITABLE = (CaseStatus.FORBEREDELSE.value, CaseStatus.KLAR.value, CaseStatus.BOOKET.value)
JOBAFKLARING = (CaseType.JOBAFKLARING_INDSATS.value, CaseType.NYT_JOBAFKLARINGSFORLOEB.value)


# --- readiness ------------------------------------------------------------------------------


def _missing(
    rule_set: RuleSet,
    *,
    case_type: str,
    complete_fields: set[str],
    medical: MedicalStatement | None,
    has_sagsbehandler: bool,
) -> list[str]:
    """What still lacks before the case can be booked, in the user's language."""
    missing = []
    for field in rule_set.preparation.fields:
        if not field.medical and field.key not in complete_fields:
            missing.append(t("ready.field", label=field.label))
    jobafklaring = case_type in JOBAFKLARING
    if medical is not None and medical.received_on is not None:
        # The rule set says which parts the LÆ 265 must hold; the follow-up attest has none.
        for part in () if jobafklaring else rule_set.preparation.medical_parts:
            if not getattr(medical, part).strip():
                missing.append(t("ready.statement_part", part=t(f"lae265.{part}")))
    else:
        kind = t("ready.statement_jobafklaring" if jobafklaring else "ready.statement_lae265")
        requested = medical.requested_on if medical else None
        if requested is not None:
            missing.append(t("ready.statement_awaited", kind=kind, date=f"{requested:%d.%m.%Y}"))
        else:
            missing.append(t("ready.statement_missing", kind=kind))
    if not has_sagsbehandler:
        missing.append(t("ready.no_sagsbehandler"))
    return missing


def _notes(rule_set: RuleSet, case: Case, citizen: Citizen, today: date) -> list[str]:
    notes = []
    if (
        rule_set.education_under_30
        and case.without_vocational_education
        and age_on(citizen.birth_date, today) < 30
    ):
        advice = rule_set.education_under_30_advice
        notes.append(t("ready.note_education_advice" if advice else "ready.note_education"))
    return notes


def _advice_note(advice: HealthAdviceRead | None) -> str:
    """Where the sundhedskoordinator's advice stands, in one line."""
    if advice is None or (advice.given_on is None and advice.requested_on is None):
        return t("advice.note_none")
    if advice.given_on is None:
        return t("advice.note_requested", on=f"{advice.requested_on:%d.%m.%Y}")
    return t(
        "advice.note_given",
        on=f"{advice.given_on:%d.%m.%Y}",
        form=t(f"AdviceForm.{advice.form}"),
        by=advice.given_by,
    )


def _complete_fields(session: Session, case_id: int) -> set[str]:
    rows = session.exec(
        select(PreparationField.field_key)
        .where(col(PreparationField.case_id) == case_id)
        .where(func.length(func.trim(col(PreparationField.caseworker_text))) > 0)
    ).all()
    return set(rows)


def _case_row(session: Session, case_id: int, *, for_update: bool = False) -> Case:
    stmt = select(Case).where(col(Case.id) == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = session.exec(stmt).first()
    if case is None:
        raise NotFound(t("case.not_found"))
    return case


def _medical(session: Session, case_id: int) -> MedicalStatement | None:
    return session.exec(
        select(MedicalStatement).where(col(MedicalStatement.case_id) == case_id)
    ).first()


def missing_for_case(session: Session, case: Case, rulebook: RuleBook) -> list[str]:
    assert case.id is not None
    medical = _medical(session, case.id)
    return _missing(
        rulebook.get(case.rule_set),
        case_type=case.case_type,
        complete_fields=_complete_fields(session, case.id),
        medical=medical,
        has_sagsbehandler=case.sagsbehandler_id is not None,
    )


def refresh_status(session: Session, case: Case, rulebook: RuleBook, actor: Viewer) -> None:
    """`forberedelse` <-> `klar` as the readiness list empties or fills again. A booked case
    keeps its status; the agenda shows that it is no longer ready."""
    if case.status not in (CaseStatus.FORBEREDELSE.value, CaseStatus.KLAR.value):
        return
    wanted = (
        CaseStatus.FORBEREDELSE if missing_for_case(session, case, rulebook) else CaseStatus.KLAR
    )
    if case.status != wanted.value:
        case.status = wanted.value
        case.status_changed_on = clock.today()
        case.updated_at = utcnow()
        # No version bump: the version guards the case's typed text (the citizen's wishes),
        # and a status the system derives must not make someone's typing "stale".
        session.add(case)
        session.flush()
        audit.record_case(
            session=session,
            actor=actor,
            action=AuditAction.UPDATE,
            entity="case",
            entity_id=case.id,
            case_id=case.id,
            detail=f"status={wanted.value}",
        )


# --- reading --------------------------------------------------------------------------------


def get_preparation(
    *,
    session: Session,
    case_id: int,
    rulebook: RuleBook,
    viewer: Viewer,
    log_read: bool = True,
) -> PreparationRead:
    case = _case_row(session, case_id)
    require_case_access(session, case, viewer)
    citizen = session.get(Citizen, case.citizen_id)
    assert citizen is not None
    rule_set = rulebook.get(case.rule_set)
    stored = {
        row.field_key: row
        for row in session.exec(
            select(PreparationField).where(col(PreparationField.case_id) == case_id)
        )
    }
    fields = tuple(
        PreparationFieldRead(
            key=f.key,
            label=f.label,
            citizen_text=stored[f.key].citizen_text if f.key in stored else "",
            caseworker_text=stored[f.key].caseworker_text if f.key in stored else "",
            version=stored[f.key].version if f.key in stored else 0,
            stamps=stamps_read(session, stored[f.key].field_stamps) if f.key in stored else {},
        )
        for f in rule_set.preparation.fields
    )
    medical = _medical(session, case_id)
    kind = (
        MedicalStatementKind.OPFOELGNINGSATTEST
        if case.case_type in JOBAFKLARING
        else MedicalStatementKind.LAE265
    )
    medical_read = MedicalStatementRead(
        kind=medical.kind if medical else kind.value,
        requested_on=medical.requested_on if medical else None,
        received_on=medical.received_on if medical else None,
        helbredsforhold=medical.helbredsforhold if medical else "",
        saerlige_hensyn=medical.saerlige_hensyn if medical else "",
        borgerperspektiv=medical.borgerperspektiv if medical else "",
        andre_forhold=medical.andre_forhold if medical else "",
        version=medical.version if medical else 0,
        stamps=stamps_read(session, medical.field_stamps) if medical else {},
    )
    documents = {
        d.kind: d.received_on
        for d in session.exec(select(CaseDocument).where(col(CaseDocument.case_id) == case_id))
        if d.received_on is not None
    }
    today = clock.today()
    from rehabteam.services import health_advice

    advice = health_advice.advice_read(health_advice.advice_row(session, case_id))
    advice_needed = health_advice.required(case, rulebook) and (
        CaseType(case.case_type) in health_advice.ADVISED_CASES
    )
    advice_note = (_advice_note(advice),) if advice_needed or advice else ()
    from rehabteam.services.disciplines import choice_text, chosen

    choice = (choice_text(rule_set, case),) if rule_set.disciplines_chosen_per_case else ()
    if log_read:
        audit.record(
            session=session,
            action=AuditAction.READ,
            entity="preparation",
            entity_id=case_id,
            case_id=case_id,
            cpr_digits=citizen.cpr,
            actor=viewer,
        )
    return PreparationRead(
        case=case_read(session, case_id),
        citizen_age=age_on(citizen.birth_date, today),
        rule_set_name=rule_set.name,
        document_name=rule_set.preparation.name,
        fields=fields,
        medical=medical_read,
        documents=documents,
        bisidder_wish=case.bisidder_wish,
        meeting_needs=case.meeting_needs,
        case_version=case.version,
        wishes_stamps=stamps_read(session, case.field_stamps),
        missing=tuple(missing_for_case(session, case, rulebook)),
        notes=tuple(_notes(rule_set, case, citizen, today)) + advice_note + choice,
        health_advice=advice,
        health_advice_required=advice_needed,
        disciplines_chosen_per_case=rule_set.disciplines_chosen_per_case,
        mandatory_disciplines=tuple(d.value for d in rule_set.required_disciplines),
        chosen_disciplines=tuple(d.value for d in chosen(case)),
        disciplines_reason=case.disciplines_reason,
    )


# --- saving ---------------------------------------------------------------------------------


def _editable_case(session: Session, case_id: int, viewer: Viewer) -> Case:
    case = _case_row(session, case_id, for_update=True)
    require_case_access(session, case, viewer)
    if case.status not in EDITABLE:
        raise InvalidInput(t("prep.locked", status=t(f"CaseStatus.{case.status}")))
    return case


def _audit_change(session: Session, case: Case, entity: str, detail: str, viewer: Viewer) -> None:
    audit.record_case(
        session=session,
        actor=viewer,
        action=AuditAction.UPDATE,
        entity=entity,
        entity_id=case.id,
        case_id=case.id,
        detail=detail,
    )


def guarded_update(
    session: Session, model: Any, row_id: int, expected: int, values: dict[str, Any]
) -> bool:
    """UPDATE ... WHERE id = :id AND version = :expected; False when someone saved first."""
    result = session.execute(
        update(model)
        .where(col(model.id) == row_id, col(model.version) == expected)
        .values(**values, version=expected + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()  # later reads in this transaction must see the new row
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _saved(
    session: Session,
    case: Case,
    rulebook: RuleBook,
    viewer: Viewer,
    entity: str,
    written: dict[str, Any],
    conflicts: list[FieldConflict],
    detail: str = "",
) -> Saved[PreparationRead]:
    if written:
        _audit_change(
            session, case, entity, (detail + ":" if detail else "") + ",".join(written), viewer
        )
        refresh_status(session, case, rulebook, viewer)
    assert case.id is not None
    read = get_preparation(
        session=session, case_id=case.id, rulebook=rulebook, viewer=viewer, log_read=False
    )
    return Saved[PreparationRead](read=read, conflicts=tuple(conflicts))


def save_field(
    *,
    session: Session,
    case_id: int,
    field_key: str,
    data: PreparationFieldInput,
    base: Base,
    rulebook: RuleBook,
    viewer: Viewer,
) -> Saved[PreparationRead]:
    """Save what the user changed of one field of the preparation document (`base`: the
    citizen's and caseworker's texts they started from, for the parts they changed)."""
    case = _editable_case(session, case_id, viewer)
    keys = {f.key for f in rulebook.get(case.rule_set).preparation.fields}
    if field_key not in keys:
        raise InvalidInput(t("prep.unknown_field", key=field_key))
    row = locked_row(
        session,
        PreparationField,
        lambda: PreparationField(case_id=case_id, field_key=field_key),
        case_id=case_id,
        field_key=field_key,
    )
    written, conflicts = apply(session, row, new=data.model_dump(), base=base, viewer=viewer)
    if written:
        row.updated_by_id = viewer.staff_id
        session.add(row)
        session.flush()
    return _saved(
        session, case, rulebook, viewer, "preparation_field", written, conflicts, field_key
    )


def save_medical_statement(
    *,
    session: Session,
    case_id: int,
    data: MedicalStatementInput,
    base: Base,
    rulebook: RuleBook,
    viewer: Viewer,
) -> Saved[PreparationRead]:
    case = _editable_case(session, case_id, viewer)
    kind = (
        MedicalStatementKind.OPFOELGNINGSATTEST
        if case.case_type in JOBAFKLARING
        else MedicalStatementKind.LAE265
    )
    row = locked_row(
        session,
        MedicalStatement,
        lambda: MedicalStatement(case_id=case_id, kind=kind.value),
        case_id=case_id,
    )
    written, conflicts = apply(session, row, new=data.model_dump(), base=base, viewer=viewer)
    if row.received_on and row.requested_on and row.received_on < row.requested_on:
        raise InvalidInput(t("prep.received_before_requested"), field="received_on")
    return _saved(session, case, rulebook, viewer, "medical_statement", written, conflicts)


def save_documents(
    *,
    session: Session,
    case_id: int,
    received: set[DocumentKind],
    rulebook: RuleBook,
    viewer: Viewer,
) -> PreparationRead:
    """Tick the material received; an unticked kind loses its received date."""
    case = _editable_case(session, case_id, viewer)
    existing = {
        d.kind: d
        for d in session.exec(select(CaseDocument).where(col(CaseDocument.case_id) == case_id))
    }
    for kind in DocumentKind:
        row = existing.get(kind.value)
        if kind in received and (row is None or row.received_on is None):
            row = row or CaseDocument(case_id=case_id, kind=kind.value)
            row.received_on = clock.today()
            row.version += 1 if row.id else 0
            session.add(row)
        elif kind not in received and row is not None and row.received_on is not None:
            row.received_on = None
            row.version += 1
            session.add(row)
    session.flush()
    _audit_change(session, case, "case_document", "", viewer)
    return get_preparation(
        session=session, case_id=case_id, rulebook=rulebook, viewer=viewer, log_read=False
    )


def save_wishes(
    *,
    session: Session,
    case_id: int,
    data: MeetingWishesInput,
    base: Base,
    rulebook: RuleBook,
    viewer: Viewer,
) -> Saved[PreparationRead]:
    case = _editable_case(session, case_id, viewer)
    written, conflicts = apply(session, case, new=data.model_dump(), base=base, viewer=viewer)
    return _saved(session, case, rulebook, viewer, "case", written, conflicts, "meeting_wishes")


# --- "my cases" -------------------------------------------------------------------------------


def list_my_cases(
    *,
    session: Session,
    rulebook: RuleBook,
    sagsbehandler_id: int | None = None,
    statuses: list[CaseStatus] | None = None,
    search: str = "",
    only_missing: bool = False,
    limit: int = 200,
    viewer: Viewer,
) -> list[MyCaseRead]:
    """A caseworker's cases with what each still lacks. The page is read in SQL; the
    readiness of its rows is computed with two grouped queries, not one query per case."""
    cases: list[CaseRead] = list_cases(
        session=session,
        search=search,
        statuses=statuses,
        sagsbehandler_id=sagsbehandler_id,
        limit=limit,
        viewer=viewer,
    )
    ids = [c.id for c in cases]
    complete: dict[int, set[str]] = {}
    for case_id, key in session.exec(
        select(PreparationField.case_id, PreparationField.field_key)
        .where(col(PreparationField.case_id).in_(ids))
        .where(func.length(func.trim(col(PreparationField.caseworker_text))) > 0)
    ):
        complete.setdefault(case_id, set()).add(key)
    medical = {
        m.case_id: m
        for m in session.exec(
            select(MedicalStatement).where(col(MedicalStatement.case_id).in_(ids))
        )
    }
    result = []
    for c in cases:
        m = medical.get(c.id)
        missing = (
            _missing(
                rulebook.get(c.rule_set),
                case_type=c.case_type,
                complete_fields=complete.get(c.id, set()),
                medical=m,
                has_sagsbehandler=c.sagsbehandler is not None,
            )
            if c.status
            in (CaseStatus.FORBEREDELSE.value, CaseStatus.KLAR.value, CaseStatus.BOOKET.value)
            else []
        )
        if only_missing and not missing:
            continue
        result.append(MyCaseRead(case=c, missing=tuple(missing)))
    return result
