"""The bundled instances: each infeasible one gets its pre-flight error, the others none; no
feasible random instance gets one (a property)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from ortools.sat.python import cp_model

from scheduler.data.preflight import preflight
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, TINY, problem_of
from tests.preflight.support import (
    INFEASIBLE,
    errors_of,
    random_instances,
    solve_hard,
)

# instance -> (rule, entity) of an expected pre-flight error
EXPECTED = {
    "visitor-window": ("teacher_availability", "V1"),
    "teacher-unavailable": ("teacher_availability", "T2"),
    "window-spacing": ("min_days_between", "UE3-main"),
    "group-weekly-max": ("group_weekly_max", "COHORT+OPT-A"),
    "one-site-per-day": ("placement", "UE3-main-02"),
    "precedence-cycle": ("precedence", "precedences[1]"),  # as the loader numbers it
    "pin-unavailable": ("placement", "UE2-main-01"),
    "teacher-and-cohort": ("teacher_double_booking", "UE3-main"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_infeasible_instances_get_their_error(name: str) -> None:
    rule, entity = EXPECTED[name]
    errors = errors_of(preflight(Problem.build(load_instance(INFEASIBLE / f"{name}.yaml"))))
    assert any(f.rule == rule and entity in f.entities for f in errors), errors


@pytest.mark.parametrize("path", [TINY, SAMPLE], ids=["tiny", "sample"])
def test_bundled_instances_pass(path: object) -> None:
    assert errors_of(preflight(Problem.build(load_instance(path)))) == []  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_instances())
def test_feasible_instances_get_no_preflight_error(data: dict[str, Any]) -> None:
    problem = problem_of(data)
    errors = errors_of(preflight(problem))
    status = solve_hard(problem)
    event(f"status {status}, pre-flight errors: {bool(errors)}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assert errors == []
