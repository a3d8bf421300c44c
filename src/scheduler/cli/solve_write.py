"""What `scheduler solve` writes: the checked timetable and its exports into the solution
folder, whole and never over what another solve or a re-solve published meanwhile; or, without
a timetable, a record of the outcome that never replaces a timetable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from scheduler.check import check
from scheduler.cli.common import JobFailed, export_failure, exports_failed, guard
from scheduler.cli.output_checks import (
    foreign_feed_files,
    foreign_files,
    revisions_with_timetable,
    writing_in,
)
from scheduler.data.problem import Problem
from scheduler.errors import SchedulerError
from scheduler.export import FORMATS, export_all
from scheduler.io.atomic import replace_folder
from scheduler.io.floors_record import floors_document
from scheduler.io.instance_io import file_sha256, instance_digest
from scheduler.io.solution_io import solution_document, write_solution, write_solution_json
from scheduler.io.solution_read import read_result, recorded_content_digest
from scheduler.short_lists import first_few
from scheduler.solution import Result

EXPORTS = tuple(f for f in FORMATS if f != "csv")  # write_solution writes timetable.csv


def record_no_timetable(
    folder: Path, problem: Problem, result: Result, instance: Path, explanation: list[str]
) -> None:
    """Write solution.json without timetable.csv, with the status (INFEASIBLE or UNKNOWN),
    the reason and the explanation, so that whoever reads the folder sees this solve's
    outcome. A folder that may hold a timetable (timetable.csv, or a solution.json that holds
    one or cannot be read) is kept instead: a failed solve never replaces one with nothing."""
    if may_hold_timetable(folder):
        click.echo(f"the earlier timetable in {folder}/ is kept (this solve found none)")
        return
    doc = solution_document(result, problem.instance, file_sha256(instance), instance)
    if explanation:
        doc["explanation"] = explanation
    guard(lambda: replace_folder(folder, lambda target: write_solution_json(target, doc)))
    click.echo(f"outcome written to {folder}/solution.json (status {result.status.value})")


def may_hold_timetable(folder: Path) -> bool:
    """Whether `folder` holds, or might hold, a timetable: its timetable.csv, or a
    solution.json that is not a readable record of a solve without one."""
    if (folder / "timetable.csv").exists():
        return True
    file = folder / "solution.json"
    if not file.exists():
        return False
    try:
        return read_result(file).status.has_solution
    except SchedulerError:  # unreadable: perhaps a timetable someone edited; keep it
        return True


def replaced_cost(folder: Path, problem: Problem) -> int | None:
    """What the timetable `folder` holds costs, by the checker, when it is one of this very
    instance (its recorded content digest) breaking no hard rule, else None: what a solve
    into it would replace."""
    if not (folder / "timetable.csv").is_file():
        return None
    if recorded_content_digest(folder) != instance_digest(problem.instance):
        return None
    try:
        result = read_result(folder)
    except SchedulerError:
        return None
    if not result.status.has_solution:
        return None
    report = check(problem, result.assignments)
    return report.objective if report.feasible else None


def published_now(folder: Path) -> str | None:
    """The timetable `folder` publishes now: its solution.json's SHA-256, when it has a
    timetable.csv beside it (None else: a solve that found none writes solution.json alone,
    which publishes nothing, and keeps a timetable already there: a review)."""
    try:
        if not (folder / "timetable.csv").is_file():
            return None
        return file_sha256(folder / "solution.json")
    except OSError:
        return None


def write_timetable(
    folder: Path,
    problem: Problem,
    result: Result,
    path: Path,
    found: str | None,
    keep_old: Path | None = None,
) -> tuple[Path, str | None]:
    """Write the checked timetable and its exports into `folder`, whole: (where it went, the
    exports' failure). A published timetable is not replaced by one without exports, nor a
    folder re-solved, or solved by another process, while this solve ran (`found`: what it
    published at the start, `published_now`): the new one is then kept beside it. Two
    solves reach that check one after the other (`atomic.swap_lock`)."""
    sha = file_sha256(path)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    failure: str | None = None

    def write_all(target: Path) -> None:
        nonlocal failure
        # floors not computed are not recorded: `report` computes them (an audit read "the
        # data forces no cost" of an empty record)
        forced = result.unavoidable
        record = floors_document(forced) if forced is not None else None
        write_solution(target, problem, result, sha, path, record)
        failure = export_failure(
            lambda: export_all(
                problem,
                result.assignments,
                target,
                EXPORTS,
                dtstamp=stamp,
                source=(folder / "solution.json").resolve(),  # where it is once swapped in
                published_in=folder,
            )
        )

    # a published timetable (its feeds subscribed to) is not replaced by one without exports
    published = (folder / "timetable.csv").is_file()
    raced: list[str] = []  # re-solves written (or writing) into the folder while this ran

    solved: list[str] = []  # another solve's timetable, published there while this ran
    added: list[str] = []  # files put there while this ran, which the swap would delete

    def may_swap() -> bool:
        raced.extend(p.name for p in revisions_with_timetable(folder))
        busy = writing_in(folder)
        if busy and not raced:
            raced.append(busy)
        if published_now(folder) != found:  # two solves at once: the second one's feeds
            solved.append(folder.name)  # had gone back on the first one's SEQUENCEs (an audit)
        added.extend(foreign_files(folder))  # checked at the start, but not since (an audit)
        return not raced and not solved and not added and not (failure and published)

    def feeds_extras() -> list[str]:  # a web server's .htaccess, a README: kept (an audit)
        return [f"calendars/{name}" for name in foreign_feed_files(folder)]

    written = guard(
        lambda: replace_folder(
            folder, write_all, swap=may_swap, keep_old=keep_old, carry_late=feeds_extras
        )
    )
    _refuse_raced(folder, written, raced, solved, added)
    if failure:
        _say_exports_failed(folder, written, failure)
    return written, failure


def _refuse_raced(
    folder: Path, written: Path, raced: list[str], solved: list[str], added: list[str]
) -> None:
    """Fail when `folder` was re-solved (`raced`), got another solve's timetable (`solved`)
    or files that are not outputs of `solve` (`added`) while this solve ran, saying that the
    new timetable is in `written`."""
    if raced:
        raise JobFailed(
            f"{folder} was re-solved while this solve ran ({', '.join(raced)}), so it is left "
            f"as it was (solving again would replace the timetable they revise); the new "
            f"timetable is in {written}"
        )
    if solved:
        raise JobFailed(
            f"{folder} got another timetable while this solve ran (another solve into it?), "
            f"so it is left as it was: its calendars' subscribers have that one; the new "
            f"timetable is in {written} (`scheduler report` compares them; to publish it, "
            f"solve again into {folder} with --start-from {written})"
        )
    if added:
        raise JobFailed(
            f"{folder} got files that are not outputs of scheduler solve while this solve ran "
            f"({first_few(added)}), so it is left as it was (replacing it would delete them); "
            f"the new timetable is in {written}: move them elsewhere, then solve again into "
            f"{folder} with --start-from {written}"
        )


def _say_exports_failed(folder: Path, written: Path, failure: str) -> None:
    """Say that the exports failed, and where the timetable written without them is."""
    if written != folder:
        click.echo(
            f"error: the exports (xlsx, html, calendars) failed: {failure}; {folder} is left as "
            f"it was, with its exports; the new timetable is in {written} (timetable.csv, "
            f"solution.json): once the cause is fixed, `scheduler export {written}`, then put "
            f"it in place of {folder}",
            err=True,
        )
    else:
        kept = f"the timetable is written ({folder}/timetable.csv, solution.json)"
        exports_failed("the", failure, kept, folder)
