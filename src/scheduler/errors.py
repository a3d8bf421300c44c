"""The package's exception hierarchy: every user-facing failure is a SchedulerError."""

from pydantic import ValidationError


class SchedulerError(Exception):
    """Base class of every error `scheduler` reports to its user."""


class InputError(SchedulerError):
    """An input file is malformed or inconsistent; the message names file, entity and field."""


class InputWarning(UserWarning):
    """Input read as given, with something its author should know (a workbook's sheet that is
    not part of the instance): the command line prints it as `warning: ...`."""


class NoTimetable(SchedulerError):
    """A well-formed solution.json that records a solve without a timetable: there is nothing
    to report, export or re-solve, the job cannot be done (exit 1, as `check` of it; an
    audit saw `report` and `export` exit 2 where `check` exits 1)."""


class SolveError(SchedulerError):
    """The solver could not be run (a bug or an invalid model), as opposed to infeasibility."""


def first_error(err: ValidationError) -> str:
    """A model's first error in words: `fixed_events 3 end: ...` or the message alone (not
    pydantic's report, with its input dump and web address)."""
    first = err.errors()[0]
    field = " ".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{field}: {message}" if field else message
