"""The registry of CLI commands; each lives in its own module, imported when it is used: a
command imports what it needs alone (`scheduler check` took 2.5 s, 1.5 s of it importing
every other command's OR-Tools, pandas and openpyxl)."""

from __future__ import annotations

import importlib

import click

MODULES = {  # command name -> the module defining it (as that name)
    "solve": "scheduler.cli.solve_cmd",
    "check": "scheduler.cli.check_cmd",
    "calendar": "scheduler.cli.calendar_cmd",
    "report": "scheduler.cli.report_cmd",
    "explain": "scheduler.cli.explain_cmd",
    "resolve": "scheduler.cli.resolve_cmd",
    "export": "scheduler.cli.export_cmd",
    "template": "scheduler.cli.workbook_cmd",
    "convert": "scheduler.cli.workbook_cmd",
    "itc2007": "scheduler.cli.itc2007_cmd",
    "bench": "scheduler.cli.bench_cmd",
    "generate": "scheduler.cli.generate_cmd",
}


def command(name: str) -> click.Command | None:
    """The command `name`, its module imported now; None for no such command."""
    module_name = MODULES.get(name)
    if module_name is None:
        return None
    found = getattr(importlib.import_module(module_name), name)
    if not isinstance(found, click.Command):  # the registry names commands only
        raise TypeError(f"{module_name}.{name} is not a click command")
    return found
