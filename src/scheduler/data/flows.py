"""A maximum flow over nodes named by keys, for the pre-flight's counting checks
(`preflight_matching`, `preflight_rooms`, `preflight_site_days`): each built its own
OR-Tools graph with the same node numbering, sink arcs and cut reading."""

from __future__ import annotations

from collections.abc import Hashable

from ortools.graph.python import max_flow

SOURCE, SINK = "source", "sink"


class Flow:
    """A source-to-sink maximum flow whose nodes are named by hashable keys."""

    def __init__(self) -> None:
        self.graph = max_flow.SimpleMaxFlow()
        self.nodes: dict[Hashable, int] = {SOURCE: 0, SINK: 1}

    def node(self, key: Hashable) -> int:
        return self.nodes.setdefault(key, len(self.nodes))

    def arc(self, tail: Hashable, head: Hashable, capacity: int) -> None:
        self.graph.add_arc_with_capacity(self.node(tail), self.node(head), capacity)

    def to_sink(self, kind: str) -> None:
        """An arc of capacity 1 to the sink from every node whose key is a tuple `(kind, ...)`:
        each slot, day or room-slot used once."""
        for key in list(self.nodes):
            if isinstance(key, tuple) and key[0] == kind:
                self.arc(key, SINK, 1)

    def short_of(self, need: int) -> int | None:
        """The maximum flow when it is short of `need` (nothing to find when `need` is 0),
        else None."""
        if need == 0 or self.graph.solve(0, 1) != self.graph.OPTIMAL:
            return None
        found = int(self.graph.optimal_flow())
        return found if found < need else None

    def source_side(self, keys: list[Hashable]) -> list[Hashable]:
        """Those of `keys` on the source side of a minimum cut (after `short_of`)."""
        cut = set(self.graph.get_source_side_min_cut())
        return [key for key in keys if self.nodes.get(key) in cut]
