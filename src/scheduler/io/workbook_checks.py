"""Workbook-level checks (duplicate ids, unknown references) and locating model errors at cells.

The instance model checks all of this too, but only the workbook knows where a value was typed:
these checks run first so that their errors name the cell, e.g.
`Teachers!C7: unknown site 'NAMURR' (known: MONS, NAMUR)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from scheduler.data.sessions import session_id
from scheduler.data.types import known_values
from scheduler.data.validate import room_elsewhere
from scheduler.io.validation_words import value_words
from scheduler.io.workbook_columns import EMPTY_LIST
from scheduler.io.workbook_read import Loc, Raw
from scheduler.io.workbook_values import CellError, show


def _unique(raw: Raw, kind: str, items: Iterable[tuple[Loc, Any]]) -> None:
    first: dict[Any, Loc] = {}
    for loc, ident in items:
        if ident in first:
            also = raw.where((*first[ident], "id")) or "?"
            raise CellError(raw.where((*loc, "id")), f"duplicate {kind} id {ident!r} (also {also})")
        first[ident] = loc


def _listed(items: list[dict[str, Any]], prefix: Loc) -> list[tuple[Loc, Any]]:
    return [((*prefix, i), item.get("id")) for i, item in enumerate(items)]


def unique_ids(raw: Raw) -> None:
    """Ids are unique within their kind (rooms across all sites, series within a UE)."""
    d = raw.data
    _unique(raw, "slot", _listed(d["calendar"]["slots"], ("calendar", "slots")))
    rooms = [
        (("sites", i, "rooms", j), room["id"])
        for i, site in enumerate(d["sites"])
        for j, room in enumerate(site["rooms"])
    ]
    _unique(raw, "room", rooms)
    for key, kind in (("groups", "group"), ("teachers", "teacher"), ("ues", "ue")):
        _unique(raw, kind, _listed(d[key], (key,)))
    _unique(raw, "fixed event", _listed(d["fixed_events"], ("fixed_events",)))
    for i, ue in enumerate(d["ues"]):
        names = [
            (("ues", i, "sessions", j), s.get("series", "main"))
            for j, s in enumerate(ue["sessions"])
        ]
        first: dict[str, Loc] = {}
        for loc, name in names:
            if name in first:
                also = raw.where((*first[name], "series"))
                raise CellError(
                    raw.where((*loc, "series")),
                    f"ue {ue['id']!r}: duplicate series {name!r} (also {also})",
                )
            first[name] = loc


class _Refs:
    """Checks that the ids at some locations are known."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw

    def check(self, loc: Loc, value: Any, kind: str, known: Iterable[str]) -> None:
        """Every id of `value` (one id or a list) is in `known`."""
        known = set(known)
        values = (value,) if isinstance(value, str) else (value or ())
        for item in values:
            if item not in known:
                raise CellError(
                    self.raw.where(loc), f"unknown {kind} {item!r} {known_values(item, known)}"
                )

    def fields(
        self, loc: Loc, item: dict[str, Any], kinds: dict[str, tuple[str, set[str]]]
    ) -> None:
        """Check the fields of `item` named in `kinds` (field -> (kind, known ids))."""
        for name, (kind, known) in kinds.items():
            if item.get(name) is not None:
                self.check((*loc, name), item[name], kind, known)


def _rules(owner: dict[str, Any]) -> Iterable[tuple[str, int, dict[str, Any]]]:
    for kind in ("unavailable", "available_only", "avoid"):
        for j, rule in enumerate(owner.get(kind, ())):
            yield kind, j, rule


def references(raw: Raw) -> None:
    """Every id typed in a cell names something defined in the workbook."""
    d, refs = raw.data, _Refs(raw)
    slots = {s["id"] for s in d["calendar"]["slots"]}
    sites = {s["id"]: {r["id"] for r in s["rooms"]} for s in d["sites"]}
    rooms = {r for ids in sites.values() for r in ids}
    groups = {g["id"] for g in d["groups"]}
    teachers = {t["id"] for t in d["teachers"]}
    for i, closure in enumerate(d["calendar"].get("closures", ())):
        refs.fields(("calendar", "closures", i), closure, {"slots": ("slot", slots)})
    for i, site in enumerate(d["sites"]):
        for j, room in enumerate(site["rooms"]):
            for kind, k, rule in _rules(room):
                refs.fields(("sites", i, "rooms", j, kind, k), rule, {"slots": ("slot", slots)})
    for i, group in enumerate(d["groups"]):
        refs.fields(("groups", i), group, {"part_of": ("group", groups)})
    for i, teacher in enumerate(d["teachers"]):
        refs.fields(("teachers", i), teacher, {"home_site": ("site", set(sites))})
        for kind, k, rule in _rules(teacher):
            refs.fields(("teachers", i, kind, k), rule, {"slots": ("slot", slots)})
    people = {"teachers": ("teacher", teachers), "groups": ("group", groups)}
    for i, ue in enumerate(d["ues"]):
        refs.fields(("ues", i), ue, {**people, "sites": ("site", set(sites))})
        for j, series in enumerate(ue["sessions"]):
            refs.fields(
                ("ues", i, "sessions", j), series, {**people, "sites": ("site", set(sites))}
            )
            for kind, k, rule in _rules(series):
                loc = ("ues", i, "sessions", j, kind, k)
                refs.fields(loc, rule, {"slots": ("slot", slots)})
    for i, event in enumerate(d["fixed_events"]):
        refs.fields(("fixed_events", i), event, {**people, "site": ("site", set(sites))})
        refs.fields(("fixed_events", i), event, {"rooms": ("room", rooms)})
        if not event.get("site"):  # online, abroad or a deadline: its rooms are refused later
            continue
        here = sites[event["site"]]
        elsewhere = [r for r in event.get("rooms") or () if r not in here]
        if elsewhere:  # "unknown room at NAMUR 'M-AUD'" misled: it is known, at MONS (an audit)
            at = next(s for s, ids in sites.items() if elsewhere[0] in ids)
            said = room_elsewhere(elsewhere[0], at, event["site"], here)
            raise CellError(raw.where(("fixed_events", i, "rooms")), said)
    _precedences_and_pins(raw, slots, set(sites), rooms)


def _is_session(text: object, series: dict[str, tuple[str, str, int]]) -> bool:
    """Whether `text` is the id of a session of a series (series id -> UE, name, count),
    found without listing them all: a count mistyped as 10^9 filled the memory before its
    own error could be said (an audit)."""
    if not isinstance(text, str):
        return False
    sid, _, number = text.rpartition("-")
    if sid not in series or not number.isdigit():
        return False
    ue, name, count = series[sid]
    return 1 <= int(number) <= count and session_id(ue, name, int(number)) == text


def _precedences_and_pins(raw: Raw, slots: set[str], sites: set[str], rooms: set[str]) -> None:
    d, refs = raw.data, _Refs(raw)
    series = [
        (u["id"], s.get("series", "main"), s["count"]) for u in d["ues"] for s in u["sessions"]
    ]
    counts = {f"{ue}-{name}": (ue, name, count) for ue, name, count in series}
    targets = {u["id"] for u in d["ues"]} | set(counts) | {e["id"] for e in d["fixed_events"]}
    for i, p in enumerate(d["precedences"]):
        for name in ("before", "after"):
            if p[name] not in targets and not _is_session(p[name], counts):
                raise CellError(
                    raw.where(("precedences", i, name)),
                    f"unknown UE, series, session or fixed event {p[name]!r}",
                )
    for i, pin in enumerate(d["pins"]):
        if not _is_session(pin["session"], counts):
            example = min(f"{sid}-01" for sid in counts) if counts else "UE1-main-01"
            raise CellError(
                raw.where(("pins", i, "session")),
                f"unknown session {pin['session']!r} (session ids look like {example})",
            )
        refs.fields(
            ("pins", i),
            pin,
            {"slot": ("slot", slots), "site": ("site", sites), "room": ("room", rooms)},
        )
    _pinned_once(raw)


def _pinned_once(raw: Raw) -> None:
    """Two pins of one session to different places (an audit's two Pins rows with two dates
    converted without a word, then failed to solve naming no row): both cells named."""
    first: dict[tuple[str, str], tuple[int, Any]] = {}
    for i, pin in enumerate(raw.data["pins"]):
        for field, value in pin.items():
            if field == "session" or value is None:
                continue
            j, before = first.setdefault((pin["session"], field), (i, value))
            if str(before) != str(value):
                raise CellError(
                    raw.where(("pins", i, field)),
                    f"session {pin['session']!r} is pinned twice, to different places ({field} "
                    f"{before} and {value}; also {raw.where(('pins', j, field))}): keep one pin",
                )


# --- errors found by the instance model, located back at their cell ----------------------------


def _index(items: list[dict[str, Any]], key: str, value: str) -> int | None:
    return next((i for i, item in enumerate(items) if item.get(key, "main") == value), None)


def _ue_loc(d: dict[str, Any], m: re.Match[str]) -> Loc | None:
    i = _index(d["ues"], "id", m["id"])
    if i is None:
        return None
    if m["series"] is None:
        return ("ues", i, m["field"] or "id")
    j = _index(d["ues"][i]["sessions"], "series", m["series"])
    return None if j is None else ("ues", i, "sessions", j, m["field"] or "series")


def _entity_loc(d: dict[str, Any], m: re.Match[str]) -> Loc | None:
    key = {"teacher": "teachers", "group": "groups", "fixed event": "fixed_events"}[m["kind"]]
    i = _index(d[key], "id", m["id"])
    return None if i is None else (key, i, m["field"] or "id")


def _room_loc(d: dict[str, Any], m: re.Match[str]) -> Loc | None:
    for i, site in enumerate(d["sites"]):
        j = _index(site["rooms"], "id", m["id"])
        if j is not None:
            return ("sites", i, "rooms", j, m["field"] or "id")
    return None


def _pin_loc(d: dict[str, Any], m: re.Match[str]) -> Loc | None:
    i = _index(d["pins"], "session", m["id"])
    return None if i is None else ("pins", i, m["field"] or "session")


def _slot_loc(d: dict[str, Any], m: re.Match[str]) -> Loc | None:
    i = _index(d["calendar"]["slots"], "id", m["id"])
    return None if i is None else ("calendar", "slots", i, "id")


_F = r"(?: (?P<field>\w+))?:"


def _holiday_field(why: str) -> str:
    """The key a holiday source's error is about (its cell, not the country's: an audit's
    wrong subdivision was shown at the country cell): the package's words before the list
    of what it has."""
    said = why.split("; the holidays package has")[0].lower()
    if "subdivision" in said:
        return "subdiv"
    return "language" if re.search(r"\blanguage\b", said) else "country"


_MESSAGE_LOCS: tuple[
    tuple[re.Pattern[str], Callable[[dict[str, Any], re.Match[str]], Loc | None]], ...
] = (
    (re.compile(rf"^ue '(?P<id>[^']+)'(?: series '(?P<series>[^']+)')?{_F}"), _ue_loc),
    (re.compile(rf"^(?P<kind>teacher|group|fixed event) '(?P<id>[^']+)'{_F}"), _entity_loc),
    (re.compile(rf"^room '(?P<id>[^']+)'{_F}"), _room_loc),
    (re.compile(rf"^pin of session '(?P<id>[^']+)'{_F}"), _pin_loc),
    (re.compile(r"^calendar\.slots: slot '(?P<id>[^']+)'"), _slot_loc),
    (
        re.compile(rf"^session_teachers\[(?P<i>\d+)\]{_F}"),
        lambda d, m: ("session_teachers", int(m["i"]), m["field"] or "session"),
    ),
    (
        re.compile(rf"^precedences\[(?P<i>\d+)\]{_F}"),
        lambda d, m: ("precedences", int(m["i"]), m["field"] or "before"),
    ),
    (
        re.compile(r"^calendar\.closures\[(?P<i>\d+)\]\.(?P<field>\w+):"),
        lambda d, m: ("calendar", "closures", int(m["i"]), m["field"]),
    ),
    (re.compile(r"^reordered:"), lambda d, m: ("reordered",)),
    (re.compile(r"^dropped:"), lambda d, m: ("dropped",)),
    (re.compile(r"^frozen_before"), lambda d, m: ("frozen_before",)),
    (
        re.compile(r"^calendar (?P<which>public_holidays|school_holidays)(?P<why>.*)$"),
        lambda d, m: ("calendar", m["which"], _holiday_field(m["why"])),
    ),
    (
        re.compile(r"^(?P<key>timezone|weights)(?: (?P<field>\w+))?:"),
        lambda d, m: (m["key"], m["field"]) if m["field"] else (m["key"],),
    ),
)


def _named_field(raw: Raw, loc: Loc, message: str) -> Loc:
    """An entity's error that starts with one of its fields (`end 09:00 is not after start
    18:00`, `'to' ... is before 'from' ...`) is that field's cell, not the entity's first."""
    word = re.match(r"'?(\w+)'?", message)
    field = (*loc, word[1]) if word else loc
    return field if word and field in raw.prov else loc


def locate_validation_error(raw: Raw, err: ValidationError) -> CellError:
    """The first error of the instance model, at the cell the offending value came from."""
    first = err.errors()[0]
    loc: Loc = tuple(p for p in first["loc"] if not str(p).startswith("function-"))
    message = str(first["msg"]).removeprefix("Value error, ")
    if loc:
        words = value_words(first)  # as the YAML reader says it (a review)
        if words is not None:
            message = f"{loc[-1]}: {words}"
        elif first["type"] != "value_error":
            message = f"{loc[-1]}: {message[:1].lower()}{message[1:]} (got {show(first['input'])})"
        return CellError(raw.where(_named_field(raw, loc, message)), message)
    for pattern, to_loc in _MESSAGE_LOCS:
        match = pattern.match(message)
        if match:
            where = to_loc(raw.data, match)
            if where is not None:
                return CellError(raw.where(where), _in_workbook_words(message))
    return CellError(None, message)


def _in_workbook_words(message: str) -> str:
    """A message located at a cell without the YAML path it starts with, which a workbook
    does not have (`precedences[0]: 'UE5' cannot precede itself`: an audit), and with the
    workbook's way of writing an empty list (`-`) for YAML's (an audit)."""
    message = re.sub(r"^(?:session_teachers|precedences)\[\d+\](?=[ :])[: ]*", "", message)
    return message.replace(
        "`groups: []` on the series", f"'{EMPTY_LIST}' in its groups on sheet Sessions"
    )
