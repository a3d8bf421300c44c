"""Domains narrowed by sessions bound to one day: what pins and windows already decide.

A session whose every placement falls on one date (a pin, a one-day window, a re-solve's
past) tells its teachers and students where they are that day: in one of its areas, and in
the slots all its placements occupy. Another session sharing a teacher or students cannot be
in another area that day (one site a day, `Site.area`), nor in those slots (one session at a
time). The model states both rules in its search; the pre-flight's flows only see the
filtered domains (`scheduler.data.domains`), and so missed an audit's two sessions pinned on
Wednesdays in Liège that took two of the ten days a series elsewhere needed.

Each removal follows from the hard rules and the domains alone, so the narrowed domains hold
every timetable's placements: a flow short on them still proves that no timetable exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from scheduler.data.domains import Placement
from scheduler.data.findings import Domains
from scheduler.data.problem import Problem

MAX_ROUNDS = 5  # a session newly bound by a narrowing narrows others in the next round


@dataclass
class Narrowed:
    """The narrowed domains; for each narrowed session the bound sessions that narrowed it;
    for each of those, its date and sites when it did (it may be emptied later)."""

    domains: dict[str, list[Placement]]
    by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    bound_at: dict[str, tuple[date, tuple[str, ...]]] = field(default_factory=dict)

    def roots(self, sessions: list[str]) -> list[str]:
        """The bound sessions that narrowed `sessions`, and those that narrowed them in turn
        (a pin narrows a session, which bound, narrows the next: name the pin too)."""
        found: list[str] = []
        todo = [b for sid in sessions for b in sorted(self.by.get(sid, ()))]
        while todo:
            b = todo.pop(0)
            if b not in found:
                found.append(b)
                todo += sorted(self.by.get(b, ()))
        return sorted(found)


def _neighbours(p: Problem) -> dict[str, set[str]]:
    """Each session's sessions sharing a teacher or a student profile (itself excluded)."""
    found: dict[str, set[str]] = defaultdict(set)
    groups = [
        [s.id for s in p.sessions if profile.intersection(s.groups)] for profile in p.profiles
    ]
    teachers = [[s.id for s in p.sessions if t.id in s.teachers] for t in p.instance.teachers]
    for ids in (*groups, *teachers):
        for sid in ids:
            found[sid].update(ids)
    for sid, near in found.items():
        near.discard(sid)
    return found


def _by_day(placements: Sequence[Placement]) -> dict[date, list[Placement]]:
    days: dict[date, list[Placement]] = defaultdict(list)
    for c in placements:
        days[c.start.date].append(c)
    return days


def narrowed(p: Problem, domains: Domains) -> Narrowed:
    """`domains` less the placements that bound sessions rule out (`MAX_ROUNDS` passes).
    Domains are indexed by date, so a bound session looks only at its neighbours' placements
    on its own date (a review's 400 sessions, 200 pinned, took 30 s otherwise)."""
    days = {sid: _by_day(cs) for sid, cs in domains.items()}
    result = Narrowed({})
    near = _neighbours(p)
    done: dict[str, int] = {}
    for _ in range(MAX_ROUNDS):
        changed = False
        for s in p.sessions:
            mine = days[s.id]
            if len(mine) != 1:
                continue
            ((day, placed),) = mine.items()
            if not placed or done.get(s.id) == len(placed):
                continue
            done[s.id] = len(placed)
            areas = {p.area[c.site] for c in placed}
            sure = set.intersection(*({d.index for d in c.slots} for c in placed))
            for other in near.get(s.id, ()):
                theirs = days[other].get(day)
                if not theirs:
                    continue
                keep = [
                    c
                    for c in theirs
                    if p.area[c.site] in areas and not sure & {d.index for d in c.slots}
                ]
                if len(keep) < len(theirs):
                    if keep:
                        days[other][day] = keep
                    else:
                        del days[other][day]
                    result.by[other].add(s.id)
                    result.bound_at.setdefault(s.id, (day, tuple(sorted({c.site for c in placed}))))
                    changed = True
        if not changed:
            break
    result.domains = {
        sid: [c for day in sorted(by) for c in by[day]] if sid in result.by else list(domains[sid])
        for sid, by in days.items()
    }
    return result
