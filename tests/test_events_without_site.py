"""Fixed events without a site: a webinar, a seminar abroad, a deadline. They block their
people's time but take no room, open no building and bind no one to a site that day; their
`location` is what the calendars and the page say of where they are."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner

from scheduler.check import check
from scheduler.cli import cli
from tests.conftest import problem_of, solve_to_optimum

SUNDAY = "2026-09-20"  # no slot that day: the event takes nobody's teaching time


def _with_event(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    event = {"id": "WEBINAIRE", "title": "Webinaire", "dates": [SUNDAY], "start": "10:00"}
    event |= {"end": "12:00", "teachers": ["T1"], "groups": ["COHORT"], **fields}
    data["fixed_events"].append(event)
    return data


def test_an_event_without_a_site_opens_no_building_on_a_sunday(
    tiny_data: dict[str, Any],
) -> None:
    """Held at MONS, the Sunday opens MONS (saturday_opening, weight 4); online, nothing."""
    online = solve_to_optimum(_with_event(tiny_data, location="En ligne"))
    tiny_data["fixed_events"].pop()
    at_mons = solve_to_optimum(_with_event(tiny_data, site="MONS"))
    assert at_mons.costs["saturday_opening"] - online.costs["saturday_opening"] == 4
    assert at_mons.objective - online.objective == 4


def test_an_event_without_a_site_binds_its_teacher_to_no_site(tiny_data: dict[str, Any]) -> None:
    """Online, an early event of T1's lets her teach at either site that day; at the site she
    does not teach at, the same timetable breaks her one site a day."""
    saturday = "2026-09-26"  # T1 teaches that day in every timetable (UE4 before its end)
    online = _with_event(tiny_data, dates=[saturday], start="07:30", end="08:30", groups=[])
    result = solve_to_optimum(online)
    problem = problem_of(online)
    taught = {
        problem.room_site[a.room]
        for a in result.assignments
        if str(a.date) == saturday and "T1" in problem.session[a.session].teachers
    }
    assert len(taught) == 1
    online["fixed_events"][-1]["site"] = ({"MONS", "NAMUR"} - taught).pop()
    said = {v.rule for v in check(problem_of(online), result.assignments).violations}
    assert said == {"teacher_one_site_per_day"}


def test_its_location_is_what_people_read(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    instance = tmp_path / "online.yaml"
    data = _with_event(tiny_data, location="En ligne (Teams)")
    instance.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "sol"
    result = CliRunner().invoke(cli, ["solve", str(instance), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    with (out / "timetable.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["session_id"] == "WEBINAIRE")
    assert (row["site"], row["room"], row["date"]) == ("", "", SUNDAY)
    feed = icalendar.Calendar.from_ical((out / "calendars" / "group-COHORT.ics").read_bytes())
    event = next(e for e in feed.walk("VEVENT") if "WEBINAIRE" in str(e["UID"]))
    assert str(event["LOCATION"]) == "En ligne (Teams)"
    assert '"siteName":"En ligne (Teams)"' in (out / "timetable.html").read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(instance), str(out)]).exit_code == 0


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_rooms_without_a_site_are_refused(
    tmp_path: Path, tiny_data: dict[str, Any], suffix: str
) -> None:
    instance = tmp_path / "rooms.yaml"
    data = _with_event(tiny_data, rooms=["M-A"])
    instance.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    if suffix == ".xlsx":
        from scheduler.io.workbook import workbook_bytes

        data["fixed_events"][-1].pop("rooms")  # a valid event, its rooms typed in the sheet
        valid = tmp_path / "valid.yaml"
        valid.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        instance = _typed_rooms(tmp_path, workbook_bytes(_load(valid)))
    result = CliRunner().invoke(cli, ["solve", str(instance), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2, result.output
    assert "rooms: M-A given, but no site" in result.output
    assert "WEBINAIRE" in result.output
    if suffix == ".xlsx":
        assert "'Fixed events'!D" in result.output


def _load(path: Path) -> Any:
    from scheduler.io.instance_io import load_instance

    return load_instance(path)


def _typed_rooms(tmp_path: Path, data: bytes) -> Path:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Fixed events"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=3):
        if row[0].value == "WEBINAIRE":
            row[header.index("rooms")].value = "M-A"
    path = tmp_path / "rooms.xlsx"
    book.save(path)
    return path


def test_a_workbook_keeps_an_event_without_a_site(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    from scheduler.io.workbook import read_workbook, write_workbook

    instance = problem_of(_with_event(tiny_data, location="HES-SO, Lausanne")).instance
    write_workbook(instance, tmp_path / "book.xlsx")
    back = read_workbook(tmp_path / "book.xlsx")
    event = next(e for e in back.fixed_events if e.id == "WEBINAIRE")
    assert (event.site, event.location) == (None, "HES-SO, Lausanne")
    assert back == instance


def test_an_event_without_a_site_is_no_trip_of_its_visitor(tiny_data: dict[str, Any]) -> None:
    """A visitor's webinar in another week: they do not come for it (a review: it counted as
    a second trip, 10 points)."""
    visitor = next(t for t in tiny_data["teachers"] if t.get("available_only"))
    online = _with_event(tiny_data, teachers=[visitor["id"]], groups=[], location="En ligne")
    online["fixed_events"][-1]["dates"] = ["2026-09-17"]  # the week before the visit
    result = solve_to_optimum(online)
    assert result.costs.get("visitor_trips", 0) == 0
    online["fixed_events"][-1]["site"] = "MONS"  # held here: a trip of its own
    report = check(problem_of(online), result.assignments)
    assert report.costs["visitor_trips"] == 10


def test_a_deadline_without_a_location_has_no_location_line(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A deposit deadline: no site, no location, so no empty `LOCATION:` (a review)."""
    instance = tmp_path / "deadline.yaml"
    instance.write_text(yaml.safe_dump(_with_event(tiny_data)), encoding="utf-8")
    out = tmp_path / "sol"
    result = CliRunner().invoke(cli, ["solve", str(instance), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    feed = icalendar.Calendar.from_ical((out / "calendars" / "all.ics").read_bytes())
    event = next(e for e in feed.walk("VEVENT") if "WEBINAIRE" in str(e["UID"]))
    assert "LOCATION" not in event


def test_an_online_weekend_event_makes_no_weekend_rule_apply(tiny_data: dict[str, Any]) -> None:
    """No weekend slot, and a Saturday webinar: no timetable can open a building then, so
    `report` says saturday_opening cannot apply rather than 'at zero' (a review)."""
    from scheduler.report import cannot_apply

    tiny_data["calendar"]["slots"] = [
        s for s in tiny_data["calendar"]["slots"] if s["weekday"] != "sat"
    ]
    tiny_data["calendar"].pop("closures", None)
    tiny_data["fixed_events"] = []
    online = _with_event(tiny_data, dates=["2026-09-19"], location="En ligne")
    assert {"saturday_opening", "half_saturday"} <= cannot_apply(problem_of(online).instance)
    online["fixed_events"][-1]["site"] = "NAMUR"
    assert "saturday_opening" not in cannot_apply(problem_of(online).instance)


def test_an_event_without_a_site_is_not_named_for_a_one_site_exclusion(
    tiny_data: dict[str, Any],
) -> None:
    """Why a placement breaks one site a day names the events at another site that day, not
    one online (a review)."""
    from scheduler.data.domains import Placement, exclusion_detail

    online = _with_event(tiny_data, dates=["2026-09-26"], start="07:00", end="08:00", groups=[])
    problem = problem_of(online)
    session = next(s for s in problem.sessions if "T1" in s.teachers)
    start = next(d for d in problem.slots if str(d.date) == "2026-09-26")
    place = Placement(session, problem.occupied(start, session.length), "M-A", "MONS")
    assert "WEBINAIRE" not in exclusion_detail(problem, "one_site_per_day", place)
    assert "WEBINAIRE" in exclusion_detail(problem, "fixed_events", place)
