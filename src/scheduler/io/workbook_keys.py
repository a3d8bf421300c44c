"""The programme sheet of an instance workbook: one row per key (key, value, help).

Split from `workbook_cells`, whose table sheets have a header row and data rows: here a key
names its row, a merge over rows would give one key's value to the next, and a value typed
in the help column beside an empty key is not read (said as a warning).
"""

from __future__ import annotations

import warnings
from typing import Any

from scheduler.data.types import known_values
from scheduler.errors import InputWarning
from scheduler.io.workbook_cells import CellSource, Row
from scheduler.io.workbook_columns import Column, cell_ref
from scheduler.io.workbook_values import CellError, is_empty, parse_cell, show

_COLUMNS = ("key", "value", "help")  # the programme sheet's columns, in order


def _typed_in_help(text: object, key: Column) -> bool:
    """Whether the help cell of a key without a value holds what looks like its value: not
    the help, and valid for the key, a number, date or choice (an audit's 3 for
    `group_week_target`, lost); for a text key, one word (an audit's `BE` and `French` for
    the public holidays, dropped: the holidays with them), where a note has several ("not
    needed for BE")."""
    if is_empty(text) or str(text).strip().startswith(key.help[:30]):
        return False
    if key.kind in ("text", "id", "ids"):
        return len(str(text).split()) == 1
    try:
        parse_cell(text, key, "")
    except CellError:
        return False
    return True


def _not_merged_down(source: CellSource, sheet: str, cells: tuple[Any, ...], number: int) -> None:
    """Refuse a key or value merged over several rows: the merged value went to the key below
    it too (an audit's title became the instance's name)."""
    for cell in cells[:2]:
        merged = source.merged_down(sheet, cell)
        if merged is not None:
            raise CellError(
                cell_ref(sheet, cell.column, number),
                f"cells {merged} are merged: each key has a row and a value of its own; "
                "unmerge them",
            )


def peek_key(source: CellSource, sheet: str, name: str) -> str | None:
    """The text typed for key `name` in the key/value sheet, unchecked (None: none), for what
    reading the other keys depends on (the language, which says how dates are written)."""
    if sheet not in source.book.sheetnames:
        return None
    ws = source.sheet(sheet)
    for cells in ws.iter_rows(min_row=2, max_col=2):
        key = source.value(sheet, cells[0])
        if isinstance(key, str) and key.strip() == name and len(cells) > 1:
            value = source.value(sheet, cells[1])
            return value.strip() if isinstance(value, str) else None
    return None


def read_keys(source: CellSource, sheet: str, keys: tuple[Column, ...]) -> dict[str, Row]:
    """The key/value sheet: each key's row, with the parsed value under the key's name."""
    ws = source.sheet(sheet)
    _header(source, sheet, ws)
    by_name = {k.name: k for k in keys}
    found: dict[str, Row] = {}
    for cells in ws.iter_rows(min_row=2):
        number = cells[0].row
        _not_merged_down(source, sheet, cells, number)
        values = {cell.column: source.value(sheet, cell) for cell in cells}
        key, value = values.get(1), values.get(2)
        extra = [i for i, v in values.items() if i > len(_COLUMNS) and not is_empty(v)]
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
        elif _typed_in_help(values.get(3), by_name[name]):
            warnings.warn(
                InputWarning(
                    f"{source.path}: {cell_ref(sheet, 3, number)}: {name}: "
                    f"{show(values.get(3))} is in the help column, which is not read: the "
                    "key is left empty; type it in column B (value)"
                ),
                stacklevel=2,
            )
        found[name] = row
    _required(sheet, ws, keys, found)
    return found


def _header(source: CellSource, sheet: str, ws: Any) -> None:
    """Refuse a header row other than key, value, help."""
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        value = source.value(sheet, cell)
        expected = _COLUMNS[cell.column - 1] if cell.column <= len(_COLUMNS) else None
        if not is_empty(value) and str(value).strip() != expected:
            raise CellError(
                cell_ref(sheet, cell.column, 1),
                f"unexpected column {show(value)}: the columns are key, value, help",
            )


def _required(sheet: str, ws: Any, keys: tuple[Column, ...], found: dict[str, Row]) -> None:
    """Refuse a required key missing from the sheet, or given no value."""
    for k in keys:
        if k.required and k.name not in found:
            raise CellError(cell_ref(sheet, 1, ws.max_row + 1), f"missing key {k.name!r}")
    empty = [k.name for k in keys if k.required and k.name not in found[k.name].values]
    if empty:  # all at once: a blank template said one per run (an audit)
        others = [f"{name} ({found[name].ref(name).rsplit('!', 1)[-1]})" for name in empty[1:]]
        also = f" (also empty: {', '.join(others)})" if others else ""
        raise CellError(found[empty[0]].ref(empty[0]), f"{empty[0]}: required value is empty{also}")
