"""Phase 1: a first timetable, from the greedy constructor, its repair, or the hard-rule model."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from dataclasses import replace

from scheduler.construct import greedy_timetable, left_out
from scheduler.data.domains import candidates
from scheduler.data.problem import Problem
from scheduler.model.build import BuildStopped, BuiltModel, build_model
from scheduler.model.cpsat import (
    Customize,
    SolveOptions,
    complete_from,
    complete_timetable,
    solve_once,
)
from scheduler.model.greedy_finish import finished_greedy
from scheduler.model.interrupt import Interrupted, tripped
from scheduler.model.local_repair import local_repair
from scheduler.model.repair import placements_of
from scheduler.solution import Status, Timetable


def complete_start(
    problem: Problem, built: BuiltModel, options: SolveOptions, timetable: Timetable | None
) -> list[int] | None:
    """A complete hint from `timetable` (the greedy's, or one given to start from), when it
    places every session within the model's placements; else None."""
    if timetable is None or len(timetable) != len(problem.sessions):
        return None
    chosen = placements_of(built, timetable)
    if len(chosen) != len(problem.sessions):
        return None
    return complete_timetable(built, set(chosen.values()), options)


def find_feasible(
    problem: Problem,
    built: BuiltModel,
    options: SolveOptions,
    customize: Customize | None = None,
    greedy_start: Timetable | None = None,
    hard: BuiltModel | None = None,
    since: float | None = None,
) -> tuple[list[int] | None, Status, float]:
    """Phase 1: any timetable, from the hard rules alone, completed for the full model.

    The hard-rule model finds a first timetable several times faster than the model with
    the objective. Returns the complete assignment (or None), the status and the time used on
    the phase's clock: wall seconds, or in deterministic mode the deterministic time of the
    hard-rule search and of the local repairs (the greedy and a completion, which depend on no
    clock, count 0), so that phase 2 can have the rest of the budget.

    Deterministic mode repairs a partial greedy timetable only in `finished_greedy`, on
    CP-SAT's deterministic time: the later restarts and their repairs (`_restarted`) are paced
    by the wall clock.
    `greedy_start`: the greedy's (partial) timetable when the caller made it already;
    `hard`: the hard-rule model, likewise (not customised); `since`: the solve's start, from
    which `--verbose` times its lines (the summary's "first" counts the model's build too: the
    two disagreed, an exploratory test).
    """
    start = time.monotonic()
    say = sayer(options, start if since is None else since)
    # the wall-clock limit, checked after the greedy and the hard-rule model's build, the
    # steps that take long on large instances (a 373-session solve given 5 s went on for
    # 15 s: the greedy, that build, then a second at least for the repair and for the
    # search); the greedy itself runs to its end (a second or two: a timetable a little
    # late rather than none on a loaded machine) unless Ctrl-C comes (it let the greedy
    # finish and its timetable was written: an audit)
    deadline = None if options.deterministic else start + options.time_limit
    timetable, units = _greedy_first(problem, options, customize, greedy_start, say)
    # the local repairs' deterministic time counts in deterministic mode
    elapsed = lambda: units if options.deterministic else time.monotonic() - start  # noqa: E731
    values = complete_start(problem, built, options, timetable)
    if values is not None:
        return values, Status.FEASIBLE, elapsed()
    if _passed(deadline, say):
        return None, Status.UNKNOWN, elapsed()
    short = timetable is not None and 0 < len(timetable) < len(problem.sessions)
    short = short and not options.deterministic
    if short and all(candidates(problem, s) for s in problem.sessions):
        # the greedy's local repairs (`finished_greedy`) failed on `timetable`: other greedy
        # starts, each repaired locally, before the whole model's build
        left = options.time_limit - (time.monotonic() - start)
        share = max(1.0, left * REPAIR_SHARE_OF_LIMIT)
        with Interrupted() as interrupted:
            restarted = _restarted(problem, options, share, interrupted, say)
        if interrupted.flag:  # Ctrl-C: no whole-model search after it
            return None, Status.UNKNOWN, elapsed()
        values = complete_start(problem, built, options, restarted)
        if values is not None:
            say("repaired: every session placed")
            return values, Status.FEASIBLE, elapsed()
    if hard is None:
        hard = _hard_model(problem, customize, lambda: _stopped(deadline))
        if _passed(deadline, say) or hard is None:  # stopped during the build: passed too
            return None, Status.UNKNOWN, elapsed()
    return _hard_search(built, hard, options, start, elapsed, say)


def _greedy_first(
    problem: Problem,
    options: SolveOptions,
    customize: Customize | None,
    greedy_start: Timetable | None,
    say: Callable[[str], None],
) -> tuple[Timetable | None, float]:
    """The greedy's (partial) timetable: `greedy_start`, else made now (with its restarts and
    local repairs, `finished_greedy`) unless the model is customised; with the deterministic
    time the repairs used."""
    if greedy_start is not None or customize is not None:
        return greedy_start, 0.0
    began = time.monotonic()
    timetable = greedy_timetable(problem, partial=True, stop=tripped)
    if timetable is None:
        return None, 0.0
    say(
        f"the greedy placed {len(timetable)} of {len(problem.sessions)} sessions"
        f"{left_out(problem, timetable)}"
    )
    return finished_greedy(problem, options, timetable, began, say)


def _hard_model(
    problem: Problem, customize: Customize | None, stop: Callable[[], bool]
) -> BuiltModel | None:
    """The hard-rule model (no objective), customised by `customize` when given; None when
    `stop()` said so during the build (Ctrl-C, the time limit: at 1,986 sessions it took the
    last 20 s of a 60 s solve, then ended it 12 s late)."""
    try:
        hard = build_model(problem, with_objective=False, stop=stop)
    except BuildStopped:
        return None
    if customize is not None:
        customize(hard)
    return hard


def _hard_search(
    built: BuiltModel,
    hard: BuiltModel,
    options: SolveOptions,
    start: float,
    elapsed: Callable[[], float],
    say: Callable[[str], None],
) -> tuple[list[int] | None, Status, float]:
    """`find_feasible`'s search of the hard-rule model for what is left of the limit since
    `start`, its timetable completed for the full model `built`."""
    if not options.deterministic:
        # The greedy attempt and this build count against the limit (wall seconds).
        left = options.time_limit - (time.monotonic() - start)
        options = replace(options, time_limit=max(1.0, left))
    say(f"searching the hard-rule model for any timetable ({options.time_limit:.0f} s at most)")
    solver, status, _ = solve_once(hard.model, options)
    say(f"the hard-rule search ended: {status.name}")
    own = solver.response_proto.deterministic_time if options.deterministic else 0.0
    spent = elapsed() + own  # in deterministic mode, the local repairs' time and this search's
    if not status.has_solution:
        return None, status, spent
    values = complete_from(built, solver, hard, options)
    return values, Status.FEASIBLE if values else Status.UNKNOWN, spent


# The greedy made before the model's build (`early_greedy`) runs until the time limit, but
# at least this long, so that a very short limit still gets its timetable (the sample's takes
# about a second, a loaded machine's two).
GREEDY_MIN_SECONDS = 5.0


def early_greedy(
    problem: Problem,
    options: SolveOptions,
    begin: float,
    first_done: Callable[[bool], None] = lambda whole: None,
) -> tuple[Timetable | None, float | None, bool, float]:
    """The greedy's (partial) timetable, made before the model's build: when it places every
    session, a first timetable is known then (the build and `complete_start` only add the
    model's other variables: on the sample about 0.5 s instead of 3.4-4.4 s from the start).
    Stopped by Ctrl-C and, unless deterministic, at the time limit counted from `begin`
    (`GREEDY_MIN_SECONDS` at least): a 1,986-session instance's greedy ran 70 s past a 60 s
    limit (a scaling run). When it leaves sessions out, restarts and local repairs follow
    (`finished_greedy`). Returns the timetable, the seconds from `begin` when it was complete
    (None when it is not), whether to give up (sessions left out, and the limit passed or
    nearer than one greedy took), and the deterministic time the repairs used.
    `first_done(whole)` is called then, with whether the timetable places every session
    (`solve` starts the LP's child then, beside the model's build, if it does)."""
    limit = None if options.deterministic else begin + max(options.time_limit, GREEDY_MIN_SECONDS)
    over = lambda: limit is not None and time.monotonic() >= limit  # noqa: E731
    started = time.monotonic()
    timetable = greedy_timetable(problem, partial=True, stop=lambda: tripped() or over())
    now = time.monotonic()
    one_greedy = now - started
    say = sayer(options, begin)
    units = 0.0
    if timetable is not None:
        say(
            f"the greedy placed {len(timetable)} of {len(problem.sessions)} sessions"
            f"{left_out(problem, timetable)}"
        )
        timetable, units = finished_greedy(problem, options, timetable, begin, say)
        now = time.monotonic()
    complete = timetable is not None and len(timetable) == len(problem.sessions)
    first_done(complete)
    # Less left than the greedy took: the model's build and a repair would end far past the
    # limit (1,986 sessions: the greedy 57 s of 60, then the build, 123 s in all, for none).
    left = None if limit is None else max(0.0, limit - now)
    if not complete and left is not None and left < one_greedy:
        say(f"the time limit has passed or is too near ({left:.0f} s left): no timetable")
        return timetable, None, True, units
    return timetable, (now - begin if complete else None), False, units


# The share of what phase 1 has left for the greedy's restarts with a perturbed score and their
# local repairs (`_restarted`); the whole model's build and search (no LP) get the rest. A
# quarter (then of a repair in the whole model) got 11 of 12 generated cases a timetable within
# 20 s, half 10 (benchmarks/README.md).
REPAIR_SHARE_OF_LIMIT = 0.25
RESTART_NOISE = 10.0  # the greedy's score perturbation on restarts (soft-cost units)
RESTART_PULLS = (2.0, 0.5)  # restarts alternate a spread-out greedy and a cost-led one
ATTEMPTS_PER_REPAIR, MIN_ATTEMPT = 4, 2.5  # an attempt: 1/4 of the repair time, 2.5 s at least


def _stopped(deadline: float | None) -> bool:
    """Whether Ctrl-C (or SIGTERM) came, or the time limit has passed (never in
    deterministic mode: no `deadline`)."""
    return tripped() or (deadline is not None and time.monotonic() >= deadline)


def _passed(deadline: float | None, say: Callable[[str], None]) -> bool:
    """`_stopped`, said with `--verbose`."""
    if not _stopped(deadline):
        return False
    say(f"{'interrupted' if tripped() else 'the time limit has passed'}: no timetable")
    return True


def sayer(options: SolveOptions, start: float) -> Callable[[str], None]:
    """With `--verbose`, a line per step of the first phase (`first timetable, 2.3 s: ...`),
    so that a slow one shows which part is slow (an audit saw only CP-SAT's log)."""
    log = options.log if options.verbose else None
    if log is None:
        return lambda line: None
    return lambda line: log(f"first timetable, {time.monotonic() - start:.1f} s: {line}")


def _restarted(
    problem: Problem,
    options: SolveOptions,
    seconds: float,
    interrupted: Interrupted,
    say: Callable[[str], None] = lambda line: None,
) -> Timetable | None:
    """A timetable placing every session: the greedy restarted with a perturbed score, each
    start that leaves sessions out repaired locally (`local_repair`), for `seconds` in all
    (Ctrl-C stops it); None when none is found.

    On generated instances a failed repair is often a greedy start that went wrong early:
    of six restarts of one such case, two were repaired within 2 s.
    """
    deadline = time.monotonic() + seconds
    rng = random.Random(options.seed)
    stop = lambda: interrupted.flag or time.monotonic() >= deadline  # noqa: E731
    greedy_seconds = 0.0
    for restart_number in itertools.count():
        if stop() or deadline - time.monotonic() < max(1.0, greedy_seconds):
            return None  # no time for another greedy start and its repair
        begin = time.monotonic()
        pull = RESTART_PULLS[restart_number % len(RESTART_PULLS)]
        restart = greedy_timetable(
            problem, partial=True, rng=rng, noise=RESTART_NOISE, pull=pull, stop=stop
        )
        greedy_seconds = time.monotonic() - begin
        if restart is None:
            return None
        say(f"greedy restart {restart_number + 1} placed {len(restart)} sessions")
        if len(restart) == len(problem.sessions):
            return restart
        attempt = min(deadline - time.monotonic(), max(MIN_ATTEMPT, seconds / ATTEMPTS_PER_REPAIR))
        repaired, _ = local_repair(problem, restart, options, attempt, stop, say)
        if repaired is not None:
            return repaired
    return None
