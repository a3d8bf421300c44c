"""The pre-flight's counting checks again, on domains narrowed by sessions bound to one day
(`scheduler.data.narrowing`): two sessions pinned in Liège on Wednesdays take those days from
a series its students follow elsewhere, which the plain domains still offer it.

Run when no other check found an error. Each finding says which bound sessions narrowed the
domains it counted, since the days and slots it counts are fewer than the file's.
"""

from __future__ import annotations

from scheduler.data.findings import Domains, Finding
from scheduler.data.narrowing import Narrowed, narrowed
from scheduler.data.preflight_cliques import check_clashing_sets
from scheduler.data.preflight_matching import check_days_and_slots
from scheduler.data.preflight_rooms import check_scarce_rooms
from scheduler.data.preflight_site_days import check_days_at_one_site
from scheduler.data.preflight_spacing import check_series_spacing
from scheduler.data.problem import Problem
from scheduler.data.words import format_date, join_words

MAX_SHOWN = 4  # bound sessions named in a finding; the others counted

# the plain domains' spacing check ran among the pre-flight's first; the flows did not
COUNTING_CHECKS = (
    check_series_spacing,
    check_days_and_slots,
    check_clashing_sets,
    check_days_at_one_site,
)


def _bound_words(p: Problem, n: Narrowed, sid: str) -> str:
    """`X (pinned to 23 Sep 2026 at LIEGE)`, from where it was bound when it narrowed."""
    day, sites = n.bound_at[sid]
    pinned = any(pin.date for pin in p.pins_of.get(sid, ()))
    frozen = p.instance.frozen_before
    how = "given " if frozen is not None and day < frozen else "pinned to " if pinned else ""
    return f"{sid} ({how}{format_date(day)} at {join_words(sites, 'or')})"


def _bound_list(p: Problem, n: Narrowed, sessions: list[str]) -> str:
    """The bound sessions that narrowed `sessions`' domains, those that narrowed them in turn
    included (a pin's chain: the pin is what to move), in words ("" when none did)."""
    bound = n.roots(sessions)
    shown = [_bound_words(p, n, b) for b in bound[:MAX_SHOWN]]
    if len(bound) > MAX_SHOWN:
        shown.append(f"{len(bound) - MAX_SHOWN} more")
    return join_words(shown) if shown else ""


def _with_bound(p: Problem, n: Narrowed, finding: Finding) -> Finding:
    """The finding with the bound sessions that narrowed its sessions' domains, if any."""
    named = set(finding.entities)
    sessions = [s.id for s in p.sessions if s.id in named or s.series_id in named]
    bound = _bound_list(p, n, sessions)
    if not bound:
        return finding
    # the pins named are the likelier way out (an audit's four pins took a visitor's week)
    pins = ", or move one of the pins below" if "(pinned to " in bound else ""
    message = (
        f"{finding.message}{pins} (counted without the days and slots that sessions bound to "
        f"one day take from the same teachers or students, one site a day and one session at "
        f"a time: {bound})"
    )
    return Finding(finding.severity, finding.rule, finding.entities, message)


def _its(count: int) -> str:
    return "its one placement is" if count == 1 else f"its {count} placements are"


def _emptied(p: Problem, domains: Domains, n: Narrowed) -> list[Finding]:
    """Sessions left without a placement by the narrowing."""
    found = []
    for s in p.sessions:
        if domains[s.id] and not n.domains[s.id]:
            message = (
                f"{s.id} has no placement left: {_its(len(domains[s.id]))} on days or slots that "
                "sessions bound to one day take from its teachers or students (one site a day, "
                "one session at a time): "
                f"{_bound_list(p, n, [s.id])} — move a pin, or widen a window or an availability"
            )
            found.append(Finding("error", "placement", (s.id,), message))
    return found


def check_narrowed(p: Problem, domains: Domains) -> list[Finding]:
    """Emptied domains, then the counting checks on the narrowed domains (the first that
    finds an error), then scarce rooms; the plain domains' counts when nothing narrowed."""
    n = narrowed(p, domains)
    found = _emptied(p, domains, n)
    for check in (*COUNTING_CHECKS, check_scarce_rooms):
        if found:
            break
        if check is check_series_spacing and not n.by:
            continue  # the same domains as the pre-flight's own run
        found = [_with_bound(p, n, f) for f in check(p, n.domains) if f.severity == "error"]
    return found
