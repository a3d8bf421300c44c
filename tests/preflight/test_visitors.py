"""Visiting teachers' stays: too short a run of slots, days away within it, a stay left on last
year's dates, a closure or fixed event over it."""

from __future__ import annotations

from typing import Any

import yaml

from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, problem_of
from tests.preflight.support import (
    INFEASIBLE,
    errors_of,
)


def test_visitor_window_sentence() -> None:
    errors = errors_of(preflight(Problem.build(load_instance(INFEASIBLE / "visitor-window.yaml"))))
    assert errors[0].message.startswith(
        "UE4's 1 session cannot be taught: Claire Roy (V1) is only available 25–26 Sep 2026, "
        "UE4's window is 15–24 Sep 2026 — widen the window or the teacher's availability"
    )


def test_a_visitor_without_a_run_of_slots_long_enough_is_told_so(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's visitor available on two weekday evenings for a session of two slots, in a
    UE with no window: the error read "UE4's window is 15–26 Sep" (the calendar) and the
    dates looked as if they fitted."""
    v1 = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    v1["available_only"] = [{"from": "2026-09-22", "to": "2026-09-23"}]
    (message,) = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    assert message == (
        "UE4's 1 session of 2 consecutive slots cannot be taught: Claire Roy (V1) is only "
        "available 22–23 Sep 2026, the calendar runs 15–26 Sep 2026, and the slots they are "
        "available for hold no 2 consecutive ones — widen the teacher's availability"
    )


def test_a_visitor_s_unavailable_days_within_the_stay_are_said(tiny_data: dict[str, Any]) -> None:
    """An audit: "only available 5–6 Mar" for a visitor whose 6 March was also unavailable
    read as if the 6th were usable."""
    v1 = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    v1["unavailable"] = [{"date": "2026-09-26"}, {"date": "2026-10-03"}]  # the last not in the stay
    (message,) = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    assert "Claire Roy (V1) is only available 22–26 Sep 2026 (except 26 Sep 2026), " in message
    del v1["unavailable"]
    assert errors_of(preflight(problem_of(tiny_data))) == []


def test_a_visitor_s_stay_left_in_last_year_says_so(tiny_data: dict[str, Any]) -> None:
    """A year audit rolled the calendar and left a visitor's stay in the year before: the
    error named both spans but not the slip. A stay that meets the calendar says nothing."""
    v1 = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    v1["available_only"] = [{"from": "2025-09-22", "to": "2025-09-26"}]
    (message,) = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    assert message.endswith(
        "(that availability lies outside the calendar, 15–26 Sep 2026: check its year)"
    ), message
    v1["available_only"] = [{"from": "2026-09-01", "to": "2026-09-14"}]  # just before it
    (message,) = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    assert "check its year" in message
    v1["available_only"] = [{"weekday": "mon"}]  # no dates: nothing to say of a year
    messages = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    assert messages and not any("check its year" in m for m in messages)


def test_a_closure_over_a_visitors_stay_is_named(tiny_data: dict[str, Any]) -> None:
    """The message said "V1 is only available 22–26 Sep, UE4's window is ..." where the two
    plainly overlap; what left nothing was a closure typed over the stay."""
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    ue4["sessions"][0]["length"] = 1  # a two-slot day would be the finding otherwise
    tiny_data["calendar"]["closures"].append(
        {"from": "2026-09-21", "to": "2026-09-27", "reason": "Fermeture (date mal saisie)"}
    )
    errors = errors_of(preflight(problem_of(tiny_data)))
    (visitor,) = [f for f in errors if f.rule == "teacher_availability"]
    assert (
        "Claire Roy (V1) is only available 22–26 Sep 2026, and within the calendar (15–26 Sep 2026)"
        in visitor.message
    )
    assert "every such slot is closed (Fermeture (date mal saisie))" in visitor.message


def test_a_visitor_s_stay_left_on_last_year_s_dates_is_named(tiny_data: dict[str, Any]) -> None:
    """The year audit copied the instance for a new year and left one of a visitor's two
    stays on last year's dates: the visit was lost without a word. All stays outside the
    calendar is an error of its own (no slot left)."""
    v1 = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    v1["available_only"].append({"from": "2025-09-22", "to": "2025-09-26"})
    found = [
        (f.rule, f.entities, f.message)
        for f in preflight(problem_of(tiny_data))
        if "available_only" in f.message and f.severity == "warning"
    ]
    assert found == [
        (
            "availability",
            ("V1", "V1/available_only"),  # its rows on a workbook's Availability sheet too
            "teacher Claire Roy (V1): available_only 22–26 Sep 2025 lies outside the calendar "
            "(15–26 Sep 2026), so it adds no date — check its year",
        )
    ]


def test_a_fixed_event_on_a_visitor_s_only_day_is_what_to_move(tiny_data: dict[str, Any]) -> None:
    """An audit's jury took the visiting teacher's only Saturday: the error said to "relax a
    rule that alone excludes some of them", where the event is what to move."""
    tiny_data["fixed_events"].append(
        {"id": "JURY", "site": "NAMUR", "rooms": ["N-A"], "dates": ["2026-09-26"],
         "start": "09:00", "end": "17:00", "teachers": ["V1"]}
    )  # fmt: skip
    errors = [f.message for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    (message,) = [m for m in errors if m.startswith("UE4-main-01 can be placed nowhere")]
    assert message.endswith(
        " — move fixed event JURY or take off it the teachers, students or rooms it shares "
        "with UE4-main"
    ), message
    assert "relax" not in message


def _two_visitors_in_one_fortnight() -> dict[str, Any]:
    """The audit's combination: UE4's Paris series (V1, not on Tuesdays, four distinct days)
    and UE6B's Lille series (V2, not on Saturdays, `min_days_between` 2) both within 10–23 May
    2027; each alone fits, together the management option's students need both Thursdays
    twice over (8 slots for 8 sessions: the load checks count them as fitting)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    fortnight = {"from": "2027-05-10", "to": "2027-05-23"}
    for ue_id, series_id in (("UE4", "paris"), ("UE6B", "lille")):
        ue = next(u for u in data["ues"] if u["id"] == ue_id)
        next(s for s in ue["sessions"] if s["series"] == series_id)["window"] = fortnight
    return data


def test_series_short_of_days_together_are_named() -> None:
    """The conflict search gave a set of 7 rules once and nothing the next run (30 s each)."""
    data = _two_visitors_in_one_fortnight()
    errors = errors_of(preflight(problem_of(data)))
    assert [(f.rule, f.entities) for f in errors] == [
        ("group_double_booking", ("UE4-paris", "UE6B-lille"))
    ]
    assert errors[0].message == (
        "students of APP1, COHORT and OPT-MS must have 8 session slots of UE4-paris and "
        "UE6B-lille in 11–22 May 2027, each session of a series on a day of its own, but the "
        "slots and days they can use there hold only 6 — widen a window or an availability, "
        "lower min_days_between, or move a session"
    )
    # Paris on any day (the fix the audit checked): feasible, no error
    ue4 = next(u for u in data["ues"] if u["id"] == "UE4")
    next(s for s in ue4["sessions"] if s["series"] == "paris")["min_days_between"] = 0
    assert errors_of(preflight(problem_of(data))) == []
