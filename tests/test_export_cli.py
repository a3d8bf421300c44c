"""`scheduler export` in-process (the command object itself), with CliRunner."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import scheduler.export as export_module
from scheduler.cli import export_cmd
from scheduler.cli.export_cmd import export
from scheduler.io.instance_io import file_sha256
from scheduler.io.solution_io import write_solution
from tests.conftest import in_temporary_folder
from tests.test_export_support import TINY, prop, tiny_problem, tiny_result, vevents

MTIME = 1_788_000_000  # 2026-08-29 10:40:00 UTC


def solution_folder(root: Path) -> Path:
    folder = root / "sol"
    write_solution(folder, tiny_problem(), tiny_result(1), file_sha256(TINY))
    os.utime(folder / "solution.json", (MTIME, MTIME))
    return folder


def test_export_every_format_next_to_the_solution(tmp_path: Path) -> None:
    folder = solution_folder(tmp_path)
    result = CliRunner().invoke(export, [str(folder), "--instance", str(TINY)])
    assert result.exit_code == 0, result.output
    for name in ("timetable.csv", "timetable.xlsx", "timetable.html", "calendars/all.ics"):
        assert (folder / name).is_file(), name
    assert "wrote 13 calendars" in result.output  # all + 3 groups + 4 teachers + 3 rooms + 2 sites
    (event, *_) = vevents((folder / "calendars/all.ics").read_bytes())
    assert prop(event, "DTSTAMP")[1] == "20260829T104000Z"  # the solution file's time


def test_export_one_format_elsewhere_finding_the_instance_by_name(tmp_path: Path) -> None:
    folder = solution_folder(tmp_path)
    runner = CliRunner()
    with in_temporary_folder(tmp_path):
        Path("instances").mkdir()
        shutil.copy(TINY, "instances/tiny.yaml")
        out = Path("out").resolve()
        args = [str(folder / "solution.json"), "--format", "ics", "--format", "html"]
        result = runner.invoke(export, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir()) == ["calendars", "timetable.html"]
        assert "warning" not in result.output


def test_missing_instance_exits_2_with_one_line(tmp_path: Path) -> None:
    folder = solution_folder(tmp_path)
    runner = CliRunner()
    with in_temporary_folder(tmp_path):
        result = runner.invoke(export, [str(folder)])
    assert result.exit_code == 2
    assert "instance 'tiny' (looked beside the solution and in instances/" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_inputs_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(export, [str(tmp_path / "nowhere"), "--instance", str(TINY)])
    assert missing.exit_code == 2 and "no such file" in missing.output
    folder = solution_folder(tmp_path)
    bad_format = runner.invoke(export, [str(folder), "--instance", str(TINY), "--format", "pdf"])
    assert bad_format.exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = runner.invoke(export, [str(broken), "--instance", str(TINY)])
    assert result.exit_code == 2 and "invalid JSON" in result.output
    assert "Traceback" not in result.output


def test_a_solution_of_another_instance_is_refused(tmp_path: Path) -> None:
    """As `check` and `report` do; export used to warn and then fail on an unknown room."""
    from tests.conftest import SAMPLE

    folder = solution_folder(tmp_path)
    result = CliRunner().invoke(export, [str(folder), "--instance", str(SAMPLE)])
    assert result.exit_code == 2
    assert "a solution of instance 'tiny', not of 'mapemass-2026-27'" in result.output


def test_a_first_export_of_a_timetable_starts_every_sequence_at_zero(tmp_path: Path) -> None:
    """A folder holding only solution.json and timetable.csv was taken for a lost feed:
    every event of its first calendars got SEQUENCE 1."""
    folder = solution_folder(tmp_path)  # solution.json and timetable.csv, no calendars
    done = CliRunner().invoke(export, [str(folder), "--instance", str(TINY), "--format", "ics"])
    assert done.exit_code == 0, done.output
    text = (folder / "calendars" / "all.ics").read_text(encoding="utf-8")
    assert "SEQUENCE:1" not in text and text.count("SEQUENCE:0") == 8


def test_a_revision_exported_where_another_timetable_is_writes_calendars_and_page(
    tmp_path: Path,
) -> None:
    """An audit exported a revision into the published folder: timetable.csv, .xlsx and
    .html were replaced while solution.json stayed the published one, and the two disagreed.
    A later audit found the page left as it was while the calendars beside it moved on: the
    page people bookmarked showed the old timetable. The calendars and the page follow the
    revision; the CSV and the workbook stay the record of the folder's solution.json."""
    folder = solution_folder(tmp_path)
    other = tmp_path / "other"
    write_solution(other, tiny_problem(), tiny_result(2), file_sha256(TINY))
    table = (folder / "timetable.csv").read_bytes()
    runner = CliRunner()
    unrelated = runner.invoke(export, [str(other), "--instance", str(TINY), "--out", str(folder)])
    assert unrelated.exit_code == 1  # a new solve, not a revision of the folder's timetable
    assert "does not re-solve" in unrelated.output and "--force republishes" in unrelated.output
    assert not (folder / "calendars").exists()
    shutil.copytree(folder, tmp_path / "copy")
    forced = [str(other), "--instance", str(TINY), "--out", str(tmp_path / "copy"), "--force"]
    done = runner.invoke(export, forced)
    assert done.exit_code == 0 and "republished (--force)" in done.output, done.output
    revision = {"today": "2026-09-16", "from": str((folder / "solution.json").resolve())}
    write_solution(
        other, tiny_problem(), tiny_result(2), file_sha256(TINY), extra={"revision": revision}
    )
    result = runner.invoke(export, [str(other), "--instance", str(TINY), "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "the calendars and timetable.html are written there together" in result.stderr
    assert (folder / "timetable.csv").read_bytes() == table
    assert not (folder / "timetable.xlsx").exists()
    assert (folder / "calendars" / "all.ics").is_file()
    page = (folder / "timetable.html").read_text(encoding="utf-8")
    alone = runner.invoke(export, [str(other), "--instance", str(TINY), "--format", "html"])
    assert alone.exit_code == 0, alone.output
    alone_page = (other / "timetable.html").read_text(encoding="utf-8")
    # the revision's, but for its links to the feeds, which only the first has beside it
    linked, unlinked = '"feeds":"calendars","subscribe":true', '"feeds":null,"subscribe":false'
    assert linked in page and unlinked in alone_page
    assert page.replace(linked, unlinked) == alone_page
    for format in ("csv", "xlsx"):
        asked = [str(other), "--instance", str(TINY), "--out", str(folder), "--format", format]
        refused = runner.invoke(export, asked)
        assert refused.exit_code == 2
        assert f"holds another timetable's solution.json: {format} written" in refused.output
    # one of the two alone is written with the other: they never disagree (a review)
    (folder / "timetable.html").unlink()
    asked = [str(other), "--instance", str(TINY), "--out", str(folder), "--format", "ics"]
    one = runner.invoke(export, asked)
    assert one.exit_code == 0 and "written there together" in one.stderr
    assert (folder / "timetable.html").read_text(encoding="utf-8") == page


def test_a_timetable_of_another_instance_is_not_exported_over_a_folder(tmp_path: Path) -> None:
    """An audit exported one programme's timetable into another's published folder: every
    feed there was rewritten with the wrong programme's events."""
    import json

    folder = solution_folder(tmp_path)
    other = tmp_path / "other"
    write_solution(other, tiny_problem(), tiny_result(2), file_sha256(TINY))
    record = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
    record["instance"]["name"] = "another-programme"
    (folder / "solution.json").write_text(json.dumps(record), encoding="utf-8")
    result = CliRunner().invoke(export, [str(other), "--instance", str(TINY), "--out", str(folder)])
    assert result.exit_code == 2
    assert "holds a timetable of instance 'another-programme', not 'tiny'" in result.output
    assert not (folder / "calendars").exists()


def test_calendars_of_another_instance_are_not_exported_over(tmp_path: Path) -> None:
    """An audit exported a programme into a folder holding another's export (no
    solution.json there to compare): its feeds got the other programme's events, and its own
    were cancelled under event ids their subscribers never held. Told by the feeds' UIDs."""
    folder = solution_folder(tmp_path)
    pub = tmp_path / "pub"
    runner = CliRunner()
    first = runner.invoke(export, [str(folder), "--instance", str(TINY), "--out", str(pub)])
    assert first.exit_code == 0, first.output
    feed = pub / "calendars" / "all.ics"
    feed.write_bytes(feed.read_bytes().replace(b"@tiny.scheduler", b"@autre-programme.scheduler"))
    for other in (pub / "calendars").glob("[!a]*.ics"):
        other.unlink()
    before = feed.read_bytes()
    refused = runner.invoke(export, [str(folder), "--instance", str(TINY), "--out", str(pub)])
    assert refused.exit_code == 2, refused.output
    assert "holds the calendars of instance 'autre-programme', not 'tiny'" in (
        " ".join(refused.output.split())
    )
    assert feed.read_bytes() == before
    csv_only = [str(folder), "--instance", str(TINY), "--out", str(pub), "--format", "csv"]
    assert runner.invoke(export, csv_only).exit_code == 0  # no feed written: nothing to refuse


def test_an_older_timetable_is_not_published_over_a_later_one(tmp_path: Path) -> None:
    """`export pub` after a revision was republished there (`export pub/rev-1 --out pub`)
    sent the original timetable back to every subscriber, with higher SEQUENCE numbers and
    exit 0 (an exploratory test with CalDAV clients)."""
    import yaml

    from scheduler.cli import cli

    pub = tmp_path / "pub"
    assert (
        CliRunner()
        .invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
        .exit_code
        == 0
    )
    changes = tmp_path / "changes.yaml"
    replaced = {"teacher_replaced": {"teacher": "T3", "by": "T1", "sessions": ["UE3-main-02"]}}
    changes.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": [replaced]}), "utf-8")
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(changes)]
    resolved = CliRunner().invoke(cli, [*args, "--deterministic"])
    assert resolved.exit_code == 0, resolved.output
    # it says how to publish it where people subscribe (no doc did: a docs audit)
    said = f"publish it where people subscribe: scheduler export {pub / 'rev-1'} --out {pub}"
    assert said in resolved.output
    republished = CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)])
    assert republished.exit_code == 0, republished.output
    page = (pub / "timetable.html").read_text(encoding="utf-8")  # the revision's, marked
    assert "rev-1 : horaire recalculé pour les changements connus le 16 septembre 2026" in page
    feed = pub / "calendars" / "teacher-T3.ics"
    published = feed.read_bytes()
    back = CliRunner().invoke(export, [str(pub)])
    assert back.exit_code == 1, back.output
    assert "would move every subscriber back to it" in back.output
    assert feed.read_bytes() == published  # T3 keeps the cancellation
    # its page, which follows the calendars there, neither; its other files may be written
    # again; --force republishes it, with a warning
    html = CliRunner().invoke(export, [str(pub), "--format", "html"])
    assert html.exit_code == 1 and "its other files alone: --format csv or xlsx" in html.output
    assert CliRunner().invoke(export, [str(pub), "--format", "csv"]).exit_code == 0
    forced = CliRunner().invoke(export, [str(pub), "--force"])
    assert forced.exit_code == 0 and "republished (--force)" in forced.output
    assert feed.read_bytes() != published


def test_a_copy_of_an_older_plain_solve_is_not_published_over_a_later_one(
    tmp_path: Path,
) -> None:
    """`cp -r` gives an older solve's files new times: exported over the calendars of a
    later solve, it passed as the newer one and moved every subscriber back (a left-alone
    item). The time solution.json records, which a copy keeps, decides."""
    from scheduler.cli import cli

    older, later, pub = tmp_path / "older", tmp_path / "later", tmp_path / "pub"
    for folder, seed in ((older, "0"), (later, "1")):
        args = ["solve", str(TINY), "--out", str(folder), "--seed", seed, "--deterministic"]
        assert CliRunner().invoke(cli, args).exit_code == 0
    assert CliRunner().invoke(export, [str(later), "--out", str(pub)]).exit_code == 0
    copy = tmp_path / "copy"
    shutil.copytree(older, copy, copy_function=shutil.copy)  # cp -r: files dated now
    refused = CliRunner().invoke(export, [str(copy), "--out", str(pub)])
    assert refused.exit_code == 1, refused.output
    assert "a timetable written after it" in refused.output
    # the later solve copied likewise still replaces the older one's calendars
    elsewhere = tmp_path / "pub2"
    assert CliRunner().invoke(export, [str(older), "--out", str(elsewhere)]).exit_code == 0
    again = tmp_path / "later-copy"
    shutil.copytree(later, again, copy_function=shutil.copy)
    assert CliRunner().invoke(export, [str(again), "--out", str(elsewhere)]).exit_code == 0


def test_a_re_solve_of_an_earlier_timetable_is_not_published_over_a_later_one(
    tmp_path: Path,
) -> None:
    """Staff re-solved `--from pub` after rev-1 was republished there (a warning only), then
    republished that rev-2: 18 sessions before its today moved in every feed, exit 0 (a
    re-solve audit). A sibling of the published revision, or a revision whose today is
    before the published one's, is refused like an older timetable."""
    import yaml

    from scheduler.cli import cli

    pub = tmp_path / "pub"
    assert (
        CliRunner()
        .invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
        .exit_code
        == 0
    )

    def resolve(origin: Path, today: str, *more: str, code: int = 0, drop: bool = False) -> str:
        changes = tmp_path / f"changes-{today}.yaml"
        away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}  # a Friday
        dropped = [{"dropped": {"session": "UE1-main-01"}}] if drop else []
        changes.write_text(yaml.safe_dump({"today": today, "changes": [away, *dropped]}), "utf-8")
        args = ["resolve", str(TINY), "--from", str(origin), "--changes", str(changes), *more]
        result = CliRunner().invoke(cli, [*args, "--deterministic"])
        assert result.exit_code == code, result.output
        return " ".join(result.output.split())

    resolve(pub, "2026-09-16")  # rev-1
    assert CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)]).exit_code == 0
    feed = pub / "calendars" / "all.ics"
    published = feed.read_bytes()
    # from pub, not from what is published: refused before the solve (an audit's rev-4 froze a
    # past that contradicted what subscribers held), unless written elsewhere
    refused = resolve(pub, "2026-09-17", code=2)
    assert f"{pub}'s calendars publish {pub / 'rev-1'}, a re-solve of it" in refused
    assert f"re-solve from it (scheduler resolve {TINY} --from {pub / 'rev-1'}" in refused
    assert not (pub / "rev-2").exists()
    # nor written into pub's own next revision, which later re-solves would take as theirs
    inside = resolve(pub, "2026-09-17", "--out", str(pub / "rev-2"), code=2)
    assert f"{pub}'s calendars publish {pub / 'rev-1'}, a re-solve of it" in inside
    branch = tmp_path / "branch"
    resolve(pub, "2026-09-17", "--out", str(branch))  # asked for, elsewhere
    sibling = CliRunner().invoke(export, [str(branch), "--out", str(pub)])
    assert sibling.exit_code == 1, sibling.output
    assert f"not the timetable this one re-solves, {pub.resolve()}" in sibling.output
    # rev-2, from rev-1 but before its today, drops UE1-main-01 of 15 Sep, which rev-1 held
    resolve(pub / "rev-1", "2026-09-14", drop=True)
    earlier = CliRunner().invoke(export, [str(pub / "rev-2"), "--out", str(pub)])
    assert earlier.exit_code == 1, earlier.output
    assert "a re-solve as of 2026-09-16, after this one's today 2026-09-14" in earlier.output
    assert feed.read_bytes() == published
    fresh = tmp_path / "fresh"  # a new solve of the instance, knowing nothing of rev-1
    assert CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(fresh)]).exit_code == 0
    anew = CliRunner().invoke(export, [str(fresh), "--out", str(pub)])
    assert anew.exit_code == 1 and "does not re-solve" in anew.output, anew.output
    web = tmp_path / "web"  # feeds published from rev-1 alone, no solution.json beside them
    assert CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(web)]).exit_code == 0
    web_feed = (web / "calendars" / "all.ics").read_bytes()
    anew = CliRunner().invoke(export, [str(fresh), "--out", str(web)])
    assert anew.exit_code == 1, anew.output
    assert "a re-solve as of 2026-09-16, which this timetable does not continue" in anew.output
    assert (
        feed.read_bytes() == published and (web / "calendars" / "all.ics").read_bytes() == web_feed
    )
    over = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(web)])  # nor solved over
    assert over.exit_code == 2 and "its calendars publish" in over.output, over.output
    assert (web / "calendars" / "all.ics").read_bytes() == web_feed
    resolve(pub / "rev-1", "2026-09-17")  # rev-3: the ordinary next revision
    assert CliRunner().invoke(export, [str(pub / "rev-3"), "--out", str(pub)]).exit_code == 0


def test_a_today_corrected_with_nothing_moved_is_published_without_force(
    tmp_path: Path,
) -> None:
    """rev-1 was published with today typed a day late; rev-2 re-solves it with the right
    today and moves nothing rev-1 held as given: publishing it was refused ("would move
    every subscriber back") and needed --force, for no event changed (an audit)."""
    import yaml

    from scheduler.cli import cli
    from tests.test_export_support import events_by_uid

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    for origin, today in ((pub, "2026-09-16"), (pub / "rev-1", "2026-09-15")):
        changes = tmp_path / f"changes-{today}.yaml"
        changes.write_text(yaml.safe_dump({"today": today, "changes": [away]}), "utf-8")
        args = ["resolve", str(TINY), "--from", str(origin), "--changes", str(changes)]
        assert CliRunner().invoke(cli, [*args, "--deterministic"]).exit_code == 0
        if today == "2026-09-16":
            assert (
                CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)]).exit_code == 0
            )
    feed = pub / "calendars" / "all.ics"

    def seen() -> dict[str, tuple[str, str, str]]:
        return {
            uid: tuple(prop(e, name)[1] for name in ("SEQUENCE", "DTSTART", "LOCATION"))
            for uid, e in events_by_uid(feed.read_bytes()).items()
        }

    before = seen()
    republished = CliRunner().invoke(export, [str(pub / "rev-2"), "--out", str(pub)])
    assert republished.exit_code == 0, republished.output
    assert "--force" not in republished.output
    assert seen() == before


def test_a_later_revision_with_an_older_file_time_is_published(tmp_path: Path) -> None:
    """A copied published folder (`cp -r`, a backup restored) gave rev-2's solution.json a
    later time than rev-3's; publishing rev-3, a re-solve of rev-2, was refused as moving
    every subscriber back (an audit). Lineage decides, not the files' times."""
    import yaml

    from scheduler.cli import cli

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    for origin, today in ((pub, "2026-09-16"), (pub / "rev-1", "2026-09-17")):
        changes = tmp_path / f"changes-{today}.yaml"
        away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
        changes.write_text(yaml.safe_dump({"today": today, "changes": [away]}), "utf-8")
        args = ["resolve", str(TINY), "--from", str(origin), "--changes", str(changes)]
        result = CliRunner().invoke(cli, [*args, "--deterministic"])
        assert result.exit_code == 0, result.output
    assert CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)]).exit_code == 0
    later = (pub / "rev-1" / "solution.json").stat().st_mtime + 60
    os.utime(pub / "rev-2" / "solution.json", (later - 120, later - 120))
    os.utime(pub / "rev-1" / "solution.json", (later, later))
    published = CliRunner().invoke(export, [str(pub / "rev-2"), "--out", str(pub)])
    assert published.exit_code == 0, published.output
    back = CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)])  # still refused
    assert back.exit_code == 1 and "a re-solve of it" in back.output, back.output


def test_a_re_solve_of_a_copied_folder_is_published_over_the_copied_timetable(
    tmp_path: Path,
) -> None:
    """`cp -r sol pub`, `export sol --out pub`, a re-solve from pub, then its revision
    republished there: the calendars publish sol, whose copy pub is; the revision continues
    it (an audit got "a re-solve of pub", exit 1)."""
    import yaml

    from scheduler.cli import cli

    sol, pub = tmp_path / "sol", tmp_path / "pub"
    assert (
        CliRunner()
        .invoke(cli, ["solve", str(TINY), "--out", str(sol), "--deterministic"])
        .exit_code
        == 0
    )
    shutil.copytree(sol, pub)
    assert CliRunner().invoke(export, [str(sol), "--out", str(pub)]).exit_code == 0
    changes = tmp_path / "changes.yaml"
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    changes.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": [away]}), "utf-8")
    args = ["resolve", str(TINY), "--from", str(pub), "--changes", str(changes)]
    assert CliRunner().invoke(cli, [*args, "--deterministic"]).exit_code == 0
    republished = CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)])
    assert republished.exit_code == 0, republished.output
    again = tmp_path / "again"  # a copy of it all: its revision is the one published
    shutil.copytree(pub, again)
    copied = CliRunner().invoke(export, [str(again / "rev-1"), "--out", str(again)])
    assert copied.exit_code == 0, copied.output  # an audit: "its past is not the one published"


def test_a_ctrl_c_during_an_export_lets_it_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export interrupted while writing left 8 new feeds beside 25 old ones and said
    "nothing was written" (an audit): it finishes, then says it came. Before the writing, it
    stops with nothing written."""
    folder = solution_folder(tmp_path)
    real, calls = export_module.write_bytes, []

    def interrupted(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 5:  # as a Ctrl-C in the middle of the calendars' writing
            signal.raise_signal(signal.SIGINT)
        real(path, data)

    monkeypatch.setattr(export_module, "write_bytes", interrupted)
    result = CliRunner().invoke(export, [str(folder), "--instance", str(TINY)])
    assert result.exit_code == 0, result.output
    assert "wrote 13 calendars" in result.output and len(calls) > 5
    assert "Ctrl-C came during the export: it was finished first" in result.stderr
    assert len(list((folder / "calendars").glob("*.ics"))) == 13

    other = tmp_path / "other"
    before = export_cmd._continued

    def ctrl_c_first(*args: Any) -> Any:
        signal.raise_signal(signal.SIGINT)
        return before(*args)

    monkeypatch.setattr(export_cmd, "_continued", ctrl_c_first)
    stopped = CliRunner().invoke(
        export, [str(folder), "--instance", str(TINY), "--out", str(other)]
    )
    assert stopped.exit_code == 1 and isinstance(stopped.exception, SystemExit)
    assert not other.exists()


def test_a_moved_or_copied_published_folder_keeps_its_guards(tmp_path: Path) -> None:
    """After `mv pub moved`, the calendars' record of what they publish (an absolute path) was
    no longer there and every check let a re-solve of the original solve through, then its
    export rewrote 23 past sessions in 32 feeds (an audit). In a `cp -r` copy the resolve check
    compared paths with the original's. Both now find the folder's own revision."""
    import shutil

    import yaml

    from scheduler.cli import cli

    pub = tmp_path / "pub"
    solved = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(pub), "--deterministic"])
    assert solved.exit_code == 0, solved.output
    changes = tmp_path / "changes.yaml"
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-25"}}
    changes.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": [away]}), "utf-8")

    later = tmp_path / "later.yaml"
    gone = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-24"}}
    later.write_text(yaml.safe_dump({"today": "2026-09-17", "changes": [gone]}), "utf-8")

    def resolve(origin: Path, given: Path = changes) -> Any:
        args = ["resolve", str(TINY), "--from", str(origin), "--changes", str(given)]
        return CliRunner().invoke(cli, [*args, "--deterministic"])

    assert resolve(pub).exit_code == 0
    assert CliRunner().invoke(export, [str(pub / "rev-1"), "--out", str(pub)]).exit_code == 0
    copied = tmp_path / "copied"
    shutil.copytree(pub, copied)
    moved = tmp_path / "moved"
    pub.rename(moved)
    for folder in (moved, copied):
        refused = resolve(folder)
        assert refused.exit_code == 2, refused.output
        said = " ".join(refused.output.split())
        assert f"{folder}'s calendars publish {folder / 'rev-1'}, a re-solve of it" in said
        assert not (folder / "rev-2").exists()
        # the way forward works there: a re-solve of rev-1, published over it
        again = resolve(folder / "rev-1", later)
        assert again.exit_code == 0, again.output
        published = CliRunner().invoke(export, [str(folder / "rev-2"), "--out", str(folder)])
        assert published.exit_code == 0, published.output
