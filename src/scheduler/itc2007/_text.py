"""Shared helpers for the whitespace-separated, line-oriented ITC-2007 text formats."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import InputError

_INTEGER = re.compile(r"-?[0-9]+")


class FormatError(InputError, ValueError):
    """A malformed ITC-2007 text file; the message reads ``<source>:<line>: <problem>``."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}:{line}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, int, str]]:
        """Pickle by the constructor's arguments (the message alone would not do)."""
        return (type(self), (self.source, self.line, self.problem))


@dataclass(frozen=True)
class Row:
    """A non-blank line: its 1-based number and its whitespace-separated tokens."""

    line: int
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        """The tokens joined by single blanks (for error messages)."""
        return " ".join(self.tokens)


def _lines(text: str) -> list[str]:
    """The lines of ``text`` as editors number them: ended by LF, CRLF or CR only (not by the
    form feeds and other separators ``str.splitlines`` also breaks at: an audit's error named
    line 11 for line 10 of a file holding a form feed)."""
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def split_rows(text: str) -> list[Row]:
    """Tokenise ``text`` line by line, skipping blank lines; tabs and trailing blanks are fine."""
    rows: list[Row] = []
    for number, raw in enumerate(_lines(text), start=1):
        tokens = raw.split()
        if tokens:
            rows.append(Row(number, tuple(tokens)))
    return rows


def end_line(text: str) -> int:
    """The line number to blame for a problem found at the end of ``text``."""
    return max(1, len(_lines(text)))


def parse_int(
    token: str, what: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Parse a plain decimal integer; raise ``ValueError`` with a readable reason otherwise."""
    if not _INTEGER.fullmatch(token):
        raise ValueError(f"{what} must be an integer, got {token!r}")
    if maximum is not None and len(token.lstrip("+-0")) > len(str(maximum)):
        raise ValueError(f"{what} must be <= {maximum}, got {token}")  # not int() of 10^20 digits
    value = int(token)
    if minimum is not None and value < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{what} must be <= {maximum}, got {value}")
    return value


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Return ``(source label, text)`` of a UTF-8 text file (a `FormatError` at the line of
    the first byte that is not, rather than a traceback)."""
    data = Path(path).read_bytes()
    try:  # "-sig": a byte-order mark (Windows editors) is not part of the first line's text
        return str(path), data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise FormatError(
            str(path), line, f"not UTF-8 text (byte {err.start}): save the file as UTF-8 or ASCII"
        ) from None
