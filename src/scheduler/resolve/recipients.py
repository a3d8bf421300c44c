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
from scheduler.data.types import count_of
from scheduler.data.words import group_words, teacher_words
from scheduler.export.common import group_chain, split
from scheduler.resolve.diff import Moved, place_of
from scheduler.resolve.event_words import event_changes, event_people
from scheduler.resolve.published_rows import NOTHING, Rows, event_days
from scheduler.resolve.session_words import heading, place_words, when_words, where_words


@dataclass(frozen=True)
class EventChange:
    """A fixed event whose days, teachers, groups or location changed: in words (`event_changes`,
    marked `URGENT` when a day due today goes), and its people before or after."""

    words: str
    teachers: tuple[str, ...]
    groups: tuple[str, ...]
    before: tuple[Mapping[str, str], ...]  # its day rows in each timetable (`notices`)
    after: tuple[Mapping[str, str], ...]


EventChanges = Mapping[str, EventChange]
#: the head of an item due today: its people may be on their way
URGENT = "TODAY, tell them now: "
NO_EVENTS: EventChanges = MappingProxyType({})


def changed_events(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    problem: Problem | None = None,
    today: dt.date | None = None,
) -> dict[str, EventChange]:
    """Each fixed event whose days, teachers, groups or location (rows `located`) changed
    between two timetables' rows, by id, with its teachers and groups before or after."""
    old, new = event_days(before), event_days(after)
    out = {}
    for eid in sorted(set(old) | set(new)):
        lines = event_changes(list(old[eid].values()), list(new[eid].values()), problem=problem)
        if not lines:  # the same days, the same people
            continue
        (words,) = lines
        # a day due today that goes: said first, as a session's (an audit)
        if today is not None and any(
            d == today.isoformat() for d, *_ in set(old[eid]) - set(new[eid])
        ):
            words = f"{URGENT}{words}"
        teachers, groups = event_people([*old[eid].values(), *new[eid].values()])
        before_rows, after_rows = tuple(old[eid].values()), tuple(new[eid].values())
        out[eid] = EventChange(words, teachers, groups, before_rows, after_rows)
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


def _names(problem: Problem, teachers: Sequence[str]) -> str:
    return ", ".join(teacher_words(problem, t) for t in teachers)


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
    return f"{URGENT if urgent else ''}{title}: {when}"


@dataclass(frozen=True)
class Recipient:
    """A teacher or group to tell, as `Name (ID) <email>`, and what concerns them; for a
    teacher without an e-mail address, their name (`unreachable`), which the console says.
    `entity` (their id) and `concerns` (the indices of the items among the sessions, then the
    events, given to `recipients`) let `notices` say the same in the instance's language."""

    who: str
    items: tuple[str, ...]
    entity: str
    concerns: tuple[int, ...]
    unreachable: str | None = None
    teacher: bool = False


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
    items += [e.words for e in events.values()]
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
    teachers = [
        Recipient(
            _teacher_words(problem, t),
            tuple(items[i] for i in teaching[t]),
            t,
            tuple(teaching[t]),
            None
            if t in problem.teacher and problem.teacher[t].email
            else teacher_words(problem, t),
            teacher=True,
        )
        for t in _in_order(teaching, [t.id for t in problem.instance.teachers])
    ]
    return teachers + _group_recipients(problem, attending, items)


def _teacher_words(problem: Problem, t: str) -> str:
    """`Luc Mertens (T04) <luc@example.org>`, or what says they cannot be written to."""
    teacher = problem.teacher.get(t)
    if teacher is None:  # a removed session's, as published
        return f"{t} (not in the instance)"
    if teacher.email:
        return f"{teacher_words(problem, t)} <{teacher.email}>"
    return f"{teacher_words(problem, t)} (no e-mail address in the instance)"


def _group_recipients(
    problem: Problem, attending: Mapping[str, list[int]], items: Sequence[str]
) -> list[Recipient]:
    """Each group of `attending` (group -> indices of `items`), with the listed items of the
    groups it is part of too."""
    parents = {x.part_of for x in problem.group.values() if x.part_of}
    out = []
    for g in _in_order(attending, [g.id for g in problem.instance.groups]):
        label = group_words(problem, g)
        above = [a for a in group_chain(problem, g)[1:] if a in attending]
        if above:
            label += f", with the sessions of {', '.join(above)} they attend"
        elif g in parents:
            label += ", whatever their group"
        chosen = sorted({i for x in (g, *above) for i in attending[x]})
        out.append(
            Recipient(f"students of {label}", tuple(items[i] for i in chosen), g, tuple(chosen))
        )
    return out


def _in_order(found: Mapping[str, object], order: Sequence[str]) -> list[str]:
    """The ids of `found` in the instance's `order`, those it lacks after them by id."""
    place = {x: i for i, x in enumerate(order)}
    return sorted(found, key=lambda x: (place.get(x, len(place)), x))


def recipient_lines(found: Sequence[Recipient], against: str = "") -> list[str]:
    """changes.md's list of whom to tell (`recipients`): each person or group, then what
    concerns them, a line each; none when nothing concerns anybody. `against`: the later
    revision this one supersedes, which the list compares with (people may hold it)."""
    if not found:
        return []
    head = "Whom to tell (each teacher and group of a changed session or event, before or after):"
    if against:
        head = (
            f"Whom to tell, against {against}, the latest revision people may have been told of "
            "(each teacher and group of a session or event that differs from it, there or now):"
        )
    lines = ["", head]
    for r in found:
        lines += ["", f"- {r.who}:", *(f"  - {item}" for item in r.items)]
    return lines


def told_lines(found: Sequence[Recipient], against: str = "") -> list[str]:
    """The console's word of whom to tell: how many teachers and groups, where changes.md
    lists them, and the teachers it has no e-mail address for (nothing when nobody); with
    `against`, the later revision superseded, which the list compares with ("moved 0
    sessions" against the timetable revised read oddly beside "tell 3 teachers")."""
    if not found:
        return []
    teachers = sum(r.teacher for r in found)
    groups = len(found) - teachers
    whom = f"{count_of(teachers, 'teacher')} and {count_of(groups, 'group')}"
    if against:
        whom += f", of what differs from {against}, which people may hold"
    lines = [
        f"tell       {whom} "
        '(changes.md\'s "Whom to tell" gives each what concerns them; notices.csv a message '
        "to each, in the instance's language)"
    ]
    unreachable = [r.unreachable for r in found if r.unreachable]
    if unreachable:
        lines.append(f"  without an e-mail address in the instance: {', '.join(unreachable)}")
    return lines
