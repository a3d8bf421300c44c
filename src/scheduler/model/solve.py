"""Solve a problem (phase 1, then phase 2) and turn CP-SAT's answer into a solver-free `Result`.

Phase 1 (any timetable) is `model.first_timetable`, phase 2 (the best one) `model.optimise`;
one CP-SAT search is `model.single_search` and the CP-SAT plumbing both phases share (options,
parameters, complete hints) `model.cpsat`, re-exported here for callers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace

from scheduler.check import check
from scheduler.data.problem import Problem
from scheduler.model.build import BuildStopped, BuiltModel, build_model, hint_solution
from scheduler.model.cpsat import (
    Customize,
    SolveOptions,
    assignments_from_values,
    complete_from,
    complete_timetable,
    objective_of_values,
    parameters,
    timetable_result,
)
from scheduler.model.data_bound import floors
from scheduler.model.first_timetable import (
    GREEDY_MIN_SECONDS,
    complete_start,
    early_greedy,
    find_feasible,
    sayer,
)
from scheduler.model.interrupt import Interrupted, tripped
from scheduler.model.lp_bound import RelaxationBound
from scheduler.model.optimise import neighbourhood_search, search_then_steps
from scheduler.model.single_search import gap_note, known_bound, run, solver_info, time_limit_note
from scheduler.solution import Floor, Result, Status, Timetable, marked_interrupted

__all__ = [
    "Customize",
    "SolveOptions",
    "Timetable",
    "assignments_from_values",
    "complete_from",
    "complete_timetable",
    "find_feasible",
    "gap_note",
    "hint_solution",
    "known_bound",
    "objective_of_values",
    "parameters",
    "run",
    "solve",
    "timetable_result",
]


def _left(options: SolveOptions, begin: float) -> float:
    """Wall seconds left of the limit since `begin` (at least 1, so that a phase can finish)."""
    return max(1.0, options.time_limit - (time.monotonic() - begin))


def _shifted(
    on_solution: Callable[[float, int, int], None] | None, seconds: float
) -> Callable[[float, int, int], None] | None:
    """`on_solution` with times counted from the start of phase 1, as in `Result.progress`."""
    if on_solution is None:
        return None
    callback = on_solution
    return lambda t, objective, bound: callback(t + seconds, objective, bound)


def solve(
    problem: Problem,
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None = None,
    customize: Customize | None = None,
    start: Timetable | None = None,
) -> Result:
    """Build and solve the model of `problem`: first any timetable, then the best one.

    The first phase finds a feasible timetable without the objective; the second starts from
    it (as a complete hint) and minimises the soft cost for the remaining time. `start`, a
    complete timetable that meets every hard rule (e.g. an earlier solve's), replaces the
    first phase: the search continues from it, and its result is never worse.
    """
    begin = time.monotonic()  # times count from here: the model's build is waited for too
    with Interrupted() as interrupted:  # one Ctrl-C latch for both phases
        result, first_seconds, found = _two_phases(
            problem, options, on_solution, customize, interrupted, begin, start
        )
    if interrupted.flag:
        result = marked_interrupted(result, interrupted.by)
    elif result.status == Status.FEASIBLE and not result.message:
        result = replace(result, message=time_limit_note(result, options, time.monotonic() - begin))
    points = tuple((round(t + first_seconds, 3), o, b) for t, o, b in result.progress)
    if found is not None and points and result.progress[0][0] == 0.0:
        # the first point is the first timetable: the greedy's, known before the model's build
        points = ((round(found, 3), *points[0][1:]), *points[1:])
    return replace(
        result,
        wall_seconds=time.monotonic() - begin,
        first_solution_seconds=(first_seconds if found is None else found)
        if result.status.has_solution
        else None,
        progress=points,
        solver=replace(result.solver, time_limit=options.time_limit),
    )


# Phase 2 is skipped when less is left of the time limit: the first timetable is the result.
MIN_PHASE2_SECONDS = 0.25


def _threaded(options: SolveOptions, customize: Customize | None) -> bool:
    """Whether phase 2 is `neighbourhood_search` (neighbourhood workers beside a bound search
    and the relaxation's LP)."""
    return options.lns and not options.deterministic and options.workers >= 2 and customize is None


@contextmanager
def _relaxation_ready(problem: Problem, seconds: float) -> Iterator[RelaxationBound]:
    """The relaxation's LP bound, its child's payload pickled now (before the greedy and the
    build fill the problem's caches), started by the caller (`_relaxation_early`) or by phase
    2, stopped at the end."""
    relaxed = RelaxationBound(problem, seconds, lambda bound: None)
    relaxed.prepare()
    try:
        yield relaxed
    finally:
        relaxed.stop()
        relaxed.join()


def _relaxation_early(relaxed: RelaxationBound | None) -> Callable[[bool], None]:
    """What `early_greedy` calls when its timetable is known (with whether it places every
    session): the LP's child is started then, beside the model's build, when it does.

    Started before the build and phase 2, the LP's bound, which lets the bound search hand its
    core to a neighbourhood worker, comes earlier by what the build takes beside it (on the
    sample, 1-4 s at 60 s). Not before: when the first greedy leaves sessions out, its
    restarts and local repairs run CP-SAT on both workers, and the LP would take a core from
    them (1,405 sessions: a first timetable at 13 s instead of 41 s or none). When they do
    not finish it either, the LP starts with phase 2 (`optimise.neighbourhood_search`).
    """

    def started(whole: bool) -> None:
        if relaxed is not None and whole:
            relaxed.start()

    return started


def _greedy_kept(
    problem: Problem,
    options: SolveOptions,
    greedy: Timetable,
    relaxed: RelaxationBound | None,
    stage: str = "the model's build",
) -> Result:
    """The greedy's whole timetable as the result, when the time limit or Ctrl-C stopped the
    model's build, or its completion in the model (`stage`): costed by the checker, with the
    LP's bound if in (else 0, which every timetable meets: no bound was computed). At 1,986
    sessions the greedy's timetable came at 38 s of a 60 s solve, and the build and
    completion it waited for ended the solve at 93 s (115 s wall); a Ctrl-C during the
    completion of a 1,423-session greedy timetable wrote no timetable (an audit). What the
    data forces is not computed (`unavoidable` None: seconds at that size)."""
    report = check(problem, greedy)
    if report.violations:  # the completion in the model would have said so
        return Result(status=Status.UNKNOWN, solver=solver_info(options, "cp-sat"))
    bound = relaxed.bound if relaxed is not None and relaxed.bound is not None else 0
    return Result(
        status=Status.FEASIBLE,
        assignments=tuple(sorted(greedy)),
        objective=report.objective,
        bound=bound,
        costs=dict(report.costs),
        solver=solver_info(options, "cp-sat"),
        progress=((0.0, report.objective, bound),),
        # a Ctrl-C's result says so instead (`marked_interrupted`)
        message=f"the time limit stopped {stage}: the greedy's timetable is the result (raise "
        "--time-limit to optimise it)",
    )


def _first_timetable_kept(
    result: Result,
    built: BuiltModel,
    values: list[int],
    floor: int,
    relaxed: int | None,
    used_up: bool,
) -> Result:
    """Phase 2's `result` without a timetable: the first timetable instead, with the best
    bound known (the data's `floor`, phase 2's, the relaxation's when in already)."""
    bound = max(b for b in (floor, result.bound, relaxed) if b is not None)
    kept = timetable_result(
        result,
        built,
        values,
        bound,
        # not "the first timetable took the whole limit": found at 6 s by the greedy, it
        # read as a contradiction of `first 6.0 s` when the model's build took the rest
        "the first timetable and the model's build took the whole time limit: the first "
        "timetable is the result (raise --time-limit to optimise it)"
        if used_up
        else "the optimisation phase found no better timetable in time: first timetable kept",
    )
    # the trace starts at the first timetable, the result (it had no point: a loaded machine's
    # 4 s solve of the sample reported an empty trace)
    assert kept.objective is not None  # a timetable's
    return replace(kept, progress=((0.0, kept.objective, bound),))


def _two_phases(
    problem: Problem,
    options: SolveOptions,
    on_solution: Callable[[float, int, int], None] | None,
    customize: Customize | None,
    interrupted: Interrupted,
    begin: float,
    start: Timetable | None,
) -> tuple[Result, float, float | None]:
    """`solve`'s two phases: the result (its progress timed from the start of phase 2), the
    seconds from `begin` to the end of phase 1 (or to `start`'s completion, when given and
    usable), and those to the greedy's timetable when it was the first one (complete before
    the model's build, `early_greedy`). After a Ctrl-C in phase 1 there is no phase 2: the
    first timetable is the result."""
    threaded = _threaded(options, customize)
    ready = _relaxation_ready(problem, options.time_limit) if threaded else nullcontext()
    with ready as relaxed:  # the LP's child, when phase 2 will read it
        if relaxed is not None and start is not None and len(start) == len(problem.sessions):
            relaxed.start()  # a whole start is completed: the LP from the start
        greedy, found, cut, units = (
            early_greedy(problem, options, begin, _relaxation_early(relaxed))
            if start is None and customize is None
            else (None, None, False, 0.0)
        )
        unknown = Result(
            status=Status.UNKNOWN,
            solver=solver_info(options, "cp-sat"),
            message=_placed_note(problem, greedy),
        )
        if cut:  # the limit passed (or is too near) with sessions left out: no model built
            return unknown, time.monotonic() - begin, None
        # a start is completed, however late; a whole greedy timetable is the result without
        # the model when the limit (or Ctrl-C) stops its build
        built = _built(problem, options, customize, begin, start is None, found is not None)
        if built is None:
            if found is not None and greedy is not None:
                return _greedy_kept(problem, options, greedy, relaxed), found, found
            return unknown, time.monotonic() - begin, None
        values, status, given, spent, greedy_first = _first_timetable(
            problem, built, options, customize, begin, start, greedy, units
        )
        first_seconds = time.monotonic() - begin
        if values is None:
            if found is not None and greedy is not None and status == Status.UNKNOWN:
                # a whole timetable in hand, not completed in time (deterministic time too)
                stage = "the completion of the greedy's timetable in the model"
                return _greedy_kept(problem, options, greedy, relaxed, stage), found, found
            return _without_timetable(unknown, status), first_seconds, None
        found = found if greedy_first else None  # else phase 1 searched for another
        result, unavoidable = _phase2(
            problem,
            built,
            values,
            options,
            customize,
            interrupted,
            begin,
            spent,
            _shifted(on_solution, first_seconds),
            relaxed,
        )
        if start is not None and not given:
            result = replace(
                result, message=f"{UNUSABLE_START_NOTE}; {result.message}".rstrip("; ")
            )
        return replace(result, unavoidable=unavoidable), first_seconds, found


def _without_timetable(unknown: Result, status: Status) -> Result:
    """The result of a phase 1 that found no timetable: `unknown` (with how far the greedy
    got) when it decided nothing, else its proof (infeasible) without that note."""
    return unknown if status == Status.UNKNOWN else replace(unknown, status=status, message="")


def _placed_note(problem: Problem, greedy: Timetable | None) -> str:
    """How far the greedy got, for a solve without a timetable: "raise --time-limit" alone
    did not say whether a little or a lot more was needed (an audit: 1,388 of 1,423 placed)."""
    if greedy is None or len(greedy) == len(problem.sessions):
        return ""
    return f"the greedy placed {len(greedy)} of {len(problem.sessions)} sessions"


def past_limit(options: SolveOptions, begin: float) -> bool:
    """Whether a wall-clock limit has passed (a deterministic one is not the wall clock's)."""
    return not options.deterministic and time.monotonic() - begin >= options.time_limit


def _built(
    problem: Problem,
    options: SolveOptions,
    customize: Customize | None,
    begin: float,
    stoppable: bool,
    greedy_waits: bool,
) -> BuiltModel | None:
    """The model of `problem`, customised by `customize` when given; None when its build was
    stopped (`_build_stop`), said with `--verbose`."""
    try:  # the wall-clock limit covers the builds too, unless a start waits
        stop = _build_stop(options, begin, stoppable, greedy_waits)
        built = build_model(problem, stop=stop)
    except BuildStopped:
        why = "interrupted" if tripped() else "the time limit passed"
        sayer(options, begin)(f"{why} during the model's build")
        return None
    if customize is not None:
        customize(built)
    return built


def _phase2_seconds(options: SolveOptions, begin: float, spent: float) -> float:
    """Phase 2's time limit: what phase 1 (which used `spent` on its clock) left of it."""
    if options.deterministic:  # the budget phase 1 left (it had half at most)
        remaining = options.time_limit - spent
    else:  # what phase 1 left of the limit (none when the first timetable took it all)
        remaining = options.time_limit - (time.monotonic() - begin)
    return remaining


def _phase2(
    problem: Problem,
    built: BuiltModel,
    values: list[int],
    options: SolveOptions,
    customize: Customize | None,
    interrupted: Interrupted,
    begin: float,
    spent: float,
    shifted: Callable[[float, int, int], None] | None,
    relaxed: RelaxationBound | None,
) -> tuple[Result, tuple[Floor, ...] | None]:
    """Phase 2 from the first timetable `values`, for what phase 1 (from `begin`, `spent` on
    its clock) left of the limit: its result (the first timetable when it found none better)
    and what the data forces (None when the limit had passed or Ctrl-C came: not computed)."""
    hint_solution(built.model, values)
    # what the data forces, for the bound and the report: seconds at 1,400 sessions, which
    # ran past the limit, or went on after a Ctrl-C (an audit): not computed then
    late = interrupted.flag or past_limit(options, begin)
    unavoidable = None if late else tuple(floors(built))
    floor = 0 if unavoidable is None else known_bound(built, unavoidable)  # before phase 2
    remaining = _phase2_seconds(options, begin, spent)
    phase2 = SolveOptions(**{**options.__dict__, "time_limit": remaining})
    used_up = not options.deterministic and remaining < MIN_PHASE2_SECONDS
    if interrupted.flag or used_up:
        result = Result(status=Status.UNKNOWN, solver=solver_info(options, "cp-sat"))
    elif _threaded(options, customize):
        result = neighbourhood_search(built, problem, values, phase2, shifted, floor, relaxed)
    elif options.lns and customize is None:
        result = search_then_steps(built, problem, values, phase2, shifted, floor)
    else:
        _, result = run(built, phase2, shifted, floor)
    if not result.status.has_solution:
        known = relaxed.bound if relaxed is not None else None  # in before phase 2 was skipped
        result = _first_timetable_kept(result, built, values, floor, known, used_up)
    return result, unavoidable


def _build_stop(
    options: SolveOptions, begin: float, stoppable: bool, greedy_waits: bool
) -> Callable[[], bool]:
    """When `build_model` gives up, unless a start waits to be completed (however late):
    at Ctrl-C, and at the time limit unless deterministic (no wall clock there). When a
    whole greedy timetable waits, at `GREEDY_MIN_SECONDS` from `begin` at the earliest, as
    the greedy itself (a very short limit still gets the model's costs and bound: the
    sample's build takes about a second); it is the result without the model if stopped
    (`_greedy_kept`)."""
    if not stoppable:
        return lambda: False
    if options.deterministic:
        return tripped
    limit = max(options.time_limit, GREEDY_MIN_SECONDS) if greedy_waits else options.time_limit
    deadline = begin + limit
    return lambda: tripped() or time.monotonic() >= deadline


UNUSABLE_START_NOTE = "the timetable to start from does not fit the model: solved from scratch"


def _first_timetable(
    problem: Problem,
    built: BuiltModel,
    options: SolveOptions,
    customize: Customize | None,
    begin: float,
    start: Timetable | None,
    greedy: Timetable | None = None,
    units: float = 0.0,
) -> tuple[list[int] | None, Status, bool, float, bool]:
    """Phase 1: `start` completed when given and usable, else `greedy` (`early_greedy`'s)
    completed when it places every session, else `find_feasible`'s timetable (from `greedy`
    when partial); (values, status, whether `start` was used, the time used on the phase's
    clock, whether the values are `greedy`'s). In deterministic mode, where limits are
    deterministic-time budgets, phase 1 has half of it at most, and phase 2 the rest (all of
    it after a greedy or a start's completion, which count 0: they depend on no clock; the
    greedy's local repairs count their `units` of deterministic time)."""
    units = units if options.deterministic else 0.0  # wall-clock phases count seconds
    if options.deterministic:  # the greedy's local repairs used `units` of that half
        first_options = replace(options, time_limit=max(1.0, options.time_limit / 2 - units))
    else:
        first_options = replace(options, time_limit=_left(options, begin))
    values = None if start is None else complete_start(problem, built, first_options, start)
    if values is not None:
        return values, Status.FEASIBLE, True, 0.0, False
    whole = greedy is not None and len(greedy) == len(problem.sessions)
    if whole:
        values = complete_start(problem, built, first_options, greedy)
        if values is not None:
            sayer(options, begin)("the greedy's timetable, completed for the model")
            return values, Status.FEASIBLE, False, units, True
    # a whole greedy timetable that does not fit the model is not completed a second time
    # there: an empty start goes on to the hard-rule search, as that failed completion would
    start_from = () if whole else greedy
    values, status, spent = find_feasible(
        problem, built, first_options, customize, greedy_start=start_from, since=begin
    )
    return values, status, False, spent + units, False
