"""Small value types shared by the instance models: ids, weekdays and clock times."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Literal

from pydantic import BeforeValidator, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::00)?$")


def parse_clock(value: object) -> time:
    """Read a local time written 'HH:MM'; refuse numbers (YAML 1.1 reads 18:00 as 1080)."""
    if isinstance(value, time):
        return value
    if isinstance(value, (bool, int | float)):
        raise ValueError(
            f"expected a time written as a quoted 'HH:MM' string, got the number {value!r} "
            '(unquoted 18:00 is read as a number by some YAML parsers: write "18:00")'
        )
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match:
            return time(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"expected a time 'HH:MM', got {value!r}")


Clock = Annotated[time, BeforeValidator(parse_clock)]


def weekday_of(day_number: int) -> Weekday:
    """Map Python's `date.weekday()` (Monday = 0) to a weekday id."""
    return WEEKDAYS[day_number]


def minutes(value: time) -> int:
    """Minutes since midnight."""
    return value.hour * 60 + value.minute
