"""Approving an indstilling: validation per rule set (DOMAIN rules 4 and 5), locking, and the
koordinerende sagsbehandlere's caseload against the guideline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound, RuleViolation
from rehabteam.i18n import label, t
from rehabteam.models import (
    AgendaItem,
    Case,
    Citizen,
    DisciplineAssessment,
    Forloeb,
    Indstilling,
    StaffMember,
    StaffRoleLink,
)
from rehabteam.models.base import utcnow
from rehabteam.models.enums import (
    AgendaStatus,
    AuditAction,
    CaseStatus,
    Discipline,
    IndstillingStatus,
    IndstillingType,
    StaffRole,
)
from rehabteam.models.read import CaseloadRead, FieldStamp, IndstillingRead
from rehabteam.models.recommendation import INDSTILLING_FIELDS
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.rules.pension import years_to_pension
from rehabteam.services.access import require_approver, require_case_access
from rehabteam.services.indstilling import audit_change, to_read


def approval_problems(
    *, session: Session, indstilling: IndstillingRead, rulebook: RuleBook, today: date | None = None
) -> tuple[list[str], list[str]]:
    """What blocks approval under the case's rule set, and warnings that do not block."""
    case = session.get(Case, indstilling.case_id)
    assert case is not None
    rule_set = rulebook.get(case.rule_set)
    problems: list[str] = []
    warnings: list[str] = []
    kind = IndstillingType(indstilling.type) if indstilling.type else None
    if kind is None:
        problems.append(t("approve.no_type"))
    else:
        # The case's rule set, and the law in force on its referral date (a case stored
        # under an older rule set cannot recommend what the law since forbids).
        in_force = rulebook.for_date(case.referral_date)
        refusing = next((r for r in (rule_set, in_force) if not r.allows_indstilling(kind)), None)
        if refusing is not None:
            problems.append(t("approve.type_not_allowed", type=label(kind), rule_set=refusing.name))
    if not indstilling.begrundelse.strip():
        problems.append(t("approve.no_begrundelse"))
    if not indstilling.vurdering.strip():
        problems.append(t("approve.no_vurdering"))
    coordinator = session.exec(
        select(DisciplineAssessment).where(
            col(DisciplineAssessment.case_id) == indstilling.case_id,
            col(DisciplineAssessment.meeting_id) == indstilling.meeting_id,
            col(DisciplineAssessment.discipline) == Discipline.SUNDHEDSKOORDINATOR.value,
        )
    ).first()
    from rehabteam.services import health_advice
    from rehabteam.services.disciplines import chosen

    if rule_set.disciplines_chosen_per_case:
        assessed = {
            a.discipline
            for a in session.exec(
                select(DisciplineAssessment).where(
                    col(DisciplineAssessment.case_id) == indstilling.case_id,
                    col(DisciplineAssessment.meeting_id) == indstilling.meeting_id,
                )
            )
            if a.vurdering.strip()
        }
        for discipline in chosen(case):
            if discipline.value not in assessed:
                problems.append(
                    t("approve.chosen_discipline_missing", discipline=label(discipline))
                )

    advice = health_advice.advice_row(session, case.id or 0)
    advised = advice is not None and advice.given_on is not None
    # Where the law asks for the advice (lov nr. 1750/2025: fleksjob, førtidspension), given
    # advice is the sundhedskoordinator's part; elsewhere the assessment at the meeting is.
    needs_advice = kind in health_advice.ADVISED_OUTCOMES and health_advice.required(case, rulebook)
    if (coordinator is None or not coordinator.vurdering.strip()) and not (
        needs_advice and advised
    ):
        problems.append(t("approve.no_sundhedskoordinator"))
    if needs_advice and not advised:
        problems.append(t("approve.no_health_advice"))
    if kind is IndstillingType.RESSOURCEFORLOEB:
        today_rules = rulebook.for_date(today or clock.today())
        referred_before = rulebook.for_date(case.referral_date).allows_indstilling(kind)
        if referred_before and not today_rules.allows_indstilling(kind):
            # Referred before the reform, so the rule set allows it; but no new ones are
            # granted now: the municipality must check the transitional rule.
            warnings.append(t("approve.ressourceforloeb_after_reform", rule_set=today_rules.name))
        low, high = rule_set.ressourceforloeb_months
        months = indstilling.varighed_maaneder
        if months is None:
            problems.append(t("approve.no_duration", low=low, high=high))
        elif not low <= months <= high:
            problems.append(
                t(
                    "approve.duration_bounds",
                    months=months,
                    low=low,
                    high=high,
                    rule_set=rule_set.name,
                )
            )
        if indstilling.koordinerende_sagsbehandler_id is None:
            problems.append(t("approve.no_coordinator"))
        if not indstilling.maal.strip():
            problems.append(t("approve.no_goal"))
        if not indstilling.interventions:
            problems.append(t("approve.no_indsatsdel"))
        citizen = session.get(Citizen, case.citizen_id)
        if citizen is not None and rule_set.age_bands:
            band = _age_band(session, case, citizen, indstilling.varighed_maaneder)
            if band is not None:
                warnings.append(t(band[0], **band[1]))
        if citizen is not None and rule_set.pension_age_warning_years:
            left = years_to_pension(citizen.birth_date, today or clock.today())
            if left < rule_set.pension_age_warning_years:
                warnings.append(
                    t(
                        "approve.near_pension",
                        years=f"{left:.1f}",
                        limit=rule_set.pension_age_warning_years,
                    )
                )
    if kind is IndstillingType.FOERTIDSPENSION:
        for name in (
            "fp_beskaeftigelsesforhold",
            "fp_sociale_forhold",
            "fp_helbredsforhold",
            "fp_arbejdsevne_begrundelse",
        ):
            if not getattr(indstilling, name).strip():
                problems.append(t(f"approve.{name}"))
    if kind is IndstillingType.FLEKSJOB and not indstilling.fleksjob_begrundelse.strip():
        problems.append(t("approve.no_fleksjob_begrundelse"))
    return problems, warnings


def _age_band(
    session: Session, case: Case, citizen: Citizen, months: int | None
) -> tuple[str, dict[str, int]] | None:
    """The 2022 age band a new ressourceforløb for this citizen would break (lov nr.
    1160/2021), from the citizen's earlier ressourceforløb (their length as run, or as
    planned while running)."""
    from rehabteam.rules.age_bands import age_band_warning, months_between

    earlier = session.exec(
        select(Forloeb)
        .join(Case, col(Case.id) == col(Forloeb.case_id))
        .where(
            col(Case.citizen_id) == citizen.id,
            col(Case.id) != case.id,
            col(Forloeb.kind) == IndstillingType.RESSOURCEFORLOEB.value,
        )
    ).all()
    lengths = [months_between(f.start_on, f.ended_on or f.planned_end_on) for f in earlier]
    return age_band_warning(
        birth=citizen.birth_date,
        on=case.referral_date,
        earlier_months=lengths,
        proposed_months=months,
    )


def approve(
    *,
    session: Session,
    indstilling_id: int,
    rulebook: RuleBook,
    viewer: Viewer,
    seen: Mapping[str, Any],
) -> IndstillingRead:
    """Approve the draft the chair sees: `seen` is every field as on the chair's screen; if
    the stored draft differs (someone saved since), approval is refused and each difference
    named. Approved, it is locked, an earlier approved version is kept as superseded, the
    case is `indstillet` and its agenda item `behandlet`."""
    row = session.exec(
        select(Indstilling).where(col(Indstilling.id) == indstilling_id).with_for_update()
    ).first()
    if row is None:
        raise NotFound(t("indstilling.not_found"))
    if row.status != IndstillingStatus.KLADDE.value:
        raise InvalidInput(t("indstilling.locked"))
    case_row = session.get(Case, row.case_id)
    assert case_row is not None
    require_case_access(session, case_row, viewer)
    require_approver(session, row.meeting_id, viewer)
    read = to_read(session, row)
    stored = read.values()
    differ = [
        name for name in INDSTILLING_FIELDS if name in stored and seen.get(name) != stored[name]
    ]
    if differ:
        raise RuleViolation(
            t("approve.not_what_you_saw"),
            problems=[_difference(name, read.stamps.get(name)) for name in differ],
        )
    problems, _warnings = approval_problems(session=session, indstilling=read, rulebook=rulebook)
    if problems:
        raise RuleViolation(t("approve.refused"), problems=problems)
    for older in session.exec(
        select(Indstilling).where(
            col(Indstilling.case_id) == row.case_id,
            col(Indstilling.status) == IndstillingStatus.GODKENDT.value,
        )
    ):
        older.status = IndstillingStatus.ERSTATTET.value
        session.add(older)
    row.status = IndstillingStatus.GODKENDT.value
    row.approved_by_id = viewer.staff_id
    row.approved_at = utcnow()
    row.version += 1
    session.add(row)
    case = session.get(Case, row.case_id)
    assert case is not None
    case.status = CaseStatus.INDSTILLET.value
    case.status_changed_on = clock.today()
    session.add(case)
    for item in session.exec(
        select(AgendaItem).where(
            col(AgendaItem.case_id) == row.case_id,
            col(AgendaItem.meeting_id) == row.meeting_id,
            col(AgendaItem.status) == AgendaStatus.BOOKET.value,
        )
    ):
        item.status = AgendaStatus.BEHANDLET.value
        session.add(item)
    session.flush()
    audit_change(session, row.case_id, row.id, AuditAction.UPDATE, "approved", viewer)
    return to_read(session, row)


def _difference(name: str, stamp: FieldStamp | None) -> str:
    from rehabteam.models.recommendation import field_label

    if stamp is None:
        return t("approve.differs", field=field_label(name))
    return t(
        "approve.differs_by",
        field=field_label(name),
        by=stamp.by,
        at=stamp.at.astimezone().strftime("%H:%M"),
    )


def caseloads(
    *, session: Session, guidelines: Mapping[str, tuple[int, int]] | None = None
) -> list[CaseloadRead]:
    """Each koordinerende sagsbehandler's caseload per area (the kind of course), counted in
    SQL: the running courses they hold, and the approved (or sent) ressourceforløb
    indstillinger naming them that await the municipality's decision. `guidelines` is the
    (lowest, highest) per area: Dansk Socialrådgiverforening's vejledende sagstal, not law."""
    guidelines = guidelines or {"ressourceforloeb": (25, 40), "jobafklaringsforloeb": (25, 45)}
    running = (
        select(Forloeb.coordinator_id, Forloeb.kind, func.count(col(Forloeb.id)))
        .where(col(Forloeb.ended_on).is_(None))
        .group_by(col(Forloeb.coordinator_id), col(Forloeb.kind))
    )
    # Grouped by an expression, not the column: with the column, SQLite walks the whole
    # coordinator index in order instead of starting from the few cases awaiting a decision.
    coordinator = func.coalesce(col(Indstilling.koordinerende_sagsbehandler_id), 0)
    awaiting = (
        select(coordinator, Indstilling.type, func.count(col(Indstilling.id)))
        .select_from(Case)
        .join(Indstilling, col(Indstilling.case_id) == col(Case.id))
        .where(
            col(Case.status) == CaseStatus.INDSTILLET.value,
            col(Indstilling.type) == IndstillingType.RESSOURCEFORLOEB.value,
            col(Indstilling.status).in_(
                [IndstillingStatus.GODKENDT.value, IndstillingStatus.SENDT.value]
            ),
        )
        .group_by(coordinator, col(Indstilling.type))
    )
    counts: dict[int, dict[str, int]] = {}

    def add(staff_id: int | None, area: str | None, n: int) -> None:
        if staff_id and area:
            mine = counts.setdefault(int(staff_id), {})
            mine[area] = mine.get(area, 0) + int(n)

    if session.get_bind().dialect.name == "postgresql":
        # Row-level security would count only the cases this login may see; the database
        # counts them all and hands out the numbers only.
        found = session.execute(text("SELECT * FROM rehabteam_caseloads_by_area()"))
        for staff_id, area, n in found:
            add(staff_id, area, n)
    else:
        for query in (running, awaiting):
            for staff_id, area, n in session.exec(query):
                add(staff_id, area, n)
    coordinators = session.exec(
        select(StaffMember)
        .join(StaffRoleLink, col(StaffRoleLink.staff_id) == col(StaffMember.id))
        .where(
            col(StaffRoleLink.role) == StaffRole.KOORDINERENDE_SAGSBEHANDLER.value,
            col(StaffMember.active),
        )
        .order_by(col(StaffMember.name))
    ).all()
    result = []
    for m in coordinators:
        areas = counts.get(m.id or 0, {})
        over = tuple(area for area, (_low, high) in guidelines.items() if areas.get(area, 0) > high)
        result.append(
            CaseloadRead(
                staff_id=m.id or 0,
                name=m.name,
                initials=m.initials,
                phone=m.phone,
                active_ressourceforloeb=areas.get(IndstillingType.RESSOURCEFORLOEB.value, 0),
                areas={a: n for a, n in areas.items() if a in guidelines},
                over=over,
                over_guideline=bool(over),
            )
        )
    return result
