"""`--verbose` shows the search as it goes, and the recorded trace follows the bound as it rises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from scheduler.cli import cli
from scheduler.model.solve import SolveOptions, solve
from scheduler.solution import Status
from tests.conftest import SAMPLE, problem_of

PROGRESS = re.compile(r"^\s*([\d.]+) s  objective\s+(-?\d+)  bound\s+(-?\d+)  gap ", re.M)


def test_verbose_shows_the_cp_sat_log_the_steps_and_the_progress(tmp_path: Path) -> None:
    """The default pipeline (neighbourhoods beside a bound search) on the sample: the bound
    search's CP-SAT log, one line per neighbourhood step, and a progress line per better
    objective or bound, all on stderr; stdout keeps the summary."""
    out = tmp_path / "out"
    args = ["solve", str(SAMPLE), "--out", str(out), "--time-limit", "6", "--verbose"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Starting CP-SAT solver" in result.stderr
    assert "#Bound" in result.stderr
    assert re.search(r"neighbourhood step 1: (weeks|series), \d+ sessions freed", result.stderr)
    points = [(float(t), int(o), int(b)) for t, o, b in PROGRESS.findall(result.stderr)]
    assert len(points) >= 2
    assert [b for _, _, b in points] == sorted(b for _, _, b in points)
    assert all(o >= b for _, o, b in points)
    assert "objective" in result.stdout and "#Bound" not in result.stdout


def test_without_verbose_nothing_of_the_search_is_printed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(SAMPLE), "--out", str(out), "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    assert "#Bound" not in result.stderr and not PROGRESS.search(result.stderr)


def test_the_trace_records_the_bound_as_it_rises(tiny_data: dict[str, Any]) -> None:
    """One CP-SAT search (deterministic mode): a point per better solution and per better
    bound; the bound never falls, and the last point is the proved optimum."""
    result = solve(problem_of(tiny_data), SolveOptions(time_limit=10, deterministic=True))
    assert result.status == Status.OPTIMAL
    bounds = [b for _, _, b in result.progress]
    assert bounds == sorted(bounds) and len(set(bounds)) >= 2
    assert result.progress[-1][1:] == (28, 28)
