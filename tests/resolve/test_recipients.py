"""Whom a re-solve's changes concern (`resolve.recipients`): changes.md's list of people to
write to, each teacher and group of a changed session or event, before or after, each item
complete in itself (what, when, where, who teaches it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.resolve.diff import Moved
from scheduler.resolve.recipients import changed_events, recipient_lines, recipients, told_lines
from scheduler.solution import Assignment
from tests.resolve.support import roomy


def _problem() -> Problem:
    data = roomy()
    data["teachers"] = [
        {"id": "T3", "name": "Zoé Arnaud"},  # first in the instance: first in the list
        {"id": "T1", "name": "Luc Mertens", "email": "luc@example.org"},
        {"id": "T2", "email": "t2@example.org"},
    ]
    data["groups"][1]["name"] = "Option A"
    data["sites"][1]["name"] = "UNamur"
    data["sites"][1]["address"] = "Rue de Bruxelles 61, 5000 Namur"
    data["sites"][1]["rooms"][0]["name"] = "Salle S01"
    data["ues"][0]["title"] = "Fondements"
    return Problem.build(Instance.model_validate(data))


def _at(sid: str, day: int, room: str = "M1", slot: str = "TUE") -> Assignment:
    return Assignment(sid, date(2026, 9, day), slot, room)


def test_each_teacher_and_group_of_a_changed_session_is_listed_in_instance_order() -> None:
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
    shown = {
        "U9-main-01": {
            "teachers": "T2;T7", "groups": "B", "ue": "U9", "ue_title": "", "series": "main",
            "start": "18:00", "end": "21:15", "date": "2026-09-17", "slot": "TUE", "room": "M1",
        }
    }  # fmt: skip
    found = {
        r.who: [item.split(",")[0] for item in r.items]
        for r in recipients(problem, moved, shown, today=date(2026, 9, 15))
    }
    assert list(found.items()) == [
        ("Zoé Arnaud (T3) (no e-mail address in the instance)", ["U1-main-03"]),
        ("Luc Mertens (T1) <luc@example.org>", ["U1-main-02", "U1-main-03"]),
        ("T2 <t2@example.org>", ["TODAY", "U9-main-01"]),  # given today: said first
        ("T7 (not in the instance)", ["U9-main-01"]),  # a removed session's, as published
        ("students of C, whatever their group", ["U1-main-02", "U1-main-03"]),
        # a sub-group's students attend its parent's sessions too (an audit's APP1 line left
        # out the cohort's plenary moved the same day)
        (
            "students of Option A (A), with the sessions of C they attend",
            ["TODAY", "U1-main-02", "U1-main-03"],
        ),
        (
            "students of B, with the sessions of C they attend",
            ["U1-main-02", "U1-main-03", "U9-main-01"],
        ),
    ]


def test_each_item_says_what_when_where_and_who_teaches_it() -> None:
    problem = _problem()
    moved = [
        Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 17, slot="THU"), "date", ""),
        Moved("U1-main-02", _at("U1-main-02", 22), _at("U1-main-02", 24, "N1", "THU"), "x", ""),
        Moved("U1-main-03", _at("U1-main-03", 29), _at("U1-main-03", 29), "t", "", "", (("T1",), ())),
        Moved("U2-main-02", None, _at("U2-main-02", 29, "M2"), "added", ""),
    ]  # fmt: skip
    found = {r.who: r.items for r in recipients(problem, moved)}
    assert list(found) == [
        "Luc Mertens (T1) <luc@example.org>",
        "T2 <t2@example.org>",
        "students of C, whatever their group",
        "students of Option A (A), with the sessions of C they attend",
    ]
    assert found["Luc Mertens (T1) <luc@example.org>"] == (
        # the same room: said once, after the days
        "U1-main-01, U1 · Fondements (1/3): Tuesday 2026-09-15 18:00-21:15 -> Thursday "
        "2026-09-17 18:00-21:15, M1, MONS",
        # to another site: its address, to find the way
        "U1-main-02, U1 · Fondements (2/3): Tuesday 2026-09-22 18:00-21:15, M1, MONS -> "
        "Thursday 2026-09-24 18:00-21:15, Salle S01 (N1), UNamur (Rue de Bruxelles 61, 5000 "
        "Namur)",
        "U1-main-03, U1 · Fondements (3/3): Tuesday 2026-09-29 18:00-21:15, M1, MONS; taught by "
        "nobody instead of Luc Mertens (T1)",
    )
    added = "U2-main-02, U2 (2/2): added: Tuesday 2026-09-29 18:00-21:15, M2, MONS"
    assert found["T2 <t2@example.org>"] == (added,)
    # the option's students: the cohort's three sessions, then their own
    option = found["students of Option A (A), with the sessions of C they attend"]
    assert option == (*found["students of C, whatever their group"], added)


def _event_row(
    day: str, site: str = "MONS", teachers: str = "T1", groups: str = "C"
) -> dict[str, Any]:
    return {
        "kind": "event", "session_id": "EV", "ue_title": "Séminaire", "date": day,
        "start": "09:00", "end": "17:00", "site": site, "room": "", "teachers": teachers,
        "groups": groups,
    }  # fmt: skip


def test_a_fixed_event_whose_days_changed_concerns_its_people_before_and_after() -> None:
    before = [_event_row("2026-09-19"), _event_row("2026-09-26")]
    assert changed_events(before, list(before)) == {}  # the same days: nobody to tell
    after = [_event_row("2026-09-19"), _event_row("2026-10-03", teachers="T2", groups="C;A")]
    (event,) = changed_events(before, after).values()
    assert (event.teachers, event.groups) == (("T1", "T2"), ("C", "A"))
    assert event.words == (  # the new day lists others: said with the days
        "EV (Séminaire): 2026-09-26 09:00-17:00 at MONS -> 2026-10-03 09:00-17:00 at MONS; "
        "kept: 2026-09-19 09:00-17:00 at MONS; teachers T1 -> T1, T2; groups C -> C, A"
    )
    moved_site = [_event_row("2026-09-19"), _event_row("2026-09-26", site="NAMUR")]
    assert changed_events(before, moved_site)["EV"].teachers == ("T1",)
    lines = recipient_lines(recipients(_problem(), [], events=changed_events(before, after)))
    assert lines[:2] == [
        "",
        "Whom to tell (each teacher and group of a changed session or event, before or after):",
    ]
    assert lines[2:] == [
        "", "- Luc Mertens (T1) <luc@example.org>:", f"  - {event.words}",
        "", "- T2 <t2@example.org>:", f"  - {event.words}",
        "", "- students of C, whatever their group:", f"  - {event.words}",
        "", "- students of Option A (A), with the sessions of C they attend:", f"  - {event.words}",
    ]  # fmt: skip


def test_nothing_changed_tells_nobody() -> None:
    assert recipient_lines(recipients(_problem(), [])) == []


def test_the_console_counts_whom_to_tell_and_names_who_has_no_address() -> None:
    problem = _problem()
    moved = [
        Moved(
            "U1-main-03",
            _at("U1-main-03", 29),
            _at("U1-main-03", 29),
            "t",
            "",
            "",
            (("T1",), ("T3",)),
        )
    ]
    assert told_lines(recipients(problem, moved)) == [
        'tell       2 teachers and 1 group (changes.md\'s "Whom to tell" gives each what concerns '
        "them; notices.csv a message to each, in the instance's language)",
        "  without an e-mail address in the instance: Zoé Arnaud (T3)",
    ]
    assert told_lines([]) == []


def test_an_event_s_day_due_today_that_goes_is_said_first_and_people_only_changes_give_days() -> (
    None
):
    before = [_event_row("2026-09-19"), _event_row("2026-09-26")]
    after = [_event_row("2026-09-19"), _event_row("2026-10-03")]
    (today,) = changed_events(before, after, today=date(2026, 9, 26)).values()
    assert today.words.startswith("TODAY, tell them now: EV (Séminaire): 2026-09-26 ")
    (later,) = changed_events(before, after, today=date(2026, 9, 20)).values()
    assert not later.words.startswith("TODAY")
    # the same days, other people: the days are said, for those it now lists
    others = [_event_row("2026-09-19", teachers="T2"), _event_row("2026-09-26", teachers="T2")]
    (people,) = changed_events(before, others).values()
    assert people.words == (
        "EV (Séminaire): 2026-09-19 09:00-17:00 at MONS, 2026-09-26 09:00-17:00 at MONS; "
        "teachers T1 -> T2"
    )
