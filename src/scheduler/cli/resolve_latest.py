"""The later revision a re-solve from an older timetable supersedes: which of the later ones
people may have been told of, and the latest of them, read whole (its timetable, its
timetable.csv and its fixed events), so that what people are told compares with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scheduler.data.instance import FixedEvent, Instance
from scheduler.data.problem import Problem
from scheduler.errors import InputError, NoTimetable
from scheduler.io.csv_timetable import read_timetable_rows
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_io import timetable_rows
from scheduler.io.solution_read import read_timetable, revision_record, same_solution, solution_path
from scheduler.resolve.output import next_revision_folder, revision_instance
from scheduler.solution import Assignment


@dataclass(frozen=True)
class Latest:
    """The latest later revision people may have been told of."""

    label: str  # its folder's name, `rev-<n>`
    timetable: tuple[Assignment, ...]
    rows: list[dict[str, str]]  # its timetable.csv, in order
    # its instance's fixed events by id, for their `location` (none if unreadable: unsaid)
    events: dict[str, FixedEvent]


def published_rows(from_path: Path) -> list[dict[str, str]]:
    """The rows of the published timetable.csv (none without one)."""
    table = solution_path(from_path).parent / "timetable.csv"
    return read_timetable_rows(table) if table.exists() else []


def told_of(from_path: Path, later: list[Path]) -> list[Path]:
    """The `later` revisions people may have been told of. Once a revision was republished in
    the folder they are in (`export rev-<n> --out` it), up to the one its calendars publish,
    none when that is this timetable or an earlier one: a mistaken revision never published
    was taken as "the latest people were told of", and a re-solve's warnings sent staff to
    tell students of a move to a date already past (an audit). Else (no revision republished
    there: each revision's own calendars may be what people hold) every one."""
    from scheduler.export.published import published_from

    source = published_from(next_revision_folder(from_path).parent / "calendars")
    if source is None or not source.is_file() or revision_record(source) is None:
        return later
    for i, folder in enumerate(later):
        if same_solution(source, folder / "solution.json"):
            return later[: i + 1]
    return []


def read_latest(told: list[Path]) -> Latest | None:
    """The last of the `told` revisions, or None: none, or not readable whole (changes.md
    then says nothing of it; `unread_latest` says why). Its rows are its timetable.csv's,
    else rebuilt from its timetable and its instance.yaml: with the rows missing, a review
    saw every fixed event told as added, then, with the revision left out, what the re-solve
    undid of it told to nobody."""
    if not told:
        return None
    try:
        timetable = read_timetable(told[-1]).assignments
        rows = published_rows(told[-1])
    except (InputError, NoTimetable):
        return None
    instance = _instance(told[-1])
    if not rows and instance is not None:
        try:
            rows = timetable_rows(Problem.build(instance), timetable)
        except (InputError, KeyError):  # a timetable its instance does not match
            rows = []
    if not rows:
        return None
    events = {e.id: e for e in instance.fixed_events} if instance else {}
    return Latest(told[-1].name, timetable, rows, events)


def unread_latest(told: list[Path]) -> str | None:
    """The warning for a later revision people may hold that `read_latest` cannot read."""
    if not told:
        return None
    return (
        f"{told[-1]}: the latest revision people may have been told of cannot be read whole "
        "(its solution.json, timetable.csv or instance.yaml): whom to tell and notices.csv "
        "compare with the timetable revised instead, so what this re-solve undoes of it is "
        "not in them"
    )


def _instance(folder: Path) -> Instance | None:
    """The revision's instance in `folder` (None if unreadable)."""
    found = revision_instance(folder)
    try:
        return load_instance(found, say_timezone=False) if found else None
    except (InputError, OSError):
        return None
