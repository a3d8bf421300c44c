"""Sessions left no placement: too long for a day, windows without an open day or of another year,
rooms and teachers never free, the rules that alone stand in the way."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from tests.conftest import problem_of
from tests.preflight.support import (
    INFEASIBLE,
    errors_of,
    placed_nowhere,
    slips,
)


def test_a_session_longer_than_any_day_is_named_for_its_length(tiny_data: dict[str, Any]) -> None:
    # without SAT-PM no day has two slots: UE4 (two slots, taught by V1, who is there for it)
    # fits nowhere because of its length, not because of V1's window
    calendar = tiny_data["calendar"]
    calendar["slots"] = [s for s in calendar["slots"] if s["id"] != "SAT-PM"]
    calendar["closures"] = []
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert [(f.rule, f.entities) for f in errors] == [("placement", ("UE4-main-01",))]
    assert errors[0].message == (
        "UE4-main-01 can be placed nowhere: it lasts 2 slots in a row, and no day of its "
        "window (15–26 Sep 2026) has 2 consecutive slots — shorten the series or add slots "
        "to the calendar"
    )


def test_a_two_slot_session_kept_to_a_one_slot_day_says_that_day_is_short(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's two-slot sessions, kept to Wednesdays whose afternoon was off, read
    "cannot take place Mondays, ..." and nothing of Wednesday: the placements never count a
    day too short for them. Tiny's UE4 (two slots) kept off Saturdays: Tuesdays and
    Thursdays have one slot each."""
    tiny_data["ues"][3]["sessions"][0]["unavailable"] = [{"weekday": "sat"}]
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert [(f.rule, f.entities) for f in errors] == [("placement", ("UE4-main-01",))]
    assert errors[0].message.endswith(
        "; it lasts 2 slots in a row, which Tuesdays (1 slot) and Thursdays (1 slot) cannot "
        "hold — add slots to those days, shorten the series, or lift what keeps it from the "
        "others"
    ), errors[0].message


def test_a_window_without_any_open_day_is_named_so(tiny_data: dict[str, Any]) -> None:
    """An audit: a closure over the whole calendar gave "it lasts 1 slots in a row, and no
    day of its window has 1 consecutive slots"."""
    tiny_data["calendar"]["closures"] = [
        {"from": "2026-09-15", "to": "2026-09-26", "reason": "travaux"}
    ]
    tiny_data["pins"] = []
    errors = errors_of(preflight(problem_of(tiny_data)))
    one = next(f for f in errors if f.entities == ("UE1-main-01", "UE1-main-02"))
    assert one.message == (
        "2 sessions of UE1-main can be placed nowhere: no day of its window (15–26 Sep 2026) "
        "has a teaching slot (each is closed, a holiday or without slots) — reopen days or "
        "widen the window"
    )
    assert not any("consecutive" in f.message for f in errors)


def test_a_teacher_never_available_is_named_with_the_fix(tiny_data: dict[str, Any]) -> None:
    """When no placement of a series suits its teacher, the finding names the teacher (the
    rule's count alone did not say who) and what to relax."""
    data = copy.deepcopy(tiny_data)
    ue = data["ues"][0]
    teacher = ue["teachers"][0]
    for t in data["teachers"]:
        if t["id"] == teacher:
            t["unavailable"] = [{"from": "2026-01-01", "to": "2027-12-31"}]
    errors = errors_of(preflight(problem_of(data)))
    placement = [f for f in errors if f.rule == "placement"]
    assert placement, errors
    assert any(f"teacher {teacher} is available at none of them" in f.message for f in placement)
    assert any(f"widen {teacher}'s availability" in f.message for f in placement)


def test_rooms_closed_whenever_the_teachers_can_come_are_said(tiny_data: dict[str, Any]) -> None:
    """An audit closed every Mons room during a visitor's stay: the finding counted
    placements by rule ("teacher_availability (1224), room_features (928), ...") and never
    said that the rooms are closed whenever the visitor is there."""
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    ue4["sessions"][0]["length"] = 1  # any evening or half Saturday; V1 comes 22–26 Sep
    for site in tiny_data["sites"]:
        for room in site["rooms"]:
            room["unavailable"] = [{"from": "2026-09-22", "to": "2026-09-26"}]
    message = placed_nowhere(tiny_data, "UE4-main")
    rooms = "every room it may use (M-A and N-A) is unavailable"  # M-B: too small
    assert message.endswith(
        f"; whenever its teachers can teach it (22–26 Sep 2026), {rooms} — shorten the rooms' "
        "unavailability or allow another site"
    )


def test_open_slots_too_short_are_not_said_closed(tiny_data: dict[str, Any]) -> None:
    """An audit's teacher available Thursdays only, for a full-day Saturday session, was said
    to find "every such slot closed" (a Thursday's closure named): the open Thursdays hold
    no two consecutive slots. A closure that takes half a Saturday is said beside it."""
    teacher = next(t for t in tiny_data["teachers"] if t["id"] == "T1")
    teacher["available_only"] = [{"weekday": "thu"}]
    tiny_data["calendar"]["closures"].append({"date": "2026-09-24", "reason": "Grève"})
    errors = errors_of(preflight(problem_of(tiny_data)))
    (ue4,) = [f.message for f in errors if f.entities == ("T1", "T1/available_only", "UE4-main")]
    assert ue4.endswith(
        "Anne Lambert (T1) is only available Thursdays, the calendar runs 15–26 Sep 2026, and "
        "the slots they are available for hold no 2 consecutive ones — widen the teacher's "
        "availability"
    )
    # and on Saturday 19 Sep, whose afternoon is closed
    teacher["available_only"] = [{"weekday": "thu"}, {"date": "2026-09-19"}]
    errors = errors_of(preflight(problem_of(tiny_data)))
    (ue4,) = [f.message for f in errors if f.entities == ("T1", "T1/available_only", "UE4-main")]
    assert "hold no 2 consecutive ones (closed there too: Journée d'accueil) — widen" in ue4


def test_placed_nowhere_names_the_rules_that_alone_stand_in_the_way() -> None:
    """The finding listed every rule by how many placements it rejects: with all rooms of a
    site closed, room_availability came 6th of 8, its rooms and dates unnamed. The rules that
    alone exclude some placement now come first, each with one placement and its culprit."""
    findings = preflight(Problem.build(load_instance(INFEASIBLE / "one-site-per-day.yaml")))
    (nowhere,) = [f for f in errors_of(findings) if f.rule == "placement"]
    assert (
        "rejected by one rule alone: 2 by one_site_per_day (e.g. 26 Sep 2026 SAT-PM"
        in nowhere.message
    )
    assert "fixed event VISITE that day, holding its students (OPT-B))" in nowhere.message
    assert "NAMUR not among the UE's sites" in nowhere.message
    assert nowhere.message.index("one rule alone") < nowhere.message.index("all rules rejecting")


def test_a_window_of_another_year_is_said_in_the_placed_nowhere_error_and_a_warning(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's window typed a year off got 'ue_window (1392)' among eight rules, no fix."""
    tiny_data["ues"][1]["window"] = {"from": "2025-09-15", "to": "2025-09-26"}
    assert placed_nowhere(tiny_data, "UE2-main").endswith(
        "its window 15–26 Sep 2025 lies outside the calendar (15–26 Sep 2026) — fix the window "
        "(its year?)"
    )
    (warning,) = slips(tiny_data, "ue_window")
    assert warning == (
        "ue UE2: its window 15–26 Sep 2025 lies outside the calendar (15–26 Sep 2026) — check "
        "its year"
    )


@pytest.mark.parametrize(
    ("window", "said"),
    [
        ({"from": "2026-09-15", "to": "2062-09-26"}, "15 Sep 2026–26 Sep 2062"),
        ({"from": "2025-09-15", "to": "2026-09-26"}, "15 Sep 2025–26 Sep 2026"),
    ],
)
def test_a_window_reaching_a_year_beyond_the_calendar_is_said(
    tiny_data: dict[str, Any], window: dict[str, str], said: str
) -> None:
    """An audit: a window's end typed 2062 for 2026 loosened it to the whole calendar without
    a word (wholly outside, it was said); a window a few weeks past the calendar is not."""
    tiny_data["ues"][1]["window"] = window
    (warning,) = slips(tiny_data, "ue_window")
    assert warning == (
        f"ue UE2: its window {said} reaches far beyond the calendar (15–26 Sep 2026) — check "
        "its year"
    )
    tiny_data["ues"][1]["window"] = {"from": "2026-08-20", "to": "2026-10-30"}
    assert slips(tiny_data, "ue_window") == []


def test_a_window_wholly_closed_names_the_closure(tiny_data: dict[str, Any]) -> None:
    tiny_data["ues"][1]["window"] = {"from": "2026-09-21", "to": "2026-09-26"}
    tiny_data["calendar"]["closures"] = [
        {"from": "2026-09-21", "to": "2026-09-26", "reason": "Grève"}
    ]
    assert placed_nowhere(tiny_data, "UE2-main").endswith(
        "its window 21–26 Sep 2026 holds no teaching slot, only closed days ('Grève') — widen "
        "the window"
    )  # it said "only holidays and 'Grève'" without a holiday there (an audit)


def test_a_window_on_a_holiday_names_it_and_one_without_slots_says_so(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["ues"][1]["window"] = {"from": "2026-09-17", "to": "2026-09-17"}
    tiny_data["calendar"]["public_holidays"] = {"dates": ["2026-09-17"]}
    assert placed_nowhere(tiny_data, "UE2-main").endswith(
        "its window 17 Sep 2026 holds no teaching slot, only closed days ('listed in "
        "public_holidays.dates') — widen the window"
    )
    tiny_data["ues"][1]["window"] = {"from": "2026-09-23", "to": "2026-09-23"}  # a Wednesday
    assert placed_nowhere(tiny_data, "UE2-main").endswith(
        "its window 23 Sep 2026 holds none of the calendar's weekly slots — widen the window"
    )


def test_every_room_of_the_only_site_closed_is_said(tiny_data: dict[str, Any]) -> None:
    """UE2 may only use MONS; every MONS room closed for the whole calendar."""
    for room in tiny_data["sites"][0]["rooms"]:
        room["unavailable"] = [{"from": "2026-09-15", "to": "2026-09-26"}]
    message = placed_nowhere(tiny_data, "UE2-main")
    assert message.endswith(
        "every room it may use then (M-A and M-B) is unavailable — shorten the rooms' "
        "unavailability or allow another site"
    )
    # pinned to a room (an audit: another site allowed, the same error and advice)
    tiny_data["ues"][1]["sites"] = ["MONS", "NAMUR"]
    tiny_data["pins"].append({"session": "UE2-main-01", "date": "2026-09-22", "room": "M-A"})
    message = placed_nowhere(tiny_data, "UE2-main-01")
    assert message.endswith(
        "every room it may use then (M-A) is unavailable — move the pin to another room, or "
        "shorten the room's unavailability"
    )


def test_a_teacher_away_for_a_ue_s_whole_window_is_named(tiny_data: dict[str, Any]) -> None:
    """The explain audit gave T04 a sabbatical over UE3's window: the error counted
    placements per rule ('one rule alone excludes 122 (ue_window ...)'), and a manager needs
    'T04 is unavailable throughout its window'."""
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3["window"] = {"from": "2026-09-15", "to": "2026-09-19"}
    teacher = next(t for t in tiny_data["teachers"] if t["id"] == ue3["teachers"][0])
    teacher["unavailable"] = [{"from": "2026-09-14", "to": "2026-09-20"}]
    errors = [f.message for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    assert any(
        f"teacher {teacher['id']} is unavailable throughout its window (15–19 Sep 2026): "
        f"widen {teacher['id']}'s availability or the window" in m
        for m in errors
    ), errors


def test_a_placement_error_names_the_precedence_with_a_fixed_event(
    tiny_data: dict[str, Any],
) -> None:
    """'precedences with fixed events: after ...' named none: with several, a manager could
    not tell which to drop (an exploratory test on the sample, where the conflict search
    after pre-flight errors is short and found none)."""
    tiny_data["precedences"].append({"before": "ACCUEIL", "after": "UE1"})  # UE1 pinned before
    errors = errors_of(preflight(problem_of(tiny_data)))
    said = " ".join(f.message for f in errors)
    assert "precedences with fixed events (precedences[1] (ACCUEIL before UE1))" in said, said
