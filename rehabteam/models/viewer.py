"""Who is working: resolved once at start from something the person cannot claim (the
PostgreSQL login, or the operating-system login on SQLite) and handed to every service that
reads or changes personal data. There is no "nobody" viewer: a service that needs one
cannot be called without it."""

from __future__ import annotations

from dataclasses import dataclass

from rehabteam.models.enums import StaffRole


@dataclass(frozen=True, slots=True)
class Viewer:
    staff_id: int
    # The login that identified the person (PostgreSQL: session_user; SQLite: the OS login;
    # the demo: the profile chosen). The audit trail records it beside the staff id.
    login: str
    name: str
    initials: str
    roles: frozenset[str] = frozenset()

    def has(self, role: StaffRole) -> bool:
        return role.value in self.roles

    @property
    def label(self) -> str:
        return f"{self.name} ({self.initials})"
