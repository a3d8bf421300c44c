"""The CLI in-process: solve writes checked outputs, check and calendar report, errors exit 2."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.conftest import TINY, in_temporary_folder, problem_of


def test_solve_then_check(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sol"
    result = runner.invoke(cli, ["solve", str(TINY), "--out", str(out), "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert "unavoidable, from the data alone: 28 of 28" in result.output
    assert "status     OPTIMAL" in result.output
    assert "sessions   7/7 placed" in result.output
    rows = (out / "timetable.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("kind,session_id,ue,ue_title,series,session_no,date")
    assert len(rows) == 1 + 7 + 1  # header, sessions, one fixed-event day
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert doc["status"] == "OPTIMAL" and len(doc["assignments"]) == 7
    checked = runner.invoke(cli, ["check", str(TINY), str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert report["feasible"] is True and report["objective"] == doc["objective"]
    assert set(report) == {"feasible", "violations", "costs", "objective"}


def _solved_then_edited(tmp_path: Path, edit: Any) -> Path:
    """The tiny instance solved into tmp_path/sol, its solution.json then changed by `edit`."""
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    edit(doc)
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    return out


def _drop_first(doc: dict[str, Any]) -> None:
    doc["assignments"] = doc["assignments"][1:]


def test_check_fails_on_a_broken_solution(tmp_path: Path) -> None:
    runner = CliRunner()
    out = _solved_then_edited(tmp_path, _drop_first)
    result = runner.invoke(cli, ["check", str(TINY), str(out / "solution.json")])
    assert result.exit_code == 1
    assert "[placement]" in result.output


def test_report_and_export_refuse_a_broken_solution(tmp_path: Path) -> None:
    runner = CliRunner()
    out = _solved_then_edited(tmp_path, _drop_first)
    reported = runner.invoke(cli, ["report", str(out)])
    assert reported.exit_code == 1 and "VIOLATION [placement]" in reported.output
    assert "sessions   6/7 placed" in reported.output

    elsewhere = tmp_path / "published"
    exported = runner.invoke(cli, ["export", str(out), "--out", str(elsewhere)])
    assert exported.exit_code == 1 and "nothing exported" in exported.output
    assert "breaks 1 hard rule (1 violation), first [placement]" in exported.output
    assert "--force exports it anyway" in exported.output
    assert not elsewhere.exists()
    # the way out offered over the solution's own folder is one that is not refused there (a
    # docs audit: "--force exports it anyway", then --force alone was refused, exit 2)
    own = runner.invoke(cli, ["export", str(out)])
    assert own.exit_code == 1 and "--force --out DIR exports it to another folder" in own.output
    in_place = runner.invoke(cli, ["export", str(out), "--force"])
    assert in_place.exit_code == 2 and "--force writes only to another folder" in in_place.output
    forced = runner.invoke(cli, ["export", str(out), "--out", str(elsewhere), "--force"])
    assert forced.exit_code == 0 and "exported anyway" in forced.output
    assert (elsewhere / "timetable.html").exists()


def _off_calendar(doc: dict[str, Any]) -> None:
    moved = next(a for a in doc["assignments"] if a["session"] == "UE3-main-02")
    moved["date"] = "2026-09-23"  # a Wednesday: TUE-EVE is no slot of it


def test_a_forced_export_leaves_out_what_has_no_slot(tmp_path: Path) -> None:
    """--force said 'exported anyway', then failed (exit 2, no file named) on a session at a
    date that is no teaching slot (an exploratory test): it is left out, and said."""
    out = _solved_then_edited(tmp_path, _off_calendar)
    elsewhere = tmp_path / "published"
    forced = CliRunner().invoke(cli, ["export", str(out), "--out", str(elsewhere), "--force"])
    assert forced.exit_code == 0, forced.output
    slot = next(
        a["slot"]
        for a in json.loads((out / "solution.json").read_text(encoding="utf-8"))["assignments"]
        if a["session"] == "UE3-main-02"
    )  # the solve's, on its evening
    said = f"UE3-main-02 left out: date 2026-09-23 slot '{slot}' is not a teaching slot"
    assert "exported anyway" in forced.output and said in forced.output
    rows = (elsewhere / "timetable.csv").read_text(encoding="utf-8")
    assert "UE3-main-01" in rows and "UE3-main-02" not in rows


def _rename_first(doc: dict[str, Any]) -> None:
    doc["assignments"][0]["session"] = "NO-SUCH-SESSION"


def test_report_counts_only_the_instance_sessions_as_placed(tmp_path: Path) -> None:
    reported = CliRunner().invoke(
        cli, ["report", str(_solved_then_edited(tmp_path, _rename_first))]
    )
    assert reported.exit_code == 1 and "sessions   6/7 placed" in reported.output


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(objective="x"), "objective: expected a JSON whole number, got 'x'"),
        (lambda d: d.update(bound=1.5), "bound: expected a JSON whole number, got 1.5"),
        (lambda d: d.update(costs="x"), "costs: expected a JSON object, got 'x'"),
        (lambda d: d.update(wall_seconds="x"), "wall_seconds: expected a JSON number, got 'x'"),
        (lambda d: d.update(status="GREAT"), "status: 'GREAT' is not one of OPTIMAL, FEASIBLE"),
        (lambda d: d.update(solver=[]), "solver: expected a JSON object, got []"),
        (lambda d: d["solver"].update(seed="x"), "solver seed: unexpected value 'x'"),
        (lambda d: d["costs"].update(ue_gap=1.5), "costs: every cost must be a whole number"),
    ],
    ids=["objective", "bound", "costs", "wall_seconds", "status", "solver", "seed", "cost"],
)
def test_a_solution_field_of_the_wrong_type_is_named(
    tmp_path: Path, edit: Any, message: str
) -> None:
    runner = CliRunner()
    out = _solved_then_edited(tmp_path, edit)
    for command in ("report", "check"):
        args = [command, str(out)] if command == "report" else [command, str(TINY), str(out)]
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output


def test_solution_encodings(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    file = out / "solution.json"
    text = file.read_text(encoding="utf-8")
    file.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a BOM, as some editors save it
    assert runner.invoke(cli, ["check", str(TINY), str(out)]).exit_code == 0
    assert runner.invoke(cli, ["report", str(out)]).exit_code == 0  # finds the recorded instance
    other = tmp_path / "other.yaml"
    other.write_text(TINY.read_text(encoding="utf-8").replace("name: tiny", "name: other", 1))
    refused = runner.invoke(cli, ["check", str(other), str(out)])
    assert refused.exit_code == 2 and "a solution of instance 'tiny'" in refused.output
    file.write_bytes(text.replace('"tiny"', '"tiny \u00e9"').encode("latin-1"))
    result = runner.invoke(cli, ["check", str(TINY), str(out)])
    assert result.exit_code == 2 and "solution.json: not UTF-8 text" in result.output


def test_bad_instance_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.read_text(encoding="utf-8").replace("teachers: [T1]", "teachers: [TX]", 1))
    result = CliRunner().invoke(cli, ["solve", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "ue 'UE1' teachers: unknown teacher 'TX'" in result.output  # the UE's own list
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "o").exists()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["solve", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_a_missing_path_given_to_an_option_names_the_option(tmp_path: Path) -> None:
    """An audit: `--start-from nope/` said "nope: no such file or folder", not which
    option named it, where `--out` errors do."""
    nope = tmp_path / "nope"
    runs = [
        (
            ["solve", str(TINY), "--start-from", str(nope), "--out", str(tmp_path / "o")],
            "--start-from",
        ),
        (["resolve", str(TINY), "--from", str(nope), "--changes", str(TINY)], "--from"),
        (["report", str(tmp_path), "--instance", str(nope)], "--instance"),
    ]
    for args, option in runs:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert result.output.endswith(f"Error: {option} {nope}: no such file or folder\n")
    assert not (tmp_path / "o").exists()


def test_infeasible_instance_exits_1(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace(
        "available_only: [{from: 2026-09-22, to: 2026-09-26}]",
        "available_only: [{from: 2026-09-22, to: 2026-09-22}]",
    )
    path = tmp_path / "infeasible.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["solve", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "no timetable" in result.output
    assert not (tmp_path / "o" / "timetable.csv").exists()


def test_calendar_counts_slots() -> None:
    result = CliRunner().invoke(cli, ["calendar", str(TINY)])
    assert result.exit_code == 0
    last = next(line for line in result.output.splitlines() if line.startswith("total"))
    # tue thu sat total closed: 2 Tuesdays, 2 Thursdays, 3 Saturday halves (one closed)
    assert last.split()[1:6] == ["2", "2", "3", "7", "1"]


def test_calendar_says_the_calendar_s_slips(tmp_path: Path) -> None:
    """An audit: `calendar`, the command a manager runs to check the calendar, printed 36
    years of months for an end typed 2062, and ignored a closure of last year, unsaid."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    assert "warning" not in CliRunner().invoke(cli, ["calendar", str(TINY)]).output
    data["calendar"]["end"] = dt.date(2062, 9, 26)
    data["calendar"]["closures"][0]["date"] = dt.date(2025, 9, 19)
    path = tmp_path / "slips.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["calendar", str(path)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert f"pre-flight warning: {path}: [calendar] calendar 15 Sep 2026–26 Sep 2062 spans" in said
    assert "19 Sep 2025 lies outside the calendar" in said


def test_calendar_says_school_holidays_the_package_does_not_give(tmp_path: Path) -> None:
    """An audit: `calendar` of a French instance without a zone showed "school 0" in every
    month without a word, where `explain` and `solve` warned that France's are by zone."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["calendar"]["school_holidays"] = {"country": "FR"}
    path = tmp_path / "fr.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["calendar", str(path)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert f"pre-flight warning: {path}: [school_holidays] the holidays package gives" in said


def _with_last_year_s_closure(source: Path, tmp_path: Path) -> Path:
    """`source` with its first closure moved to 19 Sep 2025, outside the calendar: a
    pre-flight warning ("check the year")."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["calendar"]["closures"][0]["date"] = dt.date(2025, 9, 19)
    path = tmp_path / "slip.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_solve_says_pre_flight_warnings_on_stderr(tmp_path: Path) -> None:
    """An audit: `solve ... > log` hid the pre-flight's 'check the year' warnings from the
    terminal, while `resolve`, `calendar` and `export` said theirs on stderr."""
    path = _with_last_year_s_closure(TINY, tmp_path)
    result = CliRunner().invoke(
        cli, ["solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "19 Sep 2025 lies outside the calendar" in " ".join(result.stderr.split())
    assert f"pre-flight warning: {path}: [" in result.stderr  # which file (an audit)
    assert "pre-flight warning" not in result.stdout
    assert "objective" in result.stdout


def test_pre_flight_errors_name_the_instance_file(tmp_path: Path) -> None:
    """Closing notes left this for a stop: the warnings of a feasible solve named the file,
    while `explain`'s and an infeasible solve's pre-flight errors did not."""
    path = Path(__file__).resolve().parents[1] / "instances" / "infeasible" / "pin-unavailable.yaml"
    explained = CliRunner().invoke(cli, ["explain", str(path), "--time-limit", "5"])
    assert explained.exit_code == 1, explained.output
    assert f"pre-flight error: {path}: [" in explained.stdout
    solved = CliRunner().invoke(
        cli, ["solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "5"]
    )
    assert solved.exit_code == 1, solved.output
    assert f"pre-flight error: {path}: [" in solved.stdout
    recorded = json.loads((tmp_path / "out" / "solution.json").read_text(encoding="utf-8"))
    assert any(line.startswith(f"pre-flight error: {path}: [") for line in recorded["explanation"])


def test_an_infeasible_solve_says_its_pre_flight_warnings_on_stderr(tmp_path: Path) -> None:
    """An audit: a solve proved infeasible printed its pre-flight warnings on stdout, one that
    found a timetable on stderr (docs/commands.md: stderr, `explain` apart)."""
    source = (
        Path(__file__).resolve().parents[1] / "instances" / "infeasible" / "pin-unavailable.yaml"
    )
    path = _with_last_year_s_closure(source, tmp_path)
    solved = CliRunner().invoke(
        cli, ["solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "5"]
    )
    assert solved.exit_code == 1, solved.output
    assert "19 Sep 2025 lies outside the calendar" in " ".join(solved.stderr.split())
    assert "pre-flight warning" not in solved.stdout
    assert f"pre-flight error: {path}: [" in solved.stdout


def test_deterministic_mode_repeats(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        args = ["solve", str(TINY), "--out", str(out), "--deterministic", "--seed", "3"]
        assert runner.invoke(cli, args).exit_code == 0
        outs.append((out / "timetable.csv").read_text(encoding="utf-8"))
    assert outs[0] == outs[1]


def test_report_explains_costs_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    result = runner.invoke(cli, ["report", str(out), "--instance", str(TINY)])
    assert result.exit_code == 0, result.output
    assert "cost by rule (total 28):" in result.output
    assert "Saturday 2026-09-19 at NAMUR" in result.output
    assert "gap        0.0 %" in result.output
    # what the data forces: 2 profiles x 1 session beyond the target x 10, the fixed event's
    # Saturday opening 4, and UE4's only date, a Saturday no event opens, 4: the whole cost
    assert "unavoidable, from the data alone: 28 of 28, whatever the timetable" in result.output
    assert "5 sessions, and the 2 weeks they may fall in hold at most 4" in result.output
    assert "the data forces the whole cost: no timetable costs less than 28" in result.output


def test_report_reads_what_the_data_forces_from_the_solve_when_the_instance_is_the_same(
    tmp_path: Path, tiny_data: dict
) -> None:
    """`solve` records its floors (the report built the model again for them: 3.2 s of
    3.8 s on the sample); `report` uses them only for the instance they are of, and
    recomputes them when it changed or the record is not one `solve` writes."""
    from scheduler.io.floors_record import floors_document
    from scheduler.model.data_bound import floors_of

    inst = tmp_path / "tiny.yaml"
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out)]).exit_code == 0
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    computed = floors_document(tuple(floors_of(problem_of(tiny_data))))
    assert doc["unavoidable"] == computed["unavoidable"]
    assert len(doc["unavoidable"]["floors"]) == 4
    doc["unavoidable"]["floors"][0]["message"] = "as recorded by the solve"
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    recorded = CliRunner().invoke(cli, ["report", str(out)])
    assert recorded.exit_code == 0, recorded.output
    assert "as recorded by the solve" in recorded.output
    doc["unavoidable"]["floors"][1]["cost"] = "20"  # not as written: recomputed
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    malformed = CliRunner().invoke(cli, ["report", str(out)])
    assert "as recorded by the solve" not in malformed.output
    assert "unavoidable, from the data alone: 28 of 28" in malformed.output
    doc["unavoidable"]["floors"][1]["cost"] = 20
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    tiny_data["weights"] = {"weekly_load": 50}  # another instance: its own floors
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    changed = CliRunner().invoke(cli, ["report", str(out)])
    assert changed.exit_code == 0, changed.output
    assert "as recorded by the solve" not in changed.output
    assert "unavoidable, from the data alone: 108 of 108" in changed.output


def test_report_and_check_say_when_the_recorded_objective_is_not_this_cost(
    tmp_path: Path, tiny_data: dict
) -> None:
    """A manager raises a weight to see what it would cost: the header's objective, bound
    and gap are the solve's, so the report says so, and proves nothing from that bound."""
    inst = tmp_path / "tiny.yaml"
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out)]).exit_code == 0
    same = CliRunner().invoke(cli, ["report", str(out)])
    assert "records objective" not in same.output
    tiny_data["weights"] = {"weekly_load": 50}
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    report = CliRunner().invoke(cli, ["report", str(out)])
    assert report.exit_code == 0, report.output
    assert (
        "warning: solution.json records objective 28; for the instance as it is, this "
        "timetable costs 108 (the instance's rules or weights changed since the solve)"
    ) in report.output
    assert "cost by rule (total 108):" in report.output
    assert "could still be saved" not in report.output
    checked = CliRunner().invoke(cli, ["check", str(inst), str(out)])
    assert checked.exit_code == 0 and "records objective 28" in checked.output


def test_check_says_when_the_recorded_costs_by_rule_are_not_the_checker_s(
    tmp_path: Path, tiny_data: dict
) -> None:
    """Per-rule costs, which tools read, went unchecked when the total was right (an
    audit moved 20 from saturday_opening to ue_gap in solution.json: exit 0, no word)."""
    inst = tmp_path / "tiny.yaml"
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out)]).exit_code == 0
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert doc["costs"]["weekly_load"] == 20 and doc["costs"]["ue_gap"] == 0
    doc["costs"]["weekly_load"], doc["costs"]["ue_gap"] = 15, 5
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", str(inst), str(out)])
    assert checked.exit_code == 0, checked.output
    assert (
        "warning: solution.json records the objective the checker computes, 28, but other "
        "costs by rule: ue_gap 5 (the checker: 0), weekly_load 15 (the checker: 20)"
    ) in checked.output


def test_report_of_a_hand_written_record_gives_the_checker_s_cost_and_the_gap_it_has(
    tmp_path: Path,
) -> None:
    """An audit: a timetable edited by hand for the unchanged instance kept the header's
    stale gap, though the bound recorded holds for any timetable of the instance; a
    solution.json written without objective or time said "objective None", "time 0.0 s"."""
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    doc.update(objective=20, bound=21)  # as if recorded for other rules: the checker says 28
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    stale = CliRunner().invoke(cli, ["report", str(out), "--instance", str(TINY)])
    assert stale.exit_code == 0, stale.output
    assert "against the bound recorded (21, of this instance) its gap is 25.0 %" in stale.output
    # the recorded bound is below what the data forces (28): the data's is said
    assert "the data forces the whole cost: no timetable costs less than 28" in stale.output
    for key in ("objective", "gap", "wall_seconds"):
        del doc[key]
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    bare = CliRunner().invoke(cli, ["report", str(out), "--instance", str(TINY)])
    assert bare.exit_code == 0, bare.output
    assert "objective  28 (the checker's; none recorded)" in bare.output
    assert "gap        25.0 %" in bare.output
    assert "None" not in bare.output and "time " not in bare.output
    # a session on a slot its day does not have: the checker cannot price it, and says so
    doc["assignments"][0]["slot"] = "no-such-slot"
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    broken = CliRunner().invoke(cli, ["report", str(out), "--instance", str(TINY)])
    said = "(the checker's; none recorded; sessions it cannot place, if any, cost nothing)"
    assert said in broken.output and "VIOLATIONS" in broken.output, broken.output


def test_report_of_a_timetable_the_edited_instance_breaks_qualifies_its_status(
    tmp_path: Path,
) -> None:
    """An audit edited a teacher's unavailability after the solve: `report` said "status
    FEASIBLE", then "VIOLATIONS 1 hard rule broken" two lines lower. The status is the
    solve's, said so; a timetable that breaks nothing keeps the bare status."""
    inst = tmp_path / "tiny.yaml"
    shutil.copy(TINY, inst)
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out)]).exit_code == 0
    fine = CliRunner().invoke(cli, ["report", str(out)])
    assert re.search(r"^status +(OPTIMAL|FEASIBLE)$", fine.output, re.M), fine.output
    placed = json.loads((out / "solution.json").read_text(encoding="utf-8"))["assignments"]
    day = next(a["date"] for a in placed if a["session"].startswith("UE3-"))
    data = yaml.safe_load(inst.read_text(encoding="utf-8"))
    data["teachers"][2]["unavailable"] = [{"date": day}]  # T3, who teaches UE3
    inst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edited = CliRunner().invoke(cli, ["report", str(out)])
    assert re.search(
        r"^status +(OPTIMAL|FEASIBLE) \(when solved; now the timetable breaks 1 hard rule \(1 "
        r"violation\): see below\)$",
        edited.output,
        re.M,
    ), edited.output
    assert "VIOLATIONS 1 hard rule (1 violation)\n" in edited.output
    # the same rule broken twice is one rule, two violations (a review: "2 hard rules")
    other = next(a["date"] for a in placed if a["session"].startswith("UE3-") and a["date"] != day)
    data["teachers"][2]["unavailable"] = [{"date": day}, {"date": other}]
    inst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    twice = CliRunner().invoke(cli, ["report", str(out)])
    assert "now the timetable breaks 1 hard rule (2 violations): see below" in twice.output
    assert "VIOLATIONS 1 hard rule (2 violations)\n" in twice.output, twice.output


def test_report_finds_the_instance_recorded_at_solve_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From any folder, while the instance file is where `solve` read it; once it is gone,
    the error says where it was looked for."""
    copy = tmp_path / "mine.yaml"
    copy.write_bytes(TINY.read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(copy), "--out", str(out)]).exit_code == 0
    found = runner.invoke(cli, ["report", str(out)])
    assert found.exit_code == 0 and "cost by rule (total 28):" in found.output
    exported = runner.invoke(cli, ["export", str(out), "--format", "html"])
    assert exported.exit_code == 0, exported.output
    copy.unlink()
    missing = runner.invoke(cli, ["report", str(out)])
    assert missing.exit_code == 2 and "pass --instance" in missing.output
    assert f"looked at {copy.resolve()}, beside the solution" in missing.output


def test_outputs_are_readable_by_others(tmp_path: Path) -> None:
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    assert (out / "timetable.csv").stat().st_mode & 0o044 == 0o044


def _entry_point(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed `scheduler` command, as users run it (run_guarded maps the exit codes)."""
    code = "import sys; from scheduler.cli import main; sys.argv[0] = 'scheduler'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["solve", "x.yaml", "--time-limit", "-5"], "Invalid value for '--time-limit'"),
        (["export", "x", "--format", "pdf", "--out", "y"], "'pdf' is not one of"),
        (["solve"], "Missing argument 'INSTANCE'"),
        (["nosuch"], "No such command 'nosuch'"),
    ],
)
def test_usage_errors_take_one_line(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Click's usage errors took four lines ("Usage: ...", "Try ...", a blank line, then the
    error: an audit); every error is one line (SCHEMA.md section 4), still exit 2."""
    from scheduler.cli import cli
    from scheduler.cli.common import run_guarded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["scheduler", *args])
        assert run_guarded(cli) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: ") and said in err, err
    assert err.endswith("--help')\n") and ". (see" not in err


@pytest.mark.parametrize("args", [[], ["itc2007"]])
def test_a_group_without_a_command_shows_its_help(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`scheduler` alone prints its help (a review: 'Error: Usage: ...' and the whole help
    once usage errors took one line)."""
    from scheduler.cli import cli
    from scheduler.cli.common import run_guarded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["scheduler", *args])
        run_guarded(cli)
    said = capsys.readouterr()
    shown = said.out + said.err
    # click names the program from `__main__`: "python -m pytest..." without xdist's workers
    assert shown.startswith("Usage: ") and "Commands:" in shown, shown
    assert "Error" not in shown


def test_entry_point_maps_errors_to_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        TINY.read_text(encoding="utf-8").replace("start: 2026-09-15", "start: 2026-02-30", 1)
    )
    run = _entry_point("solve", str(bad), cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "calendar start" in run.stderr
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    run = _entry_point("solve", str(TINY), "--out", str(blocker / "sub"), cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr  # before solving
    assert f"{blocker} is a file, not a folder" in run.stderr


def test_python_dash_m_runs_the_same_command_line(tmp_path: Path) -> None:
    """`python -m scheduler` is the command where the scripts folder is not on PATH: the same
    exit codes and one-line errors."""
    run = subprocess.run(
        [sys.executable, "-m", "scheduler", "check", str(TINY), str(tmp_path / "none")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith("Error: ") and "none" in run.stderr, run.stderr
    version = subprocess.run(
        [sys.executable, "-m", "scheduler", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("scheduler, version "), version


def test_solution_of_another_instance_is_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    other = tmp_path / "other.yaml"
    other.write_text(TINY.read_text(encoding="utf-8").replace("name: tiny", "name: other", 1))
    result = runner.invoke(cli, ["check", str(other), str(out)])
    assert result.exit_code == 2
    assert "a solution of instance 'tiny', not of 'other'" in result.output


def test_re_solving_keeps_revisions_and_replaces_the_folder_whole(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    (out / "rev-1").mkdir()
    (out / "rev-1" / "keep.txt").write_text("published revision")
    (out / "calendars" / "group-OLD.ics").write_text("a calendar of an older run")
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    assert (out / "rev-1" / "keep.txt").read_text() == "published revision"
    assert not (out / "calendars" / "group-OLD.ics").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sol"]  # no temporary folder left
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert set(doc["costs"]) >= {"ue_gap", "school_holidays", "teacher_avoid"}  # every rule


def test_solve_out_refuses_a_folder_with_files_of_others(tmp_path: Path) -> None:
    """Writing an output folder replaces it whole: a folder holding other files is refused
    before solving; its own earlier outputs are replaced as usual."""
    out = tmp_path / "sol"
    runner = CliRunner()
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    again = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)])
    assert again.exit_code == 0, again.output
    (out / "budget.xlsx").write_text("not ours", encoding="utf-8")
    refused = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)])
    assert refused.exit_code == 2 and "budget.xlsx" in refused.output
    assert "solving" not in refused.output
    assert (out / "budget.xlsx").read_text(encoding="utf-8") == "not ours"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"date": "2026-09-31"}, "assignments[0] (session {sid}) date: '2026-09-31' is not a date"),
        ({"slot": None}, "assignments[0] (session {sid}) slot: missing or not text"),
    ],
)
def test_a_broken_assignment_is_named_in_one_line(
    tmp_path: Path, edit: dict[str, Any], expected: str
) -> None:
    """Not `ValueError('day is out of range for month')` or `KeyError('slot')`: the entry,
    its session and the field."""
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    first = doc["assignments"][0]
    first.update(edit)
    if first.get("slot") is None:
        del first["slot"]
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(TINY), str(out)])
    assert result.exit_code == 2
    assert expected.format(sid=first["session"]) in result.output
    assert "Error" in result.output and len(result.output.strip().splitlines()) == 1


def test_solve_never_writes_over_its_instance_or_a_revision(tmp_path: Path) -> None:
    """--out holding the instance file would delete it (replace_folder swaps the folder
    whole); a revision folder (changes.md) is a published timetable: both refused."""
    project = tmp_path / "proj"
    project.mkdir()
    instance = project / "instance.yaml"
    instance.write_bytes(TINY.read_bytes())
    runner = CliRunner()
    refused = runner.invoke(cli, ["solve", str(instance), "--out", str(project)])
    assert refused.exit_code == 2 and "holds the instance file" in refused.output
    assert instance.read_bytes() == TINY.read_bytes()
    revision = tmp_path / "pub" / "rev-1"
    revision.mkdir(parents=True)
    (revision / "changes.md").write_text("# a revision", encoding="utf-8")
    refused = runner.invoke(cli, ["solve", str(TINY), "--out", str(revision)])
    assert refused.exit_code == 2 and "a re-solve's revision" in refused.output
    assert (revision / "changes.md").exists()


def test_an_output_folder_that_cannot_be_written_is_refused_before_solving(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["solve", str(TINY), "--out", str(tmp_path / "afile" / "sub")])
    assert result.exit_code == 2 and "afile is a file, not a folder" in result.output
    assert "solving" not in result.output  # refused before the solve, not after it
    long = tmp_path / ("a" * 300)
    result = runner.invoke(cli, ["solve", str(TINY), "--out", str(long)])
    assert result.exit_code == 2 and "the folder's name is 300 bytes long" in result.output


def test_a_title_with_odd_characters_keeps_the_solve_and_its_calendars(tmp_path: Path) -> None:
    """A line break in the title (a workbook cell with Alt-Enter) failed the calendar export
    after the search, and the whole result was lost; commas cut the feed names in Radicale."""
    import vobject
    import yaml

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["title"] = 'Petit\nexemple, "odd"; \\ chars'
    inst = tmp_path / "odd.yaml"
    inst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    raw = (out / "calendars" / "group-OPT-A.ics").read_text(encoding="utf-8")
    assert 'X-WR-CALNAME:Option A (OPT-A) — Petit\\nexemple\\, "odd"\\; \\\\ chars' in raw
    calendar = vobject.readOne(raw)
    assert calendar.contents["x-wr-calname"][0].value.startswith("Option A (OPT-A) — Petit\n")


def test_a_failing_export_keeps_the_checked_timetable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.cli import solve_write

    def broken(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("Content line can not contain unescaped new line characters.")

    monkeypatch.setattr(solve_write, "export_all", broken)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 1, result.output
    assert (out / "timetable.csv").is_file() and (out / "solution.json").is_file()
    assert "the exports (xlsx, html, calendars) failed: AssertionError" in result.output
    assert f"scheduler export {out}" in result.output


def test_a_failing_export_leaves_a_published_timetable_and_its_feeds_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk during the exports of a second solve left the folder with solution.json,
    timetable.csv and one feed: the published page and feeds were gone (an audit)."""
    from scheduler.cli import solve_write

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert Path("timetable.html") in before

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(solve_write, "export_all", full_disk)
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--seed", "3"])
    assert result.exit_code == 1, result.output
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    aside = next(tmp_path.glob("out.unpublished-*"))
    assert (aside / "solution.json").is_file() and (aside / "timetable.csv").is_file()
    assert f"{out} is left as it was, with its exports" in result.output
    assert f"`scheduler export {aside}`" in result.output


def test_an_instance_without_timezone_is_warned_and_written_with_it(tmp_path: Path) -> None:
    """The default (Europe/Brussels) was silent: a Toronto programme got Brussels times."""
    import yaml

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data.pop("timezone", None)
    inst = tmp_path / "notz.yaml"
    inst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert f"warning: {inst} names no timezone: Europe/Brussels is assumed" in result.output
    assert result.output.count("names no timezone") == 1
    for args in (["calendar", str(inst)], ["explain", str(inst)], ["export", str(out)]):
        said = CliRunner().invoke(cli, args)  # Brussels' clock was silent there (an audit)
        assert said.exit_code == 0, said.output
        assert f"warning: {inst} names no timezone: Europe/Brussels is assumed" in said.output
    # a re-solve from a revision, to an earlier today, reads the first solve's instance for
    # its pins only: no warning about that file, which the user did not give (a review)
    pub = tmp_path / "pub"
    shutil.copytree(out, pub)  # `out` is solved into again below
    for today, source in (("2026-09-20", pub), ("2026-09-16", pub / "rev-1")):
        changes = tmp_path / f"changes-{today}.yaml"
        changes.write_text(f"today: {today}\nchanges: []\n", encoding="utf-8")
        args = ["resolve", str(source / "instance.yaml") if source != pub else str(inst)]
        args += ["--from", str(source), "--changes", str(changes), "--deterministic"]
        said = CliRunner().invoke(cli, args)
        assert said.exit_code == 0, said.output
        assert ("names no timezone" in said.output) == (source == pub), said.output
    back = tmp_path / "back.yaml"
    assert CliRunner().invoke(cli, ["convert", str(inst), str(back)]).exit_code == 0
    assert yaml.safe_load(back.read_text(encoding="utf-8"))["timezone"] == "Europe/Brussels"
    given = CliRunner().invoke(cli, ["solve", str(back), "--out", str(out), "--time-limit", "5"])
    assert given.exit_code == 0 and "names no timezone" not in given.output


def test_weekly_load_against_the_default_target_is_noted() -> None:
    """A daytime programme (6 slots a week) paid weekly_load against the default target of 2,
    made for evening programmes, with nothing said."""
    from types import SimpleNamespace

    import yaml

    from scheduler.data.instance import Instance
    from scheduler.io.instance_io import instance_digest, instance_to_data
    from scheduler.report import default_target_lines

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    paying = SimpleNamespace(costs={"weekly_load": 30})
    (line,) = default_target_lines(Instance.model_validate(data), paying)  # type: ignore[arg-type]
    assert "beyond 2 a week per student (preferences.group_week_target, 2 by default)" in line
    assert "this calendar has 4 teaching slots a week" in line
    data["preferences"] = {"group_week_target": 3}  # another target: chosen, nothing to say
    assert default_target_lines(Instance.model_validate(data), paying) == []  # type: ignore[arg-type]
    # 2 written by the manager (an audit of a new programme): chosen too, and kept by a dump
    # (a revision's instance.yaml, convert) though it is the default
    data["preferences"] = {"group_week_target": 2}
    chosen = Instance.model_validate(data)
    assert default_target_lines(chosen, paying) == []  # type: ignore[arg-type]
    assert instance_to_data(chosen)["preferences"] == {"group_week_target": 2}
    again = Instance.model_validate(instance_to_data(chosen))
    assert default_target_lines(again, paying) == []  # type: ignore[arg-type]
    assert instance_digest(chosen) == instance_digest(
        Instance.model_validate(data | {"preferences": {}})
    )
    data.pop("preferences")
    free = SimpleNamespace(costs={"weekly_load": 0})
    assert default_target_lines(Instance.model_validate(data), free) == []  # type: ignore[arg-type]


def test_a_timetable_with_re_solves_is_not_solved_over(tmp_path: Path) -> None:
    """Solving the edited instance again into the published folder replaced the timetable its
    re-solves revise and moved sessions already given, silently (spreadsheet audit): refused,
    pointing at resolve. A rev- folder without a solution is not a re-solve."""
    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    before = (out / "timetable.csv").read_bytes()
    for n in (1, 2, 10):
        (out / f"rev-{n}").mkdir()
        (out / f"rev-{n}" / "solution.json").write_text("{}", encoding="utf-8")
    refused = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)])
    assert refused.exit_code == 2, refused.output
    assert (
        "its timetable was re-solved since (rev-1, rev-2, rev-10): solving again would replace"
        in refused.output
    )
    said = refused.output.replace("\n", "")
    assert "write what changed as changes (SCHEMA.md section 3) and re-solve" in said
    assert f"--from {out / 'rev-10'} --changes FILE (a re-solve from a revision reads" in said
    assert (out / "timetable.csv").read_bytes() == before
    # its calendars republish rev-2 (export rev-2 --out sol): that one, not rev-10, a branch
    # that export would refuse to publish there (an audit)
    state = out / "calendars" / "sequences.json"
    doc = json.loads(state.read_text(encoding="utf-8"))
    doc["published_from"] = str(out / "rev-2" / "solution.json")
    doc["published_from_relative"] = "rev-2/solution.json"  # as export records both
    state.write_text(json.dumps(doc), encoding="utf-8")
    said = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).output.replace("\n", "")
    assert f"--from {out / 'rev-2'} --changes FILE" in said, said
    # rev-10 re-solves rev-2: the newest continuing what is published, with its changes (the
    # published one sent an audit in a circle: "re-solve from rev-10 to keep them")
    record = {"revision": {"from": str(out / "rev-2" / "solution.json")}}
    (out / "rev-10" / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    said = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).output.replace("\n", "")
    assert f"--from {out / 'rev-10'} --changes FILE" in said, said
    # another instance is told the folder is another's, not to re-solve its revisions (an
    # audit was told to re-solve another programme's revision)
    other = tmp_path / "other.yaml"
    other.write_text(TINY.read_text(encoding="utf-8").replace("name: tiny", "name: other", 1))
    refused = runner.invoke(cli, ["solve", str(other), "--out", str(out)])
    assert refused.exit_code == 2, refused.output
    assert "holds the timetable of instance 'tiny', not 'other'" in refused.output
    assert "re-solve" not in refused.output.replace("re-solved", "")


def test_a_folder_holding_another_year_s_timetable_is_not_solved_over(tmp_path: Path) -> None:
    """Last year's instance copied for the new year kept its name: solve replaced last year's
    published timetable, and its feeds (same event ids, higher SEQUENCE) moved sessions long
    given onto the new year's dates (year audit)."""
    import yaml

    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    before = (out / "timetable.csv").read_bytes()
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    shift = dt.timedelta(weeks=52)
    cal = data["calendar"]
    cal["start"], cal["end"] = cal["start"] + shift, cal["end"] + shift
    data["pins"], data["fixed_events"], cal["closures"] = [], [], []
    for ue in data["ues"]:
        ue.pop("window", None)
    for teacher in data["teachers"]:
        teacher.pop("available_only", None)
    next_year = tmp_path / "tiny-next.yaml"
    next_year.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = runner.invoke(cli, ["solve", str(next_year), "--out", str(out)])
    assert refused.exit_code == 2, refused.output
    assert "holds the timetable of 15–26 Sep 2026, none of whose dates is in this " in (
        refused.output.replace("\n", "")
    )
    assert (out / "timetable.csv").read_bytes() == before
    again = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)])  # the same year: fine
    assert again.exit_code == 0, again.output


def test_a_folder_publishing_another_instance_is_not_solved_over(tmp_path: Path) -> None:
    """An audit solved one programme into another's published folder: its subscribers got
    the other programme's sessions, and kept their own, whose event ids differ. Told by the
    folder's solution.json, or by its calendars' event ids when it holds an export alone."""
    import yaml

    runner = CliRunner()
    out = tmp_path / "sol"
    assert runner.invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    before = (out / "calendars" / "all.ics").read_bytes()
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["name"] = "another-programme"
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = runner.invoke(cli, ["solve", str(other), "--out", str(out)])
    assert refused.exit_code == 2, refused.output
    assert "holds the timetable of instance 'tiny', not 'another-programme'" in (
        " ".join(refused.output.split())
    )
    (out / "solution.json").unlink()  # an export's folder: its calendars alone
    refused = runner.invoke(cli, ["solve", str(other), "--out", str(out)])
    assert refused.exit_code == 2, refused.output
    assert "holds the timetable of instance 'tiny', not 'another-programme'" in (
        " ".join(refused.output.split())
    )  # the advice works for --out (renaming would meet the folder again: a review)
    assert refused.output.rstrip().endswith("name another folder (--out)")
    assert (out / "calendars" / "all.ics").read_bytes() == before
    again = runner.invoke(cli, ["solve", str(TINY), "--out", str(out)])  # its own: fine
    assert again.exit_code == 0, again.output


def test_report_of_a_folder_without_a_solution_says_so(tmp_path: Path) -> None:
    """Not "'instance.name' missing; pass --instance": there is no solution to report on."""
    result = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'solution.json'}: no such file" in result.output


def test_the_commands_load_inside_the_guard_so_that_an_early_ctrl_c_is_said() -> None:
    """A Ctrl-C in the first seconds (importing OR-Tools and pandas) printed a traceback and
    exited 130 (an audit): those imports now happen when the command runs, under its guard."""
    code = (
        "import sys, scheduler.cli; "
        "print(any(m.startswith(('ortools', 'pandas')) for m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "False", found.stderr
    from scheduler.cli import cli, commands
    from scheduler.cli.common import run_guarded

    def interrupted(name: str) -> None:
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(commands, "command", interrupted)
        patch.setattr(cli, "commands", {})  # none imported yet, as in a new process
        patch.setattr(sys, "argv", ["scheduler", "solve", "x.yaml"])
        assert run_guarded(cli) == 1


def test_only_solve_says_it_waits_for_the_lp_bound() -> None:
    """resolve's --deterministic help was solve's, which waits for an LP bound resolve has
    not (an exploratory test)."""
    waits = "waits at its end for the LP bound"
    solve_help = CliRunner().invoke(cli, ["solve", "--help"], terminal_width=2000).output
    resolve_help = CliRunner().invoke(cli, ["resolve", "--help"], terminal_width=2000).output
    assert waits in solve_help and "--deterministic" in resolve_help
    assert waits not in resolve_help


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{sol}", "--out", "{blocker}"],
        ["template", "--out", "{blocker}/t.xlsx"],
        ["generate", "--programmes", "1", "--out", "{blocker}/g.yaml"],
    ],
    ids=["export", "template", "generate"],
)
def test_an_output_path_through_a_file_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    """They failed with a bare 'Error: afile: File exists' and exit 1 (an exploratory test)."""
    sol = tmp_path / "sol"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(sol), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    blocker = tmp_path / "afile"
    blocker.write_text("", encoding="utf-8")
    given = [a.format(sol=sol, blocker=blocker) for a in args]
    result = CliRunner().invoke(cli, given)
    assert result.exit_code == 2, result.output
    assert f"{blocker}: is a file, where the output needs a folder" in result.output
    assert blocker.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_console_without_the_output_characters_gets_no_traceback(
    tmp_path: Path, encoding: str
) -> None:
    """In a Latin-1 or cp1252 console, `solve` and `report` ended in a UnicodeEncodeError
    traceback (the en dash of "14–20 Sep", "≤"), exit 1, once the files were written (an
    audit). Such characters now print as "?"."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    main = [sys.executable, "-c", "from scheduler.cli import main; main()"]
    out = tmp_path / "out"
    for args in (
        ["solve", str(TINY), "--time-limit", "5", "--out", str(out)],
        ["report", str(out)],
    ):
        done = subprocess.run([*main, *args], capture_output=True, env=env, check=False)
        text = (done.stdout + done.stderr).decode(encoding)
        assert done.returncode == 0 and "Traceback" not in text, text[-2000:]
        assert "–" in text or "?" in text  # what the console can show, then the rest


def test_output_whose_reader_left_neither_fails_nor_stops_the_command(tmp_path: Path) -> None:
    """`scheduler check ... | head -1` exited 1 without a word once `head` had left (click's
    broken pipe), so a script with `pipefail` read a check that passed as failed, and a
    solve piped so would stop before writing its timetable (an audit). Here the reader
    leaves before the command starts: every write meets a closed pipe."""
    main = [sys.executable, "-c", "from scheduler.cli import main; main()"]
    out = tmp_path / "out"
    for args in (
        ["solve", str(TINY), "--time-limit", "5", "--out", str(out)],
        ["check", str(TINY), str(out)],
        ["report", str(out)],
    ):
        read, write = os.pipe()
        os.close(read)
        try:
            done = subprocess.run([*main, *args], stdout=write, stderr=subprocess.PIPE, check=False)
        finally:
            os.close(write)
        assert done.returncode == 0, (args[0], done.stderr.decode()[-2000:])
        assert b"Traceback" not in done.stderr and b"Broken pipe" not in done.stderr
    assert (out / "solution.json").exists() and (out / "timetable.csv").exists()


def test_a_resolve_out_holding_the_published_timetable_is_said_as_such(tmp_path: Path) -> None:
    """`--out pub` while re-solving from pub/rev-11 was refused as replacing pub/rev-11 (an
    audit): it is the folder holding it that would be replaced."""
    from scheduler.cli.common import BadInput
    from scheduler.cli.output_checks import check_resolve_output

    published = tmp_path / "pub" / "rev-11"
    published.mkdir(parents=True)
    (published / "solution.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        check_resolve_output(tmp_path / "pub", published)
    holder, source = (tmp_path / "pub").resolve(), published.resolve()
    assert f"it would replace {holder}, which holds the published timetable {source}" in str(
        caught.value
    )
    with pytest.raises(BadInput) as caught:
        check_resolve_output(published, published)
    assert f"it would replace the published timetable {source}," in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "args",
    [
        ["solve", str(TINY), "--time-limit"],
        ["solve", str(TINY), "--gap-limit"],
        ["explain", str(TINY), "--time-limit"],
        ["itc2007", "solve", str(TINY), "--time-limit"],
        ["bench", "quick", "--rel-tol"],
        ["generate", "--tightness"],
    ],
    ids=lambda a: " ".join(x for x in a if not x.endswith(".yaml")),
)
def test_a_number_option_refuses_what_is_no_number(
    tmp_path: Path, args: list[str], value: str
) -> None:
    """`itc2007 solve --time-limit nan` ran 2 s and exited 0, `inf` never ended (an audit):
    `nan` passes every range check, comparing false. Every such option refuses both."""
    out = [] if args[0] == "explain" else ["--out", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, [*args, value, *out])
    assert result.exit_code == 2, result.output
    assert f"'{value}' is not a finite number" in result.output


def test_a_read_only_output_folder_is_left_as_it_is(tmp_path: Path) -> None:
    """`chmod -R a-w pub` then `solve --out pub`: the folder was replaced through its
    writable parent, and its old copy stayed beside it as `.pub.new-*` (an audit)."""
    out = tmp_path / "pub"
    args = ["solve", str(TINY), "--out", str(out), "--deterministic", "--time-limit", "5"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = sorted((p.name, p.read_bytes()) for p in out.rglob("*") if p.is_file())
    out.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, args)
        after = sorted((p.name, p.read_bytes()) for p in out.rglob("*") if p.is_file())
    finally:
        out.chmod(0o755)
    assert result.exit_code == 2 and "is read-only" in result.output, result.output
    assert after == before and [p.name for p in tmp_path.iterdir()] == ["pub"]


def test_every_registered_command_is_there_by_its_name() -> None:
    from scheduler.cli import commands

    listing = CliRunner().invoke(cli, ["--help"], terminal_width=80).output
    for name, entry in commands.COMMANDS.items():
        found = commands.command(name)
        assert found is not None and found.name == name
        # one whole sentence on one line of an 80-column list (click cut the docstrings:
        # 'Run SUITE (a name resolved to...')
        assert entry.summary.endswith(".") and "..." not in entry.summary
        assert f"  {name.ljust(8)}  {entry.summary}\n" in listing, listing
    assert commands.command("nosuch") is None


def test_the_help_gives_each_refusal_its_exit_code() -> None:
    """The top-level help said 1 for "no timetable, a check failed" and 2 for "bad input"
    only: a refusal --force overrides exits 1, one no option makes safe exits 2."""
    listing = " ".join(CliRunner().invoke(cli, ["--help"], terminal_width=200).output.split())
    assert "1 the job could not be done (no timetable, a check failed, a refusal --force" in listing
    assert "2 bad input or usage, or a refusal no option makes safe" in listing


def test_every_option_of_every_command_says_what_it_does() -> None:
    """`solve --help` listed --seed and --workers with their defaults alone (a docs audit):
    every option of every command, a group's too, has a help text."""
    from scheduler.cli import commands

    silent = []
    for name in commands.COMMANDS:
        found = commands.command(name)
        assert found is not None
        subs = (
            [
                found.get_command(click.Context(found), n)
                for n in found.list_commands(click.Context(found))
            ]
            if isinstance(found, click.Group)
            else [found]
        )
        silent += [
            f"{name} {sub.name} {'/'.join(o.opts)}"
            for sub in subs
            if sub is not None
            for o in sub.params
            if isinstance(o, click.Option) and not o.hidden and not (o.help or "").strip()
        ]
    assert silent == [], silent


def test_the_list_of_commands_imports_none_of_them() -> None:
    """`scheduler --help` took 1.5-2 s importing every command's module (OR-Tools, pandas,
    openpyxl) for its one-line summaries; it lists the registry's instead."""
    script = (
        "import sys\n"
        "from scheduler.cli import cli\n"
        "from scheduler.cli.common import run_guarded\n"
        "sys.argv = ['scheduler', '--help']\n"
        "code = run_guarded(cli)\n"
        "loaded = [m for m in sys.modules if m.endswith('_cmd') or m in ('ortools', 'pandas')]\n"
        "print(code, loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
    assert "Solve an instance; write the timetable and its exports." in done.stdout


def test_a_check_imports_no_solver(tmp_path: Path) -> None:
    """Each command imports what it needs alone: `scheduler check` took 2.5 s, 1.5 s of it
    importing every other command's OR-Tools, pandas and openpyxl."""
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)]).exit_code == 0
    script = (
        "import sys\n"
        "from scheduler.cli import cli\n"
        "from scheduler.cli.common import run_guarded\n"
        f"sys.argv = ['scheduler', 'check', {str(TINY)!r}, {str(out)!r}]\n"
        "code = run_guarded(cli)\n"
        "print(code, 'ortools' in sys.modules, 'pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split()[-3:] == ["0", "False", "False"], done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["export", "sol", "--out", ""], "--out is empty"),
        (["convert", "", "x.json"], "SOURCE is empty"),
        (["solve", "tiny.yaml", "--out", ""], "--out is empty"),
        (["bench", "quick", "--case", ""], "--case is empty"),
        # a group's commands, and a value typed as a Path ('' read as '.': a review)
        (["itc2007", "solve", ""], "FILE is empty"),
        (["itc2007", "convert", "x.ctt", "--out", ""], "--out is empty"),
    ],
)
def test_an_empty_value_is_refused(tmp_path: Path, args: list[str], said: str) -> None:
    """An audit: `export SOL --out "$DIR"` with DIR unset wrote into the current folder;
    other commands said "'.': is a directory"."""
    with in_temporary_folder(tmp_path):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"{said} (a variable left unset?): give a value" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["export", "report"])
def test_a_file_given_for_a_solution_by_mistake_is_named(tmp_path: Path, command: str) -> None:
    """An audit: `export tiny.yaml` said "tiny.yaml:1: invalid JSON: Expecting value"."""
    result = CliRunner().invoke(cli, [command, str(TINY)])
    assert result.exit_code == 2, result.output
    assert f"{TINY}: an instance file, not a solution: give a solution folder or its " in (
        " ".join(result.output.split())
    )
    table = tmp_path / "timetable.csv"
    table.write_text("session_id,date\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [command, str(table)])
    assert result.exit_code == 2, result.output
    assert "an export (csv), not a solution" in result.output


def test_a_csv_given_to_start_from_is_refused_before_solving(tmp_path: Path) -> None:
    """An audit: `solve --start-from X.csv` said "solving tiny: ..." before refusing it."""
    table = tmp_path / "timetable.csv"
    table.write_text("session_id,date\n", encoding="utf-8")
    args = ["solve", str(TINY), "--out", str(tmp_path / "o"), "--start-from", str(table)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "an export (csv), not a solution" in result.output
    assert "solving tiny" not in result.output


def test_writing_over_a_workbook_open_in_a_spreadsheet_is_warned_of(tmp_path: Path) -> None:
    """An audit: reading a workbook with a lock file beside it warned, writing over it did
    not (the spreadsheet's next save there replaces what was written)."""
    target = tmp_path / "open.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["convert", str(TINY), str(target)]).exit_code == 0
    again = runner.invoke(cli, ["convert", str(TINY), str(target), "--force"])
    assert "warning" not in again.output
    (tmp_path / ".~lock.open.xlsx#").write_text("x", encoding="utf-8")
    warned = runner.invoke(cli, ["convert", str(TINY), str(target), "--force"])
    assert warned.exit_code == 0, warned.output
    assert f"warning: {target} is open in a spreadsheet (.~lock.open.xlsx# beside it)" in (
        " ".join(warned.stderr.split())
    )


def solve_tiny_at_36(monkeypatch: pytest.MonkeyPatch) -> None:
    """`solve` of the tiny instance gives a costlier timetable from now on: UE1-main-01 in
    Mons costs 36, where the optimum is 28."""
    from dataclasses import replace as changed

    from scheduler.cli import solve_cmd

    real = solve_cmd.run_solver

    def worse(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        moved = tuple(
            changed(a, room="M-A") if a.session == "UE1-main-01" else a for a in result.assignments
        )
        return changed(result, assignments=moved, objective=36)

    monkeypatch.setattr(solve_cmd, "run_solver", worse)


def test_a_solve_replacing_a_cheaper_timetable_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit's Ctrl-C at 9 s replaced a published timetable of 1,045 by one of 1,334,
    unsaid, and the better one was lost. A costlier timetable (by the checker, not by the
    record) keeps the one it replaces beside the folder, and says so."""

    out = tmp_path / "pub"
    first = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert first.exit_code == 0 and "warning: this timetable costs" not in first.output
    again = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert again.exit_code == 0 and "warning: this timetable costs" not in again.output
    best = (out / "timetable.csv").read_bytes()
    solve_tiny_at_36(monkeypatch)
    costlier = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert costlier.exit_code == 0, costlier.output
    (kept,) = tmp_path.glob("pub.replaced-*")
    assert f"warning: this timetable costs 36, the one it replaced cost 28: kept in {kept}/" in (
        " ".join(costlier.output.split())
    )
    assert (kept / "timetable.csv").read_bytes() == best
    assert CliRunner().invoke(cli, ["check", str(TINY), str(kept)]).exit_code == 0


def test_workers_given_with_deterministic_are_said_unused(tmp_path: Path) -> None:
    """An audit: `--deterministic --workers 2` ran one worker, unsaid."""
    args = ["solve", str(TINY), "--out", str(tmp_path / "a"), "--deterministic"]
    said = CliRunner().invoke(cli, [*args, "--workers", "2"])
    assert said.exit_code == 0, said.output
    assert "note: --deterministic runs one worker" in said.output
    assert "--workers 2 is not used" in said.output
    quiet = CliRunner().invoke(cli, args)  # the default workers: nothing to say
    assert quiet.exit_code == 0 and "runs one worker" not in quiet.output


def test_a_ctrl_c_after_the_command_returned_changes_no_exit_code() -> None:
    """An audit's Ctrl-C during the interpreter's exit, after a revision was written whole,
    made the exit code 130: once the command returned, the interrupt is ignored."""
    import signal

    import scheduler.cli as entry

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(entry, "run_guarded", lambda command: 0)
            patch.setattr(entry, "guard_stdout", lambda: None)
            with pytest.raises(SystemExit) as done:
                entry.main()
        assert done.value.code == 0
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        # nor SIGTERM (an audit: 143 for a solve written and checked whole)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])


def test_a_ctrl_c_while_the_command_line_loads_is_said_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An audit: a Ctrl-C in the first ~0.1 s (click and pydantic loading) gave a
    KeyboardInterrupt traceback and 130; the entry point loads them under a guard."""
    import sys
    import types

    from scheduler import entry

    class Loading(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "scheduler.cli", Loading("scheduler.cli"))
        with pytest.raises(SystemExit) as done:
            entry.main()
    assert done.value.code == 1
    assert capsys.readouterr().err == "Aborted (Ctrl-C): nothing was written.\n"


def test_an_interrupt_caught_inside_an_extension_s_code_keeps_the_exit_code(
    tmp_path: Path,
) -> None:
    """An audit: a Ctrl-C while an extension ran code through `PyRun_String` (imports) left
    CPython's "unhandled KeyboardInterrupt" flag set, though caught: `python -m scheduler`
    then died by SIGINT (130) instead of exiting 1. Here the flag is set the same way
    as the command runs, in a module run with `-m` (where CPython reads it)."""
    import subprocess
    import sys

    (tmp_path / "tripped.py").write_text(
        "import ctypes\n"
        "import scheduler.cli as entry\n"
        "def interrupted(command):\n"
        "    ctypes.pythonapi.PyRun_SimpleString(b'raise KeyboardInterrupt')\n"
        "    return 1\n"
        "entry.run_guarded = interrupted\n"
        "entry.main()\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "tripped"], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert done.returncode == 1, done.stderr


def test_exporting_csv_or_calendars_loads_no_solver_nor_workbook_library() -> None:
    """`export --format csv` took ~2 s, of which OR-Tools and pandas (for a type hint in the
    Ctrl-C module) and openpyxl with numpy (for the workbook writer) were most (an audit)."""
    script = (
        "import sys\n"
        "import scheduler.cli.export_cmd, scheduler.export\n"
        "heavy = ('ortools', 'pandas', 'openpyxl', 'numpy')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_output_nothing_can_be_written_in_is_refused_first(tmp_path: Path) -> None:
    """An audit: `convert tiny.yaml /proc/t.xlsx` and `template --out /proc/t.xlsx` exited 1
    naming their temporary file (`/proc/.t.xlsx.yitddh_u.tmp`); `solve --out /proc/x`
    failed only once solved (for root, `os.access` allows /proc, where no file can be made).
    Each is refused first (exit 2, as a read-only folder is), naming what was asked for."""
    solved = tmp_path / "sol"
    args = ["solve", str(TINY), "--out", str(solved), "--deterministic"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    runs = [
        (["convert", str(TINY), "/proc/t.xlsx"], "/proc/t.xlsx: "),
        (["template", "--out", "/proc/t.xlsx"], "--out /proc/t.xlsx: "),
        (["solve", str(TINY), "--out", "/proc/x"], "--out /proc/x: "),
        (["export", str(solved), "--out", "/proc/x"], "--out /proc/x: "),
    ]
    for args, named in runs:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        (line,) = result.output.splitlines()  # nothing solved first
        assert line.startswith(f"Error: {named}") and "write in /proc" in line, line
        assert ".tmp" not in line and ".new-" not in line, line


def test_a_failed_write_names_the_file_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails past the checks (the disk full, say) names the file asked for,
    not its temporary."""
    import errno

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".t.yaml.x.tmp"))

    from scheduler.io import atomic

    monkeypatch.setattr(atomic.tempfile, "mkstemp", full)
    target = tmp_path / "t.yaml"
    with pytest.raises(OSError, match="No space left") as caught:
        atomic.write_bytes(target, b"x")
    assert caught.value.filename == str(target)


def test_the_default_off_isolated_sessions_is_noted_where_days_have_several_slots(
    tmp_path: Path,
) -> None:
    """An audit's daytime bachelor (morning and afternoon slots) had students come in for one
    half-day on 43-72 days a year, and nothing said that the rule sparing them is off by
    default. Tiny's evenings (one slot a weekday): nothing said; a Tuesday afternoon added:
    `solve` and `report` say it; the rule weighted by the file: nothing again."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    note = "note: isolated_sessions (a session with no other of the same students"

    def solved(data: dict[str, Any], name: str) -> tuple[str, str]:
        inst = tmp_path / f"{name}.yaml"
        inst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out = tmp_path / name
        run = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--time-limit", "5"])
        assert run.exit_code == 0, run.output
        reported = CliRunner().invoke(cli, ["report", str(out)])
        assert reported.exit_code == 0, reported.output
        return run.output, reported.output

    assert all(note not in said for said in solved(data, "evenings"))
    data["calendar"]["slots"].append(
        {"id": "TUE-PM", "weekday": "tue", "start": "14:00", "end": "17:15"}
    )
    for said in solved(data, "days"):
        assert f"{note} just before or after it that day) is off by default" in said
        assert "this calendar has up to 2 teaching slots a weekday" in said
    data["weights"] = {"isolated_sessions": 2}
    assert all(note not in said for said in solved(data, "weighted"))
