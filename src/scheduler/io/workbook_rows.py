"""The data rows of a table sheet, one at a time: their cells' values, the help row in row 2
(or sorted below it), cells merged into a row from the header, the help or the cell to the
left, each value parsed under its column's name, and the row's entity in words for messages.
Split from `workbook_cells`, whose `read_table` reads a sheet's rows with these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl.cell.cell import MergedCell

from scheduler.io.workbook_columns import HELP_PREFIX, NOTES_PREFIX, Column, SheetSpec, cell_ref
from scheduler.io.workbook_values import CellError, parse_cell, show

if TYPE_CHECKING:
    from scheduler.io.workbook_cells import CellSource, Row


def row_values(
    source: CellSource, sheet: str, cells: tuple[Any, ...]
) -> tuple[dict[int, object], CellError | None]:
    """The row's values by column, a cell that cannot be read (an error value, a formula never
    computed) as empty; and the first such cell's error, to raise once the row is known."""
    values: dict[int, object] = {}
    unread = None
    for cell in cells:
        try:
            values[cell.column] = source.value(sheet, cell)
        except CellError as err:
            values[cell.column] = None
            unread = unread or err
    return values, unread


def help_row(
    sheet: str,
    cells: tuple[Any, ...],
    filled: dict[int, object],
    header: dict[int, Column],
    columns: tuple[Column, ...] = (),
) -> bool:
    """Whether row 2 is the help row the workbook was written with: some cell holds its
    column's help. A value typed over one of its cells is refused rather than read as a row
    whose other cells are help sentences; a cell holding the help of another of `columns`
    (the sheet's) says that its header, in row 1, was blanked or swapped."""

    def is_help(index: int, value: object) -> bool:
        col = header.get(index)
        text = str(value).strip() if isinstance(value, str) else None
        return text is not None and (
            text.startswith(HELP_PREFIX)
            or (col is not None and text in (col.help.strip(), *col.former_help))
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
            _header_slip(sheet, cell.column, value, header, columns)
            raise CellError(
                cell_ref(sheet, cell.column, 2),
                f"{show(value)} is in row 2, the help row: data starts on row 3",
            )
    return True


def _header_slip(
    sheet: str, column: int, value: object, header: dict[int, Column], columns: tuple[Column, ...]
) -> None:
    """Refuse, at row 1, a column whose help-row cell is another column's help: its header was
    blanked or swapped (a fuzz audit read "'...' is in row 2, the help row" of the template's
    own words, which nobody typed).

    Raises:
        CellError: the header of `column` does not match the help below it."""
    text = str(value).strip()
    owner = next((c for c in columns if text in (c.help.strip(), *c.former_help)), None)
    if owner is None:
        return
    at = cell_ref(sheet, column, 1)
    named = header.get(column)
    if named is None:
        raise CellError(
            at, f"column without a header: its help row reads the help of column "
            f"{owner.name!r} ({show(value)}): write {owner.name!r} in row 1"
        )  # fmt: skip
    raise CellError(
        at, f"column {named.name!r} holds the help of column {owner.name!r} in row 2: are the "
        "headers in row 1 swapped?"
    )  # fmt: skip


def not_the_help_row(sheet: str, number: int, first: int, filled: dict[int, object]) -> None:
    """Refuse a data row whose first column holds the help row's first cell (`Help: ...`):
    the sheet was sorted with its help row, which then read as an invalid id, and the row
    sorted into row 2 was taken for the help (an audit)."""
    value = filled.get(first)
    if isinstance(value, str) and value.strip().startswith(HELP_PREFIX):
        shown = show(value)
        shown = f"{shown[:40]}..." if len(shown) > 40 else shown
        raise CellError(
            cell_ref(sheet, first, number),
            f"row {number} holds the help row ({shown}): was the sheet sorted with it? Move it "
            "back to row 2 (the data starts on row 3), or delete it",
        )


def no_merge_into(
    source: CellSource,
    sheet: str,
    cells: tuple[Any, ...],
    header: dict[int, Column],
    row: Row,
    first_data_row: int,
) -> None:
    """Refuse a data row's cell merged with the header or help row above it, or with a cell
    to its left that holds a value (`CellSource.merged_from_above`, `merged_across`)."""
    for cell in cells:
        if cell.column not in header:
            continue
        ref = row.refs[header[cell.column].name]
        above = source.merged_from_above(sheet, cell, first_data_row)
        if above:
            raise CellError(ref, above)
        across = source.merged_across(sheet, cell)
        if across:
            raise CellError(
                ref,
                f"cells {across} are merged across columns: unmerge them and type each "
                "column's value",
            )


def parse_values(
    spec: SheetSpec, header: dict[int, Column], filled: dict[int, object], row: Row
) -> None:
    """Parse the row's filled cells into `row.values` under their columns' names, refusing a
    value in a column without a name and an empty required value."""
    for index, value in filled.items():
        if index not in header:
            raise CellError(
                cell_ref(row.sheet, index, row.number),
                f"value {show(value)} in a column without a name in row 1 (a column of "
                f"notes is headed '{NOTES_PREFIX} ...')",
            )
        col = header[index]
        row.values[col.name] = parse_cell(value, col, row.refs[col.name])
    for col in spec.columns:
        if col.required and col.name not in row.values:
            raise CellError(row.ref(col.name), f"{col.name}: required value is empty")


def row_label(
    spec: SheetSpec, header: dict[int, Column], filled: dict[int, object], refs: dict[str, str]
) -> RowLabel:
    """A data row's entity for messages: its naming columns as typed
    (`SheetSpec.label_columns`, else `fallback_label`), and every cell's value as typed."""
    typed = {header[i].name: str(v).strip() for i, v in filled.items() if i in header}
    parts = [(refs.get(n, ""), word, typed[n]) for n, word in spec.label_columns if typed.get(n)]
    if not parts:  # its id left empty: named by what else the row holds (an audit)
        parts = [(refs.get(n, ""), w, typed[n]) for n, w in spec.fallback_label if typed.get(n)]
    return RowLabel(parts, {refs[n]: value for n, value in typed.items() if n in refs})


@dataclass(frozen=True)
class RowLabel:
    """A data row's naming cells, as (cell, word, value), and its cells' values by cell."""

    parts: list[tuple[str, str, str]]
    typed: dict[str, str]

    def said(self, ref: str, message: str) -> str:
        """The row's entity in words, `UE UE1, series main`, without what the message about
        cell `ref` names already (`ue 'UE1' series 'main' ...`): the value of a naming cell
        named by the message, unless only as `ref`'s own value (a count typed as 'T01' in
        the row of teacher T01 still names the row: an audit); empty when nothing is left."""
        bad = self.typed.get(ref)
        rest = message  # the message less the bad value it quotes
        if bad is not None:
            rest = message.replace(f"'{bad}'" if f"'{bad}'" in message else repr(bad), "", 1)
        words = []
        for cell, word, value in self.parts:
            text = message if cell == ref else rest
            if f"'{value}'" not in text and repr(value) not in text:
                words.append(f"{word} {value if value.isprintable() else repr(value)}")
        return ", ".join(words)
