"""What a revision tells people: changes.md, its workbook and page."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.resolve.support import (
    CANCEL_U3,
    published_tiny,
    roomy,
    run_resolve,
    run_resolve_from,
    timetable_rows,
)


def test_changes_md_names_the_people_a_change_concerns(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """changes.md's "for whom" read `T04, COHORT`, codes to the people it is sent to (an
    audit): names first, with the ids staff search for."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    last = max(r["session_id"] for r in timetable_rows(pub).values() if r["ue"] == "UE1")
    cancel = {"today": "2026-09-15", "changes": [{"cancelled": {"session": last}}]}
    code, output, rev = run_resolve(tmp_path, inst, pub, cancel)
    assert code == 0, output
    row = next(
        x
        for x in (rev / "changes.md").read_text("utf-8").splitlines()
        if x.startswith(f"| {last} ")
    )
    assert "; Anne Lambert (T1), Promotion (COHORT) |" in row, row


def test_changes_md_describes_removed_sessions_and_moved_fixed_events(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """An instance edited after publication: a session removed for good and a fixed event
    moved. changes.md says what the removed session was (title, teachers, groups, hours: it
    is no longer in the instance) and lists the event's day that moved; changes.csv has its
    published hours."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    removed = timetable_rows(pub)["UE3-main-02"]
    tiny_data["ues"][2]["sessions"][0]["count"] = 1
    tiny_data["fixed_events"][0]["dates"] = ["2026-09-22"]
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    code, output, rev = run_resolve(tmp_path, inst, pub, {"today": "2026-09-15", "changes": []})
    assert code == 0, output
    moved_event = (  # the site and room by name, as the sessions' places (an audit)
        "ACCUEIL (Journée d'accueil): 2026-09-19 09:00-12:15 at UNamur (Salle A (N-A)) -> "
        "2026-09-22 09:00-12:15 at UNamur (Salle A (N-A))"
    )
    assert f"fixed event {moved_event}" in output
    text = (rev / "changes.md").read_text(encoding="utf-8")
    assert f"- {moved_event}" in text
    (line,) = [x for x in text.splitlines() if x.startswith("| UE3-main-02 |")]
    hours = f"{removed['start']}-{removed['end']}"
    assert "UE3 · Option B; Julie Martin (T3), Option B (OPT-B) |" in line and hours in line
    with (rev / "changes.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = [r for r in csv.DictReader(handle) if r["session"] == "UE3-main-02"]
    assert (row["before_start"], row["before_end"]) == (removed["start"], removed["end"])
    # no longer in the instance: who it concerned comes from the published timetable
    assert (row["before_teachers"], row["ue"], row["groups"]) == ("T3", "UE3", "OPT-B")
    assert row["after_teachers"] == ""  # nobody gives it now (it read T3 twice: a review)


def test_a_teacher_made_unavailable_on_a_fixed_events_day_is_told(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The event cannot move: the re-solve says its teacher is now listed on a day off."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    ill = {
        "today": "2026-09-15",
        "changes": [{"teacher_unavailable": {"teacher": "T1", "date": "2026-09-19"}}],
    }
    code, output, _ = run_resolve(tmp_path, inst, pub, ill)
    assert code == 0, output
    assert (
        "warning: teacher Anne Lambert (T1) is unavailable 19 Sep 2026, yet fixed event ACCUEIL"
        in output
    )


@pytest.mark.parametrize(("closed", "told"), [("2026-09-19", True), ("2026-09-26", False)])
def test_a_site_closed_on_a_fixed_events_day_is_told_as_the_closure(
    tmp_path: Path, tiny_data: dict[str, Any], closed: str, told: bool
) -> None:
    """A fixed event does not move by itself: a closure of its site on its day was said as
    its room's unavailability, and in the console only. It is now said as the closure, with
    the change to write, in the console and in changes.md; a closure another day says
    nothing about it."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    closure = {
        "today": "2026-09-15",
        "changes": [{"site_closed": {"site": "NAMUR", "date": closed}}],
    }
    code, output, rev = run_resolve(tmp_path, inst, pub, closure)
    assert code == 0, output
    said = "fixed event ACCUEIL is at NAMUR on 19 Sep 2026, which changes[0] site_closed closes"
    assert (said in output) is told
    assert (said in (rev / "changes.md").read_text(encoding="utf-8")) is told
    assert "when the room is unavailable" not in output
    assert "event_moved" in output if told else "ACCUEIL" not in output


def test_a_site_closed_on_an_event_day_without_teaching_is_not_said_to_change_nothing(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """An event on a day without teaching slots (a Friday): closing its site that day was said
    both to change nothing ("check its date") and to leave the event in the calendars at a
    closed building (an audit). Only the second is true."""
    tiny_data["fixed_events"][0]["dates"] = ["2026-09-18"]  # a Friday: no slot
    inst, pub = published_tiny(tmp_path, tiny_data)
    closure = {
        "today": "2026-09-15",
        "changes": [{"site_closed": {"site": "NAMUR", "date": "2026-09-18"}}],
    }
    code, output, _ = run_resolve(tmp_path, inst, pub, closure)
    assert code == 0, output
    assert (
        "fixed event ACCUEIL is at NAMUR on 18 Sep 2026, which changes[0] site_closed closes"
        in output
    )
    assert "matches no teaching slot" not in output and "changes nothing" not in output


def test_an_instance_edited_since_publication_is_named_in_changes_md(
    tmp_path: Path, published: Any
) -> None:
    inst, pub, _ = published
    data = roomy()
    data["sites"][0]["rooms"][0]["capacity"] = 40  # a hand edit, not a change
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert result.exit_code == 0, result.output
    text = (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")
    assert "has changed since" in text and "its edits may move sessions too" in text


def test_changes_md_says_what_moved_in_words(tmp_path: Path, published: Any) -> None:
    """changes.md read `teacher_unavailable date=... teacher=T1` and `2026-09-24 THU MONS/M1`:
    now the change, the session, who it concerns and both placements are in words, and
    changes.csv has the hours of both placements."""
    inst, pub, before = published
    row = before["U1-main-03"]
    change = {"teacher_unavailable": {"teacher": "T1", "date": row["date"]}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [change]}
    )
    assert code == 0, output
    day = dt.date.fromisoformat(row["date"]).strftime("%A")
    md = (rev / "changes.md").read_text(encoding="utf-8")
    said = f"T1 unavailable on {day} {row['date']}"
    assert f"- {said} (`teacher_unavailable date={row['date']} teacher=T1`)" in md
    assert "| session | what it is, for whom | before | after | change | cause |" in md
    assert "No session moved" not in md  # the table, when sessions moved
    (line,) = [x for x in md.splitlines() if x.startswith("| U1-main-03 |")]
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[1] == "U1 (3/3); T1, C"
    assert (
        cells[2] == f"{day} {row['date']} {row['start']}-{row['end']}, {row['room']}, {row['site']}"
    )
    assert cells[5] == said
    (moved,) = csv.DictReader((rev / "changes.csv").open(encoding="utf-8"))
    assert (moved["before_start"], moved["before_end"]) == (row["start"], row["end"])
    assert (
        moved["after_start"]
        and moved["cause"] == f"teacher_unavailable date={row['date']} teacher=T1"
    )
    # whom to tell: the teachers (unchanged, so the same twice), the UE and the groups
    assert (moved["before_teachers"], moved["after_teachers"]) == ("T1", "T1")
    assert (moved["ue"], moved["groups"]) == ("U1", row["groups"]) and row["groups"]


def test_a_move_within_the_day_is_a_time_change_not_a_date_change() -> None:
    """Students read 'date' as another day: a morning session moved to the afternoon of the
    same Saturday was labelled so."""
    from scheduler.resolve.diff import _what
    from scheduler.solution import Assignment
    from tests.test_export_support import tiny_problem

    day = dt.date(2026, 9, 26)
    am = Assignment("UE1-main-01", day, "SAT-AM", "N-A")
    assert _what(tiny_problem(), am, Assignment("UE1-main-01", day, "SAT-PM", "N-A")) == "time"
    later = Assignment("UE1-main-01", day + dt.timedelta(days=7), "SAT-AM", "M-A")
    assert _what(tiny_problem(), am, later) == "date+site+room"


def test_a_revision_page_does_not_compare_with_a_timetable_solved_again(
    tmp_path: Path, published: Any
) -> None:
    """Solving the published folder again keeps rev-1 but replaces the timetable it revised:
    rev-1's page then counted '77 moved' against the new one."""
    inst, pub, _ = published
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 0, output
    table = pub / "timetable.csv"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # another one
    done = CliRunner().invoke(cli, ["export", str(rev), "--format", "html"])
    assert done.exit_code == 0, done.output
    page = (rev / "timetable.html").read_text(encoding="utf-8")
    header = re.search(r'<div class="sub revision" id="revision">(.*?)</div>', page)
    assert header is not None and "what changed is not marked" in header[1]


def test_sessions_moved_by_the_instance_s_edits_are_said_so(tmp_path: Path, published: Any) -> None:
    """With no change at all, a session moved because the edited instance forbids its place
    read 'knock-on: moved to make room for the changes' beside '0 change(s)' (spreadsheet
    audit). Its own move now names the edits; the others made room for them."""
    inst, pub, before = published
    row = min((r for r in before.values() if r["date"] > "2026-09-20"), key=lambda r: r["date"])
    teacher = row["teachers"].split(";")[0]
    data = roomy()
    next(t for t in data["teachers"] if t["id"] == teacher)["unavailable"] = [{"date": row["date"]}]
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert result.exit_code == 0, result.output
    with (pub / "rev-1" / "changes.csv").open(encoding="utf-8") as handle:
        causes = {r["session"]: r["cause"] for r in csv.DictReader(handle)}
    text = json.dumps(causes, ensure_ascii=False)
    assert row["session_id"] in causes, text
    assert "the instance's edits: its published place breaks one of its rules now" in text
    assert "make room for the changes" not in text


def test_changes_md_lists_a_day_s_sessions_by_their_time() -> None:
    """Within a day the rows came by session id: 19:15 before 17:30 (an audit)."""
    from scheduler.resolve.changes import Changes
    from scheduler.resolve.changes_md import changes_markdown
    from scheduler.resolve.diff import Moved
    from scheduler.solution import Assignment
    from tests.test_export_support import tiny_problem

    day, later = dt.date(2026, 9, 19), dt.date(2026, 9, 26)
    afternoon = Assignment("UE1-main-01", day, "SAT-PM", "N-A")
    morning = Assignment("UE3-main-02", day, "SAT-AM", "M-A")
    moved = [
        Moved(a.session, a, Assignment(a.session, later, a.slot, a.room), "date", "", "")
        for a in (afternoon, morning)
    ]
    md = changes_markdown(tiny_problem(), moved, Changes(today=dt.date(2026, 9, 15)), [])
    rows = [line.split("|")[1].strip() for line in md.splitlines() if line.startswith("| UE")]
    assert rows == ["UE3-main-02", "UE1-main-01"]


def test_a_revision_never_published_is_not_what_people_were_told_of(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """rev-1 republished in pub, then rev-2 made from rev-1 by mistake and never published:
    a re-solve from rev-1 took rev-2 as "the latest people were told of" in its warnings,
    changes.md and calendars (an audit). The folder's calendars say what people hold."""
    from scheduler.cli.export_cmd import export

    inst, pub = published_tiny(tmp_path, tiny_data)
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [away]})
    assert code == 0, output
    assert CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)]).exit_code == 0
    mistaken = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "UE3-main-02"}}]}
    assert run_resolve_from(tmp_path, inst, pub / "rev-1", mistaken).exit_code == 0
    meant = {"teacher_unavailable": {"teacher": "T2", "date": "2026-09-24"}}
    again = run_resolve_from(
        tmp_path, inst, pub / "rev-1", {"today": "2026-09-16", "changes": [meant]}
    )
    assert again.exit_code == 0, again.output
    text = (pub / "rev-3" / "changes.md").read_text(encoding="utf-8")
    assert "Against rev-2" not in text and "the latest people were told of" not in again.output
    assert "already has later revisions (rev-2)" in " ".join(again.output.split())  # still said
