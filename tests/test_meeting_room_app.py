"""A full meeting by keyboard on the demo data: check-in, five disciplines recorded, a
ressourceforløb of 24 months with a koordinerende sagsbehandler approved, next case, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.widgets import (
    DataTable,
    Input,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TextArea,
)

from rehabteam.app import RehabApp, make_app
from rehabteam.models import (
    AgendaItem,
    Case,
    DisciplineAssessment,
    Indstilling,
    Meeting,
    MeetingParticipant,
    StaffMember,
)
from rehabteam.screens.agenda import AgendaScreen
from rehabteam.screens.dialogs.prompts import ChoicePrompt, ConfirmPrompt, TextPrompt
from rehabteam.screens.meeting_room import MeetingRoomScreen
from rehabteam.settings import Settings
from rehabteam.widgets.room import clock_text
from tests.pilot import demo_rows, rows, settle, until

FIVE = ["beskaeftigelse", "sundhed", "social", "undervisning", "sundhedskoordinator"]


async def open_todays_agenda(app: RehabApp, pilot: Any) -> AgendaScreen:
    """Today's meeting's agenda, from the home screen through the meetings list."""
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    today = next(i for i, r in enumerate(rows(app, "#meetings")) if r.startswith("I dag"))
    app.screen.query_one("#meetings", DataTable).move_cursor(row=today)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, AgendaScreen)
    return app.screen


async def on_attendance_row(room: MeetingRoomScreen, pilot: Any, row: int) -> str:
    """The cursor on a row of Fremmøde (F5), the list focused; its row key (the
    participant's id)."""
    await pilot.press("f5")
    table = room.query_one("#attendance", DataTable)
    room.set_focus(table)
    table.move_cursor(row=row)
    await pilot.pause()
    chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    assert chosen is not None
    return chosen


async def open_todays_room(app: RehabApp, pilot: Any, *, add_uu: bool = True) -> MeetingRoomScreen:
    """Today's meeting room, as the chair opens it: with the UU adviser added (`add_uu`;
    only the chair or a mødeleder of the team may add a participant)."""
    await open_todays_agenda(app, pilot)
    if add_uu:
        # The UU adviser joins, so five disciplines sit at the table.
        await pilot.press("d")
        await settle(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        uu = next(n for n, (text, _) in enumerate(prompt.options) if "Birgitte Vang" in text)
        prompt.query_one("#choices", OptionList).highlighted = uu
        await pilot.press("enter")
        await settle(app, pilot)
    await pilot.press("g")
    await settle(app, pilot)
    assert isinstance(app.screen, MeetingRoomScreen)
    return app.screen


async def open_begrundelse(app: RehabApp, pilot: Any) -> tuple[MeetingRoomScreen, int, TextArea]:
    """Today's room, its indstilling tab, the cursor in begrundelse: (room, draft id, field).
    The cursor is put there at once (`set_focus`), not after the keys already queued."""
    room = await open_todays_room(app, pilot, add_uu=False)
    assert room.case is not None
    await pilot.press("f4")
    await settle(app, pilot)
    begrundelse = room.query_one("#i-begrundelse", TextArea)
    room.set_focus(begrundelse)
    return room, room.case.indstilling.id, begrundelse


async def choose(pilot: Any, select: Select[Any], steps: int) -> None:
    """Pick the option `steps` below the current one, as a user does: open the list, wait
    for it to be shown (Textual's Select opens its list on a later turn of the queue; under
    load, keys sent at once would reach the closed Select), move and take it."""
    select.screen.set_focus(select)
    await pilot.press("enter")
    await until(pilot, lambda: select.expanded and select.screen.focused is not select)
    await pilot.press(*["down"] * steps, "enter")


async def test_a_full_meeting() -> None:
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot)
        meeting_id = room.meeting_id
        assert room.case is not None and room.case.item.citizen_name == "Hans Jørgensen"
        # Check-in: every participant present, the citizen came.
        await pilot.press("f5")
        table = room.query_one("#attendance", DataTable)
        table.focus()
        for n in range(table.row_count):
            table.move_cursor(row=n)
            await pilot.press("enter")
            await settle(app, pilot)
        room.query_one("#citizen-came").focus()
        await pilot.pause()
        await pilot.press("space")
        await settle(app, pilot)
        # Each discipline types its vurdering and anbefalede indsatser.
        await pilot.press("f3")
        assert [a.discipline for a in room.case.assessments] == FIVE
        await pilot.pause()
        room.query_one("#av-beskaeftigelse", TextArea).focus()
        await pilot.pause()
        for d in FIVE:
            assert app.focused is room.query_one(f"#av-{d}", TextArea)
            await pilot.press(*f"Vurdering {d}", "tab", *f"Mentor {d}", "tab")
            await settle(app, pilot)
        # The indstilling: a ressourceforløb of 24 months with Ida as koordinerende.
        await pilot.press("f4")
        await settle(app, pilot)
        await choose(pilot, room.query_one("#i-type", Select), 1)
        await settle(app, pilot)
        assert room.query_one("#i-type", Select).value == "ressourceforloeb"
        room.query_one("#i-begrundelse", TextArea).focus()
        await pilot.pause()
        await pilot.press(
            *"Helhedsorienteret indsats", "tab", *"Gode muligheder", "tab", *"Job med dyr", "tab"
        )
        assert app.focused is room.query_one("#i-varighed", Input)
        await pilot.press(*"24", "tab")
        await choose(pilot, room.query_one("#i-koordinator", Select), 1)
        await settle(app, pilot)
        ida = demo_rows(StaffMember, initials="IH")[0]
        assert room.query_one("#i-koordinator", Select).value == ida.id
        await pilot.press("ctrl+o")  # interventions proposed from the disciplines
        await settle(app, pilot)
        assert "Mentor" in room.query_one("#i-mentor-indhold", TextArea).text
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await pilot.pause(0.5)
        await settle(app, pilot)
        approved = demo_rows(Indstilling, status="godkendt", meeting_id=meeting_id)
        hans_case = room.case.item.case_id if room.case else None
        assert any(i.case_id == hans_case and i.varighed_maaneder == 24 for i in approved)
        assert "Godkendt af Mette Lund" in str(room.query_one("#approval", Static).render())
        # Next case, then close: the cases not reached are postponed, never dropped.
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert room.case is not None and room.case.item.case_id != hans_case
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("tab", "enter")  # "Afslut mødet"
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
        said = [n.message for n in app._notifications]
    meeting = demo_rows(Meeting, id=meeting_id)[0]
    assert meeting.status == "afholdt"
    assessments = demo_rows(DisciplineAssessment, meeting_id=meeting_id, case_id=hans_case)
    assert sorted(a.discipline for a in assessments) == sorted(FIVE)
    assert all(a.vurdering.startswith("Vurdering") for a in assessments)
    assert all(p.attended for p in demo_rows(MeetingParticipant, meeting_id=meeting_id))
    items = demo_rows(AgendaItem, meeting_id=meeting_id)
    # Hans was handled; the case opened next and the three after it were not reached.
    assert sorted(i.status for i in items) == ["behandlet", "udsat", "udsat", "udsat", "udsat"]
    assert demo_rows(Case, id=hans_case)[0].status == "indstillet"
    # The two not reached went to next week's meeting.
    later = next(m for m in demo_rows(Meeting) if m.date > date.today())
    booked_later = {i.case_id for i in demo_rows(AgendaItem, meeting_id=later.id, status="booket")}
    postponed = {i.case_id for i in items if i.status == "udsat"}
    assert postponed and postponed <= booked_later
    # The chair is told where they went, and that that meeting is now over its capacity.
    where = f"{later.date:%d.%m.%Y}"
    full = f"{len(booked_later)} sager og plads til {later.capacity}"
    assert any(where in m and full in m for m in said), said


async def test_approval_is_refused_with_a_list_of_what_is_missing() -> None:
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        await choose(pilot, room.query_one("#i-type", Select), 4)  # førtidspension
        await settle(app, pilot)
        assert room.query_one("#i-type", Select).value == "foertidspension"
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await pilot.pause(0.4)
        text = str(room.query_one("#approval", Static).render())
        assert "væsentligt og varigt nedsat" in text and "Sundhedskoordinatorens vurdering" in text
        assert room.case is not None
        case_id = room.case.item.case_id
    assert [i.status for i in demo_rows(Indstilling, case_id=case_id)] == ["kladde"]


def test_the_clock_shows_the_phase_and_overtime() -> None:
    assert clock_text(5 * 60, 60).startswith("Formøde")
    assert clock_text(25 * 60, 60).startswith("Dialog med borgeren")
    assert clock_text(50 * 60, 60).startswith("Eftermøde")
    assert "OVER TID med 5 min." in clock_text(65 * 60, 60)


async def test_a_member_who_is_not_the_chair_cannot_approve() -> None:
    # Jonas Berg, the referent, runs the room with the chair but may not approve.
    app = make_app(Settings(user="JB"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        assert room.case is not None
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await pilot.pause(0.4)
        messages = [n.message for n in app._notifications]
        assert any(
            "Kun mødets mødeleder (eller en mødeleder i teamet) kan godkende" in m for m in messages
        )
        case_id = room.case.item.case_id
    assert [i.status for i in demo_rows(Indstilling, case_id=case_id)] == ["kladde"]
    # Lene Dahl, sundhed, a member of the team: she may not even run the meeting room.
    app = make_app(Settings(user="LD"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await pilot.pause(0.4)
        messages = [n.message for n in app._notifications]
        assert any("Kun mødets mødeleder og referent" in m for m in messages)
        assert room.case is None
    today = next(m for m in demo_rows(Meeting) if m.date == date.today())
    assert demo_rows(Indstilling, meeting_id=today.id, status="godkendt") == []


async def test_every_tab_key_works_from_any_focus_and_lands_in_its_first_field() -> None:
    """Issue 15, finding 8: F3/F4/F6 from the attendance table; after F4 -> F3 the first
    Tab goes to a field one can see, and what is typed there stays."""
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        tabs = room.query_one("#tabs", TabbedContent)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.focused is room.query_one("#citizen-came")
        room.query_one("#attendance", DataTable).focus()
        for key, tab, first in (
            ("f3", "tab-case", "#av-beskaeftigelse"),
            ("f4", "tab-indstilling", "#i-type"),
            ("f6", "tab-agenda", "#room-agenda"),
            ("f5", "tab-attendance", "#citizen-came"),
        ):
            await pilot.press(key)
            await settle(app, pilot)
            assert tabs.active == tab
            assert app.focused is room.query_one(first)
        await pilot.press("f4", "f3")
        await settle(app, pilot)
        await pilot.press("tab", *"Første linje")
        focused = app.focused
        assert isinstance(focused, TextArea) and focused.display and focused.region.area > 0
        assert focused.text.endswith("Første linje")
        assert focused.id == "ai-beskaeftigelse"


async def test_the_attendance_list_keeps_the_person_after_a_check_in() -> None:
    """Issue 15, finding 7: Enter checks the selected person in; the list is read again and
    the cursor stays on that person (by id), so the next Enter is for them too."""
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        await pilot.press("f5")
        table = room.query_one("#attendance", DataTable)
        table.focus()
        table.move_cursor(row=2)
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert chosen is not None
        await pilot.press("enter")
        await settle(app, pilot)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen
        assert str(table.get_row(chosen)[3]) == "Ja"
        await pilot.press("enter")  # the same person again: checked out
        await settle(app, pilot)
        assert str(table.get_row(chosen)[3]) == "Nej"
        await pilot.press("enter", "enter")  # two quick presses are two changes
        await settle(app, pilot)
        assert str(table.get_row(chosen)[3]) == "Nej"
        await pilot.press("enter", "enter", "enter")
        await settle(app, pilot)
        assert str(table.get_row(chosen)[3]) == "Ja"


async def test_a_member_is_marked_absent_with_a_reason_from_the_attendance_list() -> None:
    """`a` on a member in Fremmøde asks why (afbud); the list shows it, and the key is
    only active there (typed in a field, "a" is a letter)."""
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        assert room.check_action("absent", ()) is False
        chosen = await on_attendance_row(room, pilot, 1)
        table = room.query_one("#attendance", DataTable)
        assert room.check_action("absent", ()) is True
        await pilot.press("a")
        await settle(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        await pilot.press(*"Kursus", "enter")
        await settle(app, pilot)
        assert app.screen is not prompt and isinstance(app.screen, MeetingRoomScreen)
        assert str(table.get_row(chosen)[3]) == "Afbud: Kursus"
        stored = demo_rows(MeetingParticipant, id=int(chosen))[0]
        assert stored.attended is False and stored.absence_reason == "Kursus"


async def test_a_meeting_on_another_day_asks_before_it_starts_and_can_be_undone() -> None:
    """Issue 15, finding 9: starting next week's meeting asks first; started by mistake,
    F8 undoes it while no case has been handled."""
    app = make_app(Settings(user="ML"), demo=True)
    async with app.run_test(size=(180, 60)) as pilot:
        await settle(app, pilot)
        later = min((m for m in demo_rows(Meeting) if m.date > date.today()), key=lambda m: m.date)
        app.push_screen(AgendaScreen(later.id))
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("enter")  # the default answer: no
        await settle(app, pilot)
        room = app.screen
        assert isinstance(room, MeetingRoomScreen)
        assert demo_rows(Meeting, id=later.id)[0].status == "planlagt"
        assert room.check_action("approve", ()) is False
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("tab", "enter")  # "Start alligevel"
        await settle(app, pilot)
        assert demo_rows(Meeting, id=later.id)[0].status == "i_gang"
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
    assert demo_rows(Meeting, id=later.id)[0].status == "planlagt"
