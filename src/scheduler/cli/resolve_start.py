"""What `scheduler resolve` starts from: the published timetable, the instance it revises,
the changes, and the revisions before and after it, each read with its warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from scheduler.cli.common import (
    BadInput,
    JobFailed,
    check_resolve_output,
    existing_file,
    guard,
    writable_place,
)
from scheduler.data.calendar import DatedSlot, expand_calendar
from scheduler.data.domains import free_in
from scheduler.data.instance import Calendar, DateRule, Instance
from scheduler.data.preflight_rules import rule_contradiction
from scheduler.data.preflight_slips import far_beyond
from scheduler.errors import InputError, NoTimetable
from scheduler.export.page_revision import revision_chain
from scheduler.io.csv_timetable import read_timetable_rows
from scheduler.io.instance_io import file_sha256, load_instance
from scheduler.io.solution_io import (
    instance_path_of,
    read_timetable,
    revision_record,
    solution_matches,
    solution_path,
)
from scheduler.resolve.changes import Changes, load_changes
from scheduler.resolve.output import (
    REVISION_INSTANCE,
    later_revisions,
    next_revision_folder,
    revision_instance,
    revision_today,
)
from scheduler.resolve.published import published_problems
from scheduler.resolve.thaw import Earlier, thawed
from scheduler.solution import Assignment, Result

TableRows = list[dict[str, str]]  # timetable.csv rows in order (`published_rows.Rows`: by id)


@dataclass(frozen=True)
class Start:
    """The published timetable a re-solve starts from, and the instance it revises."""

    path: Path  # the instance file given
    from_path: Path  # the published solution (folder or solution.json)
    original: Instance  # a revision's own instance.yaml (earlier changes in), else the given one
    given: Instance | None  # the given instance, when it is not the revision's own
    before: Result  # the published timetable
    rows: TableRows  # its timetable.csv, for the words of changes.md
    edited: str | None  # the instance was edited since the timetable was solved: the warning
    sha256: str  # of the published solution.json, to see it replaced while re-solving
    folder: Path  # where the revision goes: --out, else the next rev-<n>, chosen at the start

    def still_published(self) -> bool:
        """True when the published solution.json is the one read at the start; else the
        job fails (a solve replaced it meanwhile: a revision of the old one must not be
        written into the new one's folder)."""
        try:
            same = file_sha256(solution_path(self.from_path)) == self.sha256
        except OSError:
            same = False
        if not same:
            raise JobFailed(
                f"{self.from_path}: the published timetable was replaced while this re-solve "
                "ran (another solve into its folder?): nothing written; re-solve from it again"
            )
        return True


@dataclass(frozen=True)
class History:
    """The changes, with what they mean for the revisions before and after `Start`."""

    changes: Changes
    original: Instance  # `Start.original`, with the pins of sessions thawed by an earlier today
    later: list[Path]  # later revisions of the published timetable, which this one supersedes
    latest: tuple[Assignment, ...] | None  # the latest of them, if readable
    latest_rows: TableRows
    stale: str | None  # a `today` before the machine's date, in words


def load_start(instance: str, published: str, out: str | None) -> Start:
    """Read the published timetable and the instance it revises; refuse what cannot be
    revised (no revision instance, another instance, a timetable edited by hand)."""
    path, from_path = existing_file(instance), existing_file(published, "--from")
    folder = Path(out) if out is not None else next_revision_folder(from_path)
    if out is not None:
        check_resolve_output(folder, from_path)  # before the solve, not after it
    else:  # the next rev-<n> beside the published timetable (an audit's was read-only)
        writable_place(folder, f"the revision folder of {from_path}")
    original = guard(lambda: load_instance(path))
    base = revision_instance(from_path)
    if base is None and revision_today(from_path) is not None:
        raise BadInput(
            f"{from_path}: a re-solve's revision, but its {REVISION_INSTANCE} (the instance with "
            "the changes of the earlier re-solves) is missing: restore it, or re-solve from the "
            "timetable it revised"
        )
    given = None
    if base is not None:  # a revision: its instance carries the earlier re-solves' changes
        original, given = _revision_instance(original, Path(base), path, from_path)
    sha = guard(lambda: file_sha256(solution_path(from_path)))
    before = guard(lambda: read_timetable(from_path))
    rows = guard(lambda: published_rows(from_path))
    edited = guard(lambda: solution_matches(from_path, original, base or path))
    if edited:
        click.echo(str(edited), err=True)
    _published_as_written(from_path, original, before, edited=bool(edited))
    return Start(path, from_path, original, given, before, rows, edited or None, sha, folder)


def _revision_instance(
    user: Instance, base: Path, path: Path, from_path: Path
) -> tuple[Instance, Instance | None]:
    """The revision's own instance, and the user's when it is another file (whose edits are
    not seen); refused when it is another instance."""
    own = guard(lambda: load_instance(base))
    if own.name != user.name:
        raise BadInput(
            f"{from_path}: a revision of instance '{own.name}', not of '{user.name}' ({path})"
        )
    if base.resolve() == path.resolve():  # given the revision's own: no news
        return own, None
    click.echo(
        f"starting from {base}: {path} with the changes of the earlier re-solves "
        f"(edits made to {path} since are not seen: give them as changes)",
        err=True,
    )
    return own, user


def read_changes(start: Start, changes_file: str, today: dt.datetime | None) -> History:
    """Read the changes and warn of what they cannot do: dates outside the calendar, a
    `today` before the machine's date or before the revision's own, changes wholly past,
    later revisions left out."""
    given_today = today.date() if today is not None else None
    changes = guard(lambda: load_changes(existing_file(changes_file, "--changes"), given_today))
    if changes.changes:  # none (the instance's edits alone) may be given again and again
        _not_applied_already(start.from_path, Path(changes_file), changes)
    # a change naming an unknown teacher, room or site is refused by `revise`: warning first
    # that it "matches no teaching slot, check its date" sent the user to the wrong field
    # (an audit); the other changes' warnings are said (a review: lost when one was refused)
    unknown = _naming_unknown(changes, start.original)
    _no_year_typo(changes, start.original.calendar, changes_file, unknown)
    _no_contradiction(changes, start.original.calendar, changes_file)
    for line in _calendar_warnings(changes, start.original, changes_file, unknown):
        click.echo(line, err=True)
    later = later_revisions(start.from_path)
    if later:
        click.echo(
            f"warning: {start.from_path} already has later revisions "
            f"({', '.join(p.name for p in later)}): this re-solve leaves out their changes (its "
            f"calendars supersede theirs: published in place of {later[-1].name}'s, they undo "
            f"them); re-solve from {later[-1]} to keep them",
            err=True,
        )
    original = _thaw(start, changes.today)
    before = start.before.assignments
    stale = _stale_today(changes, before, original.timezone, given_today is not None)
    if stale:
        click.echo(f"warning: {changes_file}: {stale}", err=True)
    ahead = _future_today(changes, before, original.timezone, given_today is not None)
    if ahead:
        click.echo(f"warning: {changes_file}: {ahead}", err=True)
    for i in changes.past():
        if i not in unknown:
            click.echo(
                f"warning: {changes_file}: changes[{i}] {changes.changes[i].describe()} is "
                f"wholly before today {changes.today}: nothing to re-solve for it",
                err=True,
            )
    return History(changes, original, later, _latest_timetable(later), _latest_rows(later), stale)


def _naming_unknown(changes: Changes, instance: Instance) -> set[int]:
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


def _not_applied_already(from_path: Path, changes_file: Path, changes: Changes) -> None:
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
    for folder in later_revisions(from_path):  # the same today too: another today redoes it
        record = revision_record(folder) or {}
        if record.get("from") == str(own.resolve()) and record.get("changes_digest") == digest:
            raise BadInput(
                f"{changes_file}: these changes were applied already to {own.parent}, by "
                f"{folder}: run again, they would give another timetable as good, and its "
                f"calendars would tell subscribers of moves that mean nothing; re-solve from "
                f"{folder} for new changes, or delete {folder} first to redo it"
            )


def _thaw(start: Start, today: dt.date) -> Instance:
    """`start.original`, with the pins lifted of the sessions a revision froze from `today`
    to its own today (they may move again), said as a warning."""
    earlier = revision_today(start.from_path)
    if earlier is None or today >= earlier:
        return start.original
    original, ids = thawed(
        start.original, start.before.assignments, today, earlier, _descended_from(start)
    )
    click.echo(
        f"warning: today {today} is before the today of the re-solve it starts "
        f"from ({earlier}, {start.from_path}): sessions from {today} to the day before "
        f"{earlier}, which had taken place there, may move again"
        + (f" (their pins in its instance.yaml are lifted: {len(ids)} sessions)" if ids else ""),
        err=True,
    )
    return original


def _descended_from(start: Start) -> list[Earlier]:
    """The instances the revision `start` re-solves descends from, nearest first, with their
    `today`: each revision's own instance.yaml, then the first timetable's instance: the one
    given when it is not the revision's own, else the file its solve recorded (if still there
    and of the same instance)."""
    earlier: list[Earlier] = []
    for folder in revision_chain(solution_path(start.from_path)):
        today = revision_today(folder)
        base = revision_instance(folder) if today is not None else None
        if today is None:
            earlier.append(Earlier(None, start.given or _first_instance(folder, start)))
            break
        if base is None:  # a revision without its instance: what it froze is not known
            break
        earlier.append(Earlier(today, guard(partial(load_instance, base))))
    return earlier


def _first_instance(folder: Path, start: Start) -> Instance | None:
    """The instance file the first timetable's solve recorded, if it still reads as an
    instance of the same name; else None (its pins are then not known)."""
    path = instance_path_of(folder / "solution.json")
    if path is None or not path.is_file():
        return None
    try:
        first = load_instance(path)
    except InputError:
        return None
    return first if first.name == start.original.name else None


def _not_cancelled(published: tuple[Assignment, ...], changes: Changes) -> list[Assignment]:
    """The published sessions the changes do not cancel: those the `today` warnings count (an
    audit read "18 published sessions count as held" beside "17 sessions frozen")."""
    gone = {c.cancelled.session for c in changes.changes if c.cancelled is not None}
    return [a for a in published if a.session not in gone]


def _stale_today(
    changes: Changes, published: tuple[Assignment, ...], timezone: str, given: bool
) -> str | None:
    """Words for a `today` before the machine's date with published sessions in between
    (last month's changes file, say): they count as not yet held, so they may move."""
    clock = clock_today(timezone)
    if clock is None:  # a machine without a date (tests)
        return None
    held = [a for a in _not_cancelled(published, changes) if changes.today <= a.date < clock]
    if not held:
        return None
    source = "--today" if given else "its `today`"
    return (
        f"today {changes.today} ({source}) is before this machine's date, {clock}: the "
        f"{len(held)} published session(s) from {changes.today} to "
        f"{clock - dt.timedelta(days=1)} count as not yet held and may move; if they took "
        f"place, give today {clock}"
    )


def _future_today(
    changes: Changes, published: tuple[Assignment, ...], timezone: str, given: bool
) -> str | None:
    """Words for a `today` after the machine's date with published sessions in between (a
    typo: 2026-12-12 for 12-02): they count as held, frozen where they are, and a change
    dated among them changes nothing (an audit's absent teacher stayed on the timetable)."""
    clock = clock_today(timezone)
    if clock is None:  # a machine without a date (tests)
        return None
    ahead = [a for a in _not_cancelled(published, changes) if clock <= a.date < changes.today]
    if not ahead:
        return None
    source = "--today" if given else "its `today`"
    return (
        f"today {changes.today} ({source}) is after this machine's date, {clock}: the "
        f"{len(ahead)} published session(s) from {clock} to "
        f"{changes.today - dt.timedelta(days=1)} count as held and cannot move; if they have "
        f"not taken place, give today {clock}"
    )


def _no_year_typo(changes: Changes, calendar: Calendar, source: str, unknown: set[int]) -> None:
    """Refuse a `today`, a date change or a fixed event's new day more than
    `FAR_EVENT_DAYS` outside the calendar: a year's typo, most likely. Each was a warning
    and the revision was written all the same, ready to publish (an audit: an absence in
    2019 left its teacher's sessions where they were, "changes applied: none"; an event
    moved to 2039 was published so; today in 2039 froze every session), where a pin to such
    a day is refused. Nearer (a September defence after a June calendar) stays a warning."""
    span = f"the calendar ({calendar.start} to {calendar.end})"
    if far_beyond(calendar, changes.today, changes.today, FAR_EVENT_DAYS):
        raise BadInput(
            f"{source}: today {changes.today} is more than six months outside {span}: check "
            "its year"
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
            f"{source}: changes[{i}] moves fixed event {event} to {day}, more than six months "
            f"outside {span}: check its year"
        )


def _no_contradiction(changes: Changes, calendar: Calendar, source: str) -> None:
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


def _calendar_warnings(
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
    no_slot = _matching_no_slot(changes, usable, said)
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


# A fixed event may lie outside the calendar (defences in September); this far, a year's typo
FAR_EVENT_DAYS = 183

# The changes that take slots away; one matching none changes nothing (`_matching_no_slot`)
_RESTRICTING = ("teacher_unavailable", "room_unavailable", "site_closed")


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


def _latest_timetable(later: list[Path]) -> tuple[Assignment, ...] | None:
    """The timetable of the latest of `later` revisions (None: none, or unreadable: changes.md
    then says nothing of it)."""
    try:
        return read_timetable(later[-1]).assignments if later else None
    except (InputError, NoTimetable):
        return None


def _latest_rows(later: list[Path]) -> list[dict[str, str]]:
    """The rows of the latest later revision's timetable.csv (none if unreadable)."""
    try:
        return published_rows(later[-1]) if later else []
    except InputError:
        return []


def _published_as_written(
    from_path: Path, instance: Instance, before: Result, edited: bool
) -> None:
    """Refuse a published timetable edited by hand (`resolve.published`), listing why."""
    what, lines = guard(lambda: published_problems(from_path, instance, before, edited))
    if not what:
        return
    for line in lines[:10]:
        click.echo(f"  {line}", err=True)
    if len(lines) > 10:
        click.echo(f"  ... and {len(lines) - 10} more", err=True)
    raise JobFailed(
        f"{from_path}: the published timetable {what} (edited by hand, or held to a rule "
        "this version checks more strictly): nothing was re-solved; `scheduler check` lists "
        "what is wrong"
    )


def published_rows(from_path: Path) -> list[dict[str, str]]:
    """The rows of the published timetable.csv (none without one)."""
    table = solution_path(from_path).parent / "timetable.csv"
    return read_timetable_rows(table) if table.exists() else []


def clock_today(timezone: str) -> dt.date | None:
    """This machine's date where the programme is (UTC's with an unknown zone; None: no
    date, as the tests' machine has it)."""
    try:
        return dt.datetime.now(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now(dt.UTC).date()
