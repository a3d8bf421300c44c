"""The instance: an immutable, validated description of a teaching year (SCHEMA.md section 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from scheduler.data.frozen_model import Frozen, trim
from scheduler.data.types import (
    DEFAULT_TIMEZONE,
    LANGUAGE_PATTERN,
    Clock,
    Feature,
    FileId,
    Id,
    Weekday,
)


class DateRule(Frozen):
    """Matches a dated slot when all the fields it gives match (teacher/room availability)."""

    date: dt.date | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    weekday: Weekday | None = None
    slots: tuple[Id, ...] | None = None

    @model_validator(mode="after")
    def _not_empty_and_ordered(self) -> Self:
        if (self.date, self.from_, self.to, self.weekday, self.slots) == (None,) * 5:
            raise ValueError("a rule needs at least one of date, from, to, weekday, slots")
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self

    def matches(self, day: dt.date, weekday: str, slot_id: str) -> bool:
        """True when every given field matches the dated slot."""
        return (
            (self.date is None or self.date == day)
            and (self.from_ is None or self.from_ <= day)
            and (self.to is None or day <= self.to)
            and (self.weekday is None or self.weekday == weekday)
            and (self.slots is None or slot_id in self.slots)
        )


class Window(Frozen):
    """An inclusive date range."""

    from_: dt.date = Field(alias="from")
    to: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self

    def contains(self, day: dt.date) -> bool:
        """True when `day` lies in the window."""
        return self.from_ <= day <= self.to


def _ends_after_start(start: dt.time, end: dt.time) -> None:
    """A slot or event ends after it starts, on the same day: one past midnight was told only
    "end 01:00 is not after start 22:00" (an audit: say the limit and the way round it)."""
    if end <= start:
        past_midnight = " (a time ends on the day it starts: end it at 23:59 or split it)"
        raise ValueError(
            f"end {end:%H:%M} is not after start {start:%H:%M}"
            + (past_midnight if start >= dt.time(12) and end < dt.time(12) else "")
        )


class SlotPattern(Frozen):
    """One weekly teaching slot, e.g. Tuesday 18:00-21:15."""

    id: Id
    weekday: Weekday
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _ends_after_start(self.start, self.end)
        return self


class HolidaySource(Frozen):
    """Holidays taken from the `holidays` package, plus optional explicit dates.

    `language`: of the holiday names (a code of the package, e.g. `fr`, `nl`, `de`, `en_US`);
    default: the instance's `language` where the package has it, else a subdivision's own
    (BE `French` -> fr, `Flemish` -> nl, `German` -> de, CA `QC` -> fr, ...:
    `calendar.SUBDIVISION_LANGUAGE`), else the package's default for the country."""

    country: str | None = None
    subdiv: str | None = None
    dates: tuple[dt.date, ...] = ()
    language: str | None = None

    @field_validator("country", "subdiv", "language")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        return trim(value)  # 'BE ' typed in a workbook cell is BE

    @field_validator("dates", mode="before")
    @classmethod
    def _ranges_as_days(cls, value: Any) -> Any:
        """An item `{from, to}` stands for its days (a Québec audit typed the spring break a
        day at a time: ranges, which closures take, were refused here)."""
        if not isinstance(value, list | tuple):
            return value
        days: list[Any] = []
        for item in value:
            if isinstance(item, dict) and {"from", "to"} & set(item) != set(item):
                keys = sorted(map(str, item))
                raise ValueError(f"a range of days has 'from' and 'to' alone, got {keys}")
            if isinstance(item, dict) and set(item) != {"from", "to"} and item:
                raise ValueError("a range of days needs both 'from' and 'to'")
            if isinstance(item, dict) and set(item) == {"from", "to"}:
                first, last = (_day(item[k], k) for k in ("from", "to"))
                if last < first:
                    raise ValueError(f"'to' {last} is before 'from' {first}")
                if (last - first).days > MAX_DAYS:  # a typing slip, not millions of days
                    raise ValueError(f"from {first} to {last}: over {MAX_DAYS} days")
                days += [first + dt.timedelta(n) for n in range((last - first).days + 1)]
            else:
                days.append(item)
        return days

    @model_validator(mode="before")
    @classmethod
    def _package_spelling(cls, data: Any) -> Any:
        country, subdiv = (
            (data.get("country"), data.get("subdiv")) if isinstance(data, dict) else (None, None)
        )
        if not isinstance(country, str) or not (subdiv is None or isinstance(subdiv, str)):
            return data  # not text: the fields' own errors
        from scheduler.data.calendar import package_spelling  # imports the holidays package

        country, subdiv = package_spelling(country.strip(), subdiv.strip() if subdiv else subdiv)
        return {**data, "country": country, "subdiv": subdiv}

    @model_validator(mode="after")
    def _subdivision_of_a_country(self) -> Self:
        """A subdivision without its country gave no holiday at all, without a word (a fuzz
        audit: the public holidays, a hard rule, were gone)."""
        if self.subdiv and not self.country:
            raise ValueError(
                f"subdiv '{self.subdiv}' is given without a country: name the country (e.g. "
                "country: BE), or give the days as dates"
            )
        return self


def _day(value: Any, key: str) -> dt.date:
    """A date given as a date or as ISO text, for a range's `key` (`from`, `to`)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{key}: expected a date YYYY-MM-DD, got '{value}'") from None


class Closure(Frozen):
    """Dates with no teaching: one date or a range, optionally only some slots."""

    date: dt.date | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    slots: tuple[Id, ...] | None = None
    reason: str = ""

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        if self.date is None and (self.from_ is None or self.to is None):
            raise ValueError("a closure needs 'date', or both 'from' and 'to'")
        if self.date is not None and (self.from_ is not None or self.to is not None):
            raise ValueError("a closure has either 'date' or 'from'/'to', not both")
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self

    def covers(self, day: dt.date, slot_id: str) -> bool:
        """True when the closure removes this dated slot."""
        if self.date is not None:
            in_range = day == self.date
        else:
            assert self.from_ is not None and self.to is not None
            in_range = self.from_ <= day <= self.to
        return in_range and (self.slots is None or slot_id in self.slots)


# Upper bounds of counts (sessions, seats, students, per week) and of day counts: far above
# any programme's, they keep a mistyped 99999999999999999999 from reaching the solver (a
# traceback: CP-SAT takes 64-bit integers) and a day count from the pre-flight's loops (an
# audit's hang)
MAX_COUNT = 1_000_000
MAX_DAYS = 36_600  # a hundred years


class Calendar(Frozen):
    """First and last teaching day, the weekly pattern, holidays and closures."""

    start: dt.date
    end: dt.date
    slots: tuple[SlotPattern, ...] = Field(min_length=1)
    public_holidays: HolidaySource | None = None
    school_holidays: HolidaySource | None = None
    closures: tuple[Closure, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if (self.end - self.start).days > MAX_DAYS:  # 9999-12-31 was a traceback (a review)
            raise ValueError(
                f"end {self.end} is more than a hundred years after start {self.start}: check "
                "its year"
            )
        return self


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
        _ends_after_start(self.start, self.end)
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
