"""Greedy restarts that put first the series the last ones left out ("squeaky wheel").

The greedy constructor (`scheduler.construct`) places series in a fixed order, most
constrained first. On large instances it leaves a few series unfinished: others, placed
before them, took what they needed. Each restart here orders first the series that have failed
most often so far (and their predecessors), and the rest as before; the greedy is
deterministic, so the rounds are too. This is Joslin and Clements' "squeaky wheel"
optimisation (JAIR 10, 1999) on the order alone.

Measured on generated instances (`benchmarks/README.md`, stop 65): 561 sessions complete at
the 6th greedy, 719 at the 16th, 1,405 at the 12th; the first greedy left 5, 12 and 26 out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from scheduler.construct import greedy_timetable, left_out
from scheduler.data.problem import Problem
from scheduler.solution import Timetable


def unfinished_series(problem: Problem, timetable: Timetable) -> list[str]:
    """The series with a session that `timetable` leaves out, in the problem's order."""
    placed = {a.session for a in timetable}
    return [sid for sid, ss in problem.series.items() if any(s.id not in placed for s in ss)]


def priority(failures: Counter[str], before: list[str]) -> list[str]:
    """The series that failed, most failures first; ties keep their order in `before` (the
    last priority), and those new to it come after, in the problem's order (`failures`'s)."""
    rank = {sid: k for k, sid in enumerate(before)}
    return sorted(failures, key=lambda sid: (-failures[sid], rank.get(sid, len(rank))))


class SqueakyWheel:
    """Greedy runs, each with the series the earlier ones left out first, run one at a time
    (`run`), so that a caller may do something else between them (a local repair); `best` is
    the run that placed the most sessions (the earliest of those alike)."""

    def __init__(
        self, problem: Problem, start: Timetable, say: Callable[[str], None] = lambda line: None
    ) -> None:
        self.problem, self.say = problem, say
        self.best = self.last = start
        self.runs = 1  # `start` is the first
        self.failures: Counter[str] = Counter()
        self.order: list[str] = []

    @property
    def complete(self) -> bool:
        return len(self.best) == len(self.problem.sessions)

    def run(self, stop: Callable[[], bool] = lambda: False) -> bool:
        """One more greedy run, unless the best places every session or `stop()` says so
        (asked during the run too); whether it ran to its end."""
        if self.complete or stop():
            return False
        self.failures.update(unfinished_series(self.problem, self.last))
        self.order = priority(self.failures, self.order)
        again = greedy_timetable(self.problem, partial=True, stop=stop, first=self.order)
        if again is None:  # stopped (Ctrl-C, or the limit)
            return False
        self.runs += 1
        self.last = again
        self.say(
            f"greedy {self.runs}, its unfinished series first, placed {len(again)} sessions"
            f"{left_out(self.problem, again)}"
        )
        if len(again) > len(self.best):
            self.best = again
        return True


def squeaky_greedy(
    problem: Problem,
    rounds: int,
    stop: Callable[[], bool] = lambda: False,
    start: Timetable | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> Timetable | None:
    """The greedy's timetable that places the most sessions (the earliest of those alike)
    within `rounds` greedy runs, stopping at the first complete one, or when `stop()` says so
    between two runs or during one (`start`: the first run's timetable, when made already).
    None when the greedy cannot start (a cycle of precedences)."""
    if start is None:
        start = greedy_timetable(problem, partial=True, stop=stop)
    if start is None:
        return None
    wheel = SqueakyWheel(problem, start, say)
    while wheel.runs < rounds and wheel.run(stop):
        pass
    return wheel.best
