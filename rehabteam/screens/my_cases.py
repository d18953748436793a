"""'Mine sager': a caseworker's cases with status, days since referral and what each lacks."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Label, Select, Static

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.enums import OPEN_CASE_STATUSES, CaseStatus, StaffRole
from rehabteam.models.read import MyCaseRead, StaffRead
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.case_rows import CASE_COLUMNS, case_cells
from rehabteam.widgets.inputs import TextInput
from rehabteam.widgets.tables import refill

ALL = "__all__"


class MyCasesScreen(ServiceScreen):
    CSS_PATH = "my_cases.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="mycases.back"),
        Binding("slash", "focus_search", t("binding.search"), id="mycases.search"),
        Binding("r", "refresh", t("binding.refresh"), id="mycases.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(t("mycases.title"), classes="section-title", markup=False)
        with Horizontal(id="filters"):
            yield Select[int]([], id="staff", prompt=t("mycases.all_staff"), allow_blank=True)
            yield Select[str](
                [(t("mycases.all_open"), ALL)]
                + [(t(f"CaseStatus.{s.value}"), s.value) for s in CaseStatus],
                id="status",
                value=ALL,
                allow_blank=False,
            )
            yield Checkbox(t("mycases.only_missing"), id="only_missing")
        yield TextInput(placeholder=t("home.search_placeholder"), id="search")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Static("", id="mycases-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#cases", DataTable)
        for key in (*CASE_COLUMNS, "missing"):
            table.add_column(t(f"home.col.{key}"), key=key)
        table.focus()
        from rehabteam.services.staff import list_staff

        self.call_service(
            lambda s, v: list_staff(session=s, role=StaffRole.SAGSBEHANDLER),
            self._staff_loaded,
            group="mycases-staff",
        )

    def on_screen_resume(self) -> None:
        self.load()

    def _staff_loaded(self, staff: list[StaffRead]) -> None:
        select = self.query_one("#staff", Select)
        select.set_options([(f"{s.name} ({s.initials})", s.id) for s in staff])
        me = self.ctx.viewer.staff_id if self.ctx.viewer else None
        if me in {s.id for s in staff}:
            select.value = me
        self.load()

    def load(self) -> None:
        from rehabteam.services.preparation import list_my_cases

        staff = self.query_one("#staff", Select).value
        status = self.query_one("#status", Select).value
        statuses = (
            list(OPEN_CASE_STATUSES)
            if status == ALL or not isinstance(status, str)
            else [CaseStatus(status)]
        )
        only_missing = self.query_one("#only_missing", Checkbox).value
        search = self.query_one("#search", Input).value
        rulebook = self.ctx.rulebook
        self.call_service(
            lambda s, v: list_my_cases(
                session=s,
                rulebook=rulebook,
                sagsbehandler_id=staff if isinstance(staff, int) else None,
                statuses=statuses,
                search=search,
                only_missing=only_missing,
                viewer=v,
            ),
            self._show,
            group="mycases-load",
        )

    def _show(self, rows: list[MyCaseRead]) -> None:
        today = clock.today()

        def missing(row: MyCaseRead) -> str:
            if not row.missing:
                return t("mycases.ready")
            return t("mycases.missing_summary", n=len(row.missing), first=row.missing[0])

        refill(
            self.query_one("#cases", DataTable),
            ((str(r.case.id), case_cells(r.case, today, missing(r))) for r in rows),
        )
        text = t("mycases.count", shown=len(rows)) if rows else t("mycases.none")
        self.query_one("#mycases-status", Static).update(text)

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self.load()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.debounce("search", self.load)

    @on(DataTable.RowSelected, "#cases")
    def _open(self, event: DataTable.RowSelected) -> None:
        from rehabteam.screens.preparation import PreparationScreen

        if event.row_key.value:
            self.app.push_screen(PreparationScreen(int(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_refresh(self) -> None:
        self.load()
