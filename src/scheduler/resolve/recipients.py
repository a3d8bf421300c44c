"""Whom a re-solve's changes concern: each teacher and group of a changed session, before or
after the change, with the sessions to tell them of. Staff had to read every row of
changes.md to draw up the list of people to write to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from scheduler.data.problem import Problem
from scheduler.data.words import name_and_id, teacher_label
from scheduler.export.common import split
from scheduler.resolve.diff import Moved
from scheduler.resolve.published_rows import NOTHING, Rows, event_days

#: a fixed event's teachers and groups, by event id
EventPeople = Mapping[str, tuple[Sequence[str], Sequence[str]]]
NO_EVENTS: EventPeople = MappingProxyType({})


def _teachers(problem: Problem, m: Moved, shown: Rows) -> list[str]:
    """The teachers of `m`'s session before and after (both, when a change gave it to
    another), from the instance or, for a session it no longer has, as published."""
    if m.teachers is not None:
        return list(dict.fromkeys([*m.teachers[0], *m.teachers[1]]))
    session = problem.session.get(m.session)
    if session is not None:
        return list(session.teachers)
    return split(shown.get(m.session, {}).get("teachers", ""))


def _groups(problem: Problem, m: Moved, shown: Rows) -> list[str]:
    """The groups of `m`'s session, from the instance or as published."""
    session = problem.session.get(m.session)
    if session is not None:
        return list(session.groups)
    return split(shown.get(m.session, {}).get("groups", ""))


def changed_events(
    before: Sequence[Mapping[str, str]], after: Sequence[Mapping[str, str]]
) -> dict[str, tuple[list[str], list[str]]]:
    """Each fixed event whose days changed between two timetables' rows (as changes.md's
    "Fixed events changed" says them), with its teachers and groups, before or after."""
    old, new = event_days(before), event_days(after)
    out = {}
    for eid in sorted(set(old) | set(new)):
        if set(old[eid]) == set(new[eid]):
            continue
        rows = [*old[eid].values(), *new[eid].values()]
        teachers = dict.fromkeys(t for r in rows for t in split(r["teachers"]))
        groups = dict.fromkeys(g for r in rows for g in split(r["groups"]))
        out[eid] = (list(teachers), list(groups))
    return out


def recipients(
    problem: Problem, moved: Sequence[Moved], shown: Rows = NOTHING, events: EventPeople = NO_EVENTS
) -> list[tuple[str, list[str]]]:
    """Each teacher, then each group, a session of `moved` or a fixed event of `events`
    (`changed_events`) concerns, in the instance's order (an id it no longer has after
    them), as `Name (ID) <email>`, with what concerns them: the sessions in the order of
    `moved` (`UE3-main-05 (date)`), then the events."""
    teaching: dict[str, list[str]] = defaultdict(list)
    attending: dict[str, list[str]] = defaultdict(list)
    for m in moved:
        what = f"{m.session} ({m.change_in_words()})"
        for t in _teachers(problem, m, shown):
            teaching[t].append(what)
        for g in _groups(problem, m, shown):
            attending[g].append(what)
    for eid, (teachers, groups) in events.items():
        for t in teachers:
            teaching[t].append(f"fixed event {eid}")
        for g in groups:
            attending[g].append(f"fixed event {eid}")
    order = {t.id: i for i, t in enumerate(problem.instance.teachers)}
    order |= {g.id: i for i, g in enumerate(problem.instance.groups)}
    out = []
    for t in sorted(teaching, key=lambda t: (order.get(t, len(order)), t)):
        label = teacher_label(problem, t) if t in problem.teacher else t
        email = problem.teacher[t].email if t in problem.teacher else None
        out.append((f"{label} <{email}>" if email else label, teaching[t]))
    for g in sorted(attending, key=lambda g: (order.get(g, len(order)), g)):
        label = name_and_id(problem.group[g].name, g) if g in problem.group else g
        out.append((f"students of {label}", attending[g]))
    return out


def recipient_lines(
    problem: Problem, moved: Sequence[Moved], shown: Rows = NOTHING, events: EventPeople = NO_EVENTS
) -> list[str]:
    """changes.md's list of whom to tell, a line each: `- Luc Mertens (T04)
    <luc.mertens@example.org>: UE3-main-05 (date), UE3-main-06 (site)`; none when nothing
    concerns anybody."""
    found = recipients(problem, moved, shown, events)
    if not found:
        return []
    head = "Whom to tell (each teacher and group of a changed session or event, before or after):"
    return ["", head, "", *(f"- {who}: {', '.join(what)}" for who, what in found)]
