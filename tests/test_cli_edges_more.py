"""Edges of `io/atomic` and the re-solve start found by a second mutation audit of the CLI (67
mutants): each test fails with one surviving mutant and passes on the code as it is."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli, resolve_start
from scheduler.io import atomic
from scheduler.io.atomic import replace_folder
from tests.conftest import TINY
from tests.resolve.support import (
    published_tiny,
    roomy,
    run_resolve,
    run_resolve_from,
    timetable_rows,
)
from tests.test_concurrent_writers import _exchange_works


def _write(text: str):  # type: ignore[no-untyped-def]
    return lambda target: (target / "a.txt").write_text(text, encoding="utf-8")


def test_a_revision_written_just_before_the_exchange_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-solve renaming its `rev-<n>` into the published folder after the revisions were
    moved into the new one, just before the exchange, lands in the old folder: it is given
    back to the new one, not removed with the old (A12)."""
    if not _exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here: two renames")
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    (folder / "rev-1").mkdir()
    real = atomic._exchange

    def late_revision(a: Path, b: Path) -> bool:
        (b / "rev-2").mkdir()  # another process's re-solve, renamed in at this moment
        (b / "rev-2" / "solution.json").write_text("{}", encoding="utf-8")
        return real(a, b)

    monkeypatch.setattr(atomic, "_exchange", late_revision)
    replace_folder(folder, _write("new"))
    assert (folder / "a.txt").read_text(encoding="utf-8") == "new"
    assert (folder / "rev-1").is_dir()
    assert (folder / "rev-2" / "solution.json").is_file()


def test_a_name_taken_twice_in_one_second_is_numbered_from_2(tmp_path: Path) -> None:
    """`<folder>.unpublished-<time>` taken (two failures in one second): the next one is
    `-2`, then `-3`, as said; a `-1` beside the unnumbered one reads as the first (A15)."""
    folder = tmp_path / "pub"
    first = atomic.free_name(folder, "unpublished-20261207-103000")
    assert first == tmp_path / "pub.unpublished-20261207-103000"
    first.mkdir()
    second = atomic.free_name(folder, "unpublished-20261207-103000")
    assert second == tmp_path / "pub.unpublished-20261207-103000-2"
    second.mkdir()
    assert atomic.free_name(folder, "unpublished-20261207-103000").name.endswith("-3")


def _ended_pid() -> int:
    """The id of a process of this machine that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_killed_writers_temporary_goes_even_when_its_revision_is_back_already(
    tmp_path: Path,
) -> None:
    """A killed writer's temporary folder holding a `rev-<n>` the published folder has again
    is removed all the same (the published one is kept): giving it back regardless failed
    (a folder with files is not renamed over) and left the temporary there for good (A16)."""
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    (folder / "rev-1").mkdir()
    (folder / "rev-1" / "solution.json").write_text("published", encoding="utf-8")
    killed = tmp_path / f".pub.new-{_ended_pid()}.{atomic.SPACE}-abcdefgh"
    (killed / "rev-1").mkdir(parents=True)
    (killed / "rev-1" / "solution.json").write_text("moved", encoding="utf-8")
    replace_folder(folder, _write("next"))
    assert not list(tmp_path.glob(".pub.*"))
    assert (folder / "rev-1" / "solution.json").read_text(encoding="utf-8") == "published"


def test_another_machines_old_temporary_goes_though_its_pid_runs_here(tmp_path: Path) -> None:
    """A process id names a process of one machine only: another machine's temporary folder
    unchanged for STALE_SECONDS is stale even when a process of this machine has that id
    (it was kept for as long as that unrelated process ran, blocking every solve) (A19)."""
    folder = tmp_path / "pub"
    replace_folder(folder, _write("old"))
    other = "0" * 8 if atomic.SPACE != "0" * 8 else "1" * 8
    killed = tmp_path / f".pub.new-{os.getpid()}.{other}-abcdefgh"
    killed.mkdir()
    long_ago = time.time() - 2 * atomic.STALE_SECONDS
    os.utime(killed, (long_ago, long_ago))
    assert atomic.may_be_writing(killed) is False
    replace_folder(folder, _write("next"))
    assert not killed.exists()


def _published_roomy(tmp_path: Path) -> tuple[Path, Path, dict[str, dict[str, str]]]:
    inst, pub = published_tiny(tmp_path, roomy(), "roomy")
    return inst, pub, timetable_rows(pub)


def _first_day_and_last_session(before: dict[str, dict[str, str]]) -> tuple[dt.date, Any]:
    first = min(r["date"] for r in before.values())
    last = max(before, key=lambda sid: (before[sid]["date"], sid))
    assert before[last]["date"] > first
    return dt.date.fromisoformat(first), last


def test_the_sessions_of_today_itself_count_as_not_yet_held_when_today_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`today` the day before the machine's date: the sessions published on `today` itself
    count as to come and may move, so the warning names them ("from D to D") (T18)."""
    inst, pub, before = _published_roomy(tmp_path)
    day, last = _first_day_and_last_session(before)
    on_day = sum(r["date"] == day.isoformat() for r in before.values())
    clock = day + dt.timedelta(days=1)
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: clock)
    changes = {"today": day.isoformat(), "changes": [{"cancelled": {"session": last}}]}
    result = run_resolve_from(tmp_path, inst, pub, changes)
    assert result.exit_code == 0, result.output
    assert (
        f"today {day} (its `today`) is before this machine's date, {clock}: the "
        f"{on_day} published session{'' if on_day == 1 else 's'} from {day} to {day}"
    ) in result.output


def test_the_sessions_of_the_machines_date_count_as_held_when_today_is_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`today` the day after the machine's date: the sessions published on the machine's
    date itself count as held and cannot move, so the warning names them (T19)."""
    inst, pub, before = _published_roomy(tmp_path)
    day, last = _first_day_and_last_session(before)
    on_day = sum(r["date"] == day.isoformat() for r in before.values())
    monkeypatch.setattr(resolve_start, "clock_today", lambda zone: day)
    today = day + dt.timedelta(days=1)
    changes = {"today": today.isoformat(), "changes": [{"cancelled": {"session": last}}]}
    result = run_resolve_from(tmp_path, inst, pub, changes)
    assert result.exit_code == 0, result.output
    assert (
        f"today {today} (its `today`) is after this machine's date, {day}: the "
        f"{on_day} published session{'' if on_day == 1 else 's'} from {day} to {day}"
    ) in result.output


def test_the_revision_republished_in_the_folder_is_the_one_people_were_told_of(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """rev-1 and rev-2 both re-solved from pub, rev-2 republished there, then a re-solve
    from rev-1: rev-2 is what people hold, so changes.md compares the new revision with it
    (T20: the republished revision itself was left out of those people were told of)."""
    from scheduler.cli.export_cmd import export

    inst, pub = published_tiny(tmp_path, tiny_data)
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [away]})
    assert code == 0, output
    other = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "UE3-main-02"}}]}
    assert run_resolve_from(tmp_path, inst, pub, other).exit_code == 0
    assert CliRunner().invoke(export, [str(pub / "rev-2"), "--out", str(pub)]).exit_code == 0
    meant = {"teacher_unavailable": {"teacher": "T2", "date": "2026-09-24"}}
    again = run_resolve_from(
        tmp_path, inst, pub / "rev-1", {"today": "2026-09-16", "changes": [meant]}
    )
    assert again.exit_code == 0, again.output
    text = (pub / "rev-3" / "changes.md").read_text(encoding="utf-8")
    assert "Against rev-2, the latest revision" in text


def _resolve(inst: Path, source: Path, changes: Path) -> Any:
    args = ["resolve", str(inst), "--from", str(source), "--changes", str(changes)]
    return CliRunner().invoke(cli, [*args, "--deterministic"])


def _with_one_revision(tmp_path: Path, tiny_data: dict[str, Any]) -> tuple[Path, Path, Path]:
    inst, pub = published_tiny(tmp_path, tiny_data)
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    code, output, rev = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [away]})
    assert code == 0, output
    changes = tmp_path / "more.yaml"
    meant = {"teacher_unavailable": {"teacher": "T2", "date": "2026-09-24"}}
    changes.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": [meant]}), "utf-8")
    return inst, rev, changes


def test_a_revision_of_another_instance_is_refused(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """`resolve other.yaml --from pub/rev-1`, rev-1 being a revision of another instance:
    refused (exit 2), not re-solved from rev-1's instance as if it were other.yaml's (T9)."""
    _, rev, changes = _with_one_revision(tmp_path, tiny_data)
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({**tiny_data, "name": "other"}), encoding="utf-8")
    result = _resolve(other, rev, changes)
    assert result.exit_code == 2, result.output
    assert "a revision of instance 'tiny', not of 'other'" in " ".join(result.output.split())
    assert not (rev.parent / "rev-2").exists()


def test_a_revision_s_own_instance_given_is_not_said_to_miss_its_edits(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """Given the revision's own instance.yaml, nothing is said of edits to it not being seen
    (T10: "starting from rev-1/instance.yaml: rev-1/instance.yaml with the changes of the
    earlier re-solves (edits made to rev-1/instance.yaml since are not seen)")."""
    _, rev, changes = _with_one_revision(tmp_path, tiny_data)
    result = _resolve(rev / "instance.yaml", rev, changes)
    assert result.exit_code == 0, result.output
    assert "starting from" not in result.output and "are not seen" not in result.output


@pytest.mark.parametrize(
    ("day", "warning"),
    [("2026-09-15", "wholly before today"), ("2026-11-20", "outside the calendar")],
    ids=["before today (T16)", "outside the calendar (C14)"],
)
def test_an_unknown_teacher_s_change_is_refused_without_a_date_warning(
    tmp_path: Path, tiny_data: dict[str, Any], day: str, warning: str
) -> None:
    """A change naming a teacher the instance does not have, on a day before today or
    outside the calendar: refused for the name, without first warning of its date ("wholly
    before today", "wholly outside the calendar"), which sends the user to the date rather
    than the typo."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    typo = {"teacher_unavailable": {"teacher": "T9", "date": day}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [typo]})
    assert result.exit_code == 2, result.output
    assert "T9" in result.output
    assert warning not in result.output


def test_a_re_solve_on_the_today_of_its_revision_thaws_nothing(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A re-solve from rev-1 on rev-1's own `today`: no session lies between, so nothing is
    said to "move again" (T17 warned of sessions "from 2026-09-16 to the day before
    2026-09-16")."""
    inst, rev, changes = _with_one_revision(tmp_path, tiny_data)
    result = _resolve(inst, rev, changes)
    assert result.exit_code == 0, result.output
    assert "may move again" not in result.output


def test_a_timetable_edited_by_hand_is_refused_with_what_is_wrong(tmp_path: Path) -> None:
    """The refusal of a published timetable edited by hand lists what breaks the rules on
    the console (T22: only "`scheduler check` lists what is wrong" was left)."""
    pub = tmp_path / "pub"
    done = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert done.exit_code == 0, done.output
    record = json.loads((pub / "solution.json").read_text(encoding="utf-8"))
    first, second = record["assignments"][0], record["assignments"][1]
    second.update(date=first["date"], slot=first["slot"])  # two sessions of one group at once
    (pub / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    refused = run_resolve_from(tmp_path, TINY, pub, {"today": "2026-09-16", "changes": [away]})
    assert refused.exit_code == 1, refused.output
    said = " ".join(refused.output.split())
    assert f"{first['session']} " in said and f"and {second['session']} " in said
    assert "share students" in said


def test_an_earlier_today_does_not_take_pins_from_another_instance_at_the_first_path(
    tmp_path: Path,
) -> None:
    """The file the first solve recorded now holds another instance (another `name`): its
    pins are not taken as the first instance's when an earlier `today` lifts a revision's
    frozen pins (T24 put that other instance's pin back)."""
    from tests.resolve.edits_support import csv_rows, edits_instance, publish_variant

    data = edits_instance()
    data["ues"][0]["sites"] = ["MONS"]
    data["ues"][0]["sessions"] = [{"count": 3}]
    data["teachers"][0]["unavailable"] = []
    data["precedences"] = []
    _, pub = publish_variant(tmp_path, data, "plain")
    placed = {r["session_id"]: r for r in csv_rows(pub) if r["kind"] == "session"}
    pin = {"session": "U1-main-02", "date": placed["U1-main-02"]["date"]}
    pin["room"] = placed["U1-main-02"]["room"]
    data["pins"] = [pin]
    pinned, pub2 = publish_variant(tmp_path, data, "pinned")
    after = (dt.date.fromisoformat(pin["date"]) + dt.timedelta(days=1)).isoformat()
    first = run_resolve_from(tmp_path, pinned, pub2, {"today": after, "changes": []})
    assert first.exit_code == 0, first.output
    rev1 = pub2 / "rev-1"
    pinned.write_text(yaml.safe_dump({**data, "name": "another"}), encoding="utf-8")
    back = run_resolve_from(
        tmp_path, rev1 / "instance.yaml", rev1, {"today": pin["date"], "changes": []}
    )
    assert back.exit_code == 0, back.output
    revised = yaml.safe_load((pub2 / "rev-2" / "instance.yaml").read_text(encoding="utf-8"))
    assert pin not in revised.get("pins", [])


def test_today_on_the_calendar_s_last_day_is_not_after_its_end(tmp_path: Path) -> None:
    """`today` the calendar's last day: that day's sessions are still to come, so no warning
    that "every session has taken place, nothing can move" (C13)."""
    inst, pub, _ = _published_roomy(tmp_path)
    end = yaml.safe_load(inst.read_text(encoding="utf-8"))["calendar"]["end"]
    result = run_resolve_from(tmp_path, inst, pub, {"today": str(end), "changes": []})
    assert result.exit_code == 0, result.output
    assert "after the calendar's end" not in result.output
    late = (dt.date.fromisoformat(str(end)) + dt.timedelta(days=1)).isoformat()
    result = run_resolve_from(tmp_path, inst, pub, {"today": late, "changes": []})
    assert "after the calendar's end" in result.output


def test_a_teacher_away_today_matches_today_s_slots(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A teacher unavailable on `today` itself, a day they teach: today's slots are still to
    come, so the change is not said to match "no teaching slot from today on" (C15)."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    rows = timetable_rows(pub)
    day = rows["UE1-main-02"]["date"]
    teacher = rows["UE1-main-02"]["teachers"].split(";")[0]
    away = {"teacher_unavailable": {"teacher": teacher, "date": day}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": day, "changes": [away]})
    assert result.exit_code in (0, 1), result.output  # tiny has no other day for it: 1
    assert "matches no teaching slot" not in result.output


def test_an_absence_within_days_the_same_changes_make_available_is_not_said_moot(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A visitor's window widened by `teacher_available` and, in the same changes, an absence
    on one of the days it adds: not "away anyway" (their availability in the instance is no
    longer theirs) (C18)."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    back = {"teacher_available": {"teacher": "V1", "from": "2026-09-15", "to": "2026-09-21"}}
    away = {"teacher_unavailable": {"teacher": "V1", "date": "2026-09-17"}}
    changes = {"today": "2026-09-16", "changes": [back, away]}
    result = run_resolve_from(tmp_path, inst, pub, changes)
    assert result.exit_code in (0, 1), result.output
    assert "anyway" not in result.output
    alone = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [away]})
    assert "the teacher is not available in any of its slots anyway" in " ".join(
        alone.output.split()
    )


def test_a_site_closed_today_on_an_event_day_without_teaching_is_not_said_moot(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The same closure of an event's day without teaching, that day being `today`: the
    event is still to come, so the closure is not said to match "no teaching slot" (C19)."""
    tiny_data["fixed_events"][0]["dates"] = ["2026-09-18"]  # a Friday: no slot
    inst, pub = published_tiny(tmp_path, tiny_data)
    closure = {
        "today": "2026-09-18",
        "changes": [{"site_closed": {"site": "NAMUR", "date": "2026-09-18"}}],
    }
    result = run_resolve_from(tmp_path, inst, pub, closure)
    assert result.exit_code in (0, 1), result.output
    assert "matches no teaching slot" not in result.output


def test_an_unknown_teacher_away_a_year_off_is_refused_for_the_name(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A change naming a teacher the instance does not have, dated a year off: refused for
    the name, not sent to "check its year" first (C20)."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    typo = {"teacher_unavailable": {"teacher": "T9", "date": "2027-09-22"}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [typo]})
    assert result.exit_code == 2, result.output
    assert "T9" in result.output and "check its year" not in result.output


def test_a_folder_of_another_instance_given_as_out_advises_another_out(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """Refused over a folder holding another instance's timetable, with --out given: the
    advice is another --out, not a name of its own (which would meet the same --out again)
    (O10)."""
    _, pub = published_tiny(tmp_path, tiny_data)
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({**tiny_data, "name": "other"}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["solve", str(other), "--out", str(pub)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "holds the timetable of instance 'tiny', not 'other'" in said
    assert said.rstrip().endswith("name another folder (--out)")
    assert "name of its own" not in said


def test_an_out_whose_temporary_name_would_be_too_long_is_refused_before_solving(
    tmp_path: Path,
) -> None:
    """A folder name the file system takes (240 bytes) but whose temporary and unpublished
    names it would not: refused at once (exit 2), not after solving (O15)."""
    out = tmp_path / ("a" * 240)
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert result.exit_code == 2, result.output
    assert "the folder's name is 240 bytes long, at most" in result.output
    assert "status" not in result.output  # nothing was solved


def test_a_moved_revision_is_exported_with_its_own_instance(
    tmp_path: Path, tiny_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export moved/rev-1` without --instance, the published folder moved and the instance
    file deleted since: the revision's own instance.yaml beside it is used (M9)."""
    inst, rev, _ = _with_one_revision(tmp_path, tiny_data)
    inst.unlink()
    moved = tmp_path / "moved"
    rev.parent.rename(moved)  # the path rev-1's solution.json records is gone
    monkeypatch.chdir(tmp_path)  # no instances/ folder here either
    out = tmp_path / "feeds"
    result = CliRunner().invoke(cli, ["export", str(moved / rev.name), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "timetable.html").is_file()


def test_a_solve_without_ctrl_c_says_nothing_of_one(tmp_path: Path) -> None:
    """No Ctrl-C came: no note that one "came after the search" (M10 said it after every
    solve)."""
    out = tmp_path / "sol"
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    assert "came after the search" not in result.output


def test_a_re_solve_after_a_writer_killed_in_its_swap_gets_the_hidden_revisions_back(
    tmp_path: Path,
) -> None:
    """A solve into `pub` killed between its renames had moved `pub/rev-1` into its
    temporary: `resolve --from pub` saw no revision, wrote its own as rev-1, and the
    original stayed hidden (deleted by the next clean-up). Both `resolve` and `export` now
    give the hidden revisions back first (an audit)."""
    import sys

    import yaml
    from click.testing import CliRunner

    from scheduler.cli import cli
    from scheduler.cli.export_cmd import export
    from tests.resolve.support import CANCEL_U3
    from tests.test_atomic import KILLED_WRITER

    inst, pub = published_tiny(tmp_path, roomy(), "roomy")
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump(CANCEL_U3), encoding="utf-8")
    args = ["resolve", str(inst), "--from", str(pub), "--changes", str(changes)]
    assert CliRunner().invoke(cli, [*args, "--deterministic"]).exit_code == 0
    first = (pub / "rev-1" / "solution.json").read_bytes()
    for command in ("resolve", "export"):
        killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(pub), "1", "renames"])
        assert killed.returncode == 9
        assert not (pub / "rev-1").exists() and list(tmp_path.glob(".pub.new-*"))
        if command == "resolve":
            rows = timetable_rows(pub).items()
            later = [sid for sid, row in rows if row["date"] > "2026-09-16" and sid != "U3-main-01"]
            other = {"today": "2026-09-16", "changes": [{"cancelled": {"session": later[-1]}}]}
            changes.write_text(yaml.safe_dump(other), encoding="utf-8")
            done = CliRunner().invoke(cli, [*args, "--deterministic"])
            assert done.exit_code == 0, done.output
            assert "already has later revisions (rev-1)" in " ".join(done.output.split())
            assert sorted(p.name for p in pub.glob("rev-*")) == ["rev-1", "rev-2"]
        else:
            done = CliRunner().invoke(export, [str(pub)])
            assert sorted(p.name for p in pub.glob("rev-*")) == ["rev-1", "rev-2"], done.output
        assert (pub / "rev-1" / "solution.json").read_bytes() == first
        assert not list(tmp_path.glob(".pub.*"))
