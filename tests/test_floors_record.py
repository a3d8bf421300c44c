"""The floors a solve records in solution.json, read back only when they are this version's
own, of a plain solve (`io.floors_record`)."""

from __future__ import annotations

import json
from pathlib import Path

from scheduler import __version__
from scheduler.io.floors_record import floors_document, recorded_floors
from scheduler.solution import Floor

FLOORS = (
    Floor(("weekly_load",), 20, "two sessions beyond"),
    Floor(("ue_gap", "ue_spread"), 3, "x"),
)


def _written(tmp_path: Path, **extra: object) -> Path:
    doc = {"solver": {"version": f"scheduler {__version__}, ortools 9"}, "assignments": []}
    file = tmp_path / "solution.json"
    file.write_text(json.dumps({**doc, **floors_document(FLOORS), **extra}), encoding="utf-8")
    return file


def test_a_plain_solve_s_record_reads_back_as_written(tmp_path: Path) -> None:
    assert recorded_floors(_written(tmp_path)) == FLOORS


def test_no_record_is_read_from_a_re_solve_another_version_or_a_file_without_one(
    tmp_path: Path,
) -> None:
    assert recorded_floors(_written(tmp_path, revision={"today": "2027-01-01"})) is None
    assert recorded_floors(_written(tmp_path, solver={"version": "scheduler 9.9, x"})) is None
    assert recorded_floors(_written(tmp_path, unavoidable=None)) is None
    assert recorded_floors(_written(tmp_path, unavoidable=[{"rules": [], "cost": 1}])) is None
    assert recorded_floors(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert recorded_floors(tmp_path / "bad.json") is None
