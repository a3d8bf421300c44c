"""A lower bound of the soft cost from the data alone, known as soon as the model is built.

CP-SAT's bound search and the LP of the relaxation (`model.lp_bound`) take seconds to minutes,
and within a short limit on a large instance neither may answer: a 52-week instance of two
programmes had no bound at all after 30 s, and 10 programmes at 60 s reported CP-SAT's -671,
below the obvious 0. This bound is counted rule by rule, each part valid for every timetable:

- a term that depends on one session's placement alone (a school holiday, an avoided slot, a
  teacher away from home...) costs at least its least value over that session's placements,
  and so do one session's terms of a rule together (a session co-taught by teachers living at
  two sites makes one of them travel wherever it goes);
- `weekly_load`: a student profile's sessions beyond what its weeks can take at the target
  (per week, the target or the sessions that could start in it, if fewer);
- `visitor_trips`: a visitor comes in as many weeks at least as the weeks of its fixed events
  and its sessions whose possible weeks are pairwise disjoint and outside those (a greedy
  packing of them);
- `ue_gap` and `ue_spread`: each chain (`data/spacing.py`) at its own least cost, every other
  chain ignored: a shortest path over (k-th session, day), on each session's own possible
  days in order (`min_days_between` apart) for a chain of one series, else on the days the
  k-th date in order may fall on; e.g. 16 for the sample's integration seminar, whose even
  gap (44 days) is over its maximum (42);
- `saturday_opening`: beyond the days fixed events open, each weekend date some session may
  only fall on (a pin), and one weekend day per session of the series that needs most beyond
  those, when its sessions may only fall on weekends and on distinct days (or of sessions that
  each fill a weekend day and share students or a teacher: `model/weekend_floors.py`);
- `site_balance`: the busiest site hosts at least its share of the session slots and those
  of the sessions that may only go there; the least busy one at most those that may go there;
  and the sites' slots, whole sessions each, cannot all be equal when their count does not
  divide evenly (e.g. 29 session slots over two sites: 1) (`model/site_floors.py`);
- `site_stability` and `room_stability`: the fewest sites (rooms) that meet every session of
  the UE (series) where it may go (`model/stability_floors.py`);
- every other term at least 0 (the units of a soft rule are never negative).

`floors` gives these parts one by one, each with its reason in plain words, for the reports:
what the data forces is what no solver, and no longer time limit, can save.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from scheduler.check.placed import day_label, profile_label
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import (
    describe_rule,
    format_date,
    format_span,
    join_words,
    teacher_label,
    teacher_words,
)
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.gap_floors import series_gap_floors
from scheduler.model.penalty import Penalty
from scheduler.model.site_floors import site_balance_floors
from scheduler.model.stability_floors import stability_floors
from scheduler.model.variables import Variables
from scheduler.model.weekend_floors import weekend_opening_floors
from scheduler.rules import SOFT_RULE_INFO
from scheduler.solution import Floor

Week = tuple[int, int]
Literals = dict[int, tuple[str, list[tuple[int, int]]]]
COUNTED_WHOLE = (
    "weekly_load",
    "visitor_trips",
    "ue_gap",
    "ue_spread",
    "site_balance",
    "min_working_days",
    "site_stability",
    "room_stability",
)  # not term by term


def data_bound(built: BuiltModel) -> int:
    """The weighted sum of the rule-by-rule least costs (see the module's docstring)."""
    return sum(f.cost for f in floors(built))


def floors_of(problem: Problem) -> list[Floor]:
    """`floors` without a built model: the variables and soft rules alone (no hard rule),
    for reports on a solution."""
    return floors(build_model(problem, with_hard_rules=False))


def floors(built: BuiltModel) -> list[Floor]:
    """Every part of the data bound that is above 0, with its reason, most costly first."""
    v = built.variables
    weights = {t.rule: t.weight for t in built.penalties}
    out = _single_session_floors(built.penalties, _literals(v), v.problem)
    if weights.get("weekly_load"):
        out += weekly_load_floors(v.problem, v, weights["weekly_load"])
    if weights.get("visitor_trips"):
        out += visitor_trip_floors(v.problem, v, weights["visitor_trips"])
    out += series_gap_floors(v, weights.get("ue_gap", 0), weights.get("ue_spread", 0))
    if weights.get("saturday_opening"):
        out += weekend_opening_floors(v, weights["saturday_opening"])
    if weights.get("site_balance"):
        out += site_balance_floors(v.problem, v, weights["site_balance"])
    if weights.get("min_working_days"):
        out += min_working_days_floors(v, weights["min_working_days"])
    out += stability_floors(v, weights)
    return sorted((f for f in out if f.cost > 0), key=lambda f: (-f.cost, f.rules, f.message))


def _entity_words(term: Penalty, p: Problem) -> str:
    """A term's entities as its cost line says them: `Saturday 2026-09-19 at NAMUR` for a
    weekend day at a site (an audit read "2026-09-19, NAMUR" beside the cost block's words);
    else listed, teachers by name (a cost audit read bare ids here, names in the cost lines)."""
    if term.rule in ("saturday_opening", "half_saturday") and len(term.entities) == 2:
        day, site = term.entities
        try:
            return f"{day_label(date.fromisoformat(day))} at {site}"
        except ValueError:
            return ", ".join(term.entities)
    return ", ".join(_named(e, p) for e in term.entities)


def _named(entity: str, p: Problem) -> str:
    """A teacher's id as its name and id, any other entity as it is."""
    return teacher_label(p, entity) if entity in p.teacher else entity


#: rules whose one-session terms depend on the date: their floors say what limits the dates
DATED_RULES = frozenset({"school_holidays", "teacher_avoid"})


def _single_session_floors(terms: list[Penalty], literals: Literals, p: Problem) -> list[Floor]:
    """Terms above 0 whatever the timetable: constant ones (e.g. a Saturday that a fixed
    event opens) and those of one session that pay wherever the data lets it go; the
    sessions of one series paying the same for the same reason make one line (an audit's
    report gave twelve near-identical lines, one per lab session). A re-solve's sessions
    given are said so: "wherever it may be placed" misdescribed them (a cost audit); teachers
    by name, as the cost lines say them."""
    series = {s.id: s.series_id for s in p.sessions}
    given = p.given
    units = {i.name: i.unit for i in SOFT_RULE_INFO}
    out = []
    alike: dict[tuple[str, int, int, str, tuple[str, ...], bool, str], list[str]]
    alike = defaultdict(list)
    priced = [t for t in terms if t.rule not in COUNTED_WHOLE and t.weight]
    measured = [(t, *_least_over_placements(t, literals)) for t in priced]
    measured += [(t, *_least_over_placements(t, literals)) for t in _together(measured)]
    for term, least, owner in measured:
        if least <= 0:
            continue
        unit = units.get(term.rule, "unit")
        limits = _date_limits(p, owner) if owner and term.rule in DATED_RULES else ""
        if owner is not None and term.entities[:1] == (owner,) and owner in series:
            key = (
                term.rule, term.weight, least, series[owner], term.entities[1:], owner in given,
                limits,
            )  # fmt: skip
            alike[key].append(owner)  # the others named (a teacher who travels) alike too
            continue
        if owner is None:  # the unit is the entity itself when it pays once (an audit read
            # "...: paid whatever the timetable: the instance's fixed events decide it (1 x
            # Saturday (or Sunday) at a site open for a session or a fixed event)")
            counted = "" if least == 1 else f" ({least} x {unit})"
            message = (
                f"{_entity_words(term, p)}: paid whatever the timetable (the instance's fixed "
                f"events){counted}"
            )
        else:
            how = f"as {owner} was given" if owner in given else f"wherever {owner} may be placed"
            message = f"{_entity_words(term, p)}: paid {how} ({least} x {unit}){limits}"
        out.append(Floor((term.rule,), term.weight * least, message))
    return out + [_series_floor(key, owners, p) for key, owners in alike.items()]


def _series_floor(
    key: tuple[str, int, int, str, tuple[str, ...], bool, str], owners: list[str], p: Problem
) -> Floor:
    """The floor of the sessions `owners` of one series paying the same for the same reason
    (`key`: rule, weight, least units, series, the others named, given, date limits)."""
    rule, weight, least, series_id, others, past, limits = key
    unit = {i.name: i.unit for i in SOFT_RULE_INFO}.get(rule, "unit")
    why = ""
    if others == (TOGETHER,):  # what its terms one by one do not force
        others, why = (), f", as {_why(rule)}"
    also = "".join(f", {_named(o, p)}" for o in others)
    where = "as it was given" if past else f"wherever it may be placed{why}"
    if len(owners) == 1:
        message = f"{owners[0]}{also}: paid {where} ({least} x {unit}){limits}"
    else:
        # both of two named: "(UE7-q1-02, ...)" hid the second of two (an audit)
        named = ", ".join(owners) if len(owners) <= 3 else f"{owners[0]}, ..., {owners[-1]}"
        each = f"each {'paid' if past else 'pays'} {where}"
        message = (
            f"{series_id}, {len(owners)} sessions ({named}){also}: {each} ({least} x {unit})"
            f"{limits}"
        )
    return Floor((rule,), weight * least * len(owners), message)


def _date_limits(p: Problem, sid: str) -> str:
    """`; its dates are limited: Céline Favre (V3) is only available 26 Nov–5 Dec 2026`: what
    narrows the dates of session `sid` beyond the calendar (its teachers' stays, its window, a
    pin's date), or nothing. A visitors audit's school-holiday floor did not say that the
    visitor's stay put the session there."""
    session = p.session.get(sid)
    if session is None or sid in p.given:
        return ""
    limits = [
        f"{teacher_words(p, t)} is only available "
        + join_words(describe_rule(r, p) for r in p.teacher[t].available_only)
        for t in session.teachers
        if t in p.teacher and p.teacher[t].available_only
    ]
    if session.window is not None:
        limits.append(f"its window is {format_span(session.window.from_, session.window.to)}")
    limits += [
        f"it is pinned to {format_date(pin.date)}"
        for pin in p.pins_of.get(sid, ())
        if pin.date is not None
    ]
    return f"; its dates are limited: {'; '.join(limits)}" if limits else ""


#: the last entity of a term that stands for one session's terms of a rule counted together
TOGETHER = "(together)"


def _together(measured: list[tuple[Penalty, int, str | None]]) -> list[Penalty]:
    """For each session and rule, its terms counted together, less what each pays alone: a
    session co-taught by teachers living at two sites pays teacher_travel wherever it goes,
    though neither teacher's term alone is forced (a cost audit found the sample's six
    plenaries' 6 unsaid). Only the part above the terms' own floors, so nothing counts twice;
    entities `(session, TOGETHER)`, alike across a series. `measured`: each term with its
    least value and its session (`_least_over_placements`)."""
    by_session: dict[tuple[str, int, str], list[tuple[Penalty, int]]] = defaultdict(list)
    for term, least, owner in measured:
        if owner is not None:
            by_session[term.rule, term.weight, owner].append((term, least))
    out = []
    for (rule, weight, owner), same in by_session.items():
        if len(same) < 2:
            continue
        alone = sum(least for _, least in same)
        units = sum((t.units for t, _ in same), cp_model.LinearExpr.constant(0)) - alone
        out.append(Penalty(rule, (owner, TOGETHER), units, weight))
    return out


def _why(rule: str) -> str:
    """Why one session's terms of `rule` together pay more than each alone."""
    if rule == "teacher_travel":
        return "its teachers live at different sites"
    return f"its {rule} terms cannot all be at their least"


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


def _least_over_placements(term: Penalty, literals: Literals) -> tuple[int, str | None]:
    """The term's least value when it reads one session's placement literals only (exactly
    one x and the y of its start are true), with that session; its value when constant
    (no session); else 0. Units of a soft rule are never negative, hence the floor at 0."""
    if isinstance(term.units, int):
        return max(0, term.units), None
    flat = cp_model.FlatIntExpr(term.units)
    if not flat.vars:
        return max(0, flat.offset), None
    coefs = {var.index: coef for var, coef in zip(flat.vars, flat.coeffs, strict=True)}
    owners = {literals[i][0] if i in literals else None for i in coefs}
    if len(owners) != 1 or None in owners:
        return 0, None
    owner, both = literals[next(iter(coefs))]
    values = [flat.offset + coefs.get(x, 0) + coefs.get(y, 0) for x, y in both]
    return max(0, min(values, default=0)), owner


def weekly_load_floors(p: Problem, v: Variables, weight: int) -> list[Floor]:
    """Per student profile: its sessions minus, over the weeks, the target or the sessions
    that could start that week if fewer, when above 0."""
    target = p.instance.preferences.group_week_target
    out = []
    for profile in p.profiles:
        mine = [s for s in p.sessions if profile.intersection(s.groups)]
        per_week: dict[Week, set[str]] = defaultdict(set)
        for s in mine:
            for t in v.starts(s):
                per_week[p.slots[t].week].add(s.id)
        room = sum(min(target, len(ids)) for ids in per_week.values())
        if len(mine) > room:
            # why not weeks x target (a cost audit's re-solve read 30 weeks holding 59 at 2)
            fewer = sum(len(ids) < target for ids in per_week.values())
            said = f" (fewer may fall in {fewer} of them)" if fewer else ""
            message = (
                f"students of {profile_label(p, profile)}: {count_of(len(mine), 'session')}, "
                f"and the {count_of(len(per_week), 'week')} they may fall in hold at most "
                f"{room} at the target of {target} a week{said}: {len(mine) - room} beyond it"
            )
            out.append(Floor(("weekly_load",), weight * (len(mine) - room), message))
    return out


def visitor_trip_floors(p: Problem, v: Variables, weight: int) -> list[Floor]:
    """Per visitor: one week beyond the first for each further week of its fixed events, or
    session whose possible weeks share none with the others' nor those (`_disjoint_sessions`)."""
    out = []
    for teacher in p.instance.teachers:
        if not teacher.visits:
            continue
        mine = [s for s in p.sessions if teacher.id in s.teachers]
        there = p.event_weeks(teacher.id)
        alone = _disjoint_sessions(p, v, mine, there)
        crowded = _weeks_by_capacity(p, v, mine, there)
        cap = _weekly_cap(p, mine)
        if crowded <= _weeks_by_capacity(p, v, mine, there, capped=False):
            cap = None  # the slots alone need those weeks: say so
        apart = len(there) + max(alone, crowded)
        if apart > 1:
            beyond = f"{apart - 1} {'week' if apart == 2 else 'weeks'} beyond the first"
            who = teacher_label(p, teacher.id)
            # not "has 2 sessions": a visitor of 4 read as one of 2 (an audit)
            events = " and fixed events" if there else ""
            message = (
                f"{who} must come in {apart} different weeks at least "
                f"({count_of(len(mine), 'session')}{events} that cannot all share one): {beyond}"
            )
            if crowded > alone:
                fewer = ["the weeks of its fixed events"] if there else []
                if crowded > 1:
                    fewer.append(count_of(crowded - 1, "other week" if there else "week"))
                each = "one at a time" if cap is None else f"at most {cap} a week (weekly maxima)"
                message = (
                    f"{who}: {count_of(len(mine), 'session')}, {each}, cannot all "
                    f"start in {' and '.join(fewer)}: {beyond}"
                )
            elif there:
                message = (
                    f"{who} comes for fixed events in {count_of(len(there), 'week')}, and "
                    f"their sessions need {count_of(alone, 'other week')} at least: {beyond}"
                )
            out.append(Floor(("visitor_trips",), weight * (apart - 1), message))
    return out


def min_working_days_floors(v: Variables, weight: int) -> list[Floor]:
    """A series with `min_days` M short of it whatever the timetable: fewer sessions than M,
    or fewer dates they may fall on (an audit's `count: 3, min_days: 4` paid 5 each time,
    said as an ordinary cost)."""
    p = v.problem
    out = []
    for sid, sessions in sorted(p.series.items()):
        need = sessions[0].min_days
        if not need:
            continue
        dates = {p.slots[t].date for s in sessions for t in v.starts(s)}
        most = min(len(sessions), len(dates))
        if most >= need:
            continue
        why = (
            f"its {count_of(len(sessions), 'session')}"
            if len(sessions) <= len(dates)
            else f"the {count_of(len(dates), 'date')} its sessions may fall on"
        )
        message = (
            f"{sid}: {why} cannot reach min_days {need}; lower its min_days to {most} "
            f"({need - most} x short day)"
        )
        out.append(Floor(("min_working_days",), weight * (need - most), message))
    return out


def _weeks_by_capacity(
    p: Problem, v: Variables, sessions: list[Session], taken: frozenset[Week], capped: bool = True
) -> int:
    """The fewest weeks beyond `taken` that `sessions` of one teacher need, counting in each
    week the dated slots where one of them may start (one teacher, one session per slot):
    an audit's visitor with three sessions and three possible slots, one in a week and two in
    the next, paid a second trip that the report did not call unavoidable."""
    starts: dict[Week, set[int]] = defaultdict(set)
    for s in sessions:
        for t in v.starts(s):
            starts[p.slots[t].week].add(t)
    cap = _weekly_cap(p, sessions) if capped else None

    def fits(week: Week) -> int:
        return min(len(starts[week]), cap) if cap is not None else len(starts[week])

    left = len(sessions) - sum(fits(w) for w in taken if w in starts)
    room = sorted((fits(w) for w in starts if w not in taken), reverse=True)
    weeks = 0
    while left > 0 and weeks < len(room):
        left -= room[weeks]
        weeks += 1
    return weeks


def _weekly_cap(p: Problem, sessions: list[Session]) -> int | None:
    """The most of `sessions` (one teacher's) one week can hold by the weekly maxima: the
    teacher's, and that of students who attend them all, in session slots over the shortest
    session; None: no maximum (a Québec audit's visitor, free ten days over two weeks, had
    five sessions for a cohort of at most three a week: a second trip left unsaid)."""
    if not sessions:
        return None
    maxima: list[int] = []
    for tid in set.intersection(*(set(s.teachers) for s in sessions)):
        week_max = p.teacher[tid].max_sessions_per_week if tid in p.teacher else None
        maxima += [week_max] if week_max is not None else []
    common = set.intersection(*(set(p.profiles_of[s.id]) for s in sessions))
    maxima += [m for i in common if (m := p.profile_week_max[i]) is not None]
    if not maxima:
        return None
    return min(maxima) // max(1, min(s.length for s in sessions))


def _disjoint_sessions(
    p: Problem, v: Variables, sessions: list[Session], taken: frozenset[Week]
) -> int:
    """How many of `sessions` a greedy pick finds whose possible weeks are pairwise disjoint
    and outside the weeks `taken` already (fewest weeks first): each needs a week of its own."""
    possible = ({p.slots[t].week for t in v.starts(s)} for s in sessions)
    weeks = sorted((w for w in possible if w), key=lambda w: (len(w), min(w)))
    count = 0
    for own in weeks:
        if not own & taken:
            taken |= own
            count += 1
    return count
