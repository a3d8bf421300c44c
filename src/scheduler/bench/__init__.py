"""Benchmarks: suites of cases, each solved in its own process, checked and compared to a baseline.

See benchmarks/README.md for the protocol (instances, time limits, seeds, workers).
"""

from scheduler.bench.compare import Finding, compare, judge_record, load_baseline, make_baseline
from scheduler.bench.runner import run_spec, run_specs, suite_specs
from scheduler.bench.suite import Case, Suite, load_suite

__all__ = [
    "Case",
    "Finding",
    "Suite",
    "compare",
    "judge_record",
    "load_baseline",
    "load_suite",
    "make_baseline",
    "run_spec",
    "run_specs",
    "suite_specs",
]
