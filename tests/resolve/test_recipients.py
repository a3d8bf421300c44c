"""Whom a re-solve's changes concern (`resolve.recipients`): changes.md's list of people to
write to, each teacher and group of a changed session, before or after."""

from __future__ import annotations

from datetime import date

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.resolve.diff import Moved
from scheduler.resolve.recipients import changed_events, recipient_lines, recipients
from scheduler.solution import Assignment
from tests.resolve.support import roomy


def _problem() -> Problem:
    data = roomy()
    data["teachers"] = [
        {"id": "T3", "name": "Zoé Arnaud"},  # first in the instance: first in the list
        {"id": "T1", "name": "Luc Mertens", "email": "luc@example.org"},
        {"id": "T2"},
    ]
    data["groups"][1]["name"] = "Option A"
    return Problem.build(Instance.model_validate(data))


def _at(sid: str, day: int, room: str = "M1") -> Assignment:
    return Assignment(sid, date(2026, 9, day), "TUE", room)


def test_each_teacher_and_group_of_a_changed_session_is_listed_once_in_instance_order() -> None:
    problem = _problem()
    moved = [
        Moved("U2-main-01", _at("U2-main-01", 15), _at("U2-main-01", 22), "date", "c", "w"),
        Moved("U1-main-02", _at("U1-main-02", 22), _at("U1-main-02", 22, "N1"), "site", "c"),
        Moved(  # given to T3: both teachers are told
            "U1-main-03", _at("U1-main-03", 29), _at("U1-main-03", 29), "teacher", "c", "w",
            (("T1",), ("T3",)),
        ),
        # a session the instance no longer has: its people as published
        Moved("U9-main-01", _at("U9-main-01", 17), None, "removed", "c"),
    ]  # fmt: skip
    shown = {"U9-main-01": {"teachers": "T2;T7", "groups": "B"}}
    found = {who: [w.split()[0] for w in what] for who, what in recipients(problem, moved, shown)}
    assert list(found.items()) == [
        ("Zoé Arnaud (T3)", ["U1-main-03"]),
        ("Luc Mertens (T1) <luc@example.org>", ["U1-main-02", "U1-main-03"]),
        ("T2", ["U2-main-01", "U9-main-01"]),
        ("T7", ["U9-main-01"]),  # not in the instance: after those that are
        ("students of C", ["U1-main-02", "U1-main-03"]),
        ("students of Option A (A)", ["U2-main-01"]),
        ("students of B", ["U9-main-01"]),
    ]
    lines = recipient_lines(problem, moved, shown)
    assert lines[:3] == [
        "",
        "Whom to tell (each teacher and group of a changed session or event, before or after):",
        "",
    ]
    assert lines[3] == "- Zoé Arnaud (T3): U1-main-03 (teacher (T1 -> T3))"
    assert lines[4] == (
        "- Luc Mertens (T1) <luc@example.org>: U1-main-02 (site), U1-main-03 (teacher (T1 -> T3))"
    )


def test_nothing_changed_tells_nobody() -> None:
    assert recipient_lines(_problem(), []) == []


def _event_row(day: str, site: str = "MONS", teachers: str = "T1", groups: str = "C") -> dict:
    return {
        "kind": "event", "session_id": "EV", "date": day, "start": "09:00", "end": "17:00",
        "site": site, "room": "", "teachers": teachers, "groups": groups,
    }  # fmt: skip


def test_a_fixed_event_whose_days_changed_concerns_its_people_before_and_after() -> None:
    before = [_event_row("2026-09-19"), _event_row("2026-09-26")]
    assert changed_events(before, list(before)) == {}  # the same days: nobody to tell
    after = [_event_row("2026-09-19"), _event_row("2026-10-03", teachers="T2", groups="C;A")]
    assert changed_events(before, after) == {"EV": (["T1", "T2"], ["C", "A"])}
    moved_site = [_event_row("2026-09-19"), _event_row("2026-09-26", site="NAMUR")]
    assert changed_events(before, moved_site) == {"EV": (["T1"], ["C"])}
    problem = _problem()
    moved = [Moved("U1-main-02", _at("U1-main-02", 22), _at("U1-main-02", 24), "date", "c")]
    lines = recipient_lines(problem, moved, events=changed_events(before, after))
    assert lines[3:] == [
        "- Luc Mertens (T1) <luc@example.org>: U1-main-02 (date), fixed event EV",
        "- T2: fixed event EV",
        "- students of C: U1-main-02 (date), fixed event EV",
        "- students of Option A (A): fixed event EV",
    ]
