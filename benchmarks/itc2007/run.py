"""Run the `itc2007` benchmark suite: CB-CTT instances x seeds, results as JSON and a table.

Usage (the full protocol, see README.md):

    python benchmarks/itc2007/run.py --time-limit 300 --seeds 5 --workers 1 \
        --out benchmarks/itc2007/results.json

``--jobs 2`` runs two runs at a time, one per core (each run records the load average at its
end, so a crowded machine shows in the results).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

from scheduler.itc2007 import evaluate, read_ctt
from scheduler.itc2007.solution_format import write_solution
from scheduler.itc2007.solver import solve_ctt

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "itc2007"
INSTANCES = tuple(f"comp0{i}" for i in range(1, 8))
# UD2 best known (Bettinelli et al. 2015; * proven optimal) and the winner's average (Müller 2009).
BEST_KNOWN = {"comp01": 5, "comp02": 24, "comp03": 64, "comp04": 35, "comp05": 284,
              "comp06": 27, "comp07": 6}  # fmt: skip
WINNER_AVERAGE = {"comp01": 5.0, "comp02": 61.3, "comp03": 94.8, "comp04": 42.8,
                  "comp05": 343.5, "comp06": 56.8, "comp07": 33.9}  # fmt: skip


def run_one(
    path: Path,
    time_limit: float,
    workers: int,
    seed: int,
    solutions: Path | None = None,
    deterministic: bool = False,
) -> dict[str, Any]:
    """Solve one instance with one seed and score it with the official UD2 scorer; its
    timetable, in the competition's solution format, into `solutions` if given (so that any
    validator can score it again: an audit could check the costs against no file)."""
    instance = read_ctt(path)
    result = solve_ctt(
        instance, time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic
    )
    record: dict[str, Any] = {
        "instance": path.stem,
        "seed": seed,
        "status": result.status,
        "first_feasible_seconds": result.first_feasible_seconds,
        "wall_seconds": round(result.wall_seconds, 2),
        "history": [[round(t, 2), cost] for t, cost in result.history],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    if result.score is not None and solutions is not None:
        written = solutions / f"{path.stem}-seed{seed}.sol"
        write_solution(written, result.lectures)
        record["solution_file"] = str(written)
    if result.score is not None:
        score = evaluate(instance, result.lectures)  # the package's scorer, from the lectures
        record |= {
            "cost": score.total_cost,
            "violations": score.violations,
            "room_capacity": score.room_capacity,
            "min_working_days": score.min_working_days,
            "curriculum_compactness": score.curriculum_compactness,
            "room_stability": score.room_stability,
        }
    return record


def summarise(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per instance: mean and best cost, gaps to best known and to the winner's average."""
    summary: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(run["instance"] for run in runs):
        mine = [run for run in runs if run["instance"] == name]
        costs = [run["cost"] for run in mine if run.get("violations") == 0]
        firsts = [run["first_feasible_seconds"] for run in mine if run["first_feasible_seconds"]]
        entry: dict[str, Any] = {"runs": len(mine), "feasible_runs": len(costs)}
        if costs:
            mean = statistics.fmean(costs)
            best = BEST_KNOWN.get(name)
            entry |= {
                "costs": costs,
                "mean_cost": round(mean, 1),
                "best_cost": min(costs),
                "best_known": best,
                "winner_average": WINNER_AVERAGE.get(name),
                "gap_to_best_known_pct": round(100 * (mean - best) / best, 1) if best else None,
                # a mean over the feasible runs only would hide the others: a failed run
                # is not within the winner's average
                "within_winner_average": mean <= WINNER_AVERAGE[name] and len(costs) == len(mine)
                if name in WINNER_AVERAGE
                else None,
                "costs_by_seed": [
                    run["cost"] if run.get("violations") == 0 else None for run in mine
                ],
                "mean_first_feasible_seconds": round(statistics.fmean(firsts), 2),
            }
        summary[name] = entry
    return summary


def table(summary: dict[str, dict[str, Any]]) -> str:
    """A markdown table of the summary."""
    rows = [
        "| instance | feasible runs | costs by seed | mean cost | best | best known "
        "| gap to best known | winner avg | within winner avg | first feasible (s) |",
        "|---|---:|---|---:|---:|---:|---:|---:|:-:|---:|",
    ]
    for name, s in summary.items():
        feasible = f"{s['feasible_runs']}/{s['runs']}"
        if "mean_cost" not in s:
            rows.append(f"| {name} | {feasible} | no feasible run | | | | | | | |")
            continue
        gap = s["gap_to_best_known_pct"]
        within = {True: "yes", False: "**no**", None: ""}[s["within_winner_average"]]
        rows.append(
            f"| {name} | {feasible} | {', '.join('-' if c is None else str(c) for c in s['costs_by_seed'])} | {s['mean_cost']} "
            f"| {s['best_cost']} | {s['best_known']} | {'' if gap is None else f'{gap}%'} "
            f"| {s['winner_average']} | {within} | {s['mean_first_feasible_seconds']} |"
        )
    return "\n".join(rows)


def detail_table(runs: list[dict[str, Any]]) -> str:
    """A markdown table of every run: cost, UD2 components, first feasible, load average."""
    rows = [
        "| instance | seed | cost | RoomCapacity / MinWorkingDays / CurriculumCompactness / "
        "RoomStability | first feasible (s) | wall (s) | load average at the end (1/5/15 min) |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for run in sorted(runs, key=lambda r: (r["instance"], r["seed"])):
        parts = " / ".join(
            str(run.get(k, "-"))
            for k in (
                "room_capacity",
                "min_working_days",
                "curriculum_compactness",
                "room_stability",
            )
        )
        load = " / ".join(str(x) for x in run.get("load_average_at_end", ()))
        first = run["first_feasible_seconds"]
        rows.append(
            f"| {run['instance']} | {run['seed']} | {run.get('cost', '-')} | {parts} "
            f"| {'-' if first is None else round(first, 2)} | {run['wall_seconds']} | {load} |"
        )
    return "\n".join(rows)


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds above 0 (`nan` passed, `inf` never ended)."""
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def main() -> None:
    """Parse arguments, run every instance and seed, write JSON and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=_seconds, default=300.0)
    parser.add_argument("--seeds", type=int, default=5, help="seeds F..F+N-1")
    parser.add_argument("--first-seed", type=int, default=0, help="F (default 0)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--instances", nargs="*", default=list(INSTANCES))
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--note", default="", help="free text stored in the JSON")
    parser.add_argument(
        "--solutions", type=Path, default=None, help="write each run's .sol file into this folder"
    )
    parser.add_argument(
        "--deterministic",
        action="store_true",
        help="the limit in work units, one worker: the same costs on any machine",
    )
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time (default 1)")
    parser.add_argument(
        "--tables", type=Path, default=None, help="print the tables of a results JSON and stop"
    )
    args = parser.parse_args()
    if args.tables is not None:
        runs = json.loads(args.tables.read_text(encoding="utf-8"))["runs"]
        print(table(summarise(runs)) + "\n\n" + detail_table(runs))
        return
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    todo = [(args.data_dir / f"{name}.ctt", seed) for seed in seeds for name in args.instances]
    missing = sorted({str(path) for path, _ in todo if not path.is_file()})
    if missing:  # before hours of runs, not after them
        parser.error(f"no such instance file: {', '.join(missing)}")
    if args.solutions is not None:
        args.solutions.mkdir(parents=True, exist_ok=True)
    runs: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [
            pool.submit(
                run_one,
                path,
                args.time_limit,
                args.workers,
                seed,
                args.solutions,
                args.deterministic,
            )
            for path, seed in todo
        ]
        for (path, seed), future in zip(todo, futures, strict=True):
            try:
                record = future.result()
            except Exception as exc:  # one failed run must not lose the others
                record = {"instance": path.stem, "seed": seed, "status": "ERROR",
                          "error": f"{type(exc).__name__}: {exc}",
                          "first_feasible_seconds": None, "wall_seconds": None}  # fmt: skip
            runs.append(record)
            print(json.dumps({k: v for k, v in record.items() if k != "history"}), flush=True)
            if args.out is not None:  # written after every run: an interrupted protocol keeps them
                _write(args, seeds, runs, complete=len(runs) == len(todo))
    print(table(summarise(sorted(runs, key=lambda r: (r["instance"], r["seed"])))))
    crashed = [f"{r['instance']}@{r['seed']}" for r in runs if r.get("status") == "ERROR"]
    failed = [
        f"{r['instance']}@{r['seed']}"
        for r in runs
        if r.get("violations") != 0 and r.get("status") != "ERROR"
    ]
    if failed or crashed:  # a gate: "every instance feasible" is the protocol's first target
        raise SystemExit(
            "; ".join(
                [f"no feasible timetable in {len(failed)} run(s): {', '.join(failed)}"]
                * bool(failed)
                + [f"{len(crashed)} run(s) failed with an error: {', '.join(crashed)}"]
                * bool(crashed)
            )
        )


def _write(
    args: argparse.Namespace, seeds: range, runs: list[dict[str, Any]], complete: bool
) -> None:
    """The results JSON, replaced atomically (temp file + rename)."""
    runs = sorted(runs, key=lambda run: (run["instance"], run["seed"]))
    summary = summarise(runs)
    report = {
        "complete": complete,
        "suite": "itc2007",
        "protocol": {
            "time_limit_seconds": args.time_limit,
            "deterministic": args.deterministic,  # then the limit is in work units
            "seeds": list(seeds),
            "workers": 1 if args.deterministic else args.workers,
            "runs_at_a_time": args.jobs,
            "instances": args.instances,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
            "python": platform.python_version(),
            "ortools": version("ortools"),
        },
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "note": args.note,
        "summary": summary,
        "runs": runs,
    }
    temporary = args.out.with_name(args.out.name + ".tmp")
    temporary.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    temporary.replace(args.out)


if __name__ == "__main__":
    main()
