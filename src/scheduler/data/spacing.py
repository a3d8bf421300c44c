"""The rhythm of a UE: which of its sessions follow one another for `ue_gap` and `ue_spread`,
with their maximum gap and even gap.

A UE's students follow it session after session whatever the series: the journée of an
integration seminar falls between its evening sessions, a visitor's block between the
regular classes. So the sessions of a UE's series chain together in date order, per audience:
the series one student attends (a plenary with the student's practice group, not with the
other groups'). A series with its own `max_days_between` keeps its own rhythm: it chains
alone. See docs/rules.md.

Shared by the model's soft rules, its data bound and the greedy constructor (the checker
keeps its own copy, as the independent specification).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.data.groups import followers
from scheduler.data.instance import UE
from scheduler.data.instance_calendar import Window
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session, series_id


@dataclass(frozen=True)
class GapChain:
    """Sessions of one UE that follow one another in date order for one audience."""

    name: str  # the series id when it is one series, else the UE id (with its series)
    series: tuple[str, ...]  # series ids
    sessions: tuple[Session, ...]  # each series' sessions in order, series after series
    limit: int | None  # `max_days_between`
    target: int | None  # the even gap, when the UE is evenly spread

    @property
    def ue(self) -> str:
        """The UE whose sessions the chain follows (a chain is one UE's: `gap_chains`)."""
        return self.sessions[0].ue

    @property
    def in_series_order(self) -> bool:
        """True when the chain is one series: its order is the series' order."""
        return len(self.series) == 1


def gap_chains(p: Problem) -> list[GapChain]:
    """Every chain of sessions `ue_gap` or `ue_spread` weighs (two sessions at least)."""
    out = []
    for ue in p.instance.ues:
        grouped = _chained_series(p, ue)
        for ids in grouped:
            chain = _chain(p, ue, ids, several=len(grouped) > 1)
            if len(chain.sessions) > 1 and (chain.limit is not None or chain.target is not None):
                out.append(chain)
    return out


def _chained_series(p: Problem, ue: UE) -> list[tuple[str, ...]]:
    """The UE's series grouped into chains: one per series with its own `max_days_between`,
    and per distinct audience the others that one student attends."""
    own = [
        series_id(ue, s)
        for s in ue.sessions
        if s.max_days_between is not None and p.chains.get(series_id(ue, s))
    ]
    shared = list(_shared_groups(p, ue))
    audiences = dict.fromkeys(
        members
        for profile in p.profiles
        if (
            members := tuple(sid for sid in shared if profile.intersection(p.series[sid][0].groups))
        )
    )
    covered = {sid for members in audiences for sid in members}
    alone = [(sid,) for sid in shared if sid not in covered]
    return [(sid,) for sid in own] + list(audiences) + alone


def _shared_groups(p: Problem, ue: UE) -> dict[str, tuple[str, ...]]:
    """The UE's series without their own `max_days_between` (chained with the others one
    student attends), each with its groups."""
    return {
        series_id(ue, s): p.series[series_id(ue, s)][0].groups
        for s in ue.sessions
        if s.max_days_between is None and p.chains.get(series_id(ue, s))
    }


def _chain(p: Problem, ue: UE, ids: tuple[str, ...], several: bool) -> GapChain:
    sessions = tuple(s for sid in ids for s in p.chains[sid])
    series = next(x for x in ue.sessions if series_id(ue, x) == ids[0])
    limit = series.max_days_between if series.max_days_between is not None else ue.max_days_between
    target = None
    if ue.even_spread:
        spans = [window_in_calendar(p, p.series[sid][0].window) for sid in ids]
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        count = sum(len(p.series[sid]) for sid in ids)  # its sessions to give: without dropped
        target = max(0, (hi - lo).days + 1) // count
    if len(ids) == 1:
        name = ids[0]
    elif several:  # the UE has other chains: say whose and which series this one is
        audience = "+".join(followers(p.profiles, _shared_groups(p, ue), ids, p.group))
        name = f"{ue.id} for {audience} ({'+'.join(sid.removeprefix(ue.id + '-') for sid in ids)})"
    else:
        name = ue.id
    return GapChain(name, ids, sessions, limit, target)


def window_in_calendar(p: Problem, window: Window | None) -> tuple[date, date]:
    """The first and last days of `window` within the calendar (the calendar's without one);
    the first is after the last when they do not meet."""
    lo, hi = p.instance.calendar.start, p.instance.calendar.end
    return (max(lo, window.from_), min(hi, window.to)) if window else (lo, hi)
