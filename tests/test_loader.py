"""Loader: valid files load; every kind of bad input is one clear line naming file, entity, field."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, TINY, problem_of


def _write(tmp_path: Path, data: dict[str, Any], name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_sample_and_tiny_load() -> None:
    assert load_instance(SAMPLE).name == "mapemass-2026-27"
    tiny = load_instance(TINY)
    assert [s.id for s in tiny.calendar.slots] == ["TUE-EVE", "THU-EVE", "SAT-AM", "SAT-PM"]


def test_json_loads_the_same_instance(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_data, default=str), encoding="utf-8")
    assert load_instance(path) == load_instance(TINY)


def test_unquoted_time_is_read_as_a_time(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace('start: "18:00"', "start: 18:00", 1)
    path = tmp_path / "unquoted.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_instance(path).calendar.slots[0].start.hour == 18


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    node: Any = data
    keys = dotted.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    last = keys[-1]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value


BAD = [
    ("ues.0.teachers", ["T9"], r"bad.yaml: ue 'UE1' teachers: unknown teacher 'T9'"),
    ("ues.0.groups", ["NOPE"], r"bad.yaml: ue 'UE1' groups: unknown group 'NOPE'"),
    ("ues.0.sites", ["LIEGE"], r"bad.yaml: ue 'UE1' sites: unknown site 'LIEGE'"),
    (
        "ues.0.sessions.0.teachers",
        ["T9"],
        r"bad.yaml: ue 'UE1' series 'main' teachers: unknown teacher 'T9'",
    ),
    ("ues.0.groups", [], r"ue 'UE1' groups: no attending group for its series 'main'"),
    ("teachers.1.id", "T1", r"duplicate teacher id 'T1': teachers\[0\] and teachers\[1\]"),
    (
        "sites.1.rooms.0.id",
        "M-A",
        r"duplicate room id 'M-A': site 'MONS' rooms\[0\] and site 'NAMUR' rooms\[0\]",
    ),
    ("calendar.end", "2026-09-01", r"calendar: end 2026-09-01 is before start 2026-09-15"),
    (
        "calendar.closures.0.slots",
        ["SUN-AM"],
        r"calendar.closures\[0\].slots: unknown slot 'SUN-AM'",
    ),
    (
        "ues.0.sessions.0.room_features",
        ["lab"],
        r"ue 'UE1' series 'main' room_features: no room has feature 'lab' \(known: projector\)",
    ),
    (
        "pins.0.date",
        "2026-09-16",
        r"pin of session 'UE1-main-01' date: 2026-09-16 is a Wednesday, not a teaching day",
    ),
    (
        "groups.0.size",
        40,
        r"ue 'UE1' series 'main' groups: 40 students \(groups COHORT \(40\)\) fit no allowed "
        r"room \(largest suitable: 30\)",
    ),
    (  # no key close to it: the keys it may be
        "teachers.0.nickname",
        "Annie",
        r"teacher 'T1': unknown key 'nickname' \(known: available_only, avoid, email, ",
    ),
    (  # a misspelt key says what it meant (an audit's `unavaliable`)
        "teachers.0.unavaliable",
        [{"weekday": "sat"}],
        r"teacher 'T1': unknown key 'unavaliable' \(did you mean 'unavailable'\?\)",
    ),
    (  # the alias as written
        "ues.0.window",
        {"form": "2026-09-15", "to": "2026-09-20"},
        r"ue 'UE1' window: unknown key 'form' \(did you mean 'from'\?\)",
    ),
    (
        "calendar.slots.0.start",
        1080,
        r"slot 'TUE-EVE' start: expected a time written as a quoted 'HH:MM'",
    ),
    (  # YAML 1.1 reads NO (Norway) as false, 1.10 as the number 1.1
        "calendar.public_holidays.country",
        False,
        r"calendar public_holidays country: expected text, got no \(YAML reads an unquoted "
        r"yes, no, true, false, on or off, and country codes such as NO, as yes or no\): put "
        r"the value in quotes$",
    ),
    (
        "sites.0.rooms.0.id",
        1.1,
        r"room '1.1' id: expected text, got the number 1.1 \(YAML reads unquoted digits as a "
        r"number, 1.10 as 1.1\): put the value in quotes$",
    ),
    # Python's values, not what the file says, were shown: `got True`, `got None` (an audit)
    ("sites.0.rooms.1.id", True, r"site 'MONS' rooms\[1\] id: expected text, got yes \(YAML"),
    (
        "weights",
        {"weekly_load": None},
        r"weights weekly_load: expected a whole number, got nothing$",
    ),
    (
        "ues.0.sessions",
        [],
        r"ue 'UE1' sessions: expected at least one item, got an empty list: a UE with nothing to place \(a thesis\) is left out",
    ),
    ("fixed_events.0.dates", dt.date(2026, 9, 19), r"dates: expected a list .*, got 2026-09-19$"),
    (
        "teachers.1.home_site",
        "NAMURR",
        r"teacher 'T2' home_site: unknown site 'NAMURR' \(known: MONS, NAMUR\)",
    ),
    (
        "precedences.0.after",
        "UE9",
        r"precedences\[0\] after: unknown UE, series, session or fixed event 'UE9'",
    ),
    (  # a UE before its own series: pre-flight called it a cycle, to 'reverse' (a fuzz)
        "precedences.0.after",
        "UE1-main",
        r"precedences\[0\]: 'UE1-main' and 'UE1' share session UE1-main-01, which cannot end "
        r"before it starts: drop it",
    ),
    (
        "fixed_events.0.rooms",
        ["M-A"],
        r"fixed event 'ACCUEIL' rooms: room 'M-A' is at MONS, not at the event's site NAMUR \(its rooms: N-A\)",
    ),
    ("groups.1.part_of", "GHOST", r"group 'OPT-A' part_of: unknown group 'GHOST'"),
    (  # a typo of its own id: the group itself is not offered as what it may be part of
        "groups.1.part_of",
        "OPT-AA",
        r"group 'OPT-A' part_of: unknown group 'OPT-AA' \(known: COHORT, OPT-B\)$",
    ),
    (  # a close one among the 16 listed went unseen (an audit)
        "weights",
        {"weekly_lod": 3},
        r"weights: unknown soft rule 'weekly_lod' \(did you mean 'weekly_load'\? known: half_",
    ),
    (
        "weights",
        {"Weekly-Load": 3},
        r"unknown soft rule 'Weekly-Load' \(did you mean 'weekly_load'",
    ),
    (
        "weights",
        {"weekly_load": -1},
        r"weights weekly_load: a whole number from 0 \(the rule switched "
        r"off\) to 1,000,000,000, got -1",
    ),
    ("ues.0.sessions.0.count", True, r"series 'main': count: expected a number, got true"),
    ("weights", {"ue_gap": True}, r"weights ue_gap: expected a number, got true"),
    ("sites.0.rooms.0.capacity", False, r"room 'M-A': capacity: expected a number, got false"),
    (
        "ues.0.sessions",
        [{"count": 1}, {"count": 2}],  # both series 'main'
        r"ue 'UE1': duplicate series 'main'",
    ),
    ("ues.0.teachers", ["T1", "T1"], r"ue 'UE1' teachers: 'T1' is listed more than once"),
    (
        "ues.0.sessions.0.groups",
        ["COHORT"] * 2,
        r"series 'main' groups: 'COHORT' is listed more than once",
    ),
    (
        "fixed_events.0.dates",
        ["2026-09-19"] * 2,
        r"'ACCUEIL' dates: '2026-09-19' is listed more than once",
    ),
    (
        "ues.0.sessions.0.count",
        10**9,  # refused before the sessions are expanded (which would fill the memory)
        r"ue 'UE1' series 'main' count: 1000000000 sessions of 1 slot\(s\), but the calendar's "
        r"weekly slots give 8 from its start to its end, before holidays",
    ),
    (
        "weights",
        {"teacher_travel": 10**15},
        r"weights teacher_travel: at most 1,000,000,000 \(larger weights overflow",
    ),
    ("fixed_events.0.id", "UE4", r"fixed event 'UE4' id: also the id of a ue; rename one of them"),
    (
        "calendar.start",
        "2026-02-30",
        r"calendar start: expected a date YYYY-MM-DD, got '2026-02-30': no such day$",
    ),
    # an audit's dates typed as people write them: pydantic's words did not say the format,
    # then came in brackets ("(invalid character in year)"): the ISO form is said instead
    (
        "calendar.start",
        "20/09/2026",
        r"calendar start: expected a date YYYY-MM-DD, got '20/09/2026': write 2026-09-20$",
    ),
    (
        "calendar.start",
        "03.10.2026",
        r"got '03.10.2026': write 2026-10-03 \(or 2026-03-10 if the month comes first\)$",
    ),
    (
        "calendar.start",
        "yesterday",
        r"calendar start: expected a date YYYY-MM-DD, got 'yesterday'$",
    ),
    ("sites.0.rooms.0.capacity", "thirty", r"capacity: expected a whole number, got 'thirty'$"),
    ("ues.0.ects", "huit", r"ue 'UE1' ects: expected a number, got 'huit'$"),
    ("ues.0.even_spread", "maybe", r"ue 'UE1' even_spread: expected yes or no, got 'maybe'$"),
    (
        "calendar.start",
        "2026-9-20",
        r"start: expected a date YYYY-MM-DD, got '2026-9-20': write 2026-09-20$",
    ),
    ("ues.0.sessions.0.count", 0, r"ue 'UE1' series 'main' count: expected 1 or more, got 0$"),
    (
        "teachers.3.available_only.0.to",
        "2026-09-01",
        r"teacher 'V1' available_only\[0\]: 'to' 2026-09-01 is before 'from' 2026-09-22",
    ),
    (  # two errors: both said, not "(and 1 more error)" (an audit)
        "ues.0.sessions.0",
        {"series": "main", "count": 0, "length": 0},
        r"count: expected 1 or more, got 0 \(also: ue 'UE1' series 'main' length: expected 1 or "
        r"more, got 0\)$",
    ),
    # beyond any programme's: a mistyped 10^20 was a traceback in the model's build, a day
    # count of 10^8 a pre-flight running for hours (an audit); infinite credits wrote bad JSON
    (
        "groups.0.max_sessions_per_week",
        10**20,
        r"group 'COHORT' max_sessions_per_week: expected 1000000 at most, got 100000000000000000000",
    ),
    (
        "ues.0.sessions.0.min_days_between",
        10**8,
        r"ue 'UE1' series 'main' min_days_between: expected 36600 at most, got 100000000",
    ),
    ("ues.0.ects", float("inf"), r"ue 'UE1' ects: expected a finite number, got inf"),
    (  # an OverflowError's traceback in the calendar's days (a review)
        "calendar.end",
        "9999-12-31",
        r"calendar: end 9999-12-31 is more than a hundred years after start 2026-09-15",
    ),
    (  # the value, which the pattern alone hid (an audit)
        "ues.0.teachers",
        ["T1\u00a0"],
        r"ue 'UE1' teachers\[0\]: 'T1\\xa0' is not a valid id \(.*\): did you mean 'T1'\? "
        r"\(it holds an invisible character\)",
    ),
    (  # a zero-width space pasted from a web page (an audit): said, with the id meant
        "ues.0.teachers",
        ["T\u200b1"],
        r"ue 'UE1' teachers\[0\]: 'T\\u200b1' is not a valid id \(.*\): did you mean 'T1'\? "
        r"\(it holds an invisible character\)",
    ),
    ("language", "french", r"language: 'french' is not a language code such as fr, en or fr-BE"),
    (  # pydantic's "Input should be a valid string" (an audit)
        "teachers.0.name",
        None,
        r"teacher 'T1' name: expected text, got nothing: give a value or leave the key out$",
    ),
    ("name", None, r"name: expected text, got nothing: give a value$"),  # required
    # an id names a calendar file: an audit's 240-character one failed the export (exit 1)
    (
        "teachers.0.id",
        "T" * 240,
        r"bad.yaml: teacher 'TTTTTTTTTTTTTTTTTTTTTTTT…' id: 240 characters, at most 229 ",
    ),
    ("groups.1.id", "G" * 300, r"group 'GGGGGGGGGGGGGGGGGGGGGGGG…' id: 300 characters, at most"),
    ("sites.0.rooms.0.id", "R" * 230, r"room 'RRRRRRRRRRRRRRRRRRRRRRRR…' id: 230 characters"),
    ("sites.0.id", "S" * 230, r"site 'SSSSSSSSSSSSSSSSSSSSSSSS…' id: 230 characters"),
    # a list or a mapping where text, a number or yes/no is meant: pydantic's "Input should be
    # a valid string" came through, and a list given as an id was shown as `room '['M-B']'`
    ("ues.0.title", ["a", "b"], r"bad.yaml: ue 'UE1' title: expected text, got a list$"),
    ("ues.0.title", {"fr": "a"}, r"ue 'UE1' title: expected text, got a mapping$"),
    ("ues.0.ects", [8], r"ue 'UE1' ects: expected a number, got a list$"),
    ("ues.0.even_spread", [True], r"ue 'UE1' even_spread: expected yes or no, got a list$"),
    (
        "sites.0.rooms.1.id",
        ["M-B"],
        r"bad.yaml: site 'MONS' rooms\[1\] id: expected text, got a list$",
    ),
    (
        "sites.0.rooms.0.features",
        [["projector"]],
        r"room 'M-A' features\[0\]: expected text, got a list$",
    ),
    (
        "calendar.slots.0.start",
        [18, 0],
        r"slot 'TUE-EVE' start: expected a time 'HH:MM', got a list$",
    ),
    (
        "calendar.slots.0.end",
        "24:00",
        r"slot 'TUE-EVE' end: expected a time of day 'HH:MM' up to 23:59, got '24:00': a slot "
        r"ends on the day it starts \(write '23:59' for midnight\)$",
    ),
    # a name in the wrong case, or a city alone, is said as the IANA name it meant
    (
        "timezone",
        "australia/sydney",
        r"timezone: unknown time zone 'australia/sydney': did you mean 'Australia/Sydney'\?$",
    ),
    ("timezone", "Brussels", r"unknown time zone 'Brussels': did you mean 'Europe/Brussels'\?$"),
    ("timezone", "utc", r"unknown time zone 'utc': did you mean 'UTC'\?$"),
    (
        "timezone",
        "Mars/Olympus",
        r"unknown time zone 'Mars/Olympus' \(an IANA name, e.g. 'Europe/Brussels'\)$",
    ),
    # files of the database that name no place: the exports depended on the machine's clock
    (
        "timezone",
        "localtime",
        r"timezone: 'localtime' is no place's time zone \(.+\): give an IANA name, "
        r"e.g. 'Europe/Brussels'$",
    ),
    ("timezone", "posixrules", r"timezone: 'posixrules' is no place's time zone"),
    ("timezone", "right/Europe/Paris", r"give an IANA name, e.g. 'Europe/Paris'$"),
    # a day in year 9999 broke the calendars' time-zone rules (a fuzz audit's traceback)
    (
        "fixed_events.0.dates",
        ["9999-12-31"],
        r"fixed event 'ACCUEIL' dates: 9999-12-31 is more than 10 years from the calendar "
        r"\(2026-09-15 to 2026-09-26\): a typo\?$",
    ),
    # a subdivision alone gave no holiday at all, silently (a fuzz audit)
    (
        "calendar.public_holidays",
        {"subdiv": "French"},
        r"calendar public_holidays: subdiv 'French' is given without a country: name the "
        r"country \(e.g. country: BE\)",
    ),
    # past midnight: "end 01:00 is not after start 18:00" did not say the limit (an audit)
    (
        "calendar.slots.0.end",
        "01:00",
        r"slot 'TUE-EVE': end 01:00 is not after start 18:00 \(a time ends on the day it "
        r"starts: end it at 23:59 or split it\)$",
    ),
    # a workbook's cell lists features separated by ';', commas or line breaks: this one came
    # back from a workbook as two features (an audit)
    (
        "sites.0.rooms.0.features",
        ["tables, movable"],
        r"site 'MONS' room 'M-A' features\[0\]: 'tables, movable' holds a comma, which "
        r"separates features in a workbook: give one feature per item \('tables', 'movable'\), "
        r"or join its words with '_'$",
    ),
    (
        "ues.0.sessions.0.room_features",
        ["projector;\nsinks"],
        r"ue 'UE1' series 'main' room_features\[0\]: 'projector;\\nsinks' holds a semicolon",
    ),
    ("ues.0.sessions.0.room_features", [" "], r"room_features\[0\]: an empty feature"),
    # accepted here, refused by a workbook's Pins sheet, then "no timetable" (exit 1) at the
    # solve (an audit)
    (
        "pins",
        [
            {"session": "UE1-main-01", "date": "2026-09-15"},
            {"session": "UE1-main-01", "date": "2026-09-17"},
        ],
        r"bad.yaml: pin of session 'UE1-main-01' date: pinned twice, to different places \(date "
        r"2026-09-15 and 2026-09-17\): keep one pin$",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_entity_and_field(
    tmp_path: Path, tiny_data: dict[str, Any], field: str, value: Any, message: str
) -> None:
    data = copy.deepcopy(tiny_data)
    _set(data, field, value)
    with pytest.raises(InputError, match=message):
        load_instance(_write(tmp_path, data))


def test_series_ids_that_collide_across_ues_are_refused(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    # UE 'A-b' series 'c' and UE 'A' series 'b-c' are both 'A-b-c', their sessions 'A-b-c-01'
    data = copy.deepcopy(tiny_data)
    data["ues"][0]["id"], data["ues"][0]["sessions"][0]["series"] = "A-b", "c"
    data["ues"][2]["id"], data["ues"][2]["sessions"][0]["series"] = "A", "b-c"
    for p in data.get("precedences", []):
        for key in ("before", "after"):
            p[key] = {"UE1": "A-b", "UE3": "A"}.get(p[key], p[key])
    data["pins"] = [p for p in data.get("pins", []) if not p["session"].startswith(("UE1", "UE3"))]
    with pytest.raises(InputError, match=r"its id 'A-b-c' is also the id of ue 'A-b' series 'c'"):
        load_instance(_write(tmp_path, data))


@pytest.mark.parametrize(
    ("ue3", "series3", "message"),
    [
        ("UE1-main", "main", r"ue 'UE1' series 'main': its id 'UE1-main' is also the id of ue"),
        ("UE1-main-01", "main", r"its session id 'UE1-main-01' is also the id of a ue"),
    ],
    ids=["ue id = series id", "ue id = session id"],
)
def test_a_ue_series_or_session_id_is_one_thing(
    tmp_path: Path, tiny_data: dict[str, Any], ue3: str, series3: str, message: str
) -> None:
    data = copy.deepcopy(tiny_data)  # UE3 renamed: precedences and pins of UE3 dropped
    data["ues"][2]["id"], data["ues"][2]["sessions"][0]["series"] = ue3, series3
    data["precedences"] = [
        p for p in data.get("precedences", []) if "UE3" not in (p["before"], p["after"])
    ]
    data["pins"] = [p for p in data.get("pins", []) if not p["session"].startswith("UE3")]
    with pytest.raises(InputError, match=message):
        load_instance(_write(tmp_path, data))


def test_a_series_may_say_that_no_group_attends_it(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """`groups: []` on the series (not a forgotten UE default) is accepted: e.g. a CB-CTT
    course in no curriculum."""
    data = copy.deepcopy(tiny_data)
    data["ues"][0]["groups"] = []
    data["ues"][0]["sessions"][0]["groups"] = []
    data["ues"][0]["sessions"][0]["size"] = 10
    inst = load_instance(_write(tmp_path, data))
    assert inst.ues[0].sessions[0].groups == ()


def test_pin_to_a_closed_date_names_the_closure(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    tiny_data["pins"] = [{"session": "UE1-main-01", "date": "2026-09-19", "slot": "SAT-PM"}]
    with pytest.raises(
        InputError,
        match=r"slot 'SAT-PM' is not open on 2026-09-19 \(a Saturday: SAT-AM open that day\)",
    ):
        load_instance(_write(tmp_path, tiny_data))


def test_pin_on_public_holiday(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    tiny_data["calendar"]["end"] = "2026-11-30"
    tiny_data["pins"] = [{"session": "UE1-main-01", "date": "2026-11-11"}]
    with pytest.raises(InputError, match=r"date: 2026-11-11 is a Wednesday, not a teaching day"):
        load_instance(_write(tmp_path, tiny_data))


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        (
            {"session": "UE2-main-01", "site": "NAMUR"},
            r"site: UE2-main-01 may only use MONS, not NAMUR",
        ),
        (
            {"session": "UE2-main-01", "room": "N-A"},
            r"room: room 'N-A' is at NAMUR; UE2-main-01 may only use MONS; rooms that fit it: "
            r"M-A \(MONS\) or M-B \(MONS\)$",
        ),
        (
            {"session": "UE1-main-02", "room": "M-B"},
            r"room: room 'M-B' has no projector, which UE1-main-02 needs; rooms at MONS that "
            r"fit it: M-A$",
        ),
        (
            {"session": "UE3-main-01", "room": "M-A", "site": "MONS"},
            None,  # 8 students in 30 seats: accepted
        ),
        (  # a review: a site whose rooms cannot take the session, with no room named
            {"session": "UE1-main-02", "site": "MONS", "date": "2026-09-17"},
            None,  # M-A has the projector and 30 seats
        ),
        (
            {"session": "UE4-main-01", "site": "MONS"},
            None,
        ),
        (
            {"session": "UE2-main-02", "room": "M-B"},
            None,  # 12 students in 12 seats: accepted
        ),
    ],
)
def test_a_pin_to_a_place_its_session_cannot_use_is_bad_input(
    tmp_path: Path, tiny_data: dict[str, Any], pin: dict[str, str], message: str | None
) -> None:
    """What the file contradicts by itself is bad input (exit 2, docs/commands.md): an audit's
    pins to a site the UE does not use, to a room there, or too small, were a pre-flight
    "no timetable" (exit 1), while a pin to a closed date was bad input."""
    tiny_data["pins"] = [pin]
    if message is None:
        assert load_instance(_write(tmp_path, tiny_data)).pins[0].session == pin["session"]
        return
    with pytest.raises(InputError, match=rf"pin of session '{pin['session']}' {message}"):
        load_instance(_write(tmp_path, tiny_data))


def test_a_pin_to_a_site_whose_rooms_cannot_take_its_session_is_bad_input(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A review: a pin naming a site alone skipped the room checks, and was a pre-flight "no
    timetable" (exit 1) where the same pin to a room there was bad input."""
    tiny_data["sites"][0]["rooms"][0]["capacity"] = 10  # M-A: 10 seats, M-B: 12
    tiny_data["pins"] = [{"session": "UE4-main-01", "site": "MONS"}]
    with pytest.raises(
        InputError,
        match=r"pin of session 'UE4-main-01' site: no room at MONS for 20 students, which "
        r"UE4-main-01 needs; rooms that fit it: N-A \(NAMUR\)$",
    ):
        load_instance(_write(tmp_path, tiny_data))
    tiny_data["pins"] = [{"session": "UE1-main-02", "site": "MONS"}]  # needs the projector
    tiny_data["sites"][0]["rooms"][0]["features"] = []
    with pytest.raises(InputError, match=r"site: no room at MONS with projector for 20 students"):
        load_instance(_write(tmp_path, tiny_data))
    tiny_data["preferences"] = {"room_capacity": "soft"}
    with pytest.raises(InputError, match=r"site: no room at MONS with projector, which"):
        load_instance(_write(tmp_path, tiny_data))


def test_a_pin_error_names_at_most_four_rooms_that_fit(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The way out of a pin to a wrong room: the rooms at its site that fit, four at most."""
    tiny_data["sites"][0]["rooms"] += [
        {"id": f"M-{c}", "capacity": 40, "features": ["projector"]} for c in "CDEFG"
    ]
    tiny_data["pins"] = [{"session": "UE4-main-01", "room": "M-B"}]
    with pytest.raises(
        InputError, match=r"; rooms at MONS that fit it: M-A, M-C, M-D, M-E or 2 more$"
    ):
        load_instance(_write(tmp_path, tiny_data))


def test_a_pin_to_a_room_too_small_is_bad_input_unless_capacity_is_soft(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """20 students pinned to 12 seats: refused while room capacity is a hard rule; with
    `room_capacity: soft` (the rule `room_overflow`) it is a cost, and the pin stands. A pin
    of a session that took place (before `frozen_before`: a re-solve's past) stands where it
    was, in a room too small and without the projector its series needs now."""
    tiny_data["pins"] = [{"session": "UE4-main-01", "room": "M-B"}]
    with pytest.raises(
        InputError,
        match=r"room: room 'M-B' seats 12, fewer than UE4-main-01's 20 students \(room capacity is "
        r"a hard rule\); rooms at MONS that fit it: M-A$",
    ):
        load_instance(_write(tmp_path, tiny_data))
    past = copy.deepcopy(tiny_data)
    past["frozen_before"] = "2026-09-20"
    past["pins"] = [
        {"session": "UE1-main-02", "date": "2026-09-17", "slot": "THU-EVE", "room": "M-B"}
    ]
    assert load_instance(_write(tmp_path, past)).pins[0].room == "M-B"
    tiny_data["preferences"] = {"room_capacity": "soft"}
    assert load_instance(_write(tmp_path, tiny_data)).pins[0].room == "M-B"


def test_a_pin_left_in_last_year_says_where_the_year_is(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A year audit rolled the calendar a year on and left a pin: 'is not a teaching day of
    the calendar' named no year."""
    tiny_data["pins"] = [{"session": "UE1-main-01", "date": "2025-09-16"}]
    with pytest.raises(
        InputError,
        match=r"date: 2025-09-16 is outside the calendar's teaching days \(2026-09-15 to "
        r"2026-09-26\) — check its year",
    ):
        load_instance(_write(tmp_path, tiny_data))


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ncalendar: [\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.yaml:\d+: invalid YAML"):
        load_instance(path)


def test_whole_numbers_with_leading_zeros_are_decimal(tmp_path: Path) -> None:
    """An audit: YAML 1.1 reads `010` as octal 8, so `min_days_between: 010` became 8 (and a
    zero-padded `count: 012` lost two sessions) without a word. Read as people mean them: 10;
    and where an id is meant, as typed (`0109`, a room number: YAML 1.1 kept it as text)."""
    text = TINY.read_text(encoding="utf-8")
    typed = "{count: 2, room_features: [projector], min_days_between: 2}"
    assert typed in text and "M-A" in text
    path = tmp_path / "zeros.yaml"
    text = text.replace(typed, typed.replace("between: 2", "between: 010"), 1)
    path.write_text(text.replace("M-A", "0109"), encoding="utf-8")
    instance = load_instance(path)
    assert instance.ues[0].sessions[0].min_days_between == 10
    assert "0109" in {r.id for site in instance.sites for r in site.rooms}


def test_duplicate_json_key_is_an_error(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """An audit: JSON kept the last of two keys without a word (a teacher's second `id`
    renamed them), where YAML refuses it."""
    import json

    text = json.dumps(tiny_data, default=str)
    path = tmp_path / "dup.json"
    path.write_text(text.replace('"name": "tiny"', '"name": "tiny", "name": "autre"'), "utf-8")
    with pytest.raises(InputError, match=r"dup.json: invalid JSON: duplicate key 'name'$"):
        load_instance(path)
    path.write_text(text.replace('{"id": "T1"', '{"id": "T1", "id": "T2"'), "utf-8")
    with pytest.raises(InputError, match=r"invalid JSON: duplicate key 'id'$"):
        load_instance(path)
    path.write_text(text.replace('"title": "Fondements', '"title": "x", "title": "Fondements'))
    with pytest.raises(InputError, match=r"duplicate key 'title' in the object of id 'UE1'$"):
        load_instance(path)


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(TINY.read_text(encoding="utf-8") + "name: again\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"duplicate key 'name'"):
        load_instance(path)


def test_a_yaml_merge_key_brings_in_the_anchored_mapping(tmp_path: Path) -> None:
    """An audit: `<<: *t3` (a teacher written as another, with its own id) was refused with
    "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'"; a key given
    beside the merge key overrides the merged one, and a key given twice is still refused."""
    text = TINY.read_text(encoding="utf-8")
    typed = '  - {id: T3, name: "Julie Martin", home_site: MONS}\n'
    assert typed in text
    merged = typed.replace("- {", "- &t3 {") + "  - {<<: *t3, id: T4}\n"
    path = tmp_path / "merge.yaml"
    path.write_text(text.replace(typed, merged), encoding="utf-8")
    t3, t4 = load_instance(path).teachers[2:4]
    assert (t4.id, t4.name, t4.home_site) == ("T4", t3.name, "MONS")
    path.write_text(text.replace(typed, merged.replace("id: T4}", "id: T4, id: T5}")))
    with pytest.raises(InputError, match=r"merge.yaml:\d+: invalid YAML: duplicate key 'id'"):
        load_instance(path)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("alias.yaml", "name: &x [*x]\n", r"alias.yaml: an alias \(\*name\) refers to a value"),
        ("deep.yaml", "name: " + "[" * 600 + "]" * 600 + "\n", r"nested more than 50 levels"),
        ("deep.json", '{"name": ' + "[" * 1000 + "]" * 1000 + "}", r"nested more than 50 levels"),
        ("fifty.yaml", "name: " + "[" * 55 + "]" * 55 + "\n", r"deep: not an instance$"),
    ],
)
def test_a_self_holding_alias_or_deep_nesting_is_bad_input(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """Each gave a RecursionError traceback and exit 1 (a fuzz audit)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_instance(path)


def test_odd_files_and_values_are_said_in_one_line(tmp_path: Path) -> None:
    """From a fuzz audit: a NUL said by offset on two lines; `!!binary` read as the name; a
    20,000-character reference echoed twice in a 40 KB line. (A pipe is read as a file:
    `solve <(...)`; one nobody writes to waits until Ctrl-C, test_interrupt_latch.py.)"""
    text = TINY.read_text(encoding="utf-8").split("\n")
    nul = tmp_path / "nul.yaml"
    nul.write_text("\n".join([*text[:2], text[2] + "\x00", *text[3:]]), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"nul.yaml:3: invalid YAML: a control character \(#x0000\)"
    ) as err:
        load_instance(nul)
    assert "\n" not in str(err.value)
    binary = tmp_path / "binary.yaml"
    binary.write_text("name: !!binary aGVsbG8=\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"binary.yaml:1: invalid YAML: a !!binary value"):
        load_instance(binary)
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["ues"][0]["groups"] = ["G" * 20_000]
    with pytest.raises(
        InputError, match=r"unknown group 'G{60}\.\.\. \(20000 characters\)'"
    ) as err:
        load_instance(_write(tmp_path, data))
    assert len(str(err.value)) < 500


def test_impossible_yaml_date_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "date.yaml"
    path.write_text(
        TINY.read_text(encoding="utf-8").replace("start: 2026-09-15", "start: 2026-02-30", 1)
    )
    with pytest.raises(
        InputError,
        match=r"date.yaml: calendar start: expected a date YYYY-MM-DD, got '2026-02-30': no such day$",
    ) as err:
        load_instance(path)
    assert "\n" not in str(err.value)


def test_impossible_date_in_an_entity_names_it(tmp_path: Path) -> None:
    """PyYAML's own error for an unquoted 2026-02-30 named neither the entity nor the field."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["teachers"][0]["unavailable"] = [{"date": "DATE"}]
    path = tmp_path / "entity.yaml"
    path.write_text(yaml.safe_dump(data).replace("DATE", "2027-02-30"), encoding="utf-8")
    teacher = data["teachers"][0]["id"]
    with pytest.raises(InputError, match=rf"teacher '{teacher}' unavailable\[0\] date"):
        load_instance(path)


def test_non_utf8_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        TINY.read_text(encoding="utf-8").encode("latin-1", errors="replace") + "é".encode("latin-1")
    )
    with pytest.raises(InputError, match=r"latin1.yaml: not UTF-8 text"):
        load_instance(path)
    # the line and column where an editor shows it, not a byte offset (an audit)
    path.write_bytes("name: x\ntitle: Médiation\nnote: caf".encode() + b"\xe9s\n")
    with pytest.raises(InputError, match=r"not UTF-8 text \(line 3, column 10: byte 0xe9\)"):
        load_instance(path)


def test_unknown_key_is_reported_before_the_missing_one(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    series = tiny_data["ues"][0]["sessions"][0]
    series["cuont"] = series.pop("count")
    with pytest.raises(InputError, match=r"ue 'UE1' series 'main': unknown key 'cuont'"):
        load_instance(_write(tmp_path, tiny_data))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read"):
        load_instance(tmp_path / "nope.yaml")


@pytest.mark.parametrize("name", [".", ".."])
def test_an_instance_name_that_is_a_folder_is_refused(tmp_path: Path, name: str) -> None:
    """The name is the default output folder (solutions/<name>): '.' would be solutions/."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["name"] = name
    path = tmp_path / "dots.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"dots.yaml: name: .* names a folder"):
        load_instance(path)


def test_a_holiday_source_the_package_lacks_names_the_field(tmp_path: Path) -> None:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["calendar"]["school_holidays"] = {"country": "CA", "subdiv": "QC"}
    path = tmp_path / "qc.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as err:
        Problem.build(load_instance(path))
    assert "calendar school_holidays (country CA, subdiv QC)" in str(err.value)
    assert "categories: government, optional, public" in str(err.value)  # says what exists


def test_another_country_s_holidays_without_a_timezone_are_refused(tmp_path: Path) -> None:
    """A Québec audit: with no timezone, a Montréal programme was read in Brussels' time
    after one warning, and its 18:00 showed at 12:00 in its people's calendars."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    del data["timezone"]
    data["calendar"]["public_holidays"] = {"country": "CA", "subdiv": "QC"}
    path = tmp_path / "qc.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(path)
    assert str(err.value) == (
        f"{path}: timezone: not given, so every time would be read in Europe/Brussels, but the "
        "calendar's holidays are CA's: name the programme's time zone (an IANA name, e.g. "
        "America/Toronto)"
    )
    data["timezone"] = "America/Toronto"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_instance(path).timezone == "America/Toronto"
    del data["timezone"]  # Belgium's holidays without a timezone: Brussels, with a warning
    for country in ("BE", "FR", "NL"):  # France's clock is Brussels' (a review)
        data["calendar"]["public_holidays"] = {"country": country}
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        with pytest.warns(UserWarning, match="names no timezone: Europe/Brussels is assumed"):
            assert load_instance(path).timezone == "Europe/Brussels"


def test_a_timezone_of_another_clock_than_the_holidays_country_is_warned(tmp_path: Path) -> None:
    """An audit of instances the project never saw: `timezone: Europe/Brussels`, kept from the
    sample beside Sydney's holidays, was read silently, every time 9-10 hours off in its
    people's calendars. A zone no zone of the holidays' country keeps the clock of is warned;
    one that does (Luxembourg's holidays in Brussels' time, Sydney's in Sydney's) is not."""
    import warnings

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    path = tmp_path / "au.yaml"
    data["calendar"]["public_holidays"] = {"country": "AU", "subdiv": "NSW"}
    for zone, warned in (("Europe/Brussels", True), ("EST", True), ("Australia/Sydney", False)):
        data["timezone"] = zone
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load_instance(path)
        said = [str(w.message) for w in caught if "keeps another clock" in str(w.message)]
        assert said == (
            [
                f"{path}: timezone {zone} keeps another clock than AU's (e.g. "
                "Australia/Sydney, Australia/Brisbane, Australia/Perth), whose holidays the "
                f"calendar has: every time of the calendars and timetable.html is read in "
                f"{zone}; name the zone where the programme is taught"
            ]
            if warned
            else []
        ), (zone, said)
    # a UTC offset typed is no zone: the country's zones as examples, never 'Etc/GMT+10'
    # (UTC-10, the reverse of what it reads), nor 'EST' for 'AEST' (an audit)
    for typed in ("GMT+10", "AEST"):
        data["timezone"] = typed
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_instance(path)
        assert str(err.value).endswith(
            f"timezone: unknown time zone '{typed}' (an IANA name, e.g. 'Australia/Sydney', "
            "'Australia/Brisbane', 'Australia/Perth')"
        ), str(err.value)
    data["timezone"] = "Europe/Brussels"
    data["calendar"]["public_holidays"] = {"country": "LU"}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_instance(path)
    assert not [w for w in caught if "keeps another clock" in str(w.message)]


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        ([{"from": "2026-09-15", "to": "2026-09-17"}, "2026-09-24"], None),
        (
            [{"from": "2026-09-17", "to": "2026-09-15"}],
            "'to' 2026-09-15 is before 'from' 2026-09-17",
        ),
        ([{"from": "x", "to": "2026-09-15"}], "from: expected a date YYYY-MM-DD, got 'x'"),
        ([{"from": "2026-09-15"}], "a range of days needs both 'from' and 'to'"),
        ([{"from": "2026-09-15", "to": "2026-09-16", "slots": ["X"]}], "'from' and 'to' alone"),
        ([{"from": "0001-01-01", "to": "9999-12-31"}], "over 36600 days"),  # not 3.6 M days
    ],
)
def test_holiday_dates_take_ranges(tmp_path: Path, dates: list[Any], said: str | None) -> None:
    """A Québec audit typed its spring break a day at a time: closures took ranges, holiday
    `dates` did not ("expected a date YYYY-MM-DD, got a mapping")."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["calendar"]["school_holidays"] = {"dates": dates}
    path = tmp_path / "ranges.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    if said is None:
        got = load_instance(path).calendar.school_holidays
        assert got is not None and [d.day for d in got.dates] == [15, 16, 17, 24]
        return
    with pytest.raises(InputError, match=re.escape(said)) as err:
        load_instance(path)
    assert "calendar school_holidays dates" in str(err.value)


ARMISTICE, THANKSGIVING = dt.date(2026, 11, 11), dt.date(2026, 10, 12)


@pytest.mark.parametrize(
    ("source", "day", "name"),
    [
        ({"country": "BE", "subdiv": "French"}, ARMISTICE, "Jour de l'Armistice"),
        ({"country": "BE"}, ARMISTICE, "Wapenstilstand"),  # BE's default, whatever LANG says
        ({"country": "BE", "subdiv": "Flemish"}, ARMISTICE, "Wapenstilstand"),  # not French
        ({"country": "BE", "subdiv": "Flemish", "language": "en_US"}, ARMISTICE, "Armistice Day"),
        ({"country": "CA", "subdiv": "QC"}, THANKSGIVING, "Action de grâce"),  # not English
        ({"country": "CA", "subdiv": "Québec"}, THANKSGIVING, "Action de grâce"),  # its name
    ],
)
def test_holiday_names_are_in_the_subdivision_language(
    source: dict[str, str], day: dt.date, name: str
) -> None:
    from scheduler.data.calendar import holiday_dates
    from scheduler.data.instance_calendar import HolidaySource

    assert holiday_dates(HolidaySource(**source), day, day, "public")[day] == name


@pytest.mark.parametrize(
    ("data_language", "holiday_language", "name"),
    [
        ("en", None, "Armistice Day"),  # the instance's language, as the package spells it
        ("nl-BE", None, "Wapenstilstand"),
        ("xx", None, "Jour de l'Armistice"),  # one the package lacks: the subdivision's
        ("en", "nl", "Wapenstilstand"),  # the holidays' own language first
    ],
)
def test_holiday_names_follow_the_instance_language(
    tmp_path: Path, data_language: str, holiday_language: str | None, name: str
) -> None:
    """An audit's English programme in Flanders got 'Allerheiligen' in its calendar and
    report: the instance's own `language` was not asked."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["language"] = data_language
    data["calendar"]["end"] = "2026-11-14"
    wednesday = {"id": "WED-EVE", "weekday": "wed", "start": "18:00", "end": "21:15"}
    data["calendar"]["slots"].append(wednesday)  # 2026-11-11 is a Wednesday
    if holiday_language:
        data["calendar"]["public_holidays"]["language"] = holiday_language
    path = tmp_path / "lang.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    problem = Problem.build(load_instance(path))
    assert {c.reason for c in problem.closed if c.date == ARMISTICE} == {name}


def test_a_subdivision_the_package_lacks_lists_those_it_has(tmp_path: Path) -> None:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["calendar"]["public_holidays"] = {"country": "BE", "subdiv": "VLG"}
    path = tmp_path / "vlg.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError, match="subdivisions: Flemish, French, German"):
        Problem.build(load_instance(path))


def test_written_instances_keep_whole_numbers_and_times_as_written(tmp_path: Path) -> None:
    """A revision's instance.yaml turned `ects: 8` into `8.0` (the field is a float)."""
    from scheduler.io.instance_io import dump_instance

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["ues"][0]["ects"] = 8
    data["ues"][1]["ects"] = 2.5
    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.yaml"
    dump_instance(load_instance(path), out)
    text = out.read_text(encoding="utf-8")
    assert "ects: 8\n" in text and "ects: 2.5\n" in text and "start: '18:00'" in text
    assert load_instance(out) == load_instance(path)
    # every time quoted, as SCHEMA asks: `09:00` was written bare (an audit of `convert`)
    assert "start: '09:00'" in text and "start: 09:00" not in text


def test_an_unknown_holiday_language_names_the_field(tmp_path: Path) -> None:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["calendar"]["public_holidays"]["language"] = "xx"
    path = tmp_path / "xx.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"public_holidays: language 'xx' unknown for BE \(known: de, "
    ):
        Problem.build(load_instance(path))


def test_line_breaks_and_control_characters_in_texts_are_made_plain(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """Word's Shift+Enter (a vertical tab) pasted into a title crashed `convert` with a
    traceback and cost `solve` its workbook and page (no workbook or XML may hold it): other
    line breaks become a newline, other control characters are dropped, in every text."""
    from scheduler.io.workbook import read_workbook, workbook_bytes

    tiny_data["ues"][0]["title"] = "Fondements\vpartie 1\r\nsuite\x01"
    tiny_data["sites"][0]["rooms"][0]["features"] = ["projector\x00"]
    tiny_data["calendar"]["closures"][0]["reason"] = "Journée\u2028d'accueil"
    instance = load_instance(_write(tmp_path, tiny_data, "ctrl.yaml"))
    assert instance.ues[0].title == "Fondements\npartie 1\nsuite"
    assert instance.sites[0].rooms[0].features == ("projector",)
    assert instance.calendar.closures[0].reason == "Journée\nd'accueil"
    book = tmp_path / "ctrl.xlsx"
    book.write_bytes(workbook_bytes(instance))
    assert read_workbook(book) == instance


def test_holiday_codes_typed_with_spaces_are_read(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """'BE ' in a workbook cell was an unknown country (spreadsheet audit)."""
    tiny_data["calendar"]["public_holidays"] = {"country": "BE ", "subdiv": " French "}
    calendar = load_instance(_write(tmp_path, tiny_data, "spaces.yaml")).calendar
    assert calendar.public_holidays is not None
    assert (calendar.public_holidays.country, calendar.public_holidays.subdiv) == ("BE", "French")
    tiny_data["calendar"]["public_holidays"] = {"country": "bel", "subdiv": "French"}
    calendar = load_instance(_write(tmp_path, tiny_data, "alpha3.yaml")).calendar
    assert calendar.public_holidays is not None  # 'BEL' lost the Community's day (an audit)
    assert (calendar.public_holidays.country, calendar.public_holidays.subdiv) == ("BE", "French")
    tiny_data["calendar"]["public_holidays"] = {"country": "Belgium", "subdiv": "French"}
    calendar = load_instance(_write(tmp_path, tiny_data, "name.yaml")).calendar
    assert calendar.public_holidays is not None  # 'Belgium' too kept 27 Sep open (an audit)
    assert (calendar.public_holidays.country, calendar.public_holidays.subdiv) == ("BE", "French")


def test_an_unknown_id_among_many_suggests_the_closest_spelling(tiny_data: dict) -> None:
    """Past the 16 ids a message lists, a typo's likely meaning is named first; among few,
    the list says it (the workbook issue's exact wording)."""
    namur = next(s for s in tiny_data["sites"] if s["id"] == "NAMUR")
    namur["rooms"] += [{"id": f"N-R{i:02d}", "capacity": 30} for i in range(1, 21)]
    tiny_data["fixed_events"][0]["rooms"] = ["N-R19x"]
    with pytest.raises(
        ValueError,
        match=r"unknown room at NAMUR 'N-R19x' \(did you mean 'N-R19'\? known: N-A, N-R01, ",
    ):
        problem_of(tiny_data)
    tiny_data["fixed_events"][0]["rooms"] = ["N-R01x"]  # N-R01 is listed: no guess
    with pytest.raises(ValueError, match=r"unknown room at NAMUR 'N-R01x' \(known: N-A, N-R01, "):
        problem_of(tiny_data)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (" Tuesday ", "tue"),
        ("mardi", "tue"),
        ("Tues.", "tue"),
        ("Dinsdag", "tue"),
        ("Dienstag", "tue"),
        ("dienstag", "tue"),
        ("zo", "sun"),
        ("So.", "sun"),
        ("vr", "fri"),
        ("zat", "sat"),
        ("Woe.", "wed"),
        ("Mit", "wed"),
    ],
)
def test_weekdays_are_read_whatever_their_case_and_spaces(
    tiny_data: dict, typed: str, meant: str
) -> None:
    """As the workbook reads them: `SAT`, ` Tue ` are sat, tue, and so are the names the
    workbook reads (`Friday`, `vendredi` were refused in YAML only: an audit); a typo is not."""
    tiny_data["calendar"]["slots"][0]["weekday"] = " TUE "
    tiny_data["teachers"][1]["unavailable"] = [{"weekday": "Sat"}]
    instance = problem_of(tiny_data).instance
    assert instance.calendar.slots[0].weekday == "tue"
    assert instance.teachers[1].unavailable[0].weekday == "sat"
    tiny_data["teachers"][1]["unavailable"] = [{"weekday": typed}]
    assert problem_of(tiny_data).instance.teachers[1].unavailable[0].weekday == meant
    tiny_data["calendar"]["slots"][0]["weekday"] = "tusday"
    with pytest.raises(ValueError, match="weekday"):
        problem_of(tiny_data)


@pytest.mark.parametrize("typed", ["Ma", "di", "Di."])
def test_an_abbreviation_of_two_languages_is_refused(tiny_data: dict, typed: str) -> None:
    """`ma` and `di` are Dutch Monday and Tuesday but French mardi and dimanche: read either
    way, a rule would hold on the wrong day without a word (a review); the error says so and
    what to type (a Flemish audit was shown the English values alone)."""
    tiny_data["teachers"][1]["unavailable"] = [{"weekday": typed}]
    with pytest.raises(ValueError, match=r"in French, so it is not guessed; type the day in full"):
        problem_of(tiny_data)


def test_a_ue_held_at_a_site_without_rooms_is_said_so(tmp_path: Path) -> None:
    """The explain audit added a site without rooms and held a UE there: the error said 'no
    room at an allowed site has []'."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["sites"].append({"id": "HENALLUX"})
    data["ues"][1]["sites"] = ["HENALLUX"]
    path = tmp_path / "roomless.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_instance(path)
    assert (
        "ue 'UE2' series 'main' sites: HENALLUX has no rooms: give it rooms, or allow another site"
    ) in str(caught.value)


def test_a_belgian_community_s_own_day_is_a_public_holiday_of_it(tiny_data: dict[str, Any]) -> None:
    """A year audit: 27 September, the French Community's day ("no higher-education
    activity"), is a Thursday in 2029 and its evening stayed open: the holidays package has
    it among school holidays only. The other Communities' public holidays lack it; the
    German-speaking Community has its own (a review: 11 July came in for the Flemish one
    under the name of the summer break)."""
    from scheduler.data.calendar import holiday_dates
    from scheduler.data.instance_calendar import HolidaySource

    day = dt.date(2029, 9, 27)
    french = holiday_dates(HolidaySource(country="BE", subdiv="French"), day, day, "public")
    assert french == {day: "Fête de la Communauté française"}
    flemish = HolidaySource(country="BE", subdiv="Flemish")
    assert holiday_dates(flemish, day, day, "public") == {}
    july = dt.date(2029, 7, 11)  # the package has no Flemish Community day: not the summer's
    assert holiday_dates(flemish, july, july, "public") == {}
    german = HolidaySource(country="BE", subdiv="German")
    nov15 = dt.date(2029, 11, 15)
    assert nov15 in holiday_dates(german, nov15, nov15, "public")
    tiny_data["calendar"] |= {"start": "2029-09-25", "end": "2029-10-06"}
    tiny_data["pins"] = []
    tiny_data["fixed_events"] = []
    closed = {(c.date, c.slot) for c in problem_of(tiny_data).closed}
    assert (day, "THU-EVE") in closed


@pytest.mark.parametrize(
    ("slip", "hint"),
    [
        (("  - id: UE1", "\t- id: UE1"), "indent with spaces: YAML takes no tabs"),
        (('title: "', 'title: a: b "'), "a text holding ': ' goes in quotes"),
    ],
)
def test_a_yaml_slip_gets_a_hint(tmp_path: Path, slip: tuple[str, str], hint: str) -> None:
    """An audit: PyYAML's words ('found character that cannot start any token') came with
    no hint of what to do."""
    path = tmp_path / "slip.yaml"
    path.write_text(TINY.read_text(encoding="utf-8").replace(*slip, 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"slip\.yaml:\d+: invalid YAML: .*\(" + re.escape(hint)):
        load_instance(path)


def test_a_mapping_whose_lines_are_all_commented_out_is_empty(tmp_path: Path) -> None:
    """An audit: `weights:` (or `preferences:`) with every line commented out, as a manager
    turns overrides off, was refused as 'expected a mapping, got nothing'."""
    text = TINY.read_text(encoding="utf-8")
    assert "\nweights:" not in text and "\npreferences:" not in text
    text += "preferences:\n  # group_week_target: 3\nweights:\n  # weekly_load: 5\n"
    path = tmp_path / "commented.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_instance(path) == load_instance(TINY)
    path.write_text(text + "  ue_gap:\n", encoding="utf-8")  # a weight itself: still refused
    with pytest.raises(InputError, match=r"weights ue_gap"):
        load_instance(path)


def test_a_list_key_whose_items_are_all_commented_out_is_empty(tmp_path: Path) -> None:
    """An audit: `pins:` with every item commented out (YAML reads null) was refused as
    'expected a list, got None'; it is an empty list. A key that may be null keeps it."""
    text = TINY.read_text(encoding="utf-8")
    typed = "pins:\n  - {session: UE1-main-01, date: 2026-09-15}"
    assert typed in text
    text = text.replace(typed, "pins:\n  # - {session: UE1-main-01, date: 2026-09-15}")
    text = text.replace("unavailable: [{weekday: sat}]", "unavailable:")
    path = tmp_path / "commented.yaml"
    path.write_text(text, encoding="utf-8")
    instance = load_instance(path)
    assert instance.pins == () and instance.teachers[1].unavailable == ()
    # a required list is still refused: `teachers: []` of session_teachers says "none, on
    # purpose", which an emptied key must not say for it
    with_guest = text + "session_teachers:\n  - session: UE1-main-01\n    teachers:\n"
    path.write_text(with_guest, encoding="utf-8")
    with pytest.raises(InputError, match=r"session_teachers\[0\] teachers: expected a list"):
        load_instance(path)


def test_an_empty_list_of_sites_is_said_as_such(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """An audit: `sites: []` on a UE read "ue 'UE1' series 'main' sites:  have no rooms"."""
    tiny_data["ues"][0]["sites"] = []
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    with pytest.raises(InputError, match=r"ue 'UE1' sites: an empty list allows no site: list"):
        load_instance(path)


def test_a_series_no_allowed_room_suits_is_told_the_nearest_rooms_and_sites(
    tiny_data: dict[str, Any],
) -> None:
    """The explain audit read "no room at an allowed site has ['simulator', 'sinks']" (a
    Python list, no fix), and a group too large for its site's rooms was not told of the
    80 seats at another site."""
    mons, namur = tiny_data["sites"]
    mons["rooms"][1]["features"] = ["computers"]  # M-B; M-A has the projector
    ue2 = next(u for u in tiny_data["ues"] if u["id"] == "UE2")  # MONS only
    ue2["sessions"] = [{"count": 2, "room_features": ["projector", "computers"]}]
    with pytest.raises(ValueError) as caught:
        problem_of(tiny_data)
    assert (
        "ue 'UE2' series 'main' room_features: no room at an allowed site has both computers "
        "and projector (M-A has projector; M-B has computers) — give a room every one of them, "
        "or ask for fewer ["
    ) in str(caught.value)
    namur["rooms"][0]["features"] = ["projector", "computers"]
    with pytest.raises(ValueError, match=r"or allow site NAMUR \(its room N-A has them all\) \["):
        problem_of(tiny_data)
    ue2["sessions"] = [{"count": 2, "size": 35}]
    namur["rooms"][0]["capacity"] = 40
    with pytest.raises(ValueError) as caught:
        problem_of(tiny_data)
    assert (
        "35 students (its size) fit no allowed room (largest suitable: 30): raise a room's "
        "capacity, lower a group's size or set preferences.room_capacity: soft, or allow site "
        "NAMUR (its room N-A seats 40) ["
    ) in str(caught.value)


def test_a_very_long_unknown_session_of_a_pin_is_cut(tmp_path: Path) -> None:
    """A fuzz audit's 20,000-character pin session was echoed twice in a 40 KB line."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["pins"] = [{"session": "S" * 20_000, "date": "2026-09-15"}]
    with pytest.raises(
        InputError, match=r"pin of session 'S{60}\.\.\. \(20000 characters\)'"
    ) as err:
        load_instance(_write(tmp_path, data))
    assert len(str(err.value)) < 300
