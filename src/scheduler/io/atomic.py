"""Atomic writes: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import shutil
import tempfile
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
) -> None:
    """Write a whole output folder beside `folder`, then swap it in.

    Readers never see old and new files mixed: until the swap they see the old folder, then
    the new one. `carry` files (calendar SEQUENCE state) are copied into the new folder first,
    and sub-folders matching `keep_dirs` (earlier re-solves) are moved into it, so nothing
    published is lost.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    try:
        for rel in carry:
            if (folder / rel).is_file():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / rel, tmp / rel)
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if folder.exists():
            for sub in sorted(folder.glob(keep_dirs)):
                if sub.is_dir():
                    os.replace(sub, tmp / sub.name)
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
