"""One benchmark case, run in its own process so that its peak memory is its own.

`python -m scheduler.bench.case` reads a case spec (JSON) on stdin, loads or generates the
instance, solves it, checks the timetable with the independent checker and prints one JSON
record on stdout. `run_case` is the same in-process (used by the child and by tests).
"""

from __future__ import annotations

import json
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler import __version__
from scheduler.model.cpsat import ortools_version

if TYPE_CHECKING:
    from scheduler.data.instance import Instance
    from scheduler.data.problem import Problem
    from scheduler.solution import Assignment, Result


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, plus the largest own peak of its LP
    bound's processes (`model.lp_bound`), in MiB: an upper bound of the case's peak.

    The children's own peaks, not `RUSAGE_CHILDREN`: that carries this process's peak at the
    fork into each child (tiny: 258 MiB recorded for a 143 MiB peak)."""
    from scheduler.child_process import children_peak_kb

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    own_kb = own / 1024 if sys.platform == "darwin" else own
    return round((own_kb + children_peak_kb()) / 1024, 1)


def run_case(spec: dict[str, Any]) -> dict[str, Any]:
    """Load or generate, solve, check; the record of one case (see benchmarks/README.md).

    `spec` has `case`, `seed`, `workers`, `time_limit` and either `instance` (a path) or
    `generate` (keyword arguments of `generate_instance`).
    """
    from scheduler.check import check
    from scheduler.data.problem import Problem
    from scheduler.io.instance_io import instance_digest
    from scheduler.model.solve import SolveOptions, solve

    started = time.monotonic()
    witness_objective = None
    instance, witness, source = _instance_of(spec)
    problem = Problem.build(instance)
    if "generate" in spec:
        witness_objective = check(problem, witness).objective
    prepared = time.monotonic()
    options = SolveOptions(
        time_limit=float(spec["time_limit"]), workers=int(spec["workers"]), seed=int(spec["seed"])
    )
    result = solve(problem, options)
    solved = time.monotonic()
    report = check(problem, result.assignments) if result.status.has_solution else None
    return {
        "suite": spec.get("suite", ""),
        "case": spec["case"],
        **source,
        "instance_name": instance.name,
        "instance_sha256": instance_digest(instance),
        **_size_fields(problem),
        "seed": options.seed,
        "workers": options.workers,
        "time_limit": options.time_limit,
        **_result_fields(result),
        "first_feasible_seconds": _round(result.first_solution_seconds),
        "wall_seconds": _round(result.wall_seconds),
        "prepare_seconds": _round(prepared - started),
        "total_seconds": _round(solved - started),
        "violations": None if report is None else len(report.violations),
        "violated_rules": [] if report is None else sorted({v.rule for v in report.violations}),
        "checker_objective": None if report is None else report.objective,
        "witness_objective": witness_objective,
        **_environment_fields(spec),
    }


def _instance_of(spec: dict[str, Any]) -> tuple[Instance, tuple[Assignment, ...], dict[str, Any]]:
    """The case's instance, generated (with the witness timetable that proves it feasible) or
    loaded (no witness), and the record's field saying where it came from."""
    witness: tuple[Assignment, ...] = ()
    if "generate" in spec:
        from scheduler.generate import generate_with_witness

        instance, witness = generate_with_witness(**spec["generate"])
        source = {"generate": spec["generate"]}
    else:
        from scheduler.io.instance_io import load_instance

        instance = load_instance(Path(spec["instance"]))
        source = {"instance": spec["instance"]}
    return instance, witness, source


def _size_fields(problem: Problem) -> dict[str, Any]:
    """The record's fields on the problem's size: its sessions, their slots, the dated slots."""
    return {
        "sessions": len(problem.sessions),
        "session_slots": sum(s.length for s in problem.sessions),
        "dated_slots": len(problem.slots),
    }


def _result_fields(result: Result) -> dict[str, Any]:
    """The record's fields on the solver's result: its status, objective, bound and gap."""
    return {
        "status": result.status.value,
        "has_timetable": result.status.has_solution,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 4),
    }


def _environment_fields(spec: dict[str, Any]) -> dict[str, Any]:
    """The record's fields on where and with what it ran: peak memory, versions, cpus, time."""
    return {
        "peak_memory_mb": peak_memory_mb(),
        "package_version": __version__,
        "ortools_version": ortools_version(),
        "git_revision": spec.get("git_revision"),
        "python": platform.python_version(),
        "cpus": _cpus(),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main() -> None:
    """Read a spec on stdin, print its record as one JSON line on stdout."""
    from scheduler.child_process import die_with_parent

    die_with_parent()  # a killed `scheduler bench` leaves no case solving on
    spec = json.loads(sys.stdin.read())
    record = run_case(spec)
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
