"""`scheduler bench SUITE`: run a benchmark suite, record JSON lines, compare to a baseline."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scheduler.bench import compare, judge_record, load_baseline, load_suite, make_baseline
from scheduler.bench.compare import (
    DEFAULT_ABS_TOLERANCE,
    DEFAULT_REL_TOLERANCE,
    Finding,
    objective_of,
)
from scheduler.bench.runner import run_specs, suite_specs
from scheduler.cli.common import BadInput, Finite, JobFailed, guard
from scheduler.io.atomic import write_text


@click.command("bench")
@click.argument("suite")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Append one JSON line per case here (default benchmarks/results/<suite>.jsonl).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Fail when a case regresses against this baseline file.",
)
@click.option(
    "--rel-tol",
    type=Finite(min=0),
    default=None,
    help=f"Relative objective tolerance (default: the suite's, else {DEFAULT_REL_TOLERANCE}).",
)
@click.option(
    "--abs-tol",
    type=Finite(min=0),
    default=None,
    help=f"Absolute objective slack (default: the suite's, else {DEFAULT_ABS_TOLERANCE:g}).",
)
@click.option("--case", "cases", multiple=True, help="Run only this case (repeatable).")
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Write the results of this run as a new baseline file.",
)
def bench(
    suite: str,
    out: str | None,
    baseline: str | None,
    rel_tol: float | None,
    abs_tol: float | None,
    cases: tuple[str, ...],
    write_baseline: str | None,
) -> None:
    """Run SUITE (a name resolved to benchmarks/SUITE.yaml, or a path) and check every case."""
    loaded = guard(lambda: load_suite(suite))
    base = guard(lambda: load_baseline(Path(baseline))) if baseline else None
    if isinstance(base, dict) and base.get("suite") not in (None, loaded.name):
        raise BadInput(
            f"{baseline}: a baseline of suite '{base['suite']}', not '{loaded.name}' "
            f"({loaded.path}): record one with --write-baseline"
        )
    unknown = [c for c in cases if c not in {case.id for case in loaded.cases}]
    if unknown:
        known = ", ".join(case.id for case in loaded.cases)
        raise BadInput(f"{loaded.path}: --case {unknown[0]}: no such case (known: {known})")
    specs = suite_specs(loaded, cases)
    out_path = Path(out) if out else Path("benchmarks") / "results" / f"{loaded.name}.jsonl"
    console = Console(stderr=True)
    # a cancelled CI job sends SIGTERM: end as on Ctrl-C, so that the running case is killed
    before = signal.signal(signal.SIGTERM, _terminated)
    try:
        records = _run(specs, out_path, console)
    finally:
        signal.signal(signal.SIGTERM, before)
    # the command line's tolerance, else the suite's, else the baseline's, else the default
    kept = base.get("tolerance") if isinstance(base, dict) else None
    kept = kept if isinstance(kept, dict) else {}
    rel = _tolerance(rel_tol, loaded.tolerance.get("rel"), kept.get("rel"), DEFAULT_REL_TOLERANCE)
    abs_ = _tolerance(abs_tol, loaded.tolerance.get("abs"), kept.get("abs"), DEFAULT_ABS_TOLERANCE)
    if isinstance(base, dict):
        findings = compare(records, base, rel, abs_)
    else:
        findings = [f for r in records for f in judge_record(r)]
    table_console = Console() if Console().is_terminal else Console(width=180)
    table_console.print(
        results_table(loaded.name, records, base if isinstance(base, dict) else None)
    )
    for f in findings:
        click.echo(f"{'FAIL' if f.failed else 'note'} {f.key}: {f.message}", err=True)
    click.echo(f"records appended to {out_path}")
    failed = [f for f in findings if f.failed]
    if write_baseline:
        # a failed case (no timetable, an error, a regression) would be a baseline that
        # passes what it should not
        if failed:
            click.echo(f"baseline not written to {write_baseline}: a case failed", err=True)
        else:
            path = Path(write_baseline)
            baseline_doc = make_baseline(records, loaded.name, rel, abs_)
            document = json.dumps(baseline_doc, indent=2) + "\n"
            guard(lambda: write_text(path, document))
            click.echo(f"baseline written to {path}")
    if failed:
        raise JobFailed(
            f"{len(failed)} benchmark check(s) failed: " + "; ".join(_short(f) for f in failed)
        )


def _tolerance(*choices: object) -> float:
    """The first tolerance given (a number), in order of precedence."""
    return next(float(c) for c in choices if isinstance(c, int | float) and not isinstance(c, bool))


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _short(f: Finding) -> str:
    return f"{f.key} {f.message}"


def _run(specs: list[dict[str, Any]], out: Path, console: Console) -> list[dict[str, Any]]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    records: list[dict[str, Any]] = []
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("bench", total=len(specs))

        def started(spec: dict[str, Any]) -> None:
            label = f"{spec['case']}@{spec['seed']} ({spec['time_limit']:g} s)"
            progress.update(task, description=label)

        for record in run_specs(specs, out, on_start=started):
            records.append(record)
            progress.advance(task)
        progress.update(task, description="done")
    return records


def results_table(
    suite: str, records: list[dict[str, Any]], baseline: dict[str, Any] | None
) -> Table:
    """A rich table of the records, with the baseline objective when there is one."""
    table = Table(title=f"scheduler bench {suite}")
    heads = (
        "case",
        "seed",
        "sessions",
        "limit s",
        "status",
        "objective",
        "bound",
        "gap",
        "checked",
        "first s",
        "wall s",
        "total s",
        "peak MiB",
        "viol.",
    )
    for head in heads:
        table.add_column(head, justify="left" if head in ("case", "status") else "right")
    if baseline is not None:
        table.add_column("baseline obj.", justify="right")
    for r in records:
        row = [
            r["case"],
            str(r["seed"]),
            _fmt(r.get("sessions")),
            _fmt(r.get("time_limit")),
            r.get("status", "?"),
            _fmt(r.get("objective")),
            _fmt(r.get("bound")),
            _fmt(None if r.get("gap") is None else f"{100 * r['gap']:.1f}%"),
            _fmt(r.get("checker_objective")),
            _fmt(r.get("first_feasible_seconds")),
            _fmt(r.get("wall_seconds")),
            _fmt(r.get("total_seconds")),
            _fmt(r.get("peak_memory_mb")),
            _fmt(r.get("violations")),
        ]
        if baseline is not None:
            old = baseline.get("cases", {}).get(f"{r['case']}@{r['seed']}", {})
            row.append(_fmt(objective_of(old) if old else None))
        table.add_row(*row)
    return table


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
