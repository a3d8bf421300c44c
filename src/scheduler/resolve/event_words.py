"""A re-solve's fixed-event days in words: those the new timetable drops or adds, per event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from scheduler.resolve.published_rows import event_days


def event_changes(
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    causes: Callable[[str], tuple[str, str]] | None = None,
) -> list[str]:
    """Fixed-event days the new timetable drops or adds, per event, in words:
    `DEFENSES (Défenses): 2027-09-07 08:30-17:00 at MONS -> 2027-09-09 08:30-17:00 at MONS`,
    then, with `causes` (`event_causes`), why: `(fixed event DEFENSES moved: ...)`."""

    def days(rows: Sequence[Mapping[str, str]]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for eid, by_key in event_days(rows).items():
            for r in by_key.values():
                rooms = f" ({r['room'].replace(';', ', ')})" if r["room"] else ""
                where = f"at {r['site']}" if r["site"] else "at no site"  # online, abroad
                out[eid].add(f"{r['date']} {r['start']}-{r['end']} {where}{rooms}")
        return out

    old, new = days(before), days(after)
    titles = {r["session_id"]: r["ue_title"] for r in (*before, *after) if r["kind"] == "event"}
    lines = []
    for eid in sorted(set(old) | set(new)):
        gone, came = sorted(old[eid] - new[eid]), sorted(new[eid] - old[eid])
        name = f"{eid} ({titles[eid]})" if titles.get(eid) else eid
        kept = f"; kept: {', '.join(sorted(old[eid] & new[eid]))}" if old[eid] & new[eid] else ""
        if causes is not None and (gone or came):  # why, after the days (kept ones too)
            kept += f" ({causes(eid)[1]})"
        if gone and came:
            lines.append(f"{name}: {', '.join(gone)} -> {', '.join(came)}{kept}")
        elif gone:
            lines.append(f"{name}: {', '.join(gone)} cancelled{kept}")
        elif came:
            lines.append(f"{name}: {', '.join(came)} added{kept}")
    return lines
