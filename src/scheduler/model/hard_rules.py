"""Hard rules of the CP-SAT model, one function each (see docs/rules.md).

Rules that concern one placement alone (windows, sites, capacity, features, availability,
pins, fixed events) are applied earlier, when `scheduler.data.domains` filters the
placements the variables are created for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from scheduler.data.precedence import sessions_of
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.model.variables import Variables


def placement(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """Every session starts exactly once, in exactly one room."""
    for s in p.sessions:
        m.add_exactly_one(v.start_var(s, t) for t in v.starts(s))
    by_start: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for c, var in v.x.items():
        by_start[c.session.id, c.start.index].append(var)
    for (sid, t), rooms in by_start.items():
        m.add(sum(rooms) == v.y[sid, t])


def no_teacher_double_booking(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """A teacher gives at most one session at a time."""
    for slot in p.slots:
        by_teacher: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for s, lit in v.occupying(slot.index):
            for tid in s.teachers:
                by_teacher[tid].append(lit)
        for lits in by_teacher.values():
            if len(lits) > 1:
                m.add_at_most_one(lits)


def no_room_double_booking(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """A room hosts at most one session at a time."""
    for _, lits in v.room_slots():
        if len(lits) > 1:
            m.add_at_most_one(lits)


def no_group_double_booking(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """A student attends at most one session at a time (one constraint per student profile)."""
    for slot in p.slots:
        occupying = v.occupying(slot.index)
        for profile in p.profiles:
            lits = [lit for s, lit in occupying if profile.intersection(s.groups)]
            if len(lits) > 1:
                m.add_at_most_one(lits)


def _slots_per_week(v: Variables, sessions: list[Session]) -> dict[tuple[int, int], list[cp_model.LinearExprT]]:
    result: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
    for s in sessions:
        for t in v.starts(s):
            result[v.problem.slots[t].week].append(s.length * v.start_var(s, t))
    return result


def teacher_weekly_max(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """A teacher's session slots in an ISO week stay within `max_sessions_per_week`."""
    for t in p.instance.teachers:
        if t.max_sessions_per_week is None:
            continue
        mine = [s for s in p.sessions if t.id in s.teachers]
        for terms in _slots_per_week(v, mine).values():
            m.add(sum(terms) <= t.max_sessions_per_week)


def group_weekly_max(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """What any student of a group attends in an ISO week stays within its maximum."""
    for g in p.instance.groups:
        if g.max_sessions_per_week is None:
            continue
        for profile in (pr for pr in p.profiles if g.id in pr):
            concerned = [s for s in p.sessions if profile.intersection(s.groups)]
            for terms in _slots_per_week(v, concerned).values():
                m.add(sum(terms) <= g.max_sessions_per_week)


def _one_site_per_day(m: cp_model.CpModel, v: Variables, who: str, sessions: list[Session]) -> None:
    sites_by_day: dict[date, dict[str, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    for s in sessions:
        for day, site in v.site_days(s):
            sites_by_day[day][site].extend(v.at_site_on(s, day, site))
    for day, sites in sites_by_day.items():
        if len(sites) < 2:
            continue
        chosen = []
        for site, lits in sites.items():
            flag = v.lazy_bool(("site_day", who, day, site), f"site[{who},{day},{site}]")
            for lit in lits:
                m.add_implication(lit, flag)
            chosen.append(flag)
        m.add_at_most_one(chosen)


def teacher_one_site_per_day(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """A teacher works at one site per day (fixed events were applied to the domains)."""
    for t in p.instance.teachers:
        _one_site_per_day(m, v, f"teacher:{t.id}", [s for s in p.sessions if t.id in s.teachers])


def group_one_site_per_day(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """A student is at one site per day (one constraint per student profile)."""
    for i, profile in enumerate(p.profiles):
        concerned = [s for s in p.sessions if profile.intersection(s.groups)]
        _one_site_per_day(m, v, f"profile:{i}", concerned)


def series_order_and_gaps(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """Session n+1 of a series starts after session n ends, `min_days_between` days later."""
    for sessions in p.series.values():
        for a, b in zip(sessions, sessions[1:], strict=False):
            m.add(v.start_index(b) >= v.start_index(a) + a.length)
            if a.min_days_between > 0:
                m.add(v.day(b) >= v.day(a) + a.min_days_between)


def _series_ends(sessions: tuple[Session, ...], last: bool) -> list[Session]:
    """The last (or first) session of each series among `sessions`."""
    chosen: dict[str, Session] = {}
    for s in sessions:
        kept = chosen.get(s.series_id)
        if kept is None or (s.number > kept.number) == last:
            chosen[s.series_id] = s
    return list(chosen.values())


def precedences(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    """Every session of `before` ends before any session of `after` starts.

    Series order already holds, so the last `before` and the first `after` of each series suffice.
    """
    for prec in p.instance.precedences:
        befores = _series_ends(sessions_of(p, prec.before), last=True)
        afters = _series_ends(sessions_of(p, prec.after), last=False)
        for b in befores:
            for a in afters:
                m.add(v.start_index(a) >= v.start_index(b) + b.length)


HardRule = Callable[[cp_model.CpModel, Problem, Variables], None]

HARD_RULES: tuple[HardRule, ...] = (
    placement,
    no_teacher_double_booking,
    no_room_double_booking,
    no_group_double_booking,
    teacher_weekly_max,
    group_weekly_max,
    teacher_one_site_per_day,
    group_one_site_per_day,
    series_order_and_gaps,
    precedences,
)
