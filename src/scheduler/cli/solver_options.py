"""The solver's options on the command line, shared by `solve` and `resolve`: the flags
(`solver_flags`), the `SolveOptions` they make (`solve_options`), and the progress lines that
`--verbose`, or a terminal, prints as the search goes (`progress_printer`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from scheduler.cli.common import Finite
from scheduler.model.solve import SolveOptions
from scheduler.solution import DEFAULT_WORKERS


def solve_options(
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: bool,
    verbose: bool,
    gap_limit: float = 0.0,
) -> SolveOptions:
    """Options shared by `solve` and `resolve`; a `--workers` given with `--deterministic`,
    which runs one, is said (an audit: `--workers 2` ran one worker, unsaid)."""
    ctx = click.get_current_context(silent=True)
    given = ctx is not None and ctx.get_parameter_source("workers") in (
        click.core.ParameterSource.COMMANDLINE,
        click.core.ParameterSource.ENVIRONMENT,
    )
    if deterministic and given and workers != 1:
        click.echo(
            f"note: --deterministic runs one worker, so that any machine gives the same "
            f"timetable: --workers {workers} is not used",
            err=True,
        )
    return SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        deterministic=deterministic,
        verbose=verbose,
        gap_limit=gap_limit,
        log=lambda line: click.echo(line, err=True),
    )


def solver_flags(
    func: click.decorators.FC | None = None, *, time_limit: float = 60.0, lp_bound: bool = True
) -> Any:
    """--time-limit, --seed, --workers, --deterministic, --verbose (usable bare or called);
    `lp_bound`: the command computes the LP bound beside its search (`resolve` does not)."""
    if func is None:
        return lambda f: solver_flags(f, time_limit=time_limit, lp_bound=lp_bound)
    waits = (
        " `solve` then waits at its end for the LP bound computed beside it (240 s at most), "
        "so that the bound is the same too."
        if lp_bound
        else ""
    )
    # how long the why of an infeasible outcome may take: `solve`'s explain gets the limit
    # again, 60 s at most; a re-solve's search for a conflict the limit, 30 s at least
    # (`diagnose.MIN_EXPLAIN_SECONDS`), unless the pre-flight's errors already say why (an
    # audit waited 130 s for a re-solve whose help said 60 s at most)
    explained = (
        "then gets up to as long again (60 s at most) to explain why"
        if lp_bound
        else "then gets as long again (30 s at least) to explain why, unless the pre-flight "
        "checks say it at once"
    )
    for option in reversed(
        (
            click.option(
                "--time-limit",
                type=Finite(min=0.1),
                default=time_limit,
                show_default=True,
                help="Seconds for the whole solve, the model's build included. The greedy "
                "that builds a first timetable gets at least 5 s (its restarts and repairs, "
                "when it leaves sessions out, only the limit), and a timetable found is always "
                "completed and returned, so very short limits run past it (a few seconds); "
                "when none is found, the solve fails (exit 1); an instance proved infeasible "
                f"{explained}. With --deterministic, CP-SAT's deterministic time units.",
            ),
            click.option(
                "--seed",
                type=int,
                default=0,
                show_default=True,
                help="The search's random seed: another seed may find another timetable (of "
                "about the same cost); with --deterministic, the same seed the same timetable.",
            ),
            click.option(
                "--workers",
                type=click.IntRange(min=1),
                default=DEFAULT_WORKERS,
                show_default=True,
                help="CPU cores the search uses (CP-SAT workers); 1 keeps it to one core.",
            ),
            click.option(
                "--deterministic",
                is_flag=True,
                help="Same timetable for the same instance and seed on any machine (1 worker, "
                f"deterministic time limit).{waits}",
            ),
            click.option(
                "--verbose",
                is_flag=True,
                help="Print the CP-SAT search log, one line per neighbourhood step and the "
                "progress (better objective or bound) to stderr; on a terminal the progress "
                "is printed anyway.",
            ),
        )
    ):
        func = option(func)
    return func


def progress_printer(verbose: bool) -> Callable[[float, int, int], None] | None:
    """Print each better objective or bound to stderr, with --verbose or on a terminal."""
    if not verbose and not sys.stderr.isatty():
        return None

    def show(seconds: float, objective: int, bound: int) -> None:
        gap = f"{(objective - bound) / objective:.1%}" if objective > 0 else "-"
        click.echo(
            f"{seconds:7.1f} s  objective {objective:>8}  bound {bound:>8}  gap {gap}", err=True
        )

    return show
