"""First-timetable benchmark on generated instances: how soon `solve` has any timetable.

    python benchmarks/first_timetable.py --time-limit 20 --out benchmarks/results/first_timetable.json

Each case is `scheduler generate`'s (programmes, seed, tightness, weeks, sites); the cases are
chosen for their hard first phase (the greedy leaves sessions out), not tuned to any solver
setting. Records per case: sessions, status, first-timetable seconds, objective, bound and
the checker's violations; then how many cases got a timetable and their median seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from scheduler import __version__
from scheduler.bench.runner import git_revision
from scheduler.check import check
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.atomic import write_text
from scheduler.model.solve import SolveOptions, solve

CASES = [  # (programmes, seed, tightness, weeks, sites)
    (2, 53, 0.8, 52, 3),
    (1, 60, 0.9, 40, 3),
    (1, 61, 0.8, 30, 2),
    (1, 62, 0.7, 26, 2),
    (2, 63, 0.9, 30, 3),
    (2, 64, 0.7, 40, 2),
    (3, 65, 0.7, 40, 3),
    (3, 66, 0.8, 52, 3),
    (1, 67, 0.95, 20, 1),
    (2, 68, 0.85, 26, 2),
    (5, 69, 0.7, 30, 3),
    (1, 70, 0.6, 12, 2),
    # the repair table's cases (benchmarks/README.md, "Repair of a partial greedy start")
    (1, 9, 0.8, 52, 1),
    (3, 8, 0.6, 40, 3),
    (4, 14, 0.8, 26, 3),
    (2, 12, 0.85, 26, 3),
    (2, 16, 0.75, 45, 1),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="the solver's seed")
    parser.add_argument("--out", default="benchmarks/results/first_timetable.json")
    args = parser.parse_args()
    runs = []
    seconds: list[float] = []  # to the first timetable, of the cases that got one
    for programmes, seed, tightness, weeks, sites in CASES:
        problem = Problem.build(generate_instance(programmes, seed, tightness, weeks, sites))
        options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed)
        result = solve(problem, options)
        found = result.status.has_solution
        first = result.first_solution_seconds
        report = check(problem, result.assignments) if found else None
        run = {
            "case": [programmes, seed, tightness, weeks, sites],
            "sessions": len(problem.sessions),
            "status": result.status.value,
            "first_seconds": round(first, 2) if found and first is not None else None,
            "objective": result.objective,
            "bound": result.bound,
            "violations": len(report.violations) if report else None,
            "checker_objective": report.objective if report else None,
        }
        runs.append(run)
        if found and first is not None:
            seconds.append(first)
        print(json.dumps(run), flush=True)
    summary = {
        "package": __version__,
        "git": git_revision(),
        "time_limit": args.time_limit,
        "workers": args.workers,
        "seed": args.seed,
        "cases": len(runs),
        "with_timetable": len(seconds),
        "median_first_seconds": round(statistics.median(seconds), 2) if seconds else None,
    }
    print(json.dumps(summary, indent=1))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text(out, json.dumps({"summary": summary, "runs": runs}, indent=1) + "\n")  # atomic


if __name__ == "__main__":
    main()
