"""Parser of the ``.ctt`` text format into ``CttInstance`` (see ``scheduler.itc2007.ctt``)."""

from __future__ import annotations

from scheduler.itc2007._text import Row, end_line, parse_int, split_rows
from scheduler.itc2007.ctt import Course, CttFormatError, CttInstance, Curriculum, Room

_HEADER = ("Name:", "Courses:", "Rooms:", "Days:", "Periods_per_day:", "Curricula:", "Constraints:")
_SECTIONS = ("COURSES:", "ROOMS:", "CURRICULA:", "UNAVAILABILITY_CONSTRAINTS:")
_END = "END."
_MARKERS_IN_ORDER = (*_SECTIONS, _END)
_MARKERS = frozenset(_MARKERS_IN_ORDER)
# a week's days and a day's five-minute periods at most: a `Days:` of 10^20 hung `score`
# in its loops over every period (an audit)
_MOST = {"Days:": 366, "Periods_per_day:": 288}


# Students of a course and seats of a room at most: far beyond any real one, and small enough
# that the room-capacity cost of every lecture fits CP-SAT's 64-bit sums (an audit's 10^23
# students read as an instance with no timetable, exit 1)
MAX_HEADCOUNT = 10**9


class CttParser:
    """A cursor over the non-blank rows of one ``.ctt`` text."""

    def __init__(self, text: str, source: str) -> None:
        self.rows = split_rows(text)
        self.pos = 0
        self.source = source
        self.eof_line = end_line(text)

    def error(self, line: int, problem: str) -> CttFormatError:
        """An error located at ``line`` of this source."""
        return CttFormatError(self.source, line, problem)

    def integer(
        self, row: Row, index: int, what: str, minimum: int = 0, maximum: int | None = None
    ) -> int:
        """The integer token ``index`` of ``row`` (at least ``minimum``, at most ``maximum``)."""
        try:
            return parse_int(row.tokens[index], what, minimum=minimum, maximum=maximum)
        except ValueError as exc:
            raise self.error(row.line, str(exc)) from None

    def take(self, expecting: str) -> Row:
        """Consume the next row; at the end of the text, report what was ``expecting``."""
        if self.pos >= len(self.rows):
            raise self.error(self.eof_line, f"unexpected end of file, expected {expecting}")
        row = self.rows[self.pos]
        self.pos += 1
        return row

    def header(self) -> list[Row]:
        """Consume the seven ``Key: value`` rows, checking their keys and order."""
        rows: list[Row] = []
        for key in _HEADER:
            row = self.take(f"'{key}'")
            if row.tokens[0] != key:
                raise self.error(row.line, f"expected '{key}', found '{row.text}'")
            if len(row.tokens) != 2:
                raise self.error(row.line, f"'{key}' needs exactly one value, found '{row.text}'")
            rows.append(row)
        return rows

    def section(self, keyword: str, declared: int, what: str) -> list[Row]:
        """Consume a section heading and its rows; their number must equal ``declared``."""
        heading = self.take(f"'{keyword}'")
        if heading.tokens != (keyword,):
            raise self.error(heading.line, f"expected '{keyword}', found '{heading.text}'")
        body: list[Row] = []
        while self.pos < len(self.rows) and self.rows[self.pos].tokens[0] not in _MARKERS:
            row = self.take(what)
            if len(body) == declared:
                following = _MARKERS_IN_ORDER[_MARKERS_IN_ORDER.index(keyword) + 1]
                raise self.error(
                    row.line,
                    f"expected '{following}' after the {declared} {what} declared in the header,"
                    f" found '{row.text}'",
                )
            body.append(row)
        if len(body) < declared:
            line = self.rows[self.pos].line if self.pos < len(self.rows) else self.eof_line
            raise self.error(line, f"{len(body)} {what} found, the header declares {declared}")
        return body

    def width(self, row: Row, expected: int, layout: str) -> None:
        """Check that ``row`` has ``expected`` tokens, quoting ``layout`` otherwise."""
        if len(row.tokens) != expected:
            raise self.error(row.line, f"expected '{layout}', found '{row.text}'")

    def courses(self, declared: int) -> list[Course]:
        """Parse the ``COURSES:`` section."""
        courses: list[Course] = []
        seen: set[str] = set()
        for row in self.section("COURSES:", declared, "courses"):
            self.width(row, 5, "<CourseID> <Teacher> <#Lectures> <MinWorkingDays> <#Students>")
            if row.tokens[0] in seen:
                raise self.error(row.line, f"duplicate course '{row.tokens[0]}'")
            seen.add(row.tokens[0])
            lectures = self.integer(row, 2, "number of lectures")
            min_days = self.integer(row, 3, "minimum working days")
            students = self.integer(row, 4, "number of students", maximum=MAX_HEADCOUNT)
            courses.append(Course(row.tokens[0], row.tokens[1], lectures, min_days, students))
        return courses

    def rooms(self, declared: int) -> list[Room]:
        """Parse the ``ROOMS:`` section."""
        rooms: list[Room] = []
        for row in self.section("ROOMS:", declared, "rooms"):
            self.width(row, 2, "<RoomID> <Capacity>")
            if any(room.id == row.tokens[0] for room in rooms):
                raise self.error(row.line, f"duplicate room '{row.tokens[0]}'")
            capacity = self.integer(row, 1, "room capacity", maximum=MAX_HEADCOUNT)
            rooms.append(Room(row.tokens[0], capacity))
        return rooms

    def curricula(self, declared: int, known: set[str]) -> list[Curriculum]:
        """Parse the ``CURRICULA:`` section; members must be ``known`` courses."""
        curricula: list[Curriculum] = []
        for row in self.section("CURRICULA:", declared, "curricula"):
            if len(row.tokens) < 2:
                raise self.error(
                    row.line,
                    f"expected '<CurriculumID> <#Courses> <CourseID> ...', found '{row.text}'",
                )
            name, members = row.tokens[0], row.tokens[2:]
            size = self.integer(row, 1, "curriculum size")
            if size != len(members):
                raise self.error(
                    row.line,
                    f"curriculum '{name}' declares {size} courses but lists {len(members)}",
                )
            if any(q.id == name for q in curricula):
                raise self.error(row.line, f"duplicate curriculum '{name}'")
            for index, member in enumerate(members):
                if member not in known:
                    raise self.error(row.line, f"unknown course '{member}' in curriculum '{name}'")
                if member in members[:index]:
                    raise self.error(row.line, f"course '{member}' repeated in curriculum '{name}'")
            curricula.append(Curriculum(name, members))
        return curricula

    def unavailability(
        self, declared: int, known: set[str], days: int, periods_per_day: int
    ) -> set[tuple[str, int, int]]:
        """Parse the ``UNAVAILABILITY_CONSTRAINTS:`` section into ``(course, day, period)``."""
        triples: set[tuple[str, int, int]] = set()
        for row in self.section("UNAVAILABILITY_CONSTRAINTS:", declared, "constraints"):
            self.width(row, 3, "<CourseID> <Day> <Day_Period>")
            if row.tokens[0] not in known:
                raise self.error(row.line, f"unknown course '{row.tokens[0]}' in unavailability")
            day = self.integer(row, 1, "day")
            period = self.integer(row, 2, "period")
            if day >= days:
                raise self.error(row.line, f"day {day} out of range (0..{days - 1})")
            if period >= periods_per_day:
                raise self.error(
                    row.line, f"period {period} out of range (0..{periods_per_day - 1})"
                )
            triples.add((row.tokens[0], day, period))
        return triples

    def instance(self) -> CttInstance:
        """Parse the whole text."""
        name_row, *number_rows = self.header()
        n_courses, n_rooms, days, ppd, n_curricula, n_constraints = (
            self.integer(
                row,
                1,
                row.tokens[0].rstrip(":"),
                minimum=1 if i in (2, 3) else 0,
                maximum=_MOST.get(row.tokens[0]),
            )
            for i, row in enumerate(number_rows)
        )
        courses = self.courses(n_courses)
        known = {course.id for course in courses}
        rooms = self.rooms(n_rooms)
        curricula = self.curricula(n_curricula, known)
        unavailable = self.unavailability(n_constraints, known, days, ppd)
        if self.pos >= len(self.rows):
            raise self.error(self.eof_line, f"missing '{_END}'")
        end = self.take(f"'{_END}'")
        if end.tokens != (_END,):
            raise self.error(end.line, f"expected '{_END}', found '{end.text}'")
        if self.pos < len(self.rows):
            raise self.error(self.rows[self.pos].line, f"unexpected text after '{_END}'")
        return CttInstance(
            name_row.tokens[1],
            days,
            ppd,
            tuple(courses),
            tuple(rooms),
            tuple(curricula),
            frozenset(unavailable),
        )
