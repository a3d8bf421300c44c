"""A smaller model whose optimum is a lower bound of the full model's: rooms pooled per site.

Only the lower bound is taken from it (`model.lp_bound`), never a timetable. Each session keeps
one placement per (start, site), the one with the largest room (least overflow), so that the
variables are about a sixth as many. What it gives up, and why the bound stays valid:

- room double booking becomes, per site and slot, "the sessions that can only use rooms of a
  set R are at most |R|" for each session's set of suitable rooms R (Hall's condition: every
  timetable meets it);
- `room_stability` and `oversized_room` are left out (their units are never negative; the
  room kept is the largest, which the second would charge);
- `room_overflow` counts the largest room of the site (the least any room of it can cost).

It adds the per-key form of the series order (`cuts.cumulative_precedence`), which the
linear relaxation needs (on the sample: 841 without, 882 with) but which slows CP-SAT's own
search, so the full model does without it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement, candidates
from scheduler.data.problem import Problem
from scheduler.model.build import BuiltModel
from scheduler.model.cuts import StartedBy, cumulative_precedence, day_started
from scheduler.model.hard_rules import HARD_RULES, no_room_double_booking
from scheduler.model.soft_rules import penalties
from scheduler.model.variables import Variables

LEFT_OUT = ("room_stability", "oversized_room")  # soft rules the relaxation does not count


def _pooled(p: Problem) -> tuple[dict[str, list[Placement]], dict[Placement, frozenset[str]]]:
    """One placement per (session, start, site): the largest room; with its suitable rooms."""
    placements: dict[str, list[Placement]] = {}
    suitable: dict[Placement, frozenset[str]] = {}
    for s in p.sessions:
        rooms: dict[tuple[int, str], list[Placement]] = defaultdict(list)
        for c in candidates(p, s):
            rooms[c.start.index, c.site].append(c)
        kept = []
        for options in rooms.values():
            best = max(options, key=lambda c: (p.room[c.room].capacity, c.room))
            suitable[best] = frozenset(c.room for c in options)
            kept.append(best)
        placements[s.id] = kept
    return placements, suitable


def _site_capacity(
    m: cp_model.CpModel, v: Variables, suitable: dict[Placement, frozenset[str]]
) -> None:
    """Per site and slot: sessions whose suitable rooms all lie in R are at most |R|."""
    using: dict[tuple[str, int], list[tuple[frozenset[str], cp_model.IntVar]]] = defaultdict(list)
    for c, var in v.x.items():
        for slot in c.slots:
            using[c.site, slot.index].append((suitable[c], var))
    for pairs in using.values():
        for rooms in {r for r, _ in pairs}:
            lits = [var for r, var in pairs if r <= rooms]
            if len(lits) > len(rooms):
                m.add(sum(lits) <= len(rooms))


def _series_order(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    slots = StartedBy(m, v, lambda t: t, "slot_started")
    days = day_started(v)
    for sessions in p.chains.values():
        for a, b in itertools.pairwise(sessions):
            cumulative_precedence(m, slots, a, b, a.length)
            if a.min_days_between > 0:
                cumulative_precedence(m, days, a, b, a.min_days_between)


def site_relaxation(problem: Problem) -> BuiltModel:
    """The relaxed model with its objective (see the module's docstring)."""
    model = cp_model.CpModel()
    placements, suitable = _pooled(problem)
    variables = Variables.create(model, problem, placements, for_bound=True)
    for rule in HARD_RULES:
        if rule is not no_room_double_booking:
            rule(model, problem, variables)
    _site_capacity(model, variables, suitable)
    _series_order(model, problem, variables)
    built = BuiltModel(model, variables)
    built.penalties = penalties(model, problem, variables, left_out=LEFT_OUT)
    built.set_objective()
    return built
