"""Creating and listing cases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound, RuleViolation
from rehabteam.i18n import label, t
from rehabteam.models import AgendaItem, Case, Citizen, Meeting, StaffMember, Team, TeamMember
from rehabteam.models.cpr import mask_cpr
from rehabteam.models.enums import (
    OPEN_CASE_STATUSES,
    AgendaStatus,
    AuditAction,
    CaseStatus,
    CaseType,
)
from rehabteam.models.inputs import CaseCreate
from rehabteam.models.read import CaseRead
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook, RulesError, RuleSet
from rehabteam.services import audit
from rehabteam.services.access import (
    current_staff,
    require_case_access,
    require_case_creation,
    require_citizen_access,
    visible_cases,
)
from rehabteam.services.citizens import citizen_filter


def propose_rule_set(rulebook: RuleBook, referral_date: date) -> RuleSet:
    """The rule set in force on the referral date; the user may override it with a reason."""
    return rulebook.for_date(referral_date)


def default_team(session: Session, sagsbehandler_id: int | None, viewer: Viewer) -> int | None:
    """The team a new case belongs to when none is chosen: the sagsbehandler's team, else
    the creator's, else the municipality's only team. None when that is not one team."""
    for staff_id in (sagsbehandler_id, viewer.staff_id):
        if staff_id is None:
            continue
        teams = list(
            session.execute(
                sa_select(col(TeamMember.team_id)).where(col(TeamMember.staff_id) == staff_id)
            ).scalars()
        )
        if teams:
            return int(teams[0]) if len(teams) == 1 else None
    only = list(session.execute(sa_select(col(Team.id)).limit(2)).scalars())
    return int(only[0]) if len(only) == 1 else None


def _case_team(session: Session, data: CaseCreate, viewer: Viewer) -> int | None:
    """The chosen team, or the default one; a case must belong to a team whenever the
    municipality has one, or the team could never see or book it."""
    if data.team_id is not None:
        if session.get(Team, data.team_id) is None:
            raise InvalidInput(t("case.team_not_found"), field="team")
        return data.team_id
    team_id = default_team(session, data.sagsbehandler_id, viewer)
    if team_id is None and session.execute(sa_select(col(Team.id)).limit(1)).first() is not None:
        raise InvalidInput(t("case.team_required"), field="team")
    return team_id


def create_case(
    *, session: Session, data: CaseCreate, rulebook: RuleBook, viewer: Viewer
) -> CaseRead:
    """A new case for a citizen the viewer may see, belonging to the viewer or one of the
    viewer's teams."""
    citizen = session.get(Citizen, data.citizen_id)
    if citizen is None:
        raise NotFound(t("citizen.not_found"))
    require_citizen_access(session, citizen, viewer)
    team_id = _case_team(session, data, viewer)
    require_case_creation(session, viewer, data.sagsbehandler_id, team_id)
    proposed = propose_rule_set(rulebook, data.referral_date)
    key = data.rule_set or proposed.key
    try:
        rule_set = rulebook.get(key)
    except RulesError:
        raise InvalidInput(t("case.unknown_rule_set", key=key), field="rule_set") from None
    if rule_set.key != proposed.key and not data.rule_set_override_reason.strip():
        raise InvalidInput(t("case.override_needs_reason"), field="rule_set_override_reason")
    # The law in force on the referral date decides what a new case may be, whichever rule
    # set is chosen: no new ressourceforløb from 1 February 2026, not even under an older one.
    for rules in (rule_set, proposed):
        if not rules.allows_case_type(data.case_type, on=data.referral_date):
            raise RuleViolation(
                t("case.type_not_allowed", case_type=label(data.case_type), rule_set=rules.name)
            )
    case = Case(
        case_number=f"tmp-{uuid.uuid4().hex[:14]}",
        citizen_id=data.citizen_id,
        case_type=data.case_type.value,
        referral_date=data.referral_date,
        rule_set=rule_set.key,
        rule_set_override_reason=data.rule_set_override_reason
        if rule_set.key != proposed.key
        else "",
        sagsbehandler_id=data.sagsbehandler_id,
        team_id=team_id,
        status=CaseStatus.FORBEREDELSE.value,
        without_vocational_education=data.without_vocational_education,
        status_changed_on=clock.today(),
        created_by_id=viewer.staff_id,
    )
    session.add(case)
    session.flush()
    # Numbered from the row id: unique across workstations without a counter to race on.
    case.case_number = f"{data.referral_date.year}-{case.id:05d}"
    session.add(case)
    session.flush()
    audit.record(
        session=session,
        actor=viewer,
        action=AuditAction.CREATE,
        entity="case",
        entity_id=case.id,
        case_id=case.id,
        cpr_digits=citizen.cpr,
    )
    assert case.id is not None
    return case_read(session, case.id)


def status_in(statuses: list[CaseStatus]) -> ColumnElement[bool]:
    """`status IN (...)` with the values written as literals, in a fixed order: that is how
    the planner recognises the open cases' partial index (models.case.OPEN_CASE_SQL)."""
    values = [s.value for s in OPEN_CASE_STATUSES if s in statuses]
    values += sorted(s.value for s in statuses if s not in OPEN_CASE_STATUSES)
    return col(Case.status).in_(
        bindparam("case_statuses", values, expanding=True, literal_execute=True)
    )


def _case_query() -> Select[Any]:
    sagsbehandler = aliased(StaffMember)
    booked = aliased(AgendaItem)
    upcoming = aliased(Meeting)
    columns: list[Any] = [
        Case,
        Citizen.first_name,
        Citizen.last_name,
        Citizen.cpr,
        sagsbehandler.name,
        upcoming.id,
        upcoming.date,
    ]
    return (
        sa_select(*columns)
        .join(Citizen, col(Citizen.id) == col(Case.citizen_id))
        .outerjoin(sagsbehandler, col(sagsbehandler.id) == col(Case.sagsbehandler_id))
        .outerjoin(
            booked,
            and_(
                col(booked.case_id) == col(Case.id),
                col(booked.status) == AgendaStatus.BOOKET.value,
            ),
        )
        .outerjoin(upcoming, col(upcoming.id) == col(booked.meeting_id))
    )


def _row_to_read(row: Row[Any] | tuple[Any, ...]) -> CaseRead:
    case, first, last, cpr, sagsbehandler, meeting_id, meeting_date = tuple(row)
    assert case.id is not None
    return CaseRead(
        id=case.id,
        case_number=case.case_number,
        citizen_id=case.citizen_id,
        citizen_name=f"{first} {last}",
        cpr_masked=mask_cpr(str(cpr)),
        case_type=case.case_type,
        status=case.status,
        rule_set=case.rule_set,
        referral_date=case.referral_date,
        sagsbehandler=sagsbehandler,
        meeting_id=meeting_id,
        meeting_date=meeting_date,
        background=case.background,
    )


def case_read(session: Session, case_id: int) -> CaseRead:
    """The case's list row; callers have checked the viewer may see it."""
    row = session.execute(_case_query().where(col(Case.id) == case_id)).first()
    if row is None:
        raise NotFound(t("case.not_found"))
    return _row_to_read(row)


def get_case(*, session: Session, case_id: int, viewer: Viewer) -> CaseRead:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    return case_read(session, case_id)


def list_cases(
    *,
    session: Session,
    search: str = "",
    statuses: list[CaseStatus] | None = None,
    sagsbehandler_id: int | None = None,
    citizen_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    viewer: Viewer,
) -> list[CaseRead]:
    """The cases `viewer` may see (need-to-know) matching the filters, newest referral
    first. Filtering and paging run in SQL; a search is written to the audit trail (its
    criterion as a keyed hash)."""
    current_staff(session, viewer)
    if search.strip():
        audit.record_search(session=session, actor=viewer, entity="case", criterion=search)
    stmt = _case_query().where(visible_cases(viewer))
    condition = citizen_filter(search)
    if condition is not None:
        stmt = stmt.where(condition)
    if statuses:
        stmt = stmt.where(status_in(statuses))
    if sagsbehandler_id is not None:
        stmt = stmt.where(col(Case.sagsbehandler_id) == sagsbehandler_id)
    if citizen_id is not None:
        stmt = stmt.where(col(Case.citizen_id) == citizen_id)
    stmt = stmt.order_by(col(Case.referral_date).desc(), col(Case.id).desc())
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_row_to_read(row) for row in session.execute(stmt)]


def allowed_case_types(rule_set: RuleSet) -> list[CaseType]:
    return list(rule_set.case_types)


def count_cases(
    *,
    session: Session,
    search: str = "",
    statuses: list[CaseStatus] | None = None,
    viewer: Viewer,
) -> int:
    stmt = sa_select(func.count()).select_from(Case).where(visible_cases(viewer))
    condition = citizen_filter(search)
    if condition is not None:
        stmt = stmt.join(Citizen, col(Citizen.id) == col(Case.citizen_id)).where(condition)
    if statuses:
        stmt = stmt.where(status_in(statuses))
    return int(session.execute(stmt).scalar_one())
