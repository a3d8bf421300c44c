"""Why a re-solve has no timetable: sessions that can no longer be placed from today on, or a
conflict in which "nothing new before today" is one of the rules (`why_no_revision`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from scheduler.data.domains import (
    Placement,
    Rejections,
    candidates,
    exclusion_detail,
    raw_placements,
    rejections,
    sole_exclusions,
)
from scheduler.data.instance_calendar import DateRule
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.words import format_date
from scheduler.model.explain import Explanation, RuleGroup, explain, format_lines
from scheduler.resolve.apply import Revision
from scheduler.resolve.changes import Change, Changes
from scheduler.solution import DEFAULT_WORKERS, Result, Status


def stranded(problem: Problem, revision: Revision, changes: Changes) -> list[str]:
    """One sentence per movable session with no placement the re-solve allows (from today
    on, today itself only in the slot it was published in)."""
    cancelled = {c.cancelled.session for c in changes.changes if c.cancelled is not None}
    lines = []
    for s in problem.sessions:
        if s.id in revision.frozen:
            continue
        if any(_allowed(problem, revision, c) for c in candidates(problem, s)):
            continue
        why = (
            "it was cancelled and must be placed again"
            if s.id in cancelled
            else "it has not happened yet"
        )
        old = revision.previous.get(s.id)  # may it stay where it was published, today?
        stays_today = (
            old is not None
            and old.date == revision.today
            and revision.may_start(s.id, old.date, old.slot)
        )
        if s.window is not None and (
            s.window.to < revision.today or (s.window.to == revision.today and not stays_today)
        ):
            when = (
                f"before today {revision.today}"
                if s.window.to < revision.today
                else "today, and no session can move to today"
            )
            reason = f"its window ends {s.window.to}, {when}"
            fix = (
                f"widen its window (a change `window: {{series: {s.series_id}, to: ...}}`), "
                "or add a session in another series"
            )
        else:
            reason, fix = _excluded(problem, s, revision, changes)
        lines.append(
            f"{s.id} cannot be placed on or after {revision.today} ({why}): {reason} — {fix}"
        )
    return lines


def _allowed(problem: Problem, revision: Revision, c: Placement) -> bool:
    """Whether the re-solve lets placement `c` of a session not frozen start where it does."""
    return revision.may_place(c.session.id, c.start.date, c.start.slot, c.room, problem.room_site)


def _detail(problem: Problem, revision: Revision, name: str, c: Placement) -> str:
    """Why rule `name` excludes placement `c`: the day a session was cancelled on is closed
    to its series by the re-solve itself (an audit read 'series availability', a rule it never
    wrote), else the rule's own words."""
    if _cancelled_from(problem, revision, name, c):
        return "the day it was cancelled on, closed to it so that it does not come back that day"
    return exclusion_detail(problem, name, c)


def _cancelled_from(problem: Problem, revision: Revision, name: str, c: Placement) -> bool:
    """Whether rule `name` excludes `c` as on the day its session was cancelled on."""
    old = revision.previous.get(c.session.id)
    if name != "series_availability" or c.session.id not in revision.cancelled or old is None:
        return False
    return c.start.date == old.date


def _excluded(
    problem: Problem, s: Session, revision: Revision, changes: Changes
) -> tuple[str, str]:
    """Why none of `s`'s placements from today on is allowed, and what to relax: the rules
    that alone stand between the session and some placement, each with one such placement
    (a pin on a date its teacher can no longer teach: the pin, and the teacher's
    availability), else the rules that exclude most placements."""
    placements = raw_placements(problem, s)
    later = [c for c in placements if _allowed(problem, revision, c)]
    old = revision.previous.get(s.id)
    if not later and old is not None and s.id in revision.cancelled:
        that_day = {c.start.slot for c in placements if c.start.date == old.date}
        fix = "widen its window or the calendar, or give it up (`dropped`)"
        if that_day - {old.slot}:  # a review: "no slot of the calendar is left", where it was
            return (
                f"the only slots left are on {old.date}, the day it was cancelled on, which "
                "it does not come back to",
                f"{fix}, or pin it to another slot that day (`pinned: {{session: {s.id}, "
                f"date: {old.date}, slot: {min(that_day - {old.slot})}}}`)",
            )
        if that_day:
            return (
                f"the only slot left is the one it was cancelled from, {old.date} {old.slot}",
                fix,
            )
    if not later:
        return (
            "no slot of the calendar is left after today (and no session can move to today)",
            "extend the calendar, or drop the session",
        )
    broken = rejections(problem, later)
    pinned = _pinned_place(problem, s, revision, changes, broken)
    if pinned is not None:
        return pinned
    sole = sole_exclusions(broken)
    if sole:
        return _sole_exclusions_said(problem, revision, changes, broken, sole)
    rejected = Counter(name for _, names in broken for name in names)
    reason = "every placement from today on is excluded by " + ", ".join(
        f"{name} ({n})" for name, n in rejected.most_common(3)
    )
    return reason, "relax the rule named first"


def _sole_exclusions_said(
    problem: Problem,
    revision: Revision,
    changes: Changes,
    broken: Rejections,
    sole: list[tuple[str, int, Placement]],
) -> tuple[str, str]:
    """The rules that alone exclude some placements, each with one of them and the changes
    that took those places away, and what to do (`_excluded`)."""
    parts, named = [], set()
    for name, n, c in sole:
        by = _changes_excluding(changes, [x for x, names in broken if names == [name]])
        named |= set(by)
        parts.append(
            f"{name} {n} (e.g. {c.start.date} {c.start.slot}, {c.room}: "
            f"{_detail(problem, revision, name, c)}{_by_changes(problem, changes, by)})"
        )
    reason = "no placement from today on passes every rule; those a single rule excludes: "
    if all(_cancelled_from(problem, revision, name, c) for name, _, c in sole):
        return reason + "; ".join(parts), (
            "no other slot is left for it: widen its window or the calendar, or give it up "
            "(a `dropped` change)"
        )
    fix = "relax one of these rules"
    windowed = [c for name, _, c in sole if name == "ue_window"]
    if windowed:  # the way to relax it in a re-solve (an audit was told "relax" alone)
        series = windowed[0].session.series_id
        fix = f"relax one of these rules (the window: a change `window: {{series: {series}, ...}}`)"
    if named:  # a closure the changes add may be what took its last place (an audit)
        fix += _take_back(changes, named)
    return reason + "; ".join(parts), fix


def _take_back(changes: Changes, indices: Iterable[int]) -> str:
    """`, or take back or narrow changes[1], changes[3]`: the fix a change that took places
    away adds; for a teacher's absence, also giving the sessions to another teacher (an
    audit's teacher on leave until June was not told of `teacher_replaced`)."""
    chosen = sorted(indices)
    fix = f", or take back or narrow changes[{'], changes['.join(map(str, chosen))}]"
    absent = sorted(
        {a.teacher for i in chosen if (a := changes.changes[i].teacher_unavailable) is not None}
    )
    if absent:
        fix += (
            f", or give {', '.join(absent)}'s sessions to another teacher meanwhile (a "
            "`teacher_replaced` change)"
        )
    return fix


def _changes_excluding(changes: Changes, placements: list[Placement]) -> dict[int, int]:
    """Index of each change taking some of `placements` away (an absence, a room or site
    closed on one of their slots) -> how many: the rules' words alone ("room LAB
    unavailable") hid that a site closure a few days later took the session's last place."""
    found: dict[int, int] = {}
    for i, change in enumerate(changes.changes):
        n = sum(_takes(change, c) for c in placements)
        if n:
            found[i] = n
    return found


def _takes(change: Change, c: Placement) -> bool:
    """Whether `change` makes placement `c` unavailable."""
    rule: DateRule
    if change.teacher_unavailable is not None:
        rule, hit = (
            change.teacher_unavailable,
            change.teacher_unavailable.teacher in c.session.teachers,
        )
    elif change.room_unavailable is not None:
        rule, hit = change.room_unavailable, change.room_unavailable.room == c.room
    elif change.site_closed is not None:
        rule, hit = change.site_closed, change.site_closed.site == c.site
    else:
        return False
    return hit and any(rule.matches(x.date, x.weekday, x.slot) for x in c.slots)


def _by_changes(problem: Problem, changes: Changes, by: dict[int, int]) -> str:
    """`; of them, 2 by changes[1] (site PARIS closed on Monday 2027-11-22)`, or nothing."""
    if not by:
        return ""
    return "; of them, " + ", ".join(
        f"{n} by changes[{i}] ({changes.changes[i].in_words(problem)})"
        for i, n in sorted(by.items())
    )


def _excluding_all(broken: list[tuple[Placement, list[str]]]) -> list[str]:
    """The rules excluding every one of `broken`, most frequent first (two at most)."""
    rules = Counter(name for _, names in broken for name in names)
    return [name for name, n in rules.most_common() if n == len(broken)][:2]


def _most_excluding(broken: list[tuple[Placement, list[str]]]) -> list[str]:
    """The three rules excluding most of `broken`."""
    return [name for name, _ in Counter(n for _, names in broken for n in names).most_common(3)]


def _pinned_place(
    problem: Problem,
    s: Session,
    revision: Revision,
    changes: Changes,
    broken: list[tuple[Placement, list[str]]],
) -> tuple[str, str] | None:
    """For a pinned session: why the place it is pinned to is excluded, by the rules that
    exclude it (a room too small, a window, a fixed event...), not "pin" alone, which only
    says that every other place is (an audit: staff could not tell what was wrong with the
    place they asked for), with the changes that took it away (a site closed over it was
    said as "room unavailable" only: an audit). None for a session without pin."""
    pins = [x for x in problem.instance.pins if x.session == s.id]
    if not pins:
        return None
    fields = ", ".join(
        f"{k} {v}"
        for x in pins
        for k, v in x.model_dump(exclude={"session"}, exclude_none=True).items()
    )
    allowed = [(c, names) for c, names in broken if "pin" not in names]
    if not allowed:
        return (
            f"its pin ({fields}) matches no place from today on where it fits (a session of "
            f"{s.length} slot{'s' if s.length > 1 else ''} starts where as many follow that day)",
            "pin it to another day or slot",
        )
    # the rules excluding it wherever the pin allows, alone when there are some; else, site
    # by site, those excluding it there (a site closed that week beside the other site's
    # rooms the UE may not use: a re-solve audit saw only the latter)
    everywhere = _excluding_all(allowed)
    sites = [None] if everywhere else sorted({c.site for c, _ in allowed})
    by = _changes_excluding(changes, [c for c, _ in allowed])
    parts = []
    for site in sites:
        here = [(c, names) for c, names in allowed if site is None or c.site == site]
        for name in everywhere or _excluding_all(here) or _most_excluding(here):
            # the example a place the rule excludes with the fewest others (an audit was
            # shown a room of the other site, which the series' sites exclude too)
            c = min((cn for cn in here if name in cn[1]), key=lambda cn: len(cn[1]))[0]
            parts.append(
                f"{name} (e.g. {c.start.date} {c.start.slot}, {c.room}: "
                f"{_detail(problem, revision, name, c)})"
            )
    fix = "pin it elsewhere, or relax these rules"
    if by:
        fix += _take_back(changes, by)
    return (
        f"the place it is pinned to ({fields}) is excluded by "
        + "; ".join(parts)
        + "".join(
            f"; of the places (slot and room) the pin allows, changes[{i}] ({changes.changes[i].in_words(problem)})"
            f" takes away {n}"
            for i, n in sorted(by.items())
        ),
        fix,
    )


# The search for a conflict after an infeasible re-solve, at least: on the sample, T03 away
# for a month in February (diagnostic model 5 s, the race for a first set 16 s, the deletion
# loop 10 s) gets its minimal set of four rules in about 30 s (at 10 s: none); a re-solve
# with no timetable is rare, and its why is the answer.
MIN_EXPLAIN_SECONDS = 30.0


def _past_said_as_past(explanation: Explanation, revision: Revision) -> Explanation:
    """The re-solve pins the sessions before today where they took place: such a pin is no
    user's ('move or drop the pin' of a session given last month), so it is said as it is.
    An explanation without rule groups (none even with every rule dropped) is kept whole."""
    if len(explanation.core) != len(explanation.sentences):
        return explanation
    sentences = []
    for group, sentence in zip(explanation.core, explanation.sentences, strict=True):
        given = revision.previous.get(group.entity)
        if group.family == "pin" and group.entity in revision.frozen and given is not None:
            sentence = (
                f"{group.entity} took place on {format_date(given.date)}, before today "
                f"({format_date(revision.today)}), and stays as given — relax another rule"
            )
        sentences.append(sentence)
    return replace(explanation, sentences=sentences)


def why_no_revision(
    problem: Problem,
    revision: Revision,
    changes: Changes,
    result: Result,
    time_limit: float,
    workers: int = DEFAULT_WORKERS,
    source: str | None = None,
) -> list[str]:
    """Why a re-solve found no timetable. Sessions that cannot be placed from today on say it
    exactly; otherwise a minimal conflict of the revised instance's rules (the past pinned,
    cancelled slots closed) with "nothing new before today" as one more rule group. Its
    pre-flight lines name `source` (the files the revision comes from), as `solve`'s do."""
    lines = stranded(problem, revision, changes)
    if lines:
        return ["no timetable: these sessions can no longer be placed:"] + [
            f"  - {line}" for line in lines
        ]
    if result.status != Status.INFEASIBLE:
        return ["no timetable found within the time limit: raise --time-limit"]

    def before_today(c: Placement) -> set[RuleGroup]:
        if c.session.id in revision.frozen or _allowed(problem, revision, c):
            return set()
        return {RuleGroup("before_today", f"{c.session.series_id}@{revision.today}")}

    budget = max(MIN_EXPLAIN_SECONDS, time_limit)
    explanation = explain(
        problem, budget, known_infeasible=True, extra=before_today, workers=workers
    )
    if explanation.feasible is False and (explanation.core or explanation.minimal):
        # a conflict, or none even with every rule dropped
        return format_lines(_past_said_as_past(explanation, revision), source=source)
    return [  # proved infeasible, but no conflicting set isolated in time
        f"no timetable: the changes cannot all hold with the sessions before {revision.today} "
        "as published and every other session on or after it; no smaller conflict was isolated "
        f"within {budget:.0f} s (the search for one gets --time-limit seconds, at least "
        f"{MIN_EXPLAIN_SECONDS:.0f}: raise --time-limit)"
    ]
