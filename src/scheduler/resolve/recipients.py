"""Whom a re-solve's changes concern: each teacher and group of a changed session, before or
after the change, with the sessions to tell them of. Staff had to read every row of
changes.md to draw up the list of people to write to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from scheduler.data.problem import Problem
from scheduler.data.words import name_and_id, teacher_label
from scheduler.export.common import split
from scheduler.resolve.diff import Moved
from scheduler.resolve.published_rows import NOTHING, Rows


def _teachers(problem: Problem, m: Moved, shown: Rows) -> list[str]:
    """The teachers of `m`'s session before and after (both, when a change gave it to
    another), from the instance or, for a session it no longer has, as published."""
    if m.teachers is not None:
        return list(dict.fromkeys([*m.teachers[0], *m.teachers[1]]))
    session = problem.session.get(m.session)
    if session is not None:
        return list(session.teachers)
    return split(shown.get(m.session, {}).get("teachers", ""))


def _groups(problem: Problem, m: Moved, shown: Rows) -> list[str]:
    """The groups of `m`'s session, from the instance or as published."""
    session = problem.session.get(m.session)
    if session is not None:
        return list(session.groups)
    return split(shown.get(m.session, {}).get("groups", ""))


def recipients(
    problem: Problem, moved: Sequence[Moved], shown: Rows = NOTHING
) -> list[tuple[str, list[Moved]]]:
    """Each teacher, then each group, a session of `moved` concerns, in the instance's order
    (an id it no longer has after them), as `Name (ID) <email>`, with those sessions in the
    order of `moved`."""
    teaching: dict[str, list[Moved]] = defaultdict(list)
    attending: dict[str, list[Moved]] = defaultdict(list)
    for m in moved:
        for t in _teachers(problem, m, shown):
            teaching[t].append(m)
        for g in _groups(problem, m, shown):
            attending[g].append(m)
    order = {t.id: i for i, t in enumerate(problem.instance.teachers)}
    order |= {g.id: i for i, g in enumerate(problem.instance.groups)}
    out = []
    for t in sorted(teaching, key=lambda t: (order.get(t, len(order)), t)):
        label = teacher_label(problem, t) if t in problem.teacher else t
        email = problem.teacher[t].email if t in problem.teacher else None
        out.append((f"{label} <{email}>" if email else label, teaching[t]))
    for g in sorted(attending, key=lambda g: (order.get(g, len(order)), g)):
        label = name_and_id(problem.group[g].name, g) if g in problem.group else g
        out.append((f"students of {label}", attending[g]))
    return out


def recipient_lines(problem: Problem, moved: Sequence[Moved], shown: Rows = NOTHING) -> list[str]:
    """changes.md's list of whom to tell, a line each: `- Luc Mertens (T04)
    <luc.mertens@example.org>: UE3-main-05 (date), UE3-main-06 (site)`; none without a
    changed session."""
    found = recipients(problem, moved, shown)
    if not found:
        return []
    lines = ["", "Whom to tell (each teacher and group of a changed session, before or after):", ""]
    for who, sessions in found:
        listed = ", ".join(f"{m.session} ({m.change_in_words()})" for m in sessions)
        lines.append(f"- {who}: {listed}")
    return lines
