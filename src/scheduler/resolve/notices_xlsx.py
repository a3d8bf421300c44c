"""`notices.xlsx`: the notices of `notices.csv` as a workbook, for staff whose Excel opens a
comma-separated file in one column (a French-locale Excel expects semicolons: stop 82's
left-alone item) and for a word processor's mail merge, which reads a sheet's first row as
its fields."""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scheduler.export.xlsx import workbook_bytes
from scheduler.resolve.notices import HEADER

SHEET = "Notices"
WIDTHS = {"kind": 9, "id": 12, "name": 26, "email": 32, "language": 10, "subject": 44, "body": 90}
LINE_HEIGHT = 15  # points, a wrapped line of the default 11 pt font
MAX_HEIGHT = 409  # points, the tallest row Excel shows


def notices_workbook(rows: Sequence[Sequence[str]]) -> bytes:
    """The `.xlsx` file's bytes: one sheet, `HEADER` in bold and frozen with a filter, then
    a row per notice (`notice_rows`), the body wrapped in its cell with its line breaks, its
    row as tall as its lines. Every cell is text: a name or line starting with `=` is not
    read as a formula."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = SHEET
    ws.append(list(HEADER))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    body = HEADER.index("body")
    for number, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(number, col, value)
            cell.data_type = "s"
            cell.alignment = Alignment(vertical="top", wrap_text=col == body + 1)
        ws.row_dimensions[number].height = min(MAX_HEIGHT, LINE_HEIGHT * _lines(row[body]))
    for col, name in enumerate(HEADER, start=1):
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[name]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(rows) + 1}"
    return workbook_bytes(wb)  # the same bytes for the same notices, as the timetable's


def _lines(text: str) -> int:
    """The lines `text` takes in the body's column, its long lines wrapped."""
    width = WIDTHS["body"]
    return sum(max(1, math.ceil(len(line) / width)) for line in text.split("\n"))
