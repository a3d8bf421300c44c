"""One programme of a generated instance (see `scheduler.generate`): its groups and teaching units.

A programme is a cohort split two ways, into two option tracks and into three
practice-analysis groups; its teaching units are drafted as series for the witness: several
for the whole cohort (the first co-taught by the programme's visitor, the second sometimes
with a full Saturday), one per option and one with a series per practice-analysis group.
Everything is drawn from the generator's one `random.Random`, in a fixed order, so that a seed
gives the same programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from scheduler.generate import TOPICS
from scheduler.generate_witness import TeacherDraft

if TYPE_CHECKING:
    from scheduler.generate import _Generator


@dataclass(frozen=True)
class ProgrammeGroups:
    """A programme's group ids, and the student profiles of each group."""

    cohort: str
    options: list[str]
    apps: list[str]
    profiles: dict[str, frozenset[str]]


def add_groups(gen: _Generator, p: str) -> ProgrammeGroups:
    """Add programme `p`'s cohort, option and practice-analysis groups to `gen.groups`."""
    rng = gen.rng
    size = rng.randrange(18, 33)
    opt1 = round(size * rng.uniform(0.4, 0.6))
    apps = [size // 3 + (1 if j < size % 3 else 0) for j in range(3)]
    coh = f"{p}-COH"
    gen.groups.append(
        {"id": coh, "name": f"Promotion {p}", "size": size, "max_sessions_per_week": 3}
    )
    opts = [f"{p}-OPT{j}" for j in (1, 2)]
    for j, (g, s) in enumerate(zip(opts, (opt1, size - opt1), strict=True)):
        gen.groups.append(
            {
                "id": g,
                "name": f"Option {j + 1} {p}",
                "size": s,
                "part_of": coh,
                "partition": "option",
            }
        )
    app_ids = [f"{p}-APP{j + 1}" for j in range(3)]
    for g, s in zip(app_ids, apps, strict=True):
        gen.groups.append(
            {
                "id": g,
                "name": f"Analyse de pratiques {g[-1]} {p}",
                "size": s,
                "part_of": coh,
                "partition": "app",
            }
        )
    profiles = {
        g: frozenset(f"{p}:{o}:{a}" for o in opts for a in app_ids if g in (coh, o, a))
        for g in [coh, *opts, *app_ids]
    }
    return ProgrammeGroups(coh, opts, app_ids, profiles)


def add_visitor(gen: _Generator, k: int, site: str) -> TeacherDraft:
    """Add programme `k`'s visitor, available in one or two short windows, to `gen.teachers`."""
    rng = gen.rng
    visitor = TeacherDraft(f"V{k + 1:02d}", site)
    for _ in range(rng.choice((1, 2))):
        w = gen.q1 if not visitor.available_only else gen.q2
        a = w[0] + timedelta(days=7 * rng.randrange(2, max(3, (w[1] - w[0]).days // 7 - 2)))
        visitor.available_only.append((a, a + timedelta(days=rng.choice((11, 13, 17)))))
    gen.teachers[visitor.id] = visitor
    return visitor


def add_cohort_ues(
    gen: _Generator,
    p: str,
    site: str,
    core: list[str],
    visitor: str,
    groups: ProgrammeGroups,
    counts: list[int],
) -> None:
    """Add programme `p`'s cohort teaching units, one a count of `counts` (its main series)."""
    rng, coh = gen.rng, groups.cohort
    for j, count in enumerate(counts):
        ue = f"{p}-UE{j + 1}"
        window = gen.q1 if j % 2 == 0 else gen.q2
        teachers = [core[j % 5]] + ([core[(j + 2) % 5]] if rng.random() < 0.3 else [])
        feats = [rng.choice(("projector", "video"))] if rng.random() < 0.6 else []
        series = [("main", count, 1, teachers, [coh], feats)]
        if j == 0:  # the visitor co-teaches two sessions
            series.append(("visite", 2, 1, [core[0], visitor], [coh], feats))
            window = (gen.q1[0], gen.q2[1])
        if j == 1 and rng.random() < 0.7:  # a full Saturday
            series.append(("journee", 1, 2, teachers, [coh], []))
        sites = [site] if j != 2 else list(gen.site_ids[:2])
        gen.add_ue(ue, f"{TOPICS[j]} ({p})", sites, window, series, groups.profiles, j == 0)


def add_option_and_app_ues(
    gen: _Generator,
    p: str,
    site: str,
    core: list[str],
    groups: ProgrammeGroups,
    load: float,
    app_window: tuple[date, date],
) -> None:
    """Add programme `p`'s two option teaching units and its practice-analysis one."""
    for j, g in enumerate(groups.options):
        count = round(load * 0.2)
        window = gen.q2 if j == 0 else gen.q1
        gen.add_ue(
            f"{p}-OPT{j + 1}",
            f"Option {j + 1} ({p})",
            [site],
            window,
            [("main", count, 1, [core[(3 + j) % 5]], [g], ["projector"])],
            groups.profiles,
            False,
        )
    app_count = max(2, round(load * 0.18))
    app_series = [
        (f"app{j + 1}", app_count, 1, [core[(1 + j) % 5]], [g], ["movable_tables"])
        for j, g in enumerate(groups.apps)
    ]
    gen.add_ue(
        f"{p}-APP",
        f"Analyse de pratiques ({p})",
        [site],
        app_window,
        app_series,
        groups.profiles,
        False,
        min_days=7,
    )
