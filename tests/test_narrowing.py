"""Domains narrowed by sessions bound to one day (`data/narrowing.py`), and the pre-flight's
counting checks run on them (`data/preflight_narrowed.py`)."""

from __future__ import annotations

import copy
from typing import Any

from ortools.sat.python import cp_model

from scheduler.data.narrowing import narrowed
from scheduler.data.preflight import preflight, session_domains
from scheduler.data.preflight_spacing import check_series_spacing
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
    errors = [f for f in preflight(problem_of(data)) if f.severity == "error"]
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
    errors = [f for f in preflight(problem) if f.severity == "error"]
    assert [(f.rule, f.entities) for f in errors] == [("placement", ("UE3-main",))]
    assert errors[0].message.endswith(
        "on the 2 days its placements allow (29 Sep–1 Oct 2026): widen the window or lower the "
        "count (counted without the days and slots that sessions bound to one day take from the "
        "same teachers or students, one site a day and one session at a time: UE1-main-02 "
        "(pinned to 3 Oct 2026 at NAMUR))"
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
    assert [f for f in preflight(problem) if f.severity == "error"] == []
    assert _has_timetable(data)
