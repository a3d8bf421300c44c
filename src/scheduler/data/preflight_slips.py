"""Pre-flight warnings of likely slips: a timetable exists, but probably not the one meant.

Series without any teacher, teachers without any session or with an email that is no
address, sites without rooms, a long break within a session, names spelt two ways where the
hard rules compare them exactly; the slips of dates against the calendar
(`preflight_calendar`: a calendar of many years, times a clock change skips or repeats,
availability, windows, closures and holidays outside the calendar, ...) and of fixed events
(`preflight_events`: teachers an event lists on a day they are unavailable, ...). Each check
is one function in `SLIP_CHECKS`, run by `scheduler.data.preflight` after the checks for
certain errors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher

from scheduler.data.calendar import DatedSlot
from scheduler.data.findings import Domains, Finding
from scheduler.data.preflight_calendar import (
    check_calendar_length,
    check_closures_outside_calendar,
    check_dates_outside_calendar,
    check_local_times,
    check_sunday_teaching_week,
    check_windows_outside_calendar,
    check_years_in_name,
)
from scheduler.data.preflight_events import (
    check_event_days_outside,
    check_event_rooms_available,
    check_event_seats,
    check_event_teachers_available,
    check_events_on_public_holidays,
    check_events_without_days,
)
from scheduler.data.problem import Problem
from scheduler.data.types import minutes
from scheduler.data.words import (
    join_words,
    teacher_label,
)

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
            "the series'), or, for a session meant to have none, `teachers: []` in "
            "`session_teachers` (in the workbook, '-' in its teachers cell)"
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
