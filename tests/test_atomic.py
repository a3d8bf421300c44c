"""Output folders are swapped in whole; a failed publication or a killed run loses nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scheduler.io.atomic import replace_folder


def _dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _write(text: str):  # type: ignore[no-untyped-def]
    return lambda target: (target / "a.txt").write_text(text, encoding="utf-8")


def test_a_folder_not_to_swap_in_is_kept_beside_the_published_one(tmp_path: Path) -> None:
    folder = tmp_path / "pub"
    assert replace_folder(folder, _write("old")) == folder
    aside = replace_folder(folder, _write("new"), swap=lambda: False)
    assert (folder / "a.txt").read_text(encoding="utf-8") == "old"
    assert aside.parent == tmp_path and aside.name.startswith("pub.unpublished-")
    assert (aside / "a.txt").read_text(encoding="utf-8") == "new"


def test_temporary_folders_of_killed_runs_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    dead = _dead_pid()
    stale = tmp_path / f".pub.new-{dead}-abc"
    (stale / "calendars").mkdir(parents=True)
    alive = tmp_path / ".pub.new-1-abc"  # pid 1 runs: another solve's, still writing
    alive.mkdir()
    others = tmp_path / ".pubx.new-99-abc"  # another folder's
    others.mkdir()
    replace_folder(folder, _write("new"))
    assert not stale.exists() and alive.exists() and others.exists()
    assert (folder / "a.txt").read_text(encoding="utf-8") == "new"


def test_a_published_folder_caught_between_its_renames_is_put_back(tmp_path: Path) -> None:
    """Killed after the published folder moved aside and before the new one moved in: the
    next run finds the published folder in `.pub.old-<pid>-*` and puts it back first."""
    old = tmp_path / f".pub.old-{_dead_pid()}-xyz" / "pub"
    old.mkdir(parents=True)
    (old / "rev-1").mkdir()
    (old / "a.txt").write_text("published", encoding="utf-8")
    folder = tmp_path / "pub"
    replace_folder(folder, _write("new"))
    assert (folder / "a.txt").read_text(encoding="utf-8") == "new"
    assert (folder / "rev-1").is_dir()  # the revisions came back, and moved into the new one
    assert not old.parent.exists()
