"""Pre-flight check of series whose sessions cannot all fit in order, `min_days_between`
apart, each placed as early as it can; the message gives the largest gap that would fit, the
days the placements allow and the teachers away for much of the window. Errors are certain,
as every pre-flight error (`scheduler.data.preflight`)."""

from __future__ import annotations

from scheduler.data.domains import teacher_free
from scheduler.data.findings import Domains, Finding
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.spacing import window_in_calendar
from scheduler.data.types import count_of
from scheduler.data.words import (
    format_date,
    format_span,
    format_window,
    join_words,
    teacher_label,
)


def _fitting_in_order(p: Problem, series: tuple[Session, ...], domains: Domains, gap: int) -> int:
    """How many sessions of `series` fit in order, each `gap` days or more after the one
    before, placing each as early as it can (exact for one chain of minimum gaps)."""
    last_index, last_day, placed = -1, -(10**9), 0
    for s in series:
        starts = sorted({c.start.index for c in domains[s.id]})
        ok = [t for t in starts if t >= last_index and p.slots[t].day >= last_day + gap]
        if not ok:
            break
        last_index, last_day, placed = ok[0] + s.length, p.slots[ok[0]].day, placed + 1
    return placed


def _largest_gap(p: Problem, series: tuple[Session, ...], domains: Domains) -> str:
    """Words for the largest `min_days_between` below the series' own that fits every
    session (an audit lowered 7 to 6 and 5 and got the same error), else nothing."""
    cal = p.instance.calendar
    # no larger gap can fit two sessions; the gaps that fit are those up to the largest
    # (a smaller one places each session no later), found by halving: tried one by one down
    # from a `min_days_between` typed 10^8, it ran for hours (an audit)
    low, high = 0, min(series[0].min_days_between - 1, (cal.end - cal.start).days)
    if high < 0 or _fitting_in_order(p, series, domains, 0) != len(series):
        return ""
    while low < high:
        middle = (low + high + 1) // 2
        if _fitting_in_order(p, series, domains, middle) == len(series):
            low = middle
        else:
            high = middle - 1
    fits = low
    if not fits:
        return " (they fit with min_days_between 0)"
    return f" (they fit with min_days_between {fits} at most)"  # 'at most N days apart' misread


def check_series_spacing(p: Problem, domains: Domains) -> list[Finding]:
    """A series whose sessions cannot all fit in order, `min_days_between` apart (greedy).
    Sessions a re-solve took out of order (`reordered`) are left out, as the order rules
    leave them (`Problem.chains`): a revision's own instance was refused (an audit)."""
    found = []
    for series in p.chains.values():
        if not series or any(not domains[s.id] for s in series):
            continue  # reported by check_empty_domains
        placed = _fitting_in_order(p, series, domains, series[0].min_days_between)
        if placed < len(series):
            s = series[0]
            gap_words = f" with {count_of(s.min_days_between, 'day')} between sessions" * bool(
                s.min_days_between
            )
            gap_words += _largest_gap(p, series, domains) if s.min_days_between else ""
            away = _teachers_away(p, s)
            relax = "the window" if s.window else "the availability of its teachers and groups"
            relax = f"{relax} (or {away})" if away and s.window else relax
            relax += ", lower min_days_between" if s.min_days_between else ""
            ids = {x.id for x in series}
            # a re-solve's pins of sessions given are no pins to move (an audit read "move a
            # pin" of a session given weeks before)
            past = p.instance.frozen_before
            dated = [(x.session, x.date) for x in p.instance.pins if x.session in ids and x.date]
            given = [(sid, day) for sid, day in dated if past is not None and day < past]
            pins = [(sid, day) for sid, day in dated if past is None or day >= past]
            pinned = "; ".join(
                f"{word}: {join_words(f'{sid} on {format_date(day)}' for sid, day in these)}"
                for word, these in (("given", given), ("pinned", pins))
                if these
            )
            pinned = f" ({pinned})" if pinned else ""
            relax += ", move a pin" if pins else ""
            msg = (
                f"only {placed} of the {len(series)} sessions of {s.series_id} fit, in order, in "
                f"{format_window(s.window, p)}{_days_allowed(p, series, domains)}{gap_words}"
                f"{pinned}: widen {relax} or lower the count"
            )
            rule = "min_days_between" if s.min_days_between else "placement"
            found.append(Finding("error", rule, (s.series_id,), msg))
    return found


def _days_allowed(p: Problem, series: tuple[Session, ...], domains: Domains) -> str:
    """`, on the 8 days its placements allow (2–13 Apr 2029)` when the days the series may
    take span less than its window (a visitor's stay, a teacher away from some date), else
    nothing: the window alone named the whole calendar where the visitor's two weeks were
    what kept the sessions apart too little (an audit)."""
    days = sorted({c.start.date for x in series for c in domains[x.id]})
    window = series[0].window
    teaching = [t.date for t in p.slots if window is None or window.contains(t.date)]
    if not days or not teaching or (days[0] == teaching[0] and days[-1] == teaching[-1]):
        return ""
    span = format_span(days[0], days[-1])
    return f", on the {count_of(len(days), 'day')} its placements allow ({span})"


def _teachers_away(p: Problem, s: Session) -> str:
    """The teachers of `s` away on a quarter or more of the teaching slots of its window,
    in words (`the availability of T03, away 62 of the window's 110 slots`): an audit's
    teacher away from January on left a series its autumn, and the finding blamed the
    window alone."""
    lo, hi = window_in_calendar(p, s.window)
    slots = [x for x in p.slots if lo <= x.date <= hi]
    away = []
    for tid in s.teachers:
        missing = sum(not teacher_free(p, tid, x) for x in slots)
        if slots and 4 * missing >= len(slots):
            away.append(
                f"{teacher_label(p, tid)}, away {missing} of the window's {len(slots)} slots"
            )
    return f"the availability of {join_words(away)}" if away else ""
