"""The CLI's writing and re-solve start edges a mutation audit of `cli/solve_write`,
`cli/resolve_write`, `cli/resolve_start`, `cli/resolve_checks`, `cli/output_checks`,
`cli/common`, `io/atomic` and the small commands: each fails with one surviving mutant."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.conftest import SAMPLE, TINY
from tests.resolve.support import published_tiny, roomy, run_resolve
from tests.test_cli import solve_tiny_at_36


def _solve(folder: Path, *extra: str) -> None:
    args = ["solve", str(TINY), "--out", str(folder), "--deterministic", *extra]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output


def test_a_solve_s_calendars_name_the_folder_they_publish_not_its_temporary(
    tmp_path: Path,
) -> None:
    """The calendars a solve writes record the solution.json they publish once the folder is
    swapped in (what `export` and `resolve` compare a timetable with): recording the
    temporary folder it was written in, gone after the swap, made every later guard read
    the calendars as publishing nothing (S15)."""
    from scheduler.export.published import published_from

    pub = tmp_path / "pub"
    _solve(pub)
    source = published_from(pub / "calendars")
    assert source is not None and source.is_file()
    assert source.resolve() == (pub / "solution.json").resolve()


def _published_with_a_clash(tmp_path: Path) -> Path:
    """Tiny solved into `tmp_path/pub`, then its solution.json edited by hand: its second
    session moved onto the first's slot (two sessions of one group at once)."""
    pub = tmp_path / "pub"
    _solve(pub)
    record = json.loads((pub / "solution.json").read_text(encoding="utf-8"))
    first, second = record["assignments"][0], record["assignments"][1]
    second.update(date=first["date"], slot=first["slot"])
    (pub / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    return pub


def test_a_published_timetable_breaking_a_hard_rule_is_not_kept_as_cheaper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a timetable the checker passes counts as one a costlier solve must keep beside
    it: a published one breaking a hard rule (edited by hand) has no cost to compare, and
    was kept as `pub.replaced-*`, "the one it replaced cost N", as if it were usable (S4)."""
    pub = _published_with_a_clash(tmp_path)
    broken = CliRunner().invoke(cli, ["check", str(TINY), str(pub)])
    assert broken.exit_code == 1, broken.output
    solve_tiny_at_36(monkeypatch)
    again = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert again.exit_code == 0, again.output
    assert not list(tmp_path.glob("pub.replaced-*"))
    assert "the one it replaced cost" not in again.output


def _changes(tmp_path: Path) -> Path:
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": []}), encoding="utf-8")
    return path


def test_resolve_refuses_an_out_over_the_published_timetable_before_solving(
    tmp_path: Path,
) -> None:
    """`resolve --out pub --from pub` (or --out a folder with files) is refused first, exit 2,
    naming --out, and the published timetable is left byte for byte (T1, O14)."""
    pub = tmp_path / "pub"
    _solve(pub)
    before = (pub / "solution.json").read_bytes()
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(_changes(tmp_path))]
    over = CliRunner().invoke(cli, [*args, "--out", str(pub), "--deterministic"])
    assert over.exit_code == 2, over.output
    assert f"--out {pub}: it would replace the published timetable" in over.output
    assert (pub / "solution.json").read_bytes() == before
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine", encoding="utf-8")
    taken = CliRunner().invoke(cli, [*args, "--out", str(full), "--deterministic"])
    assert taken.exit_code == 2, taken.output
    assert f"--out {full}: exists and is not an empty folder" in taken.output
    assert [p.name for p in full.iterdir()] == ["notes.txt"]


def test_a_solve_whose_stderr_reader_left_still_writes_its_timetable(tmp_path: Path) -> None:
    """`scheduler solve ... 2>&1 | head -1`: the reader of both streams leaves; progress and
    notes go to stderr, which must drop them as stdout does, not end the solve (G3)."""
    main = [sys.executable, "-c", "from scheduler.cli import main; main()"]
    out = tmp_path / "out"
    read, write = os.pipe()
    os.close(read)
    try:
        # --workers with --deterministic: a note on stderr, the first write meeting the pipe
        args = ["solve", str(TINY), "--deterministic", "--workers", "2", "--out", str(out)]
        done = subprocess.run([*main, *args], stdout=write, stderr=write, check=False)
    finally:
        os.close(write)
    assert done.returncode == 0
    assert (out / "solution.json").is_file() and (out / "timetable.csv").is_file()


def test_a_room_closed_a_year_off_is_refused_as_a_typo(tmp_path: Path) -> None:
    """A known room's closure dated a year outside the calendar is refused (exit 2) as a
    year's typo, as a teacher's absence is: taking the room for an unknown one left it to
    the re-solve, which changed nothing, exit 0 (C1)."""
    inst, pub = published_tiny(tmp_path, roomy(), "roomy")
    closure = {"room_unavailable": {"room": "M1", "date": "2025-09-17"}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": "2026-09-16", "changes": [closure]}
    )
    assert code == 2, output
    assert "changes[0] room_unavailable" in output and "more than six months outside" in output
    assert not rev.exists()


def test_calendar_counts_the_usable_slots_in_school_holidays() -> None:
    """The `school` column counts the usable slots that fall in school holidays, month by
    month and in total, beside the `closed` one (K1, K3)."""
    from scheduler.data.problem import Problem
    from scheduler.io.instance_io import load_instance

    problem = Problem.build(load_instance(SAMPLE))
    school = sum(1 for s in problem.slots if s.school_holiday)
    assert 0 < school < len(problem.slots)  # the test means something only so
    result = CliRunner().invoke(cli, ["calendar", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[-3:] == ["total", "closed", "school"]
    total = next(line for line in lines if line.startswith("total")).split()
    assert int(total[-1]) == school and int(total[-3]) == len(problem.slots)
    months = [line.split() for line in lines if line[:1].isdigit()]  # the month rows
    assert sum(int(m[-1]) for m in months) == school
    assert sum(int(m[-2]) for m in months) == len(problem.closed)


def test_template_refuses_to_write_over_its_own_from_file_even_with_force(
    tmp_path: Path,
) -> None:
    """`template --out x.xlsx --from x.xlsx --force` would replace the manager's filled
    workbook by a blank-styled copy of what it read: refused, exit 2, the file untouched
    (W1)."""
    from scheduler.cli.workbook_cmd import template

    book = tmp_path / "filled.xlsx"
    made = CliRunner().invoke(template, ["--out", str(book), "--from", str(TINY)])
    assert made.exit_code == 0, made.output
    before = book.read_bytes()
    again = CliRunner().invoke(template, ["--out", str(book), "--from", str(book), "--force"])
    assert again.exit_code == 2, again.output
    assert "--out is the --from file" in again.output
    assert book.read_bytes() == before


def test_an_atomic_write_reaches_the_disk_before_its_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is flushed to the disk (fsync) before it is renamed over the old
    one: else a crash just after the rename can leave an empty file where the old timetable
    was, the very loss the temporary-and-rename is for (A1)."""
    from scheduler.io import atomic

    calls: list[str] = []
    real_fsync, real_replace = atomic.os.fsync, atomic.os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        calls.append(f"replace {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    atomic.write_text(tmp_path / "timetable.csv", "kind,session_id\n")
    assert calls == ["fsync", "replace timetable.csv"]
    assert (tmp_path / "timetable.csv").read_text(encoding="utf-8") == "kind,session_id\n"


def test_a_revision_folder_that_cannot_be_written_is_refused_before_solving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A published folder the user may not write in (another's, read-only: here as a user
    without the permission sees it) cannot take the next rev-<n>: refused first, exit 2,
    naming the revision folder, rather than failing once solved (T2)."""
    from scheduler.cli import output_checks

    pub = tmp_path / "pub"
    _solve(pub)
    real = output_checks.os.access

    def access(path: Any, mode: int) -> bool:
        return Path(path).resolve() != pub.resolve() and real(path, mode)

    monkeypatch.setattr(output_checks.os, "access", access)
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(_changes(tmp_path))]
    refused = CliRunner().invoke(cli, [*args, "--deterministic"])
    assert refused.exit_code == 2, refused.output
    assert f"the revision folder of {pub}: no permission to write in {pub.resolve()}" in (
        refused.output
    )
    assert not (pub / "rev-1").exists()


def test_explain_that_could_not_decide_in_time_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    """`explain` whose search hit its limit without deciding says so and exits 1: exit 0
    tells a script that a timetable exists (X2)."""
    from scheduler.cli import explain_cmd
    from scheduler.model.explain import Explanation

    undecided = Explanation(findings=[], core=[], sentences=[], feasible=None)
    monkeypatch.setattr(explain_cmd, "run_explain", lambda *a, **k: undecided)
    result = CliRunner().invoke(cli, ["explain", str(TINY), "--time-limit", "1"])
    assert result.exit_code == 1, result.output
    assert "undecided: the diagnostic solve hit the time limit" in result.output


def test_calendar_lists_the_closed_slots_only_when_asked() -> None:
    """`calendar --closures` lists every closed dated slot with its reason; without it, the
    counts alone (K2)."""
    from scheduler.data.problem import Problem
    from scheduler.io.instance_io import load_instance

    closed = Problem.build(load_instance(TINY)).closed
    assert closed
    lines = [f"  {c.date} {c.slot:<10} {c.reason}" for c in closed]
    asked = CliRunner().invoke(cli, ["calendar", str(TINY), "--closures"])
    assert asked.exit_code == 0, asked.output
    assert all(line in asked.output.splitlines() for line in lines)
    plain = CliRunner().invoke(cli, ["calendar", str(TINY)])
    assert plain.exit_code == 0, plain.output
    assert not any(line in plain.output.splitlines() for line in lines)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".txt"])
def test_generate_refuses_an_out_it_cannot_write_in_that_format(
    tmp_path: Path, suffix: str
) -> None:
    """`generate` writes YAML or JSON only: another suffix is refused, exit 2, nothing
    written (E2)."""
    out = tmp_path / f"synthetic{suffix}"
    result = CliRunner().invoke(cli, ["generate", "--programmes", "1", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "--out must end in .yaml, .yml or .json" in result.output
    assert not out.exists()


def test_a_process_s_peak_is_its_highest_memory_not_its_current() -> None:
    """`peak_kb` reads the process's peak (VmHWM), which memory freed since does not lower:
    its current size (VmRSS) gave a benchmark case's record less than it used (H3)."""
    from scheduler.child_process import peak_kb

    def resident() -> int:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        return int(next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1])

    now = resident()
    block = b"\x01" * (200 * 1024 * 1024)  # written: resident
    del block
    peak = peak_kb()
    assert peak is not None and peak >= now + 150 * 1024


def test_the_largest_child_peak_is_kept_not_the_last(monkeypatch: pytest.MonkeyPatch) -> None:
    """A benchmark's record gives the largest own peak of its children: a later, smaller
    child replaced it (H2)."""
    from scheduler import child_process

    monkeypatch.setattr(child_process, "_children_peak_kb", 0)
    child_process.saw_child_peak(5000)
    child_process.saw_child_peak(None)
    child_process.saw_child_peak(1200)
    assert child_process.children_peak_kb() == 5000


def test_an_out_among_the_revisions_is_refused_behind_the_republished_calendars(
    tmp_path: Path,
) -> None:
    """Once pub's calendars publish its re-solve rev-1, `resolve --from pub --out pub/rev-5`
    is refused as the default rev-<n> is (exit 2): later re-solves take pub/rev-5 for one of
    theirs, and it would leave out rev-1's changes (T3)."""
    inst, pub = published_tiny(tmp_path, roomy(), "roomy")
    code, output, rev = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": []})
    assert code == 0, output
    republished = CliRunner().invoke(cli, ["export", str(rev), "--out", str(pub)])
    assert republished.exit_code == 0, republished.output
    changes = tmp_path / "more.yaml"
    changes.write_text(yaml.safe_dump({"today": "2026-09-17", "changes": []}), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes)]
    refused = CliRunner().invoke(cli, [*args, "--out", str(pub / "rev-5"), "--deterministic"])
    assert refused.exit_code == 2, refused.output
    assert "calendars publish" in refused.output and "a re-solve of it" in refused.output
    assert not (pub / "rev-5").exists()


@pytest.mark.parametrize("first", ["pub", "rev-1"])
def test_changes_applied_to_the_parent_are_new_to_a_revision_that_changed_nothing(
    tmp_path: Path, first: str
) -> None:
    """rev-1 changed nothing (its timetable is pub's, byte for byte); rev-2 applied changes B
    to one of them. B given again from the other is new there, not "applied already": the
    same timetable in another place is another timetable to revise (C3, C4)."""
    inst, pub = published_tiny(tmp_path, roomy(), "roomy")
    code, output, rev1 = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": []})
    assert code == 0, output
    assert (rev1 / "timetable.csv").read_bytes() == (pub / "timetable.csv").read_bytes()
    away = {"teacher_unavailable": {"teacher": "T3", "date": "2026-09-19"}}
    changes = tmp_path / "b.yaml"
    changes.write_text(yaml.safe_dump({"today": "2026-09-17", "changes": [away]}), "utf-8")
    for source in (pub, rev1) if first == "pub" else (rev1, pub):
        args = ["resolve", str(inst), "--from", str(source), "--changes", str(changes)]
        done = CliRunner().invoke(cli, [*args, "--deterministic"])
        assert done.exit_code == 0, done.output
    assert (pub / "rev-3" / "changes.md").is_file()


def test_a_rename_onto_a_file_names_the_file_in_the_way(tmp_path: Path) -> None:
    """A rename's destination is the error's second file name: a folder's swap onto a file
    put there meanwhile is a usage error naming that file (exit 2), not "Not a directory"
    of a temporary folder (M4)."""
    from scheduler.cli.common import BadInput, guard

    blocker = tmp_path / "pub"
    blocker.write_text("someone's file", encoding="utf-8")
    temporary = tmp_path / ".pub.new-1-abcdefgh"
    temporary.mkdir()

    def swap() -> None:
        os.rename(temporary, blocker)

    with pytest.raises(BadInput) as caught:
        guard(swap)
    assert caught.value.exit_code == 2
    assert f"{blocker}: is a file, where the output needs a folder" in str(caught.value)


def test_the_seed_given_is_the_seed_solved_and_recorded(tmp_path: Path) -> None:
    """`--seed` reaches the solver and solution.json records it, so that a deterministic
    solve can be repeated: a seed dropped on the way (every solve seed 0) was unsaid (P4)."""
    out = tmp_path / "out"
    _solve(out, "--seed", "7")
    record = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    assert record["solver"]["seed"] == 7


def test_resolve_warns_on_the_console_of_an_instance_edited_since_publication(
    tmp_path: Path,
) -> None:
    """The instance edited since the published timetable was solved is said on stderr when
    the re-solve starts, not only in changes.md afterwards (T5)."""
    inst, pub = published_tiny(tmp_path, roomy(), "roomy")
    data = roomy()
    data["sites"][0]["rooms"][0]["capacity"] = 40  # a hand edit, not a change
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    said = " ".join(output.split())
    assert f"warning: {inst} has changed since {pub / 'solution.json'} was solved" in said


def test_an_input_error_escaping_a_command_exits_2() -> None:
    """Bad input raised past a command's own guards still exits 2, in one line, as
    SCHEMA.md section 4 says, not 1 as a job that failed (M5)."""
    import click

    from scheduler.cli.common import run_guarded
    from scheduler.errors import InputError

    @click.command()
    def broken() -> None:
        raise InputError("instances/x.yaml: ues[0].id: missing")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", ["scheduler"])
        assert run_guarded(broken) == 2


def test_a_published_timetable_edited_by_hand_is_not_re_solved(tmp_path: Path) -> None:
    """A published solution.json edited by hand so that it breaks a hard rule of its own
    instance is refused (exit 1) before any solving, and no revision is written: the re-solve
    would "repair" it and blame the moves on the changes (T6)."""
    pub = _published_with_a_clash(tmp_path)
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(_changes(tmp_path))]
    refused = CliRunner().invoke(cli, [*args, "--deterministic"])
    assert refused.exit_code == 1, refused.output
    assert "breaks hard rules of its own instance" in " ".join(refused.output.split())
    assert not (pub / "rev-1").exists()


def test_an_output_folder_is_readable_by_others(tmp_path: Path) -> None:
    """The solution folder itself (a temporary folder made 0700, then renamed) gets the
    umask's permissions, as its files do: a web server serving the calendars could not
    enter it (A7)."""
    old = os.umask(0o022)
    try:
        out = tmp_path / "sol"
        _solve(out)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o055 == 0o055
    assert (out / "calendars").stat().st_mode & 0o055 == 0o055


def test_a_re_solve_whose_published_timetable_was_deleted_meanwhile_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The published solution.json gone while the re-solve ran (a solve into its folder,
    mid-swap, or a deletion) is no longer the one revised: nothing written, exit 1 (T7)."""
    from scheduler.cli import resolve_cmd

    pub = tmp_path / "pub"
    _solve(pub)
    real = resolve_cmd.run_resolve

    def searched(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        (pub / "solution.json").unlink()
        return outcome

    monkeypatch.setattr(resolve_cmd, "run_resolve", searched)
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(_changes(tmp_path))]
    result = CliRunner().invoke(cli, [*args, "--deterministic"])
    assert result.exit_code == 1, result.output
    assert "the published timetable was replaced while this re-solve ran" in result.output
    assert not (pub / "rev-1").exists()
