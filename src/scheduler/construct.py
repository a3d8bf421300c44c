"""A greedy timetable: every session placed in turn where the hard rules still allow it.

Used as a starting point for the solver on large instances (a complete hint lets CP-SAT
start improving at once instead of searching for a first timetable). It never guarantees
success: when a session finds no place it returns None and the solver searches as usual.
Series are taken most constrained first, in precedence order; each session goes to the
allowed placement that keeps the partial timetable valid and adds the least soft cost
(`scheduler.marginal_cost`, with the instance's weights), plus a pull towards an even spread
of its series. A session with no such placement may take one by moving a single other
session: the one it clashes with, or one that fills a weekly limit of its week.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from scheduler.data.domains import Placement, candidates
from scheduler.data.precedence import sessions_of
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.marginal_cost import MarginalCost
from scheduler.series_order import series_order
from scheduler.short_lists import first_few
from scheduler.solution import Assignment

PULL = 0.5  # cost per day away from a session's even target day
EJECT_OPTIONS, EJECT_MATES = 300, 4  # placements tried by an ejection, sessions moved for each


@dataclass
class _State:
    """What the partial timetable occupies, with owners, for constant-time checks and undo."""

    busy: dict[tuple[str, int], str] = field(default_factory=dict)  # (resource, slot) -> session
    day_sites: dict[tuple[str, date], dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )  # (teacher or profile, date) -> area (`Site.area`, else the site) -> sessions
    week_slots: dict[tuple[str, tuple[int, int]], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    placed: dict[str, Placement] = field(default_factory=dict)


class Greedy:
    """Places sessions one by one on the data's allowed placements."""

    def __init__(
        self, p: Problem, rng: random.Random | None = None, noise: float = 0.0, pull: float = PULL
    ) -> None:
        self.p, self.pull = p, pull
        self.rng, self.noise = rng, noise  # random tie-breaking for restarts
        self.state = _State()
        self.profiles = p.profiles_of  # session id -> its student profiles
        self._keys: dict[str, tuple[str, ...]] = {}  # keys(), by session id
        self.cost = MarginalCost(p, self.profiles)
        self.group_max = p.profile_week_max  # per profile: its weekly maximum, or None

    def keys(self, s: Session) -> tuple[str, ...]:
        """The resources a session occupies besides its room: teachers, then student
        profiles (made once per session: `blockers` asks for them of every placement)."""
        keys = self._keys.get(s.id)
        if keys is None:
            keys = (*(f"t:{t}" for t in s.teachers), *(f"p:{i}" for i in self.profiles[s.id]))
            self._keys[s.id] = keys
        return keys

    def blockers(self, c: Placement) -> set[str] | None:
        """Placed sessions that clash with `c` (None when a weekly limit forbids it anyway)."""
        p, st, s = self.p, self.state, c.session
        found: set[str] = set()
        keys = self.keys(s)
        busy = st.busy
        for slot in c.slots:
            index = slot.index
            for key in (f"r:{c.room}", *keys):
                owner = busy.get((key, index))
                if owner is not None:
                    found.add(owner)
        start = c.slots[0]
        for key in keys:
            for area, owners in st.day_sites.get((key, start.date), {}).items():
                if area != p.area[c.site]:
                    found |= owners
        week = start.week
        for t, key in zip(s.teachers, keys, strict=False):  # keys: teachers', then profiles'
            limit = p.teacher[t].max_sessions_per_week
            if limit is not None and st.week_slots[key, week] + s.length > limit:
                return None
        for i, key in zip(self.profiles[s.id], keys[len(s.teachers) :], strict=True):
            limit = self.group_max[i]
            if limit is not None and st.week_slots[key, week] + s.length > limit:
                return None
        return found

    def allowed(self, c: Placement, earliest: int, earliest_day: int) -> bool:
        """The hard rules that depend on other sessions hold if `c` is added."""
        if c.start.index < earliest or c.start.day < earliest_day:
            return False
        return self.blockers(c) == set()

    def score(self, c: Placement, target_day: float) -> float:
        """Lower is better: the soft cost `c` adds, plus a pull of `self.pull` per day towards
        the series' even target day (room for the sessions still to come)."""
        cost = self.pull * abs(c.start.day - target_day) + self.cost.of(c)
        if self.rng is not None:
            cost += self.noise * self.rng.random()
        return cost

    def add(self, c: Placement) -> None:
        """Record `c` in the partial timetable."""
        st, s = self.state, c.session
        keys = self.keys(s)
        for slot in c.slots:
            for key in [f"r:{c.room}", *keys]:
                st.busy[key, slot.index] = s.id
        for key in keys:
            st.day_sites[key, c.start.date][self.p.area[c.site]].add(s.id)
            st.week_slots[key, c.start.week] += s.length
        st.placed[s.id] = c
        self.cost.record(c, 1)

    def remove(self, session_id: str) -> Placement:
        """Take a session out of the partial timetable (the inverse of `add`)."""
        st = self.state
        c = st.placed.pop(session_id)
        self.cost.record(c, -1)
        keys = self.keys(c.session)
        for slot in c.slots:
            for key in [f"r:{c.room}", *keys]:
                del st.busy[key, slot.index]
        for key in keys:
            areas, area = st.day_sites[key, c.start.date], self.p.area[c.site]
            areas[area].discard(session_id)
            if not areas[area]:
                del areas[area]
            st.week_slots[key, c.start.week] -= c.session.length
        return c

    def bounds(self, s: Session) -> tuple[int, int, int, int]:
        """(earliest index, earliest day, latest end index, latest day) from placed neighbours."""
        lo, lo_day, hi, hi_day = 0, 0, 10**9, 10**9
        placed = self.state.placed
        mates = self.p.series[s.series_id]
        pos = s.number - 1
        if pos > 0 and mates[pos - 1].id in placed:
            prev = placed[mates[pos - 1].id]
            lo, lo_day = prev.slots[-1].index + 1, prev.start.day + prev.session.min_days_between
        if pos + 1 < len(mates) and mates[pos + 1].id in placed:
            nxt = placed[mates[pos + 1].id]
            hi, hi_day = nxt.start.index - 1, nxt.start.day - s.min_days_between
        for prec in self.p.instance.precedences:
            if s in sessions_of(self.p, prec.after):
                for b in sessions_of(self.p, prec.before):
                    if b.id in placed:
                        lo = max(lo, placed[b.id].slots[-1].index + 1)
            if s in sessions_of(self.p, prec.before):
                for a in sessions_of(self.p, prec.after):
                    if a.id in placed:
                        hi = min(hi, placed[a.id].start.index - 1)
        return lo, lo_day, hi, hi_day

    @staticmethod
    def fits(c: Placement, bounds: tuple[int, int, int, int]) -> bool:
        """True when `c` respects the order bounds of its placed neighbours."""
        lo, lo_day, hi, hi_day = bounds
        return lo <= c.start.index and c.slots[-1].index <= hi and lo_day <= c.start.day <= hi_day

    def week_mates(self, c: Placement) -> list[str]:
        """Placed sessions in `c`'s week that share a teacher or profile with a weekly limit
        with it: taking one of them out may make room for `c` (nearest day first)."""
        p, s, week = self.p, c.session, c.start.week
        teachers = {t for t in s.teachers if p.teacher[t].max_sessions_per_week is not None}
        profiles = {i for i in self.profiles[s.id] if self.group_max[i] is not None}
        mates = [
            (abs(o.start.day - c.start.day), sid)
            for sid, o in self.state.placed.items()
            if o.start.week == week
            and (
                teachers.intersection(o.session.teachers)
                or profiles.intersection(self.profiles[sid])
            )
        ]
        return [sid for _, sid in sorted(mates)]

    def eject_and_place(
        self, options: list[Placement], domains: dict[str, list[Placement]]
    ) -> Placement | None:
        """Place one of `options` by moving one session elsewhere: the single session it
        clashes with, or one that fills a weekly limit of its week."""
        for c in options[:EJECT_OPTIONS]:
            blockers = self.blockers(c)
            if blockers is None:
                ejectable = self.week_mates(c)[:EJECT_MATES]
            elif len(blockers) == 1:
                ejectable = list(blockers)
            else:
                continue
            for b in ejectable:
                if self._move_aside(c, b, domains):
                    return c
        return None

    def _move_aside(self, c: Placement, b: str, domains: dict[str, list[Placement]]) -> bool:
        """Take `b` out, place `c`, and put `b` back at its nearest allowed placement; or
        undo all of it and return False."""
        if self.p.session[b].series_id == c.session.series_id:
            return False
        old = self.remove(b)
        if self.blockers(c) != set():
            self.add(old)
            return False
        self.add(c)
        bounds = self.bounds(old.session)
        moves = [
            m for m in domains[b] if m != old and self.fits(m, bounds) and self.blockers(m) == set()
        ]
        if not moves:
            self.remove(c.session.id)
            self.add(old)
            return False
        self.add(
            min(moves, key=lambda m: (abs(m.start.day - old.start.day), m.start.index, m.room))
        )
        return True

    def earliest(self, s: Session, previous: Placement | None) -> tuple[int, int]:
        """Earliest start index and day allowed by series order, spacing and precedences."""
        index, day = 0, 0
        if previous is not None:
            index = previous.slots[-1].index + 1
            day = previous.start.day + previous.session.min_days_between
        for prec in self.p.instance.precedences:
            if s in sessions_of(self.p, prec.after):
                for b in sessions_of(self.p, prec.before):
                    placed = self.state.placed.get(b.id)
                    if placed is not None:
                        index = max(index, placed.slots[-1].index + 1)
        return index, day


def _free_placements(
    greedy: Greedy, sessions: tuple[Session, ...], domains: dict[str, list[Placement]]
) -> dict[str, list[Placement]]:
    """Each session's placements that no placed session blocks. Sessions with the same
    teachers and students share the answer for the same start, length and room (a series'
    sessions mostly do: at 1,405 sessions this was a third of a greedy's time)."""
    known: dict[tuple[object, ...], bool] = {}
    free: dict[str, list[Placement]] = {}
    for s in sessions:
        keys = greedy.keys(s)
        free[s.id] = []
        for c in domains[s.id]:
            key = (keys, c.start.index, len(c.slots), c.room)  # the room gives the site
            if key not in known:
                known[key] = greedy.blockers(c) == set()
            if known[key]:
                free[s.id].append(c)
    return free


def _latest_days(
    sessions: tuple[Session, ...], domains: dict[str, list[Placement]]
) -> list[tuple[int, int]]:
    """The latest day and start slot (index) each session may take so that the rest of its
    series still fits after it, in order and spaced: a session ends before the next starts
    (an audit: 110 sessions of one series, pulled to two a week by `weekly_load`, left the
    last ones no slot; the day alone allowed them all on the last day)."""
    latest = [(-1, -1)] * len(sessions)
    day_bound, index_bound = 10**9, 10**9
    for k in range(len(sessions) - 1, -1, -1):
        fits = [
            c
            for c in domains[sessions[k].id]
            if c.start.day <= day_bound and c.slots[-1].index <= index_bound
        ]
        if not fits:
            return [(-1, -1)] * len(sessions)
        latest[k] = (max(c.start.day for c in fits), max(c.start.index for c in fits))
        day_bound = latest[k][0] - max(sessions[k].min_days_between, 0)
        index_bound = latest[k][1] - 1
    return latest


def _place_series(
    greedy: Greedy,
    sessions: tuple[Session, ...],
    domains: dict[str, list[Placement]],
    span: tuple[int, int],
    latest: list[tuple[int, int]],
) -> bool:
    """Place `sessions` in order, each near its even target day in `span` (the first and last
    days of their placements); or return False at the first that finds no place."""
    first, last = span
    previous: Placement | None = None
    for k, s in enumerate(sessions):
        target = first + (k + 0.5) * (last - first) / len(sessions)
        lo, lo_day = greedy.earliest(s, previous)
        window = [
            c
            for c in domains[s.id]
            if c.start.day <= latest[k][0]
            and c.start.index <= latest[k][1]
            and c.start.index >= lo
            and c.start.day >= lo_day
        ]
        options = [c for c in window if greedy.allowed(c, lo, lo_day)]
        if options:
            best = min(
                options,
                key=lambda c: (greedy.score(c, target), c.start.index, c.room),
            )
            greedy.add(best)
        else:
            window.sort(key=lambda c: (abs(c.start.day - target), c.start.index, c.room))
            ejected = greedy.eject_and_place(window, domains)
            if ejected is None:
                return False
            best = ejected
        previous = best
    return True


def left_out(p: Problem, timetable: Sequence[Assignment]) -> str:
    """The sessions a partial timetable does not place, as `" (left out: X, Y)"` ("" for
    none): an audit could not tell which sessions the greedy left out from --verbose."""
    placed = {a.session for a in timetable}
    out = [s.id for s in p.sessions if s.id not in placed]
    return f" (left out: {first_few(out)})" if out else ""


def all_candidates(p: Problem) -> dict[str, list[Placement]]:
    """Each session's placements the data allows, by session id (the greedy's domains; made
    once per problem, `candidates`)."""
    return {s.id: candidates(p, s) for s in p.sessions}


def precedence_trimmed(
    p: Problem, domains: dict[str, list[Placement]], rounds: int = 3
) -> dict[str, list[Placement]]:
    """`domains` less the placements a precedence rules out whatever the others do: a `before`
    session ending after the latest start of some `after` session, an `after` session starting
    before the earliest end of some `before` one (slot indices, as the model's precedences).
    An audit's series, before a visitor's fortnight in November, was spread over the year by
    the greedy, which then left the visitor's sessions no place on every restart."""
    apart = set(p.instance.reordered)
    trimmed = dict(domains)
    for _ in range(rounds):
        changed = False
        for prec in p.instance.precedences:
            befores = [s for s in sessions_of(p, prec.before) if s.id not in apart]
            afters = [s for s in sessions_of(p, prec.after) if s.id not in apart]
            if not befores or not afters or not all(trimmed[s.id] for s in befores + afters):
                continue
            latest = min(max(c.start.index for c in trimmed[a.id]) for a in afters)
            earliest = max(min(c.slots[-1].index for c in trimmed[b.id]) for b in befores)
            for b in befores:
                kept = [c for c in trimmed[b.id] if c.slots[-1].index < latest]
                changed |= len(kept) < len(trimmed[b.id])
                trimmed[b.id] = kept
            for a in afters:
                kept = [c for c in trimmed[a.id] if c.start.index > earliest]
                changed |= len(kept) < len(trimmed[a.id])
                trimmed[a.id] = kept
        if not changed:
            break
    return trimmed


def greedy_timetable(
    p: Problem,
    partial: bool = False,
    rng: random.Random | None = None,
    noise: float = 0.0,
    pull: float = PULL,
    stop: Callable[[], bool] | None = None,
    first: Sequence[str] = (),
) -> tuple[Assignment, ...] | None:
    """A timetable respecting every hard rule, or None when the greedy gets stuck (or when
    `stop()` says so between two series: Ctrl-C during a solve).

    With `partial`, sessions that find no place are skipped (and the rest of their series
    with them) instead of giving up: the result is then a partial timetable, useful as a hint.
    With `rng`, each placement's score gets a random share of up to `noise` (a restart that
    explores other timetables; the score's units are those of the soft cost). `pull` is the
    score's cost per day away from a session's even target day: high keeps every series
    spread over its window, low lets the soft rules (gaps, loads) decide. `first`: series to
    place as soon as their predecessors allow, in its order (`scheduler.squeaky_wheel`).
    """
    domains = precedence_trimmed(p, all_candidates(p))
    order = series_order(p, domains, first)
    if order is None:
        return None
    greedy = Greedy(p, rng, noise, pull)
    complete = True
    for series_id in order:
        sessions = p.series[series_id]
        days = sorted({c.start.day for s in sessions for c in domains[s.id]})
        if not days:
            if not partial:
                return None
            complete = False
            continue
        # the latest places among those still free (the series placed before hold theirs),
        # else among all (ejections may free some)
        free = _free_placements(greedy, sessions, domains)
        latest = _latest_days(sessions, free)
        if latest[0][0] < 0:
            latest = _latest_days(sessions, domains)
        if stop is not None and stop():
            return None
        if not _place_series(greedy, sessions, domains, (days[0], days[-1]), latest):
            complete = False
        if not complete and not partial:
            return None
    return tuple(
        sorted(
            Assignment(c.session.id, c.start.date, c.start.slot, c.room)
            for c in greedy.state.placed.values()
        )
    )
