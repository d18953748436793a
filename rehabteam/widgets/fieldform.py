"""A form of named fields that are saved field by field (services.fields).

The form knows, for each field, the value it was loaded with or last saved (its *base*), so
it can say which fields the user changed and what they started from. It shows, beside a
field, the other text when a save was refused because someone else changed that field, or
when someone else saved it while the user is typing in it. It never touches the database:
it posts `Left` when focus leaves one of its fields, and the screen decides what to save.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel
from textual import on
from textual.events import DescendantBlur
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from rehabteam.i18n import t
from rehabteam.models.read import FieldConflict, FieldStamp
from rehabteam.textsafe import clean_line, clean_text
from rehabteam.widgets.dates import date_text
from rehabteam.widgets.inputs import TextEditor, TextInput

Editor = TextArea | Input | Select[Any]
# A field set by the program (loaded, someone else's text) is not the user typing.
QUIET = (Select.Changed, TextArea.Changed, Input.Changed)


def editor(text: str, *, read_only: bool = False, classes: str = "") -> TextArea:
    area = TextEditor(
        clean_text(text),
        soft_wrap=True,
        tab_behavior="focus",
        read_only=read_only,
        classes=f"editor {classes}".strip(),
    )
    area.move_cursor(area.document.end)
    return area


class DateInput(TextInput):
    """A date typed as DD.MM.YYYY."""

    value_kind = "date"


class NumberInput(TextInput):
    """A whole number (or nothing)."""

    value_kind = "int"


def note() -> Static:
    """Where the other version of a field is shown (hidden while there is none)."""
    widget = Static("", classes="field-note", markup=False)
    widget.display = False
    return widget


class FieldForm(Widget):
    """Subclasses compose their editors and register each with `field(name, editor)`."""

    DEFAULT_CSS = """
    FieldForm { height: auto; }
    FieldForm .field-note { color: $warning; background: $warning 10%; padding: 0 1; }
    FieldForm .field-error { color: $error; }
    """

    class Left(Message):
        """Focus left one of the form's fields (or a choice changed): time to save it."""

        def __init__(self, form: FieldForm) -> None:
            super().__init__()
            self.form = form

    def __init__(
        self, section: str, *, read_only: bool = False, classes: str = "", error_id: str = ""
    ) -> None:
        super().__init__(classes=classes)
        self.section = section  # the screen's name for this form
        self.read_only = read_only
        self._editors: dict[str, Editor] = {}
        self._notes: dict[str, Static] = {}
        self._theirs: dict[str, Any] = {}
        self._whose: dict[str, tuple[str, str]] = {}  # the other text's author and time
        self._base: dict[str, Any] = {}
        # Fields whose save was refused (someone else changed them): they wait for the user's
        # choice, Ctrl+S (save mine) or Ctrl+T (take theirs), and are never saved by leaving.
        self._held: set[str] = set()
        self.error = Static("", classes="field-error", markup=False, id=error_id or None)

    # --- what subclasses provide ---------------------------------------------------------

    def typed(self) -> BaseModel:
        """The values as the input model (raises ValueError/ValidationError if invalid)."""
        raise NotImplementedError

    def label_of(self, name: str) -> str:
        return name

    # --- fields --------------------------------------------------------------------------

    def field(self, name: str, widget: Editor, widget_id: str | None = None) -> Editor:
        """Register `widget` as the editor of field `name` (call from compose); `widget_id`
        names it for styles and tests (the screens find fields by form and name)."""
        if widget_id is not None:
            widget.id = widget_id
        self._editors[name] = widget
        self._notes[name] = note()
        self._base[name] = self._normal(widget)  # built with the stored value
        return widget

    def note_of(self, name: str) -> Static:
        return self._notes[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._editors)

    def editor_of(self, name: str) -> Editor:
        return self._editors[name]

    def first_editor(self) -> Editor | None:
        return next(iter(self._editors.values()), None)

    @staticmethod
    def _normal(widget: Editor) -> Any:
        """A field's value as stored: text cleaned as the services clean it; a date, a
        number or a choice as its value (what cannot be read stays the text typed, so it is
        "changed" and the save names the problem)."""
        if isinstance(widget, TextArea):
            return clean_text(widget.text)
        if isinstance(widget, Select):
            value = widget.value
            return None if value is Select.NULL else value
        kind = getattr(widget, "value_kind", "line")
        text = clean_line(widget.value)
        if kind == "date":
            from rehabteam.models.inputs import parse_user_date

            try:
                return parse_user_date(text, field="field.date", allow_future=True)
            except ValueError:
                return text
        if kind == "int":
            return int(text) if text.isdigit() else (text or None)
        return text

    @staticmethod
    def _show(widget: Editor, value: Any) -> None:
        if isinstance(widget, TextArea):
            widget.load_text(clean_text(str(value or "")))
            widget.move_cursor(widget.document.end)
        elif isinstance(widget, Select):
            try:
                widget.value = Select.NULL if value is None else value
            except InvalidSelectValueError:  # no longer a choice (e.g. a type not allowed)
                widget.value = Select.NULL
        elif isinstance(value, date):
            widget.value = date_text(value)
        else:
            widget.value = "" if value is None else clean_line(str(value))

    def values(self) -> dict[str, Any]:
        return {name: self._normal(w) for name, w in self._editors.items()}

    def changed(self, *, held: bool = True, typing: bool = True) -> dict[str, Any]:
        """The fields the user changed, with the value each started from (a save's base);
        without the fields waiting for the user's choice unless `held`, and without the text
        field the cursor is in unless `typing` (a save on leaving one field must not save the
        next one while the user is still writing in it: keys typed right after Tab are there
        already when the save is made)."""
        now = self.values()
        skip = set() if typing else {self.typing_in()}
        return {
            name: self._base.get(name)
            for name in self.names
            if now[name] != self._base.get(name)
            and (held or name not in self._held)
            and name not in skip
        }

    def typing_in(self) -> str | None:
        """The text field of this form the cursor is in (a choice is not: it is complete).
        Asked of the screen, which moves focus at once, not of the fields, which learn it
        from a Focus event that may still be queued."""
        focused = self.screen.focused if self.is_attached else None
        return next(
            (
                name
                for name, w in self._editors.items()
                if w is focused and not isinstance(w, Select)
            ),
            None,
        )

    @property
    def waiting(self) -> tuple[str, ...]:
        """The fields refused and not yet decided (Ctrl+S or Ctrl+T)."""
        return tuple(name for name in self.names if name in self._held)

    def clashes(self) -> list[tuple[str, str, str]]:
        """(field, by, HH:MM) for each refused field: saving replaces that person's text."""
        return [(n, *self._whose.get(n, ("-", "-"))) for n in self.waiting]

    @property
    def dirty(self) -> bool:
        return bool(self.changed())

    # --- loading, saving, others' changes ------------------------------------------------

    def load(self, values: Mapping[str, Any]) -> None:
        """Show `values` (the stored record) and take them as the base."""
        for name, widget in self._editors.items():
            if name in values:
                with widget.prevent(*QUIET):
                    self._show(widget, values[name])
                self._base[name] = self._normal(widget)
        self._held.clear()
        self._clear_notes()

    def fill(self, values: Mapping[str, Any]) -> None:
        """Type `values` into their fields as the user would (they are then unsaved)."""
        for name, value in values.items():
            widget = self._editors.get(name)
            if widget is not None:
                with widget.prevent(*QUIET):
                    self._show(widget, value)

    def saved(self, sent: Mapping[str, Any], conflicts: tuple[FieldConflict, ...]) -> None:
        """A save landed: each field sent and not refused is stored as sent (the user may have
        typed on since: that stays, and is saved next); a refused one shows the other text,
        and the stored text becomes the base, so saving again replaces it deliberately."""
        refused = {c.field: c for c in conflicts}
        for name, value in sent.items():
            if name in refused:
                continue
            self._base[name] = value
            self._held.discard(name)
            self._hide_note(name)
        for name, conflict in refused.items():
            if name in self._editors:
                self._held.add(name)
                self._base[name] = conflict.theirs
                self._note(name, conflict.theirs, conflict.by, conflict.at, refused=True)

    def remote(self, values: Mapping[str, Any], stamps: Mapping[str, FieldStamp]) -> None:
        """Someone else saved: an untouched field shows their text at once; a field the user
        is editing keeps the user's text and shows theirs beside it (base unchanged, so
        the next save is refused for that field and shown as a choice)."""
        now = self.values()
        for name, widget in self._editors.items():
            if name not in values or values[name] == self._base.get(name):
                continue
            stamp = stamps.get(name)
            if now[name] == self._base.get(name):
                with widget.prevent(*QUIET):
                    self._show(widget, values[name])
                self._base[name] = self._normal(widget)
                self._hide_note(name)
            elif now[name] != values[name]:
                self._note(
                    name, values[name], stamp.by if stamp else "", stamp.at if stamp else None
                )

    def take_theirs(self) -> bool:
        """Replace the focused field's text with the other version shown beside it."""
        focused = self.screen.focused if self.is_attached else None
        for name, widget in self._editors.items():
            if widget is focused and name in self._theirs:
                value = self._theirs[name]
                with widget.prevent(*QUIET):
                    self._show(widget, value)
                self._base[name] = self._normal(widget)
                self._held.discard(name)
                self._hide_note(name)
                return True
        return False

    def show_not_saved(self, values: Mapping[str, Any]) -> None:
        """Beside each field (locked now), the text typed in it that could not be saved."""
        for name, value in values.items():
            if name in self._notes:
                self._notes[name].update(
                    t("edit.not_saved_locked", text=clean_text(str(value or "")) or "-")
                )
                self._notes[name].display = True

    def first_other(self) -> Editor | None:
        """The first field showing another person's version beside it, if any."""
        return next((w for n, w in self._editors.items() if n in self._theirs), None)

    def _note(self, name: str, theirs: Any, by: str, at: Any, *, refused: bool = False) -> None:
        self._theirs[name] = theirs
        when = at.astimezone().strftime("%H:%M") if at is not None else "-"
        self._whose[name] = (by or "-", when)
        text = t(
            "edit.refused_field" if refused else "edit.changed_field",
            by=by or "-",
            at=when,
            text=clean_text(str(theirs if theirs is not None else "")) or "-",
        )
        self._notes[name].update(text)
        self._notes[name].display = True

    def _hide_note(self, name: str) -> None:
        self._theirs.pop(name, None)
        self._whose.pop(name, None)
        self._notes[name].update("")
        self._notes[name].display = False

    def _clear_notes(self) -> None:
        for name in self._editors:
            self._hide_note(name)

    # --- events --------------------------------------------------------------------------

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if event.widget in self._editors.values():
            self.post_message(self.Left(self))

    @on(Select.Changed)
    def _choice(self, event: Select.Changed) -> None:
        if event.select in self._editors.values():
            self.post_message(self.Left(self))
