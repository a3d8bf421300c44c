"""Counts in messages agree with their nouns (an audit read '1 sessions', '1 weeks')."""

from __future__ import annotations

from typing import Any

from scheduler.data.types import count_of
from scheduler.model.build import build_model
from scheduler.model.data_bound import weekly_load_floors
from tests.conftest import problem_of


def test_count_of_agrees_with_its_noun() -> None:
    assert count_of(1, "session") == "1 session"
    assert count_of(0, "session") == "0 sessions"
    assert count_of(3, "session slot") == "3 session slots"
    assert count_of(2, "hard rule") == "2 hard rules"


def test_a_weekly_load_floor_over_one_week_says_week(tiny_data: dict[str, Any]) -> None:
    """Tiny squeezed into one week: 'the 1 week they may fall in', not '1 weeks'."""
    tiny_data["calendar"]["end"] = "2026-09-19"
    tiny_data["preferences"] = {"group_week_target": 1}
    problem = problem_of(tiny_data)
    (floor, *_) = weekly_load_floors(problem, build_model(problem).variables, 10)
    assert "and the 1 week they may fall in hold at most 1" in floor.message
