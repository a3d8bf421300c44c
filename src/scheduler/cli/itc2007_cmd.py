"""`scheduler itc2007`: solve and score ITC-2007 track 3 (curriculum-based) instances, and
convert them (and their timetables) to and from the main model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from scheduler.cli.common import (
    EXIT_FAILED,
    BadInput,
    Finite,
    GivenPath,
    JobFailed,
    existing_file,
    guard,
)
from scheduler.cli.exit_codes import refuse_overwrite
from scheduler.cli.output_checks import writable_place
from scheduler.itc2007 import (
    CttInstance,
    Lecture,
    Score,
    evaluate,
    format_report,
    read_ctt,
    read_solution,
    write_solution,
)
from scheduler.itc2007.solver import ItcResult, solve_ctt
from scheduler.itc2007.to_instance import (
    CttMappingError,
    assignments_to_lectures,
    ctt_to_instance,
)
from scheduler.model.interrupt import latched, stopped_by
from scheduler.solution import interrupted_note

T = TypeVar("T")


@click.group("itc2007")
def itc2007() -> None:
    """ITC-2007 track 3 (curriculum-based course timetabling, .ctt files)."""


def _instance(file: Path) -> CttInstance:
    return guard(lambda: read_ctt(existing_file(str(file))))


def _summary(score: Score) -> str:
    return (
        f"RoomCapacity {score.room_capacity}, MinWorkingDays {score.min_working_days}, "
        f"CurriculumCompactness {score.curriculum_compactness}, "
        f"RoomStability {score.room_stability}"
    )


@itc2007.command("solve", short_help="Solve a .ctt file; write the official solution format.")
@click.argument("file", type=GivenPath(dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=Finite(min=0.1),
    default=60.0,
    show_default=True,
    help="Wall-clock limit in seconds; with --deterministic, work units (CP-SAT's "
    "deterministic time, and 3 million annealing moves a unit: about a second each on a "
    "2-core machine).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="CP-SAT workers per sub-solve.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=GivenPath(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the solution (official format); default solutions/itc2007/<FILE's stem>.sol.",
)
@click.option(
    "--deterministic",
    is_flag=True,
    help="The same timetable for the same file, seed and limit on any machine: the limit in "
    "work units, one CP-SAT worker, and the annealing waits for its compiled kernel.",
)
@click.option("--verbose", "-v", is_flag=True, help="Print the search progress.")
@latched  # a Ctrl-C while the solution is written lets the writing finish
def solve(
    file: Path,
    time_limit: float,
    workers: int,
    seed: int,
    out: Path | None,
    deterministic: bool,
    verbose: bool,
) -> None:
    """Solve FILE (.ctt), write the timetable in the official format (for `score` and the
    competition's validator); print its official cost and the time to the first feasible one."""
    instance = _instance(file)
    target = out if out is not None else Path("solutions", "itc2007", f"{file.stem}.sol")
    _not_over_the_instance(file, target)
    # before the solve: a bad --out must not cost the timetable
    writable_place(target.parent, f"--out {target}")
    guard(lambda: target.parent.mkdir(parents=True, exist_ok=True))
    log = (lambda line: click.echo(line, err=True)) if verbose else None
    if deterministic and workers > 1:
        click.echo("note: --deterministic runs one CP-SAT worker (--workers ignored)", err=True)
        workers = 1
    result: ItcResult = solve_ctt(
        instance, time_limit, workers, seed, log=log, deterministic=deterministic
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.score is None:
        why = f"interrupted ({stopped_by()})" if result.interrupted else f"in {time_limit:g} s"
        raise JobFailed(f"{file}: no feasible timetable ({result.status}) {why}")
    score = result.score
    click.echo(f"Instance: {instance.name} ({file})")
    click.echo(f"Status: {result.status}")
    if result.interrupted:
        click.echo(f"Note: {interrupted_note(stopped_by())}")
    click.echo(f"Violations: {score.violations}")
    click.echo(f"Cost: {score.total_cost} ({_summary(score)})")
    click.echo(f"First feasible: {result.first_feasible_seconds:.2f} s")
    click.echo(
        f"Wall time: {result.wall_seconds:.2f} s (limit {time_limit:g} "
        f"{'deterministic units' if deterministic else 's'}, workers {workers}, seed {seed})"
    )
    lectures: tuple[Lecture, ...] = result.lectures
    guard(lambda: write_solution(target, lectures))
    click.echo(f"Solution written to {target}")
    if not score.feasible:
        raise JobFailed("the timetable breaks hard rules (a solver bug: please report it)")


@itc2007.command("score", short_help="Score a solution as the official validator does.")
@click.argument("file", type=GivenPath(dir_okay=False, path_type=Path))
@click.argument("solution", type=GivenPath(dir_okay=False, path_type=Path))
def score_cmd(file: Path, solution: Path) -> None:
    """Score SOLUTION for FILE like the official validator; exit 1 if a hard rule is broken."""
    instance = _instance(file)
    lectures = guard(lambda: read_solution(existing_file(str(solution)), instance))
    score = evaluate(instance, lectures)
    for warning in score.warnings:
        click.echo(warning, err=True)
    click.echo(format_report(score), nl=False)
    if not score.feasible:
        click.get_current_context().exit(EXIT_FAILED)


@itc2007.command("convert", short_help="Write a .ctt file as an instance of the main model.")
@click.argument("file", type=GivenPath(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=GivenPath(dir_okay=False, path_type=Path),
    default=None,
    help="The instance to write (.yaml or .json); default <name>.yaml here.",
)
@click.option("--force", is_flag=True, help="Replace a file already at the target.")
def convert(file: Path, out: Path | None, force: bool) -> None:
    """Write FILE (.ctt) as an instance of the main model, for `scheduler solve`.

    Courses become UEs, curricula groups, periods slots; the weights are UD2's (docs/rules.md).
    """
    from scheduler.io.instance_io import dump_instance

    ctt = _instance(file)
    instance = guard(lambda: _in_file(file, lambda: ctt_to_instance(ctt)))
    target = out if out is not None else Path(f"{instance.name}.yaml")
    if target.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise BadInput(f"{target}: --out must end with .yaml, .yml or .json")
    refuse_overwrite(target, force)
    guard(lambda: dump_instance(instance, target))
    click.echo(
        f"wrote {target}: {len(ctt.courses)} courses, {ctt.total_lectures} lectures, "
        f"{len(ctt.curricula)} curricula, {ctt.days} days x {ctt.periods_per_day} periods"
    )


def _not_over_the_instance(file: Path, out: Path) -> None:
    """A solution is never written over the instance it solves (an audit's `--out` replaced
    the .ctt)."""
    if out.exists() and file.exists() and out.resolve() == file.resolve():
        raise BadInput(f"{out}: --out is the instance FILE itself; give another file")


def _in_file(path: Path, job: Callable[[], T]) -> T:
    """Run ``job``; a mapping error names ``path``."""
    try:
        return job()
    except CttMappingError as err:
        raise CttMappingError(f"{path}: {err}") from err


@itc2007.command(
    "export", short_help="Write a main-model timetable of a .ctt file in the official format."
)
@click.argument("file", type=GivenPath(dir_okay=False, path_type=Path))
@click.argument("solution", type=GivenPath(path_type=Path))
@click.option(
    "--out",
    type=GivenPath(dir_okay=False, path_type=Path),
    required=True,
    help="The solution file to write (official format).",
)
def export(file: Path, solution: Path, out: Path) -> None:
    """Write SOLUTION (a `scheduler solve` folder or its solution.json) of the instance
    converted from FILE (.ctt) in the official format, and print its UD2 cost."""
    from scheduler.io.solution_read import read_timetable

    _not_over_the_instance(file, out)
    instance = _instance(file)
    result = guard(lambda: read_timetable(existing_file(str(solution))))
    lectures = guard(
        lambda: _in_file(solution, lambda: assignments_to_lectures(instance, result.assignments))
    )
    guard(lambda: out.parent.mkdir(parents=True, exist_ok=True))
    guard(lambda: write_solution(out, lectures))
    score = evaluate(instance, lectures)
    click.echo(f"Violations: {score.violations}")
    click.echo(f"Cost: {score.total_cost} ({_summary(score)})")
    click.echo(f"Solution written to {out}")
    if not score.feasible:
        raise JobFailed("the timetable breaks hard rules of CB-CTT")
