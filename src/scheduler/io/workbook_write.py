"""Writing an instance (or an empty template) as a workbook laid out by `workbook_layout`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler.data.instance import Instance
from scheduler.data.instance_calendar import DateRule, Window
from scheduler.io.workbook_columns import (
    EMPTY_LIST,
    FIRST_DATA_ROW,
    HELP_PREFIX,
    Column,
    Ref,
    SheetSpec,
    column_letter,
)
from scheduler.io.workbook_layout import (
    AVAILABILITY,
    CLOSURES,
    FIXED_EVENTS,
    GROUPS,
    KINDS_OF_RULE,
    PINS,
    PRECEDENCES,
    PROGRAMME,
    PROGRAMME_HELP,
    PROGRAMME_KEYS,
    REF_SOURCES,
    SESSION_TEACHERS,
    SESSIONS,
    SITES,
    SLOTS,
    TABLES,
    TEACHERS,
    UES,
    WEIGHTS,
)

RowData = dict[str, Any]
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_HELP_FONT = Font(italic=True, color="595959", size=9)
_HELP_FILL = PatternFill("solid", fgColor="F2F2F2")
_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm", "dates": "yyyy-mm-dd"}
_SPARE_ROWS = 1000  # rows below the data that keep validation lists and formats


def _slots_rows(inst: Instance) -> list[RowData]:
    return [
        {"id": s.id, "weekday": s.weekday, "start": s.start, "end": s.end}
        for s in inst.calendar.slots
    ]


def _closures_rows(inst: Instance) -> list[RowData]:
    return [
        {"date": c.date, "from": c.from_, "to": c.to, "slots": c.slots, "reason": c.reason}
        for c in inst.calendar.closures
    ]


def _sites_rows(inst: Instance) -> list[RowData]:
    rows: list[RowData] = []
    for site in inst.sites:
        # on every room's row, so deleting a site's first room keeps its name and address
        head = {
            "site": site.id,
            "site_name": site.name,
            "site_address": site.address,
            "site_area": site.area,
        }
        rows.extend(
            {
                **head,
                "room": r.id,
                "room_name": r.name,
                "capacity": r.capacity,
                "features": r.features,
            }
            for r in site.rooms
        )
        if not site.rooms:
            rows.append(head)
    return rows


def _groups_rows(inst: Instance) -> list[RowData]:
    return [g.model_dump() for g in inst.groups]


def _teachers_rows(inst: Instance) -> list[RowData]:
    return [
        {
            "id": t.id,
            "name": t.name,
            "home_site": t.home_site,
            "email": t.email,
            "max_sessions_per_week": t.max_sessions_per_week,
        }
        for t in inst.teachers
    ]


def _rule(owner: RowData, kind: str, rule: DateRule) -> RowData:
    return {
        **owner,
        "kind": kind,
        "date": rule.date,
        "from": rule.from_,
        "to": rule.to,
        "weekday": rule.weekday,
        "slots": rule.slots,
    }


def _availability_rows(inst: Instance) -> list[RowData]:
    rows = [
        _rule({"teacher": t.id}, kind, rule)
        for t in inst.teachers
        for kind in KINDS_OF_RULE
        for rule in getattr(t, kind)
    ]
    rows += [
        _rule({"room": r.id}, "unavailable", rule)
        for s in inst.sites
        for r in s.rooms
        for rule in r.unavailable
    ]
    rows += [
        _rule({"ue": u.id, "series": s.series}, "unavailable", rule)
        for u in inst.ues
        for s in u.sessions
        for rule in s.unavailable
    ]
    return rows


def _window(window: Window | None) -> RowData:
    if window is None:
        return {}
    return {"window_from": window.from_, "window_to": window.to}


def _ues_rows(inst: Instance) -> list[RowData]:
    return [
        {
            "id": u.id,
            "title": u.title,
            "ects": u.ects,
            "teachers": u.teachers,
            "groups": u.groups,
            "sites": u.sites,
            **_window(u.window),
            "max_days_between": u.max_days_between,
            "even_spread": u.even_spread,
        }
        for u in inst.ues
    ]


def _sessions_rows(inst: Instance) -> list[RowData]:
    return [
        {"ue": u.id, **s.model_dump(exclude={"window"}), **_window(s.window)}
        for u in inst.ues
        for s in u.sessions
    ]


def _plain(items: Iterable[Any]) -> list[RowData]:
    return [item.model_dump() for item in items]


ROWS: dict[str, Callable[[Instance], list[RowData]]] = {
    SLOTS.name: _slots_rows,
    CLOSURES.name: _closures_rows,
    SITES.name: _sites_rows,
    GROUPS.name: _groups_rows,
    TEACHERS.name: _teachers_rows,
    AVAILABILITY.name: _availability_rows,
    UES.name: _ues_rows,
    SESSIONS.name: _sessions_rows,
    FIXED_EVENTS.name: lambda inst: _plain(inst.fixed_events),
    PRECEDENCES.name: lambda inst: _plain(inst.precedences),
    PINS.name: lambda inst: _plain(inst.pins),
    SESSION_TEACHERS.name: lambda inst: _plain(inst.session_teachers),
    WEIGHTS.name: lambda inst: [{"rule": k, "weight": v} for k, v in inst.weights.items()],
}


def _programme_values(inst: Instance | None) -> dict[str, Any]:
    if inst is None:  # no time zone filled in: one left as written was never said (an audit)
        return {"preferences.room_capacity": "hard"}
    cal = inst.calendar
    values: dict[str, Any] = {
        "name": inst.name,
        "title": inst.title,
        "timezone": inst.timezone,
        "calendar.start": cal.start,
        "calendar.end": cal.end,
        "preferences.room_capacity": inst.preferences.room_capacity,
    }
    # the weekly target only when the instance gives it: `report` notes a default one, and
    # a cell always filled made every workbook's target a chosen one (a review)
    if "group_week_target" in inst.preferences.model_fields_set:
        values["preferences.group_week_target"] = inst.preferences.group_week_target
    if inst.language:
        values["language"] = inst.language
    if inst.reordered:
        values["reordered"] = inst.reordered
    if inst.dropped:
        values["dropped"] = inst.dropped
    if inst.frozen_before:
        values["frozen_before"] = inst.frozen_before
    for key, source in (
        ("public_holidays", cal.public_holidays),
        ("school_holidays", cal.school_holidays),
    ):
        if source is not None:
            values |= {
                f"{key}.country": source.country,
                f"{key}.subdiv": source.subdiv,
                f"{key}.dates": source.dates,
                f"{key}.language": source.language,
            }
    return values


def cell_value(col: Column, value: Any) -> Any:
    """What the cell of `col` holds for the instance value `value` (None: an empty cell)."""
    if value is None or value == "":
        return None
    if col.kind in ("ids", "texts"):
        return "; ".join(value) if value else (EMPTY_LIST if col.optional_list else None)
    if col.kind == "dates":
        if len(value) == 1:
            return value[0]
        # none, where dates are required: a fixed event a re-solve cancelled ('-', read back)
        return "; ".join(d.isoformat() for d in value) or (EMPTY_LIST if col.required else None)
    if col.kind == "bool":
        return "yes" if value else None
    return value


def _put(ws: Any, row: int, column: int, col: Column, value: Any) -> None:
    content = cell_value(col, value)
    if content is None:
        return
    cell = ws.cell(row, column, content)
    if isinstance(content, str) and content.startswith("="):
        cell.data_type = "s"  # text, not a formula
    if isinstance(content, dt.date | dt.time):
        cell.number_format = _FORMATS.get(col.kind, "yyyy-mm-dd")


def _validation(col: Column, sheet_rows: int) -> DataValidation | None:
    """The data validation of a column: a list of choices or ids, a date, a whole number."""
    if col.choices:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(col.choices) + '"',
            allow_blank=True,
            errorStyle="stop",
            showErrorMessage=True,
            error=f"Choose one of: {', '.join(col.choices)}",
        )
    if col.ref is not None:
        return _ref_validation(col, col.ref, sheet_rows)
    if col.kind == "date":
        return DataValidation(
            type="date",
            operator="greaterThan",
            formula1="1",
            allow_blank=True,
            errorStyle="stop",
            showErrorMessage=True,
            error="Enter a date (YYYY-MM-DD), not text",
        )
    if col.kind == "int":
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1=str(col.minimum or 0),
            allow_blank=True,
            errorStyle="stop",
            showErrorMessage=True,
            error=f"Enter a whole number >= {col.minimum or 0}",
        )
    return None


def _ref_validation(col: Column, ref: Ref, sheet_rows: int) -> DataValidation:
    """The data validation of a column of `ref` ids: a list of the ids typed on their sheet."""
    spec, name = REF_SOURCES[ref]
    letter = spec.letter(name)
    sheet = "'" + spec.name.replace("'", "''") + "'"
    last = FIRST_DATA_ROW + sheet_rows
    several = col.kind == "ids"  # a list cell: Excel's list check sees one id only
    return DataValidation(
        type="list",
        formula1=f"{sheet}!${letter}${FIRST_DATA_ROW}:${letter}${last}",
        allow_blank=True,
        errorStyle="information" if several else "warning",
        showErrorMessage=True,
        error=(
            f"Several {ref} ids separated by ; are fine (click OK); one alone must be "
            f"on sheet {spec.name}"
            if several
            else f"Not a known {ref} id on sheet {spec.name}"
        ),
    )


def _page_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _table_sheet(book: Workbook, spec: SheetSpec, rows: list[RowData], spare: int) -> None:
    ws = book.create_sheet(spec.name)
    for index, col in enumerate(spec.columns, start=1):
        head = ws.cell(1, index, col.name)
        head.font, head.fill = _HEADER_FONT, _HEADER_FILL
        text = f"{spec.help}\n\n{col.name}: {col.help}" if index == 1 else f"{col.name}: {col.help}"
        head.comment = Comment(text, "scheduler", width=320, height=120)
        note = ws.cell(2, index, f"{HELP_PREFIX} {col.help}" if index == 1 else col.help)
        note.font, note.fill = _HELP_FONT, _HELP_FILL
        note.alignment = Alignment(wrap_text=True, vertical="top")
        # the header whole: it is the key the reader requires ('min_days_betwe|': an audit)
        ws.column_dimensions[column_letter(index)].width = max(col.width, len(col.name) + 3)
        for r, data in enumerate(rows, start=FIRST_DATA_ROW):
            _put(ws, r, index, col, data.get(col.name))
        validation = _validation(col, spare)
        if validation is not None:
            letter = column_letter(index)
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + spare}")
            ws.add_data_validation(validation)
    ws.row_dimensions[2].height = 52
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _page_setup(ws)


def _programme_sheet(book: Workbook, inst: Instance | None) -> None:
    ws = book.create_sheet(PROGRAMME)
    for index, (name, width) in enumerate((("key", 30), ("value", 60), ("help", 70)), start=1):
        head = ws.cell(1, index, name)
        head.font, head.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[column_letter(index)].width = width
    ws["A1"].comment = Comment(PROGRAMME_HELP, "scheduler", width=320, height=120)
    values = _programme_values(inst)
    for r, key in enumerate(PROGRAMME_KEYS, start=2):
        ws.cell(r, 1, key.name).font = Font(bold=key.required)
        _put(ws, r, 2, key, values.get(key.name))
        ws.cell(r, 2).alignment = Alignment(horizontal="left")
        note = ws.cell(r, 3, key.help + (" (required)" if key.required else ""))
        note.font = _HELP_FONT
        validation = _validation(key, 0) if key.kind in ("date", "int") else None
        if validation is not None:
            validation.add(f"B{r}")
            ws.add_data_validation(validation)
    ws.cell(len(PROGRAMME_KEYS) + 3, 3, PROGRAMME_HELP).font = _HELP_FONT
    ws.freeze_panes = "A2"
    _page_setup(ws)


def build_workbook(instance: Instance | None) -> Workbook:
    """The workbook of `instance`, or an empty template when it is None."""
    book = Workbook()
    book.remove(book.active)
    _programme_sheet(book, instance)
    tables = {spec.name: ROWS[spec.name](instance) if instance else [] for spec in TABLES}
    spare = max(len(rows) for rows in tables.values()) + _SPARE_ROWS
    for spec in TABLES:
        _table_sheet(book, spec, tables[spec.name], spare)
    book.active = 0
    return book
