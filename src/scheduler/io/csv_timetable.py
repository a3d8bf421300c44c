"""A `timetable.csv` read back: its rows as the contract writes them, whatever a spreadsheet
did to them (`read_timetable_rows`), and as the timetable it says, for `check` on the CSV.

People and other tools edit the CSV (SCHEMA.md section 2) and ask whether it still holds:
its session rows become assignments (the session, its date, the calendar slot of that
weekday starting at its `start`, its room), which the checker verifies like a solution's; the
CSV's other columns and its fixed-event rows are then compared with the rows those
assignments give (`check.table.table_disagreements`).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Sequence
from contextlib import suppress
from datetime import time
from pathlib import Path
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.sessions import expand_sessions
from scheduler.data.types import WEEKDAYS, parse_clock
from scheduler.errors import InputError, InputWarning
from scheduler.io.solution_read import iso_date
from scheduler.io.workbook_spellings import DateTextError, dates_in_one_order
from scheduler.solution import Assignment


def is_csv_timetable(path: str | Path) -> bool:
    """Whether `path` names a CSV file (a timetable to check as it is), not a solution."""
    path = Path(path)
    return path.suffix.lower() == ".csv" and not path.is_dir()


def read_timetable_rows(table: Path) -> list[dict[str, str]]:
    """The rows of a `timetable.csv` (the contract's columns), as `timetable_rows` gives them:
    dates and hours a spreadsheet saved in another form read as the contract's
    (`normalized_rows`), whichever check reads the file (an audit: the CSV
    passed `check` on itself and failed it on its folder).

    Raises:
        InputError: the file cannot be read or is not a timetable.
    """
    try:
        data = table.read_bytes()
        if not data.strip():
            raise InputError(f"{table}: empty file, not a timetable.csv")
        text = _csv_text(table, data)
        header = text.split("\n", 1)[0]
        # Excel in a comma-decimal locale (Belgium, France) saves its "CSV" with `;`
        delimiter = ";" if ";" in header and "," not in header else ","
        delimiter = "\t" if "\t" in header and delimiter not in header else delimiter
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows = _rows_read(table, text, reader)
        while rows and not any((v or "").strip() for v in rows[-1].values() if isinstance(v, str)):
            rows.pop()  # a spreadsheet's trailing rows of separators alone: nothing written
    except (OSError, csv.Error) as err:
        raise InputError(f"{table}: cannot read the timetable: {err}") from err
    # the header, rows or none: one line of anything else read as a timetable with no row
    if not {"kind", "session_id", "date"} <= set(reader.fieldnames or ()):
        raise InputError(f"{table}: not a timetable.csv (no kind, session_id or date column)")
    _refuse_bad_shape(table, list(reader.fieldnames or ()), rows)
    _refuse_unknown_kinds(table, rows)
    return normalized_rows(table, rows)


class CsvRow(dict[str, str]):
    """A row of the CSV, with the line of the file it starts on (`line`): blank lines and
    cells of several lines make it other than the row's number plus one (a review)."""

    line: int


def line_of(row: object, number: int) -> int:
    """The file line `row` starts on, or `number` (its place counted from line 2) for a row
    that was not read from a file."""
    return getattr(row, "line", number)


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _next_row_line(text: str, read: int) -> int:
    """The line after the first `read` lines of `text` where the next row starts: blank lines
    between rows are skipped, as the reader skips them (a review: the line said was 4 where
    the quote opened on 6)."""
    lines = _NEWLINE.split(text)
    line = read + 1
    while line <= len(lines) and not lines[line - 1].strip():
        line += 1
    return line


def _rows_read(table: Path, text: str, reader: csv.DictReader[str]) -> list[CsvRow]:
    """The rows of `reader`, each with the line it starts on.

    Raises:
        InputError: a quote never closed (the rest of the file read as one cell: a fuzz
            audit got "line 1: date: empty"), or another quoting slip, with the line of the
            row it spoils."""
    rows: list[CsvRow] = []
    read = 0  # the lines read when the last good row (or the header) ended
    try:
        if reader.fieldnames is not None:
            read = reader.line_num
        for values in reader:
            rows.append(_numbered(values, reader.line_num))
            read = reader.line_num
    except csv.Error as err:
        line = _next_row_line(text, read)
        if "unexpected end of data" in str(err):
            raise InputError(
                f'{table}: line {line}: a quote (") is opened and never closed: the rest of '
                "the file would be one cell"
            ) from err
        raise InputError(f"{table}: line {line} or after: cannot read the row: {err}") from err
    return rows


def _lines_of(row: CsvRow) -> int:
    """How many line ends a row's cells hold (a cell written on several lines)."""
    texts = [v for v in row.values() if isinstance(v, str)]
    texts += [v for v in row.get(None) or () if isinstance(v, str)]  # type: ignore[call-overload]
    return sum(len(_NEWLINE.findall(t)) for t in texts)


def _numbered(values: dict[Any, Any], last_line: int) -> CsvRow:
    """`values` as a `CsvRow`, whose reading ended on the file's line `last_line`."""
    row = CsvRow(values)
    row.line = last_line - _lines_of(row)
    return row


def _refuse_bad_shape(table: Path, header: list[str], rows: Sequence[dict[Any, Any]]) -> None:
    """A column named twice (the last copy was read, silently) and a row with values beyond
    the header's columns (read as nothing) are refused (an audit of the checker).

    Raises:
        InputError: the first column named twice, or the first line with values beyond.
    """
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in seen and name:
            raise InputError(
                f"{table}: line 1: column {name} appears twice (columns {seen[name]} and {number})"
            )
        seen[name] = number
    for number, row in enumerate(rows, start=2):
        line = line_of(row, number)
        beyond = row.get(None) or []
        extra = [v for v in beyond if isinstance(v, str) and v.strip()]
        if extra:
            raise InputError(
                f"{table}: line {line}: {len(header) + len(beyond)} values, beyond the "
                f"header's {len(header)} columns (first beyond: '{extra[0]}')"
            )


def _refuse_unknown_kinds(table: Path, rows: Sequence[dict[str, str]]) -> None:
    """A row is a session's or a fixed event's: another kind (`lecture`) was read as a
    session missing from the timetable and one not in the instance (an audit).

    Raises:
        InputError: the first row of another kind (line named).
    """
    for number, row in enumerate(rows, start=2):
        kind = row.get("kind") or ""
        line = line_of(row, number)
        if kind not in ("session", "event"):
            raise InputError(f"{table}: line {line}: kind '{kind}': expected session or event")


def _csv_text(table: Path, data: bytes) -> str:
    """The CSV's text: UTF-8 (with the byte-order mark Excel's "CSV UTF-8" starts with), else
    Windows-1252, what Excel's plain "CSV" writes in Western Europe, said as a warning (an
    audit got "'utf-8' codec can't decode byte 0xe9")."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{table}: cannot read the timetable: neither UTF-8 nor Windows-1252 text (byte "
            f"{err.start}); save it as CSV UTF-8"
        ) from err
    warnings.warn(
        f"{table}: not UTF-8: read as Windows-1252 (a spreadsheet's plain CSV); save it as "
        "CSV UTF-8 to be sure of its accents",
        InputWarning,
        stacklevel=3,
    )
    return text


_TWELVE_HOUR = re.compile(r"^(\d{1,2}):([0-5]\d)(?::00)?\s*([AaPp])\.?\s*[Mm]\.?$")


def normalized_rows(table: Path, rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with `start` and `end` as HH:MM and `date` as YYYY-MM-DD where a spreadsheet
    wrote them otherwise (`8:00`, `08:00:00`, `06:00:00 PM`; `14/09/2027`: Excel or
    LibreOffice saving the CSV again), so that they are read and compared as the times and
    dates they are (`parse_clock`, the instance's own reading of a time; day and month in
    the column's one order, `dates_in_one_order`).

    Raises:
        InputError: dates whose order cannot be told, or a text that is no date or no time
            (line named).
    """
    dates = [r["date"] for r in rows if (r.get("date") or "").strip() and not _iso(r["date"])]
    try:
        read = dates_in_one_order(dates)
    except DateTextError as err:  # the line of the date said (an audit got the first one's)
        line = next(line_of(r, n) for n, r in enumerate(rows, start=2) if r.get("date") == err.text)
        raise InputError(f"{table}: line {line}: date: {err}") from err
    out: list[dict[str, str]] = []
    for number, row in enumerate(rows, start=2):
        line = line_of(row, number)
        fixed = CsvRow(row)
        fixed.line = line
        for column in ("start", "end"):
            text = (row.get(column) or "").strip()
            if not text:  # a session row's empty start is said by `assignments_from_rows`
                continue
            # no time: refused as a date that is none is (an audit's `six pm` and `25:00`
            # were checked as slots of no calendar, exit 1)
            try:
                fixed[column] = _clock(text).strftime("%H:%M")
            except ValueError as err:
                raise InputError(
                    f"{table}: line {line}: {column}: '{text}' is not a time HH:MM"
                ) from err
        if row.get("date") in read:
            fixed["date"] = read[row["date"]].isoformat()
        out.append(fixed)
    return out


def _iso(text: str) -> bool:
    with suppress(ValueError):
        return iso_date(text.strip()).isoformat() == text.strip()
    return False


def _clock(text: str) -> time:
    """A time as `parse_clock` reads it, or written on the 12-hour clock (`06:00:00 PM`)."""
    twelve = _TWELVE_HOUR.match(text.strip())
    if twelve is None:
        return parse_clock(text)
    hour, minute, half = int(twelve[1]), int(twelve[2]), twelve[3].lower()
    if not 1 <= hour <= 12:
        raise ValueError(f"no hour {hour} on the 12-hour clock")
    return time(hour % 12 + (12 if half == "p" else 0), minute)


def refuse_another_instance(
    table: Path, rows: Sequence[dict[str, str]], instance: Instance
) -> None:
    """A timetable with rows none of which is a session or fixed event of `instance` is
    another instance's: refused, as a solution.json recorded for another instance is (an
    audit got each of its rows as a violation, exit 1).

    Raises:
        InputError: rows, and none of the instance.
    """
    known = {s.id for s in expand_sessions(instance, with_dropped=True)}
    known |= {e.id for e in instance.fixed_events}
    if rows and not any((r.get("session_id") or "").strip() in known for r in rows):
        raise InputError(
            f"{table}: none of its sessions or events are in instance '{instance.name}': "
            "a timetable of another instance?"
        )


def assignments_from_rows(
    table: Path, rows: Sequence[dict[str, str]], instance: Instance
) -> tuple[Assignment, ...]:
    """The assignments of the CSV's session rows; a start that is no slot's of that weekday
    gives the slot `"<weekday> <start>"`, which the checker says is no teaching slot.

    Raises:
        InputError: a session row without its session id, date, start or room, or a date
            that is not one (line and column named).
    """
    slots: dict[tuple[str, str], str] = {
        (s.weekday, s.start.strftime("%H:%M")): s.id for s in instance.calendar.slots
    }
    out = []
    for number, row in enumerate(rows, start=2):
        line = line_of(row, number)
        if row.get("kind") != "session":
            continue
        for column in ("session_id", "date", "start", "room"):
            if column not in row:  # an audit read "line 2: room: empty" of a CSV without it
                raise InputError(f"{table}: line 1: no column {column}, which the contract gives")
            if not (row.get(column) or "").strip():
                raise InputError(f"{table}: line {line}: {column}: empty in a session row")
        text = row["date"].strip()
        try:
            day = iso_date(text)
        except ValueError as err:
            raise InputError(f"{table}: line {line}: date: '{text}' is not a date ({err})") from err
        weekday = WEEKDAYS[day.weekday()]
        start = row["start"].strip()
        slot = slots.get((weekday, start), f"{weekday} {start}")
        out.append(Assignment(row["session_id"].strip(), day, slot, row["room"].strip()))
    return tuple(out)
