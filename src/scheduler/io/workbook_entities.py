"""Where each entity of a workbook instance was read: its row's first cell, for messages
about the instance after its reading (pre-flight findings name ids, not cells)."""

from __future__ import annotations

from typing import Any

from scheduler.data.sessions import series_key
from scheduler.io.workbook_read import Loc, Raw

# The prefix of a pin's key: `pin:UE1-main-01#0`, a session's first pin row (`#1` its
# second: pins of one session that agree, one the date and one the room, are allowed)
PIN = "pin:"


def entity_cells(raw: Raw) -> dict[str, str]:
    """Each entity's id (a teacher, a room, a UE, a series, an event...) -> its row's first
    cell (`Teachers!A7`); a precedence, which has none, as `precedences[0]`; each pin row as
    `pin:`, its session's id, `#` and its index (`pin:UE1-main-01#0`). An id that
    two kinds share (a room and a group `OPT-A`) is left out: messages name ids without
    their kind, and the first row found was the wrong one (a review)."""
    found: dict[str, dict[tuple[str, ...], str]] = {}  # id -> its kind -> its row
    for loc, ref in raw.prov.items():
        if not isinstance(loc[-1], int):
            continue
        kind = tuple(k for k in loc if isinstance(k, str))  # ("sites", "rooms"), ...
        item = _found_at(raw.data, loc)
        if loc[:-1] == ("precedences",):
            ident: str | None = f"precedences[{loc[-1]}]"
        elif loc[:-1] == ("pins",):  # a pin: at `pin:`, its session's id and its row number
            session = item.get("session") if isinstance(item, dict) else None
            ident = f"{PIN}{session}#{loc[-1]}" if isinstance(session, str) else None
        elif not isinstance(item, dict):
            ident = None
        elif isinstance(item.get("id"), str):
            ident = item["id"]
        elif kind == ("ues", "sessions") and "series" in item:
            ue = _found_at(raw.data, loc[:2])  # a row of Sessions: the UE's series
            ident = series_key(str(ue.get("id")), str(item["series"]))
        else:
            ident = None
        if ident is not None:
            found.setdefault(ident, {}).setdefault(kind, ref)
    return {i: next(iter(rows.values())) for i, rows in found.items() if len(rows) == 1}


def _found_at(data: Any, loc: Loc) -> Any:
    """The value at `loc` in the instance data, or None when the path leads nowhere."""
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data
