"""Neighbourhood steps: free some sessions of the best timetable, fix the rest, re-solve, keep.

`Steps` is one worker's steps (`model.lns.Search` runs several in threads, beside a bound
search); `sequential_search` runs one worker's steps one after another, for one-worker solves
(`--deterministic`, `--workers 1`), on CP-SAT's deterministic clock when deterministic, so that
the same seed takes the same steps on any machine. `Incumbent` is the best timetable shared by
the workers; Ctrl-C (`model.interrupt`) stops the current step and ends the steps.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.model import interrupt
from scheduler.model.build import (
    BuiltModel,
    fix_all_but,
    hint_solution,
    keep_series_rooms,
    placed_by_session,
    placements_by_session,
)
from scheduler.model.cpsat import wall_safety_net
from scheduler.model.interrupt import Interrupted
from scheduler.model.neighbourhoods import Neighbourhoods
from scheduler.model.variables import Placement
from scheduler.solution import within_gap

STEP_SECONDS = 3.0  # time limit of one neighbourhood solve
# A wall-clock step ends this long after its latest solution, or as long as its first took
# if longer (large models load slowly): most of a step's time went into proving that what it
# had was its best (benchmarks/README.md, "Stop 38").
STALL_SECONDS = 1.0
MIN_STEP_TIME = 1e-3  # deterministic time counted at least per step, so that steps end


@dataclass
class Incumbent:
    """The best complete assignment so far (shared by all threads), with its objective."""

    values: list[int]
    objective: int
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, values: list[int], objective: int) -> bool:
        """Keep `values` if no worse; True when strictly better."""
        with self.lock:
            if objective > self.objective:
                return False
            better = objective < self.objective
            self.values, self.objective = values, objective
            return better


class StallStop(cp_model.CpSolverSolutionCallback):
    """Stops `solver` `seconds` after its latest solution, or as long after it as the first
    solution took to come, if longer (a timer re-armed at each solution). Made just before
    the solve (`began`); `cancel` when the solve has ended, after which it stops nothing and
    `fired` says for good whether it stopped the solve."""

    def __init__(self, solver: cp_model.CpSolver, seconds: float) -> None:
        super().__init__()
        self.solver = solver
        self.seconds = seconds
        self.began = time.monotonic()
        self.timer: threading.Timer | None = None  # none until the first solution
        self.fired = False  # whether it stopped the solver
        self.over = False  # the solve has ended
        self.lock = threading.Lock()  # a timer firing as the solve ends sees `over`

    def on_solution_callback(self) -> None:
        with self.lock:
            if self.timer is None:  # the first solution
                self.seconds = max(self.seconds, time.monotonic() - self.began)
            else:
                self.timer.cancel()
            if self.over:
                return
            self.timer = threading.Timer(self.seconds, self._fire)
            self.timer.daemon = True
            self.timer.start()

    def _fire(self) -> None:
        with self.lock:
            if self.over:
                return
            self.fired = True
        self.solver.stop_search()

    def cancel(self) -> None:
        with self.lock:
            self.over = True
            if self.timer is not None:
                self.timer.cancel()


class Steps:
    """One worker's neighbourhood steps: free, fix the rest, re-solve, offer the result.

    Each worker has its own copy of the model and its own random neighbourhoods; all share
    the incumbent (through `offer`), so a step always starts from the best timetable so far.
    With `deterministic`, steps are limited and timed in CP-SAT's deterministic time instead
    of wall seconds (`now`), so that the same seed takes the same steps on any machine;
    otherwise a step also ends when it has found nothing better for a while (`StallStop`).
    """

    def __init__(
        self,
        built: BuiltModel,
        problem: Problem,
        placements: dict[str, list[tuple[Placement, int]]],
        params: cp_model.SatParameters,
        seed: int,
        name: str,
        deterministic: bool = False,
    ) -> None:
        self.model = built.model.clone()
        self.placements = placements
        self.params = params
        self.seed = seed
        self.name = name
        self.hood = Neighbourhoods(problem, random.Random(seed), STEP_SECONDS)
        self.count = 0
        self.deterministic = deterministic
        self.used = 0.0  # deterministic time of the steps so far
        # What the model's domains hold since the last step: each fixed session's placement,
        # and the sessions left free (`fix_all_but` then rewrites only what differs).
        self.fixed: dict[str, Placement] | None = None
        self.freed: set[str] = set()

    def now(self) -> float:
        """The steps' clock: wall seconds (time.monotonic), or deterministic time used."""
        return self.used if self.deterministic else time.monotonic()

    def to_rewrite(self, placed: dict[str, Placement], free: set[str]) -> set[str] | None:
        """The sessions whose domains must change to fix `placed` outside `free`: those freed
        last step or now, and those placed elsewhere since (None: every one, at first)."""
        if self.fixed is None:
            return None
        moved = {sid for sid, c in placed.items() if self.fixed.get(sid) != c}
        return moved | self.freed | free

    def step(
        self,
        incumbent: Incumbent,
        deadline: float,
        offer: Callable[[list[int]], None],
        log: Callable[[str], None] | None,
    ) -> None:
        """One step, its solve ending by `deadline` (on the `now` clock) at the latest."""
        self.count += 1
        values = incumbent.values
        placed = placed_by_session(self.placements, values)
        kind, free = self.hood.choose(placed)
        fix_all_but(self.model, self.placements, values, free, self.to_rewrite(placed, free))
        self.fixed, self.freed = placed, free
        any_room = self.hood.any_room()
        if not any_room:
            keep_series_rooms(self.model, self.placements, placed, free)
        hint_solution(self.model, values)
        left = deadline - self.now()  # after the set-up, which shares the Python lock
        if left <= 0:
            return
        solver = self._solver(left)
        status, stalled = self._solve(solver)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            offer(list(solver.response_proto.solution))
        spent = solver.response_proto.deterministic_time if self.deterministic else solver.wall_time
        self.used += max(MIN_STEP_TIME, solver.response_proto.deterministic_time)
        self.hood.learn(status == cp_model.OPTIMAL, spent)
        if log is not None:
            unit = "deterministic units" if self.deterministic else "s"
            log(
                f"neighbourhood step {self.name}{self.count}: {kind}, {len(free)} sessions "
                f"freed{' (any room)' if any_room else ''}, {solver.status_name(status)} in "
                f"{spent:.2f} {unit}{' (nothing better for a while)' if stalled else ''}; "
                f"best {incumbent.objective}"
            )

    def _solver(self, left: float) -> cp_model.CpSolver:
        """A one-worker solver for a step, limited to `STEP_SECONDS` and to `left` (on the
        `now` clock)."""
        solver = cp_model.CpSolver()
        solver.parameters.copy_from(self.params)
        solver.parameters.num_workers = 1
        solver.parameters.relative_gap_limit = 0.0  # a step's own gap says nothing of the whole
        solver.parameters.random_seed = self.seed + self.count
        limit = min(STEP_SECONDS, left)
        if self.deterministic:
            solver.parameters.max_deterministic_time = limit
            # a safety net only, as in cpsat (a short one could end a step first on a slow machine)
            solver.parameters.max_time_in_seconds = wall_safety_net(limit)
        else:
            solver.parameters.max_time_in_seconds = limit
        solver.parameters.log_search_progress = False
        return solver

    def _solve(self, solver: cp_model.CpSolver) -> tuple[cp_model.CpSolverStatus, bool]:
        """The step's solve: (status, whether `StallStop` ended it). Deterministic steps run
        to their limit: a wall-clock stop would make them depend on the machine."""
        stall = None if self.deterministic else StallStop(solver, STALL_SECONDS)
        try:
            status = interrupt.solve(solver, self.model, stall)
        finally:
            if stall is not None:
                stall.cancel()
        # a solve that ended by itself as the timer fired was not stopped by it
        return status, stall is not None and stall.fired and status != cp_model.OPTIMAL


def sequential_search(
    built: BuiltModel,
    problem: Problem,
    start: list[int],
    params: cp_model.SatParameters,
    budget: float,
    seed: int,
    evaluate: Callable[[list[int]], int],
    deterministic: bool,
    on_better: Callable[[float, int, float | None], None] | None = None,
    log: Callable[[str], None] | None = None,
    floor: int | None = None,
    gap_limit: float = 0.0,
) -> tuple[list[int], int]:
    """One worker's neighbourhood steps from `start`, one after another: (values, objective).

    For `--deterministic` and one-worker solves, where the threads of `Search` have no place:
    `budget` is CP-SAT's deterministic time when `deterministic` (the same seed then gives
    the same timetable on any machine), else wall seconds. There is no bound search beside
    it; it ends early at a timetable that `floor` proves within `gap_limit`, or at Ctrl-C.
    `on_better(seconds, objective, None)` is called at each better timetable.
    """
    began = time.monotonic()
    incumbent = Incumbent(start, evaluate(start))
    placements = placements_by_session(built)
    steps = Steps(built, problem, placements, params, seed, "", deterministic)
    deadline = steps.now() + budget

    def offer(values: list[int]) -> None:
        if incumbent.offer(values, evaluate(values)) and on_better is not None:
            on_better(time.monotonic() - began, incumbent.objective, None)

    with Interrupted() as interrupted:
        while (
            placements
            and not interrupted.flag
            and deadline - steps.now() > MIN_STEP_TIME
            and not within_gap(incumbent.objective, floor, gap_limit)
        ):
            steps.step(incumbent, deadline, offer, log)
    return incumbent.values, incumbent.objective
