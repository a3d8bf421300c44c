"""Pre-flight load checks: a teacher or students with more session slots than usable slots
(within their weekly maximum), over the year or over an interval their sessions are bound to.
Errors are certain, as every pre-flight error (`scheduler.data.preflight`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from scheduler.data.domains import (
    ROOM_ONLY,
    Placement,
    after_the_past,
    exclusion_detail,
    in_window,
    matches_pins,
    raw_placements,
    rejections,
    teacher_free,
)
from scheduler.data.findings import Domains, Finding
from scheduler.data.instance import Teacher
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import during, format_date, join_words, teacher_label


def _capacity(
    p: Problem, sessions: list[Session], domains: Domains, week_max: int | None
) -> tuple[int, int, int]:
    """(slots needed, slots reachable, reachable within the weekly maximum)."""
    reachable = {d.index for s in sessions for c in domains[s.id] for d in c.slots}
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    for i in reachable:
        per_week[p.slots[i].week] += 1
    capped = sum(n if week_max is None else min(n, week_max) for n in per_week.values())
    return sum(s.length for s in sessions), len(reachable), capped


@dataclass(frozen=True)
class _Shortfall:
    """Sessions that can only take place between two dates, and the slots they lack there."""

    sessions: tuple[Session, ...]
    need: int
    have: int
    capped: int
    first: date
    last: date
    whole: bool  # the interval holds every session of the teacher or students
    pins_clash: bool = False  # its pinned sessions alone lack slots: a pin is what to move


MAX_INTERVALS = 400  # week intervals tried at most; beyond, only the whole range is


def _shortfall(
    p: Problem, sessions: list[Session], domains: Domains, week_max: int | None
) -> _Shortfall | None:
    """The interval of weeks whose sessions most exceed its usable slots (None: none does).

    Sessions whose every placement lies within weeks [a, b] must all be placed there, whatever
    the others do: a necessary condition is that their slots fit the slots reachable there,
    at most `week_max` a week. Checked for every [a, b] between the spans' first and last
    weeks (the whole range is the plain load check), so that a front-loaded course that needs
    more weeks than its window holds is found, not only a year that is too short.
    """
    spans: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for s in sessions:
        weeks = [c.start.week for c in domains[s.id]]
        if weeks:
            spans[s.id] = (min(weeks), max(weeks))
    placed = [s for s in sessions if s.id in spans]
    if not placed:
        return None
    starts = sorted({a for a, _ in spans.values()})
    ends = sorted({b for _, b in spans.values()})
    if len(starts) * len(ends) > MAX_INTERVALS:
        starts, ends = starts[:1], ends[-1:]
    worst: _Shortfall | None = None
    for a in starts:
        for b in ends:
            inside = [s for s in placed if a <= spans[s.id][0] and spans[s.id][1] <= b]
            if not inside:
                continue
            need, have, capped = _capacity(p, inside, domains, week_max)
            if capped >= need or (worst is not None and need - capped <= worst.need - worst.capped):
                continue
            days = [d.date for s in inside for c in domains[s.id] for d in c.slots]
            whole = len(inside) == len(sessions)
            worst = _Shortfall(
                tuple(inside), need, have, capped, min(days), max(days), whole,
                _pins_clash(p, inside, domains, week_max),
            )  # fmt: skip
    return worst


def _pins_clash(
    p: Problem, sessions: list[Session], domains: Domains, week_max: int | None
) -> bool:
    """Whether the pinned ones of `sessions` alone need more slots than they can reach (two
    sessions pinned to one evening), as opposed to a shortfall a pinned session is only
    part of. A pin of a site alone binds no time, and sessions given have no pin to move (a
    German audit's re-solve was told "move a pin" of those alone)."""
    if not any(s.id in p.pinned_in_time for s in sessions):
        return False
    pinned = [s for s in sessions if s.id in p.pinned_in_time or s.id in p.given]
    need, _, capped = _capacity(p, pinned, domains, week_max)
    return capped < need


def _named(p: Problem, sessions: tuple[Session, ...]) -> list[str]:
    """`sessions` by series where they are all of it, else by id: an audit read "3 session
    slots in 22 Sep-26 Nov (UE1-main and UE3-geneve)" of UE1-main's pinned first session and
    UE3-geneve's two, where UE1-main has 12."""
    ids = {s.id for s in sessions}
    names: list[str] = []
    for series_id in sorted({s.series_id for s in sessions}):
        series = [s.id for s in p.series[series_id]]
        names += [series_id] if set(series) <= ids else [x for x in series if x in ids]
    return names


def _named_words(p: Problem, sessions: tuple[Session, ...]) -> str:
    """`UE4-main-07, UE4-main-08 and UE4-main-09; 6 sessions given already`: the sessions
    still to place first (a German audit's re-solve named four sessions of December, given
    months before its `today`, and no other), then how many were given."""
    named = _named(p, tuple(s for s in sessions if s.id not in p.given))
    parts = [f"{join_words(named[:4])}{' and others' if len(named) > 4 else ''}"] if named else []
    given = sum(s.id in p.given for s in sessions)
    if given:
        parts.append(f"{count_of(given, 'session')} given already")
    return "; ".join(parts)


#: what binds a session to some slots, not what takes a slot from it (`_slots_taken`)
_BOUNDS = (in_window, after_the_past, matches_pins)


def _slots_taken(p: Problem, short: _Shortfall, domains: Domains) -> tuple[str, str | None]:
    """What takes the slots of the shortfall's sessions' windows that none of them can use,
    in words, with the rule that takes most: the rules that alone reject a room that suits
    them there (a projector room's closures), counted in slots, with an example. The
    explain audit's error blamed a teacher free all year, under teacher_double_booking,
    for a room's closures. ('', None) when no rule alone takes one."""
    usable = {c.start.index for s in short.sessions for c in domains[s.id]}
    taken: dict[str, set[int]] = defaultdict(set)
    example: dict[str, Placement] = {}
    for s in short.sessions:
        suited = [
            c
            for c in raw_placements(p, s)
            if c.start.index not in usable and all(f(p, c) for f in (*_BOUNDS, *ROOM_ONLY))
        ]
        for c, names in rejections(p, suited):
            if len(names) == 1:
                taken[names[0]].add(c.start.index)
                if names[0] not in example or (
                    _within(c, short) and not _within(example[names[0]], short)
                ):
                    example[names[0]] = c  # one of the dates the words name, when there is
    if not taken:
        return "", None
    ranked = sorted(taken, key=lambda name: (-len(taken[name]), name))[:2]
    said = [
        f"{name} alone takes {count_of(len(taken[name]), 'more slot')} of their windows (e.g. "
        f"{format_date(example[name].start.date)} {example[name].start.slot}: "
        f"{exclusion_detail(p, name, example[name])})"
        for name in ranked
    ]
    return f"; {join_words(said)}", ranked[0]


def _within(c: Placement, short: _Shortfall) -> bool:
    """Whether `c` starts between the shortfall's first and last dates (an audit read an
    example slot outside them as inconsistent with the interval the error names)."""
    return short.first <= c.start.date <= short.last


def _load_finding(
    p: Problem,
    rules: tuple[str, str],
    who: str,
    entity: str,
    short: _Shortfall,
    verb: str,
    domains: Domains,
) -> Finding:
    """The error for a shortfall: too few usable slots at all, or too few within the maximum;
    where its pinned sessions alone lack slots, moving a pin comes first (an audit's two sessions
    pinned to one evening were told to widen the windows or lower the counts)."""
    need, have, capped = short.need, short.have, short.capped
    pin = "move a pin, " if short.pins_clash else ""
    where = f" {during(short.first, short.last)}"
    # the sessions bound to that interval; a teacher's ("give") all of them too (the explain
    # audit's visitor error did not say which UEs; students' errors fold by their words)
    if not short.whole or verb == "give":
        where += f" ({_named_words(p, short.sessions)})"
    if have < need:
        rule, taken = rules[0], ""
        if rule.endswith("_double_booking"):  # not their own availability: say what is
            taken, culprit = _slots_taken(p, short, domains)
            rule = culprit or rule
        msg = (
            f"{who} must {verb} {count_of(need, 'session slot')}{where} but only "
            f"{'1 slot is' if have == 1 else f'{have} slots are'} usable for them, one at a "
            f"time{taken} — {pin}widen the windows or the availability of teachers, students "
            "or rooms, or lower the counts"  # rooms: an audit's closed rooms read as T1's fault
        )
        return Finding("error", rule, (entity,), msg)
    msg = (
        f"{who} must {verb} {count_of(need, 'session slot')}{where} but the weekly maximum "
        f"leaves {capped} — {pin}raise max_sessions_per_week, widen the windows or lower the "
        "counts"
    )
    return Finding("error", rules[1], (entity,), msg)


_TEACHER_RULES = ("teacher_availability", "teacher_weekly_max")
_GROUP_RULES = ("group_double_booking", "group_weekly_max")


def _binds(p: Problem, teacher: str, short: _Shortfall) -> bool:
    """Whether `teacher`'s own availability keeps the shortfall's sessions in its interval:
    they are free at no slot of the sessions' windows outside it."""
    windows = [s.window for s in short.sessions]
    return not any(
        not short.first <= d.date <= short.last
        and any(w is None or w.contains(d.date) for w in windows)
        and teacher_free(p, teacher, d)
        for d in p.slots
    )


def _covered(short: _Shortfall, other: _Shortfall) -> bool:
    """Whether `other` says at least what `short` says: more of the same sessions short,
    by at least as many slots, over an interval holding `short`'s (a visitor's two days of
    window made her co-teacher, free all year, "short" first, for fewer of her sessions)."""
    return (
        other is not short
        and {s.id for s in short.sessions} <= {s.id for s in other.sessions}
        and other.first <= short.first
        and short.last <= other.last
        and other.need - other.capped >= short.need - short.capped
    )


def _key(short: _Shortfall) -> tuple[object, ...]:
    """What a shortfall says: its sessions and their slots needed, usable and within the
    maximum (two shortfalls with one key say the same thing of different people)."""
    return (tuple(s.id for s in short.sessions), short.need, short.have, short.capped)


def _teacher_shortfalls(p: Problem, domains: Domains) -> list[tuple[Teacher, _Shortfall]]:
    """Each teacher short of slots, with the shortfall."""
    found = []
    for t in p.instance.teachers:
        mine = _fitting([s for s in p.sessions if t.id in s.teachers], t.max_sessions_per_week)
        short = _shortfall(p, mine, domains, t.max_sessions_per_week)
        if short is not None:
            found.append((t, short))
    return found


def _too_long(sessions: list[Session], week_max: int | None) -> list[Session]:
    """One session of each series whose sessions last more slots than `week_max` allows in
    a week: none of them can ever be placed."""
    if week_max is None:
        return []
    return list({s.series_id: s for s in sessions if s.length > week_max}.values())


def _fitting(sessions: list[Session], week_max: int | None) -> list[Session]:
    """The sessions a week can hold: those longer than `week_max` have their own error
    (`check_session_length_within_weekly_max`), and the load checks say what else is short."""
    return [s for s in sessions if week_max is None or s.length <= week_max]


def _too_long_words(who: str, series: list[Session], week_max: int) -> str:
    """`teacher X may teach at most 1 session slot a week (max_sessions_per_week), but each
    session of M2-atelier (2 slots) lasts longer: none can be placed — ...`."""
    named = join_words([f"{s.series_id} ({count_of(s.length, 'slot')})" for s in series])
    return (
        f"{who} at most {count_of(week_max, 'session slot')} a week (max_sessions_per_week), "
        f"but each session of {named} lasts longer: none can be placed — raise "
        "max_sessions_per_week or shorten those sessions"
    )


def check_session_length_within_weekly_max(p: Problem, domains: Domains) -> list[Finding]:
    """A session longer than a weekly maximum of its teacher or of its students' groups:
    no week can hold it (an audit: a 2-slot workshop for a group of at most 1 slot a week
    had no pre-flight error, and `explain` needed 9 s to name the maximum, not the
    workshop)."""
    found = []
    for t in p.instance.teachers:
        mine = [s for s in p.sessions if t.id in s.teachers]
        week_max = t.max_sessions_per_week
        if long := _too_long(mine, week_max):
            assert week_max is not None
            msg = _too_long_words(f"teacher {teacher_label(p, t.id)} may teach", long, week_max)
            found.append(Finding("error", "teacher_weekly_max", (t.id,), msg))
    for g in p.instance.groups:
        week_max = g.max_sessions_per_week
        # every session one of the group's students attends: the group's, its ancestors'
        # and its sub-groups' (a student of a sub-group holds the group too)
        profiles = [pr for pr in p.profiles if g.id in pr]
        theirs = [s for s in p.sessions if any(pr.intersection(s.groups) for pr in profiles)]
        if long := _too_long(theirs, week_max):
            assert week_max is not None
            msg = _too_long_words(f"students of {g.id} may attend", long, week_max)
            found.append(Finding("error", "group_weekly_max", (g.id,), msg))
    return found


def check_teacher_load(p: Problem, domains: Domains) -> list[Finding]:
    """A teacher with fewer usable slots (within the weekly maximum) than session slots.

    Over the year, or over a shorter interval that some of their sessions are bound to. When
    co-teachers are short in the same words, the one whose availability binds the sessions to
    that interval is named, not the others (an audit's visitor V3 with two days of window:
    her co-teacher T04, free all year, was named first, for the same sessions)."""
    short_of: dict[tuple[object, ...], list[tuple[Finding, bool]]] = {}
    shortfalls = [
        (t, short, _binds(p, t.id, short)) for t, short in _teacher_shortfalls(p, domains)
    ]
    binders = [short for _, short, binds in shortfalls if binds]
    for t, short, binds in shortfalls:
        if not binds and any(_covered(short, b) for b in binders):
            continue  # a co-teacher's finding says it, with its cause (a visitors audit)
        # too few usable slots: the teacher's availability, or else (windows, closures,
        # fixed events) that they give one session at a time
        limited = t.unavailable or t.available_only
        rules = _TEACHER_RULES if limited else ("teacher_double_booking", _TEACHER_RULES[1])
        finding = _load_finding(
            p, rules, f"teacher {teacher_label(p, t.id)}", t.id, short, "give", domains
        )
        short_of.setdefault(_key(short), []).append((finding, binds))
    found = []
    for same in short_of.values():
        binding = [f for f, binds in same if binds]
        found += binding if binding and len(same) > 1 else [f for f, _ in same]
    return found


def check_group_load(p: Problem, domains: Domains) -> list[Finding]:
    """Students with more session slots than usable slots (within their weekly maximum).

    Over the year, or over a shorter interval that some of their sessions are bound to;
    not said when a teacher is short of the same slots for the same sessions."""
    short_of: dict[tuple[str, str], list[frozenset[str]]] = {}  # (rule, words) -> profiles
    teachers = {_key(short) for _, short in _teacher_shortfalls(p, domains)}
    for profile, week_max in zip(p.profiles, p.profile_week_max, strict=True):
        mine = _fitting([s for s in p.sessions if profile.intersection(s.groups)], week_max)
        short = _shortfall(p, mine, domains, week_max)
        # the same sessions short in the same numbers as for a teacher: the teacher's
        # finding says it (an audit got both, the students' naming no cause of theirs)
        if short is not None and _key(short) not in teachers:
            f = _load_finding(p, _GROUP_RULES, _WHO, "", short, "attend", domains)
            short_of.setdefault((f.rule, f.message), []).append(frozenset(profile))
    # profiles short in the same words are one finding (the sample's six profiles of a
    # cohort gave six lines that differed only by their option and practice group)
    return [
        Finding(
            "error",
            rule,
            tuple("+".join(sorted(pr)) for pr in profiles),
            words.replace(_WHO, _students(profiles), 1),
        )
        for (rule, words), profiles in short_of.items()
    ]


_WHO = "<who>"


def _students(profiles: list[frozenset[str]]) -> str:
    """`students of COHORT and OPT-A`, or for several profiles `students of COHORT (3
    profiles: with APP1; with APP2; with APP3)`."""
    if len(profiles) == 1:
        return f"students of {join_words(sorted(profiles[0]))}"
    common = frozenset.intersection(*profiles)
    rest = "; ".join(f"with {join_words(sorted(pr - common))}" for pr in profiles)
    if common:
        return f"students of {join_words(sorted(common))} ({len(profiles)} profiles: {rest})"
    return f"students of {len(profiles)} profiles ({rest.replace('with ', '')})"
