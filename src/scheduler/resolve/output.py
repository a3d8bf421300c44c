"""Where a re-solve writes: a new `rev-<n>` folder beside the published timetable, never over it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from scheduler.io.solution_read import revision_record, solution_path

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
    record = revision_record(published)
    if record is None:
        return None
    try:
        return dt.date.fromisoformat(record["today"])
    except (KeyError, TypeError, ValueError):
        return None


def _revision_number(path: Path) -> int | None:
    """n for a `rev-<n>` name, else None."""
    return int(path.name[4:]) if re.fullmatch(r"rev-\d+", path.name) else None


def revisions_in(folder: Path) -> dict[int, Path]:
    """Every `rev-<n>` in `folder`, by n."""
    return {n: p for p in folder.glob("rev-*") if (n := _revision_number(p)) is not None}


def _revisions(published: Path) -> tuple[Path, int, dict[int, Path]]:
    """The folder holding the revisions of `published` (a folder or solution.json), the
    number of `published` itself (0 for the published timetable) and every `rev-<n>` there."""
    folder = solution_path(published).parent
    own = _revision_number(folder)
    base = folder if own is None else folder.parent
    return base, own or 0, revisions_in(base)


def later_revisions(published: Path) -> list[Path]:
    """The `rev-<n>` folders made after `published` (a published folder counts as rev-0):
    a re-solve from it branches off them."""
    _, own, taken = _revisions(published)
    return [taken[n] for n in sorted(taken) if n > own and taken[n].is_dir()]


def seen_by_later_resolves(folder: Path, published: Path) -> bool:
    """Whether `folder` is a `rev-<n>` where re-solves from `published` look for its
    revisions (`later_revisions`): one written elsewhere with `--out` is not."""
    base, _, _ = _revisions(published)
    return _revision_number(folder) is not None and folder.resolve().parent == base.resolve()


def next_revision_folder(published: Path) -> Path:
    """`rev-<n+1>` in the folder holding the revisions of `published` (a folder or solution.json)."""
    base, _, taken = _revisions(published)
    return base / f"rev-{max(taken, default=0) + 1}"
