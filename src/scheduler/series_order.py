"""The order in which the greedy constructor (`scheduler.construct`) takes the series.

Predecessors first (the instance's precedences, between series); among the series free to go,
those given a priority (`scheduler.squeaky_wheel`'s restarts: the series left out before) and
their predecessors, in that priority's order; then layer by layer of the precedence graph, the
fewest placements per session first, by id last.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from graphlib import CycleError, TopologicalSorter

from scheduler.data.domains import Placement
from scheduler.data.precedence import sessions_of
from scheduler.data.problem import Problem


def precedence_graph(p: Problem) -> dict[str, set[str]]:
    """Each series' direct predecessors: the series of a precedence's `before` sessions, for
    each series of its `after` sessions (never itself)."""
    graph: dict[str, set[str]] = {sid: set() for sid in p.series}
    for prec in p.instance.precedences:
        befores = {s.series_id for s in sessions_of(p, prec.before)}
        for a in sessions_of(p, prec.after):
            graph[a.series_id] |= befores - {a.series_id}
    return graph


def series_order(
    p: Problem, domains: dict[str, list[Placement]], first: Sequence[str] = ()
) -> list[str] | None:
    """Series ids, predecessors first; then those of `first` and their predecessors, in the
    order of `first`; then by layer of the precedence graph, fewest placements per session
    (`domains`) first. None when the precedences make a cycle."""
    graph = precedence_graph(p)
    layer = layers(graph)
    if layer is None:
        return None
    slack = {sid: min(len(domains[s.id]) for s in ss) / len(ss) for sid, ss in p.series.items()}
    rank = _ranks(graph, first)
    key = lambda sid: (rank.get(sid, len(first)), layer[sid], slack[sid], sid)  # noqa: E731
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    ready = [(key(sid), sid) for sid in sorter.get_ready()]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, sid = heapq.heappop(ready)
        order.append(sid)
        sorter.done(sid)
        for one in sorter.get_ready():
            heapq.heappush(ready, (key(one), one))
    return order


def _ranks(graph: dict[str, set[str]], first: Sequence[str]) -> dict[str, int]:
    """Each series' place in `first`, lent to its predecessors (a predecessor keeps the best
    place of those it comes before)."""
    rank: dict[str, int] = {}
    for k, sid in enumerate(first):
        todo = [sid]
        while todo:
            one = todo.pop()
            if one in graph and one not in rank:
                rank[one] = k
                todo.extend(graph[one])
    return rank


def layers(graph: dict[str, set[str]]) -> dict[str, int] | None:
    """Each node's layer: 0 for those without predecessors, else one more than the highest
    of theirs; None when the graph has a cycle."""
    sorter = TopologicalSorter(graph)
    try:
        sorter.prepare()
    except CycleError:
        return None
    layer: dict[str, int] = {}
    depth = 0
    while sorter.is_active():
        ready = sorter.get_ready()
        layer.update(dict.fromkeys(ready, depth))
        sorter.done(*ready)
        depth += 1
    return layer
