"""Child processes (the LP bound's, a benchmark case's) end with their parent, and their
memory is their own (`scheduler.child_process`)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from scheduler.bench.case import peak_memory_mb
from scheduler.child_process import children_peak_kb
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model.lp_bound import RelaxationBound

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "instances" / "mapemass-2026-27.yaml"
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's /proc, prctl")


def _gone(pid: int, seconds: float = 5.0) -> bool:
    """Whether process `pid` ends (or is a zombie) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rsplit(") ", 1)[1].startswith("Z"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


def _marked(mark: str) -> list[int]:
    """The processes whose environment holds `mark`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _described(pid: int) -> str:
    """A process's command line and state, for a message."""
    try:
        cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
        state = next(
            line
            for line in (Path("/proc") / str(pid) / "status").read_text().splitlines()
            if line.startswith("State:")
        )
    except (OSError, StopIteration):
        return f"{pid}: gone"
    return f"{pid}: {cmdline.decode(errors='replace').strip()} ({state})"


@LINUX
def test_the_lp_process_ends_with_a_killed_solve() -> None:
    """The LP runs in a session of its own (Ctrl-C reaches the parent only), so a solve
    killed outright left it using a core for up to its limit (bench audit)."""
    script = textwrap.dedent(
        f"""
        import threading, time
        from scheduler.data.problem import Problem
        from scheduler.io.instance_io import load_instance
        from scheduler.model.lp_bound import RelaxationBound
        task = RelaxationBound(Problem.build(load_instance({str(SAMPLE)!r})), 60, print)
        threading.Thread(target=task.run, daemon=True).start()
        while task._process is None:
            time.sleep(0.05)
        print(task._process.pid, flush=True)
        time.sleep(60)
        """
    )
    solve = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert solve.stdout is not None
    lp = int(solve.stdout.readline())
    time.sleep(3.0)  # the LP has its problem and is building its model
    solve.kill()
    solve.wait()
    if not _gone(lp, 1.5):  # the kernel's kill is at once; the LP alone needs ~5 s more
        os.kill(lp, signal.SIGKILL)
        raise AssertionError("the LP process outlived its parent")


@LINUX
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_cancelled_benchmark_leaves_no_case_running(tmp_path: Path, how: int) -> None:
    """kill -TERM on `scheduler bench` (a CI cancel) orphaned the case, which solved on for
    its whole limit (bench audit); SIGKILL, which no handler sees, too."""
    suite = tmp_path / "long.yaml"
    suite.write_text(f"cases:\n  - {{id: m, instance: {SAMPLE}, time_limit: 60}}\n")
    mark = f"SCHEDULER_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, mark.split("=")[0]: mark.split("=")[1]}
    bench = subprocess.Popen(
        [sys.executable, "-c", "from scheduler.cli import main; main()", "bench", str(suite),
         "--out", str(tmp_path / "r.jsonl")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # a wait, not a speed check: under a full suite's load (two test processes, their LP
    # children) the case once took over 30 s to start
    deadline = time.monotonic() + 120
    while len(_marked(mark)) < 2 and time.monotonic() < deadline:  # the bench and its case
        time.sleep(0.2)
    if len(_marked(mark)) < 2:
        # seen once in a fresh-clone CI run (never reproduced, not even beside other solves):
        # nothing started to cancel; the quick benchmark in CI proves that cases start
        seen = [_described(pid) for pid in _marked(mark)]
        bench.kill()
        bench.wait()
        pytest.skip(f"the case did not start within 120 s: {seen}")
    # the LP starts with the solve, once the instance is read: ~1 s alone, more on two cores
    # shared with another test process (CI's -n 2); the case's limit (60 s) is no hurry
    deadline = time.monotonic() + 50
    while len(_marked(mark)) < 3 and time.monotonic() < deadline:  # and its LP process
        time.sleep(0.2)
    # once, in a fresh-clone CI run under load, the LP had not started after 50 s: the
    # cancel is then checked on the bench and its case (an LP started meanwhile is marked
    # too, and must be gone as well)
    bench.send_signal(how)
    bench.wait(timeout=30)
    left = [pid for pid in _marked(mark) if not _gone(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "a case or LP process outlived the cancelled benchmark"


@LINUX
def test_the_lp_process_peak_is_its_own_not_the_parent_s() -> None:
    """ru_maxrss of children carries the parent's peak into each forked child, so a bench
    record counted the solve's memory twice (tiny: 258 MiB for a 143 MiB peak)."""
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touched: resident in this process
    task = RelaxationBound(
        Problem.build(load_instance(ROOT / "instances" / "tiny.yaml")), 30, print
    )
    task.run()
    del ballast
    assert task.bound is not None
    assert 0 < children_peak_kb() < 300 * 1024  # python, highspy and a tiny LP
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >= 400 * 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert peak_memory_mb() == round((own + children_peak_kb()) / 1024, 1)
