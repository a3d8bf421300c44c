"""Ctrl-C during the optimisation of `scheduler solve` keeps the best timetable found so far:
it is checked and written, and the command ends promptly with exit code 0."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CLI = "import sys; from scheduler.cli import cli; sys.exit(cli())"


def _lines(stream: object, out: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line)


@pytest.mark.parametrize(
    ("flags", "marker", "how"),
    [
        # two workers, stopped by a service manager or CI timeout: the search of the whole
        # model that comes first on this small instance (`optimise.whole_search_share`), then
        # the neighbourhood steps (they begin at half of what phase 1 leaves of 12 s)
        ([], " s  objective ", signal.SIGTERM),
        (["--time-limit", "12"], "neighbourhood step", signal.SIGTERM),
        # one worker, the search before the steps
        (["--deterministic"], " s  objective ", signal.SIGINT),
        # one worker, in the steps; a shorter limit, since the search before them gets a
        # share of it (at 300 s on the sample the steps began after ~60 s, the suite's
        # slowest test)
        (["--deterministic", "--time-limit", "8"], "neighbourhood step", signal.SIGINT),
    ],
)
def test_ctrl_c_writes_the_best_timetable(
    tmp_path: Path, small_programme_file: Path, flags: list[str], marker: str, how: signal.Signals
) -> None:
    """`marker` on stderr (`--verbose`: a progress line of the optimisation, a step's line)
    tells that the search has reached the part to cut. SIGTERM ends it as Ctrl-C does, and
    the note names the signal that came (it blamed Ctrl-C nobody pressed)."""
    out = tmp_path / "out"
    args = [sys.executable, "-c", CLI, "solve", str(small_programme_file), "--out", str(out)]
    process = subprocess.Popen(
        [
            *args,
            "--verbose",
            *(["--time-limit", "300"] if "--time-limit" not in flags else []),
            *flags,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stderr, lines), daemon=True).start()
    deadline = time.monotonic() + 120
    while marker not in lines.get(timeout=max(0.1, deadline - time.monotonic())):
        pass
    process.send_signal(how)
    sent = time.monotonic()
    assert process.stdout is not None
    stdout = process.stdout.read()
    process.wait(timeout=60)
    assert process.returncode == 0, stdout
    assert time.monotonic() - sent < 20  # the current step ends, nothing else starts
    assert "objective" in stdout and "violation" not in stdout.lower()
    solution = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert solution["objective"] > 0
    by = "SIGTERM" if how == signal.SIGTERM else "Ctrl-C"
    assert solution["message"] == f"stopped by {by}: the best timetable found so far"
