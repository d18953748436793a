"""Dialog: leaving a screen with text that is not saved. Dismisses "save", "discard" or
"stay"; the default (Enter, Escape) is the safe one: stay.

It names each field changed, and each field where saving would replace what someone else
wrote meanwhile (then the save button says it saves the user's own text). No single
letter answers it: the keys a hurried user types on after Escape ("...ikke") reached it,
and `k` closed without saving. Ctrl+S saves and closes, as it saves everywhere; closing
without saving takes the button (Tab to it, Enter)."""

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
        Binding("ctrl+s", "choose('save')", t("unsaved.save"), id="unsaved.save"),
    ]

    def __init__(self, fields: list[str], clashes: list[str] | None = None) -> None:
        """`fields`: a line per form ("Indstilling: Begrundelse, Vurdering"); `clashes`: a
        line per field whose saved text is someone else's (saving replaces it)."""
        super().__init__()
        self.fields = fields
        self.clashes = clashes or []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(t("unsaved.title"), classes="section-title", markup=False)
            yield Static(
                t("unsaved.body") + "\n" + "\n".join(f"• {s}" for s in self.fields),
                markup=False,
            )
            if self.clashes:
                yield Static("\n".join(self.clashes), id="clashes", markup=False)
            with Horizontal(id="buttons"):
                yield Button(t("unsaved.stay"), id="stay", variant="primary")
                save = t("unsaved.save_mine") if self.clashes else t("unsaved.save")
                yield Button(save, id="save", variant="success")
                yield Button(t("unsaved.discard"), id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "stay")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice if choice in ("save", "discard") else "stay")  # type: ignore[arg-type]
