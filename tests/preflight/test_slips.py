"""Warnings of slips in the data: dates outside the calendar or of another year, rules that match
no slot, fixed events, partitions, spellings and ids, what nothing uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scheduler.data.preflight import Finding, preflight
from scheduler.data.words import format_span
from tests.conftest import problem_of
from tests.preflight.support import (
    slips,
)


def test_colliding_fixed_events(tiny_data: dict[str, Any]) -> None:
    clash = dict(tiny_data["fixed_events"][0], id="OTHER", rooms=[], groups=["OPT-A"], teachers=[])
    tiny_data["fixed_events"].append(clash)
    findings = preflight(problem_of(tiny_data))
    assert [(f.severity, f.rule, f.entities) for f in findings] == [
        ("warning", "fixed_events", ("ACCUEIL", "OTHER"))
    ]


def test_fixed_events_at_two_sites(tiny_data: dict[str, Any]) -> None:
    other = dict(tiny_data["fixed_events"][0], id="OTHER", site="MONS", rooms=[])
    other.update(start="13:45", end="17:00", groups=[], teachers=["T1"])
    tiny_data["fixed_events"].append(other)
    findings = preflight(problem_of(tiny_data))
    assert [(f.severity, f.rule, f.entities) for f in findings] == [
        ("warning", "one_site_per_day", ("ACCUEIL", "OTHER"))
    ]


def test_a_two_slot_session_across_a_long_break_is_warned(tiny_data: dict[str, Any]) -> None:
    """Slots follow each other in their day's pattern whatever the hours between them: a
    two-slot session on a morning and an evening slot is one event over the whole day in the
    exports (an audit's 01:30 + 09:00 session). The tiny instance's Saturday (75 minutes of
    lunch) says nothing; an afternoon moved to the evening does."""

    def said(data: dict[str, Any]) -> list[Finding]:
        return [f for f in preflight(problem_of(data)) if f.rule == "session_length"]

    assert said(tiny_data) == []
    pm = next(s for s in tiny_data["calendar"]["slots"] if s["id"] == "SAT-PM")
    pm["start"], pm["end"] = "18:00", "21:00"
    (finding,) = said(tiny_data)
    assert finding.severity == "warning" and finding.entities == ("UE4-main", "SAT-AM", "SAT-PM")
    assert finding.message == (
        "sessions of UE4-main hold 2 slots, and may hold SAT-AM (09:00-12:15) with SAT-PM "
        "(18:00-21:00), 5 h 45 apart: one event from 09:00 to 21:00 in the calendars — give the "
        "day a slot between them, or keep the series to other slots"
    )


def test_a_sunday_to_thursday_week_is_told_how_weeks_and_weekends_count(
    tiny_data: dict[str, Any],
) -> None:
    """Weeks are ISO weeks and Sunday a weekend day in every rule: a programme teaching on
    Sundays and not on Saturdays is told (an audit's Sunday-Thursday week)."""

    def said(data: dict[str, Any]) -> list[str]:
        found = preflight(problem_of(data))
        return [f.message for f in found if f.rule == "calendar" and "Sunday" in f.message]

    assert said(tiny_data) == []  # Saturday slots: a weekend as the rules count it
    for slot in tiny_data["calendar"]["slots"]:
        if slot["weekday"] == "sat":
            slot["weekday"] = "sun"
    tiny_data["calendar"]["closures"] = []
    tiny_data["fixed_events"] = []
    (message,) = said(tiny_data)
    assert message.startswith(
        "calendar: slots on Sunday (SAT-AM, SAT-PM) and none on Saturday, but a week runs "
        "Monday to Sunday here (ISO weeks)"
    )
    assert message.endswith("if Sunday is a working day, set those two weights to 0")


def test_format_span() -> None:
    assert format_span(dt.date(2026, 11, 26), dt.date(2026, 12, 5)) == "26 Nov–5 Dec 2026"
    assert format_span(dt.date(2026, 9, 15), dt.date(2026, 9, 26)) == "15–26 Sep 2026"
    assert format_span(dt.date(2026, 12, 15), dt.date(2027, 1, 10)) == "15 Dec 2026–10 Jan 2027"
    assert format_span(dt.date(2026, 12, 5), dt.date(2026, 12, 5)) == "5 Dec 2026"


def test_times_a_clock_change_skips_or_repeats_are_named(tiny_data: dict[str, Any]) -> None:
    """02:30 on a spring-forward night does not exist and 01:30 on a fall-back night happens
    twice: calendar applications then choose an hour (RFC 5545 3.3.5), so the user is warned
    per slot or fixed event and date. Times of ordinary days are not."""
    tiny_data["timezone"] = (
        "America/Toronto"  # 1 Nov 2026 02:00 -> 01:00; 14 Mar 2027 02:00 -> 03:00
    )
    tiny_data["calendar"]["end"] = "2027-03-20"
    del tiny_data["calendar"]["public_holidays"]  # 1 Nov is Toussaint in Belgium
    tiny_data["calendar"]["slots"].append(
        {"id": "SUN-NIGHT", "weekday": "sun", "start": "01:30", "end": "02:30"}
    )
    tiny_data["fixed_events"].append(
        dict(tiny_data["fixed_events"][0], id="NIGHT", dates=["2027-03-14"], start="02:15")
    )
    found = [f for f in preflight(problem_of(tiny_data)) if f.rule == "local_time"]
    assert [(f.severity, f.entities) for f in found] == [
        ("warning", ("SUN-NIGHT",)),
        ("warning", ("SUN-NIGHT",)),
        ("warning", ("NIGHT",)),
    ]
    assert found[0].message == (
        "slot SUN-NIGHT starts at 01:30 on 1 Nov 2026, a time that happens twice (the clocks go "
        "back) in America/Toronto: calendars may show another hour — move the time or close "
        "that date"
    )
    assert found[1].message.startswith(
        "slot SUN-NIGHT ends at 02:30 on 14 Mar 2027, a time "
        "that does not exist (the clocks go forward)"
    )
    assert found[2].message.startswith("fixed event NIGHT starts at 02:15 on 14 Mar 2027")


def test_spellings_that_differ_only_by_case_or_spaces_are_named(tiny_data: dict[str, Any]) -> None:
    """Hard rules compare features and partitions exactly: 'Projector' on a room that
    sessions ask 'projector' of loses them the room, and 'Option' beside 'option' lets two
    option tracks share students, so they never meet at the same time (spreadsheet audit).
    A trailing space in a partition is dropped on reading."""
    tiny_data["groups"][2]["partition"] = "option "
    assert problem_of(tiny_data).group["OPT-B"].partition == "option"
    assert preflight(problem_of(tiny_data)) == []
    tiny_data["groups"][2]["partition"] = "Option"
    tiny_data["sites"][1]["rooms"][0]["features"] = ["Projector"]
    findings = preflight(problem_of(tiny_data))  # the tracks now overload the cohort: an error
    found = [(f.rule, f.entities, f.message) for f in findings if f.severity == "warning"]
    assert found == [
        (
            "room_features",
            ("N-A",),
            "room N-A has feature 'Projector', which no session asks for, and sessions ask "
            "for 'projector' — spell them the same",
        ),
        (
            "partition",
            ("OPT-A",),
            "groups of COHORT have partitions spelt differently: OPT-A ('option') and OPT-B "
            "('Option'); only the same spelling keeps their students apart — if they are one "
            "partition, spell them the same",
        ),
    ]
    # the explain audit's 'options' beside 'option': close, not only a case apart
    tiny_data["groups"][2]["partition"] = "options"
    (close,) = [f for f in preflight(problem_of(tiny_data)) if f.rule == "partition"]
    assert "OPT-A ('option') and OPT-B ('options')" in close.message
    tiny_data["groups"][2]["partition"] = "app"  # another partition: no warning
    assert not [f for f in preflight(problem_of(tiny_data)) if f.rule == "partition"]


def test_availability_dates_outside_the_calendar_are_named(tiny_data: dict[str, Any]) -> None:
    """A March absence typed in autumn lands in the year before the calendar and changes
    nothing: warned, with its owner. Rules without dates on days the calendar does not teach
    (Sundays, Mondays), copied from a teacher's form, are ordinary: not warned."""
    tiny_data["teachers"][1]["unavailable"].append({"date": "2026-03-04"})
    tiny_data["teachers"][2]["avoid"] = [{"from": "2027-01-04", "to": "2027-01-08"}]
    tiny_data["sites"][0]["rooms"][1]["unavailable"] = [{"weekday": "sun"}]
    tiny_data["ues"][0]["sessions"][0]["unavailable"] = [
        {"from": "2026-09-24", "to": "2026-09-25"},
        {"weekday": "mon"},
        {"from": "2026-09-26", "to": "2026-10-30"},  # reaches into the calendar
    ]
    found = [(f.rule, f.entities, f.message) for f in preflight(problem_of(tiny_data))]
    assert found == [
        (
            "availability",
            ("T2",),
            "teacher Marc Dubois (T2): unavailable 4 Mar 2026 lies outside the calendar (15–26 Sep 2026), so "
            "it changes nothing — check its year",
        ),
        (
            "availability",
            ("T3",),
            "teacher Julie Martin (T3): avoid 4–8 Jan 2027 lies outside the calendar (15–26 Sep 2026), so it "
            "changes nothing — check its year",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "title", "said"),
    [
        ("tiny-2025-26", "Petit exemple", ["name 'tiny-2025-26' names the academic year 2025-26"]),
        ("tiny", "Petit exemple — 2025-2026", ["title 'Petit exemple — 2025-2026' names the "
                                                "academic year 2025-2026"]),
        ("tiny-2025", "Petit exemple", ["name 'tiny-2025' names 2025"]),
        ("tiny-2026-27", "Promotion 2025-2027 — 2026/27", []),  # this year's, a promotion's span
        ("tiny-2026", "Petit exemple", []),
    ],
)  # fmt: skip
def test_a_name_or_title_of_another_year_is_named(
    tiny_data: dict[str, Any], name: str, title: str, said: list[str]
) -> None:
    """The year audit copied last year's instance for a new year: its name (the calendar
    events' ids) and title kept last year's, unsaid when solved with --out."""
    tiny_data["name"], tiny_data["title"] = name, title
    found = [
        f.message.split(", not the calendar's")[0]
        for f in preflight(problem_of(tiny_data))
        if f.rule == "calendar"
    ]
    assert found == said


def test_closures_and_holiday_dates_outside_the_calendar_are_named(
    tiny_data: dict[str, Any],
) -> None:
    """Closures left in last year's dates when the instance was copied close nothing, and
    sessions landed in this year's break without a word (year audit)."""
    tiny_data["calendar"]["closures"] += [
        {"from": "2026-03-29", "to": "2026-04-11", "reason": "Vacances de printemps"},
        {"date": "2026-09-10"},
        {"from": "2026-09-17", "to": "2026-10-16", "slots": ["THU-EVE"], "reason": "reaches in"},
    ]
    tiny_data["calendar"]["public_holidays"]["dates"] = ["2025-11-11", "2026-09-24"]
    findings = preflight(problem_of(tiny_data))  # (the closed dates inside overload the week)
    found = [(f.rule, f.message) for f in findings if f.severity == "warning"]
    assert found == [
        (
            "closures",
            "closure 'Vacances de printemps' 29 Mar–11 Apr 2026 lies outside the calendar "
            "(15–26 Sep 2026), so it closes nothing — check its year",
        ),
        (
            "closures",
            "a closure 10 Sep 2026 lies outside the calendar (15–26 Sep 2026), so it closes "
            "nothing — check its year",
        ),
        (
            "public_holidays",
            "public holiday dates 11 Nov 2025: each lies outside the calendar (15–26 Sep "
            "2026), so it changes nothing",
        ),
    ]


@pytest.mark.parametrize(
    ("teacher", "field", "rule", "warned"),
    [
        ("T1", "unavailable", {"date": "2026-09-19"}, "unavailable 19 Sep 2026"),
        ("T1", "unavailable", {"date": "2026-09-19", "slots": ["SAT-AM"]}, "unavailable"),
        ("T1", "unavailable", {"date": "2026-09-19", "slots": ["SAT-PM"]}, None),  # 13:45 on
        ("T1", "unavailable", {"weekday": "sat"}, "unavailable Saturdays"),
        ("T1", "available_only", {"from": "2026-09-21", "to": "2026-09-26"}, "outside"),
        ("T1", "available_only", {"from": "2026-09-15", "to": "2026-09-26"}, None),
        ("T2", "unavailable", {"date": "2026-09-19"}, None),  # not at the event
    ],
)
def test_a_teacher_a_fixed_event_lists_on_a_day_they_are_unavailable_is_named(
    tiny_data: dict[str, Any], teacher: str, field: str, rule: dict, warned: str | None
) -> None:
    """ACCUEIL (19 Sep 2026, 09:00-12:15, T1) cannot move: its teachers' availability."""
    (entry,) = [t for t in tiny_data["teachers"] if t["id"] == teacher]
    entry[field] = [*entry.get(field, []), rule]
    found = [f for f in preflight(problem_of(tiny_data)) if f.rule == "event_teacher"]
    if warned is None:
        assert found == []
        return
    (finding,) = found
    assert finding.severity == "warning" and finding.entities == ("ACCUEIL", "T1")
    assert finding.message.startswith(f"teacher Anne Lambert (T1) is {warned}")
    assert "fixed event ACCUEIL lists them on" in finding.message


def test_a_rule_whose_slots_are_on_another_weekday_is_named(tiny_data: dict[str, Any]) -> None:
    teacher = tiny_data["teachers"][0]
    teacher["unavailable"] = [{"weekday": "tue", "slots": ["TUE-EVE"]}]  # fine
    assert not any("matches no slot" in m for m in slips(tiny_data, "availability"))
    teacher["unavailable"] = [{"weekday": "mon", "slots": ["TUE-EVE"]}]
    (message,) = slips(tiny_data, "availability")
    assert message == (
        "teacher Anne Lambert (T1): unavailable Mondays (slot TUE-EVE) matches no slot: none of its slots "
        "(TUE-EVE) falls on Mondays"
    )


def test_a_rule_with_no_slot_or_a_date_outside_its_range_is_named(
    tiny_data: dict[str, Any],
) -> None:
    """A workbook row with a date and a from/to (every field must match), or slots `-`."""
    teacher = tiny_data["teachers"][0]
    teacher["unavailable"] = [{"date": "2026-09-15", "from": "2026-09-17", "to": "2026-09-19"}]
    (message,) = slips(tiny_data, "availability")
    assert message.endswith("matches no slot: its date 2026-09-15 is outside its own from/to")
    teacher["unavailable"] = [{"date": "2026-09-18", "from": "2026-09-17", "to": "2026-09-19"}]
    assert slips(tiny_data, "availability") == []
    teacher["unavailable"] = [{"weekday": "tue", "slots": []}]
    (message,) = slips(tiny_data, "availability")
    assert message.endswith("matches no slot: it names no slot")
    assert "unavailable Tuesdays (no slot) matches no slot" in message  # not "slots  matches"


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        # a workbook audit: T1's absence on a Thursday with `tue` typed in its weekday cell
        (
            {"date": "2026-09-17", "weekday": "tue"},
            "its date is 17 Sep 2026, a Thursday, not a Tuesday",
        ),
        ({"date": "2026-09-17", "weekday": "thu"}, None),
        (
            {"date": "2026-09-15", "slots": ["THU-EVE"]},
            "none of its slots (THU-EVE) falls on its date, 15 Sep 2026, a Tuesday",
        ),
        ({"date": "2026-09-17", "slots": ["THU-EVE"]}, None),
        # a one-day absence typed as a range, with a stray weekday or slots (a review)
        (
            {"from": "2026-09-17", "to": "2026-09-17", "weekday": "tue"},
            "its dates (17 Sep 2026) hold no Tuesday",
        ),
        (
            {"from": "2026-09-17", "to": "2026-09-19", "slots": ["TUE-EVE"]},
            "none of its slots (TUE-EVE) falls within its dates (17–19 Sep 2026)",
        ),
        ({"from": "2026-09-17", "to": "2026-09-23", "slots": ["TUE-EVE"]}, None),  # a week
        # days the calendar does not teach, from a teacher's form: ordinary, not said
        ({"weekday": "fri"}, None),
        ({"date": "2026-09-18"}, None),  # a day of an absence, given whole: not a slip
    ],
)
def test_a_rule_whose_fields_cannot_meet_a_slot_is_named(
    tiny_data: dict[str, Any], rule: dict[str, Any], why: str | None
) -> None:
    """Every field of a rule must match: a date on another weekday than the rule's, or than
    its slots', matches nothing, and the rule is silently void (the absence not kept)."""
    assert {s["weekday"] for s in tiny_data["calendar"]["slots"]} == {"tue", "thu", "sat"}
    tiny_data["teachers"][0]["unavailable"] = [rule]
    found = slips(tiny_data, "availability")
    assert found == ([] if why is None else [found[0]])
    if why is not None:
        assert found[0].endswith(f"matches no slot: {why}")


def test_a_one_day_closure_of_slots_on_another_weekday_is_named(tiny_data: dict[str, Any]) -> None:
    """A workbook audit: Saturday 10 Oct closed for `TUE-EVE` only closes nothing."""
    closures = tiny_data["calendar"].setdefault("closures", [])
    closures.append({"date": "2026-09-19", "slots": ["TUE-EVE"], "reason": "Portes ouvertes"})
    assert slips(tiny_data, "closures") == [
        "closure 'Portes ouvertes' on 19 Sep 2026 closes nothing: none of its slots (TUE-EVE) "
        "falls on 19 Sep 2026, a Saturday"
    ]
    closures[-1]["slots"] = ["SAT-AM"]
    assert slips(tiny_data, "closures") == []


def test_a_fixed_event_in_a_closed_or_small_room_is_named(tiny_data: dict[str, Any]) -> None:
    assert slips(tiny_data, "fixed_events") == []
    room = tiny_data["sites"][1]["rooms"][0]
    room["unavailable"] = [{"date": tiny_data["fixed_events"][0]["dates"][0]}]
    room["capacity"] = 5
    closed, small = slips(tiny_data, "fixed_events")
    assert closed.startswith(f"fixed event ACCUEIL is in room {room['id']} on ")
    assert "when the room is unavailable" in closed
    assert small.startswith("fixed event ACCUEIL has 20 students (its groups) and 5 seats")


def test_a_fixed_event_without_dates_is_named(tiny_data: dict[str, Any]) -> None:
    """A re-solve cancelled its days (`event_moved` with `dates: []`): it blocks nothing."""
    tiny_data["fixed_events"][0]["dates"] = []
    (message,) = slips(tiny_data, "fixed_events")
    assert message.startswith("fixed event ACCUEIL has no date: it blocks nothing")


def test_a_fixed_event_left_in_last_year_is_named(tiny_data: dict[str, Any]) -> None:
    """A year audit rolled the sample to 2027-28 and left the opening day in 2026: it was
    published in the new year's calendars without a word. Days that a year on or back would
    not be in the calendar (defences and resits after it, a welcome day just before) stay
    unsaid (a review: a one-term calendar's September resits were warned of)."""
    event = tiny_data["fixed_events"][0]
    for ordinary in (["2026-09-01"], ["2026-11-20"], ["2027-09-01"], ["2027-02-28"]):
        event["dates"] = ordinary
        assert slips(tiny_data, "fixed_events") == [], ordinary
    event["dates"] = ["2026-09-19", "2025-09-20", "2025-09-22"]  # two days left a year back
    assert slips(tiny_data, "fixed_events") == [
        "fixed event ACCUEIL: 20 Sep 2025 and 22 Sep 2025 lie outside the calendar "
        "(15–26 Sep 2026), and a year later they would be in it — check the year"
    ]
    event["dates"] = ["2027-09-19"]  # or typed a year on
    (message,) = slips(tiny_data, "fixed_events")
    assert "lies outside the calendar (15–26 Sep 2026), and a year earlier it would" in message
    for far in ("2029-09-19", "2036-09-26", "2016-09-14"):  # within ten years (beyond: refused)
        event["dates"] = [far]
        (message,) = slips(tiny_data, "fixed_events")
        assert message.endswith(
            "lies more than a year outside the calendar (15–26 Sep 2026) — check the date"
        ), message


def test_a_fixed_event_on_a_public_holiday_is_named(tiny_data: dict[str, Any]) -> None:
    assert slips(tiny_data, "fixed_events") == []
    tiny_data["fixed_events"][0]["dates"] = ["2026-11-11"]  # Armistice, outside the calendar
    (message,) = slips(tiny_data, "fixed_events")
    assert message.startswith("fixed event ACCUEIL is on 11 Nov 2026, a public holiday (")


def test_a_partition_without_parent_or_too_big_for_it_is_named(tiny_data: dict[str, Any]) -> None:
    assert slips(tiny_data, "groups") == []  # OPT-A 12 + OPT-B 8 = COHORT's 20
    tiny_data["groups"][2]["size"] = 10
    assert slips(tiny_data, "groups") == [
        "groups OPT-A and OPT-B (partition 'option' of COHORT) hold 22 students, more than "
        "COHORT's 20: check their sizes"
    ]
    tiny_data["groups"][2]["size"] = 8
    tiny_data["groups"][0]["partition"] = "year"
    assert slips(tiny_data, "groups") == [
        "group COHORT has partition 'year' but no part_of: it splits nothing"
    ]


def test_a_partition_holding_fewer_students_than_its_group_is_named(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's practice groups held 10 of the cohort's 20 students: the other 10, who
    follow the plenary sessions only, were counted nowhere (their 30-day gap unpaid)."""
    tiny_data["groups"][2]["size"] = 5
    assert slips(tiny_data, "groups") == [
        "groups OPT-A and OPT-B (partition 'option' of COHORT) hold 17 of COHORT's 20 "
        "students: a student is taken to be in one of them (weekly loads, gaps, one site a "
        "day); if some are in none, add a group for them to the partition, or check the sizes"
    ]
    # a partition misspelt in two: its slip is said (check_partition_spelling), not this
    tiny_data["groups"][2] |= {"size": 8, "partition": "Option"}
    assert slips(tiny_data, "groups") == []
    assert slips(tiny_data, "partition")


def test_a_subgroup_without_a_partition_smaller_than_its_group_is_named(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's SPORT group (6 of 20, no partition) was taken to hold every student: its
    sessions weighed on everyone's weekly load and gaps, unsaid."""
    tiny_data["groups"].append({"id": "SPORT", "name": "Sport", "size": 6, "part_of": "COHORT"})
    assert slips(tiny_data, "groups") == [
        "group SPORT (6 of COHORT's 20 students) has no partition: every student of COHORT "
        "is taken to be in it (weekly loads, gaps, one site a day); give it a partition, with "
        "a group for the others"
    ]
    tiny_data["groups"][-1]["size"] = 20  # the whole cohort: nothing to say
    assert slips(tiny_data, "groups") == []
    tiny_data["groups"][-1]["size"] = 30  # more than the cohort: a size typed wrong (audit)
    assert slips(tiny_data, "groups") == [
        "group SPORT (30 students) is part of COHORT, which has 20: a part cannot hold more "
        "than its group; check their sizes"
    ]


def test_a_calendar_of_decades_is_said(tiny_data: dict[str, Any]) -> None:
    """An audit: an end typed 2062 for 2026 gave 7,319 dated slots without a word, and the
    solve ran out of time advising a longer limit. Six years (a programme of several) are
    not said."""
    tiny_data["calendar"]["end"] = "2032-09-10"
    assert slips(tiny_data, "calendar") == []
    tiny_data["calendar"]["end"] = "2062-09-26"
    (warning,) = slips(tiny_data, "calendar")
    assert warning.startswith("calendar 15 Sep 2026–26 Sep 2062 spans 36 years (")
    assert warning.endswith("dated slots) — check the year of its start and end")


def _coverage(data: dict[str, Any]) -> list[str]:
    return [f.message for f in preflight(problem_of(data)) if f.rule.endswith("_holidays")]


def test_school_holidays_the_package_lacks_are_said(tiny_data: dict[str, Any]) -> None:
    """An exploratory test's 2030-31 year with NL Midden school holidays, which the package
    has up to 2030 only: none in 2031, silently. And FR, for which it gives none at all."""
    tiny_data["calendar"].update(start="2030-09-03", end="2031-06-27")
    del tiny_data["calendar"]["public_holidays"]
    tiny_data["pins"], tiny_data["fixed_events"] = [], []
    tiny_data["calendar"]["closures"] = []
    tiny_data["calendar"]["school_holidays"] = {"country": "NL", "subdiv": "Midden"}
    assert _coverage(tiny_data) == [
        "the holidays package gives no school holiday for NL (Midden) in 1 Jan–27 Jun 2031: "
        "if there are some, list them under calendar.school_holidays.dates, or no session "
        "will avoid them"
    ]
    tiny_data["calendar"]["school_holidays"]["dates"] = ["2031-02-17"]  # listed: not said
    assert _coverage(tiny_data) == []
    # FR and NL without a region: the package has them by region (an audit read "gives no
    # school holiday for NL" and was told to type them)
    tiny_data["calendar"]["school_holidays"] = {"country": "FR"}
    assert _coverage(tiny_data) == [
        "the holidays package gives school holidays for FR by region only: give "
        "calendar.school_holidays.subdiv, one of Zone A, Zone B, Zone C (or list them under "
        "calendar.school_holidays.dates), or no session will avoid them"
    ]
    tiny_data["calendar"]["school_holidays"] = {"country": "NL"}
    (said,) = _coverage(tiny_data)
    assert "NL by region only: give calendar.school_holidays.subdiv, one of Midden" in said
    tiny_data["calendar"]["school_holidays"] = {"country": "FR", "subdiv": "Zone C"}
    assert _coverage(tiny_data) == []
    tiny_data["calendar"]["school_holidays"] = {"country": "BE", "subdiv": "French"}
    assert _coverage(tiny_data) == []


def test_a_short_calendar_without_holidays_is_not_said(tiny_data: dict[str, Any]) -> None:
    """Tiny's two weeks of September hold no Belgian public holiday: the package has them."""
    assert "public_holidays" in tiny_data["calendar"]
    assert _coverage(tiny_data) == []


def test_ids_of_one_kind_differing_only_by_case_are_named(tiny_data: dict[str, Any]) -> None:
    """A workbook audit's teachers T01 and t01 (two people typing): two teachers, silently."""
    tiny_data["teachers"].append({**tiny_data["teachers"][0], "id": "t1"})
    assert slips(tiny_data, "ids") == [
        "teachers 'T1' and 't1' differ only by case: ids are compared exactly, so "
        "these are different ones — if they are one, spell them the same"
    ]
    tiny_data["teachers"][-1]["id"] = "T1b"
    assert slips(tiny_data, "ids") == []


def test_a_teacher_without_any_session_is_said(tiny_data: dict[str, Any]) -> None:
    """An audit: a teacher no session lists (a series' teachers cell that lost them) was
    not said; one a fixed event lists is not idle."""
    assert slips(tiny_data, "idle_teacher") == []
    tiny_data["teachers"].append({"id": "T9", "name": "Léa Dumont"})
    (warning,) = slips(tiny_data, "idle_teacher")
    assert warning == (
        "teacher Léa Dumont (T9) teaches no session and attends no fixed event: check the "
        "UEs' teachers (or remove the teacher from the file)"
    )
    tiny_data["fixed_events"][0]["teachers"] = ["T9"]
    assert slips(tiny_data, "idle_teacher") == []


def test_a_site_without_rooms_is_said(tiny_data: dict[str, Any]) -> None:
    """An audit: a site with `rooms: []` (or no `rooms` key) was accepted without a word and
    the solve succeeded; one a fixed event is held at (a venue for a day) is not said."""
    assert slips(tiny_data, "idle_site") == []
    tiny_data["sites"].append({"id": "LIEGE", "name": "ULiège", "rooms": []})
    (warning,) = slips(tiny_data, "idle_site")
    assert warning == (
        "site 'LIEGE' has no rooms: nothing can be placed there — give it rooms (or remove the "
        "site from the file)"
    )
    tiny_data["fixed_events"][0] |= {"site": "LIEGE", "rooms": []}
    assert slips(tiny_data, "idle_site") == []


def test_an_email_that_is_no_address_is_said(tiny_data: dict[str, Any]) -> None:
    """An audit: a name typed in the email column, or an address cut at its `@`, was shown
    in every event's description as written, unsaid."""
    tiny_data["teachers"][0]["email"] = "anne.lambert+mapemass@Sub.Example.ORG"
    tiny_data["teachers"][1]["email"] = "prénom@université.be"
    assert slips(tiny_data, "email") == []
    for wrong in ("Anne Lambert", "anne@", "anne@example", "anne@example..org", "a@b.org/x"):
        tiny_data["teachers"][0]["email"] = wrong
        (warning,) = slips(tiny_data, "email")
        assert warning.startswith(f"teacher Anne Lambert (T1): email {wrong!r} is not an email")


def test_a_series_without_any_teacher_is_said(tiny_data: dict[str, Any]) -> None:
    """An audit: an emptied teachers cell of a UE read as 'no teacher' without a word; its
    sessions were placed with no teacher's availability. A session said to have none (`-`
    in session_teachers) is meant."""
    tiny_data["ues"][1]["teachers"] = []
    (warning,) = slips(tiny_data, "teachers")
    assert warning.startswith("ue UE2 series main: no teacher, so its sessions are placed")
    # a docs audit: '-' refused in YAML ("unknown teacher '-'"); `[]` is the file's way
    assert warning.endswith(
        "`teachers: []` in `session_teachers` (in the workbook, '-' in its teachers cell)"
    )
    sessions = [s.id for s in problem_of(tiny_data).series["UE2-main"]]
    tiny_data["session_teachers"] = [{"session": sessions[0], "teachers": ["T3"]}]
    (warning,) = slips(tiny_data, "teachers")  # a guest for one: the others still have none
    assert warning.startswith(
        f"ue UE2 series main: no teacher, so 1 of its 2 sessions ({sessions[1]}) are placed"
    )
    tiny_data["session_teachers"] = [{"session": sid, "teachers": []} for sid in sessions]
    assert slips(tiny_data, "teachers") == []


@pytest.mark.parametrize(
    ("start", "end", "name", "said"),
    [
        # a spring term of 2026-27 starts in 2027 (it was warned of)
        ("2027-02-01", "2027-06-26", "spring-2026-27", False),
        # a calendar of two academic years reaches both (the second was warned of)
        ("2026-09-02", "2028-06-28", "master-2027-28", False),
        ("2026-09-02", "2028-06-28", "master-2026-2027", False),
        ("2026-09-02", "2028-06-28", "master-2028-29", True),
        ("2026-09-15", "2027-06-26", "master-2025-26", True),  # last year's file: still said
        ("2026-09-15", "2027-06-26", "master-2027-28", True),
        ("2026-09-15", "2027-06-26", "master-2026-25", True),  # reversed: no academic year
    ],
)
def test_an_academic_year_in_the_name_is_one_the_calendar_reaches(
    tiny_data: dict[str, Any], start: str, end: str, name: str, said: bool
) -> None:
    """A calendar audit: a two-year calendar named for its second year was said to name
    another year; what counts is whether the calendar meets that academic year (August to
    July)."""
    tiny_data["calendar"]["start"], tiny_data["calendar"]["end"] = start, end
    tiny_data["name"], tiny_data["pins"] = name, []  # its pins are in September 2026
    found = [
        f.message
        for f in preflight(problem_of(tiny_data))
        if f.rule == "calendar" and f.entities == ("name",)
    ]
    assert bool(found) == said, found


def test_days_near_a_calendar_of_two_years_are_not_a_year_off(tiny_data: dict[str, Any]) -> None:
    """A calendar audit: on a calendar of two years, a jury the day after its end was "a year
    off" (a year earlier it would be in it, as any day near such a calendar would)."""
    tiny_data["calendar"]["start"], tiny_data["calendar"]["end"] = "2026-09-15", "2028-06-28"
    tiny_data["fixed_events"][0]["dates"] = ["2028-06-29", "2028-06-30"]
    assert slips(tiny_data, "fixed_events") == []
