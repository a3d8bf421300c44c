"""Local repairs of a greedy timetable that left sessions out (`scheduler.model.local_repair`)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.construct import greedy_timetable
from scheduler.data.domains import candidates
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.model import greedy_finish
from scheduler.model import local_repair as local_repair_module
from scheduler.model import solve as solve_module
from scheduler.model.build import build_model
from scheduler.model.cpsat import SolveOptions
from scheduler.model.first_timetable import early_greedy
from scheduler.model.greedy_finish import finished_greedy
from scheduler.model.local_repair import (
    MIN_RING_CAP,
    RING_SEARCH_PER_BUILD,
    RING_SHARE_OF_BUDGET,
    greedy_placements,
    local_repair,
    ring_model,
)
from scheduler.model.repair import rings
from scheduler.solution import Status, Timetable
from scheduler.squeaky_wheel import squeaky_greedy


@pytest.fixture(scope="module")
def stuck() -> Problem:
    """A generated instance (63 sessions) whose first greedy leaves two sessions out."""
    return Problem.build(generate_instance(1, 2, tightness=0.8, weeks=20, sites=1))


@pytest.fixture(scope="module")
def first(stuck: Problem) -> Timetable:
    timetable = greedy_timetable(stuck, partial=True)
    assert timetable is not None and len(timetable) < len(stuck.sessions)
    return timetable


def _moved(before: Timetable, after: Timetable) -> set[str]:
    """Sessions `after` places otherwise than `before` (or that `before` leaves out)."""
    where = {a.session: a for a in before}
    return {a.session for a in after if where.get(a.session) != a}


def test_the_repair_places_every_session_moving_only_its_ring(
    stuck: Problem, first: Timetable
) -> None:
    lines: list[str] = []
    repaired, _ = local_repair(
        stuck, first, SolveOptions(time_limit=10), 10, lambda: False, lines.append
    )
    assert repaired is not None and len(repaired) == len(stuck.sessions)
    assert check(stuck, repaired).violations == ()
    assert lines and lines[-1].endswith(("feasible", "optimal"))
    size = int(lines[-1].split(", ")[1].split()[0])  # "local repair, N sessions free: ..."
    ring = next(r for r in rings(stuck, greedy_placements(stuck, first)) if len(r) == size)
    assert _moved(first, repaired) <= ring  # every session outside the ring kept its place
    assert {s.id for s in stuck.sessions} - {a.session for a in first} <= ring


def test_a_ring_s_model_keeps_one_placement_for_each_session_outside_it(
    stuck: Problem, first: Timetable
) -> None:
    placed = greedy_placements(stuck, first)
    free = next(rings(stuck, placed))
    built = ring_model(stuck, placed, free, lambda: False)
    for s in stuck.sessions:
        held = built.variables.placements[s.id]
        if s.id in free:
            assert len(held) > 1
        else:
            assert held == [placed[s.id]]
    kept = len(stuck.sessions) - len(free)
    assert len(built.variables.x) == kept + sum(
        len(candidates(stuck, s)) for s in stuck.sessions if s.id in free
    )


def test_a_stop_or_a_spent_budget_ends_the_repair_without_a_timetable(
    stuck: Problem, first: Timetable
) -> None:
    options = SolveOptions(time_limit=10)
    assert local_repair(stuck, first, options, 10, lambda: True) == (None, 0.0)
    assert local_repair(stuck, first, options, 0.1, lambda: False) == (None, 0.0)


class _UnknownUntilWidest:
    """`solve_once` for `local_repair`: records each ring's limit; rings before the widest
    end unknown at once (as a ring too hard to prove infeasible), the widest is solved."""

    def __init__(self, rings: int) -> None:
        self.rings, self.limits = rings, []  # type: tuple[int, list[float]]
        self.real = local_repair_module.solve_once

    def __call__(self, model: cp_model.CpModel, options: SolveOptions) -> object:
        self.limits.append(options.time_limit)
        solver, status, seconds = self.real(model, replace(options, time_limit=10))
        if len(self.limits) < self.rings:
            return solver, Status.UNKNOWN, seconds
        return solver, status, seconds


@pytest.mark.parametrize("deterministic", [False, True])
def test_a_narrow_ring_s_search_is_capped_by_its_build_the_widest_gets_the_rest(
    stuck: Problem, first: Timetable, monkeypatch: pytest.MonkeyPatch, deterministic: bool
) -> None:
    """A ring left unknown hands over to a wider one after `RING_SEARCH_PER_BUILD` times its
    build (`MIN_RING_CAP` at least) instead of half the budget; not in deterministic mode."""
    count = len(list(rings(stuck, greedy_placements(stuck, first))))
    assert count >= 2
    spy = _UnknownUntilWidest(count)
    monkeypatch.setattr(local_repair_module, "solve_once", spy)
    builds: list[float] = []
    real_build = local_repair_module.ring_model

    def timed_build(*args: object) -> object:
        began = time.monotonic()
        built = real_build(*args)  # type: ignore[arg-type]
        builds.append(time.monotonic() - began)
        return built

    monkeypatch.setattr(local_repair_module, "ring_model", timed_build)
    budget = 200.0  # a ring's share alone would be 100 units or seconds
    options = SolveOptions(time_limit=budget, deterministic=deterministic)
    repaired, _ = local_repair(stuck, first, options, budget, lambda: False)
    assert repaired is not None and check(stuck, repaired).violations == ()
    assert len(spy.limits) == count
    narrow, widest = spy.limits[:-1], spy.limits[-1]
    if deterministic:  # no clock: half of what is left, as before
        assert narrow[0] == budget * RING_SHARE_OF_BUDGET
    else:
        for limit, build in zip(narrow, builds, strict=False):
            cap = max(RING_SEARCH_PER_BUILD * build, MIN_RING_CAP)
            assert limit <= cap + 0.5 and limit < budget * RING_SHARE_OF_BUDGET / 2
    assert widest > budget / 4  # the widest ring has what is left


def test_a_narrow_ring_within_its_cap_may_use_what_is_left_on_the_wall_clock(
    stuck: Problem, first: Timetable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap replaces the share of what is left: a ring that needs more than half of it
    (1,405 sessions: 2.3 s needed, stopped at 3 s with 6 s left) may have it all."""
    count = len(list(rings(stuck, greedy_placements(stuck, first))))
    spy = _UnknownUntilWidest(count)
    monkeypatch.setattr(local_repair_module, "solve_once", spy)
    monkeypatch.setattr(local_repair_module, "RING_SEARCH_PER_BUILD", 1e6)
    budget = 200.0
    local_repair(stuck, first, SolveOptions(time_limit=budget), budget, lambda: False)
    assert spy.limits[0] > budget * RING_SHARE_OF_BUDGET * 1.5


def test_a_deterministic_repair_is_the_same_each_time_and_counts_its_time(
    stuck: Problem, first: Timetable
) -> None:
    options = SolveOptions(time_limit=10, deterministic=True)
    one, units = local_repair(stuck, first, options, 5, lambda: False)
    two, again = local_repair(stuck, first, options, 5, lambda: False)
    assert one is not None and one == two
    assert units == again and 0 < units <= 5 * 1.05  # CP-SAT may pass its limit a little


def test_restarts_come_before_the_repair(stuck: Problem) -> None:
    """`stuck`'s restarts place every session: no repair is needed (a repair first gave a
    79-session solve a costlier first timetable, later)."""
    lines: list[str] = []
    options = SolveOptions(time_limit=30, deterministic=True, verbose=True, log=lines.append)
    timetable, *_ = early_greedy(stuck, options, begin=time.monotonic())
    assert timetable is not None and len(timetable) == len(stuck.sessions)
    assert any("its unfinished series first" in line for line in lines)
    assert not any("local repair" in line for line in lines)


def test_the_solve_s_greedy_is_repaired_when_restarts_do_not_finish_it(
    stuck: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(greedy_finish, "SQUEAKY_ROUNDS", 1)  # no restart
    lines: list[str] = []
    options = SolveOptions(time_limit=30, verbose=True, log=lines.append)
    timetable, seconds, give_up, _ = early_greedy(stuck, options, begin=time.monotonic())
    assert timetable is not None and len(timetable) == len(stuck.sessions)
    assert check(stuck, timetable).violations == ()
    assert seconds is not None and not give_up
    assert any("local repair" in line for line in lines)
    assert not any("its unfinished series first" in line for line in lines)


def _failing_repairs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Timetable, float]]:
    """`finished_greedy`'s local repairs replaced by failures that each use 0.25 units; the
    (timetable, budget) of each call."""
    calls: list[tuple[Timetable, float]] = []

    def fail(problem, timetable, options, budget, stop, say):  # type: ignore[no-untyped-def]
        calls.append((timetable, budget))
        return None, 0.25

    monkeypatch.setattr(greedy_finish, "local_repair", fail)
    return calls


def test_a_second_repair_only_when_the_restarts_placed_more(
    stuck: Problem, first: Timetable, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _failing_repairs(monkeypatch)
    monkeypatch.setattr(greedy_finish, "SQUEAKY_ROUNDS", 1)  # restarts place no more
    options = SolveOptions(time_limit=20, deterministic=True)
    best, units = finished_greedy(stuck, options, first, time.monotonic(), lambda line: None)
    assert best == first and units == 0.25
    assert calls == [(first, pytest.approx(0.2 * 20))]  # the first window's share


def test_the_restarts_best_is_repaired_again(
    stuck: Problem, first: Timetable, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _failing_repairs(monkeypatch)
    whole = squeaky_greedy(stuck, 20)
    assert whole is not None and len(whole) == len(stuck.sessions)
    better = whole[:-1]  # places more than `first` (which leaves two out), not every session
    assert len(first) < len(better) < len(stuck.sessions)
    runs: list[float] = []

    def restarts(wheel, options, since, share):  # type: ignore[no-untyped-def]
        runs.append(share)
        if len(runs) == 2:  # after the first repair
            wheel.best = better

    monkeypatch.setattr(greedy_finish, "_restarts", restarts)
    options = SolveOptions(time_limit=20, deterministic=True)
    best, units = finished_greedy(stuck, options, first, time.monotonic(), lambda line: None)
    assert best == better and units == 0.5
    assert [t for t, _ in calls] == [first, better]
    assert [b for _, b in calls] == [pytest.approx(0.2 * 20), pytest.approx(0.25 * 20)]
    assert runs == [0.1, 0.5]


def test_the_deterministic_repairs_time_is_phase_one_s(
    stuck: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In deterministic mode, the repairs' deterministic time counts against the budget."""
    monkeypatch.setattr(greedy_finish, "SQUEAKY_ROUNDS", 1)  # no restart: a repair
    options = SolveOptions(time_limit=30, deterministic=True)
    timetable, _, _, units = early_greedy(stuck, options, begin=time.monotonic())
    assert timetable is not None and len(timetable) == len(stuck.sessions)
    assert units > 0


@pytest.mark.parametrize("deterministic, counted", [(True, 3.0), (False, 0.0)])
def test_phase_one_counts_the_repairs_units_in_deterministic_mode_only(
    stuck: Problem, deterministic: bool, counted: float
) -> None:
    whole = squeaky_greedy(stuck, 20)
    assert whole is not None and len(whole) == len(stuck.sessions)
    options = SolveOptions(time_limit=30, deterministic=deterministic)
    begin = time.monotonic()
    values, _, _, spent, greedy_first = solve_module._first_timetable(
        stuck, build_model(stuck), options, None, begin, None, whole, 3.0
    )
    assert values is not None and greedy_first and spent == counted
