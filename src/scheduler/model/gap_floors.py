"""The data bound's floors of the gap rules, `ue_gap` and `ue_spread` (`model.data_bound`).

Each chain (`data/spacing.py`) is taken at its own least cost, every other chain ignored: a
shortest path over (k-th session, day), on each session's own possible days in order
(`min_days_between` apart) for a chain of one series, else on the days the k-th date in order
may fall on. A chain's floor is labelled with the rules that pay it, and its message says how
much of it the rules force by themselves and how much the dates its sessions may take.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scheduler.data.sessions import Session
from scheduler.data.spacing import GapChain, gap_chains
from scheduler.data.types import count_of
from scheduler.model.variables import Variables
from scheduler.solution import Floor


def series_gap_floors(v: Variables, gap_weight: int, spread_weight: int) -> list[Floor]:
    """Per chain: its least weighted `ue_gap` + `ue_spread` on its own, when above 0."""
    out = []
    for chain in gap_chains(v.problem):
        limit = chain.limit if gap_weight else None
        target = chain.target if spread_weight else None
        if limit is None and target is None:
            continue
        sessions = chain.sessions
        days, apart = _chain_days(v, chain)
        least = _chain_least(days, apart, limit, target, gap_weight, spread_weight)
        if least > 0:
            rules = _paying_rules(days, apart, limit, target, gap_weight, spread_weight, least)
            # the words and the rules' own cost of the rules that pay
            limit = limit if "ue_gap" in rules else None
            target = target if "ue_spread" in rules else None
            gaps = apart[:-1]  # the least days apart of each gap, the chain's order relaxed
            rhythm = _rhythm_least(gaps, limit, target, gap_weight, spread_weight)
            message = _gaps_message(chain.name, sessions, limit, target, gaps, rhythm, least)
            out.append(Floor(rules, least, message))
    return out


def _paying_rules(
    days: list[np.ndarray],
    apart: list[int],
    limit: int | None,
    target: int | None,
    gap_weight: int,
    spread_weight: int,
    least: int,
) -> tuple[str, ...]:
    """The gap rules a chain's floor (`least`, with both rules) is labelled with: both,
    unless one alone would force as much (an audit read 'ue_gap+ue_spread 13' where ue_gap
    paid nothing)."""
    both = ("ue_gap",) * (limit is not None) + ("ue_spread",) * (target is not None)
    if len(both) < 2:
        return both
    if _chain_least(days, apart, None, target, 0, spread_weight) == least:
        return ("ue_spread",)
    if _chain_least(days, apart, limit, None, gap_weight, 0) == least:
        return ("ue_gap",)
    return both


def _rhythm_least(
    apart: list[int], limit: int | None, target: int | None, gap_weight: int, spread_weight: int
) -> int:
    """What a chain's rules cost by themselves, on any days: each gap at least its least
    days apart (`apart`: `min_days_between`), at most `limit`, near the even gap `target`."""

    # a convex cost: least at a corner of the days a gap may span
    corners = [(a, max(a, limit or 0), max(a, target or 0)) for a in apart]
    return sum(
        min(int(_gap_cost(days, limit, target, gap_weight, spread_weight)) for days in gap)
        for gap in corners
    )


def _gap_cost(
    apart: Any, limit: int | None, target: int | None, gap_weight: int, spread_weight: int
) -> Any:
    """The weighted cost of a gap of `apart` days (a number or an array of them): the days
    beyond `limit` (ue_gap) and short of the even gap `target` (ue_spread)."""
    over = gap_weight * np.maximum(0, apart - limit) if limit is not None else 0
    short = spread_weight * np.maximum(0, target - apart) if target is not None else 0
    return over + short


def _gaps_message(
    name: str,
    sessions: tuple[Session, ...],
    limit: int | None,
    target: int | None,
    apart: list[int],
    rhythm: int,
    least: int,
) -> str:
    """Why a chain pays gaps whatever the timetable, in plain words: its rules themselves
    (`rhythm` of the `least` it pays), and the dates its sessions may take (pins, windows,
    availability, closures) for the rest. An audit's pins forced 26 where the rules alone
    force 3, and the message blamed the rules for all of it."""
    rules = []
    if limit is not None:
        rules.append(f"at most {limit} days apart")
    if target is not None:
        rules.append(f"an even gap of {target} days")
    why = " and ".join(rules)
    head = f"{name}: {count_of(len(sessions), 'session')}, "
    if not rhythm:
        return f"{head}the dates they may take leave no way to keep {why}"
    widest = max(apart, default=0)
    if limit is not None and widest > limit:
        clash = f"at least {widest} days apart (min_days_between) and at most {limit}"
    else:
        clash = why
    if rhythm >= least:
        return f"{head}{clash} cannot both hold"
    return (
        f"{head}{clash} cannot both hold, which alone costs {rhythm}, and the dates they may "
        f"take (pins, windows, availability, closures) force {least - rhythm} more"
    )  # "force the rest: 24" read 24 as the rest, not the whole (an audit)


def _chain_days(v: Variables, chain: GapChain) -> tuple[list[np.ndarray], list[int]]:
    """The days each session of `chain` may fall on, in chain order, and the least days
    between consecutive ones. One series: each session's own days, `min_days_between` apart.
    Several: the k-th date in order falls on a day some session may take, with k sessions
    that may fall on it or before and the n - k others on it or after, any days apart."""
    p = v.problem
    own = [np.unique([p.slots[t].day for t in v.starts(s)]) for s in chain.sessions]
    if chain.in_series_order or any(len(d) == 0 for d in own):
        return own, [max(0, s.min_days_between) for s in chain.sessions]
    every = np.unique(np.concatenate(own))
    first = np.array([d[0] for d in own])
    last = np.array([d[-1] for d in own])
    may_by = (first[None, :] <= every[:, None]).sum(axis=1)  # sessions that may fall by day
    may_after = (last[None, :] >= every[:, None]).sum(axis=1)
    n = len(own)
    kth = [every[(may_by >= k + 1) & (may_after >= n - k)] for k in range(n)]
    return kth, [0] * n


def _chain_least(
    days: list[np.ndarray],
    apart_at_least: list[int],
    limit: int | None,
    target: int | None,
    gap_weight: int,
    spread_weight: int,
) -> int:
    """Least weighted gap cost of a chain alone: `best[d]` is the least cost of the
    sessions so far with the last one on day d, carried along the chain."""
    if any(len(d) == 0 for d in days):
        return 0  # no timetable at all: nothing to bound
    best = np.zeros(len(days[0]))
    for k in range(1, len(days)):
        apart = days[k][:, None] - days[k - 1][None, :]  # new day x previous day
        cost = np.zeros(apart.shape) + _gap_cost(apart, limit, target, gap_weight, spread_weight)
        # the order rule, relaxed to days: a later day, or the same one without a minimum
        cost[apart < apart_at_least[k - 1]] = np.inf
        best = (cost + best[None, :]).min(axis=1)
    least = best.min()
    return int(least) if np.isfinite(least) else 0
