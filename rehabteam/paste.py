"""A bracketed paste is taken whole, whatever it holds.

Textual's input parser (8.2.8) reads escape sequences inside a bracketed paste as it does
outside one: a pasted `ESC ] 52;…` (an OSC 52 clipboard sequence) was split off, its text
typed as keys into the field while the rest of the paste arrived after it, so the field
held "…^]52;c;SGVq efterfør". Here everything between the paste's start and end markers is
one Paste event (the fields then clean it, widgets.inputs), and the parser sees only what
lies outside a paste. Installed for the drivers that read a terminal (Linux, and the web
driver textual-serve uses) before the App starts them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

START = "\x1b[200~"
END = "\x1b[201~"


ESC = "\x1b"


class PasteSafeParser(XTermParser):
    """Also: an ESC the parser could not read as part of a sequence ("Escape g F4" sent
    at once: ESC g is none, and another ESC follows) was typed as a "^" (the field stored
    "^g"). It is the Escape key the user pressed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pasting = False
        self._pasted: list[str] = []
        self._held = ""  # inside a paste, the end of a read that may begin the end marker
        self._lone_escapes = 0  # ESCs reissued as "^" by the parser, not yet handed on

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence == ESC and not alt:  # only a sequence given back as keys holds a bare ESC
            self._lone_escapes += 1
        yield from super()._sequence_to_key_events(sequence, alt)

    def _escapes_restored(self, messages: Iterable[Message]) -> Iterable[Message]:
        for message in messages:
            if (
                self._lone_escapes
                and isinstance(message, events.Key)
                and message.key == "circumflex_accent"
            ):
                self._lone_escapes -= 1
                yield events.Key("escape", ESC)
            else:
                yield message

    def feed(self, data: str) -> Iterable[Message]:
        return self._escapes_restored(self._feed(data))

    def _feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            yield from super().feed(data)
            return
        data, self._held = self._held + data, ""
        while data:
            if self._pasting:
                end = data.find(END)
                if end < 0:
                    keep = _partial_suffix(data, END)
                    self._pasted.append(data[: len(data) - keep])
                    self._held = data[len(data) - keep :]
                    return
                self._pasted.append(data[:end])
                data = data[end + len(END) :]
                self._pasting = False
                text, self._pasted = "".join(self._pasted), []
                yield events.Paste(text.replace("\x00", ""))
            else:
                # Outside a paste nothing is held back: a lone ESC is the Escape key.
                start = data.find(START)
                if start < 0:
                    yield from super().feed(data)
                    return
                if start:
                    yield from super().feed(data[:start])
                data = data[start + len(START) :]
                self._pasting = True


def _partial_suffix(data: str, marker: str) -> int:
    """How many characters at the end of `data` begin `marker` (0 if none)."""
    for size in range(min(len(marker) - 1, len(data)), 0, -1):
        if marker.startswith(data[-size:]):
            return size
    return 0


def _lenient_decoder(encoding: str) -> Any:
    """Textual's input thread decodes the terminal's bytes strictly: one byte that is not
    UTF-8 (a raw C1 0x9b in a paste) ended the app with a traceback, and unsaved text with
    it. Such a byte becomes U+FFFD, which the fields then clean like any other character."""
    from codecs import getincrementaldecoder

    decoder = getincrementaldecoder(encoding)
    return lambda *args, **kwargs: decoder(*args, **{**kwargs, "errors": "replace"})


def install() -> None:
    """Use PasteSafeParser (and a decoder that survives a byte that is not UTF-8) in the
    drivers that read a terminal's input."""
    from textual.drivers import linux_driver

    setattr(linux_driver, "XTermParser", PasteSafeParser)  # noqa: B010 - replacing a private name
    setattr(linux_driver, "getincrementaldecoder", _lenient_decoder)  # noqa: B010
    try:
        from textual.drivers import web_driver
    except ImportError:  # pragma: no cover - not on every platform
        return
    setattr(web_driver, "XTermParser", PasteSafeParser)  # noqa: B010
