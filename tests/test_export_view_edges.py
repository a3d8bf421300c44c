"""The page's, the workbook's and the `calendar` command's edges a mutation audit of
`scheduler.export` found untested: the page's hours and year, its script's chips, the words of
each language, the timetable workbook's sheets (the mutant each test kills is named in its
docstring: M-id)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import load_workbook

from scheduler.cli import cli
from scheduler.export.common import (
    uid_key,
)
from scheduler.export.html import page_data, timetable_html
from scheduler.export.ics import build_calendar, session_uid
from scheduler.export.page_revision import PageRevision
from scheduler.export.xlsx import timetable_workbook
from tests.conftest import TINY, problem_of
from tests.test_export_html import chromium, needs_chromium
from tests.test_export_support import (
    DTSTAMP,
    event_day,
    events_by_uid,
    prop,
    session_row,
    tiny_problem,
    tiny_rows,
)

# --- the page: html.py ----------------------------------------------------------------------


def test_the_page_s_hours_frame_the_last_quarter_hour() -> None:
    """H02: sessions ending at 21:15 need the 21-22 hour in the week view."""
    assert page_data(tiny_problem(), tiny_rows(1))["hours"] == [9, 22]


def test_a_session_moved_and_given_another_teacher_counts_as_both() -> None:
    """H03: the header counts a session moved and given another teacher in both counts."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    before = {uid_key(r): r for r in rows}
    now = [r | {"start": "09:00", "teachers": "T3"} if r is row else r for r in rows]
    revision = PageRevision("rev-1", date(2026, 9, 16), before)
    header = page_data(tiny_problem(), now, revision)["revision"]
    assert header["moved"] == 1 and header["teacher"] == 1


def test_the_page_s_year_reaches_a_fixed_event_before_the_calendar() -> None:
    """H12: a fixed event before the calendar's start (an information day) is within the
    page's year: its first/today navigation reaches it."""
    rows = tiny_rows(1)
    day = event_day(rows)
    early = [r | {"date": "2026-09-01", "weekday": "tue"} if r is day else r for r in rows]
    data = page_data(tiny_problem(), early)
    assert data["start"] == "2026-09-01" and data["end"] == "2026-09-26"


# --- the page's script (headless Chromium) --------------------------------------------------


@needs_chromium
def test_a_session_after_parallel_ones_is_full_width_in_the_week(tmp_path: Path) -> None:
    """J02: two parallel sessions 18:00-19:00 share their column; one starting at 19:00, when
    they end, overlaps nothing and takes the column's whole width."""
    rows = [dict(r) for r in tiny_rows(1) if r["kind"] == "session"][:3]
    for row, (start, end) in zip(
        rows, [("18:00", "19:00"), ("18:00", "19:00"), ("19:00", "20:00")], strict=True
    ):
        row |= {"date": "2026-09-15", "weekday": "tue", "start": start, "end": end}
    page = tmp_path / "t.html"
    page.write_text(timetable_html(tiny_problem(), rows), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=week&date=2026-09-15", "--dump-dom")
    chips = dict(re.findall(r'<div class="ev[^"]*" data-key="([^"]+)"[^>]*style="([^"]*)"', dom))
    assert "width: calc(50% - 4px)" in chips[rows[0]["session_id"]]
    assert "width: calc(100% - 4px)" in chips[rows[2]["session_id"]]


@needs_chromium
def test_a_cancelled_chip_does_not_repeat_where_it_was(tmp_path: Path) -> None:
    """J03: a cancelled session's chip stands at its place: no "avant : ..." line."""
    rows = tiny_rows(1)
    gone = session_row(rows, "UE2-main-02")
    before = {uid_key(r): r for r in rows}
    now = [r for r in rows if r is not gone]
    page = tmp_path / "rev.html"
    revision = PageRevision("rev-1", date(2026, 9, 10), before)
    page.write_text(timetable_html(tiny_problem(), now, revision), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=list", "--dump-dom")
    chip = re.search(r'<div class="ev cancelled" data-key="UE2-main-02".*?</td>', dom, re.S)
    assert chip is not None and ">annulée<" in chip[0]
    assert 'class="w was"' not in chip[0]


@needs_chromium
def test_a_session_moved_to_other_hours_of_its_day_shows_its_old_place(tmp_path: Path) -> None:
    """J06: moved within its day (18:00 -> 09:00), its old hours hold a struck chip saying
    where it went, as for a move to another day."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    before = {uid_key(r): r for r in rows}
    now = [r | {"start": "09:00", "end": "12:15"} if r is row else r for r in rows]
    page = tmp_path / "rev.html"
    revision = PageRevision("rev-1", date(2026, 9, 10), before)
    page.write_text(timetable_html(tiny_problem(), now, revision), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=list", "--dump-dom")
    assert re.search(r'<div class="ev left" data-key="UE1-main-01~before"', dom)


# --- words: wording*.py ---------------------------------------------------------------------


def _cancelled_and_left_titles(tiny_data: dict, language: str) -> tuple[str, str]:
    """The titles of a session cancelled and of a fixed event's day given to another teacher,
    in a teacher's feed of an instance in `language`."""
    tiny_data["language"] = language
    problem = problem_of(tiny_data)
    rows = tiny_rows(1)
    gone, day = session_row(rows, "UE2-main-02"), event_day(rows)
    kept = [r for r in rows if r is not gone and r is not day]
    data = build_calendar(
        problem, kept, "x", dtstamp=DTSTAMP, cancelled=[gone], departed=[day], kind="teacher"
    )
    events = events_by_uid(data)
    return (
        prop(events["UE2-main-02@tiny.scheduler"], "SUMMARY")[1],
        prop(events[session_uid("tiny", uid_key(day))], "SUMMARY")[1],
    )


def test_a_dutch_feed_says_cancelled_in_dutch(tiny_data: dict) -> None:
    """W04: a Dutch instance's cancelled session reads "Geannuleerd: ..."."""
    cancelled, _ = _cancelled_and_left_titles(tiny_data, "nl")
    assert cancelled.startswith("Geannuleerd: UE2 · ")


def test_an_english_feed_says_a_day_was_given_to_another(tiny_data: dict) -> None:
    """W05: in English, a fixed event's day in the feed of a teacher it left reads "Given to
    another: ..."."""
    cancelled, left = _cancelled_and_left_titles(tiny_data, "en")
    assert cancelled.startswith("Cancelled: UE2 · ")
    assert left.startswith("Given to another: ")


# --- the workbook: xlsx.py ------------------------------------------------------------------


def _book(rows: list[dict[str, str]], revision: PageRevision | None = None) -> Any:
    return load_workbook(io.BytesIO(timetable_workbook(tiny_problem(), rows, revision=revision)))


def _sheet_rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], v, strict=True)) for v in values[1:]]


def test_the_changes_sheet_says_why_from_changes_csv() -> None:
    """X09: the Changes sheet's Cause is the revision's cause of the session."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    before = {uid_key(r): r for r in rows}
    now = [r | {"start": "09:00", "end": "12:15"} if r is row else r for r in rows]
    revision = PageRevision(
        "rev-1", date(2026, 9, 16), before, None, {"UE1-main-01": "room closed"}
    )
    (line,) = [r for r in _sheet_rows(_book(now, revision)["Changes"]) if r["Id"] == "UE1-main-01"]
    assert line["Cause"] == "room closed"


def test_people_s_sheets_spell_the_weekday_and_the_main_sheet_numbers_sessions() -> None:
    """X10/X11: "Tue" on people's sheets; `session_no` a number on Timetable (so that it
    sorts and reads back as the CSV's)."""
    rows = tiny_rows(1)
    book = _book(rows)
    teacher = next(ws for ws in book.worksheets if ws.title.startswith("T1 "))
    days = {r["Day"] for r in _sheet_rows(teacher)}
    assert days <= {"Tue", "Thu", "Sat"} and days
    numbers = [r["session_no"] for r in _sheet_rows(book["Timetable"]) if r["kind"] == "session"]
    assert numbers and all(isinstance(n, int) for n in numbers)


def test_a_row_that_left_a_sheet_stands_at_its_date() -> None:
    """X12: a session given to another teacher stays on its old teacher's sheet at its
    date among the others, not after them."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE3-main-01")
    before = {uid_key(r): r for r in rows}
    before[uid_key(row)] = row | {"teachers": "T1", "date": "2026-09-01"}
    book = _book(rows, PageRevision("rev-1", date(2026, 9, 16), before))
    teacher = next(ws for ws in book.worksheets if ws.title.startswith("T1 "))
    dates = [r["Date"] for r in _sheet_rows(teacher)]
    assert dates == sorted(dates) and dates[0].date() == date(2026, 9, 1)


# --- the commands: export_cmd.py, calendar_cmd.py -------------------------------------------


def test_an_export_elsewhere_continues_the_solution_s_own_calendars(tmp_path: Path) -> None:
    """E01: `export SOLUTION --out DIR`, DIR without calendars: the SEQUENCEs go on from
    those beside the solution (else every subscriber of those gets SEQUENCE 0 again)."""
    from scheduler.cli.export_cmd import _continued

    own, out = tmp_path / "own", tmp_path / "out"
    (own / "calendars").mkdir(parents=True)
    (own / "calendars" / "sequences.json").write_text('{"sessions": {}}', encoding="utf-8")
    (own / "solution.json").write_text("{}", encoding="utf-8")
    assert _continued(out, own / "solution.json") == (own, [])
    assert _continued(own, own / "solution.json") == (None, [])


def _calendar_lines(path: Path, *extra: str) -> list[str]:
    result = CliRunner().invoke(cli, ["calendar", str(path), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_calendar_columns_closed_and_school_per_month() -> None:
    """K01/K04: tiny has one closed slot (19 Sep, SAT-PM) and no school holidays: the
    September row and the total say closed 1, school 0."""
    lines = _calendar_lines(TINY)
    assert lines[0].split() == ["month", "tue", "thu", "sat", "total", "closed", "school"]
    assert lines[1].split() == ["2026-09", "2", "2", "3", "7", "1", "0"]
    assert lines[2].split() == ["total", "2", "2", "3", "7", "1", "0"]


def test_calendar_lists_closures_only_when_asked() -> None:
    """K02: `--closures` lists each closed dated slot; without it, none."""
    listed = [line for line in _calendar_lines(TINY, "--closures") if line.startswith("  ")]
    assert [line.split()[:2] for line in listed] == [["2026-09-19", "SAT-PM"]]
    assert not [line for line in _calendar_lines(TINY) if line.startswith("  ")]


def test_calendar_shows_a_month_that_is_all_closed(tmp_path: Path, tiny_data: dict) -> None:
    """K03: a month whose every slot is closed has its row (0 usable, n closed)."""
    import yaml

    tiny_data["calendar"]["end"] = date(2026, 10, 3)
    tiny_data["calendar"]["closures"].append(
        {"from": date(2026, 10, 1), "to": date(2026, 10, 3), "reason": "Fermeture"}
    )
    path = tmp_path / "closed.yaml"
    path.write_text(yaml.safe_dump(tiny_data, allow_unicode=True), encoding="utf-8")
    october = [line.split() for line in _calendar_lines(path) if line.startswith("2026-10")]
    assert october and october[0][4] == "0" and int(october[0][5]) > 0


def test_a_renumbered_row_of_changes_csv_gives_its_number_and_its_cause(tmp_path: Path) -> None:
    """A revision's changes.csv read for the workbook: a `number` row gives the mark
    (`renumbered 3/3 -> 2/2`) and the series' change as its cause; one written before the
    `cause_in_words` column gives its `cause` alone, and no mark it could not read."""
    from scheduler.export.page_revision import _causes

    path = tmp_path / "changes.csv"
    words = "renumbered 3/3 -> 2/2, not moved (U1-main-02 dropped (not given))"
    path.write_text(
        "session,what,cause,cause_in_words\n"
        f"U1-main-02,dropped,dropped session=U1-main-02,U1-main-02 dropped (not given)\n"
        f'U1-main-03,number,dropped session=U1-main-02,"{words}"\n',
        encoding="utf-8",
    )
    causes, numbers = _causes(path)
    assert numbers == {"U1-main-03": "renumbered 3/3 -> 2/2"}
    assert causes["U1-main-03"] == "U1-main-02 dropped (not given)"
    path.write_text(
        "session,what,cause\nU1-main-03,number,dropped session=U1-main-02\n", encoding="utf-8"
    )
    assert _causes(path) == ({"U1-main-03": "dropped session=U1-main-02"}, {})
