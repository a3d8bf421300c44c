"""A re-solve's fixed-event days in words: those the new timetable drops or adds, per event,
and the teachers or groups it lists, and its `location`, from then on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from scheduler.data.problem import Problem
from scheduler.data.words import group_words, room_words, site_address, site_name, teacher_words
from scheduler.export.common import split
from scheduler.resolve.published_rows import event_days, relocated


def event_changes(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    causes: Callable[[str], tuple[str, str]] | None = None,
    problem: Problem | None = None,
) -> list[str]:
    """Fixed-event days the new timetable drops or adds, per event, in words, and its people
    or `location` (rows `published_rows.located`) when they changed:
    `DEFENSES (Défenses): 2027-09-07 08:30-17:00 at MONS -> 2027-09-09 08:30-17:00 at MONS`,
    then, with `causes` (`event_causes`), why: `(fixed event DEFENSES moved: ...)`; with the
    `problem`, sites and rooms by name (`at UNamur (Auditoire (N-AUD))`), as the sessions'
    places are said (a notifying audit read the codes), with the address of a site an event
    goes to that it was not at before, as for a session sent to the other town."""
    old_rows, new_rows = event_days(before), event_days(after)
    was_at = {eid: {r["site"] for r in rows.values()} for eid, rows in old_rows.items()}

    def days(rows: Sequence[Mapping[str, str]], new: bool) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for eid, by_key in event_days(rows).items():
            for r in by_key.values():
                address = new and r["site"] not in was_at.get(eid, set())
                where = _where(r, problem, address)
                out[eid].add(f"{r['date']} {r['start']}-{r['end']} {where}")
        return out

    old, new = days(before, False), days(after, True)
    titles = {r["session_id"]: r["ue_title"] for r in (*before, *after) if r["kind"] == "event"}
    lines = []
    for eid in sorted(set(old) | set(new)):
        gone, came = sorted(old[eid] - new[eid]), sorted(new[eid] - old[eid])
        title = " ".join(titles.get(eid, "").split())  # a line break typed in a title
        name = f"{eid} ({title})" if title else eid
        also = _also_changed(list(old_rows[eid].values()), list(new_rows[eid].values()), problem)
        why = f" ({causes(eid)[1]})" if causes is not None and (gone or came or also) else ""
        kept = f"; kept: {', '.join(sorted(old[eid] & new[eid]))}" if old[eid] & new[eid] else ""
        kept += f"; {also}" if also else ""
        if gone and came:
            lines.append(f"{name}: {', '.join(gone)} -> {', '.join(came)}{kept}{why}")
        elif gone:
            lines.append(f"{name}: {', '.join(gone)} cancelled{kept}{why}")
        elif came:
            lines.append(f"{name}: {', '.join(came)} added{kept}{why}")
        elif also:  # its days too, so that those it now lists know when (an audit)
            lines.append(f"{name}: {', '.join(sorted(new[eid]))}; {also}{why}")
    return lines


def _also_changed(
    was: Sequence[Mapping[str, str]], now: Sequence[Mapping[str, str]], problem: Problem | None
) -> str:
    """What changed of an event's people or place, its days or not (an `event_moved`), from
    its day rows in both timetables (nothing for an event added or dropped whole)."""
    if not (was and now):
        return ""
    parts = (
        _people_words(event_people(was), event_people(now), problem),
        _location_words(was, now),
    )
    return "; ".join(x for x in parts if x)


def _where(row: Mapping[str, str], problem: Problem | None, address: bool = False) -> str:
    """`at NAMUR (N-AUD, N-S01)`, with the `problem` `at UNamur (Auditoire (N-AUD), ...)`,
    and `at UNamur, Rue de Bruxelles 61, 5000 Namur (...)` with `address`; `at no site` for
    an event online or abroad."""
    if not row["site"]:
        return "at no site"
    if problem is None:
        rooms = split(row["room"])
        return f"at {row['site']}" + (f" ({', '.join(rooms)})" if rooms else "")
    rooms = [room_words(problem, r) for r in split(row["room"])]
    where = f"at {site_name(problem, row['site'])}"
    if address and (street := site_address(problem, row["site"])):
        where += f", {street}"
    return f"{where} ({', '.join(rooms)})" if rooms else where


def _location_words(was: Sequence[Mapping[str, str]], now: Sequence[Mapping[str, str]]) -> str:
    """`location "Visio Teams" -> "En ligne"`: an event's `location` (`published_rows.located`)
    when it changed, `none` for none; nothing for rows that do not give it."""
    moved = relocated(was, now)
    return f"location {_quoted(moved[0])} -> {_quoted(moved[1])}" if moved else ""


def _quoted(location: str) -> str:
    return f'"{location}"' if location else "none"


def event_people(rows: Sequence[Mapping[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The teachers and groups an event's day rows list (together, in order)."""
    teachers = dict.fromkeys(t for r in rows for t in split(r["teachers"]))
    groups = dict.fromkeys(g for r in rows for g in split(r["groups"]))
    return tuple(teachers), tuple(groups)


def _people_words(
    old: tuple[tuple[str, ...], tuple[str, ...]],
    new: tuple[tuple[str, ...], tuple[str, ...]],
    problem: Problem | None,
) -> str:
    """`teachers Anne Lambert (T01), V4 -> ...`, `groups ...`: what changed of an event's
    people, by name with the `problem`."""

    def named(ids: tuple[str, ...], words: Callable[[Problem, str], str]) -> str:
        return ", ".join(words(problem, i) if problem else i for i in ids) or "none"

    parts = [
        f"{kind} {named(a, words)} -> {named(b, words)}"
        for kind, a, b, words in (
            ("teachers", old[0], new[0], teacher_words),
            ("groups", old[1], new[1], group_words),
        )
        if a != b
    ]
    return "; ".join(parts)
