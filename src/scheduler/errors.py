"""The package's exception hierarchy: every user-facing failure is a SchedulerError."""


class SchedulerError(Exception):
    """Base class of every error `scheduler` reports to its user."""


class InputError(SchedulerError):
    """An input file is malformed or inconsistent; the message names file, entity and field."""


class InputWarning(UserWarning):
    """Input read as given, with something its author should know (a workbook's sheet that is
    not part of the instance): the command line prints it as `warning: ...`."""


class SolveError(SchedulerError):
    """The solver could not be run (a bug or an invalid model), as opposed to infeasibility."""
