"""Repair a greedy timetable that left a few sessions out, by re-solving around them.

The greedy constructor (`scheduler.construct`) often places all but a handful of sessions.
Searching the whole hard-rule model for a first timetable can then take minutes, although the
conflict is local. Here the series the greedy left unfinished are re-solved together with the
placed sessions nearest to where they stopped among those they compete with (same teacher or
same students), in rings of growing size; every other session stays where the greedy put it.
Each ring is a short CP-SAT solve of the hard rules; the caller falls back to a search of the
whole model when no ring succeeds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.model.build import BuiltModel, fix_all_but, placements_by_session
from scheduler.solution import Assignment

Solve = Callable[[cp_model.CpModel, float], cp_model.CpSolver | None]
"""Solve a model within some seconds: the solver holding a solution, or None."""


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


def repair(
    hard: BuiltModel, timetable: tuple[Assignment, ...], seconds: float, solve: Solve
) -> tuple[set[Placement], set[str]] | None:
    """A complete timetable from a partial one within `seconds`: (its placements, the ids of
    the sessions that were free to move), or None.

    The rings fix variable domains of `hard`'s model in place (no copy: at faculty scale a
    copy is a gigabyte) and restore them, and its hints, before returning. Between rings only
    the domains of the sessions freed by either are rewritten (at 10 programmes, every
    domain took 0.2 s each time).
    """
    deadline = time.monotonic() + seconds
    placed = placements_of(hard, timetable)
    model, x = hard.model, hard.variables.x
    by_session = placements_by_session(hard)
    values = [0] * len(model.proto.variables)
    for c in placed.values():
        values[x[c].index] = 1
    before: set[str] | None = None  # the last ring: only its and the next one's domains change
    try:
        for free in rings(hard.variables.problem, placed):
            left = deadline - time.monotonic()
            if left < 0.5:
                break
            fix_all_but(model, by_session, values, free, None if before is None else before | free)
            before = free
            model.clear_hints()
            for sid in free & placed.keys():  # hint where the greedy put them
                for c, index in by_session[sid]:
                    model.add_hint(x[c], values[index])
            solver = solve(model, left)  # small rings end fast: solved, or proved infeasible
            if solver is not None:
                chosen = {c for c, var in x.items() if solver.boolean_value(var)}
                return chosen, free
        return None
    finally:
        fix_all_but(model, by_session, values, set(by_session))  # every placement free again
        model.clear_hints()
