"""`solve --start-from`: improve an earlier timetable instead of building a first one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scheduler.check import check
from scheduler.cli import cli
from scheduler.construct import greedy_timetable
from scheduler.data.problem import Problem
from scheduler.io.instance_io import file_sha256, load_instance
from scheduler.model import solve as solve_module
from scheduler.model.solve import SolveOptions, solve
from tests.conftest import SAMPLE, TINY


def _no_first_phase(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("phase 1 ran although a starting timetable was given")


@pytest.mark.usefixtures("without_lp_bound")
def test_the_search_continues_from_the_given_timetable(
    monkeypatch: pytest.MonkeyPatch, small_programme: Problem
) -> None:
    """The greedy timetable as the start: phase 1 does not run, and the result, checked,
    costs less than the start (in deterministic mode, twice the same)."""
    problem = small_programme
    start = greedy_timetable(problem)
    assert start is not None and len(start) == len(problem.sessions)
    before = check(problem, start)
    assert before.feasible
    monkeypatch.setattr(solve_module, "find_feasible", _no_first_phase)
    options = SolveOptions(time_limit=2, seed=0, deterministic=True)
    result = solve(problem, options, start=start)
    after = check(problem, result.assignments)
    assert after.feasible and after.objective == result.objective
    assert result.objective is not None and result.objective < before.objective
    assert solve(problem, options, start=start).assignments == result.assignments


def test_an_incomplete_start_falls_back_to_the_first_phase(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A timetable missing a session cannot be continued: phase 1 builds one as usual, and
    the result says so."""
    problem = Problem.build(load_instance(TINY))
    full = solve(problem, SolveOptions(time_limit=5, deterministic=True))
    calls: list[object] = []
    real = solve_module.find_feasible
    monkeypatch.setattr(
        solve_module, "find_feasible", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    options = SolveOptions(time_limit=5, deterministic=True)
    result = solve(problem, options, start=full.assignments[1:])
    assert len(calls) == 1
    assert result.message.startswith(solve_module.UNUSABLE_START_NOTE)
    assert len(result.assignments) == len(problem.sessions)
    assert check(problem, result.assignments).feasible


def _solved(runner: CliRunner, out: Path, *extra: str) -> Any:
    result = runner.invoke(cli, ["solve", str(TINY), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_cli_starts_from_an_earlier_solve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No phase 1 with a start (it would fail here); solution.json records the start."""
    runner = CliRunner()
    _solved(runner, tmp_path / "first")
    monkeypatch.setattr(solve_module, "find_feasible", _no_first_phase)
    again = _solved(runner, tmp_path / "second", "--start-from", str(tmp_path / "first"))
    assert f"starting from {tmp_path / 'first'}: objective 28" in again.output
    assert "objective  28" in again.output
    solver = json.loads((tmp_path / "second" / "solution.json").read_text("utf-8"))["solver"]
    start = tmp_path / "first" / "solution.json"
    assert solver["start_from"] == str(start.resolve())
    assert solver["start_from_sha256"] == file_sha256(start)


def test_cli_ignores_a_start_that_breaks_a_hard_rule(tmp_path: Path) -> None:
    """One session dropped from the earlier timetable: a warning naming the rule, then a
    solve from scratch."""
    runner = CliRunner()
    _solved(runner, tmp_path / "first")
    doc_path = tmp_path / "first" / "solution.json"
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    dropped = doc["assignments"].pop()["session"]
    doc_path.write_text(json.dumps(doc), encoding="utf-8")
    again = _solved(runner, tmp_path / "second", "--start-from", str(doc_path))
    assert "breaks 1 hard rule (1 violation) of" in again.output and dropped in again.output
    assert "starting afresh" in again.output
    assert "status     OPTIMAL" in again.output


def test_cli_refuses_a_start_of_another_instance(tmp_path: Path) -> None:
    runner = CliRunner()
    _solved(runner, tmp_path / "tiny")
    other = runner.invoke(
        cli,
        [
            "solve",
            str(SAMPLE),
            "--out",
            str(tmp_path / "o"),
            "--start-from",
            str(tmp_path / "tiny"),
        ],
    )
    assert other.exit_code == 2
    assert "a solution of instance 'tiny'" in other.output
