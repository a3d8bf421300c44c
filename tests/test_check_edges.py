"""The checker at the edges of its rules: second slots, boundaries, several groups or sites.

Each test pins down a case a mutation audit of `scheduler.check` found untested, on a tiny
instance built for it, with the exact violations or cost terms the checker reports.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from scheduler.check import CheckReport, check
from scheduler.data import Problem
from scheduler.solution import Assignment
from tests.conftest import problem_of

# Teaching days: W38 Tue 15, Thu 17, Sat 19 (AM+PM); W39 Tue 22, Thu 24, Sat 26; W40 Tue 29,
# Thu 1, Sat 3; W41 Tue 6, Thu 8, Sat 10. Each test adds the UEs it needs to BASE.
BASE: dict[str, Any] = {
    "name": "edges",
    "calendar": {
        "start": "2026-09-14",
        "end": "2026-10-11",
        "slots": [
            {"id": "TUE-EVE", "weekday": "tue", "start": "18:00", "end": "21:15"},
            {"id": "THU-EVE", "weekday": "thu", "start": "18:00", "end": "21:15"},
            {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
            {"id": "SAT-PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
        ],
    },
    "sites": [
        {
            "id": "MONS",
            "rooms": [
                {"id": "M-A", "capacity": 30, "features": ["projector"]},
                {"id": "M-B", "capacity": 20, "features": ["projector"]},
            ],
        },
        {"id": "NAMUR", "rooms": [{"id": "N-A", "capacity": 30}]},
    ],
    "groups": [
        {"id": "COHORT", "size": 20},
        {"id": "OPT-A", "size": 12, "part_of": "COHORT", "partition": "option"},
        {"id": "OPT-B", "size": 8, "part_of": "COHORT", "partition": "option"},
    ],
    "teachers": [{"id": "T1"}, {"id": "T2"}, {"id": "T3"}],
    "ues": [],
}

SAT = "2026-09-19"
PROFILE_A, PROFILE_B = "COHORT+OPT-A", "COHORT+OPT-B"


def ue(
    uid: str,
    count: int = 1,
    *,
    teachers: tuple[str, ...] = ("T1",),
    groups: tuple[str, ...] = ("COHORT",),
    ue_fields: dict[str, Any] | None = None,
    **series: Any,
) -> dict[str, Any]:
    """A UE of one series `main` of `count` sessions (`<uid>-main-01`...), with the series'
    fields `series` and the UE's own `ue_fields`."""
    return {
        "id": uid,
        "teachers": list(teachers),
        "groups": list(groups),
        **(ue_fields or {}),
        "sessions": [{"count": count, **series}],
    }


def data(*ues: dict[str, Any]) -> dict[str, Any]:
    """A copy of BASE with these UEs, free to modify."""
    out = copy.deepcopy(BASE)
    out["ues"] = list(ues)
    return out


def teacher(d: dict[str, Any], tid: str) -> dict[str, Any]:
    return next(t for t in d["teachers"] if t["id"] == tid)


def room(d: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(r for s in d["sites"] for r in s.get("rooms", ()) if r["id"] == rid)


def rows(text: str) -> list[Assignment]:
    """Assignments from "SESSION MM-DD SLOT ROOM, ..." (2026), in the order given."""
    out = []
    for row in (r.split() for r in text.split(",") if r.strip()):
        sid, day, slot, room_id = row
        out.append(Assignment(sid, date.fromisoformat(f"2026-{day}"), slot, room_id))
    return out


def run(d: dict[str, Any] | Problem, text: str) -> CheckReport:
    problem = d if isinstance(d, Problem) else problem_of(d)
    return check(problem, rows(text))


def found(report: CheckReport) -> set[tuple[str, tuple[str, ...]]]:
    return {(v.rule, v.entities) for v in report.violations}


def terms(report: CheckReport, rule: str) -> list[tuple[tuple[str, ...], int]]:
    return [(t.entities, t.units) for t in report.terms_of(rule)]


A1, A2, A3, B1 = "A-main-01", "A-main-02", "A-main-03", "B-main-01"


# --- a rule that hits only the second slot of a two-slot session --------------------------
def test_teacher_unavailable_on_the_second_slot_only() -> None:
    """A two-slot session starting Saturday morning breaks its teacher's unavailability that
    only names the afternoon, its second slot."""
    d = data(ue("A", length=2))
    teacher(d, "T1")["unavailable"] = [{"weekday": "sat", "slots": ["SAT-PM"]}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("teacher_availability", (A1, "T1"))}
    assert "(SAT-PM), when unavailable" in report.violations[0].message


def test_series_unavailable_on_the_second_slot_only() -> None:
    """A series unavailable on one Saturday afternoon: its two-slot session starting that
    morning occupies the afternoon and breaks it."""
    d = data(ue("A", length=2, unavailable=[{"date": SAT, "slots": ["SAT-PM"]}]))
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("series_availability", (A1, SAT))}


def test_room_unavailable_on_the_second_slot_only() -> None:
    """A room unavailable on Saturday afternoons cannot host a two-slot session starting
    Saturday morning."""
    d = data(ue("A", length=2))
    room(d, "M-A")["unavailable"] = [{"weekday": "sat", "slots": ["SAT-PM"]}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("room_availability", (A1, "M-A"))}


def test_teacher_avoid_is_one_unit_per_session_whichever_slots_match() -> None:
    """A two-slot session costs each teacher 1 unit of `teacher_avoid` when an avoid rule
    matches its second slot only (T1), and 1, not 2, when it matches both (T2)."""
    d = data(ue("A", length=2, teachers=("T1", "T2")))
    teacher(d, "T1")["avoid"] = [{"weekday": "sat", "slots": ["SAT-PM"]}]
    teacher(d, "T2")["avoid"] = [{"weekday": "sat"}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert terms(report, "teacher_avoid") == [(("T1", A1), 1), (("T2", A1), 1)]
    assert report.costs["teacher_avoid"] == 2 * 6


def test_a_two_slot_session_on_a_school_holiday_costs_one_unit() -> None:
    """`school_holidays` charges a session of two slots on a school holiday, once."""
    d = data(ue("A", length=2))
    d["calendar"]["school_holidays"] = {"dates": [SAT]}
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert terms(report, "school_holidays") == [((A1, SAT), 1)]


def test_a_pinned_slot_is_the_start_slot_of_a_two_slot_session() -> None:
    """A pin's slot is compared with the session's first slot: pinned to SAT-AM it holds,
    pinned to SAT-PM (its second slot) it is broken."""
    d = data(ue("A", length=2))
    d["pins"] = [{"session": A1, "slot": "SAT-AM"}]
    assert found(run(d, f"{A1} 09-19 SAT-AM M-A")) == set()
    d["pins"] = [{"session": A1, "slot": "SAT-PM"}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("pin", (A1,))}
    assert report.violations[0].message == f"{A1} is pinned but has slot SAT-AM instead of SAT-PM"


def test_a_pin_giving_only_a_site_is_broken_at_another_site() -> None:
    """A pin with a site alone is broken by a room of another site."""
    d = data(ue("A"))
    d["pins"] = [{"session": A1, "site": "NAMUR"}]
    report = run(d, f"{A1} 09-15 TUE-EVE M-A")
    assert found(report) == {("pin", (A1,))}
    assert report.violations[0].message == f"{A1} is pinned but has site MONS instead of NAMUR"
    assert found(run(d, f"{A1} 09-15 TUE-EVE N-A")) == set()


# --- date rules --------------------------------------------------------------------------
def test_a_date_rule_with_slots_matches_only_those_slots() -> None:
    """A teacher unavailable on one date for the afternoon only may teach that morning."""
    d = data(ue("A", 2))
    teacher(d, "T1")["unavailable"] = [{"date": SAT, "slots": ["SAT-PM"]}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A, {A2} 09-19 SAT-PM M-A")
    assert found(report) == {("teacher_availability", (A2, "T1"))}


def test_a_date_range_rule_includes_its_first_day() -> None:
    """A rule `from` a date matches that date itself, not the days before it."""
    d = data(ue("A", 2))
    teacher(d, "T1")["unavailable"] = [{"from": "2026-10-01"}]
    report = run(d, f"{A1} 09-29 TUE-EVE M-A, {A2} 10-01 THU-EVE M-A")
    assert found(report) == {("teacher_availability", (A2, "T1"))}


def test_a_ue_window_includes_its_first_day() -> None:
    """A session on the first day of its UE's window is inside it."""
    window = {"from": "2026-09-15", "to": "2026-09-24"}
    d = data(ue("A", 2, ue_fields={"window": window}))
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-29 TUE-EVE M-A")
    assert found(report) == {("ue_window", (A2, "2026-09-29"))}


# --- exact boundaries --------------------------------------------------------------------
def test_room_capacity_equal_to_the_headcount_is_enough() -> None:
    """A room of 20 seats takes a series of 20 students, not one of 21."""
    d = data(ue("A", size=20), ue("B", size=21))
    report = run(d, f"{A1} 09-15 TUE-EVE M-B, {B1} 09-22 TUE-EVE M-B")
    assert found(report) == {("room_capacity", (B1, "M-B"))}
    assert report.violations[0].message.endswith("has 21 students but room M-B seats 20")


def test_precedence_allows_after_to_start_when_before_ends() -> None:
    """With SAT-PM starting at 12:15, when SAT-AM ends, `before` in the morning and `after`
    in the afternoon of one day keep their precedence (docs: ends before or at the start)."""
    d = data(ue("A", groups=("OPT-A",)), ue("B", teachers=("T2",), groups=("OPT-B",)))
    d["calendar"]["slots"][3]["start"] = "12:15"
    d["precedences"] = [{"before": "A", "after": "B"}]
    assert found(run(d, f"{A1} 09-19 SAT-AM M-A, {B1} 09-19 SAT-PM M-B")) == set()


def test_precedence_is_broken_by_one_slot_of_overlap() -> None:
    """A two-slot `before` session ending at 17:00 breaks its precedence over an `after`
    session starting at 13:45, its own second slot's start."""
    d = data(ue("A", length=2, groups=("OPT-A",)), ue("B", teachers=("T2",), groups=("OPT-B",)))
    d["precedences"] = [{"before": "A", "after": "B"}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A, {B1} 09-19 SAT-PM M-B")
    assert found(report) == {("precedence", (A1, B1))}


def test_a_session_starting_when_a_fixed_event_ends_is_no_clash() -> None:
    """A session of the event's teacher, group and room starting at 18:00, when the event
    ends, or ending at 21:15, when another starts, shares nothing with them."""
    d = data(ue("A"))
    common = {"site": "MONS", "rooms": ["M-A"], "groups": ["COHORT"], "teachers": ["T1"]}
    d["fixed_events"] = [
        {"id": "BEFORE", "dates": ["2026-09-15"], "start": "16:00", "end": "18:00", **common},
        {"id": "AFTER", "dates": ["2026-09-15"], "start": "21:15", "end": "22:00", **common},
    ]
    assert found(run(d, f"{A1} 09-15 TUE-EVE M-A")) == set()


def test_a_two_slot_session_clashes_with_an_event_in_its_second_slot() -> None:
    """A day-long session (both Saturday slots) and its teacher's event in the afternoon: the
    session's span, not its first slot's, meets the event (a mutation audit)."""
    d = data(ue("A", length=2))
    d["fixed_events"] = [
        {"id": "E", "site": "MONS", "dates": [SAT], "start": "15:00", "end": "16:00",
         "teachers": ["T1"]},
    ]  # fmt: skip
    assert ("teacher_double_booking", ("T1", A1, "E", SAT)) in found(
        run(d, f"{A1} 09-19 SAT-AM M-A")
    )


def test_an_event_ending_when_a_slot_starts_leaves_that_slot_idle() -> None:
    """`half_saturday`: an event at the site until 13:45, when the afternoon slot starts,
    does not fill that slot (a mutation audit: touching counted as overlapping)."""
    d = data(ue("A"))
    event = {"id": "E", "site": "MONS", "dates": [SAT], "start": "12:30", "end": "13:45"}
    d["fixed_events"] = [event]
    assert sum(u for _, u in terms(run(d, f"{A1} 09-19 SAT-AM M-A"), "half_saturday")) == 1
    event["end"] = "13:46"
    assert terms(run(d, f"{A1} 09-19 SAT-AM M-A"), "half_saturday") == []


def test_a_group_listed_with_its_grandparent_counts_once() -> None:
    """A sub-sub-group listed with the cohort it is part of through its option: its students
    are the cohort's already (20 in a room of 20), at any depth (a mutation audit)."""
    d = data(ue("A", groups=("COHORT", "APP1")))
    d["groups"].append({"id": "APP1", "size": 6, "part_of": "OPT-A", "partition": "app"})
    room(d, "M-B")["capacity"] = 20
    assert found(run(d, f"{A1} 09-15 TUE-EVE M-B")) == set()


def test_a_pin_reads_the_first_of_two_unresolved_assignments() -> None:
    """A session given twice, at two slots no calendar has: the first stands for the pin, as
    it does for every rule (a mutation audit: the last was read)."""
    d = data(ue("A"))
    d["pins"] = [{"session": A1, "date": "2026-09-15"}]
    report = run(d, f"{A1} 09-15 NO-SLOT M-A, {A1} 09-17 NO-SLOT M-A")
    assert not [v for v in report.violations if v.rule == "pin"], report.violations


def test_a_closure_ending_on_a_day_without_slots_counts_its_last_day() -> None:
    """`ue_gap`'s words count each closed day of the gap, the closure's last one too, which
    no slot falls on (a mutation audit: 6 of 7 were said)."""
    d = data(ue("A", 2, max_days_between=7))
    d["calendar"]["closures"] = [{"from": "2026-09-19", "to": "2026-09-25", "reason": "C"}]
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-29 TUE-EVE M-A")
    assert [t.message for t in report.terms_of("ue_gap")] == [
        "A-main sessions 1→2: 14 days apart, 7 of them closed (target ≤ 7)"
    ]


def test_isolated_sessions_follow_the_slots_in_time_order_whatever_the_file_order() -> None:
    """Slots listed out of order (afternoon, morning, evening): the morning and the evening
    have the afternoon between them, and each is isolated (a mutation audit)."""
    d = data(ue("A", 2))
    d["calendar"]["slots"] = [
        {"id": "SAT-PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
        {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
        {"id": "SAT-EVE", "weekday": "sat", "start": "18:00", "end": "21:15"},
        {"id": "TUE-EVE", "weekday": "tue", "start": "18:00", "end": "21:15"},
    ]
    d["weights"] = {"isolated_sessions": 1}
    report = run(d, f"{A1} 09-19 SAT-AM M-A, {A2} 09-19 SAT-EVE M-A")
    assert terms(report, "isolated_sessions") == [((PROFILE_A, SAT), 2), ((PROFILE_B, SAT), 2)]


def test_a_visitor_s_event_in_the_iso_week_of_new_year_is_the_same_trip() -> None:
    """1 January 2027 is in ISO week 2026-W53, with the visitor's Tuesday class: one trip (a
    mutation audit: keyed by the calendar year, the week did not exist)."""
    d = data(ue("A"))
    d["calendar"]["end"] = "2027-01-10"
    teacher(d, "T1")["available_only"] = [{"from": "2026-12-28", "to": "2027-01-03"}]
    d["fixed_events"] = [
        {"id": "E", "site": "NAMUR", "dates": ["2027-01-01"], "start": "09:00", "end": "12:15",
         "teachers": ["T1"]},
    ]  # fmt: skip
    assert terms(run(d, f"{A1} 12-29 TUE-EVE M-A"), "visitor_trips") == []


# --- several features, groups, sites -----------------------------------------------------
def test_a_room_with_only_the_first_of_two_features_lacks_the_second() -> None:
    """A series needing a projector and tables breaks `room_features` in a room with a
    projector only."""
    d = data(ue("A", room_features=["projector", "tables"]))
    room(d, "N-A")["features"] = ["projector", "tables"]  # a room that has both
    report = run(d, f"{A1} 09-15 TUE-EVE M-A")
    assert found(report) == {("room_features", (A1, "M-A"))}
    assert "needs tables, which room M-A lacks" in report.violations[0].message


def test_group_weekly_max_counts_only_the_profiles_holding_the_group() -> None:
    """OPT-A's maximum of 1 a week is broken by two OPT-A sessions in week 39, not by two
    sessions of the sibling option OPT-B in week 38 (students of OPT-B are not in OPT-A)."""
    d = data(ue("A", 2, groups=("OPT-A",)), ue("B", 2, teachers=("T2",), groups=("OPT-B",)))
    d["groups"][1]["max_sessions_per_week"] = 1
    report = run(
        d,
        "B-main-01 09-15 TUE-EVE M-A, B-main-02 09-17 THU-EVE M-A, "
        f"{A1} 09-22 TUE-EVE M-A, {A2} 09-24 THU-EVE M-A",
    )
    assert found(report) == {("group_weekly_max", ("OPT-A", "2026-W39"))}


def test_group_one_site_per_day_compares_a_session_with_every_fixed_event() -> None:
    """Students at a Mons event in the morning, a Namur event before noon and a Mons session
    in the afternoon of one Saturday: the session and the Namur event are at two sites."""
    d = data(ue("A"))
    d["fixed_events"] = [
        {"id": "E-MONS", "site": "MONS", "dates": [SAT], "start": "09:00", "end": "10:00",
         "groups": ["COHORT"]},
        {"id": "E-NAMUR", "site": "NAMUR", "dates": [SAT], "start": "10:30", "end": "11:30",
         "groups": ["COHORT"]},
    ]  # fmt: skip
    report = run(d, f"{A1} 09-19 SAT-PM M-A")
    assert found(report) == {("group_one_site_per_day", (A1, "E-NAMUR", SAT))}


def test_series_order_compares_the_second_and_third_sessions() -> None:
    """In a three-session series with sessions 2 and 3 swapped, the pair 2, 3 is out of
    order (and only it: 1 still comes first)."""
    d = data(ue("A", 3))
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-29 TUE-EVE M-A, {A3} 09-22 TUE-EVE M-A")
    assert found(report) == {("series_order", (A2, A3))}


def test_min_days_between_compares_the_second_and_third_sessions() -> None:
    """In a three-session series 5 days apart at least, sessions 2 and 3 two days apart are
    too close, sessions 1 and 2 a week apart are not."""
    d = data(ue("A", 3, min_days_between=5))
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-22 TUE-EVE M-A, {A3} 09-24 THU-EVE M-A")
    assert found(report) == {("min_days_between", (A2, A3))}


def test_weekly_load_counts_a_session_of_two_groups_for_both() -> None:
    """Two sessions for OPT-A and OPT-B together in one week exceed the target of 1 for the
    profiles of both options."""
    d = data(ue("A", 2, groups=("OPT-A", "OPT-B")))
    d["preferences"] = {"group_week_target": 1}
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-17 THU-EVE M-A")
    assert terms(report, "weekly_load") == [
        ((PROFILE_A, "2026-W38"), 1),
        ((PROFILE_B, "2026-W38"), 1),
    ]


def test_half_saturday_is_not_filled_by_an_event_at_another_site() -> None:
    """A Namur event in the afternoon leaves Mons's afternoon idle: Mons, where a session
    takes the morning, and Namur, opened by the event alone, each pay a unit."""
    d = data(ue("A"))
    d["fixed_events"] = [
        {"id": "E-NAMUR", "site": "NAMUR", "dates": [SAT], "start": "14:00", "end": "15:00"}
    ]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert terms(report, "half_saturday") == [(("MONS", SAT), 1), (("NAMUR", SAT), 1)]


def _small_namur_room() -> dict[str, Any]:
    """OPT-B (8 students) in A, kept to Mons, and in B, anywhere; Namur gains a room of 8."""
    d = data(
        ue("A", groups=("OPT-B",), sites=["MONS"]),
        ue("B", teachers=("T2",), groups=("OPT-B",)),
    )
    d["sites"][1]["rooms"].append({"id": "N-S", "capacity": 8})
    return d


def test_oversized_room_compares_with_rooms_at_the_sites_the_session_may_use() -> None:
    """Namur's room of 8 does not make Mons's 30 seats oversized for a session kept to Mons
    (its smallest room there seats 20), but does for one that may go to Namur."""
    report = run(_small_namur_room(), f"{A1} 09-15 TUE-EVE M-A, {B1} 09-22 TUE-EVE M-A")
    assert terms(report, "oversized_room") == [((B1, "M-A"), 1)]


def test_oversized_room_counts_a_room_seating_exactly_the_headcount() -> None:
    """A room of 8 seats takes a group of 8: 30 seats are more than three times it."""
    report = run(_small_namur_room(), f"{B1} 09-22 TUE-EVE M-A, {A1} 09-15 TUE-EVE M-B")
    assert terms(report, "oversized_room") == [((B1, "M-A"), 1)]
    assert report.terms_of("oversized_room")[0].message.endswith(
        "the smallest room that could take it, N-S, seats 8"
    )


def test_two_isolated_sessions_on_one_day_count_two_units() -> None:
    """Saturday morning and evening sessions with the afternoon free between them are both
    isolated: 2 units for each profile that day."""
    d = data(ue("A", 2))
    d["calendar"]["slots"].append(
        {"id": "SAT-EVE", "weekday": "sat", "start": "18:00", "end": "20:00"}
    )
    d["weights"] = {"isolated_sessions": 1}
    report = run(d, f"{A1} 09-19 SAT-AM M-A, {A2} 09-19 SAT-EVE M-A")
    assert terms(report, "isolated_sessions") == [((PROFILE_A, SAT), 2), ((PROFILE_B, SAT), 2)]


def test_visitor_trips_ignores_fixed_events_the_visitor_is_not_at() -> None:
    """A fixed event in another week that does not list the visitor is no trip of theirs."""
    d = data(ue("A", teachers=("T3",)))
    teacher(d, "T3")["available_only"] = [{"from": "2026-09-14", "to": "2026-10-11"}]
    d["fixed_events"] = [
        {"id": "E", "site": "NAMUR", "dates": ["2026-09-29"], "start": "09:00", "end": "10:00",
         "teachers": ["T1"]},
    ]  # fmt: skip
    report = run(d, f"{A1} 09-15 TUE-EVE M-A")
    assert terms(report, "visitor_trips") == []
    d["fixed_events"][0]["teachers"] = ["T1", "T3"]
    assert terms(run(d, f"{A1} 09-15 TUE-EVE M-A"), "visitor_trips") == [(("T3",), 1)]


# --- rhythm ------------------------------------------------------------------------------
def test_ue_spread_uses_the_series_window() -> None:
    """An evenly spread UE without a window whose series has one of 10 days (14-23 Sep):
    2 sessions, an even gap of 5; 2 days apart fall 3 short."""
    window = {"from": "2026-09-14", "to": "2026-09-23"}
    d = data(ue("A", 2, window=window, ue_fields={"even_spread": True}))
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-17 THU-EVE M-A")
    assert terms(report, "ue_spread") == [((A1, A2), 3)]


def test_ue_spread_keeps_the_full_count_of_a_series_with_a_reordered_session() -> None:
    """The calendar's 28 days over 3 sessions (one of them `reordered`, out of the chain): an
    even gap of 9, not 14; sessions 1 and 3, 7 days apart, fall 2 short."""
    d = data(ue("A", 3, ue_fields={"even_spread": True}))
    d["reordered"] = [A2]
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A3} 09-22 TUE-EVE M-A, {A2} 10-06 TUE-EVE M-A")
    assert terms(report, "ue_spread") == [((A1, A3), 2)]


def test_ue_gap_counts_the_days_between_sessions_out_of_order() -> None:
    """Session 2 three weeks before session 1 (series order broken) is 21 days from it:
    14 beyond the UE's maximum of 7."""
    d = data(ue("A", 2, ue_fields={"max_days_between": 7}))
    report = run(d, f"{A1} 10-06 TUE-EVE M-A, {A2} 09-15 TUE-EVE M-A")
    assert found(report) == {("series_order", (A1, A2))}
    assert terms(report, "ue_gap") == [((A1, A2), 14)]


# --- a session assigned twice ------------------------------------------------------------
def test_the_first_of_two_assignments_of_a_session_stands() -> None:
    """A session assigned twice breaks `placement`; every other rule sees its first
    assignment only (placed.py): the second, on a Thursday its teacher cannot teach, is not
    checked, and given first it is."""
    d = data(ue("A"))
    teacher(d, "T1")["unavailable"] = [{"weekday": "thu"}]
    problem = problem_of(d)
    first_fine = run(problem, f"{A1} 09-15 TUE-EVE M-A, {A1} 09-17 THU-EVE M-B")
    assert found(first_fine) == {("placement", (A1,))}
    first_bad = run(problem, f"{A1} 09-17 THU-EVE M-B, {A1} 09-15 TUE-EVE M-A")
    assert found(first_bad) == {("placement", (A1,)), ("teacher_availability", (A1, "T1"))}


@pytest.mark.parametrize("length", [1, 2])
def test_edges_instance_is_clean_when_nothing_is_wrong(length: int) -> None:
    """The instance of these tests breaks no rule when a session is placed plainly, so that
    each test's violations are its case's alone."""
    report = run(data(ue("A", length=length)), f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == set()
