"""What adding one placement to a partial timetable adds to the soft cost, for the greedy.

The greedy constructor (`scheduler.construct`) scores each allowed placement of a session by
this marginal cost, with the instance's own weights, so that its timetable starts the search
close to what the soft rules ask. Rules that read one placement (holidays, avoided slots,
travel, oversized rooms) are exact; rules that read the partial timetable (weekly load,
weekend openings, trips, rooms and sites used, gaps to the previous session of the series)
are priced against what is already placed. Rules over the whole timetable (site balance,
working days) are left to the search. A heuristic: never the checker's business.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cached_property

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.data.spacing import GapChain, gap_chains
from scheduler.rules import OVERSIZE_FACTOR

PRICED = (
    "weekly_load",
    "school_holidays",
    "teacher_avoid",
    "teacher_travel",
    "saturday_opening",
    "half_saturday",
    "ue_gap",
    "ue_spread",
    "visitor_trips",
    "room_stability",
    "site_stability",
    "oversized_room",
)
"""The rules priced here, one method each (units, before the weight)."""


class MarginalCost:
    """Counts of what the partial timetable uses, and the price of one more placement."""

    def __init__(self, p: Problem, profiles: Mapping[str, Sequence[int]]) -> None:
        self.p, self.profiles = p, profiles
        self.w = dict(p.weights)  # rule -> weight (0 or absent: not priced)
        self.target = p.instance.preferences.group_week_target
        self.chains_of: dict[str, list[GapChain]] = {}
        self.chain_previous: dict[tuple[str, str], str] = {}  # (chain, session) -> previous
        for chain in gap_chains(p):
            for s in chain.sessions:
                self.chains_of.setdefault(s.id, []).append(chain)
            for a, b in itertools.pairwise(chain.sessions):
                if a.series_id == b.series_id:
                    self.chain_previous[chain.name, b.id] = a.id
        self.placed: dict[str, Placement] = {}
        self.visitors = {t.id for t in p.instance.teachers if t.available_only}
        # (date, site) of each fixed event -> the slots it takes (open that day; never idle)
        self.event_slots: dict[tuple[date, str], set[str]] = {}
        for o, site in p.event_site_days:
            taken = self.event_slots.setdefault((o.date, site), set())
            taken |= {
                s.slot for s in p.day_slots.get(o.date, ()) if s.overlaps(o.date, o.start, o.end)
            }
        self.week_sessions: Counter[tuple[int, tuple[int, int]]] = Counter()
        self.day_site_slots: Counter[tuple[date, str, str]] = Counter()  # (date, site, slot)
        self.day_site: Counter[tuple[date, str]] = Counter()
        self.visitor_weeks: Counter[tuple[str, tuple[int, int]]] = Counter()
        self.visitor_total: Counter[str] = Counter()
        for t in self.visitors:  # a fixed event's week: the visitor comes anyway
            for week in p.event_weeks(t):
                self.visitor_weeks[t, week] += 1
                self.visitor_total[t] += 1
        self.series_rooms: Counter[tuple[str, str]] = Counter()
        self.series_count: Counter[str] = Counter()
        self.ue_sites: Counter[tuple[str, str]] = Counter()
        self.ue_count: Counter[str] = Counter()

    def weekly_load(self, c: Placement) -> int:
        """Per student profile whose week already holds its target."""
        week = c.start.week
        profiles = self.profiles[c.session.id]
        return sum(1 for i in profiles if self.week_sessions[i, week] >= self.target)

    def school_holidays(self, c: Placement) -> int:
        return 1 if c.start.school_holiday else 0

    def teacher_avoid(self, c: Placement) -> int:
        """Per teacher with an `avoid` rule matching a slot of `c`."""
        return sum(
            1
            for tid in dict.fromkeys(c.session.teachers)
            if any(
                r.matches(o.date, o.weekday, o.slot)
                for o in c.slots
                for r in self.p.teacher[tid].avoid
            )
        )

    def teacher_travel(self, c: Placement) -> int:
        """Per teacher whose home site is not `c`'s."""
        homes = (self.p.teacher[tid].home_site for tid in dict.fromkeys(c.session.teachers))
        return sum(1 for home in homes if home is not None and home != c.site)

    def _was_open(self, c: Placement) -> bool:
        key = (c.start.date, c.site)
        return self.day_site[key] > 0 or key in self.event_slots

    def saturday_opening(self, c: Placement) -> int:
        """A weekend date and site not open yet."""
        return 1 if c.start.date.weekday() >= 5 and not self._was_open(c) else 0

    def half_saturday(self, c: Placement) -> int:
        """The change in idle usable slots of an open weekend date and site: -1, 0 or 1."""
        day = c.start.date
        if day.weekday() < 5:
            return 0
        taken = self.event_slots.get((day, c.site), set())
        usable = {s.slot for s in self.p.day_slots.get(day, ())} - taken
        used = {s for s in usable if self.day_site_slots[day, c.site, s]}
        idle_before = self._was_open(c) and used != usable
        idle_after = (used | {o.slot for o in c.slots}) & usable != usable
        return int(idle_after) - int(idle_before)

    def _apart(self, c: Placement, chain: GapChain) -> int | None:
        """Days from the previous session of `c`'s series in `chain` (series order, without
        `reordered` sessions), placed first; None when there is none.

        For a chain of several series, that is a proxy: the greedy places series after
        series, so where the other series' sessions will fall is not known yet. Pricing the
        gaps to the placed sessions around `c` (and crediting the gap it splits) instead
        pulled a visitor's series and the UE's main series together at the end of the year,
        and left the sample's closing seminar day no Saturday."""
        before = self.chain_previous.get((chain.name, c.session.id))
        previous = self.placed.get(before) if before is not None else None
        return None if previous is None else c.start.day - previous.start.day

    def ue_gap(self, c: Placement) -> int:
        """Days beyond each chain's maximum gap since the previous session."""
        return sum(
            max(0, apart - chain.limit)
            for chain in self.chains_of.get(c.session.id, ())
            if chain.limit is not None and (apart := self._apart(c, chain)) is not None
        )

    def ue_spread(self, c: Placement) -> int:
        """Days short of each chain's even gap since the previous session (evenly spread)."""
        return sum(
            max(0, chain.target - apart)
            for chain in self.chains_of.get(c.session.id, ())
            if chain.target is not None and (apart := self._apart(c, chain)) is not None
        )

    def visitor_trips(self, c: Placement) -> int:
        """Per visiting teacher already coming, but not in `c`'s week."""
        week = c.start.week
        return sum(
            1
            for t in dict.fromkeys(c.session.teachers)
            if t in self.visitors and self.visitor_total[t] and not self.visitor_weeks[t, week]
        )

    def room_stability(self, c: Placement) -> int:
        """A room the series has not used yet (once it has one)."""
        sid = c.session.series_id
        return 1 if self.series_count[sid] and not self.series_rooms[sid, c.room] else 0

    def site_stability(self, c: Placement) -> int:
        """A site the UE has not used yet (once it has one)."""
        ue = c.session.ue
        return 1 if self.ue_count[ue] and not self.ue_sites[ue, c.site] else 0

    def oversized_room(self, c: Placement) -> int:
        """A room seating more than OVERSIZE_FACTOR times the smallest that could take it."""
        least = self.p.smallest_fit[c.session.id]
        return int(least is not None and self.p.room[c.room].capacity > OVERSIZE_FACTOR * least)

    def units(self, c: Placement) -> dict[str, int]:
        """Units each priced rule gains when `c` is added (before weights)."""
        return {rule: price(c) for rule, _, price in self._priced}

    def of(self, c: Placement) -> int:
        """The soft cost `c` adds to the partial timetable, with the instance's weights
        (the greedy asks it of every placement it weighs: one sum over bound methods, no
        dict per call; a 240-session instance spent 7 s of its greedy building them)."""
        return sum(weight * price(c) for _, weight, price in self._priced)

    @cached_property
    def _priced(self) -> list[tuple[str, int, Callable[[Placement], int]]]:
        return [(rule, self.w[rule], getattr(self, rule)) for rule in PRICED if self.w.get(rule, 0)]

    def record(self, c: Placement, sign: int) -> None:
        """Count `c` in (sign 1) or out (sign -1) of the partial timetable."""
        s, week, day = c.session, c.start.week, c.start.date
        for i in self.profiles[s.id]:
            self.week_sessions[i, week] += sign
        for o in c.slots:
            self.day_site_slots[day, c.site, o.slot] += sign
        self.day_site[day, c.site] += sign
        for t in dict.fromkeys(s.teachers):
            if t in self.visitors:
                self.visitor_weeks[t, week] += sign
                self.visitor_total[t] += sign
        if sign > 0:
            self.placed[s.id] = c
        else:
            self.placed.pop(s.id, None)
        self.series_rooms[s.series_id, c.room] += sign
        self.series_count[s.series_id] += sign
        self.ue_sites[s.ue, c.site] += sign
        self.ue_count[s.ue] += sign
