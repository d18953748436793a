"""The home screen: upcoming meetings and the open cases, searchable as you type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from rehabteam.models.read import CaseRead, MeetingRead
    from rehabteam.services.first_look import QuickMeeting
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.enums import OPEN_CASE_STATUSES
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.screens.messages import DatabaseFailed, DatabaseReady, FirstLookRead
from rehabteam.services.first_look import HOME_PAGE
from rehabteam.widgets.case_rows import CaseRow, case_cells
from rehabteam.widgets.inputs import TextInput
from rehabteam.widgets.safe import safe_cell
from rehabteam.widgets.tables import refill

CASE_PAGE = HOME_PAGE  # rows shown at once; the search narrows the rest in SQL


class HomeScreen(ServiceScreen):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", t("binding.search"), id="home.search"),
        Binding("m", "meetings", t("binding.meetings"), id="home.meetings"),
        Binding("c", "focus_cases", t("binding.cases"), id="home.cases"),
        Binding("n", "new_citizen", t("binding.new_citizen"), id="home.new_citizen"),
        Binding("b", "citizens", t("binding.citizens"), id="home.citizens"),
        Binding("s", "my_cases", t("binding.my_cases"), id="home.my_cases"),
        Binding("o", "follow_up", t("binding.follow_up"), id="home.follow_up"),
        Binding("t", "statistics", t("binding.statistics"), id="home.statistics"),
        Binding("r", "refresh", t("binding.refresh"), id="home.refresh"),
        Binding("a", "audit_log", t("binding.audit_log"), id="home.audit_log", show=False),
        Binding("p", "plan_meeting", t("binding.plan_meeting"), id="home.plan", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._from_services = False  # the services' rows are shown: the first look is stale
        self._unidentified = ""  # why nobody is identified yet (then nothing is listed)
        self._failed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="demo-banner", markup=False)
        with Vertical(id="meetings-pane"):
            yield Label(t("home.meetings"), classes="section-title", markup=False)
            yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
        with Vertical(id="cases-pane"):
            yield Label(t("home.cases"), classes="section-title", markup=False)
            yield TextInput(placeholder=t("home.search_placeholder"), id="search")
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

    def on_first_look_read(self, message: FirstLookRead) -> None:
        if self._from_services or self._failed or self.ctx.engine is not None:
            message.drawn.set()
            return  # the services' rows (or a failure) came first
        found = message.look
        self._show_banner(found.demo)
        self._show_meetings(found.meetings)
        self._show_cases(found.cases, found.total_cases)
        self.call_after_refresh(message.drawn.set)

    # --- data --------------------------------------------------------------------------

    def _show_banner(self, demo: bool) -> None:
        banner = self.query_one("#demo-banner", Static)
        banner.update(t("app.demo_banner"))
        banner.display = demo

    def on_database_ready(self, message: DatabaseReady) -> None:
        self._failed = False
        self._unidentified = message.unidentified
        self._show_banner(message.demo)
        self.refresh_data()

    def on_database_failed(self, message: DatabaseFailed) -> None:
        # Nothing read before stays on screen (the first look may have shown a damaged file).
        self._failed = True
        self.query_one("#meetings", DataTable).clear()
        self.query_one("#cases", DataTable).clear()
        self.query_one("#cases-status", Static).update(t("home.db_failed", message=message.message))

    def refresh_data(self) -> None:
        self.load_meetings()
        self.load_cases(self.query_one("#search", Input).value)

    def load_meetings(self) -> None:
        from rehabteam.services.meetings import list_meetings

        if self.ctx.viewer is None:
            self.query_one("#meetings", DataTable).clear()
            return
        self.call_service(
            lambda s, v: list_meetings(session=s, from_date=clock.today(), limit=50, viewer=v),
            self._show_meetings,
            group="home-meetings",
        )

    def _show_meetings(self, meetings: Sequence[MeetingRead | QuickMeeting]) -> None:
        today = clock.today()

        def cells(m: MeetingRead | QuickMeeting) -> list[Text]:
            day = m.date.strftime("%d.%m.%Y")
            if m.date == today:
                day = f"{day} ({t('home.today')})"
            return [
                safe_cell(day),
                safe_cell(f"{m.start:%H:%M}-{m.end:%H:%M}"),
                safe_cell(m.team),
                safe_cell(m.place or m.video_link),
                safe_cell(f"{m.case_count}/{m.capacity}"),
                safe_cell(t(f"MeetingStatus.{m.status}")),
            ]

        refill(
            self.query_one("#meetings", DataTable),
            ((str(m.id), cells(m)) for m in meetings),
            empty=[safe_cell(t("home.no_meetings")), *[safe_cell("")] * 5],
        )

    def load_cases(self, search: str) -> None:
        from rehabteam.services.cases import count_cases, list_cases

        if self.ctx.viewer is None:
            # Need-to-know: no list of cases before it is known who is looking at it.
            self.query_one("#cases", DataTable).clear()
            why = self._unidentified or t("access.who")
            self.query_one("#cases-status", Static).update(t("home.not_identified", message=why))
            return
        statuses = list(OPEN_CASE_STATUSES)

        def fetch(session: Session, viewer: Viewer) -> tuple[list[CaseRead], int]:
            rows = list_cases(
                session=session, search=search, statuses=statuses, limit=CASE_PAGE, viewer=viewer
            )
            total = count_cases(session=session, search=search, statuses=statuses, viewer=viewer)
            return rows, total

        self.call_service(fetch, lambda found: self._cases_loaded(*found), group="home-cases")

    def _cases_loaded(self, cases: list[CaseRead], total: int) -> None:
        if self.ctx.engine is None:  # the database was closed meanwhile; its message stays
            return
        self._from_services = True
        self._show_cases(cases, total)

    def _show_cases(self, cases: Sequence[CaseRow], total: int) -> None:
        today = clock.today()
        refill(
            self.query_one("#cases", DataTable),
            ((str(c.id), case_cells(c, today, c.sagsbehandler or "")) for c in cases),
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
        value = event.value
        self.debounce("search", lambda: self.load_cases(value))

    def on_screen_resume(self) -> None:
        if self.ctx.engine is not None:
            self.refresh_data()

    @on(DataTable.RowSelected, "#meetings")
    def _open_meeting(self, event: DataTable.RowSelected) -> None:
        from rehabteam.screens.agenda import AgendaScreen

        if event.row_key.value:
            self.app.push_screen(AgendaScreen(int(event.row_key.value)))

    @on(DataTable.RowSelected, "#cases")
    def _open_case(self, event: DataTable.RowSelected) -> None:
        from rehabteam.screens.preparation import PreparationScreen

        if event.row_key.value:
            self.app.push_screen(PreparationScreen(int(event.row_key.value)))

    # --- actions -------------------------------------------------------------------------

    def action_citizens(self) -> None:
        from rehabteam.screens.citizens import CitizensScreen

        self.app.push_screen(CitizensScreen())

    def action_audit_log(self) -> None:
        from rehabteam.screens.audit_log import AuditLogScreen

        self.app.push_screen(AuditLogScreen())

    def action_my_cases(self) -> None:
        from rehabteam.screens.my_cases import MyCasesScreen

        self.app.push_screen(MyCasesScreen())

    def action_follow_up(self) -> None:
        from rehabteam.screens.follow_up import FollowUpScreen

        self.app.push_screen(FollowUpScreen())

    def action_statistics(self) -> None:
        from rehabteam.screens.statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen())

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))  # at once: before the keys after it

    def action_meetings(self) -> None:
        from rehabteam.screens.meetings import MeetingsScreen

        self.app.push_screen(MeetingsScreen())

    def action_plan_meeting(self) -> None:
        from rehabteam.screens.meetings import start_plan_meeting

        start_plan_meeting(self)

    def action_focus_cases(self) -> None:
        self.set_focus(self.query_one("#cases", DataTable))  # "c Enter" in one burst opens it

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_new_citizen(self) -> None:
        from rehabteam.screens.citizen import start_new_citizen

        start_new_citizen(self)
