"""Phase 2: improve a first timetable for the rest of the time limit.

Two workers or more: `neighbourhood_search`, the threaded steps of `model.lns` beside a bound
search (on a small instance, after CP-SAT's own search on every worker: `whole_search_share`).
One worker (`--deterministic`, `--workers 1`): `search_then_steps`, a CP-SAT search that proves
small instances, then the same steps one after another (`model.steps`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.model.build import BuiltModel
from scheduler.model.cpsat import (
    SolveOptions,
    assignments_from_values,
    objective_of,
    objective_of_values,
    parameters,
)
from scheduler.model.interrupt import Interrupted
from scheduler.model.lns import Search
from scheduler.model.lp_bound import RelaxationBound
from scheduler.model.neighbourhoods import START_SIZE
from scheduler.model.single_search import Trace, gap_note, run, solver_info
from scheduler.model.steps import sequential_search
from scheduler.solution import Result, Status, within_gap


def _improved(
    built: BuiltModel,
    best: list[int],
    objective: int,
    low: int,
    proved: bool,
    options: SolveOptions,
    trace: Trace,
    wall: float,
) -> Result:
    """The result of a search that improved a first timetable into `best`, bound `low`."""
    _, costs = objective_of_values(built, best)
    optimal = proved or low >= objective
    status = Status.OPTIMAL if optimal else Status.FEASIBLE
    return Result(
        status=status,
        assignments=assignments_from_values(built, best),
        objective=objective,
        bound=objective if optimal else low,
        wall_seconds=wall,
        costs=costs,
        solver=solver_info(options, "cp-sat+lns"),
        progress=tuple(trace.points),
        message=gap_note(status, objective, low, options.gap_limit),
    )


def neighbourhood_search(
    built: BuiltModel,
    problem: Problem,
    values: list[int],
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None,
    floor: int,
    relaxed: RelaxationBound | None = None,
) -> Result:
    """Phase 2 by `model.lns`: week and series neighbourhoods beside a bound search (and
    the relaxation's LP bound: `relaxed` when the caller made it, started here unless it was
    already); on a small instance, after CP-SAT's own search on every worker
    (`whole_search_share`)."""
    start = time.monotonic()
    if relaxed is not None:  # from phase 2's start at the latest (`solve` may have started it)
        relaxed.start()
    trace = Trace(floor, on_solution)
    share = whole_search_share(problem)
    if share > 0:
        first = replace(options, time_limit=options.time_limit * share)
        with Interrupted() as interrupted:
            solver, searched = run(built, first, on_solution, floor)
        lp = None if relaxed is None else relaxed.bound  # in already, if started early
        floor = max(b for b in (floor, searched.bound, lp) if b is not None)
        if searched.status.has_solution:
            assert searched.objective is not None  # a timetable's
            over = options.time_limit - (time.monotonic() - start) < MIN_STEPS_SECONDS
            if over or interrupted.flag or within_gap(searched.objective, floor, options.gap_limit):
                # no time left, Ctrl-C, proved optimal, or within the gap limit
                return _bounded(searched, searched.objective, floor, options.gap_limit)
            values = list(solver.response_proto.solution)
        elif interrupted.flag:
            return searched
        trace.floor = floor
        trace.points.extend(searched.progress)
    offset = time.monotonic() - start
    search = Search(
        built,
        problem,
        values,
        parameters(options),
        options.time_limit - offset,
        options.seed,
        lambda vals: objective_of(built, vals),
        lambda t, o, b: trace.add(offset + t, o, b),
        log=options.log if options.verbose else None,
        floor=floor,
        gap_limit=options.gap_limit,
        relaxed=relaxed,
    )
    trace.add(offset, search.incumbent.objective, None)  # the search's first timetable
    best, objective, bound, proved = search.run()
    low = trace.floor if bound is None else max(trace.floor, int(bound))
    wall = time.monotonic() - start
    return _improved(built, best, objective, low, proved, options, trace, wall)


def _bounded(result: Result, objective: int, bound: int, gap_limit: float) -> Result:
    """`result` (of a timetable costing `objective`) with `bound`, a better one than its
    search's: optimal when it meets the objective."""
    status = Status.OPTIMAL if bound >= objective else result.status
    message = gap_note(status, objective, bound, gap_limit) or result.message
    return replace(result, status=status, bound=min(bound, objective), message=message)


# On a small instance, the share of phase 2 that CP-SAT's own search takes on every worker
# before the neighbourhood steps (`whole_search_share`).
SMALL_SEARCH_SHARE = 0.5
# The least time left for the steps after that search (less: its timetable is the result).
MIN_STEPS_SECONDS = 0.5
# An instance is small when a first neighbourhood step (`neighbourhoods.START_SIZE` sessions)
# frees at least this share of its sessions.
SMALL_STEP_SHARE = 0.25


def whole_search_share(problem: Problem) -> float:
    """The share of phase 2 for CP-SAT's own search, on every worker, before the steps.

    Where one step frees a quarter of the sessions or more, steps are nearly whole solves
    cut short after a second without better, and each worker searches alone; CP-SAT's own
    workers share their solutions and its LP. On 14 instances of 17-107 sessions the
    project had never seen (15 s, 4 seeds, benchmarks/README.md, "Stop 50"), CP-SAT alone
    did better on some of 30-43 sessions (34 sessions: 25 in every seed, against 25-46 for
    the steps), worse on others (the project's 27-session certificate: 68-84 against 69)
    and from 74 sessions on (462-521 against 337-435). Half and half did best on the small ones
    (seven of 27-54 sessions: 13 of 28 paired runs better than the steps alone, 5 worse, 10
    equal; with three quarters for the search, the certificate 60-92).
    """
    small = SMALL_STEP_SHARE * len(problem.sessions) <= START_SIZE
    return SMALL_SEARCH_SHARE if small else 0.0


# One-worker phase 2: the share of its budget for a CP-SAT search before neighbourhood steps.
SEARCH_SHARE = 0.25


def _spent(solver: cp_model.CpSolver, options: SolveOptions) -> float:
    """The time a search used, on the phase's clock (deterministic or wall)."""
    if options.deterministic:
        return solver.response_proto.deterministic_time
    return solver.wall_time


def search_then_steps(
    built: BuiltModel,
    problem: Problem,
    values: list[int],
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None,
    floor: int,
) -> Result:
    """Phase 2 on one worker: a CP-SAT search for `SEARCH_SHARE` of the budget (it proves small
    instances optimal), then neighbourhood steps for the rest, one after another
    (`steps.sequential_search`), from the search's best timetable or, when it found none in
    its share, from `values`; on CP-SAT's deterministic clock when `options.deterministic`.
    The bound is the search's (floored by `floor`), and with `options.deterministic` also the
    LP bound of the site relaxation, waited for at the end. Ctrl-C during the search ends the
    phase there (`solve` keeps the first timetable if the search found none)."""
    with _lp_beside(problem, options) as relaxed:
        first = replace(options, time_limit=options.time_limit * SEARCH_SHARE)
        with Interrupted() as interrupted:
            solver, searched = run(built, first, on_solution, floor)
        found = searched.objective if searched.status.has_solution else None
        low = floor if searched.bound is None else max(floor, searched.bound)
        if interrupted.flag or (found is not None and within_gap(found, low, options.gap_limit)):
            return searched  # Ctrl-C, proved optimal, or within the gap limit
        spent = _spent(solver, first)
        start = list(solver.response_proto.solution) if found is not None else values
        trace = Trace(low, on_solution)
        trace.points.extend(searched.progress)
        offset, steps_began = searched.wall_seconds, time.monotonic()
        if found is None:  # the steps start from the first timetable: its point opens the trace
            trace.add(offset, objective_of(built, values), None)
        best, objective = sequential_search(
            built,
            problem,
            start,
            parameters(options),
            max(0.0, options.time_limit - spent),
            options.seed,
            lambda vals: objective_of(built, vals),
            options.deterministic,
            lambda t, o, b: trace.add(offset + t, o, b),
            log=options.log if options.verbose else None,
            floor=low,
            gap_limit=options.gap_limit,
        )
        if relaxed is not None and not interrupted.flag:
            lp = relaxed.bound(interrupted)
            if lp is not None and lp > low:
                low = lp
                trace.add(offset + (time.monotonic() - steps_began), objective, low)
        wall = offset + (time.monotonic() - steps_began)
        return _improved(built, best, objective, low, False, options, trace, wall)


def _lp_beside(problem: Problem, options: SolveOptions) -> _LpBeside | nullcontext[None]:
    """The relaxation's LP bound started beside a deterministic solve, else nothing."""
    # Deterministic solves (one worker for reproducibility, not to spare the machine) get the
    # LP bound of the site relaxation too, in a child process beside them; it only raises the
    # bound reported at the end, so the steps and the timetable do not depend on its timing.
    beside: _LpBeside | nullcontext[None] = (
        _LpBeside(problem, max(LP_MIN_SECONDS, options.time_limit))
        if options.deterministic
        else nullcontext()
    )
    return beside


# The LP's own wall-clock limit in deterministic solves: waited for at the end, so that the
# same instance gets the same bound on any machine unless the LP is slower than this. A net,
# not a budget: the sample's LP takes ~20-23 s with its build alone on a 2-core machine, 10
# generated programmes' ~90 s (18 s of build), and a loaded machine twice that or more (the
# sample's passed a 30 s limit in a CI run beside other tests, and that run's bound was the
# data's 670 instead of the LP's).
LP_MIN_SECONDS = 240.0


class _LpBeside:
    """The relaxation's LP bound (`lp_bound.RelaxationBound`), started now, read at the end."""

    def __init__(self, problem: Problem, seconds: float) -> None:
        self.task = RelaxationBound(problem, seconds, lambda bound: None, patient=True)
        self.task.start()

    def bound(self, interrupted: Interrupted) -> int | None:
        """The LP bound, waiting for the child to answer (it has its own time limit) unless
        Ctrl-C comes first."""
        while not self.task.join(0.1) and not interrupted.flag:
            pass
        return self.task.bound

    def __enter__(self) -> _LpBeside:
        return self

    def __exit__(self, *exc: object) -> None:
        self.task.stop()
        self.task.join()
