"""The linear relaxation bound (`model.lp_bound`, `model.linear_program`) and the site
relaxation it is taken from."""

from __future__ import annotations

import math
import random
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
from ortools.sat.python import cp_model

from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.linear_program import LinearProgram, linear_program
from scheduler.model.lp_bound import LpBound, RelaxationBound, dual_bound
from scheduler.model.relaxation import site_relaxation

ROOT = Path(__file__).resolve().parents[1]


def _bound(m: cp_model.CpModel) -> int | None:
    return LpBound(linear_program(m), 10).solve()


def _bools(m: cp_model.CpModel, n: int) -> list[cp_model.IntVar]:
    return [m.new_bool_var(f"b{i}") for i in range(n)]


def test_lp_optimum_is_rounded_up_below_the_integer_optimum() -> None:
    # a triangle cover: LP 1.5 per unit (all at 1/2), integers need 2
    m = cp_model.CpModel()
    a, b, c = _bools(m, 3)
    for x, y in ((a, b), (b, c), (a, c)):
        m.add_bool_or([x, y])
    m.minimize(2 * (a + b + c))
    assert _bound(m) == 3


def _triangle() -> LinearProgram:
    """min 2(a + b + c) + 1 over [0, 1]^3 with a + b >= 1, b + c >= 1, a + c >= 1 (LP 4)."""
    lp = LinearProgram(cost=[2.0, 2.0, 2.0], lower=[0.0] * 3, upper=[1.0] * 3, offset=1.0)
    for i, j in ((0, 1), (1, 2), (0, 2)):
        lp.add_row({i: 1.0, j: 1.0}, 1.0, math.inf)
    return lp


def test_any_row_multipliers_prove_a_bound_and_the_optimal_ones_the_lp_optimum() -> None:
    lp = _triangle()
    assert dual_bound(lp, [0.0, 0.0, 0.0]) == 1.0  # the columns at their cheapest bound
    assert dual_bound(lp, [1.0, 1.0, 1.0]) == pytest.approx(4.0)  # the LP optimum
    # a negative multiplier on a row without an upper side cannot be used: it counts as 0
    assert dual_bound(lp, [-5.0, 0.0, 0.0]) == 1.0
    rng = random.Random(0)
    for _ in range(200):  # never above the optimum, whatever the multipliers
        assert dual_bound(lp, [rng.uniform(-3, 3) for _ in range(3)]) <= 4.0 + 1e-9
    free = LinearProgram(cost=[1.0], lower=[-math.inf], upper=[math.inf])
    free.add_row({0: 1.0}, 0.0, math.inf)
    assert dual_bound(free, [0.5]) == -math.inf  # a free column left with a reduced cost


@pytest.fixture(scope="module")
def sample() -> Problem:
    return Problem.build(load_instance(ROOT / "instances" / "mapemass-2026-27.yaml"))


@pytest.fixture(scope="module")
def sample_lp(sample: Problem) -> LinearProgram:
    return linear_program(site_relaxation(sample).model)


@pytest.fixture(scope="module")
def sample_bound(sample_lp: LinearProgram) -> int | None:
    """The sample's LP bound, solved once for the tests below (~17 s)."""
    return LpBound(sample_lp, 120).solve()


@pytest.mark.xdist_group("sample_lp")  # one worker solves the LP once
def test_the_bound_without_crossover_and_none_from_an_unfinished_interior_point(
    sample_lp: LinearProgram, sample_bound: int | None
) -> None:
    """The sample's relaxation: the duals prove 859 without a crossover; an interior point
    stopped by its iteration limit leaves no duals, hence no bound (rather than a wrong one)."""
    assert sample_bound == 859  # 851 before the weekend series cut
    early = LpBound(sample_lp, 60)
    early._highs.setOptionValue("ipm_iteration_limit", 15)
    assert early.solve() is None


def test_negated_literals_in_clauses() -> None:
    # at most one of (not a, not b): a + b >= 1
    m = cp_model.CpModel()
    a, b = _bools(m, 2)
    m.add_at_most_one([~a, ~b])
    m.minimize(a + b)
    assert _bound(m) == 1
    # bool_or(x, not y) with y fixed to 1: x >= 1
    m = cp_model.CpModel()
    x, y = _bools(m, 2)
    m.add(y == 1)
    m.add_bool_or([x, ~y])
    m.minimize(x)
    assert _bound(m) == 1


@pytest.mark.parametrize(("enforced", "expected"), [(1, 2), (0, 0)])
def test_an_enforced_constraint_counts_only_when_its_literal_holds(
    enforced: int, expected: int
) -> None:
    m = cp_model.CpModel()
    e, a, b = _bools(m, 3)
    m.add(a + b >= 2).only_enforce_if(e)
    m.add(e == enforced)
    m.minimize(a + b)
    assert _bound(m) == expected


def test_an_implication_from_a_negated_literal() -> None:
    m = cp_model.CpModel()
    e, a = _bools(m, 2)
    m.add_implication(~e, a)  # not e => a: a + e >= 1, cheapest with a
    m.minimize(a + 3 * e)
    assert _bound(m) == 1


def test_max_and_exactly_one() -> None:
    m = cp_model.CpModel()
    x = m.new_int_var(5, 10, "x")
    over = m.new_int_var(0, 10, "over")
    m.add_max_equality(over, [x - 3, 0])
    m.minimize(over)
    assert _bound(m) == 2
    m = cp_model.CpModel()
    a, b, c = _bools(m, 3)
    m.add_exactly_one([a, b, c])
    m.minimize(3 * a + 2 * b + 4 * c)
    assert _bound(m) == 2


def _optimum_of(built: BuiltModel, seconds: float = 20) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_relaxation_bound_is_below_the_proven_optimum_of_tiny() -> None:
    problem = Problem.build(load_instance(ROOT / "instances" / "tiny.yaml"))
    optimum = _optimum_of(build_model(problem))
    relaxed = site_relaxation(problem)
    lp = LpBound(linear_program(relaxed.model), 30).solve()
    assert lp is not None and 0 < lp <= optimum
    # the relaxation's own integer optimum is a lower bound too (it leaves rooms out)
    assert _optimum_of(relaxed) <= optimum


def test_the_certificate_s_bound_counts_a_weekend_day_per_session_of_a_series() -> None:
    """The 27-session certificate (an audit's): its LP bound was 32 for an optimum of 60
    (proved), the LP letting two sessions of one series share a Saturday; 55 with
    `cuts.weekend_series_cut`."""
    path = ROOT / "instances" / "certificat-mediation-2027-28.yaml"
    relaxed = site_relaxation(Problem.build(load_instance(path)))
    assert LpBound(linear_program(relaxed.model), 60).solve() == 55


@pytest.mark.slow
@pytest.mark.xdist_group("sample_lp")  # one worker solves the LP once
def test_sample_bound_is_strong_and_below_a_known_timetable(sample_bound: int | None) -> None:
    # 878: the best timetable found for the sample since the gap rules chain a UE's series
    # (300 s run, seed 1, benchmarks/README.md); 670: what the data alone forces, which the
    # relaxation's LP must beat (859 without a time limit).
    assert sample_bound is not None and 700 <= sample_bound <= 878


@pytest.mark.xdist_group("sample_lp")  # one worker solves the LP once
def test_the_relaxation_bound_runs_apart_and_stops_on_request(
    sample: Problem, sample_bound: int | None
) -> None:
    problem = sample
    found: list[float] = []
    task = RelaxationBound(problem, 120, found.append)
    worker = threading.Thread(target=task.run)
    worker.start()
    time.sleep(1.5)  # the child needs about 20 s for this LP
    task.stop()
    worker.join(timeout=5.0)
    assert not worker.is_alive() and task.bound is None and found == []
    # run to the end, it reports the same bound as the LP solved here
    whole = RelaxationBound(problem, 120, found.append)
    whole.run()
    assert whole.bound is not None and found == [whole.bound] and whole.error is None
    assert whole.bound == sample_bound


def test_a_relaxation_that_cannot_be_sent_only_loses_the_bound() -> None:
    found: list[float] = []
    task = RelaxationBound(lambda: None, 5, found.append)  # type: ignore[arg-type]
    task.run()  # a lambda cannot be pickled for the child
    assert task.bound is None and found == [] and task.error is not None


class _AnsweringChild:
    """Stands for the LP's child process: answers a bound of 7 at once."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.returncode, self.pid = 0, None

    def communicate(self, payload: bytes, timeout: float) -> tuple[bytes, bytes]:
        return b'{"bound": 7}\n', b""

    def poll(self) -> int:
        return 0


def test_the_reader_told_last_hears_of_the_bound_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Told before the answer: the new reader hears it (the first one never); told after:
    at once."""
    monkeypatch.setattr("scheduler.model.lp_bound.subprocess.Popen", _AnsweringChild)
    tiny = Problem.build(load_instance(ROOT / "instances" / "tiny.yaml"))
    first, second, late = list[float](), list[float](), list[float]()
    task = RelaxationBound(tiny, 5, first.append)
    task.tell(second.append)
    task.start()
    task.start()  # once only
    task.join()
    assert task.bound == 7 and first == [] and second == [7]
    task.tell(late.append)
    assert late == [7] and second == [7]


def test_a_task_stopped_before_it_starts_never_starts_a_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    children: list[object] = []
    monkeypatch.setattr(
        "scheduler.model.lp_bound.subprocess.Popen", lambda *a, **k: children.append(a)
    )
    task = RelaxationBound(Problem.build(load_instance(ROOT / "instances" / "tiny.yaml")), 5, print)
    task.stop()
    task.start()
    task.join()
    assert children == [] and task.bound is None


def test_a_two_worker_solve_starts_the_lp_once_with_its_first_greedy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`solve` starts the relaxation's LP when its first greedy placed every session (before
    the model's build: `tests/test_lp_start.py`), and phase 2 reads that same task (no second
    child), stopped at the end."""
    import scheduler.model.solve as solve_module
    from scheduler.model import optimise
    from scheduler.model.solve import SolveOptions, solve

    # the tiny instance goes to the steps at once, as larger ones do (a small one's search of
    # the whole model, first, would prove it optimal before phase 2 reads the LP)
    monkeypatch.setattr(optimise, "SMALL_SEARCH_SHARE", 0.0)
    events: list[str] = []
    tasks: list[RelaxationBound] = []
    real_start, real_first = RelaxationBound.start, solve_module.early_greedy

    def start(self: RelaxationBound) -> None:
        events.append("lp")
        tasks.append(self)
        real_start(self)

    def first(*args: object, **kwargs: object) -> object:
        events.append("phase 1")
        return real_first(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(RelaxationBound, "start", start)
    monkeypatch.setattr(solve_module, "early_greedy", first)  # phase 1's first step
    problem = Problem.build(load_instance(ROOT / "instances" / "tiny.yaml"))
    result = solve(problem, SolveOptions(time_limit=5, workers=2))
    assert result.status.has_solution
    # started in phase 1, then adopted by phase 2 (`start` does nothing the second time)
    assert events[:2] == ["phase 1", "lp"] and set(events[2:]) == {"lp"}
    assert len({id(t) for t in tasks}) == 1
    task = tasks[0]
    assert task._stopped and task._thread is not None and not task._thread.is_alive()
    assert task._process is None or task._process.poll() is not None  # no child left


def test_too_little_time_after_the_build_leaves_the_lp_unsolved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With less than `SOLVE_PER_BUILD` builds' time left after its build, the child gives up
    at once, with the reason (its core goes back to the search); a patient caller's child
    solves it anyway. The build's time is made to look like 2 s of a 6 s budget."""
    import scheduler.model.lp_bound as lp_module

    class Clock:
        """Stands for the module's `time`: the build starts at 100 s and ends `build` later."""

        def __init__(self, build: float) -> None:
            self.ticks = iter([100.0, 100.0 + build])

        def monotonic(self) -> float:
            return next(self.ticks)

    tiny = Problem.build(load_instance(ROOT / "instances" / "tiny.yaml"))
    assert lp_module.too_little_left(2.0, 4.0) and not lp_module.too_little_left(2.0, 5.0)
    monkeypatch.setattr(lp_module, "time", Clock(2.0))
    given_up = lp_module._child_bound(tiny, 6.0)
    assert given_up.get("bound") is None
    assert "4.0 s were left after its 2.0 s build, too little" in str(given_up["error"])
    monkeypatch.setattr(lp_module, "time", Clock(2.0))
    patient = lp_module._child_bound(tiny, 6.0, patient=True)
    assert isinstance(patient.get("bound"), int) and "error" not in patient
    monkeypatch.setattr(lp_module, "time", Clock(1.0))  # a 1 s build: 5 s left is enough
    assert isinstance(lp_module._child_bound(tiny, 6.0).get("bound"), int)


class _RecordingChild(_AnsweringChild):
    """The LP's child: keeps what it was sent (`sent`), answers 7."""

    sent: ClassVar[list[bytes]] = []  # shared by every child: a test's own (`monkeypatch`)

    def communicate(self, payload: bytes, timeout: float) -> tuple[bytes, bytes]:
        self.sent.append(payload)
        return super().communicate(payload, timeout)


def _sent(task: RelaxationBound) -> tuple[float, bool, object]:
    """What `task`'s child (a `_RecordingChild`) was sent once started, the last sent:
    (seconds, patient), then the problem."""
    import io
    import pickle

    task.start()
    task.join()
    stream = io.BytesIO(_RecordingChild.sent[-1])
    seconds, patient = pickle.load(stream)
    return seconds, patient, pickle.load(stream)


def test_a_deterministic_solve_waits_for_a_patient_lp(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deterministic solve's bound must not hang on how fast this machine builds: the
    child it starts is told to be patient; a search's is not."""
    from scheduler.model.optimise import _LpBeside

    monkeypatch.setattr("scheduler.model.lp_bound.subprocess.Popen", _RecordingChild)
    monkeypatch.setattr(_RecordingChild, "sent", [])
    tiny = Problem.build(load_instance(ROOT / "instances" / "tiny.yaml"))
    with _LpBeside(tiny, 5) as beside:  # started there: `start` again does nothing
        seconds, patient, problem = _sent(beside.task)
    assert patient is True and 4 < seconds <= 5 and isinstance(problem, Problem)
    seconds, patient, _ = _sent(RelaxationBound(tiny, 5, print))
    assert patient is False and 4 < seconds <= 5 and len(_RecordingChild.sent) == 2


def test_a_late_start_sends_what_is_left_of_the_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """`solve` starts the LP's child after the first timetable when the greedy left sessions
    out: the child's seconds (after which it gives up on the LP when too few are left) count
    from the task's making, and its problem is the one pickled by `prepare`."""
    monkeypatch.setattr("scheduler.model.lp_bound.subprocess.Popen", _RecordingChild)
    monkeypatch.setattr(_RecordingChild, "sent", [])
    tiny = Problem.build(load_instance(ROOT / "instances" / "tiny.yaml"))
    task = RelaxationBound(tiny, 30, print)
    task.prepare()
    task._made -= 12.0  # made 12 s ago
    seconds, _, problem = _sent(task)
    assert 17 < seconds <= 18 and isinstance(problem, Problem)
    assert task.bound == 7
