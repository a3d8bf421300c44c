"""Pins: sessions pinned to one day at two sites or one time, pins against a series' order or a
precedence, starts that pinned sessions hold."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from scheduler.data.preflight import preflight
from tests.conftest import SAMPLE, problem_of, solve_to_optimum
from tests.preflight.support import (
    errors_of,
)


def test_two_sessions_pinned_to_one_day_at_two_sites(tiny_data: dict[str, Any]) -> None:
    """The same students pinned to Namur in the morning and to Mons in the afternoon: the
    search took 28-31 s and a set not proven minimal listing 72 session slots."""
    tiny_data["pins"] = [
        {"session": "UE1-main-02", "date": "2026-09-26", "slot": "SAT-AM", "site": "NAMUR"},
        {"session": "UE3-main-01", "date": "2026-09-26", "slot": "SAT-PM", "site": "MONS"},
    ]
    errors = errors_of(preflight(problem_of(tiny_data)))  # UE4's two-slot Saturday too
    (split,) = [f for f in errors if f.rule == "group_one_site_per_day"]
    assert split.entities == ("UE1-main-02", "UE3-main-01")
    assert "can only be at NAMUR and UE3-main-01 only at MONS on 26 Sep 2026" in split.message
    tiny_data["pins"][1]["site"] = "NAMUR"
    rules = {f.rule for f in errors_of(preflight(problem_of(tiny_data)))}
    assert "group_one_site_per_day" not in rules


def test_a_series_short_of_room_names_its_pins(tiny_data: dict[str, Any]) -> None:
    """'only 6 of the 12 sessions fit' did not say that a pin is why it is 6 and not 8."""
    ue1 = next(u for u in tiny_data["ues"] if u["id"] == "UE1")
    ue1["window"] = {"from": "2026-09-15", "to": "2026-09-20"}
    ue1["sessions"][0].update(count=3, min_days_between=2)
    spacing = [
        f for f in errors_of(preflight(problem_of(tiny_data))) if f.rule == "min_days_between"
    ]
    assert spacing and "(pinned: UE1-main-01 on 15 Sep 2026)" in spacing[0].message
    assert "move a pin" in spacing[0].message


def test_pins_against_a_series_order_are_said(tiny_data: dict[str, Any]) -> None:
    """An audit pinned UE3's second session a week before its first: the error said "only 1 of
    the 2 sessions fit, in order", widen the availability first; a pin is what to fix."""
    tiny_data["pins"] += [
        {"session": "UE3-main-01", "date": "2026-09-24"},
        {"session": "UE3-main-02", "date": "2026-09-17"},
    ]
    (message,) = [f.message for f in preflight(problem_of(tiny_data)) if f.rule == "pin"]
    assert message == (
        "UE3-main-02 is pinned to 17 Sep 2026, before UE3-main-01 (24 Sep 2026), which its "
        "series gives first — swap or move the pins"
    )
    tiny_data["pins"][-2:] = [
        {"session": "UE3-main-01", "date": "2026-09-17"},
        {"session": "UE3-main-02", "date": "2026-09-24"},
    ]
    assert not [f for f in preflight(problem_of(tiny_data)) if f.rule == "pin"]


def test_a_shortfall_of_pinned_sessions_says_to_move_a_pin(tiny_data: dict[str, Any]) -> None:
    """Two sessions pinned to one evening: the teacher's shortfall said to widen the windows
    or lower the counts, where moving a pin is the way out (an audit); a shortfall without
    pins does not say it."""
    tiny_data["pins"].append({"session": "UE1-main-02", "date": "2026-09-15"})
    (message,) = [
        f.message
        for f in preflight(problem_of(tiny_data))
        if f.severity == "error" and "must give" in f.message
    ]
    assert message.endswith(
        "— move a pin, widen the windows or the availability of teachers, students or rooms, "
        "or lower the counts"
    ), message
    tiny_data["pins"] = []
    tiny_data["ues"][1]["sessions"][0]["count"] = 5  # T2: 5 sessions, 4 usable evenings
    messages = [f.message for f in preflight(problem_of(tiny_data)) if "must give" in f.message]
    assert messages and not any("move a pin" in m for m in messages), messages


def test_a_fixed_event_that_leaves_a_pinned_session_no_place_is_named(
    tiny_data: dict[str, Any],
) -> None:
    """The explain audit put a fixed event for the cohort on a pinned session's evening: the
    error said 'fixed_events (6)' and never which event. A rule that rejects every placement
    gives one with its culprit."""
    tiny_data["fixed_events"].append(
        {"id": "CLASH", "site": "MONS", "dates": ["2026-09-15"], "start": "17:00",
         "end": "21:00", "groups": ["COHORT"]}
    )  # fmt: skip
    (message,) = [f.message for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    assert message.startswith("UE1-main-01 can be placed nowhere"), message
    assert "fixed_events (all " in message
    assert (  # whom of the session it holds
        ": e.g. 15 Sep 2026 TUE-EVE, fixed event CLASH that day, holding its students (COHORT))"
    ) in message
    # what a placement is, and a way out (an audit of infeasible instances found neither)
    assert "of its 3 placements matching its pin (a date, slot and room each)," in message
    # the event is what to move, not "a rule that alone excludes some of them" (an audit)
    assert message.endswith(
        " — move fixed event CLASH or take off it the teachers, students or rooms it shares "
        "with UE1-main, or move the pin"
    ), message
    tiny_data["pins"][0]["room"] = "M-A"  # one placement: "of its 1 placements" (an audit)
    (message,) = [f.message for f in preflight(problem_of(tiny_data)) if f.severity == "error"]
    assert "of its 1 placement matching its pin (a date, slot and room each)," in message
    assert "rejected by one rule alone: 1 by fixed_events (e.g. 15 Sep 2026 TUE-EVE" in message


def test_a_pin_where_a_long_session_cannot_fit_says_to_move_it(tiny_data: dict[str, Any]) -> None:
    """UE4's session of two slots pinned on a Tuesday evening (one slot): "none fits its
    length — relax one of these rules" named no rule (a review); then "of its 0 placements
    matching its pin, none fits its length" (an audit): the pin and why, in words."""
    tiny_data["pins"].append({"session": "UE4-main-01", "date": "2026-09-22", "slot": "TUE-EVE"})
    errors = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    (message,) = [m for m in errors if m.startswith("UE4-main-01 can be placed nowhere")]
    assert message == (
        "UE4-main-01 can be placed nowhere: its pin (date 2026-09-22, slot TUE-EVE) leaves no "
        "start with 2 open slots in a row that day (a closure, a holiday, the day's end or a "
        "site without rooms in the way) — move the pin"
    ), message
    # a pin without a date: no "that day" (a review)
    tiny_data["pins"][-1] = {"session": "UE4-main-01", "slot": "TUE-EVE"}
    errors = [f.message for f in errors_of(preflight(problem_of(tiny_data)))]
    (message,) = [m for m in errors if m.startswith("UE4-main-01 can be placed nowhere")]
    assert "its pin (slot TUE-EVE) leaves no start with 2 open slots in a row on any day" in message


@pytest.mark.parametrize(
    ("change", "rule", "who"),
    [
        ({"teachers": ["T2"]}, "teacher_double_booking", "both are given by Marc Dubois (T2)"),
        ({"groups": ["OPT-A"]}, "group_double_booking", "their students are the same"),
        ({}, "room_double_booking", "both can only use room M-A"),
    ],
)
def test_two_sessions_bound_to_one_time_that_cannot_share_it(
    tiny_data: dict[str, Any], change: dict[str, Any], rule: str, who: str
) -> None:
    """Two sessions of one teacher pinned to one slot were said to need more of the teacher's
    availability (its rule named after an unrelated unavailability), and two pinned to one
    room in the sample were not explained within 20 s (an exploratory test's findings)."""
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3.update(change)
    room = {} if change else {"room": "M-A"}  # the clash is the room's only without another
    tiny_data["pins"] = [
        {"session": "UE2-main-01", "date": "2026-09-17", "slot": "THU-EVE", **room},
        {"session": "UE3-main-01", "date": "2026-09-17", "slot": "THU-EVE", **room},
    ]
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert errors[0].rule == rule and errors[0].entities == ("UE2-main-01", "UE3-main-01")
    assert errors[0].message == (
        "UE2-main-01 and UE3-main-01 can only take place at times that overlap, 17 Sep 2026 "
        f"THU-EVE (UE2-main-01 pinned; UE3-main-01 pinned), and {who} — move a pin"
    )
    if rule == "teacher_double_booking":  # UE3-main-01 kept there by its window alone
        kept = copy.deepcopy(tiny_data)
        del kept["pins"][1]
        ue = next(u for u in kept["ues"] if u["id"] == "UE3")
        ue["sessions"][0] |= {"count": 1, "window": {"from": "2026-09-17", "to": "2026-09-17"}}
        said = [f.message for f in errors_of(preflight(problem_of(kept)))]
        why = (
            "(UE2-main-01 pinned; UE3-main-01 by its window, its people's or rooms' "
            "availability, closures or fixed events), and both are given by Marc Dubois (T2) — "
            "move the pin, or free UE3-main-01"
        )  # rooms and a way out for the one not pinned (an audit's rooms closed around a pin)
        assert any(m.endswith(why) for m in said), said
    tiny_data["pins"][1]["date"] = "2026-09-22"  # apart: no such finding
    tiny_data["pins"][1]["slot"] = "TUE-EVE"
    pair = ("UE2-main-01", "UE3-main-01")
    assert all(f.entities != pair for f in errors_of(preflight(problem_of(tiny_data))))


def test_a_two_slot_session_bound_over_another_is_named_with_both_starts(
    tiny_data: dict[str, Any],
) -> None:
    """UE4 (two slots, Saturday morning and afternoon) and UE1's second session share T1 and
    the cohort: pinned to the morning and the afternoon of one Saturday, they overlap."""
    tiny_data["precedences"] = []
    tiny_data["pins"] = [
        {"session": "UE4-main-01", "date": "2026-09-26", "slot": "SAT-AM"},
        {"session": "UE1-main-02", "date": "2026-09-26", "slot": "SAT-PM"},
    ]
    errors = [f for f in errors_of(preflight(problem_of(tiny_data))) if f.rule.endswith("booking")]
    assert errors and errors[0].entities == ("UE1-main-02", "UE4-main-01")
    assert "UE1-main-02 26 Sep 2026 SAT-PM, UE4-main-01 26 Sep 2026 SAT-AM" in errors[0].message


def test_a_session_whose_every_start_a_pinned_session_holds_is_named(
    tiny_data: dict[str, Any],
) -> None:
    """An audit pinned two sessions to the Saturday mornings of the only two Saturdays a
    full-day session could take: no check said so, and explain's conflict search found no
    set in 30 s. UE4 (the cohort, T1) may take Saturday 26 Sep, morning or afternoon; UE1's
    second session (the cohort, T1) is pinned to the morning, UE3's second (option B, part of
    the cohort) to the afternoon."""
    tiny_data["precedences"] = []
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    ue4["sessions"][0]["length"] = 1
    ue4["window"] = {"from": "2026-09-26", "to": "2026-09-26"}
    tiny_data["pins"] = [
        {"session": "UE1-main-02", "date": "2026-09-26", "slot": "SAT-AM"},
        {"session": "UE3-main-02", "date": "2026-09-26", "slot": "SAT-PM"},
    ]
    errors = errors_of(preflight(problem_of(tiny_data)))  # the cohort's load on the 26th too
    assert (errors[0].rule, errors[0].entities) == (
        "teacher_double_booking",
        ("UE4-main-01", "UE1-main-02", "UE3-main-02"),
    )
    assert errors[0].message == (
        "UE4-main-01 can start at 2 times only, and a pinned session sharing its teacher, "
        "students or room holds each: 26 Sep 2026 SAT-AM by UE1-main-02 (also given by "
        "Anne Lambert (T1)) and 26 Sep 2026 SAT-PM by UE3-main-02 (the same students) — move "
        "a pin"
    )
    del tiny_data["pins"][1]  # the afternoon free: a timetable exists
    assert not errors_of(preflight(problem_of(tiny_data)))
    assert solve_to_optimum(tiny_data).objective >= 0


def test_the_sample_s_closing_day_held_by_two_pins_is_named() -> None:
    """The audit's case: UE5's closing day (a full Saturday with V3 and V4) fits 29 May or
    5 Jun 2027 only; UE4's Paris sessions pinned to both mornings left it nowhere, which no
    other check sees (the cohort's load fits)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["pins"] = [
        *data.get("pins", []),
        {"session": "UE4-paris-03", "date": "2027-05-29", "slot": "SAT-AM"},
        {"session": "UE4-paris-04", "date": "2027-06-05", "slot": "SAT-AM"},
    ]
    errors = errors_of(preflight(problem_of(data)))
    assert [f.message for f in errors] == [
        "UE5-cloture-01 can start at 2 times only, and a pinned session sharing its teacher, "
        "students or room holds each: 29 May 2027 SAT-AM by UE4-paris-03 (the same students) "
        "and 5 Jun 2027 SAT-AM by UE4-paris-04 (the same students) — move a pin"
    ]


def test_a_precedence_a_pin_breaks_names_the_pin_first(tiny_data: dict[str, Any]) -> None:
    """A pin put UE1's second session after UE4's only day; the error advised reversing the
    precedence, which the file meant (an audit): the pin is named, and moving it comes first."""
    data = copy.deepcopy(tiny_data)
    data["pins"].append({"session": "UE1-main-02", "date": "2026-09-26", "slot": "SAT-PM"})
    errors = [f for f in errors_of(preflight(problem_of(data))) if f.rule == "precedence"]
    assert errors, errors_of(preflight(problem_of(data)))
    assert "; UE1-main-02 is pinned to 26 Sep 2026 — move the pin, or reverse or drop" in (
        errors[0].message
    )


@pytest.mark.parametrize("pin", [{"site": "MONS"}, {"room": "M-A"}])
def test_a_pin_of_a_place_alone_is_not_said_to_bind_a_time(
    tiny_data: dict[str, Any], pin: dict[str, str]
) -> None:
    """A German audit: two sessions of one teacher kept to one evening by their windows, one
    of them pinned to a site alone, were said "UE2-main-01 pinned; ..." with "move a pin" as
    the way out. A pin of a site or room leaves the time free: the pin check leaves them to
    the load checks, which say what binds them; a date pin is still said."""
    evening = {"count": 1, "window": {"from": "2026-09-17", "to": "2026-09-17"}}
    for ue in tiny_data["ues"]:
        if ue["id"] in ("UE2", "UE3"):
            ue["teachers"] = ["T2"]
            ue["sessions"][0] |= evening
    tiny_data["pins"] = [{"session": "UE2-main-01", **pin}]
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert errors, "the two sessions cannot both be on that evening"
    assert not any("pinned" in f.message or "a pin" in f.message for f in errors), errors
    tiny_data["pins"] = [{"session": "UE2-main-01", "date": "2026-09-17", **pin}]
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert any("(UE2-main-01 pinned; UE3-main-01 by its window" in f.message for f in errors)


def test_a_re_solve_s_shortfall_names_the_sessions_to_place_and_counts_those_given(
    tiny_data: dict[str, Any],
) -> None:
    """A German audit's re-solve named four sessions given months before its `today` as
    the ones short of slots, and no other; and, every session of it holding a pin (the given
    ones, and a series pinned to a site), said "move a pin", where no pin binds a time."""
    tiny_data["ues"][1]["sessions"][0]["count"] = 5  # T2: 5 sessions, 4 usable evenings
    tiny_data["frozen_before"] = "2026-09-18"
    tiny_data["pins"] = [{"session": "UE2-main-01", "date": "2026-09-17", "slot": "THU-EVE"}]
    tiny_data["pins"] += [{"session": f"UE2-main-0{n}", "site": "MONS"} for n in range(2, 6)]
    (message,) = [m.message for m in preflight(problem_of(tiny_data)) if "must give" in m.message]
    assert "(UE2-main-02, UE2-main-03, UE2-main-04 and UE2-main-05; 1 session given already)" in (
        message
    ), message
    assert "move a pin" not in message, message
    del tiny_data["frozen_before"]  # the same pin in a first solve: a pin, said as one
    (message,) = [m.message for m in preflight(problem_of(tiny_data)) if "must give" in m.message]
    assert "(UE2-main)" in message and "given" not in message, message
