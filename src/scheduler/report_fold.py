"""Cost terms of student profiles that are alike, said once (`fold_profiles`): the report's
lines of `weekly_load` and `isolated_sessions`, one per profile in the checker's terms."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import combinations

from scheduler.check import CostTerm
from scheduler.data.groups import student_profiles
from scheduler.data.instance import Instance
from scheduler.data.words import join_words
from scheduler.solution import Floor


def fold_profiles(terms: Sequence[CostTerm], instance: Instance) -> list[CostTerm]:
    """Terms of `FOLDED_RULES` of one week or day and units, one per student profile, as one
    line (an audit: the sample's report gave six alike lines per week, one per profile),
    with the units of each and how many profiles ("2 x 6 profiles"): said for the
    groups the profiles share when they are every profile of those groups (e.g. "students of
    COHORT+OPT-SE (3 student profiles alike)"), else listed. Their sessions are the same, or
    the same ones and as many of each group's own, said "+ by group: A / B / C"
    (`_sessions_by_group`)."""
    profiles = _profiles_by_label(instance)
    alike: dict[tuple[tuple[str, ...], int], list[CostTerm]] = defaultdict(list)
    for term in terms:
        alike[term.entities[1:], term.units].append(term)
    out = []
    top = frozenset(g.id for g in instance.groups if g.part_of is None)
    parts = (part for week in alike.values() for part in _by_programme(week, profiles, top))
    for same in (words for part in parts for words in _by_words(part)):
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
        each = f"{same[0].units} x {len(same)} profiles"  # apart from a list ending the words
        merged = f"students of {who}{rest}" + (f", {each}" if rest.endswith(")") else f" ({each})")
        out.append(replace(same[0], message=merged, units=units, cost=cost))
    return out


_FLOOR_WORDS = re.compile(r"students of (?P<who>[^:]+): (?P<rest>.+)")


def fold_floors(floors: Sequence[Floor], instance: Instance) -> list[Floor]:
    """The data's floors said of student profiles alike in the same words ("students of
    P: 70 sessions, ...: 10 beyond it", one per profile) as one, for every profile at
    once: the sample's six profiles had six alike lines of weekly load, cut at five, where
    the cost lines above said them once."""
    profiles = _profiles_by_label(instance)
    alike: dict[object, list[tuple[Floor, str]]] = {}  # in the order first said
    for i, f in enumerate(floors):
        m = _FLOOR_WORDS.fullmatch(f.message)
        if m is not None and m["who"] in profiles:
            alike.setdefault((f.rules, f.cost, m["rest"]), []).append((f, m["who"]))
        else:
            alike[i] = [(f, "")]
    out: list[Floor] = []
    for key, same in alike.items():
        if len(same) == 1 or not isinstance(key, tuple):
            out += [f for f, _ in same]
            continue
        who = _profiles_in_few_words([n for _, n in same], profiles, instance)
        # "for each profile: 60 x weight 10 = 600" read as 60 each (a review): the count said
        message = f"students of {who}: {key[2]}, for each of the {len(same)}"
        out.append(Floor(same[0][0].rules, same[0][0].cost * len(same), message))
    return out


def _profiles_by_label(instance: Instance) -> dict[str, frozenset[str]]:
    """The instance's student profiles by their labels, as the checker's `profile_label`
    writes them ("COHORT+OPT-SE+APP1")."""
    return {
        "+".join(g.id for g in instance.groups if g.id in p): p
        for p in student_profiles(instance.groups)
    }


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
    group" as "5 student profiles alike"."""
    if len({t.message.removeprefix(f"students of {t.entities[0]}") for t in same}) == 1:
        return [same]
    parts: dict[frozenset[str], list[CostTerm]] = defaultdict(list)
    for term in same:
        parts[profiles.get(term.entities[0], frozenset()) & top].append(term)
    return list(parts.values())


def _by_words(same: list[CostTerm]) -> list[list[CostTerm]]:
    """Terms to fold: as they are when their words after who fold together (the same, or
    weekly_load's sessions by group); else those said in the same words together (a cost
    audit's isolated sessions of two practice groups on one Saturday, each group's two
    profiles alike, were four lines where two fold them)."""
    rests = [t.message.removeprefix(f"students of {t.entities[0]}") for t in same]
    if len(set(rests)) == 1 or _sessions_by_group(rests) is not None:
        return [same]
    by_rest: dict[str, list[CostTerm]] = defaultdict(list)
    for term, rest in zip(same, rests, strict=True):
        by_rest[rest].append(term)
    return list(by_rest.values())


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
        groups = ", and ".join(join_words(alternatives, "or") for alternatives in product)
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


def _alike(profiles: int) -> str:
    """How many profiles a folded line stands for: "(6 student profiles alike)"."""
    return f"({profiles} student profiles alike)"


#: profiles named one by one in a line, at most (the others counted)
LISTED_PROFILES = 4


def _profiles_in_few_words(
    named: Sequence[str], profiles: Mapping[str, frozenset[str]], instance: Instance
) -> str:
    """The profiles `named` in a few words: those of each top-level group (a programme's
    cohort) as `_profiles_in_words` says them, one top-level group after another, the count
    once ("P01-COH and P02-COH (6 student profiles alike)"); profiles no words fit are listed,
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
        if fits is None:  # a profile alone is said by its label (not "1 student profiles alike")
            listed += cluster
        else:  # the count once, at the end
            said.append(fits.removesuffix(f" {_alike(len(cluster))}"))
    alike = len(named) - len(listed)
    parts = [f"{join_words(said)} {_alike(alike)}"] if said else []
    if listed:
        more = len(listed) - LISTED_PROFILES
        shown = listed if more <= 1 else [*listed[:LISTED_PROFILES], f"{more} other profiles"]
        parts.append(join_words(shown))
    return "; ".join(parts)


def _profiles_in_words(
    named: set[str], profiles: Mapping[str, frozenset[str]], instance: Instance
) -> str | None:
    """The profiles `named` (labels of `profiles`) in a few words when they are every profile
    of the groups they share ("COHORT+OPT-SE (3 student profiles alike)"), or every profile of those
    with one of some groups ("COHORT in APP1 or APP2 (4 student profiles alike)"); else None."""
    common = frozenset.intersection(*(profiles[n] for n in named))
    if not common:
        return None
    shared = "+".join(g.id for g in instance.groups if g.id in common)
    within = {n for n, p in profiles.items() if common <= p}
    alike = _alike(len(named))
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
    return f"{shared} in {' or '.join(_widest(ones, within, profiles))} {alike}"


def _widest(ones: list[str], within: set[str], profiles: Mapping[str, frozenset[str]]) -> list[str]:
    """`ones` without the groups whose profiles another of them already covers (an audit
    read "BAC1 in TI or RS or IG-A or TI-A or TI-B" for "IG-A, TI or RS": TI-A and TI-B are
    TI's lab groups)."""
    cover = {g: frozenset(n for n in within if g in profiles[n]) for g in ones}
    kept: list[str] = []
    for i, g in enumerate(ones):
        wider = any(
            cover[g] < cover[h] or (cover[g] == cover[h] and j < i)
            for j, h in enumerate(ones)
            if h != g
        )
        if not wider:
            kept.append(g)
    return kept
