"""A re-solve from a revision with an earlier `today`: the revision's past may move again.

A re-solve pins every session given before its `today` where it took place, in the
`instance.yaml` it writes, so that the re-solves after it keep the past. One that starts from
that revision with an earlier `today` (last month's changes file run again, a date typed
wrong) says that the sessions in between may move again, but those pins kept them where they
were: an exploratory test's teacher made unavailable on such a day got "infeasible", blamed
on a pin the user never wrote. Those pins are lifted; the pins the sessions had before they
were frozen come back (a make-up date staff pinned must not move silently).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Earlier:
    """An instance a revision descends from, and the `today` it was re-solved for (None: the
    first timetable's instance, which froze nothing)."""

    today: dt.date | None
    instance: Instance | None  # None: not known (the first instance, not given)


def pins_before_frozen(sessions: dict[str, dt.date], earlier: Sequence[Earlier]) -> tuple[Pin, ...]:
    """The pins each session (given on its date) had before a revision froze it: those of the
    nearest instance in `earlier` (nearest first) re-solved for a day not after that date,
    where it was still to give. A `pinned` change's pin (a make-up date agreed with the
    teacher) is one: a revision freezing the session replaced it by a pin that looks alike."""
    pins: list[Pin] = []
    for sid, day in sorted(sessions.items()):
        source = next((e for e in earlier if e.today is None or e.today <= day), None)
        if source is not None and source.instance is not None:
            pins += [p for p in source.instance.pins if p.session == sid]
    return tuple(pins)


def thawed(
    instance: Instance,
    published: tuple[Assignment, ...],
    today: dt.date,
    until: dt.date,
    earlier: Sequence[Earlier] = (),
) -> tuple[Instance, tuple[str, ...]]:
    """`instance` (a revision's, whose `today` was `until`) without the pins it froze on
    sessions given from `today` to the day before `until`, with the ids of those sessions.
    The pins they had before they were frozen come back (`pins_before_frozen` over the
    instances `earlier`, nearest first): the revisions had replaced them, staff's own
    included (an audit: a make-up date agreed with a teacher moved silently)."""
    placed = {a.session: a for a in published}
    lifted = {p.session for p in instance.pins if _froze(p, placed.get(p.session), today, until)}
    if not lifted:
        return instance, ()
    own = pins_before_frozen({sid: placed[sid].date for sid in lifted}, earlier)
    pins = tuple(p for p in instance.pins if p.session not in lifted) + own
    return instance.model_copy(update={"pins": pins}), tuple(sorted(lifted))
