"""What screens need from the app, as a protocol, so screens never import the App class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from rehabteam.models.viewer import Viewer
    from rehabteam.rules import RuleBook
from rehabteam.settings import Settings


class AppContext(Protocol):
    settings: Settings

    @property
    def rulebook(self) -> RuleBook: ...

    @property
    def engine(self) -> Engine | None: ...

    @property
    def viewer(self) -> Viewer | None:
        """Who is working, once identified (see services.identity); None until then."""
        ...

    def identity_lost(self, message: str) -> None:
        """The person is no longer who may work here (deactivated): clear every screen."""
        ...
