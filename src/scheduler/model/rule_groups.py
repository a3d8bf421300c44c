"""Rule groups: the hard rules of one family about one entity, and which of them reject a
placement (`rejecting_groups`). `model.conflict_search` relaxes or enforces each group as a whole.

The hard rules are grouped by (rule family, entity), e.g. ("teacher_availability", "V3") or
("ue_window", "UE4"); placement filters reject placements, constraint rules name their
group when `model.hard_rules` builds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler.data.domains import Placement, after_the_past, matches_pins, spans_into
from scheduler.data.instance_calendar import DateRule
from scheduler.data.precedence import event_precedence_bounds
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.model.hard_rules import profile_name


@dataclass(frozen=True, order=True)
class RuleGroup:
    """The hard rules of one family about one entity, relaxed or enforced together."""

    family: str
    entity: str

    def __str__(self) -> str:
        return f"{self.family}[{self.entity}]"


def _scope(p: Problem, s: Session, attribute: str) -> str:
    """The UE id when the session takes `attribute` (window, sites) from its UE, else the series."""
    ue_value = getattr(p.ue[s.ue], attribute)
    return s.ue if ue_value is not None and ue_value == getattr(s, attribute) else s.series_id


def _profiles(p: Problem, a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    """Names of the student profiles holding a group of `a` and a group of `b`."""
    return [profile_name(pr) for pr in p.profiles if pr.intersection(a) and pr.intersection(b)]


def _matches(rules: tuple[DateRule, ...], c: Placement) -> bool:
    return any(r.matches(d.date, d.weekday, d.slot) for r in rules for d in c.slots)


def _event_groups(p: Problem, c: Placement) -> set[RuleGroup]:
    s, found = c.session, set()
    for occ in p.event_occurrences:
        if occ.date != c.start.date:
            continue
        e = occ.event
        if spans_into(c, occ.date, occ.start, occ.end):
            found |= {RuleGroup("room_double_booking", c.room)} if c.room in e.rooms else set()
            found |= {
                RuleGroup("teacher_double_booking", t) for t in set(s.teachers) & set(e.teachers)
            }
            found |= {
                RuleGroup("group_double_booking", n) for n in _profiles(p, s.groups, e.groups)
            }
        if e.site is not None and p.area[e.site] != p.area[c.site]:
            found |= {
                RuleGroup("teacher_one_site_per_day", t) for t in set(s.teachers) & set(e.teachers)
            }
            found |= {
                RuleGroup("group_one_site_per_day", n) for n in _profiles(p, s.groups, e.groups)
            }
    return found


def _precedence_groups(p: Problem, c: Placement) -> set[RuleGroup]:
    first, last = c.slots[0], c.slots[-1]
    return {
        RuleGroup("precedence", str(i))  # its index, as the loader numbers it
        for i, after_end, before_start in event_precedence_bounds(p, c.session)
        if (after_end is not None and (first.date, first.start) < after_end)
        or (before_start is not None and (last.date, last.end) > before_start)
    }


def rejecting_groups(p: Problem, c: Placement) -> set[RuleGroup]:
    """The rule groups that forbid placement `c` (empty when every domain filter allows it)."""
    s = c.session
    found: set[RuleGroup] = set()
    if s.window is not None and not s.window.contains(c.start.date):
        found.add(RuleGroup("ue_window", _scope(p, s, "window")))
    if s.sites is not None and c.site not in s.sites:
        found.add(RuleGroup("allowed_sites", _scope(p, s, "sites")))
    room = p.room[c.room]
    if not p.capacity_is_soft and room.capacity < p.headcount(s):
        found.add(RuleGroup("room_capacity", s.series_id))
    if not set(s.room_features) <= set(room.features):
        found.add(RuleGroup("room_features", s.series_id))
    if _matches(room.unavailable, c):
        found.add(RuleGroup("room_availability", c.room))
    for tid in s.teachers:
        t = p.teacher[tid]
        outside = t.available_only and not all(
            any(r.matches(d.date, d.weekday, d.slot) for r in t.available_only) for d in c.slots
        )
        if outside or _matches(t.unavailable, c):
            found.add(RuleGroup("teacher_availability", tid))
    if _matches(s.unavailable, c):
        found.add(RuleGroup("series_availability", s.series_id))
    if not matches_pins(p, c):
        found.add(RuleGroup("pin", s.id))
    if not after_the_past(p, c):  # a re-solve's instance, read alone (`explain rev-1/...`)
        found.add(RuleGroup("past", f"{s.series_id}@{p.instance.frozen_before}"))
    return found | _event_groups(p, c) | _precedence_groups(p, c)


Rejecter = Callable[[Placement], set[RuleGroup]]
