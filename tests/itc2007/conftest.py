"""Fixtures for the ITC-2007 track 3 tests: the shared data folder and the toy instance."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.itc2007 import CttInstance, Lecture, parse_ctt

# tests/itc2007/conftest.py -> parents[2] is the repository; shared/ sits beside it.
DATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "itc2007"

# A copy of toy.ctt (the report's example), so format tests do not need the data folder.
TOY_TEXT = """\
Name: ToyExample
Courses: 4
Rooms: 2
Days: 5
Periods_per_day: 4
Curricula: 2
Constraints: 8

COURSES:
SceCosC Ocra 3 3 30
ArcTec Indaco 3 2 42
TecCos Rosa 5 4 40
Geotec Scarlatti 5 4 18

ROOMS:
A 32
B 50

CURRICULA:
Cur1 3 SceCosC ArcTec TecCos
Cur2 2 TecCos Geotec

UNAVAILABILITY_CONSTRAINTS:
TecCos 2 0
TecCos 2 1
TecCos 3 2
TecCos 3 3
ArcTec 4 0
ArcTec 4 1
ArcTec 4 2
ArcTec 4 3

END.
"""

# A cost-0 timetable of toy (days x periods, rooms A=32 and B=50 seats):
#
#   day 0: p0 SceCosC/A  p1 TecCos/B  p2 ArcTec/B + Geotec/A  p3 TecCos/B
#   day 1: p0 SceCosC/A  p1 TecCos/B  p2 Geotec/A
#   day 2: p0 SceCosC/A  p1 ArcTec/B + Geotec/A  p2 TecCos/B  p3 Geotec/A
#   day 3: p0 ArcTec/B   p1 TecCos/B  p2 Geotec/A
#   day 4: (empty; ArcTec is unavailable all day)
#
# Every course gets all its lectures in one room that seats it (SceCosC 30 and Geotec 18 in A,
# TecCos 40 and ArcTec 42 in B); no two Cur1 courses (SceCosC, ArcTec, TecCos) nor Cur2 courses
# (TecCos, Geotec) share a period; TecCos avoids (2,0), (2,1), (3,2), (3,3); days taught:
# SceCosC 3 >= 3, ArcTec 3 >= 2, TecCos 4 >= 4, Geotec 4 >= 4; each day the lectures of
# each curriculum form one block of adjacent periods, so nothing is isolated.
OPTIMAL = (
    Lecture("SceCosC", "A", 0, 0),
    Lecture("SceCosC", "A", 1, 0),
    Lecture("SceCosC", "A", 2, 0),
    Lecture("ArcTec", "B", 0, 2),
    Lecture("ArcTec", "B", 2, 1),
    Lecture("ArcTec", "B", 3, 0),
    Lecture("TecCos", "B", 0, 1),
    Lecture("TecCos", "B", 0, 3),
    Lecture("TecCos", "B", 1, 1),
    Lecture("TecCos", "B", 2, 2),
    Lecture("TecCos", "B", 3, 1),
    Lecture("Geotec", "A", 0, 2),
    Lecture("Geotec", "A", 1, 2),
    Lecture("Geotec", "A", 2, 1),
    Lecture("Geotec", "A", 2, 3),
    Lecture("Geotec", "A", 3, 2),
)


@pytest.fixture
def data_dir() -> Path:
    """The shared ITC-2007 data folder; the test is skipped when it is not there."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"ITC-2007 data folder not found at {DATA_DIR} (shared/ beside the repo)")
    return DATA_DIR


@pytest.fixture
def toy() -> CttInstance:
    """The toy instance, parsed from the embedded copy of toy.ctt."""
    return parse_ctt(TOY_TEXT, "toy.ctt")


@pytest.fixture
def toy_text() -> str:
    """The text of toy.ctt."""
    return TOY_TEXT


@pytest.fixture
def optimal() -> list[Lecture]:
    """A cost-0 solution of toy (see the picture above)."""
    return list(OPTIMAL)


def first_timetable(
    instance: CttInstance, seed: int = 0
) -> tuple[list[list[int]], list[dict[int, int]]] | None:
    """Periods (stage A model, hard rules only) and greedy rooms of a first timetable, or
    None when there is none."""
    from ortools.sat.python import cp_model

    from scheduler.itc2007._room_model import greedy_rooms
    from scheduler.itc2007._time_model import build_time_model

    tm = build_time_model(instance)
    model = tm.model.clone()
    model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = 10
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    periods = tm.periods_of(list(solver.response_proto.solution))
    return periods, greedy_rooms(instance, periods)
