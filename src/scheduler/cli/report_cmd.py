"""`scheduler report SOLUTION`: the cost of a timetable by rule, in plain words, and its gap."""

from __future__ import annotations

from pathlib import Path

import click

from scheduler.check import check
from scheduler.check.table import table_disagreements_of
from scheduler.cli.common import (
    INSTANCE_SEARCH_HELP,
    JobFailed,
    existing_file,
    find_instance,
    guard,
)
from scheduler.data.problem import Problem
from scheduler.io.floors_record import recorded_floors
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_claims import problem_for
from scheduler.io.solution_read import (
    bound_of_every_timetable,
    read_timetable,
    revision_record,
    solution_matches,
    solution_path,
)
from scheduler.report import (
    broken_in_words,
    cost_lines,
    day_rhythm_lines,
    default_target_lines,
    recorded_lines,
    summary_lines,
    unavoidable_lines,
)
from scheduler.resolve.disruption_words import disruption_words
from scheduler.solution import Floor, Result


@click.command("report")
@click.argument("solution")
@click.option(
    "--instance",
    metavar="INSTANCE",
    help=INSTANCE_SEARCH_HELP,
)
@click.option(
    "--detail",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Entities listed per rule.",
)
def report(solution: str, instance: str | None, detail: int) -> None:
    """Print the cost breakdown of SOLUTION by rule, with the entities involved and the gap.

    Costs are recomputed for the instance as it is now (rules and their weights: docs/rules.md
    and the instance's `weights`); a warning says when that is not the cost solved for."""
    sol = existing_file(solution)
    inst = find_instance(sol, instance)
    loaded = guard(lambda: load_instance(inst))
    result = guard(lambda: read_timetable(sol))
    problem = guard(lambda: problem_for(loaded, result))
    warning = guard(lambda: solution_matches(sol, loaded, inst))
    if warning:
        click.echo(str(warning), err=True)
    checked = check(problem, result.assignments)
    _warn_table_disagrees(sol, problem, result, bool(warning))
    revision = revision_record(sol)
    for line in summary_lines(result, problem.session, checked, resolved=revision is not None):
        click.echo(line)
    if revision is not None and isinstance(revision.get("disruption"), int):
        proved = bool(revision.get("disruption_proved_minimal"))
        click.echo(disruption_words(revision["disruption"], proved))
    # the recorded bound proves something of this timetable only if it is a plain solve's,
    # of this instance, and the timetable breaks no hard rule (an edited one may)
    holds = not warning and not checked.violations and bound_of_every_timetable(sol)
    stale = recorded_lines(result, checked, edited=bool(warning), bound_holds=holds)
    for line in stale:
        click.echo(line)
    for line in cost_lines(
        checked, detail=detail, weights=problem.weights, instance=problem.instance
    ):
        click.echo(line)
    for line in default_target_lines(problem.instance, checked) + day_rhythm_lines(
        problem.instance
    ):
        click.echo(line)
    if not checked.violations:  # what the data forces, for the instance the solution is of
        bound = result.bound if holds else None
        forced = _floors(sol, problem, edited=bool(warning))
        lines = unavoidable_lines(forced, checked.objective, bound, detail, problem.instance)
        for line in lines:
            click.echo(line)
    for v in checked.violations:
        click.echo(f"VIOLATION [{v.rule}] {v.message}")
    if checked.violations:  # exit 1, as `check` does: this is not a timetable to publish
        raise JobFailed(f"{sol}: breaks {broken_in_words(checked)}")


def _warn_table_disagrees(sol: Path, problem: Problem, result: Result, edited: bool) -> None:
    """Warn when the solution's timetable.csv disagrees with its solution.json."""
    table = guard(lambda: table_disagreements_of(sol, problem, result.assignments, edited))
    if table:  # the costs are solution.json's: say that the CSV people read is not
        click.echo(
            f"warning: timetable.csv disagrees with solution.json in {len(table)} place(s) "
            f"(first: {table[0][1]}); this report is solution.json's",
            err=True,
        )


def _floors(sol: Path, problem: Problem, edited: bool) -> tuple[Floor, ...]:
    """What the data forces: the floors recorded with the solution, else built again."""
    forced = None if edited else recorded_floors(solution_path(sol))
    if forced is None:  # not recorded for this instance: built again (seconds)
        from scheduler.model.data_bound import floors_of

        forced = tuple(floors_of(problem))
    return forced
