"""Where an export may be written: a safe file name, inside the chosen folder, never over an
existing file without the caller's consent, and never half-written."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from rehabteam.errors import ExportExists, InvalidInput
from rehabteam.i18n import t
from rehabteam.logsetup import CPR_PATTERN

# Characters Windows, macOS or Linux reject in a file name, plus controls.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """A file name any file system accepts, with CPR-shaped numbers removed.

    Danish letters are kept (æøå are valid everywhere that matters); separators and characters
    that some system rejects become "_".
    """
    text = unicodedata.normalize("NFC", name)
    text = CPR_PATTERN.sub("", text)
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[: max_length - len(suffix) - 1] if suffix else stem[:max_length]
    result = f"{stem}.{suffix}" if suffix else stem
    return result or "eksport"


def resolve_inside(folder: Path, name: str) -> Path:
    """`folder / safe_filename(name)`, refusing anything that would land outside `folder`."""
    if CPR_PATTERN.search(unicodedata.normalize("NFC", name)):
        # Removed silently, "150269-3037.docx" was written as a file called "docx".
        raise InvalidInput(t("export.cpr_in_name"))
    base = folder.resolve()
    target = (base / safe_filename(name)).resolve()
    if target.parent != base:
        raise InvalidInput(t("export.outside_folder"))
    return target


def file_problem(exc: OSError, folder: Path) -> InvalidInput:
    """What a failed file write means to the user, and what to do (every export, the
    command line's last resort too)."""
    where = str(folder)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InvalidInput(t("export.disk_full", folder=where))
    if exc.errno == errno.EROFS:
        return InvalidInput(t("export.readonly_fs", folder=where))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InvalidInput(t("export.readonly", folder=where))
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return InvalidInput(t("export.no_folder", folder=where))
    return InvalidInput(
        t("export.os_error", folder=where, error=exc.strerror or type(exc).__name__)
    )


def write_atomically(target: Path, write: Callable[[Path], object], *, overwrite: bool) -> Path:
    """Let `write` fill a temporary file beside `target`, then move it into place.

    A full disk or a crash leaves no half-written document behind; an existing file is only
    replaced when `overwrite` is true. The file is owner-only (0600).
    """
    if target.is_dir():
        raise InvalidInput(t("export.is_folder", name=target.name))
    if target.exists() and not overwrite:
        raise ExportExists(t("export.exists", name=target.name, folder=target.parent))
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=".rehabteam-", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise file_problem(exc, target.parent) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise file_problem(exc, target.parent) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
