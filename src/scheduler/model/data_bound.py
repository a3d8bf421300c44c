"""A lower bound of the soft cost from the data alone, known as soon as the model is built.

CP-SAT's bound search and the LP of the relaxation (`model.lp_bound`) take seconds to minutes,
and within a short limit on a large instance neither may answer: a 52-week instance of two
programmes had no bound at all after 30 s, and 10 programmes at 60 s reported CP-SAT's -671,
below the obvious 0. This bound is counted rule by rule, each part valid for every timetable:

- a term that depends on one session's placement alone (a school holiday, an avoided slot, a
  teacher away from home...) costs at least its least value over that session's placements;
- `weekly_load`: a student profile's sessions beyond what its weeks can take at the target
  (per week, the target or the sessions that could start in it, if fewer);
- `visitor_trips`: a visitor comes in as many weeks at least as it has sessions whose possible
  weeks are pairwise disjoint (a greedy packing of them);
- `ue_gap` and `ue_spread`: each series at its own least cost, its sessions on their own
  possible days in order (`min_days_between` apart), every other series ignored: a shortest
  path over (session, day), e.g. 72 for the sample's integration seminar, whose even gap (66
  days) is over its maximum (42);
- every other term at least 0 (the units of a soft rule are never negative).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.spacing import series_max_gap, spread_target
from scheduler.model.build import BuiltModel
from scheduler.model.soft_rules import Penalty
from scheduler.model.variables import Variables

Week = tuple[int, int]
COUNTED_WHOLE = ("weekly_load", "visitor_trips", "ue_gap", "ue_spread")  # not term by term


def data_bound(built: BuiltModel) -> int:
    """The weighted sum of the rule-by-rule least costs (see the module's docstring)."""
    v = built.variables
    literals = _literals(v)
    total = 0
    for term in built.penalties:
        if term.rule not in COUNTED_WHOLE:
            total += term.weight * _least_over_placements(term, literals)
    weights = {t.rule: t.weight for t in built.penalties}
    if weights.get("weekly_load"):
        total += weights["weekly_load"] * weekly_load_least(v.problem, v)
    if weights.get("visitor_trips"):
        total += weights["visitor_trips"] * visitor_trips_least(v.problem, v)
    total += series_gaps_least(v, weights.get("ue_gap", 0), weights.get("ue_spread", 0))
    return total


Literals = dict[int, tuple[str, list[tuple[int, int]]]]


def _literals(v: Variables) -> Literals:
    """Variable index -> (its session, the (x, y) index pair of each of that session's
    placements): the literals one session's placement sets, x for the room, y for the start."""
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c, var in v.x.items():
        pairs[c.session.id].append((var.index, v.y[c.session.id, c.start.index].index))
    out: Literals = {}
    for sid, both in pairs.items():
        for x, y in both:
            out[x] = out[y] = (sid, both)
    return out


def _least_over_placements(term: Penalty, literals: Literals) -> int:
    """The term's least value when it reads one session's placement literals only (exactly
    one x and the y of its start are true), its value when constant, else 0. Units of a
    soft rule are never negative, hence the floor at 0."""
    if isinstance(term.units, int):
        return max(0, term.units)
    flat = cp_model.FlatIntExpr(term.units)
    coefs = {var.index: coef for var, coef in zip(flat.vars, flat.coeffs, strict=True)}
    owners = {literals[i][0] if i in literals else None for i in coefs}
    if len(owners) != 1 or None in owners:
        return 0
    _, both = literals[next(iter(coefs))]
    values = [flat.offset + coefs.get(x, 0) + coefs.get(y, 0) for x, y in both]
    return max(0, min(values, default=0))


def weekly_load_least(p: Problem, v: Variables) -> int:
    """Units of `weekly_load` that every timetable pays: per profile, its sessions minus,
    over the weeks, the target or the sessions that could start that week if fewer."""
    target = p.instance.preferences.group_week_target
    total = 0
    for profile in p.profiles:
        mine = [s for s in p.sessions if profile.intersection(s.groups)]
        per_week: dict[Week, set[str]] = defaultdict(set)
        for s in mine:
            for t in v.starts(s):
                per_week[p.slots[t].week].add(s.id)
        room = sum(min(target, len(ids)) for ids in per_week.values())
        total += max(0, len(mine) - room)
    return total


def visitor_trips_least(p: Problem, v: Variables) -> int:
    """Units of `visitor_trips` (weeks beyond the first) that every timetable pays."""
    total = 0
    for teacher in p.instance.teachers:
        if not teacher.available_only:
            continue
        mine = [s for s in p.sessions if teacher.id in s.teachers]
        total += max(0, _disjoint_sessions(p, v, mine) - 1)
    return total


def _disjoint_sessions(p: Problem, v: Variables, sessions: list[Session]) -> int:
    """How many of `sessions` a greedy pick finds whose possible weeks are pairwise disjoint
    (fewest weeks first): each needs a week of its own."""
    possible = ({p.slots[t].week for t in v.starts(s)} for s in sessions)
    weeks = sorted((w for w in possible if w), key=lambda w: (len(w), min(w)))
    taken: set[Week] = set()
    count = 0
    for own in weeks:
        if not own & taken:
            taken |= own
            count += 1
    return count


def series_gaps_least(v: Variables, gap_weight: int, spread_weight: int) -> int:
    """Weighted `ue_gap` + `ue_spread` that every timetable pays, series by series."""
    p = v.problem
    total = 0
    for sessions in p.chains.values():
        if len(sessions) < 2:
            continue
        limit = series_max_gap(p, sessions[0]) if gap_weight else None
        target = spread_target(p, sessions[0]) if spread_weight else None
        if limit is not None or target is not None:
            total += _chain_least(v, sessions, limit, target, gap_weight, spread_weight)
    return total


def _chain_least(
    v: Variables,
    sessions: tuple[Session, ...],
    limit: int | None,
    target: int | None,
    gap_weight: int,
    spread_weight: int,
) -> int:
    """Least weighted gap cost of one series alone: `best[d]` is the least cost of the
    sessions so far with the last one on day d, carried along the series."""
    p = v.problem
    days = [np.unique([p.slots[t].day for t in v.starts(s)]) for s in sessions]
    if any(len(d) == 0 for d in days):
        return 0  # no timetable at all: nothing to bound
    best = np.zeros(len(days[0]))
    for k in range(1, len(sessions)):
        apart = days[k][:, None] - days[k - 1][None, :]  # new day x previous day
        cost = np.zeros(apart.shape)
        if limit is not None:
            cost += gap_weight * np.maximum(0, apart - limit)
        if target is not None:
            cost += spread_weight * np.maximum(0, target - apart)
        # the order rule, relaxed to days: a later day, or the same one without a minimum
        cost[apart < max(0, sessions[k - 1].min_days_between)] = np.inf
        best = (cost + best[None, :]).min(axis=1)
    least = best.min()
    return int(least) if np.isfinite(least) else 0
