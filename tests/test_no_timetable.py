"""A solve without a timetable records its outcome in solution.json (SCHEMA.md's INFEASIBLE and
UNKNOWN statuses), never replaces an earlier timetable with nothing, and the commands that need
a timetable refuse the record with a one-line error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import cli
from scheduler.solution import Result, Status
from tests.conftest import TINY


def _infeasible(tmp_path: Path) -> Path:
    """The tiny instance with its visitor available one day, where two sessions need two
    (the pre-flight proves it); the same instance name, `tiny`."""
    text = TINY.read_text(encoding="utf-8")
    narrowed = text.replace(
        "available_only: [{from: 2026-09-22, to: 2026-09-26}]",
        "available_only: [{from: 2026-09-22, to: 2026-09-22}]",
    )
    assert narrowed != text
    path = tmp_path / "infeasible.yaml"
    path.write_text(narrowed, encoding="utf-8")
    return path


def _doc(folder: Path) -> dict:
    return json.loads((folder / "solution.json").read_text(encoding="utf-8"))


def test_an_infeasible_solve_writes_its_status_and_explanation(tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = CliRunner().invoke(cli, ["solve", str(_infeasible(tmp_path)), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["solution.json"]  # no timetable.csv
    doc = _doc(out)
    assert doc["status"] == "INFEASIBLE" and doc["assignments"] == []
    assert doc["objective"] is None and doc["costs"] == {}
    assert doc["message"] == "the pre-flight checks prove the instance infeasible"
    assert doc["wall_seconds"] > 0  # it was 0.0: the pre-flight path kept no time
    assert any("V1" in line for line in doc["explanation"])
    assert doc["solver"]["version"].startswith("scheduler ")
    assert "status INFEASIBLE" in result.output


def test_a_search_that_finds_nothing_writes_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_timetable(*_args: object, **_kwargs: object) -> Result:
        return Result(status=Status.UNKNOWN, bound=21, wall_seconds=1.5)

    monkeypatch.setattr("scheduler.cli.solve_cmd.run_solver", no_timetable)
    out = tmp_path / "o"
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)])
    assert result.exit_code == 1, result.output
    doc = _doc(out)
    assert doc["status"] == "UNKNOWN" and doc["bound"] == 21 and doc["wall_seconds"] == 1.5
    assert doc["message"] == "no timetable found within the time limit"
    assert "explanation" not in doc  # nothing proves the instance infeasible
    assert not (out / "timetable.csv").exists()


def test_a_failed_solve_keeps_the_earlier_timetable(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "o"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = runner.invoke(cli, ["solve", str(_infeasible(tmp_path)), "--out", str(out)])
    assert result.exit_code == 1
    assert "the earlier timetable" in result.output and "is kept" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_failed_solve_keeps_a_folder_whose_solution_cannot_be_read(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "o"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    (out / "solution.json").write_text("{", encoding="utf-8")  # e.g. a bad hand edit
    (out / "timetable.csv").unlink()
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    result = runner.invoke(cli, ["solve", str(_infeasible(tmp_path)), "--out", str(out)])
    assert result.exit_code == 1 and "is kept" in result.output
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # calendars, html...


def test_a_record_without_timetable_is_replaced_by_the_next_outcome(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "o"
    assert (
        runner.invoke(cli, ["solve", str(_infeasible(tmp_path)), "--out", str(out)]).exit_code == 1
    )
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    assert _doc(out)["status"] == "OPTIMAL" and (out / "timetable.csv").exists()


def test_commands_needing_a_timetable_refuse_the_record(tmp_path: Path) -> None:
    runner = CliRunner()
    instance = _infeasible(tmp_path)
    out = tmp_path / "o"
    assert runner.invoke(cli, ["solve", str(instance), "--out", str(out)]).exit_code == 1
    expected = "holds no timetable (status INFEASIBLE: the pre-flight checks prove"
    for args in (["report", str(out)], ["export", str(out)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)  # as check: no timetable
        assert expected in result.output and "Traceback" not in result.output
    changes = tmp_path / "changes.yaml"
    changes.write_text("today: 2026-09-20\nchanges: []\n", encoding="utf-8")
    resolved = runner.invoke(
        cli, ["resolve", str(instance), "--from", str(out), "--changes", str(changes)]
    )
    assert resolved.exit_code == 1 and expected in resolved.output
    checked = runner.invoke(cli, ["check", str(instance), str(out)])
    assert checked.exit_code == 1 and expected in checked.stdout
    assert "is not placed" not in checked.output  # the record's answer, not a line per session
    as_json = runner.invoke(cli, ["check", str(instance), str(out), "--json"])
    assert as_json.exit_code == 1
    assert not json.loads(as_json.stdout)["feasible"]  # tools still get the checker's report


def test_start_from_a_record_without_timetable_starts_afresh(tmp_path: Path) -> None:
    runner = CliRunner()
    record = tmp_path / "record"
    assert (
        runner.invoke(cli, ["solve", str(_infeasible(tmp_path)), "--out", str(record)]).exit_code
        == 1
    )
    args = ["solve", str(TINY), "--out", str(tmp_path / "o"), "--start-from", str(record)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "holds no timetable (status INFEASIBLE); starting afresh" in result.output
    assert _doc(tmp_path / "o")["solver"]["start_from"] is None


def test_every_solver_field_has_its_type_checked() -> None:
    from dataclasses import fields

    from scheduler.io.solution_read import _SOLVER_FIELDS
    from scheduler.solution import SolverInfo

    assert set(_SOLVER_FIELDS) == {f.name for f in fields(SolverInfo)}


def test_a_solve_proved_infeasible_says_how_long_its_explanation_took(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary's time is the search's; the explanation after it could double the run
    unsaid (an audit read 8.4 s for a 31 s run). Pre-flight skipped so that the search, not
    its errors, proves the instance infeasible."""
    import scheduler.cli.solve_cmd as solve_cmd

    monkeypatch.setattr(solve_cmd, "preflight", lambda problem: [])
    out = tmp_path / "o"
    args = ["solve", str(_infeasible(tmp_path)), "--out", str(out), "--time-limit", "10"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert _doc(out)["status"] == "INFEASIBLE"
    took = [line for line in result.output.splitlines() if "the explanation took" in line]
    assert len(took) == 1 and took[0].endswith(" s more)")


def test_a_solve_proved_infeasible_by_its_search_says_each_warning_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: the pre-flight warnings said before the search came again with the
    explanation after it (on stdout, then on stderr too)."""
    import scheduler.cli.solve_cmd as solve_cmd
    import scheduler.model.explain as explain_module
    from scheduler.data.findings import Finding

    warning = Finding("warning", "calendar", ("X",), "a warning of this instance")
    monkeypatch.setattr(solve_cmd, "preflight", lambda problem: [warning])
    monkeypatch.setattr(explain_module, "preflight", lambda problem: [warning])
    out = tmp_path / "o"
    args = ["solve", str(_infeasible(tmp_path)), "--out", str(out), "--time-limit", "10"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert _doc(out)["status"] == "INFEASIBLE"
    assert result.stderr.count("a warning of this instance") == 1
    assert "a warning of this instance" not in result.stdout
