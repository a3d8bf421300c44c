"""Rings of sessions to re-solve around what a greedy timetable left out.

The greedy constructor (`scheduler.construct`) often places all but a handful of sessions.
Searching the whole hard-rule model for a first timetable can then take minutes, although the
conflict is local. The series the greedy left unfinished are re-solved together with the
placed sessions nearest to where they stopped among those they compete with (same teacher or
same students), in rings of growing size (`rings`); every other session stays where the
greedy put it. `local_repair` solves each ring in a small model of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.model.build import BuiltModel
from scheduler.solution import Assignment


def placements_of(hard: BuiltModel, timetable: tuple[Assignment, ...]) -> dict[str, Placement]:
    """The model's placement of each assigned session (by session id)."""
    return matching(hard.variables.x, timetable)


def matching(
    placements: Iterable[Placement], timetable: tuple[Assignment, ...]
) -> dict[str, Placement]:
    """The placement among `placements` of each session `timetable` assigns (by session id);
    a session whose assignment is none of them is left out."""
    wanted = {(a.session, a.date, a.slot, a.room) for a in timetable}
    return {
        c.session.id: c
        for c in placements
        if (c.session.id, c.start.date, c.start.slot, c.room) in wanted
    }


def rings(p: Problem, placed: dict[str, Placement]) -> Iterator[set[str]]:
    """Sessions to re-solve, widening: the series the greedy left unfinished, each with its
    nearest 8, 16, 32... placed rivals (sessions sharing a teacher or students with it),
    nearest in days to where the series stopped; the last ring holds every rival."""
    missing = [s for s in p.sessions if s.id not in placed]
    if not missing:
        return
    first_missing: dict[str, Session] = {}
    for s in missing:
        first_missing.setdefault(s.series_id, s)
    base = {s.id for s in p.sessions if s.series_id in first_missing}
    rivals = {series: _rivals(p, placed, s, base) for series, s in sorted(first_missing.items())}
    size, widest = 8, max(len(r) for r in rivals.values())
    while True:
        yield base.union(*(r[:size] for r in rivals.values()))
        if size >= widest:
            return
        size *= 2


def _rivals(p: Problem, placed: dict[str, Placement], s: Session, base: set[str]) -> list[str]:
    """Placed sessions sharing a teacher or students with `s`, nearest first to the day where
    the greedy left `s`'s series."""
    profiles = [pr for pr in p.profiles if pr.intersection(s.groups)]
    stop = _stop_day(p, placed, s)
    near = sorted(
        (abs(placed[r.id].start.day - stop), r.id)
        for r in p.sessions
        if r.id in placed
        and r.id not in base
        and (
            set(s.teachers).intersection(r.teachers)
            or any(pr.intersection(r.groups) for pr in profiles)
        )
    )
    return [sid for _, sid in near]


def _stop_day(p: Problem, placed: dict[str, Placement], s: Session) -> int:
    """The day where the greedy left `s`'s series: its last placed session before `s`, else
    the first day `s` may take."""
    before = [
        placed[m.id].start.day
        for m in p.series[s.series_id]
        if m.number < s.number and m.id in placed
    ]
    if before:
        return max(before)
    return min((c.start.day for c in candidates(p, s)), default=0)
