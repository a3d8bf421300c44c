"""When `solve` starts the LP's child: before the model's build when the greedy's timetable
places every session, after the restarts and local repairs it would slow; else with phase 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scheduler.check import check
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.instance_io import load_instance
from scheduler.model import first_timetable
from scheduler.model import solve as solve_module
from scheduler.model.solve import SolveOptions, solve
from scheduler.solution import Status
from tests.conftest import TINY, FakeRelaxation


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The order of the LP's start, the end of the greedy's restarts and repairs, and the
    model's build."""
    events: list[str] = []

    class Recording(FakeRelaxation):
        def start(self) -> None:
            if not self.started:
                events.append("lp")
            super().start()

    def spy(module: Any, name: str, event: str) -> None:
        real = getattr(module, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            events.append(event)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    monkeypatch.setattr(solve_module, "RelaxationBound", Recording)
    spy(first_timetable, "finished_greedy", "greedy finished")
    spy(solve_module, "build_model", "build")
    return events


def test_a_whole_greedy_starts_the_lp_before_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    events = _recorded(monkeypatch)
    problem = Problem.build(load_instance(TINY))
    result = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0))
    assert result.status.has_solution
    assert events.index("lp") < events.index("build")
    assert events.count("lp") == 1


def _stuck() -> Problem:
    """A generated instance (63 sessions) whose first greedy leaves two sessions out, which
    the greedy's restarts place."""
    return Problem.build(generate_instance(1, 2, tightness=0.8, weeks=20, sites=1))


def test_a_greedy_that_left_sessions_out_starts_the_lp_once_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The restarts (and local repairs, CP-SAT on both workers) have both cores; the LP
    starts when they have placed every session, before the model's build."""
    events = _recorded(monkeypatch)
    problem = _stuck()
    result = solve(problem, SolveOptions(time_limit=20, workers=2, seed=0))
    assert result.status.has_solution
    assert check(problem, result.assignments).objective == result.objective
    assert events.index("greedy finished") < events.index("lp") < events.index("build")
    assert events.count("lp") == 1


def test_an_unfinished_greedy_starts_the_lp_with_phase_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the restarts do not finish it (none here), the LP waits for phase 2: after the
    model's build and phase 1's own restarts."""
    events = _recorded(monkeypatch)
    monkeypatch.setattr(
        first_timetable, "finished_greedy", lambda p, o, timetable, *a: (timetable, 0.0)
    )
    problem = _stuck()
    result = solve(problem, SolveOptions(time_limit=20, workers=2, seed=0))
    assert result.status.has_solution
    assert check(problem, result.assignments).objective == result.objective
    assert events.index("build") < events.index("lp") and events.count("lp") == 1


def test_a_start_to_complete_starts_the_lp_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    events = _recorded(monkeypatch)
    problem = Problem.build(load_instance(TINY))
    start = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0)).assignments
    events.clear()
    result = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0), start=start)
    assert result.status.has_solution
    assert events[0] == "lp" and events.count("lp") == 1


def test_a_build_stopped_by_the_limit_keeps_the_greedy_s_whole_timetable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 1,986 sessions the greedy's timetable came at 38 s of a 60 s solve, and the model's
    build it waited for ended the solve at 93 s: the build now stops at the limit, and the
    greedy's timetable is the result, costed by the checker."""
    from scheduler.construct import greedy_timetable
    from scheduler.model.build import BuildStopped

    def stopped(*args: Any, stop: Any = None, **kwargs: Any) -> Any:
        assert stop is not None  # stoppable although a greedy timetable waits
        raise BuildStopped

    monkeypatch.setattr(solve_module, "build_model", stopped)
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)
    problem = Problem.build(load_instance(TINY))
    greedy = greedy_timetable(problem)
    assert greedy is not None
    result = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0))
    report = check(problem, result.assignments)
    assert result.status == Status.FEASIBLE and result.assignments == tuple(sorted(greedy))
    assert report.violations == () and result.objective == report.objective
    assert result.costs == dict(report.costs) and result.bound == 0
    assert "greedy's timetable is the result" in result.message
    assert result.first_solution_seconds is not None and result.progress


def test_a_ctrl_c_during_the_greedy_s_completion_keeps_its_whole_timetable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 1,423 sessions a Ctrl-C while the greedy's whole timetable was being completed in
    the model wrote no timetable at all (an audit): it is the result, costed by the checker,
    with what the data forces left uncomputed (None, not "nothing": `report` computes it)."""
    import os
    import signal

    from scheduler.construct import greedy_timetable

    asked: list[int] = []

    def interrupted_completion(*args: Any, **kwargs: Any) -> None:
        asked.append(1)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C comes while it runs: no values
        return None

    monkeypatch.setattr(solve_module, "complete_start", interrupted_completion)
    monkeypatch.setattr(solve_module, "find_feasible", lambda *a, **k: (None, Status.UNKNOWN, 0.0))
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)
    problem = Problem.build(load_instance(TINY))
    greedy = greedy_timetable(problem)
    assert greedy is not None and len(greedy) == len(problem.sessions)
    result = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0))
    assert asked and result.status == Status.FEASIBLE
    assert result.assignments == tuple(sorted(greedy))
    report = check(problem, result.assignments)
    assert report.violations == () and result.objective == report.objective
    assert result.interrupted and result.message.startswith("stopped by Ctrl-C")
    assert result.unavoidable is None
    # the same in deterministic mode, where the completion's budget is no wall clock's
    asked.clear()
    monkeypatch.setattr(solve_module, "complete_start", lambda *a, **k: asked.append(1))
    result = solve(problem, SolveOptions(time_limit=5, seed=0, deterministic=True))
    assert asked and result.status == Status.FEASIBLE and not result.interrupted
    assert result.assignments == tuple(sorted(greedy))
    assert result.message.startswith("the time limit stopped the completion of the greedy's")


def test_a_greedy_timetable_kept_does_not_say_the_data_forces_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With the greedy's timetable kept at the limit, `solve` and then `report` said "the data
    forces no cost" of floors never computed (an audit): solve says they were not computed,
    records none, and `report` computes them."""
    from click.testing import CliRunner

    from scheduler.cli import cli
    from scheduler.model.build import BuildStopped
    from scheduler.model.data_bound import floors_of

    def stopped(*args: Any, stop: Any = None, **kwargs: Any) -> Any:
        raise BuildStopped

    monkeypatch.setattr(solve_module, "build_model", stopped)
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)
    out = tmp_path / "sol"
    done = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--time-limit", "5"])
    assert done.exit_code == 0, done.output
    assert "unavoidable, from the data alone: not computed (the time limit passed; " in done.output
    assert "the data forces no cost" not in done.output
    assert "unavoidable" not in json.loads((out / "solution.json").read_text("utf-8"))
    monkeypatch.undo()
    reported = CliRunner().invoke(cli, ["report", str(out)])
    assert reported.exit_code == 0, reported.output
    forced = sum(f.cost for f in floors_of(Problem.build(load_instance(TINY))))
    assert f"unavoidable, from the data alone: {forced} of " in reported.output


def test_what_the_data_forces_is_not_computed_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 1,423 sessions the data's floors and bound (4-5 s) were computed after the first
    timetable had taken the whole limit, and a 60 s solve ended at 64.5 s (an audit): past
    the limit they are not computed, and the first timetable is the result without them."""
    import time

    real = solve_module.complete_start
    computed: list[int] = []

    def late(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.2)  # the completion takes the limit
        return real(*args, **kwargs)

    def counted(*args: Any, **kwargs: Any) -> Any:
        computed.append(1)
        return ()

    monkeypatch.setattr(solve_module, "complete_start", late)
    monkeypatch.setattr(solve_module, "floors", counted)
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)
    problem = Problem.build(load_instance(TINY))
    result = solve(problem, SolveOptions(time_limit=1, workers=2, seed=0))
    assert result.status.has_solution and not computed
    assert result.unavoidable is None
    assert check(problem, result.assignments).objective == result.objective
    monkeypatch.setattr(solve_module, "complete_start", real)
    result = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0))
    assert computed and result.unavoidable == ()  # within the limit: computed


def test_a_solve_without_a_timetable_says_how_far_the_greedy_got(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Raise --time-limit" alone did not say whether a little or a lot more was needed: a
    1,423-session solve at 1 s, whose greedy had placed 1,388, said only that (an audit)."""
    from scheduler.construct import greedy_timetable

    problem = Problem.build(load_instance(TINY))
    whole = greedy_timetable(problem)
    assert whole is not None
    partial = frozenset(sorted(whole)[1:])  # one session left out when the limit came

    def cut_short(*args: Any, **kwargs: Any) -> Any:
        return partial, None, True, 0.0

    monkeypatch.setattr(solve_module, "early_greedy", cut_short)
    result = solve(problem, SolveOptions(time_limit=5, workers=2, seed=0))
    assert result.status == Status.UNKNOWN and not result.assignments
    n = len(problem.sessions)
    assert result.message == f"the greedy placed {n - 1} of {n} sessions"
