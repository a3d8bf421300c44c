"""Which change a re-solve without a timetable cannot meet: each change left out in turn.

The explanation of a revision without a timetable names rules (a weekly maximum, a teacher's
days), counted over the whole year with the past as it was given; staff asked which of their
changes was the one that does not fit (an audit: four changes, the conflict said over 17
session slots of which 11 were past, and only the added session was in the way). Each current
change is left out in turn; the revision of the others is checked by the pre-flight and the
hard-rule search `solve` starts with (`explain.hard_rules_verdict`), a share of the time each.
"""

from __future__ import annotations

from collections.abc import Callable

from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.model.explain import hard_rules_verdict
from scheduler.resolve.changes import Changes

#: seconds for all the changes together, at most (the time limit's, when shorter)
MAX_SECONDS = 30.0


def _without(changes: Changes, index: int) -> Changes:
    """`changes` without its `index`th."""
    kept = tuple(c for i, c in enumerate(changes.changes) if i != index)
    return changes.model_copy(update={"changes": kept})


def changes_in_the_way(
    revised: Callable[[Changes], Problem], changes: Changes, seconds: float
) -> list[int]:
    """The indices of the current changes without which (the others kept) a timetable exists;
    `revised` builds the revision's problem for some changes (raising `InputError` or
    `ValueError` when they make no valid instance). Empty for fewer than two current changes
    (the one there is, is in the way) or when no single change is."""
    current = [i for i, c in enumerate(changes.changes) if not c.before(changes.today)]
    if len(current) < 2:
        return []
    share = min(seconds, MAX_SECONDS) / len(current)
    found = []
    for i in current:
        try:
            problem = revised(_without(changes, i))
        except (InputError, ValueError):
            continue
        if any(f.severity == "error" for f in preflight(problem)):
            continue
        if hard_rules_verdict(problem, share) is True:
            found.append(i)
    return found


def blame_lines(changes: Changes, found: list[int]) -> list[str]:
    """`changes_in_the_way`'s answer in words (none: nothing to say)."""
    named = [f"changes[{i}] ({changes.changes[i].in_words()})" for i in found]
    if len(named) == 1:
        return [
            f"leaving out {named[0]} alone gives a timetable: it is the change that cannot be "
            "met with the others"
        ]
    if named:
        either = f"{', '.join(named[:-1])} or {named[-1]}"
        return [
            f"leaving out any one of {either} gives a timetable: they cannot all be met together"
        ]
    return []
