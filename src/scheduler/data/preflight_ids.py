"""Pre-flight warning of ids of one kind that differ only by case.

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
