"""iCalendar export: parsed back by icalendar, vobject and a line-based reader; counts, times,
UIDs, SEQUENCE and cancellations."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from scheduler.check import check
from scheduler.construct import greedy_timetable
from scheduler.data import Problem
from scheduler.export import export_all, ics
from scheduler.export.common import uid_key
from scheduler.export.ics import build_calendar, calendars_for, session_uid, split_events
from scheduler.export.published import read_state
from scheduler.export.revision import revise
from scheduler.export.vtimezone import vtimezone
from scheduler.io.instance_io import load_instance
from scheduler.io.solution_io import timetable_csv, timetable_rows
from tests.conftest import problem_of
from tests.test_export_support import (
    DTSTAMP,
    ROOT,
    moved,
    prop,
    text_value,
    tiny_problem,
    tiny_rows,
    tiny_solution,
    vevents,
)

BRUSSELS = ZoneInfo("Europe/Brussels")

# tiny.yaml: UE1 (2 sessions, COHORT, T1), UE2 (2, OPT-A, T2), UE3 (2, OPT-B, T3),
# UE4 (1, COHORT, V1+T1), fixed event ACCUEIL (1 day, COHORT, T1, room N-A at NAMUR).
EXPECTED_COUNTS = {
    "all.ics": 8,
    "group-COHORT.ics": 4,  # UE1 x2, UE4, ACCUEIL: a parent does not get its children's sessions
    "group-OPT-A.ics": 6,  # its own UE2 x2 plus the COHORT ones
    "group-OPT-B.ics": 6,
    "teacher-T1.ics": 4,
    "teacher-T2.ics": 2,
    "teacher-T3.ics": 2,
    "teacher-V1.ics": 1,
}


@pytest.fixture(scope="module")
def calendars() -> dict[str, bytes]:
    return calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP)


def test_every_calendar_parses_with_three_readers(calendars: dict[str, bytes]) -> None:
    assert set(calendars) >= set(EXPECTED_COUNTS) | {"room-N-A.ics", "site-MONS.ics"}
    for name, data in calendars.items():
        ours = vevents(data)  # the line-based reader
        lib = icalendar.Calendar.from_ical(data)
        other = vobject.readOne(data.decode("utf-8"))
        assert len(lib.walk("VEVENT")) == len(ours), name
        assert len(getattr(other, "vevent_list", [])) == len(ours), name
        assert [str(t["TZID"]) for t in lib.walk("VTIMEZONE")] == ["Europe/Brussels"], name
        uids = [prop(e, "UID")[1] for e in ours]
        assert len(uids) == len(set(uids)), f"{name}: duplicate UID"
        # subscribers are asked to fetch again within hours (RFC 7986), not a week later
        assert lib["REFRESH-INTERVAL"].dt == timedelta(hours=6), name
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in data, name
        assert str(lib["X-PUBLISHED-TTL"]) == "PT6H", name


def test_event_counts_per_calendar(calendars: dict[str, bytes]) -> None:
    for name, count in EXPECTED_COUNTS.items():
        assert len(vevents(calendars[name])) == count, name
    rooms = sum(len(vevents(d)) for n, d in calendars.items() if n.startswith("room-"))
    sites = sum(len(vevents(d)) for n, d in calendars.items() if n.startswith("site-"))
    assert rooms == sites == 8  # every row has one room at one site


def test_a_long_programme_title_leaves_the_feed_names_short(tiny_data: dict) -> None:
    """Feeds were named in 141-227 characters, which a phone's list of calendars cuts before
    the year (an audit): past 50 characters the programme is named by the instance's `name`
    in the feed's name; its DESCRIPTION keeps the whole title."""
    long = "Master de spécialisation en accompagnement des professionnels — 2026-2027"
    tiny_data["title"] = long
    feeds = calendars_for(problem_of(tiny_data), tiny_rows(1), dtstamp=DTSTAMP)
    for name in ("all.ics", "group-OPT-A.ics"):
        cal = icalendar.Calendar.from_ical(feeds[name])
        assert str(cal["DESCRIPTION"]) == long
        said = str(cal["X-WR-CALNAME"])
        assert said == str(cal["NAME"]) and said.endswith(tiny_data["name"]) and long not in said
    group = icalendar.Calendar.from_ical(feeds["group-OPT-A.ics"])
    assert str(group["X-WR-CALNAME"]) == f"Option A (OPT-A) — {tiny_data['name']}"
    tiny_data["title"] = long[:50]  # within 50: the title itself
    cal = icalendar.Calendar.from_ical(
        calendars_for(problem_of(tiny_data), tiny_rows(1), dtstamp=DTSTAMP)["all.ics"]
    )
    assert str(cal["X-WR-CALNAME"]) == long[:50]


def test_a_student_of_two_groups_gets_one_feed_of_exactly_their_sessions(tiny_data: dict) -> None:
    """Two partitions under COHORT: a student of OPT-A and APP-1 sees OPT-A's, APP-1's and
    COHORT's sessions once each (two group feeds would show COHORT's twice and miss none)."""
    tiny_data["groups"] += [
        {"id": "APP-1", "size": 5, "part_of": "COHORT", "partition": "app"},
        {"id": "APP-2", "size": 5, "part_of": "COHORT", "partition": "app"},
    ]
    rows = [dict(r) for r in tiny_rows(1)]
    practice = next(r for r in rows if r["groups"] == "COHORT" and r["kind"] == "session")
    practice["groups"] = "APP-1"
    feeds = calendars_for(problem_of(tiny_data), rows, dtstamp=DTSTAMP)
    students = sorted(n for n in feeds if n.startswith("student-"))
    assert students == [
        f"student-{a}+{b}.ics" for a in ("OPT-A", "OPT-B") for b in ("APP-1", "APP-2")
    ]

    def uids(name: str) -> set[str]:
        return {prop(e, "UID")[1] for e in vevents(feeds[name])}

    mine = uids("student-OPT-A+APP-1.ics")
    assert mine == uids("group-OPT-A.ics") | uids("group-APP-1.ics")
    assert len(vevents(feeds["student-OPT-A+APP-1.ics"])) == len(mine) == 6
    assert session_uid("tiny", practice["session_id"]) in mine
    assert session_uid("tiny", practice["session_id"]) not in uids("student-OPT-A+APP-2.ics")
    assert uids("student-OPT-B+APP-2.ics") == uids("group-OPT-B.ics") | uids("group-APP-2.ics")


def test_fixed_event_is_in_every_calendar_it_involves(calendars: dict[str, bytes]) -> None:
    uid = "ACCUEIL-20260919@tiny.scheduler"
    holders = {n for n, d in calendars.items() if uid in {prop(e, "UID")[1] for e in vevents(d)}}
    expected = {"all.ics", "group-COHORT.ics", "group-OPT-A.ics", "group-OPT-B.ics"}
    assert holders == expected | {"teacher-T1.ics", "room-N-A.ics", "site-NAMUR.ics"}


def test_times_are_tzid_qualified_in_brussels(calendars: dict[str, bytes]) -> None:
    rows = {uid_key(r): r for r in tiny_rows(1)}
    for event in vevents(calendars["all.ics"]):
        uid = prop(event, "UID")[1]
        row = rows[uid.split("@")[0]]
        for field, column in (("DTSTART", "start"), ("DTEND", "end")):
            params, value = prop(event, field)
            assert params == {"TZID": "Europe/Brussels"}
            assert value == row["date"].replace("-", "") + "T" + row[column].replace(":", "") + "00"
    for event in icalendar.Calendar.from_ical(calendars["all.ics"]).walk("VEVENT"):
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Brussels"
    # 2026-09-15 18:00 in Brussels is summer time (UTC+2): 16:00 UTC
    first = icalendar.Calendar.from_ical(calendars["all.ics"]).walk("VEVENT")[0]
    assert first.decoded("DTSTART").astimezone(UTC) == datetime(2026, 9, 15, 16, 0, tzinfo=UTC)


def test_winter_time_converts_with_one_hour_offset() -> None:
    row = {**tiny_rows(1)[0], "date": "2026-12-15", "weekday": "tue"}
    cal = icalendar.Calendar.from_ical(build_calendar(tiny_problem(), [row], "x", dtstamp=DTSTAMP))
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 15, 17, 0, tzinfo=UTC)


def test_texts_summary_location_description_categories(calendars: dict[str, bytes]) -> None:
    events = {prop(e, "UID")[1]: e for e in vevents(calendars["all.ics"])}
    ue1 = events["UE1-main-01@tiny.scheduler"]
    assert text_value(prop(ue1, "SUMMARY")[1]) == "UE1 · Fondements (1/2)"
    assert text_value(prop(ue1, "LOCATION")[1]) == (
        "Salle A (N-A), UNamur, Rue de Bruxelles 61, 5000 Namur"
    )
    description = text_value(prop(ue1, "DESCRIPTION")[1])
    assert "Anne Lambert <anne@example.org>" in description
    assert "Promotion (COHORT)" in description
    assert prop(ue1, "CATEGORIES")[1] == "UE1"
    assert prop(ue1, "DTSTAMP")[1] == "20260901T083000Z"
    assert prop(ue1, "SEQUENCE")[1] == "0"
    assert prop(ue1, "STATUS")[1] == "CONFIRMED"
    event = events["ACCUEIL-20260919@tiny.scheduler"]
    assert text_value(prop(event, "SUMMARY")[1]) == "Journée d'accueil"


def test_output_is_reproducible(calendars: dict[str, bytes]) -> None:
    again = calendars_for(tiny_problem(), tiny_rows(1), dtstamp=DTSTAMP)
    assert again == calendars


def test_uids_are_stable_when_sessions_move() -> None:
    first = tiny_solution(1)
    other, _ = moved(first, "UE1-main-02")
    uids = []
    for timetable in (first, other):
        rows = timetable_rows(tiny_problem(), timetable)
        data = calendars_for(tiny_problem(), rows, dtstamp=DTSTAMP)["all.ics"]
        where = {
            prop(e, "UID")[1]: (prop(e, "DTSTART")[1], prop(e, "LOCATION")[1])
            for e in vevents(data)
        }
        uids.append(where)
    assert set(uids[0]) == set(uids[1])
    assert any(uids[0][u] != uids[1][u] for u in uids[0]), "some session moved, same UID"
    assert "UE1-main-01@tiny.scheduler" in uids[0]


def test_session_uid_is_sanitised() -> None:
    assert session_uid("tiny", "UE1-main-01") == "UE1-main-01@tiny.scheduler"
    assert session_uid("a b/c", "x y") == "x-y@a-b-c.scheduler"


def test_cancelled_rows_are_published_as_cancelled() -> None:
    rows = tiny_rows(1)
    gone = [r for r in rows if r["session_id"] == "UE2-main-02"]
    kept = [r for r in rows if r["session_id"] != "UE2-main-02"]
    data = build_calendar(tiny_problem(), kept, "x", dtstamp=DTSTAMP, cancelled=gone)
    events = {prop(e, "UID")[1]: e for e in vevents(data)}
    assert len(events) == len(rows)
    event = events["UE2-main-02@tiny.scheduler"]
    assert prop(event, "STATUS")[1] == "CANCELLED"
    assert prop(event, "SEQUENCE")[1] == "1"
    # said in its title too, in the instance's language (tiny: fr), for calendar applications
    # that show a cancelled event as any other
    assert prop(event, "SUMMARY")[1] == "Annulée : UE2 · Option A (2/2)"


def test_a_past_cancelled_event_keeps_the_title_it_was_published_with() -> None:
    """A feed the session left cancels it; a later added sibling renumbered that past
    tombstone "(1/6)" -> "(1/7)" with SEQUENCE and stamp unchanged, where all.ics kept the
    published title (a re-solve audit): the frozen titles hold for cancelled events too."""
    rows = tiny_rows(1)
    gone = [r for r in rows if r["session_id"] == "UE2-main-02"]
    kept = [r for r in rows if r["session_id"] != "UE2-main-02"]
    frozen = {"UE2-main-02": "UE2 · Option A (2/3)"}
    data = build_calendar(tiny_problem(), kept, "x", dtstamp=DTSTAMP, cancelled=gone, titles=frozen)
    events = {prop(e, "UID")[1]: e for e in vevents(data)}
    # "cancelled" said as when it was to come: the title does not change once past (an audit)
    summary = prop(events["UE2-main-02@tiny.scheduler"], "SUMMARY")[1]
    assert summary == "Annulée : UE2 · Option A (2/3)"
    assert prop(events["UE2-main-02@tiny.scheduler"], "STATUS")[1] == "CANCELLED"


def test_a_session_the_instance_no_longer_has_is_cancelled_without_a_count() -> None:
    """Rolled back to a timetable before a session was added: its tombstone read '(3/2)'."""
    rows = tiny_rows(1)
    extra = next(r for r in rows if r["session_id"] == "UE2-main-02")
    extra = extra | {"session_id": "UE2-main-03", "session_no": "3"}
    data = build_calendar(tiny_problem(), rows, "x", dtstamp=DTSTAMP, cancelled=[extra])
    events = {prop(e, "UID")[1]: e for e in vevents(data)}
    assert prop(events["UE2-main-03@tiny.scheduler"], "SUMMARY")[1] == "Annulée : UE2 · Option A"
    assert prop(events["UE2-main-02@tiny.scheduler"], "SUMMARY")[1] == "UE2 · Option A (2/2)"


def test_naive_dtstamp_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_calendar(tiny_problem(), tiny_rows(1), "x", dtstamp=datetime(2026, 9, 1))


def test_revise_keeps_unchanged_bumps_changed_cancels_removed() -> None:
    problem = tiny_problem()
    first = revise(problem, tiny_rows(1))
    assert set(first.sequences.values()) == {0} and not first.cancelled
    changed, _ = moved(tiny_solution(1), "UE2-main-02")
    rows = [r for r in timetable_rows(problem, changed) if r["session_id"] != "UE3-main-01"]
    second = revise(problem, rows, first.state)
    assert second.sequences["UE2-main-02"] == 1
    assert second.sequences["UE1-main-01"] == 0
    assert [r["session_id"] for r in second.cancelled] == ["UE3-main-01"]
    assert second.sequences["UE3-main-01"] == 1
    third = revise(problem, rows, second.state)  # publishing the same again changes nothing
    assert third.sequences == second.sequences
    assert [r["session_id"] for r in third.cancelled] == ["UE3-main-01"]


def test_export_all_continues_sequences_from_its_state_file(tmp_path) -> None:
    problem = tiny_problem()
    export_all(problem, tiny_solution(1), tmp_path, ("ics",), dtstamp=DTSTAMP)
    changed, day = moved(tiny_solution(1), "UE2-main-02")
    later = datetime(2026, 9, 10, tzinfo=UTC)
    export_all(problem, changed, tmp_path, ("ics",), dtstamp=later)
    events = {prop(e, "UID")[1]: e for e in vevents((tmp_path / "calendars/all.ics").read_bytes())}
    assert prop(events["UE2-main-02@tiny.scheduler"], "SEQUENCE")[1] == "1"
    assert prop(events["UE2-main-02@tiny.scheduler"], "DTSTART")[1] == f"{day:%Y%m%d}T180000"
    assert prop(events["UE1-main-01@tiny.scheduler"], "SEQUENCE")[1] == "0"
    assert read_state(tmp_path / "calendars/sequences.json")["UE2-main-02"]["sequence"] == 1
    # DTSTAMP: when the event was last revised (RFC 5545 3.8.7.2), not every publication's
    assert prop(events["UE2-main-02@tiny.scheduler"], "DTSTAMP")[1] == "20260910T000000Z"
    assert prop(events["UE1-main-01@tiny.scheduler"], "DTSTAMP")[1] == f"{DTSTAMP:%Y%m%dT%H%M%SZ}"
    # LAST-MODIFIED too, which some clients read instead
    for event in events.values():
        assert prop(event, "LAST-MODIFIED")[1] == prop(event, "DTSTAMP")[1]


def test_a_session_that_leaves_a_feed_is_cancelled_there_until_it_comes_back(tmp_path) -> None:
    """Moved to another room (and site), a session stays in the feeds of its groups and
    teachers but must leave its old room's and site's: published there as cancelled, with
    the SEQUENCE and stamp of its move, again at every later publication (unchanged when the
    session changes elsewhere: an audit saw the cancellation re-issued each time), and no
    longer once back."""
    problem, first = tiny_problem(), tiny_solution(1)
    session = next(a for a in first if a.session == "UE1-main-01")
    other = "N-A" if problem.room_site[session.room] == "MONS" else "M-A"
    old_room, old_site = f"room-{session.room}.ics", f"site-{problem.room_site[session.room]}.ics"
    uid = session_uid("tiny", session.session)
    away = tuple(replace(a, room=other) if a is session else a for a in first)

    def seen(feed: str, what: str = "SEQUENCE") -> tuple[str, str] | None:
        events = vevents((tmp_path / "calendars" / feed).read_bytes())
        found = [e for e in events if prop(e, "UID")[1] == uid]
        return (prop(found[0], "STATUS")[1], prop(found[0], what)[1]) if found else None

    export_all(problem, first, tmp_path, ("ics",), dtstamp=DTSTAMP)
    assert seen(old_room) == seen(old_site) == ("CONFIRMED", "0")
    for _ in range(2):  # the move, then the same timetable published again
        export_all(problem, away, tmp_path, ("ics",), dtstamp=DTSTAMP)
        assert seen(old_room) == seen(old_site) == ("CANCELLED", "1")
        assert seen(f"room-{other}.ics") == seen("all.ics") == ("CONFIRMED", "1")
        assert seen("group-COHORT.ics") == seen("teacher-T1.ics") == ("CONFIRMED", "1")
    # another day in its new room: an update everywhere it shows, none where it left
    later = datetime(2026, 9, 12, tzinfo=UTC)
    export_all(problem, moved(away, session.session)[0], tmp_path, ("ics",), dtstamp=later)
    assert seen("all.ics") == seen(f"room-{other}.ics") == ("CONFIRMED", "2")
    assert seen("all.ics", "DTSTAMP") == ("CONFIRMED", "20260912T000000Z")
    assert seen(old_room) == seen(old_site) == ("CANCELLED", "1")
    assert seen(old_room, "DTSTAMP") == ("CANCELLED", f"{DTSTAMP:%Y%m%dT%H%M%SZ}")
    export_all(problem, first, tmp_path, ("ics",), dtstamp=DTSTAMP)  # back where it was
    assert seen(old_room) == ("CONFIRMED", "3")
    assert seen(f"room-{other}.ics") == ("CANCELLED", "3")
    state = read_state(tmp_path / "calendars/sequences.json")
    assert set(state[session.session]["left"]) == {
        f"room-{other}.ics",
        f"site-{problem.room_site[other]}.ics",
    }


def test_a_cancellation_in_a_feed_left_is_sent_again_when_it_reads_otherwise(
    tmp_path, tiny_data: dict
) -> None:
    """Frozen, a left feed's cancellation kept its SEQUENCE while its text followed the
    instance (a review's finding: the old room renamed, the feed's event said the new name
    at the same SEQUENCE). It is sent again at the session's SEQUENCE, raised so that it
    stays the highest any feed shows; the feed left before keeps the row it showed then."""
    problem, first = tiny_problem(), tiny_solution(1)
    session = next(a for a in first if a.session == "UE1-main-01")
    other = "N-A" if problem.room_site[session.room] == "MONS" else "M-A"
    away = tuple(replace(a, room=other) if a is session else a for a in first)
    uid = session_uid("tiny", session.session)

    def seen(feed: str) -> tuple[str, str, str]:
        events = vevents((tmp_path / "calendars" / feed).read_bytes())
        (event,) = [e for e in events if prop(e, "UID")[1] == uid]
        return prop(event, "STATUS")[1], prop(event, "SEQUENCE")[1], prop(event, "LOCATION")[1]

    export_all(problem, first, tmp_path, ("ics",), dtstamp=DTSTAMP)
    export_all(problem, away, tmp_path, ("ics",), dtstamp=DTSTAMP)
    old_room = f"room-{session.room}.ics"
    status, sequence, location = seen(old_room)
    assert (status, sequence) == ("CANCELLED", "1") and "Salle" in location
    for site in tiny_data["sites"]:
        for room in site["rooms"]:
            if room["id"] == session.room:
                room["name"] = "Auditoire Z"
    renamed = problem_of(tiny_data)
    export_all(renamed, away, tmp_path, ("ics",), dtstamp=datetime(2026, 9, 12, tzinfo=UTC))
    status, sequence, location = seen(old_room)
    assert (status, sequence) == ("CANCELLED", "2") and "Auditoire Z" in location
    assert seen("all.ics")[:2] == ("CONFIRMED", "2")  # never below a feed's cancellation
    export_all(renamed, away, tmp_path, ("ics",), dtstamp=datetime(2026, 9, 13, tzinfo=UTC))
    assert seen(old_room)[:2] == ("CANCELLED", "2") and seen("all.ics")[:2] == ("CONFIRMED", "2")
    state = read_state(tmp_path / "calendars/sequences.json")[session.session]
    assert state["left"][old_room]["room"] == session.room  # the row it showed there
    assert state["left_at"][old_room]["dtstamp"] == "20260912T000000Z"


def test_a_vanished_feed_keeps_cancelling_the_row_it_showed() -> None:
    """A session cancelled in a feed whose entity is gone, then moved again: that feed went
    on showing the latest row, cancelled at an unchanged SEQUENCE (a review's finding)."""
    from scheduler.export.revision import departures

    problem, rows = tiny_problem(), tiny_rows(1)
    shown = rows[0]
    key, feed = uid_key(shown), "teacher-GONE.ics"
    moved_once = shown | {"date": "2026-12-01"}
    previous = revise(problem, [moved_once]).state
    previous[key]["left"] = {feed: dict(shown)}
    again = shown | {"date": "2026-12-08"}
    left = departures(problem, [again], previous, {feed: {key}})
    assert left[key][feed] == shown


def test_a_past_event_is_sent_again_when_an_older_state_knows_not_its_title() -> None:
    """A state written before titles were kept: a past event whose text changed cannot be
    frozen as it was shown, so it is sent again (SEQUENCE + 1) rather than changed silently;
    with its title known it keeps SEQUENCE and title."""
    problem, rows = tiny_problem(), tiny_rows(1)
    key = uid_key(rows[0])
    today = date.fromisoformat(rows[0]["date"]) + timedelta(days=1)
    state = revise(problem, rows).state
    state[key] |= {"fingerprint": "shown-otherwise", "summary": "UE1 (1/9)"}
    frozen = revise(problem, rows, state, today)
    assert frozen.sequences[key] == 0 and frozen.titles[key] == "UE1 (1/9)"
    assert frozen.state[key]["summary"] == "UE1 (1/9)"
    older = {k: {f: v for f, v in e.items() if f != "summary"} for k, e in state.items()}
    sent = revise(problem, rows, older, today)
    assert sent.sequences[key] == 1 and key not in sent.titles


def test_a_past_event_moved_by_a_revision_its_subscribers_never_got_is_sent_again() -> None:
    """rev-2 published over the timetable rev-1 revised: an event rev-1 moved, now past,
    kept the SEQUENCE and stamp of its first publication with its new date (an exploratory
    test's finding); only an event still where it was shown is frozen."""
    problem, rows = tiny_problem(), tiny_rows(1)
    key = uid_key(rows[0])
    shown = revise(problem, rows).state
    earlier = date.fromisoformat(rows[0]["date"]) - timedelta(days=7)
    now = [rows[0] | {"date": earlier.isoformat()}, *rows[1:]]
    today = date.fromisoformat(rows[0]["date"]) + timedelta(days=1)
    sent = revise(problem, now, shown, today)
    assert sent.sequences[key] == 1 and key not in sent.titles
    assert sent.state[key]["row"]["date"] == earlier.isoformat()
    renamed = {k: v | {"fingerprint": "other text"} for k, v in shown.items()}
    assert revise(problem, rows, renamed, today).sequences[key] == 0  # in place: frozen


def test_a_fixed_event_day_moved_to_another_day_says_moved_not_cancelled() -> None:
    """Closing notes left it for stops: a fixed event given another day (`event_moved`, the
    international seminar's Saturday moved) read "Annulé : ..." on its old day in every feed,
    as if the event were cancelled. A day only dropped still says "Annulé"; the words stay
    as sent in later revisions."""
    problem, rows = tiny_problem(), tiny_rows(1)
    (day,) = [r for r in rows if r["kind"] == "event"]
    old_key, later = uid_key(day), date.fromisoformat(day["date"]) + timedelta(days=7)
    shown = revise(problem, rows)
    again = [r for r in rows if r is not day] + [day | {"date": later.isoformat()}]
    sent = revise(problem, again, shown.state)
    assert sent.moved_days == {old_key: (later.isoformat(),)}

    def title(revision: Any, now: list[dict[str, str]]) -> str:
        feeds = calendars_for(
            problem,
            now,
            dtstamp=DTSTAMP,
            sequences=revision.sequences,
            cancelled=revision.cancelled,
            titles=revision.titles,
            moved_days=revision.moved_days,
        )
        events = {prop(e, "UID")[1]: e for e in vevents(feeds["group-COHORT.ics"])}
        (event,) = [e for uid, e in events.items() if uid.startswith(old_key)]
        assert prop(event, "STATUS")[1] == "CANCELLED"
        return str(prop(event, "SUMMARY")[1])

    # where it went, for clients that show the cancelled entry alone (a notifying audit)
    went = f"Déplacé au {later.day} septembre 2026 : "
    assert title(sent, again).startswith(went)
    assert title(revise(problem, again, sent.state), again).startswith(went)  # kept
    # a state of an earlier version knows no days: "moved" alone
    old_state = {k: {x: y for x, y in v.items() if x != "moved_to"} for k, v in sent.state.items()}
    assert revise(problem, again, old_state).moved_days == {old_key: ()}
    assert title(revise(problem, again, old_state), again).startswith("Déplacé : ")
    dropped = [r for r in rows if r is not day]
    assert revise(problem, dropped, shown.state).moved_days == {}
    assert title(revise(problem, dropped, shown.state), dropped).startswith("Annulé : ")


def test_a_fixed_event_moved_back_to_its_first_day_says_moved_on_the_day_it_leaves() -> None:
    """An audit: an event moved to another day, then back to its first day (still published,
    cancelled), read "Annulé : ..." on the day it left, as if the event were cancelled: its
    first day, published but not as taking place, counts as a new day."""
    problem, rows = tiny_problem(), tiny_rows(1)
    (day,) = [r for r in rows if r["kind"] == "event"]
    later = day | {"date": (date.fromisoformat(day["date"]) + timedelta(days=7)).isoformat()}
    others = [r for r in rows if r is not day]
    moved = revise(problem, [*others, later], revise(problem, rows).state)
    back = revise(problem, rows, moved.state)
    assert back.moved_days == {uid_key(later): (day["date"],)}
    assert back.state[uid_key(day)]["status"] == "confirmed"


def test_split_events_gives_one_object_per_uid(calendars: dict[str, bytes]) -> None:
    parts = split_events(calendars["group-OPT-A.ics"])
    assert len(parts) == 6
    for uid, data in parts.items():
        (event,) = vevents(data)
        assert prop(event, "UID")[1] == uid
        assert b"BEGIN:VTIMEZONE" in data


def test_sample_instance_calendars(tmp_path) -> None:
    """The full sample: every calendar parses; group calendars hold the group's and ancestors'.
    The greedy's timetable stands in for a solve's (it placed every session at once, where a
    25 s solve made this one of the suite's slowest tests)."""
    problem = Problem.build(load_instance(ROOT / "instances" / "mapemass-2026-27.yaml"))
    timetable = greedy_timetable(problem)
    assert timetable is not None and check(problem, timetable).feasible
    export_all(problem, timetable, tmp_path, ("csv", "ics"), dtstamp=DTSTAMP)
    with (tmp_path / "timetable.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    parent = {g.id: g.part_of for g in problem.instance.groups}
    for group in parent:
        chain, g = set(), group
        while g is not None:
            chain.add(g)
            g = parent[g]
        expected = sum(bool(chain & set(r["groups"].split(";"))) for r in rows)
        data = (tmp_path / f"calendars/group-{group}.ics").read_bytes()
        assert len(vevents(data)) == expected, group
    for path in (tmp_path / "calendars").glob("*.ics"):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert all(
            str(e.decoded("DTSTART").tzinfo) == "Europe/Brussels" for e in cal.walk("VEVENT")
        )
    all_events = icalendar.Calendar.from_ical((tmp_path / "calendars/all.ics").read_bytes())
    assert len(all_events.walk("VEVENT")) == len(rows)
    winter = [e for e in all_events.walk("VEVENT") if e.decoded("DTSTART").month in (12, 1, 2)]
    assert winter and all(e.decoded("DTSTART").utcoffset().total_seconds() == 3600 for e in winter)


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Brussels",
        "America/Toronto",
        "Australia/Lord_Howe",
        "Africa/Casablanca",
        "Asia/Tokyo",
    ],
)
def test_every_reader_gets_the_same_times_in_every_year(tiny_data: dict, zone: str) -> None:
    """vobject (Radicale's parser) read a multi-valued RDATE as its first date: events from
    the second spring on were an hour off. Each reader, from the file's own VTIMEZONE, must
    agree with zoneinfo in every year the calendar covers, either side of each change."""
    tiny_data["timezone"] = zone
    problem = problem_of(tiny_data)
    base = tiny_rows(1)[0]
    days = ["2026-09-15", "2026-12-15", "2027-04-13", "2027-10-26", "2028-04-11", "2028-11-07"]
    rows = [base | {"session_id": f"S{i}", "date": d} for i, d in enumerate(days)]
    data = build_calendar(problem, rows, "x", dtstamp=DTSTAMP)
    local = ZoneInfo(zone)
    want = {
        r["session_id"]: datetime.combine(
            date.fromisoformat(r["date"]), time.fromisoformat(r["start"]), tzinfo=local
        ).astimezone(UTC)
        for r in rows
    }
    # vobject keeps the first VTIMEZONE it read per TZID: forget those of earlier tests
    getattr(vobject.icalendar, "__tzidMap").clear()
    read = vobject.readOne(data.decode("utf-8"))
    by_vobject = {
        e.uid.value.split("@")[0]: e.dtstart.value.astimezone(UTC) for e in read.vevent_list
    }
    assert by_vobject == want
    lib = icalendar.Calendar.from_ical(data)
    by_icalendar = {
        str(e["UID"]).split("@")[0]: e.decoded("DTSTART").astimezone(UTC)
        for e in lib.walk("VEVENT")
    }
    assert by_icalendar == want
    text = data.decode("utf-8")
    assert "RDATE" not in text  # vobject read a list of them as its first date
    if zone in ("Europe/Brussels", "America/Toronto", "Australia/Lord_Howe"):  # yearly rules
        assert text.count("BEGIN:DAYLIGHT") == text.count("BEGIN:STANDARD") == 1
        assert text.count("RRULE:FREQ=YEARLY;") == 2


def test_onsets_are_local_times_before_the_change_with_yearly_rules() -> None:
    tz = vtimezone("Europe/Brussels", date(2026, 1, 1), date(2029, 1, 1))
    parts = {p.name: p for p in tz.walk() if p.name != "VTIMEZONE"}
    # observances start a year early; 2025-03-30 01:00 UTC: 02:00 CET becomes 03:00 CEST;
    # 2025-10-26 01:00 UTC: 03:00 CEST becomes 02:00 CET (RFC 5545 3.6.5: DTSTART is in the
    # offset before the onset)
    assert parts["DAYLIGHT"].decoded("DTSTART").isoformat() == "2025-03-30T02:00:00"
    assert parts["STANDARD"].decoded("DTSTART").isoformat() == "2025-10-26T03:00:00"
    assert parts["DAYLIGHT"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    # Dublin's winter is a "negative summer time" for zoneinfo: STANDARD for clients
    dublin = vtimezone("Europe/Dublin", date(2026, 1, 1), date(2029, 1, 1))
    names = {p.name: str(p["TZNAME"]) for p in dublin.walk() if p.name != "VTIMEZONE"}
    assert names == {"DAYLIGHT": "IST", "STANDARD": "GMT"}


def test_newest_state_supersedes_both_branches_of_a_tie() -> None:
    """Two revisions that changed one event differently, both at SEQUENCE 1: whatever comes
    next must show as an update to the subscribers of either."""
    from scheduler.export.published import newest

    rows = tiny_rows(1)
    key = uid_key(rows[0])
    base = revise(tiny_problem(), rows).state
    a = {key: base[key] | {"sequence": 1, "fingerprint": "aaaa"}}
    b = {key: base[key] | {"sequence": 1, "fingerprint": "bbbb"}}
    merged = newest([base, a, b])
    assert merged[key]["sequence"] == 1 and merged[key]["fingerprint"] == ""
    assert revise(tiny_problem(), rows, merged).sequences[key] == 2
    same = newest([base, a, dict(a)])  # the same entry twice is no conflict
    assert same[key]["fingerprint"] == "aaaa"


def test_a_lost_revision_feed_is_superseded_above_its_parent(tmp_path) -> None:
    """rev-1's calendars were published elsewhere and are gone: its events may have reached
    one more than the timetable it revised, so the stand-in state starts there."""
    import json

    from scheduler.export.published import STATE_FILE, published_state, state_json

    rows = tiny_rows(1)
    pub, rev = tmp_path / "pub", tmp_path / "pub" / "rev-1"
    (pub / "calendars").mkdir(parents=True)
    rev.mkdir()
    state = revise(tiny_problem(), rows).state
    key = uid_key(rows[0])
    state[key]["sequence"] = 3
    (pub / "calendars" / STATE_FILE).write_text(state_json(state), encoding="utf-8")
    (pub / "solution.json").write_text("{}", encoding="utf-8")
    (rev / "timetable.csv").write_text(timetable_csv(rows), encoding="utf-8")
    record = {"revision": {"today": "2026-09-16", "from": str(pub / "solution.json")}}
    (rev / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    stand_in = published_state(tiny_problem(), rev, "calendars")
    assert stand_in[key]["sequence"] == 4 and stand_in[key]["fingerprint"] == ""
    assert revise(tiny_problem(), rows, stand_in).sequences[key] == 5  # an update to all
    other = uid_key(rows[1])
    assert stand_in[other]["sequence"] == 1
    (pub / "calendars" / STATE_FILE).unlink()  # nothing known of the parent: from 0
    assert published_state(tiny_problem(), rev, "calendars")[key]["sequence"] == 0


@pytest.mark.parametrize(
    ("zone", "first", "last"),
    [
        ("America/Asuncion", date(2023, 1, 1), date(2027, 1, 1)),  # summer time ended 2024
        ("America/Mexico_City", date(2021, 6, 1), date(2025, 6, 1)),  # ended 2022
        ("Europe/Brussels", date(2026, 6, 1), date(2028, 6, 1)),  # from mid-year
        ("Australia/Sydney", date(2026, 1, 1), date(2028, 1, 1)),  # summer at the start
    ],
)
def test_vtimezone_read_by_vobject_matches_zoneinfo_every_week(
    zone: str, first: date, last: date
) -> None:
    """A yearly rule must not outlive the zone's: Paraguay's and Mexico's ended within the
    range, and an open-ended RRULE put later events an hour off. The days before the first
    change of the range must be covered too."""
    cal = icalendar.Calendar()
    cal.add("prodid", "x")
    cal.add("version", "2.0")
    cal.add_component(vtimezone(zone, first, last))
    local, want = ZoneInfo(zone), {}
    day = datetime(first.year, first.month, first.day, 19, 0)
    while day.date() <= last:
        event = icalendar.Event()
        event.add("uid", day.isoformat())
        event.add("dtstamp", DTSTAMP)
        event.add("dtstart", day.replace(tzinfo=local))
        cal.add_component(event)
        want[day.isoformat()] = day.replace(tzinfo=local).astimezone(UTC)
        day += timedelta(days=7)
    getattr(vobject.icalendar, "__tzidMap").clear()
    read = vobject.readOne(cal.to_ical().decode("utf-8"))
    assert {e.uid.value: e.dtstart.value.astimezone(UTC) for e in read.vevent_list} == want


def test_a_lost_branch_feed_is_superseded_above_its_siblings(tmp_path) -> None:
    """rev-2 (from pub, superseding rev-1) lost its calendars: its events may have reached one
    above rev-1's, not only above pub's."""
    import json

    from scheduler.export.published import STATE_FILE, published_state, state_json

    rows = tiny_rows(1)
    key = uid_key(rows[0])
    pub = tmp_path / "pub"
    for folder, sequence in ((pub, 0), (pub / "rev-1", 1)):
        (folder / "calendars").mkdir(parents=True)
        state = revise(tiny_problem(), rows).state
        state[key]["sequence"] = sequence
        (folder / "calendars" / STATE_FILE).write_text(state_json(state), encoding="utf-8")
    rev2 = pub / "rev-2"
    rev2.mkdir()
    (rev2 / "timetable.csv").write_text(timetable_csv(rows), encoding="utf-8")
    record = {"revision": {"today": "2026-09-16", "from": str(pub / "solution.json")}}
    (rev2 / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    assert published_state(tiny_problem(), rev2, "calendars")[key]["sequence"] == 2


def test_feeds_written_once_per_event_are_those_written_feed_by_feed(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every feed reuses the bytes of an event another feed of the export wrote (a speed-up):
    its files are byte for byte those written without that memory, through a move (the old
    room's feed cancels the session with its old row under the same UID), a later move and a
    return."""
    problem, first = tiny_problem(), tiny_solution(1)
    session = next(a for a in first if a.session == "UE1-main-01")
    other = "N-A" if problem.room_site[session.room] == "MONS" else "M-A"
    away = tuple(replace(a, room=other) if a is session else a for a in first)
    steps = [first, away, moved(away, session.session)[0], first]

    class Unshared(ics.Serialised):
        def event(self, memo: tuple[object, ...], make: Callable[[], Any]) -> bytes:
            return bytes(make().to_ical())

        def zone(self, problem: Problem, rows: Sequence[dict[str, str]]) -> bytes:
            return bytes(ics._vtimezone(problem, rows).to_ical())

    def published(folder: str, serialised: type[ics.Serialised]) -> list[dict[str, bytes]]:
        monkeypatch.setattr(ics, "Serialised", serialised)
        out = []
        for n, timetable in enumerate(steps):
            stamp = DTSTAMP + timedelta(days=n)
            export_all(problem, timetable, tmp_path / folder, ("ics",), dtstamp=stamp)
            files = sorted((tmp_path / folder / "calendars").glob("*.ics"))
            out.append({f.name: f.read_bytes() for f in files})
        return out

    shared, unshared = published("shared", ics.Serialised), published("unshared", Unshared)
    assert shared == unshared
    assert any(b"STATUS:CANCELLED" in feed for step in shared for feed in step.values())


def test_every_feed_is_what_icalendar_writes_of_it(calendars: dict[str, bytes]) -> None:
    """The feeds are spliced from bytes written once per export (`ics.Serialised`): each is
    byte for byte what icalendar writes of the calendar it reads there (the order of its
    properties and components, folding, escaping)."""
    for name, data in calendars.items():
        assert bytes(icalendar.Calendar.from_ical(data).to_ical()) == data, name


def test_a_student_calendar_of_long_group_ids_still_names_a_file() -> None:
    """Each group id fits a file name (`MAX_FILE_ID`), but a student of two groups with long
    ids got `student-<id>+<id>.ics`, too long for one: the export failed."""
    from scheduler.export.common import Entity
    from scheduler.export.ics import calendar_name
    from scheduler.export.vanished import FEED_NAME

    a, b, c = "A" * 200, "B" * 200, "C" * 200
    names = [calendar_name(Entity("student", f"{a}+{x}", "")) for x in (b, c)]
    for name in names:
        assert len(f".{name}.XXXXXXXX.tmp") <= 255 and FEED_NAME.fullmatch(name), name
        assert name.startswith(f"student-{a}+")
    assert names[0] != names[1]
    assert calendar_name(Entity("student", "OPT-SE+APP1", "")) == "student-OPT-SE+APP1.ics"


def test_a_session_that_left_a_feed_is_said_to_be_elsewhere_not_cancelled(tmp_path) -> None:
    """An audit: a session only moved to another room read "Annulé : ..." in its old room's
    and site's feeds, as if not given at all; it reads as moved there, as on the page."""
    problem, first = tiny_problem(), tiny_solution(1)
    session = next(a for a in first if a.session == "UE1-main-01")
    other = "N-A" if problem.room_site[session.room] == "MONS" else "M-A"
    away = tuple(replace(a, room=other) if a is session else a for a in first)
    export_all(problem, first, tmp_path, ("ics",), dtstamp=DTSTAMP)
    export_all(problem, away, tmp_path, ("ics",), dtstamp=DTSTAMP)
    uid = session_uid("tiny", session.session)

    def title(feed: str) -> str:
        events = vevents((tmp_path / "calendars" / feed).read_bytes())
        return next(prop(e, "SUMMARY")[1] for e in events if prop(e, "UID")[1] == uid)

    assert title(f"room-{session.room}.ics").startswith("Déplacée ailleurs : UE1 · ")
    assert title(f"site-{problem.room_site[session.room]}.ics").startswith("Déplacée ailleurs : ")
    assert not title("all.ics").startswith(("Annulé", "Déplacé"))


@pytest.mark.parametrize(
    ("kind", "head"),
    [
        ("teacher", "Confiée à un collègue : "),
        ("room", "Déplacée ailleurs : "),
        ("group", "Ne figure plus ici : "),
    ],
)
def test_a_departure_is_worded_by_the_kind_of_feed_it_left(kind: str, head: str) -> None:
    rows = tiny_rows(1)
    left = [r for r in rows if r["session_id"] == "UE2-main-02"]
    gone = [r for r in rows if r["session_id"] == "UE2-main-01"]
    kept = [r for r in rows if r["session_id"] not in ("UE2-main-01", "UE2-main-02")]
    data = build_calendar(
        tiny_problem(), kept, "x", dtstamp=DTSTAMP, cancelled=gone, departed=left, kind=kind
    )
    events = {prop(e, "UID")[1]: e for e in vevents(data)}
    assert prop(events["UE2-main-02@tiny.scheduler"], "SUMMARY")[1] == f"{head}UE2 · Option A (2/2)"
    assert prop(events["UE2-main-02@tiny.scheduler"], "STATUS")[1] == "CANCELLED"
    assert (
        prop(events["UE2-main-01@tiny.scheduler"], "SUMMARY")[1] == "Annulée : UE2 · Option A (1/2)"
    )


def test_a_feed_left_keeps_its_cancellation_once_the_session_is_gone(tmp_path) -> None:
    """An audit: a session moved to another room, then dropped, vanished from its old room's
    feed (published there as moved away): a client importing the feed kept it for good."""
    problem, first = tiny_problem(), tiny_solution(1)
    session = next(a for a in first if a.session == "UE1-main-01")
    other = "N-A" if problem.room_site[session.room] == "MONS" else "M-A"
    away = tuple(replace(a, room=other) if a is session else a for a in first)
    gone = tuple(a for a in first if a is not session)
    uid = session_uid("tiny", session.session)

    def seen(feed: str) -> tuple[str, str, str] | None:
        events = vevents((tmp_path / "calendars" / feed).read_bytes())
        found = [e for e in events if prop(e, "UID")[1] == uid]
        keys = ("STATUS", "SEQUENCE", "SUMMARY")
        return tuple(prop(found[0], k)[1] for k in keys) if found else None  # type: ignore[return-value]

    export_all(problem, first, tmp_path, ("ics",), dtstamp=DTSTAMP)
    export_all(problem, away, tmp_path, ("ics",), dtstamp=DTSTAMP)
    left = seen(f"room-{session.room}.ics")
    assert left is not None and left[0] == "CANCELLED" and left[2].startswith("Déplacée ailleurs")
    later = datetime(2026, 9, 12, tzinfo=UTC)
    export_all(problem, gone, tmp_path, ("ics",), dtstamp=later)
    assert seen(f"room-{session.room}.ics") == left  # as it was: nothing to send again
    now = seen(f"room-{other}.ics")
    assert now is not None and now[0] == "CANCELLED" and now[2].startswith("Annulée : ")
