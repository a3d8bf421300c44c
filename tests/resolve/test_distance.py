"""Disruption counts how far a session moves: of two moves otherwise alike, the nearer one."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli

FIRST_WEEK = {"from": "2026-09-15", "to": "2026-09-19"}


def _visitor() -> dict[str, Any]:
    """One session of a teacher who comes only in the first week, and would rather not teach
    in the four weeks after it (soft)."""
    slots = [
        {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
        {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
    ]
    return {
        "name": "visitor",
        "calendar": {"start": "2026-09-15", "end": "2026-11-14", "slots": slots},
        "sites": [{"id": "MONS", "rooms": [{"id": "M1", "capacity": 30}]}],
        "groups": [{"id": "C", "size": 20}],
        "teachers": [
            {
                "id": "T1",
                "available_only": [FIRST_WEEK],
                "avoid": [{"from": "2026-09-20", "to": "2026-10-17"}],
            }
        ],
        "ues": [{"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 1}]}],
    }


def _date(folder: Path) -> dt.date:
    with (folder / "timetable.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["kind"] == "session")
    return dt.date.fromisoformat(row["date"])


@pytest.mark.parametrize(("flags", "near"), [([], True), (["--w-week", "0"], False)])
def test_a_session_that_must_move_goes_to_the_nearest_week_it_may(
    tmp_path: Path, flags: list[str], near: bool
) -> None:
    """The visitor's week is lost and the rest of the term opened: before, the session went
    wherever the soft cost was least (here five weeks later, out of the weeks the teacher
    would rather avoid); now the week after, its avoid cost paid. `--w-week 0` gives the
    old choice back."""
    inst = tmp_path / "visitor.yaml"
    inst.write_text(yaml.safe_dump(_visitor()), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    published = _date(pub)
    assert published <= dt.date(2026, 9, 19)
    changes = {
        "today": "2026-09-14",
        "changes": [
            {"teacher_unavailable": {"teacher": "T1", **FIRST_WEEK}},
            {"teacher_available": {"teacher": "T1", "from": "2026-09-20", "to": "2026-11-14"}},
        ],
    }
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--deterministic"]
    result = CliRunner().invoke(cli, [*args, *flags])
    assert result.exit_code == 0, result.output
    rev = pub / "rev-1"
    moved = _date(rev)
    checked = CliRunner().invoke(cli, ["check", str(rev / "instance.yaml"), str(rev), "--json"])
    assert checked.exit_code == 0, checked.output
    costs = yaml.safe_load(checked.output)["costs"]
    if near:
        assert (moved - published).days < 14, moved  # the week after
        assert costs["teacher_avoid"] > 0
    else:
        assert moved > dt.date(2026, 10, 17), moved  # beyond the weeks avoided
        assert costs["teacher_avoid"] == 0


def _two_towns(area: str | None) -> dict[str, Any]:
    """One Tuesday-evening session a week for six weeks, a room in each of two towns; with
    `area`, both towns are one area (an hour apart at most)."""
    towns = [
        {"id": "MTL", "rooms": [{"id": "M1", "capacity": 30}]},
        {"id": "QUE", "rooms": [{"id": "Q1", "capacity": 30}]},
    ]
    if area is not None:
        towns = [{**town, "area": area} for town in towns]
    slots = [{"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"}]
    return {
        "name": "towns",
        "timezone": "America/Toronto",
        "calendar": {"start": "2026-09-15", "end": "2026-10-24", "slots": slots},
        "sites": towns,
        "groups": [{"id": "C", "size": 20}],
        "teachers": [{"id": "T1"}],
        "ues": [
            {
                "id": "U1",
                "teachers": ["T1"],
                "groups": ["C"],
                "sites": ["MTL", "QUE"],
                "sessions": [{"count": 3}],
            }
        ],
    }


def _first_session(tmp_path: Path, area: str | None) -> dict[str, str]:
    """`_two_towns(area)` solved into `tmp_path/pub`: the first session's row."""
    inst = tmp_path / "towns.yaml"
    inst.write_text(yaml.safe_dump(_two_towns(area)), encoding="utf-8")
    args = ["solve", str(inst), "--out", str(tmp_path / "pub"), "--deterministic"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    with (tmp_path / "pub" / "timetable.csv").open(encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r["kind"] == "session")


def _resolved(tmp_path: Path, change: dict[str, Any]) -> Any:
    """`_first_session`'s timetable re-solved for `change` on 2026-09-14 (exit 0)."""
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump({"today": "2026-09-14", "changes": [change]}), "utf-8")
    inst, pub = tmp_path / "towns.yaml", tmp_path / "pub"
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes), "--deterministic"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("area", [None, "REGION"])
def test_a_session_sent_to_another_town_on_its_day_is_said(
    tmp_path: Path, area: str | None
) -> None:
    """A Québec audit: a storm closed one campus, and an evening class went to the other
    town, 250 km away, the same evening, unsaid (a moved site weighs less than a moved date).
    A note says so and which --w-site keeps it in its town; sites of one area need none."""
    row = _first_session(tmp_path, area)
    sid, day, town = row["session_id"], row["date"], row["site"]
    other, room, away = ("QUE", "M1", "Q1") if town == "MTL" else ("MTL", "Q1", "M1")
    closed = {"site_closed": {"site": town, "date": day, "reason": "tempête"}}
    result = _resolved(tmp_path, closed)
    assert f"{sid}: {day} TUE {room} -> {day} TUE {away}" in result.output  # the same evening
    note = (
        f"note: {sid} stays on {dt.date.fromisoformat(day)} but moves from {town} to {other}: "
        "a moved site weighs 30 against a moved date's 100; if the sites are far apart, "
        f"--w-site 300 keeps it at {town} another day where one is free"
    )
    assert (note in result.output) == (area is None), result.output


@pytest.mark.parametrize("pin", ["site", "room"])
def test_a_session_staff_pin_to_another_town_gets_no_weight_advice(
    tmp_path: Path, pin: str
) -> None:
    """A German audit pinned a series to the other town and was told that `--w-site 300`
    would keep each session where it was: no weight outweighs a pin, so no such note."""
    row = _first_session(tmp_path, None)
    sid, day, town = row["session_id"], row["date"], row["site"]
    other, away = ("QUE", "Q1") if town == "MTL" else ("MTL", "M1")
    where = {"site": other} if pin == "site" else {"room": away}
    result = _resolved(tmp_path, {"pinned": {"session": sid, **where}})
    assert f"{sid}: {day} TUE {row['room']} -> {day} TUE {away}" in result.output  # the same day
    assert "--w-site" not in result.output, result.output
