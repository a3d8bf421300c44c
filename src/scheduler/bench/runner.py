"""Running a suite: each case in a child process (`python -m scheduler.bench.case`)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from scheduler.bench.suite import Suite
from scheduler.child_process import child_environment


def git_revision(cwd: Path | None = None) -> str | None:
    """`git rev-parse HEAD` (with `+dirty` when the tree has changes) of the checkout holding
    this code (not of the current folder: a bench run elsewhere recorded null, or another
    repository's commit), or None when it is not in one."""
    cwd = cwd if cwd is not None else Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def run_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one case spec in a child process and return its record (an `error` record on failure).

    The child is killed on a timeout and when this process is interrupted or terminated (a
    cancelled CI job), and ends with this process however it ends (`die_with_parent`), so
    that no solve goes on using the cores the next job measures with."""
    # a week at most: a limit of 1e300 s overflowed the clock (an audit's traceback)
    timeout = min(3 * float(spec["time_limit"]) + 300, 7 * 86400.0)
    child = subprocess.Popen(
        [sys.executable, "-m", "scheduler.bench.case"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(),
    )
    try:
        stdout, stderr = child.communicate(json.dumps(spec), timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return _error(spec, f"timed out after {timeout:.0f} s")
    except BaseException:
        child.kill()
        child.wait()
        raise
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if child.returncode != 0 or not lines:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        return _error(spec, f"exit {child.returncode}: {tail}")
    record: dict[str, Any] = json.loads(lines[-1])
    return record


def _error(spec: dict[str, Any], message: str) -> dict[str, Any]:
    keep = (
        "suite",
        "case",
        "instance",
        "generate",
        "seed",
        "workers",
        "time_limit",
        "git_revision",
    )
    return {
        **{k: spec[k] for k in keep if k in spec},
        "status": "ERROR",
        "has_timetable": False,
        "error": message,
    }


def suite_specs(suite: Suite, cases: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every (case, seed) spec of a suite, optionally only the named cases."""
    revision = git_revision()
    chosen = [c for c in suite.cases if not cases or c.id in cases]
    return [spec for case in chosen for spec in case.specs(suite.name, revision)]


def run_specs(
    specs: list[dict[str, Any]],
    out: Path | None = None,
    on_start: Callable[[dict[str, Any]], None] | None = None,
    runner: Callable[[dict[str, Any]], dict[str, Any]] = run_spec,
) -> Iterator[dict[str, Any]]:
    """Run specs one after the other (never in parallel: timings), appending JSON lines to `out`."""
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        if on_start is not None:
            on_start(spec)
        record = runner(spec)
        if out is not None:
            append_line(out, json.dumps(record, ensure_ascii=False))
        yield record


def append_line(out: Path, line: str) -> None:
    """Append `line` to the JSON-lines file `out` whole or not at all: on a new line when the
    file's last one was cut (a killed writer), and cut back on failure (a full disk left a
    truncated record that no reader could parse, and the next one was glued to it: an
    audit). Unbuffered, so that a failed write is not written again on closing."""
    data = line.encode("utf-8") + b"\n"
    with out.open("a+b", buffering=0) as handle:
        start = handle.seek(0, os.SEEK_END)
        if start:
            handle.seek(start - 1)
            if handle.read(1) != b"\n":
                data = b"\n" + data
        try:
            view = memoryview(data)
            while view:  # a write may take part of it (a file-size limit, a full disk)
                written = handle.write(view)
                if not written:
                    raise OSError(errno.EIO, "nothing written")
                view = view[written:]
            os.fsync(handle.fileno())
        except OSError as err:
            os.ftruncate(handle.fileno(), start)
            why = f"the record could not be appended ({err.strerror}); the file is as it was"
            raise OSError(err.errno, why, str(out)) from err
