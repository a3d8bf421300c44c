"""The ITC-2007 protocol script's summary (benchmarks/itc2007/run.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from scheduler.itc2007 import evaluate, read_ctt
from scheduler.itc2007.solution_format import read_solution

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "itc2007" / "run.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("itc2007_run", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_instance_with_a_failed_run_is_not_judged_within_the_winner_average() -> None:
    """The mean is over feasible runs; judging it alone hid runs that failed (bench audit):
    the table says how many runs were feasible, and the verdict needs all of them."""
    run = _script()
    runs = [
        {"instance": "comp01", "seed": 0, "cost": 5, "violations": 0, "first_feasible_seconds": 1},
        {"instance": "comp01", "seed": 1, "status": "ERROR", "first_feasible_seconds": None},
    ]
    summary = run.summarise(runs)
    assert summary["comp01"]["feasible_runs"] == 1 and summary["comp01"]["runs"] == 2
    assert summary["comp01"]["within_winner_average"] is False
    assert "| comp01 | 1/2 | 5, - | 5.0 |" in run.table(summary)
    assert "| **no** |" in run.table(summary)
    assert run.summarise(runs[:1])["comp01"]["within_winner_average"] is True


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--data-dir", str(data), "--seeds", "1", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=240)


def test_the_script_writes_solutions_and_fails_without_a_feasible_run(
    tmp_path: Path, toy_text: str
) -> None:
    """An audit's run without a timetable exited 0 ("hard violations must be 0" enforced by
    nothing), and no run left a file another validator could score."""
    (tmp_path / "toy.ctt").write_text(toy_text, encoding="utf-8")
    # more lectures of one teacher than the week has periods: no timetable
    crowded = toy_text.replace("TecCos Rosa 5 4 40", "TecCos Rosa 21 4 40")
    (tmp_path / "crowded.ctt").write_text(crowded, encoding="utf-8")
    sols = tmp_path / "sols"
    solved = _run(tmp_path, "--instances", "toy", "--time-limit", "3", "--solutions", str(sols))
    assert solved.returncode == 0, solved.stderr
    instance = read_ctt(tmp_path / "toy.ctt")
    assert evaluate(instance, read_solution(sols / "toy-seed0.sol", instance)).total_cost == 0
    failed = _run(tmp_path, "--instances", "crowded", "--time-limit", "3")
    assert failed.returncode == 1, failed.stdout
    assert "no feasible timetable in 1 run(s): crowded@0" in failed.stderr
