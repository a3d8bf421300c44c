"""Pre-flight warnings of what the group tree and a series' spacing make of students and
gaps: a timetable exists, but the model reads the data otherwise than its author meant.

Sizes that do not add up (a partition holding more or fewer students than the group it
splits, a subgroup without a partition), and a series kept further apart than its maximum
gap. Run by `scheduler.data.preflight` after the slips of `preflight_slips`.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.data.findings import Domains, Finding
from scheduler.data.preflight_slips import alike
from scheduler.data.problem import Problem
from scheduler.data.spacing import gap_chains
from scheduler.data.types import count_of
from scheduler.data.words import join_words


def check_group_tree(p: Problem, domains: Domains) -> list[Finding]:
    """A `partition` on a group with no `part_of` (it splits nothing), a partition whose
    groups hold more students than the group they split (a size typed wrong) or fewer (the
    others would be counted nowhere: an audit), and a subgroup without a partition smaller
    than its group (every student of the group is taken to be in it) or larger (a size typed
    wrong)."""
    groups, found = p.instance.groups, []
    size = {g.id: g.size for g in groups}
    parts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g in groups:
        if g.partition and g.part_of is None:
            msg = f"group {g.id} has partition '{g.partition}' but no part_of: it splits nothing"
            found.append(Finding("warning", "groups", (g.id,), msg))
        elif g.partition and g.part_of is not None:
            parts[g.part_of, g.partition].append(g.id)
        elif g.part_of is not None and g.part_of in size and g.size > size[g.part_of]:
            msg = (  # an audit's SUB of 30 in a CLASS of 15 was read without a word
                f"group {g.id} ({g.size} students) is part of {g.part_of}, which has "
                f"{size[g.part_of]}: a part cannot hold more than its group; check their sizes"
            )
            found.append(Finding("warning", "groups", (g.id,), msg))
        elif g.part_of is not None and g.part_of in size and g.size < size[g.part_of]:
            msg = (
                f"group {g.id} ({g.size} of {g.part_of}'s {size[g.part_of]} students) has no "
                f"partition: every student of {g.part_of} is taken to be in it (weekly loads, "
                "gaps, one site a day); give it a partition, with a group for the others"
            )
            found.append(Finding("warning", "groups", (g.id,), msg))
    for (parent, partition), members in parts.items():
        total = sum(size[m] for m in members)
        if parent in size and total > size[parent]:
            msg = (
                f"groups {join_words(members)} (partition '{partition}' of {parent}) hold "
                f"{total} students, more than {parent}'s {size[parent]}: check their sizes"
            )
            found.append(Finding("warning", "groups", tuple(members), msg))
        elif parent in size and _held_alike(parts, size, parent, partition) < size[parent]:
            msg = (
                f"groups {join_words(members)} (partition '{partition}' of {parent}) hold "
                f"{total} of {parent}'s {size[parent]} students: a student is taken to be in "
                f"one of them (weekly loads, gaps, one site a day); if some are in none, add "
                "a group for them to the partition, or check the sizes"
            )
            found.append(Finding("warning", "groups", tuple(members), msg))
    return found


def _held_alike(
    parts: dict[tuple[str, str], list[str]], size: dict[str, int], parent: str, partition: str
) -> int:
    """How many students `parent`'s groups of `partition`, and of partitions spelt like it,
    hold (a misspelt partition splits one in two, which `check_partition_spelling` says)."""
    names = [name for up, name in parts if up == parent]
    same = next((group for group in alike(names) if partition in group), [partition])
    return sum(size[m] for name in same for m in parts[parent, name])


def check_spacing_limits(p: Problem, domains: Domains) -> list[Finding]:
    """A series, a chain of its own (docs/rules.md, "Chains"), whose `min_days_between` is
    above its maximum gap: every gap between its sessions pays `ue_gap` (an audit's 20
    against 7 solved without a word). A series chained with others is not: their sessions
    may fill its gaps (a review)."""
    if not p.weights.get("ue_gap", 0):
        return []
    found = []
    for chain in gap_chains(p):
        least = chain.sessions[0].min_days_between
        if not chain.in_series_order or chain.limit is None or least <= chain.limit:
            continue
        msg = (
            f"{chain.name}: min_days_between {least} is above max_days_between {chain.limit}: "
            f"each gap between its sessions pays ue_gap for {count_of(least - chain.limit, 'day')}"
            " at least"
        )
        # the UE first, as for ue_spread: its max_days_between may be the UE's
        found.append(Finding("warning", "min_days_between", (chain.ue, *chain.series), msg))
    return found


WEEK = 7


def check_rhythm_targets(p: Problem, domains: Domains) -> list[Finding]:
    """An evenly spread chain whose maximum gap is a week or more below its even gap: every gap
    pays `ue_gap` or `ue_spread` for the days between them, whatever the timetable (an
    audit: generated UEs of 5 sessions over 181 days at most 14 apart paid 91 and nothing
    said it before the report's "unavoidable" lines). Less than a week apart is the rounding
    of a weekly rhythm (at most 6 weeks, 42 days, for an even gap of 44), likely meant, and
    left to those lines."""
    if not (p.weights.get("ue_gap", 0) and p.weights.get("ue_spread", 0)):
        return []
    found = []
    for chain in gap_chains(p):
        if chain.limit is None or chain.target is None or chain.target - chain.limit < WEEK:
            continue
        gaps = len(chain.sessions) - 1
        each = "its gap" if gaps == 1 else f"each of its {gaps} gaps"
        days = count_of(chain.target - chain.limit, "day")
        msg = (
            f"{chain.name}: max_days_between {chain.limit} is below its even gap "
            f"{chain.target} (even_spread): {each} pays ue_gap or ue_spread for {days} at "
            "least; raise max_days_between or drop even_spread if that is not meant"
        )
        # the UE first: even_spread is its field (and max_days_between often); a workbook's
        # line named the Sessions rows alone (a review)
        found.append(Finding("warning", "ue_spread", (chain.ue, *chain.series), msg))
    return found


#: the checks of this module, in the order their warnings are said
GROUP_CHECKS = (check_group_tree, check_spacing_limits, check_rhythm_targets)
