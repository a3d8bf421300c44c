"""A re-solve's fixed-event days in words: those the new timetable drops or adds, per event,
and the teachers or groups it lists from then on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from scheduler.data.problem import Problem
from scheduler.data.words import name_and_id
from scheduler.export.common import split
from scheduler.resolve.published_rows import event_days


def event_changes(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    causes: Callable[[str], tuple[str, str]] | None = None,
    problem: Problem | None = None,
) -> list[str]:
    """Fixed-event days the new timetable drops or adds, per event, in words:
    `DEFENSES (Défenses): 2027-09-07 08:30-17:00 at MONS -> 2027-09-09 08:30-17:00 at MONS`,
    then, with `causes` (`event_causes`), why: `(fixed event DEFENSES moved: ...)`; with the
    `problem`, sites and rooms by name (`at UNamur (Auditoire (N-AUD))`), as the sessions'
    places are said (a notifying audit read the codes)."""

    def days(rows: Sequence[Mapping[str, str]]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for eid, by_key in event_days(rows).items():
            for r in by_key.values():
                out[eid].add(f"{r['date']} {r['start']}-{r['end']} {_where(r, problem)}")
        return out

    old, new = days(before), days(after)
    old_rows, new_rows = event_days(before), event_days(after)
    titles = {r["session_id"]: r["ue_title"] for r in (*before, *after) if r["kind"] == "event"}
    lines = []
    for eid in sorted(set(old) | set(new)):
        gone, came = sorted(old[eid] - new[eid]), sorted(new[eid] - old[eid])
        name = f"{eid} ({titles[eid]})" if titles.get(eid) else eid
        # of the days kept, the teachers or groups listed now (an `event_moved`'s teachers)
        kept_keys = sorted(set(old_rows[eid]) & set(new_rows[eid]))
        who = _people_words(
            _people([old_rows[eid][k] for k in kept_keys]),
            _people([new_rows[eid][k] for k in kept_keys]),
        )
        why = f" ({causes(eid)[1]})" if causes is not None and (gone or came or who) else ""
        kept = f"; kept: {', '.join(sorted(old[eid] & new[eid]))}" if old[eid] & new[eid] else ""
        kept += f"; {who}" if who else ""
        if gone and came:
            lines.append(f"{name}: {', '.join(gone)} -> {', '.join(came)}{kept}{why}")
        elif gone:
            lines.append(f"{name}: {', '.join(gone)} cancelled{kept}{why}")
        elif came:
            lines.append(f"{name}: {', '.join(came)} added{kept}{why}")
        elif who:
            lines.append(f"{name}: {who}{why}")
    return lines


def _where(row: Mapping[str, str], problem: Problem | None) -> str:
    """`at NAMUR (N-AUD, N-S01)`, with the `problem` `at UNamur (Auditoire (N-AUD), ...)`;
    `at no site` for an event online or abroad."""
    if not row["site"]:
        return "at no site"
    sites = {s.id: s for s in problem.instance.sites} if problem else {}
    site = sites.get(row["site"])
    where = f"at {site.name or site.id}" if site else f"at {row['site']}"
    rooms = split(row["room"])
    if problem is not None:
        rooms = [name_and_id(problem.room[r].name, r) if r in problem.room else r for r in rooms]
    return f"{where} ({', '.join(rooms)})" if rooms else where


def _people(rows: Sequence[Mapping[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The teachers and groups an event's day rows list (together, in order)."""
    teachers = dict.fromkeys(t for r in rows for t in split(r["teachers"]))
    groups = dict.fromkeys(g for r in rows for g in split(r["groups"]))
    return tuple(teachers), tuple(groups)


def _people_words(
    old: tuple[tuple[str, ...], tuple[str, ...]], new: tuple[tuple[str, ...], tuple[str, ...]]
) -> str:
    """`teachers T01, V4 -> T01, T02`, `groups ...`: what changed of an event's people."""
    parts = [
        f"{kind} {', '.join(a) or 'none'} -> {', '.join(b) or 'none'}"
        for kind, a, b in (("teachers", old[0], new[0]), ("groups", old[1], new[1]))
        if a != b
    ]
    return "; ".join(parts)
