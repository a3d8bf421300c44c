"""Finish a greedy timetable that left sessions out, in small models of the sessions around them.

The rings of sessions around what the greedy left out (`repair.rings`) were re-solved inside
the whole hard-rule model, which must be built first: about 25 s at 1,405 sessions, so that a
60 s solve of 20 generated programmes had no timetable. Here each ring gets a model of its
own, built from the problem: the sessions outside the ring keep the one placement the greedy
gave them (one variable each), so the build costs what the ring's candidates cost (0.1-1.4 s
at 561-1,405 sessions). It runs before the whole model is built (`greedy_finish`,
`first_timetable`).

Measured on generated instances (benchmarks/README.md, stop 66): the first greedy of 8, 10
and 20 programmes left 5, 12 and 26 sessions out; a ring of 74, 151 and 267 free sessions
finished them, in 0.7, 7.5 and 8 s from the greedy's end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.model.build import BuildStopped, BuiltModel, build_model
from scheduler.model.cpsat import SolveOptions, assignments_from_values, solve_once
from scheduler.model.repair import matching, rings
from scheduler.solution import Timetable

# A ring is not started with less than this left (seconds, or deterministic units): its
# build alone takes up to a second at 1,405 sessions. In deterministic mode a ring's search
# has at most this share of what is left, unless it is the widest: proving that a ring has
# no timetable takes longer as rings widen, while a wider one that has one is often solved at
# once (719 sessions: a ring of 119 free sessions proved infeasible in 4.3 s, one of 151
# solved in 1.0 s). A third was too little at 1,405 sessions (a ring of 282 that needed 4 s
# was stopped at 1.8 s).
MIN_RING_BUDGET, RING_SHARE_OF_BUDGET = 0.5, 1 / 2
# On the wall clock, a ring's search (unless it is the widest) has at most this many times
# what its model's build took, and `MIN_RING_CAP` seconds at least: a ring that is neither
# solved nor proved infeasible by then is left for the next, wider one. Some rings are very
# hard to prove infeasible while the next is solved at once (generated instances: rings of
# 55 and 68 free sessions unknown after 20 s, the next of 92 solved in 0.6 s; 70 unknown,
# 131 solved in 0.8 s). The rings that had a timetable took 0.5-4 times their build
# (17-488 free sessions, benchmarks/README.md, "Stop 68"). The build's time measures both
# the ring's size and the machine's speed. The cap replaces the share there: with half of
# what was left, a 1,405-session solve's ring of 282 free sessions, which needs 2.3 s alone,
# was stopped at 3 s with 6 s left, and that 60 s solve had no timetable. Deterministic runs
# count no clock: they keep the share.
RING_SEARCH_PER_BUILD, MIN_RING_CAP = 6.0, 1.0


def greedy_placements(problem: Problem, timetable: Timetable) -> dict[str, Placement]:
    """The candidate placement of each session `timetable` assigns (by session id); a session
    placed where no candidate is (not the greedy's) is left out, as if unplaced."""
    sessions = problem.session
    assigned = (sessions[a.session] for a in timetable if a.session in sessions)
    return matching((c for s in assigned for c in candidates(problem, s)), timetable)


def ring_model(
    problem: Problem, placed: dict[str, Placement], free: set[str], stop: Callable[[], bool]
) -> BuiltModel:
    """The hard-rule model in which the sessions of `free` may take any candidate placement
    and every other keeps its placement in `placed` (hinted there for the free ones)."""
    placements = {
        s.id: candidates(problem, s) if s.id in free else [placed[s.id]] for s in problem.sessions
    }
    built = build_model(problem, with_objective=False, stop=stop, placements=placements)
    for sid in free & placed.keys():
        built.model.add_hint(built.variables.x[placed[sid]], 1)
    return built


def local_repair(
    problem: Problem,
    timetable: Timetable,
    options: SolveOptions,
    budget: float,
    stop: Callable[[], bool],
    say: Callable[[str], None] = lambda line: None,
) -> tuple[Timetable | None, float]:
    """A timetable placing every session, from the partial `timetable`, or None; with the
    deterministic time its searches used.

    Rings widen until one has a timetable, `budget` is spent (wall seconds; deterministic
    units in deterministic mode, where the builds count nothing: they read no clock) or
    `stop()` says so (Ctrl-C, the caller's deadline), which is asked during builds too."""
    placed = greedy_placements(problem, timetable)
    began, used = time.monotonic(), 0.0

    def left() -> float:
        return budget - (used if options.deterministic else time.monotonic() - began)

    widening = list(rings(problem, placed))
    least = 1.0 if options.deterministic else MIN_RING_BUDGET  # CP-SAT's least: 1 unit
    for k, free in enumerate(widening):
        if stop() or left() < least:
            break
        began_build = time.monotonic()
        try:
            built = ring_model(problem, placed, free, stop)
        except BuildStopped:
            break
        limit = left()  # the widest ring's
        if k < len(widening) - 1 and options.deterministic:
            limit *= RING_SHARE_OF_BUDGET
        elif k < len(widening) - 1:
            cap = RING_SEARCH_PER_BUILD * (time.monotonic() - began_build)
            limit = min(limit, max(cap, MIN_RING_CAP))
        seconds = max(limit, least)
        solver, status, _ = solve_once(built.model, replace(options, time_limit=seconds))
        used += solver.response_proto.deterministic_time
        say(f"local repair, {len(free)} sessions free: {status.name.lower()}")
        if status.has_solution:
            return assignments_from_values(built, list(solver.response_proto.solution)), used
    return None, used
