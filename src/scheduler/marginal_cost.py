"""What adding one placement to a partial timetable adds to the soft cost, for the greedy.

The greedy constructor (`scheduler.construct`) scores each allowed placement of a session by
this marginal cost, with the instance's own weights, so that its timetable starts the search
close to what the soft rules ask. Rules that read one placement (holidays, avoided slots,
travel) are exact; rules that read the partial timetable (weekly load, weekend openings,
trips, rooms and sites used, gaps to the previous session of the series) are priced against
what is already placed. Rules over the whole timetable (site balance, working days) are left
to the search. A heuristic: never the checker's business.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.data.spacing import series_max_gap, spread_target


class MarginalCost:
    """Counts of what the partial timetable uses, and the price of one more placement."""

    def __init__(self, p: Problem, profiles: dict[str, list[int]]) -> None:
        self.p, self.profiles = p, profiles
        self.w = dict(p.weights)  # rule -> weight (0 or absent: not priced)
        self.target = p.instance.preferences.group_week_target
        first = {sid: ss[0] for sid, ss in p.series.items() if ss}
        self.max_gap = {sid: series_max_gap(p, s) for sid, s in first.items()}
        self.spread = {sid: spread_target(p, s) for sid, s in first.items()}
        self.visitors = {t.id for t in p.instance.teachers if t.available_only}
        self.events = {(o.date, o.event.site) for o in p.event_occurrences}
        self.event_slots = {  # (date, site) -> slots a fixed event takes: never idle
            (day, site): {
                s.slot
                for s in p.day_slots.get(day, ())
                for o in p.event_occurrences
                if o.event.site == site and o.date == day and s.overlaps(o.date, o.start, o.end)
            }
            for day, site in self.events
        }
        self.week_sessions: Counter[tuple[int, tuple[int, int]]] = Counter()
        self.day_site_slots: Counter[tuple[date, str, str]] = Counter()  # (date, site, slot)
        self.day_site: Counter[tuple[date, str]] = Counter()
        self.visitor_weeks: Counter[tuple[str, tuple[int, int]]] = Counter()
        self.visitor_total: Counter[str] = Counter()
        self.series_rooms: Counter[tuple[str, str]] = Counter()
        self.series_count: Counter[str] = Counter()
        self.ue_sites: Counter[tuple[str, str]] = Counter()
        self.ue_count: Counter[str] = Counter()

    def weekly_load(self, c: Placement) -> int:
        """weekly_load: per student profile whose week already holds its target."""
        week = c.start.week
        over = sum(
            1 for i in self.profiles[c.session.id] if self.week_sessions[i, week] >= self.target
        )
        return self.w.get("weekly_load", 0) * over

    def single(self, c: Placement) -> int:
        """school_holidays, teacher_avoid and teacher_travel: they read `c` alone."""
        cost = self.w.get("school_holidays", 0) if c.start.school_holiday else 0
        for tid in dict.fromkeys(c.session.teachers):
            t = self.p.teacher[tid]
            if any(r.matches(o.date, o.weekday, o.slot) for o in c.slots for r in t.avoid):
                cost += self.w.get("teacher_avoid", 0)
            if t.home_site is not None and t.home_site != c.site:
                cost += self.w.get("teacher_travel", 0)
        return cost

    def weekend(self, c: Placement) -> int:
        """saturday_opening for a weekend date and site not yet open, and the change in
        half_saturday (a usable slot of an open weekend date left idle)."""
        day = c.start.date
        if day.weekday() < 5:
            return 0
        key = (day, c.site)
        was_open = self.day_site[key] > 0 or key in self.events
        cost = 0 if was_open else self.w.get("saturday_opening", 0)
        taken = self.event_slots.get(key, set())
        slots = [s.slot for s in self.p.day_slots.get(day, ()) if s.slot not in taken]
        used = {s for s in slots if self.day_site_slots[day, c.site, s]}
        idle_before = was_open and len(used) < len(slots)
        idle_after = len(used | {o.slot for o in c.slots}) < len(slots)
        return cost + self.w.get("half_saturday", 0) * (int(idle_after) - int(idle_before))

    def spacing(self, c: Placement, previous: Placement | None) -> int:
        """ue_gap and ue_spread between `c` and the previous session of its series."""
        if previous is None:
            return 0
        sid, apart = c.session.series_id, c.start.day - previous.start.day
        limit, even = self.max_gap.get(sid), self.spread.get(sid)
        cost = self.w.get("ue_gap", 0) * max(0, apart - limit) if limit is not None else 0
        if even is not None:
            cost += self.w.get("ue_spread", 0) * max(0, even - apart)
        return cost

    def sharing(self, c: Placement) -> int:
        """visitor_trips, room_stability and site_stability: a new week, room or site."""
        s, week = c.session, c.start.week
        trips = sum(
            1
            for t in dict.fromkeys(s.teachers)
            if t in self.visitors and self.visitor_total[t] and not self.visitor_weeks[t, week]
        )
        cost = self.w.get("visitor_trips", 0) * trips
        if self.series_count[s.series_id] and not self.series_rooms[s.series_id, c.room]:
            cost += self.w.get("room_stability", 0)
        if self.ue_count[s.ue] and not self.ue_sites[s.ue, c.site]:
            cost += self.w.get("site_stability", 0)
        return cost

    def of(self, c: Placement, previous: Placement | None) -> int:
        """The soft cost `c` adds to the partial timetable."""
        return (
            self.weekly_load(c)
            + self.single(c)
            + self.weekend(c)
            + self.spacing(c, previous)
            + self.sharing(c)
        )

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
        self.series_rooms[s.series_id, c.room] += sign
        self.series_count[s.series_id] += sign
        self.ue_sites[s.ue, c.site] += sign
        self.ue_count[s.ue] += sign
