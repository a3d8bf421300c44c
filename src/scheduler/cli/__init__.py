"""The `scheduler` command line: thin click commands, one module per command family."""

from __future__ import annotations

import sys

import click

from scheduler import __version__
from scheduler.cli.common import run_guarded


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scheduler")
def cli() -> None:
    """Timetable and room-scheduling optimiser (CP-SAT).

    Exit codes: 0 success; 1 the job could not be done (no timetable, a check failed);
    2 bad input or usage.
    """


def _register() -> None:
    from scheduler.cli import commands

    for command in commands.COMMANDS:
        cli.add_command(command)


_register()


def main() -> None:
    """Console entry point."""
    sys.exit(run_guarded(cli))
