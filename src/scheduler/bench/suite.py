"""Benchmark suites: YAML files listing cases, seeds, time limits and workers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.errors import InputError
from scheduler.generate_years import FIRST_YEAR, LAST_YEAR
from scheduler.io.instance_io import read_raw
from scheduler.solution import DEFAULT_WORKERS


@dataclass(frozen=True)
class Case:
    """One instance (a file or generator arguments) with its time limit, seeds and workers."""

    id: str
    time_limit: float
    workers: int
    seeds: tuple[int, ...]
    instance: str | None = None
    generate: dict[str, Any] | None = None

    def specs(self, suite: str, git_revision: str | None) -> list[dict[str, Any]]:
        """The specs `scheduler.bench.case` runs, one per seed."""
        base: dict[str, Any] = {
            "suite": suite,
            "case": self.id,
            "time_limit": self.time_limit,
            "workers": self.workers,
            "git_revision": git_revision,
        }
        if self.generate is not None:
            base["generate"] = dict(self.generate)
        else:
            base["instance"] = self.instance
        return [{**base, "seed": seed} for seed in self.seeds]


@dataclass(frozen=True)
class Suite:
    """A named list of cases read from `benchmarks/<name>.yaml`."""

    name: str
    path: Path
    cases: tuple[Case, ...]
    description: str = ""
    tolerance: dict[str, float] = field(default_factory=dict)


def resolve_suite_path(suite: str) -> Path:
    """A suite file: SUITE itself if it is a file, else `benchmarks/SUITE.yaml` under the cwd."""
    path = Path(suite)
    if path.is_file():
        return path
    if path.is_dir():
        raise InputError(f"{suite}: a folder, not a suite file")
    named = Path("benchmarks") / (suite if path.suffix in (".yaml", ".yml") else f"{suite}.yaml")
    if named.is_file():
        return named
    raise InputError(f"{suite}: no such suite file (nor {named})")


def load_suite(suite: str | Path) -> Suite:
    """Read and check a suite; instance paths are relative to the suite file's folder."""
    path = resolve_suite_path(str(suite))
    # the instances' reader: a key given twice, `seeds: [010]` read as octal 8 and a file not
    # in UTF-8 were a silent last-one-wins, a silent 8 and a traceback (an audit)
    raw = read_raw(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list) or not raw["cases"]:
        raise InputError(f"{path}: a suite is a mapping with a non-empty list 'cases'")
    unknown = set(raw) - {
        "name",
        "description",
        "time_limit",
        "workers",
        "seeds",
        "tolerance",
        "cases",
    }
    if unknown:
        raise InputError(f"{path}: unknown key '{sorted(unknown)[0]}'")
    cases = tuple(_case(path, raw, item, i) for i, item in enumerate(raw["cases"]))
    ids = [c.id for c in cases]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise InputError(f"{path}: case '{duplicate}': duplicate id")
    return Suite(
        name=_name(path, raw["name"]) if "name" in raw else path.stem,
        path=path,
        cases=cases,
        description=str(raw.get("description", "")),
        tolerance=tolerance(path, raw.get("tolerance")),
    )


def _name(path: Path, name: Any) -> str:
    """The suite's name, which names its records' file `results/<name>.jsonl`: a word (an
    audit's `../../../evil` wrote outside results/, an empty one a hidden `.jsonl`)."""
    text = str(name) if isinstance(name, str | int) else ""  # `name: ~` is no name "None"
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text):
        raise InputError(
            f"{path}: name: {text!r} is not a name for a records file: letters, digits, "
            "'-', '_' or '.', starting with a letter or digit"
        )
    return text


def tolerance(path: Path | str, raw: Any) -> dict[str, float]:
    """`{rel: 0.25, abs: 50}`: known keys (a misspelt one left the default in force), finite
    numbers >= 0."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"{path}: tolerance: expected a mapping like {{rel: 0.25, abs: 50}}")
    result = {}
    for key, value in raw.items():
        if key not in ("rel", "abs"):
            raise InputError(f"{path}: tolerance: unknown key {key!r} (known: rel, abs)")
        result[key] = _number(f"{path}: tolerance {key}", value, least=0.0)
    return result


def _number(where: str, value: Any, least: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}: expected a number, got {value!r}")
    if not math.isfinite(value) or value < least:
        raise InputError(f"{where}: expected a finite number >= {least:g}, got {value!r}")
    return float(value)


#: what `generate` accepts (`scheduler.generate.generate_instance`)
GENERATE_KEYS = ("programmes", "seed", "tightness", "weeks", "sites", "year")


#: the bounds of `scheduler generate`'s options, checked before anything runs (the generator
#: itself clamped `sites: 9` to 3 and drafted 400 weeks for hours: an audit)
GENERATE_BOUNDS = {
    "programmes": (1, 100),
    "seed": (None, None),
    "tightness": (0.1, 0.95),
    "weeks": (8, 52),
    "sites": (1, 3),
    "year": (FIRST_YEAR, LAST_YEAR),
}
#: CP-SAT's `random_seed` is a 32-bit integer (a larger one failed its case's process)
SEED_RANGE = (-(2**31), 2**31 - 1)


def _generator_arguments(where: str, generate: Any) -> None:
    """`generate` has `programmes` and `seed` and known keys, each a number in its bounds (an
    audit's suite crashed case by case with the generator's TypeError or ValueError)."""
    if not isinstance(generate, dict):
        raise InputError(
            f"{where}: generate: expected a mapping with 'programmes' and 'seed', got {generate!r}"
        )
    odd = sorted(set(generate) - set(GENERATE_KEYS))
    if odd:
        raise InputError(
            f"{where}: generate: unknown key {odd[0]!r} (known: {', '.join(GENERATE_KEYS)})"
        )
    if not {"programmes", "seed"} <= set(generate):
        raise InputError(f"{where}: generate: needs at least 'programmes' and 'seed'")
    for key, value in generate.items():
        least, most = GENERATE_BOUNDS[key]
        whole = key != "tightness"
        if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
            kind = "a whole number" if whole else "a number"
            raise InputError(f"{where}: generate {key}: expected {kind}, got {value!r}")
        if (least is not None and value < least) or (most is not None and value > most):
            bounds = f"{least if least is not None else ''}..{most if most is not None else ''}"
            raise InputError(f"{where}: generate {key}: {value!r} is outside {bounds}")


def _readable_instance(where: str, file: Path) -> None:
    """The case's instance loads (a bad one crashed its case's process only, exit 1); a
    CB-CTT file is named with the command that converts it."""
    from scheduler.io.instance_io import load_instance

    if file.suffix.lower() == ".ctt":
        raise InputError(
            f"{where}: instance: {file.name} is an ITC-2007 file: convert it first "
            f"(`scheduler itc2007 convert {file.name} --out {file.stem}.yaml`)"
        )
    try:
        load_instance(file)
    except InputError as err:
        raise InputError(f"{where}: instance: {err}") from err


def _instance_path(where: str, path: Path, instance: Any) -> str:
    """The resolved path of a case's instance file, relative to the suite file `path`, once
    checked to be a readable instance."""
    if not isinstance(instance, str) or not instance:
        raise InputError(f"{where}: instance: expected a file path, got {instance!r}")
    file = (path.parent / instance).resolve()
    if file.is_dir():
        raise InputError(f"{where}: instance: {file} is a folder, not an instance file")
    if not file.is_file():
        raise InputError(f"{where}: instance: no such file {file}")
    _readable_instance(where, file)
    return str(file)


def _seeds(where: str, seeds: Any) -> list[int]:
    """The case's seeds, checked to be a non-empty list of distinct whole numbers in the
    solver's range."""
    if not isinstance(seeds, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) for s in seeds
    ):
        raise InputError(f"{where}: seeds: expected a list of whole numbers, got {seeds!r}")
    if not seeds or len(set(seeds)) != len(seeds):  # nothing run would pass any gate
        raise InputError(f"{where}: seeds: expected at least one seed, each once, got {seeds!r}")
    odd_seed = next((s for s in seeds if not SEED_RANGE[0] <= s <= SEED_RANGE[1]), None)
    if odd_seed is not None:
        raise InputError(
            f"{where}: seeds: {odd_seed} is outside the solver's range "
            f"{SEED_RANGE[0]}..{SEED_RANGE[1]}"
        )
    return seeds


def _case(path: Path, suite: dict[str, Any], item: Any, index: int) -> Case:
    if not isinstance(item, dict):
        raise InputError(f"{path}: cases[{index}]: a case is a mapping")
    where = f"{path}: case '{item.get('id', index)}'"
    if "id" in item and (
        not isinstance(item["id"], str | int) or isinstance(item["id"], bool) or item["id"] == ""
    ):
        raise InputError(f"{where}: id: expected a name, got {item['id']!r}")
    unknown = set(item) - {"id", "instance", "generate", "time_limit", "workers", "seeds"}
    if unknown:
        raise InputError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    if ("instance" in item) == ("generate" in item):
        raise InputError(f"{where}: give exactly one of 'instance' and 'generate'")
    instance = _instance_path(where, path, item["instance"]) if "instance" in item else None
    generate = item.get("generate")
    if "generate" in item:
        _generator_arguments(where, generate)
    seeds = _seeds(where, item.get("seeds", suite.get("seeds", [0])))
    workers = _number(
        f"{where}: workers", item.get("workers", suite.get("workers", DEFAULT_WORKERS)), 1
    )
    if not workers.is_integer():
        raise InputError(f"{where}: workers: expected a whole number, got {workers:g}")
    return Case(
        # `id: 0` is a name (an audit: read as no id, the case took its file's name)
        id=str(item["id"])
        if "id" in item
        else Path(str(item.get("instance", f"case{index}"))).stem,
        time_limit=_number(
            f"{where}: time_limit", item.get("time_limit", suite.get("time_limit", 30)), 0.1
        ),
        workers=int(workers),
        seeds=tuple(seeds),
        instance=instance,
        generate=dict(generate) if generate is not None else None,
    )
