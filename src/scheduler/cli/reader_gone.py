"""Standard output whose reader left: `scheduler check ... | head -1`.

Once the reader of a pipe has closed it, a write raises BrokenPipeError, and click ends the
command with exit 1 and no word: a script with `pipefail` read a check that passed as a
failed one, and a `solve` piped into `head` would stop before writing its timetable (an
audit). The command's own work and exit code do not depend on who reads what it prints:
`ReaderGone` drops the rest of the output, quietly, and the command goes on.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO


class ReaderGone:
    """`stream`, dropping what is written once a write or flush meets a closed pipe; its
    file descriptor then points at the null device, so that the interpreter's last flush
    of what is still buffered does not fail either."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._went()
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._went()

    def _went(self) -> None:
        self.gone = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._stream.fileno())
            os.close(null)
        except (OSError, ValueError):  # no descriptor (a test's stream): nothing to flush
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Make `sys.stdout` and `sys.stderr` `ReaderGone`s (once each): progress and notes go to
    stderr, and `... 2>&1 | head -1` closes that pipe too."""
    if not isinstance(sys.stdout, ReaderGone) and sys.stdout is not None:
        sys.stdout = ReaderGone(sys.stdout)
    if not isinstance(sys.stderr, ReaderGone) and sys.stderr is not None:
        sys.stderr = ReaderGone(sys.stderr)
