"""Text fields that keep their text when the cursor comes to them and take keys in the
order they were typed.

Textual's Input selects all its text on focus, so the next key replaces it: a burst "Tab,
type" into a filled field (a meeting's place, a date) lost what was there. Here Tab puts the
cursor at the end, and replacing the text is a deliberate Ctrl+U or select-all.

In Textual (8.2.8) a field's own editing keys (Backspace, Delete, arrows, Home/End) are
bindings: the key travels up to the App and back before it acts, while a letter is inserted
at once. Typed fast (a burst of "Backspace x"), the letter lands first and the Backspace
then deletes it instead of the character before it. `KeysInOrder` runs the field's own
bindings as the key arrives, so every key acts in the order typed.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input, TextArea

from rehabteam.textsafe import clean_line, clean_text


class KeysInOrder:
    """Mixin for a text widget: its own (non-priority) bindings run in its key handler
    (Textual calls each class's `_on_key` in turn; `prevent_default` stops the rest)."""

    _bindings: Any
    app: Any

    async def _on_key(self, event: events.Key) -> None:
        for key in event.aliases:
            for binding in self._bindings.key_to_bindings.get(key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return


# A paste is cleaned as typed text is (a pasted OSC 52 made the editor send it on to the
# terminal).


class TextInput(KeysInOrder, Input):
    def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_line(event.text)  # Input's own handler, called next, inserts it

    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)


class TextEditor(KeysInOrder, TextArea):
    """A multi-line field (TextArea) that takes its keys in order."""

    async def _on_paste(self, event: events.Paste) -> None:
        """Insert the cleaned paste where the cursor is. Not Textual's handler: it also takes
        the focus back, so "paste, Tab" in one burst returned the cursor to the field left
        (the Tab was done before the paste was) and the next words went there."""
        event.prevent_default()
        event.stop()
        if self.read_only:
            return
        if result := self._replace_via_keyboard(clean_text(event.text), *self.selection):
            self.move_cursor(result.end_location)
