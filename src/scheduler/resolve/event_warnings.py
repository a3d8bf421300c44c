"""What a revision's fixed events run into, for `resolve` to say before it solves."""

from __future__ import annotations

from scheduler.data.preflight import check_fixed_events
from scheduler.data.preflight_slips import (
    check_event_rooms_available,
    check_event_seats,
    check_event_teachers_available,
    check_events_on_public_holidays,
)
from scheduler.data.problem import Problem
from scheduler.resolve.changes import Changes


def event_warnings(problem: Problem, changes: Changes) -> list[str]:
    """A teacher unavailable on an event's day (ill on the seminar's day), an event on a
    public holiday, in a room closed that day or with fewer seats than its students, and,
    for the events the changes move, another event they now overlap (the events the
    instance already had side by side are said by `solve`, not at every re-solve)."""
    moved = {c.event_moved.event for c in changes.changes if c.event_moved is not None}
    found = [
        *check_event_teachers_available(problem, {}),
        *check_events_on_public_holidays(problem, {}),
        *check_event_rooms_available(problem, {}),
        *check_event_seats(problem, {}),
        *(f for f in check_fixed_events(problem, {}) if moved & set(f.entities)),
    ]
    return [f.message for f in found]
