"""Exports of a timetable for people and their tools: CSV, iCalendar feeds, a workbook, a web page.

Each format is a pure function of the problem and the timetable rows (`scheduler.export.ics`,
`.xlsx`, `.html`); `export_all` writes the files of the chosen formats atomically:

- `timetable.csv` (SCHEMA.md section 2),
- `calendars/*.ics` (all, and per group, teacher, room and site) and `calendars/sequences.json`,
  the SEQUENCE state that makes re-exports update calendar entries in place,
- `timetable.xlsx`,
- `timetable.html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.export.common import Row, entities
from scheduler.export.ics import build_calendar, calendar_name, calendars_for, session_uid
from scheduler.export.page_revision import PageRevision, revised_folder, revision_of
from scheduler.export.published import STATE_FILE, newest, published_state, read_state, state_json
from scheduler.export.revision import (
    Revision,
    departures,
    left_feed_events,
    revise,
    with_cancelled,
    with_departures,
    with_stamps,
)
from scheduler.export.vanished import vanished_feeds
from scheduler.io.atomic import remove_stale_temporaries, write_bytes, write_text
from scheduler.io.solution_io import timetable_csv, timetable_rows
from scheduler.solution import Assignment

FORMATS = ("csv", "ics", "xlsx", "html")
CALENDAR_DIR = "calendars"


def __getattr__(name: str) -> Any:
    """The writers of the heavier formats, imported when used: openpyxl and numpy take ~0.3 s
    that a CSV or calendar export does without."""
    if name == "timetable_workbook":
        from scheduler.export.xlsx import timetable_workbook

        return timetable_workbook
    if name == "timetable_html":
        from scheduler.export.html import timetable_html

        return timetable_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CALENDAR_DIR",
    "FORMATS",
    "PageRevision",
    "build_calendar",
    "calendars_for",
    "export_all",
    "revised_folder",
    "revision_of",
    "session_uid",
    "timetable_html",
    "timetable_workbook",
    "unexportable",
]


def check_assignments(problem: Problem, assignments: Sequence[Assignment]) -> None:
    """Raise InputError unless every assignment names a known session, dated slot and room."""
    for a in assignments:
        why = unexportable(problem, a)
        if why is not None:
            raise InputError(f"assignment of session '{a.session}': {why}")


def unexportable(problem: Problem, a: Assignment) -> str | None:
    """Why assignment `a` cannot be written (an unknown session, dated slot or room: it has
    no hours or place), else None."""
    if a.session not in problem.session:
        return f"no such session in instance '{problem.instance.name}'"
    if (a.date, a.slot) not in problem.slot_by_key:
        return f"date {a.date} slot '{a.slot}' is not a teaching slot"
    if a.room not in problem.room_site:
        return f"room '{a.room}' unknown"
    return None


def _readable_state(problem: Problem, folder: Path) -> dict[str, dict[str, Any]]:
    """A later publication's calendar state; an unreadable one is left out (it cannot stop
    this publication)."""
    try:
        return published_state(problem, folder, CALENDAR_DIR)
    except InputError:
        return {}


def _calendars(
    problem: Problem,
    rows: Sequence[Row],
    out_dir: Path,
    *,
    dtstamp: datetime,
    continue_from: Path | None,
    cancelled: Sequence[Row],
    revision: PageRevision | None,
    newer: Sequence[Path],
) -> tuple[dict[str, bytes], Revision]:
    """Every calendar by file name, and the revision whose state they publish: what the
    feeds followed held, compared with `rows` (`export_all`'s arguments)."""
    own = read_state(out_dir / CALENDAR_DIR / STATE_FILE)  # a first publication: none
    followed = published_state(problem, continue_from, CALENDAR_DIR) if continue_from else own
    previous = newest([followed, *(_readable_state(problem, p) for p in newer)])
    today = revision.today if revision else None  # a re-solve's: events before it stay
    sequenced = with_cancelled(problem, revise(problem, rows, previous, today), cancelled)
    current = {calendar_name(None), *(calendar_name(e) for e in entities(problem))}
    shown = (continue_from or out_dir) / CALENDAR_DIR  # what subscribers hold now
    gone_feeds = vanished_feeds(shown, current, previous)
    left = departures(problem, rows, previous, {n: f.keys for n, f in gone_feeds.items()})
    departed = with_departures(problem, sequenced, left, previous)
    sequenced, stamps = with_stamps(departed, previous, dtstamp)
    seqs, gone = sequenced.sequences, sequenced.cancelled
    calendars = calendars_for(
        problem,
        rows,
        dtstamp=dtstamp,
        sequences=seqs,
        cancelled=gone,
        left=left,
        vanished=gone_feeds,
        stamps=stamps,
        titles=sequenced.titles,
        left_events=left_feed_events(sequenced),
        moved_days=sequenced.moved_days,
    )
    return calendars, sequenced


def export_all(
    problem: Problem,
    assignments: Sequence[Assignment],
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    *,
    dtstamp: datetime,
    continue_from: Path | None = None,
    cancelled: Sequence[Row] = (),
    revision: PageRevision | None = None,
    newer: Sequence[Path] = (),
    source: Path | None = None,
    published_in: Path | None = None,
    subscribable: bool = True,
) -> list[Path]:
    """Write the timetable in each of `formats` under `out_dir`; return the files written.

    Args:
        problem: the problem solved.
        assignments: the timetable (e.g. `read_result(path).assignments`).
        out_dir: the folder to write into (created if needed).
        formats: any of `FORMATS`.
        dtstamp: DTSTAMP of calendar events and the workbook's document time (timezone-aware).
        continue_from: the folder whose calendars this publication follows (its
            `calendars/sequences.json`): unchanged sessions keep their SEQUENCE, changed ones
            (moved, renamed, ...) get +1, new ones 0, vanished ones are published as cancelled,
            and so are sessions in the feeds they left (another room, site, teacher...).
            Default: `out_dir` itself. Without a state there, every SEQUENCE is 0.
        cancelled: rows of sessions that no longer exist, published as cancelled when the
            state does not know them (SEQUENCE 1).
        newer: folders of later publications of the same timetable (revisions a re-solve
            branches off): every SEQUENCE also exceeds theirs where the event differs, so
            that their subscribers see the change too (an unreadable state is left out).
        revision: a re-solve's: the HTML page and the workbook say so and mark what changed
            (`page_revision.revision_of` reads it from the re-solve's solution.json); the
            calendars' events before its `today` keep their SEQUENCE and title
            (`revision.revise`).
        source: the solution.json the calendars publish, recorded in their state
            (`revision.published_from`): `export` refuses to publish an older timetable over
            them.
        published_in: where `out_dir` will be once in place (a temporary folder renamed
            after): `source` is recorded relative to it too, for a copied or moved folder.
        subscribable: whether the page offers to subscribe to its feeds: not a re-solve's
            revision folder, whose feeds no later publication updates (its subscribers
            would stay on it: an audit); its page links to the feed's file alone.

    Raises:
        InputError: an unknown format, an assignment not of this problem, an unreadable state.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(f"export format {unknown[0]!r} unknown; expected one of {FORMATS}")
    check_assignments(problem, assignments)
    rows = timetable_rows(problem, tuple(assignments))
    written: list[Path] = []

    def put(path: Path, data: bytes | str) -> None:
        if isinstance(data, str):
            write_text(path, data)
        else:
            write_bytes(path, data)
        written.append(path)

    if "csv" in formats:
        put(out_dir / "timetable.csv", timetable_csv(rows))
    if "ics" in formats:
        folder = out_dir / CALENDAR_DIR
        remove_stale_temporaries(folder)  # of an export killed mid-write
        remove_stale_temporaries(out_dir)  # files only: a re-solve's folders stay
        calendars, sequenced = _calendars(
            problem,
            rows,
            out_dir,
            dtstamp=dtstamp,
            continue_from=continue_from,
            cancelled=cancelled,
            revision=revision,
            newer=newer,
        )
        for name, data in calendars.items():
            put(folder / name, data)
        put(folder / STATE_FILE, state_json(sequenced.state, source, published_in or out_dir))
    if "xlsx" in formats:
        from scheduler.export.xlsx import timetable_workbook

        workbook = timetable_workbook(problem, rows, stamp=dtstamp, revision=revision)
        put(out_dir / "timetable.xlsx", workbook)
    if "html" in formats:
        from scheduler.export.html import timetable_html

        # its links to the feeds: those written now, or beside it from an earlier export
        feeds = CALENDAR_DIR if "ics" in formats or (out_dir / CALENDAR_DIR).is_dir() else None
        page = timetable_html(problem, rows, revision, feeds, subscribable)
        put(out_dir / "timetable.html", page)
    return written
