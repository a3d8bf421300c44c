"""What changed of each row since the timetable a re-solve revised, for the workbook (the
page's own marks, `html._change`, carry more for its script): new, moved (with where from),
given by another teacher, cancelled or dropped; a fixed event's days gone and come paired as
moved, as changes.csv has them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.data.problem import Problem
from scheduler.export.common import (
    Entity,
    Row,
    placed_elsewhere,
    rows_of,
    split,
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


@dataclass(frozen=True)
class Revised:
    """A re-solve's rows against the rows it revised, compared once for every sheet."""

    problem: Problem
    rows: Sequence[Row]
    before: Mapping[str, Row]  # the rows revised, by key
    now: dict[str, Row]  # `rows` by key
    moved_to: dict[str, Row]  # a fixed event's day gone (its key) -> the day it became
    moved_from: dict[str, Row]  # the reverse, by the new day's key

    @classmethod
    def of(cls, problem: Problem, rows: Sequence[Row], before: Mapping[str, Row]) -> Revised:
        now = {uid_key(r): r for r in rows}
        gone = [r for k, r in before.items() if k not in now]
        came = [r for r in rows if uid_key(r) not in before]
        pairs = event_days_paired(gone, came)
        return cls(
            problem,
            rows,
            before,
            now,
            {uid_key(old): new for old, new in pairs},
            {uid_key(new): old for old, new in pairs},
        )

    def marks(self, numbers: Mapping[str, str] | None = None) -> dict[str, str]:
        """What changed of each row since the rows revised, in words, by key: `new`, `moved:
        was ...`, `new teacher: was to be taught by ...`, a session's `numbers` (`renumbered
        6/10 -> 5/9`, by id) when nothing else changed (none when unchanged)."""
        out: dict[str, str] = {}
        for key, row in self.now.items():
            old = self.before.get(key, self.moved_from.get(key))
            if old is None:
                out[key] = "new"
                continue
            words = []
            if row["kind"] == "session" and numbers and row["session_id"] in numbers:
                words.append(numbers[row["session_id"]])
            if placed_elsewhere(old, row):
                words.append(f"moved: was {was_words(self.problem, old, row)}")
            if old.get("teachers", "") != row["teachers"]:
                words.append(_teachers_changed(self.problem, old, row))
            if words:
                out[key] = "; ".join(words)
        return out

    def gone_from(self, entity: Entity | None) -> list[tuple[Row, str]]:
        """The rows revised no longer in `entity`'s timetable (everyone's without it), at
        their old place, with why: cancelled, dropped, moved away (to another day, site, room
        or group), or given to another teacher. A sheet or a page of a re-solve shows them,
        as its feed cancels them there (an audit: a teacher's sheet lost a session given to
        another)."""
        problem = self.problem
        mine_now = {uid_key(r) for r in rows_of(problem, self.rows, entity)} if entity else None
        dropped = set(problem.instance.dropped)
        was = list(self.before.values())
        out = []
        for old in rows_of(problem, was, entity) if entity else was:
            key = uid_key(old)
            new = self.now.get(key, self.moved_to.get(key))
            if new is None:  # as changes.csv says it: a dropped session is not given at all
                why = "dropped (not given)" if old["session_id"] in dropped else "cancelled"
                out.append((old, why))
            elif mine_now is not None and uid_key(new) not in mine_now:
                out.append((old, _left(problem, old, new)))
        return out


def _teachers_changed(problem: Problem, old: Row, new: Row) -> str:
    """`new teacher: was to be taught by ...`, or when teachers only left (a co-teacher
    replaced by nobody) `Luc Mertens no longer teaches it`: the remaining co-teacher's sheet
    read "new teacher" of her own session (an audit)."""
    before, after = set(split(old.get("teachers", ""))), set(split(new["teachers"]))
    if after and after < before:
        gone = ", ".join(
            name
            for tid, name in zip(split(old["teachers"]), teacher_names(problem, old), strict=True)
            if tid not in after
        )
        return f"{gone} no longer {'teaches' if len(before - after) == 1 else 'teach'} it"
    return f"new teacher: was to be taught by {_taught_by(problem, old)}"


def _left(problem: Problem, old: Row, new: Row) -> str:
    """Why a row left a timetable it was in: given to another teacher, moved away, or both
    (a replaced teacher's sheet read 'moved away: now ...' alone, as if the session were
    still theirs elsewhere: an audit)."""
    words = []
    if old.get("teachers", "") != new["teachers"]:
        words.append(f"given to another teacher: now {_taught_by(problem, new)}")
    if placed_elsewhere(old, new):
        words.append(f"moved away: now {was_words(problem, new, old)}")
    return "; ".join(words) or "moved away"  # another group, the same day and place
