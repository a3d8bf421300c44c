"""scheduler: a timetable and room-scheduling optimiser built on CP-SAT."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed package when asked: `importlib.metadata`
    (~15 ms) loaded first thing was outside the entry point's Ctrl-C guard (`entry`)."""
    if name != "__version__":
        raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scheduler")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+src"
