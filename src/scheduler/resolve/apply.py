"""Apply changes to an instance: clipped to today, with the past pinned as published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from scheduler.data.instance import Instance
from scheduler.data.sessions import expand_sessions
from scheduler.errors import InputError, first_error
from scheduler.resolve.apply_change import apply_change
from scheduler.resolve.cancelled_days import keep_cancelled_days_closed
from scheduler.resolve.change_checks import (
    dropped_before_today,
    not_dropped_later,
    pinned_once,
    published_session,
)
from scheduler.resolve.changes import Changes
from scheduler.resolve.make_up_precedences import unbind_make_ups
from scheduler.resolve.pin_sessions import Published, pin_sessions, pins_of_added, undated
from scheduler.resolve.replace_teacher import replace_teacher
from scheduler.resolve.window_change import change_window
from scheduler.solution import Assignment


@dataclass(frozen=True)
class Revision:
    """The instance to re-solve, and what must not move."""

    instance: Instance
    today: dt.date
    frozen: frozenset[str]
    previous: dict[str, Assignment]
    cancelled: frozenset[str] = frozenset()  # placed again, never where they were cancelled
    # the pins of cancelled sessions, with what of each still holds (its site, room...)
    dropped_pins: tuple[tuple[str, dict[str, Any]], ...] = ()
    warnings: tuple[str, ...] = ()  # changes that change nothing
    gone_with_dropped: tuple[str, ...] = ()  # pins and precedences that went with them
    unbound: tuple[str, ...] = ()  # precedences a make-up no longer keeps (`unbind_make_ups`)

    def may_start(self, session: str, day: dt.date, slot: str) -> bool:
        """Whether a session not frozen may start in `slot` on `day`: from today on, but on
        today itself only where it was published (nobody can be told in time of a session
        moved, added or placed again today; a cancelled one comes back after today, as
        SCHEMA.md says), and a cancelled one never on the day it was cancelled on, unless
        staff pin it there (its series' slots a sibling holds that day stay open to the
        sibling alone: a review saw the make-up take one once the sibling moved)."""
        old = self.previous.get(session)
        if day != self.today:
            return day > self.today and not self._cancelled_on(session, day)
        return (
            old is not None
            and session not in self.cancelled
            and (old.date, old.slot) == (day, slot)
        )

    def _cancelled_on(self, session: str, day: dt.date) -> bool:
        """Whether `session` was cancelled on `day`, and no pin of staff's sets it there."""
        old = self.previous.get(session)
        if session not in self.cancelled or old is None or old.date != day:
            return False
        return not any(p.session == session and p.date == day for p in self.instance.pins)

    def may_place(
        self, session: str, day: dt.date, slot: str, room: str, room_site: Mapping[str, str]
    ) -> bool:
        """`may_start`, and on today itself at the site it was published at: another room
        there if need be, never another town the same morning (an audit's finding)."""
        if not self.may_start(session, day, slot):
            return False
        old = self.previous.get(session)
        if day != self.today or old is None:
            return True
        return room_site.get(room) == room_site.get(old.room)


def _overtaken(instance: Instance, sids: set[str], frozen: dict[str, Assignment]) -> list[str]:
    """The sessions of `sids` with a later session of their series already taught."""
    sessions = {s.id: s for s in expand_sessions(instance)}
    taught = [sessions[sid] for sid in frozen if sid in sessions]
    return sorted(
        sid
        for sid in sids
        if sid in sessions
        and any(
            t.series_id == sessions[sid].series_id and t.number > sessions[sid].number
            for t in taught
        )
    )


def _named_sessions(
    published: tuple[Assignment, ...], changes: Changes, kind: str
) -> dict[str, Assignment]:
    """The sessions the changes of `kind` (cancelled, dropped) name, each published (as
    `published_session` checked)."""
    placed = {a.session: a for a in published}
    bodies = (getattr(change, kind) for change in changes.changes)
    return {b.session: placed[b.session] for b in bodies if b is not None}


def _drop_sessions(instance: Instance, data: dict[str, Any], dropped: set[str]) -> list[str]:
    """Mark the sessions dropped; the pins of those sessions and the precedences naming them,
    or a series or UE left without sessions, go: said, for the console and changes.md."""
    if not dropped:
        return []
    data["dropped"] = sorted({*data.get("dropped", []), *dropped})
    left = [s for s in expand_sessions(instance) if s.id not in dropped]
    gone = (
        dropped
        | ({s.series_id for s in expand_sessions(instance)} - {s.series_id for s in left})
        | ({u.id for u in instance.ues} - {s.ue for s in left})
    )
    pins = [p for p in data.get("pins", []) if p["session"] in dropped]
    named = [p for p in data.get("precedences", []) if {p["before"], p["after"]} & gone]
    data["pins"] = [p for p in data.get("pins", []) if p not in pins]
    data["session_teachers"] = [
        o for o in data.get("session_teachers", []) if o["session"] not in dropped
    ]
    data["precedences"] = [p for p in data.get("precedences", []) if p not in named]
    return [f"the pin of {p['session']} goes with the session (dropped)" for p in pins] + [
        f"the precedence {p['before']} before {p['after']} goes: it names "
        f"{'a dropped session' if {p['before'], p['after']} & dropped else 'a series or UE left without sessions'}"
        for p in named
    ]


def _apply_all(
    instance: Instance,
    data: dict[str, Any],
    published: tuple[Assignment, ...],
    changes: Changes,
    source: str,
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Apply each change to `data`, in order (the first bad change is said): the warnings,
    and the pins the `pinned` changes give, by session."""
    today = changes.today
    placed = {a.session: a for a in published}
    again = {c.cancelled.session for c in changes.changes if c.cancelled is not None}
    given = {a.session for a in published if a.date < today and a.session not in again}
    staff_pins: dict[str, dict[str, Any]] = {}  # session -> the pin a `pinned` change gives
    pinned_by: dict[str, int] = {}
    dropping = {c.dropped.session for c in changes.changes if c.dropped is not None}
    pinning = (
        Published(instance, placed, today, given, again)
        if any(c.pinned for c in changes.changes)
        else None
    )
    warnings = []
    for i, change in enumerate(changes.changes):
        where = f"{source}: changes[{i}] {change.kind}"
        published_session(instance, placed, change, where)
        warning = None
        if change.teacher_replaced is not None:
            warning = replace_teacher(data, change.teacher_replaced, given, where)
        elif change.window is not None:
            calendar = (instance.calendar.start, instance.calendar.end)
            warning = change_window(data, change.window, given, placed, calendar, where)
        elif change.pinned is not None:
            assert pinning is not None
            named = pin_sessions(data, change.pinned, pinning, where)
            if change.pinned.session is None:  # a series or UE: but the sessions dropped
                named = {k: v for k, v in named.items() if k not in dropping}
            not_dropped_later(named, changes, i, where)
            pinned_once(named, pinned_by, i, where)
            staff_pins |= named
            if not named:
                warning = f"{where}: every session it names took place already: nothing changes"
        else:
            warning = apply_change(data, change, today, where)
        warnings += [w for w in (dropped_before_today(change, placed, today, where), warning) if w]
    return warnings, staff_pins


def _pins(
    data: dict[str, Any],
    counts: dict[str, int],
    frozen: dict[str, Assignment],
    cancelled: set[str],
    dropped: set[str],
    cancelled_pins: dict[str, dict[str, Any]],
    staff_pins: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """The revised instance's pins: the instance's own for sessions still to place (what is
    left of a cancelled session's), the `pinned` changes' in their place, the added
    sessions', and every session before today where it took place."""
    pins = [
        p
        for p in data.get("pins", [])
        if p["session"] not in frozen and p["session"] not in cancelled | dropped
    ]
    pins += [{"session": sid, **kept} for sid, kept in cancelled_pins.items() if kept]
    pins = [p for p in pins if p["session"] not in staff_pins] + list(staff_pins.values())
    pins += pins_of_added(data, counts, pins, set(frozen) | cancelled | dropped)
    return pins + [
        {"session": a.session, "date": a.date.isoformat(), "slot": a.slot, "room": a.room}
        for a in sorted(frozen.values())
    ]


def _first_invalidating(
    instance: Instance,
    published: tuple[Assignment, ...],
    changes: Changes,
    source: str,
    reordered: tuple[str, ...],
    error: str,
) -> int | None:
    """The first change after which the instance is invalid with `error` (the changes before
    it applied with it), for the error to say which (`count: 500` was said as the series'
    total of 506 alone, an audit); None when the instance is so without any change (the
    past's pins, an instance edited since) or no change gives that error by itself (the
    changes read one another: cancelled and dropped sessions)."""
    for k in range(len(changes.changes) + 1):
        head = changes.model_copy(update={"changes": changes.changes[:k]})
        try:
            revise(instance, published, head, source, reordered, locate=False)
        except InputError as err:
            return k - 1 if k and str(err).endswith(error) else None
    return None


def revise(
    instance: Instance,
    published: tuple[Assignment, ...],
    changes: Changes,
    source: str,
    reordered: tuple[str, ...] = (),
    *,
    locate: bool = True,
) -> Revision:
    """The instance with `changes` applied and the sessions before `today` pinned as published.

    A cancelled session that a later session of its series has already followed (SCHEMA's
    example: 07 cancelled, 08 taught) cannot come back in order: it joins `reordered` (with
    the published solution's own `reordered`), which takes it out of the series' order rules.
    When the revised instance is invalid, the error names the first change that makes it so
    (unless `locate` is False).
    """
    today = changes.today
    data = instance.model_dump(by_alias=True, mode="json", exclude_none=True)
    counts = {
        f"{ue['id']}-{x.get('series', 'main')}": x["count"]
        for ue in data["ues"]
        for x in ue["sessions"]
    }
    warnings, staff_pins = _apply_all(instance, data, published, changes, source)
    cancelled = set(_named_sessions(published, changes, "cancelled"))
    keep_cancelled_days_closed(data, instance, published, cancelled, today, staff_pins)
    dropped = set(_named_sessions(published, changes, "dropped"))
    gone_with = _drop_sessions(instance, data, dropped)
    frozen = {
        a.session: a for a in published if a.date < today and a.session not in cancelled | dropped
    }
    cancelled_pins = {
        p["session"]: undated(p)
        for p in data.get("pins", [])
        if p["session"] in cancelled
        and p["session"] not in staff_pins
        and not _past_pin(p, instance.frozen_before)
    }
    data["pins"] = _pins(data, counts, frozen, cancelled, dropped, cancelled_pins, staff_pins)
    unbound = unbind_make_ups(instance, data, cancelled - dropped, set(frozen), today)
    data["frozen_before"] = today.isoformat()
    data["reordered"] = _reordered(instance, reordered, cancelled, frozen, dropped)
    revised = _validated(data, instance, published, changes, source, reordered, locate)
    previous = {a.session: a for a in published}
    return Revision(
        revised,
        today,
        frozenset(frozen),
        previous,
        frozenset(cancelled),
        tuple(sorted(cancelled_pins.items())),
        tuple(warnings),
        tuple(gone_with),
        tuple(unbound),
    )


def _past_pin(pin: dict[str, Any], frozen_before: dt.date | None) -> bool:
    """Whether `pin` is one an earlier re-solve added to keep a session where it took place
    (dated before that re-solve's today): not staff's choice, so a cancelled session keeps
    nothing of it (an audit: its room stayed a pin, and a room closed from then on left
    the make-up no place)."""
    return frozen_before is not None and "date" in pin and pin["date"] < frozen_before.isoformat()


def _reordered(
    instance: Instance,
    reordered: tuple[str, ...],
    cancelled: set[str],
    frozen: dict[str, Assignment],
    dropped: set[str],
) -> list[str]:
    """The revised instance's `reordered`: the sessions claimed (the instance's, `reordered`'s,
    the cancelled) that a later session of their series given before today overtook, less
    those dropped."""
    # those taken out before stay out only while a later session of their series is still
    # given before today: a re-solve with an earlier today (its sessions given in between may
    # move again) kept a stale claim the checker then refused (a review)
    claimed = [*instance.reordered, *reordered, *sorted(cancelled)]
    still = set(_overtaken(instance, set(claimed), frozen))
    return [sid for sid in dict.fromkeys(claimed) if sid in still - dropped]


def _validated(
    data: dict[str, Any],
    instance: Instance,
    published: tuple[Assignment, ...],
    changes: Changes,
    source: str,
    reordered: tuple[str, ...],
    locate: bool,
) -> Instance:
    """The revised instance read from `data`; when it is invalid, an `InputError` naming the
    first change that makes it so (unless `locate` is False)."""
    try:
        revised = Instance.model_validate(data)
    except ValidationError as err:
        said = first_error(err)
        culprit = (
            _first_invalidating(instance, published, changes, source, reordered, said)
            if locate
            else None
        )
        which = (
            "the changes make"
            if culprit is None
            else f"changes[{culprit}] {changes.changes[culprit].kind} makes"
        )
        raise InputError(f"{source}: {which} the instance invalid: {said}") from err
    return revised
