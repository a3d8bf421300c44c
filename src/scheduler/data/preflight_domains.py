"""Pre-flight check of sessions with no placement at all, and which rules leave them none.
Errors are certain, as every pre-flight error (`scheduler.data.preflight`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from scheduler.data.domains import (
    FILTERS,
    Placement,
    Rejections,
    concerns,
    exclusion_detail,
    matches_pins,
    pin_words,
    raw_placements,
    rejections,
    sole_exclusions,
    teacher_free,
)
from scheduler.data.findings import Domains, Finding
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import WEEKDAYS, count_of
from scheduler.data.words import (
    AREA_IF_CLOSE,
    format_date,
    format_span,
    format_window,
    join_words,
    teacher_label,
    weekdays_word,
)


def length_fits(p: Problem, s: Session) -> bool:
    """Whether some dated slot of `s`'s window starts `s.length` consecutive slots."""
    return any(
        p.occupied(start, s.length)
        for start in p.slots
        if s.window is None or s.window.contains(start.date)
    )


def _no_room_in_the_days(p: Problem, s: Session, names: str) -> str:
    """Why `names` (`s`'s series) can be placed nowhere before any rule applies: its length,
    or no open day at all in its window (not "lasts 1 slots in a row, and no day has 1
    consecutive slots": an audit's calendar closed throughout)."""
    window = format_window(s.window, p)
    if not length_fits(p, replace(s, length=1)):
        return (
            f"{names} can be placed nowhere: no day of its window ({window}) has a teaching "
            "slot (each is closed, a holiday or without slots) — reopen days or widen the window"
        )
    return (
        f"{names} can be placed nowhere: it lasts {s.length} slots in a row, and no day of its "
        f"window ({window}) has {s.length} consecutive slots — shorten the series or add slots "
        "to the calendar"
    )


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

    def when(t: str) -> str:  # ids and counts alone left a manager to find the windows
        days = sorted({placements[i].start.date for i in free[t]})
        weekdays = {d.weekday() for d in days}
        on = f"{weekdays_word(WEEKDAYS[next(iter(weekdays))])} in " if len(weekdays) == 1 else ""
        spans = [format_span(first, last) for first, last in _stays(days)]
        listed = join_words(spans) if len(spans) <= 3 else f"{', '.join(spans[:3])}, ..."
        return f"{teacher_label(p, t)}{' is free' if t == teachers[0] else ''} on {on}{listed}"

    each = ", ".join(when(t) for t in teachers)
    return (
        f"; its teachers are never free together: {each}, never all at one placement — "
        f"widen one's availability or give the series other teachers"
    )


def _stays(days: list[date]) -> list[tuple[date, date]]:
    """`days` (sorted) as runs no more than a week apart: a visitor's stays."""
    runs = [[days[0], days[0]]]
    for d in days[1:]:
        if (d - runs[-1][1]).days > 7:
            runs.append([d, d])
        else:
            runs[-1][1] = d
    return [(first, last) for first, last in runs]


def _window_without_slots(p: Problem, s: Session) -> str:
    """Words for a window that holds no teaching slot: outside the calendar (typed in the
    wrong year), only closed days (holidays, closures), or none of the weekly slots' days."""
    window, cal = s.window, p.instance.calendar
    if window is None or any(window.contains(t.date) for t in p.slots):
        return ""
    span = f"its window {format_window(window, p)}"
    if window.to < cal.start or window.from_ > cal.end:
        return (
            f"; {span} lies outside the calendar ({format_span(cal.start, cal.end)}) — fix the "
            "window (its year?)"
        )
    # what closes its slots, as the calendar's expansion says (it said "only holidays and
    # 'Session d'examens'" of a window without a holiday: an audit)
    closed = list(dict.fromkeys(repr(c.reason) for c in p.closed if window.contains(c.date)))
    if not closed:
        return f"; {span} holds none of the calendar's weekly slots — widen the window"
    return f"; {span} holds no teaching slot, only closed days ({join_words(closed)}) — widen the window"


def _rooms_never_open(p: Problem, s: Session, broken: Rejections) -> str:
    """Words for a series whose every room, at the sites it may use and in its window, is
    unavailable (an audit's UE that may only use Mons, every Mons room closed for the term);
    for a session pinned to a room or site, the pin is what to move (an audit: "allow another
    site" changed nothing for a session pinned to a closed room)."""
    where = _left_to_rooms(broken, {"ue_window", "allowed_sites"})
    when = ""
    if not where:  # the rooms closed whenever its teachers can come (an audit's visitor and
        # every Mons room closed during the stay: said as counts of placements by rule)
        where = _left_to_rooms(broken, {"ue_window", "allowed_sites", *_WHO_AND_WHICH})
        if not where:
            return ""
        days = sorted({c.start.date for c, _ in where})
        when = f" whenever its teachers can teach it ({format_span(days[0], days[-1])}),"
    rooms = sorted({c.room for c, _ in where})
    held = [pin for pin in p.pins_of.get(s.id, ()) if pin.room or pin.site]
    way_out = (
        "move the pin to another room, or shorten the room's unavailability"
        if any(pin.room for pin in held)
        else "move the pin to another site, or shorten the rooms' unavailability"
        if held
        else "shorten the rooms' unavailability or allow another site"
    )
    rooms_words = f"every room it may use{'' if when else ' then'} ({join_words(rooms)})"
    return f";{when} {rooms_words} is unavailable — {way_out}"


#: rules about who teaches and which rooms suit, not about when a room is open
_WHO_AND_WHICH = ("teacher_availability", "series_availability", "room_capacity", "room_features")


def _left_to_rooms(broken: Rejections, excused: set[str]) -> Rejections:
    """The placements no `excused` rule rejects, when room_availability rejects each; else none."""
    where = [(c, names) for c, names in broken if not excused & set(names)]
    return where if all("room_availability" in names for _, names in where) else []


def _rejecting(p: Problem, name: str, n: int, broken: Rejections, total: int) -> str:
    """`fixed_events (6)`, with its culprit when the rule rejects every placement
    (`fixed_events (all 6: e.g. 22 Sep 2026 TUE-EVE, fixed event JE-MONS that day)`): the
    explain audit's event clashing with a pin was said by its rule's name alone."""
    if n < total:
        return f"{name} ({n})"
    c = next(c for c, names in broken if name in names)
    example = f"{format_date(c.start.date)} {c.start.slot}, {exclusion_detail(p, name, c)}"
    return f"{name} (all {n}: e.g. {example})"


def _way_out(sole: bool, rules: bool, pinned: bool) -> str:
    """What to relax when no rule-specific advice was given."""
    if sole:
        what = "a rule that alone excludes some of them"
    elif rules:
        what = "one of these rules"
    else:  # none of its placements fits its length
        return " — move the pin" if pinned else " — shorten the series or widen its window"
    return f" — relax {what}, or move the pin" if pinned else f" — relax {what}"


def _given(p: Problem, session: str) -> date | None:
    """In a re-solve's instance, the day before which `session` took place (the revision's
    `frozen_before`), when it did: its pins then say where it was given, and "move the pin"
    is no advice (a scale audit's conflict said so of a session of October)."""
    return p.instance.frozen_before if session in p.given else None


def _rules_rejecting(p: Problem, broken: Rejections, total: int) -> list[str]:
    """The words for each rule rejecting some of the `total` placements, most rejecting first."""
    counts = {
        name: sum(name in names for _, names in broken) for name, _ in FILTERS if name != "pin"
    }
    return [
        _rejecting(p, name, n, broken, total)
        for name, n in sorted(counts.items(), key=lambda x: -x[1])
        if n
    ]


def _pinned_words(p: Problem, session: str, given: date | None) -> str:
    """What the placements counted are held to: where `session` took place, its pin, or nothing."""
    if given is not None:
        return f" where it took place (before {format_date(given)}; the past stays as given)"
    return " matching its pin" if p.pins_of.get(session) else ""


def _pin_leaves_none(p: Problem, s: Session, names: str) -> str:
    """Why `names` (`s`'s series) can be placed nowhere when its pin leaves it no start."""
    n = s.length
    dated = any(pin.date for pin in p.pins_of.get(s.id, ()))
    return (
        f"{names} can be placed nowhere: its pin ({', '.join(pin_words(p, s.id))}) "
        f"leaves no start with {n} open slot{'s' * (n > 1)} in a row "
        f"{'that day' if dated else 'on any day'} (a closure, a holiday, the day's "
        "end or a site without rooms in the way) — move the pin"
    )


def _sole_first(p: Problem, sole: list[tuple[str, int, Placement]], why: str) -> str:
    """`why` after the rules that alone exclude some placements (`sole`), with one of each."""
    return (  # "one rule alone excludes 3 (x)", then "x (all 6)", read as a
        # contradiction (an audit): these are the placements no other rule rejects
        "rejected by one rule alone: "
        + "; ".join(
            f"{n} by {name} (e.g. {format_date(c.start.date)} {c.start.slot}, "
            f"{exclusion_detail(p, name, c)})"
            for name, n, c in sole
        )
        + f"; all {why}"
    )


def _advice(p: Problem, s: Session, raw: list[Placement], broken: Rejections) -> str:
    """Words for what keeps `s` from its `raw` placements beyond the counts: a window
    without slots, rooms never open, teachers never available or never free together; else
    nothing."""
    why = _window_without_slots(p, s) or _rooms_never_open(p, s, broken)
    absent = [t for t in s.teachers if raw and _never_available(p, t, raw)]
    if absent:
        why += (
            f"; {join_words([f'teacher {t}' for t in absent])} "
            f"{'is' if len(absent) == 1 else 'are'} available at none of them: widen "
            f"{join_words(absent)}'s availability or give the series another teacher"
        )
    within = [c for c, names in broken if "ue_window" not in names]
    away = [t for t in s.teachers if t not in absent and within]
    away = [t for t in away if _never_available(p, t, within)]
    if away:  # the explain audit's sabbatical was said as placement counts alone
        why += (
            f"; {join_words([f'teacher {t}' for t in away])} "
            f"{'is' if len(away) == 1 else 'are'} unavailable throughout its window "
            f"({format_window(s.window, p)}): widen {join_words(away)}'s "
            "availability or the window, or give the series another teacher"
        )
    together = _never_together(p, s.teachers, raw) if raw and not absent else ""
    return why + together + _days_too_short(p, s, broken)


def _days_too_short(p: Problem, s: Session, broken: Rejections) -> str:
    """Words for the weekdays with fewer slots than `s` lasts, which its placements never
    count, when availability (the series' or its teachers') is what rejects all the others
    (an audit's two-slot sessions kept to Wednesdays, whose afternoon was off, read "cannot
    take place Mondays, Tuesdays, Thursdays and Fridays" and nothing of Wednesday)."""
    available = {"series_availability", "teacher_availability"}
    if s.length < 2 or not all(available & set(names) for _, names in broken):
        return ""
    per_day = Counter(slot.weekday for slot in p.instance.calendar.slots)
    short = [day for day in WEEKDAYS if 0 < per_day[day] < s.length]
    if not short:
        return ""
    days = join_words([f"{weekdays_word(d)} ({count_of(per_day[d], 'slot')})" for d in short])
    return (
        f"; it lasts {s.length} slots in a row, which {days} cannot hold — add slots to those "
        "days, shorten the series, or lift what keeps it from the others"
    )


def _placed_nowhere(p: Problem, series: tuple[Session, ...], empty: list[Session]) -> str:
    """Why the `empty` sessions of `series` can be placed nowhere, counted on the first."""
    raw = [c for c in raw_placements(p, empty[0]) if matches_pins(p, c)]
    broken = rejections(p, raw)  # every filter once per placement, for both summaries
    rules = _rules_rejecting(p, broken, len(raw))
    given = _given(p, empty[0].id)
    pinned = _pinned_words(p, empty[0].id, given)
    names = empty[0].id if len(empty) == 1 else f"{len(empty)} sessions of {series[0].series_id}"
    if not raw and not length_fits(p, empty[0]):
        return _no_room_in_the_days(p, empty[0], names)
    if not raw and pinned:  # "of its 0 placements matching its pin, none fits" (an audit)
        return _pin_leaves_none(p, empty[0], names)
    why = f"rules rejecting them: {join_words(rules)}" if rules else "none fits its length"
    sole = sole_exclusions(broken)
    if sole:  # the rules that alone stand in the way come first: the likely mistake
        why = _sole_first(p, sole, why)
    advice = _advice(p, empty[0], raw, broken)
    why += advice
    events = _events_in_the_way(p, broken, sole)
    if not advice and events:  # "relax a rule": a fixed event is no rule to relax (an audit)
        them = "it" if len(events) == 1 else "them"
        why += (
            f" — move fixed event {join_words(events)} or take off {them} the teachers, "
            f"students or rooms {them} {'shares' if them == 'it' else 'share'} with "
            f"{series[0].series_id}{', or move the pin' if pinned and given is None else ''}"
        )
    elif not advice:  # an audit found no way out said
        why += _way_out(bool(sole), bool(rules), bool(pinned) and given is None)
    if not advice and any(name == "one_site_per_day" for name, _, _ in sole):
        # an areas audit: only the conflicting rules below the line offered an area
        why += f", or, {AREA_IF_CLOSE}"
    whose = "its" if len(empty) == 1 else f"{empty[0].id}'s"  # the counts are the first's
    return (
        f"{names} can be placed nowhere: of {whose} {count_of(len(raw), 'placement')}{pinned}"
        f"{'' if given else ' (a date, slot and room each)'}, {why}"
    )


_EVENT_RULES = frozenset({"fixed_events", "one_site_per_day"})


def _events_in_the_way(
    p: Problem, broken: Rejections, sole: list[tuple[str, int, Placement]]
) -> list[str]:
    """The fixed events in the way when the rules that alone exclude some placements
    (`sole`) are theirs: the events on the days of the placements only `fixed_events` or
    `one_site_per_day` rejects (an audit's jury took a visitor's only Saturday, and the
    advice was to "relax a rule that alone excludes some of them")."""
    if not sole or any(name not in _EVENT_RULES for name, _, _ in sole):
        return []
    return sorted(
        {
            o.event.id
            for c, names in broken
            if names and set(names) <= _EVENT_RULES
            for o in p.events_on.get(c.start.date, ())
            if concerns(p, o.event, c)
        }
    )


def check_empty_domains(p: Problem, domains: Domains) -> list[Finding]:
    """A session that no placement suits, and how many placements each rule rejects."""
    found = []
    for series in p.series.values():
        empty = [s for s in series if not domains[s.id]]
        if not empty:
            continue
        msg = _placed_nowhere(p, series, empty)
        found.append(Finding("error", "placement", tuple(s.id for s in empty), msg))
    return found
