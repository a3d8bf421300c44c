"""Random CB-CTT instances the engine has never seen, in the competition's `.ctt` format.

Issue 8 asks that the ITC-2007 engine be measured beyond the seven public files its annealing
schedule was chosen on. These instances are drawn afresh from a seed, with the public files'
range of shapes (5-6 days of 4-6 periods, 6-20 rooms, 25-130 courses, curricula that share
courses, teachers with several courses, unavailabilities) and a room occupancy of 50-80 %.
They are built to pass the obvious counting checks (a curriculum's or a teacher's lectures
take at most 70 % of the periods, a course's unavailable periods leave it three times its
lectures), so that a run without a feasible timetable says something about the engine, not
about a hopeless file; feasibility itself is not proved.

    python benchmarks/itc2007/unseen.py --count 6 --seed 1000 --out-dir /tmp/unseen \
        --bounds benchmarks/itc2007/bounds-unseen.json
    python benchmarks/itc2007/run.py --data-dir /tmp/unseen --instances $(cd /tmp/unseen && ls *.ctt | sed 's/.ctt//') \
        --time-limit 60 --seeds 1 --jobs 2 --out benchmarks/itc2007/results-unseen.json
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Shape:
    days: int
    periods_per_day: int
    rooms: int
    occupancy: float  # share of the room-periods the lectures take

    @property
    def periods(self) -> int:
        return self.days * self.periods_per_day


def _shape(rng: random.Random) -> Shape:
    return Shape(
        days=rng.choice((5, 5, 6)),
        periods_per_day=rng.choice((4, 5, 5, 6)),
        rooms=rng.randint(6, 20),
        occupancy=rng.uniform(0.5, 0.8),
    )


def _courses(rng: random.Random, shape: Shape) -> list[tuple[str, int, int, int]]:
    """(id, lectures, min working days, students) until the lectures fill the occupancy."""
    target = int(shape.occupancy * shape.rooms * shape.periods)
    out: list[tuple[str, int, int, int]] = []
    total = 0
    while total < target:
        lectures = min(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7)), target - total)
        days = min(lectures, shape.days, rng.randint(1, 5))
        out.append((f"c{len(out):04d}", lectures, days, rng.randint(8, 220)))
        total += lectures
    return out


def _curricula(
    rng: random.Random, courses: list[tuple[str, int, int, int]], limit: int
) -> list[list[str]]:
    """Courses grouped as years of study (each course in one), then curricula drawn across
    them (options sharing a year's courses), each within `limit` lectures."""
    lectures = {c[0]: c[1] for c in courses}
    order = [c[0] for c in courses]
    rng.shuffle(order)
    out: list[list[str]] = []
    current: list[str] = []
    for cid in order:
        size = rng.randint(3, 7)
        if current and (
            len(current) >= size or sum(lectures[c] for c in current) + lectures[cid] > limit
        ):
            out.append(current)
            current = []
        current.append(cid)
    if current:
        out.append(current)
    for _ in range(len(out) // 2):  # options: part of one year's courses with another's
        a, b = rng.sample(out, 2) if len(out) > 1 else (out[0], out[0])
        mixed = list(dict.fromkeys(rng.sample(a, (len(a) + 1) // 2) + rng.sample(b, len(b) // 2)))
        if sum(lectures[c] for c in mixed) <= limit:
            out.append(mixed)
    return out


def _teachers(
    rng: random.Random, courses: list[tuple[str, int, int, int]], limit: int
) -> dict[str, str]:
    """A teacher per course, most teachers with two or three courses, each within `limit`."""
    load: dict[str, int] = {}
    out: dict[str, str] = {}
    for cid, lectures, _, _ in courses:
        candidates = [t for t, n in load.items() if n + lectures <= limit]
        if candidates and rng.random() < 0.55:
            teacher = rng.choice(candidates)
        else:
            teacher = f"t{len(load):03d}"
        load[teacher] = load.get(teacher, 0) + lectures
        out[cid] = teacher
    return out


def _unavailable(
    rng: random.Random, courses: list[tuple[str, int, int, int]], shape: Shape
) -> list[tuple[str, int, int]]:
    """About five unavailable periods a course for a third of them, leaving each at least
    three times its lectures."""
    out = []
    for cid, lectures, _, _ in courses:
        if rng.random() > 0.35:
            continue
        room = shape.periods - 3 * lectures
        count = max(0, min(rng.randint(2, 8), room))
        for p in rng.sample(range(shape.periods), count):
            out.append((cid, p // shape.periods_per_day, p % shape.periods_per_day))
    return out


def instance_text(seed: int) -> str:
    """The `.ctt` text of the instance of `seed`."""
    rng = random.Random(seed)
    shape = _shape(rng)
    limit = int(0.7 * shape.periods)  # a curriculum's or a teacher's lectures at most
    courses = _courses(rng, shape)
    curricula = _curricula(rng, courses, limit)
    teachers = _teachers(rng, courses, limit)
    unavailable = _unavailable(rng, courses, shape)
    capacities = sorted(rng.randint(30, 250) for _ in range(shape.rooms))
    lines = [
        f"Name: unseen-{seed}",
        f"Courses: {len(courses)}",
        f"Rooms: {shape.rooms}",
        f"Days: {shape.days}",
        f"Periods_per_day: {shape.periods_per_day}",
        f"Curricula: {len(curricula)}",
        f"Constraints: {len(unavailable)}",
        "",
        "COURSES:",
        *(f"{c} {teachers[c]} {n} {d} {s}" for c, n, d, s in courses),
        "",
        "ROOMS:",
        *(f"r{i:02d} {cap}" for i, cap in enumerate(capacities)),
        "",
        "CURRICULA:",
        *(f"q{i:03d} {len(q)} {' '.join(q)}" for i, q in enumerate(curricula)),
        "",
        "UNAVAILABILITY_CONSTRAINTS:",
        *(f"{c} {d} {p}" for c, d, p in unavailable),
        "",
        "END.",
        "",
    ]
    return "\n".join(lines)


def lower_bounds(files: list[Path], seconds: float) -> dict[str, dict[str, object]]:
    """Each file's lower bound of the UD2 cost: CP-SAT (2 workers) on the engine's periods-only
    model, whose objective counts RoomCapacity exactly per period (rooms by capacity level),
    MinWorkingDays and CurriculumCompactness, and no RoomStability (at least 0): its bound
    holds for every timetable."""
    from ortools.sat.python import cp_model

    from scheduler.itc2007._time_model import build_time_model
    from scheduler.itc2007.ctt import read_ctt

    out: dict[str, dict[str, object]] = {}
    for path in files:
        model = build_time_model(read_ctt(path)).model
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = 2
        status = solver.solve(model)
        out[path.stem] = {
            "status": solver.status_name(status),
            "lower_bound": int(solver.best_objective_bound),
            "seconds": round(solver.wall_time, 2),
        }
        print(path.stem, out[path.stem], flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1000, help="the first instance's seed")
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument(
        "--bounds",
        type=Path,
        default=None,
        help="also write each instance's lower bound (`lower_bounds`, 60 s each) to this JSON",
    )
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for seed in range(args.seed, args.seed + args.count):
        path = args.out_dir / f"unseen-{seed}.ctt"
        path.write_text(instance_text(seed), encoding="utf-8")
        files.append(path)
        print(path)
    if args.bounds is not None:
        bounds = lower_bounds(files, 60.0)
        args.bounds.write_text(json.dumps(bounds, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
