"""Stage B of the CB-CTT solver: rooms for lectures whose periods are fixed.

A small CP-SAT model: ``z[c, p, r]`` puts the lecture of course ``c`` at period ``p`` in room
``r`` (exactly one room per lecture, at most one lecture per room and period), ``u[c, r]`` marks
the rooms a course uses. It minimises RoomCapacity + RoomStability exactly for the given periods.
A greedy sorted matching (largest course in the largest free room, preferring the course's
previous room) is the complete hint, so the model always starts from a feasible assignment.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.itc2007.ctt import Course, CttInstance
from scheduler.itc2007.score import ROOM_STABILITY_COST
from scheduler.model import interrupt


@dataclass(frozen=True)
class RoomAssignment:
    """``rooms[c][p]``: room index of course ``c`` at period ``p``; ``cost`` its stage B cost."""

    rooms: list[dict[int, int]]
    cost: int
    optimal: bool


def room_cost(instance: CttInstance, rooms: list[dict[int, int]]) -> int:
    """RoomCapacity + RoomStability of an assignment."""
    cost = 0
    for course, by_period in zip(instance.courses, rooms, strict=True):
        for r in by_period.values():
            cost += max(0, course.students - instance.rooms[r].capacity)
        cost += ROOM_STABILITY_COST * max(0, len(set(by_period.values())) - 1)
    return cost


def home_rooms(instance: CttInstance, periods: list[list[int]]) -> list[dict[int, int]]:
    """Courses by decreasing size take one room free in all their periods, if there is one.

    The smallest such room seating the course is taken. Courses left without a home room are
    placed period by period, preferring rooms seating them, then the largest free room.
    """
    caps = [room.capacity for room in instance.rooms]
    taken: dict[int, set[int]] = {p: set() for ps in periods for p in ps}
    result: list[dict[int, int]] = [{} for _ in instance.courses]
    order = sorted(
        (c for c in range(len(periods)) if periods[c]),
        key=lambda c: (-instance.courses[c].students, -len(periods[c]), c),
    )
    homeless = []
    for c in order:
        need = instance.courses[c].students
        fitting = [
            r
            for r in range(len(caps))
            if caps[r] >= need and all(r not in taken[p] for p in periods[c])
        ]
        if not fitting:
            homeless.append(c)
            continue
        r = min(fitting, key=lambda r: (caps[r], r))
        for p in periods[c]:
            taken[p].add(r)
            result[c][p] = r
    for c in homeless:
        need = instance.courses[c].students
        for p in periods[c]:
            free = [r for r in range(len(caps)) if r not in taken[p]]
            fitting = [r for r in free if caps[r] >= need]
            mine = [r for r in fitting if r in result[c].values()]
            if mine:
                r = mine[0]
            elif fitting:
                r = min(fitting, key=lambda r: (caps[r], r))
            else:
                r = max(free, key=lambda r: caps[r])
            taken[p].add(r)
            result[c][p] = r
    return result


def greedy_rooms(
    instance: CttInstance,
    periods: list[list[int]],
    previous: list[dict[int, int]] | None = None,
) -> list[dict[int, int]]:
    """Per period, courses by decreasing size take the smallest free room seating them.

    If none seats a course it takes the largest free room. Among rooms that seat it, a course
    prefers one it already uses (``previous`` or earlier periods), which keeps stability cheap.
    """
    by_period: dict[int, list[int]] = {}
    for c, ps in enumerate(periods):
        for p in ps:
            by_period.setdefault(p, []).append(c)
    used: list[set[int]] = [set() for _ in instance.courses]
    if previous is not None:
        for c, rooms in enumerate(previous):
            used[c].update(rooms.values())
    result: list[dict[int, int]] = [{} for _ in instance.courses]
    caps = [room.capacity for room in instance.rooms]
    for p in sorted(by_period):
        free = set(range(len(caps)))
        for c in sorted(by_period[p], key=lambda c: -instance.courses[c].students):
            need = instance.courses[c].students
            fitting = [r for r in free if caps[r] >= need]
            if fitting:
                mine = [r for r in fitting if r in used[c]]
                r = min(mine or fitting, key=lambda r: (caps[r], r))
            else:
                r = max(free, key=lambda r: (caps[r], -r))
            free.discard(r)
            used[c].add(r)
            result[c][p] = r
    return result


def best_greedy_rooms(
    instance: CttInstance,
    periods: list[list[int]],
    previous: list[dict[int, int]] | None = None,
) -> list[dict[int, int]]:
    """The cheaper of ``home_rooms`` and ``greedy_rooms``."""
    first = home_rooms(instance, periods)
    second = greedy_rooms(instance, periods, previous)
    return min(first, second, key=lambda rooms: room_cost(instance, rooms))


def _add_course(
    model: cp_model.CpModel,
    c: int,
    course: Course,
    periods: list[int],
    hint: dict[int, int],
    caps: list[int],
    z: dict[tuple[int, int, int], cp_model.IntVar],
) -> list[cp_model.LinearExprT]:
    """Add course `c`'s variables (into `z`), rules and hint to `model`; return its objective
    terms."""
    n_rooms = len(caps)
    objective: list[cp_model.LinearExprT] = []
    uses = [model.new_bool_var(f"u[{course.id},{r}]") for r in range(n_rooms)]
    for p in periods:
        lits = []
        for r in range(n_rooms):
            var = model.new_bool_var(f"z[{course.id},{p},{r}]")
            z[c, p, r] = var
            model.add_implication(var, uses[r])
            model.add_hint(var, hint[p] == r)
            lits.append(var)
            excess = course.students - caps[r]
            if excess > 0:
                objective.append(excess * var)
        model.add_exactly_one(lits)
    for r in range(n_rooms):
        model.add_hint(uses[r], r in hint.values())
    model.add(sum(uses) >= 1)
    objective.append(ROOM_STABILITY_COST * (sum(uses) - 1))
    return objective


def _stage_b_model(
    instance: CttInstance, periods: list[list[int]], start: list[dict[int, int]]
) -> tuple[cp_model.CpModel, dict[tuple[int, int, int], cp_model.IntVar]]:
    """The stage B model for fixed `periods`, hinted with `start`, and its ``z`` variables."""
    model = cp_model.CpModel()
    caps = [room.capacity for room in instance.rooms]
    z: dict[tuple[int, int, int], cp_model.IntVar] = {}
    objective: list[cp_model.LinearExprT] = []
    for c, course in enumerate(instance.courses):
        if not periods[c]:
            continue
        objective += _add_course(model, c, course, periods[c], start[c], caps, z)
    occupancy: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (_, p, r), var in z.items():
        occupancy.setdefault((p, r), []).append(var)
    for lits in occupancy.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)
    model.minimize(sum(objective))
    return model, z


def solve_rooms(
    instance: CttInstance,
    periods: list[list[int]],
    time_limit: float,
    workers: int,
    seed: int,
    previous: list[dict[int, int]] | None = None,
) -> RoomAssignment:
    """Rooms minimising RoomCapacity + RoomStability for fixed ``periods[c]`` (stage B)."""
    start = best_greedy_rooms(instance, periods, previous)
    model, z = _stage_b_model(instance, periods, start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = interrupt.solve(solver, model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RoomAssignment(start, room_cost(instance, start), False)
    rooms: list[dict[int, int]] = [{} for _ in instance.courses]
    for (c, p, r), var in z.items():
        if solver.boolean_value(var):
            rooms[c][p] = r
    cost = room_cost(instance, rooms)
    greedy_cost = room_cost(instance, start)
    if greedy_cost < cost:
        return RoomAssignment(start, greedy_cost, False)
    return RoomAssignment(rooms, cost, status == cp_model.OPTIMAL)
