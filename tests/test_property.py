"""Property: on random small valid instances, every timetable the solver returns passes the
checker, and the checker's objective equals the solver's."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.check import check
from scheduler.construct import greedy_timetable
from scheduler.model.build import build_model
from scheduler.model.data_bound import data_bound
from scheduler.model.solve import SolveOptions, solve
from tests.conftest import problem_of

SLOTS = [
    {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
    {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
    {"id": "AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
    {"id": "PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
]


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    n_teachers = draw(st.integers(1, 4))
    teachers: list[dict[str, Any]] = []
    for i in range(n_teachers):
        t: dict[str, Any] = {"id": f"T{i}", "home_site": draw(st.sampled_from(["S0", "S1"]))}
        if draw(st.booleans()):
            t["avoid"] = [{"weekday": draw(st.sampled_from(["tue", "thu", "sat"]))}]
        if draw(st.integers(0, 3)) == 0:
            t["unavailable"] = [{"date": f"2026-09-{draw(st.integers(15, 28)):02d}"}]
        if draw(st.integers(0, 4)) == 0:
            t["available_only"] = [{"from": "2026-09-20", "to": "2026-09-28"}]
        teachers.append(t)
    groups = [
        {"id": "C", "size": 16, "max_sessions_per_week": draw(st.sampled_from([None, 3, 4]))},
        {"id": "A", "size": 8, "part_of": "C", "partition": "opt"},
        {"id": "B", "size": 8, "part_of": "C", "partition": "opt"},
    ]
    groups = [{k: v for k, v in g.items() if v is not None} for g in groups]
    ues = []
    for u in range(draw(st.integers(1, 4))):
        series = []
        for k in range(draw(st.integers(1, 2))):
            series.append(
                {
                    "series": f"s{k}",
                    "count": draw(st.integers(1, 3)),
                    "length": draw(st.sampled_from([1, 1, 2])),
                    "min_days_between": draw(st.integers(0, 3)),
                }
            )
            # a series for a sub-group, or with its own maximum gap: the gap rules' chains
            if k and draw(st.booleans()):
                series[-1]["groups"] = [draw(st.sampled_from(["A", "B"]))]
            if draw(st.integers(0, 3)) == 0:
                series[-1]["max_days_between"] = draw(st.integers(1, 5))
        ue: dict[str, Any] = {
            "id": f"U{u}",
            "teachers": [f"T{draw(st.integers(0, n_teachers - 1))}"],
            "groups": [draw(st.sampled_from(["C", "A", "B"]))],
            "sessions": series,
        }
        if draw(st.booleans()):
            ue["sites"] = [draw(st.sampled_from(["S0", "S1"]))]
        if draw(st.booleans()):
            ue["max_days_between"] = draw(st.integers(2, 7))
        ue["even_spread"] = draw(st.booleans())
        ues.append(ue)
    return {
        "name": "random",
        "calendar": {
            "start": "2026-09-15",
            "end": "2026-09-29",
            "slots": SLOTS,
            "school_holidays": {"dates": ["2026-09-17"]},
        },
        "sites": [
            {"id": "S0", "rooms": [{"id": "R0", "capacity": 20}, {"id": "R1", "capacity": 10}]},
            {"id": "S1", "rooms": [{"id": "R2", "capacity": 20}]},
        ]
        # the two sites in one area (a day may take both) or apart, as drawn: the model, the
        # greedy and the checker must agree either way (a review)
        if draw(st.booleans())
        else [
            {
                "id": "S0",
                "area": "TOWN",
                "rooms": [{"id": "R0", "capacity": 20}, {"id": "R1", "capacity": 10}],
            },
            {"id": "S1", "area": "TOWN", "rooms": [{"id": "R2", "capacity": 20}]},
        ],
        "groups": groups,
        "teachers": teachers,
        "ues": ues,
        "fixed_events": [
            {
                "id": "EV",
                "site": "S1",
                "dates": ["2026-09-26"],
                "start": "09:00",
                "end": "12:15",
                "groups": ["A"],
            }
        ],
    }


@settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_every_solution_passes_the_checker(data: dict[str, Any]) -> None:
    problem = problem_of(data)
    greedy = greedy_timetable(problem)
    if greedy is not None:
        assert check(problem, greedy).violations == ()
    result = solve(problem, SolveOptions(time_limit=5, workers=1, deterministic=True))
    if not result.status.has_solution:
        assert greedy is None, "the greedy found a timetable the solver missed"
        return
    report = check(problem, result.assignments)
    assert report.violations == (), report.violations
    assert report.objective == result.objective
    assert report.costs == {**{r: 0 for r in report.costs}, **result.costs}
    # the bound known from the data never exceeds what a timetable costs
    assert data_bound(build_model(problem)) <= report.objective
    assert result.bound is None or result.bound <= report.objective
