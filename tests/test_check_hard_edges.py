"""Cases a mutation audit of `scheduler.check` (audit79) found untested: each test below fails
with one mutant of the checker (named in its docstring) and passes with the checker as it is.

Built like `tests/test_check_edges.py`, whose tiny instance and helpers they reuse.
"""

from __future__ import annotations

from datetime import date

from scheduler.check import check
from scheduler.check.table import CONTRACT_COLUMNS, table_disagreements
from scheduler.solution import Assignment
from tests.conftest import problem_of
from tests.test_check_edges import A1, A2, B1, SAT, data, found, run, teacher, ue

C1 = "C-main-01"


# --- double bookings ---------------------------------------------------------------------
def test_three_sessions_in_one_room_at_one_slot_are_three_clashes() -> None:
    """Every pair of sessions sharing a room and a slot is said, not only the first two
    (M008: `combinations(sharing[:2], 2)`)."""
    d = data(
        ue("A", groups=("OPT-A",)),
        ue("B", teachers=("T2",), groups=("OPT-B",)),
        ue("C", teachers=("T3",), groups=("OPT-B",)),
    )
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {B1} 09-15 TUE-EVE M-A, {C1} 09-15 TUE-EVE M-A")
    day = "2026-09-15"
    assert {v.entities for v in report.violations_of("room_double_booking")} == {
        ("M-A", A1, B1, day),
        ("M-A", A1, C1, day),
        ("M-A", B1, C1, day),
    }


def test_the_second_teacher_of_a_session_clashes_with_their_fixed_event() -> None:
    """A session taught by T1 and T2, during an event of T2's alone: T2 is booked twice
    (M010: only the session's first teacher was compared with events)."""
    d = data(ue("A", teachers=("T1", "T2")))
    d["fixed_events"] = [
        {"id": "E", "site": "MONS", "dates": [SAT], "start": "10:00", "end": "11:00",
         "teachers": ["T2"]},
    ]  # fmt: skip
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("teacher_double_booking", ("T2", A1, "E", SAT))}


def test_two_sessions_of_a_group_without_subgroups_clash() -> None:
    """A group on its own (no part_of, no subgroups) is a student profile of one group: its
    two sessions at one slot break `group_double_booking` (M028: profiles of one group were
    left out)."""
    d = data(
        ue("A", groups=("SOLO",)),
        ue("B", teachers=("T2",), groups=("SOLO",)),
    )
    d["groups"].append({"id": "SOLO", "size": 5})
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {B1} 09-15 TUE-EVE M-B")
    assert found(report) == {("group_double_booking", (A1, B1, "2026-09-15"))}


# --- availability ------------------------------------------------------------------------
def test_the_second_teacher_of_a_session_is_unavailable() -> None:
    """A session taught by T1 and T2 on a Saturday T2 never teaches breaks T2's
    availability (M017: only the first teacher's was checked)."""
    d = data(ue("A", teachers=("T1", "T2")))
    teacher(d, "T2")["unavailable"] = [{"weekday": "sat"}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("teacher_availability", (A1, "T2"))}


def test_a_visitor_available_on_the_first_slot_only_of_a_two_slot_session() -> None:
    """A visitor available that Saturday morning only cannot give a session lasting the
    morning and the afternoon (M015: only the first slot was compared with the windows)."""
    d = data(ue("A", length=2))
    teacher(d, "T1")["available_only"] = [{"date": SAT, "slots": ["SAT-AM"]}]
    report = run(d, f"{A1} 09-19 SAT-AM M-A")
    assert found(report) == {("teacher_availability", (A1, "T1"))}
    assert "(SAT-PM), outside their available_only windows" in report.violations[0].message


def test_a_visitor_may_teach_in_any_of_their_windows() -> None:
    """A session in the second of two `available_only` windows is inside the teacher's
    availability (M016: only the first window was read)."""
    d = data(ue("A", 2))
    teacher(d, "T1")["available_only"] = [
        {"from": "2026-09-14", "to": "2026-09-16"},
        {"from": "2026-09-28", "to": "2026-09-30"},
    ]
    assert found(run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-29 TUE-EVE M-A")) == set()
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-22 TUE-EVE M-A")
    assert found(report) == {("teacher_availability", (A2, "T1"))}


# --- sites and windows -------------------------------------------------------------------
def test_any_of_several_allowed_sites_is_allowed() -> None:
    """A UE allowed at MONS and NAMUR may meet at NAMUR, its second site (M023: only the
    first allowed site was accepted)."""
    d = data(ue("A", ue_fields={"sites": ["MONS", "NAMUR"]}))
    assert found(run(d, f"{A1} 09-15 TUE-EVE N-A")) == set()
    d["ues"][0]["sites"] = ["MONS"]
    report = run(d, f"{A1} 09-15 TUE-EVE N-A")
    assert found(report) == {("allowed_sites", (A1, "NAMUR"))}


def test_a_session_before_its_ue_window_is_outside_it() -> None:
    """A session the day before its UE's window opens breaks `ue_window` (M027: only the
    window's end was compared)."""
    window = {"from": "2026-09-22", "to": "2026-10-10"}
    d = data(ue("A", 2, ue_fields={"window": window}))
    report = run(d, f"{A1} 09-19 SAT-AM M-A, {A2} 09-22 TUE-EVE M-A")
    assert found(report) == {("ue_window", (A1, "2026-09-19"))}


# --- weekly maxima -----------------------------------------------------------------------
def test_a_teacher_s_weekly_maximum_spans_new_year_in_one_iso_week() -> None:
    """Tuesday 29 December 2026 and Saturday 2 January 2027 are both in ISO week 2026-W53:
    two sessions there break a maximum of one a week (M035: weeks keyed by the calendar
    year split that week in two)."""
    d = data(ue("A", 2))
    d["calendar"]["end"] = "2027-01-10"
    teacher(d, "T1")["max_sessions_per_week"] = 1
    placed = [
        Assignment(A1, date(2026, 12, 29), "TUE-EVE", "M-A"),
        Assignment(A2, date(2027, 1, 2), "SAT-AM", "M-A"),
    ]
    report = check(problem_of(d), placed)
    assert found(report) == {("teacher_weekly_max", ("T1", "2026-W53"))}


# --- one site per day --------------------------------------------------------------------
def test_teacher_one_site_per_day_compares_a_session_with_every_fixed_event() -> None:
    """A teacher at a Mons event in the morning, a Namur event before noon and a Mons
    session in the afternoon of one Saturday is at two sites (M064: only neighbouring items
    of the day were compared, and the two events alone never are)."""
    d = data(ue("A"))
    d["fixed_events"] = [
        {"id": "E-MONS", "site": "MONS", "dates": [SAT], "start": "09:00", "end": "10:00",
         "teachers": ["T1"]},
        {"id": "E-NAMUR", "site": "NAMUR", "dates": [SAT], "start": "10:30", "end": "11:30",
         "teachers": ["T1"]},
    ]  # fmt: skip
    report = run(d, f"{A1} 09-19 SAT-PM M-A")
    assert found(report) == {("teacher_one_site_per_day", ("T1", SAT))}


# --- precedences and pins ----------------------------------------------------------------
def test_a_precedence_compares_before_with_every_occurrence_of_after() -> None:
    """`after` is a UE of two series: its second series' session placed before `before`
    breaks the precedence, its first series' placed after does not (M074: only the first
    occurrence of `after` was compared)."""
    d = data(ue("B", teachers=("T2",), groups=("OPT-B",)))
    d["ues"].append(
        {
            "id": "A",
            "teachers": ["T1"],
            "groups": ["OPT-A"],
            "sessions": [{"series": "x", "count": 1}, {"series": "y", "count": 1}],
        }
    )
    d["precedences"] = [{"before": "B", "after": "A"}]
    report = run(d, f"{B1} 09-17 THU-EVE M-B, A-x-01 09-22 TUE-EVE M-A, A-y-01 09-15 TUE-EVE M-A")
    assert found(report) == {("precedence", (B1, "A-y-01"))}


def test_an_unresolved_assignment_away_from_its_pinned_site_breaks_the_pin() -> None:
    """A session pinned to NAMUR, given at a slot no calendar has in a Mons room: besides
    `slot_allowed`, its pin is broken by the site its room is at (M081: the site of an
    unresolved assignment was not compared)."""
    d = data(ue("A"))
    d["pins"] = [{"session": A1, "site": "NAMUR"}]
    report = run(d, f"{A1} 09-15 NO-SLOT M-A")
    assert found(report) == {("slot_allowed", (A1, "2026-09-15", "NO-SLOT")), ("pin", (A1,))}
    assert "site MONS instead of NAMUR" in report.violations_of("pin")[0].message
    assert found(run(d, f"{A1} 09-15 NO-SLOT N-A")) == {
        ("slot_allowed", (A1, "2026-09-15", "NO-SLOT"))
    }


# --- timetable.csv against solution.json -------------------------------------------------
def test_a_csv_without_a_who_column_is_said_to_lack_it() -> None:
    """A CSV without its `teachers` column is said once, on line 1, as one without `room`
    is (M097: only the where-and-when columns were looked for; each row then disagreed)."""
    row = {column: "x" for column in CONTRACT_COLUMNS} | {"kind": "session"}
    without = {column: value for column, value in row.items() if column != "teachers"}
    assert table_disagreements([row], [row]) == []
    assert table_disagreements([row], [without]) == [
        ("timetable.csv", "line 1: no column teachers, which the contract gives")
    ]


# --- a re-solve's past -------------------------------------------------------------------
def test_a_re_solve_without_pins_has_no_session_in_its_past() -> None:
    """A re-solve's instance whose past gave no session (so no pin): a session dated before
    its day breaks `past` (M113: an instance without pins was not checked)."""
    d = data(ue("A", 2))
    d["frozen_before"] = "2026-09-20"
    report = run(d, f"{A1} 09-15 TUE-EVE M-A, {A2} 09-22 TUE-EVE M-A")
    assert found(report) == {("past", (A1, "2026-09-15"))}
    assert found(run(d, f"{A1} 09-22 TUE-EVE M-A, {A2} 09-29 TUE-EVE M-A")) == set()


def test_a_slot_both_unavailable_and_outside_the_windows_is_said_twice() -> None:
    """A teacher unavailable on Saturdays and available only in October, given a September
    Saturday: both reasons are said (M114: the second was dropped once the first held)."""
    d = data(ue("A"))
    teacher(d, "T1")["unavailable"] = [{"weekday": "sat"}]
    teacher(d, "T1")["available_only"] = [{"from": "2026-10-01", "to": "2026-10-11"}]
    said = [v.message for v in run(d, f"{A1} 09-19 SAT-AM M-A").violations]
    assert said == [
        f"T1 teaches {A1} on {SAT} (SAT-AM), when unavailable",
        f"T1 teaches {A1} on {SAT} (SAT-AM), outside their available_only windows",
    ]
