"""The checker's soft rules: exact units and costs, with and without each penalty."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from scheduler.check import CostTerm, check
from scheduler.check.soft import SOFT_CHECKS
from scheduler.data import Instance, Problem
from scheduler.report import cost_lines
from scheduler.rules import DEFAULT_WEIGHTS, SOFT_RULES
from scheduler.solution import Assignment

# Teaching days: W38 Tue 15, Thu 17, Sat 19 (AM+PM), Sun 20; W39 Tue 22, Thu 24 (school
# holiday), Sat 26 (AM only), Sun 27; W40 Tue 29, Thu 1, Sat 3 (AM+PM), Sun 4.
BASE: dict[str, Any] = {
    "name": "soft",
    "calendar": {
        "start": "2026-09-14",
        "end": "2026-10-04",
        "slots": [
            {"id": "TUE-EVE", "weekday": "tue", "start": "18:00", "end": "21:15"},
            {"id": "THU-EVE", "weekday": "thu", "start": "18:00", "end": "21:15"},
            {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
            {"id": "SAT-PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
            {"id": "SUN-AM", "weekday": "sun", "start": "10:00", "end": "12:00"},
        ],
        "school_holidays": {"dates": ["2026-09-24"]},
        "closures": [{"date": "2026-09-26", "slots": ["SAT-PM"], "reason": "Accueil"}],
    },
    "sites": [
        {"id": "MONS", "rooms": [{"id": "M-A", "capacity": 30}, {"id": "M-B", "capacity": 30}]},
        {"id": "NAMUR", "rooms": [{"id": "N-A", "capacity": 30}]},
        {"id": "ONLINE"},  # a site without rooms: ignored by site_balance
    ],
    "groups": [
        {"id": "COHORT", "size": 20},
        {"id": "OPT-A", "size": 10, "part_of": "COHORT", "partition": "option"},
        {"id": "OPT-B", "size": 10, "part_of": "COHORT", "partition": "option"},
    ],
    "teachers": [
        {"id": "T1", "name": "Anne Lambert", "home_site": "NAMUR", "avoid": [{"weekday": "thu"}]},
        {"id": "T2", "home_site": "MONS"},
        {"id": "V1", "available_only": [{"from": "2026-09-14", "to": "2026-10-04"}]},
    ],
    "ues": [
        {
            "id": "UE1",
            "teachers": ["T1"],
            "groups": ["COHORT"],
            "max_days_between": 7,
            "sessions": [{"count": 3}],
        },
        {
            "id": "UE2",
            "teachers": ["T2"],
            "groups": ["OPT-A"],
            "max_days_between": 10,
            "sessions": [{"count": 2, "max_days_between": 3}],
        },
        {"id": "UE3", "teachers": ["V1", "T2"], "groups": ["OPT-B"], "sessions": [{"count": 3}]},
        {
            "id": "UE4",
            "teachers": ["T2"],
            "groups": ["OPT-A"],
            "sessions": [{"count": 1, "length": 2}],
        },
        {
            "id": "UE5",
            "teachers": ["T2"],
            "groups": ["OPT-B"],
            "even_spread": True,
            "window": {"from": "2026-09-14", "to": "2026-10-03"},  # 20 days, 2 sessions: gap 10
            "sessions": [{"count": 2}],
        },
        {  # no window: the calendar's 21 days, 3 sessions: gap 7
            "id": "UE6",
            "teachers": ["T2"],
            "groups": ["OPT-B"],
            "even_spread": True,
            "sessions": [{"count": 3}],
        },
    ],
    "preferences": {"group_week_target": 1},
}


def event(site: str, day: str, start: str, end: str) -> dict[str, Any]:
    return {
        "fixed_events": [{"id": "EVT", "site": site, "dates": [day], "start": start, "end": end}]
    }


def ue1_series(**fields: Any) -> dict[str, Any]:
    """The UEs of BASE with fields added to UE1's series."""
    ues = [dict(u) for u in BASE["ues"]]
    ues[0]["sessions"] = [{**ues[0]["sessions"][0], **fields}]
    return {"ues": ues}


# UE5's window from 1 Sep, before the calendar's 14 Sep: its 20 days in it, gap 10 (not 16)
UE5_EARLIER = {
    "ues": [
        {**ue, "window": {"from": "2026-09-01", "to": "2026-10-03"}} if ue["id"] == "UE5" else ue
        for ue in BASE["ues"]
    ]
}
ONE_SITE = {"ues": [{**ue, "sites": ["MONS"]} for ue in BASE["ues"]]}  # NAMUR hosts nothing
SOFT_ROOMS = {"preferences": {"group_week_target": 1, "room_capacity": "soft"}}
ISOLATED = {"weights": {"isolated_sessions": 2}}
# Saturday gains an evening: a two-slot session on its morning and afternoon no longer fills it
SAT_EVENING = {
    **ISOLATED,
    "calendar": {
        **BASE["calendar"],
        "slots": [
            *BASE["calendar"]["slots"],
            {"id": "SAT-EVE", "weekday": "sat", "start": "18:00", "end": "20:00"},
        ],
    },
}
# Mons gains an auditorium of 100 with a projector: more than three times the 30 of a room
# that seats the cohort of 20, and its sub-groups of 10
BIG_ROOM = {
    "sites": [
        {
            "id": "MONS",
            "rooms": [
                {"id": "M-A", "capacity": 30},
                {"id": "M-B", "capacity": 30},
                {"id": "M-AUD", "capacity": 100, "features": ["projector"]},
            ],
        },
        *BASE["sites"][1:],
    ]
}

Expected = list[tuple[tuple[str, ...], int]]  # (entities, units) of each cost term

# (rule, case, instance changes, timetable "session MM-DD slot room, ...", terms)
A, B, W38 = "COHORT+OPT-A", "COHORT+OPT-B", "2026-W38"
V1_EVENT = {  # V1 comes for it on Wednesday 16 September (2026-W38)
    "id": "CONF", "site": "MONS", "dates": ["2026-09-16"], "start": "09:00", "end": "12:00",
    "teachers": ["V1"],
}  # fmt: skip
SAT, SUN = "2026-09-19", "2026-09-20"

# fmt: off
CASES: list[tuple[str, str, dict[str, Any], str, Expected]] = [
    ("weekly_load", "two cohort sessions in a week reach both profiles", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-17 THU-EVE N-A",
     [((A, W38), 1), ((B, W38), 1)]),
    ("weekly_load", "a length-2 session counts 1", {},
     "UE4-main-01 09-19 SAT-AM M-A, UE2-main-01 09-15 TUE-EVE M-A", [((A, W38), 1)]),
    ("weekly_load", "one session a week", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE N-A", []),
    ("school_holidays", "on a school holiday", {},
     "UE1-main-01 09-24 THU-EVE N-A", [(("UE1-main-01", "2026-09-24"), 1)]),
    ("school_holidays", "not a holiday", {}, "UE1-main-01 09-22 TUE-EVE N-A", []),
    ("ue_gap", "14 days with UE maximum 7", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-29 TUE-EVE N-A",
     [(("UE1-main-01", "UE1-main-02"), 7)]),
    ("ue_gap", "the series maximum 3 overrides the UE's 10", {},
     "UE2-main-01 09-15 TUE-EVE M-A, UE2-main-02 09-22 TUE-EVE M-A",
     [(("UE2-main-01", "UE2-main-02"), 4)]),
    ("ue_gap", "weekly sessions", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE N-A, "
     "UE1-main-03 09-29 TUE-EVE N-A", []),
    ("teacher_avoid", "a Thursday", {},
     "UE1-main-01 09-17 THU-EVE N-A", [(("T1", "UE1-main-01"), 1)]),
    ("teacher_avoid", "a Tuesday", {}, "UE1-main-01 09-15 TUE-EVE N-A", []),
    ("saturday_opening", "a Saturday at two sites", {},
     "UE4-main-01 09-19 SAT-AM M-A, UE1-main-01 09-19 SAT-AM N-A",
     [(("MONS", SAT), 1), (("NAMUR", SAT), 1)]),
    ("saturday_opening", "two sessions at one site on a Sunday", {},
     "UE1-main-01 09-20 SUN-AM N-A, UE3-main-01 09-20 SUN-AM N-A", [(("NAMUR", SUN), 1)]),
    ("saturday_opening", "a fixed event alone opens its site",
     event("MONS", "2026-09-26", "09:00", "12:00"), "", [(("MONS", "2026-09-26"), 1)]),
    ("saturday_opening", "weekdays only", {}, "UE1-main-01 09-15 TUE-EVE N-A", []),
    ("half_saturday", "morning only", {}, "UE1-main-01 09-19 SAT-AM M-A", [(("MONS", SAT), 1)]),
    ("half_saturday", "morning and afternoon at two sites", {},
     "UE1-main-01 09-19 SAT-AM M-A, UE2-main-01 09-19 SAT-PM N-A",
     [(("MONS", SAT), 1), (("NAMUR", SAT), 1)]),
    ("half_saturday", "an event between the slots fills none",
     event("MONS", SAT, "12:30", "13:30"), "UE1-main-01 09-19 SAT-AM M-A", [(("MONS", SAT), 1)]),
    ("half_saturday", "a length-2 session", {}, "UE4-main-01 09-19 SAT-AM M-A", []),
    ("half_saturday", "two sessions in two rooms of one site", {},
     "UE1-main-01 09-19 SAT-AM M-A, UE2-main-01 09-19 SAT-PM M-B", []),
    ("half_saturday", "the afternoon is closed", {}, "UE1-main-01 09-26 SAT-AM M-A", []),
    ("half_saturday", "a fixed event overlaps the afternoon",
     event("MONS", SAT, "14:00", "15:00"), "UE1-main-01 09-19 SAT-AM M-A", []),
    ("half_saturday", "Sunday's only slot", {}, "UE1-main-01 09-20 SUN-AM N-A", []),
    ("visitor_trips", "two weeks", {},
     "UE3-main-01 09-15 TUE-EVE M-A, UE3-main-02 09-17 THU-EVE M-A, "
     "UE3-main-03 09-22 TUE-EVE M-A", [(("V1",), 1)]),
    ("visitor_trips", "one week", {},
     "UE3-main-01 09-15 TUE-EVE M-A, UE3-main-02 09-17 THU-EVE M-A, "
     "UE3-main-03 09-19 SAT-AM M-A", []),
    ("visitor_trips", "its sessions in one week, a fixed event of its in another",
     {"fixed_events": [{**V1_EVENT, "dates": ["2026-09-23"]}]},
     "UE3-main-01 09-15 TUE-EVE M-A, UE3-main-02 09-17 THU-EVE M-A, "
     "UE3-main-03 09-19 SAT-AM M-A", [(("V1",), 1)]),
    ("visitor_trips", "its sessions in the week of its fixed event", {"fixed_events": [V1_EVENT]},
     "UE3-main-01 09-15 TUE-EVE M-A, UE3-main-02 09-17 THU-EVE M-A, "
     "UE3-main-03 09-19 SAT-AM M-A", []),
    ("visitor_trips", "a teacher free on some weekdays every week is no visitor",
     {"teachers": [{"id": "T1"}, {"id": "T2"}, {"id": "V1", "available_only": [
         {"weekday": "tue"}, {"weekday": "thu"}]}]},
     "UE3-main-01 09-15 TUE-EVE M-A, UE3-main-02 09-17 THU-EVE M-A, "
     "UE3-main-03 09-22 TUE-EVE M-A", []),
    ("visitor_trips", "a resident teacher in three weeks", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE N-A, "
     "UE1-main-03 09-29 TUE-EVE N-A", []),
    ("room_stability", "two rooms", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE N-A, "
     "UE1-main-03 09-29 TUE-EVE M-A", [(("UE1-main",), 1)]),
    ("room_stability", "one room", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE N-A", []),
    ("site_stability", "two sites", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-22 TUE-EVE M-A", [(("UE1",), 1)]),
    ("site_stability", "two rooms of one site", {},
     "UE1-main-01 09-15 TUE-EVE M-B, UE1-main-02 09-22 TUE-EVE M-A", []),
    ("teacher_travel", "away from home; a teacher without home site never travels", {},
     "UE1-main-01 09-15 TUE-EVE M-A, UE3-main-01 09-15 TUE-EVE N-A",
     [(("T1", "UE1-main-01"), 1), (("T2", "UE3-main-01"), 1)]),
    ("teacher_travel", "at home", {}, "UE1-main-01 09-15 TUE-EVE N-A", []),
    ("ue_spread", "2 days apart, even gap 10 from the window", {},
     "UE5-main-01 09-15 TUE-EVE M-A, UE5-main-02 09-17 THU-EVE M-A",
     [(("UE5-main-01", "UE5-main-02"), 8)]),
    ("ue_spread", "a window wider than the calendar counts its days within", UE5_EARLIER,
     "UE5-main-01 09-15 TUE-EVE M-A, UE5-main-02 09-22 TUE-EVE M-A",
     [(("UE5-main-01", "UE5-main-02"), 3)]),
    ("ue_spread", "even gap 7 from the calendar", {},
     "UE6-main-01 09-15 TUE-EVE M-A, UE6-main-02 09-17 THU-EVE M-A, "
     "UE6-main-03 09-24 THU-EVE M-A", [(("UE6-main-01", "UE6-main-02"), 5)]),
    ("ue_spread", "14 days apart", {},
     "UE5-main-01 09-15 TUE-EVE M-A, UE5-main-02 09-29 TUE-EVE M-A", []),
    ("ue_spread", "a UE without even_spread", {},
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-17 THU-EVE N-A", []),
    ("site_balance", "length counted", {},
     "UE4-main-01 09-19 SAT-AM M-A, UE1-main-01 09-15 TUE-EVE N-A", [(("MONS", "NAMUR"), 1)]),
    ("site_balance", "an unused site counts 0", {},
     "UE4-main-01 09-19 SAT-AM M-A", [(("MONS", "NAMUR"), 2)]),
    ("site_balance", "a site no series may use is not weighed", ONE_SITE,
     "UE4-main-01 09-19 SAT-AM M-A, UE1-main-01 09-15 TUE-EVE M-A", []),
    ("site_balance", "balanced; the site without rooms is ignored", {},
     "UE1-main-01 09-15 TUE-EVE M-A, UE1-main-02 09-22 TUE-EVE N-A", []),
    ("min_working_days", "three sessions on two dates, minimum 3", ue1_series(min_days=3),
     "UE1-main-01 09-19 SAT-AM N-A, UE1-main-02 09-19 SAT-PM N-A, UE1-main-03 09-22 TUE-EVE N-A",
     [(("UE1-main",), 1)]),
    ("min_working_days", "a missing session is no date", ue1_series(min_days=3),
     "UE1-main-01 09-15 TUE-EVE N-A", [(("UE1-main",), 2)]),
    ("min_working_days", "three dates", ue1_series(min_days=3),
     "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-17 THU-EVE N-A, UE1-main-03 09-22 TUE-EVE N-A",
     []),
    ("isolated_sessions", "alone on its Saturday, for both profiles", ISOLATED,
     "UE1-main-01 09-19 SAT-AM N-A", [((A, SAT), 1), ((B, SAT), 1)]),
    # an evening of one slot is a day of its own, as a day-long session (an audit's one-slot
    # Saturdays all paid once the rule was weighted on the tool's own advice)
    ("isolated_sessions", "alone on a one-slot evening", ISOLATED,
     "UE1-main-01 09-15 TUE-EVE N-A", []),
    ("isolated_sessions", "neighbours whose students differ", ISOLATED,
     "UE2-main-01 09-19 SAT-AM M-A, UE3-main-01 09-19 SAT-PM N-A", [((A, SAT), 1), ((B, SAT), 1)]),
    # a day-long session is a day of its own (an audit's workshops all paid)
    ("isolated_sessions", "a length-2 session filling its day", ISOLATED,
     "UE4-main-01 09-19 SAT-AM M-A", []),
    ("isolated_sessions", "a length-2 session alone on a longer day", SAT_EVENING,
     "UE4-main-01 09-19 SAT-AM M-A", [((A, SAT), 1)]),
    ("isolated_sessions", "morning and afternoon of one profile", ISOLATED,
     "UE1-main-01 09-19 SAT-AM N-A, UE2-main-01 09-19 SAT-PM M-A, UE3-main-01 09-19 SAT-PM N-A",
     []),
    ("isolated_sessions", "off by default", {}, "UE1-main-01 09-15 TUE-EVE N-A", []),
    ("oversized_room", "20 students in 100 seats where 30 would do", BIG_ROOM,
     "UE1-main-01 09-15 TUE-EVE M-AUD, UE3-main-01 09-15 TUE-EVE M-A",
     [(("UE1-main-01", "M-AUD"), 1)]),
    ("oversized_room", "only the auditorium has the projector", {**BIG_ROOM, **ue1_series(
        room_features=["projector"])}, "UE1-main-01 09-15 TUE-EVE M-AUD", []),
    # pins play no part: a re-solve pins the past to its rooms, which must cost as before
    ("oversized_room", "pinned to the auditorium, it pays all the same", {**BIG_ROOM, "pins": [
        {"session": "UE1-main-01", "room": "M-AUD"}]}, "UE1-main-01 09-15 TUE-EVE M-AUD",
     [(("UE1-main-01", "M-AUD"), 1)]),
    ("oversized_room", "no student known", {**BIG_ROOM, **ue1_series(groups=[])},
     "UE1-main-01 09-15 TUE-EVE M-AUD", []),
    ("oversized_room", "90 seats: not more than three times 30", {"sites": [
        {**BIG_ROOM["sites"][0], "rooms": [{"id": "M-AUD", "capacity": 90}]},
        *BASE["sites"][1:]]}, "UE1-main-01 09-15 TUE-EVE M-AUD", []),
    ("room_overflow", "42 students in 30 seats", {**SOFT_ROOMS, **ue1_series(size=42)},
     "UE1-main-01 09-15 TUE-EVE M-A, UE1-main-02 09-17 THU-EVE N-A",
     [(("UE1-main-01", "M-A"), 12), (("UE1-main-02", "N-A"), 12)]),
    ("room_overflow", "the groups' 20 students fit", SOFT_ROOMS, "UE1-main-01 09-15 TUE-EVE M-A",
     []),
]
# fmt: on


def build(changes: dict[str, Any]) -> Problem:
    return Problem.build(Instance.model_validate({**BASE, **changes}))


def assignments(rows: str) -> list[Assignment]:
    """Assignments written "session MM-DD slot room, ..." (dates in 2026)."""
    found = [row.split() for row in rows.split(",") if row.strip()]
    return [
        Assignment(s, date.fromisoformat(f"2026-{d}"), slot, room) for s, d, slot, room in found
    ]


def test_checks_cover_every_soft_rule_in_order() -> None:
    assert tuple(name for name, _ in SOFT_CHECKS) == SOFT_RULES


def test_cases_cover_every_soft_rule_with_and_without_cost() -> None:
    assert {rule for rule, *_, want in CASES if want} == set(SOFT_RULES)
    assert {rule for rule, *_, want in CASES if not want} == set(SOFT_RULES)


@pytest.mark.parametrize(
    ("rule", "case", "changes", "rows", "expected"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES]
)
def test_soft_rule_units_and_cost(
    rule: str, case: str, changes: dict[str, Any], rows: str, expected: Expected
) -> None:
    problem = build(changes)
    report = check(problem, assignments(rows))
    terms = report.terms_of(rule)
    assert [(t.entities, t.units) for t in terms] == expected
    weight = problem.weights[rule]
    assert weight == DEFAULT_WEIGHTS[rule] or rule in changes.get("weights", {})
    assert all(t.cost == t.units * weight and t.message for t in terms)
    assert report.costs[rule] == weight * sum(units for _, units in expected)


def test_a_holiday_date_given_by_the_file_says_where_it_comes_from() -> None:
    """A date under `school_holidays.dates` has no name: it was called "(holiday)" (an audit)."""
    (term,) = check(build({}), assignments("UE1-main-01 09-24 THU-EVE N-A")).terms_of(
        "school_holidays"
    )
    assert term.message == (
        "UE1-main-01 is on 2026-09-24, a school holiday (listed in school_holidays.dates)"
    )


def test_weight_override_and_zero_weight() -> None:
    rows = assignments("UE1-main-01 09-17 THU-EVE N-A")
    heavy = check(build({"weights": {"teacher_avoid": 5}}), rows)
    assert [t.cost for t in heavy.terms_of("teacher_avoid")] == [5]
    off = check(build({"weights": {"teacher_avoid": 0}}), rows)
    assert off.terms_of("teacher_avoid") == []
    assert off.costs["teacher_avoid"] == 0
    assert off.objective == heavy.objective - 5


def test_costs_list_every_rule_and_sum_to_objective() -> None:
    rows = (
        "UE1-main-01 09-17 THU-EVE M-A, UE1-main-02 10-03 SAT-AM N-A, UE4-main-01 09-19 SAT-AM M-A"
    )
    report = check(build({}), assignments(rows))
    assert list(report.costs) == list(SOFT_RULES)
    for rule in SOFT_RULES:
        assert report.costs[rule] == sum(t.cost for t in report.terms_of(rule))
    assert report.objective == sum(report.costs.values()) == sum(t.cost for t in report.terms) > 0
    assert report.to_json()["objective"] == report.objective
    assert json.loads(json.dumps(report.to_json()))["costs"] == report.costs


def test_a_gap_across_closures_says_how_many_of_its_days_were_closed() -> None:
    """An audit's largest cost line read "51 days apart (target ≤ 21)", 41 of them its winter
    break and exams: the line says so. Partial closures (some slots) close no day; the cost
    counts every day, closed or not, as docs/rules.md says."""
    closures = [
        {"from": "2026-09-19", "to": "2026-09-24", "reason": "Congé"},  # 6 days inside the gap
        {"date": "2026-09-26", "slots": ["SAT-PM"], "reason": "Accueil"},  # part of a day
    ]
    problem = build({"calendar": {**BASE["calendar"], "closures": closures}})
    rows = "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-29 TUE-EVE N-A"
    terms = check(problem, assignments(rows)).terms_of("ue_gap")
    assert [(t.message, t.cost) for t in terms] == [
        ("UE1-main sessions 1→2: 14 days apart, 6 of them closed (target ≤ 7)", 7)
    ]
    # a teaching day with every slot closed is a closed day; a closure beyond the calendar
    # counts only within it (a review: 0001-9999 would have been millions of dates)
    closures = [
        {"date": "2026-09-17", "slots": ["THU-EVE"], "reason": "Grève"},
        {"from": "0001-01-01", "to": "2026-09-14", "reason": "Avant"},
    ]
    problem = build({"calendar": {**BASE["calendar"], "closures": closures}})
    rows = "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-29 TUE-EVE N-A"
    assert [t.message for t in check(problem, assignments(rows)).terms_of("ue_gap")] == [
        "UE1-main sessions 1→2: 14 days apart, 1 of them closed (target ≤ 7)"
    ]


def test_empty_timetable_costs_nothing() -> None:
    report = check(build({}), [])
    assert report.terms == ()
    assert report.objective == 0
    assert set(report.costs) == set(SOFT_RULES)


@pytest.mark.parametrize(
    ("rule", "rows", "message"),
    [
        (
            "ue_gap",
            "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-29 TUE-EVE N-A",
            "UE1-main sessions 1→2: 14 days apart (target ≤ 7)",
        ),
        (
            "teacher_avoid",
            "UE1-main-01 09-17 THU-EVE N-A",
            # named as people know them; V1 below has no name: its id alone
            "Anne Lambert (T1) teaches UE1-main-01 on 2026-09-17 (THU-EVE), a slot they asked "
            "to avoid",
        ),
        (
            "teacher_travel",
            "UE1-main-01 09-15 TUE-EVE M-A",
            "Anne Lambert (T1) travels from NAMUR to MONS for UE1-main-01",
        ),
        (
            "weekly_load",
            "UE2-main-01 09-15 TUE-EVE M-A, UE2-main-02 09-17 THU-EVE M-A",
            # the week's days: managers do not know ISO week numbers (an audit)
            # and which sessions, so that a manager knows what to move (an audit)
            "students of COHORT+OPT-A: week 14–20 Sep 2026 (2026-W38) has 2 sessions "
            "(UE2-main-01, UE2-main-02; target ≤ 1)",
        ),
        (
            "visitor_trips",
            "UE3-main-01 09-15 TUE-EVE N-A, UE3-main-02 09-29 TUE-EVE N-A",
            "V1 comes in 2 different weeks: 14–20 Sep 2026 (2026-W38) for UE3-main-01; "
            "28 Sep–4 Oct 2026 (2026-W40) for UE3-main-02",
        ),
        (
            "room_stability",
            "UE1-main-01 09-15 TUE-EVE M-A, UE1-main-02 09-17 THU-EVE M-B, "
            "UE1-main-03 09-22 TUE-EVE M-A",
            # which sessions went to the odd room: those to move (an audit)
            "UE1-main uses 2 rooms: M-A (UE1-main-01, UE1-main-03), M-B (UE1-main-02)",
        ),
        (
            "site_stability",
            "UE1-main-01 09-15 TUE-EVE M-A, UE1-main-02 09-17 THU-EVE N-A, "
            "UE1-main-03 09-22 TUE-EVE M-A",
            "UE1 is taught at 2 sites: MONS (UE1-main-01, UE1-main-03), NAMUR (UE1-main-02)",
        ),
        (
            "ue_spread",
            "UE5-main-01 09-15 TUE-EVE M-A, UE5-main-02 09-17 THU-EVE M-A",
            # "even gap 10" was read as "10 apart", longer gaps costly too (an audit)
            "UE5-main sessions 1→2: 2 days apart (target ≥ 10, the even gap: 20 days / 2 sessions)",
        ),
    ],
)
def test_messages_in_plain_words(rule: str, rows: str, message: str) -> None:
    (term,) = check(build({}), assignments(rows)).terms_of(rule)
    assert isinstance(term, CostTerm)
    assert term.message == message


NAMED_ROOMS = {
    "sites": [
        {
            "id": "MONS",
            "rooms": [
                {"id": "M-A", "name": "Salle A", "capacity": 30},
                {"id": "M-B", "name": "Salle B", "capacity": 30},
                {"id": "M-AUD", "name": "Auditoire", "capacity": 100},
            ],
        },
        *BASE["sites"][1:],
    ]
}


@pytest.mark.parametrize(
    ("rule", "changes", "rows", "message"),
    [
        (
            "room_stability",
            {},
            "UE1-main-01 09-15 TUE-EVE M-A, UE1-main-02 09-17 THU-EVE M-B, "
            "UE1-main-03 09-22 TUE-EVE M-A",
            "UE1-main uses 2 rooms: Salle A (M-A) (UE1-main-01, UE1-main-03), "
            "Salle B (M-B) (UE1-main-02)",
        ),
        (
            "oversized_room",
            {},
            "UE1-main-01 09-15 TUE-EVE M-AUD",
            "UE1-main-01 (20 students) in Auditoire (M-AUD), 100 seats; the smallest room that "
            "could take it, Salle A (M-A), seats 30",
        ),
        (
            "room_overflow",
            {**SOFT_ROOMS, **ue1_series(size=42)},
            "UE1-main-01 09-15 TUE-EVE M-B",
            "UE1-main-01 has 42 students but room Salle B (M-B) seats 30",
        ),
    ],
)
def test_rooms_are_named_as_people_know_them(
    rule: str, changes: dict[str, Any], rows: str, message: str
) -> None:
    """A cost line names a room by its name and id, as the timetable does: an id alone
    ("M-S11") meant looking it up in the instance."""
    terms = check(build({**NAMED_ROOMS, **changes}), assignments(rows)).terms_of(rule)
    assert [t.message for t in terms] == [message]


def test_half_saturday_message() -> None:
    (term,) = check(build({}), assignments("UE1-main-01 09-19 SAT-AM M-A")).terms_of(
        "half_saturday"
    )
    assert term.message == (
        "Saturday 2026-09-19 at MONS: only part of the day is used (SAT-PM idle; used by "
        "UE1-main-01)"
    )


def test_half_saturday_of_an_event_between_the_slots_says_no_slot_is_used() -> None:
    """An audit: an event in the lunch break, nothing taught, read "only part of the day is
    used (SAT-AM, SAT-PM idle; used by BRK)"; no slot is used."""
    (term,) = check(build(event("MONS", SAT, "12:30", "13:30")), []).terms_of("half_saturday")
    assert term.message == (
        "Saturday 2026-09-19 at MONS: the site opens for EVT, outside its slots, and none of "
        "them is used (SAT-AM, SAT-PM idle)"
    )


def test_a_saturday_opening_names_what_opens_the_site() -> None:
    """Teaching, a fixed event, or both: a manager should not read 'teaching' for an open day."""
    problem = build(event("MONS", SAT, "14:00", "15:00"))
    alone = check(problem, []).terms_of("saturday_opening")
    assert [t.message for t in alone] == [
        "Saturday 2026-09-19 at MONS: the site opens for the fixed event EVT"
    ]
    both = check(problem, assignments("UE1-main-01 09-19 SAT-AM M-A")).terms_of("saturday_opening")
    assert [t.message for t in both] == [
        "Saturday 2026-09-19 at MONS: the site opens for the fixed event EVT; its sessions "
        "that day (UE1-main-01) cost nothing more"
    ]  # the event opens it whatever the timetable: moving UE1-main-01 would save nothing
    # an audit: ids alone ("JOUR-CL") left the reader to look the event up; two events, plural
    titled = event("MONS", SAT, "14:00", "15:00")
    titled["fixed_events"][0]["title"] = "Journée\nd'accueil"  # a line break typed in a cell
    titled["fixed_events"].append({**titled["fixed_events"][0], "id": "EVT2", "title": ""})
    two = check(build(titled), []).terms_of("saturday_opening")
    assert [t.message for t in two] == [
        "Saturday 2026-09-19 at MONS: the site opens for the fixed events "
        "Journée d'accueil (EVT), EVT2"
    ]
    for e in titled["fixed_events"]:
        e["start"], e["end"] = "09:00", "10:00"  # the morning's: the afternoon idle
    half = check(build(titled), []).terms_of("half_saturday")
    assert [t.message for t in half] == [
        "Saturday 2026-09-19 at MONS: only part of the day is used (SAT-PM idle; used by "
        "Journée d'accueil (EVT), EVT2)"
    ]


def test_the_breakdown_tells_rules_switched_off_from_rules_at_zero() -> None:
    """weekly_load off and paid nothing is not 'at zero': the timetable may well overload
    weeks. Each paid rule shows its units and weight."""
    problem = build({"weights": {"weekly_load": 0}})
    report = check(problem, assignments("UE1-main-01 09-17 THU-EVE N-A"))
    lines = cost_lines(report, detail=0, weights=problem.weights)
    assert (
        "  teacher_avoid          6  = 1 x weight 6 (session in a slot its teacher asked to avoid)"
        in lines
    )
    (zero,) = [line for line in lines if line.startswith("  at zero:")]
    (off,) = [line for line in lines if line.startswith("  switched off (weight 0):")]
    assert "weekly_load" in off and "weekly_load" not in zero and "ue_gap" in zero
    # a rule nobody switched off is not said to be (an audit: isolated_sessions, in every
    # report)
    assert "isolated_sessions" not in off
    assert "  off by default (give a weight to use): isolated_sessions" in lines


def test_rules_that_cannot_apply_are_said_apart_from_those_at_zero(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's one-site daytime programme read saturday_opening, site_balance and
    visitor_trips 'at zero': no timetable of it could pay them."""
    import copy

    from scheduler.check import check
    from scheduler.construct import greedy_timetable
    from scheduler.report import cannot_apply, cost_lines
    from tests.conftest import problem_of

    problem = problem_of(copy.deepcopy(tiny_data))
    moot = {"min_working_days", "room_overflow", "school_holidays", "teacher_avoid", "ue_spread"}
    # no room of the tiny instance seats more than three times another
    moot.add("oversized_room")
    assert cannot_apply(problem.instance) == moot
    timetable = greedy_timetable(problem)
    assert timetable is not None
    lines = cost_lines(
        check(problem, timetable), weights=problem.weights, instance=problem.instance
    )
    assert f"  cannot apply to this instance: {', '.join(sorted(moot))}" in lines
    assert not any("at zero" in line and "school_holidays" in line for line in lines)
    # both sites have rooms, but every UE is held in Mons: Namur can host nothing
    one_site = copy.deepcopy(tiny_data)
    for ue in one_site["ues"]:
        ue["sites"] = ["MONS"]
    assert cannot_apply(problem_of(one_site).instance) == moot | {"site_balance", "site_stability"}
    # a review: a site only a dropped session could use hosts nothing either
    dropped = copy.deepcopy(one_site)
    dropped["ues"][3]["sites"] = ["NAMUR"]
    assert cannot_apply(problem_of(dropped).instance) == moot
    dropped["dropped"] = ["UE4-main-01"]
    assert problem_of(dropped).hosting_sites == ("MONS",)
    assert cannot_apply(problem_of(dropped).instance) == moot | {"site_balance", "site_stability"}
    # one site, evenings only, no visitor, no home site, no maximum gap
    data = tiny_data
    data["sites"] = data["sites"][:1]
    data["calendar"]["slots"] = data["calendar"]["slots"][:2]
    data["calendar"]["closures"] = []
    data["fixed_events"], data["precedences"], data["pins"] = [], [], []
    for t in data["teachers"]:
        t.pop("home_site", None)
        t.pop("available_only", None)
    for ue in data["ues"]:
        ue.pop("sites", None)
        ue.pop("max_days_between", None)
    evenings = cannot_apply(problem_of(data).instance)
    assert evenings == moot | {
        "saturday_opening",
        "half_saturday",
        "site_balance",
        "site_stability",
        "teacher_travel",
        "visitor_trips",
        "ue_gap",
    }
    # Saturday mornings alone (an audit read half_saturday "at zero"): no Saturday can be
    # used in part, unless a fixed event on a Saturday may leave its morning idle
    mornings = copy.deepcopy(data)
    mornings["calendar"]["slots"].append(
        {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"}
    )
    moot_mornings = cannot_apply(problem_of(mornings).instance)
    assert "half_saturday" in moot_mornings and "saturday_opening" not in moot_mornings
    event = {"id": "E", "site": "MONS", "dates": ["2026-09-20"], "start": "14:00", "end": "16:00"}
    mornings["fixed_events"] = [event]  # a Sunday, which has no slot to leave idle
    assert "half_saturday" in cannot_apply(problem_of(mornings).instance)
    event["dates"] = ["2026-09-19"]  # a Saturday: its morning may be left idle
    assert "half_saturday" not in cannot_apply(problem_of(mornings).instance)


def test_report_folds_the_profiles_alike_in_a_week_into_one_line() -> None:
    """An audit: the sample's report gave six alike weekly_load lines per week, one per
    student profile. Two cohort sessions in W38 reach both profiles alike: one line for
    COHORT, with both costs; option A's own extra session that week is a line of its own."""
    from scheduler.report import cost_lines

    problem = build({})
    rows = (
        "UE1-main-01 09-15 TUE-EVE N-A, UE1-main-02 09-17 THU-EVE N-A, UE2-main-01 09-19 SAT-PM M-A"
    )
    report = check(problem, assignments(rows))
    lines = cost_lines(report, weights=problem.weights, instance=problem.instance)
    week = "week 14–20 Sep 2026 (2026-W38)"
    cohort = "UE1-main-01, UE1-main-02"
    assert (
        f"      students of COHORT+OPT-A: {week} has 3 sessions ({cohort}, UE2-main-01; "
        "target ≤ 1): 2 x weight 10 = 20" in lines
    )
    assert (
        f"      students of COHORT+OPT-B: {week} has 2 sessions ({cohort}; target ≤ 1): 1 x weight 10 = 10"
        in lines
    )
    report = check(problem, assignments(rows.rsplit(",", 1)[0]))
    lines = cost_lines(report, weights=problem.weights, instance=problem.instance)
    assert (
        f"      students of COHORT (2 student profiles alike): {week} has 2 sessions ({cohort}; "
        "target ≤ 1), 1 x 2 profiles: 2 x weight 10 = 20" in lines
    )
    assert not any("COHORT+OPT" in line for line in lines)
    # the rule's line says what a week is, not "ISO week" (an audit's jargon)
    (head,) = [line for line in lines if line.lstrip().startswith("weekly_load")]
    assert "in a Monday-to-Sunday week" in head and "ISO" not in head


def test_a_week_target_of_zero_says_one_session_in_the_singular() -> None:
    """An audit read "has 1 sessions" with `group_week_target: 0`."""
    from scheduler.report import cost_lines

    problem = build({"preferences": {"group_week_target": 0}})
    report = check(problem, assignments("UE1-main-01 09-15 TUE-EVE N-A"))
    lines = cost_lines(report, weights=problem.weights, instance=problem.instance)
    assert (
        "      students of COHORT (2 student profiles alike): week 14–20 Sep 2026 (2026-W38) has 1 "
        "session (UE1-main-01; target ≤ 0), 1 x 2 profiles: 2 x weight 10 = 20" in lines
    )


def test_profiles_folded_are_said_by_the_groups_they_share() -> None:
    """Two partitions (options A/B, practice groups 1/2): four profiles. A fold names the
    groups all its profiles share, or those with one of some groups, else lists them."""
    from scheduler.data.groups import student_profiles
    from scheduler.report_fold import _profiles_in_words

    apps = [{"id": f"APP{i}", "size": 10, "part_of": "COHORT", "partition": "app"} for i in (1, 2)]
    instance = build({"groups": [*BASE["groups"], *apps]}).instance
    profiles = {
        "+".join(g.id for g in instance.groups if g.id in p): p
        for p in student_profiles(instance.groups)
    }
    a1, a2, b1, b2 = (f"COHORT+OPT-{o}+APP{i}" for o, i in ("A1", "A2", "B1", "B2"))
    assert set(profiles) == {a1, a2, b1, b2}
    assert (
        _profiles_in_words({a1, a2, b1, b2}, profiles, instance)
        == "COHORT (4 student profiles alike)"
    )
    assert (
        _profiles_in_words({a1, b1}, profiles, instance) == "COHORT+APP1 (2 student profiles alike)"
    )
    assert (
        _profiles_in_words({a1, a2, b1}, profiles, instance)
        == "COHORT in OPT-A or APP1 (3 student profiles alike)"
    )
    assert _profiles_in_words({a1, b2}, profiles, instance) is None


def test_profiles_are_said_by_their_widest_groups() -> None:
    """An audit's bachelor: tracks IG, TI, RS, with lab groups IG-A/IG-B and TI-A/TI-B;
    every profile but IG-B's read "BAC1 in TI or RS or IG-A or TI-A or TI-B": TI-A and TI-B
    are TI's labs."""
    from scheduler.data.groups import student_profiles
    from scheduler.report_fold import _profiles_in_words

    def group(gid: str, part_of: str | None = None, partition: str | None = None) -> dict:
        return {"id": gid, "size": 10, "part_of": part_of, "partition": partition}

    groups = [
        group("BAC1"),
        *(group(t, "BAC1", "track") for t in ("IG", "TI", "RS")),
        *(group(f"{t}-{x}", t, "lab") for t in ("IG", "TI") for x in "AB"),
    ]
    ue = {"id": "U", "teachers": ["T2"], "groups": ["BAC1"], "sessions": [{"count": 1}]}
    instance = build({"groups": groups, "ues": [ue]}).instance
    profiles = {
        "+".join(g.id for g in instance.groups if g.id in p): p
        for p in student_profiles(instance.groups)
    }
    named = {n for n in profiles if not n.endswith("IG-B")}
    assert len(named) == 4
    assert (
        _profiles_in_words(named, profiles, instance)
        == "BAC1 in TI or RS or IG-A (4 student profiles alike)"
    )


def test_profiles_of_several_programmes_are_said_programme_by_programme() -> None:
    """A 5-programme instance's weekly load was said for 15 profile labels in one line: the
    profiles of each top-level group are said together, the count once; profiles no words
    fit are listed, four at most."""
    from scheduler.data.groups import student_profiles
    from scheduler.report_fold import _profiles_in_few_words

    groups = [*BASE["groups"]]  # beside the base's COHORT, three programmes
    for p in ("P1", "P2", "P3"):
        groups.append({"id": f"{p}", "size": 20})
        groups += [
            {"id": f"{p}-{part}{i}", "size": 10, "part_of": p, "partition": part}
            for part in ("O", "A")
            for i in (1, 2)
        ]
    instance = build({"groups": groups}).instance
    profiles = {
        "+".join(g.id for g in instance.groups if g.id in p): p
        for p in student_profiles(instance.groups)
    }
    assert "P2+P2-O1+P2-A2" in profiles
    every = [n for n in profiles if n.startswith(("P1", "P2"))]
    assert (
        _profiles_in_few_words(every, profiles, instance) == "P1 and P2 (8 student profiles alike)"
    )
    crossed = ("O1+P{0}-A1", "O2+P{0}-A2")  # no words fit (one with A1, the other with A2)
    odd = [f"P1+P1-{c.format(1)}" for c in crossed] + ["P2+P2-O1+P2-A1", "P2+P2-O2+P2-A1"]
    assert _profiles_in_few_words(odd, profiles, instance) == (
        "P2+P2-A1 (2 student profiles alike); P1+P1-O1+P1-A1 and P1+P1-O2+P1-A2"
    )
    alone = ["P1+P1-O1+P1-A1", "P2+P2-O1+P2-A1", "P2+P2-O2+P2-A1"]  # P1's: a profile alone
    assert _profiles_in_few_words(alone, profiles, instance) == (
        "P2+P2-A1 (2 student profiles alike); P1+P1-O1+P1-A1"
    )
    many = [f"{p}+{p}-{c.format(p[1])}" for p in ("P1", "P2", "P3") for c in crossed]
    assert _profiles_in_few_words(many, profiles, instance) == (
        "P1+P1-O1+P1-A1, P1+P1-O2+P1-A2, P2+P2-O1+P2-A1, P2+P2-O2+P2-A2 and 2 other profiles"
    )
    # one more than four is listed whole: "and 1 other profiles" would save no words
    assert _profiles_in_few_words(many[:5], profiles, instance) == (
        "P1+P1-O1+P1-A1, P1+P1-O2+P1-A2, P2+P2-O1+P2-A1, P2+P2-O2+P2-A2 and P3+P3-O1+P3-A1"
    )


def test_of_groups_alike_students_follow_the_first_is_said() -> None:
    """`_widest`: of groups every named profile with one follows the other too (a partition
    of one part), one is said, the first in the file, not "COHORT in A or B"."""
    from scheduler.report_fold import _widest

    profiles = {"x": frozenset({"C", "A", "B"}), "y": frozenset({"C", "A", "B", "L"})}
    assert _widest(["A", "B"], {"x", "y"}, profiles) == ["A"]
    assert _widest(["A", "L"], {"x", "y"}, profiles) == ["A"]  # L's profiles within A's


def test_weeks_of_two_programmes_fold_by_group_each_apart() -> None:
    """An audit read two programmes' weeks, which share no session, folded "by group" into
    one line of "5 student profiles alike". Each programme's profiles fold apart; a week whose
    words are the same (a course the programmes share) still folds across them."""
    from scheduler.report_fold import fold_profiles

    groups = [*BASE["groups"]]
    for p in ("P1", "P2"):
        groups.append({"id": p, "size": 20})
        groups += [{"id": f"{p}-O{i}", "size": 10, "part_of": p, "partition": "o"} for i in (1, 2)]
    instance = build({"groups": groups}).instance
    week = ("2026-W38",)
    head = "week 14–20 Sep 2026 (2026-W38) has 2 sessions"

    def term(profile: str, ids: str) -> CostTerm:
        message = f"students of {profile}: {head} ({ids}; target ≤ 1)"
        return CostTerm("weekly_load", (profile, *week), 1, 10, message)

    own = [
        term("P1+P1-O1", "A1, B1"),
        term("P1+P1-O2", "A1, B2"),
        term("P2+P2-O1", "C1, D1"),
        term("P2+P2-O2", "C1, D2"),
    ]
    folded = sorted(t.message for t in fold_profiles(own, instance))
    assert folded == [
        f"students of P1 (2 student profiles alike): {head} (A1 + by group: B1 / B2; target ≤ 1), 1 x 2 profiles",
        f"students of P2 (2 student profiles alike): {head} (C1 + by group: D1 / D2; target ≤ 1), 1 x 2 profiles",
    ]
    shared = [term(p, "S1, S2") for p in ("P1+P1-O1", "P1+P1-O2", "P2+P2-O1", "P2+P2-O2")]
    (one,) = fold_profiles(shared, instance)
    assert one.message == (
        f"students of P1 and P2 (4 student profiles alike): {head} (S1, S2; target ≤ 1), 1 x 4 profiles"
    )
    assert (one.units, one.cost) == (4, 40)


def test_a_gap_several_audiences_follow_is_said_to_count_for_each() -> None:
    """An audit read UE2's plenary gap, listed once per practice group that follows it, as
    a mistake: the report says it is counted once per audience."""
    from scheduler.check import CheckReport

    pair = ("UE2-plen-01", "UE2-plen-02")
    plenary = [
        CostTerm(
            "ue_gap", pair, 14, 14, f"UE2 for APP{k} (plen+app{k}) sessions 1→2: 28 days apart"
        )
        for k in (1, 2, 3)
    ]
    terms = (*plenary, CostTerm("ue_gap", ("UE3-main-01", "UE3-main-02"), 2, 2, "UE3-main"))
    report = CheckReport((), terms, {"ue_gap": 44}, 44)
    lines = cost_lines(report, detail=5)
    assert lines[-1] == (
        "      (1 gap between the same two sessions, counted once for each audience that "
        "follows them: 3 times in all)"
    )
    alone = CheckReport((), terms[-1:], {"ue_gap": 2}, 2)
    assert not any("audience" in line for line in cost_lines(alone, detail=5))
    # with no terms shown (`resolve`'s summary), no note about them either (a review)
    assert not any("audience" in line for line in cost_lines(report, detail=0))


def test_places_beyond_two_sessions_are_counted() -> None:
    from scheduler.check.soft import _where_words

    used = {"M-A": ["a", "b", "c"], "M-B": ["d"]}
    assert _where_words(used) == "M-A (3 sessions), M-B (d)"


def test_profiles_with_their_own_session_in_a_week_fold_by_group() -> None:
    """Each option's own session that week: the same units, other sessions. One line still
    (the sample's option weeks had gone from one line to three when lines named their
    sessions), the shared sessions then each group's own."""
    problem = build({})
    rows = (
        "UE1-main-01 09-15 TUE-EVE N-A, UE2-main-01 09-17 THU-EVE M-A, "
        "UE3-main-01 09-17 THU-EVE M-B"
    )
    report = check(problem, assignments(rows))
    lines = cost_lines(report, weights=problem.weights, instance=problem.instance)
    week = "week 14–20 Sep 2026 (2026-W38)"
    assert (
        f"      students of COHORT (2 student profiles alike): {week} has 2 sessions (UE1-main-01 + by "
        "group: UE2-main-01 / UE3-main-01; target ≤ 1), 1 x 2 profiles: 2 x weight 10 = 20" in lines
    )
    # as many of their own, or not: "UE2-main-01, UE2-main-02 / UE3-main-01" is not folded
    rows += ", UE2-main-02 09-19 SAT-AM M-A"
    report = check(problem, assignments(rows))
    lines = cost_lines(report, weights=problem.weights, instance=problem.instance)
    assert any(line.startswith("      students of COHORT+OPT-A: ") for line in lines)
    assert any(line.startswith("      students of COHORT+OPT-B: ") for line in lines)


def test_oversized_room_applies_only_where_a_session_has_rooms_of_such_sizes(
    tiny_data: dict[str, Any],
) -> None:
    """An audit: a 200-seat room at a site no UE may use made the rule 'at zero' where no
    timetable could pay it."""
    import copy

    from scheduler.report import cannot_apply
    from tests.conftest import problem_of

    data = copy.deepcopy(tiny_data)
    data["sites"][1]["rooms"].append({"id": "N-BIG", "capacity": 200})
    assert "oversized_room" not in cannot_apply(problem_of(data).instance)
    for ue in data["ues"]:
        ue["sites"] = ["MONS"]
    assert "oversized_room" in cannot_apply(problem_of(data).instance)


def test_isolated_sessions_of_profiles_alike_are_one_line() -> None:
    """A cohort session alone on its Saturday is alone for each option's profile: one line for
    the cohort, as weekly_load's (an audit read a line per profile as distinct sessions)."""
    from scheduler.report import cost_lines

    problem = build(ISOLATED)
    report = check(problem, assignments("UE1-main-01 09-19 SAT-AM N-A"))
    lines = cost_lines(report, weights=problem.weights, instance=problem.instance)
    shown = [line for line in lines if "nothing just before or after" in line]
    assert shown == [
        "      students of COHORT (2 student profiles alike) on Saturday 2026-09-19: nothing just "
        "before or after UE1-main-01 (1 x 2 profiles): 2 x weight 2 = 4"
    ]


def test_sessions_by_group_that_combine_two_choices_are_said_as_them() -> None:
    """An audit read six "by group" alternatives (an option's session with each practice
    group's) as six; they are one of two options' sessions and one of three groups'."""
    from scheduler.report_fold import _as_product, _sessions_by_group

    lists = [(o, a) for o in ("O1", "O2") for a in ("A1", "A2", "A3")]
    assert _as_product(lists) == [["O1", "O2"], ["A1", "A2", "A3"]]
    assert _as_product(lists[:-1]) is None  # one combination missing: not every one
    assert _as_product([("A1", "B1"), ("A2", "B2")]) is None  # two lists, not four
    head = ": week 1–7 Feb 2027 (2027-W05) has 3 sessions"
    rests = [f"{head} (S1, {o}, {a}; target ≤ 2)" for o, a in lists]
    assert _sessions_by_group(rests) == (
        f"{head} (S1 + by group: O1 or O2, and A1, A2 or A3; target ≤ 2)"
    )
    alone = [f"{head} (S1, S2, {a}; target ≤ 2)" for a in ("A1", "A2")]
    assert _sessions_by_group(alone) == f"{head} (S1, S2 + by group: A1 / A2; target ≤ 2)"


def test_a_saturday_a_fixed_event_opens_after_the_calendar_says_so() -> None:
    """A cost audit: a defence on a Saturday after the calendar's end is counted, as the rule
    says, but its line did not say why a day outside the year was charged to it."""
    event = {
        "id": "DEF",
        "site": "NAMUR",
        "dates": ["2026-10-10"],
        "start": "09:00",
        "end": "12:00",
    }
    (term,) = check(build({"fixed_events": [event]}), []).terms_of("saturday_opening")
    assert term.message == (
        "Saturday 2026-10-10 at NAMUR: the site opens for the fixed event DEF, after the calendar"
    )


def test_isolated_sessions_of_two_groups_alike_fold_per_group() -> None:
    """A cost audit: one Saturday's isolated sessions of two practice groups, each group's
    two profiles (the options) alike, gave four lines where docs promise them folded."""
    from scheduler.report_fold import fold_profiles

    groups = [*BASE["groups"]]
    groups += [{"id": f"P{i}", "size": 10, "part_of": "COHORT", "partition": "p"} for i in (1, 2)]
    instance = build({"groups": groups}).instance

    def term(profile: str, session: str) -> CostTerm:
        message = (
            f"students of {profile} on Saturday 2026-09-26: nothing just before or after {session}"
        )
        return CostTerm("isolated_sessions", (profile, "2026-09-26"), 1, 1, message)

    terms = [
        term(f"COHORT+{option}+{group}", f"UE-{group}-07")
        for option in ("OPT-A", "OPT-B")
        for group in ("P1", "P2")
    ]
    folded = sorted((t.message, t.units) for t in fold_profiles(terms, instance))
    assert folded == [
        (
            f"students of COHORT+{group} (2 student profiles alike) on Saturday 2026-09-26: "
            f"nothing just before or after UE-{group}-07 (1 x 2 profiles)",
            2,
        )
        for group in ("P1", "P2")
    ], folded
