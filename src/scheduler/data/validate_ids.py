"""Cross-reference checks of ids: each unique within its kind, and no UE, series, session or
fixed event id also the id of another of them (precedences, pins and changes name any of
them); with the words for an unknown id and for a value listed twice, which the other checks
of `scheduler.data.validate` use. Each raises `ValueError`, as every invariant there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scheduler.data.sessions import expand_sessions, series_id
from scheduler.data.types import known_values

if TYPE_CHECKING:
    from scheduler.data.instance import Instance, Site


def cut(value: str) -> str:
    """`value` as an error echoes it: beyond 60 characters, cut (a fuzz audit's
    20,000-character id gave a 40 KB line)."""
    return value if len(value) <= 60 else f"{value[:60]}... ({len(value)} characters)"


def unknown(kind: str, value: str, known: Iterable[str]) -> str:
    """`unknown room 'N-S2' (did you mean 'N-S02'? known: ...)`."""
    return f"unknown {kind} '{cut(value)}' {known_values(value[:200], known)}"


def unknown_site(value: str, sites: Iterable[Site]) -> str:
    """`unknown site ...`, or, for an area's name, which sites it holds (an areas audit: an
    area typed where a site belongs read "unknown site 'LIEGE'", its sites unnamed)."""
    listed = list(sites)
    members = [s.id for s in listed if s.area == value]
    if members:
        return (
            f"unknown site '{value}': it is an area ({', '.join(members)}) — name one of its sites"
        )
    return unknown("site", value, [s.id for s in listed])


def _no_duplicates(kind: str, ids: Iterable[tuple[str, str]]) -> None:
    """`ids`: (id, where it is given); the error names both places of the first id given
    twice (an audit's duplicate room id did not say at which sites)."""
    where: dict[str, list[str]] = {}
    for ident, place in ids:
        where.setdefault(ident, []).append(place)
    dupes = [(i, places) for i, places in where.items() if len(places) > 1]
    if dupes:
        ident, places = dupes[0]
        raise ValueError(f"duplicate {kind} id '{ident}': {' and '.join(places[:2])}")


def _listed(field: str, items: Iterable[Any]) -> Iterable[tuple[str, str]]:
    """Each item's id with its place in the list `field`."""
    return ((x.id, f"{field}[{k}]") for k, x in enumerate(items))


def unique_ids(inst: Instance) -> None:
    """Ids are unique within their kind (rooms across all sites)."""
    _no_duplicates("slot", _listed("calendar.slots", inst.calendar.slots))
    _no_duplicates("site", _listed("sites", inst.sites))
    _no_duplicates(
        "room",
        ((r.id, f"site '{s.id}' rooms[{k}]") for s in inst.sites for k, r in enumerate(s.rooms)),
    )
    _no_duplicates("group", _listed("groups", inst.groups))
    _no_duplicates("teacher", _listed("teachers", inst.teachers))
    _no_duplicates("ue", _listed("ues", inst.ues))
    _no_duplicates("fixed event", _listed("fixed_events", inst.fixed_events))
    for ue in inst.ues:
        dupes = [n for n, c in Counter(s.series for s in ue.sessions).items() if c > 1]
        if dupes:
            raise ValueError(f"ue '{ue.id}': duplicate series '{dupes[0]}'")


def listed_twice(values: Iterable[object]) -> str | None:
    """The words for the first of `values` listed more than once, if any."""
    dupes = [v for v, n in Counter(values).items() if n > 1]
    return f"'{dupes[0]}' is listed more than once" if dupes else None


def listed_once(where: str, field: str, ids: Iterable[str]) -> None:
    twice = listed_twice(ids)
    if twice:
        raise ValueError(f"{where} {field}: {twice}")


def names_distinct(inst: Instance) -> None:
    """UE and series ids are distinct from each other: UE 'A-b' series 'c' and UE 'A' series
    'b-c' would both be series 'A-b-c', with sessions 'A-b-c-01', ... (session ids: in
    `references_unambiguous`, once the counts are known to be sane)."""
    owner: dict[str, str] = {ue.id: f"ue '{ue.id}'" for ue in inst.ues}
    for ue in inst.ues:
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}'"
            sid = series_id(ue, series)
            if sid in owner:
                raise ValueError(
                    f"{where}: its id '{sid}' is also the id of {owner[sid]}: rename one of them"
                )
            owner[sid] = where


def references_unambiguous(inst: Instance) -> None:
    """No session id is also a UE or series id, and no fixed event id any of them
    (precedences, pins and changes name any of them)."""
    sessions = expand_sessions(inst)
    named = {u.id: "ue" for u in inst.ues} | {s.series_id: "series" for s in sessions}
    for s in sessions:
        if s.id in named:
            raise ValueError(
                f"ue '{s.ue}' series '{s.series}': its session id '{s.id}' is also the id of "
                f"a {named[s.id]}: rename one of them"
            )
    taken = named | {s.id: "session" for s in sessions}
    for e in inst.fixed_events:
        if e.id in taken:
            raise ValueError(
                f"fixed event '{e.id}' id: also the id of a {taken[e.id]}; rename one of them"
            )
