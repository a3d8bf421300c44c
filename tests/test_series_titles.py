"""A series' `title` is what calendars, the page, the workbook and changes.md show after its
UE's title: the series name is an id, without accents or spaces (a views audit read
"— pleniere", "— geneve")."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import openpyxl
from icalendar import Calendar

from scheduler.export.common import summary
from scheduler.export.html import timetable_html
from scheduler.export.ics import build_calendar
from scheduler.export.xlsx import timetable_workbook
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_io import timetable_rows
from scheduler.io.workbook import read_workbook, workbook_bytes
from tests.conftest import TINY, problem_of
from tests.test_export_support import DTSTAMP, tiny_solution

TITLE = "journée d'étude"


def _titled(tiny_data: dict[str, Any]) -> dict[str, Any]:
    tiny_data["ues"][3]["sessions"][0]["title"] = TITLE  # UE4's only series, `main`
    return tiny_data


def test_every_view_says_the_series_title(tiny_data: dict[str, Any]) -> None:
    problem = problem_of(_titled(tiny_data))
    rows = timetable_rows(problem, tiny_solution(1))
    by_ue = {r["ue"]: r for r in rows if r["kind"] == "session"}
    assert summary(problem, by_ue["UE4"]) == f"UE4 · Séminaire invité — {TITLE}"
    assert summary(problem, by_ue["UE1"]).startswith("UE1 · Fondements (")  # main: nothing
    feed = Calendar.from_ical(build_calendar(problem, rows, "t", dtstamp=DTSTAMP))
    titles = {str(e["SUMMARY"]) for e in feed.walk("VEVENT")}
    assert f"UE4 · Séminaire invité — {TITLE}" in titles
    page = timetable_html(problem, rows)
    assert "Séminaire invité — journée d" in page
    book = openpyxl.load_workbook(io.BytesIO(timetable_workbook(problem, rows)))
    cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert f"Séminaire invité — {TITLE}" in cells


def test_a_series_title_goes_through_the_workbook(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    instance = problem_of(_titled(tiny_data)).instance
    path = tmp_path / "titled.xlsx"
    path.write_bytes(workbook_bytes(instance))
    assert read_workbook(path) == instance


def test_a_workbook_written_before_titles_is_read_without_a_word(tmp_path: Path) -> None:
    """The column only shows: a workbook without it is not told "deleted?"."""
    path = tmp_path / "old.xlsx"
    path.write_bytes(workbook_bytes(load_instance(TINY)))
    book = openpyxl.load_workbook(path)
    sheet = book["Sessions"]
    header = [c.value for c in sheet[1]]
    sheet.delete_cols(header.index("title") + 1)
    book.save(path)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert read_workbook(path) == load_instance(TINY)
    assert not [w for w in said if "title" in str(w.message)], [str(w.message) for w in said]
