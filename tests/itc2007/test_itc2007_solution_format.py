"""Tests of the solution file format: reading, formatting and atomic writing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.itc2007 import (
    CttInstance,
    Lecture,
    SolutionFormatError,
    format_solution,
    parse_ctt,
    parse_solution,
    read_solution,
    write_solution,
)


def test_format_is_sorted_and_official() -> None:
    lectures = [
        Lecture("TecCos", "B", 0, 1),
        Lecture("ArcTec", "B", 2, 1),
        Lecture("ArcTec", "A", 0, 2),
    ]
    assert format_solution(lectures) == "ArcTec A 0 2\nArcTec B 2 1\nTecCos B 0 1\n"
    assert format_solution(reversed(lectures)) == format_solution(lectures)
    assert format_solution([]) == ""


def test_write_then_read_round_trip(
    tmp_path: Path, toy: CttInstance, optimal: list[Lecture]
) -> None:
    path = tmp_path / "toy.sol"
    write_solution(path, optimal)
    assert path.read_text(encoding="utf-8") == format_solution(optimal)
    back = read_solution(path, toy)
    assert sorted(back, key=repr) == sorted(optimal, key=repr)
    assert os.listdir(tmp_path) == ["toy.sol"]


def test_write_replaces_an_existing_file(tmp_path: Path, optimal: list[Lecture]) -> None:
    path = tmp_path / "toy.sol"
    path.write_text("old content\n", encoding="utf-8")
    path.chmod(0o600)
    write_solution(path, optimal[:1])
    assert path.read_text(encoding="utf-8") == "SceCosC A 0 0\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, optimal: list[Lecture], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "toy.sol"
    path.write_text("old content\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_solution(path, optimal)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert os.listdir(tmp_path) == ["toy.sol"]


def test_reader_tolerates_blank_lines_and_tabs(toy: CttInstance) -> None:
    text = "\n  SceCosC\tA 0  0 \n\n\tTecCos B 4 3\t\n"
    assert parse_solution(text, toy) == [
        Lecture("SceCosC", "A", 0, 0),
        Lecture("TecCos", "B", 4, 3),
    ]


def test_reader_keeps_clashes_for_the_scorer(toy: CttInstance) -> None:
    text = "SceCosC A 0 0\nSceCosC B 0 0\nTecCos A 0 0\n"
    assert len(parse_solution(text, toy)) == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Nope A 0 0", "unknown course 'Nope'"),
        ("SceCosC C 0 0", "unknown room 'C'"),
        ("SceCosC A 5 0", r"day 5 out of range \(0..4\)"),
        ("SceCosC A 0 4", r"period 4 out of range \(0..3\)"),
        ("SceCosC A -1 0", "day must be >= 0, got -1"),
        ("SceCosC A x 0", "day must be an integer, got 'x'"),
        ("SceCosC A 0", "expected '<CourseID> <RoomID> <Day> <Day_Period>', found 'SceCosC A 0'"),
        ("SceCosC A 0 0 0", "expected '<CourseID> <RoomID> <Day> <Day_Period>'"),
    ],
)
def test_reader_errors_name_file_and_line(
    tmp_path: Path, toy: CttInstance, line: str, message: str
) -> None:
    path = tmp_path / "bad.sol"
    path.write_text(f"SceCosC A 1 0\n\n{line}\n", encoding="utf-8")
    with pytest.raises(SolutionFormatError, match=f"^{re.escape(str(path))}:3: {message}"):
        read_solution(path, toy)


_TOY = parse_ctt(
    "Name: T\nCourses: 2\nRooms: 2\nDays: 3\nPeriods_per_day: 2\nCurricula: 0\nConstraints: 0\n"
    "COURSES:\nc1 t 1 1 1\nc-2 t 1 1 1\nROOMS:\nr1 1\nR_2 1\nCURRICULA:\n"
    "UNAVAILABILITY_CONSTRAINTS:\nEND.\n"
)
_LECTURES = st.builds(
    Lecture,
    course=st.sampled_from(["c1", "c-2"]),
    room=st.sampled_from(["r1", "R_2"]),
    day=st.integers(0, 2),
    period=st.integers(0, 1),
)


@given(st.lists(_LECTURES, max_size=20))
def test_format_parse_round_trip(lectures: list[Lecture]) -> None:
    text = format_solution(lectures)
    parsed = parse_solution(text, _TOY)
    assert format_solution(parsed) == text
    assert sorted(parsed, key=repr) == sorted(lectures, key=repr)
