"""Minimal perturbation: what moving a published session costs, and keeping the past fixed.

Per session with a published placement, the disruption is
  (w_date x [date or slot changed] + w_week x whole weeks between the two dates
   + w_site x [site changed] + w_room x [room changed])
  x people affected (students of its groups + its teachers)
  x w_soon when its published date lies within `soon_days` of today.
Defaults: w_date 100, w_week 10, w_site 30, w_room 10, w_soon 3, soon_days 14 (UniTime's
minimal perturbation mode weighs time over room changes the same way, and counts how far a
class moves). A move within six days costs w_date; six weeks away, w_date + 6 x w_week: of two
moves otherwise alike, the nearer one is chosen (an audit saw a session sent six weeks later
rather than one, on 4 points of soft cost), while moving one session six weeks still costs
less than moving two by a week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.model.build import BuiltModel, build_model
from scheduler.resolve.apply import Revision
from scheduler.solution import Assignment


@dataclass(frozen=True)
class DisruptionWeights:
    """Weights of the disruption objective (see the module docstring)."""

    date: int = 100
    week: int = 10
    site: int = 30
    room: int = 10
    soon: int = 3
    soon_days: int = 14


def people(built: BuiltModel, session_id: str) -> int:
    """Students and teachers a session concerns."""
    p = built.variables.problem
    s = p.session[session_id]
    return p.headcount(s) + len(s.teachers)


def published_at(c: Placement, old: Assignment | None) -> bool:
    """Whether placement `c` is the published one, `old` (date, slot and room)."""
    return old is not None and (c.start.date, c.start.slot, c.room) == (
        old.date,
        old.slot,
        old.room,
    )


def forbid_the_past(built: BuiltModel, revision: Revision) -> None:
    """Sessions not frozen go where `Revision.may_place` allows: from today on, on today
    itself only in the slot and at the site they were published at (another room there if
    need be)."""
    v, p = built.variables, built.variables.problem
    for s in p.sessions:
        if s.id in revision.frozen:
            continue
        for t in v.starts(s):
            if not revision.may_start(s.id, p.slots[t].date, p.slots[t].slot):
                built.model.add(v.start_var(s, t) == 0)
    for c, var in v.x.items():  # a session staying today stays at its site
        sid, day = c.session.id, c.start.date
        today = day == revision.today and sid not in revision.frozen
        if today and not revision.may_place(sid, day, c.start.slot, c.room, p.room_site):
            built.model.add(var == 0)


def _total(lits: Iterable[cp_model.IntVar]) -> cp_model.LinearExpr | int:
    """The sum of `lits` (0 when there are none)."""
    total: cp_model.LinearExpr | int = 0
    for lit in lits:
        total = total + lit
    return total


def _weeks_away(built: BuiltModel, sid: str, published: dt.date) -> cp_model.LinearExpr | int:
    """The whole weeks between a session's date and its published one (0 within six days)."""
    v = built.variables
    s = v.problem.session[sid]
    lits, weeks = [], []
    for t in v.starts(s):
        if away := abs((v.problem.slots[t].date - published).days) // 7:
            lits.append(v.start_var(s, t))
            weeks.append(away)
    return cp_model.LinearExpr.weighted_sum(lits, weeks) if lits else 0


def disruption(built: BuiltModel, revision: Revision, w: DisruptionWeights) -> cp_model.LinearExprT:
    """The disruption of the timetable relative to the published one, as a linear expression."""
    v, p = built.variables, built.variables.problem
    by_session: dict[str, list[tuple[Placement, cp_model.IntVar]]] = {}
    for c, var in v.x.items():
        by_session.setdefault(c.session.id, []).append((c, var))
    terms: list[cp_model.LinearExprT] = []
    soon = revision.today + dt.timedelta(days=w.soon_days)
    for sid, old in revision.previous.items():
        if sid not in p.session or sid in revision.frozen:
            continue
        placements = by_session.get(sid, [])
        same_time = _total(
            var for c, var in placements if (c.start.date, c.start.slot) == (old.date, old.slot)
        )
        site0 = p.room_site.get(old.room)
        same_site = _total(var for c, var in placements if c.site == site0)
        same_room = _total(var for c, var in placements if c.room == old.room)
        weeks = _weeks_away(built, sid, old.date) if w.week else 0
        factor = people(built, sid) * (w.soon if revision.today <= old.date < soon else 1)
        terms.append(
            factor
            * (
                w.date * (1 - same_time)
                + w.week * weeks
                + w.site * (1 - same_site)
                + w.room * (1 - same_room)
            )
        )
    return sum(terms)


def re_solve_hard_model(problem: Problem, revision: Revision) -> BuiltModel:
    """The re-solve's hard rules: the instance's, and nothing new before or on today
    (`forbid_the_past`), with the published placements hinted (`hint_published`); no
    objective yet."""
    built = build_model(problem, with_objective=False)
    forbid_the_past(built, revision)
    hint_published(built, revision)
    return built


def hint_published(built: BuiltModel, revision: Revision) -> None:
    """Hint the published placements (what stays the same is the likeliest answer); a
    cancelled session has no published placement to keep."""
    v = built.variables
    previous = {k: a for k, a in revision.previous.items() if k not in revision.cancelled}
    for c, var in v.x.items():
        built.model.add_hint(var, int(published_at(c, previous.get(c.session.id))))
    for (sid, t), var in v.y.items():
        old = previous.get(sid)
        slot = v.problem.slots[t]
        built.model.add_hint(
            var, 1 if old is not None and (slot.date, slot.slot) == (old.date, old.slot) else 0
        )
