"""From stop 80's mutation audit of `scheduler.io.workbook*` (each test kills a mutant that
survived the suite; its docstring names it). Built as tests/test_workbook_errors.py builds its
workbooks: tiny.yaml written as a workbook, then edited with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler.errors import InputError, InputWarning
from scheduler.io.instance_io import load_instance
from scheduler.io.workbook import convert_instance, read_workbook, workbook_bytes, write_workbook
from scheduler.io.workbook_layout import GROUPS, SESSIONS, TEACHERS
from scheduler.io.workbook_spellings import DateTextError, dates_in_one_order
from tests.conftest import TINY
from tests.test_workbook_errors import P, S, _cells, _mutated, _rezipped


@pytest.fixture(scope="module")
def tiny_xlsx() -> bytes:
    return workbook_bytes(load_instance(TINY))


def test_two_deleted_optional_columns_are_said_in_one_warning(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """Kills workbook.py:130 `', '.join` -> `', X'.join` in `_columns` (the plural's list of
    deleted columns was never checked: only one column was ever deleted)."""
    book = openpyxl.load_workbook(io.BytesIO(tiny_xlsx))
    sessions = book["Sessions"]
    for name in ("teachers", "groups"):
        sessions.delete_cols([c.value for c in sessions[1]].index(name) + 1)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.warns(InputWarning) as said:
        read_workbook(path)
    assert any(
        f"{path}: sheet 'Sessions' has no columns 'teachers', 'groups': their values are read "
        "as empty on every row" in str(w.message)
        for w in said
    ), [str(w.message) for w in said]


def test_convert_to_an_upper_case_xlsx_suffix_writes_a_workbook(tmp_path: Path) -> None:
    """Kills workbook.py:210 `target.suffix.lower() in WORKBOOK_SUFFIXES` -> without `.lower()`:
    `convert tiny.yaml OUT.XLSX` (accepted: the suffix check lowers it) then wrote YAML text
    into a file named .XLSX, which no spreadsheet opens."""
    target = tmp_path / "TINY.XLSX"
    original = convert_instance(TINY, target)
    assert target.read_bytes()[:2] == b"PK"  # a zip archive, not YAML
    assert read_workbook(target) == original


def test_two_numbers_beyond_every_date_at_one_coordinate_are_not_confused(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """Kills workbook_cells.py:205 `"a number"` -> `"a numberX"` in `_error_value` (openpyxl's
    warnings name a coordinate without its sheet: two such cells at B3 of two sheets gave two
    numbers for one coordinate, a case no test reached). The message must not name the other
    sheet's number."""

    def beyond(book: Any) -> None:
        for sheet, number in (("Pins", 10_000_000), ("Closures", 20_000_000)):
            book[sheet]["B3"] = number
            book[sheet]["B3"].number_format = "yyyy-mm-dd"

    path = _mutated(tmp_path, tiny_xlsx, beyond)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert "Closures!B3: expected a date, got the number 20000000, which no date has" in message
    assert "10000000," not in message, message


def test_a_pasted_error_in_a_date_cell_is_not_another_sheet_s_number(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """A review of the fix above: the numbers were still found by coordinate alone, so a
    #VALUE! pasted in Closures!B3, formatted as a date, was said to be Pins!B3's 10000000.
    The number is now read as its own sheet stores it."""

    def pasted(book: Any) -> None:
        book["Pins"]["B3"] = 10_000_000
        book["Pins"]["B3"].number_format = "yyyy-mm-dd"
        book["Closures"]["B3"] = "#VALUE!"
        book["Closures"]["B3"].number_format = "yyyy-mm-dd"

    path = _mutated(tmp_path, tiny_xlsx, pasted)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert "Closures!B3: error value #VALUE!" in str(caught.value), str(caught.value)


def test_two_listed_sheets_without_content_are_both_named(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Kills workbook_cells.py:127 `", ".join(...)` -> `", X".join(...)` in `load_book` (only
    one lost sheet was ever tested): both sheets named, separated by a comma."""
    gone = ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml")
    path = _rezipped(tmp_path, tiny_xlsx, lambda n, d: None if n in gone else d)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert "damaged: sheet 'Slots', 'Closures' is listed but its content is missing" in str(
        caught.value
    ), str(caught.value)


def test_a_header_typed_with_a_space_around_it_is_its_column(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """Kills workbook_cells.py:282 `name = str(value).strip()` -> `str(value)` in `_header`: a
    header typed `id ` (a trailing space, invisible in the cell) read as an unknown column."""
    edited = read_workbook(_mutated(tmp_path, tiny_xlsx, _cells(("Teachers", "A1", " id "))))
    assert edited == read_workbook(_mutated(tmp_path, tiny_xlsx, lambda book: None))


def test_a_duplicate_slot_id_names_both_cells(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Kills workbook_checks.py:30 (the `raise CellError(... duplicate {kind} id ...)` of
    `_unique` deleted): slots, unlike the other sheets' ids, are checked only there; without
    it the model's error named `calendar.slots[0] and calendar.slots[1]`, no cell."""
    path = _mutated(tmp_path, tiny_xlsx, _cells(("Slots", "A4", "TUE-EVE")))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value) == (
        f"{path}: Slots!A4: duplicate slot id 'TUE-EVE' (also Slots!A3)"
    ), str(caught.value)


def test_a_key_typed_with_a_space_around_it_is_that_key(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Kills workbook_keys.py:86 `name = str(key).strip()` -> `str(key)` in `read_keys`: the key
    `title ` (a trailing space) on the programme sheet read as an unknown key."""
    edited = read_workbook(_mutated(tmp_path, tiny_xlsx, _cells((P, "A3", " title "))))
    assert edited == read_workbook(_mutated(tmp_path, tiny_xlsx, lambda book: None))


def test_a_year_first_date_that_is_none_is_said_in_a_csv_column() -> None:
    """Kills workbook_spellings.py:217 (the `raise DateTextError(text, str(err))` of
    `_one_date` deleted): `2026/02/30`, year first and no date, in a timetable CSV's date
    column then raised UnboundLocalError (a traceback) instead of the error naming the text,
    which `csv_timetable.normalized_rows` says with its line."""
    with pytest.raises(DateTextError) as caught:
        dates_in_one_order(["14/09/2026", "2026/02/30"])
    assert caught.value.text == "2026/02/30"
    assert str(caught.value) == "'2026/02/30' is not a valid date"


def _validations(book: Any) -> dict[tuple[str, str], Any]:
    """Each data validation of a written workbook by (sheet, first cell of its range)."""
    return {
        (ws.title, str(dv.sqref).split(":")[0]): dv
        for ws in book
        for dv in ws.data_validations.dataValidation
    }


def test_whole_number_columns_are_checked_from_their_minimum_and_text_columns_not(
    tmp_path: Path,
) -> None:
    """Kills workbook_write.py:290 `str(col.minimum or 0)` -> `str(col.minimum and 0)` (a
    session count of 0 accepted by Excel's check, whose minimum is 1) and workbook_write.py:286
    `col.kind == "int"` -> `!=` (Excel refused a teacher's name as not a whole number, and
    let anything into a count): only list validations were checked."""
    path = tmp_path / "tiny.xlsx"
    write_workbook(load_instance(TINY), path)
    found = _validations(openpyxl.load_workbook(path))
    count = found[("Sessions", f"{SESSIONS.letter('count')}3")]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "1")
    size = found[("Groups", f"{GROUPS.letter('size')}3")]
    assert (size.type, size.operator, size.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert ("Teachers", f"{TEACHERS.letter('name')}3") not in found
    assert ("Sessions", f"{SESSIONS.letter('title')}3") not in found


@pytest.mark.parametrize(
    "typed",
    ["indisponible", "non disponible", "pas disponible", "absent", "Absente",
     "niet beschikbaar", "afwezig", "nicht verfügbar", "nicht verfuegbar", "abwesend"],
)  # fmt: skip
def test_every_spelling_of_unavailable_is_read(
    tmp_path: Path, tiny_xlsx: bytes, typed: str
) -> None:
    """Kills workbook_spellings.py:28 `"niet_beschikbaar"` -> `"niet_beschikbaarX"` (and any
    other spelling of `unavailable` lost): only some of the French, Dutch and German words
    were tried."""
    mutate = _cells(("Availability", "C3", typed))
    teachers = {t.id: t for t in read_workbook(_mutated(tmp_path, tiny_xlsx, mutate)).teachers}
    assert teachers["T2"].unavailable and not teachers["T2"].avoid


def test_a_programme_header_renamed_is_refused(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Kills workbook_keys.py:114 `not is_empty(value) and ...` -> `is_empty(value) and ...`
    in `_header`: a programme sheet whose header reads `key, valeur, help` was read without a
    word (no test renamed a header of that sheet)."""
    path = _mutated(tmp_path, tiny_xlsx, _cells((P, "B1", "valeur")))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert (
        "'Programme & calendar'!B1: unexpected column 'valeur': the columns are key, value, help"
        in str(caught.value)
    ), str(caught.value)


def test_a_pasted_error_is_not_explained_by_another_sheet_s_date_number(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """The audit's bug: openpyxl's warning of a date number no date has names a coordinate,
    not its sheet, so "#VALUE!" pasted in Teachers!B3 (a name) was said to be Pins!B3's
    number 10000000 "in a cell formatted as a date". Only a cell formatted as a date is."""

    def both(book: Any) -> None:
        book["Pins"]["B3"] = 10_000_000
        book["Pins"]["B3"].number_format = "yyyy-mm-dd"
        book["Teachers"]["B3"] = "#VALUE!"

    path = _mutated(tmp_path, tiny_xlsx, both)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert str(caught.value) == f"{path}: Teachers!B3: error value #VALUE!; row of teacher T1"


# --- the second part: the 38 mutants the first part left unrun ---


def test_a_sites_sheet_without_rows_is_said_at_that_sheet(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Kills workbook_read.py:146 (the `raise CellError(... "no site: give at least one site")`
    of `_sites` deleted): only a blank template, whose Teachers sheet is empty too, lacked
    sites; with teachers, the error then blamed the first teacher's home site
    (`Teachers!C3: unknown site 'NAMUR' (known: none)`), a cell that is right."""

    def no_sites(book: Any) -> None:
        book[S].delete_rows(3, book[S].max_row)

    path = _mutated(tmp_path, tiny_xlsx, no_sites)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert message == f"{path}: 'Sites & rooms'!A3: no site: give at least one site", message


def test_a_help_row_of_forty_characters_is_shown_whole(tmp_path: Path, tiny_xlsx: bytes) -> None:
    """Kills workbook_rows.py:107 `len(shown) > 40` -> `>= 40` in `not_the_help_row`: a help
    text shown in exactly 40 characters (quotes included) got `...` although none of it was
    cut (only a short help, 'Help: unique teacher id', was ever tried)."""
    typed = "Help: unique teacher id, as on row two"  # 38 characters, 40 with its quotes
    assert len(repr(typed)) == 40
    path = _mutated(tmp_path, tiny_xlsx, _cells(("Teachers", "A4", typed)))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert f"Teachers!A4: row 4 holds the help row ({typed!r}): was" in str(caught.value), str(
        caught.value
    )


def test_december_dates_written_month_first_are_read_so() -> None:
    """Kills workbook_spellings.py:183 `second > 12 >= first` -> `second > 12 > first` in
    `dates_in_one_order`: a timetable CSV saved in a US locale in December (`12/15/2026`: month
    12, no day first) was refused as reading either way (the tests' dates are September's)."""
    assert dates_in_one_order(["12/15/2026", "12/16/2026"]) == {
        "12/15/2026": dt.date(2026, 12, 15),
        "12/16/2026": dt.date(2026, 12, 16),
    }


def test_dates_whose_day_is_their_month_read_one_way() -> None:
    """Kills workbook_spellings.py:185 `if not orders and all(...)` -> `if orders and all(...)`
    in `dates_in_one_order`: a CSV whose only dates are `05/05/2026` (one reading either way)
    was refused as reading either way."""
    assert dates_in_one_order(["05/05/2026", "2026-05-06"]) == {
        "05/05/2026": dt.date(2026, 5, 5),
        "2026-05-06": dt.date(2026, 5, 6),
    }


def test_a_zero_width_space_before_a_space_is_dropped_with_it(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    """Kills workbook_values.py:178 `value.strip().strip(ZERO_WIDTH).strip()` -> without its
    last `.strip()` in `_text`: a zero-width space pasted before a space (`\\u200b T1`) left
    the space, and the id was refused as not an id (only `T1\\u200b` was tried)."""
    path = _mutated(tmp_path, tiny_xlsx, _cells(("Teachers", "A3", "\u200b T1")))
    assert read_workbook(path) == load_instance(TINY)


@pytest.mark.parametrize(
    ("typed", "said"),
    [(18, "the number 18"), (True, "the boolean True")],
)
def test_a_whole_number_in_an_unformatted_time_cell_is_said_with_its_value(
    tmp_path: Path, tiny_xlsx: bytes, typed: object, said: str
) -> None:
    """Kills workbook_values.py:161 (the last `raise ValueError("expected a time HH:MM, got
    ...")` of `_time` deleted): 18 typed in a General cell (not formatted as a time) then
    read as None, and the error lost the column and the value: `Slots!C3: expected a time
    'HH:MM', got None` (only numbers in cells formatted as times were tried)."""

    def general(book: Any) -> None:
        book["Slots"]["C3"] = typed
        book["Slots"]["C3"].number_format = "General"

    path = _mutated(tmp_path, tiny_xlsx, general)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert f"Slots!C3: start: expected a time HH:MM, got {said}; row of slot" in str(
        caught.value
    ), str(caught.value)
