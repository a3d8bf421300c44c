"""Re-solve in two steps: the least disruption first (proved minimal when time allows), then the
best soft cost. Without `--deterministic` the first step's search starts from the published
timetable repaired by `resolve.repair_rings`."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.data_bound import floors
from scheduler.model.interrupt import Interrupted
from scheduler.model.single_search import time_limit_note
from scheduler.model.solve import (
    MIN_PHASE2_SECONDS,
    SolveOptions,
    complete_timetable,
    hint_solution,
    known_bound,
    past_limit,
    run,
    timetable_result,
)
from scheduler.resolve.apply import Revision
from scheduler.resolve.disruption import (
    DisruptionWeights,
    disruption,
    forbid_the_past,
    re_solve_hard_model,
)
from scheduler.resolve.repair_rings import repair_hint
from scheduler.solution import Floor, Result, Status, marked_interrupted


@dataclass(frozen=True)
class ResolveResult:
    """The new timetable, its disruption and whether that disruption is proved minimal."""

    result: Result
    disruption: int | None
    disruption_optimal: bool
    disruption_seconds: float | None = None


def resolve(
    problem: Problem,
    revision: Revision,
    options: SolveOptions,
    weights: DisruptionWeights,
    rings: bool = True,
) -> ResolveResult:
    """Minimise disruption on the hard rules, then the soft cost with disruption held at that
    minimum. Ctrl-C ends the step running; after one in the first step there is no second.
    `rings`: a wall-clock re-solve first repairs the published timetable around what changed
    (`resolve.repair_rings`), the hint of the least-disruption search."""
    with Interrupted() as interrupted:  # one Ctrl-C latch for both steps
        outcome = _two_steps(problem, revision, options, weights, interrupted, rings)
    result = outcome.result
    if interrupted.flag:
        return replace(outcome, result=marked_interrupted(result, interrupted.by))
    if result.status == Status.FEASIBLE and not result.message:  # as a solve says it (an audit
        # saw a re-solve stopped at its limit, 53.8 % from its bound, without a word)
        note = time_limit_note(result, options, result.wall_seconds)
        return replace(outcome, result=replace(result, message=note))
    return outcome


def _two_steps(
    problem: Problem,
    revision: Revision,
    options: SolveOptions,
    weights: DisruptionWeights,
    interrupted: Interrupted,
    rings: bool,
) -> ResolveResult:
    start = time.monotonic()
    first = _least_disruption_model(problem, revision, weights)
    first_options, ring = options, None
    if not options.deterministic and rings:  # a deterministic re-solve keeps its one search
        first_options, ring = _ring_start(first, revision, options, start)
    # The least-disruption search gets most of the limit: a corrected timetable matters more
    # than polishing its soft cost, which gets what is left (none: the timetable is kept).
    solver_a, result_a = run(first, first_options)
    searched = result_a.status.has_solution
    if not searched and ring is not None and result_a.status != Status.INFEASIBLE:
        result_a = timetable_result(result_a, first, ring, None, RING_NOTE)  # kept (a review)
    if not result_a.status.has_solution:
        return ResolveResult(replace(result_a, wall_seconds=time.monotonic() - start), None, False)
    least = int(solver_a.objective_value) if searched else result_a.objective or 0
    proved = result_a.status == Status.OPTIMAL
    disruption_seconds = time.monotonic() - start

    unavoidable: tuple[Floor, ...] | None = None
    if interrupted.flag or past_limit(options, start):
        # no full model's build, floors nor completion (seconds at 1,400 sessions, which ran
        # 25 s past the limit, and on after a Ctrl-C: an audit): the checker costs it
        final = _soft_costs_unknown(result_a)
        final = replace(final, message="" if interrupted.flag else NO_TIME_NOTE)
    else:
        full, unavoidable, floor = _full_model(problem, revision, weights, least)
        chosen = _chosen(first, solver_a, searched, ring)
        final = _soft_cost_step(
            full, chosen, result_a, options, (solver_a, start), floor, interrupted
        )
    status = final.status if proved else Status.FEASIBLE
    if not searched:  # said whatever the second step did (an audit found the note lost)
        final = replace(final, message="; ".join(m for m in (RING_NOTE, final.message) if m))
    return ResolveResult(
        replace(
            final,
            status=status,
            solver=replace(final.solver, time_limit=options.time_limit),  # not the step's
            wall_seconds=time.monotonic() - start,
            first_solution_seconds=result_a.first_solution_seconds,
            unavoidable=unavoidable,
        ),
        least,
        proved,
        disruption_seconds,
    )


def _least_disruption_model(
    problem: Problem, revision: Revision, weights: DisruptionWeights
) -> BuiltModel:
    """The first step's model: the hard rules, the past forbidden, the disruption as the
    objective, the published timetable hinted."""
    first = re_solve_hard_model(problem, revision)
    first.extra_objective = [disruption(first, revision, weights)]
    first.set_objective()
    return first


def _ring_start(
    first: BuiltModel, revision: Revision, options: SolveOptions, start: float
) -> tuple[SolveOptions, list[int] | None]:
    """The least-disruption search's options and the repaired published timetable hinted to
    `first` (`repair_hint`, None when no ring had one in time)."""
    built_in = time.monotonic() - start
    ring = repair_hint(first, revision, options, options.log if options.verbose else None)
    first_options = SolveOptions(
        **{**options.__dict__, "time_limit": _first_step_limit(options, start, built_in)}
    )
    return first_options, ring


def _full_model(
    problem: Problem, revision: Revision, weights: DisruptionWeights, least: int
) -> tuple[BuiltModel, tuple[Floor, ...], int]:
    """The second step's model (the disruption held at `least`), what the data forces, and
    the bound it gives."""
    full = build_model(problem)
    # what the data forces, once: the search's floor, the bound kept, and the report's lines
    # (counted three times, ~1 s of a 10 s re-solve of the sample: an audit)
    unavoidable = tuple(floors(full))
    floor = known_bound(full, unavoidable)
    forbid_the_past(full, revision)
    full.model.add(disruption(full, revision, weights) <= least)
    return full, unavoidable, floor


def _soft_cost_step(
    full: BuiltModel,
    chosen: set[Placement],
    result_a: Result,
    options: SolveOptions,
    first: tuple[cp_model.CpSolver, float],
    floor: int,
    interrupted: Interrupted,
) -> Result:
    """The first step's timetable (`chosen`) completed in the `full` model, then the second
    step from it for what the `first` step's search (from its start) left of the limit; a
    timetable kept from the first step has the data's `floor` as its bound."""
    values = complete_timetable(full, chosen, options)  # the soft costs of the first's
    left = _left_for_second_step(options, *first)
    final = _second_step(full, result_a, values, options, left, floor, interrupted)
    if final.bound is None and final.objective is not None:  # kept: what the data forces
        final = replace(final, bound=floor)
    return final


def _chosen(
    first: BuiltModel, solver_a: cp_model.CpSolver, searched: bool, ring: list[int] | None
) -> set[Placement]:
    """The placements of the first step's timetable: its search's, else the repaired one's."""
    return {
        c
        for c, var in first.variables.x.items()
        if (solver_a.value(var) if searched else ring and ring[var.index])
    }


def _second_step(
    full: BuiltModel,
    result_a: Result,
    values: list[int] | None,
    options: SolveOptions,
    left: float,
    floor: int,
    interrupted: Interrupted,
) -> Result:
    """The soft-cost step's result, or the first step's timetable when it finds no better."""
    # What is kept unless the second step finds better: the first step's timetable with its
    # soft costs (unknown only when it could not be completed in the full model)
    kept = (
        _soft_costs_unknown(result_a)
        if values is None
        else _least_disruption(result_a, full, values, NOTHING_BETTER_NOTE)
    )
    # CP-SAT's deterministic limits are at least one unit (`cpsat.parameters`)
    least_left = 1.0 if options.deterministic else MIN_PHASE2_SECONDS
    if interrupted.flag:  # `resolve` marks it interrupted, with its own note
        final = kept
    elif values is not None and left < least_left:  # its timetable is the result
        final = replace(kept, message=NO_TIME_NOTE)
    else:
        if values is not None:
            hint_solution(full.model, values)
        # Without a completed timetable to fall back on, the search gets a second to find one
        # (past the limit, if need be).
        seconds = max(left, least_left if values is not None else 1.0)
        limited = SolveOptions(**{**options.__dict__, "time_limit": seconds})
        _, result_b = run(full, limited, floor=floor)
        final = result_b if result_b.status.has_solution else kept
    return final


RING_NOTE = (
    "the least-disruption search found no timetable in time: the disruption is that of the "
    "published timetable repaired around the changes (raise --time-limit for a smaller one)"
)
NO_TIME_NOTE = (
    "the least-disruption step took the whole time limit: its timetable is the result "
    "(raise --time-limit to lower its soft cost too)"
)
NOTHING_BETTER_NOTE = (
    "no timetable of lower soft cost was found in time: least-disruption timetable kept"
)


#: of the limit, the least-disruption search gets at least this share, however long the builds
FIRST_STEP_SHARE = 0.5


def _first_step_limit(options: SolveOptions, start: float, built_in: float) -> float:
    """The wall-clock limit of the least-disruption search: what is left of the limit once
    the time since `start` and the full model's build after it (about as long as the first
    model's, `built_in`) are set aside, but at least `FIRST_STEP_SHARE` of it. A 10 s re-solve
    of the sample took 16-21 s on a loaded machine: the limit was the search's alone."""
    left = options.time_limit - (time.monotonic() - start) - built_in
    return max(left, options.time_limit * FIRST_STEP_SHARE)


def _left_for_second_step(options: SolveOptions, first: cp_model.CpSolver, start: float) -> float:
    """What the first step left of the limit: deterministic time in deterministic mode (so
    that the second step's budget, and the timetable, do not depend on the machine), else
    wall seconds since `start`."""
    if options.deterministic:
        return options.time_limit - first.response_proto.deterministic_time
    return options.time_limit - (time.monotonic() - start)


def _least_disruption(first: Result, full: BuiltModel, values: list[int], note: str) -> Result:
    """The first step's result, its timetable completed in the full model: its soft costs."""
    return timetable_result(first, full, values, None, note)


def _soft_costs_unknown(result: Result) -> Result:
    """Fallback: the least-disruption timetable when the second step found nothing in time."""
    return replace(result, status=Status.FEASIBLE, objective=None, bound=None, costs={})
