"""A quick first timetable for a re-solve: the published one, repaired around what changed.

The least-disruption step (`resolve.solve`) searches the whole model, hinted with the
published timetable, which no longer holds. When a change cascades (the first session of a
series cancelled, which the next ones must follow), that search could still be far from the
least disruption when the limit came: on the sample, a cancelled UE2-pleniere-01 moved 17-24
sessions at 10 s where 4 suffice (proved only after 14-19 s). Here the sessions the changes
touch are freed, every other one kept where it was published, and that small model solved for
the least disruption; while it has no timetable the ring widens: their series too, then the
sessions published within two, then five weeks of the touched ones (never every session:
that is the whole search's job). The first timetable found hints the whole search, which then
only has to improve or prove it, and is kept should that search find none in time.

Wall-clock solves only: a deterministic re-solve keeps its one search, so that its timetable
stays what it was on any machine.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.model import interrupt
from scheduler.model.build import BuiltModel, fix_all_but, hint_solution, placements_by_session
from scheduler.model.cpsat import STATUS, SolveOptions, parameters
from scheduler.resolve.apply import Revision
from scheduler.resolve.disruption import published_at
from scheduler.solution import Status

RING_DAYS = (None, None, 14, 35)  # the touched, with their series, then within these days
RING_SECONDS = 2.0  # each ring at most
RINGS_SHARE = 0.25  # of the limit, for all rings
RINGS_AT_LEAST = 1.0  # seconds, whatever the limit: at 1-2 s a ring is the one timetable found
Log = Callable[[str], None]


def touched(built: BuiltModel, revision: Revision) -> set[str]:
    """Sessions still to give whose published placement no longer holds: cancelled, added
    (never published), published where the revised model has no such placement (a teacher
    away, a room or site closed) or where it may no longer start, given by other teachers
    now, or named by a hard rule the published timetable breaks in the revised instance (two
    sessions of a teacher who replaces another, at the same time: a review)."""
    v, p = built.variables, built.variables.problem
    offered = {(c.session.id, c.start.date, c.start.slot, c.room) for c in v.x}
    out: set[str] = set()
    for s in p.sessions:
        old = revision.previous.get(s.id)
        if s.id in revision.frozen:
            continue
        if (
            old is None
            or s.id in revision.cancelled
            or (s.id, old.date, old.slot, old.room) not in offered
            or not revision.may_place(s.id, old.date, old.slot, old.room, p.room_site)
        ):
            out.add(s.id)
    kept = [a for sid, a in revision.previous.items() if sid in p.session and sid not in out]
    for violation in check(p, kept).violations:
        out |= {e for e in violation.entities if e in p.session}
    return out - revision.frozen


def rings(problem: Problem, revision: Revision, first: set[str]) -> list[set[str]]:
    """The sessions each ring frees, widening (`RING_DAYS`), each smaller than every movable
    session; the frozen never."""
    movable = {s.id for s in problem.sessions} - set(revision.frozen)
    out: list[set[str]] = []
    free = set(first) & movable
    for days in RING_DAYS:
        if out:  # the first ring is `first` itself
            free |= _series_of(problem, free) & movable
        if days is not None:  # measured from the touched ones: series span months
            free |= _published_near(revision, first, days) & movable
        if free >= movable:
            break
        if free and (not out or free != out[-1]):
            out.append(set(free))
    return out


def _series_of(problem: Problem, sessions: set[str]) -> set[str]:
    """Every session of the series of `sessions`."""
    names = {problem.session[sid].series_id for sid in sessions}
    return {s.id for s in problem.sessions if s.series_id in names}


def _published_near(revision: Revision, sessions: set[str], days: int) -> set[str]:
    """The sessions published within `days` of a date one of `sessions` was published on
    (today, for sessions never published)."""
    dates = {
        revision.previous[sid].date if sid in revision.previous else revision.today
        for sid in sessions
    }
    span = dt.timedelta(days=days)
    return {
        sid for sid, a in revision.previous.items() if any(abs(a.date - d) <= span for d in dates)
    }


def repair_hint(
    built: BuiltModel, revision: Revision, options: SolveOptions, log: Log | None = None
) -> list[int] | None:
    """The first ring's timetable (a complete assignment of `built`, the least-disruption
    model), hinted to `built`; None when no ring had one in time."""
    start = time.monotonic()
    placements = placements_by_session(built)
    values = [0] * len(built.model.proto.variables)
    for sid, pairs in placements.items():
        for c, index in pairs:
            values[index] = int(published_at(c, revision.previous.get(sid)))
    budget = max(options.time_limit * RINGS_SHARE, RINGS_AT_LEAST)
    for free in rings(built.variables.problem, revision, touched(built, revision)):
        seconds = min(RING_SECONDS, budget - (time.monotonic() - start))
        if seconds < 0.1 or interrupt.tripped():
            break
        ring = built.model.clone()
        fix_all_but(ring, placements, values, free)
        solver = cp_model.CpSolver()
        solver.parameters.copy_from(
            parameters(SolveOptions(**{**options.__dict__, "time_limit": seconds}))
        )
        status = STATUS.get(interrupt.solve(solver, ring), Status.UNKNOWN)
        if log is not None:
            freed = count_of(len(free), "session")
            log(f"repair ring of {freed}: {status.value} in {solver.wall_time:.1f} s")
        if status.has_solution:
            found = list(solver.response_proto.solution)
            hint_solution(built.model, found)
            return found
    return None
