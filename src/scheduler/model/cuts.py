"""Redundant constraints: valid for every timetable, they only raise the LP bound.

The soft rules (`soft_rules`) call these on their own terms; each docstring says why the
constraint holds. Hand-derived optima that a too-strong cut would miss: the hole cut in
`tests/test_solver_bound_cuts.py`; the weekend and visitor cuts (and "some value is used" in
`soft_rules`) in `tests/test_solver_objective.py`'s tiny optimum (a full Saturday, a
visitor's single week, series in one room); the per-day gap cut, exact for every pair of
whole dates, in `tests/test_days_apart_cut.py`, and with the chains' order statistics in
`tests/test_rhythm_chains.py` (`_optimum`: the relaxation's own optimum and LP equal the
proved optimum).
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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
    key: tuple[date, str],
    placed: list[tuple[Session, cp_model.IntVar]],
    opened: cp_model.LinearExprT,
) -> None:
    """Redundant: a student profile fills at most the day's slots of an opened site.

    "opened >= each placement" alone lets the LP open a weekend day by 1/k for k fractional
    placements; summed per profile (which cannot be double-booked), the slots it occupies
    there are at most the usable slots of the day times "opened", so the bound sees that many
    weekend sessions need many weekend openings.
    """
    slots = len(p.day_slots.get(key[0], ()))
    if slots == 0:
        return
    loads: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
    for s, var in placed:  # once through the placements (profile by profile: 23 s at 1,986)
        for i in p.profiles_of[s.id]:
            loads[i].append(s.length * var)
    for i in sorted(loads):  # the profiles' order, as before
        if len(loads[i]) > 1:
            m.add(sum(loads[i]) <= slots * opened)


def weekend_series_cut(
    m: Model,
    series_of: dict[str, str],
    placed: list[tuple[Session, cp_model.IntVar]],
    opened: cp_model.LinearExprT,
) -> None:
    """Redundant: sessions of a series on distinct days (`Problem.distinct_day_series`) use a
    weekend day at a site once at most, so their placements there sum to at most "opened".

    The profile cut counts the day's slots: six sessions of a series could fill three
    Saturdays of two slots each in the LP where they need six Saturdays (an audit's 27-session
    certificate: a bound of 32 for timetables of 62 and more).
    """
    by: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    sessions: dict[str, set[str]] = defaultdict(set)
    for s, var in placed:
        key = series_of.get(s.id)
        if key is not None:
            by[key].append(var)
            sessions[key].add(s.id)
    for key in sorted(by):
        if len(sessions[key]) > 1:
            m.add(sum(by[key]) <= opened)


@dataclass(frozen=True)
class Cumulative:
    """A 0/1 step function of a key (a day): 0 before `keys[0]`, `at(j)` from `keys[j]` on,
    never decreasing in whole numbers ("has started by")."""

    keys: list[int]
    at: Callable[[int], cp_model.LinearExprT]

    def by(self, k: int) -> cp_model.LinearExprT:
        """The value at key `k`."""
        i = bisect.bisect_right(self.keys, k)
        return self.at(i - 1) if i else 0


def days_apart_cut(
    m: Model,
    first: Cumulative,
    second: Cumulative,
    limit: int,
    sign: int,
    units: cp_model.IntVar,
) -> None:
    """Redundant: `units` >= max(0, sign x (days from `first` to `second` - limit)), per day.

    With F and S "started by day d" of the two dates, the days beyond the limit are the days
    d with F(d) = 1 and S(d + limit) = 0 (first <= d < second - limit), and the days short of
    it those with S(d + limit) = 1 and F(d) = 0 (second - limit <= d < first); each such d
    counts max(0, F(d) - S(d + limit)) (or the converse), exact in whole numbers. The rule's
    own term compares the average days, which the LP keeps within the limit with both
    sessions spread thinly over the year (a session on either side of the Christmas break by
    halves is "at" the break); per day, the LP pays for every part of a session's mass that
    is too far from the other's. Only for the LP bound: one variable per run of days on which
    neither side changes.
    """
    if not first.keys or not second.keys:
        return

    if sign > 0:
        lo, hi = first.keys[0], second.keys[-1] - limit
    else:
        lo, hi = second.keys[0] - limit, first.keys[-1]
    if hi <= lo:
        return
    points = {lo, hi} | {k for k in first.keys if lo < k < hi}
    points |= {k - limit for k in second.keys if lo < k - limit < hi}
    terms = []
    for j, (a, b) in enumerate(itertools.pairwise(sorted(points))):
        x, y = first.by(a), second.by(a + limit)
        if isinstance(x, int) and isinstance(y, int) and sign * (x - y) <= 0:
            continue  # no timetable can count these days
        part = m.new_int_var(0, 1, f"{units.name}[{j}]")
        m.add(part >= cp_model.LinearExpr.weighted_sum([x, y], [sign, -sign]))
        terms.append((b - a) * part)
    if terms:
        m.add(units >= sum(terms))


class StartedBy:
    """ "Session s has started by key K" as cumulative literals, created once per session.

    `key` maps a dated-slot index to an ordered key (the day, or the slot index itself).
    The expression of (s, K) is a chain of 0/1 variables c_K = c_(K-1) + (starts at K), so
    that each stays short however many starts precede it.
    """

    def __init__(self, m: Model, v: Variables, key: Callable[[int], int], name: str) -> None:
        self._m, self._v, self._key, self._name = m, v, key, name
        self._chains: dict[str, tuple[list[int], list[cp_model.LinearExprT]]] = {}

    def _chain(self, s: Session) -> tuple[list[int], list[cp_model.LinearExprT]]:
        if s.id not in self._chains:
            by_key: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for t in self._v.starts(s):
                by_key[self._key(t)].append(self._v.start_var(s, t))
            keys, exprs = sorted(by_key), list[cp_model.LinearExprT]()
            previous: cp_model.LinearExpr | int = 0
            for k in keys:
                here: cp_model.LinearExpr | int = sum(by_key[k]) + previous
                if k != keys[-1]:
                    c = self._m.new_bool_var(f"{self._name}[{s.id},{k}]")
                    self._m.add(c == here)
                    here = c
                else:
                    here = 1  # every session starts exactly once (placement rule)
                exprs.append(here)
                previous = here
            self._chains[s.id] = (keys, exprs)
        return self._chains[s.id]

    def step(self, s: Session) -> Cumulative:
        """Whether `s` has started by key k, as a step function of k."""
        keys, exprs = self._chain(s)
        return Cumulative(keys, exprs.__getitem__)

    def keys(self, s: Session) -> list[int]:
        """The keys at which `s` may start, ascending."""
        return self._chain(s)[0]

    def by(self, s: Session, k: int) -> cp_model.LinearExprT:
        """1 when `s` starts at a key <= k (0 before its first possible start)."""
        return self.step(s).by(k)


def day_started(v: Variables) -> StartedBy:
    """The model's "session s has started by day d" literals, created once and shared (the
    relaxation's series order and the chains' order statistics both use them)."""
    key = ("day_started",)
    if key not in v.derived:
        slots = v.problem.slots
        v.derived[key] = StartedBy(v.model, v, lambda t: slots[t].day, "day_started")
    started: StartedBy = v.derived[key]
    return started


def cumulative_precedence(
    m: Model,
    started: StartedBy,
    a: Session,
    b: Session,
    gap: int,
) -> None:
    """Redundant: "key(b) >= key(a) + gap" as "b started by K => a started by K - gap", per K.

    The hard rule (`hard_rules.series_order_and_gaps`) compares the sessions' average keys, which the LP satisfies with both
    sessions spread thinly over the whole year (each "on" every date a little); per key, as
    here, the LP must keep a's mass ahead of b's. On the sample the LP bound rose from 841 to
    880 (HiGHS, benchmarks/README.md).
    """
    for k in started.keys(b):
        m.add(started.by(b, k) <= started.by(a, k - gap))
