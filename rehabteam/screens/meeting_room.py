"""The meeting room: the meeting in progress on the chair's screen (and the referent's).

Tabs: Sag (a panel per discipline beside the case material), Indstilling (the draft, the
koordinerende sagsbehandler with caseload, approval), Fremmøde (check-in), Dagsorden. A clock
shows the current case against its slot: formøde, dialogue with the citizen, eftermøde.
Everything typed is saved on leaving the field (see AutosaveScreen).
"""

from __future__ import annotations

import time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from rehabteam.errors import RuleViolation, StaleEdit, UserError
from rehabteam.i18n import t
from rehabteam.models.enums import IndstillingType, InterventionArea
from rehabteam.models.inputs import AssessmentInput, IndstillingInput, InterventionInput
from rehabteam.models.read import AgendaItemRead, AgendaRead, RoomCaseRead
from rehabteam.models.recommendation import ALL_TEXTS
from rehabteam.models.viewer import Viewer
from rehabteam.screens.autosave import AutosaveScreen, SaveCall
from rehabteam.textsafe import clean_text
from rehabteam.widgets.meeting_forms import (
    INTERVENTION_PARTS,
    coordinator_options,
    discipline_panel,
    indstilling_form,
)
from rehabteam.widgets.safe import safe_block, safe_cell

INDSTILLING = "indstilling"
# A slot's phases as shares of its length (practice: 10 + 30 + 20 of 60 minutes).
PHASES = (
    ("room.phase_formoede", 1 / 6),
    ("room.phase_dialog", 1 / 2),
    ("room.phase_eftermoede", 1 / 3),
)


def clock_text(elapsed: float, slot_minutes: int) -> str:
    slot = slot_minutes * 60
    start = 0.0
    phase = PHASES[-1][0]
    for key, share in PHASES:
        if elapsed < start + share * slot:
            phase = key
            break
        start += share * slot
    minutes, seconds = divmod(int(elapsed), 60)
    text = t(
        "room.clock",
        phase=t(phase),
        elapsed=f"{minutes:02d}:{seconds:02d}",
        slot=f"{slot_minutes:02d}:00",
    )
    if elapsed > slot:
        over, _ = divmod(int(elapsed - slot), 60)
        text += "  " + t("room.over_time", minutes=over)
    return text


class MeetingRoomScreen(AutosaveScreen):
    CSS_PATH = "meeting_room.tcss"
    BINDINGS = [
        Binding("escape", "close", t("binding.back"), id="room.close"),
        Binding("ctrl+s", "save_all", t("binding.save"), id="room.save", priority=True),
        Binding("f3", "tab('tab-case')", t("room.tab_case"), id="room.tab_case"),
        Binding("f4", "tab('tab-indstilling')", t("room.tab_indstilling"), id="room.tab_ind"),
        Binding("f5", "tab('tab-attendance')", t("room.tab_attendance"), id="room.tab_att"),
        Binding("f6", "tab('tab-agenda')", t("room.tab_agenda"), id="room.tab_agenda"),
        Binding("ctrl+o", "propose", t("binding.propose"), id="room.propose"),
        Binding("ctrl+g", "approve", t("binding.approve"), id="room.approve"),
        Binding("ctrl+n", "next_case", t("binding.next_case"), id="room.next"),
        Binding("ctrl+l", "end_meeting", t("binding.end_meeting"), id="room.end"),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.agenda: AgendaRead | None = None
        self.case: RoomCaseRead | None = None
        self.current_item: int | None = None
        self._case_started = time.monotonic()

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
            elapsed = time.monotonic() - self._case_started
            self.query_one("#room-clock", Static).update(
                clock_text(elapsed, self.case.item.slot_minutes)
            )

    # --- loading -------------------------------------------------------------------------

    def load(self, *, start: bool = False) -> None:
        from sqlmodel import Session

        from rehabteam.services.agenda import get_agenda
        from rehabteam.services.meeting_room import start_meeting

        rulebook = self.ctx.rulebook

        def fetch(session: Session, viewer: Viewer) -> AgendaRead:
            if start:
                start_meeting(session=session, meeting_id=self.meeting_id, viewer=viewer)
            return get_agenda(
                session=session, meeting_id=self.meeting_id, rulebook=rulebook, viewer=viewer
            )

        self.call_service(
            fetch, self._show_agenda, write=start, group="room-agenda", on_error=self._refused
        )

    def _show_agenda(self, agenda: AgendaRead) -> None:
        self.agenda = agenda
        m = agenda.meeting
        self.query_one("#room-info", Static).update(
            t(
                "room.info",
                team=m.team,
                date=f"{m.date:%d.%m.%Y}",
                start=f"{m.start:%H:%M}",
                end=f"{m.end:%H:%M}",
                status=t(f"MeetingStatus.{m.status}"),
                left=sum(1 for i in agenda.items if i.status == "booket"),
            )
        )
        table = self.query_one("#attendance", DataTable)
        table.clear()
        for p in agenda.participants:
            attended = {True: t("doc.yes"), False: t("agenda.absent"), None: "-"}[p.attended]
            table.add_row(
                safe_cell(t(f"Discipline.{p.discipline}")),
                safe_cell(p.name),
                safe_cell(t(f"ParticipantRole.{p.role}")),
                safe_cell(attended),
                key=str(p.id),
            )
        items = self.query_one("#room-agenda", DataTable)
        items.clear()
        for i in agenda.items:
            items.add_row(
                safe_cell(f"{i.start:%H:%M}"),
                safe_cell(i.citizen_name),
                safe_cell(t(f"CaseType.{i.case_type}")),
                safe_cell(t(f"AgendaStatus.{i.status}")),
                key=str(i.id),
            )
        booked = [i for i in agenda.items if i.status == "booket"]
        current = next((i for i in booked if i.id == self.current_item), None)
        if current is None and booked:
            current = booked[0]
        if current is None:
            self.case = None
            self.current_item = None
            self.query_one("#room-clock", Static).update(t("room.no_more_cases"))
            return
        if current.id != self.current_item or self.case is None:
            self.open_case(current)

    def open_case(self, item: AgendaItemRead) -> None:
        from rehabteam.services.meeting_room import open_case

        rulebook = self.ctx.rulebook
        guideline = self.ctx.settings.caseload_max
        self.current_item = item.id
        self._case_started = time.monotonic()
        self.call_service(
            lambda s, v: open_case(
                session=s,
                meeting_id=self.meeting_id,
                item_id=item.id,
                rulebook=rulebook,
                guideline_max=guideline,
                viewer=v,
            ),
            self._build_case,
            write=True,
            group="room-case",
            on_error=self._refused,
        )

    async def _build_case(self, case: RoomCaseRead) -> None:
        self.case = case
        locked = case.indstilling.locked
        panels = self.query_one("#panels", VerticalScroll)
        await panels.remove_children()
        await panels.mount_all([discipline_panel(a, read_only=False) for a in case.assessments])
        for a in case.assessments:
            self.remember(f"a:{a.discipline}", (a.vurdering, a.anbefalede_indsatser), a.version)
        self.query_one("#material", Static).update(self._material_text(case))
        await self._build_indstilling(case)
        came = self.query_one("#citizen-came", Checkbox)
        with came.prevent(Checkbox.Changed):
            came.value = case.item.citizen_present is True
        self.show_state(t("prep.all_saved") if not locked else t("indstilling.locked"))
        self._tick()
        if case.assessments:
            self.query_one(f"#av-{case.assessments[0].discipline}").focus()

    async def _build_indstilling(self, case: RoomCaseRead) -> None:
        form = self.query_one("#indstilling-form", VerticalScroll)
        await form.remove_children()
        settings = self.ctx.settings
        await form.mount_all(
            indstilling_form(
                case.indstilling,
                tuple(IndstillingType(k) for k in case.allowed_types),
                coordinator_options(
                    list(case.caseloads), settings.caseload_min, settings.caseload_max
                ),
                case.months,
            )
        )
        self.remember(
            INDSTILLING, self._indstilling_values_from_read(case), case.indstilling.version
        )
        self._show_type_fields()
        self._show_approval(case.problems, case.warnings)

    def _material_text(self, case: RoomCaseRead) -> str:
        prep = case.preparation
        lines = [
            t(
                "room.material_title",
                name=case.item.citizen_name,
                cpr=case.item.cpr_masked,
                number=case.item.case_number,
            ),
            "",
        ]
        if prep.case.background:
            lines += [t("case.background", text=prep.case.background), ""]
        for f in prep.fields:
            lines += [
                f"▸ {f.label}",
                t("room.material_citizen", text=f.citizen_text or "-"),
                t("room.material_caseworker", text=f.caseworker_text or "-"),
                "",
            ]
        m = prep.medical
        received = f"{m.received_on:%d.%m.%Y}" if m.received_on else "-"
        lines.append(t("room.material_lae265", date=received))
        for part in ("helbredsforhold", "saerlige_hensyn", "borgerperspektiv", "andre_forhold"):
            lines.append(f"  {t(f'lae265.{part}')}: {getattr(m, part) or '-'}")
        return clean_text("\n".join(lines))

    def _show_approval(
        self, problems: tuple[str, ...] | list[str], warnings: tuple[str, ...] | list[str]
    ) -> None:
        if self.case is not None and self.case.indstilling.locked:
            text = t("room.approved", by=self.case.indstilling.approved_by or "-")
        elif problems:
            text = t("room.missing_for_approval") + "\n" + "\n".join(f"• {p}" for p in problems)
        else:
            text = t("room.ready_for_approval")
        if warnings:
            text += "\n\n" + "\n".join(f"! {w}" for w in warnings)
        self.query_one("#approval", Static).update(safe_block(text))

    @on(Select.Changed, "#i-type")
    def _show_type_fields(self) -> None:
        value = self.query("#i-type")
        kind = value.first(Select).value if value else None
        for widget in self.query(".resource-only"):
            widget.display = kind == IndstillingType.RESSOURCEFORLOEB.value
        for widget in self.query(".fp-only"):
            widget.display = kind == IndstillingType.FOERTIDSPENSION.value
        for widget in self.query(".fleksjob-only"):
            widget.display = kind == IndstillingType.FLEKSJOB.value

    @on(Select.Changed, "#i-koordinator")
    @on(Select.Changed, "#i-type")
    def _select_changed(self) -> None:
        if self.case is not None and INDSTILLING in self.dirty_sections():
            self.save_section(INDSTILLING)

    # --- sections (see AutosaveScreen) ---------------------------------------------------

    def all_sections(self) -> list[str]:
        if self.case is None:
            return []
        return [f"a:{a.discipline}" for a in self.case.assessments] + [INDSTILLING]

    def section_of(self, widget_id: str) -> str | None:
        if widget_id.startswith(("av-", "ai-")):
            return f"a:{widget_id.split('-', 1)[1]}"
        if widget_id.startswith("i-"):
            return INDSTILLING
        return None

    def section_label(self, section: str) -> str:
        if section.startswith("a:"):
            return t(f"Discipline.{section[2:]}")
        return t("room.tab_indstilling")

    def error_widget(self, section: str) -> Static:
        if section.startswith("a:"):
            return self.query_one(f"#err-a-{section[2:]}", Static)
        return self.query_one("#err-indstilling", Static)

    def show_state(self, text: str) -> None:
        self.query_one("#save-state", Static).update(text)

    def section_values(self, section: str) -> tuple[Any, ...]:
        if section.startswith("a:"):
            d = section[2:]
            return (self.text_of(f"av-{d}"), self.text_of(f"ai-{d}"))
        kind = self.query_one("#i-type", Select).value
        coordinator = self.query_one("#i-koordinator", Select).value
        texts = tuple(self.text_of(f"i-{name}") for name in ALL_TEXTS)
        interventions = tuple(
            self.text_of(f"i-{a.value}-{p}") for a in InterventionArea for p in INTERVENTION_PARTS
        )
        return (
            kind if isinstance(kind, str) else None,
            self.query_one("#i-varighed", Input).value,
            coordinator if isinstance(coordinator, int) else None,
            *texts,
            *interventions,
        )

    def _indstilling_values_from_read(self, case: RoomCaseRead) -> tuple[Any, ...]:
        ind = case.indstilling
        allowed = set(case.allowed_types)
        coordinators = {c.staff_id for c in case.caseloads}
        by_area = {i.area: i for i in ind.interventions}
        texts = tuple(clean_text(getattr(ind, name)) for name in ALL_TEXTS)
        interventions = tuple(
            clean_text(getattr(by_area[a.value], p)) if a.value in by_area else ""
            for a in InterventionArea
            for p in INTERVENTION_PARTS
        )
        return (
            ind.type if ind.type in allowed else None,
            "" if ind.varighed_maaneder is None else str(ind.varighed_maaneder),
            ind.koordinerende_sagsbehandler_id
            if ind.koordinerende_sagsbehandler_id in coordinators
            else None,
            *texts,
            *interventions,
        )

    def build_save(self, section: str, values: tuple[Any, ...]) -> SaveCall:
        from rehabteam.services.assessments import save_assessment

        assert self.case is not None
        case_id, meeting_id = self.case.item.case_id, self.meeting_id
        if section.startswith("a:"):
            data = AssessmentInput(vurdering=values[0], anbefalede_indsatser=values[1])
            discipline = section[2:]
            return lambda s, viewer, version: save_assessment(
                session=s,
                case_id=case_id,
                meeting_id=meeting_id,
                discipline=discipline,
                data=data,
                expected_version=version,
                viewer=viewer,
            )
        return self._indstilling_save(values)

    def _indstilling_save(self, values: tuple[Any, ...]) -> SaveCall:
        from rehabteam.services.approval import approval_problems
        from rehabteam.services.indstilling import save_draft

        assert self.case is not None
        kind, months, coordinator = values[0], values[1].strip(), values[2]
        names = ALL_TEXTS
        texts = dict(zip(names, values[3 : 3 + len(names)], strict=True))
        rest = values[3 + len(names) :]
        interventions = [
            InterventionInput(
                area=area, **dict(zip(INTERVENTION_PARTS, rest[n * 3 : n * 3 + 3], strict=True))
            )
            for n, area in enumerate(InterventionArea)
        ]
        if months and not months.isdigit():
            raise ValueError(t("indstilling.months_range"))
        data = IndstillingInput(
            type=kind,
            varighed_maaneder=int(months) if months else None,
            koordinerende_sagsbehandler_id=coordinator,
            interventions=interventions,
            **texts,
        )
        draft_id, rulebook = self.case.indstilling.id, self.ctx.rulebook

        def save(session: Any, viewer: Viewer, version: int) -> tuple[Any, list[str], list[str]]:
            read = save_draft(
                session=session,
                indstilling_id=draft_id,
                data=data,
                expected_version=version,
                viewer=viewer,
            )
            problems, warnings = approval_problems(
                session=session, indstilling=read, rulebook=rulebook
            )
            return read, problems, warnings

        return save

    def version_after(self, section: str, outcome: Any) -> int:
        if section == INDSTILLING:
            return int(outcome[0].version)
        return int(outcome.version)

    def after_save(self, section: str, outcome: Any) -> None:
        if section == INDSTILLING and self.case is not None:
            read, problems, warnings = outcome
            self.case = self.case.model_copy(update={"indstilling": read})
            self._show_approval(problems, warnings)

    def other_version_text(self, exc: StaleEdit) -> str:
        shown = {k: v for k, v in exc.theirs.items() if k != "version" and v}
        return (
            t("room.their_version")
            + "\n"
            + "\n".join(f"  {t(f'room.{k}')}: {clean_text(v)}" for k, v in shown.items())
        )

    # --- actions ---------------------------------------------------------------------------

    def _refused(self, exc: UserError) -> None:
        problems = getattr(exc, "problems", [])
        text = str(exc) + ("\n" + "\n".join(f"• {p}" for p in problems) if problems else "")
        self.notify(text, severity="error", timeout=12)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_propose(self) -> None:
        """Fill empty intervention fields from the disciplines' recommendations."""
        from rehabteam.services.indstilling import proposed_interventions

        if self.case is None or self.case.indstilling.locked:
            return
        self.action_save_all()
        case_id = self.case.item.case_id

        def fill(proposals: list[Any]) -> None:
            for p in proposals:
                for part in INTERVENTION_PARTS:
                    widget = self.query_one(f"#i-{p.area}-{part}")
                    value = getattr(p, part)
                    if value and not self.text_of(f"i-{p.area}-{part}").strip():
                        widget.text = value  # type: ignore[attr-defined]
            self.action_tab("tab-indstilling")
            self.save_section(INDSTILLING)

        self.call_service(
            lambda s, v: proposed_interventions(
                session=s, case_id=case_id, meeting_id=self.meeting_id, viewer=v
            ),
            fill,
            group="room-propose",
        )

    def action_approve(self) -> None:
        from rehabteam.services.approval import approve

        if self.case is None:
            return
        if self.dirty_sections() or self._pending:
            self.action_save_all()
            self.set_timer(0.3, self.action_approve)
            return
        draft_id, rulebook = self.case.indstilling.id, self.ctx.rulebook

        def refused(exc: UserError) -> None:
            if isinstance(exc, RuleViolation):
                self._show_approval(exc.problems, [])
                self.action_tab("tab-indstilling")
            self._refused(exc)

        def approved(_read: Any) -> None:
            self.notify(t("room.approved_note"))
            if self.case is not None:
                self.open_case(self.case.item)

        self.call_service(
            lambda s, v: approve(session=s, indstilling_id=draft_id, rulebook=rulebook, viewer=v),
            approved,
            write=True,
            group="room-approve",
            on_error=refused,
        )

    def action_next_case(self) -> None:
        from rehabteam.services.meeting_room import finish_case

        if self.case is None:
            return
        if self.dirty_sections() or self._pending:
            self.action_save_all()
            self.set_timer(0.3, self.action_next_case)
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

        if self.dirty_sections():
            self.action_save_all()
        self.app.push_screen(
            ConfirmPrompt(t("room.close_question", n=left), yes=t("binding.end_meeting")), confirmed
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
        )

    @on(DataTable.RowSelected, "#room-agenda")
    def _jump_to(self, event: DataTable.RowSelected) -> None:
        if self.agenda is None or not event.row_key.value:
            return
        item = next(i for i in self.agenda.items if str(i.id) == event.row_key.value)
        if item.status == "booket" and item.id != self.current_item:
            if self.dirty_sections():
                self.action_save_all()
            self.open_case(item)
            self.action_tab("tab-case")
