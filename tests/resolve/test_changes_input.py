"""Changes files: bad or doubtful changes refused or warned of in plain words."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.resolve.support import (
    CANCEL_U3,
    published_tiny,
    published_with_a_pin,
    roomy,
    run_resolve,
    run_resolve_from,
    timetable_rows,
)


def test_impossible_changes_exit_1_and_keep_the_published(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-20", "to": "2026-10-10"}}
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": "2026-09-20", "changes": [change]}
    )
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
    code, output, _ = run_resolve(
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
    code, output, _ = run_resolve(tmp_path, inst, pub, misspelt)
    assert code == 2
    assert "changes[0]: unknown key 'canceled' (did you mean 'cancelled'?)" in output
    empty = {"today": "2026-09-20", "changes": [{"cancelled": None}]}  # `- cancelled:` alone
    code, output, _ = run_resolve(tmp_path, inst, pub, empty)
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
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": changes})
    assert code == 2, output
    assert (
        "changes[0] teacher_unavailable: its date 2026-09-24 is outside its own from/to, so it "
        "matches no day (every field given must match)"
    ) in output
    assert not (pub / "rev-1").exists()
    rule = {"teacher": "T1", "date": "2026-09-22", "weekday": "thu"}
    changes = [{"teacher_unavailable": rule}]
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": changes})
    assert code == 2 and "changes[0] teacher_unavailable: its date is " in output, output
    rule = {"teacher": "T1", "date": "2026-09-22", "slots": ["THU"]}  # a Tuesday, Thursday's
    changes = [{"teacher_unavailable": rule}]
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": changes})
    assert code == 2 and "none of its slots (THU) falls on its date" in output, output
    empty = {"today": "2026-09-16", "changes": [{"room_unavailable": {"room": "M1", "slots": []}}]}
    code, output, _ = run_resolve(tmp_path, inst, pub, empty)  # slots [] (a review)
    assert code == 2 and "changes[0] room_unavailable: it names no slot, so" in output, output


def test_yes_for_a_count_in_changes_exits_2(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    changes = [{"add_sessions": {"ue": "U2", "count": True}}]  # YAML's `count: yes`
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": changes})
    assert code == 2
    assert "changes[0] add_sessions: count: expected a number, got true" in output


def test_cancelled_session_outside_its_window_is_explained(tmp_path: Path, published: Any) -> None:
    inst, pub, before = published
    data = roomy()
    data["ues"][2]["window"] = {"from": "2026-09-15", "to": before["U3-main-01"]["date"]}
    inst.write_text(yaml.safe_dump(data), encoding="utf-8")
    day = before["U3-main-01"]["date"]
    today = f"{day[:8]}{int(day[8:]) + 1:02d}"
    code, output, rev = run_resolve(
        tmp_path, inst, pub, {"today": today, "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    )
    assert code == 1
    assert (
        f"U3-main-01 cannot be placed on or after {today} (it was cancelled and must be placed again)"
        in output
    )
    assert "its window ends" in output
    assert not rev.exists()


def test_a_changes_file_applied_already_is_refused(tmp_path: Path, published: Any) -> None:
    """An audit: the changes file run again from the revision it made cancelled the
    make-up session too, and told everyone. Refused, from that revision or a later one."""
    inst, pub, _ = published
    changes = tmp_path / "cancel.yaml"
    changes.write_text(yaml.safe_dump(CANCEL_U3), encoding="utf-8")

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
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [change]})
    assert code == 0, output
    told = re.search(r"changes\[0\] teacher_unavailable (.*) matches no teaching slot", output)
    assert told is not None and "teacher=T1" in told[1], output
    fine = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-22"}}
    later = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [fine]})
    assert "matches no teaching slot" not in later.output


def test_an_unknown_teacher_is_said_without_the_date_warnings(
    tmp_path: Path, published: Any
) -> None:
    """An audit: an unknown teacher on a day without slots was first warned "matches no
    teaching slot ... check its date", then refused as unknown: the warning sent the user to
    the wrong field. The unknown entity alone is said."""
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "NOSUCH", "date": "2026-09-23"}}
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [change]})
    assert code == 2 and "unknown teacher 'NOSUCH'" in output, output
    assert "matches no teaching slot" not in output, output
    # the other changes' warnings are said still (a review: lost when one change was refused)
    after = {"teacher_unavailable": {"teacher": "T1", "date": "2026-11-20"}}
    bad = {"add_sessions": {"ue": "U1", "series": "nosuch", "count": 1}}
    changes = {"today": "2026-09-16", "changes": [after, bad]}
    code, output, _ = run_resolve(tmp_path, inst, pub, changes)
    assert code == 2 and "has no series 'nosuch'" in output, output
    assert "changes[0] teacher_unavailable date=2026-11-20 teacher=T1 is wholly outside" in output


def test_a_fixed_event_moved_a_year_off_is_told(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """An audit: an event moved to 2028 for 2027 was published so, with no warning (dates
    a few months past the calendar, a September defence, are not told)."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    event = tiny_data["fixed_events"][0]["id"]
    far = {"event_moved": {"event": event, "dates": ["2027-09-20"]}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [far]})
    assert result.exit_code == 2, result.output  # refused, as a pin there (an audit)
    said = f"changes[0] event_moved dates: 2027-09-20 moves fixed event {event} more than six"
    assert said in result.output
    near = {"event_moved": {"event": event, "dates": ["2026-10-20"]}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [near]})
    assert "more than six months" not in result.output


def test_an_unknown_slot_in_a_change_is_one_located_line(tmp_path: Path, published: Any) -> None:
    inst, pub, _ = published
    change = {"teacher_unavailable": {"teacher": "T1", "slots": ["FRI"]}}
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [change]})
    assert code == 2
    assert "changes[0] teacher_unavailable slots: unknown slot 'FRI'" in output
    assert "pydantic" not in output and "Traceback" not in output


def test_a_revision_without_its_instance_is_refused(tmp_path: Path, published: Any) -> None:
    """Without rev-1's instance.yaml, a re-solve from rev-1 fell back to the original
    instance and silently dropped every earlier change (here: T1 away on a date)."""
    inst, pub, before = published
    day = min(r["date"] for r in before.values() if r["session_id"].startswith("U1-"))
    away = {"teacher_unavailable": {"teacher": "T1", "date": day}}
    assert (
        run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-14", "changes": [away]}).exit_code
        == 0
    )
    (pub / "rev-1" / "instance.yaml").unlink()
    result = run_resolve_from(tmp_path, inst, pub / "rev-1", {"today": "2026-09-14", "changes": []})
    assert result.exit_code == 2, result.output
    assert "a re-solve's revision, but its instance.yaml" in result.output
    assert not (pub / "rev-2").exists()


def test_changes_outside_the_calendar_and_a_late_today_warn(tmp_path: Path, published: Any) -> None:
    """A date a year off (a typo) matched no dated slot and was listed as applied, silently:
    refused now (an audit published such revisions after the warning); a date or a today
    a few weeks after the calendar (a September defence) is warned of."""
    inst, pub, _ = published
    typo = {"teacher_unavailable": {"teacher": "T1", "date": "2027-09-22"}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [typo]})
    assert result.exit_code == 2, result.output
    assert (
        "changes[0] teacher_unavailable date=2027-09-22 teacher=T1 is more than six months "
        "outside the calendar (2026-09-15 to 2026-10-10): it would change nothing; check its "
        "year"
    ) in " ".join(result.output.split())
    after = {"teacher_unavailable": {"teacher": "T1", "date": "2026-11-20"}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [after]})
    assert result.exit_code == 0, result.output
    assert (
        "changes[0] teacher_unavailable date=2026-11-20 teacher=T1 is wholly outside the "
        "calendar (2026-09-15 to 2026-10-10)"
    ) in " ".join(result.output.split())
    late = run_resolve_from(tmp_path, inst, pub, {"today": "2026-12-01", "changes": []})
    assert "today 2026-12-01 is after the calendar's end (2026-10-10)" in late.output
    far = run_resolve_from(tmp_path, inst, pub, {"today": "2027-09-20", "changes": []})
    assert far.exit_code == 2, far.output
    assert "today 2027-09-20 is more than six months outside the calendar" in far.output


def test_a_pin_dropped_with_its_cancelled_session_is_said(tmp_path: Path) -> None:
    inst, pub = published_with_a_pin(tmp_path)
    cancel = {"cancelled": {"session": "U1-main-02"}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [cancel]})
    assert result.exit_code == 0, result.output
    said = "the pin of U1-main-02 is dropped: the session is cancelled, so it moves"
    assert said in result.output
    assert said in (pub / "rev-1" / "changes.md").read_text(encoding="utf-8")


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
    result = run_resolve_from(tmp_path, inst, pub, changes)
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
    result = run_resolve_from(tmp_path, TINY, pub, changes)
    assert result.exit_code == 2, result.output
    assert (
        "changes[0] cancelled: 'ACCUEIL' is a fixed event, not a session: cancel its days with "
        "event_moved: {event: ACCUEIL, dates: []}"
    ) in result.output


def test_a_pin_against_a_new_unavailability_names_both(tmp_path: Path) -> None:
    """The explanation listed the rules excluding most placements (the pin's), not the
    teacher whose new absence falls on the pinned date."""
    inst, pub = published_with_a_pin(tmp_path)
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-24"}}
    result = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [away]})
    assert result.exit_code == 1, result.output
    # the pin, and why its place is excluded now (the wording since stop 30: the rules that
    # exclude the pinned place, not "pin" excluding every other)
    assert "the place it is pinned to (date 2026-09-24, slot THU) is excluded by " in result.output
    assert "teacher_availability (e.g. 2026-09-24 THU, " in result.output
    assert ": T1 unavailable)" in result.output


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
    result = run_resolve_from(tmp_path, inst, pub, changes)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert (
        "leaving out any one of changes[1] (T1 unavailable from 2026-09-15 to 2026-10-04) or "
        in said
    )
    assert "changes[2] (1 session added to U1 (main)) gives a timetable" in said
    assert "changes[0]" not in said.split("leaving out")[1].split("the changes given")[0]
    alone = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [crowd]})
    assert alone.exit_code == 0, alone.output  # one more session alone fits
    squeeze["teacher_unavailable"]["to"] = "2026-10-06"  # 2 slots left for 3 sessions
    one = run_resolve_from(tmp_path, inst, pub, {"today": "2026-09-15", "changes": [squeeze]})
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
    assert timetable_rows(pub)["U3-main-01"]["date"] > today
    harmless = {"teacher_available": {"teacher": "T2", "from": "2026-09-23", "to": "2026-09-24"}}
    away = {"teacher_unavailable": {"teacher": "T3", "from": "2026-09-23", "to": "2026-10-10"}}
    also = {"teacher_available": {"teacher": "T1", "from": "2026-09-23", "to": "2026-09-24"}}
    for given in ([harmless, away], [harmless, also, away]):  # alone: said, then searched
        result = run_resolve_from(tmp_path, inst, pub, {"today": today, "changes": given})
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
    result = run_resolve_from(tmp_path, TINY, pub, {"today": "2026-09-15", "changes": [more]})
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "no timetable" in result.output


def test_the_readme_s_changes_example_is_a_valid_changes_file(tmp_path: Path) -> None:
    """The README's example of the kinds beyond SCHEMA.md's five reads as a changes file."""
    import re

    from scheduler.resolve.changes import load_changes

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "window:" in b)
    path = tmp_path / "changes.yaml"
    path.write_text(block, encoding="utf-8")
    kinds = {c.kind for c in load_changes(path).changes}
    assert {"window", "pinned", "teacher_replaced", "event_moved", "dropped"} <= kinds


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"site_closed": {"site": "MONZ", "date": "2026-09-24"}},
            "changes[0] site_closed: unknown site 'MONZ' (known: MONS, NAMUR)",
        ),
        (
            {"teacher_unavailable": {"teacher": "T9", "date": "2026-09-24"}},
            "changes[0] teacher_unavailable: unknown teacher 'T9' (known: T1, T2, T3)",
        ),
        (
            {"room_unavailable": {"room": "M3", "date": "2026-09-24"}},
            "changes[0] room_unavailable: unknown room 'M3' (known: M1, M2, N1)",
        ),
        (
            {"teacher_replaced": {"teacher": "T1", "by": "T4"}},
            "changes[0] teacher_replaced by: unknown teacher 'T4' (known: T1, T2, T3)",
        ),
        (
            {"window": {"ue": "U4", "from": "2026-09-20"}},
            "changes[0] window: unknown ue 'U4' (known: U1, U2, U3)",
        ),
        (
            {"window": {"series": "U1-mian", "from": "2026-09-20"}},
            "changes[0] window: unknown series 'U1-mian' (did you mean 'U1-main'?)",
        ),
    ],
)
def test_an_unknown_id_in_changes_lists_the_known_ones(
    tmp_path: Path, published: Any, change: dict[str, Any], expected: str
) -> None:
    """A German audit's `EUPN` for EUPEN, or `T9`, had no hint where an unknown session had
    one: every kind now names the known ids (or the closest, when they are too many)."""
    inst, pub, _ = published
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [change]})
    assert code == 2, output
    assert expected in output, output
