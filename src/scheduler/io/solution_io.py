"""Writing `solution.json` and `timetable.csv` (SCHEMA.md section 2); `solution_read` reads
them back."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.problem import EventOccurrence, Problem
from scheduler.data.types import WEEKDAYS
from scheduler.errors import InputError
from scheduler.io.atomic import write_text
from scheduler.solution import Assignment, Result

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # the contract's form (Python also reads 20260929)
TIMETABLE_COLUMNS = (
    "kind", "session_id", "ue", "ue_title", "series", "session_no", "date", "weekday",
    "start", "end", "site", "room", "teachers", "groups",
)  # fmt: skip


def timetable_rows(problem: Problem, assignments: tuple[Assignment, ...]) -> list[dict[str, str]]:
    """One row per placed session and per fixed-event day, sorted by date, start, id."""
    rows = [_session_row(problem, a) for a in assignments]
    rows += [_event_row(occ) for occ in problem.event_occurrences]
    rows.sort(key=lambda r: (r["date"], r["start"], r["kind"] == "session", r["session_id"]))
    return rows


def _session_row(problem: Problem, a: Assignment) -> dict[str, str]:
    """The timetable row of a placed session."""
    s = problem.session[a.session]
    start = problem.any_slot(a.date, a.slot)  # closed too: the checker's rows of a hand edit
    if start is None:  # callers give placements of the calendar's slots (`_computable`)
        raise InputError(f"{a.session}: {a.date} has no slot {a.slot} in the calendar")
    occupied = problem.occupied(start, s.length, closed_too=True) or (start,)
    return {
        "kind": "session",
        "session_id": s.id,
        "ue": s.ue,
        "ue_title": problem.ue[s.ue].title,
        "series": s.series,
        "session_no": str(s.number),
        "date": a.date.isoformat(),
        "weekday": start.weekday,
        "start": occupied[0].start.strftime("%H:%M"),
        "end": occupied[-1].end.strftime("%H:%M"),
        "site": problem.room_site[a.room],
        "room": a.room,
        "teachers": ";".join(s.teachers),
        "groups": ";".join(s.groups),
    }


def _event_row(occ: EventOccurrence) -> dict[str, str]:
    """The timetable row of a fixed event on one of its days."""
    e = occ.event
    return {
        "kind": "event",
        "session_id": e.id,
        "ue": "",
        "ue_title": e.title,
        "series": "",
        "session_no": "",
        "date": occ.date.isoformat(),
        "weekday": WEEKDAYS[occ.date.weekday()],
        "start": occ.start.strftime("%H:%M"),
        "end": occ.end.strftime("%H:%M"),
        "site": e.site or "",
        "room": ";".join(e.rooms),
        "teachers": ";".join(e.teachers),
        "groups": ";".join(e.groups),
    }


def timetable_csv(rows: list[dict[str, str]]) -> str:
    """Rows as CSV text with the contract's header."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TIMETABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def solution_document(
    result: Result, instance: Instance, instance_sha256: str, instance_path: Path | None = None
) -> dict[str, Any]:
    """The JSON document of a result (`reordered` only when a re-solve took sessions out of
    their series' order, so that checking against the instance file applies it; `instance.path`,
    the instance file's absolute path, lets `report` and `export` find it later, and
    `content_sha256` tell the same instance in another file from a changed one)."""
    from scheduler.io.instance_io import instance_digest

    extra: dict[str, Any] = {"reordered": list(result.reordered)} if result.reordered else {}
    if result.message:
        extra["message"] = result.message
    where = {"path": str(instance_path.resolve())} if instance_path is not None else {}
    content = instance_digest(instance)
    return {
        "instance": {
            "name": instance.name,
            "sha256": instance_sha256,
            **where,
            "content_sha256": content,
        },
        "solver": asdict(result.solver),
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "wall_seconds": round(result.wall_seconds, 3),
        "first_solution_seconds": (
            None
            if result.first_solution_seconds is None
            else round(result.first_solution_seconds, 3)
        ),
        "costs": dict(result.costs),
        # when it was written, which a copy keeps (`cp -r` gives the file a new time): export
        # tells an older plain solve from a newer one by it
        "written_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "assignments": [
            {"session": a.session, "date": a.date.isoformat(), "slot": a.slot, "room": a.room}
            for a in sorted(result.assignments, key=lambda a: (a.date, a.slot, a.session))
        ],
        **extra,
    }


def write_solution(
    folder: Path,
    problem: Problem,
    result: Result,
    instance_sha256: str,
    instance_path: Path | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write `solution.json` and `timetable.csv` into `folder`, each atomically; `extra` adds
    top-level keys to solution.json (a re-solve's `revision`)."""
    write_text(folder / "timetable.csv", timetable_csv(timetable_rows(problem, result.assignments)))
    doc = solution_document(result, problem.instance, instance_sha256, instance_path)
    write_solution_json(folder, {**doc, **(extra or {})})


def write_solution_json(folder: Path, doc: dict[str, Any]) -> None:
    """Write `doc` as `folder`'s solution.json, atomically (alone: a solve without timetable)."""
    write_text(folder / "solution.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
