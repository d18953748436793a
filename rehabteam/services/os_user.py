"""The operating-system login of this process, from the real user id (never $USER, $LOGNAME
or $USERNAME, which anyone can set). Kept apart so the first look can use it without the
database layer."""

from __future__ import annotations

import os


def os_login() -> str:
    """The name of the process's real user; a user id with no name (a container's arbitrary
    uid, an unreachable directory service) is "uid:N", which no staff member's login is."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the account the process runs as, from the system
        try:
            return os.getlogin()
        except OSError:
            return ""
    try:
        import pwd

        return pwd.getpwuid(getuid()).pw_name
    except KeyError:
        return f"uid:{getuid()}"
