"""Derived, read-only indexes of an instance, computed once and shared by model and checker."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from typing import TypeVar

from scheduler.data.calendar import ClosedSlot, DatedSlot, dated_slot, expand_calendar
from scheduler.data.groups import may_share_students, student_profiles
from scheduler.data.instance import UE, FixedEvent, Group, Instance, Pin, Room, Site, Teacher
from scheduler.data.sessions import (
    Session,
    expand_sessions,
    fitting_seats,
    headcount,
    hosting_sites,
    series_key,
)
from scheduler.data.types import WEEKDAYS, minutes
from scheduler.rules import effective_weights

K = TypeVar("K")
T = TypeVar("T")


def grouped(items: Iterable[T], key: Callable[[T], K]) -> dict[K, tuple[T, ...]]:
    """`items` by `key`, each group in the items' order."""
    found: dict[K, list[T]] = defaultdict(list)
    for item in items:
        found[key(item)].append(item)
    return {k: tuple(v) for k, v in found.items()}


@dataclass(frozen=True)
class EventOccurrence:
    """One date of a fixed event."""

    event: FixedEvent
    date: date
    start: time
    end: time


@dataclass(frozen=True)
class Problem:
    """An instance with its dated slots, sessions and lookups."""

    instance: Instance
    slots: tuple[DatedSlot, ...]
    closed: tuple[ClosedSlot, ...]
    sessions: tuple[Session, ...]
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, instance: Instance) -> Problem:
        """Expand the calendar and the sessions of `instance`."""
        slots, closed = expand_calendar(instance.calendar, instance.language)
        return cls(instance, slots, closed, expand_sessions(instance))

    # --- lookups -------------------------------------------------------------------------
    @cached_property
    def hosting_sites(self) -> tuple[str, ...]:
        """The sites `site_balance` weighs: with rooms, and allowed to some series."""
        return hosting_sites(self.instance)

    @cached_property
    def session(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def ue(self) -> dict[str, UE]:
        return {u.id: u for u in self.instance.ues}

    @cached_property
    def teacher(self) -> dict[str, Teacher]:
        return {t.id: t for t in self.instance.teachers}

    @cached_property
    def group(self) -> dict[str, Group]:
        return {g.id: g for g in self.instance.groups}

    @cached_property
    def room(self) -> dict[str, Room]:
        return {r.id: r for s in self.instance.sites for r in s.rooms}

    @cached_property
    def site(self) -> dict[str, Site]:
        return {s.id: s for s in self.instance.sites}

    @cached_property
    def event(self) -> dict[str, FixedEvent]:
        """The fixed events by id."""
        return {e.id: e for e in self.instance.fixed_events}

    @cached_property
    def room_site(self) -> dict[str, str]:
        return {r.id: s.id for s in self.instance.sites for r in s.rooms}

    @cached_property
    def site_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.instance.sites)

    @cached_property
    def area(self) -> dict[str, str]:
        """Site id -> its area, which the one-site-a-day rules compare: the sites that name
        one `area` share it; a site that names none is alone (an area named like a site
        does not join it: a review)."""
        return {s.id: f"area:{s.area}" if s.area else f"site:{s.id}" for s in self.instance.sites}

    @cached_property
    def weights(self) -> dict[str, int]:
        return effective_weights(self.instance.weights)

    @cached_property
    def slot_by_key(self) -> dict[tuple[date, str], DatedSlot]:
        return {(d.date, d.slot): d for d in self.slots}

    @cached_property
    def pattern_slot_by_key(self) -> dict[tuple[date, str], DatedSlot]:
        """Every dated slot of the pattern within the calendar, closed ones too (index -1)."""
        closed = {(c.date, c.slot): c.dated for c in self.closed if c.dated is not None}
        return {**closed, **self.slot_by_key}

    def any_slot(self, day: date, slot_id: str) -> DatedSlot | None:
        """Pattern slot `slot_id` on `day` whether usable, closed or outside the calendar
        (index -1 but for usable ones); None when `day`'s weekday has no such slot. The
        checker places a session put there by hand under every rule (an audit: one dated
        after the calendar's end vanished from the double bookings)."""
        found = self.pattern_slot_by_key.get((day, slot_id))
        if found is not None:
            return found
        slot = next((s for s in self.instance.calendar.slots if s.id == slot_id), None)
        if slot is None or slot.weekday != WEEKDAYS[day.weekday()]:
            return None
        return dated_slot(self.instance.calendar, day, slot)

    @cached_property
    def series(self) -> dict[str, tuple[Session, ...]]:
        """Sessions of each series id, in order."""
        return grouped(self.sessions, lambda s: s.series_id)

    @cached_property
    def series_label(self) -> dict[str, str]:
        """What people read for each series id after its UE's title: the series' `title`, else
        its name, but nothing for an untitled `main` (`UE2-pleniere` -> `plénière`, `UE1-main`
        -> ``)."""
        return {
            series_key(u.id, s.series): s.title or ("" if s.series == "main" else s.series)
            for u in self.instance.ues
            for s in u.sessions
        }

    @cached_property
    def chains(self) -> dict[str, tuple[Session, ...]]:
        """Sessions of each series in order, without `reordered` ones: the order rules
        (series order, minimum and maximum days between, even spread) apply along these."""
        out = set(self.instance.reordered)
        return {k: tuple(s for s in v if s.id not in out) for k, v in self.series.items()}

    @cached_property
    def distinct_day_series(self) -> dict[str, str]:
        """Session id -> its series, for series whose sessions fall on distinct days (in
        order, `min_days_between` >= 1 apart; `reordered` sessions left out, as `chains`):
        the weekend cut and floor count a day per session of these."""
        return {
            s.id: key
            for key, chain in self.chains.items()
            if len(chain) > 1 and chain[0].min_days_between > 0
            for s in chain
        }

    @cached_property
    def profiles(self) -> list[frozenset[str]]:
        """Sets of groups one student may belong to together."""
        return student_profiles(self.instance.groups)

    @cached_property
    def profile_week_max(self) -> tuple[int | None, ...]:
        """Per student profile (as `profiles`), the fewest session slots a week its groups'
        `max_sessions_per_week` allow; None: no maximum."""
        out = []
        for profile in self.profiles:
            maxima = [
                g.max_sessions_per_week
                for g in self.instance.groups
                if g.id in profile and g.max_sessions_per_week is not None
            ]
            out.append(min(maxima, default=None))
        return tuple(out)

    @cached_property
    def profiles_of(self) -> dict[str, tuple[int, ...]]:
        """Each session's student profiles (indices into `profiles`): those holding one of
        its groups."""
        return {
            s.id: tuple(i for i, pr in enumerate(self.profiles) if pr.intersection(s.groups))
            for s in self.sessions
        }

    def headcount(self, session: Session) -> int:
        """Students attending `session`: its series' `size`, else the total size of its groups."""
        return headcount(session, self.group)

    @cached_property
    def smallest_fit(self) -> dict[str, int | None]:
        """Per session id, the seats of the smallest room that could take it
        (`sessions.fitting_seats`); None when no room does or its headcount is 0 (no student
        known): `oversized_room` has nothing to compare then."""
        out: dict[str, int | None] = {}
        for s in self.sessions:
            size = self.headcount(s)
            out[s.id] = min(fitting_seats(self.instance, s, size), default=None) if size else None
        return out

    @property
    def capacity_is_soft(self) -> bool:
        """True when room capacity is the soft rule `room_overflow`, not a hard rule."""
        return self.instance.preferences.room_capacity == "soft"

    def share_students(self, a: str, b: str) -> bool:
        """True when groups `a` and `b` may share students."""
        key = f"share:{min(a, b)}:{max(a, b)}"
        if key not in self._cache:
            self._cache[key] = may_share_students(a, b, self.group)
        return bool(self._cache[key])

    def groups_conflict(self, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        """True when some group of `a` may share students with some group of `b`."""
        return any(self.share_students(x, y) for x in a for y in b)

    @cached_property
    def event_occurrences(self) -> tuple[EventOccurrence, ...]:
        return tuple(
            EventOccurrence(e, d, e.start, e.end)
            for e in self.instance.fixed_events
            for d in e.dates
        )

    @cached_property
    def event_site_days(self) -> tuple[tuple[EventOccurrence, str], ...]:
        """The dates of the fixed events held at a site, each with its site: those that open a
        building and bind their people to a site that day (an event online, abroad or a
        deadline does not)."""
        return tuple((o, o.event.site) for o in self.event_occurrences if o.event.site is not None)

    @cached_property
    def events_on(self) -> dict[date, tuple[EventOccurrence, ...]]:
        """The fixed-event occurrences of each date (the domain filters ask per placement)."""
        return grouped(self.event_occurrences, lambda o: o.date)

    @cached_property
    def pins_of(self) -> dict[str, tuple[Pin, ...]]:
        """The pins of each session id."""
        return grouped(self.instance.pins, lambda pin: pin.session)

    @cached_property
    def given(self) -> frozenset[str]:
        """In a re-solve's instance, the sessions that took place: every pin of theirs is
        dated before its `frozen_before`. Their pins say where they were given: no advice
        moves them, and no finding should name them as what to change."""
        before = self.instance.frozen_before
        if before is None:
            return frozenset()
        return frozenset(
            sid
            for sid, pins in self.pins_of.items()
            if all(x.date is not None and x.date < before for x in pins)
        )

    @cached_property
    def pinned_in_time(self) -> frozenset[str]:
        """The sessions a pin binds to a date or a slot, other than those given (a pin of
        a site or room alone leaves the time free)."""
        timed = {x.session for x in self.instance.pins if x.date is not None or x.slot is not None}
        return frozenset(timed - self.given)

    @cached_property
    def _event_weeks(self) -> dict[str, frozenset[tuple[int, int]]]:
        weeks: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for o, _ in self.event_site_days:  # online or abroad: no trip here (a review)
            iso = o.date.isocalendar()
            for teacher in o.event.teachers:
                weeks[teacher].add((iso.year, iso.week))
        return {t: frozenset(w) for t, w in weeks.items()}

    def event_weeks(self, teacher: str) -> frozenset[tuple[int, int]]:
        """ISO weeks (year, week) of the fixed events held at a site that list `teacher` (a
        visitor's trips made anyway, for `visitor_trips`)."""
        return self._event_weeks.get(teacher, frozenset())

    # --- slots ---------------------------------------------------------------------------
    @cached_property
    def day_slots(self) -> dict[date, tuple[DatedSlot, ...]]:
        """Usable dated slots of each date, in order."""
        return grouped(self.slots, lambda d: d.date)

    @cached_property
    def _pattern_order(self) -> dict[str, tuple[str, ...]]:
        order: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for p in self.instance.calendar.slots:
            order[p.weekday].append((minutes(p.start), p.id))
        return {k: tuple(i for _, i in sorted(v)) for k, v in order.items()}

    def occupied(
        self, start: DatedSlot, length: int, *, closed_too: bool = False
    ) -> tuple[DatedSlot, ...] | None:
        """The dated slots a session of `length` starting at `start` occupies, or None if impossible.

        They are `length` slots consecutive in the weekday's pattern order, all usable, on one date
        (with `closed_too`, through `any_slot`: those a session placed by hand holds, usable or
        not).
        """
        if length == 1:
            return (start,)
        order = self._pattern_order[start.weekday]
        pos = order.index(start.slot)
        if pos + length > len(order):
            return None
        found = []
        for slot_id in order[pos : pos + length]:
            d = (
                self.any_slot(start.date, slot_id)
                if closed_too
                else self.slot_by_key.get((start.date, slot_id))
            )
            if d is None:
                return None
            found.append(d)
        return tuple(found)

    def fills_day(self, start: DatedSlot, length: int) -> bool:
        """Whether `length` slots from `start` are every slot of its weekday's pattern."""
        return len(self._pattern_order[start.weekday]) == length

    def held(self, session: Session, day: date, slot: str) -> tuple[DatedSlot, ...] | None:
        """The dated slots `session` occupies starting at (`day`, `slot`), as an assignment
        names its start; None when that is no usable start its length fits from."""
        start = self.slot_by_key.get((day, slot))
        return self.occupied(start, session.length) if start is not None else None

    def adjacent(self, start: DatedSlot, length: int) -> tuple[DatedSlot | None, DatedSlot | None]:
        """The usable dated slots just before `start` and just after the `length` slots from it,
        on the same date in the weekday's pattern order (None where there is none)."""
        order = self._pattern_order[start.weekday]
        pos = order.index(start.slot)
        end = pos + length
        before = self.slot_by_key.get((start.date, order[pos - 1])) if pos > 0 else None
        after = self.slot_by_key.get((start.date, order[end])) if end < len(order) else None
        return before, after

    def weeks(self) -> list[tuple[int, int]]:
        """ISO weeks (year, week) that hold usable slots, in order."""
        return sorted({d.week for d in self.slots})
