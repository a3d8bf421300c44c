"""`scheduler resolve INSTANCE --from SOLUTION --changes CHANGES.yaml`: repair with minimal change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from click.decorators import FC

from scheduler.check import check
from scheduler.cli.common import (
    BadInput,
    JobFailed,
    check_resolve_output,
    existing_file,
    export_failure,
    exports_failed,
    guard,
    writable_place,
)
from scheduler.cli.solve_cmd import solve_options, solver_flags
from scheduler.data.instance import Calendar, Instance
from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.export.common import split
from scheduler.io.atomic import replace_folder, write_text
from scheduler.io.instance_io import dump_instance, file_sha256, load_instance
from scheduler.io.solution_io import (
    read_timetable,
    read_timetable_rows,
    solution_matches,
    solution_path,
    timetable_rows,
    write_solution,
)
from scheduler.model.data_bound import floors_of
from scheduler.model.interrupt import latched, stopped_by
from scheduler.report import cost_lines, summary_lines, unavoidable_lines
from scheduler.resolve.apply import Revision, revise
from scheduler.resolve.changes import Changes, load_changes
from scheduler.resolve.changes_csv import changes_csv, event_change_rows
from scheduler.resolve.changes_md import (
    changes_markdown,
    event_cause,
    event_changes,
    superseded_lines,
)
from scheduler.resolve.diagnose import why_no_revision
from scheduler.resolve.diff import Moved, compare, moved_in_words, today_against_latest
from scheduler.resolve.disruption import DisruptionWeights
from scheduler.resolve.event_warnings import event_warnings
from scheduler.resolve.output import (
    REVISION_INSTANCE,
    later_revisions,
    next_revision_folder,
    revision_instance,
    revision_today,
    seen_by_later_resolves,
)
from scheduler.resolve.published import published_problems
from scheduler.resolve.solve import ResolveResult
from scheduler.resolve.solve import resolve as run_resolve
from scheduler.resolve.thaw import thawed
from scheduler.solution import Assignment, Result, Status


def past_violations(
    revision: Revision, after: tuple[Assignment, ...], room_site: Mapping[str, str]
) -> list[str]:
    """Sessions before today must be exactly as published; nothing new may land in the past
    or arrive on today; a cancelled session is not placed again where it was cancelled."""
    problems = []
    new = {a.session: a for a in after}
    for sid in sorted(revision.frozen):
        if new.get(sid) != revision.previous[sid]:
            problems.append(f"{sid} happened on {revision.previous[sid].date} but was changed")
    for a in after:
        old = revision.previous.get(a.session)
        if a.session in revision.frozen:
            pass
        elif a.date < revision.today:
            problems.append(f"{a.session} was placed on {a.date}, before today {revision.today}")
        elif not revision.may_start(a.session, a.date, a.slot):
            problems.append(f"{a.session} was moved to today {a.date}, too late to tell anyone")
        elif not revision.may_place(a.session, a.date, a.slot, a.room, room_site):
            problems.append(f"{a.session} was moved to another site today {a.date}")
        if a.session in revision.cancelled and old and (a.date, a.slot) == (old.date, old.slot):
            problems.append(
                f"{a.session} was cancelled on {a.date} {a.slot} but placed there again"
            )
    return problems


def disruption_weight(flag: str, default: int, text: str) -> Callable[[FC], FC]:
    """A non-negative disruption weight option (defaults documented in resolve.disruption)."""
    return click.option(
        flag, type=click.IntRange(min=0), default=default, show_default=True, help=text
    )


@click.command("resolve")
@click.argument("instance")
@click.option(
    "--from", "published", required=True, help="The published solution (folder or solution.json)."
)
@click.option(
    "--changes",
    "changes_file",
    required=True,
    help="The changes YAML: SCHEMA.md section 3's kinds, and teacher_available, event_moved, "
    "dropped, teacher_replaced and pinned (README.md).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Override the changes file's `today`.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Output folder (default: the next rev-<n> beside --from).",
)
@disruption_weight("--w-date", 100, "Disruption weight of a moved date or time of day (slot).")
@disruption_weight("--w-site", 30, "Disruption weight of a moved site.")
@disruption_weight("--w-room", 10, "Disruption weight of a moved room.")
@disruption_weight("--w-soon", 3, "Factor for sessions due within two weeks.")
@solver_flags(time_limit=10.0)
@latched  # a Ctrl-C while checking and writing lets the writing finish
def resolve(
    instance: str,
    published: str,
    changes_file: str,
    today: dt.datetime | None,
    out: str | None,
    w_date: int,
    w_site: int,
    w_room: int,
    w_soon: int,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: bool,
    verbose: bool,
) -> None:
    """Re-solve after changes: freeze the past, move as little as possible, list what moved."""
    path, from_path = existing_file(instance), existing_file(published)
    if out is not None:
        check_resolve_output(Path(out), from_path)  # before the solve, not after it
    else:  # the next rev-<n> beside the published timetable (an audit's was read-only)
        writable_place(next_revision_folder(from_path), f"the revision folder of {from_path}")
    original = guard(lambda: load_instance(path))
    base = revision_instance(from_path)
    if base is None and revision_today(from_path) is not None:
        raise BadInput(
            f"{from_path}: a re-solve's revision, but its {REVISION_INSTANCE} (the instance with "
            "the changes of the earlier re-solves) is missing: restore it, or re-solve from the "
            "timetable it revised"
        )
    given: Instance | None = None  # the user's instance, when not the revision's own
    if base is not None:  # a revision: its instance carries the earlier re-solves' changes
        user = original
        original = guard(lambda: load_instance(base))
        if original.name != user.name:
            raise BadInput(
                f"{from_path}: a revision of instance '{original.name}', not of '{user.name}' ({path})"
            )
        if Path(base).resolve() != Path(path).resolve():  # given the revision's own: no news
            given = user
            click.echo(
                f"starting from {base}: {path} with the changes of the earlier re-solves "
                f"(edits made to {path} since are not seen: give them as changes)",
                err=True,
            )
    before = guard(lambda: read_timetable(from_path))
    published_rows = guard(lambda: _published_rows(from_path))  # for the words of changes.md
    warning = guard(lambda: solution_matches(from_path, original, base or path))
    if warning:
        click.echo(str(warning), err=True)
    _published_as_written(from_path, original, before, edited=bool(warning))
    given_today = today.date() if today is not None else None
    changes = guard(lambda: load_changes(existing_file(changes_file), given_today))
    for line in _calendar_warnings(changes, original.calendar, changes_file):
        click.echo(line, err=True)
    later = later_revisions(from_path)
    if later:
        click.echo(
            f"warning: {from_path} already has later revisions ({', '.join(p.name for p in later)}):"
            f" this re-solve leaves out their changes (its calendars supersede theirs: published "
            f"in place of {later[-1].name}'s, they undo them); re-solve from {later[-1]} to "
            "keep them",
            err=True,
        )
    latest = _latest_timetable(later)
    latest_rows = _latest_rows(later)  # for changes.md's words on a superseded revision
    earlier = revision_today(from_path)
    if earlier is not None and changes.today < earlier:
        original, thawed_ids = thawed(original, before.assignments, changes.today, earlier, given)
        click.echo(
            f"warning: today {changes.today} is before the today of the re-solve it starts "
            f"from ({earlier}, {from_path}): sessions from {changes.today} to the day before "
            f"{earlier}, which had taken place there, may move again"
            + (
                f" (their pins in its instance.yaml are lifted: {len(thawed_ids)} sessions)"
                if thawed_ids
                else ""
            ),
            err=True,
        )
    stale = _stale_today(changes, before.assignments, original.timezone, given_today is not None)
    if stale:
        click.echo(f"warning: {changes_file}: {stale}", err=True)
    for i in changes.past():
        click.echo(
            f"warning: {changes_file}: changes[{i}] {changes.changes[i].describe()} is wholly "
            f"before today {changes.today}: nothing to re-solve for it",
            err=True,
        )
    revision = guard(
        lambda: revise(original, before.assignments, changes, changes_file, before.reordered)
    )
    for line in revision.warnings:
        click.echo(f"warning: {line}", err=True)
    problem = guard(lambda: Problem.build(revision.instance))
    about_events = event_warnings(problem, changes)
    for line in about_events:
        click.echo(f"warning: {line}", err=True)
    known_reordered = set(original.reordered) | set(before.reordered)
    told = _side_effects(revision, known_reordered)
    for note in told:
        click.echo(f"note: {note}", err=True)
    # for changes.md: an instance edited since the timetable was solved moves sessions too
    edited = (
        f"{warning.removeprefix('warning: ')}: its edits may move sessions too" if warning else None
    )
    notes = ([edited] if edited else []) + ([stale] if stale else []) + told + about_events
    weights = DisruptionWeights(date=w_date, site=w_site, room=w_room, soon=w_soon)
    options = solve_options(time_limit, seed, workers, deterministic, verbose)
    click.echo(
        f"re-solving {problem.instance.name} from {changes.today}: {len(revision.frozen)} sessions frozen, "
        f"{len(changes.changes)} change(s)"
    )
    outcome = guard(lambda: run_resolve(problem, revision, options, weights))
    result = outcome.result
    if not result.status.has_solution and result.interrupted:
        raise JobFailed(
            f"interrupted ({stopped_by()}) before any timetable was found; the published timetable is unchanged"
        )
    if not result.status.has_solution:
        for line in summary_lines(result, problem.session, None):
            click.echo(line)
        for line in why_no_revision(problem, revision, changes, result, time_limit):
            click.echo(line)
        asked = "; ".join(changes.current_in_words())
        if asked:  # what staff asked for, beside the rules the why names (an audit's request)
            click.echo(f"the changes given: {asked}")
        raise JobFailed(
            "no timetable satisfies the changes; the published timetable is unchanged"
            if result.status == Status.INFEASIBLE
            else "no timetable found within the time limit (raise --time-limit); the "
            "published timetable is unchanged"
        )
    report = check(problem, result.assignments)
    past = past_violations(revision, result.assignments, problem.room_site)
    if report.violations or past:
        for line in [v.message for v in report.violations] + past:
            click.echo(f"  {line}", err=True)
        raise JobFailed("the re-solved timetable failed the checks (a bug); nothing written")
    result = replace(
        result,
        costs=dict(report.costs),
        objective=report.objective if result.objective is None else result.objective,
        reordered=revision.instance.reordered,
    )
    folder = Path(out) if out else next_revision_folder(from_path)
    taught_by = {
        r["session_id"]: tuple(split(r["teachers"]))
        for r in published_rows
        if r["kind"] == "session"
    }
    moved = compare(
        problem, revision.previous, result.assignments, changes, bool(edited), taught_by
    )
    new_rows = timetable_rows(problem, result.assignments)
    events = event_changes(published_rows, new_rows)
    event_rows = event_change_rows(published_rows, new_rows, event_cause(changes))
    superseded = (
        superseded_lines(
            problem,
            later[-1].name,
            latest,
            result.assignments,
            {r["session_id"]: r for r in latest_rows if r["kind"] == "session"},
            event_changes(latest_rows, new_rows),
        )
        if latest
        else []
    )
    failed: list[str] = []  # an export that failed: the revision is kept without it
    write = partial(
        _write_revision,
        problem=problem,
        result=result,
        moved=moved,
        changes=changes,
        outcome=outcome,
        from_path=from_path,
        instance_path=folder / REVISION_INSTANCE,
        notes=notes,
        changes_file=Path(changes_file),
        failed=failed,
        published_rows=published_rows,
        events=events,
        event_rows=event_rows,
        superseded=superseded,
    )
    replace_folder(folder, write, carry=())  # a new revision folder, whole or not at all
    if failed:
        exports_failed("the revision's", failed[0], "the revision is written", folder)
    for line in summary_lines(result, problem.session, report):
        click.echo(line)
    click.echo(
        f"moved      {moved_in_words(moved)}; disruption "
        f"{outcome.disruption}"
        f" ({'proved minimal' if outcome.disruption_optimal else 'not proved minimal'}"
        f" after {outcome.disruption_seconds or 0:.1f} s)"
    )
    for m in moved:
        click.echo(
            f"  {m.session}: {m.before.date if m.before else '-'} {m.before.slot if m.before else ''} -> "
            f"{m.after.date if m.after else '-'} {m.after.slot if m.after else ''} ({m.change_in_words()}; {m.cause})"
        )
    for m in moved:  # its people expect it tonight: said apart (an audit)
        if m.before is not None and m.before.date == changes.today != (m.after and m.after.date):
            where = f"to {m.after.date} {m.after.slot}" if m.after else "out of the timetable"
            click.echo(
                f"warning: {m.session} was to be given today ({m.before.slot}) and moves "
                f"{where}: tell its students and teachers now",
                err=True,
            )
    if latest:
        for line in today_against_latest(latest, result.assignments, changes.today, later[-1].name):
            click.echo(line, err=True)
    for line in events:
        click.echo(f"  fixed event {line}")
    for line in cost_lines(report, detail=0, weights=problem.weights, instance=problem.instance):
        click.echo(line)
    # what the data (the past included) forces; no "could still be saved" line, since the
    # re-solve minimises the disruption first, not the soft cost
    for line in unavoidable_lines(floors_of(problem), report.objective, None, detail=3):
        click.echo(line)
    click.echo(f"written to {folder}/ (the published timetable {from_path} is unchanged)")
    if out is not None and not seen_by_later_resolves(folder, from_path):
        click.echo(
            f"note: a re-solve from {from_path} will not see this revision (written outside "
            f"its folder): re-solve from {folder} to keep its changes and so that its "
            "calendars' subscribers get the next ones as updates",
            err=True,
        )
    if failed:
        raise JobFailed(f"revision written to {folder}/, but not its exports: {failed[0]}")


def _write_revision(
    folder: Path,
    problem: Problem,
    result: Result,
    moved: list[Moved],
    changes: Changes,
    outcome: ResolveResult,
    from_path: Path,
    instance_path: Path,
    notes: list[str],
    changes_file: Path,
    failed: list[str],
    published_rows: list[dict[str, str]],
    events: list[str],
    event_rows: list[list[str]],
    superseded: list[str],
) -> None:
    """The revision's files, in `folder` (a temporary one, renamed to the revision's folder,
    where `instance_path` will be: its solution.json names that instance). A failing export
    is appended to `failed`, the rest of the revision kept. `published_rows`: the timetable
    revised, `events`: its fixed-event days changed (`diff.event_changes`; `event_rows`, as
    changes.csv rows), `superseded`:
    what differs from a later revision it supersedes (`diff.superseded_lines`)."""
    dump_instance(problem.instance, folder / REVISION_INSTANCE)
    sha = file_sha256(folder / REVISION_INSTANCE)
    published = solution_path(from_path).parent / "timetable.csv"
    revision = {  # `today` for the next re-solve; where it came from, for people
        "revision": {
            "today": changes.today.isoformat(),
            "from": str(solution_path(from_path).resolve()),
            # what its page compares with: a timetable solved again there is another one
            "from_timetable_sha256": file_sha256(published) if published.is_file() else None,
            "changes": str(changes_file.resolve()),
            "changes_sha256": file_sha256(changes_file),
        }
    }
    write_solution(folder, problem, result, sha, instance_path, extra=revision)
    header = [
        f"Disruption {outcome.disruption} "
        f"({'proved minimal' if outcome.disruption_optimal else 'best found, not proved minimal'}); "
        f"soft cost {result.objective}.",
        *(f"Note: {note}." for note in notes),
    ]
    shown = {r["session_id"]: r for r in published_rows if r["kind"] == "session"}
    write_text(
        folder / "changes.md",
        changes_markdown(problem, moved, changes, header, shown, events, superseded),
    )
    write_text(folder / "changes.csv", changes_csv(problem, moved, shown, event_rows))
    try:
        from scheduler.export import FORMATS, export_all, revision_of
    except ImportError:  # pragma: no cover - exports not installed
        return
    cancelled = [m for m in moved if m.after is None]
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    failure = export_failure(
        lambda: export_all(
            problem,
            result.assignments,
            folder,
            tuple(f for f in FORMATS if f != "csv"),
            dtstamp=stamp,
            # the calendars people subscribed to: moved or renamed sessions get a higher SEQUENCE
            continue_from=solution_path(from_path).parent,
            cancelled=_cancelled_rows(cancelled, published_rows),
            revision=revision_of(folder / "solution.json", instance_path.parent.name),
            newer=later_revisions(from_path),
        )
    )
    if failure:
        failed.append(failure)


def _side_effects(revision: Revision, known_reordered: set[str]) -> list[str]:
    """What the re-solve does beyond the changes file, for the console and changes.md: pins
    dropped with their cancelled sessions, sessions back out of their series' order."""
    dropped = [
        f"the pin of {sid} keeps only its "
        + ", ".join(f"{k} {v}" for k, v in kept.items())
        + ": the session is cancelled, so it moves"
        if kept
        else f"the pin of {sid} is dropped: the session is cancelled, so it moves"
        for sid, kept in revision.dropped_pins
    ]
    return (
        dropped
        + list(revision.gone_with_dropped)
        + [
            f"{sid} comes back after later sessions of its series that already took place: "
            "its number no longer gives its order"
            for sid in revision.instance.reordered
            if sid not in known_reordered
        ]
    )


def clock_today(timezone: str) -> dt.date:
    """This machine's date where the programme is (UTC's with an unknown zone)."""
    try:
        return dt.datetime.now(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now(dt.UTC).date()


def _stale_today(
    changes: Changes, published: tuple[Assignment, ...], timezone: str, given: bool
) -> str | None:
    """Words for a `today` before the machine's date with published sessions in between
    (last month's changes file, say): they count as not yet held, so they may move."""
    clock = clock_today(timezone)
    held = [a for a in published if changes.today <= a.date < clock]
    if not held:
        return None
    source = "--today" if given else "its `today`"
    return (
        f"today {changes.today} ({source}) is before this machine's date, {clock}: the "
        f"{len(held)} published session(s) from {changes.today} to "
        f"{clock - dt.timedelta(days=1)} count as not yet held and may move; if they took "
        f"place, give today {clock}"
    )


def _calendar_warnings(changes: Changes, calendar: Calendar, source: str) -> list[str]:
    """Warnings for a `today` after the calendar's end and for date changes wholly outside
    the calendar (they match no dated slot: a typo in a year, most likely)."""
    lines = []
    if changes.today > calendar.end:
        lines.append(
            f"warning: today {changes.today} is after the calendar's end ({calendar.end}): "
            "every session has taken place, nothing can move"
        )
    for i in changes.outside(calendar.start, calendar.end):
        lines.append(
            f"warning: {source}: changes[{i}] {changes.changes[i].describe()} is wholly outside "
            f"the calendar ({calendar.start} to {calendar.end}): it changes nothing"
        )
    return lines


def _latest_timetable(later: list[Path]) -> tuple[Assignment, ...] | None:
    """The timetable of the latest of `later` revisions (None: none, or unreadable: changes.md
    then says nothing of it)."""
    try:
        return read_timetable(later[-1]).assignments if later else None
    except InputError:
        return None


def _latest_rows(later: list[Path]) -> list[dict[str, str]]:
    """The rows of the latest later revision's timetable.csv (none if unreadable)."""
    try:
        return _published_rows(later[-1]) if later else []
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


def _published_rows(from_path: Path) -> list[dict[str, str]]:
    """The rows of the published timetable.csv (none without one)."""
    table = solution_path(from_path).parent / "timetable.csv"
    return read_timetable_rows(table) if table.exists() else []


def _cancelled_rows(
    cancelled: list[Moved], published: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The published rows of sessions that no longer exist."""
    gone = {m.session for m in cancelled}
    return [r for r in published if r["kind"] == "session" and r["session_id"] in gone]
