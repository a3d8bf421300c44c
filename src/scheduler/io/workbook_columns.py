"""The building blocks of the instance workbook's layout (`workbook_layout`): a column, a
table sheet, and where a cell is.

Every table sheet has its column names in row 1 and a help row in row 2 (recognised by its
`Help:` prefix, so deleting it is harmless); data starts in row 3. In a column whose list may
be "not given", an empty cell means "not given" and `-` means "an empty list".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "id", "text", "int", "number", "date", "time", "bool", "enum", "ids", "texts", "dates"
]
Ref = Literal["slot", "site", "room", "teacher", "group", "ue"]

HELP_PREFIX = "Help:"
#: a column headed so holds the manager's notes: not read
NOTES_PREFIX = "#"
EMPTY_LIST = "-"
FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Column:
    """One column of a table sheet (or one key of the key/value sheet)."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    optional_list: bool = False  # empty cell = not given (None), '-' = empty list
    choices: tuple[str, ...] = ()  # the values of an `enum` column (a validation list)
    ref: Ref | None = None  # ids of this kind fill the cell's validation list
    minimum: int | None = None
    width: int = 14
    # what a workbook without the column loses is only seen, not solved (a series' title):
    # no "deleted?" warning for workbooks written before it existed
    cosmetic: bool = False
    # a column added after workbooks were written, whose absence means what those workbooks
    # meant (a site's area: none): no "deleted?" warning either (an audit: every older
    # workbook warned on every read)
    added_later: bool = False
    # the help earlier versions wrote in row 2, read as that row still (a workbook filled in
    # before a help text changed was refused: "'site id' is in row 2, the help row")
    former_help: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    """A table sheet: one row per entity."""

    name: str
    help: str
    columns: tuple[Column, ...]
    required: bool = False
    # the columns naming a row's entity in messages, with their words: ("ue", "UE"),
    # ("series", "series") reads "UE UE1, series main" (an audit: "Sessions!C3: count: ..."
    # left the reader to find which UE row 3 is)
    label_columns: tuple[tuple[str, str], ...] = ()
    # those naming it when the label columns are empty: ("name", "teacher named") reads
    # "teacher named Anne Lambert" for a row whose id was left empty
    fallback_label: tuple[tuple[str, str], ...] = ()

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)

    def letter(self, name: str) -> str:
        """The Excel letter of the column called `name` as the writer lays it out."""
        index = [c.name for c in self.columns].index(name)
        return column_letter(index + 1)


def column_letter(number: int) -> str:
    """Excel's letter for a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(sheet: str, column: int, row: int) -> str:
    """An Excel cell reference such as `Teachers!C7` or `'Sites & rooms'!B4`."""
    quoted = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{column_letter(column)}{row}"
