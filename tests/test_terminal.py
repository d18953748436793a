"""Issue 15 in a real terminal (tmux): keys in fast bursts land in the field the cursor is
in, and closing the terminal or stopping the app saves what was typed."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.terminal import Terminal


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    """The demo, as Mette Lund, at the first open case's preparation (home, c, Enter)."""
    terminal = Terminal(tmp_path, ["--demo"], {"REHABTEAM_USER": "ML"})
    try:
        terminal.wait_for("Åbne sager")
        terminal.wait_for("xxxx")  # the cases are listed (CPR masked)
        terminal.keys("c", "Enter")  # one burst: the cases list has the cursor before Enter
        terminal.wait_for("Borgerens egne ord")
        terminal.wait_for("Alt er gemt")
        yield terminal
    finally:
        terminal.close()


def stored(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """field -> (citizen's text, caseworker's text) of every case, as the file holds them."""
    db = tmp_path / "data" / "demo.sqlite3"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT case_id || ':' || field_key, citizen_text, caseworker_text "
            "FROM preparation_field"
        ).fetchall()
    return {key: (citizen, caseworker) for key, citizen, caseworker in rows}


def eventually(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_keys_sent_right_after_tab_land_in_the_next_field(term: Terminal, tmp_path: Path) -> None:
    """Finding 3: `Tab T E K S T` in one burst, and backspaces right after a Tab."""
    before = stored(tmp_path)
    term.keys(" Foerste", "Tab", "TEKST", "Tab", "BSpace", "BSpace", "xy", "Tab")

    def changed_now() -> dict[str, tuple[str, str]]:
        return {k: v for k, v in stored(tmp_path).items() if before.get(k) != v}

    # Not "Alt er gemt": it was on screen before the burst was read (a loaded machine reads
    # it late); the last field's save is what says the burst has been handled.
    landed = eventually(lambda: any(c == "xy" for c, _ in changed_now().values()), 30)
    assert landed, (changed_now(), term.screen())
    time.sleep(1.0)  # and nothing else lands after it
    changed = changed_now()
    # The first field's two parts each hold only what was typed in them; the backspaces
    # after the Tab hit the next field (empty), never the text just saved.
    assert len(changed) == 2, changed
    (first, (citizen, caseworker)), (_next, next_field) = sorted(
        changed.items(), key=lambda kv: kv[0] not in before
    )
    old_citizen, old_caseworker = before[first]
    assert citizen == old_citizen + " Foerste"
    assert caseworker == old_caseworker + "TEKST"
    # The next field's citizen part was empty; its caseworker part is as it was.
    assert next_field == ("xy", before.get(_next, ("", ""))[1])


def test_the_field_entered_in_a_burst_is_not_saved_while_typing_in_it(
    term: Terminal, tmp_path: Path
) -> None:
    """Re-test finding (a): `text Tab End TEKST` in one burst saves the field left, not the
    one entered, while the cursor is still in it (saving it early would make the other
    workstation's save of that field the refused one); leaving it saves it."""
    before = stored(tmp_path)
    term.keys(" venstre", "Tab", "End", "TEKST")
    assert eventually(lambda: stored(tmp_path) != before), term.screen()
    time.sleep(1.5)  # long enough for a save of the second field to have landed
    (key,) = [k for k, v in stored(tmp_path).items() if before.get(k) != v]
    citizen, caseworker = stored(tmp_path)[key]
    assert citizen == before[key][0] + " venstre"
    assert caseworker == before[key][1], "saved while the user was still typing in it"
    term.keys("Tab")
    assert eventually(lambda: stored(tmp_path)[key][1] == before[key][1] + "TEKST")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_stopping_the_app_or_closing_the_terminal_saves_what_was_typed(
    term: Terminal, tmp_path: Path, how: str
) -> None:
    """Finding 4: what is typed and not yet saved (the cursor still in the field) is saved
    when the app is told to stop, or the terminal window is closed."""
    term.keys(" ufærdig sætning")
    term.wait_for("ufærdig sætning")
    pid = term.pid
    if how == "SIGTERM":
        os.kill(pid, signal.SIGTERM)
    else:
        term.hang_up()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the app did not stop after {how}")
    assert any(citizen.endswith(" ufærdig sætning") for citizen, _ in stored(tmp_path).values())


def test_text_typed_in_a_burst_with_ctrl_s_is_saved_whole(term: Terminal, tmp_path: Path) -> None:
    """The keys before Ctrl+S reach the field before it saves (a key bound on the screen
    is handled as it arrives, ahead of the keys still queued for the field)."""
    term.keys(" hurtigt skrevet og gemt", "C-s")
    assert eventually(
        lambda: any(c.endswith(" hurtigt skrevet og gemt") for c, _ in stored(tmp_path).values())
    ), term.screen()


def test_ctrl_q_in_a_burst_asks_and_saves_when_told(term: Terminal, tmp_path: Path) -> None:
    """Finding 4 at full speed: text then Ctrl+Q at once still asks; a letter typed on does
    not answer; "Gem og luk" (Ctrl+S) saves the text and quits."""
    term.keys(" sidste ord", "C-q", "g", "k")
    term.wait_for("Der er tekst, som ikke er gemt")
    time.sleep(0.5)
    assert term.running and "Der er tekst, som ikke er gemt" in term.screen()
    term.keys("C-s")
    term.wait_closed()
    assert any(c.endswith(" sidste ord") for c, _ in stored(tmp_path).values())


def test_tab_bursts_in_a_dialog_land_in_the_right_fields(tmp_path: Path) -> None:
    """Finding 3 in a dialog: the new-citizen dialog filled in one burst, Tab between the
    fields, as a paste from another system would."""
    terminal = Terminal(tmp_path, ["--demo"], {"REHABTEAM_USER": "ML"})
    try:
        terminal.wait_for("Åbne sager")
        terminal.keys("n")  # at once: the dialog's save waits for the database to open
        terminal.wait_for("CPR-nummer")
        # A fictitious CPR number (valid date, made for this test).
        terminal.keys("0203044239", "Tab", "Tabita", "Tab", "Tastesen", "C-s")
        terminal.wait_for("Tabita Tastesen")
    finally:
        terminal.close()
    db = tmp_path / "data" / "demo.sqlite3"
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT first_name, last_name FROM citizen WHERE first_name LIKE 'Tab%'"
        ).fetchall()
    assert found == [("Tabita", "Tastesen")]


def test_backspaces_in_a_burst_act_where_they_were_typed(term: Terminal, tmp_path: Path) -> None:
    """Textual 8.2.8 runs a field's Backspace as a binding, after the letters typed behind
    it: "BSpace x" deleted the x, not the character before it. Each key acts in order."""
    term.keys(" abcd", "Tab")
    term.wait_for("Alt er gemt")
    term.keys("BTab", "End", "BSpace", "x", "BSpace", "BSpace", "yz", "Tab")
    assert eventually(lambda: any(c.endswith(" abyz") for c, _ in stored(tmp_path).values())), (
        stored(tmp_path),
        term.screen(),
    )


def test_a_bracketed_paste_with_escape_codes_lands_whole_and_clean(
    term: Terminal, tmp_path: Path
) -> None:
    """A paste holding an OSC 52 was split: its tail typed as keys, its head pasted after.
    Then the paste took the cursor back from the Tab sent after it, and the next words
    went into the field left."""
    before = stored(tmp_path)
    term.type_raw("\x1b[200~ før\x1b]52;c;SGVq\x07 efter\x1b[201~")
    term.keys("Tab", " næste", "Tab")
    assert eventually(
        lambda: any(c.endswith(" før efter") for c, _ in stored(tmp_path).values())
    ), (term.screen(), stored(tmp_path))
    assert eventually(lambda: any(w.endswith(" næste") for _, w in stored(tmp_path).values()))
    (key,) = [k for k, v in stored(tmp_path).items() if before.get(k) != v]
    assert stored(tmp_path)[key] == (before[key][0] + " før efter", before[key][1] + " næste")
    assert not any("52;c" in c or "\x1b" in c for c, _ in stored(tmp_path).values())


def test_a_tab_key_then_tab_and_text_in_one_burst_lands_in_the_field_after_the_first(
    tmp_path: Path,
) -> None:
    """Re-test finding: in the meeting room, `F3 F4 Tab BEGRUND` in one burst put "BEGR" in
    Begrundelse and the rest in the type choice; `F4 Tab Tab VURD` landed in Mål. The tab's
    first field now has the cursor before the keys after it are read."""
    terminal = Terminal(tmp_path, ["--demo"], {"REHABTEAM_USER": "ML"})
    db = tmp_path / "data" / "demo.sqlite3"

    def draft() -> tuple[str, str, str]:
        with sqlite3.connect(db) as conn:
            row = conn.execute(
                "SELECT begrundelse, vurdering, maal FROM indstilling WHERE status = 'kladde' "
                "AND meeting_id = (SELECT id FROM meeting WHERE status = 'i_gang')"
            ).fetchone()
        return row or ("", "", "")

    try:
        terminal.wait_for("Åbne sager")
        for key, there in (("m", "I dag"), ("Enter", "Før dagsordenen"), ("g", "Sagens materiale")):
            terminal.keys(key)  # today's meeting, its agenda, the room
            terminal.wait_for(there)
            time.sleep(0.3)
        terminal.wait_for("Alt er gemt")
        before = draft()
        terminal.keys("F3", "F4", "Tab", "BEGRUND", "F3", "F4", "Tab", "Tab", "VURD", "F3")
        assert eventually(lambda: draft()[1].endswith("VURD")), (draft(), terminal.screen())
        begrundelse, vurdering, maal = draft()
        assert begrundelse == before[0] + "BEGRUND"
        assert vurdering == before[1] + "VURD"
        assert maal == before[2]
    finally:
        terminal.close()


def test_a_byte_that_is_not_utf8_does_not_end_the_app(term: Terminal, tmp_path: Path) -> None:
    """Hostile re-test of issue 16: a raw 0x9b byte (not UTF-8) ended the app with a
    traceback from Textual's input thread, and the unsaved text with it."""
    term.keys(" ab")
    term.send_bytes(b"\x9b")
    term.keys("cd", "Tab")
    assert eventually(
        lambda: any(c.endswith(" ab\ufffdcd") for c, _ in stored(tmp_path).values())
    ), (term.screen(), term.running)
    assert term.running
