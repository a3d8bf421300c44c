"""The data's floors and their folding: cases a mutation audit of `model/data_bound.py`,
`model/weekend_floors.py` and `report_fold.py` found untested (stop 79)."""

from __future__ import annotations

from typing import Any

from scheduler.model.build import build_model
from scheduler.model.data_bound import data_bound, floors
from scheduler.report_fold import fold_floors
from scheduler.rules import SOFT_RULES
from scheduler.solution import Floor
from tests.conftest import problem_of, solve_to_optimum


def test_a_lone_profile_s_floor_is_kept_in_its_own_words(tiny_data: dict[str, Any]) -> None:
    """One profile's floor is no fold: not "for each profile", its cost as it is."""
    instance = problem_of(tiny_data).instance
    alone = Floor(("weekly_load",), 6, "students of COHORT+OPT-A: 5 sessions: 1 beyond it")
    assert fold_floors([alone], instance) == [alone]


def test_floors_of_who_is_no_profile_are_not_folded(tiny_data: dict[str, Any]) -> None:
    """ "students of X" where X is no profile label (a group, a typo) stays as said."""
    instance = problem_of(tiny_data).instance
    said = [
        Floor(("weekly_load",), 6, "students of OPT-A: 5 sessions: 1 beyond it"),
        Floor(("weekly_load",), 6, "students of OPT-B: 5 sessions: 1 beyond it"),
    ]
    assert fold_floors(said, instance) == said


def test_alike_profiles_floors_fold_into_one_line_of_their_sum(
    tiny_data: dict[str, Any],
) -> None:
    """Both tiny profiles in the same words: one line, the cost of both."""
    instance = problem_of(tiny_data).instance
    said = [
        Floor(("weekly_load",), 6, f"students of COHORT+OPT-{x}: 5 sessions: 1 beyond it")
        for x in "AB"
    ]
    (line,) = fold_floors(said, instance)
    assert line.cost == 12
    assert line.message.endswith(": 5 sessions: 1 beyond it, for each of the 2"), line


def test_weekend_sessions_of_part_of_a_day_may_share_one_day(tiny_data: dict[str, Any]) -> None:
    """Two one-slot sessions that share students and a teacher and may only fall on a
    Saturday fit its morning and afternoon: no weekend day of its own each (a floor of two
    days beyond those above would be above the optimum)."""
    tiny_data["calendar"]["end"] = "2026-10-03"
    tiny_data["teachers"].append(
        {"id": "T4", "name": "Paul Leroy", "home_site": "MONS",
         "unavailable": [{"weekday": "tue"}, {"weekday": "thu"}]}
    )  # fmt: skip
    tiny_data["ues"] += [
        {"id": f"UE{k}", "teachers": ["T4"], "groups": ["COHORT"], "sessions": [{"count": 1}]}
        for k in (6, 7)
    ]
    tiny_data["weights"] = {rule: 0 for rule in SOFT_RULES if rule != "saturday_opening"}
    problem = problem_of(tiny_data)
    found = [f for f in floors(build_model(problem)) if f.rules == ("saturday_opening",)]
    assert not any("UE6-main-01" in f.message for f in found), found
    optimum = solve_to_optimum(tiny_data)
    assert data_bound(build_model(problem)) <= optimum.objective
