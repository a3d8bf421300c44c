"""The fast domain computation gives exactly what every filter applied to every placement gives."""

from __future__ import annotations

import pytest

from scheduler.data.domains import FILTERS, candidates, raw_placements
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, TINY


@pytest.mark.parametrize("source", ["tiny", "sample", "generated"])
def test_candidates_equal_brute_force(source: str) -> None:
    if source == "generated":
        instance = generate_instance(2, 5)
    else:
        instance = load_instance(TINY if source == "tiny" else SAMPLE)
    p = Problem.build(instance)
    for s in p.sessions:
        brute = [c for c in raw_placements(p, s) if all(f(p, c) for _, f in FILTERS)]
        assert candidates(p, s) == brute, s.id


def test_a_room_without_a_required_feature_is_blamed_on_features() -> None:
    """Capacity and features were one filter named room_capacity: a pin to a large room
    lacking a feature was explained as a capacity problem."""
    problem = Problem.build(load_instance(TINY))
    session = next(s for s in problem.sessions if s.room_features)
    rejected_by = {
        (c.room, name)
        for c in raw_placements(problem, session)
        for name, f in FILTERS
        if not f(problem, c)
    }
    equipped = {
        r for r, room in problem.room.items() if set(session.room_features) <= set(room.features)
    }
    for room in set(problem.room) - equipped:
        assert (room, "room_features") in rejected_by
    assert not any(name == "room_features" and room in equipped for room, name in rejected_by)
