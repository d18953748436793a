"""The meeting room: the meeting in progress on the chair's screen (and the referent's).

Tabs: Sag (a panel per discipline beside the case material), Indstilling (the draft, the
koordinerende sagsbehandler with caseload, approval), Fremmøde (check-in), Dagsorden. A clock
shows the current case against its slot. Every field is saved on leaving it (FormScreen);
what the other workstation saves, and the meeting's status, appear here within a second or
two. Approval sends what the chair sees: if the stored draft differs, it is refused.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, DataTable, Footer, Header, Static, TabbedContent, TabPane

from rehabteam import clock
from rehabteam.errors import RuleViolation, UserError
from rehabteam.i18n import t
from rehabteam.models.enums import AgendaStatus, IndstillingType, MeetingStatus
from rehabteam.models.inputs import AssessmentInput, IndstillingInput
from rehabteam.models.read import AgendaItemRead, AgendaRead, RoomCaseRead, Saved
from rehabteam.screens.autosave import FormScreen, SaveCall
from rehabteam.widgets.fieldform import FieldForm
from rehabteam.widgets.forms import DisciplinePanel
from rehabteam.widgets.indstilling_form import IndstillingForm, coordinator_options
from rehabteam.widgets.room import approval_text, clock_text, material_text
from rehabteam.widgets.safe import safe_block, safe_cell
from rehabteam.widgets.tables import refill

TABS = ("tab-case", "tab-indstilling", "tab-attendance", "tab-agenda")


class MeetingRoomScreen(FormScreen):
    CSS_PATH = "meeting_room.tcss"
    BINDINGS = [
        Binding("escape", "close", t("binding.back"), id="room.close"),
        Binding("ctrl+s", "save_all", t("binding.save"), id="room.save", priority=True),
        Binding("ctrl+g", "approve", t("binding.approve"), id="room.approve", priority=True),
        Binding("ctrl+n", "next_case", t("binding.next_case"), id="room.next", priority=True),
        Binding("f3", "tab('tab-case')", t("room.tab_case"), id="room.tab_case", priority=True),
        Binding(
            "f4",
            "tab('tab-indstilling')",
            t("room.tab_indstilling"),
            id="room.tab_ind",
            priority=True,
        ),
        Binding(
            "f5",
            "tab('tab-attendance')",
            t("room.tab_attendance"),
            id="room.tab_att",
            priority=True,
        ),
        Binding(
            "f6", "tab('tab-agenda')", t("room.tab_agenda"), id="room.tab_agenda", priority=True
        ),
        Binding("ctrl+o", "propose", t("binding.propose"), id="room.propose"),
        Binding("ctrl+l", "end_meeting", t("binding.end_meeting"), id="room.end"),
        Binding("ctrl+z", "undo_start", t("binding.undo_start"), id="room.undo_start"),
        Binding("tab", "app.focus_next", show=False, priority=True, id="room.tab"),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="room.backtab"),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.agenda: AgendaRead | None = None
        self.case: RoomCaseRead | None = None
        self.current_item: int | None = None
        self._case_started = clock.monotonic()

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.loading"), id="room-info", markup=False)
        yield Static("", id="room-clock", markup=False)
        with TabbedContent(initial="tab-case", id="tabs"):
            with TabPane(t("room.tab_case"), id="tab-case"), Horizontal():
                yield VerticalScroll(id="panels")
                yield VerticalScroll(Static("", id="material", markup=False), id="material-pane")
            with TabPane(t("room.tab_indstilling"), id="tab-indstilling"), Horizontal():
                yield VerticalScroll(id="indstilling-form")
                with VerticalScroll(id="approval-pane"):
                    yield Static("", id="approval", markup=False)
            with TabPane(t("room.tab_attendance"), id="tab-attendance"):
                yield Checkbox(t("room.citizen_came"), id="citizen-came")
                yield DataTable(id="attendance", cursor_type="row")
            with TabPane(t("room.tab_agenda"), id="tab-agenda"):
                yield DataTable(id="room-agenda", cursor_type="row")
        yield Static("", id="save-state", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        attendance = self.query_one("#attendance", DataTable)
        for key in ("discipline", "name", "role", "attended"):
            attendance.add_column(t(f"room.col.{key}"), key=key)
        agenda = self.query_one("#room-agenda", DataTable)
        for key in ("time", "citizen", "case_type", "status"):
            agenda.add_column(t(f"room.col.{key}"), key=key)
        self.set_interval(1, self._tick)
        self.load(start=True)

    def _tick(self) -> None:
        if self.case is not None:
            elapsed = clock.monotonic() - self._case_started
            self.query_one("#room-clock", Static).update(
                clock_text(elapsed, self.case.item.slot_minutes)
            )

    # --- loading -------------------------------------------------------------------------

    def load(self, *, start: bool = False) -> None:
        """The agenda; with `start`, the meeting begins (a meeting on another day only once
        the chair has said yes)."""
        from rehabteam.services.agenda import get_agenda

        rulebook = self.ctx.rulebook
        self.call_service(
            lambda s, v: get_agenda(
                session=s, meeting_id=self.meeting_id, rulebook=rulebook, viewer=v
            ),
            lambda agenda: self._agenda_loaded(agenda, start),
            group="room-agenda",
            on_error=self._refused,
        )

    def _agenda_loaded(self, agenda: AgendaRead, start: bool) -> None:
        status = MeetingStatus(agenda.meeting.status)
        if start and status is MeetingStatus.PLANLAGT:
            if agenda.meeting.date == clock.today():
                self._start()
                return
            from rehabteam.screens.dialogs.prompts import ConfirmPrompt

            question = t("room.start_other_day", date=f"{agenda.meeting.date:%d.%m.%Y}")
            self.app.push_screen(
                ConfirmPrompt(question, yes=t("room.start_anyway")),
                lambda yes: self._start() if yes else self._show_agenda(agenda),
            )
            return
        self._show_agenda(agenda)

    def _start(self) -> None:
        from rehabteam.services.meeting_room import start_meeting

        self.call_service(
            lambda s, v: start_meeting(session=s, meeting_id=self.meeting_id, viewer=v),
            lambda _r: self.load(),
            write=True,
            group="room-start",
            on_error=self._refused,
        )

    def reload_quietly(self) -> None:
        """Someone saved: the meeting's status, the agenda, approvals and the fields the user
        is not typing in follow; no audit entry (the same screen, read again)."""
        self.load()
        if self.case is not None:
            self.open_case(self.case.item, refresh=True)

    def _show_agenda(self, agenda: AgendaRead) -> None:
        self.agenda = agenda
        m = agenda.meeting
        booked = [i for i in agenda.items if i.status == AgendaStatus.BOOKET]
        self.query_one("#room-info", Static).update(
            t(
                "room.info",
                team=m.team,
                date=f"{m.date:%d.%m.%Y}",
                start=f"{m.start:%H:%M}",
                end=f"{m.end:%H:%M}",
                status=t(f"MeetingStatus.{m.status}"),
                left=len(booked),
            )
        )
        attended = {True: t("doc.yes"), False: t("agenda.absent"), None: "-"}
        refill(
            self.query_one("#attendance", DataTable),
            (
                (
                    str(p.id),
                    [
                        safe_cell(t(f"Discipline.{p.discipline}")),
                        safe_cell(p.name),
                        safe_cell(t(f"ParticipantRole.{p.role}")),
                        safe_cell(attended[p.attended]),
                    ],
                )
                for p in agenda.participants
            ),
        )
        refill(
            self.query_one("#room-agenda", DataTable),
            (
                (
                    str(i.id),
                    [
                        safe_cell(f"{i.start:%H:%M}"),
                        safe_cell(i.citizen_name),
                        safe_cell(t(f"CaseType.{i.case_type}")),
                        safe_cell(t(f"AgendaStatus.{i.status}")),
                    ],
                )
                for i in agenda.items
            ),
        )
        if m.status != MeetingStatus.I_GANG:
            self.query_one("#room-clock", Static).update(
                t("room.not_running", status=t(f"MeetingStatus.{m.status}"))
            )
            return
        # The case being handled stays (approved, it is no longer "booked") until Ctrl+N.
        current = next((i for i in agenda.items if i.id == self.current_item), None) or next(
            iter(booked), None
        )
        if current is None:
            self.case = None
            self.current_item = None
            self.query_one("#room-clock", Static).update(t("room.no_more_cases"))
        elif current.id != self.current_item or self.case is None:
            self.open_case(current)

    def open_case(self, item: AgendaItemRead, *, refresh: bool = False) -> None:
        from rehabteam.services.meeting_room import open_case

        rulebook, guideline = self.ctx.rulebook, self.ctx.settings.caseload_max
        if not refresh:
            self.current_item = item.id
            self._case_started = clock.monotonic()
        self.call_service(
            lambda s, v: open_case(
                session=s,
                meeting_id=self.meeting_id,
                item_id=item.id,
                rulebook=rulebook,
                guideline_max=guideline,
                viewer=v,
                refresh=refresh,
            ),
            self._refresh_case if refresh else self._build_case,
            write=not refresh,
            group="room-refresh" if refresh else "room-case",
            on_error=self._refused,
        )

    async def _build_case(self, case: RoomCaseRead) -> None:
        self.case = case
        panels = self.query_one("#panels", VerticalScroll)
        await panels.remove_children()
        await panels.mount_all([DisciplinePanel(a) for a in case.assessments])
        self.query_one("#material", Static).update(material_text(case))
        form = self.query_one("#indstilling-form", VerticalScroll)
        await form.remove_children()
        settings = self.ctx.settings
        await form.mount(
            IndstillingForm(
                case.indstilling,
                allowed=tuple(IndstillingType(k) for k in case.allowed_types),
                coordinators=coordinator_options(
                    list(case.caseloads), settings.caseload_min, settings.caseload_max
                ),
                months=case.months,
            )
        )
        self._show_approval(case.problems, case.warnings)
        came = self.query_one("#citizen-came", Checkbox)
        with came.prevent(Checkbox.Changed):
            came.value = case.item.citizen_present is True
        locked = case.indstilling.locked
        self.show_state(t("prep.all_saved") if not locked else t("indstilling.locked"))
        self._tick()
        self.action_tab(self.query_one("#tabs", TabbedContent).active or "tab-case")

    def _refresh_case(self, case: RoomCaseRead) -> None:
        if self.case is None or case.item.id != self.case.item.id:
            return
        if case.indstilling.id != self.case.indstilling.id or (
            case.indstilling.locked != self.case.indstilling.locked
        ):
            self.run_worker(self._build_case(case))  # approved (or a new version) elsewhere
            return
        self.case = case
        by_discipline = {a.discipline: a for a in case.assessments}
        for form in self.forms():
            if isinstance(form, DisciplinePanel) and form.discipline in by_discipline:
                a = by_discipline[form.discipline]
                form.remote(a.model_dump(include={"vurdering", "anbefalede_indsatser"}), a.stamps)
            elif isinstance(form, IndstillingForm):
                form.remote(case.indstilling.values(), case.indstilling.stamps)
        self._show_approval(case.problems, case.warnings)

    def _show_approval(
        self, problems: tuple[str, ...] | list[str], warnings: tuple[str, ...] | list[str]
    ) -> None:
        self.query_one("#approval", Static).update(
            safe_block(approval_text(self.case, problems, warnings))
        )

    # --- saving (see FormScreen) -----------------------------------------------------------

    def show_state(self, text: str) -> None:
        self.query_one("#save-state", Static).update(text)

    def section_label(self, form: FieldForm) -> str:
        if isinstance(form, DisciplinePanel):
            return t(f"Discipline.{form.discipline}")
        return t("room.tab_indstilling")

    def save_call(self, form: FieldForm, data: BaseModel, base: dict[str, Any]) -> SaveCall:
        from rehabteam.services.assessments import save_assessment

        assert self.case is not None
        case_id, meeting_id = self.case.item.case_id, self.meeting_id
        if isinstance(form, DisciplinePanel):
            assert isinstance(data, AssessmentInput)
            discipline = form.discipline
            return lambda s, v: save_assessment(
                session=s,
                case_id=case_id,
                meeting_id=meeting_id,
                discipline=discipline,
                data=data,
                base=base,
                viewer=v,
            )
        assert isinstance(data, IndstillingInput)
        return self._indstilling_save(data, base)

    def _indstilling_save(self, data: IndstillingInput, base: dict[str, Any]) -> SaveCall:
        from rehabteam.services.approval import approval_problems
        from rehabteam.services.indstilling import save_draft

        assert self.case is not None
        draft_id, rulebook = self.case.indstilling.id, self.ctx.rulebook

        def save(session: Any, viewer: Any) -> Saved[Any]:
            saved = save_draft(
                session=session, indstilling_id=draft_id, data=data, base=base, viewer=viewer
            )
            problems, warnings = approval_problems(
                session=session, indstilling=saved.read, rulebook=rulebook
            )
            return Saved[Any](read=(saved.read, problems, warnings), conflicts=saved.conflicts)

        return save

    def after_save(self, form: FieldForm, outcome: Saved[Any]) -> None:
        if isinstance(form, IndstillingForm) and self.case is not None:
            read, problems, warnings = outcome.read
            self.case = self.case.model_copy(update={"indstilling": read})
            self._show_approval(problems, warnings)

    # --- actions ---------------------------------------------------------------------------

    def _refused(self, exc: UserError) -> None:
        problems = getattr(exc, "problems", [])
        text = str(exc) + ("\n" + "\n".join(f"• {p}" for p in problems) if problems else "")
        self.notify(text, severity="error", timeout=12)

    def action_tab(self, tab: str) -> None:
        """Show a tab and put the cursor in its first field, whatever had focus before."""
        self.query_one("#tabs", TabbedContent).active = tab
        pane = self.query_one(f"#{tab}", TabPane)
        target = next(
            (
                w
                for w in pane.query("TextArea, Input, Select, DataTable, Checkbox")
                if w.focusable and w.display
            ),
            None,
        )
        if target is not None:
            self.call_after_refresh(target.focus)

    def _indstilling_form(self) -> IndstillingForm | None:
        found = self.query(IndstillingForm)
        return found.first() if found else None

    def action_propose(self) -> None:
        """Fill empty intervention fields from the disciplines' recommendations."""
        from rehabteam.services.indstilling import proposed_interventions

        form = self._indstilling_form()
        if self.case is None or form is None or form.read_only:
            return
        case_id = self.case.item.case_id

        def fill(proposals: list[Any]) -> None:
            from rehabteam.models.recommendation import INTERVENTION_PARTS, intervention_key

            current = form.values()
            proposed = {
                intervention_key(p.area, part): getattr(p, part)
                for p in proposals
                for part in INTERVENTION_PARTS
                if getattr(p, part) and not current[intervention_key(p.area, part)]
            }
            form.fill(proposed)
            self.action_tab("tab-indstilling")
            self.save_form(form)

        self.call_service(
            lambda s, v: proposed_interventions(
                session=s, case_id=case_id, meeting_id=self.meeting_id, viewer=v
            ),
            fill,
            group="room-propose",
        )

    def action_approve(self) -> None:
        """Approve the draft as it is on this screen (saved first)."""
        from rehabteam.services.approval import approve

        form = self._indstilling_form()
        if self.case is None or form is None:
            return
        if self.has_unsaved:
            self._on_saved = self.action_approve
            self.action_save_all()
            return
        draft_id, rulebook, seen = self.case.indstilling.id, self.ctx.rulebook, form.values()

        def refused(exc: UserError) -> None:
            if isinstance(exc, RuleViolation):
                self._show_approval(exc.problems, [])
                self.action_tab("tab-indstilling")
            self._refused(exc)
            self.reload_quietly()

        def approved(_read: Any) -> None:
            self.notify(t("room.approved_note"))
            if self.case is not None:
                self.open_case(self.case.item)

        self.call_service(
            lambda s, v: approve(
                session=s, indstilling_id=draft_id, rulebook=rulebook, viewer=v, seen=seen
            ),
            approved,
            write=True,
            group="room-approve",
            on_error=refused,
        )

    def action_next_case(self) -> None:
        from rehabteam.services.meeting_room import finish_case

        if self.case is None:
            return
        if self.has_unsaved:
            self._on_saved = self.action_next_case
            self.action_save_all()
            return
        item_id = self.case.item.id
        self.case = None
        self.current_item = None
        self.call_service(
            lambda s, v: finish_case(session=s, item_id=item_id, viewer=v),
            lambda _r: self.load(),
            write=True,
            group="room-next",
            on_error=self._refused,
        )

    def action_end_meeting(self) -> None:
        from rehabteam.screens.dialogs.prompts import ConfirmPrompt
        from rehabteam.services.meeting_room import close_meeting

        left = sum(1 for i in self.agenda.items if i.status == "booket") if self.agenda else 0
        rulebook = self.ctx.rulebook

        def closed(moved: list[tuple[int, int | None]]) -> None:
            self.notify(t("room.closed", n=len(moved)))
            self.dismiss()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.call_service(
                    lambda s, v: close_meeting(
                        session=s, meeting_id=self.meeting_id, rulebook=rulebook, viewer=v
                    ),
                    closed,
                    write=True,
                    group="room-close",
                    on_error=self._refused,
                )

        self.action_save_all()
        self.app.push_screen(
            ConfirmPrompt(t("room.close_question", n=left), yes=t("binding.end_meeting")), confirmed
        )

    def action_undo_start(self) -> None:
        """Undo starting the meeting (started by mistake) while no case has been handled."""
        from rehabteam.services.meeting_room import undo_start

        def undone(_r: object) -> None:
            self.notify(t("room.start_undone"))
            self.dismiss()

        self.call_service(
            lambda s, v: undo_start(session=s, meeting_id=self.meeting_id, viewer=v),
            undone,
            write=True,
            group="room-undo",
            on_error=self._refused,
        )

    @on(DataTable.RowSelected, "#attendance")
    def _toggle_attendance(self, event: DataTable.RowSelected) -> None:
        from rehabteam.services.meeting_room import check_in

        if self.agenda is None or not event.row_key.value:
            return
        participant = next(p for p in self.agenda.participants if str(p.id) == event.row_key.value)
        self.call_service(
            lambda s, v: check_in(
                session=s,
                participant_id=participant.id,
                attended=participant.attended is not True,
                viewer=v,
            ),
            lambda _r: self.load(),
            write=True,
            group="room-checkin",
            on_error=self._refused,
        )

    @on(Checkbox.Changed, "#citizen-came")
    def _citizen_came(self, event: Checkbox.Changed) -> None:
        from rehabteam.services.meeting_room import citizen_present

        if self.case is None:
            return
        item_id = self.case.item.id
        self.call_service(
            lambda s, v: citizen_present(session=s, item_id=item_id, present=event.value, viewer=v),
            lambda _r: None,
            write=True,
            group="room-citizen",
            on_error=self._refused,
        )

    @on(DataTable.RowSelected, "#room-agenda")
    def _jump_to(self, event: DataTable.RowSelected) -> None:
        if self.agenda is None or not event.row_key.value:
            return
        item = next(i for i in self.agenda.items if str(i.id) == event.row_key.value)
        if item.status == "booket" and item.id != self.current_item:
            self.action_save_all()
            self.open_case(item)
            self.action_tab("tab-case")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Approving, moving on and ending only while the meeting runs."""
        running = self.agenda is not None and self.agenda.meeting.status == MeetingStatus.I_GANG
        if action in ("approve", "next_case", "end_meeting", "propose", "undo_start"):
            return running
        return True
