"""A minimal conflicting set of hard-rule groups, searched with a diagnostic model.

The hard rules are grouped by (rule family, entity) (`model.rule_groups`). A diagnostic model
switches each group with an assumption literal: placement filters become `literal => not
placement` on placements they alone reject, and constraint rules are enforced only if their
group's literal holds. CP-SAT's sufficient assumptions give a conflicting set (the exact
search raced against a presolved one, whose set a plain solve confirms), which a deletion
loop shrinks to a minimal one. `scheduler.model.explain` runs it and words the result.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.data.domains import Placement, raw_placements
from scheduler.data.problem import Problem
from scheduler.errors import SolveError
from scheduler.model import interrupt
from scheduler.model.hard_rules import HARD_RULES
from scheduler.model.interrupt import Interrupted
from scheduler.model.rule_groups import Rejecter, RuleGroup, rejecting_groups
from scheduler.model.variables import Variables
from scheduler.solution import DEFAULT_WORKERS


# --- the diagnostic model -------------------------------------------------------------------
@dataclass
class Diagnostic:
    """The hard-rule model with one assumption literal per rule group, and no objective."""

    problem: Problem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    literals: dict[RuleGroup, cp_model.IntVar] = field(default_factory=dict)
    workers: int = DEFAULT_WORKERS  # 1: `race`'s two searches run one after the other, on one core

    @classmethod
    def build(
        cls,
        problem: Problem,
        extra: Rejecter | None = None,
        deadline: float | None = None,
        workers: int = DEFAULT_WORKERS,
    ) -> Diagnostic | None:
        """Variables for every placement some relaxable group may allow, then the guarded rules.

        `extra` adds rule groups that the instance does not state (a re-solve's "nothing
        new before today"). None when the `deadline` (monotonic seconds) passes first.
        `workers`: the cores its searches may use (1 or more)."""
        d = cls(problem, workers=workers)
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
        (google/or-tools#5141): its core is a candidate for `holds` to confirm.

        With one worker (`--workers 1`), `in_turn` instead."""
        if self.workers == 1:
            return self.in_turn(enforced, time_limit)
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
            if verdict_of(answers.get(exact, int(cp_model.UNKNOWN))) is not None or errors:
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
            verdict = self._decided(solvers[exact], status, enforced)
            if verdict is not None:
                return verdict[0], verdict[1], exact
        return int(cp_model.UNKNOWN), [], False

    def in_turn(
        self, enforced: list[RuleGroup], time_limit: float
    ) -> tuple[int, list[RuleGroup], bool]:
        """`race` on one core: the search with presolve for half of `time_limit` (it decides
        most conflicts in about a second), then, if undecided, the exact search for the rest
        (unless Ctrl-C came). (status, core, whether the core is exact)."""
        self._assume(enforced)
        began = time.monotonic()
        for exact in (False, True):
            left = time_limit - (time.monotonic() - began)
            solver = self._solver(left if exact else time_limit / 2, presolve=not exact)
            status = int(interrupt.solve(solver, self.model))
            verdict = self._decided(solver, status, enforced)
            if verdict is not None:
                return verdict[0], verdict[1], exact
            if interrupt.tripped():
                break
        return int(cp_model.UNKNOWN), [], False

    def _decided(
        self, solver: cp_model.CpSolver, status: int, enforced: list[RuleGroup]
    ) -> tuple[int, list[RuleGroup]] | None:
        """(status, core) when `solver`'s search decided (the core if infeasible), else None."""
        if status == cp_model.MODEL_INVALID:
            raise SolveError(f"invalid diagnostic model (a bug): {self.model.validate()}")
        if verdict_of(status) is None:
            return None
        infeasible = status == cp_model.INFEASIBLE
        return status, self._core(solver, enforced) if infeasible else []

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
        return verdict_of(int(interrupt.solve(self._solver(time_limit, presolve=True), model)))

    def feasible_without(self, dropped: RuleGroup, time_limit: float = 10.0) -> bool | None:
        """With every group enforced but `dropped`: True, False, or None if undecided."""
        status, _ = self.solve([g for g in sorted(self.literals) if g != dropped], time_limit)
        return verdict_of(status)


def verdict_of(status: int) -> bool | None:
    """A CP-SAT status as a verdict: True (a timetable), False (proved infeasible) or None."""
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
