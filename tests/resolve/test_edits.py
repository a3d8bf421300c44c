"""Re-solving after a teacher becomes available (`teacher_available`) or a fixed event moves
(`event_moved`): edits of the instance that a re-solve from a revision can only get as changes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner

from scheduler.check.placed import WEEKDAY_IDS
from scheduler.cli import cli
from scheduler.data.instance_calendar import DateRule
from scheduler.io.instance_io import load_instance
from scheduler.resolve.availability import minus
from scheduler.resolve.change_kinds import TeacherReplaced
from scheduler.resolve.replace_teacher import replace_teacher
from tests.resolve.edits_support import (
    FIRST,
    LAST,
    SLOTS,
    assert_revision_checked,
    csv_rows,
    edits_instance,
    publish_variant,
    resolve_output,
)

PATTERNS = {"tue": ["TUE"], "thu": ["THU"], "sat": ["AM", "PM"]}


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path]:
    return publish_variant(tmp_path, edits_instance(), "edits")


def _matched(rules: list[DateRule]) -> set[tuple[dt.date, str]]:
    """(day, slot) pairs the rules match, and (day, "*") for days a rule covers whole (fixed
    events at any hour)."""
    out = set()
    day = FIRST - dt.timedelta(days=10)
    while day <= LAST + dt.timedelta(days=40):
        weekday = WEEKDAY_IDS[day.weekday()]
        for r in rules:
            out |= {(day, s) for s in PATTERNS.get(weekday, ()) if r.matches(day, weekday, s)}
            if r.slots is None and r.matches(day, weekday, ""):
                out.add((day, "*"))
        day += dt.timedelta(days=1)
    return out


def _random_rule(rng: random.Random) -> DateRule:
    data: dict[str, Any] = {}
    a = FIRST + dt.timedelta(days=rng.randrange(-5, 50))
    b = a + dt.timedelta(days=rng.randrange(0, 20))
    shape = rng.choice(["date", "range", "from", "to", "none"])
    if shape == "date":
        data["date"] = a
    elif shape == "range":
        data["from"], data["to"] = a, b
    elif shape == "from":
        data["from"] = a
    elif shape == "to":
        data["to"] = b
    if rng.random() < 0.4:
        data["weekday"] = rng.choice(["tue", "thu", "sat"])
    if rng.random() < 0.4 or not data:
        data["slots"] = rng.sample(["TUE", "THU", "AM", "PM"], rng.randint(1, 3))
    return DateRule.model_validate(data)


def test_minus_is_exact_on_random_rules() -> None:
    """From first to last, the new rules match what the old one did less what the teacher is
    free in, slot by slot and whole days alike (but for the loss the module says: the hours
    outside every slot of a day freed in some slots only); elsewhere, what the old one did."""
    rng = random.Random(7)
    first = FIRST + dt.timedelta(days=6)
    for _ in range(600):
        unavailable, available = _random_rule(rng), _random_rule(rng)
        pieces = minus(unavailable, available, PATTERNS, first, LAST)
        after = _matched([DateRule.model_validate(r) for r in pieces])
        before, free = _matched([unavailable]), _matched([available])
        case = (unavailable, available, pieces)
        assert {x for x in after if not first <= x[0] <= LAST} == {
            x for x in before if not first <= x[0] <= LAST
        }, case
        inside = {x for x in before if first <= x[0] <= LAST}
        slots_after = {x for x in after if first <= x[0] <= LAST and x[1] != "*"}
        assert slots_after == {x for x in inside if x[1] != "*"} - free, case
        partly = {d for d, s in inside & free if s != "*"}  # days freed in some slots
        for d, s in inside:
            if s == "*" and d not in partly:
                assert ((d, "*") in after) == ((d, "*") not in free), (d, case)
        assert {x for x in after if x[1] == "*"} <= before, case


def test_minus_splits_a_range_around_the_free_days() -> None:
    away = DateRule.model_validate({"from": "2026-10-01", "to": "2026-10-31"})
    free = DateRule.model_validate({"from": "2026-10-06", "to": "2026-10-08"})
    assert minus(away, free, PATTERNS, FIRST, LAST) == [
        {"from": "2026-10-01", "to": "2026-10-05"},
        {"from": "2026-10-09", "to": "2026-10-31"},
    ]


def test_minus_keeps_the_other_slots_of_a_day_freed_in_part() -> None:
    away = DateRule.model_validate({"weekday": "sat"})
    free = DateRule.model_validate({"date": "2026-10-03", "slots": ["AM"]})
    assert minus(away, free, PATTERNS, FIRST, LAST) == [
        {"to": "2026-10-02", "weekday": "sat"},
        {"date": "2026-10-03", "weekday": "sat", "slots": ["PM"]},
        {"from": "2026-10-04", "weekday": "sat"},
    ]


def test_minus_keeps_the_days_without_slots_and_writes_one_rule_a_weekday() -> None:
    """An audit's case: freed on Thursday evening and Saturday morning, T09 stays away on the
    Friday between (a fixed event may fall then) and on Saturday afternoon; freed in every
    Saturday morning of two months, T05's Saturdays stay one rule."""
    away = DateRule.model_validate({"from": "2026-10-05", "to": "2026-10-11"})
    free = DateRule.model_validate(
        {"from": "2026-10-08", "to": "2026-10-10", "slots": ["THU", "AM"]}
    )
    assert minus(away, free, PATTERNS, FIRST, LAST) == [
        {"from": "2026-10-05", "to": "2026-10-07"},
        {"from": "2026-10-08", "to": "2026-10-10", "weekday": "fri"},
        {"from": "2026-10-08", "to": "2026-10-10", "weekday": "sat", "slots": ["PM"]},
        {"date": "2026-10-11"},
    ]
    saturdays = DateRule.model_validate({"weekday": "sat"})
    mornings = DateRule.model_validate({"from": "2026-09-26", "to": "2026-10-24", "slots": ["AM"]})
    assert minus(saturdays, mornings, PATTERNS, FIRST, LAST) == [
        {"to": "2026-09-25", "weekday": "sat"},
        {"from": "2026-09-26", "to": "2026-10-24", "weekday": "sat", "slots": ["PM"]},
        {"from": "2026-10-25", "weekday": "sat"},
    ]


def test_minus_keeps_what_lies_after_the_calendar() -> None:
    """Thesis defences in September, after the calendar's end: an absence there stays."""
    away = DateRule.model_validate({"from": "2026-10-20", "to": "2026-12-31"})
    free = DateRule.model_validate({"date": "2026-10-24"})
    assert minus(away, free, PATTERNS, FIRST, LAST) == [
        {"from": "2026-10-20", "to": "2026-10-23"},
        {"from": "2026-10-25", "to": "2026-12-31"},
    ]


def test_minus_leaves_a_rule_the_teacher_is_not_freed_from() -> None:
    away = DateRule.model_validate({"weekday": "tue"})
    free = DateRule.model_validate({"from": "2026-10-01", "to": "2026-10-03"})  # Thu-Sat
    assert minus(away, free, PATTERNS, FIRST, LAST) == [{"weekday": "tue"}]


# --- teacher_available ---------------------------------------------------------------------


def test_a_visitor_coming_another_week_gets_their_sessions_moved_there(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    before = {r["session_id"]: r["date"] for r in csv_rows(pub) if r["ue"] == "U2"}
    assert all(d <= "2026-09-19" for d in before.values())
    changes = {
        "today": "2026-09-14",
        "changes": [
            {"teacher_unavailable": {"teacher": "V", "from": "2026-09-15", "to": "2026-09-19"}},
            {"teacher_available": {"teacher": "V", "from": "2026-09-29", "to": "2026-10-03"}},
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    after = {r["session_id"]: r["date"] for r in csv_rows(rev) if r["ue"] == "U2"}
    assert all("2026-09-29" <= d <= "2026-10-03" for d in after.values()), after
    assert_revision_checked(inst, rev)
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    visitor = next(t for t in revised["teachers"] if t["id"] == "V")
    assert {"from": "2026-09-29", "to": "2026-10-03"} in visitor["available_only"]
    text = (rev / "changes.md").read_text(encoding="utf-8")
    assert "V available from 2026-09-29 to 2026-10-03" in text
    moved = [line for line in text.splitlines() if line.startswith("| U2-main-")]
    assert len(moved) == 2 and all("V available from" in line for line in moved)


def test_a_teacher_back_earlier_can_teach_in_the_days_they_were_away(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """T1 was away all October; back for 6-15 October, its sessions may be there, and the
    other days of October stay closed to T1."""
    inst, pub = published
    changes = {
        "today": "2026-09-14",
        "changes": [
            {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-15", "to": "2026-09-30"}},
            {"teacher_available": {"teacher": "T1", "from": "2026-10-06", "to": "2026-10-15"}},
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    t1 = [r["date"] for r in csv_rows(rev) if r["teachers"] == "T1"]
    assert len(t1) == 3 and all("2026-10-06" <= d <= "2026-10-15" for d in t1), t1
    assert_revision_checked(inst, rev)
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    t1_rules = next(t for t in revised["teachers"] if t["id"] == "T1")["unavailable"]
    assert {"from": "2026-10-01", "to": "2026-10-05"} in t1_rules
    assert {"from": "2026-10-16", "to": "2026-10-31"} in t1_rules


def test_a_teacher_available_already_is_told_that_nothing_changes(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    changes = {
        "today": "2026-09-14",
        "changes": [{"teacher_available": {"teacher": "T1", "date": "2026-09-22"}}],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert (
        "changes[0] teacher_available: no unavailable rule of T1 covers what it names from today on"
        in output
    )


# --- event_moved ---------------------------------------------------------------------------


def test_a_moved_event_moves_the_sessions_on_its_new_day_and_cancels_its_old_day(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    rows = csv_rows(pub)
    target = next(r for r in rows if r["kind"] == "session" and r["date"] >= "2026-09-22")
    changes = {
        "today": "2026-09-20",
        "changes": [
            {
                "event_moved": {
                    "event": "EV",
                    "dates": [target["date"]],
                    "start": "08:00",
                    "end": "22:00",
                }
            }
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    after = csv_rows(rev)
    assert not any(r["kind"] == "session" and r["date"] == target["date"] for r in after)
    assert [(r["date"], r["start"]) for r in after if r["session_id"] == "EV"] == [
        (target["date"], "08:00")
    ]
    assert_revision_checked(inst, rev)
    text = (rev / "changes.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"| {target['session_id']} "))
    assert "fixed event Journée (EV) moved" in line
    assert "EV (Journée): 2026-10-10 09:00-17:00 at NAMUR -> " in text
    # whom to tell: the event's students, and the moved session's teacher and students
    told = text.split("Whom to tell")[1].splitlines()[2:]
    assert told[0] == "- T1 (no e-mail address in the instance):", told
    assert told[1].startswith(f"  - {target['session_id']}, U1 (") and " -> " in told[1]
    assert told[3:5] == ["- students of C:", told[1]]  # the same words, each item whole
    assert told[5] == (
        f"  - EV (Journée): 2026-10-10 09:00-17:00 at NAMUR -> {target['date']} 08:00-22:00 "
        "at NAMUR"
    )
    feed = icalendar.Calendar.from_ical((rev / "calendars" / "group-C.ics").read_bytes())
    status = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in feed.walk("VEVENT")}
    assert status["EV-20261010"] == "CANCELLED"
    assert status[f"EV-{target['date'].replace('-', '')}"] == "CONFIRMED"


def test_an_event_moved_online_leaves_its_site_and_says_where_it_is(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """A strike closes the building: the day goes online (`site: -`), its rooms with it."""
    inst, pub = published
    moved = {"event": "EV", "site": "-", "location": "En ligne (Teams)"}
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": "2026-09-20", "changes": [{"event_moved": moved}]}
    )
    assert code == 0, output
    rev = pub / "rev-1"
    event = next(e for e in load_instance(rev / "instance.yaml").fixed_events if e.id == "EV")
    assert (event.site, event.rooms, event.location) == (None, (), "En ligne (Teams)")
    assert [r["site"] for r in csv_rows(rev) if r["session_id"] == "EV"] == [""]
    assert "EV (Journée): 2026-10-10 09:00-17:00 at NAMUR -> 2026-10-10 09:00-17:00 at no site" in (
        (rev / "changes.md").read_text(encoding="utf-8")
    )
    feed = icalendar.Calendar.from_ical((rev / "calendars" / "group-C.ics").read_bytes())
    where = {str(e["UID"]).split("@")[0]: str(e.get("LOCATION")) for e in feed.walk("VEVENT")}
    assert where["EV-20261010"] == "En ligne (Teams)"
    assert_revision_checked(inst, rev)
    back = {"event_moved": {"event": "EV", "site": "NAMUR"}}  # its online words go with it
    code, output = resolve_output(
        tmp_path, rev / "instance.yaml", rev, {"today": "2026-09-21", "changes": [back]}
    )
    assert code == 0, output
    (again,) = [p for p in pub.iterdir() if p.name.startswith("rev-") and p != rev]
    event = next(e for e in load_instance(again / "instance.yaml").fixed_events if e.id == "EV")
    assert (event.site, event.location) == ("NAMUR", "")
    moved["rooms"] = ["N1"]  # rooms, but no site: refused, the change named
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": "2026-09-21", "changes": [{"event_moved": moved}]}
    )
    assert code == 2, output
    assert "changes[0]" in output and "given, but no site" in output


def test_an_event_whose_days_are_cancelled_can_get_days_again_in_a_later_re_solve(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """The event stays in the revision's instance, without days (its precedence then asks
    nothing), so that a re-solve from that revision can give it days again."""
    inst, pub = published
    changes = {"today": "2026-09-20", "changes": [{"event_moved": {"event": "DEPOT", "dates": []}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev1 = pub / "rev-1"
    revised = yaml.safe_load((rev1 / "instance.yaml").read_text(encoding="utf-8"))
    depot = next(e for e in revised["fixed_events"] if e["id"] == "DEPOT")
    assert depot["dates"] == [] and revised["precedences"] == [{"before": "U1", "after": "DEPOT"}]
    assert not any(r["session_id"] == "DEPOT" for r in csv_rows(rev1))
    assert_revision_checked(inst, rev1)
    # changes.csv says it too (an audit's cancelled defence day was in changes.md only)
    with (rev1 / "changes.csv").open(encoding="utf-8") as handle:
        depot_rows = [r for r in csv.DictReader(handle) if r["session"] == "DEPOT"]
    before = next(r for r in csv_rows(pub) if r["session_id"] == "DEPOT")
    assert [(r["what"], r["before_date"], r["after_date"], r["cause"]) for r in depot_rows] == [
        ("cancelled", before["date"], "", "event_moved event=DEPOT dates=[]")
    ]
    assert (depot_rows[0]["before_start"], depot_rows[0]["before_site"]) == (
        before["start"],
        before["site"],
    )
    assert (depot_rows[0]["ue"], depot_rows[0]["groups"]) == ("", before["groups"])
    back = {
        "today": "2026-09-21",
        "changes": [{"event_moved": {"event": "DEPOT", "dates": ["2026-10-29"]}}],
    }
    code, output = resolve_output(tmp_path, inst, rev1, back)
    assert code == 0, output
    rows = csv_rows(pub / "rev-2")
    assert [r["date"] for r in rows if r["session_id"] == "DEPOT"] == ["2026-10-29"]
    assert all(r["date"] < "2026-10-29" for r in rows if r["ue"] == "U1")
    assert_revision_checked(inst, pub / "rev-2")


def test_a_session_a_precedence_moves_with_the_event_names_the_move_as_its_cause(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """U1 before DEPOT: DEPOT moved before U1's last session moves it, for that reason (the
    first session may then move too, to stay before it: a knock-on)."""
    inst, pub = published
    last = max(r["date"] for r in csv_rows(pub) if r["ue"] == "U1")
    day = dt.date.fromisoformat(last) - dt.timedelta(days=1)
    changes = {
        "today": "2026-09-15",
        "changes": [{"event_moved": {"event": "DEPOT", "dates": [day.isoformat()]}}],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    text = (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("| U1-main-02 "))
    assert line.endswith(f"| fixed event DEPOT moved: days from today on {day} |"), line
    with (pub / "rev-1" / "changes.csv").open(encoding="utf-8") as handle:
        rows = {r["session"]: r for r in csv.DictReader(handle)}
    assert rows["U1-main-02"]["cause"] == f"event_moved event=DEPOT dates={day.isoformat()}"
    # the event's own row gives its change so too (an audit: "the changes' event_moved")
    assert rows["DEPOT"]["cause"] == f"event_moved event=DEPOT dates={day.isoformat()}"
    assert rows["DEPOT"]["cause_in_words"] == f"fixed event DEPOT moved: days from today on {day}"
    event = next(x for x in text.splitlines() if x.startswith("- DEPOT"))  # changes.md too
    assert event.endswith(f"(fixed event DEPOT moved: days from today on {day})"), event


def test_an_event_moved_into_a_closed_or_small_room_is_warned_of(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    data = edits_instance()
    data["sites"][0]["rooms"].append(
        {"id": "M2", "capacity": 8, "unavailable": [{"date": "2026-10-17"}]}
    )
    inst, out = publish_variant(tmp_path, data, "edits2")
    move = {"event": "EV", "dates": ["2026-10-17"], "site": "MONS", "rooms": ["M2"]}
    code, output = resolve_output(
        tmp_path, inst, out, {"today": "2026-09-20", "changes": [{"event_moved": move}]}
    )
    assert code == 0, output
    assert "fixed event EV is in room M2 on" in output and "when the room is unavailable" in output
    assert "fixed event EV has 20 students (its groups) and 8 seats in its rooms (M2)" in output


@pytest.mark.parametrize(
    ("today", "moved", "message"),
    [
        (
            "2026-10-20",
            {"event": "EV", "site": "MONS"},
            "changes[0] event_moved: fixed event 'EV' took place on 2026-10-10 already: its "
            "site cannot change (only its days from today on can)",
        ),
        (
            "2026-10-20",
            {"event": "EV", "dates": ["2026-10-17"]},
            "changes[0] event_moved dates: 2026-10-17 is before today 2026-10-20",
        ),
        ("2026-09-20", {"event": "NOPE", "dates": ["2026-10-17"]}, "unknown fixed event 'NOPE'"),
        ("2026-09-20", {"event": "EV"}, "give at least one of dates, start, end, site, rooms"),
        # merged unsaid: an audit's two-day seminar became one day (06-18 twice for 06-18/19)
        (
            "2026-09-20",
            {"event": "EV", "dates": ["2026-10-17", "2026-10-17"]},
            "changes[0] event_moved dates: '2026-10-17' is listed more than once",
        ),
        (
            "2026-09-20",
            {"event": "EV", "rooms": ["N1", "N1"]},
            "changes[0] event_moved rooms: 'N1' is listed more than once",
        ),
        (
            "2026-09-20",
            {"event": "EV", "rooms": ["M1"]},
            "changes[0] event_moved: fixed event 'EV' rooms: room 'M1' is at MONS, not at the event's "
            "site NAMUR",
        ),
        (
            "2026-09-20",
            {"event": "EV", "site": "LIEGE"},
            "changes[0] event_moved: fixed event 'EV' site: unknown site 'LIEGE'",
        ),
        (
            "2026-09-20",
            {"event": "EV", "start": "18:00", "end": "09:00"},
            "changes[0] event_moved: end 09:00 is not after start 18:00",
        ),
        # on today itself, as for sessions (an audit's were added and moved unsaid)
        (
            "2026-10-03",
            {"event": "EV", "dates": ["2026-10-03", "2026-10-10"]},
            "changes[0] event_moved dates: 2026-10-03 is today: a day cannot be added on today "
            "itself (nobody could be told in time)",
        ),
        (
            "2026-10-10",
            {"event": "EV", "site": "MONS"},
            "changes[0] event_moved: fixed event 'EV' takes place today (2026-10-10): its site "
            "cannot change on today itself",
        ),
    ],
)
def test_an_event_move_the_past_or_the_data_forbid_is_refused(
    tmp_path: Path, published: tuple[Path, Path], today: str, moved: dict[str, Any], message: str
) -> None:
    inst, pub = published
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": today, "changes": [{"event_moved": moved}]}
    )
    assert code == 2, output
    assert message in output
    assert "Traceback" not in output
    assert not (pub / "rev-1").exists()


def test_the_kinds_are_listed_when_a_change_has_none() -> None:
    from scheduler.resolve.changes import Change

    with pytest.raises(ValueError) as caught:
        Change.model_validate({})
    for kind in ("cancelled", "teacher_available", "event_moved", "dropped"):
        assert kind in str(caught.value)


def test_an_event_moved_to_another_site_leaves_its_rooms(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    data = edits_instance()
    data["fixed_events"][0]["rooms"] = ["N1"]
    inst, out = publish_variant(tmp_path, data, "rooms")
    move = {"today": "2026-09-20", "changes": [{"event_moved": {"event": "EV", "site": "MONS"}}]}
    code, output = resolve_output(tmp_path, inst, out, move)
    assert code == 0, output
    revised = yaml.safe_load((out / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    event = next(e for e in revised["fixed_events"] if e["id"] == "EV")
    assert (event["site"], event.get("rooms", [])) == ("MONS", [])
    assert [r["site"] for r in csv_rows(out / "rev-1") if r["session_id"] == "EV"] == ["MONS"]
    with (out / "rev-1" / "changes.csv").open(encoding="utf-8") as handle:
        ev = [r for r in csv.DictReader(handle) if r["session"] == "EV"]
    assert [(r["what"], r["before_site"], r["after_site"], r["before_room"]) for r in ev] == [
        ("moved", "NAMUR", "MONS", "N1")
    ]


# --- dropped -------------------------------------------------------------------------------


def test_a_dropped_session_renumbers_its_siblings_but_never_resends_the_past(
    tmp_path: Path,
) -> None:
    """The calendar audit dropped the last session of a series: the titles of its siblings
    go from 'n/3' to 'n/2', and every one of them got a higher SEQUENCE and a new DTSTAMP,
    those already given too (112 updates in 16 feeds). A session before today keeps its
    SEQUENCE, stamp and title ('1/3', as its subscribers hold it: a client refreshing the
    whole feed would otherwise show '1/2' unannounced); one to come is sent again with its
    new title."""
    data = edits_instance()
    data["ues"][0]["sessions"] = [{"count": 3, "min_days_between": 6}]
    data["teachers"][0]["name"] = "Anne Lambert"
    data["groups"][0]["name"] = "Cohorte"
    inst, pub = publish_variant(tmp_path, data, "renumbered")
    dates = {r["session_id"]: r["date"] for r in csv_rows(pub) if r["kind"] == "session"}
    today = dt.date.fromisoformat(dates["U1-main-01"]) + dt.timedelta(days=1)
    assert dates["U1-main-02"] > today.isoformat()
    drop = {"today": today.isoformat(), "changes": [{"dropped": {"session": "U1-main-03"}}]}
    code, output = resolve_output(tmp_path, inst, pub, drop)
    assert code == 0, output
    text = (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")
    row = next(x for x in text.splitlines() if x.startswith("| U1-main-03 "))
    assert "Anne Lambert (T1), Cohorte (C)" in row, row  # by name, as the other rows (an audit)

    def state(folder: Path) -> dict[str, Any]:
        text = (folder / "calendars" / "sequences.json").read_text(encoding="utf-8")
        sessions = json.loads(text)["sessions"]
        return {k: v for k, v in sessions.items() if k.startswith("U1-main")}

    before, after = state(pub), state(pub / "rev-1")
    assert after["U1-main-01"]["sequence"] == before["U1-main-01"]["sequence"] == 0
    assert after["U1-main-01"]["dtstamp"] == before["U1-main-01"]["dtstamp"]
    assert after["U1-main-02"]["sequence"] == before["U1-main-02"]["sequence"] + 1  # '2/2'
    assert after["U1-main-03"]["status"] == "cancelled"
    assert after["U1-main-01"]["summary"] == before["U1-main-01"]["summary"]

    def titles(folder: Path) -> dict[str, str]:
        feed = icalendar.Calendar.from_ical((folder / "calendars" / "all.ics").read_bytes())
        return {str(e["UID"]).split("@")[0]: str(e["SUMMARY"]) for e in feed.walk("VEVENT")}

    published, revised = titles(pub), titles(pub / "rev-1")
    assert published["U1-main-01"].endswith("(1/3)") and published["U1-main-02"].endswith("(2/3)")
    assert revised["U1-main-01"] == published["U1-main-01"]  # the past, as it was given
    assert revised["U1-main-02"].endswith("(2/2)")
    # a second re-solve from rev-1 keeps that title too (it is in rev-1's state)
    later = {"today": today.isoformat(), "changes": []}
    code, output = resolve_output(tmp_path, inst, pub / "rev-1", later)
    assert code == 0, output
    assert titles(pub / "rev-2")["U1-main-01"] == published["U1-main-01"]


def test_a_dropped_session_is_not_placed_again_and_its_series_keeps_its_numbers(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    changes = {"today": "2026-09-14", "changes": [{"dropped": {"session": "U1-main-01"}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    sessions = {r["session_id"]: r for r in csv_rows(rev) if r["kind"] == "session"}
    assert "U1-main-01" not in sessions and sessions["U1-main-02"]["session_no"] == "2"
    assert "names a dropped session" not in output  # the precedence names the UE: it stays
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    assert revised["dropped"] == ["U1-main-01"]
    assert revised["precedences"] == [{"before": "U1", "after": "DEPOT"}]
    assert_revision_checked(inst, rev)
    text = (rev / "changes.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("| U1-main-01 "))
    assert "| removed | U1-main-01 dropped (not given) |" in line
    feed = icalendar.Calendar.from_ical((rev / "calendars" / "group-C.ics").read_bytes())
    status = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in feed.walk("VEVENT")}
    assert status["U1-main-01"] == "CANCELLED"
    # the checker refuses the session if a timetable still places it
    result = CliRunner().invoke(cli, ["check", str(rev / "instance.yaml"), str(pub), "--json"])
    assert result.exit_code == 1
    assert any(
        v["rule"] == "placement" and "U1-main-01" in v["entities"]
        for v in json.loads(result.stdout)["violations"]
    )


def test_a_precedence_naming_a_dropped_session_goes_and_is_said(tmp_path: Path) -> None:
    data = edits_instance()
    data["precedences"] = [{"before": "U1-main-02", "after": "DEPOT"}]
    inst, out = publish_variant(tmp_path, data, "prec")
    drop = {"today": "2026-09-14", "changes": [{"dropped": {"session": "U1-main-02"}}]}
    code, output = resolve_output(tmp_path, inst, out, drop)
    assert code == 0, output
    assert "the precedence U1-main-02 before DEPOT goes: it names a dropped session" in output
    text = (out / "rev-1" / "changes.md").read_text(encoding="utf-8")
    assert "the precedence U1-main-02 before DEPOT goes: it names a dropped session" in text
    revised = yaml.safe_load((out / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    assert revised.get("precedences", []) == [] and revised["dropped"] == ["U1-main-02"]
    again = {"today": "2026-09-14", "changes": [{"cancelled": {"session": "U1-main-02"}}]}
    code, output = resolve_output(tmp_path, inst, out / "rev-1", again)
    assert code == 2
    assert "changes[0] cancelled: U1-main-02 was dropped by an earlier re-solve" in output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            [{"dropped": {"session": "U1-main-01"}}, {"cancelled": {"session": "U1-main-01"}}],
            "changes[1] cancelled: session 'U1-main-01' is already dropped by changes[0]",
        ),
        (
            [{"dropped": {"session": "U9-main-01"}}],
            "changes[0] dropped: unknown session 'U9-main-01'",
        ),
        (  # the first bad change is said, whatever their kinds (an audit got changes[1])
            [
                {"cancelled": {"session": "U9-main-99"}},
                {"room_unavailable": {"room": "NOPE", "date": "2026-10-01"}},
            ],
            "changes[0] cancelled: unknown session 'U9-main-99'",
        ),
        (  # a number's zero left out: its fix, as kinds and fields get (an audit)
            [{"cancelled": {"session": "U1-main-1"}}],
            "changes[0] cancelled: unknown session 'U1-main-1' (did you mean 'U1-main-01'?)",
        ),
    ],
)
def test_a_dropped_session_must_be_one_still_to_give(
    tmp_path: Path, published: tuple[Path, Path], changes: list[Any], message: str
) -> None:
    inst, pub = published
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-14", "changes": changes})
    assert code == 2 and message in output, output


def test_a_session_dated_before_today_that_did_not_take_place_can_be_dropped(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """A session of last week that did not take place and will not be made up: `dropped` was
    refused ("took place"), and `cancelled` with `dropped` too, so staff published a make-up
    date in one re-solve and withdrew it in the next (a docs audit). Its event is published
    as cancelled; the other sessions before today stay as they were."""
    inst, pub = published
    rows = sorted((r for r in csv_rows(pub) if r["kind"] == "session"), key=lambda r: r["date"])
    # the second session dropped, today after the third: sessions before today on both sides
    first, last_past = rows[1], rows[2]
    assert first["date"] > rows[0]["date"]
    day = dt.date.fromisoformat(last_past["date"]) + dt.timedelta(days=1)
    sid = first["session_id"]
    changes = {"today": day.isoformat(), "changes": [{"dropped": {"session": sid}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert (
        f"{sid} was published for {first['date']}, before today: it is recorded as not given"
        in output
    )
    rev = pub / "rev-1"
    after = {r["session_id"]: r for r in csv_rows(rev) if r["kind"] == "session"}
    assert sid not in after
    kept = [r for r in rows if r["date"] < day.isoformat() and r["session_id"] != sid]
    assert len(kept) >= 2  # the rest of the past, as published
    for row in kept:
        assert (after[row["session_id"]]["date"], after[row["session_id"]]["room"]) == (
            row["date"],
            row["room"],
        )
    assert_revision_checked(inst, rev)
    feed = icalendar.Calendar.from_ical((rev / "calendars" / "all.ics").read_bytes())
    event = next(e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(f"{sid}@"))
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) >= 1
    line = next(
        x
        for x in (rev / "changes.md").read_text(encoding="utf-8").splitlines()
        if x.startswith(f"| {sid} ")
    )
    assert f"| removed | {sid} dropped (not given) |" in line


def test_solver_and_checker_count_an_even_spread_without_the_dropped_session(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """`ue_spread`'s even gap divides by the sessions left to give, in the model and in the
    checker alike (a dropped session of 3: span // 2)."""
    ue = tiny_data["ues"][0]
    ue["even_spread"] = True
    ue["sessions"][0]["count"] = 3
    ue["sessions"][0]["min_days_between"] = 0
    tiny_data["dropped"] = [f"{ue['id']}-main-02"]
    tiny_data["pins"] = [  # 2 days apart: short of span // 2 = 6 by 4 (of span // 3 by 2)
        {"session": f"{ue['id']}-main-01", "date": "2026-09-15"},
        {"session": f"{ue['id']}-main-03", "date": "2026-09-17"},
    ]
    inst = tmp_path / "spread.yaml"
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    out = tmp_path / "out"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    document = json.loads((out / "solution.json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(cli, ["check", str(inst), str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["objective"] == document["objective"]
    assert report["costs"]["ue_spread"] == document["costs"]["ue_spread"]
    placed = sorted(a["date"] for a in document["assignments"] if a["session"].startswith(ue["id"]))
    assert len(placed) == 2
    span = (dt.date(2026, 9, 26) - dt.date(2026, 9, 15)).days + 1  # tiny's calendar
    apart = (dt.date.fromisoformat(placed[1]) - dt.date.fromisoformat(placed[0])).days
    assert apart == 2
    assert report["costs"]["ue_spread"] == (span // 2 - apart) * tiny_data.get("weights", {}).get(
        "ue_spread", 1
    )


def test_dropping_a_whole_series_takes_its_precedences_and_pins_with_it(tmp_path: Path) -> None:
    """An audit dropped the only session of a series a precedence named (by the series):
    the re-solve was refused as 'unknown UE, series, session'; a pin went silently."""
    data = edits_instance()
    data["precedences"] = [{"before": "U2-main", "after": "DEPOT"}]
    data["pins"] = [{"session": "U2-main-02", "site": "MONS"}]
    inst, out = publish_variant(tmp_path, data, "whole")
    drop = {
        "today": "2026-09-14",
        "changes": [{"dropped": {"session": f"U2-main-0{n}"}} for n in (1, 2)],
    }
    code, output = resolve_output(tmp_path, inst, out, drop)
    assert code == 0, output
    assert "the pin of U2-main-02 goes with the session (dropped)" in output
    assert (
        "the precedence U2-main before DEPOT goes: it names a series or UE left without sessions"
        in output
    )
    assert "moved      0 sessions, 2 sessions removed" in output
    revised = yaml.safe_load((out / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    assert revised.get("pins", []) == [] and revised.get("precedences", []) == []
    assert_revision_checked(inst, out / "rev-1")


def test_after_a_drop_titles_give_the_place_among_the_sessions_left(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit saw 'UE3-main-08 (8/7)' after a drop: the place is among the sessions given."""
    inst, pub = published
    changes = {"today": "2026-09-14", "changes": [{"dropped": {"session": "U1-main-01"}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    feed = icalendar.Calendar.from_ical((pub / "rev-1" / "calendars" / "group-C.ics").read_bytes())
    titles = {str(e["UID"]).split("@")[0]: str(e["SUMMARY"]) for e in feed.walk("VEVENT")}
    # the one left is its series' only session: no count ("(1/1)" read as noise: an audit)
    assert titles["U1-main-02"].endswith("U1"), titles["U1-main-02"]
    # the dropped one keeps the place it was published with (an audit: it lost its count)
    assert titles["U1-main-01"].endswith("(1/2)"), titles["U1-main-01"]
    assert titles["U1-main-01"].startswith("Annulée : ") or titles["U1-main-01"].startswith(
        "Cancelled: "
    )


def test_a_partial_event_move_says_which_days_go_and_which_stay(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    data = edits_instance()
    data["fixed_events"][0]["dates"] = ["2026-10-10", "2026-10-17"]
    inst, out = publish_variant(tmp_path, data, "two-days")
    move = {
        "today": "2026-09-20",
        "changes": [{"event_moved": {"event": "EV", "dates": ["2026-10-17"]}}],
    }
    code, output = resolve_output(tmp_path, inst, out, move)
    assert code == 0, output
    assert (
        "EV (Journée): 2026-10-10 09:00-17:00 at NAMUR cancelled; kept: "
        "2026-10-17 09:00-17:00 at NAMUR" in output
    )


def test_a_branch_superseding_a_revision_lists_its_event_days_and_hours(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit branched off an older timetable: the section against the superseded revision
    left out the event days it undoes, and gave a slot id instead of hours for a session
    this instance lacks."""
    inst, pub = published
    first = [
        {"add_sessions": {"ue": "U2", "count": 1}},
        {"event_moved": {"event": "EV", "dates": ["2026-10-24"]}},
    ]
    section = _superseded_section(tmp_path, inst, pub, "2026-09-14", first)
    line = next(x for x in section.splitlines() if x.startswith("| U2-main-03 "))
    added = next(r for r in csv_rows(pub / "rev-1") if r["session_id"] == "U2-main-03")
    assert f"{added['start']}-{added['end']}" in line, line
    assert "Fixed events against rev-1:" in section
    assert (
        "EV (Journée): 2026-10-24 09:00-17:00 at NAMUR -> 2026-10-10 09:00-17:00 at NAMUR"
        in section
    )


def _superseded_section(
    tmp_path: Path, inst: Path, pub: Path, today: str, changes: list[Any]
) -> str:
    """rev-1 from `pub` with `changes`, then rev-2 from `pub` again without them: rev-2's
    changes.md section against rev-1, the revision it supersedes."""
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": changes})
    assert code == 0, output
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": []})
    assert code == 0, output
    text = (pub / "rev-2" / "changes.md").read_text(encoding="utf-8")
    return text[text.index("Against rev-1") :]


def test_a_re_solve_without_timetable_recalls_the_changes_given(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit's event move left no timetable: the why named a pin and a precedence, not
    the move that caused it; the changes given are now recalled beside it."""
    inst, pub = published
    away = {"teacher_unavailable": {"teacher": "V", "from": "2026-09-15", "to": "2026-09-19"}}
    gone = {"teacher_unavailable": {"teacher": "V", "from": "2026-09-10", "to": "2026-09-11"}}
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": "2026-09-14", "changes": [gone, away]}
    )
    assert code == 1, output
    # numbered as in the file (as its errors are), without the change wholly past
    assert "the changes given: changes[1] V unavailable from 2026-09-15 to 2026-09-19\n" in output
    assert not (pub / "rev-1").exists()


# --- teacher_replaced: another teacher gives a teacher's sessions from today on ---------------


def _with_substitute(tmp_path: Path, **substitute: Any) -> tuple[Path, Path, dict[str, str]]:
    """The instance with a teacher T2 (`substitute`: their other fields), solved; and the
    published dates of U1's two sessions."""
    data = edits_instance()
    data["teachers"].append({"id": "T2", **substitute})
    inst, pub = publish_variant(tmp_path, data, "subst")
    dates = {r["session_id"]: r["date"] for r in csv_rows(pub) if r["session_id"].startswith("U1-")}
    assert dates["U1-main-01"] < dates["U1-main-02"]  # so that today can fall between them
    return inst, pub, dates


def _status(feed: Path) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in calendar.walk("VEVENT")}


def test_a_teacher_replaced_on_a_series_leaves_the_sessions_still_to_give(
    tmp_path: Path,
) -> None:
    inst, pub, dates = _with_substitute(tmp_path, name="Marc Dupont", email="marc@example.org")
    today = dates["U1-main-02"]
    replaced = {"teacher_replaced": {"teacher": "T1", "by": "T2", "series": "U1-main"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [replaced]})
    assert code == 0, output
    assert "0 sessions, 1 session given another teacher in place" in output
    # the console says how many to tell, and whom changes.md has no address for
    assert 'tell       2 teachers and 1 group (changes.md\'s "Whom to tell"' in output
    assert "  without an e-mail address in the instance: T1\n" in output
    rev = pub / "rev-1"
    assert_revision_checked(inst, rev)
    teachers = {r["session_id"]: r["teachers"] for r in csv_rows(rev) if r["kind"] == "session"}
    # the session given keeps its teacher, the other series of T1 (U3) too
    assert (teachers["U1-main-01"], teachers["U1-main-02"], teachers["U3-main-01"]) == (
        "T1",
        "T2",
        "T1",
    )
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    assert revised["ues"][0]["sessions"][0]["teachers"] == ["T2"]  # sessions added later: T2's
    assert revised["session_teachers"] == [{"session": "U1-main-01", "teachers": ["T1"]}]
    line = next(
        x
        for x in (rev / "changes.md").read_text(encoding="utf-8").splitlines()
        if "U1-main-02" in x
    )
    # named as people know them (T1 has no name: its id); the change column stays short
    cause = "T1 replaced by Marc Dupont (T2) in series U1-main from today on"
    assert f"| teacher (T1 -> T2) | {cause} |" in line
    # whom to tell: the teacher it was taken from, the one it went to, its students
    text = (rev / "changes.md").read_text(encoding="utf-8")
    told = text.split("Whom to tell")[1].splitlines()[2:]
    item = told[1]  # given today: said first, to be told now (not only on the console)
    assert item.startswith("  - TODAY, tell them now: U1-main-02, U1 (2/2): ") and today in item
    assert item.endswith("; taught by Marc Dupont (T2) instead of T1")
    assert told == [
        "- T1 (no e-mail address in the instance):", item, "",
        "- Marc Dupont (T2) <marc@example.org>:", item, "",
        "- students of C:", item,
    ]  # fmt: skip
    calendars = rev / "calendars"
    assert _status(calendars / "teacher-T1.ics")["U1-main-02"] == "CANCELLED"
    assert _status(calendars / "teacher-T2.ics")["U1-main-02"] == "CONFIRMED"
    assert "U1-main-01" not in _status(calendars / "teacher-T2.ics")
    # a later re-solve's added session is the new teacher's
    more = {"add_sessions": {"ue": "U1", "count": 1}}
    code, output = resolve_output(
        tmp_path, rev / "instance.yaml", rev, {"today": today, "changes": [more]}
    )
    assert code == 0, output
    rows = {
        r["session_id"]: r["teachers"] for r in csv_rows(pub / "rev-2") if r["kind"] == "session"
    }
    assert rows["U1-main-03"] == "T2" and rows["U1-main-01"] == "T1"


def test_a_substitute_unavailable_then_moves_the_session_for_the_change(tmp_path: Path) -> None:
    data = edits_instance()
    data["teachers"].append({"id": "T2"})
    inst, pub = publish_variant(tmp_path, data, "busy")
    second = next(r for r in csv_rows(pub) if r["session_id"] == "U1-main-02")
    busy = yaml.safe_load(inst.read_text(encoding="utf-8"))
    busy["teachers"][-1]["unavailable"] = [{"date": second["date"]}]
    inst.write_text(yaml.safe_dump(busy), encoding="utf-8")  # known to T2, unknown to T1
    published = {r["session_id"]: r["date"] for r in csv_rows(pub)}
    today = min(published["U1-main-02"], published["U3-main-01"])
    one = {"teacher_replaced": {"teacher": "T1", "by": "T2", "sessions": ["U1-main-02"]}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [one]})
    assert code == 0, output
    rev = pub / "rev-1"
    moved = next(r for r in csv_rows(rev) if r["session_id"] == "U1-main-02")
    assert moved["date"] != second["date"] and moved["teachers"] == "T2"
    with (rev / "changes.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["session"] == "U1-main-02")
    assert row["what"].endswith("+teacher") and row["cause"].startswith("teacher_replaced")
    assert (row["before_teachers"], row["after_teachers"]) == ("T1", "T2")
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    # one session named: the series keeps its teachers, that session gets its own
    assert "teachers" not in revised["ues"][0]["sessions"][0]
    assert revised["session_teachers"] == [{"session": "U1-main-02", "teachers": ["T2"]}]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"teacher": "T1", "by": "T9"}, "changes[0] teacher_replaced by: unknown teacher 'T9'"),
        ({"teacher": "T1", "by": "T1"}, "is the teacher replaced"),
        ({"teacher": "T1", "ue": "U1", "series": "U1-main"}, "at most one of ue, series, sessions"),
        ({"teacher": "T1", "series": "U9-main"}, "series: unknown series 'U9-main'"),
        ({"teacher": "T1", "sessions": ["U2-main-01"]}, "U2-main-01 is not taught by T1"),
        ({"teacher": "T1", "sessions": ["U1-main-01"]}, "U1-main-01 took place already"),
        (
            {"teacher": "T1", "by": "V", "sessions": ["U1-main-02", "U1-main-02"]},
            "sessions: 'U1-main-02' is listed more than once",
        ),
    ],
)
def test_a_teacher_replacement_that_cannot_be_done_is_refused(
    tmp_path: Path, published: tuple[Path, Path], body: dict[str, Any], expected: str
) -> None:
    inst, pub = published
    today = next(r["date"] for r in csv_rows(pub) if r["session_id"] == "U1-main-01")
    later = (dt.date.fromisoformat(today) + dt.timedelta(days=1)).isoformat()
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": later, "changes": [{"teacher_replaced": body}]}
    )
    assert code == 2, output
    assert expected in output


def test_session_teachers_give_a_session_its_own_teachers(tmp_path: Path) -> None:
    data = edits_instance()
    data["teachers"].append({"id": "T2", "unavailable": [{"weekday": "sat"}]})
    data["session_teachers"] = [{"session": "U1-main-02", "teachers": ["T2"]}]
    inst, pub = publish_variant(tmp_path, data, "guest")
    row = next(r for r in csv_rows(pub) if r["session_id"] == "U1-main-02")
    assert row["teachers"] == "T2" and row["weekday"] != "sat"
    data["session_teachers"] = [{"session": "U1-main-02", "teachers": ["T7"]}]
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "session_teachers[0] teachers: unknown teacher 'T7'" in result.output


# --- today: nothing moves to today, a cancelled session comes back after it -----------------


def test_no_session_is_moved_or_placed_again_on_today_itself(tmp_path: Path) -> None:
    """An audit's re-solve placed a session cancelled in the morning slot again in the
    afternoon of today, and moved another onto today: too late for anyone to be told."""
    data = edits_instance()
    data["ues"] = [
        {
            "id": "U1",
            "teachers": ["T1"],
            "groups": ["C"],
            "window": {"from": "2026-09-15", "to": "2026-09-26"},
            "sessions": [{"count": 1}],
        },
    ]
    data["fixed_events"], data["precedences"] = [], []
    data["pins"] = [{"session": "U1-main-01", "date": "2026-09-26", "slot": "AM"}]
    inst, pub = publish_variant(tmp_path, data, "today")
    changes = {"today": "2026-09-26", "changes": [{"cancelled": {"session": "U1-main-01"}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    # the afternoon of today was free: only the new rule keeps the session from it
    assert code == 1, output
    assert "its window ends 2026-09-26, today, and no session can move to today" in output
    assert not (pub / "rev-1").exists()


def test_a_session_published_today_may_stay_but_nothing_else_may_start_today() -> None:
    from scheduler.resolve.apply import Revision
    from scheduler.solution import Assignment

    today = dt.date(2026, 9, 26)
    tonight = Assignment("A-main-01", today, "AM", "M1")
    revision = Revision(
        instance=None,  # type: ignore[arg-type]  # not read by may_start
        today=today,
        frozen=frozenset(),
        previous={"A-main-01": tonight, "B-main-01": Assignment("B-main-01", today, "AM", "N1")},
        cancelled=frozenset({"B-main-01"}),
    )
    assert revision.may_start("A-main-01", today, "AM")  # stays (in any room)
    assert not revision.may_start("A-main-01", today, "PM")  # moved within today
    assert not revision.may_start("B-main-01", today, "AM")  # cancelled: after today
    assert not revision.may_start("C-main-01", today, "PM")  # added
    assert revision.may_start("C-main-01", today + dt.timedelta(days=1), "AM")
    assert not revision.may_start("A-main-01", today - dt.timedelta(days=1), "AM")
    # and the checks before writing refuse a timetable that breaks it
    from scheduler.cli.resolve_cmd import past_violations

    sites = {"M1": "MONS", "M2": "MONS", "N1": "NAMUR"}
    stays = Assignment("A-main-01", today, "AM", "M2")  # another room at its site: fine
    back = Assignment("B-main-01", today, "PM", "N1")  # the cancelled one, later today
    assert past_violations(revision, (stays, back), sites) == [
        "B-main-01 was moved to today 2026-09-26, too late to tell anyone"
    ]
    # another town the same morning: refused too (an audit's finding)
    assert revision.may_place("A-main-01", today, "AM", "M2", sites)
    assert not revision.may_place("A-main-01", today, "AM", "N1", sites)
    away = Assignment("A-main-01", today, "AM", "N1")
    assert past_violations(revision, (away,), sites) == [
        "A-main-01 was moved to another site today 2026-09-26"
    ]


def test_a_branch_superseding_a_teacher_replacement_lists_the_teachers_it_gives_back(
    tmp_path: Path,
) -> None:
    """An audit's branch off an older revision undid a teacher_replaced: its calendars were
    right, but changes.md said '0 session(s) differ' against the revision it superseded."""
    inst, pub, dates = _with_substitute(tmp_path)
    replaced = {"teacher_replaced": {"teacher": "T1", "by": "T2", "series": "U1-main"}}
    section = _superseded_section(tmp_path, inst, pub, dates["U1-main-02"], [replaced])
    assert "1 session differs" in section
    line = next(x for x in section.splitlines() if x.startswith("| U1-main-02 "))
    assert "; taught by T2 |" in line and line.endswith("; taught by T1 |"), line


def test_the_feed_of_a_teacher_no_longer_in_the_instance_cancels_its_events(
    tmp_path: Path,
) -> None:
    """An audit renamed a teacher in the instance and re-solved: `teacher-<old id>.ics` was no
    longer written, so its subscribers kept every event it had shown, for good. The teacher
    has a name, so the events' text does not change: their SEQUENCE must rise all the same
    (a review's finding)."""
    data = edits_instance()
    data["teachers"][1]["name"] = "Roy, Claire"  # a comma: escaped once in the feed's name
    inst, pub = publish_variant(tmp_path, data, "named")
    shown = _status(pub / "calendars" / "teacher-V.ics")
    assert shown and set(shown.values()) == {"CONFIRMED"}
    renamed = (
        inst.read_text(encoding="utf-8").replace("- V\n", "- W\n").replace("id: V\n", "id: W\n")
    )
    assert "id: W" in renamed
    inst.write_text(renamed, encoding="utf-8")
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-14", "changes": []})
    assert code == 0, output
    name = _name_line(pub / "calendars" / "teacher-V.ics")
    assert "Roy\\, Claire" in name
    for rev in (pub / "rev-1", _second_revision(tmp_path, pub)):
        assert _status(rev / "calendars" / "teacher-V.ics") == dict.fromkeys(shown, "CANCELLED")
        assert _name_line(rev / "calendars" / "teacher-V.ics") == name  # not escaped again
        assert set(_status(rev / "calendars" / "teacher-W.ics")) == set(shown)
    before = _sequences(pub / "calendars" / "teacher-V.ics")
    after = _sequences(pub / "rev-1" / "calendars" / "teacher-V.ics")
    assert all(after[uid] > before[uid] for uid in before)


def _name_line(feed: Path) -> str:
    return next(x for x in feed.read_text(encoding="utf-8").splitlines() if x.startswith("NAME:"))


def _second_revision(tmp_path: Path, pub: Path) -> Path:
    rev = pub / "rev-1"
    code, output = resolve_output(tmp_path, rev / "instance.yaml", rev, {"today": "2026-09-14"})
    assert code == 0, output
    return pub / "rev-2"


def _sequences(feed: Path) -> dict[str, int]:
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(e["UID"]).split("@")[0]: int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize(
    ("slots", "words"),
    [
        (
            SLOTS[2:3],
            "the only slot left is the one it was cancelled from, 2026-09-26 AM — widen its "
            "window or the calendar, or give it up (`dropped`)",
        ),
        (
            SLOTS[2:4],
            "the only slots left are on 2026-09-26, the day it was cancelled on, which it does "
            "not come back to — widen its window or the calendar, or give it up (`dropped`), or "
            "pin it to another slot that day (`pinned: {session: U1-main-01, date: 2026-09-26, "
            "slot: PM}`)",
        ),
    ],
    ids=["one slot that day", "another slot that day"],
)
def test_a_cancelled_session_with_no_other_slot_is_told_so_in_words(
    tmp_path: Path, slots: list[dict[str, str]], words: str
) -> None:
    """An audit's failed re-solve blamed 'series availability', a rule it never wrote; a
    review's said "no slot of the calendar is left" where the day it was cancelled had one."""
    data = edits_instance()
    data["calendar"] = {"start": "2026-09-19", "end": "2026-09-26", "slots": slots}
    data["ues"] = [{"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 1}]}]
    data["fixed_events"], data["precedences"] = [], []
    data["pins"] = [{"session": "U1-main-01", "date": "2026-09-26", "slot": "AM"}]
    inst, pub = publish_variant(tmp_path, data, "last")
    changes = {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-01"}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 1, output
    assert words in output


@pytest.mark.parametrize(
    ("first", "message"),
    [
        ({"teacher_replaced": {"teacher": "T9"}}, "changes[0] teacher_replaced teacher: unknown"),
        ({"dropped": {"session": "DEPOT"}}, "changes[0] dropped: 'DEPOT' is a fixed event"),
        (
            {"teacher_replaced": {"teacher": "T1", "sessions": ["U1-main-02"]}},
            "changes[0] teacher_replaced: U1-main-02 would be left without a teacher",
        ),
    ],
)
def test_the_first_bad_change_is_said_whatever_its_kind(
    tmp_path: Path, published: tuple[Path, Path], first: dict[str, Any], message: str
) -> None:
    """A review found teacher_replaced and a dropped session checked after every other
    change: a bad room after them was said first. Also: a teacher replaced by nobody in a
    session they give alone left it without a teacher."""
    inst, pub = published
    given = next(r["date"] for r in csv_rows(pub) if r["session_id"] == "U1-main-01")
    today = (dt.date.fromisoformat(given) + dt.timedelta(days=1)).isoformat()
    bad_room = {"room_unavailable": {"room": "NOPE", "date": "2026-10-01"}}
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": today, "changes": [first, bad_room]}
    )
    assert code == 2 and message in output, output


def test_replacing_a_co_teacher_by_the_other_one_says_it_leaves_them_alone() -> None:
    """An audit: T01 replaced by T09 in a session both give went to T09 alone, unsaid."""
    data = {
        "teachers": [{"id": "T1"}, {"id": "T2"}],
        "ues": [{"id": "U1", "sessions": [{"count": 2, "teachers": ["T1", "T2"]}]}],
    }
    change = TeacherReplaced(teacher="T1", by="T2", sessions=("U1-main-02",))
    warning = replace_teacher(data, change, {"U1-main-01"}, "c.yaml: changes[0] teacher_replaced")
    assert data["session_teachers"] == [{"session": "U1-main-02", "teachers": ["T2"]}]
    assert warning == (
        "c.yaml: changes[0] teacher_replaced: T2 co-teaches U1-main-02 already: T1 leaves it "
        "and nobody takes their place"
    )
    alone = {"teachers": data["teachers"], "ues": [{"id": "U1", "sessions": [{"count": 2}]}]}
    alone["ues"][0]["sessions"][0]["teachers"] = ["T1"]
    assert replace_teacher(alone, change, set(), "c") is None  # T2 takes T1's place


def test_a_session_dropped_gets_no_new_teacher_in_the_same_changes(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    both = [
        {"dropped": {"session": "U1-main-02"}},
        {"teacher_replaced": {"teacher": "T1", "by": "V", "sessions": ["U1-main-02"]}},
    ]
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-14", "changes": both})
    assert code == 2
    assert "changes[1] teacher_replaced: session 'U1-main-02' is dropped by changes[0]" in output


def test_a_replacement_that_names_none_of_the_teachers_sessions_is_said(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    change = {"teacher_replaced": {"teacher": "V", "by": "T1", "ue": "U1"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-14", "changes": [change]})
    assert code == 0, output
    assert "V teaches none of the sessions it names from today on: nothing changes" in output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"session": "U9-main-01", "teachers": ["T1"]}, "session: unknown session 'U9-main-01'"),
        (
            {"session": "U1-main-01", "teachers": ["T1", "T1"]},
            "teachers: 'T1' is listed more than once",
        ),
        ({"session": "U1-main-02", "teachers": ["V"]}, "session: 'U1-main-02' is dropped"),
    ],
)
def test_session_teachers_are_checked(tmp_path: Path, entry: dict[str, Any], message: str) -> None:
    data = edits_instance()
    data["dropped"] = ["U1-main-02"]
    data["session_teachers"] = [entry]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["calendar", str(path)])
    assert result.exit_code == 2
    assert f"session_teachers[0] {message}" in result.output, result.output


def test_a_replaced_session_moved_for_another_reason_is_not_blamed_on_the_replacement(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's session moved to make room for an added one was said moved by the
    teacher_replaced that also handed it over. The replacement is the cause of a move only
    when the new teacher cannot give the session where it was."""
    from scheduler.construct import greedy_timetable
    from scheduler.resolve.changes import Changes
    from scheduler.resolve.diff import compare
    from tests.conftest import problem_of

    before = greedy_timetable(problem_of(tiny_data))
    assert before is not None
    tiny_data["session_teachers"] = [{"session": "UE1-main-02", "teachers": ["T3"]}]
    problem = problem_of(tiny_data)
    published = {a.session: a for a in before}
    old = published["UE1-main-02"]
    elsewhere = next(d for d in problem.slots if d.date > old.date and d.slot == "SAT-AM")
    moved = replace(old, date=elsewhere.date, slot=elsewhere.slot)
    changes = Changes.model_validate(
        {
            "today": "2026-09-16",
            "changes": [
                {"teacher_replaced": {"teacher": "T1", "by": "T3", "sessions": ["UE1-main-02"]}}
            ],
        }
    )
    taught_by = {a.session: problem.session[a.session].teachers for a in before}
    taught_by["UE1-main-02"] = ("T1",)

    def cause(after: tuple[Any, ...]) -> str:
        return next(
            m.cause
            for m in compare(problem, published, after, changes, False, taught_by)
            if m.session == "UE1-main-02"
        )

    others = tuple(a for a in before if a.session != "UE1-main-02")
    assert cause((*others, moved)).startswith("knock-on")
    assert "teacher_replaced" in cause((*others, moved))  # for its teacher, said after
    # T3 now teaching another session where it was: the replacement moved it
    ue3 = next(a for a in others if a.session == "UE3-main-01")
    there = replace(ue3, date=old.date, slot=old.slot, room="M-B")
    busy = (*(a for a in others if a is not ue3), there, moved)
    assert cause(busy).startswith("teacher_replaced")


def test_the_readme_changes_example_is_accepted_by_the_sample() -> None:
    """The README's example named a teacher the sample lacks (a docs audit): every change
    of it must apply to the sample (a greedy timetable stands for the published one)."""
    import re as regex

    from scheduler.construct import greedy_timetable
    from scheduler.data.problem import Problem
    from scheduler.resolve.apply import revise
    from scheduler.resolve.changes import Changes
    from tests.conftest import ROOT, SAMPLE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in regex.findall(r"```yaml\n(.*?)```", readme, regex.S) if "changes:" in b)
    changes = Changes.model_validate(yaml.safe_load(block))
    assert {c.kind for c in changes.changes} >= {
        "teacher_replaced",
        "event_moved",
        "dropped",
        "pinned",
    }
    instance = load_instance(SAMPLE)
    published = greedy_timetable(Problem.build(instance))
    assert published is not None
    revision = revise(instance, published, changes, "README.md")
    assert revision.instance.dropped == ("UE7-q2-04",)
    pins = {p.session: p for p in revision.instance.pins}
    assert pins["UE6A-main-02"].date == dt.date(2027, 2, 11)
    assert all(pins[f"UE4-main-0{n}"].site == "NAMUR" for n in range(1, 7))


def test_a_series_replaced_whole_with_no_session_left_passes_to_the_new_teacher(
    tmp_path: Path,
) -> None:
    """An audit: T1 replaced by T9 for a series whose sessions were all given said 'nothing
    changes' and left the series T1's, so a session added to it later went to T1, or to T9
    when the file added it first. Now the series is T9's either way, for later sessions."""
    data = edits_instance()
    data["teachers"].append({"id": "T9"})
    inst, pub = publish_variant(tmp_path, data, "whole")
    given = next(r for r in csv_rows(pub) if r["session_id"] == "U3-main-01")
    today = (dt.date.fromisoformat(given["date"]) + dt.timedelta(days=1)).isoformat()
    replace = {"teacher_replaced": {"teacher": "T1", "by": "T9", "series": "U3-main"}}
    add = {"add_sessions": {"ue": "U3", "count": 1}}
    for n, changes in enumerate(([replace, add], [add, replace]), start=1):
        code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": changes})
        assert code == 0, output
        rows = {r["session_id"]: r for r in csv_rows(pub / f"rev-{n}")}
        assert rows["U3-main-02"]["teachers"] == "T9", (changes, output)
        assert rows["U3-main-01"]["teachers"] == "T1"  # given already: its teacher stays
        assert_revision_checked(inst, pub / f"rev-{n}")
    # the series alone, nothing added: said, and the series is T9's for what comes later
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [replace]})
    assert code == 0 and "sessions added later to U3-main are given by T9" in output, output
    revised = yaml.safe_load((pub / "rev-3" / "instance.yaml").read_text(encoding="utf-8"))
    u3 = next(u for u in revised["ues"] if u["id"] == "U3")
    assert u3["sessions"][0]["teachers"] == ["T9"]


def test_cancelling_an_event_whose_days_are_all_past_is_said_to_change_nothing(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit: `dates: []` for an event whose days had all taken place said 'its days from
    today on cancelled' and nothing else, where the other kinds say they change nothing."""
    inst, pub = published
    change = {"event_moved": {"event": "EV", "dates": []}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-10-20", "changes": [change]})
    assert code == 0, output
    assert "fixed event 'EV' has no day from today on to cancel: nothing changes" in output
    rows = [r for r in csv_rows(pub / "rev-1") if r["session_id"] == "EV"]
    assert [r["date"] for r in rows] == ["2026-10-10"]  # the day that took place stays


def test_a_co_taught_series_left_whole_by_a_teacher_is_said_in_words(tmp_path: Path) -> None:
    """Without `by`, the note read 'sessions added later to U3-main are given by None' (a
    review)."""
    data = edits_instance()
    data["teachers"].append({"id": "T9"})
    data["ues"][2]["teachers"] = ["T1", "T9"]
    inst, pub = publish_variant(tmp_path, data, "cotaught")
    given = next(r for r in csv_rows(pub) if r["session_id"] == "U3-main-01")
    today = (dt.date.fromisoformat(given["date"]) + dt.timedelta(days=1)).isoformat()
    leave = {"teacher_replaced": {"teacher": "T1", "series": "U3-main"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [leave]})
    assert code == 0, output
    assert "sessions added later to U3-main are given by their other teachers" in output
    revised = yaml.safe_load((pub / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    assert next(u for u in revised["ues"] if u["id"] == "U3")["sessions"][0]["teachers"] == ["T9"]


def test_an_invalid_instance_names_the_change_that_makes_it_so(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit: `count: 500` was refused as the series' total (502 sessions) without a word of
    which change; the change is now named, the valid ones before it not."""
    inst, pub = published
    add = {"add_sessions": {"ue": "U3", "series": "main", "count": 1}}
    too_many = {"add_sessions": {"ue": "U1", "series": "main", "count": 500}}
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": "2026-09-15", "changes": [add, too_many]}
    )
    assert code == 2, output
    assert "changes[1] add_sessions makes the instance invalid: ue 'U1' series 'main' count: " in (
        " ".join(output.split())
    )
    assert "Traceback" not in output
    assert not (pub / "rev-1").exists()


def test_an_absence_on_days_the_teacher_is_away_anyway_is_said(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit: a visitor's absence dated outside their window matched only days they were
    away anyway and moved nothing, without a word. Within their window it is no slip."""
    inst, pub = published
    away = {"teacher_unavailable": {"teacher": "V", "from": "2026-09-21", "to": "2026-09-26"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [away]})
    assert code == 0, output
    said = " ".join(output.split())
    assert "changes[0] teacher_unavailable" in said
    assert "the teacher is not available in any of its slots anyway" in said
    inside = {"teacher_unavailable": {"teacher": "V", "date": "2026-09-17"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [inside]})
    assert "anyway" not in output


def test_an_instance_invalid_without_any_change_blames_none(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """A review: with the instance edited since (its rooms renamed, so the past's pins name a
    room it lacks), a harmless first change was blamed for the error."""
    inst, pub = published
    data = yaml.safe_load(inst.read_text(encoding="utf-8"))
    for site in data["sites"]:
        for room in site["rooms"]:
            room["id"] += "X"
    for event in data["fixed_events"]:
        event.pop("rooms", None)
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    add = {"add_sessions": {"ue": "U3", "series": "main", "count": 1}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-10-01", "changes": [add]})
    assert code == 2, output
    said = " ".join(output.split())
    assert "the changes make the instance invalid: " in said and "unknown room" in said, said
    assert "changes[0]" not in said


def test_an_absence_leaving_too_few_weeks_is_explained_by_the_teacher_s_load(
    tmp_path: Path,
) -> None:
    """A scale audit: a two-week absence left a teacher fewer weeks than their weekly maximum
    needs; the re-solve searched two minutes and 4 GiB for a conflict and gave none. The
    pre-flight's load count (sound with the re-solve's own rules too) now says it at once."""
    data = edits_instance()
    data["teachers"][0]["max_sessions_per_week"] = 1  # T1: U1 x2 and U3 in 15-30 Sep
    inst, pub = publish_variant(tmp_path, data, "load")
    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-21", "to": "2026-09-27"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [away]})
    assert code == 1, output
    said = " ".join(output.split())
    # named with its files, as solve's pre-flight lines are (a docs audit)
    assert re.search(
        rf"pre-flight error: {re.escape(str(inst))} with \S+\.yaml: \[teacher_weekly_max\] "
        r"teacher T1 must give 3 session slots",
        said,
    ), said
    assert "no conflict was isolated" not in said


def test_a_conflict_with_a_session_given_does_not_ask_to_move_its_pin(tmp_path: Path) -> None:
    """A scale audit: a day added to an event that must come before a UE already under way
    was explained by the pre-flight as the given session's pin, with "or move the pin"."""
    data = edits_instance()
    data["fixed_events"].append(
        {
            "id": "OPEN",
            "site": "NAMUR",
            "dates": ["2026-09-19"],
            "start": "09:00",
            "end": "12:00",
            "groups": ["C"],
        }
    )
    data["precedences"].append({"before": "OPEN", "after": "U3"})
    inst, pub = publish_variant(tmp_path, data, "opened")
    moved = {"event_moved": {"event": "OPEN", "dates": ["2026-10-17"]}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-10-01", "changes": [moved]})
    assert code == 1, output
    said = " ".join(output.split())
    assert "U3-main-01 can be placed nowhere: of its 1 placement where it took place (before " in (
        said
    )
    assert "1 Oct 2026; the past stays as given)" in said
    assert "move the pin" not in said


def _swapped_in(before: Any, mover: Any, knocked: Any, free: Any) -> tuple[Any, ...]:
    """`before` with `mover` at `knocked`'s date and slot, and `knocked` at the `free` one."""
    return tuple(
        replace(a, date=knocked.date, slot=knocked.slot)
        if a is mover
        else replace(a, date=free.date, slot=free.slot)
        if a is knocked
        else a
        for a in before
    )


def test_a_knock_on_names_the_session_that_took_its_place(tiny_data: dict[str, Any]) -> None:
    """An audit: sessions moved because a pinned session took their place read 'knock-on:
    moved to make room for the changes'; the session, with its change, is named."""
    from scheduler.construct import greedy_timetable
    from scheduler.resolve.changes import Changes
    from scheduler.resolve.diff import compare
    from tests.conftest import problem_of

    problem = problem_of(tiny_data)
    before = greedy_timetable(problem)
    assert before is not None
    published = {a.session: a for a in before}
    mover, knocked = published["UE1-main-02"], published["UE4-main-01"]
    assert mover.date != knocked.date and problem.groups_conflict(
        problem.session[mover.session].groups, problem.session[knocked.session].groups
    )
    pin = {"session": mover.session, "date": knocked.date.isoformat(), "slot": knocked.slot}
    changes = Changes.model_validate({"today": "2026-09-14", "changes": [{"pinned": pin}]})
    free = next(
        d
        for d in problem.slots
        if (d.date, d.slot) not in {(a.date, a.slot) for a in before} and d.date > mover.date
    )
    after = _swapped_in(before, mover, knocked, free)
    causes = {m.session: m for m in compare(problem, published, after, changes)}
    assert causes[mover.session].cause.startswith("pinned")
    assert causes[knocked.session].cause == (
        f"knock-on: moved to make room for {mover.session} ({causes[mover.session].cause})"
    )
    assert causes[knocked.session].words.startswith(
        f"knock-on: moved to make room for {mover.session} ("
    )


def test_a_session_that_took_a_freed_slot_to_make_room_is_a_knock_on(
    tiny_data: dict[str, Any],
) -> None:
    """A visitors audit: a session moved into the days its visitor was free again, because
    its sibling took its date, read as moved for the availability alone. It could have
    stayed: it is a knock-on of the session that took its place, and the availability that
    opened its new place is kept after it. A session whose place the change itself forbids
    keeps the change alone."""
    from scheduler.construct import greedy_timetable
    from scheduler.resolve.changes import Changes
    from scheduler.resolve.diff import compare
    from tests.conftest import problem_of

    problem = problem_of(tiny_data)
    before = greedy_timetable(problem)
    assert before is not None
    published = {a.session: a for a in before}
    mover, knocked = published["UE3-main-01"], published["UE1-main-02"]
    taken = {(a.date, a.slot) for a in before}
    free = next(d for d in problem.slots if (d.date, d.slot) not in taken and d.slot != "SAT-AM")
    pin = {"session": mover.session, "date": knocked.date.isoformat(), "slot": knocked.slot}
    back = {"teacher": "T1", "date": free.date.isoformat()}
    changes = Changes.model_validate(
        {"today": "2026-09-14", "changes": [{"pinned": pin}, {"teacher_available": back}]}
    )
    after = _swapped_in(before, mover, knocked, free)
    causes = {m.session: m for m in compare(problem, published, after, changes)}
    pinned = causes[mover.session].cause
    assert pinned.startswith("pinned")
    assert causes[knocked.session].cause == (
        f"knock-on: moved to make room for {mover.session} ({pinned}); "
        f"teacher_available date={free.date.isoformat()} teacher=T1"
    )
    assert causes[knocked.session].words == (
        f"knock-on: moved to make room for {mover.session} ({causes[mover.session].words}); "
        f"Anne Lambert (T1) available on Saturday {free.date.isoformat()}"
    )
    # the knocked session's own place forbidden by the change: the change alone, as before
    t1 = next(t for t in tiny_data["teachers"] if t["id"] == "T1")
    t1["unavailable"] = [{"date": knocked.date.isoformat()}]
    causes = {m.session: m for m in compare(problem_of(tiny_data), published, after, changes)}
    assert causes[knocked.session].cause == (
        f"teacher_available date={free.date.isoformat()} teacher=T1"
    )


def test_a_knock_on_of_a_knock_on_names_the_chain(tiny_data: dict[str, Any]) -> None:
    """A re-solve of a cancelled session moved it into the next one's date, which moved into
    the next's: the last read 'to make room for the changes'. It names the knock-on that took
    its place, and the change behind that one."""
    from scheduler.construct import greedy_timetable
    from scheduler.resolve.changes import Changes
    from scheduler.resolve.diff import compare
    from tests.conftest import problem_of

    problem = problem_of(tiny_data)
    before = greedy_timetable(problem)
    assert before is not None
    published = {a.session: a for a in before}
    # OPT-B's session pinned to the cohort's; the cohort's to OPT-A's; OPT-A's to a free slot
    mover, first, second = (published[s] for s in ("UE3-main-01", "UE1-main-02", "UE2-main-02"))
    assert len({(a.date, a.slot) for a in (mover, first, second)}) == 3
    pin = {"session": mover.session, "date": first.date.isoformat(), "slot": first.slot}
    changes = Changes.model_validate({"today": "2026-09-14", "changes": [{"pinned": pin}]})
    taken = {(a.date, a.slot) for a in before}
    free = next(d for d in problem.slots if (d.date, d.slot) not in taken and d.slot != "SAT-AM")
    moves = {
        mover.session: (first.date, first.slot, mover.room),
        first.session: (second.date, second.slot, first.room),
        second.session: (free.date, free.slot, second.room),
    }
    after = tuple(
        replace(a, date=moves[a.session][0], slot=moves[a.session][1], room=moves[a.session][2])
        if a.session in moves
        else a
        for a in before
    )
    causes = {m.session: m for m in compare(problem, published, after, changes)}
    pinned = causes[mover.session].cause
    assert pinned.startswith("pinned")
    assert causes[first.session].cause == (
        f"knock-on: moved to make room for {mover.session} ({pinned})"
    )
    assert causes[second.session].cause == (
        f"knock-on: moved to make room for {first.session}, moved for {mover.session} ({pinned})"
    )
    assert causes[second.session].words.startswith(
        f"knock-on: moved to make room for {first.session}, moved for {mover.session} ("
    )


def test_a_knock_on_for_one_site_a_day_names_the_session_that_took_its_day() -> None:
    """U1-main-03 (the cohort) pinned to Saturday 19's afternoon at NAMUR sends option A's
    morning session at MONS away: not its slot, its day (one site a day). It read 'to make
    room for the changes' (an audit); it names the session and its change."""
    from scheduler.resolve.changes import Changes
    from scheduler.resolve.diff import compare
    from scheduler.solution import Assignment
    from tests.conftest import problem_of
    from tests.resolve.support import roomy

    data = roomy()
    data["calendar"]["slots"].append(
        {"id": "PM", "weekday": "sat", "start": "13:45", "end": "17:00"}
    )
    problem = problem_of(data)
    day = dt.date(2026, 9, 19)
    rows = [
        ("U1-main-01", dt.date(2026, 9, 15), "TUE", "M1"),
        ("U1-main-02", dt.date(2026, 9, 17), "THU", "M1"),
        ("U1-main-03", dt.date(2026, 9, 22), "TUE", "M1"),
        ("U2-main-01", day, "AM", "M1"),
        ("U2-main-02", dt.date(2026, 9, 24), "THU", "M2"),
        ("U3-main-01", dt.date(2026, 9, 26), "AM", "N1"),
    ]
    published = {sid: Assignment(sid, d, slot, room) for sid, d, slot, room in rows}
    moves = {
        "U1-main-03": Assignment("U1-main-03", day, "PM", "N1"),
        "U2-main-01": Assignment("U2-main-01", dt.date(2026, 9, 26), "AM", "M1"),
    }
    after = tuple(moves.get(sid, a) for sid, a in published.items())
    pin = {"session": "U1-main-03", "date": day.isoformat(), "slot": "PM", "site": "NAMUR"}
    changes = Changes.model_validate({"today": "2026-09-14", "changes": [{"pinned": pin}]})
    causes = {m.session: m for m in compare(problem, published, after, changes)}
    pinned = causes["U1-main-03"].cause
    assert pinned.startswith("pinned")
    assert causes["U2-main-01"].cause == f"knock-on: moved to make room for U1-main-03 ({pinned})"


def _cancel_a_saturday_morning(tmp_path: Path, more: list[dict[str, Any]]) -> dict[str, str]:
    """U1's one session, published on a Saturday morning, cancelled (with `more` changes):
    the date its make-up gets."""
    data = edits_instance()
    data["calendar"] = {"start": "2026-09-19", "end": "2026-10-10", "slots": SLOTS[2:4]}
    data["ues"] = [{"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 1}]}]
    data["fixed_events"], data["precedences"] = [], []
    data["pins"] = [{"session": "U1-main-01", "date": "2026-09-26", "slot": "AM"}]
    data["teachers"][0].pop("unavailable")
    tmp_path.mkdir()
    inst, pub = publish_variant(tmp_path, data, "day")
    changes = {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-01"}}, *more]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    row = next(r for r in csv_rows(pub / "rev-1") if r["session_id"] == "U1-main-01")
    return {"date": row["date"], "start": row["start"]}


def test_a_cancelled_session_does_not_take_its_sibling_s_slot_that_day(tmp_path: Path) -> None:
    """The day's slot a sibling holds stays open to the series, so that the sibling need not
    move; when it moved all the same, the make-up took its slot the day it was cancelled (a
    review)."""
    data = {
        "name": "sib",
        "calendar": {"start": "2026-09-15", "end": "2026-10-10", "slots": [SLOTS[0], *SLOTS[2:4]]},
        "sites": [{"id": "MONS", "rooms": [{"id": "M-A", "capacity": 30}]}],
        "groups": [{"id": "C", "size": 20}],
        "teachers": [{"id": "T1", "unavailable": [{"date": "2026-09-22"}]}],
        "ues": [{"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 3}]}],
    }
    data["pins"] = [
        {"session": "U1-main-01", "date": "2026-09-26", "slot": "AM"},
        {"session": "U1-main-02", "date": "2026-09-26", "slot": "PM"},
    ]
    inst, pub = publish_variant(tmp_path, data, "sib")
    moved = {"pinned": {"session": "U1-main-02", "date": "2026-10-03", "slot": "AM"}}
    changes = {
        "today": "2026-09-20",
        "changes": [{"cancelled": {"session": "U1-main-01"}}, moved],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    after = {r["session_id"]: r["date"] for r in csv_rows(pub / "rev-1")}
    assert after["U1-main-01"] == "2026-09-29", after  # not 09-26 PM, the sibling's slot


def test_a_cancelled_session_is_not_made_up_the_day_it_was_cancelled(tmp_path: Path) -> None:
    """Its afternoon was the nearest place: the students told the morning was cancelled saw it
    come back after lunch. Staff may still pin it there."""
    assert _cancel_a_saturday_morning(tmp_path / "a", [])["date"] != "2026-09-26"
    pin = {"pinned": {"session": "U1-main-01", "date": "2026-09-26", "slot": "PM"}}
    assert _cancel_a_saturday_morning(tmp_path / "b", [pin]) == {
        "date": "2026-09-26",
        "start": "13:45",
    }
