"""Assembly of a generated instance from its drafts and witness (see `scheduler.generate`)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from scheduler.generate import DEFAULT_WEEKS, YEAR, default_sites
from scheduler.generate_witness import SeriesDraft

if TYPE_CHECKING:
    from scheduler.generate import _Generator


def assemble_instance(
    gen: _Generator, calendar: dict[str, Any], events: list[dict[str, Any]]
) -> dict[str, Any]:
    """The instance document: only what the witness placed, precedences and pins it satisfies."""
    placed = [s for s in gen.series if s.placed]
    by_ue: dict[str, list[SeriesDraft]] = defaultdict(list)
    for s in placed:
        by_ue[s.ue].append(s)
    ues = [_ue(u, by_ue[u["id"]]) for u in gen.ues if u["id"] in by_ue]
    # options left at their defaults keep the names and titles instances always had (the
    # same instance, byte for byte: the quick suite's baseline compares its digest); the
    # others are in them, so that two different instances never share a name (nor `solve`'s
    # default folder)
    sites, year = len(gen.site_ids), gen.start.year
    shown = [  # (differs from the default, in the name, in the title)
        (gen.weeks != DEFAULT_WEEKS, f"-w{gen.weeks}", f", {gen.weeks} semaines"),
        (sites != default_sites(gen.n), f"-sites{sites}", f", {sites} site(s)"),
        (year != YEAR, f"-y{year}", f", année {year}-{year + 1}"),
    ]
    suffix = "".join(name for differs, name, _ in shown if differs)
    shape = "".join(title for differs, _, title in shown if differs)
    return {
        "name": f"gen-p{gen.n}-s{gen.seed}-t{round(gen.tightness * 100)}{suffix}",
        "title": f"Instance générée : {gen.n} programme(s), graine {gen.seed}, "
        f"tension {gen.tightness}{shape}",
        "language": "fr",  # of the titles and names it writes
        "timezone": "Europe/Brussels",
        "calendar": calendar,
        "sites": [_site(gen, site) for site in gen.site_ids],
        "groups": gen.groups,
        "teachers": [_teacher(gen, t) for t in gen.teachers],
        "ues": ues,
        "fixed_events": events,
        "precedences": _precedences(gen, by_ue, events),
        "pins": _pins(by_ue),
        "preferences": {"group_week_target": 2},
        "weights": {},
    }


def _site(gen: _Generator, site: str) -> dict[str, Any]:
    from scheduler.generate import SITE_NAMES

    rooms = []
    for r in gen.rooms:
        if r.site != site:
            continue
        room: dict[str, Any] = {
            "id": r.id,
            "name": f"Salle {r.id}",
            "capacity": r.capacity,
            "features": sorted(r.features),
        }
        if r.unavailable:
            room["unavailable"] = [
                {"from": r.unavailable[0].isoformat(), "to": r.unavailable[1].isoformat()}
            ]
        rooms.append(room)
    return {"id": site, "name": dict(SITE_NAMES)[site], "rooms": rooms}


def _teacher(gen: _Generator, tid: str) -> dict[str, Any]:
    t = gen.teachers[tid]
    data: dict[str, Any] = {"id": t.id, "name": f"Enseignant·e {t.id}"}
    if not t.available_only:
        data["home_site"] = t.home_site
    rules: list[dict[str, Any]] = [{"weekday": w} for w in sorted(t.unavailable_weekdays)]
    rules += [{"from": a.isoformat(), "to": b.isoformat()} for a, b in t.unavailable_ranges]
    if rules:
        data["unavailable"] = rules
    if t.available_only:
        data["available_only"] = [
            {"from": a.isoformat(), "to": b.isoformat()} for a, b in t.available_only
        ]
    if tid in gen.avoid:
        data["avoid"] = [{"weekday": gen.avoid[tid]}]
    if t.max_per_week is not None:
        data["max_sessions_per_week"] = t.max_per_week
    return data


def _ue(ue: dict[str, Any], series: list[SeriesDraft]) -> dict[str, Any]:
    first = series[0]
    data = {**ue, "teachers": list(first.teachers), "groups": list(first.groups), "sessions": []}
    for s in series:
        item: dict[str, Any] = {"series": s.name, "count": len(s.placed), "length": s.length}
        if s.features:
            item["room_features"] = list(s.features)
        if s.min_days:
            item["min_days_between"] = s.min_days
        if s.teachers != first.teachers:
            item["teachers"] = list(s.teachers)
        if s.groups != first.groups:
            item["groups"] = list(s.groups)
        data["sessions"].append(item)
    return data


def _span(series: list[SeriesDraft]) -> tuple[int, int]:
    """First start index and last occupied index of the witness sessions of some series."""
    starts = [start.index for s in series for start, _ in s.placed]
    ends = [start.index + s.length - 1 for s in series for start, _ in s.placed]
    return min(starts), max(ends)


def _precedences(
    gen: _Generator, by_ue: dict[str, list[SeriesDraft]], events: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """Per programme, one UE-before-UE precedence and one event-before-UE the witness satisfies."""
    found: list[dict[str, str]] = []
    for k in range(gen.n):
        p = f"P{k + 1:02d}-"
        ues = sorted(u for u in by_ue if u.startswith(p))
        pairs = [
            (a, b) for a in ues for b in ues if a != b and _span(by_ue[a])[1] < _span(by_ue[b])[0]
        ]
        if pairs:
            a, b = gen.rng.choice(pairs)
            found.append({"before": a, "after": b})
        event = next((e for e in events if e["id"].startswith(p)), None)
        if event is None:
            continue
        day = event["dates"][0]
        later = [
            u for u in ues if min(st.date.isoformat() for s in by_ue[u] for st, _ in s.placed) > day
        ]
        if later:
            found.append({"before": event["id"], "after": gen.rng.choice(later)})
    return found


def _pins(by_ue: dict[str, list[SeriesDraft]]) -> list[dict[str, Any]]:
    """The first session of each programme's first UE pinned to its witness date and slot."""
    pins = []
    for ue, series in sorted(by_ue.items()):
        if not ue.endswith("-UE1"):
            continue
        main = next((s for s in series if s.name == "main"), None)
        if main is None:
            continue
        start, _ = main.placed[0]
        pins.append(
            {"session": f"{ue}-main-01", "date": start.date.isoformat(), "slot": start.slot}
        )
    return pins
