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
