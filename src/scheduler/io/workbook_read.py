"""Assembling the rows of an instance workbook into instance data, remembering each value's cell.

`Raw.data` has the shape of a YAML instance (SCHEMA.md section 1); `Raw.prov` maps a pydantic
location such as `("teachers", 3, "home_site")` to the cell it came from (`Teachers!C6`), so
that any later error, ours or the model's, can name the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scheduler.data.types import known_values
from scheduler.io.workbook_cells import CellSource, Row, missing_column, read_table
from scheduler.io.workbook_columns import FIRST_DATA_ROW, SheetSpec, cell_ref
from scheduler.io.workbook_layout import (
    AVAILABILITY,
    CLOSURES,
    FIXED_EVENTS,
    GROUPS,
    PINS,
    PRECEDENCES,
    PROGRAMME,
    SESSION_TEACHERS,
    SESSIONS,
    SITES,
    SLOTS,
    TABLES,
    TEACHERS,
    UES,
    WEIGHTS,
)
from scheduler.io.workbook_sheets import own_sheets, programme_keys
from scheduler.io.workbook_values import CellError

Loc = tuple[str | int, ...]

# Where each key of the programme sheet goes in the instance.
KEY_LOCS: dict[str, Loc] = {
    "name": ("name",),
    "title": ("title",),
    "language": ("language",),
    "timezone": ("timezone",),
    "calendar.start": ("calendar", "start"),
    "calendar.end": ("calendar", "end"),
    "public_holidays.country": ("calendar", "public_holidays", "country"),
    "public_holidays.subdiv": ("calendar", "public_holidays", "subdiv"),
    "public_holidays.dates": ("calendar", "public_holidays", "dates"),
    "public_holidays.language": ("calendar", "public_holidays", "language"),
    "school_holidays.country": ("calendar", "school_holidays", "country"),
    "school_holidays.subdiv": ("calendar", "school_holidays", "subdiv"),
    "school_holidays.dates": ("calendar", "school_holidays", "dates"),
    "school_holidays.language": ("calendar", "school_holidays", "language"),
    "preferences.group_week_target": ("preferences", "group_week_target"),
    "preferences.room_capacity": ("preferences", "room_capacity"),
    "reordered": ("reordered",),
    "dropped": ("dropped",),
    "frozen_before": ("frozen_before",),
}
_RULE_FIELDS = {"date": "date", "from": "from", "to": "to", "weekday": "weekday", "slots": "slots"}


@dataclass
class Raw:
    """Instance data under construction and the cell of every value in it."""

    data: dict[str, Any] = field(default_factory=dict)
    prov: dict[Loc, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # sheets not part of the instance
    notes: list[str] = field(default_factory=list)  # legal but suspicious rows, located

    def where(self, loc: Loc) -> str | None:
        """The cell of `loc`, or of its nearest enclosing entity."""
        for end in range(len(loc), 0, -1):
            ref = self.prov.get(loc[:end])
            if ref is not None:
                return ref
        return None

    def take(self, loc: Loc, row: Row, fields: dict[str, str]) -> dict[str, Any]:
        """The row's values under instance field names (from column names), located at `loc`."""
        self.prov[loc] = row.anchor
        out: dict[str, Any] = {}
        for name, column in fields.items():
            self.prov[(*loc, name)] = row.ref(column)
            if column in row.values:
                out[name] = row.values[column]
        return out


def _same(spec: SheetSpec, *skip: str) -> dict[str, str]:
    return {c.name: c.name for c in spec.columns if c.name not in skip}


def _window(raw: Raw, loc: Loc, row: Row, into: dict[str, Any]) -> None:
    first, last = row.values.get("window_from"), row.values.get("window_to")
    if first is None and last is None:
        return
    if first is None or last is None:
        empty, given = (
            ("window_from", "window_to") if first is None else ("window_to", "window_from")
        )
        raise CellError(
            row.ref(empty), f"{empty}: empty while {given} is set (give both or neither)"
        )
    into["window"] = {"from": first, "to": last}
    raw.prov[(*loc, "window")] = row.ref("window_from")
    raw.prov[(*loc, "window", "from")] = row.ref("window_from")
    raw.prov[(*loc, "window", "to")] = row.ref("window_to")


def _programme(raw: Raw, keys: dict[str, Row]) -> None:
    for name, row in keys.items():
        loc = KEY_LOCS[name]
        raw.prov[loc] = row.ref(name)
        if len(loc) > 1:
            raw.prov.setdefault(loc[:-1], row.ref(name))
        if name not in row.values:
            continue
        node = raw.data
        for step in loc[:-1]:
            node = node.setdefault(str(step), {})
        node[str(loc[-1])] = row.values[name]
    raw.data.setdefault("calendar", {})


def _slots(raw: Raw, rows: list[Row]) -> None:
    if not rows:
        raise CellError(cell_ref(SLOTS.name, 1, FIRST_DATA_ROW), "no slot: give the weekly slots")
    raw.data["calendar"]["slots"] = [
        raw.take(("calendar", "slots", i), row, _same(SLOTS)) for i, row in enumerate(rows)
    ]


def _closures(raw: Raw, rows: list[Row]) -> None:
    if rows:
        raw.data["calendar"]["closures"] = [
            raw.take(("calendar", "closures", i), row, _same(CLOSURES))
            for i, row in enumerate(rows)
        ]


def _sites(raw: Raw, rows: list[Row]) -> dict[str, Loc]:
    """Sites in order of first appearance, their rooms in row order; returns room id -> loc."""
    if not rows:
        raise CellError(cell_ref(SITES.name, 1, FIRST_DATA_ROW), "no site: give at least one site")
    sites: dict[str, dict[str, Any]] = {}
    rooms: dict[str, Loc] = {}
    for row in rows:
        sid = row.values["site"]
        if sid not in sites:
            sites[sid] = {"id": sid, "rooms": []}
            raw.prov[("sites", len(sites) - 1)] = raw.prov[("sites", len(sites) - 1, "id")] = (
                row.ref("site")
            )
        i = list(sites).index(sid)
        site = sites[sid]
        for name, column in (
            ("name", "site_name"),
            ("address", "site_address"),
            ("area", "site_area"),
        ):
            if column not in row.values:
                continue
            if name in site and site[name] != row.values[column]:
                also = raw.prov[("sites", i, name)]
                raise CellError(
                    row.ref(column),
                    f"site {sid!r} already has {name} {site[name]!r} ({also}):"
                    " repeat it or leave this cell empty",
                )
            site[name] = row.values[column]
            raw.prov.setdefault(("sites", i, name), row.ref(column))
        _room(raw, row, i, site, rooms)
    raw.data["sites"] = list(sites.values())
    return rooms


def _room(raw: Raw, row: Row, i: int, site: dict[str, Any], rooms: dict[str, Loc]) -> None:
    fields = {"id": "room", "name": "room_name", "capacity": "capacity", "features": "features"}
    if "room" not in row.values:
        given = [c for c in fields.values() if c in row.values]
        if given:
            raise CellError(row.ref("room"), f"room: empty, but {given[0]} is given")
        return
    if "capacity" not in row.refs:  # the column deleted: said as size's or count's is
        raise missing_column(row.sheet, "capacity")
    if "capacity" not in row.values:
        raise CellError(row.ref("capacity"), "capacity: required value is empty (for a room)")
    loc: Loc = ("sites", i, "rooms", len(site["rooms"]))
    ident = row.values["room"]
    if ident in rooms:  # here, before a sheet read later names the room it replaced (an audit)
        also = raw.prov.get(rooms[ident]) or "?"
        raise CellError(row.ref("room"), f"duplicate room id {ident!r} (also {also})")
    site["rooms"].append(raw.take(loc, row, fields))
    raw.prov[loc] = row.ref("room")
    rooms[ident] = loc


def _table(raw: Raw, key: str, rows: list[Row], spec: SheetSpec) -> dict[str, Loc]:
    """A plain one-row-per-entity sheet; returns id -> loc. A duplicate id is an error at
    once, before other sheets refer to the entity (and would be blamed for it)."""
    raw.data[key] = [raw.take((key, i), row, _same(spec)) for i, row in enumerate(rows)]
    index: dict[str, Loc] = {}
    for i, item in enumerate(raw.data[key]):
        _once(raw, index, item["id"], (key, i), key.rstrip("s").replace("_", " "))
    return index


def _once(raw: Raw, index: dict[str, Loc], ident: str, loc: Loc, kind: str) -> None:
    """Record `ident` at `loc` in `index`, or name both cells if it is there already."""
    if ident in index:
        also = raw.where((*index[ident], "id")) or "?"
        raise CellError(raw.where((*loc, "id")), f"duplicate {kind} id {ident!r} (also {also})")
    index[ident] = loc


def _availability(
    raw: Raw, rows: list[Row], teachers: dict[str, Loc], rooms: dict[str, Loc]
) -> list[Row]:
    """Teacher and room rules; returns the series rules, placed once the UEs are read."""
    series_rows = []
    for row in rows:
        teacher, room, kind = row.values.get("teacher"), row.values.get("room"), row.values["kind"]
        ue = row.values.get("ue")
        if ue is None and "series" in row.values:
            raise CellError(row.ref("ue"), "ue: empty while series is set (give the series' UE)")
        if teacher is not None and room is not None:
            raise CellError(row.ref("room"), "room: give a teacher or a room on a row, not both")
        if ue is not None and (teacher is not None or room is not None):
            raise CellError(row.ref("ue"), "ue: give a teacher, a room or a series, not several")
        if teacher is None and room is None and ue is None:
            raise CellError(
                row.ref("teacher"),
                "teacher: empty, and so is room: give one of them (or a ue and its series)",
            )
        if ue is not None:
            series_rows.append(row)
            continue
        if teacher is not None:
            if teacher not in teachers:
                raise CellError(
                    row.ref("teacher"),
                    f"unknown teacher {teacher!r} {known_values(teacher, teachers)}",
                )
            owner = teachers[teacher]
        else:
            if room not in rooms:
                raise CellError(
                    row.ref("room"), f"unknown room {room!r} {known_values(str(room), rooms)}"
                )
            if kind != "unavailable":
                raise CellError(
                    row.ref("kind"), f"a room rule is always 'unavailable', got {kind!r}"
                )
            owner = rooms[room]
        _add_rule(raw, owner, kind, row)
    return series_rows


def _add_rule(raw: Raw, owner: Loc, kind: str, row: Row) -> None:
    target = _at(raw.data, owner)
    rules = target.setdefault(kind, [])
    rules.append(raw.take((*owner, kind, len(rules)), row, _RULE_FIELDS))
    given = [end for end in ("from", "to") if end in row.values]
    if len(given) == 1:  # an audit: a forgotten 'to' silently lengthened an absence
        holds = (
            "from then to the end of the calendar"
            if given == ["from"]
            else "from the start of the calendar up to then"
        )
        raw.notes.append(
            f"{row.anchor}: {kind} rule with '{given[0]}' but no "
            f"'{'to' if given == ['from'] else 'from'}': it holds {holds}"
        )


def _series_availability(raw: Raw, rows: list[Row]) -> None:
    """Series rules (columns ue and series) into the series read from sheet Sessions."""
    ues = {ue["id"]: i for i, ue in reversed(list(enumerate(raw.data["ues"])))}
    for row in rows:
        uid, name = row.values["ue"], row.values.get("series", "main")
        if uid not in ues:
            raise CellError(row.ref("ue"), f"unknown ue {uid!r} {known_values(uid, ues)}")
        series = raw.data["ues"][ues[uid]]["sessions"]
        names = [s.get("series", "main") for s in series]
        if name not in names:
            raise CellError(
                row.ref("series"), f"ue {uid!r} has no series {name!r} {known_values(name, names)}"
            )
        if row.values["kind"] != "unavailable":
            raise CellError(
                row.ref("kind"),
                f"a series rule is always 'unavailable', got {row.values['kind']!r}",
            )
        _add_rule(raw, ("ues", ues[uid], "sessions", names.index(name)), "unavailable", row)


def _at(data: dict[str, Any], loc: Loc) -> dict[str, Any]:
    node: Any = data
    for step in loc:
        node = node[step]
    assert isinstance(node, dict)
    return node


def _ues(raw: Raw, ue_rows: list[Row], series_rows: list[Row]) -> None:
    fields = _same(UES, "window_from", "window_to")
    ues: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    seen: dict[str, Loc] = {}
    for i, row in enumerate(ue_rows):
        ue = raw.take(("ues", i), row, fields)
        _window(raw, ("ues", i), row, ue)
        ue["sessions"] = []
        ues.append(ue)
        _once(raw, seen, ue["id"], ("ues", i), "ue")
        index[ue["id"]] = i
    fields = _same(SESSIONS, "ue", "window_from", "window_to")
    for row in series_rows:
        uid = row.values["ue"]
        if uid not in index:
            raise CellError(row.ref("ue"), f"unknown ue {uid!r} {known_values(uid, index)}")
        i = index[uid]
        loc: Loc = ("ues", i, "sessions", len(ues[i]["sessions"]))
        series = raw.take(loc, row, fields)
        _window(raw, loc, row, series)
        ues[i]["sessions"].append(series)
    for i, (ue, row) in enumerate(zip(ues, ue_rows, strict=True)):
        if not ue["sessions"] and index[ue["id"]] == i:
            raise CellError(  # an internship or thesis row, typed for its ECTS (an audit)
                row.anchor,
                f"ue {ue['id']!r} has no series: add a row on sheet Sessions (a UE without "
                "sessions, such as an internship or the thesis, is not timetabled: leave its row "
                "out, or keep it on a sheet of your own)",
            )
    raw.data["ues"] = ues


def _weights(raw: Raw, rows: list[Row]) -> None:
    weights: dict[str, int] = {}
    for row in rows:
        rule = row.values["rule"]
        if rule in weights:
            raise CellError(
                row.ref("rule"), f"duplicate rule {rule!r} (also {raw.prov[('weights', rule)]})"
            )
        weights[rule] = row.values["weight"]
        raw.prov[("weights", rule)] = row.ref("rule")
    raw.data["weights"] = weights


def assemble(source: CellSource) -> Raw:
    """Read every sheet of the workbook into instance data with cell provenance."""
    raw = Raw()
    raw.ignored += own_sheets(source)
    for name in (PROGRAMME, *(t.name for t in TABLES if t.required)):
        if name not in source.book.sheetnames:
            raise CellError(None, f"no sheet {name!r}")
    _programme(raw, programme_keys(source))
    _slots(raw, read_table(source, SLOTS))
    _closures(raw, read_table(source, CLOSURES))
    rooms = _sites(raw, read_table(source, SITES))
    _table(raw, "groups", read_table(source, GROUPS), GROUPS)
    teachers = _table(raw, "teachers", read_table(source, TEACHERS), TEACHERS)
    series_rules = _availability(raw, read_table(source, AVAILABILITY), teachers, rooms)
    _ues(raw, read_table(source, UES), read_table(source, SESSIONS))
    _series_availability(raw, series_rules)
    _table(raw, "fixed_events", read_table(source, FIXED_EVENTS), FIXED_EVENTS)
    raw.data["precedences"] = [
        raw.take(("precedences", i), row, _same(PRECEDENCES))
        for i, row in enumerate(read_table(source, PRECEDENCES))
    ]
    raw.data["pins"] = [
        raw.take(("pins", i), row, _same(PINS)) for i, row in enumerate(read_table(source, PINS))
    ]
    raw.data["session_teachers"] = [
        raw.take(("session_teachers", i), row, _same(SESSION_TEACHERS))
        for i, row in enumerate(read_table(source, SESSION_TEACHERS))
    ]
    _weights(raw, read_table(source, WEIGHTS))
    return raw
