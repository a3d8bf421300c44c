"""The workbook's cell styles, each said as a `CellStyle` and made once per workbook.

openpyxl stores a style as indices into the workbook's tables of fonts, fills, borders,
alignments and number formats; setting `cell.font`, `cell.fill`... looks the object up in its
table by hashing it, each time. Cell by cell that was most of a large export's time (a
587-session timetable's workbook: 83 k style settings, about 6 of its 9 s). `Styles.put` sets
a style's attributes on the first cell that takes it, then copies those indices to the others.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "hh:mm"
HEADER_FILL = "DDDDDD"
STRUCK_COLOUR = "777777"
WEEK_LINE_COLOUR = "808080"


@dataclass(frozen=True)
class CellStyle:
    """What a cell's style says.

    kind: "date", "time" or "" (a date as `DATE_FORMAT`, left-aligned: right-aligned against
        the day's name they read "2026-12-12Sat", an audit; a time as `TIME_FORMAT`);
    wrapped: its column's long text wraps, from the top of the cell;
    top: its row is several lines tall, so it stays on the first one;
    week_line: a thin line above it, the first row of a week;
    fill: its background colour (hex, "" for none);
    struck: struck through in grey (a row that left the sheet);
    header: the bold, grey header row.
    """

    kind: str = ""
    wrapped: bool = False
    top: bool = False
    week_line: bool = False
    fill: str = ""
    struck: bool = False
    header: bool = False


HEADER = CellStyle(header=True, fill=HEADER_FILL)


def _alignment(style: CellStyle) -> Alignment | None:
    if style.header:
        return Alignment(vertical="center")
    if style.wrapped:
        return Alignment(wrap_text=True, vertical="top")
    horizontal = "left" if style.kind == "date" else None
    if style.top:
        return Alignment(horizontal=horizontal, vertical="top")
    return Alignment(horizontal=horizontal) if horizontal else None


def _apply(cell: Cell, style: CellStyle) -> None:
    """Set `style`'s attributes on `cell`, one by one (openpyxl's own way)."""
    if style.kind == "date":
        cell.number_format = DATE_FORMAT
    elif style.kind == "time":
        cell.number_format = TIME_FORMAT
    alignment = _alignment(style)
    if alignment is not None:
        cell.alignment = alignment
    if style.week_line:
        cell.border = Border(top=Side(style="thin", color=WEEK_LINE_COLOUR))
    if style.fill:
        cell.fill = PatternFill("solid", fgColor=style.fill.lstrip("#").upper())
    if style.header:
        cell.font = Font(bold=True)
    elif style.struck:
        cell.font = Font(strike=True, color=STRUCK_COLOUR)


# openpyxl keeps a cell's style indices in `_style`, not a public name: should a release
# rename it, each style is set attribute by attribute again, slower but the same workbook
SHARED = hasattr(Cell, "_style")


class Styles:
    """One workbook's `CellStyle`s, each made once (`put`): the indices it copies point into
    that workbook's tables, so a workbook needs its own."""

    def __init__(self) -> None:
        self._made: dict[CellStyle, Any] = {}  # the style -> openpyxl's StyleArray

    def put(self, cell: Cell, style: CellStyle) -> None:
        """Give `cell` the style `style` (its value's own number format replaced)."""
        made = self._made.get(style) if SHARED else None
        if made is None:
            _apply(cell, style)
            if SHARED:
                self._made[style] = copy(cell._style)
        else:
            cell._style = copy(made)
