"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message


class DatabaseReady(Message):
    """The database is open and migrated; screens may load their data."""

    def __init__(self, demo: bool) -> None:
        super().__init__()
        self.demo = demo


class DatabaseFailed(Message):
    """The database could not be opened; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
