"""Domains narrowed by sessions bound to one day (`data/narrowing.py`), and the pre-flight's
counting checks run on them (`data/preflight_narrowed.py`)."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from ortools.sat.python import cp_model

from scheduler.data.findings import Finding
from scheduler.data.narrowing import narrowed
from scheduler.data.preflight import preflight, session_domains
from scheduler.data.preflight_spacing import check_series_spacing
from scheduler.data.problem import Problem
from scheduler.model.build import build_model

from .conftest import problem_of


def _pinned_at_namur(tiny_data: dict[str, Any], count: int, first: str) -> dict[str, Any]:
    """Tiny over three weeks: UE1 (the cohort) only at NAMUR, its 2nd session pinned to Saturday
    3 Oct morning; option B's UE3 only at MONS, `count` sessions from `first` to 3 Oct."""
    data = copy.deepcopy(tiny_data)
    data["calendar"]["end"] = "2026-10-03"
    data["precedences"] = []  # UE1 now ends after UE4
    data["ues"][0]["sites"] = ["NAMUR"]
    ue3 = data["ues"][2]
    ue3.update(sites=["MONS"], window={"from": first, "to": "2026-10-03"})
    ue3["sessions"][0]["count"] = count
    data["pins"].append({"session": "UE1-main-02", "date": "2026-10-03", "slot": "SAT-AM"})
    return data


def _errors(problem: Problem) -> list[Finding]:
    return [f for f in preflight(problem) if f.severity == "error"]


def _has_timetable(data: dict[str, Any]) -> bool:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(build_model(problem_of(data), with_objective=False).model)
    assert status != cp_model.UNKNOWN
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_a_session_bound_to_a_day_narrows_the_same_people_s_other_sessions(
    tiny_data: dict[str, Any],
) -> None:
    """Option B's students are at NAMUR on Saturday 3 Oct (UE1-main-02's pin): UE3, at MONS
    only, loses that day; its first session, left with Thursday 1 Oct, then takes it from the
    second. UE2 (MONS) loses 15 Sep to UE1-main-01's pin there."""
    problem = problem_of(_pinned_at_namur(tiny_data, 2, "2026-10-01"))
    domains = session_domains(problem)
    n = narrowed(problem, domains)
    assert {sid: sorted(by) for sid, by in n.by.items()} == {
        "UE2-main-01": ["UE1-main-01"],
        "UE2-main-02": ["UE1-main-01"],
        "UE3-main-01": ["UE1-main-02"],
        "UE3-main-02": ["UE1-main-02", "UE3-main-01"],
    }
    assert {str(c.start.date) for c in domains["UE3-main-01"]} == {"2026-10-01", "2026-10-03"}
    assert {str(c.start.date) for c in n.domains["UE3-main-01"]} == {"2026-10-01"}
    assert n.domains["UE3-main-02"] == []
    assert all(str(c.start.date) != "2026-09-15" for c in n.domains["UE2-main-01"])
    assert any(str(c.start.date) == "2026-09-17" for c in n.domains["UE2-main-01"])


def test_a_session_left_without_a_placement_names_the_sessions_that_took_them(
    tiny_data: dict[str, Any],
) -> None:
    data = _pinned_at_namur(tiny_data, 2, "2026-10-01")
    errors = _errors(problem_of(data))
    assert [(f.rule, f.entities) for f in errors] == [("placement", ("UE3-main-02",))]
    assert errors[0].message == (
        "UE3-main-02 has no placement left: its 6 placements are on days or slots that sessions "
        "bound to one day take from its teachers or students (one site a day, one session at a "
        "time): UE1-main-02 (pinned to 3 Oct 2026 at NAMUR) and UE3-main-01 (1 Oct 2026 at "
        "MONS) — move a pin, or widen a window or an availability"
    )
    assert not _has_timetable(data)


def test_a_count_on_narrowed_domains_says_what_narrowed_them(tiny_data: dict[str, Any]) -> None:
    """Three sessions from 29 Sep: the plain domains fit them (3 Oct's two slots), the
    narrowed ones do not (an audit's 212 sessions: "no conflicting set" after 30 s)."""
    data = _pinned_at_namur(tiny_data, 3, "2026-09-29")
    problem = problem_of(data)
    assert check_series_spacing(problem, session_domains(problem)) == []
    errors = _errors(problem)
    assert [(f.rule, f.entities) for f in errors] == [("placement", ("UE3-main",))]
    assert errors[0].message.endswith(
        "on the 2 days its placements allow (29 Sep–1 Oct 2026): widen the window or lower the "
        "count, or move one of the pins below (counted without the days and slots that "
        "sessions bound to one day take from the same teachers or students, one site a day and "
        "one session at a time: UE1-main-02 (pinned to 3 Oct 2026 at NAMUR))"
    )
    assert not _has_timetable(data)


def test_sites_of_one_area_are_not_narrowed_apart(tiny_data: dict[str, Any]) -> None:
    """MONS and NAMUR in one area: option B may be at MONS on the afternoon after the pinned
    morning at NAMUR, and a timetable exists."""
    data = _pinned_at_namur(tiny_data, 3, "2026-09-29")
    for site in data["sites"]:
        site["area"] = "HAINAUT-NAMUR"
    problem = problem_of(data)
    n = narrowed(problem, session_domains(problem))
    assert {
        c.start.slot for c in n.domains["UE3-main-03"] if str(c.start.date) == "2026-10-03"
    } == {"SAT-PM"}
    assert _errors(problem) == []
    assert _has_timetable(data)


_CHAIN = """
name: chain
timezone: Europe/Brussels
calendar:
  start: 2026-09-15
  end: 2026-09-17
  slots:
    - {id: TUE, weekday: tue, start: "18:00", end: "21:00"}
    - {id: THU, weekday: thu, start: "18:00", end: "21:00"}
sites:
  - {id: X, rooms: [{id: X1, capacity: 10}]}
  - {id: Y, rooms: [{id: Y1, capacity: 10}]}
teachers: [{id: T1}, {id: T2}]
ues:
  - {id: P, teachers: [T1], sites: [X], sessions: [{count: 1, groups: []}]}
  - {id: A, teachers: [T1, T2], sites: [Y], sessions: [{count: 1, groups: []}]}
  - id: C
    teachers: [T2]
    sites: [X]
    window: {from: 2026-09-17, to: 2026-09-17}
    sessions: [{count: 1, groups: []}]
pins:
  - {session: P-main-01, date: 2026-09-15}
"""


def test_a_chain_of_narrowings_names_the_pin_it_starts_from() -> None:
    """P's pin takes Tuesday from T1, so A (T1, T2) is bound to Thursday at Y, which leaves C
    (T2, Thursday at X) nothing: the words named A, not pinned, and "move a pin" without the
    pin (a review); and said "its 1 placement are"."""
    (error,) = _errors(problem_of(yaml.safe_load(_CHAIN)))
    assert error.message == (
        "C-main-01 has no placement left: its one placement is on days or slots that sessions "
        "bound to one day take from its teachers or students (one site a day, one session at a "
        "time): A-main-01 (17 Sep 2026 at Y) and P-main-01 (pinned to 15 Sep 2026 at X) — move "
        "a pin, or widen a window or an availability"
    )


def test_a_pin_on_the_first_day_a_re_solve_may_change_is_a_pin_to_move() -> None:
    """`frozen_before` is the first day a re-solve may change: a session pinned to that day is
    a pin (to move), not a session given in the past (a mutation audit: untested)."""
    data = yaml.safe_load(_CHAIN)
    data["frozen_before"] = "2026-09-15"
    (error,) = _errors(problem_of(data))
    assert "P-main-01 (pinned to 15 Sep 2026 at X) — move a pin" in error.message


def test_a_bound_session_emptied_after_it_narrowed_another_is_still_named() -> None:
    """A (two slots, at X from S1 or at Y from S2) surely takes S2 and empties E (T2, S2 only);
    then B (T1, at X in S1) empties A. Naming A from its emptied domain crashed (IndexError,
    a review): it is named from where it was bound when it narrowed."""
    data = yaml.safe_load(_CHAIN)
    data["calendar"].update(
        end="2026-09-15",
        slots=[
            {"id": f"S{i}", "weekday": "tue", "start": f"{8 + i:02d}:00", "end": f"{9 + i:02d}:00"}
            for i in (1, 2, 3)
        ],
    )
    data["sites"] = [
        {"id": "X", "rooms": [{"id": "X1", "capacity": 10, "unavailable": [{"slots": ["S3"]}]}]},
        {"id": "Y", "rooms": [{"id": "Y1", "capacity": 10, "unavailable": [{"slots": ["S1"]}]}]},
    ]
    data["ues"] = [
        {"id": "A", "teachers": ["T1", "T2"], "sessions": [{"count": 1, "length": 2, "groups": []}]},
        {"id": "E", "teachers": ["T2"],
         "sessions": [{"count": 1, "groups": [], "unavailable": [{"slots": ["S1", "S3"]}]}]},
        {"id": "B", "teachers": ["T1"], "sites": ["X"],
         "sessions": [{"count": 1, "groups": [], "unavailable": [{"slots": ["S2", "S3"]}]}]},
    ]  # fmt: skip
    data["pins"] = []
    problem = problem_of(data)
    errors = [f.message for f in _errors(problem)]
    assert any(m.startswith("E-main-01 has no placement left") for m in errors), errors
    assert any("A-main-01 (15 Sep 2026 at X or Y)" in m for m in errors), errors
    assert not _has_timetable(data)
