"""Output folders are swapped in whole; a failed publication or a killed run loses nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scheduler.io import atomic
from scheduler.io.atomic import replace_folder
from tests.test_concurrent_writers import _exchange_works


def _write(text: str):  # type: ignore[no-untyped-def]
    return lambda target: (target / "a.txt").write_text(text, encoding="utf-8")


def _published(tmp_path: Path) -> Path:
    """A published folder with two revisions."""
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    for n in (1, 2):
        (folder / f"rev-{n}").mkdir()
        (folder / f"rev-{n}" / "solution.json").write_text("{}", encoding="utf-8")
    return folder


# A writer killed (os._exit) right after the n-th os.replace of its swap: 1 = the first
# revision moved into the new folder, 3 = the published folder moved aside (swapped by two
# renames, as where renameat2 is missing); with "exchange", right after the one exchange.
KILLED_WRITER = """
import os, sys
from pathlib import Path
from scheduler.io import atomic
real, calls = os.replace, [0]
def replace(a, b):
    real(a, b)
    calls[0] += 1
    if calls[0] == int(sys.argv[2]):
        os._exit(9)
atomic.os.replace = replace
swap = atomic._exchange
def exchange(a, b):
    swap(a, b)
    os._exit(9)
atomic._exchange = exchange if sys.argv[3] == "exchange" else lambda a, b: False
atomic.replace_folder(Path(sys.argv[1]), lambda t: (t / "a.txt").write_text("new"))
"""


def _killed_at(folder: Path, step: int, swap: str = "renames") -> None:
    run = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(folder), str(step), swap])
    assert run.returncode == 9
    for temporary in folder.parent.glob(".pub.*"):  # as if killed long ago
        os.utime(temporary, (time.time() - 2 * atomic.STALE_SECONDS,) * 2)


@pytest.mark.parametrize(("step", "swap"), [(1, "renames"), (3, "renames"), (99, "exchange")])
def test_the_next_write_recovers_from_a_writer_killed_mid_swap(
    tmp_path: Path, step: int, swap: str
) -> None:
    """A review found the revisions, moved into the new folder before the swap, deleted with
    it by the next run's clean-up."""
    if swap == "exchange" and not _exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    folder = _published(tmp_path)
    _killed_at(folder, step, swap)
    assert list(folder.parent.glob(".pub.new-*"))  # the crash left its temporaries
    replace_folder(folder, _write("next"))
    assert (folder / "a.txt").read_text(encoding="utf-8") == "next"
    assert sorted(p.name for p in folder.glob("rev-*")) == ["rev-1", "rev-2"]
    assert not list(tmp_path.glob(".pub.*"))


def test_recent_temporaries_and_those_of_other_folders_are_left_alone(tmp_path: Path) -> None:
    """A process id names a process of this machine only: a recent folder of another
    machine may be a live writer's; `pub.old-2025-26`'s own temporaries are not `pub`'s."""
    folder = _published(tmp_path)
    _killed_at(folder, 1)
    killed = next(tmp_path.glob(".pub.new-*"))
    host = "0" * 8 if atomic.SPACE != "0" * 8 else "1" * 8
    recent = killed.rename(killed.with_name(killed.name.replace(f".{atomic.SPACE}-", f".{host}-")))
    os.utime(recent, None)  # changed just now, on another machine
    other = tmp_path / ".pub.old-2025-26.new-1234-abcdefgh"
    other.mkdir()
    os.utime(other, (0, 0))
    replace_folder(folder, _write("next"))
    assert recent.exists() and other.exists()


def test_a_folder_not_to_swap_in_is_kept_beside_the_published_one(tmp_path: Path) -> None:
    folder = tmp_path / "pub"
    assert replace_folder(folder, _write("old")) == folder
    first = replace_folder(folder, _write("new"), swap=lambda: False)
    second = replace_folder(folder, _write("newer"), swap=lambda: False)  # the same second
    assert (folder / "a.txt").read_text(encoding="utf-8") == "old"
    assert first != second and first.name.startswith("pub.unpublished-")
    assert (first / "a.txt").read_text(encoding="utf-8") == "new"
    assert (second / "a.txt").read_text(encoding="utf-8") == "newer"


def test_a_failed_swap_gives_the_revisions_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _published(tmp_path)
    real = os.replace

    def full(a: object, b: object) -> None:
        if Path(str(b)).name == "pub":  # moving the published folder aside fails
            raise OSError(28, "No space left on device")
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "replace", full)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)  # two renames, the 2nd fails
    with pytest.raises(OSError):
        replace_folder(folder, _write("new"))
    monkeypatch.undo()
    assert sorted(p.name for p in folder.glob("rev-*")) == ["rev-1", "rev-2"]
    assert (folder / "a.txt").read_text(encoding="utf-8") == "old"


def test_a_killed_writers_temporary_file_is_removed_once_stale(tmp_path: Path) -> None:
    """A second SIGTERM during an export left `.room-N-G11.ics.<random>.tmp` in calendars/,
    which later exports kept (an audit)."""
    old = tmp_path / ".room-N-G11.ics.awxz9o5x.tmp"
    recent = tmp_path / ".all.ics.k2j4h5g6.tmp"  # perhaps a live writer's
    kept = tmp_path / "all.ics"
    for path in (old, recent, kept):
        path.write_bytes(b"x")
    stale = time.time() - atomic.STALE_SECONDS - 1
    os.utime(old, (stale, stale))
    os.utime(kept, (stale, stale))
    assert atomic.remove_stale_temporaries(tmp_path) == [old]
    assert not old.exists() and recent.exists() and kept.exists()


def test_a_temporary_of_a_process_of_this_machine_that_ended_goes_at_once(
    tmp_path: Path,
) -> None:
    """A solve killed by a second SIGTERM kept later solves into its folder waiting for 10
    minutes, though its process had ended (an audit): its name says which machine wrote it."""
    folder = _published(tmp_path)
    run = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(folder), "1", "renames"])
    assert run.returncode == 9
    (killed,) = tmp_path.glob(".pub.new-*")
    assert f".{atomic.SPACE}-" in killed.name and atomic.may_be_writing(killed) is False
    replace_folder(folder, _write("next"))  # changed just now, yet cleaned
    assert not list(tmp_path.glob(".pub.*"))
    assert sorted(p.name for p in folder.glob("rev-*")) == ["rev-1", "rev-2"]


# A writer whose `swap` check says yes only while the folder holds the timetable it started
# from ("old"), and which reaches its check at the moment given by the shared barrier file:
# without a lock both writers pass the check before either swaps, and both publish.
RACING_WRITER = """
import sys, time
from pathlib import Path
from scheduler.io import atomic
folder, name, go = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
def swap():
    ok = (folder / "a.txt").read_text() == "old"
    time.sleep(0.5)  # the other writer checks meanwhile
    return ok
def write(target):
    (target / "a.txt").write_text(name)
    time.sleep(max(0.0, go - time.time()))
print(atomic.replace_folder(folder, write, swap=swap).name)
"""


@pytest.mark.skipif(atomic.fcntl is None, reason="no flock on this system")
def test_two_writers_checking_at_once_publish_one_after_the_other(tmp_path: Path) -> None:
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    go = str(time.time() + 1.5)  # both reach their check at this instant
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", RACING_WRITER, str(folder), name, go],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    places = sorted(run.communicate(timeout=60)[0].strip() for run in runs)
    assert all(run.returncode == 0 for run in runs)
    # one swapped in, the other found it there and was set aside
    assert places[0] == "pub" and places[1].startswith("pub.unpublished-"), places
    assert (folder / "a.txt").read_text() in ("first", "second")


@pytest.mark.skipif(atomic.fcntl is None, reason="no flock on this system")
def test_the_swap_waits_for_a_writer_holding_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    checked: list[float] = []
    writer = threading.Thread(
        target=replace_folder,
        args=(folder, _write("new")),
        kwargs={"swap": lambda: checked.append(time.monotonic()) or True},
        daemon=True,  # never left waiting for the lock if an assertion fails
    )
    with atomic.swap_lock(tmp_path):
        released = time.monotonic() + 0.6
        writer.start()
        time.sleep(max(0.0, released - time.monotonic()))
        assert not checked and (folder / "a.txt").read_text() == "old"
    writer.join(timeout=30)
    assert checked and checked[0] >= released
    assert (folder / "a.txt").read_text() == "new"
    assert f"waiting for another writer of {tmp_path} to finish" in capsys.readouterr().err
