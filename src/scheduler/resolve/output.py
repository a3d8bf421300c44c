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


def later_revisions(published: Path) -> list[Path]:
    """The `rev-<n>` folders made after `published` (a published folder counts as rev-0):
    a re-solve from it branches off them."""
    folder = solution_path(published).parent
    own = int(folder.name[4:]) if re.fullmatch(r"rev-\d+", folder.name) else 0
    base = folder.parent if own else folder
    revs = [p for p in base.glob("rev-*") if re.fullmatch(r"rev-\d+", p.name) and p.is_dir()]
    return sorted((p for p in revs if int(p.name[4:]) > own), key=lambda p: int(p.name[4:]))


def next_revision_folder(published: Path) -> Path:
    """`rev-<n+1>` in the folder holding the revisions of `published` (a folder or solution.json)."""
    folder = solution_path(published).parent
    base = folder.parent if re.fullmatch(r"rev-\d+", folder.name) else folder
    taken = [int(p.name[4:]) for p in base.glob("rev-*") if re.fullmatch(r"rev-\d+", p.name)]
    return base / f"rev-{max(taken, default=0) + 1}"
