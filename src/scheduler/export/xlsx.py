"""`timetable.xlsx`: the whole timetable, then one sheet per group, student profile, teacher
and site (a re-solve's `Changes` before them).

The first sheet, `Timetable`, has exactly the `timetable.csv` columns (dates as dates, times as
times, session numbers as numbers), so reading it back gives the CSV rows. The other sheets are
for people: names instead of ids, titles with their series, `3/12` session numbers, a line
between weeks, long text wrapped; in a re-solve's workbook, what changed. Every sheet has
a frozen, filterable header, fitted column widths, a colour per UE and landscape printing.
The bytes are reproducible: document times are `stamp` and the zip entries carry fixed times.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from scheduler.data.problem import Problem
from scheduler.export import revision_marks
from scheduler.export.common import (
    EVENT_COLOUR,
    Entity,
    Row,
    entities,
    group_names,
    room_names,
    rows_of,
    series_position,
    series_words,
    site_name,
    teacher_names,
    ue_colours,
    uid_key,
)
from scheduler.export.page_revision import PageRevision
from scheduler.export.xlsx_styles import HEADER, CellStyle, Styles
from scheduler.io.solution_io import TIMETABLE_COLUMNS

MAIN_SHEET = "Timetable"
PEOPLE_COLUMNS = (
    "Date", "Day", "Start", "End", "UE", "Title", "Session", "Site", "Room", "Teachers", "Groups",
)  # fmt: skip
TAB_COLOURS = {
    "changes": "C0504D", "group": "4F81BD", "student": "8064A2", "teacher": "9BBB59",
    "site": "F79646",
}  # fmt: skip
CHANGES_SHEET = "Changes"  # a revision's workbook only
LINE_HEIGHT = 13  # points, a line of the default 11 pt font
PEOPLE_WIDEST = 32  # characters; longer text wraps (at 60, a page printed at ~5 pt: an audit)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
Cell = str | int | date | time | None


def _raw_values(row: Row) -> list[Cell]:
    """A CSV row with typed date, times and session number."""
    values: list[Cell] = []
    for col in TIMETABLE_COLUMNS:
        text = row[col]
        if col == "date":
            values.append(date.fromisoformat(text))
        elif col in ("start", "end"):
            values.append(time.fromisoformat(text))
        elif col == "session_no" and text.isdigit():
            values.append(int(text))
        else:
            values.append(text or None)
    return values


def _people_values(problem: Problem, row: Row) -> list[Cell]:
    place = series_position(problem, row["session_id"]) if row["kind"] == "session" else None
    return [
        date.fromisoformat(row["date"]),
        row["weekday"].capitalize(),
        time.fromisoformat(row["start"]),
        time.fromisoformat(row["end"]),
        row["ue"] or row["session_id"],
        _titled(problem, row),
        place,
        site_name(problem, row),
        room_names(problem, row),
        ", ".join(teacher_names(problem, row)),
        ", ".join(group_names(problem, row)),
    ]


def _titled(problem: Problem, row: Row) -> str:
    """The UE's title with its series' words ("— app1", "— journée"), as calendars say it: a
    UE's series numbered apart read "1/4 ... 1/1 ... 1/1" without it (an audit)."""
    label = series_words(problem, row["ue"], row["series"]) if row["kind"] == "session" else ""
    suffix = f" — {label}" if label else ""
    return f"{row['ue_title']}{suffix}" if row["ue_title"] else label


def _people_sheets(
    wb: Workbook,
    styles: Styles,
    problem: Problem,
    rows: Sequence[Row],
    revision: PageRevision | None,
    heading: tuple[str, str],
) -> None:
    """A sheet per group, student of several groups (as their calendar: each group's
    missed the other's sessions, an audit), teacher and site; in a re-solve's workbook
    (`revision` with the rows revised), a `Changes` sheet before them, with each row's cause
    (`revision.causes`, by session or event id), each row's change in a `Change` column, and
    the rows that left a sheet kept in it at their old place, said why."""
    colours = ue_colours(problem)
    taken = {MAIN_SHEET.lower(), CHANGES_SHEET.lower()}
    before = revision.before if revision is not None else None
    causes = revision.causes if revision is not None else {}
    revised = revision_marks.Revised.of(problem, rows, before) if before is not None else None
    marked = revised.marks(revision.numbers if revision else None) if revised is not None else {}
    header: tuple[str, ...] = (*PEOPLE_COLUMNS, "Change") if before is not None else PEOPLE_COLUMNS
    sheets: list[tuple[Worksheet, Entity | None]] = []
    if before is not None:
        sheets.append((wb.create_sheet(CHANGES_SHEET), None))
    for person in entities(problem, ("group", "student", "teacher", "site")):
        sheets.append((wb.create_sheet(sheet_title(person, taken)), person))
    for ws, entity in sheets:
        ws.sheet_properties.tabColor = TAB_COLOURS[entity.kind if entity else "changes"]
        mine: list[tuple[Row, str | None]] = (
            [(r, marked.get(uid_key(r))) for r in rows_of(problem, rows, entity)]
            if entity
            else [(r, marked[uid_key(r)]) for r in rows if uid_key(r) in marked]
        )
        left: set[int] = set()  # rows no longer in this sheet's timetable, kept at their place
        if revised is not None:
            gone = revised.gone_from(entity)
            left = {id(r) for r, _ in gone}
            mine += gone
            mine.sort(key=lambda pair: (pair[0]["date"], pair[0]["start"], uid_key(pair[0])))
        values = [_people_values(problem, r) for r, _ in mine]
        if before is not None:
            values = [[*v, mark] for v, (_, mark) in zip(values, mine, strict=True)]
        if entity is None:  # why, and the id to find a row in changes.csv (audits)
            values = [
                [*v, causes.get(r["session_id"], ""), r["session_id"]]
                for v, (r, _) in zip(values, mine, strict=True)
            ]
        heads = header if entity else (*header, "Cause", "Id")
        subject = entity.label if entity else CHANGES_SHEET
        struck = [id(r) in left for r, _ in mine]
        _write_sheet(
            ws, styles, heads, [r for r, _ in mine], values, colours, (5, 6), PEOPLE_WIDEST, struck
        )
        _print_heading(ws, heading, subject)


def _write_sheet(
    ws: Worksheet,
    styles: Styles,
    header: Sequence[str],
    rows: Sequence[Row],
    values: Sequence[list[Cell]],
    colours: dict[str, str],
    colour_columns: Sequence[int],
    widest: int = 60,
    struck: Sequence[bool] = (),
) -> None:
    """Header, rows, formats, widths, colours, week lines, frozen header, filter, print setup
    (`_print_setup`). `struck` rows (a revision's rows that left the sheet) are struck
    through in grey, as the page shows them: in black they read as sessions still given (an
    audit). Each cell's style is said as a `CellStyle` and made once in the workbook's
    `styles`."""
    ws.append(list(header))
    for cell in ws[1]:
        styles.put(cell, HEADER)
    wrapped, lines = _fit_widths(ws, header, values, widest)
    previous_week: tuple[int, int] | None = None
    for number, (row, cells) in enumerate(zip(rows, values, strict=True), start=2):
        ws.append(cells)
        week = date.fromisoformat(row["date"]).isocalendar()[:2]
        colour = colours.get(row["ue"], EVENT_COLOUR) if row["kind"] == "session" else EVENT_COLOUR
        line = previous_week is not None and week != previous_week
        gone = bool(struck) and struck[number - 2]
        tall = lines[number - 2] > 1
        for col, value in enumerate(cells, start=1):
            cell = ws.cell(number, col)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, not a formula (a title "=..." was one: an audit)
            kind = "date" if isinstance(value, date) else "time" if isinstance(value, time) else ""
            style = CellStyle(
                kind=kind,
                wrapped=col in wrapped,
                top=tall,
                week_line=line,
                fill=colour if col in colour_columns else "",
                struck=gone,
            )
            styles.put(cell, style)
        if tall:
            ws.row_dimensions[number].height = LINE_HEIGHT * lines[number - 2]
        previous_week = week
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(values) + 1)}"
    _print_setup(ws)


def _print_heading(ws: Worksheet, heading: tuple[str, str], subject: str) -> None:
    """Every printed page says whose timetable it is, of what, and which publication: the
    sheet's person or place and the page in the header, the instance's title and the
    revision alone across the footer's centre. A printed teacher's sheet had no name on it
    (an audit); a long title in the header's left third was cut at 120 characters and ran
    into the centred name (another). Excel takes 255 characters a header or footer, its
    codes included: each text is cut well within them."""

    def text(value: str, room: int) -> str:  # `&` starts a header code
        value = value if len(value) <= room else value[: room - 1].rstrip() + "…"
        return value.replace("&", "&&")

    title, publication = heading
    ws.oddHeader.center.text = text(subject, 100)
    ws.oddHeader.right.text = "&P / &N"
    ws.oddFooter.center.text = text(f"{title} — {publication}" if publication else title, 200)


def _print_setup(ws: Worksheet) -> None:
    """Landscape A4, as wide as the page, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4  # LibreOffice printed on US Letter (an audit)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _fit_widths(
    ws: Worksheet, header: Sequence[str], values: Sequence[list[Cell]], widest: int = 60
) -> tuple[set[int], list[int]]:
    """Each column as wide as its longest value, at most `widest` characters; longer text
    wraps (people's sheets: 32, so that a page prints at a readable size), its row as tall
    as its lines (LibreOffice kept one line and the wrapped text ran over the next rows).
    Returns the wrapped columns (1-based) and each value row's lines, for the rows' styles:
    a tall row's other cells on its first line (`CellStyle.top`)."""
    lines = [1] * len(values)
    wrapped: set[int] = set()
    for col, name in enumerate(header, start=1):
        longest = len(name) + 3  # room for the filter button
        for cells in values:
            value = cells[col - 1]
            if isinstance(value, date):
                width = 11
            elif isinstance(value, time):
                width = 6
            else:
                width = len(str(value)) if value is not None else 0
            longest = max(longest, width + 1)
        ws.column_dimensions[get_column_letter(col)].width = min(longest, widest)
        if longest > widest:
            wrapped.add(col)
            for row, cells in enumerate(values):
                text = cells[col - 1]
                if isinstance(text, str):  # words broken at spaces: a little more than this
                    lines[row] = max(lines[row], -(-len(text) * 6 // 5 // (widest - 1)))
    return wrapped, lines


def sheet_title(entity: Entity, taken: set[str]) -> str:
    """A unique sheet title of at most 31 characters: `OPT-A Option A`, `T01 Anne Lambert`."""
    whole = _BAD_TITLE.sub("-", f"{entity.id} {entity.name}".strip()).strip("'")
    base = whole[:31].rstrip()
    cut = base.rfind(" ", len(entity.id) + 1)
    if len(whole) > 31 and cut > 0:  # not mid-word: `APP1 Groupe d'analyse de`
        base = base[:cut].rstrip().rstrip("'")
        # nor on a dash or inside brackets (an audit: `OPT-MKT Bloc 2 —`, `V2 Marc-André
        # Tremblay (HEC`)
        name = _before_unclosed(base[len(entity.id) :]).rstrip(" —–-:;,'")
        base = entity.id + name if name.strip() else entity.id
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ~{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _before_unclosed(text: str) -> str:
    """`text` up to its first bracket left open: `Anne (Centre (HEC) Mon` -> `Anne `."""
    depth, first = 0, None
    for i, char in enumerate(text):
        if char == "(":
            depth, first = depth + 1, i if depth == 0 else first
        elif char == ")" and depth:
            depth -= 1
    return text if depth == 0 or first is None else text[:first]


def _repack(data: bytes, workbook: Workbook) -> bytes:
    """The zip again, with fixed entry times and the document properties as set (not now)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = tostring(workbook.properties.to_tree())
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


def _heading(problem: Problem, revision: PageRevision | None) -> tuple[str, str]:
    """The instance's title and a re-solve's publication, as printed pages say them
    (`_print_heading`)."""
    inst = problem.instance
    return (
        inst.title or inst.name,
        f"{revision.label}: re-solved for the changes known on {revision.today.isoformat()}"
        if revision is not None
        else "",
    )


def timetable_workbook(
    problem: Problem,
    rows: Sequence[Row],
    *,
    stamp: datetime | None = None,
    revision: PageRevision | None = None,
) -> bytes:
    """The timetable as an `.xlsx` file's bytes.

    Args:
        problem: the problem the rows come from (names of UEs, teachers, groups, rooms, sites).
        rows: timetable rows, as `timetable_rows` returns them.
        stamp: the document's created/modified time (default 2000-01-01 UTC), for reproducible
            bytes.
        revision: a re-solve's: a `Changes` sheet lists what changed since the timetable it
            revised, and people's sheets say it of each row (`Change`).
    """
    colours = ue_colours(problem)
    wb = Workbook()
    main = wb.active
    assert main is not None  # a new workbook always has one sheet
    main.title = MAIN_SHEET
    ue_col, title_col = TIMETABLE_COLUMNS.index("ue") + 1, TIMETABLE_COLUMNS.index("ue_title") + 1
    styles = Styles()
    _write_sheet(
        main,
        styles,
        TIMETABLE_COLUMNS,
        rows,
        [_raw_values(r) for r in rows],
        colours,
        (ue_col, title_col),
    )
    inst = problem.instance
    heading = _heading(problem, revision)
    _print_heading(main, heading, MAIN_SHEET)
    _people_sheets(wb, styles, problem, rows, revision, heading)
    wb.properties.title = inst.title or inst.name
    if revision is not None:
        wb.properties.title += f" ({revision.label})"
    return workbook_bytes(wb, stamp)


def workbook_bytes(wb: Workbook, stamp: datetime | None = None) -> bytes:
    """`wb` as an `.xlsx` file's bytes, the same for the same content: its document's
    created/modified time `stamp` (default 2000-01-01 UTC), its zip entries' times fixed."""
    stamp = stamp or datetime(2000, 1, 1, tzinfo=UTC)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    wb.properties.creator = "scheduler"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = stamp  # `save` sets it to now; the repack writes ours
    return _repack(buffer.getvalue(), wb)
