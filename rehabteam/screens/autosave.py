"""Screens whose forms are saved field by field, the moment the user leaves a field.

One place for the rules that keep every word (the forms are `widgets.fieldform.FieldForm`):
a form is validated on the UI thread (the message is shown beside it, nothing is sent), then
saved in a worker thread, one save at a time, carrying for each changed field the value the
user started from. A field someone else changed in the meantime is refused alone and shown
beside the user's text, and waits for the user's choice: Ctrl+S saves the user's text
deliberately, Ctrl+T takes theirs; leaving the field again does not save it.
What others save appears in fields the user has not touched (`DataChanged`). Closing with
unsaved text asks: stay (default), save and close, or close without saving; so does quitting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from textual.binding import Binding
from textual.widgets import Select

from rehabteam.errors import AccessDenied, UserError, user_message
from rehabteam.i18n import t
from rehabteam.models.read import Saved
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.screens.keys import after_typing
from rehabteam.screens.messages import DataChanged
from rehabteam.widgets.fieldform import FieldForm

# (session, who is saving) -> the saved record and the fields refused
SaveCall = Callable[[Session, Viewer], Saved[Any]]

log = logging.getLogger(__name__)


class FormScreen(ServiceScreen):
    """Subclasses say how each form is saved (`save_call`) and what a save shows."""

    BINDINGS = [
        Binding("ctrl+t", "take_theirs", t("binding.take_theirs"), id="form.take_theirs"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._save_lock = threading.Lock()  # one save at a time
        self._in_flight: set[str] = set()  # forms with a save under way (never two at once)
        self._sent: dict[str, dict[str, Any]] = {}  # what each save under way carries
        self._pending = 0
        self._on_saved: Callable[[], object] | None = None  # e.g. close, once all is saved
        self._typing_shown = False
        self._landed = 0  # saves landed so far: a quiet read begun before one is out of date
        self._reread = False  # someone saved while a save of ours was under way
        self.last_typed = 0.0  # time.monotonic() of the latest key that changed a field

    # --- what subclasses provide -------------------------------------------------------

    def save_call(self, form: FieldForm, data: BaseModel, base: dict[str, Any]) -> SaveCall:
        raise NotImplementedError

    def after_save(self, form: FieldForm, outcome: Saved[Any]) -> None:
        """Show what a save returned (status lists, derived values)."""

    def show_state(self, text: str) -> None:
        raise NotImplementedError

    def reload_quietly(self) -> None:
        """Read the record again after someone else saved (no audit entry: the same screen)."""

    # --- the machinery -------------------------------------------------------------------

    def forms(self) -> list[FieldForm]:
        return list(self.query(FieldForm))

    def dirty_forms(self) -> list[FieldForm]:
        return [f for f in self.forms() if not f.read_only and f.dirty]

    def unsent_forms(self) -> list[FieldForm]:
        """The forms holding text that no save under way carries (what leaving would lose)."""
        unsent = []
        for form in self.dirty_forms():
            sent, now = self._sent.get(form.section), form.values()
            if sent is None or any(k not in sent or now[k] != sent[k] for k in form.changed()):
                unsent.append(form)
        return unsent

    @property
    def has_unsaved(self) -> bool:
        return bool(self.dirty_forms()) or self._pending > 0

    def on_field_form_left(self, message: FieldForm.Left) -> None:
        if not message.form.read_only and message.form.dirty:
            self.save_form(message.form, leaving=True)

    def after_typing(self, action: Callable[[], object]) -> None:
        """Run `action` once the keys typed before it have reached their field. A key bound
        on the screen is handled the moment it arrives, ahead of the keys still queued for
        the field in focus: a burst "text, Ctrl+S" would save the text before the last
        words, and Ctrl+G would approve without them."""
        after_typing(self.app, self, action)

    def on_data_changed(self, _message: DataChanged) -> None:
        if self._pending == 0:
            self.reload_quietly()
        else:
            self._reread = True  # read once our save has landed

    def quietly(self, show: Callable[[Any], object]) -> Callable[[Any], None]:
        """`show` for a quiet read begun now. Its result is dropped, and read again, when one
        of the user's own saves landed meanwhile: the read may hold the text from before
        that save, and would put it back over what the user typed."""
        landed = self._landed

        def shown(result: Any) -> None:
            if self._landed == landed:
                show(result)
            elif self._pending == 0:
                self.reload_quietly()
            else:
                self._reread = True

        return shown

    def save_form(
        self, form: FieldForm, *, deliberate: bool = False, leaving: bool = False
    ) -> bool:
        """Validate the form and save what the user changed in it; False if it is invalid.
        A field refused before is saved only `deliberate`ly (Ctrl+S, "save and close"); on
        `leaving` a field, not the text field the cursor has moved on to."""
        form.error.update("")
        changed = form.changed(held=deliberate, typing=not leaving)
        if not changed:
            return True
        try:
            data = form.typed()
        except (ValidationError, ValueError) as exc:
            form.error.update(user_message(exc))
            self.show_state(t("prep.not_saved", section=self.section_label(form)))
            return False
        if form.section in self._in_flight:
            return True  # saved again when the save under way has landed
        now = form.values()
        sent = {name: now[name] for name in changed}
        self._in_flight.add(form.section)
        self._sent[form.section] = sent
        self._pending += 1
        self._typing_shown = False
        self.show_state(t("prep.saving"))
        self.run_worker(
            partial(self._save_in_thread, form, sent, self.save_call(form, data, changed)),
            thread=True,
            group="autosave",
            exit_on_error=False,
        )
        return True

    def section_label(self, form: FieldForm) -> str:
        return form.section

    def _save_in_thread(self, form: FieldForm, sent: dict[str, Any], call: SaveCall) -> None:
        from rehabteam.db import session_scope

        engine, viewer = self.ctx.engine, self.ctx.viewer
        outcome: Saved[Any] | UserError
        if engine is None or viewer is None:
            outcome = UserError(t("access.who"))
        else:
            with self._save_lock:
                try:
                    with session_scope(engine, write=True) as session:
                        outcome = call(session, viewer)
                except UserError as exc:
                    if isinstance(exc, AccessDenied):
                        from rehabteam.services.audit import record_refusal

                        record_refusal(engine, exc)
                    outcome = exc
                except Exception:
                    log.exception("saving %s failed", form.section)
                    outcome = UserError(t("error.unexpected"))
        self.app.call_from_thread(self._save_done, form, sent, outcome)

    def _save_done(self, form: FieldForm, sent: dict[str, Any], outcome: Any) -> None:
        self._pending -= 1
        self._landed += 1
        self._in_flight.discard(form.section)
        self._sent.pop(form.section, None)
        if isinstance(outcome, UserError):
            self._on_saved = None  # the user decides again
            self._release_keys()
            form.error.update(str(outcome))
            self.show_state(t("prep.not_saved", section=self.section_label(form)))
            return
        form.saved(sent, outcome.conflicts)
        if outcome.conflicts:
            self._on_saved = None
            self._release_keys()  # the screen stays: the keys typed meanwhile are for it
            form.error.update(t("edit.refused_fields", n=len(outcome.conflicts)))
            # Said where it is seen, whichever tab or field the user is in now.
            self.notify(
                t("edit.refused_toast", section=self.section_label(form)),
                severity="warning",
                timeout=12,
            )
        self.after_save(form, outcome)
        if form.is_attached and form.changed(held=False, typing=False) and not outcome.conflicts:
            self.save_form(form, leaving=True)  # left a field while the save was under way
        if self._pending == 0:
            self.show_saved_state()
            self._saved_all(self.dirty_forms())
            if self._reread:
                self._reread = False
                self.reload_quietly()

    def show_saved_state(self) -> None:
        dirty = self.dirty_forms()
        waiting = sum(len(f.waiting) for f in dirty)
        if waiting:
            self.show_state(t("edit.waiting_state", n=waiting))
        elif dirty:
            self.show_state(t("prep.unsaved_count", n=len(dirty)))
        else:
            self.show_state(t("prep.all_saved"))

    def on_text_area_changed(self) -> None:
        self._typing()

    def on_input_changed(self) -> None:
        self._typing()

    def _typing(self) -> None:
        """Typed, not yet saved: the status line says so (once, not at every key)."""
        self.last_typed = time.monotonic()
        if not self._typing_shown and self._pending == 0 and self.has_unsaved:
            self._typing_shown = True
            self.show_state(t("prep.typing"))

    def _saved_all(self, dirty: list[FieldForm]) -> None:
        then, self._on_saved = self._on_saved, None
        if then is not None and not dirty and self._pending == 0:
            then()
        elif then is not None and dirty:
            # Typed on while the saves were made ("text Ctrl+G more text"): the action
            # (approve, next case, close) would wait for a field the user is still in, and
            # nothing would be said. It is not done; the user is told to ask again.
            self.notify(t("edit.typed_on"), severity="warning", timeout=10)

    def action_save_all(self) -> None:
        self.after_typing(self.save_all)

    def save_all(self) -> None:
        """Save every form with unsaved text, deliberately (a refused field included)."""
        dirty = self.dirty_forms()
        if not dirty:
            self.show_state(t("prep.all_saved") if self._pending == 0 else t("prep.saving"))
            if self._pending == 0:
                self._saved_all([])
            return
        if not all([self.save_form(f, deliberate=True) for f in dirty]):
            self._on_saved = None

    def action_take_theirs(self) -> None:
        self.after_typing(self.take_theirs)

    def take_theirs(self) -> None:
        """Ctrl+T: in the field the cursor is in; elsewhere it goes to the first field with
        another version and says to press it again there (never a silent replacement of a
        text the user is not looking at)."""
        for form in self.forms():
            if form.take_theirs():
                self.show_state(t("edit.took_theirs"))
                return
        other = next((f.first_other() for f in self.forms() if f.first_other()), None)
        if other is not None:
            self.set_focus(other)
            self.show_state(t("edit.go_to_theirs"))
        else:
            self.show_state(t("edit.no_theirs"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape closes the screen, except in an open dropdown (it closes the list)."""
        if action == "close":
            focused = self.focused
            chain = focused.ancestors_with_self if focused is not None else []
            return not any(isinstance(n, Select) and n.expanded for n in chain)
        return True

    def action_close(self) -> None:
        """Escape: close once what was typed is saved. Keys typed after the Escape wait for
        the screen that comes next (KeyHold); a second close asked meanwhile closes nothing
        more (it closed the screen under this one too)."""
        hold = getattr(self.app, "key_hold", None)
        if hold is not None:
            hold.hold()
        self.after_typing(lambda: self.ask_before_leaving(self._close))

    def _close(self) -> None:
        if self.is_current:
            self.dismiss()
        self._release_keys()

    def _release_keys(self) -> None:
        hold = getattr(self.app, "key_hold", None)
        if hold is not None and hold.holding:
            self.app.call_later(hold.release)

    def ask_before_leaving(self, leave: Callable[[], object]) -> None:
        """Leave at once when everything is saved, or once the saves under way land when they
        carry all there is; else ask: stay, save and leave, or leave without saving."""
        dirty = self.unsent_forms()
        if not dirty and self._pending == 0:
            leave()
            return
        from rehabteam.screens.dialogs.unsaved import Choice, UnsavedChangesDialog

        def chosen(choice: Choice | None) -> None:
            if choice == "discard":
                leave()
            elif choice == "save":
                self._leave_when_saved(leave)

        if not dirty:  # a save is under way; leave when it lands
            self._leave_when_saved(leave)
            return
        fields = [
            f"{self.section_label(f)}: {', '.join(f.label_of(n) for n in f.changed())}"
            for f in dirty
        ]
        clashes = [
            t("unsaved.clash", field=f.label_of(name), by=by, at=at)
            for f in dirty
            for name, by, at in f.clashes()
        ]
        self.app.push_screen(UnsavedChangesDialog(fields, clashes), chosen)
        self._release_keys()  # the keys typed after Escape answer the question

    def when_saved(self, then: Callable[[], object]) -> None:
        """Run `then` once everything typed is saved (approve, next case, end); not while a
        refused field waits for the user's choice: that is asked first."""
        waiting = [f for f in self.forms() if f.waiting]
        if waiting:
            section = self.section_label(waiting[0])
            self.notify(t("edit.decide_first", section=section), severity="warning", timeout=12)
            return
        if self.has_unsaved:
            self._on_saved = then
            self.save_all()
            return
        then()

    def _leave_when_saved(self, leave: Callable[[], object]) -> None:
        self._on_saved = leave
        self.save_all()

    def save_now(self) -> int:
        """Save every valid unsaved form at once, in this thread (the app is being closed:
        SIGTERM, or the terminal went away). Returns how many forms could not be saved."""
        from rehabteam.db import session_scope

        engine, viewer = self.ctx.engine, self.ctx.viewer
        lost = 0
        for form in self.dirty_forms():
            changed = form.changed()
            try:
                call = self.save_call(form, form.typed(), changed)
                if engine is None or viewer is None:
                    raise UserError(t("access.who"))
                with self._save_lock, session_scope(engine, write=True) as session:
                    outcome = call(session, viewer)
                lost += bool(outcome.conflicts)
            except Exception:
                log.warning("could not save %s on the way out", form.section, exc_info=True)
                lost += 1
        return lost
