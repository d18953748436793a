"""'Statistik': what came of the team's work in a period, as tables and terminal bar charts.
Groups under five citizens show as "<5" (and get no bar)."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from rehabteam import clock
from rehabteam.errors import UserError
from rehabteam.exports.stats_csv import cell_text
from rehabteam.i18n import t
from rehabteam.models.read import StatsRead, StatTable, TeamRead
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.inputs import TextInput
from rehabteam.widgets.plots import bar_chart
from rehabteam.widgets.safe import safe_cell

ALL_TEAMS = "__all__"


def plots(stats: StatsRead) -> str:
    """Cases by type (totals) and the share of indstillinger followed, as bars."""
    tables = {table.key: table for table in stats.tables}
    by_type = [(str(row[0]), row[-1]) for row in tables["by_type"].rows]
    followed = tables["followed"].rows[0]
    lines = [t("stats.plot.by_type"), bar_chart(by_type)]
    lines += ["", t("stats.plot.followed"), bar_chart([("%", followed[2])], maximum=100)]
    return "\n".join(lines)


class StatisticsScreen(ServiceScreen):
    CSS_PATH = "statistics.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="stats.back"),
        Binding("ctrl+r", "compute", t("binding.compute"), id="stats.compute"),
        Binding("ctrl+s", "save_csv", t("binding.export_csv"), id="stats.csv"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stats: StatsRead | None = None

    def compose(self) -> ComposeResult:
        today = clock.today()
        yield Header()
        yield Label(t("stats.title"), classes="section-title", markup=False)
        with Horizontal(id="period"):
            yield Label(t("field.from"), markup=False)
            yield TextInput(f"{date(today.year, 1, 1):%d.%m.%Y}", id="from", max_length=10)
            yield Label(t("field.to"), markup=False)
            yield TextInput(f"{today:%d.%m.%Y}", id="to", max_length=10)
            yield Select[str](
                [(t("stats.all_teams"), ALL_TEAMS)], id="team", value=ALL_TEAMS, allow_blank=False
            )
            yield Button(t("binding.compute"), id="compute", variant="primary")
        yield Static("", id="stats-status", markup=False)
        yield VerticalScroll(id="results")
        yield Footer()

    def on_mount(self) -> None:
        from rehabteam.services.staff import list_teams

        self.query_one("#from", Input).focus()
        self.call_service(lambda s, v: list_teams(session=s), self._teams, group="stats-teams")

    def _teams(self, teams: list[TeamRead]) -> None:
        select = self.query_one("#team", Select)
        select.set_options(
            [(t("stats.all_teams"), ALL_TEAMS)] + [(x.name, str(x.id)) for x in teams]
        )
        select.value = ALL_TEAMS
        self.action_compute()

    @on(Input.Submitted)
    @on(Button.Pressed, "#compute")
    def action_compute(self) -> None:
        from rehabteam.models.inputs import parse_user_date
        from rehabteam.services.stats import statistics

        status = self.query_one("#stats-status", Static)
        try:
            start = parse_user_date(self.query_one("#from", Input).value, field="field.from")
            end = parse_user_date(
                self.query_one("#to", Input).value, field="field.to", allow_future=True
            )
        except ValueError as exc:
            status.update(str(exc))
            return
        if start is None or end is None:
            status.update(
                t("input.required", field=t("field.from" if start is None else "field.to"))
            )
            return
        team = self.query_one("#team", Select).value
        team_id = int(team) if isinstance(team, str) and team.isdigit() else None
        status.update(t("stats.computing"))

        def failed(exc: UserError) -> None:
            status.update(str(exc))

        self.call_service(
            lambda s, v: statistics(
                session=s, from_date=start, to_date=end, team_id=team_id, viewer=v
            ),
            self._show,
            group="stats-compute",
            on_error=failed,
        )

    async def _show(self, stats: StatsRead) -> None:
        self.stats = stats
        team = f" ({stats.team})" if stats.team else ""
        self.query_one("#stats-status", Static).update(
            t(
                "stats.summary",
                cases=stats.cases,
                from_date=f"{stats.from_date:%d.%m.%Y}",
                to_date=f"{stats.to_date:%d.%m.%Y}",
                team=team,
            )
        )
        results = self.query_one("#results", VerticalScroll)
        await results.remove_children()
        widgets: list[Label | Static | DataTable[object]] = [
            Static(plots(stats), classes="plot", markup=False)
        ]
        for table in stats.tables:
            widgets += [
                Label(table.title, classes="section-title", markup=False),
                self._table(table),
            ]
        await results.mount_all(widgets)

    def _table(self, table: StatTable) -> DataTable[object]:
        grid: DataTable[object] = DataTable(zebra_stripes=True, cursor_type="row")
        grid.add_columns(*table.columns)
        for row in table.rows:
            grid.add_row(*(safe_cell(cell_text(v)) for v in row))
        grid.styles.height = len(table.rows) + 2
        return grid

    def action_save_csv(self) -> None:
        from rehabteam.screens.dialogs.prompts import TextPrompt

        if self.stats is None:
            return
        stats = self.stats
        name = f"statistik-{stats.from_date:%Y%m%d}-{stats.to_date:%Y%m%d}.csv"
        folder = self.ctx.settings.effective_export_dir

        from rehabteam.services.stats import save_csv

        def saved(path: object) -> None:
            if path is not None:
                self.notify(t("stats.saved_csv", path=path), timeout=8)

        prompt = TextPrompt(
            t("binding.export_csv"),
            t("stats.csv_prompt", folder=folder),
            value=name,
            submit=lambda s, v, answer: save_csv(
                session=s, stats=stats, folder=folder, name=answer, viewer=v
            ),
        )
        self.app.push_screen(prompt, saved)

    def action_back(self) -> None:
        self.dismiss()
