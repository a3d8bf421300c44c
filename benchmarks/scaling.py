"""Scaling study: generated instances of 1 to 20 programmes at a fixed time limit.

Usage (from the repository root):

    python benchmarks/scaling.py                       # 1, 2, 5, 10, 20 programmes, 60 s each
    python benchmarks/scaling.py --programmes 1,2,5 --time-limit 30
    python benchmarks/scaling.py --plot-only           # redraw from results/scaling.json
    python benchmarks/scaling.py --witness-hint 20     # solve with the generator's witness as hint
    python benchmarks/scaling.py --programmes 1 --out /tmp/p1.json   # a trial, elsewhere

Each point runs in its own process (`scheduler.bench.runner.run_spec`), so its peak memory
is its own. Writes benchmarks/results/scaling.json, benchmarks/scaling.png (or `--out` and
the same name ending in .png, so that a trial leaves the recorded study alone) and prints
the Markdown table kept in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from scheduler.bench.runner import git_revision, run_spec

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "scaling.json"
PLOT = HERE / "scaling.png"


def run(
    programmes: list[int], time_limit: float, seed: int, workers: int, out: Path = RESULTS
) -> list[dict[str, Any]]:
    """Run the series and save every record to `out` as soon as it is known."""
    records: list[dict[str, Any]] = []
    revision = git_revision(HERE)
    for n in programmes:
        spec = {"suite": "scaling", "case": f"gen-p{n}", "seed": 0, "workers": workers,
                "time_limit": time_limit, "git_revision": revision,
                "generate": {"programmes": n, "seed": seed, "tightness": 0.7}}  # fmt: skip
        record = run_spec(spec)
        records.append(record)
        print(row(record), flush=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    return records


HEADER = (
    "| programmes | sessions | status | first feasible (s) | build+first (s) | objective | bound "
    "| gap | witness obj. | total (s) | peak MiB |\n|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def row(r: dict[str, Any]) -> str:
    """One Markdown table row of a record."""
    n = r.get("generate", {}).get("programmes", "?")

    def f(key: str, digits: int = 1) -> str:
        value = r.get(key)
        return (
            "-"
            if value is None
            else f"{value:.{digits}f}"
            if isinstance(value, float)
            else str(value)
        )

    build_first = None
    if r.get("first_feasible_seconds") is not None:
        extra = r["total_seconds"] - r["wall_seconds"]
        build_first = round(extra + r["first_feasible_seconds"], 1)
    gap = "-" if r.get("gap") is None else f"{100 * r['gap']:.0f}%"
    return (
        f"| {n} | {f('sessions')} | {r.get('status')} | {f('first_feasible_seconds')} "
        f"| {'-' if build_first is None else build_first} "
        f"| {f('checker_objective')} | {f('bound')} "
        f"| {gap} | {f('witness_objective')} | {f('total_seconds')} | {f('peak_memory_mb', 0)} |"
    )


def add_witness_objectives(records: list[dict[str, Any]]) -> None:
    """Fill in the objective of the generator's witness timetable where a record lacks it."""
    from scheduler.check import check
    from scheduler.data.problem import Problem
    from scheduler.generate import generate_with_witness

    for r in records:
        if r.get("witness_objective") is None and "generate" in r:
            instance, witness = generate_with_witness(**r["generate"])
            r["witness_objective"] = check(Problem.build(instance), witness).objective


def plot(records: list[dict[str, Any]], path: Path = PLOT) -> None:
    """Time to first feasible and objective against the number of sessions, into `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in records if r.get("has_timetable")]
    failed = [r for r in records if not r.get("has_timetable") and r.get("sessions")]
    sessions = [r["sessions"] for r in ok]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(
        sessions, [r["first_feasible_seconds"] for r in ok], "o-", label="solver first feasible"
    )
    overhead = [r["total_seconds"] - r["wall_seconds"] + r["first_feasible_seconds"] for r in ok]
    left.plot(sessions, overhead, "s--", label="incl. generate + model builds")
    if failed:
        left.plot([r["sessions"] for r in failed], [r["time_limit"] for r in failed], "rx",
                  markersize=10, label="no timetable within the limit")  # fmt: skip
    left.set_xlabel("sessions")
    left.set_ylabel("seconds")
    left.set_title("Time to the first timetable")
    left.legend()
    right.plot(sessions, [r["checker_objective"] for r in ok], "o-", label="objective (checker)")
    right.plot(sessions, [r["bound"] for r in ok], "v:", label="bound")
    known = [r for r in records if r.get("witness_objective") is not None and r.get("sessions")]
    right.plot([r["sessions"] for r in known], [r["witness_objective"] for r in known], "d--",
               label="generator's witness timetable")  # fmt: skip
    right.set_xlabel("sessions")
    right.set_title(
        f"Objective at the time limit ({ok[0]['time_limit']:g} s)" if ok else "Objective"
    )
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def witness_hint(programmes: int, time_limit: float, seed: int, workers: int) -> dict[str, Any]:
    """One solve of the full model started from the generator's witness timetable (an experiment:
    how good is the objective when the search starts from a constructive placement?).

    As in `scheduler.model.first_timetable.find_feasible`, the witness placement is first completed into
    a full assignment (every auxiliary variable) by a solve with the placement fixed, since
    CP-SAT makes little use of a partial hint."""
    from ortools.sat.python import cp_model

    from scheduler.bench.case import peak_memory_mb
    from scheduler.check import check
    from scheduler.data.problem import Problem
    from scheduler.generate import generate_with_witness
    from scheduler.model.build import build_model
    from scheduler.model.solve import SolveOptions, hint_solution, parameters, run

    started = time.monotonic()
    instance, witness = generate_with_witness(programmes, seed)
    problem = Problem.build(instance)
    built = build_model(problem)
    chosen = {(a.session, a.date, a.slot, a.room) for a in witness}
    starts = {(a.session, problem.slot_by_key[a.date, a.slot].index) for a in witness}
    for c, var in built.variables.x.items():
        built.model.add_hint(var, int((c.session.id, c.start.date, c.start.slot, c.room) in chosen))
    for key, var in built.variables.y.items():
        built.model.add_hint(var, int(key in starts))
    built_at = time.monotonic()
    options = SolveOptions(time_limit=time_limit, workers=workers)
    completion = cp_model.CpSolver()
    completion.parameters.copy_from(parameters(options))
    completion.parameters.fix_variables_to_their_hinted_value = True
    completion.parameters.stop_after_first_solution = True
    code = completion.solve(built.model.clone())
    completed_at = time.monotonic()
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {"programmes": programmes, "status": "completion failed", "code": int(code)}
    hint_solution(built.model, list(completion.response_proto.solution))
    _, result = run(built, options)
    report = check(problem, result.assignments) if result.status.has_solution else None
    return {
        "programmes": programmes,
        "sessions": len(problem.sessions),
        "placements": len(built.variables.x),
        "build_seconds": round(built_at - started, 1),
        "completion_seconds": round(completed_at - built_at, 1),
        "status": result.status.value,
        "first_feasible_seconds": result.first_solution_seconds,
        "checker_objective": None if report is None else report.objective,
        "violations": None if report is None else len(report.violations),
        "witness_objective": check(problem, witness).objective,
        "peak_memory_mb": peak_memory_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", default="1,2,5,10,20")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plot-only", action="store_true")
    parser.add_argument("--witness-hint", type=int, metavar="PROGRAMMES")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the records (JSON)")
    args = parser.parse_args()
    out: Path = args.out
    picture = PLOT if out.resolve() == RESULTS else out.with_suffix(".png")
    if args.witness_hint:
        record = witness_hint(args.witness_hint, args.time_limit, args.seed, args.workers)
        print(json.dumps(record))
        path = out.with_name("witness_hint.jsonl")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
        return
    if args.plot_only:
        records = json.loads(out.read_text(encoding="utf-8"))
        add_witness_objectives(records)
        out.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    else:
        print(HEADER)
        programmes = [int(p) for p in args.programmes.split(",")]
        records = run(programmes, args.time_limit, args.seed, args.workers, out)
    plot(records, picture)
    print("\n" + HEADER + "\n" + "\n".join(row(r) for r in records))


if __name__ == "__main__":
    main()
