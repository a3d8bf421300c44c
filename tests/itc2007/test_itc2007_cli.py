"""`scheduler itc2007 solve|score`, run in-process with click's CliRunner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.conftest import in_temporary_folder

from scheduler.cli.itc2007_cmd import itc2007
from scheduler.itc2007 import Lecture, format_solution


def _write_toy(toy_text: str) -> None:
    Path("toy.ctt").write_text(toy_text, encoding="utf-8")


def test_solve_writes_an_optimal_toy_solution_that_score_accepts(toy_text: str) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        _write_toy(toy_text)
        solved = runner.invoke(itc2007, ["solve", "toy.ctt", "--time-limit", "5", "--out", "s.sol"])
        assert solved.exit_code == 0, solved.output
        assert "Cost: 0" in solved.output
        assert "First feasible:" in solved.output
        scored = runner.invoke(itc2007, ["score", "toy.ctt", "s.sol"])
        assert scored.exit_code == 0, scored.output
        assert scored.output.endswith("Summary: Total Cost = 0\n")


def test_score_exits_1_on_a_hard_violation(toy_text: str, optimal: list[Lecture]) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        _write_toy(toy_text)
        clash = [*optimal[:-1], Lecture("Geotec", "A", 0, 0)]  # room A taken by SceCosC
        Path("bad.sol").write_text(format_solution(clash), encoding="utf-8")
        result = runner.invoke(itc2007, ["score", "toy.ctt", "bad.sol"])
        assert result.exit_code == 1
        assert "[H] 2 lectures in room A" in result.output
        assert "Summary: Violations = 1" in result.output


def test_bad_input_exits_2(toy_text: str) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        _write_toy(toy_text)
        Path("bad.sol").write_text("SceCosC Z 0 0\n", encoding="utf-8")
        unknown_room = runner.invoke(itc2007, ["score", "toy.ctt", "bad.sol"])
        assert unknown_room.exit_code == 2
        assert "unknown room 'Z'" in unknown_room.output
        missing = runner.invoke(itc2007, ["solve", "nope.ctt"])
        assert missing.exit_code == 2
        assert "nope.ctt" in missing.output


def test_out_in_a_missing_folder_is_created(toy_text: str) -> None:
    """The solved timetable was lost when --out named a folder that did not exist."""
    runner = CliRunner()
    with in_temporary_folder():
        _write_toy(toy_text)
        args = ["solve", "toy.ctt", "--time-limit", "5", "--out", "new/sub/s.sol"]
        solved = runner.invoke(itc2007, args)
        assert solved.exit_code == 0, solved.output
        assert Path("new/sub/s.sol").read_text(encoding="utf-8").strip()


def test_solve_writes_its_solution_by_default(toy_text: str) -> None:
    """Without --out the timetable was printed as a cost only, and lost."""
    runner = CliRunner()
    with in_temporary_folder():
        _write_toy(toy_text)
        solved = runner.invoke(itc2007, ["solve", "toy.ctt", "--time-limit", "5"])
        assert solved.exit_code == 0, solved.output
        assert "Solution written to solutions/itc2007/toy.sol" in solved.output
        scored = runner.invoke(itc2007, ["score", "toy.ctt", "solutions/itc2007/toy.sol"])
        assert scored.exit_code == 0 and scored.output.endswith("Total Cost = 0\n")


def test_out_through_a_file_is_refused_before_the_solve(toy_text: str) -> None:
    """It solved, then failed at the write with a bare 'File exists', exit 1."""
    with in_temporary_folder():
        _write_toy(toy_text)
        Path("afile").write_text("", encoding="utf-8")
        args = ["solve", "toy.ctt", "--time-limit", "5", "--out", "afile/s.sol"]
        result = CliRunner().invoke(itc2007, args)
        assert result.exit_code == 2, result.output
        assert "afile is a file, not a folder" in result.output
        assert "Cost:" not in result.output  # refused before the solve


def test_a_deterministic_solve_writes_the_same_file_twice(toy_text: str) -> None:
    runner = CliRunner()
    with in_temporary_folder():
        _write_toy(toy_text)
        texts = []
        for name in ("a.sol", "b.sol"):
            args = ["solve", "toy.ctt", "--time-limit", "2", "--seed", "7", "--deterministic"]
            solved = runner.invoke(itc2007, [*args, "--workers", "2", "--out", name])
            assert solved.exit_code == 0, solved.output
            assert "limit 2 deterministic units, workers 1, seed 7" in solved.output
            assert "--deterministic runs one CP-SAT worker" in solved.stderr
            texts.append(Path(name).read_text(encoding="utf-8"))
        assert texts[0] == texts[1]
