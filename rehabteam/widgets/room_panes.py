"""The meeting room's two working tabs as widgets: Sag (a panel per discipline beside the
case material) and Indstilling (the draft beside what still blocks its approval). Each takes
the case's read model (`load`), shows what another workstation saved (`remote`), and leaves
saving to the screen (the forms post `FieldForm.Left`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from rehabteam.models.enums import IndstillingType
from rehabteam.models.read import RoomCaseRead
from rehabteam.widgets.forms import DisciplinePanel
from rehabteam.widgets.indstilling_form import IndstillingForm, coordinator_options
from rehabteam.widgets.room import approval_text, material_text
from rehabteam.widgets.safe import safe_block


class RoomTabs(TabbedContent):
    """Tabs that follow the cursor, as Textual's do, but only where it still is.

    A field that gets the cursor tells its tab to show (`TabPane.Focused`), by a message
    read later. F4 right after the room had put the cursor in the Sag tab read Sag's
    message after F4's switch: Sag came back for a moment, the Type choice (hidden then)
    passed the cursor on to Begrundelse, and the text typed after "F4 Tab" went into
    Vurdering. A message from a tab the cursor has since left is ignored.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is not None and event.tab_pane not in focused.ancestors:
            event.stop()
            event.prevent_default()  # TabbedContent's own handler would show the old tab


def hide(holder: Widget) -> None:
    """Take a case's fields off the screen, and the cursor out of them, at once. They are
    not removed here: removing them while the next case's fields were still mounting (the
    other workstation moved on) removed a Select's list under it, and the app stopped
    (NoMatches 'SelectOverlay'); the next load replaces them, awaited.
    """
    focused = holder.screen.focused
    if focused is not None and holder in focused.ancestors:
        holder.screen.set_focus(None)
    holder.display = False


class CasePane(Horizontal):
    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="panels")
        yield VerticalScroll(Static("", id="material", markup=False), id="material-pane")

    def clear(self) -> None:
        """The case was left: its panels and material go from the screen at once."""
        hide(self.query_one("#panels", VerticalScroll))
        self.query_one("#material", Static).update("")

    async def load(self, case: RoomCaseRead) -> None:
        panels = self.query_one("#panels", VerticalScroll)
        await panels.remove_children()
        await panels.mount_all(
            [DisciplinePanel(a, case_id=case.item.case_id) for a in case.assessments]
        )
        panels.display = True
        self.query_one("#material", Static).update(material_text(case))

    def remote(self, case: RoomCaseRead) -> None:
        by_discipline = {a.discipline: a for a in case.assessments}
        for panel in self.query(DisciplinePanel):
            a = by_discipline.get(panel.discipline)
            if a is not None:
                panel.remote(a.model_dump(include={"vurdering", "anbefalede_indsatser"}), a.stamps)


class IndstillingPane(Horizontal):
    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="indstilling-form")
        yield VerticalScroll(Static("", id="approval", markup=False), id="approval-pane")

    @property
    def form(self) -> IndstillingForm | None:
        found = self.query(IndstillingForm)
        return found.first() if found else None

    def clear(self) -> None:
        """The case was left: its form goes from the screen at once (nothing is typed into
        it meanwhile)."""
        hide(self.query_one("#indstilling-form", VerticalScroll))
        self.query_one("#approval", Static).update("")

    async def load(self, case: RoomCaseRead, caseload: tuple[int, int]) -> None:
        """The draft as a form; `caseload` is the guideline (low, high) for the coordinators."""
        holder = self.query_one("#indstilling-form", VerticalScroll)
        await holder.remove_children()
        await holder.mount(
            IndstillingForm(
                case.indstilling,
                allowed=tuple(IndstillingType(k) for k in case.allowed_types),
                coordinators=coordinator_options(list(case.caseloads), *caseload),
                months=case.months,
                outcome=case.outcome,
            )
        )
        holder.display = True
        self.show_approval(case, case.problems, case.warnings)

    def remote(self, case: RoomCaseRead) -> None:
        if self.form is not None:
            self.form.remote(case.indstilling.values(), case.indstilling.stamps)
        self.show_approval(case, case.problems, case.warnings)

    def show_approval(
        self, case: RoomCaseRead | None, problems: tuple[str, ...], warnings: tuple[str, ...]
    ) -> None:
        self.query_one("#approval", Static).update(
            safe_block(approval_text(case, problems, warnings))
        )
