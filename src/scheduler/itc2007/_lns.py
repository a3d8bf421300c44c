"""Large-neighbourhood search for the CB-CTT solver, on the stage A model or the full model.

The model (periods only, or periods and rooms) is built once. Each step clones it, fixes every
variable outside a neighbourhood to its current value, hints the whole current solution (so the
sub-solve starts from a feasible, complete assignment) and accepts the result when its cost is
not worse (equal-cost moves let the search drift across plateaus).
Neighbourhoods, chosen at random with a seeded generator:

* ``related``: courses reached from a random course through shared curricula and teachers;
* ``costly``: the same, from a course involved in a penalty of the current solution;
* ``courses``: random courses;
* ``rooms`` (when rooms are in the model): only the rooms of some courses, mostly costly ones;
* ``days``: every course, but only in a few random days (lectures move within those days;
  one day when rooms are in the model).

The share of courses freed adapts: it grows when sub-solves are proved optimal and shrinks when
they hit their (deterministic) time limit. Sub-solves use ``max_deterministic_time``, so a run is
repeatable for a given seed up to the point where the wall-clock limit cuts it; on the
deterministic clock (``_clock``), wholly.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.itc2007._clock import Clock
from scheduler.itc2007._time_model import TimeModel
from scheduler.model import interrupt

OnTimetable = Callable[[list[list[int]], list[dict[int, int]], bool], int]
Say = Callable[[str], None]

STEP_DETERMINISTIC_TIME = 1.0
MIN_SHARE, MAX_SHARE = 0.03, 0.6
KEEP_ROOMS_SHARE = 0.5  # joint model: share of course moves restricted to the rooms in use
STEP_LINEARIZATION = 0  # no LP in LNS steps: faster steps (CP-SAT's default is 1)


class Lns:
    """The search state: the current full solution vector of the model and its cost."""

    def __init__(
        self,
        tm: TimeModel,
        values: list[int],
        rooms: list[dict[int, int]],
        workers: int,
        seed: int,
        on_timetable: OnTimetable,
        say: Say,
        clock: Clock,
    ) -> None:
        self.tm = tm
        self.clock = clock
        self.values = values
        self.rooms = rooms
        self.workers = workers
        self.seed = seed
        self.rng = random.Random(seed)
        self.on_timetable = on_timetable
        self.say = say
        self.share = 0.15
        self.cost = self.objective(values)
        self.best_cost = self.cost
        rooms_count = len(tm.instance.rooms) if tm.z else 0
        self.x_vars = [
            (c, p, [var.index] + [tm.z[c, p, r].index for r in range(rooms_count)])
            for c, row in enumerate(tm.x)
            for p, var in row.items()
        ]
        self.neighbours = _conflict_graph(tm)

    def objective(self, values: list[int]) -> int:
        """The model's objective for a full solution vector."""
        return sum(w * values[var.index] for terms in self.tm.terms.values() for w, var in terms)

    def run(self, remaining: Callable[[], float]) -> None:
        """Improve until ``remaining()`` (of the clock: seconds, or deterministic units) runs out."""
        step = 0
        while remaining() > 0.1 and self.best_cost > 0:
            step += 1
            kind, courses, days = self.neighbourhood()
            if self.tm.z and kind != "rooms" and not days and self.rng.random() < KEEP_ROOMS_SHARE:
                kind += "+keep"
            status, values = self.sub_solve(courses, days, kind, remaining(), step)
            if status == cp_model.OPTIMAL:
                self.share = min(MAX_SHARE, self.share * 1.05)
            else:
                self.share = max(MIN_SHARE, self.share * 0.93)
            if not values:
                continue
            cost = self.objective(values)
            if cost > self.cost:
                continue
            self.values, self.cost = values, cost
            if cost < self.best_cost:
                self.best_cost = cost
                self.say(f"step {step} ({kind}): cost {cost}, share {self.share:.2f}")
                if self.tm.z:
                    self.rooms = self.tm.rooms_of(values)
                self.on_timetable(self.tm.periods_of(values), self.rooms, bool(self.tm.z))

    def neighbourhood(self) -> tuple[str, set[int], set[int]]:
        """``(kind, freed courses, freed days)``: a course is free everywhere, a day for all."""
        n = len(self.tm.x)
        size = max(2, round(self.share * n))
        roll = self.rng.random()
        days = self.tm.instance.days
        if roll < 0.2 and days > 2:
            count = 1 if self.tm.z else max(2, min(days - 1, round(self.share * days * 2)))
            return "days", set(), set(self.rng.sample(range(days), count))
        if self.tm.z and roll < 0.35:
            pool = [c for c in self.costly_courses() if self.rng.random() < 0.5] or range(n)
            chosen_rooms = self.rng.sample(list(pool), min(len(pool), 2 * size))
            return "rooms", set(chosen_rooms), set()
        if roll < 0.4:
            return "courses", set(self.rng.sample(range(n), min(n, size))), set()
        costly = self.costly_courses() if roll < 0.7 else []
        chosen: list[int] = [self.rng.choice(costly) if costly else self.rng.randrange(n)]
        seen = set(chosen)
        i = 0
        while len(chosen) < size:
            if i == len(chosen):  # component exhausted: jump to a random course
                rest = [c for c in range(n) if c not in seen]
                if not rest:
                    break
                chosen.append(self.rng.choice(rest))
                seen.add(chosen[-1])
            around = [c for c in self.neighbours[chosen[i]] if c not in seen]
            self.rng.shuffle(around)
            for c in around[: size - len(chosen)]:
                chosen.append(c)
                seen.add(c)
            i += 1
        return ("costly" if costly else "related"), set(chosen), set()

    def costly_courses(self) -> list[int]:
        """Courses involved in a positive penalty of the current solution, in index order."""
        owners = self.tm.owners
        found = {
            c
            for terms in self.tm.terms.values()
            for _, var in terms
            if self.values[var.index]
            for c in owners.get(var.index, ())
        }
        return sorted(found)

    def other_rooms(self, courses: set[int]) -> list[int]:
        """Indices of ``z[c, p, r]`` (all 0 now) for rooms ``c`` neither uses nor may try."""
        n_rooms = len(self.tm.instance.rooms)
        allowed = {c: {*self.rooms[c].values(), self.rng.randrange(n_rooms)} for c in courses}
        return [
            indices[1 + r]
            for c, _, indices in self.x_vars
            if c in courses
            for r in range(n_rooms)
            if r not in allowed[c]
        ]

    def sub_solve(
        self, courses: set[int], days: set[int], kind: str, seconds: float, step: int
    ) -> tuple[cp_model.CpSolverStatus, list[int]]:
        """Solve with every ``x`` outside the neighbourhood fixed, from the current solution.

        ``kind`` ``rooms``: every period stays, only the rooms of ``courses`` may change;
        ``...+keep``: ``courses`` may move but only into rooms they use now or one random room.
        """
        model = self.tm.model.clone()
        proto = model.proto
        ppd = self.tm.instance.periods_per_day
        fixed = [
            index
            for c, p, indices in self.x_vars
            if not (c in courses or p // ppd in days)
            for index in indices
        ]
        if kind == "rooms":
            fixed += [indices[0] for c, _, indices in self.x_vars if c in courses]
        if kind.endswith("+keep"):
            fixed += self.other_rooms(courses)
        if not days:
            fixed += [
                var.index for c, uses in enumerate(self.tm.uses) if c not in courses for var in uses
            ]
        for index in fixed:
            value = self.values[index]
            domain = proto.variables[index].domain
            domain.clear()
            domain.extend([value, value])
        proto.solution_hint.vars.extend(range(len(self.values)))
        proto.solution_hint.values.extend(self.values)
        solver = cp_model.CpSolver()
        self.clock.limit_solver(solver, seconds, self.workers)
        solver.parameters.max_deterministic_time = min(
            STEP_DETERMINISTIC_TIME, solver.parameters.max_deterministic_time
        )
        solver.parameters.random_seed = self.seed + step
        solver.parameters.linearization_level = STEP_LINEARIZATION
        status = interrupt.solve(solver, model)
        self.clock.charge_solver(solver)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, list(solver.response_proto.solution)
        return status, []


def complete(
    tm: TimeModel,
    periods: list[list[int]],
    rooms: list[dict[int, int]],
    seconds: float,
    seed: int,
    clock: Clock,
) -> list[int]:
    """A full solution vector of ``tm`` for a timetable (rooms used if ``tm`` has them).

    Fixes the timetable and solves for the auxiliary variables, so that LNS steps get a complete
    hint. Empty when the timetable does not fit the model (or time runs out).
    """
    model = tm.model.clone()
    for c, row in enumerate(tm.x):
        for p, var in row.items():
            model.add(var == int(p in periods[c]))
    for (c, p, r), var in tm.z.items():
        model.add(var == int(rooms[c].get(p) == r))
    solver = cp_model.CpSolver()
    clock.limit_solver(solver, max(0.1, seconds), 1)
    solver.parameters.random_seed = seed
    status = interrupt.solve(solver, model, stoppable=False)  # completes a timetable found
    clock.charge_solver(solver)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(solver.response_proto.solution)
    return []


def _conflict_graph(tm: TimeModel) -> list[list[int]]:
    """Courses sharing a curriculum or a teacher with each course."""
    inst = tm.instance
    neighbours: list[set[int]] = [set() for _ in inst.courses]
    groups = [[inst.course_index[cid] for cid in q.courses] for q in inst.curricula]
    by_teacher: dict[str, list[int]] = {}
    for c, course in enumerate(inst.courses):
        by_teacher.setdefault(course.teacher, []).append(c)
    for group in [*groups, *by_teacher.values()]:
        for c in group:
            neighbours[c].update(d for d in group if d != c)
    return [sorted(s) for s in neighbours]
