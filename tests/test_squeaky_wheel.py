"""Greedy restarts with the series left out first (`scheduler.squeaky_wheel`)."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from scheduler.check import check
from scheduler.construct import (
    Greedy,
    _free_placements,
    _series_order,
    all_candidates,
    greedy_timetable,
)
from scheduler.data.precedence import sessions_of
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.model.cpsat import SolveOptions
from scheduler.model.first_timetable import early_greedy
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
    lines: list[str] = []
    assert squeaky_greedy(stuck, 20, say=lines.append) == squeaky_greedy(stuck, 20)
    assert lines and all("its unfinished series first" in line for line in lines)


def test_a_stop_ends_the_restarts_with_the_best_so_far(stuck: Problem) -> None:
    first = greedy_timetable(stuck, partial=True)
    assert squeaky_greedy(stuck, 20, stop=lambda: True, first=first) == first


def test_priority_is_by_failures_then_by_the_last_priority() -> None:
    failures = Counter({"A": 1, "B": 2, "C": 1, "D": 1})
    assert priority(failures, ["C", "B", "A"]) == ["B", "C", "A", "D"]


def test_the_series_order_is_by_layer_then_by_slack_without_a_priority() -> None:
    problem = Problem.build(generate_instance(2, 1))
    domains = all_candidates(problem)
    order = _series_order(problem, domains)
    assert order is not None and sorted(order) == sorted(problem.series)
    before = _predecessors(problem)
    position = {sid: k for k, sid in enumerate(order)}
    assert any(before.values())  # the generated instance has precedences
    for sid, firsts in before.items():
        assert all(position[b] < position[sid] for b in firsts)
    slack = {
        sid: min(len(domains[s.id]) for s in ss) / len(ss) for sid, ss in problem.series.items()
    }
    roots = [sid for sid in order if not before[sid]]
    assert order[: len(roots)] == sorted(roots, key=lambda sid: (slack[sid], sid))


def test_a_series_given_first_comes_first_after_its_predecessors() -> None:
    problem = Problem.build(generate_instance(2, 1))
    domains = all_candidates(problem)
    before = _predecessors(problem)
    late = max((sid for sid in problem.series if before[sid]), key=lambda sid: sid)
    ancestors = _ancestors(before, late)
    order = _series_order(problem, domains, first=[late])
    assert order is not None
    assert set(order[: len(ancestors)]) == ancestors and order[len(ancestors) - 1] == late
    usual = _series_order(problem, domains)
    assert usual is not None and usual.index(late) > len(ancestors)  # not first without it


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
    timetable, seconds, give_up = early_greedy(stuck, options, begin=time.monotonic())
    assert timetable is not None and len(timetable) == len(stuck.sessions)
    assert seconds is not None and not give_up
    assert any("its unfinished series first" in line for line in lines)


def _predecessors(problem: Problem) -> dict[str, set[str]]:
    """Each series' direct predecessors by the instance's precedences."""
    before: dict[str, set[str]] = {sid: set() for sid in problem.series}
    for prec in problem.instance.precedences:
        firsts = {s.series_id for s in sessions_of(problem, prec.before)}
        for a in sessions_of(problem, prec.after):
            before[a.series_id] |= firsts - {a.series_id}
    return before


def _ancestors(before: dict[str, set[str]], sid: str) -> set[str]:
    """`sid` and every series before it, transitively."""
    seen, todo = set(), [sid]
    while todo:
        one = todo.pop()
        if one not in seen:
            seen.add(one)
            todo.extend(before[one])
    return seen
