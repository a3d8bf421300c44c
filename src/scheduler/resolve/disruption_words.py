"""The disruption's number in words, the same in the console, `report` and `changes.md` (a
review: three wordings of one figure); what its weights did to a session sent to another town."""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.data.problem import Problem
from scheduler.resolve.diff import Moved
from scheduler.resolve.disruption import DisruptionWeights

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


def other_town_lines(
    problem: Problem, moved: Sequence[Moved], weights: DisruptionWeights
) -> list[str]:
    """A note per session moved to a site of another area on its own day: a moved site
    weighs less than a moved date by default, right for Mons and Namur an hour apart, not
    for campuses 250 km apart (a Québec audit: a storm's closure sent an evening class
    to the other town); `--w-site` above `--w-date` keeps it in its town another day."""
    if weights.site > weights.date:  # a moved site already weighs more: no other day was free
        return []
    area = problem.area
    lines = []
    for m in moved:
        b, a = m.before, m.after
        if b is None or a is None or b.date != a.date:
            continue
        was, now = problem.room_site.get(b.room), problem.room_site.get(a.room)
        if was is None or now is None or area.get(was) == area.get(now):
            continue
        if not _may_stay_at(problem, m.session, was):  # no weight keeps it there: said as is
            continue
        lines.append(
            f"note: {m.session} stays on {a.date} but moves from {was} to {now}: a moved site "
            f"weighs {weights.site} against a moved date's {weights.date}; if the sites are "
            f"far apart, --w-site {max(weights.site + 1, weights.date * 3)} keeps it at {was} "
            "another day where one is free"
        )
    return lines


def _may_stay_at(problem: Problem, session_id: str, site: str) -> bool:
    """Whether the revision lets the session be at `site` at all: not when a pin sends it
    elsewhere (an audit pinned a series to the other town and was told that `--w-site`
    would keep it where it was), nor when its sites leave that one out."""
    session = problem.session.get(session_id)
    if session is not None and session.sites is not None and site not in session.sites:
        return False
    for pin in problem.pins_of.get(session_id, ()):
        pinned_site = pin.site or (problem.room_site.get(pin.room) if pin.room else None)
        if pinned_site is not None and pinned_site != site:
            return False
    return True
