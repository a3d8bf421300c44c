"""The sites a UE, and the rooms a series, must use whatever the timetable: `site_stability`
and `room_stability` pay for each one beyond the first.

A UE whose series may each use one site only (an audit's haute école: a course given to one
track in Liège and to another in Huy) pays whatever the timetable, and neither the data
bound nor the LP said so: its optimum, 23, read "at most 1 could still be saved" after the
whole time limit. The fewest values are those of a smallest set meeting every session's own
(`fewest_values`): exact over a few values, else a packing of disjoint ones (a lower bound).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations

from scheduler.data.domains import Placement
from scheduler.data.types import count_of
from scheduler.data.words import room_words
from scheduler.model.variables import Variables
from scheduler.solution import Floor

# Up to this many values, the fewest are found exactly (subsets tried by size); beyond, a
# greedy packing of pairwise disjoint sessions' values bounds them from below.
EXACT_VALUES = 12
SHOWN = 3  # sessions a floor's message names


def fewest_values(options: Iterable[frozenset[str]]) -> int:
    """The fewest values a set can hold and still meet each of `options` (each session's own
    sites or rooms): at least 1 when there is any; a lower bound when they are many."""
    sets = sorted(set(options), key=len)
    minimal = [s for s in sets if not any(o < s for o in sets)]  # a subset met meets it
    if not minimal:
        return 0
    values = sorted(set().union(*minimal))
    if len(values) > EXACT_VALUES:
        return len(_disjoint(minimal))
    for k in range(1, len(values) + 1):
        if any(all(s & set(chosen) for s in minimal) for chosen in combinations(values, k)):
            return k
    return len(values)


def _disjoint(sets: list[frozenset[str]]) -> list[frozenset[str]]:
    """Pairwise disjoint sets among `sets`, the smallest first: each needs a value of its own."""
    picked: list[frozenset[str]] = []
    for s in sorted(sets, key=len):
        if all(not s & p for p in picked):
            picked.append(s)
    return picked


def options_by_owner(
    v: Variables, owner: Callable[[Placement], str], value: Callable[[Placement], str]
) -> dict[str, dict[str, frozenset[str]]]:
    """Owner (a UE, a series) -> each of its sessions -> the values its placements may take."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in v.x:
        found[owner(c)][c.session.id].add(value(c))
    return {o: {s: frozenset(vals) for s, vals in by.items()} for o, by in found.items()}


def stability_floors(v: Variables, weights: dict[str, int]) -> list[Floor]:
    """`site_stability` per UE and `room_stability` per series, for each value beyond the
    first they must use."""

    def named_room(room: str) -> str:
        return room_words(v.problem, room)

    rules = (
        ("site_stability", "site", lambda c: c.session.ue, lambda c: c.site, str),
        ("room_stability", "room", lambda c: c.session.series_id, lambda c: c.room, named_room),
    )
    out = []
    for rule, what, owner, value, words in rules:
        if not weights.get(rule):
            continue
        for key, sessions in sorted(options_by_owner(v, owner, value).items()):
            need = fewest_values(sessions.values())
            if need > 1:
                out.append(
                    Floor(
                        (rule,),
                        weights[rule] * (need - 1),
                        _why(key, what, need, sessions, words),
                    )
                )
    return out


def _why(
    key: str,
    what: str,
    need: int,
    sessions: dict[str, frozenset[str]],
    words: Callable[[str], str],
) -> str:
    """`UE5: no one site takes all its sessions (UE5-ig-01 only at LIEGE; UE5-ti-01 only at
    HUY): 2 sites at least, 1 beyond the first`; `words` names a value (a room by its name)."""
    shown: list[str] = []
    seen: list[frozenset[str]] = []
    for sid, vals in sorted(sessions.items(), key=lambda kv: (len(kv[1]), kv[0])):
        if len(shown) < SHOWN and all(not vals & s for s in seen):
            seen.append(vals)
            only = "only at " if len(vals) == 1 else "at "
            shown.append(f"{sid} {only}{' or '.join(words(val) for val in sorted(vals))}")
    return (
        f"{key}: no one {what} takes all its sessions ({'; '.join(shown)}): "
        f"{count_of(need, what)} at least, {need - 1} beyond the first"
    )
