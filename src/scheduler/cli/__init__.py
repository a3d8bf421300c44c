"""The `scheduler` command line: thin click commands, one module per command family."""

from __future__ import annotations

import functools
import signal
import sys
import warnings
from typing import TextIO

import click

from scheduler import __version__
from scheduler.cli.common import empty_value, run_guarded
from scheduler.cli.reader_gone import guard_stdout
from scheduler.entry import forget_caught_interrupts
from scheduler.errors import InputWarning

_show_others = warnings.showwarning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Input warnings as `warning: ...` lines on stderr; other warnings as Python shows them."""
    if issubclass(category, InputWarning):
        click.echo(f"warning: {message}", err=True)
    else:
        _show_others(message, category, filename, lineno, file, line)


def _no_empty_values(command: click.Command) -> click.Command:
    """`command`, refusing an empty value for any of its arguments and options (exit 2), and
    so each command of a group (`itc2007`): a script's unset variable, `--out "$DIR"`, had
    `export` write into the current folder (an audit), other commands said "'.': is a
    directory". Values converted to a `Path` are refused by their type (`GivenPath`)."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _no_empty_values(sub)
    callback = command.callback
    if callback is None or getattr(callback, "_no_empty", False):
        return command
    names = {
        p.name: p.opts[-1] if isinstance(p, click.Option) else p.human_readable_name
        for p in command.params
    }

    @functools.wraps(callback)
    def checked(**kwargs: object) -> object:
        for key, value in kwargs.items():
            if value == "" or (isinstance(value, tuple) and "" in value):
                raise empty_value(str(names.get(key, key)))
        return callback(**kwargs)

    checked._no_empty = True  # type: ignore[attr-defined]
    command.callback = checked
    return command


class _Commands(click.Group):
    """The command group, each command imported when it is used (`commands.COMMANDS`): inside
    `run_guarded`, so that a Ctrl-C during those imports (OR-Tools, pandas: seconds on a
    loaded machine) says "Aborted" with exit 1 instead of a traceback and 130 (an audit)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from scheduler.cli import commands

        return sorted(commands.COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands from the registry's summaries, importing none of them."""
        from scheduler.cli import commands

        rows = [(name, commands.COMMANDS[name].summary) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from scheduler.cli import commands

        if cmd_name not in self.commands:
            found = commands.command(cmd_name)
            if found is None:
                return None
            self.add_command(_no_empty_values(found), cmd_name)
        return self.commands[cmd_name]


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scheduler")
def cli() -> None:
    """Timetable and room-scheduling optimiser (CP-SAT).

    Exit codes: 0 success; 1 the job could not be done (no timetable, a check failed, a
    refusal --force overrides); 2 bad input or usage, or a refusal no option makes safe.
    """
    warnings.simplefilter("always", InputWarning)  # each time the file is read, not once
    warnings.showwarning = _show_warning


def _tolerant_console() -> None:
    """A console whose encoding lacks a character the output uses (a Latin-1 or cp1252
    terminal: en dashes, "≤") shows it as "?" instead of ending in a UnicodeEncodeError
    traceback (an audit), once the files were written. Files are UTF-8 whatever the locale;
    stderr already writes such characters as escapes (Python's `backslashreplace`)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def main() -> None:
    """Console entry point. Once the command has returned, a Ctrl-C no longer changes its
    exit code: an audit's interrupt during the interpreter's exit, after a revision was
    written whole and said so, made it 130, which a script retrying on failure would take
    for a re-solve to run again. SIGTERM likewise (an audit: one in the last 0.1 s of a
    solve whose timetable was written and checked exited 143)."""
    _tolerant_console()
    guard_stdout()
    code = run_guarded(cli)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    forget_caught_interrupts()
    sys.exit(code)
