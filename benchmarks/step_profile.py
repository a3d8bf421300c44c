"""Where a neighbourhood step's time goes: set-up, CP-SAT's presolve, search.

    python benchmarks/step_profile.py INSTANCE [--steps 12] [--seed 1]

Builds the model, takes the first timetable, then runs `--steps` steps one after another as
`model.steps` does (one worker, 3 s each, the same neighbourhoods), each from the best so
far, and prints per step: its kind and size, the status, the Python set-up (fixing the
domains, the hints), when CP-SAT had its first solution (the hint, so: its presolve and
load), and the whole wall time. Then the medians. Measures; changes nothing.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time

from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model.build import (
    build_model,
    fix_all_but,
    hint_solution,
    keep_series_rooms,
    placed_by_session,
    placements_by_session,
)
from scheduler.model.cpsat import SolveOptions
from scheduler.model.first_timetable import find_feasible
from scheduler.model.neighbourhoods import Neighbourhoods
from scheduler.model.steps import STEP_SECONDS

FIRST = re.compile(r"^#1\s+([\d.]+)s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    problem = Problem.build(load_instance(args.instance))
    began = time.monotonic()
    built = build_model(problem)
    print(f"model: {len(built.model.proto.variables)} variables, "
          f"{len(built.model.proto.constraints)} constraints, built in "
          f"{time.monotonic() - began:.1f} s")  # fmt: skip
    values, _, _ = find_feasible(problem, built, SolveOptions(time_limit=60))
    if values is None:
        raise SystemExit("no first timetable")
    placements = placements_by_session(built)
    hood = Neighbourhoods(problem, random.Random(args.seed), STEP_SECONDS)
    model = built.model.clone()
    rows = []
    for _ in range(args.steps):
        placed = placed_by_session(placements, values)
        kind, free = hood.choose(placed)
        began = time.monotonic()
        fix_all_but(model, placements, values, free, None)
        keep_series_rooms(model, placements, placed, free)
        hint_solution(model, values)
        setup = time.monotonic() - began
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = STEP_SECONDS
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        lines: list[str] = []
        solver.log_callback = lines.append
        status = solver.solve(model)
        first = next((float(m.group(1)) for line in lines if (m := FIRST.match(line))), None)
        rows.append((setup, first, solver.wall_time))
        hood.learn(status == cp_model.OPTIMAL, solver.wall_time)
        print(f"{kind:6} {len(free):3} freed  {solver.status_name(status):8}  set-up {setup:.2f} s"
              f"  first solution {first if first is not None else float('nan'):.2f} s"
              f"  wall {solver.wall_time:.2f} s  objective {solver.objective_value:.0f}")  # fmt: skip
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(solver.response_proto.solution)
    firsts = [f for _, f, _ in rows if f is not None]
    print(f"medians: set-up {statistics.median(r[0] for r in rows):.2f} s, first solution "
          f"{statistics.median(firsts):.2f} s, wall {statistics.median(r[2] for r in rows):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
