"""What the checker finds: broken hard rules, soft-rule costs, and the JSON shape of both."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Raw = tuple[tuple[str, ...], int, str]  # a cost term's (entities, units, message)


@dataclass(frozen=True)
class Violation:
    """A hard rule a timetable breaks, the entities involved and what is wrong, in words."""

    rule: str
    entities: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class CostTerm:
    """Units of a soft rule charged to some entities; `cost` is weight x units."""

    rule: str
    entities: tuple[str, ...]
    units: int
    cost: int
    message: str


def positive_terms(rule: str, weight: int, raw: Iterable[Raw]) -> list[CostTerm]:
    """Cost terms of `rule` from (entities, units, message), keeping positive units only;
    none when the rule's weight is 0."""
    if weight == 0:
        return []
    return [CostTerm(rule, e, units, units * weight, msg) for e, units, msg in raw if units > 0]


@dataclass(frozen=True)
class CheckReport:
    """The outcome of a check: violations, cost terms, weighted cost per soft rule, objective."""

    violations: tuple[Violation, ...]
    terms: tuple[CostTerm, ...]
    costs: dict[str, int]
    objective: int

    @property
    def feasible(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    def violations_of(self, rule: str) -> list[Violation]:
        """The violations of one hard rule."""
        return [v for v in self.violations if v.rule == rule]

    def terms_of(self, rule: str) -> list[CostTerm]:
        """The cost terms of one soft rule."""
        return [t for t in self.terms if t.rule == rule]

    def to_json(self) -> dict[str, Any]:
        """The report as `scheduler check --json` prints it (SCHEMA.md section 2)."""
        return {
            "feasible": self.feasible,
            "violations": [
                {"rule": v.rule, "entities": list(v.entities), "message": v.message}
                for v in self.violations
            ],
            "costs": dict(self.costs),
            "objective": self.objective,
        }
