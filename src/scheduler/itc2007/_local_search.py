"""Simulated annealing on complete timetables (periods and rooms) with the exact UD2 objective.

A CP-SAT LNS step costs tenths of a second; a local move costs microseconds, so the two
complement each other: the annealer explores many small moves (one lecture to another period
and room, or a swap with the lecture occupying that room and period), the LNS makes larger
exact moves. Hard rules are never broken: a move leaving a clash (curriculum, teacher, two
lectures of a course in one period) is undone, room occupancy is a grid of single cells, and a
lecture only goes to periods its course is available in.

Every soft rule is kept as counters updated on each removal and insertion of a lecture, which
gives the exact cost change of a move: RoomCapacity per lecture, RoomStability from the number
of lectures of a course per room, MinWorkingDays from the lectures per course and day,
CurriculumCompactness from the lectures per curriculum and period (only the three periods
around a change can change their isolation).
"""

from __future__ import annotations

import math
import random
import time

from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.score import (
    CURRICULUM_COMPACTNESS_COST,
    MIN_WORKING_DAYS_COST,
    ROOM_STABILITY_COST,
)

Periods = list[list[int]]
Rooms = list[dict[int, int]]


class Annealer:
    """The timetable as flat counter arrays; ``cost`` is the exact UD2 soft cost."""

    def __init__(self, instance: CttInstance, periods: Periods, rooms: Rooms, seed: int) -> None:
        inst = instance
        self.instance = inst
        self.rng = random.Random(seed)
        n_p, n_r, n_d = inst.periods, len(inst.rooms), inst.days
        self.n_p, self.n_r, self.n_d, self.ppd = n_p, n_r, n_d, inst.periods_per_day
        courses = inst.courses
        teachers = {t: i for i, t in enumerate(dict.fromkeys(c.teacher for c in courses))}
        self.teacher = [teachers[c.teacher] for c in courses]
        self.curricula: list[list[int]] = [[] for _ in courses]
        for q, cur in enumerate(inst.curricula):
            for cid in cur.courses:
                self.curricula[inst.course_index[cid]].append(q)
        self.min_days = [c.min_working_days for c in courses]
        self.over = [max(0, c.students - room.capacity) for c in courses for room in inst.rooms]
        self.available = [
            [p for p in range(n_p) if inst.is_available(c.id, *inst.day_period(p))] for c in courses
        ]
        self.free = [[False] * n_p for _ in courses]
        for c, ps in enumerate(self.available):
            for p in ps:
                self.free[c][p] = True
        self.course_of: list[int] = []
        self.period: list[int] = []
        self.room: list[int] = []
        for c in range(len(courses)):
            for p in periods[c]:
                self.course_of.append(c)
                self.period.append(p)
                self.room.append(rooms[c][p])
        self.occ = [-1] * (n_p * n_r)
        self.q_load = [0] * (len(inst.curricula) * n_p)
        self.t_load = [0] * (len(teachers) * n_p)
        self.c_load = [0] * (len(courses) * n_p)
        self.c_day = [0] * (len(courses) * n_d)
        self.c_days = [0] * len(courses)
        self.c_room = [0] * (len(courses) * n_r)
        self.c_rooms = [0] * len(courses)
        self.hard = 0
        self.cost = 0
        for lec in range(len(self.course_of)):
            self.cost += self._add(lec, self.period[lec], self.room[lec])
        self.cost += MIN_WORKING_DAYS_COST * sum(self.min_days)
        self.best_cost = self.cost
        self.best = (list(self.period), list(self.room))

    def restart(self, periods: Periods, rooms: Rooms) -> None:
        """Continue from another timetable of the same lectures (counters rebuilt)."""
        for lec in range(len(self.course_of)):
            self._remove(lec)
        self.cost = MIN_WORKING_DAYS_COST * sum(self.min_days)
        lec = 0
        for c in range(len(self.instance.courses)):
            for p in periods[c]:
                self.cost += self._add(lec, p, rooms[c][p])
                lec += 1
        self.best_cost = self.cost
        self.best = (list(self.period), list(self.room))

    def _raise(self, base: int, p: int) -> int:
        """Compactness change when the load of a curriculum at ``p`` grows by one.

        ``base`` is the curriculum's offset in ``q_load``, whose entry is not yet increased.
        Only the isolation of ``p`` and its two neighbours in the day can change: ``p`` gains
        one isolated lecture when both neighbours are empty; a neighbour stops being isolated
        when ``p`` goes from empty to busy. The change of a decrease is the negated change of
        the increase back.
        """
        q_load = self.q_load
        slot = p % self.ppd
        last = self.ppd - 1
        before = q_load[base + p - 1] if slot > 0 else 0
        after = q_load[base + p + 1] if slot < last else 0
        delta = 0
        if not before and not after:
            delta += CURRICULUM_COMPACTNESS_COST
        if not q_load[base + p]:
            if before and (slot < 2 or not q_load[base + p - 2]):
                delta -= CURRICULUM_COMPACTNESS_COST * before
            if after and (slot > last - 2 or not q_load[base + p + 2]):
                delta -= CURRICULUM_COMPACTNESS_COST * after
        return delta

    def _add(self, lec: int, p: int, r: int) -> int:
        """Place lecture ``lec`` at ``(p, r)``; the soft cost change (``hard`` updated)."""
        c = self.course_of[lec]
        self.period[lec], self.room[lec] = p, r
        self.occ[p * self.n_r + r] = lec
        delta = self.over[c * self.n_r + r]
        i = c * self.n_r + r
        self.c_room[i] += 1
        if self.c_room[i] == 1:
            self.c_rooms[c] += 1
            if self.c_rooms[c] > 1:
                delta += ROOM_STABILITY_COST
        i = c * self.n_d + p // self.ppd
        self.c_day[i] += 1
        if self.c_day[i] == 1:
            self.c_days[c] += 1
            if self.c_days[c] <= self.min_days[c]:
                delta -= MIN_WORKING_DAYS_COST
        i = c * self.n_p + p
        self.c_load[i] += 1
        if self.c_load[i] > 1:
            self.hard += 1
        i = self.teacher[c] * self.n_p + p
        self.t_load[i] += 1
        if self.t_load[i] > 1:
            self.hard += 1
        for q in self.curricula[c]:
            base = q * self.n_p
            delta += self._raise(base, p)
            i = base + p
            self.q_load[i] += 1
            if self.q_load[i] > 1:
                self.hard += 1
        return delta

    def _remove(self, lec: int) -> int:
        """Take lecture ``lec`` out; the soft cost change (``hard`` updated)."""
        c, p, r = self.course_of[lec], self.period[lec], self.room[lec]
        self.occ[p * self.n_r + r] = -1
        delta = -self.over[c * self.n_r + r]
        i = c * self.n_r + r
        self.c_room[i] -= 1
        if self.c_room[i] == 0:
            self.c_rooms[c] -= 1
            if self.c_rooms[c] >= 1:
                delta -= ROOM_STABILITY_COST
        i = c * self.n_d + p // self.ppd
        self.c_day[i] -= 1
        if self.c_day[i] == 0:
            self.c_days[c] -= 1
            if self.c_days[c] < self.min_days[c]:
                delta += MIN_WORKING_DAYS_COST
        i = c * self.n_p + p
        if self.c_load[i] > 1:
            self.hard -= 1
        self.c_load[i] -= 1
        i = self.teacher[c] * self.n_p + p
        if self.t_load[i] > 1:
            self.hard -= 1
        self.t_load[i] -= 1
        for q in self.curricula[c]:
            base = q * self.n_p
            i = base + p
            if self.q_load[i] > 1:
                self.hard -= 1
            self.q_load[i] -= 1
            delta -= self._raise(base, p)
        return delta

    def run(
        self,
        seconds: float,
        start_temperature: float = 2.0,
        end_temperature: float = 0.05,
    ) -> None:
        """Anneal for ``seconds`` from the current state, cooling geometrically in time."""
        rng = self.rng
        n_lec = len(self.course_of)
        if n_lec == 0 or seconds <= 0:
            return
        start = time.monotonic()
        temperature = start_temperature
        ratio = end_temperature / start_temperature
        iteration = 0
        n_r = self.n_r
        lectures: list[list[int]] = [[] for _ in self.instance.courses]
        for lec, c in enumerate(self.course_of):
            lectures[c].append(lec)
        while True:
            iteration += 1
            if iteration % 500 == 0:
                self.iterations = iteration
                share = (time.monotonic() - start) / seconds
                if share >= 1 or self.best_cost == 0:
                    break
                temperature = start_temperature * ratio**share
            lec = rng.randrange(n_lec)
            c = self.course_of[lec]
            p1, r1 = self.period[lec], self.room[lec]
            roll = rng.random()
            if roll < 0.2:  # room move within the period, mostly to a room the course uses
                p2 = p1
                r2 = self.room[rng.choice(lectures[c])] if roll < 0.1 else rng.randrange(n_r)
            else:
                p2 = rng.choice(self.available[c])
                if roll < 0.7:
                    r2 = r1
                elif roll < 0.9:
                    r2 = self.room[rng.choice(lectures[c])]
                else:
                    r2 = rng.randrange(n_r)
            if p2 == p1 and r2 == r1:
                continue
            other = self.occ[p2 * n_r + r2]
            if other >= 0 and (
                self.course_of[other] == c or not self.free[self.course_of[other]][p1]
            ):
                continue
            delta = self._remove(lec)
            if other >= 0:
                delta += self._remove(other)
            delta += self._add(lec, p2, r2)
            if other >= 0:
                delta += self._add(other, p1, r1)
            if self.hard == 0 and (delta <= 0 or rng.random() < math.exp(-delta / temperature)):
                self.cost += delta
                if self.cost < self.best_cost:
                    self.best_cost = self.cost
                    self.best = (list(self.period), list(self.room))
                continue
            self._remove(lec)
            if other >= 0:
                self._remove(other)
            self._add(lec, p1, r1)
            if other >= 0:
                self._add(other, p2, r2)

    def timetable(self, state: tuple[list[int], list[int]] | None = None) -> tuple[Periods, Rooms]:
        """``(periods, rooms)`` of a state (default: the best one)."""
        period, room = state or self.best
        periods: Periods = [[] for _ in self.instance.courses]
        rooms: Rooms = [{} for _ in self.instance.courses]
        for lec, c in enumerate(self.course_of):
            periods[c].append(period[lec])
            rooms[c][period[lec]] = room[lec]
        return [sorted(ps) for ps in periods], rooms
