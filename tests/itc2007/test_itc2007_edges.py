"""The ITC-2007 path's and the benchmark gate's edges a mutation audit found untested.

Each test kills a mutant that survived the existing suite (see the audit's REPORT.md); all of
them use tiny hand-made ``.ctt`` texts, so they are fast and need no shared data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import TINY
from tests.test_bench import _record as bench_record

from scheduler.itc2007 import CttFormatError, Lecture, evaluate, format_report, parse_ctt
from scheduler.itc2007.to_instance import ctt_to_instance


def _ctt(
    *,
    days: int = 2,
    periods: int = 2,
    courses: tuple[str, ...] = ("c1 t1 1 1 10",),
    rooms: tuple[str, ...] = ("r1 10",),
    curricula: tuple[str, ...] = (),
    unavailability: tuple[str, ...] = (),
    end: str = "END.",
    courses_heading: str = "COURSES:",
) -> str:
    """A small ``.ctt`` text; line numbers: header 1-7, blank 8, ``COURSES:`` 9, courses from 10."""
    lines = [
        "Name: tiny",
        f"Courses: {len(courses)}",
        f"Rooms: {len(rooms)}",
        f"Days: {days}",
        f"Periods_per_day: {periods}",
        f"Curricula: {len(curricula)}",
        f"Constraints: {len(unavailability)}",
        "",
        courses_heading,
        *courses,
        "",
        "ROOMS:",
        *rooms,
        "",
        "CURRICULA:",
        *curricula,
        "",
        "UNAVAILABILITY_CONSTRAINTS:",
        *unavailability,
        "",
        end,
    ]
    return "\n".join(lines) + "\n"


# --- the .ctt reader -------------------------------------------------------------------------


def test_the_tiny_text_parses() -> None:
    instance = parse_ctt(_ctt(curricula=("q1 1 c1",)), "tiny.ctt")
    assert [c.id for c in instance.courses] == ["c1"]
    assert [q.id for q in instance.curricula] == ["q1"]


def test_a_duplicate_curriculum_names_file_and_line() -> None:
    # lines: CURRICULA: at 15, q1 at 16, the second q1 at 17
    text = _ctt(curricula=("q1 1 c1", "q1 1 c1"))
    with pytest.raises(CttFormatError, match=r"^tiny\.ctt:17: duplicate curriculum 'q1'"):
        parse_ctt(text, "tiny.ctt")


def test_text_after_end_on_its_line_is_refused() -> None:
    text = _ctt(end="END. trailing")
    with pytest.raises(CttFormatError, match=r"^tiny\.ctt:\d+: expected 'END\.', found"):
        parse_ctt(text, "tiny.ctt")


def test_a_section_heading_with_text_after_it_is_refused() -> None:
    text = _ctt(courses_heading="COURSES: extra")
    with pytest.raises(
        CttFormatError, match=r"^tiny\.ctt:9: expected 'COURSES:', found 'COURSES: extra'"
    ):
        parse_ctt(text, "tiny.ctt")


def test_headcounts_of_exactly_the_maximum_are_accepted() -> None:
    most = 10**9  # MAX_HEADCOUNT: "at most", so itself is fine
    instance = parse_ctt(_ctt(courses=(f"c1 t1 1 1 {most}",), rooms=(f"r1 {most}",)))
    assert instance.courses[0].students == most
    assert instance.rooms[0].capacity == most


# --- the scorer -------------------------------------------------------------------------------


def test_a_room_exactly_full_costs_nothing_and_is_not_reported() -> None:
    # 10 students in a 10-seat room: not "too small" (the validator's `capacity < students`)
    instance = parse_ctt(_ctt())
    score = evaluate(instance, [Lecture("c1", "r1", 0, 0)])
    assert (score.room_capacity, score.total_cost, score.violations) == (0, 0, 0)
    assert score.lines == ()
    assert "too small" not in format_report(score)


def test_a_room_one_seat_short_costs_one() -> None:
    instance = parse_ctt(_ctt(courses=("c1 t1 1 1 11",)))
    score = evaluate(instance, [Lecture("c1", "r1", 0, 0)])
    assert score.room_capacity == 1
    assert score.lines == (
        "[S(1)] Room r1 too small for course c1 the period 0 (day 0, timeslot 0)",
    )


@pytest.mark.parametrize(("day", "period"), [(2, 0), (0, 2), (-1, 0)])
def test_evaluate_skips_an_out_of_range_lecture_with_a_warning(day: int, period: int) -> None:
    # `evaluate` is public: lectures built in code, not read from a file, may be out of range
    instance = parse_ctt(_ctt())
    score = evaluate(instance, [Lecture("c1", "r1", day, period), Lecture("c1", "r1", 0, 0)])
    what = "day" if day != 0 else "period"
    value = day if day != 0 else period
    assert score.warnings == (f"WARNING: Nonexisting {what} {value} (entry skipped)",)
    assert (score.lectures, score.total_cost) == (0, 0)


# --- the mapping to the main model ------------------------------------------------------------


def test_a_full_week_of_sixteen_periods_a_day_converts() -> None:
    # the mapping's limits are inclusive: 7 days (one week of dates), 16 one-hour periods
    # from 08:00 (the last ends at midnight)
    instance = ctt_to_instance(parse_ctt(_ctt(days=7, periods=16)))
    slots = instance.calendar.slots
    assert len(slots) == 7 * 16
    assert re.fullmatch(r"SUN-P15", slots[-1].id)


# --- the solver's status ----------------------------------------------------------------------


def test_a_timetable_costing_one_is_feasible_not_optimal() -> None:
    from scheduler.itc2007.solver import solve_ctt

    # one lecture of 11 students, one room of 10 seats: every timetable costs exactly 1
    instance = parse_ctt(_ctt(courses=("c1 t1 1 1 11",)))
    result = solve_ctt(instance, time_limit=0.5, seed=0)
    assert result.cost == 1
    assert result.status == "FEASIBLE"


def test_the_solver_takes_a_week_of_exactly_its_most_periods() -> None:
    from scheduler.errors import InputError
    from scheduler.itc2007.solver import MAX_WEEK_PERIODS, solve_ctt

    assert MAX_WEEK_PERIODS == 1000  # "more than" it is refused: 1000 itself is solved
    result = solve_ctt(parse_ctt(_ctt(days=10, periods=100)), time_limit=0.5)
    assert (result.status, result.cost) == ("OPTIMAL", 0)
    with pytest.raises(InputError, match="1001 periods a week"):
        solve_ctt(parse_ctt(_ctt(days=7, periods=143)), time_limit=0.5)


# --- the benchmark gate -----------------------------------------------------------------------


def _record(**changes: object) -> dict[str, object]:
    """test_bench's record, with the conditions a baseline compares."""
    conditions = {"time_limit": 10.0, "workers": 1, "instance_sha256": "a" * 64}
    return bench_record(**{**conditions, **changes})


def _verdicts(record: dict[str, object], base: dict[str, object]) -> list[tuple[bool, str]]:
    from scheduler.bench import compare, make_baseline

    baseline = make_baseline([base], "unit")
    return [(f.failed, f.message) for f in compare([record], baseline, rel=0.25, abs_=50)]


def test_an_objective_exactly_at_the_allowed_limit_passes() -> None:
    # baseline 400: allowed up to 400 + 0.25 * 400 + 50 = 550 ("up to" includes it)
    assert _verdicts(_record(objective=550, checker_objective=550), _record()) == []
    assert _verdicts(_record(objective=551, checker_objective=551), _record()) == [
        (True, "objective 551 regressed: baseline 400, allowed up to 550")
    ]


def test_a_baseline_equal_to_the_proved_bound_is_not_said_to_be_below_it() -> None:
    # the bound is what every timetable costs at least: a baseline at it is optimal, not wrong
    assert _verdicts(_record(bound=400), _record()) == []
    assert _verdicts(_record(bound=401), _record()) == [
        (
            False,
            "the baseline's objective 400 is below 401, which this run proves every timetable "
            "costs at least: record a new baseline",
        )
    ]


def test_much_better_is_said_only_beyond_the_tolerance() -> None:
    # baseline 400: much better below 400 - 0.25 * 400 - 50 = 250
    assert _verdicts(_record(objective=300, checker_objective=300), _record()) == []
    assert _verdicts(_record(objective=250, checker_objective=250), _record()) == []
    assert _verdicts(_record(objective=249, checker_objective=249), _record()) == [
        (False, "objective 249 much better than baseline 400")
    ]


def test_a_single_hard_violation_fails_the_case() -> None:
    from scheduler.bench import judge_record

    (finding,) = judge_record(_record(violations=1, violated_rules=["room_double_booking"]))
    assert finding.failed
    assert finding.message == "1 hard violations (room_double_booking)"
    assert [f for f in _verdicts(_record(violations=1), _record()) if f[0]]


def test_the_baseline_keeps_the_checker_objective_and_is_judged_by_it() -> None:
    from scheduler.bench import make_baseline

    # at a time limit the solver's objective may exceed the true (checker's) cost
    base = _record(objective=900, checker_objective=420)
    assert make_baseline([base], "unit")["cases"]["c@0"]["checker_objective"] == 420
    # allowed up to 420 + 105 + 50 = 575, not 900 + 225 + 50
    assert _verdicts(_record(objective=600, checker_objective=600), base) == [
        (True, "objective 600 regressed: baseline 420, allowed up to 575")
    ]


def _suite(tmp_path: Path, cases: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\ncases:\n" + cases, encoding="utf-8")
    return path


def test_generator_arguments_at_their_bounds_are_accepted(tmp_path: Path) -> None:
    from scheduler.bench import load_suite

    top = "{programmes: 100, seed: 1, tightness: 0.95, weeks: 52, sites: 3}"
    low = "{programmes: 1, seed: 1, tightness: 0.1, weeks: 8, sites: 1}"
    suite = load_suite(_suite(tmp_path, f"  - {{id: top, generate: {top}}}\n"
                                        f"  - {{id: low, generate: {low}}}\n"))  # fmt: skip
    assert [c.generate["programmes"] for c in suite.cases if c.generate] == [100, 1]


def test_an_itc2007_file_in_capitals_is_named_with_the_convert_command(tmp_path: Path) -> None:
    from scheduler.bench import load_suite
    from scheduler.errors import InputError

    (tmp_path / "COMP01.CTT").write_text(_ctt(), encoding="utf-8")
    path = _suite(tmp_path, "  - {id: c, instance: COMP01.CTT}\n")
    with pytest.raises(
        InputError, match=re.escape("COMP01.CTT is an ITC-2007 file: convert it first")
    ):
        load_suite(path)


def test_every_seed_of_a_case_is_a_spec() -> None:
    from scheduler.bench.suite import Case

    case = Case("c", time_limit=1.0, workers=1, seeds=(3, 1, 2), instance="x.yaml")
    specs = case.specs("s", None)
    assert [s["seed"] for s in specs] == [3, 1, 2]
    assert {s["case"] for s in specs} == {"c"}


def test_the_largest_solver_seed_is_accepted(tmp_path: Path) -> None:
    from scheduler.bench import load_suite
    from scheduler.errors import InputError

    tiny = TINY
    most = 2**31 - 1
    suite = load_suite(_suite(tmp_path, f"  - {{id: t, instance: {tiny}, seeds: [{most}]}}\n"))
    assert suite.cases[0].seeds == (most,)
    path = _suite(tmp_path, f"  - {{id: t, instance: {tiny}, seeds: [{most + 1}]}}\n")
    with pytest.raises(InputError, match=f"seeds: {most + 1} is outside the solver's range"):
        load_suite(path)


def test_a_case_id_of_zero_is_its_name_and_a_boolean_is_refused(tmp_path: Path) -> None:
    """`id: 0` was read as no id: the case took its file's name, and `--case 0` found
    nothing (an audit); `id: false` became the case 'False'."""
    from scheduler.bench import load_suite
    from scheduler.errors import InputError

    suite = load_suite(_suite(tmp_path, f"  - {{id: 0, instance: {TINY}}}\n"))
    assert [c.id for c in suite.cases] == ["0"]
    with pytest.raises(InputError, match="id: expected a name, got False"):
        load_suite(_suite(tmp_path, f"  - {{id: false, instance: {TINY}}}\n"))


def test_the_record_is_the_child_s_last_json_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.bench import runner

    class Child:
        returncode = 0

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def communicate(self, data: str, timeout: float) -> tuple[str, str]:
            return '{"progress": 1}\nsolving...\n{"case": "c", "seed": 0}\n', ""

    monkeypatch.setattr(runner.subprocess, "Popen", Child)
    assert runner.run_spec({"case": "c", "seed": 0, "time_limit": 1}) == {"case": "c", "seed": 0}


def test_a_child_that_failed_after_printing_a_record_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scheduler.bench import judge_record, runner

    class Child:
        returncode = 1

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def communicate(self, data: str, timeout: float) -> tuple[str, str]:
            return '{"case": "c", "seed": 0, "has_timetable": true}\n', "Traceback\nboom\n"

    monkeypatch.setattr(runner.subprocess, "Popen", Child)
    record = runner.run_spec({"case": "c", "seed": 0, "time_limit": 1})
    assert record["error"] == "exit 1: boom"
    assert record["has_timetable"] is False
    assert judge_record(record)[0].failed


def test_the_git_revision_says_dirty_for_a_changed_tracked_file(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from scheduler.bench.runner import git_revision

    if shutil.which("git") is None:
        pytest.skip("no git")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "f.txt").write_text("one\n")
    subprocess.run([*git, "add", "f.txt"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], cwd=tmp_path, check=True)
    clean = git_revision(tmp_path)
    assert clean is not None and re.fullmatch(r"[0-9a-f]{40}", clean)
    (tmp_path / "f.txt").write_text("two\n")
    assert git_revision(tmp_path) == f"{clean}+dirty"


def test_run_case_records_the_checker_s_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import scheduler.check
    from scheduler.bench import judge_record
    from scheduler.bench.case import run_case
    from scheduler.check.report import Violation

    real = scheduler.check.check
    seen = []

    def check(problem: object, assignments: object) -> object:
        report = real(problem, assignments)  # type: ignore[arg-type]
        seen.append(report.objective)
        fake = Violation("teacher_double_booking", ("t",), "a planted violation")
        return dataclasses.replace(report, violations=(*report.violations, fake))

    monkeypatch.setattr(scheduler.check, "check", check)
    tiny = TINY
    spec = {"case": "tiny", "instance": str(tiny), "seed": 0, "workers": 1, "time_limit": 1}
    record = run_case(spec)
    assert record["has_timetable"]
    assert record["checker_objective"] == seen[-1] is not None
    assert (record["violations"], record["violated_rules"]) == (1, ["teacher_double_booking"])
    assert judge_record(record)[0].message == "1 hard violations (teacher_double_booking)"


def test_the_tolerance_is_the_command_line_s_else_the_suite_s_else_the_baseline_s() -> None:
    from scheduler.bench import Suite
    from scheduler.cli.bench_cmd import _tolerances

    suite = Suite("s", Path("s.yaml"), (), tolerance={"rel": 0.1, "abs": 5.0})
    bare = Suite("s", Path("s.yaml"), ())
    base = {"cases": {}, "tolerance": {"rel": 0.5, "abs": 80.0}}
    assert _tolerances(suite, base, None, None) == (0.1, 5.0)
    assert _tolerances(suite, base, 0.0, 1.0) == (0.0, 1.0)
    assert _tolerances(bare, base, None, None) == (0.5, 80.0)
    assert _tolerances(bare, None, None, None) == (0.25, 50.0)


def test_a_baseline_may_be_rewritten_by_the_run_compared_with_it(tmp_path: Path) -> None:
    from scheduler.cli.bench_cmd import _outputs_apart
    from scheduler.cli.common import BadInput

    suite, out, baseline = tmp_path / "s.yaml", tmp_path / "r.jsonl", tmp_path / "b.json"
    suite.write_text("name: s\n")
    baseline.write_text("{}")
    _outputs_apart(suite, out, str(baseline), str(baseline))  # meant: nothing raised
    with pytest.raises(BadInput, match=r"--out .* is --baseline"):
        _outputs_apart(suite, baseline, str(baseline), None)


# --- the command line -------------------------------------------------------------------------


def test_convert_writes_a_yml_instance(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scheduler.cli import cli
    from scheduler.io.instance_io import load_instance

    (tmp_path / "tiny.ctt").write_text(_ctt(), encoding="utf-8")
    out = tmp_path / "tiny.yml"
    result = CliRunner().invoke(
        cli, ["itc2007", "convert", str(tmp_path / "tiny.ctt"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert load_instance(out).name == "tiny"


def test_export_of_a_timetable_missing_a_lecture_exits_1(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from scheduler.cli import cli
    from scheduler.data.sessions import session_id

    ctt = tmp_path / "two.ctt"
    ctt.write_text(_ctt(courses=("c1 t1 2 1 10",)), encoding="utf-8")
    one = {"session": session_id("c1", "main", 1), "date": "2007-01-01", "slot": "MON-P0",
           "room": "r1"}  # fmt: skip
    solution = tmp_path / "solution.json"
    solution.write_text(json.dumps({"status": "FEASIBLE", "assignments": [one]}), "utf-8")
    out = tmp_path / "two.sol"
    result = CliRunner().invoke(
        cli, ["itc2007", "export", str(ctt), str(solution), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "Violations: 1" in result.output
    assert out.read_text() == "c1 r1 0 0\n"


def test_score_prints_the_validator_s_warnings_on_stderr(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scheduler.cli import cli

    ctt, sol = tmp_path / "tiny.ctt", tmp_path / "tiny.sol"
    ctt.write_text(_ctt(), encoding="utf-8")
    sol.write_text("c1 r1 0 0\nc1 r1 0 0\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["itc2007", "score", str(ctt), str(sol)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "WARNING: Repeated entry: c1 r1 0 0 (entry skipped)\n"
    assert "There are 1 warnings!" in result.stdout


def test_a_baseline_case_with_only_a_checker_objective_must_record_its_conditions(
    tmp_path: Path,
) -> None:
    import json

    from scheduler.bench.compare import load_baseline
    from scheduler.errors import InputError

    path = tmp_path / "b.json"
    case = {"objective": None, "checker_objective": 400}
    path.write_text(json.dumps({"cases": {"c@0": case}}), encoding="utf-8")
    with pytest.raises(InputError, match="no instance_sha256, time_limit, workers: the conditions"):
        load_baseline(path)


@pytest.mark.parametrize("key", ["ab", "rel_", "Rel"])
def test_a_misspelt_tolerance_key_is_refused(key: str) -> None:
    from scheduler.bench.suite import tolerance
    from scheduler.errors import InputError

    with pytest.raises(InputError, match=f"tolerance: unknown key '{key}'"):
        tolerance("s.yaml", {key: 3})


def test_an_unavailability_row_with_a_fourth_token_is_refused() -> None:
    # lines: UNAVAILABILITY_CONSTRAINTS: at 17, the row at 18
    text = _ctt(unavailability=("c1 0 0 1",))
    with pytest.raises(
        CttFormatError, match=r"^tiny\.ctt:18: expected '<CourseID> <Day> <Day_Period>'"
    ):
        parse_ctt(text, "tiny.ctt")
