"""Expansion of UE series into individual sessions with stable ids (`<ue>-<series>-<nn>`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scheduler.data.groups import outermost

if TYPE_CHECKING:
    from scheduler.data.instance import UE, Group, Instance, Room, Series
    from scheduler.data.instance_calendar import DateRule, Window


@dataclass(frozen=True)
class Session:
    """One session to place: what it needs, resolved from its series and UE."""

    id: str
    ue: str
    series: str
    series_id: str
    number: int
    length: int
    teachers: tuple[str, ...]
    groups: tuple[str, ...]
    sites: tuple[str, ...] | None
    window: Window | None
    room_features: tuple[str, ...]
    min_days_between: int
    size: int | None = None
    min_days: int | None = None
    unavailable: tuple[DateRule, ...] = ()


def series_id(ue: UE, series: Series) -> str:
    """The id of a series, e.g. `UE1-main`."""
    return series_key(ue.id, series.series)


def series_key(ue_id: str, series_name: str) -> str:
    """The id of a UE's series named `series_name` (`UE1`, `main` -> `UE1-main`)."""
    return f"{ue_id}-{series_name}"


def session_id(ue_id: str, series_name: str, number: int) -> str:
    """The id of the `number`-th (1-based) session of a series, e.g. `UE1-main-03`."""
    return f"{ue_id}-{series_name}-{number:02d}"


def expand_series(ue: UE, series: Series) -> tuple[Session, ...]:
    """The sessions of one series, in their required order."""
    return tuple(
        Session(
            id=session_id(ue.id, series.series, number),
            ue=ue.id,
            series=series.series,
            series_id=series_id(ue, series),
            number=number,
            length=series.length,
            teachers=series.teachers if series.teachers is not None else ue.teachers,
            groups=series.groups if series.groups is not None else ue.groups,
            sites=series.sites if series.sites is not None else ue.sites,
            window=series.window if series.window is not None else ue.window,
            room_features=series.room_features,
            min_days_between=series.min_days_between,
            size=series.size,
            min_days=series.min_days,
            unavailable=series.unavailable,
        )
        for number in range(1, series.count + 1)
    )


def expand_sessions(instance: Instance, with_dropped: bool = False) -> tuple[Session, ...]:
    """Every session of the instance, UE by UE, series by series, in order, with the teachers
    `session_teachers` gives it, if any; without the `dropped` ones unless `with_dropped`."""
    left_out = () if with_dropped else instance.dropped
    taught_by = {o.session: o.teachers for o in instance.session_teachers}
    return tuple(
        replace(s, teachers=taught_by[s.id]) if s.id in taught_by else s
        for ue in instance.ues
        for series in ue.sessions
        for s in expand_series(ue, series)
        if s.id not in left_out
    )


def headcount(session: Session, groups: Mapping[str, Group]) -> int:
    """Students attending `session`: its series' `size`, else the total size of its groups,
    a group listed with one it is part of counted once, in the larger (an audit: [COH, A]
    with A part of COH counted A's students twice, and a room that fits was refused)."""
    if session.size is not None:
        return session.size
    parent = {g.id: g.part_of for g in groups.values()}
    return sum(groups[g].size for g in outermost(session.groups, parent))


def fitting_rooms(instance: Instance, session: Session, size: int) -> list[tuple[str, Room]]:
    """Each room, with its site, that could take `session` whatever the date and the pins: at
    a site it may use, with its features, seating its `size` students."""
    return [
        (site.id, room)
        for site in instance.sites
        if session.sites is None or site.id in session.sites
        for room in site.rooms
        if set(session.room_features) <= set(room.features) and room.capacity >= size
    ]


def fitting_seats(instance: Instance, session: Session, size: int) -> list[int]:
    """Seats of each room that could take `session` whatever the date and the pins
    (`oversized_room`)."""
    return [room.capacity for _, room in fitting_rooms(instance, session, size)]


def hosting_sites(instance: Instance) -> tuple[str, ...]:
    """The sites with rooms that some session to give may use, in the instance's order: those
    that `site_balance` weighs (a site no session may use cannot host any; an audit's
    one-site programme was charged for its other site; `dropped` sessions are given nowhere)."""
    with_rooms = [s.id for s in instance.sites if s.rooms]
    allowed: set[str] = set()
    for session in expand_sessions(instance):
        allowed.update(with_rooms if session.sites is None else session.sites)
    return tuple(s for s in with_rooms if s in allowed)
