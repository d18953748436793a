"""Who assesses a case. Before 2025 the rule set names every discipline that must take
part. From lov nr. 1657/2024 only beskæftigelse and the sundhedskoordinator are mandatory:
the chair (mødeleder) chooses, per case, which others take part, and the reason is recorded
and printed in the team's document."""

from __future__ import annotations

from sqlmodel import Session, col, select

from rehabteam.errors import AccessDenied, InvalidInput, NotFound
from rehabteam.i18n import label, t
from rehabteam.models import Case
from rehabteam.models.enums import AuditAction, Discipline, StaffRole
from rehabteam.models.law_inputs import DisciplineChoiceInput
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook, RuleSet
from rehabteam.services import audit
from rehabteam.services.access import require_case_access


def chosen(case: Case) -> tuple[Discipline, ...]:
    return tuple(Discipline(d) for d in case.chosen_disciplines.split(",") if d)


def case_disciplines(rule_set: RuleSet, case: Case) -> tuple[Discipline, ...]:
    """The disciplines that must assess the case: the rule set's mandatory ones, plus those
    the chair chose for it where the rule set lets the chair choose."""
    extra = chosen(case) if rule_set.disciplines_chosen_per_case else ()
    return tuple(dict.fromkeys((*rule_set.required_disciplines, *extra)))


def choice_text(rule_set: RuleSet, case: Case) -> str:
    """ "Beskæftigelse, sundhedskoordinator (obligatoriske); social: <reason>" for documents."""
    if not rule_set.disciplines_chosen_per_case:
        return ""
    mandatory = ", ".join(label(d) for d in rule_set.required_disciplines)
    extra = ", ".join(label(d) for d in chosen(case))
    if not extra:
        return t("disciplines.only_mandatory", mandatory=mandatory)
    return t(
        "disciplines.chosen", mandatory=mandatory, chosen=extra, reason=case.disciplines_reason
    )


def choose_disciplines(
    *,
    session: Session,
    case_id: int,
    data: DisciplineChoiceInput,
    rulebook: RuleBook,
    viewer: Viewer,
) -> str:
    """The chair records which disciplines beyond the mandatory ones assess the case, and
    why. Returns the choice as documents print it."""
    case = session.exec(select(Case).where(col(Case.id) == case_id).with_for_update()).first()
    if case is None:
        raise NotFound(t("case.not_found"))
    require_case_access(session, case, viewer)
    if not viewer.has(StaffRole.MOEDELEDER):
        raise AccessDenied(t("disciplines.chair_only"))
    rule_set = rulebook.get(case.rule_set)
    if not rule_set.disciplines_chosen_per_case:
        raise InvalidInput(t("disciplines.not_chosen", rule_set=rule_set.name))
    extra = [
        d
        for d in data.chosen
        if d not in rule_set.required_disciplines and d is not Discipline.GAEST
    ]
    case.chosen_disciplines = ",".join(d.value for d in extra)
    case.disciplines_reason = data.reason
    case.version += 1
    session.add(case)
    session.flush()
    audit.record_case(
        session=session,
        actor=viewer,
        action=AuditAction.UPDATE,
        entity="case_disciplines",
        entity_id=case_id,
        case_id=case_id,
    )
    return choice_text(rule_set, case)
