"""Precedences a cancelled session can no longer keep once it comes back: it had to come
before something already given (a session before today, a day of a fixed event before
today). SCHEMA's example with a precedence: `UE1-main-03 before UE2`, 03 cancelled after
UE2 began. The re-solve had no timetable and told staff to drop the precedence, which no
change can do (an audit). Its part of such a precedence is rewritten instead: the rest of
`before` stays bound to `after`, and the make-up to what of `after` is still to come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.sessions import Session, expand_sessions


def unbind_make_ups(
    instance: Instance,
    data: dict[str, Any],
    cancelled: Collection[str],
    given: Collection[str],
    today: dt.date,
) -> list[str]:
    """Rewrite `data["precedences"]` so that no cancelled session must come before what was
    `given` (sessions) or an event day before or on `today` (a make-up comes after it); what
    changed, in words."""
    if not cancelled:
        return []
    dropped = set(data.get("dropped", ()))
    sessions = [s for s in expand_sessions(instance) if s.id not in dropped]
    days = {e.id: e.dates for e in instance.fixed_events}
    out: list[dict[str, Any]] = []
    said: list[str] = []
    for prec in data.get("precedences", []):
        before, after = prec["before"], prec["after"]
        befores, afters = _of(sessions, before), _of(sessions, after)
        past = [f"{a.id} already took place" for a in afters if a.id in given]
        # a make-up comes after today, so an event held today is past to it too (an audit:
        # its precedence left the re-solve no timetable, naming a rule no change relaxes)
        past += [
            f"{after} on {d.isoformat()} already took place" if d < today else f"today's {after}"
            for d in days.get(after, ())
            if d <= today
        ]
        freed = [b for b in befores if b.id in cancelled] if past else []
        if not freed:
            out.append(prec)
            continue
        kept = {b.id for b in befores} - {b.id for b in freed}
        out += [{"before": ref, "after": after} for ref in _refs(sessions, before, kept)]
        still = {a.id for a in afters if a.id not in given}
        for b in freed:
            out += [{"before": b.id, "after": ref} for ref in _refs(sessions, after, still)]
            rest = f"; it still comes before what of {after} is to come" if still else ""
            said.append(
                f"{b.id} comes back after {past[0]}: the precedence "
                f"{before} before {after} no longer binds it{rest}"
            )
    data["precedences"] = list({(p["before"], p["after"]): p for p in out}.values())
    return said


def _of(sessions: list[Session], ref: str) -> list[Session]:
    """The sessions a precedence reference stands for (none for a fixed event)."""
    return [s for s in sessions if ref in (s.id, s.series_id, s.ue)]


def _refs(sessions: list[Session], ref: str, keep: set[str]) -> list[str]:
    """References standing for exactly the sessions `keep` of reference `ref`: `ref` itself
    when it keeps them all, else its series that keep all theirs and the other sessions."""
    mine = _of(sessions, ref)
    if all(s.id in keep for s in mine):
        return [ref] if mine else []
    refs: list[str] = []
    for series in dict.fromkeys(s.series_id for s in mine):
        own = [s for s in mine if s.series_id == series]
        if all(s.id in keep for s in own) and series != ref:
            refs.append(series)
        else:
            refs += [s.id for s in own if s.id in keep]
    return refs
