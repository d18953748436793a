"""Messages the app sends to its screens."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from rehabteam.services.first_look import FirstLook


class DatabaseReady(Message):
    """The database is open and migrated; screens may load their data once the person
    working is known (the app's viewer). `unidentified`: why nobody is, in the user's
    language (empty when someone is)."""

    def __init__(self, demo: bool, unidentified: str = "") -> None:
        super().__init__()
        self.demo = demo
        self.unidentified = unidentified


class DatabaseFailed(Message):
    """The database could not be opened; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class FirstLookRead(Message):
    """The home screen's first page, read straight from the file while the database opens
    (services.first_look); the services' rows replace it once `DatabaseReady` comes.
    `drawn` is set once it is on screen (or not used): the database waits for that."""

    def __init__(self, look: FirstLook) -> None:
        super().__init__()
        self.look = look
        self.drawn = threading.Event()


class DataChanged(Message):
    """Someone saved something (another workstation, or this one): screens showing stored
    records read them again and show what changed where the user is not typing."""
