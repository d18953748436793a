"""The home screen: upcoming meetings and the open cases, searchable as you type."""

from __future__ import annotations

from datetime import date
from typing import cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static
from textual.worker import get_current_worker

from rehabteam.i18n import t
from rehabteam.models.enums import OPEN_CASE_STATUSES
from rehabteam.models.read import CaseRead, MeetingRead
from rehabteam.screens.context import AppContext
from rehabteam.screens.messages import DatabaseFailed, DatabaseReady
from rehabteam.widgets.safe import safe_cell

CASE_PAGE = 200  # rows shown at once; the search narrows the rest in SQL


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", t("binding.search"), id="home.search"),
        Binding("m", "focus_meetings", t("binding.meetings"), id="home.meetings"),
        Binding("c", "focus_cases", t("binding.cases"), id="home.cases"),
        Binding("n", "new_citizen", t("binding.new_citizen"), id="home.new_citizen"),
        Binding("r", "refresh", t("binding.refresh"), id="home.refresh"),
    ]

    @property
    def ctx(self) -> AppContext:
        return cast(AppContext, self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="demo-banner", markup=False)
        with Vertical(id="meetings-pane"):
            yield Label(t("home.meetings"), classes="section-title")
            yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
        with Vertical(id="cases-pane"):
            yield Label(t("home.cases"), classes="section-title")
            yield Input(placeholder=t("home.search_placeholder"), id="search")
            yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
            yield Static(t("home.loading"), id="cases-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        meetings = self.query_one("#meetings", DataTable)
        for key in ("date", "time", "team", "place", "cases", "status"):
            meetings.add_column(t(f"home.col.{key}"), key=key)
        cases = self.query_one("#cases", DataTable)
        for key in (
            "case_number",
            "citizen",
            "cpr",
            "case_type",
            "status",
            "days",
            "sagsbehandler",
        ):
            cases.add_column(t(f"home.col.{key}"), key=key)
        self.query_one("#demo-banner", Static).display = False
        # Focus the list, so the one-letter keys in the footer work at once; "/" searches.
        cases.focus()
        if self.ctx.engine is not None:
            self.refresh_data()

    # --- data --------------------------------------------------------------------------

    def on_database_ready(self, message: DatabaseReady) -> None:
        banner = self.query_one("#demo-banner", Static)
        banner.update(t("app.demo_banner"))
        banner.display = message.demo
        self.refresh_data()

    def on_database_failed(self, message: DatabaseFailed) -> None:
        self.query_one("#cases-status", Static).update(t("home.db_failed", message=message.message))

    def refresh_data(self) -> None:
        self.load_meetings()
        self.load_cases(self.query_one("#search", Input).value)

    @work(thread=True, exclusive=True, group="home-meetings", exit_on_error=False)
    def load_meetings(self) -> None:
        from rehabteam.db import session_scope
        from rehabteam.services.meetings import list_meetings

        engine = self.ctx.engine
        if engine is None:
            return
        with session_scope(engine) as session:
            found = list_meetings(session=session, from_date=date.today(), limit=50)
        self.app.call_from_thread(self._show_meetings, found)

    def _show_meetings(self, meetings: list[MeetingRead]) -> None:
        table = self.query_one("#meetings", DataTable)
        table.clear()
        today = date.today()
        for m in meetings:
            day = m.date.strftime("%d.%m.%Y")
            if m.date == today:
                day = f"{day} ({t('home.today')})"
            table.add_row(
                safe_cell(day),
                safe_cell(f"{m.start:%H:%M}-{m.end:%H:%M}"),
                safe_cell(m.team),
                safe_cell(m.place or m.video_link),
                safe_cell(f"{m.case_count}/{m.capacity}"),
                safe_cell(t(f"MeetingStatus.{m.status}")),
                key=str(m.id),
            )
        if not meetings:
            table.add_row(safe_cell(t("home.no_meetings")), *[safe_cell("")] * 5)

    @work(thread=True, exclusive=True, group="home-cases", exit_on_error=False)
    def load_cases(self, search: str) -> None:
        from rehabteam.db import session_scope
        from rehabteam.services.cases import count_cases, list_cases

        engine = self.ctx.engine
        if engine is None:
            return
        statuses = list(OPEN_CASE_STATUSES)
        with session_scope(engine) as session:
            rows = list_cases(session=session, search=search, statuses=statuses, limit=CASE_PAGE)
            total = count_cases(session=session, search=search, statuses=statuses)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_cases, rows, total)

    def _show_cases(self, cases: list[CaseRead], total: int) -> None:
        table = self.query_one("#cases", DataTable)
        table.clear()
        today = date.today()
        for c in cases:
            table.add_row(
                safe_cell(c.case_number),
                safe_cell(c.citizen_name),
                safe_cell(c.cpr_masked),
                safe_cell(t(f"CaseType.{c.case_type}")),
                safe_cell(t(f"CaseStatus.{c.status}")),
                safe_cell(c.days_since_referral(today)),
                safe_cell(c.sagsbehandler or ""),
                key=str(c.id),
            )
        status = self.query_one("#cases-status", Static)
        status.update(
            t("home.cases_count", shown=len(cases), total=total) if total else t("home.no_cases")
        )

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.action_focus_cases()

    def key_escape(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.action_focus_cases()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.load_cases(event.value)

    # --- actions -------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_meetings(self) -> None:
        self.query_one("#meetings", DataTable).focus()

    def action_focus_cases(self) -> None:
        self.query_one("#cases", DataTable).focus()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_new_citizen(self) -> None:
        from rehabteam.models.inputs import CitizenCreate
        from rehabteam.screens.dialogs.new_citizen import NewCitizenDialog

        def created(data: CitizenCreate | None) -> None:
            if data is not None:
                self.create_citizen(data)

        self.app.push_screen(NewCitizenDialog(), created)

    @work(thread=True, exclusive=True, group="home-write", exit_on_error=False)
    def create_citizen(self, data: object) -> None:
        from rehabteam.db import session_scope
        from rehabteam.models.inputs import CitizenCreate
        from rehabteam.services.citizens import create_citizen

        engine = self.ctx.engine
        if engine is None or not isinstance(data, CitizenCreate):
            return
        with session_scope(engine, write=True) as session:
            citizen = create_citizen(session=session, data=data)
        self.app.call_from_thread(
            self.notify, t("citizen.created", name=citizen.name, cpr=citizen.cpr_masked)
        )

    def palette_commands(self) -> list[object]:
        from textual.app import SystemCommand

        return [
            SystemCommand(t("command.search"), t("command.search"), self.action_focus_search),
            SystemCommand(
                t("command.new_citizen"), t("command.new_citizen"), self.action_new_citizen
            ),
            SystemCommand(t("command.refresh"), t("command.refresh"), self.action_refresh),
        ]
