"""Tables of records that keep the user's place when they are refilled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.widgets import DataTable

from rehabteam.i18n import t
from rehabteam.widgets.safe import safe_cell

R = TypeVar("R")


def selected_key(table: DataTable[Any]) -> str | None:
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return str(key) if key is not None else None


def _widths(
    table: DataTable[Any], labels: Sequence[Any], rows: Sequence[Sequence[Any]]
) -> list[int | None]:
    """Each column's width as DataTable would work it out (its widest cell or heading), or
    None (measured by DataTable) where a cell is not already a Text."""
    from textual.render import measure

    console = table.app.console
    widths: list[int | None] = [measure(console, label, 1) for label in labels]
    for cells in rows:
        for i, cell in enumerate(cells[: len(widths)]):
            width = widths[i]
            if width is None:
                continue
            widths[i] = max(width, measure(console, cell, 1)) if isinstance(cell, Text) else None
    return widths


def refill(
    table: DataTable[Any],
    rows: Iterable[tuple[str, Sequence[Any]]],
    *,
    empty: Sequence[Any] = (),
) -> None:
    """Replace the rows; the row under the cursor (by its key, not its position) stays
    under it, so the next key acts on the same person or case as before. With no rows,
    `empty` (a row without a key, e.g. "nothing awaits a decision") is shown, if given."""
    keep, index = selected_key(table), table.cursor_row
    rows = [(key, list(cells)) for key, cells in rows]
    # Columns too, so their widths follow the rows shown now, not the widest seen before.
    # Their widths are measured here, not left to DataTable's idle-time measuring: a frame
    # drawn between the rows' arrival and that measuring was kept (its line cache is not
    # cleared for the new widths), so under load a list stayed cut to its headings' widths.
    columns = [(column.key.value, column.label) for column in table.ordered_columns]
    shown = [cells for _, cells in rows] or [list(empty)]  # `empty` only when nothing else
    widths = _widths(table, [label for _, label in columns], shown)
    table.clear(columns=True)
    for (column_key, label), width in zip(columns, widths, strict=True):
        table.add_column(label, key=column_key, width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if not table.row_count:
        if empty:
            table.add_row(*empty)
        return
    if keep is not None and keep in {str(k.value) for k in table.rows}:
        table.move_cursor(row=table.get_row_index(keep), animate=False)
    else:
        table.move_cursor(row=min(index, table.row_count - 1), animate=False)


class RecordTable(DataTable[Any], Generic[R]):
    """A table of read models, one row per record keyed by its id, refilled in place.

    Subclasses name their columns (key, message of the heading) and how a record reads as
    cells; user text is shown as plain text, never as markup."""

    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    EMPTY: ClassVar[str] = ""  # message shown as the only row when there are no records

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = True) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
        for key, heading in self.COLUMNS:
            self.add_column(t(heading), key=key)
        self.records: dict[str, R] = {}

    def cells(self, record: R) -> Sequence[object]:
        raise NotImplementedError

    def key(self, record: R) -> str:
        return str(getattr(record, "id"))  # noqa: B009 - every read model shown here has one

    def show(self, records: Iterable[R]) -> None:
        self.records = {self.key(r): r for r in records}
        empty = [safe_cell(t(self.EMPTY)), *[safe_cell("")] * (len(self.COLUMNS) - 1)]
        refill(
            self,
            ((k, [safe_cell(c) for c in self.cells(r)]) for k, r in self.records.items()),
            empty=empty if self.EMPTY else (),
        )

    @property
    def selected(self) -> R | None:
        """The record under the cursor (None on an empty table)."""
        key = selected_key(self)
        return self.records.get(key) if key is not None else None
