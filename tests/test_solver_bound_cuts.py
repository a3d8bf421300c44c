"""The redundant constraints that raise the bound must never cut off an optimal timetable.

Each case has an optimum derived by hand; a cut that is too strong would make the solver
miss it (a worse objective, or no timetable at all).
"""

from __future__ import annotations

from typing import Any

from scheduler.model.solve import SolveOptions, parameters
from scheduler.rules import SOFT_RULES
from tests.conftest import solve_to_optimum


def _instance(count: int, pins: list[dict[str, str]], weights: dict[str, int]) -> dict[str, Any]:
    """One room, one cohort; Tuesdays and Thursdays from Tue 6 Oct to Thu 12 Nov 2026, closed
    from Mon 19 Oct to Sun 1 Nov: the last day before the hole is Thu 15 Oct, the first after
    it Tue 3 Nov (19 days later). One series of `count` sessions, at most 7 days apart."""
    return {
        "name": "hole",
        "calendar": {
            "start": "2026-10-06",
            "end": "2026-11-12",
            "slots": [
                {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:00"},
                {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:00"},
            ],
            "closures": [{"from": "2026-10-19", "to": "2026-11-01"}],
        },
        "sites": [{"id": "S", "rooms": [{"id": "R", "capacity": 10}]}],
        "groups": [{"id": "G", "size": 5}],
        "teachers": [{"id": "T"}],
        "ues": [
            {
                "id": "UE",
                "teachers": ["T"],
                "groups": ["G"],
                "max_days_between": 7,
                "sessions": [{"count": count}],
            }
        ],
        "pins": pins,
        "weights": {**dict.fromkeys(SOFT_RULES, 0), **weights},
    }


def _optimum(data: dict[str, Any]) -> int:
    return int(solve_to_optimum(data).objective)


def test_a_series_across_a_hole_pays_exactly_for_the_hole() -> None:
    pins = [
        {"session": "UE-main-01", "date": "2026-10-08"},
        {"session": "UE-main-04", "date": "2026-11-10"},
    ]
    # Thu 8 Oct, Thu 15 Oct, Tue 3 Nov, Tue 10 Nov: the pair across the hole is 19 days apart,
    # 12 beyond 7, the others exactly 7. The cut asks for exactly 12 of that pair.
    assert _optimum(_instance(4, pins, {"ue_gap": 1})) == 12


def test_a_series_that_fits_on_one_side_of_a_hole_pays_nothing() -> None:
    assert _optimum(_instance(3, [], {"ue_gap": 1})) == 0


def test_the_two_worker_optimisation_runs_the_full_lp_search() -> None:
    """The bound comes from the one full-problem worker; with two workers it is max_lp.
    A search for any timetable has no bound to raise: its full-problem worker skips the LP
    (benchmarks/first_timetable.py measures why)."""
    assert list(parameters(SolveOptions(workers=2)).subsolvers) == ["max_lp"]
    assert list(parameters(SolveOptions(workers=2), optimising=False).subsolvers) == ["no_lp"]
    assert list(parameters(SolveOptions(deterministic=True)).subsolvers) == []
    assert list(parameters(SolveOptions(workers=8), optimising=False).subsolvers) == []


def _saturdays(count: int) -> dict[str, Any]:
    """One site, one room, one cohort; Tuesday evenings and Saturday mornings and afternoons,
    Tue 6 Oct to Sat 24 Oct 2026 (three of each day); one series of `count` sessions on
    distinct days (`min_days_between` 1), whose teacher asks to avoid Tuesdays."""
    return {
        "name": "saturdays",
        "calendar": {
            "start": "2026-10-06",
            "end": "2026-10-24",
            "slots": [
                {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:00"},
                {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:00"},
                {"id": "SAT-PM", "weekday": "sat", "start": "13:00", "end": "16:00"},
            ],
        },
        "sites": [{"id": "S", "rooms": [{"id": "R", "capacity": 10}]}],
        "groups": [{"id": "G", "size": 5}],
        "teachers": [{"id": "T", "avoid": [{"weekday": "tue"}]}],
        "ues": [
            {
                "id": "UE",
                "teachers": ["T"],
                "groups": ["G"],
                "sessions": [{"count": count, "min_days_between": 1}],
            }
        ],
        "weights": {
            **dict.fromkeys(SOFT_RULES, 0),
            "saturday_opening": 4,
            "teacher_avoid": 6,
        },
    }


def test_a_series_on_distinct_days_opens_a_saturday_for_each_session_there() -> None:
    """Three sessions on distinct days: three Saturdays (4 each) beat any Tuesday (6), 12.
    The LP of the relaxation sees it too: with the profile cut alone (two slots a Saturday)
    it let two sessions share a Saturday fractionally, 6 (an audit's certificate: bound 32
    for timetables of 62)."""
    from scheduler.data.problem import Problem
    from scheduler.model.linear_program import linear_program
    from scheduler.model.lp_bound import LpBound
    from scheduler.model.relaxation import site_relaxation
    from tests.conftest import problem_of

    data = _saturdays(3)
    assert _optimum(data) == 12
    problem: Problem = problem_of(data)
    assert LpBound(linear_program(site_relaxation(problem).model), 30).solve() == 12
