"""Re-solving after changes: minimal moves, the past untouched, outputs beside the published one."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli, resolve_start
from scheduler.data.words import format_date


def roomy() -> dict[str, Any]:
    """Four weeks with plenty of free slots, so that a minimal repair moves only what it must."""
    slots = [
        {"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:15"},
        {"id": "THU", "weekday": "thu", "start": "18:00", "end": "21:15"},
        {"id": "AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
    ]
    return {
        "name": "roomy",
        "calendar": {"start": "2026-09-15", "end": "2026-10-10", "slots": slots},
        "sites": [
            {"id": "MONS", "rooms": [{"id": "M1", "capacity": 30}, {"id": "M2", "capacity": 30}]},
            {"id": "NAMUR", "rooms": [{"id": "N1", "capacity": 30}]},
        ],
        "groups": [
            {"id": "C", "size": 20},
            {"id": "A", "size": 10, "part_of": "C", "partition": "opt"},
            {"id": "B", "size": 10, "part_of": "C", "partition": "opt"},
        ],
        "teachers": [{"id": "T1"}, {"id": "T2"}, {"id": "T3"}],
        "ues": [
            {"id": "U1", "teachers": ["T1"], "groups": ["C"], "sessions": [{"count": 3}]},
            {"id": "U2", "teachers": ["T2"], "groups": ["A"], "sessions": [{"count": 2}]},
            {"id": "U3", "teachers": ["T3"], "groups": ["B"], "sessions": [{"count": 1}]},
        ],
    }


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, dict[str, str]]]:
    inst = tmp_path / "roomy.yaml"
    inst.write_text(yaml.safe_dump(roomy()), encoding="utf-8")
    out = tmp_path / "pub"
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    return inst, out, _rows(out)


_CANCEL_U3 = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "U3-main-01"}}]}


def _rows(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "timetable.csv").open(encoding="utf-8") as handle:
        return {r["session_id"]: r for r in csv.DictReader(handle) if r["kind"] == "session"}


def _resolve(
    tmp_path: Path, inst: Path, pub: Path, changes: dict[str, Any]
) -> tuple[int, str, Path]:
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--deterministic"]
    )
    return result.exit_code, result.output, pub / "rev-1"


def _moved(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> set[str]:
    keys = ("date", "start", "room")
    return {s for s in after if s not in before or any(before[s][k] != after[s][k] for k in keys)}


def _ics_events(path: Path) -> dict[str, dict[str, str]]:
    """UID -> properties of each VEVENT (unfolded lines, parameters dropped)."""
    text = path.read_text(encoding="utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    events: dict[str, dict[str, str]] = {}
    for block in text.split("BEGIN:VEVENT")[1:]:
        props = {}
        for line in block.split("END:VEVENT")[0].strip().splitlines():
            key, _, value = line.partition(":")
            props[key.split(";")[0]] = value
        events[props["UID"]] = props
    return events


def _check(inst: Path, folder: Path) -> None:
    """A revision is checked against its own instance (the instance with its changes)."""
    own = folder / "instance.yaml"
    assert own.is_file() or not folder.name.startswith("rev-")
    inst = own if own.is_file() else inst
    result = CliRunner().invoke(cli, ["check", str(inst), str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["feasible"] is True


def test_cancellation_moves_exactly_the_cancelled_session(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 0, output
    after = _rows(rev)
    assert _moved(before, after) == {"U3-main-01"}
    assert after["U3-main-01"]["date"] >= "2026-09-16"
    assert "proved minimal" in output
    _check(inst, rev)
    assert (pub / "timetable.csv").read_text(encoding="utf-8").count("\n") == len(
        before
    ) + 1  # untouched
    md = (rev / "changes.md").read_text(encoding="utf-8")
    assert "U3-main-01" in md and "cancelled session=U3-main-01" in md
    page = (rev / "timetable.html").read_text(encoding="utf-8")  # says what changed
    assert (
        f"{rev.name}: re-solved for the changes known on 16 September 2026; since the timetable "
        "it revised: 1 moved" in page
    )
    data = json.loads(re.search(r'id="timetable-data">(.*?)</script>', page, re.S)[1])
    assert [i["key"] for i in data["items"] if i["change"]] == ["U3-main-01"]


def test_cancelling_a_future_session_moves_it_off_the_cancelled_slot(
    tmp_path: Path, published: Any
) -> None:
    """Cancelled after today (the teacher calls in sick for next week): it must move, even
    though leaving it in place would disrupt nothing."""
    inst, pub, before = published
    latest = max(before, key=lambda sid: before[sid]["date"])
    today = min(row["date"] for row in before.values())
    code, output, rev = _resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"cancelled": {"session": latest}}]}
    )
    assert code == 0, output
    after = _rows(rev)
    assert _moved(before, after) >= {latest}
    moved = after[latest]
    assert (moved["date"], moved["start"]) != (before[latest]["date"], before[latest]["start"])
    _check(inst, rev)


def test_cancelling_a_session_whose_successor_already_took_place(
    tmp_path: Path, published: Any
) -> None:
    """SCHEMA's example: 07 cancelled, 08 already taught. 07 comes back after today, out of
    its series' order; the revision records it as `reordered`, so that checking the revision
    against its own instance passes, and a later re-solve keeps it so."""
    inst, pub, before = published
    by_series: dict[str, list[str]] = {}
    for sid in sorted(before):
        by_series.setdefault(sid.rsplit("-", 1)[0], []).append(sid)
    first, second = next(
        (ids[0], ids[1])
        for ids in by_series.values()
        if len(ids) > 1 and before[ids[0]]["date"] < before[ids[1]]["date"]
    )
    today = (dt.date.fromisoformat(before[second]["date"]) + dt.timedelta(days=1)).isoformat()
    code, output, rev = _resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"cancelled": {"session": first}}]}
    )
    assert code == 0, output
    after = _rows(rev)
    assert after[first]["date"] >= today
    assert after[second] == before[second]  # taught: untouched
    document = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert document["reordered"] == [first]
    said = f"{first} comes back after later sessions of its series that already took place"
    assert said in output and said in (rev / "changes.md").read_text(encoding="utf-8")
    _check(inst, rev)  # series order holds without `first`
    # its title says it is a make-up, where "(1/3)" after "(2/3)" left readers guessing (an audit)
    feed = icalendar.Calendar.from_ical((rev / "calendars" / "all.ics").read_bytes())
    titles = {str(e["UID"]).split("@")[0]: str(e["SUMMARY"]) for e in feed.walk("VEVENT")}
    made_up = "rattrapage" if roomy().get("language", "").startswith("fr") else "make-up"
    assert re.search(rf"\(1/\d+, {made_up}\)$", titles[first]), titles[first]
    assert made_up not in titles[second]
    broken = {k: v for k, v in document.items() if k != "reordered"}
    (tmp_path / "plain.json").write_text(json.dumps(broken), encoding="utf-8")
    plain = CliRunner().invoke(cli, ["check", str(inst), str(tmp_path / "plain.json"), "--json"])
    assert plain.exit_code == 1  # without the record, the order is broken: the checker says so
    assert any(v["rule"] == "series_order" for v in json.loads(plain.stdout)["violations"])
    # re-solved from it with an earlier today (the later session not given yet then), the
    # claim is stale: it was kept, and the checker refused the revision (a review)
    earlier = before[second]["date"]
    again = _resolve_from(tmp_path, inst, rev, {"today": earlier, "changes": []})
    assert again.exit_code == 0, again.output
    second_rev = rev.parent / "rev-2"
    assert "reordered" not in json.loads((second_rev / "solution.json").read_text("utf-8"))
    assert "reordered" not in yaml.safe_load((second_rev / "instance.yaml").read_text("utf-8"))
    _check(inst, second_rev)
    plain = CliRunner().invoke(cli, ["check", str(inst), str(second_rev), "--json"])
    assert plain.exit_code == 0, plain.output  # against the original instance too


def test_a_revision_s_instance_keeps_its_past_for_the_checker(
    tmp_path: Path, published: Any
) -> None:
    """An audit moved a session still to give (and a make-up) into a revision's past by hand:
    `check` against the revision's instance passed it, which pinned the sessions given but
    said nothing of the day. The instance records it (`frozen_before`); rule `past`."""
    inst, pub, before = published
    today = "2026-09-24"
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": today, "changes": []})
    assert code == 0, output
    own = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    assert own["frozen_before"] == today
    document = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    ahead = next(a for a in document["assignments"] if a["date"] > today)
    given = next(a for a in document["assignments"] if a["date"] < today)
    ahead["date"], ahead["slot"] = given["date"], given["slot"]  # a free room there, or not
    (rev / "timetable.csv").unlink()
    (rev / "solution.json").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(rev / "instance.yaml"), str(rev), "--json"])
    assert result.exit_code == 1, result.output
    past = [v for v in json.loads(result.output)["violations"] if v["rule"] == "past"]
    assert [v["entities"] for v in past] == [[ahead["session"], given["date"]]]
    # a plain solve of that instance keeps to it too
    out = tmp_path / "again"
    solved = CliRunner().invoke(
        cli, ["solve", str(rev / "instance.yaml"), "--out", str(out), "--deterministic"]
    )
    assert solved.exit_code == 0, solved.output
    again = _rows(out)
    assert {sid for sid, r in again.items() if r["date"] < today} == {
        sid for sid, r in before.items() if r["date"] < today
    }


def _t1_unavailable(tmp_path: Path, published: Any) -> tuple[str, Path]:
    """A re-solve for T1 unavailable on the day of U1-main-03: (that day, the revision)."""
    inst, pub, before = published
    day = before["U1-main-03"]["date"]
    change = {"teacher_unavailable": {"teacher": "T1", "date": day}}
    code, output, rev = _resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [change]}
    )
    assert code == 0, output
    return day, rev


def test_teacher_unavailable_moves_only_that_date(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    _, rev = _t1_unavailable(tmp_path, published)
    after = _rows(rev)
    assert _moved(before, after) == {"U1-main-03"}
    events = _ics_events(rev / "calendars" / "all.ics")
    assert events["U1-main-03@roomy.scheduler"]["SEQUENCE"] == "1"  # updated in place
    assert events["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "0"  # untouched
    assert events.keys() == _ics_events(pub / "calendars" / "all.ics").keys()  # same UIDs
    for sid, row in before.items():  # the past is exactly as published
        if row["date"] < before["U1-main-02"]["date"]:
            assert after[sid] == row
    _check(inst, rev)


def test_the_revisions_workbook_says_why_each_session_changed(
    tmp_path: Path, published: Any
) -> None:
    """An audit: the workbook's Changes sheet said what changed but not why (changes.csv and
    changes.md did). Now changes.csv has the cause in words, and the sheet shows it."""
    from openpyxl import load_workbook

    day, rev = _t1_unavailable(tmp_path, published)
    with (rev / "changes.csv").open(encoding="utf-8") as handle:
        rows = {r["session"]: r for r in csv.DictReader(handle)}
    said = f"T1 unavailable on {dt.date.fromisoformat(day):%A} {day}"
    assert rows["U1-main-03"]["cause_in_words"] == said, rows
    sheet = load_workbook(rev / "timetable.xlsx")["Changes"]
    head = [c.value for c in sheet[1]]
    assert head[-3:] == ["Change", "Cause", "Id"], head
    found = {r[-1]: r[-2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert found == {"U1-main-03": said}, found


def test_a_room_change_is_told_with_its_rooms(tmp_path: Path, published: Any) -> None:
    """The console said `UE3-main-07: 2026-12-12 SAT-AM -> 2026-12-12 SAT-AM (room; ...)`
    of a session given another room: the change itself was not shown (an audit)."""
    inst, pub, before = published
    sid, row = min(
        ((s, r) for s, r in before.items() if r["site"] == "MONS" and r["date"] > "2026-09-15"),
        key=lambda item: item[1]["date"],
    )
    closed = {"room_unavailable": {"room": row["room"], "date": row["date"]}}
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [closed]})
    assert code == 0, output
    after = _rows(rev)
    assert _moved(before, after) == {sid}
    other = "M2" if row["room"] == "M1" else "M1"
    assert (after[sid]["date"], after[sid]["room"]) == (row["date"], other)  # the least move
    slot = next(line for line in output.splitlines() if line.startswith(f"  {sid}: "))
    assert f"{row['date']} " in slot and f" {row['room']} -> {row['date']} " in slot, slot
    assert slot.split(" (")[0].endswith(f" {other}"), slot
    _check(inst, rev)


def test_site_closure_moves_that_days_sessions(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    day, site = before["U1-main-03"]["date"], before["U1-main-03"]["site"]
    closure = {"site_closed": {"site": site, "date": day, "reason": "grève"}}
    code, output, rev = _resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [closure]}
    )
    assert code == 0, output
    after = _rows(rev)
    that_day = {s for s, r in before.items() if r["date"] == day and r["site"] == site}
    assert _moved(before, after) == that_day
    assert all(not (after[s]["date"] == day and after[s]["site"] == site) for s in after)
    rows = list(csv.DictReader((rev / "changes.csv").open(encoding="utf-8")))
    assert {r["session"] for r in rows} == _moved(before, after)
    # its reason is said with it (an audit could not record a strike), not kept in the instance
    assert all(r["cause"].endswith(" reason=grève") for r in rows)
    assert all(r["cause_in_words"].endswith(" (grève)") for r in rows)
    assert "grève" in (rev / "changes.md").read_text(encoding="utf-8")
    assert "grève" not in (rev / "instance.yaml").read_text(encoding="utf-8")
    _check(inst, rev)


def test_later_revisions_of_a_copied_folder_are_said_to_hold_its_changes(
    tmp_path: Path, published: Any
) -> None:
    """An audit copied the published folder with its rev-1 (`cp -r`) and re-solved from the
    copy: rev-1, whose record names the original folder, was said to hold "none of this
    one's changes" though it revises the same timetable."""
    inst, pub, _ = published
    code, output, _ = _resolve(
        tmp_path, inst, pub, {"today": "2026-09-20", "changes": [{"add_sessions": {"ue": "U2"}}]}
    )
    assert code == 0, output
    copied = tmp_path / "copied"
    shutil.copytree(pub, copied)
    code, output, _ = _resolve(tmp_path, inst, copied, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    assert "holds none of this one's changes" not in output
    assert (
        f"rev-1 revises {pub.resolve()}, whose timetable is this one (a copy): re-solve from "
        f"{copied / 'rev-1'} to keep them"
    ) in " ".join(output.split())


def test_added_session_lands_after_today_and_second_revision_is_new(
    tmp_path: Path, published: Any
) -> None:
    inst, pub, before = published
    code, output, rev = _resolve(
        tmp_path,
        inst,
        pub,
        {"today": "2026-09-20", "changes": [{"add_sessions": {"ue": "U2", "count": 1}}]},
    )
    assert code == 0, output
    assert "moved      0 sessions, 1 session added;" in output  # not counted as moved (audit)
    assert "1 session added to U2 (main)" in (rev / "changes.md").read_text(encoding="utf-8")
    after = _rows(rev)
    assert _moved(before, after) == {"U2-main-03"}
    assert after["U2-main-03"]["date"] >= "2026-09-20"
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0 and (pub / "rev-2" / "timetable.csv").exists()
    # from pub again, rev-1's change is left out: said, since rev-1's subscribers would miss it
    assert "already has later revisions (rev-1): this re-solve leaves out their changes" in output
    assert f"re-solve from {pub / 'rev-1'} to keep them" in output  # rev-1 descends from pub
    # and what rev-1 renamed ("1/2" -> "1/3") and rev-2 names back supersedes rev-1's events
    rev1 = _ics_events(pub / "rev-1" / "calendars" / "all.ics")
    rev2 = _ics_events(pub / "rev-2" / "calendars" / "all.ics")
    renamed = [u for u in rev1 if u.startswith("U2-main-0") and rev1[u]["SEQUENCE"] == "1"]
    assert renamed and all(rev2[u]["SEQUENCE"] == "2" for u in renamed)
    assert rev2["U2-main-03@roomy.scheduler"]["STATUS"] == "CANCELLED"
    # changes.md says what rev-1's readers see change: the session rev-1 added is gone
    text = (pub / "rev-2" / "changes.md").read_text(encoding="utf-8")
    assert "Against rev-1, the latest revision, which this one supersedes" in text
    # and where it starts from, not only in the console (a re-solve audit)
    assert "which already had later revisions (rev-1): their changes are not in this one" in text
    (line,) = [x for x in text.splitlines() if x.startswith("| U2-main-03 |")]
    assert line.endswith("| — |") and after["U2-main-03"]["date"] in line
    # from rev-1 now: rev-2 branched off pub and holds none of rev-1's changes, so "re-solve
    # from rev-2 to keep them" would have lost rev-1's added session (a docs audit)
    code, output, _ = _resolve(
        tmp_path, inst, pub / "rev-1", {"today": "2026-09-20", "changes": []}
    )
    assert code == 0, output
    assert "already has later revisions (rev-2)" in output and "to keep them" not in output
    assert f"rev-2 was re-solved from {pub.resolve() / 'solution.json'}, not from" in output
    assert "holds none of this one's changes either" in output
    # from pub: rev-3 (from rev-1) keeps rev-1's, not rev-2's, a branch beside it (a review)
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    assert f"re-solve from {pub / 'rev-3'} to keep its own (rev-2 branched off beside it" in output
    # rev-1 deleted (and the rev-4 just made): whether rev-3 holds pub's changes is not
    # known, not "none"
    shutil.rmtree(pub / "rev-1")
    shutil.rmtree(pub / "rev-4")
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0 and "rev-3 revises a timetable that is no longer there" in output, output


def test_calendars_follow_what_their_events_show(tmp_path: Path, published: Any) -> None:
    """An added session renames its series' others ("1/2" -> "1/3"): their events change, so
    their SEQUENCE rises though they did not move (it stayed 0, and calendar clients could keep
    the old titles). Exporting the revision to a new folder continues its numbers (they
    restarted at 0) and does not publish a change that is not there."""
    inst, pub, _ = published
    add = {"add_sessions": {"ue": "U2", "count": 1}}
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [add]})
    assert code == 0, output
    old, new = (
        _ics_events(pub / "calendars" / "all.ics"),
        _ics_events(rev / "calendars" / "all.ics"),
    )
    renamed = ["U2-main-01@roomy.scheduler", "U2-main-02@roomy.scheduler"]
    assert all(old[uid]["SUMMARY"] != new[uid]["SUMMARY"] for uid in renamed)
    assert [new[uid]["SEQUENCE"] for uid in renamed] == ["1", "1"]
    # and changes.md tells the readers it is sent to (it said nothing: an audit)
    text = (rev / "changes.md").read_text(encoding="utf-8")
    assert "2 sessions renamed, not moved (their series now counts other sessions" in text
    assert re.search(r"^- U2-main-01 \(U2[^)]*\), 2026-\d\d-\d\d: 1/2 -> 1/3$", text, re.M)
    assert re.search(r"^- U2-main-02 \(U2[^)]*\), 2026-\d\d-\d\d: 2/2 -> 2/3$", text, re.M)
    assert "U1-main-01 (" not in text  # its series kept its count
    assert new["U2-main-03@roomy.scheduler"]["SEQUENCE"] == "0"  # a new event
    assert new["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "0"  # unchanged
    fresh = tmp_path / "fresh"
    exported = CliRunner().invoke(cli, ["export", str(rev), "--out", str(fresh)])
    assert exported.exit_code == 0, exported.output
    again = _ics_events(fresh / "calendars" / "all.ics")
    assert {u: e["SEQUENCE"] for u, e in again.items()} == {
        u: e["SEQUENCE"] for u, e in new.items()
    }


def test_dropping_a_session_says_which_ones_it_renumbers(tmp_path: Path, published: Any) -> None:
    """A dropped session moves the later ones of its series up a place and lowers the count of
    every one from today on: changes.md names them (the calendars sent them again unsaid);
    those before today keep their published titles, so they are not named."""
    inst, pub, before = published
    today = before["U1-main-02"]["date"]  # U1-main-01 is past, 02 dropped, 03 renumbered
    changes = {"today": today, "changes": [{"dropped": {"session": "U1-main-02"}}]}
    code, output, rev = _resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    text = (rev / "changes.md").read_text(encoding="utf-8")
    (line,) = [x for x in text.splitlines() if x.startswith("- U1-main-") and " -> " in x]
    assert line == f"- U1-main-03 (U1), {before['U1-main-03']['date']}: 3/3 -> 2/2", text
    assert "1 session renamed, not moved" in text


def test_a_revision_s_bound_is_said_to_hold_among_the_least_disruptive(
    tmp_path: Path, published: Any
) -> None:
    """A re-solve minimises its disruption first: its soft-cost bound is not of every timetable
    of its instance (an audit read "OPTIMAL, gap 0.0 %" of a revision costing 1,380 whose
    instance, solved afresh, gave 1,094). The console and `report` say so, and `report` gives
    the disruption; a plain solve's report does not qualify its bound."""
    inst, pub, _ = published
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 0, output
    qualified = "(among the timetables that move least, the past fixed; not every timetable)"
    assert re.search(rf"^bound +\d+ {re.escape(qualified)}$", output, re.M), output
    record = json.loads((rev / "solution.json").read_text(encoding="utf-8"))["revision"]
    assert isinstance(record["disruption"], int) and record["disruption"] > 0
    reported = CliRunner().invoke(cli, ["report", str(rev)])
    assert reported.exit_code == 0, reported.output
    assert qualified in reported.output
    proved = "proved minimal" if record["disruption_proved_minimal"] else "best found"
    assert f"disruption {record['disruption']} ({proved}), against the timetable it revises" in (
        reported.output
    )
    plain = CliRunner().invoke(cli, ["report", str(pub)])
    assert plain.exit_code == 0 and "bound" in plain.output
    assert qualified not in plain.output and "disruption" not in plain.output


def test_a_room_s_feed_cancels_a_session_leaving_it_after_a_side_branch_dropped_it(
    tmp_path: Path, published: Any
) -> None:
    """rev-1 keeps U2-main-02 in its room; rev-2, a side branch from the published timetable,
    drops it; rev-3, from rev-1, moves it to another room. rev-1's subscribers of the old
    room's feed hold it confirmed there: rev-3's feed must cancel it (it left it out, as rev-2
    had cancelled it: an audit of calendars over re-solves)."""
    inst, pub, before = published
    sid, today = "U2-main-02", "2026-09-16"
    room, day = before[sid]["room"], before[sid]["date"]
    assert _resolve_from(tmp_path, inst, pub, {"today": today, "changes": []}).exit_code == 0
    dropped = {"today": today, "changes": [{"dropped": {"session": sid}}]}
    assert _resolve_from(tmp_path, inst, pub, dropped).exit_code == 0
    closed = {"today": today, "changes": [{"room_unavailable": {"room": room, "date": day}}]}
    result = _resolve_from(tmp_path, inst, pub / "rev-1", closed)
    assert result.exit_code == 0, result.output
    rev3 = pub / "rev-3"
    assert _rows(rev3)[sid]["room"] != room  # it moved room
    uid = f"{sid}@roomy.scheduler"
    was = _ics_events(pub / "rev-1" / "calendars" / f"room-{room}.ics")[uid]
    now = _ics_events(rev3 / "calendars" / f"room-{room}.ics").get(uid)
    assert was["STATUS"] == "CONFIRMED"
    assert now is not None and now["STATUS"] == "CANCELLED", now
    assert int(now["SEQUENCE"]) > int(was["SEQUENCE"])


def test_impossible_changes_exit_1_and_keep_the_published(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-20", "to": "2026-10-10"}}
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [change]})
    assert code == 1
    assert "no timetable" in output
    assert not rev.exists()
    # said from today on: the instance-level pre-flight, blind to "nothing new before today",
    # used to add impossible counts about the weeks before it
    assert "U1-main-03 cannot be placed on or after 2026-09-20" in output
    assert "pre-flight" not in output and "every hard rule exists" not in output
    # the change that took the places away, by its index (an audit read "relax
    # room_availability" where a site closure the changes added was the cause)
    assert " by changes[0] (T1 unavailable from 2026-09-20 to 2026-10-10)" in output, output
    assert "relax one of these rules, or take back or narrow changes[0]" in output
    # and the fix for a teacher away for weeks: another teacher (an audit's leave until June)
    assert (
        "or give T1's sessions to another teacher meanwhile (a `teacher_replaced` change)"
    ) in " ".join(output.split())


def test_unknown_teacher_in_changes_exits_2(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    code, output, _ = _resolve(
        tmp_path,
        inst,
        pub,
        {
            "today": "2026-09-20",
            "changes": [{"teacher_unavailable": {"teacher": "TX", "date": "2026-09-24"}}],
        },
    )
    assert code == 2
    assert "changes[0] teacher_unavailable: unknown teacher 'TX'" in output


def test_a_misspelt_change_kind_says_what_it_meant(tmp_path: Path, published: Any) -> None:
    """An audit: `canceled:` read "unknown key 'canceled'" with neither the kinds nor a
    guess, where ids got one."""
    inst, pub, _ = published
    misspelt = {"today": "2026-09-20", "changes": [{"canceled": {"session": "U1-main-03"}}]}
    code, output, _ = _resolve(tmp_path, inst, pub, misspelt)
    assert code == 2
    assert "changes[0]: unknown key 'canceled' (did you mean 'cancelled'?)" in output
    empty = {"today": "2026-09-20", "changes": [{"cancelled": None}]}  # `- cancelled:` alone
    code, output, _ = _resolve(tmp_path, inst, pub, empty)
    assert code == 2 and "changes[0]: cancelled: empty; give its fields" in output, output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"teacher_unavailable": {"teacher": ["T1", "T2"], "date": "2026-09-24"}},
            "changes[0] teacher_unavailable teacher: expected text, got a list",
        ),
        (
            {"site_closed": {"site": "MONS", "date": "2026-09-24", "reason": ["a", "b"]}},
            "changes[0] site_closed reason: expected text, got a list",
        ),
        (
            {"cancelled": {"session": "U1-main-03"}, "dropped": {"session": "U1-main-02"}},
            "(got cancelled and dropped)",
        ),
    ],
)
def test_a_change_s_value_of_the_wrong_form_is_said_in_words(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    """An audit: pydantic's "Input should be a valid string" came through, and a Python list
    of the kinds an item gave (`(got ['teacher_unavailable', 'site_closed'])`)."""
    from scheduler.errors import InputError
    from scheduler.resolve.changes import load_changes

    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump({"today": "2026-09-20", "changes": [change]}), "utf-8")
    with pytest.raises(InputError) as caught:
        load_changes(path)
    assert str(caught.value).startswith(f"{path}: "), caught.value
    assert message in str(caught.value), caught.value


def test_a_changes_key_left_without_items_is_no_change(tmp_path: Path) -> None:
    """An audit: `changes:` with every change commented out was refused ("expected a list,
    got nothing") where leaving the key out was read as no change, and an instance's
    `pins:` so left is an empty list."""
    from scheduler.errors import InputError
    from scheduler.resolve.changes import load_changes

    path = tmp_path / "changes.yaml"
    path.write_text("today: 2026-09-20\nchanges:\n#  - cancelled: {session: U1-main-02}\n", "utf-8")
    assert load_changes(path).changes == ()
    path.write_text("today: 2026-09-20\nchanges:\n  - cancelled:\n", "utf-8")
    with pytest.raises(InputError):  # a change without its body is still refused
        load_changes(path)


def test_an_instance_given_as_the_changes_file_is_said_so(tmp_path: Path, published: Any) -> None:
    """An audit gave the instance for --changes: each of its keys was said unknown ("unknown
    key 'name' (known: changes, today) ..."), not that the file was the wrong one."""
    inst, pub, _ = published
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(inst)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    said = f"{inst}: an instance file, not a changes file (expected keys today, changes)"
    assert said in result.output and "unknown key" not in result.output
    solution = ["resolve", str(inst), "--from", str(pub), "--changes", str(pub / "solution.json")]
    result = CliRunner().invoke(cli, solution)
    assert (
        result.exit_code == 2 and "solution.json: a solution, not a changes file" in result.output
    )


def test_a_change_whose_fields_exclude_each_other_exits_2(tmp_path: Path, published: Any) -> None:
    """An audit's room closure gave a date and a range after it: it matched no day, so the
    revision changed nothing, exit 0."""
    inst, pub, _ = published
    rule = {"teacher": "T1", "date": "2026-09-24", "from": "2026-10-01", "to": "2026-10-05"}
    changes = [{"teacher_unavailable": rule}]
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": changes})
    assert code == 2, output
    assert (
        "changes[0] teacher_unavailable: its date 2026-09-24 is outside its own from/to, so it "
        "matches no day (every field given must match)"
    ) in output
    assert not (pub / "rev-1").exists()
    rule = {"teacher": "T1", "date": "2026-09-22", "weekday": "thu"}
    changes = [{"teacher_unavailable": rule}]
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": changes})
    assert code == 2 and "changes[0] teacher_unavailable: its date is " in output, output
    rule = {"teacher": "T1", "date": "2026-09-22", "slots": ["THU"]}  # a Tuesday, Thursday's
    changes = [{"teacher_unavailable": rule}]
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": changes})
    assert code == 2 and "none of its slots (THU) falls on its date" in output, output
    empty = {"today": "2026-09-16", "changes": [{"room_unavailable": {"room": "M1", "slots": []}}]}
    code, output, _ = _resolve(tmp_path, inst, pub, empty)  # slots [] (a review)
    assert code == 2 and "changes[0] room_unavailable: it names no slot, so" in output, output


def test_yes_for_a_count_in_changes_exits_2(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    changes = [{"add_sessions": {"ue": "U2", "count": True}}]  # YAML's `count: yes`
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": changes})
    assert code == 2
    assert "changes[0] add_sessions: count: expected a number, got true" in output


def test_cancelled_session_outside_its_window_is_explained(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    data = roomy()
    data["ues"][2]["window"] = {"from": "2026-09-15", "to": before["U3-main-01"]["date"]}
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    day = before["U3-main-01"]["date"]
    today = f"{day[:8]}{int(day[8:]) + 1:02d}"
    code, output, rev = _resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    )
    assert code == 1
    assert (
        f"U3-main-01 cannot be placed on or after {today} (it was cancelled and must be placed again)"
        in output
    )
    assert "its window ends" in output
    assert not rev.exists()


def _count_runs(
    monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None
) -> list[Any]:
    """Count the re-solve's CP-SAT searches (its steps); `then` runs after each."""
    from scheduler.resolve import solve as resolve_module

    real, calls = resolve_module.run, []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        found = real(*args, **kwargs)
        then()
        return found

    monkeypatch.setattr(resolve_module, "run", counted)
    return calls


def test_ctrl_c_in_the_least_disruption_step_skips_the_second(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second step (soft cost) does not start after a Ctrl-C in the first: the least-
    disruption timetable is checked and written, and the command says it was interrupted."""
    import os
    import signal

    inst, pub, before = published
    calls = _count_runs(monkeypatch, then=lambda: os.kill(os.getpid(), signal.SIGINT))
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 0, output
    assert len(calls) == 1
    assert "stopped by Ctrl-C" in output
    assert _moved(before, _rows(rev)) == {"U3-main-01"}
    _check(inst, rev)
    written = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert written["objective"] == _checked_objective(inst, rev)  # its soft cost is known
    # and changes.md, which staff forward, says so too (an audit found it in the console only)
    text = (rev / "changes.md").read_text(encoding="utf-8")
    assert "Note: stopped by Ctrl-C: the best timetable found so far (the search was cut " in text


def _checked_objective(inst: Path, folder: Path) -> int:
    own = folder / "instance.yaml"
    result = CliRunner().invoke(cli, ["check", str(own), str(folder), "--json"])
    assert result.exit_code == 0, result.output
    return int(json.loads(result.output)["objective"])


def test_a_first_step_that_used_the_limit_is_the_result_with_its_soft_cost(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No second step once the first used the time limit (it used to get a second more);
    the least-disruption timetable is written with its soft costs, as the checker counts them."""
    from scheduler.resolve import solve as resolve_module

    inst, pub, before = published
    calls = _count_runs(monkeypatch)
    monkeypatch.setattr(resolve_module, "_left_for_second_step", lambda *args: 0.0)
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 0, output
    assert len(calls) == 1
    assert "took the whole time limit" in output
    assert _moved(before, _rows(rev)) == {"U3-main-01"}
    written = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert written["objective"] is not None
    assert written["objective"] == sum(written["costs"].values())
    assert written["objective"] == _checked_objective(inst, rev)
    # its bound is what the data forces (it used to be null): never above the objective
    assert written["bound"] is not None and 0 <= written["bound"] <= written["objective"]
    assert written["solver"]["version"] and written["solver"]["seed"] == 0  # the run's own
    assert written["solver"]["deterministic"] is True


def test_the_second_steps_budget_is_deterministic_time_in_deterministic_mode() -> None:
    """In deterministic mode what the first step left is counted in CP-SAT's deterministic
    time, not wall seconds, so that a re-solve gives the same timetable on any machine."""
    import time
    from types import SimpleNamespace

    from scheduler.model.solve import SolveOptions
    from scheduler.resolve.solve import _left_for_second_step

    first: Any = SimpleNamespace(response_proto=SimpleNamespace(deterministic_time=3.5))
    long_ago = time.monotonic() - 100.0
    left = _left_for_second_step(SolveOptions(time_limit=10, deterministic=True), first, long_ago)
    assert left == pytest.approx(6.5)
    wall = _left_for_second_step(SolveOptions(time_limit=10), first, time.monotonic() - 4.0)
    assert 0.0 < wall <= 6.0  # wall seconds since `start`, 4 s ago


def test_out_never_replaces_the_published_timetable_or_other_files(
    tmp_path: Path, published: Any
) -> None:
    """`--out` naming the published folder, a folder holding it, or a non-empty folder is
    refused before solving (exit 2), and nothing is touched."""
    inst, pub, _ = published
    notes = pub / "my-notes.txt"
    notes.write_text("mine", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump(_CANCEL_U3), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in pub.iterdir() if p.is_file()}
    for out in (pub, pub.parent, other):
        args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes)]
        result = CliRunner().invoke(cli, [*args, "--out", str(out), "--deterministic"])
        assert result.exit_code == 2, result.output
        assert "--out" in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in pub.iterdir() if p.is_file()} == before
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"
    # an empty folder elsewhere is fine, and the console says that a re-solve from the
    # published folder will not see it (an exploratory test's stale SEQUENCE numbers)
    elsewhere = tmp_path / "elsewhere"
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes)]
    result = CliRunner().invoke(cli, [*args, "--out", str(elsewhere), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert (
        f"note: a re-solve from {pub} will not see this revision (written outside its folder): "
        f"re-solve from {elsewhere} to keep its changes"
    ) in " ".join(result.output.split())
    beside = pub / "rev-7"  # where later re-solves look: nothing to say
    result = CliRunner().invoke(cli, [*args, "--out", str(beside), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert "will not see this revision" not in result.output


def _resolve_from(tmp_path: Path, inst: Path, source: Path, changes: dict[str, Any]) -> Any:
    path = tmp_path / "changes-from.yaml"
    path.write_text(yaml.safe_dump(changes), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(source), "--changes", str(path)]
    return CliRunner().invoke(cli, [*args, "--deterministic"])


def test_a_today_before_the_machines_date_is_told(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last month's changes file run again: the sessions published between its `today` and
    the machine's date may have taken place, yet count as to come, so they may move; the
    console and changes.md say so (and not when no published session lies in between)."""
    inst, pub, before = published
    clock = "2026-09-24"
    between = sum("2026-09-16" <= r["date"] < clock for r in before.values())
    assert between > 1
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: dt.date.fromisoformat(clock))
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 0, output
    told = (
        f"today 2026-09-16 (its `today`) is before this machine's date, {clock}: the "
        f"{between} published sessions from 2026-09-16 to 2026-09-23 count as not yet held"
    )
    assert told in output
    assert told in (rev / "changes.md").read_text(encoding="utf-8")
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: dt.date(2026, 9, 16))
    assert "machine's date" not in _resolve_from(tmp_path, inst, pub, _CANCEL_U3).output


def test_a_today_after_the_machines_date_is_told(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit: `today` typed 2026-12-12 for 12-02 froze the sessions in between as held,
    and a teacher's absence dated among them changed nothing, without a word. And --today
    replacing a different `today` in the file is said."""
    inst, pub, before = published
    clock = "2026-09-10"
    between = sum(clock <= r["date"] < "2026-09-16" for r in before.values())
    assert between == 1  # said in the singular (an audit read "1 session(s)")
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: dt.date.fromisoformat(clock))
    code, output, _ = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 0, output
    assert (
        f"today 2026-09-16 (its `today`) is after this machine's date, {clock}: the 1 "
        f"published session from {clock} to 2026-09-15 counts as held and cannot move; if "
        f"it has not taken place, give today {clock}"
    ) in output
    # a session cancelled among them did not take place: not counted (an audit read "18
    # published sessions count as held" beside "17 sessions frozen")
    missed = min(sid for sid, r in before.items() if clock <= r["date"] < "2026-09-16")
    cancelled = {"today": "2026-09-16", "changes": [{"cancelled": {"session": missed}}]}
    told = _resolve_from(tmp_path, inst, pub, cancelled).output
    assert "as held" not in told, told  # it was the only one: nothing held to warn of
    changes = tmp_path / "given.yaml"
    changes.write_text(yaml.safe_dump(_CANCEL_U3), encoding="utf-8")
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: dt.date(2026, 9, 17))
    result = CliRunner().invoke(
        cli,
        [
            "resolve",
            str(inst),
            "--from",
            str(pub),
            "--changes",
            str(changes),
            "--today",
            "2026-09-17",
            "--out",
            str(tmp_path / "given"),
            "--deterministic",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "today 2026-09-16 in the file, 2026-09-17 from --today: 2026-09-17 is used" in (
        result.output
    )
    assert "machine's date" not in result.output


def test_a_changes_file_applied_already_is_refused(tmp_path: Path, published: Any) -> None:
    """An audit: the changes file run again from the revision it made cancelled the
    make-up session too, and told everyone. Refused, from that revision or a later one."""
    inst, pub, _ = published
    changes = tmp_path / "cancel.yaml"
    changes.write_text(yaml.safe_dump(_CANCEL_U3), encoding="utf-8")

    def resolve_from(source: Path, file: Path) -> Any:
        return CliRunner().invoke(
            cli,
            [
                "resolve",
                str(inst),
                "--from",
                str(source),
                "--changes",
                str(file),
                "--deterministic",
            ],
        )

    first = resolve_from(pub, changes)
    assert first.exit_code == 0, first.output
    again = resolve_from(pub / "rev-1", changes)
    assert again.exit_code == 2, again.output
    assert f"{changes}: these changes were applied already, by {pub / 'rev-1'}" in again.output
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": []}), encoding="utf-8")
    assert resolve_from(pub / "rev-1", other).exit_code == 0
    assert resolve_from(pub / "rev-2", changes).exit_code == 2  # rev-1's, further back
    # the same changes written again (a comment, Windows line ends): the same (an audit)
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(b"# again\r\n" + changes.read_bytes().replace(b"\n", b"\r\n"))
    assert resolve_from(pub / "rev-1", copy).exit_code == 2
    # the same file with another today (`--today`): applied already all the same
    later = CliRunner().invoke(
        cli,
        ["resolve", str(inst), "--from", str(pub / "rev-1"), "--changes", str(changes),
         "--today", "2026-09-25", "--deterministic"],
    )  # fmt: skip
    assert later.exit_code == 2 and "these changes were applied already" in later.output
    # from the timetable rev-1 was made from, again: another timetable as good, and moves
    # that mean nothing for subscribers (an audit ran it six times); refused, naming rev-1
    twice = resolve_from(pub, copy)
    assert twice.exit_code == 2, twice.output
    assert f"these changes were applied already to {pub}, by {pub / 'rev-1'}: " in twice.output
    # the same from the folder moved or copied elsewhere: rev-1 names pub's old path, and the
    # same changes were applied again (an audit's `mv pub published`, `cp -r`)
    moved = tmp_path / "moved"
    shutil.copytree(pub, moved)
    thrice = resolve_from(moved, copy)
    assert thrice.exit_code == 2, thrice.output
    assert f"these changes were applied already to {moved}, by {moved / 'rev-1'}: " in (
        thrice.output
    )
    # no changes (the instance's edits alone) may be given again
    assert resolve_from(pub / "rev-2", other).exit_code == 0


@pytest.mark.parametrize(
    "rule",
    [
        {"date": "2026-09-23"},  # a Wednesday: no slot
        {"from": "2026-09-23", "to": "2026-09-24", "weekday": "wed"},  # no Wednesday slot
    ],  # fields that contradict each other (a date and a weekday or slot): refused (above)
)
def test_an_unavailability_matching_no_slot_is_told(
    tmp_path: Path, published: Any, rule: dict[str, Any]
) -> None:
    """An audit: T1 unavailable on a Wednesday (meant: the Tuesday) moved nothing, without a
    word; T1 stayed on the timetable that Tuesday."""
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "T1", **rule}}
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [change]})
    assert code == 0, output
    told = re.search(r"changes\[0\] teacher_unavailable (.*) matches no teaching slot", output)
    assert told is not None and "teacher=T1" in told[1], output
    fine = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-22"}}
    later = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [fine]})
    assert "matches no teaching slot" not in later.output


def test_an_unknown_teacher_is_said_without_the_date_warnings(
    tmp_path: Path, published: Any
) -> None:
    """An audit: an unknown teacher on a day without slots was first warned "matches no
    teaching slot ... check its date", then refused as unknown: the warning sent the user to
    the wrong field. The unknown entity alone is said."""
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "NOSUCH", "date": "2026-09-23"}}
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [change]})
    assert code == 2 and "unknown teacher 'NOSUCH'" in output, output
    assert "matches no teaching slot" not in output, output
    # the other changes' warnings are said still (a review: lost when one change was refused)
    after = {"teacher_unavailable": {"teacher": "T1", "date": "2026-11-20"}}
    bad = {"add_sessions": {"ue": "U1", "series": "nosuch", "count": 1}}
    changes = {"today": "2026-09-16", "changes": [after, bad]}
    code, output, _ = _resolve(tmp_path, inst, pub, changes)
    assert code == 2 and "has no series 'nosuch'" in output, output
    assert "changes[0] teacher_unavailable date=2026-11-20 teacher=T1 is wholly outside" in output


def test_a_fixed_event_moved_a_year_off_is_told(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """An audit: an event moved to 2028 for 2027 was published so, with no warning (dates
    a few months past the calendar, a September defence, are not told)."""
    inst, pub = _published_tiny(tmp_path, tiny_data)
    event = tiny_data["fixed_events"][0]["id"]
    far = {"event_moved": {"event": event, "dates": ["2027-09-20"]}}
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [far]})
    assert result.exit_code == 2, result.output  # refused, as a pin there (an audit)
    said = f"changes[0] event_moved dates: 2027-09-20 moves fixed event {event} more than six"
    assert said in result.output
    near = {"event_moved": {"event": event, "dates": ["2026-10-20"]}}
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [near]})
    assert "more than six months" not in result.output


def _published_tiny(
    tmp_path: Path, tiny_data: dict[str, Any], stem: str = "tiny"
) -> tuple[Path, Path]:
    """`tiny_data` (or any instance data) written as `stem`.yaml and solved (deterministic)
    into `pub`."""
    inst = tmp_path / f"{stem}.yaml"
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    return inst, pub


def test_changes_md_names_the_people_a_change_concerns(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """changes.md's "for whom" read `T04, COHORT`, codes to the people it is sent to (an
    audit): names first, with the ids staff search for."""
    inst, pub = _published_tiny(tmp_path, tiny_data)
    last = max(r["session_id"] for r in _rows(pub).values() if r["ue"] == "UE1")
    cancel = {"today": "2026-09-15", "changes": [{"cancelled": {"session": last}}]}
    code, output, rev = _resolve(tmp_path, inst, pub, cancel)
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
    inst, pub = _published_tiny(tmp_path, tiny_data)
    removed = _rows(pub)["UE3-main-02"]
    tiny_data["ues"][2]["sessions"][0]["count"] = 1
    tiny_data["fixed_events"][0]["dates"] = ["2026-09-22"]
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": "2026-09-15", "changes": []})
    assert code == 0, output
    moved_event = (
        "ACCUEIL (Journée d'accueil): 2026-09-19 09:00-12:15 at NAMUR (N-A) -> "
        "2026-09-22 09:00-12:15 at NAMUR (N-A)"
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
    inst, pub = _published_tiny(tmp_path, tiny_data)
    ill = {
        "today": "2026-09-15",
        "changes": [{"teacher_unavailable": {"teacher": "T1", "date": "2026-09-19"}}],
    }
    code, output, _ = _resolve(tmp_path, inst, pub, ill)
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
    inst, pub = _published_tiny(tmp_path, tiny_data)
    closure = {
        "today": "2026-09-15",
        "changes": [{"site_closed": {"site": "NAMUR", "date": closed}}],
    }
    code, output, rev = _resolve(tmp_path, inst, pub, closure)
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
    inst, pub = _published_tiny(tmp_path, tiny_data)
    closure = {
        "today": "2026-09-15",
        "changes": [{"site_closed": {"site": "NAMUR", "date": "2026-09-18"}}],
    }
    code, output, _ = _resolve(tmp_path, inst, pub, closure)
    assert code == 0, output
    assert (
        "fixed event ACCUEIL is at NAMUR on 18 Sep 2026, which changes[0] site_closed closes"
        in output
    )
    assert "matches no teaching slot" not in output and "changes nothing" not in output


def test_a_re_solve_from_a_revision_keeps_the_earlier_changes(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rev-1 adds a session and makes a teacher unavailable; rev-2, re-solved from rev-1 with
    one more change, still has the added session and keeps the teacher off that day: it
    starts from rev-1's own instance.yaml. Each revision checks against its instance.yaml,
    and `report` finds it from any folder."""
    inst, pub, before = published
    day = min(  # a date of U1 still to come on rev-1's today
        r["date"]
        for r in before.values()
        if r["session_id"].startswith("U1-") and r["date"] > "2026-09-16"
    )
    first = {
        "today": "2026-09-16",
        "changes": [
            {"add_sessions": {"ue": "U2", "count": 1}},
            {"teacher_unavailable": {"teacher": "T1", "date": day}},
        ],
    }
    assert _resolve_from(tmp_path, inst, pub, first).exit_code == 0
    rev1 = pub / "rev-1"
    assert (rev1 / "instance.yaml").is_file()
    second = {"today": "2026-09-17", "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    result = _resolve_from(tmp_path, inst, rev1, second)
    assert result.exit_code == 0, result.output
    assert "starting from" in result.output and "instance.yaml" in result.output
    rev2 = pub / "rev-2"
    after = _rows(rev2)
    assert "U2-main-03" in after  # the session rev-1 added
    t1_days = {r["date"] for r in after.values() if "T1" in r["teachers"].split(";")}
    assert day not in t1_days
    for rev in (rev1, rev2):
        _check(rev / "instance.yaml", rev)
    document = json.loads((rev1 / "solution.json").read_text(encoding="utf-8"))
    assert document["revision"]["today"] == "2026-09-16"
    assert document["revision"]["from"] == str((pub / "solution.json").resolve())
    assert document["revision"]["changes"] == str((tmp_path / "changes-from.yaml").resolve())
    assert document["solver"]["time_limit"] == 10  # resolve's default, not its last step's
    assert "warning: today" not in result.output  # 17 Sep follows rev-1's 16 Sep
    back = {"today": "2026-09-15", "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    earlier = _resolve_from(tmp_path, inst, rev2, back)
    assert earlier.exit_code == 0, earlier.output
    assert "warning: today 2026-09-15 is before the today of the re-solve" in earlier.output
    assert "(2026-09-17," in earlier.output
    notes = (pub / "rev-3" / "changes.md").read_text(encoding="utf-8")  # said there too
    assert "today 2026-09-15 is before the today of the revision it starts from" in notes
    monkeypatch.chdir(tmp_path)
    report = CliRunner().invoke(cli, ["report", str(rev2)])
    assert report.exit_code == 0, report.output
    assert f"sessions   {len(after)}/{len(after)} placed" in report.output


def test_a_future_cancelled_slot_stays_closed_to_its_series_in_the_revision() -> None:
    """Cancelled at a slot after today (the teacher is away that evening): the revised
    instance closes that dated slot to the series, so later re-solves from it keep it free."""
    import datetime as dt

    from scheduler.data.instance import Instance
    from scheduler.data.problem import Problem
    from scheduler.resolve.apply import revise
    from scheduler.resolve.changes import Changes
    from scheduler.solution import Assignment

    instance = Instance.model_validate(roomy())
    when = dt.date(2026, 9, 24)  # a Thursday after today
    published = (Assignment("U1-main-01", when, "THU", "M1"),)
    changes = Changes.model_validate(
        {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-01"}}]}
    )
    revised = revise(instance, published, changes, "changes.yaml").instance
    (series,) = next(u for u in revised.ues if u.id == "U1").sessions
    assert [(r.date, r.slots) for r in series.unavailable] == [(when, ("THU",))]
    problem = Problem.build(revised)
    for sid in ("U1-main-01", "U1-main-02", "U1-main-03"):
        rules = problem.session[sid].unavailable
        assert any(r.matches(when, "thu", "THU") for r in rules)
        assert not any(r.matches(when, "thu", "AM") for r in rules)


def test_a_change_wholly_before_today_is_reported_not_applied(
    tmp_path: Path, published: Any
) -> None:
    """A teacher's absence last week changes nothing: a warning says so, and changes.md lists
    it apart from the changes applied."""
    inst, pub, before = published
    change = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-15"}}
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [change]})
    assert code == 0, output
    assert "changes[0] teacher_unavailable" in output and "wholly before today" in output
    assert _moved(before, _rows(rev)) == set()
    md = (rev / "changes.md").read_text(encoding="utf-8")
    applied, _, past = md.partition("wholly before today")
    assert "teacher_unavailable" not in applied.split("Changes applied:")[1]
    assert "teacher_unavailable date=2026-09-15 teacher=T1" in past
    # no moves: said, not an empty table's header
    assert "No session moved, added, cancelled or given to another teacher." in md
    assert "| session |" not in md and "0 sessions changed" not in md


def test_an_unknown_slot_in_a_change_is_one_located_line(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "T1", "slots": ["FRI"]}}
    code, output, _ = _resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [change]})
    assert code == 2
    assert "changes[0] teacher_unavailable slots: unknown slot 'FRI'" in output
    assert "pydantic" not in output and "Traceback" not in output


def test_resolve_prints_what_the_data_forces(tmp_path: Path) -> None:
    from tests.conftest import TINY

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    code, output, _ = _resolve(tmp_path, TINY, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    # the tiny instance's two option groups each have one session beyond the weekly target
    assert "unavoidable, from the data alone: 24 of 28, whatever the timetable" in output
    assert "students of COHORT+OPT-A: 5 sessions" in output
    assert "could still be saved" not in output  # its bound holds at the least disruption only


def test_a_revision_s_bound_proves_nothing_of_a_timetable_edited_by_hand(tmp_path: Path) -> None:
    """A review: `report` gave a hand-edited timetable its gap against the recorded bound,
    which for a revision holds only at the re-solve's least disruption (the past fixed):
    not said of a revision, only of a plain solve's timetable."""
    from tests.conftest import TINY

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    code, output, rev = _resolve(tmp_path, TINY, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    for folder in (pub, rev):
        doc = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
        doc.update(objective=doc["objective"] - 8)  # as if written by hand for other costs
        (folder / "solution.json").write_text(json.dumps(doc), encoding="utf-8")
    plain = CliRunner().invoke(cli, ["report", str(pub), "--instance", str(TINY)])
    assert "against the bound recorded (28, of this instance)" in plain.output, plain.output
    revised = CliRunner().invoke(cli, ["report", str(rev)])
    assert revised.exit_code == 0, revised.output
    assert "records objective 20" in revised.output
    assert "against the bound recorded" not in revised.output
    assert "could still be saved" not in revised.output


def test_a_revision_without_its_instance_is_refused(tmp_path: Path, published: Any) -> None:
    """Without rev-1's instance.yaml, a re-solve from rev-1 fell back to the original
    instance and silently dropped every earlier change (here: T1 away on a date)."""
    inst, pub, before = published
    day = min(r["date"] for r in before.values() if r["session_id"].startswith("U1-"))
    away = {"teacher_unavailable": {"teacher": "T1", "date": day}}
    assert (
        _resolve_from(tmp_path, inst, pub, {"today": "2026-09-14", "changes": [away]}).exit_code
        == 0
    )
    (pub / "rev-1" / "instance.yaml").unlink()
    result = _resolve_from(tmp_path, inst, pub / "rev-1", {"today": "2026-09-14", "changes": []})
    assert result.exit_code == 2, result.output
    assert "a re-solve's revision, but its instance.yaml" in result.output
    assert not (pub / "rev-2").exists()


def test_today_on_the_command_line_stands_in_for_the_file(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    path = tmp_path / "no-today.yaml"
    path.write_text(yaml.safe_dump({"changes": []}), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(path), "--deterministic"]
    without = CliRunner().invoke(cli, args)
    assert without.exit_code == 2 and "today: required field is missing" in without.output
    assert "(`today: YYYY-MM-DD` in the file, or --today)" in without.output
    given = CliRunner().invoke(cli, [*args, "--today", "2026-09-20"])
    assert given.exit_code == 0, given.output
    assert "re-solving roomy from 2026-09-20" in given.output


def test_changes_outside_the_calendar_and_a_late_today_warn(tmp_path: Path, published: Any) -> None:
    """A date a year off (a typo) matched no dated slot and was listed as applied, silently:
    refused now (an audit published such revisions after the warning); a date or a today
    a few weeks after the calendar (a September defence) is warned of."""
    inst, pub, _ = published
    typo = {"teacher_unavailable": {"teacher": "T1", "date": "2027-09-22"}}
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [typo]})
    assert result.exit_code == 2, result.output
    assert (
        "changes[0] teacher_unavailable date=2027-09-22 teacher=T1 is more than six months "
        "outside the calendar (2026-09-15 to 2026-10-10): it would change nothing; check its "
        "year"
    ) in " ".join(result.output.split())
    after = {"teacher_unavailable": {"teacher": "T1", "date": "2026-11-20"}}
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [after]})
    assert result.exit_code == 0, result.output
    assert (
        "changes[0] teacher_unavailable date=2026-11-20 teacher=T1 is wholly outside the "
        "calendar (2026-09-15 to 2026-10-10)"
    ) in " ".join(result.output.split())
    late = _resolve_from(tmp_path, inst, pub, {"today": "2026-12-01", "changes": []})
    assert "today 2026-12-01 is after the calendar's end (2026-10-10)" in late.output
    far = _resolve_from(tmp_path, inst, pub, {"today": "2027-09-20", "changes": []})
    assert far.exit_code == 2, far.output
    assert "today 2027-09-20 is more than six months outside the calendar" in far.output


def test_a_timetable_of_a_year_to_come_is_re_solved_today(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit: a change known in December to next September's timetable was refused as a
    year's typo ('more than six months outside the calendar'). A `today` before the calendar
    is taken when it is the machine's date or later; earlier, the refusal says so."""
    inst, pub, _ = published
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: dt.date(2025, 12, 4))
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-22"}}
    now = _resolve_from(tmp_path, inst, pub, {"today": "2025-12-04", "changes": [away]})
    assert now.exit_code == 0, now.output
    assert "re-solving roomy from 2025-12-04: 0 sessions frozen" in now.output
    typo = _resolve_from(tmp_path, inst, pub, {"today": "2024-12-04", "changes": [away]})
    assert typo.exit_code == 2, typo.output
    said = " ".join(typo.output.split())
    assert "today 2024-12-04 is more than six months outside the calendar" in said
    assert "(for a timetable of a year to come, give this machine's date, 2025-12-04)" in said


def _published_with_a_pin(tmp_path: Path) -> tuple[Path, Path]:
    """roomy with U1-main-02 pinned to Thursday 24 September, solved into tmp_path/pub."""
    data = roomy()
    data["pins"] = [{"session": "U1-main-02", "date": "2026-09-24", "slot": "THU"}]
    return _published_tiny(tmp_path, data, "pinned")


def test_a_pin_dropped_with_its_cancelled_session_is_said(tmp_path: Path) -> None:
    inst, pub = _published_with_a_pin(tmp_path)
    cancel = {"cancelled": {"session": "U1-main-02"}}
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [cancel]})
    assert result.exit_code == 0, result.output
    said = "the pin of U1-main-02 is dropped: the session is cancelled, so it moves"
    assert said in result.output
    assert said in (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")


def test_an_instance_edited_since_publication_is_named_in_changes_md(
    tmp_path: Path, published: Any
) -> None:
    inst, pub, _ = published
    data = roomy()
    data["sites"][0]["rooms"][0]["capacity"] = 40  # a hand edit, not a change
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert result.exit_code == 0, result.output
    text = (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")
    assert "has changed since" in text and "its edits may move sessions too" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"today": "2026-09-20", "changes": {"cancelled": {"session": "U1-main-01"}}},
            "changes: expected a list (one '- item' per line, or [a, b]), got a mapping",
        ),
        (
            {"today": "2026-09-20", "changes": [{"cancelled": "U1-main-01"}]},
            "changes[0] cancelled: expected a mapping (key: value lines), got 'U1-main-01'",
        ),
        ({"today": 2027, "changes": []}, "today: expected a date YYYY-MM-DD, got 2027"),
        (
            {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-03"}}] * 2},
            "changes[1] cancelled: session 'U1-main-03' is already cancelled by changes[0]",
        ),
        (  # the first won, and changes.md listed both as applied (a re-solve audit)
            {
                "today": "2026-09-20",
                "changes": [
                    {"teacher_replaced": {"teacher": "T1", "by": "T2", "series": "U1-main"}},
                    {"teacher_replaced": {"teacher": "T1", "by": "T3", "ue": "U1"}},
                ],
            },
            "changes[1] teacher_replaced: changes[0] already decides who gives T1's sessions in "
            "U1: give it once",
        ),
        (
            {
                "today": "2026-09-20",
                "changes": [
                    {"event_moved": {"event": "EV", "dates": ["2026-09-25"]}},
                    {"event_moved": {"event": "EV", "dates": ["2026-09-26"]}},
                ],
            },
            "changes[1] event_moved: changes[0] already decides the dates of event 'EV'",
        ),
        (  # the second undid the first without a word (a re-solve audit)
            {
                "today": "2026-09-20",
                "changes": [
                    {
                        "teacher_unavailable": {
                            "teacher": "T1",
                            "from": "2026-09-21",
                            "to": "2026-09-27",
                        }
                    },
                    {
                        "teacher_available": {
                            "teacher": "T1",
                            "from": "2026-09-21",
                            "to": "2026-09-27",
                        }
                    },
                ],
            },
            "changes[1] teacher_available: changes[0] already decides T1's availability on the "
            "same days (away, then back)",
        ),
    ],
    ids=[
        "mapping-for-list",
        "text-for-mapping",
        "year-for-date",
        "cancelled-twice",
        "replaced-twice",
        "event-moved-twice",
        "away-and-back-the-same-days",
    ],
)
def test_changes_file_errors_in_plain_words(
    tmp_path: Path, published: Any, changes: dict[str, Any], message: str
) -> None:
    inst, pub, _ = published
    result = _resolve_from(tmp_path, inst, pub, changes)
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_fixed_event_cancelled_as_a_session_is_told_how(tmp_path: Path) -> None:
    """`cancelled: {session: ACCUEIL}` said 'unknown session' (a re-solve audit)."""
    from tests.conftest import TINY

    pub = tmp_path / "pub"
    assert (
        CliRunner()
        .invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
        .exit_code
        == 0
    )
    changes = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "ACCUEIL"}}]}
    result = _resolve_from(tmp_path, TINY, pub, changes)
    assert result.exit_code == 2, result.output
    assert (
        "changes[0] cancelled: 'ACCUEIL' is a fixed event, not a session: cancel its days with "
        "event_moved: {event: ACCUEIL, dates: []}"
    ) in result.output


def test_a_pin_against_a_new_unavailability_names_both(tmp_path: Path) -> None:
    """The explanation listed the rules excluding most placements (the pin's), not the
    teacher whose new absence falls on the pinned date."""
    inst, pub = _published_with_a_pin(tmp_path)
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-24"}}
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [away]})
    assert result.exit_code == 1, result.output
    # the pin, and why its place is excluded now (the wording since stop 30: the rules that
    # exclude the pinned place, not "pin" excluding every other)
    assert "the place it is pinned to (date 2026-09-24, slot THU) is excluded by " in result.output
    assert "teacher_availability (e.g. 2026-09-24 THU, " in result.output
    assert ": T1 unavailable)" in result.output


def test_changes_md_says_what_moved_in_words(tmp_path: Path, published: Any) -> None:
    """changes.md read `teacher_unavailable date=... teacher=T1` and `2026-09-24 THU MONS/M1`:
    now the change, the session, who it concerns and both placements are in words, and
    changes.csv has the hours of both placements."""
    inst, pub, before = published
    row = before["U1-main-03"]
    change = {"teacher_unavailable": {"teacher": "T1", "date": row["date"]}}
    code, output, rev = _resolve(
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
        cells[2]
        == f"{day} {row['date']} {row['start']}-{row['end']}, {row['site']} ({row['room']})"
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


def test_a_failing_export_keeps_the_revision(
    tmp_path: Path, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scheduler.export

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("disk full")

    inst, pub, _ = published
    monkeypatch.setattr(scheduler.export, "export_all", broken)
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
    assert code == 1, output
    assert (rev / "solution.json").is_file() and (rev / "changes.md").is_file()
    assert "exports (xlsx, html, calendars) failed: ValueError: disk full" in output
    assert not (rev / "calendars").exists()
    # the command it says to run writes what the re-solve would have: U3-main-01 moved
    monkeypatch.undo()
    done = CliRunner().invoke(cli, ["export", str(rev)])
    assert done.exit_code == 0, done.output
    events = _ics_events(rev / "calendars" / "all.ics")
    assert events["U3-main-01@roomy.scheduler"]["SEQUENCE"] == "1"
    assert events["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "0"
    assert f"{rev.name}: re-solved for the changes known on 16 September 2026" in (
        rev / "timetable.html"
    ).read_text("utf-8")


def test_a_timetable_published_without_its_calendar_state_still_raises_sequence(
    tmp_path: Path, published: Any
) -> None:
    """Feeds published elsewhere (`export --out web`) leave no calendars/ beside the timetable:
    the re-solve gave its moved sessions SEQUENCE 0, which clients may ignore as no update."""
    import shutil

    inst, pub, before = published
    shutil.rmtree(pub / "calendars")
    day = before["U1-main-03"]["date"]
    change = {"teacher_unavailable": {"teacher": "T1", "date": day}}
    code, output, rev = _resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [change]}
    )
    assert code == 0, output
    events = _ics_events(rev / "calendars" / "all.ics")
    assert events["U1-main-03@roomy.scheduler"]["SEQUENCE"] == "1"
    # what the lost feed showed is unknown: every event is an update (harmless if unchanged)
    assert events["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "1"


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
    code, output, rev = _resolve(tmp_path, inst, pub, _CANCEL_U3)
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
    result = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert result.exit_code == 0, result.output
    with (pub / "rev-1" / "changes.csv").open(encoding="utf-8") as handle:
        causes = {r["session"]: r["cause"] for r in csv.DictReader(handle)}
    text = json.dumps(causes, ensure_ascii=False)
    assert row["session_id"] in causes, text
    assert "the instance's edits: its published place breaks one of its rules now" in text
    assert "make room for the changes" not in text


def test_a_cancelled_session_of_two_slots_closes_both_to_its_series() -> None:
    """Only its first slot was closed, so a 2-slot session cancelled on a Saturday came back
    the same day across its own cancelled second slot (year audit)."""
    import datetime as dt

    from scheduler.data.instance import Instance
    from scheduler.resolve.apply import revise
    from scheduler.resolve.changes import Changes
    from scheduler.solution import Assignment

    data = roomy()
    data["calendar"]["slots"].append(
        {"id": "PM", "weekday": "sat", "start": "13:00", "end": "16:15"}
    )
    data["ues"].append(
        {"id": "U9", "teachers": ["T3"], "groups": ["C"], "sessions": [{"count": 1, "length": 2}]}
    )
    when = dt.date(2026, 9, 26)  # a Saturday after today
    published = (Assignment("U9-main-01", when, "AM", "M1"),)
    changes = Changes.model_validate(
        {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U9-main-01"}}]}
    )
    revised = revise(Instance.model_validate(data), published, changes, "changes.yaml").instance
    (series,) = next(u for u in revised.ues if u.id == "U9").sessions
    assert [(r.date, r.slots) for r in series.unavailable] == [(when, ("AM", "PM"))]


def test_a_session_already_given_is_not_called_a_pin_to_drop(tmp_path: Path) -> None:
    """A re-solve pins the sessions before today where they took place; its explanation said
    'PROJ-main-01 is pinned to 4 Dec 2027 — move or drop the pin' of a session the user
    never pinned, given two months before (year audit), and the pre-flight '(pinned: ...)
    ... move a pin' (an audit)."""
    data = roomy()
    data["ues"][0]["sessions"] = [{"count": 2, "min_days_between": 20}]
    inst = tmp_path / "spaced.yaml"
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    given = _rows(pub)["U1-main-01"]["date"]
    today = (dt.date.fromisoformat(given) + dt.timedelta(days=1)).isoformat()
    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-10-01", "to": "2026-10-10"}}
    result = _resolve_from(tmp_path, inst, pub, {"today": today, "changes": [away]})
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "pre-flight error: [min_days_between] only 1 of the 2 sessions of U1-main fit" in said
    assert f"(given: U1-main-01 on {format_date(dt.date.fromisoformat(given))})" in said
    assert "move a pin" not in said and "move or drop the pin" not in said


def test_a_re_solve_without_a_timetable_names_the_change_in_the_way(tmp_path: Path) -> None:
    """An audit: four changes without a timetable got a conflict said over the whole year
    (past sessions counted), and staff could not tell which change did not fit. Each change
    is left out in turn: the one without which the others have a timetable is named."""
    inst = tmp_path / "roomy.yaml"
    inst.write_text(yaml.safe_dump(roomy()), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    harmless = {"teacher_unavailable": {"teacher": "T2", "from": "2026-09-15", "to": "2026-09-20"}}
    # T1's three sessions in the last week's three slots, where U2's and U3's students are C's
    squeeze = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-15", "to": "2026-10-04"}}
    crowd = {"add_sessions": {"ue": "U1", "count": 1}}
    changes = {"today": "2026-09-15", "changes": [harmless, squeeze, crowd]}
    result = _resolve_from(tmp_path, inst, pub, changes)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert (
        "leaving out any one of changes[1] (T1 unavailable from 2026-09-15 to 2026-10-04) or "
        in said
    )
    assert "changes[2] (1 session added to U1 (main)) gives a timetable" in said
    assert "changes[0]" not in said.split("leaving out")[1].split("the changes given")[0]
    alone = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [crowd]})
    assert alone.exit_code == 0, alone.output  # one more session alone fits
    squeeze["teacher_unavailable"]["to"] = "2026-10-06"  # 2 slots left for 3 sessions
    one = _resolve_from(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [squeeze]})
    assert one.exit_code == 1 and "leaving out" not in one.output  # the one there is


def test_the_change_in_the_way_is_judged_by_the_re_solve_s_own_rules(tmp_path: Path) -> None:
    """A fuzzed re-solve: leaving out a change that only made a teacher available was said to
    give a timetable, because the check of the others let a session move onto today, which
    no re-solve may. Only the change that cannot be met is named, and it is said to fail even
    alone."""
    data = roomy()
    data["ues"][2]["sessions"] = [
        {"count": 1, "window": {"from": "2026-09-22", "to": "2026-10-10"}}
    ]
    data["teachers"][2]["avoid"] = [{"date": "2026-09-22"}]  # published later, then
    inst = tmp_path / "roomy.yaml"
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    today = "2026-09-22"  # U3's window opens today: only today if T3 is away after it
    assert _rows(pub)["U3-main-01"]["date"] > today
    harmless = {"teacher_available": {"teacher": "T2", "from": "2026-09-23", "to": "2026-09-24"}}
    away = {"teacher_unavailable": {"teacher": "T3", "from": "2026-09-23", "to": "2026-10-10"}}
    also = {"teacher_available": {"teacher": "T1", "from": "2026-09-23", "to": "2026-09-24"}}
    for given in ([harmless, away], [harmless, also, away]):  # alone: said, then searched
        result = _resolve_from(tmp_path, inst, pub, {"today": today, "changes": given})
        assert result.exit_code == 1, result.output
        said = " ".join(result.output.split())
        last = len(given) - 1
        assert (
            f"leaving out changes[{last}] (T3 unavailable from 2026-09-23 to 2026-10-10) alone "
            "gives a timetable: it is the change that cannot be met, even alone" in said
        )
        blamed = said.split("leaving out")[1].split("the changes given")[0]
        assert "changes[0] (" not in blamed and "changes[1] (T1" not in blamed


def test_a_past_session_in_a_conflict_is_said_as_given() -> None:
    """The sentence of a past session's pin in a conflict the search isolates: not "move or
    drop the pin" of a session the user never pinned (year audit)."""
    from types import SimpleNamespace

    from scheduler.model.explain import Explanation
    from scheduler.model.rule_groups import RuleGroup
    from scheduler.resolve.diagnose import _past_said_as_past
    from scheduler.solution import Assignment

    given = Assignment("U1-main-01", dt.date(2026, 9, 29), "TUE", "M1")
    revision = SimpleNamespace(
        previous={"U1-main-01": given}, frozen={"U1-main-01"}, today=dt.date(2026, 9, 30)
    )
    core = [RuleGroup("pin", "U1-main-01"), RuleGroup("precedence", "0")]
    sentences = ["U1-main-01 is pinned to 29 Sep 2026 — move or drop the pin", "precedence"]
    said = _past_said_as_past(Explanation([], core, sentences, False), revision).sentences  # type: ignore[arg-type]
    assert said == [
        "U1-main-01 took place on 29 Sep 2026, before today (30 Sep 2026), and stays as given "
        "— relax another rule",
        "precedence",
    ]


def test_a_re_solve_impossible_even_without_relaxable_rules_is_explained(
    tmp_path: Path,
) -> None:
    """An explanation with no rule group (series order cannot hold: 8 sessions, 7 slots) made
    the rewording of past pins fail with a traceback (review)."""
    from tests.conftest import TINY

    pub = tmp_path / "pub"
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub)]).exit_code == 0
    more = {"add_sessions": {"ue": "UE3", "series": "main", "count": 6}}
    result = _resolve_from(tmp_path, TINY, pub, {"today": "2026-09-15", "changes": [more]})
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "no timetable" in result.output


def test_a_re_solve_from_an_older_revision_warns_of_tonight_against_the_latest() -> None:
    """The calendar audit re-solved from rev-2 while rev-4 was published: a session rev-4 had
    cancelled for tonight came back tonight (with the teacher rev-4 had replaced), said only
    by the general warning. Each session given today in one and not the other is said."""
    from scheduler.resolve.diff import today_against_latest
    from scheduler.solution import Assignment

    today = dt.date(2027, 2, 16)
    latest = [
        Assignment("A", dt.date(2027, 3, 18), "THU", "N1"),  # moved away from tonight
        Assignment("B", today, "TUE", "N1"),  # tonight in the latest
        Assignment("C", today, "TUE", "M1"),  # tonight in both, another room
        Assignment("D", today, "TUE", "M2"),  # tonight in the latest, not in this one at all
    ]
    after = [
        Assignment("A", today, "TUE", "N2"),
        Assignment("B", dt.date(2027, 2, 18), "THU", "N1"),
        Assignment("C", today, "TUE", "M2"),
    ]
    assert today_against_latest(latest, after, today, "rev-4") == [
        "warning: A is given today (TUE) in this revision, not in rev-4, the latest people were "
        "told of: tell its students and teachers now",
        # it said "and is not in this revision" of B, which moves to Thursday (an audit)
        "warning: B was to be given today (TUE) in rev-4, the latest people were told of, and "
        "moves to 2027-02-18 THU here: tell its students and teachers now",
        "warning: D was to be given today (TUE) in rev-4, the latest people were told of, and is "
        "not in this revision: tell its students and teachers now",
    ]


def test_an_earlier_today_lets_the_revisions_past_move_again(
    tmp_path: Path, published: Any
) -> None:
    """rev-1's instance.yaml pins every session given before its today where it took
    place: a re-solve from rev-1 with an earlier today warned that those sessions may move
    again, then found a teacher unavailable on one of their days infeasible, blamed on that
    pin (an exploratory test's finding). Their pins are lifted; earlier ones stay."""
    inst, pub, before = published
    last = max(r["date"] for r in before.values())
    assert _resolve_from(tmp_path, inst, pub, {"today": last, "changes": []}).exit_code == 0
    rev1 = pub / "rev-1"
    given = sorted((r["date"], s) for s, r in _rows(rev1).items() if r["date"] < last)
    (day, sid), (first_day, first) = given[-1], given[0]
    assert first_day < day
    teacher = _rows(rev1)[sid]["teachers"]
    back = {
        "today": day,
        "changes": [{"teacher_unavailable": {"teacher": teacher, "date": day}}],
    }
    result = _resolve_from(tmp_path, inst, rev1, back)
    assert result.exit_code == 0, result.output
    assert "may move again (their pins in its instance.yaml are lifted" in result.output
    after = _rows(pub / "rev-2")
    assert after[sid]["date"] != day and after[sid]["date"] >= day
    assert after[first]["date"] == first_day  # before the new today: still as given
    _check(pub / "rev-2" / "instance.yaml", pub / "rev-2")


def test_a_published_folder_moved_keeps_its_revisions_in_order(
    tmp_path: Path, published: Any
) -> None:
    """An audit renamed a published folder with two revisions: rev-1 republished there, rev-2
    was refused as "a re-solve of .../pub/rev-1, not of it" (each revision records the
    absolute path of the timetable it revised)."""
    inst, pub, _ = published
    first = _resolve_from(tmp_path, inst, pub, _CANCEL_U3)
    assert first.exit_code == 0, first.output
    later = {"today": "2026-09-17", "changes": [{"cancelled": {"session": "U1-main-03"}}]}
    second = _resolve_from(tmp_path, inst, pub / "rev-1", later)
    assert second.exit_code == 0, second.output
    moved = pub.rename(tmp_path / "moved")
    for rev in ("rev-1", "rev-2"):
        done = CliRunner().invoke(cli, ["export", str(moved / rev), "--out", str(moved)])
        assert done.exit_code == 0, done.output
    back = CliRunner().invoke(cli, ["export", str(moved / "rev-1"), "--out", str(moved)])
    assert back.exit_code == 1  # still refused the other way
    # without advice refused there too: its csv and xlsx beside another solution.json
    assert "--format csv" not in back.output and "--force republishes" in back.output


def test_a_session_frozen_by_a_revision_then_cancelled_is_not_tied_to_its_room(
    tmp_path: Path, published: Any
) -> None:
    """An audit: a revision pins every past session where it took place; cancelled from a
    later revision, the session kept that pin's room as if staff had chosen it, and a room
    closed from then on left it no place (no timetable)."""
    inst, pub, before = published
    first = min(before, key=lambda s: (before[s]["date"], before[s]["start"]))
    today = (dt.date.fromisoformat(before[first]["date"]) + dt.timedelta(days=1)).isoformat()
    code, output, rev1 = _resolve(tmp_path, inst, pub, {"today": today, "changes": []})
    assert code == 0, output
    room = before[first]["room"]
    changes = [
        {"cancelled": {"session": first}},
        {"room_unavailable": {"room": room, "from": today, "to": "2026-10-10"}},
    ]
    result = _resolve_from(tmp_path, inst, rev1, {"today": today, "changes": changes})
    assert result.exit_code == 0, result.output
    rev2 = pub / "rev-2"
    assert _rows(rev2)[first]["room"] != room
    assert _rows(rev2)[first]["date"] >= today
    pins = yaml.safe_load((rev2 / "instance.yaml").read_text(encoding="utf-8")).get("pins", [])
    assert not [p for p in pins if p["session"] == first]
    assert f"the pin of {first}" not in result.output
    _check(inst, rev2)


def test_a_make_up_after_what_it_had_to_precede_is_unbound_from_it(tmp_path: Path) -> None:
    """An audit: `UE1-main-03 before UE2`, 03 cancelled once UE2 had begun: no timetable, and
    advice to drop the precedence, which no change can do. The make-up is freed from what
    already took place, still before what is to come; the rest of the precedence holds."""
    data = roomy()
    data["precedences"] = [{"before": "U1", "after": "U2"}]
    inst = tmp_path / "ordered.yaml"
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    before = _rows(pub)
    day = dt.date.fromisoformat(before["U2-main-01"]["date"])
    today = (day + dt.timedelta(days=1)).isoformat()
    cancel = {"today": today, "changes": [{"cancelled": {"session": "U1-main-03"}}]}
    code, output, rev = _resolve(tmp_path, inst, pub, cancel)
    assert code == 0, output
    said = (
        "U1-main-03 comes back after U2-main-01 already took place: the precedence U1 before "
        "U2 no longer binds it; it still comes before what of U2 is to come"
    )
    assert said in " ".join(output.split())
    assert said in " ".join((rev / "changes.md").read_text(encoding="utf-8").split())
    # the disruption's figure says what it measures (an audit: "Disruption 34280", no more)
    head = (rev / "changes.md").read_text(encoding="utf-8")
    assert re.search(
        r"Disruption \d+ \(proved minimal\): the re-solve's measure of the moves", head
    )
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    pairs = {(p["before"], p["after"]) for p in revised["precedences"]}
    assert pairs == {("U1-main-01", "U2"), ("U1-main-02", "U2"), ("U1-main-03", "U2-main-02")}
    after = _rows(rev)
    assert after["U1-main-03"]["date"] >= today
    assert (after["U1-main-03"]["date"], after["U1-main-03"]["start"]) < (
        after["U2-main-02"]["date"],
        after["U2-main-02"]["start"],
    )
    _check(inst, rev)


def test_a_session_kept_tonight_in_another_room_is_warned_of(
    tmp_path: Path, published: Any
) -> None:
    """An audit: a session given today moved from one room to another that evening without
    the 'tell its students and teachers now' a move to another day gets."""
    inst, pub, before = published
    sid, row = next((s, r) for s, r in sorted(before.items()) if r["room"] in ("M1", "M2"))
    closed = {"room_unavailable": {"room": row["room"], "date": row["date"]}}
    code, output, rev = _resolve(tmp_path, inst, pub, {"today": row["date"], "changes": [closed]})
    assert code == 0, output
    after = _rows(rev)[sid]
    if after["date"] == row["date"]:  # kept tonight at its site, in the other room
        other = "M2" if row["room"] == "M1" else "M1"
        assert after["room"] == other
        said = (
            f"with another room, room {row['room']} -> {other}: tell its students and teachers now"
        )
        assert f"warning: {sid} is given today (" in output, output
    else:
        said = f"warning: {sid} was to be given today"
    assert said in output, output
