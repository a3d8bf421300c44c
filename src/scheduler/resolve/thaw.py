"""A re-solve from a revision with an earlier `today`: the revision's past may move again.

A re-solve pins every session given before its `today` where it took place, in the
`instance.yaml` it writes, so that the re-solves after it keep the past. One that starts from
that revision with an earlier `today` (last month's changes file run again, a date typed
wrong) says that the sessions in between may move again, but those pins kept them where they
were: an exploratory test's teacher made unavailable on such a day got "infeasible", blamed
on a pin the user never wrote.
"""

from __future__ import annotations

import datetime as dt

from scheduler.data.instance import Instance, Pin
from scheduler.solution import Assignment


def _froze(pin: Pin, placed: Assignment | None, today: dt.date, until: dt.date) -> bool:
    """Whether `pin` is a revision's pin of a session given at `placed`, from `today` to the
    day before `until`: date, slot and room as published, nothing else."""
    return (
        placed is not None
        and today <= placed.date < until
        and pin.site is None
        and (pin.date, pin.slot, pin.room) == (placed.date, placed.slot, placed.room)
    )


def thawed(
    instance: Instance,
    published: tuple[Assignment, ...],
    today: dt.date,
    until: dt.date,
    given: Instance | None = None,
) -> tuple[Instance, tuple[str, ...]]:
    """`instance` (a revision's, whose `today` was `until`) without the pins it froze on
    sessions given from `today` to the day before `until`, with the ids of those sessions.
    The pins `given` (the user's instance, when not the revision's own) has for them come
    back, as the revision had replaced them."""
    placed = {a.session: a for a in published}
    lifted = {p.session for p in instance.pins if _froze(p, placed.get(p.session), today, until)}
    if not lifted:
        return instance, ()
    own = tuple(p for p in (given.pins if given is not None else ()) if p.session in lifted)
    pins = tuple(p for p in instance.pins if p.session not in lifted) + own
    return instance.model_copy(update={"pins": pins}), tuple(sorted(lifted))
