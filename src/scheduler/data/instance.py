"""The instance: an immutable, validated description of a teaching year (SCHEMA.md section 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from scheduler.data.frozen_model import Frozen, trim
from scheduler.data.instance_calendar import (
    MAX_COUNT,
    MAX_DAYS,
    Calendar,
    DateRule,
    Window,
    ends_after_start,
)
from scheduler.data.types import (
    DEFAULT_TIMEZONE,
    LANGUAGE_PATTERN,
    Clock,
    Feature,
    FileId,
    Id,
)


class Room(Frozen):
    """A room at a site."""

    id: FileId
    name: str = ""
    capacity: int = Field(ge=1, le=MAX_COUNT)
    features: tuple[Feature, ...] = ()
    unavailable: tuple[DateRule, ...] = ()


class Site(Frozen):
    """A site (a building or campus) and its rooms. Sites of one `area` are close enough for
    a teacher or student to change between them in a day: the one-site-a-day rules take
    them as one (each site is its own area by default)."""

    id: FileId
    name: str = ""
    address: str = ""
    area: Id | None = None
    rooms: tuple[Room, ...] = ()


class Group(Frozen):
    """A group of students; `part_of` builds the tree, `partition` marks disjoint siblings."""

    id: FileId
    name: str = ""
    size: int = Field(ge=0, le=MAX_COUNT)
    part_of: Id | None = None
    partition: str | None = None
    max_sessions_per_week: int | None = Field(default=None, ge=0, le=MAX_COUNT)

    @field_validator("partition")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        """`'option '` is `option`: a workbook cell's trailing space would otherwise make two
        siblings' partitions differ, and their students overlap."""
        return trim(value)


class Teacher(Frozen):
    """A teacher with availability rules."""

    id: FileId
    name: str = ""
    email: str | None = None
    home_site: Id | None = None
    unavailable: tuple[DateRule, ...] = ()
    available_only: tuple[DateRule, ...] = ()
    avoid: tuple[DateRule, ...] = ()
    max_sessions_per_week: int | None = Field(default=None, ge=0, le=MAX_COUNT)

    @field_validator("email")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        return trim(value)  # a workbook cell's spaces; one left empty is no address

    @property
    def visits(self) -> bool:
        """Whether the teacher comes in windows of dates (a visitor, soft rule
        `visitor_trips`): an `available_only` rule gives a date or a date range. One of
        weekdays or slots alone is a weekly pattern of a teacher who is there every week
        (an audit's local teacher free on Sundays only was priced for her "trips")."""
        return any(r.date or r.from_ or r.to for r in self.available_only)


class Series(Frozen):
    """A series of identical sessions of a UE; optional fields override the UE's values.

    `size` is the headcount of its sessions (default: the total size of its groups), used by
    room capacity; `min_days` the distinct dates its sessions should spread over (soft rule
    `min_working_days`); `unavailable` the dated slots its sessions may not occupy (hard);
    `title` what calendars and the page show after the UE's title (`plénière`: the series
    name is an id, without accents or spaces), the series name when empty.
    """

    series: Id = "main"
    count: int = Field(ge=1)  # bounded by the calendar's slots (`validate`)
    length: int = Field(default=1, ge=1, le=MAX_COUNT)
    room_features: tuple[Feature, ...] = ()
    min_days_between: int = Field(default=0, ge=0, le=MAX_DAYS)
    teachers: tuple[Id, ...] | None = None
    groups: tuple[Id, ...] | None = None
    sites: tuple[Id, ...] | None = None
    window: Window | None = None
    max_days_between: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    size: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    min_days: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    unavailable: tuple[DateRule, ...] = ()
    title: str = ""


class UE(Frozen):
    """A teaching unit and its series of sessions."""

    id: Id
    title: str = ""
    ects: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    teachers: tuple[Id, ...] = ()
    groups: tuple[Id, ...] = ()
    sites: tuple[Id, ...] | None = None
    window: Window | None = None
    max_days_between: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    even_spread: bool = False
    sessions: tuple[Series, ...] = Field(min_length=1)


class FixedEvent(Frozen):
    """An event placed by the user; it blocks its groups, teachers and rooms. Without a
    `site` (online, abroad, a deadline) it takes no room, opens no building and binds no one
    to a site that day; `location` says where it is, in place of its site's name."""

    id: Id
    title: str = ""
    site: Id | None = None
    location: str = ""
    rooms: tuple[Id, ...] = ()
    # none once a re-solve cancelled its days (`event_moved` with `dates: []`): the event
    # stays, so that a later re-solve can give it days again
    dates: tuple[dt.date, ...]
    start: Clock
    end: Clock
    groups: tuple[Id, ...] = ()
    teachers: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        ends_after_start(self.start, self.end)
        if self.site is None and self.rooms:
            raise ValueError(
                f"rooms: {', '.join(self.rooms)} given, but no site: give the site they are at, "
                "or no rooms (an event online, abroad or a deadline)"
            )
        return self


class Precedence(Frozen):
    """Every occurrence of `before` ends before any occurrence of `after` starts."""

    before: Id
    after: Id


class Pin(Frozen):
    """Fixes any subset of a session's date, slot, site and room."""

    session: Id
    date: dt.date | None = None
    slot: Id | None = None
    site: Id | None = None
    room: Id | None = None


class SessionTeachers(Frozen):
    """The teachers of one session, in place of its series' (a replacement, a guest)."""

    session: Id
    teachers: tuple[Id, ...]  # `[]`: a session without teacher (self-study), on purpose


class Preferences(Frozen):
    """Targets used by soft rules, and whether room capacity is a hard or a soft rule.

    With `room_capacity: soft` the hard rule `room_capacity` is not enforced; the soft rule
    `room_overflow` charges the students beyond the seats instead.
    """

    group_week_target: int = Field(default=2, ge=0, le=MAX_COUNT)
    room_capacity: Literal["hard", "soft"] = "hard"


class Instance(Frozen):
    """A whole scheduling problem; cross-references are checked in `scheduler.data.validate`."""

    name: Id  # also the default output folder, solutions/<name>: never '.' or '..'
    title: str = ""
    # the language of the data (titles, names: `fr`, `nl-BE`), which pages mark for screen
    # readers; the software's own words stay English
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    timezone: str = DEFAULT_TIMEZONE  # another clock's country must name one (validate)
    calendar: Calendar
    sites: tuple[Site, ...] = Field(min_length=1)
    groups: tuple[Group, ...] = ()
    teachers: tuple[Teacher, ...] = ()
    ues: tuple[UE, ...] = ()
    fixed_events: tuple[FixedEvent, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    pins: tuple[Pin, ...] = ()
    # Sessions taught by others than their series' teachers: a guest for one session, or,
    # set by `resolve`'s `teacher_replaced`, the sessions a teacher gave before being replaced
    session_teachers: tuple[SessionTeachers, ...] = ()
    preferences: Preferences = Preferences()
    weights: dict[str, int] = Field(default_factory=dict)
    # Sessions taken out of their series' order: a cancelled session placed again after later
    # sessions of its series took place (set by `resolve`). The order rules chain the series
    # without them (docs/rules.md).
    reordered: tuple[Id, ...] = ()
    # Sessions no longer given (set by `resolve`'s `dropped` change): left out of the
    # timetable; the others keep their numbers, the series' `count` is not lowered, and
    # `ue_spread` divides by the sessions left (docs/rules.md).
    dropped: tuple[Id, ...] = ()
    # A re-solve's instance: the day it was re-solved for (`resolve`'s `today`). The sessions
    # given before it are pinned where they took place; no other session may be placed before
    # it (rule `past`: an audit moved a session still to give into the past by hand, and the
    # checker, which saw no date, passed it).
    frozen_before: dt.date | None = None

    @field_validator("name")
    @classmethod
    def _not_a_folder(cls, name: str) -> str:
        if set(name) == {"."}:
            raise ValueError(f"'{name}' names a folder, not an instance: use letters or digits")
        return name

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        from scheduler.data.validate import validate_instance

        validate_instance(self)
        return self

    def replace(self, **changes: Any) -> Instance:
        """A copy with `changes` applied, validated again (unlike `model_copy`)."""
        data = self.model_dump(by_alias=True)
        data.update(changes)
        return Instance.model_validate(data)
