"""The floors a solve records in solution.json, read back only when this very code wrote
them, for a plain solve (`io.floors_record`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scheduler.io.floors_record import code_digest, floors_document, recorded_floors
from scheduler.solution import Floor

FLOORS = (
    Floor(("weekly_load",), 20, "two sessions beyond"),
    Floor(("ue_gap", "ue_spread"), 3, "x"),
)


def _written(tmp_path: Path, **extra: Any) -> Path:
    doc = {"assignments": [], **floors_document(FLOORS), **extra}
    file = tmp_path / "solution.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    return file


def test_a_plain_solve_s_record_reads_back_as_written(tmp_path: Path) -> None:
    assert recorded_floors(_written(tmp_path)) == FLOORS


def test_no_record_is_read_from_a_re_solve_other_code_or_a_file_without_one(
    tmp_path: Path,
) -> None:
    assert recorded_floors(_written(tmp_path, revision={"today": "2027-01-01"})) is None
    other = {
        "code": "another version's",
        "floors": floors_document(FLOORS)["unavoidable"]["floors"],
    }
    assert recorded_floors(_written(tmp_path, unavoidable=other)) is None
    assert recorded_floors(_written(tmp_path, unavoidable=None)) is None
    bad = {"code": code_digest(), "floors": [{"rules": [], "cost": 1, "message": "m"}]}
    assert recorded_floors(_written(tmp_path, unavoidable=bad)) is None
    assert recorded_floors(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert recorded_floors(tmp_path / "bad.json") is None
