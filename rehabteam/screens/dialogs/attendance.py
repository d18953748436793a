"""Dialog: whether the citizen attends the meeting, the reason if not, and a bisidder.
Closes once `submit` has saved it; a refusal keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from rehabteam.errors import user_message
from rehabteam.i18n import t
from rehabteam.models.inputs import AttendanceInput
from rehabteam.models.read import AgendaItemRead
from rehabteam.screens.dialogs.submit import Submitting
from rehabteam.widgets.inputs import TextInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer


class AttendanceDialog(Submitting, ModalScreen[Any]):
    CSS_PATH = "prompts.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("binding.cancel"), id="attendance.cancel"),
        Binding("ctrl+s", "save", t("binding.save"), id="attendance.save"),
    ]

    def __init__(
        self, item: AgendaItemRead, submit: Callable[[Session, Viewer, AttendanceInput], object]
    ) -> None:
        super().__init__()
        self.item, self.submit = item, submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                t("attendance.title", name=self.item.citizen_name),
                classes="section-title",
                markup=False,
            )
            yield Checkbox(t("attendance.attends"), self.item.citizen_attends, id="attends")
            yield Label(t("field.absence_reason"), markup=False)
            yield TextInput(self.item.absence_reason, id="reason", max_length=2000)
            yield Static("", id="reason-error", classes="field-error", markup=False)
            yield Label(t("field.bisidder"), markup=False)
            yield TextInput(
                self.item.bisidder,
                id="bisidder",
                max_length=300,
                placeholder=t("field.bisidder_hint"),
            )
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("binding.save"), id="save", variant="primary")
                yield Button(t("binding.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#attends", Checkbox).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.clear_errors()
        try:
            data = AttendanceInput(
                citizen_attends=self.query_one("#attends", Checkbox).value,
                absence_reason=self.query_one("#reason", Input).value,
                bisidder=self.query_one("#bisidder", Input).value,
            )
        except ValidationError as exc:
            self.show_error(user_message(exc), "reason")
            return
        submit = self.submit
        self.submit_to(lambda s, v: submit(s, v, data))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.cancel()
