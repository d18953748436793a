"""The team's meetings, calendar-like: earlier, today and upcoming, each with its number of
cases and open warnings. `n` plans a new meeting, `Enter` opens its agenda."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.inputs import MeetingCreate
from rehabteam.models.read import MeetingRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.safe import safe_cell
from rehabteam.widgets.tables import refill


def when_label(day: date, today: date) -> str:
    if day == today:
        return t("meetings.today")
    return t("meetings.past") if day < today else t("meetings.upcoming")


class MeetingsScreen(ServiceScreen):
    LIVE = True
    CSS_PATH = "meetings.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="meetings.back"),
        Binding("n", "plan", t("binding.plan_meeting"), id="meetings.plan"),
        Binding("r", "refresh", t("binding.refresh"), id="meetings.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(t("meetings.title"), classes="section-title", markup=False)
        yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
        yield Static("", id="meetings-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#meetings", DataTable)
        for key in ("when", "date", "time", "team", "place", "cases", "status", "warnings"):
            table.add_column(t(f"meetings.col.{key}"), key=key)
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        from rehabteam.services.agenda import meetings_overview

        rulebook = self.ctx.rulebook
        workdays = self.ctx.settings.material_deadline_workdays
        self.call_service(
            lambda s, v: meetings_overview(
                session=s, rulebook=rulebook, deadline_workdays=workdays, viewer=v
            ),
            self._show,
            group="meetings-load",
        )

    def _show(self, rows: list[tuple[MeetingRead, int]]) -> None:
        table = self.query_one("#meetings", DataTable)
        today = clock.today()
        first_time = table.row_count == 0
        refill(
            table,
            (
                (
                    str(m.id),
                    [
                        safe_cell(when_label(m.date, today)),
                        safe_cell(f"{t(f'weekday.{m.date.weekday()}')} {m.date:%d.%m.%Y}"),
                        safe_cell(f"{m.start:%H:%M}-{m.end:%H:%M}"),
                        safe_cell(m.team),
                        safe_cell(m.place or m.video_link),
                        safe_cell(f"{m.case_count}/{m.capacity}"),
                        safe_cell(t(f"MeetingStatus.{m.status}")),
                        safe_cell(t("meetings.warnings", n=warnings) if warnings else "-"),
                    ],
                )
                for m, warnings in rows
            ),
        )
        if first_time and rows:  # opened: the cursor on the first meeting not yet held
            upcoming = next((n for n, (m, _) in enumerate(rows) if m.date >= today), len(rows) - 1)
            table.move_cursor(row=upcoming, animate=False)
        status = t("meetings.count", n=len(rows)) if rows else t("meetings.none")
        self.query_one("#meetings-status", Static).update(status)

    @on(DataTable.RowSelected, "#meetings")
    def _open(self, event: DataTable.RowSelected) -> None:
        from rehabteam.screens.agenda import AgendaScreen

        if event.row_key.value:
            self.app.push_screen(AgendaScreen(int(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self.load()

    def action_plan(self) -> None:
        start_plan_meeting(self)


def start_plan_meeting(screen: ServiceScreen) -> None:
    """Ask for a new meeting, create it, and open its agenda."""
    from rehabteam.screens.agenda import AgendaScreen
    from rehabteam.screens.dialogs.plan_meeting import PlanMeetingDialog
    from rehabteam.services.agenda import plan_meeting

    def created(meeting: MeetingRead | None) -> None:
        if meeting is None:
            return
        screen.notify(
            t("meeting.created", date=f"{meeting.date:%d.%m.%Y}", start=f"{meeting.start:%H:%M}")
        )
        screen.app.push_screen(AgendaScreen(meeting.id))

    def submit(session: Session, viewer: Viewer, data: MeetingCreate) -> MeetingRead:
        return plan_meeting(session=session, data=data, viewer=viewer)

    screen.app.push_screen(PlanMeetingDialog(submit), created)
