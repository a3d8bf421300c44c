"""Pre-flight check of slots and days shared between series: students or a teacher whose
sessions cannot each get a slot of their own when the sessions of a series on distinct days
(`min_days_between` >= 1) also need a day each.

The load checks (`preflight_load`) count slots; two visitors in one fortnight can fit the
students' slots by count while one needs every Thursday for its days and the other teaches on
Tuesdays and Thursdays only (an audit's instance, which the conflict search did not explain in
30 s). This check is a maximum flow: series -> (series, day) -> slot, each slot once, each day
once per distinct-day series; a flow short of the slots needed proves that no timetable
exists, and its minimum cut names the series that lack room. Errors are certain, as every
pre-flight error (`scheduler.data.preflight`); it is said only when no other check found one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from scheduler.data.findings import Domains, Finding
from scheduler.data.flows import SOURCE, Flow
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import during, join_words, teacher_label


@dataclass(frozen=True)
class Short:
    """Series whose sessions lack slots: the slots they need, those they can get, their span."""

    series: tuple[str, ...]
    need: int
    have: int
    first: date
    last: date


def short_of_days(p: Problem, sessions: list[Session], domains: Domains) -> Short | None:
    """The series among `sessions` that cannot all get their slots (a minimum cut), or None."""
    by_key: dict[tuple[str, str], list[Session]] = defaultdict(list)
    for s in sessions:
        if domains[s.id]:
            chain = p.distinct_day_series.get(s.id)
            by_key[("chain", chain) if chain else ("series", s.series_id)].append(s)
    flow, need = Flow(), 0
    for key, mine in by_key.items():
        supply = sum(s.length for s in mine)
        need += supply
        flow.arc(SOURCE, ("series", key), supply)
        one_a_day = key[0] == "chain"
        slots_of_day: dict[date, set[int]] = defaultdict(set)
        for s in mine:
            for c in domains[s.id]:
                slots_of_day[c.start.date].update(d.index for d in c.slots)
        for day, slots in slots_of_day.items():
            per_day = mine[0].length if one_a_day else supply
            flow.arc(("series", key), ("day", key, day), per_day)
            for index in slots:
                flow.arc(("day", key, day), ("slot", index), 1)
    flow.to_sink("slot")
    found = flow.short_of(need)
    if found is None:
        return None
    series_nodes = flow.source_side([("series", key) for key in by_key])
    lacking = [key for key in by_key if ("series", key) in series_nodes]
    wanted = sum(s.length for key in lacking for s in by_key[key])
    days = [c.start.date for key in lacking for s in by_key[key] for c in domains[s.id]]
    series = tuple(sorted({s.series_id for key in lacking for s in by_key[key]}))
    have = wanted - (need - found)
    return Short(series, wanted, have, min(days), max(days))


def people(p: Problem) -> Iterator[tuple[str, str, list[Session]]]:
    """(rule, who, their sessions) for each student profile and each teacher."""
    for profile in p.profiles:
        mine = [s for s in p.sessions if profile.intersection(s.groups)]
        yield "group_double_booking", f"students of {join_words(sorted(profile))}", mine
    for t in p.instance.teachers:
        mine = [s for s in p.sessions if t.id in s.teachers]
        yield "teacher_double_booking", f"teacher {teacher_label(p, t.id)}", mine


def check_days_and_slots(p: Problem, domains: Domains) -> list[Finding]:
    """Students or a teacher whose series cannot each get their slots and days (`short_of_days`);
    the same series short for several people are said once, for the first."""
    found: list[Finding] = []
    said: set[tuple[str, ...]] = set()
    for rule, who, mine in people(p):
        short = short_of_days(p, mine, domains)
        if short is None or short.series in said:
            continue
        said.add(short.series)
        span = during(short.first, short.last)
        msg = (
            f"{who} must have {count_of(short.need, 'session slot')} of {join_words(short.series)} "
            f"{span}, each session of a series on a day of its own, but the slots and days "
            f"they can use there hold only {short.have} — widen a window or an availability, "
            "lower min_days_between, or move a session"
        )
        found.append(Finding("error", rule, short.series, msg))
    return found
