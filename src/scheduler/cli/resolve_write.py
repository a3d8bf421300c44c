"""Writing a re-solve's revision folder: its solution and instance, changes.md and
changes.csv, and its exports continuing the published calendars; whole or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.cli.common import JobFailed, export_failure, exports_failed
from scheduler.cli.resolve_start import History, Start, TableRows
from scheduler.data.problem import Problem
from scheduler.export.common import split
from scheduler.io.atomic import replace_folder, write_bytes, write_text
from scheduler.io.instance_io import dump_instance, file_sha256
from scheduler.io.solution_io import timetable_rows, write_solution
from scheduler.io.solution_read import solution_path
from scheduler.resolve.apply import Revision
from scheduler.resolve.changes import Changes
from scheduler.resolve.changes_csv import changes_csv, event_change_rows
from scheduler.resolve.changes_md import (
    changes_markdown,
    event_causes,
    planned_order,
    renumbered,
    superseded_lines,
    superseding_moves,
)
from scheduler.resolve.diff import Moved, compare
from scheduler.resolve.disruption_words import disruption_words
from scheduler.resolve.event_words import event_changes
from scheduler.resolve.notices import notice_rows, notices_csv
from scheduler.resolve.notices_xlsx import notices_workbook
from scheduler.resolve.output import REVISION_INSTANCE
from scheduler.resolve.published_rows import Rows, located
from scheduler.resolve.recipients import EventChanges, Recipient, changed_events, recipients
from scheduler.resolve.solve import ResolveResult
from scheduler.solution import Result


@dataclass(frozen=True)
class Written:
    """What a revision's folder says changed, for the console too."""

    moved: list[Moved]
    events: list[str]  # fixed-event days changed, in words
    failed: list[str]  # an export that failed: the revision is kept without it
    told: list[Recipient]  # whom to tell (changes.md's last section)
    told_against: str = ""  # the later revision it compares with, when one is superseded


@dataclass(frozen=True)
class RevisionFiles:
    """What a revision's files say, computed before they are written."""

    problem: Problem
    result: Result
    outcome: ResolveResult
    changes: Changes
    changes_file: Path
    from_path: Path  # the published timetable revised
    rows: TableRows  # its timetable.csv
    moved: list[Moved]
    notes: list[str]  # for changes.md's header
    events: list[str]  # its fixed-event days changed (`event_changes`)
    event_rows: list[list[str]]  # the same as changes.csv rows
    recipients: list[Recipient]  # whom to tell, for changes.md and the console
    notices: list[list[str]]  # notices.csv's rows: the same, to each in their language
    superseded: list[str]  # what differs from a later revision it supersedes
    told_against: str  # that revision's label, which whom to tell compares with
    told: list[Path]  # the later revisions people may hold (`History.told`)


def write_revision(folder: Path, start: Start, files: RevisionFiles) -> Written:
    """Write the revision's folder (`files`: `revision_files`), whole or not at all (a failed
    export excepted), never in place of another one."""
    failed: list[str] = []

    def write(tmp: Path) -> None:
        _write_files(tmp, files, folder)
        failure = export_failure(lambda: _export(tmp, files, folder))
        if failure:
            failed.append(failure)

    try:
        replace_folder(folder, write, carry=(), swap=start.still_published, new_only=True)
    except FileExistsError:
        raise JobFailed(
            f"{folder} was written by another process while this re-solve ran (two re-solves "
            f"at once?): nothing written; re-solve from {folder} to add these changes to it"
        ) from None
    if failed:
        exports_failed("the revision's", failed[0], "the revision is written", folder)
    return Written(files.moved, files.events, failed, files.recipients, files.told_against)


def revision_files(
    start: Start,
    history: History,
    problem: Problem,
    revision: Revision,
    result: Result,
    outcome: ResolveResult,
    notes: list[str],
    changes_file: str,
) -> RevisionFiles:
    """What the revision's files say, comparing the new timetable with the published one:
    the sessions and fixed events changed, whom to tell and their notices, and what differs
    from a later revision it supersedes."""
    changes = history.changes
    moved = _moved(start, problem, revision, result, changes)
    new_rows = timetable_rows(problem, result.assignments)
    # the events' places people read, before and after: a change of it alone is told
    was = located(start.rows, {e.id: e for e in start.original.fixed_events})
    now = located(new_rows, problem.event)
    causes = event_causes(problem, changes)
    events = event_changes(was, now, causes, problem)
    people = _people(history, problem, moved, result, (was, now))
    told = recipients(problem, people.moved, people.shown, people.events, changes.today)
    return RevisionFiles(
        problem,
        result,
        outcome,
        changes,
        Path(changes_file),
        start.from_path,
        start.rows,
        moved,
        notes,
        events,
        event_change_rows(was, now, causes),
        told,
        notice_rows(problem, told, people.moved, people.shown, people.events, changes.today),
        _superseded(problem, people, now),
        people.against,
        history.told,
    )


def _moved(
    start: Start, problem: Problem, revision: Revision, result: Result, changes: Changes
) -> list[Moved]:
    """The sessions the new timetable moves from the published one, with their causes."""
    taught_by = {
        r["session_id"]: tuple(split(r["teachers"])) for r in start.rows if r["kind"] == "session"
    }
    return compare(
        problem, revision.previous, result.assignments, changes, bool(start.edited), taught_by
    )


@dataclass(frozen=True)
class _People:
    """What the people are told (`recipients`, `notice_rows`), against the timetable they were
    last told of: the latest later revision this one supersedes (`against`; what this one
    undoes of it went untold: a stop-82 left-alone item), else the published one revised."""

    moved: list[Moved]  # the sessions that differ, in `planned_order`
    shown: Rows  # the rows they had, by session id
    events: EventChanges  # the fixed events that differ (`changed_events`)
    was: Sequence[Mapping[str, str]]  # the rows they had, `located`
    against: str = ""  # the later revision's label, `rev-<n>`


def _people(
    history: History,
    problem: Problem,
    moved: list[Moved],
    result: Result,
    rows: tuple[Sequence[Mapping[str, str]], Sequence[Mapping[str, str]]],
) -> _People:
    """`_People` from the sessions `moved` from the published timetable and its rows and the
    new ones (`rows`, `located`), or, when this re-solve supersedes a later revision people
    may hold, from that revision's."""
    was, now = rows
    latest, label = history.latest, ""
    if latest is not None:
        was, label = located(latest.rows, latest.events), latest.label
    shown = {r["session_id"]: r for r in was if r["kind"] == "session"}
    if latest is not None:
        moved = superseding_moves(problem, label, latest.timetable, result.assignments, shown)
    changed = changed_events(was, now, problem, history.changes.today)
    return _People(planned_order(problem, moved), shown, changed, was, label)


def _superseded(problem: Problem, people: _People, now: Sequence[Mapping[str, str]]) -> list[str]:
    """changes.md's section on the latest later revision this one supersedes, if any."""
    if not people.against:
        return []
    events = event_changes(people.was, now, problem=problem)
    return superseded_lines(problem, people.against, people.moved, people.shown, events)


def _write_files(tmp: Path, files: RevisionFiles, folder: Path) -> None:
    """The revision's instance, solution.json (its `revision` record: `today` for the next
    re-solve, where it came from), changes.md and changes.csv, into `tmp`, the temporary
    folder renamed to `folder` once whole."""
    problem, result, changes = files.problem, files.result, files.changes
    dump_instance(problem.instance, tmp / REVISION_INSTANCE)
    sha = file_sha256(tmp / REVISION_INSTANCE)
    record = {"revision": _revision_record(files)}
    write_solution(tmp, problem, result, sha, folder / REVISION_INSTANCE, extra=record)
    shown = {r["session_id"]: r for r in files.rows if r["kind"] == "session"}
    renamed = renumbered(problem, files.moved, shown, changes.today)  # for both files
    write_text(
        tmp / "changes.md",
        changes_markdown(
            problem,
            files.moved,
            changes,
            _changes_header(files),
            shown=shown,
            events=files.events,
            superseded=files.superseded,
            renamed=renamed,
            told=files.recipients,
            told_against=files.told_against,
        ),
    )
    placed = {a.session: a for a in result.assignments}
    placed_renamed = [(r, placed[r.session]) for r in renamed if r.session in placed]
    write_text(
        tmp / "changes.csv",
        changes_csv(problem, files.moved, shown, files.event_rows, placed_renamed),
    )
    write_text(tmp / "notices.csv", notices_csv(files.notices))
    write_bytes(tmp / "notices.xlsx", notices_workbook(files.notices))


def _revision_record(files: RevisionFiles) -> dict[str, Any]:
    """solution.json's `revision`: `today` for the next re-solve, the timetable and changes
    it came from, and the disruption its soft cost and bound are conditional on."""
    published = solution_path(files.from_path).parent / "timetable.csv"
    return {
        "today": files.changes.today.isoformat(),
        "from": str(solution_path(files.from_path).resolve()),
        # what its page compares with: a timetable solved again there is another one
        "from_timetable_sha256": file_sha256(published) if published.is_file() else None,
        "changes": str(files.changes_file.resolve()),
        "changes_sha256": file_sha256(files.changes_file),
        "changes_digest": files.changes.digest(),  # the same changes in another file
        # what its soft cost and bound are conditional on (`report` says it)
        "disruption": files.outcome.disruption,
        "disruption_proved_minimal": files.outcome.disruption_optimal,
    }


def _changes_header(files: RevisionFiles) -> list[str]:
    """changes.md's first lines: the disruption and the soft cost, the notes, a cut search."""
    outcome, result = files.outcome, files.result
    assert outcome.disruption is not None  # None only without a timetable, never written
    words = disruption_words(outcome.disruption, outcome.disruption_optimal)
    return [
        f"{words[0].upper()}{words[1:]}, here {result.objective}.",
        *(f"Note: {note}." for note in files.notes),
        # said in the console and solution.json only; staff forward changes.md (an audit)
        *([f"Note: {result.message} (the search was cut short)."] if result.interrupted else []),
    ]


def _export(tmp: Path, files: RevisionFiles, folder: Path) -> None:
    """The revision's exports: its calendars continue the published ones (a moved or renamed
    session gets a higher SEQUENCE), with the sessions no longer in it cancelled."""
    from scheduler.export import FORMATS, export_all, revision_of

    gone = {m.session for m in files.moved if m.after is None}
    export_all(
        files.problem,
        files.result.assignments,
        tmp,
        tuple(f for f in FORMATS if f != "csv"),
        dtstamp=dt.datetime.now(dt.UTC).replace(microsecond=0),
        continue_from=solution_path(files.from_path).parent,
        cancelled=[r for r in files.rows if r["kind"] == "session" and r["session_id"] in gone],
        revision=revision_of(tmp / "solution.json", folder.name),
        newer=files.told,  # the later revisions people hold (one never published is not)
        source=(folder / "solution.json").resolve(),
        published_in=folder,
        subscribable=False,  # a snapshot: republished, its feeds are subscribed to there
    )
