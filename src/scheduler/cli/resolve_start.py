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
    existing_file,
    guard,
)
from scheduler.cli.output_checks import check_resolve_output, writable_place
from scheduler.cli.resolve_checks import (
    calendar_warnings,
    naming_unknown,
    no_contradiction,
    no_year_typo,
    not_applied_already,
    same_place,
    timetable_sha256,
)
from scheduler.cli.resolve_latest import (
    Latest,
    published_rows,
    read_latest,
    told_of,
    unread_latest,
)
from scheduler.data.instance import Instance
from scheduler.data.types import count_of
from scheduler.errors import InputError
from scheduler.export.page_revision import revision_chain
from scheduler.io.atomic import recover_killed_writers
from scheduler.io.instance_io import file_sha256, load_instance
from scheduler.io.solution_read import (
    instance_path_of,
    read_timetable,
    revision_record,
    same_solution,
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
    seen_by_later_resolves,
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
    latest: Latest | None  # the latest of those people were told of, if any (readable)
    told: list[Path]  # the later revisions people may have been told of (`told_of`)
    stale: str | None  # a `today` before the machine's date, in words


def load_start(instance: str, published: str, out: str | None) -> Start:
    """Read the published timetable and the instance it revises; refuse what cannot be
    revised (no revision instance, another instance, a timetable edited by hand)."""
    path, from_path = existing_file(instance), existing_file(published, "--from")
    recover_killed_writers(next_revision_folder(from_path).parent)  # their revisions back
    folder = Path(out) if out is not None else next_revision_folder(from_path)
    if out is not None:
        check_resolve_output(folder, from_path)  # before the solve, not after it
    else:  # the next rev-<n> beside the published timetable (an audit's was read-only)
        writable_place(folder, f"the revision folder of {from_path}")
    if out is None or seen_by_later_resolves(folder, from_path):
        # `--out pub/rev-14` is not elsewhere: later re-solves take it as theirs (an audit)
        _not_behind_its_calendars(from_path, path)
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


def _not_behind_its_calendars(from_path: Path, instance: Path) -> None:
    """Refuse a re-solve from a timetable whose folder's calendars (its own, or those of the
    folder its revisions go in) publish a re-solve of it: the revision would leave out that
    re-solve's changes, and `export` would refuse to publish it there (an audit's `resolve
    --from pub` after rev-3 was republished in pub: rev-4 froze a past that contradicted what
    subscribers held). `--out` makes it elsewhere."""
    from scheduler.export.published import published_from

    own = solution_path(from_path)
    for calendars in dict.fromkeys(  # its own, then those of the folder its revisions go in
        (own.parent / "calendars", next_revision_folder(from_path).parent / "calendars")
    ):
        source = published_from(calendars)
        if source is None or not source.is_file() or source.resolve() == own.resolve():
            continue
        if any(same_solution(own, f / "solution.json") for f in revision_chain(source)):
            break  # a re-solve of it, or of a copy of it (a copied folder: an audit)
    else:
        return  # none publishes a re-solve of it (another lineage: said by the warning)
    raise BadInput(
        f"{from_path}: {calendars.parent}'s calendars publish {source.parent}, a re-solve of "
        f"it: a re-solve from {from_path} would leave out its changes, and could not be "
        "published there; "
        f"re-solve from it (scheduler resolve {instance} --from {source.parent} --changes "
        "FILE), or give --out DIR for a revision published elsewhere"
    )


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


def _later_revisions_left_out(from_path: Path, later: list[Path]) -> str:
    """What a re-solve from `from_path` leaves out of its `later` revisions, and what to do.
    Re-solving from the newest keeps only the revisions on its own chain, and `from_path`'s
    changes only when that chain passes through it: the advice sent users to a branch beside
    it, losing their changes (a docs audit), or promised revisions of another branch (a
    review). A chain broken by a deleted revision is said as unknown, not as a branch."""
    newest = later[-1]
    said = (
        f"{from_path} already has later revisions ({', '.join(p.name for p in later)}): this "
        f"re-solve leaves out their changes (its calendars supersede theirs: published in place "
        f"of {newest.name}'s, they undo them)"
    )
    chain = revision_chain(solution_path(newest))
    if solution_path(from_path).parent.resolve() in chain:
        aside = [p.name for p in later if p != newest and p.resolve() not in chain]
        if not aside:
            return f"{said}; re-solve from {newest} to keep them"
        return (
            f"{said}; re-solve from {newest} to keep its own ({', '.join(aside)} branched off "
            "beside it: give their changes again)"
        )
    root = chain[-1] / "solution.json" if chain else None
    # the chain ends at a revision, or at a folder no longer there: a parent is gone
    if root is None or not root.is_file() or revision_record(root) is not None:
        return (
            f"{said}; {newest.name} revises a timetable that is no longer there, so whether it "
            f"holds this one's changes is not known: check its changes.md before re-solving "
            "from it"
        )
    origin = (revision_record(newest) or {}).get("from", "another timetable")
    root_sha, own = timetable_sha256(chain[-1]), solution_path(from_path)
    if (
        root_sha is not None
        and root_sha == timetable_sha256(own.parent)
        and same_place(chain[-1] / "solution.json", own)
    ):
        return (  # a copy of this timetable: its changes are this one's (an audit's `cp -r`)
            f"{said}; {newest.name} revises {chain[-1]}, whose timetable is this one (a "
            f"copy): re-solve from {newest} to keep them"
        )
    return (
        f"{said}; {newest.name} was re-solved from {origin}, not from {from_path}, so it holds "
        f"none of this one's changes either: re-solve from the one whose changes to keep and "
        f"give the other's changes again"
    )


def read_changes(start: Start, changes_file: str, today: dt.datetime | None) -> History:
    """Read the changes and warn of what they cannot do: dates outside the calendar, a
    `today` before the machine's date or before the revision's own, changes wholly past,
    later revisions left out."""
    given_today = today.date() if today is not None else None
    changes = guard(lambda: load_changes(existing_file(changes_file, "--changes"), given_today))
    if changes.changes:  # none (the instance's edits alone) may be given again and again
        not_applied_already(start.from_path, Path(changes_file), changes)
    # a change naming an unknown teacher, room or site is refused by `revise`: warning first
    # that it "matches no teaching slot, check its date" sent the user to the wrong field
    # (an audit); the other changes' warnings are said (a review: lost when one was refused)
    unknown = naming_unknown(changes, start.original)
    clock = clock_today(start.original.timezone)
    no_year_typo(changes, start.original.calendar, changes_file, unknown, clock)
    no_contradiction(changes, start.original.calendar, changes_file)
    for line in calendar_warnings(changes, start.original, changes_file, unknown):
        click.echo(line, err=True)
    later = later_revisions(start.from_path)
    if later:
        click.echo(f"warning: {_later_revisions_left_out(start.from_path, later)}", err=True)
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
    told = told_of(start.from_path, later)
    latest = read_latest(told)
    if latest is None and (unread := unread_latest(told)):
        click.echo(f"warning: {unread}", err=True)
    return History(changes, original, later, latest, told, stale)


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
        earlier.append(Earlier(today, guard(partial(load_instance, base, say_timezone=False))))
    return earlier


def _first_instance(folder: Path, start: Start) -> Instance | None:
    """The instance file the first timetable's solve recorded, if it still reads as an
    instance of the same name; else None (its pins are then not known)."""
    path = instance_path_of(folder / "solution.json")
    if path is None or not path.is_file():
        return None
    try:
        first = load_instance(path, say_timezone=False)  # for its pins, not to be solved
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
    one = len(held) == 1
    return (
        f"today {changes.today} ({source}) is before this machine's date, {clock}: the "
        f"{count_of(len(held), 'published session')} from {changes.today} to "
        f"{clock - dt.timedelta(days=1)} {'counts' if one else 'count'} as not yet held and may "
        f"move; if {'it' if one else 'they'} took place, give today {clock}"
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
    one = len(ahead) == 1
    return (
        f"today {changes.today} ({source}) is after this machine's date, {clock}: the "
        f"{count_of(len(ahead), 'published session')} from {clock} to "
        f"{changes.today - dt.timedelta(days=1)} {'counts' if one else 'count'} as held and "
        f"cannot move; if {'it has' if one else 'they have'} not taken place, give today {clock}"
    )


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


def clock_today(timezone: str) -> dt.date | None:
    """This machine's date where the programme is (UTC's with an unknown zone; None: no
    date, as the tests' machine has it)."""
    try:
        return dt.datetime.now(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now(dt.UTC).date()
