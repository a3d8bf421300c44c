"""`pinned` changes: staff decide where sessions still to give go (a make-up date, a series
moved to the other town); the re-solve places them there and moves as little else as it can."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.resolve.edits_support import (
    assert_revision_checked,
    csv_rows,
    edits_instance,
    publish_variant,
    resolve_output,
)


def _day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def _placed(folder: Path) -> dict[str, dict[str, str]]:
    return {r["session_id"]: r for r in csv_rows(folder) if r["kind"] == "session"}


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The edits instance with U1 taught in Mons only and a third session of it, solved once."""
    data = edits_instance()
    data["ues"][0]["sites"] = ["MONS"]
    data["ues"][0]["sessions"] = [{"count": 3}]
    data["teachers"][0]["unavailable"] = []
    data["precedences"] = []
    return publish_variant(tmp_path_factory.mktemp("pins"), data, "pins")


@pytest.fixture
def published(tmp_path: Path, solved: tuple[Path, Path]) -> tuple[Path, Path]:
    """A copy of the solved instance and timetable, for one test's re-solves."""
    inst, pub = solved
    shutil.copy(inst, tmp_path / inst.name)
    shutil.copytree(pub, tmp_path / pub.name)
    return tmp_path / inst.name, tmp_path / pub.name


def _make_up_saturday(pub: Path) -> tuple[str, str]:
    """(today: the day after U1-main-01, the make-up: the first Saturday after today, before
    the sessions that follow)."""
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    makeup = next(
        d.isoformat()
        for d in (dt.date.fromisoformat(today) + dt.timedelta(days=k) for k in range(1, 8))
        if d.weekday() == 5
    )
    return today, makeup


def test_a_cancelled_session_goes_where_staff_pinned_it_and_stays_there(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    today, makeup = _make_up_saturday(pub)
    changes = {
        "today": today,
        "changes": [
            {"cancelled": {"session": "U1-main-01"}},
            {"pinned": {"session": "U1-main-01", "date": makeup, "slot": "AM"}},
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    rev = pub / "rev-1"
    assert_revision_checked(inst, rev)
    after = _placed(rev)
    assert (after["U1-main-01"]["date"], after["U1-main-01"]["start"]) == (makeup, "09:00")
    assert after["U1-main-01"]["site"] == "MONS"
    with (rev / "changes.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["session"] == "U1-main-01")
    assert "pinned session=U1-main-01" in row["cause"]
    assert f"U1-main-01 pinned on Saturday {makeup}, slot AM" in (rev / "changes.md").read_text(
        encoding="utf-8"
    )
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    assert {"session": "U1-main-01", "date": makeup, "slot": "AM"} in revised["pins"]
    # a later re-solve from the revision keeps the staff's pin
    more = {"today": today, "changes": [{"add_sessions": {"ue": "U3", "count": 1}}]}
    code, output = resolve_output(tmp_path, rev / "instance.yaml", rev, more)
    assert code == 0, output
    assert _placed(pub / "rev-2")["U1-main-01"]["date"] == makeup


@pytest.mark.parametrize("own_instance", [False, True])
def test_an_earlier_today_keeps_a_make_up_date_staff_pinned(
    tmp_path: Path, published: tuple[Path, Path], own_instance: bool
) -> None:
    """A re-solve with a `today` before the revision it starts from lifts the pins that
    revision froze the past with, so that those sessions may move again. A make-up date staff
    had pinned one revision earlier was lifted with them (its freeze pin looks alike): the
    session then moved silently (an audit). Its staff pin comes back instead, whichever
    instance is given (the first one, or the revision's own instance.yaml)."""
    inst, pub = published
    today, makeup = _make_up_saturday(pub)
    pin = {"session": "U1-main-01", "date": makeup, "slot": "AM"}
    first = {"today": today, "changes": [{"cancelled": {"session": "U1-main-01"}}, {"pinned": pin}]}
    assert resolve_output(tmp_path, inst, pub, first)[0] == 0
    later = {"today": _day_after(makeup), "changes": []}  # the make-up given: frozen
    code, output = resolve_output(tmp_path, inst, pub / "rev-1", later)
    assert code == 0, output
    frozen = yaml.safe_load((pub / "rev-2" / "instance.yaml").read_text(encoding="utf-8"))
    assert pin not in frozen["pins"]  # replaced by the freeze pin, with its room
    given = pub / "rev-2" / "instance.yaml" if own_instance else inst
    back = {"today": today, "changes": []}
    code, output = resolve_output(tmp_path, given, pub / "rev-2", back)
    assert code == 0, output
    assert "may move again (their pins in its instance.yaml are lifted" in output
    revised = yaml.safe_load((pub / "rev-3" / "instance.yaml").read_text(encoding="utf-8"))
    assert pin in revised["pins"]
    assert_revision_checked(inst, pub / "rev-3")
    # the teacher away on the make-up date: the pin holds, and the conflict is explained
    teacher = _placed(pub / "rev-3")["U1-main-01"]["teachers"]
    away = {
        "today": today,
        "changes": [{"teacher_unavailable": {"teacher": teacher, "date": makeup}}],
    }
    code, output = resolve_output(tmp_path, given, pub / "rev-2", away)
    assert code == 1, output
    assert "U1-main-01 cannot be placed" in output and "the place it is pinned to" in output


def _series_to_namur(tmp_path: Path, inst: Path, pub: Path) -> tuple[str, Path]:
    """Re-solve `pub` with series U1-main pinned to NAMUR from the day after its first
    session: (the console output, the revision's folder)."""
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    changes = {"today": today, "changes": [{"pinned": {"series": "U1-main", "site": "NAMUR"}}]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    return output, pub / "rev-1"


def test_a_series_pinned_to_another_site_moves_there_from_today_on(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    before = _placed(pub)
    output, rev = _series_to_namur(tmp_path, inst, pub)
    assert_revision_checked(inst, rev)
    after = _placed(rev)
    assert after["U1-main-01"] == before["U1-main-01"]  # given in Mons: stays as given
    assert after["U1-main-02"]["site"] == after["U1-main-03"]["site"] == "NAMUR"
    revised = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    assert revised["ues"][0]["sessions"][0]["sites"] == ["MONS", "NAMUR"]
    said = (rev / "changes.md").read_text(encoding="utf-8")
    assert "the sessions of series U1-main still to give pinned at NAMUR" in said
    assert "pinned series=U1-main site=NAMUR" in output  # the cause of each move


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"session": "U1-main-01", "slot": "AM"}, "U1-main-01 took place on"),
        ({"session": "U1-main-02", "date": "2026-09-15"}, "is before today"),
        ({"session": "U1-main-09", "slot": "AM"}, "session: unknown session 'U1-main-09'"),
        ({"series": "U1-nope", "slot": "AM"}, "series: unknown series 'U1-nope'"),
        ({"ue": "U9", "slot": "AM"}, "ue: unknown ue 'U9'"),
        ({"session": "U1-main-02", "slot": "SUN"}, "slot: unknown slot 'SUN'"),
        # with a date: "slot 'SUN' is not open on <date>" hid the typo (an audit)
        (
            {"session": "U1-main-02", "date": "2026-10-29", "slot": "SUN"},
            "slot: unknown slot 'SUN'",
        ),
        ({"session": "U1-main-02", "site": "LIEGE"}, "site: unknown site 'LIEGE'"),
        ({"session": "U1-main-02", "site": "NAMUR", "room": "M1"}, "room 'M1' is at MONS"),
        ({"session": "U1-main-02", "room": "N1"}, "U1-main-02 is taught at MONS only"),
        ({"series": "U1-main", "date": "2026-10-31"}, "a date pins one session"),
        ({"session": "U1-main-02"}, "give at least one of date, slot, site, room"),
        ({"session": "U1-main-02", "ue": "U1", "slot": "AM"}, "exactly one of session, series"),
        ({"session": "U1-main-02", "date": "2026-10-29", "slot": "AM"}, "not open on 2026-10-29"),
        ({"session": "U1-main-02", "date": "2026-10-28"}, "not a teaching day"),
    ],
)
def test_a_pin_that_cannot_be_done_is_refused_with_its_change(
    tmp_path: Path, published: tuple[Path, Path], body: dict[str, Any], message: str
) -> None:
    inst, pub = published
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": today, "changes": [{"pinned": body}]}
    )
    assert code == 2, output
    assert "changes[0] pinned" in output and message in output, output


def test_nothing_is_pinned_onto_today_but_where_it_was_published(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    before = _placed(pub)
    today = before["U1-main-02"]["date"]
    other = next(s for s, r in before.items() if r["date"] > today)
    body = {"session": other, "date": today}
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": today, "changes": [{"pinned": body}]}
    )
    assert code == 2 and f"changes[0] pinned date: {today} is today" in output, output
    body = {"session": "U1-main-02", "date": today}  # published today: it may stay
    code, output = resolve_output(
        tmp_path, inst, pub, {"today": today, "changes": [{"pinned": body}]}
    )
    assert code == 0, output
    assert _placed(pub / "rev-1")["U1-main-02"] == before["U1-main-02"]


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ({"pinned": {"series": "U1-main", "slot": "THU"}}, "U1-main-02 is pinned by changes[0]"),
        ({"dropped": {"session": "U1-main-02"}}, "U1-main-02 is dropped by changes[1]"),
    ],
)
def test_a_session_is_pinned_once_and_never_with_its_drop(
    tmp_path: Path, published: tuple[Path, Path], second: dict[str, Any], message: str
) -> None:
    inst, pub = published
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    first = {"pinned": {"session": "U1-main-02", "slot": "TUE"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [first, second]})
    assert code == 2 and message in output, output


def test_a_pin_no_timetable_can_keep_is_explained_with_the_pin(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    # U1-main-02 pinned to a day its only teacher is away
    pin = {"pinned": {"session": "U1-main-02", "date": "2026-10-31", "slot": "AM"}}
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-10-31"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [pin, away]})
    assert code == 1, output
    assert "U1-main-02 cannot be placed" in output
    # with the change that took the place away (a site closure was said as "room
    # unavailable" only: an audit)
    assert (
        "the place it is pinned to (date 2026-10-31, slot AM) is excluded by "
        "teacher_availability (e.g. 2026-10-31 AM, M1: T1 unavailable); of the places (slot and "
        "room) the pin allows, changes[1] (T1 unavailable on Saturday 2026-10-31) takes away 2 "
        "— pin it elsewhere, or relax these rules, or take back or narrow changes[1]"
    ) in output
    assert not (pub / "rev-1").exists()


def test_a_pin_s_explanation_shows_a_place_of_the_series_own_site(tmp_path: Path) -> None:
    """The calendar audit pinned a Namur-only session to a day its teacher was away and was
    shown a Mons room as the example ("e.g. ..., M-AUD: T08 unavailable"): the example is a
    place the rule excludes with the fewest others, here a Namur room."""
    data = edits_instance()
    data["ues"][0]["sites"] = ["NAMUR"]
    data["ues"][0]["sessions"] = [{"count": 3}]
    data["teachers"][0]["unavailable"] = []
    data["precedences"] = []
    inst, pub = publish_variant(tmp_path, data, "namur")
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    pin = {"pinned": {"session": "U1-main-02", "date": "2026-10-31", "slot": "AM"}}
    away = {"teacher_unavailable": {"teacher": "T1", "date": "2026-10-31"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [pin, away]})
    assert code == 1, output
    assert "teacher_availability (e.g. 2026-10-31 AM, N1: T1 unavailable)" in output, output


def test_a_series_pinned_leaves_out_its_session_dropped_by_the_same_file(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """A review: pinning a series and dropping one of its sessions was refused."""
    inst, pub = published
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    changes = [
        {"pinned": {"series": "U1-main", "site": "NAMUR"}},
        {"dropped": {"session": "U1-main-03"}},
    ]
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": changes})
    assert code == 0, output
    revised = yaml.safe_load((pub / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    pinned = {p["session"] for p in revised["pins"] if p.get("site") == "NAMUR"}
    assert pinned == {"U1-main-02"} and revised["dropped"] == ["U1-main-03"]


def test_a_series_moved_town_keeps_it_for_a_make_up_and_for_sessions_added_later(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """An audit: once UE4 moved to Namur, a cancelled session's make-up went back to Mons
    (its pin dropped), and a session added later was placed in Mons."""
    inst, pub = published
    _, rev = _series_to_namur(tmp_path, inst, pub)
    second = _placed(rev)["U1-main-02"]["date"]
    later = {
        "today": _day_after(second),
        "changes": [
            {"cancelled": {"session": "U1-main-02"}},
            {"add_sessions": {"ue": "U1", "count": 1}},
        ],
    }
    code, output = resolve_output(tmp_path, rev / "instance.yaml", rev, later)
    assert code == 0, output
    assert "the pin of U1-main-02 keeps only its site NAMUR" in output
    again = pub / "rev-2"
    assert_revision_checked(inst, again)
    placed = _placed(again)
    assert placed["U1-main-02"]["site"] == placed["U1-main-04"]["site"] == "NAMUR"
    revised = yaml.safe_load((again / "instance.yaml").read_text(encoding="utf-8"))
    assert {"session": "U1-main-04", "site": "NAMUR"} in revised["pins"]


def test_a_session_is_not_pinned_back_where_it_was_cancelled_and_leaving_today_is_said(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    before = _placed(pub)["U1-main-02"]
    slot = {"09:00": "AM", "13:45": "PM"}.get(before["start"]) or before["weekday"].upper()
    changes = {  # cancelled ahead of its day
        "today": _day_after(_placed(pub)["U1-main-01"]["date"]),
        "changes": [
            {"cancelled": {"session": "U1-main-02"}},
            {"pinned": {"session": "U1-main-02", "date": before["date"], "slot": slot}},
        ],
    }
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 2, output
    assert f"changes[1] pinned: U1-main-02 was cancelled from {before['date']} {slot}" in output
    # published for today, sent elsewhere by a pin: said apart, to tell its people now
    leave = {"pinned": {"session": "U1-main-02", "site": "NAMUR"}}
    changes = {"today": before["date"], "changes": [leave]}
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 2, output  # one session of a Mons-only UE: the series must move
    changes["changes"] = [{"pinned": {"series": "U1-main", "site": "NAMUR"}}]
    code, output = resolve_output(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert "warning: U1-main-02 was to be given today" in output


@pytest.mark.parametrize(
    ("pin", "code", "reason"),
    [
        (  # a room too small: the changes file contradicts the instance, bad input
            {"session": "U1-main-02", "room": "M2"},
            2,
            "changes[0] pinned makes the instance invalid: pin of session 'U1-main-02' room: "
            "room 'M2' seats 5, fewer than U1-main-02's 20 students",
        ),
        (  # a room unavailable that day: said, not "pin" alone (an audit)
            {"session": "U1-main-02", "date": "2026-10-31", "slot": "PM", "room": "M1"},
            1,
            "is excluded by room_availability",
        ),
    ],
)
def test_a_pinned_place_other_rules_exclude_names_them(
    tmp_path: Path, solved: tuple[Path, Path], pin: dict[str, Any], code: int, reason: str
) -> None:
    inst, pub = solved
    data = yaml.safe_load(inst.read_text(encoding="utf-8"))
    data["sites"][0]["rooms"].append({"id": "M2", "capacity": 5})
    data["sites"][0]["rooms"][0]["unavailable"] = [{"date": "2026-10-31", "slots": ["PM"]}]
    edited = tmp_path / "pins.yaml"
    edited.write_text(yaml.safe_dump(data), encoding="utf-8")
    shutil.copytree(pub, tmp_path / "pub")
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    changes = {"today": today, "changes": [{"pinned": pin}]}
    exit_code, output = resolve_output(tmp_path, edited, tmp_path / "pub", changes)
    assert exit_code == code, output
    assert reason in output


def test_sessions_added_and_pinned_in_one_file_get_one_pin_each(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    inst, pub = published
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    changes = [
        {"add_sessions": {"ue": "U1", "count": 1}},
        {"pinned": {"series": "U1-main", "site": "NAMUR"}},
    ]
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": changes})
    assert code == 0, output
    revised = yaml.safe_load((pub / "rev-1" / "instance.yaml").read_text(encoding="utf-8"))
    pins = [p for p in revised["pins"] if p["session"] == "U1-main-04"]
    assert pins == [{"session": "U1-main-04", "site": "NAMUR"}]


def test_a_pin_into_a_closed_site_names_the_closure(tmp_path: Path) -> None:
    """A Namur-only session pinned into a week Namur is closed (site_closed) was explained by
    the Mons rooms it may not use alone, never by the closure (a re-solve audit): each site
    says what excludes it there."""
    data = edits_instance()
    data["ues"][0]["sites"] = ["NAMUR"]
    data["ues"][0]["sessions"] = [{"count": 3, "room_features": ["lab"]}]
    data["teachers"][0]["unavailable"] = []
    data["precedences"] = []
    # Mons rooms excluded by more rules than Namur's one: the three most frequent were Mons's
    mons = [{"id": f"M{i}", "capacity": 10} for i in range(2, 6)]
    data["sites"][0]["rooms"] += mons
    data["sites"][1]["rooms"][0]["features"] = ["lab"]
    inst, pub = publish_variant(tmp_path, data, "closed")
    today = _day_after(_placed(pub)["U1-main-01"]["date"])
    pin = {"pinned": {"session": "U1-main-02", "date": "2026-10-31", "slot": "AM"}}
    closed = {"site_closed": {"site": "NAMUR", "date": "2026-10-31"}}
    code, output = resolve_output(tmp_path, inst, pub, {"today": today, "changes": [pin, closed]})
    assert code == 1, output
    assert "allowed_sites (e.g. 2026-10-31 AM, M" in output
    assert "room_availability (e.g. 2026-10-31 AM, N1: room N1 unavailable)" in output, output


def test_an_earlier_today_keeps_a_pin_of_the_first_instance(
    tmp_path: Path, published: tuple[Path, Path]
) -> None:
    """The same from the first instance's own pin, the revision's instance.yaml given: the
    first instance is then found where its solve recorded it (a review)."""
    inst, pub = published
    placed = _placed(pub)["U1-main-02"]
    pin = {"session": "U1-main-02", "date": placed["date"], "room": placed["room"]}
    data = yaml.safe_load(inst.read_text(encoding="utf-8"))
    data["pins"] = [pin]
    pinned, pub2 = publish_variant(tmp_path, data, "pinned")
    code, output = resolve_output(
        tmp_path, pinned, pub2, {"today": _day_after(pin["date"]), "changes": []}
    )
    assert code == 0, output
    rev1 = pub2 / "rev-1"
    assert pin not in yaml.safe_load((rev1 / "instance.yaml").read_text(encoding="utf-8"))["pins"]
    back = {"today": pin["date"], "changes": []}
    code, output = resolve_output(tmp_path, rev1 / "instance.yaml", rev1, back)
    assert code == 0, output
    revised = yaml.safe_load((pub2 / "rev-2" / "instance.yaml").read_text(encoding="utf-8"))
    assert pin in revised["pins"]
