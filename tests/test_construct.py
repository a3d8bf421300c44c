"""The greedy constructor: whatever it returns passes the checker; it admits when it is stuck."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.check import check
from scheduler.construct import greedy_timetable
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, TINY

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
