"""What changed between the published timetable and the new one, and which change caused it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from scheduler.data.problem import Problem
from scheduler.resolve.changes import Change, Changes
from scheduler.solution import Assignment


@dataclass(frozen=True)
class Moved:
    """A session whose placement changed (before or after may be missing)."""

    session: str
    before: Assignment | None
    after: Assignment | None
    what: str
    cause: str


def _hits(problem: Problem, change: Change, a: Assignment) -> bool:
    """True when the published placement `a` breaks `change` directly."""
    if change.cancelled is not None:
        return change.cancelled.session == a.session
    s = problem.session.get(a.session)
    start = problem.slot_by_key.get((a.date, a.slot))
    if s is None or start is None:
        return False
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


def _what(problem: Problem, before: Assignment, after: Assignment) -> str:
    parts = []
    if (before.date, before.slot) != (after.date, after.slot):
        parts.append("date")
    if problem.room_site.get(before.room) != problem.room_site.get(after.room):
        parts.append("site")
    if before.room != after.room:
        parts.append("room")
    return "+".join(parts)


def compare(
    problem: Problem, before: dict[str, Assignment], after: tuple[Assignment, ...], changes: Changes
) -> list[Moved]:
    """Every session added, removed or moved, with the change that caused it."""
    new = {a.session: a for a in after}
    moved = []
    for sid in sorted(set(before) | set(new)):
        b, a = before.get(sid), new.get(sid)
        if b is not None and a is not None and (b.date, b.slot, b.room) == (a.date, a.slot, a.room):
            continue
        if b is None:
            moved.append(Moved(sid, None, a, "added", _cause_of_addition(sid, changes)))
            continue
        if a is None:
            moved.append(Moved(sid, b, None, "removed", "no longer in the instance"))
            continue
        direct = [c.describe() for c in changes.changes if _hits(problem, c, b)]
        cause = "; ".join(direct) if direct else "knock-on: moved to make room for the changes"
        moved.append(Moved(sid, b, a, _what(problem, b, a), cause))
    return moved


def _cause_of_addition(session_id: str, changes: Changes) -> str:
    for c in changes.changes:
        if c.add_sessions is not None and session_id.startswith(
            f"{c.add_sessions.ue}-{c.add_sessions.series}-"
        ):
            return c.describe()
    return "new session"


def _where(problem: Problem, a: Assignment | None) -> str:
    if a is None:
        return "—"
    return f"{a.date} {a.slot} {problem.room_site.get(a.room, '?')}/{a.room}"


def changes_markdown(
    problem: Problem, moved: list[Moved], changes: Changes, header: list[str]
) -> str:
    """A readable `changes.md`."""
    lines = [f"# Changes to {problem.instance.name} (today {changes.today})", "", *header, ""]
    past = set(changes.past())
    lines.append("Changes applied:")
    lines += [f"- {c.describe()}" for i, c in enumerate(changes.changes) if i not in past] or [
        "- none"
    ]
    if past:
        lines += ["", f"Changes wholly before today {changes.today} (nothing to re-solve):"]
        lines += [f"- {changes.changes[i].describe()}" for i in sorted(past)]
    lines += ["", f"{len(moved)} session(s) changed:", ""]
    lines.append("| session | before | after | what | cause |")
    lines.append("|---|---|---|---|---|")
    for m in moved:
        lines.append(
            f"| {m.session} | {_where(problem, m.before)} | {_where(problem, m.after)} | {m.what} | {m.cause} |"
        )
    return "\n".join(lines) + "\n"


def changes_csv(problem: Problem, moved: list[Moved]) -> str:
    """`changes.csv`: one row per changed session."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "session",
            "before_date",
            "before_slot",
            "before_site",
            "before_room",
            "after_date",
            "after_slot",
            "after_site",
            "after_room",
            "what",
            "cause",
        ]
    )
    for m in moved:
        row = [m.session]
        for a in (m.before, m.after):
            row += (
                [str(a.date), a.slot, problem.room_site.get(a.room, ""), a.room]
                if a
                else ["", "", "", ""]
            )
        writer.writerow([*row, m.what, m.cause])
    return buffer.getvalue()
