"""Why there is no timetable: pre-flight findings and a minimal set of conflicting rule groups.

Pre-flight first, then the ordinary hard-rule model, so that a feasible instance is confirmed
quickly; when the hard rules conflict, `scheduler.model.conflict_search` finds a minimal
conflicting set of rule groups and `scheduler.model.explain_words` says each in words.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from scheduler.check import check
from scheduler.construct import greedy_timetable
from scheduler.data.preflight import Finding, preflight
from scheduler.data.problem import Problem
from scheduler.data.words import join_words
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.conflict_search import (
    Diagnostic,
    enough_alone,
    first_core,
    minimal_core,
    verdict_of,
)
from scheduler.model.cpsat import SolveOptions, solve_once
from scheduler.model.explain_words import describe, summary
from scheduler.model.first_timetable import find_feasible
from scheduler.model.greedy_finish import finished_greedy
from scheduler.model.interrupt import Interrupted
from scheduler.model.rule_groups import Rejecter, RuleGroup
from scheduler.solution import DEFAULT_WORKERS, Status, Timetable


@dataclass(frozen=True)
class Explanation:
    """Pre-flight findings, the minimal conflicting rule groups and their sentences."""

    findings: list[Finding]
    core: list[RuleGroup]
    sentences: list[str]
    feasible: bool | None
    minimal: bool = True
    summary: str | None = None
    # whether relaxing each group of `core` alone gives a timetable (None: undecided in
    # time); a minimal set is one conflict, and the instance may have others
    enough: dict[RuleGroup, bool | None] = field(default_factory=dict)


def hard_rules_verdict(
    problem: Problem, time_limit: float, workers: int = DEFAULT_WORKERS
) -> bool | None:
    """True when a timetable is found quickly (no diagnostic needed), by `solve`'s own first
    phase: the greedy constructor (the sample's in a fraction of a second, where a plain
    CP-SAT search needed more than 10 s), its restarts, the repair of what it left out, then
    the hard-rule model (an audit's 166 sessions: `solve` found a timetable at 12 s, a plain
    search not in 10); False when that model is proved infeasible (faster, on an audit's 112
    sessions, than the diagnostic model decides), None when undecided. The hard-rule model is
    searched briefly before the restarts and the repair: it proves most conflicts in about a
    second, where the repair of an instance without a timetable fails only at the end of its
    share. `workers`: the cores its searches use."""
    timetable = greedy_timetable(problem, partial=True)
    if _whole(problem, timetable):
        return True
    built = build_model(problem, with_objective=False)
    start = time.monotonic()

    def left() -> SolveOptions:  # what is left of the limit
        return SolveOptions(
            time_limit=max(1.0, time_limit - (time.monotonic() - start)), workers=workers
        )

    probe = _hard_rules_probe(built, min(PROBE_SECONDS, time_limit * PROBE_SHARE), workers)
    if probe is not None:
        return probe
    # `solve`'s restarts and local repairs (561 feasible sessions were undecided in 30 s;
    # their 6th greedy run places them all)
    if timetable is not None:
        timetable, _ = finished_greedy(problem, left(), timetable, time.monotonic(), _silent)
        if _whole(problem, timetable):
            return True
    values, status, _ = find_feasible(problem, built, left(), greedy_start=timetable, hard=built)
    if values is not None:
        return True
    return False if status == Status.INFEASIBLE else None


def _whole(problem: Problem, timetable: Timetable | None) -> bool:
    """`timetable` places every session and breaks no hard rule."""
    whole = timetable is not None and len(timetable) == len(problem.sessions)
    return whole and not check(problem, timetable or ()).violations


def _silent(line: str) -> None:
    """No progress lines: `explain` prints its verdict only."""


# The hard-rule search's share of `hard_rules_verdict` before the repair of the greedy's
# partial timetable, and its most. An instance with no timetable makes the repair fail after
# its whole share: an audit's 42 sessions (a teacher's weeks over-committed) spent 6.6 s in
# it, where the search proves it infeasible in 1.2 s. The most is what a feasible instance
# the greedy leaves unfinished loses (a review's 150-165 generated sessions: 3 s at first).
PROBE_SHARE, PROBE_SECONDS = 0.25, 2.0


def _hard_rules_probe(built: BuiltModel, seconds: float, workers: int) -> bool | None:
    """The hard-rule model's own search for `seconds` on `workers` cores: True (a timetable),
    False (proved infeasible) or None."""
    options = SolveOptions(time_limit=max(1.0, seconds), workers=workers)
    _, status, _ = solve_once(built.model, options)
    if status == Status.INFEASIBLE:
        return False
    return True if status.has_solution else None


# The search for a conflicting set after pre-flight errors, which already prove and explain
# the conflict. Small instances get their set within it (tiny's in well under a second). Of
# 16 variants of the sample with a pre-flight error, 14 got nothing more within 10 s and 2 a
# set their errors already gave, each explain taking 11.3-11.6 s; with 3 s, 5.6-6.0 s. The
# diagnostic model's build counts against it too (~5 s on the sample, a minute on 587
# sessions): the errors alone are said when it does not end within it.
ERRORS_DETAIL_SECONDS = 3.0


def explain(
    problem: Problem,
    time_limit: float = 30.0,
    *,
    known_infeasible: bool = False,
    extra: Rejecter | None = None,
    on_findings: Callable[[list[Finding]], None] | None = None,
    capped: bool = True,
    workers: int = DEFAULT_WORKERS,
) -> Explanation:
    """Pre-flight findings, then (if the hard rules conflict) a minimal conflicting set in words.

    Unless `known_infeasible` (e.g. `solve` just proved it), the ordinary hard-rule model is
    tried first for half of the time, so that a feasible instance is confirmed quickly.
    `extra` adds rule groups the instance does not state; the pre-flight, which reasons on
    the instance alone, then says its errors only (its counts ignore those rules, so an
    error still proves the conflict, and its warnings would be of the instance, not of what
    is asked; a re-solve's teacher with too few weeks left for their weekly maximum got no
    explanation after two minutes and 4 GiB of search, a scale audit), and those errors are
    the answer. `on_findings`
    gets the pre-flight's findings as soon as they are known, before any search (an audit
    waited 10-16 s for pre-flight errors found in half a second). After pre-flight errors the
    search gets `ERRORS_DETAIL_SECONDS` at most when `capped` (not `capped`: the whole
    `time_limit`, for a limit the user asked for: an audit's `explain --time-limit 120` stopped
    at 4.5 s, advising a longer limit). `workers`: the cores its searches use (`--workers`).
    """
    proved_here = False
    findings = _preflight_findings(problem, extra, on_findings)
    deadline = time.monotonic() + time_limit  # after the pre-flight, as docs/commands.md says
    errors = [f for f in findings if f.severity == "error"]
    if errors and extra is not None:  # the search for detail: its model's build alone took
        return Explanation(findings, [], [], False)  # a minute on 587 sessions (an audit)
    if not errors and not known_infeasible:
        verdict = hard_rules_verdict(problem, max(1.0, time_limit / 2), workers)
        if verdict:
            exists = ["a timetable respecting every hard rule exists"]
            return Explanation(findings, [], exists, True)
        proved_here = known_infeasible = verdict is False  # only the why is left to find
    if errors and capped:
        # The pre-flight errors already prove and explain it: the search for a conflicting set
        # only adds detail, so it gets a short budget and stays silent when out of time.
        deadline = min(deadline, time.monotonic() + ERRORS_DETAIL_SECONDS)
    # beside pre-flight errors, which prove it, a set the search finds in its short default
    # budget only adds detail: none found is not said; for a limit the user asked for it is,
    # the same whether the search ran out deciding or isolating (the explain audit got
    # "raise --time-limit" in one case and nothing in the other)
    quiet = bool(errors) and capped
    with Interrupted() as interrupted:  # Ctrl-C ends the search with what it has
        # the model's build counts against the time: it took a minute and 1.7 GiB on 587
        # sessions after errors found in a second, and ran 33 s past a 60 s limit (audits)
        d = Diagnostic.build(problem, extra, deadline, workers)
        found = first_core(d, deadline) if d is not None else None
        verdict = verdict_of(found.status) if found is not None else None
        out_of_time = f"stopped by {interrupted.by}" if interrupted.flag else "raise --time-limit"
        if verdict is None:
            return _undecided(
                findings,
                bool(errors),
                known_infeasible,
                proved_here,
                time_limit,
                out_of_time,
                quiet,
                None if errors else stuck_hint(problem),
            )
        if verdict:  # with a pre-flight error this would be a bug: the errors are kept
            return Explanation(findings, [], [], not errors)
        assert d is not None and found is not None  # a verdict comes from a search
        if found.groups is None:
            return _not_isolated(problem, findings, bool(errors), quiet, time_limit, out_of_time)
        core, minimal = minimal_core(
            d, found.groups, deadline, found.exact, lambda: interrupted.flag
        )
        enough = enough_alone(d, core, deadline, lambda: interrupted.flag)
    return _conflict(problem, findings, core, minimal, enough)


def _not_isolated(
    problem: Problem,
    findings: list[Finding],
    errors: bool,
    quiet: bool,
    time_limit: float,
    out_of_time: str,
) -> Explanation:
    """The explanation when the search proved there is no timetable but isolated no
    conflicting set of rules in time; `errors`: the pre-flight's prove it; `quiet`: nothing
    said beside them (the default budget's detail search)."""
    note = (
        _no_set_beside_errors(time_limit, out_of_time)
        if errors
        else f"no conflicting set of rules was isolated in time: {out_of_time}"
    )
    hint = None if errors or quiet else stuck_hint(problem)
    notes = [] if quiet else [note, *([hint] if hint else [])]
    return Explanation(findings, [], notes, False, minimal=False)


def _preflight_findings(
    problem: Problem,
    extra: Rejecter | None,
    on_findings: Callable[[list[Finding]], None] | None,
) -> list[Finding]:
    """The pre-flight's findings (its errors only with `extra`), given to `on_findings` too."""
    findings = preflight(problem)
    if extra is not None:
        findings = [f for f in findings if f.severity == "error"]
    if on_findings is not None:
        on_findings(findings)
    return findings


def _undecided(
    findings: list[Finding],
    errors: bool,
    known_infeasible: bool,
    proved_here: bool,
    time_limit: float,
    out_of_time: str,
    quiet: bool = False,
    hint: str | None = None,
) -> Explanation:
    """The explanation when the diagnostic search decided nothing in time; `quiet`: nothing
    said beside the pre-flight errors (the default budget's detail search); `hint`: where a
    first placement got stuck (`stuck_hint`), said after the note."""
    if errors:
        notes = [] if quiet else [_no_set_beside_errors(time_limit, out_of_time)]
        return Explanation(findings, [], notes, False, minimal=False)
    if known_infeasible:  # proved by the caller's search: only its why is missing
        advice = (
            "raise --time-limit"
            if proved_here
            else ("run `scheduler explain` with a longer --time-limit")
        )
        note = (
            "proved infeasible, but no conflicting set of rules was isolated within "
            f"{time_limit:.0f} s: {advice}"
        )
        return Explanation(findings, [], [note, *([hint] if hint else [])], False, minimal=False)
    note = f"neither a timetable nor a conflict was found: {out_of_time}"
    return Explanation(findings, [], [note, *([hint] if hint else [])], None)


def stuck_hint(problem: Problem) -> str | None:
    """Where a first placement, series by series, got stuck, as a place to look first when
    no conflicting set was isolated in time (an audit's 212 sessions: "proved infeasible"
    and "raise the limit", nothing else, where the same conflict at 44 sessions named seven
    rules); a hint, not a proof: another order might place that series and not another."""
    placed = greedy_timetable(problem, partial=True)
    if placed is None:
        return None
    given = {a.session for a in placed}
    left = [s for s in problem.sessions if s.id not in given]
    if not left:
        return None
    series = list(dict.fromkeys(s.series_id for s in left))
    first = {key: next(s.id for s in left if s.series_id == key) for key in series}
    shown = [f"{key} (from {first[key]})" for key in series[:STUCK_SHOWN]]
    if len(series) > STUCK_SHOWN:
        shown.append(f"{len(series) - STUCK_SHOWN} more")
    check = (
        "its window, teachers, rooms and pins against the sessions it shares them with"
        if len(series) == 1
        else "their windows, teachers, rooms and pins against the sessions they share them with"
    )
    return (
        "where to look first (a hint, not a proof): placed one series after another, "
        f"{join_words(shown)} found no place — check {check}"
    )


STUCK_SHOWN = 3  # series a stuck hint names


def _no_set_beside_errors(seconds: float, out_of_time: str) -> str:
    """The note when the pre-flight errors prove there is no timetable and the search for a
    conflicting set of rules, which would only add detail, found none in time: said the same
    whether it ran out of time deciding or isolating (the explain audit got "raise
    --time-limit" in one case and nothing in the other). Not said at the default budget
    (`quiet`)."""
    advice = "raise --time-limit for one" if out_of_time == "raise --time-limit" else out_of_time
    return (
        f"the pre-flight errors prove it; no conflicting set of rules was isolated in "
        f"{seconds:.0f} s to add to them ({advice})"
    )


def _conflict(
    problem: Problem,
    findings: list[Finding],
    core: list[RuleGroup],
    minimal: bool,
    enough: dict[RuleGroup, bool | None],
) -> Explanation:
    """The explanation of a conflicting set `core`, each group in words."""
    if not core:
        base = (
            "no timetable even with every relaxable rule dropped: check session lengths, "
            "closures and series"
        )
        return Explanation(findings, [], [base], False)
    sentences = [describe(problem, g.family, g.entity) for g in core]
    pairs = [(g.family, g.entity) for g in core]
    # the one-line summary reads the set as the cause: only for a minimal one (an audit case
    # summed up a non-minimal set by a February absence irrelevant to a November deadline)
    short = summary(problem, pairs) if minimal else None
    return Explanation(findings, core, sentences, False, minimal, short, enough)


def explain_lines(
    problem: Problem,
    time_limit: float = 30.0,
    *,
    known_infeasible: bool = False,
    source: str | None = None,
    cells: Mapping[str, tuple[str, ...]] | None = None,
    workers: int = DEFAULT_WORKERS,
) -> list[str]:
    """The explanation as printable lines (used by `scheduler explain` and `scheduler solve`);
    `source`: the instance file the pre-flight lines name; `cells`: its workbook's rows."""
    explanation = explain(problem, time_limit, known_infeasible=known_infeasible, workers=workers)
    return format_lines(explanation, source=source, cells=cells)


def finding_line(
    finding: Finding, source: str | None = None, cells: Mapping[str, tuple[str, ...]] | None = None
) -> str:
    """`pre-flight error: FILE: [rule] message` (without `source`: no file), as the
    warnings of a feasible solve say them; with `cells` (a workbook's entity rows:
    `io.instance_io.instance_cells`), the rows of the entities it names after the file:
    `FILE: Teachers!A7: [rule] message`."""
    where = f"{source}: " if source else ""
    rows = _rows_of(finding, cells or {})
    if rows:
        where += f"{', '.join(rows[:3])}{', ...' if len(rows) > 3 else ''}: "
    return f"pre-flight {finding.severity}: {where}[{finding.rule}] {finding.message}"


def _rows_of(finding: Finding, cells: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The workbook rows of the entities `finding` names, each once, in their order (a
    pinned session has its series' row and its pins')."""
    return list(dict.fromkeys(row for e in finding.entities for row in cells.get(e, ())))


def format_lines(
    result: Explanation,
    findings: bool = True,
    source: str | None = None,
    cells: Mapping[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """Printable lines: pre-flight findings (unless told already: `findings=False`; naming
    the instance file `source` and the workbook's `cells`), then the conflicting rules and
    what to relax."""
    lines = [finding_line(f, source, cells) for f in result.findings] if findings else []
    if result.feasible:
        return [*lines, "a timetable respecting every hard rule exists"]
    if result.core:
        if len(result.core) == 1:
            lines.append("no timetable: this rule cannot hold; relax it:")
        elif result.minimal:
            lines.append(
                f"no timetable: these {len(result.core)} rules cannot all hold (minimal set; "
                "relaxing any one of them removes this conflict):"
            )
        else:  # not proven minimal: relaxing some of them may change nothing
            lines.append(
                f"no timetable: these {len(result.core)} rules cannot all hold (a conflicting "
                "set, not proven minimal: some of them may not matter; `scheduler explain` "
                "with a longer --time-limit can narrow it):"
            )
        not_enough = " (not enough alone: without it, another conflict remains)"
        lines += [
            f"  - [{g}] {s}{not_enough if result.enough.get(g) is False else ''}"
            for g, s in zip(result.core, result.sentences, strict=True)
        ]
        if result.summary:
            lines.append(f"in short: {result.summary}")
        if result.core and all(result.enough.get(g) is False for g in result.core):
            which = "it" if len(result.core) == 1 else "any one of these"
            lines.append(
                f"relaxing {which} alone still leaves no timetable: the instance has another "
                "conflict; `scheduler explain` names it once this one is solved"
            )
    else:
        if result.feasible is None:
            lines.append("could not decide within the time limit whether a timetable exists")
        else:
            errors = any(f.severity == "error" for f in result.findings)
            # warnings are not why (an audit was sent to five unrelated warnings)
            lines.append("no timetable (see the pre-flight errors)" if errors else "no timetable")
        lines += [f"  {s}" for s in result.sentences]
    return lines
