"""Solve a problem (phase 1, then phase 2) and turn CP-SAT's answer into a solver-free `Result`.

Phase 1 (any timetable) is `model.first_timetable`; the CP-SAT plumbing both phases share
(options, parameters, complete hints) is `model.cpsat`, re-exported here for callers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler import __version__
from scheduler.data.problem import Problem
from scheduler.errors import SolveError
from scheduler.model.build import BuiltModel, build_model, hint_solution
from scheduler.model.cpsat import (
    STATUS,
    Customize,
    SolveOptions,
    Timetable,
    assignments_from_values,
    complete_from,
    complete_timetable,
    objective_of_values,
    ortools_version,
    parameters,
)
from scheduler.model.data_bound import data_bound
from scheduler.model.first_timetable import find_feasible
from scheduler.model.lns import Search, sequential_search
from scheduler.solution import Assignment, Result, SolverInfo, Status, relative_gap, within_gap

__all__ = [
    "Customize",
    "SolveOptions",
    "Timetable",
    "assignments_from_values",
    "complete_from",
    "complete_timetable",
    "find_feasible",
    "hint_solution",
    "objective_of_values",
    "parameters",
    "run",
    "solve",
]


class _Trace:
    """(seconds, objective, bound) points of a search whose reports come from several threads.

    Points are kept monotone (the objective never rises, the bound never falls: a late report
    from another thread cannot undo an earlier one), the bound is floored by a bound known
    beforehand, and a report that changes nothing adds no point.
    """

    def __init__(self, floor: int, on_point: Callable[[float, int, int], None] | None) -> None:
        self.floor = floor
        self.points: list[tuple[float, int, int]] = []
        self._on_point = on_point
        self._lock = threading.Lock()

    def add(self, seconds: float, objective: int, bound: float | None) -> None:
        with self._lock:
            low = self.floor if bound is None else max(self.floor, int(bound))
            if self.points:
                _, last_objective, last_low = self.points[-1]
                objective, low = min(objective, last_objective), max(low, last_low)
                if (objective, low) == (last_objective, last_low):
                    return
            self.points.append((round(seconds, 3), objective, low))
            if self._on_point is not None:
                self._on_point(seconds, objective, low)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records (seconds, objective, bound) at each improving solution and each better bound.

    It stops the search at a solution that the bound known beforehand (`floor`, which CP-SAT
    does not know) proves within `gap_limit` (0: proved optimal).
    """

    def __init__(
        self,
        floor: int,
        on_solution: Callable[[float, int, int], None] | None,
        gap_limit: float = 0.0,
    ) -> None:
        super().__init__()
        self._start = time.monotonic()
        self.trace = _Trace(floor, on_solution)
        self.gap_limit = gap_limit

    @property
    def points(self) -> list[tuple[float, int, int]]:
        return self.trace.points

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self._start
        self.trace.add(elapsed, int(self.objective_value), self.best_objective_bound)
        _, objective, low = self.trace.points[-1]
        if within_gap(objective, low, self.gap_limit):
            self.stop_search()

    def on_bound(self, bound: float) -> None:
        """A better bound between solutions: a point with the best objective so far."""
        points = self.trace.points
        if points:  # before the first solution there is no objective to pair it with
            self.trace.add(time.monotonic() - self._start, points[-1][1], bound)


def assignments_of(solver: cp_model.CpSolver, built: BuiltModel) -> tuple[Assignment, ...]:
    """The placements whose literal is true in the solver's best solution."""
    return tuple(
        sorted(
            Assignment(c.session.id, c.start.date, c.start.slot, c.room)
            for c, var in built.variables.x.items()
            if solver.boolean_value(var)
        )
    )


def costs_of(solver: cp_model.CpSolver, built: BuiltModel) -> dict[str, int]:
    """Weighted cost of each soft rule in the solver's best solution."""
    costs: dict[str, int] = {}
    for p in built.penalties:
        costs[p.rule] = costs.get(p.rule, 0) + p.weight * int(solver.value(p.units))
    return costs


def run(
    built: BuiltModel,
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None = None,
    floor: int | None = None,
) -> tuple[cp_model.CpSolver, Result]:
    """Solve a built model; time limit and Ctrl-C return the best solution found so far.

    `floor` is the bound known beforehand (`known_bound`, computed here when not given).
    """
    problem_check = built.model.validate()
    if problem_check:
        raise SolveError(f"invalid CP-SAT model (a bug): {problem_check}")
    solver = cp_model.CpSolver()
    solver.parameters.copy_from(parameters(options))
    if options.verbose and options.log is not None:
        solver.log_callback = options.log
    progress = _Progress(
        known_bound(built) if floor is None else floor, on_solution, options.gap_limit
    )
    solver.best_bound_callback = progress.on_bound
    start = time.monotonic()
    code = solver.solve(built.model, progress)
    wall = time.monotonic() - start
    progress.on_bound(solver.best_objective_bound)  # the final bound (a proof, when optimal)
    status = STATUS.get(code, Status.UNKNOWN)
    info = SolverInfo(
        name="cp-sat",
        version=f"scheduler {__version__}, ortools {ortools_version()}",
        seed=options.seed,
        workers=1 if options.deterministic else options.workers,
        time_limit=options.time_limit,
        deterministic=options.deterministic,
    )
    if not status.has_solution:
        return solver, Result(status=status, wall_seconds=wall, solver=info)
    has_objective = bool(built.penalties) or bool(built.extra_objective)
    costs = costs_of(solver, built)
    # The objective is reported as the sum of the per-rule costs evaluated on the returned
    # solution, which equals the model's objective expression evaluated on it (the same terms)
    # and the checker's. On non-optimal solutions of the sample, CP-SAT 9.15's
    # `objective_value` was seen to exceed that evaluation (1903 vs 1863, the evaluation of
    # the proto objective on `response_proto.solution` giving 1863): we report what the
    # returned timetable costs. Tests hold checker == reported objective.
    objective = sum(costs.values()) if built.penalties and not built.extra_objective else None
    if objective is None:
        objective = int(solver.objective_value) if has_objective else 0
    bound = max(progress.trace.floor, int(solver.best_objective_bound)) if has_objective else 0
    if status == Status.FEASIBLE and bound >= objective:
        status = Status.OPTIMAL  # the known bound proves what CP-SAT's search had not
    elif status == Status.OPTIMAL and bound < objective:
        status = Status.FEASIBLE  # CP-SAT's answer at its relative gap limit is no proof
    return solver, Result(
        status=status,
        assignments=assignments_of(solver, built),
        objective=objective,
        bound=bound,
        wall_seconds=wall,
        first_solution_seconds=progress.points[0][0] if progress.points else wall,
        costs=costs,
        solver=info,
        progress=tuple(progress.points),
        message=gap_note(status, objective, bound, options.gap_limit),
    )


def gap_note(status: Status, objective: int, bound: int, gap_limit: float) -> str:
    """Why a search ended before the time limit without a proof: the gap limit was met."""
    if status != Status.FEASIBLE or gap_limit <= 0 or not within_gap(objective, bound, gap_limit):
        return ""
    gap = relative_gap(objective, bound)
    return (
        f"stopped at the gap limit: gap {100 * gap:.1f} % <= {100 * gap_limit:.1f} % (--gap-limit)"
    )


def known_bound(built: BuiltModel) -> int:
    """A bound known before any search: the larger of `_trivial_bound` and `data_bound`
    (valid for a re-solve too: its extra terms, the disruption, are never negative)."""
    return max(_trivial_bound(built), data_bound(built))


def _trivial_bound(built: BuiltModel) -> int:
    """The objective's least value over the variables' domains alone (before any search)."""
    proto = built.model.proto
    low = int(proto.objective.offset)
    for index, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        domain = list(proto.variables[index].domain)  # [lo, hi] or [lo1, hi1, lo2, hi2...]
        low += coeff * (domain[0] if coeff > 0 else domain[-1])
    return low


def _neighbourhood_search(
    built: BuiltModel,
    problem: Problem,
    values: list[int],
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None,
    floor: int,
) -> Result:
    """Phase 2 by `model.lns`: week and series neighbourhoods beside a bound search."""
    trace = _Trace(floor, on_solution)
    start = time.monotonic()
    search = Search(
        built,
        problem,
        values,
        parameters(options),
        options.time_limit,
        options.seed,
        lambda vals: objective_of_values(built, vals)[0],
        trace.add,
        log=options.log if options.verbose else None,
        floor=floor,
        gap_limit=options.gap_limit,
    )
    trace.add(0.0, search.incumbent.objective, None)  # the first timetable's point
    best, objective, bound, proved = search.run()
    _, costs = objective_of_values(built, best)
    low = trace.floor if bound is None else max(trace.floor, int(bound))
    optimal = proved or low >= objective
    info = SolverInfo(
        name="cp-sat+lns",
        version=f"scheduler {__version__}, ortools {ortools_version()}",
        seed=options.seed,
        workers=options.workers,
        time_limit=options.time_limit,
        deterministic=False,
    )
    return Result(
        status=Status.OPTIMAL if optimal else Status.FEASIBLE,
        assignments=assignments_from_values(built, best),
        objective=objective,
        bound=objective if optimal else low,
        wall_seconds=time.monotonic() - start,
        costs=costs,
        solver=info,
        progress=tuple(trace.points),
        message="" if optimal else gap_note(Status.FEASIBLE, objective, low, options.gap_limit),
    )


# One-worker phase 2: the share of its budget for a CP-SAT search before neighbourhood steps.
SEARCH_SHARE = 0.25


def _search_then_steps(
    built: BuiltModel,
    problem: Problem,
    values: list[int],
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None,
    floor: int,
) -> Result:
    """Phase 2 on one worker: a CP-SAT search for `SEARCH_SHARE` of the budget (it proves small
    instances optimal), then neighbourhood steps from its best timetable for the rest, one
    after another (`lns.sequential_search`), on CP-SAT's deterministic clock when
    `options.deterministic`. The bound is the search's (floored by `floor`)."""
    first = replace(options, time_limit=options.time_limit * SEARCH_SHARE)
    solver, searched = run(built, first, on_solution, floor)
    low = searched.bound
    if not searched.status.has_solution or low is None or searched.objective is None:
        return searched
    if within_gap(searched.objective, low, options.gap_limit):
        return searched
    spent = (
        solver.response_proto.deterministic_time if options.deterministic else searched.wall_seconds
    )
    trace = _Trace(low, on_solution)
    trace.points.extend(searched.progress)
    offset, steps_began = searched.wall_seconds, time.monotonic()
    best, objective = sequential_search(
        built,
        problem,
        list(solver.response_proto.solution),
        parameters(options),
        max(0.0, options.time_limit - spent),
        options.seed,
        lambda vals: objective_of_values(built, vals)[0],
        options.deterministic,
        lambda t, o, b: trace.add(offset + t, o, b),
        log=options.log if options.verbose else None,
        floor=low,
        gap_limit=options.gap_limit,
    )
    _, costs = objective_of_values(built, best)
    optimal = low >= objective
    return replace(
        searched,
        status=Status.OPTIMAL if optimal else Status.FEASIBLE,
        assignments=assignments_from_values(built, best),
        objective=objective,
        bound=objective if optimal else low,
        wall_seconds=offset + (time.monotonic() - steps_began),
        costs=costs,
        solver=replace(searched.solver, name="cp-sat+lns"),
        progress=tuple(trace.points),
        message="" if optimal else gap_note(Status.FEASIBLE, objective, low, options.gap_limit),
    )


def _left(options: SolveOptions, begin: float) -> float:
    """Wall seconds left of the limit since `begin` (at least 1, so that a phase can finish)."""
    return max(1.0, options.time_limit - (time.monotonic() - begin))


def _shifted(
    on_solution: Callable[[float, int, int], None] | None, seconds: float
) -> Callable[[float, int, int], None] | None:
    """`on_solution` with times counted from the start of phase 1, as in `Result.progress`."""
    if on_solution is None:
        return None
    callback = on_solution
    return lambda t, objective, bound: callback(t + seconds, objective, bound)


def solve(
    problem: Problem,
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None = None,
    customize: Customize | None = None,
) -> Result:
    """Build and solve the model of `problem`: first any timetable, then the best one.

    The first phase finds a feasible timetable without the objective; the second starts from
    it (as a complete hint) and minimises the soft cost for the remaining time.
    """
    begin = time.monotonic()  # the wall-clock limit covers the whole call, builds included
    built = build_model(problem)
    if customize is not None:
        customize(built)
    # In deterministic mode time limits are deterministic-time budgets, not wall seconds:
    # split the budget between the phases so that the whole solve stays within it.
    if options.deterministic:
        first_options = replace(options, time_limit=options.time_limit / 2)
    else:
        first_options = replace(options, time_limit=_left(options, begin))
    values, status, first_seconds = find_feasible(problem, built, first_options, customize)
    if values is None:
        info = SolverInfo(seed=options.seed, workers=options.workers, time_limit=options.time_limit)
        return Result(status=status, wall_seconds=first_seconds, solver=info)
    hint_solution(built.model, values)
    floor = known_bound(built)  # before the budget of phase 2: it takes up to seconds
    remaining = options.time_limit / 2 if options.deterministic else _left(options, begin)
    phase2 = SolveOptions(**{**options.__dict__, "time_limit": remaining})
    shifted = _shifted(on_solution, first_seconds)
    if options.lns and not options.deterministic and options.workers >= 2 and customize is None:
        result = _neighbourhood_search(built, problem, values, phase2, shifted, floor)
    elif options.lns and customize is None:
        result = _search_then_steps(built, problem, values, phase2, shifted, floor)
    else:
        _, result = run(built, phase2, shifted, floor)
    if not result.status.has_solution:
        objective, costs = objective_of_values(built, values)
        result = replace(
            result,
            status=Status.FEASIBLE,
            assignments=assignments_from_values(built, values),
            objective=objective,
            bound=floor if result.bound is None else max(floor, result.bound),
            costs=costs,
            message="the optimisation phase found no better timetable in time: first timetable kept",
        )
    points = tuple((round(t + first_seconds, 3), o, b) for t, o, b in result.progress)
    return replace(
        result,
        wall_seconds=result.wall_seconds + first_seconds,
        first_solution_seconds=first_seconds,
        progress=points,
        solver=replace(result.solver, time_limit=options.time_limit),
    )
