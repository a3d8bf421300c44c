"""`scheduler check INSTANCE SOLUTION [--json]`: verify every hard rule, recompute every cost."""

from __future__ import annotations

import json

import click

from scheduler.check import check as run_check
from scheduler.cli.common import existing_file, guard
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_io import (
    no_timetable_note,
    problem_for,
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
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for v in report.violations:
            click.echo(f"[{v.rule}] {v.message}")
        click.echo(f"{len(report.violations)} hard violations; objective {report.objective}")
        for line in recorded_lines(result, report, edited=bool(warning)):
            click.echo(line, err=True)
        for line in cost_lines(
            report, detail=0, weights=problem.weights, instance=problem.instance
        ):
            click.echo(line)
    ctx.exit(0 if report.feasible else 1)
