"""Re-solving after changes: minimal moves, the past untouched, the revision beside the published one."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from scheduler.data.words import format_date
from tests.resolve.support import (
    CANCEL_U3,
    MEANS,
    assert_checked,
    ics_events,
    moved_sessions,
    roomy,
    run_resolve,
    run_resolve_from,
    timetable_rows,
)


def test_cancellation_moves_exactly_the_cancelled_session(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    code, output, rev = run_resolve(tmp_path, inst, pub, CANCEL_U3)
    assert code == 0, output
    after = timetable_rows(rev)
    assert moved_sessions(before, after) == {"U3-main-01"}
    assert after["U3-main-01"]["date"] >= "2026-09-16"
    assert "proved minimal" in output
    assert_checked(inst, rev)
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
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"cancelled": {"session": latest}}]}
    )
    assert code == 0, output
    after = timetable_rows(rev)
    assert moved_sessions(before, after) >= {latest}
    moved = after[latest]
    assert (moved["date"], moved["start"]) != (before[latest]["date"], before[latest]["start"])
    assert_checked(inst, rev)


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
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"cancelled": {"session": first}}]}
    )
    assert code == 0, output
    after = timetable_rows(rev)
    assert after[first]["date"] >= today
    assert after[second] == before[second]  # taught: untouched
    document = json.loads((rev / "solution.json").read_text(encoding="utf-8"))
    assert document["reordered"] == [first]
    said = f"{first} comes back after later sessions of its series that already took place"
    assert said in output and said in (rev / "changes.md").read_text(encoding="utf-8")
    assert_checked(inst, rev)  # series order holds without `first`
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
    again = run_resolve_from(tmp_path, inst, rev, {"today": earlier, "changes": []})
    assert again.exit_code == 0, again.output
    second_rev = rev.parent / "rev-2"
    assert "reordered" not in json.loads((second_rev / "solution.json").read_text("utf-8"))
    assert "reordered" not in yaml.safe_load((second_rev / "instance.yaml").read_text("utf-8"))
    assert_checked(inst, second_rev)
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
    code, output, rev = run_resolve(tmp_path, inst, pub, {"today": today, "changes": []})
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
    again = timetable_rows(out)
    assert {sid for sid, r in again.items() if r["date"] < today} == {
        sid for sid, r in before.items() if r["date"] < today
    }


def _t1_unavailable(tmp_path: Path, published: Any) -> tuple[str, Path]:
    """A re-solve for T1 unavailable on the day of U1-main-03: (that day, the revision)."""
    inst, pub, before = published
    day = before["U1-main-03"]["date"]
    change = {"teacher_unavailable": {"teacher": "T1", "date": day}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [change]}
    )
    assert code == 0, output
    return day, rev


def test_teacher_unavailable_moves_only_that_date(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    _, rev = _t1_unavailable(tmp_path, published)
    after = timetable_rows(rev)
    assert moved_sessions(before, after) == {"U1-main-03"}
    events = ics_events(rev / "calendars" / "all.ics")
    assert events["U1-main-03@roomy.scheduler"]["SEQUENCE"] == "1"  # updated in place
    assert events["U1-main-01@roomy.scheduler"]["SEQUENCE"] == "0"  # untouched
    assert events.keys() == ics_events(pub / "calendars" / "all.ics").keys()  # same UIDs
    for sid, row in before.items():  # the past is exactly as published
        if row["date"] < before["U1-main-02"]["date"]:
            assert after[sid] == row
    assert_checked(inst, rev)


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
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": "2026-09-15", "changes": [closed]}
    )
    assert code == 0, output
    after = timetable_rows(rev)
    assert moved_sessions(before, after) == {sid}
    other = "M2" if row["room"] == "M1" else "M1"
    assert (after[sid]["date"], after[sid]["room"]) == (row["date"], other)  # the least move
    slot = next(line for line in output.splitlines() if line.startswith(f"  {sid}: "))
    assert f"{row['date']} " in slot and f" {row['room']} -> {row['date']} " in slot, slot
    assert slot.split(" (")[0].endswith(f" {other}"), slot
    assert_checked(inst, rev)


def test_site_closure_moves_that_days_sessions(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    day, site = before["U1-main-03"]["date"], before["U1-main-03"]["site"]
    closure = {"site_closed": {"site": site, "date": day, "reason": "grève"}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": before["U1-main-02"]["date"], "changes": [closure]}
    )
    assert code == 0, output
    after = timetable_rows(rev)
    that_day = {s for s, r in before.items() if r["date"] == day and r["site"] == site}
    assert moved_sessions(before, after) == that_day
    assert all(not (after[s]["date"] == day and after[s]["site"] == site) for s in after)
    rows = list(csv.DictReader((rev / "changes.csv").open(encoding="utf-8")))
    assert {r["session"] for r in rows} == moved_sessions(before, after)
    # its reason is said with it (an audit could not record a strike), not kept in the instance
    assert all(r["cause"].endswith(" reason=grève") for r in rows)
    assert all(r["cause_in_words"].endswith(" (grève)") for r in rows)
    assert "grève" in (rev / "changes.md").read_text(encoding="utf-8")
    assert "grève" not in (rev / "instance.yaml").read_text(encoding="utf-8")
    assert_checked(inst, rev)


def test_later_revisions_of_a_copied_folder_are_said_to_hold_its_changes(
    tmp_path: Path, published: Any
) -> None:
    """An audit copied the published folder with its rev-1 (`cp -r`) and re-solved from the
    copy: rev-1, whose record names the original folder, was said to hold "none of this
    one's changes" though it revises the same timetable."""
    inst, pub, _ = published
    code, output, _ = run_resolve(
        tmp_path, inst, pub, {"today": "2026-09-20", "changes": [{"add_sessions": {"ue": "U2"}}]}
    )
    assert code == 0, output
    copied = tmp_path / "copied"
    shutil.copytree(pub, copied)
    code, output, _ = run_resolve(tmp_path, inst, copied, {"today": "2026-09-20", "changes": []})
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
    code, output, rev = run_resolve(
        tmp_path,
        inst,
        pub,
        {"today": "2026-09-20", "changes": [{"add_sessions": {"ue": "U2", "count": 1}}]},
    )
    assert code == 0, output
    assert "moved      0 sessions, 1 session added\n" in output  # not counted as moved (audit)
    assert "1 session added to U2 (main)" in (rev / "changes.md").read_text(encoding="utf-8")
    after = timetable_rows(rev)
    assert moved_sessions(before, after) == {"U2-main-03"}
    assert after["U2-main-03"]["date"] >= "2026-09-20"
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0 and (pub / "rev-2" / "timetable.csv").exists()
    # from pub again, rev-1's change is left out: said, since rev-1's subscribers would miss it
    assert "already has later revisions (rev-1): this re-solve leaves out their changes" in output
    assert f"re-solve from {pub / 'rev-1'} to keep them" in output  # rev-1 descends from pub
    # and what rev-1 renamed ("1/2" -> "1/3") and rev-2 names back supersedes rev-1's events
    rev1 = ics_events(pub / "rev-1" / "calendars" / "all.ics")
    rev2 = ics_events(pub / "rev-2" / "calendars" / "all.ics")
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
    code, output, _ = run_resolve(
        tmp_path, inst, pub / "rev-1", {"today": "2026-09-20", "changes": []}
    )
    assert code == 0, output
    assert "already has later revisions (rev-2)" in output and "to keep them" not in output
    assert f"rev-2 was re-solved from {pub.resolve() / 'solution.json'}, not from" in output
    assert "holds none of this one's changes either" in output
    # from pub: rev-3 (from rev-1) keeps rev-1's, not rev-2's, a branch beside it (a review)
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0, output
    assert f"re-solve from {pub / 'rev-3'} to keep its own (rev-2 branched off beside it" in output
    # rev-1 deleted (and the rev-4 just made): whether rev-3 holds pub's changes is not
    # known, not "none"
    shutil.rmtree(pub / "rev-1")
    shutil.rmtree(pub / "rev-4")
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": []})
    assert code == 0 and "rev-3 revises a timetable that is no longer there" in output, output


def test_calendars_follow_what_their_events_show(tmp_path: Path, published: Any) -> None:
    """An added session renames its series' others ("1/2" -> "1/3"): their events change, so
    their SEQUENCE rises though they did not move (it stayed 0, and calendar clients could keep
    the old titles). Exporting the revision to a new folder continues its numbers (they
    restarted at 0) and does not publish a change that is not there."""
    inst, pub, _ = published
    add = {"add_sessions": {"ue": "U2", "count": 1}}
    code, output, rev = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [add]})
    assert code == 0, output
    old, new = (
        ics_events(pub / "calendars" / "all.ics"),
        ics_events(rev / "calendars" / "all.ics"),
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
    again = ics_events(fresh / "calendars" / "all.ics")
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
    code, output, rev = run_resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    text = (rev / "changes.md").read_text(encoding="utf-8")
    (line,) = [x for x in text.splitlines() if x.startswith("- U1-main-") and " -> " in x]
    assert line == f"- U1-main-03 (U1), {before['U1-main-03']['date']}: 3/3 -> 2/2", text
    assert "1 session renamed, not moved" in text
    # changes.csv, which tools mail from, has a row for it too (it had none: left alone)
    rows = list(csv.DictReader((rev / "changes.csv").open(encoding="utf-8")))
    (renamed,) = [r for r in rows if r["what"] == "number"]
    assert renamed["session"] == "U1-main-03"
    assert renamed["before_date"] == renamed["after_date"] == before["U1-main-03"]["date"]
    assert renamed["before_room"] == renamed["after_room"] == before["U1-main-03"]["room"]
    assert renamed["before_start"] and renamed["before_teachers"] == renamed["after_teachers"]
    assert renamed["cause"] == "dropped session=U1-main-02", renamed
    assert renamed["cause_in_words"] == (
        "renumbered 3/3 -> 2/2, not moved (U1-main-02 dropped (not given))"
    )
    # and so has the workbook's Changes sheet, which had left the renumbered rows out (an
    # audit): the change in its column, the dropped session in the cause
    from openpyxl import load_workbook

    book = load_workbook(rev / "timetable.xlsx")
    head = [c.value for c in book["Changes"][1]]
    found = {
        r[-1]: (r[head.index("Change")], r[-2])
        for r in book["Changes"].iter_rows(min_row=2, values_only=True)
    }
    assert found["U1-main-03"] == ("renumbered 3/3 -> 2/2", "U1-main-02 dropped (not given)")
    assert set(found) == {"U1-main-02", "U1-main-03"}, found


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
    assert run_resolve_from(tmp_path, inst, pub, {"today": today, "changes": []}).exit_code == 0
    dropped = {"today": today, "changes": [{"dropped": {"session": sid}}]}
    assert run_resolve_from(tmp_path, inst, pub, dropped).exit_code == 0
    closed = {"today": today, "changes": [{"room_unavailable": {"room": room, "date": day}}]}
    result = run_resolve_from(tmp_path, inst, pub / "rev-1", closed)
    assert result.exit_code == 0, result.output
    rev3 = pub / "rev-3"
    assert timetable_rows(rev3)[sid]["room"] != room  # it moved room
    uid = f"{sid}@roomy.scheduler"
    was = ics_events(pub / "rev-1" / "calendars" / f"room-{room}.ics")[uid]
    now = ics_events(rev3 / "calendars" / f"room-{room}.ics").get(uid)
    assert was["STATUS"] == "CONFIRMED"
    assert now is not None and now["STATUS"] == "CANCELLED", now
    assert int(now["SEQUENCE"]) > int(was["SEQUENCE"])


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
    assert run_resolve_from(tmp_path, inst, pub, first).exit_code == 0
    rev1 = pub / "rev-1"
    assert (rev1 / "instance.yaml").is_file()
    second = {"today": "2026-09-17", "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    result = run_resolve_from(tmp_path, inst, rev1, second)
    assert result.exit_code == 0, result.output
    assert "starting from" in result.output and "instance.yaml" in result.output
    rev2 = pub / "rev-2"
    after = timetable_rows(rev2)
    assert "U2-main-03" in after  # the session rev-1 added
    t1_days = {r["date"] for r in after.values() if "T1" in r["teachers"].split(";")}
    assert day not in t1_days
    for rev in (rev1, rev2):
        assert_checked(rev / "instance.yaml", rev)
    document = json.loads((rev1 / "solution.json").read_text(encoding="utf-8"))
    assert document["revision"]["today"] == "2026-09-16"
    assert document["revision"]["from"] == str((pub / "solution.json").resolve())
    assert document["revision"]["changes"] == str((tmp_path / "changes-from.yaml").resolve())
    assert document["solver"]["time_limit"] == 10  # resolve's default, not its last step's
    assert "warning: today" not in result.output  # 17 Sep follows rev-1's 16 Sep
    back = {"today": "2026-09-15", "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    earlier = run_resolve_from(tmp_path, inst, rev2, back)
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
    given = timetable_rows(pub)["U1-main-01"]["date"]
    today = (dt.date.fromisoformat(given) + dt.timedelta(days=1)).isoformat()
    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-10-01", "to": "2026-10-10"}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": today, "changes": [away]})
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert re.search(
        r"pre-flight error: \S+ with \S+: \[min_days_between\] only 1 of the 2 sessions of "
        r"U1-main fit",
        said,
    ), said
    assert f"(given: U1-main-01 on {format_date(dt.date.fromisoformat(given))})" in said
    assert "move a pin" not in said and "move or drop the pin" not in said


def test_a_session_frozen_by_a_revision_then_cancelled_is_not_tied_to_its_room(
    tmp_path: Path, published: Any
) -> None:
    """An audit: a revision pins every past session where it took place; cancelled from a
    later revision, the session kept that pin's room as if staff had chosen it, and a room
    closed from then on left it no place (no timetable)."""
    inst, pub, before = published
    first = min(before, key=lambda s: (before[s]["date"], before[s]["start"]))
    today = (dt.date.fromisoformat(before[first]["date"]) + dt.timedelta(days=1)).isoformat()
    code, output, rev1 = run_resolve(tmp_path, inst, pub, {"today": today, "changes": []})
    assert code == 0, output
    room = before[first]["room"]
    changes = [
        {"cancelled": {"session": first}},
        {"room_unavailable": {"room": room, "from": today, "to": "2026-10-10"}},
    ]
    result = run_resolve_from(tmp_path, inst, rev1, {"today": today, "changes": changes})
    assert result.exit_code == 0, result.output
    rev2 = pub / "rev-2"
    assert timetable_rows(rev2)[first]["room"] != room
    assert timetable_rows(rev2)[first]["date"] >= today
    pins = yaml.safe_load((rev2 / "instance.yaml").read_text(encoding="utf-8")).get("pins", [])
    assert not [p for p in pins if p["session"] == first]
    assert f"the pin of {first}" not in result.output
    assert_checked(inst, rev2)


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
    before = timetable_rows(pub)
    day = dt.date.fromisoformat(before["U2-main-01"]["date"])
    today = (day + dt.timedelta(days=1)).isoformat()
    cancel = {"today": today, "changes": [{"cancelled": {"session": "U1-main-03"}}]}
    code, output, rev = run_resolve(tmp_path, inst, pub, cancel)
    assert code == 0, output
    said = (
        "U1-main-03 comes back after U2-main-01 already took place: the precedence U1 before "
        "U2 no longer binds it; it still comes before what of U2 is to come"
    )
    assert said in " ".join(output.split())
    assert said in " ".join((rev / "changes.md").read_text(encoding="utf-8").split())
    # the disruption's figure says what it measures (an audit: "Disruption 34280", no more)
    head = (rev / "changes.md").read_text(encoding="utf-8")
    assert re.search(rf"Disruption \d+ points \(proved minimal\): {MEANS}, here \d+\.", head)
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    pairs = {(p["before"], p["after"]) for p in revised["precedences"]}
    assert pairs == {("U1-main-01", "U2"), ("U1-main-02", "U2"), ("U1-main-03", "U2-main-02")}
    after = timetable_rows(rev)
    assert after["U1-main-03"]["date"] >= today
    assert (after["U1-main-03"]["date"], after["U1-main-03"]["start"]) < (
        after["U2-main-02"]["date"],
        after["U2-main-02"]["start"],
    )
    assert_checked(inst, rev)


def test_a_session_kept_tonight_in_another_room_is_warned_of(
    tmp_path: Path, published: Any
) -> None:
    """An audit: a session given today moved from one room to another that evening without
    the 'tell its students and teachers now' a move to another day gets."""
    inst, pub, before = published
    sid, row = next((s, r) for s, r in sorted(before.items()) if r["room"] in ("M1", "M2"))
    closed = {"room_unavailable": {"room": row["room"], "date": row["date"]}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": row["date"], "changes": [closed]}
    )
    assert code == 0, output
    after = timetable_rows(rev)[sid]
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
