"""A witness timetable for generated instances: what makes them feasible by construction.

The generator drafts programmes, then places every series greedily in a *witness* timetable
that respects every hard rule (docs/rules.md). Sessions the greedy cannot place are dropped
from the instance, so the instance written always has at least the witness as a solution.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduler.data.calendar import DatedSlot


@dataclass
class TeacherDraft:
    """A teacher being generated: hard availability as weekdays, date ranges and windows."""

    id: str
    home_site: str
    unavailable_weekdays: set[str] = field(default_factory=set)
    unavailable_ranges: list[tuple[date, date]] = field(default_factory=list)
    available_only: list[tuple[date, date]] = field(default_factory=list)
    max_per_week: int | None = None

    def available(self, slot: DatedSlot) -> bool:
        """True when the teacher may teach in this dated slot."""
        if slot.weekday in self.unavailable_weekdays:
            return False
        if any(a <= slot.date <= b for a, b in self.unavailable_ranges):
            return False
        return not self.available_only or any(a <= slot.date <= b for a, b in self.available_only)


@dataclass(frozen=True)
class RoomDraft:
    """A room being generated."""

    id: str
    site: str
    capacity: int
    features: frozenset[str]
    unavailable: tuple[date, date] | None = None


@dataclass
class SeriesDraft:
    """A series being generated, with what the witness needs to place it."""

    ue: str
    name: str
    count: int
    length: int
    groups: tuple[str, ...]
    profiles: frozenset[str]
    size: int
    teachers: tuple[str, ...]
    sites: tuple[str, ...]
    window: tuple[date, date]
    min_days: int
    features: tuple[str, ...]
    placed: list[tuple[DatedSlot, str]] = field(default_factory=list)


@dataclass
class Witness:
    """Occupancy of the witness timetable; `place_series` adds a series to it."""

    slots: tuple[DatedSlot, ...]
    pattern_order: dict[str, tuple[str, ...]]
    teachers: dict[str, TeacherDraft]
    rooms: list[RoomDraft]
    profile_week_max: dict[str, int]
    busy: set[tuple[str, int]] = field(default_factory=set)
    site_day: dict[tuple[str, date], str] = field(default_factory=dict)
    week_load: dict[tuple[str, tuple[int, int]], int] = field(
        default_factory=lambda: defaultdict(int)
    )

    def __post_init__(self) -> None:
        self._by_key = {(s.date, s.slot): s for s in self.slots}

    def occupied(self, start: DatedSlot, length: int) -> tuple[DatedSlot, ...] | None:
        """The dated slots a session of `length` starting at `start` occupies, or None."""
        order = self.pattern_order[start.weekday]
        pos = order.index(start.slot)
        if pos + length > len(order):
            return None
        found = [self._by_key.get((start.date, s)) for s in order[pos : pos + length]]
        return None if any(f is None for f in found) else tuple(f for f in found if f is not None)

    def _free(self, who: str, occ: tuple[DatedSlot, ...], site: str) -> bool:
        if any((who, s.index) in self.busy for s in occ):
            return False
        return self.site_day.get((who, occ[0].date), site) == site

    def _room_ok(self, room: RoomDraft, series: SeriesDraft, occ: tuple[DatedSlot, ...]) -> bool:
        if room.capacity < series.size or not set(series.features) <= room.features:
            return False
        if room.unavailable and any(
            room.unavailable[0] <= s.date <= room.unavailable[1] for s in occ
        ):
            return False
        return all((room.id, s.index) not in self.busy for s in occ)

    def _weekly_ok(self, who: str, cap: int | None, occ: tuple[DatedSlot, ...]) -> bool:
        return cap is None or self.week_load[who, occ[0].week] + len(occ) <= cap

    def fits(self, series: SeriesDraft, start: DatedSlot, rng: random.Random) -> str | None:
        """A room where `series` can take place from `start` in the witness, or None."""
        occ = self.occupied(start, series.length)
        if occ is None:
            return None
        teachers = [self.teachers[t] for t in series.teachers]
        if not all(t.available(s) for t in teachers for s in occ):
            return None
        if not all(self._weekly_ok(t.id, t.max_per_week, occ) for t in teachers):
            return None
        if not all(self._weekly_ok(p, self.profile_week_max.get(p), occ) for p in series.profiles):
            return None
        rooms = [r for r in self.rooms if r.site in series.sites and self._room_ok(r, series, occ)]
        rng.shuffle(rooms)
        rooms.sort(key=lambda r: r.capacity)  # smallest fitting room first, ties shuffled
        for room in rooms:
            who = list(series.teachers) + sorted(series.profiles)
            if all(self._free(w, occ, room.site) for w in who):
                return room.id
        return None

    def book(self, who: list[str], occ: tuple[DatedSlot, ...], site: str, room: str | None) -> None:
        """Mark teachers/profiles (and a room) busy in `occ` at `site`."""
        for w in who:
            for s in occ:
                self.busy.add((w, s.index))
            self.site_day[w, occ[0].date] = site
            self.week_load[w, occ[0].week] += len(occ)
        if room is not None:
            for s in occ:
                self.busy.add((room, s.index))

    def place_series(self, series: SeriesDraft, rng: random.Random) -> None:
        """Place the sessions of `series` one by one, spread over its window; stop at a failure."""
        lo, hi = series.window
        span = max(1, (hi - lo).days)
        starts = [s for s in self.slots if lo <= s.date <= hi]
        previous: DatedSlot | None = None
        for k in range(series.count):
            target = lo + timedelta(days=span * (k + rng.random()) / series.count)
            earliest = previous.date + timedelta(days=series.min_days) if previous else lo
            after = previous.index + series.length if previous else -1
            options = [s for s in starts if s.date >= earliest and s.index >= after]
            options.sort(key=lambda s: abs((s.date - target).days) + rng.random())
            chosen = next(((s, r) for s in options for r in [self.fits(series, s, rng)] if r), None)
            if chosen is None:
                return
            start, room = chosen
            occ = self.occupied(start, series.length)
            assert occ is not None
            site = next(r.site for r in self.rooms if r.id == room)
            self.book(list(series.teachers) + sorted(series.profiles), occ, site, room)
            series.placed.append((start, room))
            previous = start
