"""Dialog: leaving a screen with text that is not saved. Dismisses "save", "discard" or
"stay"; the default (Enter, Escape) is the safe one: stay."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from rehabteam.i18n import t

Choice = Literal["save", "discard", "stay"]


class UnsavedChangesDialog(ModalScreen[Choice]):
    CSS_PATH = "unsaved.tcss"
    BINDINGS = [
        Binding("escape", "choose('stay')", t("unsaved.stay"), id="unsaved.stay"),
        Binding("g", "choose('save')", t("unsaved.save"), id="unsaved.save"),
        Binding("k", "choose('discard')", t("unsaved.discard"), id="unsaved.discard"),
    ]

    def __init__(self, sections: list[str]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(t("unsaved.title"), classes="section-title", markup=False)
            yield Static(
                t("unsaved.body") + "\n" + "\n".join(f"• {s}" for s in self.sections),
                markup=False,
            )
            with Horizontal(id="buttons"):
                yield Button(t("unsaved.stay"), id="stay", variant="primary")
                yield Button(t("unsaved.save"), id="save", variant="success")
                yield Button(t("unsaved.discard"), id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "stay")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice if choice in ("save", "discard") else "stay")  # type: ignore[arg-type]
