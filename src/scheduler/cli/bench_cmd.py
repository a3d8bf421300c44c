"""`scheduler bench SUITE`: run a benchmark suite, record JSON lines, compare to a baseline."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scheduler.bench import (
    Suite,
    compare,
    judge_record,
    load_baseline,
    load_suite,
    make_baseline,
)
from scheduler.bench.compare import (
    DEFAULT_ABS_TOLERANCE,
    DEFAULT_REL_TOLERANCE,
    Finding,
    objective_of,
)
from scheduler.bench.runner import run_specs, suite_specs
from scheduler.cli.common import BadInput, Finite, JobFailed, guard
from scheduler.cli.output_checks import writable_parent
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
@click.option(
    "--case", "cases", multiple=True, metavar="ID", help="Run only this case (repeatable)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Solve every case with this many workers (default: the suite's); against a "
    "baseline of other workers each case fails as not comparable.",
)
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
    workers: int | None,
    write_baseline: str | None,
) -> None:
    """Run SUITE (a name resolved to benchmarks/SUITE.yaml, or a path) and check every case."""
    loaded = guard(lambda: load_suite(suite))
    base = _baseline_of(loaded, baseline)
    unknown = [c for c in cases if c not in {case.id for case in loaded.cases}]
    if unknown:
        known = ", ".join(case.id for case in loaded.cases)
        raise BadInput(f"{loaded.path}: --case {unknown[0]}: no such case (known: {known})")
    specs = suite_specs(loaded, cases)
    if workers is not None:  # a shared or one-core machine (a docs audit: only by editing)
        specs = [{**spec, "workers": workers} for spec in specs]
    out_path = Path(out) if out else Path("benchmarks") / "results" / f"{loaded.name}.jsonl"
    _outputs_apart(loaded.path, out_path, baseline, write_baseline)  # before any solve
    kept_cases = (  # a run of some cases: the others kept, not dropped (an audit)
        _cases_to_keep(Path(write_baseline), base) if cases and write_baseline else {}
    )
    records = _run_interruptible(specs, out_path)
    rel, abs_ = _tolerances(loaded, base, rel_tol, abs_tol)
    if isinstance(base, dict):
        findings = compare(records, base, rel, abs_)
    else:
        findings = [f for r in records for f in judge_record(r)]
    _print_results(loaded.name, records, base, findings, out_path)
    failed = [f for f in findings if f.failed]
    if write_baseline:
        # a failed case (no timetable, an error, a regression) would be a baseline that
        # passes what it should not
        if failed:
            click.echo(f"baseline not written to {write_baseline}: a case failed", err=True)
        else:
            _write_baseline(Path(write_baseline), records, loaded.name, rel, abs_, kept_cases)
    if failed:
        raise JobFailed(
            f"{len(failed)} benchmark check(s) failed: " + "; ".join(_short(f) for f in failed)
        )


def _baseline_of(loaded: Suite, baseline: str | None) -> dict[str, Any] | None:
    """The baseline document of `baseline` (None without one); one of another suite is refused."""
    base = guard(lambda: load_baseline(Path(baseline))) if baseline else None
    if isinstance(base, dict) and base.get("suite") not in (None, loaded.name):
        raise BadInput(
            f"{baseline}: a baseline of suite '{base['suite']}', not '{loaded.name}' "
            f"({loaded.path}): record one with --write-baseline"
        )
    return base


def _run_interruptible(specs: list[dict[str, Any]], out_path: Path) -> list[dict[str, Any]]:
    """The records of running `specs`, ending on Ctrl-C or SIGTERM as `_say_stopped` says."""
    console = Console(stderr=True)
    # a cancelled CI job sends SIGTERM: end as on Ctrl-C, so that the running case is killed
    before = signal.signal(signal.SIGTERM, _terminated)
    records: list[dict[str, Any]] = []
    try:
        _run(specs, out_path, console, records)
    except (KeyboardInterrupt, _Terminated) as stop:
        _say_stopped(stop, specs, records, out_path)
    finally:
        signal.signal(signal.SIGTERM, before)
    return records


def _tolerances(
    loaded: Suite, base: dict[str, Any] | None, rel_tol: float | None, abs_tol: float | None
) -> tuple[float, float]:
    """The relative and absolute tolerances the run is judged by."""
    # the command line's tolerance, else the suite's, else the baseline's, else the default
    kept = base.get("tolerance") if isinstance(base, dict) else None
    kept = kept if isinstance(kept, dict) else {}
    rel = _tolerance(rel_tol, loaded.tolerance.get("rel"), kept.get("rel"), DEFAULT_REL_TOLERANCE)
    abs_ = _tolerance(abs_tol, loaded.tolerance.get("abs"), kept.get("abs"), DEFAULT_ABS_TOLERANCE)
    return rel, abs_


def _print_results(
    suite: str,
    records: list[dict[str, Any]],
    base: dict[str, Any] | None,
    findings: list[Finding],
    out_path: Path,
) -> None:
    """Print the results table, then the findings and where the records went."""
    table_console = Console() if Console().is_terminal else Console(width=180)
    table_console.print(results_table(suite, records, base if isinstance(base, dict) else None))
    for f in findings:
        click.echo(f"{'FAIL' if f.failed else 'note'} {f.key}: {f.message}", err=True)
    click.echo(f"records appended to {out_path}")


def _write_baseline(
    path: Path,
    records: list[dict[str, Any]],
    suite: str,
    rel: float,
    abs_: float,
    kept_cases: dict[str, Any],
) -> None:
    """Write the run's records as a baseline to `path`, with the kept cases not run."""
    baseline_doc = make_baseline(records, suite, rel, abs_)
    others = {k: v for k, v in kept_cases.items() if k not in baseline_doc["cases"]}
    if others:
        baseline_doc["cases"] = {**others, **baseline_doc["cases"]}
        click.echo(f"note: {len(others)} case(s) not run kept as they were", err=True)
    document = json.dumps(baseline_doc, indent=2) + "\n"
    guard(lambda: write_text(path, document))
    click.echo(f"baseline written to {path}")


def _tolerance(*choices: object) -> float:
    """The first tolerance given (a number), in order of precedence."""
    return next(float(c) for c in choices if isinstance(c, int | float) and not isinstance(c, bool))


class _Terminated(BaseException):  # as KeyboardInterrupt: no `except Exception` takes it
    """SIGTERM received (a cancelled CI job)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated(signum)


def _say_stopped(
    stop: BaseException, specs: list[dict[str, Any]], records: list[dict[str, Any]], out: Path
) -> None:
    """End on Ctrl-C or SIGTERM saying which case was running and what was kept (it said
    "nothing was written" with records kept: an audit); exit 1, or 128 + the signal."""
    running = specs[len(records)] if len(records) < len(specs) else None
    during = f" during {running['case']}@{running['seed']}" if running else ""
    kept = f"{len(records)} record(s) of {len(specs)} kept in {out}" if records else "no record"
    why = "SIGTERM" if isinstance(stop, _Terminated) else "Ctrl-C"
    message = f"interrupted ({why}){during}: {kept}; nothing compared, no baseline written"
    if isinstance(stop, _Terminated):
        click.echo(f"Error: {message}", err=True)
        raise SystemExit(128 + stop.signum)
    raise JobFailed(message)


def _outputs_apart(
    suite: Path, out: Path, baseline: str | None, write_baseline: str | None
) -> None:
    """Refuse, before any case runs, outputs that would overwrite an input or each other (the
    records appended to the baseline, the suite replaced by a baseline), or that cannot be
    written (found after the whole suite had run: an audit)."""
    named = [("--out", out)]
    if write_baseline:
        named.append(("--write-baseline", Path(write_baseline)))
    inputs = [("the suite file", suite)] + ([("--baseline", Path(baseline))] if baseline else [])
    for label, path in named:
        for other_label, other in inputs + [n for n in named if n[0] != label]:
            if other_label == "--baseline" and label == "--write-baseline":
                continue  # a baseline written over the one compared with: meant
            if path.resolve() == other.resolve():
                raise BadInput(f"{label} {path} is {other_label}: name another file")
        _writable(label, path)


def _writable(label: str, path: Path) -> None:
    """`path` can be written: not a folder, in a folder (or one to create) this user may
    write in, and itself writable if it exists."""
    where = f"{label} {path}"
    if path.is_dir():
        raise BadInput(f"{where}: a folder, not a file")
    writable_parent(path, where)
    if path.exists() and not os.access(path, os.W_OK):
        raise BadInput(f"{where}: no permission to write it")


def _cases_to_keep(path: Path, compared: dict[str, Any] | None) -> dict[str, Any]:
    """The cases a baseline written by a run of some cases keeps beside them: those of the
    baseline compared with, else of the file it replaces, read before anything runs (a review:
    an older file refused after the whole suite), as they are."""
    if compared is not None:
        document: Any = compared
    elif not path.is_file():
        return {}
    else:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise BadInput(
                f"--write-baseline {path}: not a baseline ({err}), whose cases not run would "
                "be kept: name another file"
            ) from err
    cases = document.get("cases") if isinstance(document, dict) else None
    if not isinstance(cases, dict):
        return {}
    # a case of an older file keeps the origin its file gave it, not the new run's
    origin = {k: document.get(k) for k in ("git_revision", "recorded_at")}
    return {
        key: {**origin, **case} if isinstance(case, dict) else case for key, case in cases.items()
    }


def _short(f: Finding) -> str:
    return f"{f.key} {f.message}"


def _run(
    specs: list[dict[str, Any]], out: Path, console: Console, records: list[dict[str, Any]]
) -> None:
    """Run `specs` one after the other, each record appended to `records` as it comes."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("bench", total=len(specs))

        def started(spec: dict[str, Any]) -> None:
            label = f"{spec['case']}@{spec['seed']} ({spec['time_limit']:g} s)"
            progress.update(task, description=label)

        for record in run_specs(specs, out, on_start=started):
            records.append(record)
            progress.advance(task)
        progress.update(task, description="done")


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
        table.add_row(*_row(r, baseline))
    return table


def _row(r: dict[str, Any], baseline: dict[str, Any] | None) -> list[str]:
    """The table row of record `r`, with its baseline objective when there is a baseline."""
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
    return row


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
