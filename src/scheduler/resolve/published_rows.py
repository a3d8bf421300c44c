"""The published timetable's rows, as both change files read them: a session's hours, and
each fixed event's days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from scheduler.data.instance import FixedEvent
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.solution import Assignment

Rows = Mapping[str, Mapping[str, str]]  # the published timetable's rows by session id
NOTHING: Rows = MappingProxyType({})


def located(
    rows: Sequence[Mapping[str, str]], events: Mapping[str, FixedEvent]
) -> list[Mapping[str, str]]:
    """The `rows` with each fixed-event row's `location` as `events` give it (not a column
    of timetable.csv): what people read of where it is, so that a change of it alone is a
    change to tell (an event moved from one video link to another was unsaid)."""
    return [
        {**r, "location": " ".join(events[r["session_id"]].location.split())}
        if r["kind"] == "event" and r["session_id"] in events
        else r
        for r in rows
    ]


def relocated(
    before: Sequence[Mapping[str, str]], after: Sequence[Mapping[str, str]]
) -> tuple[str, str] | None:
    """An event's `location` in its rows of two timetables (`located`), old and new, when
    both give it and it changed; else None."""
    old, new = (rows[0].get("location") if rows else None for rows in (before, after))
    return None if old is None or new is None or old == new else (old, new)


def session_hours(
    problem: Problem, a: Assignment, session: Session | None, shown: Rows = NOTHING
) -> tuple[str, str]:
    """Start and end (HH:MM) of a placement; for a session the instance no longer has, as
    the published timetable `shown` had them; else empty when its slot is not in the
    calendar."""
    row = shown.get(a.session)
    if session is None and row is not None and row["date"] == str(a.date):
        return row["start"], row["end"]
    slots = problem.held(session, a.date, a.slot) if session else None
    if not slots:
        return "", ""
    return f"{slots[0].start:%H:%M}", f"{slots[-1].end:%H:%M}"


def event_days(
    rows: Sequence[Mapping[str, str]],
) -> defaultdict[str, dict[tuple[str, ...], Mapping[str, str]]]:
    """The fixed-event rows of a timetable, per event, by (date, start, end, site, room)."""
    out: defaultdict[str, dict[tuple[str, ...], Mapping[str, str]]] = defaultdict(dict)
    for r in rows:
        if r["kind"] == "event":
            out[r["session_id"]][r["date"], r["start"], r["end"], r["site"], r["room"]] = r
    return out
