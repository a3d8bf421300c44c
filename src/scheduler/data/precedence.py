"""Resolution of precedence references (UE, series, session or fixed event) to sessions and times."""

from __future__ import annotations

from datetime import date, time

from scheduler.data.problem import Problem
from scheduler.data.sessions import Session


def sessions_of(p: Problem, ref: str) -> tuple[Session, ...]:
    """The sessions a reference stands for (none for a fixed event)."""
    if ref in p.session:
        return (p.session[ref],)
    if ref in p.series:
        return p.series[ref]
    key = f"sessions_of:{ref}"
    if key not in p._cache:
        p._cache[key] = tuple(s for s in p.sessions if s.ue == ref)
    return p._cache[key]  # type: ignore[return-value]


def event_times(p: Problem, ref: str) -> list[tuple[tuple[date, time], tuple[date, time]]]:
    """(start, end) of every occurrence of a fixed event reference; empty for other references."""
    return [((o.date, o.start), (o.date, o.end)) for o in p.event_occurrences if o.event.id == ref]


def event_bounds(
    p: Problem, session: Session
) -> tuple[tuple[date, time] | None, tuple[date, time] | None]:
    """The earliest start and latest end fixed-event precedences allow for `session`."""
    key = f"event_bounds:{session.id}"
    cached = p._cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    earliest: tuple[date, time] | None = None
    latest: tuple[date, time] | None = None
    for prec in p.instance.precedences:
        if session in sessions_of(p, prec.after):
            for _, end in event_times(p, prec.before):
                earliest = end if earliest is None else max(earliest, end)
        if session in sessions_of(p, prec.before):
            for start, _ in event_times(p, prec.after):
                latest = start if latest is None else min(latest, start)
    p._cache[key] = (earliest, latest)
    return earliest, latest


def session_pairs(p: Problem) -> list[tuple[Session, Session]]:
    """(before, after) session pairs from precedences between sessions, series and UEs."""
    pairs = []
    for prec in p.instance.precedences:
        for b in sessions_of(p, prec.before):
            for a in sessions_of(p, prec.after):
                pairs.append((b, a))
    return pairs
