"""Statistics as CSV (one row per cell: table, group, measure, value) and as plain text."""

from __future__ import annotations

import csv
import io

from rehabteam.models.read import StatsRead
from rehabteam.textsafe import clean_line

# A cell starting with one of these is a formula to Excel and LibreOffice (a rule set named
# "=HYPERLINK(...)" in a municipality's rules file would run as one): it gets a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """A CSV cell: text cleaned as on screen, never read as a formula; numbers as they are."""
    if not isinstance(value, str):
        return value
    text = clean_line(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


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
                cell = "" if value is None else value
                writer.writerow([csv_text(table.title), csv_text(group), csv_text(column), cell])
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
