"""The greedy's marginal soft cost (`scheduler.marginal_cost`): added up placement by placement
in series order, each rule it prices rises by exactly what the checker's cost of that rule
rises by from the empty timetable (where fixed events alone may open a weekend); by hand on
single moves, `reordered` sessions and a fixed event beside a session."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scheduler.check import check
from scheduler.construct import Greedy, greedy_timetable
from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.data.spacing import gap_chains
from scheduler.io.instance_io import load_instance
from scheduler.marginal_cost import PRICED, MarginalCost
from scheduler.solution import Assignment
from tests.conftest import SAMPLE, TINY, problem_of


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


def _assignment(c: Placement) -> Assignment:
    return Assignment(c.session.id, c.start.date, c.start.slot, c.room)


def _added_rule_by_rule(problem: Problem, placed: list[Placement]) -> Counter[str]:
    """Weighted marginal costs of `placed`, added in the given order, per rule."""
    cost = MarginalCost(problem, Greedy(problem).profiles)
    total: Counter[str] = Counter()
    for c in placed:
        for rule, units in cost.units(c).items():
            total[rule] += problem.weights[rule] * units
        cost.record(c, 1)
    return total


def _checker_rise(problem: Problem, placed: list[Placement]) -> Counter[str]:
    full, empty = check(problem, [_assignment(c) for c in placed]), check(problem, [])
    return Counter({rule: full.costs[rule] - empty.costs[rule] for rule in PRICED})


@pytest.mark.parametrize("path", [TINY, SAMPLE], ids=["tiny", "sample"])
def test_marginal_costs_add_up_to_the_checkers_costs_rule_by_rule(path: Path) -> None:
    problem = Problem.build(load_instance(path))
    by_id = _placements(problem)
    placed = [by_id[s.id] for series in problem.series.values() for s in series]
    assert check(problem, [_assignment(c) for c in placed]).feasible
    added, rise = _added_rule_by_rule(problem, placed), _checker_rise(problem, placed)
    # the gaps of a chain of several series are priced series by series (a proxy)
    several = any(not c.in_series_order for c in gap_chains(problem))
    exact = [r for r in PRICED if not (several and r in ("ue_gap", "ue_spread"))]
    assert {r: added[r] for r in exact} == {r: rise[r] for r in exact}
    assert sum(added.values()) > 0


def test_taking_a_placement_out_restores_its_price(tiny_data: dict[str, Any]) -> None:
    problem = problem_of(tiny_data)
    placed = list(_placements(problem).values())
    cost = MarginalCost(problem, Greedy(problem).profiles)
    before = [cost.units(c) for c in placed]
    for c in placed:
        cost.record(c, 1)
    for c in placed:
        cost.record(c, -1)
    assert [cost.units(c) for c in placed] == before


def _first_two(problem: Problem, series: str) -> tuple[Placement, list[Placement]]:
    first, second = problem.series[series][:2]
    return candidates(problem, first)[0], candidates(problem, second)


def test_a_gap_beyond_the_maximum_costs_its_extra_days(tiny_data: dict[str, Any]) -> None:
    next(u for u in tiny_data["ues"] if u["id"] == "UE1")["max_days_between"] = 3
    problem = problem_of(tiny_data)
    a, seconds = _first_two(problem, "UE1-main")
    cost = MarginalCost(problem, Greedy(problem).profiles)
    cost.record(a, 1)
    assert all(cost.ue_gap(b) == max(0, b.start.day - a.start.day - 3) for b in seconds)
    assert any(cost.ue_gap(b) > 0 for b in seconds)


def test_an_evenly_spread_series_pays_for_gaps_short_of_its_even_gap(
    tiny_data: dict[str, Any],
) -> None:
    """UE1's 2 sessions over the 12 days of the calendar: an even gap of 6 days."""
    next(u for u in tiny_data["ues"] if u["id"] == "UE1")["even_spread"] = True
    problem = problem_of(tiny_data)
    a, seconds = _first_two(problem, "UE1-main")
    cost = MarginalCost(problem, Greedy(problem).profiles)
    cost.record(a, 1)
    assert all(cost.ue_spread(b) == max(0, 6 - (b.start.day - a.start.day)) for b in seconds)
    assert {cost.ue_spread(b) for b in seconds} > {0}


def test_a_reordered_session_is_out_of_its_series_gaps(tiny_data: dict[str, Any]) -> None:
    """As in the checker and the model: gaps run along `Problem.chains`."""
    next(u for u in tiny_data["ues"] if u["id"] == "UE1")["max_days_between"] = 1
    tiny_data["precedences"] = []
    tiny_data["reordered"] = ["UE1-main-02"]
    problem = problem_of(tiny_data)
    a, seconds = _first_two(problem, "UE1-main")
    far = [b for b in seconds if b.start.day - a.start.day > 1]
    cost = MarginalCost(problem, Greedy(problem).profiles)
    cost.record(a, 1)
    assert far and all(cost.ue_gap(b) == 0 for b in far)
    assert _added_rule_by_rule(problem, [a, far[0]])["ue_gap"] == 0
    assert _checker_rise(problem, [a, far[0]])["ue_gap"] == 0


def test_a_half_day_beside_a_fixed_event_stays_half_used(tiny_data: dict[str, Any]) -> None:
    """An event in MONS's room M-A on the morning of Saturday 26 September, and UE3 in room
    M-B that morning: the afternoon is still idle, so half_saturday does not change."""
    tiny_data["fixed_events"].append(
        {"id": "EXTRA", "title": "Réunion", "site": "MONS", "rooms": ["M-A"],
         "dates": ["2026-09-26"], "start": "09:00", "end": "12:15", "groups": [], "teachers": []}
    )  # fmt: skip
    problem = problem_of(tiny_data)
    morning = next(
        c
        for c in candidates(problem, problem.series["UE3-main"][0])
        if c.start.date.isoformat() == "2026-09-26" and c.start.slot == "SAT-AM" and c.room == "M-B"
    )
    cost = MarginalCost(problem, Greedy(problem).profiles)
    assert (cost.half_saturday(morning), cost.saturday_opening(morning)) == (0, 0)
    assert _checker_rise(problem, [morning])["half_saturday"] == 0


def test_an_oversized_room_is_priced_as_the_checker_prices_it() -> None:
    """A practice-analysis sub-group of 8 in the sample: the auditorium (120 seats) and a
    seminar room of 26 or more cost 1, an 8-, 10- or 12-seat room or one of 24 nothing."""
    problem = Problem.build(load_instance(SAMPLE))
    session = problem.series["UE2-app1"][0]
    cost = MarginalCost(problem, Greedy(problem).profiles)
    by_room = {c.room: c for c in candidates(problem, session)}
    priced = {room: cost.oversized_room(c) for room, c in by_room.items()}
    checked = {
        room: check(problem, [_assignment(c)]).costs["oversized_room"]
        for room, c in by_room.items()
    }
    assert priced == checked
    assert {room for room, units in priced.items() if units} >= {"M-AUD", "N-AUD", "M-S11"}
    assert {room for room, units in priced.items() if not units} >= {"M-G03", "N-G13", "N-S02"}
