"""Shared fixtures: paths to bundled instances and a helper to build instances from dicts."""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = ROOT / "instances"
TINY = INSTANCES / "tiny.yaml"
SAMPLE = INSTANCES / "mapemass-2026-27.yaml"


@pytest.fixture(autouse=True)
def _machine_date_before_every_test_year(monkeypatch: pytest.MonkeyPatch) -> None:
    """`resolve` tells of a `today` before or after the machine's date (sessions in between
    may have taken place, or may not): tests re-solve 2026-27 timetables on any date, so
    their machine has no date (None: neither is told), unless a test gives one."""
    from scheduler.cli import resolve_start

    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: None)


class _NoLpBeside:
    """Stands for `optimise._LpBeside`: no child process, no LP bound."""

    def __init__(self, *args: object) -> None:
        pass

    def bound(self, interrupted: object) -> None:
        return None

    def __enter__(self) -> _NoLpBeside:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class FakeRelaxation:
    """Stands for `lp_bound.RelaxationBound` in a `Search`: no child process; once started,
    its bound is `answer` (None: no bound, as when the LP is slower than the search)."""

    answer: int | None = None

    def __init__(self, problem: object, seconds: float, found: Any) -> None:
        self.found, self.error = found, None
        self.bound: int | None = None
        self.started = False

    def prepare(self) -> None:
        pass

    def start(self) -> None:
        if not self.started and self.answer is not None:
            self.bound = self.answer
            self.found(self.answer)
        self.started = True

    def tell(self, found: Any) -> None:
        self.found = found
        if self.bound is not None:
            found(self.bound)

    def stop(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> bool:
        return True


@pytest.fixture
def without_lp_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic solves without the LP bound they wait for at the end (~20 s on the
    sample, twice that beside the suite), for tests of anything but that bound."""
    from scheduler.model import optimise

    monkeypatch.setattr(optimise, "_LpBeside", _NoLpBeside)


@pytest.fixture(scope="session")
def small_programme() -> Problem:
    """A generated programme of 45 sessions over 16 weeks (two sites, a winter closure):
    large enough that a few seconds of search neither prove it optimal nor stop improving
    it, several times cheaper than the sample for tests of the search's mechanics."""
    from scheduler.generate import generate_instance

    return Problem.build(generate_instance(programmes=1, seed=1, weeks=16))


@pytest.fixture(scope="session")
def small_programme_file(
    tmp_path_factory: pytest.TempPathFactory, small_programme: Problem
) -> Path:
    """`small_programme` as an instance file, for the CLI."""
    from scheduler.io.instance_io import dump_instance

    path = tmp_path_factory.mktemp("small") / "small-programme.yaml"
    dump_instance(small_programme.instance, path)
    return path


@pytest.fixture
def tiny_data() -> dict[str, Any]:
    """The tiny instance as a plain dict, free to modify."""
    return copy.deepcopy(_TINY)


_TINY: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))


def problem_of(data: dict[str, Any]) -> Problem:
    """Validate a dict into an instance and expand it."""
    return Problem.build(Instance.model_validate(data))


def solve_to_optimum(data: dict[str, Any]) -> Any:
    """Solve `data` deterministically to a proved optimum that the checker confirms (no
    violation, same objective); the result."""
    from scheduler.check import check
    from scheduler.model.solve import SolveOptions, solve
    from scheduler.solution import Status

    problem = problem_of(data)
    result = solve(problem, SolveOptions(time_limit=10, workers=1, deterministic=True))
    assert result.status == Status.OPTIMAL
    report = check(problem, result.assignments)
    assert report.violations == ()
    assert report.objective == result.objective
    return result


@contextlib.contextmanager
def in_temporary_folder(parent: Path | None = None) -> Iterator[Path]:
    """Run the block in a new empty folder (Click 8.3 deprecates `isolated_filesystem`)."""
    before = Path.cwd()
    with tempfile.TemporaryDirectory(dir=parent) as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(before)
