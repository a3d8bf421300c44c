"""What `check`, `report` and `resolve` take from a solution folder on trust (a mutation
audit): a timetable.csv saying otherwise than solution.json, a `reordered` list exempting
sessions from the order rules, a status without timetable listing assignments, a published
timetable edited by hand."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.conftest import TINY


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("files") / "sol"
    result = CliRunner().invoke(cli, ["solve", str(TINY), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def sol(tmp_path: Path, solved: Path) -> Path:
    """A copy of the tiny instance's solution folder, free to edit."""
    shutil.copytree(solved, tmp_path / "sol")
    return tmp_path / "sol"


def _rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "timetable.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(folder: Path, rows: list[dict[str, str]]) -> None:
    with (folder / "timetable.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _first_session_set(folder: Path, column: str, value: str) -> int:
    """Write `value` in `column` of the first session row of the folder's timetable.csv; the
    row's line number in the file."""
    rows = _rows(folder)
    line = next(i for i, r in enumerate(rows, start=2) if r["kind"] == "session")
    rows[line - 2][column] = value
    _write_rows(folder, rows)
    return line


def _edit_json(folder: Path, edit: Any) -> None:
    doc = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
    edit(doc)
    (folder / "solution.json").write_text(json.dumps(doc), encoding="utf-8")


def _check(folder: Path, *more: str) -> Any:
    return CliRunner().invoke(cli, ["check", str(TINY), str(folder), *more])


def test_a_timetable_csv_saying_otherwise_fails_the_check(sol: Path) -> None:
    rows = _rows(sol)
    sessions = [i for i, r in enumerate(rows) if r["kind"] == "session"]
    first, second = rows[sessions[0]], rows[sessions[1]]
    other_room = "M-B" if first["room"] != "M-B" else "M-A"
    first["room"] = other_room
    del rows[sessions[1]]
    _write_rows(sol, rows)
    result = _check(sol, "--json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"feasible", "violations", "costs", "objective"}  # SCHEMA's shape
    said = {(v["rule"], v["message"].split(": ", 1)[1]) for v in doc["violations"]}
    sid, gone = first["session_id"], second["session_id"]
    room = _rooms_of_json(sol)[sid]
    line = sessions[0] + 2  # the header is line 1
    assert ("timetable_csv", f"line {line}: session {sid} room '{other_room}', "
            f"solution.json gives '{room}'") in said  # fmt: skip
    assert ("timetable_csv", f"session {gone} is missing") in said
    reported = CliRunner().invoke(cli, ["report", str(sol), "--instance", str(TINY)])
    assert "warning: timetable.csv disagrees with solution.json in 2 place(s)" in reported.output
    # written again from solution.json, it agrees
    exported = CliRunner().invoke(cli, ["export", str(sol), "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    assert _check(sol).exit_code == 0


def test_a_folder_whose_csv_was_edited_says_how_to_check_the_csv_s_timetable(sol: Path) -> None:
    """An edit of the CSV read only as disagreements with solution.json; the clashes it made
    were said only by checking the CSV itself, which nothing said (a docs audit)."""
    rows = _rows(sol)
    sessions = [r for r in rows if r["kind"] == "session"]
    first, second = sessions[0], sessions[1]
    for column in ("date", "weekday", "start", "end", "site", "room"):
        first[column] = second[column]
    _write_rows(sol, rows)
    result = _check(sol)
    assert result.exit_code == 1, result.output
    hint = f"`scheduler check {TINY} {sol / 'timetable.csv'}` checks the timetable the CSV says"
    assert hint in result.output
    assert "room_double_booking" not in result.output
    itself = _check(sol / "timetable.csv")
    assert "[room_double_booking]" in itself.output, itself.output


def test_who_and_what_in_timetable_csv_are_checked_too(sol: Path) -> None:
    """An exploratory test edited a session's teachers, groups, UE title and number in the
    CSV alone: `check` passed it, while other tools read them to learn who teaches and who
    attends. With the instance unchanged, every column must follow from it."""
    rows = _rows(sol)
    sessions = [i for i, r in enumerate(rows) if r["kind"] == "session"]
    edits = {"teachers": "T9", "groups": "OPT-B", "ue_title": "Wrong", "session_no": "7"}
    for i, (column, value) in zip(sessions, edits.items(), strict=False):
        rows[i][column] = value
    _write_rows(sol, rows)
    result = _check(sol, "--json")
    assert result.exit_code == 1, result.output
    said = [v["message"] for v in json.loads(result.output)["violations"]]
    for i, (column, value) in zip(sessions, edits.items(), strict=False):
        sid = rows[i]["session_id"]
        assert any(f"line {i + 2}: session {sid} {column} '{value}'" in m for m in said), said


def test_a_csv_is_compared_with_an_assignment_check_refuses(sol: Path) -> None:
    """solution.json moved a session to a date that is no teaching slot, the CSV kept the
    old date: only `slot_allowed` was said, the CSV's other date passed (an exploratory
    test). Its date and room, which solution.json gives without the calendar, are compared."""
    row = next(r for r in _rows(sol) if r["kind"] == "session" and r["weekday"] == "tue")
    day = row["date"][:-2] + f"{int(row['date'][-2:]) + 1:02d}"  # the Wednesday after

    other = "M-B" if row["room"] != "M-B" else "M-A"  # a known room: the date alone is refused

    def moved(doc: dict[str, Any]) -> None:
        a = next(a for a in doc["assignments"] if a["session"] == row["session_id"])
        a.update(date=day, room=other)

    _edit_json(sol, moved)
    result = _check(sol, "--json")
    said = [(v["rule"], v["message"]) for v in json.loads(result.output)["violations"]]
    line = next(
        i for i, r in enumerate(_rows(sol), start=2) if r["session_id"] == row["session_id"]
    )
    words = f"line {line}: session {row['session_id']} date '{row['date']}', solution.json gives '{day}'"
    assert any(rule == "timetable_csv" and message.endswith(words) for rule, message in said)
    room = f"session {row['session_id']} room '{row['room']}', solution.json gives '{other}'"
    assert any(rule == "timetable_csv" and message.endswith(room) for rule, message in said)
    assert {"slot_allowed", "timetable_csv"} <= {rule for rule, _ in said}


def test_each_day_of_a_fixed_event_has_its_row(sol: Path, tmp_path: Path) -> None:
    """An event of two days is two rows: the CSV's one row does not stand for both (a
    mutation audit: rows keyed by the event alone passed)."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    event = data["fixed_events"][0]
    event["dates"] = [*event["dates"], "2026-09-25"]  # a Friday: nobody teaches then
    instance = tmp_path / "two-days.yaml"
    instance.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(instance), str(sol / "timetable.csv")])
    assert result.exit_code == 1, result.output
    assert f"fixed event {event['id']} on 2026-09-25 is missing" in result.output


def test_a_csv_row_on_a_closed_slot_is_checked_column_by_column(sol: Path) -> None:
    """A session moved in the CSV to a closed afternoon, its teachers and title edited too:
    only the closure was said (an audit); its hours and who teaches are known all the same."""
    rows = _rows(sol)
    row = next(r for r in rows if r["kind"] == "session" and r["session_id"].startswith("UE1"))
    row.update(date="2026-09-19", weekday="sat", start="13:45", end="17:00", teachers="T9")
    row["ue_title"] = "Wrong"
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv", "--json")
    assert result.exit_code == 1, result.output
    said = [(v["rule"], v["message"]) for v in json.loads(result.output)["violations"]]
    sid = row["session_id"]
    assert ("slot_allowed", f"{sid} starts at 2026-09-19 (SAT-PM), which is closed "
            "(Journée d'accueil)") in said  # fmt: skip
    csv_said = [m for rule, m in said if rule == "timetable_csv"]
    assert any(f"session {sid} teachers 'T9', the instance gives" in m for m in csv_said), said
    assert any(f"session {sid} ue_title 'Wrong', the instance gives" in m for m in csv_said)
    assert not any(f"session {sid} end" in m for m in csv_said)  # 17:00 is SAT-PM's end


def _rooms_of_json(folder: Path) -> dict[str, str]:
    doc = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
    return {a["session"]: a["room"] for a in doc["assignments"]}


def test_a_solution_without_timetable_csv_is_checked_alone(sol: Path) -> None:
    (sol / "timetable.csv").unlink()
    assert _check(sol).exit_code == 0


def _swap_first_two_of_a_series(doc: dict[str, Any]) -> tuple[str, str]:
    """Swap the places of a series' first two sessions; their ids."""
    places = {a["session"]: a for a in doc["assignments"]}
    first = next(s for s in places if s.endswith("-01") and s[:-2] + "02" in places)
    second = first[:-2] + "02"
    for key in ("date", "slot", "room"):
        places[first][key], places[second][key] = places[second][key], places[first][key]
    return first, second


def test_reordered_is_taken_from_a_re_solve_only(sol: Path, tmp_path: Path) -> None:
    """An audit swapped two sessions and listed them in `reordered`: the check passed."""

    def forged(doc: dict[str, Any]) -> None:
        doc["reordered"] = list(_swap_first_two_of_a_series(doc))

    _edit_json(sol, forged)
    (sol / "timetable.csv").unlink()
    result = _check(sol)
    assert result.exit_code == 2, result.output
    assert "reordered: only a re-solve's solution.json (with 'revision' and its" in result.output
    # a later audit: an empty revision, or a day before both, passed two sessions still to give
    _edit_json(sol, lambda doc: doc.update(revision={}))
    result = _check(sol)
    assert result.exit_code == 2, result.output
    assert "reordered: only a re-solve's solution.json (with 'revision' and its" in result.output
    # and a `today` of the solution's own making passed them too: only the instance says
    # what was given (a re-solve's instance.yaml: `frozen_before` and the pins of the past)
    _edit_json(sol, lambda doc: doc.update(reordered=doc["reordered"][:1]))
    _edit_json(sol, lambda doc: doc.update(revision={"today": "2026-12-31"}))
    result = _check(sol)
    assert result.exit_code == 2, result.output
    assert "check the revision against its instance.yaml" in result.output
    first = json.loads((sol / "solution.json").read_text("utf-8"))["reordered"][0]
    later = first[:-2] + "02"
    given = next(
        a
        for a in json.loads((sol / "solution.json").read_text("utf-8"))["assignments"]
        if a["session"] == later
    )
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["pins"] = [*data.get("pins", []), {"session": later, "date": given["date"]}]
    pinned = data["pins"]
    data["pins"] = pinned[:-1]  # a later session before that day, but not given (unpinned)
    data["frozen_before"] = "2026-09-20"
    own = tmp_path / "unpinned.yaml"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(own), str(sol)])
    assert result.exit_code == 2 and "given before 2026-09-20" in result.output, result.output
    data["pins"] = pinned
    for day, holds in (("2026-09-10", False), ("2026-09-20", True)):
        data["frozen_before"] = day
        own = tmp_path / "revised.yaml"
        own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", str(own), str(sol), "--json"])
        if holds:  # after a later session given before that day: the order is not checked
            assert result.exit_code == 1, result.output
            rules = {v["rule"] for v in json.loads(result.stdout)["violations"]}
            assert "series_order" not in rules and "min_days_between" not in rules, rules
        else:
            assert result.exit_code == 2, result.output
            assert f"given before {day} (the instance's `frozen_before`)" in result.output


def test_a_status_without_timetable_cannot_list_assignments(sol: Path) -> None:
    _edit_json(sol, lambda doc: doc.update(status="INFEASIBLE"))
    result = _check(sol)
    assert result.exit_code == 2, result.output
    assert "status INFEASIBLE says there is no timetable, yet it lists 7 assignments" in (
        result.output
    )


def test_a_date_in_another_form_than_the_contract_s_is_refused(sol: Path) -> None:
    def basic(doc: dict[str, Any]) -> None:
        doc["assignments"][0]["date"] = doc["assignments"][0]["date"].replace("-", "")

    _edit_json(sol, basic)
    result = _check(sol)
    assert result.exit_code == 2 and "is not a date (not YYYY-MM-DD)" in result.output


def _resolve(tmp_path: Path, sol: Path) -> Any:
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump({"today": "2026-09-16", "changes": []}), encoding="utf-8")
    args = ["resolve", str(TINY), "--from", str(sol), "--changes", str(changes)]
    return CliRunner().invoke(cli, [*args, "--deterministic"])


def test_resolve_refuses_a_published_timetable_edited_by_hand(tmp_path: Path, sol: Path) -> None:
    """An audit's re-solve 'repaired' a hand-made clash and blamed the moves on its changes."""

    def clash(doc: dict[str, Any]) -> None:
        later = [a for a in doc["assignments"] if a["date"] >= "2026-09-17"]
        a, b = later[0], later[1]
        b["date"], b["slot"], b["room"] = a["date"], a["slot"], a["room"]

    shutil.copytree(sol, tmp_path / "csv")
    _edit_json(sol, clash)
    result = _resolve(tmp_path, sol)
    assert result.exit_code == 1, result.output
    assert "the published timetable breaks hard rules of its own instance" in result.output
    assert not (sol / "rev-1").exists()

    rows = _rows(tmp_path / "csv")
    row = next(r for r in rows if r["kind"] == "session")
    row["start"] = "07:00"
    _write_rows(tmp_path / "csv", rows)
    result = _resolve(tmp_path, tmp_path / "csv")
    assert result.exit_code == 1, result.output
    assert "has a timetable.csv that disagrees with its solution.json" in result.output
    assert "start '07:00'" in result.output


def test_resolve_refuses_a_published_folder_it_cannot_write_in_before_solving(
    tmp_path: Path, sol: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit's read-only published folder failed only after the search (its result lost)."""
    import os

    from scheduler.cli import output_checks

    real = os.access
    monkeypatch.setattr(
        output_checks.os,
        "access",
        lambda path, mode: Path(path) != sol.resolve() and real(path, mode),
    )
    result = _resolve(tmp_path, sol)
    assert result.exit_code == 2, result.output
    assert f"the revision folder of {sol}: no permission to write in" in result.output
    assert "re-solving" not in result.output


def test_a_re_solve_out_of_time_says_so_not_that_no_timetable_exists(
    tmp_path: Path, sol: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.cli import resolve_cmd
    from scheduler.resolve.solve import ResolveResult
    from scheduler.solution import Result, Status

    monkeypatch.setattr(
        resolve_cmd,
        "run_resolve",
        lambda *args: ResolveResult(Result(status=Status.UNKNOWN), None, False),
    )
    result = _resolve(tmp_path, sol)
    assert result.exit_code == 1, result.output
    assert "no timetable found within the time limit (raise --time-limit)" in result.output
    assert "no timetable satisfies the changes" not in result.output


def test_an_edited_instance_is_not_taken_for_a_hand_edited_csv(tmp_path: Path, sol: Path) -> None:
    """The CSV's hours and fixed events come from the instance: edited since (a slot's hours
    moved), they differ from what it gives now, and check called that a CSV edited by hand
    (a review). Then only each session's date and room, which solution.json fixes, count."""
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["calendar"]["slots"][0]["start"] = "18:30"
    edited = tmp_path / "tiny.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(edited), str(sol)])
    assert result.exit_code == 0, result.output
    rows = _rows(sol)
    row = next(r for r in rows if r["kind"] == "session")
    row["room"] = "M-B" if row["room"] != "M-B" else "M-A"
    _write_rows(sol, rows)
    result = CliRunner().invoke(cli, ["check", str(edited), str(sol)])
    assert result.exit_code == 1 and f"session {row['session_id']} room" in result.output
    # what follows from solution.json whatever the edit is compared too (an audit's weekday,
    # number and UE edited in the CSV passed once the instance had changed)
    for column, value in (("weekday", "sun"), ("session_no", "9"), ("ue", "UE9")):
        _write_rows(sol, [dict(r, **{column: value}) if r is row else r for r in rows])
        result = CliRunner().invoke(cli, ["check", str(edited), str(sol)])
        assert result.exit_code == 1
        assert f"session {row['session_id']} {column} '{value}'" in result.output


def test_a_csv_without_a_column_of_the_contract_fails_the_check(sol: Path) -> None:
    """An audit removed the room column, then renamed it `salle`: both passed."""
    rows = _rows(sol)
    _write_rows(sol, [{("salle" if k == "room" else k): v for k, v in r.items()} for r in rows])
    result = _check(sol, "--json")
    assert result.exit_code == 1, result.output
    (said,) = json.loads(result.output)["violations"]
    assert said["rule"] == "timetable_csv"
    assert said["message"].endswith("line 1: no column room, which the contract gives")


def test_a_csv_alone_without_its_room_column_says_so(sol: Path) -> None:
    """Checked alone, it read "line 2: room: empty in a session row" (an audit)."""
    rows = [{k: v for k, v in r.items() if k != "room"} for r in _rows(sol)]
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 2, result.output
    assert "timetable.csv: line 1: no column room, which the contract gives" in result.output


def test_a_csv_column_named_twice_is_refused(sol: Path) -> None:
    """The last copy of a column named twice was read, silently (an audit's second `room`)."""
    table = sol / "timetable.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([lines[0] + ",room", *(x + ",X" for x in lines[1:])]) + "\n")
    for target in (sol, table):
        result = _check(target)
        assert result.exit_code == 2, result.output
        assert "line 1: column room appears twice (columns 12 and 15)" in result.output


def test_a_csv_row_with_values_beyond_the_header_is_refused(sol: Path) -> None:
    table = sol / "timetable.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    lines[3] += ",,"  # a spreadsheet's empty trailing cells are nothing
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _check(table)
    assert result.exit_code == 2, result.output
    assert "line 3: 15 values, beyond the header's 14 columns (first beyond: 'extra')" in (
        result.output
    )
    lines[2] = lines[2].removesuffix(",extra")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _check(table).exit_code == 0


def test_a_padded_session_id_in_the_csv_is_the_session(sol: Path) -> None:
    """The rules read " UE3-main-01 " as the session, the CSV comparison as another (an audit:
    "is not in the instance" and "is missing" for a timetable the rules accepted)."""
    rows = _rows(sol)
    row = next(r for r in rows if r["kind"] == "session")
    row["session_id"] = f" {row['session_id']} "
    row["room"] = f"{row['room']} "
    _write_rows(sol, rows)
    for target in (sol, sol / "timetable.csv"):
        result = _check(target)
        assert result.exit_code == 0, result.output


def test_a_csv_saved_again_by_excel_is_read(sol: Path) -> None:
    """Excel writes UTF-8 with a byte-order mark: it read as a file without a kind column."""
    table = sol / "timetable.csv"
    table.write_bytes(b"\xef\xbb\xbf" + table.read_bytes())
    assert _check(sol).exit_code == 0


def test_a_timetable_csv_is_checked_as_the_timetable_it_says(sol: Path) -> None:
    """Issue 2: `scheduler check` on the timetable.csv a solve wrote exits 0; the CSV's
    own rows are the timetable (solution.json beside it is not read for them)."""
    table = sol / "timetable.csv"
    (sol / "solution.json").unlink()
    result = _check(table)
    assert result.exit_code == 0, result.output
    assert "0 hard violations" in result.output


def test_a_spreadsheet_s_trailing_rows_of_separators_are_nothing(sol: Path) -> None:
    """A CSV saved from a spreadsheet may end in rows of commas alone: no row of another
    kind (which is refused, exit 2), no session missing from the instance."""
    table = sol / "timetable.csv"
    columns = table.read_text(encoding="utf-8").splitlines()[0].count(",")
    with table.open("a", encoding="utf-8") as handle:
        handle.write(("," * columns + "\n") * 2)
    result = _check(table)
    assert result.exit_code == 0, result.output
    assert "0 hard violations" in result.output


def test_one_violation_is_counted_in_the_singular(sol: Path) -> None:
    """An audit read "1 hard violations"."""
    table = sol / "timetable.csv"
    rows = table.read_text(encoding="utf-8").splitlines()
    row = next(i for i, r in enumerate(rows) if r.startswith("session,") and "UE1-main-01" not in r)
    moved = rows[row].split(",")
    moved[6] = "2026-09-19"  # a Saturday: not the date of any slot of its weekday
    rows[row] = ",".join(moved)
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = _check(table)
    assert result.exit_code == 1
    (said,) = [line for line in result.output.splitlines() if line.startswith("1 hard violation;")]
    # the session on no slot is priced at nothing, which `report` said and `check` did not
    assert said.endswith(" (sessions it cannot place, if any, cost nothing)"), said


def test_a_hand_edited_timetable_csv_breaks_the_rules_it_breaks(sol: Path) -> None:
    """A session moved in the CSV onto another's slot and room is a double booking; a start
    that is no slot's, a slot that is not one; a teacher changed, a disagreement with the
    instance; a row deleted, a session not placed; each exit 1."""
    original = _rows(sol)
    rows = [dict(r) for r in original]
    sessions = [r for r in rows if r["kind"] == "session"]
    first, second = sessions[0], sessions[1]
    for column in ("date", "weekday", "start", "end", "site", "room"):
        first[column] = second[column]
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 1, result.output
    assert f"room {second['room']} hosts" in result.output
    cases = [
        ("start", "07:05", "which is not a teaching slot of the calendar"),
        ("teachers", "T9", "teachers 'T9', the instance gives"),
    ]
    for column, value, words in cases:
        rows = [dict(r) for r in original]
        next(r for r in rows if r["kind"] == "session")[column] = value
        _write_rows(sol, rows)
        result = _check(sol / "timetable.csv")
        assert result.exit_code == 1, (column, result.output)
        assert words in " ".join(result.output.split()), result.output
    gone = sessions[2]["session_id"]
    _write_rows(sol, [r for r in original if r["session_id"] != gone])
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 1
    assert f"{gone} is not placed" in result.output


def test_a_timetable_csv_with_a_bad_date_names_its_line(sol: Path) -> None:
    line = _first_session_set(sol, "date", "2026-02-30")
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 2
    assert f"timetable.csv: line {line}: date: '2026-02-30' is not a date" in result.output


def test_a_timetable_csv_saved_again_by_a_spreadsheet_keeps_its_hours(sol: Path) -> None:
    """Excel writes `18:00` back as `18:00:00`, `9:00` for `09:00`: the times they are, not
    slots of no calendar."""
    rows = _rows(sol)
    for row in rows:
        row["start"] = row["start"].lstrip("0") + ":00"
        row["end"] = row["end"] + ":00"
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 0, result.output


def _as_a_spreadsheet_saves(rows: list[dict[str, str]], order: str) -> list[dict[str, str]]:
    """The rows with their dates day/month/year (or month/day) and 12-hour times, as Excel
    and LibreOffice write them back in some locales."""
    out = []
    for row in rows:
        row = dict(row)
        y, m, d = row["date"].split("-")
        row["date"] = f"{d}/{m}/{y}" if order == "dmy" else f"{m}/{d}/{y}"
        for column in ("start", "end"):
            hour, minute = map(int, row[column].split(":"))
            half = "PM" if hour >= 12 else "AM"
            row[column] = f"{(hour - 1) % 12 + 1:02d}:{minute:02d}:00 {half}"
        out.append(row)
    return out


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_a_csv_saved_in_another_locale_is_read(sol: Path, order: str) -> None:
    """An audit: a CSV saved again by LibreOffice (`06:00:00 PM`) failed with 55 violations;
    by Excel in Belgian French (Windows-1252, `;`, `14/09/2027`), it could not be read. Each
    is the timetable it says; a room changed in it still fails."""
    rows = _as_a_spreadsheet_saves(_rows(sol), order)
    table = sol / "timetable.csv"

    def save(rows: list[dict[str, str]]) -> None:
        with table.open("w", encoding="cp1252", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
            writer.writeheader()  # lines end "\r\n", fields with ";" quoted
            writer.writerows(rows)

    save(rows)
    result = _check(table)
    assert result.exit_code == 0, result.output
    assert "read as Windows-1252" in result.output
    folder = _check(sol)  # against solution.json: the same rows (a review: 30 false ones)
    assert folder.exit_code == 0, folder.output
    session = next(r for r in rows if r["kind"] == "session")
    session["room"] = next(r["room"] for r in rows if r["room"] != session["room"] and r["room"])
    save(rows)
    assert _check(table).exit_code == 1


def test_a_csv_date_that_is_none_is_said_on_its_own_line(sol: Path) -> None:
    """A review: with day-first dates around it, a date that is none was said on the line
    of the first day-first date."""
    rows = _as_a_spreadsheet_saves(_rows(sol), "dmy")
    line = [n for n, r in enumerate(rows, start=2) if r["kind"] == "session"][2]
    rows[line - 2]["date"] = "13/14/2026"
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 2, result.output
    assert f"timetable.csv: line {line}: date: '13/14/2026' is not a valid date" in result.output


def test_csv_dates_read_both_ways_are_refused(sol: Path) -> None:
    """Day first in one row and month first in another cannot both be: refused, with the
    line, rather than read one way."""
    rows = _rows(sol)
    sessions = [r for r in rows if r["kind"] == "session"]
    assert all(int(r["date"][-2:]) > 12 for r in sessions[:2])  # each reads one way alone
    y, m, d = sessions[0]["date"].split("-")
    sessions[0]["date"] = f"{d}/{m}/{y}" if int(d) > 12 else f"{m}/{d}/{y}"
    y, m, d = sessions[1]["date"].split("-")
    sessions[1]["date"] = f"{m}/{d}/{y}" if int(d) > 12 else f"{d}/{m}/{y}"
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 2, result.output
    assert "read both day first and month first: save the dates as YYYY-MM-DD" in result.output


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"hello,world\n", "not a timetable.csv (no kind, session_id or date column)"),
        (
            b"\x00\x01\x02garbage\xc3\xbf",
            "not a timetable.csv (no kind, session_id or date column)",
        ),
        (b"", "empty file, not a timetable.csv"),
        (b"\n \n", "empty file, not a timetable.csv"),
    ],
)
def test_a_one_line_csv_that_is_no_timetable_is_refused(
    tmp_path: Path, data: bytes, words: str
) -> None:
    """An audit: one line of garbage, a binary or an empty file was checked as a timetable
    with no row (exit 1, every session unplaced), two lines of it refused (exit 2)."""
    table = tmp_path / "timetable.csv"
    table.write_bytes(data)
    result = _check(table)
    assert result.exit_code == 2, result.output
    assert result.output == f"Error: {table}: {words}\n"


def test_a_csv_with_the_header_alone_is_a_timetable_with_no_row(sol: Path) -> None:
    table = sol / "timetable.csv"
    table.write_text(table.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", "utf-8")
    result = _check(table)
    assert result.exit_code == 1, result.output
    assert "UE1-main-01 is not placed" in result.output


@pytest.mark.parametrize(("column", "value"), [("start", "six pm"), ("end", "25:00")])
def test_a_timetable_csv_with_a_bad_time_names_its_line(sol: Path, column: str, value: str) -> None:
    """An audit: a start that is no time was checked as a slot of no calendar (exit 1),
    while a date that is none exits 2."""
    line = _first_session_set(sol, column, value)
    result = _check(sol / "timetable.csv")
    assert result.exit_code == 2, result.output
    assert f"timetable.csv: line {line}: {column}: '{value}' is not a time HH:MM" in result.output


def test_a_timetable_csv_row_of_another_kind_is_refused(sol: Path) -> None:
    """An audit's `lecture` row was said to be a session not in the instance."""
    line = _first_session_set(sol, "kind", "lecture")
    for checked in (sol / "timetable.csv", sol):
        result = _check(checked)
        assert result.exit_code == 2, result.output
        assert f"timetable.csv: line {line}: kind 'lecture': expected session or event" in (
            result.output
        )


@pytest.mark.parametrize("later", [True, False])
def test_a_session_twice_in_a_timetable_csv_is_said_once(sol: Path, later: bool) -> None:
    """An audit placed a session a second time on a later line: its first row was said to
    disagree with 'the instance' on date and weekday, which the second row gave. The rows
    are compared with the first one's; the second is said to be a repeat, whichever date
    is earlier."""
    rows = _rows(sol)
    first = next(i for i, r in enumerate(rows) if r["kind"] == "session")
    other = next(r for r in rows if r["kind"] == "session" and r["date"] != rows[first]["date"])
    moved = {k: other[k] if k in ("date", "weekday", "start", "end") else v
             for k, v in rows[first].items()}  # fmt: skip
    sid = moved["session_id"]
    rows.append(moved if later else rows[first])
    if not later:
        rows[first] = moved
    _write_rows(sol, rows)
    result = _check(sol / "timetable.csv", "--json")
    assert result.exit_code == 1, result.output
    said = [v["message"] for v in json.loads(result.output)["violations"]]
    about = [m.split(": ", 1)[1] for m in said if m.startswith(str(sol / "timetable.csv"))]
    assert about == [f"line {len(rows) + 1}: session {sid} again (first on line {first + 2})"]
    assert any(m.startswith(f"{sid} is placed 2 times") for m in said), said


def test_a_timetable_csv_of_another_instance_is_refused(sol: Path) -> None:
    """An audit checked tiny's CSV against another instance: each of its rows was a
    violation (exit 1), where its solution.json is refused as another instance's (exit 2)."""
    other = TINY.parent / "certificat-mediation-2027-28.yaml"
    table = sol / "timetable.csv"
    result = CliRunner().invoke(cli, ["check", str(other), str(table)])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: {table}: none of its sessions or events are in instance "
        "'certificat-mediation-2027-28': a timetable of another instance?\n"
    )
    rows = _rows(sol)
    rows[0]["session_id"] = "UE9-main-01"  # one not in the instance among others that are
    _write_rows(sol, rows)
    assert _check(table).exit_code == 1


def test_a_first_solve_checked_against_another_file_is_not_called_a_re_solve(
    tmp_path: Path,
) -> None:
    """An audit: a first solve's timetable given with another instance file warned '(a
    re-solve's instance holds its changes)', which only a revision's is."""
    from scheduler.io.instance_io import load_instance
    from scheduler.io.solution_read import solution_matches

    solved = tmp_path / "a.yaml"
    solved.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "sol"
    assert CliRunner().invoke(cli, ["solve", str(solved), "--out", str(out)]).exit_code == 0
    other = tmp_path / "b.yaml"
    other.write_text(
        TINY.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8"
    )
    said = solution_matches(out, load_instance(other), other)
    assert said == (
        f"warning: {out / 'solution.json'} is a timetable of {solved.resolve()}, not of {other}: "
        f"read against {other} as given"
    )


def test_lines_are_named_as_the_file_numbers_them_after_blank_lines_and_multi_line_cells(
    sol: Path,
) -> None:
    """A blank line and a title written on two lines put every later row further down the
    file than its row number says (a review: the line named was the row's number plus one)."""
    rows = _rows(sol)
    sessions = [r for r in rows if r["kind"] == "session"]
    sessions[0]["ue_title"] += "\nsuite"  # its row takes lines 2 and 3
    sessions[1]["start"] = "19:07"  # no slot's hours
    sessions[2]["date"] = "2026-13-45"  # no date
    _write_rows(sol, rows)
    table = sol / "timetable.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    table.write_text("\n".join([*lines[:3], "", *lines[3:]]), encoding="utf-8")
    start = 2 + rows.index(sessions[2]) + 2  # two lines more: the title's and the blank one
    result = _check(table)
    assert result.exit_code == 2, result.output
    assert f"line {start}: date: '2026-13-45' is not a date" in result.output
    sessions[2]["date"] = sessions[3]["date"]
    _write_rows(sol, rows)
    lines = table.read_text(encoding="utf-8").split("\n")
    table.write_text("\n".join([*lines[:3], "", *lines[3:]]), encoding="utf-8")
    result = _check(sol)
    second = 2 + rows.index(sessions[1]) + 2
    assert f"line {second}: session {sessions[1]['session_id']} start '19:07'" in result.output
    assert f"line 2: session {sessions[0]['session_id']} ue_title" in result.output


def test_a_quote_never_closed_names_its_line(sol: Path) -> None:
    """The rest of the file was one cell, said as "line 1: date: empty in a session row" (a
    fuzz audit): the header's line, and not the cause."""
    table = sol / "timetable.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    cells = lines[3].split(",")
    lines[3] = ",".join([*cells[:3], f'"{cells[3]}', *cells[4:]])  # its 4th cell opens a quote
    table.write_text("\n".join(lines), encoding="utf-8")
    for target in (table, sol):
        result = _check(target)
        assert result.exit_code == 2, result.output
        assert 'line 4: a quote (") is opened and never closed' in result.output
    table.write_text("\n".join([*lines[:3], "", "", *lines[3:]]), encoding="utf-8")
    assert 'line 6: a quote (") is opened' in _check(table).output  # blank lines before it
    lines[3] = ",".join(cells)  # closed again
    lines[0] = lines[0].replace("ue_title", '"ue_title')
    table.write_text("\n".join(lines), encoding="utf-8")
    assert 'line 1: a quote (") is opened' in _check(table).output  # in the header


def test_a_csv_row_of_an_assignment_to_an_unknown_room_is_compared_on_date_and_room(
    sol: Path,
) -> None:
    """solution.json names a room the instance lacks: the CSV row is compared on what
    solution.json gives alone, its date and room (a mutation audit: no test of its own)."""
    row = next(r for r in _rows(sol) if r["kind"] == "session")

    def moved(doc: dict[str, Any]) -> None:
        next(a for a in doc["assignments"] if a["session"] == row["session_id"])["room"] = "NOPE"

    _edit_json(sol, moved)
    result = _check(sol, "--json")
    said = [v["message"] for v in json.loads(result.output)["violations"]]
    words = f"session {row['session_id']} room '{row['room']}', solution.json gives 'NOPE'"
    assert any(m.endswith(words) for m in said), said


def test_a_solution_nested_too_deeply_is_bad_input(sol: Path) -> None:
    """A RecursionError traceback, exit 1 (a fuzz audit)."""
    (sol / "solution.json").write_text('{"assignments": ' + "[" * 5000 + "]" * 5000 + "}")
    for command in (["check", str(TINY), str(sol)], ["report", str(sol)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert "nested too deeply to be a solution" in result.output
