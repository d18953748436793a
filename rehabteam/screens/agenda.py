"""One meeting's agenda: the booked slots, the participants, the checks to act on before the
agenda is sent, and the cases ready to be booked. Export the dagsorden, mark the material
sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Label, Static

from rehabteam import clock
from rehabteam.errors import ExportExists, UserError
from rehabteam.i18n import t
from rehabteam.models.enums import CaseStatus
from rehabteam.models.read import AgendaItemRead, AgendaRead, CaseRead, MeetingRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.base import ServiceScreen
from rehabteam.widgets.safe import safe_cell


class AgendaScreen(ServiceScreen):
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
                yield Label(t("agenda.title"), classes="section-title")
                yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
                yield Label(t("agenda.participants"), classes="section-title")
                yield DataTable(id="participants", cursor_type="row")
            with Vertical(id="agenda-side"):
                yield Label(t("agenda.warnings"), classes="section-title")
                yield Static("", id="warnings", markup=False)
                yield Label(t("agenda.ready"), classes="section-title")
                yield DataTable(id="ready", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        items = self.query_one("#items", DataTable)
        for key in ("time", "citizen", "cpr", "case_type", "sagsbehandler", "attends", "status"):
            items.add_column(t(f"agenda.col.{key}"), key=key)
        participants = self.query_one("#participants", DataTable)
        for key in ("discipline", "name", "role"):
            participants.add_column(t(f"agenda.col.{key}"), key=key)
        ready = self.query_one("#ready", DataTable)
        for key in ("citizen", "case_type", "referral"):
            ready.add_column(t(f"agenda.col.{key}"), key=key)
        items.focus()
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
        m = agenda.meeting
        sent = (
            t("agenda.material_sent", to=agenda.material_sent_to)
            if agenda.material_sent_at
            else t("agenda.material_due", deadline=f"{agenda.material_deadline:%d.%m.%Y}")
        )
        self.query_one("#meeting-info", Static).update(
            t(
                "agenda.info",
                date=f"{m.date:%d.%m.%Y}",
                start=f"{m.start:%H:%M}",
                end=f"{m.end:%H:%M}",
                place=m.place or m.video_link,
                team=m.team,
                chair=m.chair or "-",
                referent=m.referent or "-",
                status=t(f"MeetingStatus.{m.status}"),
                material=sent,
            )
        )
        items = self.query_one("#items", DataTable)
        keep = items.cursor_row
        items.clear()
        for i in agenda.items:
            attends = (
                t("doc.yes") + (f" + {i.bisidder}" if i.bisidder else "")
                if i.citizen_attends
                else t("agenda.absent")
            )
            status = t(f"AgendaStatus.{i.status}")
            if i.status == "booket" and i.missing:
                status = t("agenda.not_ready_short")
            items.add_row(
                safe_cell(f"{i.start:%H:%M}-{i.end:%H:%M}" if i.status == "booket" else ""),
                safe_cell(i.citizen_name),
                safe_cell(i.cpr_masked),
                safe_cell(t(f"CaseType.{i.case_type}")),
                safe_cell(i.sagsbehandler or ""),
                safe_cell(attends),
                safe_cell(status),
                key=str(i.id),
            )
        if agenda.items:
            items.move_cursor(row=min(keep, len(agenda.items) - 1))
        participants = self.query_one("#participants", DataTable)
        participants.clear()
        for p in agenda.participants:
            participants.add_row(
                safe_cell(t(f"Discipline.{p.discipline}")),
                safe_cell(p.name + (f", {p.organisation}" if p.organisation else "")),
                safe_cell(t(f"ParticipantRole.{p.role}")),
                key=str(p.id),
            )
        warnings = self.query_one("#warnings", Static)
        warnings.update("\n".join(f"! {w}" for w in agenda.warnings) or t("agenda.no_warnings"))
        warnings.set_class(not agenda.warnings, "clear")
        table = self.query_one("#ready", DataTable)
        table.clear()
        for c in ready:
            table.add_row(
                safe_cell(f"{c.citizen_name} ({c.cpr_masked})"),
                safe_cell(t(f"CaseType.{c.case_type}")),
                safe_cell(f"{c.referral_date:%d.%m.%Y}"),
                key=str(c.id),
            )

    # --- helpers -----------------------------------------------------------------------

    def _selected_item(self) -> AgendaItemRead | None:
        table = self.query_one("#items", DataTable)
        if self.agenda is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((i for i in self.agenda.items if str(i.id) == key), None)

    def _change(
        self, service: Callable[[Session, Viewer], Any], message: str | None = None
    ) -> None:
        """Run a change, then reload the agenda; refusals are shown as they are."""

        def done(_result: object) -> None:
            if message:
                self.notify(message)
            self.load()

        def refused(exc: UserError) -> None:
            problems = getattr(exc, "problems", [])
            text = str(exc) + ("\n" + "\n".join(f"• {p}" for p in problems) if problems else "")
            self.notify(text, severity="error", timeout=12)

        self.call_service(service, done, write=True, group="agenda-change", on_error=refused)

    # --- actions -----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#ready")
    def _ready_chosen(self) -> None:
        self.action_book()

    def action_book(self) -> None:
        from rehabteam.services.agenda import book_case

        table = self.query_one("#ready", DataTable)
        if not table.row_count:
            self.notify(t("agenda.nothing_ready"), severity="warning")
            return
        if not table.has_focus:
            table.focus()
            return
        case_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)
        rulebook = self.ctx.rulebook

        def booked(item: AgendaItemRead) -> None:
            self.notify(t("agenda.booked", name=item.citizen_name, start=f"{item.start:%H:%M}"))
            self.load()

        self.call_service(
            lambda s, v: book_case(
                session=s,
                meeting_id=self.meeting_id,
                case_id=case_id,
                rulebook=rulebook,
                viewer=v,
            ),
            booked,
            write=True,
            group="agenda-change",
            on_error=lambda exc: self.notify(str(exc), severity="error", timeout=12),
        )

    def action_move(self, step: int) -> None:
        from rehabteam.services.agenda import move_up_down

        item = self._selected_item()
        if item is None or item.status != "booket":
            return
        self._change(lambda s, v: move_up_down(session=s, item_id=item.id, step=step, viewer=v))
        table = self.query_one("#items", DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def _with_reason(self, title: str, act: Callable[[Session, Viewer, str], Any]) -> None:
        from rehabteam.screens.dialogs.prompts import TextPrompt

        def answered(reason: str | None) -> None:
            if reason:
                self._change(lambda s, v: act(s, v, reason))

        self.app.push_screen(TextPrompt(title, t("agenda.reason_prompt")), answered)

    def action_postpone(self) -> None:
        self._release_selected("postpone")

    def action_cancel_item(self) -> None:
        self._release_selected("cancel")

    def _release_selected(self, how: str) -> None:
        """Postpone or cancel the selected booked case, with a reason the user types."""
        from rehabteam.services import agenda as service

        item = self._selected_item()
        if item is None or item.status != "booket":
            return
        release = service.postpone if how == "postpone" else service.cancel
        rulebook = self.ctx.rulebook
        self._with_reason(
            t(f"agenda.{how}_title", name=item.citizen_name),
            lambda s, v, reason: release(
                session=s, item_id=item.id, reason=reason, rulebook=rulebook, viewer=v
            ),
        )

    def action_move_meeting(self) -> None:
        from rehabteam.screens.dialogs.prompts import ChoicePrompt
        from rehabteam.services.agenda import move_to_meeting
        from rehabteam.services.meetings import list_meetings

        item = self._selected_item()
        if item is None or item.status != "booket" or self.agenda is None:
            return
        rulebook, team = self.ctx.rulebook, self.agenda.meeting.team_id

        def choose(meetings: list[MeetingRead]) -> None:
            options = [
                (f"{m.date:%d.%m.%Y} {m.start:%H:%M} ({m.case_count}/{m.capacity})", m.id)
                for m in meetings
                if m.id != self.meeting_id and m.status == "planlagt"
            ]

            def chosen(target: int | None) -> None:
                if target is not None:
                    self._change(
                        lambda s, v: move_to_meeting(
                            session=s,
                            item_id=item.id,
                            to_meeting_id=target,
                            rulebook=rulebook,
                            viewer=v,
                        )
                    )

            self.app.push_screen(
                ChoicePrompt(
                    t("agenda.move_title", name=item.citizen_name),
                    options,
                    empty=t("agenda.no_other_meetings"),
                ),
                chosen,
            )

        self.call_service(
            lambda s, v: list_meetings(session=s, team_id=team, from_date=clock.today(), viewer=v),
            choose,
            group="agenda-meetings",
        )

    def action_attendance(self) -> None:
        from rehabteam.models.inputs import AttendanceInput
        from rehabteam.screens.dialogs.attendance import AttendanceDialog
        from rehabteam.services.agenda import set_attendance

        item = self._selected_item()
        if item is None:
            return
        rulebook = self.ctx.rulebook

        def entered(data: AttendanceInput | None) -> None:
            if data is not None:
                self._change(
                    lambda s, v: set_attendance(
                        session=s, item_id=item.id, data=data, rulebook=rulebook, viewer=v
                    )
                )

        self.app.push_screen(AttendanceDialog(item), entered)

    def action_add_participant(self) -> None:
        from rehabteam.models.read import StaffRead
        from rehabteam.screens.dialogs.prompts import ChoicePrompt
        from rehabteam.services.agenda import add_participant
        from rehabteam.services.staff import list_staff

        present = {p.staff_id for p in self.agenda.participants} if self.agenda else set()

        def choose(staff: list[StaffRead]) -> None:
            options = [
                (f"{s.name} – {t(f'Discipline.{s.discipline}')}", s.id)
                for s in staff
                if s.id not in present
            ]

            def chosen(staff_id: int | None) -> None:
                if staff_id is not None:
                    self._change(
                        lambda s, v: add_participant(
                            session=s, meeting_id=self.meeting_id, staff_id=staff_id, viewer=v
                        )
                    )

            self.app.push_screen(ChoicePrompt(t("agenda.add_participant_title"), options), chosen)

        self.call_service(lambda s, v: list_staff(session=s), choose, group="agenda-staff")

    def action_remove_participant(self) -> None:
        from rehabteam.services.agenda import remove_participant

        table = self.query_one("#participants", DataTable)
        if not table.has_focus or not table.row_count:
            return
        participant = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)
        self._change(
            lambda s, v: remove_participant(session=s, participant_id=participant, viewer=v)
        )

    def action_material_sent(self) -> None:
        from rehabteam.screens.dialogs.prompts import TextPrompt
        from rehabteam.services.agenda import mark_material_sent

        def answered(to: str | None) -> None:
            if to:
                self._change(
                    lambda s, v: mark_material_sent(
                        session=s, meeting_id=self.meeting_id, sent_to=to, viewer=v
                    ),
                    t("agenda.material_marked"),
                )

        self.app.push_screen(
            TextPrompt(
                t("agenda.sent_title"), t("agenda.sent_prompt"), value=t("agenda.sent_default")
            ),
            answered,
        )

    def action_export(self, overwrite: bool = False) -> None:
        from rehabteam.screens.dialogs.prompts import ConfirmPrompt
        from rehabteam.services.exporting import dagsorden_filename, export_dagsorden
        from rehabteam.settings import ensure_private_dir

        settings, rulebook = self.ctx.settings, self.ctx.rulebook
        folder = settings.effective_export_dir

        def export(session: Session, viewer: Viewer) -> str:
            ensure_private_dir(folder)
            name = dagsorden_filename(session=session, meeting_id=self.meeting_id, viewer=viewer)
            return str(
                export_dagsorden(
                    session=session,
                    meeting_id=self.meeting_id,
                    target=folder / name,
                    rulebook=rulebook,
                    settings=settings,
                    overwrite=overwrite,
                    viewer=viewer,
                )
            )

        def refused(exc: UserError) -> None:
            if isinstance(exc, ExportExists) and not overwrite:
                self.app.push_screen(
                    ConfirmPrompt(
                        str(exc) + "\n" + t("export.replace_question"), yes=t("export.replace")
                    ),
                    lambda yes: self.action_export(overwrite=True) if yes else None,
                )
                return
            self.notify(str(exc), severity="error", timeout=12)

        self.call_service(
            export,
            lambda path: self.notify(t("export.done", path=path)),
            write=True,
            group="agenda-export",
            on_error=refused,
        )

    def action_export_all(self, overwrite: bool = False) -> None:
        """Every approved indstilling, the letters and the minutes into the export folder."""
        from rehabteam.screens.dialogs.export_progress import ExportProgress
        from rehabteam.screens.dialogs.prompts import ConfirmPrompt
        from rehabteam.services.documents import export_meeting
        from rehabteam.settings import ensure_private_dir

        settings, rulebook = self.ctx.settings, self.ctx.rulebook
        if self.agenda is None:
            return
        folder = settings.effective_export_dir / f"{self.agenda.meeting.date:%Y-%m-%d}"
        progress = ExportProgress(t("export.meeting_title"))
        self.app.push_screen(progress)

        def run(session: Session, viewer: Viewer) -> list[Any]:
            ensure_private_dir(folder)
            return export_meeting(
                session=session,
                meeting_id=self.meeting_id,
                folder=folder,
                settings=settings,
                rulebook=rulebook,
                overwrite=overwrite,
                viewer=viewer,
                progress=lambda d, n, name: self.app.call_from_thread(progress.advance, d, n, name),
            )

        def done(written: list[Any]) -> None:
            progress.finish(t("export.meeting_done_short", n=len(written), folder=folder))

        def refused(exc: UserError) -> None:
            progress.dismiss(None)
            if isinstance(exc, ExportExists) and not overwrite:
                self.app.push_screen(
                    ConfirmPrompt(
                        str(exc).split(". ")[0] + ".\n" + t("export.replace_question"),
                        yes=t("export.replace"),
                    ),
                    lambda yes: self.action_export_all(overwrite=True) if yes else None,
                )
                return
            self._refused_export(exc)

        self.call_service(run, done, write=True, group="agenda-export-all", on_error=refused)

    def _refused_export(self, exc: UserError) -> None:
        problems = getattr(exc, "problems", [])
        text = str(exc) + ("\n" + "\n".join(f"• {p}" for p in problems) if problems else "")
        self.notify(text, severity="error", timeout=15)

    def action_refresh(self) -> None:
        self.load()

    def action_meeting_room(self) -> None:
        from rehabteam.screens.meeting_room import MeetingRoomScreen

        self.app.push_screen(MeetingRoomScreen(self.meeting_id))

    def on_screen_resume(self) -> None:
        if self.agenda is not None:
            self.load()

    def palette_commands(self) -> list[object]:
        from textual.app import SystemCommand

        return [
            SystemCommand(
                t("binding.meeting_room"), t("command.meeting_room"), self.action_meeting_room
            ),
            SystemCommand(
                t("binding.export_dagsorden"), t("binding.export_dagsorden"), self.action_export
            ),
            SystemCommand(
                t("binding.material_sent"), t("binding.material_sent"), self.action_material_sent
            ),
        ]

    def action_back(self) -> None:
        self.dismiss()
