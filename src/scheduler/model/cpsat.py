"""CP-SAT plumbing shared by both phases: options, parameters, one-off solves, complete hints."""

from __future__ import annotations

import operator
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.model import interrupt
from scheduler.model.build import BuiltModel
from scheduler.solution import DEFAULT_WORKERS, Assignment, Result, Status

STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings; `deterministic` gives the same timetable for the same seed anywhere."""

    time_limit: float = 60.0
    workers: int = DEFAULT_WORKERS
    seed: int = 0
    deterministic: bool = False
    verbose: bool = False
    probing_level: int = 0
    light_presolve: bool = True
    # Week/series neighbourhood steps (model.lns, model.steps); False: CP-SAT alone.
    lns: bool = True
    # Stop once the bound proves the timetable within this relative gap, (objective - bound) /
    # objective; 0 searches until the time limit or a proof of optimality.
    gap_limit: float = 0.0
    log: Callable[[str], None] | None = None

    @property
    def cores(self) -> int:
        """The cores its searches may use: one in deterministic mode (`parameters`)."""
        return 1 if self.deterministic else max(1, self.workers)


# In deterministic mode the limit is CP-SAT's deterministic time; the wall-clock limit is only
# a net against a search whose deterministic clock stalls. It must never be the limit that
# ends a search: an audit's deterministic solve on a machine loaded 4 times over took 373 s
# for a 20-unit budget (its phases' 20x nets were within reach) and gave another timetable.
WALL_SAFETY_NET = 200
WALL_SAFETY_CAP = 2 * 3600.0  # ... beyond the budget at most (no limit of days for 600 units)


def wall_safety_net(budget: float) -> float:
    """The wall-clock net of a deterministic budget (see WALL_SAFETY_NET)."""
    budget = max(1.0, budget)
    return min(WALL_SAFETY_NET * budget, budget + WALL_SAFETY_CAP)


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
        params.max_time_in_seconds = wall_safety_net(options.time_limit)
    else:
        params.num_workers = max(1, options.workers)
        params.max_time_in_seconds = options.time_limit
        if params.num_workers == 2 and optimising:
            # Two workers leave one full-problem search beside the LNS and local-search
            # workers. "max_lp" (the full LP relaxation, with cuts) instead of "default_lp":
            # on the sample at 60 s the bound rose from 501 to 745 (gap 61 % -> 42 %) at an
            # equal objective (1,279 vs 1,285). Larger portfolios include max_lp already.
            params.subsolvers.append("max_lp")
        elif params.num_workers == 2:
            # Any timetable, no objective: a full search without the LP relaxation ("no_lp")
            # beside the feasibility-jump worker. The whole hard-rule model of generated
            # instances (127-414 sessions, 30 s) got a timetable in 1.5-10.6 s where the
            # default LP search took 6.7-29.9 s or found none (benchmarks/README.md).
            params.subsolvers.append("no_lp")
    if optimising and options.gap_limit > 0:
        params.relative_gap_limit = options.gap_limit
    if options.light_presolve:
        # Presolve took ~8 s of a 60 s solve of the sample, half of it in SAT-presolve passes
        # that removed nothing; without them and with one presolve round it took ~2 s.
        params.cp_model_use_sat_presolve = False
        params.max_presolve_iterations = 1
    params.log_search_progress = options.verbose
    params.log_to_stdout = False
    return params


def ortools_version() -> str:
    """The installed OR-Tools version (recorded with every solution and benchmark run)."""
    from importlib.metadata import version

    return version("ortools")


def solve_once(
    model: cp_model.CpModel, options: SolveOptions
) -> tuple[cp_model.CpSolver, Status, float]:
    """A search for any solution of `model` (Ctrl-C ends it: `model.interrupt`)."""
    solver = cp_model.CpSolver()
    solver.parameters.copy_from(parameters(options, optimising=False))
    if options.verbose and options.log is not None:
        solver.log_callback = options.log
    start = time.monotonic()
    code = interrupt.solve(solver, model)
    return solver, STATUS.get(code, Status.UNKNOWN), time.monotonic() - start


def complete_from(
    built: BuiltModel, solver: cp_model.CpSolver, source: BuiltModel, options: SolveOptions
) -> list[int] | None:
    """Extend the timetable `solver` found for `source` to every variable of `built`."""
    chosen = {c for c, var in source.variables.x.items() if solver.value(var)}
    return complete_timetable(built, chosen, options)


COMPLETION_RETRY = 6  # the second completion's budget, in first budgets


def complete_timetable(
    built: BuiltModel, chosen: set[Placement], options: SolveOptions
) -> list[int] | None:
    """A complete assignment of `built`'s variables for the timetable made of `chosen` placements.

    A short solve with the placement variables fixed gives the objective variables their
    values, so that `built` can be hinted completely (SOLVER_NOTES: partial hints fail).
    """
    completion = built.model.clone()
    completion.clear_hints()  # any other hint (of the aux variables) would be fixed too
    starts = {(c.session.id, c.start.index) for c in chosen}
    # written at once: `add_hint` per variable took 2.1 s at 1,405 sessions (530 k variables)
    hint = completion.proto.solution_hint
    hint.vars.extend(var.index for var in built.variables.y.values())
    hint.values.extend(int(key in starts) for key in built.variables.y)
    hint.vars.extend(var.index for var in built.variables.x.values())
    hint.values.extend(int(c in chosen) for c in built.variables.x)
    # With every placement fixed this is propagation, not search (about a second on the
    # sample): a small share of the limit, then, since a timetable found is kept whatever the
    # limit, once more with six times as long if that ran out (an audit's loaded machine
    # lost a complete greedy timetable at a 5 s limit). Infeasible is said at once. One
    # worker: a second only shares the propagation (1,405 sessions: 3.0 s against 4.0 s).
    budget = min(10.0, max(2.0, options.time_limit / 10))
    for seconds in (budget, COMPLETION_RETRY * budget):
        fixed = SolveOptions(**{**options.__dict__, "time_limit": seconds, "workers": 1})
        completer = cp_model.CpSolver()
        completer.parameters.copy_from(parameters(fixed, optimising=False))
        completer.parameters.fix_variables_to_their_hinted_value = True
        completer.parameters.stop_after_first_solution = True
        code = interrupt.solve(completer, completion, stoppable=False)  # a timetable is kept
        status = STATUS.get(code, Status.UNKNOWN)
        if status.has_solution:
            return list(completer.response_proto.solution)
        if status != Status.UNKNOWN or interrupt.tripped():  # Ctrl-C: no second, longer try
            return None
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


def objective_of(built: BuiltModel, values: list[int]) -> int:
    """The model's objective on a complete assignment: its linear terms evaluated, a few
    milliseconds where the per-rule costs of `objective_of_values` take a tenth of a second
    (10 generated programmes), for the neighbourhood steps' every answer."""
    objective = built.model.proto.objective
    total = sum(map(operator.mul, objective.coeffs, map(values.__getitem__, objective.vars)))
    return int(total + objective.offset)


def objective_of_values(built: BuiltModel, values: list[int]) -> tuple[int, dict[str, int]]:
    """Objective and per-rule costs of a complete assignment (the penalty definitions are exact)."""
    costs: dict[str, int] = {}
    for p in built.penalties:
        costs[p.rule] = costs.get(p.rule, 0) + p.weight * _evaluate(p.units, values)
    return objective_of(built, values), costs


def timetable_result(
    result: Result, built: BuiltModel, values: list[int], bound: int | None, message: str
) -> Result:
    """`result` holding the timetable of a complete assignment of `built` (FEASIBLE, or
    OPTIMAL when `bound` proves it: an audit's timetable of cost 0 with bound 0 said
    FEASIBLE), with its objective, per-rule costs, `bound` and `message`: a search that found
    nothing better keeps the timetable it started from."""
    objective, costs = objective_of_values(built, values)
    proved = bound is not None and bound >= objective
    return replace(
        result,
        status=Status.OPTIMAL if proved else Status.FEASIBLE,
        assignments=assignments_from_values(built, values),
        objective=objective,
        bound=bound,
        costs=costs,
        message=message,
    )


def _evaluate(expr: cp_model.LinearExpr | int, values: list[int]) -> int:
    if isinstance(expr, int):
        return expr
    flat = cp_model.FlatIntExpr(expr)
    return int(
        flat.offset + sum(c * values[v.index] for v, c in zip(flat.vars, flat.coeffs, strict=True))
    )


Customize = Callable[[BuiltModel], None]
