"""`check`: verify a timetable against every hard rule and price it with every soft rule."""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.check.hard import HARD_CHECKS
from scheduler.check.placed import resolve
from scheduler.check.report import CheckReport
from scheduler.check.soft import SOFT_CHECKS
from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.rules import SOFT_RULES
from scheduler.solution import Assignment


def check(problem: Problem | Instance, assignments: Iterable[Assignment]) -> CheckReport:
    """Check `assignments` against docs/rules.md: hard-rule violations and soft-rule costs.

    Costs are computed on the sessions that could be placed, even when hard rules are broken;
    `costs` holds every soft rule (0 when it costs nothing) and `objective` their sum.
    """
    p = Problem.build(problem) if isinstance(problem, Instance) else problem
    tt = resolve(p, assignments)
    violations = tuple(v for _, hard in HARD_CHECKS for v in hard(p, tt))
    terms = tuple(t for _, soft in SOFT_CHECKS for t in soft(p, tt))
    costs = dict.fromkeys(SOFT_RULES, 0)
    for t in terms:
        costs[t.rule] = costs.get(t.rule, 0) + t.cost
    return CheckReport(violations, terms, costs, sum(costs.values()))
