"""The instance's calendar and its date rules: the teaching period, weekly slots, public
and school holidays, closures, and the dated rules of availability and windows
(SCHEMA.md section 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from pydantic import Field, field_validator, model_validator

from scheduler.data.frozen_model import Frozen, trim
from scheduler.data.types import (
    Clock,
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


def ends_after_start(start: dt.time, end: dt.time) -> None:
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
        ends_after_start(self.start, self.end)
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
