"""Whom a re-solve's changes concern: each teacher and group of a changed session or fixed
event, before or after the change, with what to tell them, each item complete in itself.
Staff had to read every row of changes.md to draw up the list of people to write to, then
look each session up again to say when and where (a notifying audit)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from scheduler.data.problem import Problem
from scheduler.data.words import name_and_id, teacher_label
from scheduler.export.common import split
from scheduler.resolve.diff import Moved, place_of
from scheduler.resolve.event_words import event_changes
from scheduler.resolve.published_rows import NOTHING, Rows, event_days
from scheduler.resolve.session_words import heading, place_words, when_words, where_words


@dataclass(frozen=True)
class EventChange:
    """A fixed event whose days changed: in words (`event_changes`), and its people."""

    words: str
    teachers: tuple[str, ...]
    groups: tuple[str, ...]


EventChanges = Mapping[str, EventChange]
NO_EVENTS: EventChanges = MappingProxyType({})


def changed_events(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    problem: Problem | None = None,
) -> dict[str, EventChange]:
    """Each fixed event whose days, teachers or groups changed between two timetables' rows,
    by id, with its teachers and groups before or after."""
    old, new = event_days(before), event_days(after)
    out = {}
    for eid in sorted(set(old) | set(new)):
        lines = event_changes(list(old[eid].values()), list(new[eid].values()), problem=problem)
        if not lines:  # the same days, the same people
            continue
        (words,) = lines
        rows = [*old[eid].values(), *new[eid].values()]
        teachers = tuple(dict.fromkeys(t for r in rows for t in split(r["teachers"])))
        groups = tuple(dict.fromkeys(g for r in rows for g in split(r["groups"])))
        out[eid] = EventChange(words, teachers, groups)
    return out


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


def _ancestors(problem: Problem, group: str) -> list[str]:
    """The groups `group` is part of, nearest first."""
    out: list[str] = []
    parent = problem.group[group].part_of if group in problem.group else None
    while parent is not None and parent not in out and parent in problem.group:
        out.append(parent)
        parent = problem.group[parent].part_of
    return out


def _names(problem: Problem, teachers: Sequence[str]) -> str:
    return ", ".join(teacher_label(problem, t) if t in problem.teacher else t for t in teachers)


def session_item(problem: Problem, m: Moved, shown: Rows, today: dt.date | None) -> str:
    """`UE4-paris-01, UE4 · Dimensions relationnelles — paris (1/4): Saturday 2027-02-13
    13:45-17:00 -> Tuesday 2027-02-16 18:00-21:15, Salle 1.11 (M-S11), UMONS; taught by
    Catherine Piret (T05) instead of Hélène Mercier (V1)`, first said urgent when it was to
    be given `today`; a new site's address with it."""
    s = problem.session.get(m.session)
    title = heading(problem, s, m.session, shown)
    title = m.session if title == m.session else f"{m.session}, {title}"
    if m.before is None:
        when = f"added: {where_words(problem, m.after, s)}"
    elif m.after is None:
        when = f"no longer given (was {where_words(problem, m.before, s, shown)})"
    elif place_of(m.before) == place_of(m.after):
        when = where_words(problem, m.after, s)
    elif m.before.room == m.after.room:  # the place said once
        when = (
            f"{when_words(problem, m.before, s, shown)} -> {when_words(problem, m.after, s, NOTHING)}"
            f", {place_words(problem, m.after.room)}"
        )
    else:
        other_site = problem.room_site.get(m.before.room) != problem.room_site.get(m.after.room)
        when = (
            f"{where_words(problem, m.before, s, shown)} -> "
            f"{where_words(problem, m.after, s, address=other_site)}"
        )
    if m.teachers is not None:
        before, after = (_names(problem, t) or "nobody" for t in m.teachers)
        when += f"; taught by {after} instead of {before}"
    urgent = today is not None and m.before is not None and m.before.date == today
    return f"{'TODAY, tell them now: ' if urgent else ''}{title}: {when}"


@dataclass(frozen=True)
class Recipient:
    """A teacher or group to tell, as `Name (ID) <email>`, and what concerns them."""

    who: str
    items: tuple[str, ...]


def recipients(
    problem: Problem,
    moved: Sequence[Moved],
    shown: Rows = NOTHING,
    events: EventChanges = NO_EVENTS,
    today: dt.date | None = None,
) -> list[Recipient]:
    """Each teacher, then each group, a session of `moved` or an event of `events`
    (`changed_events`) concerns, in the instance's order (an id it no longer has after
    them), with the sessions in the order of `moved`, then the events. A group's line also
    gives the sessions of the groups it is part of that are listed: its students attend them
    (an audit's APP1 line left out the cohort's plenary moved the same day)."""
    items = [session_item(problem, m, shown, today) for m in moved]
    items += [f"{e.words}" for e in events.values()]
    teaching: dict[str, list[int]] = defaultdict(list)
    attending: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(moved):
        for t in _teachers(problem, m, shown):
            teaching[t].append(i)
        for g in _groups(problem, m, shown):
            attending[g].append(i)
    for i, e in enumerate(events.values(), start=len(moved)):
        for t in e.teachers:
            teaching[t].append(i)
        for g in e.groups:
            attending[g].append(i)
    order = {t.id: i for i, t in enumerate(problem.instance.teachers)}
    order |= {g.id: i for i, g in enumerate(problem.instance.groups)}
    out = []
    for t in sorted(teaching, key=lambda t: (order.get(t, len(order)), t)):
        label = teacher_label(problem, t) if t in problem.teacher else t
        email = problem.teacher[t].email if t in problem.teacher else None
        who = f"{label} <{email}>" if email else f"{label} (no e-mail address in the instance)"
        out.append(Recipient(who, tuple(items[i] for i in teaching[t])))
    parents = {x.part_of for x in problem.group.values() if x.part_of}
    for g in sorted(attending, key=lambda g: (order.get(g, len(order)), g)):
        label = name_and_id(problem.group[g].name, g) if g in problem.group else g
        above = [a for a in _ancestors(problem, g) if a in attending]
        if above:
            label += f", with the sessions of {', '.join(above)} they attend"
        elif g in parents:
            label += ", whatever their group"
        chosen = sorted({i for x in (g, *above) for i in attending[x]})
        out.append(Recipient(f"students of {label}", tuple(items[i] for i in chosen)))
    return out


def recipient_lines(
    problem: Problem,
    moved: Sequence[Moved],
    shown: Rows = NOTHING,
    events: EventChanges = NO_EVENTS,
    today: dt.date | None = None,
) -> list[str]:
    """changes.md's list of whom to tell: each person or group, then what concerns them, a
    line each; none when nothing concerns anybody."""
    found = recipients(problem, moved, shown, events, today)
    if not found:
        return []
    head = "Whom to tell (each teacher and group of a changed session or event, before or after):"
    lines = ["", head]
    for r in found:
        lines += ["", f"- {r.who}:", *(f"  - {item}" for item in r.items)]
    return lines
