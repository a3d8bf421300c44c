"""Typed values from workbook cells: one parser per column kind, each error at its cell."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from scheduler.data.types import ID_PATTERN, ZERO_WIDTH, known_values, not_an_id, parse_clock
from scheduler.io.workbook_columns import EMPTY_LIST, Column
from scheduler.io.workbook_spellings import day_month_year, enum_value, spelling_hint, yes_or_no

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: the day before Excel's day 1 in the workbook being read: 1899-12-30 in the 1900 date
#: system, 1904-01-01 in the 1904 one (old Mac workbooks), for the hints on numbers typed
#: in date or time cells (an audit: a 1904 workbook's hint named a date four years off)
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH: ContextVar[dt.datetime] = ContextVar("epoch", default=_EPOCH_1900)


@contextmanager
def date_system(epoch: dt.datetime) -> Iterator[None]:
    """Read cells under the workbook's date system (`openpyxl`'s `Workbook.epoch`)."""
    token = _EPOCH.set(epoch)
    try:
        yield
    finally:
        _EPOCH.reset(token)


def _serial(day: dt.datetime) -> float:
    """The number Excel shows as `day` in a date or time cell (openpyxl's reading undone)."""
    epoch = _EPOCH.get()
    if epoch == _EPOCH_1900 and dt.datetime(1899, 12, 31) <= day < dt.datetime(1900, 3, 1):
        epoch = dt.datetime(1899, 12, 31)  # Excel's 1900-02-29, which never was
    return (day - epoch).total_seconds() / 86400


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


def _grouped(value: object) -> None:
    """Refuses text such as '1.000' or '1.500': a thousand (and a half) where a dot groups
    thousands, as in Belgium, 1 and 1.5 elsewhere (an audit: read as 1 without a word)."""
    if isinstance(value, str) and re.fullmatch(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+", value.strip()):
        raise ValueError(
            f"the text {value.strip()!r} may be read with a dot grouping thousands or as a "
            "decimal point: type the number alone, without a separator (or as a number)"
        )


def _whole(value: object, col: Column) -> int:
    # a "number stored as text", `8.0` and `-3` too (said as a number, an audit)
    _grouped(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.0+|,0{1,2})?", value.strip()):
        value = int(value.strip().replace(",", ".").split(".")[0])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a whole number, got {_typed(value)}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected a whole number, got {value}")
    number = int(value)
    if col.minimum is not None and number < col.minimum:
        raise ValueError(f"must be at least {col.minimum}, got {number}")
    return number


def _number(value: object, col: Column) -> float:
    # stored as text, or with a decimal comma ('1,5'); '1,500' and '1.500' may be thousands:
    # refused
    _grouped(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]+(\.[0-9]+|,[0-9]{1,2})?", value.strip()):
        value = float(value.strip().replace(",", "."))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {_typed(value)}")
    return float(value)


def _date(value: object, col: Column) -> dt.date:
    _not_day_zero(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if isinstance(value, dt.datetime) and value <= _EPOCH.get():  # no date: 0 or below
        raise ValueError(
            f"expected a date, got the number {_serial(value):g} in a cell formatted as a "
            "date: type the date as YYYY-MM-DD"
        )
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
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 2958466:
        serial = (_EPOCH.get() + dt.timedelta(days=int(value))).date()
        if 2000 <= serial.year < 2100:
            raise ValueError(
                f"expected a date, got the number {value:g} (the date {serial.isoformat()} in a "
                "cell not formatted as a date?): format the cell as a date, or type YYYY-MM-DD"
            )
    raise ValueError(f"expected a date, got {_typed(value)}")


def _not_day_zero(value: object) -> None:
    """Refuse the 0 a date cell holds when a date was cleared with 0 or a formula gives 0:
    the reader hands it over as the time 00:00, which an audit was told it had typed."""
    if isinstance(value, dt.time) and value == dt.time(0, 0):
        raise ValueError(
            "expected a date, got the number 0 (or the time 00:00) in a cell formatted as a "
            "date or a time: type the date as YYYY-MM-DD"
        )


def _time(value: object, col: Column) -> dt.time:
    if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value < dt.timedelta(days=1):
        value = (dt.datetime.min + value).time()
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        if value.second or value.microsecond:
            raise ValueError(f"expected a time HH:MM, got {value.isoformat()}")
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return parse_clock(value)
    if isinstance(value, dt.datetime) and value < _EPOCH.get() + dt.timedelta(days=60):
        # a number in a cell formatted as a time: openpyxl reads n as a day n days on
        typed = _serial(value)
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
        # typed with one differed from itself; an email kept one), nor a zero-width space
        # pasted from a web page with it (an audit's 'T01\u200b')
        return value.strip().strip(ZERO_WIDTH).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    raise ValueError(f"expected text, got {_typed(value)}")


def _id(value: object, col: Column) -> str:
    text = _text(value, col)  # stripped
    if not re.match(ID_PATTERN, text):
        raise ValueError(not_an_id(text))
    return text


def _enum(value: object, col: Column) -> str:
    typed = _text(value, col).strip()
    meant = enum_value(col.name, typed, col.choices)  # `mardi` for tue, `indisponible`...
    if meant is None:
        hint = spelling_hint(col.name, typed)
        raise ValueError(f"unknown {col.name} {typed!r} {known_values(typed, col.choices)}{hint}")
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
    items = _texts(value, col)
    for item in items:  # `T03 T05`: two ids, or one typed with a space (an audit)
        parts = item.split()
        if len(parts) > 1 and all(re.match(ID_PATTERN, part) for part in parts):
            raise ValueError(
                f"{item!r} is not a valid id: if it is {len(parts)} ids, separate them with ';' "
                f"({'; '.join(parts)}); an id holds no spaces ({'-'.join(parts)}?)"
            )
    return tuple(_id(item, col) for item in items)  # no id holds a comma


def _dates(value: object, col: Column) -> tuple[dt.date, ...]:
    _not_day_zero(value)
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
