"""Soft rules of docs/rules.md: each `cost_<rule>` states its units and returns its cost terms.

Units follow the table of docs/rules.md exactly; a term's cost is units x the rule's
effective weight (`Problem.weights`). Only terms with positive units are returned, and a
rule with weight 0 returns none. The solver's objective is compared against these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, time

from scheduler.check.placed import (
    Placed,
    Timetable,
    any_rule_matches,
    capacity_is_soft,
    concerns,
    day_label,
    headcount,
    is_weekend,
    profile_label,
    slot_overlaps,
    week_label,
    week_words,
)
from scheduler.check.report import CostTerm, Raw, positive_terms
from scheduler.check.rhythm import cost_ue_gap, cost_ue_spread
from scheduler.data.instance import UE, Series
from scheduler.data.problem import Problem
from scheduler.data.sessions import series_id
from scheduler.data.types import count_of
from scheduler.data.words import event_label, room_words, teacher_label
from scheduler.rules import OVERSIZE_FACTOR

SoftCheck = Callable[[Problem, Timetable], list[CostTerm]]


def _terms(problem: Problem, rule: str, raw: Iterable[Raw]) -> list[CostTerm]:
    """Cost terms of `rule`, weighted by its effective weight."""
    return positive_terms(rule, problem.weights.get(rule, 0), raw)


def _series_of(problem: Problem) -> dict[str, tuple[UE, Series]]:
    """Each series id with its UE and series definition."""
    return {series_id(ue, s): (ue, s) for ue in problem.instance.ues for s in ue.sessions}


def cost_weekly_load(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per student profile and ISO week: sessions concerning it beyond the week target."""
    target = problem.instance.preferences.group_week_target

    def raw() -> Iterable[Raw]:
        for prof in problem.profiles:
            count: dict[tuple[int, int], list[Placed]] = defaultdict(list)
            for p in sorted(tt.placed, key=lambda p: (p.begins, p.id)):
                if concerns(p.session.groups, prof):
                    count[p.week].append(p)
            who = profile_label(problem, prof)
            for week, placed in sorted(count.items()):
                n = len(placed)
                if n <= target:
                    continue
                named = ", ".join(p.id for p in placed)  # which to move: an audit
                msg = (
                    f"students of {who}: week {week_words(week)} has {count_of(n, 'session')} "
                    f"({named}; target ≤ {target})"
                )
                yield (who, week_label(week)), n - target, msg

    return _terms(problem, "weekly_load", raw())


def cost_school_holidays(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """One unit per session whose date is a school holiday."""
    raw = (
        (
            (p.id, p.date.isoformat()),
            1,
            f"{p.id} is on {p.date.isoformat()}, a school holiday ({name})",
        )
        for p in tt.placed
        if (name := p.slots[0].school_holiday) is not None
    )
    return _terms(problem, "school_holidays", raw)


def cost_teacher_avoid(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """One unit per (session, teacher) where an occupied slot matches a teacher's `avoid` rule."""

    def raw() -> Iterable[Raw]:
        for p in tt.placed:
            for tid in dict.fromkeys(p.session.teachers):
                hit = [s.slot for s in p.slots if any_rule_matches(problem.teacher[tid].avoid, s)]
                if hit:
                    when = f"{p.date.isoformat()} ({'+'.join(hit)})"
                    yield (
                        (tid, p.id),
                        1,
                        f"{teacher_label(problem, tid)} teaches {p.id} on {when}, a slot "
                        "they asked to avoid",
                    )

    return _terms(problem, "teacher_avoid", raw())


def _opened(problem: Problem, tt: Timetable) -> list[tuple[date, str]]:
    """(weekend date, site) pairs where a session is placed or a fixed event takes place."""
    found = {(p.date, p.site) for p in tt.placed if is_weekend(p.date)}
    found |= {(o.date, site) for o, site in problem.event_site_days if is_weekend(o.date)}
    return sorted(found)


def _taught_on(tt: Timetable) -> dict[tuple[date, str], list[str]]:
    """The sessions each (date, site) holds, by start."""
    out: dict[tuple[date, str], list[str]] = defaultdict(list)
    for p in sorted(tt.placed, key=lambda p: (p.begins, p.id)):
        out[p.date, p.site].append(p.id)
    return out


def cost_saturday_opening(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """One unit per (Saturday or Sunday date, site) where a session or a fixed event takes place."""
    events: dict[tuple[date, str], list[str]] = defaultdict(list)
    for o, site in problem.event_site_days:  # online, abroad or a deadline: no building opens
        events[o.date, site].append(event_label(o.event))
    taught = _taught_on(tt)

    cal = problem.instance.calendar

    def why(day: date, site: str) -> str:
        named = ", ".join(taught.get((day, site), ()))  # which to move: an audit
        if (day, site) not in events:
            return f"teaching ({named})"
        held = list(dict.fromkeys(events[day, site]))
        fixed = f"the fixed event{'s' if len(held) > 1 else ''} {', '.join(held)}"
        if not cal.start <= day <= cal.end:  # counted as the rule says; a manager asked why
            fixed += f", {'before' if day < cal.start else 'after'} the calendar"
        # the event opens it anyway: moving the sessions would save nothing (an audit)
        return f"{fixed}; its sessions that day ({named}) cost nothing more" if named else fixed

    raw = (
        (
            (site, day.isoformat()),
            1,
            f"{day_label(day)} at {site}: the site opens for {why(day, site)}",
        )
        for day, site in _opened(problem, tt)
    )
    return _terms(problem, "saturday_opening", raw)


def cost_half_saturday(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """One unit per opened (weekend date, site) where a usable slot of that date is left unused."""

    taught = _taught_on(tt)

    def raw() -> Iterable[Raw]:
        for day, site in _opened(problem, tt):
            used = {s for p in tt.placed if p.site == site for s in p.slots}
            events = [o for o in problem.event_occurrences if o.event.site == site]
            idle = [
                s.slot
                for s in problem.day_slots.get(day, ())
                if s not in used and not any(slot_overlaps(s, o) for o in events)
            ]
            if idle:
                held = [*taught.get((day, site), ())]
                held += dict.fromkeys(event_label(o.event) for o in events if o.date == day)
                idle_text = ", ".join(idle)
                msg = (
                    f"{day_label(day)} at {site}: only part of the day is used "
                    f"({idle_text} idle; used by {', '.join(held)})"
                )
                if len(idle) == len(problem.day_slots.get(day, ())):  # an event between slots
                    msg = (
                        f"{day_label(day)} at {site}: the site opens for {', '.join(held)}, "
                        f"outside its slots, and none of them is used ({idle_text} idle)"
                    )
                yield (site, day.isoformat()), 1, msg

    return _terms(problem, "half_saturday", raw())


def cost_visitor_trips(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per visitor (`available_only` rules giving dates, `Teacher.visits`): distinct weeks
    of their sessions and of the fixed events held at a site that list them, beyond one."""

    def raw() -> Iterable[Raw]:
        for t in problem.instance.teachers:
            if not t.visits:
                continue
            events: dict[tuple[int, int], set[str]] = defaultdict(set)
            for e in problem.instance.fixed_events:  # online or abroad: no trip (a review)
                for day in e.dates if t.id in e.teachers and e.site is not None else ():
                    iso = day.isocalendar()
                    events[iso.year, iso.week].add(e.id)
            taught: dict[tuple[int, int], list[str]] = defaultdict(list)
            for p in sorted(tt.placed, key=lambda p: (p.begins, p.id)):
                if t.id in p.session.teachers:
                    taught[p.week].append(p.id)
            weeks = sorted(set(taught) | set(events))
            if not weeks:
                continue
            # weeks apart by `;`: a comma also parts a week's sessions (a cost audit)
            shown = "; ".join(
                f"{week_words(w)} for {', '.join([*taught.get(w, ()), *sorted(events.get(w, ()))])}"
                for w in weeks
            )
            word = "week" if len(weeks) == 1 else "different weeks"
            who = teacher_label(problem, t.id)
            yield (t.id,), len(weeks) - 1, f"{who} comes in {len(weeks)} {word}: {shown}"

    return _terms(problem, "visitor_trips", raw())


def _where(placed: list[Placed], key: Callable[[Placed], str]) -> dict[str, list[str]]:
    """The sessions in each room (or site), the most used first."""
    out: dict[str, list[str]] = defaultdict(list)
    for p in sorted(placed, key=lambda p: (p.begins, p.id)):
        out[key(p)].append(p.id)
    return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))


#: sessions named in a room or site at most; more are counted
NAMED_AT = 2


def _where_words(used: dict[str, list[str]]) -> str:
    """ "M1 (5 sessions), M2 (UE1-main-03)": the places and which sessions went where, so
    that the few at an odd place can be moved (an audit)."""
    return ", ".join(
        f"{place} ({', '.join(ids) if len(ids) <= NAMED_AT else f'{len(ids)} sessions'})"
        for place, ids in used.items()
    )


def cost_room_stability(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per series: distinct rooms used beyond the first."""

    def raw() -> Iterable[Raw]:
        for sid, sessions in problem.series.items():
            placed = [p for s in sessions if (p := tt.by_session.get(s.id)) is not None]
            used = _where(placed, lambda p: p.room)
            named = {room_words(problem, room): ids for room, ids in used.items()}
            yield (sid,), len(used) - 1, f"{sid} uses {len(used)} rooms: {_where_words(named)}"

    return _terms(problem, "room_stability", raw())


def cost_site_stability(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per UE: distinct sites used beyond the first."""

    def raw() -> Iterable[Raw]:
        for ue in problem.instance.ues:
            used = _where([p for p in tt.placed if p.session.ue == ue.id], lambda p: p.site)
            yield (
                (ue.id,),
                len(used) - 1,
                f"{ue.id} is taught at {len(used)} sites: {_where_words(used)}",
            )

    return _terms(problem, "site_stability", raw())


def cost_teacher_travel(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """One unit per (session, teacher) with a home site other than the session's site."""

    def raw() -> Iterable[Raw]:
        for p in tt.placed:
            for tid in dict.fromkeys(p.session.teachers):
                home = problem.teacher[tid].home_site
                if home is not None and home != p.site:
                    who = teacher_label(problem, tid)
                    yield (tid, p.id), 1, f"{who} travels from {home} to {p.site} for {p.id}"

    return _terms(problem, "teacher_travel", raw())


def cost_site_balance(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Session slots at the busiest site minus at the least busy one, over the sites with
    rooms that some series may use."""
    load = dict.fromkeys(problem.hosting_sites, 0)
    for p in tt.placed:
        if p.site in load:  # else a hard rule is broken (allowed sites), said by its check
            load[p.site] += p.session.length
    if len(load) < 2:
        return []
    most = max(load, key=lambda s: load[s])
    least = min(load, key=lambda s: load[s])
    msg = f"{most} hosts {count_of(load[most], 'session slot')}, {least} only {load[least]}"
    return _terms(problem, "site_balance", [((most, least), load[most] - load[least], msg)])


def _smallest_room(problem: Problem, placed: Placed) -> tuple[str, int] | None:
    """The smallest room (id, seats) that could take the session whatever the date and the
    pins: at a site it may use, with its features, seating its headcount; None when none
    does or the headcount is 0 (no student known)."""
    session, size = placed.session, headcount(problem, placed.session)
    fits = [
        (room.capacity, room.id)
        for site in problem.instance.sites
        if session.sites is None or site.id in session.sites
        for room in site.rooms
        if set(session.room_features) <= set(room.features) and room.capacity >= size
    ]
    if not fits or not size:
        return None
    seats, room_id = min(fits)
    return room_id, seats


def cost_oversized_room(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """One unit per session in a room seating more than OVERSIZE_FACTOR times the smallest
    room that could take it."""

    def raw() -> Iterable[Raw]:
        for p in tt.placed:
            smallest = _smallest_room(problem, p)
            seats = problem.room[p.room].capacity
            if smallest is not None and seats > OVERSIZE_FACTOR * smallest[1]:
                size = headcount(problem, p.session)
                msg = (
                    f"{p.id} ({count_of(size, 'student')}) in {room_words(problem, p.room)}, "
                    f"{seats} seats; the smallest room that could take it, "
                    f"{room_words(problem, smallest[0])}, seats {smallest[1]}"
                )
                yield (p.id, p.room), 1, msg

    return _terms(problem, "oversized_room", raw())


def cost_min_working_days(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per series with `min_days`: how many dates its sessions fall short of it."""

    def raw() -> Iterable[Raw]:
        for sid, (_, series) in _series_of(problem).items():
            if not series.min_days:
                continue
            placed = (tt.by_session.get(s.id) for s in problem.series.get(sid, ()))
            days = {p.date for p in placed if p is not None}
            msg = f"{sid} is taught on {len(days)} dates (minimum {series.min_days})"
            yield (sid,), series.min_days - len(days), msg

    return _terms(problem, "min_working_days", raw())


def _pattern_neighbours(problem: Problem) -> dict[str, tuple[str | None, str | None]]:
    """Each pattern slot with the slots just before and just after it in its weekday's order."""
    by_weekday: dict[str, list[tuple[time, str]]] = defaultdict(list)
    for slot in problem.instance.calendar.slots:
        by_weekday[slot.weekday].append((slot.start, slot.id))
    near: dict[str, tuple[str | None, str | None]] = {}
    for pattern in by_weekday.values():
        ids = [slot_id for _, slot_id in sorted(pattern)]
        for k, slot_id in enumerate(ids):
            near[slot_id] = (ids[k - 1] if k else None, ids[k + 1] if k + 1 < len(ids) else None)
    return near


def cost_isolated_sessions(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per student profile and date: its sessions with none of its others in the slot just
    before or just after them; a session with no pattern slot before or after it (it fills its
    day, a one-slot Saturday's included) is not alone."""
    near = _pattern_neighbours(problem)

    def raw() -> Iterable[Raw]:
        for prof in problem.profiles:
            mine = [p for p in tt.placed if concerns(p.session.groups, prof)]
            busy: dict[tuple[date, str], set[str]] = defaultdict(set)
            for p in mine:
                for slot in p.slots:
                    busy[slot.date, slot.slot].add(p.id)
            alone: dict[date, list[Placed]] = defaultdict(list)
            for p in mine:
                around = (near[p.slots[0].slot][0], near[p.slots[-1].slot][1])
                if around == (None, None):  # it fills its day: a day of its own
                    continue
                if not any(busy.get((p.date, s), set()) - {p.id} for s in around if s):
                    alone[p.date].append(p)
            who = profile_label(problem, prof)
            for day, found in sorted(alone.items()):
                ids = ", ".join(p.id for p in found)
                msg = f"students of {who} on {day_label(day)}: nothing just before or after {ids}"
                yield (who, day.isoformat()), len(found), msg

    return _terms(problem, "isolated_sessions", raw())


def cost_room_overflow(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """With `room_capacity: soft`: per session, its students beyond the seats of its room."""
    if not capacity_is_soft(problem):
        return []
    raw = (
        (
            (p.id, p.room),
            size - seats,
            f"{p.id} has {size} students but room {room_words(problem, p.room)} seats {seats}",
        )
        for p in tt.placed
        if (size := headcount(problem, p.session)) > (seats := problem.room[p.room].capacity)
    )
    return _terms(problem, "room_overflow", raw)


SOFT_CHECKS: tuple[tuple[str, SoftCheck], ...] = (
    ("weekly_load", cost_weekly_load),
    ("school_holidays", cost_school_holidays),
    ("ue_gap", cost_ue_gap),
    ("teacher_avoid", cost_teacher_avoid),
    ("saturday_opening", cost_saturday_opening),
    ("half_saturday", cost_half_saturday),
    ("visitor_trips", cost_visitor_trips),
    ("room_stability", cost_room_stability),
    ("site_stability", cost_site_stability),
    ("teacher_travel", cost_teacher_travel),
    ("ue_spread", cost_ue_spread),
    ("site_balance", cost_site_balance),
    ("oversized_room", cost_oversized_room),
    ("min_working_days", cost_min_working_days),
    ("isolated_sessions", cost_isolated_sessions),
    ("room_overflow", cost_room_overflow),
)
