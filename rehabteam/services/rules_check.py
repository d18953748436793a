"""Cases whose stored rule set no longer fits their referral date under the rule sets as
they stand now (a corrected date, a new rule set): listed for a person to decide, never
changed silently. The rule set in force is worked out in SQL, so this stays one query at a
large municipality's scale."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, literal
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from rehabteam.models import Case
from rehabteam.models.read import _Read
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services.access import current_staff, visible_cases


class RuleMisfit(_Read):
    case_id: int
    case_number: str
    case_type: str
    referral_date: date
    stored: str  # the rule set the case was created under
    in_force: str  # the rule set in force on its referral date now
    type_allowed: bool  # whether the rule set in force allows the case's type
    override_reason: str  # the reason recorded when the stored one was chosen, if any

    def as_json(self) -> dict[str, object]:
        return {**self.model_dump(), "referral_date": self.referral_date.isoformat()}


def misfits(*, session: Session, rulebook: RuleBook, viewer: Viewer) -> list[RuleMisfit]:
    """The cases `viewer` may see whose rule set is not the one in force on their referral
    date, oldest referral first."""
    current_staff(session, viewer)
    ordered = rulebook.all()
    in_force = case(
        *(
            (col(Case.referral_date) >= rs.effective_from, literal(rs.key))
            for rs in reversed(ordered[1:])
        ),
        else_=literal(ordered[0].key),
    ).label("in_force")
    rows = session.execute(
        sa_select(
            col(Case.id),
            col(Case.case_number),
            col(Case.case_type),
            col(Case.referral_date),
            col(Case.rule_set),
            in_force,
            col(Case.rule_set_override_reason),
        )
        .where(visible_cases(viewer), col(Case.rule_set) != in_force)
        .order_by(col(Case.referral_date), col(Case.id))
    ).all()
    return [
        RuleMisfit(
            case_id=case_id,
            case_number=number,
            case_type=kind,
            referral_date=referral,
            stored=stored,
            in_force=fits,
            type_allowed=rulebook.get(fits).allows_case_type(kind, on=referral),
            override_reason=reason or "",
        )
        for case_id, number, kind, referral, stored, fits, reason in rows
    ]
