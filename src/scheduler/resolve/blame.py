"""Which change a re-solve without a timetable cannot meet: each change left out in turn.

The explanation of a revision without a timetable names rules (a weekly maximum, a teacher's
days), counted over the whole year with the past as it was given; staff asked which of their
changes was the one that does not fit (an audit: four changes, the conflict said over 17
session slots of which 11 were past, and only the added session was in the way). Each current
change is left out in turn; the revision of the others is checked by the pre-flight and the
re-solve's own hard rules (the instance's, and nothing new before or on today:
`disruption.forbid_the_past`), a share of the time each. The plain hard-rule search of
`solve` said "leaving out changes[2] gives a timetable" of a fuzzed re-solve whose only
timetables without it moved a session onto today, which no re-solve may.
"""

from __future__ import annotations

from collections.abc import Callable

from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.model.build import build_model
from scheduler.model.cpsat import SolveOptions, solve_once
from scheduler.resolve.apply import Revision
from scheduler.resolve.changes import Changes
from scheduler.resolve.disruption import forbid_the_past, hint_published
from scheduler.solution import Status

#: seconds for all the changes together, at most (the time limit's, when shorter)
MAX_SECONDS = 30.0


def _without(changes: Changes, index: int) -> Changes:
    """`changes` without its `index`th."""
    kept = tuple(c for i, c in enumerate(changes.changes) if i != index)
    return changes.model_copy(update={"changes": kept})


def _only(changes: Changes, index: int) -> Changes:
    """`changes` with its `index`th alone, and those before `today` (already in effect)."""
    kept = tuple(c for i, c in enumerate(changes.changes) if i == index or c.before(changes.today))
    return changes.model_copy(update={"changes": kept})


def changes_in_the_way(
    revised: Callable[[Changes], Revision], changes: Changes, seconds: float
) -> list[int]:
    """The indices of the current changes without which (the others kept) a re-solve has a
    timetable; `revised` builds the revision for some changes (raising `InputError` or
    `ValueError` when they make no valid instance). Empty for fewer than two current changes
    (the one there is, is in the way) or when no single change is."""
    current = [i for i, c in enumerate(changes.changes) if not c.before(changes.today)]
    if len(current) < 2:
        return []
    share = min(seconds, MAX_SECONDS) / len(current)
    found = []
    for i in current:
        try:
            revision = revised(_without(changes, i))
            problem = Problem.build(revision.instance)
        except (InputError, ValueError):
            continue
        if any(f.severity == "error" for f in preflight(problem)):
            continue
        if re_solvable(problem, revision, share):
            found.append(i)
    return found


def fails_alone(
    revised: Callable[[Changes], Revision], changes: Changes, index: int, seconds: float
) -> bool:
    """Whether the change `index` alone is proved to leave no timetable (the fuzzed re-solve's
    closed site did: "the change that cannot be met with the others" was not the whole
    truth)."""
    try:
        revision = revised(_only(changes, index))
        problem = Problem.build(revision.instance)
    except (InputError, ValueError):
        return False
    if any(f.severity == "error" for f in preflight(problem)):
        return True
    built = build_model(problem, with_objective=False)
    forbid_the_past(built, revision)
    _, status, _ = solve_once(built.model, SolveOptions(time_limit=max(1.0, seconds)))
    return status == Status.INFEASIBLE


def re_solvable(problem: Problem, revision: Revision, seconds: float) -> bool:
    """Whether a timetable of `problem` meets the re-solve's rules too (nothing new before or
    on today), found within `seconds` (the published timetable hinted)."""
    built = build_model(problem, with_objective=False)
    forbid_the_past(built, revision)
    hint_published(built, revision)
    _, status, _ = solve_once(built.model, SolveOptions(time_limit=max(1.0, seconds)))
    return status.has_solution


def blame_lines(changes: Changes, found: list[int], alone: bool = False) -> list[str]:
    """`changes_in_the_way`'s answer in words (none: nothing to say); `alone`: the one change
    found leaves no timetable even alone (`fails_alone`)."""
    named = [f"changes[{i}] ({changes.changes[i].in_words()})" for i in found]
    if len(named) == 1:
        why = "cannot be met, even alone" if alone else "cannot be met with the others"
        return [f"leaving out {named[0]} alone gives a timetable: it is the change that {why}"]
    if named:
        either = f"{', '.join(named[:-1])} or {named[-1]}"
        return [
            f"leaving out any one of {either} gives a timetable: they cannot all be met together"
        ]
    return []
