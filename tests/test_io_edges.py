"""Edges of the input/output layer (`scheduler.io`, the instance's validation) a mutation
audit found untested: each test fails on a change of the code the rest of the suite let
through (written in place rather than atomically, rows out of the contract's order, a check
dropped), and on the bugs the audit found (a feature with a comma, two pins of a session, a
byte-order mark, a title that reads as a time)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.data.calendar import expand_calendar
from scheduler.data.instance import Instance
from scheduler.errors import InputError
from scheduler.io import atomic, workbook
from scheduler.io.floors_record import code_digest, floors_document, recorded_floors
from scheduler.io.instance_io import dump_instance, load_instance
from scheduler.io.solution_io import timetable_rows, write_solution_json
from scheduler.io.workbook import read_workbook, write_workbook
from scheduler.solution import Assignment, Floor
from tests.conftest import TINY, problem_of

_TINY: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))


@pytest.fixture
def data() -> dict[str, Any]:
    return copy.deepcopy(_TINY)


def _load(tmp_path: Path, data: dict[str, Any], name: str = "bad.yaml") -> Instance:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_instance(path)


def _spy_atomic_writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths written through `atomic.write_bytes` (temporary file, then a rename)."""
    written: list[Path] = []
    real = atomic.write_bytes

    def spy(path: Path, data: bytes) -> None:
        written.append(Path(path))
        real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", spy)
    monkeypatch.setattr(workbook, "write_bytes", spy)  # imported by name there
    return written


# --- instance_io ---------------------------------------------------------------------------


def test_the_advice_to_save_as_xlsx_ignores_the_suffix_s_case(tmp_path: Path) -> None:
    """IO13: `convert` passes the suffix as typed: `PLAN.XLS` (Windows keeps upper-case
    suffixes) lost the advice `load_instance` gives for `plan.xls`."""
    from click.testing import CliRunner

    from scheduler.cli.workbook_cmd import convert

    source = tmp_path / "PLAN.XLS"
    source.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    result = CliRunner().invoke(convert, [str(source), str(tmp_path / "plan.yaml")])
    assert result.exit_code == 2, result.output
    assert result.output.strip().endswith("save the spreadsheet as .xlsx (Excel 2007-365)")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_dump_instance_writes_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """IO20: `convert`/a revision's instance.yaml written in place could be read half-written."""
    written = _spy_atomic_writes(monkeypatch)
    target = tmp_path / f"tiny{suffix}"
    dump_instance(load_instance(TINY), target)
    assert written == [target]
    assert load_instance(target) == load_instance(TINY)


# --- atomic --------------------------------------------------------------------------------


def test_a_failed_write_leaves_neither_the_file_nor_its_temporary(tmp_path: Path) -> None:
    """AT02: the temporary file of a write that failed was left behind."""
    with pytest.raises(TypeError):
        atomic.write_bytes(tmp_path / "a.bin", "text, not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_carried_files_reach_the_new_folder(tmp_path: Path) -> None:
    """AT05: calendars/sequences.json (the calendars' SEQUENCE numbers) is carried over."""
    folder = tmp_path / "pub"
    atomic.replace_folder(folder, lambda t: (t / "a.txt").write_text("old", encoding="utf-8"))
    (folder / "calendars").mkdir()
    (folder / "calendars" / "sequences.json").write_text('{"x": 3}', encoding="utf-8")
    atomic.replace_folder(folder, lambda t: (t / "a.txt").write_text("new", encoding="utf-8"))
    assert (folder / "a.txt").read_text(encoding="utf-8") == "new"
    assert (folder / "calendars" / "sequences.json").read_text(encoding="utf-8") == '{"x": 3}'


# --- solution_io ---------------------------------------------------------------------------

SAT = dt.date(2026, 9, 26)


def test_timetable_rows_are_sorted_by_date_then_start(data: dict[str, Any]) -> None:
    """SO01: SCHEMA: "sorted by date then start" (not by session id within a day)."""
    problem = problem_of(data)
    rows = timetable_rows(
        problem,
        (
            Assignment("UE2-main-01", SAT, "SAT-PM", "M-A"),
            Assignment("UE3-main-01", SAT, "SAT-AM", "M-B"),
        ),
    )
    assert [(r["session_id"], r["start"]) for r in rows if r["date"] == SAT.isoformat()] == [
        ("UE3-main-01", "09:00"),
        ("UE2-main-01", "13:45"),
    ]


def test_a_two_slot_session_s_row_ends_with_its_second_slot(data: dict[str, Any]) -> None:
    """SO02: UE4 (length 2) on SAT-AM + SAT-PM ends at 17:00, not 12:15."""
    problem = problem_of(data)
    (row,) = [
        r
        for r in timetable_rows(problem, (Assignment("UE4-main-01", SAT, "SAT-AM", "N-A"),))
        if r["kind"] == "session"
    ]
    assert (row["start"], row["end"], row["site"], row["room"]) == (
        "09:00",
        "17:00",
        "NAMUR",
        "N-A",
    )


def test_solution_json_is_written_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SO07: other tools read solution.json: never half-written."""
    written = _spy_atomic_writes(monkeypatch)
    write_solution_json(tmp_path, {"status": "UNKNOWN", "assignments": []})
    assert written == [tmp_path / "solution.json"]


# --- solution_read -------------------------------------------------------------------------


def _solution(tmp_path: Path, doc: dict[str, Any]) -> Path:
    file = tmp_path / "solution.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    return file


# --- csv_timetable -------------------------------------------------------------------------


def test_a_csv_without_a_date_column_is_no_timetable(tmp_path: Path) -> None:
    """CV04: `kind,session_id` alone was read as a timetable."""
    from scheduler.io.csv_timetable import read_timetable_rows

    table = tmp_path / "timetable.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [["kind", "session_id"], ["session", "UE1-main-01"]]
    )
    table.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(InputError, match=r"not a timetable\.csv"):
        read_timetable_rows(table)


# --- floors_record -------------------------------------------------------------------------

FLOORS = (Floor(("weekly_load",), 20, "two sessions beyond"),)


def _floors_file(tmp_path: Path, record: Any) -> Path:
    return _solution(tmp_path, {"assignments": [], "unavoidable": record})


def test_floors_recorded_by_other_code_are_not_read(tmp_path: Path) -> None:
    """FR02: the existing test's `floors` for "other code" was the whole record (not a list),
    refused for that, so the code digest itself was never compared."""
    entries = floors_document(FLOORS)["unavoidable"]["floors"]
    assert recorded_floors(_floors_file(tmp_path, {"code": code_digest(), "floors": entries}))
    assert recorded_floors(_floors_file(tmp_path, {"code": "other", "floors": entries})) is None


def test_a_floor_costing_a_boolean_is_not_read(tmp_path: Path) -> None:
    """FR04."""
    bad = [{"rules": ["weekly_load"], "cost": True, "message": "m"}]
    assert recorded_floors(_floors_file(tmp_path, {"code": code_digest(), "floors": bad})) is None


# --- validation_words ----------------------------------------------------------------------


def test_an_unknown_key_is_said_first(tmp_path: Path, data: dict[str, Any]) -> None:
    """VW03: a misspelt key explains the other errors; it comes first."""
    data["teachers"][0]["max_sessions_per_week"] = -1
    data["teachers"][0]["unavaliable"] = [{"weekday": "mon"}]
    with pytest.raises(InputError) as caught:
        _load(tmp_path, data)
    assert str(caught.value).startswith(
        f"{tmp_path / 'bad.yaml'}: teacher 'T1': unknown key 'unavaliable'"
    )


def test_errors_beyond_the_three_shown_are_counted(tmp_path: Path, data: dict[str, Any]) -> None:
    """VW06: "(also: a; b; and 1 more)"."""
    data["sites"][0]["rooms"][0]["capacity"] = 0
    data["sites"][0]["rooms"][1]["capacity"] = 0
    data["sites"][1]["rooms"][0]["capacity"] = 0
    data["groups"][0]["size"] = -1
    with pytest.raises(InputError, match=r"; and 1 more\)$"):
        _load(tmp_path, data)


# --- data/instance -------------------------------------------------------------------------


def test_a_window_ending_before_it_starts_is_refused(tmp_path: Path, data: dict[str, Any]) -> None:
    """DI03."""
    data["ues"][0]["window"] = {"from": dt.date(2026, 9, 20), "to": dt.date(2026, 9, 16)}
    with pytest.raises(InputError, match=r"ue 'UE1' window: 'to' 2026-09-16 is before 'from'"):
        _load(tmp_path, data)


def test_a_slot_ending_when_it_starts_is_refused(tmp_path: Path, data: dict[str, Any]) -> None:
    """DI04: a zero-length slot was accepted."""
    data["calendar"]["slots"][0]["end"] = "18:00"
    with pytest.raises(InputError, match=r"end 18:00 is not after start 18:00"):
        _load(tmp_path, data)


# --- data/validate -------------------------------------------------------------------------


def test_a_pin_of_a_dropped_session_says_it_is_dropped(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    """DV20: said "unknown session" instead, though the session exists in the file."""
    data["dropped"] = ["UE1-main-01"]
    with pytest.raises(InputError, match=r"pin of session 'UE1-main-01': names a dropped session"):
        _load(tmp_path, data)


# --- data/calendar -------------------------------------------------------------------------


def test_a_day_s_slots_are_in_time_order_whatever_their_listing(data: dict[str, Any]) -> None:
    """CA05: slots listed PM before AM; a length-2 session takes consecutive slots in time."""
    slots = data["calendar"]["slots"]
    slots[2], slots[3] = slots[3], slots[2]
    dated, _ = expand_calendar(Instance.model_validate(data).calendar)
    assert [d.slot for d in dated if d.date == SAT] == ["SAT-AM", "SAT-PM"]


def test_a_closure_without_reason_is_called_a_closure(data: dict[str, Any]) -> None:
    """CA08: the reason reports and pages show (and translate)."""
    data["calendar"]["closures"] = [{"date": dt.date(2026, 9, 22)}]
    _, closed = expand_calendar(Instance.model_validate(data).calendar)
    assert [c.reason for c in closed if c.date == dt.date(2026, 9, 22)] == ["closure"]


# --- workbook ------------------------------------------------------------------------------


def test_a_default_weekly_target_stays_unchosen_through_a_workbook(tmp_path: Path) -> None:
    """WB07: `report` notes a default target; a workbook must not make it a chosen one."""
    write_workbook(load_instance(TINY), tmp_path / "tiny.xlsx")
    back = read_workbook(tmp_path / "tiny.xlsx")
    assert "group_week_target" not in back.preferences.model_fields_set


def test_a_re_solve_s_frozen_before_survives_the_workbook(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    """WB13: a revision's instance converted to a workbook lost `frozen_before` (rule `past`)
    silently; the round-trip tests' instances have none."""
    data["frozen_before"] = dt.date(2026, 9, 17)
    original = Instance.model_validate(data)
    write_workbook(original, tmp_path / "edge.xlsx")
    back = read_workbook(tmp_path / "edge.xlsx")
    assert back.frozen_before == dt.date(2026, 9, 17)
    assert back == original


def test_write_workbook_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WB21: a workbook open in Excel while `convert` rewrites it."""
    written = _spy_atomic_writes(monkeypatch)
    write_workbook(load_instance(TINY), tmp_path / "tiny.xlsx")
    assert written == [tmp_path / "tiny.xlsx"]


# --- bugs the audit found ----------------------------------------------------------------


def test_a_feature_with_a_comma_is_refused_as_a_workbook_would_split_it(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    """`tables, movable` came back from YAML -> workbook -> YAML as two features, so a series
    needing `tables` could use the room; a workbook cell still lists features by commas."""
    data["sites"][0]["rooms"][0]["features"] = ["tables, movable"]
    with pytest.raises(InputError, match=r"room 'M-A' features\[0\]: 'tables, movable' holds"):
        _load(tmp_path, data)
    data["sites"][0]["rooms"][0]["features"] = ["projector", "movable_tables"]
    original = _load(tmp_path, data)
    write_workbook(original, tmp_path / "f.xlsx")
    assert read_workbook(tmp_path / "f.xlsx") == original


def test_a_title_that_reads_as_a_time_is_written_as_given(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    """Every text of the form HH:MM:00 was cut to HH:MM on writing; only times are."""
    data["title"] = "10:00:00"
    data["calendar"]["closures"] = [{"date": dt.date(2026, 9, 22), "reason": "12:30:00"}]
    original = _load(tmp_path, data)
    dump_instance(original, tmp_path / "out.yaml")
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "'10:00:00'" in text and "'12:30:00'" in text
    assert "start: '18:00'" in text  # a slot's time, as a person writes it
    assert load_instance(tmp_path / "out.yaml") == original


def test_a_re_solve_s_solution_saved_with_a_byte_order_mark_is_still_one(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a byte-order mark: the solution was read, but its `revision`,
    `written_at` and floors were not, so a re-solve's was taken for a first solve's."""
    from scheduler.io.solution_read import read_result, revision_record, written_at

    entries = floors_document(FLOORS)["unavoidable"]["floors"]
    doc = {
        "status": "FEASIBLE",
        "assignments": [],
        "revision": {"today": "2026-09-20"},
        "written_at": "2020-01-01T00:00:00+00:00",
        "unavoidable": {"code": code_digest(), "floors": entries},
    }
    file = tmp_path / "solution.json"
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode("utf-8"))
    assert read_result(file).status == "FEASIBLE"
    assert revision_record(file) == {"today": "2026-09-20"}
    assert written_at(file) == dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp()
    assert recorded_floors(file) is None  # a re-solve's floors are never read
    del doc["revision"]
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode("utf-8"))
    assert recorded_floors(file) == FLOORS
