"""Small instances: CP-SAT's own search on every worker first, then the neighbourhood steps
from its best timetable (`optimise.whole_search_share`); larger ones step from the start."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import check
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model import lns, optimise
from scheduler.model import solve as solve_module
from scheduler.model.neighbourhoods import START_SIZE
from scheduler.model.solve import SolveOptions, solve
from scheduler.solution import Status
from tests.conftest import SAMPLE, TINY, FakeRelaxation


def test_an_instance_is_small_when_a_first_step_frees_a_quarter_of_it(
    small_programme: Problem,
) -> None:
    """A first step frees `START_SIZE` sessions: 15 of the small programme's 45 (a third),
    15 of the sample's 96 (a sixth)."""
    assert len(small_programme.sessions) <= START_SIZE / optimise.SMALL_STEP_SHARE
    assert optimise.whole_search_share(small_programme) == optimise.SMALL_SEARCH_SHARE > 0
    sample = Problem.build(load_instance(SAMPLE))
    assert len(sample.sessions) > START_SIZE / optimise.SMALL_STEP_SHARE
    assert optimise.whole_search_share(sample) == 0.0


class _Recorded:
    """Records the calls of `optimise.run` (CP-SAT's own search) and of `lns.Search` (the
    steps), and the timetable the steps start from."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.searches: list[tuple[float, int | None]] = []  # (time limit, objective found)
        self.steps_from: list[int] = []  # the objective each Search starts from
        real_run, real_search = optimise.run, lns.Search

        def run(built: Any, options: SolveOptions, *args: Any) -> Any:
            solver, result = real_run(built, options, *args)
            self.searches.append((options.time_limit, result.objective))
            return solver, result

        def search(*args: Any, **kwargs: Any) -> lns.Search:
            made = real_search(*args, **kwargs)
            self.steps_from.append(made.incumbent.objective)
            return made

        monkeypatch.setattr(optimise, "run", run)
        monkeypatch.setattr(optimise, "Search", search)


def test_a_small_instance_is_searched_whole_then_stepped_from_its_best(
    small_programme: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The small programme (45 sessions) is not proved optimal in seconds: CP-SAT searches
    it for half of phase 2, the steps start from its best timetable and never end worse."""
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)  # no LP bound
    recorded = _Recorded(monkeypatch)
    result = solve(small_programme, SolveOptions(time_limit=8, workers=2, seed=0))
    assert len(recorded.searches) == 1
    limit, found = recorded.searches[0]
    assert 0 < limit <= 4.0 and found is not None  # half of what phase 1 left of 8 s
    assert recorded.steps_from == [found]
    assert result.status == Status.FEASIBLE and result.objective is not None
    assert result.objective <= found and result.solver.name == "cp-sat+lns"
    report = check(small_programme, result.assignments)
    assert report.violations == () and report.objective == result.objective
    objectives = [o for _, o, _ in result.progress]
    assert objectives == sorted(objectives, reverse=True) and objectives[-1] == result.objective


def test_a_small_instance_proved_by_the_whole_search_takes_no_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tiny instance (7 sessions): CP-SAT's search proves its optimum (28) and the solve
    ends there, before any step. The data bound, which proves it too, is kept out."""
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)  # no LP bound
    recorded = _Recorded(monkeypatch)
    problem = Problem.build(load_instance(TINY))
    monkeypatch.setattr(solve_module, "known_bound", lambda *args: 0)  # not the data's proof
    result = solve(problem, SolveOptions(time_limit=20, workers=2, seed=0))
    assert result.status == Status.OPTIMAL and result.objective == result.bound == 28
    assert len(recorded.searches) == 1 and recorded.steps_from == []
    assert result.wall_seconds < 10
    assert check(problem, result.assignments).objective == 28


def test_a_larger_instance_steps_from_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample (96 sessions): no search of its own before the steps."""
    monkeypatch.setattr(solve_module, "RelaxationBound", FakeRelaxation)
    recorded = _Recorded(monkeypatch)
    problem = Problem.build(load_instance(SAMPLE))
    result = solve(problem, SolveOptions(time_limit=15, workers=2, seed=0))
    assert recorded.searches == [] and len(recorded.steps_from) == 1
    assert result.status.has_solution
    assert check(problem, result.assignments).objective == result.objective


SMALL = sorted((SAMPLE.parents[1] / "benchmarks" / "small").glob("*.yaml"))


@pytest.mark.parametrize("path", SMALL, ids=[p.stem for p in SMALL])
def test_the_small_benchmark_instances_load(path: Any) -> None:
    """The instances of benchmarks/README.md's "Stop 50" study (17-107 sessions) stay valid."""
    problem = Problem.build(load_instance(path))
    assert 15 <= len(problem.sessions) <= 120


def test_the_small_benchmark_instances_are_there() -> None:
    assert len(SMALL) == 14
