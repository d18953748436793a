"""Dialog: create a citizen. Dismisses a validated `CitizenCreate`, or None when cancelled."""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from rehabteam.i18n import t
from rehabteam.models.inputs import CitizenCreate

FIELDS = ("cpr", "first_name", "last_name")


class NewCitizenDialog(ModalScreen[CitizenCreate | None]):
    CSS_PATH = "new_citizen.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("binding.cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "save", t("binding.save"), id="dialog.save"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(t("citizen.dialog.title"), classes="section-title")
            for name in FIELDS:
                yield Label(t(f"citizen.dialog.{name}"))
                yield Input(id=name, max_length=200)
                yield Static("", id=f"{name}-error", classes="field-error", markup=False)
            yield Checkbox(t("citizen.dialog.education"), id="education")
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
        self.dismiss(None)

    def action_save(self) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}-error", Static).update("")
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        try:
            data = CitizenCreate(
                **values, has_vocational_education=self.query_one("#education", Checkbox).value
            )
        except ValidationError as exc:
            first_bad: str | None = None
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else ""
                if field in FIELDS:
                    message = str(error["msg"]).removeprefix("Value error, ")
                    self.query_one(f"#{field}-error", Static).update(message)
                    first_bad = first_bad or field
            if first_bad:
                self.query_one(f"#{first_bad}", Input).focus()
            return
        self.dismiss(data)
