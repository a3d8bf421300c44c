"""A CP-SAT solver for ITC-2007 track 3 (CB-CTT): two stages and a large-neighbourhood search.

* Stage A (``_time_model``): lectures to periods with rooms only counted per period; the counting
  also gives the exact minimum RoomCapacity for the chosen periods.
* Stage B (``_room_model``): rooms for fixed periods, minimising RoomCapacity + RoomStability.
* LNS (``_lns``), two phases. First on the stage A model (for ``TIME_PHASE_SHARE`` of the time
  limit; greedy rooms score each new best), then stage B assigns rooms and the LNS continues on
  the full 3-index model (periods and rooms, exact UD2 objective) from that timetable. Each
  step clones the model, fixes everything outside a neighbourhood and re-solves from the
  current solution (a complete hint).

Every result is scored by ``evaluate``, the independent UD2 scorer; its total is the reported cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.itc2007._lns import Lns, complete
from scheduler.itc2007._room_model import greedy_rooms, solve_rooms
from scheduler.itc2007._time_model import TimeModel, build_time_model
from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.score import Score, evaluate
from scheduler.itc2007.solution_format import Lecture

Log = Callable[[str], None]

TIME_PHASE_SHARE = 0.4  # share of the time limit spent on the periods-only LNS
ROOM_STAGE_SECONDS = 2.0  # time limit of stage B between the two LNS phases


@dataclass(frozen=True)
class ItcResult:
    """Outcome of ``solve_ctt``.

    ``status`` is ``FEASIBLE`` (a timetable with no hard violation), ``OPTIMAL`` (cost 0),
    ``INFEASIBLE`` (proved) or ``UNKNOWN`` (none found in time). ``history`` lists
    ``(seconds, total cost)`` at each improvement of the best timetable.
    """

    lectures: tuple[Lecture, ...]
    score: Score | None
    first_feasible_seconds: float | None
    wall_seconds: float
    status: str
    history: tuple[tuple[float, int], ...]

    @property
    def cost(self) -> int | None:
        """The official UD2 total cost, or ``None`` without a timetable."""
        return None if self.score is None else self.score.total_cost


def to_lectures(
    instance: CttInstance, periods: list[list[int]], rooms: list[dict[int, int]]
) -> tuple[Lecture, ...]:
    """The solution-file view of course periods and rooms."""
    lectures = []
    for c, course in enumerate(instance.courses):
        for p in periods[c]:
            day, slot = instance.day_period(p)
            lectures.append(Lecture(course.id, instance.rooms[rooms[c][p]].id, day, slot))
    return tuple(lectures)


def _first_timetable(
    tm: TimeModel, time_limit: float, workers: int, seed: int
) -> tuple[cp_model.CpSolverStatus, list[int]]:
    """A first stage A solution: ``(status, full solution vector)``, empty if none.

    The hard rules alone are solved first (fast, no objective), then the soft-rule indicators
    are completed for those periods.
    """
    model = tm.model.clone()
    model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_probing_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, []
    periods = tm.periods_of(list(solver.response_proto.solution))
    return status, complete(tm, periods, [], time_limit, seed)


def solve_ctt(
    instance: CttInstance,
    time_limit: float = 60.0,
    workers: int = 1,
    seed: int = 0,
    log: Log | None = None,
) -> ItcResult:
    """Solve a CB-CTT instance within ``time_limit`` seconds of wall time.

    ``workers`` is CP-SAT's ``num_workers`` in every sub-solve; ``seed`` fixes CP-SAT's seeds and
    the neighbourhood choice (runs are repeatable up to where the wall-clock limit cuts them).
    """
    start = time.monotonic()

    def elapsed() -> float:
        return time.monotonic() - start

    def say(text: str) -> None:
        if log is not None:
            log(f"[{elapsed():7.2f}s] {text}")

    tm = build_time_model(instance)
    say(f"stage A model: {len(tm.model.proto.variables)} variables")
    status, values = _first_timetable(tm, time_limit - elapsed(), workers, seed)
    if not values:
        name = "INFEASIBLE" if status == cp_model.INFEASIBLE else "UNKNOWN"
        say(f"no timetable: {name}")
        return ItcResult((), None, None, elapsed(), name, ())
    periods = tm.periods_of(values)
    best_periods, best_rooms = periods, greedy_rooms(instance, periods)
    best = to_lectures(instance, periods, best_rooms)
    best_score = evaluate(instance, best)
    first = elapsed()
    history = [(first, best_score.total_cost)]
    say(f"first timetable: cost {best_score.total_cost}")

    def on_timetable(periods: list[list[int]], rooms: list[dict[int, int]], placed: bool) -> int:
        """Keep a timetable if it is the best so far (greedy rooms unless ``placed``)."""
        nonlocal best, best_score, best_rooms, best_periods
        if not placed:
            rooms = greedy_rooms(instance, periods, rooms)
        lectures = to_lectures(instance, periods, rooms)
        score = evaluate(instance, lectures)
        if score.feasible and score.total_cost < best_score.total_cost:
            best, best_score, best_rooms, best_periods = lectures, score, rooms, periods
            history.append((elapsed(), score.total_cost))
            say(f"new best: cost {score.total_cost}")
        return score.total_cost

    switch = time_limit * TIME_PHASE_SHARE
    lns = Lns(tm, values, best_rooms, workers, seed, on_timetable, say)
    lns.run(lambda: switch - elapsed())
    periods = tm.periods_of(lns.values)
    limit = min(ROOM_STAGE_SECONDS, max(0.1, time_limit - elapsed()))
    on_timetable(
        periods, solve_rooms(instance, periods, limit, workers, seed, lns.rooms).rooms, True
    )
    say(f"joint phase from cost {best_score.total_cost}")
    full = build_time_model(instance, with_rooms=True)
    values = complete(full, best_periods, best_rooms, time_limit - elapsed(), seed)
    if values:
        lns = Lns(full, values, best_rooms, workers, seed + 1, on_timetable, say)
        lns.run(lambda: time_limit - elapsed())
    status_name = "OPTIMAL" if best_score.total_cost == 0 else "FEASIBLE"
    if not best_score.feasible:  # the scorer disagrees with the model: a bug, say so
        status_name = "UNKNOWN"
        say("the scorer found hard violations in the solver's timetable")
    return ItcResult(best, best_score, first, elapsed(), status_name, tuple(history))
