"""Pre-flight edges a mutation audit found untested: false errors on feasible instances at
boundaries (pins on one date, a precedence met back to back, two rooms between two pins,
areas), missed errors and warnings (each test names the mutant it kills)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from scheduler.data.preflight import Finding, preflight, session_domains
from scheduler.data.preflight_pins import check_crowded_out_by_pins
from tests.conftest import problem_of


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def _without_the_visitor(data: dict[str, Any]) -> dict[str, Any]:
    """The tiny instance without UE4 (its two-slot session needs the last Saturday) and V1."""
    data["ues"] = [u for u in data["ues"] if u["id"] != "UE4"]
    data["teachers"] = [t for t in data["teachers"] if t["id"] != "V1"]
    data["precedences"] = []
    return data


def _ue(data: dict[str, Any], ue_id: str) -> dict[str, Any]:
    return next(u for u in data["ues"] if u["id"] == ue_id)


# P1: check_pins' "outside the window" branch
def test_a_pin_outside_the_window_is_said_as_a_pin(tiny_data: dict[str, Any]) -> None:
    _ue(tiny_data, "UE3")["window"] = {"from": "2026-09-15", "to": "2026-09-19"}
    tiny_data["pins"].append({"session": "UE3-main-01", "date": "2026-09-24"})
    errors = _errors(preflight(problem_of(tiny_data)))
    assert [(f.rule, f.entities, f.message) for f in errors] == [
        (
            "pin",
            ("UE3-main-01",),
            "UE3-main-01 is pinned to 24 Sep 2026, which is outside the window 15–19 Sep "
            "2026: move or drop the pin",
        )
    ]


# P2: two sessions of a series pinned to one date, in order, are no pins out of order
def test_two_sessions_of_a_series_pinned_to_one_date_in_order_are_fine(
    tiny_data: dict[str, Any],
) -> None:
    data = _without_the_visitor(tiny_data)
    data["pins"] += [
        {"session": "UE3-main-01", "date": "2026-09-26", "slot": "SAT-AM"},
        {"session": "UE3-main-02", "date": "2026-09-26"},
    ]
    assert _errors(preflight(problem_of(data))) == []


# P6: a precedence whose `before` ends exactly when `after` starts holds
def test_a_precedence_met_end_to_start_is_no_error(tiny_data: dict[str, Any]) -> None:
    data = _without_the_visitor(tiny_data)
    data["calendar"]["slots"][3]["start"] = "12:15"  # SAT-PM right after SAT-AM
    data["teachers"][1].pop("unavailable")  # T2 may teach on Saturdays
    _ue(data, "UE2")["sessions"][0]["count"] = 1
    _ue(data, "UE3")["sessions"][0]["count"] = 1
    data["precedences"] = [{"before": "UE3", "after": "UE2"}]
    data["pins"] += [
        {"session": "UE3-main-01", "date": "2026-09-26", "slot": "SAT-AM"},
        {"session": "UE2-main-01", "date": "2026-09-26", "slot": "SAT-PM"},
    ]
    assert _errors(preflight(problem_of(data))) == []


# PN4: five held starts are all named (a sixth one would be counted)
def test_a_session_crowded_out_of_five_starts_names_all_five(tiny_data: dict[str, Any]) -> None:
    data = _without_the_visitor(tiny_data)
    data["teachers"][2]["unavailable"] = [{"date": "2026-09-26", "slots": ["SAT-PM"]}]
    _ue(data, "UE3")["sessions"][0]["count"] = 1
    data["ues"].append(
        {"id": "X", "title": "X", "teachers": ["T3"], "groups": ["OPT-B"],
         "sessions": [{"count": 5}]}
    )  # fmt: skip
    days = [("2026-09-15", "TUE-EVE"), ("2026-09-17", "THU-EVE"), ("2026-09-22", "TUE-EVE"),
            ("2026-09-24", "THU-EVE"), ("2026-09-26", "SAT-AM")]  # fmt: skip
    data["pins"] = [
        {"session": f"X-main-0{i}", "date": day, "slot": slot}
        for i, (day, slot) in enumerate(days, 1)
    ]
    p = problem_of(data)
    (finding,) = [f for f in check_crowded_out_by_pins(p, session_domains(p))
                  if f.entities[0] == "UE3-main-01"]  # fmt: skip
    assert "other starts" not in finding.message
    assert finding.message.count(" by X-main-0") == 5


# PN2: two sessions pinned to one time, free to use two rooms between them, do not clash
def test_two_sessions_pinned_to_one_time_with_two_rooms_between_them_are_fine(
    tiny_data: dict[str, Any],
) -> None:
    data = _without_the_visitor(tiny_data)
    _ue(data, "UE3")["sites"] = ["MONS"]  # M-A and M-B for both options
    data["pins"] += [
        {"session": "UE2-main-01", "date": "2026-09-17", "slot": "THU-EVE"},
        {"session": "UE3-main-01", "date": "2026-09-17", "slot": "THU-EVE"},
    ]
    assert _errors(preflight(problem_of(data))) == []


# S5: a re-solve's session given before `frozen_before` is said given, not a pin to move
def test_a_spacing_error_says_a_session_given_in_the_past_as_given(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["frozen_before"] = "2026-09-20"
    _ue(tiny_data, "UE3")["sessions"][0]["min_days_between"] = 10
    tiny_data["pins"].append({"session": "UE3-main-01", "date": "2026-09-17"})
    errors = _errors(preflight(problem_of(tiny_data)))
    (message,) = [f.message for f in errors if f.entities == ("UE3-main",)]
    assert "(given: UE3-main-01 on 17 Sep 2026)" in message
    assert "move a pin" not in message


# S6: a teacher away a quarter of the window's slots is named, one away less is not
@pytest.mark.parametrize(("away", "named"), [(["2026-09-26"], True), (["2026-09-24"], False)])
def test_a_spacing_error_names_a_teacher_away_a_quarter_of_the_window(
    tiny_data: dict[str, Any], away: list[str], named: bool
) -> None:
    ue1 = _ue(tiny_data, "UE1")
    ue1["window"] = {"from": "2026-09-15", "to": "2026-09-26"}
    ue1["sessions"][0] |= {"count": 3, "min_days_between": 6}
    tiny_data["teachers"][0]["unavailable"] = [{"date": day} for day in away]
    (message,) = [
        f.message for f in preflight(problem_of(tiny_data)) if f.rule == "min_days_between"
    ]
    said = "(or the availability of Anne Lambert (T1), away 2 of the window's 7 slots)"
    assert (said in message) is named, message
    assert "only 2 of the 3 sessions of UE1-main fit" in message


# DM2: a window wholly after the calendar is said to lie outside it, as one before it is
def test_a_window_a_year_after_the_calendar_is_said_outside_it(tiny_data: dict[str, Any]) -> None:
    _ue(tiny_data, "UE3")["window"] = {"from": "2027-09-15", "to": "2027-09-26"}
    errors = _errors(preflight(problem_of(tiny_data)))
    (message,) = [f.message for f in errors if f.rule == "placement"]
    assert "lies outside the calendar (15–26 Sep 2026) — fix the window (its year?)" in message


def _one_teacher_two_sites(data: dict[str, Any], ue3_sites: list[str]) -> dict[str, Any]:
    """T3 gives UE2 (OPT-A, at NAMUR) and UE3 (OPT-B) three sessions each on distinct days,
    in the five days the options have (19 Sep: ACCUEIL, then closed): no student follows both."""
    data = _without_the_visitor(data)
    data["ues"] = [u for u in data["ues"] if u["id"] in ("UE2", "UE3")]
    data["pins"] = []
    for ue_id, sites in (("UE2", ["NAMUR"]), ("UE3", ue3_sites)):
        ue = _ue(data, ue_id)
        ue |= {"teachers": ["T3"], "sites": sites}
        ue["sessions"][0] |= {"count": 3, "min_days_between": 1}
    return data


# SD2: a teacher's days at one site are said under the teacher's rule
def test_a_teacher_s_series_at_two_sites_short_of_days_are_the_teacher_s(
    tiny_data: dict[str, Any],
) -> None:
    data = _one_teacher_two_sites(tiny_data, ["MONS"])
    errors = _errors(preflight(problem_of(data)))
    assert [(f.rule, f.entities) for f in errors] == [
        ("teacher_one_site_per_day", ("UE2-main", "UE3-main"))
    ]
    assert errors[0].message.startswith("teacher Julie Martin (T3) must have 6 days")


# SD1: a series free to use sites of two areas is no one-site series
def test_a_series_at_sites_of_two_areas_is_not_counted_at_one(tiny_data: dict[str, Any]) -> None:
    data = _one_teacher_two_sites(tiny_data, ["MONS", "NAMUR"])
    assert _errors(preflight(problem_of(data))) == []


# N3: a session bound in one round narrows others in the next (`MAX_ROUNDS`)
_LATE_CHAIN = """
name: late-chain
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
teachers: [{id: T1}, {id: T2}, {id: T3}]
ues:
  - {id: A, teachers: [T1, T2], sites: [Y], sessions: [{count: 1, groups: []}]}
  - {id: D, teachers: [T2, T3], sites: [X], sessions: [{count: 1, groups: []}]}
  - {id: P, teachers: [T1], sites: [X], sessions: [{count: 1, groups: []}]}
  - {id: Q, teachers: [T3], sites: [Y], sessions: [{count: 1, groups: []}]}
pins:
  - {session: P-main-01, date: 2026-09-15}
  - {session: Q-main-01, date: 2026-09-15}
"""


def test_sessions_bound_by_pins_later_in_the_file_narrow_each_other() -> None:
    """P's pin binds A to Thursday at Y, Q's binds D to Thursday at X: A and D share T2, who
    is at one site a day. A and D come first in the file, so they are bound only at the end
    of the first round: the second round empties D."""
    errors = _errors(preflight(problem_of(yaml.safe_load(_LATE_CHAIN))))
    assert [(f.rule, f.entities) for f in errors] == [("placement", ("D-main-01",))]
    assert errors[0].message.startswith("D-main-01 has no placement left")


# W1: a break of exactly LONG_BREAK_MINUTES (2 h) is no long break
def test_a_two_hour_lunch_within_a_session_is_not_warned(tiny_data: dict[str, Any]) -> None:
    tiny_data["calendar"]["slots"][3]["start"] = "14:15"  # SAT-AM ends 12:15
    rules = [f.rule for f in preflight(problem_of(tiny_data))]
    assert "session_length" not in rules
    tiny_data["calendar"]["slots"][3]["start"] = "14:16"
    rules = [f.rule for f in preflight(problem_of(tiny_data))]
    assert "session_length" in rules


# W6: a rule's date on the last day of its own from/to is inside it
def test_a_rule_dated_on_the_last_day_of_its_range_matches(tiny_data: dict[str, Any]) -> None:
    tiny_data["teachers"][2]["unavailable"] = [
        {"date": "2026-09-17", "from": "2026-09-15", "to": "2026-09-17"}
    ]
    assert not [f for f in preflight(problem_of(tiny_data)) if f.rule == "availability"]
    tiny_data["teachers"][2]["unavailable"][0]["to"] = "2026-09-16"
    assert [f for f in preflight(problem_of(tiny_data)) if f.rule == "availability"]


# W8: fixed events at two sites of one area put nobody at two places
def test_fixed_events_at_two_sites_of_one_area_are_not_warned(tiny_data: dict[str, Any]) -> None:
    tiny_data["fixed_events"].append(
        {"id": "BILAN", "title": "Bilan", "site": "MONS", "dates": ["2026-09-19"],
         "start": "14:00", "end": "16:00", "teachers": ["T1"]}
    )  # fmt: skip
    rules = [f.rule for f in preflight(problem_of(tiny_data))]
    assert "one_site_per_day" in rules  # MONS and NAMUR: two areas
    for site in tiny_data["sites"]:
        site["area"] = "WALLONIA"
    rules = [f.rule for f in preflight(problem_of(tiny_data))]
    assert "one_site_per_day" not in rules


# W9: a fixed event's sub-group's students are counted once, within their group
def test_a_fixed_event_s_seats_count_a_sub_group_within_its_group(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["fixed_events"][0]["groups"] = ["COHORT", "OPT-A"]  # 20 students, N-A seats 30
    messages = [f.message for f in preflight(problem_of(tiny_data))]
    assert not [m for m in messages if "seats in its rooms" in m]


# P12: findings in the same words are said once
def test_a_rule_typed_twice_is_warned_of_once(tiny_data: dict[str, Any]) -> None:
    rule = {"weekday": "tue", "slots": ["THU-EVE"]}
    tiny_data["teachers"][2]["unavailable"] = [rule, dict(rule)]
    found = [f for f in preflight(problem_of(tiny_data)) if f.rule == "availability"]
    assert len(found) == 1


# V1: "check its year" only when every available_only window lies outside the calendar
def test_a_visitor_with_one_stay_in_the_calendar_is_not_told_to_check_the_year(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["teachers"][3]["available_only"] = [
        {"from": "2025-09-22", "to": "2025-09-26"},
        {"date": "2026-09-16"},  # a Wednesday: no slot
    ]
    errors = _errors(preflight(problem_of(tiny_data)))
    (message,) = [f.message for f in errors if f.rule == "teacher_availability"]
    assert "check its year" not in message
    tiny_data["teachers"][3]["available_only"].pop()
    errors = _errors(preflight(problem_of(tiny_data)))
    (message,) = [f.message for f in errors if f.rule == "teacher_availability"]
    assert "check its year" in message


# L10: a teacher with `available_only` alone is short by their own availability
def test_a_visitor_short_of_slots_in_their_stay_is_short_by_availability(
    tiny_data: dict[str, Any],
) -> None:
    ue4 = _ue(tiny_data, "UE4")
    ue4["window"] = {"from": "2026-09-22", "to": "2026-09-26"}
    ue4["sessions"][0] |= {"count": 5, "length": 1}  # V1 has 4 slots in her stay
    errors = _errors(preflight(problem_of(tiny_data)))
    assert [f.rule for f in errors if f.entities == ("V1",)] == ["teacher_availability"]


# S3: when no gap but 0 fits, the words say 0, not "0 at most"
def test_a_series_on_one_day_is_told_it_fits_with_no_gap(tiny_data: dict[str, Any]) -> None:
    ue3 = _ue(tiny_data, "UE3")
    ue3["window"] = {"from": "2026-09-26", "to": "2026-09-26"}  # SAT-AM and SAT-PM
    ue3["sessions"][0]["min_days_between"] = 1
    errors = _errors(preflight(problem_of(tiny_data)))
    (message,) = [f.message for f in errors if f.entities == ("UE3-main",)]
    assert "(they fit with min_days_between 0):" in message


# L12: a group's weekly maximum holds its sub-groups' sessions, in every partition
def test_a_group_s_weekly_maximum_names_the_long_sessions_of_each_option(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["groups"][0]["max_sessions_per_week"] = 1
    _ue(tiny_data, "UE4")["sessions"][0]["length"] = 1
    for ue_id in ("UE2", "UE3"):
        _ue(tiny_data, ue_id)["sessions"][0]["length"] = 2
    errors = _errors(preflight(problem_of(tiny_data)))
    (message,) = [f.message for f in errors if f.entities == ("COHORT",)]
    assert "each session of UE2-main (2 slots) and UE3-main (2 slots) lasts longer" in message


# W7: a one-day from/to range holds its own weekday
def test_a_one_day_range_with_its_own_weekday_matches(tiny_data: dict[str, Any]) -> None:
    tiny_data["teachers"][2]["unavailable"] = [
        {"from": "2026-09-17", "to": "2026-09-17", "weekday": "thu"}
    ]
    assert not [f for f in preflight(problem_of(tiny_data)) if f.rule == "availability"]


# W2: partitions close in spelling (ratio 0.8 to 0.9: `lang` / `langs`) are warned of
def test_partitions_spelt_close_are_warned_of(tiny_data: dict[str, Any]) -> None:
    tiny_data["groups"][1]["partition"] = "lang"
    tiny_data["groups"][2]["partition"] = "langs"
    assert [f for f in preflight(problem_of(tiny_data)) if f.rule == "partition"]


def test_pins_against_a_series_order_on_one_date_are_said(tiny_data: dict[str, Any]) -> None:
    """The second session pinned to the morning and the first to the afternoon of one day got
    the spacing error this check replaced ("widen the availability ... first"), not the pins."""
    data = _without_the_visitor(tiny_data)
    data["pins"] += [
        {"session": "UE3-main-01", "date": "2026-09-26", "slot": "SAT-PM"},
        {"session": "UE3-main-02", "date": "2026-09-26", "slot": "SAT-AM"},
    ]
    said = [f.message for f in preflight(problem_of(data)) if f.rule == "pin"]
    assert said == [
        "UE3-main-02 is pinned to 26 Sep 2026 SAT-AM, before UE3-main-01 (26 Sep 2026 SAT-PM), "
        "which its series gives first — swap or move the pins"
    ]
    data["pins"][-2:] = [
        {"session": "UE3-main-01", "date": "2026-09-26", "slot": "SAT-AM"},
        {"session": "UE3-main-02", "date": "2026-09-26", "slot": "SAT-PM"},
    ]
    assert not [f for f in preflight(problem_of(data)) if f.rule == "pin"]
