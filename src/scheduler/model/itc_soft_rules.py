"""The soft rules of ITC-2007's curriculum track (`min_working_days`, `isolated_sessions`)
and of a soft room capacity (`room_overflow`), one function each, as in `soft_rules`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.model.penalty import Model, Penalty, excess, flag_of
from scheduler.model.variables import Variables


def min_working_days(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Dates a series with `min_days` falls short of it."""
    out = []
    for sid, sessions in p.series.items():
        need = sessions[0].min_days
        if not need:
            continue
        by_day: dict[date, list[cp_model.IntVar]] = defaultdict(list)
        for s in sessions:
            for t in v.starts(s):
                by_day[p.slots[t].date].append(v.start_var(s, t))
        flags = []
        for day, lits in by_day.items():
            flag = m.new_bool_var(f"taught[{sid},{day}]")
            flag_of(m, flag, lits)
            flags.append(flag)
        short = excess(m, need - sum(flags), 0, need, f"short_days[{sid}]")
        out.append(Penalty("min_working_days", (sid,), short, 1))
    return out


def isolated_sessions(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sessions of a student profile with none of its sessions just before or just after.

    Per profile, start and length: `alone` = started and neither neighbour slot occupied, exact
    because the hard rules let at most one session of the profile occupy (or start in) a slot.
    A session that fills its day's pattern is a day of its own, never alone: an audit's
    day-long workshops all paid, and so did every Saturday morning of a calendar whose
    Saturday has that one slot (the rule's own advice had it weighted).
    """
    out = []
    for i, profile in enumerate(p.profiles):
        starting: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for s in p.sessions:
            if profile.intersection(s.groups):
                for t in v.starts(s):
                    starting[t, s.length].append(v.start_var(s, t))
        name = "+".join(sorted(profile))
        for (t, length), lits in starting.items():
            if p.fills_day(p.slots[t], length):
                continue
            around: list[cp_model.LinearExpr | int] = [
                sum(lits_near)
                for near in p.adjacent(p.slots[t], length)
                if near is not None
                and (
                    lits_near := [x for s, x in v.occupying(near.index) if profile & set(s.groups)]
                )
            ]
            started: cp_model.LinearExpr | int = sum(lits)
            alone = started
            if around:
                alone = m.new_bool_var(f"alone[{i},{p.slots[t].key},{length}]")
                m.add(alone <= started)
                for occupied in around:
                    m.add(alone <= 1 - occupied)
                m.add(alone >= started - sum(around))
            out.append(Penalty("isolated_sessions", (name, p.slots[t].key), alone, 1))
    return out


def room_overflow(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """With `room_capacity: soft`: students beyond the seats of each session's room."""
    if not p.capacity_is_soft:
        return []
    terms: dict[str, list[cp_model.LinearExpr]] = defaultdict(list)
    for c, var in v.x.items():
        over = p.headcount(c.session) - p.room[c.room].capacity
        if over > 0:
            terms[c.session.id].append(over * var)
    return [Penalty("room_overflow", (sid,), sum(t), 1) for sid, t in terms.items()]
