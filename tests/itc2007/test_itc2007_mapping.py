"""CB-CTT in the main model: the mapped instance, timetables both ways, and costs equal to UD2.

The checker on the mapped instance must report no hard violation on a timetable the official
scorer finds feasible, and the same soft cost, component by component: RoomCapacity is
`room_overflow`, MinWorkingDays `min_working_days` x 5, CurriculumCompactness
`isolated_sessions` x 2 and RoomStability `room_stability`. Random feasible timetables and
random feasible moves from them give costs in every component; hand-made ones each break one.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from tests.itc2007.conftest import OPTIMAL

from scheduler.check import CheckReport, check
from scheduler.data.problem import Problem
from scheduler.itc2007 import Course, CttInstance, Curriculum, Lecture, Score, evaluate, read_ctt
from scheduler.itc2007.to_instance import (
    START,
    CttMappingError,
    assignments_to_lectures,
    ctt_to_instance,
    lectures_to_assignments,
)
from scheduler.solution import Assignment

Period = tuple[int, int]


def components(report: CheckReport) -> dict[str, int]:
    """The checker's costs under the UD2 component names."""
    return {
        "RoomCapacity": report.costs["room_overflow"],
        "MinWorkingDays": report.costs["min_working_days"],
        "CurriculumCompactness": report.costs["isolated_sessions"],
        "RoomStability": report.costs["room_stability"],
    }


def ud2(score: Score) -> dict[str, int]:
    return {
        "RoomCapacity": score.room_capacity,
        "MinWorkingDays": score.min_working_days,
        "CurriculumCompactness": score.curriculum_compactness,
        "RoomStability": score.room_stability,
    }


def assert_same_cost(ctt: CttInstance, problem: Problem, lectures: list[Lecture]) -> Score:
    """The official score of a feasible timetable, after checking the checker agrees with it."""
    score = evaluate(ctt, lectures)
    assert score.feasible, score.lines[:5]
    report = check(problem, lectures_to_assignments(lectures))
    assert report.violations == (), report.violations[:5]
    assert components(report) == ud2(score)
    assert report.objective == score.total_cost
    return score


# --- random feasible timetables and moves (hard rules of CB-CTT kept) ----------------------
class Busy:
    """Who is busy in which period: courses, teachers, curricula and rooms."""

    def __init__(self, ctt: CttInstance, lectures: list[Lecture]) -> None:
        self.ctt = ctt
        self.used: set[tuple[str, str, Period]] = set()
        for lec in lectures:
            self.toggle(lec, add=True)

    def keys(self, course: Course) -> list[tuple[str, str]]:
        curricula = [("q", q.id) for q in self.ctt.curricula_of(course.id)]
        return [("c", course.id), ("t", course.teacher), *curricula]

    def toggle(self, lec: Lecture, add: bool) -> None:
        keys = [*self.keys(self.ctt.course(lec.course)), ("r", lec.room)]
        for kind, ident in keys:
            (self.used.add if add else self.used.discard)((kind, ident, (lec.day, lec.period)))

    def options(self, course: Course) -> list[Lecture]:
        """Every (period, room) where a lecture of `course` may go now."""
        ctt, keys = self.ctt, self.keys(course)
        return [
            Lecture(course.id, room.id, d, p)
            for d in range(ctt.days)
            for p in range(ctt.periods_per_day)
            if ctt.is_available(course.id, d, p)
            and not any((kind, ident, (d, p)) in self.used for kind, ident in keys)
            for room in ctt.rooms
            if ("r", room.id, (d, p)) not in self.used
        ]


def random_timetable(ctt: CttInstance, rng: random.Random) -> list[Lecture]:
    """A random feasible timetable: lectures, most constrained course first, in random places."""
    for _ in range(50):
        busy, lectures = Busy(ctt, []), []
        order = sorted(
            (c for c in ctt.courses for _ in range(c.lectures)),
            key=lambda c: (len(busy.options(c)), rng.random()),
        )
        for course in order:
            options = busy.options(course)
            if not options:
                break
            lectures.append(rng.choice(options))
            busy.toggle(lectures[-1], add=True)
        else:
            return lectures
    raise AssertionError("no random feasible timetable in 50 tries")


def random_move(ctt: CttInstance, lectures: list[Lecture], rng: random.Random) -> None:
    """Move one lecture to a random place where the hard rules still hold (in place)."""
    busy = Busy(ctt, lectures)
    i = rng.randrange(len(lectures))
    busy.toggle(lectures[i], add=False)
    options = busy.options(ctt.course(lectures[i].course))
    if options:
        lectures[i] = rng.choice(options)


# --- the mapped instance ------------------------------------------------------------------
def test_toy_instance_maps_courses_curricula_and_periods(toy: CttInstance) -> None:
    inst = ctt_to_instance(toy)
    assert [r.id for s in inst.sites for r in s.rooms] == ["A", "B"]
    assert (inst.calendar.start, inst.calendar.end) == (START, START.replace(day=5))
    assert len(inst.calendar.slots) == 20 and inst.calendar.slots[6].id == "TUE-P2"
    assert [(g.id, g.size, g.part_of) for g in inst.groups] == [
        ("Cur1", 0, None),
        ("Cur2", 0, None),
    ]
    ue = next(u for u in inst.ues if u.id == "TecCos")
    (series,) = ue.sessions
    assert (series.count, series.length, series.size, series.min_days) == (5, 1, 40, 4)
    assert ue.teachers == ("Rosa",) and ue.groups == ("Cur1", "Cur2")
    (rule,) = series.unavailable
    assert rule.slots == ("WED-P0", "WED-P1", "THU-P2", "THU-P3")
    assert inst.preferences.room_capacity == "soft"
    assert {k: v for k, v in inst.weights.items() if v} == {
        "room_overflow": 1,
        "min_working_days": 5,
        "isolated_sessions": 2,
        "room_stability": 1,
    }


def test_unmappable_instances_fail_clearly(toy: CttInstance) -> None:
    week = CttInstance(toy.name, 8, 4, toy.courses, toy.rooms, toy.curricula, frozenset())
    with pytest.raises(CttMappingError, match="8 days; at most 7"):
        ctt_to_instance(week)


def _lonely(toy: CttInstance) -> CttInstance:
    """Toy with one more course, in no curriculum (allowed by CB-CTT): 2 lectures, 1 day."""
    alone = Course("Alone", "Nemo", 2, 1, 10)
    return CttInstance(toy.name, 5, 4, (*toy.courses, alone), toy.rooms, toy.curricula, frozenset())


def test_a_course_in_no_curriculum_attends_no_group(toy: CttInstance) -> None:
    """It used to be refused; its series now says `groups: []`: no student conflict and no
    curriculum compactness, and random timetables still cost what UD2 says."""
    inst = ctt_to_instance(_lonely(toy))
    ue = next(u for u in inst.ues if u.id == "Alone")
    assert ue.sessions[0].groups == () and ue.groups == ()
    problem = Problem.build(inst)
    assert all(s.groups == () for s in problem.sessions if s.ue == "Alone")
    seen = _random_costs(_lonely(toy), range(6), moves=15)
    assert "MinWorkingDays" in seen


def test_the_main_engine_solves_a_course_in_no_curriculum(toy: CttInstance) -> None:
    """Solved by the main engine, checked, and scored by UD2 at the same cost."""
    from scheduler.model.solve import SolveOptions, solve

    ctt = _lonely(toy)
    problem = Problem.build(ctt_to_instance(ctt))
    result = solve(problem, SolveOptions(time_limit=10, deterministic=True))
    assert len(result.assignments) == len(problem.sessions)
    report = check(problem, result.assignments)
    assert report.feasible and report.objective == result.objective
    score = evaluate(ctt, assignments_to_lectures(ctt, result.assignments))
    assert score.feasible and score.total_cost == result.objective


def test_timetables_convert_both_ways(toy: CttInstance) -> None:
    assignments = lectures_to_assignments(OPTIMAL)
    assert Assignment("TecCos-main-01", START, "MON-P1", "B") in assignments
    assert Counter(assignments_to_lectures(toy, assignments)) == Counter(OPTIMAL)
    with pytest.raises(CttMappingError, match="TecCos-main-06"):
        assignments_to_lectures(toy, [Assignment("TecCos-main-06", START, "MON-P1", "B")])


# --- costs equal to UD2 ------------------------------------------------------------------
def _bad(toy: CttInstance, changes: dict[int, Lecture]) -> list[Lecture]:
    return [changes.get(i, lec) for i, lec in enumerate(OPTIMAL)]


# OPTIMAL's lectures by index: 0-2 SceCosC, 3-5 ArcTec, 6-10 TecCos, 11-15 Geotec
BAD: list[tuple[str, dict[int, Lecture], str]] = [
    ("TecCos (40) in A (32)", {9: Lecture("TecCos", "A", 2, 2)}, "RoomCapacity"),
    ("Geotec in two rooms", {15: Lecture("Geotec", "B", 3, 2)}, "RoomStability"),
    ("SceCosC on two days", {2: Lecture("SceCosC", "A", 1, 3)}, "MinWorkingDays"),
    ("Cur1 alone on Thursday", {5: Lecture("ArcTec", "B", 3, 3)}, "CurriculumCompactness"),
]


@pytest.mark.parametrize(("changes", "component"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_hand_made_bad_toy_timetables(
    toy: CttInstance, changes: dict[int, Lecture], component: str
) -> None:
    problem = Problem.build(ctt_to_instance(toy))
    score = assert_same_cost(toy, problem, _bad(toy, changes))
    assert ud2(score)[component] > 0


def _random_costs(ctt: CttInstance, seeds: range, moves: int) -> Counter[str]:
    problem = Problem.build(ctt_to_instance(ctt))
    seen: Counter[str] = Counter()
    for seed in seeds:
        rng = random.Random(seed)
        lectures = random_timetable(ctt, rng)
        for step in range(moves + 1):
            if step:
                random_move(ctt, lectures, rng)
            if step % 5 == 0:
                score = assert_same_cost(ctt, problem, lectures)
                seen.update(k for k, v in ud2(score).items() if v)
    return seen


def test_random_toy_timetables_cost_the_same(toy: CttInstance) -> None:
    seen = _random_costs(toy, range(8), moves=20)
    assert set(seen) == {"RoomCapacity", "MinWorkingDays", "CurriculumCompactness", "RoomStability"}


def test_random_comp01_timetables_cost_the_same(data_dir: Path) -> None:
    comp01 = read_ctt(data_dir / "comp01.ctt")
    seen = _random_costs(comp01, range(6), moves=40)
    assert set(seen) == {"RoomCapacity", "MinWorkingDays", "CurriculumCompactness", "RoomStability"}


# A toy timetable breaking each hard rule of CB-CTT: the checker must reject it too.
CLASHES: list[tuple[str, dict[int, Lecture], str]] = [
    ("curriculum conflict", {5: Lecture("ArcTec", "B", 0, 0)}, "group_double_booking"),
    ("room occupied", {15: Lecture("Geotec", "A", 0, 0)}, "room_double_booking"),
    ("unavailable period", {10: Lecture("TecCos", "B", 2, 0)}, "series_availability"),
    ("one course twice in a period", {1: Lecture("SceCosC", "B", 0, 0)}, "series_order"),
]


@pytest.mark.parametrize(("changes", "rule"), [c[1:] for c in CLASHES], ids=[c[0] for c in CLASHES])
def test_hard_violations_agree(toy: CttInstance, changes: dict[int, Lecture], rule: str) -> None:
    lectures = _bad(toy, changes)
    assert not evaluate(toy, lectures).feasible
    report = check(Problem.build(ctt_to_instance(toy)), lectures_to_assignments(lectures))
    assert rule in {v.rule for v in report.violations}


def test_teacher_conflict_is_a_teacher_double_booking(toy: CttInstance) -> None:
    curricula = (Curriculum("Cur1", ("SceCosC",)), Curriculum("Cur2", ("ArcTec",)))
    courses = (Course("SceCosC", "Ocra", 1, 1, 30), Course("ArcTec", "Ocra", 1, 1, 30))
    ctt = CttInstance("two", 1, 1, courses, toy.rooms, curricula, frozenset())
    lectures = [Lecture("SceCosC", "A", 0, 0), Lecture("ArcTec", "B", 0, 0)]
    assert evaluate(ctt, lectures).conflicts == 1
    report = check(Problem.build(ctt_to_instance(ctt)), lectures_to_assignments(lectures))
    assert {v.rule for v in report.violations} == {"teacher_double_booking"}
