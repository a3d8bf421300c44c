"""The cost report's and the commands' edges a mutation audit found untested: a timetable
the checker refuses is never written, exit codes, `--detail` and `--seed` reaching where they
should, the gap and bound printed, "... and N more" counts, the lines of a rule costing 1
(each test names the mutant it kills)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from scheduler.check import CheckReport, CostTerm
from scheduler.cli import cli, solve_cmd
from scheduler.cli.common import run_guarded
from scheduler.cli.solve_write import replaced_cost
from scheduler.cli.solver_options import solve_options
from scheduler.errors import InputError, SchedulerError
from scheduler.model.solve import SolveOptions
from scheduler.report import cost_lines, recorded_lines, unavoidable_lines
from scheduler.short_lists import first_few
from scheduler.solution import Floor, Result, Status
from tests.conftest import TINY, problem_of


def _report(terms: list[CostTerm]) -> CheckReport:
    costs: dict[str, int] = {}
    for t in terms:
        costs[t.rule] = costs.get(t.rule, 0) + t.cost
    return CheckReport((), tuple(terms), costs, sum(costs.values()))


def _terms(rule: str, count: int, weight: int = 1) -> list[CostTerm]:
    return [
        CostTerm(rule, (f"E{i}",), 1, weight, f"entity E{i} costs") for i in range(1, count + 1)
    ]


def test_a_rule_costing_one_has_its_line() -> None:
    """A rule whose whole cost is 1 is listed, not left out as if at zero."""
    lines = cost_lines(_report(_terms("site_balance", 1)), detail=5)
    assert lines[0] == "cost by rule (total 1):"
    assert lines[1].split()[:2] == ["site_balance", "1"]
    assert "at zero" not in "\n".join(lines)


def test_one_term_more_than_the_detail_is_counted_as_one_more() -> None:
    lines = cost_lines(_report(_terms("teacher_travel", 6)), detail=5)
    assert lines[-1] == "      ... and 1 more"
    exactly = cost_lines(_report(_terms("teacher_travel", 5)), detail=5)
    assert not any("more" in line for line in exactly)


def test_the_most_expensive_terms_are_the_ones_listed() -> None:
    terms = _terms("teacher_travel", 6)
    terms.append(CostTerm("teacher_travel", ("BIG",), 9, 9, "entity BIG costs"))
    lines = cost_lines(_report(terms), detail=1)
    assert lines[2] == "      entity BIG costs: 9"


def test_a_term_at_weight_one_says_its_cost_alone() -> None:
    lines = cost_lines(_report(_terms("teacher_travel", 1)), detail=5)
    assert lines[2] == "      entity E1 costs: 1"
    heavy = cost_lines(_report(_terms("teacher_travel", 2, weight=3)), detail=5)
    assert heavy[1].startswith("  teacher_travel         6  = 2 x weight 3 (")
    assert heavy[2] == "      entity E1 costs: 1 x weight 3 = 3"


def test_a_shared_gap_note_counts_every_audience() -> None:
    pair = ("UE2-main-01", "UE2-main-02")
    terms = [CostTerm("ue_gap", pair, 3, 3, f"APP{i}: gap") for i in (1, 2, 3)]
    lines = cost_lines(_report(terms), detail=5)
    assert lines[-1] == (
        "      (1 gap between the same two sessions, counted once for each audience that "
        "follows them: 3 times in all)"
    )
    two = cost_lines(_report(terms[:2]), detail=5)
    assert "2 times in all" in two[-1]


def test_a_stale_objective_without_a_bound_that_holds_gives_no_gap() -> None:
    """The recorded bound is a gap's only when it holds for this timetable (`bound_holds`):
    a re-solve's, or a timetable breaking a hard rule, gets the plain warning."""
    result = Result(Status.FEASIBLE, objective=20, bound=21)
    report = CheckReport((), (), {"weekly_load": 28}, 28)
    plain = recorded_lines(result, report, edited=False, bound_holds=False)
    assert len(plain) == 1 and "not this cost's" in plain[0] and "its gap is" not in plain[0]
    held = recorded_lines(result, report, edited=False, bound_holds=True)
    assert held[0].endswith("against the bound recorded (21, of this instance) its gap is 25.0 %")


FLOORS = tuple(Floor(("teacher_travel",), 1, f"teacher T{i} away") for i in range(1, 6))


def test_the_data_s_reasons_at_the_detail_are_not_said_to_have_more() -> None:
    lines = unavoidable_lines(FLOORS, 10, None, detail=5)
    assert not any("more" in line for line in lines)
    assert unavoidable_lines(FLOORS, 10, None, detail=4)[-1] == "      ... and 1 more"


def test_first_few_adds_dots_only_when_some_are_left_out() -> None:
    assert first_few(["a", "b"], 2) == "a, b"
    assert first_few(["a", "b", "c"], 2) == "a, b, ..."


def test_folded_profiles_are_not_counted_as_more(tiny_data: dict[str, Any]) -> None:
    """Two weeks' load of the tiny instance's two student profiles alike: two lines said
    (one per week), so "... and 1 more" past the first, not the four profiles' terms."""
    problem = problem_of(tiny_data)
    terms = [
        CostTerm(
            "weekly_load",
            (profile, week),
            1,
            10,
            f"students of {profile}: week {week} has 3 sessions (target ≤ 2)",
        )
        for week in ("2026-W39", "2026-W40")
        for profile in ("COHORT+OPT-A", "COHORT+OPT-B")
    ]
    lines = cost_lines(_report(terms), detail=1, instance=problem.instance)
    assert lines[2] == (
        "      students of COHORT (2 student profiles alike): week 2026-W39 has 3 sessions "
        "(target ≤ 2), 1 x 2 profiles: 2 x weight 10 = 20"
    )
    assert lines[3:] == ["      ... and 1 more"]


def test_profiles_terms_in_other_words_are_not_folded(tiny_data: dict[str, Any]) -> None:
    """Only terms said of their profile ("students of P: ...") fold: others stay as they are."""
    problem = problem_of(tiny_data)
    terms = [
        CostTerm("weekly_load", (profile, "2026-W39"), 1, 10, "week 2026-W39 is full")
        for profile in ("COHORT+OPT-A", "COHORT+OPT-B")
    ]
    lines = cost_lines(_report(terms), detail=5, instance=problem.instance)
    assert lines[2:] == [
        "      week 2026-W39 is full: 1 x weight 10 = 10",
        "      week 2026-W39 is full: 1 x weight 10 = 10",
    ]


def _solved(tmp_path: Path) -> Path:
    """The tiny instance solved into tmp_path/sol."""
    out = tmp_path / "sol"
    flags = ["--out", str(out), "--workers", "1", "--time-limit", "10"]
    solved = CliRunner().invoke(cli, ["solve", str(TINY), *flags])
    assert solved.exit_code == 0, solved.output
    return out


def test_check_counts_a_timetable_csv_that_disagrees_as_broken(tmp_path: Path) -> None:
    """The CSV people read saying another site than solution.json: a violation, exit 1."""
    out = _solved(tmp_path)
    table = out / "timetable.csv"
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    first = next(r for r in rows if r[0] == "session")
    first[rows[0].index("site")] = "ELSEWHERE"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    table.write_text(text.getvalue(), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", str(TINY), str(out), "--json"])
    assert checked.exit_code == 1, checked.output
    found = json.loads(checked.output)
    assert found["feasible"] is False
    assert [v["rule"] for v in found["violations"]] == ["timetable_csv"]
    plain = CliRunner().invoke(cli, ["check", str(TINY), str(out)])
    assert plain.exit_code == 1 and "[timetable_csv]" in plain.output


def _avoided_everywhere(tmp_path: Path, tiny_data: dict[str, Any]) -> Path:
    """The tiny instance, every teacher avoiding every teaching day, solved: eight
    teacher_avoid terms (seven sessions, one of them with two teachers)."""
    for teacher in tiny_data["teachers"]:
        teacher["avoid"] = [{"weekday": day} for day in ("tue", "thu", "sat")]
    inst = tmp_path / "avoided.yaml"
    inst.write_text(yaml.safe_dump(tiny_data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "sol"
    flags = ["--out", str(out), "--workers", "1", "--time-limit", "10"]
    solved = CliRunner().invoke(cli, ["solve", str(inst), *flags])
    assert solved.exit_code == 0, solved.output
    # the solve lists 5 of each rule, and says how to see more
    assert "      ... and 3 more" in solved.output
    assert f"  (`scheduler report {out} --detail N` lists N of each rule)" in solved.output
    return out


def test_report_lists_ten_entities_per_rule_by_default_and_detail_ones_with_it(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    out = _avoided_everywhere(tmp_path, tiny_data)
    plain = CliRunner().invoke(cli, ["report", str(out)])
    assert plain.exit_code == 0, plain.output
    assert re.search(r"^  teacher_avoid +\d+  = 8 ", plain.output, re.M), plain.output
    assert "... and" not in plain.output
    two = CliRunner().invoke(cli, ["report", str(out), "--detail", "2"])
    assert two.exit_code == 0, two.output
    assert "      ... and 6 more" in two.output
    one = CliRunner().invoke(cli, ["report", str(out), "--detail", "1"])
    assert one.exit_code == 0, one.output
    forced = one.output.split("unavoidable, from the data alone")[1]
    assert "      ... and 1 more" in forced  # the data's reasons too, one of each rule


def test_solve_writes_nothing_the_checker_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timetable from the solver that breaks a hard rule (a solver bug) is not written."""
    real = solve_cmd.run_solver

    def dropping_one(problem: Any, options: SolveOptions, **kwargs: Any) -> Result:
        result = real(problem, options, **kwargs)
        return replace(result, assignments=result.assignments[1:])

    monkeypatch.setattr(solve_cmd, "run_solver", dropping_one)
    out = tmp_path / "sol"
    flags = ["--out", str(out), "--workers", "1", "--time-limit", "10"]
    solved = CliRunner().invoke(cli, ["solve", str(TINY), *flags])
    assert solved.exit_code == 1, solved.output
    assert "[placement]" in solved.output and "nothing written" in solved.output
    assert not out.exists()


def test_report_of_an_edited_instance_says_no_bound_of_it(tmp_path: Path) -> None:
    """The recorded bound is the solve's, of the instance then: once its weights changed, the
    report's closing lines say nothing the bound would prove."""
    inst = tmp_path / "tiny.yaml"
    inst.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "sol"
    flags = ["--out", str(out), "--workers", "1", "--time-limit", "10"]
    assert CliRunner().invoke(cli, ["solve", str(inst), *flags]).exit_code == 0
    data = yaml.safe_load(inst.read_text(encoding="utf-8"))
    data["weights"] = {"saturday_opening": 1}
    inst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    reported = CliRunner().invoke(cli, ["report", str(out)])
    assert reported.exit_code == 0, reported.output
    assert "unavoidable, from the data alone: 22 of 22" in reported.output
    assert "the bound (" not in reported.output
    assert "the data forces the whole cost" not in reported.output


def test_the_solver_options_reach_the_search() -> None:
    options = solve_options(12.5, 7, 1, False, False, gap_limit=0.05)
    assert (options.time_limit, options.seed, options.workers) == (12.5, 7, 1)
    assert options.gap_limit == 0.05 and not options.deterministic


def test_a_broken_timetable_in_the_folder_has_no_cost_to_keep(tmp_path: Path) -> None:
    """`solve` keeps beside it a timetable it replaces only if cheaper and unbroken."""
    out = _solved(tmp_path)
    problem = problem_of(yaml.safe_load(TINY.read_text(encoding="utf-8")))
    assert replaced_cost(out, problem) == 28
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    doc["assignments"] = doc["assignments"][1:]
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    assert replaced_cost(out, problem) is None


@pytest.mark.parametrize(("error", "code"), [(InputError, 2), (SchedulerError, 1)])
def test_a_package_error_outside_guard_exits_with_its_code(
    monkeypatch: pytest.MonkeyPatch, error: type[SchedulerError], code: int
) -> None:
    """Bad input is exit 2 and a job that could not be done exit 1, even where a command
    lets the package's error through (SCHEMA.md section 4)."""

    @click.command()
    def failing() -> None:
        raise error("instance.yaml: ues[0].id: missing")

    monkeypatch.setattr("sys.argv", ["scheduler"])
    assert run_guarded(failing) == code


def test_check_json_names_every_entity_of_a_violation(tmp_path: Path) -> None:
    """SCHEMA.md: each violation's `entities`, all of them (a room, both sessions, the day)."""
    out = _solved(tmp_path)
    doc = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    placed = {a["session"]: a for a in doc["assignments"]}
    first = placed["UE1-main-01"]
    placed["UE2-main-01"].update(date=first["date"], slot=first["slot"], room=first["room"])
    (out / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", str(TINY), str(out / "solution.json"), "--json"])
    assert checked.exit_code == 1, checked.output
    rooms = [
        v for v in json.loads(checked.output)["violations"] if v["rule"] == "room_double_booking"
    ]
    assert [v["entities"] for v in rooms] == [
        [first["room"], "UE1-main-01", "UE2-main-01", first["date"]]
    ]


def test_two_saturday_slots_make_half_saturdays_possible(tiny_data: dict[str, Any]) -> None:
    """A Saturday of two slots can be half used, even with no fixed event beside them."""
    from scheduler.report import cannot_apply

    tiny_data["fixed_events"] = []
    assert "half_saturday" not in cannot_apply(problem_of(tiny_data).instance)


def test_check_of_a_csv_that_breaks_a_rule_exits_1(tmp_path: Path) -> None:
    out = _solved(tmp_path)
    table = out / "timetable.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if line.startswith("session,"))
    table.write_text("".join(lines[:dropped] + lines[dropped + 1 :]), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", str(TINY), str(table)])
    assert checked.exit_code == 1, checked.output
    assert "[placement]" in checked.output
    as_json = CliRunner().invoke(cli, ["check", str(TINY), str(table), "--json"])
    assert as_json.exit_code == 1 and json.loads(as_json.output)["feasible"] is False


def test_solve_closes_with_what_its_bound_leaves_to_save(tmp_path: Path) -> None:
    flags = ["--out", str(tmp_path / "sol"), "--workers", "1", "--time-limit", "10"]
    solved = CliRunner().invoke(cli, ["solve", str(TINY), *flags])
    assert solved.exit_code == 0, solved.output
    assert "  the data forces the whole cost: no timetable costs less than 28" in solved.output


def test_a_rule_switched_off_is_said_off_only(tiny_data: dict[str, Any]) -> None:
    """teacher_avoid cannot apply to the tiny instance; switched off, it is said off, once."""
    from scheduler.check import check

    tiny_data["weights"] = {"teacher_avoid": 0}
    problem = problem_of(tiny_data)
    lines = cost_lines(check(problem, []), weights=problem.weights, instance=problem.instance)
    assert "  switched off (weight 0): teacher_avoid" in lines
    assert [line for line in lines if "teacher_avoid" in line] == [
        "  switched off (weight 0): teacher_avoid"
    ]


def test_solve_warns_when_the_solver_s_objective_is_not_the_checker_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = solve_cmd.run_solver

    def miscounting(problem: Any, options: SolveOptions, **kwargs: Any) -> Result:
        result = real(problem, options, **kwargs)
        assert result.objective is not None
        return replace(result, objective=result.objective + 1)

    monkeypatch.setattr(solve_cmd, "run_solver", miscounting)
    flags = ["--out", str(tmp_path / "sol"), "--workers", "1", "--time-limit", "10"]
    solved = CliRunner().invoke(cli, ["solve", str(TINY), *flags])
    assert solved.exit_code == 0, solved.output
    assert "warning: checker objective 28 differs from solver objective 29" in solved.output


def test_no_target_note_when_the_week_has_no_more_slots_than_the_target(
    tiny_data: dict[str, Any],
) -> None:
    from scheduler.report import default_target_lines

    paying = CheckReport((), (), {"weekly_load": 10}, 10)
    assert default_target_lines(problem_of(tiny_data).instance, paying)  # 4 slots a week
    tiny_data["calendar"]["slots"] = tiny_data["calendar"]["slots"][:2]
    tiny_data["calendar"]["closures"] = []
    assert default_target_lines(problem_of(tiny_data).instance, paying) == []
