"""Benchmark suites: YAML files listing cases, seeds, time limits and workers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import InputError


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
    named = Path("benchmarks") / (suite if path.suffix in (".yaml", ".yml") else f"{suite}.yaml")
    if named.is_file():
        return named
    raise InputError(f"{suite}: no such suite file (nor {named})")


def load_suite(suite: str | Path) -> Suite:
    """Read and check a suite; instance paths are relative to the suite file's folder."""
    path = resolve_suite_path(str(suite))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:  # one line, at the place the parser stopped
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputError(f"{where}: invalid YAML: {problem}") from err
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
        name=str(raw.get("name", path.stem)),
        path=path,
        cases=cases,
        description=str(raw.get("description", "")),
        tolerance=_tolerance(path, raw.get("tolerance")),
    )


def _tolerance(path: Path, raw: Any) -> dict[str, float]:
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


#: the generator's own bounds (`generate.generate_with_witness`), checked before anything runs
GENERATE_BOUNDS = {
    "programmes": (1, None),
    "seed": (None, None),
    "tightness": (0.1, 0.95),
    "weeks": (8, None),
    "sites": (1, None),
    "year": (2010, 2099),
}


def _generator_arguments(where: str, generate: Any) -> None:
    """`generate` has `programmes` and `seed` and known keys, each a number in its bounds (an
    audit's suite crashed case by case with the generator's TypeError or ValueError)."""
    if not isinstance(generate, dict) or not {"programmes", "seed"} <= set(generate):
        raise InputError(f"{where}: generate: needs at least 'programmes' and 'seed'")
    odd = sorted(set(generate) - set(GENERATE_KEYS))
    if odd:
        raise InputError(
            f"{where}: generate: unknown key {odd[0]!r} (known: {', '.join(GENERATE_KEYS)})"
        )
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


def _case(path: Path, suite: dict[str, Any], item: Any, index: int) -> Case:
    if not isinstance(item, dict):
        raise InputError(f"{path}: cases[{index}]: a case is a mapping")
    where = f"{path}: case '{item.get('id', index)}'"
    unknown = set(item) - {"id", "instance", "generate", "time_limit", "workers", "seeds"}
    if unknown:
        raise InputError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    if ("instance" in item) == ("generate" in item):
        raise InputError(f"{where}: give exactly one of 'instance' and 'generate'")
    instance = None
    if "instance" in item:
        file = (path.parent / str(item["instance"])).resolve()
        if not file.is_file():
            raise InputError(f"{where}: instance: no such file {file}")
        _readable_instance(where, file)
        instance = str(file)
    generate = item.get("generate")
    if generate is not None:
        _generator_arguments(where, generate)
    seeds = item.get("seeds", suite.get("seeds", [0]))
    if not isinstance(seeds, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) for s in seeds
    ):
        raise InputError(f"{where}: seeds: expected a list of whole numbers, got {seeds!r}")
    if not seeds or len(set(seeds)) != len(seeds):  # nothing run would pass any gate
        raise InputError(f"{where}: seeds: expected at least one seed, each once, got {seeds!r}")
    workers = _number(f"{where}: workers", item.get("workers", suite.get("workers", 2)), 1)
    if not workers.is_integer():
        raise InputError(f"{where}: workers: expected a whole number, got {workers:g}")
    return Case(
        id=str(item.get("id") or Path(str(item.get("instance", f"case{index}"))).stem),
        time_limit=_number(
            f"{where}: time_limit", item.get("time_limit", suite.get("time_limit", 30)), 0.1
        ),
        workers=int(workers),
        seeds=tuple(seeds),
        instance=instance,
        generate=dict(generate) if generate is not None else None,
    )
