"""Solve-quality benchmark on one instance: objective, bound and gap over time, per seed.

    python benchmarks/sample_progress.py instances/mapemass-2026-27.yaml --seeds 3 --time-limit 60

With --chain, each seed's solve continues from the previous seed's timetable (what
`scheduler solve --start-from` does), so that the runs add up; the summary's
`last_objective` is then the chain's result (its medians mix the chain's stages).
Records, for each seed, the time to the first timetable, the final objective, bound and gap,
the checker's verdict, and the (seconds, objective, bound) trace; then medians over seeds.
Ctrl-C or SIGTERM ends the run in progress (its best timetable is recorded, `interrupted`)
and skips the seeds after it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

from scheduler import __version__
from scheduler.check import check
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model.solve import SolveOptions, solve


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("instance")
    parser.add_argument("--seeds", type=int, default=3, help="how many seeds")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds run from this one")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--out", default="benchmarks/results/sample_progress.json")
    parser.add_argument(
        "--full-presolve", action="store_true", help="CP-SAT's default presolve (for comparison)"
    )
    parser.add_argument(
        "--no-lns", action="store_true", help="one CP-SAT search, no neighbourhoods (comparison)"
    )
    parser.add_argument(
        "--chain",
        action="store_true",
        help="each seed's solve starts from the previous one's timetable (solve --start-from)",
    )
    args = parser.parse_args()
    problem = Problem.build(load_instance(args.instance))
    runs = []
    previous = None  # the last timetable, for --chain
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        result = solve(
            problem,
            SolveOptions(
                time_limit=args.time_limit,
                workers=args.workers,
                seed=seed,
                light_presolve=not args.full_presolve,
                lns=not args.no_lns,
            ),
            start=previous if args.chain else None,
        )
        previous = result.assignments if result.status.has_solution else previous
        report = check(problem, result.assignments) if result.status.has_solution else None
        run = {
            "seed": seed,
            "status": result.status.value,
            "interrupted": result.interrupted,
            "first_feasible_seconds": result.first_solution_seconds,
            "wall_seconds": round(result.wall_seconds, 2),
            "objective": result.objective,
            "bound": result.bound,
            "gap": None if result.gap is None else round(result.gap, 4),
            "checker_objective": report.objective if report else None,
            "violations": len(report.violations) if report else None,
            "costs": result.costs,
            "trace": result.progress,
        }
        runs.append(run)
        print(json.dumps({k: v for k, v in run.items() if k != "trace"}), flush=True)
        if result.interrupted:  # Ctrl-C or SIGTERM: the runs so far are written, no more
            break
    done = [r for r in runs if r["objective"] is not None]
    summary = {
        "instance": args.instance,
        "package": __version__,
        "git": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
        "workers": args.workers,
        "time_limit": args.time_limit,
        "seeds": args.seeds,
        "light_presolve": not args.full_presolve,
        "lns": not args.no_lns,
        "chain": args.chain,
        "last_objective": runs[-1]["objective"] if runs else None,
        "median_first_feasible_seconds": statistics.median(
            r["first_feasible_seconds"] for r in done
        )
        if done
        else None,
        "median_objective": statistics.median(r["objective"] for r in done) if done else None,
        "median_bound": statistics.median(r["bound"] for r in done) if done else None,
        "median_gap": statistics.median(r["gap"] for r in done) if done else None,
    }
    print(json.dumps(summary, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps({"summary": summary, "runs": runs}, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
