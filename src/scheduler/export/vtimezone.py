"""A VTIMEZONE that every calendar client reads the same way.

icalendar's `Timezone.from_tzid` lists a zone's yearly transitions as one multi-valued RDATE
(`RDATE:20260329T030000,20270328T030000,...`), which vobject (Radicale's parser) reads as its
first date only: from the second spring on, every event came out an hour off. It also gives
the spring onsets in the new local time (03:00) where RFC 5545 wants the time before the
change (02:00).

Here, when the zone's changes over the years covered follow a yearly rule (the same month,
weekday and time: "the last Sunday of March at 02:00"), the VTIMEZONE is the form Google,
Apple and Outlook write themselves: one DAYLIGHT and one STANDARD observance, each with a
yearly RRULE (Outlook is reported to misplace events under any other form). Otherwise (a
zone whose rules changed within those years, Ramadan suspensions...) each transition is an
observance of its own, DTSTART the local time before it, with no RDATE or RRULE.
"""

from __future__ import annotations

from calendar import monthrange
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
    """The observance from `start` (UTC) on. DAYLIGHT when the clocks go forward (or, with no
    change, when the zone says summer time): Dublin's winter, a "negative summer time" for
    zoneinfo, is STANDARD as clients expect."""
    local = start.astimezone(zone)
    summer = (local.dst() or timedelta(0)) > timedelta(0)
    forward = after > before if after != before else summer
    part = TimezoneDaylight() if forward else TimezoneStandard()
    part.add("dtstart", (start + before).replace(tzinfo=None))  # local time before the change
    part.add("tzname", local.tzname() or "")
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    return part


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The `nth` (1-5, or -1 for the last) `weekday` (0 = Monday) of a month, if any."""
    length = monthrange(year, month)[1]
    days = [date(year, month, d) for d in range(1, length + 1)]
    days = [d for d in days if d.weekday() == weekday]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def _yearly_rule(onsets: list[datetime], first: date, last: date) -> dict[str, object] | None:
    """The RRULE whose occurrences from `first` to `last` are exactly these local onsets (the
    same month, weekday, time and week of the month counted from its start or its end, in
    every year), else None: a zone that stopped or changed its rule within the range keeps
    one observance per change, since an open-ended rule would go on predicting it."""
    if len({(o.month, o.weekday(), o.time()) for o in onsets}) != 1:
        return None
    month, weekday = onsets[0].month, onsets[0].weekday()
    if all((o + timedelta(days=7)).month != month for o in onsets):
        nth = -1  # the last one of the month
    elif len(weeks := {(o.day - 1) // 7 + 1 for o in onsets}) == 1:
        nth = weeks.pop()
    else:
        return None
    predicted = {
        day
        for year in range(first.year, last.year + 1)
        if (day := _nth_weekday(year, month, weekday, nth)) is not None and first <= day <= last
    }
    if predicted != {o.date() for o in onsets}:
        return None
    return {"freq": "yearly", "bymonth": month, "byday": f"{nth}{WEEKDAYS[weekday]}"}


def _rule_based(
    zone: ZoneInfo, changes: list[Transition], first: date, last: date
) -> list[TimezoneStandard | TimezoneDaylight] | None:
    """Two observances with yearly rules (DAYLIGHT and STANDARD) when `changes`, those from
    `first` to `last`, follow them."""
    kinds: dict[tuple[timedelta, timedelta], list[datetime]] = {}
    for instant, before, after in changes:
        kinds.setdefault((before, after), []).append(instant)
    if len(kinds) != 2 or any(len(instants) < 2 for instants in kinds.values()):
        return None
    parts = []
    for (before, after), instants in kinds.items():
        rule = _yearly_rule([(i + before).replace(tzinfo=None) for i in instants], first, last)
        if rule is None:
            return None
        part = _observance(zone, instants[0], before, after)
        part.add("rrule", rule)
        parts.append(part)
    return parts


def vtimezone(name: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of zone `name` for the days `first` to `last`. Its observances start a
    year before `first`, so that the days up to the first change in the range are covered."""
    zone = ZoneInfo(name)
    tz = Timezone()
    tz.add("tzid", name)
    first = date(first.year - 1, first.month, min(first.day, 28))
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    changes = transitions(zone, first, last)
    ruled = _rule_based(zone, changes, first, last) if changes else None
    if ruled is not None:
        for part in ruled:
            tz.add_component(part)
        return tz
    offset = _offset(zone, start)
    tz.add_component(_observance(zone, start, offset, offset))  # the offset from `first` on
    for instant, before, after in changes:
        tz.add_component(_observance(zone, instant, before, after))
    return tz
