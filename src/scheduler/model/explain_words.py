"""Explanations in words: one sentence per rule group, naming the entity, its data and the fix.

No solver here: `scheduler.model.explain` finds the conflicting groups, this module words them.
"""

from __future__ import annotations

from datetime import date

from scheduler.data.domains import candidates
from scheduler.data.precedence import on_a_cycle
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import (
    AREA_ADVICE,
    describe_rule,
    format_date,
    format_window,
    join_words,
    one_site_a_day,
    open_and_closed,
    teacher_label,
)


def _count(p: Problem, sessions: list[Session]) -> str:
    """`4 sessions (UE1: 2, UE4: 2)` counting slots when a session is longer than one."""
    per_ue: dict[str, int] = {}
    for s in sessions:
        per_ue[s.ue] = per_ue.get(s.ue, 0) + s.length
    slots = sum(per_ue.values())
    return (
        f"{count_of(slots, 'session slot')} ({', '.join(f'{u}: {n}' for u, n in per_ue.items())})"
    )


def sessions_of_scope(p: Problem, entity: str) -> list[Session]:
    """The sessions of a UE, series or session id."""
    return [s for s in p.sessions if entity in (s.ue, s.series_id, s.id)]


def _profile_sessions(p: Problem, entity: str) -> list[Session]:
    groups = set(entity.split("+"))
    return [s for s in p.sessions if groups.intersection(s.groups)]


def _teacher(p: Problem, tid: str) -> str:
    t = p.teacher[tid]
    parts = []
    if t.available_only:
        parts.append(
            "is only available " + join_words(describe_rule(r, p) for r in t.available_only)
        )
    if t.unavailable:
        parts.append("is unavailable " + join_words(describe_rule(r, p) for r in t.unavailable))
    mine = [s for s in p.sessions if tid in s.teachers]
    return f"teacher {teacher_label(p, tid)} {' and '.join(parts)}, and teaches {_count(p, mine)}"


def describe(p: Problem, family: str, entity: str) -> str:
    """One sentence naming the entity, the rule with its data, and what to relax."""
    scoped = sessions_of_scope(p, entity)
    first = scoped[0] if scoped else None
    if family == "teacher_availability":
        return _teacher(p, entity) + f" — widen {entity}'s availability"
    if family == "ue_window" and first is not None:
        return (
            f"{entity}'s {count_of(len(scoped), 'session')} must take place in its window "
            f"{format_window(first.window, p)} ({open_and_closed(first.window, p)})"
            " — widen the window"
        )
    if family == "allowed_sites" and first is not None:
        return f"{entity} may only use {join_words(first.sites or ())} — allow another site"
    if family in ("room_capacity", "room_features") and first is not None:
        size = p.headcount(first)
        need = f"{size} seats" if family == "room_capacity" else join_words(first.room_features)
        better = "a larger room" if family == "room_capacity" else "a better equipped room"
        return f"{entity} needs a room with {need} — use {better}"
    if family == "series_availability" and first is not None:
        rules = join_words(describe_rule(r, p) for r in first.unavailable)
        return (
            f"{entity}'s {count_of(len(scoped), 'session')} cannot take place {rules}"
            " — lift some of its unavailability"
        )
    if family == "room_availability":
        rules = join_words(describe_rule(r, p) for r in p.room[entity].unavailable)
        return f"room {entity} is unavailable {rules} — free the room"
    if family == "pin":
        return _pinned(p, entity)
    if family in ("past", "before_today"):  # `series@day`
        return _before_day(family, entity)
    if family == "min_days_between" and first is not None:
        return _min_days_apart(p, entity, scoped, first)
    if family == "precedence":
        return _precedence(p, int(entity))
    return _describe_resource(p, family, entity)


def _precedence(p: Problem, index: int) -> str:
    """`precedences[i]: A must end before B starts — ...`, `index` as the loader's errors
    give it; what to relax depends on why it cannot hold."""
    prec = p.instance.precedences[index]
    outside = _event_outside(p, (prec.before, prec.after))
    fix = (
        "check its date, or drop or reverse the precedence"
        if outside
        else "drop or reverse it"
        if on_a_cycle(p, index)
        # a chain too long for the calendar: reversing it orders as many sessions (the
        # explain audit's INTRO -> METH -> PROJ, 9 sessions for 8 evenings)
        else "drop it, or give the sessions it orders more slots: a longer calendar, wider "
        "windows or fewer sessions"
    )
    return (
        f"precedences[{index}]: {prec.before} must end before {prec.after} starts{outside} — {fix}"
    )


def _event_outside(p: Problem, ids: tuple[str, str]) -> str:
    """`; fixed event X is on 18 Mar 2027, outside the calendar (...)` for a side of a
    precedence that is a fixed event with a day outside the calendar: a date left in last
    year's file blamed the precedence alone (an audit)."""
    cal = p.instance.calendar
    for e in p.instance.fixed_events:
        outside = [d for d in e.dates if not cal.start <= d <= cal.end]
        if e.id in ids and outside:
            days = join_words(format_date(d) for d in outside)
            span = f"{format_date(cal.start)}–{format_date(cal.end)}"
            return f"; fixed event {e.id} is on {days}, outside the calendar ({span})"
    return ""


def _pinned(p: Problem, entity: str) -> str:
    """The sentence of a session's pins: where it is pinned, and to move or drop the pin."""
    pins = [x for x in p.instance.pins if x.session == entity]
    what = [
        f"{k} {v if not hasattr(v, 'year') else format_date(v)}"  # type: ignore[arg-type]
        for x in pins
        for k, v in (("date", x.date), ("slot", x.slot), ("site", x.site), ("room", x.room))
        if v is not None
    ]
    return f"{entity} is pinned to {join_words(what)} — move or drop the pin"


def _before_day(family: str, entity: str) -> str:
    """The sentence of a series' sessions still to give that cannot go before a day
    (`past`: the revision's, `before_today`: today), `entity` being `series@day`."""
    series, _, day = entity.partition("@")
    when = format_date(date.fromisoformat(day))
    rule = (  # a revision's instance read alone; the re-solve's own diagnosis
        f"cannot take place before {when}, the day this re-solve's instance was re-solved "
        "for (`frozen_before`); only sessions given then are pinned before it"
        if family == "past"
        else f"(cancelled ones included) must take place from {when} (today) on, and none "
        "can move to today"
    )
    return f"{series}'s sessions still to give {rule} — this cannot change: relax another rule"


def _min_days_apart(p: Problem, entity: str, scoped: list[Session], first: Session) -> str:
    """The sentence of a series' least number of days between its sessions, within its window."""
    return (
        f"{entity}'s {count_of(len(scoped), 'session')} must be at least "
        f"{count_of(first.min_days_between, 'day')} apart, within "
        f"{format_window(first.window, p)}"
        f" ({open_and_closed(first.window, p)}) — lower min_days_between"
    )


def _events_of(p: Problem, who: str, profile: bool) -> str:
    if profile:
        groups = set(who.split("+"))
        found = [e for e in p.instance.fixed_events if groups.intersection(e.groups)]
    else:
        found = [e for e in p.instance.fixed_events if who in e.teachers or who in e.rooms]
    days = [
        f"{e.id}{f' at {e.site}' if e.site else ''} on {join_words(format_date(d) for d in e.dates)}"
        for e in found
    ]
    return f" (fixed events: {'; '.join(days)})" if days else ""


def _describe_resource(p: Problem, family: str, entity: str) -> str:
    kind, _, rule = family.partition("_")
    if kind == "group":
        who = f"students of {join_words(entity.split('+'))}"
        sessions = _profile_sessions(p, entity)
    elif kind == "teacher":
        sessions = [s for s in p.sessions if entity in s.teachers]
        who = f"teacher {teacher_label(p, entity) if entity in p.teacher else entity}"
    else:
        who, sessions = f"room {entity}", []
    verb = "attend" if kind == "group" else "teaches"  # students (plural) or one teacher
    load = f" {verb} {_count(p, sessions)} and" if sessions else ""
    events = _events_of(p, entity, kind == "group")
    if kind == "room" and rule == "double_booking" and (only := _only_room(p, entity)):
        return f"{who}{only}, one at a time{events} — add a room or slots, or lower the counts"
    if rule == "double_booking":
        # the events take slots too: moving one is a way out (an audit's STAGE day)
        also = ", or move a fixed event" if events else ""
        return f"{who}{load} can be in one session at a time{events} — split or move sessions{also}"
    if rule == "one_site_per_day":
        return f"{who}{load} must stay {one_site_a_day(p)}{events} — {AREA_ADVICE}"
    if rule == "weekly_max":
        limit = (p.group[entity] if kind == "group" else p.teacher[entity]).max_sessions_per_week
        what = f"group {entity}" if kind == "group" else who
        most = count_of(limit or 0, "session slot")
        return f"{what}: at most {most} per week — raise max_sessions_per_week"
    return f"{family} of {entity}"


def _only_room(p: Problem, room: str) -> str:
    """` is the only room 10 session slots (DT: 5, SS: 5) can use, and it has 8 slots for them`:
    the sessions no other room can take, and the slots they can have it at ('' for none).
    The explain audit's one-room programme read "split or move sessions", with no numbers,
    where only another room or more slots could help."""
    places = {s.id: candidates(p, s) for s in p.sessions}
    bound = [s for s in p.sessions if {c.room for c in places[s.id]} == {room}]
    if not bound:
        return ""
    slots = {x.index for s in bound for c in places[s.id] for x in c.slots}
    return (
        f" is the only room {_count(p, bound)} can use, and it has "
        f"{count_of(len(slots), 'slot')} for them"
    )


def summary(p: Problem, core: list[tuple[str, str]]) -> str | None:
    """One sentence for the common case of a window against the availability of teachers of
    its sessions, and nothing else (an audit's set of a window, a visitor of another UE and
    the students' one-at-a-time rule was summed up as the window against that visitor)."""
    windows = [entity for family, entity in core if family == "ue_window"]
    teachers = [entity for family, entity in core if family == "teacher_availability"]
    if len(windows) != 1 or not teachers or len(windows) + len(teachers) != len(core):
        return None
    scoped = sessions_of_scope(p, windows[0])
    if not all(any(tid in s.teachers for s in scoped) for tid in teachers):
        return None
    facts = []
    for tid in teachers:
        t = p.teacher[tid]
        rules = t.available_only or t.unavailable
        if not rules:  # free all year: their availability is not what the set is about
            return None
        how = "only available" if t.available_only else "unavailable"
        who = teacher_label(p, tid)
        facts.append(f"{who} is {how} {join_words(describe_rule(r, p) for r in rules)}")
    lengths = {s.length for s in scoped}  # said only when every session has it
    length = lengths.pop() if len(lengths) == 1 else 1
    slots = f" of {length} consecutive slots" if length > 1 else ""
    return (
        f"{windows[0]}'s {count_of(len(scoped), 'session')}{slots} cannot fit: {', '.join(facts)}, "
        f"{windows[0]}'s window is {format_window(scoped[0].window, p)}"
    )
