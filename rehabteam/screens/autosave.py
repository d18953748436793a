"""Screens whose typed text is saved section by section, the moment the user leaves it.

One place for the rules that keep every word: a section is validated on the UI thread (the
message is shown beside it, nothing is sent), then saved in a worker thread, one save at a
time, against the version the user started from. A refused save (someone else saved first)
keeps the user's text on screen and shows the other version; the next save is then a
deliberate merge. Closing with unsaved text asks: stay (default), save and close, or close
without saving.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session
from textual import events
from textual.css.query import NoMatches
from textual.widgets import Input, Static, TextArea

from rehabteam.errors import AccessDenied, StaleEdit, UserError, user_message
from rehabteam.i18n import t
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen

# (session, who is saving, the version the user started from) -> the saved read model
SaveCall = Callable[[Session, Viewer, int], Any]

log = logging.getLogger(__name__)


class AutosaveScreen(ServiceScreen):
    """Subclasses name their sections and say how each is read, validated and saved."""

    def __init__(self) -> None:
        super().__init__()
        self._save_lock = threading.Lock()  # one save at a time; guards the two dicts below
        self._versions: dict[str, int] = {}
        self._saved: dict[str, tuple[Any, ...]] = {}
        self._pending = 0
        self._close_when_saved = False

    # --- what subclasses provide -------------------------------------------------------

    def all_sections(self) -> list[str]:
        raise NotImplementedError

    def section_values(self, section: str) -> tuple[Any, ...]:
        raise NotImplementedError

    def section_of(self, widget_id: str) -> str | None:
        raise NotImplementedError

    def section_label(self, section: str) -> str:
        raise NotImplementedError

    def build_save(self, section: str, values: tuple[Any, ...]) -> SaveCall:
        """Validate `values` and return the save; raise ValueError/ValidationError if bad."""
        raise NotImplementedError

    def version_after(self, section: str, outcome: Any) -> int:
        raise NotImplementedError

    def after_save(self, section: str, outcome: Any) -> None:
        """Show what a successful save returned (status lists, derived values)."""

    def error_widget(self, section: str) -> Static:
        raise NotImplementedError

    def show_state(self, text: str) -> None:
        raise NotImplementedError

    def other_version_text(self, exc: StaleEdit) -> str:
        return ""

    # --- the machinery -------------------------------------------------------------------

    def text_of(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Input):
            return widget.value
        raise TypeError(widget_id)

    def remember(self, section: str, values: tuple[Any, ...], version: int) -> None:
        with self._save_lock:
            self._saved[section] = values
            self._versions[section] = version

    def dirty_sections(self) -> list[str]:
        with self._save_lock:
            saved = dict(self._saved)
        dirty = []
        for section in self.all_sections():
            try:
                values = self.section_values(section)
            except NoMatches:  # the form is being rebuilt; its widgets are gone
                continue
            if values != saved.get(section):
                dirty.append(section)
        return dirty

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        section = self.section_of(event.widget.id or "")
        if section is not None and section in self.dirty_sections():
            self.save_section(section)

    def save_section(self, section: str) -> bool:
        values = self.section_values(section)
        self.error_widget(section).update("")
        try:
            call = self.build_save(section, values)
        except (ValidationError, ValueError) as exc:
            self.error_widget(section).update(user_message(exc))
            self.show_state(t("prep.not_saved", section=self.section_label(section)))
            return False
        self.start_save(section, values, call)
        return True

    def start_save(self, section: str, values: tuple[Any, ...], call: SaveCall) -> None:
        self._pending += 1
        self.show_state(t("prep.saving"))
        self.run_worker(
            partial(self._save_in_thread, section, values, call),
            thread=True,
            group="autosave",
            exit_on_error=False,
        )

    def _save_in_thread(self, section: str, values: tuple[Any, ...], call: SaveCall) -> None:
        from rehabteam.db import session_scope

        engine, viewer = self.ctx.engine, self.ctx.viewer
        assert engine is not None and viewer is not None  # the screen opens only for someone
        outcome: Any
        with self._save_lock:
            expected = self._versions.get(section, 0)
            try:
                with session_scope(engine, write=True) as session:
                    outcome = call(session, viewer, expected)
            except StaleEdit as exc:
                if "version" in exc.theirs:  # the next save is a deliberate merge
                    self._versions[section] = int(exc.theirs["version"])
                outcome = exc
            except UserError as exc:
                if isinstance(exc, AccessDenied):
                    from rehabteam.services.audit import record_refusal

                    record_refusal(engine, exc)
                outcome = exc
            except Exception:
                log.exception("saving %s failed", section)
                outcome = UserError(t("error.unexpected"))
            else:
                self._versions[section] = self.version_after(section, outcome)
                if values:
                    self._saved[section] = values
        self.app.call_from_thread(self._save_done, section, outcome)

    def _save_done(self, section: str, outcome: Any) -> None:
        self._pending -= 1
        if isinstance(outcome, UserError):
            self._close_when_saved = False
            message = str(outcome)
            if isinstance(outcome, StaleEdit) and outcome.theirs:
                message += "\n" + self.other_version_text(outcome)
            self.error_widget(section).update(message)
            self.show_state(t("prep.not_saved", section=self.section_label(section)))
            return
        self.error_widget(section).update("")
        self.after_save(section, outcome)
        if self._pending == 0:
            dirty = self.dirty_sections()
            self.show_state(
                t("prep.all_saved") if not dirty else t("prep.unsaved_count", n=len(dirty))
            )
            if self._close_when_saved and not dirty:
                self.dismiss()

    def action_save_all(self) -> None:
        dirty = self.dirty_sections()
        if not dirty:
            self.show_state(t("prep.all_saved"))
            if self._close_when_saved and self._pending == 0:
                self.dismiss()
            return
        if not all([self.save_section(s) for s in dirty]):
            self._close_when_saved = False

    def action_close(self) -> None:
        dirty = self.dirty_sections()
        if not dirty and self._pending == 0:
            self.dismiss()
            return
        if not dirty:
            self._close_when_saved = True  # a save is under way; close when it lands
            return
        from rehabteam.screens.dialogs.unsaved import Choice, UnsavedChangesDialog

        def chosen(choice: Choice | None) -> None:
            if choice == "discard":
                self.dismiss()
            elif choice == "save":
                self._close_when_saved = True
                self.action_save_all()

        self.app.push_screen(UnsavedChangesDialog([self.section_label(s) for s in dirty]), chosen)
