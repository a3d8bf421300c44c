"""Tests of the UD2 scorer against hand-computed costs on toy.ctt.

Every expected report below was also checked against the organisers' validator.cc (v1.1)
compiled from source: the reports agree line for line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.itc2007 import CttInstance, Lecture, Score, evaluate, format_report, read_ctt

L = Lecture


def moved(solution: list[Lecture], old: Lecture, new: Lecture) -> list[Lecture]:
    """``solution`` with the lecture ``old`` replaced by ``new``."""
    result = list(solution)
    result[result.index(old)] = new
    return result


def costs(score: Score) -> tuple[int, ...]:
    """The eight components: 4 hard counts, then 4 weighted soft costs."""
    return (
        score.lectures,
        score.conflicts,
        score.availability,
        score.room_occupancy,
        score.room_capacity,
        score.min_working_days,
        score.curriculum_compactness,
        score.room_stability,
    )


def with_teacher(instance: CttInstance, course: str, teacher: str) -> CttInstance:
    """``instance`` with the teacher of one course changed."""
    courses = tuple(replace(c, teacher=teacher) if c.id == course else c for c in instance.courses)
    return replace(instance, courses=courses)


def test_optimal_solution_costs_nothing(toy: CttInstance, optimal: list[Lecture]) -> None:
    score = evaluate(toy, optimal)
    assert costs(score) == (0,) * 8
    assert (score.violations, score.total_cost, score.feasible) == (0, 0, True)
    assert score.lines == ()
    assert score.warnings == ()


def test_hand_costed_feasible_solution(toy: CttInstance, optimal: list[Lecture]) -> None:
    # From the optimal timetable: Geotec (2,3)/A -> (4,0)/B, SceCosC (1,0)/A -> (1,3)/A and
    # ArcTec (3,0)/B -> (3,0)/A. Still feasible. By hand:
    #   RoomCapacity: ArcTec (42 students) in A (32 seats)                       = 10
    #   MinWorkingDays: Geotec still on 5 days, SceCosC on 3                     =  0
    #   CurriculumCompactness: day 1, Cur1 = TecCos p1 and SceCosC p3, both
    #     isolated (p0, p2 hold no Cur1 lecture): 2 x 2; day 4, Cur2 = Geotec p0
    #     alone: 1 x 2; day 2, Cur2 is Geotec p1 + TecCos p2 (adjacent)          =  6
    #   RoomStability: ArcTec uses A and B, Geotec uses A and B: 1 + 1           =  2
    #   total                                                                    = 18
    solution = moved(optimal, L("Geotec", "A", 2, 3), L("Geotec", "B", 4, 0))
    solution = moved(solution, L("SceCosC", "A", 1, 0), L("SceCosC", "A", 1, 3))
    solution = moved(solution, L("ArcTec", "B", 3, 0), L("ArcTec", "A", 3, 0))
    score = evaluate(toy, solution)
    assert costs(score) == (0, 0, 0, 0, 10, 0, 6, 2)
    assert (score.violations, score.total_cost) == (0, 18)
    assert format_report(score) == (
        "[S(10)] Room A too small for course ArcTec the period 12 (day 3, timeslot 0)\n"
        "[S(2)] Curriculum Cur1 has an isolated lecture at period 5 (day 1, timeslot 1)\n"
        "[S(2)] Curriculum Cur1 has an isolated lecture at period 7 (day 1, timeslot 3)\n"
        "[S(2)] Curriculum Cur2 has an isolated lecture at period 16 (day 4, timeslot 0)\n"
        "[S(1)] Course ArcTec uses 2 different rooms\n"
        "[S(1)] Course Geotec uses 2 different rooms\n"
        "\n"
        "Violations of Lectures (hard) : 0\n"
        "Violations of Conflicts (hard) : 0\n"
        "Violations of Availability (hard) : 0\n"
        "Violations of RoomOccupation (hard) : 0\n"
        "Cost of RoomCapacity (soft) : 10\n"
        "Cost of MinWorkingDays (soft) : 0\n"
        "Cost of CurriculumCompactness (soft) : 6\n"
        "Cost of RoomStability (soft) : 2\n"
        "\n"
        "Summary: Total Cost = 18\n"
    )


def test_missing_lecture(toy: CttInstance, optimal: list[Lecture]) -> None:
    # Drop TecCos (3,1): 1 lecture missing; TecCos down to 3 days (< 4): 5; on day 3 ArcTec
    # (Cur1, p0) and Geotec (Cur2, p2) are left isolated: 2 + 2.
    score = evaluate(toy, [lec for lec in optimal if lec != L("TecCos", "B", 3, 1)])
    assert costs(score) == (1, 0, 0, 0, 0, 5, 4, 0)
    assert score.lines[0] == "[H] Too few lectures for course TecCos"
    assert format_report(score).endswith("Summary: Violations = 1, Total Cost = 9\n")


def test_curriculum_conflict(toy: CttInstance, optimal: list[Lecture]) -> None:
    # SceCosC (1,0) -> (1,1), beside TecCos (Cur1): one conflict. Cur1 then has 2 lectures in
    # period (1,1) and none around it: one report line, but 2 isolated lectures = 4.
    score = evaluate(toy, moved(optimal, L("SceCosC", "A", 1, 0), L("SceCosC", "A", 1, 1)))
    assert costs(score) == (0, 1, 0, 0, 0, 0, 4, 0)
    assert score.lines == (
        "[H] Courses SceCosC and TecCos have both a lecture at period 5 (day 1, timeslot 1)",
        "[S(2)] Curriculum Cur1 has an isolated lecture at period 5 (day 1, timeslot 1)",
    )


def test_teacher_conflict(toy: CttInstance, optimal: list[Lecture]) -> None:
    # Give Geotec ArcTec's teacher: they meet in periods (0,2) and (2,1).
    score = evaluate(with_teacher(toy, "Geotec", "Indaco"), optimal)
    assert costs(score) == (0, 2, 0, 0, 0, 0, 0, 0)
    assert score.lines[1] == (
        "[H] Courses ArcTec and Geotec have both a lecture at period 9 (day 2, timeslot 1)"
    )


def test_pair_sharing_teacher_and_curriculum_counts_once(
    toy: CttInstance, optimal: list[Lecture]
) -> None:
    # SceCosC and TecCos share Cur1; with one teacher too they still clash once per period.
    solution = moved(optimal, L("SceCosC", "A", 1, 0), L("SceCosC", "A", 1, 1))
    score = evaluate(with_teacher(toy, "TecCos", "Ocra"), solution)
    assert score.conflicts == 1


def test_two_lectures_in_one_room(toy: CttInstance, optimal: list[Lecture]) -> None:
    # Geotec (1,2)/A -> (1,0)/A, where SceCosC already sits in A (no curriculum shared).
    score = evaluate(toy, moved(optimal, L("Geotec", "A", 1, 2), L("Geotec", "A", 1, 0)))
    assert costs(score) == (0, 0, 0, 1, 0, 0, 0, 0)
    assert score.lines == ("[H] 2 lectures in room A the period 4 (day 1, timeslot 0)",)


def test_three_lectures_in_one_room(toy: CttInstance, optimal: list[Lecture]) -> None:
    # Geotec and ArcTec both join SceCosC in A at (1,0): occupancy 2; SceCosC-ArcTec clash
    # (Cur1); ArcTec (42) in A (32): 10; Cur1 on day 3 is TecCos p1 alone: 2; ArcTec in 2 rooms.
    solution = moved(optimal, L("Geotec", "A", 1, 2), L("Geotec", "A", 1, 0))
    solution = moved(solution, L("ArcTec", "B", 3, 0), L("ArcTec", "A", 1, 0))
    score = evaluate(toy, solution)
    assert costs(score) == (0, 1, 0, 2, 10, 0, 2, 1)
    assert "[H] 3 lectures in room A the period 4 (day 1, timeslot 0) [2 violations]" in (
        score.lines
    )
    assert format_report(score).endswith("Summary: Violations = 3, Total Cost = 13\n")


def test_unavailable_period(toy: CttInstance, optimal: list[Lecture]) -> None:
    # ArcTec (3,0) -> (4,0), a day it is unavailable; Cur1 is left alone on day 3 (TecCos p1)
    # and on day 4 (ArcTec p0): 2 + 2.
    score = evaluate(toy, moved(optimal, L("ArcTec", "B", 3, 0), L("ArcTec", "B", 4, 0)))
    assert costs(score) == (0, 0, 1, 0, 0, 0, 4, 0)
    assert score.lines[0] == (
        "[H] Course ArcTec has a lecture at unavailable period 16 (day 4, timeslot 0)"
    )


def test_over_capacity_room(toy: CttInstance, optimal: list[Lecture]) -> None:
    # TecCos (40 students) once in A (32 seats): 8, and a second room: 1.
    score = evaluate(toy, moved(optimal, L("TecCos", "B", 1, 1), L("TecCos", "A", 1, 1)))
    assert costs(score) == (0, 0, 0, 0, 8, 0, 0, 1)
    assert score.lines[0] == (
        "[S(8)] Room A too small for course TecCos the period 5 (day 1, timeslot 1)"
    )


def test_isolated_lecture(toy: CttInstance, optimal: list[Lecture]) -> None:
    # SceCosC (2,0) -> (4,0): alone for Cur1 on day 4; day 2 keeps ArcTec p1 + TecCos p2.
    score = evaluate(toy, moved(optimal, L("SceCosC", "A", 2, 0), L("SceCosC", "A", 4, 0)))
    assert costs(score) == (0, 0, 0, 0, 0, 0, 2, 0)
    assert score.total_cost == 2


def test_room_change(toy: CttInstance, optimal: list[Lecture]) -> None:
    score = evaluate(toy, moved(optimal, L("SceCosC", "A", 1, 0), L("SceCosC", "B", 1, 0)))
    assert costs(score) == (0, 0, 0, 0, 0, 0, 0, 1)
    assert score.lines == ("[S(1)] Course SceCosC uses 2 different rooms",)


def test_too_few_working_days(toy: CttInstance, optimal: list[Lecture]) -> None:
    # SceCosC (2,0) -> (1,3): 2 days instead of 3: 5; (1,3) has no Cur1 neighbour: 2.
    score = evaluate(toy, moved(optimal, L("SceCosC", "A", 2, 0), L("SceCosC", "A", 1, 3)))
    assert costs(score) == (0, 0, 0, 0, 0, 5, 2, 0)
    assert score.lines[0] == "[S(5)] The course SceCosC has only 2 days of lecture"


def test_too_many_lectures(toy: CttInstance, optimal: list[Lecture]) -> None:
    score = evaluate(toy, [*optimal, L("SceCosC", "A", 4, 0)])
    assert costs(score) == (1, 0, 0, 0, 0, 0, 2, 0)
    assert score.lines[0] == "[H] Too many lectures for course SceCosC"


def test_same_course_twice_in_a_period(toy: CttInstance, optimal: list[Lecture]) -> None:
    # As in validator.cc, the second entry is skipped with a warning (the first room wins), so
    # the course is one lecture short: SceCosC (2,0) -> (0,0)/B leaves it 2 lectures on 2 days.
    solution = moved(optimal, L("SceCosC", "A", 2, 0), L("SceCosC", "B", 0, 0))
    score = evaluate(toy, solution)
    assert costs(score) == (1, 0, 0, 0, 0, 5, 0, 0)
    assert score.warnings == ("WARNING: Repeated entry: SceCosC B 0 0 (entry skipped)",)
    report = format_report(score)
    assert "There are 1 warnings!\nSummary: Violations = 1, Total Cost = 5\n" in report
    # An exact duplicate on top of a complete timetable costs nothing but the warning.
    assert costs(evaluate(toy, [*optimal, optimal[0]])) == (0,) * 8


def test_bad_entries_are_skipped_with_warnings(toy: CttInstance) -> None:
    lectures = [L("Nope", "A", 0, 0), L("TecCos", "C", 0, 0), L("TecCos", "A", 9, 0)]
    lectures.append(L("TecCos", "A", 0, 7))
    score = evaluate(toy, lectures)
    assert score.warnings == (
        "WARNING: Nonexisting course Nope (entry skipped)",
        "WARNING: Nonexisting room C (entry skipped)",
        "WARNING: Nonexisting day 9 (entry skipped)",
        "WARNING: Nonexisting period 7 (entry skipped)",
    )
    assert score.lectures == toy.total_lectures


@pytest.mark.parametrize("name", ["toy", *(f"comp0{i}" for i in range(1, 8))])
def test_empty_solution_on_every_instance(data_dir: Path, name: str) -> None:
    instance = read_ctt(data_dir / f"{name}.ctt")
    score = evaluate(instance, [])
    assert score.lectures == instance.total_lectures
    assert score.min_working_days == 5 * sum(c.min_working_days for c in instance.courses)
    assert score.total_cost == score.min_working_days
    assert format_report(score).startswith(
        "\n".join(f"[H] Too few lectures for course {c.id}" for c in instance.courses if c.lectures)
    )


def oracle(instance: CttInstance, lectures: list[Lecture]) -> tuple[int, ...]:
    """The eight components straight from the definitions (first entry per course/period)."""
    kept: dict[tuple[str, int, int], str] = {}
    for lec in lectures:
        kept.setdefault((lec.course, lec.day, lec.period), lec.room)
    slots = {(c, d, p) for c, d, p in kept}
    count = Counter(c for c, _, _ in kept)
    days = {c.id: len({d for k, d, _ in kept if k == c.id}) for c in instance.courses}
    rooms = {c.id: {r for (k, _, _), r in kept.items() if k == c.id} for c in instance.courses}
    isolated = sum(
        1
        for q in instance.curricula
        for c, d, p in slots
        if c in q.courses and not any((o, d, p + s) in slots for o in q.courses for s in (-1, 1))
    )
    return (
        sum(abs(count[c.id] - c.lectures) for c in instance.courses),
        sum(
            1
            for a, b in combinations(instance.courses, 2)
            if instance.conflicting(a.id, b.id)
            for d in range(instance.days)
            for p in range(instance.periods_per_day)
            if (a.id, d, p) in slots and (b.id, d, p) in slots
        ),
        sum(1 for c, d, p in slots if not instance.is_available(c, d, p)),
        sum(n - 1 for n in Counter((r, d, p) for (_, d, p), r in kept.items()).values()),
        sum(
            max(0, instance.course(c).students - instance.room(r).capacity)
            for (c, _, _), r in kept.items()
        ),
        5 * sum(max(0, c.min_working_days - days[c.id]) for c in instance.courses),
        2 * isolated,
        sum(max(0, len(rooms[c.id]) - 1) for c in instance.courses),
    )


_TOY_LECTURES = st.builds(
    Lecture,
    course=st.sampled_from(["SceCosC", "ArcTec", "TecCos", "Geotec"]),
    room=st.sampled_from(["A", "B"]),
    day=st.integers(0, 4),
    period=st.integers(0, 3),
)


# ``toy`` is immutable, so sharing it between generated examples is safe.
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lectures=st.lists(_TOY_LECTURES, max_size=24))
def test_scorer_agrees_with_the_definitions(toy: CttInstance, lectures: list[Lecture]) -> None:
    for instance in (toy, with_teacher(toy, "Geotec", "Indaco")):
        score = evaluate(instance, lectures)
        assert costs(score) == oracle(instance, lectures)
        assert score.violations == sum(costs(score)[:4])
        assert score.total_cost == sum(costs(score)[4:])
