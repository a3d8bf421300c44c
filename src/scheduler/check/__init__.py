"""The independent checker: docs/rules.md restated without the solver (no ortools, no model).

`check(problem, assignments)` returns a `CheckReport` listing every broken hard rule as a
`Violation` and every soft-rule cost as a `CostTerm`, with weighted costs per rule and the
objective the solver's own figure is compared against.
"""

from scheduler.check.core import check
from scheduler.check.report import CheckReport, CostTerm, Violation

__all__ = ["CheckReport", "CostTerm", "Violation", "check"]
