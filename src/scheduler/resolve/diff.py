"""What changed between the published timetable and the new one, and which change caused it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from scheduler.data.domains import FILTERS, Placement
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import WEEKDAYS, count_of
from scheduler.resolve.changes import Change, Changes
from scheduler.solution import Assignment


@dataclass(frozen=True)
class Moved:
    """A session whose placement changed (before or after may be missing)."""

    session: str
    before: Assignment | None
    after: Assignment | None
    what: str
    cause: str  # the changes as in the changes file (`teacher_unavailable date=... teacher=...`)
    words: str = ""  # the same for people (`T04 unavailable on Tuesday 2027-02-16`)
    teachers: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # before, after: if changed

    def change_in_words(self) -> str:
        """`date+site`, `teacher (T04 -> T09)`: what changed, for changes.md."""
        if self.teachers is None:
            return self.what
        before, after = (", ".join(t) or "none" for t in self.teachers)
        return f"{self.what} ({before} -> {after})"


def _hits(
    problem: Problem,
    change: Change,
    published: Assignment,
    revised: Assignment | None,
    taught_by: tuple[str, ...] = (),
    teaching: Teaching = MappingProxyType({}),
) -> bool:
    """True when the `published` placement breaks `change` directly (for a pin: lies
    elsewhere), or, for a teacher available again, when the session moved to a slot the
    change frees (`revised`), or, for a teacher replaced, when the session is one the change hands over (`taught_by`: its
    teachers then) and stayed, or its new teacher cannot give it where it was (unavailable,
    or teaching another session then: `teaching`)."""
    a = published
    if change.cancelled is not None:
        return change.cancelled.session == a.session
    s = problem.session.get(a.session)
    if change.teacher_replaced is not None:
        return s is not None and _handed_over(problem, change, s, a, revised, taught_by, teaching)
    if change.pinned is not None:  # it names the session, which was elsewhere
        pin = change.pinned
        return (
            s is not None
            and pin.covers(s.ue, s.series_id, s.id)
            and not pin.matches(a.date, a.slot, problem.room_site.get(a.room), a.room)
        )
    if change.window is not None:  # a session the new window no longer holds
        w = change.window
        return (
            s is not None
            and w.target in (s.ue, s.series_id)
            and s.window is not None
            and not s.window.contains(a.date)
        )
    start = problem.slot_by_key.get((a.date, a.slot))
    if s is None or start is None:
        return False
    if change.event_moved is not None:
        return _meets_moved_event(problem, change.event_moved.event, s, a)
    if change.teacher_available is not None:
        free = change.teacher_available
        return (
            free.teacher in s.teachers
            and revised is not None
            and free.matches(revised.date, WEEKDAYS[revised.date.weekday()], revised.slot)
        )
    slots = problem.occupied(start, s.length) or (start,)
    rule = change.teacher_unavailable or change.room_unavailable or change.site_closed
    if rule is None or not any(rule.matches(o.date, o.weekday, o.slot) for o in slots):
        return False
    if change.teacher_unavailable is not None:
        return change.teacher_unavailable.teacher in s.teachers
    if change.room_unavailable is not None:
        return change.room_unavailable.room == a.room
    assert change.site_closed is not None
    return problem.room_site.get(a.room) == change.site_closed.site


Teaching = Mapping[tuple[str, object, str], frozenset[str]]  # (teacher, date, slot) -> sessions


def _teaching_of(
    problem: Problem, after: Sequence[Assignment]
) -> dict[tuple[str, object, str], frozenset[str]]:
    """Who teaches which sessions in each dated slot of the new timetable."""
    out: dict[tuple[str, object, str], set[str]] = defaultdict(set)
    for a in after:
        s = problem.session.get(a.session)
        if s is None:
            continue
        for held in problem.held(s, a.date, a.slot) or ():
            for t in s.teachers:
                out[t, held.date, held.slot].add(a.session)
    return {k: frozenset(v) for k, v in out.items()}


def _handed_over(
    problem: Problem,
    change: Change,
    s: Session,
    published: Assignment,
    revised: Assignment | None,
    taught_by: tuple[str, ...],
    teaching: Teaching,
) -> bool:
    """Whether teacher_replaced `change` is why `s` changed: it hands `s` over (two chained
    replacements in one file both count), and `s` stayed where it was, or its place is no
    longer allowed, or a new teacher gives another session there now (an audit saw a move
    made for an added session blamed on a replacement)."""
    r = change.teacher_replaced
    assert r is not None
    left = r.teacher in taught_by and r.teacher not in s.teachers
    came = r.by is not None and r.by in s.teachers and r.by not in taught_by
    if not (left or came) or not r.covers(s.ue, s.series_id, s.id):
        return False
    if revised is None or place_of(published) == place_of(revised):
        return True
    if not _still_allowed(problem, published):
        return True
    held = problem.held(s, published.date, published.slot) or ()
    newcomers = [t for t in s.teachers if t not in taught_by]
    return any(
        teaching.get((t, x.date, x.slot), frozenset()) - {s.id} for t in newcomers for x in held
    )


def _meets_moved_event(problem: Problem, event_id: str, s: Session, a: Assignment) -> bool:
    """Whether published placement `a` of `s` breaks a rule with the moved fixed event now:
    on one of its days (a shared teacher, students or room, another site), or out of the
    order a precedence naming both asks for."""
    event = problem.event.get(event_id)
    c = _placement(problem, a)
    if event is None or c is None:
        return False
    if a.date in event.dates:
        return not all(allows(problem, c) for name, allows in FILTERS if name in SAME_DAY)
    names = {s.ue, s.series_id, s.id}
    linked = any(
        event_id in (rule.before, rule.after) and names & {rule.before, rule.after}
        for rule in problem.instance.precedences
    )
    return linked and not dict(FILTERS)["precedence"](problem, c)


def _what(
    problem: Problem, before: Assignment, after: Assignment, other_teachers: bool = False
) -> str:
    """What changed: `date` (another day), `time` (the same day, another slot), `site`,
    `room`, `teacher`."""
    parts = []
    if before.date != after.date:
        parts.append("date")
    elif before.slot != after.slot:
        parts.append("time")
    if problem.room_site.get(before.room) != problem.room_site.get(after.room):
        parts.append("site")
    if before.room != after.room:
        parts.append("room")
    if other_teachers:
        parts.append("teacher")
    return "+".join(parts)


def compare(
    problem: Problem,
    before: dict[str, Assignment],
    after: tuple[Assignment, ...],
    changes: Changes,
    edited: bool = False,
    taught_by: Mapping[str, tuple[str, ...]] = MappingProxyType({}),
) -> list[Moved]:
    """Every session added, removed, moved or given another teacher, with the change that
    caused it; `edited`: the instance was edited since the timetable was solved, which moves
    sessions too; `taught_by`: the published timetable's teachers by session (none given:
    teachers are not compared)."""
    new = {a.session: a for a in after}
    teaching = _teaching_of(problem, after)
    moved = []
    for sid in sorted(set(before) | set(new)):
        b, a = before.get(sid), new.get(sid)
        session = problem.session.get(sid)
        # as sets: co-teachers listed in another order teach it all the same (a review's
        # notices said "donnée par personne au lieu de personne")
        other_teachers = (
            sid in taught_by
            and session is not None
            and set(taught_by[sid]) != set(session.teachers)
        )
        if b is not None and place_of(b) == place_of(a) and not other_teachers:
            continue
        if b is None:
            moved.append(_added(problem, sid, a, changes))
            continue
        if a is None:
            moved.append(_removed(problem, sid, b, changes))
            continue
        then = taught_by.get(sid, ())
        cause, words = _cause(problem, b, a, changes, then, teaching, other_teachers, edited)
        teachers = (then, session.teachers) if other_teachers and session else None
        what = _what(problem, b, a, other_teachers)
        moved.append(Moved(sid, b, a, what, cause, words, teachers))
    return _knock_ons_named(problem, moved)


_KNOCK_ON = "knock-on: moved to make room for "


def _knock_ons_named(problem: Problem, moved: list[Moved]) -> list[Moved]:
    """Each knock-on with the session moved (or added) into the place it left, when there is
    one: an audit's five changes moved three sessions 'to make room for the changes', and only
    the reader could find that a pin's session took their place. A session that took the place
    is a change's first, else a knock-on named so (a cancelled session moved into the next one's
    date, which moved into the next's: that one read 'for the changes'), with the change's."""
    movers: list[tuple[Moved, Placement, Moved]] = [  # the mover, its new place, whose change
        (m, now, m)
        for m in moved
        if m.after is not None
        and not m.cause.startswith("knock-on")
        and (now := _placement(problem, m.after)) is not None
    ]
    takers: dict[str, tuple[Moved, Moved]] = {}
    knocked = [m for m in moved if m.cause.startswith(_KNOCK_ON)]
    while True:  # a chain of knock-ons, nearest the change first
        found = {
            m.session: hit
            for m in knocked
            if m.session not in takers and (hit := _taker(problem, m, movers)) is not None
        }
        if not found:
            break
        takers.update(found)
        movers += [
            (m, now, found[m.session][1])
            for m in knocked
            if m.session in found
            and m.after is not None
            and (now := _placement(problem, m.after)) is not None
        ]
    return [
        _named(m, *takers[m.session]) if m.session in takers else _opened_only(m) for m in moved
    ]


def _opened_only(m: Moved) -> Moved:
    """A knock-on that no session took the place of, said by the changes that opened its
    new place when there are (`_cause`): it went there because they allowed it."""
    if not m.cause.startswith(_KNOCK_ON) or not _tail(m.cause).startswith("; teacher_available"):
        return m  # a replacement's tail (`_cause`'s `handed`) keeps the knock-on
    return replace(m, cause=_tail(m.cause)[2:], words=_tail(m.words)[2:])


def _named(knocked: Moved, taker: Moved, root: Moved) -> Moved:
    """Knock-on `knocked`, its place taken by `taker`, moved by `root`'s change; the changes
    that opened its new place, if any, kept after it (`_cause`)."""
    tail, said = _tail(knocked.cause), _tail(knocked.words)
    if taker is root:
        return replace(
            knocked,
            cause=f"{_KNOCK_ON}{taker.session} ({taker.cause}){tail}",
            words=f"{_KNOCK_ON}{taker.session} ({taker.words}){said}",
        )
    return replace(
        knocked,
        cause=f"{_KNOCK_ON}{taker.session}, moved for {root.session} ({root.cause}){tail}",
        words=f"{_KNOCK_ON}{taker.session}, moved for {root.session} ({root.words}){said}",
    )


def _tail(knock_on: str) -> str:
    """What follows an unnamed knock-on's own words (`_knock_on`'s, which hold no `; `)."""
    _, sep, rest = knock_on.partition("; ")
    return f"{sep}{rest}"


def _taker(
    problem: Problem, knocked: Moved, movers: list[tuple[Moved, Placement, Moved]]
) -> tuple[Moved, Moved] | None:
    """The first of `movers` placed where `knocked` was (at a slot it held, in its room or
    with a teacher or students in common), with the mover whose change moved it; else the
    first placed on its day in another area with a teacher or students in common (one site a
    day: an audit's knock-ons moved so read "to make room for the changes")."""
    was = _placement(problem, knocked.before) if knocked.before else None
    if was is None:
        return None
    held = {x.index for x in was.slots}

    def shares(now: Placement) -> bool:
        return bool(
            set(now.session.teachers) & set(was.session.teachers)
            or problem.groups_conflict(now.session.groups, was.session.groups)
        )

    others = [(m, now, root) for m, now, root in movers if m.session != knocked.session]
    for m, now, root in others:
        if held & {x.index for x in now.slots} and (now.room == was.room or shares(now)):
            return m, root
    for m, now, root in others:
        away = problem.area[now.site] != problem.area[was.site]
        if now.start.date == was.start.date and away and shares(now):
            return m, root
    return None


def _added(problem: Problem, sid: str, a: Assignment | None, changes: Changes) -> Moved:
    """Session `sid` added, with the change that added it."""
    added = _addition(sid, changes)
    return Moved(
        sid,
        None,
        a,
        "added",
        added.describe() if added else "new session",
        added.in_words(problem) if added else "new session",
    )


def _removed(problem: Problem, sid: str, b: Assignment, changes: Changes) -> Moved:
    """Session `sid` removed, with the change that dropped it."""
    why = _dropping(sid, changes)
    gone = "no longer in the instance"
    cause, words = (why.describe(), why.in_words(problem)) if why else (gone, gone)
    return Moved(sid, b, None, "removed", cause, words)


def _cause(
    problem: Problem,
    b: Assignment,
    a: Assignment,
    changes: Changes,
    then: tuple[str, ...],
    teaching: Teaching,
    other_teachers: bool,
    edited: bool,
) -> tuple[str, str]:
    """Why a session moved from `b` to `a` (or was given other teachers), as in the changes
    file and in words."""
    direct = [c for c in changes.changes if _hits(problem, c, b, a, then, teaching)]
    # a replacement that hands the session over without moving it: its teacher's cause
    handed = [
        c
        for c in changes.changes
        if c not in direct and _hits(problem, c, b, None, then) and c.teacher_replaced
    ]
    if direct and all(c.teacher_available for c in direct) and _still_allowed(problem, b):
        # it could have stayed: a teacher free again only opened the slot it went to, and a
        # session that took its place is why it moved (a visitors audit's re-solve gave the
        # availability alone); `_knock_ons_named` names that session, the opening stays
        cause = _knock_on(problem, b, edited, True) + "".join(f"; {c.describe()}" for c in direct)
        words = _knock_on(problem, b, edited, True) + "".join(
            f"; {c.in_words(problem)}" for c in direct
        )
    elif direct:
        cause = "; ".join(c.describe() for c in direct)
        words = "; ".join(c.in_words(problem) for c in direct)
    elif other_teachers and edited and not handed:
        cause = words = "the instance's edits: its teachers changed"
    else:
        cause = words = _knock_on(problem, b, edited, bool(changes.changes))
    if handed:
        cause += "".join(f"; {c.describe()}" for c in handed)
        words += "".join(f"; {c.in_words(problem)}" for c in handed)
    return cause, words


def moved_in_words(moved: Sequence[Moved]) -> str:
    """`3 sessions, 1 session added, 2 sessions given another teacher in place`: the
    sessions moved, then those added, removed or given another teacher where they were
    (an audit read added sessions counted as moved)."""
    kinds = Counter(_kind(m) for m in moved)
    others = "".join(
        f", {count_of(kinds[k], 'session')} {k}"
        for k in ("added", "removed", "given another teacher in place")
        if kinds[k]
    )
    return f"{count_of(kinds['moved'], 'session')}{others}"


def _kind(m: Moved) -> str:
    if m.after is None:
        return "removed"
    if m.before is None:
        return "added"
    return "given another teacher in place" if m.what == "teacher" else "moved"


def _knock_on(problem: Problem, before: Assignment, edited: bool, any_change: bool) -> str:
    """Why a session no change names moved: its place breaks the edited instance's rules, or
    it made room for the changes (or for the edits: 'knock-on ... the changes' beside
    '0 change(s)' read as a contradiction)."""
    if edited:
        if not _still_allowed(problem, before):
            return "the instance's edits: its published place breaks one of its rules now"
        made_room = "the changes and the instance's edits" if any_change else "the instance's edits"
        return f"{_KNOCK_ON}{made_room}"
    return f"{_KNOCK_ON}the changes"


def _placement(problem: Problem, a: Assignment) -> Placement | None:
    """Assignment `a` as a placement of `problem` (None: its session, slots or room is not
    one of the problem's)."""
    session = problem.session.get(a.session)
    held = problem.held(session, a.date, a.slot) if session else None
    if session is None or held is None or a.room not in problem.room_site:
        return None
    return Placement(session, held, a.room, problem.room_site[a.room])


def _still_allowed(problem: Problem, a: Assignment) -> bool:
    """Whether placement `a` passes every placement filter of `problem` (as `candidates`)."""
    c = _placement(problem, a)
    return c is not None and all(allows(problem, c) for _, allows in FILTERS)


def _dropping(session_id: str, changes: Changes) -> Change | None:
    """The change that dropped `session_id`, if any."""
    return next((c for c in changes.changes if c.dropped and c.dropped.session == session_id), None)


def _addition(session_id: str, changes: Changes) -> Change | None:
    """The change that added `session_id`, if any."""
    for c in changes.changes:
        if c.add_sessions is not None and session_id.startswith(
            f"{c.add_sessions.ue}-{c.add_sessions.series}-"
        ):
            return c
    return None


SAME_DAY = ("fixed_events", "one_site_per_day")  # FILTERS' rules about an event's own days


def place_of(a: Assignment | None) -> tuple[object, ...] | None:
    """Where and when `a` is (date, slot, room), to compare two placements."""
    return (a.date, a.slot, a.room) if a else None


def today_against_latest(
    latest: Sequence[Assignment], after: Sequence[Assignment], today: dt.date, name: str
) -> list[str]:
    """Warnings for the sessions a re-solve gives today where the latest revision (`name`),
    whose calendars people hold, did not, or the other way round: a re-solve from an older
    revision put back tonight a session the latest had cancelled for tonight, with the
    teacher it had replaced, and only the general warning said so (the calendar audit)."""
    was = {a.session: a for a in latest}
    now = {a.session: a for a in after}
    lines = []
    for sid in sorted(set(was) | set(now)):
        a, b = was.get(sid), now.get(sid)
        then = a if a is not None and a.date == today else None
        tonight = b if b is not None and b.date == today else None
        if tonight is not None and (then is None or then.slot != tonight.slot):
            lines.append(
                f"warning: {sid} is given today ({tonight.slot}) in this revision, not in "
                f"{name}, the latest people were told of: tell its students and teachers now"
            )
        elif then is not None and tonight is None:
            # "is not in this revision" of a session it moves to another day (an audit)
            where = "is not in this revision" if b is None else f"moves to {b.date} {b.slot} here"
            lines.append(
                f"warning: {sid} was to be given today ({then.slot}) in {name}, the latest people "
                f"were told of, and {where}: tell its students and teachers now"
            )
    return lines
