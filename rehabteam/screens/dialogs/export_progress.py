"""Progress of a long export: a bar, the file being written, and the result."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from rehabteam.i18n import t


class ExportProgress(ModalScreen[None]):
    CSS_PATH = "prompts.tcss"
    BINDINGS = [Binding("escape,enter", "close", t("binding.back"), id="export.close")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="section-title", markup=False)
            yield ProgressBar(id="bar", show_eta=False)
            yield Static("", id="current", markup=False)

    def advance(self, done: int, total: int, name: str) -> None:
        self.query_one("#bar", ProgressBar).update(total=total, progress=done)
        self.query_one("#current", Static).update(name)

    def finish(self, message: str) -> None:
        self.done = True
        self.query_one("#current", Static).update(message + "\n\n" + t("export.close_hint"))

    def action_close(self) -> None:
        if self.done:
            self.dismiss(None)
