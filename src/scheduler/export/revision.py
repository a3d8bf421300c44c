"""SEQUENCE bookkeeping across re-solves, so calendar clients update sessions in place.

The state of a published timetable is a mapping `uid_key -> {"sequence", "fingerprint",
"status", "row", "summary", "dtstamp"}` (plus `left` and `left_at` for a session that left
feeds) kept next to the calendars (`calendars/sequences.json`). Comparing a new
timetable with it: an unchanged session keeps its SEQUENCE, a changed one (moved, other room,
renamed...) gets the previous SEQUENCE + 1, a new one starts at 0, and a session that is gone
is published once more as cancelled with SEQUENCE + 1 (and stays cancelled afterwards).

A session can also leave one feed and stay in others (moved to another room, site or teacher):
the feeds it left publish it as cancelled (`departures`, kept in the state as `left`, with
the SEQUENCE, stamp and text of that cancellation as `left_at`), or their subscribers would
keep it there for good. A re-solve's past events keep their SEQUENCE, stamp and title.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from scheduler.data.problem import Problem
from scheduler.export.common import Row, entities, matcher, summary, uid_key
from scheduler.export.ics import calendar_name, fingerprint
from scheduler.export.published import CANCELLED, CONFIRMED


@dataclass(frozen=True)
class Revision:
    """SEQUENCE of every key, the rows to publish as cancelled, the state to keep, and the
    titles of past events that must stay as they were published (`revise`)."""

    sequences: dict[str, int]
    cancelled: tuple[Row, ...]
    state: dict[str, dict[str, Any]]
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def moved_days(self) -> dict[str, tuple[str, ...]]:
        """The keys of fixed-event days cancelled when their event was given other days (its
        feeds say "Moved", not "Cancelled", there), with those days as they were then (none
        known in a state of an earlier version)."""
        return {
            k: tuple(v.get("moved_to", ()))
            for k, v in self.state.items()
            if v.get("status") == CANCELLED and v.get("moved")
        }


def _frozen(before: Mapping[str, Any] | None, row: Row, today: date | None) -> bool:
    """Whether `row`'s event, published as `before`, is past (`today`) and stays as published."""
    past = today is not None and date.fromisoformat(row["date"]) < today
    # a stand-in state (feeds lost) knows no fingerprint: what subscribers hold is unknown
    known = before is not None and bool(before.get("fingerprint"))
    # the past is frozen only where the title it was published with is known (a state
    # of an older version has none: a past event whose text changed is then sent again),
    # and where it is still where it was shown (publishing rev-2 over the timetable that
    # rev-1 revised, rev-1's moves of events now past are news to those subscribers)
    return (
        past
        and known
        and before is not None
        and isinstance(before.get("summary"), str)
        and not moved(before.get("row") or {}, row)
    )


def revise(
    problem: Problem,
    rows: Sequence[Row],
    previous: Mapping[str, Mapping[str, Any]] | None = None,
    today: date | None = None,
) -> Revision:
    """Compare `rows` with the `previous` state (None: a first publication). A re-solve's
    `today`: an event before it that was published keeps its SEQUENCE and fingerprint
    whatever its text now says, and the title it was published with (`titles`, from the
    state's `summary`): the past is frozen. A session dropped from or added to its series
    renumbers the titles of its siblings: an audit saw every past one of them sent again to
    16 feeds' subscribers, and then, at the same SEQUENCE, each past title saying the new
    count, which a client refreshing the whole feed shows unannounced. A cancelled event keeps
    its published title too: a dropped session lost its "(2/3)" (an audit)."""
    previous = previous or {}
    sequences: dict[str, int] = {}
    state: dict[str, dict[str, Any]] = {}
    titles: dict[str, str] = {}
    for row in rows:
        key, fp = uid_key(row), fingerprint(problem, row)
        title = summary(problem, row)
        before = previous.get(key)
        frozen = _frozen(before, row, today)
        if before is None:
            seq = 0
        elif before.get("status") == CONFIRMED and (frozen or before.get("fingerprint") == fp):
            seq = int(before["sequence"])
            fp = str(before.get("fingerprint", fp))
            if frozen:
                title = titles[key] = str(before["summary"])
        else:
            seq = int(before["sequence"]) + 1
        sequences[key] = seq
        state[key] = {
            "sequence": seq,
            "fingerprint": fp,
            "status": CONFIRMED,
            "row": dict(row),
            "summary": title,
        }
    cancelled: list[Row] = []
    rescheduled = _rescheduled_events(rows, previous)
    for key, before in previous.items():
        if key in state:
            continue
        seq = int(before["sequence"]) + (before.get("status") == CONFIRMED)
        row = {str(k): str(v) for k, v in before["row"].items()}
        sequences[key] = seq
        cancelled.append(row)
        if before.get("summary"):  # "(2/3)" as published: its series no longer counts it
            titles[key] = str(before["summary"])
        state[key] = {**before, "sequence": seq, "status": CANCELLED, "row": row}
        if before.get("status") == CONFIRMED and row.get("session_id") in rescheduled:
            # and kept: the cancellation's words stay as sent, the days it went to with them
            # (an audit's visitor saw "Moved: Séminaire" on 11 June, and not where it went)
            state[key]["moved"] = True
            state[key]["moved_to"] = rescheduled[row["session_id"]]
    return Revision(sequences, tuple(cancelled), state, titles)


def _rescheduled_events(
    rows: Sequence[Row], previous: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[str]]:
    """The fixed events with a day in `rows` that `previous` did not publish as taking place
    (a new day, or one it had cancelled: an event moved back to its first day), with those
    days: the days they gave up were moved there (a day only dropped stays "cancelled")."""
    found: dict[str, list[str]] = {}
    for r in rows:
        if r["kind"] == "event" and previous.get(uid_key(r), {}).get("status") != CONFIRMED:
            found.setdefault(r["session_id"], []).append(r["date"])
    return {event: sorted(set(days)) for event, days in found.items()}


# What places an event: a past event that shows otherwise in one of them is sent again.
PLACE = ("date", "start", "end", "site", "room", "teachers")


def moved(shown: Mapping[str, Any], row: Row) -> bool:
    """Whether `row` places its event otherwise than the row `shown` (`PLACE`)."""
    return any(str(shown.get(key, "")) != row.get(key, "") for key in PLACE)


def with_cancelled(problem: Problem, revision: Revision, cancelled: Sequence[Row]) -> Revision:
    """`revision` plus the `cancelled` rows it does not know yet (SEQUENCE 1)."""
    extra = [r for r in cancelled if uid_key(r) not in revision.state]
    if not extra:
        return revision
    sequences, state = dict(revision.sequences), dict(revision.state)
    for r in extra:
        key = uid_key(r)
        sequences[key] = 1
        state[key] = {
            "sequence": 1,
            "fingerprint": fingerprint(problem, r),
            "status": CANCELLED,
            "row": dict(r),
        }
    return replace(
        revision, sequences=sequences, cancelled=(*revision.cancelled, *extra), state=state
    )


def _plain(row: Mapping[str, Any]) -> Row:
    return {str(k): str(v) for k, v in row.items()}


def departures(
    problem: Problem,
    rows: Sequence[Row],
    previous: Mapping[str, Mapping[str, Any]],
    vanished: Mapping[str, Collection[str]] = MappingProxyType({}),
) -> dict[str, dict[str, Row]]:
    """Per session still published, the feeds (by file name) it showed in and no longer
    does, with the row it showed there: those feeds publish it as cancelled, this time and
    every time after (`left` in the state), until it comes back to them. `vanished`: the
    feeds of entities the problem no longer has, with the keys they showed (all left). A
    session no longer published keeps the feeds it had left."""
    feeds = [(calendar_name(e), matcher(problem, e)) for e in entities(problem)]
    out: dict[str, dict[str, Row]] = {}
    for row in rows:
        before = previous.get(uid_key(row))
        if before is None:
            continue
        left = {name: _plain(r) for name, r in (before.get("left") or {}).items()}
        # a cancelled one coming back elsewhere too: its cancellation was a side branch's
        # (rev-2 dropped it; rev-3, from rev-1, moves it), and rev-1's subscribers of the
        # feed it leaves still hold it confirmed there (an audit: the event vanished from
        # the room's feed instead of being cancelled)
        if before.get("status") in (CONFIRMED, CANCELLED) and before.get("row"):
            shown = _plain(before["row"])
            new = {n: shown for n, keeps in feeds if keeps(shown) and not keeps(row)}
            new |= {n: shown for n, keys in vanished.items() if uid_key(row) in keys}
            left = new | left  # a feed left before keeps the row it showed then
        left = {n: r for n, r in left.items() if not dict(feeds).get(n, _never)(row)}
        if left:
            out[uid_key(row)] = left
    # a session no longer published (dropped, or no longer in the instance) keeps the
    # departures it had: the feeds it left go on cancelling it as they did (an audit: they
    # dropped its event once it was dropped, and a client that imports feeds kept it)
    published = {uid_key(row) for row in rows}
    for key, before in previous.items():
        if key not in published and before.get("left"):
            out[key] = {name: _plain(r) for name, r in before["left"].items()}
    return out


def _never(row: Row) -> bool:
    return False


def with_departures(
    problem: Problem,
    revision: Revision,
    left: Mapping[str, Mapping[str, Row]],
    previous: Mapping[str, Mapping[str, Any]] = MappingProxyType({}),
) -> Revision:
    """`revision` whose state remembers the feeds each session left (`departures`), and the
    SEQUENCE and text each of them published its cancellation with (`left_at`,
    `left_feed_events`).

    A session that leaves a feed now gets a higher SEQUENCE even when what it shows did not
    change (a teacher's feed gone, the teacher's name unchanged in the text), so that the
    feed's cancellation is newer than what its subscribers hold (a review's finding). So does
    one whose cancellation there would now read otherwise (a sibling dropped renumbers its
    title), unless it is past: the feed publishes it again, at the session's SEQUENCE, which
    stays the highest any feed shows, so that a session coming back is newer than its
    cancellation."""
    sequences = dict(revision.sequences)
    state: dict[str, dict[str, Any]] = {}
    for key, entry in revision.state.items():
        kept = {k: v for k, v in entry.items() if k not in ("left", "left_at")}
        before = previous.get(key, {})
        known = {
            feed: dict(at)
            for feed, at in (before.get("left_at") or {}).items()
            if feed in (before.get("left") or {}) and isinstance(at, dict)
        }
        texts = {feed: fingerprint(problem, row) for feed, row in left.get(key, {}).items()}
        # a past event (its title frozen by `revise`) is sent again only to a feed it leaves
        past = key in revision.titles
        again = {
            f
            for f, text in texts.items()
            if f not in known or (not past and known[f].get("fingerprint") != text)
        }
        if again and before and sequences[key] == int(before["sequence"]):
            sequences[key] += 1
            kept["sequence"] = sequences[key]
        if key in left:
            kept["left"] = dict(left[key])
            kept["left_at"] = {
                feed: {"sequence": sequences[key], "fingerprint": texts[feed]}
                if feed in again
                else known[feed]
                for feed in sorted(left[key])
            }
        state[key] = kept
    return replace(revision, sequences=sequences, state=state)


def left_feed_events(revision: Revision) -> dict[str, dict[str, tuple[int, datetime]]]:
    """Per feed (file name), the SEQUENCE and DTSTAMP of each session it publishes as
    cancelled because the session left it (`with_departures`, then `with_stamps`): those of
    the publication where it left (or where its cancellation there last read otherwise), so
    that a later change of the session elsewhere does not send the feed's unchanged
    cancellation again (an audit saw them re-issued at every revision, with a higher
    SEQUENCE and a new stamp)."""
    out: dict[str, dict[str, tuple[int, datetime]]] = {}
    for key, entry in revision.state.items():
        for feed, at in (entry.get("left_at") or {}).items():
            stamp = _stamp_of(at.get("dtstamp"))
            if isinstance(at.get("sequence"), int) and stamp is not None:
                out.setdefault(feed, {})[key] = (at["sequence"], stamp)
    return out


def with_stamps(
    revision: Revision, previous: Mapping[str, Mapping[str, Any]], dtstamp: datetime
) -> tuple[Revision, dict[str, datetime]]:
    """The DTSTAMP of every key, and `revision` whose state remembers them: an event whose
    SEQUENCE and status did not change keeps the stamp it was published with (RFC 5545
    3.8.7.2: when its information was last revised; an audit saw every event's stamp change
    in every revision), the others get `dtstamp`. A feed's cancellation of a session that
    left it (`left_at`) keeps its stamp too, or takes this one's when new."""
    stamps: dict[str, datetime] = {}
    state: dict[str, dict[str, Any]] = {}
    for key, entry in revision.state.items():
        before = previous.get(key)
        kept = None
        if (
            before is not None
            and int(before["sequence"]) == revision.sequences.get(key)
            and before.get("status") == entry.get("status")
        ):
            kept = _stamp_of(before.get("dtstamp"))
        stamps[key] = kept or dtstamp
        state[key] = {**entry, "dtstamp": stamps[key].astimezone(UTC).strftime(STAMP_FORMAT)}
        if entry.get("left_at"):  # a feed left now: its cancellation's stamp is this one's
            state[key]["left_at"] = {
                feed: {"dtstamp": state[key]["dtstamp"], **at}
                for feed, at in entry["left_at"].items()
            }
    return replace(revision, state=state), stamps


STAMP_FORMAT = "%Y%m%dT%H%M%SZ"  # as iCalendar writes a UTC DATE-TIME


def _stamp_of(text: object) -> datetime | None:
    """A stamp kept in the state, or None (an older state without one, or unreadable)."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
