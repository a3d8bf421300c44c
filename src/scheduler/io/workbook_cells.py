"""Reading the cells of an instance workbook into typed values, each error located at its cell."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.data.types import known_values, parse_clock
from scheduler.io.workbook_layout import EMPTY_LIST, HELP_PREFIX, Column, SheetSpec, cell_ref
from scheduler.io.workbook_spellings import day_month_year, enum_value, yes_or_no

_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CellError(Exception):
    """A problem located at a cell (`ref`, e.g. `Teachers!C7`), or at no cell when `ref` is None."""

    def __init__(self, ref: str | None, message: str) -> None:
        super().__init__(f"{ref}: {message}" if ref else message)
        self.ref = ref
        self.message = message


def show(value: object) -> str:
    """A cell value as it appears in a message."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value)
    return str(value)


def is_empty(value: object) -> bool:
    """True for an empty cell (nothing, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


# --- one parser per column kind: (value, column) -> typed value, or ValueError -------------


def _whole(value: object, col: Column) -> int:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):  # "number stored as text"
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a whole number, got {_typed(value)}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected a whole number, got {value}")
    number = int(value)
    if col.minimum is not None and number < col.minimum:
        raise ValueError(f"must be at least {col.minimum}, got {number}")
    return number


def _number(value: object, col: Column) -> float:
    # stored as text, or with a decimal comma ('1,5'); '1,500' may be thousands: refused
    if isinstance(value, str) and re.fullmatch(r"[0-9]+(\.[0-9]+|,[0-9]{1,2})?", value.strip()):
        value = float(value.strip().replace(",", "."))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {_typed(value)}")
    return float(value)


def _date(value: object, col: Column) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueError(f"expected a date without a time, got {value.isoformat(' ')}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):  # as list cells take them
        return _dates(value, col)[0]
    if isinstance(value, str) and (day := day_month_year(value)) is not None:
        return day
    if isinstance(value, str):
        raise ValueError(
            f"date typed as text {value.strip()!r}: enter it as a date (a cell formatted as a "
            "date) or as YYYY-MM-DD"
        )
    # Excel's day number of a date of 2000-2099 (a year or a count typed there is not one)
    if isinstance(value, int | float) and not isinstance(value, bool) and 36526 <= value < 73051:
        serial = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(
            f"expected a date, got the number {value:g} (the date {serial.isoformat()} in a cell "
            "not formatted as a date?): format the cell as a date, or type YYYY-MM-DD"
        )
    raise ValueError(f"expected a date, got {_typed(value)}")


def _time(value: object, col: Column) -> dt.time:
    if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value < dt.timedelta(days=1):
        value = (dt.datetime.min + value).time()
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        if value.second or value.microsecond:
            raise ValueError(f"expected a time HH:MM, got {value.isoformat()}")
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return parse_clock(value)
    if isinstance(value, dt.datetime) and value < dt.datetime(1900, 3, 1):
        # a number in a cell formatted as a time: openpyxl reads n as 1899-12-31 + n days
        typed = (value - dt.datetime(1899, 12, 31)).total_seconds() / 86400
        shown = f"{typed:g}"
        hint = f"type {int(typed)}:00" if typed.is_integer() and typed < 24 else "type HH:MM"
        raise ValueError(f"expected a time HH:MM, got the number {shown}: {hint}")
    if isinstance(value, float) and 0 < value < 1:  # Excel's fraction of a day, unformatted
        minutes = round(value * 24 * 60)
        raise ValueError(
            f"expected a time HH:MM, got the number {value:g} (the time "
            f"{minutes // 60:02d}:{minutes % 60:02d} in a cell not formatted as a time?): "
            "format the cell as a time, or type HH:MM"
        )
    raise ValueError(f"expected a time HH:MM, got {_typed(value)}")


def _bool(value: object, col: Column) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value) if isinstance(value, str | int) else None
    answer = yes_or_no(text) if text is not None else None  # `oui`, `x` too
    if answer is None:
        raise ValueError(f"expected yes or no, got {_typed(value)}")
    return answer


def _text(value: object, col: Column) -> str:
    if isinstance(value, str):  # spaces around a value are never meant (a site's name
        return value.strip()  # typed with one differed from itself; an email kept one)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    raise ValueError(f"expected text, got {_typed(value)}")


def _id(value: object, col: Column) -> str:
    text = _text(value, col)  # stripped
    if not _ID.match(text):
        raise ValueError(
            f"{text!r} is not a valid id (unaccented letters A-Z, digits, '_', '.', '-')"
        )
    return text


def _enum(value: object, col: Column) -> str:
    typed = _text(value, col).strip()
    meant = enum_value(col.name, typed, col.choices)  # `mardi` for tue, `indisponible`...
    if meant is None:
        raise ValueError(f"unknown {col.name} {typed!r} {known_values(typed, col.choices)}")
    return meant


def _items(value: object, col: Column) -> tuple[str, ...]:
    text = _text(value, col).strip()
    if text == EMPTY_LIST:
        return ()
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _texts(value: object, col: Column) -> tuple[str, ...]:
    """Items separated by `;`, or by commas or line breaks (Alt+Enter), which people type as
    often (an audit's room features one per line became one feature)."""
    return tuple(
        p.strip()
        for item in _items(value, col)
        for line in item.splitlines()
        for p in line.split(",")
        if p.strip()
    )


def _ids(value: object, col: Column) -> tuple[str, ...]:
    return tuple(_id(item, col) for item in _texts(value, col))  # no id holds a comma


def _dates(value: object, col: Column) -> tuple[dt.date, ...]:
    if isinstance(value, dt.date):
        return (_date(value, col),)
    days = []
    for item in _texts(value, col):
        if (day := day_month_year(item)) is not None:
            days.append(day)
            continue
        if not _ISO_DATE.match(item):
            raise ValueError(f"{item!r} is not a date YYYY-MM-DD")
        try:
            days.append(dt.date.fromisoformat(item))
        except ValueError as err:
            raise ValueError(f"{item!r} is not a valid date ({err})") from None
    return tuple(days)


def _typed(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime) and value.time() != dt.time(0, 0):
        return f"the date and time {value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.datetime | dt.date):
        return f"the date {value:%Y-%m-%d}"
    if isinstance(value, dt.time):
        return f"the time {show(value)}"
    if isinstance(value, dt.timedelta):  # a cell formatted [h]:mm holding 24 hours or more
        minutes = int(value.total_seconds() // 60)
        return f"the duration {minutes // 60}:{minutes % 60:02d} (hours)"
    return repr(value)


_PARSERS: dict[str, Callable[[object, Column], Any]] = {
    "id": _id,
    "text": _text,
    "int": _whole,
    "number": _number,
    "date": _date,
    "time": _time,
    "bool": _bool,
    "enum": _enum,
    "ids": _ids,
    "texts": _texts,
    "dates": _dates,
}


def parse_cell(value: object, col: Column, ref: str) -> Any:
    """The typed value of a non-empty cell, or a `CellError` at `ref`."""
    try:
        return _PARSERS[col.kind](value, col)
    except ValueError as err:
        message = str(err)
        if message.startswith("unknown "):
            raise CellError(ref, message) from None
        raise CellError(ref, f"{col.name}: {message}") from None


# --- sheets --------------------------------------------------------------------------------


class CellSource:
    """An open workbook; formula cells read the value Excel or LibreOffice last computed.

    A cell merged with those above it reads as the merged range's value, which Excel shows
    down the range (openpyxl reads it as empty: rows merged to share a window lost it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = openpyxl.load_workbook(path, data_only=False)
        self._computed: Any = None
        self.hidden: dict[str, list[int]] = {}  # data rows hidden (or filtered out) per sheet

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
            raise CellError(cell_ref(sheet, cell.column, cell.row), f"error value {cell.value}")
        if cell.data_type != "f":
            return cell.value
        if self._computed is None:
            self._computed = openpyxl.load_workbook(self.path, data_only=True)
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


def _header(source: CellSource, ws: Any, spec: SheetSpec) -> dict[int, Column]:
    header: dict[int, Column] = {}
    seen: dict[str, str] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        value = source.value(ws.title, cell)
        if is_empty(value):
            continue
        ref = cell_ref(ws.title, cell.column, 1)
        name = str(value).strip()
        if name not in {c.name for c in spec.columns}:
            known = [c.name for c in spec.columns]
            raise CellError(
                ref,
                f"unknown column {name!r} (known: {', '.join(known)}); notes go in a sheet "
                "of one's own",
            )
        if name in seen:
            raise CellError(ref, f"duplicate column {name!r} (also {seen[name]})")
        seen[name] = ref
        header[cell.column] = spec.column(name)
    for col in spec.columns:
        if col.required and col.name not in seen:
            raise CellError(
                cell_ref(ws.title, 1, 1), f"missing column {col.name!r} (no such header in row 1)"
            )
    return header


def _help_row(
    sheet: str, cells: tuple[Any, ...], filled: dict[int, object], header: dict[int, Column]
) -> bool:
    """Whether row 2 is the help row the workbook was written with: some cell holds its
    column's help. A value typed over one of its cells is refused rather than read as a row
    whose other cells are help sentences."""

    def is_help(index: int, value: object) -> bool:
        col = header.get(index)
        text = str(value).strip() if isinstance(value, str) else None
        return text is not None and (
            text.startswith(HELP_PREFIX) or (col is not None and text == col.help.strip())
        )

    if not any(is_help(i, v) for i, v in filled.items()):
        return False
    for cell in cells:
        value = filled.get(cell.column)
        if (
            value is not None
            and not isinstance(cell, MergedCell)
            and not is_help(cell.column, value)
        ):
            raise CellError(
                cell_ref(sheet, cell.column, 2),
                f"{show(value)} is in row 2, the help row: data starts on row 3",
            )
    return True


def read_table(source: CellSource, spec: SheetSpec) -> list[Row]:
    """The data rows of the table sheet `spec` (a missing optional sheet has none)."""
    if spec.name not in source.book.sheetnames:
        return []
    ws = source.sheet(spec.name)
    header = _header(source, ws, spec)
    first = min((i for i, c in header.items() if c is spec.columns[0]), default=1)
    rows: list[Row] = []
    first_data_row = 2
    for cells in ws.iter_rows(min_row=2):
        values = {cell.column: source.value(ws.title, cell) for cell in cells}
        filled = {i: v for i, v in values.items() if not is_empty(v)}
        if all(isinstance(cell, MergedCell) for cell in cells if cell.column in filled):
            continue  # empty, or only a merge from the rows above reaching into it
        number = cells[0].row
        if number == 2 and _help_row(ws.title, cells, filled, header):
            first_data_row = 3
            continue
        row = Row(ws.title, number, {}, anchor=cell_ref(ws.title, first, number))
        for index, col in header.items():
            row.refs[col.name] = cell_ref(ws.title, index, number)
        for cell in cells:
            if cell.column not in header:
                continue
            above = source.merged_from_above(ws.title, cell, first_data_row)
            if above:
                raise CellError(row.refs[header[cell.column].name], above)
            across = source.merged_across(ws.title, cell)
            if across:
                raise CellError(
                    row.refs[header[cell.column].name],
                    f"cells {across} are merged across columns: unmerge them and type each "
                    "column's value",
                )
        for index, value in filled.items():
            if index not in header:
                raise CellError(
                    cell_ref(ws.title, index, number),
                    f"value {show(value)} in a column without a name in row 1 (notes go in a "
                    "sheet of one's own)",
                )
            col = header[index]
            row.values[col.name] = parse_cell(value, col, row.refs[col.name])
        for col in spec.columns:
            if col.required and col.name not in row.values:
                raise CellError(row.ref(col.name), f"{col.name}: required value is empty")
        if ws.row_dimensions[number].hidden:
            source.hidden.setdefault(ws.title, []).append(number)
        rows.append(row)
    return rows


def read_keys(source: CellSource, sheet: str, keys: tuple[Column, ...]) -> dict[str, Row]:
    """The key/value sheet: each key's row, with the parsed value under the key's name."""
    ws = source.sheet(sheet)
    names = ("key", "value", "help")
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        value = source.value(sheet, cell)
        expected = names[cell.column - 1] if cell.column <= len(names) else None
        if not is_empty(value) and str(value).strip() != expected:
            raise CellError(
                cell_ref(sheet, cell.column, 1),
                f"unexpected column {show(value)}: the columns are key, value, help",
            )
    by_name = {k.name: k for k in keys}
    found: dict[str, Row] = {}
    for cells in ws.iter_rows(min_row=2):
        number = cells[0].row
        values = {cell.column: source.value(sheet, cell) for cell in cells}
        key, value = values.get(1), values.get(2)
        extra = [i for i, v in values.items() if i > len(names) and not is_empty(v)]
        if extra:
            raise CellError(
                cell_ref(sheet, extra[0], number), "value outside columns key, value, help"
            )
        if is_empty(key):
            if not is_empty(value):
                raise CellError(cell_ref(sheet, 2, number), f"value {show(value)} without a key")
            continue
        name = str(key).strip()
        ref = cell_ref(sheet, 1, number)
        if name not in by_name:
            raise CellError(ref, f"unknown key {name!r} {known_values(name, by_name)}")
        if name in found:
            raise CellError(ref, f"duplicate key {name!r} (also {found[name].anchor})")
        row = Row(sheet, number, {}, {name: cell_ref(sheet, 2, number)}, anchor=ref)
        if not is_empty(value):
            row.values[name] = parse_cell(value, by_name[name], row.refs[name])
        found[name] = row
    for k in keys:
        if k.required and k.name not in found:
            raise CellError(cell_ref(sheet, 1, ws.max_row + 1), f"missing key {k.name!r}")
        if k.required and k.name not in found[k.name].values:
            raise CellError(found[k.name].ref(k.name), f"{k.name}: required value is empty")
    return found
