"""`timetable.xlsx`: the first sheet reads back (pandas + openpyxl) as `timetable.csv`; the
other sheets, formats and reproducibility."""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd

from scheduler.export import export_all
from scheduler.export.xlsx import MAIN_SHEET, timetable_workbook
from tests.test_export_support import DTSTAMP, tiny_problem, tiny_rows, tiny_solution


def cell_text(value: object) -> str:
    """A cell as `timetable.csv` writes it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_xlsx_reads_back_as_the_csv(tmp_path: Path) -> None:
    export_all(tiny_problem(), tiny_solution(1), tmp_path, ("csv", "xlsx"), dtstamp=DTSTAMP)
    with (tmp_path / "timetable.csv").open(encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))
    frame = pd.read_excel(tmp_path / "timetable.xlsx", sheet_name=MAIN_SHEET, engine="openpyxl")
    assert list(frame.columns) == list(expected[0])
    got = [{k: cell_text(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    assert got == expected
    assert len(got) == 8


def test_sheets_types_and_layout() -> None:
    problem = tiny_problem()
    book = openpyxl.load_workbook(io.BytesIO(timetable_workbook(problem, tiny_rows(1))))
    assert book.sheetnames == [
        "Timetable", "COHORT Promotion", "OPT-A Option A", "OPT-B Option B",
        "T1 Anne Lambert", "T2 Marc Dubois", "T3 Julie Martin", "V1 Claire Roy",
        "MONS UMONS", "NAMUR UNamur",
    ]  # fmt: skip
    main = book[MAIN_SHEET]
    assert main.freeze_panes == "A2"
    assert main["G2"].is_date and main["G2"].number_format == "yyyy-mm-dd"
    assert isinstance(main["I2"].value, time)
    assert main.column_dimensions["D"].width > len("Fondements")
    assert main["A1"].font.b
    option_a = book["OPT-A Option A"]
    assert option_a.freeze_panes == "A2"
    assert option_a.max_row == 1 + 6  # header + UE1 x2, UE2 x2, UE4, ACCUEIL
    assert [c.value for c in option_a[1]][:6] == ["Date", "Day", "Start", "End", "UE", "Title"]
    titles = [option_a.cell(r, 7).value for r in range(2, option_a.max_row + 1)]
    assert "1/2" in titles
    teacher = book["T1 Anne Lambert"]
    assert teacher.max_row == 1 + 4
    ue_fill = main["C2"].fill.fgColor.rgb
    assert ue_fill.endswith("8ECAE6")  # UE1's colour


def test_workbook_bytes_are_reproducible() -> None:
    rows = tiny_rows(1)
    data = timetable_workbook(tiny_problem(), rows, stamp=DTSTAMP)
    assert data == timetable_workbook(tiny_problem(), rows, stamp=DTSTAMP)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.modified == DTSTAMP.replace(tzinfo=None)


def test_a_long_sheet_title_is_cut_between_words() -> None:
    """Excel's 31 characters cut `APP1 Groupe d'analyse de pratiq` mid-word (audit)."""
    from scheduler.export.common import Entity
    from scheduler.export.xlsx import sheet_title

    taken: set[str] = set()
    name = "Groupe d'analyse de pratiques professionnelles"
    assert sheet_title(Entity("group", "APP1", name), taken) == "APP1 Groupe d'analyse de"
    assert sheet_title(Entity("group", "APP1", name), taken) == "APP1 Groupe d'analyse de ~2"
    one_word = sheet_title(Entity("teacher", "T1", "X" * 40), taken)
    assert one_word == "T1 " + "X" * 28  # no space to cut at: cut at 31
