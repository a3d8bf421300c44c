"""Applying one change of a changes file to the instance data, as `resolve.apply.revise`
does for each in order: an absence or closure joins the `unavailable` rules from today on, a
teacher available after all leaves them, a fixed event moved keeps the days that took place,
and sessions added lengthen their series. Each refuses what names nothing in the instance,
and says, as a warning, a change that changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from scheduler.data.instance import FixedEvent, Site
from scheduler.data.instance_calendar import DateRule
from scheduler.data.validate import event_lists_once, event_references
from scheduler.data.validate_ids import unknown
from scheduler.errors import InputError, first_error
from scheduler.resolve.availability import minus
from scheduler.resolve.change_kinds import NO_SITE, EventMoved, TeacherAvailable
from scheduler.resolve.changes import Change


def _rule(body: Any, today: dt.date) -> dict[str, Any] | None:
    """A change's date rule as instance data, clipped to today; None when wholly in the past."""
    rule = body.model_dump(by_alias=True, exclude_none=True, mode="json")
    for key in ("teacher", "room", "site", "reason"):  # the reason is the changes' alone
        rule.pop(key, None)
    if body.date is not None:
        return rule if body.date >= today else None
    if body.to is not None and body.to < today:
        return None
    rule["from"] = max(body.from_ or today, today).isoformat()
    return rule


def _add_rule(target: dict[str, Any], body: Any, today: dt.date, key: str = "unavailable") -> None:
    rule = _rule(body, today)
    if rule is not None:
        target.setdefault(key, []).append(rule)


def _free_teacher(
    data: dict[str, Any], change: TeacherAvailable, today: dt.date, where: str
) -> str | None:
    """The slots `change` matches from today on leave the teacher's `unavailable` rules, and
    join the `available_only` windows of a teacher who has some; a warning when that changes
    nothing."""
    teacher = _entity(data["teachers"], change.teacher, "teacher", where)
    calendar = data["calendar"]
    patterns: dict[str, list[str]] = defaultdict(list)
    for slot in calendar["slots"]:
        patterns[slot["weekday"]].append(slot["id"])
    first = max(today, dt.date.fromisoformat(calendar["start"]))
    # fixed events may come after the teaching calendar (thesis defences in September)
    days = [calendar["end"], *(d for e in data.get("fixed_events", []) for d in e["dates"])]
    last = max(dt.date.fromisoformat(d) for d in days)
    before = teacher.get("unavailable", [])
    rules = [DateRule.model_validate(r) for r in before]
    teacher["unavailable"] = [r for u in rules for r in minus(u, change, patterns, first, last)]
    if teacher.get("available_only"):
        _add_rule(teacher, change, today, "available_only")
        return None
    if teacher["unavailable"] != before or _rule(change, today) is None:
        return None  # freed, or wholly past (said apart)
    return (
        f"{where}: no unavailable rule of {change.teacher} covers what it names from today on, "
        "and they have no available_only window: nothing changes"
    )


def _move_event(data: dict[str, Any], change: EventMoved, today: dt.date, where: str) -> str | None:
    """A fixed event's days from today on replaced (the past stays; `[]` leaves it without
    days, still in the instance, so that a later re-solve can move it back), or, when it has
    no day before today, its hours, site or rooms too. A warning when it changes nothing."""
    event = _entity(data.get("fixed_events", []), change.event, "fixed event", where)
    past = sorted(d for d in event["dates"] if dt.date.fromisoformat(d) < today)
    if (
        change.dates == ()
        and len(past) == len(event["dates"])
        and not change.as_instance_fields().keys() - {"dates"}
    ):
        return (  # an audit's cancellation of an event whose days were all past: unsaid
            f"{where}: fixed event '{change.event}' has no day from today on to cancel: "
            "nothing changes"
        )
    moved = change.as_instance_fields()
    if change.dates is not None:
        early = sorted(d for d in change.dates if d < today)
        if early:
            raise InputError(
                f"{where} dates: {early[0]} is before today {today}: give the days from today "
                "on (the days that took place stay)"
            )
        moved["dates"] = past + sorted(set(moved["dates"]))
    other = sorted(k for k in moved if k != "dates")
    if other and past:
        raise InputError(
            f"{where}: fixed event '{change.event}' took place on {', '.join(past)} already: "
            f"its {', '.join(other)} cannot change (only its days from today on can)"
        )
    _not_today(event, moved, today, where)
    if "site" in moved and "rooms" not in moved:
        moved["rooms"] = []  # the rooms were the old site's
    if "site" in moved and "location" not in moved:
        event.pop("location", None)  # the old place's words (a review: "M-B, En ligne")
    event.update(moved)
    if event.get("site") == NO_SITE:  # online or abroad: no site, its rooms gone with it
        del event["site"]
    _event_still_valid(data, event, where)
    return None


def _not_today(event: dict[str, Any], moved: dict[str, Any], today: dt.date, where: str) -> None:
    """Nothing of a fixed event is added or changed on today itself, as for sessions: nobody
    could be told in time (an audit added a day today, and moved today's to another site
    and hour, unsaid). Today's day may stay as it was, or go."""
    day = today.isoformat()
    planned = day in event["dates"]
    if day in moved.get("dates", ()) and not planned:
        raise InputError(
            f"{where} dates: {day} is today: a day cannot be added on today itself (nobody "
            "could be told in time); give days from tomorrow on"
        )
    other = sorted(k for k in moved if k != "dates")
    if planned and other and day in moved.get("dates", event["dates"]):
        raise InputError(
            f"{where}: fixed event '{event['id']}' takes place today ({day}): its "
            f"{', '.join(other)} cannot change on today itself (nobody could be told in "
            "time); leave today's day out of its dates to cancel it"
        )


def _event_still_valid(data: dict[str, Any], event: dict[str, Any], where: str) -> None:
    """The moved event passes the instance's own checks of an event (said at the change)."""
    try:
        moved = FixedEvent.model_validate(event)
        sites = {s["id"]: Site.model_validate(s) for s in data["sites"]}
        event_lists_once(moved)
        teachers = {t["id"] for t in data.get("teachers", [])}
        event_references(moved, sites, teachers, {g["id"] for g in data.get("groups", [])})
    except ValidationError as err:
        raise InputError(f"{where}: {first_error(err)}") from err
    except ValueError as err:
        raise InputError(f"{where}: {err}") from err


def _entity(items: list[dict[str, Any]], ident: str, kind: str, where: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == ident:
            return item
    members = [i["id"] for i in items if kind == "site" and i.get("area") == ident]
    if members:  # an areas audit: `site_closed: {site: LIEGE}`, an area, read "unknown site"
        raise InputError(
            f"{where}: unknown site '{ident}': it is an area ({', '.join(members)}) — give one "
            "change per site"
        )
    # the known ids with a close spelling first (a German audit's `EUPN` for EUPEN: no hint)
    raise InputError(f"{where}: {unknown(kind, ident, [i['id'] for i in items])}")


def _known_slots(data: dict[str, Any], body: Any, where: str) -> None:
    """A change's `slots` must name slots of the calendar."""
    known = {slot["id"] for slot in data["calendar"]["slots"]}
    for slot in getattr(body, "slots", None) or ():
        if slot not in known:
            raise InputError(
                f"{where} slots: unknown slot '{slot}' (the calendar's slots: "
                f"{', '.join(sorted(known))})"
            )


def apply_change(data: dict[str, Any], change: Change, today: dt.date, where: str) -> str | None:
    """Apply `change` to the instance data; a warning when it changes nothing."""
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
    elif change.teacher_available is not None:
        return _free_teacher(data, change.teacher_available, today, where)
    elif change.event_moved is not None:
        return _move_event(data, change.event_moved, today, where)
    elif change.add_sessions is not None:
        a = change.add_sessions
        ue = _entity(data["ues"], a.ue, "ue", where)
        series = next((s for s in ue["sessions"] if s.get("series", "main") == a.series), None)
        if series is None:
            raise InputError(f"{where}: ue '{a.ue}' has no series '{a.series}'")
        series["count"] += a.count
    return None
