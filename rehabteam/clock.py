"""Today and now, from one place, so a test (and a snapshot) can fix them."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

_today: date | None = None  # a fixed day (tests); None: the real one


def today() -> date:
    return _today or date.today()


def now() -> datetime:
    """Aware UTC; on a fixed day, that day at the current time of day."""
    real = datetime.now(UTC)
    if _today is None:
        return real
    return real + timedelta(days=(_today - real.date()).days)


def monotonic() -> float:
    return 0.0 if _today is not None else time.monotonic()


def fix(day: date | None) -> None:
    """Make `day` today (None: back to the real day)."""
    global _today
    _today = day
