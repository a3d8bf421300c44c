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
from dataclasses import dataclass, replace

from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.data.words import join_words
from scheduler.errors import InputError
from scheduler.model.cpsat import SolveOptions, solve_once
from scheduler.resolve.apply import Revision
from scheduler.resolve.changes import Changes
from scheduler.resolve.disruption import re_solve_hard_model
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


@dataclass(frozen=True)
class Blame:
    """The current changes without which (the others kept) a re-solve has a timetable, and
    whether the one change found, if one, leaves none even alone."""

    found: list[int]
    alone: bool = False


def changes_in_the_way(
    revised: Callable[[Changes], Revision],
    changes: Changes,
    options: SolveOptions,
) -> Blame:
    """Each current change left out in turn; `revised` builds the revision for some changes
    (raising `InputError` or `ValueError` when they make no valid instance). Nothing found for
    fewer than two current changes (the one there is, is in the way) or when no single change
    is. When one is, whether it alone leaves no timetable (the fuzzed re-solve's closed site
    did: "the change that cannot be met with the others" was not the whole truth); with two
    current changes that is what leaving out the other said already. The searches share
    `options`' time limit, `MAX_SECONDS` at most, and take its seed, workers and mode."""
    current = [i for i, c in enumerate(changes.changes) if not c.before(changes.today)]
    if len(current) < 2:
        return Blame([])
    share = replace(options, time_limit=min(options.time_limit, MAX_SECONDS) / (len(current) + 1))
    status = {i: _re_solve_status(revised, _without(changes, i), share) for i in current}
    found = [i for i in current if (s := status[i]) is not None and s.has_solution]
    if len(found) != 1:
        return Blame(found)
    if len(current) == 2:  # the change alone is the other left out
        alone = status[current[0] if found[0] == current[1] else current[1]]
    else:
        alone = _re_solve_status(revised, _only(changes, found[0]), share)
    return Blame(found, alone == Status.INFEASIBLE)


def _re_solve_status(
    revised: Callable[[Changes], Revision], changes: Changes, options: SolveOptions
) -> Status | None:
    """Whether a re-solve of `changes` has a timetable, by its own hard rules (nothing new
    before or on today), the published timetable hinted: INFEASIBLE when its pre-flight or
    the search proves none, None when the changes make no valid instance."""
    try:
        revision = revised(changes)
        problem = Problem.build(revision.instance)
    except (InputError, ValueError):
        return None
    if any(f.severity == "error" for f in preflight(problem)):
        return Status.INFEASIBLE
    built = re_solve_hard_model(problem, revision)
    _, status, _ = solve_once(
        built.model, replace(options, time_limit=max(1.0, options.time_limit))
    )
    return status


def blame_lines(changes: Changes, blame: Blame, problem: Problem | None = None) -> list[str]:
    """`changes_in_the_way`'s answer in words (none: nothing to say); with the `problem`,
    the changes name people and places by name (`Change.in_words`)."""
    named = [f"changes[{i}] ({changes.changes[i].in_words(problem)})" for i in blame.found]
    if len(named) == 1:
        why = "cannot be met, even alone" if blame.alone else "cannot be met with the others"
        return [f"leaving out {named[0]} alone gives a timetable: it is the change that {why}"]
    if named:
        either = join_words(named, "or")
        return [
            f"leaving out any one of {either} gives a timetable: they cannot all be met together"
        ]
    return []
