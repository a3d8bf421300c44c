"""Soft rules of the CP-SAT model, one function each, returning named penalty terms.

Units follow docs/rules.md exactly; the independent checker recomputes them. A rule whose
weight is 0 creates no variables. Terms may carry a constant (e.g. "sites used - 1").
The rules of ITC-2007's curriculum track are in `itc_soft_rules`; `SOFT_RULES` lists them all.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.spacing import GapChain, gap_chains
from scheduler.data.types import WEEKDAYS
from scheduler.model.cuts import (
    day_started,
    days_apart_cut,
    forced_gap_cut,
    weekend_profile_cut,
    weekend_series_cut,
)
from scheduler.model.date_order import date_order, successor_gaps
from scheduler.model.itc_soft_rules import isolated_sessions, min_working_days, room_overflow
from scheduler.model.penalty import Model, Penalty, excess, flag_of
from scheduler.model.stability_floors import fewest_values
from scheduler.model.variables import Variables
from scheduler.rules import OVERSIZE_FACTOR

WEEKEND = ("sat", "sun")


def weekly_load(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sessions a student attends in an ISO week beyond `preferences.group_week_target`."""
    target, out = p.instance.preferences.group_week_target, []
    for i, profile in enumerate(p.profiles):
        per_week: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for s in p.sessions:
            if profile.intersection(s.groups):
                for t in v.starts(s):
                    per_week[p.slots[t].week].append(v.start_var(s, t))
        overs, loads = [], []
        for week, lits in per_week.items():
            if len(lits) > target:
                over = excess(m, sum(lits), target, len(lits) - target, f"load[{i},{week}]")
                entities = ("+".join(sorted(profile)), f"{week[0]}-W{week[1]:02d}")
                out.append(Penalty("weekly_load", entities, over, 1))
                overs.append(over)
                loads.append(sum(lits))
        if overs:
            # Redundant: the total excess is at least the total load beyond the weekly targets,
            # so that the bound sees the pigeonhole argument (many sessions, few weeks).
            m.add(sum(overs) >= sum(loads) - target * len(overs))
    return out


def school_holidays(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sessions held during school holidays."""
    out = []
    for s in p.sessions:
        lits = [v.start_var(s, t) for t in v.starts(s) if p.slots[t].school_holiday]
        if lits:
            out.append(Penalty("school_holidays", (s.id,), sum(lits), 1))
    return out


def _most_days_apart(v: Variables, limit: int, sign: int) -> int:
    """The most units of max(0, sign x (days apart - limit)): days beyond the limit up to the
    last teaching day, or days short of it up to the limit itself (an even gap may be longer
    than the teaching days: a calendar closed for its last weeks)."""
    horizon = v.problem.slots[-1].day if v.problem.slots else 0
    return horizon if sign > 0 else limit


def _days_apart_terms(
    m: Model, v: Variables, rule: str, pairs: list[tuple[Session, Session]], limit: int, sign: int
) -> list[Penalty]:
    out = []
    most = _most_days_apart(v, limit, sign)
    started = day_started(v) if v.for_bound else None  # a strong LP, for the bound only
    for a, b in pairs:
        gap = v.day(b) - v.day(a)
        units = excess(m, sign * gap, sign * limit, most, f"{rule}[{a.id}]")
        if started is not None:
            days_apart_cut(m, started.step(a), started.step(b), limit, sign, units)
        out.append(Penalty(rule, (a.id, b.id), units, 1))
    return out


def _chain_terms(
    m: Model, v: Variables, rule: str, chain: GapChain, limit: int, sign: int
) -> list[Penalty]:
    """Per consecutive sessions of `chain`: max(0, sign x (days apart - limit))."""
    if chain.in_series_order:
        return _days_apart_terms(m, v, rule, list(itertools.pairwise(chain.sessions)), limit, sign)
    most = _most_days_apart(v, limit, sign)
    if v.for_bound:  # a strong LP, heavy for the search (`model/date_order.py`)
        order = date_order(v, chain.sessions, chain.name)
        terms = []
        for k, g in enumerate(order.gaps(), start=1):
            units = excess(m, sign * g, sign * limit, most, f"{rule}[{chain.name},{k}]")
            days_apart_cut(m, order.by(k - 1), order.by(k), limit, sign, units)
            terms.append(Penalty(rule, (chain.name, str(k)), units, 1))
        return terms
    out = []
    for s, gap, last in successor_gaps(v, chain.sessions, chain.name):
        # the last session has no next one: its gap is 0 and, for the even gap, not short
        short = sign * (gap - limit) if sign > 0 else limit * (1 - last) - gap
        units = excess(m, short, 0, most, f"{rule}[{chain.name},{s.id}]")
        out.append(Penalty(rule, (chain.name, s.id), units, 1))
    return out


def ue_gap(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Days between consecutive sessions of a chain (a UE's sessions one audience follows,
    in date order) beyond its `max_days_between`."""
    out = []
    for chain in gap_chains(p):
        if chain.limit is not None:
            terms = _chain_terms(m, v, "ue_gap", chain, chain.limit, 1)
            if chain.in_series_order:
                forced_gap_cut(m, v, chain.sessions, [t.units for t in terms], chain.limit)
            out += terms
    return out


def ue_spread(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Days by which gaps of a chain of an evenly spread UE fall short of span // count."""
    out = []
    for chain in gap_chains(p):
        if chain.target is not None:
            out += _chain_terms(m, v, "ue_spread", chain, chain.target, -1)
    return out


def teacher_avoid(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sessions in slots a teacher asked to avoid, per teacher."""
    out = []
    for s in p.sessions:
        for tid in s.teachers:
            rules = p.teacher[tid].avoid
            if not rules:
                continue
            lits = [
                v.start_var(s, t)
                for t in v.starts(s)
                if any(
                    r.matches(o.date, o.weekday, o.slot)
                    for o in p.occupied(p.slots[t], s.length) or ()
                    for r in rules
                )
            ]
            if lits:
                out.append(Penalty("teacher_avoid", (s.id, tid), sum(lits), 1))
    return out


WeekendUse = dict[tuple[date, str], list[tuple[Session, cp_model.IntVar]]]


def _weekend_use(p: Problem, v: Variables) -> WeekendUse:
    """(session, literal) pairs placing a session at (weekend date, site); made once for both
    weekend rules (a walk over every placement)."""
    known: WeekendUse | None = v.derived.get(("weekend use",))
    if known is not None:
        return known
    use: WeekendUse = defaultdict(list)
    for c, var in v.x.items():
        if c.start.weekday in WEEKEND:
            use[c.start.date, c.site].append((c.session, var))
    v.derived["weekend use",] = use
    return use


def _lits(pairs: list[tuple[Session, cp_model.IntVar]]) -> list[cp_model.IntVar]:
    return [var for _, var in pairs]


def _event_sites(p: Problem) -> set[tuple[date, str]]:
    return {
        (o.date, site) for o, site in p.event_site_days if WEEKDAYS[o.date.weekday()] in WEEKEND
    }


def _opened(
    m: Model, v: Variables, key: tuple[date, str], lits: list[cp_model.IntVar], fixed: bool
) -> cp_model.IntVar | int:
    """The literal 'site opens that weekend day', defined once for both weekend rules."""
    if fixed:
        return 1
    name = f"open[{key[0]},{key[1]}]"
    return v.lazy_defined_bool(("open", *key), name, lambda flag: flag_of(m, flag, lits))


def saturday_opening(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Each weekend date x site where teaching or a fixed event takes place."""
    use, events = _weekend_use(p, v), _event_sites(p)
    out = []
    for key in sorted(set(use) | events):  # by date, then site: the same order in any year
        opened = _opened(m, v, key, _lits(use.get(key, [])), key in events)
        if key not in events:
            weekend_profile_cut(m, p, key, use[key], opened)
            weekend_series_cut(m, p.distinct_day_series, use[key], opened)
        out.append(Penalty("saturday_opening", (str(key[0]), key[1]), opened, 1))
    return out


def half_saturday(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Each opened weekend date x site where some usable slot of the day stays unused."""
    use, events, out = _weekend_use(p, v), _event_sites(p), []
    for key in sorted(set(use) | events):  # by date, then site: the same order in any year
        day, site = key
        opened = _opened(m, v, key, _lits(use.get(key, [])), key in events)
        used = []
        for slot in p.day_slots.get(day, ()):
            if any(
                o.event.site == site and slot.overlaps(o.date, o.start, o.end)
                for o in p.event_occurrences
            ):
                continue
            flag = m.new_bool_var(f"used[{slot.key},{site}]")
            flag_of(m, flag, v.site_occupying(site, slot.index))
            used.append(flag)
        full = m.new_bool_var(f"full[{day},{site}]")
        m.add_min_equality(full, [*used, opened] if used else [opened])
        half = m.new_bool_var(f"half[{day},{site}]")
        m.add(half == opened - full)
        out.append(Penalty("half_saturday", (str(day), site), half, 1))
    return out


def visitor_trips(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Distinct weeks beyond the first in which a visitor (`Teacher.visits`) teaches
    a session or comes for a fixed event that lists them (those weeks are trips already)."""
    out = []
    for t in p.instance.teachers:
        mine = [s for s in p.sessions if t.id in s.teachers]
        there = p.event_weeks(t.id)
        if not t.visits or not (mine or there):
            continue
        weeks: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        taught: dict[tuple[int, int], set[str]] = defaultdict(set)
        for s in mine:
            for start in v.starts(s):
                weeks[p.slots[start].week].append(v.start_var(s, start))
                taught[p.slots[start].week].add(s.id)
        flags = []
        for week, lits in weeks.items():
            if week in there:
                continue  # a fixed event's week: the trip is made anyway
            flag = m.new_bool_var(f"trip[{t.id},{week}]")
            flag_of(m, flag, lits)
            # redundant: at most one start per session, so the LP sees a week's sessions
            m.add(sum(lits) <= len(taught[week]) * flag)
            flags.append(flag)
        if not there:  # redundant: some week is taught, so units are never negative
            m.add(sum(flags) >= 1)
        out.append(Penalty("visitor_trips", (t.id,), sum(flags) + len(there) - 1, 1))
    return out


def _distinct_beyond_first(
    m: Model,
    v: Variables,
    owner: Callable[[Placement], str],
    value: Callable[[Placement], str],
    rule: str,
) -> list[Penalty]:
    """Per owner (a series, a UE), the values (rooms, sites) its placements use beyond the
    first; at least as many as its sessions' own values need between them
    (`stability_floors.fewest_values`)."""
    groups: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
    options: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c, var in v.x.items():
        key, val = owner(c), value(c)
        groups[key].append((val, var))
        options[key][c.session.id].add(val)
    name = f"{rule.removesuffix('_stability')}_used"
    out = []
    for key, pairs in groups.items():
        by_value: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for val, lit in pairs:
            by_value[val].append(lit)
        if len(by_value) < 2:
            continue
        flags = []
        for val, lits in by_value.items():
            flag = m.new_bool_var(f"{name}[{key},{val}]")
            flag_of(m, flag, lits)
            flags.append(flag)
        # Redundant: some value is used, so "used - 1" is never negative. Without it the LP
        # spreads a placement over k values at 1/k each and the bound counts -1 per owner;
        # and as many as its sessions' own values need (sessions each tied to another site).
        fewest = fewest_values(frozenset(vals) for vals in options[key].values())
        m.add(sum(flags) >= max(1, fewest))
        out.append(Penalty(rule, (key,), sum(flags) - 1, 1))
    return out


def room_stability(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Rooms beyond the first used by a series."""
    return _distinct_beyond_first(
        m, v, lambda c: c.session.series_id, lambda c: c.room, "room_stability"
    )


def site_stability(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sites beyond the first used by a UE."""
    return _distinct_beyond_first(m, v, lambda c: c.session.ue, lambda c: c.site, "site_stability")


def teacher_travel(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sessions a teacher gives away from their home site."""
    terms: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for c, var in v.x.items():
        for tid in c.session.teachers:
            home = p.teacher[tid].home_site
            if home is not None and c.site != home:
                terms[c.session.id, tid].append(var)
    return [Penalty("teacher_travel", key, sum(lits), 1) for key, lits in terms.items()]


def oversized_room(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Sessions in a room seating more than `OVERSIZE_FACTOR` times the smallest room that
    could take them (`Problem.smallest_fit`)."""
    terms: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for c, var in v.x.items():
        least = p.smallest_fit[c.session.id]
        if least is not None and p.room[c.room].capacity > OVERSIZE_FACTOR * least:
            terms[c.session.id].append(var)
    return [Penalty("oversized_room", (sid,), sum(lits), 1) for sid, lits in terms.items()]


def site_balance(m: Model, p: Problem, v: Variables) -> list[Penalty]:
    """Session slots at the busiest site minus at the least busy one, over the sites that
    can host sessions (`Problem.hosting_sites`)."""
    sites = list(p.hosting_sites)
    if len(sites) < 2:
        return []
    total = sum(s.length for s in p.sessions)
    count: dict[str, tuple[list[cp_model.IntVar], list[int]]] = {s: ([], []) for s in sites}
    for c, var in v.x.items():
        lits, lengths = count[c.site]
        lits.append(var)
        lengths.append(c.session.length)
    hi, lo = m.new_int_var(0, total, "site_max"), m.new_int_var(0, total, "site_min")
    loads = [cp_model.LinearExpr.weighted_sum(*terms) for terms in count.values()]
    m.add_max_equality(hi, loads)
    m.add_min_equality(lo, loads)
    return [Penalty("site_balance", tuple(sites), hi - lo, 1)]


SoftRule = Callable[[Model, Problem, Variables], list[Penalty]]

SOFT_RULES: dict[str, SoftRule] = {
    "weekly_load": weekly_load,
    "school_holidays": school_holidays,
    "ue_gap": ue_gap,
    "teacher_avoid": teacher_avoid,
    "saturday_opening": saturday_opening,
    "half_saturday": half_saturday,
    "visitor_trips": visitor_trips,
    "room_stability": room_stability,
    "site_stability": site_stability,
    "teacher_travel": teacher_travel,
    "ue_spread": ue_spread,
    "site_balance": site_balance,
    "oversized_room": oversized_room,
    "min_working_days": min_working_days,
    "isolated_sessions": isolated_sessions,
    "room_overflow": room_overflow,
}


def penalties(
    m: Model,
    p: Problem,
    v: Variables,
    left_out: tuple[str, ...] = (),
    between: Callable[[], None] | None = None,
) -> list[Penalty]:
    """Penalty terms of every soft rule with a positive weight (but `left_out`), weights
    filled in; a left-out rule creates no variable or constraint. `between` is called before
    each rule (`build_model`'s time-limit check, which raises)."""
    out = []
    for name, rule in SOFT_RULES.items():
        weight = p.weights.get(name, 0)
        if weight > 0 and name not in left_out:
            if between is not None:
                between()
            out += [Penalty(t.rule, t.entities, t.units, weight) for t in rule(m, p, v)]
    return out
