"""Child processes that end with their parent, and their own peak memory.

The LP bound runs in a child process (`model.lp_bound`), and each benchmark case in one
(`bench.case`). A child must not outlive its parent (a killed solve or a cancelled benchmark
would leave it using a core for its whole limit), and its memory is its own, not the
parent's: the kernel carries a parent's `ru_maxrss` into every child it forks, across the
exec, so `RUSAGE_CHILDREN` reads the parent's peak for a child that used little.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

#: the parent's process id, set in a child's environment (`child_environment`)
PARENT_ENV = "SCHEDULER_PARENT_PID"

#: the largest own peak of the child processes this process has seen, in KiB
_children_peak_kb = 0


def child_environment() -> dict[str, str]:
    """The environment for a child that calls `die_with_parent`: this one, with our pid."""
    return {**os.environ, PARENT_ENV: str(os.getpid())}


def die_with_parent() -> None:
    """End this process when its parent does (Linux: the kernel sends SIGKILL; elsewhere
    nothing). Called first thing in the child; the parent's pid, from its environment, tells
    whether the parent ended before the request."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    parent = int(os.environ.get(PARENT_ENV, "0") or 0)
    if parent and os.getppid() != parent:  # the parent ended before the request above
        os._exit(1)


def peak_kb(pid: int | str = "self") -> int | None:
    """A process's own peak resident memory in KiB (`VmHWM`, Linux), None where unknown."""
    with (
        contextlib.suppress(OSError, ValueError),
        open(f"/proc/{pid}/status", encoding="ascii") as status,
    ):
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def saw_child_peak(kb: int | None) -> None:
    """Record a child's own peak (its answer's, or read before it is killed)."""
    global _children_peak_kb
    if kb is not None:
        _children_peak_kb = max(_children_peak_kb, kb)


def children_peak_kb() -> int:
    """The largest own peak of this process's children seen so far, in KiB."""
    return _children_peak_kb
