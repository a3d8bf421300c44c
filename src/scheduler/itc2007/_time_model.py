"""Stage A of the CB-CTT solver: lectures to periods, rooms only counted.

One Boolean ``x[c, p]`` per course and available period (the lectures of a course are
interchangeable, so this formulation has no symmetry between them). Rooms are left out: per
period, the number of courses at least as large as each student-count breakpoint is compared with
the number of rooms that seat them. For nested capacities the sorted matching (largest course in
the largest room) reaches every such count at once, so

    min RoomCapacity(period) = sum_k w_k * max(0, #courses(students >= b_k) - #rooms(cap >= b_k))

over consecutive breakpoints ``b_{k-1} < b_k`` of capacities and enrolments, ``w_k = b_k -
b_{k-1}``: the model's capacity term is exact, and stage B finds rooms reaching it when room
stability allows. MinWorkingDays uses day indicators, CurriculumCompactness isolation indicators
(at most one lecture of a curriculum per period, so one indicator per curriculum and period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from ortools.sat.python import cp_model

from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.score import (
    CURRICULUM_COMPACTNESS_COST,
    MIN_WORKING_DAYS_COST,
    ROOM_STABILITY_COST,
)


@dataclass
class TimeModel:
    """The stage A model and its variables; ``x[c][p]`` exists for available periods only."""

    instance: CttInstance
    model: cp_model.CpModel
    x: list[dict[int, cp_model.IntVar]]
    terms: dict[str, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    z: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    uses: list[list[cp_model.IntVar]] = field(default_factory=list)
    owners: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def periods_of(self, values: list[int]) -> list[list[int]]:
        """The periods of every course in a full solution vector (``response.solution``)."""
        return [
            sorted(p for p, var in by_period.items() if values[var.index]) for by_period in self.x
        ]

    def rooms_of(self, values: list[int]) -> list[dict[int, int]]:
        """The room of every lecture in a full solution vector of a model with rooms."""
        rooms: list[dict[int, int]] = [{} for _ in self.x]
        for (c, p, r), var in self.z.items():
            if values[var.index]:
                rooms[c][p] = r
        return rooms


def capacity_levels(instance: CttInstance) -> list[tuple[int, int, int]]:
    """``(breakpoint b_k, weight w_k, rooms seating >= b_k)`` for the capacity counting."""
    capacities = [room.capacity for room in instance.rooms]
    points = sorted({*capacities, *(course.students for course in instance.courses)})
    levels = []
    for previous, point in pairwise(points):
        rooms = sum(1 for cap in capacities if cap >= point)
        levels.append((point, point - previous, rooms))
    return levels


def build_time_model(instance: CttInstance, with_rooms: bool = False) -> TimeModel:
    """The stage A model: hard rules, then the three soft rules stage A can see.

    ``with_rooms`` adds the rooms (``z[c, p, r]``, ``uses[c][r]``): the full 3-index model with
    exact RoomCapacity and RoomStability, too large to solve whole but fine for LNS steps.
    """
    model = cp_model.CpModel()
    x: list[dict[int, cp_model.IntVar]] = []
    for course in instance.courses:
        by_period = {
            p: model.new_bool_var(f"x[{course.id},{p}]")
            for p in range(instance.periods)
            if instance.is_available(course.id, *instance.day_period(p))
        }
        model.add(sum(by_period.values()) == course.lectures)
        x.append(by_period)
    tm = TimeModel(instance, model, x)
    _no_clashes(tm)
    if with_rooms:
        tm.terms["RoomCapacity"], tm.terms["RoomStability"] = _rooms(tm)
    else:
        tm.terms["RoomCapacity"] = _room_capacity(tm)
    tm.terms["MinWorkingDays"] = _min_working_days(tm)
    tm.terms["CurriculumCompactness"] = _curriculum_compactness(tm)
    model.minimize(sum(w * var for terms in tm.terms.values() for w, var in terms))
    return tm


def _at_period(tm: TimeModel, courses: list[int], p: int) -> list[cp_model.IntVar]:
    return [tm.x[c][p] for c in courses if p in tm.x[c]]


def _no_clashes(tm: TimeModel) -> None:
    """At most one lecture per curriculum, per teacher and per room (counted) in each period."""
    inst = tm.instance
    by_teacher: dict[str, list[int]] = defaultdict(list)
    for c, course in enumerate(inst.courses):
        by_teacher[course.teacher].append(c)
    groups = [[inst.course_index[cid] for cid in q.courses] for q in inst.curricula]
    groups += [cs for cs in by_teacher.values() if len(cs) > 1]
    everyone = list(range(len(inst.courses)))
    for p in range(inst.periods):
        for group in groups:
            lits = _at_period(tm, group, p)
            if len(lits) > 1:
                tm.model.add_at_most_one(lits)
        lits = _at_period(tm, everyone, p)
        if len(lits) > len(inst.rooms):
            tm.model.add(sum(lits) <= len(inst.rooms))


def _room_capacity(tm: TimeModel) -> list[tuple[int, cp_model.IntVar]]:
    """Exact minimum RoomCapacity per period by breakpoint counting (see module docstring)."""
    inst = tm.instance
    terms: list[tuple[int, cp_model.IntVar]] = []
    for point, weight, rooms in capacity_levels(inst):
        big = [c for c, course in enumerate(inst.courses) if course.students >= point]
        for p in range(inst.periods):
            lits = _at_period(tm, big, p)
            if len(lits) <= rooms:
                continue
            over = tm.model.new_int_var(0, len(lits) - rooms, f"over[{point},{p}]")
            tm.model.add(over >= sum(lits) - rooms)
            terms.append((weight, over))
            tm.owners[over.index] = tuple(c for c in big if p in tm.x[c])
    return terms


def _rooms(
    tm: TimeModel,
) -> tuple[list[tuple[int, cp_model.IntVar]], list[tuple[int, cp_model.IntVar]]]:
    """One room per lecture, one lecture per room and period; capacity and stability costs."""
    inst, model = tm.instance, tm.model
    capacity: list[tuple[int, cp_model.IntVar]] = []
    stability: list[tuple[int, cp_model.IntVar]] = []
    per_room: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for c, course in enumerate(inst.courses):
        uses = [model.new_bool_var(f"u[{course.id},{room.id}]") for room in inst.rooms]
        tm.uses.append(uses)
        for p, x in tm.x[c].items():
            lits = []
            for r, room in enumerate(inst.rooms):
                z = model.new_bool_var(f"z[{course.id},{p},{room.id}]")
                tm.z[c, p, r] = z
                model.add_implication(z, uses[r])
                per_room[p, r].append(z)
                lits.append(z)
                if course.students > room.capacity:
                    capacity.append((course.students - room.capacity, z))
                    tm.owners[z.index] = (c,)
            model.add(sum(lits) == x)
        extra = model.new_int_var(0, len(uses) - 1, f"extra_rooms[{course.id}]")
        model.add(extra >= sum(uses) - 1)
        stability.append((ROOM_STABILITY_COST, extra))
        tm.owners[extra.index] = (c,)
    for lits in per_room.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)
    return capacity, stability


def _min_working_days(tm: TimeModel) -> list[tuple[int, cp_model.IntVar]]:
    """5 per day below a course's minimum number of distinct teaching days."""
    inst = tm.instance
    ppd = inst.periods_per_day
    terms: list[tuple[int, cp_model.IntVar]] = []
    for c, course in enumerate(inst.courses):
        if course.min_working_days <= 1:
            continue
        days = []
        for day in range(inst.days):
            lits = [tm.x[c][p] for p in range(day * ppd, (day + 1) * ppd) if p in tm.x[c]]
            if not lits:
                continue
            used = tm.model.new_bool_var(f"day[{course.id},{day}]")
            tm.model.add_bool_or(lits).only_enforce_if(used)
            days.append(used)
        missing = tm.model.new_int_var(0, course.min_working_days, f"missing[{course.id}]")
        tm.model.add(missing >= course.min_working_days - sum(days))
        terms.append((MIN_WORKING_DAYS_COST, missing))
        tm.owners[missing.index] = (c,)
    return terms


def _curriculum_compactness(tm: TimeModel) -> list[tuple[int, cp_model.IntVar]]:
    """2 per lecture of a curriculum with no lecture of it in an adjacent period that day."""
    inst = tm.instance
    ppd = inst.periods_per_day
    terms: list[tuple[int, cp_model.IntVar]] = []
    for q in inst.curricula:
        members = [inst.course_index[cid] for cid in q.courses]
        busy = [sum(_at_period(tm, members, p)) for p in range(inst.periods)]
        for p in range(inst.periods):
            if not _at_period(tm, members, p):
                continue
            before = busy[p - 1] if p % ppd > 0 else 0
            after = busy[p + 1] if p % ppd < ppd - 1 else 0
            isolated = tm.model.new_bool_var(f"iso[{q.id},{p}]")
            tm.model.add(isolated >= busy[p] - before - after)
            terms.append((CURRICULUM_COMPACTNESS_COST, isolated))
            tm.owners[isolated.index] = tuple(c for c in members if p in tm.x[c])
    return terms
