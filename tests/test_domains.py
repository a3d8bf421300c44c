"""The fast domain computation gives exactly what every filter applied to every placement gives."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from scheduler.check import check
from scheduler.data.domains import FILTERS, candidates, raw_placements
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.instance_io import load_instance
from scheduler.solution import Assignment
from tests.conftest import SAMPLE, TINY, problem_of


@pytest.mark.parametrize("source", ["tiny", "sample", "generated"])
def test_candidates_equal_brute_force(source: str) -> None:
    if source == "generated":
        instance = generate_instance(2, 5)
    else:
        instance = load_instance(TINY if source == "tiny" else SAMPLE)
    p = Problem.build(instance)
    for s in p.sessions:
        brute = [c for c in raw_placements(p, s) if all(f(p, c) for _, f in FILTERS)]
        assert candidates(p, s) == brute, s.id


def test_a_room_without_a_required_feature_is_blamed_on_features() -> None:
    """Capacity and features were one filter named room_capacity: a pin to a large room
    lacking a feature was explained as a capacity problem."""
    problem = Problem.build(load_instance(TINY))
    session = next(s for s in problem.sessions if s.room_features)
    rejected_by = {
        (c.room, name)
        for c in raw_placements(problem, session)
        for name, f in FILTERS
        if not f(problem, c)
    }
    equipped = {
        r for r, room in problem.room.items() if set(session.room_features) <= set(room.features)
    }
    for room in set(problem.room) - equipped:
        assert (room, "room_features") in rejected_by
    assert not any(name == "room_features" and room in equipped for room, name in rejected_by)


def test_a_re_solve_s_instance_places_nothing_new_before_its_day() -> None:
    """`frozen_before`: a session starts before it only where it is pinned (a review found
    the solver side untested: the sessions before it were pinned anyway)."""
    tiny = load_instance(TINY)
    given = next(s for s in Problem.build(tiny).sessions if s.id == "UE1-main-01")
    pin = {"session": given.id, "date": "2026-09-15"}
    problem = Problem.build(
        tiny.replace(frozen_before="2026-09-24", pins=[*tiny.model_dump()["pins"], pin])
    )
    day = problem.instance.frozen_before
    assert day is not None
    for session in problem.sessions:
        starts = {c.start.date for c in candidates(problem, session)}
        if session.id == given.id:
            assert min(starts) < day  # its pinned day
        else:
            assert starts and min(starts) >= day, session.id
    assert any(c.start.date == day for s in problem.sessions for c in candidates(problem, s))


LUNCH_GAP = {
    "name": "lunch-gap",
    "timezone": "Europe/Brussels",
    "calendar": {
        "start": "2029-10-01",
        "end": "2029-10-02",
        "slots": [
            {"id": f"{day.upper()}-{half}", "weekday": day, "start": start, "end": end}
            for day in ("mon", "tue")
            for half, start, end in (("AM", "09:00", "12:00"), ("PM", "13:00", "16:00"))
        ],
    },
    "sites": [{"id": "S", "name": "Site", "rooms": [{"id": "R", "name": "R", "capacity": 30}]}],
    "groups": [{"id": "G", "name": "Cohort", "size": 20}],
    "teachers": [{"id": "T", "name": "Teacher"}],
    "ues": [
        {
            "id": "DAY",
            "title": "Full-day workshop",
            "teachers": ["T"],
            "groups": ["G"],
            "sessions": [{"count": 1, "length": 2}],
        }
    ],
    "fixed_events": [
        {
            "id": "LUNCH",
            "title": "Lunch seminar",
            "site": "S",
            "rooms": ["R"],
            "dates": ["2029-10-01"],
            "start": "12:00",
            "end": "13:00",
            "groups": ["G"],
        }
    ],
}


def test_an_event_in_the_break_of_a_two_slot_session_overlaps_it() -> None:
    """The session is shown 09:00-16:00 in every export: a 12:00-13:00 event in its room
    (or with its students) on Monday leaves it Tuesday only, and the checker says so of a
    Monday timetable (an audit: every output showed the clash)."""
    problem = problem_of(LUNCH_GAP)
    session = problem.sessions[0]
    assert {c.start.date.isoformat() for c in candidates(problem, session)} == {"2029-10-02"}
    monday = Assignment(session.id, dt.date(2029, 10, 1), "MON-AM", "R")
    rules = {v.rule for v in check(problem, [monday]).violations}
    assert {"room_double_booking", "group_double_booking"} <= rules
    tuesday = Assignment(session.id, dt.date(2029, 10, 2), "TUE-AM", "R")
    assert check(problem, [tuesday]).violations == ()


@pytest.mark.parametrize(
    ("before", "after", "starts"),
    [
        ("DAY", "LUNCH", {("2029-10-01", "MON-AM")}),  # ends at 12:00, as the event starts
        ("LUNCH", "DAY", {("2029-10-01", "MON-PM"), ("2029-10-02", "TUE-AM"),
                          ("2029-10-02", "TUE-PM")}),  # starts at 13:00, as the event ends
    ],
)  # fmt: skip
def test_a_precedence_with_a_fixed_event_holds_back_to_back(
    before: str, after: str, starts: set[tuple[str, str]]
) -> None:
    """A session before (after) a fixed event may end (start) the minute it starts (ends), as
    the checker's precedence does: a mutation audit found the end's bound untested (an only
    placement back to back would have been a false "can be placed nowhere")."""
    data = copy.deepcopy(LUNCH_GAP)
    data["ues"][0]["sessions"] = [{"count": 1}]
    data["fixed_events"][0] |= {"groups": [], "rooms": []}
    data["precedences"] = [{"before": before, "after": after}]
    problem = problem_of(data)
    session = problem.sessions[0]
    found = {(c.start.date.isoformat(), c.start.slot) for c in candidates(problem, session)}
    assert found == starts
    for day, slot in starts:
        placed = Assignment(session.id, dt.date.fromisoformat(day), slot, "R")
        assert check(problem, [placed]).violations == ()
