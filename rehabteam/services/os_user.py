"""The operating-system login of this process, from the real user id (not $USER or $LOGNAME,
which anyone can set). Kept apart so the first look can use it without the database layer."""

from __future__ import annotations

import contextlib
import os


def os_login() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # Windows, or a uid without a name
        import getpass

        with contextlib.suppress(OSError, KeyError):
            return getpass.getuser()
    return ""
