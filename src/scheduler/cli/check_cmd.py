"""`scheduler check INSTANCE SOLUTION [--json]`: verify every hard rule, recompute every cost
(SOLUTION: a folder, its solution.json, or a timetable.csv)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from scheduler.check import check as run_check
from scheduler.check.report import CheckReport, Violation
from scheduler.check.table import csv_disagreements, table_disagreements_of
from scheduler.cli.common import existing_file, guard
from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.data.types import count_of
from scheduler.errors import InputError
from scheduler.io.csv_timetable import (
    assignments_from_rows,
    is_csv_timetable,
    read_timetable_rows,
    refuse_another_instance,
)
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_claims import problem_for
from scheduler.io.solution_read import (
    bound_of_every_timetable,
    no_timetable_note,
    read_result,
    solution_matches,
    solution_path,
)
from scheduler.report import cost_lines, recorded_lines
from scheduler.solution import Result, Status


@click.command("check")
@click.argument("instance")
@click.argument("solution")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def check(ctx: click.Context, instance: str, solution: str, as_json: bool) -> None:
    """Check SOLUTION (a folder, its solution.json, or a timetable.csv checked as the
    timetable it says) against INSTANCE; exit 1 on any violation."""
    loaded = guard(lambda: load_instance(existing_file(instance)))
    if is_csv_timetable(solution):
        _check_csv(ctx, loaded, existing_file(solution), as_json)
        return
    result = guard(lambda: read_result(existing_file(solution)))
    problem = guard(lambda: problem_for(loaded, result))
    warning = guard(lambda: solution_matches(solution, loaded, instance))
    if warning:
        click.echo(str(warning), err=True)
    if not result.status.has_solution:
        # the answer, alone: an audit read it after a line per session "is not placed"
        click.echo(no_timetable_note(solution_path(solution), result), err=as_json)
        if not as_json:  # tools still get the checker's report (every session unplaced)
            ctx.exit(1)
    table = guard(
        lambda: table_disagreements_of(solution, problem, result.assignments, bool(warning))
    )
    report = _with_table(run_check(problem, result.assignments), table)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _say_violations(report)
        if table:
            # a docs audit: the rules an edit of the CSV breaks were said only when the CSV
            # was checked on its own, and nothing said so
            csv_file = solution_path(solution).parent / "timetable.csv"
            click.echo(
                f"timetable.csv disagrees with solution.json in {len(table)} place(s): "
                "`scheduler export SOLUTION --format csv` writes it again from solution.json; "
                f"`scheduler check {instance} {csv_file}` checks the timetable the CSV says"
            )
        holds = not warning and not report.violations and bound_of_every_timetable(solution)
        for line in recorded_lines(result, report, edited=bool(warning), bound_holds=holds):
            click.echo(line, err=True)
        _say_costs(report, problem)
    ctx.exit(0 if report.feasible else 1)


def _check_csv(ctx: click.Context, loaded: Instance, table: Path, as_json: bool) -> None:
    """`check INSTANCE timetable.csv`: the CSV's session rows as the timetable (the
    checker's every rule), its other columns and fixed-event rows against the rows that
    timetable gives. A re-solve's sessions out of series order are taken from the
    solution.json beside it, when there is one that reads."""
    rows = guard(lambda: read_timetable_rows(table))
    guard(lambda: refuse_another_instance(table, rows, loaded))
    assignments = guard(lambda: assignments_from_rows(table, rows, loaded))
    beside = table.parent / "solution.json"
    try:
        reordered = read_result(beside).reordered if beside.is_file() else ()
    except InputError:
        reordered = ()  # the CSV is checked on its own
    result = Result(Status.FEASIBLE, assignments, reordered=reordered)
    try:
        problem = problem_for(loaded, result)
    except InputError:  # that solution.json's make-ups are not where this CSV has them
        problem = guard(lambda: problem_for(loaded, replace(result, reordered=())))
    table_found = csv_disagreements(table, rows, problem, assignments)
    report = _with_table(run_check(problem, assignments), table_found)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _say_violations(report)
        _say_costs(report, problem)
    ctx.exit(0 if report.feasible else 1)


def _with_table(report: CheckReport, table: list[tuple[str, str]]) -> CheckReport:
    """The report with each place the CSV says otherwise (`timetable_csv`): the CSV people
    read saying otherwise is as broken as a hard rule."""
    extra = tuple(Violation("timetable_csv", (ident,), words) for ident, words in table)
    return replace(report, violations=report.violations + extra)


def _say_violations(report: CheckReport) -> None:
    for v in report.violations:
        click.echo(f"[{v.rule}] {v.message}")
    found = count_of(len(report.violations), "hard violation")
    # as `report` says it: an audit read a broken timetable's objective as its whole cost
    partial = " (sessions it cannot place, if any, cost nothing)" if report.violations else ""
    click.echo(f"{found}; objective {report.objective}{partial}")


def _say_costs(report: CheckReport, problem: Problem) -> None:
    for line in cost_lines(report, detail=0, weights=problem.weights, instance=problem.instance):
        click.echo(line)
