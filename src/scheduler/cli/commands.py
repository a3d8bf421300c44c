"""The registry of CLI commands; each lives in its own module, imported when it is used: a
command imports what it needs alone (`scheduler check` took 2.5 s, 1.5 s of it importing
every other command's OR-Tools, pandas and openpyxl). `scheduler --help` lists the commands
from the registry's summaries, importing none of them (it took 1.5-2 s)."""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click


class Entry(NamedTuple):
    module: str  # the module defining the command, under the command's name
    summary: str  # the line `scheduler --help` shows, and the command's short help


COMMANDS = {
    "solve": Entry(
        "scheduler.cli.solve_cmd", "Solve an instance; write the timetable and its exports."
    ),
    "check": Entry(
        "scheduler.cli.check_cmd", "Check a timetable against every rule; recompute its costs."
    ),
    "calendar": Entry(
        "scheduler.cli.calendar_cmd", "Count an instance's usable slots, month by month."
    ),
    "report": Entry(
        "scheduler.cli.report_cmd", "Print a timetable's cost by rule, in plain words."
    ),
    "explain": Entry(
        "scheduler.cli.explain_cmd", "Say whether an instance has a timetable, and if not, why."
    ),
    "resolve": Entry(
        "scheduler.cli.resolve_cmd", "Re-solve after changes, moving as little as possible."
    ),
    "export": Entry(
        "scheduler.cli.export_cmd", "Write a timetable as CSV, calendars, workbook and HTML."
    ),
    "template": Entry(
        "scheduler.cli.workbook_cmd", "Write a workbook for programme managers to fill in."
    ),
    "convert": Entry(
        "scheduler.cli.workbook_cmd", "Convert an instance between YAML, JSON and a workbook."
    ),
    "itc2007": Entry(
        "scheduler.cli.itc2007_cmd", "Solve and score ITC-2007 curriculum-based instances."
    ),
    "bench": Entry("scheduler.cli.bench_cmd", "Run a benchmark suite and check every case."),
    "generate": Entry("scheduler.cli.generate_cmd", "Generate a realistic synthetic instance."),
}


def command(name: str) -> click.Command | None:
    """The command `name`, its module imported now, its short help the registry's summary;
    None for no such command."""
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    found = getattr(importlib.import_module(entry.module), name)
    if not isinstance(found, click.Command):  # the registry names commands only
        raise TypeError(f"{entry.module}.{name} is not a click command")
    found.short_help = entry.summary
    return found
