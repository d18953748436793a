"""Find a citizen by name or CPR as you type, or create one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from rehabteam.i18n import label, t
from rehabteam.models.read import CitizenRead
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.inputs import TextInput
from rehabteam.widgets.safe import safe_cell
from rehabteam.widgets.tables import refill

PAGE = 100


class CitizensScreen(ServiceScreen):
    CSS_PATH = "citizens.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="citizens.back"),
        Binding("slash", "focus_search", t("binding.search"), id="citizens.search"),
        Binding("n", "new_citizen", t("binding.new_citizen"), id="citizens.new"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(t("citizens.title"), classes="section-title", markup=False)
        yield TextInput(placeholder=t("home.search_placeholder"), id="search")
        yield DataTable(id="citizens", cursor_type="row", zebra_stripes=True)
        yield Static("", id="citizens-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#citizens", DataTable)
        for key in ("citizen", "cpr", "age", "gender"):
            table.add_column(t(f"home.col.{key}"), key=key)
        self.query_one("#search", Input).focus()
        self.search("")

    def search(self, text: str) -> None:
        from rehabteam.services.citizens import search_citizens

        self.call_service(
            lambda s, v: search_citizens(session=s, text=text, limit=PAGE, viewer=v),
            self._show,
            group="citizens-search",
        )

    def _show(self, citizens: list[CitizenRead]) -> None:
        refill(
            self.query_one("#citizens", DataTable),
            (
                (
                    str(c.id),
                    [
                        safe_cell(c.name),
                        safe_cell(c.cpr_masked),
                        safe_cell(c.age),
                        safe_cell(label_gender(c.gender)),
                    ],
                )
                for c in citizens
            ),
        )
        status = t("citizens.count", shown=len(citizens)) if citizens else t("citizens.none")
        self.query_one("#citizens-status", Static).update(status)

    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        value = event.value
        self.debounce("search", lambda: self.search(value))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.query_one("#citizens", DataTable).focus()

    @on(DataTable.RowSelected, "#citizens")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_citizen(int(event.row_key.value))

    def open_citizen(self, citizen_id: int) -> None:
        from rehabteam.screens.citizen import CitizenScreen

        self.app.push_screen(CitizenScreen(citizen_id))

    def action_back(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.query_one("#citizens", DataTable).focus()
        else:
            self.dismiss()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_new_citizen(self) -> None:
        from rehabteam.screens.citizen import start_new_citizen

        start_new_citizen(self)


def label_gender(value: str) -> str:
    from rehabteam.models.cpr import Gender

    return label(Gender(value)) if value in Gender._value2member_map_ else value
