"""Pre-flight check of days at one site each: series whose sessions fall on distinct days,
each series bound to one area, need days of their own when the same people follow them.

A student (or teacher) is in one area a day (`Site.area`). A series of 30 sessions on distinct
days at Mons and one of 12 at Namur, for the same students, need 42 days between them, whatever
the slots: an audit's count typed 30 for 8 passed every check while the cohort had 41 days, and
the search could not decide in 30 s. For each person, the longest such series of each area go
through a maximum flow: series -> (series, day) -> day, each day once. Two series of different
areas cannot share a day for that person, and a series takes a day per session, so a flow
short of their sessions proves that no timetable exists.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scheduler.data.findings import Domains, Finding
from scheduler.data.flows import SOURCE, Flow
from scheduler.data.preflight_matching import people
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import during, join_words, one_site_a_day


def _one_area_chains(p: Problem, mine: list[Session], domains: Domains) -> list[list[Session]]:
    """The longest distinct-day series of each area among `mine` (sessions with a placement;
    a series whose placements span two areas is left out)."""
    chains: dict[str, list[Session]] = defaultdict(list)
    for s in mine:
        key = p.distinct_day_series.get(s.id)
        if key is not None and domains[s.id]:
            chains[key].append(s)
    longest: dict[str, list[Session]] = {}
    for key in sorted(chains):
        areas = {p.area[c.site] for s in chains[key] for c in domains[s.id]}
        if len(areas) == 1:
            area = areas.pop()
            if len(chains[key]) > len(longest.get(area, [])):
                longest[area] = chains[key]
    return list(longest.values())


def _sites(chain: list[Session], domains: Domains) -> list[str]:
    return sorted({c.site for s in chain for c in domains[s.id]})


def _days_short(chains: list[list[Session]], domains: Domains) -> tuple[int, int] | None:
    """(days needed, days they can have) when the flow falls short, else None."""
    flow, need = Flow(), 0
    for i, chain in enumerate(chains):
        need += len(chain)
        flow.arc(SOURCE, ("chain", i), len(chain))
        for day in {c.start.date for s in chain for c in domains[s.id]}:
            flow.arc(("chain", i), ("day", day), 1)
    flow.to_sink("day")
    found = flow.short_of(need)
    return None if found is None else (need, found)


def check_days_at_one_site(p: Problem, domains: Domains) -> list[Finding]:
    """People whose one-area distinct-day series need more days than they can have apart."""
    found: list[Finding] = []
    said: set[tuple[str, ...]] = set()
    for rule, who, mine in people(p):
        chains = _one_area_chains(p, mine, domains)
        if len(chains) < 2:
            continue
        short = _days_short(chains, domains)
        series = tuple(sorted(chain[0].series_id for chain in chains))
        if short is None or series in said:
            continue
        said.add(series)
        need, have = short
        parts = [
            f"{len(chain)} at {join_words(_sites(chain, domains), 'or')} ({chain[0].series_id})"
            for chain in chains
        ]
        days: list[date] = [c.start.date for chain in chains for s in chain for c in domains[s.id]]
        message = (
            f"{who} must have {count_of(need, 'day')} {during(min(days), max(days))} for "
            f"{join_words(parts)}, each series a day per session and {one_site_a_day(p)}, but "
            f"the days these series can use hold only {have} — lower a count, widen a window, "
            "or let a series use another site"
        )
        kind = "group_one_site_per_day" if rule.startswith("group") else "teacher_one_site_per_day"
        found.append(Finding("error", kind, series, message))
    return found
