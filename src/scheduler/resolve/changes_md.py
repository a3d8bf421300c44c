"""`changes.md`: a re-solve's changes, and each session it changed, in words."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from scheduler.check.placed import day_label
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session
from scheduler.data.types import count_of
from scheduler.data.words import name_and_id, teacher_label
from scheduler.export.common import series_position, series_words, session_title, split
from scheduler.resolve.changes import Changes
from scheduler.resolve.diff import Moved, place_of
from scheduler.resolve.published_rows import NOTHING, Rows, event_days, session_hours
from scheduler.resolve.recipients import NO_EVENTS, EventPeople, recipient_lines
from scheduler.solution import Assignment


def _where(
    problem: Problem, a: Assignment | None, session: Session | None, shown: Rows = NOTHING
) -> str:
    """`Tuesday 2027-02-16 18:00-21:15, Mons (M-S01)`: a placement in words."""
    if a is None:
        return "—"
    begin, end = session_hours(problem, a, session, shown)
    hours = f" {begin}-{end}" if begin else f" {a.slot}"
    site_id = problem.room_site.get(a.room, "?")
    site = next((s.name or s.id for s in problem.instance.sites if s.id == site_id), site_id)
    return f"{day_label(a.date)}{hours}, {site} ({a.room})"


def _what_it_is(problem: Problem, session: Session | None, sid: str, shown: Rows = NOTHING) -> str:
    """`UE3 · Analyse des organisations (4/10)`, and who it concerns (a session the instance
    no longer has: as the published timetable showed it)."""
    if session is None:
        row = shown.get(sid)
        if row is None:
            return sid
        label = series_words(problem, row["ue"], row["series"])
        title = session_title(row["ue"], row["ue_title"], label, None)
        who = _whom(problem, split(row["teachers"]), split(row["groups"]))
        return f"{title}; {', '.join(who)}"
    ue = problem.ue[session.ue]
    label = problem.series_label[session.series_id]
    title = session_title(ue.id, ue.title, label, series_position(problem, sid))
    return f"{title}; {', '.join(_whom(problem, session.teachers, session.groups))}"


def _whom(problem: Problem, teachers: Sequence[str], groups: Sequence[str]) -> list[str]:
    """Teachers and groups by name, with their ids (`Luc Mertens (T04)`): the ids alone read
    as codes to the people the file is sent to (an audit); an id the instance no longer has
    (a removed session's, as published) as it is."""
    named = [teacher_label(problem, t) if t in problem.teacher else t for t in teachers]
    named += [name_and_id(problem.group[g].name, g) if g in problem.group else g for g in groups]
    return named


def _cell(text: str) -> str:
    """`text` in a table cell: a `|` in a title or name escaped, a line break a space (a
    title "Fondements | base" split its row into more cells than the header)."""
    return " ".join(text.split("\n")).replace("|", "\\|")


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
    shown: Rows = NOTHING,
    events: Sequence[str] = (),
    superseded: Sequence[str] = (),
    renamed: Sequence[Renumbered] | None = None,
    event_people: EventPeople = NO_EVENTS,
) -> str:
    """A readable `changes.md`; `shown`: the published timetable's rows by session id (for
    sessions the instance no longer has), `events`: `event_changes`, `superseded`:
    `superseded_lines`, `renamed`: `renumbered` (worked out when not given),
    `event_people`: the teachers and groups of the events changed (`recipients.changed_events`)."""
    lines = [f"# Changes to {problem.instance.name} (today {changes.today})", "", *header, ""]
    past = changes.past()
    lines.append("Changes applied:")
    applied = [f"- {c.in_words(problem)} (`{c.describe()}`)" for c in changes.current()]
    lines += applied or ["- none"]
    if past:
        lines += ["", f"Changes wholly before today {changes.today} (nothing to re-solve):"]
        lines += [
            f"- {changes.changes[i].in_words(problem)} (`{changes.changes[i].describe()}`)"
            for i in sorted(past)
        ]
    if not moved:  # an empty table's header said nothing (a no-op change's revision)
        lines += ["", "No session moved, added, cancelled or given to another teacher."]
    else:
        lines += ["", f"{count_of(len(moved), 'session')} changed, by the date planned before:"]
        lines += ["", "| session | what it is, for whom | before | after | change | cause |"]
        lines.append("|---|---|---|---|---|---|")
    starts = {x.id: x.start.strftime("%H:%M") for x in problem.instance.calendar.slots}
    ordered = sorted(moved, key=lambda m: (_planned(m, starts), m.session))
    for m in ordered:
        s = problem.session.get(m.session)
        cells = [
            m.session,
            _what_it_is(problem, s, m.session, shown),
            _where(problem, m.before, s, shown),
            _where(problem, m.after, s),
            m.change_in_words(),
            m.words,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
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
    lines += recipient_lines(problem, ordered, shown, event_people)
    return "\n".join([*lines, *superseded]) + "\n"


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


def superseded_lines(
    problem: Problem,
    label: str,
    latest: Sequence[Assignment],
    after: Sequence[Assignment],
    shown: Rows = NOTHING,
    events: Sequence[str] = (),
) -> list[str]:
    """changes.md's section for a re-solve that branches off an older timetable: what its
    subscribers, who last saw revision `label` (`latest`; `shown`: its rows by session id,
    for sessions this instance no longer has), now see change, fixed-event days too
    (`events`: `event_changes` from its rows)."""
    then, now = {a.session: a for a in latest}, {a.session: a for a in after}

    def teachers(sid: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """Its teachers in `label` and now, when they differ (a teacher_replaced undone)."""
        row, session = shown.get(sid), problem.session.get(sid)
        if row is None or session is None or sid not in now:
            return None
        before = tuple(split(row["teachers"]))
        return (before, session.teachers) if before != session.teachers else None

    swapped = {sid: teachers(sid) for sid in now}
    differ = [
        sid
        for sid in sorted(set(then) | set(now))
        if place_of(then.get(sid)) != place_of(now.get(sid)) or swapped.get(sid)
    ]
    lines = [
        "",
        f"Against {label}, the latest revision, which this one supersedes (its changes are not "
        f"in this one): {count_of(len(differ), 'session')} "
        f"{'differs' if len(differ) == 1 else 'differ'}:",
        "",
        f"| session | in {label} | now |",
        "|---|---|---|",
    ]
    for sid in differ:
        s, who = problem.session.get(sid), swapped.get(sid)
        by = [f"; taught by {', '.join(t) or 'nobody'}" for t in who] if who else ["", ""]
        cells = [
            sid,
            _where(problem, then.get(sid), s, shown) + by[0],
            _where(problem, now.get(sid), s) + by[1],
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if events:
        lines += ["", f"Fixed events against {label}:", ""]
        lines += [f"- {line}" for line in events]
    return lines


def event_changes(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    causes: Callable[[str], tuple[str, str]] | None = None,
) -> list[str]:
    """Fixed-event days the new timetable drops or adds, per event, in words:
    `DEFENSES (Défenses): 2027-09-07 08:30-17:00 at MONS -> 2027-09-09 08:30-17:00 at MONS`,
    then, with `causes` (`event_causes`), why: `(fixed event DEFENSES moved: ...)`."""

    def days(rows: Sequence[Mapping[str, str]]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for eid, by_key in event_days(rows).items():
            for r in by_key.values():
                rooms = f" ({r['room'].replace(';', ', ')})" if r["room"] else ""
                where = f"at {r['site']}" if r["site"] else "at no site"  # online, abroad
                out[eid].add(f"{r['date']} {r['start']}-{r['end']} {where}{rooms}")
        return out

    old, new = days(before), days(after)
    titles = {r["session_id"]: r["ue_title"] for r in (*before, *after) if r["kind"] == "event"}
    lines = []
    for eid in sorted(set(old) | set(new)):
        gone, came = sorted(old[eid] - new[eid]), sorted(new[eid] - old[eid])
        name = f"{eid} ({titles[eid]})" if titles.get(eid) else eid
        kept = f"; kept: {', '.join(sorted(old[eid] & new[eid]))}" if old[eid] & new[eid] else ""
        if causes is not None and (gone or came):  # why, after the days (kept ones too)
            kept += f" ({causes(eid)[1]})"
        if gone and came:
            lines.append(f"{name}: {', '.join(gone)} -> {', '.join(came)}{kept}")
        elif gone:
            lines.append(f"{name}: {', '.join(gone)} cancelled{kept}")
        elif came:
            lines.append(f"{name}: {', '.join(came)} added{kept}")
    return lines
