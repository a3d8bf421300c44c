"""Re-solve tests a second mutation audit of `scheduler.resolve` found missing: what a
re-solve from an earlier today lifts, what a move is blamed on, the disruption's points,
a window's bounds (the mutant each test kills is named in its docstring)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.resolve.apply import revise
from scheduler.resolve.apply_change import apply_change
from scheduler.resolve.change_kinds import TeacherReplaced, WindowChanged
from scheduler.resolve.changes import Change, Changes
from scheduler.resolve.diff import Moved, compare, moved_in_words, today_against_latest
from scheduler.resolve.pin_sessions import pins_of_added
from scheduler.resolve.replace_teacher import replace_teacher
from scheduler.resolve.thaw import thawed
from scheduler.resolve.window_change import change_window
from scheduler.solution import Assignment
from tests.resolve.edits_support import edits_instance
from tests.resolve.support import roomy
from tests.resolve.test_resolve_edges import _revise, _saturday_of_two_slots, forced_disruption

D = dt.date
KNOCK_ON = "knock-on: moved to make room for the changes"


def _disruption_of(data: dict[str, Any], published: Assignment, today: str, new: Assignment) -> int:
    """The disruption of `published`'s session (U3: T3 and group B of 10, 11 people), kept by
    no change, forced to `new`."""
    data["ues"] = [u for u in data["ues"] if u["id"] == "U3"]
    return forced_disruption(_revise(data, [published], {"today": today, "changes": []}), new)


def _causes(
    data: dict[str, Any], before: Assignment, after: Assignment, change: dict[str, Any]
) -> dict[str, str]:
    """What `compare` blames the move of one session from `before` to `after` on."""
    problem = Problem.build(Instance.model_validate(data))
    changes = Changes.model_validate({"today": "2026-09-16", "changes": [change]})
    return {
        m.session: m.cause for m in compare(problem, {before.session: before}, (after,), changes)
    }


# --- thaw.py: what a re-solve from an earlier today lifts ------------------------------------


def _pinned_instance(pin: dict[str, Any]) -> Instance:
    data = roomy()
    data["pins"] = [pin]
    return Instance.model_validate(data)


def test_a_staff_pin_without_a_room_is_not_taken_for_a_frozen_pin() -> None:
    """thaw.py:29, `(pin.date, pin.slot, pin.room) == ...` -> `(pin.date, pin.slot) == ...`:
    a pin staff gave a session (a date and slot, no room) where it then took place is not one
    a revision froze it with (those name the room): a re-solve from an earlier today keeps it,
    as it keeps every pin of staff's."""
    pin = {"session": "U1-main-01", "date": "2026-09-22", "slot": "TUE"}
    instance = _pinned_instance(pin)
    published = (Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1"),)
    thawed_instance, lifted = thawed(instance, published, D(2026, 9, 16), D(2026, 9, 26))
    assert lifted == ()
    assert [p.session for p in thawed_instance.pins] == ["U1-main-01"]
    # the pin a revision froze it with (date, slot and room) is lifted
    frozen = _pinned_instance({**pin, "room": "M1"})
    assert thawed(frozen, published, D(2026, 9, 16), D(2026, 9, 26))[1] == ("U1-main-01",)


def test_a_pin_of_a_session_given_on_the_revision_s_today_is_not_lifted() -> None:
    """thaw.py:27, `today <= placed.date < until` -> `... <= until`: a revision froze the
    sessions given before its today (`until`), not those of that day itself; a pin naming a
    session where it was published on that day (staff's: the session stays tonight) is not a
    frozen one, and a re-solve from an earlier today must not lift it."""
    until = D(2026, 9, 26)
    instance = _pinned_instance(
        {"session": "U1-main-01", "date": until.isoformat(), "slot": "AM", "room": "M1"}
    )
    published = (Assignment("U1-main-01", until, "AM", "M1"),)
    thawed_instance, lifted = thawed(instance, published, D(2026, 9, 16), until)
    assert lifted == ()
    assert thawed_instance is instance


# --- disruption.py: the points ---------------------------------------------------------------


def test_a_session_moved_to_another_slot_the_same_day_costs_a_moved_date() -> None:
    """disruption.py:110, `(c.start.date, c.start.slot) == (old.date, old.slot)` ->
    `c.start.date == old.date`: a session sent from the morning to the afternoon of its day
    is moved (people must be told): w_date 100 times its 11 people (published 18 days on: not
    soon)."""
    published = Assignment("U3-main-01", D(2026, 10, 3), "AM", "M1")
    new = Assignment("U3-main-01", D(2026, 10, 3), "PM", "M1")
    assert _disruption_of(_saturday_of_two_slots(), published, "2026-09-15", new) == 11 * 100


def test_a_session_published_today_and_moved_counts_as_soon() -> None:
    """disruption.py:116, `revision.today <= old.date < soon` -> `revision.today < old.date
    < soon`: a session published on today itself is the soonest there is (x3): moved a week
    on, 11 x (100 + 10) x 3."""
    today = D(2026, 9, 29)
    published = Assignment("U3-main-01", today, "TUE", "M1")
    new = Assignment("U3-main-01", D(2026, 10, 6), "TUE", "M1")
    assert _disruption_of(roomy(), published, today.isoformat(), new) == 11 * (100 + 10) * 3


# --- diff.py: what a move is blamed on -------------------------------------------------------


def test_a_session_already_where_a_series_pin_puts_it_is_not_moved_for_the_pin() -> None:
    """diff.py:63, `and not pin.matches(...)` -> `and True`: a series pinned to MONS does not
    move a session published at MONS; moved anyway, it made room for the changes."""
    before = Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")
    after = Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1")
    pin = {"pinned": {"series": "U1-main", "site": "MONS"}}
    assert _causes(roomy(), before, after, pin) == {"U1-main-01": KNOCK_ON}
    away = {"pinned": {"series": "U1-main", "site": "NAMUR"}}
    assert _causes(roomy(), before, after, away)["U1-main-01"].startswith("pinned")


def test_a_session_inside_its_new_window_is_not_moved_for_the_window() -> None:
    """diff.py:71, `and not s.window.contains(a.date)` -> `and True`: a window change moves
    the sessions its new window leaves out, not one published inside it."""
    data = roomy()
    data["ues"][2]["window"] = {"from": "2026-09-15", "to": "2026-10-10"}
    before = Assignment("U3-main-01", D(2026, 9, 22), "TUE", "N1")
    after = Assignment("U3-main-01", D(2026, 9, 24), "THU", "N1")
    window = {"window": {"ue": "U3", "from": "2026-09-15"}}
    assert _causes(data, before, after, window) == {"U3-main-01": KNOCK_ON}
    data["ues"][2]["window"] = {"from": "2026-09-23", "to": "2026-10-10"}
    narrowed = {"window": {"ue": "U3", "from": "2026-09-23"}}
    assert _causes(data, before, after, narrowed)["U3-main-01"].startswith("window")


def test_a_session_moved_to_another_day_than_the_teacher_is_freed_is_not_moved_for_it() -> None:
    """diff.py:83, `free.matches(revised.date, ...)` -> `True`: a teacher available again
    moves their sessions into the slots it frees, not to any other day."""
    before = Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")
    free = {"teacher_available": {"teacher": "T1", "date": "2026-09-24"}}
    later = Assignment("U1-main-01", D(2026, 10, 1), "THU", "M1")
    assert _causes(roomy(), before, later, free) == {"U1-main-01": KNOCK_ON}
    freed = Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1")
    assert _causes(roomy(), before, freed, free)["U1-main-01"].startswith("teacher_available")


# --- window_change.py: the new window's bounds -----------------------------------------------

CALENDAR = (D(2026, 9, 15), D(2026, 10, 10))


def test_a_window_may_end_on_the_day_a_session_was_given() -> None:
    """window_change.py:60, `first <= day <= last` -> `first <= day < last`: the window's
    last day is in it: a session given that day is held."""
    data = roomy()
    given = Assignment("U3-main-01", D(2026, 9, 22), "TUE", "N1")
    change = WindowChanged.model_validate({"ue": "U3", "to": "2026-09-22"})
    warning = change_window(
        data, change, {given.session}, {given.session: given}, CALENDAR, "changes[0] window"
    )
    assert warning is None
    assert data["ues"][2]["window"] == {"from": "2026-09-15", "to": "2026-09-22"}


def test_a_window_of_one_day_is_a_window() -> None:
    """window_change.py:52, `last < first` -> `last <= first`: a window that begins and ends
    the same day (an exam day) does not end before it begins."""
    data = roomy()
    change = WindowChanged.model_validate({"ue": "U3", "from": "2026-10-03", "to": "2026-10-03"})
    assert change_window(data, change, set(), {}, CALENDAR, "changes[0] window") is None
    assert data["ues"][2]["window"] == {"from": "2026-10-03", "to": "2026-10-03"}


def test_a_series_window_says_nothing_of_the_ue_s_other_series() -> None:
    """window_change.py:67, `series is None and own` -> `own`: a change of one series'
    window is no UE's window leaving that UE's other series as they are: nothing to warn of."""
    data = roomy()
    data["ues"][0]["sessions"].append({"series": "tp", "count": 1})
    change = WindowChanged.model_validate({"series": "U1-main", "to": "2026-10-03"})
    assert change_window(data, change, set(), {}, CALENDAR, "changes[0] window") is None
    assert data["ues"][0]["sessions"][0]["window"] == {"from": "2026-09-15", "to": "2026-10-03"}
    whole = WindowChanged.model_validate({"ue": "U1", "to": "2026-10-03"})
    data["ues"][0]["sessions"][1]["window"] = {"from": "2026-09-15", "to": "2026-10-10"}
    assert "U1-tp keep their own window" in (
        change_window(data, whole, set(), {}, CALENDAR, "changes[0] window") or ""
    )


# --- apply.py and pin_sessions.py: the day a session was cancelled ---------------------------

SATURDAY = D(2026, 10, 3)


def test_a_make_up_with_a_site_pin_does_not_take_its_sibling_s_slot_that_day() -> None:
    """apply.py:67, `p.session == session and p.date == day` -> `p.session == session`: only
    a pin dated that day (staff's make-up date) opens the day a session was cancelled on to
    it; what is left of its own pin once cancelled (its site) does not, or the make-up takes
    the slot its sibling holds that day (closed to the series but for the sibling)."""
    data = _saturday_of_two_slots()
    data["pins"] = [{"session": "U1-main-01", "site": "MONS"}]
    published = [
        Assignment("U1-main-01", SATURDAY, "AM", "M1"),
        Assignment("U1-main-02", SATURDAY, "PM", "M1"),
    ]
    cancel = {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-01"}}]}
    revision = _revise(data, published, cancel)
    assert revision.dropped_pins == (("U1-main-01", {"site": "MONS"}),)
    assert not revision.may_start("U1-main-01", SATURDAY, "PM")
    assert revision.may_start("U1-main-02", SATURDAY, "PM")
    assert revision.may_start("U1-main-01", D(2026, 10, 10), "PM")


def test_a_session_published_today_and_cancelled_is_not_pinned_to_later_today() -> None:
    """pin_sessions.py:164, `... or change.session in published.cancelled` dropped: a session
    cancelled on today itself comes back after today, so a pin to another slot of today is
    refused at the change (not left to an infeasible solve)."""
    today = SATURDAY
    published = [Assignment("U1-main-01", today, "AM", "M1")]
    changes = {
        "today": today.isoformat(),
        "changes": [
            {"cancelled": {"session": "U1-main-01"}},
            {"pinned": {"session": "U1-main-01", "date": today.isoformat(), "slot": "PM"}},
        ],
    }
    with pytest.raises(InputError, match="is today: no session moves, is added or is placed"):
        _revise(_saturday_of_two_slots(), published, changes)


# --- replace_teacher.py ----------------------------------------------------------------------


def test_a_teacher_leaving_a_series_they_gave_alone_and_wholly_says_nothing_changes() -> None:
    """replace_teacher.py:92, `not (whole and new_default)` -> `not whole`: a teacher who gave
    every session of their series alone, replaced by nobody, leaves it as it was (its series
    would be left without a teacher): nothing changes, said so; not `sessions added later
    ... are given by their other teachers`, of which there are none."""
    data = roomy()
    change = TeacherReplaced(teacher="T3", ue="U3")
    warning = replace_teacher(data, change, {"U3-main-01"}, "c.yaml: changes[0] teacher_replaced")
    assert warning == (
        "c.yaml: changes[0] teacher_replaced: T3 teaches none of the sessions it names from "
        "today on: nothing changes"
    )
    assert data["ues"][2]["teachers"] == ["T3"]
    assert "teachers" not in data["ues"][2]["sessions"][0]
    assert data["session_teachers"] == []


# --- apply_change.py: a fixed event that takes place today ------------------------------------


def _move_event_today(moved: dict[str, Any]) -> dict[str, Any]:
    """edits' event EV (NAMUR, 2026-10-10) moved by `moved` on its own day, 2026-10-10."""
    data = edits_instance()
    change = Change.model_validate({"event_moved": {"event": "EV", **moved}})
    assert apply_change(data, change, D(2026, 10, 10), "changes[0] event_moved") is None
    return next(e for e in data["fixed_events"] if e["id"] == "EV")


def test_an_event_taking_place_today_keeps_today_and_gets_a_day_more() -> None:
    """apply_change.py:122, `and not planned` dropped: today, a day the event has, may stay
    among its days (only a day added on today itself is refused)."""
    event = _move_event_today({"dates": ["2026-10-10", "2026-10-17"]})
    assert event["dates"] == ["2026-10-10", "2026-10-17"]


def test_an_event_taking_place_today_can_leave_today_for_another_site() -> None:
    """apply_change.py:128, `and day in moved.get("dates", event["dates"])` dropped: an event
    whose day is today may be moved whole (its site too) once today's day leaves its dates,
    as the refusal itself advises ("leave today's day out of its dates")."""
    event = _move_event_today({"dates": ["2026-10-17"], "site": "MONS"})
    assert (event["dates"], event["site"], event["rooms"]) == (["2026-10-17"], "MONS", [])
    with pytest.raises(InputError, match="its site cannot change on today itself"):
        _move_event_today({"site": "MONS"})


# --- apply.py: the revised instance's `reordered` ---------------------------------------------


def test_a_session_taken_out_of_order_and_then_given_is_not_kept_out_by_itself() -> None:
    """apply.py:91, `t.number > sessions[sid].number` -> `>=`: a session stays out of its
    series' order while a later session of the series was given before today; its own
    having been given (made up since) does not keep it out."""
    data = roomy()
    data["reordered"] = ["U1-main-01"]
    published = [
        Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1"),
        Assignment("U1-main-02", D(2026, 9, 29), "TUE", "M1"),
        Assignment("U1-main-03", D(2026, 10, 6), "TUE", "M1"),
    ]
    revision = _revise(data, published, {"today": "2026-09-25", "changes": []})
    assert revision.instance.reordered == ()
    later = _revise(data, published, {"today": "2026-10-01", "changes": []})
    assert later.instance.reordered == ("U1-main-01",)  # 02 given, after 01 (out of order)
    published[0] = Assignment("U1-main-01", D(2026, 10, 1), "THU", "M1")  # after 02
    overtaken = _revise(data, published, {"today": "2026-10-03", "changes": []})
    assert overtaken.instance.reordered == ("U1-main-01",)


# --- diff.py: a replacement naming a session its `by` taught already -------------------------


def test_a_replacement_whose_new_teacher_gave_the_session_already_is_not_its_cause() -> None:
    """diff.py:131, `and r.by not in taught_by` dropped: a replacement handing a UE to T2
    hands nothing of a session T2 gave already; moved by T2's absence, the absence alone is
    its cause."""
    data = roomy()
    data["teachers"][1]["unavailable"] = [{"date": "2026-09-22"}]
    problem = Problem.build(Instance.model_validate(data))
    absent = {"teacher_unavailable": {"teacher": "T2", "date": "2026-09-22"}}
    replaced = {"teacher_replaced": {"teacher": "T1", "by": "T2", "ue": "U2"}}
    changes = Changes.model_validate({"today": "2026-09-16", "changes": [absent, replaced]})
    before = Assignment("U2-main-01", D(2026, 9, 22), "TUE", "M1")
    after = (Assignment("U2-main-01", D(2026, 9, 24), "THU", "M1"),)
    (moved,) = compare(
        problem, {before.session: before}, after, changes, False, {before.session: ("T2",)}
    )
    assert moved.cause.startswith("teacher_unavailable")
    assert "teacher_replaced" not in moved.cause


def test_a_teacher_freed_from_an_absence_gets_no_warning() -> None:
    """apply_change.py:66, `teacher["unavailable"] != before or` dropped: a teacher available
    again on days their `unavailable` rule covered is freed: no "nothing changes" warning."""
    data = edits_instance()
    free = Change.model_validate(
        {"teacher_available": {"teacher": "T1", "from": "2026-10-01", "to": "2026-10-10"}}
    )
    assert apply_change(data, free, D(2026, 9, 20), "changes[0] teacher_available") is None
    assert data["teachers"][0]["unavailable"] == [{"from": "2026-10-11", "to": "2026-10-31"}]


def test_a_session_dated_before_today_and_cancelled_did_not_take_place() -> None:
    """apply.py:145, `and a.session not in again` dropped: a session dated before today that
    the changes cancel did not take place: staff may pin its make-up (it is no session
    "given", refused as one that took place)."""
    published = [Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")]
    changes = {
        "today": "2026-09-25",
        "changes": [
            {"cancelled": {"session": "U1-main-01"}},
            {"pinned": {"session": "U1-main-01", "date": "2026-10-01", "slot": "THU"}},
        ],
    }
    revision = _revise(roomy(), published, changes)
    assert {"session": "U1-main-01", "date": D(2026, 10, 1), "slot": "THU"} in [
        p.model_dump(exclude_none=True) for p in revision.instance.pins
    ]
    assert "U1-main-01" not in revision.frozen


def test_a_session_dropped_though_published_before_today_is_said() -> None:
    """apply.py:176, `(dropped_before_today(...), warning)` -> `(warning,)`: dropping a
    session published before today (it did not take place) is said, so that a mistyped id is
    seen."""
    published = [Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")]
    changes = {"today": "2026-09-25", "changes": [{"dropped": {"session": "U1-main-01"}}]}
    (warning,) = _revise(roomy(), published, changes).warnings
    assert "U1-main-01 was published for 2026-09-22, before today: it is recorded as" in warning


def test_a_series_pinned_with_one_session_dropped_in_the_same_file_pins_the_others() -> None:
    """apply.py:168, `if k not in dropping` dropped: a series pinned whole in a file that
    drops one of its sessions pins its other sessions, and that one is dropped (not refused
    as pinned and dropped)."""
    published = [
        Assignment(f"U1-main-0{n}", D(2026, 9, 22) + dt.timedelta(days=7 * n), "TUE", "M1")
        for n in (1, 2, 3)
    ]
    changes = {
        "today": "2026-09-25",
        "changes": [
            {"pinned": {"series": "U1-main", "site": "NAMUR"}},
            {"dropped": {"session": "U1-main-03"}},
        ],
    }
    revision = _revise(roomy(), published, changes)
    pinned = {p.session: p.site for p in revision.instance.pins}
    assert pinned == {"U1-main-01": "NAMUR", "U1-main-02": "NAMUR"}
    assert revision.instance.dropped == ("U1-main-03",)


def test_a_frozen_session_keeps_its_frozen_pin_alone() -> None:
    """apply.py:195, `p["session"] not in frozen and` dropped: a session given before today
    is pinned where it took place, that pin alone (the instance's own pin of it, a site,
    goes: it was to place it, and it is placed)."""
    data = roomy()
    data["pins"] = [{"session": "U1-main-01", "site": "MONS"}]
    published = [Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")]
    revision = _revise(data, published, {"today": "2026-09-25", "changes": []})
    assert [p.model_dump(exclude_none=True) for p in revision.instance.pins] == [
        {"session": "U1-main-01", "date": D(2026, 9, 22), "slot": "TUE", "room": "M1"}
    ]


def test_a_session_pinned_where_it_is_published_is_not_taken_for_a_cancelled_one() -> None:
    """pin_sessions.py:146, `or change.session not in published.cancelled` dropped: only a
    cancelled session is refused a pin to the dated slot it was published in; a session
    still to give may be pinned there (staff keep it where it is)."""
    published = [Assignment("U1-main-01", D(2026, 10, 1), "THU", "M1")]
    keep = {"pinned": {"session": "U1-main-01", "date": "2026-10-01", "slot": "THU"}}
    revision = _revise(roomy(), published, {"today": "2026-09-25", "changes": [keep]})
    assert [(p.session, p.date, p.slot) for p in revision.instance.pins] == [
        ("U1-main-01", D(2026, 10, 1), "THU")
    ]


def test_sessions_added_do_not_share_a_dated_pin() -> None:
    """pin_sessions.py:203, `"date" in shared or` dropped: a series whose one session still
    to give is pinned to a date passes no pin to the sessions added (they would all be
    pinned to that date and slot)."""
    data = roomy()
    data["ues"][0]["sessions"][0]["count"] = 5
    dated = {"session": "U1-main-03", "date": "2026-10-03", "slot": "AM"}
    settled = {"U1-main-01", "U1-main-02"}
    assert pins_of_added(data, {"U1-main": 3}, [dated], settled) == []
    undated = {"session": "U1-main-03", "site": "NAMUR"}
    assert pins_of_added(data, {"U1-main": 3}, [undated], settled) == [
        {"session": "U1-main-04", "site": "NAMUR"},
        {"session": "U1-main-05", "site": "NAMUR"},
    ]


def test_a_move_to_another_day_is_a_date_change_whatever_its_slot() -> None:
    """diff.py:171, `elif before.slot != after.slot` -> `if ...`: a session moved from a
    Tuesday evening to a Thursday evening changed `date` (`time` is another slot the same
    day)."""
    before = Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")
    problem = Problem.build(Instance.model_validate(roomy()))
    changes = Changes.model_validate({"today": "2026-09-16", "changes": []})
    for after, what in (
        (Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1"), "date"),
        (Assignment("U1-main-01", D(2026, 9, 24), "THU", "N1"), "date+site+room"),
    ):
        (moved,) = compare(problem, {before.session: before}, (after,), changes)
        assert moved.what == what


def test_a_room_change_for_a_replacement_is_no_move_for_it() -> None:
    """diff.py:141, `- {s.id}` dropped: a session handed to T2 that moved to another room at
    the same hour did not move because T2 teaches there then (it is T2's session itself):
    it made room for the changes, and was handed over."""
    data = roomy()
    data["ues"][0]["teachers"] = ["T2"]
    problem = Problem.build(Instance.model_validate(data))
    replaced = {"teacher_replaced": {"teacher": "T1", "by": "T2", "series": "U1-main"}}
    changes = Changes.model_validate({"today": "2026-09-16", "changes": [replaced]})
    before = Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")
    after = (Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M2"),)
    taught_by = {before.session: ("T1",)}
    (moved,) = compare(problem, {before.session: before}, after, changes, False, taught_by)
    assert moved.cause.startswith(KNOCK_ON + "; teacher_replaced")
    # diff.py:343, `and not handed` dropped: the instance edited too, the replacement that
    # handed it over is why its teachers changed, not the edits
    (moved,) = compare(problem, {before.session: before}, after, changes, True, taught_by)
    assert moved.cause.startswith(
        "knock-on: moved to make room for the changes and the instance's edits; teacher_replaced"
    )


def test_sessions_added_to_a_series_pinned_whole_join_it_though_one_is_dropped() -> None:
    """apply.py:199, `set(frozen) | cancelled | dropped` -> `set(frozen)`: a session dropped
    in the same file is settled: its pin gone does not keep the sessions added from the
    series' shared pin (the series moved to NAMUR)."""
    data = roomy()
    data["pins"] = [{"session": f"U1-main-0{n}", "site": "NAMUR"} for n in (1, 2, 3)]
    published = [
        Assignment(f"U1-main-0{n}", D(2026, 9, 22) + dt.timedelta(days=7 * n), "TUE", "N1")
        for n in (1, 2, 3)
    ]
    changes = {
        "today": "2026-09-25",
        "changes": [
            {"dropped": {"session": "U1-main-03"}},
            {"add_sessions": {"ue": "U1", "series": "main", "count": 1}},
        ],
    }
    pins = _revise(data, published, changes).instance.pins
    assert {p.session: p.site for p in pins} == {
        "U1-main-01": "NAMUR",
        "U1-main-02": "NAMUR",
        "U1-main-04": "NAMUR",
    }


def test_a_knock_on_names_the_session_that_took_its_room_with_nobody_in_common() -> None:
    """diff.py:291, `(now.room == was.room or shares(now))` -> `shares(now)`: a session
    pinned into the slot and room of another, with no teacher or students in common (groups
    A and B), took its place: the knock-on names it."""
    problem = Problem.build(Instance.model_validate(roomy()))
    knocked = Assignment("U3-main-01", D(2026, 9, 24), "THU", "M1")
    mover = Assignment("U2-main-01", D(2026, 9, 22), "TUE", "M1")
    pin = {"pinned": {"session": "U2-main-01", "date": "2026-09-24", "slot": "THU"}}
    changes = Changes.model_validate({"today": "2026-09-16", "changes": [pin]})
    after = (
        Assignment("U2-main-01", D(2026, 9, 24), "THU", "M1"),
        Assignment("U3-main-01", D(2026, 9, 29), "TUE", "M1"),
    )
    before = {a.session: a for a in (knocked, mover)}
    causes = {m.session: m.cause for m in compare(problem, before, after, changes)}
    assert causes["U3-main-01"] == (
        f"knock-on: moved to make room for U2-main-01 ({causes['U2-main-01']})"
    )


def test_a_session_dropped_though_dated_before_today_is_not_frozen() -> None:
    """apply.py:258, `cancelled | dropped` -> `cancelled`: a session dropped (published
    before today, it did not take place) is not pinned where it was published."""
    published = [
        Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1"),
        Assignment("U1-main-02", D(2026, 9, 24), "THU", "M1"),
    ]
    changes = {"today": "2026-09-25", "changes": [{"dropped": {"session": "U1-main-01"}}]}
    revision = _revise(roomy(), published, changes)
    assert revision.frozen == frozenset({"U1-main-02"})
    assert [p.session for p in revision.instance.pins] == ["U1-main-02"]


def test_a_cancelled_session_staff_pin_again_drops_no_pin_of_its_own() -> None:
    """apply.py:264, `and p["session"] not in staff_pins` -> `and True`: a cancelled session
    staff pin anew (a make-up date) keeps none of its former pin: nothing of it is said to
    be kept (`dropped_pins`)."""
    data = roomy()
    data["pins"] = [{"session": "U1-main-01", "site": "NAMUR"}]
    published = [Assignment("U1-main-01", D(2026, 9, 29), "TUE", "N1")]
    changes = {
        "today": "2026-09-25",
        "changes": [
            {"cancelled": {"session": "U1-main-01"}},
            {"pinned": {"session": "U1-main-01", "date": "2026-10-01", "slot": "THU"}},
        ],
    }
    revision = _revise(data, published, changes)
    assert revision.dropped_pins == ()
    assert [(p.session, p.date, p.site) for p in revision.instance.pins] == [
        ("U1-main-01", D(2026, 10, 1), None)
    ]


def test_a_session_moved_and_given_another_teacher_counts_as_moved() -> None:
    """diff.py:371, `m.what == "teacher"` -> `"teacher" in m.what`: only a session given
    another teacher where it was is counted so; one moved too (`date+teacher`) is moved."""
    before = Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")
    after = Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1")
    moved = [
        Moved("U1-main-01", before, after, "date+teacher", KNOCK_ON),
        Moved("U2-main-01", before, before, "teacher", KNOCK_ON),
    ]
    assert moved_in_words(moved) == "1 session, 1 session given another teacher in place"


def test_sessions_given_before_today_are_not_said_to_be_given_today() -> None:
    """diff.py:437, `a.date == today` -> `a.date <= today`: the warnings against the latest
    revision name the sessions of today itself, not those that took place before it."""
    today = D(2026, 9, 26)
    past = [Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")]
    assert today_against_latest(past, past, today, "rev-2") == []
    tonight = [Assignment("U1-main-01", today, "AM", "M1")]
    assert len(today_against_latest(tonight, past, today, "rev-2")) == 1


def test_a_session_moved_for_the_edits_alone_names_no_change() -> None:
    """diff.py:381, `if any_change else` -> `if not any_change else`: a re-solve of an edited
    instance with no change made room for the instance's edits alone ("the changes" beside
    0 changes read as a contradiction)."""
    problem = Problem.build(Instance.model_validate(roomy()))
    before = Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")
    after = (Assignment("U1-main-01", D(2026, 9, 24), "THU", "M1"),)
    none = Changes.model_validate({"today": "2026-09-16", "changes": []})
    (moved,) = compare(problem, {before.session: before}, after, none, True)
    assert moved.cause == "knock-on: moved to make room for the instance's edits"


def test_a_session_no_longer_in_the_instance_is_not_blamed_on_another_s_drop() -> None:
    """diff.py:404, `c.dropped and c.dropped.session == session_id` -> `c.dropped`: a session
    removed is blamed on the change that dropped it, not on any drop."""
    problem = Problem.build(Instance.model_validate(roomy()))
    gone = Assignment("U9-main-01", D(2026, 9, 22), "TUE", "M1")
    drop = {"dropped": {"session": "U1-main-02"}}
    changes = Changes.model_validate({"today": "2026-09-16", "changes": [drop]})
    (moved,) = compare(problem, {gone.session: gone}, (), changes)
    assert (moved.what, moved.cause) == ("removed", "no longer in the instance")


def test_a_revised_instance_records_the_today_it_froze_the_past_for() -> None:
    """apply.py:269, `data["frozen_before"] = today.isoformat()` dropped: the revised
    instance says which pins are the past's (dated before its today), so that a later
    re-solve cancelling such a session keeps nothing of that pin (`_past_pin`)."""
    published = [Assignment("U1-main-01", D(2026, 9, 22), "TUE", "M1")]
    revision = _revise(roomy(), published, {"today": "2026-09-25", "changes": []})
    assert revision.instance.frozen_before == D(2026, 9, 25)
    cancel = {"today": "2026-09-29", "changes": [{"cancelled": {"session": "U1-main-01"}}]}
    again = revise(revision.instance, tuple(published), Changes.model_validate(cancel), "c")
    assert again.dropped_pins == ()
    assert "U1-main-01" not in {p.session for p in again.instance.pins}


def test_a_two_slot_session_pinned_back_to_its_day_is_closed_both_slots_it_held() -> None:
    """cancelled_days.py:56, `[x.slot for x in held] if held else [old.slot]` ->
    `[old.slot]`: a 2-slot session cancelled, its make-up staff pinned to the same day,
    has every slot it held closed (not only the first: it came back across its own second
    slot); the day's other slots stay open to the pinned make-up."""
    data = _saturday_of_two_slots()
    data["calendar"]["slots"].append(
        {"id": "EVE", "weekday": "sat", "start": "17:15", "end": "20:30"}
    )
    data["ues"].append(
        {"id": "U9", "teachers": ["T3"], "groups": ["C"], "sessions": [{"count": 1, "length": 2}]}
    )
    published = [Assignment("U9-main-01", SATURDAY, "AM", "M1")]
    changes = {
        "today": "2026-09-20",
        "changes": [
            {"cancelled": {"session": "U9-main-01"}},
            {"pinned": {"session": "U9-main-01", "date": SATURDAY.isoformat()}},
        ],
    }
    revision = _revise(data, published, changes)
    (series,) = next(u for u in revision.instance.ues if u.id == "U9").sessions
    assert [(r.date, r.slots) for r in series.unavailable] == [(SATURDAY, ("AM", "PM"))]
