"""Why a re-solve has no timetable: sessions that can no longer be placed from today on."""

from __future__ import annotations

from collections import Counter

from scheduler.data.domains import FILTERS, candidates, raw_placements
from scheduler.data.problem import Problem
from scheduler.resolve.apply import Revision
from scheduler.resolve.changes import Changes


def stranded(problem: Problem, revision: Revision, changes: Changes) -> list[str]:
    """One sentence per movable session with no allowed placement on or after today."""
    cancelled = {c.cancelled.session for c in changes.changes if c.cancelled is not None}
    lines = []
    for s in problem.sessions:
        if s.id in revision.frozen:
            continue
        if any(c.start.date >= revision.today for c in candidates(problem, s)):
            continue
        why = (
            "it was cancelled and must be placed again"
            if s.id in cancelled
            else "it has not happened yet"
        )
        if s.window is not None and s.window.to < revision.today:
            reason = f"its window ends {s.window.to}, before today {revision.today}"
            fix = "widen the UE's window, or add a session in another series"
        else:
            later = [c for c in raw_placements(problem, s) if c.start.date >= revision.today]
            rejected = Counter(name for c in later for name, f in FILTERS if not f(problem, c))
            reason = "every placement from today on is excluded by " + ", ".join(
                f"{name} ({n})" for name, n in rejected.most_common(3)
            )
            fix = "relax the rule named first"
        lines.append(
            f"{s.id} cannot be placed on or after {revision.today} ({why}): {reason} — {fix}"
        )
    return lines
