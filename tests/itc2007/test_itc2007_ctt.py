"""Tests of the ``.ctt`` reader and the instance model."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.itc2007 import Course, CttFormatError, CttInstance, Curriculum, parse_ctt, read_ctt

# instance: (lectures, rooms, periods, curricula), from the data README's table
README_TABLE = {
    "comp01": (160, 6, 30, 14),
    "comp02": (283, 16, 25, 70),
    "comp03": (251, 16, 25, 68),
    "comp04": (286, 18, 25, 57),
    "comp05": (152, 9, 36, 139),
    "comp06": (361, 18, 25, 70),
    "comp07": (434, 20, 25, 77),
    "toy": (16, 2, 20, 2),
}


@pytest.mark.parametrize("name", sorted(README_TABLE))
def test_every_instance_matches_the_readme(data_dir: Path, name: str) -> None:
    instance = read_ctt(data_dir / f"{name}.ctt")
    lectures, rooms, periods, curricula = README_TABLE[name]
    assert instance.total_lectures == lectures
    assert len(instance.rooms) == rooms
    assert instance.periods == periods
    assert len(instance.curricula) == curricula


def test_comp01_details(data_dir: Path) -> None:
    instance = read_ctt(data_dir / "comp01.ctt")
    assert instance.name == "Fis0506-1"
    assert (instance.days, instance.periods_per_day) == (5, 6)
    assert instance.courses[0] == Course("c0001", "t000", 6, 4, 130)
    assert len(instance.courses) == 30
    assert len(instance.unavailability) == 53
    assert not instance.is_available("c0071", 4, 2)
    assert all(room.id.startswith("r") for room in instance.rooms)


def test_the_embedded_toy_copy_is_the_shipped_file(data_dir: Path, toy: CttInstance) -> None:
    assert read_ctt(data_dir / "toy.ctt") == toy


def test_toy_lookups(toy: CttInstance) -> None:
    assert toy.name == "ToyExample"
    assert toy.course("TecCos") == Course("TecCos", "Rosa", 5, 4, 40)
    assert toy.room("B").capacity == 50
    assert toy.curriculum_by_id["Cur2"] == Curriculum("Cur2", ("TecCos", "Geotec"))
    assert [q.id for q in toy.curricula_of("TecCos")] == ["Cur1", "Cur2"]
    assert [q.id for q in toy.curricula_of("Geotec")] == ["Cur2"]
    assert toy.courses_of_teacher("Ocra") == (toy.course("SceCosC"),)
    assert toy.conflicting("SceCosC", "TecCos")
    assert not toy.conflicting("SceCosC", "Geotec")
    assert not toy.conflicting("TecCos", "TecCos")
    assert not toy.is_available("ArcTec", 4, 3)
    assert toy.is_available("ArcTec", 3, 3)
    assert toy.period_index(2, 3) == 11
    assert toy.day_period(11) == (2, 3)
    with pytest.raises(KeyError):
        toy.course("Nope")


def test_tabs_trailing_blanks_and_blank_lines_are_tolerated(toy_text: str) -> None:
    messy = "\n\n".join(" \t".join(line.split(" ")) + " \t" for line in toy_text.splitlines())
    assert parse_ctt(messy.replace("\n", "\r\n")) == parse_ctt(toy_text)


def test_instance_construction_is_checked(toy: CttInstance) -> None:
    with pytest.raises(ValueError, match="duplicate course"):
        CttInstance("x", 5, 4, toy.courses * 2, toy.rooms, (), frozenset())
    with pytest.raises(ValueError, match="unknown course"):
        CttInstance("x", 5, 4, toy.courses, toy.rooms, (), frozenset({("Nope", 0, 0)}))
    with pytest.raises(ValueError, match="out of range"):
        CttInstance("x", 5, 4, toy.courses, toy.rooms, (), frozenset({("TecCos", 5, 0)}))


def _bad(tmp_path: Path, toy_text: str, old: str, new: str) -> Path:
    assert old in toy_text
    path = tmp_path / "bad.ctt"
    path.write_text(toy_text.replace(old, new, 1), encoding="utf-8")
    return path


# (text replaced, replacement, line reported, message) on the 33-line toy.ctt
MALFORMED = [
    (
        "Cur1 3 SceCosC ArcTec TecCos",
        "Cur1 3 SceCosC ArcTec Nope",
        20,
        "unknown course 'Nope' in curriculum 'Cur1'",
    ),
    ("ArcTec 4 3\n", "Nope 4 3\n", 31, "unknown course 'Nope' in unavailability"),
    ("Courses: 4", "Courses: 5", 15, "4 courses found, the header declares 5"),
    (
        "Rooms: 2",
        "Rooms: 1",
        17,
        "expected 'CURRICULA:' after the 1 rooms declared in the header, found 'B 50'",
    ),
    ("Constraints: 8", "Constraints: 9", 33, "8 constraints found, the header declares 9"),
    ("Curricula: 2", "Curricula: two", 6, "Curricula must be an integer, got 'two'"),
    (
        "SceCosC Ocra 3 3 30",
        "SceCosC Ocra three 3 30",
        10,
        "number of lectures must be an integer, got 'three'",
    ),
    ("B 50", "B -50", 17, "room capacity must be >= 0, got -50"),
    # an audit's 10^23 students read as an instance with no timetable (CP-SAT's sums overflow)
    (
        "SceCosC Ocra 3 3 30",
        "SceCosC Ocra 3 3 99999999999999999999999",
        10,
        "number of students must be <= 1000000000, got 99999999999999999999999",
    ),
    ("B 50", "B 1000000001", 17, "room capacity must be <= 1000000000, got 1000000001"),
    (
        "Cur2 2 TecCos Geotec",
        "Cur2 3 TecCos Geotec",
        21,
        "curriculum 'Cur2' declares 3 courses but lists 2",
    ),
    ("Cur2 2 TecCos Geotec", "Cur2 2 TecCos TecCos", 21, "course 'TecCos' repeated"),
    ("Geotec Scarlatti 5 4 18", "TecCos Scarlatti 5 4 18", 13, "duplicate course 'TecCos'"),
    (
        "ArcTec Indaco 3 2 42",
        "ArcTec Indaco 3 2",
        11,
        "expected '<CourseID> <Teacher> <#Lectures> <MinWorkingDays> <#Students>'",
    ),
    ("TecCos 3 3\n", "TecCos 5 3\n", 27, r"day 5 out of range \(0..4\)"),
    ("TecCos 3 3\n", "TecCos 3 4\n", 27, r"period 4 out of range \(0..3\)"),
    ("Days: 5", "Days: 0", 4, "Days must be >= 1, got 0"),
    # an audit's Days of 10^20 hung `score` in its loops over every period
    ("Days: 5", "Days: 99999999999999999999", 4, "Days must be <= 366, got 99999999999999999999"),
    ("Periods_per_day: 4", "Periods_per_day: 289", 5, "Periods_per_day must be <= 288, got 289"),
    ("Rooms: 2\nDays", "Days: 5\nRooms: 2\nDays", 3, "expected 'Rooms:', found 'Days: 5'"),
    ("Name: ToyExample", "Name: Toy Example", 1, "'Name:' needs exactly one value"),
    ("ROOMS:", "ROOM:", 15, "expected 'ROOMS:' after the 4 courses declared in the header"),
    ("END.\n", "END\n", 33, "expected 'END.' after the 8 constraints declared in the header"),
    ("END.\n", "", 32, "missing 'END.'"),
    ("END.\n", "END.\nextra\n", 34, "unexpected text after 'END.'"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), MALFORMED)
def test_malformed_files_name_file_and_line(
    tmp_path: Path, toy_text: str, old: str, new: str, line: int, message: str
) -> None:
    path = _bad(tmp_path, toy_text, old, new)
    with pytest.raises(CttFormatError, match=f"^{re.escape(str(path))}:{line}: {message}"):
        read_ctt(path)


def test_format_error_is_a_value_error_and_an_input_error(tmp_path: Path, toy_text: str) -> None:
    path = _bad(tmp_path, toy_text, "END.\n", "")
    with pytest.raises(CttFormatError) as caught:
        read_ctt(path)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, InputError)
    assert (caught.value.source, caught.value.line) == (str(path), 32)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value)


def test_empty_text() -> None:
    with pytest.raises(CttFormatError, match=r"^empty\.ctt:1: unexpected end of file, expected"):
        parse_ctt("", "empty.ctt")


def test_instance_pickles_and_hashes_after_lookups(toy: CttInstance) -> None:
    assert toy.course_index["TecCos"] == 2
    assert toy.room_index["B"] == 1
    copy = pickle.loads(pickle.dumps(toy))
    assert copy == toy
    assert hash(copy) == hash(toy)
    assert copy.course("Geotec").students == 18


def test_a_file_that_is_not_utf8_names_file_and_line(tmp_path: Path, toy_text: str) -> None:
    """A Latin-1 course name gave a UnicodeDecodeError traceback and exit 1 (bench audit)."""
    path = tmp_path / "latin1.ctt"
    path.write_bytes(toy_text.replace("\n", "\nCourses_é\n", 1).encode("latin-1"))
    from scheduler.errors import InputError

    with pytest.raises(InputError, match=f"^{re.escape(str(path))}:2: not UTF-8 text"):
        read_ctt(path)


def test_a_byte_order_mark_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    """Windows editors save UTF-8 with a mark: an audit got "expected 'Name:', found
    '\\ufeffName: ToyExample'"."""
    from tests.itc2007.conftest import TOY_TEXT

    path = tmp_path / "bom.ctt"
    path.write_bytes(b"\xef\xbb\xbf" + TOY_TEXT.encode("utf-8"))
    assert read_ctt(path).name == "ToyExample"


def test_a_form_feed_is_no_line_end(tmp_path: Path, toy_text: str) -> None:
    """An audit: with a form feed on line 1, an error on line 10 was said on line 11
    (`str.splitlines` breaks at form feeds; editors do not)."""
    text = toy_text.replace("Name: ToyExample", "Name: ToyExample \f", 1)
    path = _bad(tmp_path, text, "TecCos 3 3\n", "TecCos 5 3\n")
    with pytest.raises(CttFormatError, match=f"^{re.escape(str(path))}:27: day 5 out of range"):
        read_ctt(path)
