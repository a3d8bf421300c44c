"""A change in words names teachers, rooms, sites and fixed events as people know them, when
the instance is given (changes.md, changes.csv's words, the console): "V1 replaced by T05"
read as codes to the students and teachers the file is sent to (a visitors audit)."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.resolve.changes import Change, Changes


def _problem(tiny_data: dict[str, Any]) -> Problem:
    data = tiny_data
    data["teachers"].append({"id": "T9"})  # no name: its id alone
    data["fixed_events"] = [
        {"id": "EV", "title": "Séminaire  international", "dates": ["2026-09-24"],
         "start": "09:00", "end": "17:00", "site": "MONS", "groups": []},
    ]  # fmt: skip
    return Problem.build(Instance.model_validate(data))


@pytest.mark.parametrize(
    ("change", "named", "bare"),
    [
        (
            {"teacher_replaced": {"teacher": "T1", "by": "T2", "ue": "UE1"}},
            "Anne Lambert (T1) replaced by Marc Dubois (T2) in UE1 from today on",
            "T1 replaced by T2 in UE1 from today on",
        ),
        (
            {"teacher_replaced": {"teacher": "T2"}},
            "Marc Dubois (T2) replaced by nobody (the co-teachers go on) from today on",
            "T2 replaced by nobody (the co-teachers go on) from today on",
        ),
        (
            {"teacher_unavailable": {"teacher": "T9", "date": "2026-09-22", "reason": "congé"}},
            "T9 unavailable on Tuesday 2026-09-22 (congé)",
            "T9 unavailable on Tuesday 2026-09-22 (congé)",
        ),
        (
            {"teacher_available": {"teacher": "T1", "date": "2026-09-22"}},
            "Anne Lambert (T1) available on Tuesday 2026-09-22",
            "T1 available on Tuesday 2026-09-22",
        ),
        (
            {"room_unavailable": {"room": "M-A", "from": "2026-09-21", "to": "2026-09-26"}},
            "room Salle A (M-A) unavailable from 2026-09-21 to 2026-09-26",
            "room M-A unavailable from 2026-09-21 to 2026-09-26",
        ),
        (
            {"site_closed": {"site": "MONS", "date": "2026-09-17"}},
            "site UMONS (MONS) closed on Thursday 2026-09-17",
            "site MONS closed on Thursday 2026-09-17",
        ),
        (
            {"event_moved": {"event": "EV", "dates": ["2026-09-25"]}},
            "fixed event Séminaire international (EV) moved: days from today on 2026-09-25",
            "fixed event EV moved: days from today on 2026-09-25",
        ),
        (  # a session with what it is (a notifying audit read "UE6A-main-03 cancelled")
            {"cancelled": {"session": "UE1-main-02"}},
            "UE1-main-02 (UE1 · Fondements) cancelled",
            "UE1-main-02 cancelled",
        ),
        (  # an id the instance does not have (a file of another year): as it is
            {"teacher_unavailable": {"teacher": "X7", "date": "2026-09-22"}},
            "X7 unavailable on Tuesday 2026-09-22",
            "X7 unavailable on Tuesday 2026-09-22",
        ),
    ],
)
def test_a_change_names_what_it_concerns_by_the_instance(
    tiny_data: dict[str, Any], change: dict[str, Any], named: str, bare: str
) -> None:
    problem = _problem(tiny_data)
    c = Change.model_validate(change)
    assert c.in_words(problem) == named
    assert c.in_words() == bare


def test_the_changes_given_are_listed_with_names(tiny_data: dict[str, Any]) -> None:
    problem = _problem(tiny_data)
    changes = Changes.model_validate(
        {"today": "2026-09-16", "changes": [{"teacher_replaced": {"teacher": "T1", "by": "T2"}}]}
    )
    assert changes.current_in_words(problem) == [
        "changes[0] Anne Lambert (T1) replaced by Marc Dubois (T2) from today on"
    ]


def test_a_bar_in_a_title_or_name_stays_in_its_table_cell(tiny_data: dict[str, Any]) -> None:
    """changes.md's table: a `|` typed in a UE title or a teacher's name split its row into
    more cells than the header has; it is escaped."""
    from datetime import date

    from scheduler.resolve.changes_md import changes_markdown
    from scheduler.resolve.diff import Moved
    from scheduler.solution import Assignment

    tiny_data["teachers"][0]["name"] = "Anne | Lambert"
    tiny_data["ues"][0]["title"] = "Fondements | base"
    problem = _problem(tiny_data)
    changes = Changes.model_validate(
        {
            "today": "2026-09-16",
            "changes": [{"teacher_unavailable": {"teacher": "T1", "date": "2026-09-22"}}],
        }
    )
    before = Assignment("UE1-main-02", date(2026, 9, 22), "TUE-EVE", "N-A")
    after = Assignment("UE1-main-02", date(2026, 9, 24), "THU-EVE", "N-A")
    moved = [Moved("UE1-main-02", before, after, "date", "c", changes.changes[0].in_words(problem))]
    text = changes_markdown(problem, moved, changes, [])
    (row,) = [x for x in text.splitlines() if x.startswith("| UE1-main-02 ")]
    cells = [c for c in row.replace("\\|", "").split("|") if c.strip()]
    assert len(cells) == 6, row
    assert "Fondements \\| base" in row and "Anne \\| Lambert (T1) unavailable" in row
