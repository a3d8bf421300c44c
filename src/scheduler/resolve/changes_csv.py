"""`changes.csv`: one row per session a re-solve changed, then per fixed-event day."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence

from scheduler.data.problem import Problem
from scheduler.data.sessions import Session, series_key
from scheduler.resolve.changes_md import Renumbered
from scheduler.resolve.diff import Moved
from scheduler.resolve.published_rows import NOTHING, Rows, event_days, session_hours
from scheduler.solution import Assignment


def changes_csv(
    problem: Problem,
    moved: list[Moved],
    shown: Rows = NOTHING,
    events: Sequence[list[str]] = (),
    renamed: Sequence[tuple[Renumbered, Assignment]] = (),
) -> str:
    """`changes.csv`: one row per changed session, with the hours of both placements, its
    teachers before and after (the same when they did not change: whom to tell), its UE
    and groups (who attends), and its cause in words (`cause` is the change as its file
    writes it) as last columns, so that readers of the earlier columns are unaffected;
    then the sessions `renamed` (renumbered, with their placement), then `events`, the rows
    of fixed-event days changed (`event_change_rows`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    places = ("date", "slot", "site", "room")
    writer.writerow(
        [
            "session",
            *(f"before_{k}" for k in places),
            *(f"after_{k}" for k in places),
            "what",
            "cause",
            *(f"{when}_{k}" for when in ("before", "after") for k in ("start", "end")),
            "before_teachers",
            "after_teachers",
            "ue",
            "groups",
            "cause_in_words",
        ]
    )
    for m in moved:
        s = problem.session.get(m.session)
        row, hours = [m.session], []
        for a in (m.before, m.after):
            row += (
                [str(a.date), a.slot, problem.room_site.get(a.room, ""), a.room] if a else [""] * 4
            )
            hours += (
                list(session_hours(problem, a, s, shown if a is m.before else NOTHING))
                if a
                else ["", ""]
            )
        who = _who(s, m, shown)  # unchanged: the same before and after, where it is placed
        teachers = (
            [";".join(t) for t in m.teachers]
            if m.teachers
            else [who if m.before else "", who if m.after else ""]
        )
        ue, groups = _ue_and_groups(s, m.session, shown)
        writer.writerow([*row, m.what, m.cause, *hours, *teachers, ue, groups, m.words])
    writer.writerows(_renumbered_rows(problem, renamed, moved, shown))
    writer.writerows(events)
    return buffer.getvalue()


def _renumbered_rows(
    problem: Problem,
    renamed: Sequence[tuple[Renumbered, Assignment]],
    moved: Sequence[Moved],
    shown: Rows,
) -> list[list[str]]:
    """A row per session renumbered but not moved (`what` is `number`), placed the same
    before and after; its cause is the cause of the sessions added to or dropped from its
    series (changes.md listed them; changes.csv, which tools mail from, had no row: a
    left-alone item)."""
    rows = []
    for r, a in renamed:
        s = problem.session[r.session]
        siblings = [
            m
            for m in moved
            if (m.before is None or m.after is None)
            and _series_of(problem, m.session, shown) == s.series_id
        ]
        cause = "; ".join(dict.fromkeys(m.cause for m in siblings if m.cause))
        why = "; ".join(
            dict.fromkeys(
                m.words if m.session in m.words else f"{m.session}: {m.words}"
                for m in siblings
                if m.words
            )
        )
        words = f"renumbered {r.was} -> {r.now}, not moved" + (f" ({why})" if why else "")
        place = [str(a.date), a.slot, problem.room_site.get(a.room, ""), a.room]
        hours = list(session_hours(problem, a, s))
        teachers = ";".join(s.teachers)
        groups = ";".join(s.groups)
        rows.append(
            [r.session, *place, *place, "number", cause, *hours, *hours, teachers, teachers,
             s.ue, groups, words]
        )  # fmt: skip
    return rows


def _series_of(problem: Problem, sid: str, shown: Rows) -> str | None:
    """The series id of a session, or, for one the instance no longer has, as published."""
    session = problem.session.get(sid)
    if session is not None:
        return session.series_id
    row = shown.get(sid)
    return series_key(row["ue"], row["series"]) if row else None


def _who(session: Session | None, m: Moved, shown: Rows) -> str:
    """The teachers of a moved session whose teachers did not change (`;`-joined)."""
    if session is not None:
        return ";".join(session.teachers)
    return shown.get(m.session, {}).get("teachers", "")


def _ue_and_groups(session: Session | None, sid: str, shown: Rows) -> tuple[str, str]:
    """A session's UE and groups (`;`-joined), from the instance or, for a session it no
    longer has, from the published timetable."""
    if session is not None:
        return session.ue, ";".join(session.groups)
    row = shown.get(sid, {})
    return row.get("ue", ""), row.get("groups", "")


def event_change_rows(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    causes: Callable[[str], tuple[str, str]],
) -> list[list[str]]:
    """changes.csv's rows for the fixed-event days that changed (as `event_changes` says
    them in changes.md: an audit's moved thesis deadline was in changes.md only): per
    event, its days gone and come paired in date order ("moved"), the others "cancelled" or
    "added"; a day kept whose teachers, groups or `location` (`published_rows.located`) changed
    "teacher", "groups", "location", joined by `+` when several; the slot
    columns are empty (an event has hours, not a slot); `causes(event)` gives its `cause`
    (the change as its file writes it) and `cause_in_words`."""

    def place(r: Mapping[str, str] | None) -> list[str]:
        return [r["date"], "", r["site"], r["room"]] if r else [""] * 4

    def hours(r: Mapping[str, str] | None) -> list[str]:
        return [r["start"], r["end"]] if r else ["", ""]

    old, new = event_days(before), event_days(after)
    out = []
    for eid in sorted(set(old) | set(new)):
        gone = [old[eid][k] for k in sorted(set(old[eid]) - set(new[eid]))]
        came = [new[eid][k] for k in sorted(set(new[eid]) - set(old[eid]))]
        for i in range(max(len(gone), len(came))):
            b = gone[i] if i < len(gone) else None
            a = came[i] if i < len(came) else None
            what = "moved" if a and b else "cancelled" if b else "added"
            who = [*(r["teachers"] if r else "" for r in (b, a)), "", (a or b or {})["groups"]]
            cause, words = causes(eid)
            out.append([eid, *place(b), *place(a), what, cause, *hours(b), *hours(a), *who, words])
        for key in sorted(set(old[eid]) & set(new[eid])):  # a day kept, other people listed
            b, a = old[eid][key], new[eid][key]
            changed = [
                what
                for what, key in (
                    ("teacher", "teachers"),
                    ("groups", "groups"),
                    ("location", "location"),
                )
                if b.get(key, "") != a.get(key, "")
            ]
            if not changed:
                continue
            what = "+".join(changed)
            who = [b["teachers"], a["teachers"], "", a["groups"]]
            cause, words = causes(eid)
            out.append([eid, *place(b), *place(a), what, cause, *hours(b), *hours(a), *who, words])
    return out
