"""Gaps between sessions in date order, for chains whose order the model does not fix.

The sessions of a chain of several series (`scheduler.data.spacing`) follow one another by
date, whichever series they belong to. With `reached[k][j]` = "at least k+1 of them start by
teaching day j", fixed by `sum_k reached[k][j]` = the sessions started by then and by the
order `reached[k+1][j] => reached[k][j]`, the k-th date in order is the first day reached[k-1]
holds, and the gap between the k-th and the (k+1)-th dates is a linear sum: the lengths of
the teaching days' runs over which exactly k sessions have started. A run with no teaching
day (a holiday) counts whole, so the LP bound sees holes as a series' own order does.

Alone, the LP would satisfy this with every session spread thinly over the year and every
`reached[k][j]` equal: all gaps 0. Each series is in order (a hard rule), so its i-th
session started by day j means i sessions of the chain have (`reached[i-1][j]` at least
that): this ties the order's Booleans to each series' own order, as the LP sees it; and
conversely, k+1 sessions of the chain started means at least k+1-(n-L) of a series of L
have, the others holding n-L at most. Both are implied for whole numbers. Without the
converse the LP's gaps count the days between order statistics that run ahead of the series
(the sample's LP: 827 without, 851 with, once `cuts.days_apart_cut` counts the gaps day by
day; 799 either way before). "Reached by day j, reached by day j+1", implied too, left the
LP where it was.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.data.sessions import Session
from scheduler.model.cuts import Cumulative, day_started
from scheduler.model.variables import Variables


def _series_runs(sessions: tuple[Session, ...]) -> list[list[Session]]:
    """`sessions` cut into their series, each in order."""
    out: dict[str, list[Session]] = {}
    for s in sessions:
        out.setdefault(s.series_id, []).append(s)
    return list(out.values())


@dataclass(frozen=True)
class DateOrder:
    """A chain's order statistics: `reached[k][j]` = "at least k+1 sessions start by `days[j]`"."""

    days: list[int]
    reached: list[list[cp_model.IntVar]]

    def gaps(self) -> list[cp_model.LinearExprT]:
        """Days between the k-th and (k+1)-th earliest dates, k = 1..n-1."""
        runs = [b - a for a, b in itertools.pairwise(self.days)]
        return [
            sum(run * (self.reached[k][j] - self.reached[k + 1][j]) for j, run in enumerate(runs))
            for k in range(len(self.reached) - 1)
        ]

    def by(self, k: int) -> Cumulative:
        """Whether the (k+1)-th earliest date is by day d, as a step function of d."""
        return Cumulative(self.days, lambda j: self.reached[k][j])


def date_order(v: Variables, sessions: tuple[Session, ...], name: str) -> DateOrder:
    """The order statistics of `sessions`, built once per chain `name`, then shared by the
    rules that weigh it."""
    key = ("date_order", name)
    if key not in v.derived:
        v.derived[key] = _build(v, sessions, name)
    order: DateOrder = v.derived[key]
    return order


def _build(v: Variables, sessions: tuple[Session, ...], name: str) -> DateOrder:
    m, slots = v.model, v.problem.slots
    starting: dict[int, list[cp_model.IntVar]] = defaultdict(list)  # day -> start literals
    for s in sessions:
        for t in v.starts(s):
            starting[slots[t].day].append(v.start_var(s, t))
    days = sorted(starting)
    n = len(sessions)
    reached = [[m.new_bool_var(f"reached[{name},{k},{d}]") for d in days] for k in range(n)]
    for j, day in enumerate(days):
        before = sum(reached[k][j - 1] for k in range(n)) if j else 0
        m.add(sum(reached[k][j] for k in range(n)) - before == sum(starting[day]))
        for k in range(n - 1):
            m.add_implication(reached[k + 1][j], reached[k][j])
    started = day_started(v)
    for series in _series_runs(sessions):
        for j, day in enumerate(days):
            for i, s in enumerate(series):
                m.add(reached[i][j] >= started.by(s, day))
                m.add(started.by(s, day) >= reached[i + n - len(series)][j])
    return DateOrder(days, reached)


def successor_gaps(
    v: Variables, sessions: tuple[Session, ...], name: str
) -> list[tuple[Session, cp_model.IntVar, cp_model.IntVar]]:
    """Per session of the chain: the days to the next one in date order, and "it is the
    last" (then 0 days), built once per chain `name`.

    The sessions form a path in date order: a circuit through a dummy node whose arcs are
    "b follows a" Booleans, each enforcing b's day >= a's day and the gap. Within a series
    only the next session may follow (the series is in order); any session of another
    series may. Light for neighbourhood steps (n^2 arcs at most), but its LP says little:
    the relaxation for the bound uses `date_order`.
    """
    key = ("successor", name)
    if key not in v.derived:
        v.derived[key] = _build_successors(v, sessions, name)
    found: list[tuple[Session, cp_model.IntVar, cp_model.IntVar]] = v.derived[key]
    return found


def _day_vars(
    v: Variables, sessions: tuple[Session, ...], day_range: list[tuple[int, int]]
) -> list[cp_model.IntVar]:
    """Per session, a new integer variable equal to its day, within its `day_range`."""
    m = v.model
    days = []
    for s, (lo, hi) in zip(sessions, day_range, strict=True):
        d = m.new_int_var(lo, hi, f"day[{s.id}]")
        m.add(d == v.day(s))
        days.append(d)
    return days


def _build_successors(
    v: Variables, sessions: tuple[Session, ...], name: str
) -> list[tuple[Session, cp_model.IntVar, cp_model.IntVar]]:
    m, slots = v.model, v.problem.slots
    if not all(v.starts(s) for s in sessions):
        return []  # a session with no place: no timetable, nothing to weigh
    day_range = [
        (min(slots[t].day for t in v.starts(s)), max(slots[t].day for t in v.starts(s)))
        for s in sessions
    ]
    horizon = max(hi for _, hi in day_range) - min(lo for lo, _ in day_range)
    days = _day_vars(v, sessions, day_range)
    series = [s.series_id for s in sessions]
    arcs: list[tuple[int, int, cp_model.IntVar]] = []
    gaps, last = [], []
    for i, s in enumerate(sessions):
        gap = m.new_int_var(0, horizon, f"next_gap[{name},{s.id}]")
        is_last = m.new_bool_var(f"last[{name},{s.id}]")
        gaps.append(gap)
        last.append(is_last)
        if i + 1 == len(sessions) or series[i + 1] != series[i]:  # last of its series
            arcs.append((i + 1, 0, is_last))
            m.add(gap == 0).only_enforce_if(is_last)
        else:
            m.add(is_last == 0)
        if i == 0 or series[i - 1] != series[i]:  # first of its series
            arcs.append((0, i + 1, m.new_bool_var(f"first[{name},{s.id}]")))
        for j, b in enumerate(sessions):
            same = series[j] == series[i]
            if (same and j != i + 1) or day_range[j][1] < day_range[i][0]:
                continue
            follows = m.new_bool_var(f"follows[{name},{s.id},{b.id}]")
            arcs.append((i + 1, j + 1, follows))
            m.add(days[j] >= days[i]).only_enforce_if(follows)
            m.add(gap == days[j] - days[i]).only_enforce_if(follows)
    m.add_circuit(arcs)
    return list(zip(sessions, gaps, last, strict=True))
