"""The disruption's number in words, the same in the console, `report` and `changes.md` (a
review: three wordings of one figure)."""

from __future__ import annotations

# What the number counts, said beside it (an audit read "disruption 36230", no unit).
DISRUPTION_MEANS = (
    "a moved date, week, site or room scores its weight (resolve's --w-* options) times the "
    "people it concerns; minimised first, then the soft cost"
)


def disruption_words(points: int, proved: bool, seconds: float | None = None) -> str:
    """`disruption N points (proved minimal after S s): what it counts`."""
    after = f" after {seconds:.1f} s" if seconds is not None else ""
    state = f"proved minimal{after}" if proved else "best found, not proved minimal"
    return f"disruption {points} points ({state}): {DISRUPTION_MEANS}"
