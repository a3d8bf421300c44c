"""Why there is no timetable: pre-flight findings and a minimal set of conflicting rule groups.

The hard rules are grouped by (rule family, entity) (`model.rule_groups`). A diagnostic model
switches each group with an assumption literal: placement filters become `literal => not
placement` on placements they alone reject, and constraint rules are enforced only if their
group's literal holds. CP-SAT's sufficient assumptions give a conflicting set (the exact
search raced against a presolved one, whose set a plain solve confirms), which a deletion
loop shrinks to a minimal one.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.construct import greedy_timetable
from scheduler.data.domains import Placement, raw_placements
from scheduler.data.preflight import Finding, preflight
from scheduler.data.problem import Problem
from scheduler.errors import SolveError
from scheduler.model import interrupt
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.cpsat import SolveOptions, solve_once
from scheduler.model.explain_words import describe, summary
from scheduler.model.first_timetable import find_feasible
from scheduler.model.hard_rules import HARD_RULES
from scheduler.model.interrupt import Interrupted
from scheduler.model.rule_groups import Rejecter, RuleGroup, rejecting_groups
from scheduler.model.variables import Variables
from scheduler.solution import Status


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


# --- the diagnostic model -------------------------------------------------------------------
@dataclass
class Diagnostic:
    """The hard-rule model with one assumption literal per rule group, and no objective."""

    problem: Problem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    literals: dict[RuleGroup, cp_model.IntVar] = field(default_factory=dict)

    @classmethod
    def build(
        cls, problem: Problem, extra: Rejecter | None = None, deadline: float | None = None
    ) -> Diagnostic | None:
        """Variables for every placement some relaxable group may allow, then the guarded rules.

        `extra` adds rule groups that the instance does not state (a re-solve's "nothing
        new before today"). None when the `deadline` (monotonic seconds) passes first."""
        d = cls(problem)
        kept: dict[str, list[Placement]] = {}
        rejected: dict[Placement, frozenset[RuleGroup]] = {}
        late = lambda: deadline is not None and time.monotonic() > deadline  # noqa: E731
        for s in problem.sessions:
            if late():
                return None
            kept[s.id], seen = [], set()
            for c in raw_placements(problem, s):
                groups = frozenset(rejecting_groups(problem, c) | (extra(c) if extra else set()))
                if groups:
                    # one room stands for the rooms of a site that the same groups reject
                    key = (c.start.index, c.site, groups)
                    if key in seen:
                        continue
                    seen.add(key)
                    rejected[c] = groups
                kept[s.id].append(c)
        v = Variables.create(d.model, problem, kept)
        banned: dict[tuple[RuleGroup, str], list[cp_model.IntVar]] = defaultdict(list)
        for c, groups in rejected.items():
            for g in groups:
                banned[g, c.session.id].append(v.x[c])
        for (g, _), xs in sorted(banned.items(), key=lambda item: item[0]):
            # group enforced => none of the placements it rejects is used
            d.model.add(sum(xs) == 0).only_enforce_if(d.literal(g))
        for rule in HARD_RULES:
            if late():
                return None
            rule(d.model, problem, v, lambda family, entity: [d.literal(RuleGroup(family, entity))])
        return d

    def literal(self, group: RuleGroup) -> cp_model.IntVar:
        """The literal enforcing `group`, created on first use."""
        if group not in self.literals:
            self.literals[group] = self.model.new_bool_var(f"enforce[{group}]")
        return self.literals[group]

    def _solver(self, time_limit: float, presolve: bool) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_presolve = presolve
        solver.parameters.max_time_in_seconds = max(0.1, time_limit)
        solver.parameters.log_to_stdout = False
        return solver

    def _assume(self, enforced: list[RuleGroup]) -> None:
        self.model.clear_assumptions()
        self.model.add_assumptions([self.literals[g] for g in enforced])

    def _core(self, solver: cp_model.CpSolver, enforced: list[RuleGroup]) -> list[RuleGroup]:
        by_index = {self.literals[g].index: g for g in enforced}
        found = solver.sufficient_assumptions_for_infeasibility()
        return sorted({by_index[i] for i in found if i in by_index})

    def solve(self, enforced: list[RuleGroup], time_limit: float) -> tuple[int, list[RuleGroup]]:
        """Solve with `enforced` groups assumed (others free); status and, if infeasible, a
        core: the exact search (assumptions, no presolve)."""
        self._assume(enforced)
        solver = self._solver(time_limit, presolve=False)
        status = int(interrupt.solve(solver, self.model))
        return status, self._core(solver, enforced) if status == cp_model.INFEASIBLE else []

    def race(
        self, enforced: list[RuleGroup], time_limit: float
    ) -> tuple[int, list[RuleGroup], bool]:
        """`solve`, raced against the same search with presolve, one core each; the first to
        decide stops the other. (status, core, whether the core is exact).

        Without presolve the core is exact but the search may not end (a month-long teacher
        absence in a re-solve of the sample: unknown after 60 s, where presolve proves it in
        1 s). With presolve CP-SAT may name a literal that is not an assumption
        (google/or-tools#5141): its core is a candidate for `holds` to confirm."""
        self._assume(enforced)
        solvers = {exact: self._solver(time_limit, presolve=not exact) for exact in (True, False)}
        answers: dict[bool, int] = {}
        errors: list[BaseException] = []
        decided = threading.Event()

        def run(exact: bool) -> None:
            try:
                answers[exact] = int(interrupt.solve(solvers[exact], self.model))
            except BaseException as exc:  # raised again below, in the calling thread
                errors.append(exc)
            if _verdict(answers.get(exact, int(cp_model.UNKNOWN))) is not None or errors:
                decided.set()

        threads = [threading.Thread(target=run, args=(exact,), daemon=True) for exact in solvers]
        with Interrupted():  # Ctrl-C stops both searches
            try:
                for thread in threads:
                    thread.start()
                while not decided.wait(0.05) and any(t.is_alive() for t in threads):
                    pass
            finally:
                while any(thread.is_alive() for thread in threads):
                    for solver in solvers.values():  # repeated: a stop made before a
                        solver.stop_search()  # solve begins is lost
                    threads[0].join(0.05)
                    threads[1].join(0.05)
        if errors:
            raise errors[0]
        for exact in (True, False):  # the exact search's answer first
            status = answers.get(exact, int(cp_model.UNKNOWN))
            if status == cp_model.MODEL_INVALID:
                raise SolveError(f"invalid diagnostic model (a bug): {self.model.validate()}")
            if _verdict(status) is not None:
                infeasible = status == cp_model.INFEASIBLE
                return status, self._core(solvers[exact], enforced) if infeasible else [], exact
        return int(cp_model.UNKNOWN), [], False

    def holds(self, enforced: list[RuleGroup], time_limit: float) -> bool | None:
        """Whether a timetable meets the `enforced` groups (True, False, None if undecided):
        their literals fixed, no assumption, so that presolve can prove it quickly."""
        model = self.model.clone()
        model.clear_assumptions()
        domains = model.proto.variables
        for g in enforced:
            domain = domains[self.literals[g].index].domain
            domain.clear()
            domain.extend([1, 1])
        return _verdict(int(interrupt.solve(self._solver(time_limit, presolve=True), model)))

    def feasible_without(self, dropped: RuleGroup, time_limit: float = 10.0) -> bool | None:
        """With every group enforced but `dropped`: True, False, or None if undecided."""
        status, _ = self.solve([g for g in sorted(self.literals) if g != dropped], time_limit)
        return _verdict(status)


def _verdict(status: int) -> bool | None:
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if status == cp_model.INFEASIBLE else None


# A trial of the deletion loop gives the exact search this share of the time left.
EXACT_SHARE = 1 / 3


@dataclass
class Core:
    """What the search for a conflicting set found: the status with every group enforced, a
    conflicting set (None when proved infeasible without one isolated), and whether the exact
    search (assumptions without presolve) decided, which tells `minimal_core` what to use."""

    status: int
    groups: list[RuleGroup] | None
    exact: bool


def first_core(d: Diagnostic, deadline: float) -> Core:
    """The status with every group enforced and, if infeasible, a conflicting set: the exact
    search's, or the presolved search's once `holds` confirms it alone has no timetable (if
    it does not, the exact search gets the time left)."""
    everything = sorted(d.literals)
    status, core, exact = d.race(everything, deadline - time.monotonic())
    if exact or status != cp_model.INFEASIBLE:
        return Core(status, core, exact)
    if d.holds(core, deadline - time.monotonic()) is False:
        return Core(status, core, exact=False)
    retry, core = d.solve(everything, deadline - time.monotonic())
    return Core(status, core if retry == cp_model.INFEASIBLE else None, exact=True)


def _infeasible(
    d: Diagnostic, trial: list[RuleGroup], deadline: float, exact: bool
) -> tuple[bool | None, list[RuleGroup]]:
    """Whether `trial` alone has no timetable (None if undecided), with a smaller conflicting
    set when the exact search gives one; by `holds` when the exact search is not used or
    does not end."""
    if exact:
        status, smaller = d.solve(trial, (deadline - time.monotonic()) * EXACT_SHARE)
        if status != cp_model.UNKNOWN:
            return status == cp_model.INFEASIBLE, smaller
    verdict = d.holds(trial, deadline - time.monotonic())
    return None if verdict is None else not verdict, []


def minimal_core(
    d: Diagnostic,
    core: list[RuleGroup],
    deadline: float,
    exact: bool = True,
    stopped: Callable[[], bool] = lambda: False,
) -> tuple[list[RuleGroup], bool]:
    """Shrink an infeasible set of groups by deletion; (core, proven minimal). It ends early,
    unproven, at the deadline or once `stopped()` (Ctrl-C)."""
    current, minimal = list(core), True
    for g in list(core):
        if g not in current:
            continue
        if deadline - time.monotonic() <= 0 or stopped():
            return current, False
        trial = [x for x in current if x != g]
        infeasible, smaller = _infeasible(d, trial, deadline, exact)
        if infeasible:
            current = smaller or trial
        elif infeasible is None:
            minimal = False
    return current, minimal


def enough_alone(
    d: Diagnostic,
    core: list[RuleGroup],
    deadline: float,
    stopped: Callable[[], bool] = lambda: False,
) -> dict[RuleGroup, bool | None]:
    """Whether relaxing each group of `core` alone (every other group enforced) gives a
    timetable; None where undecided by the deadline. A minimal conflicting set is one
    conflict: an audit's instance had a second one, and `explain` advised widening a
    teacher's availability, which changed nothing."""
    everything = sorted(d.literals)
    enough: dict[RuleGroup, bool | None] = {}
    for k, g in enumerate(core):
        share = (deadline - time.monotonic()) / (len(core) - k)  # the rest: each its share
        enough[g] = (
            None if share <= 0 or stopped() else d.holds([x for x in everything if x != g], share)
        )
    return enough


def hard_rules_verdict(problem: Problem, time_limit: float) -> bool | None:
    """True when a timetable is found quickly (no diagnostic needed), by `solve`'s own first
    phase: the greedy constructor (the sample's in a fraction of a second, where a plain
    CP-SAT search needed more than 10 s), the repair of what it left out, then the hard-rule
    model (an audit's 166 sessions: `solve` found a timetable at 12 s, a plain search not
    in 10); False when that model is proved infeasible (faster, on an audit's 112 sessions,
    than the diagnostic model decides), None when undecided. The hard-rule model is searched
    briefly before the repair too: it proves most conflicts in about a second, where the
    repair of an instance without a timetable fails only at the end of its share."""
    timetable = greedy_timetable(problem, partial=True)
    whole = timetable is not None and len(timetable) == len(problem.sessions)
    if whole and not check(problem, timetable or ()).violations:
        return True
    built = build_model(problem, with_objective=False)
    start = time.monotonic()
    probe = _hard_rules_probe(built, min(PROBE_SECONDS, time_limit * PROBE_SHARE))
    if probe is not None:
        return probe
    options = SolveOptions(time_limit=max(1.0, time_limit - (time.monotonic() - start)))
    values, status, _ = find_feasible(problem, built, options, greedy_start=timetable, hard=built)
    if values is not None:
        return True
    return False if status == Status.INFEASIBLE else None


# The hard-rule search's share of `hard_rules_verdict` before the repair of the greedy's
# partial timetable, and its most. An instance with no timetable makes the repair fail after
# its whole share: an audit's 42 sessions (a teacher's weeks over-committed) spent 6.6 s in
# it, where the search proves it infeasible in 1.2 s. The most is what a feasible instance
# the greedy leaves unfinished loses (a review's 150-165 generated sessions: 3 s at first).
PROBE_SHARE, PROBE_SECONDS = 0.25, 2.0


def _hard_rules_probe(built: BuiltModel, seconds: float) -> bool | None:
    """The hard-rule model's own search for `seconds`: True (a timetable), False (proved
    infeasible) or None."""
    _, status, _ = solve_once(built.model, SolveOptions(time_limit=max(1.0, seconds)))
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
    waited 10-16 s for pre-flight errors found in half a second).
    """
    deadline = time.monotonic() + time_limit
    proved_here = False
    findings = preflight(problem)
    if extra is not None:
        findings = [f for f in findings if f.severity == "error"]
    if on_findings is not None:
        on_findings(findings)
    errors = [f for f in findings if f.severity == "error"]
    if errors and extra is not None:  # the search for detail: its model's build alone took
        return Explanation(findings, [], [], False)  # a minute on 587 sessions (an audit)
    if not errors and not known_infeasible:
        verdict = hard_rules_verdict(problem, max(1.0, time_limit / 2))
        if verdict:
            exists = ["a timetable respecting every hard rule exists"]
            return Explanation(findings, [], exists, True)
        proved_here = known_infeasible = verdict is False  # only the why is left to find
    if errors:
        # The pre-flight errors already prove and explain it: the search for a conflicting set
        # only adds detail, so it gets a short budget and stays silent when out of time.
        deadline = min(deadline, time.monotonic() + ERRORS_DETAIL_SECONDS)
    with Interrupted() as interrupted:  # Ctrl-C ends the search with what it has
        # the model's build counts against the time: it took a minute and 1.7 GiB on 587
        # sessions after errors found in a second, and ran 33 s past a 60 s limit (audits)
        d = Diagnostic.build(problem, extra, deadline)
        found = first_core(d, deadline) if d is not None else None
        verdict = _verdict(found.status) if found is not None else None
        out_of_time = f"stopped by {interrupted.by}" if interrupted.flag else "raise --time-limit"
        if verdict is None:
            if errors:
                return Explanation(findings, [], [], False)
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
                return Explanation(findings, [], [note], False, minimal=False)
            note = f"neither a timetable nor a conflict was found: {out_of_time}"
            return Explanation(findings, [], [note], None)
        if verdict:  # with a pre-flight error this would be a bug: the errors are kept
            return Explanation(findings, [], [], not errors)
        assert d is not None and found is not None  # a verdict comes from a search
        if found.groups is None:
            note = f"no conflicting set of rules was isolated in time: {out_of_time}"
            return Explanation(findings, [], [note], False, minimal=False)
        core, minimal = minimal_core(
            d, found.groups, deadline, found.exact, lambda: interrupted.flag
        )
        enough = enough_alone(d, core, deadline, lambda: interrupted.flag)
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
    problem: Problem, time_limit: float = 30.0, *, known_infeasible: bool = False
) -> list[str]:
    """The explanation as printable lines (used by `scheduler explain` and `scheduler solve`)."""
    return format_lines(explain(problem, time_limit, known_infeasible=known_infeasible))


def finding_line(finding: Finding) -> str:
    """`pre-flight error: [rule] message`."""
    return f"pre-flight {finding.severity}: [{finding.rule}] {finding.message}"


def format_lines(result: Explanation, findings: bool = True) -> list[str]:
    """Printable lines: pre-flight findings (unless told already: `findings=False`), then the
    conflicting rules and what to relax."""
    lines = [finding_line(f) for f in result.findings] if findings else []
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
