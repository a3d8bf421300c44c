"""Simulated annealing on complete timetables (periods and rooms) with the exact UD2 objective.

A CP-SAT LNS step costs tenths of a second; a compiled local move (``_anneal_kernel``) costs
tens of nanoseconds, so the two complement each other: the annealer explores billions of small
moves (one lecture to another period and room, or a swap with the lecture occupying that room
and period), the LNS makes larger exact moves. Hard rules are never broken: a move leaving a
clash (curriculum, teacher, two lectures of a course in one period) is undone, room occupancy
is a grid of single cells, and a lecture only goes to periods its course is available in.

Every soft rule is kept as counters updated on each removal and insertion of a lecture, which
gives the exact cost change of a move: RoomCapacity per lecture, RoomStability from the number
of lectures of a course per room, MinWorkingDays from the lectures per course and day,
CurriculumCompactness from the lectures per curriculum and period (only the three periods
around a change can change their isolation).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from scheduler.itc2007 import _anneal_kernel as kernel
from scheduler.itc2007.ctt import CttInstance
from scheduler.itc2007.score import (
    CURRICULUM_COMPACTNESS_COST,
    MIN_WORKING_DAYS_COST,
    ROOM_STABILITY_COST,
)

Periods = list[list[int]]
Rooms = list[dict[int, int]]

CHUNK_SECONDS = 0.05  # wall time between checks of the clock and temperature updates
CHUNK_MOVES = 100_000  # moves between temperature updates when the run is counted in moves


def _csr(rows: list[list[int]]) -> tuple[list[int], list[int]]:
    """``(ptr, idx)``: the rows concatenated, row ``i`` at ``idx[ptr[i]:ptr[i+1]]``."""
    ptr = [0]
    for row in rows:
        ptr.append(ptr[-1] + len(row))
    return ptr, [v for row in rows for v in row]


def _flags(rows: list[list[int]], width: int) -> list[int]:
    """A flat row-major 0/1 grid of ``len(rows)`` x ``width``: 1 where ``j`` is in ``rows[i]``."""
    flags = [0] * (len(rows) * width)
    for i, row in enumerate(rows):
        for j in row:
            flags[i * width + j] = 1
    return flags


def _curricula_of_courses(inst: CttInstance) -> list[list[int]]:
    """The curricula (indices) of each course."""
    curricula: list[list[int]] = [[] for _ in inst.courses]
    for q, cur in enumerate(inst.curricula):
        for cid in cur.courses:
            curricula[inst.course_index[cid]].append(q)
    return curricula


def _available_periods(inst: CttInstance) -> list[list[int]]:
    """The periods each course is available in."""
    return [
        [p for p in range(inst.periods) if inst.is_available(c.id, *inst.day_period(p))]
        for c in inst.courses
    ]


def _lectures_of_courses(course_of: list[int], n_courses: int) -> list[list[int]]:
    """The lectures (indices) of each course, from the course of each lecture."""
    lectures: list[list[int]] = [[] for _ in range(n_courses)]
    for lec, c in enumerate(course_of):
        lectures[c].append(lec)
    return lectures


def _sizes(inst: CttInstance, n_lec: int) -> dict[int, int]:
    """The kernel's sizes and weights of `inst` with `n_lec` lectures."""
    n_p, n_r, n_d = inst.periods, len(inst.rooms), inst.days
    return {
        kernel.N_P: n_p,
        kernel.N_R: n_r,
        kernel.N_D: n_d,
        kernel.PPD: inst.periods_per_day,
        kernel.W_RS: ROOM_STABILITY_COST,
        kernel.W_MWD: MIN_WORKING_DAYS_COST,
        kernel.W_CC: CURRICULUM_COMPACTNESS_COST,
        kernel.N_LEC: n_lec,
        kernel.N_C: len(inst.courses),
        kernel.N_Q: len(inst.curricula),
    }


def _static_arrays(
    inst: CttInstance, course_of: list[int], teachers: dict[str, int]
) -> dict[int, list[int]]:
    """The kernel's static arrays: the instance's data and the lectures of each course."""
    curricula = _curricula_of_courses(inst)
    available = _available_periods(inst)
    lectures = _lectures_of_courses(course_of, len(inst.courses))
    cur_ptr, cur_idx = _csr(curricula)
    avail_ptr, avail_idx = _csr(available)
    lec_ptr, lec_idx = _csr(lectures)
    return {
        kernel.COURSE_OF: course_of,
        kernel.TEACHER: [teachers[c.teacher] for c in inst.courses],
        kernel.CUR_PTR: cur_ptr,
        kernel.CUR_IDX: cur_idx,
        kernel.MIN_DAYS: [c.min_working_days for c in inst.courses],
        kernel.OVER: [max(0, c.students - rm.capacity) for c in inst.courses for rm in inst.rooms],
        kernel.AVAIL_PTR: avail_ptr,
        kernel.AVAIL_IDX: avail_idx,
        kernel.FREE: _flags(available, inst.periods),
        kernel.LEC_PTR: lec_ptr,
        kernel.LEC_IDX: lec_idx,
        kernel.IN_CUR: _flags(curricula, len(inst.curricula)),
    }


def _block_lengths(inst: CttInstance, n_lec: int, n_teachers: int) -> dict[int, int]:
    """The length of each of the kernel's dynamic blocks."""
    n_p, n_r, n_d, n_c = inst.periods, len(inst.rooms), inst.days, len(inst.courses)
    return {
        kernel.PERIOD: n_lec,
        kernel.ROOM: n_lec,
        kernel.OCC: n_p * n_r,
        kernel.Q_LOAD: len(inst.curricula) * n_p,
        kernel.T_LOAD: n_teachers * n_p,
        kernel.C_LOAD: n_c * n_p,
        kernel.C_DAY: n_c * n_d,
        kernel.C_DAYS: n_c,
        kernel.C_ROOM: n_c * n_r,
        kernel.C_ROOMS: n_c,
        kernel.BEST_PERIOD: n_lec,
        kernel.BEST_ROOM: n_lec,
    }


class Annealer:
    """The timetable as flat counter arrays; ``cost`` is the exact UD2 soft cost."""

    def __init__(self, instance: CttInstance, periods: Periods, rooms: Rooms, seed: int) -> None:
        inst = instance
        self.instance = inst
        courses = inst.courses
        teachers = {t: i for i, t in enumerate(dict.fromkeys(c.teacher for c in courses))}
        self.course_of = [c for c in range(len(courses)) for _ in periods[c]]
        self._static = _static_arrays(inst, self.course_of, teachers)
        self._lengths = _block_lengths(inst, len(self.course_of), len(teachers))
        self._sizes = _sizes(inst, len(self.course_of))
        kernel.seed(seed)
        self.iterations = 0
        self.restart(periods, rooms)
        kernel.anneal(self._s, self._d, 0, 1.0, 1.0)  # compiles now (cached on disk), not in run

    def restart(self, periods: Periods, rooms: Rooms) -> None:
        """Continue from another timetable of the same lectures (counters rebuilt)."""
        self._s, self._d = kernel.layout(self._sizes, self._static, self._lengths)
        n_c = len(self.instance.courses)
        start_periods = [p for c in range(n_c) for p in periods[c]]
        start_rooms = [rooms[c][p] for c in range(n_c) for p in periods[c]]
        kernel.fill(
            self._s,
            self._d,
            np.array(start_periods, dtype=np.int64),
            np.array(start_rooms, dtype=np.int64),
        )

    def _block(self, block: int) -> list[int]:
        """The dynamic block ``block`` (a ``kernel`` offset name) as Python ints."""
        start = int(self._s[block])
        return [int(v) for v in self._d[start : start + self._lengths[block]]]

    @property
    def cost(self) -> int:
        """The UD2 soft cost of the current timetable."""
        return int(self._d[kernel.COST])

    @property
    def best_cost(self) -> int:
        """The UD2 soft cost of the best timetable seen."""
        return int(self._d[kernel.BEST])

    @property
    def period(self) -> list[int]:
        """Current period of each lecture."""
        return self._block(kernel.PERIOD)

    @property
    def room(self) -> list[int]:
        """Current room of each lecture."""
        return self._block(kernel.ROOM)

    def run(
        self,
        seconds: float,
        start_temperature: float = 2.0,
        end_temperature: float = 0.05,
        stop: Callable[[], bool] = lambda: False,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Anneal for ``seconds`` from the current state, cooling geometrically in time.

        The compiled kernel runs in chunks of about ``CHUNK_SECONDS``; between chunks the
        clock is read and the temperature range of the next chunk is set from the share of
        ``seconds`` elapsed, ``stop()`` is asked whether to end early and ``progress(cost)``
        told of a better best cost (at most once a second).
        """
        if not self.course_of or seconds <= 0:
            return
        start = time.monotonic()
        ratio = end_temperature / start_temperature
        moves = 1000
        share = 0.0
        reported, told = self.best_cost, start
        while share < 1 and self.best_cost > 0 and not stop():
            chunk_start = time.monotonic()
            # the share of the run this chunk covers, estimated from the last chunk's speed
            next_share = min(1.0, share + CHUNK_SECONDS / seconds)
            kernel.anneal(
                self._s,
                self._d,
                moves,
                start_temperature * ratio**share,
                start_temperature * ratio**next_share,
            )
            now = time.monotonic()
            took = max(now - chunk_start, 1e-6)
            moves = max(1000, min(int(moves * CHUNK_SECONDS / took), 2 * moves))
            share = (now - start) / seconds
            if progress is not None and self.best_cost < reported and now - told >= 1.0:
                reported, told = self.best_cost, now  # at most one report a second
                progress(reported)
        self.iterations = int(self._d[kernel.MOVES])

    def run_moves(
        self,
        moves: int,
        start_temperature: float = 2.0,
        end_temperature: float = 0.05,
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """Anneal for `moves` moves, cooling geometrically in moves: chunks of `CHUNK_MOVES`,
        whatever the machine's speed, so that a seed gives the same timetable anywhere (the
        deterministic mode; `run` cools in time)."""
        if not self.course_of or moves <= 0:
            return
        ratio = end_temperature / start_temperature
        done = 0
        while done < moves and self.best_cost > 0 and not stop():
            chunk = min(CHUNK_MOVES, moves - done)
            kernel.anneal(
                self._s,
                self._d,
                chunk,
                start_temperature * ratio ** (done / moves),
                start_temperature * ratio ** ((done + chunk) / moves),
            )
            done += chunk
        self.iterations = int(self._d[kernel.MOVES])

    def timetable(self, state: tuple[list[int], list[int]] | None = None) -> tuple[Periods, Rooms]:
        """``(periods, rooms)`` of a state (default: the best one)."""
        if state is None:
            period, room = self._block(kernel.BEST_PERIOD), self._block(kernel.BEST_ROOM)
        else:
            period, room = state
        periods: Periods = [[] for _ in self.instance.courses]
        rooms: Rooms = [{} for _ in self.instance.courses]
        for lec, c in enumerate(self.course_of):
            periods[c].append(period[lec])
            rooms[c][period[lec]] = room[lec]
        return [sorted(ps) for ps in periods], rooms
