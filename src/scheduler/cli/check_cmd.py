"""`scheduler check INSTANCE SOLUTION [--json]`: verify every hard rule, recompute every cost."""

from __future__ import annotations

import json
from dataclasses import replace

import click

from scheduler.check import check as run_check
from scheduler.check.report import Violation
from scheduler.check.table import table_disagreements_of
from scheduler.cli.common import existing_file, guard
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_claims import problem_for
from scheduler.io.solution_io import (
    bound_of_every_timetable,
    no_timetable_note,
    read_result,
    solution_matches,
    solution_path,
)
from scheduler.report import cost_lines, recorded_lines


@click.command("check")
@click.argument("instance")
@click.argument("solution")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def check(ctx: click.Context, instance: str, solution: str, as_json: bool) -> None:
    """Check SOLUTION (a folder or its solution.json) against INSTANCE; exit 1 on any violation."""
    loaded = guard(lambda: load_instance(existing_file(instance)))
    result = guard(lambda: read_result(existing_file(solution)))
    problem = guard(lambda: problem_for(loaded, result))
    warning = guard(lambda: solution_matches(solution, loaded, instance))
    if warning:
        click.echo(str(warning), err=True)
    if not result.status.has_solution:
        click.echo(no_timetable_note(solution_path(solution), result), err=True)
    report = run_check(problem, result.assignments)
    table = guard(
        lambda: table_disagreements_of(solution, problem, result.assignments, bool(warning))
    )
    # the CSV people read says otherwise than solution.json: as broken as a hard rule
    report = replace(
        report,
        violations=report.violations
        + tuple(Violation("timetable_csv", (ident,), words) for ident, words in table),
    )
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for v in report.violations:
            click.echo(f"[{v.rule}] {v.message}")
        click.echo(f"{len(report.violations)} hard violations; objective {report.objective}")
        if table:
            click.echo(
                f"timetable.csv disagrees with solution.json in {len(table)} place(s): "
                "`scheduler export SOLUTION --format csv` writes it again from solution.json"
            )
        holds = not warning and not report.violations and bound_of_every_timetable(solution)
        for line in recorded_lines(result, report, edited=bool(warning), bound_holds=holds):
            click.echo(line, err=True)
        for line in cost_lines(
            report, detail=0, weights=problem.weights, instance=problem.instance
        ):
            click.echo(line)
    ctx.exit(0 if report.feasible else 1)
