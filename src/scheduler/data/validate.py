"""Cross-reference checks of an instance, one function per invariant (those of ids in
`validate_ids`, of what names sessions in `validate_sessions`, of rooms in `validate_rooms`
and of the time zone in `validate_timezone`).

Each raises `ValueError` with a message naming the entity and the field; the loader adds the
file name. They run once, when the `Instance` model is built.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Set
from functools import partial
from typing import TYPE_CHECKING

from scheduler.data.groups import ancestors
from scheduler.data.types import (
    WEEKDAYS,
    closest_spelling,
    minutes,
)
from scheduler.data.validate_ids import (
    listed_once,
    names_distinct,
    references_unambiguous,
    unique_ids,
    unknown,
    unknown_site,
)
from scheduler.data.validate_rooms import rooms_can_host
from scheduler.data.validate_sessions import (
    dropped_references,
    pin_references,
    precedence_references,
    reordered_references,
    session_teachers_references,
)
from scheduler.data.validate_timezone import timezone_given, timezone_known
from scheduler.rules import SOFT_RULES

if TYPE_CHECKING:
    from scheduler.data.instance import FixedEvent, Instance, Site
    from scheduler.data.instance_calendar import DateRule


def lists_without_repeats(inst: Instance) -> None:
    """A UE, series or fixed event names each teacher, group, room or date once (a teacher
    listed twice would clash with itself)."""
    for ue in inst.ues:
        listed_once(f"ue '{ue.id}'", "teachers", ue.teachers)
        listed_once(f"ue '{ue.id}'", "groups", ue.groups)
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}'"
            listed_once(where, "teachers", series.teachers or ())
            listed_once(where, "groups", series.groups or ())
    for e in inst.fixed_events:
        event_lists_once(e)


def event_lists_once(e: FixedEvent) -> None:
    """A fixed event names each teacher, group, room and date once."""
    for field in ("teachers", "groups", "rooms", "dates"):
        listed_once(f"fixed event '{e.id}'", field, (str(v) for v in getattr(e, field)))


def counts_fit_calendar(inst: Instance) -> None:
    """No series needs more slots than the calendar's weekly pattern offers in all (checked
    before anything expands the sessions: a count of 10^9 would fill the memory)."""
    per_weekday = Counter(s.weekday for s in inst.calendar.slots)
    days = (inst.calendar.end - inst.calendar.start).days + 1
    total = 0
    for offset in range(min(days, 7)):  # dates of each weekday in the calendar, times its slots
        day = inst.calendar.start + dt.timedelta(days=offset)
        total += per_weekday[WEEKDAYS[day.weekday()]] * len(range(offset, days, 7))
    for ue in inst.ues:
        for series in ue.sessions:
            if series.count * series.length > total:
                raise ValueError(
                    f"ue '{ue.id}' series '{series.series}' count: {series.count} sessions of "
                    f"{series.length} slot(s), but the calendar's weekly slots give {total} from "
                    "its start to its end, before holidays and closures"
                )


def slot_pattern_consistent(inst: Instance) -> None:
    """Slots of one weekday do not overlap."""
    by_day: dict[str, list[tuple[int, int, str]]] = {}
    for s in inst.calendar.slots:
        by_day.setdefault(s.weekday, []).append((minutes(s.start), minutes(s.end), s.id))
    for spans in by_day.values():
        spans.sort()
        for (_, end, a), (start, _, b) in itertools.pairwise(spans):
            if start < end:
                raise ValueError(f"calendar.slots: slot '{b}' overlaps slot '{a}'")


def _rule_slots(where: str, rules: Iterable[DateRule], slot_ids: set[str]) -> None:
    for rule in rules:
        for slot in rule.slots or ():
            if slot not in slot_ids:
                raise ValueError(f"{where}: {unknown('slot', slot, slot_ids)}")


def slot_references(inst: Instance) -> None:
    """Every slot named by a closure or an availability rule is in the pattern."""
    ids = {s.id for s in inst.calendar.slots}
    for i, closure in enumerate(inst.calendar.closures):
        for slot in closure.slots or ():
            if slot not in ids:
                raise ValueError(f"calendar.closures[{i}].slots: {unknown('slot', slot, ids)}")
    for t in inst.teachers:
        _rule_slots(f"teacher '{t.id}' unavailable", t.unavailable, ids)
        _rule_slots(f"teacher '{t.id}' available_only", t.available_only, ids)
        _rule_slots(f"teacher '{t.id}' avoid", t.avoid, ids)
    for site in inst.sites:
        for room in site.rooms:
            _rule_slots(f"room '{room.id}' unavailable", room.unavailable, ids)
    for ue in inst.ues:
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}' unavailable"
            _rule_slots(where, series.unavailable, ids)


def group_tree(inst: Instance) -> None:
    """`part_of` names a known group and the groups form trees (no cycle)."""
    ids = {g.id for g in inst.groups}
    parent = {g.id: g.part_of for g in inst.groups}
    for g in inst.groups:
        if g.part_of is not None and g.part_of not in ids:
            others = ids - {g.id}  # a group cannot be part of itself: not offered as a fix
            raise ValueError(f"group '{g.id}' part_of: {unknown('group', g.part_of, others)}")
        chain = ancestors(g.id, parent)
        if parent.get(chain[-1]) is not None:
            raise ValueError(f"group '{g.id}' part_of: the groups form a cycle")


def teacher_references(inst: Instance) -> None:
    """A teacher's home site is a known site."""
    sites = {s.id for s in inst.sites}
    for t in inst.teachers:
        if t.home_site is not None and t.home_site not in sites:
            raise ValueError(f"teacher '{t.id}' home_site: {unknown_site(t.home_site, inst.sites)}")


def _owner(ue: str, series: str, own: object) -> str:
    """Where a value a series may inherit is written: the series when it has its own (`own`
    not None), else its UE (an audit's unknown teacher on a UE was said to be its series')."""
    return f"ue '{ue}' series '{series}'" if own is not None else f"ue '{ue}'"


def ue_references(inst: Instance) -> None:
    """UEs and series name known teachers, groups and sites, and have at least one group
    unless a series says `groups: []` (e.g. a CB-CTT course in no curriculum)."""
    teachers, groups = {t.id for t in inst.teachers}, {g.id for g in inst.groups}
    sites = {s.id for s in inst.sites}
    for ue in inst.ues:
        for series in ue.sessions:
            owner = partial(_owner, ue.id, series.series)
            for tid in series.teachers if series.teachers is not None else ue.teachers:
                if tid not in teachers:
                    raise ValueError(
                        f"{owner(series.teachers)} teachers: {unknown('teacher', tid, teachers)}"
                    )
            chosen = series.groups if series.groups is not None else ue.groups
            if not chosen and series.groups is None:  # `groups: []` on a series: on purpose
                raise ValueError(  # said at the UE, where groups are usually set (an audit)
                    f"ue '{ue.id}' groups: no attending group for its series "
                    f"'{series.series}' (set groups on the UE or the series; `groups: []` on "
                    "the series if no student group attends it)"
                )
            for gid in chosen:
                if gid not in groups:
                    raise ValueError(
                        f"{owner(series.groups)} groups: {unknown('group', gid, groups)}"
                    )
            for sid in (series.sites if series.sites is not None else ue.sites) or ():
                if sid not in sites:
                    raise ValueError(
                        f"{owner(series.sites)} sites: {unknown_site(sid, inst.sites)}"
                    )


def fixed_event_references(inst: Instance) -> None:
    """Fixed events name a known site, rooms of that site, known groups and teachers."""
    sites = {s.id: s for s in inst.sites}
    teachers, groups = {t.id for t in inst.teachers}, {g.id for g in inst.groups}
    for e in inst.fixed_events:
        event_references(e, sites, teachers, groups)
        _event_days_near(e, inst.calendar.start, inst.calendar.end)


FAR_YEARS = 10  # an event day this far from the calendar is a typo (9999-12-31)


def _event_days_near(e: FixedEvent, start: dt.date, end: dt.date) -> None:
    """A fixed event's days lie within `FAR_YEARS` of the calendar: a day in year 9999 broke
    the calendars' time-zone rules (a fuzz audit's traceback); nearer days far out are warned
    of by the pre-flight."""
    far = [d for d in e.dates if d.year < start.year - FAR_YEARS or d.year > end.year + FAR_YEARS]
    if far:
        raise ValueError(
            f"fixed event '{e.id}' dates: {far[0]} is more than {FAR_YEARS} years from the "
            f"calendar ({start} to {end}): a typo?"
        )


def room_elsewhere(room: str, at: str, site: str, rooms: Iterable[str]) -> str:
    """`room 'M-AUD' is at MONS, not at the event's site NAMUR (its rooms: N-AUD, ...)`."""
    listed = ", ".join(sorted(rooms)) or "none"
    return f"room '{room}' is at {at}, not at the event's site {site} (its rooms: {listed})"


def event_references(
    e: FixedEvent, sites: Mapping[str, Site], teachers: Set[str], groups: Set[str]
) -> None:
    """One fixed event's site, rooms (of that site), groups and teachers are known."""
    where = f"fixed event '{e.id}'"
    if e.site is not None:  # none: online, abroad or a deadline, without rooms
        if e.site not in sites:
            raise ValueError(f"{where} site: {unknown_site(e.site, sites.values())}")
        rooms = {r.id for r in sites[e.site].rooms}
        for rid in e.rooms:
            at = next((s.id for s in sites.values() if rid in {r.id for r in s.rooms}), None)
            if at is not None and rid not in rooms:  # "unknown" misled: it is known (an audit)
                raise ValueError(f"{where} rooms: {room_elsewhere(rid, at, e.site, rooms)}")
            if rid not in rooms:
                raise ValueError(f"{where} rooms: {unknown(f'room at {e.site}', rid, rooms)}")
    for gid in e.groups:
        if gid not in groups:
            raise ValueError(f"{where} groups: {unknown('group', gid, groups)}")
    for tid in e.teachers:
        if tid not in teachers:
            raise ValueError(f"{where} teachers: {unknown('teacher', tid, teachers)}")


# Weight times penalty units, summed over a whole timetable, must stay within CP-SAT's 64-bit
# integer objective: a weight of 10^15 on the sample made its search end at once with no
# timetable. 10^9 is 50 million times the largest default weight (20): far more than any
# priority needs.
MAX_WEIGHT = 10**9


def weights_known(inst: Instance) -> None:
    """Weights name known soft rules, are not negative and not above `MAX_WEIGHT`."""
    for name, value in inst.weights.items():
        if name not in SOFT_RULES:
            raise ValueError(
                f"weights: unknown soft rule {name!r} ({_rule_meant(name)}known: "
                f"{', '.join(sorted(SOFT_RULES))})"
            )
        if value < 0:
            raise ValueError(
                f"weights {name}: a whole number from 0 (the rule switched off) to "
                f"{MAX_WEIGHT:,}, got {value}"
            )
        if value > MAX_WEIGHT:
            raise ValueError(
                f"weights {name}: at most {MAX_WEIGHT:,} (larger weights overflow the solver's "
                f"objective), got {value:,}"
            )


def _rule_meant(name: str) -> str:
    """`did you mean 'weekly_load'? ` for `Weekly-Load` or `weekly_lod`, else '': the rules
    are few enough to list, and a close one among 16 went unseen (an audit)."""
    folded = "_".join(name.strip().lower().replace("-", " ").split())
    close = folded if folded in SOFT_RULES else closest_spelling(folded, SOFT_RULES)
    return f"did you mean '{close}'? " if close else ""


INVARIANTS = (
    unique_ids,
    names_distinct,
    lists_without_repeats,
    counts_fit_calendar,
    timezone_known,
    timezone_given,
    slot_pattern_consistent,
    slot_references,
    group_tree,
    teacher_references,
    ue_references,
    session_teachers_references,
    rooms_can_host,
    fixed_event_references,
    references_unambiguous,
    dropped_references,
    precedence_references,
    pin_references,
    reordered_references,
    weights_known,
)


def validate_instance(inst: Instance) -> None:
    """Run every cross-reference check; the first failure raises `ValueError`."""
    for invariant in INVARIANTS:
        invariant(inst)
