"""A re-solve's sessions in words, for changes.md's table and its list of whom to tell: where
a placement is, what a session is and whom it concerns, by the names the instance gives."""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.check.placed import day_label
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.words import (
    group_words,
    room_name,
    room_words,
    site_address,
    site_name,
    teacher_words,
)
from scheduler.export.common import series_position, series_words, session_title, split
from scheduler.resolve.published_rows import NOTHING, Rows, session_hours
from scheduler.solution import Assignment


def where_words(
    problem: Problem,
    a: Assignment | None,
    session: Session | None,
    shown: Rows = NOTHING,
    address: bool = False,
) -> str:
    """`Tuesday 2027-02-16 18:00-21:15, Salle de séminaire S01 (N-S01), UNamur`: a placement
    in words, its room by name as the calendars give it (an audit read the codes alone), with
    its site's address when `address` (a session sent to the other town); `—` for none."""
    if a is None:
        return "—"
    return f"{when_words(problem, a, session, shown)}, {place_words(problem, a.room, address)}"


def when_words(problem: Problem, a: Assignment, session: Session | None, shown: Rows) -> str:
    """`Tuesday 2027-02-16 18:00-21:15`: a placement's day and hours (as published, for a
    session the instance no longer has; its slot without hours)."""
    begin, end = session_hours(problem, a, session, shown)
    return f"{day_label(a.date)} {f'{begin}-{end}' if begin else a.slot}"


def place_words(problem: Problem, room_id: str, address: bool = False, ids: bool = True) -> str:
    """`Salle de séminaire S01 (N-S01), UNamur`, with the site's address when `address`, the
    room's name alone without `ids` (people's notices: `Salle de séminaire S01, UNamur`)."""
    site_id = problem.room_site.get(room_id)
    room = room_words(problem, room_id) if ids else room_name(problem, room_id)
    place = f"{room}, {site_name(problem, site_id)}" if site_id else room
    if address and (where := site_address(problem, site_id)):
        place += f" ({where})"
    return place


def heading(problem: Problem, session: Session | None, sid: str, shown: Rows = NOTHING) -> str:
    """`UE3 · Analyse des organisations (4/10)` (a session the instance no longer has: as the
    published timetable showed it; the id alone without that)."""
    if session is None:
        row = shown.get(sid)
        if row is None:
            return sid
        label = series_words(problem, row["ue"], row["series"])
        return session_title(row["ue"], row["ue_title"], label, None)
    ue = problem.ue[session.ue]
    label = problem.series_label[session.series_id]
    return session_title(ue.id, ue.title, label, series_position(problem, sid))


def what_it_is(problem: Problem, session: Session | None, sid: str, shown: Rows = NOTHING) -> str:
    """`UE3 · Analyse des organisations (4/10); Luc Mertens (T04), Promotion (COHORT)`: the
    session's `heading`, and whom it concerns."""
    if session is None:
        row = shown.get(sid)
        if row is None:
            return sid
        who = whom(problem, split(row["teachers"]), split(row["groups"]))
    else:
        who = whom(problem, session.teachers, session.groups)
    return f"{heading(problem, session, sid, shown)}; {', '.join(who)}"


def whom(problem: Problem, teachers: Sequence[str], groups: Sequence[str]) -> list[str]:
    """Teachers and groups by name, with their ids (`Luc Mertens (T04)`): the ids alone read
    as codes to the people the file is sent to (an audit); an id the instance no longer has
    (a removed session's, as published) as it is."""
    return [teacher_words(problem, t) for t in teachers] + [group_words(problem, g) for g in groups]
