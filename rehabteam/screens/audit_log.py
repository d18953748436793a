"""The administrator's view of the audit trail: whether the chain is intact, and the newest
entries (who, when, what, which record; never names, CPR numbers or content)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from rehabteam.i18n import t
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.safe import safe_cell

SHOWN = 500


class AuditLogScreen(ServiceScreen):
    CSS_PATH = "audit_log.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="audit.back"),
        Binding("r", "refresh", t("binding.refresh"), id="audit.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(t("auditlog.title"), classes="section-title", markup=False)
        yield Static(t("home.loading"), id="chain", markup=False)
        yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#entries", DataTable)
        for key in ("id", "time", "actor", "action", "entity", "entity_id", "case", "detail"):
            table.add_column(t(f"auditlog.col.{key}"), key=key)
        table.focus()
        self.load()

    def load(self) -> None:
        from rehabteam.services import audit
        from rehabteam.services.access import require_administrator
        from rehabteam.services.staff import list_staff

        def fetch(
            session: Session, viewer: Viewer
        ) -> tuple[str, bool, list[dict[str, Any]], dict[int, str]]:
            require_administrator(session, viewer)
            intact, message, _n = audit.verify(session=session)
            names = {s.id: f"{s.name} ({s.initials})" for s in list_staff(session=session)}
            return message, intact, audit.entries(session=session, limit=SHOWN), names

        def refused(exc: Exception) -> None:
            self.query_one("#chain", Static).update(str(exc))

        self.call_service(fetch, self._show, group="audit-load", on_error=refused)

    def _show(self, loaded: tuple[str, bool, list[dict[str, Any]], dict[int, str]]) -> None:
        message, intact, rows, names = loaded
        chain = self.query_one("#chain", Static)
        chain.update(message)
        chain.set_class(not intact, "broken")
        table = self.query_one("#entries", DataTable)
        table.clear()
        for row in reversed(rows):
            actor = row["actor_id"]
            table.add_row(
                safe_cell(row["id"]),
                safe_cell(str(row["occurred_at"])[:19].replace("T", " ")),
                safe_cell(names.get(actor, "-") if isinstance(actor, int) else "-"),
                safe_cell(t(f"auditlog.action.{row['action']}")),
                safe_cell(row["entity"]),
                safe_cell(row["entity_id"] or ""),
                safe_cell(row["case_id"] or ""),
                safe_cell(row["detail"]),
            )

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
