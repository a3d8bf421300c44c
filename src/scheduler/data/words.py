"""Dates, spans, availability rules and lists in words, for findings and explanations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from scheduler.data.instance import FixedEvent
from scheduler.data.instance_calendar import DateRule, Window
from scheduler.data.problem import Problem
from scheduler.data.types import count_of

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = {"mon": "Mondays", "tue": "Tuesdays", "wed": "Wednesdays", "thu": "Thursdays"}
_DAYS |= {"fri": "Fridays", "sat": "Saturdays", "sun": "Sundays"}


def plain_name(name: str, entity_id: str) -> str:
    """A name as typed, on one line (a line break typed in a cell), or the id without one:
    how people are named where ids would be noise (a re-solve's notices)."""
    return " ".join(name.split()) or entity_id


def room_name(problem: Problem, room_id: str) -> str:
    """`Salle de séminaire S01`, or the id alone (no name, or a room the instance lacks)."""
    room = problem.room.get(room_id)
    return plain_name(room.name, room_id) if room else room_id


def site_address(problem: Problem, site_id: str | None) -> str:
    """The site's address on one line, or empty (none given, or no such site)."""
    site = problem.site.get(site_id) if site_id else None
    return " ".join(site.address.split()) if site is not None and site.address else ""


def name_and_id(name: str, entity_id: str) -> str:
    """`Name (ID)`, or the id alone when there is no name (or it is the id)."""
    return f"{name} ({entity_id})" if name and name != entity_id else entity_id


def teacher_label(problem: Problem, teacher_id: str) -> str:
    """A teacher as people know them: `Isabelle Wauters (T08)`, or the id alone without a name."""
    name = " ".join(problem.teacher[teacher_id].name.split())  # a line break typed in a cell
    return name_and_id(name, teacher_id)


def teacher_words(problem: Problem, teacher_id: str) -> str:
    """`teacher_label`, or the id alone for one the instance does not have (a removed
    session's teacher, as published; a change's typo)."""
    return teacher_label(problem, teacher_id) if teacher_id in problem.teacher else teacher_id


def group_words(problem: Problem, group_id: str) -> str:
    """`Option A (OPT-A)`, or the id alone (no name, or a group the instance lacks)."""
    group = problem.group.get(group_id)
    return name_and_id(" ".join(group.name.split()), group_id) if group else group_id


def room_words(problem: Problem, room_id: str) -> str:
    """`Salle de séminaire S01 (N-S01)`, or the id alone."""
    room = problem.room.get(room_id)
    return name_and_id(" ".join(room.name.split()), room_id) if room else room_id


def site_name(problem: Problem, site_id: str) -> str:
    """`UNamur`: the site as people know it, its id without a name (or for a site the
    instance lacks)."""
    site = problem.site.get(site_id)
    return " ".join(site.name.split()) or site_id if site else site_id


def event_label(event: FixedEvent) -> str:
    """A fixed event as people know it: `Journée d'accueil (ACCUEIL)`, or the id alone
    without a title (a cost audit looked the ids of cost lines up in the instance)."""
    return name_and_id(" ".join(event.title.split()), event.id)


def weekdays_word(weekday: str) -> str:
    """`Mondays` for `mon`."""
    return _DAYS[weekday]


def format_date(day: date) -> str:
    """`26 Nov 2026`."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def during(first: date, last: date) -> str:
    """`in 15–26 Sep 2026`, or `on 8 May 2027` for one day (an audit read "in 8 May 2027")."""
    return f"on {format_date(first)}" if first == last else f"in {format_span(first, last)}"


def format_span(first: date, last: date) -> str:
    """`26 Nov–5 Dec 2026`, `15–26 Sep 2026`, `15 Dec 2026–10 Jan 2027` or `5 Dec 2026`."""
    if first == last:
        return format_date(first)
    if first.year != last.year:
        return f"{format_date(first)}–{format_date(last)}"
    if first.month == last.month:
        return f"{first.day}–{format_date(last)}"
    return f"{first.day} {_MONTHS[first.month - 1]}–{format_date(last)}"


def format_window(window: Window | None, p: Problem) -> str:
    """A window in words; no window means the whole calendar."""
    cal = p.instance.calendar
    return format_span(window.from_, window.to) if window else format_span(cal.start, cal.end)


def open_and_closed(window: Window | None, p: Problem) -> str:
    """The calendar inside a window: `5 teaching slots open; closed: 14 Oct 2026 (WO-NM,
    Opendeur-namiddag)`, each reason once (a span when it closes more than three dates)."""
    cal = p.instance.calendar
    first, last = (window.from_, window.to) if window else (cal.start, cal.end)
    open_slots = [s for s in p.slots if first <= s.date <= last]
    by_reason: dict[str, list[tuple[date, str]]] = {}
    for c in p.closed:
        if first <= c.date <= last:
            by_reason.setdefault(c.reason, []).append((c.date, c.slot))
    said = count_of(len(open_slots), "teaching slot") + " open"
    if not by_reason:
        return said
    partly_open = {s.date for s in open_slots}
    parts = []
    for reason, closed in by_reason.items():
        days = sorted({d for d, _ in closed})
        if len(days) > 3:
            parts.append(f"{format_span(days[0], days[-1])} ({reason}, {len(days)} dates)")
            continue
        for day in days:
            slots = [slot for d, slot in closed if d == day]
            which = f"{', '.join(slots)}, " if day in partly_open else ""
            parts.append(f"{format_date(day)} ({which}{reason})")
    shown = parts[:4] + ([f"{len(parts) - 4} more"] if len(parts) > 4 else [])
    return f"{said}; closed: {'; '.join(shown)}"


def describe_rule(rule: DateRule, p: Problem) -> str:
    """An availability rule in words, e.g. `26 Nov–5 Dec 2026` or `Saturdays`."""
    parts: list[str] = []
    if rule.date is not None:
        parts.append(format_date(rule.date))
    if rule.from_ is not None or rule.to is not None:
        cal = p.instance.calendar
        parts.append(format_span(rule.from_ or cal.start, rule.to or cal.end))
    if rule.weekday is not None:
        parts.append(_DAYS[rule.weekday])
    if rule.slots is not None:  # "Saturdays (slot SAT-PM)": it read "Saturdays slots SAT-PM"
        plural = "s" if len(rule.slots) > 1 else ""
        which = f"slot{plural} {', '.join(rule.slots)}" if rule.slots else "no slot"
        parts.append(f"({which})" if parts else which)
    return " ".join(parts)


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c` (or another `conjunction`: `a, b or c`)."""
    words = list(items)
    last = f" {conjunction} "
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + last + words[-1]


# The way out of a one-site-a-day conflict (an areas audit: "give sites one area" read as
# advice to join Liège and Mons; the area is for sites close enough only).
AREA_IF_CLOSE = "if the sites are close enough to change between in a day, give them one `area`"
AREA_ADVICE = f"allow another site, or, {AREA_IF_CLOSE}"


def one_site_a_day(problem: Problem) -> str:
    """`at one site a day`, or, where sites name areas, `in one area a day (...)` with the
    instance's areas (an areas audit: "one site" read wrong where two campuses share one)."""
    areas: dict[str, list[str]] = {}
    for site in problem.instance.sites:
        if site.area:
            areas.setdefault(site.area, []).append(site.id)
    if not areas:
        return "at one site a day"
    shown = "; ".join(f"{a}: {', '.join(ids)}" for a, ids in areas.items())
    return f"in one area a day ({shown}; any other site is an area of its own)"
