"""Benchmark suites, records and the baseline comparison that gates CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scheduler.bench import compare, judge_record, load_suite, make_baseline
from scheduler.bench.case import run_case
from scheduler.cli.bench_cmd import bench
from scheduler.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "case": "c",
        "seed": 0,
        "status": "FEASIBLE",
        "has_timetable": True,
        "objective": 400,
        "checker_objective": 400,
        "violations": 0,
        "violated_rules": [],
    }
    return {**record, **changes}


BASELINE = make_baseline([_record()], "unit")


def _failed(records: list[dict[str, Any]]) -> list[str]:
    return [f.message for f in compare(records, BASELINE, rel=0.25, abs_=50) if f.failed]


def test_an_equal_result_passes() -> None:
    assert _failed([_record()]) == []


def test_a_result_within_tolerance_passes() -> None:
    assert _failed([_record(objective=540, checker_objective=540)]) == []  # limit 400*1.25+50


def test_a_worse_objective_fails() -> None:
    (message,) = _failed([_record(objective=700, checker_objective=700)])
    assert "regressed" in message and "550" in message


def test_the_checker_objective_is_compared_when_known() -> None:
    assert _failed([_record(objective=900, checker_objective=420)]) == []


def test_lost_feasibility_fails() -> None:
    (message,) = _failed([_record(status="UNKNOWN", has_timetable=False, objective=None)])
    assert "no timetable" in message


def test_a_hard_violation_fails_even_without_baseline() -> None:
    record = _record(violations=2, violated_rules=["room_double_booking"])
    assert judge_record(record)[0].failed
    (message,) = _failed([record])
    assert "room_double_booking" in message


def test_a_crashed_case_fails() -> None:
    assert _failed([_record(error="exit 1: boom", has_timetable=False)]) == ["error: exit 1: boom"]


def test_a_case_missing_from_the_baseline_is_only_a_note() -> None:
    findings = compare([_record(case="new")], BASELINE)
    assert findings and not any(f.failed for f in findings)


def test_the_repository_suites_load() -> None:
    for name in ("quick", "full"):
        suite = load_suite(ROOT / "benchmarks" / f"{name}.yaml")
        assert suite.name == name and all(c.workers == 2 for c in suite.cases)
    baseline = json.loads((ROOT / "benchmarks" / "baseline.json").read_text())
    quick = load_suite(ROOT / "benchmarks" / "quick.yaml")
    assert {f"{c.id}@{s}" for c in quick.cases for s in c.seeds} == set(baseline["cases"])


def test_a_bad_suite_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("cases:\n  - {id: x, instance: nowhere.yaml}\n")
    with pytest.raises(InputError, match="case 'x': instance: no such file"):
        load_suite(path)
    with pytest.raises(InputError, match="no such suite"):
        load_suite(str(tmp_path / "absent"))


def test_run_case_records_every_field() -> None:
    spec = {
        "case": "tiny",
        "instance": str(ROOT / "instances" / "tiny.yaml"),
        "seed": 0,
        "workers": 2,
        "time_limit": 3,
    }
    record = run_case(spec)
    assert record["has_timetable"] and record["violations"] == 0
    for key in (
        "sessions",
        "objective",
        "bound",
        "gap",
        "first_feasible_seconds",
        "wall_seconds",
        "peak_memory_mb",
        "package_version",
        "git_revision",
    ):
        assert key in record


def _tiny_suite(folder: Path) -> Path:
    suite = folder / "mini.yaml"
    tiny = ROOT / "instances" / "tiny.yaml"
    suite.write_text(
        f"name: mini\nworkers: 2\ncases:\n  - {{id: tiny, instance: {tiny}, time_limit: 3}}\n"
    )
    return suite


def test_bench_runs_a_suite_end_to_end_and_gates_on_the_baseline(tmp_path: Path) -> None:
    suite, out, base = _tiny_suite(tmp_path), tmp_path / "r.jsonl", tmp_path / "base.json"
    runner = CliRunner()
    result = runner.invoke(bench, [str(suite), "--out", str(out), "--write-baseline", str(base)])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["case"] == "tiny" and record["has_timetable"] and record["peak_memory_mb"] > 0
    # Same baseline: passes. A baseline claiming a far better objective: the run regresses.
    again = runner.invoke(bench, [str(suite), "--out", str(out), "--baseline", str(base)])
    assert again.exit_code == 0, again.output
    data = json.loads(base.read_text())
    data["cases"]["tiny@0"]["checker_objective"] = -1000
    base.write_text(json.dumps(data))
    worse = runner.invoke(bench, [str(suite), "--out", str(out), "--baseline", str(base)])
    assert worse.exit_code == 1
    assert "regressed" in worse.output
