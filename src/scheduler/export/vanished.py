"""Feeds whose entity the timetable no longer has: a teacher renamed or replaced for good, a
group or room removed, a student profile gone with a partition.

Their subscribers keep the address; a feed that stops being written freezes their calendar
with every event it last showed. So such a feed is written once more, and every time after,
with each event it showed published as cancelled (an audit's finding: a teacher renamed in
the instance left `teacher-<old id>.ics` behind, its events never cancelled).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icalendar import Calendar

from scheduler.export.common import KINDS, safe_id
from scheduler.export.ics import PRODID

#: the names `ics.calendar_name` gives entity feeds (`all.ics` always exists)
FEED_NAME = re.compile(rf"({'|'.join(KINDS)})-[A-Za-z0-9_.+-]+\.ics")


@dataclass(frozen=True)
class VanishedFeed:
    """A feed of an earlier publication whose entity is gone: its title and the state keys
    (`common.uid_key`) of the events it showed."""

    title: str
    keys: frozenset[str]


def vanished_feeds(
    folder: Path, current: Collection[str], previous: Mapping[str, Mapping[str, Any]]
) -> dict[str, VanishedFeed]:
    """The feeds in `folder` (an earlier publication's calendars) that this one lacks
    (`current`: its file names), by file name; files this package did not write are left
    alone."""
    if not folder.is_dir():
        return {}
    keys_by_uid = {safe_id(key): key for key in previous}
    out = {}
    for path in sorted(folder.glob("*.ics")):
        if path.name in current or not FEED_NAME.fullmatch(path.name):
            continue
        try:
            calendar = Calendar.from_ical(path.read_bytes())
        except (OSError, ValueError):
            continue
        if str(calendar.get("PRODID", "")) != PRODID:
            continue
        uids = (str(e.get("UID", "")).split("@")[0] for e in calendar.walk("VEVENT"))
        keys = frozenset(keys_by_uid[u] for u in uids if u in keys_by_uid)
        # NAME is read raw (an unknown property to the library): unescaped here, else every
        # publication escaped its commas once more (an audit saw `\\\,` grow)
        raw = calendar.get("NAME") or calendar.get("X-WR-CALNAME")
        title = _unescaped(str(raw)) if raw is not None else path.stem
        out[path.name] = VanishedFeed(title, keys)
    return out


def _unescaped(text: str) -> str:
    """An iCalendar TEXT value unescaped (RFC 5545 3.3.11): `\\,` `\\;` `\\\\` `\\n`."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)
