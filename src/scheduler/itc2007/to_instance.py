"""CB-CTT in the main model: a ``.ctt`` instance as an ``Instance``, and timetables both ways.

The mapping (docs/rules.md, "ITC-2007 curriculum-based course timetabling"):

* one site, ``SITE``, with the CTT rooms; day ``d`` is the date ``START + d`` (a Monday first,
  so at most 7 days) and period ``p`` of it the one-hour slot ``slot_id(d, p)`` from 08:00;
* each curriculum is a root group of size 0: a student profile of its own, so that
  ``isolated_sessions`` is CurriculumCompactness and group double booking its conflicts;
* each course is a UE with one series ``main``: ``count`` lectures of length 1, ``size`` its
  students, ``min_days`` its minimum working days, its teacher, the curricula holding it as
  groups (none, ``groups: []`` on the series, for a course in no curriculum) and its
  unavailable periods as the series' ``unavailable`` rule;
* ``preferences.room_capacity: soft`` and the UD2 weights (``UD2_WEIGHTS``), every other soft
  rule 0.

The lectures of a course are interchangeable; in our model its sessions are ordered, so a
timetable's lectures become sessions 01, 02, ... in (day, period) order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.sessions import session_id
from scheduler.data.types import WEEKDAYS
from scheduler.errors import InputError
from scheduler.itc2007.ctt import Course, CttInstance
from scheduler.itc2007.score import (
    CURRICULUM_COMPACTNESS_COST,
    MIN_WORKING_DAYS_COST,
    ROOM_STABILITY_COST,
)
from scheduler.itc2007.solution_format import Lecture
from scheduler.rules import SOFT_RULES
from scheduler.solution import Assignment

# A Monday: day d of CB-CTT is START + d days. The competition's year, which its title names
# (2024 made the pre-flight warn that the title named another year than the calendar's).
START = dt.date(2007, 1, 1)
# Where instances converted before then start: their solutions still export (a review).
EARLIER_STARTS = (dt.date(2024, 1, 1),)
FIRST_HOUR = 8  # period p runs from FIRST_HOUR + p to FIRST_HOUR + p + 1 o'clock
SITE = "SITE"
SERIES = "main"
UD2_WEIGHTS: dict[str, int] = {
    "room_overflow": 1,  # RoomCapacity
    "min_working_days": MIN_WORKING_DAYS_COST,
    "isolated_sessions": CURRICULUM_COMPACTNESS_COST,
    "room_stability": ROOM_STABILITY_COST,
}
_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


class CttMappingError(InputError):
    """A CB-CTT instance or timetable that the main model cannot represent."""


def slot_id(day: int, period: int) -> str:
    """The pattern slot of period ``period`` of day ``day``, e.g. ``TUE-P3``."""
    return f"{WEEKDAYS[day].upper()}-P{period}"


def day_date(day: int) -> dt.date:
    """The date of CB-CTT day ``day``."""
    return START + dt.timedelta(days=day)


def _check_mappable(ctt: CttInstance) -> None:
    """Fail clearly on what the mapping cannot carry."""
    where = f"instance '{ctt.name}'"
    if ctt.days > len(WEEKDAYS):
        raise CttMappingError(f"{where}: {ctt.days} days; at most 7 map to one week of dates")
    if FIRST_HOUR + ctt.periods_per_day > 24:
        raise CttMappingError(
            f"{where}: {ctt.periods_per_day} periods a day; one-hour slots from "
            f"{FIRST_HOUR:02d}:00 allow at most {24 - FIRST_HOUR}"
        )
    ids = [
        *(("course", c.id) for c in ctt.courses),
        *(("teacher", c.teacher) for c in ctt.courses),
        *(("room", r.id) for r in ctt.rooms),
        *(("curriculum", q.id) for q in ctt.curricula),
    ]
    for kind, ident in ids:
        if not _ID.match(ident):
            raise CttMappingError(
                f"{where}: {kind} id '{ident}' is not a valid id ([A-Za-z0-9_.-])"
            )
    for room in ctt.rooms:
        if room.capacity < 1:
            raise CttMappingError(
                f"{where}: room '{room.id}' capacity {room.capacity}; rooms seat at least 1"
            )
    for course in ctt.courses:
        if course.lectures < 1:
            raise CttMappingError(f"{where}: course '{course.id}' has no lecture")


def _slots(ctt: CttInstance) -> list[dict[str, Any]]:
    return [
        {
            "id": slot_id(d, p),
            "weekday": WEEKDAYS[d],
            "start": f"{FIRST_HOUR + p:02d}:00",
            "end": f"{FIRST_HOUR + p + 1:02d}:00" if FIRST_HOUR + p + 1 < 24 else "23:59",
        }
        for d in range(ctt.days)
        for p in range(ctt.periods_per_day)
    ]


def _ue(ctt: CttInstance, course: Course) -> dict[str, Any]:
    # the unavailability set has no order: sort it for a stable instance file
    closed = sorted((d, p) for c, d, p in ctt.unavailability if c == course.id)
    series: dict[str, Any] = {
        "series": SERIES,
        "count": course.lectures,
        "size": course.students,
        "min_days": course.min_working_days,
    }
    if closed:
        series["unavailable"] = [{"slots": [slot_id(d, p) for d, p in closed]}]
    groups = [q.id for q in ctt.curricula_of(course.id)]
    if not groups:  # a course in no curriculum: no student group, no compactness
        series["groups"] = []
    return {"id": course.id, "teachers": [course.teacher], "groups": groups, "sessions": [series]}


def instance_name(ctt: CttInstance) -> str:
    """The CTT name as an id (characters outside ``[A-Za-z0-9_.-]`` become ``_``)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", ctt.name) or "ctt"


def ctt_to_instance(ctt: CttInstance) -> Instance:
    """The CB-CTT instance in the main model (see the module docstring)."""
    _check_mappable(ctt)
    teachers = dict.fromkeys(c.teacher for c in ctt.courses)
    data = {
        "name": instance_name(ctt),
        "title": f"ITC-2007 CB-CTT {ctt.name}",
        "calendar": {
            "start": START,
            "end": day_date(ctt.days - 1),
            "slots": _slots(ctt),
        },
        "sites": [{"id": SITE, "rooms": [{"id": r.id, "capacity": r.capacity} for r in ctt.rooms]}],
        "groups": [{"id": q.id, "size": 0} for q in ctt.curricula],
        "teachers": [{"id": t} for t in teachers],
        "ues": [_ue(ctt, course) for course in ctt.courses],
        "preferences": {"room_capacity": "soft"},
        "weights": {**dict.fromkeys(SOFT_RULES, 0), **UD2_WEIGHTS},
    }
    return Instance.model_validate(data)


def lectures_to_assignments(lectures: Iterable[Lecture]) -> list[Assignment]:
    """Our assignments of a CB-CTT timetable: a course's lectures, in (day, period, room)
    order, become its sessions 01, 02, ... (lectures beyond its count name no session)."""
    by_course: dict[str, list[Lecture]] = defaultdict(list)
    for lecture in lectures:
        by_course[lecture.course].append(lecture)
    return [
        Assignment(
            session_id(course, SERIES, n),
            day_date(lec.day),
            slot_id(lec.day, lec.period),
            lec.room,
        )
        for course, found in by_course.items()
        for n, lec in enumerate(sorted(found, key=lambda x: (x.day, x.period, x.room)), start=1)
    ]


def assignments_to_lectures(ctt: CttInstance, assignments: Iterable[Assignment]) -> list[Lecture]:
    """The CB-CTT lectures of our assignments on the mapped instance of ``ctt``."""
    course_of = {
        session_id(c.id, SERIES, n): c.id for c in ctt.courses for n in range(1, c.lectures + 1)
    }
    period_of = {
        (start + dt.timedelta(days=d), slot_id(d, p)): (d, p)
        for start in (START, *EARLIER_STARTS)
        for d in range(ctt.days)
        for p in range(ctt.periods_per_day)
    }
    lectures = []
    for a in assignments:
        if a.session not in course_of:
            raise CttMappingError(f"session '{a.session}' is no lecture of '{ctt.name}'")
        if (a.date, a.slot) not in period_of:
            raise CttMappingError(
                f"session '{a.session}': {a.date} {a.slot} is no period of '{ctt.name}'"
            )
        if a.room not in ctt.room_by_id:
            raise CttMappingError(
                f"session '{a.session}': room '{a.room}' is no room of '{ctt.name}'"
            )
        day, period = period_of[a.date, a.slot]
        lectures.append(Lecture(course_of[a.session], a.room, day, period))
    return lectures
