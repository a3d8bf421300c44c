"""Where each session may go: (start slot, room) pairs allowed by the rules that need no search.

Each filter is one rule stated on a single candidate placement; `candidates` keeps the
placements that pass them all. The model only creates variables for these, and pre-flight
checks use the same filters to explain empty domains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from scheduler.data.calendar import DatedSlot
from scheduler.data.instance import FixedEvent, Teacher
from scheduler.data.instance_calendar import DateRule
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import minutes
from scheduler.data.words import join_words, room_words, teacher_words


@dataclass(frozen=True)
class Placement:
    """A session starting at a dated slot in a room."""

    session: Session
    slots: tuple[DatedSlot, ...]
    room: str
    site: str

    @property
    def start(self) -> DatedSlot:
        return self.slots[0]


def _any_match(rules: tuple[DateRule, ...], slot: DatedSlot) -> bool:
    return any(r.matches(slot.date, slot.weekday, slot.slot) for r in rules)


def teacher_free(p: Problem, teacher: str, slot: DatedSlot) -> bool:
    """The teacher is available in the dated slot (not `unavailable`, inside `available_only`)."""
    return free_in(p.teacher[teacher], slot)


def free_in(t: Teacher, slot: DatedSlot) -> bool:
    """Teacher `t` is available in the dated slot by their own rules."""
    if _any_match(t.unavailable, slot):
        return False
    return not t.available_only or _any_match(t.available_only, slot)


def teacher_available(p: Problem, c: Placement) -> bool:
    """Every teacher is available in every slot of the placement."""
    return all(teacher_free(p, tid, slot) for tid in c.session.teachers for slot in c.slots)


def room_available(p: Problem, c: Placement) -> bool:
    """The room is not unavailable in any occupied slot."""
    rules = p.room[c.room].unavailable
    return not rules or not any(_any_match(rules, slot) for slot in c.slots)


def room_seats(p: Problem, c: Placement) -> bool:
    """Unless capacity is soft, the room seats the session's headcount."""
    return p.capacity_is_soft or p.room[c.room].capacity >= p.headcount(c.session)


def room_equipped(p: Problem, c: Placement) -> bool:
    """The room has every feature the session requires."""
    return set(c.session.room_features) <= set(p.room[c.room].features)


def series_available(p: Problem, c: Placement) -> bool:
    """No occupied slot matches one of the series' `unavailable` rules."""
    rules = c.session.unavailable
    return not any(_any_match(rules, slot) for slot in c.slots)


def site_allowed(p: Problem, c: Placement) -> bool:
    """The room is at one of the session's allowed sites."""
    return c.session.sites is None or c.site in c.session.sites


def in_window(p: Problem, c: Placement) -> bool:
    """The date lies inside the session's window, if any."""
    return c.session.window is None or c.session.window.contains(c.start.date)


def spans_into(c: Placement, day: date, start: time, end: time) -> bool:
    """The placement's span, from its first slot's start to its last slot's end (as every
    export shows it), overlaps [start, end) on `day`: an event in the break between two
    slots of a session overlaps it (an audit: a lunch seminar inside a full-day session)."""
    first, last = c.slots[0], c.slots[-1]
    return (
        first.date == day
        and minutes(first.start) < minutes(end)
        and minutes(start) < minutes(last.end)
    )


def clear_of_fixed_events(p: Problem, c: Placement) -> bool:
    """No fixed event overlapping the session's span shares a teacher, a room or students."""
    for occ in p.events_on.get(c.start.date, ()):
        if spans_into(c, occ.date, occ.start, occ.end) and concerns(p, occ.event, c):
            return False
    return True


def concerns(p: Problem, event: FixedEvent, c: Placement) -> bool:
    """A fixed event shares a room, a teacher or students with placement `c`."""
    return bool(
        c.room in event.rooms
        or set(c.session.teachers) & set(event.teachers)
        or p.groups_conflict(c.session.groups, event.groups)
    )


def held_by(p: Problem, event: FixedEvent, c: Placement) -> str:
    """What of placement `c` the `event` holds, in words: `its students (G)`, `Anne Lambert
    (T1)`, `room Salle A (R1)`. A teacher's shortfall named an event of their students only,
    as if it were the teacher's (a calendar audit)."""
    held = [teacher_words(p, t) for t in c.session.teachers if t in event.teachers]
    groups = [g for g in c.session.groups if p.groups_conflict((g,), event.groups)]
    if groups:
        held.append(f"its students ({', '.join(groups)})")
    if c.room in event.rooms:
        held.append(f"room {room_words(p, c.room)}")
    return join_words(held) if held else "nothing of it"


def same_site_as_fixed_events(p: Problem, c: Placement) -> bool:
    """A teacher or student at a fixed event that day is not sent to another site (of
    another area)."""
    for occ in p.events_on.get(c.start.date, ()):
        e = occ.event
        if e.site is None or p.area[e.site] == p.area[c.site]:
            continue
        if set(c.session.teachers) & set(e.teachers) or p.groups_conflict(
            c.session.groups, e.groups
        ):
            return False
    return True


def matches_pins(p: Problem, c: Placement) -> bool:
    """Every pin of the session agrees with the placement."""
    for pin in p.pins_of.get(c.session.id, ()):
        if pin.date is not None and pin.date != c.start.date:
            return False
        if pin.slot is not None and pin.slot != c.start.slot:
            return False
        if pin.site is not None and pin.site != c.site:
            return False
        if pin.room is not None and pin.room != c.room:
            return False
    return True


def after_the_past(p: Problem, c: Placement) -> bool:
    """In a re-solve's instance (`frozen_before`), a session starts before that day only where
    it took place: pinned to that date."""
    frozen_before = p.instance.frozen_before
    if frozen_before is None or c.start.date >= frozen_before:
        return True
    return any(pin.date == c.start.date for pin in p.pins_of.get(c.session.id, ()))


def ordered_with_fixed_events(p: Problem, c: Placement) -> bool:
    """Precedences against fixed events: before ends before the event starts, after starts after."""
    from scheduler.data.precedence import event_bounds

    earliest, latest = event_bounds(p, c.session)
    first, last = c.slots[0], c.slots[-1]
    if earliest is not None and (first.date, first.start) < earliest:
        return False
    return not (latest is not None and (last.date, last.end) > latest)


PlacementFilter = Callable[[Problem, Placement], bool]

FILTERS: tuple[tuple[str, PlacementFilter], ...] = (
    ("ue_window", in_window),
    ("allowed_sites", site_allowed),
    ("room_capacity", room_seats),
    ("room_features", room_equipped),
    ("room_availability", room_available),
    ("teacher_availability", teacher_available),
    ("series_availability", series_available),
    ("pin", matches_pins),
    ("past", after_the_past),
    ("fixed_events", clear_of_fixed_events),
    ("one_site_per_day", same_site_as_fixed_events),
    ("precedence", ordered_with_fixed_events),
)


Rejections = list[tuple[Placement, list[str]]]


def rejections(p: Problem, placements: list[Placement]) -> Rejections:
    """Each placement with the names of the filters rejecting it."""
    return [(c, [name for name, f in FILTERS if not f(p, c)]) for c in placements]


def sole_exclusions(broken: Rejections) -> list[tuple[str, int, Placement]]:
    """The filters that alone exclude some placements (`rejections`), with how many and one
    of them, most first: what stands between a session and a placement (a pin against a new
    absence: the pin, and the teacher's availability), where counting every filter that
    rejects each placement names the ones rejecting most, often unrelated."""
    alone = Counter(names[0] for _, names in broken if len(names) == 1)
    return [
        (name, n, next(c for c, names in broken if names == [name]))
        for name, n in alone.most_common()
    ]


def exclusion_detail(p: Problem, name: str, c: Placement) -> str:
    """`name`'s culprit at placement `c`, in a few words: `T01 unavailable`, `room M-S11
    unavailable`, `fixed event STAGE that day`, ..."""
    if name == "teacher_availability":
        away = [t for t in c.session.teachers if not all(teacher_free(p, t, x) for x in c.slots)]
        return f"{', '.join(away)} unavailable"
    if name == "room_availability":
        return f"room {c.room} unavailable"
    if name == "allowed_sites":
        return f"{c.site} not among the UE's sites"
    if name in ("fixed_events", "one_site_per_day"):
        events = {
            o.event.id: o.event
            for o in (
                [o for o, _ in p.event_site_days]
                if name == "one_site_per_day"
                else p.event_occurrences
            )
            if o.date == c.start.date and concerns(p, o.event, c)
        }
        if not events:
            return name.replace("_", " ")
        if len(events) == 1:
            ((eid, event),) = events.items()
            return f"fixed event {eid} that day, holding {held_by(p, event, c)}"
        holds = join_words(f"{e} (holding {held_by(p, events[e], c)})" for e in sorted(events))
        return f"fixed events {holds} that day"
    if name == "precedence":
        from scheduler.data.precedence import event_bounds, event_precedences

        earliest, latest = event_bounds(p, c.session)
        bounds = [f"after {earliest[0]} {earliest[1]:%H:%M}"] if earliest else []
        bounds += [f"before {latest[0]} {latest[1]:%H:%M}"] if latest else []
        # which ones: a manager with several could not tell which to drop (an exploratory test)
        named = ", ".join(event_precedences(p, c.session))
        return f"precedences with fixed events ({named}): {' and '.join(bounds)}"
    if name == "pin":
        fields = pin_words(p, c.session.id)
        return f"pinned to {', '.join(fields)}" if fields else "pin"
    return name.replace("_", " ")


def pin_words(p: Problem, session_id: str) -> list[str]:
    """What the pins of a session fix, field by field: `date 2026-09-22`, `slot TUE-EVE`."""
    return [
        f"{key} {value}"
        for pin in p.pins_of.get(session_id, ())
        for key, value in pin.model_dump(exclude={"session"}, exclude_none=True).items()
    ]


def raw_placements(p: Problem, session: Session) -> list[Placement]:
    """Every (start, room) where the session's length fits, before any rule is applied."""
    result = []
    for start in p.slots:
        occupied = p.occupied(start, session.length)
        if occupied is None:
            continue
        for room_id, site in p.room_site.items():
            result.append(Placement(session, occupied, room_id, site))
    return result


# Filters that look only at the room (not the time), and only at the time (not the room):
# `candidates` applies them once per room and once per start instead of per placement.
ROOM_ONLY: tuple[PlacementFilter, ...] = (site_allowed, room_seats, room_equipped)
TIME_ONLY: tuple[PlacementFilter, ...] = (
    in_window,
    teacher_available,
    series_available,
    after_the_past,
    ordered_with_fixed_events,
)
BOTH: tuple[PlacementFilter, ...] = tuple(
    f for _, f in FILTERS if f not in ROOM_ONLY and f not in TIME_ONLY
)


def candidates(p: Problem, session: Session) -> list[Placement]:
    """The placements of `session` that every filter allows (same result as applying FILTERS
    to every raw placement, computed room-wise and time-wise first), computed once per
    problem: the greedy and the model's build each asked for all of them (an audit's
    240-session instance spent 9 of its 15 s before a first timetable here)."""
    key = f"candidates {session.id}"
    cached = p._cache.get(key)
    if cached is None or cached[0] != session:  # type: ignore[index]
        p._cache[key] = cached = (session, _candidates(p, session))
    return list(cached[1])  # type: ignore[index]


def _candidates(p: Problem, session: Session) -> list[Placement]:
    starts = [occ for start in p.slots if (occ := p.occupied(start, session.length)) is not None]
    if not starts:
        return []
    probe = starts[0]
    rooms = [
        (room, site)
        for room, site in p.room_site.items()
        if all(f(p, Placement(session, probe, room, site)) for f in ROOM_ONLY)
    ]
    if not rooms:
        return []
    result = []
    for occupied in starts:
        if not all(f(p, Placement(session, occupied, *rooms[0])) for f in TIME_ONLY):
            continue
        for room, site in rooms:
            c = Placement(session, occupied, room, site)
            if all(f(p, c) for f in BOTH):
                result.append(c)
    return result


def rejected_by(p: Problem, session: Session) -> dict[str, int]:
    """For an explanation: how many raw placements each filter rejects on its own."""
    raw = raw_placements(p, session)
    return {name: sum(1 for c in raw if not f(p, c)) for name, f in FILTERS}
