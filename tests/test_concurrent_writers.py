"""Two scheduler processes writing into one published folder: none silently loses the
other's work (an exploratory test found a revision replaced by another, both runs saying
`written to pub/rev-1/`, and a solve that replaced a timetable a re-solve was revising)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli, resolve_cmd, solve_cmd
from scheduler.io import atomic
from scheduler.io.atomic import replace_folder
from tests.conftest import TINY

CHANGES = {"today": "2026-09-16", "changes": []}


@pytest.fixture
def pub(tmp_path: Path) -> Path:
    out = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    return out


def _resolve(tmp_path: Path, pub: Path) -> Any:
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump(CHANGES), encoding="utf-8")
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(changes)]
    return CliRunner().invoke(cli, [*args, "--deterministic"])


def _meanwhile(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, act: Any) -> None:
    """Run `act()` right after `module.name` (the search) returns: another process's write."""
    real = getattr(module, name)

    def searched(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        act()
        return outcome

    monkeypatch.setattr(module, name, searched)


def test_a_new_only_folder_written_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "rev-1"

    def write(tmp: Path) -> None:
        (tmp / "mine.txt").write_text("mine", encoding="utf-8")
        target.mkdir()
        (target / "theirs.txt").write_text("theirs", encoding="utf-8")

    with pytest.raises(FileExistsError):
        replace_folder(target, write, carry=(), new_only=True)
    assert [p.name for p in target.iterdir()] == ["theirs.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["rev-1"]  # no temporary left


def test_two_re_solves_at_once_do_not_replace_each_others_revision(
    tmp_path: Path, pub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def other_resolve_wrote() -> None:
        (pub / "rev-1").mkdir()
        (pub / "rev-1" / "solution.json").write_text("{}", encoding="utf-8")

    _meanwhile(monkeypatch, resolve_cmd, "run_resolve", other_resolve_wrote)
    result = _resolve(tmp_path, pub)
    assert result.exit_code == 1, result.output
    assert "was written by another process while this re-solve ran" in result.output
    assert f"re-solve from {pub / 'rev-1'}" in result.output
    assert (pub / "rev-1" / "solution.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in pub.iterdir() if p.name.startswith(".")) == []


def test_a_re_solve_does_not_write_into_a_timetable_replaced_meanwhile(
    tmp_path: Path, pub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def other_solve_replaced() -> None:
        doc = json.loads((pub / "solution.json").read_text(encoding="utf-8"))
        doc["objective"] += 1
        (pub / "solution.json").write_text(json.dumps(doc), encoding="utf-8")

    _meanwhile(monkeypatch, resolve_cmd, "run_resolve", other_solve_replaced)
    result = _resolve(tmp_path, pub)
    assert result.exit_code == 1, result.output
    assert "the published timetable was replaced while this re-solve ran" in result.output
    assert not (pub / "rev-1").exists()


def test_a_solve_does_not_replace_a_folder_re_solved_meanwhile(
    tmp_path: Path, pub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = (pub / "timetable.csv").read_bytes()

    def other_resolve_wrote() -> None:
        (pub / "rev-1").mkdir()
        (pub / "rev-1" / "solution.json").write_text("{}", encoding="utf-8")

    _meanwhile(monkeypatch, solve_cmd, "run_solver", other_resolve_wrote)
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert result.exit_code == 1, result.output
    assert "was re-solved while this solve ran (rev-1)" in result.output
    assert (pub / "timetable.csv").read_bytes() == published
    (aside,) = tmp_path.glob("pub.unpublished-*")  # the new timetable is not lost
    assert (aside / "timetable.csv").is_file()


@pytest.mark.parametrize("first", [True, False], ids=["over-a-timetable", "into-nothing"])
def test_a_solve_does_not_replace_a_timetable_another_solve_published_meanwhile(
    tmp_path: Path, pub: Path, monkeypatch: pytest.MonkeyPatch, first: bool
) -> None:
    """Two solves into one folder at once: the second replaced the first's timetable, its
    calendars' SEQUENCEs computed from the folder as it was before the first (8 events moved
    without a higher SEQUENCE: an audit). The second is kept beside it instead."""
    target = pub if first else tmp_path / "fresh"
    args = ["solve", str(TINY), "--out", str(target), "--deterministic", "--seed", "3"]

    real, searches = solve_cmd.run_solver, []
    theirs: dict[str, bytes] = {}

    def searched(*positional: Any, **named: Any) -> Any:
        searches.append(1)
        outcome = real(*positional, **named)
        if len(searches) == 1:  # after this solve's search, the other solve (seed 4) publishes
            assert CliRunner().invoke(cli, [*args[:-1], "4"]).exit_code == 0
            theirs.update({p.name: p.read_bytes() for p in target.rglob("*") if p.is_file()})
        return outcome

    monkeypatch.setattr(solve_cmd, "run_solver", searched)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "got another timetable while this solve ran" in result.output
    assert "objective  28" in result.output  # what it found is said (only the error was)
    assert theirs == {p.name: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    (aside,) = tmp_path.glob(f"{target.name}.unpublished-*")  # the new timetable is not lost
    assert (aside / "timetable.csv").is_file()


def test_a_solve_that_found_nothing_meanwhile_does_not_set_a_timetable_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A solve that finds no timetable writes solution.json alone into an empty folder: it
    publishes nothing, and a longer solve into the folder set its timetable aside (a review)."""
    target = tmp_path / "fresh"

    def failed_solve_recorded() -> None:
        target.mkdir()
        (target / "solution.json").write_text('{"status": "UNKNOWN"}', encoding="utf-8")

    _meanwhile(monkeypatch, solve_cmd, "run_solver", failed_solve_recorded)
    args = ["solve", str(TINY), "--out", str(target), "--deterministic"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (target / "timetable.csv").is_file() and not list(tmp_path.glob("*.unpublished-*"))


def _temporary(pub: Path, pid: int, age: float = 0.0, host: str = "") -> Path:
    """A re-solve's temporary folder in `pub`, of process `pid` (of machine `host`: none in
    the names before the host was, this machine's for `atomic.SPACE`)."""
    folder = pub / f".rev-1.new-{pid}{'.' + host if host else ''}-abcd1234"
    folder.mkdir()
    (folder / "solution.json").write_text("{", encoding="utf-8")  # half written
    os.utime(folder, (time.time() - age,) * 2)
    return folder


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_a_killed_re_solves_temporary_does_not_block_a_solve(tmp_path: Path, pub: Path) -> None:
    """It was 'not an output of scheduler solve', refused forever (an exploratory test)."""
    _temporary(pub, _dead_pid(), age=2 * atomic.STALE_SECONDS)
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert not any(p.name.startswith(".rev-1") for p in pub.iterdir())


@pytest.mark.parametrize("host", ["", "other"])
def test_a_recent_temporary_of_another_machine_stops_a_solve(
    tmp_path: Path, pub: Path, host: str
) -> None:
    """A process id says nothing of a writer on another host sharing the folder: a recent
    temporary counts as a live writer's, as io.atomic's clean-up judges it (a review); so
    does one whose name does not say its machine (written before names did)."""
    other = "0" * 8 if atomic.SPACE != "0" * 8 else "1" * 8
    folder = _temporary(pub, _dead_pid(), host=other if host else "")
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert result.exit_code == 1, result.output
    assert "is writing in it" in result.output and folder.is_dir()


def test_a_recent_temporary_of_a_process_here_that_ended_does_not_stop_a_solve(
    tmp_path: Path, pub: Path
) -> None:
    """It made every solve into the folder wait 10 minutes (an audit)."""
    _temporary(pub, _dead_pid(), host=atomic.SPACE)
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert not any(p.name.startswith(".rev-1") for p in pub.iterdir())


def test_a_solve_does_not_replace_a_folder_a_re_solve_started_writing_into(
    tmp_path: Path, pub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check at the start missed a re-solve that started during the solve: its
    temporary folder went with the old folder (a review)."""
    made: list[Path] = []
    _meanwhile(
        monkeypatch, solve_cmd, "run_solver", lambda: made.append(_temporary(pub, os.getpid()))
    )
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert result.exit_code == 1, result.output
    assert "was re-solved while this solve ran" in result.output
    assert made[0].is_dir() and (made[0] / "solution.json").is_file()


def test_a_live_re_solves_temporary_stops_a_solve(tmp_path: Path, pub: Path) -> None:
    before = sorted(p.name for p in pub.iterdir())
    folder = _temporary(pub, os.getpid())
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert result.exit_code == 1, result.output
    assert f"another scheduler process (pid {os.getpid()}) is writing in it" in result.output
    assert folder.is_dir()
    shutil.rmtree(folder)
    assert sorted(p.name for p in pub.iterdir()) == before


def _exchange_works(tmp_path: Path) -> bool:
    """Whether this system and file system swap two folders in one step (renameat2)."""
    a, b = tmp_path / "probe-a", tmp_path / "probe-b"
    a.mkdir()
    b.mkdir()
    try:
        return atomic._exchange(a, b)
    finally:
        a.rmdir()
        b.rmdir()


def test_a_published_folder_is_never_missing_while_it_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two renames (the old folder away, the new one in) left a moment without it: a reader
    polling it saw it vanish (an exploratory test). Now one exchange, revisions kept."""
    if not _exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here: two renames, as before")
    folder = tmp_path / "pub"
    (folder / "rev-1").mkdir(parents=True)
    (folder / "timetable.csv").write_text("old", encoding="utf-8")
    moved_away: list[str] = []
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(src) == folder:
            moved_away.append(str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    replace_folder(folder, lambda tmp: (tmp / "timetable.csv").write_text("new", encoding="utf-8"))
    assert moved_away == []
    assert (folder / "timetable.csv").read_text(encoding="utf-8") == "new"
    assert (folder / "rev-1").is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["pub"]


def test_a_solve_keeps_what_people_put_beside_its_feeds(tmp_path: Path, pub: Path) -> None:
    """A solve into a published folder deleted a web server's `.htaccess`, a README and an
    archive folder in `calendars/`, unsaid (an audit; `export` kept them): they are carried
    into the new folder, byte for byte; a killed writer's temporary is not."""
    feeds = pub / "calendars"
    (feeds / ".htaccess").write_text("Header set Cache-Control max-age=600\n", encoding="utf-8")
    (feeds / "README.txt").write_text("subscribe instructions\n", encoding="utf-8")
    (feeds / "2025-archive").mkdir()
    shutil.copy2(feeds / "all.ics", feeds / "2025-archive" / "all-2025.ics")
    (feeds / ".all.ics.k1l2m3.tmp").write_text("half", encoding="utf-8")
    kept = {
        p.relative_to(pub): p.read_bytes()
        for p in feeds.rglob("*")
        if p.is_file() and "archive" in str(p)
    }
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert (feeds / ".htaccess").read_text(encoding="utf-8").startswith("Header set")
    assert (feeds / "README.txt").read_text(encoding="utf-8") == "subscribe instructions\n"
    assert kept == {
        p.relative_to(pub): p.read_bytes()
        for p in feeds.rglob("*")
        if p.is_file() and "archive" in str(p)
    }
    assert not (feeds / ".all.ics.k1l2m3.tmp").exists()


def test_a_solve_does_not_delete_files_put_in_its_folder_meanwhile(
    tmp_path: Path, pub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file put in the output folder while the solve ran was deleted with the old folder
    (an audit: the check of files that are not outputs ran at the start only); one put in
    `calendars/` meanwhile is carried into the new folder."""
    published = (pub / "timetable.csv").read_bytes()

    def someone_saved() -> None:
        (pub / "minutes-of-meeting.docx").write_text("agenda", encoding="utf-8")
        (pub / "calendars" / "README.txt").write_text("notes", encoding="utf-8")

    _meanwhile(monkeypatch, solve_cmd, "run_solver", someone_saved)
    args = ["solve", str(TINY), "--out", str(pub), "--deterministic", "--seed", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "got files that are not outputs of scheduler solve while this solve ran" in result.output
    assert "minutes-of-meeting.docx" in result.output
    assert (pub / "minutes-of-meeting.docx").read_text(encoding="utf-8") == "agenda"
    assert (pub / "timetable.csv").read_bytes() == published
    (aside,) = tmp_path.glob("pub.unpublished-*")  # the new timetable is not lost
    assert (aside / "timetable.csv").is_file()
    # the README alone, in calendars/, does not stop it: carried over
    (pub / "minutes-of-meeting.docx").unlink()
    monkeypatch.undo()
    _meanwhile(
        monkeypatch,
        solve_cmd,
        "run_solver",
        lambda: (pub / "calendars" / "NOTE.txt").write_text("late", encoding="utf-8"),
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (pub / "calendars" / "NOTE.txt").read_text(encoding="utf-8") == "late"
    assert (pub / "calendars" / "README.txt").read_text(encoding="utf-8") == "notes"
