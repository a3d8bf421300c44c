"""Shared helpers of the export tests (no tests here): solved timetables and an ICS reader.

Solves are cached per seed so that the export test modules share them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from scheduler.data import Problem
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_io import timetable_rows
from scheduler.model.solve import SolveOptions, solve
from scheduler.solution import Assignment, Result

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.yaml"
DTSTAMP = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")


@cache
def tiny_problem() -> Problem:
    return Problem.build(load_instance(TINY))


@cache
def tiny_result(seed: int) -> Result:
    """A solve of `tiny.yaml` with `seed` that found a timetable."""
    result = solve(tiny_problem(), SolveOptions(time_limit=10, deterministic=True, seed=seed))
    assert result.status.has_solution, result
    return result


def tiny_solution(seed: int) -> tuple[Assignment, ...]:
    """A feasible timetable of `tiny.yaml` found with `seed`."""
    return tiny_result(seed).assignments


def tiny_rows(seed: int = 1) -> list[dict[str, str]]:
    return timetable_rows(tiny_problem(), tiny_solution(seed))


def moved(assignments: tuple[Assignment, ...], session: str) -> tuple[tuple[Assignment, ...], date]:
    """The timetable with `session` moved to the other evening of 22/24 September 2026."""
    (current,) = [a for a in assignments if a.session == session]
    day, slot = (
        (date(2026, 9, 24), "THU-EVE")
        if current.date != date(2026, 9, 24)
        else (date(2026, 9, 22), "TUE-EVE")
    )
    changed = tuple(
        Assignment(a.session, day, slot, a.room) if a.session == session else a for a in assignments
    )
    return changed, day


# --- an independent RFC 5545 reader: unfold, split name;params:value, nest components ------
_LINE = re.compile(r"^(?P<name>[A-Za-z0-9-]+)(?P<params>(;[^:;]+=[^:;]*)*):(?P<value>.*)$")


def unfold(text: str) -> list[str]:
    """Content lines with folding undone (RFC 5545 §3.1): CRLF + space/tab continues a line."""
    if "\n" in text.replace("\r\n", ""):
        raise AssertionError("bare LF line break: RFC 5545 wants CRLF")
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def parse_ics(data: bytes) -> list[dict]:
    """Components as dicts {"name", "props": [(name, params, value)], "children": [...]}."""
    root: dict = {"name": "ROOT", "props": [], "children": []}
    stack = [root]
    for line in unfold(data.decode("utf-8")):
        match = _LINE.match(line)
        if match is None:
            raise AssertionError(f"not a content line: {line!r}")
        name, value = match["name"].upper(), match["value"]
        params = dict(p.split("=", 1) for p in match["params"].split(";")[1:])
        if name == "BEGIN":
            node = {"name": value.upper(), "props": [], "children": []}
            stack[-1]["children"].append(node)
            stack.append(node)
        elif name == "END":
            if stack[-1]["name"] != value.upper():
                raise AssertionError(f"END:{value} closes {stack[-1]['name']}")
            stack.pop()
        else:
            stack[-1]["props"].append((name, params, value))
    if len(stack) != 1:
        raise AssertionError(f"unclosed {stack[-1]['name']}")
    return root["children"]


def prop(component: dict, name: str) -> tuple[dict[str, str], str]:
    """The one property `name` of a parsed component (params, raw value)."""
    found = [(p, v) for n, p, v in component["props"] if n == name]
    assert len(found) == 1, (name, found)
    return found[0]


def text_value(raw: str) -> str:
    """A TEXT value with RFC 5545 escapes undone."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)


def vevents(data: bytes) -> list[dict]:
    (calendar,) = parse_ics(data)
    assert calendar["name"] == "VCALENDAR"
    return [c for c in calendar["children"] if c["name"] == "VEVENT"]


def events_by_uid(data: bytes) -> dict[str, dict]:
    """A feed's VEVENTs by UID."""
    return {prop(e, "UID")[1]: e for e in vevents(data)}


def session_row(rows: list[dict[str, str]], session_id: str) -> dict[str, str]:
    """The timetable row of a session (or of an event day, by its key)."""
    return next(r for r in rows if r["session_id"] == session_id)


def event_day(rows: list[dict[str, str]]) -> dict[str, str]:
    """The one fixed event day among `rows`."""
    (day,) = [r for r in rows if r["kind"] == "event"]
    return day
