"""`rehabteam seed --citizens N`: fictitious data at a municipality's scale, for benchmarks.

Inserted with bulk Core statements in chunks (explicit ids), about 1 case per citizen, one
held meeting per five handled cases, five discipline assessments and one indstilling per
handled case: the ratios of a team that has met weekly for years.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text

from rehabteam import clock
from rehabteam.migrations import analyze_own_tables
from rehabteam.models import (
    AgendaItem,
    AppMeta,
    Case,
    Citizen,
    CitizenNameToken,
    Decision,
    DisciplineAssessment,
    Forloeb,
    ForloebIntervention,
    Indstilling,
    Meeting,
    StaffMember,
    StaffRoleLink,
    Team,
    TeamMember,
)
from rehabteam.models.base import utcnow
from rehabteam.models.citizen import name_token_rows
from rehabteam.models.cpr import Cpr
from rehabteam.models.enums import (
    AgendaStatus,
    CaseStatus,
    CaseType,
    Discipline,
    IndstillingStatus,
    IndstillingType,
    InterventionArea,
    InterventionStatus,
    MeetingStatus,
    StaffRole,
)
from rehabteam.rules import RuleBook
from rehabteam.services.citizens import search_name_for
from rehabteam.services.fiction import make_cpr, random_birth, random_person
from rehabteam.services.first_look import DEMO_FLAG

CHUNK = 5000
SEED_VERSION = 7  # bumped when the generated data changes (benchmarks cache databases by it)
# A case's state follows its age: the team's pipeline holds the last two months' referrals;
# decisions follow within the next two; a ressourceforløb then runs for two years (its case
# stays afgjort and counts in the coordinator's caseload) before it ends; older cases are closed.
PIPELINE_DAYS, DECIDED_DAYS, FORLOEB_DAYS = 60, 120, 120 + 730
PIPELINE: list[tuple[CaseStatus, int]] = [
    (CaseStatus.FORBEREDELSE, 8),
    (CaseStatus.KLAR, 3),
    (CaseStatus.BOOKET, 2),
    (CaseStatus.BEHANDLET, 2),
    (CaseStatus.ANNULLERET, 1),
]
DECIDING: list[tuple[CaseStatus, int]] = [
    (CaseStatus.INDSTILLET, 3),
    (CaseStatus.AFGJORT, 6),
    (CaseStatus.ANNULLERET, 1),
]
CLOSED: list[tuple[CaseStatus, int]] = [(CaseStatus.AFSLUTTET, 19), (CaseStatus.ANNULLERET, 1)]
HANDLED = {
    CaseStatus.BEHANDLET,
    CaseStatus.INDSTILLET,
    CaseStatus.AFGJORT,
    CaseStatus.AFSLUTTET,
}


def _status_for(rng: random.Random, age_days: int, case_type: CaseType) -> CaseStatus:
    if age_days < PIPELINE_DAYS:
        states = PIPELINE
    elif age_days < DECIDED_DAYS:
        states = DECIDING
    elif case_type is CaseType.RESSOURCEFORLOEB and age_days < FORLOEB_DAYS:
        return CaseStatus.AFGJORT
    else:
        states = CLOSED
    return rng.choices([s for s, _ in states], [w for _, w in states])[0]


ASSESSED = (
    Discipline.BESKAEFTIGELSE,
    Discipline.SUNDHED,
    Discipline.SOCIAL,
    Discipline.SUNDHEDSKOORDINATOR,
    Discipline.UNDERVISNING,
)


def _next_id(conn: Any, table: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def seed_bulk(
    engine: Engine,
    *,
    citizens: int,
    rulebook: RuleBook,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    rng = random.Random(seed)
    today = today or clock.today()
    now = utcnow()
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    models: tuple[Any, ...] = (
        Decision,
        Forloeb,
        ForloebIntervention,
        Team,
        StaffMember,
        StaffRoleLink,
        Citizen,
        CitizenNameToken,
        Case,
        Meeting,
        AgendaItem,
        DisciplineAssessment,
        Indstilling,
    )
    tables = {m.__name__: m.__table__ for m in models}
    with engine.begin() as conn:
        # Fictitious data says so: the demo banner shows, and REHABTEAM_USER picks a profile.
        meta = AppMeta.__table__  # type: ignore[attr-defined]
        if conn.execute(select(meta.c.key).where(meta.c.key == DEMO_FLAG)).first() is None:
            conn.execute(insert(meta), [{"key": DEMO_FLAG, "value": "bulk"}])
        taken = set(conn.execute(select(tables["Citizen"].c.cpr)).scalars())
        team_id = _next_id(conn, tables["Team"])
        conn.execute(
            insert(tables["Team"]),
            [
                {
                    "id": team_id,
                    "name": f"Skalatest-team {team_id} (fiktiv)",
                    **_team(),
                    **stamp,
                }
            ],
        )
        staff_start = _next_id(conn, tables["StaffMember"])
        staff_count = max(20, citizens // 300)
        staff_rows = []
        role_rows = []
        for n in range(staff_count):
            discipline = ASSESSED[n % len(ASSESSED)] if n >= 10 else Discipline.BESKAEFTIGELSE
            staff_rows.append(
                {
                    "id": staff_start + n,
                    "name": f"Medarbejder {staff_start + n} (fiktiv)",
                    "initials": f"F{staff_start + n}",
                    "discipline": discipline.value,
                    "title": "",
                    "unit": "",
                    "phone": "",
                    "email": "",
                    "login": None,
                    "active": True,
                    **stamp,
                }
            )
            role = StaffRole.KOORDINERENDE_SAGSBEHANDLER if n % 2 else StaffRole.SAGSBEHANDLER
            role_rows.append({"staff_id": staff_start + n, "role": role.value})
        conn.execute(insert(tables["StaffMember"]), staff_rows)
        # The first is also the team's mødeleder and a fixed member: she sees its cases.
        conn.execute(
            insert(tables["StaffRoleLink"]),
            [*role_rows, {"staff_id": staff_start, "role": StaffRole.MOEDELEDER.value}],
        )
        conn.execute(
            insert(TeamMember.__table__),  # type: ignore[attr-defined]
            [{"team_id": team_id, "staff_id": staff_start, "discipline": "beskaeftigelse"}],
        )
        caseworkers = [r["id"] for r in staff_rows[:10]]
        coordinators = [
            r["id"]
            for r, role in zip(staff_rows, role_rows, strict=True)
            if role["role"] == StaffRole.KOORDINERENDE_SAGSBEHANDLER.value
        ]

        citizen_id = _next_id(conn, tables["Citizen"])
        case_id = _next_id(conn, tables["Case"])
        meeting_id = _next_id(conn, tables["Meeting"])
        item_id = _next_id(conn, tables["AgendaItem"])
        ids = {name: _next_id(conn, tables[name]) for name in _FOLLOW_UP}
        inserted = {name: first - 1 for name, first in ids.items()}
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        pending_meeting: list[int] = []  # handled case ids waiting for a meeting
        done = 0
        for _ in range(citizens):
            first, last, gender = random_person(rng)
            birth = random_birth(rng, today)
            cpr = make_cpr(birth, gender, rng, taken)
            name = search_name_for(first, last)
            rows["CitizenNameToken"] += name_token_rows(citizen_id, name)
            rows["Citizen"].append(
                {
                    "id": citizen_id,
                    "cpr": cpr,
                    "first_name": first,
                    "last_name": last,
                    "search_name": name,
                    "birth_date": Cpr(cpr).birth_date,
                    "gender": gender.value,
                    "has_vocational_education": rng.random() < 0.5,
                    "address": "",
                    "postcode": "",
                    "city": "",
                    "phone": "",
                    "email": "",
                    **stamp,
                }
            )
            referral = today - timedelta(days=rng.randrange(1, 3650))
            rule_set = rulebook.for_date(referral)
            case_type = rng.choice(rule_set.case_types[:7])
            status = _status_for(rng, (today - referral).days, case_type)
            rows["Case"].append(
                {
                    "id": case_id,
                    "case_number": f"{referral.year}-{case_id:05d}",
                    "citizen_id": citizen_id,
                    "case_type": case_type.value,
                    "referral_date": referral,
                    "rule_set": rule_set.key,
                    "rule_set_override_reason": "",
                    "sagsbehandler_id": rng.choice(caseworkers),
                    "team_id": team_id,
                    "status": status.value,
                    "without_vocational_education": False,
                    "bisidder_wish": "",
                    "meeting_needs": "",
                    "status_changed_on": referral,
                    **stamp,
                }
            )
            if status in HANDLED:
                pending_meeting.append(case_id)
                for discipline in ASSESSED:
                    rows["DisciplineAssessment"].append(
                        {
                            "case_id": case_id,
                            "meeting_id": meeting_id,
                            "discipline": discipline.value,
                            "author_id": None,
                            "vurdering": "Fiktiv vurdering til skalatest.",
                            "anbefalede_indsatser": "Mentor; praktik.",
                            **stamp,
                        }
                    )
                resource = case_type is CaseType.RESSOURCEFORLOEB
                coordinator = rng.choice(coordinators) if resource else None
                indstilling = {
                    "id": ids["Indstilling"],
                    "case_id": case_id,
                    "meeting_id": meeting_id,
                    "version_no": 1,
                    "type": (
                        IndstillingType.RESSOURCEFORLOEB
                        if resource
                        else IndstillingType.ORDINAER_INDSATS
                    ).value,
                    "status": IndstillingStatus.GODKENDT.value
                    if status is not CaseStatus.BEHANDLET
                    else IndstillingStatus.KLADDE.value,
                    "varighed_maaneder": 24 if resource else None,
                    "koordinerende_sagsbehandler_id": coordinator,
                    **_empty_indstilling_texts(),
                    **stamp,
                }
                rows["Indstilling"].append(indstilling)
                if status is CaseStatus.INDSTILLET:  # approved, waiting for the decision
                    approved = _approved_on(referral, today)
                    indstilling["approved_at"] = datetime.combine(approved, time(12), tzinfo=UTC)
                    rows["Case"][-1]["status_changed_on"] = approved
                if status in (CaseStatus.AFGJORT, CaseStatus.AFSLUTTET):
                    _decided(rng, rows, ids, indstilling, referral, today, rule_set, status, stamp)
                ids["Indstilling"] += 1
                if len(pending_meeting) == 5:
                    _add_meeting(
                        rows, meeting_id, item_id, team_id, referral, pending_meeting, stamp
                    )
                    item_id += len(pending_meeting)
                    meeting_id += 1
                    pending_meeting = []
            citizen_id += 1
            case_id += 1
            done += 1
            if len(rows["Citizen"]) >= CHUNK:
                _flush(conn, tables, rows, inserted)
                if progress:
                    progress(done, citizens)
        if pending_meeting:
            _add_meeting(rows, meeting_id, item_id, team_id, today, pending_meeting, stamp)
        _flush(conn, tables, rows, inserted)
        if progress:
            progress(done, citizens)
        # Fresh planner statistics for the tables just filled (see migration 0003).
        analyze_own_tables(conn)
        if conn.dialect.name == "postgresql":
            for name in tables:
                table = tables[name]
                if "id" in table.c:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                        )
                    )


def _approved_on(referral: date, today: date) -> date:
    """The indstilling is approved five weeks after the referral (not after today)."""
    return min(referral + timedelta(days=35), today)


def _team() -> dict[str, Any]:
    return {"municipality": "Fiktiv Kommune", "default_place": ""}


def _empty_indstilling_texts() -> dict[str, Any]:
    return {
        "begrundelse": "Fiktiv begrundelse.",
        "vurdering": "",
        "maal": "",
        "opfoelgning": "",
        "borgerens_bemaerkninger": "",
        "sundhedskoordinator_vurdering": "",
        "fp_beskaeftigelsesforhold": "",
        "fp_sociale_forhold": "",
        "fp_helbredsforhold": "",
        "fp_arbejdsevne_begrundelse": "",
        "fleksjob_begrundelse": "",
        "approved_by_id": None,
        "approved_at": None,
        "sent_at": None,
    }


def _add_meeting(
    rows: dict[str, list[dict[str, Any]]],
    meeting_id: int,
    item_id: int,
    team_id: int,
    day: date,
    case_ids: list[int],
    stamp: dict[str, Any],
) -> None:
    rows["Meeting"].append(
        {
            "id": meeting_id,
            "team_id": team_id,
            "date": day,
            "start_time": time(9, 0),
            "end_time": time(14, 0),
            "place": "",
            "video_link": "",
            "chair_id": None,
            "referent_id": None,
            "status": MeetingStatus.AFHOLDT.value,
            "slot_minutes": 60,
            "capacity": 5,
            "material_sent_at": None,
            "material_sent_to": "",
            "notes": "",
            **stamp,
        }
    )
    for position, case in enumerate(case_ids):
        rows["AgendaItem"].append(
            {
                "id": item_id + position,
                "meeting_id": meeting_id,
                "case_id": case,
                "position": position,
                "start_time": time(9 + position, 0),
                "slot_minutes": 60,
                "status": AgendaStatus.BEHANDLET.value,
                "status_reason": "",
                "citizen_attends": True,
                "absence_reason": "",
                "bisidder": "",
                "citizen_present": True,
                **stamp,
            }
        )


_ORDER = (
    "Citizen",
    "CitizenNameToken",
    "Case",
    "Meeting",
    "AgendaItem",
    "DisciplineAssessment",
    "Indstilling",
    "Decision",
    "Forloeb",
    "ForloebIntervention",
)
# Rows with explicit ids, and the parent each waits for.
_FOLLOW_UP = ("Indstilling", "Decision", "Forloeb", "ForloebIntervention")
_PARENT = {
    "Decision": ("indstilling_id", "Indstilling"),
    "Forloeb": ("decision_id", "Decision"),
    "ForloebIntervention": ("forloeb_id", "Forloeb"),
}
AREAS = (InterventionArea.MENTOR, InterventionArea.SUNDHED, InterventionArea.BESKAEFTIGELSE)


def _decided(
    rng: random.Random,
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    indstilling: dict[str, Any],
    referral: date,
    today: date,
    rule_set: Any,
    status: CaseStatus,
    stamp: dict[str, Any],
) -> None:
    """The municipality's decision (nine in ten followed) and, for a followed
    ressourceforløb, its course with three interventions, most started within six months."""
    from rehabteam.services.six_month import add_months

    approved = _approved_on(referral, today)
    decided_on = min(approved + timedelta(days=rng.randrange(5, 30)), today)
    indstilling["approved_at"] = datetime.combine(approved, time(12), tzinfo=UTC)
    followed = rng.random() < 0.9
    rows["Decision"].append(
        {
            "id": ids["Decision"],
            "case_id": indstilling["case_id"],
            "indstilling_id": indstilling["id"],
            "decided_on": decided_on,
            "followed": followed,
            "reasons": "" if followed else "Fiktiv begrundelse (skalatest).",
            "recorded_by_id": None,
            "reassessment_case_id": None,
            **stamp,
        }
    )
    if followed and indstilling["type"] == IndstillingType.RESSOURCEFORLOEB.value:
        planned_end = add_months(decided_on, 24)
        ended = min(planned_end, today) if status is CaseStatus.AFSLUTTET else None
        rows["Forloeb"].append(
            {
                "id": ids["Forloeb"],
                "case_id": indstilling["case_id"],
                "decision_id": ids["Decision"],
                "kind": IndstillingType.RESSOURCEFORLOEB.value,
                "coordinator_id": indstilling["koordinerende_sagsbehandler_id"],
                "start_on": decided_on,
                "planned_end_on": planned_end,
                "six_month_deadline": add_months(decided_on, 6)
                if rule_set.six_month_rule
                else None,
                "ended_on": ended,
                "next_follow_up_on": None if ended else decided_on + timedelta(days=90),
                "reassessment_case_id": None,
                **stamp,
            }
        )
        for area in AREAS:
            started: date | None = decided_on + timedelta(days=rng.randrange(10, 250))
            if rng.random() < 0.1 or (started and started > today):
                started = None
            finished = started + timedelta(days=120) if started else None
            if finished and finished > today:
                finished = None
            state = (
                InterventionStatus.PLANLAGT
                if started is None
                else InterventionStatus.GENNEMFOERT
                if finished
                else InterventionStatus.I_GANG
            )
            rows["ForloebIntervention"].append(
                {
                    "id": ids["ForloebIntervention"],
                    "forloeb_id": ids["Forloeb"],
                    "area": area.value,
                    "indhold": "Fiktiv indsats (skalatest)",
                    "provider": "",
                    "in_indsatsdel": True,
                    "planned_start": decided_on + timedelta(days=14),
                    "planned_end": None,
                    "actual_start": started,
                    "actual_end": finished,
                    "status": state.value,
                    "outcome": "",
                    **stamp,
                }
            )
            ids["ForloebIntervention"] += 1
        ids["Forloeb"] += 1
    ids["Decision"] += 1


def _flush(
    conn: Any,
    tables: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    inserted: dict[str, int],
) -> None:
    """Insert in foreign-key order. Assessments and indstillinger may point at a meeting that
    is only complete once five handled cases have gathered, so they wait for it; decisions,
    courses and interventions wait for their parent row in turn."""
    last_meeting = max((r["id"] for r in rows["Meeting"]), default=None)
    for name in _ORDER:
        pending = rows[name]
        if name in ("DisciplineAssessment", "Indstilling"):
            limit = last_meeting if last_meeting is not None else -1
            rows[name] = [r for r in pending if r["meeting_id"] > limit]
            pending = [r for r in pending if r["meeting_id"] <= limit]
        elif name in _PARENT:
            key, parent = _PARENT[name]
            limit = inserted.get(parent, -1)
            rows[name] = [r for r in pending if r[key] > limit]
            pending = [r for r in pending if r[key] <= limit]
        else:
            rows[name] = []
        if name in _FOLLOW_UP and pending:
            # Ids rise with the cases: all rows up to the highest inserted are in.
            inserted[name] = max(inserted[name], max(r["id"] for r in pending))
        for chunk in _chunks(pending):
            conn.execute(insert(tables[name]), chunk)
