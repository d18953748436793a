"""'Opfølgning': indstillinger awaiting the municipality's decision, and the running courses
of the koordinerende sagsbehandler with what needs doing first (the 6-month flag, a course
ending, an overdue follow-up), and their caseload against the guideline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

if TYPE_CHECKING:
    from sqlmodel import Session

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.read import AwaitingDecisionRead, CaseloadRead, DecisionRead, ForloebRowRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.screens.dialogs.form import FormDialog, FormField, Values
from rehabteam.widgets.dates import date_text
from rehabteam.widgets.safe import safe_cell
from rehabteam.widgets.tables import refill

Loaded = tuple[list[AwaitingDecisionRead], list[ForloebRowRead], CaseloadRead | None]


def day(value: date | None) -> str:
    return date_text(value, "–")


def flags(row: ForloebRowRead) -> str:
    found = []
    if row.reassessment_case_id is not None:
        found.append(t("followup.flag.reassessed"))
    elif row.six_month_due:
        found.append(t("followup.flag.six_month"))
    elif row.end_due:
        found.append(t("followup.flag.end"))
    if row.follow_up_overdue:
        found.append(t("followup.flag.overdue"))
    return "; ".join(found)


def decision_form(
    title: str, submit: Callable[[Session, Viewer, Any], DecisionRead]
) -> FormDialog[DecisionRead]:
    from rehabteam.models.inputs import DecisionInput, parse_user_date

    def build(values: Values) -> DecisionInput:
        decided = parse_user_date(str(values["decided_on"]), field="field.decided_on")
        if decided is None:
            raise ValueError(t("input.required", field=t("field.decided_on")))
        return DecisionInput(
            decided_on=decided, followed=bool(values["followed"]), reasons=str(values["reasons"])
        )

    return FormDialog(
        title,
        [
            FormField("decided_on", t("field.decided_on"), "date", f"{clock.today():%d.%m.%Y}"),
            FormField("followed", t("field.followed"), "check", True),
            FormField("reasons", t("field.decision_reasons"), "text"),
        ],
        build,
        submit,
    )


class FollowUpScreen(ServiceScreen):
    LIVE = True
    CSS_PATH = "follow_up.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="followup.back"),
        Binding("d", "decision", t("binding.decision"), id="followup.decision"),
        Binding("a", "toggle_all", t("binding.toggle_all"), id="followup.toggle_all"),
        Binding("r", "refresh", t("binding.refresh"), id="followup.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self._shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.loading"), id="caseload", markup=False)
        yield Label(t("followup.awaiting"), classes="section-title", markup=False)
        yield DataTable(id="awaiting", cursor_type="row", zebra_stripes=True)
        yield Label(t("followup.mine"), id="forloeb-title", classes="section-title", markup=False)
        yield DataTable(id="forloeb", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        awaiting = self.query_one("#awaiting", DataTable)
        for key in ("case", "citizen", "cpr", "type", "approved", "sent"):
            awaiting.add_column(t(f"followup.col.{key}"), key=key)
        courses = self.query_one("#forloeb", DataTable)
        for key in ("case", "citizen", "cpr", "type", "start", "end", "next", "interventions"):
            courses.add_column(t(f"followup.col.{key}"), key=key)
        courses.add_column(t("followup.col.flags"), key="flags")
        courses.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        from rehabteam.services.approval import caseloads
        from rehabteam.services.followup import awaiting_decision, list_forloeb

        show_all, rulebook = self.show_all, self.ctx.rulebook
        guidelines = self.ctx.settings.caseload_guidelines()

        def fetch(session: Session, viewer: Viewer) -> Loaded:
            mine = None if show_all else viewer.staff_id
            loads = caseloads(session=session, guidelines=guidelines)
            own = next((c for c in loads if c.staff_id == viewer.staff_id), None)
            return (
                awaiting_decision(session=session, viewer=viewer),
                list_forloeb(
                    session=session, coordinator_id=mine, rulebook=rulebook, viewer=viewer
                ),
                own,
            )

        self.call_service(fetch, lambda found: self._show(*found), group="followup-load")

    def _show(
        self,
        awaiting: list[AwaitingDecisionRead],
        courses: list[ForloebRowRead],
        own: CaseloadRead | None,
    ) -> None:
        if not self._shown and awaiting:  # first shown: the cursor where `d` acts
            self.query_one("#awaiting", DataTable).focus()
        self._shown = True
        settings = self.ctx.settings
        caseload = self.query_one("#caseload", Static)
        if own is None:
            caseload.update("")
        else:
            key = "followup.caseload_over" if own.over_guideline else "followup.caseload"
            guidelines = settings.caseload_guidelines()
            areas = "; ".join(
                t(f"caseload.area.{area}", n=own.areas.get(area, 0), low=low, high=high)
                for area, (low, high) in guidelines.items()
                if area == "ressourceforloeb" or own.areas.get(area)
            )
            caseload.update(t(key, name=own.name, areas=areas))
            caseload.set_class(own.over_guideline, "over")
        refill(
            self.query_one("#awaiting", DataTable),
            (
                (
                    str(a.case_id),
                    [
                        safe_cell(a.case_number),
                        safe_cell(a.citizen_name),
                        safe_cell(a.cpr_masked),
                        safe_cell(
                            t(f"IndstillingType.{a.indstilling_type}") if a.indstilling_type else ""
                        ),
                        safe_cell(day(a.approved_on)),
                        safe_cell(day(a.sent_on)),
                    ],
                )
                for a in awaiting
            ),
            empty=[safe_cell(t("followup.none_awaiting")), *[safe_cell("")] * 5],
        )
        self.query_one("#forloeb-title", Label).update(
            t("followup.all") if self.show_all else t("followup.mine")
        )
        refill(
            self.query_one("#forloeb", DataTable),
            (
                (
                    str(row.id),
                    [
                        safe_cell(row.case_number),
                        safe_cell(row.citizen_name),
                        safe_cell(row.cpr_masked),
                        safe_cell(t(f"IndstillingType.{row.kind}")),
                        safe_cell(day(row.start_on)),
                        safe_cell(day(row.planned_end_on)),
                        safe_cell(day(row.next_follow_up_on)),
                        safe_cell(f"{row.started}/{row.interventions}"),
                        safe_cell(flags(row)),
                    ],
                )
                for row in courses
            ),
            empty=[safe_cell(t("followup.none_forloeb")), *[safe_cell("")] * 8],
        )

    def _selected(self, table_id: str) -> tuple[int, list[object]] | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if not key:
            return None
        return int(key), list(table.get_row(key))

    @on(DataTable.RowSelected, "#forloeb")
    def _open(self, event: DataTable.RowSelected) -> None:
        from rehabteam.screens.forloeb import ForloebScreen

        if event.row_key.value:
            self.app.push_screen(ForloebScreen(int(event.row_key.value)))

    @on(DataTable.RowSelected, "#awaiting")
    def _decide_selected(self) -> None:
        self.action_decision()

    def action_decision(self) -> None:
        from rehabteam.services.followup import record_decision

        selected = self._selected("#awaiting")
        if selected is None:
            return
        case_id, cells = selected
        title = t("decision.title", number=str(cells[0]), name=str(cells[1]))
        rulebook = self.ctx.rulebook

        def decided(decision: DecisionRead | None) -> None:
            if decision is not None:
                self._decided(decision)

        form = decision_form(
            title,
            lambda s, v, data: record_decision(
                session=s, case_id=case_id, data=data, rulebook=rulebook, viewer=v
            ),
        )
        self.app.push_screen(form, decided)

    def _decided(self, decision: DecisionRead) -> None:
        if not decision.followed:
            message = t("decision.recorded_not", number=decision.reassessment_case_number)
        elif decision.forloeb_id is not None:
            message = t("decision.recorded_forloeb")
        else:
            message = t("decision.recorded_followed")
        self.notify(message, timeout=8)
        self.load()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
