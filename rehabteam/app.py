"""The Textual application: settings, theme, global bindings, the first screen."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from rehabteam.models.read import StaffRead
    from rehabteam.models.viewer import Viewer
    from rehabteam.rules import RuleBook
    from rehabteam.screens.autosave import FormScreen
    from rehabteam.services.changes import Watcher
    from rehabteam.services.first_look import FirstLook
    from rehabteam.services.identity import Identity
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from rehabteam.errors import RulesError, UserError
from rehabteam.i18n import set_language, t
from rehabteam.screens.keys import KeyHold
from rehabteam.screens.messages import DatabaseFailed, DatabaseReady, FirstLookRead
from rehabteam.settings import Settings
from rehabteam.textsafe import clean_line, clean_text

log = logging.getLogger(__name__)

HIGH_CONTRAST = Theme(
    name="rehabteam-kontrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffff00",
    error="#ff6060",
    dark=True,
)
DEFAULT_THEME = "textual-dark"


class RehabApp(App[None]):
    TITLE = "rehabteam"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit_safely", t("binding.quit"), id="app.quit", priority=True),
        Binding("f2", "toggle_contrast", t("binding.theme"), id="app.contrast"),
        # Focus moves the moment Tab arrives, on every screen and dialog, so keys typed right
        # after it land in the next field (without priority, Tab waits behind them).
        Binding("tab", "focus_next", show=False, priority=True, id="app.tab"),
        Binding("shift+tab", "focus_previous", show=False, priority=True, id="app.backtab"),
    ]

    # The database work runs in threads beside the drawing; Python hands the GIL between
    # them every 5 ms by default. 1 ms lets a frame (or a keystroke) through sooner while a
    # thread imports the database layer or runs a query.
    SWITCH_INTERVAL = 0.001

    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool = False,
        rulebook: RuleBook | None = None,
        first_look: Future[FirstLook | None] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._rulebook = rulebook
        self.demo_requested = demo
        self._engine: Engine | None = None
        self._viewer: Viewer | None = None
        self._identity: Identity | None = None  # how the person was (or was not) identified
        self._demo = False
        self._watcher: Watcher | None = None
        self.key_hold = KeyHold(self)  # keys handed on one at a time (screens.keys)
        self._quit_question: object = None  # the question Ctrl+Q asked, while it is open
        sys.setswitchinterval(self.SWITCH_INTERVAL)
        if first_look is None and not demo:
            from rehabteam.services.first_look import start_first_look

            first_look = start_first_look(settings.effective_database_url, user=settings.user)
        # The home screen's first page read straight from the file (services.first_look);
        # the command line starts reading it before Textual is imported.
        self._first_look = None if demo else first_look

    @property
    def rulebook(self) -> RuleBook:
        """The legal rule sets, read when first needed (not before the first paint)."""
        if self._rulebook is None:
            from rehabteam.rules import load_rulebook

            self._rulebook = load_rulebook(self.settings.rules_file)
        return self._rulebook

    @property
    def engine(self) -> Engine | None:
        return self._engine

    @property
    def viewer(self) -> Viewer | None:
        return self._viewer

    async def on_event(self, event: events.Event) -> None:
        if not self.key_hold.take(event):
            await super().on_event(event)
            self.key_hold.sent(event)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = DEFAULT_THEME
        self.sub_title = clean_line(self.settings.organisation_name)
        from rehabteam.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self.open_database()
        self._on_signals()

    @work(thread=True, exclusive=True, group="database", exit_on_error=False)
    def open_database(self) -> None:
        """Opening (and migrating, or building the demo) happens after first paint."""
        self._show_first_look()
        from rehabteam.db import session_scope
        from rehabteam.services.identity import identify
        from rehabteam.services.startup import fresh_demo_database, is_demo, open_database

        try:
            if self.demo_requested:
                engine = fresh_demo_database(self.rulebook)
            else:
                engine = open_database(
                    self.settings.effective_database_url,
                    defer_integrity=True,
                    recheck_hours=self.settings.integrity_check_hours,
                )
            with session_scope(engine) as session:
                demo = is_demo(session=session)
                identity = identify(session=session, claimed=self.settings.user, demo=demo)
        except UserError as exc:
            self.call_from_thread(self._broadcast, DatabaseFailed(str(exc)))
            return
        except RulesError as exc:
            message = t("app.rules_failed", message=str(exc))
            self.call_from_thread(self._broadcast, DatabaseFailed(message))
            return
        self.call_from_thread(self._database_ready, engine, demo, identity)
        self._await_integrity(engine)

    FIRST_LOOK_WAIT = 0.3  # seconds the database waits at most for the first look's frame

    def _show_first_look(self) -> None:
        """Hand the first look to the screens and let it be drawn before the database layer
        is imported (that holds the GIL for a few hundred milliseconds)."""
        if self._first_look is None:
            return
        try:
            look = self._first_look.result()
        except Exception:
            return
        if look is not None:
            message = FirstLookRead(look)
            self.call_from_thread(self._broadcast, message)
            message.drawn.wait(timeout=self.FIRST_LOOK_WAIT)

    RULES_DELAY = 1.0  # seconds after the database is ready: the first data shows first

    @work(thread=True, exclusive=True, group="rules", exit_on_error=False)
    def read_rules(self) -> None:
        """Read the rule sets once the first data is on screen (parsing them beside the first
        queries would slow those); a rules file that cannot be used closes the database."""
        engine = self._engine
        try:
            self.rulebook  # noqa: B018 - read for its check
        except RulesError as exc:
            if engine is not None:
                self.call_from_thread(
                    self._database_lost, engine, t("app.rules_failed", message=str(exc))
                )

    def _await_integrity(self, engine: Engine) -> None:
        """The full integrity check runs while the first data shows (writes wait for it);
        damage found closes the database before anything is written to it."""
        from rehabteam.db import wait_for_integrity

        try:
            wait_for_integrity(engine)
        except UserError as exc:
            self.call_from_thread(self._database_lost, engine, str(exc))

    def _database_lost(self, engine: Engine, message: str) -> None:
        if self._engine is engine:
            self._engine = None
        engine.dispose()
        self._broadcast(DatabaseFailed(message))
        self.notify(message, severity="error", timeout=30)

    def _database_ready(self, engine: Engine, demo: bool, identity: Identity) -> None:
        from rehabteam.services.changes import watch

        self._engine = engine
        self._watcher = watch(engine, self._changed_elsewhere)
        self._identity = identity
        self._demo = demo
        self._set_viewer(identity.viewer)
        if identity.viewer is not None:
            why = ""
        elif identity.bindable:  # the question is about to be asked (and can be again)
            why = t("home.who_first", login=identity.login)
        else:
            why = identity.message()
        self._broadcast(DatabaseReady(demo, unidentified=why))
        self.set_timer(self.RULES_DELAY, self.read_rules)
        if identity.claim_ignored:
            self.notify(t("identity.claim_ignored", login=identity.login), timeout=15)
        if identity.viewer is None and not identity.bindable:
            self.notify(why, severity="warning", timeout=30)
        self.action_choose_profile()

    def action_choose_profile(self) -> None:
        """An unrecognised login on SQLite binds itself, once, to a profile that has no login
        and is neither an administrator nor a mødeleder (the question may be dismissed and
        asked again from the command palette)."""
        identity = self._identity
        if self._viewer is not None or identity is None or not identity.bindable:
            return
        from rehabteam.screens.dialogs.prompts import ChoicePrompt

        options = [
            (f"{s.name} ({s.initials}) – {t(f'Discipline.{s.discipline}')}", s)
            for s in identity.bindable
        ]
        self.push_screen(
            ChoicePrompt(t("app.who_are_you", login=identity.login), options),
            self._profile_chosen,
        )

    def _profile_chosen(self, profile: StaffRead | None) -> None:
        if profile is not None and self._identity is not None:
            self.bind_profile(profile.id, self._identity.login)

    @work(thread=True, exclusive=True, group="identity", exit_on_error=False)
    def bind_profile(self, staff_id: int, login: str) -> None:
        """Bind the login to the chosen profile (audited); then the screens load what that
        person may see."""
        from rehabteam.db import session_scope
        from rehabteam.errors import AccessDenied
        from rehabteam.services.audit import record_refusal
        from rehabteam.services.identity import bind_login

        engine = self._engine
        if engine is None:
            return
        try:
            with session_scope(engine, write=True) as session:
                viewer = bind_login(session=session, staff_id=staff_id, login=login)
        except AccessDenied as exc:
            record_refusal(engine, exc)
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            return
        except UserError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            return
        self.call_from_thread(self._bound, viewer)

    def _bound(self, viewer: Viewer) -> None:
        self._set_viewer(viewer)
        self.notify(t("identity.bound", name=viewer.name))
        self._broadcast(DatabaseReady(self._demo))

    def identity_lost(self, message: str) -> None:
        """The staff member was deactivated (or lost their login) while working: back to the
        home screen, which then lists nothing, and say why."""
        from rehabteam.screens.home import HomeScreen

        self._set_viewer(None)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self._broadcast(DatabaseReady(self._demo, unidentified=message))
        self.notify(message, severity="error", timeout=30)

    def _set_viewer(self, viewer: Viewer | None) -> None:
        self._viewer = viewer
        # Stored names go to the terminal: never an escape sequence (a retitled window, a
        # clipboard set by OSC 52).
        self.sub_title = clean_line(
            f"{viewer.label} – {self.settings.organisation_name}"
            if viewer is not None
            else self.settings.organisation_name
        )

    def _broadcast(self, message: Message) -> None:
        for screen in self.screen_stack:
            screen.post_message(message)

    def _changed_elsewhere(self) -> None:
        """From the change watcher's thread: the screens read what they show again.
        (Posting a message is thread-safe and does not wait; a closing app takes none.)"""
        from contextlib import suppress

        from rehabteam.screens.messages import DataChanged

        with suppress(RuntimeError):  # the loop is already closed
            for screen in list(self.screen_stack):
                screen.post_message(DataChanged())

    # --- leaving without losing a word ---------------------------------------------------

    def _form_screens(self) -> list[FormScreen]:
        from rehabteam.screens.autosave import FormScreen

        return [s for s in self.screen_stack if isinstance(s, FormScreen)]

    def action_quit_safely(self) -> None:
        """Ctrl+Q, once the keys typed before it have reached their field (else a burst
        "text, Ctrl+Q" would find nothing unsaved and quit without the text)."""
        from rehabteam.screens.keys import after_typing

        after_typing(self, self.screen, self.quit_safely)

    def quit_safely(self, answered: tuple[object, ...] = ()) -> None:
        """Quit at once when everything is saved; else ask, screen by screen, as closing a
        screen does (stay, save and quit, or quit without saving); a dialog with text typed
        in it asks first whether to throw that away."""
        from rehabteam.screens.dialogs.submit import Submitting

        top = self.screen
        if top is self._quit_question and not answered:
            return  # Ctrl+Q again while its question is open: that one question answers it
        if isinstance(top, Submitting) and top.typed_since_open() and top not in answered:
            top.ask_before_discarding(lambda: self.quit_safely((*answered, top)))
        else:
            unsaved = [s for s in self._form_screens() if s.has_unsaved and s not in answered]
            if not unsaved:
                self.exit()
                return
            screen = unsaved[-1]
            screen.ask_before_leaving(lambda: self.quit_safely((*answered, screen)))
        self._quit_question = self.screen if self.screen is not top else None

    def _on_signals(self) -> None:
        import asyncio
        import signal
        from contextlib import suppress

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
                loop.add_signal_handler(sig, self._terminated, sig.name)

    def _terminated(self, name: str) -> None:
        """SIGTERM, or the terminal closed (SIGHUP): save what can be saved, then go."""
        lost = sum(screen.save_now() for screen in self._form_screens())
        log.warning("%s: closing; %d unsaved form(s) could not be saved", name, lost)
        if name == "SIGHUP":
            # The terminal is gone: restoring it would wait forever on a writer that can
            # no longer write. Everything is saved and the database closed; leave now.
            import os

            if self._engine is not None:
                from rehabteam.db import close_engine

                close_engine(self._engine)
            logging.shutdown()
            os._exit(0 if not lost else 1)
        self.exit(return_code=0 if not lost else 1)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for failed workers: a readable notification, details in the log."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, UserError):
            self.notify(str(error), severity="error", timeout=10)
        else:
            log.error("worker %s failed", event.worker.name, exc_info=error)
            self.notify(t("error.unexpected"), severity="error", timeout=10)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification shows its text as text: messages carry stored names, and
        markup in a name (`[@click=app.quit]`) must never become a link or an action."""
        super().notify(
            clean_text(message),
            title=clean_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_toggle_contrast(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            t("command.contrast"), t("command.contrast"), self.action_toggle_contrast
        )
        yield SystemCommand(t("command.keys"), t("command.keys"), self.action_show_help_panel)
        yield SystemCommand(t("command.theme"), t("command.theme"), self.action_change_theme)
        yield SystemCommand(t("command.quit"), t("command.quit"), self.action_quit_safely)
        if self._viewer is None and self._identity is not None and self._identity.bindable:
            yield SystemCommand(
                t("command.choose_profile"), t("command.choose_profile"), self.action_choose_profile
            )
        yield from self._screen_commands(screen)

    def _screen_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The screen's own keys as commands, built from its bindings so that nothing is
        listed twice and nothing bound is missing (a focused widget's keys stay keys)."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding, node = active.binding, active.node
            if not (active.enabled and binding.description and isinstance(node, Screen)):
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            key = binding.key_display or self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                binding.tooltip or t("command.key", key=key),
                partial(self.run_action, binding.action, node),
            )

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        if self._engine is not None:
            from rehabteam.db import close_engine

            close_engine(self._engine)


def make_app(
    settings: Settings, *, demo: bool = False, first_look: Future[FirstLook | None] | None = None
) -> RehabApp:
    """The factory the CLI and the tests share."""
    from rehabteam import paste

    set_language(settings.language)
    paste.install()  # a bracketed paste is one Paste, escape sequences and all
    return RehabApp(settings, demo=demo, first_look=first_look)
