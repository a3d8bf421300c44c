"""What a revision's fixed events run into, for `resolve` to say before it solves."""

from __future__ import annotations

from scheduler.data.findings import Finding
from scheduler.data.preflight_events import (
    check_event_rooms_available,
    check_event_seats,
    check_event_teachers_available,
    check_events_on_public_holidays,
    check_fixed_events,
    covers_event_day,
)
from scheduler.data.problem import Problem
from scheduler.data.words import format_date
from scheduler.resolve.changes import Changes


def event_warnings(problem: Problem, changes: Changes) -> list[str]:
    """A teacher unavailable on an event's day (ill on the seminar's day), an event on a
    public holiday, in a room closed that day or with fewer seats than its students, and,
    for the events the changes move, another event they now overlap (the events the
    instance already had side by side are said by `solve`, not at every re-solve)."""
    moved = {c.event_moved.event for c in changes.changes if c.event_moved is not None}
    closed = events_at_closed_sites(problem, changes)
    said = {(f.entities[0], f.entities[1]) for f in closed}  # (event, date)
    found = [
        *closed,
        *check_event_teachers_available(problem, {}),
        *check_events_on_public_holidays(problem, {}),
        *(f for f in check_event_rooms_available(problem, {}) if f.entities[::2] not in said),
        *check_event_seats(problem, {}),
        *(f for f in check_fixed_events(problem, {}) if moved & set(f.entities)),
    ]
    return [f.message for f in found]


def events_at_closed_sites(problem: Problem, changes: Changes) -> list[Finding]:
    """Fixed-event days from today on at a site the changes close (`site_closed`): a fixed
    event does not move by itself, so it would stay in the calendars at a closed building;
    said as the closure (not as each of its rooms' unavailability), with what to write."""
    found = []
    for i, change in enumerate(changes.changes):
        closure = change.site_closed
        if closure is None:
            continue
        for o in problem.event_occurrences:
            if (
                o.event.site == closure.site
                and o.date >= changes.today
                and covers_event_day(closure, o, problem.instance.calendar)
            ):
                msg = (
                    f"fixed event {o.event.id} is at {closure.site} on {format_date(o.date)}, "
                    f"which changes[{i}] site_closed closes: it stays in the calendars there; "
                    f"to move or cancel that day, add an event_moved change (its dates, site "
                    f"or rooms)"
                )
                entities = (o.event.id, o.date.isoformat(), closure.site)
                found.append(Finding("warning", "fixed_events", entities, msg))
    return found
