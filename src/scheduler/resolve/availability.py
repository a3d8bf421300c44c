"""`teacher_available`: what an `unavailable` rule keeps once a teacher is free again.

A rule matches dated slots by date, range, weekday and slots (`DateRule`); a rule naming no
slot covers the whole of its days (fixed events at any hour too). "This rule except those
slots" is not one rule in general, so `minus` writes it as rules: the rule as it was before
and after the dates both rules share; in between, where both rules' dates hold throughout,
one rule per weekday with what is left of it. Exact on every slot of the calendar, and on
whole days; one thing is lost: on a weekday where a rule covering whole days is freed in
some slots only, the rest of those days is kept as the weekday's other slots, so an hour
outside every slot (a fixed event at noon) no longer counts as unavailable then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from scheduler.data.instance_calendar import DateRule
from scheduler.data.types import WEEKDAYS

DAY = dt.timedelta(days=1)


def _dates(rule: DateRule) -> tuple[dt.date | None, dt.date | None]:
    """The first and last date a rule may match (None: no limit on that side)."""
    return rule.date or rule.from_, rule.date or rule.to


def _ranged(
    rule: DateRule,
    first: dt.date | None,
    last: dt.date | None,
    weekday: str | None = None,
    slots: Sequence[str] | None = None,
) -> dict[str, Any]:
    """`rule` limited to `first`..`last` (and to `weekday`, with `slots` instead of its
    own), as instance data."""
    data: dict[str, Any] = {}
    if first is not None and first == last:
        data["date"] = first.isoformat()
    else:
        if first is not None:
            data["from"] = first.isoformat()
        if last is not None:
            data["to"] = last.isoformat()
    weekday = weekday or rule.weekday
    if weekday is not None:
        data["weekday"] = weekday
    slots = slots if slots is not None else rule.slots
    if slots is not None:
        data["slots"] = list(slots)
    return data


def minus(
    unavailable: DateRule,
    available: DateRule,
    patterns: Mapping[str, Sequence[str]],
    first: dt.date,
    last: dt.date,
) -> list[dict[str, Any]]:
    """`unavailable` without what `available` matches from `first` to `last` (`patterns`:
    the calendar's slot ids by weekday id), as instance rules (see the module)."""
    whole = [unavailable.model_dump(by_alias=True, exclude_none=True, mode="json")]
    a_first, a_last = _dates(available)
    u_first, u_last = _dates(unavailable)
    lo = max(d for d in (first, a_first, u_first) if d is not None)
    hi = min(d for d in (last, a_last, u_last) if d is not None)
    if lo > hi:  # no date in common
        return whole
    kept: list[dict[str, Any]] = []
    touched = False
    for day in (lo + k * DAY for k in range(min(7, (hi - lo).days + 1))):  # each weekday once
        weekday = WEEKDAYS[day.weekday()]
        held = [s for s in patterns.get(weekday, ()) if unavailable.matches(day, weekday, s)]
        all_day = unavailable.slots is None and unavailable.matches(day, weekday, "")
        if available.slots is None and available.matches(day, weekday, ""):
            touched = touched or all_day or bool(held)
            continue  # the whole day is free
        freed = [s for s in held if available.matches(day, weekday, s)]
        if not freed:
            if all_day or held:  # as it was, on this weekday
                kept.append(_ranged(unavailable, lo, hi, weekday))
            continue
        touched = True
        left = [s for s in held if s not in freed]
        if left:
            kept.append(_ranged(unavailable, lo, hi, weekday, left))
    if not touched:
        return whole
    out = []
    if u_first is None or u_first < lo:
        out.append(_ranged(unavailable, u_first, lo - DAY))
    out += kept
    if u_last is None or u_last > hi:
        out.append(_ranged(unavailable, hi + DAY, u_last))
    return out
