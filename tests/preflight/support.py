"""Helpers of the pre-flight tests: the errors and warnings of an instance, and random small
instances (a hypothesis strategy) with their hard-rule solve."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.data.preflight import Finding, preflight
from scheduler.data.problem import Problem
from scheduler.model.build import build_model
from tests.conftest import _TINY, INSTANCES, problem_of

INFEASIBLE = INSTANCES / "infeasible"


def errors_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def slips(data: dict[str, Any], rule: str) -> list[str]:
    return [f.message for f in preflight(problem_of(data)) if f.rule == rule]


def placed_nowhere(data: dict[str, Any], series: str) -> str:
    errors = errors_of(preflight(problem_of(data)))
    return next(f.message for f in errors if f.rule == "placement" and series in f.message)


# --- property: a feasible instance never gets a pre-flight error ------------------------------
DAYS = [dt.date(2026, 9, 15) + dt.timedelta(days=i) for i in range(26)]
TEACHING_DAYS = [d for d in DAYS if d.weekday() in (1, 3, 5)]  # Tue, Thu, Sat


def _span(draw: st.DrawFn, longest: int) -> dict[str, dt.date]:
    first = draw(st.integers(0, 12))
    return {
        "from": DAYS[first],
        "to": DAYS[min(len(DAYS) - 1, first + draw(st.integers(0, longest)))],
    }


def _sometimes(draw: st.DrawFn) -> bool:
    return draw(st.integers(0, 3)) == 0


@st.composite
def random_instances(draw: st.DrawFn) -> dict[str, Any]:
    """The tiny instance over four weeks with random counts, windows, availability and pins.

    Each restriction is drawn with a low probability so that both feasible and infeasible
    instances come up.
    """
    data = copy.deepcopy(_TINY)
    data["calendar"]["end"] = DAYS[-1]
    for ue in data["ues"]:
        series = ue["sessions"][0]
        series["count"] = draw(st.integers(1, 3))
        series["length"] = 2 if ue["id"] != "UE2" and _sometimes(draw) else 1
        series["min_days_between"] = draw(st.integers(0, 7)) if _sometimes(draw) else 0
        if _sometimes(draw):
            ue["window"] = _span(draw, 25)
        if _sometimes(draw):
            ue["sites"] = [draw(st.sampled_from(["MONS", "NAMUR"]))]
    for teacher in data["teachers"]:
        if _sometimes(draw):
            dates = draw(st.lists(st.sampled_from(TEACHING_DAYS), max_size=4))
            teacher["unavailable"] = [{"date": d} for d in dates] + teacher.get("unavailable", [])
        if _sometimes(draw):
            teacher["max_sessions_per_week"] = draw(st.integers(1, 3))
    data["teachers"][3]["available_only"] = [_span(draw, 25)]
    if _sometimes(draw):
        data["groups"][0]["max_sessions_per_week"] = draw(st.integers(1, 4))
    data["pins"] = []
    if _sometimes(draw):
        ue = draw(st.sampled_from(data["ues"]))
        day = draw(st.sampled_from(TEACHING_DAYS))
        data["pins"].append({"session": f"{ue['id']}-main-01", "date": day})
    if _sometimes(draw):  # both options in the one lab
        data["sites"][0]["rooms"][1]["features"] = ["lab"]
        for ue in data["ues"][1:3]:
            ue["sessions"][0]["room_features"] = ["lab"]
            ue["sites"] = ["MONS"]
    if _sometimes(draw):  # one teacher for both options: clashing with the cohort's sessions
        data["ues"][2]["teachers"] = ["T2"]
    extra = draw(st.permutations(["UE1", "UE2", "UE3", "UE4"]))
    if _sometimes(draw):
        data["precedences"] = [*data["precedences"], {"before": extra[0], "after": extra[1]}]
    return data


def solve_hard(problem: Problem, time_limit: float = 10.0) -> int:
    """CP-SAT status of the hard rules alone."""
    built = build_model(problem, with_objective=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    return int(solver.solve(built.model))
