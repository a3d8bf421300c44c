"""Pre-flight check of rooms few series may use: their sessions need a room and a slot each.

A lab that only some series fit (its features, its size, their sites) is a resource of its
own: options taught in parallel fit their students' slots, but not the lab's (an earlier note:
"no room pigeonhole pre-flight"). For each set of rooms that some series are limited to, the
series limited to rooms within it go through a maximum flow: series -> (slot, room) -> sink,
each pair once. Splitting a session of several slots over rooms only relaxes the problem, so a
flow short of the slots needed proves that no timetable exists; its minimum cut names the
series that lack room. Errors are certain, as every pre-flight error (`scheduler.data.preflight`).
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.data.domains import ROOM_ONLY, Placement
from scheduler.data.findings import Domains, Finding
from scheduler.data.flows import SOURCE, Flow
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import during, join_words

MAX_ARCS = 200_000  # a set of rooms whose flow would have more arcs is not checked


def _rooms_of_series(p: Problem, domains: Domains) -> dict[str, frozenset[str]]:
    """The rooms each series' placements use (series with some placement)."""
    rooms: dict[str, set[str]] = defaultdict(set)
    for s in p.sessions:
        rooms[s.series_id] |= {c.room for c in domains[s.id]}
    return {series: frozenset(found) for series, found in rooms.items() if found}


def _short_series(
    sessions: dict[str, list[Session]], domains: Domains
) -> tuple[tuple[str, ...], int, int] | None:
    """(series lacking room-slots, the slots they need, those they can have), or None."""
    flow, need = Flow(), 0
    for series, mine in sessions.items():
        supply = sum(s.length for s in mine)
        need += supply
        flow.arc(SOURCE, ("series", series), supply)
        pairs = {(d.index, c.room) for s in mine for c in domains[s.id] for d in c.slots}
        for index, room in pairs:
            flow.arc(("series", series), ("room-slot", index, room), 1)
    flow.to_sink("room-slot")
    found = flow.short_of(need)
    if found is None:
        return None
    short = flow.source_side([("series", x) for x in sessions])
    lacking = tuple(sorted(x for x in sessions if ("series", x) in short))
    wanted = sum(s.length for x in lacking for s in sessions[x])
    return lacking, wanted, wanted - (need - found)


def _room_sets(rooms_of: dict[str, frozenset[str]]) -> list[frozenset[str]]:
    """The sets of rooms to check, smallest first: each series' own, and the union of each
    group of overlapping sets (series limited to {A, B}, {B, C} and {A, C} can overflow the
    three rooms together while each pair holds its two: a review)."""
    sets = set(rooms_of.values())
    groups: list[set[str]] = []
    for rooms in sets:
        touching = [g for g in groups if g & rooms]
        merged = set(rooms).union(*touching)
        groups = [g for g in groups if not g & rooms] + [merged]
    sets |= {frozenset(g) for g in groups}
    return sorted(sets, key=lambda r: (len(r), sorted(r)))


def _why_only(
    p: Problem, series: list[Session], rooms: frozenset[str], domains: Domains
) -> tuple[str, str]:
    """Why `series` (a session of each) have no other room: the rooms' own fit (size,
    features, sites), or their time (closures, fixed events, pins), with what to do."""
    fixed = timed = False
    for s in series:
        slots = domains[s.id][0].slots
        for room, site in p.room_site.items():
            if room not in rooms:
                fits = all(f(p, Placement(s, slots, room, site)) for f in ROOM_ONLY)
                timed, fixed = timed or fits, fixed or not fits
    why, advice = [], []
    if fixed:
        why.append("too small, without a feature they need or at a site they may not use")
        advice.append(
            "give a series another room (fewer features, a smaller headcount, another site)"
        )
    if timed:
        why.append("closed, taken by a fixed event or excluded by a pin whenever they could come")
        advice.append("free another room")
    if not why:  # no other room at all
        return "", "add a room"
    return f" (the other rooms are {' or '.join(why)})", ", ".join(advice)


def check_scarce_rooms(p: Problem, domains: Domains) -> list[Finding]:
    """Series limited to a few rooms whose free slots cannot hold them all (`_short_series`);
    the same series short within several sets of rooms are said once, for the smallest."""
    rooms_of = _rooms_of_series(p, domains)
    by_series: dict[str, list[Session]] = defaultdict(list)
    for s in p.sessions:
        if domains[s.id]:
            by_series[s.series_id].append(s)
    found: list[Finding] = []
    said: set[tuple[str, ...]] = set()
    for rooms in _room_sets(rooms_of):
        within = {x: by_series[x] for x, used in rooms_of.items() if used <= rooms}
        arcs = sum(len(domains[s.id]) * s.length for mine in within.values() for s in mine)
        if len(within) < 2 or arcs > MAX_ARCS:
            continue  # one series alone: its own placements (`check_empty_domains` and others)
        short = _short_series(within, domains)
        if short is None or short[0] in said:
            continue
        series, need, have = short
        said.add(series)
        days = [c.start.date for x in series for s in within[x] for c in domains[s.id]]
        why, advice = _why_only(p, [within[x][0] for x in series], rooms, domains)
        free = (
            f"it is free at only {have} of the slots these series can use"
            if len(rooms) == 1
            else f"they have only {have} free room-slots (a room in a slot) when these series "
            "can use them"
        )
        message = (
            f"{join_words(series)} can only use {_rooms_words(rooms)}{why} and need "
            f"{count_of(need, 'session slot')} there {during(min(days), max(days))}, "
            f"but {free} — {advice}, widen a window or an availability, or move a session"
        )
        found.append(Finding("error", "room_double_booking", series, message))
    return found


def _rooms_words(rooms: frozenset[str]) -> str:
    return f"room {next(iter(rooms))}" if len(rooms) == 1 else f"rooms {join_words(sorted(rooms))}"
