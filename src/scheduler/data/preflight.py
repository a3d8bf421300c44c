"""Pre-flight checks: instant reasons why no timetable can exist, found before any search.

Every error is *certain*: when `preflight` reports one, no timetable respects the hard rules
(an error on a feasible instance is a bug). Each check is one function in `CHECKS`; they use
the placement filters of `scheduler.data.domains`, so they agree with the model's domains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from scheduler.data.domains import (
    FILTERS,
    Placement,
    Rejections,
    candidates,
    exclusion_detail,
    matches_pins,
    raw_placements,
    rejections,
    sole_exclusions,
    teacher_free,
)
from scheduler.data.findings import Domains, Finding
from scheduler.data.precedence import precedence_cycle, sessions_of
from scheduler.data.preflight_holidays import check_holiday_coverage
from scheduler.data.preflight_slips import SLIP_CHECKS
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.spacing import window_in_calendar
from scheduler.data.types import WEEKDAYS, minutes
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


def _length_fits(p: Problem, s: Session) -> bool:
    """Whether some dated slot of `s`'s window starts `s.length` consecutive slots."""
    return any(
        p.occupied(start, s.length)
        for start in p.slots
        if s.window is None or s.window.contains(start.date)
    )


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
        if not _length_fits(p, s):
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
                    f"{teacher_label(p, tid)} is only available {spans}, and within {_where(s)}'s window "
                    f"({format_window(s.window, p)}) every such slot is closed "
                    f"({join_words(closed)}) — check the closure's dates, or widen the "
                    "teacher's availability"
                )
            else:
                msg = (
                    f"{_where(s)}'s {plural(len(series), 'session')} cannot be taught: "
                    f"{teacher_label(p, tid)} is only available {spans}, "
                    f"{_where(s)}'s window is {format_window(s.window, p)}"
                    " — widen the window or the teacher's availability"
                )
            found.append(Finding("error", "teacher_availability", (tid, s.series_id), msg))
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


def _never_available(p: Problem, teacher: str, placements: list[Placement]) -> bool:
    """True when `teacher` alone makes every placement impossible."""
    return all(any(not teacher_free(p, teacher, d) for d in c.slots) for c in placements)


def _never_together(p: Problem, teachers: tuple[str, ...], placements: list[Placement]) -> str:
    """Words for co-teachers each free at some placements but never all at one (an audit's
    visitor free only on Fridays with a co-teacher away on Fridays), else nothing."""
    if len(teachers) < 2:
        return ""
    free = {
        t: {i for i, c in enumerate(placements) if all(teacher_free(p, t, d) for d in c.slots)}
        for t in teachers
    }
    if set.intersection(*free.values()) or not all(free.values()):
        return ""
    each = join_words([f"{t} at {len(free[t])}" for t in teachers])
    return (
        f"; its teachers are never free together: {each} of them, all of them at none — "
        f"widen one's availability or give the series other teachers"
    )


def _window_without_slots(p: Problem, s: Session) -> str:
    """Words for a window that holds no teaching slot: outside the calendar (typed in the
    wrong year), or only holidays and closures there; else nothing."""
    window, cal = s.window, p.instance.calendar
    if window is None or any(window.contains(t.date) for t in p.slots):
        return ""
    span = f"its window {format_window(window, p)}"
    if window.to < cal.start or window.from_ > cal.end:
        return (
            f"; {span} lies outside the calendar ({format_span(cal.start, cal.end)}) — fix the "
            "window (its year?)"
        )
    closed = [
        repr(c.reason) if c.reason else "a closure"
        for c in cal.closures
        if (c.date or c.from_ or cal.start) <= window.to
        and (c.date or c.to or cal.end) >= window.from_
    ]
    what = f"holidays and {join_words(closed)}" if closed else "holidays"
    return f"; {span} holds no teaching slot, only {what} — widen the window"


def _rooms_never_open(p: Problem, broken: Rejections) -> str:
    """Words for a series whose every room, at the sites it may use and in its window, is
    unavailable (an audit's UE that may only use Mons, every Mons room closed for the term)."""
    where = [(c, names) for c, names in broken if not {"ue_window", "allowed_sites"} & set(names)]
    if not where or not all("room_availability" in names for _, names in where):
        return ""
    rooms = sorted({c.room for c, _ in where})
    return (
        f"; every room it may use then ({join_words(rooms)}) is unavailable — shorten the "
        "rooms' unavailability or allow another site"
    )


def _rejecting(p: Problem, name: str, n: int, broken: Rejections, total: int) -> str:
    """`fixed_events (6)`, with its culprit when the rule rejects every placement
    (`fixed_events (all 6: e.g. 22 Sep 2026 TUE-EVE, fixed event JE-MONS that day)`): the
    explain audit's event clashing with a pin was said by its rule's name alone."""
    if n < total:
        return f"{name} ({n})"
    c = next(c for c, names in broken if name in names)
    example = f"{format_date(c.start.date)} {c.start.slot}, {exclusion_detail(p, name, c)}"
    return f"{name} (all {n}: e.g. {example})"


def check_empty_domains(p: Problem, domains: Domains) -> list[Finding]:
    """A session that no placement suits, and how many placements each rule rejects."""
    found = []
    for series in p.series.values():
        empty = [s for s in series if not domains[s.id]]
        if not empty:
            continue
        raw = [c for c in raw_placements(p, empty[0]) if matches_pins(p, c)]
        broken = rejections(p, raw)  # every filter once per placement, for both summaries
        counts = {
            name: sum(name in names for _, names in broken) for name, _ in FILTERS if name != "pin"
        }
        rules = [
            _rejecting(p, name, n, broken, len(raw))
            for name, n in sorted(counts.items(), key=lambda x: -x[1])
            if n
        ]
        pinned = (
            " matching its pin" if any(x.session == empty[0].id for x in p.instance.pins) else ""
        )
        names = (
            empty[0].id if len(empty) == 1 else f"{len(empty)} sessions of {series[0].series_id}"
        )
        if not raw and not _length_fits(p, empty[0]):
            n = empty[0].length
            msg = (
                f"{names} can be placed nowhere: it lasts {n} slots in a row, and no day of "
                f"its window ({format_window(empty[0].window, p)}) has {n} consecutive slots "
                "— shorten the series or add slots to the calendar"
            )
            found.append(Finding("error", "placement", tuple(s.id for s in empty), msg))
            continue
        why = f"rules rejecting them: {join_words(rules)}" if rules else "none fits its length"
        sole = sole_exclusions(broken)
        if sole:  # the rules that alone stand in the way come first: the likely mistake
            why = (
                "one rule alone excludes "
                + "; ".join(
                    f"{n} ({name}: e.g. {format_date(c.start.date)} {c.start.slot}, "
                    f"{exclusion_detail(p, name, c)})"
                    for name, n, c in sole
                )
                + f"; all {why}"
            )
        why += _window_without_slots(p, empty[0]) or _rooms_never_open(p, broken)
        absent = [t for t in empty[0].teachers if raw and _never_available(p, t, raw)]
        if absent:
            why += (
                f"; {join_words([f'teacher {t}' for t in absent])} "
                f"{'is' if len(absent) == 1 else 'are'} available at none of them: widen "
                f"{join_words(absent)}'s availability or give the series another teacher"
            )
        within = [c for c, names in broken if "ue_window" not in names]
        away = [t for t in empty[0].teachers if t not in absent and within]
        away = [t for t in away if _never_available(p, t, within)]
        if away:  # the explain audit's sabbatical was said as placement counts alone
            why += (
                f"; {join_words([f'teacher {t}' for t in away])} "
                f"{'is' if len(away) == 1 else 'are'} unavailable throughout its window "
                f"({format_window(empty[0].window, p)}): widen {join_words(away)}'s "
                "availability or the window, or give the series another teacher"
            )
        why += _never_together(p, empty[0].teachers, raw) if raw and not absent else ""
        whose = "its" if len(empty) == 1 else f"{empty[0].id}'s"  # the counts are the first's
        msg = f"{names} can be placed nowhere: of {whose} {len(raw)} placements{pinned}, {why}"
        found.append(Finding("error", "placement", tuple(s.id for s in empty), msg))
    return found


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
            worst = _Shortfall(tuple(inside), need, have, capped, min(days), max(days), whole)
    return worst


def _load_finding(
    rules: tuple[str, str], who: str, entity: str, short: _Shortfall, verb: str
) -> Finding:
    """The error for a shortfall: too few usable slots at all, or too few within the maximum."""
    need, have, capped = short.need, short.have, short.capped
    where = f" in {format_span(short.first, short.last)}"
    # the sessions bound to that interval; a teacher's ("give") all of them too (the explain
    # audit's visitor error did not say which UEs; students' errors fold by their words)
    if not short.whole or verb == "give":
        series = sorted({s.series_id for s in short.sessions})
        where += f" ({join_words(series[:4])}{' and others' if len(series) > 4 else ''})"
    if have < need:
        msg = (
            f"{who} must {verb} {plural(need, 'session slot')}{where} but only "
            f"{'1 slot is' if have == 1 else f'{have} slots are'} usable for them, one at a "
            "time — widen the windows or availabilities, or lower the counts"
        )
        return Finding("error", rules[0], (entity,), msg)
    msg = (
        f"{who} must {verb} {plural(need, 'session slot')}{where} but the weekly maximum "
        f"leaves {capped} — raise max_sessions_per_week, widen the windows or lower the counts"
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


def check_teacher_load(p: Problem, domains: Domains) -> list[Finding]:
    """A teacher with fewer usable slots (within the weekly maximum) than session slots.

    Over the year, or over a shorter interval that some of their sessions are bound to. When
    co-teachers are short in the same words, the one whose availability binds the sessions to
    that interval is named, not the others (an audit's visitor V3 with two days of window:
    her co-teacher T04, free all year, was named first, for the same sessions)."""
    short_of: dict[tuple[object, ...], list[tuple[Finding, bool]]] = {}
    for t in p.instance.teachers:
        mine = [s for s in p.sessions if t.id in s.teachers]
        short = _shortfall(p, mine, domains, t.max_sessions_per_week)
        if short is not None:
            # too few usable slots: the teacher's availability, or else (windows, closures,
            # fixed events) that they give one session at a time
            limited = t.unavailable or t.available_only
            rules = _TEACHER_RULES if limited else ("teacher_double_booking", _TEACHER_RULES[1])
            finding = _load_finding(rules, f"teacher {teacher_label(p, t.id)}", t.id, short, "give")
            key = (tuple(s.id for s in short.sessions), short.need, short.have, short.capped)
            short_of.setdefault(key, []).append((finding, _binds(p, t.id, short)))
    found = []
    for same in short_of.values():
        binding = [f for f, binds in same if binds]
        found += binding if binding and len(same) > 1 else [f for f, _ in same]
    return found


def check_group_load(p: Problem, domains: Domains) -> list[Finding]:
    """Students with more session slots than usable slots (within their weekly maximum).

    Over the year, or over a shorter interval that some of their sessions are bound to."""
    short_of: dict[tuple[str, str], list[frozenset[str]]] = {}  # (rule, words) -> profiles
    for profile in p.profiles:
        mine = [s for s in p.sessions if profile.intersection(s.groups)]
        maxima = [g.max_sessions_per_week for g in p.instance.groups if g.id in profile]
        week_max = min((m for m in maxima if m is not None), default=None)
        short = _shortfall(p, mine, domains, week_max)
        if short is not None:
            f = _load_finding(_GROUP_RULES, _WHO, "", short, "attend")
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
    need = series[0].min_days_between
    fits = next(
        (
            g
            for g in range(need - 1, -1, -1)
            if _fitting_in_order(p, series, domains, g) == len(series)
        ),
        None,
    )
    if fits is None:
        return ""
    if not fits:
        return " (they fit with min_days_between 0)"
    return f" (they fit with min_days_between {fits} at most)"  # 'at most N days apart' misread


def check_series_spacing(p: Problem, domains: Domains) -> list[Finding]:
    """A series whose sessions cannot all fit in order, `min_days_between` apart (greedy)."""
    found = []
    for series in p.series.values():
        if any(not domains[s.id] for s in series):
            continue  # reported by check_empty_domains
        placed = _fitting_in_order(p, series, domains, series[0].min_days_between)
        if placed < len(series):
            s = series[0]
            gap_words = f" with {s.min_days_between} days between sessions" * bool(
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
                f"{format_window(s.window, p)}{gap_words}{pinned}: widen {relax} or lower the "
                "count"
            )
            rule = "min_days_between" if s.min_days_between else "placement"
            found.append(Finding("error", rule, (s.series_id,), msg))
    return found


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
    precs = [p.instance.precedences[i] for i in used]
    words = join_words(f"{x.before} before {x.after}" for x in precs)
    msg = f"precedences form a cycle: {words} — drop or reverse one of them"
    return [Finding("error", "precedence", tuple(f"precedence {i + 1}" for i in used), msg)]


def check_precedence_order(p: Problem, domains: Domains) -> list[Finding]:
    """A precedence between sessions whose allowed dates cannot put them in that order: some
    session of `before` ends, at the earliest, after some session of `after` must start at
    the latest (a precedence written the wrong way round, or windows that exclude it)."""
    found = []
    for i, prec in enumerate(p.instance.precedences):
        ends = {
            b: min((c.start.date, c.slots[-1].end) for c in domains[b.id])
            for b in sessions_of(p, prec.before)
            if domains[b.id]
        }
        starts = {
            a: max((c.start.date, c.start.start) for c in domains[a.id])
            for a in sessions_of(p, prec.after)
            if domains[a.id]
        }
        if not ends or not starts:
            continue  # a fixed event (checked by the filters) or an empty domain (reported)
        b = max(ends, key=lambda s: (ends[s], s.id))
        a = min(starts, key=lambda s: (starts[s], s.id))
        if ends[b] <= starts[a]:
            continue
        (end_day, end), (start_day, start) = ends[b], starts[a]
        msg = (
            f"precedence {i + 1} ({prec.before} before {prec.after}) cannot hold: {b.id} ends "
            f"{format_date(end_day)} {end:%H:%M} at the earliest, but {a.id} starts "
            f"{format_date(start_day)} {start:%H:%M} at the latest (windows, availability, "
            f"pins) — reverse or drop precedence {i + 1}, or move the windows"
        )
        found.append(Finding("error", "precedence", (f"precedence {i + 1}", b.id, a.id), msg))
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
            msg = (
                f"{a.id} and {b.id} can only take place at times that overlap, {when} "
                f"(pins, availability, closures), and {who} — move a pin"
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
