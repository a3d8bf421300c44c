"""The exit codes of the commands and the two click errors that end a command with one.

Exit 0 is a job done, exit 1 a job that could not be done (`JobFailed`), exit 2 bad input or
usage (`BadInput`, with a one-line message naming file, entity and field). `scheduler.cli.common`
maps the package's own errors onto these two.
"""

from __future__ import annotations

import click

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class JobFailed(click.ClickException):
    """The job could not be done (exit 1), with an explanation already printed or in the message."""

    exit_code = EXIT_FAILED


class BadInput(click.ClickException):
    """Bad input or usage (exit 2), a one-line message naming file, entity and field."""

    exit_code = EXIT_BAD_INPUT
