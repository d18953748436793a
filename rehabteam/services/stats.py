"""Statistics for a period and team, computed in SQL (grouped counts and averages only).

The cohort is the cases referred in the period. Any group of fewer than five citizens is shown
as "<5", and a share or an average resting on fewer than five is not shown at all, so no one
can be singled out (DOMAIN rule 8).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Float, and_, case, cast, func, literal
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from rehabteam import clock
from rehabteam.errors import InvalidInput
from rehabteam.i18n import t
from rehabteam.models import (
    AgendaItem,
    Case,
    Citizen,
    Decision,
    Forloeb,
    ForloebIntervention,
    Indstilling,
    Meeting,
    Team,
)
from rehabteam.models.enums import AgendaStatus, CaseStatus, InterventionStatus
from rehabteam.models.read import StatsRead, StatTable
from rehabteam.models.viewer import Viewer
from rehabteam.services.access import current_staff, visible_cases

SMALL = 5  # groups below this are suppressed
SUPPRESSED = "<5"
HIDDEN = "x"  # hidden so that a "<5" in the same row cannot be worked out from the total
AGE_BANDS = (
    (0, 25, "u25"),
    (25, 30, "25_29"),
    (30, 40, "30_39"),
    (40, 50, "40_49"),
    (50, 60, "50_59"),
)
OUTCOMES = ("fulgt", "ikke_fulgt", "afventer", "i_teamet", "annulleret")


def count_cell(n: int) -> int | str:
    """A count as shown: 0 and 5 or more as they are, 1-4 as "<5"."""
    return SUPPRESSED if 0 < n < SMALL else n


def protect_table(counts: list[list[int]]) -> list[list[int | str]]:
    """The rows of a table of counts, each with its total, as shown.

    A table's columns add up to the same totals in every table of a report (each table
    splits the same cases by another dimension), so a small count must survive subtraction
    along its row and along its column, with the other tables' figures in hand. A row
    holding a count of 1-4 is hidden whole ("x" in every count; its total stays); a lone
    hidden row in a table is joined by the smallest other row, so no column holds a single
    unknown; "<5" among the totals (they add up to the number of cases) are joined by
    another hidden row's total shown as "x". Hidden cells are all "x": a "<5" inside a
    hidden row would give bounds (two "<5" in a column adding up to 2 are both 1)."""
    totals = [sum(row) for row in counts]
    hidden = {i for i, row in enumerate(counts) if any(0 < n < SMALL for n in row)}
    others = sorted((i for i in range(len(counts)) if i not in hidden), key=lambda i: totals[i])
    if len(hidden) == 1 and others:
        hidden.add(others.pop(0))
    shown: list[int | str] = [count_cell(n) for n in totals]
    small = [i for i, cell in enumerate(shown) if cell == SUPPRESSED]
    rest = sum(totals[i] for i in small)  # what the "<5" totals add up to, known from N
    if len(counts) > 1 and (len(small) == 1 or (small and rest in (len(small), 4 * len(small)))):
        # One "<5" total is the number of cases minus the others; several are pinned when
        # they can only all be 1 or all be 4: one total of a hidden row becomes "x".
        partners = sorted(hidden - set(small), key=lambda i: totals[i]) or others[:1]
        partner = partners[0] if partners else max(small, key=lambda i: totals[i])
        hidden.add(partner)
        shown[partner] = HIDDEN
    return [
        [*(HIDDEN if i in hidden else n for n in row), shown[i]] for i, row in enumerate(counts)
    ]


def part_and_whole(part: int, whole: int) -> tuple[Any, Any, Any]:
    """(whole, part, share) as shown, for a count and the part of it that met a condition.
    The rest (whole - part) is a group too: when it, or the part, is 1-4, the whole and the
    share would give it away (the outcome tables show the part's column), so they are
    hidden ("x"). The finding: "Afgørelser 9, Fulgt 8" made a "<5" of "Ikke fulgt" exactly 1."""
    rest = whole - part
    if 0 < rest < SMALL or 0 < part < SMALL:
        return (HIDDEN if whole >= SMALL else count_cell(whole)), count_cell(part), HIDDEN
    return count_cell(whole), count_cell(part), share_cell(part, whole)


def share_cell(part: int, whole: int) -> float | str | None:
    """A percentage with one decimal, or "<5" when it rests on fewer than five."""
    if whole == 0:
        return None
    if whole < SMALL:
        return SUPPRESSED
    return round(100 * part / whole, 1)


def _days(session: Session, start: Any, end: Any) -> Any:
    """Days from `start` to `end` (dates or timestamps) in the database's own arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(func.date(end)) - func.julianday(func.date(start))
    return cast(cast(end, Date) - cast(start, Date), Float)


def statistics(
    *,
    session: Session,
    from_date: date,
    to_date: date,
    team_id: int | None = None,
    today: date | None = None,
    viewer: Viewer,
) -> StatsRead:
    """The statistics of the cases referred in the period that `viewer` may see (on
    PostgreSQL the database counts only those rows too)."""
    if to_date < from_date:
        raise InvalidInput(t("stats.period_order"))
    current_staff(session, viewer)
    today = today or clock.today()
    cohort = [
        col(Case.referral_date) >= from_date,
        col(Case.referral_date) <= to_date,
        visible_cases(viewer),
    ]
    if team_id is not None:
        cohort.append(col(Case.team_id) == team_id)
    # The case's latest decision, found through the decision's case index per cohort case.
    latest_decision = (
        sa_select(func.max(col(Decision.id)))
        .where(col(Decision.case_id) == col(Case.id))
        .correlate(Case)
        .scalar_subquery()
    )
    outcome = case(
        (col(Decision.followed).is_(True), literal("fulgt")),
        (col(Decision.followed).is_(False), literal("ikke_fulgt")),
        (col(Case.status) == CaseStatus.ANNULLERET.value, literal("annulleret")),
        (col(Case.status) == CaseStatus.INDSTILLET.value, literal("afventer")),
        else_=literal("i_teamet"),
    ).label("outcome")
    age = _days(session, Citizen.birth_date, Case.referral_date) / 365.25
    band = case(
        *((and_(age >= low, age < high), literal(key)) for low, high, key in AGE_BANDS),
        else_=literal("60_plus"),
    ).label("band")
    # One pass over the cohort, grouped by every dimension at once; the tables are sums of
    # these few hundred groups.
    dimensions = (col(Case.case_type), col(Citizen.gender), band, col(Case.rule_set), outcome)
    groups = [
        tuple(r)
        for r in session.execute(
            sa_select(*dimensions, func.count())
            .select_from(Case)
            .join(Citizen, col(Citizen.id) == col(Case.citizen_id))
            .outerjoin(Decision, col(Decision.id) == latest_decision)
            .where(*cohort)
            .group_by(*dimensions)
        )
    ]

    def grouped(index: int) -> list[tuple[Any, ...]]:
        sums: dict[tuple[str, str], int] = {}
        for row in groups:
            key = (str(row[index]), str(row[4]))
            sums[key] = sums.get(key, 0) + int(row[5])
        return [(group, result, n) for (group, result), n in sums.items()]

    by_type, by_gender, by_band, by_rule_set = (grouped(i) for i in range(4))
    total = sum(r[-1] for r in by_type)
    tables = [
        _outcome_table("by_type", by_type, "CaseType"),
        _outcome_table("by_gender", by_gender, "Gender"),
        _outcome_table("by_age", by_band, "AgeBand", [k for *_, k in AGE_BANDS] + ["60_plus"]),
        _outcome_table("by_rule_set", by_rule_set, None),
        *_durations_and_decisions(session, cohort),
        _six_month(session, cohort, today),
        _interventions(session, cohort),
    ]
    team_row = session.get(Team, team_id) if team_id is not None else None
    team = team_row.name if team_row is not None else None
    return StatsRead(
        from_date=from_date, to_date=to_date, team=team, cases=count_cell(total), tables=tables
    )


def _outcome_table(
    key: str, rows: list[tuple[Any, ...]], enum: str | None, order: list[str] | None = None
) -> StatTable:
    counts: dict[str, dict[str, int]] = {}
    for group, result, n in rows:
        counts.setdefault(str(group), {})[result] = n
    ordered = sorted(counts, key=lambda g: (order.index(g) if order and g in order else 0, g))
    shown = protect_table([[counts[group].get(o, 0) for o in OUTCOMES] for group in ordered])
    return StatTable(
        key=key,
        title=t(f"stats.table.{key}"),
        columns=[
            t("stats.col.group"),
            *(t(f"stats.outcome.{o}") for o in OUTCOMES),
            t("stats.col.total"),
        ],
        rows=[
            [t(f"{enum}.{group}") if enum else group, *cells]
            for group, cells in zip(ordered, shown, strict=True)
        ],
    )


def _average_row(label: str, n: int, average: float | None) -> list[Any]:
    if n < SMALL:
        return [label, count_cell(n), SUPPRESSED if n else None]
    return [label, n, round(average or 0.0, 1)]


def _durations(session: Session, cohort: list[Any]) -> StatTable:
    """Days from referral to the meeting that handled the case, from that meeting to the
    approved indstilling, and from the indstilling to the decision."""
    met_on = (
        sa_select(func.min(col(Meeting.date)))
        .join(AgendaItem, col(AgendaItem.meeting_id) == col(Meeting.id))
        .where(
            col(AgendaItem.case_id) == col(Case.id),
            col(AgendaItem.status) == AgendaStatus.BEHANDLET.value,
        )
        .correlate(Case)
        .scalar_subquery()
    )
    approved_at = (
        sa_select(func.min(col(Indstilling.approved_at)))
        .where(col(Indstilling.case_id) == col(Case.id))
        .correlate(Case)
        .scalar_subquery()
    )
    decided_on = (
        sa_select(func.min(col(Decision.decided_on)))
        .where(col(Decision.case_id) == col(Case.id))
        .correlate(Case)
        .scalar_subquery()
    )
    dates = (
        sa_select(
            col(Case.referral_date).label("referral"),
            met_on.label("met_on"),
            approved_at.label("approved_at"),
            decided_on.label("decided_on"),
        )
        .where(*cohort)
        .subquery()
    )
    spans = (
        ("referral_meeting", dates.c.referral, dates.c.met_on),
        ("meeting_indstilling", dates.c.met_on, dates.c.approved_at),
        ("indstilling_decision", dates.c.approved_at, dates.c.decided_on),
    )
    stmt = sa_select(
        *(
            part
            for _, start, end in spans
            for part in (
                func.count(end).filter(start.is_not(None)),
                func.avg(_days(session, start, end)),
            )
        )
    ).select_from(dates)
    values = session.execute(stmt).one()
    rows = [
        _average_row(t(f"stats.span.{key}"), int(values[2 * i] or 0), values[2 * i + 1])
        for i, (key, _, _) in enumerate(spans)
    ]
    return StatTable(
        key="durations",
        title=t("stats.table.durations"),
        columns=[t("stats.col.span"), t("stats.col.cases"), t("stats.col.avg_days")],
        rows=rows,
    )


def _durations_and_decisions(session: Session, cohort: list[Any]) -> list[StatTable]:
    """The durations and the decisions followed. The cases timed from indstilling to
    decision are the decisions: where the decisions table hides its number (a small rest
    not followed), the durations table hides it too (8 timed, 7 followed gave the 1 away)."""
    durations, decisions = _durations(session, cohort), _decisions(session, cohort)
    if decisions.rows[0][0] == HIDDEN:
        row = durations.rows[2]  # indstilling to decision
        durations.rows[2] = [row[0], HIDDEN, row[2]]
    return [durations, decisions]


def _decisions(session: Session, cohort: list[Any]) -> StatTable:
    stmt = (
        sa_select(
            func.count(col(Decision.id)),
            func.count(col(Decision.id)).filter(col(Decision.followed).is_(True)),
        )
        .join(Case, col(Case.id) == col(Decision.case_id))
        .where(*cohort)
    )
    decided, followed = (int(v or 0) for v in session.execute(stmt).one())
    return StatTable(
        key="followed",
        title=t("stats.table.followed"),
        columns=[t("stats.col.decisions"), t("stats.col.followed"), t("stats.col.share")],
        rows=[list(part_and_whole(followed, decided))],
        grouped=False,
    )


def _six_month(session: Session, cohort: list[Any], today: date) -> StatTable:
    """Courses under the 6-month rule whose deadline has passed: how many had an
    intervention of the indsatsdel started by then."""
    from rehabteam.services import six_month

    in_time = six_month.started_in_time()
    stmt = (
        sa_select(func.count(col(Forloeb.id)), func.count(col(Forloeb.id)).filter(in_time))
        .join(Case, col(Case.id) == col(Forloeb.case_id))
        .where(
            *cohort,
            col(Forloeb.six_month_deadline) < today,
            col(Forloeb.six_month_waived_reason) == "",  # særlige grunde: the rule is set aside
        )
    )
    due, kept = (int(v or 0) for v in session.execute(stmt).one())
    return StatTable(
        key="six_month",
        title=t("stats.table.six_month"),
        columns=[t("stats.col.due"), t("stats.col.kept"), t("stats.col.share")],
        rows=[list(part_and_whole(kept, due))],
        grouped=False,
    )


def _interventions(session: Session, cohort: list[Any]) -> StatTable:
    stmt = (
        sa_select(col(ForloebIntervention.area), col(ForloebIntervention.status), func.count())
        .join(Forloeb, col(Forloeb.id) == col(ForloebIntervention.forloeb_id))
        .join(Case, col(Case.id) == col(Forloeb.case_id))
        .where(*cohort)
        .group_by(col(ForloebIntervention.area), col(ForloebIntervention.status))
    )
    statuses = [s.value for s in InterventionStatus]
    counts: dict[str, dict[str, int]] = {}
    for area, status, n in session.execute(stmt):
        counts.setdefault(area, {})[status] = n
    return StatTable(
        key="interventions",
        title=t("stats.table.interventions"),
        columns=[
            t("stats.col.area"),
            *(t(f"InterventionStatus.{s}") for s in statuses),
            t("stats.col.total"),
        ],
        rows=[
            [t(f"InterventionArea.{area}"), *cells]
            for area, cells in zip(
                sorted(counts),
                protect_table([[counts[a].get(s, 0) for s in statuses] for a in sorted(counts)]),
                strict=True,
            )
        ],
    )


def save_csv(
    *,
    session: Session,
    stats: StatsRead,
    folder: Path,
    name: str,
    overwrite: bool = False,
    viewer: Viewer,
) -> Path:
    """The statistics as CSV in `folder` (a name leading outside it is refused; an existing
    file is only replaced with `overwrite`), written whole or not at all, and audited."""
    from rehabteam.exports.paths import resolve_inside, write_atomically
    from rehabteam.exports.stats_csv import stats_csv
    from rehabteam.models.enums import AuditAction
    from rehabteam.services import audit
    from rehabteam.settings import ensure_private_dir

    ensure_private_dir(folder)
    content = stats_csv(stats)
    written = write_atomically(
        resolve_inside(folder, name),
        lambda tmp: tmp.write_text(content, encoding="utf-8-sig"),
        overwrite=overwrite,
    )
    audit.record(session=session, actor=viewer, action=AuditAction.EXPORT, entity="statistik")
    return written
