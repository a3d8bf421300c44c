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
from dataclasses import dataclass, field
from datetime import date

from scheduler.data.domains import Placement
from scheduler.data.findings import Domains
from scheduler.data.problem import Problem

MAX_ROUNDS = 5  # a session newly bound by a narrowing narrows others in the next round


@dataclass
class Narrowed:
    """The narrowed domains, and for each narrowed session the bound sessions that narrowed it."""

    domains: dict[str, list[Placement]]
    by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


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


def _bound(placements: list[Placement]) -> tuple[date, set[str], set[int]] | None:
    """(its one date, the sites it may use, the slots every placement occupies), or None."""
    days = {c.start.date for c in placements}
    if len(days) != 1:
        return None
    sure = set.intersection(*({d.index for d in c.slots} for c in placements))
    return days.pop(), {c.site for c in placements}, sure


def narrowed(p: Problem, domains: Domains) -> Narrowed:
    """`domains` less the placements that bound sessions rule out (`MAX_ROUNDS` passes)."""
    result = Narrowed({sid: list(cs) for sid, cs in domains.items()})
    near = _neighbours(p)
    done: dict[str, int] = {}
    for _ in range(MAX_ROUNDS):
        changed = False
        for s in p.sessions:
            mine = result.domains[s.id]
            bound = _bound(mine) if mine else None
            if bound is None or done.get(s.id) == len(mine):
                continue
            done[s.id] = len(mine)
            day, sites, sure = bound
            areas = {p.area[site] for site in sites}
            for other in near.get(s.id, ()):
                theirs = result.domains[other]
                keep = [
                    c
                    for c in theirs
                    if c.start.date != day
                    or (p.area[c.site] in areas and not sure & {d.index for d in c.slots})
                ]
                if len(keep) < len(theirs):
                    result.domains[other] = keep
                    result.by[other].add(s.id)
                    changed = True
        if not changed:
            break
    return result
