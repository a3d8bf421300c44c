"""Workbook errors: each bad cell is reported as `Sheet!C7: ...` with the value; nothing is dropped.

Every case starts from instances/tiny.yaml written as a workbook. Its rows (data from row 3):
Teachers T1 T2 T3 V1 (rows 3-6); Groups COHORT OPT-A OPT-B; UEs and Sessions UE1-UE4;
Sites & rooms M-A M-B (MONS) N-A (NAMUR); Availability T2 sat, V1 available_only; one closure,
fixed event, pin and precedence.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from scheduler.cli import cli
from scheduler.errors import InputError, InputWarning
from scheduler.io.instance_io import load_instance
from scheduler.io.workbook import read_workbook, workbook_bytes
from tests.conftest import TINY

Mutation = Callable[[Any], None]
P = "Programme & calendar"
S = "Sites & rooms"


@pytest.fixture(scope="module")
def tiny_xlsx() -> bytes:
    return workbook_bytes(load_instance(TINY))


def _cells(*changes: tuple[str, str, object]) -> Mutation:
    def mutate(book: Any) -> None:
        for sheet, coordinate, value in changes:
            book[sheet][coordinate] = value

    return mutate


def _row(sheet: str, number: int, *values: object) -> Mutation:
    def mutate(book: Any) -> None:
        for column, value in enumerate(values, start=1):
            book[sheet].cell(number, column, value)

    return mutate


def _general(cell: Any, value: object) -> None:
    """`value` in `cell` formatted General (pasted, or computed by a formula)."""
    cell.value = value
    cell.number_format = "General"


def _chart_sheet(book: Any, name: str) -> None:
    from openpyxl.chart import BarChart

    book.create_chartsheet(name).add_chart(BarChart())


def _delete_rows(sheet: str, number: int) -> Mutation:
    return lambda book: book[sheet].delete_rows(number)


def _new_sheet(name: str) -> Mutation:
    return lambda book: book.create_sheet(name)


def _remove_sheet(name: str) -> Mutation:
    return lambda book: book.remove(book[name])


CASES: list[tuple[str, Mutation, str]] = [
    # --- unknown references, with the known ids ---
    (
        "unknown home site (the issue's example)",
        _row("Teachers", 7, "T4", "Paul", "NAMURR"),
        "Teachers!C7: unknown site 'NAMURR' (known: MONS, NAMUR)",
    ),
    (
        "unknown slot in a closure",
        _cells(("Closures", "D3", "SUN-AM")),
        "Closures!D3: unknown slot 'SUN-AM' (known: SAT-AM, SAT-PM, THU-EVE, TUE-EVE)",
    ),
    (
        "unknown group in a list",
        _cells(("UEs", "E4", "OPT-A; OPT-Z")),
        "UEs!E4: unknown group 'OPT-Z' (known: COHORT, OPT-A, OPT-B)",
    ),
    (
        # said at the UE's cell the audit emptied, not at the series' untouched one, with
        # the workbook's '-' for a series no group attends (not YAML's `groups: []`)
        "a UE's groups emptied",
        _cells(("UEs", "E3", None)),
        "UEs!E3: ue 'UE1' groups: no attending group for its series 'main' (set groups on the "
        "UE or the series; '-' in its groups on sheet Sessions if no student group attends it)",
    ),
    (
        "unknown teacher in a series override",
        _cells(("Sessions", "G5", "T1; T7")),
        "Sessions!G5: unknown teacher 'T7' (known: T1, T2, T3, V1)",
    ),
    (
        "unknown site of a UE",
        _cells(("UEs", "F3", "LIEGE")),
        "UEs!F3: unknown site 'LIEGE' (known: MONS, NAMUR)",
    ),
    (
        "unknown parent group",
        _cells(("Groups", "D4", "COHROT")),
        "Groups!D4: unknown group 'COHROT' (known: COHORT, OPT-A, OPT-B)",
    ),
    (
        "unknown UE of a series",
        _cells(("Sessions", "A4", "UE9")),
        "Sessions!A4: unknown ue 'UE9' (known: UE1, UE2, UE3, UE4)",
    ),
    (
        "unknown teacher of a rule",
        _cells(("Availability", "A3", "T9")),
        "Availability!A3: unknown teacher 'T9' (known: T1, T2, T3, V1)",
    ),
    (
        "unknown room of a rule",
        _row("Availability", 5, None, "N-Z", "unavailable", None, None, None, "tue"),
        "Availability!B5: unknown room 'N-Z' (known: M-A, M-B, N-A)",
    ),
    (
        "room of an event at another site",
        _cells(("Fixed events", "D3", "M-A")),
        "'Fixed events'!D3: room 'M-A' is at MONS, not at the event's site NAMUR (its rooms: N-A); "
        "row of event ACCUEIL",
    ),
    (
        "unknown slot of a pin",
        _cells(("Pins", "C3", "MON-AM")),
        "Pins!C3: unknown slot 'MON-AM' (known: SAT-AM, SAT-PM, THU-EVE, TUE-EVE)",
    ),
    (
        "unknown session of a pin",
        _cells(("Pins", "A3", "UE1-main-03")),
        "Pins!A3: unknown session 'UE1-main-03'",
    ),
    (
        "unknown precedence target",
        _cells(("Precedences", "B3", "UE9")),
        "Precedences!B3: unknown UE, series, session or fixed event 'UE9'",
    ),
    (
        "unknown soft rule",
        _row("Weights", 3, "weekly_lod", 5),
        "Weights!A3: unknown rule 'weekly_lod' (known: half_saturday, ",
    ),
    (
        "unknown weekday",
        _cells(("Slots", "B3", "tuez")),
        "Slots!B3: unknown weekday 'tuez' (known: fri, mon, sat, sun, thu, tue, wed)",
    ),
    (
        # a Flemish audit's `di` was told only the English values
        "a weekday two spellings read as two days",
        _cells(("Availability", "G3", "di")),
        "Availability!G3: unknown weekday 'di' (known: fri, mon, sat, sun, thu, tue, wed): 'di' "
        "is dinsdag or Dienstag (tue) in Dutch and German but dimanche (sun) in French, so it is "
        "not guessed; type the day in full (dinsdag, dimanche) or as mon ... sun",
    ),
    (
        "an availability kind misspelt in Dutch",
        _cells(("Availability", "C3", "onbeschikbaar")),
        "Availability!C3: unknown kind 'onbeschikbaar' (known: available_only, avoid, "
        "unavailable); a kind may also be typed in French, Dutch or German (indisponible, niet "
        "beschikbaar, nicht verfügbar, ...)",
    ),
    (
        "unknown kind of rule",
        _cells(("Availability", "C3", "busy")),
        "Availability!C3: unknown kind 'busy' (known: available_only, avoid, unavailable)",
    ),
    # --- duplicates ---
    (
        "duplicate group id",
        _cells(("Groups", "A5", "OPT-A")),
        "Groups!A5: duplicate group id 'OPT-A' (also Groups!A4)",
    ),
    (
        "duplicate teacher id",
        _row("Teachers", 7, "T2", "Autre"),
        "Teachers!A7: duplicate teacher id 'T2' (also Teachers!A4)",
    ),
    (
        "duplicate teacher id that other sheets refer to",  # T2's availability named it before
        _cells(("Teachers", "A4", "T1")),
        "Teachers!A4: duplicate teacher id 'T1' (also Teachers!A3)",
    ),
    (
        "duplicate ue id",
        _cells(("UEs", "A4", "UE1")),
        "UEs!A4: duplicate ue id 'UE1' (also UEs!A3)",
    ),
    (
        "duplicate room id whose lost room another sheet names",  # an audit got 'unknown room'
        _cells(
            (S, "D4", "M-A"),
            ("Availability", "B5", "M-B"),
            ("Availability", "C5", "unavailable"),
            ("Availability", "I5", "tue"),
        ),
        "'Sites & rooms'!D4: duplicate room id 'M-A' (also 'Sites & rooms'!D3)",
    ),
    (
        "duplicate room id across sites",
        _cells((S, "D5", "M-A")),
        "'Sites & rooms'!D5: duplicate room id 'M-A' (also 'Sites & rooms'!D3)",
    ),
    (
        "duplicate series of a UE",
        _row("Sessions", 7, "UE1", "main", 1),
        "Sessions!B7: ue 'UE1': duplicate series 'main' (also Sessions!B3)",
    ),
    (
        "duplicate weight",
        lambda b: (_row("Weights", 3, "ue_gap", 1)(b), _row("Weights", 4, "ue_gap", 2)(b)),
        "Weights!A4: duplicate rule 'ue_gap' (also Weights!A3)",
    ),
    (
        "duplicate key",
        _row(P, 14, "name", "autre"),
        "'Programme & calendar'!A14: duplicate key 'name' (also 'Programme & calendar'!A2)",
    ),
    (
        "duplicate column",
        _cells(("Teachers", "F1", "email")),
        "Teachers!F1: duplicate column 'email' (also Teachers!D1)",
    ),
    (
        "conflicting site names",
        _cells((S, "B4", "Autre nom")),
        "'Sites & rooms'!B4: site 'MONS' already has name 'UMONS' ('Sites & rooms'!B3)",
    ),
    # --- nothing silently dropped ---
    (
        "unknown column",
        _cells(("Teachers", "F1", "phone")),
        "Teachers!F1: unknown column 'phone' "
        "(known: id, name, home_site, email, max_sessions_per_week); a column of notes is "
        "headed '# ...' (e.g. '# phone')",
    ),
    (  # said when read, naming both rows, as other duplicates (an audit: only at solve)
        "a session pinned twice to two dates",
        _row("Pins", 4, "UE1-main-01", "2026-09-17"),
        "Pins!B4: session 'UE1-main-01' is pinned twice, to different places (date 2026-09-15 "
        "and 2026-09-17; also Pins!B3): keep one pin",
    ),
    (  # two ids or one: both said, not only 'T1-T2' (an audit)
        "ids separated by a space",
        _cells(("UEs", "D3", "T1 T2")),
        "UEs!D3: teachers: 'T1 T2' is not a valid id: if it is 2 ids, separate them with ';' "
        "(T1; T2); an id holds no spaces (T1-T2?)",
    ),
    (
        "a line break inside an id",
        _cells(("Teachers", "A3", "T\n1")),
        "Teachers!A3: id: 'T\\n1' is not a valid id (unaccented letters A-Z, digits, '_', '.', "
        "'-'): it holds a line break; type it on one line",
    ),
    (
        "a negative count typed as text",
        _cells(("Sessions", "C3", "-3")),
        "Sessions!C3: count: must be at least 1, got -3",
    ),
    (
        "misspelt column",
        _cells(("Teachers", "E1", "max_session_per_week")),
        "Teachers!E1: unknown column 'max_session_per_week' (did you mean "
        "'max_sessions_per_week'? known: id, name, home_site, email, max_sessions_per_week)",
    ),
    (
        "value in a column without a name",
        _cells(("Teachers", "H4", "note")),
        "Teachers!H4: value 'note' in a column without a name in row 1",
    ),
    (
        "unknown key",
        _row(P, 14, "calendar.stat", dt.date(2026, 9, 1)),
        "'Programme & calendar'!A14: unknown key 'calendar.stat'",
    ),
    (
        "value without a key",
        _cells((P, "B21", "orphan")),
        "'Programme & calendar'!B21: value 'orphan' without a key",
    ),
    (
        "a sheet renamed with a typo (its data would be lost)",
        lambda book: setattr(book["Pins"], "title", "Pin"),
        "unknown sheet 'Pin': is it 'Pins'? rename it",
    ),
    (
        "a copy left after deleting the sheet it copied",
        lambda book: setattr(book["Weights"], "title", "Weights (2)"),
        "unknown sheet 'Weights (2)': is it 'Weights'? rename it",
    ),
    ("missing required sheet", _remove_sheet("Slots"), "no sheet 'Slots'"),
    (
        "room fields without a room",
        _row(S, 6, "NAMUR", None, None, None, "Salle B", 20),
        "'Sites & rooms'!D6: room: empty, but room_name is given",
    ),
    (
        "formula never computed",
        _cells(("Groups", "C3", "=10+10")),
        "Groups!C3: formula without a computed value",
    ),
    # --- empty required cells ---
    (
        "empty required cell",
        _cells(("Groups", "C4", None)),
        "Groups!C4: size: required value is empty",
    ),
    (
        "empty required key",
        _cells((P, "B5", None)),
        "'Programme & calendar'!B5: calendar.start: required value is empty",
    ),
    (
        "missing required column",
        _cells(
            ("Fixed events", "F1", None), ("Fixed events", "F2", None), ("Fixed events", "F3", None)
        ),
        "'Fixed events'!A1: missing column 'start' (no such header in row 1)",
    ),
    (
        "room without capacity",
        _cells((S, "F4", None)),
        "'Sites & rooms'!F4: capacity: required value is empty (for a room)",
    ),
    (  # an audit: said as an empty site cell, A3, where size or count is a missing column
        "missing room column",
        lambda book: book[S].delete_cols(6),
        "'Sites & rooms'!A1: missing column 'capacity' (no such header in row 1)",
    ),
    (
        "half a window",
        _cells(("UEs", "G3", dt.date(2026, 9, 15))),
        "UEs!H3: window_to: empty while window_from is set (give both or neither)",
    ),
    (
        "rule of nobody",
        _cells(("Availability", "A3", None)),
        "Availability!A3: teacher: empty, and so is room: give one of them",
    ),
    (
        "series rule of an unknown series",
        _row(
            "Availability", 5, None, None, "unavailable", None, None, None, "tue", None, "UE1", "x"
        ),
        "Availability!J5: ue 'UE1' has no series 'x' (known: main)",
    ),
    (
        "series rule that is not an unavailability",
        _row("Availability", 5, None, None, "avoid", None, None, None, "tue", None, "UE1"),
        "Availability!C5: a series rule is always 'unavailable', got 'avoid'",
    ),
    (
        "unknown slot in a series rule",
        _row("Availability", 5, None, None, "unavailable", None, None, None, None, "SUN", "UE1"),
        "Availability!H5: unknown slot 'SUN' (known: SAT-AM, SAT-PM, THU-EVE, TUE-EVE)",
    ),
    (
        "series without its ue",
        _cells(("Availability", "C5", "unavailable"), ("Availability", "J5", "main")),
        "Availability!I5: ue: empty while series is set",
    ),
    (
        "rule of a teacher and a series",
        _cells(("Availability", "I3", "UE1")),
        "Availability!I3: ue: give a teacher, a room or a series, not several",
    ),
    (
        "negative series size",
        _cells(("Sessions", "M3", -1)),
        "Sessions!M3: size: must be at least 0, got -1",
    ),
    (
        "unknown room capacity mode",
        _cells((P, "B16", "medium")),
        "'Programme & calendar'!B16: unknown preferences.room_capacity 'medium' (known: hard, soft)",
    ),
    (
        "UE without series",
        _delete_rows("Sessions", 6),
        "UEs!A6: ue 'UE4' has no series: add a row on sheet Sessions (a UE without sessions, "
        "such as an internship or the thesis, is not timetabled: leave its row out, or keep it "
        "on a sheet of your own)",
    ),
    # --- types ---
    (
        "calendar date typed as text",
        _cells((P, "B6", "26 sept. 2026")),
        "'Programme & calendar'!B6: calendar.end: date typed as text '26 sept. 2026'",
    ),
    (
        # day first or month first: both are dates, and neither is guessed
        "an ambiguous date typed as text",
        _cells((P, "B6", "03/10/2026"), (P, "B20", "en")),  # English: no order to go by
        "'Programme & calendar'!B6: calendar.end: '03/10/2026' could be 2026-03-10 or "
        "2026-10-03: type it as YYYY-MM-DD (or in a cell formatted as a date)",
    ),
    (
        "a date with two separators",
        _cells((P, "B6", "26/09.2026")),
        "'Programme & calendar'!B6: calendar.end: date typed as text '26/09.2026'",
    ),
    (
        "no date either way",
        _cells((P, "B6", "31/31/2026")),
        "'Programme & calendar'!B6: calendar.end: '31/31/2026' is not a valid date",
    ),
    (
        "date with a time",
        _cells(("Pins", "B3", dt.datetime(2026, 9, 15, 10, 30))),
        "Pins!B3: date: expected a date without a time, got 2026-09-15 10:30:00",
    ),
    (
        "number as text",
        _cells(("Groups", "C3", "20 students")),
        "Groups!C3: size: expected a whole number, got the text '20 students'",
    ),
    (
        "fraction for a count",
        _cells(("Sessions", "C3", 1.5)),
        "Sessions!C3: count: expected a whole number, got 1.5",
    ),
    (
        "below the minimum",
        _cells((S, "F4", 0)),
        "'Sites & rooms'!F4: capacity: must be at least 1, got 0",
    ),
    (  # the id without its space suggested (an audit's closure of slot 'SAT AM')
        "invalid id",
        _cells(("Teachers", "A3", "T 1")),
        "Teachers!A3: id: 'T 1' is not a valid id (unaccented letters A-Z, digits, '_', '.', "
        "'-'): did you mean 'T-1'? (ids hold no spaces)",
    ),
    (
        "an accented id",
        _cells(("Teachers", "A3", "Tél1")),
        "Teachers!A3: id: 'Tél1' is not a valid id (unaccented letters A-Z, digits",
    ),
    (
        "a value typed in the help row",
        _cells(("Teachers", "A2", "T10")),
        "Teachers!A2: 'T10' is in row 2, the help row: data starts on row 3",
    ),
    (
        "invalid id in a list",
        _cells(("UEs", "D3", "T1; T 2")),
        "UEs!D3: teachers: 'T 2' is not a valid id",
    ),
    (
        "bad time text",
        _cells(("Slots", "C3", "25:00")),
        "Slots!C3: start: expected a time 'HH:MM', got '25:00'",
    ),
    # 18 typed in a cell formatted hh:mm is read as 18 days after Excel's epoch
    (
        "a number for a time",
        _cells(("Slots", "C3", 18)),
        "Slots!C3: start: expected a time HH:MM, got the number 18: type 18:00",
    ),
    (  # and after the 1904 date system's epoch in an old Mac workbook
        "a number for a time in a 1904 workbook",
        lambda b: (setattr(b, "epoch", CALENDAR_MAC_1904), _cells(("Slots", "C3", 18))(b)),
        "Slots!C3: start: expected a time HH:MM, got the number 18: type 18:00",
    ),
    (
        "a number past 31 for a time",
        _cells(("Slots", "C3", 35)),
        "Slots!C3: start: expected a time HH:MM, got the number 35: type HH:MM",
    ),
    (
        "a fraction for a time",
        _cells(("Slots", "C3", 9.5)),
        "Slots!C3: start: expected a time HH:MM, got the number 9.5: type HH:MM",
    ),
    (
        "bad date in a list",
        _cells(("Fixed events", "E3", "2026-09-19; 19 sept")),
        "'Fixed events'!E3: dates: '19 sept' is not a date YYYY-MM-DD",
    ),
    (
        "an ambiguous date in a list",
        _cells(("Fixed events", "E3", "2026-09-19; 09/10/2026"), (P, "B20", "en-US")),
        "'Fixed events'!E3: dates: '09/10/2026' could be 2026-09-10 or 2026-10-09: type it as "
        "YYYY-MM-DD (or in a cell formatted as a date)",
    ),
    (
        "a weekday in another language than ours",
        _cells(("Slots", "B3", "martes")),
        "Slots!B3: unknown weekday 'martes' (known: fri, mon, sat, sun, thu, tue, wed)",
    ),
    (
        "bad yes/no",
        _cells(("UEs", "J3", "maybe")),
        "UEs!J3: even_spread: expected yes or no, got the text 'maybe'",
    ),
    (
        "date in a text column",
        _cells(("Closures", "E3", dt.date(2026, 9, 19))),
        "Closures!E3: reason: expected text, got the date 2026-09-19",
    ),
    # --- errors found by the instance model, located back at the cell ---
    (
        "slot ending before it starts",
        _cells(("Slots", "D3", dt.time(17, 0))),
        "Slots!D3: end 17:00 is not after start 18:00",
    ),
    (
        "range ending before it starts",
        _cells(("Availability", "F4", dt.date(2026, 9, 1))),
        "Availability!F4: 'to' 2026-09-01 is before 'from' 2026-09-22",
    ),
    (
        "empty availability rule",
        _cells(("Availability", "G3", None)),
        "Availability!A3: a rule needs at least one of date, from, to, weekday, slots",
    ),
    (
        "no room has the feature",
        _cells(("Sessions", "E3", "lab")),
        "Sessions!E3: ue 'UE1' series 'main' room_features: no room has feature 'lab'",
    ),
    (
        "too many students",
        _cells(("Groups", "C3", 40)),
        "Sessions!H3: ue 'UE1' series 'main' groups: 40 students (groups COHORT (40)) fit no "
        "allowed room",
    ),
    (
        "group tree cycle",
        _cells(("Groups", "D3", "OPT-A")),
        "Groups!D3: group 'COHORT' part_of: the groups form a cycle",
    ),
    (
        "pin on a day without teaching",
        _cells(("Pins", "B3", dt.date(2026, 9, 16))),
        "Pins!B3: pin of session 'UE1-main-01' date: 2026-09-16 is a Wednesday, not a teaching day",
    ),
    (
        "precedence on itself",
        _cells(("Precedences", "B3", "UE1")),
        "Precedences!A3: 'UE1' cannot precede itself",
    ),
    (
        "unknown time zone",
        _cells((P, "B4", "Mars/Olympus")),
        "'Programme & calendar'!B4: timezone: unknown time zone 'Mars/Olympus'",
    ),
    (
        "overlapping slots",
        _cells(("Slots", "B4", "tue")),
        "Slots!A3: calendar.slots: slot 'TUE-EVE' overlaps slot 'THU-EVE'",
    ),
    (
        "unknown session out of order",
        _cells((P, "B17", "UE9-main-01")),
        "'Programme & calendar'!B17: reordered: unknown session 'UE9-main-01'",
    ),
    (  # at its own cell: an audit's wrong subdivision was shown at the country's
        "a subdivision the holidays package lacks",
        _cells((P, "B8", "Walloon")),
        "'Programme & calendar'!B8: calendar public_holidays (country BE, subdiv Walloon): "
        "Entity `BE` does not have subdivision Walloon",
    ),
    (
        "a language the holidays package lacks",
        _cells((P, "B10", "zz")),
        "'Programme & calendar'!B10: calendar public_holidays: language 'zz' unknown for BE",
    ),
    (
        "a country the holidays package lacks",
        _cells((P, "B7", "XX")),
        "'Programme & calendar'!B7: calendar public_holidays (country XX, subdiv French): ",
    ),
    (
        # a one-day absence typed once across from:to would read as 'from that day on'
        "a value merged across two columns that both hold data",
        lambda b: (
            _cells(("Availability", "E3", dt.date(2026, 9, 19)))(b),
            b["Availability"].merge_cells("E3:F3"),
        ),
        "Availability!F3: cells E3:F3 are merged across columns: unmerge them and type each "
        "column's value",
    ),
    (  # an audit's room got the feature 'features' from a header merged down to it
        "the header merged down into a data row",
        lambda b: (_cells((S, "G2", None), (S, "G3", None))(b), b[S].merge_cells("G1:G3")),
        "'Sites & rooms'!G3: cells G1:G3 merge row 1 (the header) into the data: unmerge them",
    ),
    (  # the header's text is no entity: an audit's "row of before before, after UE-INTL"
        "the header merged down into a data row names the row by its own cells",
        lambda b: (_cells(("Precedences", "A2", None))(b), b["Precedences"].merge_cells("A1:A3")),
        "Precedences!A3: cells A1:A3 merge row 1 (the header) into the data: unmerge them; "
        "row of after UE4",
    ),
    (
        "the help row merged down into a data row",
        lambda b: (_cells(("UEs", "B3", None))(b), b["UEs"].merge_cells("B2:B3")),
        "UEs!B3: cells B2:B3 merge row 2 (the help) into the data: unmerge them",
    ),
    (
        "a date's day number in a cell not formatted as a date",
        lambda b: _general(b["Pins"]["B3"], (dt.date(2026, 9, 15) - dt.date(1899, 12, 30)).days),
        "Pins!B3: date: expected a date, got the number 46280 (the date 2026-09-15 in a cell "
        "not formatted as a date?)",
    ),
    (
        "a time's fraction of a day in a cell not formatted as a time",
        lambda b: _general(b["Slots"]["C3"], 0.75),
        "Slots!C3: start: expected a time HH:MM, got the number 0.75 (the time 18:00 in a cell "
        "not formatted as a time?)",
    ),
    (  # a negative number in a date cell read as 1899-12-29 (an audit)
        "a negative number in a date cell",
        _cells(("Pins", "B3", -1)),
        "Pins!B3: date: expected a date, got the number -1 in a cell formatted as a date: type "
        "the date as YYYY-MM-DD",
    ),
    (  # a date cleared with 0: the reader gives the time 00:00, said as typed (an audit)
        "a zero in a date cell",
        _cells(("Pins", "B3", 0)),
        "Pins!B3: date: expected a date, got the number 0 (or the time 00:00) in a cell "
        "formatted as a date or a time: type the date as YYYY-MM-DD",
    ),
    (  # and in a cell of dates (a list): it was "expected text, got the time 00:00:00"
        "a zero in a cell of dates",
        _cells(("Fixed events", "E3", 0)),
        "'Fixed events'!E3: dates: expected a date, got the number 0 (or the time 00:00) in a "
        "cell formatted as a date or a time: type the date as YYYY-MM-DD",
    ),
    (  # no date has it: openpyxl's warning leaked, and the cell said "error value #VALUE!"
        "a number beyond every date in a date cell",
        _cells(("Pins", "B3", 10_000_000)),
        "Pins!B3: expected a date, got the number 10000000, which no date has, in a cell "
        "formatted as a date",
    ),
    (  # the hint's date in the 1904 date system of old Mac workbooks (an audit: 4 years off)
        "a date's day number in a 1904 workbook's cell not formatted as a date",
        lambda b: (
            setattr(b, "epoch", CALENDAR_MAC_1904),
            _general(b["Pins"]["B3"], (dt.date(2026, 9, 15) - dt.date(1904, 1, 1)).days),
        ),
        "Pins!B3: date: expected a date, got the number 44818 (the date 2026-09-15 in a cell "
        "not formatted as a date?)",
    ),
    (  # a decimal comma is read ('1,5'), but '1,500' may be a thousand and a half
        "a number with a thousands separator",
        _cells(("UEs", "C3", "1,500")),
        "UEs!C3: ects: expected a number, got the text '1,500'",
    ),
    (  # and so may '1.500' (an audit: '1.000' was read as 1 without a word)
        "a number with a dot for thousands",
        _cells(("UEs", "C3", "1.500")),
        "UEs!C3: ects: the text '1.500' may be read with a dot grouping thousands or as a "
        "decimal point",
    ),
    (
        "a whole number with a dot for thousands",
        _cells((S, "F3", "1.000")),
        "'Sites & rooms'!F3: capacity: the text '1.000' may be read with a dot grouping",
    ),
    (
        "calendar ending before it starts",
        _cells((P, "B6", dt.date(2026, 9, 1))),
        "'Programme & calendar'!B6: end 2026-09-01 is before start 2026-09-15",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_workbook_error_names_the_cell(
    tmp_path: Path, tiny_xlsx: bytes, mutate: Mutation, expected: str
) -> None:
    path = _mutated(tmp_path, tiny_xlsx, mutate)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    pattern = expected if "\\[" in expected else re.escape(expected)
    assert re.search(pattern, message), message


def _mutated(tmp_path: Path, content: bytes, mutate: Mutation) -> Path:
    source = tmp_path / "source.xlsx"
    source.write_bytes(content)
    book = openpyxl.load_workbook(source)
    mutate(book)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("language", ["fr", "fr-CH", "de", "en-GB"])
def test_a_date_read_both_ways_is_read_day_first_where_the_language_writes_so(
    tmp_path: Path, tiny_xlsx: bytes, language: str
) -> None:
    """An audit: a Swiss manager's text dates ('12/09/2028') were refused whenever the day was
    12 or less, although the workbook says `language: fr`, where dates are day first."""
    assert read_workbook(_mutated(tmp_path, tiny_xlsx, _cells((P, "B20", language)))).language
    mutate = _cells(
        (P, "A20", "language"),
        (P, "B20", language),
        (P, "B6", "03/10/2026"),
        ("Fixed events", "E3", "2026-09-19; 09/10/2026"),
    )
    instance = read_workbook(_mutated(tmp_path, tiny_xlsx, mutate))
    assert instance.calendar.end == dt.date(2026, 10, 3)
    assert instance.fixed_events[0].dates[-1] == dt.date(2026, 10, 9)


def test_issue_example_message_exactly(tmp_path: Path, tiny_xlsx: bytes) -> None:
    path = _mutated(tmp_path, tiny_xlsx, _row("Teachers", 7, "T4", "Paul", "NAMURR"))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value) == (
        f"{path}: Teachers!C7: unknown site 'NAMURR' (known: MONS, NAMUR); row of teacher T4"
    )


LENIENT: list[tuple[str, Mutation]] = [
    ("help rows deleted", lambda b: [b[s].delete_rows(2) for s in b.sheetnames if s != P]),
    (
        "blank rows and rows of spaces",
        lambda b: (b["Teachers"].insert_rows(4, 2), _cells(("Teachers", "B5", "   "))(b)),
    ),
    ("columns in another order", lambda b: b["Groups"].move_range("A1:A10", cols=6)),
    ("time typed as text", _cells(("Slots", "C3", "18:00"))),
    # Excel's "number stored as text" and an ISO date as text, as list cells take them (audit)
    (
        "whole number and ISO date as text",
        _cells(("Groups", "C3", "20"), ("Pins", "B3", "2026-09-15")),
    ),
    # year first with / or . has one reading, as 15/09/2026 (an audit found it refused)
    ("a date typed year first with slashes", _cells(("Pins", "B3", "2026/09/15"))),
    ("a date typed year first with dots", _cells(("Pins", "B3", "2026.9.15"))),
    # and with dashes, unpadded: refused before while 2026/9/15 was read (an audit)
    ("a date typed year first with dashes, unpadded", _cells(("Pins", "B3", "2026-9-15"))),
    (
        # Excel shows a merged value on every row; openpyxl reads the rows below as empty
        # down the rows below the table too (a merge across data columns is refused above)
        "equal cells merged down a column, a help row merged across",
        lambda b: [
            b[s].merge_cells(r)
            for s, r in (
                ("Sessions", "B3:B8"),
                ("Sessions", "C3:C5"),
                ("UEs", "A2:J2"),
            )
        ],
    ),
    (
        "weekday and kind in capitals",
        _cells(("Slots", "B3", "TUE"), ("Availability", "C3", "Unavailable")),
    ),
    ("the header merged down into the help row", lambda b: b["Teachers"].merge_cells("A1:A2")),
    # an audit's Belgian manager typed times the French way: unambiguous, read
    ("French clock times", _cells(("Slots", "C3", "18h00"), ("Slots", "D3", "21h15"))),
    ("a clock time of whole hours", _cells(("Slots", "C5", "9h"))),
    # a Flemish audit's times, refused where the French ones were read
    ("Flemish clock times", _cells(("Slots", "C3", "18u00"), ("Slots", "D3", "21.15"))),
    ("a Flemish clock time of whole hours", _cells(("Slots", "C5", "9u"))),
    # spaces around a value are never meant: a site's name repeated with one was refused
    # against itself, a time zone with one was unknown
    (
        "spaces around texts",
        _cells((S, "B4", "UMONS "), (P, "B4", "Europe/Brussels "), ("UEs", "B3", " Fondements")),
    ),
    ("a column's name in capitals", _cells(("Teachers", "A1", "ID"), ("Teachers", "B1", "Name"))),
    ("a whole number typed as 2.0 in text", _cells(("Sessions", "C3", "2.0"))),
    # an audit: '22,0' was refused where '22.0' was read and the docs allow a decimal comma
    ("a whole number typed as 2,0 in text", _cells(("Sessions", "C3", "2,0"))),
    ("a yes/no column in French", _cells(("UEs", "J3", "non"))),
    ("a yes/no column as one letter", _cells(("UEs", "J3", "n"))),
    # spellings of a French-speaking manager (and a Dutch-speaking one), read as the schema's
    (
        "weekdays in French, in full and in Dutch",
        _cells(
            ("Slots", "B3", "Mardi"),
            ("Slots", "B4", "jeu."),
            ("Slots", "B5", "Saturday"),
            ("Slots", "B6", "zaterdag"),
            ("Availability", "G3", "samedi"),
        ),
    ),
    (  # a Flemish audit's `zat` was refused
        "weekdays in three letters in Dutch",
        _cells(("Slots", "B3", "din"), ("Slots", "B4", "Don."), ("Slots", "B6", "zat")),
    ),
    ("an availability kind in French", _cells(("Availability", "C3", "Indisponible"))),
    (
        "values with spaces for underscores, weekdays abbreviated in English",
        _cells(
            ("Availability", "C4", "Available only"),
            ("Slots", "B3", "Tue."),
            ("Slots", "B4", "Thurs"),
        ),
    ),
    (
        # unambiguous: 15/09 has no month 15, and 22/09/2026 neither; 9.26 is a day first
        "dates typed as text day first, or month first",
        _cells(
            ("Pins", "B3", "15/09/2026"),
            ("Availability", "E4", "22.09.2026"),
            ("Availability", "F4", "09/26/2026"),
            ("Fixed events", "E3", "19-09-2026"),
        ),
    ),
    # the holidays package spells them BE and French: an audit was refused 'french'
    ("holiday country and subdivision in lower case", _cells((P, "B7", "be"), (P, "B8", "french"))),
    ("a chart sheet (Excel's Move chart > New sheet)", lambda b: _chart_sheet(b, "Graphique")),
]


# what a harmless edit is told (every other one reads without a word)
LENIENT_WARNINGS = {
    "a chart sheet (Excel's Move chart > New sheet)": (
        "sheet 'Graphique' left out: not a sheet of the instance"
    ),
}


@pytest.mark.parametrize("case", LENIENT, ids=[c[0] for c in LENIENT])
def test_harmless_edits_read_the_same_instance(
    tmp_path: Path, tiny_xlsx: bytes, case: tuple[str, Mutation]
) -> None:
    name, mutate = case
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert read_workbook(_mutated(tmp_path, tiny_xlsx, mutate)) == load_instance(TINY)
    told = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    expected = LENIENT_WARNINGS.get(name)
    assert [expected in t for t in told] == ([True] if expected else []), told


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("name: tiny\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"fake\.xlsx: not a readable \.xlsx workbook"):
        read_workbook(path)


def test_missing_workbook(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_workbook(tmp_path / "absent.xlsx")


def test_room_features_separated_by_commas_are_several(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """'projector, accessible' was one unknown feature: the room lost every session asking
    for a projector, silently (spreadsheet audit). Commas separate items like ';'."""
    path = _mutated(tmp_path, tiny_xlsx, _cells((S, "G3", "projector, accessible")))
    room = read_workbook(path).sites[0].rooms[0]
    assert (room.id, room.features) == ("M-A", ("projector", "accessible"))


def test_ids_and_dates_separated_by_commas_are_several(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """docs/instance-format.md says list cells take ';' or ',': an audit's 'T01, T02' and two dates with a
    comma were refused as one id, one date."""
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))
    header = {c.value: c.column_letter for c in book["Fixed events"][1]}
    mutate = _cells(
        ("UEs", "D3", "T1, T2"), ("Fixed events", f"{header['dates']}3", "2026-09-19, 2026-09-26")
    )
    instance = read_workbook(_mutated(tmp_path, tiny_xlsx, mutate))
    assert instance.ues[0].teachers == ("T1", "T2")
    assert [d.isoformat() for d in instance.fixed_events[0].dates] == ["2026-09-19", "2026-09-26"]


def test_a_sheet_of_the_managers_own_is_left_out_with_a_warning(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """A Notes sheet was refused ('unknown sheet'), so a manager could keep no notes in the
    workbook (audit); it is now left out, and said."""
    path = _mutated(tmp_path, tiny_xlsx, _new_sheet("Notes"))
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "back.yaml")])
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: sheet 'Notes' left out: not a sheet of the instance" in result.stderr
    assert load_instance(tmp_path / "back.yaml") == load_instance(TINY)


def _renamed(old: str, new: str) -> Mutation:
    def mutate(book: Any) -> None:
        book[old].title = new

    return mutate


def test_a_renamed_sheet_is_not_left_out_with_its_rules(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """'Availability' renamed 'Disponibilités' was left out with a warning: every teacher's
    unavailability went, and the solve broke nine of them (an audit)."""
    path = _mutated(tmp_path, tiny_xlsx, _renamed("Availability", "Disponibilités"))
    with pytest.raises(InputError, match="sheet 'Disponibilités' has the columns of sheet "
                       "'Availability', which the workbook lacks: rename it 'Availability'"):  # fmt: skip
        read_workbook(path)


def test_a_deleted_sheet_and_an_open_workbook_are_said(tmp_path: Path, tiny_xlsx: bytes) -> None:
    path = _mutated(tmp_path, tiny_xlsx, _remove_sheet("Availability"))
    (tmp_path / f"~${path.name}").write_bytes(b"owner")  # Excel's lock file: it is open there
    with pytest.warns(Warning) as said:
        instance = read_workbook(path)
    messages = [str(w.message) for w in said]
    assert f"{path}: no sheet 'Availability': the instance has none of its rows" in messages
    assert any("open in a spreadsheet" in m and "not saved yet are not read" in m for m in messages)
    assert all(not t.unavailable and not t.available_only for t in instance.teachers)


def test_a_number_in_a_date_cell_is_said_as_a_date_only_when_it_could_be_one(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """A year typed in a date cell is not 'the date 1905-07-18': the day-number hint is for
    numbers that are dates of this century."""
    path = _mutated(tmp_path, tiny_xlsx, lambda b: _general(b["Pins"]["B3"], 2026))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert "Pins!B3: date: expected a date, got the number 2026" in str(caught.value)
    assert "1905" not in str(caught.value)


def test_hidden_rows_are_read_and_said(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit: a manager who hides a row to switch it off (or filters it out) has it read
    all the same, with no hint; the rows are still read, and said."""

    def hide(book: Any) -> None:
        book["Teachers"].row_dimensions[4].hidden = True

    path = _mutated(tmp_path, tiny_xlsx, hide)
    with pytest.warns(Warning) as said:
        instance = read_workbook(path)
    messages = [str(w.message) for w in said]
    assert (
        f"{path}: sheet 'Teachers': hidden rows are read like the others (4); delete a row to "
        "leave it out"
    ) in messages
    assert instance == load_instance(TINY)


def test_an_optional_sheet_emptied_is_read_as_deleted(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit: deleting Weights only warned, emptying it was refused ("missing column
    'rule'"). Both read as no rows, said."""

    def empty(book: Any) -> None:
        book["Weights"].delete_rows(1, book["Weights"].max_row)

    path = _mutated(tmp_path, tiny_xlsx, empty)
    with pytest.warns(Warning) as said:
        instance = read_workbook(path)
    assert (
        f"{path}: sheet 'Weights' is empty, without its header row: the instance has none of "
        "its rows"
    ) in [str(w.message) for w in said]
    assert instance == load_instance(TINY).model_copy(update={"weights": {}})


def test_hidden_columns_are_read_and_said(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """As hidden rows: an audit hid a column (one or a group of them) and had it read without
    a word."""
    email = _letter(tiny_xlsx, "Teachers", "email")

    def hide(book: Any) -> None:
        book["Teachers"].column_dimensions.group(email, email, hidden=True)

    path = _mutated(tmp_path, tiny_xlsx, hide)
    with pytest.warns(Warning) as said:
        instance = read_workbook(path)
    assert (
        f"{path}: sheet 'Teachers': hidden columns are read like the others (email); clear a "
        "column's cells to leave its values out"
    ) in [str(w.message) for w in said]
    assert instance == load_instance(TINY)


def test_room_features_one_per_line_are_several_and_spaces_are_said(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """An Alt+Enter list of features became one feature, and the room silently stopped
    qualifying for projector sessions (an audit)."""
    path = _mutated(tmp_path, tiny_xlsx, _cells((S, "G3", "projector\naccessible")))
    room = read_workbook(path).sites[0].rooms[0]
    assert room.features == ("projector", "accessible")
    path = _mutated(tmp_path, tiny_xlsx, _cells((S, "G3", "projector accessible")))
    with pytest.warns(Warning, match="feature 'projector accessible' holds spaces or '/'"):
        read_workbook(path)


def test_a_fixed_event_without_dates_goes_through_the_workbook_and_back(tmp_path: Path) -> None:
    """A re-solve writes `dates: []` for a cancelled event; its workbook could not be read
    back ('dates: required value is empty')."""
    import yaml

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["fixed_events"][0]["dates"] = []
    source = tmp_path / "nodates.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    path = tmp_path / "nodates.xlsx"
    path.write_bytes(workbook_bytes(load_instance(source)))
    assert read_workbook(path) == load_instance(source)


def test_a_sheet_of_ones_own_sharing_two_columns_is_not_a_renamed_one(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """'Exam rooms' (date, room, note) beside a deleted 'Pins' was refused as Pins renamed."""

    def exam_rooms(book: Any) -> None:
        book.remove(book["Pins"])
        sheet = book.create_sheet("Exam rooms")
        sheet.append(["date", "room", "note"])

    with pytest.warns(Warning) as said:
        instance = read_workbook(_mutated(tmp_path, tiny_xlsx, exam_rooms))
    messages = " | ".join(str(w.message) for w in said)
    assert "sheet 'Exam rooms' left out" in messages and "no sheet 'Pins'" in messages
    assert instance == load_instance(TINY).model_copy(update={"pins": ()})


def _formula_result(path: Path, sheet: str, cell: str, kind: str, value: str) -> None:
    """Give the formula at `cell` the result Excel or LibreOffice store (openpyxl writes
    none): `kind` "e" for an error value, "str" for a text (possibly empty)."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    index = openpyxl.load_workbook(path).sheetnames.index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    xml, n = re.subn(
        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*(?:/>|></v>)',
        rf'<c r="{cell}"\1 t="{kind}"><f>\2</f><v>{value}</v>',
        parts[part].decode(),
    )
    assert n == 1
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_formula_s_error_is_refused_and_its_empty_text_is_an_empty_cell(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """An audit: a lookup's #N/A became a UE's title without a word, and =IF(...;"";...)
    (saved by LibreOffice) was refused as "never computed"."""
    path = _mutated(tmp_path, tiny_xlsx, _cells(("UEs", "B3", '=VLOOKUP("x",A1:A2,1,0)')))
    _formula_result(path, "UEs", "B3", "e", "#N/A")
    with pytest.raises(  # with its row's entity, as every other error (an audit)
        InputError, match=r"UEs!B3: the formula gives the error #N/A; row of UE UE1"
    ):
        read_workbook(path)
    path = _mutated(tmp_path, tiny_xlsx, _cells(("UEs", "J3", '=IF(1=0,"yes","")')))
    _formula_result(path, "UEs", "J3", "str", "")
    assert read_workbook(path) == load_instance(TINY)
    path = _mutated(tmp_path, tiny_xlsx, _cells(("UEs", "J3", '=IF(1=0,"yes","")')))
    with pytest.raises(InputError, match=r"UEs!J3: formula without a computed value"):
        read_workbook(path)  # written by a program that computes nothing: not "" but unknown


def test_french_yes_and_decimal_commas_are_read(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit's manager typed 'oui' in a yes/no column and ECTS as '1,5' or '8' as text."""
    path = _mutated(
        tmp_path, tiny_xlsx, _cells(("UEs", "J3", "Oui"), ("UEs", "C3", "1,5"), ("UEs", "C4", "8"))
    )
    ues = read_workbook(path).ues
    assert ues[0].even_spread is True
    assert (ues[0].ects, ues[1].ects) == (1.5, 8)


@pytest.mark.parametrize("tick", ["x", "X", "✓", "y"])
def test_a_tick_in_a_yes_no_column_is_yes(tmp_path: Path, tiny_xlsx: bytes, tick: str) -> None:
    path = _mutated(tmp_path, tiny_xlsx, _cells(("UEs", "J3", tick)))
    assert read_workbook(path).ues[0].even_spread is True


def test_french_kinds_are_each_their_own(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """`à éviter` is avoid, `disponible uniquement` available_only: not one kind for all."""
    mutate = _cells(
        ("Availability", "C3", "À éviter"), ("Availability", "C4", "disponible uniquement")
    )
    teachers = {t.id: t for t in read_workbook(_mutated(tmp_path, tiny_xlsx, mutate)).teachers}
    assert teachers["T2"].avoid and not teachers["T2"].unavailable
    assert teachers["V1"].available_only


@pytest.mark.parametrize(
    ("avoid", "only", "yes"),
    [
        ("Vermijden", "alleen beschikbaar", "ja"),
        ("vermeiden", "Nur verfügbar", "Ja"),
        ("te vermijden", "nur verfuegbar", "j"),  # ü typed as ue, as without the key
    ],
)
def test_dutch_and_german_kinds_and_yes_are_read(
    tmp_path: Path, tiny_xlsx: bytes, avoid: str, only: str, yes: str
) -> None:
    """A Flemish or German-speaking manager's own words, as a French one's."""
    mutate = _cells(("Availability", "C3", avoid), ("Availability", "C4", only), ("UEs", "J3", yes))
    instance = read_workbook(_mutated(tmp_path, tiny_xlsx, mutate))
    teachers = {t.id: t for t in instance.teachers}
    assert teachers["T2"].avoid and not teachers["T2"].unavailable
    assert teachers["V1"].available_only
    assert instance.ues[0].even_spread is True


def _rezipped(
    tmp_path: Path, tiny_xlsx: bytes, change: Callable[[str, bytes], bytes | None]
) -> Path:
    """The tiny workbook with each part passed through `change` (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(tiny_xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(out.getvalue())
    return path


SHEET_PART = "xl/worksheets/sheet2.xml"  # the first table after the programme sheet


@pytest.mark.parametrize(
    ("change", "words"),
    [
        # a sheet's XML cut short (a broken download): was a ParseError traceback
        (lambda n, d: d[: len(d) // 2] if n == SHEET_PART else d, r"damaged \(ParseError: "),
        # a cell's value not of its type: openpyxl's three lines, now its cause in one
        (
            lambda n, d: d.replace(b"<v>", b"<v>x", 1) if n == SHEET_PART else d,
            r"damaged: a sheet's content cannot be read \(",
        ),
        # the part of a listed sheet gone: openpyxl dropped the sheet without a word
        (
            lambda n, d: None if n == SHEET_PART else d,
            r"damaged: sheet '[^']+' is listed but its content is missing",
        ),
        # the workbook's index or styles cut short: lxml's XMLSyntaxError was a traceback
        (
            lambda n, d: d[: len(d) // 2] if n in ("xl/workbook.xml", "xl/styles.xml") else d,
            r"damaged \((XMLSyntaxError|ParseError): ",
        ),
    ],
    ids=["sheet cut short", "cell value not of its type", "sheet part missing", "index cut"],
)
def test_a_damaged_workbook_is_refused_in_one_line(
    tmp_path: Path, tiny_xlsx: bytes, change: Callable[[str, bytes], bytes | None], words: str
) -> None:
    path = _rezipped(tmp_path, tiny_xlsx, change)
    with pytest.raises(
        InputError, match=r"damaged\.xlsx: not a readable \.xlsx workbook: " + words
    ):
        read_workbook(path)
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "out.yaml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_compressed_bytes_flipped_are_refused(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Bytes of a compressed sheet flipped by a broken copy: a zlib.error traceback before."""
    data = bytearray(_rezipped(tmp_path, tiny_xlsx, lambda n, d: d).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 40, start + 48):
        data[offset] ^= 0xFF
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"flipped\.xlsx: not a readable \.xlsx workbook"):
        read_workbook(path)


def test_a_password_protected_workbook_is_named_so(tmp_path: Path) -> None:
    """Excel wraps an encrypted workbook (and an old .xls is) in an OLE2 file, not a zip."""
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with pytest.raises(InputError, match=r"a password-protected workbook, or an old \.xls one"):
        read_workbook(path)


def test_an_error_says_which_optional_sheet_was_deleted(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Teachers deleted: every teacher was 'unknown', and the warning naming the missing sheet
    came only when the workbook read without error (an audit)."""
    path = _mutated(tmp_path, tiny_xlsx, lambda book: book.remove(book["Teachers"]))
    with pytest.raises(
        InputError, match=r"unknown teacher .*\(the workbook has no sheet 'Teachers': deleted\?\)"
    ):
        read_workbook(path)


def _letter(xlsx: bytes, sheet: str, column: str) -> str:
    """The letter of `column` on `sheet` of the workbook."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return next(c.column_letter for c in book[sheet][1] if c.value == column)


def test_a_count_mistyped_huge_is_refused_without_listing_its_sessions(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """A count of 10^9 (a paste gone wrong) filled the memory while the pins and precedences
    were checked against every session id, before the count's own error (an audit: killed)."""
    count = _letter(tiny_xlsx, "Sessions", "count")
    path = _mutated(tmp_path, tiny_xlsx, _cells(("Sessions", f"{count}3", 10**9)))
    with pytest.raises(InputError, match=r"count: 1000000000 sessions .* weekly slots give"):
        read_workbook(path)


def test_a_value_typed_in_the_help_column_is_warned_of(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit cleared a key's value and typed 3 in the help column beside it: the default
    applied without a word. A note beside an empty text key (a review: 'not needed for BE'),
    or beside a value, is read as a note."""
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))
    rows = {r[0].value: r[0].row for r in book[P].iter_rows(min_row=2) if r[0].value}
    row = rows["preferences.room_capacity"]
    moved = _cells((P, f"B{row}", None), (P, f"C{row}", "soft"))
    with pytest.warns(
        InputWarning,
        match=rf"'{re.escape(P)}'!C{row}: preferences\.room_capacity: 'soft' is in the help column",
    ):
        assert read_workbook(_mutated(tmp_path, tiny_xlsx, moved)) == load_instance(TINY)
    country = rows["public_holidays.country"]  # a one-word text: a value (an audit)
    moved = _cells((P, f"B{country}", None), (P, f"C{country}", "BE"))
    with (
        pytest.warns(InputWarning, match=rf"C{country}: public_holidays.country: 'BE' is in"),
        pytest.raises(InputError, match="subdiv 'French' is given without a country"),
    ):  # its subdivision alone gave no holiday at all (a fuzz audit): refused since
        read_workbook(_mutated(tmp_path, tiny_xlsx, moved))
    notes = _cells(
        (P, f"C{rows['calendar.end']}", "2026-09-26 agreed with the faculty"),
        (P, f"B{rows['school_holidays.subdiv']}", None),
        (P, f"C{rows['school_holidays.subdiv']}", "not needed for BE"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        read_workbook(_mutated(tmp_path, tiny_xlsx, notes))


def test_a_zero_width_space_around_a_value_is_dropped(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """As spaces and non-breaking spaces are: pasted from a web page, 'T1\u200b' was an
    unknown id (an audit)."""
    teachers = _letter(tiny_xlsx, "UEs", "teachers")
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))
    typed = book["UEs"][f"{teachers}3"].value
    path = _mutated(tmp_path, tiny_xlsx, _cells(("UEs", f"{teachers}3", f"{typed}\u200b")))
    assert read_workbook(path) == load_instance(TINY)


def test_a_sheet_sorted_with_its_help_row_is_said_so(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit sorted Teachers with its help row: "'Help: unique teacher id' is not a valid
    id", and the teacher sorted into row 2 was taken for the help."""

    def sort_with_help(book: Any) -> None:
        ws = book["Teachers"]
        width = ws.max_column
        rows = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in (2, 3)]
        for r, values in zip((3, 2), rows, strict=True):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c).value = value

    path = _mutated(tmp_path, tiny_xlsx, sort_with_help)
    with pytest.raises(
        InputError,
        match=r"Teachers!A3: row 3 holds the help row \('Help: unique teacher id'\): was",
    ):
        read_workbook(path)


def test_merged_cells_on_the_programme_sheet_are_refused(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit merged B2:B3 of the key/value sheet: the title silently became the name (B3:B4:
    "unknown time zone" named after the title)."""
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))
    rows = {r[0].value: r[0].row for r in book[P].iter_rows(min_row=2) if r[0].value}
    first = rows["name"]
    book[P].merge_cells(f"B{first}:B{first + 1}")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    with pytest.raises(
        InputError, match=rf"B{first + 1}: cells B{first}:B{first + 1} are merged: each key"
    ):
        read_workbook(path)
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))  # the note row merged across: read
    note = next(r[2].row for r in book[P].iter_rows(min_row=2) if r[2].value and not r[0].value)
    book[P].merge_cells(f"A{note}:C{note}")
    book.save(path)
    assert read_workbook(path) == load_instance(TINY)


def test_a_hidden_sheet_is_read_with_a_warning(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Hidden rows were warned of, a hidden sheet not (an audit hid Pins: still applied)."""

    def hide(book: Any) -> None:
        book["Pins"].sheet_state = "hidden"

    with pytest.warns(InputWarning, match=r"sheet 'Pins' is hidden: its rows are read"):
        assert read_workbook(_mutated(tmp_path, tiny_xlsx, hide)) == load_instance(TINY)


def test_an_availability_row_with_half_a_range_is_warned_of(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """A forgotten 'to' made an absence last to the end of the year without a word (an audit),
    where windows and closures refuse half a range; a rule may be open, so it is a warning."""
    to = _letter(tiny_xlsx, "Availability", "to")
    path = _mutated(tmp_path, tiny_xlsx, _cells(("Availability", f"{to}4", None)))
    with pytest.warns(
        InputWarning, match=r"Availability!A4: available_only rule with 'from' but no 'to'"
    ):
        read_workbook(path)


def test_a_workbook_whose_main_part_has_another_name_is_read(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """OOXML finds the main part by its content type, as openpyxl does; the check of the
    sheets it lists assumed `xl/workbook.xml` and called such a file damaged (a review)."""

    def rename(name: str, data: bytes) -> bytes:
        if name in ("[Content_Types].xml", "_rels/.rels"):
            return data.replace(b"/xl/workbook.xml", b"/xl/main.xml").replace(
                b'"xl/workbook.xml"', b'"xl/main.xml"'
            )
        return data

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(tiny_xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            target = {
                "xl/workbook.xml": "xl/main.xml",
                "xl/_rels/workbook.xml.rels": "xl/_rels/main.xml.rels",
            }
            dst.writestr(target.get(name, name), rename(name, src.read(name)))
    path = tmp_path / "main.xlsx"
    path.write_bytes(out.getvalue())
    assert read_workbook(path) == load_instance(TINY)


@pytest.mark.parametrize(
    ("mutate", "said"),
    [
        (
            _cells(("Sessions", "C3", "twelve")),
            "Sessions!C3: count: expected a whole number, got the text 'twelve'; row of UE UE1, "
            "series main",
        ),
        (
            _cells((S, "F5", 0)),
            "'Sites & rooms'!F5: capacity: must be at least 1, got 0; row of site NAMUR, room N-A",
        ),
        (
            _cells(("Availability", "E3", dt.date(2026, 10, 10)), ("Availability", "F3", "x")),
            "Availability!F3: to: date typed as text 'x': enter it as a date (a cell formatted as "
            "a date) or as YYYY-MM-DD; row of teacher T2",
        ),
        (  # a closure, which has no id, by its reason (a Flemish audit's named no entity)
            _cells(("Closures", "D3", "SUN-AM")),
            "Closures!D3: unknown slot 'SUN-AM' (known: SAT-AM, SAT-PM, THU-EVE, TUE-EVE); row "
            "of closure Journée d'accueil",
        ),
        (  # a message about the naming cell itself names it already
            _cells(("Availability", "A3", "T99")),
            "Availability!A3: unknown teacher 'T99' (known: T1, T2, T3, V1)",
        ),
        (  # so does one that names it (a review)
            _cells(("Sessions", "E3", "laser")),
            "Sessions!E3: ue 'UE1' series 'main' room_features: no room has feature 'laser' "
            "(known: projector)",
        ),
        (  # the YAML reader's words for a value's size (a review)
            _cells(("Groups", "C3", 10**7)),
            "Groups!C3: size: expected 1000000 at most, got 10000000; row of group COHORT",
        ),
        (  # an audit: a room's row whose site was emptied named nothing
            _cells((S, "A4", None)),
            "'Sites & rooms'!A4: site: required value is empty; row of room M-B",
        ),
        (  # a rule's row-wide error is said at its first cell, the teacher's (an audit)
            _cells(("Availability", "G3", None)),
            "Availability!A3: a rule needs at least one of date, from, to, weekday, slots; row "
            "of teacher T2",
        ),
        (  # the bad value is the row's id too: still said (an audit)
            _cells(("Teachers", "E4", "T2")),
            "Teachers!E4: max_sessions_per_week: expected a whole number, got the text 'T2'; "
            "row of teacher T2",
        ),
        (  # an id left empty: the row is named by its name
            _cells(("Teachers", "A3", None)),
            "Teachers!A3: id: required value is empty; row of teacher named Anne Lambert",
        ),
        (  # one naming cell wrong, the other still names the row
            _cells(("Sessions", "B3", "a b")),
            "Sessions!B3: series: 'a b' is not a valid id (unaccented letters A-Z, digits, '_', "
            "'.', '-'): did you mean 'a-b'? (ids hold no spaces); row of UE UE1",
        ),
    ],
    ids=[
        "a session row",
        "a room row",
        "a teacher's rule",
        "a closure",
        "the naming cell",
        "named",
        "size",
        "site emptied",
        "rule row-wide",
        "bad value is the id",
        "id empty",
        "one naming cell",
    ],
)
def test_an_error_names_its_rows_entity(
    tmp_path: Path, tiny_xlsx: bytes, mutate: Mutation, said: str
) -> None:
    """An audit: `Sessions!C3: count: ...` left the reader to find which UE row 3 is; the
    guide asks errors to name the entity too. After the message, which reads as issue 9's."""
    path = _mutated(tmp_path, tiny_xlsx, mutate)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value) == f"{path}: {said}"


def test_a_deleted_optional_column_is_said(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit: deleting the Sessions sheet's `teachers` column (optional: a series may take
    its UE's teachers) gave a visitor's sessions to the UE's teacher without a word."""
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))
    sessions = book["Sessions"]
    column = [c.value for c in sessions[1]].index("teachers") + 1
    sessions.delete_cols(column)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.warns(InputWarning) as said:
        read_workbook(path)
    assert any(
        f"{path}: sheet 'Sessions' has no column 'teachers': its value is read as empty on "
        "every row" in str(w.message)
        for w in said
    ), [str(w.message) for w in said]
    with warnings.catch_warnings():  # the workbook as written: every column, no warning
        warnings.simplefilter("error")
        read_workbook(_mutated(tmp_path, tiny_xlsx, lambda b: None))


def test_a_chart_sheet_without_a_chart_is_refused_in_one_line(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """An audit: an empty chart sheet raised openpyxl's AttributeError as a traceback."""
    path = _mutated(tmp_path, tiny_xlsx, lambda b: b.create_chartsheet("Chart1"))
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "out.yaml")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "not a readable .xlsx workbook" in result.output


def test_a_deleted_header_row_is_said_so(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """An audit: with row 1 deleted, the help row read as an unknown column 'Help: ...'."""
    path = _mutated(tmp_path, tiny_xlsx, lambda b: b["Teachers"].delete_rows(1))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value) == (
        f"{path}: Teachers!A1: row 1 holds the help row: the header row (the column names) was "
        "deleted? Insert it back above: id, name, home_site, email, max_sessions_per_week"
    )


@pytest.mark.parametrize(
    ("sheet", "row", "said"),
    [
        (
            "Session teachers",
            ("UE1-main-09", "T1"),
            "'Session teachers'!A3: session: unknown session 'UE1-main-09'",
        ),
    ],
)
def test_a_cells_error_does_not_give_the_yaml_path(
    tmp_path: Path, tiny_xlsx: bytes, sheet: str, row: tuple[str, str], said: str
) -> None:
    """An audit: `precedences[0]: ...` and `session_teachers[0] session: ...` are YAML paths,
    which a workbook does not have: the cell says where (a precedence: in CASES)."""
    path = _mutated(tmp_path, tiny_xlsx, _row(sheet, 3, *row))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value).startswith(f"{path}: {said}"), str(caught.value)


def test_a_blank_template_says_what_it_lacks_at_once(tmp_path: Path) -> None:
    """An audit: a blank template said one missing value per run (the name, then the start,
    then 'no slot', then 'no site'): the programme's empty keys and the sheets without rows
    are said together."""
    path = tmp_path / "blank.xlsx"
    path.write_bytes(workbook_bytes(None))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value) == (
        f"{path}: 'Programme & calendar'!B2: name: required value is empty (also empty: "
        "calendar.start (B5), calendar.end (B6)); and no rows yet in 'Slots' and 'Sites & rooms'"
    )


def test_a_column_headed_hash_holds_notes_and_is_not_read(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Managers keep remarks beside the rows; a column of its own was refused as unknown."""

    def notes(book: Any) -> None:
        for sheet in ("Teachers", "Sessions"):
            ws = book[sheet]
            column = ws.max_column + 1
            ws.cell(1, column, "# remarques")
            ws.cell(3, column, "vient de Lyon, préfère le jeudi")
            ws.cell(4, column, 12)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_workbook(_mutated(tmp_path, tiny_xlsx, notes)) == load_instance(TINY)


def test_a_workbook_with_flipped_bytes_is_refused_in_a_short_line(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """A zip member's name differing from its header printed the header's raw bytes: one
    line of 117 KB (a fuzz audit)."""
    data = bytearray(tiny_xlsx)
    at = data.index(SHEET_PART.encode()) - 4  # the part's own header: its name's length too
    data[at : at + 100] = bytes(b ^ 0xFF for b in data[at : at + 100])
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "out.yaml")])
    assert result.exit_code == 2, result.output
    assert "not a readable .xlsx workbook" in result.output
    assert len(result.output) < 400 and "Traceback" not in result.output


def _header_cells(sheet: str, *changes: tuple[str, str | None]) -> Mutation:
    """Row 1 of `sheet` with each column named first renamed as second (None: blanked)."""

    def mutate(book: Any) -> None:
        cells = {c.value: c for c in book[sheet][1]}
        for name, new in changes:
            cells[name].value = new

    return mutate


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _header_cells("Sessions", ("length", None)),
            r"Sessions!\w+1: column without a header: its help row reads the help of column "
            r"'length' \(.+\): write 'length' in row 1$",
        ),
        (
            _header_cells("Sessions", ("count", "length"), ("length", "count")),
            r"Sessions!\w+1: column '(count|length)' holds the help of column '(length|count)' "
            r"in row 2: are the headers in row 1 swapped\?$",
        ),
    ],
    ids=["blanked", "swapped"],
)
def test_a_header_blanked_or_swapped_is_said_at_row_1(
    tmp_path: Path, tiny_xlsx: bytes, change: Mutation, message: str
) -> None:
    """Both were "'...' is in row 2, the help row: data starts on row 3", of the template's
    own words, which nobody typed (a fuzz audit)."""
    with pytest.raises(InputError, match=message):
        read_workbook(_mutated(tmp_path, tiny_xlsx, change))
