"""The end of `solve` and `report`: what the data alone forces, then how much of the cost
could still be saved at most (`report.unavoidable_lines`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scheduler.cli import cli
from scheduler.io.instance_io import load_instance
from scheduler.report import unavoidable_lines
from scheduler.solution import Floor
from tests.conftest import TINY, problem_of

FLOORS = (
    Floor(("weekly_load",), 20, "profile A: 2 sessions beyond the weekly target"),
    Floor(("ue_gap", "ue_spread"), 4, "UE5: 6 sessions cannot be evenly spread"),
)


def test_the_data_s_floors_come_by_rule_with_the_bound_s_line() -> None:
    lines = unavoidable_lines(FLOORS, 40, 30)
    assert lines[0] == "unavoidable, from the data alone: 24 of 40, whatever the timetable"
    assert lines[1].split() == ["weekly_load", "20"]
    assert lines[2].strip() == "profile A: 2 sessions beyond the weekly target: 20"
    assert lines[3].split() == ["ue_gap+ue_spread", "4"]
    assert lines[-1].strip() == (
        "the bound (30) proves every timetable costs at least that much: "
        "at most 10 of 40 could still be saved"
    )


def test_a_bound_no_better_than_the_data_is_said_so() -> None:
    lines = unavoidable_lines(FLOORS, 40, 24)
    assert (
        lines[-1].strip()
        == "no bound proves more than the data: at most 16 of 40 could still be saved"
    )
    assert not any("the bound (" in line for line in lines)


def test_a_timetable_costing_what_the_data_forces_is_said_optimal() -> None:
    """An audit read "no bound proves more than the data: at most 0 of 24 could still be
    saved" under an OPTIMAL status as if the bound were weak."""
    lines = unavoidable_lines(FLOORS, 24, 24)
    assert lines[-1] == "  the data forces the whole cost: no timetable costs less than 24"


def test_a_timetable_costing_less_than_the_data_forces_is_said_to_break_a_rule() -> None:
    """A review: a hand-edited timetable over a weekly maximum can cost less than the floors
    (built without the hard rules); it read "the data forces the whole cost"."""
    lines = unavoidable_lines(FLOORS, 20, 5)
    assert lines[-1] == (
        "  this timetable costs less than the data forces (24): it breaks a hard rule "
        "(`scheduler check` says which)"
    )


def test_nothing_forced_still_says_so_and_what_the_bound_leaves() -> None:
    """An instance whose data forces no cost: the section is not left out (a reader would
    not know whether it was computed), and the bound's line follows."""
    lines = unavoidable_lines((), 12, 5)
    assert lines == [
        "unavoidable, from the data alone: 0 of 12: the data forces no cost",
        "  the bound (5) proves every timetable costs at least that much: "
        "at most 7 of 12 could still be saved",
    ]
    assert unavoidable_lines((), 12, 0)[1].strip() == (
        "no bound proves more than the data: at most 12 of 12 could still be saved"
    )


def test_without_a_bound_or_cost_only_the_data_s_line_is_said() -> None:
    """A re-solve has no bound of the cost (it minimises disruption first); a timetable of
    cost 0 leaves nothing to save."""
    assert unavoidable_lines((), 12, None) == [
        "unavoidable, from the data alone: 0 of 12: the data forces no cost"
    ]
    assert unavoidable_lines((), 0, 0) == [
        "unavoidable, from the data alone: 0 of 0: the data forces no cost"
    ]
    assert unavoidable_lines(FLOORS, 40, None)[-1].strip() == (
        "UE5: 6 sessions cannot be evenly spread: 4"
    )


def test_student_profiles_alike_are_said_once() -> None:
    """The sample's six profiles had six alike lines of weekly load, the sixth cut ("... and
    1 more"), where the cost lines above said them once: alike words fold, others stay."""
    instance = load_instance(TINY)
    rest = "5 sessions, and the 2 weeks they may fall in hold at most 4: 1 beyond it"
    floors = (
        Floor(("weekly_load",), 10, f"students of COHORT+OPT-A: {rest}"),
        Floor(("saturday_opening",), 4, "Saturday 2026-09-19 at NAMUR: paid whatever"),
        Floor(("weekly_load",), 10, f"students of COHORT+OPT-B: {rest}"),
        Floor(("weekly_load",), 20, "students of COHORT+OPT-B: 6 sessions: 2 beyond it"),
        Floor(("weekly_load",), 10, "students of NOBODY: 1 beyond it"),
    )
    lines = [line.strip() for line in unavoidable_lines(floors, 60, None, 5, instance)]
    assert lines[:5] == [
        "unavoidable, from the data alone: 54 of 60, whatever the timetable",
        "weekly_load           50",
        f"students of COHORT (2 student profiles alike): {rest}, for each of the 2: "
        "2 x weight 10 = 20",
        "students of COHORT+OPT-B: 6 sessions: 2 beyond it: 2 x weight 10 = 20",
        "students of NOBODY: 1 beyond it: 1 x weight 10 = 10",
    ]
    assert len([line for line in unavoidable_lines(floors, 60, None) if "OPT-" in line]) == 3


def test_a_floor_says_its_units_and_weight_as_the_cost_lines_do(
    tiny_data: dict[str, Any],
) -> None:
    """Left alone in stop 79: "2 weekend days opened at least: 8" did not say the weight. One
    rule's floor says `units x weight w = cost` with the instance's weights; at weight 1, for
    two rules (their weights differ) or without the instance, the cost alone."""
    tiny_data["weights"] = {"site_balance": 3}
    instance = problem_of(tiny_data).instance
    floors = (
        Floor(("saturday_opening",), 8, "2 weekend days opened at least"),
        Floor(("site_balance",), 3, "7 session slots over 2 sites"),
        Floor(("ue_gap", "ue_spread"), 4, "UE5: 6 sessions cannot be evenly spread"),
        Floor(("teacher_travel",), 1, "a trip"),
    )
    lines = [line.strip() for line in unavoidable_lines(floors, 60, None, 5, instance)]
    assert "2 weekend days opened at least: 2 x weight 4 = 8" in lines
    assert "7 session slots over 2 sites: 1 x weight 3 = 3" in lines
    assert "UE5: 6 sessions cannot be evenly spread: 4" in lines
    assert "a trip: 1" in lines  # teacher_travel's default weight is 1
    bare = [line.strip() for line in unavoidable_lines(floors, 60, None)]
    assert "2 weekend days opened at least: 8" in bare


def test_solve_says_how_to_see_more_of_the_data_s_reasons_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--detail N` was said only when a cost line was cut, not the data's reasons."""
    from scheduler.cli import solve_cmd

    def one_each(*args: Any, **kwargs: Any) -> list[str]:
        return unavoidable_lines(*args[:3], 1, **kwargs)  # tiny: 2 Saturdays, 1 listed

    monkeypatch.setattr(solve_cmd, "unavoidable_lines", one_each)
    out = tmp_path / "sol"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--workers", "1"])
    assert solved.exit_code == 0, solved.output
    assert "      ... and 1 more" in solved.output
    assert solved.output.count("... and ") == 1  # the cost lines are whole
    assert f"  (`scheduler report {out} --detail N` lists N of each rule)" in solved.output
