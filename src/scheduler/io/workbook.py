"""The instance as a workbook that programme managers fill in, both ways.

`read_workbook` reads an `.xlsx` file into an `Instance`; `write_workbook` writes an instance (or
an empty template) as one. The layout (one sheet per part of the instance, a header row and a
help row on each sheet) is described in `scheduler.io.workbook_layout`. Every error names the
file and the cell, e.g. `timetable.xlsx: Teachers!C7: unknown site 'NAMURR' (known: MONS, NAMUR)`.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scheduler.data.instance import Instance
from scheduler.errors import InputError, InputWarning
from scheduler.io.atomic import write_bytes
from scheduler.io.instance_io import DATA_SUFFIXES, WORKBOOK_SUFFIXES
from scheduler.io.workbook_cells import CellSource, DamagedWorkbook
from scheduler.io.workbook_checks import locate_validation_error, references, unique_ids
from scheduler.io.workbook_entities import entity_cells as entity_cells_of
from scheduler.io.workbook_keys import peek_key
from scheduler.io.workbook_layout import PROGRAMME, SHEET_NAMES
from scheduler.io.workbook_read import Raw, assemble
from scheduler.io.workbook_sheets import missing_sheets
from scheduler.io.workbook_spellings import day_first, writes_day_first
from scheduler.io.workbook_values import CellError, date_system
from scheduler.io.workbook_write import build_workbook
from scheduler.short_lists import first_few


def _open(path: Path) -> CellSource:
    try:
        return CellSource(path)
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    except DamagedWorkbook as err:
        raise InputError(f"{path}: not a readable .xlsx workbook: {err}") from err


def _hidden_sheets(source: CellSource) -> list[str]:
    """The instance's sheets the workbook hides (hidden or very hidden)."""
    return [
        ws.title
        for ws in source.book.worksheets
        if ws.sheet_state != "visible" and ws.title in SHEET_NAMES
    ]


def _missing_note(source: CellSource, error: str) -> str:
    """What an error of an unknown id, or of a UE without series, should add when optional
    sheets are gone: a deleted Teachers sheet made every teacher 'unknown' (an audit), and
    the warning naming it came only on success."""
    gone = missing_sheets(source)
    if not gone or not ("unknown" in error or "has no series" in error):
        return ""
    return f" (the workbook has no sheet {', '.join(repr(n) for n in gone)}: deleted?)"


def _features_with_spaces(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(room, feature) of room features that look like several typed without `;`."""
    return [
        (str(room.get("id")), str(feature))
        for site in data.get("sites", [])
        for room in site.get("rooms", [])
        for feature in room.get("features", ())
        if any(c.isspace() or c == "/" for c in str(feature))
    ]


def open_elsewhere(path: Path) -> Path | None:
    """The lock file Excel (`~$name`, or `~$` over the name's first two characters when it
    is long) or LibreOffice (`.~lock.name#`) keeps beside a workbook it has open, if any."""
    names = (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#")
    for lock in (path.with_name(name) for name in names):
        if lock.exists():
            return lock
    return None


def read_workbook(path: str | Path) -> Instance:
    """Read an instance workbook; raise `InputError` naming the sheet and cell of any problem."""
    path = Path(path)
    source = _open(path)
    try:
        raw = _assembled(source)
        for text in _suspicions(path, source, raw):
            warnings.warn(InputWarning(text), stacklevel=2)
        unique_ids(raw)
        references(raw)
        try:
            return Instance.model_validate(raw.data)
        except ValidationError as err:
            raise locate_validation_error(raw, err) from err
    except CellError as err:
        row = source.entity_of(err.ref, str(err))  # after the message, as issue 9 has it
        said = f"{err}{_missing_note(source, str(err))}"
        raise InputError(f"{path}: {said}{f'; row of {row}' if row else ''}") from err
    except DamagedWorkbook as err:  # a formula's computed values, read on first need
        raise InputError(f"{path}: not a readable .xlsx workbook: {err}") from err


def entity_cells(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Each entity id of the workbook at `path` -> its rows' first cells (`Teachers!A7`), to
    locate what is said of an instance already read from it (pre-flight findings); {} if the
    workbook cannot be read again (changed meanwhile)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # said when it was read
            return entity_cells_of(_assembled(CellSource(Path(path))))
    except (OSError, CellError, DamagedWorkbook, ValueError):
        return {}


def _assembled(source: CellSource) -> Raw:
    """The workbook's instance data with each value's cell, its dates read in its date
    system and, for text dates, its `language`'s order."""
    language = peek_key(source, PROGRAMME, "language")
    with date_system(source.book.epoch), day_first(writes_day_first(language)):
        return assemble(source)


def _columns(names: list[str]) -> str:
    """`column 'teachers'`, `columns 'teachers', 'groups'`."""
    return f"column{'s' if len(names) > 1 else ''} {', '.join(map(repr, names))}"


def _suspicions(path: Path, source: CellSource, raw: Raw) -> list[str]:
    """What the workbook holds that is legal but likely not meant, each in one line."""
    said = [f"{path}: sheet {name!r} left out: not a sheet of the instance" for name in raw.ignored]
    said += [  # deleted: said, in case it was not meant
        f"{path}: no sheet {name!r}: the instance has none of its rows"
        for name in missing_sheets(source)
    ]
    said += [
        f"{path}: sheet {name!r} is empty, without its header row: the instance has none of "
        "its rows"
        for name in source.blank_sheets
    ]
    said += [
        f"{path}: sheet {sheet!r} has no {_columns(names)}: "
        f"{'its value is' if len(names) == 1 else 'their values are'} read as empty on every "
        "row (deleted, or a workbook of an older version? `scheduler template` and `convert` "
        "write every column; add it back, empty if none applies, to silence this)"
        for sheet, names in source.missing_columns.items()
    ]
    said += [
        f"{path}: sheet 'Sites & rooms', room {room!r}: feature {feature!r} holds spaces or "
        "'/': if it is several features, separate them with ;"
        for room, feature in _features_with_spaces(raw.data)
    ]
    said += [f"{path}: {note}" for note in raw.notes]
    said += _hidden_notes(path, source)
    lock = open_elsewhere(path)
    if lock is not None:
        said.append(
            f"{path}: open in a spreadsheet ({lock.name} beside it): edits not saved yet are "
            "not read"
        )
    return said


def _hidden_notes(path: Path, source: CellSource) -> list[str]:
    """The workbook's hidden sheets, rows and columns, each said read like the others."""
    said = [  # hidden to switch its rows off? (an audit)
        f"{path}: sheet {name!r} is hidden: its rows are read like the others; delete them "
        "to leave them out"
        for name in _hidden_sheets(source)
    ]
    for sheet, numbers in source.hidden.items():  # hidden to switch them off? (an audit)
        said.append(
            f"{path}: sheet {sheet!r}: hidden rows are read like the others "
            f"({first_few(numbers)}); "
            "delete a row to leave it out"
        )
    for sheet, names in source.hidden_columns.items():  # hidden rows are said (an audit)
        said.append(
            f"{path}: sheet {sheet!r}: hidden columns are read like the others "
            f"({', '.join(names)}); clear a column's cells to leave its values out"
        )
    return said


def workbook_bytes(instance: Instance | None) -> bytes:
    """The `.xlsx` content of `instance`, or of an empty template when it is None."""
    buffer = io.BytesIO()
    build_workbook(instance).save(buffer)
    return buffer.getvalue()


def write_workbook(instance: Instance | None, path: str | Path) -> None:
    """Write `instance` (None: an empty template) as a workbook at `path`, atomically."""
    write_bytes(Path(path), workbook_bytes(instance))


def convert_instance(source: str | Path, target: str | Path) -> Instance:
    """Read an instance (`.yaml`, `.yml`, `.json`, `.xlsx`); write it in `target`'s format."""
    from scheduler.io.instance_io import dump_instance, load_instance

    source, target = Path(source), Path(target)
    for path in (source, target):
        if path.suffix.lower() not in (*DATA_SUFFIXES, *WORKBOOK_SUFFIXES):
            raise InputError(f"{path}: unknown format {path.suffix!r} (use .yaml, .json or .xlsx)")
    instance = load_instance(source)
    if target.suffix.lower() in WORKBOOK_SUFFIXES:
        write_workbook(instance, target)
    else:
        dump_instance(instance, target)
    return instance
