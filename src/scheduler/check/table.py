"""Whether a solution folder's `timetable.csv` says what its `solution.json` says.

People read, and other tools import, the CSV; `check` reads the JSON. An audit edited a room
in the CSV alone (a double booking) and deleted a row: `check` passed both. Each
disagreement is said with the CSV's line number, the session and the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from scheduler.data.problem import Problem
from scheduler.io.csv_timetable import line_of, read_timetable_rows
from scheduler.io.solution_io import timetable_rows
from scheduler.io.solution_read import solution_path
from scheduler.solution import Assignment

Row = Mapping[str, str]
# Where and when, and who and what: every column follows from solution.json and the instance
# (an audit's teachers, groups, title and number edited in the CSV alone passed `check`,
# while other tools read them to learn who teaches and who attends).
PLACE_COLUMNS = ("date", "weekday", "start", "end", "site", "room")
WHO_COLUMNS = ("ue", "ue_title", "series", "session_no", "teachers", "groups")
# The instance edited since the timetable was written (slot hours, titles, teachers, a room
# moved to another site...): what solution.json itself fixes, and what follows from it
# whatever the edit (the weekday of the date; the UE, series and number a session id names):
# an audit's CSV with another weekday or UE passed once a room had been added to the instance.
EDITED_COLUMNS = ("date", "weekday", "room", "ue", "series", "session_no")
CONTRACT_COLUMNS = ("kind", "session_id", *WHO_COLUMNS[:4], *PLACE_COLUMNS, *WHO_COLUMNS[4:])


def _key(row: Row) -> tuple[str, str, str]:
    """A session appears once; a fixed event once a day (padding aside, as the rules read
    the file: an audit's " UE3-main-01 " was placed for them and missing for this check)."""
    kind = (row.get("kind") or "").strip()
    day = (row.get("date") or "").strip() if kind == "event" else ""
    return kind, (row.get("session_id") or "").strip(), day


def _named(key: tuple[str, str, str]) -> str:
    kind, ident, day = key
    return f"{'fixed event' if kind == 'event' else 'session'} {ident}" + (
        f" on {day}" if day else ""
    )


def table_disagreements(
    expected: Sequence[Row],
    actual: Sequence[Row],
    skip: frozenset[str] = frozenset(),
    edited: bool = False,
    source: str = "solution.json",
) -> list[tuple[str, str]]:
    """Rows of `actual` (the file's, line 2 on) that differ from `expected` (those the
    solution gives), rows missing, and rows it has beyond them, compared on where and when,
    who and what (`PLACE_COLUMNS`, `WHO_COLUMNS`). Sessions in `skip` (assignments the
    checker refuses already) are not compared. Each as (session or event id, what disagrees).
    With `edited` (the instance changed since the timetable was written: slot hours, fixed
    events, titles, teachers), only what solution.json itself fixes is compared
    (`EDITED_COLUMNS`). A CSV lacking a column of the contract is said once, as line 1.
    `source`: what `expected` comes from, as the words name it."""
    columns = EDITED_COLUMNS if edited else PLACE_COLUMNS + WHO_COLUMNS
    lacking = [c for c in CONTRACT_COLUMNS if actual and c not in actual[0]]
    if lacking:  # an audit's CSV without its room column (or with it renamed) passed
        said = ", ".join(lacking)
        return [("timetable.csv", f"line 1: no column {said}, which the contract gives")]
    lines = [line_of(r, n) for n, r in enumerate(actual, start=2)]
    if edited:
        expected = [r for r in expected if r.get("kind") == "session"]
        actual = [r if r.get("kind") == "session" else {} for r in actual]
    wanted = {_key(r): r for r in expected if r.get("session_id") not in skip}
    found: dict[tuple[str, str, str], int] = {}
    out: list[tuple[str, str]] = []
    for line, row in zip(lines, actual, strict=True):
        key = _key(row)
        if not row or key[1] in skip:
            continue
        if key in found:
            out.append((key[1], f"line {line}: {_named(key)} again (first on line {found[key]})"))
            continue
        found[key] = line
        if key not in wanted:
            out.append((key[1], f"line {line}: {_named(key)} is not in {source}"))
            continue
        for column in columns:
            have, want = row.get(column) or "", wanted[key].get(column, "")
            if have.strip() != want.strip():
                out.append(
                    (
                        key[1],
                        f"line {line}: {_named(key)} {column} '{have}', {source} gives '{want}'",
                    )
                )
    out += [(key[1], f"{_named(key)} is missing") for key in wanted if key not in found]
    return out


def table_disagreements_of(
    solution: str | Path,
    problem: Problem,
    assignments: tuple[Assignment, ...],
    edited: bool = False,
) -> list[tuple[str, str]]:
    """Where the solution folder's timetable.csv disagrees with `assignments` (its
    solution.json's), as (session or event id, words prefixed with the file); none without
    a timetable.csv. Assignments the checker refuses (unknown session, slot or room) have
    no row to compute: their CSV rows are compared on date and room alone; `edited`: the
    instance changed since (`table_disagreements`)."""
    table = solution_path(solution).parent / "timetable.csv"
    if not table.exists():
        return []
    valid, skip = _computable(problem, assignments)
    expected = timetable_rows(problem, valid)
    rows = read_timetable_rows(table)
    found = table_disagreements(expected, rows, skip, edited)
    found += _date_and_room(rows, {a.session: a for a in assignments if a.session in skip})
    return [(ident, f"{table}: {line}") for ident, line in found]


def _date_and_room(
    actual: Sequence[Row], refused: Mapping[str, Assignment]
) -> list[tuple[str, str]]:
    """The CSV's date and room of the sessions whose assignment the checker refuses (a date
    that is no teaching slot has no hours to compare), against solution.json's: a CSV
    saying another date passed `check` then (an exploratory test)."""
    out = []
    for number, row in enumerate(actual, start=2):
        line = line_of(row, number)
        a = refused.get(row.get("session_id", "")) if row.get("kind") == "session" else None
        if a is None:
            continue
        for column, want in (("date", str(a.date)), ("room", a.room)):
            if column not in row:  # a CSV without that column: its other checks say so
                continue
            have = row.get(column) or ""
            if have != want:
                words = f"line {line}: session {a.session} {column} '{have}', solution.json gives"
                out.append((a.session, f"{words} '{want}'"))
    return out


def csv_disagreements(
    table: Path, rows: Sequence[Row], problem: Problem, assignments: tuple[Assignment, ...]
) -> list[tuple[str, str]]:
    """Where a `timetable.csv` checked on its own (`assignments`: its session rows read back,
    `io.csv_timetable`) says otherwise than the rows those assignments give: hours, weekday,
    site, who and what, and the fixed events' rows; each as (session or event id, words
    prefixed with the file). A session placed again is compared on its first row alone (the
    checker says it is placed twice; the CSV's later row, that it comes again): an audit's
    first row was said to disagree with the date the second one gave."""
    first: dict[str, Assignment] = {}
    for a in assignments:
        first.setdefault(a.session, a)
    valid, skip = _computable(problem, tuple(first.values()))
    found = table_disagreements(timetable_rows(problem, valid), rows, skip, source="the instance")
    return [(ident, f"{table}: {line}") for ident, line in found]


def _computable(
    problem: Problem, assignments: tuple[Assignment, ...]
) -> tuple[tuple[Assignment, ...], frozenset[str]]:
    """The assignments whose rows can be computed (a known session, a slot of the date's
    weekday, closed or outside the calendar too, and a known room),
    and the sessions of the others, which the checker refuses."""
    valid = tuple(
        a
        for a in assignments
        if a.session in problem.session
        and problem.any_slot(a.date, a.slot) is not None
        and a.room in problem.room_site
    )
    return valid, frozenset(a.session for a in assignments) - {a.session for a in valid}
