"""What a soft rule returns (`Penalty`) and the two constructs the rules share: an excess
over a limit and a flag that is the OR of literals, both exact in any solution."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

Model = cp_model.CpModel


@dataclass(frozen=True)
class Penalty:
    """`units` (a linear expression) of a soft rule for some entities; cost = weight x units."""

    rule: str
    entities: tuple[str, ...]
    units: cp_model.LinearExpr | int
    weight: int


def excess(m: Model, expr: cp_model.LinearExprT, limit: int, ub: int, name: str) -> cp_model.IntVar:
    """max(0, expr - limit) as a variable (tight when minimised)."""
    over = m.new_int_var(0, max(0, ub), name)
    m.add_max_equality(over, [expr - limit, 0])
    return over


def flag_of(m: Model, flag: cp_model.IntVar, lits: list[cp_model.IntVar]) -> None:
    """flag == OR(lits): exact, so that costs are right in any solution, not only optimal ones."""
    for lit in lits:
        m.add_implication(lit, flag)
    m.add(flag <= cp_model.LinearExpr.sum(lits))
