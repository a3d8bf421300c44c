"""`cuts.days_apart_cut`: the days two dates lie beyond (or short of) a limit, counted per day.

Exact for whole numbers (so it never cuts a timetable off), and stronger than the rule's own
comparison of average days for a session split over two dates.
"""

from __future__ import annotations

import itertools

import pytest
from ortools.sat.python import cp_model

from scheduler.model.cuts import Cumulative, days_apart_cut
from scheduler.model.linear_program import linear_program
from scheduler.model.lp_bound import LpBound

FIRST_DAYS, SECOND_DAYS = [0, 9, 30], [5, 10, 16, 30, 44]  # 9 -> 10: one day; 9 -> 16: 7


def _dated(
    m: cp_model.CpModel, days: list[int], name: str
) -> tuple[list[cp_model.IntVar], Cumulative]:
    """One start literal per day (exactly one holds) and "started by day d"."""
    lits = [m.new_bool_var(f"{name}{d}") for d in days]
    m.add_exactly_one(lits)
    return lits, Cumulative(days, lambda j: sum(lits[: j + 1]))


def _least_units(day_a: int, day_b: int, limit: int, sign: int) -> int:
    """The least `units` the cut allows with the first date on `day_a`, the second on `day_b`."""
    m = cp_model.CpModel()
    a, first = _dated(m, FIRST_DAYS, "a")
    b, second = _dated(m, SECOND_DAYS, "b")
    m.add(a[FIRST_DAYS.index(day_a)] == 1)
    m.add(b[SECOND_DAYS.index(day_b)] == 1)
    units = m.new_int_var(0, 100, "units")
    days_apart_cut(m, first, second, limit, sign, units)
    m.minimize(units)
    solver = cp_model.CpSolver()
    assert solver.solve(m) == cp_model.OPTIMAL
    return int(solver.value(units))


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("limit", [0, 7, 14, 40])
def test_exact_for_whole_dates_in_either_order(limit: int, sign: int) -> None:
    for day_a, day_b in itertools.product(FIRST_DAYS, SECOND_DAYS):
        expected = max(0, sign * (day_b - day_a - limit))
        assert _least_units(day_a, day_b, limit, sign) == expected, (day_a, day_b)


def _split_lp(with_cut: bool) -> int | None:
    """A first date by halves on days 0 and 30, the second on day 30, at most 14 days apart:
    half of the time 30 days apart (16 beyond), half 0: 8 days beyond on average, where the
    average dates (15 and 30) are only 1 beyond."""
    m = cp_model.CpModel()
    (a0, a30), first = _dated(m, [0, 30], "a")
    (b30,), second = _dated(m, [30], "b")
    m.add(a0 == a30)  # by halves (no whole solution: an LP only)
    units = m.new_int_var(0, 100, "units")
    m.add_max_equality(units, [(30 * b30) - (30 * a30) - 14, 0])  # the rule's own term
    if with_cut:
        days_apart_cut(m, first, second, 14, 1, units)
    m.minimize(units)
    return LpBound(linear_program(m), 10).solve()


def test_the_lp_pays_for_each_half_of_a_split_session() -> None:
    assert _split_lp(with_cut=False) == 1
    assert _split_lp(with_cut=True) == 8
