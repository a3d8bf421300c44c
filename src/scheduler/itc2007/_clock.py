"""The ITC-2007 solve's clock: wall-clock seconds, or work units in a deterministic mode.

On the wall clock a run is repeatable only up to where the limit cuts it, and the path of the
search depended on when the annealing kernel's child ended (an audit: one run in four of
toy at seed 7 gave another timetable). In the deterministic mode the limit is in work units
that the search counts itself: CP-SAT's deterministic time for each sub-solve, and a fixed
number of annealing moves per unit (`MOVES_PER_UNIT`, about a second of this machine's
annealing); then the same instance, seed and limit give the same timetable on any machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

# Annealing moves counted as one unit: ~3 M moves a second on comp01 and comp05 (2-core
# machine, idle), so that a unit is about a second here, as CP-SAT's deterministic time is.
MOVES_PER_UNIT = 3_000_000
WALL_NET = 3600.0  # a deterministic sub-solve's wall-clock net (its limit is in units)
# The least a sub-solve is charged: one CP-SAT presolve may report no deterministic time at
# all, and a loop of such solves would never reach the limit.
MIN_CHARGE = 0.01


class Clock:
    """What is spent of the limit, and what is left (none once `stopped()`, Ctrl-C)."""

    def __init__(self, limit: float, deterministic: bool, stopped: Callable[[], bool]) -> None:
        self.limit = limit
        self.deterministic = deterministic
        self.stopped = stopped
        self._start = time.monotonic()
        self._units = 0.0

    def spent(self) -> float:
        """Seconds since the start, or units counted (deterministic)."""
        return self._units if self.deterministic else time.monotonic() - self._start

    def left(self) -> float:
        return 0.0 if self.stopped() else self.limit - self.spent()

    def limit_solver(self, solver: cp_model.CpSolver, budget: float, workers: int) -> None:
        """`solver`'s limit: `budget` seconds, or units of deterministic time on one worker
        (several workers do not give the same search twice)."""
        if self.deterministic:
            solver.parameters.max_deterministic_time = max(0.01, budget)
            solver.parameters.max_time_in_seconds = WALL_NET
            solver.parameters.num_workers = 1
        else:
            solver.parameters.max_time_in_seconds = max(0.05, budget)
            solver.parameters.num_workers = workers

    def charge_solver(self, solver: cp_model.CpSolver) -> None:
        """Count a sub-solve's deterministic time (deterministic mode)."""
        if self.deterministic:
            self._units += max(MIN_CHARGE, solver.response_proto.deterministic_time)

    def charge_moves(self, moves: int) -> None:
        """Count annealing moves (deterministic mode)."""
        if self.deterministic:
            self._units += moves / MOVES_PER_UNIT
