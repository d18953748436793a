"""Statistics as CSV (one row per cell: table, group, measure, value) and as plain text."""

from __future__ import annotations

import csv
import io

from rehabteam.models.read import StatsRead


def stats_csv(stats: StatsRead) -> str:
    """Long format, so a spreadsheet can pivot it: every value with its table and labels.
    Suppressed counts stay "<5"; missing values are empty."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["tabel", "gruppe", "maal", "vaerdi"])
    for table in stats.tables:
        for row in table.rows:
            group = row[0] if table.grouped else ""
            cells = row[1:] if table.grouped else row
            columns = table.columns[1:] if table.grouped else table.columns
            for column, value in zip(columns, cells, strict=True):
                writer.writerow([table.title, group, column, "" if value is None else value])
    return out.getvalue()


def cell_text(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def stats_text(stats: StatsRead) -> list[tuple[str, list[list[str]]]]:
    """Each table as a title and rows of text (header first), for the terminal."""
    return [
        (table.title, [table.columns, *([cell_text(v) for v in row] for row in table.rows)])
        for table in stats.tables
    ]
