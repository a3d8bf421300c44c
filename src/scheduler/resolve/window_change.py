"""A `window` change: a UE's or series' window set anew from today on.

The sessions given before today keep their dates, so the new window must still hold them
(their pins would otherwise break it). A UE's window does not reach a series that has its own
(`Session.window` takes the series' first): that is said, with the change that would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scheduler.data.sessions import session_id
from scheduler.data.types import did_you_mean
from scheduler.data.validate_ids import unknown
from scheduler.errors import InputError
from scheduler.resolve.change_kinds import WindowChanged
from scheduler.solution import Assignment


def _target(data: dict[str, Any], change: WindowChanged, where: str) -> tuple[dict[str, Any], Any]:
    """(the UE, the series or None) the change names."""
    for ue in data["ues"]:
        if change.ue == ue["id"]:
            return ue, None
        for series in ue["sessions"]:
            if change.series == f"{ue['id']}-{series.get('series', 'main')}":
                return ue, series
    if change.ue:
        raise InputError(f"{where}: {unknown('ue', change.ue, [ue['id'] for ue in data['ues']])}")
    every = [f"{ue['id']}-{s.get('series', 'main')}" for ue in data["ues"] for s in ue["sessions"]]
    raise InputError(
        f"{where}: unknown series '{change.series}'{did_you_mean(change.series or '', every)}"
    )


def change_window(
    data: dict[str, Any],
    change: WindowChanged,
    given: set[str],
    placed: dict[str, Assignment],
    calendar: tuple[dt.date, dt.date],
    where: str,
) -> str | None:
    """Set the window in `data`; a warning for the UE's series it does not reach. `given`:
    the sessions that took place, `placed`: the published placements, `calendar`: its first
    and last days (a bound left as it was, where there was no window)."""
    ue, series = _target(data, change, where)
    holder = series if series is not None else ue
    old = holder.get("window") or {}
    first = change.from_ or dt.date.fromisoformat(old.get("from", calendar[0].isoformat()))
    last = change.to or dt.date.fromisoformat(old.get("to", calendar[1].isoformat()))
    if last < first:
        raise InputError(f"{where}: its window would end {last}, before it begins {first}")
    reached = [series] if series is not None else [x for x in ue["sessions"] if "window" not in x]
    for x in reached:
        for n in range(1, x["count"] + 1):
            sid = session_id(ue["id"], x.get("series", "main"), n)
            day = placed[sid].date if sid in placed and sid in given else None
            if day is not None and not first <= day <= last:
                raise InputError(
                    f"{where}: {sid} took place on {day}, outside {first}–{last}: the window "
                    "must hold the sessions given"
                )
    holder["window"] = {"from": first.isoformat(), "to": last.isoformat()}
    own = [f"{ue['id']}-{x.get('series', 'main')}" for x in ue["sessions"] if x not in reached]
    if series is None and own:
        return (
            f"{where}: {', '.join(own)} keep their own window: give a window change for each "
            "series to change it"
        )
    return None
