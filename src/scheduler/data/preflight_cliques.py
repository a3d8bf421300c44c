"""Pre-flight check of sessions that clash pairwise across people: a teacher's sessions and
the students' sessions that clash with every one of them need a slot each.

`preflight_matching` checks each person (a student profile, a teacher) alone. A teacher who
gives both option tracks' sessions fits the teacher's slots, and each track's students fit
theirs, yet the teacher's sessions and the cohort's all clash with one another: together they
need more slots than there are (an audit's 26 sessions in 23 slots, "UNKNOWN" after 20 s of
search). Here each person's sessions are grown, greedily, by the sessions that clash with all
of them (another person's: the same teacher or the same students, as the model's
double-booking rules say), and the grown set goes through the same maximum flow. Every pair in
the set clashes, so a flow short of the slots it needs proves that no timetable exists.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.data.findings import Domains, Finding
from scheduler.data.preflight_matching import Short, people, short_of_days
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import during, join_words, teacher_label


def _clashing(p: Problem) -> dict[str, set[str]]:
    """Each session's clashing sessions (itself included): those sharing a person with it."""
    found: dict[str, set[str]] = defaultdict(set)
    for _, _, mine in people(p):
        ids = {s.id for s in mine}
        for sid in ids:
            found[sid] |= ids
    return found


def _grown(own: list[Session], p: Problem, clash: dict[str, set[str]]) -> list[Session]:
    """`own` and, in the sessions' order, every session that clashes with all taken so far."""
    taken = {s.id for s in own}
    common = set.intersection(*(clash[sid] for sid in taken)) - taken
    grown = list(own)
    for s in p.sessions:
        if s.id in common and taken <= clash[s.id]:
            taken.add(s.id)
            grown.append(s)
    return grown


def _links(p: Problem, mine: list[Session]) -> str:
    """What makes sessions of different series clash: the teachers who give sessions of two
    series or more, and students when a profile attends two series' sessions."""
    teachers = sorted({t for s in mine for t in s.teachers})
    linking = [t for t in teachers if len({s.series_id for s in mine if t in s.teachers}) > 1]
    students = any(
        len({s.series_id for s in mine if profile.intersection(s.groups)}) > 1
        for profile in p.profiles
    )
    named = join_words([teacher_label(p, t) for t in linking], "or") if linking else ""
    if linking and students:
        return f"a teacher, {named}, or students"
    return f"a teacher, {named}" if linking else "students"


def _named(p: Problem, mine: list[Session], domains: Domains) -> str:
    """The series whose sessions (those with a placement) are all in `mine` by their id, the
    sessions of the others one by one."""
    ids = {s.id for s in mine}
    words: list[str] = []
    for series_id in sorted({s.series_id for s in mine}):
        placed = [s.id for s in p.series[series_id] if domains[s.id]]
        words += [series_id] if set(placed) <= ids else [x for x in placed if x in ids]
    return join_words(words)


def _message(p: Problem, grown: list[Session], short: Short, domains: Domains) -> str:
    mine = [s for s in grown if s.series_id in short.series]
    days = any(p.distinct_day_series.get(s.id) for s in mine)
    on_days = ", each session of a series on a day of its own," if days else ""
    return (
        f"{_named(p, mine, domains)} need {count_of(short.need, 'session slot')} "
        f"{during(short.first, short.last)}{on_days} and no two of their sessions can "
        f"share one (they share {_links(p, mine)}), but the slots they can use there hold "
        f"only {short.have} — give a series another teacher, widen a window or an "
        "availability, or move a session"
    )


def check_clashing_sets(p: Problem, domains: Domains) -> list[Finding]:
    """People's sessions grown by all that clash with them (`_grown`), short of slots."""
    clash = _clashing(p)
    found: list[Finding] = []
    seen: set[frozenset[str]] = set()
    said: set[tuple[str, ...]] = set()
    # a teacher's first: "another teacher" is the likelier way out
    for rule, _, mine in sorted(people(p), key=lambda x: x[0] != "teacher_double_booking"):
        if not mine:
            continue
        grown = _grown(mine, p, clash)
        key = frozenset(s.id for s in grown)
        if len(grown) == len(mine) or key in seen:
            continue  # the person alone: `check_days_and_slots`
        seen.add(key)
        short = short_of_days(p, grown, domains)
        if short is None or short.series in said:
            continue
        said.add(short.series)
        message = _message(p, grown, short, domains)
        found.append(Finding("error", rule, short.series, message))
    return found
