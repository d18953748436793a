"""A small form in a dialog: lines, dates, free text, a checkbox, a choice.

The caller's `build` turns the typed values into a validated input (a pydantic model or a
date), and `submit` hands that to a service; the dialog closes with the service's result.
When either refuses (ValidationError, ValueError, UserError) the message is shown in the
dialog, at the field when the error names one, and everything typed is still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from rehabteam.errors import UserError, user_message
from rehabteam.i18n import t
from rehabteam.screens.dialogs.submit import Submitting
from rehabteam.widgets.inputs import TextEditor, TextInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer

T = TypeVar("T")
Values = dict[str, str | bool]


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    kind: Literal["line", "date", "text", "check", "select"] = "line"
    value: str | bool = ""
    options: list[tuple[str, str]] = field(default_factory=list)


class FormDialog(Submitting, ModalScreen[T | None], Generic[T]):
    """Dismisses what `submit(session, viewer, built)` returned, or None when cancelled."""

    ERROR_ID = "form-error"
    FIELD_PREFIX = "f-"
    CSS_PATH = "form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("binding.cancel"), id="form.cancel"),
        Binding("ctrl+s", "save", t("binding.save"), id="form.save", priority=True),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        build: Callable[[Values], Any],
        submit: Callable[[Session, Viewer, Any], T],
    ) -> None:
        super().__init__()
        self.title_text, self.fields, self.build, self.submit = title, fields, build, submit

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(self.title_text, classes="section-title", markup=False)
            for f in self.fields:
                widget_id = f"f-{f.key}"
                if f.kind == "check":
                    yield Checkbox(f.label, bool(f.value), id=widget_id)
                    yield Static("", id=f"{f.key}-error", classes="field-error", markup=False)
                    continue
                yield Label(f.label, markup=False)
                if f.kind == "text":
                    yield TextEditor(str(f.value), id=widget_id, soft_wrap=True)
                elif f.kind == "select":
                    yield Select[str](
                        f.options, id=widget_id, value=str(f.value), allow_blank=False
                    )
                else:
                    placeholder = t("form.date_placeholder") if f.kind == "date" else ""
                    yield TextInput(
                        str(f.value), id=widget_id, placeholder=placeholder, max_length=2000
                    )
                yield Static("", id=f"{f.key}-error", classes="field-error", markup=False)
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("binding.save"), id="save", variant="primary")
                yield Button(t("binding.cancel"), id="cancel")

    def on_mount(self) -> None:
        first = self.query(".dialog Input, .dialog TextArea, .dialog Select, .dialog Checkbox")
        if first:
            first.first().focus()

    def values(self) -> Values:
        result: Values = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.key}")
            if isinstance(widget, Checkbox):
                result[f.key] = widget.value
            elif isinstance(widget, TextArea):
                result[f.key] = widget.text
            elif isinstance(widget, Select):
                result[f.key] = str(widget.value)
            elif isinstance(widget, Input):
                result[f.key] = widget.value
        return result

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Save, once the keys typed before Ctrl+S have reached their field (a key bound
        with priority is handled ahead of the keys still queued for the field)."""
        from rehabteam.screens.keys import after_typing

        after_typing(self.app, self, self._save)

    def _save(self) -> None:
        self.clear_errors()
        try:
            built = self.build(self.values())
        except (ValueError, UserError) as exc:
            self.show_error(user_message(exc), getattr(exc, "field", None))
            return
        submit = self.submit
        self.submit_to(lambda s, v: submit(s, v, built))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.cancel()
