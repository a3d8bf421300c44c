"""The greedy's timetable finished before the model's build: local repairs and restarts.

When the first greedy (`construct.greedy_timetable`) leaves sessions out, `finished_greedy`
runs the greedy again with the series it left out first (`squeaky_wheel`), re-solves the
sessions around what the best run left out in small models (`local_repair`), then runs the
greedy and repairs its best again; each step until its share of the time limit. All of it
comes before the whole model is built (about 25 s at 1,405 sessions), so that a timetable
found here is the solve's first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from scheduler.data.problem import Problem
from scheduler.model.cpsat import SolveOptions
from scheduler.model.interrupt import tripped
from scheduler.model.local_repair import local_repair
from scheduler.solution import Timetable
from scheduler.squeaky_wheel import SqueakyWheel

# The shares of the time limit, counted from the solve's start, until which each step may run:
# greedy restarts with the series left out first (`squeaky_wheel`), at most `SQUEAKY_ROUNDS`
# runs in all; a local repair of the best run; more restarts; a local repair of their best.
# Restarts come first because they are cheap on small instances and their timetables are
# cheaper (cost-led): a local repair first made a 79-session solve's first timetable 0.5 s
# later and its 20 s objective 7-40 worse (3 seeds). The repair comes before the restarts'
# half of the limit because each run is slow at scale (1,405 sessions: 3-5 s a run, complete
# at the 12th, where a repair of the first took 9 s). Stop 66, benchmarks/README.md.
RESTARTS_ALONE_SHARE, FIRST_REPAIR_SHARE = 0.1, 0.3
SQUEAKY_SHARE_OF_LIMIT, SECOND_REPAIR_SHARE = 0.5, 0.75
SQUEAKY_ROUNDS = 20
# Deterministic runs count no clock: their restarts are as many as a share of the budget
# would allow at this many sessions placed per second (a 2-core machine's greedy: 1,405
# sessions in 2.7 s, 719 in 1.7 s), and a repair has its window's share of the budget in
# CP-SAT's deterministic time.
GREEDY_SESSIONS_PER_SECOND = 400


def finished_greedy(
    problem: Problem,
    options: SolveOptions,
    timetable: Timetable,
    since: float,
    say: Callable[[str], None],
) -> tuple[Timetable, float]:
    """`timetable` (a first greedy's) when it places every session; else the first that
    does of: the greedy's restarts, a local repair of their best, more restarts, a local
    repair of their best (when it places more than the one repaired before); else the best
    run. With the deterministic time the repairs' searches used (phase 1's budget in
    deterministic mode). `since`: the solve's start, from which the shares count."""
    if len(timetable) == len(problem.sessions):
        return timetable, 0.0
    wheel = SqueakyWheel(problem, timetable, say)
    _restarts(wheel, options, since, RESTARTS_ALONE_SHARE)
    if wheel.complete:
        return wheel.best, 0.0
    tried = wheel.best
    first_window = (RESTARTS_ALONE_SHARE, FIRST_REPAIR_SHARE)
    repaired, used = _repaired(problem, options, tried, since, first_window, say)
    if repaired is not None:
        return repaired, used
    _restarts(wheel, options, since, SQUEAKY_SHARE_OF_LIMIT)
    if wheel.complete or len(wheel.best) <= len(tried):
        return wheel.best, used
    second_window = (SQUEAKY_SHARE_OF_LIMIT, SECOND_REPAIR_SHARE)
    repaired, more = _repaired(problem, options, wheel.best, since, second_window, say)
    return (wheel.best if repaired is None else repaired), used + more


def _restarts(wheel: SqueakyWheel, options: SolveOptions, since: float, share: float) -> None:
    """`wheel`'s runs until `share` of the limit from `since`, or Ctrl-C; in deterministic
    mode, as many runs in all as that share of the budget would allow at
    `GREEDY_SESSIONS_PER_SECOND`, whatever the clock; `SQUEAKY_ROUNDS` runs in all at most."""
    if options.deterministic:
        sessions = max(1, len(wheel.problem.sessions))
        rounds = int(share * options.time_limit * GREEDY_SESSIONS_PER_SECOND / sessions)
        stop = tripped
    else:
        rounds, deadline = SQUEAKY_ROUNDS, since + share * options.time_limit
        stop = lambda: tripped() or time.monotonic() >= deadline  # noqa: E731
    while wheel.runs < min(SQUEAKY_ROUNDS, rounds) and wheel.run(stop):
        pass


def _repaired(
    problem: Problem,
    options: SolveOptions,
    timetable: Timetable,
    since: float,
    window: tuple[float, float],
    say: Callable[[str], None],
) -> tuple[Timetable | None, float]:
    """`local_repair` of `timetable` until the end of `window` (shares of the limit from
    `since`: wall clock), or for the window's length as a share of the budget (deterministic
    time)."""
    if options.deterministic:
        budget, stop = (window[1] - window[0]) * options.time_limit, tripped
    else:
        deadline = since + window[1] * options.time_limit
        budget = deadline - time.monotonic()
        stop = lambda: tripped() or time.monotonic() >= deadline  # noqa: E731
    return local_repair(problem, timetable, options, budget, stop, say)
