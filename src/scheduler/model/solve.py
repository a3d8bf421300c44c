"""Run CP-SAT on a built model and turn its answer into a solver-free `Result`."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler import __version__
from scheduler.construct import greedy_timetable
from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.errors import SolveError
from scheduler.model.build import BuiltModel, build_model, hint_solution
from scheduler.model.lns import Interrupted
from scheduler.model.lns import search as lns_search
from scheduler.model.repair import placements_of, repair
from scheduler.solution import Assignment, Result, SolverInfo, Status

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings; `deterministic` gives the same timetable for the same seed anywhere."""

    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    deterministic: bool = False
    verbose: bool = False
    probing_level: int = 0
    light_presolve: bool = True
    lns: bool = True  # week/series neighbourhoods beside a bound search (model.lns), >= 2 workers
    log: Callable[[str], None] | None = None


class _Trace:
    """(seconds, objective, bound) points of a search whose reports come from two threads.

    Points are kept monotone (the objective never rises, the bound never falls: a late report
    from the other thread cannot undo an earlier one), the bound is floored by a bound known
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
    """Records (seconds, objective, bound) at each improving solution and each better bound."""

    def __init__(
        self, built: BuiltModel, on_solution: Callable[[float, int, int], None] | None
    ) -> None:
        super().__init__()
        self._start = time.monotonic()
        self.trace = _Trace(_trivial_bound(built), on_solution)

    @property
    def points(self) -> list[tuple[float, int, int]]:
        return self.trace.points

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self._start
        self.trace.add(elapsed, int(self.objective_value), self.best_objective_bound)

    def on_bound(self, bound: float) -> None:
        """A better bound between solutions: a point with the best objective so far."""
        points = self.trace.points
        if points:  # before the first solution there is no objective to pair it with
            self.trace.add(time.monotonic() - self._start, points[-1][1], bound)


def parameters(options: SolveOptions, optimising: bool = True) -> cp_model.SatParameters:
    """CP-SAT parameters for 2-core machines (SOLVER_NOTES.md).

    `optimising` is False for searches of any timetable (no objective, so no bound to raise).
    """
    params = cp_model.SatParameters()
    params.random_seed = options.seed
    params.cp_model_probing_level = options.probing_level
    if options.deterministic:
        params.num_workers = 1
        params.max_deterministic_time = max(1.0, options.time_limit)
        params.max_time_in_seconds = max(1.0, options.time_limit) * 20
    else:
        params.num_workers = max(1, options.workers)
        params.max_time_in_seconds = options.time_limit
        if params.num_workers == 2 and optimising:
            # Two workers leave one full-problem search beside the LNS and local-search
            # workers. "max_lp" (the full LP relaxation, with cuts) instead of "default_lp":
            # on the sample at 60 s the bound rose from 501 to 745 (gap 61 % -> 42 %) at an
            # equal objective (1,279 vs 1,285). Larger portfolios include max_lp already.
            params.subsolvers.append("max_lp")
    if options.light_presolve:
        # Presolve took ~8 s of a 60 s solve of the sample, half of it in SAT-presolve passes
        # that removed nothing; without them and with one presolve round it took ~2 s.
        params.cp_model_use_sat_presolve = False
        params.max_presolve_iterations = 1
    params.log_search_progress = options.verbose
    params.log_to_stdout = False
    return params


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
) -> tuple[cp_model.CpSolver, Result]:
    """Solve a built model; time limit and Ctrl-C return the best solution found so far."""
    problem_check = built.model.validate()
    if problem_check:
        raise SolveError(f"invalid CP-SAT model (a bug): {problem_check}")
    solver = cp_model.CpSolver()
    solver.parameters.copy_from(parameters(options))
    if options.verbose and options.log is not None:
        solver.log_callback = options.log
    progress = _Progress(built, on_solution)
    solver.best_bound_callback = progress.on_bound
    start = time.monotonic()
    code = solver.solve(built.model, progress)
    wall = time.monotonic() - start
    progress.on_bound(solver.best_objective_bound)  # the final bound (a proof, when optimal)
    status = _STATUS.get(code, Status.UNKNOWN)
    info = SolverInfo(
        name="cp-sat",
        version=f"scheduler {__version__}, ortools {_ortools_version()}",
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
    return solver, Result(
        status=status,
        assignments=assignments_of(solver, built),
        objective=objective,
        bound=int(solver.best_objective_bound) if has_objective else 0,
        wall_seconds=wall,
        first_solution_seconds=progress.points[0][0] if progress.points else wall,
        costs=costs,
        solver=info,
        progress=tuple(progress.points),
    )


def _ortools_version() -> str:
    from ortools import __version__ as ortools_version

    return str(ortools_version)


def _solve_once(
    model: cp_model.CpModel, options: SolveOptions, catch_sigint: bool = True
) -> tuple[cp_model.CpSolver, Status, float]:
    solver = cp_model.CpSolver()
    solver.parameters.copy_from(parameters(options, optimising=False))
    solver.parameters.catch_sigint_signal = catch_sigint
    if options.verbose and options.log is not None:
        solver.log_callback = options.log
    start = time.monotonic()
    code = solver.solve(model)
    return solver, _STATUS.get(code, Status.UNKNOWN), time.monotonic() - start


def complete_from(
    built: BuiltModel, solver: cp_model.CpSolver, source: BuiltModel, options: SolveOptions
) -> list[int] | None:
    """Extend the timetable `solver` found for `source` to every variable of `built`."""
    chosen = {c for c, var in source.variables.x.items() if solver.value(var)}
    return complete_timetable(built, chosen, options)


def complete_timetable(
    built: BuiltModel, chosen: set[Placement], options: SolveOptions
) -> list[int] | None:
    """A complete assignment of `built`'s variables for the timetable made of `chosen` placements.

    A short solve with the placement variables fixed gives the objective variables their
    values, so that `built` can be hinted completely (SOLVER_NOTES: partial hints fail).
    """
    completion = built.model.clone()
    starts = {(c.session.id, c.start.index) for c in chosen}
    for key, var in built.variables.y.items():
        completion.add_hint(var, 1 if key in starts else 0)
    for c, var in built.variables.x.items():
        completion.add_hint(var, 1 if c in chosen else 0)
    # With every placement fixed this is propagation, not search: a small share of the limit.
    budget = min(10.0, max(2.0, options.time_limit / 10))
    fixed = SolveOptions(**{**options.__dict__, "time_limit": budget})
    completer = cp_model.CpSolver()
    completer.parameters.copy_from(parameters(fixed, optimising=False))
    completer.parameters.fix_variables_to_their_hinted_value = True
    completer.parameters.stop_after_first_solution = True
    code = completer.solve(completion)
    if _STATUS.get(code, Status.UNKNOWN).has_solution:
        return list(completer.response_proto.solution)
    return None


def assignments_from_values(built: BuiltModel, values: list[int]) -> tuple[Assignment, ...]:
    """The timetable encoded in a complete assignment of `built`'s variables."""
    return tuple(
        sorted(
            Assignment(c.session.id, c.start.date, c.start.slot, c.room)
            for c, var in built.variables.x.items()
            if values[var.index]
        )
    )


def objective_of_values(built: BuiltModel, values: list[int]) -> tuple[int, dict[str, int]]:
    """Objective and per-rule costs of a complete assignment (the penalty definitions are exact)."""
    proto = built.model.proto
    total = sum(
        c * values[v] for v, c in zip(proto.objective.vars, proto.objective.coeffs, strict=True)
    )
    total += int(proto.objective.offset)
    costs: dict[str, int] = {}
    for p in built.penalties:
        costs[p.rule] = costs.get(p.rule, 0) + p.weight * _evaluate(p.units, values)
    return int(total), costs


def _evaluate(expr: cp_model.LinearExprT, values: list[int]) -> int:
    if isinstance(expr, int):
        return expr
    flat = cp_model.FlatIntExpr(expr)
    return int(
        flat.offset + sum(c * values[v.index] for v, c in zip(flat.vars, flat.coeffs, strict=True))
    )


Customize = Callable[[BuiltModel], None]
Timetable = tuple[Assignment, ...]


def _greedy_start(
    problem: Problem, built: BuiltModel, options: SolveOptions, timetable: Timetable | None
) -> list[int] | None:
    """A complete hint from the greedy timetable, when the greedy places every session."""
    if timetable is None or len(timetable) != len(problem.sessions):
        return None
    chosen = placements_of(built, timetable)
    if len(chosen) != len(problem.sessions):
        return None
    return complete_timetable(built, set(chosen.values()), options)


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
) -> Result:
    """Phase 2 by `model.lns`: week and series neighbourhoods beside a bound search."""
    trace = _Trace(_trivial_bound(built), on_solution)

    start = time.monotonic()
    best, objective, bound, proved = lns_search(
        built,
        problem,
        values,
        parameters(options),
        options.time_limit,
        options.seed,
        lambda vals: objective_of_values(built, vals)[0],
        trace.add,
        log=options.log if options.verbose else None,
    )
    _, costs = objective_of_values(built, best)
    low = None if bound is None else max(trace.floor, int(bound))
    optimal = proved or (low is not None and low >= objective)
    info = SolverInfo(
        name="cp-sat+lns",
        version=f"scheduler {__version__}, ortools {_ortools_version()}",
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
    )


def find_feasible(
    problem: Problem, built: BuiltModel, options: SolveOptions, customize: Customize | None = None
) -> tuple[list[int] | None, Status, float]:
    """Phase 1: any timetable, from the hard rules alone, completed for the full model.

    The hard-rule model finds a first timetable several times faster than the model with
    the objective. Returns the complete assignment (or None), the status and the seconds.
    """
    start = time.monotonic()
    greedy = customize is None and not options.deterministic
    timetable = greedy_timetable(problem, partial=True) if greedy else None
    values = _greedy_start(problem, built, options, timetable)
    if values is not None:
        return values, Status.FEASIBLE, time.monotonic() - start
    hard = build_model(problem, with_objective=False)
    if customize is not None:
        customize(hard)
    short = timetable is not None and 0 < len(timetable) < len(problem.sessions)
    if short and all(hard.variables.starts(s) for s in problem.sessions):
        # the greedy left a few sessions out: re-solve around them first
        half = max(1.0, (options.time_limit - (time.monotonic() - start)) / 2)
        with Interrupted() as interrupted:
            chosen = _repaired(problem, hard, timetable or (), options, half, interrupted)
        if interrupted.flag:  # Ctrl-C: no whole-model search after it
            return None, Status.UNKNOWN, time.monotonic() - start
        values = complete_timetable(built, chosen, options) if chosen else None
        if values is not None:
            return values, Status.FEASIBLE, time.monotonic() - start
    if not options.deterministic:
        # The greedy attempt and this build count against the limit (wall seconds).
        left = options.time_limit - (time.monotonic() - start)
        options = replace(options, time_limit=max(1.0, left))
    solver, status, _ = _solve_once(hard.model, options)
    if not status.has_solution:
        return None, status, time.monotonic() - start
    values = complete_from(built, solver, hard, options)
    return values, Status.FEASIBLE if values else Status.UNKNOWN, time.monotonic() - start


RESTART_NOISE = 10.0  # days: the greedy's score perturbation on restarts
REPAIR_SHARE, MIN_ATTEMPT = 4, 2.5  # a repair attempt: 1/4 of the repair time, 2.5 s at least


def _repaired(
    problem: Problem,
    hard: BuiltModel,
    timetable: Timetable,
    options: SolveOptions,
    seconds: float,
    interrupted: Interrupted,
) -> set[Placement] | None:
    """Repair the greedy's partial timetable, restarting the greedy with a perturbed score
    when a repair fails, for `seconds` in all (Ctrl-C stops it). The placements, or None.

    On generated instances a failed repair is often a greedy start that went wrong early:
    of six restarts of one such case, two were repaired within 2 s.
    """
    deadline = time.monotonic() + seconds
    rng = random.Random(options.seed)
    # Ctrl-C is left to `interrupted`: a ring solve runs on to its (short) limit
    solve = lambda model, s: _solution_of(model, options, s, catch_sigint=False)  # noqa: E731
    start, greedy_seconds = timetable, 0.0
    while not interrupted.flag:
        attempt = min(deadline - time.monotonic(), max(MIN_ATTEMPT, seconds / REPAIR_SHARE))
        repaired = repair(hard, start, attempt, solve)
        if repaired is not None:
            return repaired[0]
        if interrupted.flag or deadline - time.monotonic() < max(1.0, greedy_seconds):
            return None  # no time for another greedy start and its repair
        begin = time.monotonic()
        restart = greedy_timetable(problem, partial=True, rng=rng, noise=RESTART_NOISE)
        greedy_seconds = time.monotonic() - begin
        if restart is None:
            return None
        if len(restart) == len(problem.sessions):
            return set(placements_of(hard, restart).values())
        start = restart
    return None


def _solution_of(
    model: cp_model.CpModel, options: SolveOptions, seconds: float, catch_sigint: bool = True
) -> cp_model.CpSolver | None:
    """A solver holding a solution of `model` found within `seconds`, or None."""
    solver, status, _ = _solve_once(model, replace(options, time_limit=seconds), catch_sigint)
    return solver if status.has_solution else None


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
    remaining = options.time_limit / 2 if options.deterministic else _left(options, begin)
    phase2 = SolveOptions(**{**options.__dict__, "time_limit": remaining})
    shifted = _shifted(on_solution, first_seconds)
    if options.lns and not options.deterministic and options.workers >= 2 and customize is None:
        result = _neighbourhood_search(built, problem, values, phase2, shifted)
    else:
        _, result = run(built, phase2, shifted)
    if not result.status.has_solution:
        objective, costs = objective_of_values(built, values)
        result = replace(
            result,
            status=Status.FEASIBLE,
            assignments=assignments_from_values(built, values),
            objective=objective,
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
