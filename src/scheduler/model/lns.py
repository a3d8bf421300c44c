"""Optimisation by large-neighbourhood search around the best timetable, beside a bound search.

CP-SAT's own neighbourhoods do not know that a timetable is made of weeks and series. Here one
step frees the sessions of consecutive weeks (from a placed date on) or of a few series
(`model.neighbourhoods`, about a number that adapts to how hard the steps are), fixes every
other session where it is, keeps each freed session in the rooms its series uses at a site
(`build.keep_series_rooms`; every room stays open in a fifth of the steps), and re-solves
that small problem exactly (a short CP-SAT solve, one worker, hinted with the current
timetable); a timetable that is no worse replaces the current one. Meanwhile a second thread runs one CP-SAT search on the whole
model (full LP relaxation) for the lower bound, and offers its own timetables too; once the LP
bound of the site relaxation (a child process, `lp_bound`) beats that search's bound, the
search stops and its core runs one more neighbourhood worker. On the sample at 60 s: objective
~950-1,020 against ~1,280 for CP-SAT alone (benchmarks/README.md).

`Search` is the optimisation with two or more workers. One-worker solves (`--deterministic`,
`--workers 1`) run the same steps one after another (`sequential_search`), on CP-SAT's
deterministic clock when deterministic; re-solves keep a single CP-SAT search (`solve.run`).
"""

from __future__ import annotations

import random
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.model.build import (
    BuiltModel,
    fix_all_but,
    hint_solution,
    keep_series_rooms,
    placements_by_session,
)
from scheduler.model.lp_bound import RelaxationBound
from scheduler.model.neighbourhoods import Neighbourhoods
from scheduler.model.variables import Placement
from scheduler.solution import within_gap

STEP_SECONDS = 3.0  # time limit of one neighbourhood solve
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


class _BoundSearch(threading.Thread):
    """One CP-SAT search on the whole model: the lower bound, and timetables it finds."""

    def __init__(
        self,
        built: BuiltModel,
        params: cp_model.SatParameters,
        found: Callable[[list[int]], None],
        rose: Callable[[float], None],
        log: Callable[[str], None] | None,
    ) -> None:
        super().__init__(daemon=True)
        self.model = built.model.clone()
        self.solver = cp_model.CpSolver()
        self.solver.parameters.copy_from(params)
        self.solver.best_bound_callback = self._bound
        if log is not None:
            self.solver.log_callback = log  # the CP-SAT log of `--verbose`
        self.found = found
        self.rose = rose
        self.status: int = cp_model.UNKNOWN
        self.bound: float | None = None  # the best bound so far
        self.stopping = False

    def _bound(self, bound: float) -> None:
        if self.bound is None or bound > self.bound:
            self.bound = bound
            self.rose(bound)

    def run(self) -> None:
        outer = self

        class Callback(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                outer._bound(self.best_objective_bound)
                outer.found(list(self.response_proto.solution))

        if self.stopping:  # stopped before it started
            return
        self.status = self.solver.solve(self.model, Callback())
        if self.bound is not None or self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # stopped before any report (e.g. in presolve), CP-SAT answers 0.0: not a bound
            self._bound(self.solver.best_objective_bound)

    def stop(self) -> None:
        """Ask the search to stop, from any thread (it may take a moment)."""
        self.stopping = True
        self.solver.stop_search()

    def stop_and_wait(self) -> None:
        """Stop the search and wait for its thread to end. CP-SAT drops a stop request made
        before its solve has begun, so the request is repeated until the thread ends."""
        while self.is_alive():
            self.stop()
            self.join(timeout=0.1)


class Interrupted:
    """Ctrl-C during the search: remember it, finish the step, return the best timetable."""

    def __init__(self) -> None:
        self.flag = False
        self._previous: object = None

    def __enter__(self) -> Interrupted:
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: no handler (the caller's limit still holds)
            self._previous = None
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.flag = True

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]


class _Steps:
    """One worker's neighbourhood steps: free, fix the rest, re-solve, offer the result.

    Each worker has its own copy of the model and its own random neighbourhoods; all share
    the incumbent (through `offer`), so a step always starts from the best timetable so far.
    With `deterministic`, steps are limited and timed in CP-SAT's deterministic time instead
    of wall seconds (`now`), so that the same seed takes the same steps on any machine.
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

    def now(self) -> float:
        """The steps' clock: wall seconds (time.monotonic), or deterministic time used."""
        return self.used if self.deterministic else time.monotonic()

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
        placed = {
            sid: next(c for c, i in pairs if values[i]) for sid, pairs in self.placements.items()
        }
        kind, free = self.hood.choose(placed)
        fix_all_but(self.model, self.placements, values, free)
        any_room = self.hood.any_room()
        if not any_room:
            keep_series_rooms(self.model, self.placements, placed, free)
        hint_solution(self.model, values)
        left = deadline - self.now()  # after the set-up, which shares the Python lock
        if left <= 0:
            return
        solver = cp_model.CpSolver()
        solver.parameters.copy_from(self.params)
        solver.parameters.num_workers = 1
        solver.parameters.relative_gap_limit = 0.0  # a step's own gap says nothing of the whole
        solver.parameters.random_seed = self.seed + self.count
        limit = min(STEP_SECONDS, left)
        if self.deterministic:
            solver.parameters.max_deterministic_time = limit
            solver.parameters.max_time_in_seconds = 20 * limit  # a safety net, as in cpsat
        else:
            solver.parameters.max_time_in_seconds = limit
        solver.parameters.catch_sigint_signal = False
        solver.parameters.log_search_progress = False
        status = solver.solve(self.model)
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
                f"{spent:.2f} {unit}; best {incumbent.objective}"
            )


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
    incumbent = Incumbent(start, evaluate(start))
    placements = placements_by_session(built)
    steps = _Steps(built, problem, placements, params, seed, "", deterministic)
    began = time.monotonic()
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


def yields_to_relaxation(search_bound: float | None, relaxation_bound: int | None) -> bool:
    """Whether the full search should hand its core to a neighbourhood worker.

    Once the relaxation's LP bound is in and above the search's own, that search has lost the
    race for the bound: on the sample it stood at 785 when the LP gave 882, and was still at
    839 after 600 s. Its core then makes more of the timetable as one more worker.
    """
    if relaxation_bound is None:
        return False
    return search_bound is None or relaxation_bound > search_bound


class Search:
    """Improve `start` for `seconds`: `run()` gives (values, objective, bound, proved optimal).

    `params` are the CP-SAT parameters of the bound search; its `num_workers` is the number
    of cores to use: one for the bound search, the others each for a neighbourhood worker,
    and one more worker when the relaxation's bound makes the search's own useless
    (`yields_to_relaxation`). Each neighbourhood solve uses one CP-SAT worker. `evaluate`
    gives the objective of a complete assignment. `on_better(seconds, objective, bound)` is
    called when the objective falls or the bound rises; `log` receives the bound search's
    CP-SAT log and one line per neighbourhood step. `floor` is a bound known beforehand
    (`solve.known_bound`): a timetable that meets it ends the search at once, as does one that
    the best bound proves within `gap_limit` (relative, `SolveOptions.gap_limit`).

    The main thread runs worker 0 and watches for the hand-over; workers 1.. run in threads.
    `finished` ends every worker after its current step; `close` stops and joins everything
    and raises again the first error a worker thread met. Ctrl-C ends the search after the
    current steps (a second Ctrl-C while they end is ignored too).
    """

    def __init__(
        self,
        built: BuiltModel,
        problem: Problem,
        start: list[int],
        params: cp_model.SatParameters,
        seconds: float,
        seed: int,
        evaluate: Callable[[list[int]], int],
        on_better: Callable[[float, int, float | None], None] | None = None,
        log: Callable[[str], None] | None = None,
        floor: int | None = None,
        gap_limit: float = 0.0,
    ) -> None:
        self.built, self.problem, self.params, self.seed = built, problem, params, seed
        self.floor, self.gap_limit = floor, gap_limit
        self.evaluate, self.on_better, self.log = evaluate, on_better, log
        self.begin = time.monotonic()
        self.deadline = self.begin + seconds
        self.incumbent = Incumbent(start, evaluate(start))
        self.placements = placements_by_session(built)
        self.finished = threading.Event()
        self.workers: list[threading.Thread] = []  # workers 1.. (the main thread is 0)
        self.errors: list[BaseException] = []
        self.handed = False
        bound_params = cp_model.SatParameters()
        bound_params.copy_from(params)
        bound_params.num_workers = 1
        bound_params.linearization_level = 2  # the one full search: the whole LP, for the bound
        bound_params.max_time_in_seconds = seconds
        bound_params.catch_sigint_signal = False
        self.bounder = _BoundSearch(built, bound_params, self.offer, self.rose, log)
        hint_solution(self.bounder.model, start)  # replaces the model's own hint
        # The relaxation's LP, in a child process (a thread here only waits for it), beside
        # CP-SAT's search, which keeps its own bound for short limits and small instances.
        self.relaxed = RelaxationBound(problem, seconds, self.relaxed_found)
        self.waiter = threading.Thread(target=self.relaxed.run, daemon=True)

    def offer(self, values: list[int]) -> None:
        better = self.incumbent.offer(values, self.evaluate(values))
        if better and self.on_better is not None:
            self.on_better(self.elapsed(), self.incumbent.objective, self.best_bound())

    def best_bound(self) -> float | None:
        sources = (self.bounder.bound, self.relaxed.bound, self.floor)
        known = [b for b in sources if b is not None]
        return max(known) if known else None

    def rose(self, bound: float) -> None:
        if self.on_better is not None:
            self.on_better(self.elapsed(), self.incumbent.objective, bound)

    def relaxed_found(self, bound: float) -> None:
        if self.log is not None:
            self.log(f"bound of the linear relaxation (rooms pooled per site): {bound:.0f}")
        self.rose(bound)

    def elapsed(self) -> float:
        return time.monotonic() - self.begin

    def over(self) -> bool:
        """Time is up, the bound proves the objective (within the gap limit), or the search
        was told to finish."""
        return (
            self.finished.is_set()
            or self.deadline - time.monotonic() < 0.5
            or within_gap(self.incumbent.objective, self.best_bound(), self.gap_limit)
        )

    def steps(self, k: int) -> _Steps:
        name = "" if k == 0 else f"{k}."
        return _Steps(
            self.built, self.problem, self.placements, self.params, self.seed + 7919 * k, name
        )

    def work(self, steps: _Steps) -> None:
        """A worker thread's loop; its error is kept for `close` to raise."""
        try:
            while self.placements and not self.over():
                steps.step(self.incumbent, self.deadline, self.offer, self.log)
        except BaseException as exc:
            self.errors.append(exc)
            self.finished.set()

    def add_worker(self) -> None:
        thread = threading.Thread(target=self.work, args=(self.steps(len(self.workers) + 1),))
        thread.daemon = True
        self.workers.append(thread)
        thread.start()

    def hand_over_if_beaten(self) -> None:
        """Stop the bound search and start one more worker, once, when the LP beats it."""
        if self.handed or not yields_to_relaxation(self.bounder.bound, self.relaxed.bound):
            return
        self.handed = True
        self.bounder.stop_and_wait()  # its core is free before the worker starts
        if self.log is not None:
            self.log("the bound search hands its core to a neighbourhood worker")
        self.add_worker()

    def run(self) -> tuple[list[int], int, float | None, bool]:
        """Search until the time is up, the bound proves the incumbent or Ctrl-C."""
        with Interrupted() as interrupted:
            try:
                self.step_until_over(interrupted)
            finally:
                self.close()
        # CP-SAT answers OPTIMAL at its relative gap limit too: a proof only without one
        proved = self.bounder.status == cp_model.OPTIMAL and self.params.relative_gap_limit == 0
        return self.incumbent.values, self.incumbent.objective, self.best_bound(), proved

    def step_until_over(self, interrupted: Interrupted) -> None:
        """Start the LP, the bound search and the workers; step until over or interrupted."""
        self.waiter.start()
        self.bounder.start()
        for _ in range(1, max(1, self.params.num_workers - 1)):
            self.add_worker()
        main = self.steps(0)
        while self.placements and not interrupted.flag and not self.over():
            self.hand_over_if_beaten()
            main.step(self.incumbent, self.deadline, self.offer, self.log)

    def close(self) -> None:
        """Finish every worker, stop the bound search and the LP, join them all."""
        self.finished.set()
        self.relaxed.stop()
        self.bounder.stop_and_wait()
        for thread in (self.waiter, *self.workers):
            if thread.ident is not None:  # started (a failed start leaves some unstarted)
                thread.join()
        if self.log is not None and self.relaxed.error is not None:
            self.log(f"no bound from the linear relaxation: {self.relaxed.error}")
        if self.errors:
            raise self.errors[0]
