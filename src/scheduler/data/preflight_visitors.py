"""Pre-flight check of teachers' `available_only` windows that hold no usable slot of a
series' window (a visitor's stay), saying why: every slot they share closed, no run of
consecutive slots as long as the sessions, or a stay wholly outside the calendar (last year's
dates). Errors are certain, as every pre-flight error (`scheduler.data.preflight`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scheduler.data.calendar import DatedSlot
from scheduler.data.domains import teacher_free
from scheduler.data.findings import Domains, Finding, rules_of
from scheduler.data.instance_calendar import DateRule
from scheduler.data.preflight_calendar import outside_calendar
from scheduler.data.preflight_domains import length_fits
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import WEEKDAYS, count_of
from scheduler.data.words import (
    describe_rule,
    format_span,
    format_window,
    join_words,
    teacher_label,
)


def _where(s: Session) -> str:
    return s.series_id if s.series != "main" else s.ue


def _fits_teacher(p: Problem, s: Session, tid: str) -> bool:
    t = p.teacher[tid]
    for start in p.slots:
        if s.window is not None and not s.window.contains(start.date):
            continue
        occ = p.occupied(start, s.length)
        if occ and all(
            any(r.matches(d.date, d.weekday, d.slot) for r in t.available_only)
            and not any(r.matches(d.date, d.weekday, d.slot) for r in t.unavailable)
            for d in occ
        ):
            return True
    return False


def _closed_for(p: Problem, s: Session, tid: str) -> list[str]:
    """The reasons of the closed slots that `tid` could teach `s` in (its window, the
    teacher's windows and unavailabilities), e.g. a closure typed over a visitor's stay, on
    weekdays with slots enough for a session of `s`'s length."""
    t = p.teacher[tid]
    per_day = Counter(slot.weekday for slot in p.instance.calendar.slots)
    reasons = {
        c.reason
        for c in p.closed
        if (s.window is None or s.window.contains(c.date))
        and per_day[WEEKDAYS[c.date.weekday()]] >= s.length
        and any(r.matches(c.date, WEEKDAYS[c.date.weekday()], c.slot) for r in t.available_only)
        and not any(r.matches(c.date, WEEKDAYS[c.date.weekday()], c.slot) for r in t.unavailable)
    }
    return sorted(reasons)


def check_visitor_windows(p: Problem, domains: Domains) -> list[Finding]:
    """A teacher's `available_only` windows hold no usable slot of the session's window
    (a session that fits no day of its window at all is `check_empty_domains`' finding)."""
    found = []
    for series in p.series.values():
        s = series[0]
        if not length_fits(p, s):
            continue
        for tid in s.teachers:
            t = p.teacher[tid]
            if not t.available_only or _fits_teacher(p, s, tid):
                continue
            spans = join_words(describe_rule(r, p) for r in t.available_only) + _except(p, tid)
            closed = _closed_for(p, s, tid)
            if closed and not _free_in_window(p, s, tid):  # the calendar closes every slot
                # they share (else open slots too short for the session: an audit's teacher
                # of Thursdays only, for a full Saturday, was said to meet closures alone)
                msg = (
                    f"{_where(s)}'s {count_of(len(series), 'session')} cannot be taught: "
                    f"{teacher_label(p, tid)} is only available {spans}, and within "
                    f"{_window_noun(p, s)} every such slot is closed "
                    f"({join_words(closed)}) — check the closure's dates, or widen the "
                    "teacher's availability"
                )
            else:
                msg = (
                    f"{_where(s)}'s {_sessions_words(series)} cannot be taught: "
                    f"{teacher_label(p, tid)} is only available {spans}, "
                    f"{_window_words(p, s)}{_too_short(p, s, tid)}{_closed_too(closed)}"
                    f" — widen {'the window or ' if s.window else ''}the teacher's availability"
                    f"{_year_slip(p, t.available_only)}"
                )
            where = (tid, rules_of(tid, "available_only"), s.series_id)
            found.append(Finding("error", "teacher_availability", where, msg))
    return found


def _except(p: Problem, tid: str) -> str:
    """` (except 6 Mar 2029)`: the teacher's `unavailable` rules that take back a slot of
    their `available_only` windows (an audit: "only available 5–6 Mar" for a visitor whose
    6 March was also unavailable, and the 5th a Monday without slots)."""
    t = p.teacher[tid]

    def offered(d: DatedSlot) -> bool:
        return any(r.matches(d.date, d.weekday, d.slot) for r in t.available_only)

    taken = [
        r
        for r in t.unavailable
        if any(offered(d) and r.matches(d.date, d.weekday, d.slot) for d in p.slots)
    ]
    return f" (except {join_words(describe_rule(r, p) for r in taken)})" if taken else ""


def _sessions_words(series: Sequence[Session]) -> str:
    """`3 sessions`, or `1 session of 2 consecutive slots` when they are longer than one."""
    said = count_of(len(series), "session")
    length = series[0].length
    return f"{said} of {length} consecutive slots" if length > 1 else said


def _window_words(p: Problem, s: Session) -> str:
    """`UE4's window is 15 Sep–26 Dec 2026`, or `the calendar runs ...` for a session with
    no window of its own (an audit read of a window its UE does not have)."""
    name, span = _window_parts(p, s)
    return f"{name} {'is' if s.window else 'runs'} {span}"


def _window_noun(p: Problem, s: Session) -> str:
    """`UE4's window (15 Sep–26 Dec 2026)`, or `the calendar (...)` without a window."""
    name, span = _window_parts(p, s)
    return f"{name} ({span})"


def _window_parts(p: Problem, s: Session) -> tuple[str, str]:
    name = f"{_where(s)}'s window" if s.window else "the calendar"
    return name, format_window(s.window, p)


def _too_short(p: Problem, s: Session, tid: str) -> str:
    """`, and the slots they are available for hold no 2 consecutive ones` when the teacher is
    available for single slots of the window but for no run of `s.length` of them (an
    audit's visitor for two weekday evenings and a full-day session read as dates that fit)."""
    if s.length == 1 or not _free_in_window(p, s, tid):
        return ""
    return f", and the slots they are available for hold no {s.length} consecutive ones"


def _free_in_window(p: Problem, s: Session, tid: str) -> bool:
    """`tid` is available for some open slot of `s`'s window (one slot, whatever its length)."""
    return any(
        (s.window is None or s.window.contains(d.date)) and teacher_free(p, tid, d) for d in p.slots
    )


def _closed_too(closed: list[str]) -> str:
    """` (closed there too: Ascension and ...)`, when closures take some of those slots."""
    return f" (closed there too: {join_words(closed)})" if closed else ""


def _year_slip(p: Problem, rules: Sequence[DateRule]) -> str:
    """`(that availability lies outside the calendar, ...: check its year)` when every one of
    `rules` has dates wholly outside the calendar: a visitor's stay left in last year's file
    (a year audit); else nothing."""
    cal = p.instance.calendar
    if not rules or not all(
        outside_calendar(cal, r.date or r.from_, r.date or r.to) for r in rules
    ):
        return ""
    span = format_span(cal.start, cal.end)
    return f" (that availability lies outside the calendar, {span}: check its year)"
