"""Pre-flight warnings of dates against the calendar: a calendar of many years, a name of
another year, a Sunday-to-Thursday week, times a clock change skips or repeats, and
availability, windows, closures and holiday dates outside the calendar. `CALENDAR_CHECKS` are
the checks `scheduler calendar` says too; every check here is also in
`preflight_slips.SLIP_CHECKS`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from scheduler.data.findings import Domains, Finding, rules_of
from scheduler.data.instance_calendar import Calendar, Closure, DateRule
from scheduler.data.preflight_holidays import check_holiday_coverage
from scheduler.data.problem import Problem
from scheduler.data.words import describe_rule, format_date, format_span, join_words, teacher_label


def _clock_change(day: date, at: time, zone: ZoneInfo) -> str | None:
    """Why `at` on `day` is no single moment in `zone`: skipped or repeated by a clock change."""
    first, second = (datetime.combine(day, at, zone).replace(fold=f) for f in (0, 1))
    if first.utcoffset() == second.utcoffset():
        return None
    # in a gap fold=0 takes the offset before the change, which is then the smaller one
    skipped = first.utcoffset() < second.utcoffset()  # type: ignore[operator]
    return (
        "does not exist (the clocks go forward)"
        if skipped
        else "happens twice (the clocks go back)"
    )


def check_local_times(p: Problem, domains: Domains) -> list[Finding]:
    """Slot and fixed-event times that a clock change skips or repeats on some date.

    Warnings: a timetable can be found, but such a time is no single moment, so calendar
    applications choose one (RFC 5545 3.3.5) and may show another hour than the one meant.
    """
    times = [("slot", s.slot, s.date, s.start, s.end) for s in p.slots]
    return _local_times(p, times) + event_local_times(p)


def event_local_times(p: Problem, events: Collection[str] | None = None) -> list[Finding]:
    """`check_local_times` of the fixed events (of `events` only, when given: those a
    re-solve moves)."""
    return _local_times(
        p,
        [
            ("fixed event", o.event.id, o.date, o.start, o.end)
            for o in p.event_occurrences
            if events is None or o.event.id in events
        ],
    )


def _local_times(p: Problem, times: list[tuple[str, str, date, time, time]]) -> list[Finding]:
    zone = ZoneInfo(p.instance.timezone)
    found: list[Finding] = []
    for kind, entity, day, start, end in times:
        for edge, at in (("starts", start), ("ends", end)):
            why = _clock_change(day, at, zone)
            if why is not None:
                msg = (
                    f"{kind} {entity} {edge} at {at:%H:%M} on {format_date(day)}, a time that "
                    f"{why} in {p.instance.timezone}: calendars may show another hour — move "
                    "the time or close that date"
                )
                found.append(Finding("warning", "local_time", (entity,), msg))
    return found


def outside_calendar(cal: Calendar, first: date | None, last: date | None) -> bool:
    """Whether dates from `first` to `last` (either open) lie wholly outside the calendar;
    False without any date (a rule on weekdays or slots only)."""
    return (last is not None and last < cal.start) or (first is not None and first > cal.end)


def rule_owners(p: Problem) -> list[tuple[str, str, object]]:
    """(words, entity id, owner) of everything with availability or avoid rules: teachers,
    rooms and series."""
    owners: list[tuple[str, str, object]] = [
        (f"teacher {teacher_label(p, t.id)}", t.id, t) for t in p.instance.teachers
    ]
    owners += [(f"room {r.id}", r.id, r) for site in p.instance.sites for r in site.rooms]
    owners += [
        (f"series {u.id}-{s.series}", f"{u.id}-{s.series}", s)
        for u in p.instance.ues
        for s in u.sessions
    ]
    return owners


def check_dates_outside_calendar(p: Problem, domains: Domains) -> list[Finding]:
    """Unavailability and avoid rules whose dates lie wholly outside the calendar: a typing
    slip (a March absence typed in autumn lands in the year before), since such a rule
    changes nothing. Rules without dates (a weekday the calendar does not teach) are
    ordinary, and an `available_only` outside it is an error elsewhere (no slot left)."""
    cal = p.instance.calendar
    owners = rule_owners(p)
    found: list[Finding] = []
    for what, entity, owner in owners:
        for kind in ("unavailable", "avoid"):
            for rule in getattr(owner, kind, ()):
                if not outside_calendar(cal, rule.date or rule.from_, rule.date or rule.to):
                    continue  # no dates (a weekday), or some inside the calendar
                msg = (
                    f"{what}: {kind} {describe_rule(rule, p)} lies outside the calendar "
                    f"({format_span(cal.start, cal.end)}), so it changes nothing — check its "
                    "year"
                )
                found.append(Finding("warning", "availability", (entity,), msg))
        found += _stale_windows(p, what, entity, getattr(owner, "available_only", ()))
    return found


def _stale_windows(p: Problem, what: str, entity: str, rules: Sequence[DateRule]) -> list[Finding]:
    """An `available_only` rule wholly outside the calendar beside others inside it: a
    visitor's stay left on last year's dates when the instance was copied, which lost the
    new year's visit without a word (the year audit). All of them outside is an error
    elsewhere (no slot left)."""
    cal = p.instance.calendar
    stale = [r for r in rules if outside_calendar(cal, r.date or r.from_, r.date or r.to)]
    if not stale or len(stale) == len(rules):
        return []
    return [
        Finding(
            "warning",
            "availability",
            (entity, rules_of(entity, "available_only")),
            f"{what}: available_only {describe_rule(r, p)} lies outside the calendar "
            f"({format_span(cal.start, cal.end)}), so it adds no date — check its year",
        )
        for r in stale
    ]


# A calendar this long is a year typed wrong (`check_calendar_length`): a programme of
# several years fits well within it
LONG_CALENDAR_YEARS = 6


def check_sunday_teaching_week(p: Problem, domains: Domains) -> list[Finding]:
    """Slots on Sunday and none on Saturday (a Sunday-Thursday week, as in Israel): weeks are
    ISO weeks and Sunday a weekend day in every rule, which such a programme should know (an
    audit's Sunday sessions counted with the week before, and paid saturday_opening)."""
    slots = p.instance.calendar.slots
    sundays = sorted(s.id for s in slots if s.weekday == "sun")
    if not sundays or any(s.weekday == "sat" for s in slots):
        return []
    msg = (
        f"calendar: slots on Sunday ({', '.join(sundays)}) and none on Saturday, but a week runs "
        "Monday to Sunday here (ISO weeks): Sunday's sessions count with the week before for "
        "weekly_load, max_sessions_per_week and visitor_trips, and saturday_opening and "
        "half_saturday charge Sunday as a weekend day — if Sunday is a working day, set those "
        "two weights to 0"
    )
    return [Finding("warning", "calendar", ("calendar",), msg)]


def check_calendar_length(p: Problem, domains: Domains) -> list[Finding]:
    """A calendar of more than `LONG_CALENDAR_YEARS` years: an end typed 2062 for 2026 (an
    audit) gave thousands of dated slots, no warning, and a solve out of time that advised
    a longer time limit."""
    cal = p.instance.calendar
    years = (cal.end - cal.start).days / 365.25
    if years <= LONG_CALENDAR_YEARS:
        return []
    shown = f"{years:.1f}".removesuffix(".0")  # 6.1 years are said, not "6"
    msg = (
        f"calendar {format_span(cal.start, cal.end)} spans {shown} years "
        f"({len(p.slots)} dated slots) — check the year of its start and end"
    )
    return [Finding("warning", "calendar", ("calendar",), msg)]


def check_years_in_name(p: Problem, domains: Domains) -> list[Finding]:
    """A name or title whose years are none the calendar reaches: last year's instance
    copied for a new year kept them (the year audit). The name makes the calendars' event
    ids, so both years' events would be taken for the same in one calendar; the title heads
    every page and feed."""
    cal = p.instance.calendar
    years = set(range(cal.start.year, cal.end.year + 1))
    span = format_span(cal.start, cal.end)
    why = {
        "name": "calendar events take their ids from it, so another year's would be taken for "
        "these — give the instance a name of its own",
        "title": "every page and calendar shows it — correct it",
    }
    found = []
    for field, text in (("name", p.instance.name), ("title", p.instance.title)):
        # an academic year (`2026-27`, `2026-2027`) the calendar reaches: a spring term of
        # 2026-27 starts in 2027, a calendar of two years reaches both (a calendar audit)
        academic = list(_ACADEMIC_YEAR.finditer(text))  # `2026-27`, and its 2026
        named = sorted(set(_YEAR.findall(text)))
        if academic and not any(_reaches(cal.start, cal.end, m) for m in academic):
            said = f"the academic year {academic[0][0]}"
        elif named and not academic and not years.intersection(map(int, named)):
            said = join_words(named)
        else:
            continue
        msg = f"{field} {text!r} names {said}, not the calendar's ({span}): {why[field]}"
        found.append(Finding("warning", "calendar", (field,), msg))
    return found


_YEAR = re.compile(r"(?<![0-9])20[0-9]{2}(?![0-9])")
_ACADEMIC_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*[-/–]\s*([0-9]{2}|20[0-9]{2})(?![0-9])")


def _reaches(first: date, last: date, academic: re.Match[str]) -> bool:
    """Whether the calendar `first`-`last` meets the academic years `academic` names
    (`2026-27`: 1 Aug 2026 to 31 Jul 2027; `2025-2027`: two of them)."""
    start, end = int(academic[1]), int(academic[2])
    if end < 100:  # `27` of `2026-27`
        end += start // 100 * 100
    if end <= start:  # `2027-26`: no academic year, said as one the calendar does not reach
        return False
    return first <= date(end, 7, 31) and last >= date(start, 8, 1)


def check_windows_outside_calendar(p: Problem, domains: Domains) -> list[Finding]:
    """UE and series windows wholly outside the calendar: typed in the wrong year, they leave
    the UE no date (an audit's window of last autumn, reported first as a pin outside it)."""
    cal, found = p.instance.calendar, []
    for ue in p.instance.ues:
        owners = [(f"ue {ue.id}", ue.window)]
        owners += [(f"ue {ue.id} series {s.series}", s.window) for s in ue.sessions]
        for what, window in owners:
            if window is None:
                continue
            span = format_span(window.from_, window.to)
            if outside_calendar(cal, window.from_, window.to):
                where = "lies outside"
            elif far_beyond(cal, window.from_, window.to):
                where = "reaches far beyond"  # a year's typo loosens it, unsaid (an audit)
            else:
                continue
            msg = (
                f"{what}: its window {span} {where} the calendar "
                f"({format_span(cal.start, cal.end)}) — check its year"
            )
            found.append(Finding("warning", "ue_window", (ue.id,), msg))
    return found


# A window may end a little after the calendar ("until the end of June"); this far beyond it,
# it is a year's typo (`far_beyond`)
FAR_DAYS = 62


def far_beyond(cal: Calendar, first: date | None, last: date | None, days: int = FAR_DAYS) -> bool:
    """Whether dates from `first` to `last` start more than `days` before the calendar or
    end as far after it."""
    return (first is not None and (cal.start - first).days > days) or (
        last is not None and (last - cal.end).days > days
    )


def closure_outside(cal: Calendar, closure: Closure) -> bool:
    """Whether every day of `closure` is outside the calendar."""
    first, last = closure.date or closure.from_, closure.date or closure.to
    return first is not None and last is not None and outside_calendar(cal, first, last)


def check_closures_outside_calendar(p: Problem, domains: Domains) -> list[Finding]:
    """Closures and extra holiday dates wholly outside the calendar: left in last year's
    dates when the instance was copied for a new year, they close nothing, and sessions land
    in this year's breaks (year audit)."""
    cal = p.instance.calendar
    outside = f"lies outside the calendar ({format_span(cal.start, cal.end)})"
    found: list[Finding] = []
    for i, closure in enumerate(cal.closures):
        if not closure_outside(cal, closure):
            continue
        first, last = closure.date or closure.from_, closure.date or closure.to
        assert first is not None and last is not None  # a closure has a date or both ends
        name = f"closure {closure.reason!r}" if closure.reason else "a closure"
        msg = f"{name} {format_span(first, last)} {outside}, so it closes nothing — check its year"
        # by its place in the list: a workbook's line then names its row (a Flemish audit)
        found.append(Finding("warning", "closures", (f"closures[{i}]",), msg))
    for which, source in (("public", cal.public_holidays), ("school", cal.school_holidays)):
        late = [d for d in (source.dates if source else ()) if outside_calendar(cal, d, d)]
        if late:
            days = join_words(format_date(d) for d in late)
            msg = f"{which} holiday dates {days}: each {outside}, so it changes nothing"
            found.append(Finding("warning", f"{which}_holidays", (which,), msg))
    return found


#: the checks of the calendar alone, which `scheduler calendar` says too (a manager checking
#: the calendar saw 36 years of months, or a closure of last year, without a word: an audit)
CALENDAR_CHECKS = (
    check_calendar_length,
    check_years_in_name,
    check_sunday_teaching_week,
    check_local_times,
    check_closures_outside_calendar,
    # the holidays the calendar's columns count (an audit: `calendar` showed "school 0" in
    # every month of a French instance without a zone, and said nothing of it)
    check_holiday_coverage,
)


def calendar_slips(p: Problem) -> list[Finding]:
    """The warnings of `CALENDAR_CHECKS` on `p` (which need no placements)."""
    return [f for check in CALENDAR_CHECKS for f in check(p, {})]
