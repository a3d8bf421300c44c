"""The greedy's marginal soft cost (`scheduler.marginal_cost`): added up placement by placement
in series order, it is what the checker's cost of every rule it prices rises by from the empty
timetable (where fixed events alone may open a weekend); by hand on single moves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scheduler.check import check
from scheduler.construct import Greedy, greedy_timetable
from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.marginal_cost import MarginalCost
from scheduler.solution import Assignment
from tests.conftest import SAMPLE, TINY, problem_of

PRICED = (
    "weekly_load",
    "school_holidays",
    "teacher_avoid",
    "teacher_travel",
    "saturday_opening",
    "half_saturday",
    "visitor_trips",
    "room_stability",
    "site_stability",
    "ue_gap",
    "ue_spread",
)


def _placements(problem: Problem) -> dict[str, Placement]:
    """The greedy's complete timetable as placements, by session id."""
    timetable = greedy_timetable(problem)
    assert timetable is not None and len(timetable) == len(problem.sessions)
    wanted = {(a.session, a.date, a.slot, a.room) for a in timetable}
    return {
        c.session.id: c
        for s in problem.sessions
        for c in candidates(problem, s)
        if (s.id, c.start.date, c.start.slot, c.room) in wanted
    }


@pytest.mark.parametrize("path", [TINY, SAMPLE], ids=["tiny", "sample"])
def test_marginal_costs_add_up_to_the_checkers_costs(path: Path) -> None:
    problem = Problem.build(load_instance(path))
    placed = _placements(problem)
    cost = MarginalCost(problem, Greedy(problem).profiles)
    total = 0
    for series in problem.series.values():
        previous = None
        for s in series:
            total += cost.of(placed[s.id], previous)
            cost.record(placed[s.id], 1)
            previous = placed[s.id]
    report = check(problem, [_assignment(c) for c in placed.values()])
    empty = check(problem, [])
    assert report.feasible
    assert total == sum(report.costs[rule] - empty.costs[rule] for rule in PRICED) > 0


def test_taking_a_placement_out_restores_its_price(tiny_data: dict[str, Any]) -> None:
    problem = problem_of(tiny_data)
    placed = list(_placements(problem).values())
    cost = MarginalCost(problem, Greedy(problem).profiles)
    before = [cost.of(c, None) for c in placed]
    for c in placed:
        cost.record(c, 1)
    for c in placed:
        cost.record(c, -1)
    assert [cost.of(c, None) for c in placed] == before


def test_a_gap_beyond_the_maximum_costs_its_extra_days(tiny_data: dict[str, Any]) -> None:
    ue1 = next(u for u in tiny_data["ues"] if u["id"] == "UE1")
    ue1["max_days_between"] = 3
    tiny_data["weights"] = {"ue_gap": 5}
    problem = problem_of(tiny_data)
    first, second = problem.series["UE1-main"][:2]
    a = candidates(problem, first)[0]
    cost = MarginalCost(problem, Greedy(problem).profiles)
    for b in candidates(problem, second)[:40]:
        apart = b.start.day - a.start.day
        assert cost.spacing(b, a) == 5 * max(0, apart - 3)
    assert any(cost.spacing(b, a) > 0 for b in candidates(problem, second))


def _assignment(c: Placement) -> Assignment:
    return Assignment(c.session.id, c.start.date, c.start.slot, c.room)
