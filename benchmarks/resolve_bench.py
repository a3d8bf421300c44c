"""Re-solve benchmark (issue: re-solve after a cancellation).

Solves an instance once, then applies N random single changes at random `today` dates and
re-solves each with 2 workers, recording the re-solve time, the sessions moved, the
disruption and whether the solver proved it minimal. Every result goes through the checker
and the frozen-past check.

    python benchmarks/resolve_bench.py instances/mapemass-2026-27.yaml --cases 20 --seed 1

`--w-week` may be given several times (e.g. `--w-week 10 --w-week 0`): each case is then
re-solved once per value, one after the other from the same published timetable, so that
the disruption weights compare paired, in one run (the published timetable itself comes
from a wall-clock solve and differs from run to run). `--rings both` likewise re-solves each
case with and without the repair rings (`resolve/repair_rings.py`) that hint the
least-disruption search.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from scheduler import __version__
from scheduler.check import check
from scheduler.cli.resolve_cmd import past_violations
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model.solve import SolveOptions, solve
from scheduler.resolve.apply import revise
from scheduler.resolve.changes import Changes
from scheduler.resolve.diff import compare
from scheduler.resolve.disruption import DisruptionWeights
from scheduler.resolve.solve import resolve


def random_change(
    rng: random.Random, problem: Problem, published: dict[str, Any]
) -> dict[str, Any]:
    """A single change touching a session after a random today."""
    dates = sorted({a.date for a in published.values()})
    lo, hi = len(dates) // 10, len(dates) * 8 // 10
    today = dates[rng.randrange(lo, hi)]
    future = sorted(
        (a for a in published.values() if a.date >= today), key=lambda a: (a.date, a.session)
    )
    past = sorted(
        (a for a in published.values() if a.date < today), key=lambda a: (a.date, a.session)
    )
    target = rng.choice(future[:30])
    session = problem.session[target.session]
    kind = rng.choice(
        ["teacher_unavailable", "room_unavailable", "site_closed", "cancelled", "add_sessions"]
    )
    if kind == "teacher_unavailable" and session.teachers:
        change = {kind: {"teacher": rng.choice(session.teachers), "date": target.date}}
    elif kind == "room_unavailable":
        change = {kind: {"room": target.room, "date": target.date}}
    elif kind == "site_closed":
        change = {kind: {"site": problem.room_site[target.room], "date": target.date}}
    elif kind == "cancelled" and past:
        change = {kind: {"session": past[-1].session}}
    else:
        change = {"add_sessions": {"ue": session.ue, "series": session.series, "count": 1}}
    return {"today": today, "changes": [change]}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("instance")
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solve-limit", type=float, default=60.0)
    parser.add_argument("--resolve-limit", type=float, default=30.0)
    parser.add_argument("--out", default="benchmarks/results/resolve.json")
    parser.add_argument(
        "--w-week", type=int, action="append", help="disruption weight per week moved (repeatable)"
    )
    parser.add_argument("--rings", choices=["on", "off", "both"], default="on")
    args = parser.parse_args()
    weeks = args.w_week or [DisruptionWeights().week]
    rings = {"on": [True], "off": [False], "both": [True, False]}[args.rings]
    arms = [(week, ring) for week in weeks for ring in rings]

    instance = load_instance(args.instance)
    problem = Problem.build(instance)
    base = solve(
        problem, SolveOptions(time_limit=args.solve_limit, workers=args.workers, seed=args.seed)
    )
    assert base.status.has_solution, base.status
    published = {a.session: a for a in base.assignments}
    rng = random.Random(args.seed)
    records = []
    for case in range(args.cases):
        changes = Changes.model_validate(random_change(rng, problem, published))
        revision = revise(instance, base.assignments, changes, "bench")
        revised = Problem.build(revision.instance)
        options = SolveOptions(time_limit=args.resolve_limit, workers=args.workers, seed=args.seed)
        for week, ring in arms:
            record = _one_resolve(revised, revision, changes, options, week, ring)
            records.append(record | {"case": case, "rings": ring})
            print(json.dumps(records[-1]), flush=True)
    summaries = [
        _summary(args, [r for r in records if (r["w_week"], r["rings"]) == arm], *arm)
        for arm in arms
    ]
    for summary in summaries:
        summary["base_objective"] = base.objective
        print(json.dumps({"summary": summary}), flush=True)  # stdout stays JSON lines
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps({"summary": summaries[0], "summaries": summaries, "cases": records}, indent=1)
        + "\n",
        encoding="utf-8",
    )


def _one_resolve(
    revised: Problem,
    revision: Any,
    changes: Changes,
    options: SolveOptions,
    week: int,
    rings: bool,
) -> dict[str, Any]:
    """One re-solve of a case with `week` as the disruption weight per week moved, with or
    without the repair rings."""
    start = time.monotonic()
    outcome = resolve(revised, revision, options, DisruptionWeights(week=week), rings=rings)
    seconds = time.monotonic() - start
    result = outcome.result
    record: dict[str, Any] = {
        "w_week": week,
        "today": str(changes.today),
        "change": changes.changes[0].describe(),
        "status": result.status.value,
        "seconds": round(seconds, 2),
    }
    if result.status.has_solution:
        report = check(revised, result.assignments)
        moved = compare(revised, revision.previous, result.assignments, changes)
        record |= {
            "moved": len(moved),
            "days_moved": sorted(
                abs((m.after.date - m.before.date).days)
                for m in moved
                if m.before is not None and m.after is not None
            ),
            "disruption": outcome.disruption,
            "disruption_proved_minimal": outcome.disruption_optimal,
            "seconds_to_least_disruption": round(outcome.disruption_seconds or 0.0, 2),
            "violations": len(report.violations)
            + len(past_violations(revision, result.assignments, revised.room_site)),
            "objective": report.objective,
        }
    return record


def _summary(
    args: argparse.Namespace, records: list[dict[str, Any]], week: int, rings: bool
) -> dict[str, Any]:
    """Medians and worst cases of one arm's records."""
    solved = [r for r in records if "moved" in r]
    times = [r["seconds"] for r in records]
    return {
        "instance": args.instance,
        "package": __version__,
        "git": _git(),
        "w_week": week,
        "rings": rings,
        "workers": args.workers,
        "resolve_time_limit": args.resolve_limit,
        "cases": len(records),
        "with_timetable": len(solved),
        "median_seconds": statistics.median(times),
        "median_seconds_to_least_disruption": statistics.median(
            [r["seconds_to_least_disruption"] for r in solved]
        )
        if solved
        else None,
        "worst_seconds_to_least_disruption": max(
            (r["seconds_to_least_disruption"] for r in solved), default=None
        ),
        "worst_seconds": max(times),
        "median_moved": statistics.median([r["moved"] for r in solved]) if solved else None,
        "worst_moved": max((r["moved"] for r in solved), default=None),
        "proved_minimal": sum(1 for r in solved if r["disruption_proved_minimal"]),
        "violations": sum(r["violations"] for r in solved),
        "date": dt.date.today().isoformat(),
    }


def _git() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


if __name__ == "__main__":
    main()
