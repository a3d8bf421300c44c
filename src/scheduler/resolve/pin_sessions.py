"""`pinned`: staff decide where sessions still to give go (a make-up date agreed with the
teacher, a series moved to the other town)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scheduler.data.calendar import expand_calendar
from scheduler.data.instance import Instance
from scheduler.data.sessions import session_id
from scheduler.data.validate_sessions import pin_date_problem
from scheduler.errors import InputError
from scheduler.resolve.change_kinds import Pinned
from scheduler.solution import Assignment


@dataclass
class Published:
    """What a pin is checked against: the published timetable, today, and the calendar."""

    instance: Instance
    placed: Mapping[str, Assignment]
    today: dt.date
    given: set[str]  # sessions that took place (before today, not cancelled)
    cancelled: set[str]
    usable: set[tuple[dt.date, str]] = field(init=False)
    closed: dict[dt.date, str] = field(init=False)

    def __post_init__(self) -> None:
        dated, closed = expand_calendar(self.instance.calendar, self.instance.language)
        self.usable = {(d.date, d.slot) for d in dated}
        self.closed = {c.date: c.reason for c in closed}


def pin_sessions(
    data: dict[str, Any], change: Pinned, published: Published, where: str
) -> dict[str, dict[str, Any]]:
    """The pins `change` gives the sessions still to give that it names (by session id), to
    replace theirs once the past is pinned. A site or room outside the sites a series may use
    is refused for one session (its siblings would be free to follow), and added to the
    series' `sites` when the change names the whole series or UE (its sessions still to give
    are all pinned, those given stay valid where they were)."""
    given = published.given
    place = change.place()
    room_site = {r["id"]: s["id"] for s in data["sites"] for r in s.get("rooms", [])}
    # a slot no calendar has first: "slot 'THU-C' is not open on <date>" hid the typo (an audit)
    _known_place(data, change, room_site, where)
    days = {day for day, _ in published.usable}
    problem = pin_date_problem(change.date, change.slot, days, published.usable, published.closed)
    if problem:
        raise InputError(f"{where} {problem}")
    site = change.site or room_site.get(change.room or "")
    dropped = set(data.get("dropped", []))
    found, pins = False, dict[str, dict[str, Any]]()
    for ue in data["ues"]:
        for series in ue["sessions"]:
            name = series.get("series", "main")
            ids = [session_id(ue["id"], name, n) for n in range(1, series["count"] + 1)]
            named = [
                sid
                for sid in ids
                if sid not in dropped and change.covers(ue["id"], f"{ue['id']}-{name}", sid)
            ]
            found |= bool(named)
            left = [sid for sid in named if sid not in given]
            if left:
                _allow_site(data, ue, series, change, site, where)
            pins |= {sid: {"session": sid, **place} for sid in left}
    if not found:
        raise _nothing_named(change, dropped, where)
    if change.session is not None and change.session in given:
        raise InputError(
            f"{where} session: {change.session} took place on "
            f"{published.placed[change.session].date}, before today {published.today}: only a "
            "session still to give can be pinned"
        )
    _not_before_today(change, published, where)
    _not_where_cancelled(change, published, where)
    return pins


def _allow_site(
    data: dict[str, Any],
    ue: dict[str, Any],
    series: dict[str, Any],
    change: Pinned,
    site: str | None,
    where: str,
) -> None:
    """Add `site` to the sites `series` may use when the change names the whole series or UE;
    refuse it for one session."""
    name = series.get("series", "main")
    allowed = series.get("sites") or ue.get("sites") or [s["id"] for s in data["sites"]]
    if site is not None and site not in allowed:
        if change.session is not None:
            raise InputError(
                f"{where} {'site' if change.site else 'room'}: {change.session} is "
                f"taught at {', '.join(allowed)} only (the sites of its "
                f"{'series' if series.get('sites') else 'UE'}): pin its whole series "
                f"(`series: {ue['id']}-{name}`) to move the series there"
            )
        series["sites"] = [*allowed, site]


def _nothing_named(change: Pinned, dropped: set[str], where: str) -> InputError:
    """The error of a change that names no session: one dropped, or an unknown scope."""
    scope = "session" if change.session else "series" if change.series else "ue"
    named = getattr(change, scope)
    if change.session in dropped:
        return InputError(f"{where} session: {named} was dropped by an earlier re-solve")
    return InputError(f"{where} {scope}: unknown {scope} '{named}'")


def _known_place(
    data: dict[str, Any], change: Pinned, room_site: Mapping[str, str], where: str
) -> None:
    """The slot, site and room exist (and the room is at the site)."""
    slots = {s["id"] for s in data["calendar"]["slots"]}
    sites = {s["id"] for s in data["sites"]}
    for name, value, known in (
        ("slot", change.slot, slots),
        ("site", change.site, sites),
        ("room", change.room, room_site),
    ):
        if value is not None and value not in known:
            raise InputError(
                f"{where} {name}: unknown {name} '{value}' (known: {', '.join(sorted(known))})"
            )
    if (
        change.room is not None
        and change.site is not None
        and room_site[change.room] != change.site
    ):
        raise InputError(
            f"{where} room: room '{change.room}' is at {room_site[change.room]}, not {change.site}"
        )


def _not_where_cancelled(change: Pinned, published: Published, where: str) -> None:
    """A cancelled session is not pinned back to the dated slot it was cancelled from (the
    re-solve closes it to its series: the solve would only find no timetable)."""
    old = published.placed.get(change.session or "")
    if old is None or change.session not in published.cancelled:
        return
    if (change.date, change.slot) == (old.date, old.slot):
        raise InputError(
            f"{where}: {change.session} was cancelled from {old.date} {old.slot}, which is "
            "closed to it: pin it to another day or slot"
        )


def _not_before_today(change: Pinned, published: Published, where: str) -> None:
    """A date from today on; today itself only for a session published today and not
    cancelled (nobody could be told in time of a session moved or placed again today)."""
    today = published.today
    if change.date is None or change.date > today:
        return
    if change.date < today:
        raise InputError(f"{where} date: {change.date} is before today {today}")
    old = published.placed.get(change.session or "")
    if old is None or old.date != today or change.session in published.cancelled:
        raise InputError(
            f"{where} date: {change.date} is today: no session moves, is added or is placed "
            "again on today itself (nobody could be told in time); pin it to a later date"
        )


def undated(pin: dict[str, Any]) -> dict[str, Any]:
    """What of a cancelled session's pin still holds once its date goes: its site and room,
    and its slot unless it was the dated slot's (a series moved to the other town keeps its
    town for the make-up, an audit)."""
    kept = {k: v for k, v in pin.items() if k in ("site", "room")}
    if "date" not in pin and "slot" in pin:
        kept["slot"] = pin["slot"]
    return kept


def pins_of_added(
    data: dict[str, Any], before: dict[str, int], pins: list[dict[str, Any]], settled: set[str]
) -> list[dict[str, Any]]:
    """Pins for the sessions a re-solve adds to a series (`before`: its count then) whose
    sessions still to give all share one pin without a date (the series pinned as a whole:
    one added later joins it there, as a replaced teacher's series gives added sessions to
    the new teacher). `settled`: sessions given, cancelled or dropped."""
    by_session = {p["session"]: p for p in pins}
    out = []
    for ue in data["ues"]:
        for series in ue["sessions"]:
            name = series.get("series", "main")
            old = before.get(f"{ue['id']}-{name}", series["count"])
            if series["count"] <= old:
                continue
            still = [session_id(ue["id"], name, n) for n in range(1, old + 1)]
            places = [
                {k: v for k, v in by_session.get(sid, {}).items() if k != "session"}
                for sid in still
                if sid not in settled
            ]
            shared = places[0] if places else {}
            if not shared or "date" in shared or any(p != shared for p in places):
                continue
            added = [session_id(ue["id"], name, n) for n in range(old + 1, series["count"] + 1)]
            out += [{"session": sid, **shared} for sid in added if sid not in by_session]
    return out
