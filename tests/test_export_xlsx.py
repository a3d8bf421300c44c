"""`timetable.xlsx`: the first sheet reads back (pandas + openpyxl) as `timetable.csv`; the
other sheets, formats and reproducibility."""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.utils
import pandas as pd
import pytest

from scheduler.data.problem import Problem
from scheduler.export import export_all
from scheduler.export.common import uid_key
from scheduler.export.page_revision import PageRevision
from scheduler.export.xlsx import MAIN_SHEET, timetable_workbook
from scheduler.io.solution_io import timetable_rows
from tests.conftest import problem_of
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


def test_each_cell_gets_its_own_style_in_every_sheet_and_workbook() -> None:
    """Styles are made once per workbook and copied (`xlsx_styles.Styles`): each sheet's and
    each workbook's cells still say what they are (a week's first row lined, the others not;
    a time as hours; the header bold and grey), the second workbook like the first."""
    problem = tiny_problem()
    for _ in range(2):
        book = openpyxl.load_workbook(io.BytesIO(timetable_workbook(problem, tiny_rows(1))))
        for sheet in book.worksheets:
            assert all(c.font.b and c.fill.fgColor.rgb.endswith("DDDDDD") for c in sheet[1])
            days = [sheet.cell(r, 1 if sheet.title != MAIN_SHEET else 7).value
                    for r in range(2, sheet.max_row + 1)]  # fmt: skip
            weeks = [d.isocalendar()[:2] for d in days]
            for r in range(3, sheet.max_row + 1):
                new_week = weeks[r - 2] != weeks[r - 3]
                lined = [sheet.cell(r, c).border.top.style == "thin" for c in (1, 5)]
                assert lined == [new_week, new_week], (sheet.title, r)
            assert not sheet.cell(2, 1).border.top.style
            column = 3 if sheet.title != MAIN_SHEET else 9
            starts = [sheet.cell(r, column) for r in range(2, sheet.max_row + 1)]
            assert all(c.number_format == "hh:mm" and not c.font.b for c in starts)


def test_styles_set_one_by_one_give_the_same_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl's private `_style` to copy (a release may rename it), each style is
    set attribute by attribute: the same workbook, byte for byte."""
    from scheduler.export import xlsx_styles

    rows = tiny_rows(1)
    copied = timetable_workbook(tiny_problem(), rows, stamp=DTSTAMP)
    monkeypatch.setattr(xlsx_styles, "SHARED", False)
    assert timetable_workbook(tiny_problem(), rows, stamp=DTSTAMP) == copied


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
    # nor after a dash, nor inside brackets (an audit)
    option = Entity("group", "OPT-MKT", "Bloc 2 — communication-marketing")
    assert sheet_title(option, taken) == "OPT-MKT Bloc 2"
    visitor = Entity("teacher", "V2", "Marc-André Tremblay (HEC Montréal)")
    assert sheet_title(visitor, taken) == "V2 Marc-André Tremblay"
    short = Entity("teacher", "V3", "Ann Roy (HEC)")  # whole: kept as it is
    assert sheet_title(short, taken) == "V3 Ann Roy (HEC)"
    nested = Entity("teacher", "T9", "Anne (Centre (HEC) Montréal) Lambert-Dupont")
    assert sheet_title(nested, taken) == "T9 Anne"  # a review: `T9 Anne (Centre` before
    dash = Entity("group", "G1", "— verylongwordthatexceedsthirtycharacters")
    assert sheet_title(dash, taken) == "G1"


def _book(problem: Problem, rows: list[dict[str, str]], **kw: Any) -> Any:
    return openpyxl.load_workbook(io.BytesIO(timetable_workbook(problem, rows, **kw)))


def test_a_title_starting_with_an_equals_sign_is_text(tiny_data: dict[str, Any]) -> None:
    """An audit's UE title '=Fondements (niveau 1)' was written as a formula (Err:509 in
    LibreOffice; a crafted one would run in Excel)."""
    tiny_data["ues"][0]["title"] = "=Fondements (niveau 1)"
    problem = problem_of(tiny_data)
    book = _book(problem, timetable_rows(problem, tiny_solution(1)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str) and "Fondements (niveau 1)" in c.value]
    assert texts and all(c.data_type == "s" and c.value.startswith("=") for c in texts)


def test_people_sheets_give_the_series_and_wrap_long_text(tiny_data: dict[str, Any]) -> None:
    """An audit: people's sheets said 'UE5 ... 1/4', then '1/1' twice (the journée, the
    clôture) with no series, and printed at ~5 pt with 60-character columns."""
    tiny_data["teachers"][0]["name"] = "Anne-Catherine Lambert-Vandermeulen de la Roche " * 2
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    session = next(r for r in rows if r["kind"] == "session" and "T1" in r["teachers"])
    session["series"] = "journee"
    book = _book(problem, rows)
    sheet = book["COHORT Promotion"]
    titles = [sheet.cell(r, 6).value for r in range(2, sheet.max_row + 1)]
    assert f"{session['ue_title']} — journee" in titles
    teachers_col = [c.value for c in sheet[1]].index("Teachers") + 1
    letter = openpyxl.utils.get_column_letter(teachers_col)
    assert sheet.column_dimensions[letter].width <= 32
    long = [
        r
        for r in range(2, sheet.max_row + 1)
        if "Vandermeulen" in str(sheet.cell(r, teachers_col).value)
    ]
    assert long and all(sheet.cell(r, teachers_col).alignment.wrap_text for r in long)
    # as tall as its lines: LibreOffice kept one line, the text ran over the next rows
    assert all((sheet.row_dimensions[r].height or 0) >= 3 * 13 for r in long)
    # dates to the left, in a tall row too: right-aligned against the day's name they read
    # "2026-12-12Sat" (an audit)
    dates = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, date)]
    assert dates and all(c.alignment.horizontal == "left" for c in dates)
    assert any(c.row in long and c.alignment.vertical == "top" for c in dates)


def test_a_student_of_two_groups_has_a_sheet_of_their_own(tiny_data: dict[str, Any]) -> None:
    """An audit: a student of an option and a practice group had to read two sheets, each
    missing the other's sessions, where their calendar feed has them all."""
    tiny_data["groups"] += [
        {"id": "APP1", "name": "Pratiques 1", "size": 10, "part_of": "COHORT", "partition": "app"},
        {"id": "APP2", "name": "Pratiques 2", "size": 10, "part_of": "COHORT", "partition": "app"},
    ]
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    book = _book(problem, rows)
    sheet = next(book[n] for n in book.sheetnames if n.startswith("OPT-A+APP1"))
    mine = [r for r in rows if {"COHORT", "OPT-A", "APP1"} & set(r["groups"].split(";"))]
    assert sheet.max_row == 1 + len(mine) > 1


def test_a_revisions_workbook_says_what_changed() -> None:
    """An audit: a re-solve's timetable.xlsx looked like any other: no sheet of changes, no
    mark on a moved session, and a session given to another teacher vanished from the old
    teacher's sheet unsaid. A review: a fixed event's day moved read 'cancelled' and 'new'."""
    problem, rows = tiny_problem(), tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}
    first, second, third = sorted(k for k in before if before[k]["kind"] == "session")[:3]
    before[first]["date"] = "2026-09-01"  # moved since
    del before[second]  # new
    before[third]["teachers"] = "T3"  # given by another teacher now
    before["UE9-main-01"] = dict(rows[0]) | {"session_id": "UE9-main-01", "kind": "session"}
    event = before.pop("ACCUEIL-20260919")  # the event's day was the 12th: moved
    before["ACCUEIL-20260912"] = event | {"date": "2026-09-12"}
    revision = PageRevision("rev-1", date(2026, 9, 10), before)
    book = _book(problem, rows, revision=revision)
    assert book.sheetnames[:2] == [MAIN_SHEET, "Changes"]
    assert book.properties.title.endswith("(rev-1)")
    changes = book["Changes"]
    marks = [changes.cell(r, 12).value for r in range(2, changes.max_row + 1)]
    assert len(marks) == 5, marks  # moved, new, new teacher, cancelled, the event's day
    assert "new" in marks and "cancelled" in marks
    assert any(str(m).startswith("moved: was Tue 1 Sep 2026") for m in marks), marks
    assert "moved: was Sat 12 Sep 2026 09:00–12:15" in marks, marks
    assert any(str(m).startswith("new teacher: was to be taught by Julie Martin") for m in marks)
    cohort = book["COHORT Promotion"]
    assert [c.value for c in cohort[1]][-1] == "Change"
    column = [cohort.cell(r, 12).value for r in range(2, cohort.max_row + 1)]
    assert "new" in column and any(str(v).startswith("moved: was") for v in column)
    # the old teacher's sheet keeps the session given to another, at its place, said so
    old_teacher = book["T3 Julie Martin"]
    kept = [old_teacher.cell(r, 12).value for r in range(2, old_teacher.max_row + 1)]
    assert any(str(v).startswith("given to another teacher: now ") for v in kept), kept
    plain = _book(problem, rows)  # a first timetable's workbook: neither
    assert "Changes" not in plain.sheetnames
    assert "Change" not in [c.value for c in plain["COHORT Promotion"][1]]


def test_what_left_a_sheet_is_said_as_changes_csv_says_it(tiny_data: dict[str, Any]) -> None:
    """An audit of a revision's four views: a dropped session read 'cancelled' in the
    workbook (changes.csv: removed, not given); a session both moved and given to another
    read 'moved away' alone on the old teacher's sheet; the Changes sheet had no id to find
    a row of changes.csv by."""
    from scheduler.export.common import Entity
    from scheduler.export.revision_marks import Revised

    def gone_from(*args: Any) -> list[tuple[dict[str, str], str]]:
        return Revised.of(*args[:3]).gone_from(args[3])

    rows = tiny_rows(1)
    sessions = [r for r in rows if r["kind"] == "session"]
    dropped, moved = sessions[-1], sessions[1]  # not the first: it is pinned
    tiny_data["dropped"] = [dropped["session_id"]]
    problem = problem_of(tiny_data)
    before = {uid_key(r): dict(r) for r in rows}
    before[uid_key(moved)] |= {"date": "2026-09-01", "teachers": "T3"}
    now = [r for r in rows if r is not dropped]
    assert gone_from(problem, now, before, None) == [(dropped, "dropped (not given)")]
    marks = [w for r, w in gone_from(problem, now, before, Entity("teacher", "T3", ""))]
    assert any(
        w.startswith("given to another teacher: now ") and "; moved away: now " in w for w in marks
    ), marks
    book = _book(problem, now, revision=PageRevision("rev-1", date(2026, 9, 10), before))
    changes = book["Changes"]
    assert [c.value for c in changes[1]][-3:] == ["Change", "Cause", "Id"]
    ids = {changes.cell(r, 14).value for r in range(2, changes.max_row + 1)}
    assert {dropped["session_id"], moved["session_id"]} <= ids
    assert str(changes.page_setup.paperSize) == changes.PAPERSIZE_A4  # "9"


def test_printed_pages_say_whose_and_rows_that_left_are_struck() -> None:
    """An audit of a revision's workbook: a printed teacher's sheet had no name, title or
    revision on it; rows that left a sheet (cancelled, given to another teacher) looked like
    sessions still given; a co-teacher removed without a replacement read "new teacher" on
    the remaining teacher's sheet."""
    problem, rows = tiny_problem(), tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}
    taught = next(r for r in rows if r["kind"] == "session")
    before[uid_key(taught)]["teachers"] = f"{taught['teachers']};T3"  # T3 taught it too
    before["UE9-main-01"] = dict(rows[0]) | {"session_id": "UE9-main-01", "kind": "session"}
    book = _book(problem, rows, revision=PageRevision("rev-1", date(2026, 9, 10), before))
    julie = book["T3 Julie Martin"]
    assert julie.oddHeader.center.text == "Julie Martin (T3)"
    assert not julie.oddHeader.left.text and julie.oddHeader.right.text == "&P / &N"
    # the title alone across the footer: in the header's left third, a long one was cut at
    # 120 characters and ran into the centred name (an audit)
    assert julie.oddFooter.center.text == (
        "Petit exemple — rev-1: re-solved for the changes known on 2026-09-10"
    )
    marks = {julie.cell(r, 12).value: r for r in range(2, julie.max_row + 1)}
    left = next(r for m, r in marks.items() if str(m).startswith("given to another teacher"))
    assert julie.cell(left, 1).font.strike and julie.cell(left, 7).font.strike
    live = [r for r in range(2, julie.max_row + 1) if r != left]
    assert all(not julie.cell(r, 1).font.strike for r in live)
    changes = book["Changes"]
    said = [changes.cell(r, 12).value for r in range(2, changes.max_row + 1)]
    assert "Julie Martin no longer teaches it" in said, said
    assert not any(str(m).startswith("new teacher") for m in said), said
    plain = _book(problem, rows)
    assert plain[MAIN_SHEET].oddHeader.center.text == MAIN_SHEET
    assert plain[MAIN_SHEET].oddFooter.center.text == "Petit exemple"
    titled = problem.instance.model_copy(update={"title": "Master " + "très long & " * 30})
    footer = _book(Problem.build(titled), rows)[MAIN_SHEET].oddFooter.center.text
    assert footer.startswith("Master très long && ") and footer.endswith("…")
    assert len(footer) <= 255 - len("&C")
