"""The registry of CLI commands; each lives in its own module."""

from __future__ import annotations

import importlib

import click

_MODULES = (
    ("scheduler.cli.solve_cmd", "solve"),
    ("scheduler.cli.check_cmd", "check"),
    ("scheduler.cli.calendar_cmd", "calendar"),
    ("scheduler.cli.report_cmd", "report"),
    ("scheduler.cli.explain_cmd", "explain"),
    ("scheduler.cli.resolve_cmd", "resolve"),
    ("scheduler.cli.export_cmd", "export"),
    ("scheduler.cli.workbook_cmd", "template"),
    ("scheduler.cli.workbook_cmd", "convert"),
    ("scheduler.cli.itc2007_cmd", "itc2007"),
    ("scheduler.cli.bench_cmd", "bench"),
    ("scheduler.cli.generate_cmd", "generate"),
)


def _load() -> list[click.Command]:
    found = []
    for module_name, attr in _MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name == module_name:
                continue  # a command family not built yet
            raise
        found.append(getattr(module, attr))
    return found


COMMANDS: list[click.Command] = _load()
