"""Run one app headless in a fresh process and print, as JSON, the seconds from process
start to the first frame, to the home screen showing data (`data_shown`: the first frame
with the open cases, whichever way they were read) and to the services' rows drawn
(`services_shown`: the database open, checked and queried through the ORM), and the peak
memory once the start has settled (the background integrity check done, the rule sets read).

`python -m benchmarks.startup_probe minimal|app [DATABASE_URL [USER]]`

`minimal` is a bare Textual app (Header, Static, Footer); `app` is rehabteam launched as
the `rehabteam` command does it (`cli.main`: arguments, settings, logging, the first look
started before Textual is imported), headless. Times count from the moment the parent
launched this process (BENCH_SPAWNED, wall clock), so the interpreter's own start is
included, as a user launching the app feels it.
"""

from __future__ import annotations

import os
import time

STARTED = float(os.environ.get("BENCH_SPAWNED") or time.time())

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (120, 40)


def _watch_frames(marks: dict[str, float]) -> None:
    """Mark the first frame, the first with data, and the first with the services' data."""
    from textual.app import App

    original = App._display

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        now = time.time() - STARTED
        marks.setdefault("first_paint", now)
        if "data_ready" in marks:
            marks.setdefault("data_shown", now)
        if "services_ready" in marks and "services_shown" not in marks:
            marks["services_shown"] = now
            settle = getattr(self, "settle_then_exit", None)
            if settle is not None:
                settle()
            else:
                self.call_later(self.exit)
        original(self, screen, renderable)

    App._display = display  # type: ignore[method-assign]


def _minimal(marks: dict[str, float]) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    _watch_frames(marks)

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

        def on_mount(self) -> None:
            marks["data_ready"] = marks["services_ready"] = time.time() - STARTED

    Minimal().run(headless=True, size=SIZE)


def _app(marks: dict[str, float], url: str, user: str) -> None:
    import rehabteam.services.first_look as quick
    from rehabteam.cli import main

    start = quick.start_first_look

    def start_and_watch(url: str, *, user: str) -> Any:
        # The command line starts the first look, then imports Textual and the app: the
        # hooks go in at that point, so the order of work is the command's own.
        future = start(url, user=user)
        _hook_app(marks)
        return future

    quick.start_first_look = start_and_watch  # type: ignore[assignment]
    os.environ["REHABTEAM_USER"] = user
    main(["--db", url])


def _hook_app(marks: dict[str, float]) -> None:
    from rehabteam.app import RehabApp
    from rehabteam.screens.home import HomeScreen

    _watch_frames(marks)
    shown = HomeScreen._show_cases
    loaded = HomeScreen._cases_loaded
    run = RehabApp.run

    def show_cases(self: HomeScreen, cases: Any, total: int) -> None:
        shown(self, cases, total)
        marks.setdefault("data_ready", time.time() - STARTED)
        self.refresh()

    def cases_loaded(self: HomeScreen, cases: Any, total: int) -> None:
        loaded(self, cases, total)
        marks.setdefault("services_ready", time.time() - STARTED)
        self.refresh()

    def run_headless(self: RehabApp, **_: Any) -> Any:
        return run(self, headless=True, size=SIZE)

    def settle_then_exit(self: RehabApp) -> None:
        """Peak memory is the app's once its start has settled: the background integrity
        check finished and the rule sets read (a second after the data)."""

        def wait() -> None:
            from rehabteam.db import wait_for_integrity

            if self.engine is not None:
                wait_for_integrity(self.engine)
            for _ in range(50):
                if self._rulebook is not None:
                    break
                time.sleep(0.1)
            self.call_from_thread(self.exit)

        threading.Thread(target=wait, daemon=True).start()

    HomeScreen._show_cases = show_cases  # type: ignore[method-assign]
    HomeScreen._cases_loaded = cases_loaded  # type: ignore[method-assign]
    RehabApp.run = run_headless  # type: ignore[method-assign]
    RehabApp.settle_then_exit = settle_then_exit  # type: ignore[attr-defined]


def peak_mb() -> float:
    """This process's own peak resident memory (MB). Linux keeps `ru_maxrss` across exec,
    so a probe started by a runner holding 600 MB reported 600 MB whatever the app used;
    VmHWM belongs to the process's own memory since its exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(kind: str, url: str, user: str) -> dict[str, Any]:
    marks: dict[str, float] = {}
    if kind == "minimal":
        _minimal(marks)
    else:
        _app(marks, url, user)
    marks["peak_mb"] = peak_mb()
    return marks


if __name__ == "__main__":
    arguments = [*sys.argv[2:4], "", ""]
    print(json.dumps(run(sys.argv[1], arguments[0], arguments[1])))
