"""Counting checks: weekly maxima, people and rooms short of slots, sets of sessions that all
clash, rooms too few for their series, days at one site."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from scheduler.data.instance import Instance
from scheduler.data.preflight import preflight, session_domains
from scheduler.data.preflight_cliques import check_clashing_sets
from scheduler.data.preflight_matching import check_days_and_slots
from scheduler.data.preflight_rooms import check_scarce_rooms
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, problem_of, solve_to_optimum
from tests.preflight.support import (
    INFEASIBLE,
    errors_of,
)


def test_teacher_weekly_max(tiny_data: dict[str, Any]) -> None:
    tiny_data["teachers"][0]["max_sessions_per_week"] = 1  # T1: UE1 x2 + UE4 (2 slots) in 2 weeks
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert ("teacher_weekly_max", ("T1",)) in {(f.rule, f.entities) for f in errors}


def test_a_session_longer_than_a_weekly_maximum_is_named_for_its_length(
    tiny_data: dict[str, Any],
) -> None:
    """An audit: a 2-slot workshop for a group of at most 1 slot a week got no pre-flight
    error (each week's slots, capped at 1, added up to enough), and `explain` needed 9 s to
    name the maximum, never the workshop. UE4 (COHORT, V1 and T1) lasts 2 slots."""
    tiny_data["groups"][1]["max_sessions_per_week"] = 1  # OPT-A: its students attend UE4
    tiny_data["teachers"][-1]["max_sessions_per_week"] = 1  # V1
    errors = errors_of(preflight(problem_of(tiny_data)))
    said = {(f.rule, f.entities): f.message for f in errors}
    # OPT-A's other 4 one-slot sessions in 2 weeks do not fit either: said apart, without
    # UE4's 2 slots (V1 has nothing else: no shortfall of V1's)
    (rest,) = [f for f in errors if f.entities == ("COHORT+OPT-A",)]
    assert "must attend 4 session slots" in rest.message and len(errors) == 3
    assert said[("group_weekly_max", ("OPT-A",))] == (
        "students of OPT-A may attend at most 1 session slot a week (max_sessions_per_week), "
        "but each session of UE4-main (2 slots) lasts longer: none can be placed — raise "
        "max_sessions_per_week or shorten those sessions"
    )
    assert said[("teacher_weekly_max", ("V1",))].startswith(
        "teacher Claire Roy (V1) may teach at most 1 session slot a week"
    )
    del tiny_data["groups"][1]["max_sessions_per_week"]
    tiny_data["teachers"][-1]["max_sessions_per_week"] = 2  # UE4 fits a week of V1's
    assert errors_of(preflight(problem_of(tiny_data))) == []


def test_a_course_bound_to_fewer_weeks_than_its_teachers_weekly_maximum_allows(
    tiny_data: dict[str, Any],
) -> None:
    """T3 may teach once a week, and UE3's two sessions must be in the first week: the year
    holds enough weeks, the course's window does not. The error names the interval and series."""
    tiny_data["teachers"][2]["max_sessions_per_week"] = 1
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3["window"] = {"from": "2026-09-15", "to": "2026-09-20"}
    errors = {(f.rule, f.entities): f.message for f in errors_of(preflight(problem_of(tiny_data)))}
    assert errors[("teacher_weekly_max", ("T3",))] == (
        "teacher Julie Martin (T3) must give 2 session slots in 15–17 Sep 2026 (UE3-main) but the weekly maximum "
        "leaves 1 — raise max_sessions_per_week, widen the windows or lower the counts"
    )
    # also true: option B's students have UE1-main-01 (pinned) and UE3 in that week, and the
    # welcome morning takes the Saturday: 3 session slots, 2 usable ones; UE1-main-01 named,
    # not UE1-main and its 2 sessions (an audit)
    # what takes the slot they lack is said, under its rule (the explain audit's error blamed
    # a teacher free all year, as teacher_double_booking, for a room's closures)
    assert errors[("fixed_events", ("COHORT+OPT-B",))] == (
        "students of COHORT and OPT-B must attend 3 session slots in 15–17 Sep 2026 "
        "(UE1-main-01 and UE3-main) but only 2 slots are usable for them, one at a time; "
        "fixed_events alone takes 1 more slot of their windows (e.g. 19 Sep 2026 SAT-AM: fixed "
        "event ACCUEIL that day, holding its students (OPT-B) and room Salle A (N-A)) — widen "
        "the windows or the availability of teachers, students or rooms, or lower the counts"
    )
    ue3["window"] = {"from": "2026-09-15", "to": "2026-09-26"}  # two weeks: it fits
    assert errors_of(preflight(problem_of(tiny_data))) == []


def test_a_shortfall_a_room_s_closures_cause_names_the_room(tiny_data: dict[str, Any]) -> None:
    """The explain audit's series could use one projector room, closed on two weekdays: the
    error blamed its teacher, free all year, under teacher_double_booking, and never named
    the room. What alone takes the slots is said now, under its rule."""
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3["sites"] = ["MONS"]
    ue3["sessions"] = [{"count": 4, "room_features": ["projector"]}]
    tiny_data["sites"][0]["rooms"][0]["unavailable"] = [{"weekday": "thu"}, {"weekday": "sat"}]
    errors = {(f.rule, f.entities): f.message for f in errors_of(preflight(problem_of(tiny_data)))}
    assert errors[("room_availability", ("T3",))] == (
        "teacher Julie Martin (T3) must give 4 session slots in 15–22 Sep 2026 (UE3-main) but "
        "only 2 slots are usable for them, one at a time; room_availability alone takes 4 more "
        "slots of their windows (e.g. 17 Sep 2026 THU-EVE: room M-A unavailable) — widen the "
        "windows or the availability of teachers, students or rooms, or lower the counts"
    )


def test_a_shortfall_s_example_slot_is_one_of_the_dates_it_names(tiny_data: dict[str, Any]) -> None:
    """Left alone in stop 79: the example of what takes the slots was the first one in the
    windows, 15 Sep, where the error names 22-24 Sep; one within the dates named is given
    when there is one (23 Sep, a Wednesday the room is closed)."""
    tiny_data["calendar"]["slots"].append(
        {"id": "WED-EVE", "weekday": "wed", "start": "18:00", "end": "21:15"}
    )
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3["sites"] = ["MONS"]
    ue3["sessions"] = [{"count": 4, "room_features": ["projector"]}]
    closed = ["2026-09-15", "2026-09-16", "2026-09-17", "2026-09-23"]
    tiny_data["sites"][0]["rooms"][0]["unavailable"] = [
        {"weekday": "sat"},
        *({"date": day} for day in closed),
    ]
    errors = {(f.rule, f.entities): f.message for f in errors_of(preflight(problem_of(tiny_data)))}
    said = errors[("room_availability", ("T3",))]
    assert "must give 4 session slots in 22–24 Sep 2026 (UE3-main)" in said
    assert "(e.g. 23 Sep 2026 WED-EVE: room M-A unavailable)" in said


def test_profiles_short_in_the_same_words_are_one_finding() -> None:
    """The sample's cohort at most 2 sessions a week: six lines, one per profile, differing
    only by the option and practice group; now one, naming the profiles."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    next(g for g in data["groups"] if g["id"] == "COHORT")["max_sessions_per_week"] = 2
    errors = errors_of(preflight(Problem.build(Instance.model_validate(data))))
    (weekly,) = [f for f in errors if f.rule == "group_weekly_max"]
    assert len(weekly.entities) == 6
    assert weekly.message.startswith("students of COHORT (6 profiles: with APP1 and OPT-")


def test_a_teacher_without_availability_rules_is_short_of_slots_by_double_booking(
    tiny_data: dict[str, Any],
) -> None:
    """Too few usable slots for a teacher with no availability rule was tagged
    [teacher_availability]; one session at a time is the rule that breaks."""
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3["window"] = {"from": "2026-09-15", "to": "2026-09-18"}
    ue3["sessions"][0]["count"] = 3
    rules = {(f.rule, f.entities) for f in errors_of(preflight(problem_of(tiny_data)))}
    assert ("teacher_double_booking", ("T3",)) in rules
    assert ("teacher_availability", ("T3",)) not in rules


def test_students_short_only_by_their_teacher_s_availability_are_not_blamed() -> None:
    """W1 is free on two evenings for three sessions: the students are short of the same
    slots for the same sessions, and only the teacher's finding says it (an audit got both,
    the students' rule beside the teacher's)."""
    data: dict[str, Any] = {
        "name": "atelier",
        "timezone": "Europe/Brussels",
        "calendar": {
            "start": "2029-04-16",
            "end": "2029-06-15",
            "slots": [{"id": "TUE-EVE", "weekday": "tue", "start": "18:00", "end": "21:00"}],
        },
        "sites": [{"id": "S", "name": "S", "rooms": [{"id": "R", "name": "R", "capacity": 20}]}],
        "groups": [{"id": "ATL", "name": "Atelier", "size": 12}],
        "teachers": [
            {
                "id": "W1",
                "name": "Anna",
                "available_only": [{"date": "2029-05-08"}, {"date": "2029-05-15"}],
            },
            {"id": "W2", "name": "Marc"},
        ],
        "ues": [
            {"id": "ECR", "title": "E", "teachers": ["W1"], "groups": ["ATL"],
             "sessions": [{"count": 3}]},
            {"id": "REL", "title": "R", "teachers": ["W2"], "groups": ["ATL"],
             "sessions": [{"count": 4}]},
        ],
    }  # fmt: skip
    rules = {f.rule for f in errors_of(preflight(problem_of(data)))}
    assert "teacher_availability" in rules
    assert "group_double_booking" not in rules


def test_co_teachers_never_free_together_are_named_both(tiny_data: dict[str, Any]) -> None:
    """UE2 co-taught by T2 (away on Tuesdays and Saturdays) and V1 (Tuesdays only): each is
    free at some of its placements, never both: say so, naming both (an audit got only the
    visitor, with an example date that did not matter)."""
    teachers = {t["id"]: t for t in tiny_data["teachers"]}
    teachers["V1"]["available_only"] = [{"weekday": "tue"}]
    teachers["T2"]["unavailable"] = [{"weekday": "sat"}, {"weekday": "tue"}]
    tiny_data["ues"][1]["teachers"] = ["T2", "V1"]
    (finding,) = [f for f in errors_of(preflight(problem_of(tiny_data))) if "UE2" in f.message]
    # by name, with when each is free (a visitors audit: "V1 at 144 and V4 at 144 of them",
    # counts of placements, left the manager to look up both windows)
    assert finding.message.endswith(
        "; its teachers are never free together: Marc Dubois (T2) is free on Thursdays in "
        "17–24 Sep 2026, Claire Roy (V1) on Tuesdays in 15–22 Sep 2026, never all at one "
        "placement — widen one's availability or give the series other teachers"
    )


def test_co_teachers_free_in_stays_apart_are_said_by_stay(tiny_data: dict[str, Any]) -> None:
    """A visitor free in two stays a week and more apart: each stay said, not one span
    over the months between (which read as free throughout)."""
    tiny_data["calendar"]["end"] = "2026-10-17"
    teachers = {t["id"]: t for t in tiny_data["teachers"]}
    teachers["V1"]["available_only"] = [
        {"from": "2026-09-15", "to": "2026-09-17"},
        {"from": "2026-10-13", "to": "2026-10-15"},
    ]
    teachers["T2"]["unavailable"] = [
        {"from": "2026-09-15", "to": "2026-09-17"},
        {"from": "2026-10-13", "to": "2026-10-15"},
    ]
    tiny_data["ues"][1]["teachers"] = ["T2", "V1"]
    (finding,) = [f for f in errors_of(preflight(problem_of(tiny_data))) if "UE2" in f.message]
    assert "Claire Roy (V1) on 15–17 Sep 2026 and 13–15 Oct 2026, never all" in finding.message


def test_of_co_teachers_short_in_the_same_words_the_one_whose_availability_binds_is_named(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's visitor with a two-day window: her co-teacher, free all year, was named
    first for the same sessions."""
    v1 = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    v1["available_only"] = [{"date": "2026-09-22"}]  # one Tuesday evening
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    ue4["sessions"] = [{"count": 2}]
    errors = errors_of(preflight(problem_of(tiny_data)))
    teachers = [f for f in errors if f.rule.startswith("teacher_")]
    assert [f.entities for f in teachers] == [("V1",)], [f.message for f in teachers]
    assert teachers[0].message.startswith(
        "teacher Claire Roy (V1) must give 2 session slots on 22 Sep 2026"
    )


def test_a_co_teacher_short_of_fewer_of_a_visitor_s_sessions_is_not_named(
    tiny_data: dict[str, Any],
) -> None:
    """A visitors audit: V1's one evening must hold UE4's two sessions with T1 and a third of
    her own. T1, free all year, was said first to be short of UE4's two, in other words than
    V1's three: the line whose cause is hers says it all."""
    v1 = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    v1["available_only"] = [{"date": "2026-09-22"}]  # one Tuesday evening
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    ue4["sessions"] = [{"count": 2}]
    tiny_data["ues"].append(
        {"id": "UE5", "title": "Atelier", "teachers": ["V1"], "groups": ["OPT-A"],
         "sessions": [{"count": 1}]}
    )  # fmt: skip
    errors = errors_of(preflight(problem_of(tiny_data)))
    teachers = [f for f in errors if f.rule.startswith("teacher_")]
    assert [f.entities for f in teachers] == [("V1",)], [f.message for f in teachers]
    assert teachers[0].message.startswith(
        "teacher Claire Roy (V1) must give 3 session slots on 22 Sep 2026 (UE4-main and UE5-main)"
    )


def test_a_teacher_s_sessions_and_the_cohort_s_that_all_clash_are_counted_together() -> None:
    """An audit's 26 sessions in 23 slots (one teacher giving both options' sessions beside
    the cohort's) were "UNKNOWN" after 20 s: each person alone fits, so no check said it."""
    problem = Problem.build(load_instance(INFEASIBLE / "teacher-and-cohort.yaml"))
    domains = session_domains(problem)
    assert errors_of(check_days_and_slots(problem, domains)) == []  # each person alone fits
    errors = errors_of(preflight(problem))
    assert [(f.rule, f.entities) for f in errors] == [
        ("teacher_double_booking", ("UE1-main", "UE2-main", "UE3-main"))
    ]
    assert errors[0].message == (
        "UE1-main, UE2-main and UE3-main need 6 session slots in 15–24 Sep 2026, each session "
        "of a series on a day of its own, and no two of their sessions can share one (they "
        "share a teacher, Marc Dubois (T2), or students), but the slots "
        "they can use there hold only 4 — give a series another teacher, widen a window or an "
        "availability, or move a session (counted without the days and slots that sessions "
        "bound to one day take from the same teachers or students, one site a day and one "
        "session at a time: UE4-main-01 (26 Sep 2026 at MONS or NAMUR))"
    )


def test_sessions_that_clash_only_in_part_are_not_counted_together(
    tiny_data: dict[str, Any],
) -> None:
    """Option A's and option B's sessions do not clash (different students, different
    teachers): tiny's 10 session slots fit its 6 usable slots' pairs of parallel tracks."""
    problem = problem_of(tiny_data)
    assert check_clashing_sets(problem, session_domains(problem)) == []
    data = copy.deepcopy(tiny_data)
    data["ues"][2]["teachers"] = ["T2"]  # now they clash: by their teacher
    problem = problem_of(data)
    assert [f.rule for f in check_clashing_sets(problem, session_domains(problem))] == [
        "teacher_double_booking"
    ]


def _options_in_one_lab(tiny_data: dict[str, Any], counts: tuple[int, int]) -> dict[str, Any]:
    """Tiny over four weeks, both options' series in lab M-B (Salle B), on weekday evenings
    only: their students' and teachers' slots are enough, the lab's may not be."""
    data = copy.deepcopy(tiny_data)
    data["calendar"]["end"] = "2026-10-10"
    data["pins"] = []  # UE1-main-01's would take an evening from the options (`narrowing`)
    data["sites"][0]["rooms"][1]["features"] = ["lab"]
    for ue, count in zip(data["ues"][1:3], counts, strict=True):
        ue["sessions"][0].update(count=count, room_features=["lab"])
    next(t for t in data["teachers"] if t["id"] == "T3")["unavailable"] = [{"weekday": "sat"}]
    return data


def test_series_more_than_their_only_room_can_hold_are_named(tiny_data: dict[str, Any]) -> None:
    """9 session slots for the one lab's 8 weekday evenings: options taught in parallel fit
    their students' and teachers' slots, and no check counted the lab's."""
    problem = problem_of(_options_in_one_lab(tiny_data, (4, 5)))
    domains = session_domains(problem)
    assert errors_of(check_days_and_slots(problem, domains)) == []
    assert check_clashing_sets(problem, domains) == []
    errors = errors_of(preflight(problem))
    assert [(f.rule, f.entities) for f in errors] == [
        ("room_double_booking", ("UE2-main", "UE3-main"))
    ]
    assert errors[0].message == (
        "UE2-main and UE3-main can only use room M-B (the other rooms are too small, without a "
        "feature they need or at a site they may not use) and need 9 session slots there in "
        "15 Sep–8 Oct 2026, but it is free at only 8 of the slots these series can use — give "
        "a series another room (fewer features, a smaller headcount, another site), widen a "
        "window or an availability, or move a session"
    )


def test_series_their_only_room_can_hold_are_not_named(tiny_data: dict[str, Any]) -> None:
    """One session fewer: the lab holds them all, and a timetable exists."""
    data = _options_in_one_lab(tiny_data, (3, 3))
    problem = problem_of(data)
    assert check_scarce_rooms(problem, session_domains(problem)) == []
    solve_to_optimum(data)


_TWO_EVENINGS = """
name: review
timezone: Europe/Brussels
calendar:
  start: 2026-09-15
  end: {end}
  slots:
    - {{id: TUE-EVE, weekday: tue, start: "18:00", end: "21:00"}}
    - {{id: THU-EVE, weekday: thu, start: "18:00", end: "21:00"}}
sites:
  - id: S
    rooms:
{rooms}
"""


def _two_evenings(end: str, rooms: list[str], more: str) -> Problem:
    """Tuesday and Thursday evenings at one site, its `rooms`, and `more` (YAML)."""
    text = _TWO_EVENINGS.format(end=end, rooms="\n".join(f"      - {r}" for r in rooms))
    return problem_of(yaml.safe_load(text + more))


def test_series_limited_to_overlapping_rooms_are_counted_together() -> None:
    """Series limited to {A, B}, {B, C} and {A, C} overflow the three rooms together while each
    pair holds its two (a review: no series' own set is all three)."""
    rooms = [
        "{id: A, capacity: 20, features: [fx, fz]}",
        "{id: B, capacity: 20, features: [fx, fy]}",
        "{id: C, capacity: 20, features: [fy, fz]}",
    ]
    ues = "\n".join(
        f"  - {{id: {u}, sessions: [{{count: 3, groups: [], room_features: [{f}]}}]}}"
        for u, f in (("X1", "fx"), ("X2", "fx"), ("Y1", "fy"), ("Y2", "fy"), ("Z1", "fz"))
    )
    problem = _two_evenings("2026-09-26", rooms, "ues:\n" + ues)
    assert [(f.rule, f.entities) for f in errors_of(preflight(problem))] == [
        ("room_double_booking", ("X1-main", "X2-main", "Y1-main", "Y2-main", "Z1-main"))
    ]
    message = errors_of(preflight(problem))[0].message
    assert "can only use rooms A, B and C and need 15 session slots" in message
    assert "they have only 12 free room-slots (a room in a slot)" in message
    assert "— add a room, widen a window" in message


def test_rooms_closed_when_series_could_come_are_said_closed() -> None:
    """The other room is closed on evenings: neither its size nor features nor sites (what the
    words said, with advice that did not apply: a review)."""
    rooms = [
        "{id: R1, capacity: 20}",
        "{id: R2, capacity: 20, unavailable: [{slots: [TUE-EVE, THU-EVE]}]}",
    ]
    more = """
groups:
  - {id: COH, size: 20}
  - {id: OA, size: 10, part_of: COH, partition: opt}
  - {id: OB, size: 10, part_of: COH, partition: opt}
teachers: [{id: TA}, {id: TB}]
ues:
  - {id: UA, teachers: [TA], groups: [OA], sessions: [{count: 3}]}
  - {id: UB, teachers: [TB], groups: [OB], sessions: [{count: 3}]}
"""
    (error,) = errors_of(preflight(_two_evenings("2026-09-26", rooms, more)))
    assert error.message == (
        "UA-main and UB-main can only use room R1 (the other rooms are closed, taken by a fixed "
        "event or excluded by a pin whenever they could come) and need 6 session slots there "
        "in 15–24 Sep 2026, but it is free at only 4 of the slots these series can use — free "
        "another room, widen a window or an availability, or move a session"
    )


def test_a_clash_set_names_what_links_its_series_and_a_partial_series_by_session() -> None:
    """T2 gives both options, but UB's third session is T3's: it is not in the set, so UB is
    named by the sessions counted; T1 teaches UC alone and links nothing (a review)."""
    rooms = ["{id: R1, capacity: 30}", "{id: R2, capacity: 30}"]
    more = """
groups:
  - {id: COH, size: 20}
  - {id: OA, size: 10, part_of: COH, partition: opt}
  - {id: OB, size: 10, part_of: COH, partition: opt}
teachers: [{id: T1}, {id: T2}, {id: T3}]
ues:
  - {id: UC, teachers: [T1], groups: [COH], sessions: [{count: 2}]}
  - {id: UA, teachers: [T2], groups: [OA], sessions: [{count: 2}]}
  - {id: UB, teachers: [T2], groups: [OB], sessions: [{count: 3}]}
session_teachers:
  - {session: UB-main-03, teachers: [T3]}
"""
    (error,) = errors_of(preflight(_two_evenings("2026-09-30", rooms, more)))
    assert error.message.startswith(
        "UA-main, UB-main-01, UB-main-02 and UC-main need 6 session slots in 15–29 Sep 2026 and "
        "no two of their sessions can share one (they share a teacher, T2, or students), but "
        "the slots they can use there hold only 5"
    )
    no_students = """
teachers: [{id: T1}, {id: T2}, {id: T3}]
ues:
  - {id: U12, teachers: [T1, T2], sessions: [{count: 1, groups: []}]}
  - {id: U23, teachers: [T2, T3], sessions: [{count: 1, groups: []}]}
  - {id: U13, teachers: [T1, T3], sessions: [{count: 1, groups: []}]}
"""
    (error,) = errors_of(preflight(_two_evenings("2026-09-19", rooms, no_students)))
    assert "(they share a teacher, T1, T2 or T3), but" in error.message


@pytest.mark.parametrize(("count", "short"), [(30, True), (28, False)])
def test_series_at_two_sites_needing_more_days_than_there_are_are_named(
    count: int, short: bool
) -> None:
    """UE3's count typed 30 for 8: 30 days at MONS and UE1's 12 at NAMUR for the same cohort,
    one site a day, in 41 days; every check passed and the search could not decide in 30 s
    (an audit). 28 is feasible (a 120 s solve found a timetable): no error."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    ue3 = next(u for u in data["ues"] if u["id"] == "UE3")
    next(x for x in ue3["sessions"] if x.get("series", "main") == "main")["count"] = count
    errors = errors_of(preflight(problem_of(data)))
    if not short:
        assert errors == []
        return
    (error,) = errors
    assert (error.rule, error.entities) == ("group_one_site_per_day", ("UE1-main", "UE3-main"))
    assert error.message.startswith(
        "students of APP1, COHORT and OPT-SE must have 42 days in 15 Sep–19 Dec 2026 for 12 at "
        "NAMUR (UE1-main) and 30 at MONS (UE3-main), each series a day per session and at one "
        "site a day, but the days these series can use hold only 41"
    )


LUNCH = """
name: lunch
calendar:
  start: 2027-03-22
  end: 2027-04-04
  slots:
    - {id: SAT-AM, weekday: sat, start: "09:00", end: "12:15"}
    - {id: SAT-PM, weekday: sat, start: "13:45", end: "17:00"}
    - {id: SUN-AM, weekday: sun, start: "09:00", end: "12:00"}
    - {id: SUN-PM, weekday: sun, start: "12:00", end: "15:00"}
sites:
  - {id: S1, rooms: [{id: R1, capacity: 30}, {id: R2, capacity: 30}]}
groups: [{id: G, size: 20}]
teachers: [{id: T1, name: "Teacher One"}, {id: T2}]
ues:
  - {id: UE1, teachers: [T1], groups: [G], sessions: [{count: 2, length: 2}]}
fixed_events:
  - {id: LUNCH, site: S1, rooms: [R2], dates: [2027-03-27, 2027-03-28, 2027-04-03],
     start: "12:30", end: "13:30", groups: [G], teachers: [T2]}
"""


@pytest.mark.parametrize(
    ("change", "held"),
    [
        ({}, "fixed event LUNCH that day, holding its students (G)"),
        (  # the teacher at it too, by name
            {"teachers": ["T1", "T2"]},
            "fixed event LUNCH that day, holding Teacher One (T1) and its students (G)",
        ),
        (  # two events: each with what it holds
            {"also": True},
            "fixed events LUNCH (holding its students (G)) and TALK (holding Teacher One (T1)) "
            "that day",
        ),
    ],
)
def test_an_event_that_takes_a_teacher_s_slots_says_whom_it_holds(
    change: dict[str, Any], held: str
) -> None:
    """A calendar audit: a teacher's shortfall named LUNCH, an event of their students only
    (in the break of a two-slot session), as if the teacher were at it."""
    data = yaml.safe_load(LUNCH)
    lunch = data["fixed_events"][0]
    lunch["teachers"] = change.get("teachers", lunch["teachers"])
    if change.get("also"):
        talk = {**lunch, "id": "TALK", "start": "12:20", "end": "12:40", "groups": []}
        data["fixed_events"].append({**talk, "teachers": ["T1"], "rooms": []})
    problem = Problem.build(Instance.model_validate(data))
    (teacher,) = [
        f.message
        for f in preflight(problem)
        if f.severity == "error" and "Teacher One" in f.message
    ]
    assert f"(e.g. 27 Mar 2027 SAT-AM: {held})" in teacher, teacher
