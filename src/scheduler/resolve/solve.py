"""Re-solve in two steps: the least disruption first (proved minimal), then the best soft cost."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from scheduler.data.problem import Problem
from scheduler.model.build import build_model
from scheduler.model.interrupt import Interrupted
from scheduler.model.solve import SolveOptions, complete_from, hint_solution, run
from scheduler.resolve.apply import Revision
from scheduler.resolve.disruption import (
    DisruptionWeights,
    disruption,
    forbid_the_past,
    hint_published,
)
from scheduler.solution import Result, Status, marked_interrupted


@dataclass(frozen=True)
class ResolveResult:
    """The new timetable, its disruption and whether that disruption is proved minimal."""

    result: Result
    disruption: int | None
    disruption_optimal: bool
    disruption_seconds: float | None = None


def resolve(
    problem: Problem, revision: Revision, options: SolveOptions, weights: DisruptionWeights
) -> ResolveResult:
    """Minimise disruption on the hard rules, then the soft cost with disruption held at that
    minimum. Ctrl-C ends the step running; after one in the first step there is no second."""
    with Interrupted() as interrupted:  # one Ctrl-C latch for both steps
        outcome = _two_steps(problem, revision, options, weights, interrupted)
    if not interrupted.flag:
        return outcome
    return replace(outcome, result=marked_interrupted(outcome.result))


def _two_steps(
    problem: Problem,
    revision: Revision,
    options: SolveOptions,
    weights: DisruptionWeights,
    interrupted: Interrupted,
) -> ResolveResult:
    start = time.monotonic()
    first = build_model(problem, with_objective=False)
    forbid_the_past(first, revision)
    first.extra_objective = [disruption(first, revision, weights)]
    first.set_objective()
    hint_published(first, revision)
    # The least-disruption step may use the whole limit: a corrected timetable matters more
    # than polishing its soft cost, which gets what is left (at least a second).
    solver_a, result_a = run(first, options)
    if not result_a.status.has_solution:
        return ResolveResult(replace(result_a, wall_seconds=time.monotonic() - start), None, False)
    least = int(solver_a.objective_value)
    proved = result_a.status == Status.OPTIMAL
    disruption_seconds = time.monotonic() - start
    if interrupted.flag:
        return ResolveResult(
            replace(_soft_costs_unknown(result_a), wall_seconds=disruption_seconds),
            least,
            proved,
            disruption_seconds,
        )

    full = build_model(problem)
    forbid_the_past(full, revision)
    full.model.add(disruption(full, revision, weights) <= least)
    values = complete_from(full, solver_a, first, options)
    if values is not None:
        hint_solution(full.model, values)
    remaining = max(1.0, options.time_limit - (time.monotonic() - start))
    _, result_b = run(full, SolveOptions(**{**options.__dict__, "time_limit": remaining}))
    final = result_b if result_b.status.has_solution else _soft_costs_unknown(result_a)
    status = final.status if proved else Status.FEASIBLE
    return ResolveResult(
        replace(
            final,
            status=status,
            wall_seconds=time.monotonic() - start,
            first_solution_seconds=result_a.first_solution_seconds,
        ),
        least,
        proved,
        disruption_seconds,
    )


def _soft_costs_unknown(result: Result) -> Result:
    """Fallback: the least-disruption timetable when the second step found nothing in time."""
    return replace(result, status=Status.FEASIBLE, objective=None, bound=None, costs={})
