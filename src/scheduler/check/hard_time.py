"""Hard rules of docs/rules.md about time: weekly maxima, sites per day, order, precedence, pins."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import combinations, pairwise

from scheduler.check.placed import (
    Moment,
    Placed,
    Timetable,
    concerns,
    day_label,
    profile_label,
    week_label,
    week_words,
)
from scheduler.check.report import Violation
from scheduler.data.precedence import event_times, sessions_of
from scheduler.data.problem import Problem
from scheduler.data.words import join_words, teacher_label


def _moment(m: Moment) -> str:
    return f"{m[0].isoformat()} {m[1]:%H:%M}"


# --- weekly maxima -----------------------------------------------------------------------
def check_teacher_weekly_max(problem: Problem, tt: Timetable) -> list[Violation]:
    """The slots (length counted) of a teacher's sessions in one ISO week stay within their max."""
    load: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for p in tt.placed:
        for tid in dict.fromkeys(p.session.teachers):
            load[(tid, p.week)] += p.session.length
    out: list[Violation] = []
    for (tid, week), slots in load.items():
        limit = problem.teacher[tid].max_sessions_per_week
        if limit is not None and slots > limit:
            who = teacher_label(problem, tid)
            msg = f"{who} teaches {slots} slots in week {week_words(week)}, {limit} at most"
            out.append(Violation("teacher_weekly_max", (tid, week_label(week)), msg))
    return out


def check_group_weekly_max(problem: Problem, tt: Timetable) -> list[Violation]:
    """For a group with a maximum, no student profile holding it attends more slots in a week."""
    load: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
    for i, prof in enumerate(problem.profiles):
        for p in tt.placed:
            if concerns(p.session.groups, prof):
                load[(i, p.week)] += p.session.length
    out: list[Violation] = []
    for g in problem.instance.groups:
        limit = g.max_sessions_per_week
        if limit is None:
            continue
        worst: dict[tuple[int, int], tuple[int, int]] = {}
        for (i, week), slots in load.items():
            if g.id in problem.profiles[i] and slots > limit and slots > worst.get(week, (0, 0))[0]:
                worst[week] = (slots, i)
        for week, (slots, i) in sorted(worst.items()):
            who = profile_label(problem, problem.profiles[i])
            msg = (
                f"students of {who} attend {slots} slots in week {week_words(week)}, "
                f"{limit} at most for {g.id}"
            )
            out.append(Violation("group_weekly_max", (g.id, week_label(week)), msg))
    return out


# --- one site per day --------------------------------------------------------------------
# Two fixed events alone are never compared (the user placed both; pre-flight warns of them,
# as the model does not compare them either): a violation involves a session.
Item = tuple[str, str, date, bool]  # (session or event id, site, date, is a fixed event)


def _sites_text(items: list[Item]) -> str:
    by_site: dict[str, list[str]] = defaultdict(list)
    for ident, site, _, _ in items:
        by_site[site].append(ident)
    return " and ".join(f"{site} ({', '.join(ids)})" for site, ids in by_site.items())


def _areas(problem: Problem) -> dict[str, str]:
    """Site -> its area (`Site.area`: sites close enough to change between in a day), read
    from the instance here rather than taken from the model's lookups."""
    return {s.id: f"area {s.area}" if s.area else f"site {s.id}" for s in problem.instance.sites}


def _apart(area: dict[str, str], a: Item, b: Item) -> bool:
    """Whether `a` and `b` are at sites of two areas, one of them a session."""
    return area[a[1]] != area[b[1]] and not (a[3] and b[3])


def check_teacher_one_site_per_day(problem: Problem, tt: Timetable) -> list[Violation]:
    """A teacher's sessions and fixed events of one date are all at one site (or area)."""
    area = _areas(problem)
    items: dict[tuple[str, date], list[Item]] = defaultdict(list)
    for p in tt.placed:
        for tid in dict.fromkeys(p.session.teachers):
            items[(tid, p.date)].append((p.id, p.site, p.date, False))
    for occ, site in problem.event_site_days:  # online, abroad or a deadline: at no site
        for tid in dict.fromkeys(occ.event.teachers):
            items[(tid, occ.date)].append((occ.event.id, site, occ.date, True))
    out: list[Violation] = []
    for (tid, day), found in sorted(items.items()):
        if any(_apart(area, a, b) for a, b in combinations(found, 2)):
            who = teacher_label(problem, tid)
            msg = f"{who} is expected at {_sites_text(found)} on {day.isoformat()}"
            out.append(Violation("teacher_one_site_per_day", (tid, day.isoformat()), msg))
    return out


SHOWN_PROFILES = 3  # student profiles a one-site violation names, before counting them


def check_group_one_site_per_day(problem: Problem, tt: Timetable) -> list[Violation]:
    """The sessions and fixed events concerning one student profile on one date share one site
    (or area)."""
    area = _areas(problem)
    seen: dict[tuple[str, str, str], tuple[Item, Item, list[str]]] = {}  # a pair's profiles
    for prof in problem.profiles:
        items: dict[date, list[Item]] = defaultdict(list)
        for p in tt.placed:
            if concerns(p.session.groups, prof):
                items[p.date].append((p.id, p.site, p.date, False))
        for occ, site in problem.event_site_days:
            if concerns(occ.event.groups, prof):
                items[occ.date].append((occ.event.id, site, occ.date, True))
        for day, found in sorted(items.items()):
            for a, b in combinations(found, 2):
                if not _apart(area, a, b):
                    continue
                key = (a[0], b[0], day.isoformat())
                seen.setdefault(key, (a, b, []))[2].append(profile_label(problem, prof))
    out: list[Violation] = []
    for key, (a, b, labels) in seen.items():  # every profile it concerns (an audit: one of
        # two lab groups named, the other as concerned)
        who = (
            join_words(labels)
            if len(labels) <= SHOWN_PROFILES
            else (f"{len(labels)} profiles ({', '.join(labels[:SHOWN_PROFILES])}, ...)")
        )
        msg = (
            f"students of {who} are expected at {a[1]} ({a[0]}) and at {b[1]} ({b[0]}) on {key[2]}"
        )
        out.append(Violation("group_one_site_per_day", key, msg))
    return out


# --- order within a series, precedences, pins --------------------------------------------
def _consecutive(problem: Problem, tt: Timetable) -> list[tuple[Placed, Placed]]:
    """Placed consecutive sessions of every series (`reordered` ones skipped), both placed."""
    pairs = []
    for sessions in problem.chains.values():
        for a, b in pairwise(sessions):
            pa, pb = tt.by_session.get(a.id), tt.by_session.get(b.id)
            if pa is not None and pb is not None:
                pairs.append((pa, pb))
    return pairs


def check_series_order(problem: Problem, tt: Timetable) -> list[Violation]:
    """Session n+1 of a series starts after (or when) session n ends."""
    out: list[Violation] = []
    for a, b in _consecutive(problem, tt):
        if b.begins < a.ends:
            msg = f"{b.id} starts {_moment(b.begins)}, before {a.id} ends ({_moment(a.ends)})"
            out.append(Violation("series_order", (a.id, b.id), msg))
    return out


def check_min_days_between(problem: Problem, tt: Timetable) -> list[Violation]:
    """Consecutive sessions of a series are at least the series' `min_days_between` days apart.
    A session placed before its predecessor is `series_order`'s alone (it was reported here
    too when 0 days after, not when 51 days before)."""
    out: list[Violation] = []
    for a, b in _consecutive(problem, tt):
        need = a.session.min_days_between
        apart = (b.date - a.date).days
        if b.begins >= a.ends and apart < need:
            msg = (
                f"{a.id} and {b.id} are {apart} days apart ({day_label(a.date)} and "
                f"{day_label(b.date)}; minimum {need})"
            )
            out.append(Violation("min_days_between", (a.id, b.id), msg))
    return out


def _occurrences(problem: Problem, tt: Timetable, ref: str) -> list[tuple[str, Moment, Moment]]:
    """(id, start, end) of every placed session and every event date a reference stands for."""
    found = [
        (p.id, p.begins, p.ends)
        for s in sessions_of(problem, ref)
        if (p := tt.by_session.get(s.id)) is not None
    ]
    found.extend((ref, start, end) for start, end in event_times(problem, ref))
    return found


def check_precedence(problem: Problem, tt: Timetable) -> list[Violation]:
    """Every occurrence of `before` ends before (or when) every occurrence of `after` starts."""
    out: list[Violation] = []
    for prec in problem.instance.precedences:
        afters = _occurrences(problem, tt, prec.after)
        for b_id, _, b_end in _occurrences(problem, tt, prec.before):
            for a_id, a_start, _ in afters:
                if b_end > a_start:
                    msg = (
                        f"{b_id} ends {_moment(b_end)}, after {a_id} starts ({_moment(a_start)}); "
                        f"{prec.before} must come before {prec.after}"
                    )
                    out.append(Violation("precedence", (b_id, a_id), msg))
    return out


def check_pin(problem: Problem, tt: Timetable) -> list[Violation]:
    """A pinned session keeps its pinned date, start slot, site and room."""
    out: list[Violation] = []
    given = {a.session: a for a in reversed(tt.assignments)}  # the first of repeated ones
    for pin in problem.instance.pins:
        p = tt.by_session.get(pin.session)
        if p is not None:
            wanted = (
                ("date", pin.date, p.date),
                ("slot", pin.slot, p.slots[0].slot),
                ("site", pin.site, p.site),
                ("room", pin.room, p.room),
            )
        elif (a := given.get(pin.session)) is not None:  # unresolved (a slot not allowed...):
            wanted = (  # what it says still breaks the pin or not
                ("date", pin.date, a.date),
                ("slot", pin.slot, a.slot),
                ("site", pin.site, problem.room_site.get(a.room, "?")),
                ("room", pin.room, a.room),
            )
        else:
            continue
        diffs = [
            f"{name} {got} instead of {want}"
            for name, want, got in wanted
            if want is not None and want != got
        ]
        if diffs:
            msg = f"{pin.session} is pinned but has {'; '.join(diffs)}"
            out.append(Violation("pin", (pin.session,), msg))
    return out


def check_past(problem: Problem, tt: Timetable) -> list[Violation]:
    """In a re-solve's instance (`frozen_before`), a session dated before that day is one
    given then: pinned to that date (the re-solve pins every session given before its today)."""
    before = problem.instance.frozen_before
    if before is None:
        return []
    given = {pin.session: pin.date for pin in problem.instance.pins if pin.date is not None}
    out = []
    for a in tt.assignments:
        if a.date < before and given.get(a.session) != a.date:
            msg = (
                f"{a.session} is placed on {day_label(a.date)}, before {day_label(before)}, "
                "the day this timetable was re-solved for: only a session given then (pinned "
                "there) may be dated before it"
            )
            out.append(Violation("past", (a.session, a.date.isoformat()), msg))
    return out
