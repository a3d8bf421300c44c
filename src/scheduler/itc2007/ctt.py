"""ITC-2007 track 3 (curriculum-based course timetabling) instances: model and ``.ctt`` reader.

The format (Di Gaspero, McCollum, Schaerf, 2007) is a header of seven ``Key: value`` lines
followed by the sections ``COURSES:``, ``ROOMS:``, ``CURRICULA:``,
``UNAVAILABILITY_CONSTRAINTS:`` and the terminator ``END.``. Days and periods are 0-based.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from scheduler.itc2007._text import FormatError, read_text


class CttFormatError(FormatError):
    """A malformed ``.ctt`` file; the message reads ``<file>:<line>: <what is wrong>``."""


@dataclass(frozen=True)
class Course:
    """A course: its teacher, number of weekly lectures, minimum distinct days and enrolment."""

    id: str
    teacher: str
    lectures: int
    min_working_days: int
    students: int


@dataclass(frozen=True)
class Room:
    """A room and its seating capacity (every room suits every course)."""

    id: str
    capacity: int


@dataclass(frozen=True)
class Curriculum:
    """A group of courses sharing students: no two of them may be taught in one period."""

    id: str
    courses: tuple[str, ...]


@dataclass(frozen=True)
class CttInstance:
    """A CB-CTT instance; ``unavailability`` holds ``(course id, day, period)`` triples.

    Construction checks consistency (unique ids, known courses, in-range periods) and raises
    ``ValueError``; ``read_ctt`` reports the same problems with file and line first.
    """

    name: str
    days: int
    periods_per_day: int
    courses: tuple[Course, ...]
    rooms: tuple[Room, ...]
    curricula: tuple[Curriculum, ...]
    unavailability: frozenset[tuple[str, int, int]]

    def __post_init__(self) -> None:
        """Check ids are unique and every reference is to a known course and period."""
        if self.days < 1 or self.periods_per_day < 1:
            raise ValueError("days and periods_per_day must be >= 1")
        for kind, ids in (
            ("course", [c.id for c in self.courses]),
            ("room", [r.id for r in self.rooms]),
            ("curriculum", [q.id for q in self.curricula]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"duplicate {kind} id")
        known = {c.id for c in self.courses}
        for curriculum in self.curricula:
            if not known.issuperset(curriculum.courses):
                raise ValueError(f"curriculum {curriculum.id} names an unknown course")
        for course, day, period in self.unavailability:
            if course not in known:
                raise ValueError(f"unavailability names unknown course {course}")
            if not (0 <= day < self.days and 0 <= period < self.periods_per_day):
                raise ValueError(f"unavailability of {course} out of range: ({day}, {period})")

    @property
    def periods(self) -> int:
        """Number of periods in the week (``days * periods_per_day``)."""
        return self.days * self.periods_per_day

    @property
    def total_lectures(self) -> int:
        """Number of lectures to schedule, summed over all courses."""
        return sum(course.lectures for course in self.courses)

    @cached_property
    def course_by_id(self) -> Mapping[str, Course]:
        """Courses keyed by id (do not mutate: it is cached)."""
        return {course.id: course for course in self.courses}

    @cached_property
    def room_by_id(self) -> Mapping[str, Room]:
        """Rooms keyed by id (do not mutate: it is cached)."""
        return {room.id: room for room in self.rooms}

    @cached_property
    def curriculum_by_id(self) -> Mapping[str, Curriculum]:
        """Curricula keyed by id (do not mutate: it is cached)."""
        return {curriculum.id: curriculum for curriculum in self.curricula}

    @cached_property
    def course_index(self) -> Mapping[str, int]:
        """Position of each course in file order (the validator's numbering)."""
        return {course.id: i for i, course in enumerate(self.courses)}

    @cached_property
    def room_index(self) -> Mapping[str, int]:
        """Position of each room in file order."""
        return {room.id: i for i, room in enumerate(self.rooms)}

    @cached_property
    def _curricula_of(self) -> Mapping[str, tuple[Curriculum, ...]]:
        return {
            course.id: tuple(q for q in self.curricula if course.id in q.courses)
            for course in self.courses
        }

    def course(self, course_id: str) -> Course:
        """The course with this id (``KeyError`` if unknown)."""
        return self.course_by_id[course_id]

    def room(self, room_id: str) -> Room:
        """The room with this id (``KeyError`` if unknown)."""
        return self.room_by_id[room_id]

    def curricula_of(self, course_id: str) -> tuple[Curriculum, ...]:
        """The curricula containing the course, in file order (``KeyError`` if unknown)."""
        return self._curricula_of[course_id]

    def courses_of_teacher(self, teacher: str) -> tuple[Course, ...]:
        """The courses taught by ``teacher``, in file order."""
        return tuple(course for course in self.courses if course.teacher == teacher)

    def is_available(self, course_id: str, day: int, period: int) -> bool:
        """Whether the course may be taught at ``(day, period)``."""
        return (course_id, day, period) not in self.unavailability

    def conflicting(self, first: str, second: str) -> bool:
        """Whether two distinct courses share a teacher or a curriculum (the validator's rule)."""
        if first == second:
            return False
        if self.course(first).teacher == self.course(second).teacher:
            return True
        return any(second in q.courses for q in self.curricula_of(first))

    def period_index(self, day: int, period: int) -> int:
        """The 0-based index of ``(day, period)`` in the week."""
        return day * self.periods_per_day + period

    def day_period(self, index: int) -> tuple[int, int]:
        """The ``(day, period)`` of a 0-based week period index."""
        return divmod(index, self.periods_per_day)


def parse_ctt(text: str, source: str = "<string>") -> CttInstance:
    """Parse ``.ctt`` text; ``source`` names it in ``CttFormatError`` messages."""
    # Imported here: the parser module builds this module's classes.
    from scheduler.itc2007._ctt_parser import CttParser

    return CttParser(text, source).instance()


def read_ctt(path: str | os.PathLike[str]) -> CttInstance:
    """Read a ``.ctt`` file; raise ``CttFormatError`` (``<file>:<line>: ...``) if malformed."""
    source, text = read_text(path)
    return parse_ctt(text, source)
