"""A VTIMEZONE that every calendar client reads the same way: one observance per transition.

icalendar's `Timezone.from_tzid` lists a zone's yearly transitions as one multi-valued RDATE
(`RDATE:20260329T030000,20270328T030000,...`), which vobject (Radicale's parser) reads as its
first date only: from the second spring on, every event came out an hour off. It also gives
the spring onsets in the new local time (03:00) where RFC 5545 wants the time before the
change (02:00). Here each transition is an observance of its own whose DTSTART is the local
time before it, with no RDATE or RRULE: the plainest form the RFC allows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

Transition = tuple[datetime, timedelta, timedelta]  # UTC instant, offset before, offset after


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def transitions(zone: ZoneInfo, first: date, last: date) -> list[Transition]:
    """Every change of UTC offset from `first` to `last` (UTC days), to the second."""
    out: list[Transition] = []
    day = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(last, datetime.min.time(), tzinfo=UTC)
    before = _offset(zone, day)
    while day < end:
        following = day + timedelta(days=1)
        after = _offset(zone, following)
        if after != before:
            lo, hi = day, following  # offset `before` at lo, `after` at hi
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _offset(zone, mid) == before:
                    lo = mid
                else:
                    hi = mid
            out.append((hi.replace(microsecond=0), before, after))
            before = after
        day = following
    return out


def _observance(
    zone: ZoneInfo, start: datetime, before: timedelta, after: timedelta
) -> TimezoneStandard | TimezoneDaylight:
    local = start.astimezone(zone)
    part = TimezoneDaylight() if local.dst() else TimezoneStandard()
    part.add("dtstart", (start + before).replace(tzinfo=None))  # local time before the change
    part.add("tzname", local.tzname() or "")
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    return part


def vtimezone(name: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of zone `name` for the days `first` to `last`."""
    zone = ZoneInfo(name)
    tz = Timezone()
    tz.add("tzid", name)
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    offset = _offset(zone, start)
    tz.add_component(_observance(zone, start, offset, offset))  # the offset from `first` on
    for instant, before, after in transitions(zone, first, last):
        tz.add_component(_observance(zone, instant, before, after))
    return tz
