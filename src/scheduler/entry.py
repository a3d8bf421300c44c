"""The console entry point, light to import: a Ctrl-C while the command line's modules load
(click, pydantic: ~0.1 s, seconds on a loaded machine) is said in one line, exit 1, instead
of a KeyboardInterrupt traceback and 130 (an audit)."""

from __future__ import annotations

import sys


def main() -> None:
    """`scheduler`'s entry point: `scheduler.cli.main`, loaded under a Ctrl-C guard."""
    try:
        from scheduler.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Aborted (Ctrl-C): nothing was written.\n")
        forget_caught_interrupts()
        sys.exit(1)
    run()


def forget_caught_interrupts() -> None:
    """Clear CPython's "unhandled KeyboardInterrupt" flag: a Ctrl-C during an import that
    runs code through `PyRun_String` (a compiled extension's) sets it even though the
    interrupt was caught, and `python -m scheduler` then killed itself with SIGINT (130)
    after saying "Aborted ...: nothing was written" and meaning exit 1 (an audit, 4 runs in
    11). Running any code that way resets the flag."""
    import ctypes

    ctypes.pythonapi.PyRun_SimpleString(b"pass")
