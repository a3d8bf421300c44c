"""Spacing targets of a series, read from its UE: the maximum gap and the even-spread gap.

Shared by the model's soft rules, its data bound and the greedy constructor (the checker
keeps its own copy, as the independent specification).
"""

from __future__ import annotations

from scheduler.data.problem import Problem
from scheduler.data.sessions import Session


def series_max_gap(p: Problem, s: Session) -> int | None:
    """The `max_days_between` of the series of `s` (its own, else its UE's), if any."""
    ue = p.ue[s.ue]
    series = next(x for x in ue.sessions if x.series == s.series)
    return series.max_days_between if series.max_days_between is not None else ue.max_days_between


def spread_target(p: Problem, first: Session) -> int | None:
    """The even gap of the series of `first` when its UE is evenly spread: its window's (or
    the calendar's) days divided by the series' sessions (without `dropped` ones); None
    otherwise."""
    if not p.ue[first.ue].even_spread:
        return None
    cal = p.instance.calendar
    lo, hi = (first.window.from_, first.window.to) if first.window else (cal.start, cal.end)
    return ((hi - lo).days + 1) // len(p.series[first.series_id])  # its sessions to give
