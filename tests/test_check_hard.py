"""The checker's hard rules: a clean timetable breaks none; each hand-broken one breaks its rule."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from scheduler.check import CheckReport, Violation, check
from scheduler.check.hard import HARD_CHECKS
from scheduler.data import Instance, Problem
from scheduler.rules import HARD_RULES, SOFT_RULES
from scheduler.solution import Assignment

# Teaching days: W38 Tue 15, Thu 17, Sat 19 (AM+PM); W39 Tue 22, Thu 24, Sat 26 (AM only);
# W40 Tue 29, Thu 1, Sat 3 (AM+PM); W41 Tue 6.
BASE: dict[str, Any] = {
    "name": "hard",
    "calendar": {
        "start": "2026-09-14",
        "end": "2026-10-06",
        "slots": [
            {"id": "TUE-EVE", "weekday": "tue", "start": "18:00", "end": "21:15"},
            {"id": "THU-EVE", "weekday": "thu", "start": "18:00", "end": "21:15"},
            {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
            {"id": "SAT-PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
        ],
        "closures": [{"date": "2026-09-26", "slots": ["SAT-PM"], "reason": "Accueil"}],
    },
    "sites": [
        {
            "id": "MONS",
            "rooms": [
                {
                    "id": "M-A",
                    "capacity": 30,
                    "features": ["projector"],
                    "unavailable": [{"date": "2026-09-24"}],
                },
                {"id": "M-B", "capacity": 12},
            ],
        },
        {"id": "NAMUR", "rooms": [{"id": "N-A", "capacity": 30, "features": ["projector"]}]},
    ],
    "groups": [
        {"id": "COHORT", "size": 20, "max_sessions_per_week": 2},
        {"id": "OPT-A", "size": 12, "part_of": "COHORT", "partition": "option"},
        {"id": "OPT-B", "size": 8, "part_of": "COHORT", "partition": "option"},
    ],
    "teachers": [
        {"id": "T1", "max_sessions_per_week": 2},
        {"id": "T2", "unavailable": [{"weekday": "sat"}]},
        {"id": "T3"},
        {"id": "V1", "available_only": [{"from": "2026-09-29", "to": "2026-10-03"}]},
    ],
    "ues": [
        {
            "id": "UE1",
            "teachers": ["T1"],
            "groups": ["COHORT"],
            "sessions": [{"count": 2, "room_features": ["projector"], "min_days_between": 5}],
        },
        {
            "id": "UE2",
            "teachers": ["T2"],
            "groups": ["OPT-A"],
            "sites": ["MONS"],
            "window": {"from": "2026-09-15", "to": "2026-09-24"},
            "sessions": [{"count": 2}],
        },
        {
            "id": "UE3",
            "teachers": ["T3"],
            "groups": ["OPT-B"],
            "sessions": [{"count": 1, "unavailable": [{"date": "2026-09-15"}]}],
        },
        {
            "id": "UE4",
            "teachers": ["V1", "T1"],
            "groups": ["COHORT"],
            "sessions": [{"count": 1, "length": 2}],
        },
    ],
    "fixed_events": [
        {
            "id": "EVT",
            "site": "NAMUR",
            "rooms": ["N-A"],
            "dates": ["2026-09-19"],
            "start": "09:00",
            "end": "12:15",
            "groups": ["OPT-B"],
            "teachers": ["T3"],
        }
    ],
    "precedences": [{"before": "UE1", "after": "UE4"}, {"before": "UE3-main-01", "after": "EVT"}],
    "pins": [
        {"session": "UE1-main-01", "date": "2026-09-15"},
        {"session": "UE3-main-01", "room": "N-A"},
    ],
    # a re-solve's instance: UE1-main-01, given on 15 Sep, is pinned there
    "frozen_before": "2026-09-16",
}

CLEAN = (
    "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE N-A, "
    "UE2-main-01 09-17 THU-EVE M-A, UE3-main-01 09-17 THU-EVE N-A, "  # OPT-A, OPT-B: same slot
    "UE2-main-02 09-24 THU-EVE M-B, UE4-main-01 10-03 SAT-AM N-A"  # length 2: SAT-AM+SAT-PM
)


@pytest.fixture(scope="module")
def problem() -> Problem:
    return Problem.build(Instance.model_validate(BASE))


def timetable(edits: str = "", base: str = CLEAN) -> list[Assignment]:
    """`base` edited by "S MM-DD SLOT ROOM" (move S), "-S" (remove), "+S MM-DD SLOT ROOM" (add)."""
    rows = [r.split() for r in base.split(",") if r.strip()]
    placed: dict[str, list[str]] = {r[0]: r[1:] for r in rows}
    extra = []
    for edit in (e.split() for e in edits.split(",") if e.strip()):
        if edit[0].startswith("-"):
            del placed[edit[0][1:]]
        elif edit[0].startswith("+"):
            extra.append([edit[0][1:], *edit[1:]])
        else:
            placed[edit[0]] = edit[1:]
    rows = [[sid, *where] for sid, where in placed.items()] + extra
    return [Assignment(s, date.fromisoformat(f"2026-{d}"), slot, room) for s, d, slot, room in rows]


def found(report: CheckReport) -> set[tuple[str, tuple[str, ...]]]:
    return {(v.rule, v.entities) for v in report.violations}


def test_checks_cover_every_hard_rule_in_order() -> None:
    assert tuple(name for name, _ in HARD_CHECKS) == HARD_RULES


def test_clean_timetable_breaks_no_rule(problem: Problem) -> None:
    report = check(problem, timetable())
    assert report.violations == ()
    assert report.feasible


def test_check_accepts_an_instance() -> None:
    assert check(Instance.model_validate(BASE), timetable()).feasible


S1, S2, S3, S4 = "UE1-main-01", "UE1-main-02", "UE3-main-01", "UE4-main-01"
R1, R2 = "UE2-main-01", "UE2-main-02"

# (case, edits of the clean timetable, violations expected among those reported)
# fmt: off
BROKEN: list[tuple[str, str, set[tuple[str, tuple[str, ...]]]]] = [
    ("missing", "-UE3-main-01", {("placement", (S3,))}),
    ("placed twice", "+UE3-main-01 10-01 THU-EVE M-B", {("placement", (S3,))}),
    ("unknown session", "+UE9-main-01 10-06 TUE-EVE N-A", {("placement", ("UE9-main-01",))}),
    ("unknown room", "UE3-main-01 09-17 THU-EVE X-1", {("placement", (S3, "X-1"))}),
    ("closed slot", "UE3-main-01 09-26 SAT-PM M-B",
     {("slot_allowed", (S3, "2026-09-26", "SAT-PM"))}),
    # a left-alone item: a session on a closed slot vanished from every other rule
    ("two sessions of one teacher and cohort on a closed slot, in one room",
     "UE1-main-02 09-26 SAT-PM M-A, UE4-main-01 09-26 SAT-AM M-A",
     {("slot_allowed", (S2, "2026-09-26", "SAT-PM")),
      ("slot_allowed", (S4, "2026-09-26", "SAT-AM")),
      ("teacher_double_booking", ("T1", S2, S4, "2026-09-26")),
      ("room_double_booking", ("M-A", S2, S4, "2026-09-26")),
      ("group_double_booking", (S2, S4, "2026-09-26"))}),
    # an audit: a session dated after the calendar's end vanished from the other rules
    ("two sessions in one room after the calendar's end",
     "UE1-main-02 10-08 THU-EVE N-A, UE3-main-01 10-08 THU-EVE N-A",
     {("slot_allowed", (S2, "2026-10-08", "THU-EVE")),
      ("slot_allowed", (S3, "2026-10-08", "THU-EVE")),
      ("room_double_booking", ("N-A", S2, S3, "2026-10-08")),
      ("group_double_booking", (S2, S3, "2026-10-08"))}),
    # a review: a length running past the day's last slot vanished from the other rules too
    ("a length-2 session from the day's last slot, beside another in its room",
     "UE4-main-01 10-03 SAT-PM N-A, UE1-main-02 10-03 SAT-PM N-A",
     {("slot_allowed", (S4, "2026-10-03", "SAT-PM")),
      ("room_double_booking", ("N-A", S2, S4, "2026-10-03")),
      ("teacher_double_booking", ("T1", S2, S4, "2026-10-03"))}),
    ("slot not on that weekday", "UE3-main-01 09-16 TUE-EVE N-A",
     {("slot_allowed", (S3, "2026-09-16", "TUE-EVE"))}),
    # an audit: an unresolved placement was checked for nothing else, its broken pin unsaid
    ("a pinned session at a slot not allowed, away from its pinned room",
     "UE3-main-01 09-16 TUE-EVE M-B",
     {("slot_allowed", (S3, "2026-09-16", "TUE-EVE")), ("pin", (S3,))}),
    ("length runs past the day", "UE4-main-01 10-03 SAT-PM N-A",
     {("slot_allowed", (S4, "2026-10-03", "SAT-PM"))}),
    ("length runs into a closure", "UE4-main-01 09-26 SAT-AM N-A",
     {("slot_allowed", (S4, "2026-09-26", "SAT-AM"))}),
    ("teacher in two sessions (2nd slot of a length-2 one)", "UE1-main-02 10-03 SAT-PM M-A",
     {("teacher_double_booking", ("T1", S2, S4, "2026-10-03"))}),
    ("teacher, room and students at a fixed event", "UE3-main-01 09-19 SAT-AM N-A",
     {("teacher_double_booking", ("T3", S3, "EVT", "2026-09-19")),
      ("room_double_booking", ("N-A", S3, "EVT", "2026-09-19")),
      ("group_double_booking", (S3, "EVT", "2026-09-19"))}),
    ("room hosts two sessions", "UE3-main-01 09-15 TUE-EVE N-A",
     {("room_double_booking", ("N-A", S1, S3, "2026-09-15")),
      ("group_double_booking", (S1, S3, "2026-09-15"))}),
    ("a subgroup meets during its cohort's session, elsewhere", "UE2-main-01 09-15 TUE-EVE M-A",
     {("group_double_booking", (S1, R1, "2026-09-15")),
      ("group_one_site_per_day", (S1, R1, "2026-09-15"))}),
    ("teacher unavailable", "UE2-main-01 09-19 SAT-PM M-A",
     {("teacher_availability", (R1, "T2"))}),
    ("visitor outside available_only", "UE4-main-01 09-19 SAT-AM M-A",
     {("teacher_availability", (S4, "V1"))}),
    ("teacher over weekly maximum", "UE1-main-02 10-01 THU-EVE N-A",
     {("teacher_weekly_max", ("T1", "2026-W40")), ("group_weekly_max", ("COHORT", "2026-W40"))}),
    ("a subgroup's student over the cohort's maximum", "UE3-main-01 10-01 THU-EVE N-A",
     {("group_weekly_max", ("COHORT", "2026-W40"))}),
    ("room too small and without projector", "UE1-main-01 09-15 TUE-EVE M-B",
     {("room_capacity", (S1, "M-B")), ("room_features", (S1, "M-B"))}),
    ("room unavailable", "UE2-main-02 09-24 THU-EVE M-A", {("room_availability", (R2, "M-A"))}),
    ("series unavailable", "UE3-main-01 09-15 TUE-EVE N-A",
     {("series_availability", (S3, "2026-09-15"))}),
    ("site not allowed", "UE2-main-02 09-24 THU-EVE N-A", {("allowed_sites", (R2, "NAMUR"))}),
    ("outside the UE window", "UE2-main-02 10-01 THU-EVE M-B",
     {("ue_window", (R2, "2026-10-01"))}),
    ("teacher and students at two sites on a fixed event's day", "UE3-main-01 09-19 SAT-PM M-B",
     {("teacher_one_site_per_day", ("T3", "2026-09-19")),
      ("group_one_site_per_day", (S3, "EVT", "2026-09-19"))}),
    ("series sessions swapped", "UE1-main-01 09-22 TUE-EVE N-A, UE1-main-02 09-15 TUE-EVE N-A",
     {("series_order", (S1, S2)), ("pin", (S1,))}),
    ("series sessions too close", "UE1-main-02 09-19 SAT-PM N-A",
     {("min_days_between", (S1, S2))}),
    ("UE before UE", "UE1-main-02 10-06 TUE-EVE N-A", {("precedence", (S2, S4))}),
    ("session before fixed event", "UE3-main-01 09-24 THU-EVE N-A", {("precedence", (S3, "EVT"))}),
    ("pinned room", "UE3-main-01 09-17 THU-EVE M-B", {("pin", (S3,))}),
    # an audit moved a session still to give into a re-solve's past by hand: it passed
    ("a session still to give placed before the re-solve's day", "UE3-main-01 09-15 TUE-EVE N-A",
     {("past", (S3, "2026-09-15"))}),
]
# fmt: on


def test_broken_cases_cover_every_hard_rule() -> None:
    assert {rule for *_, expected in BROKEN for rule, _ in expected} == set(HARD_RULES)


@pytest.mark.parametrize(("case", "edits", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_timetable_is_reported(
    problem: Problem, case: str, edits: str, expected: set[tuple[str, tuple[str, ...]]]
) -> None:
    report = check(problem, timetable(edits))
    assert not report.feasible
    assert expected <= found(report), report.violations
    for v in report.violations:
        assert v.message and v.entities[0] in v.message


def test_unresolvable_assignment_is_reported_once(problem: Problem) -> None:
    report = check(problem, timetable("UE3-main-01 09-16 TUE-EVE N-A"))
    assert found(report) == {("slot_allowed", ("UE3-main-01", "2026-09-16", "TUE-EVE"))}
    assert "not a teaching slot" in report.violations[0].message


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        ("UE3-main-01 09-16 TUE-EVE N-A", "TUE-EVE is a Tuesday slot and 2026-09-16 a Wednesday"),
        ("UE3-main-01 10-08 THU-EVE N-A", "it ends on 2026-10-06"),
        ("UE3-main-01 09-10 THU-EVE N-A", "it starts on 2026-09-14"),
        ("UE3-main-01 09-17 FRI-EVE N-A", "it has no slot FRI-EVE"),
    ],
)
def test_a_date_and_slot_that_are_no_teaching_slot_say_why(
    problem: Problem, edit: str, words: str
) -> None:
    """One wording, "not a teaching slot of the calendar", stood for three causes (an audit)."""
    [v] = check(problem, timetable(edit)).violations_of("slot_allowed")
    assert v.message.endswith(f"which is not a teaching slot of the calendar: {words}"), v.message


def test_a_length_running_into_a_closure_names_it(problem: Problem) -> None:
    report = check(problem, timetable("UE4-main-01 09-26 SAT-AM N-A"))
    [v] = report.violations_of("slot_allowed")
    assert "SAT-PM that day is closed (Accueil)" in v.message


def test_a_session_on_a_closed_slot_still_counts_under_other_rules(problem: Problem) -> None:
    # 26 Sep's afternoon is closed; UE2-main-01 there is OPT-A's third session of W39
    report = check(problem, timetable("UE2-main-01 09-26 SAT-PM M-A"))
    assert ("group_weekly_max", ("COHORT", "2026-W39")) in found(report)
    assert ("teacher_availability", (R1, "T2")) in found(report)


def test_duplicate_placement_is_not_checked_twice(problem: Problem) -> None:
    report = check(problem, timetable("+UE3-main-01 09-17 THU-EVE N-A"))
    assert found(report) == {("placement", ("UE3-main-01",))}


def test_session_ending_when_the_next_starts_is_in_order() -> None:
    data = json.loads(json.dumps(BASE))
    data["calendar"]["slots"][3]["start"] = "12:15"  # SAT-PM starts when SAT-AM ends
    p = Problem.build(Instance.model_validate(data))
    report = check(p, timetable("UE1-main-01 09-19 SAT-AM N-A, UE1-main-02 09-19 SAT-PM N-A"))
    assert not report.violations_of("series_order")
    assert report.violations_of("min_days_between")


@pytest.mark.parametrize(
    "edits", ["UE1-main-02 09-15 TUE-EVE N-A", "UE1-main-01 09-29 TUE-EVE N-A"]
)  # UE1-main-02 0 days before UE1-main-01, then 7
def test_a_session_before_its_predecessor_is_series_order_alone(
    problem: Problem, edits: str
) -> None:
    """It was also `min_days_between` when on the same day, but not when a week before."""
    report = check(problem, timetable(edits))
    assert report.violations_of("series_order")
    assert not report.violations_of("min_days_between")


def test_violation_messages_name_what_is_wrong(problem: Problem) -> None:
    report = check(problem, timetable("UE1-main-01 09-15 TUE-EVE M-B"))
    (capacity,) = report.violations_of("room_capacity")
    said = "UE1-main-01 on Tuesday 2026-09-15 has 20 students but room M-B seats 12"
    assert capacity == Violation("room_capacity", ("UE1-main-01", "M-B"), said)
    # each with its date, and a session placed twice with both places (an audit)
    (features,) = report.violations_of("room_features")
    assert features.message.startswith("UE1-main-01 on Tuesday 2026-09-15 needs ")
    twice = check(problem, timetable("+UE3-main-01 10-01 THU-EVE M-B"))
    assert twice.violations_of("placement")[0].message == (
        "UE3-main-01 is placed 2 times: Thursday 2026-09-17 THU-EVE N-A, "
        "Thursday 2026-10-01 THU-EVE M-B"
    )
    close = check(problem, timetable("UE1-main-02 09-19 SAT-PM N-A"))
    (apart,) = close.violations_of("min_days_between")
    assert "(Tuesday 2026-09-15 and Saturday 2026-09-19; minimum" in apart.message

    # the sessions' own groups, not a student profile's label (COHORT+OPT-A, an audit)
    sub = check(problem, timetable("UE2-main-01 09-15 TUE-EVE M-A"))
    (clash,) = sub.violations_of("group_double_booking")
    assert clash.message.startswith(
        "UE1-main-01 (COHORT) and UE2-main-01 (OPT-A) share students at"
    )

    over = check(problem, timetable("UE1-main-02 10-01 THU-EVE N-A"))
    (weekly,) = over.violations_of("teacher_weekly_max")
    assert weekly.message == "T1 teaches 3 slots in week 28 Sep–4 Oct 2026 (2026-W40), 2 at most"


def test_violation_messages_name_teachers_as_people_know_them() -> None:
    """With a name (here typed over two lines in a workbook cell), a teacher is said by name
    and id; `test_violation_messages_name_what_is_wrong` has the id alone without one."""
    data = copy.deepcopy(BASE)
    data["teachers"][0]["name"] = "Anne\nLambert"
    named = Problem.build(Instance.model_validate(data))
    over = check(named, timetable("UE1-main-02 10-01 THU-EVE N-A"))
    (weekly,) = over.violations_of("teacher_weekly_max")
    assert weekly.message.startswith("Anne Lambert (T1) teaches 3 slots in week 28 Sep–4 Oct")
    double = check(named, timetable("UE1-main-02 10-03 SAT-PM M-A"))
    (booked,) = double.violations_of("teacher_double_booking")
    assert booked.message.startswith("Anne Lambert (T1) teaches ")


def test_to_json_shape(problem: Problem) -> None:
    report = check(problem, timetable("-UE3-main-01"))
    data = report.to_json()
    assert set(data) == {"feasible", "violations", "costs", "objective"}
    assert data["feasible"] is False
    assert data["violations"] == [
        {"rule": "placement", "entities": ["UE3-main-01"], "message": "UE3-main-01 is not placed"}
    ]
    assert list(data["costs"]) == list(SOFT_RULES)
    assert all(isinstance(c, int) for c in data["costs"].values())
    assert data["objective"] == sum(data["costs"].values())
    assert json.loads(json.dumps(data)) == data


def test_checker_imports_no_solver() -> None:
    code = (
        "import sys, scheduler.check, scheduler.check.hard, scheduler.check.soft\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'ortools'\n"
        "       or m.startswith('scheduler.model') or m == 'scheduler.data.domains']\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_two_fixed_events_alone_are_not_a_one_site_per_day_violation() -> None:
    """The user placed both (pre-flight warns of them; the model does not compare them
    either): an audit's cohort at a Namur event and a Mons visit the same day made `solve`
    search its whole limit, then refuse its own timetable as breaking a hard rule."""
    data = json.loads(json.dumps(BASE))
    data["fixed_events"].append(
        {
            "id": "VISIT",
            "site": "MONS",
            "dates": ["2026-09-19"],
            "start": "14:00",
            "end": "16:00",
            "groups": ["OPT-B"],
            "teachers": ["T3"],
        }
    )
    assert check(Instance.model_validate(data), timetable()).feasible
    # beside a session at another site, the event still breaks it: UE3-main-01 (OPT-B, T3)
    # is at NAMUR on Thursday 17
    data["fixed_events"][-1]["dates"] = ["2026-09-17"]
    broken = check(Instance.model_validate(data), timetable())
    rules = {v.rule: v.entities for v in broken.violations}
    assert rules["group_one_site_per_day"] == ("UE3-main-01", "VISIT", "2026-09-17")
    assert rules["teacher_one_site_per_day"] == ("T3", "2026-09-17")


def test_a_dropped_session_still_placed_is_said_dropped() -> None:
    """It read "is not a session of the instance" (an audit): true, but not why."""
    data = copy.deepcopy(BASE)
    data["dropped"] = ["UE2-main-02"]
    report = check(Problem.build(Instance.model_validate(data)), timetable())
    (placed,) = report.violations_of("placement")
    assert placed.message == (
        "UE2-main-02 was dropped (the instance's `dropped`): it is no longer given"
    )


def test_the_past_ends_on_the_re_solve_s_day_itself() -> None:
    """Sessions on `frozen_before` itself are no past; a pinned session moved to another
    earlier date breaks its pin and the past (a review asked for the boundary)."""
    data = copy.deepcopy(BASE)
    data["frozen_before"] = "2026-09-17"  # UE2-main-01 and UE3-main-01 that day
    problem = Problem.build(Instance.model_validate(data))
    assert check(problem, timetable()).violations == ()
    moved = check(problem, timetable("UE1-main-01 09-16 TUE-EVE N-A"))  # no slot: raw
    assert {"pin", "past"} <= {v.rule for v in moved.violations}, moved.violations


def test_a_group_listed_with_one_it_is_part_of_counts_its_students_once(
    tiny_data: dict[str, Any],
) -> None:
    """An audit: UE1 for [COHORT, OPT-A], OPT-A part of COHORT, counted 20 + 12 = 32
    students: the instance was refused (no room of 32 seats), where its 20 students fit the
    rooms of 30. The data, the validation and the checker count them once."""
    from scheduler.check.placed import headcount as checker_headcount
    from scheduler.data.sessions import headcount
    from tests.conftest import problem_of

    tiny_data["ues"][0]["groups"] = ["COHORT", "OPT-A"]
    problem = problem_of(tiny_data)  # validated: no longer refused
    session = problem.session["UE1-main-01"]
    assert headcount(session, problem.group) == checker_headcount(problem, session) == 20
    tiny_data["ues"][0]["groups"] = ["OPT-A", "OPT-B"]  # neither part of the other: both
    apart = problem_of(tiny_data)
    both = apart.session["UE1-main-01"]
    assert headcount(both, apart.group) == checker_headcount(apart, both) == 20  # 12 + 8
