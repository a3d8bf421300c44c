"""Solver-free results: assignments, solutions and the outcome of a solve."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    """Outcome of a solve, as written in solution.json."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


#: CP-SAT workers unless told otherwise: the machines this is built and measured on have
#: two cores (SOLVER_NOTES.md)
DEFAULT_WORKERS = 2


@dataclass(frozen=True, order=True)
class Assignment:
    """A session placed at a dated slot (its first slot) in a room."""

    session: str
    date: date
    slot: str
    room: str


Timetable = tuple[Assignment, ...]  # one per session placed


@dataclass(frozen=True)
class SolverInfo:
    """How a solution was obtained."""

    name: str = "cp-sat"
    version: str = ""
    seed: int = 0
    workers: int = DEFAULT_WORKERS
    time_limit: float | None = None
    deterministic: bool = False
    start_from: str | None = None  # the solution.json a solve continued from (--start-from)
    start_from_sha256: str | None = None  # ... and its content, to reproduce the solve


@dataclass(frozen=True)
class Floor:
    """A weighted cost that every timetable of the instance pays, from its data alone, and
    why in plain words (`model.data_bound.floors`)."""

    rules: tuple[str, ...]  # the soft rule(s) it is a bound of (a series' gaps: one or two)
    cost: int
    message: str

    @property
    def label(self) -> str:
        """The rule names joined, e.g. `ue_gap+ue_spread`."""
        return "+".join(self.rules)


def relative_gap(objective: float, bound: float) -> float:
    """(objective - bound) / |objective|, at least 0; 0 for an objective of 0."""
    if objective == 0:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


def within_gap(objective: float, bound: float | None, limit: float) -> bool:
    """Whether `bound` proves `objective` within the relative gap `limit` (0: proved optimal)."""
    return bound is not None and (bound >= objective or relative_gap(objective, bound) <= limit)


def interrupted_note(by: str = "Ctrl-C") -> str:
    """The note of a result that `by` (Ctrl-C, SIGTERM) stopped with a timetable."""
    return f"stopped by {by}: the best timetable found so far"


@dataclass(frozen=True)
class Result:
    """A solve's outcome: status, the timetable if any, objective and bound."""

    status: Status
    assignments: tuple[Assignment, ...] = ()
    objective: int | None = None
    bound: int | None = None
    wall_seconds: float = 0.0
    first_solution_seconds: float | None = None
    costs: dict[str, int] = field(default_factory=dict)
    solver: SolverInfo = field(default_factory=SolverInfo)
    progress: tuple[tuple[float, int, int], ...] = ()
    message: str = ""
    reordered: tuple[str, ...] = ()  # sessions out of series order (Instance.reordered)
    interrupted: bool = False  # Ctrl-C ended the solve (the timetable is the best so far)
    # costs the data forces (a solve records them); None: not computed (a greedy timetable
    # kept at the limit: `report` computes them)
    unavoidable: tuple[Floor, ...] | None = None

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound, or None without both."""
        if self.objective is None or self.bound is None:
            return None
        return relative_gap(self.objective, self.bound)


def marked_interrupted(result: Result, by: str = "Ctrl-C") -> Result:
    """`result` of a solve that Ctrl-C (or `by`, e.g. SIGTERM) ended, with the note saying so."""
    note = interrupted_note(by) if result.status.has_solution else f"stopped by {by}"
    return replace(result, interrupted=True, message=note)
