"""Plain-words reports of a timetable's cost, built from the checker's cost terms."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from itertools import combinations

from scheduler.check import CheckReport, CostTerm
from scheduler.data.groups import student_profiles
from scheduler.data.instance import Group, Instance
from scheduler.data.sessions import (
    Session,
    expand_sessions,
    fitting_seats,
    headcount,
    hosting_sites,
)
from scheduler.data.types import count_of
from scheduler.data.words import join_words
from scheduler.rules import OVERSIZE_FACTOR, SOFT_RULE_INFO
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
    if result.status.has_solution:
        placed = len({a.session for a in result.assignments}.intersection(sessions))
        lines.append(f"sessions   {placed}/{len(sessions)} placed")
        objective, gap = result.objective, result.gap
        if objective is None and report is not None:  # a solution.json written by hand
            objective = report.objective
            gap = None if result.bound is None else relative_gap(objective, result.bound)
            # an audit: a session on a slot its day lacks counted as placed, and its costs
            # silently left out: the checker prices what it can place
            partial = "; sessions it cannot place cost nothing" if report.violations else ""
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
        lines.append(f"VIOLATIONS {count_of(len(report.violations), 'hard rule')} broken")
    return lines


def recorded_lines(
    result: Result, report: CheckReport, edited: bool, bound_holds: bool = False
) -> list[str]:
    """A warning when the objective solution.json records is not what the checker computes
    now (`edited`: the instance changed since the solve, e.g. a weight raised to see what it
    would cost), since the status, bound and gap recorded are the solve's then; with the gap
    against the recorded bound when it holds for this timetable too (`bound_holds`: a plain
    solve's bound of the unchanged instance, and a timetable that breaks no hard rule)."""
    if result.objective is None or result.objective == report.objective:
        return []
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
        each = f" x {cost // units}" if units and cost % units == 0 else ""
        lines.append(f"  {rule:<17} {cost:>6}  = {units}{each} ({unit})")
        shown = terms[rule]
        if rule in ("weekly_load", "isolated_sessions") and instance is not None:
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
    if off:
        lines.append(f"  switched off (weight 0): {', '.join(sorted(off))}")
    return lines


def _amount(term: CostTerm) -> str:
    """`14` at weight 1; `21 x 3 = 63` otherwise: an audit read "63 days apart (target ≤ 42):
    63" as 63 days over, where 21 days at weight 3 cost 63."""
    if term.units == term.cost or term.units == 0:
        return str(term.cost)
    return f"{term.units} x {term.cost // term.units} = {term.cost}"


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


def fold_profiles(terms: Sequence[CostTerm], instance: Instance) -> list[CostTerm]:
    """`weekly_load` terms of one week and units, one per student profile, as one line (an
    audit: the sample's report gave six alike lines per week, one per profile): said for the
    groups the profiles share when they are every profile of those groups (e.g. "students of
    COHORT+OPT-SE (3 profiles alike)"), else listed. Their sessions are the same, or the same
    ones and as many of each group's own, said "+ by group: A / B / C" (`_sessions_by_group`)."""

    def label(groups: frozenset[str]) -> str:  # as the checker's profile_label
        return "+".join(g.id for g in instance.groups if g.id in groups)

    profiles = {label(p): p for p in student_profiles(instance.groups)}
    alike: dict[tuple[tuple[str, ...], int], list[CostTerm]] = defaultdict(list)
    for term in terms:
        alike[term.entities[1:], term.units].append(term)
    out = []
    top = frozenset(g.id for g in instance.groups if g.part_of is None)
    for same in (part for week in alike.values() for part in _by_programme(week, profiles, top)):
        named = [t.entities[0] for t in same]
        ours = all(_said_of_its_profile(t) for t in same)
        rests = [t.message.removeprefix(f"students of {t.entities[0]}") for t in same]
        rest = rests[0] if len(set(rests)) == 1 else _sessions_by_group(rests)
        if len(same) == 1 or not ours or rest is None or not all(n in profiles for n in named):
            out.extend(same)  # alone, or other words: as they are
            continue
        who = _profiles_in_few_words(named, profiles, instance)
        units, cost = sum(t.units for t in same), sum(t.cost for t in same)
        # an audit read "has 4 sessions (target ≤ 2): 12" at weight 1 as a miscount
        merged = f"students of {who}{rest}, {same[0].units} x {len(same)} profiles"
        out.append(replace(same[0], message=merged, units=units, cost=cost))
    return out


def _said_of_its_profile(term: CostTerm) -> bool:
    """Whether a term's words start with its student profile ("students of P: ..." or
    "students of P on ..."), so that alike profiles' terms can be said once."""
    head = f"students of {term.entities[0]}"
    return term.message.startswith((f"{head}: ", f"{head} on "))


def _by_programme(
    same: list[CostTerm], profiles: Mapping[str, frozenset[str]], top: frozenset[str]
) -> list[list[CostTerm]]:
    """Terms of one week and units to fold: all together when their words are the same (the
    same sessions, a course several programmes share), else each programme's (top-level
    group's) apart: an audit read two programmes' weeks, which share no session, folded "by
    group" as "5 profiles alike"."""
    if len({t.message.removeprefix(f"students of {t.entities[0]}") for t in same}) == 1:
        return [same]
    parts: dict[frozenset[str], list[CostTerm]] = defaultdict(list)
    for term in same:
        parts[profiles.get(term.entities[0], frozenset()) & top].append(term)
    return list(parts.values())


_LOAD_WORDS = re.compile(
    r"(?P<head>: week .+ has \d+ sessions?) \((?P<ids>.+); (?P<tail>target ≤ \d+)\)"
)


def _sessions_by_group(rests: Sequence[str]) -> str | None:
    """The words after who of weekly_load lines whose sessions differ ("...has 4 sessions (A,
    B, C, D; target ≤ 2)"), as one: the sessions they share, then each group's own, when each
    has as many ("(A, B, C + by group: D / E / F; ...)"); None when they do not fold so. The
    sample's option weeks had gone from one line to three when lines named their sessions."""
    parsed = [m for r in rests if (m := _LOAD_WORDS.fullmatch(r)) is not None]
    if len(parsed) < len(rests) or len({(m["head"], m["tail"]) for m in parsed}) != 1:
        return None
    lists = [m["ids"].split(", ") for m in parsed]
    common = [sid for sid in lists[0] if all(sid in ids for ids in lists)]
    own = [[sid for sid in ids if sid not in common] for ids in lists]
    distinct = list(dict.fromkeys(tuple(o) for o in own))
    if len({len(o) for o in distinct}) != 1 or not distinct[0]:
        return None
    first = parsed[0]
    shared = f"{', '.join(common)} + by group: " if common else "by group: "
    product = _as_product(distinct)
    if product is not None and len(product) > 1:  # "A or B, and C, D or E"
        groups = ", and ".join(_or_words(alternatives) for alternatives in product)
    else:
        groups = " / ".join(", ".join(o) for o in distinct)
    return f"{first['head']} ({shared}{groups}; {first['tail']})"


def _as_product(lists: Sequence[tuple[str, ...]]) -> list[list[str]] | None:
    """The lists of sessions as one choice from each of some sets of alternatives, when they
    are every such combination (an option's session with a practice group's: "UE6A-main-01 or
    UE6B-lille-01, and UE2-app1-04, UE2-app2-04 or UE2-app3-04" for six lists, which an audit
    read as six alternatives); None when they are not. Alternatives: sessions never together
    in a list, linked (a session listed with neither of two alternatives links them)."""
    ids = list(dict.fromkeys(sid for one in lists for sid in one))
    together = {frozenset(pair) for one in lists for pair in combinations(one, 2)}
    classes: list[list[str]] = []
    for sid in ids:  # components of "never listed together"
        linked = [c for c in classes if any(frozenset((sid, o)) not in together for o in c)]
        merged = [sid] + [o for c in linked for o in c]
        classes = [c for c in classes if c not in linked] + [merged]
    if math.prod(len(c) for c in classes) != len(set(lists)):
        return None
    if any(sum(sid in c for sid in one) != 1 for one in lists for c in classes):
        return None
    ordered = [sorted(c, key=ids.index) for c in classes]
    return sorted(ordered, key=lambda c: ids.index(c[0]))


def _or_words(alternatives: Sequence[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    if len(alternatives) == 1:
        return alternatives[0]
    return f"{', '.join(alternatives[:-1])} or {alternatives[-1]}"


#: profiles named one by one in a line, at most (the others counted)
LISTED_PROFILES = 4


def _profiles_in_few_words(
    named: Sequence[str], profiles: Mapping[str, frozenset[str]], instance: Instance
) -> str:
    """The profiles `named` in a few words: those of each top-level group (a programme's
    cohort) as `_profiles_in_words` says them, one top-level group after another, the count
    once ("P01-COH and P02-COH (6 profiles alike)"); profiles no words fit are listed,
    at most `LISTED_PROFILES` of them. A 5-programme instance's report listed 15 profile
    labels in one line of weekly load."""
    top = {g.id for g in instance.groups if g.part_of is None}
    clusters: dict[frozenset[str], list[str]] = defaultdict(list)
    for n in named:
        clusters[profiles[n] & top].append(n)
    said: list[str] = []
    listed: list[str] = []
    for cluster in clusters.values():
        fits = _profiles_in_words(set(cluster), profiles, instance) if len(cluster) > 1 else None
        if fits is None:  # a profile alone is said by its label (not "1 profiles alike")
            listed += cluster
        else:  # the count once, at the end
            said.append(fits.removesuffix(f" ({len(cluster)} profiles alike)"))
    alike = len(named) - len(listed)
    parts = [f"{join_words(said)} ({alike} profiles alike)"] if said else []
    if listed:
        more = len(listed) - LISTED_PROFILES
        shown = listed if more <= 1 else [*listed[:LISTED_PROFILES], f"{more} other profiles"]
        parts.append(join_words(shown))
    return "; ".join(parts)


def _profiles_in_words(
    named: set[str], profiles: Mapping[str, frozenset[str]], instance: Instance
) -> str | None:
    """The profiles `named` (labels of `profiles`) in a few words when they are every profile
    of the groups they share ("COHORT+OPT-SE (3 profiles alike)"), or every profile of those
    with one of some groups ("COHORT in APP1 or APP2 (4 profiles alike)"); else None."""
    common = frozenset.intersection(*(profiles[n] for n in named))
    if not common:
        return None
    shared = "+".join(g.id for g in instance.groups if g.id in common)
    within = {n for n, p in profiles.items() if common <= p}
    alike = f"({len(named)} profiles alike)"
    if within == named:
        return f"{shared} {alike}"
    ones = [  # groups all of whose profiles (within the shared ones) are named
        g.id
        for g in instance.groups
        if g.id not in common
        and any(g.id in profiles[n] for n in named)
        and all(n in named for n in within if g.id in profiles[n])
    ]
    if {n for n in within if any(g in profiles[n] for g in ones)} != named:
        return None
    return f"{shared} in {' or '.join(ones)} {alike}"


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
    weekend = any(s.weekday in WEEKEND for s in cal.slots) or any(
        d.weekday() >= 5 for e in instance.fixed_events for d in e.dates
    )
    hosting = len(hosting_sites(instance))  # sites with rooms that some session may use
    series = [(ue, s) for ue in instance.ues for s in ue.sessions]
    groups = {g.id: g for g in instance.groups}
    rules = {
        "oversized_room": any(
            _may_be_oversized(instance, s, groups) for s in expand_sessions(instance)
        ),
        "saturday_opening": weekend,
        "half_saturday": weekend,
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


def unavoidable_lines(
    floors: Sequence[Floor], objective: int, bound: int | None, detail: int = 5
) -> list[str]:
    """What the data alone forces, by rule, with up to `detail` reasons each; then how much
    of `objective` the `bound` (or the data, when the bound is not above it) leaves to be saved
    at most; no such line without a bound (a re-solve's, which minimises disruption first).
    When the data forces nothing, one line says so, and the bound's line follows."""
    total = sum(f.cost for f in floors)
    if not total:  # all of `objective` is the timetable's doing; none to save of a cost of 0
        head = f"unavoidable, from the data alone: 0 of {objective}: the data forces no cost"
        return [head, *(_saved_at_most_lines(objective, bound, 0) if objective else [])]
    by_rule: dict[str, list[Floor]] = defaultdict(list)
    for f in floors:
        by_rule[f.label].append(f)
    lines = [f"unavoidable, from the data alone: {total} of {objective}, whatever the timetable"]
    for rule, found in sorted(by_rule.items(), key=lambda kv: (-sum(f.cost for f in kv[1]), kv[0])):
        lines.append(f"  {rule:<17} {sum(f.cost for f in found):>6}")
        for f in sorted(found, key=lambda f: -f.cost)[:detail]:
            lines.append(f"      {f.message}: {f.cost}")
        if detail and len(found) > detail:
            lines.append(f"      ... and {len(found) - detail} more")
    return lines + _saved_at_most_lines(objective, bound, total)


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
    # an audit: the line was left out when the bound was the data's
    return [
        f"  no bound proves more than the data: at most {max(0, objective - forced)} of "
        f"{objective} could still be saved"
    ]
