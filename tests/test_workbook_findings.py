"""What the pre-flight says of an instance read from a workbook points at the rows of the
entities it names, as a reading error points at its cell (an audit: a warning named `APP2`,
and the manager had to find the row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from scheduler.cli import cli
from scheduler.data.findings import Finding
from scheduler.data.problem import Problem
from scheduler.io.instance_io import instance_cells, load_instance
from scheduler.io.workbook import workbook_bytes
from scheduler.model.explain import finding_line
from tests.conftest import TINY


def _workbook(tmp_path: Path, changes: dict[tuple[str, str], object]) -> Path:
    """The tiny instance as a workbook, with `changes` typed into it (sheet, cell: value)."""
    path = tmp_path / "tiny.xlsx"
    path.write_bytes(workbook_bytes(load_instance(TINY)))
    book = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        book[sheet][cell] = value
    book.save(path)
    return path


def test_entities_sessions_and_precedences_are_found_at_their_rows(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {})
    cells = instance_cells(path, Problem.build(load_instance(path)).sessions)
    assert (cells["T2"], cells["OPT-B"], cells["UE3"]) == (
        ("Teachers!A4",),
        ("Groups!A5",),
        ("UEs!A5",),
    )
    assert cells["UE3-main"] == cells["UE3-main-02"] == ("Sessions!A5",)  # its series' row
    assert cells["precedences[0]"] == ("Precedences!A3",) and cells["NAMUR"][0].startswith(
        "'Sites & rooms'!A"
    )
    assert instance_cells(TINY) == {}  # YAML: no cells


def test_an_id_two_kinds_share_is_not_located(tmp_path: Path) -> None:
    """A review: a room and a group both `OPT-A`, and the group's warning pointed at the
    room's row. Messages name ids without their kind: such an id gets no row."""
    path = _workbook(tmp_path, {("Sites & rooms", "D4"): "OPT-A"})  # tiny's second room
    cells = instance_cells(path, Problem.build(load_instance(path)).sessions)
    assert "OPT-A" not in cells and cells["OPT-B"] == ("Groups!A5",)


def test_a_pre_flight_warning_names_its_workbook_rows(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {("Groups", "C4"): 13})  # the options: 21 of a cohort of 20
    explained = CliRunner().invoke(cli, ["explain", str(path), "--time-limit", "5"])
    assert f"pre-flight warning: {path}: Groups!A4, Groups!A5: [groups] " in explained.output
    out = tmp_path / "out"
    solved = CliRunner().invoke(cli, ["solve", str(path), "--time-limit", "3", "--out", str(out)])
    assert solved.exit_code == 0, solved.output
    assert f"pre-flight warning: {path}: Groups!A4, Groups!A5: [groups] " in solved.stderr


def test_a_pre_flight_error_names_its_workbook_rows(tmp_path: Path) -> None:
    """A teacher away for the whole calendar: the sessions nobody else can give are told at
    their series' row on Sessions."""
    away = {
        ("Availability", "A5"): "T1",
        ("Availability", "C5"): "unavailable",
        ("Availability", "E5"): dt.datetime(2026, 9, 14),
        ("Availability", "F5"): dt.datetime(2026, 9, 27),
    }
    path = _workbook(tmp_path, away)
    out = tmp_path / "out"
    solved = CliRunner().invoke(cli, ["solve", str(path), "--time-limit", "5", "--out", str(out)])
    assert solved.exit_code == 1, solved.output
    errors = [line for line in solved.output.splitlines() if line.startswith("pre-flight error")]
    assert errors and all(f"{path}: " in line for line in errors), solved.output
    # the first session is pinned: its pin's row too
    assert f"{path}: Sessions!A3, Pins!A3: [placement] 2 sessions of UE1-main " in solved.output


def test_a_pin_that_leaves_no_place_is_told_at_its_pins_row(tmp_path: Path) -> None:
    """A review: "matching its pin ... or move the pin" pointed at the series' row on
    Sessions alone, where no pin is. A pinned session is at both rows now."""
    # the welcome day takes T1 and the cohort that morning
    closed = {("Pins", "B3"): dt.datetime(2026, 9, 19), ("Pins", "C3"): "SAT-AM"}
    path = _workbook(tmp_path, closed)
    cells = instance_cells(path, Problem.build(load_instance(path)).sessions)
    assert cells["UE1-main-01"] == ("Sessions!A3", "Pins!A3")
    assert cells["UE1-main-02"] == ("Sessions!A3",)  # not pinned: its series' row alone
    out = tmp_path / "out"
    solved = CliRunner().invoke(cli, ["solve", str(path), "--time-limit", "5", "--out", str(out)])
    assert solved.exit_code == 1, solved.output
    assert f"{path}: Sessions!A3, Pins!A3: [placement] UE1-main-01 " in solved.output


def test_every_pin_row_of_a_session_is_named(tmp_path: Path) -> None:
    """Pins of one session that agree (the date on one row, the room on another) are allowed:
    the line names both rows, not the first alone (a review)."""
    path = _workbook(tmp_path, {("Pins", "A4"): "UE1-main-01", ("Pins", "E4"): "N-A"})
    cells = instance_cells(path, Problem.build(load_instance(path)).sessions)
    assert cells["UE1-main-01"] == ("Sessions!A3", "Pins!A3", "Pins!A4")


def test_a_ue_spread_warning_names_its_ues_row_first() -> None:
    finding = Finding("warning", "ue_spread", ("UE1", "UE1-main"), "...")
    cells = {"UE1": ("UEs!A3",), "UE1-main": ("Sessions!A3",)}
    assert finding_line(finding, "p.xlsx", cells).startswith(
        "pre-flight warning: p.xlsx: UEs!A3, Sessions!A3: [ue_spread]"
    )


def test_a_series_row_without_its_name_and_a_closure_row_are_named(tmp_path: Path) -> None:
    """A Flemish audit: a UE of one series, its series cell left empty ("empty = main"), had
    "2 sessions of UE2-main can be placed nowhere" with no cell; a closure of last year had
    two warnings (outside the calendar, and closing nothing), neither with its row."""
    path = _workbook(
        tmp_path,
        {
            ("Sessions", "B4"): None,  # UE2's series: main
            ("UEs", "G4"): dt.datetime(2025, 9, 15),  # its window, a year early
            ("UEs", "H4"): dt.datetime(2025, 9, 26),
            ("Closures", "A3"): dt.datetime(2025, 9, 20),
        },
    )
    result = CliRunner().invoke(cli, ["explain", str(path), "--preflight-only"])
    lines = result.output.splitlines()
    assert any(
        line.startswith(f"pre-flight error: {path}: Sessions!A4: [placement] ") for line in lines
    ), result.output
    closures = [line for line in lines if "[closures]" in line]
    assert closures == [
        f'pre-flight warning: {path}: Closures!A3: [closures] closure "Journée d\'accueil" 20 '
        "Sep 2025 lies outside the calendar (15–26 Sep 2026), so it closes nothing — check its "
        "year"
    ], result.output


def test_a_visitor_s_window_of_another_year_is_said_at_its_availability_row(
    tmp_path: Path,
) -> None:
    """A Flemish audit typed a visitor's stay a year late: the error pointed at the teacher's
    row on Teachers, where nothing is wrong, and not at the window on Availability."""
    path = _workbook(
        tmp_path,
        {
            ("Availability", "E4"): dt.datetime(2027, 9, 22),
            ("Availability", "F4"): dt.datetime(2027, 9, 26),
        },
    )
    result = CliRunner().invoke(cli, ["explain", str(path), "--preflight-only"])
    (line,) = [x for x in result.output.splitlines() if "[teacher_availability]" in x]
    assert line.startswith(f"pre-flight error: {path}: Teachers!A6, Availability!A4, "), line
