"""The app in a real terminal: tmux, on a server of the test's own, with keys sent the way
fast fingers (or a paste) send them, several in one burst."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def need_tmux() -> None:
    """Skip without tmux, except in CI, where a missing tmux is a failure (.ci/run
    installs it)."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is needed for the terminal tests (.ci/run installs it)")
        pytest.skip("tmux is not installed")


class Terminal:
    """`rehabteam <args>` in a tmux pane of `size`, with its own data (`home/data`, where
    the demo database is `demo.sqlite3`), state and config folders under `home`, and the
    environment given."""

    def __init__(
        self,
        home: Path,
        args: list[str],
        env: dict[str, str],
        size: tuple[int, int] = (160, 50),
    ) -> None:
        need_tmux()
        self.socket = f"rt-{uuid.uuid4().hex[:10]}"
        folders = {
            "REHABTEAM_DATA_DIR": home / "data",
            "XDG_DATA_HOME": home / "data",
            "XDG_STATE_HOME": home / "state",
            "XDG_CONFIG_HOME": home / "config",
        }
        variables = {**{k: str(v) for k, v in folders.items()}, "TERM": "xterm-256color", **env}
        command = " ".join(
            [
                f"cd {shlex.quote(str(ROOT))} &&",
                # The terminal's own size, not one a test runner left in COLUMNS/LINES.
                "exec env -u COLUMNS -u LINES",
                *(f"{k}={shlex.quote(v)}" for k, v in variables.items()),
                shlex.quote(sys.executable),
                "-m",
                "rehabteam",
                *map(shlex.quote, args),
            ]
        )
        width, height = size
        # A clipboard sequence (OSC 52) the app let through would land in a tmux buffer.
        self._tmux(
            "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), command,
            ";", "set", "-g", "set-clipboard", "on",
        )  # fmt: skip

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        """Send `keys` (tmux names: Tab, Enter, BSpace, Escape, C-q; or literal text) in
        one burst, as a user typing fast or a paste would."""
        self._tmux("send-keys", "-t", "app", *keys)

    def type_raw(self, text: str) -> None:
        """`text` as the bytes a terminal sends (`send-keys -l`): a bracketed paste, say."""
        self._tmux("send-keys", "-t", "app", "-l", text)

    def send_bytes(self, data: bytes) -> None:
        """Raw bytes, even ones that are not UTF-8 (`send-keys -H`)."""
        self._tmux("send-keys", "-t", "app", "-H", *(f"{b:02x}" for b in data))

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "app")

    def wait_for(self, text: str, seconds: float = 20.0) -> str:
        """Wait until `text` is on screen; the screen as it was last seen."""
        deadline = time.monotonic() + seconds
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")

    @property
    def title(self) -> str:
        """The pane's title, as the terminal shows it (an OSC 0/2 sequence changes it)."""
        return self._tmux("display-message", "-p", "-t", "app", "#{pane_title}").strip()

    @property
    def buffers(self) -> str:
        """tmux's paste buffers: empty unless something set the clipboard."""
        return self._tmux("list-buffers")

    @property
    def pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", "app", "#{pane_pid}").strip())

    @property
    def running(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "-L", self.socket, "has-session", "-t", "app"],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    def wait_closed(self, seconds: float = 15.0) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.running, "the app did not close"

    def hang_up(self) -> None:
        """Close the terminal window: the app gets SIGHUP."""
        self._tmux("kill-session", "-t", "app")

    def close(self) -> None:
        self._tmux("kill-server")
