"""Lists cut short for a message, importing nothing (the CLI's light paths use it too)."""

from __future__ import annotations

from collections.abc import Sequence


def first_few(items: Sequence[object], count: int = 5) -> str:
    """The first `count` of `items` joined by commas, with ", ..." when there are more."""
    return ", ".join(map(str, items[:count])) + (", ..." if len(items) > count else "")
