"""Re-solving after a teacher becomes available (`teacher_available`) or a fixed event moves
(`event_moved`): edits of the instance that a re-solve from a revision can only get as changes."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import random
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner

from scheduler.check.placed import WEEKDAY_IDS
from scheduler.cli import cli
from scheduler.data.instance import DateRule
from scheduler.resolve.availability import minus

SLOTS = [
    {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
    {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
    {"id": "AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
    {"id": "PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
]
PATTERNS = {"tue": ["TUE"], "thu": ["THU"], "sat": ["AM", "PM"]}
FIRST, LAST = dt.date(2026, 9, 15), dt.date(2026, 10, 31)


def _instance() -> dict[str, Any]:
    """Seven weeks; V visits in the first week only; an event on the fourth Saturday."""
    return {
        "name": "edits",
        "calendar": {"start": FIRST.isoformat(), "end": LAST.isoformat(), "slots": SLOTS},
        "sites": [
            {"id": "MONS", "rooms": [{"id": "M1", "capacity": 30}]},
            {"id": "NAMUR", "rooms": [{"id": "N1", "capacity": 30}]},
        ],
        "groups": [{"id": "C", "size": 20}],
        "teachers": [
            {"id": "T1", "unavailable": [{"from": "2026-10-01", "to": "2026-10-31"}]},
            {"id": "V", "available_only": [{"from": "2026-09-15", "to": "2026-09-19"}]},
        ],
        "ues": [
            {"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 2}]},
            {"id": "U2", "teachers": ["V"], "groups": ["C"], "sessions": [{"count": 2}]},
            {"id": "U3", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 1}]},
        ],
        "fixed_events": [
            {
                "id": "EV",
                "title": "Journée",
                "site": "NAMUR",
                "dates": ["2026-10-10"],
                "start": "09:00",
                "end": "17:00",
                "groups": ["C"],
            },
            {
                "id": "DEPOT",
                "site": "NAMUR",
                "dates": ["2026-10-30"],
                "start": "09:00",
                "end": "12:00",
                "groups": [],
            },
        ],
        "precedences": [{"before": "U1", "after": "DEPOT"}],
        "weights": {"saturday_opening": 0, "half_saturday": 0},
    }


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path]:
    inst = tmp_path / "edits.yaml"
    inst.write_text(yaml.safe_dump(_instance()), encoding="utf-8")
    out = tmp_path / "pub"
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    return inst, out


def _resolve(tmp_path: Path, inst: Path, pub: Path, changes: dict[str, Any]) -> tuple[int, str]:
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--deterministic"]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def _rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "timetable.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _checked(inst: Path, folder: Path) -> None:
    """The revision passes the independent checker against its own instance."""
    result = CliRunner().invoke(
        cli, ["check", str(folder / "instance.yaml"), str(folder), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["feasible"]


# --- minus: an unavailable rule without the slots a teacher is free in -----------------------


def _matched(rules: list[DateRule]) -> set[tuple[dt.date, str]]:
    out = set()
    day = FIRST - dt.timedelta(days=10)
    while day <= LAST + dt.timedelta(days=10):
        weekday = WEEKDAY_IDS[day.weekday()]
        out |= {
            (day, s)
            for s in PATTERNS.get(weekday, ())
            if any(r.matches(day, weekday, s) for r in rules)
        }
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
    """Inside first..last, the new rules match what the old one did less what the teacher is
    free in; outside, what the old one did."""
    rng = random.Random(7)
    first = FIRST + dt.timedelta(days=6)
    for _ in range(400):
        unavailable, available = _random_rule(rng), _random_rule(rng)
        pieces = [
            DateRule.model_validate(r) for r in minus(unavailable, available, PATTERNS, first, LAST)
        ]
        before, free = _matched([unavailable]), _matched([available])
        inside = {(d, s) for d, s in before if first <= d <= LAST}
        outside_before = before - inside
        after = _matched(pieces)
        assert {x for x in after if first <= x[0] <= LAST} == inside - free, (
            unavailable,
            available,
        )
        assert {x for x in after if x[0] < first} == {x for x in outside_before if x[0] < first}


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
        {"date": "2026-10-03", "slots": ["PM"]},
        {"from": "2026-10-04", "weekday": "sat"},
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
    before = {r["session_id"]: r["date"] for r in _rows(pub) if r["ue"] == "U2"}
    assert all(d <= "2026-09-19" for d in before.values())
    changes = {
        "today": "2026-09-14",
        "changes": [
            {"teacher_unavailable": {"teacher": "V", "from": "2026-09-15", "to": "2026-09-19"}},
            {"teacher_available": {"teacher": "V", "from": "2026-09-29", "to": "2026-10-03"}},
        ],
    }
    code, output = _resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    after = {r["session_id"]: r["date"] for r in _rows(rev) if r["ue"] == "U2"}
    assert all("2026-09-29" <= d <= "2026-10-03" for d in after.values()), after
    _checked(inst, rev)
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
    code, output = _resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    t1 = [r["date"] for r in _rows(rev) if r["teachers"] == "T1"]
    assert len(t1) == 3 and all("2026-10-06" <= d <= "2026-10-15" for d in t1), t1
    _checked(inst, rev)
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
    code, output = _resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert "changes[0] teacher_available: T1 has no unavailable rule on these days" in output


# --- event_moved ---------------------------------------------------------------------------


def test_a_moved_event_moves_the_sessions_on_its_new_day_and_cancels_its_old_day(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    rows = _rows(pub)
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
    code, output = _resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    after = _rows(rev)
    assert not any(r["kind"] == "session" and r["date"] == target["date"] for r in after)
    assert [(r["date"], r["start"]) for r in after if r["session_id"] == "EV"] == [
        (target["date"], "08:00")
    ]
    _checked(inst, rev)
    text = (rev / "changes.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"| {target['session_id']} "))
    assert "fixed event EV moved" in line
    assert "EV (Journée): 2026-10-10 09:00-17:00 at NAMUR -> " in text
    feed = icalendar.Calendar.from_ical((rev / "calendars" / "group-C.ics").read_bytes())
    status = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in feed.walk("VEVENT")}
    assert status["EV-20261010"] == "CANCELLED"
    assert status[f"EV-{target['date'].replace('-', '')}"] == "CONFIRMED"


def test_an_event_whose_days_are_cancelled_leaves_the_instance_and_its_precedences(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    changes = {"today": "2026-09-20", "changes": [{"event_moved": {"event": "DEPOT", "dates": []}}]}
    code, output = _resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert "DEPOT has no day left: the precedence U1 before DEPOT no longer holds" in output
    revised = yaml.safe_load((pub / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in revised["fixed_events"]] == ["EV"]
    assert revised.get("precedences", []) == []
    _checked(inst, pub / "rev-1")


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
        (
            "2026-09-20",
            {"event": "EV", "rooms": ["M1"]},
            "the changes make the instance invalid",
        ),
    ],
)
def test_an_event_move_the_past_or_the_data_forbid_is_refused(
    tmp_path: Path, published: tuple[Path, Path], today: str, moved: dict[str, Any], message: str
) -> None:
    inst, pub = published
    code, output = _resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"event_moved": moved}]}
    )
    assert code == 2, output
    assert message in output
    assert "Traceback" not in output
    assert not (pub / "rev-1").exists()


def test_the_kinds_are_listed_when_a_change_has_none() -> None:
    from scheduler.resolve.changes import Change

    with pytest.raises(ValueError, match="teacher_available, event_moved"):
        Change.model_validate({})
    assert list(itertools.islice(Change.model_fields, 7))[-2:] == [
        "teacher_available",
        "event_moved",
    ]
