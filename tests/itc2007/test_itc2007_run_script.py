"""The ITC-2007 protocol script's summary (benchmarks/itc2007/run.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

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
