"""Shared CLI plumbing: error mapping to exit codes and small printing helpers."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from scheduler.cli.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, BadInput, JobFailed
from scheduler.errors import InputError, SchedulerError
from scheduler.model.interrupt import Aborted


class Finite(click.FloatRange):
    """A number within a range, and a number at all: `nan` passed every range check (it
    compares false) and `inf` ran a solve with no end (an audit of `itc2007 solve`)."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return float(super().convert(number, param, ctx))


T = TypeVar("T")


def guard(func: Callable[[], T]) -> T:
    """Run `func`, turning package errors into one-line click errors with the right exit code."""
    try:
        return func()
    except InputError as err:
        raise BadInput(str(err)) from err
    except ValidationError as err:
        raise BadInput(str(err).splitlines()[0]) from err
    except SchedulerError as err:
        raise JobFailed(str(err)) from err
    except OSError as err:
        blocker = file_in_the_way(err)
        if blocker is not None:
            raise BadInput(blocker) from err
        where = f"{err.filename}: " if err.filename else ""
        raise JobFailed(f"{where}{err.strerror or err}") from err


def file_in_the_way(err: OSError) -> str | None:
    """For an output path that runs through a file (`--out afile/t.xlsx`, or a folder to
    write named after a file), which file, in words: a usage error, not a bare "File
    exists" with exit 1 (an exploratory test); else None."""
    if not isinstance(err, FileExistsError | NotADirectoryError):
        return None
    for name in (err.filename, err.filename2):  # a rename's destination is the second
        path = Path(os.fsdecode(name)) if name else None
        for place in (path, *path.parents) if path else ():
            if place.exists() and not place.is_dir():
                return f"{place}: is a file, where the output needs a folder; name another path"
    return None


def run_guarded(command: click.Command) -> int:
    """Invoke a click command in standalone mode and return its exit code."""
    try:
        returned = command.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt) as stop:
        # Ctrl-C outside a solve (while starting, loading or asking): nothing to keep
        cause = stop.__cause__ or stop  # click turns a KeyboardInterrupt into Abort
        by = cause.by if isinstance(cause, Aborted) else "Ctrl-C"
        click.echo(f"Aborted ({by}): nothing was written.", err=True)
        return EXIT_FAILED
    except click.UsageError as err:
        if _shows_help(err):  # `scheduler` alone: its help, as click gives it
            err.show()
        else:
            click.echo(usage_line(err), err=True)
        return err.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except SchedulerError as err:
        click.echo(f"Error: {err}", err=True)
        return EXIT_BAD_INPUT if isinstance(err, InputError) else EXIT_FAILED
    except OSError as err:
        blocker = file_in_the_way(err)
        if blocker is not None:
            click.echo(f"Error: {blocker}", err=True)
            return EXIT_BAD_INPUT
        where = f"{err.filename}: " if err.filename else ""
        click.echo(f"Error: {where}{err.strerror or err}", err=True)
        return EXIT_FAILED
    except click.exceptions.Exit as err:
        return int(err.exit_code)
    return returned if isinstance(returned, int) else EXIT_OK


def _shows_help(err: click.UsageError) -> bool:
    """Whether `err` is click's "no arguments: here is the help" (click 8.2 on), which is no
    error to put in one line (a review got the whole help after "Error: ")."""
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)
    return no_args is not None and isinstance(err, no_args)


def usage_line(err: click.UsageError) -> str:
    """A usage error in one line, as every other error (SCHEMA.md section 4): click's own
    took four ("Usage: ...", "Try ...", a blank line, then the error: an audit)."""
    where = f" (see '{err.ctx.command_path} --help')" if err.ctx is not None else ""
    return f"Error: {err.format_message().rstrip('.')}{where}"


def empty_value(name: str) -> click.UsageError:
    """The error of an empty argument or option `name`: a script's unset variable (`--out
    "$DIR"` had `export` write into the current folder: an audit)."""
    return click.UsageError(f"{name} is empty (a variable left unset?): give a value")


class GivenPath(click.Path):
    """click's Path refusing an empty value, which it reads as the current folder '.' when it
    converts to a `Path` (a review)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "":
            name = param.opts[-1] if isinstance(param, click.Option) else None
            raise empty_value(name or (param.human_readable_name if param else "a value"))
        return super().convert(value, param, ctx)


def existing_file(path: str, option: str | None = None) -> Path:
    """A path that must exist, else a bad-input error naming the `option` that gave it (as
    `--out` errors do: an audit's "nope: no such file or folder" did not say which)."""
    p = Path(path)
    if not p.exists():
        named = f"{option} {p}" if option else str(p)
        raise BadInput(f"{named}: no such file or folder")
    return p


INSTANCE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
INSTANCE_SEARCH_HELP = (
    "The instance file. Default: the file recorded in solution.json while it exists, else a"
    " re-solve's instance.yaml beside the solution, else instances/<recorded name> (.yaml,"
    " .yml, .json or .xlsx) under the current folder."
)


def warn_if_open(path: Path) -> None:
    """Warn that the workbook about to be written at `path` is open in a spreadsheet (its lock
    file beside it): the spreadsheet's next save there replaces what is written (reading
    such a file warned, writing over it did not: an audit)."""
    from scheduler.io.workbook import open_elsewhere

    lock = open_elsewhere(path)
    if lock is not None:
        click.echo(
            f"warning: {path} is open in a spreadsheet ({lock.name} beside it): close it "
            "there without saving, or its next save replaces what is written now",
            err=True,
        )


def find_instance(solution: Path, given: str | None) -> Path:
    """The instance of a solution: `--instance`; else the file recorded at solve time
    (`instance.path` in solution.json) while it exists; else a re-solve's `instance.yaml` beside
    the solution; else `instances/<recorded name>` with
    a `.yaml`, `.yml`, `.json` or `.xlsx` suffix under the current folder."""
    from scheduler.io.solution_read import (
        instance_name_of,
        instance_path_of,
        read_result,
        solution_path,
    )

    if given is not None:
        return existing_file(given, "--instance")
    if not solution_path(solution).is_file():  # a folder without a solve's record
        raise BadInput(f"{solution_path(solution)}: no such file")
    recorded = instance_path_of(solution)
    if recorded is not None and recorded.is_file():
        return recorded
    beside = solution_path(solution).parent / "instance.yaml"  # a re-solve's own instance
    if beside.is_file():
        return beside
    name = instance_name_of(solution)
    if name is None:
        guard(lambda: read_result(solution))  # a file no solution.json says what it is
        raise BadInput(f"{solution_path(solution)}: 'instance.name' missing; pass --instance FILE")
    for suffix in INSTANCE_SUFFIXES:
        candidate = Path("instances") / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    raise BadInput(
        f"{solution_path(solution)}: cannot find the instance '{name}' (looked "
        f"{'at ' + str(recorded) + ', ' if recorded else ''}beside the solution and in "
        f"instances/ as {name}.yaml, .yml, .json or .xlsx); pass --instance FILE"
    )


def late_interrupt_note(interrupted: bool, written: str) -> str | None:
    """The note for a Ctrl-C (or SIGTERM) that came once the search was over (`interrupted`:
    it ended the search), while `written` was checked and written: the writing finished
    first, so that nothing is half-written. A re-solve audit pressed Ctrl-C to stop a wrong
    change and got it written, exit 0, without a word (`export` said it)."""
    from scheduler.model.interrupt import stopped_by, tripped

    if interrupted or not tripped():
        return None
    return (
        f"note: {stopped_by()} came after the search, while {written} was checked and "
        "written: the writing was finished first, so that nothing is half-written"
    )


def export_failure(export: Callable[[], object]) -> str | None:
    """Run `export`; its failure in words, or None. Whatever it raises, the checked timetable
    written before it is kept: the caller says so and exits 1 (`exports_failed`)."""
    try:
        export()
    except Exception as err:  # any cause: the timetable must not be lost to it
        return f"{type(err).__name__}: {err}"
    return None


def exports_failed(whose: str, failure: str, kept: str, folder: Path) -> None:
    """Say that the exports failed, what is kept, and the command that writes them later."""
    click.echo(
        f"error: {whose} exports (xlsx, html, calendars) failed: {failure}; {kept}: "
        f"`scheduler export {folder}` writes them once the cause is fixed",
        err=True,
    )
