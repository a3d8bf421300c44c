"""`scheduler explain INSTANCE`: pre-flight checks, then the rules that conflict, in words."""

from __future__ import annotations

import click
from click.core import ParameterSource

from scheduler.cli.common import Finite, JobFailed, existing_file, guard
from scheduler.data.findings import Finding
from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.io.instance_io import instance_cells, load_instance
from scheduler.model.explain import explain as run_explain
from scheduler.model.explain import explain_lines, finding_line, format_lines

__all__ = ["explain", "explain_lines"]


@click.command("explain")
@click.argument("instance")
@click.option(
    "--time-limit",
    type=Finite(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds for the diagnostic model's build and its searches (after the pre-flight). "
    "After pre-flight errors, which prove the conflict already, the search for the conflicting "
    "rules gets 3 s unless the limit is given.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Cores its searches use; with 1, the two searches for a conflicting set (with and "
    "without presolve) run one after the other.",
)
@click.option(
    "--preflight-only",
    is_flag=True,
    help="Only the pre-flight checks (seconds): no search for a timetable or for the "
    "conflicting rules.",
)
@click.pass_context
def explain(
    ctx: click.Context, instance: str, time_limit: float, workers: int, preflight_only: bool
) -> None:
    """Say whether INSTANCE has a timetable and, if not, which rules conflict and what to relax.

    Exit 0 when a timetable exists, 1 when there is none (or none was found in time), 2 on bad
    input; with --preflight-only, 0 when the checks find no error, 1 when they do.
    """
    path = existing_file(instance)
    problem = guard(lambda: Problem.build(load_instance(path)))

    def tell(findings: list[Finding]) -> None:
        """The pre-flight's lines at once: the search for a conflicting set may take its time."""
        cells = instance_cells(path, problem.sessions) if findings else {}
        for finding in findings:
            click.echo(finding_line(finding, instance, cells))

    if preflight_only:
        findings = guard(lambda: preflight(problem))
        tell(findings)
        if any(f.severity == "error" for f in findings):
            raise JobFailed("no timetable exists: the pre-flight errors prove it")
        click.echo(
            "no pre-flight error (whether a timetable exists was not searched: run without "
            "--preflight-only)"
        )
        return
    asked = ctx.get_parameter_source("time_limit") is not ParameterSource.DEFAULT
    result = guard(
        lambda: run_explain(
            problem, time_limit, on_findings=tell, capped=not asked, workers=workers
        )
    )
    for line in format_lines(result, findings=False):  # told by `tell`
        click.echo(line)
    if result.feasible is False:
        raise JobFailed("no timetable exists")
    if result.feasible is None:
        raise JobFailed("undecided: the diagnostic solve hit the time limit")
