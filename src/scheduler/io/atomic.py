"""Atomic writes: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: writers are not serialised (`swap_lock`)
    fcntl = None  # type: ignore[assignment]


def is_file_temporary(path: Path) -> bool:
    """Whether `path` is the temporary file `write_bytes` writes before its rename (left
    behind by a process killed while writing): `.<name>.<random>.tmp`."""
    return path.is_file() and path.name.startswith(".") and path.name.endswith(".tmp")


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:  # said of the file asked for, not of its temporary (an audit)
        raise OSError(err.errno, err.strerror, str(path)) from err
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


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files `write_bytes` left in `folder` when its process was killed
    mid-write (an audit found `.room-N-G11.ics.<random>.tmp` staying after a second SIGTERM),
    those unchanged for STALE_SECONDS: a file is written within seconds. The files removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        found = [p for p in folder.glob(".*.tmp") if p.is_file()]
    except OSError:
        return removed
    for path in found:
        try:
            if now - path.stat().st_mtime >= STALE_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


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
    new_only: bool = False,
    keep_old: Path | None = None,
    carry_late: Callable[[], Sequence[str]] = lambda: (),
) -> Path:
    """Write a whole output folder beside `folder`, then swap it in; where it was written.

    Readers never see old and new files mixed: until the swap they see the old folder, then
    the new one. `carry` files (calendar SEQUENCE state) are copied into the new folder first,
    and sub-folders matching `keep_dirs` (earlier re-solves) are moved into it, so nothing
    published is lost. When `swap()` says no once `write` is done (its exports failed and
    `folder` holds a complete publication), the new folder is kept beside it instead, as
    `<folder>.unpublished-<time>`, and `folder` is left as it was. Temporary folders of
    earlier runs that were killed are removed first (a published folder caught between its
    two renames is put back). `new_only`: `folder` must not exist (or be empty) when the new
    one is renamed into place, else FileExistsError and nothing is written (another process
    wrote it meanwhile: a revision is never replaced). `keep_old`: where the replaced folder
    goes instead of being removed (a solve that costs more than the timetable it replaces).
    `carry_late()`: paths in `folder` (files or folders) copied into the new one at the
    swap, under its lock, where the new one has nothing of that name: what people put there,
    kept, however late they put it.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    recover_killed_writers(folder, keep_dirs)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-{_writer()}-", dir=folder.parent))
    except OSError as err:  # said of the folder asked for, not of its temporary (an audit)
        raise OSError(err.errno, err.strerror, str(folder)) from err
    try:
        for rel in carry:
            if (folder / rel).is_file():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / rel, tmp / rel)
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        with swap_lock(folder.parent):  # the check and the swap, one writer at a time
            if not swap():
                aside = free_name(folder, f"unpublished-{time.strftime('%Y%m%d-%H%M%S')}")
                os.replace(tmp, aside)
                return aside
            _copy_missing(folder, tmp, carry_late())
            old = _swap_in(tmp, folder, keep_dirs, new_only)
        if old is not None:
            if old.is_symlink():  # a link to the old folder: the link only
                old.unlink()
            elif keep_old is not None:
                os.replace(old, keep_old)
            else:
                shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        _give_back(tmp, folder, keep_dirs)  # the revisions moved in already are not lost
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _copy_missing(source: Path, target: Path, paths: Sequence[str]) -> None:
    """Copy each of `paths` from `source` into `target` where `target` has nothing of that
    name (links as links)."""
    for rel in paths:
        src, dst = source / rel, target / rel
        if dst.exists() or dst.is_symlink() or not (src.exists() or src.is_symlink()):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir() and not src.is_symlink():
            shutil.copytree(src, dst, symlinks=True)
        else:
            shutil.copy2(src, dst, follow_symlinks=False)


def _swap_in(tmp: Path, folder: Path, keep_dirs: str, new_only: bool) -> Path | None:
    """Put the whole new folder `tmp` at `folder` (see `replace_folder`); what is left to
    remove: the old folder, or the temporary holding it (None: nothing)."""
    if new_only:
        _rename_new(tmp, folder)
        return None
    if not folder.exists():
        os.replace(tmp, folder)
        return None
    for sub in sorted(folder.glob(keep_dirs)):
        if sub.is_dir():
            os.replace(sub, tmp / sub.name)
    if _exchange(tmp, folder):  # readers never find the folder missing
        # `tmp` is the old folder now: a revision renamed into it since the move of the
        # revisions goes on
        _give_back(tmp, folder, keep_dirs)
        return tmp
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-{_writer()}-", dir=folder.parent))
    os.replace(folder, old / folder.name)
    os.replace(tmp, folder)
    return old


@contextmanager
def swap_lock(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on folder `parent` (`flock` on the folder itself: no lock file
    is left behind) while a writer checks whether to swap its folder in and does: two solves
    into one folder reaching that check at the same instant each found the other's timetable
    not yet there. Released when the process ends, however it ends. Without `flock` (not a
    POSIX system) or where the folder cannot be opened, no lock."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(parent, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with suppress(OSError):  # a file system without locks: as before, unlocked
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # said, rather than waiting without a word (a review)
                print(f"waiting for another writer of {parent} to finish...", file=sys.stderr)
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # linux/fcntl.h, linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap paths `a` and `b` in one step (Linux's renameat2 with RENAME_EXCHANGE): a web
    server reading `b` finds the old folder or the new one, never none (two renames leave a
    moment without it: an exploratory test saw 404s). False where unsupported (another
    system, an old C library or kernel, a file system without it): the caller renames twice."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _rename_new(tmp: Path, folder: Path) -> None:
    """Rename `tmp` to `folder`, which must not exist or be an empty folder: the rename
    itself refuses a folder with files (no window between a check and the rename)."""
    try:
        os.rename(tmp, folder)
    except OSError as error:
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise FileExistsError(
                errno.EEXIST, "written by another process meanwhile", str(folder)
            ) from None
        raise


def free_name(folder: Path, suffix: str) -> Path:
    """`<folder>.<suffix>`, or with `-2`, `-3`... when taken (two failures in one second)."""
    path, n = folder.with_name(f"{folder.name}.{suffix}"), 1
    while path.exists():
        n += 1
        path = folder.with_name(f"{folder.name}.{suffix}-{n}")
    return path


def _give_back(temporary: Path, folder: Path, keep_dirs: str) -> None:
    """Move the `keep_dirs` sub-folders (revisions) of `temporary` back into `folder`."""
    if not folder.is_dir():
        return
    for sub in sorted(temporary.glob(keep_dirs)):
        if sub.is_dir() and not (folder / sub.name).exists():
            os.replace(sub, folder / sub.name)


# A temporary folder of an ended process of another machine (or of a name that does not say
# its machine) is left alone this long after its last change: a process id names a process
# of one machine only (a folder shared with another host or container could hold a live
# writer's), and a writer changes its folder within seconds.
STALE_SECONDS = 600.0


def _process_space() -> str:
    """Where process ids mean one process, in 8 hex digits: this kernel's boot and this
    process-id namespace (containers of one host, or clones with one host name, each have
    their own: a review), else the host name where /proc has neither."""
    parts = []
    for read in (
        lambda: Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip(),
        lambda: str(os.stat("/proc/self/ns/pid").st_ino),
    ):
        try:
            parts.append(read())
        except (OSError, ValueError):
            continue
    text = "|".join(parts) if len(parts) == 2 else socket.gethostname()
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:8]


# The process-id space of this process, in the names of the temporary folders it writes: a
# folder of a process of the same space that no longer runs is stale at once (one killed by
# a second SIGTERM kept every later solve into its folder waiting 10 minutes: an audit).
SPACE = _process_space()
_TEMPORARY = r"(new|old)-(\d+)(?:\.([0-9a-f]{8}))?-[a-z0-9_]{8}"  # the space: since 2026-12


def _writer() -> str:
    """`<pid>.<space>`: who writes a temporary folder (asked at each write: a fork's pid)."""
    return f"{os.getpid()}.{SPACE}"


def _stale(pid: int, space: str | None, path: Path) -> bool:
    """Whether the temporary folder `path` of process `pid` (of process-id space `space`,
    when its name says) is no longer written: its process ended here, or (another space's:
    a machine or container; or a name without one) the folder has not changed for
    STALE_SECONDS."""
    if running(pid) and space in (None, SPACE):
        return False
    if space == SPACE:
        return True
    try:
        return time.time() - path.stat().st_mtime >= STALE_SECONDS
    except OSError:
        return True


def recover_killed_writers(folder: Path, keep_dirs: str = "rev-*") -> None:
    """Recover from writers of `folder` killed mid-way (an audit found their temporaries
    piling up); run before a folder is replaced, and before `resolve` and `export` read the
    revisions beside a published timetable (a writer killed in its swap had hidden them:
    `resolve` re-solved as if there were none and took their name, an audit):
    `.<name>.old-<pid>.<space>-*` holds the published folder when a kill came between the
    two renames (put back); `.<name>.new-<pid>.<space>-*` may hold revisions moved in
    already (given back); then both go. Only stale folders (`_stale`: of a process here that
    ended, or unchanged for STALE_SECONDS); best effort (another run may be recovering the
    same)."""
    pattern = re.compile(re.escape(f".{folder.name}.") + _TEMPORARY)
    try:
        matched = [(m, p) for p in folder.parent.iterdir() if (m := pattern.fullmatch(p.name))]
    except OSError:
        return
    for found, temporary in sorted(matched, key=lambda pair: pair[0].group(1) == "new"):
        if not _stale(int(found.group(2)), found.group(3), temporary):  # old ones first:
            continue  # the published folder back
        try:
            published = temporary / folder.name
            if found.group(1) == "old" and published.is_dir() and not folder.exists():
                os.replace(published, folder)
            _give_back(temporary, folder, keep_dirs)
            shutil.rmtree(temporary)
        except OSError:
            continue


def _writer_of(path: Path) -> tuple[int, str | None] | None:
    """The process id and machine (when its name says) of the `replace_folder` writer whose
    temporary folder `path` is, else None."""
    found = re.fullmatch(r"\..+\." + _TEMPORARY, path.name)
    return (int(found.group(2)), found.group(3)) if found and path.is_dir() else None


def temporary_writer(path: Path) -> int | None:
    """The process id of the `replace_folder` writer whose temporary folder `path` is (a
    re-solve writes `.rev-<n>.new-<pid>.<space>-*` inside the published folder), else None."""
    writer = _writer_of(path)
    return writer[0] if writer else None


def may_be_writing(path: Path) -> bool:
    """Whether the writer of temporary folder `path` may still be writing, as
    `recover_killed_writers` judges it (`_stale`)."""
    writer = _writer_of(path)
    return writer is not None and not _stale(*writer, path)


def running(pid: int) -> bool:
    """Whether process `pid` runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
