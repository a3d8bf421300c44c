"""Pre-flight warnings of ids of one kind that differ only by case, and of site areas that
join no sites.

Ids are compared exactly, so `T01` and `t01` are two teachers: a sheet typed by two people
(a workbook audit: teachers `T01`/`t01`, rooms `M-AUD`/`m-aud`, accepted without a word)
gives each of them half of what was meant for one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from scheduler.data.findings import Domains, Finding
from scheduler.data.problem import Problem
from scheduler.data.words import join_words


def _ids_by_kind(p: Problem) -> Iterable[tuple[str, list[str]]]:
    inst = p.instance
    yield "sites", [s.id for s in inst.sites]
    yield "rooms", [r.id for s in inst.sites for r in s.rooms]
    yield "groups", [g.id for g in inst.groups]
    yield "teachers", [t.id for t in inst.teachers]
    yield "UEs", [u.id for u in inst.ues]
    yield "slots", [s.id for s in inst.calendar.slots]
    yield "fixed events", [e.id for e in inst.fixed_events]


def check_ids_alike(p: Problem, domains: Domains) -> list[Finding]:
    """Ids of one kind equal but for case: most likely one entity typed twice."""
    found: list[Finding] = []
    for kind, ids in _ids_by_kind(p):
        folded: dict[str, list[str]] = defaultdict(list)
        for ident in ids:
            folded[ident.casefold()].append(ident)
        for same in (v for v in folded.values() if len(v) > 1):
            msg = (
                f"{kind} {join_words(repr(i) for i in same)} differ only by case: "
                "ids are compared exactly, so these are different ones — if they are one, "
                "spell them the same"
            )
            found.append(Finding("warning", "ids", tuple(same), msg))
    return found


def check_areas_alone(p: Problem, domains: Domains) -> list[Finding]:
    """An `area` that one site names alone joins it to nothing: a typo (`LIEGE` / `LEIGE`),
    a case apart (`LIEGE` / `Liege`) or another site's id (`area: LG-CENTRE` on LG-SART, where
    LG-CENTRE names none) left two campuses apart, and nothing said so (an areas audit)."""
    named: dict[str, list[str]] = defaultdict(list)
    for each in p.instance.sites:
        if each.area:
            named[each.area].append(each.id)
    own = {s.id: s.area for s in p.instance.sites}
    found: list[Finding] = []
    for area, members in named.items():
        if len(members) > 1:
            continue
        site = members[0]
        alike = [a for a in named if a != area and a.casefold() == area.casefold()]
        if area in own and area != site:
            theirs = f"area {own[area]!r}" if own[area] else "no area"
            why = (
                f"the id of site {area}, which names {theirs}: to join the two, give both the "
                "same area"
            )
        elif alike:
            why = (
                f"spelt {alike[0]!r} on {join_words(named[alike[0]])}: areas are compared "
                "exactly — spell them the same"
            )
        else:
            why = "named by no other site, so it joins nothing — check its spelling"
        msg = f"site {site} names area {area!r}, {why}"
        found.append(Finding("warning", "site_area", (site,), msg))
    return found
