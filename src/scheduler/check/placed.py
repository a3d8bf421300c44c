"""Resolution of a timetable's assignments into placed sessions, done once for every check.

An assignment is resolved when it names a known session and room and a usable dated slot
from which the session's length fits. Unresolved assignments are reported by the
`placement` and `slot_allowed` checks, and by `pin` (a pin compares what the assignment
says); when a session is assigned several times, the first resolved assignment stands for it
in every other check.

The helpers here restate the definitions of docs/rules.md (rule matching, occupied slots,
overlap with a fixed event, ISO weeks) without using the solver's pre-filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from scheduler.data.calendar import DatedSlot
from scheduler.data.instance_calendar import DateRule
from scheduler.data.problem import EventOccurrence, Problem
from scheduler.data.sessions import Session
from scheduler.data.types import Moment
from scheduler.data.words import format_span
from scheduler.solution import Assignment

WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Placed:
    """A session resolved from its assignment: the dated slots it occupies, its room and site."""

    session: Session
    assignment: Assignment
    slots: tuple[DatedSlot, ...]
    room: str
    site: str

    @property
    def id(self) -> str:
        return self.session.id

    @property
    def date(self) -> date:
        return self.slots[0].date

    @property
    def begins(self) -> Moment:
        return (self.slots[0].date, self.slots[0].start)

    @property
    def ends(self) -> Moment:
        return (self.slots[-1].date, self.slots[-1].end)

    @property
    def week(self) -> tuple[int, int]:
        return iso_week(self.date)

    @property
    def when(self) -> str:
        """Date and occupied slot ids, e.g. `2026-09-19 (SAT-AM+SAT-PM)`."""
        return f"{self.date.isoformat()} ({'+'.join(s.slot for s in self.slots)})"


@dataclass(frozen=True)
class Timetable:
    """The assignments as given, and the placed sessions resolved from them (problem order)."""

    assignments: tuple[Assignment, ...]
    placed: tuple[Placed, ...]

    @cached_property
    def by_session(self) -> dict[str, Placed]:
        return {p.id: p for p in self.placed}


def occupied_slots(
    problem: Problem, start: DatedSlot, length: int, *, closed_too: bool = False
) -> tuple[DatedSlot, ...] | None:
    """The `length` usable slots of one date, consecutive in the weekday's pattern, from `start`
    (with `closed_too`, closed ones and those outside the calendar count as well, and a
    length running past the day's last slot holds the slots the day has: a review)."""
    weekday = WEEKDAY_IDS[start.date.weekday()]
    pattern = sorted(
        (s.start, s.id) for s in problem.instance.calendar.slots if s.weekday == weekday
    )
    ids = [slot_id for _, slot_id in pattern]
    if start.slot not in ids:
        return None
    first = ids.index(start.slot)
    wanted = ids[first : first + length]
    if len(wanted) < length and not closed_too:  # placed by hand: the slots the day has
        return None
    found = [
        problem.any_slot(start.date, slot_id)
        if closed_too
        else problem.slot_by_key.get((start.date, slot_id))
        for slot_id in wanted
    ]
    if any(d is None for d in found):
        return None
    return tuple(d for d in found if d is not None)


def resolve_one(problem: Problem, a: Assignment) -> Placed | None:
    """The placed session an assignment stands for, or None when it cannot be resolved. A
    session on a closed slot or outside the calendar is resolved too: `slot_allowed`
    reports it, and the other rules still see the session (it used to vanish from them: a
    left-alone item, an audit)."""
    session = problem.session.get(a.session)
    site = problem.room_site.get(a.room)
    start = problem.any_slot(a.date, a.slot)
    if session is None or site is None or start is None:
        return None
    slots = occupied_slots(problem, start, session.length, closed_too=True)
    return None if slots is None else Placed(session, a, slots, a.room, site)


def resolve(problem: Problem, assignments: Iterable[Assignment]) -> Timetable:
    """Resolve every assignment; keep the first resolved one of each session."""
    given = tuple(assignments)
    found: dict[str, Placed] = {}
    for a in given:
        placed = resolve_one(problem, a)
        if placed is not None and placed.id not in found:
            found[placed.id] = placed
    order = {s.id: i for i, s in enumerate(problem.sessions)}
    return Timetable(given, tuple(sorted(found.values(), key=lambda p: order[p.id])))


# --- shared definitions ------------------------------------------------------------------
def iso_week(day: date) -> tuple[int, int]:
    """ISO (year, week) of a date."""
    iso = day.isocalendar()
    return (iso.year, iso.week)


def week_label(week: tuple[int, int]) -> str:
    """An ISO week as `2026-W41` (the entity of a cost term or violation)."""
    return f"{week[0]}-W{week[1]:02d}"


def week_words(week: tuple[int, int]) -> str:
    """An ISO week for people, its days with its label: `5–11 Oct 2026 (2026-W41)` (an
    audit: managers do not know ISO week numbers)."""
    monday = date.fromisocalendar(week[0], week[1], 1)
    return f"{format_span(monday, monday + timedelta(days=6))} ({week_label(week)})"


def is_weekend(day: date) -> bool:
    """True for Saturdays and Sundays."""
    return day.weekday() >= 5


def day_label(day: date) -> str:
    """A date with its weekday, e.g. `Saturday 2027-03-13`."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.isoformat()}"


def rule_matches(rule: DateRule, slot: DatedSlot) -> bool:
    """A date rule matches a dated slot when all the fields it gives match."""
    day = slot.date
    return (
        (rule.date is None or rule.date == day)
        and (rule.from_ is None or rule.from_ <= day)
        and (rule.to is None or day <= rule.to)
        and (rule.weekday is None or rule.weekday == WEEKDAY_IDS[day.weekday()])
        and (rule.slots is None or slot.slot in rule.slots)
    )


def any_rule_matches(rules: Iterable[DateRule], slot: DatedSlot) -> bool:
    """True when one of `rules` matches the dated slot."""
    return any(rule_matches(r, slot) for r in rules)


def slot_overlaps(slot: DatedSlot, occ: EventOccurrence) -> bool:
    """True when a dated slot overlaps a fixed event's [start, end) on the same date."""
    return slot.date == occ.date and slot.start < occ.end and occ.start < slot.end


def overlaps_event(p: Placed, occ: EventOccurrence) -> bool:
    """True when the session's span (its first slot's start to its last slot's end, the
    times the exports show) overlaps the event occurrence."""
    first, last = p.slots[0], p.slots[-1]
    return first.date == occ.date and first.start < occ.end and occ.start < last.end


def profile_label(problem: Problem, profile: frozenset[str]) -> str:
    """A student profile as its groups in instance order, e.g. `COHORT+OPT-SE+APP1`."""
    return "+".join(g.id for g in problem.instance.groups if g.id in profile)


def headcount(problem: Problem, session: Session) -> int:
    """Students of a session: its series' `size` when given, else the sizes of its groups but
    those listed with a group they are part of (its students already)."""
    if session.size is not None:
        return session.size
    listed = set(session.groups)
    return sum(problem.group[g].size for g in session.groups if not listed & _ancestors(problem, g))


def _ancestors(problem: Problem, group: str) -> set[str]:
    """The groups `group` is part of, directly or not."""
    found: set[str] = set()
    parent = problem.group[group].part_of
    while parent is not None and parent not in found:
        found.add(parent)
        parent = problem.group[parent].part_of
    return found


def capacity_is_soft(problem: Problem) -> bool:
    """True when `preferences.room_capacity` makes room capacity a soft rule."""
    return problem.instance.preferences.room_capacity == "soft"


def concerns(groups: Iterable[str], profile: frozenset[str]) -> bool:
    """True when one of `groups` is in the profile."""
    return any(g in profile for g in groups)
