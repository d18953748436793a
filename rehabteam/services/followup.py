"""From indstilling to decision, and the course that follows (DOMAIN: "Rules", 4).

- An approved indstilling is sent; the municipality decides (afgørelse). Followed, a
  ressourceforløb or jobafklaringsforløb starts with the plan's interventions (the indsatsdel)
  under its koordinerende sagsbehandler. Not followed, the case goes back to the team: a
  genforelæggelse case is created with the reasons.
- Each intervention is followed: provider, planned and actual dates, status and outcome, and
  dated progress notes; the coordinator's follow-up conversations set the next date.
- Flags, computed in SQL: the 6-month rule (rule sets with it: no intervention of the
  indsatsdel started within 6 months of the decision), a course near or past its end, and an
  overdue follow-up.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal_column, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound, StaleEdit
from rehabteam.i18n import t
from rehabteam.models import (
    Case,
    Citizen,
    Decision,
    FollowUpNote,
    Forloeb,
    ForloebIntervention,
    Indstilling,
    IndstillingIntervention,
    StaffMember,
)
from rehabteam.models.base import utcnow
from rehabteam.models.cpr import mask_cpr
from rehabteam.models.enums import (
    FORLOEB_TYPES,
    AuditAction,
    CaseStatus,
    CaseType,
    IndstillingStatus,
    IndstillingType,
    NoteKind,
)
from rehabteam.models.inputs import CourseInterventionInput, DecisionInput, NoteInput
from rehabteam.models.read import (
    AwaitingDecisionRead,
    CaseRead,
    CourseInterventionRead,
    DecisionRead,
    ForloebRead,
    ForloebRowRead,
    NoteRead,
)
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit, six_month
from rehabteam.services.access import (
    current_staff,
    require_case_access,
    require_case_creation,
    visible_cases,
)
from rehabteam.services.cases import case_read
from rehabteam.services.preparation import guarded_update
from rehabteam.services.six_month import add_months

END_NOTICE_DAYS = 60  # a course ending within this many days is due back to the team
DEFAULT_JOBAFKLARING_MONTHS = 6
DECIDED = (IndstillingStatus.GODKENDT.value, IndstillingStatus.SENDT.value)


def audit_course(
    session: Session,
    action: AuditAction,
    entity: str,
    entity_id: int | None,
    case: Case,
    viewer: Viewer,
) -> None:
    audit.record_case(
        session=session,
        actor=viewer,
        action=action,
        entity=entity,
        entity_id=entity_id,
        case_id=case.id,
    )


def _case(session: Session, case_id: int, viewer: Viewer) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    return case


# --- sending and deciding --------------------------------------------------------------------


def mark_sent(*, session: Session, case_id: int) -> None:
    """The approved indstilling has gone to the citizen and the myndighed (on export)."""
    row = session.exec(
        select(Indstilling).where(
            col(Indstilling.case_id) == case_id,
            col(Indstilling.status) == IndstillingStatus.GODKENDT.value,
        )
    ).first()
    if row is not None:
        row.status = IndstillingStatus.SENDT.value
        row.sent_at = utcnow()
        row.version += 1
        session.add(row)
        session.flush()


def awaiting_decision(
    *,
    session: Session,
    limit: int = 200,
    coordinator_id: int | None = None,
    viewer: Viewer,
) -> list[AwaitingDecisionRead]:
    """Approved or sent indstillinger without a decision, longest waiting first (the day the
    case became indstillet, i.e. was approved; in SQL, read in order from a partial index);
    only of the cases `viewer` may see."""
    decided = exists().where(col(Decision.indstilling_id) == col(Indstilling.id))
    # A literal, so the planner matches the partial index (models.case.AWAITING_DECISION_SQL).
    indstillet: ColumnElement[str] = literal_column(f"'{CaseStatus.INDSTILLET.value}'")
    stmt = (
        sa_select(
            Indstilling,
            Case,
            col(Citizen.first_name),
            col(Citizen.last_name),
            col(Citizen.cpr),
        )
        .join(Case, col(Case.id) == col(Indstilling.case_id))
        .join(Citizen, col(Citizen.id) == col(Case.citizen_id))
        .where(
            col(Indstilling.status).in_(DECIDED),
            col(Case.status) == indstillet,
            ~decided,
        )
        .order_by(col(Case.status_changed_on), col(Case.id), col(Indstilling.id))
        .limit(limit)
    )
    current_staff(session, viewer)
    stmt = stmt.where(visible_cases(viewer))
    if coordinator_id is not None:
        stmt = stmt.where(
            or_(
                col(Indstilling.koordinerende_sagsbehandler_id) == coordinator_id,
                col(Case.sagsbehandler_id) == coordinator_id,
            )
        )
    return [
        AwaitingDecisionRead(
            case_id=case.id,
            case_number=case.case_number,
            citizen_name=f"{first} {last}",
            cpr_masked=mask_cpr(cpr),
            indstilling_id=row.id,
            indstilling_type=row.type,
            approved_on=row.approved_at.date() if row.approved_at else None,
            sent_on=row.sent_at.date() if row.sent_at else None,
            rule_set=case.rule_set,
        )
        for row, case, first, last, cpr in session.execute(stmt)
    ]


def record_decision(
    *,
    session: Session,
    case_id: int,
    data: DecisionInput,
    rulebook: RuleBook,
    viewer: Viewer,
) -> DecisionRead:
    """Record the municipality's decision on the case's approved indstilling."""
    case = _case(session, case_id, viewer)
    row = session.exec(
        select(Indstilling)
        .where(col(Indstilling.case_id) == case_id, col(Indstilling.status).in_(DECIDED))
        .with_for_update()
    ).first()
    if row is None or row.id is None:
        raise InvalidInput(t("decision.no_indstilling"))
    if session.exec(select(Decision.id).where(col(Decision.indstilling_id) == row.id)).first():
        raise InvalidInput(t("decision.exists"))
    if row.approved_at is not None and data.decided_on < row.approved_at.date():
        raise InvalidInput(t("decision.before_approval"), field="decided_on")
    decision = Decision(
        case_id=case_id,
        indstilling_id=row.id,
        decided_on=data.decided_on,
        followed=data.followed,
        reasons=data.reasons,
        recorded_by_id=viewer.staff_id,
    )
    session.add(decision)
    session.flush()
    assert decision.id is not None
    forloeb_id = None
    if data.followed:
        case.status = CaseStatus.AFGJORT.value
        if row.type in {k.value for k in FORLOEB_TYPES}:
            forloeb_id = _start_forloeb(session, case, row, decision, rulebook)
    else:
        # The team must reassess the case with the municipality's reasons (genforelæggelse).
        case.status = CaseStatus.AFSLUTTET.value
        new_case = _reassessment_case(
            session,
            case,
            CaseType.GENFORELAEGGELSE,
            data.reasons,
            data.decided_on,
            rulebook,
            viewer,
        )
        decision.reassessment_case_id = new_case.id
        session.add(decision)
        audit_course(session, AuditAction.CREATE, "case", new_case.id, new_case, viewer)
    case.status_changed_on = data.decided_on
    session.add(case)
    session.flush()
    audit_course(session, AuditAction.CREATE, "decision", decision.id, case, viewer)
    return _decision_read(session, decision, forloeb_id)


def _decision_read(session: Session, decision: Decision, forloeb_id: int | None) -> DecisionRead:
    assert decision.id is not None
    number = None
    if decision.reassessment_case_id is not None:
        other = session.get(Case, decision.reassessment_case_id)
        number = other.case_number if other else None
    return DecisionRead(
        id=decision.id,
        case_id=decision.case_id,
        decided_on=decision.decided_on,
        followed=decision.followed,
        reasons=decision.reasons,
        forloeb_id=forloeb_id,
        reassessment_case_id=decision.reassessment_case_id,
        reassessment_case_number=number,
    )


def _reassessment_case(
    session: Session,
    case: Case,
    case_type: CaseType,
    background: str,
    referral: date,
    rulebook: RuleBook,
    viewer: Viewer,
    *,
    under_today: bool = False,
) -> Case:
    """A new case for the team, under the original case's rule set where it allows the type
    (the reassessment belongs to the same course), else the rule set of today; `under_today`
    always today's (what comes after a course is decided under the law of now)."""
    require_case_creation(session, viewer, case.sagsbehandler_id, case.team_id, from_case=case)
    rule_set = rulebook.get(case.rule_set)
    override = ""
    proposed = rulebook.for_date(referral)
    if under_today or not rule_set.allows_case_type(case_type):
        rule_set = proposed
    elif rule_set.key != proposed.key:
        override = t("reassessment.same_rule_set", number=case.case_number)
    new_case = Case(
        case_number=f"tmp-{uuid.uuid4().hex[:14]}",
        citizen_id=case.citizen_id,
        case_type=case_type.value,
        referral_date=referral,
        rule_set=rule_set.key,
        rule_set_override_reason=override,
        sagsbehandler_id=case.sagsbehandler_id,
        team_id=case.team_id,
        status=CaseStatus.FORBEREDELSE.value,
        without_vocational_education=case.without_vocational_education,
        status_changed_on=clock.today(),
        background=background,
        created_by_id=viewer.staff_id,
    )
    session.add(new_case)
    session.flush()
    new_case.case_number = f"{referral.year}-{new_case.id:05d}"
    session.add(new_case)
    session.flush()
    return new_case


def _start_forloeb(
    session: Session, case: Case, row: Indstilling, decision: Decision, rulebook: RuleBook
) -> int:
    start = decision.decided_on
    months = row.varighed_maaneder or DEFAULT_JOBAFKLARING_MONTHS
    six_month = (
        rulebook.get(case.rule_set).six_month_rule
        and row.type == IndstillingType.RESSOURCEFORLOEB.value
    )
    forloeb = Forloeb(
        case_id=case.id or 0,
        decision_id=decision.id or 0,
        kind=row.type or IndstillingType.RESSOURCEFORLOEB.value,
        coordinator_id=row.koordinerende_sagsbehandler_id,
        start_on=start,
        planned_end_on=add_months(start, months),
        six_month_deadline=add_months(start, 6) if six_month else None,
        next_follow_up_on=start + timedelta(days=30),
    )
    session.add(forloeb)
    session.flush()
    assert forloeb.id is not None
    for item in session.exec(
        select(IndstillingIntervention)
        .where(col(IndstillingIntervention.indstilling_id) == row.id)
        .order_by(col(IndstillingIntervention.position))
    ):
        session.add(
            ForloebIntervention(
                forloeb_id=forloeb.id,
                area=item.area,
                indhold=" – ".join(p for p in (item.formaal, item.indhold) if p) or item.area,
                in_indsatsdel=True,
            )
        )
    session.flush()
    return forloeb.id


# --- the coordinator's overview ----------------------------------------------------------------


def _forloeb_query(today: date, rule_in_force: bool = True) -> Any:
    coordinator = aliased(StaffMember)
    total = (
        sa_select(func.count(col(ForloebIntervention.id)))
        .where(col(ForloebIntervention.forloeb_id) == col(Forloeb.id))
        .scalar_subquery()
    )
    started = (
        sa_select(func.count(col(ForloebIntervention.id)))
        .where(
            col(ForloebIntervention.forloeb_id) == col(Forloeb.id),
            col(ForloebIntervention.actual_start).is_not(None),
        )
        .scalar_subquery()
    )
    six_month_due = six_month.due(today, in_force=rule_in_force)
    return (
        sa_select(
            Forloeb,
            col(Case.case_number),
            col(Citizen.first_name),
            col(Citizen.last_name),
            col(Citizen.cpr),
            col(coordinator.name),
            total.label("total"),
            started.label("started"),
            six_month_due.label("six_month_due"),
        )
        .join(Case, col(Case.id) == col(Forloeb.case_id))
        .join(Citizen, col(Citizen.id) == col(Case.citizen_id))
        .outerjoin(coordinator, col(coordinator.id) == col(Forloeb.coordinator_id))
    )


def _row(row: Any, today: date) -> ForloebRowRead:
    forloeb, number, first, last, cpr, coordinator, total, started, six_due = tuple(row)
    return ForloebRowRead(
        id=forloeb.id,
        case_id=forloeb.case_id,
        case_number=number,
        citizen_name=f"{first} {last}",
        cpr_masked=mask_cpr(cpr),
        kind=forloeb.kind,
        coordinator=coordinator,
        start_on=forloeb.start_on,
        planned_end_on=forloeb.planned_end_on,
        next_follow_up_on=forloeb.next_follow_up_on,
        six_month_deadline=forloeb.six_month_deadline,
        interventions=int(total or 0),
        started=int(started or 0),
        six_month_due=bool(six_due),
        end_due=forloeb.ended_on is None
        and forloeb.planned_end_on <= today + timedelta(days=END_NOTICE_DAYS),
        follow_up_overdue=forloeb.next_follow_up_on is not None
        and forloeb.next_follow_up_on < today,
        reassessment_case_id=forloeb.reassessment_case_id,
    )


def list_forloeb(
    *,
    session: Session,
    coordinator_id: int | None = None,
    today: date | None = None,
    limit: int = 500,
    rulebook: RuleBook,
    viewer: Viewer,
) -> list[ForloebRowRead]:
    """Running courses (of one coordinator, or all) that `viewer` may see, what needs
    doing first: the 6-month flag, an overdue follow-up, then the next follow-up date."""
    today = today or clock.today()
    in_force = rulebook.for_date(today).six_month_rule
    stmt = _forloeb_query(today, in_force).where(col(Forloeb.ended_on).is_(None))
    current_staff(session, viewer)
    stmt = stmt.where(visible_cases(viewer))
    if coordinator_id is not None:
        stmt = stmt.where(col(Forloeb.coordinator_id) == coordinator_id)
    stmt = stmt.order_by(
        col(Forloeb.next_follow_up_on).is_(None), col(Forloeb.next_follow_up_on), col(Forloeb.id)
    ).limit(limit)
    rows = [_row(r, today) for r in session.execute(stmt)]
    return sorted(rows, key=lambda r: (not r.six_month_due, not r.follow_up_overdue))


def get_forloeb(
    *,
    session: Session,
    forloeb_id: int,
    rulebook: RuleBook,
    viewer: Viewer,
    today: date | None = None,
) -> ForloebRead:
    today = today or clock.today()
    in_force = rulebook.for_date(today).six_month_rule
    found = session.execute(
        _forloeb_query(today, in_force).where(col(Forloeb.id) == forloeb_id)
    ).first()
    if found is None:
        raise NotFound(t("forloeb.not_found"))
    row = _row(found, today)
    case = _case(session, row.case_id, viewer)
    decision = session.get(Decision, found[0].decision_id)
    indstilling = session.get(Indstilling, decision.indstilling_id) if decision else None
    audit_course(session, AuditAction.READ, "forloeb", forloeb_id, case, viewer)
    interventions = session.exec(
        select(ForloebIntervention)
        .where(col(ForloebIntervention.forloeb_id) == forloeb_id)
        .order_by(col(ForloebIntervention.id))
    ).all()
    notes = session.execute(
        sa_select(FollowUpNote, col(StaffMember.name))
        .outerjoin(StaffMember, col(StaffMember.id) == col(FollowUpNote.author_id))
        .where(col(FollowUpNote.forloeb_id) == forloeb_id)
        .order_by(col(FollowUpNote.noted_on).desc(), col(FollowUpNote.id).desc())
    ).all()
    forloeb = found[0]
    waived_by = (
        session.get(StaffMember, forloeb.six_month_waived_by_id)
        if forloeb.six_month_waived_by_id
        else None
    )
    return ForloebRead(
        row=row,
        rule_set=case.rule_set,
        goal=indstilling.maal if indstilling else "",
        interventions=[_intervention_read(i) for i in interventions],
        notes=[_note_read(n, author) for n, author in notes],
        exemptions=six_month.exemptions(session, forloeb_id),
        six_month_waived_reason=forloeb.six_month_waived_reason,
        six_month_waived_by=waived_by.name if waived_by else None,
        six_month_waived_on=forloeb.six_month_waived_on,
    )


def _intervention_read(row: ForloebIntervention) -> CourseInterventionRead:
    return CourseInterventionRead.model_validate(row, from_attributes=True)


def _note_read(note: FollowUpNote, author: str | None) -> NoteRead:
    return NoteRead.model_validate({**note.model_dump(), "author": author})


# --- changes -------------------------------------------------------------------------------------


def course_for_change(session: Session, forloeb_id: int, viewer: Viewer) -> tuple[Forloeb, Case]:
    forloeb = session.get(Forloeb, forloeb_id)
    if forloeb is None:
        raise NotFound(t("forloeb.not_found"))
    case = _case(session, forloeb.case_id, viewer)
    if forloeb.ended_on is not None:
        raise InvalidInput(t("forloeb.ended"))
    return forloeb, case


def save_intervention(
    *,
    session: Session,
    forloeb_id: int,
    data: CourseInterventionInput,
    intervention_id: int | None = None,
    expected_version: int = 0,
    viewer: Viewer,
) -> CourseInterventionRead:
    """Add an intervention, or change one (refused when someone saved it in between)."""
    forloeb, case = course_for_change(session, forloeb_id, viewer)
    if data.actual_start and data.actual_start < forloeb.start_on:
        raise InvalidInput(t("intervention.before_forloeb"))
    values = data.model_dump()
    values["area"] = data.area.value
    values["status"] = data.status.value
    if intervention_id is None:
        row = ForloebIntervention(forloeb_id=forloeb_id, **values)
        session.add(row)
        session.flush()
        audit_course(session, AuditAction.CREATE, "forloeb_intervention", row.id, case, viewer)
        return _intervention_read(row)
    existing = session.get(ForloebIntervention, intervention_id)
    if existing is None or existing.forloeb_id != forloeb_id:
        raise NotFound(t("intervention.not_found"))
    if not guarded_update(session, ForloebIntervention, intervention_id, expected_version, values):
        current = session.get(ForloebIntervention, intervention_id)
        theirs = {"indhold": current.indhold, "status": current.status} if current else {}
        raise StaleEdit(t("edit.stale"), theirs=theirs)
    audit_course(session, AuditAction.UPDATE, "forloeb_intervention", intervention_id, case, viewer)
    fresh = session.get(ForloebIntervention, intervention_id)
    assert fresh is not None
    return _intervention_read(fresh)


def add_note(*, session: Session, forloeb_id: int, data: NoteInput, viewer: Viewer) -> NoteRead:
    """A dated note; a follow-up conversation also sets (or clears) the next date."""
    forloeb, case = course_for_change(session, forloeb_id, viewer)
    if data.intervention_id is not None:
        target = session.get(ForloebIntervention, data.intervention_id)
        if target is None or target.forloeb_id != forloeb_id:
            raise NotFound(t("intervention.not_found"))
    note = FollowUpNote(
        forloeb_id=forloeb_id,
        intervention_id=data.intervention_id,
        kind=data.kind.value,
        noted_on=data.noted_on,
        text=data.text,
        author_id=viewer.staff_id,
    )
    session.add(note)
    if data.kind is NoteKind.SAMTALE:
        forloeb.next_follow_up_on = data.next_follow_up_on
        forloeb.version += 1
        session.add(forloeb)
    session.flush()
    audit_course(session, AuditAction.CREATE, "follow_up_note", note.id, case, viewer)
    return _note_read(note, viewer.name)


def end_forloeb(*, session: Session, forloeb_id: int, ended_on: date, viewer: Viewer) -> None:
    """The course is over: the case is closed; open interventions keep their status."""
    forloeb, case = course_for_change(session, forloeb_id, viewer)
    if ended_on > clock.today() or ended_on < forloeb.start_on:
        raise InvalidInput(t("forloeb.end_date"))
    forloeb.ended_on = ended_on
    forloeb.version += 1
    case.status = CaseStatus.AFSLUTTET.value
    case.status_changed_on = ended_on
    session.add(forloeb)
    session.add(case)
    session.flush()
    audit_course(session, AuditAction.UPDATE, "forloeb", forloeb_id, case, viewer)


def _history(session: Session, forloeb_id: int) -> str:
    """The course as the team reads it when it comes back: each intervention with its
    dates, status and outcome, then the notes and follow-up conversations, oldest first."""
    from rehabteam.textsafe import clean_line

    def day(value: date | None) -> str:
        return f"{value:%d.%m.%Y}" if value else "?"

    lines = [t("reassessment.history"), t("reassessment.history_interventions") + ":"]
    items = session.exec(
        select(ForloebIntervention)
        .where(col(ForloebIntervention.forloeb_id) == forloeb_id)
        .order_by(col(ForloebIntervention.id))
    ).all()
    for item in items:
        outcome = f": {clean_line(item.outcome)}" if item.outcome.strip() else ""
        lines.append(
            t(
                "reassessment.history_intervention",
                area=t(f"InterventionArea.{item.area}"),
                indhold=clean_line(item.indhold),
                status=t(f"InterventionStatus.{item.status}"),
                span=f"{day(item.actual_start)} – {day(item.actual_end)}",
                outcome=outcome,
            )
        )
    if not items:
        lines.append(t("reassessment.history_none"))
    lines.append(t("reassessment.history_notes") + ":")
    notes = session.exec(
        select(FollowUpNote)
        .where(col(FollowUpNote.forloeb_id) == forloeb_id)
        .order_by(col(FollowUpNote.noted_on), col(FollowUpNote.id))
    ).all()
    for note in notes:
        lines.append(
            t(
                "reassessment.history_note",
                on=day(note.noted_on),
                kind=t(f"NoteKind.{note.kind}"),
                text=clean_line(note.text),
            )
        )
    if not notes:
        lines.append(t("reassessment.history_none"))
    return "\n".join(lines)


def create_reassessment(
    *,
    session: Session,
    forloeb_id: int,
    rulebook: RuleBook,
    today: date | None = None,
    viewer: Viewer,
) -> CaseRead:
    """The course goes back to the team (6-month rule, or its end): a genforelæggelse case
    of the ressourceforløb, with why. Returns the new case."""
    today = today or clock.today()
    forloeb, case = course_for_change(session, forloeb_id, viewer)
    if forloeb.reassessment_case_id is not None:
        raise InvalidInput(t("reassessment.exists"))
    in_force = rulebook.for_date(today).six_month_rule
    flagged = session.execute(
        _forloeb_query(today, in_force).where(col(Forloeb.id) == forloeb_id)
    ).first()
    assert flagged is not None
    row = _row(flagged, today)
    kind = CaseType.RESSOURCEFORLOEB_GENFORELAEGGELSE
    if row.six_month_due:
        background = t("reassessment.six_month", deadline=f"{forloeb.six_month_deadline:%d.%m.%Y}")
    else:
        background = t("reassessment.end", end=f"{forloeb.planned_end_on:%d.%m.%Y}")
        if forloeb.kind == IndstillingType.RESSOURCEFORLOEB.value:
            # The end of a ressourceforløb: what comes next, with what the course held.
            kind = CaseType.RESSOURCEFORLOEB_AFSLUTNING
            background += "\n" + t("reassessment.end_question")
    background += "\n\n" + _history(session, forloeb_id)
    new_case = _reassessment_case(
        session,
        case,
        kind,
        background,
        today,
        rulebook,
        viewer,
        under_today=kind is CaseType.RESSOURCEFORLOEB_AFSLUTNING,
    )
    forloeb.reassessment_case_id = new_case.id
    forloeb.version += 1
    session.add(forloeb)
    session.flush()
    audit_course(session, AuditAction.CREATE, "case", new_case.id, new_case, viewer)
    assert new_case.id is not None
    return case_read(session, new_case.id)
