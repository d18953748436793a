"""One place that makes user text safe to store and to show in a terminal.

Textual writes widget text straight to the terminal, so an ESC sequence inside a stored note
could retitle the window or overwrite other rows, and bidi overrides can make text read
differently from what is stored. Everything typed or pasted passes through `clean_text` when
it is saved and again when it is shown.
"""

from __future__ import annotations

import re

# C0 controls except TAB (\x09) and LF (\x0a), DEL, C1 controls, and the Unicode bidi
# embedding/override/isolate characters (U+202A-U+202E, U+2066-U+2069) plus LRM/RLM/ALM.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# A whole CSI/OSC escape sequence is dropped, not just its ESC byte, so no "[31m" debris is left.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    # OSC ... BEL or ST, and DCS/SOS/PM/APC ... ST: only when terminated. An unterminated
    # one is a lone ESC (typed, or cut off): the two-byte rule drops just "ESC ]", the text
    # after it stays.
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
)


def clean_text(value: str | None) -> str:
    """Return `value` without terminal escape sequences, control characters or bidi overrides.

    Newlines and tabs are kept; Windows line endings become plain newlines.
    """
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)


def clean_line(value: str | None) -> str:
    """`clean_text` for single-line values (names, places): newlines and tabs become spaces."""
    return " ".join(clean_text(value).split())
