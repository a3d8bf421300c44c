"""Hard rules of the CP-SAT model, one function each (see docs/rules.md).

Rules that concern one placement alone (windows, sites, capacity, features, availability,
pins, fixed events) are applied earlier, when `scheduler.data.domains` filters the
placements the variables are created for.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Collection
from datetime import date
from typing import Any, Protocol

from ortools.sat.python import cp_model

from scheduler.data.precedence import sessions_of
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.model.variables import Variables

Guard = Callable[[str, str], list[cp_model.IntVar]]
"""Enforcement literals of a rule group (family, entity); used by the diagnostic model only."""


def _lits(guard: Guard | None, family: str, entity: str) -> list[cp_model.IntVar]:
    return guard(family, entity) if guard is not None else []


def _at_most_one(
    m: cp_model.CpModel, lits: list[cp_model.IntVar], enforce: list[cp_model.IntVar]
) -> None:
    ct = m.add_at_most_one(lits)
    if enforce:
        ct.only_enforce_if(enforce)


def _add(
    m: cp_model.CpModel,
    bounded: Any,
    enforce: list[cp_model.IntVar],
) -> None:
    ct = m.add(bounded)
    if enforce:
        ct.only_enforce_if(enforce)


def profile_name(profile: frozenset[str]) -> str:
    """A readable, stable name of a student profile, e.g. `COHORT+OPT-A`."""
    return "+".join(sorted(profile))


def placement(m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None) -> None:
    """Every session starts exactly once, in exactly one room."""
    for s in p.sessions:
        m.add_exactly_one(v.start_var(s, t) for t in v.starts(s))
    by_start: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for c, var in v.x.items():
        by_start[c.session.id, c.start.index].append(var)
    for (sid, t), rooms in by_start.items():
        m.add(cp_model.LinearExpr.sum(rooms) == v.y[sid, t])


def no_teacher_double_booking(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """A teacher gives at most one session at a time."""
    for slot in p.slots:
        by_teacher: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for s, lit in v.occupying(slot.index):
            for tid in s.teachers:
                by_teacher[tid].append(lit)
        for tid, lits in by_teacher.items():
            if len(lits) > 1:
                _at_most_one(m, lits, _lits(guard, "teacher_double_booking", tid))


def no_room_double_booking(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """A room hosts at most one session at a time."""
    for (room, _), lits in v.room_slots():
        if len(lits) > 1:
            _at_most_one(m, lits, _lits(guard, "room_double_booking", room))


def no_group_double_booking(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """A student attends at most one session at a time (one constraint per student profile)."""
    # each session's profiles are looked up (`Problem.profiles_of`), not intersected per slot
    # (7 million set intersections at 1,405 sessions); constraints and literals keep their order
    for slot in p.slots:
        by_profile: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for s, lit in v.occupying(slot.index):
            for i in p.profiles_of[s.id]:
                by_profile[i].append(lit)
        for i, profile in enumerate(p.profiles):
            lits = by_profile.get(i, [])
            if len(lits) > 1:
                _at_most_one(m, lits, _lits(guard, "group_double_booking", profile_name(profile)))


def _slots_per_week(
    v: Variables, sessions: list[Session]
) -> dict[tuple[int, int], list[cp_model.LinearExprT]]:
    result: dict[tuple[int, int], list[cp_model.LinearExprT]] = defaultdict(list)
    for s in sessions:
        for t in v.starts(s):
            result[v.problem.slots[t].week].append(s.length * v.start_var(s, t))
    return result


def teacher_weekly_max(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """A teacher's session slots in an ISO week stay within `max_sessions_per_week`."""
    for t in p.instance.teachers:
        if t.max_sessions_per_week is None:
            continue
        mine = [s for s in p.sessions if t.id in s.teachers]
        enforce = _lits(guard, "teacher_weekly_max", t.id)
        for terms in _slots_per_week(v, mine).values():
            _add(m, sum(terms) <= t.max_sessions_per_week, enforce)


def group_weekly_max(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """What any student of a group attends in an ISO week stays within its maximum."""
    for g in p.instance.groups:
        if g.max_sessions_per_week is None:
            continue
        for profile in (pr for pr in p.profiles if g.id in pr):
            concerned = [s for s in p.sessions if profile.intersection(s.groups)]
            enforce = _lits(guard, "group_weekly_max", g.id)
            for terms in _slots_per_week(v, concerned).values():
                _add(m, sum(terms) <= g.max_sessions_per_week, enforce)


def _one_site_per_day(
    m: cp_model.CpModel,
    v: Variables,
    who: str,
    sessions: list[Session],
    enforce: list[cp_model.IntVar] | None = None,
) -> None:
    # Per (date, area), one list of literals per session: a session is placed at most once,
    # so "session in the area that day => flag" is one linear constraint per session, not one
    # implication per room literal. An area is a site unless sites share one (`Site.area`).
    area = v.problem.area
    areas_by_day: dict[date, dict[str, dict[str, list[cp_model.IntVar]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for s in sessions:
        for day, site in v.site_days(s):
            areas_by_day[day][area[site]][s.id].extend(v.at_site_on(s, day, site))
    for day, areas in areas_by_day.items():
        if len(areas) < 2:
            continue
        chosen = []
        for where, by_session in areas.items():
            flag = v.lazy_bool(("site_day", who, day, where), f"site[{who},{day},{where}]")
            for lits in by_session.values():
                if len(lits) == 1:
                    m.add_implication(lits[0], flag)
                else:
                    m.add(cp_model.LinearExpr.sum(lits) <= flag)
            chosen.append(flag)
        _at_most_one(m, chosen, enforce or [])


def teacher_one_site_per_day(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """A teacher works at one site per day (fixed events were applied to the domains)."""
    for t in p.instance.teachers:
        mine = [s for s in p.sessions if t.id in s.teachers]
        enforce = _lits(guard, "teacher_one_site_per_day", t.id)
        _one_site_per_day(m, v, f"teacher:{t.id}", mine, enforce)


def group_one_site_per_day(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """A student is at one site per day (one constraint per student profile)."""
    for i, profile in enumerate(p.profiles):
        concerned = [s for s in p.sessions if profile.intersection(s.groups)]
        enforce = _lits(guard, "group_one_site_per_day", profile_name(profile))
        _one_site_per_day(m, v, f"profile:{i}", concerned, enforce)


def series_order_and_gaps(
    m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
) -> None:
    """Session n+1 of a series starts after session n ends, `min_days_between` days later."""
    for sessions in p.chains.values():
        for a, b in itertools.pairwise(sessions):
            m.add(v.start_index(b) >= v.start_index(a) + a.length)
            if a.min_days_between > 0:
                enforce = _lits(guard, "min_days_between", a.series_id)
                _add(m, v.day(b) >= v.day(a) + a.min_days_between, enforce)


def _series_ends(
    sessions: tuple[Session, ...], last: bool, apart: Collection[str] = ()
) -> list[Session]:
    """The last (or first) session of each series among `sessions`, and each of those `apart`
    from their series' order (`reordered`: a make-up may come after its series' last: the
    model bound it through that last one, and the checker refused its timetable)."""
    chosen: dict[str, Session] = {}
    for s in sessions:
        kept = chosen.get(s.series_id)
        if s.id not in apart and (kept is None or (s.number > kept.number) == last):
            chosen[s.series_id] = s
    return list(chosen.values()) + [s for s in sessions if s.id in apart]


def precedences(m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None) -> None:
    """Every session of `before` ends before any session of `after` starts.

    Series order already holds, so the last `before` and the first `after` of each series
    suffice, with the sessions out of that order (`reordered`) on their own.
    """
    apart = set(p.instance.reordered)
    for i, prec in enumerate(p.instance.precedences):
        enforce = _lits(guard, "precedence", str(i))  # its index in `precedences`, as the loader
        befores = _series_ends(sessions_of(p, prec.before), last=True, apart=apart)
        afters = _series_ends(sessions_of(p, prec.after), last=False, apart=apart)
        for b in befores:
            for a in afters:
                _add(m, v.start_index(a) >= v.start_index(b) + b.length, enforce)


class HardRule(Protocol):
    """A hard rule; `guard` (diagnostic model only) gives enforcement literals per rule group."""

    def __call__(
        self, m: cp_model.CpModel, p: Problem, v: Variables, guard: Guard | None = None
    ) -> None: ...


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
