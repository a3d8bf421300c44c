"""Whether the published timetable a re-solve starts from is as `solve` wrote it."""

from __future__ import annotations

from pathlib import Path

from scheduler.check import check
from scheduler.check.table import table_disagreements_of
from scheduler.data.instance import Instance
from scheduler.io.solution_claims import problem_for
from scheduler.solution import Result


def published_problems(
    from_path: Path, instance: Instance, before: Result, edited: bool
) -> tuple[str, list[str]]:
    """What is wrong with a published timetable a re-solve must not start from, in words
    (empty when nothing), and each problem: a hard rule of the instance it was solved with
    broken, or a timetable.csv saying otherwise than its solution.json. Edited by hand (an
    audit's), the re-solve would 'repair' it and blame the moves on the changes. Once the
    instance was edited, its new rules may move sessions: that is what a re-solve is for."""
    problem = problem_for(instance, before)
    table = [
        words for _, words in table_disagreements_of(from_path, problem, before.assignments, edited)
    ]
    broken = [] if edited else [v.message for v in check(problem, before.assignments).violations]
    if broken:
        return "breaks hard rules of its own instance", broken + table
    if table:
        return "has a timetable.csv that disagrees with its solution.json", table
    return "", []
