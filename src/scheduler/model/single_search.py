"""One CP-SAT search on a built model (`run`): its progress trace, its result, the bound known
beforehand and why it stopped early (`gap_note`).

Used for deterministic and one-worker solves (before their steps), re-solves, and as the
plumbing of `model.optimise`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from scheduler import __version__
from scheduler.errors import SolveError
from scheduler.model import interrupt
from scheduler.model.build import BuiltModel
from scheduler.model.cpsat import STATUS, SolveOptions, ortools_version, parameters
from scheduler.model.data_bound import data_bound
from scheduler.solution import (
    Assignment,
    Floor,
    Result,
    SolverInfo,
    Status,
    relative_gap,
    within_gap,
)


class Trace:
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
        self.trace = Trace(floor, on_solution)
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


def solver_info(options: SolveOptions, name: str) -> SolverInfo:
    """What `solution.json` records of the solver that made a timetable."""
    return SolverInfo(
        name=name,
        version=f"scheduler {__version__}, ortools {ortools_version()}",
        seed=options.seed,
        workers=1 if options.deterministic else options.workers,
        time_limit=options.time_limit,
        deterministic=options.deterministic,
    )


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
    solver = _solver(options)
    progress = _Progress(
        known_bound(built) if floor is None else floor, on_solution, options.gap_limit
    )
    solver.best_bound_callback = progress.on_bound
    start = time.monotonic()
    code = interrupt.solve(solver, built.model, progress)
    wall = time.monotonic() - start
    progress.on_bound(solver.best_objective_bound)  # the final bound (a proof, when optimal)
    status = STATUS.get(code, Status.UNKNOWN)
    info = solver_info(options, "cp-sat")
    if not status.has_solution:
        return solver, Result(status=status, wall_seconds=wall, solver=info)
    has_objective = bool(built.penalties) or bool(built.extra_objective)
    costs = costs_of(solver, built)
    objective = _reported_objective(solver, built, costs, has_objective)
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


def _solver(options: SolveOptions) -> cp_model.CpSolver:
    """A CP-SAT solver with the parameters of `options`, logging with `--verbose`."""
    solver = cp_model.CpSolver()
    solver.parameters.copy_from(parameters(options))
    if options.verbose and options.log is not None:
        solver.log_callback = options.log
    return solver


def _reported_objective(
    solver: cp_model.CpSolver, built: BuiltModel, costs: dict[str, int], has_objective: bool
) -> int:
    """The objective reported for the solver's best solution, from its per-rule `costs`."""
    # The objective is reported as the sum of the per-rule costs evaluated on the returned
    # solution, which equals the model's objective expression evaluated on it (the same terms)
    # and the checker's. On non-optimal solutions of the sample, CP-SAT 9.15's
    # `objective_value` was seen to exceed that evaluation (1903 vs 1863, the evaluation of
    # the proto objective on `response_proto.solution` giving 1863): we report what the
    # returned timetable costs. Tests hold checker == reported objective.
    objective = sum(costs.values()) if built.penalties and not built.extra_objective else None
    if objective is None:
        objective = int(solver.objective_value) if has_objective else 0
    return objective


def gap_note(status: Status, objective: int, bound: int, gap_limit: float) -> str:
    """Why a search ended before the time limit without a proof: the gap limit was met."""
    if status != Status.FEASIBLE or gap_limit <= 0 or not within_gap(objective, bound, gap_limit):
        return ""
    gap = relative_gap(objective, bound)
    return (
        f"stopped at the gap limit: gap {100 * gap:.1f} % <= {100 * gap_limit:.1f} % (--gap-limit)"
    )


def time_limit_note(result: Result, options: SolveOptions, seconds: float) -> str:
    """Why a timetable without a proof was returned, when nothing else said it (Ctrl-C, the
    gap limit and the greedy's timetable have notes of their own; an audit saw a 15 s run's
    gap of 11.9 % without a word): the time limit, with what the bound leaves to gain. ''
    when the search ended well before the limit."""
    if options.deterministic:
        limit = f"{options.time_limit:g} deterministic units, --deterministic"
    elif seconds >= 0.75 * options.time_limit:  # the last steps may end before the limit
        limit = f"{options.time_limit:g} s"
    else:
        return ""
    note = f"stopped at the time limit ({limit})"
    objective, bound = result.objective, result.bound
    if objective is not None and bound is not None and bound < objective:
        note += f"; the bound leaves at most {objective - bound} to gain"
    return note


def known_bound(built: BuiltModel, unavoidable: Sequence[Floor] | None = None) -> int:
    """A bound known before any search: the larger of `_trivial_bound` and the data bound,
    the sum of `unavoidable` (`data_bound.floors`, computed here when not given); valid for
    a re-solve too: its extra terms, the disruption, are never negative."""
    data = data_bound(built) if unavoidable is None else sum(f.cost for f in unavoidable)
    return max(_trivial_bound(built), data)


def _trivial_bound(built: BuiltModel) -> int:
    """The objective's least value over the variables' domains alone (before any search)."""
    proto = built.model.proto
    low = int(proto.objective.offset)
    for index, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        domain = list(proto.variables[index].domain)  # [lo, hi] or [lo1, hi1, lo2, hi2...]
        low += coeff * (domain[0] if coeff > 0 else domain[-1])
    return low
