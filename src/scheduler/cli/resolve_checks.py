"""The checks `scheduler resolve` makes of a changes file before re-solving: changes that a
revision applied already are refused, as are a `today`, a date change or a moved event's day
far outside the calendar (a year's typo) and a date rule whose fields exclude each other;
date changes outside the calendar, matching no teaching slot, or naming a teacher who could
not teach then anyway are warned of. Changes naming an unknown teacher, room or site are
left to `resolve.apply.revise` to refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from scheduler.cli.common import BadInput
from scheduler.data.calendar import DatedSlot, expand_calendar
from scheduler.data.domains import free_in
from scheduler.data.instance import Instance
from scheduler.data.instance_calendar import Calendar, DateRule
from scheduler.data.preflight_calendar import far_beyond
from scheduler.data.preflight_events import covers_event_day
from scheduler.data.preflight_rules import rule_contradiction
from scheduler.data.problem import EventOccurrence
from scheduler.export.page_revision import revision_chain
from scheduler.io.instance_io import file_sha256
from scheduler.io.solution_read import revision_record, solution_path
from scheduler.resolve.changes import Changes
from scheduler.resolve.output import later_revisions


def naming_unknown(changes: Changes, instance: Instance) -> set[int]:
    """The indices of the date changes naming a teacher, room or site the instance lacks."""
    teachers = {t.id for t in instance.teachers}
    sites = {s.id for s in instance.sites}
    rooms = {r.id for s in instance.sites for r in s.rooms}
    out = set()
    for i, c in enumerate(changes.changes):
        named = [
            (c.teacher_unavailable and c.teacher_unavailable.teacher, teachers),
            (c.teacher_available and c.teacher_available.teacher, teachers),
            (c.room_unavailable and c.room_unavailable.room, rooms),
            (c.site_closed and c.site_closed.site, sites),
        ]
        if any(name and name not in known for name, known in named):
            out.add(i)
    return out


def timetable_sha256(folder: Path) -> str | None:
    """The SHA-256 of the `timetable.csv` a solution's folder publishes, None without one."""
    published = folder / "timetable.csv"
    return file_sha256(published) if published.is_file() else None


def revised_here(record: dict[str, object], own: Path, sha: str | None) -> bool:
    """Whether the revision `record` was re-solved from `own` (a `solution.json`): its
    recorded path, or the same timetable in the same place among the revisions wherever the
    folders are now (an audit's `mv pub published` and `cp -r` let the same changes be
    applied twice). The place tells a copy from a revision that changed nothing, whose
    timetable is its parent's. `sha`: `own`'s `timetable_sha256`, read once by the caller."""
    recorded = str(record.get("from", ""))
    if recorded == str(own.resolve()):
        return True
    return (
        sha is not None
        and record.get("from_timetable_sha256") == sha
        and same_place(Path(recorded), own)
    )


_REVISION = re.compile(r"rev-[0-9]+")


def same_place(recorded: Path, own: Path) -> bool:
    """Whether two solutions' folders stand in the same place among re-solves: the same
    `rev-<n>`, or both a first timetable (not a `rev-<n>`), whatever the folders around."""
    was, now = recorded.parent.name, own.parent.name
    return was == now if _REVISION.fullmatch(now) else not _REVISION.fullmatch(was)


def not_applied_already(from_path: Path, changes_file: Path, changes: Changes) -> None:
    """Refuse changes that a revision this re-solve starts from (or one it revises) applied
    already: run again from its own revision, it cancelled the make-up session of the
    session it had cancelled and told everyone (an audit). Or that a revision made from this
    same timetable applied: run again, it gave another timetable as minimal as the first, and
    its calendars told subscribers of moves that meant nothing (an audit's six runs). The
    same file (its recorded SHA-256) or the same changes in another one (`Changes.digest`:
    a comment added, Windows line ends) count alike."""
    sha, digest = file_sha256(changes_file), changes.digest()
    own = solution_path(from_path)

    def applied(folder: Path) -> bool:  # the same file whatever its today, or the same changes
        record = revision_record(folder) or {}
        return record.get("changes_sha256") == sha or record.get("changes_digest") == digest

    for folder in (own.parent, *revision_chain(own)):
        if applied(folder):
            raise BadInput(
                f"{changes_file}: these changes were applied already, by {folder} (its "
                "timetable has them: run again, a cancellation would cancel the make-up "
                "session, added sessions would be added twice); write new changes in a file "
                "of their own"
            )
    own_sha = timetable_sha256(own.parent)
    for folder in later_revisions(from_path):  # the same today too: another today redoes it
        record = revision_record(folder) or {}
        if revised_here(record, own, own_sha) and record.get("changes_digest") == digest:
            raise BadInput(
                f"{changes_file}: these changes were applied already to {own.parent}, by "
                f"{folder}: run again, they would give another timetable as good, and its "
                f"calendars would tell subscribers of moves that mean nothing; re-solve from "
                f"{folder} for new changes, or delete {folder} first to redo it"
            )


def no_year_typo(
    changes: Changes,
    calendar: Calendar,
    source: str,
    unknown: set[int],
    clock: dt.date | None = None,
) -> None:
    """Refuse a `today`, a date change or a fixed event's new day more than
    `FAR_EVENT_DAYS` outside the calendar: a year's typo, most likely. Each was a warning
    and the revision was written all the same, ready to publish (an audit: an absence in
    2019 left its teacher's sessions where they were, "changes applied: none"; an event
    moved to 2039 was published so; today in 2039 froze every session), where a pin to such
    a day is refused. Nearer (a September defence after a June calendar) stays a warning.
    A `today` before the calendar that is this machine's date (`clock`) or later is no typo:
    a timetable of a year to come, re-solved now (an audit's December change to next
    September's timetable was refused)."""
    span = f"the calendar ({calendar.start} to {calendar.end})"
    ahead = clock is not None and clock <= changes.today < calendar.start
    if far_beyond(calendar, changes.today, changes.today, FAR_EVENT_DAYS) and not ahead:
        later = (
            f" (for a timetable of a year to come, give this machine's date, {clock})"
            if clock is not None and changes.today < calendar.start
            else ""
        )
        raise BadInput(
            f"{source}: today {changes.today} is more than six months outside {span}: check "
            f"its year{later}"
        )
    for i, change in enumerate(changes.changes):
        rule = change.__dict__[change.kind]
        if i in unknown or not isinstance(rule, DateRule):
            continue
        first, last = rule.date or rule.from_, rule.date or rule.to
        wholly = change.outside(calendar.start, calendar.end)
        if wholly and far_beyond(calendar, first, last, FAR_EVENT_DAYS):
            raise BadInput(
                f"{source}: changes[{i}] {change.describe()} is more than six months outside "
                f"{span}: it would change nothing; check its year"
            )
    moved = _events_moved_far(changes, calendar)
    if moved:
        i, event, day = moved[0]
        raise BadInput(
            f"{source}: changes[{i}] event_moved dates: {day} moves fixed event {event} more "
            f"than six months outside {span}: check its year"
        )


def no_contradiction(changes: Changes, calendar: Calendar, source: str) -> None:
    """Refuse a change whose date rule can match no dated slot, its fields excluding each
    other (`preflight_rules.rule_contradiction`: every field given must match): an audit's
    room closure gave a date and a range after it, was warned of as "matching no teaching
    slot", and the revision changed nothing, exit 0. (An instance's such rule is a
    pre-flight warning: a workbook row's slip.)"""
    for i, change in enumerate(changes.changes):
        body = change.__dict__[change.kind]
        why = rule_contradiction(body, calendar) if isinstance(body, DateRule) else None
        if why:
            raise BadInput(
                f"{source}: changes[{i}] {change.kind}: {why}, so it matches no day (every "
                "field given must match): correct it"
            )


def calendar_warnings(
    changes: Changes, instance: Instance, source: str, unknown: set[int]
) -> list[str]:
    """Warnings for a `today` after the calendar's end and for date changes wholly outside
    the calendar (they match no dated slot: a typo in a year, most likely), or matching no
    slot the teacher could teach in anyway."""
    calendar = instance.calendar
    lines = []
    if changes.today > calendar.end:
        lines.append(
            f"warning: today {changes.today} is after the calendar's end ({calendar.end}): "
            "every session has taken place, nothing can move"
        )
    outside = [i for i in changes.outside(calendar.start, calendar.end) if i not in unknown]
    for i in outside:
        lines.append(
            f"warning: {source}: changes[{i}] {changes.changes[i].describe()} is wholly outside "
            f"the calendar ({calendar.start} to {calendar.end}): it changes nothing"
        )
    said = set(outside) | set(changes.past()) | unknown
    usable = [d for d in expand_calendar(calendar)[0] if d.date >= changes.today]
    no_slot = [
        i
        for i in _matching_no_slot(changes, usable, said)
        if not _closes_an_event_day(changes, i, instance)
    ]
    for i in no_slot:
        lines.append(
            f"warning: {source}: changes[{i}] {changes.changes[i].describe()} matches no "
            "teaching slot from today on (a day without teaching or closed, or slots or a "
            "weekday of another day): it changes nothing; check its date"
        )
    for i in _teacher_away_anyway(changes, instance, usable, said | set(no_slot)):
        lines.append(
            f"warning: {source}: changes[{i}] {changes.changes[i].describe()}: the teacher is "
            "not available in any of its slots anyway (their availability in the instance): "
            "it changes nothing; check the teacher and the dates"
        )
    return lines


def _teacher_away_anyway(
    changes: Changes, instance: Instance, usable: list[DatedSlot], said: set[int]
) -> list[int]:
    """Indices of the teacher unavailabilities (not `said` already) whose `usable` slots
    (from `today` on) the teacher could not teach in anyway (a visitor outside their window:
    an audit's change matched only such days and moved nothing, unsaid)."""
    freed = {c.teacher_available.teacher for c in changes.changes if c.teacher_available}
    teachers = {t.id: t for t in instance.teachers if t.id not in freed}  # theirs change
    found = []
    for i, change in enumerate(changes.changes):
        rule = change.teacher_unavailable
        if i in said or rule is None or rule.teacher not in teachers:
            continue
        teacher = teachers[rule.teacher]
        matched = [d for d in usable if rule.matches(d.date, d.weekday, d.slot)]
        if matched and not any(free_in(teacher, d) for d in matched):
            found.append(i)
    return found


# The changes that take slots away; one matching none changes nothing (`_matching_no_slot`)
_RESTRICTING = ("teacher_unavailable", "room_unavailable", "site_closed")


# A fixed event may lie outside the calendar (defences in September); this far, a year's typo
FAR_EVENT_DAYS = 183


def _events_moved_far(changes: Changes, calendar: Calendar) -> list[tuple[int, str, dt.date]]:
    """(index, event, first such day) of the fixed events moved to a day more than
    `FAR_EVENT_DAYS` outside the calendar."""
    found = []
    for i, change in enumerate(changes.changes):
        moved = change.event_moved
        if moved is None:
            continue
        far = [d for d in moved.dates or () if far_beyond(calendar, d, d, FAR_EVENT_DAYS)]
        if far:
            found.append((i, moved.event, far[0]))
    return found


def _closes_an_event_day(changes: Changes, i: int, instance: Instance) -> bool:
    """Whether changes[i] closes a site on a fixed event's day there from today on: it changes
    something then, even on a day without teaching (a warning of its own says what: an audit
    was told both that it changed nothing and that the event stayed at a closed building)."""
    closure = changes.changes[i].site_closed
    if closure is None:
        return False
    return any(
        covers_event_day(closure, EventOccurrence(e, day, e.start, e.end), instance.calendar)
        for e in instance.fixed_events
        if e.site == closure.site
        for day in e.dates
        if day >= changes.today
    )


def _matching_no_slot(changes: Changes, usable: list[DatedSlot], said: set[int]) -> list[int]:
    """Indices of the unavailabilities and closures (not `said` already) that match none of
    the `usable` dated slots (from `today` on): an audit's teacher unavailable on a Wednesday
    (no slot), meant for the Tuesday, stayed on the timetable that Tuesday without a word."""
    found = []
    for i, change in enumerate(changes.changes):
        rule = change.__dict__[change.kind]
        if i in said or change.kind not in _RESTRICTING or not isinstance(rule, DateRule):
            continue
        if not any(rule.matches(d.date, d.weekday, d.slot) for d in usable):
            found.append(i)
    return found
