"""`changes.md`: a re-solve's changes, and each session it changed, in words."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.data.words import teacher_words
from scheduler.export.common import session_title, split
from scheduler.resolve.changes import Changes
from scheduler.resolve.diff import Moved, place_of
from scheduler.resolve.published_rows import NOTHING, Rows
from scheduler.resolve.recipients import Recipient, recipient_lines
from scheduler.resolve.session_words import what_it_is, where_words
from scheduler.solution import Assignment


def _cell(text: str) -> str:
    """`text` in a table cell: a `|` in a title or name escaped, a line break a space (a
    title "Fondements | base" split its row into more cells than the header)."""
    return " ".join(text.splitlines()).replace("|", "\\|")


def planned_order(problem: Problem, moved: Sequence[Moved]) -> list[Moved]:
    """`moved` by the date and start people had planned for, then by session id."""
    starts = {x.id: x.start.strftime("%H:%M") for x in problem.instance.calendar.slots}
    return sorted(moved, key=lambda m: (_planned(m, starts), m.session))


def _planned(m: Moved, starts: dict[str, str]) -> tuple[str, str]:
    """The date people had planned for (the published one; an added session's new one), and
    its slot's start time (by `starts`, slot id -> "HH:MM"): a day's rows came by session
    id, 19:15 before 17:30 (an audit)."""
    placed = m.before or m.after
    if placed is None:
        return "", ""
    return placed.date.isoformat(), starts.get(placed.slot, "")


def changes_markdown(
    problem: Problem,
    moved: list[Moved],
    changes: Changes,
    header: list[str],
    *,
    shown: Rows = NOTHING,
    events: Sequence[str] = (),
    superseded: Sequence[str] = (),
    renamed: Sequence[Renumbered] | None = None,
    told: Sequence[Recipient] = (),
    told_against: str = "",
) -> str:
    """A readable `changes.md`; `shown`: the published timetable's rows by session id (for
    sessions the instance no longer has), `events`: `event_changes`, `superseded`:
    `superseded_lines`, `renamed`: `renumbered` (worked out when not given),
    `told`: whom to tell (`recipients.recipients`, of the sessions in `planned_order`),
    `told_against`: the later revision it compares with, when one is superseded."""
    lines = [f"# Changes to {problem.instance.name} (today {changes.today})", "", *header, ""]
    lines += _applied_lines(problem, changes)
    lines += _moved_table(problem, moved, shown)
    if renamed is None:
        renamed = renumbered(problem, moved, shown, changes.today)
    if renamed:
        lines += [
            "",
            f"{count_of(len(renamed), 'session')} renamed, not moved (their series now counts "
            "other sessions: calendars show the new number):",
            "",
            *(r.line() for r in renamed),
        ]
    if events:
        lines += ["", "Fixed events changed:", ""]
        lines += [f"- {line}" for line in events]
    lines += recipient_lines(told, told_against)
    return "\n".join([*lines, *superseded]) + "\n"


def _applied_lines(problem: Problem, changes: Changes) -> list[str]:
    """The changes applied, then those wholly before today, in words and as written."""
    lines = ["Changes applied:"]
    applied = [f"- {c.in_words(problem)} (`{c.describe()}`)" for c in changes.current()]
    lines += applied or ["- none"]
    past = changes.past()
    if past:
        lines += ["", f"Changes wholly before today {changes.today} (nothing to re-solve):"]
        lines += [
            f"- {changes.changes[i].in_words(problem)} (`{changes.changes[i].describe()}`)"
            for i in sorted(past)
        ]
    return lines


def _moved_table(problem: Problem, moved: list[Moved], shown: Rows) -> list[str]:
    """The sessions changed, a table row each by the date planned before, or a line saying
    none did (an empty table's header said nothing: a no-op change's revision)."""
    if not moved:
        return ["", "No session moved, added, cancelled or given to another teacher."]
    lines = ["", f"{count_of(len(moved), 'session')} changed, by the date planned before:"]
    lines += ["", "| session | what it is, for whom | before | after | change | cause |"]
    lines.append("|---|---|---|---|---|---|")
    for m in planned_order(problem, moved):
        s = problem.session.get(m.session)
        cells = [
            m.session,
            what_it_is(problem, s, m.session, shown),
            where_words(problem, m.before, s, shown),
            where_words(problem, m.after, s),
            m.change_in_words(),
            m.words,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _published_places(shown: Rows) -> dict[str, str]:
    """Each published session's `n/N` as its title said it: its place by number among the
    sessions of its series the published timetable gives (a dropped one was not given)."""
    numbers: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for sid, row in shown.items():
        if row["session_no"].isdigit():
            numbers[(row["ue"], row["series"])].append((int(row["session_no"]), sid))
    return {
        sid: f"{place}/{len(ranked)}"
        for ranked in numbers.values()
        for place, (_, sid) in enumerate(sorted(ranked), start=1)
    }


@dataclass(frozen=True)
class Renumbered:
    """A session that kept its day and room but whose title's `n/N` changed: `was`, `now`."""

    session: str
    title: str
    date: str
    was: str
    now: str

    def line(self) -> str:
        return f"- {self.session} ({self.title}), {self.date}: {self.was} -> {self.now}"


def renumbered(
    problem: Problem, moved: Sequence[Moved], shown: Rows, today: dt.date
) -> list[Renumbered]:
    """Sessions from `today` on that kept their day and room but whose title's `n/N` changed,
    since a session was added to or dropped from their series: their calendar events are
    sent again with the new title, and changes.md said nothing of it (an audit). The past
    keeps the titles it was published with."""
    changed = {m.session for m in moved}
    found = []
    for sid, was in sorted(_published_places(shown).items()):
        session, row = problem.session.get(sid), shown[sid]
        if session is None or sid in changed or row["date"] < today.isoformat():
            continue
        ids = [s.id for s in problem.series[session.series_id]]
        now = f"{ids.index(sid) + 1}/{len(ids)}"
        if now != was:
            ue = problem.ue[session.ue]
            title = session_title(ue.id, ue.title, problem.series_label[session.series_id], None)
            found.append(Renumbered(sid, title, row["date"], was, now))
    return found


def event_causes(problem: Problem, changes: Changes) -> Callable[[str], tuple[str, str]]:
    """Why one fixed event's days changed, as changes.csv gives it: (its `event_moved` as
    the changes file writes it, in words), else the instance's edits (the rows had said
    "the changes' event_moved" for both columns, where sessions' rows give the change: an
    audit)."""

    def of(event: str) -> tuple[str, str]:
        moves = [
            c for c in changes.changes if c.event_moved is not None and c.event_moved.event == event
        ]
        if not moves:
            return "the instance's edits", "the instance's edits"
        return "; ".join(c.describe() for c in moves), "; ".join(c.in_words(problem) for c in moves)

    return of


def superseding_moves(
    problem: Problem,
    label: str,
    latest: Sequence[Assignment],
    after: Sequence[Assignment],
    shown: Rows = NOTHING,
) -> list[Moved]:
    """The sessions placed or taught otherwise than in revision `label` (`latest`, `shown`:
    its rows by session id), which a re-solve branching off an older timetable supersedes:
    what the people told of `label` now see change, by session id."""
    then, now = {a.session: a for a in latest}, {a.session: a for a in after}

    def teachers(sid: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """Its teachers in `label` and now, when they differ (a teacher_replaced undone)."""
        row, session = shown.get(sid), problem.session.get(sid)
        if row is None or session is None or sid not in now:
            return None
        before = tuple(split(row["teachers"]))
        return (before, session.teachers) if set(before) != set(session.teachers) else None

    out = []
    for sid in sorted(set(then) | set(now)):
        b, a, who = then.get(sid), now.get(sid), teachers(sid)
        if place_of(b) != place_of(a) or who:
            why = f"supersedes {label}"
            out.append(Moved(sid, b, a, "superseded", why, f"{label} superseded", teachers=who))
    return out


def _named(problem: Problem, teachers: Sequence[str]) -> str:
    """`Luc Mertens (T04), V1`: teachers as the rest of changes.md names them, or `nobody`."""
    return ", ".join(teacher_words(problem, t) for t in teachers) or "nobody"


def superseded_lines(
    problem: Problem,
    label: str,
    differ: Sequence[Moved],
    shown: Rows = NOTHING,
    events: Sequence[str] = (),
) -> list[str]:
    """changes.md's section for a re-solve that branches off an older timetable: what its
    subscribers, who last saw revision `label` (`shown`: its rows by session id, for sessions
    this instance no longer has), now see change (`differ`: `superseding_moves`), by session
    id, fixed-event days too (`events`: `event_changes` from its rows)."""
    differ = sorted(differ, key=lambda m: m.session)
    lines = [
        "",
        f"Against {label}, the latest revision, which this one supersedes (its changes are not "
        f"in this one): {count_of(len(differ), 'session')} "
        f"{'differs' if len(differ) == 1 else 'differ'}:",
        "",
        f"| session | in {label} | now |",
        "|---|---|---|",
    ]
    for m in differ:
        s, who = problem.session.get(m.session), m.teachers
        by = [f"; taught by {_named(problem, t)}" for t in who] if who else ["", ""]
        cells = [
            m.session,
            where_words(problem, m.before, s, shown) + by[0],
            where_words(problem, m.after, s) + by[1],
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if events:
        lines += ["", f"Fixed events against {label}:", ""]
        lines += [f"- {line}" for line in events]
    return lines
