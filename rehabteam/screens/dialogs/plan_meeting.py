"""Dialog: plan a team meeting. Closes with the planned meeting, or None when cancelled; a
refusal (a meeting that overlaps) keeps everything typed and says so at the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from rehabteam import clock
from rehabteam.errors import user_message
from rehabteam.i18n import t
from rehabteam.models.enums import StaffRole
from rehabteam.models.inputs import GuestInput, MeetingCreate, parse_user_date
from rehabteam.models.read import MeetingRead, StaffRead, TeamRead
from rehabteam.models.viewer import Viewer
from rehabteam.screens.context import AppContext
from rehabteam.screens.dialogs.submit import Submitting
from rehabteam.widgets.inputs import TextEditor, TextInput

Submit = Callable[[Session, Viewer, MeetingCreate], MeetingRead]


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


def parse_clock(value: str) -> time:
    for fmt in ("%H:%M", "%H.%M", "%H%M", "%H"):
        try:
            return datetime.strptime(value.strip(), fmt).time()
        except ValueError:
            continue
    raise ValueError(t("meeting.time_format"))


class PlanMeetingDialog(Submitting, ModalScreen[MeetingRead | None]):
    ERROR_ID = "plan-error"
    CSS_PATH = "plan_meeting.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("binding.cancel"), id="plan.cancel"),
        Binding("ctrl+s", "save", t("binding.save"), id="plan.save"),
    ]

    def __init__(self, submit: Submit, *, team_id: int | None = None) -> None:
        super().__init__()
        self.submit, self.team_id = submit, team_id
        self.teams: list[TeamRead] = []
        self.staff: list[StaffRead] = []

    def compose(self) -> ComposeResult:
        settings = cast(AppContext, self.app).settings
        with VerticalScroll(id="dialog"):
            yield Label(t("plan.title"), classes="section-title", markup=False)
            yield Label(t("plan.team"), markup=False)
            yield Select[int]([], id="team", prompt=t("case.dialog.choose"))
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(t("plan.date"), markup=False)
                    default_day = _next_weekday(clock.today(), 3)
                    yield TextInput(f"{default_day:%d.%m.%Y}", id="date", placeholder="dd.mm.åååå")
                with Vertical():
                    yield Label(t("plan.start"), markup=False)
                    yield TextInput("09:00", id="start", placeholder="tt:mm")
                with Vertical():
                    yield Label(t("plan.end"), markup=False)
                    yield TextInput("14:00", id="end", placeholder="tt:mm")
            yield Static("", id="start-error", classes="field-error", markup=False)
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(t("plan.slot"), markup=False)
                    yield TextInput(str(settings.slot_minutes), id="slot", type="integer")
                with Vertical():
                    yield Label(t("plan.capacity"), markup=False)
                    yield TextInput(str(settings.cases_per_meeting), id="capacity", type="integer")
            yield Label(t("plan.place"), markup=False)
            yield TextInput(id="place", max_length=300)
            yield Label(t("plan.video"), markup=False)
            yield TextInput(id="video", max_length=500)
            yield Label(t("plan.chair"), markup=False)
            yield Select[int]([], id="chair", prompt=t("case.dialog.choose"))
            yield Label(t("plan.referent"), markup=False)
            yield Select[int]([], id="referent", prompt=t("case.dialog.choose"))
            yield Label(t("plan.members"), markup=False)
            yield SelectionList[int](id="members")
            yield Label(t("plan.guests"), markup=False)
            yield TextEditor(id="guests", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="plan-error", classes="field-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(t("plan.save"), id="save", variant="primary")
                yield Button(t("binding.cancel"), id="cancel")

    def on_mount(self) -> None:
        from rehabteam.services.staff import list_staff, list_teams

        def fetch(session: Session, _viewer: Viewer) -> tuple[list[TeamRead], list[StaffRead]]:
            return list_teams(session=session), list_staff(session=session)

        self.call_service(fetch, self._loaded, group="plan-load")
        self.query_one("#date", Input).focus()

    def _loaded(self, loaded: tuple[list[TeamRead], list[StaffRead]]) -> None:
        self.teams, self.staff = loaded
        team = self.query_one("#team", Select)
        team.set_options([(tm.name, tm.id) for tm in self.teams])
        chairs = [s for s in self.staff if StaffRole.MOEDELEDER.value in s.roles] or self.staff
        referents = [s for s in self.staff if StaffRole.REFERENT.value in s.roles] or self.staff
        self.query_one("#chair", Select).set_options([(s.name, s.id) for s in chairs])
        self.query_one("#referent", Select).set_options([(s.name, s.id) for s in referents])
        if chairs:
            self.query_one("#chair", Select).value = chairs[0].id
        if referents:
            self.query_one("#referent", Select).value = referents[0].id
        members = self.query_one("#members", SelectionList)
        members.clear_options()
        members.add_options(
            [(f"{s.name} – {t(f'Discipline.{s.discipline}')}", s.id) for s in self.staff]
        )
        chosen = self.team_id or (self.teams[0].id if self.teams else None)
        if chosen is not None:
            team.value = chosen
            self._team_changed()

    @on(Select.Changed, "#team")
    def _team_changed(self) -> None:
        value = self.query_one("#team", Select).value
        team = next((tm for tm in self.teams if tm.id == value), None)
        if team is None:
            return
        place = self.query_one("#place", Input)
        if not place.value:
            place.value = team.default_place
        members = self.query_one("#members", SelectionList)
        members.deselect_all()
        for staff_id, _discipline in team.members:
            members.select(staff_id)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.cancel()

    def action_save(self) -> None:
        self.clear_errors()
        try:
            team = self.query_one("#team", Select).value
            if not isinstance(team, int):
                raise ValueError(t("input.required", field=t("plan.team")))
            day = parse_user_date(
                self.query_one("#date", Input).value, field="plan.date", allow_future=True
            )
            if day is None:
                raise ValueError(t("input.required", field=t("plan.date")))
            guests = [
                GuestInput(name=name.strip(), organisation=org.strip())
                for line in self.query_one("#guests", TextArea).text.splitlines()
                if line.strip()
                for name, _, org in [line.partition(",")]
            ]
            chair = self.query_one("#chair", Select).value
            referent = self.query_one("#referent", Select).value
            values: dict[str, Any] = {
                "team_id": team,
                "date": day,
                "start_time": parse_clock(self.query_one("#start", Input).value),
                "end_time": parse_clock(self.query_one("#end", Input).value),
                "place": self.query_one("#place", Input).value,
                "video_link": self.query_one("#video", Input).value,
                "chair_id": chair if isinstance(chair, int) else None,
                "referent_id": referent if isinstance(referent, int) else None,
                "slot_minutes": int(self.query_one("#slot", Input).value or 0),
                "capacity": int(self.query_one("#capacity", Input).value or 0),
                "members": [
                    (sid, "") for sid in self.query_one("#members", SelectionList).selected
                ],
                "guests": guests,
            }
            data = MeetingCreate(**values)
        except ValueError as exc:  # a pydantic ValidationError is one too
            self.show_error(user_message(exc))
            return
        submit = self.submit
        self.submit_to(lambda s, v: submit(s, v, data))
