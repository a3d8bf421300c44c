"""Apply changes to an instance: clipped to today, with the past pinned as published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.data.sessions import expand_sessions
from scheduler.errors import InputError
from scheduler.resolve.changes import Change, Changes
from scheduler.solution import Assignment


@dataclass(frozen=True)
class Revision:
    """The instance to re-solve, and what must not move."""

    instance: Instance
    today: dt.date
    frozen: frozenset[str]
    previous: dict[str, Assignment]
    cancelled: frozenset[str] = frozenset()  # placed again, never where they were cancelled
    dropped_pins: tuple[str, ...] = ()  # the instance's pins of cancelled sessions


def _rule(body: Any, today: dt.date) -> dict[str, Any] | None:
    """A change's date rule as instance data, clipped to today; None when wholly in the past."""
    rule = body.model_dump(by_alias=True, exclude_none=True, mode="json")
    for key in ("teacher", "room", "site"):
        rule.pop(key, None)
    if body.date is not None:
        return rule if body.date >= today else None
    if body.to is not None and body.to < today:
        return None
    rule["from"] = max(body.from_ or today, today).isoformat()
    return rule


def _add_rule(target: dict[str, Any], body: Any, today: dt.date) -> None:
    rule = _rule(body, today)
    if rule is not None:
        target.setdefault("unavailable", []).append(rule)


def _entity(items: list[dict[str, Any]], ident: str, kind: str, where: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == ident:
            return item
    raise InputError(f"{where}: unknown {kind} '{ident}'")


def _known_slots(data: dict[str, Any], body: Any, where: str) -> None:
    """A change's `slots` must name slots of the calendar."""
    known = {slot["id"] for slot in data["calendar"]["slots"]}
    for slot in getattr(body, "slots", None) or ():
        if slot not in known:
            raise InputError(
                f"{where} slots: unknown slot '{slot}' (the calendar's slots: "
                f"{', '.join(sorted(known))})"
            )


def _apply(data: dict[str, Any], change: Change, today: dt.date, where: str) -> None:
    _known_slots(data, change.__dict__[change.kind], where)
    if change.teacher_unavailable is not None:
        c = change.teacher_unavailable
        _add_rule(_entity(data["teachers"], c.teacher, "teacher", where), c, today)
    elif change.room_unavailable is not None:
        r = change.room_unavailable
        rooms = [room for site in data["sites"] for room in site.get("rooms", [])]
        _add_rule(_entity(rooms, r.room, "room", where), r, today)
    elif change.site_closed is not None:
        s = change.site_closed
        site = _entity(data["sites"], s.site, "site", where)
        for room in site.get("rooms", []):
            _add_rule(room, s, today)
    elif change.add_sessions is not None:
        a = change.add_sessions
        ue = _entity(data["ues"], a.ue, "ue", where)
        series = next((s for s in ue["sessions"] if s.get("series", "main") == a.series), None)
        if series is None:
            raise InputError(f"{where}: ue '{a.ue}' has no series '{a.series}'")
        series["count"] += a.count


def _overtaken(instance: Instance, cancelled: set[str], frozen: dict[str, Assignment]) -> list[str]:
    """Cancelled sessions with a later session of their series already taught."""
    sessions = {s.id: s for s in expand_sessions(instance)}
    taught = [sessions[sid] for sid in frozen if sid in sessions]
    return sorted(
        sid
        for sid in cancelled
        if sid in sessions
        and any(
            t.series_id == sessions[sid].series_id and t.number > sessions[sid].number
            for t in taught
        )
    )


def _keep_cancelled_slots_closed(
    data: dict[str, Any],
    instance: Instance,
    published: tuple[Assignment, ...],
    cancelled: set[str],
    today: dt.date,
) -> None:
    """A session cancelled at dated slots from today on: those slots are closed to its series in
    the revised instance (`unavailable`), so that later re-solves from this revision, which
    start from its instance, do not put the series back where it was cancelled."""
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
        # every slot it held, not only its first: a 2-slot session came back the same day
        # across its own cancelled second slot
        held = problem.held(session, old.date, old.slot)
        slots = [x.slot for x in held] if held else [old.slot]
        rule = {"date": old.date.isoformat(), "slots": slots}
        if rule not in series.setdefault("unavailable", []):
            series["unavailable"].append(rule)


def revise(
    instance: Instance,
    published: tuple[Assignment, ...],
    changes: Changes,
    source: str,
    reordered: tuple[str, ...] = (),
) -> Revision:
    """The instance with `changes` applied and the sessions before `today` pinned as published.

    A cancelled session that a later session of its series has already followed (SCHEMA's
    example: 07 cancelled, 08 taught) cannot come back in order: it joins `reordered` (with
    the published solution's own `reordered`), which takes it out of the series' order rules.
    """
    today = changes.today
    data = instance.model_dump(by_alias=True, mode="json", exclude_none=True)
    for i, change in enumerate(changes.changes):
        _apply(data, change, today, f"{source}: changes[{i}] {change.kind}")
    known = {a.session for a in published}
    cancelled = set()
    for i, change in enumerate(changes.changes):
        if change.cancelled is not None:
            if change.cancelled.session not in known:
                raise InputError(
                    f"{source}: changes[{i}] cancelled: unknown session '{change.cancelled.session}'"
                )
            cancelled.add(change.cancelled.session)
    _keep_cancelled_slots_closed(data, instance, published, cancelled, today)
    frozen = {a.session: a for a in published if a.date < today and a.session not in cancelled}
    dropped = tuple(sorted({p["session"] for p in data.get("pins", [])} & cancelled))
    pins = [
        p
        for p in data.get("pins", [])
        if p["session"] not in frozen and p["session"] not in cancelled
    ]
    pins += [
        {"session": a.session, "date": a.date.isoformat(), "slot": a.slot, "room": a.room}
        for a in sorted(frozen.values())
    ]
    data["pins"] = pins
    data["reordered"] = list(
        dict.fromkeys([*instance.reordered, *reordered, *_overtaken(instance, cancelled, frozen)])
    )
    try:
        revised = Instance.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = " ".join(str(part) for part in first["loc"])
        raise InputError(
            f"{source}: the changes make the instance invalid: {field}: {first['msg']}"
        ) from err
    previous = {a.session: a for a in published}
    return Revision(revised, today, frozenset(frozen), previous, frozenset(cancelled), dropped)
