"""Greedy restarts with the series left out first (`scheduler.squeaky_wheel`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from graphlib import TopologicalSorter

import pytest

from scheduler.check import check
from scheduler.construct import Greedy, _free_placements, all_candidates, greedy_timetable
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.model import first_timetable
from scheduler.model.build import build_model
from scheduler.model.cpsat import SolveOptions
from scheduler.model.first_timetable import early_greedy
from scheduler.model.greedy_finish import finished_greedy
from scheduler.series_order import layers, precedence_graph, series_order
from scheduler.squeaky_wheel import priority, squeaky_greedy, unfinished_series


@pytest.fixture(scope="module")
def stuck() -> Problem:
    """A generated instance (63 sessions) whose first greedy leaves two sessions out."""
    return Problem.build(generate_instance(1, 2, tightness=0.8, weeks=20, sites=1))


def test_the_first_greedy_is_stuck_on_the_instance_used_below(stuck: Problem) -> None:
    timetable = greedy_timetable(stuck, partial=True)
    assert timetable is not None and len(timetable) < len(stuck.sessions)
    assert unfinished_series(stuck, timetable)


def test_restarts_with_the_unfinished_series_first_place_every_session(stuck: Problem) -> None:
    timetable = squeaky_greedy(stuck, rounds=20)
    assert timetable is not None and len(timetable) == len(stuck.sessions)
    assert check(stuck, timetable).violations == ()
    assert unfinished_series(stuck, timetable) == []


def test_one_round_is_the_greedy_alone(stuck: Problem) -> None:
    assert squeaky_greedy(stuck, rounds=1) == greedy_timetable(stuck, partial=True)


def test_the_restarts_are_deterministic(stuck: Problem) -> None:
    """The same runs in another process with another hash seed (set orders differ)."""
    lines: list[str] = []
    here = squeaky_greedy(stuck, 20, say=lines.append)
    assert lines and all("its unfinished series first" in line for line in lines)
    code = (
        "from scheduler.data.problem import Problem; "
        "from scheduler.generate import generate_instance; "
        "from scheduler.squeaky_wheel import squeaky_greedy; "
        "p = Problem.build(generate_instance(1, 2, tightness=0.8, weeks=20, sites=1)); "
        "print(repr(squeaky_greedy(p, 20)))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == repr(here)


def test_a_stop_ends_the_restarts_with_the_best_so_far(stuck: Problem) -> None:
    first = greedy_timetable(stuck, partial=True)
    assert squeaky_greedy(stuck, 20, stop=lambda: True, start=first) == first


def test_priority_is_by_failures_then_by_the_last_priority() -> None:
    failures = Counter({"A": 1, "B": 2, "C": 1, "D": 1})
    assert priority(failures, ["C", "B", "A"]) == ["B", "C", "A", "D"]


def _batched_order(problem: Problem) -> list[str]:
    """The greedy's series order before restarts had a priority (dd0524a): the precedence
    graph's ready series batch by batch, each batch by (placements per session, id)."""
    graph = precedence_graph(problem)
    domains = all_candidates(problem)
    slack = {
        sid: min(len(domains[s.id]) for s in ss) / len(ss) for sid, ss in problem.series.items()
    }
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda sid: (slack[sid], sid))
        order.extend(ready)
        sorter.done(*ready)
    return order


@pytest.mark.parametrize("programmes, seed", [(2, 1), (3, 4), (5, 1)])
def test_without_a_priority_the_series_order_is_the_batched_one(programmes: int, seed: int) -> None:
    problem = Problem.build(generate_instance(programmes, seed))
    assert any(precedence_graph(problem).values())  # the generated instance has precedences
    assert series_order(problem, all_candidates(problem)) == _batched_order(problem)


def test_a_series_given_first_comes_first_after_its_predecessors() -> None:
    problem = Problem.build(generate_instance(2, 1))
    domains = all_candidates(problem)
    graph = precedence_graph(problem)
    layer = layers(graph)
    assert layer is not None
    late = max((sid for sid in problem.series if graph[sid]), key=lambda sid: (layer[sid], sid))
    ancestors = _ancestors(graph, late)
    order = series_order(problem, domains, first=[late])
    assert order is not None
    assert set(order[: len(ancestors)]) == ancestors and order[len(ancestors) - 1] == late
    position = {sid: k for k, sid in enumerate(order)}
    assert all(position[b] < position[a] for a in graph for b in graph[a])  # still in order
    usual = series_order(problem, domains)
    assert usual is not None and usual.index(late) > len(ancestors)  # not first without it


def test_a_cycle_of_precedences_has_no_order() -> None:
    assert layers({"A": {"B"}, "B": {"A"}}) is None


def test_free_placements_agree_with_each_placement_s_own_check() -> None:
    """The greedy asks once per start, length and room for sessions of the same people."""
    problem = Problem.build(generate_instance(2, 1))
    domains = all_candidates(problem)
    greedy = Greedy(problem)
    for k, sessions in enumerate(problem.series.values()):
        free = _free_placements(greedy, sessions, domains)
        for s in sessions:
            assert free[s.id] == [c for c in domains[s.id] if greedy.blockers(c) == set()]
        if k % 2 == 0:  # fill the timetable as it goes, so that some placements are taken
            for s in sessions:
                if free[s.id] and s.id not in greedy.state.placed:
                    choice = free[s.id][len(free[s.id]) // 2]
                    if greedy.blockers(choice) == set():
                        greedy.add(choice)


def test_the_solve_s_first_greedy_restarts_when_it_leaves_sessions_out(stuck: Problem) -> None:
    lines: list[str] = []
    options = SolveOptions(time_limit=30, verbose=True, log=lines.append)
    timetable, seconds, give_up, _ = early_greedy(stuck, options, begin=time.monotonic())
    assert timetable is not None and len(timetable) == len(stuck.sessions)
    assert seconds is not None and not give_up
    assert any("its unfinished series first" in line for line in lines)


def _ancestors(before: dict[str, set[str]], sid: str) -> set[str]:
    """`sid` and every series before it, transitively."""
    seen, todo = set(), [sid]
    while todo:
        one = todo.pop()
        if one not in seen:
            seen.add(one)
            todo.extend(before[one])
    return seen


def test_deterministic_restarts_are_counted_by_the_budget_not_the_clock(stuck: Problem) -> None:
    """`--deterministic` counts no clock: its restarts are as many as the budget allows (here
    none in a tiny one, some in a larger one), the same on any machine."""
    first = greedy_timetable(stuck, partial=True)
    assert first is not None
    lines: list[str] = []
    tiny = SolveOptions(time_limit=0.01, deterministic=True)
    assert finished_greedy(stuck, tiny, first, time.monotonic(), lines.append) == (first, 0.0)
    assert lines == []  # no restart, and no repair in so small a budget
    larger = SolveOptions(time_limit=30, deterministic=True)
    whole, _ = finished_greedy(stuck, larger, first, time.monotonic() - 3600, lines.append)
    assert len(whole) == len(stuck.sessions) and lines  # an hour "late" changes nothing
    assert all("its unfinished series first" in line for line in lines)


def test_phase_one_s_own_greedy_restarts_too(stuck: Problem) -> None:
    """A solve whose `--start-from` timetable does not fit makes its greedy in phase 1: it
    restarts there too (a review: one plain greedy)."""
    lines: list[str] = []
    options = SolveOptions(time_limit=30, verbose=True, log=lines.append)
    values, status, _ = first_timetable.find_feasible(stuck, build_model(stuck), options)
    assert values is not None and status.has_solution
    assert any("its unfinished series first" in line for line in lines)
