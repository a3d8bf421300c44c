"""Neighbourhoods of the search: what a step frees, and how its size follows the steps."""

from __future__ import annotations

import random

import pytest

from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model.neighbourhoods import MIN_SIZE, Neighbourhoods
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def year() -> tuple[Problem, dict[str, Placement]]:
    """The sample with each session at its first possible placement (no timetable needed:
    a neighbourhood only reads where sessions are)."""
    problem = Problem.build(load_instance(SAMPLE))
    return problem, {s.id: candidates(problem, s)[0] for s in problem.sessions}


def test_a_week_window_is_the_sessions_placed_from_a_date_on(year) -> None:  # type: ignore[no-untyped-def]
    problem, placed = year
    hood = Neighbourhoods(problem, random.Random(1), step_seconds=3.0, size=12)
    order = sorted(placed, key=lambda sid: (placed[sid].start.date, sid))
    for _ in range(20):
        free = hood.week_window(placed)
        positions = sorted(order.index(sid) for sid in free)
        assert positions == list(range(positions[0], positions[0] + len(free)))
        assert len(free) == 12 or positions[-1] == len(order) - 1  # cut short at the year's end


def test_a_series_neighbourhood_frees_whole_series_up_to_the_size(year) -> None:  # type: ignore[no-untyped-def]
    problem, placed = year
    hood = Neighbourhoods(problem, random.Random(2), step_seconds=3.0, size=10)
    for _ in range(20):
        free = hood.series(placed)
        names = {problem.session[sid].series_id for sid in free}
        assert free == {s.id for name in names for s in problem.series[name]}
        # the last series added went past the size, none after it
        assert len(free) >= 10
        assert min(len(free) - len(problem.series[n]) for n in names) < 10


def test_the_size_grows_after_quick_exact_steps_and_shrinks_after_time_outs(year) -> None:  # type: ignore[no-untyped-def]
    problem, _ = year
    hood = Neighbourhoods(problem, random.Random(0), step_seconds=3.0, size=20)
    hood.learn(optimal=True, seconds=0.5)
    assert hood.size == pytest.approx(23)
    hood.learn(optimal=True, seconds=2.0)  # exact but slow: kept
    assert hood.size == pytest.approx(23)
    for _ in range(50):
        hood.learn(optimal=False, seconds=3.0)
    assert hood.size == MIN_SIZE
    for _ in range(200):
        hood.learn(optimal=True, seconds=0.1)
    assert hood.size == len(problem.sessions)


def test_both_kinds_are_chosen(year) -> None:  # type: ignore[no-untyped-def]
    problem, placed = year
    hood = Neighbourhoods(problem, random.Random(3), step_seconds=3.0)
    kinds = [hood.choose(placed)[0] for _ in range(40)]
    assert set(kinds) == {"weeks", "series"}


def test_a_step_keeps_each_series_in_its_rooms_at_the_sites_it_uses() -> None:
    """Freed sessions keep the rooms their series uses at a site (other rooms there are
    closed), every room of a site the series does not use stays open, and the timetable the
    step starts from is still a solution of the step's model."""
    from ortools.sat.python import cp_model

    from scheduler.model.build import (
        build_model,
        keep_series_rooms,
        placed_by_session,
        placements_by_session,
    )
    from scheduler.model.solve import SolveOptions, find_feasible
    from tests.conftest import TINY

    problem = Problem.build(load_instance(TINY))
    built = build_model(problem)
    values, _, _ = find_feasible(problem, built, SolveOptions(time_limit=10))
    assert values is not None
    placements = placements_by_session(built)
    used: dict[tuple[str, str], set[str]] = {}
    for pairs in placements.values():
        for c, index in pairs:
            if values[index]:
                used.setdefault((c.session.series_id, c.site), set()).add(c.room)
    placed = placed_by_session(placements, values)
    model: cp_model.CpModel = built.model.clone()
    free = {s.id for s in problem.sessions}
    keep_series_rooms(model, placements, placed, free)
    domains = model.proto.variables
    closed = kept_open_elsewhere = 0
    for pairs in placements.values():
        for c, index in pairs:
            rooms = used.get((c.session.series_id, c.site))
            is_open = list(domains[index].domain) == [0, 1]
            assert is_open == (rooms is None or c.room in rooms), (c.session.id, c.room)
            closed += not is_open
            kept_open_elsewhere += rooms is None
    assert closed > 0 and kept_open_elsewhere > 0  # both cases occur on tiny
    for var, value in zip(domains, values, strict=True):
        low, *_, high = list(var.domain)
        assert low <= value <= high
    fresh = built.model.clone()
    keep_series_rooms(fresh, placements, placed, set())  # nothing freed: nothing changes
    assert [list(v.domain) for v in fresh.proto.variables] == [
        list(v.domain) for v in built.model.proto.variables
    ]


def test_a_fifth_of_the_steps_leave_every_room_open(year) -> None:  # type: ignore[no-untyped-def]
    problem, _ = year
    hood = Neighbourhoods(problem, random.Random(4), step_seconds=3.0)
    draws = [hood.any_room() for _ in range(2000)]
    assert 0.17 < sum(draws) / len(draws) < 0.23


@pytest.mark.parametrize("any_room", [False, True])
def test_a_step_closes_other_rooms_unless_it_leaves_every_room_open(any_room: bool) -> None:
    from scheduler.model.build import build_model, placements_by_session
    from scheduler.model.solve import SolveOptions, find_feasible, objective_of_values, parameters
    from scheduler.model.steps import Incumbent, Steps
    from tests.conftest import TINY

    problem = Problem.build(load_instance(TINY))
    built = build_model(problem)
    values, _, _ = find_feasible(problem, built, SolveOptions(time_limit=10))
    assert values is not None
    placements = placements_by_session(built)
    steps = Steps(built, problem, placements, parameters(SolveOptions()), seed=0, name="")
    everything = {s.id for s in problem.sessions}
    steps.hood.choose = lambda placed: ("series", everything)  # type: ignore[method-assign]
    steps.hood.any_room = lambda: any_room  # type: ignore[method-assign]
    incumbent = Incumbent(values, objective_of_values(built, values)[0])
    steps.step(incumbent, deadline=float("inf"), offer=lambda found: None, log=None)
    domains = steps.model.proto.variables
    closed = [i for pairs in placements.values() for _, i in pairs if domains[i].domain[1] == 0]
    assert (closed == []) == any_room
