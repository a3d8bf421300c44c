"""Every series has a room: at a site it may use, with its features and, unless room capacity
is soft, its seats (a check run by `validate.validate_instance`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scheduler.data.groups import outermost
from scheduler.data.types import known_values

if TYPE_CHECKING:
    from scheduler.data.instance import UE, Instance, Room, Series


def _suitable_rooms(
    inst: Instance, allowed: tuple[str, ...] | None, features: tuple[str, ...]
) -> list[Room]:
    """The rooms at the `allowed` sites (None: every site) that have all of `features`."""
    return [
        r
        for s in inst.sites
        if allowed is None or s.id in allowed
        for r in s.rooms
        if set(features) <= set(r.features)
    ]


def _no_room(
    inst: Instance, where: str, ue: UE, series: Series, allowed: tuple[str, ...] | None
) -> str:
    """Why `series` of `ue` (at `where`) has no suitable room: no site allowed, sites
    without rooms, or no room with its features."""
    roomless = [x.id for x in inst.sites if (allowed is None or x.id in allowed) and not x.rooms]
    if allowed is not None and not allowed:  # `sites: []` (an audit)
        owner = where if series.sites is not None else f"ue '{ue.id}'"
        return (
            f"{owner} sites: an empty list allows no site: list its sites, or leave "
            "sites out to allow every site"
        )
    if allowed is not None and len(roomless) == len(allowed):
        # an audit's new site without rooms was said as 'no room has []'
        return (
            f"{where} sites: {', '.join(roomless)} {'has' if len(roomless) == 1 else 'have'}"
            " no rooms: give it rooms, or allow another site"
        )
    return f"{where} room_features: {_missing_features(inst, series.room_features, allowed)}"


def _missing_features(
    inst: Instance, features: Sequence[str], allowed: Sequence[str] | None
) -> str:
    """`no room at an allowed site has both simulator and sinks (LAB-2 has sinks; SIM-1 has
    simulator) — ...`: the rooms nearest to having them, a site with a room that has them
    all, and what to do. The explain audit got a Python list and no fix."""
    wanted = set(features)
    near = sorted(
        (r for x in inst.sites if allowed is None or x.id in allowed for r in x.rooms),
        key=lambda r: (-len(wanted & set(r.features)), r.id),
    )
    has = [
        f"{r.id} has {' and '.join(sorted(wanted & set(r.features)))}"
        for r in near[:3]
        if wanted & set(r.features)
    ]
    elsewhere = [
        (x.id, r.id)
        for x in inst.sites
        if allowed is not None and x.id not in allowed
        for r in x.rooms
        if wanted <= set(r.features)
    ]
    fix = "give a room every one of them, or ask for fewer"
    if elsewhere:
        fix += f", or allow site {elsewhere[0][0]} (its room {elsewhere[0][1]} has them all)"
    named = " and ".join(sorted(wanted)) if len(wanted) <= 2 else ", ".join(sorted(wanted))
    both = "both " if len(wanted) == 2 else "all of " if len(wanted) > 2 else ""
    nearest = f" ({'; '.join(has)})" if has else ""
    return f"no room at an allowed site has {both}{named}{nearest} — {fix}"


def _too_small(
    where: str,
    series: Series,
    groups: Sequence[str],
    sizes: dict[str, int],
    need: int,
    rooms: list[Room],
    elsewhere: tuple[str, Room] | None = None,
) -> str:
    """Why `need` students of `series` fit none of its suitable `rooms`; `elsewhere`: a site
    it may not use and a room there that would seat them (the explain audit's 80 seats at
    LIEGE went unsaid)."""
    field = "size" if series.size is not None else "groups"
    whose = (
        "its size"
        if series.size is not None
        else "groups " + ", ".join(f"{g} ({sizes.get(g, 0)})" for g in groups)
    )
    site = (
        f", or allow site {elsewhere[0]} (its room {elsewhere[1].id} seats {elsewhere[1].capacity})"
        if elsewhere
        else ""
    )
    return (
        f"{where} {field}: {need} students ({whose}) fit no allowed room "
        f"(largest suitable: {max(r.capacity for r in rooms)}): raise a room's "
        f"capacity, lower a group's size or set preferences.room_capacity: soft{site}"
    )


def rooms_can_host(inst: Instance) -> None:
    """Every series has a room at an allowed site with its features and, unless room capacity
    is soft, enough seats for its headcount (`size`, else the total size of its groups)."""
    sizes = {g.id: g.size for g in inst.groups}
    parent = {g.id: g.part_of for g in inst.groups}
    hard = inst.preferences.room_capacity == "hard"
    features = {f for s in inst.sites for r in s.rooms for f in r.features}
    for ue in inst.ues:
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}'"
            for f in series.room_features:
                if f not in features:
                    known = known_values(f, features)  # 'Projector' for projector: an audit
                    raise ValueError(f"{where} room_features: no room has feature '{f}' {known}")
            allowed = series.sites if series.sites is not None else ue.sites
            groups = series.groups if series.groups is not None else ue.groups
            students = outermost(groups, parent)  # a sub-group listed with its group: once
            need = (
                series.size if series.size is not None else sum(sizes.get(g, 0) for g in students)
            )
            rooms = _suitable_rooms(inst, allowed, series.room_features)
            if not rooms:
                raise ValueError(_no_room(inst, where, ue, series, allowed))
            if hard and max(r.capacity for r in rooms) < need:
                elsewhere = next(
                    (
                        (x.id, r)
                        for x in inst.sites
                        if allowed is not None and x.id not in allowed
                        for r in x.rooms
                        if r.capacity >= need and set(series.room_features) <= set(r.features)
                    ),
                    None,
                )
                raise ValueError(_too_small(where, series, students, sizes, need, rooms, elsewhere))
