"""Which sessions a neighbourhood step of `model.lns` frees: a window of weeks or whole series.

A step frees about `size` sessions of the current timetable and re-solves them with every
other session fixed (`model.steps`). Two kinds, chosen evenly at random: the sessions placed from a
random date on, in date order ("weeks"), and every session of random series ("series").
Whether the freed sessions may take any room or only their series' rooms is drawn too
(`any_room`).

Tried and not kept (benchmarks/README.md): a third kind around a penalty term drawn by cost
(twice, 7 seeds the second time: median 1,010 against 1,006 without it), and series chosen
among those sharing students with a first one (1,016-1,089 against 985-1,093), and the kind
drawn by its recent gain per second of solving (median 1,033 against 1,006), week
windows in 70 % of the steps (paired differences -41 to +50 over seeds 0-6), and half of
the week steps freeing two windows of half the size from two random dates, so that sessions
trade places across the year (paired over seeds 0-13: differences -50 to +53, mean -0.6).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem

START_SIZE, MIN_SIZE = 15.0, 5.0  # sessions freed by a step (adapted as the search goes)
# Steps whose freed sessions may take any room; the others keep their series' rooms at the
# sites it uses (`build.keep_series_rooms`), which alone could never give a series a room
# it does not use yet at a site (e.g. a larger one, when room capacity is soft).
ANY_ROOM_SHARE = 0.2


@dataclass
class Neighbourhoods:
    """Random neighbourhoods of a timetable: about `size` sessions to free.

    `size` adapts: it grows after a neighbourhood solved to optimality in under half the step
    time and shrinks after one that did not prove its optimum (out of time, or stopped for
    finding nothing better: `steps.StallStop`), so that steps stay short, and mostly exact, on
    small programmes and large faculties alike.
    """

    problem: Problem
    rng: random.Random
    step_seconds: float
    size: float = START_SIZE

    def choose(self, placed: dict[str, Placement]) -> tuple[str, set[str]]:
        """("weeks", a window of consecutive weeks) or ("series", a few series), evenly."""
        if self.rng.random() < 0.5:
            return "weeks", self.week_window(placed)
        return "series", self.series(placed)

    def any_room(self) -> bool:
        """Whether this step's freed sessions may use every room (`ANY_ROOM_SHARE` of steps)."""
        return self.rng.random() < ANY_ROOM_SHARE

    def week_window(self, placed: dict[str, Placement]) -> set[str]:
        """The sessions placed from a random date on, in date order, about `size` of them."""
        order = sorted(placed, key=lambda sid: (placed[sid].start.date, sid))
        first = self.rng.randrange(len(order))
        return set(order[first : first + max(1, round(self.size))])

    def series(self, placed: dict[str, Placement]) -> set[str]:
        """Every session of random series, until about `size` sessions."""
        names = sorted(self.problem.series)
        self.rng.shuffle(names)
        free: set[str] = set()
        for name in names:
            if len(free) >= self.size:
                break
            free |= {s.id for s in self.problem.series[name]}
        return free

    def learn(self, optimal: bool, seconds: float) -> None:
        """Grow after a quick exact step, shrink after a step that did not prove its optimum."""
        if optimal and seconds < self.step_seconds / 2:
            self.size = min(self.size * 1.15, len(self.problem.sessions))
        elif not optimal:
            self.size = max(MIN_SIZE, self.size * 0.85)
