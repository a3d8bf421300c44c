"""What changed of each row since the timetable a re-solve revised, for the workbook (the
page's own marks, `html._change`, carry more for its script): new, moved (with where from),
given by another teacher, cancelled; a fixed event's days gone and come paired as moved, as
changes.csv has them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from scheduler.data.problem import Problem
from scheduler.export.common import (
    PLACEMENT,
    Entity,
    Row,
    rows_of,
    teacher_names,
    uid_key,
    was_words,
)


def event_days_paired(gone: Sequence[Row], came: Sequence[Row]) -> list[tuple[Row, Row]]:
    """A fixed event's days gone and come, paired in date order (old, new) per event; the
    rest are cancelled or new."""
    olds: dict[str, list[Row]] = defaultdict(list)
    news: dict[str, list[Row]] = defaultdict(list)
    for row in gone:
        if row["kind"] == "event":
            olds[row["session_id"]].append(row)
    for row in came:
        if row["kind"] == "event":
            news[row["session_id"]].append(row)
    pairs = []
    for event, days in olds.items():
        when = sorted(days, key=_when), sorted(news[event], key=_when)
        pairs += list(zip(*when, strict=False))
    return pairs


def _when(row: Row) -> tuple[str, str]:
    return row["date"], row["start"]


def _taught_by(problem: Problem, row: Row) -> str:
    return ", ".join(teacher_names(problem, row)) or "nobody"


def marks(problem: Problem, rows: Sequence[Row], before: Mapping[str, Row]) -> dict[str, str]:
    """What changed of each row of `rows` since `before` (the rows revised, by key), in
    words, by key: `new`, `moved: was ...`, `new teacher: was to be taught by ...` (none
    when unchanged)."""
    now = {uid_key(r) for r in rows}
    gone = [r for k, r in before.items() if k not in now]
    came = [r for r in rows if uid_key(r) not in before]
    moved_from = {uid_key(new): old for old, new in event_days_paired(gone, came)}
    out: dict[str, str] = {}
    for row in rows:
        key = uid_key(row)
        old = before.get(key, moved_from.get(key))
        if old is None:
            out[key] = "new"
            continue
        words = []
        if any(old.get(c, "") != row[c] for c in PLACEMENT):
            words.append(f"moved: was {was_words(problem, old, row)}")
        if old.get("teachers", "") != row["teachers"]:
            words.append(f"new teacher: was to be taught by {_taught_by(problem, old)}")
        if words:
            out[key] = "; ".join(words)
    return out


def gone_from(
    problem: Problem, rows: Sequence[Row], before: Mapping[str, Row], entity: Entity | None
) -> list[tuple[Row, str]]:
    """The rows revised no longer in `entity`'s timetable (everyone's without it), at their
    old place, with why: cancelled, moved away (to another day, site, room or group), or
    given to another teacher. A sheet or a page of a re-solve shows them, as its feed
    cancels them there (an audit: a teacher's sheet lost a session given to another)."""
    now = {uid_key(r): r for r in rows}
    came = [r for r in rows if uid_key(r) not in before]
    gone_rows = [r for k, r in before.items() if k not in now]
    moved_to = {uid_key(old): new for old, new in event_days_paired(gone_rows, came)}
    mine_now = {uid_key(r) for r in (rows_of(problem, rows, entity) if entity else rows)}
    dropped = set(problem.instance.dropped)
    was = list(before.values())
    out = []
    for old in rows_of(problem, was, entity) if entity else was:
        key = uid_key(old)
        new = now.get(key, moved_to.get(key))
        if new is None:  # as changes.csv says it: a dropped session is not given at all
            out.append(
                (old, "dropped (not given)" if old["session_id"] in dropped else "cancelled")
            )
        elif uid_key(new) not in mine_now:
            out.append((old, _left(problem, old, new)))
    return out


def _left(problem: Problem, old: Row, new: Row) -> str:
    """Why a row left a timetable it was in: given to another teacher, moved away, or both
    (a replaced teacher's sheet read 'moved away: now ...' alone, as if the session were
    still theirs elsewhere: an audit)."""
    words = []
    if old.get("teachers", "") != new["teachers"]:
        words.append(f"given to another teacher: now {_taught_by(problem, new)}")
    if any(old.get(c, "") != new[c] for c in PLACEMENT):
        words.append(f"moved away: now {was_words(problem, new, old)}")
    return "; ".join(words) or "moved away"  # another group, the same day and place
