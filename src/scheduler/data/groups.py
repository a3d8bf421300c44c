"""Which groups may share students (SCHEMA.md: "Groups that share students")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import product
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.data.instance import Group


def ancestors(group_id: str, parent: Mapping[str, str | None]) -> list[str]:
    """The group followed by its ancestors, nearest first."""
    chain = [group_id]
    current = parent.get(group_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parent.get(current)
    return chain


def innermost(group_ids: Iterable[str], groups: Mapping[str, Group]) -> list[str]:
    """Those of `group_ids` with none of the others inside them, in the given order: whom a
    set of groups comes down to (APP1 of COHORT and APP1)."""
    ids = list(dict.fromkeys(group_ids))
    parent = {g.id: g.part_of for g in groups.values()}
    inside = {a for g in ids for a in ancestors(g, parent)[1:]}
    return [g for g in ids if g not in inside]


def outermost(group_ids: Iterable[str], parent: Mapping[str, str | None]) -> list[str]:
    """Those of `group_ids` part of none of the others, in the given order: whose sizes add up
    to the students of them all (COHORT of COHORT and APP1)."""
    ids = list(dict.fromkeys(group_ids))
    listed = set(ids)
    return [g for g in ids if not listed.intersection(ancestors(g, parent)[1:])]


def followers(
    profiles: Iterable[frozenset[str]],
    series_groups: Mapping[str, Iterable[str]],
    ids: tuple[str, ...],
    groups: Mapping[str, Group],
) -> list[str]:
    """Whom a chain of series `ids` is for: the innermost of the groups held by every student
    profile that follows exactly those of `series_groups` (series id -> its groups; a plenary
    for APP1 and APP2 with APP1's own series is for APP1, not APP1+APP2: a review)."""
    mine = [
        p
        for p in profiles
        if tuple(s for s, gs in series_groups.items() if p.intersection(gs)) == ids
    ]
    common = frozenset.intersection(*mine) if mine else frozenset()
    return innermost((g for g in groups if g in common), groups)


def may_share_students(a: str, b: str, groups: Mapping[str, Group]) -> bool:
    """True when some student may belong to both groups."""
    parent = {g.id: g.part_of for g in groups.values()}
    chain_a, chain_b = ancestors(a, parent), ancestors(b, parent)
    if a in chain_b or b in chain_a:
        return True
    common = next((g for g in chain_a if g in chain_b), None)
    if common is None:
        return False
    child_a = chain_a[chain_a.index(common) - 1]
    child_b = chain_b[chain_b.index(common) - 1]
    part_a, part_b = groups[child_a].partition, groups[child_b].partition
    return not (part_a and part_a == part_b)


def student_profiles(groups: Iterable[Group]) -> list[frozenset[str]]:
    """Maximal sets of groups one student can belong to together.

    Two groups may share students exactly when some profile holds both: a profile takes a
    group, its ancestors, and recursively one child from each partition of its children
    (a child without a partition is a class of its own).
    """
    by_id = {g.id: g for g in groups}
    children: dict[str, list[Group]] = {gid: [] for gid in by_id}
    for g in by_id.values():
        if g.part_of is not None and g.part_of in children:
            children[g.part_of].append(g)

    def below(gid: str) -> list[frozenset[str]]:
        classes: dict[str, list[str]] = {}
        for child in children[gid]:
            key = f"p:{child.partition}" if child.partition else f"c:{child.id}"
            classes.setdefault(key, []).append(child.id)
        options = [[p for c in members for p in below(c)] for members in classes.values()]
        return [frozenset({gid}).union(*combo) for combo in product(*options)]

    roots = [g.id for g in by_id.values() if g.part_of is None]
    return [profile for root in roots for profile in below(root)]
