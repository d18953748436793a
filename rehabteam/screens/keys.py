"""Keys that act on what was typed run after the typing has arrived.

A key bound on the screen or the App (Ctrl+S, Ctrl+G, Ctrl+Q) is handled the moment it
reaches the App, while the keys typed just before it may still wait in the queue of the
field in focus: a burst "text, Ctrl+S" would save the text without its last words, and
Ctrl+G would approve without them. `after_typing` puts the action at the end of that queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.timer import Timer

RECHECK = 0.2  # seconds between looks at a field that may have gone away


def after_typing(app: App[Any], fallback: DOMNode, action: Callable[[], object]) -> None:
    """Run `action` once, after the keys queued for the focused field (or at once on
    `fallback`'s queue when nothing is focused). Should the field be removed before its
    queue reaches the action (a pane rebuilt), the action still runs, on `fallback`."""
    focused = app.focused
    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            action()

    if focused is None or not focused.is_attached:
        fallback.call_later(run)
        return
    focused.call_later(run)

    def check() -> None:
        if done:
            return
        if focused.is_attached:
            fallback.set_timer(RECHECK, check)
        else:
            run()

    fallback.set_timer(RECHECK, check)


HOLD_LIMIT = 3.0  # seconds at most that keys wait for a closing screen


class KeyHold:
    """Keys from the terminal kept back, in the order typed, while a screen closes or opens.

    A form screen closes once what was typed before its Escape is saved, which can take a
    moment; keys typed after the Escape (a second Escape, the next screen's letter) belong
    to the screen that comes next. Textual hands each key to the screen on top when it
    arrives, so they would act on the closing screen (a second Escape closed it twice, and
    the screen under it went too). Likewise a screen that is opening (the meeting room
    reading its case, a dialog mounting its field) has nowhere to put keys yet: typed right
    after the key that opened it, they were lost. They wait here and are replayed once the
    screen is gone (or ready), or after a time limit, so that no key is ever swallowed.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._held: list[events.Key | events.Paste] | None = None
        self._timer: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self, limit: float = HOLD_LIMIT) -> None:
        if self._held is None:
            self._held = []
            self._timer = self.app.set_timer(limit, self.release)

    def take(self, event: events.Event) -> bool:
        """Keep `event` back if keys are held (True); a key or paste from the terminal only."""
        if self._held is None or not isinstance(event, (events.Key, events.Paste)):
            return False
        if event.is_forwarded:
            return False
        self._held.append(event)
        return True

    def release(self) -> None:
        """Hand the kept keys on, in order, to whatever screen is on top now."""
        held, self._held = self._held, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for event in held or ():
            again = (
                events.Key(event.key, event.character)
                if isinstance(event, events.Key)
                else events.Paste(event.text)
            )
            self.app.post_message(again)
