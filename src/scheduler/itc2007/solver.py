"""A CB-CTT solver for ITC-2007 track 3: CP-SAT for feasibility and LNS, annealing in between.

* First timetable: the stage A model (``_time_model``: lectures to periods, rooms only counted)
  solved for the hard rules alone, rooms by a greedy matching (``_room_model``).
* Annealing (``_local_search``, compiled by numba in ``_anneal_kernel``) on complete timetables
  with the exact UD2 cost, from that timetable until ``ANNEAL_SHARE`` of the time limit, cooling
  geometrically from ``ANNEAL_TEMPERATURE`` to ``ANNEAL_END_TEMPERATURE``: moves of a few
  hundred nanoseconds (a lecture to another period and room, or swapped with the lecture
  there), so about a billion in 300 s; rooms move with periods, so room stability is optimised
  together with the timetable instead of after it.
* Then rounds until the limit: LNS on the full 3-index CP-SAT model (``_lns``; periods and
  rooms, exact objective; each step frees a neighbourhood and re-solves from the current
  solution), then a short cool annealing from the best. With the compiled annealer these
  rounds rarely gain (60 s runs: 0 or 1 on comp02, comp03, comp05, comp07), and giving them 15 %
  of the time cost more than they won, hence the 95 % annealing share.

The stage A LNS and the room stage (``solve_rooms``) remain available to callers.
Every result is scored by ``evaluate``, the independent UD2 scorer; its total is the reported cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.errors import InputError
from scheduler.itc2007._clock import MOVES_PER_UNIT, Clock
from scheduler.itc2007._lns import Lns, complete
from scheduler.itc2007._room_model import greedy_rooms
from scheduler.itc2007._time_model import TimeModel, build_time_model
from scheduler.itc2007._warm_up import KernelWarmUp
from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.score import Score, evaluate
from scheduler.itc2007.solution_format import Lecture
from scheduler.model import interrupt
from scheduler.model.interrupt import Interrupted

if TYPE_CHECKING:
    from scheduler.itc2007._local_search import Annealer  # numba: imported only when solving

Log = Callable[[str], None]

ANNEAL_SHARE = 0.95  # the first annealing, from the first timetable, until this share of the limit
ANNEAL_TEMPERATURE, ANNEAL_END_TEMPERATURE = 5.0, 0.05  # in cost units, geometric cooling
LNS_ROUND_SHARE = 0.1  # then rounds: full-model LNS for this share of the limit ...
POLISH_SHARE = 0.05  # ... and a short, cool annealing from the best timetable
POLISH_TEMPERATURE = 0.5
ROUND_MIN_SECONDS = 3.0
# Before the first annealing, the wait for its kernel (compiled in a child, `_warm_up`), at
# most a fifth of the time left: cached, the child ends ~1 s after the solve's start.
WARM_UP_WAIT = 3.0
DETERMINISTIC_KERNEL_WAIT = 600.0  # a first compile on a loaded machine: 20 s and more
# An audit's 100,000 periods a day ran out of memory (2.6 GB at 120 s) instead of its limit.
MAX_WEEK_PERIODS = 1000


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
    interrupted: bool = False  # Ctrl-C ended the search: the timetable is the best so far
    warnings: tuple[str, ...] = ()  # what made the search weaker than usual, in words

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
    tm: TimeModel, time_limit: float, workers: int, seed: int, clock: Clock
) -> tuple[cp_model.CpSolverStatus, list[int]]:
    """A first stage A solution: ``(status, full solution vector)``, empty if none.

    The hard rules alone are solved first (fast, no objective), then the soft-rule indicators
    are completed for those periods.
    """
    model = tm.model.clone()
    model.clear_objective()
    solver = cp_model.CpSolver()
    clock.limit_solver(solver, max(0.1, time_limit), workers)
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_probing_level = 0
    status = interrupt.solve(solver, model)
    clock.charge_solver(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, []
    periods = tm.periods_of(list(solver.response_proto.solution))
    return status, complete(tm, periods, [], clock.left(), seed, clock)


def solve_ctt(
    instance: CttInstance,
    time_limit: float = 60.0,
    workers: int = 1,
    seed: int = 0,
    log: Log | None = None,
    deterministic: bool = False,
) -> ItcResult:
    """Solve a CB-CTT instance within ``time_limit`` seconds of wall time, or, with
    ``deterministic``, work units (`_clock`: one worker; the same timetable for an instance,
    seed and limit on any machine).

    ``workers`` is CP-SAT's ``num_workers`` in every sub-solve; ``seed`` fixes CP-SAT's seeds and
    the neighbourhood choice (on the wall clock, runs are repeatable up to where the limit
    cuts them, and, on a first run, to when the annealing kernel is compiled, `_warm_up`).
    Ctrl-C stops the search and returns the best timetable so far (``interrupted`` set).
    A week of more than ``MAX_WEEK_PERIODS`` periods is refused (``InputError``).
    """
    if instance.periods > MAX_WEEK_PERIODS:
        raise InputError(
            f"{instance.name}: {instance.days} days x {instance.periods_per_day} periods a day "
            f"= {instance.periods} periods a week; the solver takes at most {MAX_WEEK_PERIODS} "
            "(ITC-2007's instances have 20 to 36)"
        )
    with Interrupted() as interrupted:
        clock = Clock(time_limit, deterministic, lambda: interrupted.flag)
        result = _solve(instance, clock, workers, seed, log)
    return replace(result, interrupted=interrupted.flag)


def _solve(
    instance: CttInstance, clock: Clock, workers: int, seed: int, log: Log | None
) -> ItcResult:
    start = time.monotonic()

    def say(text: str) -> None:
        if log is not None:
            log(f"[{time.monotonic() - start:7.2f}s] {text}")

    warm = KernelWarmUp()  # compiles the annealing kernel while the first timetable is found
    try:
        result = _search(instance, clock, workers, seed, warm, start, say)
        failed = warm.failure()
        if failed is None:
            return result
        # said under --verbose only, a read-only install's runs went 5x costlier (an audit)
        why = f"no annealing ({failed}), LNS alone: costs are likely much higher than usual"
        return replace(result, warnings=(why,))
    finally:
        warm.stop()


class _Best:
    """The best timetable so far (periods, rooms, lectures, score) and its improvements."""

    def __init__(
        self,
        instance: CttInstance,
        periods: list[list[int]],
        elapsed: Callable[[], float],
        say: Log,
    ) -> None:
        self.instance, self.elapsed, self.say = instance, elapsed, say
        self.periods, self.rooms = periods, greedy_rooms(instance, periods)
        self.lectures = to_lectures(instance, periods, self.rooms)
        self.score = evaluate(instance, self.lectures)
        self.first = elapsed()
        self.history = [(self.first, self.score.total_cost)]

    def offer(self, periods: list[list[int]], rooms: list[dict[int, int]], placed: bool) -> int:
        """Keep a timetable if it is the best so far (greedy rooms unless ``placed``)."""
        if not placed:
            rooms = greedy_rooms(self.instance, periods, rooms)
        lectures = to_lectures(self.instance, periods, rooms)
        score = evaluate(self.instance, lectures)
        if score.feasible and score.total_cost < self.score.total_cost:
            self.lectures, self.score, self.rooms, self.periods = lectures, score, rooms, periods
            self.history.append((self.elapsed(), score.total_cost))
            self.say(f"new best: cost {score.total_cost}")
        return score.total_cost

    def result(self) -> ItcResult:
        """The outcome of the solve, with the best timetable."""
        return _result(
            self.lectures, self.score, self.first, self.elapsed(), self.history, self.say
        )


def _search(
    instance: CttInstance,
    clock: Clock,
    workers: int,
    seed: int,
    warm: KernelWarmUp,
    start: float,
    say: Log,
) -> ItcResult:
    left = clock.left

    def elapsed() -> float:
        """Wall-clock seconds, for the record (the limit is the clock's)."""
        return time.monotonic() - start

    tm = build_time_model(instance)
    say(f"stage A model: {len(tm.model.proto.variables)} variables")
    status, values = _first_timetable(tm, left(), workers, seed, clock)
    # no variable at all (no lecture to give): the empty timetable, not "no timetable" (an audit)
    if not values and len(tm.model.proto.variables):
        name = "INFEASIBLE" if status == cp_model.INFEASIBLE else "UNKNOWN"
        say(f"no timetable: {name}")
        return ItcResult((), None, None, elapsed(), name, ())
    best = _Best(instance, tm.periods_of(values), elapsed, say)
    say(f"first timetable: cost {best.score.total_cost}")
    if left() <= 0.5 or best.score.total_cost == 0:
        return best.result()
    annealer = _first_annealing(best, clock, seed, warm)
    _rounds(best, clock, workers, seed, warm, annealer)
    return best.result()


def _first_annealing(best: _Best, clock: Clock, seed: int, warm: KernelWarmUp) -> Annealer | None:
    """The annealer after annealing from the first timetable until ``ANNEAL_SHARE`` of the
    limit, or None (said why) if its kernel is not ready in time."""
    say = best.say
    # the deterministic clock waits for the kernel whatever it takes: a search whose path
    # depends on when a child process ends is no deterministic one
    wait = (
        DETERMINISTIC_KERNEL_WAIT if clock.deterministic else min(WARM_UP_WAIT, 0.2 * clock.left())
    )
    if warm.ready(wait=wait, stop=clock.stopped):
        from scheduler.itc2007._local_search import Annealer  # numba: imported only when solving

        annealer = Annealer(best.instance, best.periods, best.rooms, seed)
        _anneal(
            annealer, clock, ANNEAL_SHARE * clock.limit - clock.spent(), ANNEAL_TEMPERATURE, say
        )
        best.offer(*annealer.timetable(), True)
        say(f"annealing: cost {best.score.total_cost}")
        return annealer
    failed = warm.failure() or (
        "its kernel was not ready within the deterministic wait" if clock.deterministic else None
    )
    say(
        f"no annealing: {failed}; LNS alone"
        if failed
        # not "compiling": a busy machine may take longer than the wait to load it cached
        else "annealing waits for its kernel (compiled on a first run, else loading from "
        "the cache, slow on a busy machine): LNS meanwhile"
    )
    return None


def _rounds(
    best: _Best,
    clock: Clock,
    workers: int,
    seed: int,
    warm: KernelWarmUp,
    annealer: Annealer | None,
) -> None:
    """Rounds of full-model LNS and a short cool annealing from the best timetable, until
    the limit or cost 0 (the first annealing, late, in a round once its kernel is ready)."""
    instance, say = best.instance, best.say
    limit, left, spent = clock.limit, clock.left, clock.spent
    full: TimeModel | None = None  # built only if a round has time to use it
    lns_seconds = max(ROUND_MIN_SECONDS, LNS_ROUND_SHARE * limit)
    polish_seconds = max(ROUND_MIN_SECONDS, POLISH_SHARE * limit)
    rounds = 0
    while left() > 0.5 and best.score.total_cost > 0:
        rounds += 1
        full = full or build_time_model(instance, with_rooms=True)
        values = complete(full, best.periods, best.rooms, left(), seed, clock)
        if values:
            lns = Lns(full, values, best.rooms, workers, seed + rounds, best.offer, say, clock)
            lns_end = min(limit, spent() + lns_seconds)
            lns.run(lambda: min(left(), lns_end - spent()))  # noqa: B023 (within this round)
        if left() <= 0.1:
            break
        if annealer is None:
            # deterministic: no annealing started late, when the child happens to end
            if clock.deterministic or not warm.ready():
                continue
            from scheduler.itc2007._local_search import Annealer

            annealer = Annealer(instance, best.periods, best.rooms, seed)
            say("annealing: its kernel is compiled")
            late = max(min(left(), polish_seconds), ANNEAL_SHARE * limit - spent())
            _anneal(annealer, clock, late, ANNEAL_TEMPERATURE)  # the first annealing, late
            best.offer(*annealer.timetable(), True)
            continue
        annealer.restart(best.periods, best.rooms)
        _anneal(annealer, clock, min(left(), polish_seconds), POLISH_TEMPERATURE)
        best.offer(*annealer.timetable(), True)
        say(f"round {rounds}: cost {best.score.total_cost}")


def _anneal(
    annealer: Annealer, clock: Clock, budget: float, temperature: float, say: Log | None = None
) -> None:
    """Anneal for `budget` of the clock, cooling from `temperature` to
    ``ANNEAL_END_TEMPERATURE``: in time on the wall clock, in moves on the deterministic one."""
    if clock.deterministic:
        moves = max(0, int(budget * MOVES_PER_UNIT))
        annealer.run_moves(moves, temperature, ANNEAL_END_TEMPERATURE, stop=clock.stopped)
        clock.charge_moves(moves)
        return
    annealer.run(
        budget,
        temperature,
        ANNEAL_END_TEMPERATURE,
        stop=clock.stopped,
        progress=(lambda cost: say(f"annealing: best {cost} so far")) if say else None,
    )


def _result(
    best: tuple[Lecture, ...],
    score: Score,
    first: float,
    wall: float,
    history: list[tuple[float, int]],
    say: Log,
) -> ItcResult:
    """The outcome of a solve that found a timetable."""
    status_name = "OPTIMAL" if score.total_cost == 0 else "FEASIBLE"
    if not score.feasible:  # the scorer disagrees with the model: a bug, say so
        status_name = "UNKNOWN"
        say("the scorer found hard violations in the solver's timetable")
    return ItcResult(best, score, first, wall, status_name, tuple(history))
