"""Pre-flight checks: instant reasons why no timetable can exist, found before any search.

Every error is *certain*: when `preflight` reports one, no timetable respects the hard rules
(an error on a feasible instance is a bug). Each check is one function in `CHECKS`; they use
the placement filters of `scheduler.data.domains`, so they agree with the model's domains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from itertools import pairwise

from scheduler.data.domains import (
    Placement,
    candidates,
)
from scheduler.data.findings import Domains, Finding
from scheduler.data.precedence import precedence_cycle, sessions_of
from scheduler.data.preflight_domains import check_empty_domains
from scheduler.data.preflight_events import check_fixed_events
from scheduler.data.preflight_groups import GROUP_CHECKS
from scheduler.data.preflight_holidays import check_holiday_coverage
from scheduler.data.preflight_ids import check_areas_alone, check_ids_alike
from scheduler.data.preflight_load import (
    check_group_load,
    check_session_length_within_weekly_max,
    check_teacher_load,
)
from scheduler.data.preflight_narrowed import check_narrowed
from scheduler.data.preflight_pins import check_clashing_starts, check_crowded_out_by_pins
from scheduler.data.preflight_rules import RULE_CHECKS
from scheduler.data.preflight_slips import SLIP_CHECKS
from scheduler.data.preflight_spacing import check_series_spacing
from scheduler.data.preflight_visitors import check_visitor_windows
from scheduler.data.problem import Problem
from scheduler.data.series_bounds import earliest_ends, latest_starts
from scheduler.data.sessions import Session
from scheduler.data.words import (
    AREA_ADVICE,
    format_date,
    format_window,
    join_words,
    one_site_a_day,
)


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
    return found + _pinned_out_of_order(p)


def _pinned_out_of_order(p: Problem) -> list[Finding]:
    """Two sessions of a series pinned against its order (the 2nd before the 1st, by date, or
    by slot on one date): said as "only 1 of the 2 sessions fit, in order", with the
    availability to widen first (an audit; a pre-flight audit's morning and afternoon of one
    day too). Sessions given out of order (`reordered`, a make-up) are not bound to it."""
    starts = {slot.id: slot.start for slot in p.instance.calendar.slots}
    when = {pin.session: (pin.date, pin.slot) for pin in p.instance.pins if pin.date is not None}
    found = []
    for series in p.series.values():
        pinned = [(s.id, when[s.id]) for s in series if s.id in when]
        pinned = [(sid, at) for sid, at in pinned if sid not in p.instance.reordered]
        for (first, (day1, slot1)), (later, (day2, slot2)) in pairwise(pinned):
            sooner_that_day = (
                day1 == day2
                and slot1 is not None
                and slot2 is not None
                and starts[slot2] < starts[slot1]
            )
            if day2 < day1 or sooner_that_day:
                said1, said2 = format_date(day1), format_date(day2)
                if day1 == day2:
                    said1, said2 = f"{said1} {slot1}", f"{said2} {slot2}"
                msg = (
                    f"{later} is pinned to {said2}, before {first} ({said1}), which its series "
                    "gives first — swap or move the pins"
                )
                found.append(Finding("error", "pin", (first, later), msg))
    return found


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


def check_precedence_cycles(p: Problem, domains: Domains) -> list[Finding]:
    """Precedences that, with series order, require something to come before itself."""
    used = precedence_cycle(p)
    if used is None:
        return []
    precs = {i: p.instance.precedences[i] for i in used}
    words = join_words(f"precedences[{i}] ({x.before} before {x.after})" for i, x in precs.items())
    msg = f"precedences form a cycle: {words} — drop or reverse one of them"
    if len(used) == 1:  # a "cycle" of one is the series' own order (an audit was puzzled)
        msg = (
            f"{words} contradicts the order of a series' sessions (each comes after the one "
            "numbered before it) — drop or reverse it"
        )
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
        # a pin that binds one of them is the likelier mistake than the precedence (an
        # audit's pinned UE5-main-04 was advised to reverse the precedence, which it meant)
        pinned = [
            f"{x.id} is pinned to {format_date(pin.date)}"
            for x in (b, a)
            for pin in p.pins_of.get(x.id, ())
            if pin.date is not None
        ]
        fix = f"reverse or drop precedences[{i}], or move the windows"
        if pinned:
            fix = f"move the pin, or {fix}"
        msg = (
            f"precedences[{i}] ({prec.before} before {prec.after}) cannot hold: {b.id} ends "
            f"{format_date(end_day)} {end:%H:%M} at the earliest, but {a.id} starts "
            f"{format_date(start_day)} {start:%H:%M} at the latest (windows, availability, "
            f"pins, the series' order)"
            + (f"; {join_words(pinned)}" if pinned else "")
            + f" — {fix}"
        )
        found.append(Finding("error", "precedence", (f"precedences[{i}]", b.id, a.id), msg))
    return found


def check_one_site_days(p: Problem, domains: Domains) -> list[Finding]:
    """Two sessions bound to the same date (by pins, windows...) that share a teacher or
    students, but can only be at different sites (areas: `Site.area`) that day."""
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
                areas_a, areas_b = ({p.area[site] for site in x} for x in (sites_a, sites_b))
                if areas_a & areas_b or not (shared or p.groups_conflict(a.groups, b.groups)):
                    continue
                who = f"teacher {join_words(sorted(shared))}" if shared else "their students"
                msg = (
                    f"{a.id} can only be at {join_words(sorted(sites_a))} and {b.id} only at "
                    f"{join_words(sorted(sites_b))} on {format_date(day)} (pins, windows, allowed "
                    f"sites), but {who} must stay {one_site_a_day(p)} — move a pin, or "
                    f"{AREA_ADVICE}"
                )
                rule = "teacher_one_site_per_day" if shared else "group_one_site_per_day"
                found.append(Finding("error", rule, (a.id, b.id), msg))
    return found


Check = Callable[[Problem, Domains], list[Finding]]

CHECKS: tuple[Check, ...] = (
    check_pins,
    check_clashing_starts,
    check_crowded_out_by_pins,
    check_visitor_windows,
    check_room_fit,
    check_empty_domains,
    check_session_length_within_weekly_max,
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
    check_areas_alone,
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
    if not any(f.severity == "error" for f in found):  # the specific checks' words first
        found += check_narrowed(p, doms)
    return sorted(found, key=lambda f: f.severity != "error")
