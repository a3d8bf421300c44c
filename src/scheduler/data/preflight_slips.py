"""Pre-flight warnings of likely slips: a timetable exists, but probably not the one meant.

A calendar of many years, series without any teacher, teachers without any session or with
an email that is no address, sites without rooms, times a clock change skips or repeats,
names spelt two ways where the hard rules compare them exactly, availability dates, closures
and holiday dates outside the calendar, windows outside it or reaching a year beyond it, and
the slips of fixed events (`preflight_events`: teachers an event lists on a day they are
unavailable, ...). Each check is one function in `SLIP_CHECKS`, run by
`scheduler.data.preflight` after the checks for certain errors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from difflib import SequenceMatcher
from zoneinfo import ZoneInfo

from scheduler.data.calendar import DatedSlot
from scheduler.data.findings import Domains, Finding
from scheduler.data.instance import Calendar, DateRule
from scheduler.data.preflight_events import (
    check_event_days_outside,
    check_event_rooms_available,
    check_event_seats,
    check_event_teachers_available,
    check_events_on_public_holidays,
    check_events_without_days,
)
from scheduler.data.preflight_holidays import check_holiday_coverage
from scheduler.data.problem import Problem
from scheduler.data.types import minutes
from scheduler.data.words import (
    describe_rule,
    format_date,
    format_span,
    join_words,
    teacher_label,
)


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
    zone = ZoneInfo(p.instance.timezone)
    times = [("slot", s.slot, s.date, s.start, s.end) for s in p.slots]
    times += [("fixed event", e.event.id, e.date, e.start, e.end) for e in p.event_occurrences]
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


#: a break longer than this between two slots one session holds makes it a day-long event
LONG_BREAK_MINUTES = 120


def check_long_breaks_within_sessions(p: Problem, domains: Domains) -> list[Finding]:
    """Sessions of several slots that may hold two slots far apart: slots follow each other in
    their weekday's pattern whatever the hours between them, so a two-slot session on
    01:30-02:45 and 09:00-12:00 is one event from 01:30 to 12:00 in every export (an audit).
    One warning per series and pair of slots."""
    pairs: dict[tuple[str, str, str], tuple[DatedSlot, DatedSlot, int]] = {}
    for session in p.sessions:
        if session.length < 2:
            continue
        for placement in domains.get(session.id, ()):
            for a, b in zip(placement.slots, placement.slots[1:], strict=False):
                if minutes(b.start) - minutes(a.end) > LONG_BREAK_MINUTES:
                    pairs.setdefault((session.series_id, a.slot, b.slot), (a, b, session.length))
    found: list[Finding] = []
    for (series, _, _), (a, b, length) in sorted(pairs.items()):
        gap = minutes(b.start) - minutes(a.end)
        msg = (
            f"sessions of {series} hold {length} slots, and may hold {a.slot} "
            f"({a.start:%H:%M}-{a.end:%H:%M}) with {b.slot} ({b.start:%H:%M}-{b.end:%H:%M}), "
            f"{gap // 60} h {gap % 60:02d} apart: one event from {a.start:%H:%M} to "
            f"{b.end:%H:%M} in the calendars — give the day a slot between them, or keep the "
            "series to other slots"
        )
        found.append(Finding("warning", "session_length", (series, a.slot, b.slot), msg))
    return found


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_feature_spelling(p: Problem, domains: Domains) -> list[Finding]:
    """Room features no session asks for that differ from a requested one only by case or
    spaces: most likely the same word, which room_features compares exactly (the room would
    lose the sessions asking for it)."""
    found: list[Finding] = []
    asked = {f for s in p.sessions for f in s.room_features}
    for site in p.instance.sites:
        for room in site.rooms:
            for feature in sorted(set(room.features) - asked):
                near = sorted(a for a in asked if _folded(a) == _folded(feature))
                if near:
                    msg = (
                        f"room {room.id} has feature {feature!r}, which no session asks for, "
                        f"and sessions ask for {join_words(repr(n) for n in near)} — spell them "
                        "the same"
                    )
                    found.append(Finding("warning", "room_features", (room.id,), msg))
    return found


def check_partition_spelling(p: Problem, domains: Domains) -> list[Finding]:
    """Sibling groups' partitions that differ only by case or spaces: only the same spelling
    keeps their students apart (two option tracks could never meet at the same time)."""
    by_parent: dict[str | None, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for g in p.instance.groups:
        if g.partition is not None:
            by_parent[g.part_of][g.partition].append(g.id)
    found: list[Finding] = []
    for parent, partitions in by_parent.items():
        for names in alike(list(partitions)):
            groups = join_words(f"{g} ({n!r})" for n in names for g in partitions[n])
            msg = (
                f"groups of {parent or 'no parent'} have partitions spelt differently: "
                f"{groups}; only the same spelling keeps their students apart — if they are "
                "one partition, spell them the same"
            )
            found.append(Finding("warning", "partition", tuple(partitions[names[0]]), msg))
    return found


def alike(names: list[str]) -> list[list[str]]:
    """Groups of two or more `names` spelt alike: the same but for case or spaces, or close
    (`option` and `options`: the explain audit's misspelt partition made two option tracks
    clash, and only a case difference was warned of)."""

    def close(a: str, b: str) -> bool:
        fa, fb = _folded(a), _folded(b)
        return fa == fb or SequenceMatcher(None, fa, fb).ratio() >= 0.8

    groups: list[list[str]] = []
    for name in names:
        home = next((g for g in groups if any(close(name, other) for other in g)), None)
        if home is None:
            groups.append([name])
        else:
            home.append(name)
    return [g for g in groups if len(g) > 1]


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
            (entity,),
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
        # an academic year (`2026-27`, `2026-2027`) is the one the calendar starts in
        academic = list(_ACADEMIC_YEAR.finditer(text))  # `2026-27`, and its 2026
        named = sorted(set(_YEAR.findall(text)))
        if academic and str(cal.start.year) not in {m[1] for m in academic}:
            said = f"the academic year {academic[0][0]}"
        elif named and not academic and not years.intersection(map(int, named)):
            said = join_words(named)
        else:
            continue
        msg = f"{field} {text!r} names {said}, not the calendar's ({span}): {why[field]}"
        found.append(Finding("warning", "calendar", (field,), msg))
    return found


_YEAR = re.compile(r"(?<![0-9])20[0-9]{2}(?![0-9])")
_ACADEMIC_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*[-/–]\s*(?:[0-9]{2}|20[0-9]{2})(?![0-9])")


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


def check_closures_outside_calendar(p: Problem, domains: Domains) -> list[Finding]:
    """Closures and extra holiday dates wholly outside the calendar: left in last year's
    dates when the instance was copied for a new year, they close nothing, and sessions land
    in this year's breaks (year audit)."""
    cal = p.instance.calendar
    outside = f"lies outside the calendar ({format_span(cal.start, cal.end)})"
    found: list[Finding] = []
    for closure in cal.closures:
        first, last = closure.date or closure.from_, closure.date or closure.to
        if first is None or last is None or not outside_calendar(cal, first, last):
            continue
        name = f"closure {closure.reason!r}" if closure.reason else "a closure"
        msg = f"{name} {format_span(first, last)} {outside}, so it closes nothing — check its year"
        found.append(Finding("warning", "closures", (closure.reason or "closure",), msg))
    for which, source in (("public", cal.public_holidays), ("school", cal.school_holidays)):
        late = [d for d in (source.dates if source else ()) if outside_calendar(cal, d, d)]
        if late:
            days = join_words(format_date(d) for d in late)
            msg = f"{which} holiday dates {days}: each {outside}, so it changes nothing"
            found.append(Finding("warning", f"{which}_holidays", (which,), msg))
    return found


def check_series_without_teachers(p: Problem, domains: Domains) -> list[Finding]:
    """Sessions of a series without any teacher, unless `session_teachers` says so of them:
    an emptied teachers cell of the UE (an audit) reads as "no teacher", and its sessions
    are then placed with no teacher's availability, clash or week limit (a guest given to
    one of them in `session_teachers` leaves the others so)."""
    said = {st.session for st in p.instance.session_teachers}
    found = []
    for series, sessions in p.series.items():
        bare = [s for s in sessions if not s.teachers and s.id not in said]
        if not bare:
            continue
        which = (
            "its sessions"
            if len(bare) == len(sessions)
            else (
                f"{len(bare)} of its {len(sessions)} sessions ({', '.join(s.id for s in bare[:3])}"
                f"{', ...' if len(bare) > 3 else ''})"
            )
        )
        msg = (
            f"ue {bare[0].ue} series {bare[0].series}: no teacher, so {which} are placed "
            "without any teacher's availability or clashes: give its teachers (the UE's or "
            "the series'), or '-' for a session without one in `session_teachers`"
        )
        found.append(Finding("warning", "teachers", (series,), msg))
    return found


def check_teachers_without_sessions(p: Problem, domains: Domains) -> list[Finding]:
    """Teachers of the file that no session and no fixed event lists: most likely a series'
    teachers cell that lost them (the sessions are then placed without that teacher's
    availability), or a teacher left over from another year."""
    listed = {t for s in p.sessions for t in s.teachers}
    listed |= {t for e in p.instance.fixed_events for t in e.teachers}
    return [
        Finding(
            "warning",
            "idle_teacher",
            (t.id,),
            f"teacher {teacher_label(p, t.id)} teaches no session and attends no fixed event: "
            "check the UEs' teachers (or remove the teacher from the file)",
        )
        for t in p.instance.teachers
        if t.id not in listed
    ]


def check_sites_without_rooms(p: Problem, domains: Domains) -> list[Finding]:
    """Sites without any room that no fixed event is held at: no session can be placed
    there, most likely rooms left out of the file (an audit: accepted without a word). A
    site a fixed event uses without a room (a venue hired for a day) is not said."""
    hosting = {e.site for e in p.instance.fixed_events}
    return [
        Finding(
            "warning",
            "idle_site",
            (site.id,),
            f"site '{site.id}' has no rooms: nothing can be placed there — give it rooms (or "
            "remove the site from the file)",
        )
        for site in p.instance.sites
        if not site.rooms and site.id not in hosting
    ]


# an address as people type them: a local part, `@`, and a domain of dot-separated labels
_EMAIL = re.compile(r"[^@\s<>\"(),;:]+@(?:[^@\s<>\"(),;:./?]+\.)+[^@\s<>\"(),;:./?#]+")


def check_teacher_emails(p: Problem, domains: Domains) -> list[Finding]:
    """Teacher emails that are no address (a name typed in the column, an address cut at its
    `@`): the calendars' events and the staff workbook show them as written (an audit)."""
    return [
        Finding(
            "warning",
            "email",
            (t.id,),
            f"teacher {teacher_label(p, t.id)}: email {t.email!r} is not an email address "
            "(name@domain.org): calendars and the staff workbook show it as written",
        )
        for t in p.instance.teachers
        if t.email is not None and not _EMAIL.fullmatch(t.email)
    ]


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


#: the checks of this module, in the order their warnings are said
SLIP_CHECKS = (
    check_calendar_length,
    check_years_in_name,
    check_sunday_teaching_week,
    check_series_without_teachers,
    check_teachers_without_sessions,
    check_sites_without_rooms,
    check_teacher_emails,
    check_local_times,
    check_long_breaks_within_sessions,
    check_feature_spelling,
    check_partition_spelling,
    check_dates_outside_calendar,
    check_windows_outside_calendar,
    check_closures_outside_calendar,
    check_event_days_outside,
    check_event_teachers_available,
    check_events_on_public_holidays,
    check_event_rooms_available,
    check_event_seats,
    check_events_without_days,
)
