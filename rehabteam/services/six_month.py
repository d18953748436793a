"""The 6-month rule as BEK 2408 § 17 says it: a ressourceforløb must have an intervention of
its indsatsdel started within six months of the course's start, or go back to the team.

- Only interventions listed in the indsatsdel count, and only those started on or after the
  day the course began (one begun before it is earlier effort, not the course's).
- Periods of fritagelse (exemption) are not counted: the deadline moves by their length,
  and while one is open the rule waits.
- Where "særlige grunde" speak against it the rule does not apply; that needs a recorded
  reason (and who decided it).
- Whether the rule survives for running courses after the 2026 reform is not confirmed: the
  rule set in force today switches it (`six_month_rule`), beside the case's own rule set,
  which set the deadline when the course began.

The deadline is stored on the course (recomputed when a fritagelse is recorded), so the
coordinator's list flags courses in SQL however many there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, false, literal
from sqlmodel import Session, col, select

from rehabteam import clock
from rehabteam.errors import InvalidInput, NotFound, StaleEdit
from rehabteam.i18n import t
from rehabteam.models import Forloeb, ForloebExemption, ForloebIntervention
from rehabteam.models.enums import AuditAction
from rehabteam.models.law_inputs import ExemptionInput, WaiverInput
from rehabteam.models.read import ExemptionRead
from rehabteam.models.viewer import Viewer


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(start: date, exemptions: Iterable[tuple[date, date | None]]) -> date:
    """Six months from `start`, not counting the days of the (closed) periods of fritagelse
    that fall before the deadline so reached. Overlapping periods count once."""
    closed = sorted(
        (max(begin, start), end)
        for begin, end in exemptions
        if end is not None and end >= max(begin, start)
    )
    merged: list[list[date]] = []
    for begin, end in closed:
        if merged and begin <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    due = add_months(start, 6)
    for begin, end in merged:
        if begin > due:
            break
        due += timedelta(days=(end - begin).days + 1)
    return due


def started_in_time() -> Any:
    """SQL: an intervention of the indsatsdel started within the course, by the deadline."""
    return exists().where(
        col(ForloebIntervention.forloeb_id) == col(Forloeb.id),
        col(ForloebIntervention.in_indsatsdel),
        col(ForloebIntervention.actual_start) >= col(Forloeb.start_on),
        col(ForloebIntervention.actual_start) <= col(Forloeb.six_month_deadline),
    )


def paused(today: date) -> Any:
    """SQL: a period of fritagelse begun (by `today` and by the deadline) is still open."""
    return exists().where(
        col(ForloebExemption.forloeb_id) == col(Forloeb.id),
        col(ForloebExemption.to_on).is_(None),
        col(ForloebExemption.from_on) <= col(Forloeb.six_month_deadline),
        col(ForloebExemption.from_on) <= literal(today),
    )


def due(today: date, *, in_force: bool = True) -> Any:
    """SQL: the course is flagged by the 6-month rule on `today` (the deadline day itself
    still counts); `in_force` is the switch of the rule set in force today."""
    if not in_force:
        return false()
    return and_(
        col(Forloeb.six_month_deadline).is_not(None),
        col(Forloeb.six_month_deadline) < literal(today),
        col(Forloeb.six_month_waived_reason) == "",
        ~started_in_time(),
        ~paused(today),
        col(Forloeb.reassessment_case_id).is_(None),
    )


def exemptions(session: Session, forloeb_id: int) -> list[ExemptionRead]:
    return [
        ExemptionRead.model_validate(row, from_attributes=True)
        for row in session.exec(
            select(ForloebExemption)
            .where(col(ForloebExemption.forloeb_id) == forloeb_id)
            .order_by(col(ForloebExemption.from_on), col(ForloebExemption.id))
        )
    ]


def _recompute(session: Session, forloeb: Forloeb) -> None:
    if forloeb.six_month_deadline is None or forloeb.id is None:
        return  # the course's rule set has no 6-month rule
    periods = [(e.from_on, e.to_on) for e in exemptions(session, forloeb.id)]
    forloeb.six_month_deadline = deadline(forloeb.start_on, periods)


def save_exemption(
    *,
    session: Session,
    forloeb_id: int,
    data: ExemptionInput,
    exemption_id: int | None = None,
    expected_version: int = 0,
    viewer: Viewer,
) -> ExemptionRead:
    """Record a period of fritagelse (or close or correct one, as it was read at
    `expected_version`: refused when someone saved it in between); the deadline moves."""
    from rehabteam.services.followup import audit_course, course_for_change

    forloeb, case = course_for_change(session, forloeb_id, viewer)
    session.refresh(forloeb, with_for_update=True)  # one change of the course at a time
    if data.from_on < forloeb.start_on:
        raise InvalidInput(t("exemption.before_forloeb"))
    last = max(forloeb.planned_end_on, clock.today())
    if data.from_on > min(last, clock.today() + timedelta(days=366)):
        raise InvalidInput(t("exemption.too_far"))
    if data.to_on is not None and data.to_on > last:
        raise InvalidInput(t("exemption.after_end", end=f"{forloeb.planned_end_on:%d.%m.%Y}"))
    if exemption_id is None:
        row = ForloebExemption(
            forloeb_id=forloeb_id,
            from_on=data.from_on,
            to_on=data.to_on,
            reason=data.reason,
            recorded_by_id=viewer.staff_id,
        )
        action = AuditAction.CREATE
    else:
        found = session.exec(
            select(ForloebExemption)
            .where(col(ForloebExemption.id) == exemption_id)
            .with_for_update()
        ).first()
        if found is None or found.forloeb_id != forloeb_id:
            raise NotFound(t("exemption.not_found"))
        if found.version != expected_version:
            end = f"{found.to_on:%d.%m.%Y}" if found.to_on else "…"
            raise StaleEdit(
                t("exemption.stale"),
                theirs={"exemption": f"{found.from_on:%d.%m.%Y} – {end}: {found.reason}"},
            )
        row = found
        row.from_on, row.to_on, row.reason = data.from_on, data.to_on, data.reason
        row.recorded_by_id = viewer.staff_id
        row.version += 1
        action = AuditAction.UPDATE
    session.add(row)
    session.flush()
    _recompute(session, forloeb)
    forloeb.version += 1
    session.add(forloeb)
    session.flush()
    audit_course(session, action, "forloeb_exemption", row.id, case, viewer)
    return ExemptionRead.model_validate(row, from_attributes=True)


def waive(
    *, session: Session, forloeb_id: int, data: WaiverInput, seen: str = "", viewer: Viewer
) -> date:
    """The 6-month rule does not apply to this course: "særlige grunde" (BEK 2408 § 17).
    Returns the day it was recorded."""
    from rehabteam.services.followup import audit_course, course_for_change

    forloeb, case = course_for_change(session, forloeb_id, viewer)
    session.refresh(forloeb, with_for_update=True)  # one change of the course at a time
    if forloeb.six_month_deadline is None:
        raise InvalidInput(t("waiver.no_rule"))
    if forloeb.six_month_waived_reason != seen:  # `seen`: the reason the user was shown
        raise StaleEdit(t("waiver.stale"), theirs={"reason": forloeb.six_month_waived_reason})
    forloeb.six_month_waived_reason = data.reason
    forloeb.six_month_waived_by_id = viewer.staff_id
    forloeb.six_month_waived_on = clock.today()
    forloeb.version += 1
    session.add(forloeb)
    session.flush()
    audit_course(session, AuditAction.UPDATE, "forloeb", forloeb.id, case, viewer)
    return forloeb.six_month_waived_on
