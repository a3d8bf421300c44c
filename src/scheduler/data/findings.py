"""What a pre-flight check reports: a `Finding`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scheduler.data.domains import Placement

Severity = Literal["error", "warning"]
Domains = Mapping[str, Sequence[Placement]]


@dataclass(frozen=True)
class Finding:
    """One pre-flight result: a rule name (as in docs/rules.md), the entities and a sentence."""

    severity: Severity
    rule: str
    entities: tuple[str, ...]
    message: str


def rules_of(entity: str, kind: str) -> str:
    """How a finding names an entity's availability rules of one kind, `T1/available_only`,
    beside the entity: a workbook's line then names their rows on Availability too."""
    return f"{entity}/{kind}"
