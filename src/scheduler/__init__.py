"""scheduler: a timetable and room-scheduling optimiser built on CP-SAT."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scheduler")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+src"

__all__ = ["__version__"]
