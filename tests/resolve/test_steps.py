"""The re-solve's two steps (the fewest changes, then the soft cost): limits, Ctrl-C and outputs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.resolve.support import (
    CANCEL_U3,
    MEANS,
    assert_checked,
    ics_events,
    moved_sessions,
    run_resolve,
    timetable_rows,
)


def test_a_revision_s_bound_is_said_to_hold_among_the_least_disruptive(
    tmp_path: Path, published: Any
) -> None:
    """A re-solve minimises its disruption first: its soft-cost bound is not of every timetable
    of its instance (an audit read "OPTIMAL, gap 0.0 %" of a revision costing 1,380 whose
    instance, solved afresh, gave 1,094). The console and `report` say so, and `report` gives
    the disruption; a plain solve's report does not qualify its bound."""
    inst, pub, _ = published
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 0, output
    qualified = "(among the timetables that move least, the past fixed; not every timetable)"
    assert re.search(rf"^bound +\d+ {re.escape(qualified)}$", output, re.M), output
    record = json.loads((rev / "solution.json").read_text(encoding="utf-8"))["revision"]
    assert isinstance(record["disruption"], int) and record["disruption"] > 0
    reported = CliRunner().invoke(cli, ["report", str(rev)])
    assert reported.exit_code == 0, reported.output
    assert qualified in reported.output
    proved = "proved minimal" if record["disruption_proved_minimal"] else "best found"
    assert f"disruption {record['disruption']} points ({proved}" in reported.output
    plain = CliRunner().invoke(cli, ["report", str(pub)])
    assert plain.exit_code == 0 and "bound" in plain.output
    assert qualified not in plain.output and "disruption" not in plain.output


def _count_runs(
    monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None
) -> list[Any]:
    """Count the re-solve's CP-SAT searches (its steps); `then` runs after each."""
    from scheduler.resolve import solve as resolve_module

    real, calls = resolve_module.run, []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        found = real(*args, **kwargs)
        then()
        return found

    monkeypatch.setattr(resolve_module, "run", counted)
    return calls


def test_ctrl_c_in_the_least_disruption_step_skips_the_second(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second step (soft cost) does not start after a Ctrl-C in the first: the least-
    disruption timetable is checked and written, and the command says it was interrupted."""
    import os
    import signal

    inst, pub, before = published
    calls = _count_runs(monkeypatch, then=lambda: os.kill(os.getpid(), signal.SIGINT))
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 0, output
    assert len(calls) == 1
    assert "stopped by Ctrl-C" in output
    assert moved_sessions(before, timetable_rows(rev)) == {"U3-main-01"}
    assert_checked(inst, rev)
    written = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert written["objective"] == _checked_objective(inst, rev)  # its soft cost is known
    # and changes.md, which staff forward, says so too (an audit found it in the console only)
    text = (rev / "changes.md").read_text(encoding="utf-8")
    assert "Note: stopped by Ctrl-C: the best timetable found so far (the search was cut " in text


def _checked_objective(inst: Path, folder: Path) -> int:
    own = folder / "instance.yaml"
    result = CliRunner().invoke(cli, ["check", str(own), str(folder), "--json"])
    assert result.exit_code == 0, result.output
    return int(json.loads(result.output)["objective"])


def test_a_first_step_that_used_the_limit_is_the_result_with_its_soft_cost(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No second step once the first used the time limit (it used to get a second more);
    the least-disruption timetable is written with its soft costs, as the checker counts them."""
    from scheduler.resolve import solve as resolve_module

    inst, pub, before = published
    calls = _count_runs(monkeypatch)
    monkeypatch.setattr(resolve_module, "_left_for_second_step", lambda *args: 0.0)
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 0, output
    assert len(calls) == 1
    assert "took the whole time limit" in output
    assert moved_sessions(before, timetable_rows(rev)) == {"U3-main-01"}
    written = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert written["objective"] is not None
    assert written["objective"] == sum(written["costs"].values())
    assert written["objective"] == _checked_objective(inst, rev)
    # its bound is what the data forces (it used to be null): never above the objective
    assert written["bound"] is not None and 0 <= written["bound"] <= written["objective"]
    assert written["solver"]["version"] and written["solver"]["seed"] == 0  # the run's own
    assert written["solver"]["deterministic"] is True


def test_the_second_steps_budget_is_deterministic_time_in_deterministic_mode() -> None:
    """In deterministic mode what the first step left is counted in CP-SAT's deterministic
    time, not wall seconds, so that a re-solve gives the same timetable on any machine."""
    import time
    from types import SimpleNamespace

    from scheduler.model.solve import SolveOptions
    from scheduler.resolve.solve import _left_for_second_step

    first: Any = SimpleNamespace(response_proto=SimpleNamespace(deterministic_time=3.5))
    long_ago = time.monotonic() - 100.0
    left = _left_for_second_step(SolveOptions(time_limit=10, deterministic=True), first, long_ago)
    assert left == pytest.approx(6.5)
    wall = _left_for_second_step(SolveOptions(time_limit=10), first, time.monotonic() - 4.0)
    assert 0.0 < wall <= 6.0  # wall seconds since `start`, 4 s ago


def test_out_never_replaces_the_published_timetable_or_other_files(
    tmp_path: Path, published: Any
) -> None:
    """`--out` naming the published folder, a folder holding it, or a non-empty folder is
    refused before solving (exit 2), and nothing is touched."""
    inst, pub, _ = published
    notes = pub / "my-notes.txt"
    notes.write_text("mine", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump(CANCEL_U3), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in pub.iterdir() if p.is_file()}
    for out in (pub, pub.parent, other):
        args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes)]
        result = CliRunner().invoke(cli, [*args, "--out", str(out), "--deterministic"])
        assert result.exit_code == 2, result.output
        assert "--out" in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in pub.iterdir() if p.is_file()} == before
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"
    # an empty folder elsewhere is fine, and the console says that a re-solve from the
    # published folder will not see it (an exploratory test's stale SEQUENCE numbers)
    elsewhere = tmp_path / "elsewhere"
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes)]
    result = CliRunner().invoke(cli, [*args, "--out", str(elsewhere), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert (
        f"note: a re-solve from {pub} will not see this revision (written outside its folder): "
        f"re-solve from {elsewhere} to keep its changes"
    ) in " ".join(result.output.split())
    beside = pub / "rev-7"  # where later re-solves look: nothing to say
    result = CliRunner().invoke(cli, [*args, "--out", str(beside), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert "will not see this revision" not in result.output


def test_resolve_prints_what_the_data_forces(tmp_path: Path) -> None:
    from tests.conftest import TINY

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    code, output, _ = run_resolve(tmp_path, TINY, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    # the tiny instance's two option groups each have one session beyond the weekly target,
    # and its Saturdays are opened by its fixed event and by UE4 on its only date
    assert "unavoidable, from the data alone: 28 of 28, whatever the timetable" in output
    assert "students of COHORT (2 student profiles alike): 5 sessions" in output
    assert "could still be saved" not in output  # its bound holds at the least disruption only


def test_a_revision_s_bound_proves_nothing_of_a_timetable_edited_by_hand(tmp_path: Path) -> None:
    """A review: `report` gave a hand-edited timetable its gap against the recorded bound,
    which for a revision holds only at the re-solve's least disruption (the past fixed):
    not said of a revision, only of a plain solve's timetable."""
    from tests.conftest import TINY

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    code, output, rev = run_resolve(tmp_path, TINY, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    for folder in (pub, rev):
        doc = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
        doc.update(objective=doc["objective"] - 8)  # as if written by hand for other costs
        (folder / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    plain = CliRunner().invoke(cli, ["report", str(pub), "--instance", str(TINY)])
    assert "against the bound recorded (28, of this instance)" in plain.output, plain.output
    revised = CliRunner().invoke(cli, ["report", str(rev)])
    assert revised.exit_code == 0, revised.output
    assert "records objective 20" in revised.output
    assert "against the bound recorded" not in revised.output
    assert "could still be saved" not in revised.output


def test_a_failing_export_keeps_the_revision(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scheduler.export

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("disk full")

    inst, pub, _ = published
    monkeypatch.setattr(scheduler.export, "export_all", broken)
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 1, output
    assert (rev / "solution.json").is_file() and (rev / "changes.md").is_file()
    assert "exports (xlsx, html, calendars) failed: ValueError: disk full" in output
    assert not (rev / "calendars").exists()
    # the command it says to run writes what the re-solve would have: U3-main-01 moved
    monkeypatch.undo()
    done = CliRunner().invoke(cli, ["export", str(rev)])
    assert done.exit_code == 0, done.output
    events = ics_events(rev / "calendars" / "all.ics")
    assert events["U3-main-01@roomy.scheduler"]["SEQUENCE"] == "1"
    assert events["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "0"
    assert f"{rev.name}: re-solved for the changes known on 16 September 2026" in (
        rev / "timetable.html"
    ).read_text("utf-8")


def test_a_timetable_published_without_its_calendar_state_still_raises_sequence(
    tmp_path: Path, published: Any
) -> None:
    """Feeds published elsewhere (`export --out web`) leave no calendars/ beside the timetable:
    the re-solve gave its moved sessions SEQUENCE 0, which clients may ignore as no update."""
    import shutil

    inst, pub, before = published
    shutil.rmtree(pub / "calendars")
    day = before["U1-main-03"]["date"]
    change = {"teacher_unavailable": {"teacher": "T1", "date": day}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [change]}
    )
    assert code == 0, output
    events = ics_events(rev / "calendars" / "all.ics")
    assert events["U1-main-03@roomy.scheduler"]["SEQUENCE"] == "1"
    # what the lost feed showed is unknown: every event is an update (harmless if unchanged)
    assert events["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "1"


def test_the_disruption_is_said_with_what_it_counts(tmp_path: Path, published: Any) -> None:
    """An audit read "disruption 36230" with no unit: the console says it is points and what
    scores them; and a review found the figure worded three ways, in the console, `report`
    and `changes.md`: one wording now, with the same figure."""
    inst, pub, _ = published
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 0, output
    said = re.search(
        rf"^disruption (\d+) points \((?:proved minimal after [\d.]+ s|best found, not proved "
        rf"minimal)\): {MEANS}$",
        output,
        re.M,
    )
    assert said, output
    points = said.group(1)
    reported = CliRunner().invoke(cli, ["report", str(rev)])
    assert re.search(
        rf"^disruption {points} points \((proved minimal|best found, not proved minimal)\): "
        rf"{MEANS}$",
        reported.output,
        re.M,
    ), reported.output
    head = (rev / "changes.md").read_text(encoding="utf-8")
    assert re.search(rf"^Disruption {points} points \(.*\): {MEANS}, here \d+\.$", head, re.M)


def test_a_first_step_past_the_limit_builds_no_second_model(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1,423 sessions a 10 s re-solve ran 25 s past its limit after the first step: the
    full model's build, the data's floors and a completion (an audit). Past the limit none of
    them runs: the least-disruption timetable is written, costed by the checker."""
    import time

    from scheduler.resolve import solve as resolve_module

    inst, pub, before = published
    calls = _count_runs(monkeypatch, then=lambda: time.sleep(2.5))  # the step takes the limit
    built: list[int] = []
    monkeypatch.setattr(resolve_module, "_full_model", lambda *a: built.append(1))
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(CANCEL_U3), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--time-limit", "2"]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert len(calls) == 1 and not built
    assert "took the whole time limit" in done.output
    assert "unavoidable, from the data alone: not computed (the time limit passed; " in done.output
    rev = pub / "rev-1"
    assert moved_sessions(before, timetable_rows(rev)) == {"U3-main-01"}
    written = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert written["objective"] == _checked_objective(inst, rev)


def test_a_re_solve_stopped_at_its_limit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-solve stopped at its limit, 53.8 % from its bound, said nothing of it, where a
    solve says "stopped at the time limit" (an audit); one that ended early still says
    nothing."""

    from scheduler.model.solve import SolveOptions
    from scheduler.resolve import solve as resolve_module
    from scheduler.resolve.disruption import DisruptionWeights
    from scheduler.solution import Result, Status

    def steps(seconds: float) -> Callable[..., Any]:
        def two_steps(*args: Any) -> Any:  # its steps took `seconds`, as it records them
            found = Result(status=Status.FEASIBLE, objective=10, bound=4, wall_seconds=seconds)
            return resolve_module.ResolveResult(found, 3, False)

        return two_steps

    monkeypatch.setattr(resolve_module, "_two_steps", steps(0.8))
    options = SolveOptions(time_limit=1)
    nothing: Any = None
    outcome = resolve_module.resolve(nothing, nothing, options, DisruptionWeights())
    assert (
        outcome.result.message
        == "stopped at the time limit (1 s); the bound leaves at most 6 to gain"
    )
    monkeypatch.setattr(resolve_module, "_two_steps", steps(0.0))
    outcome = resolve_module.resolve(nothing, nothing, options, DisruptionWeights())
    assert outcome.result.message == ""
