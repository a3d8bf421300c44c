"""The compiled annealing kernel: its read-only clash test agrees with the counters."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.itc2007.conftest import first_timetable

from scheduler.itc2007 import _anneal_kernel as kernel
from scheduler.itc2007 import evaluate, parse_ctt, read_ctt
from scheduler.itc2007._local_search import Annealer
from scheduler.itc2007.solver import to_lectures


def _annealer(data_dir: Path, name: str) -> Annealer:
    instance = read_ctt(data_dir / f"{name}.ctt")
    first = first_timetable(instance, seed=1)
    assert first is not None
    return Annealer(instance, *first, seed=1)


def _move(s: Any, d: Any, lec: int, other: int, to: tuple[int, int], back: tuple[int, int]) -> None:
    """Move lecture `lec` to `to`; the lecture `other` there (if any) goes to `back`."""
    kernel.remove(s, d, lec)
    if other >= 0:
        kernel.remove(s, d, other)
    kernel.add(s, d, lec, *to)
    if other >= 0:
        kernel.add(s, d, other, *back)


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
        _move(s, d, lec, other, (p2, r2), (p1, r1))
        assert (d[kernel.HARD] > 0) == predicted
        seen[predicted] += 1
        _move(s, d, lec, other, (p1, r1), (p2, r2))  # undo
        assert d[kernel.HARD] == 0
    assert seen[True] > 100 and seen[False] > 100  # both outcomes exercised


def test_annealing_improves_and_counts_its_moves(data_dir: Path) -> None:
    annealer = _annealer(data_dir, "comp01")
    start = annealer.cost
    annealer.run(1.0, 5.0, 0.05)
    assert annealer.best_cost < start
    assert annealer.iterations > 0  # moves per second are measured by the benchmarks, not here


def _random_ctt(rng: random.Random) -> str:
    """A small random CB-CTT instance with unusual shapes (1-3 periods a day, 1-6 rooms)."""
    days, ppd = rng.randint(1, 4), rng.randint(1, 3)
    rooms = [rng.randint(5, 60) for _ in range(rng.randint(1, 6))]
    n = rng.randint(2, 6)
    courses = [
        f"C{i} T{rng.randint(0, n - 1)} {rng.randint(1, max(1, days * ppd // 3))} "
        f"{rng.randint(1, days)} {rng.randint(1, 80)}"
        for i in range(n)
    ]
    curricula = [
        f"Q{q} {len(members)} {' '.join(members)}"
        for q in range(rng.randint(1, 3))
        if (members := sorted({f"C{rng.randrange(n)}" for _ in range(rng.randint(1, 3))}))
    ]
    unavailable = sorted(
        {f"C{rng.randrange(n)} {rng.randrange(days)} {rng.randrange(ppd)}" for _ in range(2)}
    )
    return (
        f"Name: R\nCourses: {n}\nRooms: {len(rooms)}\nDays: {days}\nPeriods_per_day: {ppd}\n"
        f"Curricula: {len(curricula)}\nConstraints: {len(unavailable)}\n\nCOURSES:\n"
        + "\n".join(courses)
        + "\n\nROOMS:\n"
        + "\n".join(f"R{i} {c}" for i, c in enumerate(rooms))
        + "\n\nCURRICULA:\n"
        + "\n".join(curricula)
        + "\n\nUNAVAILABILITY_CONSTRAINTS:\n"
        + "\n".join(unavailable)
        + "\n\nEND.\n"
    )


def test_annealing_on_random_shapes_keeps_the_official_cost() -> None:
    """On random small instances (1-3 periods a day: the compactness edge cases), the
    annealer's incremental cost equals the official scorer's, for its current and its best
    timetable, and neither breaks a hard rule."""
    rng = random.Random(11)
    checked = 0
    for _ in range(40):
        instance = parse_ctt(_random_ctt(rng), "random.ctt")
        first = first_timetable(instance)
        if first is None:
            continue
        annealer = Annealer(instance, *first, seed=checked)
        annealer.run(0.05, 3.0, 0.5)
        for state, cost in (
            ((annealer.period, annealer.room), annealer.cost),
            (None, annealer.best_cost),
        ):
            score = evaluate(instance, to_lectures(instance, *annealer.timetable(state)))
            assert score.feasible
            assert score.total_cost == cost
        checked += 1
    assert checked >= 20
