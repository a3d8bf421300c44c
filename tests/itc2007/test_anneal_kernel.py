"""The compiled annealing kernel: its read-only clash test agrees with the counters."""

from __future__ import annotations

import random
from pathlib import Path

from ortools.sat.python import cp_model

from scheduler.itc2007 import _anneal_kernel as kernel
from scheduler.itc2007 import read_ctt
from scheduler.itc2007._local_search import Annealer
from scheduler.itc2007._room_model import greedy_rooms
from scheduler.itc2007._time_model import build_time_model


def _annealer(data_dir: Path, name: str) -> Annealer:
    instance = read_ctt(data_dir / f"{name}.ctt")
    tm = build_time_model(instance)
    model = tm.model.clone()
    model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    periods = tm.periods_of(list(solver.response_proto.solution))
    return Annealer(instance, periods, greedy_rooms(instance, periods), seed=1)


def test_clash_test_predicts_exactly_the_moves_that_break_a_hard_rule(data_dir: Path) -> None:
    """For random period changes (with the swap the kernel would make), ``_clashes`` is true
    exactly when making the move leaves a hard violation in the counters."""
    annealer = _annealer(data_dir, "comp05")  # many curricula per course: many clashes
    s, d = annealer._s, annealer._d
    n_p, n_r = int(s[kernel.N_P]), int(s[kernel.N_R])
    rng = random.Random(7)
    seen = {True: 0, False: 0}
    for _ in range(3000):
        lec = rng.randrange(len(annealer.course_of))
        c = annealer.course_of[lec]
        p1, r1 = annealer.period[lec], annealer.room[lec]
        p2, r2 = rng.randrange(n_p), rng.randrange(n_r)
        other = int(d[s[kernel.OCC] + p2 * n_r + r2])
        oc = annealer.course_of[other] if other >= 0 else -1
        if p2 == p1 or oc == c:
            continue
        predicted = bool(kernel._clashes(s, d, c, p2, oc)) or (
            oc >= 0 and bool(kernel._clashes(s, d, oc, p1, c))
        )
        kernel.remove(s, d, lec)
        if other >= 0:
            kernel.remove(s, d, other)
        kernel.add(s, d, lec, p2, r2)
        if other >= 0:
            kernel.add(s, d, other, p1, r1)
        assert (d[kernel.HARD] > 0) == predicted
        seen[predicted] += 1
        kernel.remove(s, d, lec)
        if other >= 0:
            kernel.remove(s, d, other)
        kernel.add(s, d, lec, p1, r1)
        if other >= 0:
            kernel.add(s, d, other, p2, r2)
        assert d[kernel.HARD] == 0
    assert seen[True] > 100 and seen[False] > 100  # both outcomes exercised


def test_annealing_improves_and_counts_its_moves(data_dir: Path) -> None:
    annealer = _annealer(data_dir, "comp01")
    start = annealer.cost
    annealer.run(1.0, 5.0, 0.05)
    assert annealer.best_cost < start
    assert annealer.iterations > 0  # moves per second are measured by the benchmarks, not here
