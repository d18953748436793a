"""What screens need from the app, as a protocol, so screens never import the App class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from rehabteam.rules import RuleBook
from rehabteam.settings import Settings


class AppContext(Protocol):
    settings: Settings

    @property
    def rulebook(self) -> RuleBook: ...

    @property
    def engine(self) -> Engine | None: ...

    @property
    def actor_id(self) -> int | None:
        """The staff member working (from REHABTEAM_USER), if known."""
        ...
