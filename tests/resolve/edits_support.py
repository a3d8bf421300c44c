"""The small instance of the edit re-solve tests (a visitor, an event, a deposit) and helpers to
publish it and re-solve it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from scheduler.cli import cli

SLOTS = [
    {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
    {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
    {"id": "AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
    {"id": "PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
]

FIRST, LAST = dt.date(2026, 9, 15), dt.date(2026, 10, 31)


def edits_instance() -> dict[str, Any]:
    """Seven weeks; V visits in the first week only; an event on the fourth Saturday."""
    return {
        "name": "edits",
        "calendar": {"start": FIRST.isoformat(), "end": LAST.isoformat(), "slots": SLOTS},
        "sites": [
            {"id": "MONS", "rooms": [{"id": "M1", "capacity": 30}]},
            {"id": "NAMUR", "rooms": [{"id": "N1", "capacity": 30}]},
        ],
        "groups": [{"id": "C", "size": 20}],
        "teachers": [
            {"id": "T1", "unavailable": [{"from": "2026-10-01", "to": "2026-10-31"}]},
            {"id": "V", "available_only": [{"from": "2026-09-15", "to": "2026-09-19"}]},
        ],
        "ues": [
            {"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 2}]},
            {"id": "U2", "teachers": ["V"], "groups": ["C"], "sessions": [{"count": 2}]},
            {"id": "U3", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 1}]},
        ],
        "fixed_events": [
            {
                "id": "EV",
                "title": "Journée",
                "site": "NAMUR",
                "dates": ["2026-10-10"],
                "start": "09:00",
                "end": "17:00",
                "groups": ["C"],
            },
            {
                "id": "DEPOT",
                "site": "NAMUR",
                "dates": ["2026-10-30"],
                "start": "09:00",
                "end": "12:00",
                "groups": [],
            },
        ],
        "precedences": [{"before": "U1", "after": "DEPOT"}],
        "weights": {"saturday_opening": 0, "half_saturday": 0},
    }


def publish_variant(tmp_path: Path, data: dict[str, Any], name: str) -> tuple[Path, Path]:
    """The instance `data` written as `name`.yaml and solved: (instance, solution folder)."""
    inst = tmp_path / f"{name}.yaml"
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / f"{name}-pub"
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    return inst, out


def resolve_output(
    tmp_path: Path, inst: Path, pub: Path, changes: dict[str, Any]
) -> tuple[int, str]:
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--deterministic"]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def csv_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "timetable.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def assert_revision_checked(inst: Path, folder: Path) -> None:
    """The revision passes the independent checker against its own instance."""
    result = CliRunner().invoke(
        cli, ["check", str(folder / "instance.yaml"), str(folder), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["feasible"]


# --- minus: an unavailable rule without the slots a teacher is free in -----------------------
