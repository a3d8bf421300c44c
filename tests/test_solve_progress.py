"""`--verbose` shows the search as it goes, and the recorded trace follows the bound as it rises."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from scheduler import squeaky_wheel
from scheduler.cli import cli
from scheduler.cli.solver_options import progress_printer
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model import first_timetable, lns, steps
from scheduler.model import solve as solve_module
from scheduler.model.build import BuildStopped, build_model
from scheduler.model.lns import (
    DATA_BOUND_GRACE,
    Search,
    yields_to_data_bound,
    yields_to_relaxation,
)
from scheduler.model.single_search import Trace, _trivial_bound
from scheduler.model.solve import SolveOptions, parameters, solve
from scheduler.model.variables import Variables
from scheduler.solution import Status
from tests.conftest import SAMPLE, TINY, FakeRelaxation, problem_of

PROGRESS = re.compile(r"^\s*([\d.]+) s  objective\s+(-?\d+)  bound\s+(-?\d+)  gap ", re.M)


def test_verbose_prints_the_cp_sat_log_and_the_progress(tmp_path: Path) -> None:
    """The default pipeline on the tiny instance: the bound search's CP-SAT log and a
    progress line (the proof of 28 at least) on stderr; stdout keeps the summary."""
    out = tmp_path / "out"
    args = ["solve", str(TINY), "--out", str(out), "--time-limit", "10", "--verbose"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Starting CP-SAT solver" in result.stderr
    # each step of the first phase says itself, so that a slow one shows (an audit's request)
    assert re.search(
        r"first timetable, \d+\.\d s: the greedy placed 7 of 7 sessions", result.stderr
    )
    points = [(float(t), int(o), int(b)) for t, o, b in PROGRESS.findall(result.stderr)]
    assert points and points[-1][1:] == (28, 28)
    assert "objective" in result.stdout and "Starting CP-SAT" not in result.stdout
    # the writing is said before it starts (seconds on large instances, unsaid: an audit)
    assert f"checked (0 violations); writing {out} with its exports" in result.stderr


def test_without_verbose_nothing_of_the_search_is_printed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert "Starting CP-SAT" not in result.stderr and not PROGRESS.search(result.stderr)
    assert "writing" not in result.stderr


def test_progress_lines_on_a_terminal_without_verbose(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stderr", terminal)
    show = progress_printer(verbose=False)
    assert show is not None
    show(12.34, 1000, 750)
    assert terminal.getvalue() == "   12.3 s  objective     1000  bound      750  gap 25.0%\n"
    monkeypatch.setattr(terminal, "isatty", lambda: False, raising=False)
    assert progress_printer(verbose=False) is None


def test_each_neighbourhood_step_is_logged_beside_the_bound_search_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bound thread logs CP-SAT's log and the relaxation's LP bound when it comes in; the
    first neighbourhood step runs at once. The LP stands in: the sample's real one took from
    20 s to over 40 s beside the rest of the suite (`tests/test_lp_bound.py` runs it)."""
    monkeypatch.setattr(lns, "RelaxationBound", _LateRelaxation)
    problem, built, values = _sample_start()
    lines: list[str] = []
    params = parameters(SolveOptions(verbose=True))
    evaluate = lambda vals: solve_module.objective_of_values(built, vals)[0]  # noqa: E731
    Search(built, problem, values, params, 12.0, 0, evaluate, log=lines.append).run()
    assert any(line.startswith("Starting CP-SAT solver") for line in lines)
    assert "bound of the linear relaxation (rooms pooled per site): 700" in lines
    assert any(
        re.match(r"neighbourhood step 1: (weeks|series), \d+ sessions freed, \w+ in", line)
        for line in lines
    )


class _LateRelaxation(FakeRelaxation):
    """A relaxation whose bound (700) comes in 3 s after it starts, as the real LP's does
    after a while: the bound search has begun by then."""

    timer: threading.Timer | None = None

    def start(self) -> None:
        if not self.started:
            self.timer = threading.Timer(3.0, self._answer)
            self.timer.start()
        self.started = True

    def _answer(self) -> None:
        self.bound = 700
        self.found(700)

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


class _InstantRelaxation(FakeRelaxation):
    """A relaxation whose LP bound (882, above the sample's real 859) is known at once."""

    answer = 882


class _SilentRelaxation(FakeRelaxation):
    """A relaxation that gives no bound (as when its LP is slower than the search)."""


def _sample_start() -> tuple[Problem, Any, list[int]]:
    problem = Problem.build(load_instance(SAMPLE))
    built = build_model(problem)
    values, _, _ = solve_module.find_feasible(problem, built, SolveOptions(time_limit=20))
    assert values is not None
    return problem, built, values


def test_the_bound_search_hands_its_core_over_once_the_lp_beats_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CP-SAT's bound on the sample stays under 840 (measured over 600 s): with the LP's 882
    known, the bound search stops once and worker 1 steps on its core; no worker 2."""
    monkeypatch.setattr(lns, "RelaxationBound", _InstantRelaxation)
    problem, built, values = _sample_start()
    lines: list[str] = []
    evaluate = lambda vals: solve_module.objective_of_values(built, vals)[0]  # noqa: E731
    params = parameters(SolveOptions())
    search = Search(built, problem, values, params, 8.0, 0, evaluate, log=lines.append)
    _, objective, bound, proved = search.run()
    handed = [i for i, line in enumerate(lines) if "hands its core" in line]
    assert len(handed) == 1, lines
    assert any(re.match(r"neighbourhood step 1\.\d+: ", line) for line in lines[handed[0] :])
    assert not any(line.startswith("neighbourhood step 2.") for line in lines)
    assert bound == 882 and objective > 882 and not proved


def test_the_bound_search_hands_its_core_over_when_the_data_bound_stays_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No LP bound, and a bound known beforehand (here 900) that CP-SAT's search does not
    reach on the sample (under 840 over 600 s): after a quarter of the time the bound search
    stops and worker 1 steps on its core."""
    monkeypatch.setattr(lns, "RelaxationBound", _SilentRelaxation)
    problem, built, values = _sample_start()
    lines: list[str] = []
    began = time.monotonic()
    handed_at: list[float] = []

    def log(line: str) -> None:
        lines.append(line)
        if "hands its core" in line:
            handed_at.append(time.monotonic() - began)

    evaluate = lambda vals: solve_module.objective_of_values(built, vals)[0]  # noqa: E731
    params = parameters(SolveOptions())
    # 16 s: the hand-over waits for worker 0's step (up to 3 s) after a quarter of the time,
    # and worker 1 must still have time to step
    search = Search(built, problem, values, params, 16.0, 0, evaluate, log=log, floor=900)
    _, objective, bound, proved = search.run()
    assert len(handed_at) == 1, lines
    assert handed_at[0] >= DATA_BOUND_GRACE * 16.0  # not before its share of the time
    handed = next(i for i, line in enumerate(lines) if "hands its core" in line)
    assert any(re.match(r"neighbourhood step 1\.\d+: ", line) for line in lines[handed:])
    assert bound == 900 and objective > 900 and not proved


def test_the_bound_search_yields_to_the_data_bound_only_after_its_share_of_time() -> None:
    assert not yields_to_data_bound(None, 2429, 0.1)  # its chance to beat the data first
    assert yields_to_data_bound(None, 2429, 0.3) and yields_to_data_bound(1440.0, 2429, 0.3)
    assert yields_to_data_bound(2429.0, 2429, 0.5)  # no better than the data
    assert not yields_to_data_bound(2500.0, 2429, 0.9)  # it beat the data: it goes on
    assert not yields_to_data_bound(None, None, 0.9)


def test_an_error_in_a_worker_thread_ends_the_search_and_is_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three workers: the bound search, worker 0 (here) and worker 1, whose step fails."""
    failing = steps.Steps.step

    def step(self: steps.Steps, *args: Any) -> None:
        if self.name == "1.":
            raise RuntimeError("worker 1 failed")
        failing(self, *args)

    monkeypatch.setattr(steps.Steps, "step", step)
    problem, built, values = _sample_start()
    params = parameters(SolveOptions(workers=3))
    evaluate = lambda vals: solve_module.objective_of_values(built, vals)[0]  # noqa: E731
    before = threading.active_count()
    began = time.monotonic()
    with pytest.raises(RuntimeError, match="worker 1 failed"):
        Search(built, problem, values, params, 30.0, 0, evaluate).run()
    assert time.monotonic() - began < 15  # ended after the steps under way, not at 30 s
    assert threading.active_count() == before


def test_the_bound_search_yields_only_to_a_better_relaxation_bound() -> None:
    assert yields_to_relaxation(None, 882) and yields_to_relaxation(785.0, 882)
    assert not yields_to_relaxation(None, None) and not yields_to_relaxation(785.0, None)
    assert not yields_to_relaxation(882.0, 882) and not yields_to_relaxation(900.0, 882)
    # within its first third of the time, the search keeps its core (a small instance's LP
    # answers at once, while the search's bound still climbs to a proof)
    assert not yields_to_relaxation(51.0, 55, used=0.3) and yields_to_relaxation(51.0, 55, 0.34)


def test_the_trace_records_the_bound_as_it_rises(tiny_data: dict[str, Any]) -> None:
    """One CP-SAT search (deterministic mode): the bound never falls, the objective never
    rises, and the last point is the proved optimum."""
    result = solve(problem_of(tiny_data), SolveOptions(time_limit=10, deterministic=True))
    assert result.status == Status.OPTIMAL
    objectives = [o for _, o, _ in result.progress]
    bounds = [b for _, _, b in result.progress]
    assert bounds == sorted(bounds) and objectives == sorted(objectives, reverse=True)
    assert result.progress[-1][1:] == (28, 28)


def test_a_trace_fed_from_two_threads_stays_monotone() -> None:
    """A late report (an older bound, a worse objective) does not undo an earlier one; a
    report that changes nothing adds no point; the floor lifts weaker bounds."""
    shown: list[tuple[float, int, int]] = []
    trace = Trace(-10, lambda *point: shown.append(point))
    trace.add(1.0, 100, None)  # no bound yet: the floor
    trace.add(2.0, 100, -50.0)  # weaker than the floor: nothing new
    trace.add(3.0, 90, 40.0)
    trace.add(4.0, 95, 30.0)  # late report from the other thread: objective and bound kept
    trace.add(5.0, 90, 60.0)
    assert trace.points == [(1.0, 100, -10), (3.0, 90, 40), (5.0, 90, 60)]
    assert shown == trace.points


def test_the_trivial_bound_reads_both_ends_of_each_domain() -> None:
    """The objective's least value over the variable domains: lower ends for positive
    coefficients, upper ends (of the last interval of a domain with holes) for negative ones."""
    model = cp_model.CpModel()
    a = model.new_int_var(5, 98, "a")
    b = model.new_int_var_from_domain(cp_model.Domain.from_intervals([[1, 3], [7, 9]]), "b")
    model.minimize(2 * a - 3 * b + 4)
    built = type("Built", (), {"model": model})()
    assert _trivial_bound(built) == 2 * 5 - 3 * 9 + 4  # type: ignore[arg-type]


def test_a_bound_search_stopped_as_it_starts_still_ends_at_once() -> None:
    """CP-SAT drops a stop requested before its solve has begun: `stop_and_wait` repeats
    it, so a hand-over right at the start does not wait for the search's whole limit."""
    _, built, _ = _sample_start()
    params = parameters(SolveOptions(time_limit=30))
    params.num_workers = 1
    for _ in range(3):
        bounder = lns._BoundSearch(built, params, lambda values: None, lambda bound: None, None)
        began = time.monotonic()
        bounder.start()
        bounder.stop_and_wait()
        assert not bounder.is_alive() and time.monotonic() - began < 10
    early = lns._BoundSearch(built, params, lambda values: None, lambda bound: None, None)
    early.stop()
    early.start()
    early.join(timeout=10)
    assert not early.is_alive() and early.status == cp_model.UNKNOWN


def test_the_neighbourhood_search_trace_starts_at_the_first_timetable() -> None:
    """The first point is the first timetable, at the time it was found, with the bound
    known then (the data's): not the first improvement seconds later."""
    problem = Problem.build(load_instance(SAMPLE))
    # 8 s: at 4 s a loaded machine's build (the full suite on 2 cores) did not end, and the
    # greedy's timetable was the result, without the model's bound
    result = solve(problem, SolveOptions(time_limit=8, seed=0))
    first_time, first_objective, first_bound = result.progress[0]
    assert result.first_solution_seconds is not None
    assert first_time == pytest.approx(result.first_solution_seconds, abs=0.01)
    assert first_objective >= result.objective and first_bound >= 650


def test_no_optimisation_when_the_first_timetable_took_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Phase 2 used to get at least a second whatever was left: the limit is now kept, and
    the note says why the first timetable is the result."""

    def phase_two(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("phase 2 ran with no time left")

    real_build = solve_module.build_model

    def build_past_the_limit(*args: Any, **kwargs: Any) -> Any:
        # the build ends, and past the limit, whatever the machine's load (the limit stopped
        # it under the full suite's load: another path, the greedy's timetable kept)
        kwargs.pop("stop", None)
        built = real_build(*args, **kwargs)
        time.sleep(0.6)
        return built

    for name in ("run", "search_then_steps", "neighbourhood_search"):
        monkeypatch.setattr(solve_module, name, phase_two)
    monkeypatch.setattr(solve_module, "build_model", build_past_the_limit)
    problem = Problem.build(load_instance(SAMPLE))
    result = solve(problem, SolveOptions(time_limit=0.5))
    assert result.status.has_solution, result.message
    assert "and the model's build took the whole time limit" in result.message
    # its trace is the first timetable, when it was found (it was empty: a loaded machine's
    # 4 s solve failed the trace test above)
    assert result.progress == (
        (round(result.first_solution_seconds or 0, 3), result.objective, result.bound),
    )


def test_verbose_times_the_first_phase_from_the_solves_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--verbose` said 'first timetable, 1.8 s: the greedy placed ...' (from the end of the
    model's build) where the summary said 'first 9.9 s' (from the start; an exploratory test
    on a loaded machine). Both now count from the start. The greedy runs before the model's
    build: a slow greedy shows in both, and the first timetable is the greedy's, known before
    the (slow) build completes it."""
    real_build, real_greedy = solve_module.build_model, first_timetable.greedy_timetable

    def slow(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            time.sleep(1.0)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(solve_module, "build_model", slow(real_build))
    monkeypatch.setattr(first_timetable, "greedy_timetable", slow(real_greedy))
    out = tmp_path / "out"
    args = ["solve", str(TINY), "--out", str(out), "--time-limit", "10", "--verbose"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    placed = re.search(r"first timetable, (\d+\.\d) s: the greedy placed 7", result.stderr)
    completed = re.search(r"first timetable, (\d+\.\d) s: the greedy's timetable", result.stderr)
    assert placed and completed, result.stderr
    assert float(placed.group(1)) >= 1.0 and float(completed.group(1)) >= 2.0, result.stderr
    first = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert float(placed.group(1)) <= first["first_solution_seconds"] + 0.05
    assert first["first_solution_seconds"] < float(completed.group(1))


def _partial_greedy(slow_until_stopped: bool) -> Any:
    """A greedy that leaves every session but the first out (after waiting for its `stop`,
    as a large instance's greedy runs to the limit, when `slow_until_stopped`)."""
    real = first_timetable.greedy_timetable

    def greedy(problem: Problem, *args: Any, stop: Any = None, **kwargs: Any) -> Any:
        while slow_until_stopped and not (stop is not None and stop()):
            time.sleep(0.05)
        whole = real(problem, *args, **kwargs)
        return whole[:1] if whole else whole

    return greedy


def test_a_greedy_that_ran_to_the_limit_builds_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scaling run's 1,986-session solve ran 120 s at a 60 s limit: its greedy took most of
    it, then the model's build the rest. The greedy now stops at the limit (5 s at least), and
    without a whole timetable no model is built."""

    def no_build(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the model was built past the limit")

    monkeypatch.setattr(first_timetable, "greedy_timetable", _partial_greedy(True))
    monkeypatch.setattr(squeaky_wheel, "greedy_timetable", _partial_greedy(True))  # restarts
    monkeypatch.setattr(solve_module, "build_model", no_build)
    problem = Problem.build(load_instance(TINY))
    began = time.monotonic()
    result = solve(problem, SolveOptions(time_limit=2.0))
    assert result.status == Status.UNKNOWN and not result.assignments
    assert time.monotonic() - began >= 5.0  # GREEDY_MIN_SECONDS, then nothing (no build)


def test_the_models_build_stops_at_the_limit_without_a_timetable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a partial greedy, the model's build gives up at the limit (between its rules);
    with a whole greedy timetable it never does (a timetable found is always returned)."""
    real_create = Variables.create.__func__  # type: ignore[attr-defined]

    def slow_create(cls: Any, *args: Any, **kwargs: Any) -> Any:
        time.sleep(3.0)
        return real_create(cls, *args, **kwargs)

    monkeypatch.setattr(Variables, "create", classmethod(slow_create))
    problem = Problem.build(load_instance(TINY))
    whole = solve(problem, SolveOptions(time_limit=2.0))
    assert whole.status.has_solution and len(whole.assignments) == len(problem.sessions)
    # a timetable to start from (`--start-from`) is completed however late, too
    started = solve(problem, SolveOptions(time_limit=2.0), start=whole.assignments)
    assert started.status.has_solution and started.objective == whole.objective

    def no_phase_one(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the build ran to its end past the limit")

    monkeypatch.setattr(first_timetable, "greedy_timetable", _partial_greedy(False))
    monkeypatch.setattr(squeaky_wheel, "greedy_timetable", _partial_greedy(False))  # restarts
    monkeypatch.setattr(solve_module, "find_feasible", no_phase_one)
    result = solve(problem, SolveOptions(time_limit=2.0))
    assert result.status == Status.UNKNOWN and not result.assignments
    with pytest.raises(BuildStopped):
        build_model(problem, stop=lambda: True)


def test_the_variables_are_made_with_the_limit_asked_every_few_sessions() -> None:
    """At 1,986 sessions the variables alone took 11-40 s, with no check of the limit."""
    problem = Problem.build(load_instance(SAMPLE))  # 96 sessions: asked at the 1st and 51st
    calls: list[int] = []

    def stop_at_the_second() -> None:
        calls.append(len(calls))
        if len(calls) == 2:
            raise BuildStopped

    with pytest.raises(BuildStopped):
        Variables.create(cp_model.CpModel(), problem, between=stop_at_the_second)
    assert calls == [0, 1]


def test_the_hard_rule_model_s_build_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1,986-session solve built the hard-rule model to its end after the greedy's partial
    timetable, and ended 12 s past its 60 s limit: that build now stops at the limit too."""
    problem = Problem.build(load_instance(TINY))
    built = build_model(problem)
    whole = first_timetable.greedy_timetable(problem)
    assert whole is not None
    real_build = first_timetable.build_model
    stopped: list[bool] = []

    def late_build(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)  # past the limit
        try:
            return real_build(*args, **kwargs)
        except BuildStopped:
            stopped.append(True)
            raise

    monkeypatch.setattr(first_timetable, "build_model", late_build)
    values, status, _ = first_timetable.find_feasible(
        problem, built, SolveOptions(time_limit=0.3), greedy_start=whole[:1]
    )
    assert values is None and status is Status.UNKNOWN
    assert stopped  # the build gave up, not only the step after it
