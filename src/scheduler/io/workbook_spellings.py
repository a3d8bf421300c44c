"""Other spellings people type in an instance workbook, read as the schema's own values.

A programme manager types `mardi` or `Tuesday` for the weekday `tue`, `indisponible` for the
rule kind `unavailable`, `x` in a yes/no column, or `29/09/2026` in a cell formatted as text.
The template's dropdowns and date cells prevent most of these in Excel, not in a copy pasted
from elsewhere or in another spreadsheet program. A date written day/month/year or
month/day/year is read only when one reading is a date, or both are the same day: `03/04/2027`
is refused, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_WEEKDAY_NAMES = {
    "mon": ("monday", "lundi", "lun", "maandag"),
    "tue": ("tuesday", "mardi", "mar", "dinsdag"),
    "wed": ("wednesday", "mercredi", "mer", "woensdag"),
    "thu": ("thursday", "jeudi", "jeu", "donderdag"),
    "fri": ("friday", "vendredi", "ven", "vrijdag"),
    "sat": ("saturday", "samedi", "sam", "zaterdag"),
    "sun": ("sunday", "dimanche", "dim", "zondag"),
}
_KIND_NAMES = {
    "unavailable": ("indisponible", "non_disponible", "pas_disponible", "absent", "absente"),
    "available_only": ("disponible_uniquement", "uniquement_disponible", "disponible_seulement"),
    "avoid": ("eviter", "a_eviter"),
}
_YES = frozenset({"x", "✓", "✔", "y"})  # a tick, or y(es)
_NO = frozenset({"n"})

SPELLINGS: dict[str, dict[str, str]] = {
    "weekday": {alias: day for day, names in _WEEKDAY_NAMES.items() for alias in names},
    "kind": {alias: kind for kind, names in _KIND_NAMES.items() for alias in names},
}
"""Per enum column name, its other spellings (`plain` form) and the schema value each means."""

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def plain(text: str) -> str:
    """`text` without accents, case, a final dot or inner spaces: `À éviter` -> `a_eviter`."""
    stripped = unicodedata.normalize("NFKD", text.strip().lower().rstrip("."))
    letters = "".join(c for c in stripped if not unicodedata.combining(c))
    return re.sub(r"[\s_'-]+", "_", letters)


def enum_value(column: str, typed: str, choices: tuple[str, ...]) -> str | None:
    """The schema value that `typed` stands for in an enum column named `column`, or None."""
    if typed.strip().lower() in choices:
        return typed.strip().lower()
    meant = SPELLINGS.get(column, {}).get(plain(typed))
    return meant if meant in choices else None


def yes_or_no(typed: str) -> bool | None:
    """True for a tick or a one-letter yes, False for `n`; None for anything else."""
    text = typed.strip().lower()
    return True if text in _YES else False if text in _NO else None


def day_month_year(text: str) -> dt.date | None:
    """The date written `29/09/2026` (or with `.` or `-`), day first or month first when only
    one reading is a date; None when `text` is not written so. ValueError when both readings
    are dates and differ."""
    match = _DAY_FIRST.match(text.strip())
    if match is None:
        return None
    first, second, year = (int(g) for g in match.groups())
    readings = set()
    for day, month in ((first, second), (second, first)):
        try:
            readings.add(dt.date(year, month, day))
        except ValueError:
            continue
    if not readings:
        raise ValueError(f"{text.strip()!r} is not a valid date")
    if len(readings) > 1:
        a, b = sorted(readings)
        raise ValueError(
            f"{text.strip()!r} could be {a.isoformat()} or {b.isoformat()}: type it as "
            "YYYY-MM-DD (or in a cell formatted as a date)"
        )
    return readings.pop()
