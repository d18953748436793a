"""Keys that act on what was typed run after the typing has arrived.

A key bound on the screen or the App (Ctrl+S, Ctrl+G, Ctrl+Q) is handled the moment it
reaches the App, while the keys typed just before it may still wait in the queue of the
field in focus: a burst "text, Ctrl+S" would save the text without its last words, and
Ctrl+G would approve without them. `after_typing` puts the action at the end of that queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from time import monotonic
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
KEY_LIMIT = 1.0  # seconds at most that a key waits for the one before it


class KeyHold:
    """Keys from the terminal handed on one at a time, in the order typed.

    Textual hands a key to the focused field the moment it arrives, but a key bound on the
    screen (`n` for a new citizen, `a` for an afbud, Enter on a row) acts only when it has
    bubbled back up to the App. In a burst ("n 010190", "a Ferie Enter") the keys after it
    had by then been handed to the field of the screen being left, and were lost. So while
    a key is on its way, the next ones wait here: a key goes on once the one before it has
    passed every widget above its field (and what those posted to themselves meanwhile).

    A key also waits while
    - a screen just pushed has not mounted its fields (it would reach the bare screen);
    - a form screen closes: what was typed before its Escape is saved first, and the keys
      after it (a second Escape, the next screen's letter) belong to the screen that comes
      next, not to the closing one (a second Escape closed it twice);
    - the meeting room reads the case it opens with (`hold` by the agenda, `release` by
      the room).
    Each of these holds as an `owner`; the keys go on when the last lets go, or when the
    latest time limit passes, so that no key is ever swallowed.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._owners: set[object] = set()
        self._deadline = 0.0
        self._timer: Timer | None = None
        self._passing: events.Key | events.Paste | None = None  # replayed, on its way back
        self._sending: events.Key | events.Paste | None = None  # being handed on by the App
        self._last: tuple[events.Key | events.Paste, DOMNode] | None = None  # on its way

    @property
    def holding(self) -> bool:
        return bool(self._owners)

    @property
    def idle(self) -> bool:
        """No key waits here and none is on its way back (every key typed is handled)."""
        return not self._waiting and self._passing is None and not self._owners

    def hold(self, limit: float = HOLD_LIMIT, owner: object = "default") -> None:
        self._owners.add(owner)
        deadline = monotonic() + limit
        if deadline > self._deadline:
            self._deadline = deadline
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.app.set_timer(limit, self.release_all)

    def release(self, owner: object = "default") -> None:
        """`owner` lets go; once nobody holds, the next waiting key goes on."""
        self._owners.discard(owner)
        if not self._owners:
            self._stop_timer()
            self._next()

    def release_all(self) -> None:
        """Hand the waiting keys on now, whoever still holds (the time limit has passed)."""
        self._owners.clear()
        self._stop_timer()
        self._next()

    def take(self, event: events.Event) -> bool:
        """Keep `event` back (True) if it must wait; a key or paste from the terminal only."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if not self.app.screen_stack:  # the app is closing: no screen is left to type in
            self._waiting.clear()
            self._passing = None
            return True
        if event is self._passing:
            self._passing = None
            self._owners.discard(event)
            if self._opening():  # the key before it pushed a screen, not mounted yet
                self._waiting.appendleft(event)
                return True
        elif self._owners or self._waiting or self._opening() or self._follow_last():
            self._waiting.append(event)
            return True
        self._sending = event
        return False

    def sent(self, event: events.Event) -> None:
        """The App has handled `event`: forwarded it to the focused widget (a key from the
        terminal), or run its binding (a key bubbled back up: it has passed everything)."""
        if event is not self._sending:
            if self._last is not None and self._last[0] is event:
                self._last = None  # it came back: nothing more will happen with it
            return
        self._sending = None
        self._last = (event, self.app.focused or self.app.screen)
        if self._waiting and not self._owners:
            self._follow_last()

    def _opening(self) -> bool:
        stack = self.app.screen_stack
        if not stack or stack[-1].is_mounted:
            return False
        opening = stack[-1]
        if opening not in self._owners:
            self.hold(owner=opening)
            # Runs once the screen has composed and mounted (its queue starts with that),
            # after the focus its on_mount asked the App for.
            if not opening.call_after_refresh(self.release, opening):
                self._owners.discard(opening)
                return False
        return True

    def _follow_last(self) -> bool:
        """Hold until the last key sent has passed its widget and every one above it."""
        if self._last is None:
            return False
        key, node = self._last
        self._last = None
        self.hold(KEY_LIMIT, owner=key)

        def at(node: DOMNode, again: bool) -> None:
            if again:  # once more: after what `node` posted to itself while handling the key
                if not node.call_later(at, node, False):
                    self.release(key)
                return
            parent = node.parent
            # At the top: and after the screen has redrawn (a tab or pane the key switched
            # to is in the focus chain only once its styles are applied: Tab after F4).
            at_top = parent is None or node is self.app or not parent.call_later(at, parent, True)
            if at_top and not self.app.call_after_refresh(self.release, key):
                self.release(key)

        if not node.call_later(at, node, True):
            self._owners.discard(key)
            return False
        return True

    def _next(self) -> None:
        if not self._waiting or self._passing is not None:
            return
        event = self._waiting.popleft()
        again = (
            events.Key(event.key, event.character)
            if isinstance(event, events.Key)
            else events.Paste(event.text)
        )
        self._passing = again
        self.hold(KEY_LIMIT, owner=again)  # nothing overtakes it on its way back to the App
        self.app.post_message(again)

    def _stop_timer(self) -> None:
        self._deadline = 0.0
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
