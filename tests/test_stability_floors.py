"""The sites a UE, and the rooms a series, must use whatever the timetable
(`model.stability_floors`): in the data bound, the unavoidable lines and the model's bound."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import check
from scheduler.model.build import build_model
from scheduler.model.data_bound import floors
from scheduler.model.solve import SolveOptions, solve
from scheduler.model.stability_floors import EXACT_VALUES, fewest_values
from scheduler.rules import SOFT_RULES
from scheduler.solution import Status
from tests.conftest import problem_of


@pytest.mark.parametrize(
    ("options", "fewest"),
    [
        ([], 0),
        (["A"], 1),
        (["A", "B"], 2),
        (["AB", "BC"], 1),  # B meets both
        (["A", "B", "AB"], 2),
        (["A", "B", "C", "ABC"], 3),
        (["AB", "CD", "AC"], 2),
        (["AB", "CD", "EF", "ACE"], 3),
    ],
)
def test_the_fewest_values_meet_every_sessions_own(options: list[str], fewest: int) -> None:
    assert fewest_values(frozenset(o) for o in options) == fewest


def test_many_values_are_bounded_by_disjoint_sessions() -> None:
    """Beyond `EXACT_VALUES` values, pairwise disjoint sessions each need one of their own."""
    singles = [frozenset({f"R{i}"}) for i in range(EXACT_VALUES + 2)]
    assert fewest_values(singles) == EXACT_VALUES + 2
    wide = [frozenset({f"R{i}", f"R{i + 1}"}) for i in range(0, 2 * EXACT_VALUES, 2)]
    assert fewest_values([*wide, frozenset(f"R{i}" for i in range(2 * EXACT_VALUES))]) == len(wide)


def _only(tiny_data: dict[str, Any], rule: str) -> None:
    tiny_data["weights"] = {r: 0 for r in SOFT_RULES if r != rule}


def test_a_ue_whose_series_each_have_one_site_pays_for_the_second(
    tiny_data: dict[str, Any],
) -> None:
    """An audit: a course given to one track in Liège and to another in Huy paid
    site_stability whatever the timetable, and its optimum read "at most 3 could still be
    saved". Tiny's UE3 in two series, one in Mons, one in Namur: 1 site beyond the first, in
    the floors, and the solve proves the optimum from the bound at once."""
    ue3 = tiny_data["ues"][2]
    ue3["sessions"] = [
        {"series": "m", "count": 1, "sites": ["MONS"]},
        {"series": "n", "count": 1, "sites": ["NAMUR"]},
    ]
    _only(tiny_data, "site_stability")
    problem = problem_of(tiny_data)
    (floor,) = floors(build_model(problem))
    assert floor.rules == ("site_stability",) and floor.cost == 3
    assert floor.message == (
        "UE3: no one site takes all its sessions (UE3-m-01 only at MONS; UE3-n-01 only at "
        "NAMUR): 2 sites at least, 1 beyond the first"
    )
    result = solve(problem, SolveOptions(time_limit=10, seed=0, workers=1))
    report = check(problem, result.assignments)
    assert report.violations == () and report.objective == result.objective == 3
    assert result.status == Status.OPTIMAL and result.bound == 3


def test_a_series_pinned_to_two_rooms_pays_for_the_second(tiny_data: dict[str, Any]) -> None:
    """UE2's two sessions pinned to Mons' two rooms: room_stability 1 x weight 2, forced."""
    tiny_data["pins"].extend(
        [{"session": "UE2-main-01", "room": "M-A"}, {"session": "UE2-main-02", "room": "M-B"}]
    )
    _only(tiny_data, "room_stability")
    problem = problem_of(tiny_data)
    (floor,) = floors(build_model(problem))
    assert floor.rules == ("room_stability",) and floor.cost == 2
    assert floor.message == (  # rooms by name, as the timetable gives them
        "UE2-main: no one room takes all its sessions (UE2-main-01 only at Salle A (M-A); "
        "UE2-main-02 only at Salle B (M-B)): 2 rooms at least, 1 beyond the first"
    )
    result = solve(problem, SolveOptions(time_limit=10, seed=0, workers=1))
    assert check(problem, result.assignments).objective == result.objective == 2
    assert result.status == Status.OPTIMAL


def test_sessions_that_may_share_a_site_force_nothing(tiny_data: dict[str, Any]) -> None:
    _only(tiny_data, "site_stability")
    assert floors(build_model(problem_of(tiny_data))) == []
