"""Keystroke-to-screen latency in the meeting room on the demo data.

Types N characters into a discipline panel through Textual's Pilot (each press waits until
the app has processed the key and the screen is idle again) and prints the median and 95th
percentile. The same is measured for a bare Textual app with one TextArea in the same
process: Pilot's own waiting is most of a round trip, so the difference is what the meeting
room itself costs per keystroke.
Run: .venv/bin/python -m benchmarks.meeting_room_keys [N]
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time


async def measure(keys: int) -> dict[str, float]:
    from textual.widgets import DataTable

    from rehabteam.app import make_app
    from rehabteam.screens.meeting_room import MeetingRoomScreen
    from rehabteam.settings import Settings

    app = make_app(Settings(user="ML"), demo=True)
    timings: list[float] = []
    async with app.run_test(size=(180, 60)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.engine is not None and not app.workers:
                break
        await pilot.press("m")
        await pilot.pause(0.5)
        table = app.screen.query_one("#meetings", DataTable)
        rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=next(i for i, r in enumerate(rows) if "I dag" in r))
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press("g")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, MeetingRoomScreen) and app.screen.case is not None:
                break
        screen = app.screen
        assert isinstance(screen, MeetingRoomScreen) and screen.case is not None
        panel = screen.query_one(f"#av-{screen.case.assessments[0].discipline}")
        panel.focus()
        await pilot.pause(0.2)
        text = "Borgeren har ressourcer og en klar motivation for arbejde med dyr. "
        for n in range(keys):
            started = time.perf_counter()
            await pilot.press(text[n % len(text)] if text[n % len(text)] != " " else "space")
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "keystrokes": keys,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


async def baseline(keys: int) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(id="text")

    app = Bare()
    timings: list[float] = []
    async with app.run_test(size=(180, 60)) as pilot:
        app.query_one("#text").focus()
        await pilot.pause(0.2)
        for _ in range(keys):
            started = time.perf_counter()
            await pilot.press("a")
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
    }


def main() -> None:
    keys = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as folder:
        os.environ["REHABTEAM_DATA_DIR"] = folder
        room = asyncio.run(measure(keys))
    bare = asyncio.run(baseline(keys))
    result = {
        "meeting_room": room,
        "bare_textarea": bare,
        "room_cost_median_ms": round(room["median_ms"] - bare["median_ms"], 2),
        "room_cost_p95_ms": round(room["p95_ms"] - bare["p95_ms"], 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
