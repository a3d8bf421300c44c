"""Pre-flight checks of sessions whose pins hold a time: two bound to overlapping times, and
a session each of whose starts a pinned session of its teacher, students or room holds.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.data.domains import Placement
from scheduler.data.findings import Domains, Finding
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.words import format_date, join_words, teacher_label

#: starts named one by one in a finding, at most (the others counted)
LISTED_STARTS = 4


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
    # a pin of a date or slot (a German audit's sessions pinned to a site alone were said
    # "pinned" to their one start); a re-solve's sessions given are all before any other's
    pinned = p.pinned_in_time
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
            bound_by = (
                "by its window, its people's or rooms' availability, closures or fixed events"
            )
            why = "; ".join(f"{x.id} {'pinned' if x.id in pinned else bound_by}" for x in (a, b))
            # one pinned: the other may be freed too (an audit's rooms closed around a pin)
            free = [x.id for x in (a, b) if x.id not in pinned]
            way_out = f"move the pin, or free {free[0]}" if free else "move a pin"
            msg = (
                f"{a.id} and {b.id} can only take place at times that overlap, {when} "
                f"({why}), and {who} — {way_out}"
            )
            found.append(Finding("error", rule, (a.id, b.id), msg))
    return found


def check_crowded_out_by_pins(p: Problem, domains: Domains) -> list[Finding]:
    """A session with several starts, each of which a pinned session holds (bound to one
    start that overlaps it) that shares its teacher, students or only room. An audit pinned
    two sessions to the Saturday mornings of the only two Saturdays a full-day session could
    take: no check said so, and the conflict search found no explanation in 30 s."""
    pinned = p.pinned_in_time
    holding: dict[int, list[Session]] = defaultdict(list)
    for b, occupied in _bound_to_one_start(p, domains):
        if b.id in pinned:
            for index in occupied:
                holding[index].append(b)
    found = []
    for s in p.sessions if holding else ():
        starts = {c.start.index: c for c in domains[s.id]}
        if len(starts) < 2:
            continue  # one start: check_clashing_starts says the pair
        held: list[Held] = []
        for c in starts.values():
            by = next(
                (
                    (b, clash)
                    for d in c.slots
                    for b in holding.get(d.index, ())
                    if b.id != s.id and (clash := _clash(p, s, b, domains)) is not None
                ),
                None,
            )
            if by is None:
                break
            held.append((c, *by))
        else:
            found.append(_crowded_out(s, held))
    return found


#: a start of a session, the pinned session holding it, and (rule, who) of their clash
Held = tuple[Placement, Session, tuple[str, str]]


def _crowded_out(s: Session, held: list[Held]) -> Finding:
    """The finding of `check_crowded_out_by_pins` for `s`: its starts and who holds each."""
    parts = [
        f"{format_date(c.start.date)} {c.start.slot} by {b.id} ({_held_because(who)})"
        for c, b, (_, who) in held
    ]
    more = len(parts) - LISTED_STARTS
    shown = parts if more <= 1 else [*parts[:LISTED_STARTS], f"{more} other starts"]
    holders = tuple(sorted({b.id for _, b, _ in held}))
    msg = (
        f"{s.id} can start at {len(held)} times only, and a pinned session sharing its "
        f"teacher, students or room holds each: {join_words(shown)} — move a pin"
    )
    return Finding("error", held[0][2][0], (s.id, *holders), msg)


def _held_because(who: str) -> str:
    """`_clash`'s words said of the pinned session: `also given by Anne Lambert (T1)`."""
    who = who.replace("both are given by ", "also given by ")
    return who.replace("their students are the same", "the same students")
