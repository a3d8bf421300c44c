"""A CP-SAT model's linear relaxation as a linear program (`linear_program`).

The model's constraints are linearised one by one; a constraint that has no linear form here
(or that is enforced by literals and has no finite big-M) is left out, which only weakens the
relaxation: every solution of the model satisfies the linear program. `model.lp_bound`
solves it with HiGHS for a lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model, cp_model_helper

INT_LIMIT = 2**62  # CP-SAT writes "unbounded" as +-2^63 - 1


@dataclass
class LinearProgram:
    """min cost.x + offset over lower <= x <= upper and row_lower <= A x <= row_upper."""

    cost: list[float]
    lower: list[float]
    upper: list[float]
    offset: float = 0.0
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def add_row(self, terms: dict[int, float], lo: float, hi: float) -> None:
        """lo <= sum(coef * x[var]) <= hi (either side may be infinite)."""
        self.index += terms.keys()
        self.value += terms.values()
        self.starts.append(len(self.index))
        self.row_lower.append(lo)
        self.row_upper.append(hi)


def _finite(value: float) -> float:
    return math.inf if value >= INT_LIMIT else -math.inf if value <= -INT_LIMIT else float(value)


class _Rows:
    """Linear forms of literals and of "enforcement literals all true"."""

    def __init__(self, lp: LinearProgram) -> None:
        self.lp = lp

    @staticmethod
    def literal(terms: dict[int, float], lit: int, coef: float) -> float:
        """Add coef * value(lit) to `terms`; returns the constant part (coef for a negation)."""
        if lit >= 0:
            terms[lit] = terms.get(lit, 0.0) + coef
            return 0.0
        var = -lit - 1
        terms[var] = terms.get(var, 0.0) - coef
        return coef

    def literals(self, lits: Sequence[int]) -> tuple[dict[int, float], float]:
        """The sum of the literals' values, as (terms, constant)."""
        terms: dict[int, float] = {}
        return terms, sum(self.literal(terms, lit, 1.0) for lit in lits)

    def add(
        self,
        terms: dict[int, float],
        constant: float,
        lo: float,
        hi: float,
        enforcement: Sequence[int],
        low_m: float,
        high_m: float,
    ) -> None:
        """lo <= terms + constant <= hi when every enforcement literal holds.

        Enforced, each side is moved by M x slack, slack = sum(1 - e) (0 exactly when all
        hold); `low_m`/`high_m` are the M that make a side hold whatever the terms are (a side
        that needs none, or has no finite one, adds no row).
        """
        if not enforcement:
            self.lp.add_row(terms, lo - constant, hi - constant)
            return
        slack: dict[int, float] = {}
        count = sum(self.literal(slack, e, -1.0) + 1.0 for e in enforcement)  # sum(1 - e)
        if math.isfinite(lo) and 0 < low_m < math.inf:
            row = dict(terms)
            for var, coef in slack.items():
                row[var] = row.get(var, 0.0) + low_m * coef
            self.lp.add_row(row, lo - constant - low_m * count, math.inf)
        if math.isfinite(hi) and 0 < high_m < math.inf:
            row = dict(terms)
            for var, coef in slack.items():
                row[var] = row.get(var, 0.0) - high_m * coef
            self.lp.add_row(row, -math.inf, hi - constant + high_m * count)


def linear_program(model: cp_model.CpModel) -> LinearProgram:
    """The linear relaxation of `model` (see the module's docstring)."""
    proto = model.proto
    bounds = [list(v.domain) for v in proto.variables]
    lp = LinearProgram(
        cost=[0.0] * len(bounds),
        lower=[_finite(d[0]) for d in bounds],
        upper=[_finite(d[-1]) for d in bounds],
        offset=float(proto.objective.offset),
    )
    scale = proto.objective.scaling_factor or 1.0
    lp.offset *= scale
    for var, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if var >= 0:
            lp.cost[var] += scale * coef
        else:  # a negated literal: coef * (1 - x)
            lp.cost[-var - 1] -= scale * coef
            lp.offset += scale * coef
    rows = _Rows(lp)
    for ct in proto.constraints:
        _add_constraint(rows, ct)
    return lp


def _add_constraint(rows: _Rows, ct: cp_model_helper.ConstraintProto) -> None:
    """Add the linear form of constraint `ct` to the program of `rows`, when it has one."""
    lp = rows.lp
    enforcement = list(ct.enforcement_literal)
    if ct.has_linear():
        terms = {v: float(c) for v, c in zip(ct.linear.vars, ct.linear.coeffs, strict=True)}
        domain = list(ct.linear.domain)
        low = sum(c * (lp.lower[v] if c > 0 else lp.upper[v]) for v, c in terms.items())
        high = sum(c * (lp.upper[v] if c > 0 else lp.lower[v]) for v, c in terms.items())
        lo, hi = _finite(domain[0]), _finite(domain[-1])
        rows.add(terms, 0.0, lo, hi, enforcement, lo - low, high - hi)
    elif ct.has_bool_or():
        terms, const = rows.literals(ct.bool_or.literals)
        rows.add(terms, const, 1.0, math.inf, enforcement, 1.0, math.inf)
    elif ct.has_bool_and():
        for lit in ct.bool_and.literals:
            terms, const = rows.literals([lit])
            rows.add(terms, const, 1.0, math.inf, enforcement, 1.0, math.inf)
    elif ct.has_at_most_one() or ct.has_exactly_one():
        exact = ct.has_exactly_one()
        lits = list(ct.exactly_one.literals if exact else ct.at_most_one.literals)
        terms, const = rows.literals(lits)
        lo = 1.0 if exact else -math.inf
        rows.add(terms, const, lo, 1.0, enforcement, 1.0, len(lits) - 1.0)
    elif ct.has_lin_max() and not enforcement:
        # target = max(exprs): only target >= each expr (the convex side)
        target = ct.lin_max.target
        for expr in ct.lin_max.exprs:
            terms = {v: float(c) for v, c in zip(target.vars, target.coeffs, strict=True)}
            for v, c in zip(expr.vars, expr.coeffs, strict=True):
                terms[v] = terms.get(v, 0.0) - c
            lp.add_row(terms, float(expr.offset - target.offset), math.inf)
    # anything else is left out (a weaker, still valid, relaxation)
