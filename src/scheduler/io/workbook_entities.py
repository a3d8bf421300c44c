"""Where each entity of a workbook instance was read: its row's first cell, for messages
about the instance after its reading (pre-flight findings name ids, not cells)."""

from __future__ import annotations

from typing import Any

from scheduler.data.findings import rules_of
from scheduler.data.instance import Series
from scheduler.data.sessions import series_key
from scheduler.io.workbook_read import Loc, Raw


def entity_cells(raw: Raw) -> dict[str, tuple[str, ...]]:
    """Each entity's id (a teacher, a room, a UE, a series, an event...) -> its rows' first
    cells (`Teachers!A7`); a precedence, which has none, as `precedences[0]`; a session's
    pins at its id, every row of them (pins of one session that agree, the date on one
    row and the room on another, are allowed). An id that two kinds share (a room and a
    group `OPT-A`) is left out: messages name ids without their kind, and the first row
    found was the wrong one (a review)."""
    found: dict[str, dict[tuple[str, ...], list[str]]] = {}  # id -> its kind -> its rows
    for loc, ref in raw.prov.items():
        if not isinstance(loc[-1], int):
            continue
        kind = tuple(k for k in loc if isinstance(k, str))  # ("sites", "rooms"), ...
        item = _found_at(raw.data, loc)
        if loc[:-1] == ("precedences",):
            ident: str | None = f"precedences[{loc[-1]}]"
        elif not isinstance(item, dict):
            ident = None
        elif isinstance(item.get("id"), str):
            ident = item["id"]
        elif kind == ("pins",) and isinstance(item.get("session"), str):
            ident = item["session"]
        elif kind == ("ues", "sessions"):
            # a row of Sessions: the UE's series, `main` when the row names none (a Flemish
            # audit's UE of one series: "8 sessions of UE1-main can be placed nowhere" had
            # no cell)
            ue = _found_at(raw.data, loc[:2])
            ident = series_key(
                str(ue.get("id")), str(item.get("series") or Series.model_fields["series"].default)
            )
        elif kind == ("calendar", "closures"):
            ident = f"closures[{loc[-1]}]"  # as the pre-flight's findings name a closure
        elif len(loc) > 2 and loc[-2] in RULE_KINDS:
            # an Availability row: `T1/available_only` (a Flemish audit's visitor window of
            # the wrong year was said at the teacher's row, not at the window's)
            owner = _found_at(raw.data, loc[:-2])
            named = owner.get("id") if isinstance(owner, dict) else None
            ident = rules_of(named, str(loc[-2])) if isinstance(named, str) else None
        else:
            ident = None
        if ident is not None:
            found.setdefault(ident, {}).setdefault(kind, []).append(ref)
    return {i: tuple(next(iter(rows.values()))) for i, rows in found.items() if len(rows) == 1}


#: the availability rules' kinds, each a list of an entity's rows on Availability
RULE_KINDS = ("unavailable", "available_only", "avoid")


def _found_at(data: Any, loc: Loc) -> Any:
    """The value at `loc` in the instance data, or None when the path leads nowhere."""
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data
