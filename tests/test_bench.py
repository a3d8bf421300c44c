"""Benchmark suites, records and the baseline comparison that gates CI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scheduler.bench import compare, judge_record, load_suite, make_baseline
from scheduler.bench.case import run_case
from scheduler.bench.compare import load_baseline
from scheduler.cli.bench_cmd import bench
from scheduler.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "case": "c",
        "seed": 0,
        "status": "FEASIBLE",
        "has_timetable": True,
        "objective": 400,
        "checker_objective": 400,
        "violations": 0,
        "violated_rules": [],
    }
    return {**record, **changes}


BASELINE = make_baseline([_record()], "unit")


def _failed(records: list[dict[str, Any]]) -> list[str]:
    return [f.message for f in compare(records, BASELINE, rel=0.25, abs_=50) if f.failed]


def test_an_equal_result_passes() -> None:
    assert _failed([_record()]) == []


def test_a_baseline_below_the_run_s_proved_bound_is_said() -> None:
    """An audit's baseline of tiny at 1 passed silently a run that proved 28 optimal: within
    the absolute tolerance, a small case could never fail on cost. Said, as a much better
    result is; the tolerance still decides."""
    impossible = make_baseline([_record(objective=1, checker_objective=1)], "unit")
    proved = [_record(objective=28, checker_objective=28, bound=28)]
    found = compare(proved, impossible, rel=0.25, abs_=50)
    assert not any(f.failed for f in found)
    assert [f.message for f in found] == [
        "the baseline's objective 1 is below 28, which this run proves every timetable costs "
        "at least: record a new baseline"
    ]
    assert _failed([_record(bound=399)]) == []  # a bound below the baseline's: nothing said
    # a regression is one, whatever the baseline's (a review: the note came first)
    regressed = compare([_record(objective=90, checker_objective=90, bound=20)],
                        make_baseline([_record(objective=10, checker_objective=10)], "unit"),
                        rel=0.25, abs_=50)  # fmt: skip
    assert [f.message for f in regressed if f.failed] == [
        "objective 90 regressed: baseline 10, allowed up to 62.5"
    ]


def test_a_result_within_tolerance_passes() -> None:
    assert _failed([_record(objective=540, checker_objective=540)]) == []  # limit 400*1.25+50


def test_a_worse_objective_fails() -> None:
    (message,) = _failed([_record(objective=700, checker_objective=700)])
    assert "regressed" in message and "550" in message


def test_the_checker_objective_is_compared_when_known() -> None:
    assert _failed([_record(objective=900, checker_objective=420)]) == []


def test_lost_feasibility_fails() -> None:
    (message,) = _failed([_record(status="UNKNOWN", has_timetable=False, objective=None)])
    assert "no timetable" in message


def test_a_hard_violation_fails_even_without_baseline() -> None:
    record = _record(violations=2, violated_rules=["room_double_booking"])
    assert judge_record(record)[0].failed
    (message,) = _failed([record])
    assert "room_double_booking" in message


def test_a_crashed_case_fails() -> None:
    assert _failed([_record(error="exit 1: boom", has_timetable=False)]) == ["error: exit 1: boom"]


def test_a_case_missing_from_the_baseline_is_only_a_note() -> None:
    findings = compare([_record(), _record(case="new")], BASELINE)
    assert findings and not any(f.failed for f in findings)


def test_a_run_the_baseline_has_no_case_of_fails() -> None:
    """A baseline of another suite passed any run: nothing was compared (bench audit)."""
    findings = compare([_record(case="new")], BASELINE)
    assert [f.message for f in findings if f.failed] == [
        "no case of this run is in the baseline: nothing compared"
    ]


def test_the_repository_suites_load() -> None:
    for name in ("quick", "full"):
        suite = load_suite(ROOT / "benchmarks" / f"{name}.yaml")
        assert suite.name == name and all(c.workers == 2 for c in suite.cases)
    baseline = load_baseline(ROOT / "benchmarks" / "baseline.json")  # its checks too
    quick = load_suite(ROOT / "benchmarks" / "quick.yaml")
    assert {f"{c.id}@{s}" for c in quick.cases for s in c.seeds} == set(baseline["cases"])


def test_a_bad_suite_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("cases:\n  - {id: x, instance: nowhere.yaml}\n")
    with pytest.raises(InputError, match="case 'x': instance: no such file"):
        load_suite(path)
    with pytest.raises(InputError, match="no such suite"):
        load_suite(str(tmp_path / "absent"))


def test_run_case_records_every_field() -> None:
    spec = {
        "case": "tiny",
        "instance": str(ROOT / "instances" / "tiny.yaml"),
        "seed": 0,
        "workers": 2,
        "time_limit": 3,
    }
    record = run_case(spec)
    assert record["has_timetable"] and record["violations"] == 0
    for key in (
        "sessions",
        "objective",
        "bound",
        "gap",
        "first_feasible_seconds",
        "wall_seconds",
        "peak_memory_mb",
        "package_version",
        "git_revision",
    ):
        assert key in record


def _tiny_suite(folder: Path) -> Path:
    suite = folder / "mini.yaml"
    tiny = ROOT / "instances" / "tiny.yaml"
    suite.write_text(
        f"name: mini\nworkers: 2\ncases:\n  - {{id: tiny, instance: {tiny}, time_limit: 3}}\n"
    )
    return suite


def test_bench_runs_a_suite_end_to_end_and_gates_on_the_baseline(tmp_path: Path) -> None:
    suite, out, base = _tiny_suite(tmp_path), tmp_path / "r.jsonl", tmp_path / "base.json"
    runner = CliRunner()
    result = runner.invoke(bench, [str(suite), "--out", str(out), "--write-baseline", str(base)])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["case"] == "tiny" and record["has_timetable"] and record["peak_memory_mb"] > 0
    # Same baseline: passes. A baseline claiming a far better objective: the run regresses.
    again = runner.invoke(bench, [str(suite), "--out", str(out), "--baseline", str(base)])
    assert again.exit_code == 0, again.output
    data = json.loads(base.read_text())
    data["cases"]["tiny@0"]["checker_objective"] = -1000
    base.write_text(json.dumps(data))
    again_base = tmp_path / "again.json"
    worse = runner.invoke(
        bench,
        [
            str(suite),
            "--out",
            str(out),
            "--baseline",
            str(base),
            "--write-baseline",
            str(again_base),
        ],
    )
    assert worse.exit_code == 1
    assert "regressed" in worse.output
    assert not again_base.exists()  # a regressed run is no baseline (bench audit)
    # the baseline keeps the tolerance the run was judged by, and it is used again
    data["tolerance"] = {"rel": 0.0, "abs": 10_000}
    base.write_text(json.dumps(data))
    tolerant = runner.invoke(bench, [str(suite), "--out", str(out), "--baseline", str(base)])
    assert tolerant.exit_code == 0, tolerant.output
    data["suite"] = "quick"
    base.write_text(json.dumps(data))
    other = runner.invoke(bench, [str(suite), "--out", str(out), "--baseline", str(base)])
    assert other.exit_code == 2 and "a baseline of suite 'quick', not 'mini'" in other.output


def test_bench_workers_overrides_the_suite_s(tmp_path: Path) -> None:
    """One core for every case, without editing the suite (a docs audit)."""
    suite, out = _tiny_suite(tmp_path), tmp_path / "r.jsonl"
    result = CliRunner().invoke(bench, [str(suite), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["workers"] == 1 and record["has_timetable"]
    refused = CliRunner().invoke(bench, [str(suite), "--workers", "0"])
    assert refused.exit_code == 2
    # against a baseline of the suite's two workers, the case is not comparable (a review:
    # the help said "not compared", as if it passed)
    base = tmp_path / "base.json"
    two = CliRunner().invoke(bench, [str(suite), "--out", str(out), "--write-baseline", str(base)])
    assert two.exit_code == 0, two.output
    one = CliRunner().invoke(
        bench, [str(suite), "--out", str(out), "--baseline", str(base), "--workers", "1"]
    )
    assert one.exit_code == 1
    assert "not comparable with the baseline (workers 1, baseline 2)" in one.output


def test_a_baseline_of_other_conditions_is_not_compared() -> None:
    """CI passed a run at a 2 s limit, 33 % worse than at 30 s, against a baseline of another
    instance version (bench audit): a baseline recorded for another instance, limit or number
    of workers fails the case, asking for a new one; so does a baseline case without an
    objective, which was never compared again."""
    base = make_baseline([_record(instance_sha256="a" * 64, time_limit=30, workers=2)], "unit")
    same = _record(instance_sha256="a" * 64, time_limit=30, workers=2)
    assert [f for f in compare([same], base) if f.failed] == []
    shorter = _record(instance_sha256="b" * 64, time_limit=2, workers=2, objective=1)
    (finding,) = [f for f in compare([shorter], base) if f.failed]
    assert finding.message == (
        "not comparable with the baseline (instance_sha256 bbbbbbbbbbbb, baseline aaaaaaaaaaaa; "
        "time_limit 2, baseline 30): record a new baseline with --write-baseline"
    )
    empty = make_baseline([_record(objective=None, checker_objective=None)], "unit")
    assert [f.message for f in compare([_record()], empty) if f.failed] == [
        "the baseline has no objective for this case: record a new one"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tolerance: {rell: 0.1}\n", "tolerance: unknown key 'rell' (known: rel, abs)"),
        ("tolerance: 0.1\n", "tolerance: expected a mapping"),
        ("tolerance: {rel: abc}\n", "tolerance rel: expected a number, got 'abc'"),
        ("time_limit: .nan\n", "time_limit: expected a finite number >= 0.1, got nan"),
        ("time_limit: -5\n", "time_limit: expected a finite number >= 0.1, got -5"),
        ("workers: 0\n", "workers: expected a finite number >= 1, got 0"),
        ('seeds: "12"\n', "seeds: expected a list of whole numbers, got '12'"),
    ],
)
def test_suite_values_are_checked_on_loading(tmp_path: Path, text: str, message: str) -> None:
    """Each was a traceback after the run, or silently taken (a misspelt tolerance left the
    default in force; seeds "12" ran seeds 1 and 2; a negative limit ran)."""
    path = tmp_path / "s.yaml"
    tiny = ROOT / "instances" / "tiny.yaml"
    path.write_text(text + f"cases:\n  - {{id: t, instance: {tiny}}}\n")
    with pytest.raises(InputError) as caught:
        load_suite(path)
    assert message in str(caught.value)
    path.write_text("cases:\n  - {id: g, generate: {programmes: 1, seed: 1, sed: 1}}\n")
    with pytest.raises(InputError, match="generate: unknown key 'sed' \\(known: programmes, "):
        load_suite(path)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("{id: g, generate: {programmes: 1}}", "generate: needs at least 'programmes' and 'seed'"),
        ("{id: g, generate: {programmes: 1, seed: 1, tightness: 5}}", "tightness: 5 is outside"),
        ("{id: g, generate: {programmes: 0, seed: 1}}", "generate programmes: 0 is outside 1.."),
        ("{id: g, generate: {programmes: 1, seed: 1, weeks: 0}}", "weeks: 0 is outside 8..52"),
        # the generator clamped 9 sites to 3 and drafted 400 weeks for hours (an audit)
        ("{id: g, generate: {programmes: 1, seed: 1, sites: 9}}", "sites: 9 is outside 1..3"),
        ("{id: g, generate: {programmes: 1, seed: 1, weeks: 400}}", "weeks: 400 is outside 8..52"),
        ("{id: g, generate: , time_limit: 3}", "generate: expected a mapping with 'programmes'"),
        ("{id: g, generate: {programs: 1, seed: 1}}", "generate: unknown key 'programs'"),
        ("{id: t, instance: TINY, seeds: [99999999999]}", "seeds: 99999999999 is outside the"),
        ("{id: t, instance: }", "instance: expected a file path, got None"),
        ("{id: t, instance: .}", "is a folder, not an instance file"),
        ("{id: '', instance: TINY}", "id: expected a name, got ''"),
        ("{id: t, instance: TINY, seeds: []}", "seeds: expected at least one seed, each once"),
        ("{id: t, instance: TINY, seeds: [0, 0]}", "seeds: expected at least one seed, each once"),
        ("{id: c, instance: toy.ctt}", "toy.ctt is an ITC-2007 file: convert it first"),
        ("{id: b, instance: broken.yaml}", "case 'b': instance: "),
    ],
)
def test_a_case_that_could_only_crash_is_refused_before_anything_runs(
    tmp_path: Path, case: str, message: str
) -> None:
    """Each ran, crashed in its own process and ended the command with exit 1 (bench audit)."""
    (tmp_path / "toy.ctt").write_text("Name: toy\n")
    (tmp_path / "broken.yaml").write_text("name: broken\ncalendar: {start: 2026-09-01}\n")
    path = tmp_path / "s.yaml"
    path.write_text("cases:\n  - " + case.replace("TINY", str(ROOT / "instances" / "tiny.yaml")))
    with pytest.raises(InputError, match=re.escape(message)):
        load_suite(path)


def test_bench_refuses_an_unknown_case_and_a_malformed_baseline(tmp_path: Path) -> None:
    suite, base = _tiny_suite(tmp_path), tmp_path / "base.json"
    runner = CliRunner()
    unknown = runner.invoke(bench, [str(suite), "--case", "nope"])
    assert unknown.exit_code == 2 and "--case nope: no such case (known: tiny)" in unknown.output
    base.write_text(json.dumps({"cases": {"tiny@0": {"objective": "28"}}}))
    bad = runner.invoke(bench, [str(suite), "--baseline", str(base)])
    assert bad.exit_code == 2, bad.output  # before running anything, not after
    assert "case 'tiny@0': objective: expected a finite number or null" in bad.output


@pytest.mark.parametrize(
    ("case", "message"),
    [
        # NaN compared with nothing (every result passed), -Infinity neither (an audit)
        ({"objective": float("nan")}, "objective: expected a finite number or null"),
        ({"checker_objective": float("-inf")}, "checker_objective: expected a finite number"),
        # without its conditions, a case was compared with any instance and limit
        ({"objective": 28, "workers": 2}, "no instance_sha256, time_limit: the conditions"),
    ],
)
def test_a_baseline_case_that_cannot_judge_is_refused(
    tmp_path: Path, case: dict[str, object], message: str
) -> None:
    suite, base = _tiny_suite(tmp_path), tmp_path / "base.json"
    base.write_text(json.dumps({"cases": {"tiny@0": case}}))
    bad = CliRunner().invoke(bench, [str(suite), "--baseline", str(base)])
    assert bad.exit_code == 2, bad.output
    assert f"case 'tiny@0': {message}" in bad.output


def test_a_failed_run_writes_no_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--write-baseline wrote a run whose case had failed (status ERROR, objective null)."""
    import scheduler.cli.bench_cmd as bench_cmd

    crashed = _record(case="tiny", status="ERROR", has_timetable=False, error="exit 1: boom")
    monkeypatch.setattr(bench_cmd, "_run", lambda *a: a[-1].append(crashed))
    suite, base = _tiny_suite(tmp_path), tmp_path / "base.json"
    result = CliRunner().invoke(
        bench, [str(suite), "--out", str(tmp_path / "r.jsonl"), "--write-baseline", str(base)]
    )
    assert result.exit_code == 1 and "baseline not written" in result.output
    assert not base.exists()


def test_the_git_revision_is_the_code_s_not_the_current_folder_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.bench.runner import git_revision

    here = git_revision(ROOT)
    monkeypatch.chdir(tmp_path)  # no repository here: it recorded null
    assert git_revision() == here


def test_a_suite_file_that_is_not_yaml_is_said_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("cases:\n  - {id: t, instance: x.yaml\n")
    with pytest.raises(InputError) as caught:
        load_suite(path)
    assert (
        str(caught.value) == f"{path}:3: invalid YAML: expected ',' or '}}', but got '<stream end>'"
    )


def test_a_huge_time_limit_runs_instead_of_overflowing_the_clock(tmp_path: Path) -> None:
    """A suite's 1e300 s passed its check, then the child's timeout (3 x the limit) overflowed
    with a traceback and no record (an audit); tiny is proved optimal at once anyway."""
    suite = tmp_path / "huge.yaml"
    tiny = ROOT / "instances" / "tiny.yaml"
    suite.write_text(
        f"name: huge\ncases:\n  - {{id: tiny, instance: {tiny}, time_limit: 1.0e+300}}\n"
    )
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(bench, [str(suite), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["status"] == "OPTIMAL" and record["objective"] == 28


@pytest.mark.parametrize(
    ("text", "message"),
    [  # an audit: the last of two keys won, and 010 ran seed 8, both without a word
        ("time_limit: 300\ntime_limit: 3\n", "duplicate key 'time_limit'"),
        ("seeds: [010]\n", "seeds: expected a list of whole numbers, got ['010']"),
        ("name: ../../evil\n", "name: '../../evil' is not a name for a records file"),
    ],
)
def test_a_suite_is_read_as_strictly_as_an_instance(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text + f"cases:\n  - {{id: t, instance: {ROOT / 'instances' / 'tiny.yaml'}}}\n")
    with pytest.raises(InputError, match=re.escape(message)):
        load_suite(path)
    path.write_bytes(b"name: caf\xe9\ncases: []\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_suite(path)


@pytest.mark.parametrize(
    "tolerance", [{"rel": float("nan")}, {"abs": float("inf")}, {"abs": -1000}, {"rel": "big"}]
)
def test_a_baseline_s_own_tolerance_is_checked(tmp_path: Path, tolerance: dict[str, Any]) -> None:
    """An audit: NaN or Infinity in the baseline's tolerance passed any regression, a negative
    one failed an equal result, a text was ignored."""
    suite, base = _tiny_suite(tmp_path), tmp_path / "base.json"
    document = make_baseline([_record(case="tiny")], "mini")
    document["tolerance"] = tolerance
    base.write_text(json.dumps(document))
    bad = CliRunner().invoke(bench, [str(suite), "--baseline", str(base)])
    assert bad.exit_code == 2, bad.output
    assert f"{base}: tolerance" in bad.output


def test_outputs_that_would_overwrite_an_input_are_refused_before_running(
    tmp_path: Path,
) -> None:
    """An audit: records appended to the baseline compared with, a baseline written over the
    suite file, an unwritable --write-baseline found after the whole suite had run."""
    suite, base = _tiny_suite(tmp_path), tmp_path / "base.json"
    conditions = {"instance_sha256": "a" * 64, "time_limit": 3, "workers": 2}
    base.write_text(json.dumps(make_baseline([_record(case="tiny", **conditions)], "mini")))
    before = base.read_bytes(), suite.read_bytes()
    runner = CliRunner()
    for args, said in (
        (["--out", str(base), "--baseline", str(base)], f"--out {base} is --baseline"),
        (["--out", str(tmp_path / "r.jsonl"), "--write-baseline", str(suite)], "is the suite file"),
        (["--out", str(suite)], f"--out {suite} is the suite file"),
        (["--write-baseline", str(suite / "x.json")], "is a file, not a folder"),
    ):
        result = runner.invoke(bench, [str(suite), *args])
        assert result.exit_code == 2, result.output
        assert said in result.output
    assert (base.read_bytes(), suite.read_bytes()) == before
    assert not (tmp_path / "r.jsonl").exists()  # nothing ran


def test_a_baseline_written_for_some_cases_keeps_the_others(tmp_path: Path) -> None:
    """An audit: `--case a --write-baseline` over a baseline of cases a and b dropped b, which
    no later run compared again."""
    tiny = ROOT / "instances" / "tiny.yaml"
    suite, base = tmp_path / "two.yaml", tmp_path / "base.json"
    suite.write_text(
        f"name: two\ntime_limit: 3\ncases:\n  - {{id: a, instance: {tiny}}}\n"
        f"  - {{id: b, instance: {tiny}, seeds: [1]}}\n"
    )
    conditions = {"instance_sha256": "a" * 64, "time_limit": 3, "workers": 2}
    records = [_record(case="a", **conditions), _record(case="b", seed=1, **conditions)]
    document = make_baseline(records, "two")
    document["cases"]["b@1"]["objective"] = 27
    document["git_revision"] = "0ld" * 8  # an older file without each case's origin
    for case in document["cases"].values():
        del case["git_revision"], case["recorded_at"]
    base.write_text(json.dumps(document))
    out = tmp_path / "r.jsonl"
    args = [str(suite), "--case", "a", "--out", str(out), "--write-baseline", str(base)]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    cases = json.loads(base.read_text())["cases"]
    assert sorted(cases) == ["a@0", "b@1"] and cases["b@1"]["objective"] == 27
    assert cases["a@0"]["objective"] == 28  # this run's
    # each case says which run it comes from (an audit found b stamped with this run's)
    assert cases["b@1"]["git_revision"] == "0ld" * 8
    written = json.loads(base.read_text())
    assert cases["a@0"]["git_revision"] == written["git_revision"] != "0ld" * 8
    base.write_text("not a baseline")  # said before anything runs, not after (a review)
    recorded = out.read_bytes()
    refused = CliRunner().invoke(bench, args)
    assert refused.exit_code == 2 and f"--write-baseline {base}: not a baseline" in refused.output
    assert out.read_bytes() == recorded


def test_a_record_goes_on_a_line_of_its_own_after_a_cut_one(tmp_path: Path) -> None:
    """An audit: a file whose last line a killed writer had cut got the next record glued to
    it; a full disk left a cut record (the append is now cut back on failure)."""
    from scheduler.bench.runner import append_line

    out = tmp_path / "r.jsonl"
    out.write_text('{"suite": "two", "sta')
    append_line(out, json.dumps({"case": "a"}))
    assert out.read_text().splitlines()[1:] == ['{"case": "a"}']
    append_line(out, json.dumps({"case": "b"}))
    assert out.read_text().endswith('{"case": "a"}\n{"case": "b"}\n')


def test_a_record_that_cannot_be_written_whole_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    """A review: the cut-back on a full disk did not work (a buffered file wrote the rest
    again on closing): a file-size limit, in a child process, stands for the full disk."""
    import subprocess
    import sys

    out = tmp_path / "r.jsonl"
    out.write_bytes(b'{"case": "x"}\n' * 10)
    code = f"""
import json, resource, signal
from pathlib import Path
from scheduler.bench.runner import append_line
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200, resource.RLIM_INFINITY))
try:
    append_line(Path({str(out)!r}), json.dumps({{"case": "a" * 100}}))
except OSError as err:
    print(err)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "the record could not be appended" in done.stdout, done.stdout + done.stderr
    assert out.read_bytes() == b'{"case": "x"}\n' * 10
