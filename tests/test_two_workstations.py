"""Issue 15: two workstations on one database. The app under test is one; the other is a
second connection saving through the same services, as the other app would. What the other
saves reaches this screen within two seconds; nothing either saves blanks or reverts a
field the other wrote; the chair approves only what she sees."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from textual.widgets import Static, TextArea

from rehabteam.app import RehabApp, make_app
from rehabteam.db import make_engine, session_scope
from rehabteam.models import Case, Indstilling, PreparationField, StaffMember
from rehabteam.models.enums import MeetingStatus
from rehabteam.models.inputs import IndstillingInput, PreparationFieldInput
from rehabteam.rules import load_rulebook
from rehabteam.screens.dialogs.unsaved import UnsavedChangesDialog
from rehabteam.screens.preparation import PreparationScreen
from rehabteam.services.startup import demo_database_url
from rehabteam.settings import Settings
from tests.people import as_staff
from tests.pilot import settle, shown, until
from tests.test_meeting_room_app import open_begrundelse, open_todays_room

LIVE = 2.0  # seconds within which the other workstation's save shows


@dataclass
class Workstations:
    """This app, as `me`, and the other workstation: `other(initials)` is that person's
    connection (on PostgreSQL their own login), `store` reads what is stored."""

    app: RehabApp
    engines: dict[str, Engine]
    store: Engine
    pg_urls: dict[str, str] | None = None

    def other(self, initials: str) -> Engine:
        if initials not in self.engines:
            assert self.pg_urls is not None
            self.engines[initials] = make_engine(self.pg_urls[initials])
        return self.engines[initials]

    def rows(self, model: type, **where: object) -> list[Any]:
        with session_scope(self.store) as session:
            stmt: Any = select(model)
            for key, value in where.items():
                stmt = stmt.where(getattr(model, key) == value)
            return list(session.exec(stmt).all())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two(request: pytest.FixtureRequest) -> Iterator[Workstations]:
    """ML at this app; the others at another workstation, on the demo SQLite file or on the
    shared PostgreSQL database with a login each."""
    if request.param == "sqlite":
        app = make_app(Settings(user="ML"), demo=True)
        engine = make_engine(demo_database_url())
        stations = Workstations(app, {}, engine)
        stations.engines = dict.fromkeys(("JB", "SK", "IH", "ML", "LD", "AP"), engine)
        yield stations
        engine.dispose()
        return
    team = request.getfixturevalue("team")
    app = make_app(Settings(database_url=team.url("ML")))
    yield Workstations(app, {}, team.owner, {who: team.url(who) for who in team.logins})


def note_text(screen: Any, field_id: str) -> str:
    """The note under a field (another person's text), or "" while hidden."""
    area = screen.query_one(f"#{field_id}", TextArea)
    note = area.parent.query_one(".field-note", Static)
    return str(note.render()) if note.display else ""


def save_prep_as(two: Workstations, initials: str, case_id: int, key: str, **texts: str) -> Any:
    """`initials` saves parts of one preparation field from what is stored now."""
    from rehabteam.services.preparation import save_field

    rows = two.rows(PreparationField, case_id=case_id, field_key=key)
    base = {name: getattr(rows[0], name) if rows else "" for name in texts}
    with session_scope(two.other(initials), write=True) as session:
        return save_field(
            session=session,
            case_id=case_id,
            field_key=key,
            data=PreparationFieldInput(**texts),
            base=base,
            rulebook=load_rulebook(),
            viewer=as_staff(session, initials),
        )


async def open_preparation(two: Workstations, pilot: Any) -> PreparationScreen:
    app = two.app
    await settle(app, pilot)
    case = min(two.rows(Case, status="forberedelse"), key=lambda c: c.id)
    app.push_screen(PreparationScreen(case.id))
    await settle(app, pilot)
    assert isinstance(app.screen, PreparationScreen)
    return app.screen


async def test_the_other_workstations_field_shows_and_no_field_is_lost(two: Workstations) -> None:
    """Finding 1 and "what others changed appears on screen", in the preparation."""
    app = two.app
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_preparation(two, pilot)
        assert screen.read is not None
        case_id = screen.case_id
        first, second = screen.read.fields[0].key, screen.read.fields[1].key
        sagsbehandler = two.rows(Case, id=case_id)[0].sagsbehandler_id
        sb = two.rows(StaffMember, id=sagsbehandler)[0].initials
        # An untouched field follows the other workstation within two seconds.
        save_prep_as(two, sb, case_id, first, caseworker_text="Skrevet på den anden pc")
        area = screen.query_one(f"#w-{first}", TextArea)
        await until(pilot, lambda: area.text == "Skrevet på den anden pc", LIVE)
        assert area.text == "Skrevet på den anden pc"
        # A field I am typing in keeps my text and shows theirs beside it.
        mine = screen.query_one(f"#w-{second}", TextArea)
        mine.focus()
        await pilot.press("end", *" Mit udkast")
        typed = mine.text
        save_prep_as(two, sb, case_id, second, caseworker_text="Deres version")
        await until(pilot, lambda: "Deres version" in note_text(screen, f"w-{second}"), LIVE)
        assert mine.text == typed
        assert "har ændret feltet" in note_text(screen, f"w-{second}")
        assert "Deres version" in note_text(screen, f"w-{second}")
        # Saving my field is refused for that field only; the other field is untouched.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = {f.field_key: f for f in two.rows(PreparationField, case_id=case_id)}
        assert stored[second].caseworker_text == "Deres version"
        assert stored[first].caseworker_text == "Skrevet på den anden pc"
        assert "Ikke gemt" in note_text(screen, f"w-{second}")
        # Ctrl+S again saves my text deliberately, still without touching the first field.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    stored = {f.field_key: f for f in two.rows(PreparationField, case_id=case_id)}
    assert stored[second].caseworker_text == typed
    assert stored[first].caseworker_text == "Skrevet på den anden pc"


async def test_ctrl_t_takes_the_other_text_and_ctrl_q_asks_before_quitting(
    two: Workstations,
) -> None:
    """Finding 4: Ctrl+Q with unsaved text asks, like Escape; staying keeps the text."""
    app = two.app
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_preparation(two, pilot)
        assert screen.read is not None
        key = screen.read.fields[2].key
        area = screen.query_one(f"#c-{key}", TextArea)
        area.focus()
        await pilot.press("end", *" halvfærdig sætning")
        typed = area.text
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # stay
        assert shown(app) is screen and area.text == typed and app.is_running
        # Someone else saves that field meanwhile; Ctrl+T takes their text instead of mine.
        sb = two.rows(StaffMember, id=two.rows(Case, id=screen.case_id)[0].sagsbehandler_id)
        save_prep_as(two, sb[0].initials, screen.case_id, key, citizen_text="Borgerens ord")
        await until(pilot, lambda: "Borgerens ord" in note_text(screen, f"c-{key}"), LIVE)
        await pilot.press("ctrl+t")
        assert area.text == "Borgerens ord" and note_text(screen, f"c-{key}") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("ctrl+q")  # nothing unsaved now: quits at once
        await pilot.pause()
        assert app.return_code == 0
    assert (
        two.rows(PreparationField, case_id=screen.case_id, field_key=key)[0].citizen_text
        == "Borgerens ord"
    )


def save_draft_as(two: Workstations, initials: str, draft_id: int, **values: Any) -> Any:
    """`initials` saves fields of the draft from what they read when they opened it
    (`base` given per field as `old_<name>`), the way a stale screen would."""
    from rehabteam.services.indstilling import save_draft

    base = {name: values.pop(f"old_{name}") for name in list(values) if f"old_{name}" in values}
    with session_scope(two.other(initials), write=True) as session:
        return save_draft(
            session=session,
            indstilling_id=draft_id,
            data=IndstillingInput(**values),
            base=base,
            viewer=as_staff(session, initials),
        )


async def test_the_referents_resave_keeps_the_chairs_begrundelse_and_she_sees_his(
    two: Workstations,
) -> None:
    """Findings 1 and 2 in the meeting room: ML (chair, this app) and JB (referent, the
    other workstation) on the same draft."""
    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room, draft_id, begrundelse = await open_begrundelse(app, pilot)
        await pilot.press(*"Mettes begrundelse", "tab")  # leaving the field saves it
        await settle(app, pilot)
        assert two.rows(Indstilling, id=draft_id)[0].begrundelse == "Mettes begrundelse"
        # JB's screen was opened before that: he saves vurdering from an empty start.
        save_draft_as(two, "JB", draft_id, vurdering="Jespers vurdering", old_vurdering="")
        stored = two.rows(Indstilling, id=draft_id)[0]
        assert stored.begrundelse == "Mettes begrundelse"  # not blanked by his stale copy
        vurdering = room.query_one("#i-vurdering", TextArea)
        await until(pilot, lambda: vurdering.text == "Jespers vurdering", LIVE)
        assert vurdering.text == "Jespers vurdering"  # on her screen within two seconds
        # He then changes her begrundelse deliberately; her screen follows (she is not in it).
        save_draft_as(
            two,
            "JB",
            draft_id,
            begrundelse="Jespers begrundelse",
            old_begrundelse="Mettes begrundelse",
        )
        await until(pilot, lambda: begrundelse.text == "Jespers begrundelse", LIVE)
        assert begrundelse.text == "Jespers begrundelse"
        # While she types in it, his next change shows beside her text; approving now sends
        # what she sees, which is not what is stored: refused, nothing approved.
        begrundelse.focus()
        await pilot.press("end", *" og Mettes tilføjelse")
        save_draft_as(
            two,
            "JB",
            draft_id,
            begrundelse="Tredje version",
            old_begrundelse="Jespers begrundelse",
        )
        await until(pilot, lambda: "Tredje version" in note_text(room, "i-begrundelse"), LIVE)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert two.rows(Indstilling, id=draft_id)[0].status == "kladde"
        assert begrundelse.text == "Jespers begrundelse og Mettes tilføjelse"


async def test_a_meeting_ended_elsewhere_stops_approval_here(
    two: Workstations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 9: the meeting ended on another workstation; this one follows, and the
    case's clock stops."""
    from rehabteam import clock
    from rehabteam.services.meeting_room import close_meeting

    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        assert room.agenda is not None and room.agenda.meeting.status is MeetingStatus.I_GANG
        assert room.check_action("approve", ()) is True
        with session_scope(two.other("ML"), write=True) as session:
            close_meeting(
                session=session,
                meeting_id=room.meeting_id,
                rulebook=load_rulebook(),
                viewer=as_staff(session, "ML"),
            )
        await until(
            pilot,
            lambda: room.agenda is not None and room.agenda.meeting.status is MeetingStatus.AFHOLDT,
            LIVE,
        )
        assert room.agenda is not None and room.agenda.meeting.status.value == "afholdt"
        assert "Afholdt" in str(room.query_one("#room-info", Static).render())
        assert room.check_action("approve", ()) is False
        assert "ctrl+g" not in {k for k, b in room.active_bindings.items() if b.enabled}
        shown_clock = str(room.query_one("#room-clock", Static).render())
        later = clock.monotonic() + 900
        monkeypatch.setattr(clock, "monotonic", lambda: later)
        await pilot.pause(1.2)  # the clock ticks every second
        assert str(room.query_one("#room-clock", Static).render()) == shown_clock


async def test_a_refused_field_waits_for_my_choice_in_the_preparation(two: Workstations) -> None:
    """The tester's finding on the fix: refused once, leaving the field again must not
    save my stale text over theirs; only Ctrl+S (mine) or Ctrl+T (theirs) decides."""
    app = two.app
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_preparation(two, pilot)
        assert screen.read is not None
        key = screen.read.fields[1].key
        sb = two.rows(StaffMember, id=two.rows(Case, id=screen.case_id)[0].sagsbehandler_id)
        mine = screen.query_one(f"#w-{key}", TextArea)
        mine.focus()
        await pilot.press("end", *" mit udkast")
        typed = mine.text
        save_prep_as(two, sb[0].initials, screen.case_id, key, caseworker_text="Deres tekst")
        await until(pilot, lambda: "Deres tekst" in note_text(screen, f"w-{key}"), LIVE)
        for _ in range(2):  # leave the field, come back, leave again
            await pilot.press("tab")
            await settle(app, pilot)
            stored = two.rows(PreparationField, case_id=screen.case_id, field_key=key)[0]
            assert stored.caseworker_text == "Deres tekst"
            assert mine.text == typed and "Ikke gemt" in note_text(screen, f"w-{key}")
            await pilot.press("shift+tab")
        assert "venter på dit valg" in str(screen.query_one("#save-state", Static).render())
        # Ctrl+T from another field goes to the one with their text and says so; it does
        # not replace a text the user is not looking at.
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.focused is mine and mine.text == typed
        assert "Ctrl+T igen" in str(screen.query_one("#save-state", Static).render())
        await pilot.press("ctrl+s")  # deliberately mine
        await settle(app, pilot)
    stored = two.rows(PreparationField, case_id=screen.case_id, field_key=key)[0]
    assert stored.caseworker_text == typed


async def test_the_current_case_is_the_same_on_every_workstation(two: Workstations) -> None:
    """Hostile re-test, two workstations in tmux: the referent jumped to another case from
    the agenda; the chair's screen stayed on the first, and after she left the room and came
    back it showed yet another (each workstation worked out "current" for itself). The case
    being handled is one stored fact of the meeting: opened anywhere by whoever runs the
    meeting, every room shows it, also after leaving and entering again."""
    from rehabteam.models import AgendaItem
    from rehabteam.services.meeting_room import open_case

    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        assert room.case is not None and room.agenda is not None
        first = room.case.item
        booked = [i for i in room.agenda.items if i.status == "booket" and i.id != first.id]
        third = booked[1]
        with session_scope(two.other("JB"), write=True) as session:  # JB: Enter on its row
            open_case(
                session=session,
                meeting_id=room.meeting_id,
                item_id=third.id,
                rulebook=load_rulebook(),
                viewer=as_staff(session, "JB"),
            )
        await until(pilot, lambda: room.case is not None and room.case.item.id == third.id, 10)
        assert room.case is not None and room.case.item.id == third.id
        # Told which case, and nothing about text she never typed (tester: "Det, du skrev
        # i sag … er gemt" after a jump, with nothing typed).
        said = [n.message for n in app._notifications]
        assert any(f"gik videre til sag {third.case_number}" in m for m in said), said
        assert not any("Det, du skrev" in m for m in said), said
        # ML approves it there, as an approval leaves it (behandlet, indstillet) ...
        with session_scope(two.store, write=True) as session:
            item, case = session.get(AgendaItem, third.id), session.get(Case, third.case_id)
            assert item is not None and case is not None
            item.status, case.status = "behandlet", "indstillet"
            session.add_all([item, case])
        await pilot.press("escape")  # ... leaves the room and comes back: the same case
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        room = app.screen  # type: ignore[assignment]
        assert room.case is not None and room.case.item.id == third.id, room.case


async def test_a_refused_field_in_the_room_stops_approval_until_chosen(two: Workstations) -> None:
    """The same in the meeting room: after a refusal, leaving again does not overwrite,
    and Ctrl+G says to choose first instead of approving."""
    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room, draft_id, begrundelse = await open_begrundelse(app, pilot)
        await pilot.press("end", *" Mettes udkast")
        old = two.rows(Indstilling, id=draft_id)[0].begrundelse
        save_draft_as(two, "JB", draft_id, begrundelse="Jespers tekst", old_begrundelse=old)
        await until(pilot, lambda: "Jespers tekst" in note_text(room, "i-begrundelse"), LIVE)
        for _ in range(2):
            await pilot.press("tab")
            await settle(app, pilot)
            assert two.rows(Indstilling, id=draft_id)[0].begrundelse == "Jespers tekst"
            await pilot.press("shift+tab")
        assert app.focused is begrundelse
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert two.rows(Indstilling, id=draft_id)[0].status == "kladde"
        assert two.rows(Indstilling, id=draft_id)[0].begrundelse == "Jespers tekst"
        assert any("vælg først" in n.message for n in app._notifications)
        await pilot.press("ctrl+t")  # take his
        assert begrundelse.text == "Jespers tekst"
        assert note_text(room, "i-begrundelse") == ""


async def test_the_case_moves_on_when_the_other_workstation_moves_on(two: Workstations) -> None:
    """Ctrl+N pressed by the referent: the chair's room follows to the next booked case."""
    from rehabteam.services.meeting_room import finish_case

    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        assert room.case is not None
        first = room.case.item
        with session_scope(two.other("JB"), write=True) as session:
            finish_case(session=session, item_id=first.id, viewer=as_staff(session, "JB"))
        await until(pilot, lambda: room.case is not None and room.case.item.id != first.id, LIVE)
        assert room.case is not None and room.case.item.id != first.id
        assert room.case.item.citizen_name != first.citizen_name


async def test_an_approved_case_moved_on_elsewhere_moves_on_here(two: Workstations) -> None:
    """Re-test finding: approved, the case stays on the chair's screen (she sees the
    approval); when the team moves on from it at the other workstation, hers follows too."""
    from rehabteam.models import AgendaItem
    from rehabteam.services.meeting_room import finish_case

    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room = await open_todays_room(app, pilot, add_uu=False)
        assert room.case is not None
        first = room.case.item
        with session_scope(two.store, write=True) as session:  # as an approval leaves them
            item, case = session.get(AgendaItem, first.id), session.get(Case, first.case_id)
            assert item is not None and case is not None
            item.status, case.status = "behandlet", "indstillet"
            session.add_all([item, case])
        room.reload_quietly()
        await settle(app, pilot)
        assert room.case is not None and room.case.item.id == first.id  # still on screen
        with session_scope(two.other("JB"), write=True) as session:
            finish_case(session=session, item_id=first.id, viewer=as_staff(session, "JB"))
        await until(pilot, lambda: room.case is not None and room.case.item.id != first.id, LIVE)
        assert room.case is not None and room.case.item.id != first.id


async def test_leaving_with_a_clash_names_the_field_and_whose_text_would_be_replaced(
    two: Workstations,
) -> None:
    """Hostile re-test: Escape with a refused field (JB changed it while ML typed), then
    "Gem og luk", replaced JB's text with ML's without a word: the question named only the
    section ("Indstilling"). It now names each field changed and, for the clash, who wrote
    the text that saving would replace; the save button says it is her text."""
    app = two.app
    async with app.run_test(size=(180, 60)) as pilot:
        room, draft_id, _field = await open_begrundelse(app, pilot)
        await pilot.press("end", *" Mettes ord")
        save_draft_as(two, "JB", draft_id, begrundelse="Jespers ord", old_begrundelse="")
        await pilot.press("tab")  # leaving saves: refused, JB changed it meanwhile
        await settle(app, pilot)
        await until(pilot, lambda: "Ikke gemt" in note_text(room, "i-begrundelse"), LIVE)
        await pilot.press("escape")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, UnsavedChangesDialog)
        body = " ".join(str(s.render()) for s in dialog.query("Static, Button"))
        assert "Begrundelse" in body, body
        assert "Jonas Berg" in body and "erstatter" in body, body
        assert "Gem min tekst og luk" in body, body
        await pilot.press("escape")  # stay: nothing replaced
        await settle(app, pilot)
        assert two.rows(Indstilling, id=draft_id)[0].begrundelse == "Jespers ord"
