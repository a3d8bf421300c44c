"""Cross-reference checks of what names sessions: precedences, `reordered`, `dropped`,
`session_teachers` and pins name known sessions (and no dropped one), and a pin's date and
slot a dated slot of the calendar. Each raises `ValueError` naming the entity and the field,
as every invariant of `scheduler.data.validate`, which runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Set
from typing import TYPE_CHECKING

from scheduler.data.sessions import Session, expand_sessions, fitting_rooms
from scheduler.data.types import WEEKDAY_NAMES, weekday_of
from scheduler.data.validate_ids import cut, listed_once, unknown, unknown_site

if TYPE_CHECKING:
    from scheduler.data.instance import Instance

MAX_ROOMS_SHOWN = 4  # rooms a pin's error suggests instead of its own


def precedence_references(inst: Instance) -> None:
    """Precedences name a UE, series, session or fixed event, and not the same thing twice."""
    sessions = expand_sessions(inst)
    known = (
        {u.id for u in inst.ues}
        | {s.series_id for s in sessions}
        | {s.id for s in sessions}
        | {e.id for e in inst.fixed_events}
    )
    for i, p in enumerate(inst.precedences):
        for field, ref in (("before", p.before), ("after", p.after)):
            if ref not in known:
                raise ValueError(
                    f"precedences[{i}] {field}: unknown UE, series, session or fixed event '{ref}'"
                )
        if p.before == p.after:
            raise ValueError(f"precedences[{i}]: '{p.before}' cannot precede itself")
        shared = _members(sessions, p.before) & _members(sessions, p.after)
        if shared:  # a UE and its series: pre-flight called it a cycle, to "reverse" (a fuzz)
            raise ValueError(
                f"precedences[{i}]: '{p.after}' and '{p.before}' share session "
                f"{min(shared)}, which cannot end before it starts: drop it"
            )


def _members(sessions: Iterable[Session], ref: str) -> set[str]:
    """The sessions a precedence's UE, series or session reference names (none: an event)."""
    return {s.id for s in sessions if ref in (s.ue, s.series_id, s.id)}


def reordered_references(inst: Instance) -> None:
    """`reordered` names known sessions."""
    sessions = {s.id for s in expand_sessions(inst)}
    for sid in inst.reordered:
        if sid not in sessions:
            raise ValueError(f"reordered: unknown session '{cut(sid)}'")


def dropped_references(inst: Instance) -> None:
    """`dropped` names sessions of the series' counts, and nothing names a dropped session
    (a pin, a precedence, `reordered`: it is no session of the timetable any more)."""
    every = {s.id for s in expand_sessions(inst, with_dropped=True)}
    for sid in inst.dropped:
        if sid not in every:
            raise ValueError(f"dropped: unknown session '{cut(sid)}'")
    gone = set(inst.dropped)
    named = [
        *(f"pin of session '{p.session}'" for p in inst.pins if p.session in gone),
        *(
            f"precedences[{i}]"
            for i, p in enumerate(inst.precedences)
            if {p.before, p.after} & gone
        ),
        *(f"reordered: '{sid}'" for sid in inst.reordered if sid in gone),
    ]
    if named:
        raise ValueError(f"{named[0]}: names a dropped session (the instance's `dropped`)")


def session_teachers_references(inst: Instance) -> None:
    """`session_teachers` names each known session once, not a dropped one, and known
    teachers, each once."""
    every = {s.id for s in expand_sessions(inst, with_dropped=True)}
    teachers = {t.id for t in inst.teachers}
    seen: set[str] = set()
    for i, o in enumerate(inst.session_teachers):
        where = f"session_teachers[{i}]"
        if o.session not in every:
            raise ValueError(f"{where} session: unknown session '{cut(o.session)}'")
        if o.session in inst.dropped:
            raise ValueError(
                f"{where} session: '{o.session}' is dropped (the instance's `dropped`)"
            )
        if o.session in seen:
            raise ValueError(f"{where} session: '{o.session}' is listed more than once")
        seen.add(o.session)
        for tid in o.teachers:
            if tid not in teachers:
                raise ValueError(f"{where} teachers: {unknown('teacher', tid, teachers)}")
        listed_once(where, "teachers", o.teachers)


def pin_references(inst: Instance) -> None:
    """Pins name a known session, slot, site and room (the room at the site)."""
    from scheduler.data.calendar import expand_calendar

    sessions = {s.id: s for s in expand_sessions(inst)}
    slots = {s.id: s for s in inst.calendar.slots}
    sites = {s.id: s for s in inst.sites}
    room_site = {r.id: s.id for s in inst.sites for r in s.rooms}
    dated, closed = expand_calendar(inst.calendar, inst.language)
    usable_days = {d.date for d in dated}
    usable = {(d.date, d.slot) for d in dated}
    closed_reason = {c.date: c.reason for c in closed}
    placed: dict[tuple[str, str], str] = {}  # (session, field) -> the first pin's value
    for p in inst.pins:
        where = f"pin of session '{cut(p.session)}'"
        if p.session not in sessions:
            raise ValueError(f"{where}: unknown session")
        for field, value in p.model_dump(exclude={"session"}, exclude_none=True).items():
            first = placed.setdefault((p.session, field), str(value))
            if first != str(value):  # as a workbook's Pins rows are (an audit: YAML's passed)
                raise ValueError(
                    f"{where} {field}: pinned twice, to different places ({field} {first} and "
                    f"{value}): keep one pin"
                )
        if p.slot is not None and p.slot not in slots:
            raise ValueError(f"{where} slot: {unknown('slot', p.slot, slots)}")
        if p.site is not None and p.site not in sites:
            raise ValueError(f"{where} site: {unknown_site(p.site, inst.sites)}")
        if p.room is not None and p.room not in room_site:
            raise ValueError(f"{where} room: {unknown('room', p.room, room_site)}")
        if p.room is not None and p.site is not None and room_site[p.room] != p.site:
            raise ValueError(
                f"{where} room: room '{p.room}' is at {room_site[p.room]}, not {p.site}"
            )
        problem = pin_date_problem(p.date, p.slot, usable_days, usable, closed_reason)
        past = inst.frozen_before is not None and p.date is not None and p.date < inst.frozen_before
        if not past:  # a session that took place: the pre-flight says it if it no longer fits
            problem = problem or pin_place_problem(inst, sessions[p.session], p.site, p.room)
        if problem:
            raise ValueError(f"{where} {problem}")


def pin_place_problem(
    inst: Instance, session: Session, site: str | None, room: str | None
) -> str | None:
    """Why a pin's site or room contradicts its session's own needs, as `site: ...` or
    `room: ...`: a site its UE or series may not use, or without a room it fits; a room
    there, a room with fewer seats than its students (capacity a hard rule) or without a
    feature its series needs; None when it does not (what only availability rules it out is
    the pre-flight's to say)."""
    from dataclasses import replace

    from scheduler.data.sessions import fitting_seats, headcount
    from scheduler.data.words import join_words

    rooms = {r.id: (s.id, r) for s in inst.sites for r in s.rooms}
    allowed = session.sites
    if site is not None and allowed is not None and site not in allowed:
        return f"site: {session.id} may only use {join_words(allowed, 'or')}, not {site}"
    size = headcount(session, {g.id: g for g in inst.groups})
    soft = inst.preferences.room_capacity == "soft"
    needed = 0 if soft else size
    if room is None:
        if site is None or fitting_seats(inst, replace(session, sites=(site,)), needed):
            return None
        needs = f" with {join_words(session.room_features)}" if session.room_features else ""
        seats = "" if soft else f" for {size} students"
        return f"site: no room at {site}{needs}{seats}, which {session.id} needs" + rooms_that_fit(
            inst, session, needed, site
        )
    at, spec = rooms[room]
    if allowed is not None and at not in allowed:
        return (
            f"room: room '{room}' is at {at}; {session.id} may only use {join_words(allowed, 'or')}"
            + rooms_that_fit(inst, session, needed, site)
        )
    missing = [f for f in session.room_features if f not in spec.features]
    if missing:
        return (
            f"room: room '{room}' has no {join_words(missing)}, which {session.id} needs"
            + rooms_that_fit(inst, session, needed, site or at)
        )
    if not soft and spec.capacity < size:
        return (
            f"room: room '{room}' seats {spec.capacity}, fewer than {session.id}'s {size} "
            "students (room capacity is a hard rule)"
            + rooms_that_fit(inst, session, needed, site or at)
        )
    return None


def rooms_that_fit(inst: Instance, session: Session, size: int, site: str | None) -> str:
    """The way out of a pin's wrong site or room, as "; rooms that fit it: ...": those at the
    pin's `site` if any fit there, else at every site it may use; or that none does."""
    from scheduler.data.words import join_words

    fit = fitting_rooms(inst, session, size)
    if not fit:
        return f"; no room of the instance fits {session.id}"
    here = [(at, r) for at, r in fit if at == site]
    shown = here or fit
    names = [r.id if here else f"{r.id} ({at})" for at, r in shown[:MAX_ROOMS_SHOWN]]
    if len(shown) > MAX_ROOMS_SHOWN:
        names.append(f"{len(shown) - MAX_ROOMS_SHOWN} more")
    where = f" at {site}" if here else ""
    return f"; rooms{where} that fit it: {join_words(names, 'or')}"


def pin_date_problem(
    day: dt.date | None,
    slot: str | None,
    usable_days: Set[dt.date],
    usable: Set[tuple[dt.date, str]],
    closed_reason: Mapping[dt.date, str],
) -> str | None:
    """Why a pin's date (and slot) is no dated slot of the calendar, as `date: ...` or
    `slot: ...`; None when it is one."""
    if day is None:
        return None
    if day not in usable_days:
        why = closed_reason.get(day)
        if why:
            return f"date: {day} is closed ({why})"
        first, last = (min(usable_days), max(usable_days)) if usable_days else (day, day)
        if not first <= day <= last:
            # a pin left in last year's file (a year audit): say where the year is
            return (
                f"date: {day} is outside the calendar's teaching days ({first} to {last}) — "
                "check its year"
            )
        # its weekday: a pin moved 365 days for a new year lands a weekday later (year audit)
        weekday = WEEKDAY_NAMES[weekday_of(day.weekday())][0].capitalize()
        return f"date: {day} is a {weekday}, not a teaching day of the calendar"
    if slot is not None and (day, slot) not in usable:
        # the day's weekday and slots: a slot of another weekday was not said so (an audit)
        from scheduler.data.words import join_words

        weekday = WEEKDAY_NAMES[weekday_of(day.weekday())][0].capitalize()
        there = sorted(s for d, s in usable if d == day)
        return (
            f"slot: slot '{slot}' is not open on {day} (a {weekday}: "
            f"{join_words(there) if there else 'none'} open that day)"
        )
    return None
