"""Pre-flight warnings of fixed events: events that overlap while sharing a teacher, room or
students, or that put them at two sites a day; teachers or rooms an event lists on a day they
are unavailable; events on a public holiday, with days a year off the calendar, with fewer
seats than students or without any date. A timetable can still be found, as fixed events are
placed by the user. Run by `scheduler.data.preflight` (overlaps, with its certain errors) and
`preflight_slips` (the rest), and before a re-solve by `scheduler.resolve.event_warnings`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scheduler.data.calendar import holiday_dates
from scheduler.data.findings import Domains, Finding
from scheduler.data.groups import outermost
from scheduler.data.instance import FixedEvent
from scheduler.data.instance_calendar import Calendar, DateRule
from scheduler.data.problem import EventOccurrence, Problem
from scheduler.data.types import WEEKDAYS, minutes
from scheduler.data.words import describe_rule, format_date, format_span, join_words, teacher_label


def check_fixed_events(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events that share a teacher, room or students at overlapping times or sites.

    Warnings: fixed events are placed by the user, and the model and checker do not compare
    them with each other, so a timetable can still be found.
    """
    found = []
    occ = p.event_occurrences
    for i, a in enumerate(occ):
        for b in occ[i + 1 :]:
            if a.date != b.date or a.event.id == b.event.id:
                continue
            ea, eb = a.event, b.event
            overlap = minutes(a.start) < minutes(b.end) and minutes(b.start) < minutes(a.end)
            shared = sorted(set(ea.teachers) & set(eb.teachers))
            students = p.groups_conflict(ea.groups, eb.groups)
            rooms = sorted(set(ea.rooms) & set(eb.rooms))
            when = format_date(a.date)
            if overlap and (shared or students or rooms):
                who = join_words([*shared, *rooms] + (["their students"] if students else []))
                msg = f"fixed events {ea.id} and {eb.id} overlap on {when} and share {who}"
                found.append(Finding("warning", "fixed_events", (ea.id, eb.id), msg))
            elif (
                ea.site is not None
                and eb.site is not None
                and p.area[ea.site] != p.area[eb.site]
                and (shared or students)
            ):
                who = join_words(shared + (["their students"] if students else []))
                msg = (
                    f"fixed events {ea.id} ({ea.site}) and {eb.id} ({eb.site}) on {when} "
                    f"put {who} at two sites"
                )
                found.append(Finding("warning", "one_site_per_day", (ea.id, eb.id), msg))
    return found


def covers_event_day(rule: DateRule, o: EventOccurrence, cal: Calendar) -> bool:
    """Whether an availability `rule` covers fixed-event day `o`: its dates and weekday
    match, and the event overlaps one of the slots it names (any time, naming none)."""
    weekday = WEEKDAYS[o.date.weekday()]
    if rule.slots is None:
        return rule.matches(o.date, weekday, "")
    return any(
        rule.matches(o.date, weekday, slot.id)
        for slot in cal.slots
        if slot.weekday == weekday and slot.start < o.end and o.start < slot.end
    )


def check_event_teachers_available(
    p: Problem, domains: Domains, remedy: Callable[[FixedEvent], str | None] | None = None
) -> list[Finding]:
    """Teachers a fixed event lists on a day they are unavailable (or outside their
    `available_only` windows): the event cannot move, so their calendar would show them at
    an event they said they cannot attend (an audit's visitor, ill on the day of the
    international seminar). `remedy`: how to take them off the event (a re-solve's change),
    when there is another way than editing the instance."""
    cal, found = p.instance.calendar, []
    for o in p.event_occurrences:
        for tid in o.event.teachers:
            t = p.teacher.get(tid)
            if t is None:
                continue
            hit = next((r for r in t.unavailable if covers_event_day(r, o, cal)), None)
            if hit is not None:
                why = f"unavailable {describe_rule(hit, p)}"
            elif t.available_only and not any(
                covers_event_day(r, o, cal) for r in t.available_only
            ):
                why = "outside their available_only windows"
            else:
                continue
            msg = (
                f"teacher {teacher_label(p, tid)} is {why}, yet fixed event {o.event.id} lists them on "
                f"{format_date(o.date)}: take them off the event{_how(remedy, o.event)}, or "
                "correct their availability"
            )
            found.append(Finding("warning", "event_teacher", (o.event.id, tid), msg))
    return found


def _how(remedy: Callable[[FixedEvent], str | None] | None, event: FixedEvent) -> str:
    """` (how)`, when `remedy` has one for `event`."""
    how = remedy(event) if remedy else None
    return f" ({how})" if how else ""


def _a_year_off(day: date, cal: Calendar) -> int:
    """+1 or -1 when `day` is outside the calendar and the same day a year later or earlier
    is inside it (a date left in last year's file, or typed a year ahead), else 0; always
    0 for a calendar of a year or more, where any day near it is a year off some day of it
    (a calendar audit's jury the day after a two-year calendar was "a year off")."""
    if cal.start <= day <= cal.end or (cal.end - cal.start).days >= 365:
        return 0
    for years in (1, -1):
        if not 1 <= day.year + years <= 9999:  # year 1 or 9999: no such neighbour (a fuzz audit)
            continue
        moved = day.replace(
            year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day
        )
        if cal.start <= moved <= cal.end:
            return years
    return 0


# A fixed event may lie outside the calendar (defences in September; a one-term calendar's
# resits the next September); this far, a typo
FAR_INSTANCE_EVENT_DAYS = 366


def check_event_days_outside(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events with days outside the calendar that a year later or earlier would be in
    it: left in last year's dates when a manager rolled the file to a new year (an audit's
    opening day a year early was published in the new year's calendars without a word); and
    days more than a year outside it that no year's shift explains, a typo (9999-12-31 passed
    without a word, a fuzz audit). Defences and resits after the last teaching day are not
    said (a review: a one-term calendar with September resits)."""
    cal, found = p.instance.calendar, []
    span = format_span(cal.start, cal.end)
    for e in p.instance.fixed_events:
        years = {day: y for day in e.dates if (y := _a_year_off(day, cal))}
        far = [d for d in e.dates if d not in years and _far_outside(d, cal)]
        for days, tail in (
            (list(years), _a_year_words(years)),
            (far, "more than a year outside the calendar ({span}) — check the date"),
        ):
            if days:
                said = join_words(format_date(day) for day in days)
                verb = "lies" if len(days) == 1 else "lie"
                msg = f"fixed event {e.id}: {said} {verb} {tail.format(span=span)}"
                found.append(Finding("warning", "fixed_events", (e.id,), msg))
    return found


def _far_outside(day: date, cal: Calendar) -> bool:
    far = FAR_INSTANCE_EVENT_DAYS
    return (cal.start - day).days > far or (day - cal.end).days > far


def _a_year_words(years: dict[date, int]) -> str:
    """`outside the calendar ({span}), and a year later they would be in it — ...`."""
    if not years:
        return ""
    one, shift = len(years) == 1, "later" if next(iter(years.values())) > 0 else "earlier"
    return (
        f"outside the calendar ({{span}}), and a year {shift} {'it' if one else 'they'} "
        "would be in it — check the year"
    )


def check_events_on_public_holidays(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events on a public holiday of the calendar's country: no teaching that day, yet
    the event is kept (an audit's event on Easter Monday): most likely a date slip."""
    events = p.instance.fixed_events
    days = [d for e in events for d in e.dates]
    if not days or p.instance.calendar.public_holidays is None:
        return []
    try:
        inst = p.instance
        public = holiday_dates(
            inst.calendar.public_holidays, min(days), max(days), "public", inst.language
        )
    except ValueError:
        return []  # an unknown country is an error said elsewhere
    found = []
    for e in events:
        for day in e.dates:
            if day in public:
                msg = (
                    f"fixed event {e.id} is on {format_date(day)}, a public holiday "
                    f"({public[day]}): no teaching that day — check its date"
                )
                found.append(Finding("warning", "fixed_events", (e.id,), msg))
    return found


def check_event_rooms_available(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events in a room that is unavailable that day (an audit's exam moved into a room
    under renovation)."""
    cal, found = p.instance.calendar, []
    for o in p.event_occurrences:
        rooms = [p.room[r] for r in o.event.rooms if r in p.room]
        for room in rooms:
            hit = next((r for r in room.unavailable if covers_event_day(r, o, cal)), None)
            if hit is not None:
                msg = (
                    f"fixed event {o.event.id} is in room {room.id} on {format_date(o.date)}, "
                    f"when the room is unavailable ({describe_rule(hit, p)}): check its room"
                )
                where = (o.event.id, room.id, o.date.isoformat())
                found.append(Finding("warning", "fixed_events", where, msg))
    return found


def check_event_seats(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events whose rooms have fewer seats in all than the students of their groups (an
    audit's defences moved into a room of 8)."""
    found = []
    parent = {g.id: g.part_of for g in p.instance.groups}
    for e in p.instance.fixed_events:
        seats = sum(p.room[r].capacity for r in e.rooms if r in p.room)
        known = [g for g in e.groups if g in p.group]
        students = sum(p.group[g].size for g in outermost(known, parent))  # a sub-group: once
        if e.rooms and e.dates and seats < students:
            msg = (
                f"fixed event {e.id} has {students} students (its groups) and "
                f"{seats} seats in its rooms ({', '.join(e.rooms)}): check its rooms"
            )
            found.append(Finding("warning", "fixed_events", (e.id,), msg))
    return found


def check_events_without_days(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events with no date (a re-solve cancelled their days): they block nothing."""
    return [
        Finding(
            "warning",
            "fixed_events",
            (e.id,),
            f"fixed event {e.id} has no date: it blocks nothing (a re-solve's event_moved "
            "with dates gives it days again)",
        )
        for e in p.instance.fixed_events
        if not e.dates
    ]
