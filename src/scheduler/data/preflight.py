"""Pre-flight checks: instant reasons why no timetable can exist, found before any search.

Every error is *certain*: when `preflight` reports one, no timetable respects the hard rules
(an error on a feasible instance is a bug). Each check is one function in `CHECKS`; they use
the placement filters of `scheduler.data.domains`, so they agree with the model's domains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from scheduler.data.domains import (
    Placement,
    candidates,
    teacher_free,
)
from scheduler.data.findings import Domains, Finding
from scheduler.data.instance import DateRule
from scheduler.data.precedence import precedence_cycle, sessions_of
from scheduler.data.preflight_domains import check_empty_domains, length_fits
from scheduler.data.preflight_groups import GROUP_CHECKS
from scheduler.data.preflight_holidays import check_holiday_coverage
from scheduler.data.preflight_ids import check_ids_alike
from scheduler.data.preflight_load import check_group_load, check_teacher_load
from scheduler.data.preflight_rules import RULE_CHECKS
from scheduler.data.preflight_slips import SLIP_CHECKS, outside_calendar
from scheduler.data.problem import Problem
from scheduler.data.series_bounds import earliest_ends, latest_starts
from scheduler.data.sessions import Session
from scheduler.data.spacing import window_in_calendar
from scheduler.data.types import WEEKDAYS, count_of, minutes
from scheduler.data.words import (
    describe_rule,
    format_date,
    format_span,
    format_window,
    join_words,
    plural,
    teacher_label,
)


def _where(s: Session) -> str:
    return s.series_id if s.series != "main" else s.ue


# --- checks ---------------------------------------------------------------------------------
def check_pins(p: Problem, domains: Domains) -> list[Finding]:
    """A pin onto a date or slot that is closed, not a teaching day, or outside the window."""
    closed = {(c.date, c.slot): c.reason for c in p.closed}
    found = []
    for pin in p.instance.pins:
        s = p.session[pin.session]
        if pin.date is None:
            continue
        what = format_date(pin.date) + (f" {pin.slot}" if pin.slot else "")
        reason = None
        if pin.slot is not None and (pin.date, pin.slot) not in p.slot_by_key:
            why = closed.get((pin.date, pin.slot))
            reason = f"closed ({why})" if why else "not a dated slot of the calendar"
        elif pin.date not in p.day_slots:
            why = next((c.reason for c in p.closed if c.date == pin.date), None)
            reason = f"closed ({why})" if why else "not a teaching day of the calendar"
        elif s.window is not None and not s.window.contains(pin.date):
            reason = f"outside the window {format_window(s.window, p)}"
        if reason is not None:
            msg = f"{s.id} is pinned to {what}, which is {reason}: move or drop the pin"
            found.append(Finding("error", "pin", (s.id,), msg))
    return found + _pinned_twice(p)


def _pinned_twice(p: Problem) -> list[Finding]:
    """A session two pins put in different places (dates, slots, rooms or sites): its
    placement error blamed its length (an exploratory fuzz of explain)."""
    places: dict[str, dict[str, set[str]]] = {}
    for pin in p.instance.pins:
        given = pin.model_dump(exclude={"session"}, exclude_none=True, mode="json")
        for key, value in given.items():
            places.setdefault(pin.session, {}).setdefault(key, set()).add(str(value))
    found = []
    for sid, fields in places.items():
        clash = {key: sorted(values) for key, values in fields.items() if len(values) > 1}
        if clash:
            words = "; ".join(f"{key} {' and '.join(v)}" for key, v in sorted(clash.items()))
            msg = f"{sid} is pinned twice, to different places ({words}): keep one pin"
            found.append(Finding("error", "pin", (sid,), msg))
    return found


def _fits_teacher(p: Problem, s: Session, tid: str) -> bool:
    t = p.teacher[tid]
    for start in p.slots:
        if s.window is not None and not s.window.contains(start.date):
            continue
        occ = p.occupied(start, s.length)
        if occ and all(
            any(r.matches(d.date, d.weekday, d.slot) for r in t.available_only)
            and not any(r.matches(d.date, d.weekday, d.slot) for r in t.unavailable)
            for d in occ
        ):
            return True
    return False


def _closed_for(p: Problem, s: Session, tid: str) -> list[str]:
    """The reasons of the closed slots that `tid` could teach `s` in (its window, the
    teacher's windows and unavailabilities), e.g. a closure typed over a visitor's stay."""
    t = p.teacher[tid]
    reasons = {
        c.reason
        for c in p.closed
        if (s.window is None or s.window.contains(c.date))
        and any(r.matches(c.date, WEEKDAYS[c.date.weekday()], c.slot) for r in t.available_only)
        and not any(r.matches(c.date, WEEKDAYS[c.date.weekday()], c.slot) for r in t.unavailable)
    }
    return sorted(reasons)


def check_visitor_windows(p: Problem, domains: Domains) -> list[Finding]:
    """A teacher's `available_only` windows hold no usable slot of the session's window
    (a session that fits no day of its window at all is `check_empty_domains`' finding)."""
    found = []
    for series in p.series.values():
        s = series[0]
        if not length_fits(p, s):
            continue
        for tid in s.teachers:
            t = p.teacher[tid]
            if not t.available_only or _fits_teacher(p, s, tid):
                continue
            spans = join_words(describe_rule(r, p) for r in t.available_only)
            closed = _closed_for(p, s, tid)
            if closed:  # the windows meet, but the calendar closes every slot they share
                msg = (
                    f"{_where(s)}'s {plural(len(series), 'session')} cannot be taught: "
                    f"{teacher_label(p, tid)} is only available {spans}, and within "
                    f"{_window_noun(p, s)} every such slot is closed "
                    f"({join_words(closed)}) — check the closure's dates, or widen the "
                    "teacher's availability"
                )
            else:
                msg = (
                    f"{_where(s)}'s {_sessions_words(series)} cannot be taught: "
                    f"{teacher_label(p, tid)} is only available {spans}, "
                    f"{_window_words(p, s)}{_too_short(p, s, tid)}"
                    f" — widen {'the window or ' if s.window else ''}the teacher's availability"
                    f"{_year_slip(p, t.available_only)}"
                )
            found.append(Finding("error", "teacher_availability", (tid, s.series_id), msg))
    return found


def _sessions_words(series: Sequence[Session]) -> str:
    """`3 sessions`, or `1 session of 2 consecutive slots` when they are longer than one."""
    said = plural(len(series), "session")
    length = series[0].length
    return f"{said} of {length} consecutive slots" if length > 1 else said


def _window_words(p: Problem, s: Session) -> str:
    """`UE4's window is 15 Sep–26 Dec 2026`, or `the calendar runs ...` for a session with
    no window of its own (an audit read of a window its UE does not have)."""
    name, span = _window_parts(p, s)
    return f"{name} {'is' if s.window else 'runs'} {span}"


def _window_noun(p: Problem, s: Session) -> str:
    """`UE4's window (15 Sep–26 Dec 2026)`, or `the calendar (...)` without a window."""
    name, span = _window_parts(p, s)
    return f"{name} ({span})"


def _window_parts(p: Problem, s: Session) -> tuple[str, str]:
    name = f"{_where(s)}'s window" if s.window else "the calendar"
    return name, format_window(s.window, p)


def _too_short(p: Problem, s: Session, tid: str) -> str:
    """`, and the slots they are available for hold no 2 consecutive ones` when the teacher is
    available for single slots of the window but for no run of `s.length` of them (an
    audit's visitor for two weekday evenings and a full-day session read as dates that fit)."""
    if s.length == 1:
        return ""
    single = any(
        (s.window is None or s.window.contains(d.date)) and teacher_free(p, tid, d) for d in p.slots
    )
    if not single:
        return ""
    return f", and the slots they are available for hold no {s.length} consecutive ones"


def _year_slip(p: Problem, rules: Sequence[DateRule]) -> str:
    """`(that availability lies outside the calendar, ...: check its year)` when every one of
    `rules` has dates wholly outside the calendar: a visitor's stay left in last year's file
    (a year audit); else nothing."""
    cal = p.instance.calendar
    if not rules or not all(
        outside_calendar(cal, r.date or r.from_, r.date or r.to) for r in rules
    ):
        return ""
    span = format_span(cal.start, cal.end)
    return f" (that availability lies outside the calendar, {span}: check its year)"


def check_room_fit(p: Problem, domains: Domains) -> list[Finding]:
    """A series whose headcount and features fit no room at its allowed sites."""
    found = []
    for series in p.series.values():
        s = series[0]
        size = p.headcount(s)
        rooms = [r for r, site in p.room_site.items() if s.sites is None or site in s.sites]
        if any(
            (p.capacity_is_soft or p.room[r].capacity >= size)
            and set(s.room_features) <= set(p.room[r].features)
            for r in rooms
        ):
            continue
        feats = f" with {', '.join(s.room_features)}" if s.room_features else ""
        sites = f" at {join_words(s.sites)}" if s.sites else ""
        msg = f"{s.series_id} needs a room for {size} students{feats}{sites}: no such room"
        found.append(Finding("error", "room_capacity", (s.series_id,), msg))
    return found


def _fitting_in_order(p: Problem, series: tuple[Session, ...], domains: Domains, gap: int) -> int:
    """How many sessions of `series` fit in order, each `gap` days or more after the one
    before, placing each as early as it can (exact for one chain of minimum gaps)."""
    last_index, last_day, placed = -1, -(10**9), 0
    for s in series:
        starts = sorted({c.start.index for c in domains[s.id]})
        ok = [t for t in starts if t >= last_index and p.slots[t].day >= last_day + gap]
        if not ok:
            break
        last_index, last_day, placed = ok[0] + s.length, p.slots[ok[0]].day, placed + 1
    return placed


def _largest_gap(p: Problem, series: tuple[Session, ...], domains: Domains) -> str:
    """Words for the largest `min_days_between` below the series' own that fits every
    session (an audit lowered 7 to 6 and 5 and got the same error), else nothing."""
    cal = p.instance.calendar
    # no larger gap can fit two sessions; the gaps that fit are those up to the largest
    # (a smaller one places each session no later), found by halving: tried one by one down
    # from a `min_days_between` typed 10^8, it ran for hours (an audit)
    low, high = 0, min(series[0].min_days_between - 1, (cal.end - cal.start).days)
    if high < 0 or _fitting_in_order(p, series, domains, 0) != len(series):
        return ""
    while low < high:
        middle = (low + high + 1) // 2
        if _fitting_in_order(p, series, domains, middle) == len(series):
            low = middle
        else:
            high = middle - 1
    fits = low
    if not fits:
        return " (they fit with min_days_between 0)"
    return f" (they fit with min_days_between {fits} at most)"  # 'at most N days apart' misread


def check_series_spacing(p: Problem, domains: Domains) -> list[Finding]:
    """A series whose sessions cannot all fit in order, `min_days_between` apart (greedy).
    Sessions a re-solve took out of order (`reordered`) are left out, as the order rules
    leave them (`Problem.chains`): a revision's own instance was refused (an audit)."""
    found = []
    for series in p.chains.values():
        if not series or any(not domains[s.id] for s in series):
            continue  # reported by check_empty_domains
        placed = _fitting_in_order(p, series, domains, series[0].min_days_between)
        if placed < len(series):
            s = series[0]
            gap_words = f" with {count_of(s.min_days_between, 'day')} between sessions" * bool(
                s.min_days_between
            )
            gap_words += _largest_gap(p, series, domains) if s.min_days_between else ""
            away = _teachers_away(p, s)
            relax = "the window" if s.window else "the availability of its teachers and groups"
            relax = f"{relax} (or {away})" if away and s.window else relax
            relax += ", lower min_days_between" if s.min_days_between else ""
            ids = {x.id for x in series}
            pins = [
                f"{pin.session} on {format_date(pin.date)}"
                for pin in p.instance.pins
                if pin.session in ids and pin.date is not None
            ]
            pinned = f" (pinned: {join_words(pins)})" if pins else ""
            relax += ", move a pin" if pins else ""
            msg = (
                f"only {placed} of the {len(series)} sessions of {s.series_id} fit, in order, in "
                f"{format_window(s.window, p)}{_days_allowed(p, series, domains)}{gap_words}"
                f"{pinned}: widen {relax} or lower the count"
            )
            rule = "min_days_between" if s.min_days_between else "placement"
            found.append(Finding("error", rule, (s.series_id,), msg))
    return found


def _days_allowed(p: Problem, series: tuple[Session, ...], domains: Domains) -> str:
    """`, on the 8 days its placements allow (2–13 Apr 2029)` when the days the series may
    take span less than its window (a visitor's stay, a teacher away from some date), else
    nothing: the window alone named the whole calendar where the visitor's two weeks were
    what kept the sessions apart too little (an audit)."""
    days = sorted({c.start.date for x in series for c in domains[x.id]})
    window = series[0].window
    teaching = [t.date for t in p.slots if window is None or window.contains(t.date)]
    if not days or not teaching or (days[0] == teaching[0] and days[-1] == teaching[-1]):
        return ""
    span = format_span(days[0], days[-1])
    return f", on the {plural(len(days), 'day')} its placements allow ({span})"


def _teachers_away(p: Problem, s: Session) -> str:
    """The teachers of `s` away on a quarter or more of the teaching slots of its window,
    in words (`the availability of T03, away 62 of the window's 110 slots`): an audit's
    teacher away from January on left a series its autumn, and the finding blamed the
    window alone."""
    lo, hi = window_in_calendar(p, s.window)
    slots = [x for x in p.slots if lo <= x.date <= hi]
    away = []
    for tid in s.teachers:
        missing = sum(not teacher_free(p, tid, x) for x in slots)
        if slots and 4 * missing >= len(slots):
            away.append(
                f"{teacher_label(p, tid)}, away {missing} of the window's {len(slots)} slots"
            )
    return f"the availability of {join_words(away)}" if away else ""


def check_fixed_events(p: Problem, domains: Domains) -> list[Finding]:
    """Fixed events that share a teacher, room or students at overlapping times or sites.

    Warnings: fixed events are placed by the user, and the model and checker do not compare
    them with each other, so a timetable can still be found.
    """
    found = []
    occ = p.event_occurrences
    for i, a in enumerate(occ):
        for b in occ[i + 1 :]:
            if a.date != b.date or a.event.id == b.event.id:
                continue
            ea, eb = a.event, b.event
            overlap = minutes(a.start) < minutes(b.end) and minutes(b.start) < minutes(a.end)
            shared = sorted(set(ea.teachers) & set(eb.teachers))
            students = p.groups_conflict(ea.groups, eb.groups)
            rooms = sorted(set(ea.rooms) & set(eb.rooms))
            when = format_date(a.date)
            if overlap and (shared or students or rooms):
                who = join_words([*shared, *rooms] + (["their students"] if students else []))
                msg = f"fixed events {ea.id} and {eb.id} overlap on {when} and share {who}"
                found.append(Finding("warning", "fixed_events", (ea.id, eb.id), msg))
            elif ea.site != eb.site and (shared or students):
                who = join_words(shared + (["their students"] if students else []))
                msg = (
                    f"fixed events {ea.id} ({ea.site}) and {eb.id} ({eb.site}) on {when} "
                    f"put {who} at two sites"
                )
                found.append(Finding("warning", "one_site_per_day", (ea.id, eb.id), msg))
    return found


def check_precedence_cycles(p: Problem, domains: Domains) -> list[Finding]:
    """Precedences that, with series order, require something to come before itself."""
    used = precedence_cycle(p)
    if used is None:
        return []
    precs = {i: p.instance.precedences[i] for i in used}
    words = join_words(f"precedences[{i}] ({x.before} before {x.after})" for i, x in precs.items())
    msg = f"precedences form a cycle: {words} — drop or reverse one of them"
    return [Finding("error", "precedence", tuple(f"precedences[{i}]" for i in used), msg)]


def check_precedence_order(p: Problem, domains: Domains) -> list[Finding]:
    """A precedence between sessions whose allowed dates cannot put them in that order: some
    session of `before` ends, at the earliest, after some session of `after` must start at
    the latest (a precedence written the wrong way round, or windows that exclude it). The
    series' order counts: a second session ends after its first (`data.series_bounds`)."""
    found = []
    earliest, latest = earliest_ends(p, domains), latest_starts(p, domains)
    for i, prec in enumerate(p.instance.precedences):
        ends = {b: earliest[b.id] for b in sessions_of(p, prec.before) if b.id in earliest}
        starts = {a: latest[a.id] for a in sessions_of(p, prec.after) if a.id in latest}
        if not ends or not starts:
            continue  # a fixed event (checked by the filters) or an empty domain (reported)
        b = max(ends, key=lambda s: (ends[s], s.id))
        a = min(starts, key=lambda s: (starts[s], s.id))
        if ends[b] <= starts[a]:
            continue
        (end_day, end), (start_day, start) = ends[b], starts[a]
        msg = (
            f"precedences[{i}] ({prec.before} before {prec.after}) cannot hold: {b.id} ends "
            f"{format_date(end_day)} {end:%H:%M} at the earliest, but {a.id} starts "
            f"{format_date(start_day)} {start:%H:%M} at the latest (windows, availability, "
            f"pins, the series' order) — reverse or drop precedences[{i}], or move the windows"
        )
        found.append(Finding("error", "precedence", (f"precedences[{i}]", b.id, a.id), msg))
    return found


def check_one_site_days(p: Problem, domains: Domains) -> list[Finding]:
    """Two sessions bound to the same date (by pins, windows...) that share a teacher or
    students, but can only be at different sites that day."""
    by_day: dict[date, list[tuple[Session, frozenset[str]]]] = defaultdict(list)
    for s in p.sessions:
        days = {c.start.date for c in domains[s.id]}
        if len(days) == 1:
            by_day[days.pop()].append((s, frozenset(c.site for c in domains[s.id])))
    found = []
    for day, bound in sorted(by_day.items()):
        for i, (a, sites_a) in enumerate(bound):
            for b, sites_b in bound[i + 1 :]:
                shared = set(a.teachers) & set(b.teachers)
                if sites_a & sites_b or not (shared or p.groups_conflict(a.groups, b.groups)):
                    continue
                who = f"teacher {join_words(sorted(shared))}" if shared else "their students"
                msg = (
                    f"{a.id} can only be at {join_words(sorted(sites_a))} and {b.id} only at "
                    f"{join_words(sorted(sites_b))} on {format_date(day)} (pins, windows, allowed "
                    f"sites), but {who} must stay at one site a day — move a pin or allow a site"
                )
                rule = "teacher_one_site_per_day" if shared else "group_one_site_per_day"
                found.append(Finding("error", rule, (a.id, b.id), msg))
    return found


def _bound_to_one_start(p: Problem, domains: Domains) -> list[tuple[Session, frozenset[int]]]:
    """Sessions that can start at one dated slot only (pins, windows...), with the slots
    they then occupy."""
    out = []
    for s in p.sessions:
        starts = {c.start.index for c in domains[s.id]}
        if len(starts) == 1:
            out.append((s, frozenset(d.index for d in domains[s.id][0].slots)))
    return out


def _clash(p: Problem, a: Session, b: Session, domains: Domains) -> tuple[str, str] | None:
    """(rule, who) when `a` and `b` cannot be at the same time: a shared teacher, shared
    students, or the one room each can use; None when they could."""
    shared = sorted(set(a.teachers) & set(b.teachers))
    if shared:
        who = join_words(teacher_label(p, t) for t in shared)
        return "teacher_double_booking", f"both are given by {who}"
    if p.groups_conflict(a.groups, b.groups):
        return "group_double_booking", "their students are the same"
    rooms = {c.room for c in domains[a.id]} | {c.room for c in domains[b.id]}
    if len(rooms) == 1:
        return "room_double_booking", f"both can only use room {rooms.pop()}"
    return None


def check_clashing_starts(p: Problem, domains: Domains) -> list[Finding]:
    """Two sessions bound to overlapping times, one of them at least by a pin, that share a
    teacher, students or their only room (an audit's two pinned sessions of one teacher were
    said to need more of the teacher's availability, and two pinned to one room were not
    explained within 20 s)."""
    bound = _bound_to_one_start(p, domains)
    pinned = {x.session for x in p.instance.pins}
    found = []
    for i, (a, slots_a) in enumerate(bound):
        for b, slots_b in bound[i + 1 :]:
            if not {a.id, b.id} & pinned or not slots_a & slots_b:
                continue  # without a pin, the load checks say whose availability binds
            clash = _clash(p, a, b, domains)
            if clash is None:
                continue
            rule, who = clash
            start_a, start_b = domains[a.id][0].start, domains[b.id][0].start
            when = f"{format_date(start_a.date)} {start_a.slot}"
            if start_b != start_a:
                when = f"{a.id} {when}, {b.id} {format_date(start_b.date)} {start_b.slot}"
            # which is pinned, which kept there otherwise: the words said "(pins,
            # availability, closures)" where a fixed event bound one (an exploratory fuzz)
            why = "; ".join(
                f"{x.id} {'pinned' if x.id in pinned else 'by its window, availability, closures or fixed events'}"
                for x in (a, b)
            )
            msg = (
                f"{a.id} and {b.id} can only take place at times that overlap, {when} "
                f"({why}), and {who} — move a pin"
            )
            found.append(Finding("error", rule, (a.id, b.id), msg))
    return found


Check = Callable[[Problem, Domains], list[Finding]]

CHECKS: tuple[Check, ...] = (
    check_pins,
    check_clashing_starts,
    check_visitor_windows,
    check_room_fit,
    check_empty_domains,
    check_teacher_load,
    check_group_load,
    check_series_spacing,
    check_fixed_events,
    check_precedence_cycles,
    check_precedence_order,
    check_one_site_days,
    *SLIP_CHECKS,
    *RULE_CHECKS,
    check_ids_alike,
    *GROUP_CHECKS,
    check_holiday_coverage,
)


def _series_of(p: Problem, session_ids: tuple[str, ...]) -> set[str]:
    return {p.session[i].series_id for i in session_ids if i in p.session}


def session_domains(p: Problem) -> dict[str, list[Placement]]:
    """The filtered placements of every session (as the model's variables use them)."""
    return {s.id: candidates(p, s) for s in p.sessions}


def preflight(p: Problem, domains: Domains | None = None) -> list[Finding]:
    """Every pre-flight finding, errors first; no search, no solver."""
    doms = domains if domains is not None else session_domains(p)
    found: list[Finding] = []
    for check in CHECKS:
        covered = {e for f in found if f.severity == "error" for e in f.entities}
        for f in check(p, doms):
            # an empty domain already explained by a more specific error is not repeated
            if f.rule == "placement" and covered & {*f.entities, *_series_of(p, f.entities)}:
                continue
            if any(f.message == g.message for g in found):  # the same words for two profiles
                continue
            found.append(f)
    return sorted(found, key=lambda f: f.severity != "error")
