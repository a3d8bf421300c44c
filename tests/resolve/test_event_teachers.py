"""A fixed event's teachers and groups from today on (`event_moved`'s `teachers`, `groups`):
a visitor replaced for good stayed on the international seminar, confirmed in her calendar,
and nothing could take her off (an audit); a replacement of all of a teacher's sessions
says the events that still list them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import icalendar
import pytest

from scheduler.resolve.change_kinds import EventMoved
from tests.resolve.edits_support import (
    assert_revision_checked,
    edits_instance,
    publish_variant,
    resolve_output,
)


def _with_visitor_on_the_event(tmp_path: Path) -> tuple[Path, Path]:
    data: dict[str, Any] = edits_instance()
    data["teachers"].append({"id": "T2", "name": "Marc Dupont", "email": "marc@example.org"})
    data["teachers"][1]["name"] = "Claire Roy"  # V, on the event of 2026-10-10 too
    data["teachers"][1]["available_only"].append({"date": "2026-10-10"})
    data["fixed_events"][0]["teachers"] = ["V"]
    return publish_variant(tmp_path, data, "event-teachers")


def _statuses(feed: Path) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in calendar.walk("VEVENT")}


def test_a_teacher_replaced_for_good_is_said_to_be_still_on_an_event(tmp_path: Path) -> None:
    inst, pub = _with_visitor_on_the_event(tmp_path)
    changes = {
        "today": "2026-09-16",
        "changes": [{"teacher_replaced": {"teacher": "V", "by": "T2"}}],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    said = (
        "Claire Roy (V), replaced by changes[0] in every session they give from today on, is "
        "still listed on fixed "
        "event Journée (EV) on 10 Oct 2026: if they no longer come, add a change `event_moved: "
        "{event: EV, teachers: [...]}` without them"
    )
    assert f"warning: {said}" in output
    assert f"Note: {said}." in (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")
    # replaced in one UE only: they go on teaching, and may well come: nothing said
    changes["changes"] = [{"teacher_replaced": {"teacher": "V", "by": "T2", "ue": "U2"}}]
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert "is still listed on fixed event" not in output


def test_an_event_s_teachers_change_from_today_on(tmp_path: Path) -> None:
    inst, pub = _with_visitor_on_the_event(tmp_path)
    changes = {
        "today": "2026-09-16",
        "changes": [
            {"teacher_replaced": {"teacher": "V", "by": "T2"}},
            {"event_moved": {"event": "EV", "teachers": ["T2"]}},
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert "is still listed on fixed event" not in output  # taken off by the second change
    rev = pub / "rev-1"
    assert_revision_checked(inst, rev)
    # the old teacher's feed cancels the event's day, the new one's has it
    calendars = rev / "calendars"
    assert _statuses(calendars / "teacher-V.ics")["EV-20261010"] == "CANCELLED"
    assert _statuses(calendars / "teacher-T2.ics")["EV-20261010"] == "CONFIRMED"
    text = (rev / "changes.md").read_text(encoding="utf-8")
    assert (
        "- fixed event Journée (EV) moved: teachers Marc Dupont (T2) "
        "(`event_moved event=EV teachers=T2`)"
    ) in text
    line = (
        "EV (Journée): 2026-10-10 09:00-17:00 at NAMUR; teachers Claire Roy (V) -> Marc Dupont (T2) "
        "(fixed event Journée (EV) "
        "moved: teachers Marc Dupont (T2))"
    )
    assert f"- {line}" in text.split("Fixed events changed:")[1]
    whom = text.split("Whom to tell")[1]
    assert (
        "- Marc Dupont (T2) <marc@example.org>:" in whom
        and f"  - {line.split(' (fixed')[0]}" in whom
    )
    assert "- Claire Roy (V) (no e-mail address in the instance):" in whom
    with (rev / "changes.csv").open(encoding="utf-8") as handle:
        (row,) = [r for r in csv.DictReader(handle) if r["session"] == "EV"]
    assert (row["what"], row["before_teachers"], row["after_teachers"]) == ("teacher", "V", "T2")
    assert row["before_date"] == row["after_date"] == "2026-10-10"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"teachers": ["T2", "T2"]}, "'T2' is listed more than once"),
        ({"groups": ["C", "C"]}, "'C' is listed more than once"),
    ],
)
def test_an_event_s_people_are_listed_once(fields: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        EventMoved.model_validate({"event": "EV", **fields})


def test_an_unknown_teacher_or_one_on_an_event_held_already_is_refused(tmp_path: Path) -> None:
    inst, pub = _with_visitor_on_the_event(tmp_path)
    unknown = {
        "today": "2026-09-16",
        "changes": [{"event_moved": {"event": "EV", "teachers": ["X9"]}}],
    }
    code, output = resolve_output(tmp_path, inst, pub, unknown)
    assert code == 2 and "changes[0] event_moved" in output and "X9" in output, output
    held = {
        "today": "2026-10-12",
        "changes": [{"event_moved": {"event": "EV", "teachers": ["T2"]}}],
    }
    code, output = resolve_output(tmp_path, inst, pub, held)
    assert code == 2, output
    assert "took place on 2026-10-10 already: its teachers cannot change" in output


def test_a_teacher_away_on_an_event_s_day_is_told_how_to_take_them_off(tmp_path: Path) -> None:
    inst, pub = _with_visitor_on_the_event(tmp_path)
    away = {"teacher_unavailable": {"teacher": "V", "date": "2026-10-10"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [away]})
    assert code == 0, output
    assert (
        "yet fixed event EV lists them on 10 Oct 2026: take them off the event (in a re-solve, "
        "a change `event_moved: {event: EV, teachers: [...]}` without them), or correct their "
        "availability"
    ) in " ".join(output.split())


def test_an_event_held_already_on_a_day_keeps_its_teachers_and_says_so(tmp_path: Path) -> None:
    """Its teachers cannot change (its day held keeps them): no advice of a change that
    would be refused (a review)."""
    data: dict[str, Any] = edits_instance()
    data["teachers"][1]["name"] = "Claire Roy"
    data["teachers"][1]["available_only"] += [{"date": "2026-10-03"}, {"date": "2026-10-10"}]
    data["teachers"].append({"id": "T2"})
    data["fixed_events"][0] |= {"teachers": ["V"], "dates": ["2026-10-03", "2026-10-10"]}
    inst, pub = publish_variant(tmp_path, data, "held")
    changes = {
        "today": "2026-10-05",
        "changes": [
            {"teacher_replaced": {"teacher": "V", "by": "T2"}},
            {"teacher_unavailable": {"teacher": "V", "date": "2026-10-10"}},
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    said = " ".join(output.split())
    assert (
        "Claire Roy (V), replaced by changes[0] in every session they give from today on, is "
        "still listed on fixed "
        "event Journée (EV) on 10 Oct 2026: if they no longer come, tell them (the event was "
        "held already on a day, so its teachers stay)"
    ) in said
    assert "lists them on 10 Oct 2026: take them off the event, or correct" in said
    assert "event_moved" not in said


def test_an_event_s_teachers_and_groups_changed_together_are_one_row(tmp_path: Path) -> None:
    inst, pub = _with_visitor_on_the_event(tmp_path)
    moved = {"event_moved": {"event": "EV", "teachers": ["T2"], "groups": []}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [moved]})
    assert code == 0, output
    with (pub / "rev-1" / "changes.csv").open(encoding="utf-8") as handle:
        (row,) = [r for r in csv.DictReader(handle) if r["session"] == "EV"]
    assert (row["what"], row["before_teachers"], row["after_teachers"]) == (
        "teacher+groups",
        "V",
        "T2",
    )
    text = (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")
    assert (
        "EV (Journée): 2026-10-10 09:00-17:00 at NAMUR; teachers Claire Roy (V) -> Marc Dupont "
        "(T2); groups C -> none ("
    ) in text


def _summaries(feed: Path) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(e["UID"]).split("@")[0]: str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}


def test_an_event_moved_without_a_teacher_leaves_their_feed_not_moved_in_it(
    tmp_path: Path,
) -> None:
    """Its new day is not in the feed of the teacher it no longer lists: the old day there
    says it left them, not "Moved to ..." a day they cannot see (an audit); the feeds that
    keep the event say where it went."""
    inst, pub = _with_visitor_on_the_event(tmp_path)
    moved = {"event_moved": {"event": "EV", "dates": ["2026-10-17"], "teachers": ["T2"]}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [moved]})
    assert code == 0, output
    calendars = pub / "rev-1" / "calendars"
    assert _statuses(calendars / "teacher-V.ics")["EV-20261010"] == "CANCELLED"
    assert _summaries(calendars / "teacher-V.ics")["EV-20261010"].startswith("Given to another: ")
    assert "EV-20261017" not in _summaries(calendars / "teacher-V.ics")
    assert _statuses(calendars / "teacher-T2.ics")["EV-20261017"] == "CONFIRMED"
    group = _summaries(calendars / "group-C.ics")
    assert group["EV-20261010"].startswith("Moved to 17 October 2026: ")
