"""One citizen: details (CPR masked unless revealed on purpose) and their cases."""

from __future__ import annotations

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.read import CaseRead, CitizenRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.safe import safe_cell
from rehabteam.widgets.tables import refill


class CitizenScreen(ServiceScreen):
    CSS_PATH = "citizen.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="citizen.back"),
        Binding("n", "new_case", t("binding.new_case"), id="citizen.new_case"),
        Binding("v", "reveal", t("binding.reveal_cpr"), id="citizen.reveal"),
    ]

    def __init__(self, citizen_id: int) -> None:
        super().__init__()
        self.citizen_id = citizen_id
        self.citizen: CitizenRead | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.loading"), id="citizen-details", markup=False)
        yield Label(t("citizen.cases"), classes="section-title", markup=False)
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#cases", DataTable)
        for key in ("case_number", "case_type", "status", "days", "sagsbehandler"):
            table.add_column(t(f"home.col.{key}"), key=key)
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.citizen is not None:
            self.load()

    def load(self) -> None:
        from rehabteam.services.cases import list_cases
        from rehabteam.services.citizens import get_citizen

        def fetch(session: Session, viewer: Viewer) -> tuple[CitizenRead, list[CaseRead]]:
            return (
                get_citizen(session=session, citizen_id=self.citizen_id, viewer=viewer),
                list_cases(session=session, citizen_id=self.citizen_id, viewer=viewer),
            )

        self.call_service(fetch, self._show, write=True, group="citizen-load")  # audited read

    def _show(self, loaded: tuple[CitizenRead, list[CaseRead]]) -> None:

        citizen, cases = loaded
        self.citizen = citizen
        self._details(citizen.cpr_masked)
        today = clock.today()
        refill(
            self.query_one("#cases", DataTable),
            (
                (
                    str(c.id),
                    [
                        safe_cell(c.case_number),
                        safe_cell(t(f"CaseType.{c.case_type}")),
                        safe_cell(t(f"CaseStatus.{c.status}")),
                        safe_cell(c.days_since_referral(today)),
                        safe_cell(c.sagsbehandler or ""),
                    ],
                )
                for c in cases
            ),
            empty=[safe_cell(t("citizen.no_cases")), *[safe_cell("")] * 4],
        )

    def _details(self, cpr_shown: str) -> None:
        from rehabteam.screens.citizens import label_gender

        c = self.citizen
        if c is None:
            return
        education = {
            True: t("citizen.education_yes"),
            False: t("citizen.education_no"),
            None: t("citizen.education_unknown"),
        }[c.has_vocational_education]
        text = t(
            "citizen.details",
            name=c.name,
            cpr=cpr_shown,
            age=c.age,
            gender=label_gender(c.gender),
            education=education,
        )
        self.query_one("#citizen-details", Static).update(text)

    @on(DataTable.RowSelected, "#cases")
    def _open_case(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            from rehabteam.screens.preparation import PreparationScreen

            self.app.push_screen(PreparationScreen(int(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss()

    def action_reveal(self) -> None:
        """Show the full CPR number for 15 seconds; the reveal is written to the audit trail."""
        from rehabteam.services.citizens import reveal_cpr

        def shown(full: str) -> None:
            self._details(full)
            if self.citizen is not None:
                masked = self.citizen.cpr_masked
                self.set_timer(15, lambda: self._details(masked))

        self.call_service(
            lambda s, v: reveal_cpr(session=s, citizen_id=self.citizen_id, viewer=v),
            shown,
            write=True,
            group="citizen-reveal",
        )

    def action_new_case(self) -> None:
        from rehabteam.screens.dialogs.new_case import NewCaseDialog
        from rehabteam.screens.preparation import PreparationScreen
        from rehabteam.services.cases import create_case

        if self.citizen is None:
            return
        rulebook = self.ctx.rulebook

        def created(case: CaseRead | None) -> None:
            if case is not None:
                self.notify(t("case.created", number=case.case_number))
                self.app.push_screen(PreparationScreen(case.id))

        dialog = NewCaseDialog(
            self.citizen,
            lambda s, v, data: create_case(session=s, data=data, rulebook=rulebook, viewer=v),
        )
        self.app.push_screen(dialog, created)


def start_new_citizen(screen: ServiceScreen) -> None:
    """Ask for a new citizen, create them, and open their screen (home and citizen search)."""
    from rehabteam.models.inputs import CitizenCreate
    from rehabteam.screens.dialogs.new_citizen import NewCitizenDialog
    from rehabteam.services.citizens import create_citizen

    def created(citizen: CitizenRead | None) -> None:
        if citizen is None:
            return
        key = "citizen.already_registered" if citizen.already_registered else "citizen.created"
        screen.notify(t(key, name=citizen.name, cpr=citizen.cpr_masked))
        screen.app.push_screen(CitizenScreen(citizen.id))

    def submit(session: Session, viewer: Viewer, data: CitizenCreate) -> CitizenRead:
        return create_citizen(session=session, data=data, viewer=viewer)

    screen.app.push_screen(NewCitizenDialog(submit), created)
