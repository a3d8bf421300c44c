"""Every hard rule through the solver: a case the rule forbids (no timetable) and one it allows.

Each case is a one-week instance with a handful of sessions, small enough to reason about by
hand. Every timetable found is verified by the independent checker.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from scheduler.check import check
from scheduler.model.solve import SolveOptions, solve
from scheduler.solution import Status
from tests.conftest import problem_of

Data = dict[str, Any]


def base() -> Data:
    """One week (Tue 2026-09-15 .. Sat 19), two sites with one room each, a cohort with options."""
    return {
        "name": "rules",
        "calendar": {
            "start": "2026-09-15",
            "end": "2026-09-19",
            "slots": [
                {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
                {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
                {"id": "AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
                {"id": "PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
            ],
        },
        "sites": [
            {"id": "MONS", "rooms": [{"id": "M1", "capacity": 30}]},
            {"id": "NAMUR", "rooms": [{"id": "N1", "capacity": 30}]},
        ],
        "groups": [
            {"id": "C", "size": 20},
            {"id": "A", "size": 10, "part_of": "C", "partition": "opt"},
            {"id": "B", "size": 10, "part_of": "C", "partition": "opt"},
        ],
        "teachers": [{"id": "T1"}, {"id": "T2"}],
        "ues": [
            {"id": "U1", "teachers": ["T1"], "groups": ["A"], "sessions": [{"count": 1}]},
            {"id": "U2", "teachers": ["T2"], "groups": ["B"], "sessions": [{"count": 1}]},
        ],
    }


def only_slot(d: Data, slot: str = "TUE") -> None:
    d["calendar"]["closures"] = [
        {
            "from": "2026-09-15",
            "to": "2026-09-19",
            "slots": [s["id"] for s in d["calendar"]["slots"] if s["id"] != slot],
        }
    ]


def _set(path: str, value: Any) -> Callable[[Data], None]:
    def apply(d: Data) -> None:
        node: Any = d
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        node[keys[-1]] = value

    return apply


def _all(*steps: Callable[[Data], None]) -> Callable[[Data], None]:
    def apply(d: Data) -> None:
        for step in steps:
            step(d)

    return apply


one_slot = only_slot
saturday_only = _set("calendar.closures", [{"from": "2026-09-15", "to": "2026-09-18"}])


# rule, change making it bite (-> INFEASIBLE), change keeping it satisfiable (-> timetable)
def _reordered_before_u2(made_up: tuple[str, str], u2: tuple[str, str]) -> Callable[[Data], None]:
    """U1 (two sessions, its first `reordered`) before U2, the make-up and U2 pinned to
    (date, slot)."""
    pins = [
        {"session": "U1-main-01", "date": made_up[0], "slot": made_up[1]},
        {"session": "U2-main-01", "date": u2[0], "slot": u2[1]},
    ]
    return _all(
        _set("ues.0.sessions.0.count", 2),
        _set("reordered", ["U1-main-01"]),
        _set("precedences", [{"before": "U1", "after": "U2"}]),
        _set("pins", pins),
    )


CASES: list[tuple[str, Callable[[Data], None], Callable[[Data], None]]] = [
    ("teacher_double_booking", _all(one_slot, _set("ues.1.teachers", ["T1"])), one_slot),
    (
        "room_double_booking",
        _all(one_slot, _set("sites.1.rooms", [])),
        one_slot,
    ),
    ("group_double_booking", _all(one_slot, _set("ues.1.groups", ["C"])), one_slot),
    (
        "teacher_availability",
        _all(one_slot, _set("teachers.0.unavailable", [{"weekday": "tue"}])),
        _all(one_slot, _set("teachers.0.unavailable", [{"weekday": "thu"}])),
    ),
    (
        "teacher_available_only",
        _set("teachers.0.available_only", [{"date": "2026-09-16"}]),
        _set("teachers.0.available_only", [{"date": "2026-09-17"}]),
    ),
    (
        "teacher_weekly_max",
        _all(_set("ues.1.teachers", ["T1"]), _set("teachers.0.max_sessions_per_week", 1)),
        _all(_set("ues.1.teachers", ["T1"]), _set("teachers.0.max_sessions_per_week", 2)),
    ),
    (
        "group_weekly_max",
        _all(_set("ues.1.groups", ["C"]), _set("groups.1.max_sessions_per_week", 1)),
        _set("groups.1.max_sessions_per_week", 1),  # A and B: no student attends both
    ),
    (
        "room_capacity",
        _all(one_slot, _set("sites.0.rooms.0.capacity", 9)),
        _all(one_slot, _set("sites.0.rooms.0.capacity", 10)),
    ),
    (
        "room_features",
        _all(
            one_slot,
            _set("sites.0.rooms.0.features", ["lab"]),
            _set("ues.0.sessions.0.room_features", ["lab"]),
            _set("ues.1.sessions.0.room_features", ["lab"]),
        ),
        _all(
            one_slot,
            _set("sites.0.rooms.0.features", ["lab"]),
            _set("ues.0.sessions.0.room_features", ["lab"]),
        ),
    ),
    (
        "room_availability",
        _all(one_slot, _set("sites.0.rooms.0.unavailable", [{"weekday": "tue"}])),
        _all(one_slot, _set("sites.0.rooms.0.unavailable", [{"weekday": "thu"}])),
    ),
    (
        "series_availability",
        _all(one_slot, _set("ues.0.sessions.0.unavailable", [{"weekday": "tue"}])),
        _all(one_slot, _set("ues.0.sessions.0.unavailable", [{"weekday": "thu"}])),
    ),
    (
        "allowed_sites",
        _all(one_slot, _set("ues.0.sites", ["MONS"]), _set("ues.1.sites", ["MONS"])),
        _all(one_slot, _set("ues.0.sites", ["MONS"]), _set("ues.1.sites", ["NAMUR"])),
    ),
    (
        "ue_window",
        _set("ues.0.window", {"from": "2026-09-16", "to": "2026-09-16"}),
        _set("ues.0.window", {"from": "2026-09-16", "to": "2026-09-17"}),
    ),
    (
        "teacher_one_site_per_day",
        _all(
            saturday_only,
            _set("ues.1.teachers", ["T1"]),
            _set("ues.0.sites", ["MONS"]),
            _set("ues.1.sites", ["NAMUR"]),
        ),
        _all(
            saturday_only,
            _set("ues.1.teachers", ["T1"]),
            _set("ues.0.sites", ["MONS"]),
            _set("ues.1.sites", ["MONS"]),
        ),
    ),
    (
        "group_one_site_per_day",
        _all(
            saturday_only,
            _set("ues.1.groups", ["C"]),
            _set("ues.0.sites", ["MONS"]),
            _set("ues.1.sites", ["NAMUR"]),
        ),
        _all(saturday_only, _set("ues.0.sites", ["MONS"]), _set("ues.1.sites", ["NAMUR"])),
    ),
    (
        "min_days_between",
        _all(
            _set("calendar.closures", [{"date": "2026-09-19"}]),
            _set("ues.0.sessions.0.count", 2),
            _set("ues.0.sessions.0.min_days_between", 3),
        ),
        _all(
            _set("calendar.closures", [{"date": "2026-09-19"}]),
            _set("ues.0.sessions.0.count", 2),
            _set("ues.0.sessions.0.min_days_between", 2),
        ),
    ),
    (
        "precedence",
        _all(
            _set("precedences", [{"before": "U2", "after": "U1"}]),
            _set("pins", [{"session": "U1-main-01", "date": "2026-09-15"}]),
        ),
        _all(
            _set("precedences", [{"before": "U2", "after": "U1"}]),
            _set("pins", [{"session": "U1-main-01", "date": "2026-09-17"}]),
        ),
    ),
    (  # a session out of its series' order (`reordered`) is bound on its own, not through
        # its series' last session (which the model took as the series' end)
        "precedence of a reordered session",
        _reordered_before_u2(made_up=("2026-09-19", "PM"), u2=("2026-09-17", "THU")),
        _reordered_before_u2(made_up=("2026-09-15", "TUE"), u2=("2026-09-19", "PM")),
    ),
    (
        "pin",
        _all(
            _set("ues.1.teachers", ["T1"]),
            _set(
                "pins",
                [
                    {"session": "U1-main-01", "date": "2026-09-17"},
                    {"session": "U2-main-01", "date": "2026-09-17"},
                ],
            ),
        ),
        _all(
            _set("ues.1.teachers", ["T1"]),
            _set(
                "pins",
                [
                    {"session": "U1-main-01", "date": "2026-09-17"},
                    {"session": "U2-main-01", "date": "2026-09-15"},
                ],
            ),
        ),
    ),
    (
        "fixed_event",
        _all(
            one_slot,
            _set(
                "fixed_events",
                [
                    {
                        "id": "EV",
                        "site": "MONS",
                        "dates": ["2026-09-15"],
                        "start": "17:00",
                        "end": "19:00",
                        "groups": ["C"],
                    }
                ],
            ),
        ),
        _all(
            one_slot,
            _set(
                "fixed_events",
                [
                    {
                        "id": "EV",
                        "site": "MONS",
                        "dates": ["2026-09-15"],
                        "start": "09:00",
                        "end": "12:00",
                        "groups": ["A"],
                    }
                ],
            ),
        ),
    ),
    (
        "length_two_consecutive",
        _all(
            _set("ues.0.sessions.0.length", 2),
            _set("calendar.closures", [{"date": "2026-09-19", "slots": ["PM"]}]),
        ),
        _set("ues.0.sessions.0.length", 2),
    ),
]


def _solve(change: Callable[[Data], None]) -> tuple[Status, Any, Any]:
    data = copy.deepcopy(base())
    change(data)
    problem = problem_of(data)
    result = solve(problem, SolveOptions(time_limit=10, workers=1, deterministic=True))
    return result.status, problem, result


@pytest.mark.parametrize(("rule", "bites", "allows"), CASES, ids=[c[0] for c in CASES])
def test_rule_forbids_and_allows(
    rule: str, bites: Callable[[Data], None], allows: Callable[[Data], None]
) -> None:
    status, _, _ = _solve(bites)
    assert status == Status.INFEASIBLE, f"{rule}: expected no timetable"
    status, problem, result = _solve(allows)
    assert status == Status.OPTIMAL
    report = check(problem, result.assignments)
    assert report.violations == ()
    assert report.objective == result.objective
