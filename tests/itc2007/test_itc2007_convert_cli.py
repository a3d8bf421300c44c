"""`scheduler itc2007 convert` and `export`, and the main engine on a converted CB-CTT instance."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import in_temporary_folder

from scheduler.check import check
from scheduler.cli import cli
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_read import read_result
from scheduler.itc2007 import evaluate, parse_ctt, read_solution
from scheduler.itc2007.to_instance import assignments_to_lectures, ctt_to_instance

# toy with room B (50 seats) removed: ArcTec (42) and TecCos (40) overflow room A (32), so
# the optimum costs something and the equality below is not 0 == 0.
ONE_ROOM = {"Rooms: 2": "Rooms: 1", "B 50\n": ""}


def _text(toy_text: str, edits: dict[str, str]) -> str:
    for old, new in edits.items():
        assert old in toy_text
        toy_text = toy_text.replace(old, new)
    return toy_text


def test_convert_writes_the_mapped_instance(toy_text: str) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        Path("toy.ctt").write_text(toy_text, encoding="utf-8")
        out = runner.invoke(cli, ["itc2007", "convert", "toy.ctt", "--out", "toy.yaml"])
        assert out.exit_code == 0, out.output
        assert "wrote toy.yaml: 4 courses, 16 lectures, 2 curricula" in out.output
        assert load_instance("toy.yaml") == ctt_to_instance(parse_ctt(toy_text))
        default = runner.invoke(cli, ["itc2007", "convert", "toy.ctt"])
        assert default.exit_code == 0, default.output
        assert load_instance("ToyExample.yaml") == load_instance("toy.yaml")
        # its own pre-flight finds nothing to say of it (a docs audit: its title named 2007,
        # its calendar 2024, and the year check warned)
        preflight = runner.invoke(cli, ["explain", "toy.yaml", "--preflight-only"])
        assert preflight.exit_code == 0, preflight.output
        assert "warning" not in preflight.output, preflight.output


def test_convert_refuses_bad_input(toy_text: str) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        Path("week.ctt").write_text(_text(toy_text, {"Days: 5": "Days: 8"}), encoding="utf-8")
        too_long = runner.invoke(cli, ["itc2007", "convert", "week.ctt"])
        assert too_long.exit_code == 2
        assert "8 days; at most 7" in too_long.output
        assert not Path("ToyExample.yaml").exists()
        missing = runner.invoke(cli, ["itc2007", "convert", "nope.ctt"])
        assert missing.exit_code == 2 and "nope.ctt" in missing.output
        Path("toy.ctt").write_text(toy_text, encoding="utf-8")
        wrong = runner.invoke(cli, ["itc2007", "convert", "toy.ctt", "--out", "toy.txt"])
        assert wrong.exit_code == 2 and "--out must end with .yaml" in wrong.output
        # an edited instance is not replaced without --force; a solution never replaces
        # the instance it solves (bench audit)
        Path("edited.yaml").write_text("# mine\n", encoding="utf-8")
        kept = runner.invoke(cli, ["itc2007", "convert", "toy.ctt", "--out", "edited.yaml"])
        assert kept.exit_code == 1 and "the file exists; --force replaces it" in kept.output
        assert Path("edited.yaml").read_text(encoding="utf-8") == "# mine\n"
        args = ["itc2007", "convert", "toy.ctt", "--out", "edited.yaml", "--force"]
        assert runner.invoke(cli, args).exit_code == 0
        over = runner.invoke(cli, ["itc2007", "solve", "toy.ctt", "--out", "toy.ctt"])
        assert over.exit_code == 2 and "--out is the instance FILE itself" in over.output
        assert Path("toy.ctt").read_text(encoding="utf-8") == toy_text


@pytest.mark.parametrize("edits", [{}, ONE_ROOM], ids=["toy", "toy-one-room"])
def test_main_engine_solves_a_converted_instance(toy_text: str, edits: dict[str, str]) -> None:
    """convert, `scheduler solve`, export: the UD2 cost of the main engine's timetable is the
    checker's objective and the objective written in solution.json."""
    text = _text(toy_text, edits)
    ctt = parse_ctt(text)
    runner = CliRunner()
    with in_temporary_folder():
        Path("toy.ctt").write_text(text, encoding="utf-8")
        assert (
            runner.invoke(cli, ["itc2007", "convert", "toy.ctt", "--out", "t.yaml"]).exit_code == 0
        )
        solved = runner.invoke(cli, ["solve", "t.yaml", "--time-limit", "3", "--out", "sol"])
        assert solved.exit_code == 0, solved.output
        result = read_result("sol")
        report = check(load_instance("t.yaml"), result.assignments)
        assert report.violations == ()
        exported = runner.invoke(cli, ["itc2007", "export", "toy.ctt", "sol", "--out", "t.sol"])
        assert exported.exit_code == 0, exported.output
        score = evaluate(ctt, read_solution("t.sol", ctt))
        assert score.feasible
        assert score.total_cost == report.objective == result.objective
        assert f"Cost: {score.total_cost} (" in exported.output
        assert score.lectures == 0 and len(assignments_to_lectures(ctt, result.assignments)) == 16
        if edits:
            assert score.room_capacity >= 8 * 5 + 10 * 3  # every TecCos and ArcTec lecture
        # a solution of an instance converted before its week moved to 2007 (from 2024) still
        # maps to the same lectures (a review)
        old = [replace(a, date=a.date.replace(year=2024)) for a in result.assignments]
        assert assignments_to_lectures(ctt, old) == assignments_to_lectures(ctt, result.assignments)


def _export_one(runner: CliRunner, toy_text: str, session: str, room: str) -> Result:
    """`itc2007 export` of toy.ctt with a solution of one assignment (Monday, period 0)."""
    Path("toy.ctt").write_text(toy_text, encoding="utf-8")
    assignment = {"session": session, "date": "2007-01-01", "slot": "MON-P0", "room": room}
    solution = {"status": "FEASIBLE", "assignments": [assignment]}
    Path("solution.json").write_text(json.dumps(solution), encoding="utf-8")
    return runner.invoke(cli, ["itc2007", "export", "toy.ctt", "solution.json", "--out", "x"])


def test_export_refuses_a_solution_of_another_instance(toy_text: str) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        out = _export_one(runner, toy_text, "UE1-main-01", "A")
        assert out.exit_code == 2
        assert "session 'UE1-main-01' is no lecture of 'ToyExample'" in out.output


def test_bad_rooms_are_named_with_their_file(toy_text: str) -> None:
    """A room of capacity 0 (valid CB-CTT, not in our model) and a solution naming a room the
    instance does not have: exit 2, naming the file, the room and (for the solution) the session."""
    runner = CliRunner()
    with in_temporary_folder():
        Path("zero.ctt").write_text(_text(toy_text, {"B 50": "B 0"}), encoding="utf-8")
        zero = runner.invoke(cli, ["itc2007", "convert", "zero.ctt"])
        assert zero.exit_code == 2
        assert "zero.ctt: instance 'ToyExample': room 'B' capacity 0" in zero.output
        out = _export_one(runner, toy_text, "SceCosC-main-01", "nowhere")
        assert out.exit_code == 2
        assert "solution.json: session 'SceCosC-main-01': room 'nowhere'" in out.output
        assert not Path("x").exists()
