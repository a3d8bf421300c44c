"""`--deterministic`: the same instance and seed give the same timetable in another process.

The in-process test (test_cli.py) solves the tiny instance to its optimum, which one timetable
may reach by any path. This one stops a 27-session instance well before its optimum (60),
where the timetable depends on the search's path (seeds 2, 3 and 4 end at 80, 124 and 77 in
5 units; at 2 units every seed still holds the same early timetable), and runs it in processes
that differ as machines do: Python's hash seed (set and dict order of strings) and the CPUs
the process may use.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CERTIFICATE = Path(__file__).parent.parent / "instances" / "certificat-mediation-2027-28.yaml"


def _solve(out: Path, hash_seed: str, *, one_cpu: bool) -> subprocess.CompletedProcess[str]:
    args = ["solve", str(CERTIFICATE), "--out", str(out), "--deterministic", "--seed", "2"]
    code = "import sys; from scheduler.cli import main; sys.argv[0] = 'scheduler'; main()"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-c", code, *args, "--time-limit", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=(lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}))
        if one_cpu
        else None,
    )


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs Linux CPU affinity")
def test_a_deterministic_solve_repeats_across_processes(tmp_path: Path) -> None:
    runs = [("1", False), ("2", True)]
    tables, objectives = [], []
    for hash_seed, one_cpu in runs:
        out = tmp_path / f"run{hash_seed}"
        result = _solve(out, hash_seed, one_cpu=one_cpu)
        assert result.returncode == 0, result.stdout + result.stderr
        tables.append((out / "timetable.csv").read_text(encoding="utf-8"))
        objectives.append(json.loads((out / "solution.json").read_text())["objective"])
    # stopped short of the proved optimum (60), where the path decides the timetable
    assert objectives[0] > 60, objectives
    assert tables[0] == tables[1]
    assert objectives[0] == objectives[1]
    rows = list(csv.DictReader(tables[0].splitlines()))
    assert len(rows) >= 27 and all(row["date"] for row in rows)
