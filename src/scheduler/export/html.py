"""`timetable.html`: one self-contained page with month, week and list views and filters.

No network: the data is embedded as JSON, the script and stylesheet are inline and a
Content-Security-Policy forbids fetching anything. The page reads an initial state from the URL
hash, e.g. `timetable.html#group=OPT-A&view=week&date=2026-09-15`, and keeps it there, so a
filtered view can be bookmarked or shared. Every instance string reaches the page either
HTML-escaped (title) or as JSON text inserted with `textContent`.

The group filter also offers each student profile (a student of OPT-A and APP1 sees both
groups' sessions and the cohort's), and a re-solve's page (`PageRevision`) says what changed
since the timetable it revised: moved and added sessions are marked with where they were,
cancelled ones are shown struck through.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from scheduler.data.calendar import UNNAMED_CLOSURE, holiday_dates, unnamed_holiday
from scheduler.data.problem import Problem
from scheduler.data.types import WEEKDAYS
from scheduler.export.common import (
    Entity,
    Row,
    attended,
    entities,
    group_chain,
    group_names,
    location,
    placed_elsewhere,
    room_names,
    site_name,
    split,
    student_profiles,
    summary,
    teacher_names,
    ue_colours,
    uid_key,
    was_words,
)
from scheduler.export.html_assets import CSS, JS
from scheduler.export.ics import calendar_name
from scheduler.export.page_revision import PageRevision
from scheduler.export.revision_marks import event_days_paired
from scheduler.export.wording import Words, counted, long_date, words_for

# the kinds of change a re-solve's page header counts, of sessions (fixed-event days apart);
# their words are the catalogue's `changes`
CHANGE_KINDS = ("moved", "added", "cancelled", "dropped", "teacher")

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def script_json(data: Any) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, `<!--` or `]]>` can form."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _item(problem: Problem, row: Row, words: Words) -> dict[str, Any]:
    return {
        "change": "",
        "key": uid_key(row),
        "kind": row["kind"],
        "id": row["session_id"],
        "ue": row["ue"],
        "summary": summary(problem, row),
        "date": row["date"],
        "start": row["start"],
        "end": row["end"],
        "site": row["site"],
        "siteName": site_name(problem, row),
        "rooms": split(row["room"]),
        "roomNames": room_names(problem, row),
        "teachers": split(row["teachers"]),
        "teacherNames": ", ".join(teacher_names(problem, row)) or words["none"],
        "groups": split(row["groups"]),
        "groupNames": ", ".join(group_names(problem, row)) or words["none"],
        "location": location(problem, row),
    }


def _entity(problem: Problem, entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entity.id, "label": entity.label, "feed": calendar_name(entity)}
    if entity.kind == "group":
        data["chain"] = list(group_chain(problem, entity.id))
    if entity.kind == "room":
        site = problem.room_site[entity.id]
        data["optgroup"] = next(
            (s.name or s.id for s in problem.instance.sites if s.id == site), site
        )
    return data


def _profiles(problem: Problem, words: Words) -> list[dict[str, Any]]:
    """Students of several groups (`student_profiles`), as group-filter entries: their groups
    and every group above them."""
    return [
        {
            "id": e.id,
            "label": e.name,
            "chain": sorted(attended(problem, e)),
            "optgroup": words["studentOf"],
            "feed": calendar_name(e),
        }
        for e in student_profiles(problem)
    ]


def _change(problem: Problem, row: Row, before: Mapping[str, Row], words: Words) -> dict[str, Any]:
    """How a row differs from the timetable revised: added, moved (with where it was; and
    `newTeacher` when its teachers changed too), given by another teacher, or not at all (an
    empty mark). A changed row carries `before`, the row revised, so that a filter of a
    teacher, room or site it left still shows it there, as its calendar feed cancels it."""
    old = before.get(uid_key(row))
    if old is None:
        return {"change": "added"}  # a new session, or a fixed event's new day
    taught = "" if old.get("teachers", "") == row["teachers"] else _taught(problem, old, words)
    if placed_elsewhere(old, row):
        was = ", ".join(w for w in (was_words(problem, old, row, words), taught) if w)
        moved = {"change": "moved", "was": was, "before": _item(problem, old, words)}
        return moved | ({"newTeacher": True} if taught else {})
    if taught:  # the same place, another teacher (resolve's teacher_replaced)
        return {"change": "teacher", "was": taught, "before": _item(problem, old, words)}
    return {}


def _event_days_moved(
    problem: Problem, items: list[dict[str, Any]], rows: Sequence[Row], words: Words
) -> list[dict[str, Any]]:
    """A fixed event's days gone and come in a revision, paired in date order as moved
    (`revision_marks.event_days_paired`, as changes.csv has them): the new day marked moved,
    with what differs of the old one as `was` (`rows`: the items' rows, in their order); the
    rest kept as added or cancelled. The page said 'cancelled' and 'new' for one move."""
    item_of = {id(r): i for r, i in zip(rows, items, strict=True)}
    events = [(r, i) for r, i in zip(rows, items, strict=True) if i["kind"] == "event"]
    gone = [r for r, i in events if i["change"] == "cancelled"]
    came = [r for r, i in events if i["change"] == "added"]
    paired = set()
    for old, new in event_days_paired(gone, came):
        before = item_of[id(old)] | {"change": "", "was": ""}
        was = was_words(problem, old, new, words)
        item_of[id(new)] |= {"change": "moved", "was": was, "before": before}
        paired.add(id(item_of[id(old)]))
    return [i for i in items if id(i) not in paired]


def _taught(problem: Problem, row: Row, words: Words) -> str:
    """`to be taught by Anne Lambert`: who was to give a row's session, for its mark (read
    "was to be taught by ...": the session may be still to come)."""
    names = ", ".join(teacher_names(problem, row)) or words["nobody"]
    return str(words["taughtBy"]).format(names=names)


def _gone(rows: Sequence[Row], before: Mapping[str, Row]) -> list[Row]:
    """The sessions and fixed-event days of the timetable revised no longer in `rows`."""
    now = {uid_key(r) for r in rows}
    return [r for k, r in before.items() if k not in now]


def _hours(rows: Sequence[Row]) -> list[int]:
    """Whole hours framing every row's times (08-22 when there are none)."""
    if not rows:
        return [8, 22]
    starts = [int(r["start"][:2]) for r in rows]
    ends = [int(r["end"][:2]) + (r["end"][3:] != "00") for r in rows]
    return [min(starts), max(max(ends), min(starts) + 1)]


def page_data(
    problem: Problem,
    rows: Sequence[Row],
    revision: PageRevision | None = None,
    feeds: str | None = None,
    subscribable: bool = True,
) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-able data; `feeds`: the folder of
    the calendar feeds, relative to the page, when it has them (its links to the feed of
    what a filter shows), `subscribable` whether to offer subscribing to them."""
    colours = ue_colours(problem)
    inst = problem.instance
    words = words_for(inst.language)
    notes = _notes(problem, words)
    items, gone = _page_items(problem, rows, revision, words)
    data: dict[str, Any] = {
        "title": inst.title or inst.name,
        "lang": inst.language or "",
        "timezone": inst.timezone,
        # the year the page covers: the calendar, and fixed events outside it (defences...)
        "start": min([inst.calendar.start.isoformat(), *(i["date"] for i in items)]),
        "end": max([inst.calendar.end.isoformat(), *(i["date"] for i in items)]),
        "hours": _hours([*rows, *gone]),
        # the weekdays the calendar teaches (0 = Monday): the week view leaves out the others
        # when they hold nothing (a Monday-Friday programme had empty weekend columns: an audit)
        "weekdays": sorted({WEEKDAYS.index(s.weekday) for s in inst.calendar.slots}),
        "ues": {u.id: {"title": u.title, "colour": colours[u.id]} for u in inst.ues},
        # the instance's order: a JS object puts number-like keys ("3", "20") first (a review)
        "ueOrder": [u.id for u in inst.ues],
        "revision": _revision_header(revision, items),
        "days": _texts(notes),
        # the days a note closes (a public holiday, a closure), told apart from the school
        # holidays, which close nothing (the two read alike: a review)
        "closedDays": [day for day, (_, closed) in notes.items() if closed],
        "words": dict(words),
        "items": items,
        "feeds": feeds,
        "subscribe": subscribable and feeds is not None,
        "allFeed": calendar_name(None),
    }
    for kind in ("group", "teacher", "site", "room"):
        data[kind + "s"] = [_entity(problem, e) for e in entities(problem, (kind,))]
    data["groups"] += _profiles(problem, words)
    return data


def _page_items(
    problem: Problem, rows: Sequence[Row], revision: PageRevision | None, words: Words
) -> tuple[list[dict[str, Any]], list[Row]]:
    """The page's items in date order, each row's with what changed since `revision`'s
    timetable, and a cancelled item for each of its rows no longer in `rows`; those rows."""
    before = revision.before if revision else None
    items = [
        _item(problem, r, words) | (_change(problem, r, before, words) if before else {})
        for r in rows
    ]
    gone = _gone(rows, before) if before else []
    dropped = set(problem.instance.dropped)  # not given at all, as changes.csv says (an audit)
    items += [
        _item(problem, r, words)
        | {"change": "cancelled", "was": was_words(problem, r, None, words)}
        | ({"mark": "dropped"} if r["session_id"] in dropped else {})
        for r in gone
    ]
    items = _event_days_moved(problem, items, [*rows, *gone], words)
    items.sort(key=lambda i: (i["date"], i["start"], i["key"]))
    return items, gone


def day_notes(problem: Problem, words: Words) -> dict[str, str]:
    """What each day of the calendar is, beyond its sessions, by date: its public holiday or
    whole-day closure, what closes part of a teaching day (with those hours), else its
    school holiday (students' children at home). A blank cell said nothing of the winter
    break, the exams or Ascension (an audit); every day has its note, a Wednesday or a
    Friday with no slot too (a review)."""
    return _texts(_notes(problem, words))


def _texts(notes: dict[str, tuple[str, bool]]) -> dict[str, str]:
    """`_notes`' texts by date, without whether each closes something."""
    return {day: note for day, (note, _) in notes.items()}


def _notes(problem: Problem, words: Words) -> dict[str, tuple[str, bool]]:
    """`day_notes`, each with whether it closes something (a public holiday, a closure,
    whole or in part), not a school holiday alone, which closes nothing."""
    cal = problem.instance.calendar
    language = problem.instance.language
    # a date listed without a name is said in the page's language, not as the field's path
    # in English, which a phone could not wrap (an audit of a generated instance)
    public = {
        d: words["publicHoliday"] if name == unnamed_holiday("public") else name
        for d, name in holiday_dates(
            cal.public_holidays, cal.start, cal.end, "public", language
        ).items()
    }
    school = {
        d: words["schoolHoliday"] if name == unnamed_holiday("school") else name
        for d, name in holiday_dates(
            cal.school_holidays, cal.start, cal.end, "school", language
        ).items()
    }
    hours = {s.id: f"{s.start:%H:%M}–{s.end:%H:%M}" for s in cal.slots}
    taught = {s.date for s in problem.slots}
    closed: dict[date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in problem.closed:  # by reason, the hours each closes
        reason = words["closure"] if c.reason in ("", UNNAMED_CLOSURE) else c.reason
        closed[c.date][reason].append(hours[c.slot])
    shut_sites = _sites_closed(problem, words)
    notes: dict[str, tuple[str, bool]] = {}
    day = cal.start
    while day <= cal.end:
        said = [c.reason or words["closure"] for c in cal.closures if c.covers(day, "")]  # no slots
        said += shut_sites.get(day, [])
        for reason, shut in closed.get(day, {}).items():  # the hours only of a day taught
            said.append(f"{reason} ({', '.join(shut)})" if day in taught else reason)
        said = [public[day]] if day in public else list(dict.fromkeys(said))
        if said:
            notes[day.isoformat()] = (", ".join(said), True)
        elif day in school:
            notes[day.isoformat()] = (school[day], False)
        day += timedelta(days=1)
    return notes


def _sites_closed(problem: Problem, words: Words) -> dict[date, list[str]]:
    """`UMONS fermé` on each teaching day every room of a site is unavailable in every slot
    by rules that name dates: a re-solve's `site_closed` (a strike) became its rooms'
    unavailability, and the page said nothing of why that day held nothing there (an
    audit). A weekly pattern (rooms never open on Saturdays) is how the site works, not news
    for every Saturday."""
    out: dict[date, list[str]] = defaultdict(list)
    for site in problem.instance.sites:
        dated = [[r for r in room.unavailable if r.date or r.from_ or r.to] for room in site.rooms]
        if not dated or not all(dated):
            continue
        for day, slots in problem.day_slots.items():
            if all(
                any(rule.matches(s.date, s.weekday, s.slot) for rule in rules)
                for rules in dated
                for s in slots
            ):
                out[day].append(words["siteClosed"].format(site=site.name or site.id))
    return out


def _revision_header(
    revision: PageRevision | None, items: Sequence[dict[str, Any]]
) -> dict[str, Any] | None:
    """A re-solve's label and today, with how many sessions changed in each way (None for a
    first timetable; `unknown` when the timetable it revised could not be read)."""
    if revision is None:
        return None
    header: dict[str, Any] = {"label": revision.label, "today": revision.today.isoformat()}
    if revision.before is None:
        header["unknown"] = True
        return header
    sessions = [i for i in items if i["kind"] == "session"]
    for kind in CHANGE_KINDS:  # a dropped session is a cancelled one with its own mark
        header[kind] = sum((i.get("mark") or i["change"]) == kind for i in sessions)
    header["teacher"] += sum(bool(i.get("newTeacher")) for i in sessions)
    header["events"] = sum(bool(i["change"]) for i in items if i["kind"] == "event")
    return header


def _revision_line(revision: PageRevision | None, data: dict[str, Any], words: Words) -> str:
    if revision is None:
        return ""
    r = data["revision"]
    if r.get("unknown"):
        what = words["revisedUnknown"]
    else:
        counts = ", ".join(counted(words, k, r[k]) for k in CHANGE_KINDS if r[k])
        days = words["eventDays"][r["events"] != 1].format(n=r["events"])
        counts = words["listSep"].join(c for c in (counts, days if r["events"] else "") if c)
        since = f"{revision.revised}, " if revision.revised else ""
        what = words["revisedSince"].format(since=since, counts=counts or words["noChange"])
    line = words["resolvedFor"].format(
        label=revision.label, today=long_date(words, revision.today), what=what
    )
    return f'<div class="sub revision" id="revision">{html.escape(line)}</div>\n'


def _controls(w: Mapping[str, str]) -> str:
    """The page's view buttons, period navigation, filters and print button (`w`: the
    catalogue's words, HTML-escaped)."""
    return f"""<div class="controls">
<span class="views"><button id="view-month" type="button">{w["month"]}</button>
<button id="view-week" type="button">{w["week"]}</button>
<button id="view-list" type="button">{w["list"]}</button></span>
<span id="nav"><button id="prev" type="button" aria-label="{w["previous"]}">◀</button>
<span aria-live="polite" id="period"></span>
<button id="next" type="button" aria-label="{w["next"]}">▶</button>
<button id="first" type="button">{w["first"]}</button>
<button id="today" type="button">{w["today"]}</button></span>
<label>{w["group"]} <select id="filter-group"></select></label>
<label>{w["teacher"]} <select id="filter-teacher"></select></label>
<label>{w["site"]} <select id="filter-site"></select></label>
<label>{w["room"]} <select id="filter-room"></select></label>
<button id="print" type="button">{w["print"]}</button>
<span id="feeds" hidden><a id="subscribe" href="">{w["subscribe"]}</a>
<a id="feed" href="">{w["feedFile"]}</a></span>
<span id="count" aria-live="polite"></span>
</div>
"""


def timetable_html(
    problem: Problem,
    rows: Sequence[Row],
    revision: PageRevision | None = None,
    feeds: str | None = None,
    subscribable: bool = True,
) -> str:
    """The timetable as one self-contained HTML page; a re-solve's marks what changed.
    `feeds`: the folder of its calendar feeds, relative to the page, when there is one: the
    page links to the feed of what its filter shows (students had to guess its name)."""
    inst = problem.instance
    title = html.escape(inst.title or inst.name)
    data = page_data(problem, rows, revision, feeds, subscribable)
    words = words_for(inst.language)
    w = {k: html.escape(v) for k, v in words.items() if isinstance(v, str)}
    sub = html.escape(words["sub"].format(name=inst.name, count=len(rows), zone=inst.timezone))
    lang = f' lang="{html.escape(inst.language)}"' if inst.language else ""
    tab = f" ({html.escape(revision.label)})" if revision else ""
    # the tables beside a republished revision's page are the published timetable's (a review)
    noscript = w["noscript"] + ("" if revision else " " + w["noscriptTables"])
    return f"""<!DOCTYPE html>
<html lang="{w["lang"]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{title} — {w["timetable"]}{tab}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1{lang}>{title}</h1>
<div class="sub">{sub}</div>
{_revision_line(revision, data, words)}</header>
{_controls(w)}<div class="legend" id="legend"></div>
<main>
<p id="caption"></p>
<noscript><p>{noscript}</p></noscript>
<div id="view"></div>
<div id="detail" aria-live="polite"></div>
</main>
<script type="application/json" id="timetable-data">{script_json(data)}</script>
<script>{JS}</script>
</body>
</html>
"""
