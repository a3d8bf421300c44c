"""Spacing targets of a series, read from its UE: the maximum gap and the even-spread gap.

Shared by the model's soft rules, its data bound and the greedy constructor (the checker
keeps its own copy, as the independent specification).
"""

from __future__ import annotations

from datetime import date

from scheduler.data.instance import Window
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session


def series_max_gap(p: Problem, s: Session) -> int | None:
    """The `max_days_between` of the series of `s` (its own, else its UE's), if any."""
    ue = p.ue[s.ue]
    series = next(x for x in ue.sessions if x.series == s.series)
    return series.max_days_between if series.max_days_between is not None else ue.max_days_between


def spread_target(p: Problem, first: Session) -> int | None:
    """The even gap of the series of `first` when its UE is evenly spread: the days of its
    window within the calendar (the calendar's without a window) divided by the series'
    sessions (without `dropped` ones); None otherwise. A window typed wider than the year
    asked gaps no timetable could give (an audit)."""
    if not p.ue[first.ue].even_spread:
        return None
    lo, hi = window_in_calendar(p, first.window)
    return max(0, (hi - lo).days + 1) // len(p.series[first.series_id])  # its sessions to give


def window_in_calendar(p: Problem, window: Window | None) -> tuple[date, date]:
    """The first and last days of `window` within the calendar (the calendar's without one);
    the first is after the last when they do not meet."""
    lo, hi = p.instance.calendar.start, p.instance.calendar.end
    return (max(lo, window.from_), min(hi, window.to)) if window else (lo, hi)
