"""`scheduler resolve INSTANCE --from SOLUTION --changes CHANGES.yaml`: repair with minimal change."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import click
from click.decorators import FC

from scheduler.check import CheckReport, check
from scheduler.cli.common import JobFailed, guard, late_interrupt_note
from scheduler.cli.resolve_start import History, Start, load_start, read_changes
from scheduler.cli.resolve_write import Written, revision_files, write_revision
from scheduler.cli.solver_options import solve_options, solver_flags
from scheduler.data.problem import Problem
from scheduler.model.cpsat import SolveOptions
from scheduler.model.interrupt import latched, stopped_by
from scheduler.report import (
    cost_lines,
    floors_not_computed_line,
    summary_lines,
    unavoidable_lines,
)
from scheduler.resolve.apply import Revision, revise
from scheduler.resolve.blame import blame_lines, changes_in_the_way
from scheduler.resolve.changes import Changes
from scheduler.resolve.diagnose import why_no_revision
from scheduler.resolve.diff import Moved, moved_in_words, today_against_latest
from scheduler.resolve.disruption import DisruptionWeights
from scheduler.resolve.disruption_words import disruption_words, other_town_lines
from scheduler.resolve.event_warnings import event_warnings
from scheduler.resolve.output import revision_today, seen_by_later_resolves
from scheduler.resolve.recipients import told_lines
from scheduler.resolve.solve import ResolveResult
from scheduler.resolve.solve import resolve as run_resolve
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
    "--from",
    "published",
    required=True,
    metavar="SOLUTION",
    help="The published solution (folder or solution.json).",
)
@click.option(
    "--changes",
    "changes_file",
    required=True,
    metavar="CHANGES.yaml",
    help="The changes YAML: SCHEMA.md section 3's kinds, and teacher_available, event_moved, "
    "dropped, teacher_replaced, pinned and window (docs/commands.md).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="Override the changes file's `today` (YYYY-MM-DD).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Output folder (default: the next rev-<n> beside --from).",
)
@disruption_weight("--w-date", 100, "Disruption weight of a moved date or time of day (slot).")
@disruption_weight(
    "--w-week", 10, "Disruption weight of each whole week between a moved date and its own."
)
@disruption_weight("--w-site", 30, "Disruption weight of a moved site.")
@disruption_weight("--w-room", 10, "Disruption weight of a moved room.")
@disruption_weight("--w-soon", 3, "Factor for sessions due within two weeks.")
@solver_flags(time_limit=10.0, lp_bound=False)
@latched  # a Ctrl-C while checking and writing lets the writing finish
def resolve(
    instance: str,
    published: str,
    changes_file: str,
    today: dt.datetime | None,
    out: str | None,
    w_date: int,
    w_week: int,
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
    start = load_start(instance, published, out)
    history = read_changes(start, changes_file, today)
    revision, problem, notes = _revised(start, history, changes_file)
    weights = DisruptionWeights(date=w_date, week=w_week, site=w_site, room=w_room, soon=w_soon)
    options = solve_options(time_limit, seed, workers, deterministic, verbose)
    click.echo(
        f"re-solving {problem.instance.name} from {history.changes.today}: "
        f"{len(revision.frozen)} sessions frozen, {len(history.changes.changes)} change(s)"
    )

    def revised_by(fewer: Changes) -> Revision:
        """The revision for `fewer` changes (`blame.changes_in_the_way`)."""
        before = start.before
        return revise(
            history.original,
            before.assignments,
            fewer,
            changes_file,
            before.reordered,
            locate=False,
        )

    source = f"{instance} with {changes_file}"  # what its pre-flight lines are of
    outcome = _solved(
        problem, revision, history.changes, options, weights, time_limit, revised_by, source
    )
    report, result = _checked(problem, revision, outcome)
    folder = start.folder  # chosen at the start: another re-solve meanwhile takes it first
    files = revision_files(start, history, problem, revision, result, outcome, notes, changes_file)
    written = write_revision(folder, start, files)
    _say_outcome(history, problem, result, report, outcome, written)
    for line in other_town_lines(problem, written.moved, weights):
        click.echo(line, err=True)
    _say_where(start, written, named=out is not None)
    late = late_interrupt_note(result.interrupted, f"{folder}/")
    if late:
        click.echo(f"{late}; delete {folder}/ to take it back", err=True)
    if written.failed:
        raise JobFailed(f"revision written to {folder}/, but not its exports: {written.failed[0]}")


def _say_where(start: Start, written: Written, named: bool) -> None:
    """Where the revision is, how to publish it, and (`named`: written where `--out` says)
    whether later re-solves from the published timetable see it."""
    folder = start.folder
    click.echo(f"written to {folder}/ (the timetable it revises, {start.from_path}, is unchanged)")
    if not named and (folder.parent / "calendars").is_dir() and not written.failed:
        # no doc said how the calendars people subscribe to get a revision (a docs audit)
        click.echo(
            f"publish it where people subscribe: scheduler export {folder} --out {folder.parent}"
        )
    if named and not seen_by_later_resolves(folder, start.from_path):
        click.echo(
            f"note: a re-solve from {start.from_path} will not see this revision (written "
            f"outside its folder): re-solve from {folder} to keep its changes and so that its "
            "calendars' subscribers get the next ones as updates",
            err=True,
        )


def _checked(
    problem: Problem, revision: Revision, outcome: ResolveResult
) -> tuple[CheckReport, Result]:
    """The checker's report on the re-solved timetable and its result with the checker's costs;
    a timetable that fails the checks (a bug) fails the job."""
    report = check(problem, outcome.result.assignments)
    past = past_violations(revision, outcome.result.assignments, problem.room_site)
    if report.violations or past:
        for line in [v.message for v in report.violations] + past:
            click.echo(f"  {line}", err=True)
        raise JobFailed("the re-solved timetable failed the checks (a bug); nothing written")
    result = replace(
        outcome.result,
        costs=dict(report.costs),
        objective=report.objective
        if outcome.result.objective is None
        else outcome.result.objective,
        reordered=revision.instance.reordered,
    )
    return report, result


def _revised(
    start: Start, history: History, changes_file: str
) -> tuple[Revision, Problem, list[str]]:
    """The instance with the changes applied (the past frozen), and the notes for changes.md:
    the instance's edits, a stale `today`, what the re-solve does beyond the changes, and
    what the fixed events run into (each said in the console too)."""
    changes = history.changes
    before = start.before
    revision = guard(
        lambda: revise(
            history.original, before.assignments, changes, changes_file, before.reordered
        )
    )
    for line in revision.warnings:
        click.echo(f"warning: {line}", err=True)
    problem = guard(lambda: Problem.build(revision.instance))
    about_events = event_warnings(problem, changes)
    for line in about_events:
        click.echo(f"warning: {line}", err=True)
    told = _side_effects(revision, set(history.original.reordered) | set(before.reordered))
    for note in told:
        click.echo(f"note: {note}", err=True)
    # an instance edited since the timetable was solved moves sessions too
    edited = start.edited
    notes = (
        [f"{edited.removeprefix('warning: ')}: its edits may move sessions too"] if edited else []
    )
    notes += ([history.stale] if history.stale else []) + _lineage(start, history) + told
    return revision, problem, notes + about_events


def _lineage(start: Start, history: History) -> list[str]:
    """What readers of changes.md must know of where this revision starts (said only in the
    console before, a re-solve audit): later revisions it leaves out, a today before the
    today of the revision it starts from."""
    notes = []
    if history.later:
        names = ", ".join(p.name for p in history.later)
        notes.append(
            f"re-solved from {start.from_path}, which already had later revisions ({names}): "
            "their changes are not in this one"
        )
    earlier = revision_today(start.from_path)
    if earlier is not None and history.changes.today < earlier:
        notes.append(
            f"today {history.changes.today} is before the today of the revision it starts "
            f"from ({earlier}): sessions in between may have moved again"
        )
    return notes


def _solved(
    problem: Problem,
    revision: Revision,
    changes: Changes,
    options: SolveOptions,
    weights: DisruptionWeights,
    time_limit: float,
    revised_by: Callable[[Changes], Revision],
    source: str | None = None,
) -> ResolveResult:
    """The re-solve's outcome with a timetable; without one, why (and which change is in the
    way: `revised_by` builds the revision of fewer changes), and the job fails."""
    outcome = guard(lambda: run_resolve(problem, revision, options, weights))
    result = outcome.result
    if result.status.has_solution:
        return outcome
    if result.interrupted:
        raise JobFailed(
            f"interrupted ({stopped_by()}) before any timetable was found; the timetable "
            "it revises is unchanged"
        )
    for line in summary_lines(result, problem.session, None, resolved=True):
        click.echo(line)
    why = why_no_revision(problem, revision, changes, result, time_limit, options.cores, source)
    for line in why:
        click.echo(line)
    if result.status == Status.INFEASIBLE:
        with warnings.catch_warnings():  # the revision's warnings were said already
            warnings.simplefilter("ignore")
            blame = changes_in_the_way(revised_by, changes, options)
        for line in blame_lines(changes, blame, problem):
            click.echo(line)
    asked = "; ".join(changes.current_in_words(problem))
    if asked:  # what staff asked for, beside the rules the why names (an audit's request)
        click.echo(f"the changes given: {asked}")
    raise JobFailed(
        "no timetable satisfies the changes; the timetable it revises is unchanged"
        if result.status == Status.INFEASIBLE
        else "no timetable found within the time limit (raise --time-limit); the "
        "timetable it revises is unchanged"
    )


def _say_outcome(
    history: History,
    problem: Problem,
    result: Result,
    report: CheckReport,
    outcome: ResolveResult,
    written: Written,
) -> None:
    """The console's summary: status, what moved and why, what to tell people tonight, the
    fixed events changed, the cost by rule and what the data forces."""
    changes, moved = history.changes, written.moved
    for line in summary_lines(result, problem.session, report, resolved=True):
        click.echo(line)
    assert outcome.disruption is not None  # None only without a timetable, never written
    seconds = outcome.disruption_seconds or 0.0
    click.echo(disruption_words(outcome.disruption, outcome.disruption_optimal, seconds))
    click.echo(f"moved      {moved_in_words(moved)}")
    for m in moved:  # with the rooms: a room change read "SAT-AM -> SAT-AM" (an audit)
        before, after = (f"{x.date} {x.slot} {x.room}" if x else "-" for x in (m.before, m.after))
        click.echo(f"  {m.session}: {before} -> {after} ({m.change_in_words()}; {m.cause})")
    for line in _tonight_warnings(moved, changes.today):
        click.echo(line, err=True)
    if history.latest is not None:
        latest = history.latest
        for line in today_against_latest(
            latest.timetable, result.assignments, changes.today, latest.label
        ):
            click.echo(line, err=True)
    for line in written.events:
        click.echo(f"  fixed event {line}")
    for line in told_lines(written.told, written.told_against):
        click.echo(line)
    for line in cost_lines(report, detail=0, weights=problem.weights, instance=problem.instance):
        click.echo(line)
    # what the data (the past included) forces; no "could still be saved" line, since the
    # re-solve minimises the disruption first, not the soft cost
    if result.unavoidable is None:  # the limit passed, or Ctrl-C, before they were computed
        by = stopped_by() if result.interrupted else None
        click.echo(floors_not_computed_line(by, "`scheduler report` of the revision"))
    else:
        for line in unavoidable_lines(
            result.unavoidable, report.objective, None, 3, problem.instance
        ):
            click.echo(line)


def _tonight_warnings(moved: Sequence[Moved], today: dt.date) -> list[str]:
    """Warnings for the sessions moved that were to be given today: their people expect them
    tonight, so they are said apart (an audit)."""
    out = []
    for m in moved:
        if m.before is None or m.before.date != today:
            continue
        if m.after is None or m.after.date != today:
            where = f"to {m.after.date} {m.after.slot}" if m.after else "out of the timetable"
            out.append(
                f"warning: {m.session} was to be given today ({m.before.slot}) and moves "
                f"{where}: tell its students and teachers now"
            )
        else:
            # still tonight, in another room or with another teacher: its people go to the
            # old room, or the old teacher comes (an audit: no word of a room changed tonight)
            rooms = f", room {m.before.room} -> {m.after.room}" * (m.before.room != m.after.room)
            out.append(
                f"warning: {m.session} is given today ({m.before.slot}) with another "
                f"{m.change_in_words()}{rooms}: tell its students and teachers now"
            )
    return out


def _side_effects(revision: Revision, known_reordered: set[str]) -> list[str]:
    """What the re-solve does beyond the changes file, for the console and changes.md: pins
    dropped with their cancelled sessions, precedences a make-up no longer keeps, sessions
    back out of their series' order."""
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
        + list(revision.unbound)
        + [
            f"{sid} comes back after later sessions of its series that already took place: "
            "its number no longer gives its order"
            for sid in revision.instance.reordered
            if sid not in known_reordered
        ]
    )
