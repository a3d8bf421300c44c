"""The `saturday_opening` part of the data's floors (`model.data_bound`): the weekend days
that sessions open whatever the timetable, beyond the days fixed events open.

- each weekend date some session may only fall on (a pin) that no fixed event opens;
- one weekend day per session of the group that needs most beyond those: a series whose
  sessions may only fall on weekends and on distinct days, sessions that each fill a
  weekend day and share students or a teacher (a greedy clique), or one session alone that
  may only fall on a weekend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from scheduler.check.placed import day_label
from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.model.soft_rules import WEEKEND
from scheduler.model.variables import Variables
from scheduler.solution import Floor


def weekend_opening_floors(v: Variables, weight: int) -> list[Floor]:
    """The weekend days the sessions of one group open, when they may only fall on a weekend
    and on distinct days: a series' (`Problem.distinct_day_series`), or sessions that each fill
    a weekend day and share people (`_sharing_clique`). One (date, site) each, less the dates a
    fixed event opens one of their sites (counted term by term); the group needing most, since
    another may share its days. An audit's workshops of two slots, which only a Saturday
    holds, opened four Saturdays "unavoidable" said nothing of."""
    p = v.problem
    weekend, weekday, part_day = _weekend_places(v)
    events = {(o.date, site) for o, site in p.event_site_days}
    forced = _forced_weekend_days(weekend, weekday, events)
    out = [_pinned_floor(forced, weight)] if forced else []
    best: tuple[int, int, str, list[str]] | None = None
    for key, only in _weekend_groups(p, weekend, weekday, part_day):
        shared = set().union(*(weekend[sid] for sid in only)) & events
        need = len(only) - len({day for day, _ in shared})  # one session a day at most
        # the days forced anyway (pins) it may share: beyond them, days of its own
        own = need - len(set(forced) & {day for sid in only for day, _ in weekend[sid]})
        if need > 0 and own > 0 and (best is None or own > best[0]):
            best = (own, need, key, only)
    return out if best is None else [*out, _group_floor(*best, weight)]


def _weekend_places(v: Variables) -> tuple[dict[str, set[tuple[date, str]]], set[str], set[str]]:
    """Each session's weekend (date, site) places; the sessions a weekday may hold; those a
    weekend place holds without filling its day."""
    weekend: dict[str, set[tuple[date, str]]] = defaultdict(set)
    weekday: set[str] = set()
    part_day: set[str] = set()  # may take part of a weekend day only
    for c in v.x:
        if c.start.weekday in WEEKEND:
            weekend[c.session.id].add((c.start.date, c.site))
            if not v.problem.fills_day(c.start, c.session.length):
                part_day.add(c.session.id)
        else:
            weekday.add(c.session.id)
    return weekend, weekday, part_day


def _weekend_groups(
    p: Problem, weekend: Mapping[str, set[tuple[date, str]]], weekday: set[str], part_day: set[str]
) -> list[tuple[str, list[str]]]:
    """The sessions that may only fall on a weekend and on distinct days, with the series
    that says so ("" for none): each series of distinct days, the most sessions filling a
    day that share people, and each session alone."""
    groups = [
        (key, [s.id for s in p.chains[key] if s.id in weekend and s.id not in weekday])
        for key in sorted(set(p.distinct_day_series.values()))
    ]
    not_whole = weekday | part_day
    clique = _sharing_clique(p, [sid for sid in sorted(weekend) if sid not in not_whole])
    if len(clique) > 1:
        groups.append(("", clique))  # no series: said by their sessions
    # any one session that may only fall on a weekend opens a day, unless an event opens one
    # of its own (a mutation audit's two workshops, each of its own students, opened one
    # Saturday unsaid)
    return groups + [("", [sid]) for sid in sorted(weekend) if sid not in weekday]


def _pinned_floor(forced: Mapping[date, str], weight: int) -> Floor:
    """The weekend days sessions are pinned to that no fixed event opens (an audit's two
    sessions pinned to Saturdays: "the data forces no cost")."""
    if len(forced) == 1:
        ((day, sid),) = forced.items()
        words = f"{day_label(day)}: the only date {sid} may fall on, which no fixed event opens"
    else:
        named = ", ".join(f"{sid} on {day_label(day)}" for day, sid in sorted(forced.items()))
        words = (
            f"{count_of(len(forced), 'weekend day')} no fixed event opens, each the only "
            f"date of a session ({named})"
        )
    return Floor(("saturday_opening",), weight * len(forced), words)


def _group_floor(own: int, need: int, key: str, only: list[str], weight: int) -> Floor:
    """The days of their own that `only` (of series `key`) open: `need` beyond what fixed
    events open, `own` beyond the pinned days too."""
    named = ", ".join(only) if len(only) <= 3 else f"{only[0]}, ..., {only[-1]}"
    # a review: "beyond those a fixed event opens" was said where only pins lowered it
    beyond = [
        *(["those a fixed event opens"] if len(only) > need else []),
        *(["those above"] if need > own else []),
    ]
    said = f" beyond {' and '.join(beyond)}" if beyond else ""
    each = ", each on its own day" if len(only) > 1 else ""
    if not key and len(only) > 1:
        each = ", each filling its day and sharing students or a teacher with each other, so each on its own day"
    head = f"{key}: " if key else ""
    message = (
        f"{head}{count_of(len(only), 'session')} ({named}) may only fall on a weekend{each}: "
        f"{count_of(own, 'weekend day')} opened{said} at least"
    )
    return Floor(("saturday_opening",), weight * own, message)


def _sharing_clique(p: Problem, sessions: list[str]) -> list[str]:
    """The most of `sessions` that pairwise share students or a teacher (a greedy pass from
    each in turn): sessions that each fill a whole weekend day and share people fall on
    distinct days (a cost audit: the sample's two full Saturdays of its seminar, each of its
    own series, forced two openings unsaid)."""

    def meet(a: str, b: str) -> bool:
        x, y = p.session[a], p.session[b]
        return bool(set(x.teachers) & set(y.teachers)) or p.groups_conflict(x.groups, y.groups)

    best: list[str] = []
    for first in sessions:
        clique = [first]
        for sid in sessions:
            if sid != first and all(meet(sid, other) for other in clique):
                clique.append(sid)
        if len(clique) > len(best):
            best = clique
    return best


def _forced_weekend_days(
    weekend: Mapping[str, set[tuple[date, str]]],
    weekday: set[str],
    events: set[tuple[date, str]],
) -> dict[date, str]:
    """The weekend dates some session may only fall on (a pin), where no fixed event opens
    a site it may use that day: each opens a site whatever the timetable. By date, the
    first such session."""
    forced: dict[date, str] = {}
    for sid in sorted(weekend):
        days = {day for day, _ in weekend[sid]}
        if sid in weekday or len(days) != 1 or weekend[sid] & events:
            continue
        forced.setdefault(next(iter(days)), sid)
    return forced
