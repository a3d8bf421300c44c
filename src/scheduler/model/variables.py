"""Decision variables in a typed container, created only for placements the data allows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session

SESSIONS_BETWEEN_CHECKS = 50  # `Variables.create`'s `between`: 0.3-1 s at 1,986 sessions


@dataclass
class Variables:
    """x[placement] (session at a start slot in a room) and y[session, start] (room-free)."""

    model: cp_model.CpModel
    problem: Problem
    x: dict[Placement, cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    placements: dict[str, list[Placement]] = field(default_factory=dict)
    _starts: dict[str, list[int]] = field(default_factory=dict)
    _occupying: dict[int, list[tuple[Session, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _room_occupying: dict[tuple[str, int], list[cp_model.IntVar]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _site_day: dict[tuple[str, date, str], list[cp_model.IntVar]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _lazy: dict[tuple[object, ...], cp_model.IntVar] = field(default_factory=dict)
    _site_days_of: dict[str, list[tuple[date, str]]] = field(default_factory=dict)
    _site_occupying: dict[tuple[str, int], list[cp_model.IntVar]] = field(
        default_factory=lambda: defaultdict(list)
    )
    derived: dict[tuple[object, ...], Any] = field(default_factory=dict)  # built once, shared
    for_bound: bool = False  # the relaxation for the LP bound: rules choose their strong LP

    @classmethod
    def create(
        cls,
        model: cp_model.CpModel,
        problem: Problem,
        placements: Mapping[str, list[Placement]] | None = None,
        for_bound: bool = False,
        between: Callable[[], None] | None = None,
    ) -> Variables:
        """Create the variables of every allowed placement of every session.

        `placements` (session id -> placements) replaces the filtered candidates, e.g. for the
        diagnostic model of `scheduler.model.conflict_search`, which also keeps relaxable placements.
        With `for_bound` (the relaxation for the LP bound), rules that have a choice build
        the form whose LP is strongest rather than the lightest for the search. `between` is
        called every `SESSIONS_BETWEEN_CHECKS` sessions (`build_model`'s time-limit check,
        which raises: at 1,986 sessions the variables took 11-40 s, past a 60 s limit).
        """
        v = cls(model, problem, for_bound=for_bound)
        keys = [slot.key for slot in problem.slots]  # a slot's name, once (not per placement)
        for k, s in enumerate(problem.sessions):
            if between is not None and k % SESSIONS_BETWEEN_CHECKS == 0:
                between()
            v.placements[s.id] = (
                list(placements[s.id]) if placements is not None else candidates(problem, s)
            )
            starts = sorted({c.start.index for c in v.placements[s.id]})
            v._starts[s.id] = starts
            for t in starts:
                start = problem.slots[t]
                v.y[s.id, t] = model.new_bool_var(f"y[{s.id},{keys[t]}]")
                for slot in problem.occupied(start, s.length) or ():
                    v._occupying[slot.index].append((s, t))
            for c in v.placements[s.id]:
                var = model.new_bool_var(f"x[{s.id},{keys[c.start.index]},{c.room}]")
                v.x[c] = var
                for slot in c.slots:
                    v._room_occupying[c.room, slot.index].append(var)
                    v._site_occupying[c.site, slot.index].append(var)
                v._site_day[s.id, c.start.date, c.site].append(var)
            v._site_days_of[s.id] = sorted({(c.start.date, c.site) for c in v.placements[s.id]})
        return v

    # --- queries used by the rules ---------------------------------------------------------
    def starts(self, session: Session) -> list[int]:
        """Indexes of the dated slots where `session` may start."""
        return self._starts[session.id]

    def start_var(self, session: Session, t: int) -> cp_model.IntVar:
        """True when `session` starts at dated slot `t`."""
        return self.y[session.id, t]

    def occupying(self, slot_index: int) -> list[tuple[Session, cp_model.IntVar]]:
        """(session, start literal) pairs that would occupy dated slot `slot_index`."""
        return [(s, self.y[s.id, t]) for s, t in self._occupying.get(slot_index, [])]

    def room_occupying(self, room: str, slot_index: int) -> list[cp_model.IntVar]:
        """Literals of placements that would occupy `room` at dated slot `slot_index`."""
        return self._room_occupying.get((room, slot_index), [])

    def site_occupying(self, site: str, slot_index: int) -> list[cp_model.IntVar]:
        """Literals of placements that would occupy a room of `site` at dated slot `slot_index`."""
        return self._site_occupying.get((site, slot_index), [])

    def room_slots(self) -> Iterable[tuple[tuple[str, int], list[cp_model.IntVar]]]:
        """Every (room, slot) with the literals that would occupy it."""
        return self._room_occupying.items()

    def at_site_on(self, session: Session, day: date, site: str) -> list[cp_model.IntVar]:
        """Literals placing `session` at `site` on `day`."""
        return self._site_day.get((session.id, day, site), [])

    def site_days(self, session: Session) -> list[tuple[date, str]]:
        """(date, site) pairs where `session` may take place."""
        return self._site_days_of.get(session.id, [])

    def start_index(self, session: Session) -> cp_model.LinearExprT:
        """Index of the dated slot where the session starts."""
        return sum(t * self.y[session.id, t] for t in self._starts[session.id])

    def day(self, session: Session) -> cp_model.LinearExpr | int:
        """Days from the calendar's start to the session's date."""
        slots = self.problem.slots
        return sum(slots[t].day * self.y[session.id, t] for t in self._starts[session.id])

    def lazy_bool(self, key: tuple[object, ...], name: str) -> cp_model.IntVar:
        """A Boolean created on first use (objective-only and auxiliary variables)."""
        if key not in self._lazy:
            self._lazy[key] = self.model.new_bool_var(name)
        return self._lazy[key]

    def lazy_defined_bool(
        self, key: tuple[object, ...], name: str, define: Callable[[cp_model.IntVar], None]
    ) -> cp_model.IntVar:
        """Like `lazy_bool`, calling `define(var)` once, when the variable is created."""
        if key not in self._lazy:
            define(self.lazy_bool(key, name))
        return self._lazy[key]
