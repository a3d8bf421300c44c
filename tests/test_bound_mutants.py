"""From a mutation audit of the lower bound's code (cuts, date order, LP, relaxation, gap and
stability floors): each test pins down what a mutant the suite let live changed, 16 of them
a bound above a proved optimum (a false OPTIMAL) or a model with no timetable where one
exists. Every solve goes through the checker (`solve_to_optimum`); every bound is compared
with that proved optimum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.model.build import build_model
from scheduler.model.data_bound import floors
from scheduler.model.linear_program import linear_program
from scheduler.model.lp_bound import LpBound
from scheduler.model.relaxation import site_relaxation
from scheduler.rules import SOFT_RULES
from tests.conftest import problem_of, solve_to_optimum

TUE = {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:00"}
THU = {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:00"}
SAT_AM = {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:00"}
SAT_PM = {"id": "SAT-PM", "weekday": "sat", "start": "13:00", "end": "16:00"}


def _instance(
    slots: list[dict[str, str]],
    end: str,
    series: list[dict[str, Any]],
    weights: dict[str, int],
    **extra: Any,
) -> dict[str, Any]:
    """One site, one room, one cohort, one teacher, from Tue 15 Sep 2026 to `end`; one UE
    of the given series; every soft rule off but `weights`."""
    ue = {"id": "UE", "teachers": ["T"], "groups": ["G"], "sessions": series}
    ue.update(extra.pop("ue", {}))
    return {
        "name": "audit",
        "calendar": {"start": "2026-09-15", "end": end, "slots": slots},
        "sites": [{"id": "S", "rooms": [{"id": "R", "capacity": 10}]}],
        "groups": [{"id": "G", "size": 5}],
        "teachers": [{"id": "T"}],
        "ues": [ue],
        "weights": {**dict.fromkeys(SOFT_RULES, 0), **weights},
        **extra,
    }


def _lp_bound(data: dict[str, Any]) -> int | None:
    return LpBound(linear_program(site_relaxation(problem_of(data)).model), 10).solve()


def _relaxed_optimum(data: dict[str, Any]) -> int:
    """The site relaxation's own integer optimum: a lower bound too (its LP's is weaker)."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(site_relaxation(problem_of(data)).model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def _data_bound(data: dict[str, Any]) -> int:
    return sum(f.cost for f in floors(build_model(problem_of(data))))


def test_two_sessions_of_a_series_without_minimum_share_one_saturday() -> None:
    """Mutants 16 (`weekend_series_cut` applied to every series) and 50 (the relaxation's
    slot order one slot too far): a series with no `min_days_between` may hold both sessions
    on one Saturday, morning then afternoon: one opening (4), which neither the model, nor
    the relaxation, nor its LP may exceed."""
    data = _instance([SAT_AM, SAT_PM], "2026-09-27", [{"count": 2}], {"saturday_opening": 4})
    assert solve_to_optimum(data).objective == 4
    assert _lp_bound(data) == 4
    assert _relaxed_optimum(data) == 4


def test_a_hole_in_one_session_s_own_days_is_no_hole_of_its_series() -> None:
    """Mutant 7 (`forced_gap_cut` takes its holes from the first session's days only): the
    first session is pinned to Tuesdays, so its own days jump a week, but the series goes
    on on the Thursday between: Tue 15 then Thu 17, 2 days apart, costs nothing."""
    data = _instance(
        [TUE, THU],
        "2026-09-25",
        [{"count": 2}],
        {"ue_gap": 1, "school_holidays": 8},
        ue={"max_days_between": 2},
        pins=[{"session": "UE-main-01", "slot": "TUE"}],
    )
    data["calendar"]["school_holidays"] = {"dates": ["2026-09-22"]}
    assert solve_to_optimum(data).objective == 0


def test_two_sessions_of_a_distinct_day_series_need_two_saturdays_in_the_lp() -> None:
    """Mutant 14 (`weekend_series_cut` only for series of 3+ sessions): two sessions
    `min_days_between` 1 apart, Saturdays only: two openings (8), which the relaxation's LP
    must see (the profile cut alone lets them share a two-slot Saturday: 4)."""
    data = _instance(
        [SAT_AM, SAT_PM],
        "2026-10-04",
        [{"count": 2, "min_days_between": 1}],
        {"saturday_opening": 4},
    )
    assert solve_to_optimum(data).objective == 8
    assert _lp_bound(data) == 8


def test_one_cohort_s_sessions_on_one_slot_saturdays_open_one_saturday_each_in_the_lp() -> None:
    """Mutants 11 (`weekend_profile_cut` only for 3+ placements) and 13 (a slot too many):
    two UEs of one cohort, one session each, on Saturday mornings only. The LP, with
    "opened >= each placement" alone, puts both on every Saturday by halves and opens one
    Saturday in all (4); per profile it sees one session per opened Saturday: 8."""
    data = _instance([SAT_AM], "2026-10-04", [{"count": 1}], {"saturday_opening": 4})
    data["ues"].append({**data["ues"][0], "id": "UE2"})
    assert solve_to_optimum(data).objective == 8
    assert _lp_bound(data) == 8


def _hole(limit: int) -> dict[str, Any]:
    """`test_solver_bound_cuts`' hole (Thu 15 Oct to Tue 3 Nov, 19 days), four sessions
    with the first and last pinned (Thu 8 Oct, Tue 10 Nov), at most `limit` days apart."""
    from tests.test_solver_bound_cuts import _instance as hole

    pins = [
        {"session": "UE-main-01", "date": "2026-10-08"},
        {"session": "UE-main-04", "date": "2026-11-10"},
    ]
    data = hole(4, pins, {"ue_gap": 1})
    data["ues"][0]["max_days_between"] = limit
    return data


def test_the_model_s_own_lp_pays_for_a_hole_to_the_day() -> None:
    """Mutants 1 (holes only from limit + 2 days) and 4 (one day short): the full model's
    linear relaxation, which CP-SAT's search bounds with, pays exactly what the hole forces,
    19 - limit, for a hole just over the limit and for one far over it."""
    for limit, cost in ((7, 12), (18, 1)):
        data = _hole(limit)
        assert solve_to_optimum(data).objective == cost
        assert LpBound(linear_program(build_model(problem_of(data)).model), 10).solve() == cost


def test_the_relaxation_keeps_one_session_per_room_at_a_site() -> None:
    """Mutants 56 (Hall's condition on strict subsets only), 59 (a room too many), 60
    (skipped one session over) and 65 (`_site_capacity` dropped): two UEs of other students
    and teachers, one room, two Tuesdays of which the second is a school holiday. The room
    takes one session a Tuesday: one pays the holiday (8), in the relaxation's LP too."""
    data = _instance([TUE], "2026-09-25", [{"count": 1}], {"school_holidays": 8})
    data["calendar"]["school_holidays"] = {"dates": ["2026-09-22"]}
    data["groups"].append({"id": "H", "size": 5})
    data["teachers"].append({"id": "T2"})
    data["ues"].append({**data["ues"][0], "id": "UE2", "teachers": ["T2"], "groups": ["H"]})
    assert solve_to_optimum(data).objective == 8
    assert _lp_bound(data) == 8


def _lp_and_optimum(m: Any) -> tuple[int | None, int]:
    """The LP bound of a CP-SAT model and its proved optimum."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(m) == cp_model.OPTIMAL
    return LpBound(linear_program(m), 10).solve(), round(solver.objective_value)


def test_an_enforced_upper_side_holds_only_when_its_literal_does() -> None:
    """Mutants 92 (the upper side's slack with the wrong sign: no bite) and 96 (its big-M
    one short: a solution cut off when the literal is false)."""
    from ortools.sat.python import cp_model

    for enforced, expected in ((1, 0), (0, -2)):
        m = cp_model.CpModel()
        e, a, b = (m.new_bool_var(n) for n in "eab")
        m.add(a + b <= 0).only_enforce_if(e)
        m.add(e == enforced)
        m.minimize(-(a + b))
        assert _lp_and_optimum(m) == (expected, expected)


def test_an_enforced_at_most_one_is_free_when_its_literal_is_false() -> None:
    """Mutant 99 (the at-most-one's big-M one short)."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    e, a, b, c = (m.new_bool_var(n) for n in "eabc")
    m.add_at_most_one([a, b, c]).only_enforce_if(e)
    m.add(e == 0)
    m.minimize(-(a + b + c))
    assert _lp_and_optimum(m) == (-3, -3)


def test_a_linear_domain_with_a_hole_keeps_its_whole_hull() -> None:
    """Mutant 97 (the first interval's upper end taken as the row's)."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    x = m.new_int_var(0, 5, "x")
    m.add_linear_expression_in_domain(x, cp_model.Domain.from_intervals([[0, 1], [3, 5]]))
    m.minimize(-x)
    assert _lp_and_optimum(m) == (-5, -5)


@pytest.mark.parametrize(
    ("end", "pins", "cost"),
    [
        ("2026-09-20", [("UE-b-01", {"slot": "SAT-AM"}), ("UE-a-01", {"slot": "SAT-PM"})], 4),
        (
            "2026-09-27",
            [("UE-b-01", {"date": "2026-09-19"}), ("UE-a-01", {"date": "2026-09-26"})],
            8,
        ),
    ],
    ids=["same day", "second series a week first"],
)
def test_a_chain_of_two_series_may_start_with_either_series(
    end: str, pins: list[tuple[str, dict[str, str]]], cost: int
) -> None:
    """Mutants 83 (no successor arc to a session whose last day is the other's first), 84
    (a successor strictly later) and 86 (only the chain's first series may open the date
    order): a UE of two series chained for `ue_gap` (at most 7 days apart), the second
    series' session pinned before the first's, on one Saturday (one opening, 4) or a week
    before (two, 8; 7 days apart: no gap cost)."""
    data = _instance(
        [SAT_AM, SAT_PM],
        end,
        [{"series": "a", "count": 1}, {"series": "b", "count": 1}],
        {"saturday_opening": 4, "ue_gap": 1},
        ue={"max_days_between": 7},
        pins=[{"session": sid, **pin} for sid, pin in pins],
    )
    assert solve_to_optimum(data).objective == cost


@pytest.mark.parametrize(
    ("capacities", "size", "rule", "preferences"),
    [
        ((10, 30), 20, "room_overflow", {"room_capacity": "soft"}),
        ((10, 100), 5, "oversized_room", {}),
    ],
    ids=["overflow", "oversized"],
)
def test_the_relaxation_charges_the_least_any_room_of_a_site_costs(
    capacities: tuple[int, int], size: int, rule: str, preferences: dict[str, str]
) -> None:
    """Mutants 61 (the pooled placement keeps the smallest room: its overflow counted) and
    62 (`oversized_room` counted on the pooled, largest, room): a site with a small and a
    large room, one session whose group fits one of them best. The optimum costs nothing;
    so must the relaxation and its LP."""
    data = _instance([TUE], "2026-09-16", [{"count": 1}], {rule: 1}, preferences=preferences)
    data["sites"][0]["rooms"] = [{"id": f"R{c}", "capacity": c} for c in capacities]
    data["groups"][0]["size"] = size
    assert solve_to_optimum(data).objective == 0
    assert _lp_bound(data) == 0
    assert _relaxed_optimum(data) == 0


def test_an_enforced_clause_or_maximum_binds_nothing_when_its_literal_is_false() -> None:
    """Mutants 104 (a clause's big-M halved: half of it holds unenforced) and 103 (an
    enforced maximum added as if unconditional)."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    e, a = m.new_bool_var("e"), m.new_bool_var("a")
    m.add_bool_or([a]).only_enforce_if(e)
    m.add(e == 0)
    m.minimize(a)
    assert _lp_and_optimum(m) == (0, 0)
    m = cp_model.CpModel()
    e, a = m.new_bool_var("e"), m.new_bool_var("a")
    t = m.new_int_var(0, 1, "t")
    m.add_max_equality(t, [a, 1 - a]).only_enforce_if(e)
    m.add(e == 0)
    m.minimize(t)
    assert _lp_and_optimum(m) == (0, 0)


@pytest.mark.parametrize(
    ("value", "bound"), [(12 + 1e-9, 12), (11.4, 12), (-3.0000001, -3), (1000.5, 1001)]
)
def test_the_dual_value_is_rounded_up_past_float_noise_only(
    value: float, bound: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutants 112 (no tolerance: 12 + 1e-9 read as 13, above an optimum of 12) and 115
    (rounded to nearest: 11.4 read as 11, a weaker bound) and 117 (a tolerance of 1e-3:
    1000.5 read as 1000)."""
    from scheduler.model import lp_bound

    m = _triangle_model()
    monkeypatch.setattr(lp_bound, "dual_bound", lambda lp, duals: value)
    assert LpBound(linear_program(m), 10).solve() == bound


def _triangle_model() -> Any:
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    a, b = m.new_bool_var("a"), m.new_bool_var("b")
    m.add_bool_or([a, b])
    m.minimize(a + b)
    return m


# Two instances of the audit's randomized search (its generator's seeds 56 and 58), where
# the relaxation's series order (`cuts.cumulative_precedence`, per slot and per day) is
# what lifts the LP bound to the values below.
RANDOM = Path(__file__).parent / "bound_instances"


def _random(name: str) -> dict[str, Any]:
    """One of the audit's random instances, as its file gives it."""
    data: dict[str, Any] = yaml.safe_load((RANDOM / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("data", "optimum", "lp"),
    [(_random("rand56"), 11, 9), (_random("rand58"), 23, 10)],
    ids=["56", "58"],
)
def test_the_series_order_per_key_lifts_the_lp_bound(
    data: dict[str, Any], optimum: int, lp: int
) -> None:
    """Mutants 48 (the precedence's last key skipped), 52 (slot order one slot short) and
    66 (`_series_order` dropped): weaker LP bounds (56: 9 -> 7; 58: 10 -> 8)."""
    assert solve_to_optimum(data).objective == optimum
    assert _lp_bound(data) == lp


def test_one_cohort_s_full_saturdays_open_one_saturday_each_in_the_lp() -> None:
    """Mutant 9 (`weekend_profile_cut` counts placements, not slots): two UEs of one
    cohort, one full-Saturday session each: two Saturdays (8), in the LP too."""
    data = _instance(
        [SAT_AM, SAT_PM], "2026-10-04", [{"count": 1, "length": 2}], {"saturday_opening": 4}
    )
    data["ues"].append({**data["ues"][0], "id": "UE2"})
    assert solve_to_optimum(data).objective == 8
    assert _lp_bound(data) == 8


def test_the_fewest_values_of_many_overlapping_options() -> None:
    """Mutants 141 (the packing counts every set, disjoint or not: 13 where one value meets
    all), 137 and 142 (the packing, a weaker bound, for 12 values or for any number) and
    148 (the packing takes the largest sets first)."""
    from scheduler.model.stability_floors import fewest_values

    assert fewest_values([frozenset({"x", f"v{i:02d}"}) for i in range(13)]) == 1
    triangle = [frozenset("ab"), frozenset("bc"), frozenset("ac")]
    singles = [frozenset({f"v{i}"}) for i in range(9)]  # 12 values: 2 + 9 exactly
    assert fewest_values(triangle + singles) == 11
    # 13 values: the packing, smallest first, takes the 7 singles and the 3 pairs (10, the
    # fewest); largest first, the triple would block the pairs (8)
    pairs = [frozenset("ps"), frozenset("qt"), frozenset("ru")]
    singles = [frozenset({f"v{i}"}) for i in range(7)]
    assert fewest_values([frozenset("pqr"), *pairs, *singles]) == 10


def test_a_chain_s_first_date_may_be_its_earliest_day() -> None:
    """Mutant 131 (a session "may fall by" a day only strictly after its first day): two
    series chained for `ue_gap` (at most 2 days apart), closed from Fri 18 to Mon 28 Sep;
    series a within Tue 15 - Thu 17, series b from Thu 17 on. Tue 15 then Thu 17 costs
    nothing, and so must the data bound say (the mutant: Thu 17 then Tue 29, 10)."""
    data = _instance(
        [TUE, THU],
        "2026-10-02",
        [
            {"series": "a", "count": 1, "window": {"from": "2026-09-15", "to": "2026-09-17"}},
            {"series": "b", "count": 1, "window": {"from": "2026-09-17", "to": "2026-10-02"}},
        ],
        {"ue_gap": 1},
        ue={"max_days_between": 2},
    )
    data["calendar"]["closures"] = [{"from": "2026-09-18", "to": "2026-09-28"}]
    assert solve_to_optimum(data).objective == 0
    assert _data_bound(data) == 0


def test_a_series_whose_minimum_exceeds_its_maximum_pays_the_whole_week() -> None:
    """Mutant 125 (the data bound lets two sessions fall a day closer than their
    `min_days_between`): at least 6 days apart on Tuesdays and Thursdays is 7 (Thu to Tue is
    5), 4 beyond a maximum of 3, which the data bound must see whole."""
    data = _instance(
        [TUE, THU],
        "2026-09-25",
        [{"count": 2, "min_days_between": 6, "max_days_between": 3}],
        {"ue_gap": 1},
    )
    assert solve_to_optimum(data).objective == 4
    assert _data_bound(data) == 4
