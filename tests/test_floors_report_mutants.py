"""From a mutation audit of the data's floors (`model/data_bound.py`, `model/weekend_floors.py`,
`model/site_floors.py`) and of the cost report's folding and words (`report_fold.py`,
`report.py`, `data/words.py`): each test pins down behaviour the suite let a mutant change
(four of them floors above a proved optimum)."""

from __future__ import annotations

from typing import Any

from scheduler.check import check
from scheduler.model.build import build_model
from scheduler.model.data_bound import data_bound, floors, visitor_trip_floors
from scheduler.rules import SOFT_RULES
from tests.conftest import problem_of, solve_to_optimum


def _visitor_only(tiny_data: dict[str, Any], ues: list[dict[str, Any]]) -> dict[str, Any]:
    """Tiny with `ues` alone (no pin, no precedence), V1 free all fortnight, visitor_trips
    the only rule (10)."""
    tiny_data["ues"] = ues
    tiny_data["pins"], tiny_data["precedences"] = [], []
    visitor = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    visitor["available_only"] = [{"from": "2026-09-15", "to": "2026-09-26"}]
    tiny_data["weights"] = {**dict.fromkeys(SOFT_RULES, 0), "visitor_trips": 10}
    return tiny_data


def _no_trip_forced(data: dict[str, Any]) -> None:
    """No visitor_trips floor, a data bound of 0, and an optimum of 0 (one week does)."""
    problem = problem_of(data)
    built = build_model(problem)
    assert visitor_trip_floors(problem, built.variables, 10) == []
    assert data_bound(built) == 0
    optimum = solve_to_optimum(data)
    assert optimum.objective == 0
    assert check(problem, optimum.assignments).costs["visitor_trips"] == 0


def test_a_co_teacher_s_weekly_maximum_does_not_cap_the_visitor_s_other_sessions(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:365 `set.intersection(*(set(s.teachers) ...))` -> `set.union`: V1
    teaches two sessions alone and one with T5, who gives at most 1 a week. T5's maximum
    caps only the session T5 teaches: the three fit V1's second week (Tue, Thu, Sat), no
    trip beyond the first, which the optimum pays; capped at 1 a week the floor said 10."""
    tiny_data["teachers"].append(
        {"id": "T5", "name": "Luc Petit", "home_site": "MONS", "max_sessions_per_week": 1}
    )
    _no_trip_forced(
        _visitor_only(
            tiny_data,
            [
                {"id": "UE5", "teachers": ["V1"], "groups": ["OPT-A"], "sessions": [{"count": 2}]},
                {"id": "UE6", "teachers": ["V1", "T5"], "groups": ["OPT-B"], "sessions": [{"count": 1}]},
            ],
        )
    )  # fmt: skip


def test_a_profile_s_weekly_maximum_caps_only_the_sessions_it_attends(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:368 `set.intersection(*(set(p.profiles_of[s.id]) ...))` -> `set.union`:
    OPT-B attends at most 1 session a week, and only one of V1's three (the other two are
    OPT-A's): one week holds all three, no trip forced (the mutant said one, 10 over an
    optimum of 0)."""
    option_b = next(g for g in tiny_data["groups"] if g["id"] == "OPT-B")
    option_b["max_sessions_per_week"] = 1
    _no_trip_forced(
        _visitor_only(
            tiny_data,
            [
                {"id": "UE5", "teachers": ["V1"], "groups": ["OPT-A"], "sessions": [{"count": 2}]},
                {"id": "UE6", "teachers": ["V1"], "groups": ["OPT-B"], "sessions": [{"count": 1}]},
            ],
        )
    )  # fmt: skip


def test_a_weekly_maximum_caps_sessions_of_mixed_lengths_by_the_shortest(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:372 `min(s.length ...)` -> `max(s.length ...)`: the cohort attends at
    most 4 slots a week; V1's two one-slot sessions and one two-slot session (4 slots) fit
    the second week (Tue, Thu, the whole Saturday 26): no trip forced. Divided by the
    longest session the cap was 2 a week, and the floor 10 over an optimum of 0."""
    cohort = next(g for g in tiny_data["groups"] if g["id"] == "COHORT")
    cohort["max_sessions_per_week"] = 4
    _no_trip_forced(
        _visitor_only(
            tiny_data,
            [
                {"id": "UE5", "teachers": ["V1"], "groups": ["COHORT"], "sessions": [{"count": 2}]},
                {"id": "UE6", "teachers": ["V1"], "groups": ["COHORT"],
                 "sessions": [{"count": 1, "length": 2}]},
            ],
        )
    )  # fmt: skip


def test_a_session_pinned_to_a_saturday_a_fixed_event_opens_opens_nothing_more() -> None:
    """weekend_floors.py:131 `... or weekend[sid] & events` dropped: a session pinned to
    Saturday 10 Oct, when a fixed event opens its site S that day, opens no day of its own:
    the event's 4 alone, which the optimum pays; the mutant added the pinned day (8)."""
    from tests.test_solver_bound_cuts import _saturdays

    data = _saturdays(1)
    data["fixed_events"] = [
        {"id": "EV", "site": "S", "dates": ["2026-10-10"], "start": "09:00", "end": "10:00"}
    ]
    data["pins"] = [{"session": "UE-main-01", "date": "2026-10-10"}]
    problem = problem_of(data)
    found = [f for f in floors(build_model(problem)) if f.rules == ("saturday_opening",)]
    assert [(f.cost, f.message) for f in found] == [
        (
            4,
            "Saturday 2026-10-10 at S: paid whatever the timetable (the instance's fixed events)",
        )
    ]
    optimum = solve_to_optimum(data)
    assert data_bound(build_model(problem)) == optimum.objective == 4


def test_session_slots_that_divide_evenly_over_three_sites_force_no_imbalance() -> None:
    """site_floors.py:202 `% len(sites)` -> `% 2`: three one-slot sessions over three sites
    split 1 / 1 / 1 (the mutant's floor 5 was above the optimum's 0); four split 2 / 1 / 1
    at best, 1 apart (5), which the optimum pays (the mutant said none)."""
    from tests.test_floors_mutants import _lengths

    even = _lengths((1, 1, 1), 3)
    assert floors(build_model(problem_of(even))) == []
    assert solve_to_optimum(even).objective == 0
    uneven = _lengths((1, 1, 1, 1), 3)
    (line,) = floors(build_model(problem_of(uneven)))
    assert (line.cost, line.message) == (
        5,
        "the 4 session slots cannot be shared out evenly over 3 sites: 1 apart at least",
    )
    assert solve_to_optimum(uneven).objective == 5


def test_four_sessions_paying_alike_are_said_by_the_first_and_the_last(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:169 `{owners[-1]}` -> `{owners[1]}`: from four sessions on, a series'
    alike floor names the first and the last ("UE2-main-01, ..., UE2-main-04"), not the
    second as if it were the last."""
    ue2 = next(u for u in tiny_data["ues"] if u["id"] == "UE2")
    ue2["sites"], ue2["sessions"] = ["NAMUR"], [{"count": 4}]
    (line,) = [f for f in floors(build_model(problem_of(tiny_data))) if "UE2" in f.message]
    assert (line.cost, line.message) == (
        4,
        "UE2-main, 4 sessions (UE2-main-01, ..., UE2-main-04), Marc Dubois (T2): each pays "
        "wherever it may be placed (1 x session a teacher gives away from their home site)",
    )


def test_co_teachers_avoiding_every_day_between_them_pay_wherever_it_goes(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:207 `_why`'s words for a rule other than teacher_travel ("cannot all be
    at their least" -> "can all be ..."): UE3 co-taught by T3, who avoids Tuesdays, and T5,
    who avoids Thursdays and Saturdays: neither's term alone is forced, together 1 a
    session (6 each at weight 6), which the optimum pays."""
    tiny_data["teachers"].append(
        {"id": "T5", "name": "Luc Petit", "home_site": "MONS",
         "avoid": [{"weekday": "thu"}, {"weekday": "sat"}]}
    )  # fmt: skip
    next(t for t in tiny_data["teachers"] if t["id"] == "T3")["avoid"] = [{"weekday": "tue"}]
    next(u for u in tiny_data["ues"] if u["id"] == "UE3")["teachers"] = ["T3", "T5"]
    problem = problem_of(tiny_data)
    (line,) = [f for f in floors(build_model(problem)) if f.rules == ("teacher_avoid",)]
    assert (line.cost, line.message) == (
        12,
        "UE3-main, 2 sessions (UE3-main-01, UE3-main-02): each pays wherever it may be "
        "placed, as its teacher_avoid terms cannot all be at their least (1 x session in a "
        "slot its teacher asked to avoid)",
    )
    optimum = solve_to_optimum(tiny_data)
    assert check(problem, optimum.assignments).costs["teacher_avoid"] >= 12
    assert data_bound(build_model(problem)) <= optimum.objective


def test_profiles_with_one_session_each_and_none_in_common_fold_by_group(
    tiny_data: dict[str, Any],
) -> None:
    """report_fold.py:126 `sessions?` -> `sessions` (a week of "1 session", as the checker
    says it at a target of 0, no longer folded by group: two lines) and :145 `" + by group"`
    said with no session in common ("( + by group: ..."): the two tiny profiles, each with
    its option's one session in a week."""
    from scheduler.check import CostTerm
    from scheduler.report_fold import fold_profiles

    instance = problem_of(tiny_data).instance
    head = "week 14–20 Sep 2026 (2026-W38) has 1 session"
    terms = [
        CostTerm(
            "weekly_load",
            (profile, "2026-W38"),
            1,
            10,
            f"students of {profile}: {head} ({sid}; target ≤ 0)",
        )
        for profile, sid in (("COHORT+OPT-A", "UE2-main-01"), ("COHORT+OPT-B", "UE3-main-01"))
    ]
    (line,) = fold_profiles(terms, instance)
    assert line.message == (
        f"students of COHORT (2 student profiles alike): {head} (by group: UE2-main-01 / "
        "UE3-main-01; target ≤ 0), 1 x 2 profiles"
    )
    assert (line.units, line.cost) == (2, 20)


def test_a_re_solve_without_a_bound_says_unknown_alone() -> None:
    """report.py:56 `resolved and result.bound is not None` -> `resolved`: a re-solve with no
    bound read "bound unknown (among the timetables that move least, ...)", a qualifier of a
    bound it does not have; with one, the qualifier follows it."""
    from scheduler.report import LEAST_DISRUPTION, summary_lines
    from scheduler.solution import Result, Status

    unknown = Result(Status.FEASIBLE, objective=10, bound=None, wall_seconds=2.0)
    assert summary_lines(unknown, ["A"], None, resolved=True) == [
        "status     FEASIBLE",
        "sessions   0/1 placed",
        "objective  10",
        "bound      unknown",
        "time       2.0 s",
    ]
    known = Result(Status.FEASIBLE, objective=10, bound=7, wall_seconds=2.0)
    assert f"bound      7{LEAST_DISRUPTION}" in summary_lines(known, ["A"], None, resolved=True)


def test_a_shared_gap_of_ue_spread_is_noted_and_detail_zero_lists_nothing() -> None:
    """report.py:158 `rule in ("ue_gap", "ue_spread")` -> `rule == "ue_gap"` (ue_spread's
    gaps that two audiences follow read as two mistakes, no note) and :156 `detail and
    len(shown) > detail` -> `len(shown) > detail` (`--detail 0`, which lists no term, said
    "... and 2 more" under each rule)."""
    from scheduler.check import CheckReport, CostTerm
    from scheduler.report import cost_lines

    pair = ("UE2-main-01", "UE2-main-02")
    terms = [CostTerm("ue_spread", pair, 3, 3, f"APP{i}: gap") for i in (1, 2)]
    report = CheckReport((), tuple(terms), {"ue_spread": 6}, 6)
    head = [
        "cost by rule (total 6):",
        "  ue_spread              6  = 6 x weight 1 (day a gap of an evenly spread UE falls "
        "short of the even gap)",
    ]
    assert cost_lines(report, detail=5) == [
        *head,
        "      APP1: gap: 3",
        "      APP2: gap: 3",
        "      (1 gap between the same two sessions, counted once for each audience that "
        "follows them: 2 times in all)",
    ]
    assert cost_lines(report, detail=0) == head


def test_words_of_names_dates_rules_and_lists(tiny_data: dict[str, Any]) -> None:
    """`data/words.py`, each function's words exactly: names on one line (a line break typed
    in a cell), an id not repeated as its name, one day "on", spans across months and years,
    the calendar's window, a rule's slots, lists with their conjunction, one site a day or
    the areas (mutants of words.py:20-135)."""
    from datetime import date

    from scheduler.data import words as w
    from scheduler.data.instance_calendar import DateRule, Window

    tiny_data["teachers"][0]["name"] = "Anne\nLambert"
    tiny_data["fixed_events"][0]["title"] = "Journée\n d'accueil"
    p = problem_of(tiny_data)
    assert w.teacher_label(p, "T1") == "Anne Lambert (T1)"
    assert w.event_label(p.instance.fixed_events[0]) == "Journée d'accueil (ACCUEIL)"
    assert (w.name_and_id("T1", "T1"), w.name_and_id("", "T1")) == ("T1", "T1")
    assert w.during(date(2027, 5, 8), date(2027, 5, 8)) == "on 8 May 2027"
    assert w.during(date(2026, 9, 15), date(2026, 9, 26)) == "in 15–26 Sep 2026"
    spans = [
        ((2026, 11, 26), (2026, 12, 5), "26 Nov–5 Dec 2026"),
        ((2026, 11, 5), (2026, 12, 5), "5 Nov–5 Dec 2026"),
        ((2026, 12, 15), (2027, 1, 10), "15 Dec 2026–10 Jan 2027"),
        ((2026, 9, 15), (2026, 9, 26), "15–26 Sep 2026"),
    ]
    for first, last, said in spans:
        assert w.format_span(date(*first), date(*last)) == said
    assert w.format_window(None, p) == "15–26 Sep 2026"
    week = Window.model_validate({"from": "2026-09-17", "to": "2026-09-24"})
    assert w.format_window(week, p) == "17–24 Sep 2026"

    def rule(**fields: Any) -> str:
        return w.describe_rule(DateRule.model_validate(fields), p)

    assert rule(weekday="sat", slots=["SAT-PM"]) == "Saturdays (slot SAT-PM)"
    assert rule(slots=["SAT-AM", "SAT-PM"]) == "slots SAT-AM, SAT-PM"
    assert rule(slots=[]) == "no slot"
    assert w.join_words(["a"]) == "a"
    assert w.join_words(["a", "b", "c"], "or") == "a, b or c"
    assert w.one_site_a_day(p) == "at one site a day"
    tiny_data["sites"][0]["area"] = "HAINAUT"
    tiny_data["sites"].append(
        {"id": "CHARLEROI", "area": "HAINAUT", "rooms": [{"id": "C-A", "capacity": 10}]}
    )
    tiny_data["sites"].append(
        {"id": "LIEGE", "area": "LIEGE", "rooms": [{"id": "L-A", "capacity": 10}]}
    )
    assert w.one_site_a_day(problem_of(tiny_data)) == (
        "in one area a day (HAINAUT: MONS, CHARLEROI; LIEGE: LIEGE; any other site is an "
        "area of its own)"
    )


def test_the_calendar_s_closures_in_words(tiny_data: dict[str, Any]) -> None:
    """`open_and_closed` (words.py:72-91): slots open up to the last day; a reason closing
    more than three dates as a span with its count of dates (not of slots: Saturday 19 is two
    slots), three dates one by one, the slots of a day left partly open, four reasons then
    how many more."""
    from scheduler.data.words import open_and_closed

    tiny_data["fixed_events"], tiny_data["pins"] = [], []
    strike = ("2026-09-15", "2026-09-17", "2026-09-19", "2026-09-22")
    tiny_data["calendar"]["closures"] = [
        *({"date": day, "reason": "Grève"} for day in strike),
        {"date": "2026-09-24", "reason": "R1"},
        {"date": "2026-09-26", "slots": ["SAT-PM"], "reason": "R2"},
    ]
    assert open_and_closed(None, problem_of(tiny_data)) == (
        "1 teaching slot open; closed: 15–22 Sep 2026 (Grève, 4 dates); 24 Sep 2026 (R1); "
        "26 Sep 2026 (SAT-PM, R2)"
    )
    tiny_data["calendar"]["closures"] = [
        *({"date": day, "reason": "Trois"} for day in strike[:3]),
        *({"date": day, "reason": f"R{k}"} for k, day in enumerate(("2026-09-22", "2026-09-24"))),
    ]
    assert open_and_closed(None, problem_of(tiny_data)) == (
        "2 teaching slots open; closed: 15 Sep 2026 (Trois); 17 Sep 2026 (Trois); 19 Sep 2026 "
        "(Trois); 22 Sep 2026 (R0); 1 more"
    )


def test_a_rule_at_zero_left_out_of_the_recorded_costs_is_no_disagreement() -> None:
    """report.py:116 `result.costs.get(rule, 0) != report.costs.get(rule, 0)` -> `.get(rule)`:
    a solution.json whose costs leave out a rule at 0 agrees with the checker's 0; the mutant
    warned "other costs by rule: site_balance 0 (the checker: 0)". A real difference is
    still said."""
    from scheduler.check import CheckReport
    from scheduler.report import recorded_lines
    from scheduler.solution import Result, Status

    report = CheckReport((), (), {"weekly_load": 10, "site_balance": 0}, 10)
    same = Result(Status.FEASIBLE, objective=10, costs={"weekly_load": 10})
    assert recorded_lines(same, report, edited=False) == []
    other = Result(Status.FEASIBLE, objective=10, costs={"weekly_load": 7, "site_balance": 3})
    assert recorded_lines(other, report, edited=False) == [
        "warning: solution.json records the objective the checker computes, 10, but other "
        "costs by rule: site_balance 3 (the checker: 0), weekly_load 7 (the checker: 10)"
    ]


def test_a_floor_of_two_rules_is_not_said_at_the_first_rule_s_weight(
    tiny_data: dict[str, Any],
) -> None:
    """report.py:334 `... if len(floor.rules) == 1 else 0` dropped: a gap floor paid by
    ue_gap (weight 4) and ue_spread (weight 2) together read "2 x weight 4 = 8", as if ue_gap
    alone paid it; its cost alone is said."""
    from scheduler.report import unavoidable_lines
    from scheduler.solution import Floor

    tiny_data["weights"] = {"ue_gap": 4, "ue_spread": 2}
    instance = problem_of(tiny_data).instance
    gaps = Floor(("ue_gap", "ue_spread"), 8, "UE5: 6 sessions cannot be evenly spread")
    lines = [line.strip() for line in unavoidable_lines((gaps,), 20, None, 5, instance)]
    assert lines == [
        "unavoidable, from the data alone: 8 of 20, whatever the timetable",
        "ue_gap+ue_spread       8",
        "UE5: 6 sessions cannot be evenly spread: 8",
    ]


def test_a_folded_floor_costing_most_is_listed_first(tiny_data: dict[str, Any]) -> None:
    """report.py:323 `sorted(found, key=lambda f: -f.cost)[:detail]` -> `found[:detail]`: the
    floors come most costly first, but two profiles' alike floors (10 each) fold into one of
    20 where they first stood, after one of 15; at `--detail 1` the 20 is the one shown."""
    from scheduler.report import unavoidable_lines
    from scheduler.solution import Floor

    instance = problem_of(tiny_data).instance
    rest = "5 sessions: 1 beyond it"
    floors_said = (
        Floor(("weekly_load",), 15, "students of COHORT: 8 sessions: 1 beyond it"),
        *(Floor(("weekly_load",), 10, f"students of COHORT+OPT-{x}: {rest}") for x in "AB"),
    )
    lines = [line.strip() for line in unavoidable_lines(floors_said, 40, None, 1, instance)]
    assert lines == [
        "unavoidable, from the data alone: 35 of 40, whatever the timetable",
        "weekly_load           35",
        f"students of COHORT (2 student profiles alike): {rest}, for each of the 2: "
        "2 x weight 10 = 20",
        "... and 1 more",
    ]
