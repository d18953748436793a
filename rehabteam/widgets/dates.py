"""Dates as the screens show them: DD.MM.YYYY, and what stands for no date."""

from __future__ import annotations

from datetime import date


def date_text(value: date | None, empty: str = "") -> str:
    """`23.11.2026`; `empty` for no date (blank in an input field, a dash in a table)."""
    return f"{value:%d.%m.%Y}" if value else empty
