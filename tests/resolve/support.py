"""Helpers shared by the re-solve tests: a roomy instance, running `resolve`, reading its outputs."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from scheduler.cli import cli

# what the disruption's figure counts, said the same in the console, `report` and changes.md
MEANS = re.escape(
    "a moved date, week, site or room scores its weight (resolve's --w-* options) times the "
    "people it concerns; minimised first, then the soft cost"
)


def roomy() -> dict[str, Any]:
    """Four weeks with plenty of free slots, so that a minimal repair moves only what it must."""
    slots = [
        {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
        {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
        {"id": "AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
    ]
    return {
        "name": "roomy",
        "calendar": {"start": "2026-09-15", "end": "2026-10-10", "slots": slots},
        "sites": [
            {"id": "MONS", "rooms": [{"id": "M1", "capacity": 30}, {"id": "M2", "capacity": 30}]},
            {"id": "NAMUR", "rooms": [{"id": "N1", "capacity": 30}]},
        ],
        "groups": [
            {"id": "C", "size": 20},
            {"id": "A", "size": 10, "part_of": "C", "partition": "opt"},
            {"id": "B", "size": 10, "part_of": "C", "partition": "opt"},
        ],
        "teachers": [{"id": "T1"}, {"id": "T2"}, {"id": "T3"}],
        "ues": [
            {"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 3}]},
            {"id": "U2", "teachers": ["T2"], "groups": ["A"], "sessions": [{"count": 2}]},
            {"id": "U3", "teachers": ["T3"], "groups": ["B"], "sessions": [{"count": 1}]},
        ],
    }


CANCEL_U3 = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "U3-main-01"}}]}


def timetable_rows(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "timetable.csv").open(encoding="utf-8") as handle:
        return {r["session_id"]: r for r in csv.DictReader(handle) if r["kind"] == "session"}


def run_resolve(
    tmp_path: Path, inst: Path, pub: Path, changes: dict[str, Any]
) -> tuple[int, str, Path]:
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--deterministic"]
    )
    return result.exit_code, result.output, pub / "rev-1"


def moved_sessions(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> set[str]:
    keys = ("date", "start", "room")
    return {s for s in after if s not in before or any(before[s][k] != after[s][k] for k in keys)}


def ics_events(path: Path) -> dict[str, dict[str, str]]:
    """UID -> properties of each VEVENT (unfolded lines, parameters dropped)."""
    text = path.read_text(encoding="utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    events: dict[str, dict[str, str]] = {}
    for block in text.split("BEGIN:VEVENT")[1:]:
        props = {}
        for line in block.split("END:VEVENT")[0].strip().splitlines():
            key, _, value = line.partition(":")
            props[key.split(";")[0]] = value
        events[props["UID"]] = props
    return events


def assert_checked(inst: Path, folder: Path) -> None:
    """A revision is checked against its own instance (the instance with its changes)."""
    own = folder / "instance.yaml"
    assert own.is_file() or not folder.name.startswith("rev-")
    inst = own if own.is_file() else inst
    result = CliRunner().invoke(cli, ["check", str(inst), str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["feasible"] is True


def run_resolve_from(tmp_path: Path, inst: Path, source: Path, changes: dict[str, Any]) -> Any:
    path = tmp_path / "changes-from.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(source), "--changes", str(path)]
    return CliRunner().invoke(cli, [*args, "--deterministic"])


def published_tiny(
    tmp_path: Path, tiny_data: dict[str, Any], stem: str = "tiny"
) -> tuple[Path, Path]:
    """`tiny_data` (or any instance data) written as `stem`.yaml and solved (deterministic)
    into `pub`."""
    inst = tmp_path / f"{stem}.yaml"
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    return inst, pub


def published_with_a_pin(tmp_path: Path) -> tuple[Path, Path]:
    """roomy with U1-main-02 pinned to Thursday 24 September, solved into tmp_path/pub."""
    data = roomy()
    data["pins"] = [{"session": "U1-main-02", "date": "2026-09-24", "slot": "THU"}]
    return published_tiny(tmp_path, data, "pinned")
