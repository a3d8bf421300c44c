"""Redundant constraints: valid for every timetable, they only raise the LP bound.

The soft rules (`soft_rules`) call these on their own terms; each docstring says why the
constraint holds. Hand-derived optima that a too-strong cut would miss: the hole cut in
`tests/test_solver_bound_cuts.py`; the weekend and visitor cuts (and "some value is used" in
`soft_rules`) in `tests/test_solver_objective.py`'s tiny optimum (a full Saturday, a
visitor's single week, series in one room).
"""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.model.variables import Variables

Model = cp_model.CpModel


def forced_gap_cut(
    m: Model,
    v: Variables,
    sessions: tuple[Session, ...],
    excess: list[cp_model.LinearExprT],
    limit: int,
) -> None:
    """Redundant: a pair of consecutive sessions on both sides of a hole pays for the hole.

    A hole is a run of days on which no session of the series can start, between start days
    `a` and `b` with `b - a > limit` (a closure, a holiday the teachers are away...). The
    sessions are in order, so with `before_k` = "session k starts by day a", session k is the
    last one before the hole exactly when `before_k - before_(k+1)` is 1, and then the pair
    (k, k+1) is at least `b - a` days apart. As the LP sees a session's day as an average, it
    would otherwise place a session "in" the hole and see no cost.
    """
    slots = v.problem.slots
    days = sorted({slots[t].day for s in sessions for t in v.starts(s)})
    holes = [(a, b) for a, b in itertools.pairwise(days) if b - a > limit]
    for a, b in holes:
        before = [
            sum(v.start_var(s, t) for t in v.starts(s) if slots[t].day <= a) for s in sessions
        ]
        for k, units in enumerate(excess):
            m.add(units >= (b - a - limit) * (before[k] - before[k + 1]))


def weekend_profile_cut(
    m: Model,
    p: Problem,
    key: tuple[object, str],
    placed: list[tuple[Session, cp_model.IntVar]],
    opened: cp_model.LinearExprT,
) -> None:
    """Redundant: a student profile fills at most the day's slots of an opened site.

    "opened >= each placement" alone lets the LP open a weekend day by 1/k for k fractional
    placements; summed per profile (which cannot be double-booked), the slots it occupies
    there are at most the usable slots of the day times "opened", so the bound sees that many
    weekend sessions need many weekend openings.
    """
    slots = len(p.day_slots.get(key[0], ()))  # type: ignore[call-overload,arg-type]
    if slots == 0:
        return
    for profile in p.profiles:
        load = [s.length * var for s, var in placed if profile.intersection(s.groups)]
        if len(load) > 1:
            m.add(sum(load) <= slots * opened)
