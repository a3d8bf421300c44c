"""One Ctrl-C latch for a whole solve (`model.interrupt`): it stops the CP-SAT search running,
and the phases after it see it, so that Ctrl-C at any moment ends the solve with the best
timetable so far."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from typing import Any

import pytest
from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.model import interrupt
from scheduler.model import solve as solve_module
from scheduler.model.interrupt import Interrupted
from scheduler.model.solve import SolveOptions, solve
from tests.conftest import problem_of


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def _slow_model() -> cp_model.CpModel:
    """A Golomb ruler of 12 marks: one worker does not prove it within a minute."""
    model = cp_model.CpModel()
    marks = [model.new_int_var(0, 200, f"m{i}") for i in range(12)]
    model.add(marks[0] == 0)
    for a, b in itertools.pairwise(marks):
        model.add(a < b)
    diffs = [b - a for i, a in enumerate(marks) for b in marks[i + 1 :]]
    model.add_all_different(diffs)
    model.minimize(marks[-1])
    return model


def test_ctrl_c_stops_a_search_running_in_the_main_thread() -> None:
    """Python runs its handler only between bytecodes: the watcher stops the search at once."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60.0
    timer = threading.Timer(1.0, _ctrl_c)
    with Interrupted() as interrupted:
        timer.start()
        began = time.monotonic()
        try:
            status = interrupt.solve(solver, _slow_model())
        finally:
            timer.cancel()  # a late SIGINT would end the test session
        seconds = time.monotonic() - began
    assert interrupted.flag
    assert seconds < 10, seconds
    assert status in (cp_model.FEASIBLE, cp_model.UNKNOWN)


def test_nested_latches_are_one_and_the_handlers_are_restored() -> None:
    handler, fd = signal.getsignal(signal.SIGINT), signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(fd)
    with Interrupted() as outer:
        with Interrupted() as inner:
            assert inner is outer
        _ctrl_c()
        time.sleep(0.05)  # the handler runs at the next bytecodes of the main thread
        assert outer.flag
    assert signal.getsignal(signal.SIGINT) is handler
    assert signal.set_wakeup_fd(fd) == fd
    with Interrupted() as fresh:
        assert not fresh.flag


def test_a_search_started_after_ctrl_c_stops_at_once() -> None:
    """CP-SAT drops a stop request made before its solve has begun: the watcher repeats it."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60.0
    with Interrupted() as interrupted:
        _ctrl_c()
        time.sleep(0.05)
        began = time.monotonic()
        interrupt.solve(solver, _slow_model())
        seconds = time.monotonic() - began
    assert interrupted.flag and seconds < 5, seconds


@pytest.mark.parametrize("deterministic", [True, False])
def test_ctrl_c_at_the_end_of_phase_one_skips_phase_two(
    monkeypatch: pytest.MonkeyPatch, tiny_data: dict[str, Any], deterministic: bool
) -> None:
    """Ctrl-C between the phases used to be consumed (or raise KeyboardInterrupt) and phase 2
    then ran its whole budget: now the first timetable is the result, checked."""
    real = solve_module.complete_start  # the end of phase 1: the greedy's timetable completed

    def then_ctrl_c(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        _ctrl_c()
        return found

    def phase_two(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("phase 2 ran after Ctrl-C")

    monkeypatch.setattr(solve_module, "complete_start", then_ctrl_c)
    for name in ("run", "search_then_steps", "neighbourhood_search"):
        monkeypatch.setattr(solve_module, name, phase_two)
    problem = problem_of(tiny_data)
    result = solve(problem, SolveOptions(time_limit=60.0, deterministic=deterministic))
    assert result.interrupted and "Ctrl-C" in result.message
    assert result.status.has_solution
    report = check(problem, result.assignments)
    assert report.violations == () and report.objective == result.objective


def test_outside_the_main_thread_cp_sat_never_installs_its_handler() -> None:
    """Without a latch, a solve in another thread leaves CP-SAT's SIGINT handler off: it
    would replace Python's for the whole process."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 1.0
    model = cp_model.CpModel()
    model.new_bool_var("x")
    worker = threading.Thread(target=interrupt.solve, args=(solver, model))
    worker.start()
    worker.join()
    assert solver.parameters.catch_sigint_signal is False


def test_ctrl_c_while_writing_lets_the_writing_finish(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the search, `solve` checks and writes: a Ctrl-C then raised KeyboardInterrupt
    ('Aborted.', exit 1, nothing written). The command runs under the latch to its end."""
    from click.testing import CliRunner

    from scheduler.cli import cli, solve_write
    from tests.conftest import TINY

    real = solve_write.write_solution

    def ctrl_c_then_write(*args: Any, **kwargs: Any) -> Any:
        _ctrl_c()
        time.sleep(0.05)  # the handler runs at the next bytecodes
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_write, "write_solution", ctrl_c_then_write)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "solution.json").is_file() and (out / "timetable.csv").is_file()
    # said, not silent: a re-solve audit's Ctrl-C to stop a wrong change got it written
    assert "note: Ctrl-C came after the search, while " in result.output
    from scheduler.cli import resolve_write

    monkeypatch.setattr(resolve_write, "write_solution", ctrl_c_then_write)
    changes = tmp_path / "changes.yaml"
    changes.write_text(
        "today: 2026-09-16\nchanges:\n  - teacher_unavailable: {teacher: T1, date: 2026-09-25}\n",
        encoding="utf-8",
    )
    args = ["resolve", str(TINY), "--from", str(out), "--changes", str(changes)]
    revised = CliRunner().invoke(cli, args)
    assert revised.exit_code == 0, revised.output
    assert (out / "rev-1" / "solution.json").is_file()
    assert (
        f"written: the writing was finished first, so that nothing is half-written; delete {out / 'rev-1'}/"
        in (" ".join(revised.output.split()))
    )


def test_ctrl_c_outside_a_solve_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """While starting or loading, before any latch: no traceback, exit 1."""
    import sys

    import click

    from scheduler.cli.common import EXIT_FAILED, run_guarded

    @click.command()
    def starting() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sys, "argv", ["scheduler"])
    assert run_guarded(starting) == EXIT_FAILED
    assert "Aborted (Ctrl-C)" in capsys.readouterr().err


def test_sigterm_stops_a_search_as_ctrl_c_does_and_its_handler_is_restored() -> None:
    """A service manager's or a CI timeout's SIGTERM killed the process, keeping nothing (an
    audit): it now ends the search, and the best timetable is written as after Ctrl-C."""
    term = signal.getsignal(signal.SIGTERM)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60.0
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGTERM))
    with Interrupted() as interrupted:
        timer.start()
        began = time.monotonic()
        try:
            interrupt.solve(solver, _slow_model())
        finally:
            timer.cancel()
        seconds = time.monotonic() - began
        # a second SIGTERM would end the process, as without the latch (a hung solve)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert interrupted.flag and seconds < 10, seconds
    assert interrupted.by == "SIGTERM"  # for messages: not a Ctrl-C
    assert signal.getsignal(signal.SIGTERM) is term


def test_an_unarmed_latch_aborts_until_its_work_begins() -> None:
    """A command's latch (`latched`) is taken before its input is read: until a solve (or its
    writing) begins, a signal aborts it as Python's handler would; then it only sets the flag."""
    with Interrupted(armed=False) as latch:
        with pytest.raises(interrupt.Aborted) as aborted:
            _ctrl_c()
            time.sleep(0.5)  # the handler raises at the next bytecodes of the main thread
        assert aborted.value.by == "Ctrl-C"
        assert not latch.flag
        with Interrupted() as inner:  # a solve inside the command arms its latch
            assert inner is latch
        _ctrl_c()
        time.sleep(0.05)
        assert latch.flag and latch.by == "Ctrl-C"
    with Interrupted(armed=False):
        with pytest.raises(interrupt.Aborted) as aborted:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.5)
        assert aborted.value.by == "SIGTERM"
        interrupt.arm()  # what `export` does before it writes
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        assert interrupt.tripped() and interrupt.stopped_by() == "SIGTERM"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_waiting_for_the_instance_ends_the_command(
    tmp_path: Any, how: signal.Signals
) -> None:
    """`scheduler solve` reading its instance from a pipe nobody writes to: Ctrl-C and
    SIGTERM only set the latch's flag and the command went on waiting (an audit)."""
    import subprocess
    import sys

    pipe = tmp_path / "instance.yaml"
    os.mkfifo(pipe)
    code = "import sys; from scheduler.cli import main; sys.exit(main())"  # as `scheduler`
    process = subprocess.Popen(
        [sys.executable, "-c", code, "solve", str(pipe), "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # imported, and waiting to open the pipe
        assert process.poll() is None
        process.send_signal(how)
        _, err = process.communicate(timeout=10)
    finally:
        process.kill()
    by = "SIGTERM" if how == signal.SIGTERM else "Ctrl-C"
    assert process.returncode == 1, err
    assert f"Aborted ({by}): nothing was written." in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()
