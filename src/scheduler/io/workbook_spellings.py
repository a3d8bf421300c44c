"""Other spellings people type in an instance workbook, read as the schema's own values.

A programme manager types `mardi` or `Tuesday` for the weekday `tue`, `indisponible` for the
rule kind `unavailable`, `x` in a yes/no column, or `29/09/2026` in a cell formatted as text.
The template's dropdowns and date cells prevent most of these in Excel, not in a copy pasted
from elsewhere or in another spreadsheet program. A date written day/month/year or
month/day/year is read only when one reading is a date, or both are the same day: `03/04/2027`
is refused, never guessed, unless the workbook's `language` writes dates day first (`fr`,
`de`, `nl`, `en-GB`: every language but English without a region or of the US, Canada and the
Philippines), which reads it day first (`day_first`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from scheduler.data.types import WEEKDAY_NAMES, weekday_hint

# fmt: off
_KIND_NAMES = {  # French, Dutch, German (accents dropped: `plain`)
    "unavailable": (
        "indisponible", "non_disponible", "pas_disponible", "absent", "absente",
        "niet_beschikbaar", "afwezig", "nicht_verfugbar", "nicht_verfuegbar", "abwesend",
    ),
    "available_only": (
        "disponible_uniquement", "uniquement_disponible", "disponible_seulement",
        "alleen_beschikbaar", "enkel_beschikbaar", "nur_verfugbar", "nur_verfuegbar",
    ),
    "avoid": ("eviter", "a_eviter", "vermijden", "te_vermijden", "vermeiden"),
}
# fmt: on
_YES = frozenset({"yes", "true", "1", "oui", "vrai", "y", "x", "✓", "✔", "ja", "j"})  # ticks too
_NO = frozenset({"no", "false", "0", "non", "faux", "n", "nee", "nein"})

SPELLINGS: dict[str, dict[str, str]] = {
    "weekday": {alias: day for day, names in WEEKDAY_NAMES.items() for alias in names},
    "kind": {alias: kind for kind, names in _KIND_NAMES.items() for alias in names},
}
"""Per enum column name, its other spellings (`plain` form) and the schema value each means."""

_DMY_OR_MDY = re.compile(r"^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})$")
_YEAR_FIRST = re.compile(r"^([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})$")
_PADDED_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def plain(text: str) -> str:
    """`text` without accents, case, a final dot or inner spaces: `À éviter` -> `a_eviter`."""
    stripped = unicodedata.normalize("NFKD", text.strip().lower().rstrip("."))
    letters = "".join(c for c in stripped if not unicodedata.combining(c))
    return re.sub(r"[\s_'-]+", "_", letters)


def enum_value(column: str, typed: str, choices: tuple[str, ...]) -> str | None:
    """The schema value that `typed` stands for in an enum column named `column`, or None:
    itself in any case, with spaces or `-` for `_` (`Available only`, `Tue.`), or one of
    the column's other spellings."""
    if plain(typed) in choices:
        return plain(typed)
    meant = SPELLINGS.get(column, {}).get(plain(typed))
    return meant if meant in choices else None


def spelling_hint(column: str, typed: str) -> str:
    """What to add to the error of an unknown value `typed` in an enum column: the other
    spellings its column reads, in words (a Flemish audit's `onbeschikbaar` and `di` were told
    only the schema's English values)."""
    if column == "weekday":
        return weekday_hint(typed)
    if column == "kind":
        return "; a kind may also be typed in French, Dutch or German (indisponible, niet beschikbaar, nicht verfügbar, ...)"
    return ""


def yes_or_no(typed: str) -> bool | None:
    """True for yes in English, French, Dutch or German, `y` or a tick (`x`, `✓`); False for
    no, `n`; None for anything else."""
    text = typed.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


_DAY_FIRST: ContextVar[bool] = ContextVar("day_first", default=False)

#: regions of English that write dates month first (`en` alone says none: both refused)
_MONTH_FIRST_ENGLISH = frozenset({"", "us", "ca", "ph"})


def writes_day_first(language: str | None) -> bool:
    """Whether people of `language` (`fr`, `fr-CH`, `en-GB`) write 03/04/2027 for 3 April (an
    audit: a Swiss manager's text dates were refused whenever the day was 12 or less)."""
    if not language or not language.strip():
        return False
    primary, _, region = language.strip().lower().replace("_", "-").partition("-")
    return primary != "en" or region not in _MONTH_FIRST_ENGLISH


@contextmanager
def day_first(on: bool) -> Iterator[None]:
    """Read dates that read both ways (`03/04/2027`) day first while `on`."""
    token = _DAY_FIRST.set(on)
    try:
        yield
    finally:
        _DAY_FIRST.reset(token)


def day_month_year(text: str) -> dt.date | None:
    """The date written `29/09/2026`, `29.09.2026`, `09-29-2026` or `2026/09/29`, or None if
    not so written.

    Day first or month first, whichever reading is a date; when both are dates and differ
    (`03/10/2026`), day first under `day_first`, else ValueError; ValueError when neither is.
    """
    year_first = _YEAR_FIRST.match(text.strip())  # `2026/09/29`: one reading (an audit)
    if year_first is not None and _PADDED_ISO.match(text.strip()):
        return None  # `2026-09-29` is ISO's, said by the ISO readers' own words
    if year_first is not None:
        try:
            return dt.date(int(year_first[1]), int(year_first[3]), int(year_first[4]))
        except ValueError:
            raise ValueError(f"{text.strip()!r} is not a valid date") from None
    parts = _day_and_month(text)
    if parts is None:
        return None
    first, second, year = parts
    readings = set()
    for day, month in ((first, second), (second, first)):
        try:
            readings.add(dt.date(year, month, day))
        except ValueError:
            continue
    if not readings:
        raise ValueError(f"{text.strip()!r} is not a valid date")
    if len(readings) > 1 and _DAY_FIRST.get():
        return dt.date(year, second, first)
    if len(readings) > 1:
        a, b = sorted(readings)
        raise ValueError(
            f"{text.strip()!r} could be {a.isoformat()} or {b.isoformat()}: type it as "
            "YYYY-MM-DD (or in a cell formatted as a date)"
        )
    return readings.pop()


class DateTextError(ValueError):
    """A text of a column of dates that cannot be read, `text` naming it."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text


def dates_in_one_order(texts: list[str]) -> dict[str, dt.date]:
    """Each of `texts` (a column of dates, ISO or `14/09/2027`, as a spreadsheet saved them)
    as a date, day/month or month/day read alike for the whole column: the one a text that
    has a single reading says (`14/09/2027`: day first), so that `03/10/2027` beside it is
    read so too.

    Raises:
        DateTextError: a text that is no date, a column mixing both orders, or one whose every
            such date reads both ways (the text named).
    """
    found: dict[str, dt.date] = {}
    pending: list[tuple[str, int, int, int]] = []
    orders: dict[str, str] = {}  # the order -> the first text saying it
    for text in texts:
        parts = _day_and_month(text)
        if parts is None:
            found[text] = _one_date(text)
            continue
        pending.append((text, *parts))
        first, second, _ = parts
        if first > 12 >= second:
            orders.setdefault("day first", text)
        elif second > 12 >= first:
            orders.setdefault("month first", text)
    if not orders and all(first == second for _, first, second, _ in pending):
        orders["day first"] = pending[0][0] if pending else ""  # 05/05: one reading
    if pending and len(orders) != 1:
        said = "both day first and month first" if orders else "either way"
        text = max(orders.values(), key=texts.index) if orders else pending[0][0]
        raise DateTextError(
            text, f"dates written as {text.strip()!r} read {said}: save the dates as YYYY-MM-DD"
        )
    day_first = "day first" in orders
    for text, first, second, year in pending:
        day, month = (first, second) if day_first else (second, first)
        try:
            found[text] = dt.date(year, month, day)
        except ValueError:
            raise DateTextError(text, f"{text.strip()!r} is not a valid date") from None
    return found


def _day_and_month(text: str) -> tuple[int, int, int] | None:
    """The two numbers and the year of a date written `14/09/2027` (or with `.` or `-`)."""
    match = _DMY_OR_MDY.match(text.strip())
    return None if match is None else (int(match[1]), int(match[3]), int(match[4]))


def _one_date(text: str) -> dt.date:
    """A date written `2027-09-14` or `2027/09/14`."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        try:
            day = day_month_year(text)
        except ValueError as err:
            raise DateTextError(text, str(err)) from None
        if day is None:
            raise DateTextError(text, f"{text.strip()!r} is not a date") from None
        return day
