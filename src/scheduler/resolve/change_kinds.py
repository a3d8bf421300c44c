"""The kinds of change a changes file of `scheduler resolve` lists (SCHEMA.md section 3), one
model each: a teacher or room unavailable and a site closed (with their reason), a teacher
available after all, a fixed event moved, a teacher replaced, sessions pinned, a session
cancelled or dropped, sessions added, and a UE's or series' window changed.
`resolve.changes.Change` holds exactly one of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from scheduler.data.frozen_model import Frozen
from scheduler.data.instance_calendar import DateRule
from scheduler.data.types import Clock, Id
from scheduler.data.validate_ids import listed_twice


class ChangesModel(Frozen):
    """Base of the changes file's models: the instance models' (immutable, unknown keys
    refused, `yes` refused for a number, texts made plain, an optional list left without
    items empty: `changes:` with every change commented out is no change, an audit)."""


class _WithReason(DateRule):
    """A date rule of an absence or closure, with why (`reason`, e.g. "strike": an audit
    could not record it), said with the change in changes.md and changes.csv, never part of
    the instance; a blank one is none. Each kind declares `reason` after its own id, so
    that `describe` says it last."""

    @field_validator("reason", check_fields=False)
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class TeacherUnavailable(_WithReason):
    """A teacher cannot teach in the dated slots the rule matches."""

    teacher: Id
    reason: str | None = None


class RoomUnavailable(_WithReason):
    """A room cannot be used in the dated slots the rule matches."""

    room: Id
    reason: str | None = None


class SiteClosed(_WithReason):
    """Every room of a site is closed in the dated slots the rule matches."""

    site: Id
    reason: str | None = None


class TeacherAvailable(DateRule):
    """A teacher can teach in the dated slots the rule matches after all: a visitor who comes
    in another week, a teacher back earlier. Those slots leave the teacher's `unavailable`
    rules, and join the `available_only` windows of a teacher who has some."""

    teacher: Id


#: `site` of an `event_moved` that takes the event off every site (online, or abroad)
NO_SITE = "-"


class EventMoved(ChangesModel):
    """A fixed event's days from today on (`dates`; `[]` cancels them), or, for an event with
    no day before today, its hours, site (`-`: none, the event goes online or abroad),
    rooms, `location` (what people read of where it is), `teachers` or `groups` (who comes:
    a visitor replaced for good stayed on the seminar, and nothing could take her off: an
    audit)."""

    event: Id
    dates: tuple[dt.date, ...] | None = None
    start: Clock | None = None
    end: Clock | None = None
    site: Id | Literal["-"] | None = None
    rooms: tuple[Id, ...] | None = None
    location: str | None = None
    teachers: tuple[Id, ...] | None = None
    groups: tuple[Id, ...] | None = None

    @field_validator("dates", "rooms", "teachers", "groups")
    @classmethod
    def _listed_once(cls, values: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
        """A day or room given twice is refused, as in an instance: an audit's `dates:
        [2027-06-18, 2027-06-18]` (for 06-18 and 06-19) made a two-day seminar one day."""
        twice = listed_twice(values or ())
        if twice:
            raise ValueError(twice)
        return values

    @model_validator(mode="after")
    def _names_a_field(self) -> Self:
        if self.as_instance_fields() == {}:
            raise ValueError(
                "give at least one of dates, start, end, site, rooms, location, teachers, groups"
            )
        return self

    def as_instance_fields(self) -> dict[str, Any]:
        """The fields it changes, as instance data."""
        data = self.model_dump(exclude_none=True, exclude={"event", "start", "end"}, mode="json")
        for key in ("start", "end"):
            if getattr(self, key) is not None:
                data[key] = f"{getattr(self, key):%H:%M}"
        return data


class TeacherReplaced(ChangesModel):
    """Another teacher (`by`; none: the others of co-taught sessions go on alone) gives the
    sessions `teacher` was to give from today on: all of them, or those of one `ue`, one
    `series` (`UE3-main`) or the `sessions` listed."""

    teacher: Id
    by: Id | None = None
    ue: Id | None = None
    series: Id | None = None
    sessions: tuple[Id, ...] | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> Self:
        scopes = [k for k in ("ue", "series", "sessions") if getattr(self, k) is not None]
        if len(scopes) > 1:
            raise ValueError(f"give at most one of ue, series, sessions (got {', '.join(scopes)})")
        if self.by == self.teacher:
            raise ValueError(f"by: '{self.by}' is the teacher replaced")
        if self.sessions == ():
            raise ValueError("sessions: name at least one session (or leave it out: all of them)")
        twice = sorted(s for s, n in Counter(self.sessions or ()).items() if n > 1)
        if twice:
            raise ValueError(f"sessions: '{twice[0]}' is listed more than once")
        return self

    def covers(self, ue: str, series_id: str, session: str) -> bool:
        """Whether a session of `teacher` (its UE, series and id) is one the change names."""
        if self.ue is not None:
            return ue == self.ue
        if self.series is not None:
            return series_id == self.series
        return self.sessions is None or session in self.sessions

    def scope_in_words(self) -> str:
        """`in UE3`, `in series UE3-main`, `in UE3-main-05, UE3-main-06`, or `` (all)."""
        if self.ue is not None:
            return f" in {self.ue}"
        if self.series is not None:
            return f" in series {self.series}"
        if self.sessions is not None:
            return f" in {', '.join(self.sessions)}"
        return ""


class Pinned(ChangesModel):
    """Where staff decided sessions still to give go: one `session` (any of `date`, `slot`,
    `site`, `room`: a make-up date agreed with its teacher), or every session still to give of
    a `series` or a `ue` (`slot`, `site`, `room`: a series moved to the other town). It
    replaces the instance's pins of those sessions."""

    session: Id | None = None
    series: Id | None = None
    ue: Id | None = None
    date: dt.date | None = None
    slot: Id | None = None
    site: Id | None = None
    room: Id | None = None

    @model_validator(mode="after")
    def _one_scope_and_a_place(self) -> Self:
        scopes = [k for k in ("session", "series", "ue") if getattr(self, k) is not None]
        if len(scopes) != 1:
            raise ValueError(
                f"give exactly one of session, series, ue (got {', '.join(scopes) or 'none'})"
            )
        if not self.place():
            raise ValueError("give at least one of date, slot, site, room")
        if self.date is not None and self.session is None:
            raise ValueError(
                f"date: a date pins one session; a {scopes[0]}'s sessions take slot, site, room"
            )
        return self

    def place(self) -> dict[str, Any]:
        """The pin's fields, as instance data (`date`, `slot`, `site`, `room` given)."""
        return self.model_dump(
            exclude_none=True, include={"date", "slot", "site", "room"}, mode="json"
        )

    def covers(self, ue: str, series_id: str, session: str) -> bool:
        """Whether the change names a session (its UE, series and id)."""
        if self.ue is not None:
            return ue == self.ue
        if self.series is not None:
            return series_id == self.series
        return session == self.session

    def matches(self, day: dt.date, slot: str, site: str | None, room: str) -> bool:
        """Whether a placement is where the change puts its sessions."""
        wanted = {"date": self.date, "slot": self.slot, "site": self.site, "room": self.room}
        held = {"date": day, "slot": slot, "site": site, "room": room}
        return all(v is None or held[k] == v for k, v in wanted.items())

    def scope_in_words(self) -> str:
        """`UE3-main-07`, `the sessions of series UE4-main still to give`."""
        if self.session is not None:
            return self.session
        kind, name = ("series", self.series) if self.series is not None else ("UE", self.ue)
        return f"the sessions of {kind} {name} still to give"


class Cancelled(ChangesModel):
    """A session did not take place: it must be placed again, after today."""

    session: Id


class Dropped(ChangesModel):
    """A session that will not be given at all (not placed again): the others of its series
    keep their numbers."""

    session: Id


class AddSessions(ChangesModel):
    """More sessions for a series (appended after its last one)."""

    ue: Id
    series: Id = "main"
    count: int = Field(default=1, ge=1)


class WindowChanged(ChangesModel):
    """A UE's window (`ue`) or one series' (`series`, `UE3-main`) from today on: its first day
    (`from`) and last (`to`), one of them left as it was when not given. An infeasible
    re-solve advised "widen the UE's window", which no change could do (an audit)."""

    ue: Id | None = None
    series: Id | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None

    @model_validator(mode="after")
    def _one_target_and_a_day(self) -> Self:
        if (self.ue is None) == (self.series is None):
            raise ValueError("give exactly one of ue and series")
        if self.from_ is None and self.to is None:
            raise ValueError("give from, to, or both")
        if self.from_ is not None and self.to is not None and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self

    @property
    def target(self) -> str:
        return self.series or self.ue or ""
