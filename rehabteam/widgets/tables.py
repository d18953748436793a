"""Refilling a table without losing the user's place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.widgets import DataTable


def selected_key(table: DataTable[Any]) -> str | None:
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return str(key) if key is not None else None


def refill(table: DataTable[Any], rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
    """Replace the rows; the row under the cursor (by its key, not its position) stays
    under it, so the next key acts on the same person or case as before."""
    keep, index = selected_key(table), table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if not table.row_count:
        return
    if keep is not None and keep in {str(k.value) for k in table.rows}:
        table.move_cursor(row=table.get_row_index(keep), animate=False)
    else:
        table.move_cursor(row=min(index, table.row_count - 1), animate=False)
