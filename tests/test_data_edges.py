"""Data-layer edges a mutation audit of the instance-side data modules (calendar, sessions,
precedence, spacing, groups, flows, problem, series_bounds, words, frozen_model) found
untested; each test names the mutant(s) it kills."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from .conftest import problem_of


# C01, C02, C03: DatedSlot.overlaps is [start, end) on its own date only
def test_a_dated_slot_overlaps_only_its_own_date_and_not_back_to_back(
    tiny_data: dict[str, Any],
) -> None:
    slot = problem_of(tiny_data).slot_by_key[(date(2026, 9, 15), "TUE-EVE")]  # 18:00-21:15
    day = date(2026, 9, 15)
    assert slot.overlaps(day, time(17, 0), time(18, 1))
    assert slot.overlaps(day, time(21, 14), time(22, 0))
    assert not slot.overlaps(day, time(16, 0), time(18, 0))  # ends as the slot starts
    assert not slot.overlaps(day, time(21, 15), time(22, 0))  # starts as the slot ends
    assert not slot.overlaps(date(2026, 9, 17), time(18, 0), time(21, 15))  # another date


# C14, C15: a holiday on the calendar's last day closes it, under the package's name even
# when `dates` lists it too
def test_a_holiday_on_the_last_day_closes_it_under_the_package_name(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["calendar"]["end"] = "2027-05-01"  # a Saturday, Labour Day in Belgium
    tiny_data["calendar"]["public_holidays"]["dates"] = ["2027-05-01"]
    closed = problem_of(tiny_data).closed
    assert [(c.slot, c.reason) for c in closed if c.date == date(2027, 5, 1)] == [
        ("SAT-AM", "Fête du Travail"),
        ("SAT-PM", "Fête du Travail"),
    ]


# C07: an instance language the package has exactly is taken as is, not its first variant
def test_an_exact_instance_language_is_taken_before_another_variant() -> None:
    from scheduler.data.calendar import holiday_dates
    from scheduler.data.instance_calendar import HolidaySource

    day = date(2026, 9, 7)
    source = HolidaySource(country="CA")
    assert holiday_dates(source, day, day, "public", "en-US")[day] == "Labor Day"
    assert holiday_dates(source, day, day, "public", "en")[day] == "Labour Day"  # en_CA first


# S01, S03: a series' own `teachers: []` (no teacher, on purpose) and `sites` replace its UE's
def test_a_series_own_empty_teachers_and_sites_replace_the_ue_s(
    tiny_data: dict[str, Any],
) -> None:
    ue2 = tiny_data["ues"][1]  # teachers [T2], sites [MONS]
    ue2["sessions"][0] |= {"teachers": [], "sites": ["NAMUR"]}
    session = problem_of(tiny_data).session["UE2-main-01"]
    assert (session.teachers, session.sites) == ((), ("NAMUR",))


def _start_dates(data: dict[str, Any], session: str) -> list[date]:
    from scheduler.data.preflight import session_domains

    return sorted({c.start.date for c in session_domains(problem_of(data))[session]})


# P01: a session after a fixed event of several dates starts after its last one
def test_a_session_after_an_event_of_several_dates_follows_the_last(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["fixed_events"].append(
        {
            "id": "DL",
            "title": "Deadline",
            "dates": ["2026-09-15", "2026-09-22"],
            "start": "08:00",
            "end": "09:00",
        }
    )
    tiny_data["precedences"] = [{"before": "DL", "after": "UE3"}]
    assert _start_dates(tiny_data, "UE3-main-01") == [
        date(2026, 9, 22),
        date(2026, 9, 24),
        date(2026, 9, 26),
    ]


# P02: a session before two fixed events ends before the earlier one
def test_a_session_before_two_events_precedes_the_earlier(tiny_data: dict[str, Any]) -> None:
    for event, day in (("DL1", "2026-09-24"), ("DL2", "2026-09-19")):
        tiny_data["fixed_events"].append(
            {"id": event, "title": "Deadline", "dates": [day], "start": "08:00", "end": "09:00"}
        )
    tiny_data["precedences"] = [
        {"before": "UE3", "after": "DL1"},
        {"before": "UE3", "after": "DL2"},
    ]
    assert _start_dates(tiny_data, "UE3-main-01") == [date(2026, 9, 15), date(2026, 9, 17)]


# P04: a session that must end before a fixed event and cannot is told which precedence
def test_a_session_before_an_event_it_cannot_precede_names_the_precedence(
    tiny_data: dict[str, Any],
) -> None:
    from scheduler.data.preflight import preflight

    tiny_data["fixed_events"].append(
        {"id": "DL", "title": "Deadline", "dates": ["2026-09-15"], "start": "08:00", "end": "09:00"}
    )
    tiny_data["precedences"] = [{"before": "UE3", "after": "DL"}]
    errors = [f for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    assert any(
        "UE3-main-01" in f.entities and "precedences[0] (UE3 before DL)" in f.message
        for f in errors
    )


def _cycle_findings(data: dict[str, Any]) -> list[tuple[str, ...]]:
    from scheduler.data.preflight import preflight

    findings = preflight(problem_of(data))
    return [f.entities for f in findings if f.rule == "precedence" and "cycle" in f.message]


# P09: a cycle names its own precedences, not the one that led to it
def test_a_cycle_names_only_its_own_precedences(tiny_data: dict[str, Any]) -> None:
    tiny_data["precedences"] = [
        {"before": "UE1", "after": "UE2"},  # leads to the cycle, not on it
        {"before": "UE2", "after": "UE3"},
        {"before": "UE3", "after": "UE2"},
    ]
    assert _cycle_findings(tiny_data) == [("precedences[1]", "precedences[2]")]


# P10: a cycle through a fixed event is one
def test_a_cycle_through_a_fixed_event_is_named(tiny_data: dict[str, Any]) -> None:
    tiny_data["fixed_events"].append(
        {"id": "DL", "title": "Deadline", "dates": ["2026-09-22"], "start": "08:00", "end": "09:00"}
    )
    tiny_data["precedences"] = [{"before": "UE3", "after": "DL"}, {"before": "DL", "after": "UE3"}]
    assert _cycle_findings(tiny_data) == [("precedences[0]", "precedences[1]")]


# SP04: an even spread's gap counts the days of its window within the calendar only
def test_an_even_gap_counts_the_window_within_the_calendar(tiny_data: dict[str, Any]) -> None:
    from scheduler.data.spacing import gap_chains

    ue1 = tiny_data["ues"][0]  # two sessions; the calendar is 15-26 Sep: 12 days
    ue1["even_spread"] = True
    ue1["window"] = {"from": "2026-09-01", "to": "2026-10-31"}
    assert [(c.name, c.target) for c in gap_chains(problem_of(tiny_data))] == [("UE1-main", 6)]


# SP05: a series no student group attends keeps its UE's rhythm (`max_days_between`)
def test_a_series_without_groups_keeps_its_ue_rhythm(tiny_data: dict[str, Any]) -> None:
    from scheduler.data.spacing import gap_chains

    ue3 = tiny_data["ues"][2]
    ue3["max_days_between"] = 3
    ue3["sessions"][0]["groups"] = []  # teachers only, on purpose
    assert [(c.name, c.limit) for c in gap_chains(problem_of(tiny_data))] == [("UE3-main", 3)]


# G03, G05: two groups of one parent without a partition may share students: one student
# profile holds both
def test_groups_of_one_parent_without_a_partition_may_share_students(
    tiny_data: dict[str, Any],
) -> None:
    for group in tiny_data["groups"][1:]:
        del group["partition"]  # OPT-A and OPT-B: classes of their own, not one partition
    p = problem_of(tiny_data)
    assert p.share_students("OPT-A", "OPT-B")
    assert p.groups_conflict(("OPT-B",), ("OPT-A",))
    assert p.profiles == [frozenset({"COHORT", "OPT-A", "OPT-B"})]


# G04: a group shares students with its parent, whichever is named first (a parent that
# carries a partition label of its own too)
def test_a_group_and_its_parent_share_students_in_either_order(
    tiny_data: dict[str, Any],
) -> None:
    from scheduler.data.groups import may_share_students

    tiny_data["groups"][0]["partition"] = "option"  # accepted, and meaningless on a root
    groups = problem_of(tiny_data).group
    assert may_share_students("OPT-A", "COHORT", groups)
    assert may_share_students("COHORT", "OPT-A", groups)


# PR02: `any_slot` finds a pattern slot on any date of its weekday, and no other
def test_any_slot_is_none_on_a_date_of_another_weekday(tiny_data: dict[str, Any]) -> None:
    p = problem_of(tiny_data)
    assert p.any_slot(date(2026, 9, 16), "TUE-EVE") is None  # a Wednesday
    after_the_end = p.any_slot(date(2026, 10, 6), "TUE-EVE")
    assert after_the_end is not None and after_the_end.index == -1


# PR06: a session of no known student has no smallest room to compare (`oversized_room`)
def test_a_session_of_no_student_has_no_smallest_fit(tiny_data: dict[str, Any]) -> None:
    tiny_data["ues"][2]["sessions"][0]["size"] = 0
    fit = problem_of(tiny_data).smallest_fit
    assert (fit["UE3-main-01"], fit["UE2-main-01"]) == (None, 12)


# PR08, PR09: the slots next to a placement are on its date in pattern order, not wrapped
# around the day
def test_the_adjacent_slots_stop_at_the_ends_of_the_day(tiny_data: dict[str, Any]) -> None:
    p = problem_of(tiny_data)
    am = p.slot_by_key[(date(2026, 9, 26), "SAT-AM")]
    pm = p.slot_by_key[(date(2026, 9, 26), "SAT-PM")]
    assert p.adjacent(am, 1) == (None, pm)
    assert p.adjacent(pm, 1) == (am, None)
    assert p.adjacent(am, 2) == (None, None)


# SB03: a session's latest start leaves its series' `min_days_between` before the next one
def test_a_latest_start_leaves_the_days_between_before_the_next_session(
    tiny_data: dict[str, Any],
) -> None:
    from scheduler.data.preflight import preflight

    tiny_data["ues"][2]["sessions"][0]["min_days_between"] = 7  # UE3-main-02 by 26 Sep
    tiny_data["ues"][1]["window"] = {"from": "2026-09-22", "to": "2026-09-26"}
    tiny_data["precedences"] = [{"before": "UE2", "after": "UE3"}]
    [error] = [f for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    assert error.entities == ("precedences[0]", "UE2-main-02", "UE3-main-01")
    assert "UE3-main-01 starts 17 Sep 2026 18:00 at the latest" in error.message


# FM07: a trimmed field left blank (a workbook cell of spaces) is no value, not ""
def test_a_blank_email_or_partition_is_none(tiny_data: dict[str, Any]) -> None:
    from scheduler.data.instance import Instance

    tiny_data["teachers"][0]["email"] = "  "
    tiny_data["groups"][1]["partition"] = " "
    instance = Instance.model_validate(tiny_data)
    assert (instance.teachers[0].email, instance.groups[1].partition) == (None, None)


# S12: the solver weighs a series' `min_days` as the checker does (`min_working_days`)
def test_the_solver_weighs_a_series_min_days(tiny_data: dict[str, Any]) -> None:
    from .conftest import solve_to_optimum

    tiny_data["ues"][2]["sessions"][0]["min_days"] = 3  # two sessions: one date short
    assert problem_of(tiny_data).session["UE3-main-01"].min_days == 3
    solve_to_optimum(tiny_data)  # the model's objective is the checker's


# S13: a series' `size` is its headcount, in place of its groups' total
def test_a_series_size_is_its_headcount(tiny_data: dict[str, Any]) -> None:
    tiny_data["ues"][2]["sessions"][0]["size"] = 20  # OPT-B has 8 students; M-B seats 12
    p = problem_of(tiny_data)
    assert p.headcount(p.session["UE3-main-01"]) == 20
    assert p.smallest_fit["UE3-main-01"] == 30


# C19: school holidays are named in the instance's language, as public ones
def test_school_holidays_are_named_in_the_instance_language(tiny_data: dict[str, Any]) -> None:
    tiny_data["language"] = "en"
    tiny_data["calendar"]["end"] = "2026-10-24"
    tiny_data["calendar"]["school_holidays"] = {"country": "BE", "subdiv": "French"}
    slot = problem_of(tiny_data).slot_by_key[(date(2026, 10, 20), "TUE-EVE")]
    assert slot.school_holiday == "Autumn Break"


# PR05: a student profile's weekly maximum is the smallest of its groups'
def test_a_profile_s_weekly_maximum_is_its_groups_smallest(tiny_data: dict[str, Any]) -> None:
    tiny_data["groups"][0]["max_sessions_per_week"] = 3  # COHORT
    tiny_data["groups"][1]["max_sessions_per_week"] = 2  # OPT-A
    p = problem_of(tiny_data)
    assert dict(zip(p.profiles, p.profile_week_max, strict=True)) == {
        frozenset({"COHORT", "OPT-A"}): 2,
        frozenset({"COHORT", "OPT-B"}): 3,
    }


# SB04: latest starts pass back along the whole series, from its last session
def test_a_latest_start_follows_from_the_series_last_session(tiny_data: dict[str, Any]) -> None:
    from scheduler.data.preflight import preflight

    tiny_data["ues"][2]["sessions"][0] |= {"count": 3, "min_days_between": 4}
    tiny_data["ues"][1]["window"] = {"from": "2026-09-22", "to": "2026-09-26"}
    tiny_data["precedences"] = [{"before": "UE2", "after": "UE3"}]
    errors = [f for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    assert any("UE3-main-01 starts 17 Sep 2026 18:00 at the latest" in f.message for f in errors)


# W10: a rule from a date on runs to the calendar's end
def test_a_rule_from_a_date_on_runs_to_the_calendar_end(tiny_data: dict[str, Any]) -> None:
    from scheduler.data.instance_calendar import DateRule
    from scheduler.data.words import describe_rule

    rule = DateRule.model_validate({"from": "2026-09-20"})
    assert describe_rule(rule, problem_of(tiny_data)) == "20–26 Sep 2026"
