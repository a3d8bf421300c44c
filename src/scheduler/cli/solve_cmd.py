"""`scheduler solve INSTANCE`: build, solve, check, write."""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

import click

from scheduler.check import CheckReport, check
from scheduler.cli.common import (
    Finite,
    JobFailed,
    existing_file,
    guard,
    late_interrupt_note,
)
from scheduler.cli.output_checks import check_solve_output
from scheduler.cli.solve_write import (
    published_now,
    record_no_timetable,
    replaced_cost,
    write_timetable,
)
from scheduler.cli.solver_options import progress_printer, solve_options, solver_flags
from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.io.atomic import free_name
from scheduler.io.instance_io import file_sha256, instance_cells, load_instance
from scheduler.io.solution_read import read_result, solution_matches, solution_path
from scheduler.model.explain import explain_lines, finding_line
from scheduler.model.interrupt import latched, stopped_by
from scheduler.model.single_search import solver_info
from scheduler.model.solve import SolveOptions, Timetable
from scheduler.model.solve import solve as run_solver
from scheduler.report import (
    broken_in_words,
    cost_lines,
    day_rhythm_lines,
    default_target_lines,
    floors_not_computed_line,
    summary_lines,
    unavoidable_lines,
)
from scheduler.solution import Result, Status


def explanation_lines(problem: Problem, options: SolveOptions, path: Path) -> list[str]:
    """Why `problem`, proved infeasible, has no timetable (pre-flight findings naming the
    instance file `path`, and a workbook's rows, then a minimal conflicting set of rules),
    searched within the solve's limit (60 s at most) on the cores it was given."""
    return explain_lines(
        problem,
        min(60.0, options.time_limit),
        known_infeasible=True,
        source=str(path),
        cells=instance_cells(path, problem.sessions),
        workers=options.cores,
    )


def echo_explanation(lines: list[str], warned: bool = False) -> None:
    """Print an explanation: its pre-flight warnings to stderr, as every solve's (an audit found
    them on stdout when the solve found no timetable, on stderr when it did), unless `warned`
    (said before the search already: a review), the rest (why there is no timetable: the
    job's result) to stdout."""
    for line in lines:
        warning = line.startswith("pre-flight warning:")
        if not (warning and warned):
            click.echo(line, err=warning)


def fail_on_violations(report: CheckReport) -> None:
    """Refuse to write a timetable that breaks a hard rule (it would be a solver bug)."""
    for v in report.violations[:10]:
        click.echo(f"  [{v.rule}] {v.message}", err=True)
    raise JobFailed(
        f"the solver returned a timetable breaking {count_of(len(report.violations), 'hard rule')}"
        "; nothing written"
    )


@dataclass(frozen=True)
class Start:
    """The timetable `--start-from` gives, with the file it came from and its digest."""

    timetable: Timetable
    file: Path
    sha256: str


def starting_timetable(problem: Problem, instance: Path, given: str) -> Start | None:
    """The timetable of `given` (--start-from) when it meets every hard rule of `problem`,
    else None with a warning saying why; a solution of another instance is bad input."""
    file = solution_path(existing_file(given, "--start-from"))
    result = guard(lambda: read_result(file))
    warning = guard(lambda: solution_matches(file, problem.instance, instance))
    if warning:
        click.echo(str(warning), err=True)
    if not result.status.has_solution:
        click.echo(
            f"warning: --start-from {given}: holds no timetable (status "
            f"{result.status.value}); starting afresh",
            err=True,
        )
        return None
    report = check(problem, result.assignments)
    if report.violations:
        first = report.violations[0]
        click.echo(
            f"warning: --start-from {given}: breaks {broken_in_words(report)} of {instance}, "
            f"first [{first.rule}] {first.message}; starting afresh "
            "(to repair a published timetable with few moves, use `scheduler resolve`)",
            err=True,
        )
        return None
    click.echo(f"starting from {given}: objective {report.objective}")
    return Start(result.assignments, file.resolve(), file_sha256(file))


def _checked(problem: Problem, result: Result, start: Start | None) -> tuple[Result, CheckReport]:
    """The result with the checker's costs (every soft rule, zero ones included, as
    solution.json carries them) and its start recorded (so that a deterministic solve can be
    repeated), and the checker's report; a violation fails the solve."""
    report = check(problem, result.assignments)
    if report.violations:
        fail_on_violations(report)
    if start is not None:
        solver = replace(result.solver, start_from=str(start.file), start_from_sha256=start.sha256)
        result = replace(result, solver=solver)
    return replace(result, costs=dict(report.costs)), report


def _say_kept(cost: int | None, replaced: int | None, keep: Path) -> None:
    """The warning that a costlier timetable replaced one kept in `keep`."""
    click.echo(
        f"warning: this timetable costs {cost}, the one it replaced cost "
        f"{replaced}: kept in {keep}/ (`--start-from {keep}` is never worse than it)",
        err=True,
    )


@click.command("solve")
@click.argument("instance")
@click.option(
    "--out", type=click.Path(file_okay=False), help="Output folder (default solutions/<name>/)."
)
@solver_flags
@click.option(
    "--gap-limit",
    type=Finite(min=0.0, max=1.0),
    default=0.0,
    show_default=True,
    help="Stop once the bound proves the timetable within this relative gap, "
    "(objective - bound) / objective, e.g. 0.05; 0 searches until the time limit or a proof.",
)
@click.option(
    "--start-from",
    metavar="SOLUTION",
    help="Improve a timetable of this instance (a solution folder or its solution.json), "
    "e.g. an earlier solve's, instead of building a first one: the result is never worse. "
    "Ignored, with a warning, when it breaks a hard rule of the instance.",
)
@latched  # a Ctrl-C while checking and writing lets the writing finish
def solve(
    instance: str,
    out: str | None,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: bool,
    verbose: bool,
    gap_limit: float,
    start_from: str | None,
) -> None:
    """Solve INSTANCE (YAML, JSON or workbook) and write timetable.csv and solution.json, with
    timetable.xlsx, timetable.html and calendars/ (as `export` writes them).

    The timetable minimises the weighted soft rules (weekly_load, school_holidays, ue_gap,
    visitor_trips...): their meanings and default weights are in docs/rules.md, and the
    instance's `weights` overrides them (0 switches a rule off)."""
    begin = time.monotonic()
    path = existing_file(instance)
    problem = guard(lambda: Problem.build(load_instance(path)))
    folder = Path(out) if out else Path("solutions") / problem.instance.name
    span = (problem.instance.calendar.start, problem.instance.calendar.end)
    check_solve_output(  # before solving
        folder, path, named=out is not None, calendar=span, name=problem.instance.name
    )
    found = published_now(folder)  # another solve's publication meanwhile is not replaced
    replaced = replaced_cost(folder, problem)
    options = solve_options(time_limit, seed, workers, deterministic, verbose, gap_limit)
    _pre_flight(problem, folder, path, options, begin)
    # read before "solving ...": a start that is no solution said so after it (an audit)
    start = None if start_from is None else starting_timetable(problem, path, start_from)
    _say_solving(problem, path)
    progress = progress_printer(verbose)
    timetable = None if start is None else start.timetable
    result = guard(lambda: run_solver(problem, options, on_solution=progress, start=timetable))
    if not result.status.has_solution:
        _no_timetable(problem, result, folder, path, options)
    result, report = _checked(problem, result, start)
    if progress is not None:  # the writing takes seconds on large instances, unsaid (an audit)
        click.echo(f"checked (0 violations); writing {folder} with its exports", err=True)
    # an audit's Ctrl-C at 9 s replaced a published 1,045 by 1,334, unsaid and lost: a
    # costlier timetable keeps the one it replaces beside it
    costlier = replaced is not None and report.objective > replaced
    keep = free_name(folder, f"replaced-{time.strftime('%Y%m%d-%H%M%S')}") if costlier else None
    try:
        written, failure = write_timetable(folder, problem, result, path, found, keep)
    except JobFailed:  # kept beside a folder another solve took: what it is, then why
        _say_summary(problem, result, report, folder)  # (an audit: the error alone was said)
        raise
    _say_summary(problem, result, report, written)
    click.echo(f"written to {written}/")
    if written == folder and keep is not None and keep.is_dir():
        _say_kept(report.objective, replaced, keep)
    late = late_interrupt_note(result.interrupted, f"{written}/")
    if late:
        click.echo(late, err=True)
    if failure:
        raise JobFailed(f"timetable written to {written}/, but not its exports: {failure}")


def _say_solving(problem: Problem, path: Path) -> None:
    """Say what is solved (a missing timezone is said by `load_instance`)."""
    click.echo(
        f"solving {problem.instance.name}: {count_of(len(problem.sessions), 'session')}, "
        f"{count_of(len(problem.slots), 'dated slot')}"
    )


def _say_summary(problem: Problem, result: Result, report: CheckReport, folder: Path) -> None:
    """Print the solve's summary, its cost by rule, the default targets and what the data
    forces, with a warning when the checker's objective differs from the solver's."""
    for line in summary_lines(result, problem.session, report):
        click.echo(line)
    costs = cost_lines(report, weights=problem.weights, instance=problem.instance)
    for line in costs:
        click.echo(line)
    forced = (
        unavoidable_lines(
            result.unavoidable, report.objective, result.bound, instance=problem.instance
        )
        if result.unavoidable is not None
        else [
            floors_not_computed_line(
                stopped_by() if result.interrupted else None,
                f"`scheduler report {shlex.quote(str(folder))}`",
            )
        ]
    )
    if any(line.lstrip().startswith("... and ") for line in costs + forced):  # `report`: 10
        click.echo(
            f"  (`scheduler report {shlex.quote(str(folder))} --detail N` lists N of each rule)"
        )
    for line in default_target_lines(problem.instance, report) + day_rhythm_lines(problem.instance):
        click.echo(line)
    for line in forced:
        click.echo(line)
    if report.objective != result.objective:
        click.echo(
            f"warning: checker objective {report.objective} differs from solver objective "
            f"{result.objective}",
            err=True,
        )


def _pre_flight(
    problem: Problem, folder: Path, path: Path, options: SolveOptions, begin: float
) -> None:
    """Say the pre-flight warnings; when its errors prove the instance infeasible, explain
    why, record the outcome in `folder` and fail."""
    findings = preflight(problem)
    if not any(f.severity == "error" for f in findings):
        cells = instance_cells(path, problem.sessions) if findings else {}
        for finding in findings:  # to stderr, as every other command's warnings (an audit)
            click.echo(finding_line(finding, str(path), cells), err=True)
        return
    proof = explanation_lines(problem, options, path)
    echo_explanation(proof)
    reason = "the pre-flight checks prove the instance infeasible"
    outcome = Result(
        status=Status.INFEASIBLE,
        solver=solver_info(options, "cp-sat"),
        message=reason,
        wall_seconds=time.monotonic() - begin,
    )
    record_no_timetable(folder, problem, outcome, path, proof)
    raise JobFailed(f"no timetable: {reason}")


def _no_timetable(
    problem: Problem, result: Result, folder: Path, path: Path, options: SolveOptions
) -> NoReturn:
    """A solve without a timetable: say why (explained when infeasible), record the outcome
    in `folder` (never in place of a timetable) and fail."""
    for line in summary_lines(result, problem.session, None):
        click.echo(line)
    lines: list[str] = []
    if result.status == Status.INFEASIBLE:
        began = time.monotonic()
        lines = explanation_lines(problem, options, path)
        echo_explanation(lines, warned=True)  # by `_pre_flight`, before the search
        # the time above is the search's: an audit read 8.4 s for a 31 s run
        click.echo(f"(the explanation took {time.monotonic() - began:.1f} s more)")
    elif not result.interrupted:
        click.echo(
            "the search found no timetable before the time limit: raise --time-limit, "
            "or run `scheduler explain` to look for a conflict"
        )
    if result.status == Status.INFEASIBLE:
        reason = "the instance is infeasible"
    elif result.interrupted:
        reason = f"interrupted ({stopped_by()}) before any timetable was found"
    else:
        reason = "no timetable found within the time limit"
    record_no_timetable(folder, problem, replace(result, message=reason), path, lines)
    raise JobFailed(f"no timetable: {reason}")
