"""Dialogs that close only when the service accepts what was typed.

The dialog validates its values, then hands them to its `submit` service in a write
transaction. Accepted: the dialog closes with the service's result. Refused (a meeting that
overlaps, a decision dated before the approval, a database that is locked): the dialog stays
open with every value still there and the message at the field it concerns, or under the
form when it concerns none. A second Ctrl+S while the first is on its way does nothing.

Cancelling (Escape, the Cancel button, Ctrl+Q) with text typed since the dialog opened
asks first whether to throw it away; the default answer keeps the dialog open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from rehabteam.errors import UserError, refusal_text
from rehabteam.screens.base import ServiceCalls

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer

R = TypeVar("R")


class Submitting(ServiceCalls):
    """Mixin for a ModalScreen: `submit_to(service)` instead of `dismiss(values)`."""

    ERROR_ID = "dialog-error"  # the Static under the form for messages about no one field
    FIELD_PREFIX = ""  # a field named `x` is the widget `#{FIELD_PREFIX}x`
    query: Any
    query_one: Any
    dismiss: Any
    app: Any
    call_after_refresh: Any
    _submitting = False
    _opened_with: list[str] | None = None

    def _on_mount(self, event: events.Mount) -> None:
        # Textual calls the _on_mount of every class in the MRO (the Screen's too).
        # What the dialog opened with, once its own on_mount has filled in the defaults.
        self.call_after_refresh(self._remember_opened)

    def _remember_opened(self) -> None:
        self._opened_with = self._texts()

    def _texts(self) -> list[str]:
        """What is typed in the dialog's lines and text fields (a choice is quickly made
        again; text is not)."""
        return [w.value if isinstance(w, Input) else w.text for w in self.query("Input, TextArea")]

    def typed_since_open(self) -> bool:
        return self._opened_with is not None and self._texts() != self._opened_with

    def ask_before_discarding(self, then: Callable[[], object]) -> None:
        """Ask whether to throw away what was typed; `then` only on yes."""
        from rehabteam.i18n import t
        from rehabteam.screens.dialogs.prompts import ConfirmPrompt

        def answered(discard: bool | None) -> None:
            if discard:
                then()

        self.app.push_screen(
            ConfirmPrompt(t("form.discard_question"), yes=t("form.discard_yes")), answered
        )

    def cancel(self) -> None:
        """Close with None; when something was typed, ask first."""
        if self.typed_since_open():
            self.ask_before_discarding(lambda: self.dismiss(None))
        else:
            self.dismiss(None)

    def submit_to(self, service: Callable[[Session, Viewer], object]) -> None:
        if self._submitting:
            return
        self._submitting = True
        self.clear_errors()
        self.call_service(
            service,
            self._accepted,
            write=True,
            group=f"submit-{id(self)}",
            on_error=self._show_error,
        )

    def _accepted(self, result: object) -> None:
        self._submitting = False
        self.dismiss(result)

    def _show_error(self, exc: UserError) -> None:
        """A refusal, or a failure nobody expected: shown here, the dialog stays open."""
        self._submitting = False
        self.show_error(refusal_text(exc), getattr(exc, "field", None))

    def clear_errors(self) -> None:
        for static in self.query(".field-error"):
            if isinstance(static, Static):
                static.update("")

    def show_error(self, message: str, field: str | None = None) -> None:
        """The message at `field` (its own error line, or the form's), focus on the field."""
        target: Static | None = None
        if field:
            found = self.query(f"#{field}-error")
            target = found.first(Static) if found else None
        if target is None:
            try:
                target = self.query_one(f"#{self.ERROR_ID}", Static)
            except NoMatches:
                self.app.notify(message, severity="error", timeout=10)
                return
        target.update(message)
        if field:
            widget = self.query(f"#{self.FIELD_PREFIX}{field}")
            if widget:
                widget.first().focus()
