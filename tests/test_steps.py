"""Neighbourhood steps rewrite only the domains that change, offer CP-SAT's objective, and
stop (on the wall clock) when they find nothing better for a while."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model import steps
from scheduler.model.build import (
    BuiltModel,
    build_model,
    hint_solution,
    placed_by_session,
    placements_by_session,
)
from scheduler.model.cpsat import SolveOptions, objective_of, objective_of_values, parameters
from scheduler.model.first_timetable import find_feasible
from scheduler.model.steps import Incumbent, StallStop, Steps
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample() -> tuple[Problem, BuiltModel, list[int]]:
    """The sample's model and its greedy first timetable (costly: steps improve it)."""
    problem = Problem.build(load_instance(SAMPLE))
    built = build_model(problem)
    values, _, _ = find_feasible(problem, built, SolveOptions(time_limit=30, workers=1))
    assert values is not None
    return problem, built, values


def _placed(steps: Steps, values: list[int]) -> dict[str, Placement]:
    return placed_by_session(steps.placements, values)


def _assert_domains_fix(steps: Steps) -> None:
    """Every placement literal of a session outside the step's freed ones is fixed to the
    placement the step started from; a freed session's literals are open, or closed by
    `keep_series_rooms`, with its placement of the timetable open."""
    assert steps.fixed is not None
    domains = steps.model.proto.variables
    for sid, pairs in steps.placements.items():
        for c, index in pairs:
            domain = list(domains[index].domain)
            if sid not in steps.freed:
                chosen = int(c == steps.fixed[sid])
                assert domain == [chosen, chosen], (sid, c)
            elif c == steps.fixed[sid]:
                assert domain == [0, 1], (sid, c)
            else:
                assert domain in ([0, 1], [0, 0]), (sid, c)


def test_only_sessions_freed_or_moved_are_rewritten(
    sample: tuple[Problem, BuiltModel, list[int]],
) -> None:
    problem, built, start = sample
    steps = Steps(built, problem, placements_by_session(built), parameters(SolveOptions()), 0, "")
    placed = _placed(steps, start)
    assert steps.to_rewrite(placed, {"a"}) is None  # the first step: every domain
    steps.fixed, steps.freed = dict(placed), {problem.sessions[0].id}
    ids = [s.id for s in problem.sessions]
    moved = dict(placed)
    moved[ids[5]] = next(c for c, _ in steps.placements[ids[5]] if c != placed[ids[5]])
    assert steps.to_rewrite(moved, {ids[9]}) == {ids[0], ids[5], ids[9]}
    assert steps.to_rewrite(placed, set()) == {ids[0]}


def test_steps_sharing_a_timetable_rewrite_only_what_moved(
    sample: tuple[Problem, BuiltModel, list[int]],
) -> None:
    """Two workers share the incumbent: what one step of the other moved is fixed anew in
    this worker's next step, though neither freed it here, and every offer's objective is
    the objective of its values."""
    problem, built, start = sample
    placements = placements_by_session(built)
    params = parameters(SolveOptions(workers=1, seed=4, deterministic=True))
    incumbent = Incumbent(start, objective_of_values(built, start)[0])
    offers: list[tuple[int, int]] = []

    def offer(values: list[int]) -> None:
        objective, _ = objective_of_values(built, values)
        offers.append((objective_of(built, values), objective))
        incumbent.offer(values, objective)

    one = Steps(built, problem, placements, params, seed=1, name="a", deterministic=True)
    two = Steps(built, problem, placements, params, seed=2, name="b", deterministic=True)
    moved_elsewhere = 0
    one.step(incumbent, one.now() + 1.0, offer, None)
    _assert_domains_fix(one)
    for _ in range(4):
        two.step(incumbent, two.now() + 1.0, offer, None)
        _assert_domains_fix(two)
        assert one.fixed is not None
        now = _placed(one, incumbent.values)
        moved_elsewhere += sum(
            1 for sid, c in now.items() if sid not in one.freed and c != one.fixed[sid]
        )
        one.step(incumbent, one.now() + 1.0, offer, None)  # fixes what `two` moved
        _assert_domains_fix(one)
    assert moved_elsewhere > 0  # the case this test is about did happen
    # the steps' quick objective is the exact one of every timetable offered
    assert offers and all(quick == exact for quick, exact in offers)
    assert incumbent.objective < objective_of_values(built, start)[0]


class _Solver:
    """Stands for a CpSolver: counts the stop requests."""

    def __init__(self) -> None:
        self.stops = 0

    def stop_search(self) -> None:
        self.stops += 1


def test_stall_stop_waits_from_the_latest_solution() -> None:
    solver = _Solver()
    stall = StallStop(solver, 60.0)  # type: ignore[arg-type]
    stall.on_solution_callback()
    first = stall.timer
    stall.on_solution_callback()  # a better solution: the wait starts again
    assert first is not None and first.finished.is_set() and stall.timer is not first
    stall.cancel()  # the solve ended by itself
    assert stall.timer is not None and stall.timer.finished.is_set()
    assert solver.stops == 0 and not stall.fired


def test_stall_stop_stops_the_solver_after_its_wait() -> None:
    solver = _Solver()
    stall = StallStop(solver, 0.05)  # type: ignore[arg-type]
    stall.on_solution_callback()
    assert stall.timer is not None
    stall.timer.join(timeout=10)
    assert solver.stops == 1 and stall.fired


def test_stall_stop_waits_at_least_as_long_as_the_first_solution_took() -> None:
    stall = StallStop(_Solver(), 0.05)  # type: ignore[arg-type]
    stall.began -= 2.0  # the model took 2 s to load and give its first solution
    stall.on_solution_callback()
    waited = stall.seconds
    stall.on_solution_callback()  # later solutions do not lengthen the wait
    second = StallStop(_Solver(), 0.05)  # type: ignore[arg-type]
    second.on_solution_callback()
    stall.cancel()
    second.cancel()
    assert waited >= 2.0 and stall.seconds == waited and second.seconds < 1.0


def test_stall_stop_stops_nothing_once_the_solve_has_ended() -> None:
    """A timer that fires as the solve ends by itself neither stops a solver nor says it
    stopped one."""
    solver = _Solver()
    stall = StallStop(solver, 60.0)  # type: ignore[arg-type]
    stall.on_solution_callback()
    stall.cancel()
    stall._fire()  # the timer's call, had it started before `cancel`
    stall.on_solution_callback()  # a last solution reported as the solve ends
    assert solver.stops == 0 and not stall.fired
    assert stall.timer is not None and stall.timer.finished.is_set()


def test_a_step_stops_a_real_solve_that_finds_nothing_better(
    sample: tuple[Problem, BuiltModel, list[int]],
) -> None:
    """The whole sample from its first timetable: one CP-SAT worker proves nothing in 60 s,
    and finds better timetables only now and then, so the timer ends the solve."""
    _, built, start = sample
    model = built.model.clone()
    hint_solution(model, start)
    solver = cp_model.CpSolver()
    solver.parameters.copy_from(parameters(SolveOptions(workers=1)))  # the steps' presolve
    solver.parameters.max_time_in_seconds = 60.0
    stall = StallStop(solver, 0.05)
    status = solver.solve(model, stall)
    stall.cancel()
    assert status == cp_model.FEASIBLE and stall.fired
    assert solver.wall_time < 50.0  # stopped, not at its limit (~5 s here)


def test_a_steps_timer_is_cancelled_when_its_solve_fails(
    sample: tuple[Problem, BuiltModel, list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem, built, start = sample
    seen: list[StallStop] = []

    def solve(solver: Any, model: Any, callback: StallStop) -> Any:
        seen.append(callback)
        callback.on_solution_callback()  # its timer starts
        raise RuntimeError("the solve failed")

    monkeypatch.setattr(steps.interrupt, "solve", solve)
    params = parameters(SolveOptions(workers=1))
    worker = Steps(built, problem, placements_by_session(built), params, 0, "")
    incumbent = Incumbent(start, objective_of_values(built, start)[0])
    with pytest.raises(RuntimeError):
        worker.step(incumbent, worker.now() + 1.0, lambda values: None, None)
    assert len(seen) == 1 and seen[0].over
    assert seen[0].timer is not None and seen[0].timer.finished.is_set()


@pytest.mark.parametrize("deterministic", [False, True])
def test_only_wall_clock_steps_stop_when_stalled(
    sample: tuple[Problem, BuiltModel, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    deterministic: bool,
) -> None:
    """A wall-clock step's solve gets a `StallStop`; a deterministic one none (its steps
    must not depend on the machine's speed)."""
    problem, built, start = sample
    seen: list[object] = []
    real = steps.interrupt.solve

    def solve(solver: Any, model: Any, callback: Any = None) -> Any:
        seen.append(callback)
        return real(solver, model, callback)

    monkeypatch.setattr(steps.interrupt, "solve", solve)
    params = parameters(SolveOptions(workers=1, deterministic=deterministic))
    worker = Steps(built, problem, placements_by_session(built), params, 0, "", deterministic)
    incumbent = Incumbent(start, objective_of_values(built, start)[0])
    worker.step(incumbent, worker.now() + 1.0, lambda values: None, None)
    assert len(seen) == 1
    assert isinstance(seen[0], StallStop) != deterministic
