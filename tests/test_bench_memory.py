"""`make bench` reports the app's own peak memory, not its runner's (issue 19: with 0, 300
and 600 MB held by the runner, the probe reported 87, 311 and 611 MB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_probes_peak_memory_is_its_own_not_its_runners() -> None:
    held = bytearray(400 * 1024 * 1024)  # the runner holds 400 MB, touched
    held[::4096] = b"x" * len(held[::4096])
    out = subprocess.run(
        [sys.executable, "-c", "from benchmarks.startup_probe import peak_mb; print(peak_mb())"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    del held
    assert float(out) < 200, out  # a bare interpreter importing the probe: tens of MB
