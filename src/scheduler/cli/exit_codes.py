"""The exit codes of the commands and the two click errors that end a command with one.

Exit 0 is a job done, exit 1 a job that could not be done (`JobFailed`), exit 2 bad input or
usage (`BadInput`, with a one-line message naming file, entity and field). `scheduler.cli.common`
maps the package's own errors onto these two.
"""

from __future__ import annotations

from pathlib import Path

import click

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class JobFailed(click.ClickException):
    """The job could not be done (exit 1), with an explanation already printed or in the message."""

    exit_code = EXIT_FAILED


class BadInput(click.ClickException):
    """Bad input or usage (exit 2), a one-line message naming file, entity and field."""

    exit_code = EXIT_BAD_INPUT


def refuse_overwrite(path: Path, force: bool) -> None:
    """A file already at `path` is someone's work (an edited workbook, a commented YAML): kept
    unless `--force`. A refusal that `--force` overrides exits 1 (docs/commands.md, "Exit
    codes"); it exited 2, as bad input, in `template`, `convert`, `generate` and
    `itc2007 convert` (an audit of the docs)."""
    if path.exists() and not force:
        raise JobFailed(f"{path}: the file exists; --force replaces it")
