"""Run one app headless in a fresh process and print, as JSON, the seconds from process
start to the first frame and to the home screen showing data, and the peak memory.

`python -m benchmarks.startup_probe minimal|app [DATABASE_URL]`

Times count from the moment the parent launched this process (BENCH_SPAWNED, wall clock),
so the interpreter's own start is included, as a user launching the app feels it.
"""

from __future__ import annotations

import os
import time

STARTED = float(os.environ.get("BENCH_SPAWNED") or time.time())

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402


def run(kind: str, url: str) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    marks: dict[str, float] = {}
    original = App._display

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        marks.setdefault("first_paint", time.time() - STARTED)
        if "data_ready" in marks and "data_shown" not in marks:
            marks["data_shown"] = time.time() - STARTED
            self.call_later(self.exit)
        original(self, screen, renderable)

    App._display = display  # type: ignore[method-assign]
    if kind == "minimal":

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("Hello")
                yield Footer()

            def on_mount(self) -> None:
                marks["data_ready"] = time.time() - STARTED

        Minimal().run(headless=True, size=(120, 40))
    else:
        from rehabteam.app import make_app
        from rehabteam.screens.home import HomeScreen
        from rehabteam.settings import Settings

        shown = HomeScreen._show_cases

        def show_cases(self: HomeScreen, cases: Any, total: int) -> None:
            shown(self, cases, total)
            marks["data_ready"] = time.time() - STARTED
            self.refresh()

        HomeScreen._show_cases = show_cases  # type: ignore[method-assign]
        make_app(Settings(database_url=url, user="ML")).run(headless=True, size=(120, 40))
    marks["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return marks


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")))
