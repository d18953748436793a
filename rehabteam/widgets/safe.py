"""Showing stored text safely: never as markup, never with control characters."""

from __future__ import annotations

from rich.text import Text

from rehabteam.textsafe import clean_line, clean_text


def safe_cell(value: object) -> Text:
    """A DataTable cell. Plain `str` cells are parsed as markup by DataTable, so user text
    (a name like "[@click=app.quit]") is always wrapped in a `Text`."""
    return Text(clean_line("" if value is None else str(value)), no_wrap=True)


def safe_block(value: str | None) -> Text:
    """Multi-line stored text for a Static."""
    return Text(clean_text(value))
