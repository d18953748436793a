"""Dialog: create a citizen. Closes with the citizen once saved (or found already
registered), or None when cancelled; a refusal keeps everything typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from rehabteam.i18n import t
from rehabteam.models.inputs import CitizenCreate
from rehabteam.models.read import CitizenRead
from rehabteam.screens.dialogs.submit import Submitting
from rehabteam.widgets.inputs import TextInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer

FIELDS = ("cpr", "first_name", "last_name")
Submit = Callable[["Session", "Viewer", CitizenCreate], CitizenRead]


class NewCitizenDialog(Submitting, ModalScreen[CitizenRead | None]):
    CSS_PATH = "new_citizen.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("binding.cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "save", t("binding.save"), id="dialog.save"),
    ]

    def __init__(self, submit: Submit) -> None:
        super().__init__()
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(t("citizen.dialog.title"), classes="section-title", markup=False)
            for name in FIELDS:
                yield Label(t(f"citizen.dialog.{name}"), markup=False)
                yield TextInput(id=name, max_length=200)
                yield Static("", id=f"{name}-error", classes="field-error", markup=False)
            yield Checkbox(t("citizen.dialog.education"), id="education")
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(t("citizen.dialog.save"), id="save", variant="primary")
                yield Button(t("citizen.dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cpr", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        order = list(FIELDS)
        current = event.input.id or ""
        if current in order and order.index(current) < len(order) - 1:
            self.query_one(f"#{order[order.index(current) + 1]}", Input).focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.cancel()

    def action_save(self) -> None:
        self.clear_errors()
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        try:
            data = CitizenCreate(
                **values, has_vocational_education=self.query_one("#education", Checkbox).value
            )
        except ValidationError as exc:
            for error in reversed(exc.errors()):  # focus ends on the first bad field
                field = str(error["loc"][0]) if error["loc"] else ""
                message = str(error["msg"]).removeprefix("Value error, ")
                self.show_error(message, field if field in FIELDS else None)
            return
        submit = self.submit
        self.submit_to(lambda s, v: submit(s, v, data))
