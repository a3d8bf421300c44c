"""`teacher_available`: the dated slots an `unavailable` rule keeps once a teacher is free.

A rule matches dated slots by date, range, weekday and slots (`DateRule`), so "this rule
except those slots" is not one rule in general. `minus` writes it exactly as rules: the parts
of the rule's dates outside the teacher's new window stay as they were (same weekday and
slots); within the window, the dates the window leaves untouched stay as ranges, and a date
the window frees in part keeps the rule's other slots of that date (`{date, slots}`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from scheduler.check.placed import WEEKDAY_IDS
from scheduler.data.instance import DateRule

DAY = dt.timedelta(days=1)


def _dates(rule: DateRule) -> tuple[dt.date | None, dt.date | None]:
    """The first and last date a rule may match (None: no limit on that side)."""
    return rule.date or rule.from_, rule.date or rule.to


def _ranged(rule: DateRule, first: dt.date | None, last: dt.date | None) -> dict[str, Any]:
    """`rule` limited to `first`..`last`, as instance data (weekday and slots kept)."""
    data: dict[str, Any] = {}
    if first is not None and first == last:
        data["date"] = first.isoformat()
    else:
        if first is not None:
            data["from"] = first.isoformat()
        if last is not None:
            data["to"] = last.isoformat()
    if rule.weekday is not None:
        data["weekday"] = rule.weekday
    if rule.slots is not None:
        data["slots"] = list(rule.slots)
    return data


def minus(
    unavailable: DateRule,
    available: DateRule,
    patterns: Mapping[str, Sequence[str]],
    first: dt.date,
    last: dt.date,
) -> list[dict[str, Any]]:
    """`unavailable` without the dated slots `available` matches from `first` to `last`
    (`patterns`: the calendar's slot ids by weekday id), as instance rules."""
    a_first, a_last = _dates(available)
    lo = max(first, a_first or first)
    hi = min(last, a_last or last)
    u_first, u_last = _dates(unavailable)
    lo = max(lo, u_first or lo)
    hi = min(hi, u_last or hi)
    whole = [unavailable.model_dump(by_alias=True, exclude_none=True, mode="json")]
    if lo > hi:  # no date in common
        return whole
    out = []
    if u_first is None or u_first < lo:
        out.append(_ranged(unavailable, u_first, lo - DAY))
    run: dt.date | None = None  # the first date of the current run of untouched dates
    touched = False
    day = lo
    while day <= hi:
        weekday = WEEKDAY_IDS[day.weekday()]
        held = [s for s in patterns.get(weekday, ()) if unavailable.matches(day, weekday, s)]
        left = [s for s in held if not available.matches(day, weekday, s)]
        if not held:  # nothing to keep or free: part of the run around it, if any
            pass
        elif left == held:
            run = run or day
        else:
            touched = True
            if run is not None:
                out.append(_ranged(unavailable, run, day - DAY))
                run = None
            if left:
                out.append({"date": day.isoformat(), "slots": left})
        day += DAY
    if not touched:
        return whole
    if run is not None:
        out.append(_ranged(unavailable, run, hi))
    if hi < last and (u_last is None or u_last > hi):  # nothing is taught after `last`
        out.append(_ranged(unavailable, hi + DAY, u_last))
    return out
