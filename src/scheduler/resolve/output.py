"""Where a re-solve writes: a new `rev-<n>` folder beside the published timetable, never over it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from scheduler.io.solution_io import solution_path

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
