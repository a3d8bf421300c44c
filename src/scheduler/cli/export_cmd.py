"""`scheduler export SOLUTION [--instance INSTANCE] [--format F]... [--out DIR]`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import click

from scheduler.check import check
from scheduler.cli.common import (
    INSTANCE_SEARCH_HELP,
    BadInput,
    JobFailed,
    existing_file,
    find_instance,
    guard,
    warn_if_open,
)
from scheduler.cli.output_checks import writable_file
from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.export import (
    CALENDAR_DIR,
    FORMATS,
    export_all,
    revised_folder,
    revision_of,
    unexportable,
)
from scheduler.export.common import safe_id
from scheduler.export.page_revision import revision_chain
from scheduler.export.published import STATE_FILE, published_from, publishes_another
from scheduler.io.atomic import recover_killed_writers
from scheduler.io.csv_timetable import read_timetable_rows
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_claims import problem_for
from scheduler.io.solution_read import (
    read_json,
    read_timetable,
    same_solution,
    solution_matches,
    solution_path,
    written_at,
)
from scheduler.model.interrupt import arm, latched, stopped_by, tripped
from scheduler.report import broken_in_words
from scheduler.resolve.output import later_revisions, revision_today
from scheduler.solution import Assignment


def file_time(path: Path) -> datetime:
    """The modification time of `path` in UTC, to the second: a reproducible DTSTAMP."""
    return datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)


@click.command("export")
@click.argument("solution")
@click.option(
    "--instance",
    "instance",
    default=None,
    metavar="INSTANCE",
    help=INSTANCE_SEARCH_HELP,
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Format to write; repeat for several (default: all). Into a folder holding another "
    "timetable's solution.json (a revision republished there): ics and html only, both together.",
)
@click.option(
    "--out",
    "out",
    default=None,
    metavar="DIR",
    help="Output folder (default: the solution's folder).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Export even a timetable that breaks hard rules (with a warning), e.g. to look at "
    "it, only to another folder (--out); or an older timetable over calendars that publish a "
    "later one (a re-solve of it), which moves their subscribers back.",
)
@latched  # a Ctrl-C or SIGTERM while writing lets the writing finish (below)
def export(
    solution: str, instance: str | None, formats: tuple[str, ...], out: str | None, force: bool
) -> None:
    """Write SOLUTION (a folder or its solution.json) as CSV, iCalendar, xlsx and HTML.

    Calendars go to DIR/calendars/ (all.ics, group-*.ics, teacher-*.ics, room-*.ics,
    site-*.ics, and student-*.ics for a student of several groups), with sequences.json, the
    state later exports continue. Re-exporting into the same DIR after a re-solve keeps every
    session's UID and raises the SEQUENCE of changed ones, so subscribed calendars update in
    place.
    """
    solution_file = solution_path(existing_file(solution))
    if not solution_file.is_file():
        raise BadInput(f"{solution_file}: no such file")
    result = guard(lambda: read_timetable(solution_file))
    instance_file = find_instance(solution_file, instance)
    loaded = guard(lambda: load_instance(instance_file))
    problem = guard(lambda: problem_for(loaded, result))
    # a solution of another instance is refused, as by check and report; a changed file warns
    warning = guard(lambda: solution_matches(solution_file, loaded, instance_file))
    if warning:
        click.echo(warning, err=True)
    _refuse_unforced_breaks(problem, result.assignments, solution_file, out, force)
    assignments = _exportable(problem, result.assignments, solution_file)
    out_dir = Path(out) if out is not None else solution_file.parent
    recover_killed_writers(out_dir)  # revisions a writer killed in its swap had hidden
    if out is not None:  # said of --out, not of a temporary file in it, exit 2 as solve's
        writable_file(out_dir / "timetable.csv", f"--out {out}")
    formats = _formats_beside_another(out_dir, solution_file, formats, force)
    if set(formats or FORMATS) & set(REPUBLISHED):  # the page too: it would go back with them
        _same_programme(out_dir / CALENDAR_DIR, problem)
        _not_back_in_time(out_dir / CALENDAR_DIR, solution_file, force)
    if "xlsx" in (formats or FORMATS):
        warn_if_open(out_dir / "timetable.xlsx")
    continue_from, newer = _continued(out_dir, solution_file)
    arm()  # a signal from now on lets the writing finish (before it, one aborts the export)
    written = guard(
        lambda: export_all(
            problem,
            assignments,
            out_dir,
            formats or FORMATS,
            dtstamp=file_time(solution_file),
            continue_from=continue_from,
            newer=newer,
            revision=revision_of(solution_file),
            source=solution_file.resolve(),
        )
    )
    _say_written(written)


def _refuse_unforced_breaks(
    problem: Problem,
    assignments: tuple[Assignment, ...],
    solution_file: Path,
    out: str | None,
    force: bool,
) -> None:
    """Refuse a timetable that breaks hard rules, unless `force` and `out` is another folder, in
    which case warn that it is exported anyway."""
    report = check(problem, assignments)  # never publish one unawares
    broken = report.violations
    if broken:
        first = f"{broken_in_words(report)}, first [{broken[0].rule}] {broken[0].message}"
        own = out is None or Path(out).resolve() == solution_file.parent.resolve()
        if not force:
            # an audit: --force alone, as advised, was then refused over the own folder
            how = "--force --out DIR exports it to another folder" if own else "--force exports it"
            raise JobFailed(
                f"{solution_file}: breaks {first}; nothing exported (`scheduler check` lists "
                f"them; {how} anyway)"
            )
        if own:
            raise BadInput(
                f"{solution_file}: breaks {first}; --force writes only to another folder "
                "(--out), never over the solution's own calendars"
            )
        click.echo(f"warning: {solution_file}: breaks {first}; exported anyway", err=True)


def _say_written(written: list[Path]) -> None:
    """Say which files were written, the calendars counted, and a signal that came meanwhile."""
    calendars = [p for p in written if p.suffix == ".ics"]
    for path in written:
        if path.suffix != ".ics":
            click.echo(f"wrote {path}")
    if calendars:
        click.echo(f"wrote {len(calendars)} calendars in {calendars[0].parent}")
    if tripped():  # an interrupted export left old and new calendars mixed (an audit)
        click.echo(
            f"note: {stopped_by()} came during the export: it was finished first, so that the "
            "calendars, their state and the page agree",
            err=True,
        )


def _exportable(
    problem: Problem, assignments: tuple[Assignment, ...], solution_file: Path
) -> tuple[Assignment, ...]:
    """The assignments that can be written; those that cannot (only in a timetable exported
    with --force: a date that is not a teaching slot has no hours) are left out, each said.
    `--force` had said "exported anyway", then failed on them with exit 2 (an exploratory
    test)."""
    kept = []
    for a in assignments:
        why = unexportable(problem, a)
        if why is None:
            kept.append(a)
        else:
            click.echo(f"warning: {solution_file}: {a.session} left out: {why}", err=True)
    return tuple(kept)


REPUBLISHED = ("ics", "html")  # what people subscribe to or bookmark at the published address


def _formats_beside_another(
    out_dir: Path, solution_file: Path, formats: tuple[str, ...], force: bool
) -> tuple[str, ...]:
    """The formats to write into `out_dir`. A folder holding another timetable's
    solution.json (a revision republished where the timetable it revised is, so that
    subscribers keep their addresses) takes the calendars and the page, which people follow
    at that address (the page had stayed the original while its calendars moved on: an
    audit); its timetable.csv and .xlsx, the programme's record of its solution.json that
    `check` and `resolve` read, would no longer match it: asked for there, they are refused.
    A timetable that is no re-solve of that one is refused there unless `force` (an audit's
    new solve went into the feeds of a folder whose solution.json and revisions said
    otherwise, exit 0)."""
    if not _holds_another_solution(out_dir, solution_file):
        return formats
    there = out_dir / "solution.json"
    theirs, ours = _instance_name(there), _instance_name(solution_file)
    if theirs != ours:
        raise BadInput(
            f"{out_dir} holds a timetable of instance '{theirs}', not '{ours}': its calendars' "
            "subscribers would get another programme's events; export to another folder"
        )
    if not any(same_solution(there, f / "solution.json") for f in revision_chain(solution_file)):
        words = (  # its page and feeds would publish a timetable its record knows not
            f"{out_dir} holds another timetable ({there}), which {solution_file} does not "
            "re-solve: its calendars and page there would publish a timetable unrelated to it"
        )
        if not force:
            raise JobFailed(
                f"{words}; nothing exported (export to another folder; --force republishes "
                "them anyway)"
            )
        click.echo(f"warning: {words}; republished (--force)", err=True)
    tables = [f for f in formats or FORMATS if f not in REPUBLISHED]
    if formats and tables:
        raise BadInput(
            f"{out_dir} holds another timetable's solution.json: {', '.join(tables)} written "
            "there would no longer match it; republish the calendars and the page alone "
            "(--format ics --format html) or export to another folder"
        )
    if set(formats) != set(REPUBLISHED):  # never one without the other (a review: the page
        # republished alone left the calendars on the published timetable, and the converse)
        click.echo(
            f"note: {out_dir} holds another timetable's solution.json: the calendars and "
            "timetable.html are written there together (the addresses people follow); its "
            "timetable.csv and .xlsx are left as they are, the record of that solution.json",
            err=True,
        )
    return REPUBLISHED


def _holds_another_solution(out_dir: Path, solution_file: Path) -> bool:
    """Whether `out_dir` holds another timetable's solution.json (not the solution's own
    folder, nor a copy of the same solution)."""
    there = out_dir / "solution.json"
    if out_dir.resolve() == solution_file.parent.resolve() or not there.is_file():
        return False
    return not same_solution(there, solution_file)


def _same_programme(calendars: Path, problem: Problem) -> None:
    """Refuse to publish into `calendars` that publish another instance's events (a folder
    without its solution.json, which `_formats_beside_another` would have compared): its
    subscribers got the other programme's sessions, and its own were cancelled under UIDs
    they never held, so never removed (an audit)."""
    theirs = publishes_another(calendars, problem.instance.name)
    if theirs is not None:
        raise BadInput(
            f"{calendars} holds the calendars of instance '{theirs}', not "
            f"'{safe_id(problem.instance.name)}': their "
            "subscribers would get another programme's events; export to another folder"
        )


def _not_back_in_time(calendars: Path, solution_file: Path, force: bool) -> None:
    """Refuse (unless `force`) to publish into `calendars` a timetable that would rewrite
    what they publish (`_rewrites_past`). Its events would go to every subscriber with
    higher SEQUENCE numbers and undo the changes (an exploratory test: `export pub` after
    `export pub/rev-1 --out pub` gave a replaced teacher back his session, exit 0)."""
    source = published_from(calendars)
    mine = solution_file.resolve()
    if source is None or not source.is_file() or same_solution(mine, source):
        return  # the same timetable (a copy of the folder included: an audit's `cp -a`)
    why = _rewrites_past(source, mine)
    if why is None:
        return
    words = (
        f"{calendars} publish {source} ({why}): exporting {solution_file} there would move "
        "every subscriber back to it (higher SEQUENCE numbers undo the later changes)"
    )
    if not force:
        # its csv and xlsx only where they are its own (beside another timetable's
        # solution.json they are refused too: an audit followed the advice and got exit 2)
        beside = _holds_another_solution(calendars.parent, solution_file)
        alone = "" if beside else "its other files alone: --format csv or xlsx; "
        raise JobFailed(
            f"{words}; nothing exported ({alone}--force republishes the calendars and the "
            "page anyway)"
        )
    click.echo(f"warning: {words}; republished (--force)", err=True)


def _rewrites_past(source: Path, mine: Path) -> str | None:
    """Why timetable `mine` may not replace the published `source`, in words saying what
    `source` is to it (None: it may): a re-solve revised `source` from it; it was written
    before `source`; it is a re-solve of an earlier timetable, not of `source` (a re-solve
    `--from pub` after rev-1 was republished there: 18 sessions before its `today` moved in
    every feed, an audit); its `today` is before `source`'s, whose past it would move; or
    `source` is a re-solve and `mine` does not descend from it (a new solve of the instance
    exported over a re-solve's calendars gave a cancelled session its old date back in every
    feed, exit 0: an audit). A folder holding a copy of `source` counts as `source`."""
    if any(same_solution(mine, folder / "solution.json") for folder in revision_chain(source)):
        return "a re-solve of it"
    chain = revision_chain(mine)
    descends = any(same_solution(source, folder / "solution.json") for folder in chain)
    # a re-solve of `source` is newer whatever its time; a copy keeps its `written_at`
    mine_at, source_at = written_at(mine), written_at(source)
    if not descends and mine_at is not None and source_at is not None and mine_at < source_at:
        return "a timetable written after it"
    if chain and not descends:
        return (
            f"not the timetable this one re-solves, {chain[0]}: its past is not the one published"
        )
    mine_today, source_today = revision_today(mine.parent), revision_today(source.parent)
    if (
        mine_today is not None
        and source_today is not None
        and mine_today < source_today
        and not _same_rows_before(mine, source, source_today)
    ):
        return f"a re-solve as of {source_today}, after this one's today {mine_today}"
    if not chain and source_today is not None:  # a plain solve over a re-solve's feeds
        return (
            f"a re-solve as of {source_today}, which this timetable does not continue: the "
            "sessions it froze as given and its changes would be undone"
        )
    return None


def _same_rows_before(mine: Path, source: Path, day: date) -> bool:
    """Whether the timetables beside the two solution files list the same sessions and
    events, each where and when, before `day`: a re-solve of `source` whose `today` is
    earlier then moves nothing `source` published as held (a `today` typo corrected, with
    no session moved: an audit was refused, "would move every subscriber back", and needed
    --force for a republication that changed no event)."""
    try:
        tables = [read_timetable_rows(f.parent / "timetable.csv") for f in (mine, source)]
    except InputError:
        return False
    cut = day.isoformat()
    before = [
        sorted(tuple(sorted(row.items())) for row in rows if row["date"] < cut) for rows in tables
    ]
    return before[0] == before[1]


def _instance_name(solution_file: Path) -> str | None:
    """The instance name a solution.json records (None: unreadable or unrecorded)."""
    try:
        name = read_json(solution_file)["instance"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return name if isinstance(name, str) else None


def _continued(out_dir: Path, solution_file: Path) -> tuple[Path | None, list[Path]]:
    """Whose calendars an export continues, so that SEQUENCE never restarts at 0: those already
    in `out_dir`; else the solution's own (a revision's after a re-solve); else, for a
    revision whose exports failed, those of the timetable it revised, and of the revisions
    made after that one (as `resolve` would have); else none (a first publication)."""
    if (out_dir / CALENDAR_DIR / STATE_FILE).exists():
        return None, []
    own = solution_file.parent
    revised = revised_folder(solution_file)
    if (own / CALENDAR_DIR / STATE_FILE).exists():
        return own, []
    if revised is None:
        return None, []
    later = [p for p in later_revisions(revised) if p.resolve() != own.resolve()]
    return revised, later
