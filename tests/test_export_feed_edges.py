"""Calendar feeds' edges a mutation audit of `scheduler.export` found untested: UIDs and
SEQUENCE, cancellations in the feeds a session left, who sees what, and what a published
folder carries (the mutant each test kills is named in its docstring: M-id)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from openpyxl import load_workbook

from scheduler.export.common import (
    series_words,
    site_name,
    summary,
    teacher_names,
    uid_key,
    was_words,
)
from scheduler.export.html import page_data
from scheduler.export.ics import build_calendar, calendars_for, session_uid, split_events
from scheduler.export.page_revision import _causes, revision_of
from scheduler.export.published import published_from, state_json
from scheduler.export.revision import (
    Revision,
    departures,
    revise,
    with_cancelled,
    with_departures,
)
from scheduler.export.revision_marks import Revised, event_days_paired
from scheduler.export.vanished import VanishedFeed, vanished_feeds
from scheduler.export.xlsx import timetable_workbook
from scheduler.io.solution_io import timetable_csv
from tests.conftest import problem_of
from tests.test_export_support import (
    DTSTAMP,
    event_day,
    events_by_uid,
    prop,
    session_row,
    tiny_problem,
    tiny_rows,
    vevents,
)

# --- calendar feeds: ics.py ---------------------------------------------------------------


def test_a_uid_keeps_the_instance_name_as_written() -> None:
    """I01: the UID is `<key>@<instance>.scheduler` with the instance's own spelling (only
    unsafe characters replaced): any other spelling gives every subscriber new events."""
    assert session_uid("MaPeMass 2026", "UE1-main-01") == "UE1-main-01@MaPeMass-2026.scheduler"


def test_a_fixed_event_s_category_is_its_id() -> None:
    """I02: a session's CATEGORIES is its UE, a fixed event's its own id (its row has no UE)."""
    data = calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP)["all.ics"]
    event = events_by_uid(data)["ACCUEIL-20260919@tiny.scheduler"]
    assert prop(event, "CATEGORIES")[1] == "ACCUEIL"


def test_an_event_starting_later_the_same_day_gets_a_higher_sequence() -> None:
    """I04: a fixed event whose start alone changed (09:00 -> 10:00, same end) is an update:
    SEQUENCE + 1, or clients keep the old start."""
    problem, rows = tiny_problem(), tiny_rows(1)
    day = event_day(rows)
    state = revise(problem, rows).state
    later = [r | {"start": "10:00"} if r is day else r for r in rows]
    assert revise(problem, later, state).sequences[uid_key(day)] == 1


def test_every_event_blocks_time() -> None:
    """I06: sessions and fixed events make their subscribers busy (TRANSP:OPAQUE)."""
    for name, data in calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP).items():
        for event in vevents(data):
            assert prop(event, "TRANSP")[1] == "OPAQUE", name


def test_an_event_with_no_place_has_no_location_line() -> None:
    """I07: a fixed event with no site, room or location (a deadline) gets no empty LOCATION."""
    day = event_day(tiny_rows(1)) | {"site": "", "room": ""}
    (event,) = vevents(build_calendar(tiny_problem(), [day], "x", dtstamp=DTSTAMP))
    assert not [n for n, _, _ in event["props"] if n == "LOCATION"]


def test_a_cancelled_row_still_published_stays_confirmed_once() -> None:
    """I08: a key both in `rows` and in `cancelled` (a session back) is published once,
    confirmed; two VEVENTs with one UID leave clients to pick either."""
    rows = tiny_rows(1)
    back = session_row(rows, "UE2-main-02")
    data = build_calendar(tiny_problem(), rows, "x", dtstamp=DTSTAMP, cancelled=[back])
    uids = [prop(e, "UID")[1] for e in vevents(data)]
    assert len(uids) == len(set(uids)) == len(rows)
    assert prop(events_by_uid(data)["UE2-main-02@tiny.scheduler"], "STATUS")[1] == "CONFIRMED"


def test_a_departed_row_still_in_the_feed_stays_confirmed_once() -> None:
    """I09: a session that left a feed and is back in it is no departure there."""
    rows = tiny_rows(1)
    back = session_row(rows, "UE2-main-02")
    data = build_calendar(
        tiny_problem(), rows, "x", dtstamp=DTSTAMP, departed=[back], kind="teacher"
    )
    uids = [prop(e, "UID")[1] for e in vevents(data)]
    assert len(uids) == len(set(uids)) == len(rows)
    assert prop(events_by_uid(data)["UE2-main-02@tiny.scheduler"], "STATUS")[1] == "CONFIRMED"


def test_a_fixed_event_day_that_left_a_feed_is_said_elsewhere_in_its_own_words() -> None:
    """I10: a fixed event's day that left a teacher's feed reads "Confié à un collègue : "
    (the event's words, masculine), not "Annulé : "."""
    rows = tiny_rows(1)
    day = event_day(rows)
    kept = [r for r in rows if r is not day]
    data = build_calendar(
        tiny_problem(), kept, "x", dtstamp=DTSTAMP, departed=[day], kind="teacher"
    )
    event = events_by_uid(data)[session_uid("tiny", uid_key(day))]
    assert prop(event, "STATUS")[1] == "CANCELLED"
    assert prop(event, "SUMMARY")[1].startswith("Confié à un collègue : ")


def test_a_zone_without_yearly_rules_is_right_in_the_last_year_of_the_rows(
    tiny_data: dict,
) -> None:
    """I12: Casablanca (UTC+1, UTC+0 in Ramadan) has no yearly rule: the VTIMEZONE lists
    each change, and must list those of the last year a row falls in (Ramadan 2027)."""
    tiny_data["timezone"] = "Africa/Casablanca"
    problem = problem_of(tiny_data)
    row = tiny_rows(1)[0] | {"session_id": "S1", "date": "2027-02-23", "weekday": "tue"}
    data = build_calendar(problem, [row], "x", dtstamp=DTSTAMP)
    want = datetime(2027, 2, 23, 18, 0, tzinfo=ZoneInfo("Africa/Casablanca")).astimezone(UTC)
    assert want.hour == 18  # UTC+0 in Ramadan 2027
    vobject = pytest.importorskip("vobject")  # radicale's, a reader other than icalendar
    getattr(vobject.icalendar, "__tzidMap").clear()
    (event,) = vobject.readOne(data.decode("utf-8")).vevent_list
    assert event.dtstart.value.astimezone(UTC) == want


def test_every_feed_says_the_instance_s_timezone() -> None:
    """I13: X-WR-TIMEZONE (Google's and Apple's default zone of a feed) is the instance's."""
    for name, data in calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP).items():
        assert b"\r\nX-WR-TIMEZONE:Europe/Brussels\r\n" in data, name


def test_each_feed_has_its_own_calendar_uid_with_its_kind() -> None:
    """I14: a feed's own UID is `calendar-<kind>-<id>@<instance>.scheduler` (a group and a
    teacher of one id are two calendars), stable across exports."""
    feeds = calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP)
    uids = {name: str(icalendar.Calendar.from_ical(d)["UID"]) for name, d in feeds.items()}
    assert uids["all.ics"] == "calendar-all@tiny.scheduler"
    assert uids["teacher-T1.ics"] == "calendar-teacher-T1@tiny.scheduler"
    assert uids["group-COHORT.ics"] == "calendar-group-COHORT@tiny.scheduler"
    assert len(set(uids.values())) == len(uids)


def test_a_past_event_keeps_its_published_title_in_every_entity_feed() -> None:
    """I15: `titles` (past events' titles as published) hold in the feeds of groups,
    teachers, rooms and sites too, not only in all.ics."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    titles = {uid_key(row): "UE1 · Fondements (1/9)"}
    feeds = calendars_for(tiny_problem(), rows, dtstamp=DTSTAMP, titles=titles)
    uid = session_uid("tiny", "UE1-main-01")
    for name in ("all.ics", "group-COHORT.ics", "teacher-T1.ics"):
        assert prop(events_by_uid(feeds[name])[uid], "SUMMARY")[1] == "UE1 · Fondements (1/9)", name


def test_a_vanished_feed_cancels_a_session_dropped_meanwhile() -> None:
    """I16: the feed of a teacher the instance no longer has cancels every event it showed,
    those no longer published at all (dropped) included."""
    rows = tiny_rows(1)
    dropped = session_row(rows, "UE2-main-02")
    kept = [r for r in rows if r is not dropped]
    gone = {"teacher-GONE.ics": VanishedFeed("Gone", frozenset({uid_key(dropped)}))}
    feeds = calendars_for(tiny_problem(), kept, dtstamp=DTSTAMP, cancelled=[dropped], vanished=gone)
    (event,) = vevents(feeds["teacher-GONE.ics"])
    assert prop(event, "UID")[1] == "UE2-main-02@tiny.scheduler"
    assert prop(event, "STATUS")[1] == "CANCELLED"


def test_split_events_objects_are_complete_calendars() -> None:
    """I18: each CalDAV object is a VCALENDAR with VERSION:2.0 (RFC 5545 requires it)."""
    feed = calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP)["group-OPT-A.ics"]
    for data in split_events(feed).values():
        assert str(icalendar.Calendar.from_ical(data)["VERSION"]) == "2.0"


def test_a_session_leaving_a_teacher_and_a_room_is_worded_per_feed() -> None:
    """I20: a session given to another teacher in another room: the old teacher's feed says
    "Confiée à un collègue", the old room's "Déplacée ailleurs", though both cancel the same
    row at the same SEQUENCE and stamp (bytes shared between feeds must not mix them)."""
    rows = tiny_rows(1)
    old = session_row(rows, "UE1-main-01")
    room = "N-A" if old["room"] != "N-A" else "M-A"
    site = "NAMUR" if room == "N-A" else "MONS"
    new = old | {"teachers": "T3", "room": room, "site": site}
    now = [new if r is old else r for r in rows]
    key = uid_key(old)
    left = {key: {"teacher-T1.ics": old, f"room-{old['room']}.ics": old}}
    feeds = calendars_for(tiny_problem(), now, dtstamp=DTSTAMP, sequences={key: 1}, left=left)
    uid = session_uid("tiny", key)
    teacher = prop(events_by_uid(feeds["teacher-T1.ics"])[uid], "SUMMARY")[1]
    in_room = prop(events_by_uid(feeds[f"room-{old['room']}.ics"])[uid], "SUMMARY")[1]
    assert teacher.startswith("Confiée à un collègue : ")
    assert in_room.startswith("Déplacée ailleurs : ")


# --- who sees what, and what it says: common.py ---------------------------------------------


def test_a_teacher_s_feed_holds_no_session_of_a_teacher_whose_id_contains_theirs(
    tiny_data: dict,
) -> None:
    """C01: teacher T1's feed must not take T10's sessions (ids compared whole)."""
    tiny_data["teachers"].append({"id": "T10", "name": "Dix"})
    problem = problem_of(tiny_data)
    rows = [dict(r) for r in tiny_rows(1)]
    theirs = session_row(rows, "UE3-main-01")
    theirs["teachers"] = "T10"
    feeds = calendars_for(problem, rows, dtstamp=DTSTAMP)
    assert "UE3-main-01@tiny.scheduler" not in events_by_uid(feeds["teacher-T1.ics"])
    assert "UE3-main-01@tiny.scheduler" in events_by_uid(feeds["teacher-T10.ics"])


def test_a_fixed_event_s_location_is_what_its_feeds_say(tiny_data: dict) -> None:
    """C03/C08: an event's own `location` replaces its site's name and address, in the
    LOCATION of its VEVENT and the page's site name."""
    tiny_data["fixed_events"][0]["location"] = "En ligne"
    problem = problem_of(tiny_data)
    rows = tiny_rows(1)
    day = event_day(rows)
    (event,) = vevents(build_calendar(problem, [day], "x", dtstamp=DTSTAMP))
    assert prop(event, "LOCATION")[1] == "Salle A (N-A)\\, En ligne"
    assert site_name(problem, day) == "En ligne"


def test_a_make_up_session_alone_in_its_series_says_so(tiny_data: dict) -> None:
    """C04: a session given out of its series' order is marked a make-up, even a series'
    only one ("(1/1, rattrapage)"): a series of one is otherwise unnumbered."""
    tiny_data["reordered"] = ["UE4-main-01"]
    problem = problem_of(tiny_data)
    row = session_row(tiny_rows(1), "UE4-main-01")
    assert summary(problem, row) == "UE4 · Séminaire invité (1/1, rattrapage)"
    assert summary(tiny_problem(), row) == "UE4 · Séminaire invité"


def test_a_move_to_other_hours_of_the_same_day_says_the_hours_only() -> None:
    """C06: a chip's "was" of a session moved within its day repeats not the day."""
    now = session_row(tiny_rows(1), "UE1-main-01")
    old = now | {"start": "09:00", "end": "12:15"}
    assert was_words(tiny_problem(), old, now) == "09:00–12:15"


def test_the_page_and_the_workbook_show_no_e_mail_address() -> None:
    """C07: e-mails go to the feeds' descriptions (for clients), never to the page or the
    workbook people print and pass around."""
    rows = tiny_rows(1)
    assert teacher_names(tiny_problem(), session_row(rows, "UE1-main-01")) == ["Anne Lambert"]
    page = json.dumps(page_data(tiny_problem(), rows), ensure_ascii=False)
    assert "anne@example.org" not in page
    book = load_workbook(io.BytesIO(timetable_workbook(tiny_problem(), rows)))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if "anne@example.org" in c]


def test_a_series_the_instance_no_longer_has_is_named_unless_main() -> None:
    """C09: a tombstone of a UE's `main` series the instance dropped says no "— main"."""
    assert series_words(tiny_problem(), "OLD", "main") == ""
    assert series_words(tiny_problem(), "OLD", "app1") == "app1"


# --- SEQUENCE bookkeeping: revision.py ------------------------------------------------------


def test_a_session_cancelled_then_back_unchanged_gets_a_higher_sequence() -> None:
    """R01: clients hold it CANCELLED at SEQUENCE 1; back as it was, it must come at 2, or
    they keep it cancelled (same SEQUENCE: no update)."""
    problem, rows = tiny_problem(), tiny_rows(1)
    key = "UE2-main-02"
    first = revise(problem, rows)
    second = revise(problem, [r for r in rows if r["session_id"] != key], first.state)
    assert second.sequences[key] == 1 and second.state[key]["status"] == "cancelled"
    third = revise(problem, rows, second.state)
    assert third.sequences[key] == 2 and third.state[key]["status"] == "confirmed"


def test_an_event_of_today_is_not_frozen_as_past() -> None:
    """R02: `today`'s own events may still change: only those before it keep their SEQUENCE
    and title whatever their text."""
    problem, rows = tiny_problem(), tiny_rows(1)
    key = uid_key(rows[0])
    state = revise(problem, rows).state
    state[key] |= {"fingerprint": "shown-otherwise", "summary": "UE1 (1/9)"}
    today = date.fromisoformat(rows[0]["date"])
    sent = revise(problem, rows, state, today)
    assert sent.sequences[key] == 1 and key not in sent.titles


def test_a_past_event_given_by_another_teacher_is_sent_again() -> None:
    """R03: a past event a revision gave another teacher (its teacher's feed now cancels it)
    is not frozen: SEQUENCE + 1."""
    problem, rows = tiny_problem(), tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    shown = revise(problem, rows).state
    now = [r | {"teachers": "T3"} if r is row else r for r in rows]
    today = date.fromisoformat(row["date"]) + timedelta(days=1)
    sent = revise(problem, now, shown, today)
    assert sent.sequences[uid_key(row)] == 1 and uid_key(row) not in sent.titles


def test_a_cancelled_row_the_state_knows_not_is_published_at_sequence_one() -> None:
    """R04: `with_cancelled` rows (sessions gone before any state) are at SEQUENCE 1, above
    the 0 their subscribers got."""
    problem, rows = tiny_problem(), tiny_rows(1)
    gone = session_row(rows, "UE2-main-02")
    kept = [r for r in rows if r is not gone]
    revision = with_cancelled(problem, revise(problem, kept), [gone])
    assert revision.sequences[uid_key(gone)] == 1
    data = build_calendar(
        problem, kept, "x", dtstamp=DTSTAMP, sequences=revision.sequences,
        cancelled=revision.cancelled,
    )  # fmt: skip
    assert prop(events_by_uid(data)["UE2-main-02@tiny.scheduler"], "SEQUENCE")[1] == "1"


def test_a_cancelled_session_back_elsewhere_is_cancelled_in_the_feed_it_left() -> None:
    """R05: a session some branch cancelled, back in another room: its old room's feed
    (whose subscribers may hold it confirmed) cancels it there."""
    problem, rows = tiny_problem(), tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    previous = revise(problem, rows).state
    previous[uid_key(row)]["status"] = "cancelled"
    room = "N-A" if row["room"] != "N-A" else "M-A"
    back = row | {"room": room, "site": "NAMUR" if room == "N-A" else "MONS"}
    left = departures(problem, [back], previous)
    assert f"room-{row['room']}.ics" in left[uid_key(row)]


def test_a_past_cancellation_in_a_feed_left_is_not_sent_again_for_its_text() -> None:
    """R06: a past event (its title frozen) whose cancellation in a feed it left would now
    read otherwise is not sent again: its SEQUENCE and `left_at` stay."""
    problem, rows = tiny_problem(), tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    key, feed = uid_key(row), "teacher-T1.ics"
    entry = revise(problem, [row]).state[key] | {"sequence": 3}
    previous = {
        key: entry
        | {"left": {feed: dict(row)}, "left_at": {feed: {"sequence": 3, "fingerprint": "stale"}}}
    }
    revision = Revision({key: 3}, (), {key: dict(entry)}, {key: "UE1 · Fondements (1/2)"})
    out = with_departures(problem, revision, {key: {feed: row}}, previous)
    assert out.sequences[key] == 3
    assert out.state[key]["left_at"][feed] == {"sequence": 3, "fingerprint": "stale"}


def test_a_dropped_session_s_cancellation_keeps_its_published_title() -> None:
    """R08: the title a session was published with ("(2/3)") is its tombstone's."""
    problem, rows = tiny_problem(), tiny_rows(1)
    key = "UE2-main-02"
    state = revise(problem, rows).state
    state[key]["summary"] = "UE2 · Option A (2/3)"
    out = revise(problem, [r for r in rows if r["session_id"] != key], state)
    assert out.titles[key] == "UE2 · Option A (2/3)"


def test_a_day_cancelled_before_its_event_got_another_day_stays_cancelled() -> None:
    """R09: a fixed-event day dropped in one revision, the event given a new day in the
    next: the old day's cancellation was sent as "cancelled" and is not re-worded "moved"
    at the same SEQUENCE."""
    problem, rows = tiny_problem(), tiny_rows(1)
    day = event_day(rows)
    others = [r for r in rows if r is not day]
    dropped = revise(problem, others, revise(problem, rows).state)
    later = day | {"date": (date.fromisoformat(day["date"]) + timedelta(days=7)).isoformat()}
    again = revise(problem, [*others, later], dropped.state)
    assert uid_key(day) not in again.moved_days
    assert again.sequences[uid_key(day)] == dropped.sequences[uid_key(day)]


def test_a_live_session_is_cancelled_in_the_feed_of_a_vanished_teacher() -> None:
    """R10: a session still given that a vanished entity's feed showed leaves that feed."""
    problem, rows = tiny_problem(), tiny_rows(1)
    row = rows[0]
    previous = revise(problem, rows).state
    left = departures(problem, rows, previous, {"teacher-GONE.ics": {uid_key(row)}})
    assert left[uid_key(row)]["teacher-GONE.ics"] == row


# --- what a folder publishes: published.py, vanished.py, page_revision.py ------------------


def test_a_copied_folder_s_calendars_publish_its_own_solution(tmp_path: Path) -> None:
    """P02: the solution a copied folder's calendars publish is the copy's (recorded
    relative to the folder), not the original's, which still exists."""
    pub, copy = tmp_path / "pub", tmp_path / "copy"
    for folder in (pub, copy):
        (folder / "calendars").mkdir(parents=True)
        (folder / "solution.json").write_text("{}", encoding="utf-8")
    text = state_json({}, pub / "solution.json", pub)
    (pub / "calendars" / "sequences.json").write_text(text, encoding="utf-8")
    (copy / "calendars" / "sequences.json").write_text(text, encoding="utf-8")
    assert published_from(copy / "calendars") == copy / "solution.json"


def test_files_not_written_by_the_package_are_no_vanished_feeds(tmp_path: Path) -> None:
    """V01: a `teacher-X.ics` of another tool in the calendars folder is left alone."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//someone else//EN")
    cal.add("version", "2.0")
    (tmp_path / "teacher-X.ics").write_bytes(cal.to_ical())
    assert vanished_feeds(tmp_path, {"all.ics"}, {}) == {}


def test_a_vanished_feed_keeps_its_title_unescaped(tmp_path: Path) -> None:
    """V02: the title read back from a vanished feed is the text, not its escaped form
    (else each publication escapes its commas once more)."""
    data = build_calendar(tiny_problem(), tiny_rows(1), "Anne, T1; ici", dtstamp=DTSTAMP)
    (tmp_path / "teacher-GONE.ics").write_bytes(data)
    (feed,) = vanished_feeds(
        tmp_path, {"all.ics"}, revise(tiny_problem(), tiny_rows(1)).state
    ).values()
    assert feed.title == "Anne, T1; ici"


def test_a_revision_recorded_without_a_digest_reads_the_timetable_it_revised(
    tmp_path: Path,
) -> None:
    """PR01: a re-solve's record from a version that kept no digest of the timetable it
    revised is taken on trust: its page marks what changed."""
    pub, rev = tmp_path / "pub", tmp_path / "pub" / "rev-1"
    rev.mkdir(parents=True)
    (pub / "timetable.csv").write_text(timetable_csv(tiny_rows(1)), encoding="utf-8")
    (pub / "solution.json").write_text("{}", encoding="utf-8")
    record = {"revision": {"today": "2026-09-16", "from": str(pub / "solution.json")}}
    (rev / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    revision = revision_of(rev / "solution.json")
    assert revision is not None and revision.before is not None
    assert len(revision.before) == len(tiny_rows(1))


def test_a_session_s_first_cause_in_changes_csv_is_its_cause(tmp_path: Path) -> None:
    """PR03: a session listed twice in changes.csv (moved, then given another teacher) is
    said by its first cause, the one changes.csv gives first."""
    path = tmp_path / "changes.csv"
    path.write_text(
        "session,cause,cause_in_words\nUE1-main-01,a,teacher absent\nUE1-main-01,b,room closed\n",
        encoding="utf-8",
    )
    assert _causes(path) == ({"UE1-main-01": "teacher absent"}, {})  # and none renumbered


# --- what changed, in words: revision_marks.py ----------------------------------------------


def test_a_fixed_event_s_days_are_paired_in_date_order() -> None:
    """RM01: days gone and come pair first with first, whatever order they came in."""
    day = event_day(tiny_rows(1))
    d1, d2 = day | {"date": "2026-09-19"}, day | {"date": "2026-09-26"}
    n1, n2 = day | {"date": "2026-10-03"}, day | {"date": "2026-10-10"}
    assert event_days_paired([d2, d1], [n2, n1]) == [(d1, n1), (d2, n2)]


def test_a_session_left_with_no_teacher_is_said_a_new_teacher() -> None:
    """RM03: "X no longer teaches it" is for a co-teacher gone beside one who stays; a
    session with no teacher left says who was to teach it."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE1-main-01")
    now = [r | {"teachers": ""} if r is row else r for r in rows]
    marks = Revised.of(tiny_problem(), now, {uid_key(r): r for r in rows}).marks()
    assert marks[uid_key(row)] == "new teacher: was to be taught by Anne Lambert"


def test_co_teachers_leaving_together_agree_in_the_plural() -> None:
    """RM04: two co-teachers gone, one staying: "... no longer teach it"."""
    rows = tiny_rows(1)
    row = session_row(rows, "UE4-main-01")
    old = row | {"teachers": "V1;T1;T2"}
    before = {uid_key(r): (old if r is row else r) for r in rows}
    now = [r | {"teachers": "T1"} if r is row else r for r in rows]
    marks = Revised.of(tiny_problem(), now, before).marks()
    assert marks[uid_key(row)] == "Claire Roy, Marc Dubois no longer teach it"


def test_a_time_zone_given_at_last_sends_every_event_again(tiny_data: dict) -> None:
    """An instance solved and published in the default zone, then given Toronto's: every
    event moved 6 hours, but its SEQUENCE and DTSTAMP stayed, so clients kept the old
    times. Back to Brussels, they move again."""
    brussels = problem_of(tiny_data)
    toronto = problem_of(tiny_data | {"timezone": "America/Toronto"})
    rows = tiny_rows(1)
    first = revise(brussels, rows)
    assert revise(brussels, rows, first.state).sequences == first.sequences
    moved = revise(toronto, rows, first.state)
    assert set(moved.sequences) == set(first.sequences)
    assert all(moved.sequences[k] == first.sequences[k] + 1 for k in first.sequences)
    back = revise(brussels, rows, moved.state)
    assert all(back.sequences[k] == moved.sequences[k] + 1 for k in first.sequences)
