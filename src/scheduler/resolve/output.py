"""Where a re-solve writes: a new `rev-<n>` folder beside the published timetable, never over it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from scheduler.io.atomic import write_text
from scheduler.io.solution_io import solution_path
from scheduler.resolve.diff import Moved

SEQUENCES = "sequences.json"
# A revision's own instance: the instance with every change up to it applied (added sessions,
# unavailabilities, cancelled slots closed, the past pinned). A re-solve from a revision starts
# from it, so that the changes of earlier re-solves still hold.
REVISION_INSTANCE = "instance.yaml"


def revision_instance(published: Path) -> Path | None:
    """The revised instance stored beside `published` (a folder or its solution.json), if any."""
    folder = solution_path(published).parent
    candidate = folder / REVISION_INSTANCE
    return candidate if candidate.is_file() else None


def revision_today(published: Path) -> dt.date | None:
    """The `today` of the re-solve that wrote `published` (its solution.json's
    `revision.today`), or None for a timetable that no re-solve wrote."""
    try:
        doc = json.loads(solution_path(published).read_text(encoding="utf-8"))
        return dt.date.fromisoformat(doc["revision"]["today"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def next_revision_folder(published: Path) -> Path:
    """`rev-<n+1>` in the folder holding the revisions of `published` (a folder or solution.json)."""
    folder = solution_path(published).parent
    base = folder.parent if re.fullmatch(r"rev-\d+", folder.name) else folder
    taken = [int(p.name[4:]) for p in base.glob("rev-*") if re.fullmatch(r"rev-\d+", p.name)]
    return base / f"rev-{max(taken, default=0) + 1}"


def read_sequences(published: Path) -> dict[str, int]:
    """SEQUENCE numbers of the published calendars (0 for all when never re-solved)."""
    folder = solution_path(published).parent
    path = folder / SEQUENCES
    if not path.exists():
        return {}
    return {str(k): int(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def next_sequences(
    previous: dict[str, int], sessions: list[str], moved: list[Moved]
) -> dict[str, int]:
    """Unchanged sessions keep their SEQUENCE; changed ones get the next one."""
    changed = {m.session for m in moved}
    result = {sid: previous.get(sid, 0) + (1 if sid in changed else 0) for sid in sessions}
    for m in moved:
        if m.after is None:
            result[m.session] = previous.get(m.session, 0) + 1
    return dict(sorted(result.items()))


def write_sequences(folder: Path, sequences: dict[str, int]) -> None:
    """Record SEQUENCE numbers so that the next re-solve continues from them."""
    write_text(folder / SEQUENCES, json.dumps(sequences, indent=1) + "\n")
