"""Small typed dialogs: a line of text (e.g. a reason), a choice from a list, a yes/no."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rehabteam.i18n import t
from rehabteam.screens.dialogs.submit import Submitting
from rehabteam.widgets.inputs import TextInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.viewer import Viewer

V = TypeVar("V")


class TextPrompt(Submitting, ModalScreen[Any]):
    """Ask for one line of text; `required` refuses an empty answer with a message.

    Closes with the answer; with `submit`, the answer goes to that service first and the
    dialog closes with its result, or stays open with the refusal shown under the line."""

    ERROR_ID = "answer-error"
    CSS_PATH = "prompts.tcss"
    BINDINGS = [Binding("escape", "cancel", t("binding.cancel"), id="prompt.cancel")]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        required: bool = True,
        max_length: int = 2000,
        submit: Callable[[Session, Viewer, str], object] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.prompt, self.value = title, prompt, value
        self.required, self.max_length, self.submit = required, max_length, submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="section-title", markup=False)
            yield Label(self.prompt, markup=False)
            yield TextInput(self.value, id="answer", max_length=self.max_length)
            yield Static("", id="answer-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("prompt.ok"), id="ok", variant="primary")
                yield Button(t("binding.cancel"), id="cancel")

    def on_mount(self) -> None:
        # At once (not `focus()`, which waits in the App's queue): the keys typed while the
        # dialog opened (a reason typed right after the key that asked for it) are handed
        # on as soon as it is mounted (screens.keys.KeyHold).
        self.set_focus(self.query_one("#answer", Input))

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        answer = " ".join(self.query_one("#answer", Input).value.split())
        if self.required and not answer:
            self.show_error(t("prompt.required"))
            return
        submit = self.submit
        if submit is None:
            self.dismiss(answer)
        else:
            self.submit_to(lambda s, v: submit(s, v, answer))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.cancel()


class ChoicePrompt(ModalScreen[V | None], Generic[V]):
    """Pick one of `options` (label, value) with the arrow keys and Enter."""

    CSS_PATH = "prompts.tcss"
    BINDINGS = [Binding("escape", "cancel", t("binding.cancel"), id="choice.cancel")]

    def __init__(self, title: str, options: list[tuple[str, V]], *, empty: str = "") -> None:
        super().__init__()
        self.title_text, self.options, self.empty = title, options, empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="section-title", markup=False)
            if self.options:
                yield OptionList(
                    *[Option(text, id=str(n)) for n, (text, _) in enumerate(self.options)],
                    id="choices",
                )
            else:
                yield Static(self.empty or t("prompt.no_choices"), markup=False)

    def on_mount(self) -> None:
        if self.options:
            self.query_one("#choices", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmPrompt(ModalScreen[bool]):
    """A yes/no question; Escape and the default button answer no."""

    CSS_PATH = "prompts.tcss"
    BINDINGS = [
        Binding("escape", "no", t("prompt.no"), id="confirm.no"),
        # The buttons sit side by side: the arrows move between them as they look.
        Binding("left", "app.focus_previous", show=False, id="confirm.left"),
        Binding("right", "app.focus_next", show=False, id="confirm.right"),
    ]

    def __init__(self, question: str, *, yes: str | None = None) -> None:
        super().__init__()
        self.question, self.yes = question, yes or t("prompt.yes")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("prompt.no"), id="no", variant="primary")
                yield Button(self.yes, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        self.dismiss(False)
