"""Re-solve edges a mutation audit of `scheduler.resolve` found untested: which change a
move is blamed on, the disruption's points, the revised instance (closed days, absences
clipped to today, a site's every room closed), the changes file's checks, changes.md and
changes.csv (the mutant each test kills is named in its docstring)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from pydantic import ValidationError

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.resolve.apply import Revision, revise
from scheduler.resolve.change_kinds import AddSessions, Pinned, TeacherUnavailable, WindowChanged
from scheduler.resolve.changes import Change, Changes
from scheduler.resolve.changes_csv import changes_csv
from scheduler.resolve.changes_md import event_causes, renumbered
from scheduler.resolve.diff import Moved
from scheduler.solution import Assignment
from tests.resolve.edits_support import edits_instance
from tests.resolve.support import roomy

D = dt.date


def _revise(data: dict[str, Any], published: list[Assignment], changes: dict[str, Any]) -> Revision:
    instance = Instance.model_validate(data)
    return revise(instance, tuple(published), Changes.model_validate(changes), "changes.yaml")


def _saturday_of_two_slots() -> dict[str, Any]:
    data = roomy()
    data["calendar"]["slots"].append(
        {"id": "PM", "weekday": "sat", "start": "13:45", "end": "17:00"}
    )
    return data


# --- apply.py: the cancelled day closed to the series ----------------------------------------


def test_a_cancelled_session_s_whole_day_is_closed_but_a_sibling_s_slot() -> None:
    """A09: the revised instance closes the day's other slots too (not only the cancelled
    one), so that a later re-solve from it does not make the session up that afternoon; the
    slot a sibling holds that day stays open. (roomy's Thursday has one slot: the existing
    test could not tell the slot from the day.)"""
    when = D(2026, 9, 26)  # a Saturday after today
    cancel = {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-01"}}]}
    alone = _revise(_saturday_of_two_slots(), [Assignment("U1-main-01", when, "AM", "M1")], cancel)
    (series,) = next(u for u in alone.instance.ues if u.id == "U1").sessions
    assert [(r.date, r.slots) for r in series.unavailable] == [(when, ("AM", "PM"))]
    sibling = [
        Assignment("U1-main-01", when, "AM", "M1"),
        Assignment("U1-main-02", when, "PM", "M1"),
    ]
    shared = _revise(_saturday_of_two_slots(), sibling, cancel)
    (series,) = next(u for u in shared.instance.ues if u.id == "U1").sessions
    assert [(r.date, r.slots) for r in series.unavailable] == [(when, ("AM",))]


def test_a_session_cancelled_today_closes_today_to_its_series() -> None:
    """A07: a session cancelled on today itself: today is closed to its series in the revised
    instance too ("a day from today on"), so that a later re-solve from the revision with
    an earlier today cannot bring it back that day."""
    today = D(2026, 9, 26)
    revision = _revise(
        _saturday_of_two_slots(),
        [Assignment("U1-main-01", today, "AM", "M1")],
        {"today": today.isoformat(), "changes": [{"cancelled": {"session": "U1-main-01"}}]},
    )
    (series,) = next(u for u in revision.instance.ues if u.id == "U1").sessions
    assert [(r.date, r.slots) for r in series.unavailable] == [(today, ("AM", "PM"))]


def test_a_staff_pin_dated_the_earlier_revision_s_today_is_not_taken_for_a_past_pin() -> None:
    """A17: an earlier re-solve pins only sessions dated before its today (`frozen_before`);
    a pin dated on that today itself is staff's own, so a session cancelled later keeps its
    room from it."""
    data = roomy()
    data["frozen_before"] = "2026-09-19"
    data["pins"] = [{"session": "U1-main-02", "date": "2026-09-19", "slot": "AM", "room": "M2"}]
    published = [Assignment("U1-main-02", D(2026, 9, 19), "AM", "M2")]
    revision = _revise(
        data,
        published,
        {"today": "2026-09-22", "changes": [{"cancelled": {"session": "U1-main-02"}}]},
    )
    assert dict(revision.dropped_pins)["U1-main-02"] == {"room": "M2"}
    assert [p.room for p in revision.instance.pins if p.session == "U1-main-02"] == ["M2"]


def test_a_reordered_session_dropped_leaves_reordered() -> None:
    """A18: a session recorded as `reordered` (made up after a later sibling) then dropped
    is no longer claimed in the revision's `reordered`."""
    data = roomy()
    data["reordered"] = ["U1-main-01"]
    published = [
        Assignment("U1-main-02", D(2026, 9, 17), "THU", "M1"),  # given, after 01's place
        Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1"),
        Assignment("U1-main-03", D(2026, 10, 1), "THU", "M1"),
    ]
    revision = _revise(
        data,
        published,
        {"today": "2026-09-20", "changes": [{"dropped": {"session": "U1-main-01"}}]},
    )
    assert "U1-main-01" in revision.instance.dropped
    assert "U1-main-01" not in revision.instance.reordered


# --- apply_change.py: date rules clipped to today ---------------------------------------------


def _rules_of(revision: Revision, teacher: str) -> list[Any]:
    return list(next(t for t in revision.instance.teachers if t.id == teacher).unavailable)


def test_an_absence_ending_today_still_holds_today() -> None:
    """B02: `to` is today: the rule is kept for today (only a rule wholly before today goes)."""
    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-10", "to": "2026-09-22"}}
    revision = _revise(roomy(), [], {"today": "2026-09-22", "changes": [away]})
    (rule,) = _rules_of(revision, "T1")
    assert (rule.from_, rule.to) == (D(2026, 9, 22), D(2026, 9, 22))


def test_an_absence_begun_before_today_is_clipped_to_today() -> None:
    """B03: the part before today is not written into the instance (the past, pinned where
    it took place, would break it)."""
    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-10", "to": "2026-09-30"}}
    revision = _revise(roomy(), [], {"today": "2026-09-22", "changes": [away]})
    (rule,) = _rules_of(revision, "T1")
    assert (rule.from_, rule.to) == (D(2026, 9, 22), D(2026, 9, 30))


def test_a_teacher_available_again_keeps_their_absence_before_today() -> None:
    """B05: only the slots from today on leave the teacher's `unavailable` rules: the days
    before today stay as they were (what the past was given under)."""
    data = roomy()
    data["teachers"][0]["unavailable"] = [{"from": "2026-09-15", "to": "2026-10-10"}]
    back = {"teacher_available": {"teacher": "T1", "from": "2026-09-15", "to": "2026-09-30"}}
    revision = _revise(data, [], {"today": "2026-09-22", "changes": [back]})
    rules = _rules_of(revision, "T1")
    assert any(r.matches(D(2026, 9, 17), "thu", "THU") for r in rules)  # before today: kept
    assert not any(r.matches(D(2026, 9, 24), "thu", "THU") for r in rules)  # freed
    assert any(r.matches(D(2026, 10, 8), "thu", "THU") for r in rules)  # after: kept


def test_a_teacher_available_wholly_before_today_warns_only_as_past() -> None:
    """B07: a `teacher_available` wholly before today is said once, as a change before
    today (`Changes.past`), not also as "no unavailable rule covers it"."""
    back = {"teacher_available": {"teacher": "T1", "from": "2026-09-15", "to": "2026-09-19"}}
    changes = {"today": "2026-09-22", "changes": [back]}
    revision = _revise(roomy(), [], changes)
    assert revision.warnings == ()
    assert Changes.model_validate(changes).past() == [0]


def test_an_event_moved_keeps_its_days_before_today() -> None:
    """B08: `dates` replaces the days from today on; the days that took place stay."""
    data = edits_instance()
    data["fixed_events"][0]["dates"] = ["2026-09-19", "2026-10-10"]
    moved = {"event_moved": {"event": "EV", "dates": ["2026-10-17"]}}
    revision = _revise(data, [], {"today": "2026-09-22", "changes": [moved]})
    event = next(e for e in revision.instance.fixed_events if e.id == "EV")
    assert tuple(event.dates) == (D(2026, 9, 19), D(2026, 10, 17))


def test_a_site_closed_closes_every_room_of_the_site() -> None:
    """B12: each room of the site gets the rule, not only the first."""
    closed = {"site_closed": {"site": "MONS", "date": "2026-09-24"}}
    revision = _revise(roomy(), [], {"today": "2026-09-20", "changes": [closed]})
    rooms = {r.id: r for s in revision.instance.sites for r in s.rooms}
    for room in ("M1", "M2"):
        assert [r.date for r in rooms[room].unavailable] == [D(2026, 9, 24)], room
    assert not rooms["N1"].unavailable


# --- change_kinds.py / changes.py ------------------------------------------------------------


def test_a_blank_reason_is_no_reason() -> None:
    """C01: a reason of spaces is none (changes.md would say `( )`)."""
    body = TeacherUnavailable.model_validate(
        {"teacher": "T1", "date": "2026-09-24", "reason": "  "}
    )
    assert body.reason is None
    change = Change.model_validate({"teacher_unavailable": body.model_dump(by_alias=True)})
    assert "(" not in change.in_words()


def test_a_pin_with_a_room_does_not_match_another_room() -> None:
    """C04: a placement in another room is not where a pin with a room puts its session (a
    room-only move was otherwise not blamed on the pin)."""
    pin = Pinned(session="U1-main-01", room="M2")
    assert pin.matches(D(2026, 9, 24), "THU", "MONS", "M2")
    assert not pin.matches(D(2026, 9, 24), "THU", "MONS", "M1")


def test_a_window_of_one_day_is_valid() -> None:
    """C05: `to` may equal `from` (only a `to` before `from` is refused)."""
    window = WindowChanged.model_validate({"ue": "U1", "from": "2026-09-24", "to": "2026-09-24"})
    assert window.from_ == window.to == D(2026, 9, 24)
    with pytest.raises(ValidationError):
        WindowChanged.model_validate({"ue": "U1", "from": "2026-09-24", "to": "2026-09-23"})


def test_adding_no_session_is_refused() -> None:
    """C06: `count: 0` adds nothing: refused, as any count below one."""
    with pytest.raises(ValidationError):
        AddSessions.model_validate({"ue": "U1", "count": 0})
    assert AddSessions.model_validate({"ue": "U1"}).count == 1


def test_a_change_dated_today_is_current_not_past() -> None:
    """D01: a teacher away today is a change to re-solve, not one "wholly before today"."""
    changes = Changes.model_validate(
        {
            "today": "2026-09-24",
            "changes": [{"teacher_unavailable": {"teacher": "T1", "date": "2026-09-24"}}],
        }
    )
    assert changes.past() == []
    assert len(changes.current()) == 1


def test_a_change_on_the_calendar_s_last_day_is_inside_it() -> None:
    """D02: a rule starting on the calendar's last day is not "outside the calendar"."""
    changes = Changes.model_validate(
        {
            "today": "2026-09-16",
            "changes": [
                {"teacher_unavailable": {"teacher": "T1", "date": "2026-10-10"}},
                {"room_unavailable": {"room": "M1", "from": "2026-10-10"}},
                {"room_unavailable": {"room": "M2", "from": "2026-10-11"}},
            ],
        }
    )
    assert changes.outside(D(2026, 9, 15), D(2026, 10, 10)) == [2]


# --- changes_md.py / changes_csv.py ----------------------------------------------------------


def _dropped_02() -> tuple[Problem, dict[str, dict[str, str]]]:
    """roomy with U1-main-02 dropped; the published rows of U1 (3 sessions)."""
    data = roomy()
    data["dropped"] = ["U1-main-02"]
    problem = Problem.build(Instance.model_validate(data))
    shown = {
        f"U1-main-0{n}": {
            "session_no": str(n), "ue": "U1", "series": "main", "date": day, "slot": "THU",
            "room": "M1", "start": "18:00", "end": "21:15", "teachers": "T1", "groups": "C",
            "ue_title": "",
        }
        for n, day in ((1, "2026-09-17"), (2, "2026-09-24"), (3, "2026-10-01"))
    }  # fmt: skip
    return problem, shown


def test_a_session_renumbered_today_is_listed() -> None:
    """E03: a session given today whose title's n/N changed is sent again: it is listed (only
    those before today keep their published titles)."""
    problem, shown = _dropped_02()
    removed = Moved("U1-main-02", Assignment("U1-main-02", D(2026, 9, 24), "THU", "M1"), None,
                    "removed", "dropped session=U1-main-02")  # fmt: skip
    found = renumbered(problem, [removed], shown, D(2026, 10, 1))
    assert [(r.session, r.was, r.now) for r in found] == [("U1-main-03", "3/3", "2/2")]


def test_a_session_moved_is_not_also_listed_as_renumbered() -> None:
    """E04: a renumbered session that also moved is in the table of moves; the list of
    sessions renamed, not moved, leaves it out."""
    problem, shown = _dropped_02()
    removed = Moved("U1-main-02", Assignment("U1-main-02", D(2026, 9, 24), "THU", "M1"), None,
                    "removed", "dropped session=U1-main-02")  # fmt: skip
    moved = Moved(
        "U1-main-03",
        Assignment("U1-main-03", D(2026, 10, 1), "THU", "M1"),
        Assignment("U1-main-03", D(2026, 10, 6), "TUE", "M1"),
        "date",
        "knock-on: moved to make room for the changes",
    )
    assert renumbered(problem, [removed], shown, D(2026, 9, 20)) != []
    assert renumbered(problem, [removed, moved], shown, D(2026, 9, 20)) == []


def test_an_event_s_cause_is_its_own_move_only() -> None:
    """E07: with two events moved, each one's cause in changes.md/changes.csv names its own
    `event_moved` alone."""
    changes = Changes.model_validate(
        {
            "today": "2026-09-16",
            "changes": [
                {"event_moved": {"event": "EV", "dates": ["2026-10-17"]}},
                {"event_moved": {"event": "DEPOT", "dates": ["2026-10-29"]}},
            ],
        }
    )
    problem = Problem.build(Instance.model_validate(edits_instance()))
    cause, words = event_causes(problem, changes)("EV")
    assert cause == "event_moved event=EV dates=2026-10-17"
    assert words == "fixed event Journée (EV) moved: days from today on 2026-10-17"
    assert "DEPOT" not in words
    assert event_causes(problem, changes)("OTHER") == (
        "the instance's edits",
        "the instance's edits",
    )


def test_changes_csv_gives_a_removed_session_s_published_hours() -> None:
    """F03: a session the instance no longer has (dropped) keeps the hours it was published
    with in changes.csv's before_start/before_end (from the published rows)."""
    problem, shown = _dropped_02()
    before = Assignment("U1-main-02", D(2026, 9, 24), "THU", "M1")
    removed = Moved("U1-main-02", before, None, "removed", "dropped session=U1-main-02",
                    "U1-main-02 dropped (not given)")  # fmt: skip
    (row,) = csv.DictReader(io.StringIO(changes_csv(problem, [removed], shown)))
    assert (row["before_start"], row["before_end"]) == ("18:00", "21:15")
    assert (row["after_start"], row["after_end"]) == ("", "")
    assert (row["ue"], row["groups"], row["before_teachers"]) == ("U1", "C", "T1")


# --- diff.py: which change a move is blamed on ------------------------------------------------

from scheduler.resolve.diff import compare, today_against_latest  # noqa: E402


def _cause_of(data: dict[str, Any], moves: dict[str, tuple[Assignment, Assignment]],
              changes: dict[str, Any]) -> dict[str, str]:  # fmt: skip
    problem = Problem.build(Instance.model_validate(data))
    before = {sid: b for sid, (b, _) in moves.items()}
    after = tuple(a for _, a in moves.values())
    return {
        m.session: m.cause for m in compare(problem, before, after, Changes.model_validate(changes))
    }


KNOCK_ON = "knock-on: moved to make room for the changes"


@pytest.mark.parametrize(
    "change",
    [
        {"teacher_unavailable": {"teacher": "T1", "date": "2026-09-17"}},  # G01: not U2's teacher
        {"room_unavailable": {"room": "M2", "date": "2026-09-17"}},  # G02: not U2's room
        {"site_closed": {"site": "NAMUR", "date": "2026-09-17"}},  # G03: not U2's site
    ],
)
def test_a_closure_is_not_blamed_for_a_session_it_does_not_concern(change: dict[str, Any]) -> None:
    """G01-G03: a session of T2 in M1 (MONS), moved off a day a change closes for another
    teacher, room or site, moved as a knock-on, not for that change."""
    moves = {
        "U2-main-01": (
            Assignment("U2-main-01", D(2026, 9, 17), "THU", "M1"),
            Assignment("U2-main-01", D(2026, 9, 24), "THU", "M1"),
        )
    }
    assert _cause_of(roomy(), moves, {"today": "2026-09-16", "changes": [change]}) == {
        "U2-main-01": KNOCK_ON
    }


def test_an_absence_over_a_session_s_second_slot_is_its_cause() -> None:
    """G04: a 2-slot session whose second slot the teacher is away in moved for the
    absence."""
    data = _saturday_of_two_slots()
    data["ues"].append(
        {"id": "U9", "teachers": ["T3"], "groups": ["C"], "sessions": [{"count": 1, "length": 2}]}
    )
    moves = {
        "U9-main-01": (
            Assignment("U9-main-01", D(2026, 9, 26), "AM", "M1"),
            Assignment("U9-main-01", D(2026, 10, 3), "AM", "M1"),
        )
    }
    away = {"teacher_unavailable": {"teacher": "T3", "date": "2026-09-26", "slots": ["PM"]}}
    cause = _cause_of(data, moves, {"today": "2026-09-16", "changes": [away]})
    assert cause == {"U9-main-01": "teacher_unavailable date=2026-09-26 slots=PM teacher=T3"}


def test_a_move_to_another_day_and_slot_is_a_date_change() -> None:
    """G07: `time` is a change within the same day; another day is `date` (whatever the
    slot)."""
    problem = Problem.build(Instance.model_validate(roomy()))
    before = {"U1-main-01": Assignment("U1-main-01", D(2026, 9, 17), "THU", "M1")}
    after = (Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1"),)
    changes = Changes.model_validate({"today": "2026-09-16", "changes": []})
    (moved,) = compare(problem, before, after, changes)
    assert moved.what == "date"


def test_a_knock_on_names_the_session_that_took_its_slot_in_another_room() -> None:
    """G11: the make-up took the knocked session's slot in another room, with students in
    common (group A is part of C): the knock-on names it."""
    moves = {
        "U1-main-01": (
            Assignment("U1-main-01", D(2026, 9, 17), "THU", "M1"),
            Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1"),
        ),
        "U2-main-01": (
            Assignment("U2-main-01", D(2026, 9, 19), "AM", "M1"),
            Assignment("U2-main-01", D(2026, 9, 17), "THU", "M2"),
        ),
    }
    cancel = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "U2-main-01"}}]}
    assert _cause_of(roomy(), moves, cancel)["U1-main-01"] == (
        "knock-on: moved to make room for U2-main-01 (cancelled session=U2-main-01)"
    )


def test_a_session_on_the_same_day_in_the_same_area_did_not_take_a_knock_on_s_place() -> None:
    """G12: the second search (same day, another area: one site a day) does not name a mover
    in the same area at another hour of that day."""
    moves = {
        "U1-main-01": (
            Assignment("U1-main-01", D(2026, 9, 19), "AM", "M1"),
            Assignment("U1-main-01", D(2026, 9, 26), "AM", "M1"),
        ),
        "U2-main-01": (
            Assignment("U2-main-01", D(2026, 9, 22), "TUE", "M1"),
            Assignment("U2-main-01", D(2026, 9, 19), "PM", "M1"),
        ),
    }
    cancel = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "U2-main-01"}}]}
    assert _cause_of(_saturday_of_two_slots(), moves, cancel)["U1-main-01"] == KNOCK_ON


def test_a_session_moved_within_today_is_warned_of_against_the_latest() -> None:
    """G15: given today in the latest revision and today in another slot here: its people
    must be told now."""
    today = D(2026, 9, 19)
    latest = [Assignment("U1-main-01", today, "AM", "M1")]
    after = [Assignment("U1-main-01", today, "PM", "M1")]
    lines = today_against_latest(latest, after, today, "rev-2")
    assert len(lines) == 1 and "U1-main-01 is given today (PM)" in lines[0]
    assert today_against_latest(latest, latest, today, "rev-2") == []


def test_a_session_of_another_series_is_not_said_added_by_add_sessions() -> None:
    """G16: `add_sessions` to U1's main series does not account for a session new in another
    series of U1 (the instance's edits added it)."""
    problem = Problem.build(Instance.model_validate(roomy()))
    changes = Changes.model_validate(
        {"today": "2026-09-16", "changes": [{"add_sessions": {"ue": "U1", "series": "main"}}]}
    )
    after = (
        Assignment("U1-main-04", D(2026, 10, 1), "THU", "M1"),
        Assignment("U1-tp-01", D(2026, 10, 3), "AM", "M1"),
    )
    causes = {m.session: m.cause for m in compare(problem, {}, after, changes)}
    assert causes == {
        "U1-main-04": "add_sessions ue=U1 series=main count=1",
        "U1-tp-01": "new session",
    }


def test_a_session_on_a_moved_event_s_day_that_it_can_share_is_not_blamed_on_the_move() -> None:
    """G18: on the event's new day, but with no teacher, students or room in common and at
    its site: the move did not make it move."""
    data = edits_instance()
    data["fixed_events"][0]["groups"] = []  # EV, at NAMUR on 2026-10-10, for nobody now
    moves = {
        "U1-main-01": (
            Assignment("U1-main-01", D(2026, 10, 10), "AM", "N1"),
            Assignment("U1-main-01", D(2026, 10, 17), "AM", "N1"),
        )
    }
    moved = {"event_moved": {"event": "EV", "dates": ["2026-10-10"]}}
    cause = _cause_of(data, moves, {"today": "2026-09-16", "changes": [moved]})
    assert cause == {"U1-main-01": KNOCK_ON}


# --- disruption.py: the weights --------------------------------------------------------------

from ortools.sat.python import cp_model  # noqa: E402

from scheduler.resolve.disruption import DisruptionWeights, disruption, re_solve_hard_model  # noqa: E402


def _disruption_of(today: str, new: Assignment) -> int:
    """The disruption of U3-main-01 (T3, group B of 10: 11 people), published on Tuesday
    2026-09-29 in M1 and cancelled, made up at `new`."""
    data = roomy()
    data["ues"] = [data["ues"][2]]
    published = [Assignment("U3-main-01", D(2026, 9, 29), "TUE", "M1")]
    cancel = {"today": today, "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    return forced_disruption(_revise(data, published, cancel), new)


def forced_disruption(revision: Revision, new: Assignment) -> int:
    """The disruption of `revision` with its one session forced to `new`, proved least."""
    built = re_solve_hard_model(Problem.build(revision.instance), revision)
    for c, var in built.variables.x.items():
        built.model.add(
            var == int((c.start.date, c.start.slot, c.room) == (new.date, new.slot, new.room))
        )
    built.model.minimize(disruption(built, revision, DisruptionWeights()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


@pytest.mark.parametrize(
    ("today", "room", "points"),
    [
        ("2026-09-15", "M1", 11 * (100 + 10)),  # H02: published 14 days on: not soon
        ("2026-09-16", "M1", 11 * (100 + 10) * 3),  # H03: 13 days on: soon, x3
        ("2026-09-15", "N1", 11 * (100 + 10 + 30 + 10)),  # another site and room
    ],
)
def test_the_disruption_of_a_make_up_a_week_later(today: str, room: str, points: int) -> None:
    """H02-H06: date 100 + one week 10 (+ site 30 + room 10), times its 11 people (10
    students and its teacher), times 3 when it was published within 14 days of today."""
    assert _disruption_of(today, Assignment("U3-main-01", D(2026, 10, 6), "TUE", room)) == points


def test_a_session_staying_today_stays_at_its_site_in_the_model() -> None:
    """H07: the re-solve's model keeps a session published today at its site (another room
    there if need be): `may_place` alone was tested, not the constraint it gives."""
    today = D(2026, 9, 19)
    revision = _revise(roomy(), [Assignment("U1-main-01", today, "AM", "M1")],
                       {"today": today.isoformat(), "changes": []})  # fmt: skip
    built = re_solve_hard_model(Problem.build(revision.instance), revision)

    def feasible(room: str) -> bool:
        model = built.model.clone()
        for c, var in built.variables.x.items():
            if (c.session.id, c.start.date, c.room) == ("U1-main-01", today, room):
                model.add(var == 1)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    assert feasible("M2")  # another room at MONS: fine
    assert not feasible("N1")  # another town the same morning: never


# --- disruption_words.py -----------------------------------------------------------------------

from scheduler.resolve.disruption_words import other_town_lines  # noqa: E402


def test_a_site_weighing_as_much_as_a_date_still_gets_the_other_town_note() -> None:
    """I01: only a moved site weighing more than a moved date makes the note needless."""
    problem = Problem.build(Instance.model_validate(roomy()))
    day = D(2026, 9, 17)
    m = Moved("U1-main-01", Assignment("U1-main-01", day, "THU", "M1"),
              Assignment("U1-main-01", day, "THU", "N1"), "site+room", "")  # fmt: skip
    assert len(other_town_lines(problem, [m], DisruptionWeights(site=100, date=100))) == 1
    assert other_town_lines(problem, [m], DisruptionWeights(site=101, date=100)) == []


def test_a_session_whose_sites_leave_its_old_town_out_gets_no_weight_advice() -> None:
    """An instance edited before the re-solve keeps U1 at NAMUR: no weight could keep it at
    MONS, so the note's `--w-site` advice would be wrong."""
    data = roomy()
    data["ues"][0]["sites"] = ["NAMUR"]
    problem = Problem.build(Instance.model_validate(data))
    day = D(2026, 9, 17)
    m = Moved("U1-main-01", Assignment("U1-main-01", day, "THU", "M1"),
              Assignment("U1-main-01", day, "THU", "N1"), "site+room", "")  # fmt: skip
    assert other_town_lines(problem, [m], DisruptionWeights()) == []
    data["ues"][0]["sites"] = ["NAMUR", "MONS"]
    problem = Problem.build(Instance.model_validate(data))
    assert len(other_town_lines(problem, [m], DisruptionWeights())) == 1


# --- thaw.py -----------------------------------------------------------------------------------

from scheduler.data.instance import Pin  # noqa: E402
from scheduler.resolve.thaw import Earlier, pins_before_frozen, thawed  # noqa: E402


def test_a_pin_with_a_site_is_staff_s_and_not_lifted_as_frozen() -> None:
    """J02: a revision freezes with date, slot and room alone; a pin giving a site too is a
    `pinned` change's: an earlier today keeps it."""
    data = roomy()
    day = D(2026, 9, 17)
    data["pins"] = [
        {
            "session": "U1-main-01",
            "date": day.isoformat(),
            "slot": "THU",
            "room": "M1",
            "site": "MONS",
        }
    ]
    instance = Instance.model_validate(data)
    published = (Assignment("U1-main-01", day, "THU", "M1"),)
    kept, lifted = thawed(instance, published, D(2026, 9, 16), D(2026, 9, 20))
    assert lifted == () and kept.pins == instance.pins
    frozen = instance.model_copy(
        update={"pins": (Pin(session="U1-main-01", date=day, slot="THU", room="M1"),)}
    )
    assert thawed(frozen, published, D(2026, 9, 16), D(2026, 9, 20))[1] == ("U1-main-01",)


def test_the_pins_before_freezing_come_from_a_revision_of_the_session_s_own_day() -> None:
    """J03: a revision re-solved for the very day a session was given had it still to give
    (only sessions before its today are frozen): its pins are the session's."""
    day = D(2026, 9, 17)
    first = Instance.model_validate(roomy())
    data = roomy()
    data["pins"] = [{"session": "U1-main-01", "date": day.isoformat(), "slot": "THU"}]
    that_day = Instance.model_validate(data)
    pins = pins_before_frozen({"U1-main-01": day}, [Earlier(day, that_day), Earlier(None, first)])
    assert pins == that_day.pins


# --- pin_sessions.py ---------------------------------------------------------------------------

from scheduler.resolve.pin_sessions import pins_of_added, undated  # noqa: E402


def test_a_dated_pin_of_a_cancelled_session_leaves_its_slot_with_its_date() -> None:
    """K05: the slot of a dated pin was that day's: the make-up keeps its site and room only;
    an undated pin's slot (a series moved to an evening) stays."""
    dated = {"session": "U1-main-01", "date": "2026-09-24", "slot": "THU", "room": "M2"}
    assert undated(dated) == {"room": "M2"}
    assert undated({"session": "U1-main-01", "slot": "THU", "site": "NAMUR"}) == {
        "slot": "THU", "site": "NAMUR"
    }  # fmt: skip


def test_sessions_added_get_no_pin_when_their_series_shares_none() -> None:
    """K06: an added session joins its series' pin only when every session still to give
    has that same pin."""
    data = roomy()
    data["ues"][0]["sessions"][0]["count"] = 4  # one added to U1's 3
    before = {"U1-main": 3}
    pins = [
        {"session": "U1-main-01", "room": "M1"},
        {"session": "U1-main-02", "room": "M2"},
        {"session": "U1-main-03", "room": "M2"},
    ]
    assert pins_of_added(data, before, pins, set()) == []
    same = [{**p, "room": "M2"} for p in pins]
    assert pins_of_added(data, before, same, set()) == [{"session": "U1-main-04", "room": "M2"}]


# --- published_rows.py -------------------------------------------------------------------------

from scheduler.resolve.published_rows import session_hours  # noqa: E402


def test_a_two_slot_session_ends_when_its_second_slot_ends() -> None:
    """L03: changes.md and changes.csv give a 2-slot session's hours from its first slot's
    start to its last slot's end."""
    data = _saturday_of_two_slots()
    data["ues"].append(
        {"id": "U9", "teachers": ["T3"], "groups": ["C"], "sessions": [{"count": 1, "length": 2}]}
    )
    problem = Problem.build(Instance.model_validate(data))
    a = Assignment("U9-main-01", D(2026, 9, 26), "AM", "M1")
    assert session_hours(problem, a, problem.session["U9-main-01"]) == ("09:00", "17:00")


# --- window_change.py --------------------------------------------------------------------------


def test_a_window_may_begin_on_the_day_a_session_was_given() -> None:
    """O01: the new window holds a session given on its first day."""
    published = [Assignment("U1-main-01", D(2026, 9, 17), "THU", "M1")]
    window = {"window": {"ue": "U1", "from": "2026-09-17", "to": "2026-10-10"}}
    revision = _revise(roomy(), published, {"today": "2026-09-20", "changes": [window]})
    (ue,) = [u for u in revision.instance.ues if u.id == "U1"]
    assert (ue.window.from_, ue.window.to) == (D(2026, 9, 17), D(2026, 10, 10))


def test_a_window_may_leave_out_a_session_still_to_give() -> None:
    """O03: only the sessions given must stay in the new window; one published after today
    outside it moves."""
    published = [
        Assignment("U1-main-01", D(2026, 9, 17), "THU", "M1"),
        Assignment("U1-main-03", D(2026, 10, 8), "THU", "M1"),
    ]
    window = {"window": {"ue": "U1", "to": "2026-10-03"}}
    revision = _revise(roomy(), published, {"today": "2026-09-20", "changes": [window]})
    (ue,) = [u for u in revision.instance.ues if u.id == "U1"]
    assert ue.window.to == D(2026, 10, 3)


# --- event_warnings.py -------------------------------------------------------------------------

from scheduler.resolve.event_warnings import events_at_closed_sites  # noqa: E402


def test_a_site_closed_today_on_an_event_s_day_is_warned_of() -> None:
    """R01: the event's day today at a site the changes close is said ("from today on")."""
    problem = Problem.build(Instance.model_validate(edits_instance()))
    changes = Changes.model_validate(
        {
            "today": "2026-10-10",
            "changes": [{"site_closed": {"site": "NAMUR", "date": "2026-10-10"}}],
        }
    )
    (finding,) = events_at_closed_sites(problem, changes)
    assert finding.entities == ("EV", "2026-10-10", "NAMUR")


# --- repair_rings.py ---------------------------------------------------------------------------

from scheduler.resolve.repair_rings import rings  # noqa: E402


def test_a_ring_never_frees_a_session_given_before_today() -> None:
    """T01: the series ring of a cancelled session leaves out its siblings given already."""
    published = [
        Assignment("U1-main-01", D(2026, 9, 17), "THU", "M1"),
        Assignment("U1-main-02", D(2026, 9, 24), "THU", "M1"),
        Assignment("U1-main-03", D(2026, 10, 1), "THU", "M1"),
    ]
    revision = _revise(
        roomy(),
        published,
        {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-02"}}]},
    )
    assert revision.frozen == {"U1-main-01"}
    widening = rings(Problem.build(revision.instance), revision, {"U1-main-02"})
    assert widening[1] >= {"U1-main-02", "U1-main-03"}
    assert not set().union(*widening) & revision.frozen


# --- diagnose.py -------------------------------------------------------------------------------

from scheduler.data.domains import Placement  # noqa: E402
from scheduler.model.explain import Explanation  # noqa: E402
from scheduler.model.rule_groups import RuleGroup  # noqa: E402
from scheduler.resolve.diagnose import _detail, _past_said_as_past  # noqa: E402


def test_a_series_closed_on_another_day_is_not_said_to_be_the_cancelled_day() -> None:
    """W02: "the day it was cancelled on" is said of that day only; the series' own
    `unavailable` rule elsewhere is said in its own words."""
    data = roomy()
    data["ues"][0]["sessions"][0]["unavailable"] = [{"date": "2026-10-01"}]
    published = [Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1")]
    revision = _revise(
        data,
        published,
        {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-01"}}]},
    )
    problem = Problem.build(revision.instance)
    s = problem.session["U1-main-01"]

    def at(day: D) -> Placement:
        held = problem.held(s, day, "THU")
        assert held is not None
        return Placement(s, held, "M1", "MONS")

    cancelled_day = _detail(problem, revision, "series_availability", at(D(2026, 9, 24)))
    assert "the day it was cancelled on" in cancelled_day
    other_day = _detail(problem, revision, "series_availability", at(D(2026, 10, 1)))
    assert "the day it was cancelled on" not in other_day


def test_only_a_pin_of_a_session_given_is_said_as_given() -> None:
    """W04: a staff pin of a session still to give, in a conflict, is said as the pin it
    is, not as "took place ... and stays as given"."""
    today = D(2026, 9, 20)
    revision = Revision(
        instance=None,  # type: ignore[arg-type]  # not read
        today=today,
        frozen=frozenset({"U1-main-01"}),
        previous={
            "U1-main-01": Assignment("U1-main-01", D(2026, 9, 17), "THU", "M1"),
            "U1-main-02": Assignment("U1-main-02", D(2026, 9, 24), "THU", "M1"),
        },
    )
    explanation = Explanation(
        findings=[],
        core=[RuleGroup("pin", "U1-main-01"), RuleGroup("pin", "U1-main-02")],
        sentences=["the pin of U1-main-01", "the pin of U1-main-02"],
        feasible=False,
    )
    said = _past_said_as_past(explanation, revision).sentences
    assert said[0].startswith("U1-main-01 took place on")
    assert said[1] == "the pin of U1-main-02"


# --- a bug (fails on the code as it is): an event day today binds a make-up ----------------------


def test_a_make_up_is_unbound_from_an_event_held_today() -> None:
    """A session cancelled comes back after today, never before an event held today: the
    precedence `U3 before EXAM` can no longer bind it (as for an event day before today),
    else the re-solve has no timetable and says to relax a precedence no change can."""
    data = roomy()
    data["fixed_events"] = [
        {
            "id": "EXAM",
            "dates": ["2026-09-26"],
            "start": "14:00",
            "end": "16:00",
            "groups": [],
            "site": "MONS",
        }
    ]
    data["precedences"] = [{"before": "U3", "after": "EXAM"}]
    published = [Assignment("U3-main-01", D(2026, 9, 24), "THU", "M1")]
    revision = _revise(
        data,
        published,
        {"today": "2026-09-26", "changes": [{"cancelled": {"session": "U3-main-01"}}]},
    )
    assert revision.unbound == (
        "U3-main-01 comes back after today's EXAM: the precedence U3 before EXAM no longer "
        "binds it",
    )
    assert not revision.instance.precedences


# --- solve.py ----------------------------------------------------------------------------------


def test_a_disruption_not_proved_minimal_leaves_the_timetable_feasible(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """V01: when the least-disruption step proves nothing (its time ran out), the second
    step's OPTIMAL holds only among timetables of that disruption: the result is FEASIBLE."""
    from dataclasses import replace

    from scheduler.model.cpsat import SolveOptions
    from scheduler.resolve import solve as resolve_module
    from scheduler.solution import Status

    real, calls = resolve_module.run, []

    def first_unproved(*args: Any, **kwargs: Any) -> Any:
        solver, result = real(*args, **kwargs)
        calls.append(result.status)
        if len(calls) == 1 and result.status == Status.OPTIMAL:
            result = replace(result, status=Status.FEASIBLE)
        return solver, result

    monkeypatch.setattr(resolve_module, "run", first_unproved)
    published = [Assignment("U3-main-01", D(2026, 9, 29), "TUE", "M1")]
    data = roomy()
    data["ues"] = [data["ues"][2]]
    cancel = {"today": "2026-09-16", "changes": [{"cancelled": {"session": "U3-main-01"}}]}
    revision = _revise(data, published, cancel)
    options = SolveOptions(time_limit=10, workers=1, deterministic=True)
    outcome = resolve_module.resolve(
        Problem.build(revision.instance), revision, options, DisruptionWeights()
    )
    assert calls == [Status.OPTIMAL, Status.OPTIMAL]  # both steps proved, the first hidden
    assert outcome.disruption_optimal is False
    assert outcome.result.status == Status.FEASIBLE
