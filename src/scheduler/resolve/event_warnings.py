"""What a revision's fixed events run into, for `resolve` to say before it solves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scheduler.data.findings import Finding
from scheduler.data.instance import FixedEvent
from scheduler.data.preflight_calendar import event_local_times
from scheduler.data.preflight_events import (
    check_event_days_outside,
    check_event_rooms_available,
    check_event_seats,
    check_event_teachers_available,
    check_events_on_public_holidays,
    check_fixed_events,
    covers_event_day,
)
from scheduler.data.problem import Problem
from scheduler.data.words import event_label, format_date, teacher_words
from scheduler.resolve.changes import Changes


def event_warnings(problem: Problem, changes: Changes) -> list[str]:
    """A teacher unavailable on an event's day (ill on the seminar's day), an event on a
    public holiday, in a room closed that day or with fewer seats than its students, and,
    for the events the changes move, another event they now overlap (the events the
    instance already had side by side are said by `solve`, not at every re-solve), at a
    time the clocks skip or repeat that day, or a year off the calendar (a calendar audit's
    event moved to 02:30 on the night the clocks go forward was published unsaid)."""
    moved = {c.event_moved.event for c in changes.changes if c.event_moved is not None}
    closed = events_at_closed_sites(problem, changes)
    said = {(f.entities[0], f.entities[1]) for f in closed}  # (event, date)
    found = [
        *closed,
        *check_event_teachers_available(problem, {}, _remedy(changes.today)),
        *replaced_on_events(problem, changes),
        *check_events_on_public_holidays(problem, {}),
        *(f for f in check_event_rooms_available(problem, {}) if f.entities[::2] not in said),
        *check_event_seats(problem, {}),
        *(f for f in check_fixed_events(problem, {}) if moved & set(f.entities)),
        *event_local_times(problem, moved),
        *(f for f in check_event_days_outside(problem, {}) if f.entities[0] in moved),
    ]
    return [f.message for f in found]


def _taking_off(event: FixedEvent, today: date) -> str | None:
    """The change that takes a teacher off `event` in a re-solve (`event_moved` with its
    `teachers`), or None when it was held already on a day: its teachers stay, as the past
    is kept. "Take them off the event" alone could not be followed once the year was
    published (the instance's edits are not seen by re-solves; an audit)."""
    if any(d < today for d in event.dates):
        return None
    return f"`event_moved: {{event: {event.id}, teachers: [...]}}`"


def _remedy(today: date) -> Callable[[FixedEvent], str | None]:
    """`check_event_teachers_available`'s way to take a teacher off an event (`_taking_off`)."""

    def remedy(event: FixedEvent) -> str | None:
        change = _taking_off(event, today)
        return f"in a re-solve, a change {change} without them" if change else None

    return remedy


def replaced_on_events(problem: Problem, changes: Changes) -> list[Finding]:
    """Teachers the changes replace in all their sessions who are still listed on fixed-event
    days after today: said, with the change that takes them off (an audit's visitor, replaced
    for good, kept the international seminar confirmed in her calendar, unsaid), once per
    teacher and event. Replaced in part, a teacher goes on teaching, and may well still come.
    Said of every session "they give from today on": "replaced in all their sessions" read as
    a contradiction beside the warning that they give none (stop 82's left-alone item)."""
    found, said = [], set()
    for i, change in enumerate(changes.changes):
        r = change.teacher_replaced
        if r is None or r.ue is not None or r.series is not None or r.sessions is not None:
            continue
        for e in problem.instance.fixed_events:
            days = [d for d in e.dates if d > changes.today]
            if r.teacher not in e.teachers or not days or (e.id, r.teacher) in said:
                continue
            said.add((e.id, r.teacher))
            change_off = _taking_off(e, changes.today)
            how = (
                f"add a change {change_off} without them"
                if change_off
                else "tell them (the event was held already on a day, so its teachers stay)"
            )
            msg = (
                f"{teacher_words(problem, r.teacher)}, replaced by changes[{i}] in every "
                "session they give from today on, is still listed on fixed event "
                f"{event_label(e)} on "
                f"{', '.join(map(format_date, days))}: if they no longer come, {how}"
            )
            found.append(Finding("warning", "event_teacher", (e.id, r.teacher), msg))
    return found


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
