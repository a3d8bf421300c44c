"""The sheets of an instance workbook, before their rows are read: a sheet of the manager's
own is left out, unless its name or its header row shows it to be an instance sheet misspelt
or renamed; the optional sheets the workbook lacks are listed; and the programme sheet's keys
are read, a blank template's error naming the required sheets still without rows. Split from
`workbook_read`, which assembles the sheets' rows into instance data.
"""

from __future__ import annotations

from difflib import get_close_matches

from openpyxl.worksheet.worksheet import Worksheet

from scheduler.data.words import join_words
from scheduler.io.workbook_cells import CellSource, Row
from scheduler.io.workbook_columns import FIRST_DATA_ROW
from scheduler.io.workbook_keys import read_keys
from scheduler.io.workbook_layout import PROGRAMME, PROGRAMME_KEYS, SHEET_NAMES, TABLES
from scheduler.io.workbook_values import CellError, is_empty


def own_sheets(source: CellSource) -> list[str]:
    """The workbook's sheets that are not the instance's, to leave out, refusing one that
    looks like an instance sheet misspelt or renamed."""
    own: list[str] = []
    for name in source.book.sheetnames:
        if name not in SHEET_NAMES:
            _not_a_misspelt_sheet(name, source.book.sheetnames)
            _not_a_renamed_sheet(source, name, source.book.sheetnames)
            own.append(name)
    return own


def programme_keys(source: CellSource) -> dict[str, Row]:
    """The programme sheet's keys; a required value empty while required sheets have no rows
    yet is said with those sheets."""
    try:
        return read_keys(source, PROGRAMME, PROGRAMME_KEYS)
    except CellError as err:  # a blank template: the sheets it needs said at once (an audit)
        unfilled = [t.name for t in TABLES if t.required and not _has_rows(source, t.name)]
        if not unfilled or "required value is empty" not in err.message:
            raise
        raise CellError(
            err.ref, f"{err.message}; and no rows yet in {join_words(map(repr, unfilled))}"
        ) from err


def _not_a_misspelt_sheet(name: str, present: list[str]) -> None:
    """A sheet that is not one of the instance's is a manager's own (notes, a draft) and is
    left out, unless its name is close to that of a sheet the workbook lacks, or starts with
    it: a misspelt 'Pin', or 'Pins (2)' left after deleting 'Pins', would lose every pin
    without a word."""
    missing = [s for s in SHEET_NAMES if s not in present]
    lowered = {s.lower(): s for s in missing}
    typed = name.strip().lower()
    # a copy or an old version keeps the name with a suffix: 'Pins (2)', 'Pins old' (audit)
    stem = next((s for s in lowered if typed.startswith(s)), None)
    close = get_close_matches(typed, list(lowered), n=1, cutoff=0.8)
    meant = stem or (close[0] if close else None)
    if meant is not None:
        raise CellError(
            None,
            f"unknown sheet {name!r}: is it {lowered[meant]!r}? rename it (known: "
            f"{', '.join(SHEET_NAMES)})",
        )


def _not_a_renamed_sheet(source: CellSource, name: str, present: list[str]) -> None:
    """A sheet of the manager's own whose row 1 holds the columns of a sheet the workbook
    lacks is that sheet renamed ('Availability' as 'Disponibilités'): left out, it would lose
    every rule it holds without a word (an audit's solve then broke nine availabilities)."""
    ws = source.book[name]
    if not isinstance(ws, Worksheet):  # a chart sheet: no cells, nothing lost (an audit's crash)
        return
    header = {
        str(cell.value).strip()
        for cell in next(ws.iter_rows(min_row=1, max_row=1), ())
        if cell.value is not None and str(cell.value).strip()
    }
    for spec in TABLES:
        columns = {c.name for c in spec.columns}
        # its first column and half of its columns at least: 'date' and 'room' alone (a
        # manager's 'Exam rooms' sheet) do not make a 'Pins' sheet (a review)
        shared = header & columns
        if (
            spec.name not in present
            and spec.columns[0].name in header
            and 2 * len(shared) >= len(columns)
        ):
            raise CellError(
                None,
                f"sheet {name!r} has the columns of sheet {spec.name!r}, which the workbook "
                f"lacks: rename it {spec.name!r} (left out, its rows would be lost)",
            )


def missing_sheets(source: CellSource) -> list[str]:
    """The optional sheets a template has that the workbook lacks (their rules: none)."""
    return [t.name for t in TABLES if not t.required and t.name not in source.book.sheetnames]


def _has_rows(source: CellSource, sheet: str) -> bool:
    """Whether `sheet` holds a value below its header and help rows."""
    rows = source.sheet(sheet).iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
    return any(not is_empty(v) for row in rows for v in row)
