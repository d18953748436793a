"""Logging to a private file, with every CPR-shaped number redacted.

Nothing may write to the terminal while the app runs, so there is no stderr handler.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from rehabteam.settings import ensure_private_dir, log_dir

# Six digits (a date), optional dash or space, four digits; not inside a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})[- ]?\d{4}(?!\d)")


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub("xxxxxx-xxxx", text)


class CprRedactingFilter(logging.Filter):
    """Replaces CPR-shaped numbers in the message, its arguments and any traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_cpr(record.getMessage())
        record.args = None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_cpr(formatted)
            record.exc_info = None
        return True


class _PrivateFileHandler(RotatingFileHandler):
    def _open(self):  # type: ignore[no-untyped-def]
        path = Path(self.baseFilename)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        """A log that cannot be written (a full disk) is not the user's problem: no
        "--- Logging error ---" traceback on stderr (it repeats the message's arguments,
        unredacted, and would draw over the app's screen). The command's own outcome says
        what happened."""


def configure_logging(level: int = logging.INFO) -> Path:
    """Log to `<log dir>/rehabteam.log` (0600). Returns the file's path."""
    folder = ensure_private_dir(log_dir())
    path = folder / "rehabteam.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _PrivateFileHandler):
            root.removeHandler(handler)
    handler = _PrivateFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.addFilter(CprRedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    sys.unraisablehook = _unraisable_to_log
    return path


def _unraisable_to_log(unraisable: Any) -> None:
    """An error Python can only report (a zip file closed after a full disk broke its
    write, in ZipFile.__del__) goes to the log, redacted, not as a traceback on the user's
    terminal after the command's own clear message."""
    logging.getLogger("rehabteam").warning(
        "ignored during clean-up: %s",
        redact_cpr(f"{type(unraisable.exc_value).__name__}: {unraisable.exc_value}"),
    )
