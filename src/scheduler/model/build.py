"""Assemble the CP-SAT model: variables, hard rules, soft penalties and the objective."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement
from scheduler.data.problem import Problem
from scheduler.model.hard_rules import HARD_RULES
from scheduler.model.soft_rules import Penalty, penalties
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


def build_model(problem: Problem, with_objective: bool = True) -> BuiltModel:
    """The model of every hard rule, and of the soft rules when `with_objective`."""
    model = cp_model.CpModel()
    variables = Variables.create(model, problem)
    for rule in HARD_RULES:
        rule(model, problem, variables)
    built = BuiltModel(model, variables)
    if with_objective:
        built.penalties = penalties(model, problem, variables)
        built.set_objective()
    return built


def placements_by_session(built: BuiltModel) -> dict[str, list[tuple[Placement, int]]]:
    """The placement variables of each session, as (placement, proto index)."""
    out: dict[str, list[tuple[Placement, int]]] = {}
    for c, var in built.variables.x.items():
        out.setdefault(c.session.id, []).append((c, var.index))
    return out


def fix_all_but(
    model: cp_model.CpModel,
    placements: dict[str, list[tuple[Placement, int]]],
    values: list[int],
    free: set[str],
) -> None:
    """Fix the placement of every session outside `free` (variable domains, no new constraint)."""
    variables = model.proto.variables
    for sid, pairs in placements.items():
        for _, index in pairs:
            domain = variables[index].domain
            domain.clear()
            domain.extend([0, 1] if sid in free else [values[index], values[index]])
