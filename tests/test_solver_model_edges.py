"""The CP-SAT model's edges a mutation audit of `src/scheduler/model/` found untested.

Each fails under a mutant of the model that the suite let through (named in its docstring)
and passes on the model as it is. Solver tests assert through the independent checker.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from scheduler.check import check
from scheduler.model.solve import SolveOptions, solve
from scheduler.rules import SOFT_RULES
from scheduler.solution import Status
from tests.conftest import problem_of
from tests.test_solver_rules import Data, _all, _set, base, one_slot


def _solve(change: Callable[[Data], None]) -> tuple[Any, Any]:
    data = copy.deepcopy(base())
    change(data)
    problem = problem_of(data)
    return problem, solve(problem, SolveOptions(time_limit=10, workers=1, deterministic=True))


def _checked_optimum(change: Callable[[Data], None]) -> tuple[Any, Any, Any]:
    """The proved optimum of `base()` changed by `change`, confirmed by the checker."""
    problem, result = _solve(change)
    assert result.status == Status.OPTIMAL
    report = check(problem, result.assignments)
    assert report.violations == ()
    assert report.objective == result.objective
    return problem, result, report


two_rooms_at_mons = _all(
    _set("sites.0.rooms", [{"id": "M1", "capacity": 30}, {"id": "M2", "capacity": 30}]),
    _set("ues.0.sites", ["MONS"]),
    _set("ues.1.sites", ["MONS"]),
)


def test_a_teacher_cannot_give_two_sessions_at_once_at_one_site() -> None:
    """H03 (`no_teacher_double_booking` skipping a slot with two sessions): the suite's case
    put the two sessions at two sites, which `teacher_one_site_per_day` forbids anyway."""
    bites = _all(one_slot, two_rooms_at_mons, _set("ues.1.teachers", ["T1"]))
    _, result = _solve(bites)
    assert result.status == Status.INFEASIBLE
    _checked_optimum(_all(one_slot, two_rooms_at_mons))


def test_a_student_cannot_attend_two_sessions_at_once_at_one_site() -> None:
    """H05 (`no_group_double_booking` skipping a slot with two sessions): the suite's case put
    the two sessions at two sites, which `group_one_site_per_day` forbids anyway."""
    bites = _all(one_slot, two_rooms_at_mons, _set("ues.1.groups", ["C"]))
    _, result = _solve(bites)
    assert result.status == Status.INFEASIBLE
    _checked_optimum(_all(one_slot, two_rooms_at_mons))


def test_a_weekly_maximum_counts_the_slots_of_a_long_session() -> None:
    """H06 (`_slots_per_week` counting a session once whatever its length): a session of two
    slots and one of one make three slots of T1's week, over a maximum of two."""
    long_u1 = _set("ues.0.sessions.0.length", 2)
    t1_teaches_both = _set("ues.1.teachers", ["T1"])
    _, result = _solve(_all(long_u1, t1_teaches_both, _set("teachers.0.max_sessions_per_week", 2)))
    assert result.status == Status.INFEASIBLE
    _checked_optimum(_all(long_u1, t1_teaches_both, _set("teachers.0.max_sessions_per_week", 3)))
    _, result = _solve(
        _all(long_u1, _set("ues.1.groups", ["C"]), _set("groups.1.max_sessions_per_week", 2))
    )
    assert result.status == Status.INFEASIBLE


def _saturday_pins(u1_slot: str, u2_slot: str) -> Callable[[Data], None]:
    return _set(
        "pins",
        [
            {"session": "U1-main-01", "date": "2026-09-19", "slot": u1_slot},
            {"session": "U2-main-01", "date": "2026-09-19", "slot": u2_slot},
        ],
    )


def test_one_site_per_day_binds_a_session_with_a_single_placement_that_day() -> None:
    """H11 (`_one_site_per_day` without the implication of a session's only literal of the
    day at a site): T1's two sessions pinned to Saturday's two slots, one at Mons and one at
    Namur (one room each), each with one placement that day."""
    sites = _all(_set("ues.0.sites", ["MONS"]), _set("ues.1.sites", ["NAMUR"]))
    _, result = _solve(_all(sites, _set("ues.1.teachers", ["T1"]), _saturday_pins("AM", "PM")))
    assert result.status == Status.INFEASIBLE
    _, result = _solve(_all(sites, _set("ues.1.groups", ["C"]), _saturday_pins("AM", "PM")))
    assert result.status == Status.INFEASIBLE
    _checked_optimum(_all(sites, _saturday_pins("AM", "PM")))


def test_a_series_without_audience_still_waits_for_its_previous_session_to_end() -> None:
    """H13 (series order `start(b) >= start(a) + length - 1`): a series with no teacher and
    no group (`groups: []`) has no double booking to keep its sessions apart; two sessions of
    two slots each cannot both fit in Saturday's three slots."""

    def change(d: Data) -> None:
        d["calendar"]["closures"] = [{"from": "2026-09-15", "to": "2026-09-18"}]
        d["calendar"]["slots"].append(
            {"id": "EVE", "weekday": "sat", "start": "18:00", "end": "20:00"}
        )
        d["sites"][0]["rooms"].append({"id": "M2", "capacity": 30})
        series = {"count": 2, "length": 2, "groups": []}
        d["ues"] = [{"id": "U1", "teachers": [], "groups": [], "sessions": [series]}]

    _, result = _solve(change)
    assert result.status == Status.INFEASIBLE
    _checked_optimum(_all(change, _set("ues.0.sessions.0.length", 1)))


def test_a_series_one_day_apart_cannot_take_one_saturday_twice() -> None:
    """H14 (`series_order_and_gaps` only from `min_days_between: 2`): one day apart forbids
    the two sessions of U1 on Saturday morning and afternoon, the only open slots."""
    saturday_only = _set("calendar.closures", [{"from": "2026-09-15", "to": "2026-09-18"}])
    two = _set("ues.0.sessions.0.count", 2)
    _, result = _solve(_all(saturday_only, two, _set("ues.0.sessions.0.min_days_between", 1)))
    assert result.status == Status.INFEASIBLE
    _checked_optimum(_all(saturday_only, two))


def _model_cost_range(problem: Any, assignments: Any) -> tuple[int, int]:
    """The least and the most the model's objective can be with every session fixed where
    `assignments` places it: equal when every penalty term is exact (`penalty.excess`,
    `penalty.flag_of`), as the model promises for any solution, not only optimal ones."""
    from ortools.sat.python import cp_model

    from scheduler.model.build import build_model

    chosen = {(a.session, a.date, a.slot, a.room) for a in assignments}
    out = []
    for sense in (1, -1):
        built = build_model(problem)
        for c, var in built.variables.x.items():
            here = (c.session.id, c.start.date, c.start.slot, c.room) in chosen
            built.model.add(var == int(here))
        cost = sum(t.weight * t.units for t in built.penalties)
        built.model.minimize(sense * cost)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 10
        assert solver.solve(built.model) == cp_model.OPTIMAL
        out.append(int(solver.value(cost)))
    return out[0], out[1]


def test_the_model_prices_a_fixed_timetable_exactly(tiny_data: dict[str, Any]) -> None:
    """P01 (`excess` as `over >= expr - limit`), I04 (`isolated_sessions` without
    `alone <= 1 - occupied`) and their like: at the optimum the objective pushes an inexact
    term down, so that the suite's optima never see it, but an intermediate solution (a time
    limit, a neighbourhood step) may carry any value above the real cost. With the timetable
    fixed, the model's objective must be the checker's, minimised or maximised; on the tiny
    optimum and on the greedy timetable of a generated programme (costlier, more terms paid)."""
    from scheduler.construct import greedy_timetable
    from scheduler.data.problem import Problem
    from scheduler.generate import generate_instance
    from tests.conftest import solve_to_optimum

    problem = problem_of(tiny_data)
    assignments = solve_to_optimum(tiny_data).assignments
    report = check(problem, assignments)
    assert _model_cost_range(problem, assignments) == (report.objective, report.objective)
    instance = generate_instance(programmes=1, seed=1, weeks=16)
    every_rule = dict.fromkeys(SOFT_RULES, 1)  # isolated_sessions is off by default
    problem = Problem.build(instance.model_copy(update={"weights": every_rule}))
    greedy = greedy_timetable(problem)
    assert greedy is not None
    report = check(problem, greedy)
    assert report.violations == ()
    assert _model_cost_range(problem, greedy) == (report.objective, report.objective)


def test_a_precedence_waits_for_the_last_session_of_a_longer_series() -> None:
    """H16 (`_series_ends` taking each series' first `before` and last `after`): U1's two
    sessions must both end before U2, pinned to Thursday; Tuesday has one slot. H21 (the
    last `after` of each series, not the first): U2's two sessions both after U1."""
    change = _all(
        _set("ues.0.sessions.0.count", 2),
        _set("precedences", [{"before": "U1", "after": "U2"}]),
        _set("pins", [{"session": "U2-main-01", "date": "2026-09-17"}]),
    )
    _, result = _solve(change)
    assert result.status == Status.INFEASIBLE
    # with U2 on Saturday, U1 takes Tuesday and Thursday
    pin_u2 = _set("pins", [{"session": "U2-main-01", "date": "2026-09-19"}])
    _checked_optimum(_all(change, pin_u2))
    # and U2's two sessions both after U1, pinned to Saturday morning: one slot is left
    later = _all(
        _set("ues.1.sessions.0.count", 2),
        _set("precedences", [{"before": "U1", "after": "U2"}]),
        _set("pins", [{"session": "U1-main-01", "date": "2026-09-19", "slot": "AM"}]),
    )
    _, result = _solve(later)
    assert result.status == Status.INFEASIBLE


def test_the_fewest_values_of_many_overlapping_options_are_a_lower_bound() -> None:
    """F02 (`stability_floors._disjoint` picking every set, disjoint or not): beyond
    `EXACT_VALUES` values the packing must keep to pairwise disjoint sets, or it counts a
    value twice; here one room (R0) meets both sessions. The model's redundant
    `sum(flags) >= fewest` (`soft_rules._distinct_beyond_first`) would then cut off every
    timetable keeping the series in one room, and the floor would exceed the optimum."""
    from scheduler.model.stability_floors import EXACT_VALUES, fewest_values

    many = frozenset(f"R{i}" for i in range(EXACT_VALUES + 1))
    assert fewest_values([many, frozenset({"R0", "X"})]) == 1
    assert fewest_values([many, frozenset({"X", "Y"})]) == 2


def test_a_series_keeps_one_room_among_many_when_one_room_meets_all_its_sessions() -> None:
    """F02 through the solver: U1-main-01 on Tuesday may take R0..R12 (X is away on
    Tuesdays), U1-main-02 on Thursday R0 or X (R1..R12 away on Thursdays): 14 rooms, beyond
    `EXACT_VALUES`, and R0 takes both; room_stability costs nothing."""
    rooms = [{"id": f"R{i}", "capacity": 30} for i in range(13)] + [{"id": "X", "capacity": 30}]
    for room in rooms[1:13]:
        room["unavailable"] = [{"weekday": "thu"}]
    rooms[13]["unavailable"] = [{"weekday": "tue"}]
    weights = {**dict.fromkeys(SOFT_RULES, 0), "room_stability": 5}
    change = _all(
        _set("sites.0.rooms", rooms),
        _set("ues", [{"id": "U1", "teachers": ["T1"], "groups": ["A"], "sites": ["MONS"],
                     "sessions": [{"count": 2}]}]),
        _set("pins", [{"session": "U1-main-01", "date": "2026-09-15"},
                      {"session": "U1-main-02", "date": "2026-09-17"}]),
        _set("weights", weights),
    )  # fmt: skip
    _, result, report = _checked_optimum(change)
    assert report.objective == result.objective == 0


def _only(rule: str, weight: int) -> Callable[[Data], None]:
    return _set("weights", {**dict.fromkeys(SOFT_RULES, 0), rule: weight})


saturday_only = _set("calendar.closures", [{"from": "2026-09-15", "to": "2026-09-18"}])


def test_a_session_followed_on_its_day_is_not_alone() -> None:
    """I06 (`isolated_sessions` looking at the slot before only): on the one Saturday, the
    morning sessions of U1 (A) and U2 (B) are followed by their afternoon ones; nothing is
    alone (the suite's case could use Tuesday and Thursday, days of their own)."""
    change = _all(
        saturday_only,
        _set("ues.0.sessions.0.count", 2),
        _set("ues.1.sessions.0.count", 2),
        _only("isolated_sessions", 2),
    )
    _, result, report = _checked_optimum(change)
    assert report.objective == result.objective == 0


def test_an_evenly_spread_series_may_fall_twice_on_one_day() -> None:
    """S05 (`ue_spread`'s units bounded by the even gap less 1): U1's two sessions can only
    take the one Saturday, 0 days apart: the whole even gap (5 days // 2 sessions) short."""
    change = _all(
        saturday_only,
        _set("ues.0.sessions.0.count", 2),
        _set("ues.0.even_spread", True),
        _only("ue_spread", 3),
    )
    _, result, report = _checked_optimum(change)
    assert report.objective == result.objective == 3 * 2


def test_two_series_of_a_chain_may_share_their_only_day() -> None:
    """D05 (`successor_gaps` dropping "b follows a" where b's last possible day is a's first):
    U1's plenary and practice (two series, one chain for students of A) can only take the one
    Saturday: each may follow the other the same day, else no path, no timetable."""
    series = [{"series": "main", "count": 1}, {"series": "tp", "count": 1}]
    change = _all(
        saturday_only,
        _set("ues.0.sessions", series),
        _set("ues.0.max_days_between", 7),
        _only("ue_gap", 1),
    )
    _, result, report = _checked_optimum(change)
    assert report.objective == result.objective == 0


def test_the_data_bound_of_site_balance_is_the_even_share_when_it_divides() -> None:
    """B06 (`site_balance_floors` rounding (total + 1) / sites up): 4 session slots at two
    sites share 2 and 2 (U1 twice at Mons, U3 at Namur, U2 at either); no floor, optimum 0."""
    from scheduler.model.build import build_model
    from scheduler.model.data_bound import data_bound

    ues = [
        {"id": "U1", "teachers": ["T1"], "groups": ["A"], "sites": ["MONS"],
         "sessions": [{"count": 2}]},
        {"id": "U2", "teachers": ["T2"], "groups": ["B"], "sessions": [{"count": 1}]},
        {"id": "U3", "teachers": ["T2"], "groups": ["B"], "sites": ["NAMUR"],
         "sessions": [{"count": 1}]},
    ]  # fmt: skip
    change = _all(_set("ues", ues), _only("site_balance", 1))
    problem, result, report = _checked_optimum(change)
    assert report.objective == result.objective == 0
    assert data_bound(build_model(problem)) == 0
