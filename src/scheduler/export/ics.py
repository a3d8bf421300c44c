"""iCalendar (RFC 5545) feeds: one for everything and one per group, teacher, room, site and
student of several groups.

Every output byte is a function of the problem, the rows and the arguments: UIDs come from the
instance name and the session id (never the date, never random), DTSTAMP is passed in, and
SEQUENCE comes from the caller (see `scheduler.export.revision`), so re-exporting the same
timetable gives identical files and a moved session keeps its UID with a higher SEQUENCE.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vDuration, vText

from scheduler.data.problem import Problem
from scheduler.data.types import DEFAULT_TIMEZONE, MAX_FILE_ID
from scheduler.errors import InputError
from scheduler.export.common import (
    Entity,
    Row,
    entities,
    group_names,
    location,
    rows_of,
    safe_id,
    summary,
    teacher_names,
    uid_key,
)
from scheduler.export.vtimezone import vtimezone
from scheduler.export.wording import Words, long_date, words_for

if TYPE_CHECKING:
    from scheduler.export.vanished import VanishedFeed

PRODID = "-//scheduler//timetable export//EN"
REFRESH = timedelta(hours=6)  # subscribers' refresh interval (REFRESH-INTERVAL, X-PUBLISHED-TTL)

#: no fixed-event day moved (`build_calendar`'s `moved_days`)
NO_MOVES: Mapping[str, Sequence[str]] = MappingProxyType({})


def session_uid(instance_name: str, key: str) -> str:
    """The UID of a session (`key` = its id) or event day (`<event id>-<yyyymmdd>`).

    >>> session_uid("mapemass-2026-27", "UE3-main-04")
    'UE3-main-04@mapemass-2026-27.scheduler'
    """
    return f"{safe_id(key)}@{safe_id(instance_name)}.scheduler"


def event_fields(problem: Problem, row: Row) -> dict[str, str]:
    """The texts and times of a row's VEVENT, everything a subscriber sees of it."""
    ue = row["ue"] if row["kind"] == "session" else row["session_id"]
    words = words_for(problem.instance.language)  # the labels in the instance's language
    session = row["kind"] == "session"
    lines = [words["icsSession"] + row["session_id"] if session else words["icsEvent"]]
    teachers = ", ".join(teacher_names(problem, row, emails=True)) or words["none"]
    lines.append(words["teachers"] + teachers)
    lines.append(words["groups"] + (", ".join(group_names(problem, row)) or words["none"]))
    return {
        "summary": summary(problem, row),
        "location": location(problem, row),
        "description": "\n".join(lines),
        "category": ue,
        "date": row["date"],
        "start": row["start"],
        "end": row["end"],
    }


def fingerprint(problem: Problem, row: Row) -> str:
    """A digest of what a row's event shows; a change means a new SEQUENCE is due. Its times
    are read in the instance's time zone: a zone given at last (Toronto for the default
    Brussels) moves every event, which then needs a new SEQUENCE too (an audit: clients kept
    the old times). The default zone adds nothing, so the fingerprints published before
    stay valid."""
    fields = event_fields(problem, row)
    if problem.instance.timezone != DEFAULT_TIMEZONE:
        fields["zone"] = problem.instance.timezone
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _zone(problem: Problem) -> ZoneInfo:
    name = problem.instance.timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise InputError(f"instance '{problem.instance.name}': timezone {name!r} unknown") from err


def _local(day: str, clock: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=zone)


def _vtimezone(problem: Problem, rows: Sequence[Row]) -> Timezone:
    """The instance's VTIMEZONE, with transitions from a year before to two after the rows."""
    days = [date.fromisoformat(r["date"]) for r in rows]
    cal = problem.instance.calendar
    first = min([cal.start, *days])
    last = max([cal.end, *days])
    return vtimezone(
        problem.instance.timezone, date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)
    )


class Serialised:
    """The bytes of VEVENTs and VTIMEZONEs already written, for the other feeds holding them:
    a session is in everyone's feed, its group's, its teachers', its room's and its site's,
    and icalendar's writing was most of an export's time (373 sessions, 105 feeds: 2.5 s)."""

    def __init__(self) -> None:
        self.events: dict[tuple[object, ...], bytes] = {}
        self.zones: dict[tuple[str, int, int], bytes] = {}

    def event(self, memo: tuple[object, ...], make: Callable[[], Event]) -> bytes:
        if memo not in self.events:
            self.events[memo] = bytes(make().to_ical())
        return self.events[memo]

    def zone(self, problem: Problem, rows: Sequence[Row]) -> bytes:
        years = [int(r["date"][:4]) for r in rows]
        cal = problem.instance.calendar
        memo = (
            problem.instance.timezone,
            min([cal.start.year, *years]),
            max([cal.end.year, *years]),
        )
        if memo not in self.zones:
            self.zones[memo] = bytes(_vtimezone(problem, rows).to_ical())
        return self.zones[memo]


def _stamp(dtstamp: datetime) -> datetime:
    if dtstamp.tzinfo is None or dtstamp.utcoffset() is None:
        raise ValueError(f"dtstamp must be timezone-aware, got naive {dtstamp.isoformat()}")
    return dtstamp.astimezone(UTC).replace(microsecond=0)


def _vevent(
    problem: Problem,
    row: Row,
    zone: ZoneInfo,
    stamp: datetime,
    sequence: int,
    status: str,
    title: str | None = None,
) -> Event:
    fields = event_fields(problem, row)
    start = _local(row["date"], row["start"], zone)
    end = _local(row["date"], row["end"], zone)
    if end <= start:  # an event ending at midnight or later: keep it well-formed
        end += timedelta(days=1)
    return Event.new(
        uid=session_uid(problem.instance.name, uid_key(row)),
        stamp=stamp,
        last_modified=stamp,  # when it last changed, as DTSTAMP (clients that read this one)
        sequence=sequence,
        start=start,
        end=end,
        summary=fields["summary"] if title is None else title,
        location=fields["location"] or None,  # a deadline's: no empty LOCATION line
        description=fields["description"],
        categories=[fields["category"]],
        status=status,  # type: ignore[arg-type]
        transparency="OPAQUE",  # type: ignore[arg-type]
    )


_END = b"END:VCALENDAR\r\n"


def _envelope(problem: Problem, title: str, calendar_id: str) -> bytes:
    """A calendar's BEGIN line and properties, as icalendar writes them before its components."""
    inst = problem.instance
    cal = Calendar.new(
        prodid=PRODID, uid=session_uid(inst.name, f"calendar-{calendar_id}"), calscale="GREGORIAN"
    )
    # TEXT values, escaped (Calendar.new wrote NAME and X-WR-* raw: a comma cut the name in
    # Radicale, a line break in the title failed the export)
    description = inst.title or inst.name
    for prop, text in (("NAME", title), ("X-WR-CALNAME", title), ("DESCRIPTION", description)):
        cal.add(prop, vText(text))
    cal.add("X-WR-CALDESC", vText(description))
    cal.add("X-WR-TIMEZONE", inst.timezone)
    # how often subscribers should fetch the feed again (RFC 7986 REFRESH-INTERVAL; Outlook
    # and Apple read X-PUBLISHED-TTL): a re-solve's changes reach them within hours, not
    # within the week some applications wait by default
    cal.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vText(vDuration(REFRESH).to_ical().decode()))
    envelope = bytes(cal.to_ical())
    if not envelope.endswith(_END):  # icalendar's writing changed: the splice would be wrong
        raise RuntimeError(f"a calendar not ending in {_END!r}: {envelope[-40:]!r}")
    return envelope[: -len(_END)]


def build_calendar(
    problem: Problem,
    rows: Sequence[Row],
    title: str,
    *,
    dtstamp: datetime,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Row] = (),
    calendar_id: str = "all",
    stamps: Mapping[str, datetime] | None = None,
    titles: Mapping[str, str] | None = None,
    written: Serialised | None = None,
    departed: Sequence[Row] = (),
    kind: str = "other",
    moved_days: Mapping[str, Sequence[str]] = NO_MOVES,
) -> bytes:
    """One VCALENDAR holding the instance's VTIMEZONE and a VEVENT per row.

    Args:
        problem: the problem the rows come from (names, addresses, timezone).
        rows: timetable rows to publish, as `timetable_rows` returns them.
        title: the calendar's display name (NAME and X-WR-CALNAME).
        dtstamp: DTSTAMP of every event (timezone-aware; written in UTC). Pass a fixed value,
            e.g. the solution file's time, so that output is reproducible.
        sequences: SEQUENCE by `uid_key` (default 0; 1 for a cancelled row).
        cancelled: rows of sessions that no longer exist, published with STATUS:CANCELLED so
            that clients holding them remove them; a key also in `rows` is not cancelled.
        calendar_id: makes the calendar's own UID, `calendar-<id>@<instance>.scheduler`.
        stamps: DTSTAMP by `uid_key`, where it differs from `dtstamp` (an event unchanged
            since an earlier publication keeps that one's: `revision.with_stamps`).
        titles: SUMMARY by `uid_key`, where it differs from the row's own (a past event keeps
            the title it was published with: `revision.revise`).
        written: the events and zones other feeds of the same export already wrote.
        departed: rows of sessions still given that left this feed (another room, teacher,
            site): cancelled here as `cancelled` rows are, their titles saying they are given
            elsewhere rather than cancelled (an audit: a room's feed read "Cancelled: " for a
            session only moved to another room).
        kind: the kind of entity whose feed this is (`group`, `teacher`, `room`, `site`,
            `student`), which words a departure's title.
        moved_days: keys of cancelled fixed-event days whose event was given other days
            (`Revision.moved_days`), with those days: their titles say "Moved to ...", not
            "Cancelled".

    Returns:
        The calendar as RFC 5545 bytes (CRLF lines, folded at 75 octets).
    """
    sequences, stamps, titles = sequences or {}, stamps or {}, titles or {}
    written = written or Serialised()
    words = words_for(problem.instance.language)
    zone = _zone(problem)

    def event(row: Row, status: str, sequence: int, prefix: str = "") -> bytes:
        """The row's VEVENT; a past one keeps the title it was published with, cancelled
        or not (an audit: a past tombstone's "1/6" became "1/7"). A cancelled one says so in
        its title, for clients that show it all the same, past or not (an audit: a feed's
        cancellation lost its "Cancelled: " once past, at the same SEQUENCE)."""
        key = uid_key(row)
        stamp = _stamp(stamps.get(key, dtstamp))
        seq = sequences.get(key, sequence)
        title = titles.get(key)
        if prefix:
            title = prefix + (title if title is not None else summary(problem, row))
        memo = (tuple(sorted(row.items())), status, seq, stamp, title)
        return written.event(memo, lambda: _vevent(problem, row, zone, stamp, seq, status, title))

    live = {uid_key(r) for r in rows}
    left = [r for r in departed if uid_key(r) not in live]
    away = {uid_key(r) for r in left}
    shown = live | away
    gone = [r for r in cancelled if uid_key(r) not in shown] + left

    still_here = {r["session_id"] for r in rows if r.get("kind") == "event"}

    events = [event(r, "CONFIRMED", 0) for r in rows] + [
        event(r, "CANCELLED", 1, _cancelled_prefix(r, words, kind, away, moved_days, still_here))
        for r in gone
    ]
    envelope = _envelope(problem, title, calendar_id)
    # the properties, then the zone and the events as written once for every feed (the order
    # icalendar writes a calendar's properties and components in)
    parts = [envelope, written.zone(problem, [*rows, *gone]), *events, _END]
    return b"".join(parts)


def _cancelled_prefix(
    row: Row,
    words: Words,
    kind: str,
    away: set[str],
    moved_days: Mapping[str, Sequence[str]],
    still_here: set[str],
) -> str:
    """A cancelled event's title's head: it left this feed, was moved, or is cancelled
    (a session's in its own words, which French agrees in the feminine: `icsSession...`)."""
    key, session = uid_key(row), row.get("kind") == "session"
    if key in away:
        left = words["icsSessionLeft" if session else "icsLeft"]
        return str(left.get(kind, left["other"]))
    if key in moved_days and row.get("session_id") not in still_here:
        # its new days are not in this feed (its teachers, groups, room or site changed
        # too): it left the feed, as a day kept would have (an audit read "Moved to 18
        # June" in the feed of a teacher taken off, whose feed had no 18 June)
        left = words["icsLeft"]
        return str(left.get(kind, left["other"]))
    if key in moved_days:
        days = [long_date(words, date.fromisoformat(d)) for d in moved_days[key]]
        if not days:  # a state of an earlier version: where to, unknown
            return str(words["icsEventMoved"])
        return str(words["icsEventMovedTo"][len(days) > 1]).format(days=", ".join(days))
    return str(words["icsSessionCancelled" if session else "icsCancelled"])


#: the longest programme title a feed's name gives whole (the sample's is 162 characters)
FEED_TITLE = 50


def programme_in_feed_names(title: str, name: str) -> str:
    """What a feed's name (NAME, X-WR-CALNAME) gives of the programme after the entity: its
    title, or its `name` when the title is longer than `FEED_TITLE` characters. Feeds were
    named in 141-227 characters, which a phone's calendar list cuts before the year (an
    audit); the title is whole in the feed's DESCRIPTION."""
    return title if title and len(title) <= FEED_TITLE else name


def calendar_name(entity: Entity | None) -> str:
    """The file name of a calendar: `all.ics`, `group-COHORT.ics`, `room-N-S01.ics`,
    `student-OPT-SE+APP1.ics`, ..."""
    if entity is None:
        return "all.ics"
    stem = f"{entity.kind}-{'+'.join(safe_id(part) for part in entity.id.split('+'))}"
    if len(stem) <= _LONGEST_STEM:
        return f"{stem}.ics"
    # a student of several groups with long ids: each id fits (`MAX_FILE_ID`), not all
    # together, and the export failed with "File name too long"; cut, told apart by a digest
    digest = hashlib.sha256(stem.encode()).hexdigest()[:12]
    return f"{stem[: _LONGEST_STEM - 13]}-{digest}.ics"


#: the longest name before `.ics` of a calendar file (written through a temporary
#: `.<name>.ics.XXXXXXXX.tmp`, within the 255 bytes of a file name)
_LONGEST_STEM = len("teacher-") + MAX_FILE_ID


def _frozen(
    name: str,
    sequences: Mapping[str, int],
    stamps: Mapping[str, datetime],
    left_events: Mapping[str, Mapping[str, tuple[int, datetime]]],
) -> tuple[dict[str, int], dict[str, datetime]]:
    """The sequences and stamps of feed `name`: those of its departures as they were."""
    held = left_events.get(name, {})
    return (
        {**sequences, **{key: seq for key, (seq, _) in held.items()}},
        {**stamps, **{key: stamp for key, (_, stamp) in held.items()}},
    )


def _departed(left: Mapping[str, Mapping[str, Row]], name: str) -> list[Row]:
    """The rows of the sessions that left feed `name` (`revision.departures`), as it showed them."""
    return [feeds[name] for feeds in left.values() if name in feeds]


def _feeds(
    problem: Problem,
    rows: Sequence[Row],
    cancelled: Sequence[Row],
    left: Mapping[str, Mapping[str, Row]],
    vanished: Mapping[str, VanishedFeed],
    base: str,
) -> Iterator[_Feed]:
    """Each feed but everything's: each entity's, then each vanished one's (an entity the
    problem no longer has) with every event it showed cancelled."""
    for entity in entities(problem):
        name = calendar_name(entity)
        mine = rows_of(problem, rows, entity)
        title = f"{entity.label} — {base}"  # what tells feeds apart first: names get cut short
        cancels = rows_of(problem, cancelled, entity)
        gone = _departed(left, name)
        yield _Feed(
            name, mine, title, cancels, gone, f"{entity.kind}-{entity.id}", True, entity.kind
        )
    for name, feed in vanished.items():
        cancels = [r for r in cancelled if uid_key(r) in feed.keys]
        gone = _departed(left, name)
        yield _Feed(name, [], feed.title, cancels, gone, name.removesuffix(".ics"), False, "other")


class _Feed(NamedTuple):
    """A feed: its file name, rows, title, rows cancelled, rows that left it, calendar id,
    whether past events keep their titles, and the kind of entity it is of."""

    name: str
    rows: Sequence[Row]
    title: str
    cancelled: list[Row]
    departed: list[Row]
    calendar_id: str
    titled: bool
    kind: str


def calendars_for(
    problem: Problem,
    rows: Sequence[Row],
    *,
    dtstamp: datetime,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Row] = (),
    left: Mapping[str, Mapping[str, Row]] | None = None,
    vanished: Mapping[str, VanishedFeed] | None = None,
    stamps: Mapping[str, datetime] | None = None,
    titles: Mapping[str, str] | None = None,
    left_events: Mapping[str, Mapping[str, tuple[int, datetime]]] | None = None,
    moved_days: Mapping[str, Sequence[str]] = NO_MOVES,
) -> dict[str, bytes]:
    """Every calendar by file name: everything, then each group, teacher, room and site, and
    each student of several groups (`common.student_profiles`).

    A group's calendar holds the sessions of the group and of its ancestors, a student's those
    of its groups and their ancestors; fixed events are in the calendar of every group (and its
    sub-groups), student, teacher, room and site they name.
    Entities with nothing scheduled still get a (valid, event-less) calendar, so subscription
    URLs never break. `left` (`revision.departures`: session -> {file name: row}) names the
    feeds a session still published has left: they publish it as cancelled. `vanished`
    (`vanished.vanished_feeds`): feeds of entities the problem no longer has, written with
    every event they showed cancelled. `stamps` and `titles`: as `build_calendar` takes them;
    `left_events` (`revision.left_feed_events`): per feed, the SEQUENCE and DTSTAMP of the
    sessions it publishes as cancelled because they left it; `moved_days`: as
    `build_calendar` takes them.
    """
    inst = problem.instance
    sequences, stamps = sequences or {}, stamps or {}
    base = programme_in_feed_names(inst.title, inst.name)
    written = Serialised()
    result = {
        calendar_name(None): build_calendar(
            problem,
            rows,
            base,
            dtstamp=dtstamp,
            sequences=sequences,
            cancelled=cancelled,
            stamps=stamps,
            titles=titles,
            written=written,
            moved_days=moved_days,
        )
    }
    feeds = _feeds(problem, rows, cancelled, left or {}, vanished or {}, base)
    for feed in feeds:
        feed_sequences, feed_stamps = _frozen(feed.name, sequences, stamps, left_events or {})
        result[feed.name] = build_calendar(
            problem,
            feed.rows,
            feed.title,
            dtstamp=dtstamp,
            sequences=feed_sequences,
            cancelled=feed.cancelled,
            calendar_id=feed.calendar_id,
            stamps=feed_stamps,
            titles=titles if feed.titled else None,
            written=written,
            departed=feed.departed,
            kind=feed.kind,
            moved_days=moved_days,
        )
    return result


def split_events(ics: bytes) -> dict[str, bytes]:
    """One calendar object per UID (VTIMEZONEs plus that VEVENT), as CalDAV stores them.

    CalDAV (RFC 4791) keeps each UID in its own resource; upload these with the UID as the
    resource name so that a later upload of the same session replaces it in place.
    """
    cal = Calendar.from_ical(ics)
    zones = list(cal.walk("VTIMEZONE"))
    result: dict[str, bytes] = {}
    for event in cal.walk("VEVENT"):
        one = Calendar()
        for key in ("VERSION", "PRODID", "CALSCALE"):
            if key in cal:
                one.add(key, cal[key])
        for zone in zones:
            one.add_component(zone)
        one.add_component(event)
        result[str(event["UID"])] = bytes(one.to_ical())
    return result
