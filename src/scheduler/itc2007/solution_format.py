"""ITC-2007 track 3 solution files: one ``<CourseID> <RoomID> <Day> <Day_Period>`` per lecture."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scheduler.itc2007._text import FormatError, parse_int, read_text, split_rows
from scheduler.itc2007.ctt import CttInstance


class SolutionFormatError(FormatError):
    """A malformed solution file; the message reads ``<file>:<line>: <what is wrong>``."""


@dataclass(frozen=True)
class Lecture:
    """One scheduled lecture: a course taught in a room at ``(day, period)`` (0-based)."""

    course: str
    room: str
    day: int
    period: int


def _sort_key(lecture: Lecture) -> tuple[str, int, int, str]:
    return (lecture.course, lecture.day, lecture.period, lecture.room)


def parse_solution(text: str, instance: CttInstance, source: str = "<string>") -> list[Lecture]:
    """Parse solution text against ``instance``, keeping the file order of the lectures.

    Unknown courses or rooms, out-of-range days or periods and malformed lines raise
    ``SolutionFormatError``. Clashes (for instance one course twice in a period) are not
    format errors: they are left to the scorer, which reports them as the official validator.
    """
    lectures: list[Lecture] = []
    for row in split_rows(text):
        if len(row.tokens) != 4:
            raise SolutionFormatError(
                source,
                row.line,
                f"expected '<CourseID> <RoomID> <Day> <Day_Period>', found '{row.text}'",
            )
        course, room, day_text, period_text = row.tokens
        try:
            day = parse_int(day_text, "day", minimum=0)
            period = parse_int(period_text, "period", minimum=0)
        except ValueError as exc:
            raise SolutionFormatError(source, row.line, str(exc)) from None
        if course not in instance.course_by_id:
            raise SolutionFormatError(source, row.line, f"unknown course '{course}'")
        if room not in instance.room_by_id:
            raise SolutionFormatError(source, row.line, f"unknown room '{room}'")
        if day >= instance.days:
            raise SolutionFormatError(
                source, row.line, f"day {day} out of range (0..{instance.days - 1})"
            )
        if period >= instance.periods_per_day:
            raise SolutionFormatError(
                source,
                row.line,
                f"period {period} out of range (0..{instance.periods_per_day - 1})",
            )
        lectures.append(Lecture(course, room, day, period))
    return lectures


def read_solution(path: str | os.PathLike[str], instance: CttInstance) -> list[Lecture]:
    """Read a solution file for ``instance``; see ``parse_solution`` for the checks."""
    source, text = read_text(path)
    return parse_solution(text, instance, source)


def format_solution(lectures: Iterable[Lecture]) -> str:
    """The official text of a solution, sorted by course, day, period and room."""
    return "".join(
        f"{lec.course} {lec.room} {lec.day} {lec.period}\n"
        for lec in sorted(lectures, key=_sort_key)
    )


def write_solution(path: str | os.PathLike[str], lectures: Iterable[Lecture]) -> None:
    """Write ``format_solution(lectures)`` to ``path`` atomically.

    The text goes to a temporary file in the same directory, is flushed to disk, then moved
    over ``path`` with ``os.replace``: readers never see a partial file. An existing file keeps
    its permission bits; on failure the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    text = format_solution(lectures)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
