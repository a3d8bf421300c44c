"""The changes file of `scheduler resolve` (SCHEMA.md section 3)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError, model_validator

from scheduler.check.placed import WEEKDAY_IDS, WEEKDAY_NAMES, day_label
from scheduler.data.instance_calendar import DateRule
from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.data.words import (
    event_label,
    group_words,
    name_and_id,
    room_words,
    site_name,
    teacher_words,
)
from scheduler.errors import InputError, InputWarning
from scheduler.io.instance_io import format_validation_error, read_raw
from scheduler.resolve.change_kinds import (
    NO_SITE,
    AddSessions,
    Cancelled,
    ChangesModel,
    Dropped,
    EventMoved,
    Pinned,
    RoomUnavailable,
    SiteClosed,
    TeacherAvailable,
    TeacherReplaced,
    TeacherUnavailable,
    WindowChanged,
)


class Change(ChangesModel):
    """One change: exactly one of its kinds (SCHEMA.md's five, then docs/commands.md's)."""

    teacher_unavailable: TeacherUnavailable | None = None
    room_unavailable: RoomUnavailable | None = None
    site_closed: SiteClosed | None = None
    cancelled: Cancelled | None = None
    add_sessions: AddSessions | None = None
    teacher_available: TeacherAvailable | None = None
    event_moved: EventMoved | None = None
    dropped: Dropped | None = None
    teacher_replaced: TeacherReplaced | None = None
    pinned: Pinned | None = None
    window: WindowChanged | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [k for k, v in self.__dict__.items() if v is not None]
        empty = sorted(self.model_fields_set - set(given))
        if not given and empty:  # `- cancelled:` with nothing after it: "got none" misled
            raise ValueError(f"{empty[0]}: empty; give its fields (SCHEMA.md section 3)")
        if len(given) != 1:
            raise ValueError(
                f"each change has exactly one of {', '.join(type(self).model_fields)} "
                f"(got {' and '.join(given) or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k, v in self.__dict__.items() if v is not None)

    def before(self, today: dt.date) -> bool:
        """An unavailability or closure wholly before `today`: nothing left to re-solve."""
        body = self.__dict__[self.kind]
        if not isinstance(body, DateRule):
            return False
        if body.date is not None:
            return body.date < today
        return body.to is not None and body.to < today

    def outside(self, start: dt.date, end: dt.date) -> bool:
        """A date rule whose dates all fall before `start` or after `end`."""
        body = self.__dict__[self.kind]
        if not isinstance(body, DateRule):
            return False
        first = body.date or body.from_
        last = body.date or body.to
        return (last is not None and last < start) or (first is not None and first > end)

    def in_words(self, problem: Problem | None = None) -> str:
        """The change for people, e.g. `T04 unavailable on Tuesday 2027-02-16`; with the
        `problem`, teachers, rooms, sites and fixed events by name as well (`Luc Mertens (T04)
        unavailable ...`): changes.md is sent to people who know them by name (an audit read
        "V1 replaced by T05")."""
        body = self.__dict__[self.kind]
        name = _Names(problem)
        if isinstance(body, Cancelled):
            return f"{name.session(body.session)} cancelled"
        if isinstance(body, Dropped):
            return f"{name.session(body.session)} dropped (not given)"
        if isinstance(body, AddSessions):
            return f"{count_of(body.count, 'session')} added to {body.ue} ({body.series})"
        if isinstance(body, EventMoved):
            return f"fixed event {name.event(body.event)} moved: {_moved_in_words(body, name)}"
        if isinstance(body, TeacherReplaced):
            who = f"by {name.teacher(body.by)}" if body.by else "by nobody (the co-teachers go on)"
            return (
                f"{name.teacher(body.teacher)} replaced {who}{body.scope_in_words()} from today on"
            )
        if isinstance(body, TeacherAvailable):
            return f"{name.teacher(body.teacher)} available {_when_in_words(body)}"
        if isinstance(body, Pinned):
            return f"{body.scope_in_words()} pinned {_pinned_in_words(body)}"
        if isinstance(body, WindowChanged):
            first = body.from_.isoformat() if body.from_ else "as before"
            last = body.to.isoformat() if body.to else "as before"
            return f"{body.target}'s window from {first} to {last}"
        if isinstance(body, TeacherUnavailable):
            who = f"{name.teacher(body.teacher)} unavailable"
        elif isinstance(body, RoomUnavailable):
            who = f"room {name.room(body.room)} unavailable"
        else:
            who = f"site {name.site(body.site)} closed"
        because = f" ({body.reason})" if body.reason else ""
        return f"{who} {_when_in_words(body)}{because}"

    def describe(self) -> str:
        """The change in a few words, e.g. `teacher_unavailable T04 2027-02-16`."""
        body = self.__dict__[self.kind]
        if isinstance(body, EventMoved):
            fields = {"event": body.event, **body.as_instance_fields()}
        else:
            fields = body.model_dump(by_alias=True, exclude_none=True, mode="json")
        return f"{self.kind} " + " ".join(f"{k}={_listed(v)}" for k, v in fields.items())


class _Names:
    """Ids as people know them, `Name (ID)`, by `problem` (the id alone without one, or for
    an id it does not have)."""

    def __init__(self, problem: Problem | None) -> None:
        self.problem = problem

    def teacher(self, teacher_id: str) -> str:
        return teacher_words(self.problem, teacher_id) if self.problem else teacher_id

    def room(self, room_id: str) -> str:
        return room_words(self.problem, room_id) if self.problem else room_id

    def site(self, site_id: str) -> str:
        return name_and_id(site_name(self.problem, site_id), site_id) if self.problem else site_id

    def group(self, group_id: str) -> str:
        return group_words(self.problem, group_id) if self.problem else group_id

    def session(self, sid: str) -> str:
        """`UE6A-main-03 (UE6A · Option santé et éducation)`: what it is, beside its id."""
        p = self.problem
        if p is None or sid not in p.session:
            return sid
        ue = p.ue[p.session[sid].ue]
        return f"{sid} ({ue.id} · {ue.title})" if ue.title else sid

    def event(self, event_id: str) -> str:
        event = self.problem.event.get(event_id) if self.problem else None
        return event_label(event) if event is not None else event_id


def _listed(value: Any) -> str:
    """A field's value as in a changes file's flow style: `2027-06-18,2027-06-19`."""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "[]"
    return str(value)


def _moved_in_words(body: EventMoved, name: _Names) -> str:
    """`days from today on 2027-06-08, 2027-06-09; 09:00-17:00; at NAMUR, rooms N-S01;
    teachers Anne Lambert (T01), T09`."""
    parts = []
    if body.dates is not None:
        days = ", ".join(d.isoformat() for d in sorted(body.dates))
        parts.append(f"days from today on {days}" if days else "its days from today on cancelled")
    if body.start is not None and body.end is not None:
        parts.append(f"{body.start:%H:%M}-{body.end:%H:%M}")
    elif body.start is not None:
        parts.append(f"starting at {body.start:%H:%M}")
    elif body.end is not None:
        parts.append(f"ending at {body.end:%H:%M}")
    if body.site is not None:
        parts.append("at no site" if body.site == NO_SITE else f"at {name.site(body.site)}")
    if body.rooms is not None:
        parts.append(f"rooms {', '.join(map(name.room, body.rooms)) or 'none'}")
    if body.location is not None:
        parts.append(f"location '{body.location}'")
    if body.teachers is not None:
        parts.append(f"teachers {', '.join(map(name.teacher, body.teachers)) or 'none'}")
    if body.groups is not None:
        parts.append(f"groups {', '.join(map(name.group, body.groups)) or 'none'}")
    return "; ".join(parts)


def _pinned_in_words(body: Pinned) -> str:
    """`on Thursday 2026-12-10, slot THU-EVE, at MONS, in room M-S11`."""
    parts = []
    if body.date is not None:
        parts.append(f"on {day_label(body.date)}")
    if body.slot is not None:
        parts.append(f"slot {body.slot}")
    if body.site is not None:
        parts.append(f"at {body.site}")
    if body.room is not None:
        parts.append(f"in room {body.room}")
    return ", ".join(parts)


def _when_in_words(rule: DateRule) -> str:
    """`on Tuesday 2027-02-16`, `from 2027-03-01 to 2027-03-14, on Thursdays, slots THU-EVE`."""
    parts = []
    if rule.date is not None:
        parts.append(f"on {day_label(rule.date)}")
    if rule.from_ is not None and rule.to is not None:
        parts.append(f"from {rule.from_} to {rule.to}")
    elif rule.from_ is not None:
        parts.append(f"from {rule.from_} on")
    elif rule.to is not None:
        parts.append(f"until {rule.to}")
    if rule.weekday is not None:
        parts.append(f"on {WEEKDAY_NAMES[WEEKDAY_IDS.index(rule.weekday)]}s")
    if rule.slots:
        parts.append(f"slot{'s' if len(rule.slots) > 1 else ''} {', '.join(rule.slots)}")
    return ", ".join(parts)


def _contradiction(a: Change, b: Change) -> str | None:
    """What changes `a` and `b` both decide, differently or not, in words (None: nothing)."""
    if a.teacher_replaced is not None and b.teacher_replaced is not None:
        x, y = a.teacher_replaced, b.teacher_replaced
        if x.teacher == y.teacher and _scopes_overlap(x, y):
            return f"who gives {x.teacher}'s sessions{y.scope_in_words()}"
    away, back = (
        a.teacher_unavailable or b.teacher_unavailable,
        a.teacher_available or b.teacher_available,
    )
    if away is not None and back is not None and away.teacher == back.teacher:
        days = set(DateRule.model_fields)
        if away.model_dump(include=days) == back.model_dump(include=days):  # an audit's slip
            return f"{away.teacher}'s availability on the same days (away, then back)"
    if a.event_moved is not None and b.event_moved is not None:
        m, n = a.event_moved, b.event_moved
        both = sorted(set(m.as_instance_fields()) & set(n.as_instance_fields()))
        if m.event == n.event and both:
            return f"the {', '.join(both)} of event '{m.event}'"
    return None


def _scopes_overlap(x: TeacherReplaced, y: TeacherReplaced) -> bool:
    """Whether two replacements of one teacher may name the same session (by the ids'
    prefixes: a series `UE3-main` is in UE `UE3`, its sessions are `UE3-main-NN`)."""

    def prefixes(r: TeacherReplaced) -> list[str] | None:  # None: every session
        if r.ue is not None:
            return [f"{r.ue}-"]
        if r.series is not None:
            return [f"{r.series}-"]
        return None if r.sessions is None else [f"{s}-" for s in r.sessions]

    px, py = prefixes(x), prefixes(y)
    if px is None or py is None:
        return True
    return any(a.startswith(b) or b.startswith(a) for a in px for b in py)


class Changes(ChangesModel):
    """`today` and the list of changes."""

    today: dt.date
    changes: tuple[Change, ...] = ()

    @model_validator(mode="after")
    def _each_session_cancelled_or_dropped_once(self) -> Self:
        first: dict[str, tuple[int, str]] = {}
        for i, change in enumerate(self.changes):
            body = change.cancelled or change.dropped
            if body is None:
                continue
            session = body.session
            if session in first:
                j, kind = first[session]
                raise ValueError(
                    f"changes[{i}] {change.kind}: session '{session}' is already {kind} by "
                    f"changes[{j}]"
                )
            first[session] = i, change.kind
        for i, change in enumerate(self.changes):  # a session dropped gets no new teacher
            named = change.teacher_replaced.sessions if change.teacher_replaced else None
            gone = [s for s in named or () if first.get(s, (0, ""))[1] == "dropped"]
            if gone:
                j = first[gone[0]][0]
                raise ValueError(
                    f"changes[{i}] teacher_replaced: session '{gone[0]}' is dropped by changes[{j}]"
                )
        return self

    @model_validator(mode="after")
    def _no_two_answers_to_one_question(self) -> Self:
        """Two replacements of a teacher in the same sessions, or two moves of an event's same
        field: the first or the last silently won, and changes.md listed both (an audit)."""
        for j, later in enumerate(self.changes):
            for i, earlier in enumerate(self.changes[:j]):
                clash = _contradiction(earlier, later)
                if clash:
                    raise ValueError(
                        f"changes[{j}] {later.kind}: changes[{i}] already decides {clash}: "
                        "give it once"
                    )
        return self

    def outside(self, start: dt.date, end: dt.date) -> list[int]:
        """Indices of the date changes wholly outside the calendar `start`..`end` (a typo,
        most likely: they match no dated slot)."""
        return [i for i, c in enumerate(self.changes) if c.outside(start, end)]

    def digest(self) -> str:
        """The changes' SHA-256 as read, `today` and each change in order (not comments, line
        ends or key order): the same changes in a file written again (an audit added a
        comment, or saved it with Windows line ends, and applied them twice)."""
        listed = [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in self.changes]
        text = json.dumps([self.today.isoformat(), listed], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def past(self) -> list[int]:
        """Indices of the changes wholly before today (they change nothing)."""
        return [i for i, c in enumerate(self.changes) if c.before(self.today)]

    def current(self) -> list[Change]:
        """The changes not wholly before today: those that change something."""
        return [c for c in self.changes if not c.before(self.today)]

    def current_in_words(self, problem: Problem | None = None) -> list[str]:
        """Each of `current` in words (`Change.in_words`), with its index in the file as its
        errors give it (`changes[3] ...`)."""
        return [
            f"changes[{i}] {c.in_words(problem)}"
            for i, c in enumerate(self.changes)
            if not c.before(self.today)
        ]


#: keys that tell an instance or a solution given for a changes file (SCHEMA.md sections 1, 2)
_OTHER_FILES = (
    ("an instance file", {"name", "calendar", "sites", "ues"}),
    ("a solution", {"instance", "solver", "assignments"}),
)


def _not_another_file(path: Path, raw: dict[str, Any]) -> None:
    """Refuse an instance file or a solution given as the changes file: its keys were each
    said unknown (an audit: "unknown key 'name' (known: changes, today) ...")."""
    if {"today", "changes"} & set(raw):
        return
    for what, keys in _OTHER_FILES:
        if len(keys & set(raw)) >= 2:
            raise InputError(f"{path}: {what}, not a changes file (expected keys today, changes)")


def load_changes(path: str | Path, today: dt.date | None = None) -> Changes:
    """Read a changes YAML/JSON file, with one-line located errors; `today` (the command
    line's) replaces the file's, or stands in for it when the file has none."""
    path = Path(path)
    raw = read_raw(path)
    if not isinstance(raw, dict):
        raise InputError(f"{path}: the changes file must be a mapping with keys today, changes")
    _not_another_file(path, raw)
    if today is not None:
        typed = raw.get("today")
        if typed is not None and str(typed) != today.isoformat():  # said (an audit)
            warnings.warn(
                InputWarning(
                    f"{path}: today {typed} in the file, {today} from --today: {today} is used"
                ),
                stacklevel=2,
            )
        raw = {**raw, "today": today.isoformat()}
    elif raw.get("today") is None:  # said with the way out (an audit: no word of --today)
        raise InputError(
            f"{path}: today: required field is missing: give the day the changes are known "
            "(`today: YYYY-MM-DD` in the file, or --today)"
        )
    try:
        return Changes.model_validate(raw)
    except ValidationError as err:
        raise InputError(format_validation_error(path, raw, err, Changes)) from err
