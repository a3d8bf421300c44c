"""Dates, spans, availability rules and lists in words, for findings and explanations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from scheduler.data.instance import DateRule, Window
from scheduler.data.problem import Problem

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = {"mon": "Mondays", "tue": "Tuesdays", "wed": "Wednesdays", "thu": "Thursdays"}
_DAYS |= {"fri": "Fridays", "sat": "Saturdays", "sun": "Sundays"}


def format_date(day: date) -> str:
    """`26 Nov 2026`."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


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
    if rule.slots is not None:
        parts.append("slots " + ", ".join(rule.slots))
    return " ".join(parts)


def join_words(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def plural(n: int, word: str) -> str:
    """`1 session`, `2 sessions`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
