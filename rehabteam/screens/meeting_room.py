"""The meeting room: the meeting in progress on the chair's screen (and the referent's).

Tabs: Sag (a panel per discipline beside the case material), Indstilling (the draft, the
koordinerende sagsbehandler with caseload, approval), Fremmøde (check-in), Dagsorden. A clock
shows the current case against its slot. The case itself is handled as in RoomCaseScreen
(screens.room_case); this screen adds the meeting: its status, which reaches the other
workstation within a second or two, the agenda, who came, starting and ending.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, DataTable, Footer, Header, Static, TabbedContent, TabPane

from rehabteam import clock
from rehabteam.errors import UserError
from rehabteam.i18n import t
from rehabteam.models.enums import AgendaStatus, CaseStatus, MeetingStatus
from rehabteam.models.read import AgendaItemRead, AgendaRead, MeetingRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.room_case import RoomCaseScreen
from rehabteam.widgets.agenda_tables import AttendanceTable, RoomAgendaTable
from rehabteam.widgets.room import clock_text, room_info
from rehabteam.widgets.room_panes import CasePane, IndstillingPane, RoomTabs

# Each tab has its key, which works from any focus (priority), like Tab and Shift+Tab: a
# burst of keys after Tab lands in the field Tab moved to, never in the one left.
TABS = {
    "tab-case": ("f3", "room.tab_case"),
    "tab-indstilling": ("f4", "room.tab_indstilling"),
    "tab-attendance": ("f5", "room.tab_attendance"),
    "tab-agenda": ("f6", "room.tab_agenda"),
}
JUST_FOLLOWED = 2.0  # seconds after following a move made elsewhere when Ctrl+N is not taken
WHILE_RUNNING = ("approve", "next_case", "end_meeting", "propose", "undo_start")


class MeetingRoomScreen(RoomCaseScreen):
    CSS_PATH = "meeting_room.tcss"
    BINDINGS = [
        # Priority: taken the moment it arrives, so the keys after it wait for the next
        # screen (FormScreen.check_action leaves it to an open dropdown).
        Binding("escape", "close", t("binding.back"), id="room.close", priority=True),
        Binding("ctrl+s", "save_all", t("binding.save"), id="room.save", priority=True),
        Binding("ctrl+g", "approve", t("binding.approve"), id="room.approve", priority=True),
        Binding("ctrl+n", "next_case", t("binding.next_case"), id="room.next", priority=True),
        *(
            Binding(key, f"tab('{tab}')", t(label), id=f"room.{tab}", priority=True)
            for tab, (key, label) in TABS.items()
        ),
        Binding("ctrl+o", "propose", t("binding.propose"), id="room.propose"),
        Binding("a", "absent", t("binding.absent"), id="room.absent"),
        Binding("ctrl+l", "end_meeting", t("binding.end_meeting"), id="room.end"),
        # Not Ctrl+Z: that undoes typing in the field the cursor is in.
        Binding("f8", "undo_start", t("binding.undo_start"), id="room.undo_start", priority=True),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__(meeting_id)
        self.agenda: AgendaRead | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.loading"), id="room-info", markup=False)
        yield Static("", id="room-clock", markup=False)
        with RoomTabs(initial="tab-case", id="tabs"):
            with TabPane(t("room.tab_case"), id="tab-case"):
                yield CasePane()
            with TabPane(t("room.tab_indstilling"), id="tab-indstilling"):
                yield IndstillingPane()
            with TabPane(t("room.tab_attendance"), id="tab-attendance"):
                yield Checkbox(t("room.citizen_came"), id="citizen-came")
                yield AttendanceTable(id="attendance", zebra_stripes=False)
            with TabPane(t("room.tab_agenda"), id="tab-agenda"):
                yield RoomAgendaTable(id="room-agenda", zebra_stripes=False)
        yield Static("", id="save-state", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1, self._tick)
        self.load(start=True)

    def _tick(self) -> None:
        running = self.agenda is not None and self.agenda.meeting.status is MeetingStatus.I_GANG
        if self.case is not None and running:
            self.query_one("#room-clock", Static).update(
                clock_text(self.case_elapsed(), self.case.item.slot_minutes)
            )

    def _change(self, service: Callable[[Session, Viewer], object], then: Any = None) -> None:
        """A change to the meeting; `then` gets its result (by default the agenda reloads).
        Changes are never dropped for a newer one (not exclusive)."""
        self.call_service(
            service,
            then or (lambda _r: self.load()),
            write=True,
            group="room-change",
            exclusive=False,
        )

    # --- the meeting ---------------------------------------------------------------------

    def load(self, *, start: bool = False) -> None:
        """The agenda; with `start`, the meeting begins (a meeting on another day only once
        the chair has said yes)."""
        from rehabteam.services.agenda import get_agenda

        rulebook, meeting_id = self.ctx.rulebook, self.meeting_id
        opening = self.opens_asked, self.opens_landed
        self.call_service(
            lambda s, v: get_agenda(session=s, meeting_id=meeting_id, rulebook=rulebook, viewer=v),
            lambda agenda: self._agenda_loaded(agenda, start, opening),
            group="room-agenda",
        )

    def _agenda_loaded(self, agenda: AgendaRead, start: bool, opening: tuple[int, int]) -> None:
        asked, landed = opening
        if asked != landed or self.opens_asked != asked:
            # Read while a case was being opened here: the stored current case may be from
            # before that opening, and would take the room back to the case left.
            self.set_timer(0.2, lambda: self.load(start=start))
            return
        if not start or agenda.meeting.status is not MeetingStatus.PLANLAGT:
            self._show_agenda(agenda)
        elif agenda.meeting.date == clock.today():
            self._start()
        else:
            from rehabteam.screens.dialogs.prompts import ConfirmPrompt

            question = t("room.start_other_day", date=f"{agenda.meeting.date:%d.%m.%Y}")
            self.app.push_screen(
                ConfirmPrompt(question, yes=t("room.start_anyway")),
                lambda yes: self._start() if yes else self._show_agenda(agenda),
            )
            self._release_keys()  # the keys typed after "g" answer the question

    def _start(self) -> None:
        from rehabteam.services.meeting_room import start_meeting

        meeting_id = self.meeting_id
        self._change(lambda s, v: start_meeting(session=s, meeting_id=meeting_id, viewer=v))

    def reload_quietly(self) -> None:
        """Someone saved: the meeting's status, the agenda, approvals and the fields the user
        is not typing in follow; no audit entry (the same screen, read again)."""
        self.load()
        if self.case is not None:
            self.open_case(self.case.item, refresh=True)

    def _show_agenda(self, agenda: AgendaRead) -> None:
        self.agenda = agenda
        self.query_one("#room-info", Static).update(room_info(agenda))
        self.query_one(AttendanceTable).show(agenda.participants)
        self.query_one(RoomAgendaTable).show(agenda.items)
        self.refresh_bindings()  # approving, moving on and ending follow the status
        status = agenda.meeting.status
        if status is not MeetingStatus.I_GANG:
            self.query_one("#room-clock", Static).update(
                t("room.not_running", status=t(f"MeetingStatus.{status}").lower())
            )
            return
        # The case being handled stays, also once approved, until it is handled (Ctrl+N
        # here, or on the other workstation while not approved); then the next booked one.
        booked = [i for i in agenda.items if i.status is AgendaStatus.BOOKET]
        current = (
            self._still_current(agenda, agenda.meeting.current_item_id)  # the stored fact
            or self._still_current(agenda, self.current_item)
            or next(iter(booked), None)
        )
        if current is None:
            if self.case is not None:
                self.leave_case()  # the last case was moved on from (here or elsewhere)
                self.show_state("")
            self.current_item = None
            self.query_one("#room-clock", Static).update(t("room.no_more_cases"))
            self._release_keys()  # no case to open: the keys are for the room as it is
        elif current.id != self.current_item or (self.case is None and self.opening is None):
            if self.case is not None and current.id != self.current_item:
                self._follow(current)  # moved on at the other workstation
            else:
                self.open_case(current)  # not again while it is being opened

    @staticmethod
    def _still_current(agenda: AgendaRead, item_id: int | None) -> AgendaItemRead | None:
        return next((i for i in agenda.items if i.id == item_id and still_current(i)), None)

    def action_end_meeting(self) -> None:
        self.after_typing(lambda: self.when_saved(self._ask_to_end))

    def _ask_to_end(self) -> None:
        from rehabteam.screens.dialogs.prompts import ConfirmPrompt
        from rehabteam.services.meeting_room import close_meeting

        items = self.agenda.items if self.agenda else ()
        left = sum(1 for i in items if i.status is AgendaStatus.BOOKET)
        rulebook, meeting_id = self.ctx.rulebook, self.meeting_id

        def closed(moved: list[tuple[int, int | None]]) -> None:
            target = next((m for _, m in moved if m is not None), None)
            if target is None:
                self.notify(t("room.closed", n=len(moved)))
                self.dismiss()
            else:
                self._tell_where_they_went(len(moved), target)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change(
                    lambda s, v: close_meeting(
                        session=s, meeting_id=meeting_id, rulebook=rulebook, viewer=v
                    ),
                    closed,
                )

        question = t("room.close_question", n=left)
        self.app.push_screen(ConfirmPrompt(question, yes=t("binding.end_meeting")), confirmed)

    def _tell_where_they_went(self, n: int, meeting_id: int) -> None:
        """The cases not reached went to the team's next meeting: which, and whether it now
        holds more cases than it has room for (the chair then moves some by hand)."""
        from rehabteam.services.meetings import get_meeting

        def said(next_meeting: MeetingRead) -> None:
            over = next_meeting.case_count > next_meeting.capacity
            self.notify(
                t(
                    "room.closed_moved_over" if over else "room.closed_moved",
                    n=n,
                    date=f"{next_meeting.date:%d.%m.%Y}",
                    count=next_meeting.case_count,
                    capacity=next_meeting.capacity,
                ),
                severity="warning" if over else "information",
                timeout=12,
            )
            self.dismiss()

        def unread(_exc: UserError) -> None:  # closed all the same; say what is known
            self.notify(t("room.closed", n=n))
            self.dismiss()

        self.call_service(
            lambda s, v: get_meeting(session=s, meeting_id=meeting_id, viewer=v),
            said,
            group="room-change",
            exclusive=False,
            on_error=unread,
        )

    def action_undo_start(self) -> None:
        """Undo starting the meeting (started by mistake) while no case has been handled."""
        from rehabteam.services.meeting_room import undo_start

        def undone(_r: object) -> None:
            self.notify(t("room.start_undone"))
            self.dismiss()

        meeting_id = self.meeting_id
        self._change(lambda s, v: undo_start(session=s, meeting_id=meeting_id, viewer=v), undone)

    @on(DataTable.RowSelected, "#attendance")
    def _toggle_attendance(self) -> None:
        from rehabteam.services.meeting_room import check_in

        participant = self.query_one(AttendanceTable).selected
        if participant is not None:
            self._change(lambda s, v: check_in(session=s, participant_id=participant.id, viewer=v))

    def action_absent(self) -> None:
        """A (in the attendance list): the member sent word they cannot come, and why."""
        from rehabteam.screens.dialogs.prompts import TextPrompt
        from rehabteam.services.meeting_room import mark_absent

        participant = self.query_one(AttendanceTable).selected
        if participant is None:
            return
        pid = participant.id
        prompt = TextPrompt(
            t("room.absent_title", name=participant.name),
            t("room.absent_prompt"),
            value=participant.absence_reason,
            max_length=500,
            submit=lambda s, v, reason: mark_absent(
                session=s, participant_id=pid, reason=reason, viewer=v
            ),
        )
        self.app.push_screen(prompt, lambda _done: self.load())

    @on(Checkbox.Changed, "#citizen-came")
    def _citizen_came(self, event: Checkbox.Changed) -> None:
        from rehabteam.services.meeting_room import citizen_present

        if self.case is not None:
            item_id, present = self.case.item.id, event.value
            self._change(
                lambda s, v: citizen_present(session=s, item_id=item_id, present=present, viewer=v),
                lambda _r: None,
            )

    @on(DataTable.RowSelected, "#room-agenda")
    def _jump_to(self) -> None:
        item = self.query_one(RoomAgendaTable).selected
        if item and item.status is AgendaStatus.BOOKET and item.id != self.current_item:

            def jump() -> None:
                self.open_case(item)
                self.action_tab("tab-case")

            self.when_saved(jump)

    def action_next_case(self) -> None:
        if monotonic() - self.followed_at < JUST_FOLLOWED:
            # Pressed as the room followed a move made elsewhere (the wait said "or press
            # Ctrl+N"): meant for the case just left, it would end the one just shown.
            self.notify(t("room.next_after_follow"), severity="warning", timeout=8)
            return
        self.after_typing(lambda: self.when_saved(self.next_case))

    def next_case(self) -> None:
        from rehabteam.services.meeting_room import finish_case

        if self.case is None:
            return
        item_id = self.case.item.id
        self.leave_case()
        self.current_item = None
        self._change(lambda s, v: finish_case(session=s, item_id=item_id, viewer=v))

    def action_tab(self, tab: str) -> None:
        """Show a tab and put the cursor in its first field, whatever had focus before."""
        pane = self.query_one(f"#{tab}", TabPane)
        fields = pane.query("TextArea, Input, Select, DataTable, Checkbox")
        target = next((w for w in fields if w.can_focus and w.display and not w.disabled), None)
        # Focus first: the field's pane then becomes the active tab, and focus never rests
        # in a pane being hidden (from where Textual would move it to a field of its own).
        # At once, not `target.focus()`, which waits in the App's queue behind the keys that
        # came in the same burst: "F4 Tab text" then did the Tab from the old field, and the
        # late focus took the cursor back to the first field in the middle of the text.
        if target is not None:
            self.set_focus(target)
        self.query_one("#tabs", TabbedContent).active = tab

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Approving, moving on and ending only while the meeting runs."""
        if action == "absent":  # on the member the attendance list's cursor is on
            return isinstance(self.focused, AttendanceTable)
        if action in WHILE_RUNNING:
            return self.agenda is not None and self.agenda.meeting.status is MeetingStatus.I_GANG
        return super().check_action(action, parameters)


def still_current(item: AgendaItemRead) -> bool:
    """The case stays on screen while booked, or approved at this meeting until the team
    moves on from it (the chair sees the approval and moves on herself, on any workstation)."""
    approved = item.status is AgendaStatus.BEHANDLET and item.case_status is CaseStatus.INDSTILLET
    return item.status is AgendaStatus.BOOKET or (approved and item.handling_ended_at is None)
