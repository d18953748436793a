"""`make bench`: measured speed, from first paint to a municipality's ten years of cases.

Prints a table and writes it as JSON (benchmarks/results/latest.json), with each figure
against its budget. `--quick` uses small sizes and few repetitions (CI's smoke test: it
checks that every measurement runs, not how fast).

1. start to first paint and to the home screen showing data, as a ratio to a bare Textual
   app (Header, Static, Footer) started the same way (a fresh process each run);
2. keystroke-to-screen latency (time from the key event to the next frame the app draws)
   typing in a discipline panel, moving between agenda items, searching citizens as you type;
3. the SQL behind search, agenda load and caseload on two database sizes, and its growth;
4. the indstilling .docx against python-docx writing a document of the same size, and a
   batch of 100;
5. peak memory of the app on the large database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
BUDGETS = {
    "data_shown_ratio": 2.0,
    "key_median_ms": 50.0,
    "key_p95_ms": 100.0,
    "search_200k_ms": 50.0,
    "growth": 2.0,
    "docx_ratio": 2.0,
    "peak_mb": 250.0,
    "statistics_ms": 1000.0,
}


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2)


def _timed(call: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return _median(timings)


# --- databases ----------------------------------------------------------------------------


def database(citizens: int) -> str:
    """A generated database of `citizens` fictitious citizens, made once and reused."""
    from rehabteam.services.bulk_seed import SEED_VERSION

    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"scale-{citizens}-v{SEED_VERSION}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        from rehabteam.rules import load_rulebook
        from rehabteam.services.bulk_seed import seed_bulk
        from rehabteam.services.startup import open_database

        engine = open_database(url)
        seed_bulk(engine, citizens=citizens, rulebook=load_rulebook())
        engine.dispose()
    return url


def demo_database() -> str:
    from rehabteam.rules import load_rulebook
    from rehabteam.services.startup import demo_database_url, fresh_demo_database

    fresh_demo_database(load_rulebook()).dispose()
    return demo_database_url()


# --- 1 and 5: start-up and memory --------------------------------------------------------------


def _probe(kind: str, url: str, user: str = "") -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_probe", kind, url, user],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "BENCH_SPAWNED": repr(time.time())},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def startup(url: str, runs: int, user: str) -> dict[str, float]:
    """`user` is a staff member of that database: the list shows the cases they may see."""
    bare = [_probe("minimal", "") for _ in range(runs)]
    app = [_probe("app", url, user) for _ in range(runs)]
    base = _median([b["first_paint"] for b in bare])
    first = _median([a["first_paint"] for a in app])
    shown = _median([a["data_shown"] for a in app])
    services = _median([a["services_shown"] for a in app])
    return {
        "bare_first_paint_s": base,
        "first_paint_s": first,
        "data_shown_s": shown,
        "services_shown_s": services,
        "first_paint_ratio": round(first / base, 2),
        "data_shown_ratio": round(shown / base, 2),
        "services_shown_ratio": round(services / base, 2),
        "peak_mb": _median([a["peak_mb"] for a in app]),
    }


# --- 2: keystrokes ---------------------------------------------------------------------------


async def _keys(app: Any, keys: list[str]) -> list[float]:
    """Milliseconds from each key event to the next frame the app draws."""
    drawn = asyncio.Event()
    stamp = [0.0]
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        stamp[0] = time.perf_counter()
        drawn.set()
        original(screen, renderable)

    app._display = display
    timings = []
    for key in keys:
        drawn.clear()
        started = time.perf_counter()
        await app._press_keys([key])
        if drawn.is_set():
            timings.append((stamp[0] - started) * 1000)
    app._display = original
    return timings


async def _settle(app: Any, pilot: Any) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if app.engine is not None and not any(w.is_running for w in app.workers):
            return


async def keystrokes(demo_url: str, large_url: str, count: int) -> dict[str, Any]:
    from textual.widgets import DataTable

    from rehabteam.app import make_app
    from rehabteam.screens.agenda import AgendaScreen
    from rehabteam.screens.citizens import CitizensScreen
    from rehabteam.screens.meeting_room import MeetingRoomScreen
    from rehabteam.settings import Settings

    text = "borgeren har ressourcer og motivation for arbejde med dyr "
    typing = [c if c != " " else "space" for c in (text * 10)[:count]]
    results: dict[str, Any] = {}
    app = make_app(Settings(database_url=demo_url, user="ML"))
    async with app.run_test(size=(180, 60)) as pilot:
        await _settle(app, pilot)
        from datetime import date

        from sqlmodel import select

        from rehabteam.db import session_scope
        from rehabteam.models import Meeting

        assert app.engine is not None
        with session_scope(app.engine) as s:
            today = s.exec(select(Meeting.id).where(Meeting.date == date.today())).one()
        assert today is not None
        app.push_screen(AgendaScreen(today))
        await _settle(app, pilot)
        app.screen.query_one("#items", DataTable).focus()
        moves = ["down", "down", "down", "up", "up", "up"] * (count // 6 + 1)
        results["agenda_move"] = await _keys(app, moves[:count])
        app.push_screen(MeetingRoomScreen(today))
        await _settle(app, pilot)
        room = app.screen
        assert isinstance(room, MeetingRoomScreen) and room.case is not None
        room.query_one(f"#av-{room.case.assessments[0].discipline}").focus()
        await pilot.pause(0.1)
        results["discipline_panel"] = await _keys(app, typing)
    app = make_app(Settings(database_url=large_url, user="F1"))
    async with app.run_test(size=(180, 60)) as pilot:
        await _settle(app, pilot)
        app.push_screen(CitizensScreen())
        await _settle(app, pilot)
        search = (["h", "a", "n", "s", "space", "j"] + ["backspace"] * 6) * (count // 12 + 1)
        results["citizen_search"] = await _keys(app, search[:count])
        await _settle(app, pilot)
    return {
        name: {"keys": len(t), "median_ms": _median(t), "p95_ms": _p95(t)}
        for name, t in results.items()
    }


# --- 3: SQL -----------------------------------------------------------------------------------


def sql(url: str, repeat: int) -> dict[str, float]:
    from sqlalchemy import func
    from sqlmodel import col, select

    from rehabteam.db import make_engine, session_scope
    from rehabteam.models import AgendaItem, Forloeb, StaffMember, StaffRoleLink, TeamMember
    from rehabteam.models.enums import OPEN_CASE_STATUSES, StaffRole
    from rehabteam.rules import load_rulebook
    from rehabteam.services.agenda import get_agenda
    from rehabteam.services.approval import caseloads
    from rehabteam.services.cases import count_cases, list_cases
    from rehabteam.services.citizens import search_citizens
    from rehabteam.services.followup import awaiting_decision, list_forloeb
    from rehabteam.services.identity import viewer_for
    from rehabteam.services.stats import statistics

    rulebook = load_rulebook()
    engine = make_engine(url)
    with session_scope(engine) as s:
        meeting = s.exec(
            select(AgendaItem.meeting_id, func.count())
            .group_by(col(AgendaItem.meeting_id))
            .order_by(func.count().desc())
        ).first()
        caseworker_id = s.exec(
            select(StaffMember.id)
            .join(StaffRoleLink, col(StaffRoleLink.staff_id) == col(StaffMember.id))
            .where(col(StaffRoleLink.role) == StaffRole.SAGSBEHANDLER.value)
            .where(~col(StaffMember.id).in_(select(TeamMember.staff_id)))
        ).first()
        chair_id = s.exec(  # the team's mødeleder: she sees all its cases
            select(StaffMember.id)
            .join(StaffRoleLink, col(StaffRoleLink.staff_id) == col(StaffMember.id))
            .join(TeamMember, col(TeamMember.staff_id) == col(StaffMember.id))
            .where(col(StaffRoleLink.role) == StaffRole.MOEDELEDER.value)
        ).first()
        assert caseworker_id is not None and chair_id is not None
        caseworker = viewer_for(s, s.get(StaffMember, caseworker_id), "bench")  # type: ignore[arg-type]
        chair = viewer_for(s, s.get(StaffMember, chair_id), "bench")  # type: ignore[arg-type]
        coordinator = s.exec(
            select(Forloeb.coordinator_id)
            .where(col(Forloeb.ended_on).is_(None))
            .group_by(col(Forloeb.coordinator_id))
            .order_by(func.count().desc())
        ).first()
    assert meeting is not None

    def run(call: Callable[[Any], object]) -> Callable[[], object]:
        def once() -> object:
            with session_scope(engine) as session:
                return call(session)

        return once

    open_ = list(OPEN_CASE_STATUSES)
    queries: dict[str, Callable[[Any], Any]] = {
        "search_name": lambda s: search_citizens(session=s, text="hans j", viewer=chair),
        "search_cpr": lambda s: search_citizens(session=s, text="1203", viewer=chair),
        "case_search": lambda s: (
            list_cases(session=s, search="jensen", statuses=open_, limit=200, viewer=chair),
            count_cases(session=s, search="jensen", statuses=open_, viewer=chair),
        ),
        # The team's chair sees all the team's cases.
        "open_cases": lambda s: (
            list_cases(session=s, statuses=open_, limit=200, viewer=chair),
            count_cases(session=s, statuses=open_, viewer=chair),
        ),
        # The same page as a caseworker sees it: only the cases they may see.
        "open_cases_caseworker": lambda s: (
            list_cases(session=s, statuses=open_, limit=200, viewer=caseworker),
            count_cases(session=s, statuses=open_, viewer=caseworker),
        ),
        "agenda": lambda s: get_agenda(
            session=s, meeting_id=meeting[0], rulebook=rulebook, viewer=chair
        ),
        "caseload": lambda s: caseloads(session=s),
        "courses": lambda s: list_forloeb(
            session=s, coordinator_id=coordinator, rulebook=rulebook, viewer=chair
        ),
        "awaiting_decision": lambda s: awaiting_decision(session=s, viewer=chair),
        "statistics_year": lambda s: statistics(
            session=s,
            from_date=date.today() - timedelta(days=365),
            to_date=date.today(),
            viewer=chair,
        ),
    }
    result: dict[str, float] = {}
    for name, query in queries.items():
        result[f"{name}_ms"] = _timed(run(query), repeat)
        result[f"{name}_rows"] = _rows_shown(run(query)())
    engine.dispose()
    return result


def _rows_shown(found: Any) -> int:
    """How many rows the screen shows for a query's result (a list, or a page and a count);
    for the statistics, the cases they count."""
    if isinstance(found, tuple):
        found = found[0]
    cases = getattr(found, "cases", None)
    if isinstance(cases, int):
        return cases
    items = getattr(found, "items", found)
    return len(items) if isinstance(items, list) else 1


def growth(small: dict[str, float], large: dict[str, float]) -> dict[str, float]:
    """Each query's time on the large database over the small, divided by how much the rows
    it shows grew: 1.0 means the cost follows what is shown, not the size of the tables."""
    result = {}
    for key in small:
        if key.endswith("_ms"):
            name = key.removesuffix("_ms")
            rows = max(large[f"{name}_rows"], 1) / max(small[f"{name}_rows"], 1)
            result[name] = round(large[key] / max(small[key], 0.01) / max(rows, 1.0), 2)
    return result


# --- 4: documents -----------------------------------------------------------------------------


def documents(demo_url: str, batch: int, repeat: int) -> dict[str, float]:
    from docx import Document
    from sqlmodel import select

    from rehabteam.db import make_engine, session_scope
    from rehabteam.models import Indstilling, StaffMember
    from rehabteam.rules import load_rulebook
    from rehabteam.services.documents import write_indstilling_file
    from rehabteam.services.identity import viewer_for
    from rehabteam.settings import Settings

    engine = make_engine(demo_url)
    rulebook, settings = load_rulebook(), Settings()
    with session_scope(engine) as s:
        case_id = s.exec(
            select(Indstilling.case_id).where(Indstilling.status == "godkendt")
        ).first()
        chair = s.exec(select(StaffMember).where(StaffMember.initials == "ML")).one()
        ml = viewer_for(s, chair, "ML")
    assert case_id is not None
    folder = Path(tempfile.mkdtemp(prefix="rehabteam-bench-"))
    counter = iter(range(10**6))

    def one() -> Path:
        with session_scope(engine, write=True) as s:
            return write_indstilling_file(
                session=s,
                case_id=case_id,
                settings=settings,
                rulebook=rulebook,
                target=folder / f"i{next(counter)}.docx",
                viewer=ml,
            )

    per_doc = _timed(one, repeat)
    from rehabteam.exports.documents import write_indstilling
    from rehabteam.exports.templating import template_path
    from rehabteam.services.documents import indstilling_doc

    with session_scope(engine) as s:
        doc = indstilling_doc(
            session=s, case_id=case_id, settings=settings, rulebook=rulebook, viewer=ml
        )
    template = template_path("indstilling", settings.template_dir)
    render_ms = _timed(
        lambda: write_indstilling(doc, folder / f"r{next(counter)}.docx", template=template), repeat
    )
    sample = Document(str(one()))
    paragraphs = [p.text for p in sample.paragraphs]
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in sample.tables]

    def bare() -> None:
        doc = Document()
        for text in paragraphs:
            doc.add_paragraph(text)
        for rows in tables:
            grid = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(grid.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        doc.save(str(folder / f"bare{next(counter)}.docx"))

    bare_ms = _timed(bare, repeat)
    started = time.perf_counter()
    for _ in range(batch):
        one()
    batch_s = time.perf_counter() - started
    engine.dispose()
    return {
        "export_ms": per_doc,  # gather from the database, write atomically, audit
        "render_ms": render_ms,  # writing the document from its read model
        "bare_python_docx_ms": bare_ms,  # python-docx writing the same text by itself
        "docx_ratio": round(render_ms / bare_ms, 2),
        f"batch_{batch}_s": round(batch_s, 2),
    }


# --- report ----------------------------------------------------------------------------------


def verdicts(report: dict[str, Any], large: int) -> dict[str, str]:
    def check(value: float, budget: float) -> str:
        return f"{'ok' if value <= budget else 'MISSED'} ({value} / budget {budget})"

    keys = report["keystrokes"]
    return {
        "data on home within 2x bare app (demo)": check(
            report["startup"]["data_shown_ratio"], BUDGETS["data_shown_ratio"]
        ),
        f"data on home within 2x bare app ({large} citizens)": check(
            report["startup_large"]["data_shown_ratio"], BUDGETS["data_shown_ratio"]
        ),
        **{
            f"keystroke median, {k}": check(v["median_ms"], BUDGETS["key_median_ms"])
            for k, v in keys.items()
        },
        **{
            f"keystroke p95, {k}": check(v["p95_ms"], BUDGETS["key_p95_ms"])
            for k, v in keys.items()
        },
        f"search on {large} citizens": check(
            max(report["sql"]["large"][f"search_{k}_ms"] for k in ("name", "cpr")),
            BUDGETS["search_200k_ms"],
        ),
        **{f"growth {k}": check(v, BUDGETS["growth"]) for k, v in report["sql"]["growth"].items()},
        f"statistics of a year on {large} citizens (ms)": check(
            report["sql"]["large"]["statistics_year_ms"], BUDGETS["statistics_ms"]
        ),
        "indstilling within 2x python-docx": check(
            report["documents"]["docx_ratio"], BUDGETS["docx_ratio"]
        ),
        "peak memory (MB)": check(report["startup_large"]["peak_mb"], BUDGETS["peak_mb"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke test)")
    args = parser.parse_args()
    small, large = (300, 1200) if args.quick else (50_000, 200_000)
    runs, repeat, keys, batch = (1, 3, 24, 5) if args.quick else (5, 15, 240, 100)
    os.environ.setdefault("REHABTEAM_DATA_DIR", tempfile.mkdtemp(prefix="rehabteam-bench-"))
    demo_url = demo_database()
    small_url, large_url = database(small), database(large)
    report: dict[str, Any] = {
        "sizes": {"small": small, "large": large},
        "startup": startup(demo_url, runs, "ML"),
        "startup_large": startup(large_url, 1 if args.quick else 3, "F1"),
        "keystrokes": asyncio.run(keystrokes(demo_url, large_url, keys)),
        "sql": {"small": sql(small_url, repeat), "large": sql(large_url, repeat)},
        "documents": documents(demo_url, batch, repeat),
    }
    report["sql"]["growth"] = growth(report["sql"]["small"], report["sql"]["large"])
    report["budgets"] = verdicts(report, large)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("quick.json" if args.quick else "latest.json")).write_text(
        json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    for section, values in report.items():
        print(f"\n{section}")
        for key, value in values.items() if isinstance(values, dict) else []:
            print(f"  {key:<45} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
