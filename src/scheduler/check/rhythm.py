"""The rhythm rules of docs/rules.md, `ue_gap` and `ue_spread`, recomputed from the timetable.

A chain is what one audience follows of a UE: its series without their own
`max_days_between` that one student profile attends, in date order (a series with its own
maximum is a chain of its own, in series order). Consecutive sessions of a chain are weighed:
`ue_gap` by the days beyond the maximum gap, `ue_spread` by the days short of the even gap.
This is the specification: it shares nothing with the model's copy (`data/spacing.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby, pairwise

from scheduler.check.placed import Placed, Timetable
from scheduler.check.report import CostTerm, Raw, positive_terms
from scheduler.data.groups import followers
from scheduler.data.instance import UE
from scheduler.data.problem import Problem
from scheduler.data.sessions import series_id
from scheduler.data.words import join_words


@dataclass(frozen=True)
class Chain:
    name: str
    series: tuple[str, ...]
    limit: int | None
    span_days: int  # days of the chain's windows within the calendar
    count: int  # sessions to give (without `dropped` ones; `reordered` ones included)


def _groups(ue: UE) -> list[tuple[str, tuple[str, ...], int | None]]:
    """Each series of the UE: its id, attending groups and own maximum gap."""
    return [
        (
            series_id(ue, s),
            tuple(s.groups if s.groups is not None else ue.groups),
            s.max_days_between,
        )
        for s in ue.sessions
    ]


def chains(problem: Problem) -> list[Chain]:
    """Every chain of every UE, as the module's docstring says."""
    out: list[Chain] = []
    for ue in problem.instance.ues:
        series = [x for x in _groups(ue) if problem.chains.get(x[0])]
        alone = [(sid,) for sid, _, own in series if own is not None]
        shared = [(sid, groups) for sid, groups, own in series if own is None]
        together: list[tuple[str, ...]] = []
        for profile in problem.profiles:
            members = tuple(sid for sid, groups in shared if any(g in profile for g in groups))
            if members and members not in together:
                together.append(members)
        seen = {sid for members in together for sid in members}
        found = alone + together + [(sid,) for sid, _ in shared if sid not in seen]
        for ids in found:
            out.append(_chain(problem, ue, ids, several=len(found) > 1))
    return out


def _chain(problem: Problem, ue: UE, ids: tuple[str, ...], several: bool) -> Chain:
    by_id = {series_id(ue, s): s for s in ue.sessions}
    first = by_id[ids[0]]
    limit = first.max_days_between if first.max_days_between is not None else ue.max_days_between
    cal = problem.instance.calendar
    lo, hi = cal.end, cal.start
    for sid in ids:
        window = by_id[sid].window or ue.window
        a, b = (
            (max(cal.start, window.from_), min(cal.end, window.to))
            if window
            else (cal.start, cal.end)
        )
        lo, hi = min(lo, a), max(hi, b)
    if len(ids) == 1:
        name = ids[0]
    else:
        parts = "+".join(by_id[sid].series for sid in ids)
        name = f"{ue.id} for {_audience(problem, ue, ids)} ({parts})" if several else ue.id
    count = sum(len(problem.series[sid]) for sid in ids)
    return Chain(name, ids, limit, max(0, (hi - lo).days + 1), count)


def _audience(problem: Problem, ue: UE, ids: tuple[str, ...]) -> str:
    """Who follows a chain of several series, in words: the groups its students share."""
    shared = {sid: gs for sid, gs, own in _groups(ue) if own is None and problem.chains.get(sid)}
    return "+".join(followers(problem.profiles, shared, ids, problem.group))


def _followed(problem: Problem, tt: Timetable, chain: Chain) -> list[tuple[str, Placed, Placed]]:
    """Consecutive placed sessions of a chain with the words naming the pair: by series
    number for one series (its order), by position in date order for several."""
    placed = [
        p
        for sid in chain.series
        for s in problem.chains[sid]
        if (p := tt.by_session.get(s.id)) is not None
    ]
    if len(chain.series) == 1:
        sid = chain.series[0]
        return [
            (f"{a.session.number}→{b.session.number}{_skipped(problem, sid, a, b)}", a, b)
            for a, b in pairwise(placed)
        ]
    placed.sort(key=lambda p: (p.begins, p.id))
    return [
        (f"{i}→{i + 1} ({a.id} → {b.id})", a, b)
        for i, (a, b) in enumerate(pairwise(placed), start=1)
    ]


def _skipped(problem: Problem, sid: str, a: Placed, b: Placed) -> str:
    """Why a series' numbering skips from `a` to `b`, in words ("" when it does not)."""
    given = {s.number for s in problem.series[sid]}
    chained = {s.number for s in problem.chains[sid]}
    why = [
        (
            "dropped"
            if n not in given
            else "given out of order"
            if n not in chained
            else "not placed",
            n,
        )
        for n in range(a.session.number + 1, b.session.number)
    ]
    # "2 and 3 dropped", not "2 dropped, 3 dropped" (an audit)
    words = [
        f"{join_words([str(n) for _, n in run])} {kind}"
        for kind, run in groupby(why, key=lambda kn: kn[0])
    ]
    return f" ({', '.join(words)})" if words else ""


def _closed_days(problem: Problem) -> set[dt.date]:
    """The calendar's days closed whole: those within closures of whole days (teaching
    weekdays or not), and the teaching days with every slot closed (public holidays, closures
    listing every slot), within the calendar."""
    cal = problem.instance.calendar
    days = {c.date for c in problem.closed if c.date not in problem.day_slots}
    for c in cal.closures:
        first, last = (
            max(c.date or c.from_ or cal.start, cal.start),
            min(c.date or c.to or cal.end, cal.end),
        )
        if c.slots is None:
            days.update(first + dt.timedelta(n) for n in range((last - first).days + 1))
    return days


def _gap_raw(problem: Problem, tt: Timetable) -> Iterable[Raw]:
    closed = _closed_days(problem)
    for chain in chains(problem):
        if chain.limit is None:
            continue
        for pair, a, b in _followed(problem, tt, chain):
            apart = abs((b.date - a.date).days)
            first = min(a.date, b.date)
            # the days count whatever they are; a manager asked how many were closures (an
            # audit: 51 days from 18 Dec, 41 of them the winter break and the exams)
            shut = sum(first + dt.timedelta(n) in closed for n in range(1, apart))
            inside = f", {shut} of them closed" if shut else ""
            msg = (
                f"{chain.name} sessions {pair}: {apart} days apart{inside} (target ≤ {chain.limit})"
            )
            yield (a.id, b.id), apart - chain.limit, msg


def _spread_raw(problem: Problem, tt: Timetable) -> Iterable[Raw]:
    for chain in chains(problem):
        ue = problem.ue[problem.series[chain.series[0]][0].ue]
        if not ue.even_spread or chain.count < 2:
            continue
        target = chain.span_days // chain.count
        for pair, a, b in _followed(problem, tt, chain):
            apart = abs((b.date - a.date).days)
            msg = (  # "even gap 52" read as "52 apart", and longer gaps as costly too (an audit)
                f"{chain.name} sessions {pair}: {apart} days apart (target ≥ {target}, the "
                f"even gap: {chain.span_days} days / {chain.count} sessions)"
            )
            yield (a.id, b.id), target - apart, msg


def cost_ue_gap(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """Per consecutive sessions of a chain with a maximum gap: days apart beyond it."""
    return positive_terms("ue_gap", problem.weights.get("ue_gap", 0), _gap_raw(problem, tt))


def cost_ue_spread(problem: Problem, tt: Timetable) -> list[CostTerm]:
    """For chains of evenly spread UEs: days each gap falls short of span // count."""
    weight = problem.weights.get("ue_spread", 0)
    return positive_terms("ue_spread", weight, _spread_raw(problem, tt))
