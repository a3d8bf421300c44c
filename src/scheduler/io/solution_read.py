"""Reading `solution.json` back (SCHEMA.md section 2), with an error naming the file and the
field for one that is not a solution, and what it records: instance, revision, bound."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scheduler.data.instance import Instance
from scheduler.errors import InputError, NoTimetable
from scheduler.io.solution_io import ISO_DATE
from scheduler.solution import Assignment, Result, SolverInfo, Status


def solution_path(path: str | Path) -> Path:
    """`solution.json` of a folder, or the file itself."""
    path = Path(path)
    return path / "solution.json" if path.is_dir() else path


def read_result(path: str | Path) -> Result:
    """Read a `solution.json` (or the folder holding one) back into a `Result`; a file that
    is not one gets an error naming it and the field."""
    file = solution_path(path)
    doc = _load_json(file)
    if not isinstance(doc, dict) or not isinstance(doc.get("assignments"), list):
        raise InputError(f"{file}: not a scheduler solution: no 'assignments' list")
    assignments = tuple(_assignment(file, i, a) for i, a in enumerate(doc["assignments"]))
    status = _status(file, doc, len(assignments))
    reordered = tuple(str(s) for s in _field(file, doc, "reordered", list, []))
    if reordered and _revised_on(file, doc) is None:
        raise InputError(
            f"{file} reordered: only a re-solve's solution.json (with 'revision' and its "
            "'today') takes sessions out of their series' order (a make-up after a later "
            "session was given)"
        )
    solver = _field(file, doc, "solver", dict, {})
    costs = _field(file, doc, "costs", dict, {})
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in costs.values()):
        raise InputError(f"{file} costs: every cost must be a whole number")
    info = _solver_info(file, solver)
    return Result(
        status=status,
        assignments=assignments,
        objective=_field(file, doc, "objective", int),
        bound=_field(file, doc, "bound", int),
        wall_seconds=float(_field(file, doc, "wall_seconds", float, 0.0)),
        first_solution_seconds=_field(file, doc, "first_solution_seconds", float),
        costs=dict(costs),
        solver=info,
        reordered=reordered,
        message=str(doc.get("message") or ""),
    )


def _status(file: Path, doc: dict[str, Any], count: int) -> Status:
    """The solution's `status`, refused when absent, unknown, or saying there is no timetable
    while `count` assignments are listed."""
    if "status" not in doc:
        raise InputError(f"{file}: not a scheduler solution: no 'status'")
    try:
        status = Status(doc["status"])
    except ValueError as err:
        statuses = ", ".join(s.value for s in Status)
        raise InputError(f"{file} status: '{doc['status']}' is not one of {statuses}") from err
    if count and not status.has_solution:
        raise InputError(
            f"{file}: status {status.value} says there is no timetable, yet it lists "
            f"{count} assignments: not a solution.json scheduler writes"
        )
    return status


def _solver_info(file: Path, solver: dict[str, Any]) -> SolverInfo:
    """The `solver` record's known fields, each refused when not of its type."""
    known = {k: v for k, v in solver.items() if k in _SOLVER_FIELDS}  # others: a later version's
    for key, value in known.items():
        kinds = _SOLVER_FIELDS[key]
        if value is not None and (
            not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        ):
            raise InputError(f"{file} solver {key}: unexpected value {value!r}")
    return SolverInfo(**known)


def _revised_on(file: Path, doc: dict[str, Any]) -> date | None:
    """A re-solve's `today` (`revision.today`), None for a solution no re-solve wrote."""
    revision = doc.get("revision")
    if revision is None:
        return None
    today = revision.get("today") if isinstance(revision, dict) else None
    try:
        return date.fromisoformat(today) if isinstance(today, str) else None
    except ValueError as err:
        raise InputError(f"{file} revision today: '{today}' is not a date (YYYY-MM-DD)") from err


# The types each `solver` field may have (None is allowed for every one).
_SOLVER_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "version": (str,),
    "seed": (int,),
    "workers": (int,),
    "time_limit": (int, float),
    "deterministic": (bool,),
    "start_from": (str,),
    "start_from_sha256": (str,),
}


def _field(file: Path, doc: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
    """`doc[key]` when a JSON value of `kind` (`float`: any number; never a boolean for a
    number), `default` when absent or null, else an error naming the field."""
    value = doc.get(key)
    if value is None:
        return default
    allowed: tuple[type, ...] = (int, float) if kind is float else (kind,)
    if not isinstance(value, allowed) or (isinstance(value, bool) and kind is not bool):
        raise InputError(f"{file} {key}: expected a JSON {_JSON_NAMES[kind]}, got {value!r}")
    return value


_JSON_NAMES = {dict: "object", list: "list", int: "whole number", float: "number"}


def read_json(file: Path) -> Any:
    """The JSON document in `file`, UTF-8 with or without a byte-order mark (Notepad writes
    one: an audit's re-solve then read as a first solve); raises OSError or ValueError."""
    return json.loads(file.read_bytes().decode("utf-8-sig"))


def _load_json(file: Path) -> Any:
    """The JSON document in `file`, or bad input saying why it is none."""
    try:
        return read_json(file)
    except OSError as err:
        raise InputError(f"{file}: cannot read: {err.strerror}") from err
    except RecursionError as err:  # lists in lists a thousand deep: a fuzz audit's traceback
        raise InputError(f"{file}: nested too deeply to be a solution") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        looks = _looks_like(file)
        if looks:  # "tiny.yaml:1: invalid JSON" did not say the file was the wrong one
            raise InputError(
                f"{file}: {looks}, not a solution: give a solution folder or its solution.json"
            ) from err
        if isinstance(err, UnicodeDecodeError):
            raise InputError(f"{file}: not UTF-8 text (byte {err.start})") from err
        raise InputError(f"{file}:{err.lineno}: invalid JSON: {err.msg}") from err


def _looks_like(file: Path) -> str | None:
    """What `file` is by its name, when it is a file people give for a solution by mistake."""
    suffix = file.suffix.lower()
    if suffix == ".xlsx" and file.stem == "timetable":
        return "the timetable's workbook"
    if suffix in (".yaml", ".yml", ".xlsx"):
        return "an instance file"
    if suffix in (".csv", ".ics", ".html"):
        return f"an export ({suffix[1:]})"
    return None


def no_timetable_note(file: Path, result: Result) -> str:
    """`FILE: holds no timetable (status S: why)`, for a record of a solve without one."""
    why = f": {result.message}" if result.message else ""
    return f"{file}: holds no timetable (status {result.status.value}{why})"


def read_timetable(path: str | Path) -> Result:
    """`read_result`, refusing a solution.json that records a solve without a timetable
    (status INFEASIBLE or UNKNOWN): there is nothing to report, export or re-solve."""
    result = read_result(path)
    if not result.status.has_solution:
        raise NoTimetable(no_timetable_note(solution_path(path), result))
    return result


def iso_date(text: str) -> date:
    """A date written as the contract writes it, YYYY-MM-DD; ValueError otherwise."""
    if not ISO_DATE.fullmatch(text):
        raise ValueError("not YYYY-MM-DD")
    return date.fromisoformat(text)


def _assignment(file: Path, index: int, raw: Any) -> Assignment:
    """One entry of `assignments`, or an error naming it and its field."""
    where = f"{file}: assignments[{index}]"
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected {{session, date, slot, room}}")
    if isinstance(raw.get("session"), str):
        where += f" (session {raw['session']})"
    for key in ("session", "date", "slot", "room"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise InputError(f"{where} {key}: missing or not text")
    try:
        day = iso_date(raw["date"])
    except ValueError as err:
        raise InputError(f"{where} date: '{raw['date']}' is not a date ({err})") from err
    return Assignment(raw["session"], day, raw["slot"], raw["room"])


def same_solution(one: Path, other: Path) -> bool:
    """Whether two solution files are one, or a copy of each other (a published folder made
    with `cp -r`: an audit's re-solve of the copy was refused as "not a re-solve of it")."""
    if one.resolve() == other.resolve():
        return True
    try:
        return one.read_bytes() == other.read_bytes()
    except OSError:
        return False


def written_at(path: Path) -> float | None:
    """When a solution file was written, as a POSIX time: its recorded `written_at`, which a
    copy keeps, else the file's time (files written before it was recorded); None when the
    file cannot be read (an audit: `cp -r` of an older solve counted as the newer one)."""
    try:
        stamp = read_json(path).get("written_at")
        return datetime.fromisoformat(stamp).timestamp()
    except (AttributeError, TypeError, ValueError):
        pass
    except OSError:
        return None
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def revision_record(path: str | Path) -> dict[str, Any] | None:
    """The `revision` record of a re-solve's solution.json (`path`: it or its folder), or
    None: a solution no re-solve wrote, or a file that cannot be read."""
    try:
        record = read_json(solution_path(path))["revision"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record if isinstance(record, dict) else None


def _recorded_instance(path: str | Path) -> dict[str, Any]:
    """The `instance` record (name, sha256) of a solution file, or {} if unreadable."""
    try:
        record = _load_json(solution_path(path)).get("instance", {})
    except (InputError, AttributeError):
        return {}
    return record if isinstance(record, dict) else {}


def bound_of_every_timetable(path: str | Path) -> bool:
    """Whether the bound a solution file records holds for every timetable of its instance:
    a solve's, recorded with the instance's digest. A re-solve's (`revision`) holds only at
    its least disruption, with the past fixed; a file without digest may be of anything."""
    try:
        doc = _load_json(solution_path(path))
    except InputError:
        return False
    return (
        isinstance(doc, dict)
        and "revision" not in doc
        and bool(_recorded_instance(path).get("sha256"))
    )


def instance_name_of(path: str | Path) -> str | None:
    """The instance name recorded in a solution file, if readable."""
    name = _recorded_instance(path).get("name")
    return str(name) if name else None


def recorded_content_digest(path: str | Path) -> str | None:
    """The `content_sha256` of the instance a solution file records, if any."""
    digest = _recorded_instance(path).get("content_sha256")
    return digest if isinstance(digest, str) else None


def instance_path_of(path: str | Path) -> Path | None:
    """The instance file's path recorded in a solution file, if any."""
    recorded = _recorded_instance(path).get("path")
    return Path(recorded) if isinstance(recorded, str) and recorded else None


def solution_matches(
    solution: str | Path, instance: Instance, instance_file: str | Path
) -> str | None:
    """Refuse a solution recorded for another instance; a warning when it has changed since.

    Raises `InputError` when the recorded instance name differs; returns a warning text when
    the name matches but `instance` (as read from `instance_file`) is not what was solved: the
    file's SHA-256 differs from the recorded one, and so does its content's when recorded.
    """
    file = solution_path(solution)
    recorded = _recorded_instance(file)
    name, sha = recorded.get("name"), recorded.get("sha256")
    if name and name != instance.name:
        raise InputError(
            f"{file}: a solution of instance '{name}', not of '{instance.name}' ({instance_file})"
        )
    if sha and Path(instance_file).is_file():
        from scheduler.io.instance_io import file_sha256, instance_digest

        content = recorded.get("content_sha256")
        if file_sha256(instance_file) != sha and content != instance_digest(instance):
            where = instance_path_of(file)
            if where is not None and where.is_file() and file_sha256(where) == sha:
                why = " (a re-solve's instance holds its changes)" * bool(revision_record(file))
                # "check against that file" contradicted an instance given on purpose (an
                # edited copy to `--start-from` or `report --instance`: a docs audit)
                return (
                    f"warning: {file} is a timetable of {where}, not of {instance_file}{why}: "
                    f"read against {instance_file} as given"
                )
            return f"warning: {instance_file} has changed since {file} was solved"
    return None
