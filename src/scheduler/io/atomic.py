"""Atomic writes: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_bytes(path, text.encode("utf-8"))


def replace_folder(
    folder: Path,
    write: Callable[[Path], None],
    carry: Sequence[str] = ("calendars/sequences.json",),
    keep_dirs: str = "rev-*",
    swap: Callable[[], bool] = lambda: True,
) -> Path:
    """Write a whole output folder beside `folder`, then swap it in; where it was written.

    Readers never see old and new files mixed: until the swap they see the old folder, then
    the new one. `carry` files (calendar SEQUENCE state) are copied into the new folder first,
    and sub-folders matching `keep_dirs` (earlier re-solves) are moved into it, so nothing
    published is lost. When `swap()` says no once `write` is done (its exports failed and
    `folder` holds a complete publication), the new folder is kept beside it instead, as
    `<folder>.unpublished-<time>`, and `folder` is left as it was. Temporary folders of
    earlier runs that were killed are removed first (a published folder caught between its
    two renames is put back).
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    _clean_after_killed_runs(folder)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-{os.getpid()}-", dir=folder.parent))
    try:
        for rel in carry:
            if (folder / rel).is_file():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / rel, tmp / rel)
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if not swap():
            aside = folder.with_name(f"{folder.name}.unpublished-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(tmp, aside)
            return aside
        if folder.exists():
            for sub in sorted(folder.glob(keep_dirs)):
                if sub.is_dir():
                    os.replace(sub, tmp / sub.name)
            old = Path(
                tempfile.mkdtemp(prefix=f".{folder.name}.old-{os.getpid()}-", dir=folder.parent)
            )
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _clean_after_killed_runs(folder: Path) -> None:
    """Remove `.<name>.new-<pid>-*` and `.<name>.old-<pid>-*` folders of processes that no
    longer run (killed while writing: an audit found them piling up), after putting back a
    published folder that a kill caught between its two renames."""
    prefix = f".{folder.name}."
    for temporary in sorted(folder.parent.iterdir()):
        if not temporary.name.startswith(prefix) or not temporary.is_dir():
            continue
        kind, _, rest = temporary.name.removeprefix(prefix).partition("-")
        pid = rest.partition("-")[0]
        if kind not in ("new", "old") or not pid.isdigit() or _running(int(pid)):
            continue
        published = temporary / folder.name
        if kind == "old" and published.is_dir() and not folder.exists():
            os.replace(published, folder)
        shutil.rmtree(temporary, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
