"""Optimisation by large-neighbourhood search around the best timetable, beside a bound search.

CP-SAT's own neighbourhoods do not know that a timetable is made of weeks and series. Here one
step frees the sessions of consecutive weeks (from a placed date on) or of a few series
(`model.neighbourhoods`, about a number that adapts to how hard the steps are), fixes every
other session where it is, keeps each freed session in the rooms its series uses at a site
(`build.keep_series_rooms`; every room stays open in a fifth of the steps), and re-solves
that small problem (a short CP-SAT solve, one worker, hinted with the current timetable,
ended when it has found nothing better for a second, or for as long as its first solution
took if longer: `steps.StallStop`); a timetable that is no worse replaces the current one. Meanwhile a second thread
runs one CP-SAT search on the whole model (full LP relaxation) for the lower bound, and offers
its own timetables too; once the LP bound of the site relaxation (a child process, `lp_bound`)
beats that search's bound, or the data bound still does after a quarter of the time, the
search stops and its core runs one more neighbourhood worker.
On the sample at 60 s: objective ~920-965 against ~1,280 for CP-SAT alone
(benchmarks/README.md). Two neighbourhood workers from the start instead of the bound search
were ahead at 20 s but not at 60 s (8 paired seeds, stop 51): not kept.

`Search` is the optimisation with two or more workers (after a search of the whole model on
every worker, on small instances: `optimise.whole_search_share`); the steps themselves are
`model.steps`, whose `sequential_search` serves one-worker solves (`--deterministic`,
`--workers 1`). Re-solves keep a single CP-SAT search (`single_search.run`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.model import interrupt
from scheduler.model.build import (
    BuiltModel,
    hint_solution,
    placements_by_session,
)
from scheduler.model.interrupt import Interrupted
from scheduler.model.lp_bound import RelaxationBound
from scheduler.model.steps import Incumbent, Steps
from scheduler.solution import within_gap


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
        self.status: cp_model.CpSolverStatus = cp_model.UNKNOWN
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
        self.status = interrupt.solve(self.solver, self.model, Callback())
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


# The share of its time the bound search keeps its core whatever the LP's bound
# (`yields_to_relaxation`).
RELAXATION_GRACE = 1 / 3


def yields_to_relaxation(
    search_bound: float | None, relaxation_bound: int | None, used: float = 1.0
) -> bool:
    """Whether the full search should hand its core to a neighbourhood worker, `used` (a
    share) of its time gone.

    Once the relaxation's LP bound is in and above the search's own, that search has lost the
    race for the bound: on the sample it stood at 630 when the LP gave 859 at about 25 s of
    60, and at 839 after 600 s when the LP gave 882. Its core then makes more of the timetable
    as one more worker. On a small instance the LP answers at once, while the search's bound
    is still climbing: it keeps its core for `RELAXATION_GRACE` of its time (an audit's
    27-session certificate: the LP's 55 beat the search's 51 after one second and took its
    core, leaving a gap of 8 % at 60 s; left to run, the search was at 59 after 11 s and
    proved 60 optimal at 54 s).
    """
    if relaxation_bound is None or used < RELAXATION_GRACE:
        return False
    return search_bound is None or relaxation_bound > search_bound


# The share of its time the bound search has to beat the data bound (`yields_to_data_bound`).
DATA_BOUND_GRACE = 0.25


def yields_to_data_bound(search_bound: float | None, floor: int | None, used: float) -> bool:
    """Whether the full search should hand its core over because, after `DATA_BOUND_GRACE`
    of its time (`used`, a share), its bound is still no better than what the data alone
    proves (`floor`).

    At 10 generated programmes its bound stayed below the data bound (2,429) for 53 s, until
    the LP gave 5,000: the core was idle for the bound, beside the LP's own process.
    """
    if floor is None or used < DATA_BOUND_GRACE:
        return False
    return search_bound is None or search_bound <= floor


class Search:
    """Improve `start` for `seconds`: `run()` gives (values, objective, bound, proved optimal).

    `params` are the CP-SAT parameters of the bound search; its `num_workers` is the number
    of cores to use: one for the bound search, the others each for a neighbourhood worker,
    and one more worker when the relaxation's bound makes the search's own useless
    (`yields_to_relaxation`), or when its bound lags the data's (`yields_to_data_bound`).
    Each neighbourhood solve uses one CP-SAT worker. `evaluate` gives the objective of a
    complete assignment (`cpsat.objective_of`: CP-SAT's `objective_value` was seen to differ
    from the solution's own, see `single_search`).
    `on_better(seconds, objective, bound)` is called when the objective falls or the bound
    rises; `log` receives the bound search's CP-SAT log and one line per neighbourhood step.
    `floor` is a bound known beforehand (`solve.known_bound`): a timetable that meets it ends
    the search at once, as does one that the best bound proves within `gap_limit` (relative,
    `SolveOptions.gap_limit`).

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
        relaxed: RelaxationBound | None = None,
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
        self.bounder = _BoundSearch(built, bound_params, self.offer, self.rose, log)
        hint_solution(self.bounder.model, start)  # replaces the model's own hint
        # The relaxation's LP, in a child process (a thread here only waits for it), beside
        # CP-SAT's search, which keeps its own bound for short limits and small instances;
        # `relaxed` when the caller made it (`solve`: started once the greedy's timetable
        # places every session, else by `optimise.neighbourhood_search`).
        self.relaxed = (
            relaxed
            if relaxed is not None
            else RelaxationBound(problem, seconds, self.relaxed_found)
        )

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

    def steps(self, k: int) -> Steps:
        name = "" if k == 0 else f"{k}."
        return Steps(
            self.built, self.problem, self.placements, self.params, self.seed + 7919 * k, name
        )

    def work(self, steps: Steps) -> None:
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

    def hand_over_if_lagging(self) -> None:
        """Stop the bound search and start one more worker, once, when the LP beats it, or
        when it has not beaten the data bound in its first share of the time."""
        if self.handed:
            return
        used = self.elapsed() / max(1e-9, self.deadline - self.begin)
        if not (
            yields_to_relaxation(self.bounder.bound, self.relaxed.bound, used)
            or yields_to_data_bound(self.bounder.bound, self.floor, used)
        ):
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
        self.relaxed.tell(self.relaxed_found)  # now: its point after the first timetable's
        self.relaxed.start()  # unless started already
        self.bounder.start()
        for _ in range(1, max(1, self.params.num_workers - 1)):
            self.add_worker()
        main = self.steps(0)
        while self.placements and not interrupted.flag and not self.over():
            self.hand_over_if_lagging()
            main.step(self.incumbent, self.deadline, self.offer, self.log)

    def close(self) -> None:
        """Finish every worker, stop the bound search and the LP, join them all."""
        self.finished.set()
        self.relaxed.stop()
        self.bounder.stop_and_wait()
        self.relaxed.join()
        for thread in self.workers:
            if thread.ident is not None:  # started (a failed start leaves some unstarted)
                thread.join()
        if self.log is not None and self.relaxed.error is not None:
            self.log(f"no bound from the linear relaxation: {self.relaxed.error}")
        if self.errors:
            raise self.errors[0]
