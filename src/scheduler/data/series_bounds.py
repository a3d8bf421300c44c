"""The earliest end and latest start of each session, its series' order taken into account.

A session's allowed placements alone say when it may end at the earliest; within a series,
session n+1 also starts once session n has ended, and `min_days_between` days after it, so
its earliest end follows from its predecessor's (and, backwards, its latest start from its
successor's). Pre-flight messages use these, so that "ends 15 Sep at the earliest" is never
said of a second session whose first one cannot take place before it (an audit).
"""

from __future__ import annotations

from itertools import pairwise

from scheduler.data.domains import Placement
from scheduler.data.findings import Domains
from scheduler.data.problem import Problem
from scheduler.data.types import Moment


def _begins(c: Placement) -> Moment:
    return (c.start.date, c.start.start)


def _ends(c: Placement) -> Moment:
    return (c.start.date, c.slots[-1].end)


def earliest_ends(p: Problem, domains: Domains) -> dict[str, Moment]:
    """Session id -> the earliest moment it can end (sessions with no placement left out)."""
    out = {sid: min(_ends(c) for c in dom) for sid, dom in domains.items() if dom}
    for chain in p.chains.values():
        for before, after in pairwise(chain):
            if before.id not in out or not domains.get(after.id):
                continue
            end, gap = out[before.id], before.min_days_between
            ok = [
                _ends(c)
                for c in domains[after.id]
                if _begins(c) >= end and (c.start.date - end[0]).days >= gap
            ]
            if ok:  # none: the series cannot hold at all, which other checks report
                out[after.id] = max(out[after.id], min(ok))
    return out


def latest_starts(p: Problem, domains: Domains) -> dict[str, Moment]:
    """Session id -> the latest moment it can start (sessions with no placement left out)."""
    out = {sid: max(_begins(c) for c in dom) for sid, dom in domains.items() if dom}
    for chain in p.chains.values():
        for before, after in reversed(list(pairwise(chain))):
            if after.id not in out or not domains.get(before.id):
                continue
            start, gap = out[after.id], before.min_days_between
            ok = [
                _begins(c)
                for c in domains[before.id]
                if _ends(c) <= start and (start[0] - c.start.date).days >= gap
            ]
            if ok:
                out[before.id] = min(out[before.id], max(ok))
    return out
