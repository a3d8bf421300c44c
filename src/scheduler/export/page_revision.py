"""What a re-solve's page says of it: its name, its `today`, and the timetable it revised.

A re-solve's `solution.json` records `revision: {today, from, ...}` (`from`: the solution.json
of the timetable it revised); the rows of that timetable's `timetable.csv` are what the page
compares with, and its folder is what a later export of the revision continues the
calendars of.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scheduler.errors import InputError
from scheduler.export.common import Row, uid_key
from scheduler.io.csv_timetable import read_timetable_rows
from scheduler.io.instance_io import file_sha256
from scheduler.io.solution_read import revision_record


@dataclass(frozen=True)
class PageRevision:
    """A re-solve's page: its label (`rev-1`), its `today`, and the rows it revised by key
    (None when that timetable cannot be read: the page then marks nothing)."""

    label: str
    today: date
    before: Mapping[str, Row] | None
    revised: str | None = None  # the revision it revised (`rev-1`); None: the published one
    # why each session or fixed event changed, in words, by id (its changes.csv; the staff
    # workbook's Changes sheet said what changed but not why: an audit)
    causes: Mapping[str, str] = field(default_factory=dict)
    # sessions renumbered in place (`6/10 -> 5/9`), by id: their titles changed, and the
    # workbook's Changes sheet left out the rows changes.csv gives them (a German audit)
    numbers: Mapping[str, str] = field(default_factory=dict)


def revised_folder(solution_file: Path) -> Path | None:
    """The folder of the timetable a re-solve's `solution_file` revised, or None (a solution
    no re-solve wrote, or a record without it). The record's path is absolute: a published
    folder moved or renamed since (an audit's `mv pub moved`: every later revision was then
    refused as "a re-solve of another timetable") is found at the same place beside the
    revision, `<published>/rev-N` revising `<published>` or `<published>/rev-K`, when its
    timetable.csv is the one the re-solve recorded (the recorded place is taken only while it
    still holds it: a new year solved where the old one was is another timetable)."""
    record = revision_record(solution_file)
    source = record.get("from") if record is not None else None
    if record is None or not isinstance(source, str):
        return None
    recorded = Path(source).parent
    digest = record.get("from_timetable_sha256", "unrecorded")
    own = solution_file.resolve().parent
    if not own.name.startswith("rev-") or not isinstance(digest, str) or digest == "unrecorded":
        return recorded  # nothing to tell the timetable it revised by: as recorded
    if (recorded / "solution.json").is_file() and _unchanged(recorded / "timetable.csv", digest):
        return recorded
    # moved away (or replaced by another year's): the same place beside this revision
    published = own.parent
    moved = published / recorded.name if recorded.name.startswith("rev-") else published
    if (moved / "solution.json").is_file() and _unchanged(moved / "timetable.csv", digest):
        return moved
    return recorded


def revision_chain(solution_file: Path) -> list[Path]:
    """The folders of the timetables `solution_file` revised, nearest first, through each
    re-solve's recorded `revision.from` (a loop or an unreadable link ends it)."""
    chain: list[Path] = []
    folder = revised_folder(solution_file)
    while folder is not None and folder.resolve() not in chain:
        chain.append(folder.resolve())
        folder = revised_folder(folder / "solution.json")
    return chain


def revision_of(solution_file: Path, label: str | None = None) -> PageRevision | None:
    """The `PageRevision` of a re-solve's `solution.json`, or None for a solution no re-solve
    wrote. `label`: the revision's name (default: its folder's, e.g. `rev-1`)."""
    record = revision_record(solution_file)
    if record is None:
        return None
    try:
        today = date.fromisoformat(record["today"])
    except (KeyError, TypeError, ValueError):
        return None
    revised = revised_folder(solution_file)
    before: dict[str, Row] | None = None
    table = revised / "timetable.csv" if revised is not None else None
    digest = record.get("from_timetable_sha256", "unrecorded")  # older records have none
    if table is not None and _unchanged(table, digest):
        try:
            before = {uid_key(r): r for r in read_timetable_rows(table)}
        except InputError:
            before = None
    # a revision of a revision says which (rev-2's page did not say it revised rev-1)
    of_revision = revised is not None and revised_folder(revised / "solution.json") is not None
    named = revised.name if revised is not None and of_revision else None
    causes, numbers = _causes(solution_file.parent / "changes.csv")
    return PageRevision(label or solution_file.parent.name, today, before, named, causes, numbers)


def _causes(changes: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each changed session's or fixed event's cause in words, by id, from a revision's
    changes.csv (`cause_in_words`, else `cause` for one written before it had that column;
    none when it cannot be read); and the sessions renumbered in place, with their numbers
    (`renumbered 6/10 -> 5/9`), their cause the series' change that renumbered them."""
    try:
        with changes.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}, {}
    causes: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for row in rows:
        cause = row.get("cause_in_words") or row.get("cause") or ""
        if row.get("what") == "number" and row.get("session") and cause.startswith("renumbered"):
            # `renumbered 6/10 -> 5/9, not moved (UE2-main-05: dropped ...)`, as written
            number, _, why = cause.partition(", not moved")
            numbers[row["session"]] = number
            cause = why.strip().removeprefix("(").removesuffix(")") or row.get("cause") or ""
        if row.get("session") and cause:
            causes.setdefault(row["session"], cause)
    return causes, numbers


def _unchanged(table: Path, sha256: object) -> bool:
    """Whether `table` is still the timetable a re-solve revised: its recorded digest; a
    record from an older version ("unrecorded") is taken on trust, a re-solve that found no
    timetable.csv there (None) is not."""
    if sha256 == "unrecorded":
        return True
    if not isinstance(sha256, str):
        return False
    try:
        return file_sha256(table) == sha256
    except OSError:
        return False
