"""The annealing kernel compiled in a child process, beside the solve.

numba compiles `_anneal_kernel` on its first use and caches it on disk: about 8 s on a
2-core machine, 20 s and more when it is loaded, which a fresh install's first `itc2007
solve` paid on top of its time limit (an audit: 29 s for a 10 s limit). A child compiles it
(or, cached, just loads it) while the parent finds its first timetable; the parent anneals
only once the child has ended, from the cache then, and meanwhile improves by LNS alone.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

from scheduler.child_process import child_environment, die_with_parent

# A tiny instance whose annealing runs every compiled function once.
_TINY = """\
Name: WarmUp
Courses: 2
Rooms: 1
Days: 2
Periods_per_day: 2
Curricula: 1
Constraints: 0

COURSES:
C1 T1 2 2 10
C2 T2 1 1 10

ROOMS:
R 20

CURRICULA:
Q 2 C1 C2

UNAVAILABILITY_CONSTRAINTS:

END.
"""


# The child's exit code when numba may cache the kernel nowhere: compiled in the child, it
# would be compiled again in the solve, on the solve's time (`_anneal_kernel.CACHED`).
NOT_CACHED = 3


def warm_up() -> None:
    """Compile (or load) every function of the kernel: an annealer on a tiny instance. Exit
    with `NOT_CACHED` at once when the compiled kernel cannot be cached."""
    from scheduler.itc2007 import _anneal_kernel
    from scheduler.itc2007._local_search import Annealer
    from scheduler.itc2007.ctt import parse_ctt

    if not _anneal_kernel.CACHED:
        sys.exit(NOT_CACHED)

    instance = parse_ctt(_TINY, "warm-up")
    periods = [[0, 2], [1]]  # C1 on both days, C2 on day 0: a valid timetable
    rooms = [{0: 0, 2: 0}, {1: 0}]
    Annealer(instance, periods, rooms, seed=0).run(0.01, 1.0, 0.1, stop=lambda: False)


class KernelWarmUp:
    """The child compiling the kernel; `ready()` once it ended well."""

    def __init__(self) -> None:
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "scheduler.itc2007._warm_up"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C at the terminal is the parent's
                env=child_environment(),
            )
        except OSError:
            self._process = None

    def ready(self, wait: float = 0.0, stop: Callable[[], bool] = lambda: False) -> bool:
        """Whether the kernel is compiled, waiting up to `wait` seconds for it, or until
        `stop()` (Ctrl-C: a long wait for a first compile must not ignore it)."""
        if self._process is None:
            return False
        end = time.monotonic() + wait
        while self._process.poll() is None and time.monotonic() < end and not stop():
            time.sleep(0.05)
        return self._process.poll() == 0

    def failure(self) -> str | None:
        """Why the kernel could not be compiled (the child ended badly), else None."""
        if self._process is None:
            return "the child process could not start"
        code = self._process.poll()
        if code == NOT_CACHED:
            return (
                "numba may write no folder to cache the compiled kernel in: not beside the "
                "package, not the user's cache, not NUMBA_CACHE_DIR if set, nor a folder of this "
                "user's alone in the temporary folder (one others may write is refused); set "
                "NUMBA_CACHE_DIR to a folder of yours"
            )
        return None if code in (None, 0) else f"the compiling process ended with code {code}"

    def stop(self) -> None:
        """End the child if it still runs (the solve ended first)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()


if __name__ == "__main__":
    die_with_parent()
    warm_up()
