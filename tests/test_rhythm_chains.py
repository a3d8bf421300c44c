"""`ue_gap` and `ue_spread` along a UE's chains: its series one audience follows, by date.

The checker's exact terms and words on hand-written timetables, then the solver's optimum on
instances where chaining the series of a UE (not each series alone) decides it; every
solver result goes through the checker (`solve_to_optimum`).
"""

from __future__ import annotations

import copy
import itertools
from datetime import date
from typing import Any

import pytest
from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.data.spacing import gap_chains
from scheduler.model import soft_rules
from scheduler.model.linear_program import linear_program
from scheduler.model.lp_bound import LpBound
from scheduler.model.relaxation import site_relaxation
from scheduler.model.solve import SolveOptions, solve
from scheduler.rules import SOFT_RULES
from scheduler.solution import Assignment, Status
from tests.conftest import problem_of, solve_to_optimum

# Six weeks from Monday 14 Sep 2026: Tue, Thu and Sat (AM, PM) slots.
BASE: dict[str, Any] = {
    "name": "rhythm",
    "calendar": {
        "start": "2026-09-14",
        "end": "2026-10-25",
        "slots": [
            {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
            {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
            {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
            {"id": "SAT-PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
        ],
    },
    "sites": [
        {"id": "MONS", "rooms": [{"id": f"M-{c}", "capacity": 30} for c in "ABC"]},
    ],
    "groups": [
        {"id": "COHORT", "size": 20},
        {"id": "APP1", "size": 10, "part_of": "COHORT", "partition": "app"},
        {"id": "APP2", "size": 10, "part_of": "COHORT", "partition": "app"},
    ],
    "teachers": [{"id": "T1"}, {"id": "T2"}, {"id": "T3"}],
    "ues": [
        {  # one audience, two series: one chain "UE1"
            "id": "UE1",
            "teachers": ["T1"],
            "groups": ["COHORT"],
            "max_days_between": 7,
            "sessions": [{"series": "main", "count": 2}, {"series": "extra", "count": 1}],
        },
        {  # a plenary with each practice group: a chain per group
            "id": "UE2",
            "teachers": ["T2"],
            "groups": ["COHORT"],
            "max_days_between": 7,
            "sessions": [
                {"series": "pleniere", "count": 2},
                {"series": "app1", "count": 1, "groups": ["APP1"]},
                {"series": "app2", "count": 1, "groups": ["APP2"]},
            ],
        },
        {  # a series with its own maximum keeps its own rhythm
            "id": "UE3",
            "teachers": ["T3"],
            "groups": ["COHORT"],
            "max_days_between": 7,
            "sessions": [
                {"series": "a", "count": 2, "max_days_between": 3},
                {"series": "b", "count": 1},
            ],
        },
        {  # evenly spread over 29 days (14 Sep - 12 Oct), 3 sessions: an even gap of 9
            "id": "UE4",
            "teachers": ["T3"],
            "groups": ["COHORT"],
            "even_spread": True,
            "window": {"from": "2026-09-14", "to": "2026-10-12"},
            "sessions": [{"series": "main", "count": 2}, {"series": "extra", "count": 1}],
        },
    ],
    "preferences": {"group_week_target": 4},
}


def _rows(text: str) -> list[Assignment]:
    """Assignments written "session MM-DD slot room, ..." (dates in 2026)."""
    found = [row.split() for row in text.split(",") if row.strip()]
    return [Assignment(s, date.fromisoformat(f"2026-{d}"), t, r) for s, d, t, r in found]


def _terms(rule: str, rows: str) -> list[tuple[tuple[str, ...], int, str]]:
    report = check(problem_of(BASE), _rows(rows))
    return [(t.entities, t.units, t.message) for t in report.terms_of(rule)]


def test_the_chains_of_each_ue() -> None:
    chains = {
        c.name: ([s.id for s in c.sessions], c.limit, c.target)
        for c in gap_chains(problem_of(BASE))
    }
    assert chains == {
        "UE1": (["UE1-main-01", "UE1-main-02", "UE1-extra-01"], 7, None),
        "UE2 for APP1 (pleniere+app1)": (
            ["UE2-pleniere-01", "UE2-pleniere-02", "UE2-app1-01"],
            7,
            None,
        ),
        "UE2 for APP2 (pleniere+app2)": (
            ["UE2-pleniere-01", "UE2-pleniere-02", "UE2-app2-01"],
            7,
            None,
        ),
        "UE3-a": (["UE3-a-01", "UE3-a-02"], 3, None),
        "UE4": (["UE4-main-01", "UE4-main-02", "UE4-extra-01"], None, 9),
    }  # UE3-b alone has one session: nothing to weigh


def test_a_session_of_another_series_in_between_closes_the_gap() -> None:
    rows = "UE1-main-01 09-15 TUE M-A, UE1-extra-01 09-22 TUE M-A, UE1-main-02 09-29 TUE M-A"
    assert _terms("ue_gap", rows) == []  # each series alone: 14 days apart, 7 beyond


def test_gaps_are_taken_in_date_order_across_series() -> None:
    rows = "UE1-main-01 09-15 TUE M-A, UE1-extra-01 09-17 THU M-A, UE1-main-02 09-29 TUE M-A"
    assert _terms("ue_gap", rows) == [
        (
            ("UE1-extra-01", "UE1-main-02"),
            5,
            "UE1 sessions 2→3 (UE1-extra-01 → UE1-main-02): 12 days apart (target ≤ 7)",
        )
    ]


def test_each_practice_group_follows_the_plenary_with_its_own_sessions() -> None:
    rows = (
        "UE2-pleniere-01 09-15 TUE M-A, UE2-app1-01 09-22 TUE M-A, "
        "UE2-pleniere-02 09-29 TUE M-A, UE2-app2-01 10-06 TUE M-A"
    )
    assert _terms("ue_gap", rows) == [
        (
            ("UE2-pleniere-01", "UE2-pleniere-02"),
            7,
            "UE2 for APP2 (pleniere+app2) sessions 1→2 (UE2-pleniere-01 → UE2-pleniere-02): "
            "14 days apart (target ≤ 7)",
        )
    ]


def test_a_skip_in_a_series_numbering_says_why() -> None:
    """A session left out of the chain (dropped, or given out of its order by a re-solve)
    leaves a hole in the numbering of the pair around it: the words say why."""
    data = copy.deepcopy(BASE)
    data["ues"][2]["sessions"][0]["count"] = 4
    data["dropped"] = ["UE3-a-02"]
    data["reordered"] = ["UE3-a-03"]
    rows = "UE3-a-01 09-15 TUE M-A, UE3-a-03 09-17 THU M-A, UE3-a-04 09-22 TUE M-A"
    report = check(problem_of(data), _rows(rows + ", UE3-b-01 09-19 SAT-AM M-B"))
    assert [(t.entities, t.units, t.message) for t in report.terms_of("ue_gap")] == [
        (
            ("UE3-a-01", "UE3-a-04"),
            4,
            "UE3-a sessions 1→4 (2 dropped, 3 given out of order): 7 days apart (target ≤ 3)",
        )
    ]


def test_a_chain_is_named_for_the_students_who_follow_it() -> None:
    """A plenary for APP1 and APP2 (not for COHORT) with each group's own series: each chain
    is one group's, not 'APP1+APP2' (students of both do not exist: a review)."""
    data = copy.deepcopy(BASE)
    data["ues"][1]["sessions"][0]["groups"] = ["APP1", "APP2"]
    names = [c.name for c in gap_chains(problem_of(data)) if c.name.startswith("UE2")]
    assert names == ["UE2 for APP1 (pleniere+app1)", "UE2 for APP2 (pleniere+app2)"]
    report = check(
        problem_of(data), _rows("UE2-pleniere-01 09-15 TUE M-A, UE2-pleniere-02 09-29 TUE M-A")
    )
    assert {t.message.split(" sessions")[0] for t in report.terms_of("ue_gap")} == {
        "UE2 for APP1 (pleniere+app1)",
        "UE2 for APP2 (pleniere+app2)",
    }


def test_a_skipped_session_not_placed_is_said_so() -> None:
    """The third kind of skip: a session of the chain missing from the timetable (a hard
    violation the checker reports; the gap around it is still weighed and named)."""
    rows = "UE3-a-01 09-15 TUE M-A, UE3-a-04 09-22 TUE M-A, UE3-b-01 09-19 SAT-AM M-B"
    data = copy.deepcopy(BASE)
    data["ues"][2]["sessions"][0]["count"] = 4
    (term,) = check(problem_of(data), _rows(rows)).terms_of("ue_gap")
    assert term.message.startswith("UE3-a sessions 1→4 (2 and 3 not placed): 7 days")


def test_a_series_with_its_own_maximum_chains_alone() -> None:
    rows = "UE3-a-01 09-15 TUE M-A, UE3-b-01 09-17 THU M-A, UE3-a-02 09-22 TUE M-A"
    assert _terms("ue_gap", rows) == [
        (("UE3-a-01", "UE3-a-02"), 4, "UE3-a sessions 1→2: 7 days apart (target ≤ 3)")
    ]


def test_the_even_gap_counts_every_series_of_the_chain() -> None:
    rows = "UE4-main-01 09-15 TUE M-A, UE4-extra-01 09-17 THU M-A, UE4-main-02 09-29 TUE M-A"
    assert _terms("ue_spread", rows) == [
        (
            ("UE4-main-01", "UE4-extra-01"),
            7,
            "UE4 sessions 1→2 (UE4-main-01 → UE4-extra-01): 2 days apart (target ≥ 9, the even gap: 29 days / 3 sessions)",
        )
    ]
    even = "UE4-main-01 09-15 TUE M-A, UE4-extra-01 09-24 THU M-A, UE4-main-02 10-03 SAT-AM M-A"
    assert _terms("ue_spread", even) == []


def _only(rule: str, ues: list[dict[str, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["ues"] = ues
    data["weights"] = {**dict.fromkeys(SOFT_RULES, 0), rule: 1}
    return data


def _optimum(data: dict[str, Any]) -> Any:
    """The solver's result, proved optimal and checked; and the relaxation for the LP bound
    (its order statistics and per-day gap cuts, `model/date_order.py`,
    `cuts.days_apart_cut`) keeps the optimum: its own whole-number optimum is the same (rooms
    do not matter here), and so is its LP on these cases (without the converse tie of the
    order statistics to the series, 1 instead of 4 with the extra session between the main
    ones, 4 instead of 14 for the plenary)."""
    result = solve_to_optimum(data)
    relaxed = site_relaxation(problem_of(data))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 20
    solver.parameters.num_workers = 1
    assert solver.solve(relaxed.model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == result.objective
    assert LpBound(linear_program(relaxed.model), 10).solve() == result.objective
    return result


@pytest.mark.parametrize(
    ("extra", "cost"),
    [
        # main 14 days apart at least, at most 5 apart: alone they pay 9; the extra session
        # in between splits the 14 days into two gaps of 5 to 9 days: 4 at best
        (1, 4),
        # no extra session: the series alone pays 14 - 5
        (0, 9),
    ],
)
def test_the_solver_uses_the_other_series_to_keep_the_rhythm(extra: int, cost: int) -> None:
    sessions = [{"series": "main", "count": 2, "min_days_between": 14}]
    sessions += [{"series": "extra", "count": 1}] * extra
    ue = {"id": "UE1", "teachers": ["T1"], "groups": ["COHORT"], "max_days_between": 5}
    assert _optimum(_only("ue_gap", [{**ue, "sessions": sessions}])).objective == cost


def test_the_solver_spreads_a_chain_of_several_series_evenly() -> None:
    ue4 = copy.deepcopy(BASE["ues"][3])
    ue4["sessions"][0]["min_days_between"] = 14  # main 14 days apart: extra in between
    result = _optimum(_only("ue_spread", [ue4]))
    assert result.objective == 0
    days = sorted(a.date for a in result.assignments)
    assert all((b - a).days >= 9 for a, b in itertools.pairwise(days))  # the even gap, each


def test_the_solver_pays_what_the_plenary_and_each_group_leave() -> None:
    # pleniere 21 days apart at least: each group's session falls between them, at most 7
    # from both impossible (21 = 7 + 14 at best: 7 beyond), for each of the two chains: 14
    ue2 = copy.deepcopy(BASE["ues"][1])
    ue2["sessions"][0]["min_days_between"] = 21
    assert _optimum(_only("ue_gap", [ue2])).objective == 14


@pytest.mark.parametrize(
    ("sessions", "cost"),
    [
        ([{"series": "main", "count": 3}], 3),
        ([{"series": "main", "count": 3}, {"series": "extra", "count": 2}], 5),
    ],
    ids=["one series", "two series"],
)
def test_the_lp_sees_an_even_spread_broken_by_a_closure(
    sessions: list[dict[str, Any]], cost: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six weeks closed for two in the middle: no even spread. The LP bound sees all of what
    it costs through the per-day count of each gap's shortfall (`cuts.days_apart_cut`), and
    nothing of it on the gaps' average dates alone."""
    ue = {"id": "UE1", "teachers": ["T1"], "groups": ["COHORT"], "even_spread": True}
    data = _only("ue_spread", [{**ue, "sessions": sessions}])
    data["calendar"]["closures"] = [{"from": "2026-09-28", "to": "2026-10-11"}]
    assert _optimum(data).objective == cost  # the relaxation's LP too
    monkeypatch.setattr(soft_rules, "days_apart_cut", lambda *args: None)
    assert LpBound(linear_program(site_relaxation(problem_of(data)).model), 10).solve() == 0


def test_a_chain_with_a_session_that_has_no_place_is_infeasible_not_a_crash() -> None:
    """The extra series' teacher is away all year: the model has no timetable, and building
    the chain's order over a session with no day must not fail (a property-test find)."""
    data = copy.deepcopy(BASE)
    data["teachers"].append(
        {"id": "T9", "unavailable": [{"from": "2026-09-14", "to": "2026-10-25"}]}
    )
    data["ues"][0]["sessions"][1]["teachers"] = ["T9"]
    result = solve(problem_of(data), SolveOptions(time_limit=10, workers=1, deterministic=True))
    assert result.status == Status.INFEASIBLE


@pytest.mark.parametrize(
    "sessions",
    [
        [{"series": "main", "count": 2}],
        [{"series": "main", "count": 1}, {"series": "extra", "count": 1}],
    ],
    ids=["one series", "two series"],
)
def test_an_even_gap_longer_than_the_teaching_days_is_still_a_timetable(
    sessions: list[dict[str, Any]],
) -> None:
    """A calendar to 20 Dec closed from 27 Sep: an even gap of 98 // 2 = 49 days, while the
    teaching days span 12. The shortfall (up to 49) once had to fit a variable bounded by
    the last teaching day (12): no timetable at all (a review's find)."""
    ue = {"id": "UE1", "teachers": ["T1"], "groups": ["COHORT"], "even_spread": True}
    data = _only("ue_spread", [{**ue, "sessions": sessions}])
    data["calendar"]["end"] = "2026-12-20"
    data["calendar"]["closures"] = [{"from": "2026-09-27", "to": "2026-12-20"}]
    assert _optimum(data).objective == 49 - 11  # Tue 15 Sep and Sat 26 Sep, 11 days apart at most
