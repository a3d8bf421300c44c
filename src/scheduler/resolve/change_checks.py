"""Checks of a changes file against the published timetable: the sessions it cancels or
drops are published ones, each pinned once and never both pinned and dropped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.types import did_you_mean
from scheduler.errors import InputError
from scheduler.resolve.changes import Change, Changes
from scheduler.solution import Assignment


def published_session(
    instance: Instance,
    placed: Mapping[str, Assignment],
    change: Change,
    where: str,
) -> None:
    """A session a change cancels or drops is one of the published timetable's. One dated
    before today may be dropped (`dropped_before_today`)."""
    body = change.cancelled or change.dropped
    if body is None:
        return
    if body.session in instance.dropped:
        raise InputError(f"{where}: {body.session} was dropped by an earlier re-solve")
    if body.session in {e.id for e in instance.fixed_events}:  # a re-solve audit's slip
        raise InputError(
            f"{where}: '{body.session}' is a fixed event, not a session: cancel its days with "
            f"event_moved: {{event: {body.session}, dates: []}}"
        )
    if body.session not in placed:
        raise InputError(  # a typo's fix, as kinds and fields get (an audit)
            f"{where}: unknown session '{body.session}'{did_you_mean(body.session, placed)}"
        )


def dropped_before_today(
    change: Change, placed: Mapping[str, Assignment], today: dt.date, where: str
) -> str | None:
    """What to say of a session dropped though published before today: it did not take place
    and is not made up (refused before, so that a cancelled session could only be given up in
    a second re-solve, after its make-up date was published: a docs audit); said, so that a
    mistyped id is seen (a review)."""
    if change.dropped is None:
        return None
    held = placed[change.dropped.session].date
    if held >= today:
        return None
    return (
        f"{where}: {change.dropped.session} was published for {held}, before today: it is "
        "recorded as not given, and its event is published as cancelled"
    )


def pinned_once(pins: Mapping[str, Any], pinned_by: dict[str, int], index: int, where: str) -> None:
    """No session is pinned by two changes of one file (which would hold?)."""
    twice = sorted(set(pins) & set(pinned_by))
    if twice:
        raise InputError(f"{where}: {twice[0]} is pinned by changes[{pinned_by[twice[0]]}] already")
    pinned_by |= dict.fromkeys(pins, index)


def not_dropped_later(pins: Mapping[str, Any], changes: Changes, index: int, where: str) -> None:
    """A session pinned is not dropped by the same file."""
    for j, change in enumerate(changes.changes):
        if change.dropped is not None and change.dropped.session in pins:
            raise InputError(
                f"{where}: {change.dropped.session} is dropped by changes[{j}]: a session "
                "dropped is not placed anywhere"
            )
