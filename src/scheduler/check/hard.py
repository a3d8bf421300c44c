"""Hard rules of docs/rules.md that concern single placements and double bookings.

Each `check_<rule>` states its rule in its docstring and returns the violations it finds.
The rules about time (weekly maxima, sites per day, order, precedence, pins) are in
`hard_time.py`; `HARD_CHECKS` lists them all in the order of `scheduler.rules.HARD_RULES`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from itertools import combinations

from scheduler.check.hard_time import (
    check_group_one_site_per_day,
    check_group_weekly_max,
    check_min_days_between,
    check_past,
    check_pin,
    check_precedence,
    check_series_order,
    check_teacher_one_site_per_day,
    check_teacher_weekly_max,
)
from scheduler.check.placed import (
    WEEKDAY_IDS,
    WEEKDAY_NAMES,
    Placed,
    Timetable,
    any_rule_matches,
    capacity_is_soft,
    concerns,
    day_label,
    headcount,
    occupied_slots,
    overlaps_event,
    profile_label,
)
from scheduler.check.report import Violation
from scheduler.data.calendar import DatedSlot
from scheduler.data.problem import EventOccurrence, Problem
from scheduler.data.words import teacher_label

HardCheck = Callable[[Problem, Timetable], list[Violation]]


def check_placement(problem: Problem, tt: Timetable) -> list[Violation]:
    """Every session is placed exactly once, and each assignment names a known session and room."""
    rule = "placement"
    out: list[Violation] = []
    dropped = set(problem.instance.dropped)
    for a in tt.assignments:
        if a.session in dropped:  # it read "not a session of the instance" (an audit)
            words = f"{a.session} was dropped (the instance's `dropped`): it is no longer given"
            out.append(Violation(rule, (a.session,), words))
        elif a.session not in problem.session:
            out.append(
                Violation(rule, (a.session,), f"{a.session} is not a session of the instance")
            )
        if a.room not in problem.room:
            out.append(
                Violation(
                    rule, (a.session, a.room), f"{a.session} is placed in unknown room {a.room}"
                )
            )
    counts = Counter(a.session for a in tt.assignments)
    for s in problem.sessions:
        if counts[s.id] == 0:
            out.append(Violation(rule, (s.id,), f"{s.id} is not placed"))
        elif counts[s.id] > 1:
            where = ", ".join(
                f"{day_label(a.date)} {a.slot} {a.room}"
                for a in tt.assignments
                if a.session == s.id
            )
            out.append(Violation(rule, (s.id,), f"{s.id} is placed {counts[s.id]} times: {where}"))
    return out


def check_slot_allowed(problem: Problem, tt: Timetable) -> list[Violation]:
    """A session starts at a usable dated slot and its length fits from there on that date."""
    closed = {(c.date, c.slot): c.reason for c in problem.closed}
    out: list[Violation] = []
    for a in tt.assignments:
        where = f"{a.date.isoformat()} ({a.slot})"
        entities = (a.session, a.date.isoformat(), a.slot)
        start = problem.slot_by_key.get((a.date, a.slot))
        session = problem.session.get(a.session)
        if start is None:
            reason = closed.get((a.date, a.slot))
            why = f"is closed ({reason})" if reason else _not_a_slot(problem, a.date, a.slot)
            out.append(
                Violation("slot_allowed", entities, f"{a.session} starts at {where}, which {why}")
            )
        elif session is not None and occupied_slots(problem, start, session.length) is None:
            out.append(
                Violation(
                    "slot_allowed",
                    entities,
                    _unfit(problem, a.session, start, session.length, closed),
                )
            )
    return out


def _not_a_slot(problem: Problem, day: date, slot_id: str) -> str:
    """Why (`day`, `slot_id`) is no teaching slot: the calendar has no such slot, it is a
    slot of another weekday, or the date is outside the calendar (an audit: one wording
    for the three)."""
    words = "is not a teaching slot of the calendar"
    calendar = problem.instance.calendar
    slot = next((s for s in calendar.slots if s.id == slot_id), None)
    if slot is None:
        return f"{words}: it has no slot {slot_id}"
    weekday = WEEKDAY_IDS.index(slot.weekday)
    if weekday != day.weekday():
        return (
            f"{words}: {slot_id} is a {WEEKDAY_NAMES[weekday]} slot and {day.isoformat()} a "
            f"{WEEKDAY_NAMES[day.weekday()]}"
        )
    if day < calendar.start:
        return f"{words}: it starts on {calendar.start.isoformat()}"
    return f"{words}: it ends on {calendar.end.isoformat()}"


def _unfit(
    problem: Problem,
    session: str,
    start: DatedSlot,
    length: int,
    closed: dict[tuple[date, str], str],
) -> str:
    """Why a session of `length` slots does not fit from an open `start`: a later slot it
    runs into is closed, or the day's pattern ends first."""
    where = f"{start.date.isoformat()} ({start.slot})"
    runs = occupied_slots(problem, start, length, closed_too=True)
    shut = [s for s in runs or () if (s.date, s.slot) in closed]
    if shut:
        return (
            f"{session} lasts {length} slots from {where}, but {shut[0].slot} that day "
            f"is closed ({closed[(shut[0].date, shut[0].slot)]})"
        )
    return f"{session} lasts {length} slots, which do not fit from {where}"


# --- double bookings ---------------------------------------------------------------------
def _common_slots(
    uses: Iterable[tuple[str, Placed]],
) -> dict[tuple[str, str, str], list[DatedSlot]]:
    """(resource, session a, session b) -> dated slots both sessions occupy with the resource."""
    by_slot: dict[tuple[str, DatedSlot], list[Placed]] = defaultdict(list)
    for resource, p in uses:
        for slot in p.slots:
            by_slot[(resource, slot)].append(p)
    pairs: dict[tuple[str, str, str], list[DatedSlot]] = defaultdict(list)
    for (resource, slot), sharing in by_slot.items():
        for a, b in combinations(sharing, 2):
            pairs[(resource, a.id, b.id)].append(slot)
    return pairs


def _slots_text(slots: list[DatedSlot]) -> str:
    return f"{slots[0].date.isoformat()} ({'+'.join(s.slot for s in slots)})"


def _event_clashes(
    problem: Problem, tt: Timetable, shared: Callable[[Placed, EventOccurrence], list[str]]
) -> list[tuple[str, Placed, EventOccurrence]]:
    """(resource, session, event occurrence) where they overlap and share the resource."""
    found: list[tuple[str, Placed, EventOccurrence]] = []
    for p in tt.placed:
        for occ in problem.event_occurrences:
            if overlaps_event(p, occ):
                found.extend((resource, p, occ) for resource in shared(p, occ))
    return found


def _event_text(occ: EventOccurrence) -> str:
    return f"fixed event {occ.event.id} ({occ.date.isoformat()} {occ.start:%H:%M}-{occ.end:%H:%M})"


def check_teacher_double_booking(problem: Problem, tt: Timetable) -> list[Violation]:
    """A teacher never has two sessions in one dated slot, nor a session over their events."""
    rule = "teacher_double_booking"
    uses = [(t, p) for p in tt.placed for t in dict.fromkeys(p.session.teachers)]
    out = [
        Violation(
            rule,
            (t, a, b, slots[0].date.isoformat()),
            f"{teacher_label(problem, t)} teaches {a} and {b} at {_slots_text(slots)}",
        )
        for (t, a, b), slots in _common_slots(uses).items()
    ]
    clashes = _event_clashes(
        problem, tt, lambda p, o: [t for t in p.session.teachers if t in o.event.teachers]
    )
    out.extend(
        Violation(
            rule,
            (t, p.id, o.event.id, o.date.isoformat()),
            f"{teacher_label(problem, t)} teaches {p.id} at {p.when}, during {_event_text(o)}",
        )
        for t, p, o in clashes
    )
    return out


def check_room_double_booking(problem: Problem, tt: Timetable) -> list[Violation]:
    """A room never hosts two sessions in one dated slot, nor a session over an event in it."""
    rule = "room_double_booking"
    out = [
        Violation(
            rule,
            (r, a, b, slots[0].date.isoformat()),
            f"room {r} hosts {a} and {b} at {_slots_text(slots)}",
        )
        for (r, a, b), slots in _common_slots((p.room, p) for p in tt.placed).items()
    ]
    clashes = _event_clashes(problem, tt, lambda p, o: [p.room] if p.room in o.event.rooms else [])
    out.extend(
        Violation(
            rule,
            (r, p.id, o.event.id, o.date.isoformat()),
            f"room {r} hosts {p.id} at {p.when}, during {_event_text(o)}",
        )
        for r, p, o in clashes
    )
    return out


def _who_shares(tt: Timetable, profile: frozenset[str], a: str, b: str) -> str:
    """`A and B both have students of COHORT`, or `A (COHORT) and B (OPT-SE) share students`:
    the sessions' own groups, where a student profile's label (`COHORT+OPT-SE+APP1`) named
    groups neither session has (an audit)."""
    ga, gb = ([g for g in tt.by_session[x].session.groups if g in profile] for x in (a, b))
    if ga == gb:
        return f"{a} and {b} both have students of {', '.join(ga)}"
    return f"{a} ({', '.join(ga)}) and {b} ({', '.join(gb)}) share students"


def check_group_double_booking(problem: Problem, tt: Timetable) -> list[Violation]:
    """Sessions (and fixed events) whose groups may share students never overlap."""
    rule = "group_double_booking"
    labels = [profile_label(problem, prof) for prof in problem.profiles]
    uses = [
        (label, p)
        for p in tt.placed
        for label, prof in zip(labels, problem.profiles, strict=True)
        if concerns(p.session.groups, prof)
    ]
    profile_of = dict(zip(labels, problem.profiles, strict=True))
    out: dict[tuple[str, ...], Violation] = {}
    for (label, a, b), slots in _common_slots(uses).items():
        key = (a, b, slots[0].date.isoformat())
        msg = f"{_who_shares(tt, profile_of[label], a, b)} at {_slots_text(slots)}"
        out.setdefault(key, Violation(rule, key, msg))

    def shared(p: Placed, o: EventOccurrence) -> list[str]:
        return [
            label
            for label, prof in zip(labels, problem.profiles, strict=True)
            if concerns(p.session.groups, prof) and concerns(o.event.groups, prof)
        ]

    for label, p, o in _event_clashes(problem, tt, shared):
        key = (p.id, o.event.id, o.date.isoformat())
        msg = f"{p.id} at {p.when} has students of {label} who attend {_event_text(o)}"
        out.setdefault(key, Violation(rule, key, msg))
    return list(out.values())


# --- one placement at a time -------------------------------------------------------------
def check_teacher_availability(problem: Problem, tt: Timetable) -> list[Violation]:
    """No occupied slot matches a teacher's `unavailable` rules or lies outside `available_only`."""
    out: list[Violation] = []
    for p in tt.placed:
        for tid in dict.fromkeys(p.session.teachers):
            t = problem.teacher[tid]
            unavailable = [s.slot for s in p.slots if any_rule_matches(t.unavailable, s)]
            outside = [
                s.slot
                for s in p.slots
                if t.available_only and not any_rule_matches(t.available_only, s)
            ]
            day, who = p.date.isoformat(), teacher_label(problem, tid)
            if unavailable:
                why = f"{who} teaches {p.id} on {day} ({'+'.join(unavailable)}), when unavailable"
                out.append(Violation("teacher_availability", (p.id, tid), why))
            if outside:
                why = (
                    f"{who} teaches {p.id} on {day} ({'+'.join(outside)}), "
                    "outside their available_only windows"
                )
                out.append(Violation("teacher_availability", (p.id, tid), why))
    return out


def check_series_availability(problem: Problem, tt: Timetable) -> list[Violation]:
    """No occupied slot matches one of the `unavailable` rules of the session's series."""
    out: list[Violation] = []
    for p in tt.placed:
        bad = [s.slot for s in p.slots if any_rule_matches(p.session.unavailable, s)]
        if bad:
            msg = f"{p.id} is on {p.date.isoformat()} ({'+'.join(bad)}), when its series is unavailable"
            out.append(Violation("series_availability", (p.id, p.date.isoformat()), msg))
    return out


def check_room_capacity(problem: Problem, tt: Timetable) -> list[Violation]:
    """The room seats the session's headcount (unless room capacity is soft)."""
    out: list[Violation] = []
    if capacity_is_soft(problem):
        return out
    for p in tt.placed:
        size = headcount(problem, p.session)
        capacity = problem.room[p.room].capacity
        if capacity < size:
            msg = (
                f"{p.id} on {day_label(p.date)} has {size} students but room {p.room} seats "
                f"{capacity}"
            )
            out.append(Violation("room_capacity", (p.id, p.room), msg))
    return out


def check_room_features(problem: Problem, tt: Timetable) -> list[Violation]:
    """The room has every feature the session's series requires."""
    out: list[Violation] = []
    for p in tt.placed:
        missing = [f for f in p.session.room_features if f not in problem.room[p.room].features]
        if missing:
            msg = (
                f"{p.id} on {day_label(p.date)} needs {', '.join(missing)}, which room "
                f"{p.room} lacks"
            )
            out.append(Violation("room_features", (p.id, p.room), msg))
    return out


def check_room_availability(problem: Problem, tt: Timetable) -> list[Violation]:
    """No occupied slot matches one of the room's `unavailable` rules."""
    out: list[Violation] = []
    for p in tt.placed:
        rules = problem.room[p.room].unavailable
        bad = [s.slot for s in p.slots if any_rule_matches(rules, s)]
        if bad:
            msg = (
                f"room {p.room} is unavailable on {p.date.isoformat()} ({'+'.join(bad)}) for {p.id}"
            )
            out.append(Violation("room_availability", (p.id, p.room), msg))
    return out


def check_allowed_sites(problem: Problem, tt: Timetable) -> list[Violation]:
    """The room's site is among the session's allowed sites (series, else UE, else all)."""
    out: list[Violation] = []
    for p in tt.placed:
        allowed = p.session.sites
        if allowed is not None and p.site not in allowed:
            msg = (
                f"{p.id} on {day_label(p.date)} is at {p.site} (room {p.room}); allowed: "
                f"{', '.join(allowed)}"
            )
            out.append(Violation("allowed_sites", (p.id, p.site), msg))
    return out


def check_ue_window(problem: Problem, tt: Timetable) -> list[Violation]:
    """The session's date lies in its window (series, else UE), when it has one."""
    out: list[Violation] = []
    for p in tt.placed:
        w = p.session.window
        if w is not None and not w.from_ <= p.date <= w.to:
            msg = f"{p.id} is on {p.date.isoformat()}, outside its window {w.from_} to {w.to}"
            out.append(Violation("ue_window", (p.id, p.date.isoformat()), msg))
    return out


HARD_CHECKS: tuple[tuple[str, HardCheck], ...] = (
    ("placement", check_placement),
    ("slot_allowed", check_slot_allowed),
    ("teacher_double_booking", check_teacher_double_booking),
    ("room_double_booking", check_room_double_booking),
    ("group_double_booking", check_group_double_booking),
    ("teacher_availability", check_teacher_availability),
    ("teacher_weekly_max", check_teacher_weekly_max),
    ("group_weekly_max", check_group_weekly_max),
    ("room_capacity", check_room_capacity),
    ("room_features", check_room_features),
    ("room_availability", check_room_availability),
    ("series_availability", check_series_availability),
    ("allowed_sites", check_allowed_sites),
    ("ue_window", check_ue_window),
    ("teacher_one_site_per_day", check_teacher_one_site_per_day),
    ("group_one_site_per_day", check_group_one_site_per_day),
    ("series_order", check_series_order),
    ("min_days_between", check_min_days_between),
    ("precedence", check_precedence),
    ("pin", check_pin),
    ("past", check_past),
)
