"""Today and now, from one place, so a test (and a snapshot) can fix them."""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, time, timedelta

_today: date | None = None  # a fixed day (tests); None: the real one
_at: time | None = None  # and, if given, a fixed time of day (UTC)


def today() -> date:
    return _today or date.today()


def now() -> datetime:
    """Aware UTC; on a fixed day, that day at the current (or the fixed) time of day."""
    real = datetime.now(UTC)
    if _today is None:
        return real
    if _at is not None:
        return datetime.combine(_today, _at, tzinfo=UTC)
    return real + timedelta(days=(_today - real.date()).days)


def monotonic() -> float:
    return 0.0 if _today is not None else _time.monotonic()


def fix(day: date | None, at: time | None = None) -> None:
    """Make `day` today, at `at` if given (None: back to the real day and time)."""
    global _today, _at
    _today, _at = day, at
