"""The greedy constructor: whatever it returns passes the checker; it admits when it is stuck."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scheduler.check import check
from scheduler.construct import Greedy, greedy_timetable
from scheduler.data.domains import candidates
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.instance_io import load_instance
from scheduler.model import first_timetable
from scheduler.model.build import build_model
from scheduler.model.cpsat import SolveOptions
from scheduler.model.interrupt import Interrupted
from scheduler.solution import Assignment, Status
from tests.conftest import SAMPLE, TINY, problem_of

INFEASIBLE = Path(__file__).resolve().parents[1] / "instances" / "infeasible"


@pytest.mark.parametrize("path", [TINY, SAMPLE], ids=["tiny", "sample"])
def test_complete_greedy_timetable_is_valid(path: Path) -> None:
    problem = Problem.build(load_instance(path))
    timetable = greedy_timetable(problem)
    assert timetable is not None
    assert len(timetable) == len(problem.sessions)
    assert check(problem, timetable).violations == ()


def test_partial_timetable_breaks_no_rule_but_placement() -> None:
    problem = Problem.build(generate_instance(2, 1))
    timetable = greedy_timetable(problem, partial=True)
    assert timetable is not None
    report = check(problem, timetable)
    assert {v.rule for v in report.violations} <= {"placement"}


@pytest.mark.parametrize("name", sorted(p.name for p in INFEASIBLE.glob("*.yaml")))
def test_no_timetable_for_infeasible_instances(name: str) -> None:
    assert greedy_timetable(Problem.build(load_instance(INFEASIBLE / name))) is None


def test_a_full_week_is_made_room_in_by_moving_a_session_of_it(tiny_data: dict[str, Any]) -> None:
    """Option A's students take one session a week at most. With UE1-02 in week 2, UE2-01
    can only go there by moving UE1-02 on to week 3: the ejection does that."""
    tiny_data["calendar"]["end"] = "2026-10-03"
    next(g for g in tiny_data["groups"] if g["id"] == "OPT-A")["max_sessions_per_week"] = 1
    problem = problem_of(tiny_data)
    domains = {s.id: candidates(problem, s) for s in problem.sessions}
    greedy = Greedy(problem)
    week = lambda c: (c.start.date - date(2026, 9, 14)).days // 7 + 1  # noqa: E731
    greedy.add(domains["UE1-main-01"][0])  # pinned on 2026-09-15, week 1
    greedy.add(next(c for c in domains["UE1-main-02"] if week(c) == 2))
    in_week_2 = [c for c in domains["UE2-main-01"] if week(c) == 2]
    assert all(greedy.blockers(c) is None for c in in_week_2)  # the weekly limit forbids it
    placed = greedy.eject_and_place(in_week_2, domains)
    assert placed is not None and week(placed) == 2
    assert week(greedy.state.placed["UE1-main-02"]) == 3
    timetable = [
        Assignment(c.session.id, c.start.date, c.start.slot, c.room)
        for c in greedy.state.placed.values()
    ]
    assert {v.rule for v in check(problem, timetable).violations} <= {"placement"}
    assert _counts(greedy) == _counts(_replayed(problem, greedy))


def _replayed(problem: Problem, greedy: Greedy) -> Greedy:
    """A fresh greedy holding the same placements, added once each."""
    fresh = Greedy(problem)
    for c in greedy.state.placed.values():
        fresh.add(c)
    return fresh


def _counts(greedy: Greedy) -> dict[str, Any]:
    """The greedy's occupation and marginal-cost counters, zero entries dropped."""
    st, cost = greedy.state, greedy.cost
    return {
        "busy": dict(st.busy),
        "week_slots": {k: n for k, n in st.week_slots.items() if n},
        "day_sites": {
            k: {x: set(v) for x, v in d.items() if v} for k, d in st.day_sites.items() if d
        },
        "placed": dict(cost.placed),
        **{
            name: {k: n for k, n in counter.items() if n}
            for name, counter in vars(cost).items()
            if isinstance(counter, Counter)
        },
    }


def test_an_ejection_that_finds_no_move_changes_nothing(tiny_data: dict[str, Any]) -> None:
    """With two weeks only, UE1-02 has nowhere else to go: UE2-01 stays out and the partial
    timetable, with every counter of the greedy, is as before."""
    next(g for g in tiny_data["groups"] if g["id"] == "OPT-A")["max_sessions_per_week"] = 1
    problem = problem_of(tiny_data)
    domains = {s.id: candidates(problem, s) for s in problem.sessions}
    greedy = Greedy(problem)
    week = lambda c: (c.start.date - date(2026, 9, 14)).days // 7 + 1  # noqa: E731
    greedy.add(domains["UE1-main-01"][0])
    greedy.add(next(c for c in domains["UE1-main-02"] if week(c) == 2))
    before = _counts(greedy)
    in_week_2 = [c for c in domains["UE2-main-01"] if week(c) == 2]
    assert greedy.eject_and_place(in_week_2, domains) is None
    assert _counts(greedy) == before


def test_the_greedy_stops_when_told() -> None:
    problem = Problem.build(load_instance(SAMPLE))
    assert greedy_timetable(problem, stop=lambda: True) is None
    late = greedy_timetable(problem, stop=lambda: False)
    assert late is not None and late == greedy_timetable(problem)


def test_a_first_timetable_past_the_time_limit_stops_before_the_hard_rule_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 373-session solve given 5 s went on for 15 s: after the greedy, the hard-rule
    model's build and a second at least for each later step. Past the limit after the greedy
    (here a partial one that took too long), phase 1 ends without a timetable."""
    problem = Problem.build(load_instance(TINY))
    built = build_model(problem)
    half = greedy_timetable(problem)
    assert half is not None

    def slow_greedy(*args: Any, **kwargs: Any) -> tuple[Assignment, ...]:
        time.sleep(0.3)
        return half[: len(half) // 2]

    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("built the hard-rule model past the time limit")

    monkeypatch.setattr(first_timetable, "greedy_timetable", slow_greedy)
    monkeypatch.setattr(first_timetable, "build_model", no_build)
    values, status, _ = first_timetable.find_feasible(problem, built, SolveOptions(time_limit=0.2))
    assert values is None and status is Status.UNKNOWN


def test_a_ctrl_c_before_the_first_timetable_ends_phase_one_without_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Ctrl-C at 3 s of a sample solve let the greedy finish and its timetable was written
    over the published one, exit 0 (an audit): the greedy stops, and phase 1 with it."""
    problem = Problem.build(load_instance(TINY))
    built = build_model(problem)

    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("built the hard-rule model after Ctrl-C")

    monkeypatch.setattr(first_timetable, "build_model", no_build)
    with Interrupted() as latch:
        latch.trip()
        values, status, _ = first_timetable.find_feasible(
            problem, built, SolveOptions(time_limit=30)
        )
    assert values is None and status is Status.UNKNOWN


def _intensive(count: int, other: int) -> dict[str, Any]:
    """Four weeks of Monday to Friday, two slots a day (40), one group: a long series of
    `count` sessions (an intensive course) and another of `other`."""
    slots = [
        {"id": f"{d.upper()}-{n}", "weekday": d, "start": start, "end": end}
        for d in ("mon", "tue", "wed", "thu", "fri")
        for n, (start, end) in enumerate((("09:00", "12:00"), ("13:00", "16:00")), 1)
    ]
    return {
        "name": "intensive",
        "calendar": {"start": "2027-03-01", "end": "2027-03-26", "slots": slots},
        "sites": [{"id": "S", "rooms": [{"id": "R", "capacity": 30}]}],
        "groups": [{"id": "G", "size": 20}],
        "teachers": [{"id": "T1"}, {"id": "T2"}],
        "ues": [
            {"id": "LANG", "teachers": ["T1"], "groups": ["G"], "sessions": [{"count": count}]},
            {"id": "MATH", "teachers": ["T2"], "groups": ["G"], "sessions": [{"count": other}]},
        ],
    }


def test_a_long_series_filling_most_of_the_calendar_gets_a_timetable() -> None:
    """An audit: an intensive course (110 sessions of one series, 182 in 240 slots) got no
    timetable in 60 s: the greedy, pulled to two sessions a week by `weekly_load`, pushed
    the series to the end of the calendar and ran out of slots. Each session now keeps room
    for the rest of its series among the places still free."""
    problem = problem_of(_intensive(30, 8))
    timetable = greedy_timetable(problem)
    assert timetable is not None and len(timetable) == 38
    assert check(problem, timetable).violations == ()


def test_a_series_before_a_visitor_s_days_is_kept_before_them(tiny_data: dict[str, Any]) -> None:
    """UE1 must end before UE4 (a precedence), whose visitor comes on 26 Sep only; over six
    weeks the greedy spread UE1's three sessions to October and UE4 found no place on every
    restart (an audit: "UNKNOWN" at 10 s, 4 seeds in 5). The precedence trims UE1's
    placements to those ending before UE4's latest start."""
    from scheduler.construct import all_candidates, precedence_trimmed

    tiny_data["calendar"]["end"] = "2026-10-24"
    tiny_data["ues"][0]["sessions"][0]["count"] = 3
    problem = problem_of(tiny_data)
    trimmed = precedence_trimmed(problem, all_candidates(problem))
    assert max(c.start.date for c in trimmed["UE1-main-03"]) < date(2026, 9, 26)
    timetable = greedy_timetable(problem)
    assert timetable is not None
    report = check(problem, timetable)
    assert report.violations == () and len(timetable) == len(problem.sessions)


def test_the_sessions_a_partial_timetable_leaves_out_are_named() -> None:
    """--verbose said "placed 83 of 85 sessions" without naming the two (an audit)."""
    from scheduler.construct import left_out

    problem = Problem.build(load_instance(TINY))
    timetable = greedy_timetable(problem)
    assert timetable is not None and left_out(problem, timetable) == ""
    kept = [a for a in timetable if a.session not in ("UE2-main-02", "UE4-main-01")]
    assert left_out(problem, kept) == " (left out: UE2-main-02, UE4-main-01)"
