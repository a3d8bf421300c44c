"""What the data forces (`solution.Floor`), recorded in a solve's solution.json.

`solve` computes the floors anyway (they are part of its bound); `report` recomputing them
built the model's variables and soft rules again: 2-3 s of its 3.8 s on the sample. A solve
records them as `unavoidable`, `{"code": digest, "floors": [{"rules": [...], "cost": int,
"message": str}]}`, and `report` reads them back when they are of this very instance and
code: a plain solve's (no `revision`), of the instance as it is now (the caller checks),
computed by the same scheduler source and holidays package (`code_digest`: a version number
stays the same across commits that change the floors, a review). Anything else, or a record
that does not read as one, is recomputed: the record only saves time, and other tools should
not rely on it.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from scheduler.io.solution_read import read_json
from scheduler.solution import Floor

KEY = "unavoidable"


@cache
def code_digest() -> str:
    """A digest of every source file of this scheduler and of the holidays package's version
    (the floors are computed on the dated slots it gives): ~10 ms."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for file in sorted(root.rglob("*.py")):
        digest.update(file.relative_to(root).as_posix().encode("utf-8"))
        digest.update(file.read_bytes())
    with contextlib.suppress(PackageNotFoundError):  # without it: the source alone
        digest.update(version("holidays").encode("utf-8"))
    return digest.hexdigest()


def floors_document(floors: tuple[Floor, ...]) -> dict[str, Any]:
    """The solution.json entry recording `floors` (most costly first, as computed)."""
    listed = [{"rules": list(f.rules), "cost": f.cost, "message": f.message} for f in floors]
    return {KEY: {"code": code_digest(), "floors": listed}}


def recorded_floors(solution_file: Path) -> tuple[Floor, ...] | None:
    """The floors a plain solve by this very code recorded in `solution_file`, or None: a
    re-solve's file, other code's, none recorded, or a record not as written."""
    try:
        doc = read_json(solution_file)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or "revision" in doc:
        return None
    record = doc.get(KEY)
    if not isinstance(record, dict) or record.get("code") != code_digest():
        return None
    entries = record.get("floors")
    if not isinstance(entries, list):
        return None
    floors = [_floor(entry) for entry in entries]
    return None if any(f is None for f in floors) else tuple(f for f in floors if f is not None)


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
