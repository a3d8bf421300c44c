"""Judging benchmark records: each on its own, and against a stored baseline.

A case fails when it has no timetable, when the checker finds a hard violation, or when its
objective is worse than the baseline's beyond the tolerance `rel * |baseline| + abs`. The
objective reached at a time limit on a loaded machine is noisy, hence a generous default.
The objective compared is the checker's (the true cost of the timetable), else the solver's:
at a time limit the solver's figure may exceed the true cost (penalties are lower bounds).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.bench.suite import tolerance
from scheduler.errors import InputError

DEFAULT_REL_TOLERANCE = 0.25
DEFAULT_ABS_TOLERANCE = 50.0


@dataclass(frozen=True)
class Finding:
    """One verdict on a case: `failed` findings make `scheduler bench` exit 1."""

    key: str
    failed: bool
    message: str


def record_key(record: dict[str, Any]) -> str:
    """The baseline key of a record: `case@seed`."""
    return f"{record['case']}@{record['seed']}"


def objective_of(record: dict[str, Any]) -> float | None:
    """The objective compared: the checker's when known, else the solver's."""
    value = record.get("checker_objective")
    return record.get("objective") if value is None else value


def judge_record(record: dict[str, Any]) -> list[Finding]:
    """Failures visible without a baseline: no timetable, an error, hard violations."""
    key = record_key(record)
    if record.get("error"):
        return [Finding(key, True, f"error: {record['error']}")]
    if not record.get("has_timetable"):
        return [Finding(key, True, f"no timetable (status {record.get('status')})")]
    if record.get("violations"):
        rules = ", ".join(record.get("violated_rules", []))
        return [Finding(key, True, f"{record['violations']} hard violations ({rules})")]
    return []


def compare(
    records: list[dict[str, Any]],
    baseline: dict[str, Any],
    rel: float = DEFAULT_REL_TOLERANCE,
    abs_: float = DEFAULT_ABS_TOLERANCE,
) -> list[Finding]:
    """Every finding of `records`, on their own and against `baseline` (see `load_baseline`)."""
    cases: dict[str, Any] = baseline.get("cases", {})
    findings: list[Finding] = []
    for record in records:
        own = judge_record(record)
        findings += own
        key = record_key(record)
        base = cases.get(key)
        if base is None:
            findings.append(Finding(key, False, "not in the baseline"))
            continue
        if own:
            continue
        finding = _against_baseline(key, record, base, rel, abs_)
        if finding is not None:
            findings.append(finding)
    seen = {record_key(r) for r in records}
    findings += [Finding(k, False, "in the baseline but not run") for k in cases if k not in seen]
    if records and not seen & set(cases):  # a gate that compared nothing passes anything
        findings.append(
            Finding("baseline", True, "no case of this run is in the baseline: nothing compared")
        )
    return findings


def _against_baseline(
    key: str, record: dict[str, Any], base: dict[str, Any], rel: float, abs_: float
) -> Finding | None:
    """The finding of a record without failures of its own against its baseline case `base`
    (None when there is nothing to say)."""
    differs = _not_comparable(record, base)
    if differs:
        return Finding(
            key,
            True,
            f"not comparable with the baseline ({differs}): record a new baseline with "
            "--write-baseline",
        )
    old, new = objective_of(base), objective_of(record)
    if old is None:
        return Finding(key, True, "the baseline has no objective for this case: record a new one")
    if new is None:
        return None
    limit = old + rel * abs(old) + abs_
    if new > limit:
        return Finding(
            key, True, f"objective {new} regressed: baseline {old}, allowed up to {limit:g}"
        )
    bound = record.get("bound")
    if isinstance(bound, int | float) and not isinstance(bound, bool) and old < bound:
        # no timetable costs less than a proved bound: said, as a much better result is (an
        # audit's tiny at 1 passed silently a run that proved 28 optimal); the tolerance, the
        # user's, still decided above whether the case fails
        return Finding(
            key,
            False,
            f"the baseline's objective {old} is below {bound:g}, which this run proves every "
            "timetable costs at least: record a new baseline",
        )
    if new < old - rel * abs(old) - abs_:
        return Finding(key, False, f"objective {new} much better than baseline {old}")
    return None


#: what a record must share with its baseline case to be compared: the same instance, as much
#: time and as many workers (a baseline of other conditions would pass anything, or fail all)
COMPARED_CONDITIONS = ("instance_sha256", "time_limit", "workers")


def _not_comparable(record: dict[str, Any], base: dict[str, Any]) -> str:
    """The conditions in which `record` differs from its baseline case, in words ('' if none)."""
    differ = []
    for name in COMPARED_CONDITIONS:
        old, new = base.get(name), record.get(name)
        if old is not None and new is not None and old != new:
            shown = (str(new)[:12], str(old)[:12]) if name == "instance_sha256" else (new, old)
            differ.append(f"{name} {shown[0]}, baseline {shown[1]}")
    return "; ".join(differ)


def make_baseline(
    records: list[dict[str, Any]],
    suite: str,
    rel: float = DEFAULT_REL_TOLERANCE,
    abs_: float = DEFAULT_ABS_TOLERANCE,
) -> dict[str, Any]:
    """A baseline document from records of a run, with the tolerance the run was judged by."""
    keep = (
        "status",
        "objective",
        "checker_objective",
        "bound",
        "sessions",
        "first_feasible_seconds",
        "wall_seconds",
        "peak_memory_mb",
        "time_limit",
        "workers",
        "instance_sha256",
    )
    first = records[0] if records else {}
    return {
        "suite": suite,
        "package_version": first.get("package_version"),
        "git_revision": first.get("git_revision"),
        "recorded_at": first.get("finished_at"),
        "tolerance": {"rel": rel, "abs": abs_},
        # each case its own origin: a baseline written by a run of some cases keeps the others
        # from older runs (an audit found them stamped with the new run's revision)
        "cases": {
            record_key(r): {
                **{k: r.get(k) for k in keep},
                "git_revision": r.get("git_revision"),
                "recorded_at": r.get("finished_at"),
            }
            for r in records
        },
    }


def load_baseline(path: Path) -> dict[str, Any]:
    """Read a baseline JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"{path}: cannot read baseline: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}): not a baseline") from err
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from err
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise InputError(f"{path}: a baseline is a JSON object with a 'cases' object")
    # the tolerance its run was judged by, used when neither the command line nor the suite
    # gives one: NaN or Infinity passed any regression, a negative one failed equal results
    tolerance(path, data.get("tolerance"))
    for key, case in data["cases"].items():
        if not isinstance(case, dict):
            raise InputError(f"{path}: case '{key}': a baseline case is a JSON object")
        for field in ("objective", "checker_objective"):
            value = case.get(field)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)  # NaN passed anything, -Infinity too (an audit)
            ):
                raise InputError(f"{path}: case '{key}': {field}: expected a finite number or null")
        _conditions_recorded(path, key, case)
    return data


def _conditions_recorded(path: Path, key: str, case: dict[str, Any]) -> None:
    """A case to compare with records what a record must share with it (rule 4 of
    benchmarks/README.md): a case without them was compared in any conditions (an audit)."""
    if objective_of(case) is None:
        return  # nothing to compare with
    for name in ("time_limit", "workers"):  # `"3"` was "not comparable: 3.0, baseline 3"
        value = case.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InputError(f"{path}: case '{key}': {name}: expected a number, got {value!r}")
    missing = [name for name in COMPARED_CONDITIONS if case.get(name) is None]
    if missing:
        raise InputError(
            f"{path}: case '{key}': no {', '.join(missing)}: the conditions it was run in are "
            "unknown, so no record can be compared with it (record it with --write-baseline)"
        )
