"""The one way screens call services: in a worker thread, with a session, results back on the
UI thread. User errors go to the screen's handler (or a notification); a refused attempt is
also written to the audit trail; anything unexpected is logged and reported in general words
(worker events do not bubble to the App, so this is the one place that sees them)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer
from textual.screen import Screen
from textual.worker import get_current_worker

from rehabteam.errors import AccessDenied, UserError, refusal_text
from rehabteam.i18n import t
from rehabteam.screens.context import AppContext
from rehabteam.screens.messages import DataChanged

R = TypeVar("R")
log = logging.getLogger(__name__)


class ServiceCalls:
    """Mixin for screens and modal dialogs that call services."""

    app: Any
    run_worker: Any

    @property
    def ctx(self) -> AppContext:
        return cast(AppContext, self.app)

    def _show_error(self, exc: UserError) -> None:
        self.app.notify(refusal_text(exc), severity="error", timeout=12)

    def call_service(
        self,
        service: Callable[[Session, Viewer], R],
        done: Callable[[R], object],
        *,
        write: bool = False,
        group: str = "service",
        exclusive: bool = True,
        on_error: Callable[[UserError], None] | None = None,
    ) -> None:
        """Run `service(session, viewer)` in a thread; hand its result to `done` on the UI
        thread. Nothing runs while nobody is identified: every service needs its viewer.

        With `exclusive`, a newer call in the same group makes an older one's result be
        dropped (search as you type)."""
        self.run_worker(
            partial(self._run, service, done, write, on_error),
            thread=True,
            group=group,
            exclusive=exclusive,
            exit_on_error=False,
        )

    READY_WAIT = 30.0  # seconds a call made before the database is open waits for it

    def _when_ready(self) -> tuple[Any, Viewer | None]:
        """The engine and the viewer, waiting (in the worker thread) while the database is
        still being opened: a key pressed in the first second is carried out, not dropped."""
        deadline = time.monotonic() + self.READY_WAIT
        worker = get_current_worker()
        while True:
            engine, viewer = self.ctx.engine, self.ctx.viewer
            if engine is not None and viewer is not None:
                return engine, viewer
            if worker.is_cancelled or time.monotonic() > deadline:
                return engine, viewer
            time.sleep(0.05)

    def _run(
        self,
        service: Callable[[Session, Viewer], R],
        done: Callable[[R], object],
        write: bool,
        on_error: Callable[[UserError], None] | None,
    ) -> None:
        from rehabteam.db import session_scope

        engine, viewer = self._when_ready()
        if engine is None or viewer is None:
            # A read is made again once the database opens; a save must say it was not made.
            if write and not get_current_worker().is_cancelled:
                self.app.call_from_thread(
                    on_error or self._show_error, UserError(t("db.not_ready"))
                )
            return
        try:
            with session_scope(engine, write=write) as session:
                result = service(session, viewer)
        except UserError as exc:
            if isinstance(exc, AccessDenied):
                from rehabteam.services.audit import record_refusal

                record_refusal(engine, exc)
                if exc.entity == "identity":  # deactivated meanwhile: nothing stays on screen
                    self.app.call_from_thread(self.ctx.identity_lost, str(exc))
                    return
            self.app.call_from_thread(on_error or self._show_error, exc)
            return
        except Exception:
            # Worker events do not bubble to the App, so failures are reported here.
            log.exception("a service call from %s failed", type(self).__name__)
            self.app.call_from_thread(
                on_error or self._show_error, UserError(t("error.unexpected"))
            )
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(done, result)


class ServiceScreen(ServiceCalls, Screen[Any]):
    SEARCH_DELAY = 0.15  # seconds of quiet typing before a search runs
    # Read again when another workstation saves something (`load()`, which must write no
    # audit entry: an entry is a change too, and the screens would read each other forever).
    LIVE = False

    def on_data_changed(self, _message: DataChanged) -> None:
        if self.LIVE and self.is_current:
            load = getattr(self, "load", None)
            if callable(load):
                load()

    def debounce(self, key: str, action: Callable[[], object]) -> None:
        """Run `action` once typing has paused: one search per pause, not per keystroke
        (each search is a query and an audit entry, and redraws a table)."""
        timers = self.__dict__.setdefault("_debounce_timers", {})
        previous = timers.pop(key, None)
        if previous is not None:
            previous.stop()
        timers[key] = self.set_timer(self.SEARCH_DELAY, action)
