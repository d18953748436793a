"""Keys that act on what was typed run after the typing has arrived.

A key bound on the screen or the App (Ctrl+S, Ctrl+G, Ctrl+Q) is handled the moment it
reaches the App, while the keys typed just before it may still wait in the queue of the
field in focus: a burst "text, Ctrl+S" would save the text without its last words, and
Ctrl+G would approve without them. `after_typing` puts the action at the end of that queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.dom import DOMNode

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
