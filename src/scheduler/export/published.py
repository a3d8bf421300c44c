"""What a calendars folder publishes: its state file (`sequences.json`), a stand-in for it
from the timetable when it is lost, and which instance and solution its feeds publish.

`revision` compares a new timetable with this state; the CLI's output checks read it to refuse
overwriting another instance's or a re-solve's feeds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.export.common import safe_id, uid_key
from scheduler.export.page_revision import revised_folder
from scheduler.io.csv_timetable import read_timetable_rows

STATE_FILE = "sequences.json"
CONFIRMED, CANCELLED = "confirmed", "cancelled"


def read_state(path: Path) -> dict[str, dict[str, Any]]:
    """The state saved at `path`, or an empty one when there is no such file."""
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: cannot read the calendar state: {err}") from err
    entries = doc.get("sessions") if isinstance(doc, dict) else None
    if not isinstance(entries, dict) or not all(
        isinstance(v, dict)
        and isinstance(v.get("sequence"), int)
        and isinstance(v.get("row"), dict)
        for v in entries.values()
    ):
        raise InputError(f"{path}: 'sessions': not a calendar state (delete it to start over)")
    return entries


def published_state(
    problem: Problem, folder: Path, calendars: str, depth: int = 0
) -> dict[str, dict[str, Any]]:
    """The calendar state of the timetable published in `folder`: its `<calendars>/` state
    file; else (calendars deleted, or published elsewhere) a stand-in from its
    `timetable.csv` that whatever comes next supersedes; else an empty state.

    What a lost feed showed is unknown, so the stand-in has no fingerprints (every event
    gets a higher SEQUENCE next time, a harmless update where nothing changed) and starts
    above what it can have reached as far as the folders tell: for a re-solve's `rev-<n>`,
    one more than the most of the timetable it revised and the revisions before it (a
    re-solve raises each event by one above those at most), else 0."""
    state = read_state(folder / calendars / STATE_FILE)
    table = folder / "timetable.csv"
    if state or not table.is_file():
        return state
    try:
        rows = read_timetable_rows(table)
    except InputError:
        return {}
    parent = revised_folder(folder / "solution.json")
    base: dict[str, dict[str, Any]] = {}
    if parent is not None and depth < 10 and parent.resolve() != folder.resolve():
        base = newest(
            [published_state(problem, parent, calendars, depth + 1)]
            + [_state_or_none(p / calendars / STATE_FILE) for p in _earlier_revisions(folder)]
        )
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = uid_key(row)
        seq = int(base[key]["sequence"]) + 1 if key in base else 0
        out[key] = {"sequence": seq, "fingerprint": "", "status": CONFIRMED, "row": dict(row)}
    return out


def _state_or_none(path: Path) -> dict[str, dict[str, Any]]:
    """The state at `path`, or an empty one when it cannot be read."""
    try:
        return read_state(path)
    except InputError:
        return {}


def _earlier_revisions(folder: Path) -> list[Path]:
    """The `rev-<k>` folders beside a `rev-<n>` one with k < n (those a re-solve branching
    off them superseded); none for another folder."""
    own = re.fullmatch(r"rev-(\d+)", folder.name)
    if own is None:
        return []
    found = (re.fullmatch(r"rev-(\d+)", p.name) for p in folder.parent.glob("rev-*"))
    return [folder.parent / m[0] for m in found if m and int(m[1]) < int(own[1])]


def newest(states: Sequence[Mapping[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per key, the entry with the highest SEQUENCE among `states`: a publication that must
    supersede them all compares with what each key last showed. Two entries with that
    SEQUENCE that show different things (branches that both changed the key) leave no
    fingerprint, so that whatever comes next gets a higher SEQUENCE than both."""
    out: dict[str, dict[str, Any]] = {}
    for state in states:
        for key, entry in state.items():
            held = out.get(key)
            if held is None or int(entry["sequence"]) > int(held["sequence"]):
                out[key] = dict(entry)
            elif int(entry["sequence"]) == int(held["sequence"]) and (
                entry.get("fingerprint"),
                entry.get("status"),
            ) != (held.get("fingerprint"), held.get("status")):
                held["fingerprint"] = ""
    return out


def state_json(
    state: Mapping[str, Mapping[str, Any]], source: Path | None = None, base: Path | None = None
) -> str:
    """The state as JSON text, keys sorted, for `calendars/sequences.json`; `source`: the
    solution.json the calendars publish (`published_from`), also recorded relative to `base`
    (the folder the calendars are in) when it lies within it, so that a copied or moved folder
    finds its own (`published_from`)."""
    doc: dict[str, Any] = {"sessions": state}
    if source is not None:
        doc["published_from"] = str(source)
        inside = base is not None and source.resolve().is_relative_to(base.resolve())
        if base is not None and inside:
            doc["published_from_relative"] = source.resolve().relative_to(base.resolve()).as_posix()
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


_UID = re.compile(rb"^UID:[^@\r\n]*@([^\r\n]*)\.scheduler\r?$", re.MULTILINE)


def published_instance(calendars: Path) -> str | None:
    """The instance (as its UIDs spell it, `ics.session_uid`) whose events the calendars in
    folder `calendars` publish; None when there are none (or none of ours)."""
    for feed in sorted(calendars.glob("*.ics")):
        try:
            text = feed.read_bytes().replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        except OSError:
            continue
        found = _UID.search(text)
        if found is not None:
            return found.group(1).decode("utf-8", "replace")
    return None


def publishes_another(calendars: Path, name: str) -> str | None:
    """The instance the calendars in folder `calendars` publish when it is not `name` (as
    their UIDs spell it), else None (theirs, or no feed of ours)."""
    theirs = published_instance(calendars)
    return theirs if theirs is not None and theirs != safe_id(name) else None


def published_from(calendars: Path) -> Path | None:
    """The solution.json whose timetable the calendars in folder `calendars` publish (None:
    unrecorded, as by older versions, or unreadable). In a copied or moved folder, its own
    copy of it: recorded relative to the folder, else (an older record) the same `rev-<n>`
    beside the calendars. The absolute path alone made every check of a moved folder pass
    (it was no longer there) and a copy's compare with the original (an audit)."""
    try:
        doc = json.loads((calendars / STATE_FILE).read_text(encoding="utf-8"))
        recorded = Path(doc["published_from"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    here = calendars.parent
    relative = doc.get("published_from_relative")
    if isinstance(relative, str) and (here / relative).is_file():
        return here / relative
    if recorded.is_file() or not recorded.parent.name.startswith("rev-"):
        return recorded
    beside = here / recorded.parent.name / recorded.name
    return beside if beside.is_file() else recorded
