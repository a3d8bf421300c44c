"""The validator's view of a solution: for each course, the room taught in each period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.solution_format import Lecture


@dataclass
class Timetable:
    """``rooms[c][p]`` is the index of the room course ``c`` uses in week period ``p``.

    Courses, rooms and curricula are indexed in file order, as in ``validator.cc``.
    """

    instance: CttInstance
    rooms: list[dict[int, int]]
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, instance: CttInstance, lectures: Iterable[Lecture]) -> Timetable:
        """Fill the table in order, skipping (with the validator's warnings) bad entries."""
        table = cls(instance, [{} for _ in instance.courses])
        for lecture in lectures:
            c = instance.course_index.get(lecture.course)
            r = instance.room_index.get(lecture.room)
            if c is None:
                table.skip(f"Nonexisting course {lecture.course}")
            elif r is None:
                table.skip(f"Nonexisting room {lecture.room}")
            elif not 0 <= lecture.day < instance.days:
                table.skip(f"Nonexisting day {lecture.day}")
            elif not 0 <= lecture.period < instance.periods_per_day:
                table.skip(f"Nonexisting period {lecture.period}")
            else:
                p = instance.period_index(lecture.day, lecture.period)
                if p in table.rooms[c]:
                    table.skip(
                        f"Repeated entry: {lecture.course} {lecture.room} "
                        f"{lecture.day} {lecture.period}"
                    )
                else:
                    table.rooms[c][p] = r
        return table

    def skip(self, what: str) -> None:
        """Record a skipped entry in the validator's wording."""
        self.warnings.append(f"WARNING: {what} (entry skipped)")

    def conflict_pairs(self) -> list[tuple[int, int]]:
        """Sorted pairs ``c1 < c2`` of courses sharing a teacher or a curriculum."""
        courses = self.instance.courses
        pairs: set[tuple[int, int]] = set()
        for curriculum in self.instance.curricula:
            members = sorted(self.instance.course_index[course] for course in curriculum.courses)
            pairs.update(combinations(members, 2))
        for c1, c2 in combinations(range(len(courses)), 2):
            if courses[c1].teacher == courses[c2].teacher:
                pairs.add((c1, c2))
        return sorted(pairs)

    def room_occupancy(self) -> Counter[tuple[int, int]]:
        """Number of lectures per ``(room, period)``."""
        return Counter((r, p) for by_period in self.rooms for p, r in by_period.items())

    def curriculum_load(self, g: int) -> list[int]:
        """Number of lectures of curriculum ``g`` in each week period."""
        load = [0] * self.instance.periods
        for course in self.instance.curricula[g].courses:
            for p in self.rooms[self.instance.course_index[course]]:
                load[p] += 1
        return load
