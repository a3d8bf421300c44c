"""Plain-words reports of a timetable's cost, built from the checker's cost terms."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence

from scheduler.check import CheckReport, CostTerm
from scheduler.data.instance import Group, Instance
from scheduler.data.sessions import (
    Session,
    expand_sessions,
    fitting_seats,
    headcount,
    hosting_sites,
)
from scheduler.data.types import WEEKDAYS, count_of
from scheduler.report_fold import fold_floors, fold_profiles
from scheduler.rules import DEFAULT_WEIGHTS, OVERSIZE_FACTOR, SOFT_RULE_INFO, effective_weights
from scheduler.solution import Floor, Result, relative_gap

#: after a re-solve's bound: its soft cost is minimised after the disruption, the past fixed
LEAST_DISRUPTION = " (among the timetables that move least, the past fixed; not every timetable)"


def summary_lines(
    result: Result,
    sessions: Collection[str],
    report: CheckReport | None,
    resolved: bool = False,
) -> list[str]:
    """Status, sessions placed (of the instance's `sessions` ids: a hand-edited timetable's
    unknown ids or repeated rows do not count), objective, bound, gap and seconds. A
    re-solve's (`resolved`) bound holds only among the timetables of least disruption: an
    audit read "OPTIMAL, gap 0.0 %" of a revision costing 1,380 where its instance, solved
    afresh, had one of 1,094."""
    lines = [f"status     {result.status.value}"]
    if report is not None and report.violations and result.status.has_solution:
        # an audit read FEASIBLE, then VIOLATIONS two lines lower (the instance edited since)
        lines[0] += f" (when solved; now the timetable breaks {broken_in_words(report)}: see below)"
    if result.status.has_solution:
        placed = len({a.session for a in result.assignments}.intersection(sessions))
        lines.append(f"sessions   {placed}/{len(sessions)} placed")
        objective, gap = result.objective, result.gap
        if objective is None and report is not None:  # a solution.json written by hand
            objective = report.objective
            gap = None if result.bound is None else relative_gap(objective, result.bound)
            # an audit: a session on a slot its day lacks counted as placed, and its costs
            # silently left out: the checker prices what it can place
            partial = (
                "; sessions it cannot place, if any, cost nothing" if report.violations else ""
            )
            lines.append(f"objective  {objective} (the checker's; none recorded{partial})")
        else:
            lines.append(f"objective  {'unknown' if objective is None else objective}")
        among = LEAST_DISRUPTION if resolved and result.bound is not None else ""
        lines.append(f"bound      {'unknown' if result.bound is None else result.bound}{among}")
        if gap is not None:
            lines.append(f"gap        {100 * gap:.1f} %")
    if result.first_solution_seconds is not None:
        lines.append(f"first      {result.first_solution_seconds:.1f} s to the first timetable")
    if result.wall_seconds > 0:  # none recorded in a solution.json written by hand
        lines.append(f"time       {result.wall_seconds:.1f} s")
    if result.message:
        lines.append(f"note       {result.message}")
    if report is not None and report.violations:
        lines.append(f"VIOLATIONS {broken_in_words(report)}")
    return lines


def broken_in_words(report: CheckReport) -> str:
    """`N hard rules (M violations)`: the rules broken, and each time one is (a review: the
    count of violations read as a count of rules)."""
    rules = count_of(len({v.rule for v in report.violations}), "hard rule")
    return f"{rules} ({count_of(len(report.violations), 'violation')})"


def recorded_lines(
    result: Result, report: CheckReport, edited: bool, bound_holds: bool = False
) -> list[str]:
    """A warning when the objective solution.json records is not what the checker computes
    now (`edited`: the instance changed since the solve, e.g. a weight raised to see what it
    would cost), since the status, bound and gap recorded are the solve's then; with the gap
    against the recorded bound when it holds for this timetable too (`bound_holds`: a plain
    solve's bound of the unchanged instance, and a timetable that breaks no hard rule)."""
    if result.objective is None:
        return []
    if result.objective == report.objective:
        return _costs_disagree(result, report)
    recorded = f"solution.json records objective {result.objective}"
    if edited:
        why = "the instance's rules or weights changed since the solve"
    else:
        why = "the file was edited or written for other rules or weights, or the solver's figure was not the checker's"
    if edited or result.bound is None or not bound_holds:
        return [
            f"warning: {recorded}; for the instance as it is, this timetable costs "
            f"{report.objective} ({why}): the status, bound and gap recorded are the solve's, "
            "not this cost's"
        ]
    # the instance is the one solved: its bound holds for every timetable of it, this one too
    gap = 100 * relative_gap(report.objective, result.bound)
    return [
        f"warning: {recorded}; this timetable costs {report.objective} ({why}): the status "
        f"and gap recorded are the solve's; against the bound recorded ({result.bound}, of "
        f"this instance) its gap is {gap:.1f} %"
    ]


def _costs_disagree(result: Result, report: CheckReport) -> list[str]:
    """A warning naming the rules whose cost solution.json records is not the checker's,
    the total being the same (an audit: per-rule costs, which tools read, went unchecked)."""
    wrong = [
        f"{rule} {result.costs.get(rule, 0)} (the checker: {report.costs.get(rule, 0)})"
        for rule in sorted(set(result.costs) | set(report.costs))
        if result.costs.get(rule, 0) != report.costs.get(rule, 0)
    ]
    if not wrong:
        return []
    return [
        f"warning: solution.json records the objective the checker computes, "
        f"{report.objective}, but other costs by rule: {', '.join(wrong)}"
    ]


#: the rules whose terms are one per student profile, folded when profiles are alike
FOLDED_RULES = ("weekly_load", "isolated_sessions")


def cost_lines(
    report: CheckReport,
    detail: int = 5,
    weights: Mapping[str, int] | None = None,
    instance: Instance | None = None,
) -> list[str]:
    """The cost breakdown by rule, most expensive first, with up to `detail` terms each; with
    the instance's `weights`, the rules switched off (weight 0) apart from those at zero; with
    the `instance`, the rules at zero that cannot apply to it apart too (`cannot_apply`)."""
    terms = defaultdict(list)
    for term in report.terms:
        terms[term.rule].append(term)
    lines = [f"cost by rule (total {report.objective}):"]
    info = {i.name: i for i in SOFT_RULE_INFO}
    for rule, cost in sorted(report.costs.items(), key=lambda kv: (-kv[1], kv[0])):
        if cost == 0:
            continue
        units = sum(t.units for t in terms[rule])
        unit = info[rule].unit if rule in info else "unit"
        each = f" x weight {cost // units}" if units and cost % units == 0 else ""
        lines.append(f"  {rule:<17} {cost:>6}  = {units}{each} ({unit})")
        shown = terms[rule]
        if rule in FOLDED_RULES and instance is not None:
            shown = fold_profiles(shown, instance)
        for line in sorted(shown, key=lambda t: -t.cost)[:detail]:
            lines.append(f"      {line.message}: {_amount(line)}")
        if detail and len(shown) > detail:
            lines.append(f"      ... and {len(shown) - detail} more")
        lines += _shared_gaps_note(shown) if detail and rule in ("ue_gap", "ue_spread") else []
    off = {r for r in report.costs if weights is not None and weights.get(r, 0) == 0}
    idle = cannot_apply(instance) if instance is not None else set()
    zero = [r for r, c in sorted(report.costs.items()) if c == 0 and r not in off | idle]
    if zero:
        lines.append(f"  at zero: {', '.join(zero)}")
    moot = sorted(r for r, c in report.costs.items() if c == 0 and r in idle and r not in off)
    if moot:
        lines.append(f"  cannot apply to this instance: {', '.join(moot)}")
    by_default = {r for r in off if DEFAULT_WEIGHTS.get(r, 0) == 0}  # nobody switched them off
    if off - by_default:
        lines.append(f"  switched off (weight 0): {', '.join(sorted(off - by_default))}")
    if by_default:
        lines.append(f"  off by default (give a weight to use): {', '.join(sorted(by_default))}")
    return lines


def _amount(term: CostTerm) -> str:
    """`14` at weight 1; `21 x weight 3 = 63` otherwise: an audit read "63 days apart (target
    ≤ 42): 63" as 63 days over, where 21 days at weight 3 cost 63, and then "6 x 2" as two
    counts."""
    return _weighted(term.units, term.cost)


def _weighted(units: int, cost: int) -> str:
    """`units x weight w = cost`, or the cost alone at weight 1 (or without units)."""
    if units == cost or units == 0:
        return str(cost)
    return f"{units} x weight {cost // units} = {cost}"


def _shared_gaps_note(terms: Sequence[CostTerm]) -> list[str]:
    """A line saying that a gap between two sessions that several audiences follow (a
    plenary gap, each practice group following it) is counted once per audience, when some
    is: an audit read three alike lines of UE2's plenary gap as a mistake."""
    seen = Counter(t.entities for t in terms)
    shared = [pair for pair, n in seen.items() if n > 1]
    if not shared:
        return []
    audiences = sum(seen[pair] for pair in shared)
    return [
        f"      ({count_of(len(shared), 'gap')} between the same two sessions, counted once "
        f"for each audience that follows them: {audiences} times in all)"
    ]


WEEKEND = ("sat", "sun")


def _may_be_oversized(instance: Instance, session: Session, groups: Mapping[str, Group]) -> bool:
    """Some room that could take `session` seats more than OVERSIZE_FACTOR times the
    smallest one (an audit: comparing all rooms called the rule 'at zero' where every session
    was held at a site of rooms alike)."""
    size = headcount(session, groups)
    seats = fitting_seats(instance, session, size)
    return bool(size and seats) and max(seats) > OVERSIZE_FACTOR * min(seats)


def cannot_apply(instance: Instance) -> set[str]:
    """Soft rules that no timetable of `instance` can pay, from what it holds (docs/rules.md):
    an audit's one-site daytime programme was told that saturday_opening, site_balance and
    visitor_trips were 'at zero'."""
    cal = instance.calendar
    weekend_days = [  # an event online or abroad opens no building
        d for e in instance.fixed_events if e.site is not None for d in e.dates if d.weekday() >= 5
    ]
    weekend_slots = Counter(s.weekday for s in cal.slots if s.weekday in WEEKEND)
    weekend = bool(weekend_slots) or bool(weekend_days)
    # a weekend day left partly idle needs two slots that day, or an event beside its slot
    # (an audit's Saturday mornings alone read half_saturday "at zero")
    halves = any(n > 1 for n in weekend_slots.values()) or any(
        WEEKEND[d.weekday() - 5] in weekend_slots for d in weekend_days
    )
    hosting = len(hosting_sites(instance))  # sites with rooms that some session may use
    series = [(ue, s) for ue in instance.ues for s in ue.sessions]
    groups = {g.id: g for g in instance.groups}
    rules = {
        "oversized_room": any(
            _may_be_oversized(instance, s, groups) for s in expand_sessions(instance)
        ),
        "saturday_opening": weekend,
        "half_saturday": halves,
        "site_balance": hosting > 1,
        "site_stability": hosting > 1,
        "teacher_travel": any(t.home_site for t in instance.teachers),
        "visitor_trips": any(t.visits for t in instance.teachers),
        "school_holidays": cal.school_holidays is not None,
        "room_overflow": instance.preferences.room_capacity == "soft",
        "min_working_days": any(s.min_days for _, s in series),
        "ue_spread": any(ue.even_spread for ue, _ in series),
        "teacher_avoid": any(t.avoid for t in instance.teachers),
        "ue_gap": any(
            (s.max_days_between if s.max_days_between is not None else ue.max_days_between)
            is not None
            for ue, s in series
        ),
    }
    return {rule for rule, applies in rules.items() if not applies}


def default_target_lines(instance: Instance, report: CheckReport) -> list[str]:
    """A note when `weekly_load` costs something against the default weekly target (2, made
    for evening programmes), not given by the file, though the calendar has more teaching
    slots a week."""
    preferences = instance.preferences
    target = preferences.group_week_target
    default = type(preferences).model_fields["group_week_target"].default
    slots = len(instance.calendar.slots)
    chosen = "group_week_target" in preferences.model_fields_set
    if report.costs.get("weekly_load", 0) == 0 or chosen or target != default or slots <= target:
        return []
    return [
        f"note: weekly_load counts sessions beyond {target} a week per student "
        f"(preferences.group_week_target, {default} by default); this calendar has {slots} "
        "teaching slots a week: if students can attend more sessions a week, raise it"
    ]


WORKDAYS = tuple(d for d in WEEKDAYS if d not in WEEKEND)


def day_rhythm_lines(instance: Instance) -> list[str]:
    """A note when `isolated_sessions` is off by default (made for one slot an evening) and
    not weighted by the file, though some weekday has several slots: an audit's daytime
    bachelor, morning and afternoon slots, had students come in for one half-day on 43-72 days
    a year, and nothing said the rule that spares them was off."""
    if "isolated_sessions" in instance.weights or DEFAULT_WEIGHTS["isolated_sessions"]:
        return []
    per_day = Counter(s.weekday for s in instance.calendar.slots if s.weekday in WORKDAYS)
    most = max(per_day.values(), default=0)
    if most < 2:
        return []
    return [
        "note: isolated_sessions (a session with no other of the same students just before or "
        "after it that day) is off by default, for one slot an evening; this calendar has up "
        f"to {most} teaching slots a weekday: to spare students a trip for one session, give it "
        "a weight (weights: {isolated_sessions: 2})"
    ]


def floors_not_computed_line(stopped_by: str | None, report_command: str) -> str:
    """What the data forces, when the solve stopped before computing it (`stopped_by`
    "Ctrl-C" or "SIGTERM", else the time limit): not "none" (an audit), and how to get it."""
    why = f"stopped by {stopped_by}" if stopped_by else "the time limit passed"
    return f"unavoidable, from the data alone: not computed ({why}; {report_command} computes it)"


def unavoidable_lines(
    floors: Sequence[Floor],
    objective: int,
    bound: int | None,
    detail: int = 5,
    instance: Instance | None = None,
) -> list[str]:
    """What the data alone forces, by rule, with up to `detail` reasons each (student
    profiles alike said once, given the `instance`: `fold_floors`); then how much of
    `objective` the `bound` (or the data, when the bound is not above it) leaves to be saved
    at most; no such line without a bound (a re-solve's, which minimises disruption first).
    When the data forces nothing, one line says so, and the bound's line follows."""
    if instance is not None:
        floors = fold_floors(floors, instance)
    total = sum(f.cost for f in floors)
    if not total:  # all of `objective` is the timetable's doing; none to save of a cost of 0
        head = f"unavoidable, from the data alone: 0 of {objective}: the data forces no cost"
        return [head, *(_saved_at_most_lines(objective, bound, 0) if objective else [])]
    weights = effective_weights(instance.weights) if instance is not None else {}
    by_rule: dict[str, list[Floor]] = defaultdict(list)
    for f in floors:
        by_rule[f.label].append(f)
    lines = [f"unavoidable, from the data alone: {total} of {objective}, whatever the timetable"]
    for rule, found in sorted(by_rule.items(), key=lambda kv: (-sum(f.cost for f in kv[1]), kv[0])):
        lines.append(f"  {rule:<17} {sum(f.cost for f in found):>6}")
        for f in sorted(found, key=lambda f: -f.cost)[:detail]:
            lines.append(f"      {f.message}: {_floor_amount(f, weights)}")
        if detail and len(found) > detail:
            lines.append(f"      ... and {len(found) - detail} more")
    return lines + _saved_at_most_lines(objective, bound, total)


def _floor_amount(floor: Floor, weights: Mapping[str, int]) -> str:
    """`8` without the weights or at weight 1; `2 x weight 4 = 8` for one rule's floor
    otherwise, as the cost lines say it (left alone in stop 79: a floor's "2 weekend days
    opened at least: 8" did not say where the 8 came from)."""
    weight = weights.get(floor.rules[0], 0) if len(floor.rules) == 1 else 0
    if weight <= 1 or floor.cost % weight:
        return str(floor.cost)
    return _weighted(floor.cost // weight, floor.cost)


def _saved_at_most_lines(objective: int, bound: int | None, forced: int) -> list[str]:
    """How much of `objective` could still be saved at most: above the `bound` when it proves
    more than the data's `forced` cost, else above `forced`; nothing without a bound."""
    if bound is None:
        return []
    if bound > forced:
        return [
            f"  the bound ({bound}) proves every timetable costs at least that much: "
            f"at most {max(0, objective - bound)} of {objective} could still be saved"
        ]
    if objective == forced:  # "at most 0 of 2 could still be saved" read as a weak bound
        return [f"  the data forces the whole cost: no timetable costs less than {objective}"]
    if objective < forced:  # a review: below the floors only by breaking a hard rule
        return [
            f"  this timetable costs less than the data forces ({forced}): it breaks a hard "
            "rule (`scheduler check` says which)"
        ]
    # an audit: the line was left out when the bound was the data's
    return [
        f"  no bound proves more than the data: at most {max(0, objective - forced)} of "
        f"{objective} could still be saved"
    ]
