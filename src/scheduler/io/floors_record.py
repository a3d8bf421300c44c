"""What the data forces (`solution.Floor`), recorded in a solve's solution.json.

`solve` computes the floors anyway (they are part of its bound); `report` recomputing them
built the model's variables and soft rules again: 2-3 s of its 3.8 s on the sample. A solve
records them as `unavoidable`, `[{"rules": [...], "cost": int, "message": str}]`, and
`report` reads them back when they are of this very instance: a plain solve's (no
`revision`), of the instance as it is now, by this version of scheduler. Anything else, or a
record that does not read as one, is recomputed: the record only saves time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scheduler import __version__
from scheduler.solution import Floor

KEY = "unavoidable"


def floors_document(floors: tuple[Floor, ...]) -> dict[str, Any]:
    """The solution.json entry recording `floors` (most costly first, as computed)."""
    return {KEY: [{"rules": list(f.rules), "cost": f.cost, "message": f.message} for f in floors]}


def recorded_floors(solution_file: Path) -> tuple[Floor, ...] | None:
    """The floors a plain solve of this scheduler version recorded in `solution_file`, or
    None: a re-solve's file, another version's, none recorded, or a record not as written."""
    try:
        doc = json.loads(solution_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or "revision" in doc or not _this_version(doc.get("solver")):
        return None
    entries = doc.get(KEY)
    if not isinstance(entries, list):
        return None
    floors = [_floor(entry) for entry in entries]
    return None if any(f is None for f in floors) else tuple(f for f in floors if f is not None)


def _this_version(solver: Any) -> bool:
    """Whether `solver.version` names this scheduler (the floors' wording is its)."""
    version = solver.get("version") if isinstance(solver, dict) else None
    return isinstance(version, str) and version.split(",")[0] == f"scheduler {__version__}"


def _floor(entry: Any) -> Floor | None:
    """One recorded floor, or None when it is not `{"rules", "cost", "message"}` as written."""
    if not isinstance(entry, dict):
        return None
    rules, cost, message = entry.get("rules"), entry.get("cost"), entry.get("message")
    if (
        not isinstance(rules, list)
        or not rules
        or not all(isinstance(r, str) for r in rules)
        or not isinstance(cost, int)
        or isinstance(cost, bool)
        or not isinstance(message, str)
    ):
        return None
    return Floor(tuple(rules), cost, message)
