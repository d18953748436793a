"""One meeting's agenda: the booked slots, the participants, the checks to act on before the
agenda is sent, and the cases ready to be booked. Export the dagsorden, mark the material
sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from rehabteam import clock
from rehabteam.i18n import t
from rehabteam.models.enums import AgendaStatus, CaseStatus, MeetingStatus
from rehabteam.models.read import AgendaItemRead, AgendaRead, CaseRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.screens.exporting import Progress, run_export
from rehabteam.widgets.agenda_tables import (
    AgendaItemTable,
    ParticipantTable,
    ReadyTable,
    agenda_info,
)

ROOM_OPENING = 8.0  # seconds at most that keys wait for the room to show its case


class AgendaScreen(ServiceScreen):
    LIVE = True
    CSS_PATH = "agenda.tcss"
    BINDINGS = [
        Binding("escape", "back", t("binding.back"), id="agenda.back"),
        Binding("b", "book", t("binding.book"), id="agenda.book"),
        Binding("ctrl+up", "move(-1)", t("binding.earlier"), id="agenda.earlier"),
        Binding("ctrl+down", "move(1)", t("binding.later"), id="agenda.later"),
        Binding("a", "attendance", t("binding.attendance"), id="agenda.attendance"),
        Binding("u", "postpone", t("binding.postpone"), id="agenda.postpone"),
        Binding("x", "cancel_item", t("binding.cancel_item"), id="agenda.cancel"),
        Binding("f", "move_meeting", t("binding.move_meeting"), id="agenda.move"),
        Binding("d", "add_participant", t("binding.add_participant"), id="agenda.add_p"),
        Binding(
            "delete", "remove_participant", t("binding.remove_participant"), id="agenda.remove_p"
        ),
        Binding("e", "export", t("binding.export_dagsorden"), id="agenda.export"),
        Binding("ctrl+e", "export_all", t("binding.export_all"), id="agenda.export_all"),
        Binding("i", "export_invitation", t("binding.export_invitation"), id="agenda.invite"),
        Binding("k", "export_calendar", t("binding.export_calendar"), id="agenda.calendar"),
        Binding("s", "material_sent", t("binding.material_sent"), id="agenda.sent"),
        Binding("g", "meeting_room", t("binding.meeting_room"), id="agenda.room"),
        Binding("r", "refresh", t("binding.refresh"), id="agenda.refresh"),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.agenda: AgendaRead | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.loading"), id="meeting-info", markup=False)
        with Horizontal(id="agenda-body"):
            with Vertical(id="agenda-main"):
                yield Label(t("agenda.title"), classes="section-title", markup=False)
                yield AgendaItemTable(id="items")
                yield Label(t("agenda.participants"), classes="section-title", markup=False)
                yield ParticipantTable(id="participants", zebra_stripes=False)
            with Vertical(id="agenda-side"):
                yield Label(t("agenda.warnings"), classes="section-title", markup=False)
                yield Static("", id="warnings", markup=False)
                yield Label(t("agenda.ready"), classes="section-title", markup=False)
                yield ReadyTable(id="ready")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(AgendaItemTable).focus()
        self.load()

    # --- loading -----------------------------------------------------------------------

    def load(self) -> None:
        from rehabteam.services.agenda import get_agenda
        from rehabteam.services.cases import list_cases

        rulebook = self.ctx.rulebook
        workdays = self.ctx.settings.material_deadline_workdays

        def fetch(session: Session, viewer: Viewer) -> tuple[AgendaRead, list[CaseRead]]:
            agenda = get_agenda(
                session=session,
                meeting_id=self.meeting_id,
                rulebook=rulebook,
                deadline_workdays=workdays,
                viewer=viewer,
            )
            ready = list_cases(
                session=session, statuses=[CaseStatus.KLAR], limit=200, viewer=viewer
            )
            return agenda, ready

        self.call_service(fetch, self._show, group="agenda-load")

    def _show(self, loaded: tuple[AgendaRead, list[CaseRead]]) -> None:
        agenda, ready = loaded
        self.agenda = agenda
        self.query_one("#meeting-info", Static).update(agenda_info(agenda))
        self.query_one(AgendaItemTable).show(agenda.items)
        self.query_one(ParticipantTable).show(agenda.participants)
        warnings = self.query_one("#warnings", Static)
        warnings.update("\n".join(f"! {w}" for w in agenda.warnings) or t("agenda.no_warnings"))
        warnings.set_class(not agenda.warnings, "clear")
        self.query_one(ReadyTable).show(ready)

    # --- helpers -----------------------------------------------------------------------

    def _selected_item(self) -> AgendaItemRead | None:
        return self.query_one(AgendaItemTable).selected

    def _changed(self, message: str | None = None) -> None:
        if message:
            self.notify(message)
        self.load()

    def _change(
        self, service: Callable[[Session, Viewer], Any], message: Callable[[Any], str] | None = None
    ) -> None:
        """Run a change, then reload the agenda (`message` says what was done); refusals
        are shown as they are."""

        def done(result: object) -> None:
            self._changed(message(result) if message else None)

        self.call_service(service, done, write=True, group="agenda-change")

    def _ask(self, dialog: Screen[Any], message: str | None = None) -> None:
        """A dialog that saves what is typed; once it has, the agenda reloads."""
        self.app.push_screen(dialog, lambda done: None if done is None else self._changed(message))

    # --- actions -----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#ready")
    def _ready_chosen(self) -> None:
        self.action_book()

    def action_book(self) -> None:
        from rehabteam.services.agenda import book_case

        table = self.query_one(ReadyTable)
        if table.selected is None:
            self.notify(t("agenda.nothing_ready"), severity="warning")
            return
        if not table.has_focus:
            self.set_focus(table)
            return
        case_id, rulebook, meeting_id = table.selected.id, self.ctx.rulebook, self.meeting_id
        self._change(
            lambda s, v: book_case(
                session=s, meeting_id=meeting_id, case_id=case_id, rulebook=rulebook, viewer=v
            ),
            self._booked_text,
        )

    def _booked_text(self, item: AgendaItemRead) -> str:
        """What booking did; said at once when the new slot runs past the meeting's end."""
        text = t("agenda.booked", name=item.citizen_name, start=f"{item.start:%H:%M}")
        end = self.agenda.meeting.end if self.agenda else None
        if end is not None and item.end > end:
            text += " " + t(
                "agenda.booked_overrun", end=f"{item.end:%H:%M}", meeting_end=f"{end:%H:%M}"
            )
        return text

    def action_move(self, step: int) -> None:
        from rehabteam.services.agenda import move_up_down

        item = self._selected_item()
        if item is None or item.status is not AgendaStatus.BOOKET:
            return
        # The moved case stays selected: the table keeps its row by id when it is refilled.
        self._change(lambda s, v: move_up_down(session=s, item_id=item.id, step=step, viewer=v))

    def action_postpone(self) -> None:
        self._release_selected("postpone")

    def action_cancel_item(self) -> None:
        self._release_selected("cancel")

    def _release_selected(self, how: str) -> None:
        """Postpone or cancel the selected booked case, with a reason the user types."""
        from rehabteam.services import agenda as service

        item = self._selected_item()
        if item is None or item.status is not AgendaStatus.BOOKET:
            return
        from rehabteam.screens.dialogs.prompts import TextPrompt

        release = service.postpone if how == "postpone" else service.cancel
        rulebook = self.ctx.rulebook
        prompt = TextPrompt(
            t(f"agenda.{how}_title", name=item.citizen_name),
            t("agenda.reason_prompt"),
            submit=lambda s, v, reason: release(
                session=s, item_id=item.id, reason=reason, rulebook=rulebook, viewer=v
            ),
        )
        self._ask(prompt)

    def _pick(
        self,
        title: str,
        options: Callable[[Session, Viewer], list[tuple[str, int]]],
        act: Callable[[Session, Viewer, int], object],
        *,
        empty: str = "",
    ) -> None:
        """Offer what `options` finds; the one picked goes to `act`, then the agenda reloads."""
        from rehabteam.screens.dialogs.prompts import ChoicePrompt

        def offer(found: list[tuple[str, int]]) -> None:
            def picked(value: int | None) -> None:
                if value is not None:
                    self._change(lambda s, v: act(s, v, value))

            self.app.push_screen(ChoicePrompt(title, found, empty=empty), picked)

        self.call_service(options, offer, group="agenda-pick")

    def action_move_meeting(self) -> None:
        """Move the selected booked case to another planned meeting of the team."""
        from rehabteam.services.agenda import move_to_meeting
        from rehabteam.services.meetings import list_meetings

        item = self._selected_item()
        if item is None or item.status is not AgendaStatus.BOOKET or self.agenda is None:
            return
        rulebook, team, here = self.ctx.rulebook, self.agenda.meeting.team_id, self.meeting_id

        def meetings(session: Session, viewer: Viewer) -> list[tuple[str, int]]:
            found = list_meetings(
                session=session, team_id=team, from_date=clock.today(), viewer=viewer
            )
            return [
                (f"{m.date:%d.%m.%Y} {m.start:%H:%M} ({m.case_count}/{m.capacity})", m.id)
                for m in found
                if m.id != here and m.status is MeetingStatus.PLANLAGT
            ]

        self._pick(
            t("agenda.move_title", name=item.citizen_name),
            meetings,
            lambda s, v, target: move_to_meeting(
                session=s, item_id=item.id, to_meeting_id=target, rulebook=rulebook, viewer=v
            ),
            empty=t("agenda.no_other_meetings"),
        )

    def action_attendance(self) -> None:
        from rehabteam.models.inputs import AttendanceInput
        from rehabteam.screens.dialogs.attendance import AttendanceDialog
        from rehabteam.services.agenda import set_attendance

        item = self._selected_item()
        if item is None:
            return
        rulebook = self.ctx.rulebook

        def submit(session: Session, viewer: Viewer, data: AttendanceInput) -> object:
            return set_attendance(
                session=session, item_id=item.id, data=data, rulebook=rulebook, viewer=viewer
            )

        self._ask(AttendanceDialog(item, submit))

    def action_add_participant(self) -> None:
        from rehabteam.services.agenda import add_participant
        from rehabteam.services.staff import list_staff

        present = {p.staff_id for p in self.agenda.participants} if self.agenda else set()
        meeting_id = self.meeting_id

        def staff(session: Session, _viewer: Viewer) -> list[tuple[str, int]]:
            return [
                (f"{s.name} – {t(f'Discipline.{s.discipline}')}", s.id)
                for s in list_staff(session=session)
                if s.id not in present
            ]

        self._pick(
            t("agenda.add_participant_title"),
            staff,
            lambda s, v, staff_id: add_participant(
                session=s, meeting_id=meeting_id, staff_id=staff_id, viewer=v
            ),
        )

    def action_remove_participant(self) -> None:
        from rehabteam.services.agenda import remove_participant

        table = self.query_one(ParticipantTable)
        participant = table.selected
        if not table.has_focus or participant is None:
            return
        self._change(
            lambda s, v: remove_participant(session=s, participant_id=participant.id, viewer=v)
        )

    def action_material_sent(self) -> None:
        from rehabteam.screens.dialogs.prompts import TextPrompt
        from rehabteam.services.agenda import mark_material_sent

        meeting_id = self.meeting_id
        prompt = TextPrompt(
            t("agenda.sent_title"),
            t("agenda.sent_prompt"),
            value=t("agenda.sent_default"),
            submit=lambda s, v, to: mark_material_sent(
                session=s, meeting_id=meeting_id, sent_to=to, viewer=v
            ),
        )
        self._ask(prompt, t("agenda.material_marked"))

    def _export_one(
        self, write: Callable[[Session, Viewer, bool], Path], group: str, note: str = ""
    ) -> None:
        """One file into the export folder, in a worker; asks before replacing a file.
        `note` is said with the file written (an invitation for a meeting too soon)."""

        def export(session: Session, viewer: Viewer, overwrite: bool, _progress: object) -> str:
            return str(write(session, viewer, overwrite))

        def said(path: str) -> str:
            return "\n".join(filter(None, [t("export.done", path=path), note]))

        run_export(self, export, said, group=group)

    def action_export(self) -> None:
        """The dagsorden as .docx into the export folder."""
        from rehabteam.services.exporting import export_dagsorden

        settings, rulebook, meeting_id = self.ctx.settings, self.ctx.rulebook, self.meeting_id
        self._export_one(
            lambda session, viewer, overwrite: export_dagsorden(
                session=session,
                meeting_id=meeting_id,
                folder=settings.effective_export_dir,
                rulebook=rulebook,
                settings=settings,
                overwrite=overwrite,
                viewer=viewer,
            ),
            "agenda-export",
        )

    def action_export_invitation(self) -> None:
        """The selected case's invitation to the citizen as .docx into the export folder."""
        from rehabteam.services.invitation import export_invitation, late_notice

        item = self._selected_item()
        if item is None:
            self.notify(t("agenda.select_case"), severity="warning")
            return
        settings, rulebook, meeting_id = self.ctx.settings, self.ctx.rulebook, self.meeting_id
        case_id = item.case_id
        self._export_one(
            lambda session, viewer, overwrite: export_invitation(
                session=session,
                meeting_id=meeting_id,
                case_id=case_id,
                folder=settings.effective_export_dir,
                settings=settings,
                rulebook=rulebook,
                overwrite=overwrite,
                viewer=viewer,
            ),
            "agenda-invite",
            late_notice(self.agenda.meeting.date, settings) if self.agenda else "",
        )

    def action_export_calendar(self) -> None:
        """The meeting as an .ics calendar file into the export folder."""
        from rehabteam.services.invitation import export_calendar

        folder, meeting_id = self.ctx.settings.effective_export_dir, self.meeting_id
        self._export_one(
            lambda session, viewer, overwrite: export_calendar(
                session=session,
                meeting_id=meeting_id,
                folder=folder,
                overwrite=overwrite,
                viewer=viewer,
            ),
            "agenda-calendar",
        )

    def action_export_all(self) -> None:
        """The dagsorden, every approved indstilling, the letters, the minutes and the
        calendar file into the export folder."""
        from rehabteam.services.documents import export_meeting, meeting_left_out

        settings, rulebook, meeting_id = self.ctx.settings, self.ctx.rulebook, self.meeting_id
        if self.agenda is None:
            return
        folder = settings.effective_export_dir / f"{self.agenda.meeting.date:%Y-%m-%d}"
        from rehabteam.services.documents import referat_draft_warning

        draft = referat_draft_warning(self.agenda.meeting)  # minutes of a meeting not held
        left_out: list[str] = []  # the cases without a file, and why

        def export(
            session: Session, viewer: Viewer, overwrite: bool, progress: Progress | None
        ) -> list[Any]:
            written = export_meeting(
                session=session,
                meeting_id=meeting_id,
                folder=folder,
                settings=settings,
                rulebook=rulebook,
                overwrite=overwrite,
                viewer=viewer,
                progress=progress,
            )
            left_out[:] = meeting_left_out(
                session=session, meeting_id=meeting_id, rulebook=rulebook, viewer=viewer
            )
            return written

        def said(written: list[Any]) -> str:
            done = t("export.meeting_done_short", n=len(written), folder=folder)
            missing = " ".join([t("export.left_out_title"), *left_out]) if left_out else ""
            return " ".join(filter(None, [done, missing, draft]))

        run_export(
            self,
            export,
            said,
            group="agenda-export-all",
            title=t("export.meeting_title"),
        )

    def action_refresh(self) -> None:
        self.load()

    def action_meeting_room(self) -> None:
        from rehabteam.screens.meeting_room import MeetingRoomScreen

        hold = getattr(self.app, "key_hold", None)
        if hold is not None:  # what is typed next is for the room's case, once it is shown
            hold.hold(limit=ROOM_OPENING)
        self.app.push_screen(MeetingRoomScreen(self.meeting_id))

    def on_screen_resume(self) -> None:
        if self.agenda is not None:
            self.load()

    def action_back(self) -> None:
        self.dismiss()
