"""The `site_balance` part of the data's floors (`model.data_bound`): how far apart the
busiest and the least busy sites must be, whatever the timetable.

- the busiest site hosts at least an even share of the session slots (in whole sessions)
  and those of the sessions that may only go there; the least busy one at most those of the
  sessions that may go there;
- the sites' slots, whole sessions each, cannot all be equal when their count does not
  divide evenly (e.g. 29 session slots over two sites: 1).
"""

from __future__ import annotations

import math
from collections import defaultdict

from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.model.variables import Variables
from scheduler.solution import Floor


def site_balance_floors(p: Problem, v: Variables, weight: int) -> list[Floor]:
    """The slots the busiest site must host (an even share of all, or those of the sessions
    that may only go to one site) minus the most the least busy site can host (those of the
    sessions that may go there), when above 0: e.g. sites that few sessions may use."""
    sites = p.hosting_sites
    if len(sites) < 2:
        return []
    where: dict[str, set[str]] = defaultdict(set)
    for c in v.x:
        where[c.session.id].add(c.site)
    able = dict.fromkeys(sites, 0)
    only = dict.fromkeys(sites, 0)
    for s in p.sessions:
        for site in where[s.id]:
            able[site] += s.length
        if len(where[s.id]) == 1:
            only[next(iter(where[s.id]))] += s.length
    total = sum(s.length for s in p.sessions)
    unit = math.gcd(*(s.length for s in p.sessions))  # every site's slots are a multiple
    if not unit:
        return []
    share = -(-total // (len(sites) * unit)) * unit  # in whole units: a review's 3 of 8, 4
    least = min(sites, key=lambda s: able[s])
    busiest = max(sites, key=lambda s: only[s])
    most = max(share, only[busiest])
    at_most = able[least]
    if most <= at_most:
        return _uneven_split_floor(sites, total, unit, weight)
    why = (
        f"{busiest} hosts {count_of(only[busiest], 'session slot')} of sessions that can go "
        "nowhere else"  # their sites, or their pins (not "allowed": an audit's pinned ones)
        if only[busiest] >= share
        else f"the busiest site hosts {share} of the {count_of(total, 'session slot')} at least"
    )
    message = (
        f"{why}, {least} at most {at_most} (those of the sessions that can go there): "
        f"{most - at_most} apart"
    )
    return [Floor(("site_balance",), weight * (most - at_most), message)]


def _uneven_split_floor(sites: tuple[str, ...], total: int, unit: int, weight: int) -> list[Floor]:
    """Every site's slots are a multiple of `unit`, the sessions' common length (1 when one
    session fills a slot), so when `total` slots cannot be shared out evenly in such units the
    busiest site hosts one unit more than the least busy: e.g. 29 session slots over two
    sites."""
    if (total // unit) % len(sites) == 0:
        return []
    what = (
        f"the {count_of(total, 'session slot')}"
        if unit == 1
        else f"the {count_of(total, 'session slot')}, each session {unit} slots long or a "
        "multiple of it,"
    )
    message = f"{what} cannot be shared out evenly over {len(sites)} sites: {unit} apart at least"
    return [Floor(("site_balance",), weight * unit, message)]
