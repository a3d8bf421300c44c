"""Reading the sheets of an instance workbook into rows of typed values (`workbook_values`),
each error located at its cell."""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.styles.numbers import is_date_format
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.io.workbook_columns import HELP_PREFIX, NOTES_PREFIX, Column, SheetSpec, cell_ref
from scheduler.io.workbook_raw import MAIN_NS, main_part, stored_cell
from scheduler.io.workbook_rows import (
    RowLabel,
    help_row,
    no_merge_into,
    not_the_help_row,
    parse_values,
    row_label,
    row_values,
)
from scheduler.io.workbook_values import CellError, is_empty

# --- sheets --------------------------------------------------------------------------------


class DamagedWorkbook(Exception):
    """The file is not a workbook openpyxl can read whole: its words, on one line."""


def _declared_sheets(path: Path) -> list[str]:
    """The sheet names the workbook's own index lists (`workbook_raw.main_part`)."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read(main_part(archive)))
    return [s.get("name", "") for s in root.iter(f"{MAIN_NS}sheet")]


_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # an encrypted workbook's wrapper, or an old .xls


def _not_a_zip(path: Path, err: zipfile.BadZipFile) -> str:
    """Why a file is not an `.xlsx` archive, in words a user can act on."""
    with path.open("rb") as file:
        head = file.read(8)
    if head == _OLE2:
        return (
            "a password-protected workbook, or an old .xls one: save it as .xlsx (Excel "
            "Workbook) without a password"
        )
    return _short(err)


def _short(err: BaseException, limit: int = 160) -> str:
    """An error's words, cut to `limit` characters: a zip member's name compared with its
    header printed the header's raw bytes, a "one-line" message of 117 KB (a fuzz audit)."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else f"{text[:limit]}..."


#: openpyxl's warning for a number in a date cell beyond the dates it can hold (read as #VALUE!)
_BEYOND_DATES = re.compile(r"Cell ([A-Z]+[0-9]+) is marked as a date but the serial value (\S+) ")


def load_book(path: Path, data_only: bool) -> Any:
    """The workbook at `path`; `DamagedWorkbook` when its parts cannot be read (a sheet's XML
    cut short or its bytes flipped by a broken copy: an audit's tracebacks), or when a sheet
    its index lists has no content (openpyxl would drop that sheet without a word).

    openpyxl's warning for a date cell's number no date has (read as #VALUE!, said by
    `CellSource` from the stored number) is not passed on: it names no sheet, and leaked to
    the console (an audit)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book = openpyxl.load_workbook(path, data_only=data_only)
        for said in caught:
            if _BEYOND_DATES.match(str(said.message)) is None:
                warnings.warn_explicit(said.message, said.category, said.filename, said.lineno)
    except zipfile.BadZipFile as err:
        raise DamagedWorkbook(_not_a_zip(path, err)) from err
    except (zlib.error, SyntaxError, EOFError, KeyError) as err:
        # SyntaxError: ElementTree's ParseError, and lxml's XMLSyntaxError, which openpyxl
        # raises instead where lxml is installed (a fuzz audit's traceback: workbook.xml cut)
        raise DamagedWorkbook(f"damaged ({type(err).__name__}: {_short(err)})") from err
    except (ValueError, TypeError, AttributeError, IndexError) as err:
        # openpyxl's words over lines, the cause is shorter; an empty chart sheet raised an
        # AttributeError (an audit's traceback)
        cause = err.__cause__ or err.__context__ or err
        raise DamagedWorkbook(
            f"damaged: a sheet's content cannot be read ({_short(cause)})"
        ) from err
    # the index is compared once: the computed values' second load reads the same file
    try:
        lost = [] if data_only else [n for n in _declared_sheets(path) if n not in book.sheetnames]
    except (zipfile.BadZipFile, SyntaxError, KeyError) as err:
        raise DamagedWorkbook(
            f"damaged: its index of sheets cannot be read ({_short(err)})"
        ) from err
    if lost:
        names = ", ".join(repr(n) for n in lost)
        raise DamagedWorkbook(f"damaged: sheet {names} is listed but its content is missing")
    return book


class CellSource:
    """An open workbook; formula cells read the value Excel or LibreOffice last computed.

    A cell merged with those above it reads as the merged range's value, which Excel shows
    down the range (openpyxl reads it as empty: rows merged to share a window lost it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = load_book(path, data_only=False)
        self._computed: Any = None
        self.hidden: dict[str, list[int]] = {}  # data rows hidden (or filtered out) per sheet
        self.hidden_columns: dict[str, list[str]] = {}  # the columns (by name) hidden per sheet
        self.blank_sheets: list[str] = []  # optional sheets without a single value
        # each data row's entity in words ("UE UE1, series main"), the cells and the values
        # naming it, by (sheet, row): a message about another of its cells names it
        # (`entity_of`)
        self.row_labels: dict[tuple[str, int], RowLabel] = {}
        # optional columns a sheet with rows lacks, which the workbooks written have: deleted?
        # Their values were read as empty on every row without a word (an audit's deleted
        # `teachers` column gave a visitor's sessions to the UE's teacher)
        self.missing_columns: dict[str, list[str]] = {}

    def entity_of(self, ref: str | None, message: str) -> str | None:
        """The entity of the data row of cell `ref` (`Sessions!C3`) in words, `UE UE1, series
        main`, less what `message` names already (`ue 'UE1' series 'main' room_features: ...`:
        `RowLabel.said`); None when nothing is left."""
        found = re.fullmatch(r"(.+)!([A-Z]+)(\d+)", ref or "")
        if found is None:
            return None
        sheet = found[1][1:-1].replace("''", "'") if found[1].startswith("'") else found[1]
        label = self.row_labels.get((sheet, int(found[3])))
        return (label.said(ref or "", message) or None) if label else None

    def sheet(self, name: str) -> Any:
        """The worksheet `name`; a chart sheet (Excel's "Move chart > New sheet") has no
        cells and is refused under an instance sheet's name."""
        ws = self.book[name]
        if not isinstance(ws, Worksheet):
            raise CellError(None, f"sheet {name!r} holds a chart, not the table of that name")
        return ws

    def value(self, sheet: str, cell: Any) -> object:
        """The value of `cell`, refusing error values and formulas never computed."""
        if isinstance(cell, MergedCell):
            cell = self._merged_anchor(sheet, cell)
        if cell.data_type == "e":
            raise CellError(cell_ref(sheet, cell.column, cell.row), self._error_value(cell))
        if cell.data_type != "f":
            return cell.value
        if self._computed is None:
            self._computed = load_book(self.path, data_only=True)
        last = self._computed[sheet][cell.coordinate]
        computed = last.value
        if last.data_type == "e":  # a formula's error, e.g. #N/A of a lookup (an audit)
            raise CellError(
                cell_ref(sheet, cell.column, cell.row), f"the formula gives the error {computed}"
            )
        if computed is None and last.data_type == "str":  # computed as "", e.g. =IF(...;"";...)
            return None
        if computed is None:
            raise CellError(
                cell_ref(sheet, cell.column, cell.row),
                "formula without a computed value: open and save the workbook in Excel or "
                "LibreOffice, or type the value",
            )
        return computed

    def _error_value(self, cell: Any) -> str:
        """What an error value says: a date cell's number no date has, or Excel's error."""
        if cell.value != "#VALUE!" or not is_date_format(cell.number_format):
            return f"error value {cell.value}"
        # the number as stored, in this sheet: openpyxl's warning names the coordinate alone,
        # and a #VALUE! pasted at it in another sheet was explained with this number (a
        # mutation audit, then a review)
        stored = stored_cell(self.path, cell.parent.title, cell.coordinate)
        if stored is None or stored[0] != "n":
            return f"error value {cell.value}"
        number = f"the number {stored[1]}"
        return (
            f"expected a date, got {number}, which no date has, in a cell formatted as a "
            "date: type the date as YYYY-MM-DD"
        )

    def _merged_anchor(self, sheet: str, cell: MergedCell) -> Any:
        """The top-left cell of the range `cell` is merged into, for a cell below it in the
        same column; else `cell` itself, empty (see `merged_across`)."""
        merged = self._range_of(sheet, cell)
        if merged is None or cell.column != merged.min_col:
            return cell
        return self.book[sheet].cell(merged.min_row, merged.min_col)

    def merged_across(self, sheet: str, cell: Any) -> str | None:
        """The range (`E5:F5`) when `cell` is merged with a cell to its left that holds a
        value: whether that value is meant for this column too cannot be told (a one-day
        absence typed once across from:to would read as from that day on)."""
        if not isinstance(cell, MergedCell):
            return None
        merged = self._range_of(sheet, cell)
        if merged is None or cell.column == merged.min_col:
            return None
        value = self.book[sheet].cell(merged.min_row, merged.min_col).value
        if is_empty(value) or (isinstance(value, str) and value.startswith(HELP_PREFIX)):
            return None
        return str(merged.coord)

    def merged_from_above(self, sheet: str, cell: Any, first_data_row: int) -> str | None:
        """Why `cell`, in a data row, may not be read when it is merged with a cell above the
        first data row: the header's or the help's text would be read as data (an audit's
        room got the feature 'features')."""
        if not isinstance(cell, MergedCell):
            return None
        merged = self._range_of(sheet, cell)
        if merged is None or merged.min_row >= first_data_row:
            return None
        row = "1 (the header)" if merged.min_row == 1 else "2 (the help)"
        return f"cells {merged.coord} merge row {row} into the data: unmerge them"

    def merged_down(self, sheet: str, cell: Any) -> str | None:
        """The range (`B2:B3`) over several rows that `cell` is merged into, not as its
        top-left cell; else None (a note merged across one row's cells is no harm)."""
        if not isinstance(cell, MergedCell):
            return None
        merged = self._range_of(sheet, cell)
        return None if merged is None or merged.min_row == merged.max_row else str(merged.coord)

    def _range_of(self, sheet: str, cell: MergedCell) -> Any:
        return next((m for m in self.book[sheet].merged_cells.ranges if cell.coordinate in m), None)


@dataclass
class Row:
    """A data row of a table sheet: its parsed non-empty values and each column's cell."""

    sheet: str
    number: int
    values: dict[str, Any]
    refs: dict[str, str] = field(default_factory=dict)
    anchor: str = ""

    def ref(self, column: str | None = None) -> str:
        """The cell of `column` on this row (the row's first cell when not given)."""
        return self.refs.get(column, self.anchor) if column else self.anchor


def _header(source: CellSource, ws: Any, spec: SheetSpec) -> tuple[dict[int, Column], set[int]]:
    """The sheet's columns by index, and the indices of its notes columns (`NOTES_PREFIX`)."""
    header: dict[int, Column] = {}
    notes: set[int] = set()
    seen: dict[str, str] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        value = source.value(ws.title, cell)
        if is_empty(value):
            continue
        ref = cell_ref(ws.title, cell.column, 1)
        name = str(value).strip()
        if name.startswith(NOTES_PREFIX):  # '# remarks': a column of notes beside the rows
            notes.add(cell.column)
            continue
        names = {c.name for c in spec.columns}
        helps = {c.help.strip() for c in spec.columns} - names  # the help of `title`: "title"
        if name.startswith(HELP_PREFIX) or name in helps:
            raise CellError(  # 'unknown column "Help: ..."' misled (an audit)
                ref,
                "row 1 holds the help row: the header row (the column names) was deleted? "
                f"Insert it back above: {', '.join(c.name for c in spec.columns)}",
            )
        # `Count` for `count`: one reading (an audit); the columns' names differ otherwise
        name = next((n for n in names if n.lower() == name.lower()), name)
        if name not in names:
            known = [c.name for c in spec.columns]
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.75)
            guess = f"did you mean {close[0]!r}? " if close else ""
            raise CellError(
                ref,
                f"unknown column {name!r} ({guess}known: {', '.join(known)}); a column of "
                f"notes is headed '{NOTES_PREFIX} ...' (e.g. '{NOTES_PREFIX} {name}')",
            )
        if name in seen:
            raise CellError(ref, f"duplicate column {name!r} (also {seen[name]})")
        seen[name] = ref
        header[cell.column] = spec.column(name)
    for col in spec.columns:
        if col.required and col.name not in seen:
            raise missing_column(ws.title, col.name)
    return header, notes


def missing_column(sheet: str, name: str) -> CellError:
    """The error of a column that must be there and is not in row 1, at the header row."""
    return CellError(cell_ref(sheet, 1, 1), f"missing column {name!r} (no such header in row 1)")


def _blank(ws: Any) -> bool:
    """Whether the sheet holds no value at all, not even its header."""
    return all(is_empty(cell.value) for row in ws.iter_rows() for cell in row)


def _column_hidden(ws: Any, index: int) -> bool:
    """Whether column `index` is hidden, alone or in a group of hidden columns (openpyxl keeps
    `B:D` hidden under `B` alone)."""
    return any(
        d.hidden and d.min and d.max and d.min <= index <= d.max
        for d in ws.column_dimensions.values()
    )


def read_table(source: CellSource, spec: SheetSpec) -> list[Row]:
    """The data rows of the table sheet `spec` (a missing optional sheet has none)."""
    if spec.name not in source.book.sheetnames:
        return []
    ws = source.sheet(spec.name)
    if not spec.required and _blank(ws):  # as if deleted, said so (an audit: "missing column")
        source.blank_sheets.append(spec.name)
        return []
    header, notes = _header(source, ws, spec)
    hidden = [col.name for i, col in header.items() if _column_hidden(ws, i)]
    if hidden:
        source.hidden_columns[ws.title] = hidden
    first = min((i for i, c in header.items() if c is spec.columns[0]), default=1)
    rows: list[Row] = []
    first_data_row = 2
    for cells in ws.iter_rows(min_row=2):
        values, unread = row_values(source, ws.title, cells)
        filled = {i: v for i, v in values.items() if not is_empty(v) and i not in notes}
        if all(isinstance(cell, MergedCell) for cell in cells if cell.column in filled):
            if unread is not None:
                raise unread
            continue  # empty, or only a merge from the rows above reaching into it
        number = cells[0].row
        if number == 2 and help_row(ws.title, cells, filled, header, spec.columns):
            first_data_row = 3
            continue
        not_the_help_row(ws.title, number, first, filled)
        row = _empty_row(ws.title, number, first, header)
        # a header merged down into the row says nothing of its entity (an audit's "row of
        # before before"); `no_merge_into` refuses the row just below
        own = {
            i: v
            for i, v in filled.items()
            if not source.merged_from_above(ws.title, cells[i - 1], first_data_row)
        }
        source.row_labels[(ws.title, number)] = row_label(spec, header, own, row.refs)
        if unread is not None:  # said with the row's entity, as other errors (an audit)
            raise unread
        no_merge_into(source, ws.title, cells, header, row, first_data_row)
        parse_values(spec, header, filled, row)
        if ws.row_dimensions[number].hidden:
            source.hidden.setdefault(ws.title, []).append(number)
        rows.append(row)
    missing = [
        c.name
        for c in spec.columns
        if c not in header.values() and not (c.cosmetic or c.added_later)
    ]
    if rows and missing:
        source.missing_columns[ws.title] = missing
    return rows


def _empty_row(sheet: str, number: int, first: int, header: dict[int, Column]) -> Row:
    """Data row `number` without values yet, anchored at its first column, with each named
    column's cell."""
    row = Row(sheet, number, {}, anchor=cell_ref(sheet, first, number))
    for index, col in header.items():
        row.refs[col.name] = cell_ref(sheet, index, number)
    return row
