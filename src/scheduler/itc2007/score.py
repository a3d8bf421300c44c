"""The official ITC-2007 track 3 scorer (formulation UD2), after the organisers' ``validator.cc``.

Semantics of ``validator.cc`` v1.1 (Schaerf and Di Gaspero, 25 October 2007), kept exactly:

* The solution becomes a course x period table holding one room. A second entry of a course
  in a period it already uses is skipped with a warning ("Repeated entry", first entry kept),
  hence two lectures of one course in one period surface as a missing lecture. Entries naming
  an unknown course or room, or a day or period out of range, which the validator skips with
  a warning, are refused here when the solution is read (`read_solution`: a one-line error,
  exit 2): such a file is not a solution of the instance.
* Lectures: ``|scheduled periods - lectures|`` per course (too few or too many).
* Conflicts: for each pair of courses ``c1 < c2`` (file order) sharing a teacher or at least one
  curriculum, +1 per period where both are taught (once per pair, however many curricula
  they share).
* Availability: +1 per lecture in an unavailable period.
* RoomOccupation: per room and period, lectures beyond the first.
* RoomCapacity: students above capacity, per lecture (weight 1).
* MinWorkingDays: days below the minimum, per course (weight 5).
* CurriculumCompactness: per curriculum and period holding ``n > 0`` of its lectures, +n when
  neither adjacent period of the same day holds one (weight 2); one report line per period.
* RoomStability: distinct rooms beyond the first, per course (weight 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.itc2007._timetable import Timetable
from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.solution_format import Lecture

MIN_WORKING_DAYS_COST = 5
CURRICULUM_COMPACTNESS_COST = 2
ROOM_STABILITY_COST = 1


@dataclass(frozen=True)
class Score:
    """Hard violation counts, weighted soft costs and the validator's report lines.

    ``lines`` are the ``[H] ...``/``[S(n)] ...`` violation lines in the validator's order;
    ``warnings`` the entries it skipped (it prints them on standard error).
    """

    lectures: int
    conflicts: int
    availability: int
    room_occupancy: int
    room_capacity: int
    min_working_days: int
    curriculum_compactness: int
    room_stability: int
    lines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def violations(self) -> int:
        """Total hard violations (zero for a feasible solution)."""
        return self.lectures + self.conflicts + self.availability + self.room_occupancy

    @property
    def total_cost(self) -> int:
        """Total weighted soft cost (the UD2 objective)."""
        return (
            self.room_capacity
            + self.min_working_days
            + self.curriculum_compactness
            + self.room_stability
        )

    @property
    def feasible(self) -> bool:
        """Whether no hard rule is broken."""
        return self.violations == 0


def _at(tt: Timetable, p: int) -> str:
    day, slot = divmod(p, tt.instance.periods_per_day)
    return f"period {p} (day {day}, timeslot {slot})"


def _lectures(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    for c, course in enumerate(tt.instance.courses):
        scheduled = len(tt.rooms[c])
        if scheduled < course.lectures:
            lines.append(f"[H] Too few lectures for course {course.id}")
        elif scheduled > course.lectures:
            lines.append(f"[H] Too many lectures for course {course.id}")
        cost += abs(scheduled - course.lectures)
    return cost


def _conflicts(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    courses = tt.instance.courses
    for c1, c2 in tt.conflict_pairs():
        for p in sorted(tt.rooms[c1].keys() & tt.rooms[c2].keys()):
            lines.append(
                f"[H] Courses {courses[c1].id} and {courses[c2].id} have both a lecture at "
                + _at(tt, p)
            )
            cost += 1
    return cost


def _availability(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    for c, course in enumerate(tt.instance.courses):
        for p in sorted(tt.rooms[c]):
            if not tt.instance.is_available(course.id, *tt.instance.day_period(p)):
                lines.append(f"[H] Course {course.id} has a lecture at unavailable " + _at(tt, p))
                cost += 1
    return cost


def _room_occupancy(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    occupancy = tt.room_occupancy()
    for p in range(tt.instance.periods):
        for r, room in enumerate(tt.instance.rooms):
            count = occupancy.get((r, p), 0)
            if count > 1:
                extra = f" [{count - 1} violations]" if count > 2 else ""
                lines.append(f"[H] {count} lectures in room {room.id} the " + _at(tt, p) + extra)
                cost += count - 1
    return cost


def _room_capacity(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    for c, course in enumerate(tt.instance.courses):
        for p, r in sorted(tt.rooms[c].items()):
            room = tt.instance.rooms[r]
            if room.capacity < course.students:
                excess = course.students - room.capacity
                lines.append(
                    f"[S({excess})] Room {room.id} too small for course {course.id} the "
                    + _at(tt, p)
                )
                cost += excess
    return cost


def _min_working_days(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    for c, course in enumerate(tt.instance.courses):
        days = len({p // tt.instance.periods_per_day for p in tt.rooms[c]})
        if days < course.min_working_days:
            lines.append(
                f"[S({MIN_WORKING_DAYS_COST})] The course {course.id} has only {days} "
                "days of lecture"
            )
            cost += (course.min_working_days - days) * MIN_WORKING_DAYS_COST
    return cost


def _curriculum_compactness(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    ppd = tt.instance.periods_per_day
    for g, curriculum in enumerate(tt.instance.curricula):
        load = tt.curriculum_load(g)
        for p in range(tt.instance.periods):
            if load[p] == 0:
                continue
            before = load[p - 1] if p % ppd > 0 else 0
            after = load[p + 1] if p % ppd < ppd - 1 else 0
            if before == 0 and after == 0:
                lines.append(
                    f"[S({CURRICULUM_COMPACTNESS_COST})] Curriculum {curriculum.id} has an "
                    "isolated lecture at " + _at(tt, p)
                )
                cost += load[p] * CURRICULUM_COMPACTNESS_COST
    return cost


def _room_stability(tt: Timetable, lines: list[str]) -> int:
    cost = 0
    for c, course in enumerate(tt.instance.courses):
        used = len(set(tt.rooms[c].values()))
        if used > 1:
            extra = (used - 1) * ROOM_STABILITY_COST
            lines.append(f"[S({extra})] Course {course.id} uses {used} different rooms")
            cost += extra
    return cost


def evaluate(instance: CttInstance, lectures: Iterable[Lecture]) -> Score:
    """Score a solution exactly as the official ITC-2007 track 3 validator does.

    ``lectures`` are taken in order (the first of repeated entries wins, as in the validator).
    """
    tt = Timetable.build(instance, lectures)
    lines: list[str] = []
    return Score(
        lectures=_lectures(tt, lines),
        conflicts=_conflicts(tt, lines),
        availability=_availability(tt, lines),
        room_occupancy=_room_occupancy(tt, lines),
        room_capacity=_room_capacity(tt, lines),
        min_working_days=_min_working_days(tt, lines),
        curriculum_compactness=_curriculum_compactness(tt, lines),
        room_stability=_room_stability(tt, lines),
        lines=tuple(lines),
        warnings=tuple(tt.warnings),
    )


def format_report(score: Score) -> str:
    """The validator's standard output: violation lines, the eight totals and the summary."""
    out = [*score.lines, ""]
    out += [
        f"Violations of Lectures (hard) : {score.lectures}",
        f"Violations of Conflicts (hard) : {score.conflicts}",
        f"Violations of Availability (hard) : {score.availability}",
        f"Violations of RoomOccupation (hard) : {score.room_occupancy}",
        f"Cost of RoomCapacity (soft) : {score.room_capacity}",
        f"Cost of MinWorkingDays (soft) : {score.min_working_days}",
        f"Cost of CurriculumCompactness (soft) : {score.curriculum_compactness}",
        f"Cost of RoomStability (soft) : {score.room_stability}",
        "",
    ]
    if score.warnings:
        out.append(f"There are {len(score.warnings)} warnings!")
    violations = f"Violations = {score.violations}, " if score.violations else ""
    out.append(f"Summary: {violations}Total Cost = {score.total_cost}")
    return "\n".join(out) + "\n"
