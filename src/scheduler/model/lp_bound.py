"""A lower bound from the linear relaxation of a CP-SAT model, solved by HiGHS.

CP-SAT's own LP (GLOP, dual simplex) needs minutes on the sample's relaxation; HiGHS's
interior-point method solves it in about 5 s (benchmarks/README.md), and its duals prove
the bound (`dual_bound`). The linear program is `model.linear_program`'s: every timetable
satisfies it, so its optimum is a valid lower bound.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import highspy
import numpy as np

from scheduler.child_process import (
    child_environment,
    die_with_parent,
    peak_kb,
    saw_child_peak,
)
from scheduler.data.problem import Problem
from scheduler.model.linear_program import LinearProgram, linear_program
from scheduler.model.relaxation import site_relaxation

TOLERANCE = 1e-6  # relative; the bound is rounded up to an integer after this margin (float sums)
GRACE_SECONDS = 2.0  # beyond its LP's time limit, for the child process to start and answer


def _highs_model(lp: LinearProgram) -> highspy.HighsLp:
    model = highspy.HighsLp()
    inf = highspy.kHighsInf
    clip = lambda a: np.clip(np.asarray(a, dtype=float), -inf, inf)  # noqa: E731
    model.num_col_ = len(lp.cost)
    model.num_row_ = len(lp.row_lower)
    model.col_cost_ = np.asarray(lp.cost, dtype=float)
    model.col_lower_, model.col_upper_ = clip(lp.lower), clip(lp.upper)
    model.row_lower_, model.row_upper_ = clip(lp.row_lower), clip(lp.row_upper)
    model.offset_ = lp.offset
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.start_ = np.asarray(lp.starts, dtype=np.int32)
    model.a_matrix_.index_ = np.asarray(lp.index, dtype=np.int32)
    model.a_matrix_.value_ = np.asarray(lp.value, dtype=float)
    return model


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1: HiGHS prints its banner from its constructor, before any
    option can be set (ERGO-Code/HiGHS#1702), and the child's stdout carries its answer."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def dual_bound(lp: LinearProgram, duals: Sequence[float]) -> float:
    """The lower bound that any row multipliers `duals` prove (the Lagrangian dual function).

    For a row lo <= a.x <= hi, a positive multiplier relaxes its lower side and a negative
    one its upper side (an infinite side gets 0); what is left is minimised over the column
    bounds: offset + sum(y_i * side_i) + sum over columns of min((c - A'y)_j * x_j). Every
    feasible x costs at least that, whatever the multipliers, so the bound holds even for
    the approximate duals of an interior-point method without crossover, or one that ended
    "imprecise": they only make it weaker. -inf if a column with an infinite bound is left
    with a reduced cost of the wrong sign.
    """
    y = np.asarray(duals, dtype=float)
    lower, upper = np.asarray(lp.row_lower, float), np.asarray(lp.row_upper, float)
    y = np.where((y > 0) & np.isinf(lower), 0.0, np.where((y < 0) & np.isinf(upper), 0.0, y))
    sides = np.where(y > 0, lower, np.where(y < 0, upper, 0.0))  # finite wherever y != 0
    rows = float(np.dot(y, sides))
    lengths = np.diff(np.asarray(lp.starts))
    yx = np.bincount(
        np.asarray(lp.index, dtype=np.int64),
        weights=np.repeat(y, lengths) * np.asarray(lp.value, dtype=float),
        minlength=len(lp.cost),
    )
    reduced = np.asarray(lp.cost, dtype=float) - yx
    col_lower, col_upper = np.asarray(lp.lower, float), np.asarray(lp.upper, float)
    up, down = reduced > 0, reduced < 0
    if np.isinf(col_lower[up]).any() or np.isinf(col_upper[down]).any():
        return -math.inf
    cols = float(np.sum(reduced[up] * col_lower[up]) + np.sum(reduced[down] * col_upper[down]))
    return lp.offset + rows + cols


class LpBound:
    """Solve a linear program with HiGHS (interior point, one thread, no crossover).

    The bound is not the LP value HiGHS reports but `dual_bound` of its row duals: a bound
    by construction, so the crossover to a vertex (2.2 s of 6.7 s on the sample, 26 s of
    54 s on 10 programmes, where the interior point alone ends "imprecise" yet with the same
    value to 6 digits) is not needed.
    """

    def __init__(self, lp: LinearProgram, seconds: float) -> None:
        with _quiet_stdout():
            self._highs = highspy.Highs()
        self._lp = lp
        self._highs.setOptionValue("output_flag", False)
        self._highs.setOptionValue("threads", 1)
        self._highs.setOptionValue("solver", "ipm")
        self._highs.setOptionValue("run_crossover", "off")
        self._highs.setOptionValue("time_limit", max(0.1, seconds))
        self._highs.passModel(_highs_model(lp))

    def solve(self) -> int | None:
        """The bound the duals prove, rounded up (costs are integers); None without duals."""
        self._highs.run()
        solution = self._highs.getSolution()
        if not solution.dual_valid:
            return None
        value = dual_bound(self._lp, solution.row_dual)
        if not math.isfinite(value):
            return None
        return math.ceil(value - TOLERANCE * max(1.0, abs(value)))


# The LP's solve took 3-3.5 times as long as its build (alone: the sample 12-16 s after
# 4.5 s, 10 generated programmes 54 s after 18 s; benchmarks/README.md). With less than this
# many builds' time left after the build, the answer would come after the solve has ended,
# and the child would only have taken a core from the search (sample at 10 s: median 1,246
# with it, 1,164 without, 4 seeds).
SOLVE_PER_BUILD = 2.5


def too_little_left(built: float, left: float) -> bool:
    """Whether `left` seconds, after a build of `built` seconds, are too few for the LP."""
    return left < SOLVE_PER_BUILD * built


def _child_bound(problem: Problem, seconds: float, patient: bool = False) -> dict[str, object]:
    """In the child process: build the site relaxation and solve its LP within `seconds`;
    unless `patient`, give up at once when what is left of them after the build is too
    little (`too_little_left`), so that the core goes back to the search. The measure is the
    build's own wall time, on this machine under its present load."""
    begin = time.monotonic()
    try:
        lp = linear_program(site_relaxation(problem).model)
        built = time.monotonic() - begin
        left = seconds - built
        if not patient and too_little_left(built, left):
            return {
                "error": f"not solved: {max(0.0, left):.1f} s were left after its {built:.1f} s "
                "build, too little (raise --time-limit for the LP's bound)"
            }
        return {"bound": LpBound(lp, left).solve() if left > 0 else None}
    except Exception as exc:  # the bound is optional: the search goes on without it
        return {"error": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    """`python -m scheduler.model.lp_bound`: (seconds, patient), then the problem, pickled
    on stdin; the answer as one JSON line on stdout (the parent's own data, hence pickle)."""
    die_with_parent()
    seconds, patient = pickle.load(sys.stdin.buffer)
    problem = pickle.load(sys.stdin.buffer)
    answer = _child_bound(problem, seconds, patient)
    sys.stdout.write(json.dumps({**answer, "peak_kb": peak_kb()}) + "\n")


class RelaxationBound:
    """The LP bound of the problem's site relaxation (`model.relaxation`), as one task.

    `run()` has a child process build and solve it within what is left of `seconds`, counted
    from the task's making however late it starts, and waits for it (in a thread of its own);
    `stop()`, from any thread, ends the child. A process rather than a thread: the build is
    Python that would share the interpreter lock with the neighbourhood search (22 s instead of
    10 s on a 719-session instance), and HiGHS can only be interrupted through Python callbacks,
    which the same lock slowed from 47 s to no end within 200 s. The child runs in a session of
    its own, so that a Ctrl-C at the terminal reaches the parent only. `bound` is None until the
    child answers the bound its LP's duals prove (`LpBound`); `found(bound)` is called then.
    Unless `patient` (a caller that waits for the bound, whatever the time: deterministic
    solves), the child gives up after its build when too little of `seconds` is left to solve
    the LP (`too_little_left`).
    """

    def __init__(
        self,
        problem: Problem,
        seconds: float,
        found: Callable[[float], None],
        patient: bool = False,
    ) -> None:
        self.problem, self.seconds, self.found = problem, seconds, found
        self._made = time.monotonic()  # `seconds` count from here, however late the start
        self.patient = patient
        self.bound: int | None = None
        self.error: str | None = None  # why no bound, when the relaxation could not be solved
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._payload: bytes | None = None  # the problem, pickled

    def start(self) -> None:
        """`run()` in a thread of its own, once (later calls do nothing). The problem is
        pickled here, on the caller's thread, unless `prepare` did it earlier: the model's
        build fills the problem's cached properties (its `__dict__`), which a pickle in the
        thread would walk meanwhile."""
        if self._thread is None and self._pickled() is not None:
            self._thread = threading.Thread(target=self.run, daemon=True)
            self._thread.start()

    def prepare(self) -> None:
        """Pickle the child's payload now, on this thread, for a `start()` to come: before
        the greedy and the model's build fill the problem's caches."""
        self._pickled()

    def _pickled(self) -> bytes | None:
        """The child's problem, pickled once; None (and `error` set) if it cannot be."""
        if self._payload is None and self.error is None:
            try:
                self._payload = pickle.dumps(self.problem)
            except Exception as exc:  # the bound is optional: the search goes on without it
                self.error = f"{type(exc).__name__}: {exc}"
        return self._payload

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread `start()` began, if any (`timeout` seconds at most); whether
        it has ended (or never began)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def run(self) -> None:
        """Start the child, wait for its answer; any failure only leaves `error` set."""
        try:
            self._run()
        except Exception as exc:  # the bound is optional: the search goes on without it
            self.error = f"{type(exc).__name__}: {exc}"
            self.stop()

    def _run(self) -> None:
        payload = self._pickled()
        # what is left of `seconds` now: the child gives up when too little is left after
        # its build, and `solve` may start it after the first timetable
        left = max(0.0, self.seconds - (time.monotonic() - self._made))
        header = pickle.dumps((left, self.patient))
        with self._lock:
            if self._stopped or payload is None:
                return
            self._process = subprocess.Popen(
                [sys.executable, "-m", "scheduler.model.lp_bound"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                env=child_environment(),
            )
        process = self._process
        try:
            out, _ = process.communicate(header + payload, timeout=left + GRACE_SECONDS)
        except (subprocess.TimeoutExpired, OSError):
            saw_child_peak(peak_kb(process.pid))
            process.kill()
            process.wait()
            return
        if self._stopped:
            return
        if process.returncode != 0:
            self.error = f"the LP process ended with exit code {process.returncode}"
            return
        answer = json.loads(out.decode().strip().splitlines()[-1])
        saw_child_peak(answer.get("peak_kb"))
        if answer.get("error"):
            self.error = str(answer["error"])
        elif answer.get("bound") is not None:
            with self._lock:
                self.bound = bound = int(answer["bound"])
                found = self.found
            found(bound)

    def tell(self, found: Callable[[float], None]) -> None:
        """Call `found(bound)` from now on instead, and at once if the bound is already in
        (a task started before its reader: `solve` starts it before the model's build)."""
        with self._lock:
            self.found = found
            known = self.bound
        if known is not None:
            found(known)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            process = self._process
        if process is not None and process.poll() is None:
            saw_child_peak(peak_kb(process.pid))  # its own answer will not come
            process.kill()


if __name__ == "__main__":
    main()
