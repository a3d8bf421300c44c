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
