"""Small value types shared by the instance models: ids, weekdays and clock times."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, time
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, StringConstraints

ID_PATTERN = r"^[A-Za-z0-9_.-]+$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
#: the longest id of a group, teacher, room or site: each names a calendar file
#: (`teacher-<id>.ics`, a student's `student-<group>+<group>.ics`), first written as a temporary
#: `.teacher-<id>.ics.XXXXXXXX.tmp` beside it, and a file name holds at most 255 bytes (an id's
#: characters are ASCII: one byte each). An audit's 240-character teacher id passed, then the
#: export failed with "File name too long".
MAX_FILE_ID = 255 - len(".teacher-.ics.XXXXXXXX.tmp")


def shortened(text: str, keep: int = 24) -> str:
    """`text`, or its first `keep` characters and '…' when it is longer than `keep` + 8."""
    return text if len(text) <= keep + 8 else text[:keep] + "…"


def _fits_a_file_name(value: str) -> str:
    """Refuse an id too long to name the calendar file of its entity."""
    if len(value) > MAX_FILE_ID:
        raise ValueError(
            f"{len(value)} characters, at most {MAX_FILE_ID} (the id names the entity's "
            "calendar file): shorten it"
        )
    return value


#: the id of a group, teacher, room or site, which names a file of the exports
FileId = Annotated[Id, AfterValidator(_fits_a_file_name)]


def _one_feature(value: str) -> str:
    """Refuse a room feature holding a list separator: a workbook's cell lists features
    separated by `;`, commas or line breaks, so `tables, movable` came back from a workbook
    as two features, and a series needing `tables` could then use the room (an audit)."""
    if not value.strip():
        raise ValueError("an empty feature: give a word or drop it")
    separator = next((c for c in ",;\n\r" if c in value), None)
    if separator is not None:
        shown = {",": "a comma", ";": "a semicolon"}.get(separator, "a line break")
        parts = [p.strip() for p in re.split(r"[,;\r\n]", value) if p.strip()]
        raise ValueError(
            f"{value!r} holds {shown}, which separates features in a workbook: give one feature "
            f"per item ({', '.join(repr(p) for p in parts)}), or join its words with '_'"
        )
    return value


#: a room's feature, or one a series needs: a word or words, without a list separator
Feature = Annotated[str, AfterValidator(_one_feature)]
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"  # a BCP 47 tag: fr, nl-BE


# characters that show nothing, pasted from web pages with a value: zero-width space,
# non-joiner and joiner, word joiner, byte-order mark, soft hyphen
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def not_an_id(typed: str) -> str:
    """Why `typed` is not an id, with the id it may have meant: `'SAT AM' is not a valid id
    (...): did you mean 'SAT-AM'? (ids hold no spaces)`; an invisible character is said."""
    said = f"{typed!r} is not a valid id (unaccented letters A-Z, digits, '_', '.', '-')"
    if "\n" in typed.strip() or "\r" in typed.strip():  # not 'T0-1' for `T0⏎1` (an audit)
        return f"{said}: it holds a line break; type it on one line"
    visible = "".join(c for c in typed if c not in ZERO_WIDTH)
    joined = "-".join(visible.split())
    why = "ids hold no spaces" if " " in typed else "it holds an invisible character"
    if joined != typed and re.match(ID_PATTERN, joined):
        return f"{said}: did you mean {joined!r}? ({why})"
    if typed != "".join(visible.split()):
        return f"{said}: it holds spaces or invisible characters"
    return said


WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "mon": ("monday", "lundi", "lun", "maandag", "maa", "montag", "mo"),
    "tue": ("tuesday", "tues", "mardi", "mar", "dinsdag", "din", "dienstag", "die"),
    "wed": ("wednesday", "mercredi", "mer", "woensdag", "woe", "wo", "mittwoch", "mit", "mi"),
    "thu": ("thursday", "thur", "thurs", "jeudi", "jeu", "donderdag", "don", "do", "donnerstag"),
    "fri": ("friday", "vendredi", "ven", "vrijdag", "vri", "vr", "freitag", "fre", "fr"),
    "sat": ("saturday", "samedi", "sam", "zaterdag", "zat", "za", "samstag", "sonnabend", "sa"),
    "sun": ("sunday", "dimanche", "dim", "zondag", "zon", "zo", "sonntag", "son", "so"),
}
"""Other spellings of each weekday, read in YAML, JSON and workbooks alike: English, French,
Dutch and German (Belgium's languages), in full or abbreviated. Not `ma` nor `di`: Dutch and
German Monday and Tuesday, but French mardi and dimanche (a review: a French `Di` was read as
Tuesday, an availability rule on the wrong day): `AMBIGUOUS_WEEKDAYS` says so."""

AMBIGUOUS_WEEKDAYS = {  # what each reads as, and the days in full to type instead
    "ma": ("maandag (mon) in Dutch but mardi (tue) in French", "maandag, mardi"),
    "di": ("dinsdag or Dienstag (tue) in Dutch and German but dimanche (sun) in French",
           "dinsdag, dimanche"),
}  # fmt: skip


def weekday_hint(typed: str) -> str:
    """What to add to an unknown weekday's error: why `ma` and `di` are refused, else which
    other spellings are read (a Flemish audit saw only `mon ... sun` listed for `di`)."""
    folded = typed.strip().lower().rstrip(".")
    if folded in AMBIGUOUS_WEEKDAYS:
        reads, instead = AMBIGUOUS_WEEKDAYS[folded]
        return (
            f": {typed.strip()!r} is {reads}, so it is not guessed; type the day in full "
            f"({instead}) or as mon ... sun"
        )
    return "; a weekday may also be typed in full or abbreviated in French, Dutch or German"


_WEEKDAY_ALIASES = {alias: day for day, names in WEEKDAY_NAMES.items() for alias in names}


def _folded_weekday(value: object) -> object:
    """`SAT`, ` Sat `, `Saturday`, `samedi` -> `sat`, as the workbook reads them (an audit
    found YAML stricter: `weekday: Friday` was refused there, read in a workbook)."""
    if not isinstance(value, str):
        return value
    folded = value.strip().lower().rstrip(".")
    if folded in AMBIGUOUS_WEEKDAYS:  # said as in a workbook, not as an unknown literal
        raise ValueError(f"unknown weekday {value.strip()!r}{weekday_hint(value)}")
    return _WEEKDAY_ALIASES.get(folded, folded)


Weekday = Annotated[
    Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], BeforeValidator(_folded_weekday)
]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: the time zone an instance that names none is read in (documented; an instance whose
#: holidays are another clock's country must name its own: `validate_timezone.timezone_given`)
DEFAULT_TIMEZONE = "Europe/Brussels"

Moment = tuple[date, time]  # a date and a time of day, in the instance's time zone

# 18:00, 18:00:00, the French 18h00, 18h, 18 h 30 (unambiguous: an audit's manager typed them),
# and the Flemish 18u00, 18u, 18.00 (a Flemish audit's workbook was refused them)
_CLOCK = re.compile(r"^([01]?\d|2[0-3])(?:[:.]([0-5]\d)(?::00)?|\s*[hHuU]\s*([0-5]\d)?)$")


def parse_clock(value: object) -> time:
    """Read a local time written 'HH:MM'; refuse numbers (YAML 1.1 reads 18:00 as 1080)."""
    if isinstance(value, time):
        return value
    if isinstance(value, bool):  # `end: yes`: no number, and no 18:00 read as one
        raise ValueError(
            f"expected a time written as a quoted 'HH:MM' string, got {str(value).lower()} (an "
            "unquoted yes, no, true or false is read as a yes or no)"
        )
    if isinstance(value, (int, float)):
        raise ValueError(
            f"expected a time written as a quoted 'HH:MM' string, got the number {value!r} "
            '(unquoted 18:00 is read as a number by some YAML parsers: write "18:00")'
        )
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match:
            return time(int(match.group(1)), int(match.group(2) or match.group(3) or 0))
    if isinstance(value, str) and re.match(
        r"^24(?:[:.]00(?::00)?|\s*[hHuU](?:\s*00)?)$", value.strip()
    ):
        # an audit's evening slot ending at midnight: times are of one day
        raise ValueError(
            f"expected a time of day 'HH:MM' up to 23:59, got {value!r}: a slot ends on the "
            "day it starts (write '23:59' for midnight)"
        )
    if isinstance(value, list | tuple | dict):  # not its Python form, `[18, 0]` (an audit)
        raise ValueError(
            f"expected a time 'HH:MM', got {'a mapping' if isinstance(value, dict) else 'a list'}"
        )
    raise ValueError(f"expected a time 'HH:MM', got {value!r}")


Clock = Annotated[time, BeforeValidator(parse_clock)]


def weekday_of(day_number: int) -> Weekday:
    """Map Python's `date.weekday()` (Monday = 0) to a weekday id."""
    return WEEKDAYS[day_number]


def minutes(value: time) -> int:
    """Minutes since midnight."""
    return value.hour * 60 + value.minute


def known_values(value: str, known: Iterable[str]) -> str:
    """`(known: MONS, NAMUR)`: the first 16 known values sorted; when there are more, the
    closest spelling of `value` among them first, if one is close
    (`(did you mean 'N-S21'? known: ...)`)."""
    names = sorted(set(known))
    shown = ", ".join(names[:16]) + (", ..." if len(names) > 16 else "")
    close = closest_spelling(value, names)
    guess = f"did you mean '{close}'? " if close and close not in names[:16] else ""
    return f"({guess}known: {shown or 'none'})"


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """` (did you mean 'UE4-paris-04'?)` when a known value is a close spelling of `value`,
    else '': for ids too many to list (sessions)."""
    close = closest_spelling(value, known)
    return f" (did you mean '{close}'?)" if close else ""


def closest_spelling(value: str, known: Iterable[str]) -> str | None:
    """The known value closest in spelling to `value`, if one is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.7)
    return close[0] if close else None


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """`1 session`, `3 sessions`, `2 session slots`: a count with its noun agreeing."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"
