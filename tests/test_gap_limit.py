"""`--gap-limit`: the search stops once the bound proves the timetable within a relative gap,
says so, and never calls such a timetable optimal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.cli import cli
from scheduler.data.problem import Problem
from scheduler.model import lns
from scheduler.model import solve as solve_module
from scheduler.model.build import build_model
from scheduler.model.cpsat import objective_of_values, parameters
from scheduler.model.first_timetable import find_feasible
from scheduler.model.lns import Search
from scheduler.model.single_search import time_limit_note
from scheduler.model.solve import SolveOptions, gap_note, solve
from scheduler.solution import Result, Status, relative_gap, within_gap
from tests.conftest import TINY, FakeRelaxation


def test_relative_gap_and_within_gap() -> None:
    assert relative_gap(100, 90) == pytest.approx(0.1)
    assert relative_gap(100, 120) == 0.0  # a bound above the objective: no gap
    assert relative_gap(0, 0) == 0.0
    assert within_gap(100, 90, 0.1) and not within_gap(100, 89, 0.1)
    assert within_gap(28, 28, 0.0) and not within_gap(29, 28, 0.0)
    assert not within_gap(100, None, 0.5)  # no bound proves anything
    assert Result(Status.FEASIBLE, objective=1000, bound=882).gap == pytest.approx(0.118)


def test_gap_note_only_for_a_timetable_stopped_within_the_limit() -> None:
    assert gap_note(Status.FEASIBLE, 1000, 900, 0.1) == (
        "stopped at the gap limit: gap 10.0 % <= 10.0 % (--gap-limit)"
    )
    assert gap_note(Status.FEASIBLE, 1000, 899, 0.1) == ""  # not within: the time limit ended it
    assert gap_note(Status.FEASIBLE, 1000, 900, 0.0) == ""  # no limit asked
    assert gap_note(Status.OPTIMAL, 28, 28, 0.1) == ""  # a proof needs no excuse


def test_a_timetable_the_time_limit_stopped_says_so() -> None:
    """An audit: a 15 s run ended with a gap of 11.9 % and no note, where Ctrl-C and the gap
    limit have theirs; a deterministic limit is in its units."""
    found = Result(Status.FEASIBLE, objective=1000, bound=882)
    assert time_limit_note(found, SolveOptions(time_limit=60), 60.4) == (
        "stopped at the time limit (60 s); the bound leaves at most 118 to gain"
    )
    assert time_limit_note(found, SolveOptions(time_limit=60), 20.0) == ""  # ended by itself
    assert time_limit_note(found, SolveOptions(time_limit=10, deterministic=True), 28.4) == (
        "stopped at the time limit (10 deterministic units, --deterministic); the bound leaves "
        "at most 118 to gain"
    )
    unbounded = Result(Status.FEASIBLE, objective=1000)
    assert time_limit_note(unbounded, SolveOptions(time_limit=2.5), 2.6) == (
        "stopped at the time limit (2.5 s)"
    )


def test_a_short_solve_records_the_time_limit_note(tmp_path: Path) -> None:
    """The certificate sample is not proved in seconds: its 4 s solve says why it stopped, and
    solution.json records it."""
    out = tmp_path / "out"
    certificate = TINY.parent / "certificat-mediation-2027-28.yaml"
    solved = CliRunner().invoke(
        cli, ["solve", str(certificate), "--time-limit", "4", "--out", str(out)]
    )
    assert solved.exit_code == 0, solved.output
    assert "note       stopped at the time limit (4 s); the bound leaves at most " in solved.output
    # five lines a rule, then the way to see more (an audit: `report` showed 10 a rule)
    assert "      ... and " in solved.output
    assert f"  (`scheduler report {out} --detail N` lists N of each rule)" in solved.output
    recorded = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert recorded["message"].startswith("stopped at the time limit (4 s)")


def test_cp_sat_gets_the_limit_when_optimising_only() -> None:
    options = SolveOptions(gap_limit=0.05)
    assert parameters(options).relative_gap_limit == pytest.approx(0.05)
    assert parameters(options, optimising=False).relative_gap_limit == 0.0
    assert parameters(SolveOptions()).relative_gap_limit == 0.0


def _stopped_within(problem: Problem, result: Result, limit: float, time_limit: float) -> None:
    assert result.status == Status.FEASIBLE  # within the gap, not proved optimal
    assert result.gap is not None and result.gap <= limit
    assert result.bound is not None and result.objective is not None
    assert result.bound < result.objective
    assert "stopped at the gap limit" in result.message
    assert result.wall_seconds < time_limit / 2  # it stopped, the time limit did not
    report = check(problem, result.assignments)
    assert report.violations == () and report.objective == result.objective


class _SmallRelaxation(FakeRelaxation):
    """The small programme's LP bound, 395, at once, and told apart from the real one (which
    would be waited for) by being one below it."""

    answer = 394


def test_neighbourhood_search_stops_at_the_gap_limit(
    small_programme: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers: the LNS loop ends once the LP's bound proves the timetable within 20 %
    (492 at most; the first timetable, 553, is not: the steps get there in seconds)."""
    monkeypatch.setattr(solve_module, "RelaxationBound", _SmallRelaxation)
    options = SolveOptions(time_limit=150, workers=2, seed=0, gap_limit=0.2)
    result = solve(small_programme, options)
    _stopped_within(small_programme, result, 0.2, 150)
    assert result.bound == 394 and result.first_solution_seconds is not None
    # progress times are rounded to the millisecond, the first timetable's time is not
    first = result.first_solution_seconds - 1e-3
    first_timetable = next(o for t, o, _ in result.progress if t >= first)
    assert not within_gap(first_timetable, 394, 0.2)  # the steps, not phase 1, got within


def test_single_search_stops_at_the_gap_limit(small_programme: Problem) -> None:
    """Deterministic mode: the bound known beforehand (167), which CP-SAT does not see, stops
    the CP-SAT search that comes before the steps at a solution within 75 %."""
    options = SolveOptions(time_limit=120, workers=1, seed=0, deterministic=True, gap_limit=0.75)
    _stopped_within(small_programme, solve(small_programme, options), 0.75, 120)


def test_cli_gap_limit(tmp_path: Path, small_programme_file: Path) -> None:
    bad = CliRunner().invoke(cli, ["solve", str(TINY), "--gap-limit", "1.5"])
    assert bad.exit_code == 2 and "--gap-limit" in bad.output
    # within 75 %, the first timetable (553) against the data bound (167) needs no LP
    args = ["solve", str(small_programme_file), "--out", str(tmp_path / "out")]
    args += ["--gap-limit", "0.75"]
    result = CliRunner().invoke(cli, [*args, "--time-limit", "90"])
    assert result.exit_code == 0, result.output
    assert "note       stopped at the gap limit: gap" in result.output
    assert (tmp_path / "out" / "solution.json").is_file()


def test_cp_sat_stopping_at_its_own_gap_limit_is_not_optimal(
    small_programme: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a bound known beforehand only CP-SAT's `relative_gap_limit` can stop its search
    (`--no-lns` pipeline), and CP-SAT then answers OPTIMAL: the result must say FEASIBLE."""
    monkeypatch.setattr(solve_module, "known_bound", lambda built, *floors: -(10**6))
    options = SolveOptions(time_limit=120, workers=2, seed=0, gap_limit=0.6, lns=False)
    _stopped_within(small_programme, solve(small_programme, options), 0.6, 120)


class _NoRelaxation(FakeRelaxation):
    """No LP bound: only the bound search's own CP-SAT bound can end the search."""


def test_the_bound_search_stopping_at_its_gap_limit_proves_nothing(
    small_programme: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound search's CP-SAT stops itself within 60 % and answers OPTIMAL; the neighbourhood
    search ends there too (its bound proves the gap) but must not report a proof."""
    monkeypatch.setattr(lns, "RelaxationBound", _NoRelaxation)
    built = build_model(small_programme)
    values, _, _ = find_feasible(small_programme, built, SolveOptions(time_limit=20))
    assert values is not None
    evaluate = lambda vals: objective_of_values(built, vals)[0]  # noqa: E731
    params = parameters(SolveOptions(gap_limit=0.6))
    search = Search(built, small_programme, values, params, 120.0, 0, evaluate, gap_limit=0.6)
    _, objective, bound, proved = search.run()
    assert bound is not None and bound < objective and within_gap(objective, bound, 0.6)
    assert search.bounder.status == cp_model.OPTIMAL  # CP-SAT's own answer at its gap limit
    assert not proved and search.elapsed() < 60
