"""`scheduler template` and `scheduler convert`: the instance as a workbook, both ways."""

from __future__ import annotations

from pathlib import Path

import click

from scheduler.cli.common import BadInput, existing_file, guard, warn_if_open
from scheduler.cli.exit_codes import refuse_overwrite
from scheduler.cli.output_checks import writable_file
from scheduler.io.instance_io import save_as_xlsx
from scheduler.io.workbook import (
    DATA_SUFFIXES,
    WORKBOOK_SUFFIXES,
    convert_instance,
    write_workbook,
)


def _suffix(path: Path, allowed: tuple[str, ...], what: str, advice: str = "") -> None:
    if path.suffix.lower() not in allowed:
        raise BadInput(f"{path}: {what} must end with {' or '.join(allowed)}{advice}")


def _not_over(path: Path, force: bool) -> None:
    """A file already there is a manager's work (an edited workbook, a commented YAML)."""
    refuse_overwrite(path, force)
    if path.suffix.lower() == ".xlsx":
        warn_if_open(path)


FORCE = click.option("--force", is_flag=True, help="Replace the file written if it exists.")


@click.command("template")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="The .xlsx to write."
)
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False),
    default=None,
    help="Fill the workbook with this instance (.yaml, .json or .xlsx).",
)
@FORCE
def template(out: str, source: str | None, force: bool) -> None:
    """Write a workbook for programme managers to fill in: one sheet per part of the instance.

    Without --from the workbook is empty, with its header rows, help rows and validation lists.
    """
    target = Path(out)
    _suffix(target, (".xlsx",), "--out")  # what is written is no macro-enabled .xlsm
    if source is not None and Path(source).resolve() == target.resolve():
        raise BadInput(f"{target}: --out is the --from file")
    _not_over(target, force)
    writable_file(target, f"--out {target}")  # before reading --from; the file, not a temporary

    def run() -> None:
        from scheduler.io.instance_io import load_instance

        instance = load_instance(existing_file(source)) if source is not None else None
        write_workbook(instance, target)

    guard(run)
    click.echo(f"wrote {target}")


@click.command("convert")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@FORCE
def convert(source: str, target: str, force: bool) -> None:
    """Convert an instance between .yaml, .json and .xlsx (by the files' suffixes)."""
    src, dst = Path(source), Path(target)
    # a colleague's .xls: say what to do with it (an audit)
    _suffix(src, (*DATA_SUFFIXES, *WORKBOOK_SUFFIXES), "SOURCE", save_as_xlsx(src.suffix))
    _suffix(dst, (*DATA_SUFFIXES, ".xlsx"), "TARGET")
    if src.resolve() == dst.resolve():
        raise BadInput(f"{dst}: TARGET is the SOURCE file")
    _not_over(dst, force)
    writable_file(dst, str(dst))  # before reading SOURCE; the file, not a temporary
    guard(lambda: convert_instance(existing_file(source), dst))
    click.echo(f"wrote {dst}")
