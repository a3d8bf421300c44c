"""`timetable.html`: one self-contained page with month, week and list views and filters.

No network: the data is embedded as JSON, the script and stylesheet are inline and a
Content-Security-Policy forbids fetching anything. The page reads an initial state from the URL
hash, e.g. `timetable.html#group=OPT-A&view=week&date=2026-09-15`, and keeps it there, so a
filtered view can be bookmarked or shared. Every instance string reaches the page either
HTML-escaped (title) or as JSON text inserted with `textContent`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from scheduler.data.problem import Problem
from scheduler.export.common import (
    Entity,
    Row,
    entities,
    group_chain,
    group_names,
    location,
    room_names,
    split,
    summary,
    teacher_names,
    ue_colours,
    uid_key,
)
from scheduler.export.html_assets import CSS, JS

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def script_json(data: Any) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, `<!--` or `]]>` can form."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _item(problem: Problem, row: Row) -> dict[str, Any]:
    site = next((s for s in problem.instance.sites if s.id == row["site"]), None)
    return {
        "key": uid_key(row),
        "kind": row["kind"],
        "id": row["session_id"],
        "ue": row["ue"],
        "summary": summary(problem, row),
        "date": row["date"],
        "start": row["start"],
        "end": row["end"],
        "site": row["site"],
        "siteName": (site.name or site.id) if site else row["site"],
        "rooms": split(row["room"]),
        "roomNames": room_names(problem, row),
        "teachers": split(row["teachers"]),
        "teacherNames": ", ".join(teacher_names(problem, row)) or "-",
        "groups": split(row["groups"]),
        "groupNames": ", ".join(group_names(problem, row)) or "-",
        "location": location(problem, row),
    }


def _entity(problem: Problem, entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entity.id, "label": entity.label}
    if entity.kind == "group":
        data["chain"] = list(group_chain(problem, entity.id))
    if entity.kind == "room":
        site = problem.room_site[entity.id]
        data["optgroup"] = next(
            (s.name or s.id for s in problem.instance.sites if s.id == site), site
        )
    return data


def _hours(rows: Sequence[Row]) -> list[int]:
    """Whole hours framing every row's times (08-22 when there are none)."""
    if not rows:
        return [8, 22]
    starts = [int(r["start"][:2]) for r in rows]
    ends = [int(r["end"][:2]) + (r["end"][3:] != "00") for r in rows]
    return [min(starts), max(max(ends), min(starts) + 1)]


def page_data(problem: Problem, rows: Sequence[Row]) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-able data."""
    colours = ue_colours(problem)
    inst = problem.instance
    data: dict[str, Any] = {
        "title": inst.title or inst.name,
        "timezone": inst.timezone,
        "start": inst.calendar.start.isoformat(),
        "hours": _hours(rows),
        "ues": {u.id: {"title": u.title, "colour": colours[u.id]} for u in inst.ues},
        "items": [_item(problem, r) for r in rows],
    }
    for kind in ("group", "teacher", "site", "room"):
        data[kind + "s"] = [_entity(problem, e) for e in entities(problem, (kind,))]
    return data


def timetable_html(problem: Problem, rows: Sequence[Row]) -> str:
    """The timetable as one self-contained HTML page."""
    inst = problem.instance
    title = html.escape(inst.title or inst.name)
    name = html.escape(inst.name)
    zone = html.escape(inst.timezone)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{title} — timetable</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="sub">Instance {name} · {len(rows)} sessions and event days · times in {zone}</div>
</header>
<div class="controls">
<span class="views"><button id="view-month" type="button">Month</button>
<button id="view-week" type="button">Week</button>
<button id="view-list" type="button">List</button></span>
<span id="nav"><button id="prev" type="button" aria-label="Previous">◀</button>
<span id="period"></span>
<button id="next" type="button" aria-label="Next">▶</button>
<button id="first" type="button">First</button></span>
<label>Group <select id="filter-group"></select></label>
<label>Teacher <select id="filter-teacher"></select></label>
<label>Site <select id="filter-site"></select></label>
<label>Room <select id="filter-room"></select></label>
<button id="print" type="button">Print</button>
<span id="count"></span>
</div>
<div class="legend" id="legend"></div>
<main>
<p id="caption"></p>
<noscript><p>This timetable needs JavaScript; timetable.csv and timetable.xlsx hold the same
data.</p></noscript>
<div id="view"></div>
</main>
<script type="application/json" id="timetable-data">{script_json(page_data(problem, rows))}</script>
<script>{JS}</script>
</body>
</html>
"""
