"""Resolution of precedence references (UE, series, session or fixed event) to sessions and times."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, time
from itertools import pairwise

from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import Moment


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


def event_precedence_bounds(
    p: Problem, session: Session
) -> list[tuple[int, Moment | None, Moment | None]]:
    """For each precedence binding `session` to a fixed event: its index, the event's last
    end when the session must come after it, and its first start when before it. Once per
    session (computed per placement, it took 14 s of a 15 s diagnostic build on the sample)."""
    key = f"event_precedence_bounds:{session.id}"
    if key not in p._cache:
        found = []
        for i, prec in enumerate(p.instance.precedences):
            after = session.id in {s.id for s in sessions_of(p, prec.after)}
            before = session.id in {s.id for s in sessions_of(p, prec.before)}
            ends = [end for _, end in event_times(p, prec.before)] if after else []
            starts = [start for start, _ in event_times(p, prec.after)] if before else []
            if ends or starts:
                found.append((i, max(ends, default=None), min(starts, default=None)))
        p._cache[key] = found
    return p._cache[key]  # type: ignore[return-value]


def event_bounds(p: Problem, session: Session) -> tuple[Moment | None, Moment | None]:
    """The earliest start and latest end fixed-event precedences allow for `session` (once
    per session: the domain filters ask for every placement)."""
    key = f"event_bounds:{session.id}"
    if key not in p._cache:
        bounds = event_precedence_bounds(p, session)
        ends = [end for _, end, _ in bounds if end is not None]
        starts = [start for _, _, start in bounds if start is not None]
        p._cache[key] = (max(ends, default=None), min(starts, default=None))
    return p._cache[key]  # type: ignore[return-value]


def event_precedences(p: Problem, session: Session) -> list[str]:
    """The precedences with a fixed event that bind `session`, as `precedences[4] (SEM-INT
    before UE1)`: what to drop or reverse when they leave it no placement."""
    return [
        f"precedences[{i}] ({prec.before} before {prec.after})"
        for i, prec in enumerate(p.instance.precedences)
        if (session in sessions_of(p, prec.after) and event_times(p, prec.before))
        or (session in sessions_of(p, prec.before) and event_times(p, prec.after))
    ]


def session_pairs(p: Problem) -> list[tuple[Session, Session]]:
    """(before, after) session pairs from precedences between sessions, series and UEs."""
    pairs = []
    for prec in p.instance.precedences:
        for b in sessions_of(p, prec.before):
            for a in sessions_of(p, prec.after):
                pairs.append((b, a))
    return pairs


def _edges(p: Problem) -> dict[str, list[tuple[str, int]]]:
    """The order graph: each session (or fixed event) to those that must follow it, labelled
    with the precedence's index (-1 for a series' own order)."""
    edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for series in p.chains.values():
        for first, second in pairwise(series):
            edges[first.id].append((second.id, -1))
    for i, prec in enumerate(p.instance.precedences):
        after = _nodes(p, prec.after)
        for node in _nodes(p, prec.before):
            edges[node].extend((a, i) for a in after)
    return edges


def precedence_cycle(p: Problem) -> list[int] | None:
    """The precedences (indexes, sorted) along one cycle that, with series order, would
    require something to come before itself; None when there is none."""
    labels = _cycle(_edges(p))
    return None if labels is None else sorted({i for i in labels if i >= 0})


def on_a_cycle(p: Problem, index: int) -> bool:
    """Whether precedence `index` lies on a cycle of the order graph: what it puts after
    leads back, with series order, to what it puts before (reversing one of a cycle's
    precedences is a way out; reversing one of a chain too long for the calendar is not)."""
    prec, edges = p.instance.precedences[index], _edges(p)
    before = set(_nodes(p, prec.before))
    seen: set[str] = set()
    todo = list(_nodes(p, prec.after))
    while todo:
        node = todo.pop()
        if node in before:
            return True
        if node not in seen:
            seen.add(node)
            todo += (nxt for nxt, _ in edges.get(node, ()))
    return False


def _cycle(edges: Mapping[str, list[tuple[str, int]]]) -> list[int] | None:
    """Precedence indexes along one cycle of the graph, or None (iterative DFS)."""
    color: dict[str, int] = {}
    for root in edges:
        if color.get(root):
            continue
        stack: list[tuple[str, int, int]] = [(root, 0, -1)]
        path: list[tuple[str, int]] = []
        while stack:
            node, pos, via = stack.pop()
            if pos == 0:
                color[node] = 1
                path.append((node, via))
            out = edges.get(node, [])
            if pos < len(out):
                stack.append((node, pos + 1, via))
                nxt, label = out[pos]
                if color.get(nxt) == 1:
                    start = next(k for k, (n, _) in enumerate(path) if n == nxt)
                    return [v for _, v in path[start + 1 :]] + [label]
                if not color.get(nxt):
                    stack.append((nxt, 0, label))
            else:
                color[node] = 2
                path.pop()
    return None


def _nodes(p: Problem, ref: str) -> list[str]:
    """Graph nodes of a precedence reference: its sessions, or the fixed event itself."""
    found = [s.id for s in sessions_of(p, ref)]
    return found or ([ref] if event_times(p, ref) else [])
