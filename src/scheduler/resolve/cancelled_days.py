"""A session cancelled from today on is not made up the day it was cancelled: that day is
closed to its series in the revised instance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.data.sessions import Session, expand_sessions
from scheduler.solution import Assignment


def keep_cancelled_days_closed(
    data: dict[str, Any],
    instance: Instance,
    published: tuple[Assignment, ...],
    cancelled: set[str],
    today: dt.date,
    staff_pins: Mapping[str, Mapping[str, Any]],
) -> None:
    """A session cancelled on a day from today on: that day is closed to its series in the
    revised instance (`unavailable`), so that neither this re-solve nor a later one from this
    revision, which starts from its instance, makes it up the day it was cancelled (an
    evening of two slots got it back in the next one). The day's slots a sibling of the series
    holds stay open to it, and so does the day of a make-up staff pin to it."""
    sessions = {s.id: s for s in expand_sessions(instance)}
    placed = {a.session: a for a in published}
    problem: Problem | None = None
    for sid in sorted(cancelled):
        session, old = sessions.get(sid), placed.get(sid)
        if session is None or old is None or old.date < today:
            continue
        ue = next(u for u in data["ues"] if u["id"] == session.ue)
        series = next(x for x in ue["sessions"] if x.get("series", "main") == session.series)
        problem = problem or Problem.build(instance)
        slots = _day_closed_to(problem, session, old, placed, staff_pins.get(sid, {}))
        rule = {"date": old.date.isoformat(), "slots": slots}
        if rule not in series.setdefault("unavailable", []):
            series["unavailable"].append(rule)


def _day_closed_to(
    problem: Problem,
    session: Session,
    old: Assignment,
    placed: Mapping[str, Assignment],
    pin: Mapping[str, Any],
) -> list[str]:
    """The slots of `old`'s day closed to the series of `session`, cancelled from `old`: every
    slot it held (a 2-slot session came back across its own second slot), and the day's other
    slots but those a sibling holds that day, unless staff pin the make-up to that day."""
    held = problem.held(session, old.date, old.slot)
    slots = [x.slot for x in held] if held else [old.slot]
    if pin.get("date") == old.date.isoformat():
        return slots
    siblings: set[str] = set()
    for other in problem.series[session.series_id]:
        a = placed.get(other.id)
        if a is not None and a.date == old.date and other.id != session.id:
            siblings |= {x.slot for x in problem.held(other, a.date, a.slot) or ()}
    day = [x.slot for x in problem.day_slots.get(old.date, ())]
    return slots + [x for x in day if x not in slots and x not in siblings]
