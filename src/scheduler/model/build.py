"""Assemble the CP-SAT model: variables, hard rules, soft penalties and the objective."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.model.hard_rules import HARD_RULES
from scheduler.model.penalty import Penalty
from scheduler.model.soft_rules import penalties
from scheduler.model.variables import Variables


@dataclass
class BuiltModel:
    """A CP-SAT model with its variables and the penalty terms of its objective."""

    model: cp_model.CpModel
    variables: Variables
    penalties: list[Penalty] = field(default_factory=list)
    extra_objective: list[cp_model.LinearExprT] = field(default_factory=list)

    def set_objective(self) -> None:
        """Minimise the weighted penalties (plus any extra terms, e.g. disruption)."""
        terms = [p.weight * p.units for p in self.penalties] + self.extra_objective
        self.model.minimize(sum(terms))


def hint_solution(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable of `model` with a complete solution (SOLVER_NOTES: hints must be complete)."""
    model.clear_hints()
    hint = model.proto.solution_hint  # written at once: add_hint per variable took 0.2 s here
    hint.vars.extend(range(len(values)))
    hint.values.extend(int(v) for v in values)


class BuildStopped(Exception):
    """`build_model`'s `stop()` said so (the time limit passed during a large build)."""


def build_model(
    problem: Problem,
    with_objective: bool = True,
    with_hard_rules: bool = True,
    stop: Callable[[], bool] | None = None,
    placements: Mapping[str, list[Placement]] | None = None,
) -> BuiltModel:
    """The model of every hard rule (unless not `with_hard_rules`: the variables alone, e.g.
    for what the data forces), and of the soft rules when `with_objective`.

    `placements` (session id -> placements) replaces the data's candidates
    (`Variables.create`), e.g. one placement for each session a local repair keeps.

    `stop`, asked every few sessions' variables and between the rules: BuildStopped when it
    says so (a 1,986-session instance's build took about 100 s, past a 60 s limit: a scaling
    run)."""

    def check() -> None:
        if stop is not None and stop():
            raise BuildStopped

    model = cp_model.CpModel()
    variables = Variables.create(model, problem, placements, between=check)
    for rule in HARD_RULES if with_hard_rules else ():
        check()
        rule(model, problem, variables)
    built = BuiltModel(model, variables)
    if with_objective:  # `check` before each soft rule
        built.penalties = penalties(model, problem, variables, between=check)
        built.set_objective()
    return built


def placements_by_session(built: BuiltModel) -> dict[str, list[tuple[Placement, int]]]:
    """The placement variables of each session, as (placement, proto index)."""
    out: dict[str, list[tuple[Placement, int]]] = {}
    for c, var in built.variables.x.items():
        out.setdefault(c.session.id, []).append((c, var.index))
    return out


def placed_by_session(
    placements: dict[str, list[tuple[Placement, int]]], values: list[int]
) -> dict[str, Placement]:
    """Where a complete assignment `values` places each session (`placements_by_session`)."""
    return {sid: next(c for c, i in pairs if values[i]) for sid, pairs in placements.items()}


def fix_all_but(
    model: cp_model.CpModel,
    placements: dict[str, list[tuple[Placement, int]]],
    values: list[int],
    free: set[str],
    only: Iterable[str] | None = None,
) -> None:
    """Fix the placement of every session outside `free` (variable domains, no new constraint).

    With `only`, just those sessions' domains are written: the caller knows the others are
    already as they should be (rewriting every domain of a large model costs about as much
    as solving a small neighbourhood of it)."""
    variables = model.proto.variables
    for sid in placements if only is None else only:
        for _, index in placements[sid]:
            domain = variables[index].domain
            domain.clear()
            domain.extend([0, 1] if sid in free else [values[index], values[index]])


def keep_series_rooms(
    model: cp_model.CpModel,
    placements: dict[str, list[tuple[Placement, int]]],
    placed: dict[str, Placement],
    free: set[str],
) -> None:
    """Let each session of `free` use only the rooms its series uses at a site in the
    timetable `placed` (session id -> placement).

    At a site where the series has no session yet every room stays open, so that sessions
    may still change site; `placed` itself stays a solution. Fewer room literals make a step
    solve faster (week windows of 20 sessions on the sample: 3 of 6 ran out of 3 s with every
    room, none with the series' rooms), and room changes are what `room_stability` prices.
    """
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in placed.values():
        used[c.session.series_id, c.site].add(c.room)
    variables = model.proto.variables
    for sid in free:
        for c, index in placements[sid]:
            rooms = used.get((c.session.series_id, c.site))
            if rooms and c.room not in rooms:
                domain = variables[index].domain
                domain.clear()
                domain.extend([0, 0])
