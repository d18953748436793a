"""Issue 16 in a real terminal: markup and escape sequences planted in every stored free
text column of the demo are shown as text on every screen, and nothing raw reaches the
terminal: the window title stays, the clipboard stays empty, no link runs an action."""

from __future__ import annotations

import importlib
import sqlite3
import time
from pathlib import Path

import pytest
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from tests.terminal import Terminal

MARKUP = "[@click=app.quit]Q[/][b]fed[/b]"
ESCAPES = "\x1b]0;PWNED\x07\x1b]52;c;UFdORUQ=\x07\x1b[31m\x9b2J"
PLANTED = MARKUP + ESCAPES
# Not free text: codes, keys, and the few columns validated on the way in (a CPR number, an
# e-mail address, a phone number, a login), which no stored hostile value can pass.
NOT_TEXT = {"search_name", "email", "login", "initials", "cpr", "video_link", "postcode", "phone"}
SKIP_TABLES = {"app_meta", "audit_event", "citizen_name_token"}


def plant(db: Path) -> int:
    """Append PLANTED to every non-empty free text column of the file; how many columns."""
    for name in ("assessment", "case", "citizen", "followup", "meeting", "recommendation"):
        importlib.import_module(f"rehabteam.models.{name}")
    importlib.import_module("rehabteam.models.staff")
    columns = 0
    with sqlite3.connect(db) as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in SKIP_TABLES:
                continue
            for column in table.columns:
                kind = column.type
                if not isinstance(kind, AutoString) or column.name in NOT_TEXT:
                    continue
                if kind.length is not None and kind.length < 200:
                    continue  # codes and statuses
                keep = (kind.length or 1_000_000) - len(PLANTED)
                conn.execute(
                    f"UPDATE {table.name} SET {column.name} = substr({column.name}, 1, ?) || ? "
                    f"WHERE {column.name} <> ''",
                    (keep, PLANTED),
                )
                columns += 1
    return columns


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from rehabteam.cli import main

    db = tmp_path / "rt.sqlite3"
    monkeypatch.setenv("REHABTEAM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert main(["seed", "--demo"]) == 0
    assert plant(db) >= 40
    return db


# (keys, text that shows the screen is there); each step from the one before.
WALK = [
    ((), "Åbne sager"),
    (("b",), "Borgere"),
    (("Tab", "Enter"), "Borgerens sager"),
    (("Escape",), "borgere vist"),
    (("Escape",), "Åbne sager"),
    # The list's rows, not only its heading: an Enter on a list still being read (a loaded
    # machine) opens nothing.
    (("m",), "3 møder"),
    (("Enter",), "Før dagsordenen sendes"),
    (("g",), "Sagens materiale"),
    (("F4",), "Begrundelse"),
    (("F5",), "Borgeren er mødt op"),
    (("F6",), "Dagsorden"),
    # Back one screen at a time: keys typed while the room closes wait for the next screen.
    (("Escape",), "Før dagsordenen sendes"),
    (("Escape",), "Teamets møder"),
    (("Escape",), "Åbne sager"),
    (("c", "Enter"), "Borgerens egne ord"),
    # Each Escape waits for the screen it leads to: an Escape and the next key read in one
    # go from a loaded terminal are Alt+key (ESC o is Alt+O to every terminal application).
    (("Escape",), "Åbne sager"),
    (("s",), "Mine sager"),
    (("Escape",), "Åbne sager"),
    (("o",), "Afventer kommunens afgørelse"),
    (("Escape",), "Åbne sager"),
    (("t",), "Statistik"),
    (("Escape",), "Åbne sager"),
    (("a",), "Revisionsspor"),
]


def test_planted_markup_and_escapes_show_as_text_on_every_screen(
    planted: Path, tmp_path: Path
) -> None:
    term = Terminal(tmp_path, [], {"REHABTEAM_DATABASE_URL": f"sqlite:///{planted}",
                                   "REHABTEAM_USER": "ML"})  # fmt: skip
    try:
        term.wait_for("xxxx")
        title = term.title
        seen_markup = 0
        for keys, there in WALK:
            for key in keys:  # one at a time: "Escape m" in one burst is Alt+M
                term.keys(key)
                time.sleep(0.4)
            screen = term.wait_for(there)
            time.sleep(0.5)  # the screen's data too, not only its heading
            screen = term.screen()
            assert term.running, f"the app stopped at {there!r}"
            assert term.title == title and "PWNED" not in term.title, there
            assert term.buffers == "", f"the clipboard was set at {there!r}"
            assert "PWNED" not in screen and "UFdORUQ" not in screen, there
            seen_markup += MARKUP in screen
        assert seen_markup >= len(WALK) - 2, "the planted names were not on the screens"
    finally:
        term.close()
