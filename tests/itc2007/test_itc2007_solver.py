"""The CB-CTT solver: stage A counting, stage B rooms, model-versus-scorer agreement, solves."""

from __future__ import annotations

import random
import time
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest
from tests.itc2007.conftest import first_timetable

from scheduler.itc2007 import CttInstance, Lecture, evaluate, parse_ctt, read_ctt
from scheduler.itc2007._clock import Clock
from scheduler.itc2007._lns import Lns, complete
from scheduler.itc2007._local_search import Annealer
from scheduler.itc2007._room_model import greedy_rooms, home_rooms, room_cost, solve_rooms
from scheduler.itc2007._time_model import build_time_model, capacity_levels
from scheduler.itc2007.solver import solve_ctt, to_lectures

WALL = Clock(3600.0, deterministic=False, stopped=lambda: False)


def _periods_rooms(
    instance: CttInstance, lectures: list[Lecture]
) -> tuple[list[list[int]], list[dict[int, int]]]:
    periods: list[list[int]] = [[] for _ in instance.courses]
    rooms: list[dict[int, int]] = [{} for _ in instance.courses]
    for lec in lectures:
        c = instance.course_index[lec.course]
        p = instance.period_index(lec.day, lec.period)
        periods[c].append(p)
        rooms[c][p] = instance.room_index[lec.room]
    return [sorted(ps) for ps in periods], rooms


def _instance(students: list[int], capacities: list[int]) -> CttInstance:
    courses = "\n".join(f"C{i} T{i} 1 1 {s}" for i, s in enumerate(students))
    rooms = "\n".join(f"R{i} {cap}" for i, cap in enumerate(capacities))
    text = (
        f"Name: T\nCourses: {len(students)}\nRooms: {len(capacities)}\nDays: 1\n"
        f"Periods_per_day: 1\nCurricula: 0\nConstraints: 0\n\nCOURSES:\n{courses}\n\n"
        f"ROOMS:\n{rooms}\n\nCURRICULA:\n\nUNAVAILABILITY_CONSTRAINTS:\n\nEND.\n"
    )
    return parse_ctt(text, "generated.ctt")


def test_capacity_counting_equals_best_matching() -> None:
    """Breakpoint counting gives the minimum RoomCapacity over all room matchings."""
    rng = random.Random(7)
    for _ in range(200):
        capacities = [rng.randint(5, 60) for _ in range(rng.randint(1, 4))]
        students = [rng.randint(1, 80) for _ in range(rng.randint(1, len(capacities)))]
        inst = _instance(students, capacities)
        counted = sum(
            weight * max(0, sum(s >= point for s in students) - rooms)
            for point, weight, rooms in capacity_levels(inst)
        )
        brute = min(
            sum(max(0, s - capacities[r]) for s, r in zip(students, chosen, strict=False))
            for chosen in permutations(range(len(capacities)), len(students))
        )
        assert counted == brute


def test_rooms_for_the_optimal_toy_timetable_cost_nothing(
    toy: CttInstance, optimal: list[Lecture]
) -> None:
    periods, _ = _periods_rooms(toy, optimal)
    assert room_cost(toy, greedy_rooms(toy, periods)) >= 0
    assignment = solve_rooms(toy, periods, time_limit=5, workers=1, seed=0)
    assert assignment.cost == 0
    assert assignment.optimal


@pytest.mark.parametrize("with_rooms", [False, True])
def test_model_objective_equals_the_official_score(
    toy: CttInstance, optimal: list[Lecture], with_rooms: bool
) -> None:
    """Move two lectures so every soft rule costs something: the model and the scorer agree."""
    worse = [*optimal]
    worse[0] = Lecture("SceCosC", "A", 1, 3)  # SceCosC twice on day 1, isolated at (1, 3)
    worse[6] = Lecture("TecCos", "A", 4, 3)  # 40 students in A (32 seats), a second room
    score = evaluate(toy, worse)
    assert score.feasible
    assert score.min_working_days and score.curriculum_compactness and score.room_capacity
    tm = build_time_model(toy, with_rooms=with_rooms)
    periods, rooms = _periods_rooms(toy, worse)
    values = complete(tm, periods, rooms, seconds=5, seed=0, clock=WALL)
    objective = sum(w * values[var.index] for terms in tm.terms.values() for w, var in terms)
    # Stage A sees the minimum RoomCapacity for the periods, 0 here (room B is free at (4, 3)),
    # and no RoomStability.
    stage_a = score.min_working_days + score.curriculum_compactness
    expected = score.total_cost if with_rooms else stage_a
    assert objective == expected


def test_toy_is_solved_to_its_optimum_zero(toy: CttInstance) -> None:
    """conftest.OPTIMAL is a cost-0 timetable, so 0 is the optimum."""
    result = solve_ctt(toy, time_limit=10, workers=1, seed=0)
    assert result.status == "OPTIMAL"
    assert result.score is not None and result.score.feasible
    assert evaluate(toy, result.lectures).total_cost == 0
    assert result.first_feasible_seconds is not None


def test_too_few_available_periods_is_infeasible() -> None:
    text = (
        "Name: T\nCourses: 1\nRooms: 1\nDays: 1\nPeriods_per_day: 2\nCurricula: 0\n"
        "Constraints: 0\n\nCOURSES:\nC1 T1 3 1 10\n\nROOMS:\nR1 10\n\nCURRICULA:\n\n"
        "UNAVAILABILITY_CONSTRAINTS:\n\nEND.\n"
    )
    result = solve_ctt(parse_ctt(text, "t.ctt"), time_limit=5, workers=1, seed=0)
    assert result.status == "INFEASIBLE"
    assert result.score is None and result.lectures == ()


def test_comp01_short_run_is_feasible(data_dir: Path) -> None:
    instance = read_ctt(data_dir / "comp01.ctt")
    result = solve_ctt(instance, time_limit=8, workers=1, seed=0)
    assert result.status == "FEASIBLE"
    score = evaluate(instance, result.lectures)
    assert score.violations == 0
    assert score.total_cost == result.cost
    assert score.total_cost >= 5  # proven optimum
    assert [cost for _, cost in result.history] == sorted(
        (cost for _, cost in result.history), reverse=True
    )


def test_home_rooms_give_every_toy_course_one_fitting_room(
    toy: CttInstance, optimal: list[Lecture]
) -> None:
    periods, _ = _periods_rooms(toy, optimal)
    rooms = home_rooms(toy, periods)
    assert all(len(set(by_period.values())) == 1 for by_period in rooms)
    assert room_cost(toy, rooms) == 0


def test_lns_on_the_full_model_repairs_a_costly_toy_timetable(
    toy: CttInstance, optimal: list[Lecture]
) -> None:
    """From the two-move timetable of cost 20 the 3-index LNS finds the optimum 0."""
    worse = [*optimal]
    worse[0] = Lecture("SceCosC", "A", 1, 3)
    worse[6] = Lecture("TecCos", "A", 4, 3)
    full = build_time_model(toy, with_rooms=True)
    periods, rooms = _periods_rooms(toy, worse)
    values = complete(full, periods, rooms, seconds=5, seed=0, clock=WALL)
    seen: list[int] = []

    def on_timetable(ps: list[list[int]], rs: list[dict[int, int]], placed: bool) -> int:
        assert placed
        cost = evaluate(toy, to_lectures(toy, ps, rs)).total_cost
        seen.append(cost)
        return cost

    lns = Lns(full, values, rooms, 1, 0, on_timetable, print, WALL)
    assert lns.cost == 20  # RoomCapacity 8 + MinWorkingDays 5 + compactness 6 + stability 1
    deadline = time.monotonic() + 20
    lns.run(lambda: deadline - time.monotonic())
    assert lns.best_cost == 0
    assert seen[-1] == 0
    assert seen == sorted(seen, reverse=True)


def test_annealer_cost_equals_the_official_score(data_dir: Path) -> None:
    """The annealer's incremental cost is the scorer's total, before and after moves."""
    instance = read_ctt(data_dir / "comp01.ctt")
    first = first_timetable(instance)
    assert first is not None
    periods, rooms = first
    annealer = Annealer(instance, periods, rooms, seed=3)
    assert annealer.cost == evaluate(instance, to_lectures(instance, periods, rooms)).total_cost
    annealer.run(0.5, 2.0, 0.1)
    for state in (None, (annealer.period, annealer.room)):
        periods, rooms = annealer.timetable(state)
        score = evaluate(instance, to_lectures(instance, periods, rooms))
        assert score.feasible
        expected = annealer.best_cost if state is None else annealer.cost
        assert score.total_cost == expected
    annealer.restart(periods, rooms)
    assert annealer.cost == annealer.best_cost == score.total_cost


def test_ctrl_c_returns_the_best_timetable_so_far(data_dir: Path) -> None:
    """Ctrl-C (SIGINT) in the middle of a solve ends it promptly with its best timetable,
    as `scheduler solve` does; it used to raise KeyboardInterrupt and lose it."""
    import os
    import signal
    import threading

    from scheduler.itc2007.solver import solve_ctt

    instance = read_ctt(data_dir / "comp02.ctt")
    timer = threading.Timer(4.0, os.kill, (os.getpid(), signal.SIGINT))
    began = time.monotonic()
    timer.start()
    try:
        result = solve_ctt(instance, time_limit=120.0)
    finally:
        timer.cancel()  # a late SIGINT would end the test session
    assert time.monotonic() - began < 20
    assert result.interrupted and result.score is not None and result.score.feasible


def test_annealer_reports_progress_and_stops_when_asked(data_dir: Path) -> None:
    """`-v` showed nothing until an annealing run ended: better best costs are now reported
    as they come (at most once a second), and `stop()` ends the run between chunks."""
    instance = read_ctt(data_dir / "comp02.ctt")
    first = first_timetable(instance)
    assert first is not None
    annealer = Annealer(instance, *first, seed=1)
    reports: list[int] = []
    annealer.run(3.5, 2.0, 0.1, progress=reports.append)
    assert reports and reports == sorted(reports, reverse=True)
    assert reports[-1] >= annealer.best_cost
    began = time.monotonic()
    annealer.run(60.0, 2.0, 0.1, stop=lambda: time.monotonic() - began > 0.5)
    assert time.monotonic() - began < 5


def test_a_solve_whose_kernel_is_not_compiled_yet_keeps_its_limit(
    toy: CttInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh install's first solve compiled the annealing kernel on top of its limit (29 s
    for 10 s, an audit): it is compiled in a child now, and the solve improves by LNS until
    it is ready, within the limit."""
    from scheduler.itc2007 import _local_search, _warm_up, solver

    waited: list[float] = []

    def never(self: object, wait: float = 0.0, stop: object = None) -> bool:
        waited.append(wait)
        time.sleep(wait)
        return False

    def not_compiled(*args: object) -> None:
        raise AssertionError("annealed before its kernel was compiled")

    monkeypatch.setattr(_warm_up.KernelWarmUp, "ready", never)
    monkeypatch.setattr(_local_search, "Annealer", not_compiled)
    result = solver.solve_ctt(toy, time_limit=4, workers=1, seed=0)
    assert result.score is not None and result.score.feasible
    assert result.cost == 0  # the LNS alone reaches the toy's optimum
    assert waited and waited[0] <= 0.2 * 4  # a fifth of the time left at most


def test_a_deterministic_solve_waits_for_the_kernel_and_never_anneals_late(
    toy: CttInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterministic: the kernel is waited for as long as it takes (or Ctrl-C), and one not
    ready then is never used later in the run, when the child happens to end (a review:
    the path would depend on wall time again)."""
    from scheduler.itc2007 import _warm_up, solver

    asked: list[tuple[float, bool]] = []

    def late(self: object, wait: float = 0.0, stop: Any = None) -> bool:
        asked.append((wait, stop is not None and not stop()))
        return len(asked) > 1  # ready at the second question only

    monkeypatch.setattr(_warm_up.KernelWarmUp, "ready", late)
    said: list[str] = []
    result = solver.solve_ctt(toy, time_limit=2, seed=7, log=said.append, deterministic=True)
    assert result.score is not None and result.score.feasible
    assert asked[0] == (solver.DETERMINISTIC_KERNEL_WAIT, True)  # stoppable, not yet stopped
    assert len(asked) == 1 or all(wait == 0.0 for wait, _ in asked[1:])
    assert not any("annealing: its kernel is compiled" in line for line in said)


def test_the_warm_up_child_compiles_the_kernel_and_says_when_it_cannot() -> None:
    import subprocess
    import sys

    from scheduler.itc2007._warm_up import KernelWarmUp

    warm = KernelWarmUp()
    assert warm.ready(wait=300) and warm.failure() is None
    broken = KernelWarmUp.__new__(KernelWarmUp)
    broken._process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(4)"])
    assert not broken.ready(wait=60)
    assert broken.failure() == "the compiling process ended with code 4"


def test_a_week_of_too_many_periods_is_refused_before_solving() -> None:
    """100,000 periods a day ran out of memory (2.6 GB at 120 s) instead of ending at 2 s."""
    from tests.itc2007.conftest import TOY_TEXT

    from scheduler.errors import InputError

    huge = parse_ctt(TOY_TEXT.replace("Periods_per_day: 4", "Periods_per_day: 288"))
    with pytest.raises(InputError, match="1440 periods a week; the solver takes at most 1000"):
        solve_ctt(huge, time_limit=2)


def test_a_solve_whose_kernel_cannot_be_compiled_says_so(
    toy: CttInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only install's warm-up child failed, and its runs went without annealing, 5x
    costlier, saying so under --verbose only (an audit): the result now carries a warning."""
    from scheduler.itc2007 import _warm_up, solver

    monkeypatch.setattr(_warm_up.KernelWarmUp, "ready", lambda self, wait=0.0, stop=None: False)
    monkeypatch.setattr(_warm_up.KernelWarmUp, "failure", lambda self: "it ended with code 1")
    result = solver.solve_ctt(toy, time_limit=2, workers=1, seed=0)
    assert result.score is not None and result.score.feasible
    assert result.warnings and "no annealing (it ended with code 1)" in result.warnings[0]


def _kernel_without_a_cache_folder(tmp: Path) -> list[str]:
    """The kernel imported in a process where numba may cache only in NUMBA_CACHE_DIR, unset,
    with `tmp` as the temporary folder: [its cache folder (repr if empty), CACHED, cache]."""
    import os
    import subprocess
    import sys

    code = (
        "import numba.core.caching as c\nfrom numba import config\n"
        "c.CacheImpl._locator_classes = [c.UserProvidedCacheLocator]  # none but NUMBA_CACHE_DIR\n"
        "from scheduler.itc2007 import _anneal_kernel as k\n"
        "print(config.CACHE_DIR or repr(config.CACHE_DIR), k.CACHED, type(k.anneal._cache).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["TMPDIR"] = str(tmp)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-1500:]
    return done.stdout.split()


def test_the_kernel_is_cached_in_the_temporary_folder_where_nothing_else_may_be_written(
    tmp_path: Path,
) -> None:
    """With no folder numba may cache in (a read-only install and home: an audit), importing
    the kernel raised "cannot cache function ...: no locator available", so the warm-up child
    died. The cache now goes to the system's temporary folder, the same for every process."""
    import os

    folder, cached, cache = _kernel_without_a_cache_folder(tmp_path)
    assert folder.startswith(str(tmp_path)) and cached == "True" and cache == "FunctionCache"
    assert os.stat(folder).st_mode & 0o777 == 0o700  # this user's alone


def test_a_cache_folder_others_may_write_is_not_used(tmp_path: Path) -> None:
    """numba unpickles its cache index: a fallback folder another user could fill would run
    their code in the solve (a review). Such a folder is refused; the kernel is compiled in
    memory and the warm-up child says it cannot be cached."""
    import os
    import subprocess
    import sys

    from scheduler.itc2007._warm_up import NOT_CACHED, KernelWarmUp

    planted = tmp_path / f"scheduler-numba-cache-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)
    assert _kernel_without_a_cache_folder(tmp_path) == ["''", "False", "NullCache"]
    broken = KernelWarmUp.__new__(KernelWarmUp)
    broken._process = subprocess.Popen([sys.executable, "-c", f"raise SystemExit({NOT_CACHED})"])
    assert not broken.ready(wait=60)
    assert "no folder to cache the compiled kernel in" in (broken.failure() or "")


@pytest.mark.parametrize("name", ["comp01", "comp05"])
def test_a_deterministic_solve_gives_one_timetable(data_dir: Path, name: str) -> None:
    """An audit's toy at seed 7 gave another timetable one run in four: the search's path
    depended on when the annealing kernel's child ended, and the limit was the wall clock's.
    On the deterministic clock, two runs give the same lectures (the second beside a busy
    core would too: the limit counts work, not seconds)."""
    instance = read_ctt(data_dir / f"{name}.ctt")
    first, second = (
        solve_ctt(instance, time_limit=3, seed=7, deterministic=True) for _ in range(2)
    )
    assert first.score is not None and first.score.feasible
    assert first.lectures == second.lectures
    other = solve_ctt(instance, time_limit=3, seed=8, deterministic=True)
    assert other.lectures != first.lectures  # the seed still matters


def test_a_deterministic_toy_solve_is_repeated_exactly(toy: CttInstance) -> None:
    """Without the shared data: toy, counted in work units, twice the same."""
    runs = [solve_ctt(toy, time_limit=2, seed=7, deterministic=True) for _ in range(2)]
    assert runs[0].score is not None and runs[0].score.total_cost == 0
    assert runs[0].lectures == runs[1].lectures


def test_an_instance_without_lectures_gets_the_empty_timetable() -> None:
    """An audit: `Courses: 0` got "no feasible timetable (UNKNOWN)": the empty solution
    vector of a model without variables was read as no solution."""
    text = (
        "Name: E\nCourses: 0\nRooms: 0\nDays: 1\nPeriods_per_day: 1\nCurricula: 0\n"
        "Constraints: 0\n\nCOURSES:\n\nROOMS:\n\nCURRICULA:\n\nUNAVAILABILITY_CONSTRAINTS:\n\nEND.\n"
    )
    result = solve_ctt(parse_ctt(text, "empty.ctt"), time_limit=3)
    assert result.lectures == () and result.score is not None
    assert result.score.total_cost == 0
